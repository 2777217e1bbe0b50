#!/usr/bin/env bash
# The CLI against `dhcpxdp run` in a network-namespace lab (scripts/lab.sh),
# through the control socket (docs/control.md): status (table and JSON),
# reload (a changed option reaches a new client; a broken file is refused
# and the old configuration kept), stats --prometheus, leases --json,
# reservations, the raw protocol, and the error cases (no daemon, unknown
# command, bad option, not root, bad config path).
# Usage: tests/integration/test_cli.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
N_TESTS=18

[ "$(id -u)" -eq 0 ] || t_skip_all "needs root (netns, XDP)" $N_TESTS
command -v dhclient >/dev/null || t_skip_all "dhclient missing (scripts/deps.sh test)" $N_TESTS
command -v setpriv >/dev/null || t_skip_all "setpriv missing (util-linux)" $N_TESTS

DHCPXDP=$out/dhcpxdp
T_DIR=$(mktemp -d /tmp/dhcpxdp-cli-XXXXXX)
PREFIX=dxc$((RANDOM % 10000))
PY=/usr/bin/python3
SOCK=$T_DIR/run/control.sock
CFG=$T_DIR/dhcpxdp.json

cleanup() {
	daemon_stop
	cli pkill -f "dhclient.*$T_DIR" 2>/dev/null
	"$top/scripts/lab.sh" down "$T_DIR" "$PREFIX" 2>/dev/null
	rm -rf "$T_DIR"
}
trap cleanup EXIT

"$top/scripts/lab.sh" up "$T_DIR" "$PREFIX" || t_skip_all "cannot build the lab" $N_TESTS
. "$T_DIR/lab.env"

# write_config DOMAIN [EXTRA_SUBNET_JSON]
write_config() {
	cat >"$CFG" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$SRV_IF" ] },
  "valid-lifetime": 60, "renew-timer": 30, "rebind-timer": 50,
  "lease-database": { "type": "sqlite", "name": "$T_DIR/leases.sqlite3" },
  "control-socket": { "socket-type": "unix", "socket-name": "$SOCK" },
  "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24", "interface": "$SRV_IF",
    "pools": [ { "pool": "10.77.0.100 - 10.77.0.199" } ],
    "option-data": [ { "name": "routers", "data": "10.77.0.1" },
                     { "name": "domain-name", "data": "$1" } ],
    "reservations": [ { "hw-address": "02:dd:00:00:00:01",
                        "ip-address": "10.77.0.50" } ] } ${2:-} ],
  "dhcpxdp": { "pin-dir": "$PIN_DIR" }
} }
JSON
}
write_config before.dhcpxdp
daemon_start || { echo "daemon did not start"; t_skip_all "daemon failed" $N_TESTS; }

dx() { "$DHCPXDP" "$@"; }
# json_check PYTHON-EXPR: stdin is JSON bound to `j`; the expression must hold.
json_check() {
	$PY -c "import json,sys; j=json.load(sys.stdin); assert $1, json.dumps(j)[:2000]"
}
# ctl REQUEST-JSON: send raw to the socket, print the answer.
ctl() { ctl_send "$SOCK" "$1"; }
dhclient_run() {
	cli ip addr flush dev "$CLI_IF"
	cli ip link set dev "$CLI_IF" address "$2"
	cli timeout 30 dhclient -1 -v -lf "$T_DIR/$1.leases" -pf "$T_DIR/$1.pid" \
		"$CLI_IF" >"$T_DIR/$1.log" 2>&1
}

# Each case runs in a subshell (t_run): a daemon it starts is not the
# parent's $DAEMON_PID, so the daemon is found through its socket.
daemon_pid() { dx status -c "$CFG" --json | $PY -c 'import json,sys; print(json.load(sys.stdin)["pid"])'; }
no_answer() { ! dx status -c "$CFG" >/dev/null 2>&1; }

t_socket_root_only() {
	[ -S "$SOCK" ] || fail "no socket at $SOCK"
	[ "$(stat -c %a "$SOCK")" = 600 ] || fail "socket mode $(stat -c %a "$SOCK")"
	[ "$(stat -c %a "$(dirname "$SOCK")")" = 700 ] || fail "directory mode"
}

t_status_table() {
	local o
	o=$(dx status -c "$CFG") || fail "exit $?: $o"
	echo "$o"
	echo "$o" | grep -q "running: pid $(daemon_pid)" || fail "pid"
	echo "$o" | grep -Eq "^$SRV_IF +[0-9]+ +10\.77\.0\.1 +attached \(prog [0-9]+" ||
		fail "interface line"
	echo "$o" | grep -Eq "^ +1 10\.77\.0\.0/24 +100 " || fail "subnet line"
	echo "$o" | grep -q "lease map: [0-9]* of [0-9]* entries" || fail "lease map"
}

t_status_json() {
	local o
	o=$(dx status -c "$CFG" --json) || fail "exit $?"
	echo "$o" | json_check "open('/proc/%d/comm' % j['pid']).read() == 'dhcpxdp\\n' and j['config'] == '$CFG'" &&
	echo "$o" | json_check "j['interfaces'][0]['name'] == '$SRV_IF' and j['interfaces'][0]['attached'] is True and j['interfaces'][0]['prog-id'] > 0 and j['interfaces'][0]['mode'] in ('native','skb')" &&
	echo "$o" | json_check "j['subnets'][0]['id'] == 1 and j['subnets'][0]['subnet'] == '10.77.0.0/24' and j['subnets'][0]['pool']['total'] == 100 and j['subnets'][0]['pool']['free'] + j['subnets'][0]['pool']['used'] <= 100" &&
	echo "$o" | json_check "j['lease-map']['capacity'] > 0 and j['lease-map']['entries'] >= 1" &&
	echo "$o" | json_check "'xdp-replies' in j['fast-path'] and j['counters']['rx-frames'] >= 0 and j['uptime'] >= 0" ||
		fail "status --json: $o"
}

t_fast_path_share() {
	# A client gets a lease (daemon replies), then the ring has samples.
	dhclient_run share 02:aa:00:00:00:01 || fail "dhclient: $(cat "$T_DIR/share.log")"
	sleep 2.5
	dx status -c "$CFG" --json |
		json_check "j['fast-path']['window-seconds'] >= 2 and j['fast-path']['daemon-replies'] >= 2 and j['subnets'][0]['leases'] >= 1" ||
		fail "fast-path share: $(dx status -c "$CFG" --json)"
}

t_reload_changes_option() {
	local o
	write_config after.dhcpxdp ', { "id": 2, "subnet": "10.78.0.0/24",
	  "relay": { "ip-addresses": [ "10.78.0.1" ] },
	  "pools": [ { "pool": "10.78.0.10 - 10.78.0.19" } ] }'
	o=$(dx reload -c "$CFG") || fail "reload exit $?: $o"
	echo "$o" | grep -q "reloaded" || fail "reload said: $o"
	dx status -c "$CFG" --json |
		json_check "[s['id'] for s in j['subnets']] == [1, 2] and j['subnets'][1]['pool']['total'] == 10" ||
		fail "status after reload: $(dx status -c "$CFG" --json)"
	dhclient_run after 02:aa:00:00:00:02 || fail "dhclient: $(cat "$T_DIR/after.log")"
	grep -q 'option domain-name "after.dhcpxdp";' "$T_DIR/after.leases" ||
		fail "new option not served: $(cat "$T_DIR/after.leases")"
}

t_reload_refuses_bad_config() {
	local o rc
	cp "$CFG" "$T_DIR/good.json"
	sed -i 's/"valid-lifetime": 60/"valid-lifetime": "sixty"/' "$CFG"
	# --socket: -c would have to load the broken file to find it.
	o=$(dx reload --socket "$SOCK" 2>&1)
	rc=$?
	cp "$T_DIR/good.json" "$CFG"
	[ $rc -eq 1 ] || fail "exit $rc: $o"
	echo "$o" | grep -q "$CFG: .*valid-lifetime" || fail "message: $o"
	echo "$o" | grep -q "still serving the previous configuration" || fail "message: $o"
	grep -q "reload refused: .*valid-lifetime" "$T_DIR/daemon.log" ||
		fail "no line in the daemon's log"
	dx status -c "$CFG" --json | json_check "len(j['subnets']) == 2" ||
		fail "configuration not kept"
}

# reload -c FILE: the daemon re-reads its own file only, and says so
# when FILE is another (it is not loaded behind the operator's back).
t_reload_other_file_refused() {
	local o rc
	cp "$CFG" "$T_DIR/other.json"
	o=$(dx reload -c "$T_DIR/other.json" 2>&1)
	rc=$?
	[ $rc -eq 1 ] || fail "exit $rc: $o"
	echo "$o" | grep -q "the daemon runs with .*: edit it, or restart the daemon with -c $T_DIR/other.json" ||
		fail "message: $o"
	grep -q "reload refused: asked for $T_DIR/other.json" "$T_DIR/daemon.log" ||
		fail "no line in the daemon's log"
	o=$(dx reload -c "$CFG" 2>&1) || fail "reload of its own file: $o"
	echo "$o" | grep -q "configuration reloaded from" || fail "message: $o"
}

t_stats_prometheus() {
	local o bad
	o=$(srv "$DHCPXDP" stats --prometheus --pin-dir "$PIN_DIR") || fail "exit $?"
	[ -n "$o" ] || fail "empty"
	bad=$(echo "$o" | grep -Ev '^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$|^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*")*\})? [0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$')
	[ -z "$bad" ] || fail "lines not in the exposition format: $bad"
	echo "$o" | grep -Eq '^# TYPE [a-z_]+ counter$' || fail "no TYPE line"
}

t_leases_json() {
	dx leases -c "$CFG" --json |
		json_check "len(j) >= 2 and all('address' in l and 'state' in l for l in j)" ||
		fail "leases --json: $(dx leases -c "$CFG" --json)"
}

t_protocol() {
	ctl '{"command": "version-get"}' | json_check "j['result'] == 0 and j['arguments']['abi'] >= 1" || fail "version-get"
	ctl '{"command": "no-such"}' | json_check "j['result'] == 2 and 'not supported' in j['text']" || fail "unknown command"
	ctl '{"command": ' | json_check "j['result'] == 1 and 'JSON' in j['text']" || fail "broken JSON"
	ctl '{"arguments": {}}' | json_check "j['result'] == 1 and 'command' in j['text']" || fail "no command"
	ctl '{"command": "dhcpxdp-statistic-get-all"}' |
		json_check "j['result'] == 0 and 'pool-exhausted' in j['arguments']['drops'] and j['arguments']['xdp']['packets'] > 0 and j['arguments']['daemon']['acks'] >= 2" ||
		fail "dhcpxdp-statistic-get-all: $(ctl '{"command": "dhcpxdp-statistic-get-all"}')"
	# Kea's shape: every statistic a list of [value, timestamp] samples.
	ctl '{"command": "statistic-get-all"}' |
		json_check "j['result'] == 0 and all(isinstance(v, list) and isinstance(v[0][0], int) and isinstance(v[0][1], str) for v in j['arguments'].values()) and j['arguments']['pkt4-ack-sent'][0][0] >= 2 and j['arguments']['pkt4-received'][0][0] >= j['arguments']['pkt4-ack-sent'][0][0] and j['arguments']['pkt4-discover-received'][0][0] >= 2 and j['arguments']['pkt4-request-received'][0][0] >= 2 and j['arguments']['subnet[1].total-addresses'][0][0] > 0 and 'dhcpxdp.xdp.punt_horizon' in j['arguments']" ||
		fail "statistic-get-all: $(ctl '{"command": "statistic-get-all"}')"
	ctl '{"command": "statistic-get", "arguments": {"name": "pkt4-ack-sent"}}' |
		json_check "j['result'] == 0 and list(j['arguments']) == ['pkt4-ack-sent']" || fail "statistic-get"
	ctl '{"command": "statistic-get", "arguments": {"name": "no-such"}}' |
		json_check "j['result'] == 0 and j['arguments'] == {}" || fail "statistic-get of no statistic"
	ctl '{"command": "statistic-reset", "arguments": {"name": "pkt4-ack-sent"}}' |
		json_check "j['result'] == 0" || fail "statistic-reset"
	ctl '{"command": "statistic-get", "arguments": {"name": "pkt4-ack-sent"}}' |
		json_check "j['arguments']['pkt4-ack-sent'][0][0] == 0" || fail "statistic-reset did not reset"
	ctl '{"command": "statistic-reset", "arguments": {"name": "subnet[1].total-addresses"}}' |
		json_check "j['result'] == 1" || fail "statistic-reset of a gauge"
	ctl '{"command": "statistic-reset-all"}' |
		json_check "j['result'] == 0" || fail "statistic-reset-all"
	ctl '{"command": "statistic-get-all"}' |
		json_check "j['arguments']['pkt4-received'][0][0] < 5 and j['arguments']['subnet[1].total-addresses'][0][0] > 0" ||
		fail "statistic-reset-all did not reset: $(ctl '{"command": "statistic-get-all"}')"
	ctl '{"command": "lease4-get-all", "arguments": {"subnet-id": 1}}' |
		json_check "j['result'] == 0 and len(j['arguments']['leases']) >= 2" || fail "lease4-get-all"
	ctl '{"command": "lease4-get-all", "arguments": {"subnet-id": 2}}' |
		json_check "j['result'] == 3 and j['arguments']['leases'] == []" || fail "lease4-get-all empty"
	ctl '{"command": "lease4-get", "arguments": {"subnet-id": 1, "hw-address": "02:aa:00:00:00:02"}}' |
		json_check "j['result'] == 0 and j['arguments']['hw-address'] == '02:aa:00:00:00:02' and j['arguments']['state'] == 0 and j['arguments']['dhcpxdp']['state'] == 'active' and j['arguments']['cltt'] + j['arguments']['valid-lft'] == j['arguments']['dhcpxdp']['expire']" ||
		fail "lease4-get by hw-address: $(ctl '{"command": "lease4-get", "arguments": {"subnet-id": 1, "hw-address": "02:aa:00:00:00:02"}}')"
	ctl '{"command": "lease4-get", "arguments": {"subnet-id": 1, "identifier-type": "hw-address", "identifier": "02:aa:00:00:00:02"}}' |
		json_check "j['result'] == 0 and j['arguments']['hw-address'] == '02:aa:00:00:00:02'" ||
		fail "lease4-get by identifier"
	ctl '{"command": "lease4-get-by-hw-address", "arguments": {"hw-address": "02:aa:00:00:00:02"}}' |
		json_check "j['result'] == 0 and len(j['arguments']['leases']) == 1" || fail "lease4-get-by-hw-address"
	ctl '{"command": "lease4-get-by-hostname", "arguments": {"hostname": "no-such-host"}}' |
		json_check "j['result'] == 3 and j['arguments']['leases'] == []" || fail "lease4-get-by-hostname of none"
	ctl '{"command": "lease4-get-page", "arguments": {"from": "start", "limit": 1}}' |
		json_check "j['result'] == 0 and j['arguments']['count'] == 1 and len(j['arguments']['leases']) == 1" ||
		fail "lease4-get-page: $(ctl '{"command": "lease4-get-page", "arguments": {"from": "start", "limit": 1}}')"
	ctl '{"command": "lease4-get-page", "arguments": {"from": "10.77.255.255", "limit": 5}}' |
		json_check "j['result'] == 3 and j['arguments']['count'] == 0" || fail "lease4-get-page past the end"
	ctl '{"command": "lease4-get", "arguments": {"ip-address": "10.77.0.99"}}' |
		json_check "j['result'] == 3" || fail "lease4-get of no lease"
	ctl '{"command": "lease4-del", "arguments": {"ip-address": "10.77.0.99"}}' |
		json_check "j['result'] == 3" || fail "lease4-del of no lease"
	ctl '{"command": "lease4-del", "arguments": {}}' |
		json_check "j['result'] == 1 and 'ip-address' in j['text']" || fail "lease4-del without arguments"
}

t_reservations() {
	local o rc
	o=$(dx reservations list -c "$CFG") || fail "list exit $?"
	echo "$o" | grep -Eq "^ +1 02:dd:00:00:00:01 +10\.77\.0\.50 +- +config +xdp$" || fail "list: $o"
	dx reservations list -c "$CFG" --json |
		json_check "j['hosts'][0]['ip-address'] == '10.77.0.50'" || fail "list --json"
	# Run-time reservations in depth: test_reservations.sh.
	o=$(dx reservations add -c "$CFG" --subnet 1 --hw 02:dd:00:00:00:02 --ip 10.77.0.51 2>&1) ||
		fail "add: exit $?: $o"
	dx reservations list -c "$CFG" | grep -Eq "^ +1 02:dd:00:00:00:02 +10\.77\.0\.51 +- +runtime +xdp$" ||
		fail "list after add: $(dx reservations list -c "$CFG")"
	o=$(dx reservations del -c "$CFG" --subnet 1 --mac 02:dd:00:00:00:02 2>&1) || fail "del: exit $?: $o"
	dx reservations add -c "$CFG" --subnet 1 --hw nonsense --ip 10.77.0.51 2>/dev/null
	[ $? -eq 2 ] || fail "bad MAC not a usage error"
	dx reservations frob -c "$CFG" 2>/dev/null
	[ $? -eq 2 ] || fail "unknown action not a usage error"
}

t_not_root() {
	local o rc
	o=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$DHCPXDP" status -c "$CFG" 2>&1)
	rc=$?
	[ $rc -eq 1 ] || fail "exit $rc: $o"
	echo "$o" | grep -q "run as root" || fail "message: $o"
	# Past the file permissions, the daemon checks the peer itself.
	chmod 755 "$T_DIR" "$(dirname "$SOCK")"
	chmod 666 "$SOCK"
	o=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$DHCPXDP" status --socket "$SOCK" 2>&1)
	rc=$?
	chmod 700 "$T_DIR" "$(dirname "$SOCK")"
	chmod 600 "$SOCK"
	[ $rc -eq 1 ] || fail "peer check: exit $rc: $o"
	echo "$o" | grep -q "root only" || fail "peer check: $o"
}

t_usage_errors() {
	dx no-such-command 2>/dev/null
	[ $? -eq 2 ] || fail "unknown command"
	dx status --no-such-option 2>/dev/null
	[ $? -eq 2 ] || fail "bad option"
	dx reload extra-arg 2>/dev/null
	[ $? -eq 2 ] || fail "extra argument"
}

t_check_config_bad_path() {
	local o rc
	o=$(dx check-config -c "$T_DIR/missing.json" 2>&1)
	rc=$?
	[ $rc -eq 1 ] || fail "exit $rc"
	echo "$o" | grep -q "$T_DIR/missing.json: " || fail "message: $o"
}

# A whole configuration shown in the README or docs/ (a ```json block
# starting with the Dhcp4 object) is one an operator may copy: it loads.
t_documented_configs_load() {
	local n=0 f
	mkdir -p "$T_DIR/doc"
	$PY - "$top" "$T_DIR/doc" <<'PY' || fail "cannot extract"
import glob, os, re, sys
top, dst = sys.argv[1:3]
for f in ["README.md"] + sorted(glob.glob(os.path.join(top, "docs", "*.md"))):
    path = os.path.join(top, f)
    for i, b in enumerate(re.findall(r"```json\n(.*?)```", open(path).read(), re.S)):
        if re.match(r'\{\s*"Dhcp4"', b):
            name = os.path.basename(f)[:-3]
            open(os.path.join(dst, f"{name}.{i}.json"), "w").write(b)
PY
	for f in "$T_DIR"/doc/*.json; do
		[ -e "$f" ] || continue
		n=$((n + 1))
		dx check-config -c "$f" || fail "$(basename "$f") does not load"
	done
	echo "$n documented configurations"
	[ $n -gt 0 ] || fail "none found"
}

t_second_daemon_refused() {
	local o rc
	o=$(srv timeout 10 "$DHCPXDP" run -c "$CFG" 2>&1)
	rc=$?
	[ $rc -eq 1 ] || fail "exit $rc: $o"
	echo "$o" | grep -q "another dhcpxdp answers on $SOCK" || fail "message: $o"
	dx status -c "$CFG" >/dev/null || fail "the first daemon lost its socket"
}

t_stale_socket_replaced() {
	kill -9 "$(daemon_pid)"
	wait_until 5 no_answer || fail "daemon still answers after SIGKILL"
	[ -S "$SOCK" ] || fail "no stale socket left to test with"
	: >"$T_DIR/daemon.log"
	daemon_start || fail "restart over a stale socket failed"
	dx status -c "$CFG" >/dev/null || fail "status after restart"
}

t_no_daemon() {
	local o rc
	kill "$(daemon_pid)"
	wait_until 10 test ! -e "$SOCK" || fail "socket left behind on stop"
	o=$(dx status -c "$CFG" 2>&1)
	rc=$?
	[ $rc -eq 1 ] || fail "exit $rc: $o"
	echo "$o" | grep -q "dhcpxdp is not running (no control socket at $SOCK)" || fail "message: $o"
	o=$(dx reload -c "$CFG" 2>&1)
	[ $? -eq 1 ] || fail "reload exit"
	echo "$o" | grep -q "systemctl start dhcpxdp" || fail "reload message: $o"
}

t_run "control socket is 0600 in a 0700 directory" t_socket_root_only
t_run "status prints the daemon, interface and subnet" t_status_table
t_run "status --json has interfaces, pools, lease map, counters" t_status_json
t_run "status counts replies over the last minute" t_fast_path_share
t_run "reload: a new subnet and a changed option are served" t_reload_changes_option
t_run "reload refuses a broken file and keeps serving" t_reload_refuses_bad_config
t_run "reload -c another file is refused, and logged" t_reload_other_file_refused
t_run "stats --prometheus is valid exposition format" t_stats_prometheus
t_run "leases --json parses" t_leases_json
t_run "raw protocol: commands and result codes" t_protocol
t_run "reservations list, add, del" t_reservations
t_run "not root: exit 1, told to run as root" t_not_root
t_run "unknown command, bad option, extra argument: exit 2" t_usage_errors
t_run "check-config of a missing file names it" t_check_config_bad_path
t_run "every whole configuration in the README and docs/ loads" t_documented_configs_load
t_run "a second daemon on the same socket is refused" t_second_daemon_refused
t_run "a stale socket is replaced on start" t_stale_socket_replaced
t_run "status with no daemon: exit 1, how to start it" t_no_daemon
t_summary
