#!/usr/bin/env bash
# Install every Debian package dhcpxdp's build, tests, demo and benchmarks need.
# Idempotent: packages already present are skipped, apt is only touched when
# something is missing. Usage: scripts/deps.sh [build|test|bench|all] (default all).
set -euo pipefail

build_pkgs=(make gcc clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev
	pkg-config libjson-c-dev libsqlite3-dev libmicrohttpd-dev libgnutls28-dev
	libsystemd-dev libpq-dev libmariadb-dev)
# libclang-rt-14-dev: libFuzzer and the sanitizers for tests/fuzz.
# systemd (systemd-analyze, systemd-sysusers) and strace: the unit's
# hardening and the daemon's system calls against it. The peer servers:
# tests/integration/test_lease_import.sh imports their lease files, and
# the slow-path benchmark compares against them. kea-ctrl-agent (with
# kea-shell): tests/integration/test_kea_ctrl.sh drives the control socket
# through Kea's own agent. prometheus: tests/integration/test_dashboard.sh
# evaluates the Grafana dashboard's queries against a real server (run as
# a child of the test; its packaged service stays stopped, see below).
# postgresql-15: tests/integration/test_pgsql.sh and test_multinode.sh run
# a throwaway server for the PostgreSQL lease store; tests/integration/test_hosts_pgsql.sh
# one for Kea's host database, its schema made by kea-admin's PostgreSQL
# scripts (kea-admin db-init pgsql). mariadb-server and mariadb-client:
# tests/integration/test_hosts_mysql.sh runs a throwaway MariaDB for
# Kea's MySQL host database (kea-admin db-init mysql runs the client).
# kea-doc: Kea's example configurations, which
# tests/integration/test_kea_examples.sh feeds to check-config. curl and
# openssl: tests/integration/test_control_http.sh's requests and
# certificates. kea-dhcp-ddns-server, bind9 and bind9-dnsutils (dig):
# tests/integration/test_ddns.sh runs D2 and named as children of the
# test (their packaged services stay stopped, see below) and looks the
# records up.
test_pkgs=(libcmocka-dev iproute2 isc-dhcp-client udhcpc python3-scapy
	tcpdump ethtool kea-admin libclang-rt-14-dev systemd strace
	kea-dhcp4-server kea-ctrl-agent dnsmasq-base isc-dhcp-server
	prometheus postgresql-15 mariadb-server mariadb-client kea-doc curl
	openssl kea-dhcp-ddns-server bind9 bind9-dnsutils)
bench_pkgs=(gnuplot-nox)

want=()
case "${1:-all}" in
build) want=("${build_pkgs[@]}") ;;
test) want=("${build_pkgs[@]}" "${test_pkgs[@]}") ;;
bench | all) want=("${build_pkgs[@]}" "${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
*)
	echo "usage: $0 [build|test|bench|all]" >&2
	exit 2
	;;
esac

missing=()
for p in "${want[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]}; run as root to install them" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Daemons shipped by peer packages (kea, isc-dhcp-server, prometheus,
# mariadb, bind9's named, kea-dhcp-ddns) must not start on install:
# policy-rc.d 101 tells invoke-rc.d to leave them stopped.
prc=/usr/sbin/policy-rc.d
own_prc=0
if [ ! -e "$prc" ]; then
	printf '#!/bin/sh\nexit 101\n' >"$prc"
	chmod 755 "$prc"
	own_prc=1
fi
trap '[ $own_prc -eq 1 ] && rm -f "$prc"' EXIT
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
