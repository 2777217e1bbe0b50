#!/usr/bin/env bash
# What CI runs inside each VM (vmtest/run.sh -- vmtest/suite.sh BUILD_DIR):
# the BPF test table on that kernel's verifier, the loader/pinning tests,
# the differential test (XDP and the daemon deciding alike on one table),
# and the client smoke (dhclient and udhcpc get leases from the daemon and
# their renewals are answered by XDP). Exits non-zero if any suite fails.
set -u
out=${1:-build}
rc=0
for t in "$out/tests/bpf/test_xdp" "$out/tests/bpf/test_bpf_obj" \
	"$out/tests/bpf/test_map_sync" "$out/tests/bpf/test_differential"; do
	echo "== $t"
	"$t" || rc=1
done
echo "== tests/integration/test_clients.sh"
tests/integration/test_clients.sh "$out" || rc=1
exit $rc
