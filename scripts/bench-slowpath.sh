#!/usr/bin/env bash
# Slow-path and scale benchmarks, side by side with
# Kea 2.2 (memfile), dnsmasq and ISC dhcpd, in a netns lab (scripts/lab.sh).
#
#   scripts/bench-slowpath.sh [BUILD_DIR]        (root; default build)
#
# 1. DORA ramp: perfdhcp (identical flags for every server) at rising
#    rates, each step PERIOD seconds against a freshly started server with
#    an empty lease store; per server the highest rate with <= 1% of DORA
#    exchanges unanswered, and its OFFER/ACK mean and p99 delay (p99 from
#    perfdhcp's per-exchange timestamps, -x t).
# 2. Mixed: DORA plus renewals (-f) at a fixed rate; for dhcpxdp also the
#    share of renewals answered in XDP (dhcpxdp stats --json).
# 3. Generators: the DORA ramp again, each step driven by perfdhcp and by
#    the C load generator (tests/bench/loadgen) in turn; their figures side
#    by side, and per step which side limited it.
# 3b. Mixed at the limits: dhcpxdp under renewals at the generator's
#    ceiling, DORA at its slow-path maximum and a DISCOVER flood at once;
#    each class's answered share and latency (C load generator).
# 3c. Latency at Kea's maximum: that rate again, several times, dhcpxdp,
#    Kea and dhcpxdp with fsync made free in turn; median p99 of each.
# 4. Scale: dhcpxdp start-up time and RSS with SCALE_LEASES leases in the
#    database, and the lease map's kernel memory (bpftool memlock).
# Results: a markdown section appended to BUILD_DIR/bench/results.md (and
# printed), raw data and logs in BUILD_DIR/bench/slowpath/, the chart in
# BUILD_DIR/bench/slowpath.png. See docs/benchmarks.md.
#
# Environment: QUICK=1 (1 run, fewer and shorter steps), RUNS, PERIOD,
# RATES, SERVERS ("dhcpxdp kea dnsmasq dhcpd"), MIX_RATE, MIX_RENEW,
# MIX_PERIOD, GEN_RATES (empty: no section 3), GEN_PERIOD, LIMITS_RUNS (0:
# no section 3b), LIMITS_BOUND, LIMITS_RENEW, LIMITS_DORA, LIMITS_FLOOD,
# LIMITS_PERIOD, LAT_RUNS (0: no section 3c), LAT_RATE, LAT_PERIOD,
# SCALE_LEASES, SCALE_RUNS.
set -uo pipefail

out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/.." && pwd)
PY=/usr/bin/python3
HELPER=$top/tests/bench/slowpath.py
DHCPXDP=$out/dhcpxdp
# Section 3c only: dhcpxdp with fsync made free, to measure its share.
NO_FSYNC=$out/tests/bench/no_fsync.so
T_START=$SECONDS

if [ "${QUICK:-0}" = 1 ]; then
	RUNS=${RUNS:-1}
	PERIOD=${PERIOD:-2}
	RATES=${RATES:-"500 1000 2000 4000 8000 16000 32000"}
	MIX_PERIOD=${MIX_PERIOD:-3}
	SCALE_RUNS=${SCALE_RUNS:-1}
	GEN_RATES=${GEN_RATES-"25 100 1000 8000 16000 32000 48000"}
else
	RUNS=${RUNS:-3}
	PERIOD=${PERIOD:-3}
	# From 25/s, so that a server fsyncing every lease on a slow disk
	# (ISC dhcpd here) still gets a figure of its own.
	RATES=${RATES:-"25 50 100 250 500 1000 2000 4000 8000 12000 14000 16000 20000 24000 28000 32000"}
	MIX_PERIOD=${MIX_PERIOD:-5}
	SCALE_RUNS=${SCALE_RUNS:-3}
	# Low first steps, so that a server failing at 250/s still gets a
	# figure; past perfdhcp's ceiling for the C generator.
	GEN_RATES=${GEN_RATES-"25 50 100 250 1000 4000 8000 16000 24000 32000 48000"}
fi
GEN_PERIOD=${GEN_PERIOD:-2}
SERVERS=${SERVERS:-"dhcpxdp dhcpxdp-pg kea kea-pg dnsmasq dhcpd"}
MIX_RATE=${MIX_RATE:-1000}
MIX_RENEW=${MIX_RENEW:-1000}
SCALE_LEASES=${SCALE_LEASES:-1000000}
# perfdhcp: the same flags for every server. -R: 1,000,000 simulated
# clients (random MACs); -W: wait 0.5 s for late replies after the period.
PERF_FLAGS="-4 -R 1000000 -W 500000 -x t"

[ "$(id -u)" -eq 0 ] || {
	echo "bench-slowpath: needs root (netns, XDP); skipped" >&2
	exit 0
}
command -v perfdhcp >/dev/null || {
	echo "bench-slowpath: perfdhcp missing (scripts/deps.sh bench); skipped" >&2
	exit 0
}
# dhcpxdp-pg and kea-pg: the same servers on one throwaway PostgreSQL
# (tests/integration/pgsql_lib.sh), started once for the run.
. "$top/tests/integration/pgsql_lib.sh"
have_server() {
	case $1 in
	dhcpxdp) [ -x "$DHCPXDP" ] ;;
	dhcpxdp-pg) [ -x "$DHCPXDP" ] && pg_available ;;
	kea-pg) command -v kea-dhcp4 >/dev/null && command -v kea-admin >/dev/null &&
		pg_available ;;
	kea) command -v kea-dhcp4 >/dev/null ;;
	dnsmasq) command -v dnsmasq >/dev/null ;;
	dhcpd) command -v dhcpd >/dev/null ;;
	*) false ;;
	esac
}
srv_list=""
for s in $SERVERS; do
	if have_server "$s"; then
		srv_list="$srv_list $s"
	else
		echo "bench-slowpath: $s not installed, left out" >&2
	fi
done

res_dir=$out/bench
data=$res_dir/slowpath
rm -rf "$data"
mkdir -p "$data"
# Lease stores on disk, not tmpfs: an fsync on tmpfs would cost nothing.
W=$(mktemp -d /var/tmp/dxbench-XXXXXX)
PREFIX=dxb$((RANDOM % 10000))
SRV_PID=

# perfdhcp reads its replies through one UDP socket with the default
# receive buffer (208 KiB): past ~20,000 DORA/s with -x t it overflows
# (UdpRcvbufErrors in the client netns) and the figure measures the
# client, not the server. The buffer default is not per-netns: it is
# raised for the run, for every server alike, and restored at exit.
RMEM_SAVED=$(sysctl -n net.core.rmem_default)
RMEM_BENCH=${RMEM_BENCH:-4194304}
sysctl -qw net.core.rmem_default="$RMEM_BENCH" ||
	echo "bench-slowpath: cannot raise net.core.rmem_default" >&2

cleanup() {
	server_stop
	pg_down
	"$top/scripts/lab.sh" down "$W" "$PREFIX" 2>/dev/null
	rm -rf "$W"
	sysctl -qw net.core.rmem_default="$RMEM_SAVED"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$top/scripts/lab.sh" up "$W" "$PREFIX" || {
	echo "bench-slowpath: cannot build the lab" >&2
	exit 1
}
# One PostgreSQL for dhcpxdp-pg and kea-pg (data on /tmp: on disk here,
# as the other servers' files), each in its own database and schema.
if [[ " $srv_list " == *"-pg "* ]]; then
	pg_up && cat >"$W/pg.json" <<JSON
{ "Dhcp4": { "lease-database": { "type": "postgresql", "name": "dhcpxdp",
  "host": "$PG_DIR", "user": "dhcpxdp" } } }
JSON
	if [ -z "$PG_DIR" ] || ! "$DHCPXDP" db init -c "$W/pg.json" >/dev/null ||
		! pg_sql "CREATE DATABASE kea OWNER dhcpxdp" >/dev/null ||
		! timeout 120 kea-admin db-init pgsql -u dhcpxdp -p unused -n kea \
			-h "$PG_DIR" >"$W/kea-admin.log" 2>&1; then
		echo "bench-slowpath: PostgreSQL could not be set up; dhcpxdp-pg and kea-pg left out" >&2
		srv_list=$(echo "$srv_list" | tr ' ' '\n' | grep -v -- '-pg$' | tr '\n' ' ')
	fi
fi
. "$W/lab.env"
srv() { ip netns exec "$SRV_NS" "$@"; }
cli() { ip netns exec "$CLI_NS" "$@"; }
# perfdhcp acts as a relay (giaddr = 10.77.0.2): it needs an address (and
# so does the C generator in relay mode).
cli ip addr add 10.77.0.2/24 dev "$CLI_IF"

log() { echo "[$((SECONDS - T_START))s] $*" >&2; }

# wait_for SECONDS COMMAND...: poll every 20 ms.
wait_for() {
	local deadline=$((SECONDS + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ $SECONDS -ge "$deadline" ] && return 1
		sleep 0.02
	done
}
udp67_bound() { srv ss -lun | grep -q ':67 '; }

# --- servers: each gets its own empty directory $D; SRV_PID is its pid. ---
# All use the same pool (10.78.0.0 - 10.79.255.250, 131k addresses: more
# than the 32,000/s step can ask in 3 s), subnet 10.76.0.0/14, a 1 h
# lease, relayed requests (giaddr 10.77.0.2 is in it), minimal logging.

# The slow path itself is measured: dhcpxdp's rate limits on what XDP
# passes up (200 requests/s per network by default) are off, as the
# other servers have none.
NO_LIMITS='{ "per-client": { "rate": 0 }, "per-network": { "rate": 0 },
    "per-relay": { "rate": 0 }, "per-circuit-id": { "rate": 0 } }'

start_dhcpxdp() {
	local pin=$W/bpffs/$1 extra=${2:-} db=${DX_LEASE_DB:-}
	[ -n "$db" ] || db="{ \"type\": \"sqlite\", \"name\": \"$D/leases.sqlite3\" }"
	cat >"$D/dhcpxdp.json" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$SRV_IF" ] },
  "valid-lifetime": 3600, "renew-timer": 900, "rebind-timer": 3150,
  "lease-database": $db,
  "control-socket": { "socket-type": "unix", "socket-name": "$D/control.sock" },
  "subnet4": [ { "id": 1, "subnet": "10.76.0.0/14", "interface": "$SRV_IF",
    "pools": [ { "pool": "10.78.0.0 - 10.79.255.250" } ] } ],
  "dhcpxdp": { "pin-dir": "$pin", "rate-limits": $NO_LIMITS $extra }
} }
JSON
	DX_PIN=$pin
	ip netns exec "$SRV_NS" env ${DX_PRELOAD:+LD_PRELOAD="$DX_PRELOAD"} \
		"$DHCPXDP" run -c "$D/dhcpxdp.json" >"$D/server.log" 2>&1 &
	SRV_PID=$!
	wait_for 30 grep -q "DHCPXDP_STARTED ready" "$D/server.log"
}

# Every step starts on an empty table, as the others on an empty file.
start_dhcpxdp_pg() {
	pg_sql "TRUNCATE dhcpxdp_lease4" >/dev/null || return 1
	DX_LEASE_DB='{ "type": "postgresql", "name": "dhcpxdp", "host": "'"$PG_DIR"'", "user": "dhcpxdp" }' \
		start_dhcpxdp "$1"
}

start_kea_pg() {
	timeout 30 "$PG_BIN/psql" -h "$PG_DIR" -U dhcpxdp -d kea -XAtq \
		-c "TRUNCATE lease4" >/dev/null || return 1
	KEA_LEASE_DB='{ "type": "postgresql", "name": "kea", "host": "'"$PG_DIR"'", "user": "dhcpxdp", "password": "unused" }' \
		start_kea
}

start_kea() {
	local db=${KEA_LEASE_DB:-}
	[ -n "$db" ] || db="{ \"type\": \"memfile\", \"persist\": true, \"name\": \"$D/kea-leases4.csv\", \"lfc-interval\": 0 }"
	cat >"$D/kea.json" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$SRV_IF" ] },
  "lease-database": $db,
  "valid-lifetime": 3600, "renew-timer": 900, "rebind-timer": 3150,
  "subnet4": [ { "id": 1, "subnet": "10.76.0.0/14", "interface": "$SRV_IF",
    "pools": [ { "pool": "10.78.0.0 - 10.79.255.250" } ] } ],
  "loggers": [ { "name": "kea-dhcp4", "severity": "WARN",
    "output_options": [ { "output": "$D/server.log" } ] } ]
} }
JSON
	KEA_PIDFILE_DIR=$D KEA_LOCKFILE_DIR=$D \
		ip netns exec "$SRV_NS" kea-dhcp4 -c "$D/kea.json" >"$D/stdout.log" 2>&1 &
	SRV_PID=$!
	wait_for 20 udp67_bound
}

start_dnsmasq() {
	ip netns exec "$SRV_NS" dnsmasq --no-daemon --conf-file=/dev/null --port=0 \
		--user=root --group=root --interface="$SRV_IF" --bind-interfaces \
		--dhcp-range=10.78.0.0,10.79.255.250,255.252.0.0,1h \
		--dhcp-authoritative --no-ping --dhcp-lease-max=1000000 \
		--dhcp-leasefile="$D/dnsmasq.leases" --pid-file="$D/dnsmasq.pid" \
		--quiet-dhcp --log-facility="$D/server.log" \
		>"$D/stdout.log" 2>&1 &
	SRV_PID=$!
	wait_for 20 udp67_bound
}

start_dhcpd() {
	cat >"$D/dhcpd.conf" <<CONF
authoritative;
ddns-update-style none;
ping-check false;
default-lease-time 3600;
max-lease-time 3600;
subnet 10.76.0.0 netmask 255.252.0.0 {
  range 10.78.0.0 10.79.255.250;
}
CONF
	: >"$D/dhcpd.leases"
	# No /dev/log here: dhcpd's per-packet syslog lines go nowhere.
	ip netns exec "$SRV_NS" dhcpd -4 -f -q -cf "$D/dhcpd.conf" -lf "$D/dhcpd.leases" \
		-pf "$D/dhcpd.pid" "$SRV_IF" >"$D/server.log" 2>&1 &
	SRV_PID=$!
	wait_for 20 udp67_bound
}

server_start() { # SERVER TAG
	D=$W/run/$2
	if udp67_bound; then
		log "port 67 still bound in $SRV_NS before $1 starts"
		return 1
	fi
	mkdir -p "$D"
	SRV_NAME=$1
	case $1 in
	dhcpxdp) start_dhcpxdp "$2" ;;
	dhcpxdp-nofsync) DX_PRELOAD=$NO_FSYNC start_dhcpxdp "$2" ;;
	dhcpxdp-pg) start_dhcpxdp_pg "$2" ;;
	kea-pg) start_kea_pg ;;
	*) "start_$1" ;;
	esac
}

server_stop() {
	[ -n "${SRV_PID:-}" ] || return 0
	kill "$SRV_PID" 2>/dev/null
	for _ in $(seq 50); do
		kill -0 "$SRV_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$SRV_PID" 2>/dev/null
	wait "$SRV_PID" 2>/dev/null
	SRV_PID=
	# Nothing of ours may outlive a step in the server namespace.
	local left f
	left=$(ip netns pids "$SRV_NS" 2>/dev/null)
	if [ -n "$left" ]; then
		log "left over in $SRV_NS after $SRV_NAME: $left; killed"
		kill -9 $left 2>/dev/null
		sleep 0.2
	fi
	if [[ $SRV_NAME == dhcpxdp* ]]; then
		# The XDP program outlives the daemon by design: remove it, so
		# the next server sees the plain stack, and drop the pins.
		srv "$DHCPXDP" detach "$SRV_IF" --pin-dir "$DX_PIN" >/dev/null 2>&1
		srv ip link set dev "$SRV_IF" xdp off 2>/dev/null
		rm -rf "$DX_PIN"
	fi
	# Keep the logs; drop the lease stores (disk space).
	mkdir -p "$data/logs"
	for f in "$D"/*.log; do
		[ -s "$f" ] && cp "$f" "$data/logs/$(basename "$D")-$(basename "$f")"
	done
	find "$D" -maxdepth 1 -type f ! -name '*.log' -delete
}

daemon_counter() { # NAME: a daemon counter from the control socket
	"$DHCPXDP" status -c "$D/dhcpxdp.json" --json 2>/dev/null |
		grep -o "\"$1\": *[0-9]*" | head -1 | awk -F: '{print $2 + 0}'
}

xdp_counter() { # NAME
	srv "$DHCPXDP" stats --json --pin-dir "$DX_PIN" 2>/dev/null |
		grep -o "\"$1\": [0-9]*" | awk '{print $2}'
}

# perfdhcp RATE PERIOD LOG [more flags]; bounded; one retry if it hangs
# (seen once with its multi-threaded receiver).
perf() {
	local rate=$1 period=$2 logf=$3
	shift 3
	for _ in 1 2; do
		# Its CPU time too (section 4 reports the generator's share).
		cli /usr/bin/time -f '%e %U %S' -o "$logf.time" \
			timeout $((period + 15)) perfdhcp $PERF_FLAGS -l "$CLI_IF" \
			-r "$rate" -p "$period" -s "$RUN_SEED" "$@" 10.77.0.1 \
			>"$logf" 2>&1
		[ $? -ne 124 ] && return 0
		log "perfdhcp timed out (rate $rate); retrying"
	done
}

# --- 1. DORA ramp ---------------------------------------------------------
# UDP receive-buffer overflows in the client netns so far (/proc/net/snmp).
rcvbuf_errors() { cli awk '/^Udp: [0-9]/ {print $6}' /proc/net/snmp; }

ramp_one() { # SERVER RUN
	local s=$1 run=$2 over=0 rate tag line drops e0 e1
	for rate in $RATES; do
		tag=$s-r$run-$rate
		if ! server_start "$s" "$tag"; then
			log "$s did not start; see $data/logs/$tag-*"
			server_stop
			return
		fi
		e0=$(rcvbuf_errors)
		perf "$rate" "$PERIOD" "$data/$tag.perfdhcp"
		e1=$(rcvbuf_errors)
		# Did the server answer everything it received? (dhcpxdp
		# counts; for the others, perfdhcp's drops say it all.)
		served=""
		[[ $s == dhcpxdp* ]] && served=" (server: $(daemon_counter replies-sent) replies to $(daemon_counter rx-frames) frames received)"
		server_stop
		echo "$s $run $rate $((e1 - e0))" >>"$data/rcvbuf.txt"
		line=$($PY "$HELPER" parse "$data/$tag.perfdhcp" "$PERIOD" \
			server="$s" run="$run" rate="$rate")
		echo "$line" >>"$data/ramp.jsonl"
		# Keep the summary, not 100,000 timestamp lines.
		sed -i '/^sent \/ received:/d' "$data/$tag.perfdhcp"
		drops=$(echo "$line" | grep -o '"drops": [0-9.]*' | awk '{print $2}')
		log "$s run $run: $rate/s -> drops $drops % (client receive-buffer overflows: $((e1 - e0)))$served"
		# Stop after two steps over 1%, or one over 25%.
		if awk "BEGIN{exit !($drops > 1)}"; then
			over=$((over + 1))
			[ $over -ge 2 ] && return
			awk "BEGIN{exit !($drops > 25)}" && return
		fi
	done
}

for run in $(seq "$RUNS"); do
	RUN_SEED=$run
	# Servers interleaved within a run, so load drift hits all alike.
	for s in $srv_list; do
		ramp_one "$s" "$run"
	done
done

# --- 2. Mixed: DORA + renewals -------------------------------------------
for run in $(seq "$RUNS"); do
	RUN_SEED=$((100 + run))
	for s in $srv_list; do
		# The lease stores are compared in the ramp only.
		[[ $s == *-pg ]] && continue
		tag=$s-mix$run
		server_start "$s" "$tag" || {
			log "$s did not start"
			server_stop
			continue
		}
		x0=0
		[ "$s" = dhcpxdp ] && x0=$(xdp_counter ack_renewal)
		perf "$MIX_RATE" "$MIX_PERIOD" "$data/$tag.perfdhcp" -f "$MIX_RENEW"
		extra=""
		if [ "$s" = dhcpxdp ]; then
			x1=$(xdp_counter ack_renewal)
			extra="xdp_renewals=$((x1 - x0))"
		fi
		server_stop
		line=$($PY "$HELPER" parse "$data/$tag.perfdhcp" "$MIX_PERIOD" \
			server="$s" run="$run" rate="$MIX_RATE" renew="$MIX_RENEW" \
			period="$MIX_PERIOD" $extra)
		# XDP share: renewal ACKs sent by XDP / renewal ACKs received.
		line=$(echo "$line" | $PY -c '
import json, sys
r = json.loads(sys.stdin.read())
if "xdp_renewals" in r and r.get("rn_received"):
    r["xdp_share"] = round(min(1.0, r["xdp_renewals"] / r["rn_received"]), 4)
print(json.dumps(r))')
		echo "$line" >>"$data/mix.jsonl"
		sed -i '/^sent \/ received:/d' "$data/$tag.perfdhcp"
		log "$s mixed run $run: $line"
	done
done

# --- 3. Generators: perfdhcp and dhcpxdp-loadgen side by side -------------
# The same DORA ramp driven by each generator in turn (relay mode, giaddr
# 10.77.0.2, no option 82, as perfdhcp), each step against a fresh
# server: where both can drive the server their figures must agree (the C
# generator's validation); past that, each step says which side limited
# it from the CPU share of generator and server and the drops counted on
# each side.
LOADGEN=$out/tests/bench/dhcpxdp-loadgen
CLK_TCK=$(getconf CLK_TCK)
srv_ticks() { awk '{print $14 + $15}' "/proc/$SRV_PID/stat" 2>/dev/null || echo 0; }
srv_rcvbuf() { srv awk '/^Udp: [0-9]/ {print $6}' /proc/net/snmp; }

lgen() { # RATE PERIOD JSON
	cli timeout $(($2 + 15)) "$LOADGEN" -i "$CLI_IF" -s 10.77.0.1 \
		-m "$SRV_MAC" --relay 10.77.0.2 --no-option82 -r "$1" -d "$2" \
		-n 1000000 --mac-seed "$RUN_SEED" --wait 0.5 -o "$3" 2>"$3.log"
}

gen_step() { # SERVER GEN RATE: one JSON line on stdout
	local s=$1 gen=$2 rate=$3 tag=gen-$1-$2-$3 gf e0 e1 v0 v1 c0 c1 t0 t1 d0=0 d1=0
	if ! server_start "$s" "$tag"; then
		log "$s did not start; see $data/logs/$tag-*"
		server_stop
		return 1
	fi
	e0=$(rcvbuf_errors) v0=$(srv_rcvbuf) c0=$(srv_ticks) t0=$(date +%s.%N)
	[ "$s" = dhcpxdp ] && d0=$(daemon_counter rx-socket-drops)
	if [ "$gen" = perfdhcp ]; then
		gf=$data/gen/$tag.perfdhcp
		perf "$rate" "$GEN_PERIOD" "$gf"
	else
		gf=$data/gen/$tag.json
		lgen "$rate" "$GEN_PERIOD" "$gf"
	fi
	e1=$(rcvbuf_errors) v1=$(srv_rcvbuf) c1=$(srv_ticks) t1=$(date +%s.%N)
	[ "$s" = dhcpxdp ] && d1=$(daemon_counter rx-socket-drops)
	server_stop
	$PY "$HELPER" gen-parse "$gen" "$gf" "$GEN_PERIOD" server="$s" \
		gen="$gen" rate="$rate" period="$GEN_PERIOD" \
		wall="$(echo "$t1 - $t0" | bc -l)" \
		srv_cpu_s="$(echo "($c1 - $c0) / $CLK_TCK" | bc -l)" \
		cli_rcvbuf=$((e1 - e0)) srv_drops=$((v1 - v0 + ${d1:-0} - ${d0:-0}))
	[ "$gen" = perfdhcp ] && sed -i '/^sent \/ received:/d' "$gf"
	return 0
}

gen_ramp() { # SERVER: both generators, rate by rate, until each failed
	local s=$1 rate gen line drops
	declare -A over=([perfdhcp]=0 [loadgen]=0)
	for rate in $GEN_RATES; do
		for gen in perfdhcp loadgen; do
			[ "${over[$gen]}" -ge 2 ] && continue
			line=$(gen_step "$s" "$gen" "$rate") || return
			echo "$line" >>"$data/gen.jsonl"
			drops=$(echo "$line" | grep -o '"drops": [0-9.]*' | awk '{print $2}')
			log "generators, $s, $gen: $rate/s -> drops $drops %"
			if awk "BEGIN{exit !($drops > 1)}"; then
				over[$gen]=$((over[$gen] + 1))
				awk "BEGIN{exit !($drops > 25)}" && over[$gen]=2
			fi
		done
		[ "${over[perfdhcp]}" -ge 2 ] && [ "${over[loadgen]}" -ge 2 ] && return
	done
}

if [ -x "$LOADGEN" ] && [ -n "$GEN_RATES" ]; then
	mkdir -p "$data/gen"
	SRV_MAC=$(srv cat "/sys/class/net/$SRV_IF/address")
	RUN_SEED=200
	for s in $srv_list; do
		[[ $s == *-pg ]] && continue
		gen_ramp "$s"
	done
fi

# --- 3b. Mixed at the limits: renewals, DORA and a flood at once ----------
# dhcpxdp alone, driven by dhcpxdp-loadgen (perfdhcp cannot offer these
# rates): LIMITS_BOUND clients bound first, then for LIMITS_PERIOD s their
# renewals at LIMITS_RENEW/s (as many as the generator can offer: the fast
# path's own ceiling, bench_fastpath, is far above it), DORA by fresh
# clients at the slow path's maximum from section 1 (LIMITS_DORA to set
# it), and LIMITS_FLOOD DISCOVERs/s from MACs never seen again. Each
# class's answered share and latency, the renewals XDP answered, and the
# CPU of both sides.
limits_run() { # RUN
	local tag=limits$1 lf dora c0 c1 t0 t1 x0 x1 n
	dora=${LIMITS_DORA:-$($PY -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
ok = [r["offered"] for r in rows if r["server"] == "dhcpxdp" and r["drops"] <= 1]
print(int(max(ok)) if ok else 1000)' "$data/ramp.jsonl" 2>/dev/null || echo 1000)}
	n=$((LIMITS_BOUND + dora * LIMITS_PERIOD * 2))
	server_start dhcpxdp "$tag" || {
		log "dhcpxdp did not start"
		server_stop
		return 1
	}
	lf=$data/limits/$tag.json
	x0=$(xdp_counter ack_renewal) c0=$(srv_ticks) t0=$(date +%s.%N)
	cli timeout $((LIMITS_BOUND / 2000 + LIMITS_PERIOD + 30)) "$LOADGEN" \
		-i "$CLI_IF" -s 10.77.0.1 -m "$SRV_MAC" --relay 10.77.0.2 \
		--no-option82 -n "$n" --mac-seed $((60 + $1)) --bind-first \
		--bind-count "$LIMITS_BOUND" -r 4000 --period-rate "$dora" \
		--renew "$LIMITS_RENEW" --flood "$LIMITS_FLOOD" \
		-d "$LIMITS_PERIOD" -o "$lf" 2>"$lf.log"
	x1=$(xdp_counter ack_renewal) c1=$(srv_ticks) t1=$(date +%s.%N)
	server_stop
	$PY -c '
import json, sys
g = json.load(open(sys.argv[1]))
g.update(run=int(sys.argv[2]), dora_rate=int(sys.argv[3]),
         renew_rate=float(sys.argv[4]), flood_rate=float(sys.argv[5]),
         xdp_renewals=int(sys.argv[6]), srv_cpu_s=float(sys.argv[7]),
         srv_wall_s=float(sys.argv[8]))
print(json.dumps(g))' "$lf" "$1" "$dora" "$LIMITS_RENEW" "$LIMITS_FLOOD" \
		$((${x1:-0} - ${x0:-0})) "$(echo "($c1 - $c0) / $CLK_TCK" | bc -l)" \
		"$(echo "$t1 - $t0" | bc -l)" >>"$data/limits.jsonl"
	log "mixed at the limits, run $1: $(tail -1 "$lf.log")"
}

LIMITS_BOUND=${LIMITS_BOUND:-20000}
LIMITS_RENEW=${LIMITS_RENEW:-200000}
LIMITS_FLOOD=${LIMITS_FLOOD:-5000}
LIMITS_PERIOD=${LIMITS_PERIOD:-5}
if [ -x "$LOADGEN" ] && [[ " $srv_list " == *" dhcpxdp "* ]] &&
	[ "${LIMITS_RUNS:-$RUNS}" -gt 0 ]; then
	mkdir -p "$data/limits"
	SRV_MAC=$(srv cat "/sys/class/net/$SRV_IF/address")
	for run in $(seq "${LIMITS_RUNS:-$RUNS}"); do
		limits_run "$run"
	done
fi

# --- 3c. Latency at Kea's maximum, alternated ------------------------------
# One step of the ramp is one sample of a p99 that swings several-fold
# between runs on a shared machine (the disk's fsync, the scheduler), for
# Kea as for dhcpxdp. So the rate where Kea peaked in section 3 (LAT_RATE
# to set it) is run again LAT_RUNS times for LAT_PERIOD s by each of
# dhcpxdp, Kea memfile and dhcpxdp with fsync made free (no_fsync.so,
# LD_PRELOAD: a measurement, never a way to run it), in turn, so that
# the three see the same moments of the machine; the report gives each
# one's median p99 and range. The third says how much of dhcpxdp's ACK
# delay is the lease's fsync, which Kea's memfile does not do.
lat_rate() {
	[ -n "${LAT_RATE:-}" ] && { echo "$LAT_RATE"; return; }
	$PY -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
ok = [r["rate"] for r in rows if r["server"] == "kea" and r["gen"] == "loadgen"
      and r["drops"] <= 1]
print(max(ok) if ok else "")' "$data/gen.jsonl" 2>/dev/null
}

LAT_RUNS=${LAT_RUNS:-3}
LAT_PERIOD=${LAT_PERIOD:-5}
if [ -x "$LOADGEN" ] && [ "$LAT_RUNS" -gt 0 ] &&
	[[ " $srv_list " == *" dhcpxdp "* && " $srv_list " == *" kea "* ]]; then
	rate=$(lat_rate)
	lat_servers="dhcpxdp kea"
	[ -f "$NO_FSYNC" ] && lat_servers="$lat_servers dhcpxdp-nofsync"
	[ -n "$rate" ] || log "latency at Kea's maximum: no rate (set LAT_RATE)"
	mkdir -p "$data/lat"
	SRV_MAC=$(srv cat "/sys/class/net/$SRV_IF/address")
	for run in $(seq "$LAT_RUNS"); do
		[ -n "$rate" ] || break
		for s in $lat_servers; do
			tag=lat-$s-$run lf=$data/lat/lat-$s-$run.json
			if ! server_start "$s" "$tag"; then
				log "$s did not start; see $data/logs/$tag-*"
				server_stop
				continue
			fi
			RUN_SEED=$((210 + run % 40))
			lgen "$rate" "$LAT_PERIOD" "$lf"
			server_stop
			$PY -c '
import json, sys
g = json.load(open(sys.argv[1]))
row = {"server": sys.argv[2], "run": int(sys.argv[3]),
       "rate": int(sys.argv[4]), "period": int(sys.argv[5]),
       "drops": round(g["drops"], 3)}
for k in ("discover", "request"):
    row[k] = {"sent": g[k]["sent"], "answered": g[k]["answered"],
              "lat_ms": g[k].get("lat_ms", {})}
print(json.dumps(row))' "$lf" "$s" "$run" "$rate" "$LAT_PERIOD" \
				>>"$data/lat.jsonl" 2>/dev/null &&
				log "latency at Kea's maximum, $s, run $run: $(tail -1 "$data/lat.jsonl" | cut -c1-160)" ||
				log "latency at Kea's maximum: $s run $run left no figures"
		done
	done
fi

# --- 4. Scale: start-up and memory with SCALE_LEASES leases ----------------
scale_one() { # DB LEASES RUN
	local db=$1 n=$2 run=$3 pin=$W/bpffs/scale$run t0 t1 pid rss ml me mla
	D=$W/run/scale-$n-$run
	mkdir -p "$D"
	cat >"$D/dhcpxdp.json" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$SRV_IF" ] },
  "valid-lifetime": 86400,
  "lease-database": { "type": "sqlite", "name": "$db" },
  "control-socket": { "socket-type": "unix", "socket-name": "$D/control.sock" },
  "subnet4": [ { "id": 1, "subnet": "10.64.0.0/11", "interface": "$SRV_IF",
    "pools": [ { "pool": "10.78.0.0 - 10.95.255.250" } ] } ],
  "dhcpxdp": { "pin-dir": "$pin", "lease-map-capacity": $SCALE_CAP }
} }
JSON
	# Fresh pins each start: reused maps keep their old size.
	rm -rf "$pin"
	sync
	t0=$(date +%s.%N)
	ip netns exec "$SRV_NS" env ${DX_PRELOAD:+LD_PRELOAD="$DX_PRELOAD"} \
		"$DHCPXDP" run -c "$D/dhcpxdp.json" >"$D/server.log" 2>&1 &
	SRV_PID=$!
	SRV_NAME=dhcpxdp
	DX_PIN=$pin
	if ! wait_for 60 grep -q "DHCPXDP_STARTED ready" "$D/server.log"; then
		log "scale: the daemon was not ready within 60 s"
		server_stop
		return
	fi
	t1=$(date +%s.%N)
	pid=$SRV_PID
	rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
	ml=$(bpftool map show pinned "$pin/dx_leases" 2>/dev/null |
		grep -o 'memlock [0-9]*' | awk '{print $2}')
	me=$(bpftool map show pinned "$pin/dx_leases" 2>/dev/null |
		grep -o 'max_entries [0-9]*' | awk '{print $2}')
	mla=0
	for m in "$pin"/dx_*; do
		v=$(bpftool map show pinned "$m" 2>/dev/null |
			grep -o 'memlock [0-9]*' | awk '{print $2}')
		mla=$((mla + ${v:-0}))
	done
	server_stop
	echo "{\"leases\": $n, \"run\": $run, \"startup_s\": $(echo "$t1 - $t0" | bc -l | sed 's/^\./0./'), \"rss_kib\": $rss, \"memlock\": ${ml:-0}, \"max_entries\": ${me:-0}, \"memlock_all\": $mla}" >>"$data/scale.jsonl"
	log "scale $n leases run $run: $(tail -1 "$data/scale.jsonl")"
}

if [[ " $srv_list " == *" dhcpxdp "* ]] && [ -x "$out/tests/bench/bench_startup" ]; then
	# Map sized for the leases (the next power of two), as an operator would.
	SCALE_CAP=1
	while [ $SCALE_CAP -lt "$SCALE_LEASES" ]; do SCALE_CAP=$((SCALE_CAP * 2)); done
	mkdir -p "$W/scaledb" "$W/emptydb"
	log "scale: writing $SCALE_LEASES leases"
	"$out/tests/bench/bench_startup" "$W/scaledb/leases.sqlite3" "$SCALE_LEASES" ||
		log "scale: cannot write the database"
	"$out/tests/bench/bench_startup" "$W/emptydb/leases.sqlite3" 0 2>/dev/null
	for run in $(seq "$SCALE_RUNS"); do
		# The empty database is copied afresh: only the big one is reused,
		# and the daemon changes nothing in it (no lease is due).
		scale_one "$W/emptydb/leases.sqlite3" 0 "$run"
		scale_one "$W/scaledb/leases.sqlite3" "$SCALE_LEASES" "$run"
	done
fi

# --- report ----------------------------------------------------------------
dur=$((SECONDS - T_START))
{
	echo "## Slow path and scale (scripts/bench-slowpath.sh)"
	echo
	echo "- date: $(date -u +%Y-%m-%dT%H:%MZ); kernel $(uname -r); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') x $(nproc)"
	echo "- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (shared machine: other jobs ran during the measurement)"
	echo "- client receive buffer (net.core.rmem_default, for the run): $RMEM_BENCH B; UDP receive-buffer overflows in the client during the ramp: $(awk '{n += $4} END {print n + 0}' "$data/rcvbuf.txt" 2>/dev/null || echo 0)"
	echo "- perfdhcp $(perfdhcp -v 2>&1 | head -1), flags \`$PERF_FLAGS -r RATE -p $PERIOD -s RUN\`; rates $RATES; $RUNS run(s)${QUICK:+ (QUICK=$QUICK)}"
	echo "- servers: dhcpxdp $(git -C "$top" describe --always --dirty 2>/dev/null) (XDP attached, SQLite fsync before ACK); kea-dhcp4 $(kea-dhcp4 -v 2>/dev/null) memfile (no fsync); dnsmasq $(dnsmasq -v 2>/dev/null | head -1 | awk '{print $3}'); ISC dhcpd $(dhcpd --version 2>&1 | awk '{print $NF}')"
	echo "- took ${dur} s"
	echo
	$PY "$HELPER" report "$data"
} >"$data/section.md"
if command -v gnuplot >/dev/null && [ -s "$data/ramp.gp" ]; then
	gnuplot "$data/ramp.gp" && mv "$data/slowpath.png" "$res_dir/slowpath.png" &&
		echo "Chart: \`$res_dir/slowpath.png\` (offered rate vs unanswered DORA exchanges)." >>"$data/section.md"
fi
cat "$data/section.md"
cat "$data/section.md" >>"$res_dir/results.md"
log "done in ${dur} s; appended to $res_dir/results.md"
