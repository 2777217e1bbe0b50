#!/usr/bin/env bash
# XDP per-packet cost of the renewal ACK at 1,000, 100,000 and 1,000,000
# leases: tests/bench/bench_xdp run RUNS times per size; each invocation
# measures MAC-swap and the renewal in the same process, and only their
# ratio is compared across invocations (absolute ns drift when other work
# shares the CPUs). Prints a markdown section (stdout): per size the
# median ratio with its min-max range, then the full table of the last
# invocation at the largest size. Progress on stderr.
#
#   scripts/bench-xdp.sh [BUILD_DIR]
#
# Knobs (environment): SIZES ("1000 100000 1000000"), RUNS (5),
# CALLS (calls per round, 50000). Root only (BPF_PROG_RUN).
set -euo pipefail
out=${1:-build}
bin=$out/tests/bench/bench_xdp
sizes=${SIZES:-1000 100000 1000000}
runs=${RUNS:-5}
calls=${CALLS:-50000}
[ -x "$bin" ] || {
	echo "bench-xdp.sh: $bin missing; run make all" >&2
	exit 1
}
tmp=$(mktemp -d /tmp/dxbx.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# Column 4 of a row of bench_xdp's table: the ratio to MAC-swap.
ratio_of() { awk -F'|' -v row="$2" '$2 == " " row " " { gsub(/ /, "", $4); print $4 }' "$1"; }
ns_of() { awk -F'|' -v row="$2" '$2 == " " row " " { gsub(/ /, "", $3); print $3 }' "$1"; }
# median, min and max of the numbers on stdin, one a line
stats() { sort -g | awk '{ v[NR] = $1 } END { printf "%s %s %s\n", v[int((NR + 1) / 2)], v[1], v[NR] }'; }

load=$(cut -d' ' -f1-3 /proc/loadavg)
for n in $sizes; do
	for r in $(seq "$runs"); do
		echo "== bench_xdp $n $calls (run $r of $runs)" >&2
		timeout 600 "$bin" "$n" "$calls" >"$tmp/$n.$r"
		ratio_of "$tmp/$n.$r" "renewal ACK" >>"$tmp/$n.ack"
		ratio_of "$tmp/$n.$r" "renewal ACK, looked up by client (no address window)" >>"$tmp/$n.hash"
		ratio_of "$tmp/$n.$r" "renewal ACK + horizon-extension event" >>"$tmp/$n.ext"
		ns_of "$tmp/$n.$r" "MAC-swap XDP_TX baseline" >>"$tmp/$n.base"
		ratio_of "$tmp/$n.$r" "floor: MAC-swap + the client's entry read and written" >>"$tmp/$n.floor"
	done
done

echo "### XDP renewal ACK cost by lease count (bench_xdp, $runs invocations each)"
echo
echo "Each invocation: \`bench_xdp LEASES $calls\` (median of 3 rounds of $calls"
echo "BPF_PROG_RUN calls per case, random clients); the ratio is to the MAC-swap"
echo "XDP_TX program measured in the same invocation. Median of the $runs"
echo "invocations, their min-max in brackets. Load average at the start: $load."
echo "The renewal is found by its address (dx_addrs); \"by client\" is the same"
echo "renewal in a subnet without an address window, found in the lease hash."
echo "The floor is MAC-swap plus reading and writing the renewing client's entry"
echo "in an array of as many entries (tests/bpf/lease_read.bpf.c), the one access"
echo "any lease layout makes; what the renewal costs above it is the program's own work."
echo
echo "| leases | renewal ACK x MAC-swap | floor (one entry) | by client | ACK + horizon-extension event | MAC-swap ns |"
echo "|---:|---:|---:|---:|---:|---:|"
for n in $sizes; do
	read -r am amin amax < <(stats <"$tmp/$n.ack")
	read -r hm hmin hmax < <(stats <"$tmp/$n.hash")
	read -r em emin emax < <(stats <"$tmp/$n.ext")
	read -r bm bmin bmax < <(stats <"$tmp/$n.base")
	read -r fm fmin fmax < <(stats <"$tmp/$n.floor")
	printf '| %s | **%s** (%s-%s) | %s (%s-%s) | %s (%s-%s) | %s (%s-%s) | %s (%s-%s) |\n' \
		"$n" "$am" "$amin" "$amax" "$fm" "$fmin" "$fmax" \
		"$hm" "$hmin" "$hmax" "$em" "$emin" "$emax" "$bm" "$bmin" "$bmax"
done
echo
last=${sizes##* }
echo "Every case, the last invocation at $last leases:"
echo
tail -n +3 "$tmp/$last.$runs"
