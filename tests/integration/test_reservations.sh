#!/usr/bin/env bash
# Run-time reservations and lease4-del against `dhcpxdp run` in a
# network-namespace lab (scripts/lab.sh; docs/control.md): a reservation
# added with `dhcpxdp reservations add` is persisted in reservations.json
# beside the lease database and answered by XDP at once, survives a
# restart, is refused when it conflicts, and once deleted the client gets
# a pool address again; `dhcpxdp leases --delete` frees an address at once.
# Usage: tests/integration/test_reservations.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
N_TESTS=9

[ "$(id -u)" -eq 0 ] || t_skip_all "needs root (netns, XDP)" $N_TESTS
/usr/bin/python3 -c 'import scapy' 2>/dev/null || t_skip_all "python3-scapy missing (scripts/deps.sh test)" $N_TESTS

DHCPXDP=$out/dhcpxdp
T_DIR=$(mktemp -d /tmp/dhcpxdp-res-XXXXXX)
PREFIX=dxr$((RANDOM % 10000))
PY=/usr/bin/python3
SOCK=$T_DIR/run/control.sock
CFG=$T_DIR/dhcpxdp.json
STORE=$T_DIR/db/reservations.json
MAC_R=02:ee:00:00:00:01 # reserved at run time
MAC_A=02:aa:00:00:00:01 # a dynamic client

cleanup() {
	daemon_stop
	"$top/scripts/lab.sh" down "$T_DIR" "$PREFIX" 2>/dev/null
	rm -rf "$T_DIR"
}
trap cleanup EXIT

"$top/scripts/lab.sh" up "$T_DIR" "$PREFIX" || t_skip_all "cannot build the lab" $N_TESTS
. "$T_DIR/lab.env"

cat >"$CFG" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$SRV_IF" ] },
  "valid-lifetime": 600,
  "lease-database": { "type": "sqlite", "name": "$T_DIR/db/leases.sqlite3" },
  "control-socket": { "socket-type": "unix", "socket-name": "$SOCK" },
  "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24", "interface": "$SRV_IF",
    "pools": [ { "pool": "10.77.0.100 - 10.77.0.199" } ],
    "option-data": [ { "name": "routers", "data": "10.77.0.1" } ],
    "reservations": [ { "hw-address": "02:dd:00:00:00:01",
                        "ip-address": "10.77.0.50" } ] } ],
  "dhcpxdp": { "pin-dir": "$PIN_DIR" }
} }
JSON
daemon_start || t_fail_all "daemon did not start" $N_TESTS

dx() { "$DHCPXDP" "$@"; }
json_check() {
	$PY -c "import json,sys; j=json.load(sys.stdin); assert $1, json.dumps(j)[:2000]"
}
# dora MAC [REQUESTED-ADDR]: DISCOVER (with option 50 if given), REQUEST;
# prints the ACKed address.
dora() {
	cli $PY -c '
import sys
sys.path.insert(0, sys.argv[1])
from dhcp_client import request, answer, server_id
from scapy.all import BOOTP
iface, mac, want = sys.argv[2], sys.argv[3], sys.argv[4]
opts = [("message-type", "discover")]
if want:
    opts.append(("requested_addr", want))
offer = answer(iface, request(iface, mac, opts), 2)
if not offer:
    sys.exit(1)
addr = offer[BOOTP].yiaddr
ack = answer(iface, request(iface, mac, [("message-type", "request"),
    ("requested_addr", addr), ("server_id", server_id(offer))]), 5)
if not ack:
    sys.exit(1)
print(addr)' "$top/tests/integration" "$CLI_IF" "$1" "${2:-}"
}
daemon_pid() { dx status -c "$CFG" --json | $PY -c 'import json,sys; print(json.load(sys.stdin)["pid"])'; }
no_answer() { ! dx status -c "$CFG" >/dev/null 2>&1; }
hosts() { dx reservations list -c "$CFG" --json; }

t_add_answered_by_xdp() {
	local o offers a
	offers=$(xdp_stat offer)
	o=$(dx reservations add -c "$CFG" --subnet 1 --mac $MAC_R --ip 10.77.0.60) ||
		fail "add exit $?: $o"
	echo "$o" | grep -q "Host added." || fail "add said: $o"
	$PY -c "import json; j=json.load(open('$STORE')); assert j == [{'subnet-id': 1, 'hw-address': '$MAC_R', 'ip-address': '10.77.0.60'}], j" ||
		fail "store: $(cat "$STORE")"
	hosts | json_check "[(h['ip-address'], h['source'], h['fast-path']) for h in j['hosts']] == [('10.77.0.50', 'config', True), ('10.77.0.60', 'runtime', True)]" ||
		fail "list: $(hosts)"
	dx reservations list -c "$CFG" | grep -Eq "^ +1 $MAC_R +10\.77\.0\.60 +- +runtime +xdp$" ||
		fail "table: $(dx reservations list -c "$CFG")"
	a=$(dora $MAC_R) || fail "no lease for $MAC_R"
	[ "$a" = 10.77.0.60 ] || fail "got $a"
	echo "XDP offers: $offers -> $(xdp_stat offer)"
	[ "$(xdp_stat offer)" -gt "$offers" ] || fail "the OFFER did not come from XDP (offer $offers -> $(xdp_stat offer))"
}

t_add_refused() {
	local o rc a
	a=$(dora $MAC_A) || fail "no lease for $MAC_A"
	[ "$a" = 10.77.0.100 ] || fail "dynamic client got $a"
	o=$(dx reservations add -c "$CFG" --subnet 1 --mac 02:ee:00:00:00:02 --ip 10.77.0.100 2>&1)
	rc=$?
	[ $rc -eq 1 ] && echo "$o" | grep -q "10.77.0.100 is leased to $MAC_A" || fail "leased: exit $rc: $o"
	o=$(dx reservations add -c "$CFG" --subnet 1 --mac 02:ee:00:00:00:02 --ip 10.77.0.50 2>&1)
	rc=$?
	[ $rc -eq 1 ] && echo "$o" | grep -q "10.77.0.50 is already reserved in subnet 1 by $CFG" || fail "config address: exit $rc: $o"
	o=$(dx reservations add -c "$CFG" --subnet 1 --mac $MAC_R --ip 10.77.0.61 2>&1)
	rc=$?
	[ $rc -eq 1 ] && echo "$o" | grep -q "this hw-address is already reserved in subnet 1 by the run-time reservation of 10.77.0.60" ||
		fail "same MAC: exit $rc: $o"
	o=$(dx reservations add -c "$CFG" --subnet 1 --mac 02:ee:00:00:00:02 --ip 10.78.0.5 2>&1)
	rc=$?
	[ $rc -eq 1 ] && echo "$o" | grep -q "outside subnet 10.77.0.0/24" || fail "outside: exit $rc: $o"
	o=$(dx reservations add -c "$CFG" --subnet 9 --mac 02:ee:00:00:00:02 --ip 10.77.0.62 2>&1)
	[ $? -eq 1 ] && echo "$o" | grep -q "no subnet with id 9" || fail "subnet: $o"
	o=$(dx reservations del -c "$CFG" --subnet 1 --mac 02:dd:00:00:00:01 2>&1)
	rc=$?
	[ $rc -eq 1 ] && echo "$o" | grep -q "defined in $CFG; edit it and reload" || fail "del config: exit $rc: $o"
	hosts | json_check "len(j['hosts']) == 2" || fail "list changed: $(hosts)"
}

t_restart_keeps_reservation() {
	local offers a
	kill "$(daemon_pid)"
	wait_until 10 no_answer || fail "daemon did not stop"
	: >"$T_DIR/daemon.log"
	daemon_start || fail "restart failed"
	hosts | json_check "[(h['ip-address'], h['source']) for h in j['hosts']] == [('10.77.0.50', 'config'), ('10.77.0.60', 'runtime')]" ||
		fail "list after restart: $(hosts)"
	offers=$(xdp_stat offer)
	a=$(dora $MAC_R) || fail "no lease for $MAC_R"
	[ "$a" = 10.77.0.60 ] || fail "got $a"
	echo "XDP offers: $offers -> $(xdp_stat offer)"
	[ "$(xdp_stat offer)" -gt "$offers" ] || fail "not answered by XDP after the restart"
}

t_reload_keeps_reservation() {
	dx reload -c "$CFG" >/dev/null || fail "reload"
	hosts | json_check "[h['ip-address'] for h in j['hosts']] == ['10.77.0.50', '10.77.0.60']" ||
		fail "list after reload: $(hosts)"
}

t_del_back_to_pool() {
	local o a
	o=$(dx reservations del -c "$CFG" --subnet 1 --mac $MAC_R) || fail "del exit $?: $o"
	echo "$o" | grep -q "Host deleted." || fail "del said: $o"
	$PY -c "import json; assert json.load(open('$STORE')) == []" || fail "store: $(cat "$STORE")"
	hosts | json_check "[h['ip-address'] for h in j['hosts']] == ['10.77.0.50']" || fail "list: $(hosts)"
	a=$(dora $MAC_R) || fail "no lease for $MAC_R"
	echo "after del: $a"
	case $a in
	10.77.0.1[0-9][0-9]) ;;
	*) fail "got $a, not a pool address" ;;
	esac
	o=$(dx reservations del -c "$CFG" --subnet 1 --mac $MAC_R 2>&1)
	echo "$o" | grep -q "not found" || fail "second del: $o"
}

t_del_by_ip() {
	dx reservations add -c "$CFG" --subnet 1 --mac 02:ee:00:00:00:03 --ip 10.77.0.70 --hostname h3 >/dev/null ||
		fail "add"
	hosts | json_check "any(h['ip-address'] == '10.77.0.70' and h['hostname'] == 'h3' and h['fast-path'] is False for h in j['hosts'])" ||
		fail "list: $(hosts)"
	dx reservations del -c "$CFG" --subnet 1 --ip 10.77.0.70 >/dev/null || fail "del by ip"
	hosts | json_check "len(j['hosts']) == 1" || fail "list: $(hosts)"
}

t_lease_delete() {
	local o rc a
	$DHCPXDP leases -c "$CFG" --json | json_check "any(l['address'] == '10.77.0.100' and l['state'] == 'active' for l in j)" ||
		fail "no lease of 10.77.0.100 to delete"
	o=$(dx leases -c "$CFG" --delete 10.77.0.100) || fail "delete exit $?: $o"
	echo "$o" | grep -q "deleted" || fail "delete said: $o"
	$DHCPXDP leases -c "$CFG" --json | json_check "not any(l['address'] == '10.77.0.100' for l in j)" ||
		fail "still listed: $($DHCPXDP leases -c "$CFG" --json)"
	# Free at once, within the old lease's durable horizon.
	a=$(dora 02:aa:00:00:00:09 10.77.0.100) || fail "no lease for the new client"
	[ "$a" = 10.77.0.100 ] || fail "new client got $a, not the freed address"
	o=$(dx leases -c "$CFG" --delete 10.77.0.99 2>&1)
	rc=$?
	[ $rc -eq 1 ] && echo "$o" | grep -q "no lease of 10.77.0.99" || fail "no lease: exit $rc: $o"
	dx leases -c "$CFG" --delete nonsense 2>/dev/null
	[ $? -eq 2 ] || fail "bad address not a usage error"
}

t_store_conflict_refuses_reload() {
	local o rc
	echo '[{"subnet-id": 1, "hw-address": "02:ee:00:00:00:04", "ip-address": "10.77.0.50"}]' >"$STORE"
	o=$(dx reload -c "$CFG" 2>&1)
	rc=$?
	echo '[]' >"$STORE"
	[ $rc -eq 1 ] || fail "exit $rc: $o"
	echo "$o" | grep -q "$STORE: reservations\[0\] (subnet 1, hw-address 02:ee:00:00:00:04): 10.77.0.50 is already reserved" ||
		fail "message: $o"
	dx status -c "$CFG" >/dev/null || fail "daemon gone"
}

# The configuration changes while the daemon is stopped: the reservation
# of 10.77.0.50 goes, and 02:dd:00:00:00:02 is given the address a dynamic
# client holds. Neither may be answered by XDP after the restart: the
# first would hand out an address the configuration no longer reserves,
# the second an address another client holds until its horizon.
t_changed_while_stopped() {
	local held offers a
	held=$(dora 02:aa:00:00:00:0a) || fail "no lease for the holder"
	kill "$(daemon_pid)"
	wait_until 10 no_answer || fail "daemon did not stop"
	sed -i -e 's/"hw-address": "02:dd:00:00:00:01"/"hw-address": "02:dd:00:00:00:02"/' \
		-e "s/\"ip-address\": \"10.77.0.50\"/\"ip-address\": \"$held\"/" "$CFG"
	grep -q "\"$held\"" "$CFG" || fail "config not rewritten"
	: >"$T_DIR/daemon.log"
	daemon_start || fail "restart failed"
	offers=$(xdp_stat offer)
	a=$(dora 02:dd:00:00:00:01) || fail "no lease for the formerly reserved client"
	echo "formerly reserved client: $a"
	[ "$a" != 10.77.0.50 ] || fail "still given the removed reservation"
	a=$(dora 02:dd:00:00:00:02) || fail "no lease for the new reservation's client"
	echo "reserved client while $held is held: $a"
	[ "$a" != "$held" ] || fail "given $held, which another client holds"
	[ "$(xdp_stat offer)" -eq "$offers" ] ||
		fail "XDP answered (offer $offers -> $(xdp_stat offer))"
}

t_run "reservations add: persisted, answered by XDP at once" t_add_answered_by_xdp
t_run "reservations add refuses leased, reserved, outside addresses" t_add_refused
t_run "a run-time reservation survives a restart" t_restart_keeps_reservation
t_run "a run-time reservation survives a reload" t_reload_keeps_reservation
t_run "reservations del: the client gets a pool address" t_del_back_to_pool
t_run "reservations del --ip; a hostname keeps it in the daemon" t_del_by_ip
t_run "leases --delete frees the address at once" t_lease_delete
t_run "a conflicting reservations.json is refused on reload" t_store_conflict_refuses_reload
t_run "reservations changed while stopped are not answered by XDP" t_changed_while_stopped
t_summary
