#!/usr/bin/env bash
# Boot a kernel with virtme-ng over the host's root filesystem (read-only;
# the repo's build/ is writable) and run a command in it from the repo root.
#
# Usage: vmtest/run.sh [--kernel K[,K...]] [--accel tcg|kvm|auto]
#                      [--timeout SEC] [--memory SIZE] [--cpus N] [-- CMD...]
#   K: 6.1 | 6.12 | 5.10 (Debian kernels cached by scripts/vm-deps.sh, which
#      is run when one is missing) | all (= 6.1,6.12,5.10) | a path to a
#      kernel image (modules from <root>/lib/modules/<ver> next to it, e.g.
#      /boot/vmlinuz-X uses the host's /lib/modules/X). Default: 6.1.
#   CMD: default build/tests/bpf/test_xdp (build it first with `make`).
#
# Per kernel, in build/vmtest/<name>/: result (kernel, accel, command,
# cmocka summary lines, exit status, seconds), output.log (the command's
# output), console.log (everything vng printed). Exit status: the command's
# (the first non-zero one over several kernels); 124 when the VM timed out,
# 125 when it ended without running the command.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${VMTEST_CACHE:-/var/lib/dhcpxdp-vmtest}
OUTBASE=${VMTEST_OUT:-$ROOT/build/vmtest}
kernels=6.1
accel=${VMTEST_ACCEL:-auto}
tmo=${VMTEST_TIMEOUT:-600}
memory=2G
cpus=2

usage() {
	sed -n '2,/^set /{/^set /d;s/^# \{0,1\}//;p}' "$0" >&2
	exit 2
}
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel | -k) kernels=${2:?}; shift 2 ;;
	--kernel=*) kernels=${1#*=}; shift ;;
	--accel) accel=${2:?}; shift 2 ;;
	--accel=*) accel=${1#*=}; shift ;;
	--timeout) tmo=${2:?}; shift 2 ;;
	--timeout=*) tmo=${1#*=}; shift ;;
	--memory) memory=${2:?}; shift 2 ;;
	--cpus) cpus=${2:?}; shift 2 ;;
	-h | --help) usage ;;
	--) shift; break ;;
	*) echo "vmtest: unknown argument '$1'" >&2; usage ;;
	esac
done
cmd=("$@")
[ ${#cmd[@]} -eq 0 ] && cmd=(build/tests/bpf/test_xdp)
[ "$kernels" = all ] && kernels=6.1,6.12,5.10
case "$accel" in tcg | kvm | auto) ;; *) echo "vmtest: --accel tcg|kvm|auto" >&2; exit 2 ;; esac

log() { printf 'vmtest: %s\n' "$*" >&2; }

# virtme-run builds its qemu command line with a shell and accepts only
# "safe" paths for shared directories.
case "$ROOT$OUTBASE" in
*[!A-Za-z0-9_./+-]*) log "paths must be plain (no spaces or quotes): $ROOT, $OUTBASE"; exit 2 ;;
esac
command -v vng >/dev/null 2>&1 || { log "vng missing: run scripts/vm-deps.sh"; exit 2; }
if [ ! -x "$ROOT/${cmd[0]}" ] && [ "${cmd[0]}" = build/tests/bpf/test_xdp ]; then
	log "build/tests/bpf/test_xdp missing: run make first"
	exit 2
fi

# Resolve a kernel name to its image; sets kimg, kname, kdesc.
resolve() {
	local k=$1
	case "$k" in
	6.1 | 6.12 | 5.10)
		if [ ! -s "$CACHE/$k/kver" ]; then
			log "kernel $k not cached; running scripts/vm-deps.sh $k"
			"$ROOT/scripts/vm-deps.sh" "$k" || return 1
		fi
		local kver
		kver=$(cat "$CACHE/$k/kver")
		kimg=$CACHE/$k/boot/vmlinuz-$kver
		kname=$k
		kdesc="$k ($kver; $(cat "$CACHE/$k/package" 2>/dev/null))"
		;;
	*)
		[ -f "$k" ] || { log "no kernel '$k' (6.1, 6.12, 5.10 or a path)"; return 1; }
		kimg=$(readlink -f "$k")
		kname=$(basename "$kimg")
		kname=${kname#vmlinuz-}
		kdesc="$kimg"
		;;
	esac
	[ -r "$kimg" ] || { log "cannot read $kimg"; return 1; }
}

# KVM: nested virtualisation here either fails at once or hangs, so probe
# with a short boot and remember the verdict per host kernel and QEMU.
kvm_ok() {
	[ -w /dev/kvm ] || return 1
	local key verdict f="$CACHE/kvm-probe"
	key="$(uname -r) $(qemu-system-x86_64 --version 2>/dev/null | head -n1)"
	if [ -f "$f" ] && [ "$(sed -n 1p "$f")" = "$key" ]; then
		verdict=$(sed -n 2p "$f")
	else
		log "probing KVM (30 s at most, once per host kernel)"
		verdict=no
		if timeout -k 5 30 vng -r "$1" --memory 512M -e 'echo vmtest-kvm-ok' \
			</dev/null 2>&1 | grep -q vmtest-kvm-ok; then
			verdict=yes
		fi
		mkdir -p "$CACHE" && printf '%s\n%s\n' "$key" "$verdict" >"$f"
	fi
	[ "$verdict" = yes ]
}

run_one() {
	local k=$1 kimg kname kdesc out rc t0 secs use mode
	resolve "$k" || return 125
	out=$OUTBASE/$kname
	rm -rf "$out"
	mkdir -p "$out"
	declare -p cmd | sed 's/^declare -a //' >"$out/cmd"
	use=tcg
	case "$accel" in
	kvm) use=kvm ;;
	auto) kvm_ok "$kimg" && use=kvm ;;
	esac
	mode=()
	[ $use = tcg ] && mode=(--disable-kvm)
	log "kernel $kdesc, $use, timeout ${tmo}s: ${cmd[*]}"
	t0=$(date +%s)
	# --rwdir=G=H form: vng 1.35 rejects the short form for paths outside
	# its default overlays.
	timeout -k 10 "$tmo" vng -r "$kimg" "${mode[@]}" --cpus "$cpus" \
		--memory "$memory" --cwd "$ROOT" --rwdir="$OUTBASE=$OUTBASE" \
		-e "bash $ROOT/vmtest/guest-run.sh $out" </dev/null 2>&1 |
		tee "$out/console.log" | sed -u "s/^/[$kname] /"
	rc=${PIPESTATUS[0]}
	secs=$(($(date +%s) - t0))
	if [ -s "$out/exit" ]; then
		rc=$(cat "$out/exit")
	elif [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		log "kernel $kname: VM timed out after ${tmo}s"
		rc=124
	else
		log "kernel $kname: VM ended (vng status $rc) without running the command"
		rc=125
	fi
	{
		echo "kernel: $kdesc"
		echo "accel: $use"
		echo "command: ${cmd[*]}"
		grep -E '^\[(==========|  PASSED  |  FAILED  |  SKIPPED |  ERROR   )\]|^([A-Za-z_-]+: )?[0-9]+ passed, [0-9]+ failed|failed to load' \
			"$out/output.log" 2>/dev/null
		# The verifier's reason: the lines before its closing statistics.
		grep -B3 -E '^processed [0-9]+ insns' "$out/output.log" 2>/dev/null |
			sed 's/^/verifier: /'
		echo "exit: $rc"
		echo "seconds: $secs"
	} >"$out/result"
	sed "s/^/[$kname] result: /" "$out/result"
	return "$rc"
}

mkdir -p "$OUTBASE"
status=0
summary=()
IFS=, read -r -a klist <<<"$kernels"
for k in "${klist[@]}"; do
	run_one "$k"
	rc=$?
	summary+=("$k=$rc")
	[ $status -eq 0 ] && status=$rc
done
[ ${#klist[@]} -gt 1 ] && log "exit status per kernel: ${summary[*]}"
exit "$status"
