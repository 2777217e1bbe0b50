#!/usr/bin/env bash
# Bad input on the wire: malformed frames of every class the XDP table
# test covers are sent at the server. XDP passes them up and counts why;
# the daemon drops them, counts them, and keeps serving a real client.
# Then requests from a VLAN no subnet is bound to: nothing answers them,
# whatever their ciaddr says (docs/design.md §1).
# Usage: tests/integration/test_bad_input.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
N_TESTS=4

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

# dhcpxdp-statistic-get-all: the engine's drops for reason $1.
engine_drops() {
	ctl_send "$T_DIR/control.sock" '{"command": "dhcpxdp-statistic-get-all"}' |
		$PY -c 'import json, sys; print(json.load(sys.stdin)["arguments"]["drops"][sys.argv[1]])' "$1"
}
engine_drops_above() { [ "$(engine_drops "$1")" -gt "$2" ]; }

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

# RENEWING (unicast, ciaddr set) for a free pool address from a client
# never seen, tagged with VLANs no subnet is bound to: XDP passes it up
# (punt_no_network), the engine drops it (no-subnet) instead of granting
# the address from the untagged subnet and answering on that VLAN.
t_unserved_vlan_ignored() {
	local nonet drops acks type vlan
	local mac=02:bd:00:00:00:10 addr=10.77.0.150 srv_mac
	srv_mac=$(srv cat "/sys/class/net/$SRV_IF/address")
	nonet=$(xdp_stat punt_no_network)
	drops=$(engine_drops no-subnet)
	acks=$(daemon_counter acks)
	for vlan in 10 999; do
		if type=$(cli $PY "$top/tests/integration/dhcp_client.py" \
			"$CLI_IF" renew $mac $addr "$SRV_IP" "$srv_mac" $vlan); then
			fail "VLAN $vlan: answered (message type $type)"
		fi
	done
	wait_until 5 engine_drops_above no-subnet $((drops + 1)) ||
		fail "the engine did not drop both (no-subnet: $drops -> $(engine_drops no-subnet))"
	[ "$(xdp_stat punt_no_network)" -ge $((nonet + 2)) ] ||
		fail "XDP did not count both as punt_no_network"
	[ "$(daemon_counter acks)" -eq "$acks" ] || fail "the daemon ACKed"
	echo "VLANs 10, 999: no reply; punt_no_network and no-subnet +2"
	# The same untagged is answered: the silence above was the rule's.
	type=$(cli $PY "$top/tests/integration/dhcp_client.py" \
		"$CLI_IF" renew $mac $addr "$SRV_IP" "$srv_mac") ||
		fail "untagged: no reply either"
	echo "untagged: message type $type"
	[ "$type" = 5 ] || fail "untagged: not an ACK"
}

t_run "XDP passes every malformed frame up and counts why" t_xdp_counts_every_class
t_run "the daemon drops and counts them" t_daemon_drops_and_counts
t_run "and keeps serving a real client" t_still_serves
t_run "a RENEWING tagged with an unserved VLAN gets no reply" t_unserved_vlan_ignored
t_summary
