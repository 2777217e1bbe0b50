#!/usr/bin/env bash
# Kea's own tools against dhcpxdp's control socket (docs/control.md): Kea's
# Control Agent (kea-ctrl-agent) forwards to `dhcpxdp run`'s socket as it
# would to kea-dhcp4's, and kea-shell sends lease4-get, lease4-get-page,
# lease4-del, statistic-get-all, status-get, config-get, config-test,
# config-reload, list-commands and shutdown through it; the answers must
# have Kea's shape. The daemon runs in a network-namespace lab
# (scripts/lab.sh); the agent runs as root on loopback, since the socket
# is root's (0600).
# Usage: tests/integration/test_kea_ctrl.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
N_TESTS=12

[ "$(id -u)" -eq 0 ] || t_skip_all "needs root (netns, XDP)" $N_TESTS
command -v dhclient >/dev/null || t_skip_all "dhclient missing (scripts/deps.sh test)" $N_TESTS
command -v kea-ctrl-agent >/dev/null ||
	t_skip_all "kea-ctrl-agent missing (scripts/deps.sh test installs it)" $N_TESTS
command -v kea-shell >/dev/null ||
	t_skip_all "kea-shell missing (package kea-ctrl-agent)" $N_TESTS

DHCPXDP=$out/dhcpxdp
T_DIR=$(mktemp -d /tmp/dhcpxdp-kea-ctrl-XXXXXX)
PREFIX=dxk$((RANDOM % 10000))
PY=/usr/bin/python3
SOCK=$T_DIR/run/control.sock
CFG=$T_DIR/dhcpxdp.json
CA_PID=

cleanup() {
	[ -n "$CA_PID" ] && kill "$CA_PID" 2>/dev/null
	daemon_stop
	cli pkill -f "dhclient.*$T_DIR" 2>/dev/null
	"$top/scripts/lab.sh" down "$T_DIR" "$PREFIX" 2>/dev/null
	rm -rf "$T_DIR"
}
trap cleanup EXIT

"$top/scripts/lab.sh" up "$T_DIR" "$PREFIX" || t_skip_all "cannot build the lab" $N_TESTS
. "$T_DIR/lab.env"

cat >"$CFG" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$SRV_IF" ] },
  "valid-lifetime": 600, "renew-timer": 300, "rebind-timer": 500,
  "lease-database": { "type": "sqlite", "name": "$T_DIR/leases.sqlite3" },
  "control-socket": { "socket-type": "unix", "socket-name": "$SOCK" },
  "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24", "interface": "$SRV_IF",
    "pools": [ { "pool": "10.77.0.100 - 10.77.0.199" } ],
    "option-data": [ { "name": "routers", "data": "10.77.0.1" } ] } ],
  "dhcpxdp": { "pin-dir": "$PIN_DIR" }
} }
JSON
daemon_start || t_skip_all "daemon failed" $N_TESTS

dhclient_run() {
	cli ip addr flush dev "$CLI_IF"
	cli ip link set dev "$CLI_IF" address "$2"
	cli timeout 30 dhclient -1 -v -lf "$T_DIR/$1.leases" -pf "$T_DIR/$1.pid" \
		"$CLI_IF" >"$T_DIR/$1.log" 2>&1
}
dhclient_run one 02:aa:00:00:00:01 || echo "dhclient one failed: $(cat "$T_DIR/one.log")"
dhclient_run two 02:aa:00:00:00:02 || echo "dhclient two failed: $(cat "$T_DIR/two.log")"
cli pkill -f "dhclient.*$T_DIR" 2>/dev/null

# The agent, on a free loopback port.
PORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$T_DIR/ca.json" <<JSON
{ "Control-agent": {
  "http-host": "127.0.0.1", "http-port": $PORT,
  "control-sockets": { "dhcp4": { "socket-type": "unix", "socket-name": "$SOCK" } },
  "loggers": [ { "name": "kea-ctrl-agent", "severity": "DEBUG", "debuglevel": 99,
                 "output_options": [ { "output": "$T_DIR/ca.log" } ] } ]
} }
JSON
KEA_PIDFILE_DIR=$T_DIR KEA_LOCKFILE_DIR=$T_DIR kea-ctrl-agent -c "$T_DIR/ca.json" \
	>>"$T_DIR/ca.out" 2>&1 &
CA_PID=$!
ca_up() { $PY -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 1)" 2>/dev/null; }
wait_until 10 ca_up || t_fail_all "kea-ctrl-agent did not listen: $(cat "$T_DIR/ca.out" "$T_DIR/ca.log" 2>/dev/null | tail -20)" $N_TESTS

# kea COMMAND [ARGUMENTS-CONTENT]: kea-shell reads the inside of the
# "arguments" object on stdin. The agent answers a list, one per service.
kea() {
	printf '%s' "${2:-}" | kea-shell --host 127.0.0.1 --port "$PORT" \
		--service dhcp4 "$1"
}
# kea_check COMMAND ARGS PYTHON-EXPR: `r` is the dhcp4 answer.
kea_check() {
	local o
	o=$(kea "$1" "$2") || { echo "kea-shell $1 failed: $o"; return 1; }
	echo "$o" | $PY -c "
import json, sys
j = json.load(sys.stdin)
assert isinstance(j, list) and len(j) == 1, j
r = j[0]
assert $3, json.dumps(r)[:2000]" || { echo "$1: $o" | head -c 2000; return 1; }
}

t_list_commands() {
	kea_check list-commands '' "r['result'] == 0 and all(c in r['arguments'] for c in ['lease4-get', 'lease4-get-all', 'lease4-get-page', 'lease4-del', 'lease4-update', 'lease4-wipe', 'statistic-get-all', 'statistic-get', 'status-get', 'config-get', 'config-test', 'config-reload', 'shutdown', 'list-commands']) and 'no-such' not in r['arguments']" ||
		fail "list-commands"
}

t_lease4_get() {
	kea_check lease4-get '"ip-address": "10.77.0.199"' "r['result'] == 3" ||
		fail "lease4-get of no lease"
	kea_check lease4-get '"identifier-type": "hw-address", "identifier": "02:aa:00:00:00:01", "subnet-id": 1' \
		"r['result'] == 0 and r['arguments']['hw-address'] == '02:aa:00:00:00:01' and r['arguments']['subnet-id'] == 1 and r['arguments']['state'] == 0 and r['arguments']['valid-lft'] > 0 and isinstance(r['arguments']['cltt'], int) and r['arguments']['fqdn-fwd'] is False and r['arguments']['ip-address'].startswith('10.77.0.')" ||
		fail "lease4-get by identifier"
}

t_lease4_get_page() {
	kea_check lease4-get-page '"from": "start", "limit": 1' \
		"r['result'] == 0 and r['arguments']['count'] == 1 and len(r['arguments']['leases']) == 1" ||
		fail "lease4-get-page first"
	kea_check lease4-get-all '' "r['result'] == 0 and len(r['arguments']['leases']) == 2 and all(l['state'] == 0 for l in r['arguments']['leases'])" ||
		fail "lease4-get-all"
}

t_statistics() {
	kea_check statistic-get-all '' "r['result'] == 0 and all(isinstance(v, list) and isinstance(v[0][0], int) and isinstance(v[0][1], str) for v in r['arguments'].values()) and r['arguments']['pkt4-ack-sent'][0][0] >= 2 and r['arguments']['pkt4-received'][0][0] >= 4 and r['arguments']['subnet[1].assigned-addresses'][0][0] == 2 and r['arguments']['subnet[1].total-addresses'][0][0] == 100" ||
		fail "statistic-get-all"
	kea_check statistic-get '"name": "pkt4-offer-sent"' "r['result'] == 0 and r['arguments']['pkt4-offer-sent'][0][0] >= 2" ||
		fail "statistic-get"
}

t_status_get() {
	kea_check status-get '' "r['result'] == 0 and r['arguments']['pid'] == $DAEMON_PID and r['arguments']['uptime'] >= 0 and r['arguments']['reload'] >= 0 and r['arguments']['multi-threading-enabled'] is False and r['arguments']['sockets']['status'] == 'ready'" ||
		fail "status-get"
}

t_config() {
	kea_check config-get '' "r['result'] == 0 and r['arguments']['Dhcp4']['subnet4'][0]['id'] == 1" ||
		fail "config-get"
	kea_check config-test "$($PY -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1])))[1:-1])' "$CFG")" \
		"r['result'] == 0" || fail "config-test of the running configuration"
	kea_check config-test '"Dhcp4": {"subnet4": [{"id": 1, "subnet": "10.77.0.0/33"}]}' \
		"r['result'] == 1 and 'subnet' in r['text']" || fail "config-test of a broken one"
	kea_check config-write "\"filename\": \"$T_DIR/written.json\"" "r['result'] == 0 and r['arguments']['filename'] == '$T_DIR/written.json'" ||
		fail "config-write"
	$PY -c 'import json,sys; assert json.load(open(sys.argv[1])) == json.load(open(sys.argv[2]))' "$T_DIR/written.json" "$CFG" ||
		fail "config-write wrote another configuration"
}

t_config_reload() {
	kea_check config-reload '' "r['result'] == 0" || fail "config-reload"
	kea_check status-get '' "r['arguments']['reload'] <= 2" || fail "status-get after reload"
}

t_lease4_del() {
	local ip
	ip=$(kea lease4-get '"identifier-type": "hw-address", "identifier": "02:aa:00:00:00:02", "subnet-id": 1' |
		$PY -c 'import json,sys; print(json.load(sys.stdin)[0]["arguments"]["ip-address"])') ||
		fail "no lease of 02:aa:00:00:00:02"
	kea_check lease4-del "\"ip-address\": \"$ip\"" "r['result'] == 0" || fail "lease4-del"
	kea_check lease4-get "\"ip-address\": \"$ip\"" "r['result'] == 3" || fail "lease4-get after lease4-del"
	kea_check lease4-del "\"ip-address\": \"$ip\"" "r['result'] == 3" || fail "lease4-del again"
}

t_lease4_update() {
	local ip
	ip=$(kea lease4-get '"identifier-type": "hw-address", "identifier": "02:aa:00:00:00:01", "subnet-id": 1' |
		$PY -c 'import json,sys; print(json.load(sys.stdin)[0]["arguments"]["ip-address"])') ||
		fail "no lease of 02:aa:00:00:00:01"
	kea_check lease4-update "\"ip-address\": \"$ip\", \"hw-address\": \"02:aa:00:00:00:01\", \"subnet-id\": 1, \"valid-lft\": 900, \"hostname\": \"renamed\"" \
		"r['result'] == 0 and r['text'] == 'IPv4 lease updated.'" || fail "lease4-update"
	kea_check lease4-get "\"ip-address\": \"$ip\"" \
		"r['result'] == 0 and r['arguments']['hostname'] == 'renamed' and r['arguments']['cltt'] + r['arguments']['valid-lft'] == r['arguments']['dhcpxdp']['expire'] and r['arguments']['dhcpxdp']['expire'] > $(date +%s) + 800" ||
		fail "lease4-get after lease4-update"
	kea_check lease4-update '"ip-address": "10.77.0.190", "hw-address": "02:aa:00:00:00:09"' \
		"r['result'] == 3" || fail "lease4-update of no lease"
}

t_lease4_wipe() {
	kea_check lease4-wipe '"subnet-id": 1' "r['result'] == 0 and r['text'].startswith('Deleted 1 IPv4')" ||
		fail "lease4-wipe"
	kea_check lease4-get-all '' "r['result'] == 3 and r['arguments']['leases'] == []" ||
		fail "leases left after lease4-wipe"
	kea_check lease4-wipe '"subnet-id": 1' "r['result'] == 3" || fail "lease4-wipe of none"
	kea_check lease4-wipe '"subnet-id": 7' "r['result'] == 1" || fail "lease4-wipe of no such subnet"
}

t_unsupported() {
	kea_check lease6-get '"ip-address": "2001:db8::1"' "r['result'] == 2" || fail "lease6-get not unsupported"
}

t_shutdown() {
	kea_check shutdown '' "r['result'] == 0" || fail "shutdown"
	wait_until 10 sh -c "! kill -0 $DAEMON_PID" || fail "the daemon still runs"
	srv ip link show dev "$SRV_IF" | grep -q xdp || fail "XDP detached on shutdown"
	grep -q "shutdown asked" "$T_DIR/daemon.log" || fail "no log line for shutdown"
}

t_run "list-commands through the agent" t_list_commands
t_run "lease4-get: Kea's lease shape" t_lease4_get
t_run "lease4-get-page, lease4-get-all" t_lease4_get_page
t_run "statistic-get-all, statistic-get: Kea's samples" t_statistics
t_run "status-get" t_status_get
t_run "config-get, config-test, config-write" t_config
t_run "config-reload" t_config_reload
t_run "lease4-update, as lease4-get then shows" t_lease4_update
t_run "lease4-del, then not found" t_lease4_del
t_run "lease4-wipe of a subnet" t_lease4_wipe
t_run "a Kea command dhcpxdp lacks: result 2" t_unsupported
t_run "shutdown: the daemon stops, XDP stays" t_shutdown
t_summary
