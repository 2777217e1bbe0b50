#!/usr/bin/env bash
# The PostgreSQL lease store (docs/design.md §5): a throwaway server
# (pgsql_lib.sh), the store's cmocka suite against it, `dhcpxdp db`, the
# configuration's errors, then a real daemon on it in a lab: a DORA's row
# is in PostgreSQL, a restart keeps the lease; with the server stopped no
# new lease is ACKed while an XDP renewal within its horizon still is,
# and grants resume once the server is back; stop-retry-exit exits;
# `leases export` and `leases import` work on it.
# Usage: tests/integration/test_pgsql.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
. "$top/tests/integration/pgsql_lib.sh"
N_TESTS=11 # this file's own; the cmocka suite reports its own

[ "$(id -u)" -eq 0 ] || t_skip_all "needs root (netns, XDP, runuser)" $N_TESTS
pg_available || t_skip_all "PostgreSQL's programs are not in $PG_BIN (scripts/deps.sh test: postgresql-15)" $N_TESTS

DHCPXDP=$out/dhcpxdp
PY=/usr/bin/python3
MAC_A=02:dd:00:00:00:0a
MAC_B=02:dd:00:00:00:0b
MAC_C=02:dd:00:00:00:0c

cleanup() {
	lab_cleanup
	pg_down
}
lab_up pgsql dxp $N_TESTS
trap cleanup EXIT
pg_up || t_fail_all "cannot start PostgreSQL: $(cat "$PG_DIR"/*.log 2>/dev/null)" $N_TESTS
SRV_MAC=$(srv cat "/sys/class/net/$SRV_IF/address")

echo "== the store's unit tests against the server"
DHCPXDP_TEST_PGHOST=$PG_DIR timeout 300 "$out/tests/unit/test_lease_db_pgsql"
pg_sql "DROP TABLE IF EXISTS dhcpxdp_lease4, dhcpxdp_schema, dhcpxdp_ha_heartbeat" >/dev/null

CFG=$T_DIR/dhcpxdp.json
cat >"$CFG" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$SRV_IF" ] },
  "valid-lifetime": 600, "renew-timer": 300, "rebind-timer": 500,
  "lease-database": { "type": "postgresql", "name": "dhcpxdp",
    "host": "$PG_DIR", "user": "dhcpxdp", "connect-timeout": 2,
    "max-reconnect-tries": 300, "reconnect-wait-time": 200,
    "on-fail": "serve-retry-continue" },
  "control-socket": { "socket-type": "unix", "socket-name": "$T_DIR/control.sock" },
  "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24", "interface": "$SRV_IF",
    "pools": [ { "pool": "10.77.0.10 - 10.77.0.50" } ] } ],
  "dhcpxdp": { "pin-dir": "$PIN_DIR" }
} }
JSON

dora() { cli timeout 20 $PY "$top/tests/integration/dhcp_client.py" "$CLI_IF" dora "$1"; }
renew() {
	cli timeout 20 $PY "$top/tests/integration/dhcp_client.py" "$CLI_IF" \
		renew "$1" "$2" "$SRV_IP" "$SRV_MAC"
}
row_of() { pg_sql "SELECT state, subnet_id, addr FROM dhcpxdp_lease4 WHERE mac = '\\x${1//:/}'::bytea"; }
ip_int() { local IFS=.; set -- $1; echo $((($1 << 24) + ($2 << 16) + ($3 << 8) + $4)); }

t_bad_config() {
	local c=$T_DIR/bad.json msg
	check() { # JSON-fragment expected-message
		printf '{ "Dhcp4": { "lease-database": %s } }\n' "$1" >"$c"
		msg=$("$DHCPXDP" check-config -c "$c" 2>&1) && fail "accepted: $1"
		echo "$msg"
		grep -qF "$c: Dhcp4.lease-database.$2" <<<"$msg" || fail "expected '$2' for $1"
	}
	check '{ "type": "mysql", "name": "x" }' "type: 'mysql' is not supported"
	check '{ "type": "postgresql" }' "name: required for \"type\": \"postgresql\""
	check '{ "type": "postgresql", "name": "x", "port": 0 }' "port: 0 is out of range (1 to 65535)"
	check '{ "type": "postgresql", "name": "x", "on-fail": "retry" }' "on-fail: 'retry' is not one of"
}

t_daemon_refuses_without_schema() {
	local msg
	msg=$(srv timeout 20 "$DHCPXDP" run -c "$CFG" 2>&1) && fail "the daemon started"
	echo "$msg" | tail -3
	grep -q "has no dhcpxdp schema: create it with 'dhcpxdp db init -c'" <<<"$msg" ||
		fail "no message naming dhcpxdp db init"
}

t_db_commands() {
	[ "$("$DHCPXDP" db version -c "$CFG")" = 0 ] || fail "version before init is not 0"
	"$DHCPXDP" db init -c "$CFG" || fail "db init failed"
	[ "$("$DHCPXDP" db version -c "$CFG")" = 3 ] || fail "version after init is not 3"
	"$DHCPXDP" db init -c "$CFG" 2>"$T_DIR/init2.err" && fail "a second init passed"
	cat "$T_DIR/init2.err"
	grep -q "already holds the dhcpxdp schema" "$T_DIR/init2.err" || fail "wrong message"
	"$DHCPXDP" db upgrade -c "$CFG" || fail "db upgrade failed"
	pg_sql "SELECT version FROM dhcpxdp_schema"
}

# Schema 1 is schema 3 without the NOTIFY trigger and the heartbeat table
# (lease_db_pgsql_schema.c): made so by hand, with a row in it, `db
# upgrade` takes it to 3, keeps the row, and the trigger notifies.
t_upgrade_from_1() {
	pg_sql "DROP TRIGGER dhcpxdp_lease4_notify ON dhcpxdp_lease4;
		DROP FUNCTION dhcpxdp_lease4_notify();
		DROP TABLE dhcpxdp_ha_heartbeat;
		UPDATE dhcpxdp_schema SET version = 1;
		INSERT INTO dhcpxdp_lease4 (subnet_id, addr, mac, state, expires, horizon, last_seen)
		VALUES (9, 1, '\\x020000000001', 4, 0, 0, 0)" || fail "cannot make schema 1"
	[ "$("$DHCPXDP" db version -c "$CFG")" = 1 ] || fail "not version 1"
	"$DHCPXDP" db upgrade -c "$CFG" || fail "db upgrade failed"
	[ "$("$DHCPXDP" db version -c "$CFG")" = 3 ] || fail "version after upgrade is not 3"
	[ "$(pg_sql "SELECT count(*) FROM dhcpxdp_lease4 WHERE subnet_id = 9")" = 1 ] ||
		fail "the row did not survive the upgrade"
	pg_sql "SELECT count(*) FROM dhcpxdp_ha_heartbeat WHERE maintenance_since IS NULL" >/dev/null ||
		fail "no heartbeat table (schema 3's) after the upgrade"
	pg_sql "SELECT tgname FROM pg_trigger WHERE tgname = 'dhcpxdp_lease4_notify'" |
		grep -q dhcpxdp_lease4_notify || fail "no trigger after the upgrade"
	pg_sql "DELETE FROM dhcpxdp_lease4 WHERE subnet_id = 9"
}

# The daemon starts and stops between the cases, here: a case runs in a
# subshell, which would keep DAEMON_PID to itself.
t_dora_row_in_postgresql() {
	ADDR_A=$(dora $MAC_A) || fail "no ACK for A"
	echo "A: $ADDR_A"
	echo "$ADDR_A" >"$T_DIR/addr_a"
	local row
	row=$(row_of $MAC_A)
	echo "row: $row"
	[ "$row" = "1|1|$(ip_int "$ADDR_A")" ] || fail "A's row is not ACTIVE in subnet 1 at $ADDR_A"
}

t_restart_keeps_lease() {
	local a again
	a=$(cat "$T_DIR/addr_a")
	grep -q "loaded 1 lease rows from lease database dhcpxdp on PostgreSQL" "$T_DIR/daemon.log" ||
		fail "no load line naming the PostgreSQL database"
	"$DHCPXDP" leases -c "$CFG" | tee "$T_DIR/leases.txt"
	grep -q "^$a .*$MAC_A" "$T_DIR/leases.txt" || fail "dhcpxdp leases does not show A"
	again=$(dora $MAC_A) || fail "no ACK for A after the restart"
	[ "$again" = "$a" ] || fail "A got $again after the restart, had $a"
}

t_no_grant_while_down_xdp_renews() {
	local a type acks withheld
	a=$(cat "$T_DIR/addr_a")
	pg_stop fast || fail "cannot stop PostgreSQL"
	acks=$(xdp_stat ack_renewal)
	dora $MAC_B && fail "B got an ACK with the database down"
	type=$(renew $MAC_A "$a") || fail "no reply to A's renewal"
	[ "$type" = 5 ] || fail "A's renewal: message type $type"
	[ "$(xdp_stat ack_renewal)" -gt "$acks" ] || fail "A's renewal was not XDP's"
	withheld=$(grep -c "replies withheld" "$T_DIR/daemon.log")
	[ "$withheld" -gt 0 ] || fail "no failed commit logged"
	grep -m1 "connection lost" "$T_DIR/daemon.log" || fail "no connection-lost line"
	[ -z "$(row_of $MAC_B 2>/dev/null)" ] || fail "B has a row"
}

t_grants_resume() {
	local b
	pg_start || fail "cannot start PostgreSQL again"
	wait_until 15 grep -q "connection restored" "$T_DIR/daemon.log" ||
		fail "no reconnect within 15 s"
	grep -m1 "connection restored" "$T_DIR/daemon.log"
	b=$(dora $MAC_B) || fail "no ACK for B once the database is back"
	echo "B: $b"
	[ -n "$(row_of $MAC_B)" ] || fail "B has no row"
}

t_stop_retry_exit() {
	pg_stop fast || fail "cannot stop PostgreSQL"
	dora $MAC_C && fail "C got an answer with the database down"
	wait_until 20 sh -c "! kill -0 $DAEMON_PID" || fail "the daemon did not exit"
	grep -m1 "on-fail is stop-retry-exit: stopping" "$T_DIR/daemon.log" || fail "no stop line"
	grep -m1 "not started\|exit status" "$T_DIR/daemon.log"
	[ "$(cat "$T_DIR/daemon.rc")" -ne 0 ] 2>/dev/null || fail "the daemon exited 0"
	pg_start || fail "cannot start PostgreSQL again"
}

t_export_from_postgresql() {
	"$DHCPXDP" leases export --format kea-csv -c "$CFG" >"$T_DIR/export.csv" || fail "export failed"
	cat "$T_DIR/export.csv"
	grep -q "$MAC_A" "$T_DIR/export.csv" || fail "A is not exported"
	grep -q "$MAC_B" "$T_DIR/export.csv" || fail "B is not exported"
}

t_import_into_postgresql() {
	local line
	# A's exported lease, moved to another client and address.
	line=$(grep "$MAC_A" "$T_DIR/export.csv" | sed "s/^[^,]*,$MAC_A,/10.77.0.40,02:dd:00:00:00:40,/")
	{ head -n 1 "$T_DIR/export.csv"; echo "$line"; } >"$T_DIR/import.csv"
	"$DHCPXDP" leases import --format kea-csv -c "$CFG" "$T_DIR/import.csv" ||
		fail "import failed"
	[ "$(row_of 02:dd:00:00:00:40)" = "1|1|$(ip_int 10.77.0.40)" ] ||
		fail "the imported lease is not a row in PostgreSQL"
}

t_run "bad lease-database settings fail with file, key and reason" t_bad_config
t_run "the daemon refuses a database without the schema, naming db init" t_daemon_refuses_without_schema
t_run "dhcpxdp db version, init, a second init refused, upgrade" t_db_commands
t_run "dhcpxdp db upgrade takes schema 1 to 3 (the NOTIFY trigger, the heartbeat table), rows kept" t_upgrade_from_1
daemon_start || t_fail_all "the daemon did not start on PostgreSQL" 7
t_run "a DORA's lease is a row in PostgreSQL" t_dora_row_in_postgresql
daemon_stop
daemon_start || t_fail_all "the daemon did not restart on PostgreSQL" 6
t_run "a restart loads the lease from PostgreSQL and keeps its address" t_restart_keeps_lease
t_run "server stopped: no new ACK, an XDP renewal within its horizon still answers" t_no_grant_while_down_xdp_renews
t_run "server back: the daemon reconnects and grants again" t_grants_resume
daemon_stop
sed -i 's/"max-reconnect-tries": 300, "reconnect-wait-time": 200/"max-reconnect-tries": 3, "reconnect-wait-time": 100/; s/serve-retry-continue/stop-retry-exit/' "$CFG"
daemon_start || t_fail_all "the daemon did not start with stop-retry-exit" 3
# Its exit status, kept by a watcher: only this shell may wait for it.
(wait "$DAEMON_PID"; echo $? >"$T_DIR/daemon.rc") &
t_run "stop-retry-exit: no answer while down, exit 1 after max-reconnect-tries" t_stop_retry_exit
DAEMON_PID=
t_run "dhcpxdp leases export reads PostgreSQL" t_export_from_postgresql
t_run "dhcpxdp leases import writes PostgreSQL" t_import_into_postgresql
t_summary
