#!/usr/bin/env bash
# Build the libFuzzer fuzzers (ASan + UBSan) and run each for a while,
# then run the XDP fuzzer (fuzz_xdp, built by the Makefile) for
# FUZZ_XDP_EXECS executions (default 10^6; FUZZ_XDP_SEED fixes its seed).
# Usage: tests/fuzz/run.sh BUILD_DIR [SECONDS]
#
# Everything goes to BUILD_DIR/fuzz/: build/ (the project's library built
# by the Makefile with clang and the sanitizers), fuzzers, seeds/NAME (written
# by mkseeds every run), corpus/NAME (kept between runs: it is what the fuzzer learnt),
# crashes/ (libFuzzer's artifacts), logs/NAME.log.
#
# Rebuilds incrementally: the library as make sees fit, a fuzzer when its
# sources or the library changed (a full build is ~40 s on 2 CPUs, nothing
# to do is instant).
#
# Prints cmocka-style lines for tests/run.sh and exits 1 if a fuzzer found
# something. Without clang or its fuzzer runtime the libFuzzer fuzzers
# are skipped, without root the XDP fuzzer.
set -u

out=${1:?usage: tests/fuzz/run.sh BUILD_DIR [SECONDS]}
secs=${2:-20}
out=$(realpath -m "$out")
cd "$(dirname "$0")/../.." || exit 2
fz=$out/fuzz
fuzzers=(fuzz_frame fuzz_dhcp_msg fuzz_config fuzz_lease_files fuzz_classify_expr)
CC=${FUZZ_CC:-clang}
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
jobs=$(nproc 2>/dev/null || echo 2)
passed=0
skipped=0
failed=()

# ---- the XDP program: fuzz_xdp -------------------------------------------
# A plain binary (no libFuzzer) driving the real object with BPF_PROG_RUN
# (tests/fuzz/README.md); it uses both CPUs, one process each.
run_xdp() {
	local bin=$out/tests/fuzz/fuzz_xdp log=$fz/logs/fuzz_xdp.log rc
	local -a args=(-n "${FUZZ_XDP_EXECS:-1000000}" -j "$jobs"
		-o "$fz/crashes" -f tests/fuzz/findings/xdp)

	[ -n "${FUZZ_XDP_SEED:-}" ] && args+=(-s "$FUZZ_XDP_SEED")
	if [ ! -x "$bin" ]; then
		echo "[ RUN      ] fuzz_xdp"
		echo "[  FAILED  ] fuzz_xdp: $bin not built (run make)"
		failed+=(fuzz_xdp)
		return
	fi
	"$bin" "${args[@]}" >"$log" 2>&1
	rc=$?
	[ "$rc" -eq 77 ] && echo "[ RUN      ] fuzz_xdp"
	cat "$log"
	case $rc in
	0) passed=$((passed + 1)) ;;
	77)
		echo "[  SKIPPED ] fuzz_xdp"
		skipped=$((skipped + 1))
		;;
	*)
		grep -q '^\[  FAILED  \]' "$log" ||
			echo "[  FAILED  ] fuzz_xdp: exit $rc, see $log"
		echo "    log: $log"
		failed+=(fuzz_xdp)
		;;
	esac
}

# Prints the totals for tests/run.sh and exits: 1 when a fuzzer failed.
finish() {
	echo "[==========] $((${#fuzzers[@]} + 1)) fuzzer(s) ran."
	echo "[  PASSED  ] $passed test(s)."
	[ "$skipped" -ne 0 ] && echo "[  SKIPPED ] $skipped test(s)."
	if [ ${#failed[@]} -ne 0 ]; then
		echo "[  FAILED  ] ${#failed[@]} test(s), listed below:"
		printf '[  FAILED  ] %s\n' "${failed[@]}"
		exit 1
	fi
	exit 0
}

skip() {
	echo "[==========] Running ${#fuzzers[@]} libFuzzer fuzzer(s)."
	echo "$1"
	echo "[  SKIPPED ] ${#fuzzers[@]} libFuzzer fuzzer(s)"
	skipped=$((skipped + ${#fuzzers[@]}))
	run_xdp
	finish
}

mkdir -p "$fz/logs" "$fz/crashes" "$fz/corpus" || exit 2
command -v "$CC" >/dev/null || skip "fuzz: $CC not found (apt install clang)"
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n)\n{ return 0; }\n' >"$fz/probe.c"
if ! "$CC" -fsanitize=fuzzer,address,undefined "$fz/probe.c" -o "$fz/probe" 2>"$fz/logs/probe.log"; then
	skip "fuzz: $CC cannot link -fsanitize=fuzzer,address,undefined (apt install libclang-rt-dev): $(head -n 1 "$fz/logs/probe.log")"
fi

# -fno-sanitize-recover: UBSan aborts, so libFuzzer keeps the input.
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
HFLAGS="-Wall -Wextra -Werror -Wno-unused-parameter -Wmissing-prototypes -Itests/lib -Itests/fuzz"
LDLIBS="$($PKG_CONFIG --libs libbpf json-c sqlite3 libmicrohttpd 2>/dev/null || echo -lbpf -ljson-c -lsqlite3 -lmicrohttpd) -lelf -lz -pthread"

# ---- build -------------------------------------------------------------
# The library comes from the project's Makefile, built with clang and the
# sanitizers into its own output folder (dependency files make it
# incremental).
build_lib() {
	make --no-print-directory -s OUT="$fz/build" CC="$CC" \
		CFLAGS="-fsanitize=fuzzer-no-link $SAN -g -O1" \
		"$fz/build/libdhcpxdp.a" >"$fz/logs/build.log" 2>&1 || {
		cat "$fz/logs/build.log"
		return 1
	}
}

build_fuzzer() {
	local name=$1 bin=$fz/$1 src=tests/fuzz/$1.c f
	local -a deps=("$src" tests/fuzz/fuzz_common.h tests/lib/frame.c tests/lib/frame.h "$fz/build/libdhcpxdp.a")

	for f in "${deps[@]}"; do
		if [ ! -e "$bin" ] || [ "$f" -nt "$bin" ]; then
			# shellcheck disable=SC2086
			$CC -fsanitize=fuzzer $SAN -g -O1 -std=gnu11 -D_GNU_SOURCE \
				-Iinclude -Iuser -I"$fz/build" $HFLAGS "$src" tests/lib/frame.c \
				"$fz/build/libdhcpxdp.a" $LDLIBS -o "$bin" || return 1
			return 0
		fi
	done
}

build_lib || {
	echo "fuzz: building user/ for fuzzing failed" >&2
	exit 1
}
for name in "${fuzzers[@]}"; do
	build_fuzzer "$name" || {
		echo "fuzz: building $name failed" >&2
		exit 1
	}
done
# shellcheck disable=SC2086
$CC -O1 -g -std=gnu11 -D_GNU_SOURCE -Iinclude $HFLAGS tests/fuzz/seeds.c \
	tests/lib/frame.c -o "$fz/mkseeds" || exit 1
"$fz/mkseeds" "$fz/seeds" examples/*.json || exit 1

# libFuzzer dictionary for the configuration: its keys and option names.
{
	for w in '{' '}' '[' ']' ':' ',' true false null '//' '/*' '*/' '#' \
		Dhcp4 dhcpxdp name code data ' - ' / 0.0.0.0 255.255.255.255; do
		printf 'kw="%s"\n' "$(printf '%s' "$w" | sed 's/["\\]/\\&/g')"
	done
	# Keys and values the loader compares against, quoted as in JSON.
	grep -oh '"[a-z][a-z0-9-]*"' user/config/*.c | sed 's/"\(.*\)"/kw="\\"\1\\""/'
	grep -oh '_("[a-z0-9-]*"' user/wire/option_def.c | sed 's/_("\(.*\)"/kw="\\"\1\\""/'
} | sort -u >"$fz/config.dict"
# fuzz_classify_expr: the words and marks of Kea's expressions.
for w in option relay4 pkt4 substring concat ifelse hexstring member known \
	unknown not and or all hex text exists mac hlen htype ciaddr giaddr \
	yiaddr siaddr msgtype transid "'" '[' ']' '(' ')' . , == + 0x; do
	printf 'kw="%s"\n' "$w"
done >"$fz/classify.dict"
# fuzz_frame: the record separator (fuzz_common.h).
sep=$(sed -n 's/^#define FUZZ_FRAME_SEP "\(.*\)"$/\1/p' tests/fuzz/fuzz_common.h)
echo "sep=\"$sep\"" >"$fz/frame.dict"

# ---- run ---------------------------------------------------------------
extra_args() {
	case $1 in
	fuzz_frame) echo "-max_len=16384 -dict=$fz/frame.dict" ;; # sequences of frames
	fuzz_dhcp_msg) echo "-max_len=17000" ;; # past DHCP_MSG_OPT_BUF_LEN
	fuzz_config) echo "-max_len=16384 -dict=$fz/config.dict" ;;
	fuzz_lease_files) echo "-max_len=4096" ;; # first byte: the format
	fuzz_classify_expr) echo "-max_len=2048 -dict=$fz/classify.dict" ;;
	esac
}

export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
echo "[==========] Running ${#fuzzers[@]} libFuzzer fuzzer(s) for $secs s each, then fuzz_xdp."
for name in "${fuzzers[@]}"; do
	log=$fz/logs/$name.log
	mkdir -p "$fz/corpus/$name" "$fz/seeds/$name"
	echo "[ RUN      ] $name ($secs s)"
	# shellcheck disable=SC2046
	"$fz/$name" -max_total_time="$secs" -timeout=5 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$fz/crashes/$name-" \
		$(extra_args "$name") "$fz/corpus/$name" "$fz/seeds/$name" \
		$([ "$name" = fuzz_frame ] && echo tests/fuzz/findings) \
		$([ "$name" = fuzz_lease_files ] && echo tests/fuzz/lease_files) >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
	cov=$(grep -ao 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	if [ "$rc" -eq 0 ]; then
		echo "[       OK ] $name: ${runs:-?} runs, cov ${cov:-?}"
		passed=$((passed + 1))
		continue
	fi
	art=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
	if [ -n "$art" ]; then
		kind=$(basename "$art" | sed "s/^$name-//; s/-.*//")
		echo "[  FAILED  ] $name: $kind, see $art"
	else
		echo "[  FAILED  ] $name: exit $rc, see $log"
	fi
	grep -a -m 1 -E 'ERROR: |runtime error|invariant failed' "$log" | sed 's/^/    /'
	echo "    log: $log; reproduce: $fz/$name ${art:-FILE}"
	failed+=("$name")
done

run_xdp
finish
