#!/usr/bin/env bash
# Reservations from Kea's host database on MySQL/MariaDB (hosts-databases
# with "type": "mysql", docs/configuration.md): a throwaway MariaDB
# (mysql_lib.sh) gets Kea's own schema from `kea-admin db-init mysql`;
# hosts are inserted as Kea's ARM ("Host Reservations in a Database")
# shows. dhclient gets the address, host name and option of a host
# reserved by hw-address, udhcpc the address and option (raw bytes) of a
# host reserved by client-id; a plain host's renewal is XDP's (the daemon
# stopped); a row added and `dhcpxdp reload` is served; with the server
# down, a start under stop-retry-exit exits naming the database.
# Usage: tests/integration/test_hosts_mysql.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
. "$top/tests/integration/mysql_lib.sh"
N_TESTS=5

[ "$(id -u)" -eq 0 ] || t_skip_all "needs root (netns, XDP, runuser)" $N_TESTS
my_available || t_skip_all "MariaDB's server or client missing (scripts/deps.sh test: mariadb-server, mariadb-client)" $N_TESTS
command -v kea-admin >/dev/null && [ -f /usr/share/kea/scripts/mysql/dhcpdb_create.mysql ] ||
	t_skip_all "kea-admin or its MySQL scripts missing (scripts/deps.sh test: kea-admin)" $N_TESTS
for tool in dhclient udhcpc; do
	command -v $tool >/dev/null || t_skip_all "$tool missing (scripts/deps.sh test)" $N_TESTS
done
/usr/bin/python3 -c 'import scapy' 2>/dev/null || t_skip_all "python3-scapy missing (scripts/deps.sh test)" $N_TESTS

DHCPXDP=$out/dhcpxdp
PY=/usr/bin/python3
MAC_HW=02:db:00:00:00:01    # hw-address, with a host name and an option
MAC_CID=02:db:00:00:00:02   # client-id 01:MAC
MAC_NEW=02:db:00:00:00:03   # added to the database while running
MAC_PLAIN=02:db:00:00:00:04 # address only: XDP answers it

cleanup() {
	cli pkill -f "dhclient.*$T_DIR" 2>/dev/null
	lab_cleanup
	my_down
}
lab_up hostsmy dxm $N_TESTS
trap cleanup EXIT
my_up || t_fail_all "cannot start MariaDB: $(tail -5 "$MY_DIR"/*.log 2>/dev/null)" $N_TESTS
(cd / && timeout 120 kea-admin db-init mysql -u kea -p kea -n kea -h localhost \
	-x "--socket=$MY_DIR/sock") >"$T_DIR/kea-admin.log" 2>&1 ||
	t_fail_all "kea-admin db-init mysql failed: $(tail -5 "$T_DIR/kea-admin.log")" $N_TESTS
SRV_MAC=$(srv cat "/sys/class/net/$SRV_IF/address")

cat >"$T_DIR/dhcpxdp.json" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$SRV_IF" ] },
  "valid-lifetime": 600, "renew-timer": 300, "rebind-timer": 500,
  "lease-database": { "type": "sqlite", "name": "$T_DIR/leases.sqlite3" },
  "hosts-databases": [ { "type": "mysql", "name": "kea", "host": "$MY_DIR/sock",
    "user": "kea", "password": "kea", "connect-timeout": 2,
    "read-timeout": 10, "write-timeout": 10, "on-fail": "stop-retry-exit" } ],
  "control-socket": { "socket-type": "unix", "socket-name": "$T_DIR/control.sock" },
  "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24", "interface": "$SRV_IF",
    "pools": [ { "pool": "10.77.0.100 - 10.77.0.199" } ],
    "option-data": [ { "name": "routers", "data": "10.77.0.1" },
                     { "name": "domain-name-servers", "data": "10.77.0.53" } ] } ],
  "dhcpxdp": { "pin-dir": "$PIN_DIR" }
} }
JSON

# host IDENTIFIER-HEX TYPE ADDR [HOSTNAME]: a row of hosts in subnet 1.
host() {
	local name=NULL
	[ -n "${4:-}" ] && name="'$4'"
	my_sql "INSERT INTO hosts (dhcp_identifier, dhcp_identifier_type,
		dhcp4_subnet_id, ipv4_address, hostname)
	VALUES (UNHEX(REPLACE('$1', ':', '')),
		(SELECT type FROM host_identifier_type WHERE name = '$2'),
		1, INET_ATON('$3'), $name)"
}
# option IDENTIFIER-HEX VALUE-HEX FORMATTED: option 6 of that host.
option6() {
	my_sql "INSERT INTO dhcp4_options (code, value, formatted_value, space,
		persistent, host_id, scope_id)
	VALUES (6, UNHEX('$2'), '$3', 'dhcp4', 0,
		(SELECT host_id FROM hosts WHERE dhcp_identifier = UNHEX(REPLACE('$1', ':', ''))),
		(SELECT scope_id FROM dhcp_option_scope WHERE scope_name = 'host'))"
}

host $MAC_HW hw-address 10.77.0.60 dbhost1 && option6 $MAC_HW '' 10.77.0.54 &&
	host "01:$MAC_CID" client-id 10.77.0.61 && option6 "01:$MAC_CID" 0a4d0037 '' &&
	host $MAC_PLAIN hw-address 10.77.0.63 ||
	t_fail_all "cannot insert the hosts" $N_TESTS
daemon_start || t_fail_all "the daemon did not start: $(tail -5 "$T_DIR/daemon.log")" $N_TESTS

set_cli_mac() {
	cli ip addr flush dev "$CLI_IF"
	cli ip link set dev "$CLI_IF" address "$1"
}
dora() { cli timeout 20 $PY "$top/tests/integration/dhcp_client.py" "$CLI_IF" dora "$1"; }
renew() {
	cli timeout 20 $PY "$top/tests/integration/dhcp_client.py" "$CLI_IF" \
		renew "$1" "$2" "$SRV_IP" "$SRV_MAC"
}
xdp_acks() { echo $(($(xdp_stat ack_reserved) + $(xdp_stat ack_renewal))); }

t_hw_address_host() {
	local l=$T_DIR/hw.leases
	grep -q "Dhcp4.hosts-databases\[0\]: 3 IPv4 reservations read" "$T_DIR/daemon.log" ||
		fail "no line counting the rows"
	set_cli_mac $MAC_HW
	cli timeout 30 dhclient -1 -v -lf "$l" -pf "$T_DIR/hw.pid" "$CLI_IF" \
		>"$T_DIR/hw.log" 2>&1 || fail "dhclient: $(cat "$T_DIR/hw.log")"
	cat "$l"
	grep -q "fixed-address 10.77.0.60;" "$l" || fail "not the database's address"
	grep -q 'option host-name "dbhost1";' "$l" || fail "not the database's host name"
	grep -q "option domain-name-servers 10.77.0.54;" "$l" || fail "not the host's option 6"
	cli dhclient -x -pf "$T_DIR/hw.pid" >/dev/null 2>&1
	return 0
}

t_client_id_host() {
	set_cli_mac $MAC_CID
	cat >"$T_DIR/udhcpc.sh" <<SH
#!/bin/sh
echo "\$1 ip=\$ip dns=\$dns" >> $T_DIR/udhcpc.events
exit 0
SH
	chmod +x "$T_DIR/udhcpc.sh"
	cli timeout 20 udhcpc -f -q -n -i "$CLI_IF" -s "$T_DIR/udhcpc.sh" -t 5 -T 1 \
		>"$T_DIR/udhcpc.log" 2>&1 || fail "udhcpc: $(cat "$T_DIR/udhcpc.log")"
	cat "$T_DIR/udhcpc.events"
	grep -q "^bound ip=10.77.0.61 dns=10.77.0.55" "$T_DIR/udhcpc.events" ||
		fail "not the client-id host's address and option"
}

t_plain_host_renewal_by_xdp() {
	local acks type a
	a=$(dora $MAC_PLAIN) || fail "no lease for $MAC_PLAIN"
	[ "$a" = 10.77.0.63 ] || fail "got $a, not the database's 10.77.0.63"
	acks=$(xdp_acks)
	kill -STOP "$DAEMON_PID"
	type=$(renew $MAC_PLAIN 10.77.0.63)
	kill -CONT "$DAEMON_PID"
	[ "$type" = 5 ] || fail "renewal answered with '$type', not an ACK (the daemon was stopped)"
	[ "$(xdp_acks)" -gt "$acks" ] || fail "the ACK was not XDP's"
}

t_row_added_then_reload() {
	local a o
	host $MAC_NEW hw-address 10.77.0.62 || fail "insert"
	o=$("$DHCPXDP" reload -c "$T_DIR/dhcpxdp.json" 2>&1) || fail "reload: $o"
	a=$(dora $MAC_NEW) || fail "no lease for $MAC_NEW"
	[ "$a" = 10.77.0.62 ] || fail "got $a, not the new row's 10.77.0.62"
}

t_database_down_at_start() {
	local msg rc
	daemon_stop
	my_stop || fail "cannot stop MariaDB"
	msg=$(srv timeout 20 "$DHCPXDP" run -c "$T_DIR/dhcpxdp.json" 2>&1)
	rc=$?
	echo "$msg" | tail -3
	[ $rc -ne 0 ] && [ $rc -ne 124 ] || fail "exit status $rc"
	grep -q "Dhcp4.hosts-databases\[0\]: host database kea on MySQL server $MY_DIR/sock: cannot connect: .*; on-fail is stop-retry-exit: not starting" <<<"$msg" ||
		fail "no message naming the database and on-fail"
}

t_run "dhclient: address, host name and option of a hw-address host" t_hw_address_host
t_run "udhcpc: address and raw-bytes option of a client-id host" t_client_id_host
t_run "a plain hw-address host's renewal is answered by XDP, the daemon stopped" t_plain_host_renewal_by_xdp
t_run "a row added, dhcpxdp reload: served" t_row_added_then_reload
t_run "database down at start: stop-retry-exit exits naming it" t_database_down_at_start
t_summary
