#!/usr/bin/env bash
# Run dhcpxdp's test suites and print one summary line:
#   "N passed, N failed, N skipped"
# Usage: tests/run.sh BUILD_DIR [layout|unit|bpf|fuzz|integration]...
# layout: scripts/check-layout.sh (folders, dependency direction, no
# include or call loops, nothing pointing outside the repository).
# fuzz: each libFuzzer fuzzer for FUZZ_SECONDS (default 15) from its seeds
# and the corpus kept in BUILD_DIR/fuzz, then the XDP fuzzer for
# FUZZ_XDP_EXECS executions (default 10^6) (tests/fuzz/README.md).
# Every suite is a cmocka binary (or a script printing cmocka-style
# [  PASSED  ] / [  FAILED  ] / [  SKIPPED ] lines); its counts are summed.
set -u
out=$(realpath -m "${1:?usage: tests/run.sh BUILD_DIR [suite...]}")
shift
cd "$(dirname "$0")/.." || exit 2
suites=("$@")
[ ${#suites[@]} -eq 0 ] && suites=(layout unit bpf fuzz integration)

passed=0 failed=0 skipped=0 broken=()
log_dir=$out/test-logs
mkdir -p "$log_dir"

run_one() {
	local name=$1
	shift
	local log=$log_dir/$(basename "$name").log
	printf '== %s\n' "$name"
	"$@" 2>&1 | tee "$log"
	local rc=${PIPESTATUS[0]}
	local p f s
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]\+\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]\+\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	s=$(sed -n 's/^\[  SKIPPED \] \([0-9]\+\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	# A suite that dies without reporting (crash, load failure) counts
	# as one failure so it can never pass silently.
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		failed=$((failed + 1))
		broken+=("$name (exit $rc)")
	elif [ "$f" -ne 0 ]; then
		broken+=("$name")
	fi
}

for suite in "${suites[@]}"; do
	case $suite in
	unit | bpf)
		# One binary per source: a stale binary of a removed test
		# (an old build folder) is not run.
		for src in tests/"$suite"/test_*.c; do
			t=$out/tests/$suite/$(basename "$src" .c)
			if [ ! -x "$t" ]; then
				echo "== $suite/$(basename "$t"): not built (run make)"
				failed=$((failed + 1))
				broken+=("$suite/$(basename "$t") (not built)")
				continue
			fi
			run_one "$suite/$(basename "$t")" "$t"
		done
		;;
	layout)
		run_one "layout" scripts/check-layout.sh "$out"
		;;
	fuzz)
		run_one "fuzz/run.sh" tests/fuzz/run.sh "$out" "${FUZZ_SECONDS:-15}"
		;;
	integration)
		for t in tests/integration/test_*.sh; do
			[ -x "$t" ] || continue
			run_one "integration/$(basename "$t")" "$t" "$out"
		done
		;;
	*)
		echo "unknown suite: $suite" >&2
		exit 2
		;;
	esac
done

echo
if [ ${#broken[@]} -ne 0 ]; then
	echo "failing suites:"
	printf '  %s\n' "${broken[@]}"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
