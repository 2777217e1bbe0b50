# Shared by the integration tests: cmocka-style result lines (so
# tests/run.sh counts them), waiting with a bound, the lab's daemon.
# shellcheck shell=bash

T_PASSED=0
T_FAILED=0
T_FAILED_NAMES=()

t_run() {
	local name=$1
	shift
	echo "[ RUN      ] $name"
	if ("$@") >"$T_DIR/case.log" 2>&1; then
		sed 's/^/    /' "$T_DIR/case.log"
		echo "[       OK ] $name"
		T_PASSED=$((T_PASSED + 1))
	else
		sed 's/^/    /' "$T_DIR/case.log"
		echo "[  FAILED  ] $name"
		T_FAILED=$((T_FAILED + 1))
		T_FAILED_NAMES+=("$name")
	fi
}

t_summary() {
	echo "[==========] $((T_PASSED + T_FAILED)) test(s) run."
	echo "[  PASSED  ] $T_PASSED test(s)."
	if [ "$T_FAILED" -ne 0 ]; then
		echo "[  FAILED  ] $T_FAILED test(s), listed below:"
		printf '[  FAILED  ] %s\n' "${T_FAILED_NAMES[@]}"
		return 1
	fi
	return 0
}

# Skip the whole file loudly (counted by tests/run.sh).
t_skip_all() {
	echo "$1; SKIPPING"
	echo "[  SKIPPED ] $2 test(s)."
	exit 0
}

# Fail the whole file (the setup broke): every test counts as failed.
t_fail_all() {
	echo "$1"
	echo "[  FAILED  ] $2 test(s), setup failed."
	exit 1
}

fail() {
	echo "FAIL: $*"
	exit 1
}

# ctl_send SOCKET REQUEST-JSON: the request to a control socket, the
# answer printed (a line).
ctl_send() {
	/usr/bin/python3 - "$1" "$2" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(10)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode())
s.shutdown(socket.SHUT_WR)
b = b""
while True:
    c = s.recv(65536)
    if not c:
        break
    b += c
print(b.decode())
PY
}

# wait_until SECONDS COMMAND...: poll every 0.2 s.
wait_until() {
	local deadline=$((SECONDS + $1))
	shift
	while ! "$@" >/dev/null 2>&1; do
		[ $SECONDS -ge "$deadline" ] && return 1
		sleep 0.2
	done
	return 0
}

srv() { ip netns exec "$SRV_NS" "$@"; }
cli() { ip netns exec "$CLI_NS" "$@"; }

# XDP counter by name, from `dhcpxdp stats --json`.
xdp_stat() {
	srv "$DHCPXDP" stats --json --pin-dir "$PIN_DIR" |
		grep -o "\"$1\": [0-9]*" | awk '{print $2}'
}

# True once XDP counter $1 exceeds $2 (for wait_until).
xdp_stat_above() {
	[ "$(xdp_stat "$1")" -gt "$2" ]
}

ready_count() {
	local n
	n=$(grep -c "DHCPXDP_STARTED ready" "$T_DIR/daemon.log" 2>/dev/null)
	echo "${n:-0}"
}

# True once this start has logged "ready" (not an earlier start).
daemon_ready() {
	kill -0 "$DAEMON_PID" 2>/dev/null || return 2
	[ "$(ready_count)" -gt "$1" ]
}

daemon_start() {
	local before
	before=$(ready_count)
	# Not through srv(): a backgrounded function is a subshell, and $!
	# would be its PID. `ip netns exec` execs the daemon: $! is the
	# daemon itself, so kill and kill -9 reach it.
	ip netns exec "$SRV_NS" "$DHCPXDP" run -c "$T_DIR/dhcpxdp.json" -v \
		>>"$T_DIR/daemon.log" 2>&1 &
	DAEMON_PID=$!
	if ! wait_until 15 daemon_ready "$before"; then
		cat "$T_DIR/daemon.log"
		return 1
	fi
	[ "$(cat /proc/"$DAEMON_PID"/comm 2>/dev/null)" = dhcpxdp ] ||
		fail "the daemon's PID is not the daemon"
}

daemon_stop() {
	[ -n "${DAEMON_PID:-}" ] || return 0
	kill "$DAEMON_PID" 2>/dev/null
	# `wait` only works in the shell that started it; a test case runs
	# in a subshell, so poll as well.
	wait "$DAEMON_PID" 2>/dev/null ||
		wait_until 10 sh -c "! kill -0 $DAEMON_PID"
	DAEMON_PID=
}

# lab_up NAME PREFIX N_TESTS: a scripts/lab.sh lab (server and client
# namespaces, veth, bpffs) in a fresh T_DIR, its interfaces named from
# PREFIX; lab.env sourced. On exit lab_cleanup takes down the daemon
# (resumed first if a test stopped it), dhclients, the lab and T_DIR.
lab_up() {
	T_DIR=$(mktemp -d "/tmp/dhcpxdp-$1-XXXXXX")
	PREFIX=$2$((RANDOM % 10000))
	trap lab_cleanup EXIT
	"$top/scripts/lab.sh" up "$T_DIR" "$PREFIX" ||
		t_fail_all "cannot build the lab" "$3"
	. "$T_DIR/lab.env"
}

lab_cleanup() {
	[ -n "${DAEMON_PID:-}" ] && kill -CONT "$DAEMON_PID" 2>/dev/null
	daemon_stop
	[ -n "${CLI_NS:-}" ] && cli pkill -f "dhclient.*$T_DIR" 2>/dev/null
	"$top/scripts/lab.sh" down "$T_DIR" "$PREFIX" 2>/dev/null
	rm -rf "$T_DIR"
}

# metrics_config FILE SOCKET LISTEN: the lab's daemon with one subnet
# (pool 10.77.0.100-199), its control socket and metrics-listen (for the
# metrics and dashboard tests).
metrics_config() {
	cat >"$1" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$SRV_IF" ] },
  "valid-lifetime": 600,
  "lease-database": { "type": "sqlite", "name": "$T_DIR/leases.sqlite3" },
  "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24", "interface": "$SRV_IF",
    "pools": [ { "pool": "10.77.0.100 - 10.77.0.199" } ] } ],
  "control-socket": { "socket-type": "unix", "socket-name": "$2" },
  "dhcpxdp": { "pin-dir": "$PIN_DIR", "metrics-listen": "$3" }
} }
JSON
}

# Throwaway certificates for the TLS tests: EC keys (quick to make), mode
# 0600 (libpq refuses a private key others can read), valid two days.
# tls_ca DIR NAME CN: a self-signed CA, DIR/NAME.pem and DIR/NAME.key.
tls_ca() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
		-nodes -keyout "$1/$2.key" -out "$1/$2.pem" -days 2 -subj "/CN=$3" &&
		chmod 0600 "$1/$2.key"
}

# tls_issue DIR NAME CA CN EXTENSIONS: DIR/NAME.pem for CN, signed by the
# CA DIR/CA.pem, with openssl's extension lines (printf %b: '\n' between
# them); its key DIR/NAME.key.
tls_issue() {
	printf '%b\n' "$5" >"$1/$2.ext"
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$1/$2.key" -out "$1/$2.csr" -subj "/CN=$4" &&
		openssl x509 -req -in "$1/$2.csr" -CA "$1/$3.pem" \
			-CAkey "$1/$3.key" -CAcreateserial -days 2 \
			-extfile "$1/$2.ext" -out "$1/$2.pem" &&
		chmod 0600 "$1/$2.key"
}
