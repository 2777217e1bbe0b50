#!/usr/bin/env bash
# `make demo`: from nothing to a renewal answered by XDP, in one command.
# Installs what is missing, builds, builds a two-namespace lab, starts
# `dhcpxdp run` with an embedded configuration and a lease database in a
# temporary directory, runs ISC dhclient until its lease has been renewed
# through XDP, shows `dhcpxdp leases` and `dhcpxdp stats`, and removes
# everything it made.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

if [ "$(id -u)" -ne 0 ]; then
	echo "demo: run as root (network namespaces and XDP need it)" >&2
	exit 1
fi
scripts/deps.sh test
make --no-print-directory all

dir=$(mktemp -d /tmp/dhcpxdp-demo-XXXXXX)
prefix=dxdemo
dhcpxdp=$top/build/dhcpxdp
daemon=
cleanup() {
	[ -n "$daemon" ] && kill "$daemon" 2>/dev/null && wait "$daemon" 2>/dev/null
	ip netns exec $prefix-cli dhclient -x -pf "$dir/dhclient.pid" 2>/dev/null || true
	scripts/lab.sh down "$dir" $prefix
	rm -rf "$dir"
}
trap cleanup EXIT
scripts/lab.sh up "$dir" $prefix
. "$dir/lab.env"

# Short timers so the renewal comes quickly: T1 5 s, lease 30 s.
cat >"$dir/dhcpxdp.json" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$SRV_IF" ] },
  "valid-lifetime": 30, "renew-timer": 5, "rebind-timer": 20,
  "lease-database": { "type": "sqlite", "name": "$dir/leases.sqlite3" },
  "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24", "interface": "$SRV_IF",
    "pools": [ { "pool": "10.77.0.100 - 10.77.0.199" } ],
    "option-data": [ { "name": "routers", "data": "10.77.0.1" },
                     { "name": "domain-name-servers", "data": "10.77.0.53" },
                     { "name": "domain-name", "data": "demo.dhcpxdp" } ] } ],
  "control-socket": { "socket-type": "unix", "socket-name": "$dir/control.sock" },
  "dhcpxdp": { "pin-dir": "$PIN_DIR" }
} }
JSON

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
stat() {
	ip netns exec "$SRV_NS" "$dhcpxdp" stats --json --pin-dir "$PIN_DIR" |
		grep -o "\"$1\": [0-9]*" | awk '{print $2}'
}

step "dhcpxdp run (server namespace $SRV_NS, interface $SRV_IF)"
ip netns exec "$SRV_NS" "$dhcpxdp" run -c "$dir/dhcpxdp.json" >"$dir/daemon.log" 2>&1 &
daemon=$!
for _ in $(seq 50); do
	grep -q "DHCPXDP_STARTED ready" "$dir/daemon.log" && break
	sleep 0.2
done
cat "$dir/daemon.log"

step "dhclient asks for an address (client namespace $CLI_NS)"
ip netns exec "$CLI_NS" timeout 30 dhclient -1 -v -lf "$dir/dhclient.leases" \
	-pf "$dir/dhclient.pid" "$CLI_IF" 2>&1 | grep -E "DHCP|bound"
ip -n "$CLI_NS" -4 addr show dev "$CLI_IF" | grep inet

step "waiting for the renewal (T1 = 5 s), answered by XDP"
for _ in $(seq 100); do
	[ "$(stat ack_renewal)" -gt 0 ] && break
	sleep 0.2
done
sleep 1.5 # the ring-buffer event reaches the database on the next tick
echo "renewals answered in XDP: $(stat ack_renewal)"

step "dhcpxdp leases"
"$dhcpxdp" leases -c "$dir/dhcpxdp.json"
step "dhcpxdp stats (non-zero counters)"
ip netns exec "$SRV_NS" "$dhcpxdp" stats --pin-dir "$PIN_DIR" | awk '$2 != 0'

if [ "$(stat ack_renewal)" -gt 0 ]; then
	step "done: the lease came from the daemon, its renewal from XDP"
else
	step "no renewal was answered by XDP; daemon log:"
	cat "$dir/daemon.log"
	exit 1
fi
