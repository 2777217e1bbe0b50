#!/usr/bin/env bash
# Reservations from Kea's host database on PostgreSQL (hosts-databases,
# docs/configuration.md): a throwaway server (pgsql_lib.sh) gets Kea's own
# schema from `kea-admin db-init pgsql`; hosts are inserted as Kea's ARM
# ("Host Reservations in a Database") shows. dhclient gets the address,
# host name and option of a host reserved by hw-address, udhcpc those of a
# host reserved by client-id; the DORA and the renewal of a host reserved
# by hw-address with an address only are XDP's (the daemon stopped); a row whose hw-address the file reserves is skipped; a row
# added and `dhcpxdp reload` is served; a schema version dhcpxdp does not
# know refuses the reload; with the server down, a start under
# stop-retry-exit exits naming the database, one under
# serve-retry-continue serves the file's reservations.
# Usage: tests/integration/test_hosts_pgsql.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
. "$top/tests/integration/pgsql_lib.sh"
N_TESTS=8

[ "$(id -u)" -eq 0 ] || t_skip_all "needs root (netns, XDP, runuser)" $N_TESTS
pg_available || t_skip_all "PostgreSQL's programs are not in $PG_BIN (scripts/deps.sh test: postgresql-15)" $N_TESTS
command -v kea-admin >/dev/null && [ -f /usr/share/kea/scripts/pgsql/dhcpdb_create.pgsql ] ||
	t_skip_all "kea-admin or its PostgreSQL scripts missing (scripts/deps.sh test: kea-admin)" $N_TESTS
for tool in dhclient udhcpc; do
	command -v $tool >/dev/null || t_skip_all "$tool missing (scripts/deps.sh test)" $N_TESTS
done
/usr/bin/python3 -c 'import scapy' 2>/dev/null || t_skip_all "python3-scapy missing (scripts/deps.sh test)" $N_TESTS

DHCPXDP=$out/dhcpxdp
PY=/usr/bin/python3
MAC_HW=02:db:00:00:00:01   # reserved by hw-address in the database
MAC_CID=02:db:00:00:00:02  # reserved by client-id 01:MAC in the database
MAC_FILE=02:dd:00:00:00:01 # reserved by the file, and by a database row
MAC_NEW=02:db:00:00:00:03  # added to the database while running
MAC_PLAIN=02:db:00:00:00:04 # address only: XDP answers it

cleanup() {
	cli pkill -f "dhclient.*$T_DIR" 2>/dev/null
	cli pkill -f "udhcpc.*$T_DIR" 2>/dev/null
	lab_cleanup
	pg_down
}
lab_up hostsdb dxh $N_TESTS
trap cleanup EXIT
pg_up || t_fail_all "cannot start PostgreSQL: $(cat "$PG_DIR"/*.log 2>/dev/null)" $N_TESTS
timeout 120 kea-admin db-init pgsql -u dhcpxdp -p unused -n dhcpxdp -h "$PG_DIR" \
	>"$T_DIR/kea-admin.log" 2>&1 ||
	t_fail_all "kea-admin db-init pgsql failed: $(tail -5 "$T_DIR/kea-admin.log")" $N_TESTS
SRV_MAC=$(srv cat "/sys/class/net/$SRV_IF/address")

# config ON-FAIL: the lab's subnet, a reservation in the file, the host
# database; the subnet's DNS server is .53, the hosts' are .54 and .55.
config() {
	cat >"$T_DIR/dhcpxdp.json" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$SRV_IF" ] },
  "valid-lifetime": 600, "renew-timer": 300, "rebind-timer": 500,
  "lease-database": { "type": "sqlite", "name": "$T_DIR/leases.sqlite3" },
  "hosts-databases": [ { "type": "postgresql", "name": "dhcpxdp",
    "host": "$PG_DIR", "user": "dhcpxdp", "connect-timeout": 2,
    "on-fail": "$1" } ],
  "control-socket": { "socket-type": "unix", "socket-name": "$T_DIR/control.sock" },
  "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24", "interface": "$SRV_IF",
    "pools": [ { "pool": "10.77.0.100 - 10.77.0.199" } ],
    "option-data": [ { "name": "routers", "data": "10.77.0.1" },
                     { "name": "domain-name-servers", "data": "10.77.0.53" } ],
    "reservations": [ { "hw-address": "$MAC_FILE", "ip-address": "10.77.0.50" } ] } ],
  "dhcpxdp": { "pin-dir": "$PIN_DIR" }
} }
JSON
}

# host_hw MAC ADDR [HOSTNAME]: a row of hosts reserved by hw-address in
# subnet 1, as Kea's ARM writes it.
host_hw() {
	local name=NULL
	[ -n "${3:-}" ] && name="'$3'"
	pg_sql "INSERT INTO hosts (dhcp_identifier, dhcp_identifier_type,
		dhcp4_subnet_id, ipv4_address, hostname)
	VALUES (DECODE(REPLACE('$1', ':', ''), 'hex'),
		(SELECT type FROM host_identifier_type WHERE name = 'hw-address'),
		1, (SELECT ('$2'::inet - '0.0.0.0'::inet)), $name)"
}
host_id_of() { pg_sql "SELECT host_id FROM hosts WHERE dhcp_identifier = DECODE(REPLACE('$1', ':', ''), 'hex')"; }

config stop-retry-exit
host_hw $MAC_HW 10.77.0.60 dbhost1 >/dev/null &&
	pg_sql "INSERT INTO dhcp4_options (code, value, formatted_value, space,
		persistent, host_id, scope_id)
	VALUES (6, '', '10.77.0.54', 'dhcp4', false, $(host_id_of $MAC_HW),
		(SELECT scope_id FROM dhcp_option_scope WHERE scope_name = 'host'))" &&
	pg_sql "INSERT INTO hosts (dhcp_identifier, dhcp_identifier_type,
		dhcp4_subnet_id, ipv4_address)
	VALUES (DECODE(REPLACE('01:$MAC_CID', ':', ''), 'hex'),
		(SELECT type FROM host_identifier_type WHERE name = 'client-id'),
		1, (SELECT ('10.77.0.61'::inet - '0.0.0.0'::inet)))" &&
	pg_sql "INSERT INTO dhcp4_options (code, value, formatted_value, space,
		persistent, host_id, scope_id)
	VALUES (6, DECODE('0a4d0037', 'hex'), '', 'dhcp4', false,
		$(host_id_of "01:$MAC_CID"),
		(SELECT scope_id FROM dhcp_option_scope WHERE scope_name = 'host'))" &&
	host_hw $MAC_FILE 10.77.0.70 >/dev/null &&
	host_hw $MAC_PLAIN 10.77.0.63 >/dev/null ||
	t_fail_all "cannot insert the hosts" $N_TESTS
daemon_start || t_fail_all "the daemon did not start: $(tail -5 "$T_DIR/daemon.log")" $N_TESTS

set_cli_mac() {
	cli ip addr flush dev "$CLI_IF"
	cli ip link set dev "$CLI_IF" address "$1"
}
dhclient_run() {
	cli timeout 30 dhclient -1 -v -lf "$T_DIR/$1.leases" -pf "$T_DIR/$1.pid" \
		"$CLI_IF" >"$T_DIR/$1.log" 2>&1
}
dora() { cli timeout 20 $PY "$top/tests/integration/dhcp_client.py" "$CLI_IF" dora "$1"; }
renew() {
	cli timeout 20 $PY "$top/tests/integration/dhcp_client.py" "$CLI_IF" \
		renew "$1" "$2" "$SRV_IP" "$SRV_MAC"
}
xdp_acks() { echo $(($(xdp_stat ack_reserved) + $(xdp_stat ack_renewal))); }

t_check_config_without_database() {
	local o
	o=$("$DHCPXDP" check-config -c "$T_DIR/dhcpxdp.json") || fail "check-config: $o"
	echo "$o"
	grep -q "Dhcp4.hosts-databases\[0\]: reservations of database dhcpxdp are loaded at run time" <<<"$o" ||
		fail "check-config does not say the rows are read at run time"
	grep "IPv4 reservations read" "$T_DIR/daemon.log" | grep -q "Dhcp4.hosts-databases\[0\]: 4 IPv4" ||
		fail "no line counting the rows: $(grep -i host "$T_DIR/daemon.log")"
}

t_hw_address_host() {
	local l=$T_DIR/hw.leases
	set_cli_mac $MAC_HW
	dhclient_run hw || fail "dhclient: $(cat "$T_DIR/hw.log")"
	cat "$l"
	grep -q "fixed-address 10.77.0.60;" "$l" || fail "not the database's address"
	grep -q 'option host-name "dbhost1";' "$l" || fail "not the database's host name"
	grep -q "option domain-name-servers 10.77.0.54;" "$l" || fail "not the host's option 6"
	cli dhclient -x -pf "$T_DIR/hw.pid" >/dev/null 2>&1
	return 0
}

# A host with a host name or options of its own is the daemon's, as in the
# file (XDP sends the subnet's options only); one with an address only is
# XDP's, its DORA and its renewal.
t_hw_address_renewal_by_xdp() {
	local acks type a
	a=$(dora $MAC_PLAIN) || fail "no lease for $MAC_PLAIN"
	[ "$a" = 10.77.0.63 ] || fail "got $a, not the database's 10.77.0.63"
	acks=$(xdp_acks)
	kill -STOP "$DAEMON_PID"
	type=$(renew $MAC_PLAIN 10.77.0.63)
	kill -CONT "$DAEMON_PID"
	[ "$type" = 5 ] || fail "renewal answered with '$type', not an ACK (the daemon was stopped)"
	echo "XDP ACKs: $acks -> $(xdp_acks)"
	[ "$(xdp_acks)" -gt "$acks" ] || fail "the ACK was not XDP's"
}

t_client_id_host() {
	set_cli_mac $MAC_CID
	cat >"$T_DIR/udhcpc.sh" <<SH
#!/bin/sh
echo "\$1 ip=\$ip dns=\$dns" >> $T_DIR/udhcpc.events
exit 0
SH
	chmod +x "$T_DIR/udhcpc.sh"
	# busybox sends client-id 01:MAC (RFC 2132 §9.14) by default.
	cli timeout 20 udhcpc -f -q -n -i "$CLI_IF" -s "$T_DIR/udhcpc.sh" -t 5 -T 1 \
		>"$T_DIR/udhcpc.log" 2>&1 || fail "udhcpc: $(cat "$T_DIR/udhcpc.log")"
	cat "$T_DIR/udhcpc.events"
	grep -q "^bound ip=10.77.0.61 dns=10.77.0.55" "$T_DIR/udhcpc.events" ||
		fail "not the client-id host's address and option"
}

t_file_wins_conflict() {
	local a
	grep "skipped" "$T_DIR/daemon.log"
	grep -q "host_id $(host_id_of $MAC_FILE): skipped: hw-address $MAC_FILE is already reserved here" "$T_DIR/daemon.log" ||
		fail "no warning for the conflicting row"
	a=$(dora $MAC_FILE) || fail "no lease for $MAC_FILE"
	[ "$a" = 10.77.0.50 ] || fail "got $a, not the file's 10.77.0.50"
}

t_row_added_then_reload() {
	local a o
	host_hw $MAC_NEW 10.77.0.62 >/dev/null || fail "insert"
	o=$("$DHCPXDP" reload -c "$T_DIR/dhcpxdp.json" 2>&1) || fail "reload: $o"
	a=$(dora $MAC_NEW) || fail "no lease for $MAC_NEW"
	[ "$a" = 10.77.0.62 ] || fail "got $a, not the new row's 10.77.0.62"
}

t_unknown_schema_refused() {
	local o
	pg_sql "UPDATE schema_version SET version = 99" || fail "update"
	o=$("$DHCPXDP" reload -c "$T_DIR/dhcpxdp.json" 2>&1) && fail "reload accepted: $o"
	pg_sql "UPDATE schema_version SET version = 13"
	echo "$o"
	grep "schema version" "$T_DIR/daemon.log" | tail -1
	grep -q "Dhcp4.hosts-databases\[0\]: host database dhcpxdp on PostgreSQL server $PG_DIR: Kea schema version 99.0 is not one dhcpxdp reads (7 to 13; 13 is Kea 2.2's): its hosts table may differ; on-fail is stop-retry-exit: reload refused" "$T_DIR/daemon.log" ||
		fail "no line naming the schema version"
	[ "$(dora $MAC_NEW)" = 10.77.0.62 ] || fail "the previous configuration is not served"
}

t_database_down_at_start() {
	local msg rc
	daemon_stop
	pg_stop fast || fail "cannot stop PostgreSQL"
	msg=$(srv timeout 20 "$DHCPXDP" run -c "$T_DIR/dhcpxdp.json" 2>&1)
	rc=$?
	echo "$msg" | tail -3
	[ $rc -ne 0 ] && [ $rc -ne 124 ] || fail "exit status $rc"
	grep -q "Dhcp4.hosts-databases\[0\]: host database dhcpxdp on PostgreSQL server $PG_DIR: cannot connect: .*; on-fail is stop-retry-exit: not starting" <<<"$msg" ||
		fail "no message naming the database and on-fail"
	config serve-retry-continue
	: >"$T_DIR/daemon.log"
	daemon_start || fail "serve-retry-continue did not start"
	grep -q "on-fail is serve-retry-continue: serving without its reservations" "$T_DIR/daemon.log" ||
		fail "no line saying it serves without the database"
	[ "$(dora $MAC_FILE)" = 10.77.0.50 ] || fail "the file's reservation is not served"
}

t_run "check-config does not need the database; the daemon read 4 rows" t_check_config_without_database
t_run "dhclient: address, host name and option of a hw-address host" t_hw_address_host
t_run "a plain hw-address host's renewal is answered by XDP, the daemon stopped" t_hw_address_renewal_by_xdp
t_run "udhcpc: address and option of a client-id host" t_client_id_host
t_run "a row reserving the file's hw-address is skipped, the file wins" t_file_wins_conflict
t_run "a row added, dhcpxdp reload: served" t_row_added_then_reload
t_run "an unknown Kea schema version: reload refused, still serving" t_unknown_schema_refused
t_run "database down at start: stop-retry-exit exits, serve-retry-continue serves" t_database_down_at_start
t_summary
