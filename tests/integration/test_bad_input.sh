#!/usr/bin/env bash
# Bad input on the wire: malformed frames of every class the XDP table
# test covers are sent at the server. XDP passes them up and counts why;
# the daemon drops them, counts them, and keeps serving a real client.
# Usage: tests/integration/test_bad_input.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
N_TESTS=3

[ "$(id -u)" -eq 0 ] || t_skip_all "needs root (netns, XDP)" $N_TESTS
command -v dhclient >/dev/null || t_skip_all "dhclient missing (scripts/deps.sh test)" $N_TESTS

DHCPXDP=$out/dhcpxdp
T_DIR=$(mktemp -d /tmp/dhcpxdp-bad-XXXXXX)
PREFIX=dxb$((RANDOM % 10000))
PY=/usr/bin/python3

cleanup() {
	daemon_stop
	cli pkill -f "dhclient.*$T_DIR" 2>/dev/null
	"$top/scripts/lab.sh" down "$T_DIR" "$PREFIX" 2>/dev/null
	rm -rf "$T_DIR"
}
trap cleanup EXIT

"$top/scripts/lab.sh" up "$T_DIR" "$PREFIX" || t_fail_all "cannot build the lab" $N_TESTS
. "$T_DIR/lab.env"
cat >"$T_DIR/dhcpxdp.json" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$SRV_IF" ] },
  "valid-lifetime": 600,
  "lease-database": { "type": "sqlite", "name": "$T_DIR/leases.sqlite3" },
  "control-socket": { "socket-type": "unix", "socket-name": "$T_DIR/control.sock" },
  "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24", "interface": "$SRV_IF",
    "pools": [ { "pool": "10.77.0.100 - 10.77.0.199" } ] } ],
  "dhcpxdp": { "pin-dir": "$PIN_DIR" }
} }
JSON
daemon_start || t_fail_all "the daemon did not start" $N_TESTS

daemon_counter() {
	"$DHCPXDP" status --json -c "$T_DIR/dhcpxdp.json" |
		$PY -c "import json,sys; print(json.load(sys.stdin)['counters']['$1'])"
}
xdp_punts() {
	srv "$DHCPXDP" stats --json --pin-dir "$PIN_DIR" |
		$PY -c "import json,sys; d=json.load(sys.stdin); print(sum(v for k,v in d.items() if k.startswith('punt_') and k != 'punt_not_dhcp' and k != 'punt_discover'))"
}

punts0=$(xdp_punts)
csum0=$(xdp_stat punt_bad_ip_csum)
sent=$(cli $PY "$top/tests/integration/bad_frames.py" "$CLI_IF" "")
sleep 1

t_xdp_counts_every_class() {
	local punts
	punts=$(($(xdp_punts) - punts0))
	echo "sent $sent malformed frames; XDP punted $punts with a reason"
	# the fragment and IHL<5 frames never reach the DHCP checks but are
	# counted too (bad_ip, ip_fragment)
	[ "$punts" -ge "$((sent - 1))" ] || fail "only $punts of $sent counted"
	[ "$(xdp_stat punt_bad_ip_csum)" -gt "$csum0" ] ||
		fail "the frame with a bad IPv4 header checksum was not counted"
	srv "$DHCPXDP" stats --pin-dir "$PIN_DIR" | awk '$1 ~ /^punt_/ && $2 != 0'
}

t_daemon_drops_and_counts() {
	local frame dhcp
	wait_until 5 sh -c "[ \$('$DHCPXDP' status --json -c '$T_DIR/dhcpxdp.json' | $PY -c \"import json,sys; c=json.load(sys.stdin)['counters']; print(c['rx-malformed-frames'] + c['rx-malformed-dhcp'])\") -gt 0 ]" ||
		fail "the daemon counted nothing"
	frame=$(daemon_counter rx-malformed-frames)
	dhcp=$(daemon_counter rx-malformed-dhcp)
	echo "daemon: $frame malformed frames, $dhcp malformed DHCP messages dropped"
	kill -0 "$DAEMON_PID" || fail "the daemon died"
}

t_still_serves() {
	cli timeout 30 dhclient -1 -v -lf "$T_DIR/c.leases" -pf "$T_DIR/c.pid" "$CLI_IF" \
		>"$T_DIR/c.log" 2>&1 || fail "dhclient: $(cat "$T_DIR/c.log")"
	grep -q "fixed-address 10.77.0.1" "$T_DIR/c.leases" || fail "no lease"
}

t_run "XDP passes every malformed frame up and counts why" t_xdp_counts_every_class
t_run "the daemon drops and counts them" t_daemon_drops_and_counts
t_run "and keeps serving a real client" t_still_serves
t_summary
