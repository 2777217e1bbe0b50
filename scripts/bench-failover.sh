#!/usr/bin/env bash
# Failover time of a high-availability pair (docs/design.md §5, "High
# availability"): the two-node lab of tests/integration/twonode_lib.sh on
# one throwaway PostgreSQL, a load-balancing pair with heartbeat-delay
# HA_BEAT ms and max-response-delay HA_MAX ms. Each of RUNS rounds kills
# server1 with SIGKILL and measures, by the clock of the client's side,
# until server2 serves server1's scope (the time of its log line, on the
# same clock: one machine), checks that it then offers to a client of
# that scope, and whether a renewal of server1's client sent to server2 right
# after the kill was ACKed. Prints a markdown section.
#   scripts/bench-failover.sh [BUILD_DIR]     (root)
set -uo pipefail
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-3}
HA_BEAT=${HA_BEAT:-1000}
HA_MAX=${HA_MAX:-3000}
[ "$(id -u)" -eq 0 ] || {
	echo "bench-failover: needs root (netns, XDP); skipped" >&2
	exit 0
}
. "$top/tests/integration/lib.sh"
. "$top/tests/integration/pgsql_lib.sh"
. "$top/tests/integration/twonode_lib.sh"
pg_available && $PY -c 'import scapy' 2>/dev/null || {
	echo "bench-failover: PostgreSQL or scapy missing (scripts/deps.sh test); skipped" >&2
	exit 0
}
DHCPXDP=$out/dhcpxdp
T_DIR=$(mktemp -d /tmp/dhcpxdp-failover-XXXXXX)
trap topo_cleanup EXIT
topo_up && pg_up || {
	echo "bench-failover: cannot build the lab" >&2
	exit 1
}

config() { # NODE SELF
	cat >"$T_DIR/$1.json" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$P$1" ] },
  "valid-lifetime": 600, "renew-timer": 300, "rebind-timer": 500,
  "lease-database": { "type": "postgresql", "name": "dhcpxdp",
    "host": "$PG_DIR", "user": "dhcpxdp" },
  "hooks-libraries": [ { "library": "libdhcp_ha.so",
    "parameters": { "high-availability": [ {
      "this-server-name": "$2", "mode": "load-balancing",
      "heartbeat-delay": $HA_BEAT, "max-response-delay": $HA_MAX,
      "peers": [
        { "name": "server1", "url": "http://$IP_A:8005/", "role": "primary" },
        { "name": "server2", "url": "http://$IP_B:8005/", "role": "secondary" } ] } ] } } ],
  "control-socket": { "socket-type": "unix", "socket-name": "$T_DIR/$1.sock" },
  "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24", "interface": "$P$1",
    "pools": [ { "pool": "10.77.0.10 - 10.77.0.250" } ] } ],
  "dhcpxdp": { "pin-dir": "$T_DIR/bpffs/$1" }
} }
JSON
}
config a server1
config b server2
"$DHCPXDP" db init -c "$T_DIR/a.json" >/dev/null || exit 1
MAC_B=$(node_mac b)
# chaddr 02:00:00:00:0a:01..03 hash into server1's scope (RFC 3074).
node_start b >/dev/null || exit 1
results=()
renewed=0 offered=0
for run in $(seq "$RUNS"); do
	node_start a >/dev/null || exit 1
	sleep $(((HA_MAX + 999) / 1000 + 1)) # the pair in touch
	mac=02:00:00:00:0a:0$run
	addr=$(dora "$mac" $IP_A) || { echo "run $run: no lease from server1" >&2; continue; }
	downs=$(grep -c HA_PARTNER_DOWN "$T_DIR/b.log")
	t0=$(date +%s.%N)
	kill -9 "$PID_A"
	wait "$PID_A" 2>/dev/null
	type=$(cli timeout 20 $PY "$top/tests/integration/dhcp_client.py" "${P}c" renew "$mac" "$addr" $IP_B "$MAC_B")
	[ "$type" = 5 ] && renewed=$((renewed + 1))
	# server2's log says when it took server1's scope (its engine does
	# in the same tick); then an OFFER to that scope proves it.
	wait_until $((HA_MAX / 1000 + 15)) sh -c "[ \$(grep -c HA_PARTNER_DOWN $T_DIR/b.log) -gt $downs ]" || {
		echo "run $run: server2 never took over" >&2
		continue
	}
	t1=$(grep HA_PARTNER_DOWN "$T_DIR/b.log" | tail -1 | awk '{print $1 " " $2}')
	results+=($($PY -c 'import sys, datetime as d
t1 = d.datetime.strptime(sys.argv[2], "%Y-%m-%d %H:%M:%S.%f").timestamp()
print(round((t1 - float(sys.argv[1])) * 1000))' "$t0" "$t1"))
	[ "$(client offers 02:00:00:00:0a:0$(((run % 3) + 1)))" = "$IP_B" ] && offered=$((offered + 1))
	ip netns pids "$NS_A" | xargs -r kill -9
done
sorted=$(printf '%s\n' "${results[@]}" | sort -n)
n=${#results[@]}
echo "## High-availability failover (scripts/bench-failover.sh)"
echo
echo "Load-balancing pair on one PostgreSQL, heartbeat-delay $HA_BEAT ms, max-response-delay $HA_MAX ms; server1 killed with SIGKILL, $n run(s)."
echo
echo "| figure | value | bound (max-response-delay + heartbeat-delay + 1 s tick) |"
echo "|---|---:|---:|"
echo "| failover: kill to server2 serving server1's scope (its log), median (min–max) | $(echo "$sorted" | sed -n "$(((n + 1) / 2))p") ms ($(echo "$sorted" | head -1)–$(echo "$sorted" | tail -1)) | $((HA_MAX + HA_BEAT + 1000)) ms |"
echo "| then an OFFER from server2 to a client of server1's scope | $offered of $n | all |"
echo "| renewals of server1's clients ACKed by server2's XDP right after the kill | $renewed of $n | all |"
echo
