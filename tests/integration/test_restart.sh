#!/usr/bin/env bash
# Restart safety (docs/design.md §2): perfdhcp DORA and renewal load against
# the daemon, `kill -9` in the middle, restart. Every lease ACKed before
# the kill must be in the database, no address may be ACKed to two MACs
# over the whole run (checked from captured replies), and XDP must keep
# answering renewals while the daemon is down.
# Usage: tests/integration/test_restart.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
N_TESTS=4

[ "$(id -u)" -eq 0 ] || t_skip_all "needs root (netns, XDP)" $N_TESTS
for tool in perfdhcp tcpdump; do
	command -v $tool >/dev/null || t_skip_all "$tool missing (scripts/deps.sh test)" $N_TESTS
done

DHCPXDP=$out/dhcpxdp
T_DIR=$(mktemp -d /tmp/dhcpxdp-rs-XXXXXX)
PREFIX=dxr$((RANDOM % 10000))
PY=/usr/bin/python3

cleanup() {
	daemon_stop
	[ -n "${DUMP_PID:-}" ] && kill "$DUMP_PID" 2>/dev/null
	# only ours: PIDs are shared with every other namespace
	pkill -f "perfdhcp .*-l ${PREFIX}c" 2>/dev/null
	"$top/scripts/lab.sh" down "$T_DIR" "$PREFIX" 2>/dev/null
	rm -rf "$T_DIR"
}
trap cleanup EXIT

"$top/scripts/lab.sh" up "$T_DIR" "$PREFIX" || t_fail_all "cannot build the lab" $N_TESTS
. "$T_DIR/lab.env"
# perfdhcp acts as a relay: it needs an address, and replies go to it.
cli ip addr add 10.77.0.2/24 dev "$CLI_IF"

cat >"$T_DIR/dhcpxdp.json" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$SRV_IF" ] },
  "valid-lifetime": 120, "renew-timer": 30, "rebind-timer": 100,
  "lease-database": { "type": "sqlite", "name": "$T_DIR/leases.sqlite3" },
  "control-socket": { "socket-type": "unix", "socket-name": "$T_DIR/control.sock" },
  "subnet4": [ { "id": 1, "subnet": "10.77.0.0/23", "interface": "$SRV_IF",
    "pools": [ { "pool": "10.77.0.10 - 10.77.1.250" } ] } ],
  "dhcpxdp": { "pin-dir": "$PIN_DIR" }
} }
JSON

cli tcpdump -i "$CLI_IF" -n -w "$T_DIR/replies.pcap" -U \
	'udp and src port 67 and src host 10.77.0.1' >"$T_DIR/tcpdump.log" 2>&1 &
DUMP_PID=$!
daemon_start || t_fail_all "the daemon did not start" $N_TESTS

# 12 s of load: 60 new clients/s (DORA) among 900, renewals at 20/s
# (perfdhcp renews each lease once: leases must stay queued for renewal
# through the outage).
cli timeout 40 perfdhcp -4 -l "$CLI_IF" -r 60 -R 900 -p 12 -f 20 10.77.0.1 \
	>"$T_DIR/perfdhcp.log" 2>&1 &
PERF_PID=$!

sleep 5
KILL_TIME=$(date +%s.%N)
kill -9 "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null
kill -0 "$DAEMON_PID" 2>/dev/null && t_fail_all "kill -9 did not stop the daemon" $N_TESTS
DAEMON_PID=
renew_at_kill=$(xdp_stat ack_renewal)
sleep 3
renew_while_down=$(($(xdp_stat ack_renewal) - renew_at_kill))
daemon_start || t_fail_all "the daemon did not restart" $N_TESTS
wait "$PERF_PID"
sleep 1.5
daemon_stop
kill "$DUMP_PID" 2>/dev/null
wait "$DUMP_PID" 2>/dev/null
DUMP_PID=
"$DHCPXDP" leases -c "$T_DIR/dhcpxdp.json" --json >"$T_DIR/leases.json"
adjust_fails=$(xdp_stat punt_adjust_tail)
xdp_renewals=$(xdp_stat ack_renewal)

t_load_was_served() {
	grep -q "^received packets: [1-9]" "$T_DIR/perfdhcp.log" ||
		fail "perfdhcp got nothing: $(cat "$T_DIR/perfdhcp.log")"
	grep -A3 -E "Statistics for: (DISCOVER-OFFER|REQUEST-ACK)" "$T_DIR/perfdhcp.log" || true
}
t_no_lease_lost_none_doubled() {
	$PY "$top/tests/integration/acks.py" "$T_DIR/replies.pcap" \
		"$T_DIR/leases.json" "$KILL_TIME"
}
t_xdp_renewed_while_daemon_down() {
	echo "renewals answered by XDP in the 3 s the daemon was down: $renew_while_down"
	[ "$renew_while_down" -gt 0 ] || fail "no renewal answered while the daemon was down"
}

# perfdhcp's requests come from a kernel UDP socket: on veth such a frame
# has little tailroom, and the reply must grow at the head instead.
t_replies_always_fit() {
	echo "renewals answered by XDP: $xdp_renewals; resize failures: $adjust_fails"
	[ "$adjust_fails" -eq 0 ] || fail "$adjust_fails replies could not be resized"
	[ "$xdp_renewals" -gt 0 ] || fail "no renewal answered by XDP"
}

t_run "perfdhcp load served across a kill -9 and restart" t_load_was_served
t_run "every lease ACKed before the kill is in the DB; no address ACKed twice" t_no_lease_lost_none_doubled
t_run "XDP kept answering renewals while the daemon was down" t_xdp_renewed_while_daemon_down
t_run "XDP fits every reply in the frame (tail or head room)" t_replies_always_fit
t_summary
