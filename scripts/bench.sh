#!/usr/bin/env bash
# Run every benchmark and collect the markdown tables in one results file.
# Usage: scripts/bench.sh BUILD_DIR
# Each figure is a measurement, never an assertion; see README "Performance".
set -euo pipefail
out=${1:-build}
res_dir=$out/bench
mkdir -p "$res_dir"
res=$res_dir/results.md
{
	echo "# dhcpxdp benchmarks"
	echo
	echo "- date: $(date -u +%Y-%m-%dT%H:%MZ)"
	echo "- kernel: $(uname -r)"
	echo "- cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') x $(nproc)"
	echo
} >"$res"
run() {
	echo "== $*" >&2
	timeout 600 "$@" | tee -a "$res"
	echo >>"$res"
}
# XDP per-packet cost: the renewal at 1k, 100k and 1M leases, five
# invocations each, as ratios to MAC-swap (a few minutes).
run "$(dirname "$0")/bench-xdp.sh" "$out"
for b in "$out"/tests/bench/bench_*; do
	# bench_startup is a fixture of bench-slowpath.sh, bench_fastpath
	# needs the lab of bench-fastpath.sh: both run below.
	case $(basename "$b") in bench_xdp | bench_startup | bench_fastpath) continue ;; esac
	[ -x "$b" ] && run "$b"
done
# Fast-path throughput through a veth (netns lab, root, ~25 s each),
# with 100,000 and with 1,000,000 leases in the map (the ratio to the
# MAC-swap ceiling is compared at both).
for n in ${FASTPATH_LEASES:-100000 1000000}; do
	LEASES=$n timeout 300 "$(dirname "$0")/bench-fastpath.sh" "$out" | tee -a "$res" ||
		echo "bench-fastpath.sh failed" >&2
done
echo >>"$res"
# Slow path and scale against Kea, dnsmasq, dhcpd (netns lab, root);
# it appends its own section to $res.
timeout 2400 "$(dirname "$0")/bench-slowpath.sh" "$out" ||
	echo "bench-slowpath.sh failed" >&2
# A high-availability pair's failover time (netns lab, PostgreSQL, ~1 min).
timeout 300 "$(dirname "$0")/bench-failover.sh" "$out" | tee -a "$res" ||
	echo "bench-failover.sh failed" >&2
echo "results: $res" >&2
