#!/usr/bin/env bash
# `dhcpxdp run` as systemd/dhcpxdp.service runs it, without systemd: as
# the system user dhcpxdp (created by scripts/add-user.sh when missing)
# with CAP_BPF, CAP_PERFMON, CAP_NET_ADMIN, CAP_NET_RAW and
# CAP_NET_BIND_SERVICE only (setpriv:
# ambient and bounding set, no new privileges, umask 0077), on a pin
# directory a root `dhcpxdp attach` made and the unit's privileged
# ExecStartPre= lines handed over. ISC dhclient gets an address and
# renews through XDP; the daemon pings the watchdog (a fake
# NOTIFY_SOCKET, WATCHDOG_USEC); root's CLI, a reload and a restart work;
# pins, database and control socket are the user's; an HTTPS control
# socket (Kea's, client certificate required) answers. Under strace (when
# installed), every system call, socket family, mapping, write and
# device stays within what the unit allows (syscall_audit.py).
# Usage: tests/integration/test_least_privilege.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
N_TESTS=9

[ "$(id -u)" -eq 0 ] || t_skip_all "needs root (a system user, netns, XDP)" $N_TESTS
command -v setpriv >/dev/null || t_skip_all "setpriv missing (util-linux)" $N_TESTS
setpriv --help 2>&1 | grep -q -- --ambient-caps ||
	t_skip_all "setpriv has no --ambient-caps (util-linux 2.32 or later)" $N_TESTS
command -v dhclient >/dev/null || t_skip_all "dhclient missing (scripts/deps.sh test)" $N_TESTS
command -v python3 >/dev/null || t_skip_all "python3 missing" $N_TESTS
[ "$(cat /proc/sys/kernel/cap_last_cap)" -ge 39 ] ||
	t_skip_all "kernel before 5.8: no CAP_BPF (the unit's CAP_SYS_ADMIN drop-in applies)" $N_TESTS

DHCPXDP=$out/dhcpxdp
UNIT=$top/systemd/dhcpxdp.service
T_DIR=$(mktemp -d /tmp/dhcpxdp-lp-XXXXXX)
chmod 755 "$T_DIR" # the user reaches its directories below
PREFIX=dxl$((RANDOM % 10000))
USER_NAME=dhcpxdp
CAPS=+bpf,+perfmon,+net_admin,+net_raw,+net_bind_service
# CAP_NET_BIND_SERVICE 10, CAP_NET_ADMIN 12, CAP_NET_RAW 13, CAP_PERFMON
# 38, CAP_BPF 39.
CAP_MASK=000000c000003400
NOTIFY=$T_DIR/notify.sock
STRACE=()
command -v strace >/dev/null && STRACE=(strace -f -qq)
STARTS=0

cleanup() {
	DAEMON_PID=$(current_daemon)
	daemon_stop
	[ -n "${LISTENER:-}" ] && kill "$LISTENER" 2>/dev/null
	cli pkill -f "dhclient.*$T_DIR" 2>/dev/null
	"$top/scripts/lab.sh" down "$T_DIR" "$PREFIX" 2>/dev/null
	rm -rf "$T_DIR"
}
trap cleanup EXIT

"$top/scripts/add-user.sh" "$top/systemd/dhcpxdp.sysusers" "$T_DIR/state" ||
	t_fail_all "cannot create the user $USER_NAME" $N_TESTS
USER_ID=$(id -u $USER_NAME)
"$top/scripts/lab.sh" up "$T_DIR" "$PREFIX" || t_fail_all "cannot build the lab" $N_TESTS
. "$T_DIR/lab.env"
# RuntimeDirectory= and a place for the traces.
install -d -o $USER_NAME -g $USER_NAME -m 0700 "$T_DIR/run" "$T_DIR/trace"

# An HTTPS control socket's CA, server and client certificates; the
# files are the user's, as an operator would give them.
HPORT=$((20000 + RANDOM % 20000))
PKI=$T_DIR/pki
mkdir -p "$PKI"
for n in ca srv cli; do
	if [ $n = ca ]; then
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
			-keyout "$PKI/ca.key" -out "$PKI/ca.pem" -days 2 -subj /CN=lp-ca
	else
		openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
			-keyout "$PKI/$n.key" -out "$PKI/$n.csr" -subj "/CN=$n" &&
			printf 'subjectAltName=IP:127.0.0.1\n' >"$PKI/ext" &&
			openssl x509 -req -in "$PKI/$n.csr" -CA "$PKI/ca.pem" -CAkey "$PKI/ca.key" \
				-CAcreateserial -days 2 -extfile "$PKI/ext" -out "$PKI/$n.pem"
	fi
done >"$T_DIR/pki.log" 2>&1 || t_fail_all "openssl: $(tail -3 "$T_DIR/pki.log")" $N_TESTS
chown -R $USER_NAME:$USER_NAME "$PKI"
chmod 0755 "$PKI"

cat >"$T_DIR/dhcpxdp.json" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$SRV_IF" ] },
  "valid-lifetime": 20, "renew-timer": 4, "rebind-timer": 15,
  "lease-database": { "type": "sqlite", "name": "$T_DIR/state/leases.sqlite3" },
  "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24", "interface": "$SRV_IF",
    "pools": [ { "pool": "10.77.0.100 - 10.77.0.199" } ],
    "option-data": [ { "name": "routers", "data": "10.77.0.1" } ] } ],
  "control-sockets": [ { "socket-type": "unix", "socket-name": "$T_DIR/run/control.sock" },
    { "socket-type": "https", "socket-port": $HPORT, "trust-anchor": "$PKI/ca.pem",
      "cert-file": "$PKI/srv.pem", "key-file": "$PKI/srv.key" } ],
  "dhcpxdp": { "pin-dir": "$PIN_DIR" }
} }
JSON
chmod 644 "$T_DIR/dhcpxdp.json"

# systemd's notification socket, played by a datagram socket the user may
# send to; every message is logged with its monotonic time.
python3 - "$NOTIFY" "$T_DIR/notify.log" <<'PY' &
import os, socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
os.chmod(sys.argv[1], 0o666)
with open(sys.argv[2], 'a', buffering=1) as log:
    while True:
        msg = s.recv(4096).decode(errors='replace')
        log.write('%.3f %s\n' % (time.monotonic(), msg.replace('\n', ' ')))
PY
LISTENER=$!
wait_until 5 test -S "$NOTIFY" || t_fail_all "no fake notification socket" $N_TESTS

# As the unit starts it: the user, five capabilities, no new privileges,
# UMask=0077, WATCHDOG_USEC as WatchdogSec=2s would set it. Under strace
# when there is one (run as the user too: it traces only its child).
daemon_start_as_user() {
	local before launcher trace=()
	before=$(ready_count)
	STARTS=$((STARTS + 1))
	[ ${#STRACE[@]} -gt 0 ] && trace=("${STRACE[@]}" -o "$T_DIR/trace/start$STARTS")
	(
		umask 0077
		exec env NOTIFY_SOCKET="$NOTIFY" WATCHDOG_USEC=2000000 \
			ip netns exec "$SRV_NS" setpriv --reuid=$USER_NAME \
			--regid=$USER_NAME --init-groups --inh-caps=-all,$CAPS \
			--ambient-caps=-all,$CAPS --bounding-set=-all,$CAPS \
			--no-new-privs "${trace[@]}" "$DHCPXDP" run \
			-c "$T_DIR/dhcpxdp.json" -v
	) >>"$T_DIR/daemon.log" 2>&1 &
	launcher=$!
	DAEMON_PID=$launcher
	if [ ${#trace[@]} -gt 0 ]; then
		wait_until 10 pgrep -P "$launcher" -x dhcpxdp || {
			echo "strace did not start the daemon"
			return 1
		}
		DAEMON_PID=$(pgrep -P "$launcher" -x dhcpxdp)
	fi
	if ! wait_until 20 daemon_ready "$before"; then
		cat "$T_DIR/daemon.log"
		return 1
	fi
	[ "$(cat /proc/"$DAEMON_PID"/comm 2>/dev/null)" = dhcpxdp ]
}

# The running daemon's PID: a test case is a subshell, so one that
# restarts the daemon cannot hand the new PID to the next.
current_daemon() {
	local p
	for p in $(pgrep -x dhcpxdp); do
		grep -qF "$T_DIR/dhcpxdp.json" "/proc/$p/cmdline" 2>/dev/null && echo "$p"
	done
}

# owned_by_user PATH...: each is the user's, and none of the files may be
# read by others.
owned_by_user() {
	local p
	for p in "$@"; do
		[ -e "$p" ] || fail "$p missing"
		[ "$(stat -c %U:%G "$p")" = "$USER_NAME:$USER_NAME" ] ||
			fail "$p is $(stat -c %U:%G "$p")"
		if [ -f "$p" ] || [ -S "$p" ]; then
			[ $((0$(stat -c %a "$p") & 077)) -eq 0 ] ||
				fail "$p is mode $(stat -c %a "$p")"
		fi
	done
}

t_unit_hands_root_pins_to_user() {
	local line argv
	# What a root install left: pins (and an attachment) made by root.
	srv "$DHCPXDP" attach "$SRV_IF" --pin-dir "$PIN_DIR" || fail "root attach"
	[ "$(stat -c %U "$PIN_DIR/dx_leases")" = root ] || fail "attach did not pin as root"
	grep '^ExecStartPre=+' "$UNIT" | grep -q /sys/fs/bpf/dhcpxdp ||
		fail "the unit has no privileged ExecStartPre= for the pin directory"
	while read -r line; do
		line=${line#ExecStartPre=+}
		line=${line//\/sys\/fs\/bpf\/dhcpxdp/$PIN_DIR}
		echo "+ $line"
		read -ra argv <<<"$line"
		"${argv[@]}" || fail "$line"
	done < <(grep '^ExecStartPre=+' "$UNIT")
	ls -la "$PIN_DIR"
	owned_by_user "$PIN_DIR" "$PIN_DIR"/*
	[ "$(stat -c %a "$PIN_DIR")" = 700 ] || fail "pin directory mode $(stat -c %a "$PIN_DIR")"
}

t_runs_as_user_with_five_capabilities() {
	local st
	[ -n "$DAEMON_PID" ] || fail "the daemon did not start as $USER_NAME"
	st=/proc/$DAEMON_PID/status
	grep -E '^(Uid|Gid|Groups|Cap[A-Za-z]+|NoNewPrivs):' "$st"
	grep -Eq "^Uid:\s+$USER_ID\s+$USER_ID\s+$USER_ID\s+$USER_ID$" "$st" || fail "not running as $USER_NAME"
	for c in CapInh CapPrm CapEff CapBnd CapAmb; do
		grep -q "^$c:\s*$CAP_MASK$" "$st" || fail "$c is not $CAP_MASK"
	done
	grep -q '^NoNewPrivs:\s*1$' "$st" || fail "new privileges allowed"
}

dhclient_run() {
	cli timeout 30 dhclient -1 -v -lf "$T_DIR/$1.leases" -pf "$T_DIR/$1.pid" \
		"$CLI_IF" >"$T_DIR/$1.log" 2>&1
}

t_dhclient_gets_address() {
	dhclient_run dhc || fail "dhclient: $(cat "$T_DIR/dhc.log")"
	grep -Eq "fixed-address 10\.77\.0\.1[0-9][0-9];" "$T_DIR/dhc.leases" ||
		fail "address: $(cat "$T_DIR/dhc.leases")"
	grep -q "option routers 10.77.0.1;" "$T_DIR/dhc.leases" || fail "router"
	cli ip -4 addr show dev "$CLI_IF" | grep -q "inet 10.77.0.1[0-9][0-9]/24" ||
		fail "address not configured on $CLI_IF"
}

t_dhclient_renewal_by_xdp() {
	local acks0 mac seen0
	mac=$(cli cat "/sys/class/net/$CLI_IF/address")
	acks0=$(xdp_stat ack_renewal)
	seen0=$(grep -c "REQUEST from $mac" "$T_DIR/daemon.log")
	wait_until 15 xdp_stat_above ack_renewal "$acks0" ||
		fail "no renewal answered by XDP (ack_renewal $acks0)"
	[ "$(grep -c "REQUEST from $mac" "$T_DIR/daemon.log")" -eq "$seen0" ] ||
		fail "the daemon saw the renewal"
	wait_until 5 sh -c "'$DHCPXDP' leases -c '$T_DIR/dhcpxdp.json' | grep -q ' xdp$'" ||
		fail "lease not marked as renewed by XDP"
}

# READY=1, then WATCHDOG=1 every second (half of WATCHDOG_USEC) from the
# daemon's loop.
t_watchdog_pings() {
	local n
	grep -q "systemd watchdog: WATCHDOG=1 every 1000 ms" "$T_DIR/daemon.log" ||
		fail "no watchdog line in the log"
	sleep 3.5
	cat "$T_DIR/notify.log"
	grep -q ' READY=1$' "$T_DIR/notify.log" || fail "no READY=1"
	n=$(grep -c ' WATCHDOG=1$' "$T_DIR/notify.log")
	[ "$n" -ge 3 ] || fail "$n WATCHDOG=1 in 3.5 s or more"
	# The last pings, about a second apart.
	grep ' WATCHDOG=1$' "$T_DIR/notify.log" | tail -3 |
		awk 'NR > 1 { d = $1 - prev; if (d < 0.8 || d > 1.5) bad = 1 }
		     { prev = $1 } END { exit bad }' ||
		fail "pings not about a second apart"
}

# Root's CLI talks to the user's control socket and reads its database;
# a reload and a restart as the user keep the lease and the attachment.
t_root_cli_reload_restart() {
	local prog0 prog1
	"$DHCPXDP" status -c "$T_DIR/dhcpxdp.json" >"$T_DIR/status.out" || fail "status as root"
	head -5 "$T_DIR/status.out"
	grep "^$SRV_IF " "$T_DIR/status.out" | grep -q "NOT" && fail "status: $SRV_IF not attached"
	"$DHCPXDP" leases -c "$T_DIR/dhcpxdp.json" | grep -q "10.77.0.1" || fail "leases as root"
	prog0=$(ip -n "$SRV_NS" -d link show "$SRV_IF" | grep -o 'prog/xdp id [0-9]*')
	kill -HUP "$DAEMON_PID"
	wait_until 10 grep -q "DHCPXDP_RECONFIGURED reloaded" "$T_DIR/daemon.log" || fail "no reload"
	daemon_stop
	daemon_start_as_user || fail "no restart as $USER_NAME"
	"$DHCPXDP" status -c "$T_DIR/dhcpxdp.json" | grep "^$SRV_IF " | grep -q NOT &&
		fail "status after the restart: $SRV_IF not attached"
	prog1=$(ip -n "$SRV_NS" -d link show "$SRV_IF" | grep -o 'prog/xdp id [0-9]*')
	echo "before: $prog0, after: $prog1"
	[ -n "$prog1" ] && [ "$prog1" != "$prog0" ] || fail "the new program is not attached"
	"$DHCPXDP" leases -c "$T_DIR/dhcpxdp.json" | grep -q "10.77.0.1" ||
		fail "the lease is gone after the restart"
	dhclient_run renew || fail "dhclient after the restart: $(cat "$T_DIR/renew.log")"
}

t_everything_belongs_to_user() {
	ls -la "$PIN_DIR" "$T_DIR/state" "$T_DIR/run"
	owned_by_user "$PIN_DIR" "$PIN_DIR"/* "$T_DIR/state" "$T_DIR"/state/* \
		"$T_DIR/run/control.sock"
	[ -e "$T_DIR/state/leases.sqlite3-wal" ] || fail "no WAL beside the database"
}

t_https_control_socket() {
	srv curl -sS --max-time 10 --cacert "$PKI/ca.pem" --cert "$PKI/cli.pem" \
		--key "$PKI/cli.key" -H 'Content-Type: application/json' \
		-d '{"command": "status-get"}' "https://127.0.0.1:$HPORT/" >"$T_DIR/https.out" ||
		fail "curl: $(cat "$T_DIR/https.out")"
	grep -q '^\[{"result":0' "$T_DIR/https.out" || fail "answer: $(cat "$T_DIR/https.out")"
}

t_syscalls_within_the_sandbox() {
	DAEMON_PID=$(current_daemon)
	daemon_stop
	ls "$T_DIR"/trace/start* >/dev/null 2>&1 || fail "no trace"
	python3 "$top/tests/integration/syscall_audit.py" "$UNIT" \
		"$T_DIR/state" "$T_DIR/run" "$PIN_DIR" -- "$T_DIR"/trace/start*
}

t_run "the unit's ExecStartPre= hands root's pins to $USER_NAME" t_unit_hands_root_pins_to_user
DAEMON_PID=
daemon_start_as_user || DAEMON_PID=
t_run "dhcpxdp run as $USER_NAME with five capabilities, no new privileges" t_runs_as_user_with_five_capabilities
t_run "dhclient gets an address" t_dhclient_gets_address
t_run "dhclient renewal answered by XDP, not the daemon" t_dhclient_renewal_by_xdp
t_run "READY=1, then WATCHDOG=1 every half WATCHDOG_USEC" t_watchdog_pings
t_run "root's CLI, a reload and a restart as $USER_NAME" t_root_cli_reload_restart
t_run "pins, database and control socket belong to $USER_NAME only" t_everything_belongs_to_user
t_run "the HTTPS control socket answers" t_https_control_socket
if [ ${#STRACE[@]} -gt 0 ]; then
	t_run "system calls, sockets, writes within the unit's sandbox (strace)" t_syscalls_within_the_sandbox
else
	echo "strace missing: the system calls are not checked against the unit"
	echo "[  SKIPPED ] 1 test(s)."
fi
t_summary
