#!/usr/bin/env bash
# Kea's interfaces "*" (docs/configuration.md): every interface that is
# up, not loopback and has an IPv4 address is served, found at start;
# the subnet without "interface" is the one holding the interface's
# address. In the server's namespace: lo, the lab's veth (10.77.0.1/24)
# and a second veth without an address. The first is served and dhclient
# gets an address there; lo and the second are not, and a DISCOVER on the
# second goes unanswered; once the second gets an address of another
# subnet, the link watch reloads and serves it too.
# Usage: tests/integration/test_interfaces_all.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
N_TESTS=4

[ "$(id -u)" -eq 0 ] || t_skip_all "needs root (netns, XDP)" $N_TESTS
command -v dhclient >/dev/null || t_skip_all "dhclient missing (scripts/deps.sh test)" $N_TESTS
/usr/bin/python3 -c 'import scapy' 2>/dev/null ||
	t_skip_all "python3-scapy missing (scripts/deps.sh test)" $N_TESTS

DHCPXDP=$out/dhcpxdp
lab_up ia dxa $N_TESTS
SRV_IF2=${SRV_IF}2
CLI_IF2=${CLI_IF}2

# The second link: up on both ends, no address on the server's.
ip link add "$SRV_IF2" netns "$SRV_NS" type veth peer name "$CLI_IF2" \
	netns "$CLI_NS" || t_fail_all "cannot add the second veth" $N_TESTS
srv ip link set "$SRV_IF2" up
cli ip link set "$CLI_IF2" up
cli ip link set dev "$CLI_IF2" xdpdrv obj "$out/xdp_pass.bpf.o" sec xdp

CFG=$T_DIR/dhcpxdp.json
cat >"$CFG" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "*" ] },
  "valid-lifetime": 600,
  "lease-database": { "type": "sqlite", "name": "$T_DIR/leases.sqlite3" },
  "control-socket": { "socket-type": "unix", "socket-name": "$T_DIR/control.sock" },
  "subnet4": [
    { "id": 1, "subnet": "10.77.0.0/24",
      "pools": [ { "pool": "10.77.0.100 - 10.77.0.199" } ] },
    { "id": 2, "subnet": "10.78.0.0/24",
      "pools": [ { "pool": "10.78.0.100 - 10.78.0.199" } ] } ],
  "dhcpxdp": { "pin-dir": "$PIN_DIR" }
} }
JSON
daemon_start || t_fail_all "the daemon did not start" $N_TESTS

status() { "$DHCPXDP" status -c "$CFG"; }
scapy() { cli /usr/bin/python3 "$top/tests/integration/dhcp_client.py" "$@"; }

t_picked_at_start() {
	grep "interfaces \"\\*\"" "$T_DIR/daemon.log"
	grep -q "interfaces \"\\*\": $SRV_IF\$" "$T_DIR/daemon.log" ||
		fail "not the lab's veth alone: $(grep 'interfaces "' "$T_DIR/daemon.log")"
	grep -q "serving $SRV_IF (.*server id 10.77.0.1, direct subnet)" \
		"$T_DIR/daemon.log" || fail "$(cat "$T_DIR/daemon.log")"
	status | grep -E "^($SRV_IF|$SRV_IF2|lo) "
	status | grep -q "^$SRV_IF " || fail "status: $(status)"
	status | grep -Eq "^($SRV_IF2|lo) " && fail "served more: $(status)"
	"$DHCPXDP" check-config -c "$CFG" | grep -q '^note: interfaces "\*"' ||
		fail "check-config says nothing of \"*\""
	return 0
}

t_client_gets_address() {
	cli timeout 20 dhclient -1 -v -lf "$T_DIR/dhc.leases" -pf "$T_DIR/dhc.pid" \
		"$CLI_IF" >"$T_DIR/dhc.log" 2>&1 || fail "dhclient: $(cat "$T_DIR/dhc.log")"
	grep -Eq "fixed-address 10\.77\.0\.1[0-9][0-9];" "$T_DIR/dhc.leases" ||
		fail "no address: $(cat "$T_DIR/dhc.leases")"
	grep -q "option dhcp-server-identifier 10.77.0.1;" "$T_DIR/dhc.leases" ||
		fail "server id: $(cat "$T_DIR/dhc.leases")"
	cli dhclient -x -pf "$T_DIR/dhc.pid" >/dev/null 2>&1
	return 0
}

t_addressless_not_served() {
	local a
	if a=$(scapy "$CLI_IF2" discover 02:a1:00:00:00:01); then
		fail "offered $a on the link without an address"
	fi
	return 0
}

t_new_address_picked_up() {
	local a
	srv ip addr add 10.78.0.1/24 dev "$SRV_IF2"
	wait_until 10 grep -q "serving $SRV_IF2 (.*server id 10.78.0.1, direct subnet)" \
		"$T_DIR/daemon.log" || fail "not picked up: $(tail -5 "$T_DIR/daemon.log")"
	grep -q "interfaces \"\\*\": $SRV_IF $SRV_IF2\$" "$T_DIR/daemon.log" ||
		fail "$(grep 'interfaces "' "$T_DIR/daemon.log")"
	a=$(scapy "$CLI_IF2" discover 02:a1:00:00:00:02) || fail "no OFFER on $CLI_IF2"
	echo "offered $a on $CLI_IF2"
	case $a in 10.78.0.1[0-9][0-9]) ;; *) fail "offered $a" ;; esac
}

t_run "\"*\": the veth with an address is picked, lo and the other are not" t_picked_at_start
t_run "dhclient gets an address on the picked veth" t_client_gets_address
t_run "the veth without an address is not served" t_addressless_not_served
t_run "an address added later: the link watch serves it (reload)" t_new_address_picked_up
t_summary
