#!/usr/bin/env bash
# Subnets on VLAN devices over a veth trunk (scripts/lab.sh): the server
# serves an 802.1Q device (${SRV_IF}.100), a QinQ stack (802.1Q 100 on
# 802.1ad 200: ${SRV_IF}.200.100) and the untagged trunk itself, with XDP
# attached once, to the trunk. Real dhclients on VLAN devices of the
# client get leases from their VLAN's subnet; a renewal on the VLAN is
# answered by XDP while the daemon is stopped (SIGSTOP); a unicast request
# tagged with an unserved VLAN is never answered; a VLAN device deleted
# and created again is served again; and, veth passing on the
# tags its sender left in skb metadata, the trunk's untagged network is
# left to the daemon (docs/design.md §1, "VLANs").
# Needs the kernel's 802.1Q support (module 8021q): skipped without it.
# Usage: tests/integration/test_vlan.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
N_TESTS=7

[ "$(id -u)" -eq 0 ] || t_skip_all "needs root (netns, XDP, VLAN devices)" $N_TESTS
for tool in dhclient ethtool; do
	command -v $tool >/dev/null || t_skip_all "$tool missing (scripts/deps.sh test)" $N_TESTS
done
modprobe 8021q 2>/dev/null
ip link add dxvprobe type dummy 2>/dev/null
if ! ip link add link dxvprobe name dxvprobe.1 type vlan id 1 2>/dev/null; then
	ip link del dxvprobe 2>/dev/null
	t_skip_all "this kernel has no 802.1Q VLAN devices (module 8021q)" $N_TESTS
fi
ip link del dxvprobe 2>/dev/null

DHCPXDP=$out/dhcpxdp
T_DIR=$(mktemp -d /tmp/dhcpxdp-it-XXXXXX)
# Short: "${SRV_IF}.200.100" must fit IFNAMSIZ.
PREFIX=dv$((RANDOM % 1000))
PY=/usr/bin/python3

cleanup() {
	[ -n "${DAEMON_PID:-}" ] && kill -CONT "$DAEMON_PID" 2>/dev/null
	daemon_stop
	cli pkill -f "dhclient.*$T_DIR" 2>/dev/null
	"$top/scripts/lab.sh" down "$T_DIR" "$PREFIX" 2>/dev/null
	rm -rf "$T_DIR"
}
trap cleanup EXIT

"$top/scripts/lab.sh" up "$T_DIR" "$PREFIX" || t_fail_all "cannot build the lab" $N_TESTS
. "$T_DIR/lab.env"

V1=$SRV_IF.100     # 802.1Q 100
QQ=$SRV_IF.200.100 # 802.1Q 100 on 802.1ad 200
CV1=$CLI_IF.100
CQQ=$CLI_IF.200.100
lab_vlans() {
	srv ip link add link "$SRV_IF" name "$V1" type vlan id 100 &&
		srv ip link add link "$SRV_IF" name "$SRV_IF.200" type vlan \
			proto 802.1ad id 200 &&
		srv ip link add link "$SRV_IF.200" name "$QQ" type vlan id 100 &&
		srv ip addr add 10.78.100.1/24 dev "$V1" &&
		srv ip addr add 10.78.200.1/24 dev "$QQ" &&
		for d in "$V1" "$SRV_IF.200" "$QQ"; do
			srv ip link set "$d" up || return 1
		done &&
		cli ip link add link "$CLI_IF" name "$CV1" type vlan id 100 &&
		cli ip link add link "$CLI_IF" name "$CLI_IF.200" type vlan \
			proto 802.1ad id 200 &&
		cli ip link add link "$CLI_IF.200" name "$CQQ" type vlan id 100 &&
		for d in "$CV1" "$CLI_IF.200" "$CQQ"; do
			cli ip link set "$d" up || return 1
		done &&
		# A veth hands its peer the tag its VLAN device left in skb
		# metadata, out of XDP's sight: the client's trunk puts the
		# tags in the frames, as a switch port would.
		cli ethtool -K "$CLI_IF" txvlan off tx-vlan-stag-hw-insert off
}
lab_vlans >"$T_DIR/lab.log" 2>&1 ||
	t_fail_all "cannot build the VLAN devices: $(cat "$T_DIR/lab.log")" $N_TESTS

cat >"$T_DIR/dhcpxdp.json" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$SRV_IF", "$V1", "$QQ" ] },
  "valid-lifetime": 60, "renew-timer": 4, "rebind-timer": 15,
  "lease-database": { "type": "sqlite", "name": "$T_DIR/leases.sqlite3" },
  "subnet4": [
    { "id": 1, "subnet": "10.77.0.0/24", "interface": "$SRV_IF",
      "pools": [ { "pool": "10.77.0.100 - 10.77.0.199" } ] },
    { "id": 2, "subnet": "10.78.100.0/24", "interface": "$V1",
      "pools": [ { "pool": "10.78.100.100 - 10.78.100.199" } ],
      "option-data": [ { "name": "routers", "data": "10.78.100.1" } ] },
    { "id": 3, "subnet": "10.78.200.0/24", "interface": "$QQ",
      "pools": [ { "pool": "10.78.200.100 - 10.78.200.199" } ] } ],
  "control-socket": { "socket-type": "unix", "socket-name": "$T_DIR/control.sock" },
  "dhcpxdp": { "pin-dir": "$PIN_DIR" }
} }
JSON
daemon_start || t_fail_all "the daemon did not start" $N_TESTS

dhclient_run() { # NAME IFACE
	cli timeout 30 dhclient -1 -v -lf "$T_DIR/$1.leases" -pf "$T_DIR/$1.pid" \
		"$2" >"$T_DIR/$1.log" 2>&1
}
srv_mac() { srv cat "/sys/class/net/$SRV_IF/address"; }
leased() { grep -o "fixed-address [0-9.]*" "$T_DIR/$1.leases" | tail -1 | awk '{print $2}'; }

t_served_on_lower() {
	grep -q "serving $V1 (ifindex [0-9]*, on $SRV_IF VLAN 100," "$T_DIR/daemon.log" ||
		fail "no serving line for $V1: $(grep serving "$T_DIR/daemon.log")"
	grep -q "serving $QQ (ifindex [0-9]*, on $SRV_IF S-VLAN 200 VLAN 100," "$T_DIR/daemon.log" ||
		fail "no serving line for $QQ: $(grep serving "$T_DIR/daemon.log")"
	srv ip -d link show dev "$SRV_IF" | grep -q "xdp" || fail "XDP not on $SRV_IF"
	for d in "$V1" "$QQ"; do
		! srv ip -d link show dev "$d" | grep -q "prog/xdp" ||
			fail "XDP attached to the VLAN device $d"
	done
	# status names each VLAN's network and the lower device's XDP
	local st
	st=$("$DHCPXDP" status --json -c "$T_DIR/dhcpxdp.json" | $PY -c "
import json, sys
for i in json.load(sys.stdin)['interfaces']:
    print(i['name'], i.get('lower', '-'), i.get('s-vlan', 0), i.get('vlan', 0), i['attached'])")
	echo "$st" | grep -qx "$V1 $SRV_IF 0 100 True" || fail "status: $st"
	echo "$st" | grep -qx "$QQ $SRV_IF 200 100 True" || fail "status: $st"
	echo "$st" | grep -qx "$SRV_IF - 0 0 True" || fail "status: $st"
	# the CLI: attach goes to the lower device, detach of a VLAN refused
	local o
	o=$(srv "$DHCPXDP" attach "$V1" -c "$T_DIR/dhcpxdp.json" 2>&1)
	echo "$o" | grep -q "attached to $SRV_IF (the lower device of $V1)" ||
		fail "attach $V1: $o"
	! o=$(srv "$DHCPXDP" detach "$V1" -c "$T_DIR/dhcpxdp.json" 2>&1) ||
		fail "detach $V1 succeeded: $o"
	echo "$o" | grep -q "$V1 is a VLAN device; XDP runs on $SRV_IF" ||
		fail "detach $V1: $o"
	srv ip -d link show dev "$SRV_IF" | grep -q "xdp" || fail "XDP gone from $SRV_IF"
	# veth: tags may come in skb metadata, out of XDP's sight
	grep -q "$SRV_IF: VLAN tags may be stripped before XDP sees them" "$T_DIR/daemon.log" ||
		fail "no warning about the untagged network: $(grep -i vlan "$T_DIR/daemon.log")"
}

t_dhclient_vlan() {
	dhclient_run v1 "$CV1" || fail "dhclient: $(cat "$T_DIR/v1.log")"
	grep -Eq "fixed-address 10\.78\.100\.1[0-9][0-9];" "$T_DIR/v1.leases" ||
		fail "address: $(cat "$T_DIR/v1.leases")"
	grep -q "option dhcp-server-identifier 10.78.100.1;" "$T_DIR/v1.leases" ||
		fail "server id: $(cat "$T_DIR/v1.leases")"
	grep -q "option routers 10.78.100.1;" "$T_DIR/v1.leases" || fail "router"
	cli ip -4 addr show dev "$CV1" | grep -q "inet 10.78.100.1[0-9][0-9]/24" ||
		fail "address not configured on $CV1"
}

t_dhclient_qinq() {
	dhclient_run qq "$CQQ" || fail "dhclient: $(cat "$T_DIR/qq.log")"
	grep -Eq "fixed-address 10\.78\.200\.1[0-9][0-9];" "$T_DIR/qq.leases" ||
		fail "address: $(cat "$T_DIR/qq.leases")"
	grep -q "option dhcp-server-identifier 10.78.200.1;" "$T_DIR/qq.leases" ||
		fail "server id: $(cat "$T_DIR/qq.leases")"
}

# Renewals (T1 4 s) go on while the daemon cannot run: only XDP answers.
# The lease (60 s, horizon 120 s) outlasts the stop by far, also under
# TCG in the VMs, where dhclient's retransmissions are slow.
t_renewal_by_xdp_daemon_stopped() {
	local acks0 n0 n1
	n0=$(grep -c "fixed-address" "$T_DIR/v1.leases")
	acks0=$(xdp_stat ack_renewal)
	kill -STOP "$DAEMON_PID"
	wait_until 15 xdp_stat_above ack_renewal "$acks0"
	local moved=$?
	n1=$(grep -c "fixed-address" "$T_DIR/v1.leases")
	kill -CONT "$DAEMON_PID"
	[ $moved -eq 0 ] || fail "no renewal answered by XDP (ack_renewal $acks0)"
	wait_until 20 sh -c "[ \$(grep -c fixed-address '$T_DIR/v1.leases') -gt $n0 ]" ||
		fail "dhclient on $CV1 recorded no renewal ($n0, $n1 leases)"
}

# The VLAN-100 client's own renewal, tagged 300: its lease is in the map,
# but VLAN 300 is no network, so neither XDP nor the daemon answers.
t_unserved_vlan_unanswered() {
	local mac addr punts0 got
	mac=$(cli cat "/sys/class/net/$CV1/address")
	addr=$(leased v1)
	punts0=$(xdp_stat punt_no_network)
	got=$(cli "$PY" "$top/tests/integration/dhcp_client.py" "$CLI_IF" renew \
		"$mac" "$addr" 10.78.100.1 "$(srv_mac)" 300)
	[ -z "$got" ] || fail "answered on an unserved VLAN: $got"
	xdp_stat_above punt_no_network "$punts0" ||
		fail "XDP did not pass it up as no network ($punts0)"
	# The same renewal on VLAN 100 is answered: the lease was there.
	got=$(cli "$PY" "$top/tests/integration/dhcp_client.py" "$CLI_IF" renew \
		"$mac" "$addr" 10.78.100.1 "$(srv_mac)" 100)
	[ "$got" = 5 ] || fail "no ACK on VLAN 100: '$got'"
}

# The VLAN device deleted and created again (a new ifindex, same name):
# the daemon stops serving it, then serves it again, its network back in
# XDP; the lower device's XDP stays.
t_vlan_device_recreated() {
	local mac addr got
	mac=$(cli cat "/sys/class/net/$CV1/address")
	addr=$(leased v1)
	srv ip link del "$V1" || fail "cannot delete $V1"
	wait_until 10 grep -q "$V1 is gone" "$T_DIR/daemon.log" ||
		fail "no 'gone' line: $(tail -5 "$T_DIR/daemon.log")"
	srv ip link add link "$SRV_IF" name "$V1" type vlan id 100 &&
		srv ip addr add 10.78.100.1/24 dev "$V1" &&
		srv ip link set "$V1" up || fail "cannot create $V1 again"
	wait_until 10 grep -q "serving $V1 again (ifindex [0-9]*, on $SRV_IF VLAN 100," "$T_DIR/daemon.log" ||
		fail "not served again: $(tail -5 "$T_DIR/daemon.log")"
	got=$(cli "$PY" "$top/tests/integration/dhcp_client.py" "$CLI_IF" renew \
		"$mac" "$addr" 10.78.100.1 "$(srv_mac)" 100)
	[ "$got" = 5 ] || fail "no ACK on VLAN 100 after re-creation: '$got'"
}

# The untagged network is the daemon's on this trunk: XDP has no network
# for it, the daemon answers.
t_untagged_by_daemon() {
	local punts0
	punts0=$(xdp_stat punt_no_network)
	dhclient_run u "$CLI_IF" || fail "dhclient: $(cat "$T_DIR/u.log")"
	grep -Eq "fixed-address 10\.77\.0\.1[0-9][0-9];" "$T_DIR/u.leases" ||
		fail "address: $(cat "$T_DIR/u.leases")"
	xdp_stat_above punt_no_network "$punts0" ||
		fail "XDP answered on the untagged network"
}

t_run "VLAN devices served on their lower device, XDP there only" t_served_on_lower
t_run "dhclient on an 802.1Q VLAN gets a lease from its subnet" t_dhclient_vlan
t_run "dhclient on QinQ (802.1ad 200, 802.1Q 100) gets a lease from its subnet" t_dhclient_qinq
t_run "a renewal on the VLAN is answered by XDP with the daemon stopped" t_renewal_by_xdp_daemon_stopped
t_run "a unicast renewal tagged with an unserved VLAN is not answered" t_unserved_vlan_unanswered
t_run "a VLAN device deleted and created again is served again" t_vlan_device_recreated
t_run "the untagged network of a veth trunk is answered by the daemon" t_untagged_by_daemon
t_summary
