#!/bin/sh
# Create the system user and group dhcpxdp on this machine, and give it
# the state directory: what `make install` does after installing
# systemd/dhcpxdp.sysusers. systemd-sysusers when present (it reads the
# same file at every boot), else groupadd and useradd --system. Idempotent.
#
# Usage: scripts/add-user.sh SYSUSERS_FILE [STATE_DIR]
# Skipped (with a line saying so) for a staged install (DESTDIR set) and
# when not run as root: a package does it in its own scripts.
set -eu

conf=${1:?usage: add-user.sh SYSUSERS_FILE [STATE_DIR]}
state=${2:-/var/lib/dhcpxdp}
user=dhcpxdp

if [ -n "${DESTDIR:-}" ]; then
	echo "  staged install: create the user with systemd-sysusers $conf"
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "  not root: user $user not created (run systemd-sysusers $conf as root)"
	exit 0
fi

if ! getent passwd "$user" >/dev/null; then
	if command -v systemd-sysusers >/dev/null 2>&1; then
		# A relative name would be looked up in sysusers.d instead.
		systemd-sysusers "$(realpath "$conf")"
	else
		getent group "$user" >/dev/null ||
			groupadd --system "$user"
		useradd --system --gid "$user" --home-dir "$state" \
			--no-create-home --shell /usr/sbin/nologin \
			--comment "dhcpxdp DHCPv4 server" "$user"
	fi
	echo "  created system user $user"
fi
getent passwd "$user" >/dev/null || {
	echo "add-user.sh: user $user could not be created" >&2
	exit 1
}

# Under systemd, StateDirectory= does this at every start; without it, a
# daemon started by hand as $user needs it done once. A database a root
# daemon wrote before becomes the user's.
install -d -o "$user" -g "$user" -m 0750 "$state"
chown -R "$user:$user" "$state"
