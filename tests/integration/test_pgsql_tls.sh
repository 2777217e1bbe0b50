#!/usr/bin/env bash
# The PostgreSQL lease database over TLS (lease-database's trust-anchor,
# cert-file, key-file, ssl-mode, tcp-user-timeout; docs/configuration.md):
# a throwaway CA signs the server's certificate (for 127.0.0.1) and the
# client's (CN dhcpxdp, the role); the server (pgsql_lib.sh's pg_up_tls,
# in the lab's server namespace) takes TCP connections over TLS with a
# client certificate only. `dhcpxdp db init` and `db version` work over
# it; a daemon without a client certificate, or trusting another CA,
# refuses to start naming the connection's problem; a daemon with them
# (and a high-availability heartbeat) starts, a real client's DORA is a
# row in the database, and every connection it holds (the store's, the
# LISTEN watch, the heartbeat) is TLS with its certificate.
# Usage: tests/integration/test_pgsql_tls.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
. "$top/tests/integration/pgsql_lib.sh"
N_TESTS=5

[ "$(id -u)" -eq 0 ] || t_skip_all "needs root (netns, XDP, runuser)" $N_TESTS
pg_available || t_skip_all "PostgreSQL's programs are not in $PG_BIN (scripts/deps.sh test: postgresql-15)" $N_TESTS
command -v openssl >/dev/null || t_skip_all "openssl missing" $N_TESTS
/usr/bin/python3 -c 'import scapy' 2>/dev/null || t_skip_all "python3-scapy missing (scripts/deps.sh test)" $N_TESTS

DHCPXDP=$out/dhcpxdp
PY=/usr/bin/python3
MAC_A=02:de:00:00:00:0a

cleanup() {
	lab_cleanup
	pg_down
}
lab_up pgtls dxs $N_TESTS
trap cleanup EXIT

# The CA, the server's certificate (verify-full checks 127.0.0.1 against
# its IP SAN), the client's (pg_hba.conf's cert method maps its CN to the
# role) and another CA's.
PKI=$T_DIR/pki
mkdir -p "$PKI"
pki() {
	tls_ca "$PKI" ca dhcpxdp-test-ca &&
		tls_ca "$PKI" other-ca other-ca &&
		tls_issue "$PKI" server ca 127.0.0.1 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth' &&
		tls_issue "$PKI" client ca dhcpxdp 'extendedKeyUsage=clientAuth'
}
pki >"$T_DIR/pki.log" 2>&1 || t_fail_all "openssl: $(tail -5 "$T_DIR/pki.log")" $N_TESTS

# The server runs in the daemon's namespace, on a port free there.
PG_NETNS=$SRV_NS
PG_PORT=$(srv $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pg_up_tls 127.0.0.1 "$PKI/server.pem" "$PKI/server.key" "$PKI/ca.pem" ||
	t_fail_all "cannot start PostgreSQL with TLS: $(cat "$PG_DIR"/*.log 2>/dev/null)" $N_TESTS
echo "PostgreSQL on 127.0.0.1:$PG_PORT (TLS, client certificates) in $SRV_NS"

# config FILE TLS-KEYS: the lab's subnet, the lease database over TCP
# with those keys, and a hot-standby pair whose primary is this server
# (its partner never comes: the primary serves every client anyway) for
# the heartbeat's connection.
config() {
	cat >"$1" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$SRV_IF" ] },
  "valid-lifetime": 600, "renew-timer": 300, "rebind-timer": 500,
  "lease-database": { "type": "postgresql", "name": "dhcpxdp",
    "host": "127.0.0.1", "port": $PG_PORT, "user": "dhcpxdp",
    "connect-timeout": 5, "tcp-user-timeout": 30$2 },
  "hooks-libraries": [ { "library": "/usr/lib/kea/hooks/libdhcp_ha.so",
    "parameters": { "high-availability": [ {
      "this-server-name": "server1", "mode": "hot-standby",
      "heartbeat-delay": 300, "max-response-delay": 1500,
      "peers": [
        { "name": "server1", "url": "http://10.77.0.1:8005/", "role": "primary" },
        { "name": "server2", "url": "http://10.77.0.2:8005/", "role": "standby" } ] } ] } } ],
  "control-socket": { "socket-type": "unix", "socket-name": "$T_DIR/control.sock" },
  "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24", "interface": "$SRV_IF",
    "pools": [ { "pool": "10.77.0.10 - 10.77.0.50" } ] } ],
  "dhcpxdp": { "pin-dir": "$PIN_DIR" }
} }
JSON
}
CFG=$T_DIR/dhcpxdp.json
config "$CFG" ", \"ssl-mode\": \"verify-full\", \"trust-anchor\": \"$PKI/ca.pem\",
    \"cert-file\": \"$PKI/client.pem\", \"key-file\": \"$PKI/client.key\""
config "$T_DIR/no-cert.json" ", \"ssl-mode\": \"verify-full\", \"trust-anchor\": \"$PKI/ca.pem\""
config "$T_DIR/other-ca.json" ", \"ssl-mode\": \"verify-full\", \"trust-anchor\": \"$PKI/other-ca.pem\",
    \"cert-file\": \"$PKI/client.pem\", \"key-file\": \"$PKI/client.key\""

dora() { cli timeout 20 $PY "$top/tests/integration/dhcp_client.py" "$CLI_IF" dora "$1"; }
ip_int() { local IFS=.; set -- $1; echo $((($1 << 24) + ($2 << 16) + ($3 << 8) + $4)); }

t_db_init_over_tls() {
	"$DHCPXDP" check-config -c "$CFG" || fail "check-config refused the TLS keys"
	[ "$(srv timeout 20 "$DHCPXDP" db version -c "$CFG")" = 0 ] || fail "version before init is not 0"
	srv timeout 20 "$DHCPXDP" db init -c "$CFG" || fail "db init over TLS failed"
	[ "$(srv timeout 20 "$DHCPXDP" db version -c "$CFG")" = 3 ] || fail "version after init is not 3"
	pg_sql "SELECT version FROM dhcpxdp_schema"
}

# refused FILE PATTERN: the daemon exits non-zero, its message matching.
refused() {
	local msg
	msg=$(srv timeout 30 "$DHCPXDP" run -c "$1" 2>&1) && fail "the daemon started with $1"
	echo "$msg" | tail -3
	grep -q "lease database dhcpxdp on PostgreSQL server 127.0.0.1:$PG_PORT: cannot connect: .*$2" <<<"$msg" ||
		fail "no message naming the connection's problem ($2)"
}

t_refused_without_client_cert() {
	refused "$T_DIR/no-cert.json" "requires a valid client certificate"
	srv timeout 20 "$DHCPXDP" db version -c "$T_DIR/no-cert.json" && fail "db version connected"
	return 0
}

t_refused_untrusted_server() {
	refused "$T_DIR/other-ca.json" "certificate verify failed"
}

t_dora_row_in_postgresql() {
	local addr row
	addr=$(dora $MAC_A) || fail "no ACK"
	echo "A: $addr"
	row=$(pg_sql "SELECT state, subnet_id, addr FROM dhcpxdp_lease4 WHERE mac = '\\x${MAC_A//:/}'::bytea")
	echo "row: $row"
	[ "$row" = "1|1|$(ip_int "$addr")" ] || fail "A's row is not ACTIVE in subnet 1 at $addr"
}

# Every connection of the daemon's (application_name dhcpxdp) is TLS
# with its certificate: the store's, the LISTEN watch and the heartbeat,
# which has written server1's row.
beat_row() { [ -n "$(pg_sql "SELECT 1 FROM dhcpxdp_ha_heartbeat WHERE server_name = 'server1'")" ]; }

t_every_connection_tls() {
	local conns
	wait_until 10 beat_row || fail "no heartbeat row for server1 within 10 s"
	conns=$(pg_sql "SELECT a.backend_type, s.ssl, s.client_dn, left(a.query, 6)
		FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid)
		WHERE a.application_name = 'dhcpxdp' ORDER BY a.query")
	echo "$conns"
	[ "$(grep -c '|t|/CN=dhcpxdp|' <<<"$conns")" -ge 3 ] ||
		fail "fewer than 3 TLS connections with the client certificate"
	grep -v '|t|/CN=dhcpxdp|' <<<"$conns" && fail "a connection without TLS or the certificate"
	grep -q '|t|/CN=dhcpxdp|LISTEN' <<<"$conns" || fail "the LISTEN connection is not TLS"
	pg_sql "SELECT server_name, beat_at > now() - interval '10 s' FROM dhcpxdp_ha_heartbeat" |
		grep -qx 'server1|t' || fail "server1's heartbeat is not fresh"
}

t_run "dhcpxdp db version, init over TLS with a client certificate" t_db_init_over_tls
t_run "without cert-file and key-file the daemon refuses to start, naming the certificate" t_refused_without_client_cert
t_run "a trust-anchor of another CA: the daemon refuses the server's certificate" t_refused_untrusted_server
daemon_start || t_fail_all "the daemon did not start over TLS" 2
t_run "a DORA's lease is a row in PostgreSQL, written over TLS" t_dora_row_in_postgresql
t_run "the store's, the watch's and the heartbeat's connections are TLS with the client certificate" t_every_connection_tls
t_summary
