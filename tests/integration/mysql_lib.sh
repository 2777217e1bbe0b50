# A throwaway MariaDB server for the tests (tests/integration/
# test_hosts_mysql.sh): mariadb-install-db and mariadbd run as an
# unprivileged user (MY_USER, default nobody) in a fresh temporary
# directory; the server listens on a Unix socket there only (no TCP) and
# holds one database, kea, for the user kea (password kea). Every step is
# bounded in time; my_down stops the server and removes the directory.
# shellcheck shell=bash

MY_USER=${MY_USER:-nobody}
MY_DIR=
MY_PID=

my_available() {
	command -v mariadb-install-db >/dev/null && [ -x /usr/sbin/mariadbd ] &&
		command -v mariadb >/dev/null && id -u "$MY_USER" >/dev/null 2>&1
}

my_root() {
	timeout 30 mariadb --no-defaults -S "$MY_DIR/sock" -u root "$@"
}

my_ready() { my_root -e "SELECT 1" >/dev/null 2>&1; }

my_start() {
	# From /, which the unprivileged user can read.
	(cd / && exec runuser -u "$MY_USER" -- /usr/sbin/mariadbd --no-defaults \
		--datadir="$MY_DIR/data" --socket="$MY_DIR/sock" \
		--skip-networking --pid-file="$MY_DIR/pid" \
		--log-error="$MY_DIR/server.log") >>"$MY_DIR/start.log" 2>&1 &
	MY_PID=$!
	wait_until 30 my_ready
}

my_stop() {
	[ -n "$MY_PID" ] || return 0
	kill "$MY_PID" 2>/dev/null
	wait_until 30 sh -c "! kill -0 $MY_PID 2>/dev/null"
	MY_PID=
}

# my_up: install the data directory, start, create the database and its
# user. Non-zero on failure, with the logs in $MY_DIR.
my_up() {
	MY_DIR=$(mktemp -d /tmp/dhcpxdp-my-XXXXXX) || return 1
	chown "$MY_USER" "$MY_DIR" || return 1
	(cd / && timeout 120 runuser -u "$MY_USER" -- mariadb-install-db \
		--no-defaults --datadir="$MY_DIR/data" --skip-test-db \
		--auth-root-authentication-method=normal) >"$MY_DIR/install.log" 2>&1 ||
		return 1
	my_start || return 1
	# Kea's schema creates triggers: without binary log rights, allowed
	# by this server-wide switch.
	my_root -e "CREATE DATABASE kea; CREATE USER 'kea'@'localhost' IDENTIFIED BY 'kea'; GRANT ALL ON kea.* TO 'kea'@'localhost'; SET GLOBAL log_bin_trust_function_creators = 1;"
}

my_down() {
	[ -n "$MY_DIR" ] || return 0
	my_stop
	rm -rf "$MY_DIR"
	MY_DIR=
}

# my_sql SQL: run it in the kea database as kea, rows tab-separated.
my_sql() {
	timeout 30 mariadb --no-defaults -S "$MY_DIR/sock" -u kea -pkea -N -B kea -e "$1"
}
