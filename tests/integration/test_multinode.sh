#!/usr/bin/env bash
# Two dhcpxdp servers on one PostgreSQL lease database (docs/design.md,
# "Several nodes on one PostgreSQL"): a throwaway server (pgsql_lib.sh),
# nodes A and B in namespaces of their own, bridged (veth pairs into a
# bridge in a third namespace) to one client segment, with the same
# subnet and pool (20 addresses) and different server addresses. Every
# address ACKed goes to one client only (captured ACKs against the rows);
# each node's engine counts the other's grants; a lease A granted is
# renewed by B's XDP while A is stopped; a grant that loses its row in
# the database is NAKed; with the pool used up through A, B grants
# nothing; kill -9 of a node under load ACKs no address twice.
# Usage: tests/integration/test_multinode.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
. "$top/tests/integration/pgsql_lib.sh"
. "$top/tests/integration/twonode_lib.sh"
N_TESTS=9

[ "$(id -u)" -eq 0 ] || t_skip_all "needs root (netns, XDP, runuser)" $N_TESTS
pg_available || t_skip_all "PostgreSQL's programs are not in $PG_BIN (scripts/deps.sh test: postgresql-15)" $N_TESTS
for tool in tcpdump; do
	command -v $tool >/dev/null || t_skip_all "$tool is not installed (scripts/deps.sh test)" $N_TESTS
done
/usr/bin/python3 -c 'import scapy' 2>/dev/null || t_skip_all "python3-scapy is not installed" $N_TESTS

DHCPXDP=$out/dhcpxdp
T_DIR=$(mktemp -d /tmp/dhcpxdp-multinode-XXXXXX)
trap topo_cleanup EXIT
[ -n "${KEEP:-}" ] && trap - EXIT
topo_up || t_fail_all "cannot build the namespaces" $N_TESTS
pg_up || t_fail_all "cannot start PostgreSQL: $(cat "$PG_DIR"/*.log 2>/dev/null)" $N_TESTS
MAC_A=$(node_mac a)
MAC_B=$(node_mac b)

# config NODE: the same for both but the interface, pins and socket.
config() {
	cat >"$T_DIR/$1.json" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$P$1" ] },
  "valid-lifetime": 600, "renew-timer": 300, "rebind-timer": 500,
  "lease-database": { "type": "postgresql", "name": "dhcpxdp",
    "host": "$PG_DIR", "user": "dhcpxdp", "connect-timeout": 2,
    "max-reconnect-tries": 100, "reconnect-wait-time": 200,
    "on-fail": "serve-retry-continue" },
  "control-socket": { "socket-type": "unix", "socket-name": "$T_DIR/$1.sock" },
  "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24", "interface": "$P$1",
    "pools": [ { "pool": "10.77.0.10 - 10.77.0.29" } ] } ],
  "dhcpxdp": { "pin-dir": "$T_DIR/bpffs/$1" }
} }
JSON
}
config a
config b
"$DHCPXDP" db init -c "$T_DIR/a.json" || t_fail_all "db init failed" $N_TESTS

mac_n() { printf '02:dd:00:00:%02x:%02x' "$1" "$2"; }

node_start a || t_fail_all "node A did not start" $N_TESTS
node_start b || t_fail_all "node B did not start" $N_TESTS
capture "$T_DIR/phase1.pcap"

t_doras_unique() {
	local i s a all=
	for i in 1 2 3 4 5 6; do
		[ $i -le 3 ] && s=$IP_A || s=$IP_B
		a=$(dora "$(mac_n 1 $i)" $s) || fail "client $i got no ACK from $s"
		echo "client $i: $a from $s"
		[ "$(addr_of "$(mac_n 1 $i)")" = "$a" ] || fail "client $i's row is not $a"
		all="$all $a"
	done
	[ "$(tr ' ' '\n' <<<"$all" | sed '/^$/d' | sort | uniq -d)" = "" ] || fail "an address twice:$all"
	[ "$(active_rows)" = 6 ] || fail "$(active_rows) ACTIVE rows, not 6"
}

# The bound is a notification (at once) or the resync (30 s).
t_each_node_counts_the_others() {
	wait_until 35 leases_in a 6 || fail "A's engine: $(json_of a "j['subnets'][0]")"
	wait_until 35 leases_in b 6 || fail "B's engine: $(json_of b "j['subnets'][0]")"
	json_of a "j['subnets'][0]['pool']"
	json_of b "j['counters']['peer-rows']"
	[ "$(json_of b "j['counters']['peer-rows']")" -ge 3 ] || fail "B took in no row of A's"
}

t_b_xdp_renews_a_grant() {
	local mac a before type
	mac=$(mac_n 1 1)
	a=$(addr_of "$mac")
	before=$(xdp_renewals "$NS_B" "$T_DIR/bpffs/b")
	kill -STOP "$PID_A"
	type=$(cli timeout 20 $PY "$top/tests/integration/dhcp_client.py" "${P}c" renew "$mac" "$a" $IP_B "$MAC_B")
	kill -CONT "$PID_A"
	echo "renewal of $a (granted by A) sent to B: message type $type"
	[ "$type" = 5 ] || fail "no ACK from B"
	[ "$(xdp_renewals "$NS_B" "$T_DIR/bpffs/b")" -gt "$before" ] || fail "B's ACK was not XDP's"
}

# A row another server wrote whose notification B never saw (the trigger
# off for it): B's engine offers the address as free, the database
# refuses B's grant, the client is NAKed, and its next DORA gets another.
t_lost_claim_naked() {
	local mac a r lost
	mac=$(mac_n 2 1)
	lost=$(json_of b "j['counters']['claims-lost']")
	pg_sql "ALTER TABLE dhcpxdp_lease4 DISABLE TRIGGER dhcpxdp_lease4_notify;
		INSERT INTO dhcpxdp_lease4 (subnet_id, addr, mac, state, expires, horizon, last_seen)
		VALUES (1, $(((10 << 24) + (77 << 16) + 25)), '\\x02dd0000ffff', 1,
			extract(epoch from now())::bigint + 600, extract(epoch from now())::bigint + 1200,
			extract(epoch from now())::bigint);
		ALTER TABLE dhcpxdp_lease4 ENABLE TRIGGER dhcpxdp_lease4_notify" || fail "cannot write the row"
	r=$(select_req "$mac" 10.77.0.25 $IP_B) || fail "no answer from B"
	echo "REQUEST for 10.77.0.25 to B: $r"
	[ "$r" = nak ] || fail "B did not NAK"
	[ "$(json_of b "j['counters']['claims-lost']")" -gt "$lost" ] || fail "claims-lost did not move"
	grep -m1 "10.77.0.25 lost to another server" "$T_DIR/b.log" || fail "no log line"
	[ "$(pg_sql "SELECT encode(mac, 'hex') FROM dhcpxdp_lease4 WHERE addr = $(((10 << 24) + (77 << 16) + 25))")" = 02dd0000ffff ] ||
		fail "the row changed hands"
	a=$(dora "$mac" $IP_B) || fail "no ACK after the NAK"
	echo "then: $a"
	[ "$a" != 10.77.0.25 ] || fail "got the other client's address"
}

t_pool_exhausted_other_grants_nothing() {
	local i a n=0
	for i in $(seq 1 20); do
		a=$(dora "$(mac_n 3 $i)" $IP_A) || break
		n=$((n + 1))
	done
	echo "A granted $n more; ACTIVE rows: $(active_rows)"
	[ "$(active_rows)" = 20 ] || fail "the pool is not used up"
	dora "$(mac_n 4 1)" $IP_B && fail "B granted from a used-up pool"
	dora "$(mac_n 4 2)" $IP_A && fail "A granted from a used-up pool"
	return 0
}

t_phase1_no_double_ack() {
	"$DHCPXDP" leases -c "$T_DIR/a.json" --json >"$T_DIR/leases1.json" || fail "leases"
	$PY "$top/tests/integration/acks.py" "$T_DIR/phase1.pcap" "$T_DIR/leases1.json" 0
}

t_run "DORAs through A and through B: distinct addresses, one row each" t_doras_unique
t_run "each node's engine counts the other's grants (bound: 30 s)" t_each_node_counts_the_others
t_run "a lease A granted is renewed by B's XDP while A is stopped" t_b_xdp_renews_a_grant
t_run "a grant the database refuses (another's row) is NAKed; the next DORA gets another address" t_lost_claim_naked
t_run "pool used up through A: B grants nothing" t_pool_exhausted_other_grants_nothing
capture_stop
t_run "no address ACKed to two clients (captured ACKs, rows)" t_phase1_no_double_ack

# Under load: clients race through both nodes; A is killed -9 in the
# middle and started again.
# The pool freed through A (lease4-del): B hears of every delete.
t_deletes_reach_the_other() {
	local a
	for a in $(pg_sql "SELECT (addr >> 24) || '.' || (addr >> 16 & 255) || '.' || (addr >> 8 & 255) || '.' || (addr & 255) FROM dhcpxdp_lease4 WHERE state = 1"); do
		"$DHCPXDP" leases -c "$T_DIR/a.json" --delete "$a" >/dev/null || fail "cannot delete $a"
	done
	[ "$(active_rows)" = 0 ] || fail "$(active_rows) rows left"
	wait_until 35 leases_in b 0 || fail "B's engine: $(json_of b "j['subnets'][0]")"
	json_of b "j['subnets'][0]['pool']"
}
t_run "leases deleted through A are free on B too" t_deletes_reach_the_other
capture "$T_DIR/phase2.pcap"
# 12 clients at once, half through each node, racing for the same
# free addresses (both nodes offer in the same order).
LOAD_PIDS=
for i in $(seq 1 12); do
	[ $((i % 2)) = 0 ] && s=$IP_A || s=$IP_B
	dora "$(mac_n 5 $i)" $s >"$T_DIR/load.$i" 2>/dev/null &
	LOAD_PIDS="$LOAD_PIDS $!"
done
# Killed once the first client holds its lease, the others under way.
wait_until 30 sh -c "cat $T_DIR/load.[0-9]* | grep -q ." || echo "no ACK within 30 s of load"
KILL_TIME=$(date +%s.%N)
kill -9 "$PID_A"
wait "$PID_A" 2>/dev/null
PID_A=
node_start a || t_fail_all "node A did not start after kill -9" 3
wait $LOAD_PIDS
capture_stop
"$DHCPXDP" leases -c "$T_DIR/b.json" --json >"$T_DIR/leases2.json"

t_load_served() {
	local served
	served=$(cat "$T_DIR"/load.* | grep -c .)
	echo "clients served: $served of 12"
	[ "$served" -gt 0 ] || { tail -n 5 "$T_DIR/b.log"; fail "no client was served"; }
	echo "ACTIVE rows: $(active_rows); lost claims: A $(json_of a "j['counters']['claims-lost']"), B $(json_of b "j['counters']['claims-lost']")"
}
t_kill_no_double_ack() {
	$PY "$top/tests/integration/acks.py" "$T_DIR/phase2.pcap" "$T_DIR/leases2.json" "$KILL_TIME"
}
t_run "load through both nodes with A killed -9: clients served" t_load_served
t_run "kill -9 under load: no address ACKed twice, every ACK before it durable" t_kill_no_double_ack
node_stop a
node_stop b
t_summary
