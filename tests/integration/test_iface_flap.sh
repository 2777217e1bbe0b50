#!/usr/bin/env bash
# Interfaces that go away and come back while `dhcpxdp run` serves them
# (docs/design.md §7): the served veth deleted is logged and no longer
# served; created again under the same name and address it is served
# again without a reload (XDP attached to the new ifindex, the maps'
# network rewritten, a new packet socket), so dhclient gets an address
# and its renewal is answered by XDP; a new address becomes the server
# identifier; a burst of flaps is acted upon once it has settled.
# Usage: tests/integration/test_iface_flap.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
N_TESTS=5

[ "$(id -u)" -eq 0 ] || t_skip_all "needs root (netns, XDP)" $N_TESTS
command -v dhclient >/dev/null || t_skip_all "dhclient missing (scripts/deps.sh test)" $N_TESTS

DHCPXDP=$out/dhcpxdp
T_DIR=$(mktemp -d /tmp/dhcpxdp-fl-XXXXXX)
PREFIX=dxf$((RANDOM % 10000))
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

CFG=$T_DIR/dhcpxdp.json
cat >"$CFG" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$SRV_IF" ] },
  "valid-lifetime": 20, "renew-timer": 4, "rebind-timer": 15,
  "lease-database": { "type": "sqlite", "name": "$T_DIR/leases.sqlite3" },
  "control-socket": { "socket-type": "unix", "socket-name": "$T_DIR/control.sock" },
  "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24", "interface": "$SRV_IF",
    "pools": [ { "pool": "10.77.0.100 - 10.77.0.199" } ] } ],
  "dhcpxdp": { "pin-dir": "$PIN_DIR" }
} }
JSON
daemon_start || t_fail_all "the daemon did not start" $N_TESTS

# The veth pair as scripts/lab.sh makes it; deleting one end deletes both.
veth_create() {
	ip link add "$SRV_IF" netns "$SRV_NS" type veth peer name "$CLI_IF" \
		netns "$CLI_NS" || return 1
	srv ip addr add "${1:-10.77.0.1}/24" dev "$SRV_IF"
	srv ip link set "$SRV_IF" up
	cli ip link set "$CLI_IF" up
	cli ip link set dev "$CLI_IF" xdpdrv obj "$out/xdp_pass.bpf.o" sec xdp
}
srv_ifindex() { srv cat "/sys/class/net/$SRV_IF/ifindex"; }
status_line() { "$DHCPXDP" status -c "$CFG" | grep "^$SRV_IF "; }
log_count() { grep -c -- "$1" "$T_DIR/daemon.log"; }
scapy() { cli $PY "$top/tests/integration/dhcp_client.py" "$CLI_IF" "$@"; }

t_deleted_interface_logged() {
	local old
	old=$(srv_ifindex)
	scapy dora 02:f1:00:00:00:01 >/dev/null || fail "no lease before the flap"
	srv ip link del "$SRV_IF" || fail "cannot delete $SRV_IF"
	wait_until 5 grep -q "WARN .*$SRV_IF is gone (ifindex $old)" "$T_DIR/daemon.log" ||
		fail "no warning: $(tail -5 "$T_DIR/daemon.log")"
	wait_until 5 sh -c "'$DHCPXDP' status -c '$CFG' | grep -q '^$SRV_IF .*NOT SERVED: no such interface'" ||
		fail "status: $(status_line)"
	status_line
	# The daemon keeps running and answers its control socket.
	kill -0 "$DAEMON_PID" || fail "the daemon died"
}

t_recreated_interface_served_again() {
	local new served0
	served0=$(log_count "serving $SRV_IF again")
	veth_create || fail "cannot create the veth again"
	new=$(srv_ifindex)
	wait_until 5 grep -q "serving $SRV_IF again (ifindex $new," "$T_DIR/daemon.log" ||
		fail "not served again: $(tail -5 "$T_DIR/daemon.log")"
	[ "$(log_count "serving $SRV_IF again")" -eq $((served0 + 1)) ] ||
		fail "served again more than once: $(grep "again" "$T_DIR/daemon.log")"
	wait_until 5 sh -c "'$DHCPXDP' status -c '$CFG' | grep -q '^$SRV_IF *$new .*attached (prog'" ||
		fail "status: $(status_line)"
	status_line
	grep -q "reloading" "$T_DIR/daemon.log" && fail "it took a reload"
	return 0
}

t_client_served_after_flap() {
	local acks0 start=$SECONDS
	cli timeout 20 dhclient -1 -v -lf "$T_DIR/dhc.leases" -pf "$T_DIR/dhc.pid" \
		"$CLI_IF" >"$T_DIR/dhc.log" 2>&1 || fail "dhclient: $(cat "$T_DIR/dhc.log")"
	echo "dhclient bound after $((SECONDS - start)) s"
	[ $((SECONDS - start)) -le 10 ] || fail "took $((SECONDS - start)) s"
	grep -Eq "fixed-address 10\.77\.0\.1[0-9][0-9];" "$T_DIR/dhc.leases" ||
		fail "no address: $(cat "$T_DIR/dhc.leases")"
	grep -q "option dhcp-server-identifier 10.77.0.1;" "$T_DIR/dhc.leases" ||
		fail "server id: $(cat "$T_DIR/dhc.leases")"
	# T1 is 4 s: the renewal comes soon, and XDP on the new ifindex,
	# with its network in the maps, answers it.
	acks0=$(xdp_stat ack_renewal)
	wait_until 15 xdp_stat_above ack_renewal "$acks0" ||
		fail "no renewal answered by XDP after the flap"
	cli dhclient -x -pf "$T_DIR/dhc.pid" >/dev/null 2>&1
	cli ip addr flush dev "$CLI_IF"
}

t_new_address_is_server_id() {
	local sid
	srv ip addr del 10.77.0.1/24 dev "$SRV_IF"
	srv ip addr add 10.77.0.2/24 dev "$SRV_IF"
	wait_until 5 grep -q "$SRV_IF: server id 10.77.0.2 (was 10.77.0.1)" "$T_DIR/daemon.log" ||
		fail "no line about the new address: $(tail -5 "$T_DIR/daemon.log")"
	sid=$(scapy offer-from 02:f1:00:00:00:02) || fail "no OFFER"
	[ "$sid" = 10.77.0.2 ] || fail "OFFER from $sid"
	"$DHCPXDP" status -c "$CFG" | grep -q "^$SRV_IF .* 10.77.0.2 " ||
		fail "status: $(status_line)"
	srv ip addr del 10.77.0.2/24 dev "$SRV_IF"
	srv ip addr add 10.77.0.1/24 dev "$SRV_IF"
	wait_until 5 grep -q "$SRV_IF: server id 10.77.0.1 (was 10.77.0.2)" "$T_DIR/daemon.log" ||
		fail "back to 10.77.0.1 not seen"
}

t_burst_of_flaps_settles_once() {
	local served0 n addr
	served0=$(log_count "serving $SRV_IF again")
	for _ in 1 2 3 4 5; do
		srv ip link del "$SRV_IF"
		veth_create || fail "cannot create the veth again"
	done
	wait_until 5 grep -q "serving $SRV_IF again (ifindex $(srv_ifindex)," "$T_DIR/daemon.log" ||
		fail "not served again: $(tail -5 "$T_DIR/daemon.log")"
	sleep 1
	n=$(($(log_count "serving $SRV_IF again") - served0))
	echo "5 flaps, served again $n times"
	[ "$n" -le 2 ] || fail "acted on every flap: $n"
	addr=$(scapy dora 02:f1:00:00:00:03) || fail "no lease after the burst"
	echo "leased $addr"
}

t_run "a deleted interface is logged and shown as not served" t_deleted_interface_logged
t_run "created again: served again without a reload, XDP attached" t_recreated_interface_served_again
t_run "dhclient gets an address after the flap, XDP renews it" t_client_served_after_flap
t_run "a new address becomes the server identifier" t_new_address_is_server_id
t_run "a burst of flaps is acted upon once it settles" t_burst_of_flaps_settles_once
t_summary
