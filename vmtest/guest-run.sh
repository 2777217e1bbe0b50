#!/usr/bin/env bash
# Runs inside the virtme-ng guest (started by vmtest/run.sh), in the repo
# root. Usage: guest-run.sh OUTDIR
#   OUTDIR/cmd      bash array assignment `cmd=(...)` written by run.sh
#   OUTDIR/output.log  the command's stdout+stderr (written here)
#   OUTDIR/exit        the command's exit status (written here)
# The host reads OUTDIR/exit: a missing file means the VM never got there.
set -u
out=$1

# bpffs: virtme-init does not mount it; libbpf pins and map-in-map users
# expect it at the usual place.
if ! grep -q ' /sys/fs/bpf bpf ' /proc/mounts; then
	mount -t bpf bpf /sys/fs/bpf || echo "vmtest: warning: cannot mount bpffs" >&2
fi
# veth for the integration tests; modules come from the kernel's package
# (linked under /lib/modules/$(uname -r) by virtme-init).
modprobe veth 2>/dev/null || echo "vmtest: warning: no veth module for $(uname -r)" >&2
# Kernels before 5.11 charge BPF maps to RLIMIT_MEMLOCK.
ulimit -l unlimited 2>/dev/null || true

cmd=()
# shellcheck disable=SC1091
. "$out/cmd"
echo "vmtest: guest kernel $(uname -r), $(nproc) CPUs, $(awk '/MemTotal/ { print int($2 / 1024) " MiB" }' /proc/meminfo)"
echo "vmtest: running: ${cmd[*]}"
"${cmd[@]}" > >(tee "$out/output.log") 2>&1
rc=$?
# Let tee finish writing before the status says the log is complete.
wait
echo "$rc" >"$out/exit"
sync
exit "$rc"
