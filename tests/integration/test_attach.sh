#!/usr/bin/env bash
# `dhcpxdp attach` and `detach` beside a running daemon: a second link
# (relayed traffic from perfdhcp) attached at run time is served by the
# daemon at once and its renewals by XDP; without a daemon, attach says
# who answers; a foreign XDP program is named and kept unless --force;
# detach stops the daemon serving it.
# Usage: tests/integration/test_attach.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
N_TESTS=5

[ "$(id -u)" -eq 0 ] || t_skip_all "needs root (netns, XDP)" $N_TESTS
command -v perfdhcp >/dev/null || t_skip_all "perfdhcp missing (scripts/deps.sh test)" $N_TESTS

DHCPXDP=$out/dhcpxdp
T_DIR=$(mktemp -d /tmp/dhcpxdp-at-XXXXXX)
PREFIX=dxa$((RANDOM % 10000))

cleanup() {
	daemon_stop
	# only ours: PIDs are shared with every other namespace
	pkill -f "perfdhcp .*-l ${PREFIX}c" 2>/dev/null
	"$top/scripts/lab.sh" down "$T_DIR" "$PREFIX" 2>/dev/null
	rm -rf "$T_DIR"
}
trap cleanup EXIT

"$top/scripts/lab.sh" up "$T_DIR" "$PREFIX" || t_fail_all "cannot build the lab" $N_TESTS
. "$T_DIR/lab.env"
# A second link: the client side plays a relay at 10.88.0.1.
S2=${PREFIX}s2
C2=${PREFIX}c2
ip link add "$S2" netns "$SRV_NS" type veth peer name "$C2" netns "$CLI_NS"
srv ip addr add 10.88.0.254/24 dev "$S2"
srv ip link set "$S2" up
cli ip addr add 10.88.0.1/24 dev "$C2"
cli ip link set "$C2" up
cli ip link set dev "$C2" xdpdrv obj "$out/xdp_pass.bpf.o" sec xdp

CFG=$T_DIR/dhcpxdp.json
cat >"$CFG" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$SRV_IF" ] },
  "valid-lifetime": 600,
  "lease-database": { "type": "sqlite", "name": "$T_DIR/leases.sqlite3" },
  "control-socket": { "socket-type": "unix", "socket-name": "$T_DIR/control.sock" },
  "subnet4": [
    { "id": 1, "subnet": "10.77.0.0/24", "interface": "$SRV_IF",
      "pools": [ { "pool": "10.77.0.100 - 10.77.0.199" } ] },
    { "id": 2, "subnet": "10.88.0.0/24", "relay": { "ip-addresses": [ "10.88.0.1" ] },
      "pools": [ { "pool": "10.88.0.10 - 10.88.0.200" } ] } ],
  "dhcpxdp": { "pin-dir": "$PIN_DIR" }
} }
JSON
daemon_start || t_fail_all "the daemon did not start" $N_TESTS

served() {
	"$DHCPXDP" status --json -c "$CFG" | grep -q "\"$1\""
}

t_attach_tells_daemon() {
	local o
	o=$(srv "$DHCPXDP" attach "$S2" -c "$CFG") || fail "attach: $o"
	echo "$o"
	echo "$o" | grep -q "daemon: serving $S2" || fail "daemon not told"
	wait_until 5 served "$S2" || fail "status does not list $S2"
}

t_relayed_clients_served_on_new_link() {
	local renew0
	renew0=$(xdp_stat ack_renewal)
	cli timeout 30 perfdhcp -4 -l "$C2" -r 20 -R 40 -p 4 -f 10 10.88.0.254 \
		>"$T_DIR/perf.log" 2>&1
	grep -A2 "Statistics for: REQUEST-ACK\*" "$T_DIR/perf.log" |
		grep -q "received packets: [1-9]" ||
		fail "no ACK on $S2: $(cat "$T_DIR/perf.log")"
	"$DHCPXDP" leases -c "$CFG" | grep -q "^10\.88\.0\." || fail "no lease in 10.88.0.0/24"
	[ "$(xdp_stat ack_renewal)" -gt "$renew0" ] || fail "no renewal answered by XDP on $S2"
}

t_detach_tells_daemon() {
	local o
	o=$(srv "$DHCPXDP" detach "$S2" -c "$CFG") || fail "detach: $o"
	echo "$o"
	echo "$o" | grep -q "no longer serving $S2" || fail "daemon not told"
	served "$S2" && fail "status still lists $S2"
	return 0
}

t_foreign_program_refused() {
	local o rc
	srv ip link set dev "$S2" xdpdrv obj "$out/xdp_pass.bpf.o" sec xdp
	o=$(srv "$DHCPXDP" attach "$S2" -c "$CFG" 2>&1)
	rc=$?
	echo "$o"
	[ $rc -eq 1 ] || fail "exit $rc, want 1"
	echo "$o" | grep -q "xdp_pass" || fail "the foreign program is not named"
	echo "$o" | grep -q -- "--force" || fail "no hint about --force"
	o=$(srv "$DHCPXDP" attach "$S2" -c "$CFG" --force 2>&1) || fail "--force: $o"
	srv "$DHCPXDP" detach "$S2" -c "$CFG" >/dev/null
}

t_attach_without_daemon() {
	local o
	daemon_stop
	o=$(srv "$DHCPXDP" attach "$S2" -c "$CFG") || fail "attach: $o"
	echo "$o"
	echo "$o" | grep -q "no daemon answers" || fail "does not say no daemon runs"
	srv "$DHCPXDP" detach "$S2" -c "$CFG" >/dev/null || fail "detach"
}

t_run "attach beside a running daemon: it serves the new link" t_attach_tells_daemon
t_run "relayed clients on the new link: leases from the daemon, renewals from XDP" t_relayed_clients_served_on_new_link
t_run "detach: the daemon stops serving it" t_detach_tells_daemon
t_run "a foreign XDP program is named and kept unless --force" t_foreign_program_refused
t_run "attach without a daemon says who answers" t_attach_without_daemon
t_summary
