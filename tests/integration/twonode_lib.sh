# Two dhcpxdp servers on one client segment, for the tests of several
# nodes on one PostgreSQL lease database (test_multinode.sh, test_ha.sh,
# test_ha_load.sh):
# nodes A and B in namespaces of their own, bridged (veth pairs into a
# bridge in a third namespace) to the clients' namespace, each with its
# own server address; their daemons started and stopped by name. The
# test defines config NODE (writing $T_DIR/NODE.json) and sets T_DIR
# first; pgsql_lib.sh gives the database.
# shellcheck shell=bash

PY=/usr/bin/python3
P=dxm$((RANDOM % 10000))
NS_A=$P-a NS_B=$P-b NS_BR=$P-br NS_CLI=$P-cli
IP_A=10.77.0.1 IP_B=10.77.0.2
PID_A= PID_B= DUMP_PID=

topo_up() {
	mkdir -p "$T_DIR/bpffs" && mount -t bpf bpf "$T_DIR/bpffs" || return 1
	for ns in $NS_A $NS_B $NS_BR $NS_CLI; do
		ip netns add "$ns" && ip -n "$ns" link set lo up || return 1
	done
	ip -n "$NS_BR" link add br0 type bridge || return 1
	ip -n "$NS_BR" link set br0 up || return 1
	# node/client end, bridge end
	ip link add "${P}a" netns "$NS_A" type veth peer name pa netns "$NS_BR" &&
		ip link add "${P}b" netns "$NS_B" type veth peer name pb netns "$NS_BR" &&
		ip link add "${P}c" netns "$NS_CLI" type veth peer name pc netns "$NS_BR" ||
		return 1
	for p in pa pb pc; do
		ip -n "$NS_BR" link set "$p" master br0 && ip -n "$NS_BR" link set "$p" up ||
			return 1
	done
	# XDP_TX frames of a node reach its peer only if the peer runs XDP.
	for p in pa pb; do
		ip -n "$NS_BR" link set dev "$p" xdpdrv obj "$out/xdp_pass.bpf.o" sec xdp ||
			return 1
	done
	ip -n "$NS_A" addr add $IP_A/24 dev "${P}a" && ip -n "$NS_A" link set "${P}a" up &&
		ip -n "$NS_B" addr add $IP_B/24 dev "${P}b" && ip -n "$NS_B" link set "${P}b" up &&
		ip -n "$NS_CLI" link set "${P}c" up
}

topo_cleanup() {
	for p in $PID_A $PID_B $DUMP_PID; do
		kill -CONT "$p" 2>/dev/null
		kill "$p" 2>/dev/null
	done
	sleep 0.3
	for ns in $NS_A $NS_B $NS_BR $NS_CLI; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	mountpoint -q "$T_DIR/bpffs" && umount "$T_DIR/bpffs"
	pg_down
	rm -rf "$T_DIR"
}

node_mac() {
	if [ "$1" = a ]; then
		ip netns exec "$NS_A" cat "/sys/class/net/${P}a/address"
	else
		ip netns exec "$NS_B" cat "/sys/class/net/${P}b/address"
	fi
}

ready_in() { grep -c "DHCPXDP_STARTED ready" "$1" 2>/dev/null || true; }
# node_start a|b: PID_A / PID_B set.
node_start() {
	local ns log=$T_DIR/$1.log before pid
	[ "$1" = a ] && ns=$NS_A || ns=$NS_B
	before=$(ready_in "$log")
	ip netns exec "$ns" "$DHCPXDP" run -c "$T_DIR/$1.json" -v >>"$log" 2>&1 &
	pid=$!
	[ "$1" = a ] && PID_A=$pid || PID_B=$pid
	wait_until 15 sh -c "[ \$(grep -c 'DHCPXDP_STARTED ready' $log) -gt ${before:-0} ]" ||
		{ cat "$log"; return 1; }
}
node_stop() {
	local pid
	[ "$1" = a ] && pid=$PID_A || pid=$PID_B
	[ -n "$pid" ] || return 0
	kill -CONT "$pid" 2>/dev/null
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	[ "$1" = a ] && PID_A= || PID_B=
}

cli() { ip netns exec "$NS_CLI" "$@"; }
# capture FILE: every server reply the clients see, until capture_stop.
capture() {
	# Not through cli(): `ip netns exec` execs tcpdump, so $! is it.
	ip netns exec "$NS_CLI" tcpdump -i "${P}c" -n -w "$1" -U 'udp and src port 67' \
		>"$T_DIR/tcpdump.log" 2>&1 &
	DUMP_PID=$!
	sleep 1
}
capture_stop() {
	sleep 0.5
	kill "$DUMP_PID" 2>/dev/null
	wait "$DUMP_PID" 2>/dev/null
	DUMP_PID=
}
client() { cli timeout 30 $PY "$top/tests/integration/multi_client.py" "${P}c" "$@"; }
dora() { client dora "$1" "$2"; }
select_req() { client select "$1" "$2" "$3"; }
active_rows() { pg_sql "SELECT count(*) FROM dhcpxdp_lease4 WHERE state = 1"; }
addr_of() { pg_sql "SELECT (addr >> 24) || '.' || (addr >> 16 & 255) || '.' || (addr >> 8 & 255) || '.' || (addr & 255) FROM dhcpxdp_lease4 WHERE state = 1 AND mac = '\\x${1//:/}'::bytea"; }
status_of() { "$DHCPXDP" status -c "$T_DIR/$1.json" --json; }
# json_of NODE EXPR: EXPR over the status JSON j.
json_of() { status_of "$1" | $PY -c "import json,sys; j=json.load(sys.stdin); print($2)"; }
leases_in() { [ "$(json_of "$1" "j['subnets'][0]['leases']")" = "$2" ]; }
xdp_renewals() {
	ip netns exec "$1" "$DHCPXDP" stats --json --pin-dir "$2" |
		grep -o '"ack_renewal": [0-9]*' | awk '{print $2}'
}

# ha_config NODE SELF MODE ROLE2: a high-availability pair as Kea writes
# it (libdhcp_ha.so's parameters), server1 being A; heartbeat-delay BEAT
# and max-response-delay MAX ms; the pool HA_POOL. The database is reached
# through the directory `db_dir NODE` prints when the test defines it.
ha_config() {
	local host=$PG_DIR
	declare -F db_dir >/dev/null && host=$(db_dir "$1")
	cat >"$T_DIR/$1.json" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$P$1" ] },
  "valid-lifetime": 600, "renew-timer": 300, "rebind-timer": 500,
  "lease-database": { "type": "postgresql", "name": "dhcpxdp",
    "host": "$host", "user": "dhcpxdp", "connect-timeout": 2,
    "max-reconnect-tries": 100, "reconnect-wait-time": 200,
    "on-fail": "serve-retry-continue" },
  "hooks-libraries": [ { "library": "/usr/lib/kea/hooks/libdhcp_ha.so",
    "parameters": { "high-availability": [ {
      "this-server-name": "$2", "mode": "$3",
      "heartbeat-delay": ${BEAT:-300}, "max-response-delay": ${MAX:-1500},
      "peers": [
        { "name": "server1", "url": "http://$IP_A:8005/", "role": "primary" },
        { "name": "server2", "url": "http://$IP_B:8005/", "role": "$4" } ] } ] } } ],
  "control-socket": { "socket-type": "unix", "socket-name": "$T_DIR/$1.sock" },
  "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24", "interface": "$P$1",
    "pools": [ { "pool": "${HA_POOL:-10.77.0.10 - 10.77.0.59}" } ] } ],
  "dhcpxdp": { "pin-dir": "$T_DIR/bpffs/$1" }
} }
JSON
}

# ctl NODE REQUEST-JSON: the request to NODE's control socket, the answer
# printed; ctl_ok NODE REQUEST-JSON PYTHON-EXPR: fails unless EXPR holds
# over the answer j.
ctl() { ctl_send "$T_DIR/$1.sock" "$2"; }
ctl_ok() {
	local a
	a=$(ctl "$1" "$2")
	echo "$1 <- $2: $a"
	$PY -c "import json,sys; j=json.loads(sys.argv[1]); sys.exit(0 if ($3) else 1)" "$a"
}
