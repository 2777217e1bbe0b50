#!/usr/bin/env bash
# A high-availability pair (load-balancing, on one PostgreSQL lease
# database, in the two-node lab of twonode_lib.sh) under load and losses:
#  - perfdhcp's DORA load (relay mode, broadcast to both servers) with
#    kill -9 of A, then of B, each started again: every ACK captured is a
#    row of the database, no address is ACKed to two clients;
#  - a stream of RENEWING REQUESTs (the C load generator) unicast to A
#    while A's daemon is killed -9: A's XDP program, still attached,
#    answers every one (0 lost);
#  - a stream of REBINDING REQUESTs (broadcast) while A's node goes away
#    altogether (daemon killed, link down): B's XDP answers every one,
#    A's clients included, before any failover;
#  - a partition between the two servers (their bridge ports isolated,
#    both still reaching the clients and the database): heartbeats go
#    through the database, so neither takes the other's scope, and no
#    address is ACKed twice.
# Usage: tests/integration/test_ha_load.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
. "$top/tests/integration/pgsql_lib.sh"
. "$top/tests/integration/twonode_lib.sh"
N_TESTS=5

[ "$(id -u)" -eq 0 ] || t_skip_all "needs root (netns, XDP, runuser)" $N_TESTS
pg_available || t_skip_all "PostgreSQL's programs are not in $PG_BIN (scripts/deps.sh test: postgresql-15)" $N_TESTS
for tool in perfdhcp tcpdump; do
	command -v $tool >/dev/null || t_skip_all "$tool is not installed (scripts/deps.sh test)" $N_TESTS
done
$PY -c 'import scapy' 2>/dev/null || t_skip_all "python3-scapy is not installed" $N_TESTS
LOADGEN=$out/tests/bench/dhcpxdp-loadgen
[ -x "$LOADGEN" ] || t_skip_all "$LOADGEN is not built (make tests)" $N_TESTS

DHCPXDP=$out/dhcpxdp
T_DIR=$(mktemp -d /tmp/dhcpxdp-haload-XXXXXX)
trap topo_cleanup EXIT
topo_up || t_fail_all "cannot build the namespaces" $N_TESTS
pg_up || t_fail_all "cannot start PostgreSQL: $(cat "$PG_DIR"/*.log 2>/dev/null)" $N_TESTS
MAC_A=$(node_mac a)
# perfdhcp is a relay agent: it needs an address, replies come to it.
# Two of them, as one relay with both servers as helper addresses
# (perfdhcp sends no broadcast): the same clients to A from 10.77.0.5
# and to B from 10.77.0.6.
cli ip addr add 10.77.0.5/24 dev "${P}c"
cli ip addr add 10.77.0.6/24 dev "${P}c"
# perf_pair NAME ARGS...: both running in the background, PERF_PIDS set;
# their outputs in $T_DIR/NAME.a and NAME.b.
perf_pair() {
	local name=$1
	shift
	cli timeout 60 perfdhcp -4 -l 10.77.0.5 "$@" $IP_A >"$T_DIR/$name.a" 2>&1 &
	PERF_PIDS=$!
	cli timeout 60 perfdhcp -4 -l 10.77.0.6 "$@" $IP_B >"$T_DIR/$name.b" 2>&1 &
	PERF_PIDS="$PERF_PIDS $!"
}
# perf_served NAME: what each got; fails when neither got anything.
perf_served() {
	local f got=0
	for f in "$T_DIR/$1".[ab]; do
		echo "to ${f##*.}:"
		grep -E "^(sent|received) packets|^ERROR" "$f" | sed 's/^/  /'
		grep -q "^received packets: [1-9]" "$f" && got=1
	done
	[ $got = 1 ] || fail "perfdhcp got nothing: $(cat "$T_DIR/$1".[ab])"
}

BEAT=300 MAX=1500 HA_POOL="10.77.0.10 - 10.77.0.250"
ha_config a server1 load-balancing secondary
ha_config b server2 load-balancing secondary
"$DHCPXDP" db init -c "$T_DIR/a.json" || t_fail_all "db init failed" $N_TESTS
node_start a || t_fail_all "node A did not start" $N_TESTS
node_start b || t_fail_all "node B did not start" $N_TESTS

# kill9 NODE: the daemon killed as a crash would; its XDP stays attached.
kill9() {
	local pid
	[ "$1" = a ] && pid=$PID_A || pid=$PID_B
	kill -9 "$pid"
	wait "$pid" 2>/dev/null
	[ "$1" = a ] && PID_A= || PID_B=
}
# arp_reply NS IFACE IP: does IP answer an ARP request sent from NS?
arp_reply() {
	ip netns exec "$1" $PY - "$2" "$3" <<'PY'
import sys
from scapy.all import ARP, Ether, conf, srp1
conf.verb = 0
r = srp1(Ether(dst="ff:ff:ff:ff:ff:ff") / ARP(pdst=sys.argv[2]),
         iface=sys.argv[1], timeout=1)
sys.exit(0 if r else 1)
PY
}
leases_json() { "$DHCPXDP" leases -c "$T_DIR/b.json" --json >"$1"; }
# no_double FILE: the leases in FILE hold distinct addresses.
no_double() {
	$PY - "$1" <<'PY'
import json, sys
addrs = [l["address"] for l in json.load(open(sys.argv[1]))]
print(len(addrs), "leases,", len(set(addrs)), "addresses")
sys.exit(1 if len(addrs) != len(set(addrs)) else 0)
PY
}

# 1. perfdhcp: 14 s of DORA at 40/s to each server among 100 clients; A killed -9 at
# 4 s and started again, B killed -9 at 9 s and started again.
capture "$T_DIR/perf.pcap"
perf_pair perf -r 40 -R 100 -p 14 -b mac=02:ed:00:00:00:00
sleep 4
kill9 a
node_start a || t_fail_all "A did not start after kill -9" $N_TESTS
sleep 3
kill9 b
node_start b || t_fail_all "B did not start after kill -9" $N_TESTS
wait $PERF_PIDS
capture_stop
leases_json "$T_DIR/perf.json"

t_perf_served() {
	perf_served perf
}
# Every ACK captured (both kills included) names a lease the database
# holds; no address went to two clients.
t_perf_acks_durable() {
	$PY "$top/tests/integration/acks.py" "$T_DIR/perf.pcap" "$T_DIR/perf.json" &&
		no_double "$T_DIR/perf.json"
}
t_run "perfdhcp DORA load through the pair, A then B killed -9 and started again: clients served" t_perf_served
t_run "under those kills: every ACK a row of the database, no address ACKed twice" t_perf_acks_durable

# The generator's clients (60, their own MACs): bound first by a run of
# their own, so that both servers know every lease before the streams.
lg() { # NAME ARGS...: the summary in $T_DIR/NAME.json, its line printed
	local name=$1
	shift
	cli timeout 40 "$LOADGEN" -i "${P}c" -n 60 --mac-seed 90 \
		-o "$T_DIR/$name.json" "$@" 2>"$T_DIR/$name.err"
}
lg_class() { $PY -c "import json,sys; c=json.load(open(sys.argv[1]))[sys.argv[2]]; print(c['sent'], c['answered'], c['dropped'], c['naks'])" "$T_DIR/$1.json" "$2"; }
# lost_none NAME CLASS: fail unless every request of CLASS was answered by an ACK.
lost_none() {
	local sent answered dropped naks
	read -r sent answered dropped naks <<<"$(lg_class "$1" "$2")"
	echo "$2: $sent sent, $answered answered, $dropped lost, $naks NAKs"
	[ "$sent" -gt 0 ] || fail "no $2 sent"
	[ "$dropped" = 0 ] && [ "$naks" = 0 ] && [ "$answered" = "$sent" ] ||
		fail "$2 lost or NAKed"
}
lg bind -s $IP_A -m "$MAC_A" -r 60 -d 2 --wait 1 || t_fail_all "the generator failed: $(cat "$T_DIR/bind.err")" $N_TESTS
BOUND=$(lg_class bind request | awk '{print $2}')
ROWS=$(active_rows)
both_count() { leases_in a "$1" && leases_in b "$1"; }
wait_until 35 both_count "$ROWS" ||
	echo "the engines do not count $ROWS leases each yet"

# 2. Renewals unicast to A at 300/s for 6 s; A's daemon killed -9 at 2 s.
before=$(xdp_renewals "$NS_A" "$T_DIR/bpffs/a")
lg renew -s $IP_A -m "$MAC_A" --bind-first -r 120 --renew 300 -d 6 --wait 1 &
LG_PID=$!
sleep 3
kill9 a
wait $LG_PID
A_XDP=$(($(xdp_renewals "$NS_A" "$T_DIR/bpffs/a") - before))
t_renewals_through_kill() {
	echo "$BOUND of the generator's clients bound; A's XDP answered $A_XDP renewals"
	lost_none renew renew
	[ "$A_XDP" -gt 0 ] || fail "A's XDP answered none"
}
t_run "renewals to A while its daemon is killed -9: A's XDP answers every one" t_renewals_through_kill
node_start a || t_fail_all "A did not start after kill -9" $N_TESTS

# 3. Rebinding (broadcast) at 300/s for 6 s; A's node gone at 2 s: its
# daemon killed and its link down. B's XDP answers A's clients too,
# before B takes A's scope (about 2 s later).
before=$(xdp_renewals "$NS_B" "$T_DIR/bpffs/b")
lg rebind -s $IP_A -m "$MAC_A" --bind-first -r 120 --rebind 300 -d 6 --wait 1 &
LG_PID=$!
sleep 3
kill9 a
ip -n "$NS_A" link set "${P}a" down
wait $LG_PID
B_XDP=$(($(xdp_renewals "$NS_B" "$T_DIR/bpffs/b") - before))
t_rebinds_through_node_loss() {
	echo "B's XDP answered $B_XDP rebinding requests"
	lost_none rebind rebind
	[ "$B_XDP" -gt 0 ] || fail "B's XDP answered none"
}
t_run "rebinding while A's node goes away: B's XDP answers every one" t_rebinds_through_node_loss
ip -n "$NS_A" link set "${P}a" up
node_start a || t_fail_all "A did not start again" $N_TESTS
wait_until 15 sh -c "[ \"\$($DHCPXDP status -c $T_DIR/b.json --json | grep -c partner-down)\" = 0 ]" ||
	t_fail_all "B still serves A's scope" $N_TESTS

# 4. The servers cut from each other, not from the clients or the
# database, for longer than max-response-delay; then 20 new clients.
for p in pa pb; do
	ip -n "$NS_BR" link set dev $p type bridge_slave isolated on
done
DOWN_A=$(grep -c HA_PARTNER_DOWN "$T_DIR/a.log")
DOWN_B=$(grep -c HA_PARTNER_DOWN "$T_DIR/b.log")
sleep 3
capture "$T_DIR/part.pcap"
perf_pair part -r 20 -R 20 -n 40 -b mac=02:ee:00:00:00:00
wait $PERF_PIDS
capture_stop
leases_json "$T_DIR/part.json"
t_partition_between_servers() {
	local s
	# The cut is real: A's ARP for B goes unanswered, both servers' for
	# the clients' address are answered.
	arp_reply "$NS_A" "${P}a" $IP_B && fail "A still reaches B"
	arp_reply "$NS_A" "${P}a" 10.77.0.5 || fail "A does not reach the clients"
	arp_reply "$NS_B" "${P}b" 10.77.0.5 || fail "B does not reach the clients"
	perf_served part
	for s in a b; do
		echo "$s: $(json_of $s "j['high-availability'][0]['ha-servers']['local']['state']")"
		[ "$(status_of $s | grep -c partner-down)" = 0 ] ||
			fail "$s took its partner's scope though both beat"
	done
	[ "$(grep -c HA_PARTNER_DOWN "$T_DIR/a.log")" = "$DOWN_A" ] &&
		[ "$(grep -c HA_PARTNER_DOWN "$T_DIR/b.log")" = "$DOWN_B" ] ||
		fail "a server logged its partner down during the partition"
	$PY "$top/tests/integration/acks.py" "$T_DIR/part.pcap" "$T_DIR/part.json" &&
		no_double "$T_DIR/part.json"
}
t_run "a partition between the servers: neither takes the other's scope, no address twice" t_partition_between_servers
for p in pa pb; do
	ip -n "$NS_BR" link set dev $p type bridge_slave isolated off
done
node_stop a
node_stop b
t_summary
