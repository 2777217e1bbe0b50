# A throwaway PostgreSQL server for the tests (tests/integration/test_pgsql.sh):
# initdb and pg_ctl run as an unprivileged user (PG_USER, default nobody)
# in a fresh temporary directory; the server listens on a Unix socket in
# that directory only (no TCP, unless pg_up_tls), trusts local
# connections, and holds one database, dhcpxdp, owned by the role dhcpxdp.
# Every step is bounded in time; pg_down stops the server and removes the
# directory.
# shellcheck shell=bash

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_USER=${PG_USER:-nobody}
# The server's port: its TCP port with pg_up_tls, and its socket's name
# (.s.PGSQL.PORT) in any case.
PG_PORT=${PG_PORT:-5432}
# A network namespace to start the server in (pg_up_tls: where its
# address is); empty: this shell's.
PG_NETNS=${PG_NETNS:-}
PG_DIR=
PG_LISTEN= # TCP addresses; empty: the socket only

# Are the server's programs and the user to run them as there?
pg_available() {
	[ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ] &&
		[ -x "$PG_BIN/psql" ] && id -u "$PG_USER" >/dev/null 2>&1
}

pg_as() { timeout 60 runuser -u "$PG_USER" -- "$@"; }

pg_start() {
	local ns=()
	# The postmaster pg_ctl leaves behind stays in the namespace.
	[ -n "$PG_NETNS" ] && ns=(ip netns exec "$PG_NETNS")
	timeout 60 "${ns[@]}" runuser -u "$PG_USER" -- \
		"$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" \
		-w -t 30 -o "-c listen_addresses='$PG_LISTEN' -c port=$PG_PORT -c unix_socket_directories='$PG_DIR'" \
		start >/dev/null
}

# pg_stop [MODE]: fast (default) or immediate (as a crash would).
pg_stop() {
	pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m "${1:-fast}" -w -t 30 \
		stop >/dev/null
}

# pg_init: a fresh PG_DIR and its data directory (initdb).
pg_init() {
	PG_DIR=$(mktemp -d /tmp/dhcpxdp-pg-XXXXXX) || return 1
	chown "$PG_USER" "$PG_DIR" || return 1
	pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U dhcpxdp --auth=trust \
		-E UTF8 --no-sync >"$PG_DIR/initdb.log" 2>&1
}

# pg_up: initdb, start, create the database. Non-zero on failure, with
# the logs in $PG_DIR.
pg_up() {
	pg_init && pg_start && pg_createdb
}

pg_createdb() {
	pg_as "$PG_BIN/createdb" -h "$PG_DIR" -p "$PG_PORT" -U dhcpxdp dhcpxdp
}

# pg_up_tls ADDR CERT KEY CA: pg_up's server, listening on ADDR (IPv4),
# port PG_PORT, too, where it takes TLS connections only: its certificate
# CERT and key KEY, a client's certificate signed by CA with the role as
# its CN (pg_hba.conf: `hostssl dhcpxdp dhcpxdp ADDR/32 cert`, no plain
# `host` line). The files are copied into the data directory, the key
# 0600 and PG_USER's: the server refuses a key others can read.
pg_up_tls() {
	local data
	pg_init || return 1
	data=$PG_DIR/data
	install -o "$PG_USER" -m 0644 "$2" "$data/server.crt" &&
		install -o "$PG_USER" -m 0600 "$3" "$data/server.key" &&
		install -o "$PG_USER" -m 0644 "$4" "$data/ca.crt" || return 1
	printf '%s\n' "ssl = on" "ssl_cert_file = 'server.crt'" \
		"ssl_key_file = 'server.key'" "ssl_ca_file = 'ca.crt'" \
		>>"$data/postgresql.conf" || return 1
	printf '%s\n' "local all all trust" \
		"hostssl dhcpxdp dhcpxdp $1/32 cert" >"$data/pg_hba.conf" || return 1
	PG_LISTEN=$1
	pg_start && pg_createdb
}

pg_down() {
	[ -n "$PG_DIR" ] || return 0
	[ -f "$PG_DIR/data/postmaster.pid" ] && pg_stop immediate 2>/dev/null
	rm -rf "$PG_DIR"
	PG_DIR=
	PG_LISTEN=
}

# pg_sql SQL: run it in the dhcpxdp database, rows unaligned, '|' between.
pg_sql() {
	timeout 30 "$PG_BIN/psql" -h "$PG_DIR" -p "$PG_PORT" -U dhcpxdp -d dhcpxdp -XAtq \
		-v ON_ERROR_STOP=1 -c "$1"
}
