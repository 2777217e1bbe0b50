#!/usr/bin/env bash
# The systemd unit as shipped: `systemd-analyze security` rates it 3.5 or
# below (the figure is printed), `systemd-analyze verify` finds nothing
# once `make install` has put it beside the binary, its paths follow
# PREFIX and SYSCONFDIR, it grants CAP_BPF, CAP_PERFMON, CAP_NET_ADMIN and
# CAP_NET_RAW to the user dhcpxdp and nothing else, and the sysusers.d file
# creates that user (applied to an empty root, not to this machine).
# Needs systemd-analyze (systemd 252 or later), not root.
# Usage: tests/integration/test_unit_hardening.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
N_TESTS=6
MAX_EXPOSURE=3.5
UNIT=$top/systemd/dhcpxdp.service

command -v systemd-analyze >/dev/null ||
	t_skip_all "systemd-analyze missing (package systemd)" $N_TESTS
systemd-analyze security --help 2>/dev/null | grep -q -- --offline ||
	t_skip_all "systemd-analyze has no --offline (systemd 252 or later needed)" $N_TESTS
[ -x "$out/dhcpxdp" ] || t_fail_all "$out/dhcpxdp not built (run make)" $N_TESTS

T_DIR=$(mktemp -d /tmp/dhcpxdp-unit-XXXXXX)
trap 'rm -rf "$T_DIR"' EXIT

# `make install` into T_DIR/root. DESTDIR=/ makes it a staged install (no
# user created on this machine) whose paths are the real ones, so verify
# finds the binary where ExecStart= names it.
# The build's own CC and CFLAGS (OUT/.flags), and its binary and object
# taken as they are: other flags would rebuild that folder (an ASan build
# with plain ones).
STAGE=$T_DIR/root
read -r build_cc build_cflags <"$out/.flags" 2>/dev/null
make -s -C "$top" install OUT="$out" CC="${build_cc:-gcc}" \
	CFLAGS="${build_cflags:--O2 -g}" -o "$out/dhcpxdp" -o "$out/dhcpxdp.bpf.o" \
	DESTDIR=/ PREFIX="$STAGE/usr" SYSCONFDIR="$STAGE/etc" >"$T_DIR/install.log" 2>&1 ||
	t_fail_all "make install failed: $(cat "$T_DIR/install.log")" $N_TESTS
INSTALLED=$STAGE/usr/lib/systemd/system/dhcpxdp.service
SYSUSERS=$STAGE/usr/lib/sysusers.d/dhcpxdp.conf

# value KEY: the unit's settings of KEY, one line each.
value() { sed -n "s/^$1=//p" "$UNIT"; }

t_security_score() {
	local score
	systemd-analyze security --offline=true "$UNIT" >"$T_DIR/sec.out" 2>"$T_DIR/sec.err"
	grep -v '^✓' "$T_DIR/sec.out"
	[ -s "$T_DIR/sec.err" ] && fail "diagnostics: $(cat "$T_DIR/sec.err")"
	score=$(sed -n 's/.*Overall exposure level for dhcpxdp.service: \([0-9.]*\).*/\1/p' "$T_DIR/sec.out")
	[ -n "$score" ] || fail "no overall exposure level in the output"
	echo "systemd-analyze security --offline=true systemd/dhcpxdp.service: $score (at most $MAX_EXPOSURE)"
	awk -v s="$score" -v m="$MAX_EXPOSURE" 'BEGIN { exit !(s <= m) }' ||
		fail "exposure $score is above $MAX_EXPOSURE"
}

t_verify_installed_unit() {
	MANPATH=$STAGE/usr/share/man systemd-analyze verify "$INSTALLED" \
		>"$T_DIR/verify.out" 2>&1 || fail "verify failed: $(cat "$T_DIR/verify.out")"
	# verify exits 0 on unknown keys and the like: any line is a finding.
	[ -s "$T_DIR/verify.out" ] && fail "verify: $(cat "$T_DIR/verify.out")"
	return 0
}

t_install_rewrites_paths() {
	cat "$INSTALLED" | grep '^Exec'
	grep -qxF "ExecStart=$STAGE/usr/sbin/dhcpxdp run -c $STAGE/etc/dhcpxdp/dhcpxdp.json" "$INSTALLED" ||
		fail "ExecStart= not rewritten for PREFIX and SYSCONFDIR"
	grep -qxF "ExecStartPre=$STAGE/usr/sbin/dhcpxdp check-config -c $STAGE/etc/dhcpxdp/dhcpxdp.json" "$INSTALLED" ||
		fail "check-config not rewritten"
	grep -q /usr/local "$INSTALLED" && fail "a /usr/local path is left"
	[ -f "$SYSUSERS" ] || fail "no sysusers.d file installed"
	return 0
}

# The installed configuration serves nothing until edited; the man pages
# name the installed paths, and the docs they point to are installed.
t_install_safe_defaults() {
	local conf=$STAGE/etc/dhcpxdp/dhcpxdp.json man8=$STAGE/usr/share/man/man8/dhcpxdp.8
	"$out/dhcpxdp" check-config -c "$conf" 2>&1 | tee "$T_DIR/cc.out"
	grep -q "ok (0 subnets, 0 interfaces)" "$T_DIR/cc.out" ||
		fail "the installed configuration serves something"
	grep -q /usr/local "$man8" "$STAGE/usr/share/man/man5/dhcpxdp.json.5" &&
		fail "a /usr/local path is left in a man page"
	grep -qF "$STAGE/etc/dhcpxdp/dhcpxdp.json" "$man8" || fail "dhcpxdp.8: SYSCONFDIR not rewritten"
	grep -q '^\.I docs/' "$man8" && fail "dhcpxdp.8 points into docs/, not the installed docs"
	for f in control.md configuration.md design.md; do
		[ -f "$STAGE/usr/share/doc/dhcpxdp/$f" ] || fail "$f not installed"
		grep -qF "$STAGE/usr/share/doc/dhcpxdp/$f" "$man8" "$STAGE/usr/share/man/man5/dhcpxdp.json.5" ||
			[ $f = design.md ] || fail "no man page points at the installed $f"
	done
	return 0
}

# Five capabilities, the same in both sets; CAP_SYS_ADMIN only through
# the drop-in the unit describes for kernels before 5.8.
t_capabilities() {
	local want="CAP_BPF CAP_NET_ADMIN CAP_NET_BIND_SERVICE CAP_NET_RAW CAP_PERFMON" set
	[ "$(value User)" = dhcpxdp ] || fail "User= is not dhcpxdp"
	[ "$(value Group)" = dhcpxdp ] || fail "Group= is not dhcpxdp"
	for key in AmbientCapabilities CapabilityBoundingSet; do
		set=$(value $key | tr ' ' '\n' | sort | xargs)
		echo "$key=$set"
		[ "$set" = "$want" ] || fail "$key is '$set', want '$want'"
	done
	grep -E '^[A-Za-z]+=.*CAP_SYS_ADMIN' "$UNIT" && fail "CAP_SYS_ADMIN granted"
	grep -q '^#   AmbientCapabilities=CAP_SYS_ADMIN' "$UNIT" ||
		fail "the drop-in for kernels before 5.8 is not described"
}

t_sysusers_creates_user() {
	command -v systemd-sysusers >/dev/null || {
		echo "systemd-sysusers missing: not checked"
		return 0
	}
	mkdir -p "$T_DIR/sysroot/etc"
	systemd-sysusers --root="$T_DIR/sysroot" "$SYSUSERS" ||
		fail "systemd-sysusers refused $SYSUSERS"
	grep '^dhcpxdp:' "$T_DIR/sysroot/etc/passwd" "$T_DIR/sysroot/etc/group"
	grep -q '^dhcpxdp:x:[0-9]*:[0-9]*:[^:]*:[^:]*:.*nologin$' "$T_DIR/sysroot/etc/passwd" ||
		fail "no system user dhcpxdp with a nologin shell"
	grep -q '^dhcpxdp:x:' "$T_DIR/sysroot/etc/group" || fail "no group dhcpxdp"
}

t_run "systemd-analyze security: exposure $MAX_EXPOSURE or below" t_security_score
t_run "systemd-analyze verify: the installed unit is clean" t_verify_installed_unit
t_run "make install rewrites the unit's paths, installs sysusers.d" t_install_rewrites_paths
t_run "make install: an empty configuration, man pages and docs for PREFIX" t_install_safe_defaults
t_run "user dhcpxdp with five capabilities, no CAP_SYS_ADMIN" t_capabilities
t_run "the sysusers.d file creates user and group dhcpxdp" t_sysusers_creates_user
t_summary
