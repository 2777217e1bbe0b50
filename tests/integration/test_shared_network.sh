#!/usr/bin/env bash
# A shared network (Kea's shared-networks) against `dhcpxdp run` in a
# network-namespace lab (scripts/lab.sh): two subnets on one link, the
# first with two addresses. New clients fill the first subnet, then a
# real dhclient gets an address, router and timers from the second; with
# the daemon stopped (SIGSTOP), dhclient's own renewal and a reboot of
# that lease are answered by XDP from the second subnet; the lease stays
# in its subnet.
# Usage: tests/integration/test_shared_network.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
N_TESTS=3

[ "$(id -u)" -eq 0 ] || t_skip_all "needs root (netns, XDP)" $N_TESTS
command -v dhclient >/dev/null || t_skip_all "dhclient missing (scripts/deps.sh test)" $N_TESTS
/usr/bin/python3 -c 'import scapy' 2>/dev/null || t_skip_all "python3-scapy missing (scripts/deps.sh test)" $N_TESTS

DHCPXDP=$out/dhcpxdp
lab_up sn dxn $N_TESTS
PY=/usr/bin/python3
CFG=$T_DIR/dhcpxdp.json
MAC_C=02:cc:00:00:00:03 # dhclient, in the second subnet

# The server is also the second subnet's router, through which a client
# there reaches the server identifier (10.77.0.1) to renew.
srv ip addr add 10.78.0.1/24 dev "$SRV_IF"

cat >"$CFG" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$SRV_IF" ] },
  "valid-lifetime": 20, "renew-timer": 4, "rebind-timer": 15,
  "lease-database": { "type": "sqlite", "name": "$T_DIR/leases.sqlite3" },
  "control-socket": { "socket-type": "unix", "socket-name": "$T_DIR/control.sock" },
  "option-data": [ { "name": "domain-name-servers", "data": "10.77.0.53" } ],
  "shared-networks": [ { "name": "edge", "interface": "$SRV_IF",
    "option-data": [ { "name": "domain-name", "data": "edge.dhcpxdp" } ],
    "subnet4": [
      { "id": 1, "subnet": "10.77.0.0/24",
        "pools": [ { "pool": "10.77.0.100 - 10.77.0.101" } ],
        "option-data": [ { "name": "routers", "data": "10.77.0.1" } ] },
      { "id": 2, "subnet": "10.78.0.0/24",
        "pools": [ { "pool": "10.78.0.100 - 10.78.0.199" } ],
        "option-data": [ { "name": "routers", "data": "10.78.0.1" } ] } ] } ],
  "dhcpxdp": { "pin-dir": "$PIN_DIR" }
} }
JSON
daemon_start || t_fail_all "the daemon did not start" $N_TESTS

client() { cli $PY "$top/tests/integration/dhcp_client.py" "$CLI_IF" "$@"; }
srv_mac() { srv cat "/sys/class/net/$SRV_IF/address"; }
lease_json() { "$DHCPXDP" leases -c "$CFG" --json; }

t_fill_then_second_subnet() {
	local a b l=$T_DIR/dhc.leases
	a=$(client dora 02:aa:00:00:00:01) || fail "no lease for the first client"
	b=$(client dora 02:aa:00:00:00:02) || fail "no lease for the second client"
	[ "$a $b" = "10.77.0.100 10.77.0.101" ] || fail "first subnet: got $a $b"
	cli ip link set dev "$CLI_IF" address $MAC_C
	cli timeout 30 dhclient -1 -v -lf "$l" -pf "$T_DIR/dhc.pid" \
		"$CLI_IF" >"$T_DIR/dhc.log" 2>&1 || fail "dhclient: $(cat "$T_DIR/dhc.log")"
	grep -q "fixed-address 10.78.0.100;" "$l" || fail "address: $(cat "$l")"
	grep -q "option routers 10.78.0.1;" "$l" || fail "router: $(cat "$l")"
	grep -q 'option domain-name "edge.dhcpxdp";' "$l" || fail "network's option: $(cat "$l")"
	grep -q "option domain-name-servers 10.77.0.53;" "$l" || fail "global option: $(cat "$l")"
	grep -q "option dhcp-server-identifier 10.77.0.1;" "$l" || fail "server id: $(cat "$l")"
}

t_renewal_in_xdp_daemon_stopped() {
	local acks0 r
	kill -STOP "$DAEMON_PID"
	acks0=$(xdp_stat ack_renewal)
	# dhclient renews at T1 (4 s), unicast to 10.77.0.1 through its
	# router 10.78.0.1.
	wait_until 15 xdp_stat_above ack_renewal "$acks0" ||
		fail "dhclient's renewal not answered by XDP (ack_renewal $acks0)"
	acks0=$(xdp_stat ack_renewal)
	r=$(client init-reboot $MAC_C 10.78.0.100) || fail "no answer to the reboot"
	[ "$r" = "ack 10.78.0.100" ] || fail "reboot: $r"
	[ "$(xdp_stat ack_renewal)" -gt "$acks0" ] || fail "the reboot was not answered by XDP"
	kill -CONT "$DAEMON_PID"
}

t_lease_stays_in_its_subnet() {
	wait_until 10 sh -c "'$DHCPXDP' leases -c '$CFG' --json | grep -q '\"address\": \"10.78.0.100\"'" ||
		fail "no lease row: $(lease_json)"
	lease_json | $PY -c '
import json, sys
rows = {l["address"]: l for l in json.load(sys.stdin)}
l = rows["10.78.0.100"]
assert l["subnet-id"] == 2 and l["state"] == "active", l
assert rows["10.77.0.100"]["subnet-id"] == 1, rows' || fail "leases: $(lease_json)"
	"$DHCPXDP" status -c "$CFG" --json | $PY -c '
import json, sys
subs = {s["id"]: s for s in json.load(sys.stdin)["subnets"]}
assert subs[1]["shared-network"] == "edge" and subs[2]["shared-network"] == "edge", subs
assert subs[1]["pool"]["free"] == 0 and subs[2]["pool"]["used"] == 1, subs' ||
		fail "status: $("$DHCPXDP" status -c "$CFG" --json)"
	"$DHCPXDP" status -c "$CFG" | grep -Eq "^ +2 10\.78\.0\.0/24 .* edge$" ||
		fail "status table: $("$DHCPXDP" status -c "$CFG")"
}

t_run "new clients fill the first subnet, then the second" t_fill_then_second_subnet
t_run "renewal and reboot in the second subnet answered by XDP, daemon stopped" t_renewal_in_xdp_daemon_stopped
t_run "the lease stays in its subnet; status names the network" t_lease_stays_in_its_subnet
t_summary
