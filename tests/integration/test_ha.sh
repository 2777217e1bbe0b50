#!/usr/bin/env bash
# A high-availability pair in Kea's shape (libdhcp_ha.so's parameters,
# docs/configuration.md "High availability") on one PostgreSQL lease
# database, in the two-node lab of twonode_lib.sh: in load-balancing mode
# each server offers only to the clients of its scope (the RFC 3074 hash
# of chaddr); status-get shows the pair; kill -9 of A: B's XDP renews A's
# clients at once, and once A's heartbeat is older than
# max-response-delay B answers A's scope too (the failover time is
# printed); A back: its scope is its own again; A cut off from the
# database grants nothing while B serves its scope. A hot-standby pair:
# the standby offers nothing while the primary beats.
# Usage: tests/integration/test_ha.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
. "$top/tests/integration/pgsql_lib.sh"
. "$top/tests/integration/twonode_lib.sh"
N_TESTS=9

[ "$(id -u)" -eq 0 ] || t_skip_all "needs root (netns, XDP, runuser)" $N_TESTS
pg_available || t_skip_all "PostgreSQL's programs are not in $PG_BIN (scripts/deps.sh test: postgresql-15)" $N_TESTS
$PY -c 'import scapy' 2>/dev/null || t_skip_all "python3-scapy is not installed" $N_TESTS

DHCPXDP=$out/dhcpxdp
T_DIR=$(mktemp -d /tmp/dhcpxdp-ha-XXXXXX)
trap topo_cleanup EXIT
topo_up || t_fail_all "cannot build the namespaces" $N_TESTS
pg_up || t_fail_all "cannot start PostgreSQL: $(cat "$PG_DIR"/*.log 2>/dev/null)" $N_TESTS
MAC_B=$(node_mac b)
BEAT=300 MAX=1500

# A reaches the database through a directory of its own holding a link
# to the server's socket: removing the link cuts A alone off (a
# partition between A and the database, B unharmed).
db_dir() { [ "$1" = a ] && echo "$T_DIR/pga" || echo "$PG_DIR"; }
mkdir -p "$T_DIR/pga"
ln -s "$PG_DIR/.s.PGSQL.5432" "$T_DIR/pga/.s.PGSQL.5432"

ha_config a server1 load-balancing secondary
ha_config b server2 load-balancing secondary
"$DHCPXDP" db init -c "$T_DIR/a.json" || t_fail_all "db init failed" $N_TESTS

# Scopes by the RFC 3074 hash of chaddr (engine/ha_scope.c; the hashes
# are checked in tests/unit/test_engine_ha.c): even, the primary's (A).
A_MACS="02:00:00:00:0a:01 02:00:00:00:0a:02 02:00:00:00:0a:03"
B_MACS="02:00:00:00:0a:05 02:00:00:00:0a:08 02:00:00:00:0a:0a"
offers() { client offers "$1"; }
# ha_state NODE: this server's state and scopes in status-get's shape.
ha_state() {
	json_of "$1" "j['high-availability'][0]['ha-servers']['local']['state'] + ' ' + ','.join(j['high-availability'][0]['ha-servers']['local']['scopes'])"
}

node_start a || t_fail_all "node A did not start" $N_TESTS
node_start b || t_fail_all "node B did not start" $N_TESTS

t_split() {
	local m o
	for m in $A_MACS; do
		o=$(offers "$m")
		echo "$m: offers from [$o]"
		[ "$o" = "$IP_A" ] || fail "$m is A's alone"
	done
	for m in $B_MACS; do
		o=$(offers "$m")
		echo "$m: offers from [$o]"
		[ "$o" = "$IP_B" ] || fail "$m is B's alone"
	done
	dora 02:00:00:00:0a:01 $IP_A || fail "no lease from A"
}

t_status() {
	wait_until 10 sh -c "[ \"\$(pg_sql 'SELECT count(*) FROM dhcpxdp_ha_heartbeat' 2>/dev/null)\" = 2 ]" 2>/dev/null
	status_of b | $PY -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["high-availability"]))'
	[ "$(ha_state a)" = "load-balancing server1" ] || fail "A: $(ha_state a)"
	[ "$(ha_state b)" = "load-balancing server2" ] || fail "B: $(ha_state b)"
	[ "$(pg_sql 'SELECT count(*) FROM dhcpxdp_ha_heartbeat')" = 2 ] || fail "not two heartbeats"
}

# A dies: its client renews through B's XDP before any failover, then B
# takes A's scope once A's heartbeat is MAX ms old.
FAILOVER_MS=
t_failover() {
	local mac=02:00:00:00:0a:01 a before type t0 o
	a=$(addr_of $mac)
	before=$(xdp_renewals "$NS_B" "$T_DIR/bpffs/b")
	kill -9 "$PID_A"
	wait "$PID_A" 2>/dev/null
	PID_A=
	t0=$(date +%s%N)
	type=$(cli timeout 20 $PY "$top/tests/integration/dhcp_client.py" "${P}c" renew "$mac" "$a" $IP_B "$MAC_B")
	echo "renewal of $a (A's client) sent to B right after A died: type $type"
	[ "$type" = 5 ] || fail "no ACK from B"
	[ "$(xdp_renewals "$NS_B" "$T_DIR/bpffs/b")" -gt "$before" ] || fail "B's ACK was not XDP's"
	wait_until 15 sh -c "[ \"\$($DHCPXDP status -c $T_DIR/b.json --json | grep -c partner-down)\" -gt 0 ]" ||
		fail "B never found A down: $(ha_state b)"
	FAILOVER_MS=$((($(date +%s%N) - t0) / 1000000))
	echo "B serves A's scope ${FAILOVER_MS} ms after the kill (heartbeat-delay $BEAT ms, max-response-delay $MAX ms, 1 s tick)"
	[ "$(ha_state b)" = "partner-down server1,server2" ] || fail "B: $(ha_state b)"
	grep -m1 HA_PARTNER_DOWN "$T_DIR/b.log"
	o=$(offers 02:00:00:00:0a:02)
	echo "A's client 0a:02 now: offers from [$o]"
	[ "$o" = "$IP_B" ] || fail "B does not answer A's scope"
	dora 02:00:00:00:0a:03 $IP_B || fail "no lease from B for A's client"
}

t_back() {
	local o
	node_start a || fail "A did not start again"
	wait_until 15 sh -c "[ \"\$($DHCPXDP status -c $T_DIR/b.json --json | grep -c partner-down)\" = 0 ]" ||
		fail "B still serves A's scope: $(ha_state b)"
	grep -m1 HA_PARTNER_BACK "$T_DIR/b.log"
	o=$(offers 02:00:00:00:0a:02)
	echo "A's client 0a:02 again: offers from [$o]"
	[ "$o" = "$IP_A" ] || fail "A's scope is not A's alone"
}

# Kea's maintenance, asked of B: B answers both halves at once, A stands
# aside at its next heartbeat; A stopped and started again is back to its
# half (the maintenance is over); asked again and cancelled.
t_maintenance() {
	local o sa sb
	ctl_ok a '{"command": "ha-heartbeat"}' "j['result'] == 0 and j['arguments']['state'] == 'load-balancing' and j['arguments']['scopes'] == ['server1'] and j['arguments']['date-time'].endswith(' GMT') and j['arguments']['unsent-update-count'] == 0" ||
		fail "ha-heartbeat"
	ctl_ok b '{"command": "ha-maintenance-start"}' "j['result'] == 0" || fail "maintenance start"
	[ "$(ha_state b)" = "partner-in-maintenance server1,server2" ] || fail "B: $(ha_state b)"
	wait_until 5 sh -c "$DHCPXDP status -c $T_DIR/a.json --json | grep -q in-maintenance" ||
		fail "A never stood aside: $(ha_state a)"
	echo "A: $(ha_state a)"
	grep -m1 HA_MAINTENANCE_STARTED "$T_DIR/a.log"
	"$DHCPXDP" status -c "$T_DIR/a.json" >"$T_DIR/status.txt"
	grep -E "^(high availability|partner)" "$T_DIR/status.txt"
	grep -q "^high availability (load-balancing): server1 (primary), state in-maintenance, scopes none$" \
		"$T_DIR/status.txt" || fail "dhcpxdp status does not show it"
	o=$(offers 02:00:00:00:0a:02)
	echo "A's client 0a:02 in maintenance: offers from [$o]"
	[ "$o" = "$IP_B" ] || fail "not B alone"
	ctl_ok a '{"command": "ha-maintenance-start"}' "j['result'] == 1" ||
		fail "a server in maintenance started one"
	node_kill a
	node_start a || fail "A did not start again"
	wait_until 10 sh -c "[ \"\$($DHCPXDP status -c $T_DIR/b.json --json | grep -c maintenance)\" = 0 ]" ||
		fail "B still in maintenance: $(ha_state b)"
	wait_until 10 sh -c "$DHCPXDP status -c $T_DIR/b.json --json | grep -q '\"load-balancing\"'" ||
		fail "B: $(ha_state b)"
	echo "after A's restart: A $(ha_state a), B $(ha_state b)"
	[ "$(ha_state a)" = "load-balancing server1" ] || fail "A: $(ha_state a)"
	[ "$(offers 02:00:00:00:0a:02)" = "$IP_A" ] || fail "0a:02 not A's again"
	ctl_ok b '{"command": "ha-maintenance-start"}' "j['result'] == 0" || fail "maintenance start"
	wait_until 5 sh -c "$DHCPXDP status -c $T_DIR/a.json --json | grep -q in-maintenance" ||
		fail "A never stood aside"
	ctl_ok b '{"command": "ha-maintenance-cancel"}' "j['result'] == 0" || fail "cancel"
	ctl_ok b '{"command": "ha-maintenance-cancel"}' "j['result'] == 1" || fail "a second cancel"
	wait_until 5 sh -c "[ \"\$($DHCPXDP status -c $T_DIR/a.json --json | grep -c maintenance)\" = 0 ]" ||
		fail "A still in maintenance: $(ha_state a)"
	[ "$(ha_state a)" = "load-balancing server1" ] || fail "A: $(ha_state a)"
	[ "$(ha_state b)" = "load-balancing server2" ] || fail "B: $(ha_state b)"
	# Both asked at once: the older request wins, one stands aside.
	ctl a '{"command": "ha-maintenance-start"}'
	ctl b '{"command": "ha-maintenance-start"}'
	sleep 2.5
	sa=$(ha_state a) sb=$(ha_state b)
	echo "both asked: A [$sa], B [$sb]"
	case "$sa|$sb" in
	"in-maintenance |partner-in-maintenance server1,server2") ctl_ok b '{"command": "ha-maintenance-cancel"}' "j['result'] == 0" ;;
	"partner-in-maintenance server1,server2|in-maintenance ") ctl_ok a '{"command": "ha-maintenance-cancel"}' "j['result'] == 0" ;;
	*) fail "not one of each" ;;
	esac
	wait_until 5 sh -c "! $DHCPXDP status -c $T_DIR/a.json --json | grep -q maintenance && ! $DHCPXDP status -c $T_DIR/b.json --json | grep -q maintenance" ||
		fail "still in maintenance: A [$(ha_state a)], B [$(ha_state b)]"
	ctl_ok a '{"command": "ha-continue"}' "j['result'] == 0" || fail "ha-continue"
}

# Kea's ha-scopes: what the server answers until its next change of state.
t_scopes() {
	local o
	ctl_ok a '{"command": "ha-scopes", "arguments": {"scopes": ["server1", "HA_server2"]}}' "j['result'] == 0" ||
		fail "ha-scopes"
	o=$(offers 02:00:00:00:0a:05)
	echo "B's client 0a:05, A serving both scopes: offers from [$o]"
	[ "$o" = "$IP_A $IP_B" ] || fail "A does not answer B's scope"
	ctl_ok a '{"command": "ha-scopes", "arguments": {"scopes": []}}' "j['result'] == 0" || fail "no scopes"
	o=$(offers 02:00:00:00:0a:02)
	echo "A's client 0a:02, A serving none: offers from [$o]"
	[ -z "$o" ] || fail "A still answers"
	ctl_ok a '{"command": "ha-scopes", "arguments": {"scopes": ["server9"]}}' "j['result'] == 1 and 'server9' in j['text']" ||
		fail "an unknown scope taken"
	ctl_ok a '{"command": "ha-scopes", "arguments": {"scopes": ["server1"]}}' "j['result'] == 0" || fail "back"
	[ "$(offers 02:00:00:00:0a:02)" = "$IP_A" ] || fail "A's scope not back"
}

# A cut off from the database (its link removed, every session ended):
# A grants nothing, B finds A's heartbeat stale and serves A's scope; no
# address goes to two clients; the link back, A beats and serves again.
t_partition() {
	local r a
	rm "$T_DIR/pga/.s.PGSQL.5432"
	pg_sql "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = 'dhcpxdp' AND pid <> pg_backend_pid()"
	wait_until 15 sh -c "[ \"\$($DHCPXDP status -c $T_DIR/b.json --json | grep -c partner-down)\" -gt 0 ]" ||
		fail "B never found A gone: $(ha_state b)"
	echo "B: $(ha_state b)"
	a=$(dora 02:00:00:00:0a:06 $IP_B) || fail "B leased nothing to A's client"
	echo "A's client 0a:06 got $a from B"
	r=$(select_req 02:00:00:00:0a:07 10.77.0.40 $IP_A)
	echo "A, cut off, to a REQUEST: ${r:-no answer}"
	case $r in ack*) fail "A ACKed without its database" ;; esac
	ln -s "$PG_DIR/.s.PGSQL.5432" "$T_DIR/pga/.s.PGSQL.5432"
	wait_until 20 sh -c "[ \"\$($DHCPXDP status -c $T_DIR/b.json --json | grep -c partner-down)\" = 0 ]" ||
		fail "A never came back: $(ha_state b)"
	a=$(dora 02:00:00:00:0a:07 $IP_A) || fail "A grants nothing after the partition"
	echo "A's client 0a:07 got $a from A again"
}

t_no_double_grant() {
	"$DHCPXDP" leases -c "$T_DIR/b.json" --json >"$T_DIR/leases.json" || fail "leases"
	$PY - "$T_DIR/leases.json" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
rows = rows.get("leases", rows) if isinstance(rows, dict) else rows
addrs = [r.get("address") or r.get("ip-address") for r in rows]
print(len(addrs), "leases:", sorted(a for a in addrs if a))
sys.exit(1 if len(addrs) != len(set(addrs)) else 0)
PY
}

# Every process of a node's namespace (a node started inside t_run's
# subshell leaves no PID here), and its control socket gone.
node_kill() {
	local ns
	[ "$1" = a ] && ns=$NS_A || ns=$NS_B
	ip netns pids "$ns" | xargs -r kill
	wait_until 10 sh -c "[ -z \"\$(ip netns pids $ns)\" ]"
}

t_hot_standby() {
	node_kill a
	node_kill b
	ha_config a server1 hot-standby standby
	ha_config b server2 hot-standby standby
	node_start a || fail "A did not start"
	node_start b || fail "B did not start"
	local m o
	for m in 02:00:00:00:0a:06 02:00:00:00:0a:0c; do
		o=$(offers "$m")
		echo "$m: offers from [$o]"
		[ "$o" = "$IP_A" ] || fail "the primary alone answers in hot-standby"
	done
	[ "$(ha_state b)" = "hot-standby " ] || fail "B: $(ha_state b)"
}

t_run "load-balancing: each server offers to its scope only (RFC 3074 hash)" t_split
t_run "status-get shows the pair in Kea's shape; both heartbeats in the database" t_status
t_run "kill -9 of A: B's XDP renews A's client at once, then B takes A's scope" t_failover
t_run "A back: its scope is its own again" t_back
t_run "Kea's ha-heartbeat and ha-maintenance-start/-cancel: B takes both halves, A stands aside, A's restart ends it" t_maintenance
t_run "Kea's ha-scopes: the scopes set are answered, an unknown one refused" t_scopes
t_run "a partition between A and the database: A grants nothing, B serves its scope" t_partition
t_run "no address leased twice" t_no_double_grant
t_run "hot-standby: the standby offers nothing while the primary beats" t_hot_standby
t_summary
