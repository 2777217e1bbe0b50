#!/usr/bin/env bash
# Build the libFuzzer fuzzers (ASan + UBSan) and run each for a while.
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
# something. Without clang or its fuzzer runtime it skips (exit 0).
set -u

out=${1:?usage: tests/fuzz/run.sh BUILD_DIR [SECONDS]}
secs=${2:-20}
out=$(realpath -m "$out")
cd "$(dirname "$0")/../.." || exit 2
fz=$out/fuzz
fuzzers=(fuzz_frame fuzz_dhcp_msg fuzz_config fuzz_lease_files)
CC=${FUZZ_CC:-clang}
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
jobs=$(nproc 2>/dev/null || echo 2)

skip() {
	echo "[==========] Running ${#fuzzers[@]} fuzzer(s)."
	echo "$1"
	echo "[  SKIPPED ] ${#fuzzers[@]} test(s)."
	exit 0
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
	esac
}

export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
passed=0
failed=()
echo "[==========] Running ${#fuzzers[@]} fuzzer(s) for $secs s each."
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

echo "[==========] ${#fuzzers[@]} fuzzer(s) ran."
echo "[  PASSED  ] $passed test(s)."
if [ ${#failed[@]} -ne 0 ]; then
	echo "[  FAILED  ] ${#failed[@]} test(s), listed below:"
	printf '[  FAILED  ] %s\n' "${failed[@]}"
	exit 1
fi
exit 0
