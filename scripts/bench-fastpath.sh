#!/usr/bin/env bash
# Fast-path throughput through a veth: dhcpxdp's XDP
# renewal ACKs per second next to a MAC-swap reflector, same generator.
# Builds its own scripts/lab.sh lab, runs tests/bench/bench_fastpath in it,
# removes the lab. Prints a markdown section (stdout); progress on stderr.
#
#   scripts/bench-fastpath.sh [BUILD_DIR]
#
# Knobs (environment): LEASES (100000), SECONDS_PER_RUN (3), RUNS (3).
# Root only. About 25 s with the defaults.
set -euo pipefail
out=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
bin=$out/tests/bench/bench_fastpath
[ -x "$bin" ] || {
	echo "bench-fastpath.sh: $bin missing; run make all" >&2
	exit 1
}
dir=$(mktemp -d /tmp/dxfp.XXXXXX)
prefix=dxfp$$
cleanup() {
	"$top/scripts/lab.sh" down "$dir" "$prefix" || true
	rm -rf "$dir"
}
trap cleanup EXIT
"$top/scripts/lab.sh" up "$dir" "$prefix"
# shellcheck disable=SC1091
. "$dir/lab.env"
load=$(cut -d' ' -f1-3 /proc/loadavg)
timeout 120 "$bin" "$SRV_NS" "$SRV_IF" "$CLI_NS" "$CLI_IF" \
	"${LEASES:-100000}" "${SECONDS_PER_RUN:-3}" "${RUNS:-3}"
echo
echo "load average before: $load"
