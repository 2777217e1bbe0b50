#!/usr/bin/env bash
# `dhcpxdp run` without what it needs says so in one line and exits 1:
# as an unprivileged user (with the control socket's directory present,
# as systemd's RuntimeDirectory leaves it, or with every path writable),
# as root without CAP_BPF, and with the capabilities but a control socket
# it may not create; with the unit's four capabilities on a kernel before
# 5.8 (faked: cap_last_cap 37), CAP_SYS_ADMIN and the unit's drop-in are
# named; a pin left by another program under the pin directory is named
# and the directory left as it was.
# Usage: tests/integration/test_privileges.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
N_TESTS=6

[ "$(id -u)" -eq 0 ] || t_skip_all "needs root (setpriv, bpffs)" $N_TESTS
command -v setpriv >/dev/null || t_skip_all "setpriv missing (util-linux)" $N_TESTS
command -v bpftool >/dev/null || t_skip_all "bpftool missing (scripts/deps.sh build)" $N_TESTS

DHCPXDP=$out/dhcpxdp
T_DIR=$(mktemp -d /tmp/dhcpxdp-pv-XXXXXX)
CAPS=+bpf,+perfmon,+net_admin,+net_raw

cleanup() {
	mountpoint -q "$T_DIR/bpffs" 2>/dev/null && umount "$T_DIR/bpffs"
	rm -rf "$T_DIR"
}
trap cleanup EXIT

NOBODY=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
"${NOBODY[@]}" "$DHCPXDP" version >/dev/null 2>&1 ||
	t_skip_all "user nobody cannot run $DHCPXDP" $N_TESTS

# What a kernel with CAP_BPF (5.8+) asks of a user without capabilities;
# one without adds where the CAP_SYS_ADMIN the unit leaves out comes from.
HINT="run as root or grant them (see systemd/dhcpxdp.service)"
OLD_HINT="run as root or grant them (see systemd/dhcpxdp.service; this kernel, before 5.8, has no CAP_BPF or CAP_PERFMON: the unit needs its CAP_SYS_ADMIN drop-in)"
if [ "$(cat /proc/sys/kernel/cap_last_cap)" -ge 39 ]; then
	ALL="CAP_BPF, CAP_PERFMON, CAP_NET_ADMIN, CAP_NET_RAW"
else
	ALL="CAP_SYS_ADMIN, CAP_NET_ADMIN, CAP_NET_RAW"
	HINT=$OLD_HINT
fi

chmod 755 "$T_DIR"
mkdir -p "$T_DIR/run" "$T_DIR/lib" "$T_DIR/bpffs"
chmod 700 "$T_DIR/run" # root's, as /run/dhcpxdp under systemd
chown nobody "$T_DIR/lib"
mount -t bpf bpf "$T_DIR/bpffs" || t_fail_all "cannot mount a bpffs" $N_TESTS
mkdir "$T_DIR/bpffs/nobody"
chown nobody "$T_DIR/bpffs/nobody"

# config NAME SOCKET_DIR PIN_DIR
config() {
	cat >"$T_DIR/$1.json" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "lo" ] },
  "lease-database": { "type": "sqlite", "name": "$T_DIR/lib/$1.sqlite3" },
  "control-socket": { "socket-type": "unix", "socket-name": "$2/control.sock" },
  "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24",
    "pools": [ { "pool": "10.77.0.100 - 10.77.0.199" } ] } ],
  "dhcpxdp": { "pin-dir": "$3" }
} }
JSON
	chmod 644 "$T_DIR/$1.json"
}
config runtime-dir "$T_DIR/run" "$T_DIR/bpffs/nobody/pins"
config writable "$T_DIR/lib" "$T_DIR/bpffs/nobody/pins"
config root "$T_DIR/run" "$T_DIR/bpffs/root"

# run_expect_fail OUTFILE CMD...: exit status 1, output kept.
run_expect_fail() {
	local o=$1 rc
	shift
	timeout 20 "$@" >"$o" 2>&1
	rc=$?
	cat "$o"
	[ $rc -eq 1 ] || fail "exit $rc, want 1"
}

t_nobody_with_runtime_dir() {
	run_expect_fail "$T_DIR/o1" "${NOBODY[@]}" "$DHCPXDP" run -c "$T_DIR/runtime-dir.json"
	grep -qxF "dhcpxdp run: missing $ALL: $HINT" "$T_DIR/o1" ||
		fail "not the line naming the capabilities"
}

t_nobody_with_writable_paths() {
	run_expect_fail "$T_DIR/o2" "${NOBODY[@]}" "$DHCPXDP" run -c "$T_DIR/writable.json"
	grep -qxF "dhcpxdp run: missing $ALL: $HINT" "$T_DIR/o2" ||
		fail "not the line naming the capabilities"
	grep -qi "verifier" "$T_DIR/o2" && fail "blames the verifier"
	[ ! -e "$T_DIR/bpffs/nobody/pins" ] || fail "pinned something"
	return 0
}

t_root_without_cap_bpf() {
	[ "$(cat /proc/sys/kernel/cap_last_cap)" -ge 39 ] || {
		echo "no CAP_BPF in this kernel: nothing to check"
		return 0
	}
	run_expect_fail "$T_DIR/o3" setpriv --bounding-set=-bpf,-sys_admin \
		"$DHCPXDP" run -c "$T_DIR/root.json"
	grep -qxF "dhcpxdp run: missing CAP_BPF: $HINT" "$T_DIR/o3" ||
		fail "not exactly CAP_BPF named"
}

# The unit's capabilities on a kernel that knows neither CAP_BPF nor
# CAP_PERFMON (before 5.8): cap_last_cap says 37 in a mount namespace of
# the test's own. Only CAP_SYS_ADMIN is missing, and the line says where
# the unit gets it.
t_old_kernel_names_the_drop_in() {
	echo 37 >"$T_DIR/cap_last_cap"
	chmod 644 "$T_DIR/cap_last_cap"
	run_expect_fail "$T_DIR/o6" unshare -m sh -c \
		"mount --bind '$T_DIR/cap_last_cap' /proc/sys/kernel/cap_last_cap &&
		 exec setpriv --reuid=nobody --regid=nogroup --clear-groups \
			--inh-caps=-all,$CAPS --ambient-caps=-all,$CAPS \
			--bounding-set=-all,$CAPS '$DHCPXDP' run -c '$T_DIR/runtime-dir.json'"
	grep -qxF "dhcpxdp run: missing CAP_SYS_ADMIN: $OLD_HINT" "$T_DIR/o6" ||
		fail "not CAP_SYS_ADMIN alone with the drop-in"
}

# Past the capability check, the first failure (the control socket in a
# directory this user may not enter) is named too.
t_every_early_failure_says_why() {
	run_expect_fail "$T_DIR/o4" "${NOBODY[@]}" --inh-caps=$CAPS --ambient-caps=$CAPS \
		"$DHCPXDP" run -c "$T_DIR/runtime-dir.json"
	grep -q "ERROR .*control socket $T_DIR/run/control.sock: Permission denied" "$T_DIR/o4" ||
		fail "the control socket's failure is not named"
	grep -q "ERROR .*not started" "$T_DIR/o4" || fail "no closing line"
}

# Another program's map under our name: named, with what to do; nothing
# pinned, so the next start says the same, not "incomplete".
t_foreign_pin_named_dir_untouched() {
	local before after
	mkdir -p "$T_DIR/bpffs/root"
	chmod 700 "$T_DIR/bpffs/root"
	bpftool map create "$T_DIR/bpffs/root/dx_leases" type hash key 8 value 16 \
		entries 16 name dx_leases || fail "bpftool map create"
	before=$(ls "$T_DIR/bpffs/root")
	for _ in 1 2; do
		run_expect_fail "$T_DIR/o5" "$DHCPXDP" run -c "$T_DIR/root.json"
		grep -q "pinned map $T_DIR/bpffs/root/dx_leases is not the one this dhcpxdp uses" "$T_DIR/o5" ||
			fail "the foreign pin is not named"
		grep -q "incomplete" "$T_DIR/o5" && fail "says incomplete"
		after=$(ls "$T_DIR/bpffs/root")
		[ "$after" = "$before" ] || fail "pin directory changed: $after"
	done
	rm "$T_DIR/bpffs/root/dx_leases"
}

t_run "as nobody, runtime directory present: the missing capabilities named" t_nobody_with_runtime_dir
t_run "as nobody, every path writable: the same line, not the verifier" t_nobody_with_writable_paths
t_run "root without CAP_BPF: only CAP_BPF named" t_root_without_cap_bpf
t_run "the unit's capabilities before Linux 5.8: CAP_SYS_ADMIN and its drop-in named" t_old_kernel_names_the_drop_in
t_run "with the capabilities, an early failure still says why" t_every_early_failure_says_why
t_run "a foreign pin is named and the pin directory left as it was" t_foreign_pin_named_dir_untouched
t_summary
