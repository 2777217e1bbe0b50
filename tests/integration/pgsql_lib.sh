# A throwaway PostgreSQL server for the tests (tests/integration/test_pgsql.sh):
# initdb and pg_ctl run as an unprivileged user (PG_USER, default nobody)
# in a fresh temporary directory; the server listens on a Unix socket in
# that directory only (no TCP), trusts local connections, and holds one
# database, dhcpxdp, owned by the role dhcpxdp. Every step is bounded in
# time; pg_down stops the server and removes the directory.
# shellcheck shell=bash

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_USER=${PG_USER:-nobody}
PG_DIR=

# Are the server's programs and the user to run them as there?
pg_available() {
	[ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ] &&
		[ -x "$PG_BIN/psql" ] && id -u "$PG_USER" >/dev/null 2>&1
}

pg_as() { timeout 60 runuser -u "$PG_USER" -- "$@"; }

pg_start() {
	pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" \
		-w -t 30 -o "-c listen_addresses='' -c unix_socket_directories='$PG_DIR'" \
		start >/dev/null
}

# pg_stop [MODE]: fast (default) or immediate (as a crash would).
pg_stop() {
	pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m "${1:-fast}" -w -t 30 \
		stop >/dev/null
}

# pg_up: initdb, start, create the database. Non-zero on failure, with
# the logs in $PG_DIR.
pg_up() {
	PG_DIR=$(mktemp -d /tmp/dhcpxdp-pg-XXXXXX) || return 1
	chown "$PG_USER" "$PG_DIR" || return 1
	pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U dhcpxdp --auth=trust \
		-E UTF8 --no-sync >"$PG_DIR/initdb.log" 2>&1 || return 1
	pg_start || return 1
	pg_as "$PG_BIN/createdb" -h "$PG_DIR" -U dhcpxdp dhcpxdp
}

pg_down() {
	[ -n "$PG_DIR" ] || return 0
	[ -f "$PG_DIR/data/postmaster.pid" ] && pg_stop immediate 2>/dev/null
	rm -rf "$PG_DIR"
	PG_DIR=
}

# pg_sql SQL: run it in the dhcpxdp database, rows unaligned, '|' between.
pg_sql() {
	timeout 30 "$PG_BIN/psql" -h "$PG_DIR" -U dhcpxdp -d dhcpxdp -XAtq \
		-v ON_ERROR_STOP=1 -c "$1"
}
