#!/usr/bin/env bash
# A DHCP starvation attack against `dhcpxdp run` (docs/design.md §2, the
# rate limits): 20 clients hold leases on a link with a small pool; then,
# for 5 s, DISCOVERs from 2,000 random MACs flood that link. During the
# flood the 20 clients renew (unicast RENEWING, every one passed up to
# the daemon: horizon-factor 1 leaves XDP no renewal to answer) with no
# failure, as known clients are charged to their own buckets only; a
# fresh client on another served link, and one behind a relay there, get
# an address; the daemon sees no more of the flood than its network's
# limit lets through. After the flood a fresh client on the flooded link
# gets an address within 10 s (offers held 3 s under pressure).
# Usage: tests/integration/test_flood.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
N_TESTS=6

[ "$(id -u)" -eq 0 ] || t_skip_all "needs root (netns, XDP)" $N_TESTS
PY=/usr/bin/python3
$PY -c "import scapy" 2>/dev/null || t_skip_all "python3 scapy missing (scripts/deps.sh test)" $N_TESTS

DHCPXDP=$out/dhcpxdp
T_DIR=$(mktemp -d /tmp/dhcpxdp-fd-XXXXXX)
PREFIX=dxd$((RANDOM % 10000))
FLOOD_SECONDS=5
FLOOD_MACS=2000
FLOOD_RATE=10000 # frames/s asked; a busy machine sends fewer
NET_RATE=200
NET_BURST=400

cleanup() {
	daemon_stop
	"$top/scripts/lab.sh" down "$T_DIR" "$PREFIX" 2>/dev/null
	rm -rf "$T_DIR"
}
trap cleanup EXIT

"$top/scripts/lab.sh" up "$T_DIR" "$PREFIX" || t_fail_all "cannot build the lab" $N_TESTS
. "$T_DIR/lab.env"
# A second served link, not flooded: 10.78.0.1 on ${PREFIX}s2.
SRV_IF2=${PREFIX}s2
CLI_IF2=${PREFIX}c2
ip link add "$SRV_IF2" netns "$SRV_NS" type veth peer name "$CLI_IF2" \
	netns "$CLI_NS" || t_fail_all "cannot add the second link" $N_TESTS
srv ip addr add 10.78.0.1/24 dev "$SRV_IF2"
srv ip link set "$SRV_IF2" up
cli ip link set "$CLI_IF2" up
cli ip link set dev "$CLI_IF2" xdpdrv obj "$out/xdp_pass.bpf.o" sec xdp ||
	t_fail_all "cannot give $CLI_IF2 XDP" $N_TESTS

# 30 addresses on the flooded link, 20 of them leased before the flood.
# The starvation object is the offer hold under pressure
# (Dhcp4.dhcpxdp.starvation): offers on a nearly full pool last 3 s.
cat >"$T_DIR/dhcpxdp.json" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$SRV_IF", "$SRV_IF2" ] },
  "valid-lifetime": 120, "renew-timer": 60, "rebind-timer": 105,
  "lease-database": { "type": "sqlite", "name": "$T_DIR/leases.sqlite3" },
  "control-socket": { "socket-type": "unix", "socket-name": "$T_DIR/control.sock" },
  "subnet4": [
    { "id": 1, "subnet": "10.77.0.0/24", "interface": "$SRV_IF",
      "pools": [ { "pool": "10.77.0.100 - 10.77.0.129" } ] },
    { "id": 2, "subnet": "10.78.0.0/24", "interface": "$SRV_IF2",
      "pools": [ { "pool": "10.78.0.100 - 10.78.0.199" } ] },
    { "id": 3, "subnet": "10.79.0.0/24",
      "relay": { "ip-addresses": [ "10.79.0.1" ] },
      "pools": [ { "pool": "10.79.0.100 - 10.79.0.199" } ] } ],
  "dhcpxdp": { "pin-dir": "$PIN_DIR", "horizon-factor": 1,
    "rate-limits": { "per-client": { "rate": 8, "burst": 16 },
      "per-network": { "rate": $NET_RATE, "burst": $NET_BURST } },
    "starvation": { "pressure-offer-lifetime": 3 } }
} }
JSON
daemon_start || t_fail_all "the daemon did not start" $N_TESTS

SRV_MAC=$(srv cat "/sys/class/net/$SRV_IF/address")
SRV_MAC2=$(srv cat "/sys/class/net/$SRV_IF2/address")
flood_py() { cli $PY "$top/tests/integration/flood.py" "$@"; }
stats_line() {
	local s
	for s in drop_rate_client drop_rate_network drop_rate_relay \
		drop_rate_circuit_id punt_discover punt_horizon; do
		printf '%s %s  ' "$s" "$(xdp_stat $s)"
	done
	echo
}

t_clients_leased() {
	flood_py lease "$CLI_IF" 20 >"$T_DIR/leases.txt" ||
		fail "not every client got a lease: $(cat "$T_DIR/leases.txt")"
	[ "$(wc -l <"$T_DIR/leases.txt")" -eq 20 ] || fail "$(cat "$T_DIR/leases.txt")"
	head -3 "$T_DIR/leases.txt"
}
t_run "20 clients lease from the small pool" t_clients_leased

# The flood, and what runs during it: two rounds of renewals, a fresh
# client on the other link, a relayed one there.
discover0=$(xdp_stat punt_discover)
horizon0=$(xdp_stat punt_horizon)
flood_py flood "$CLI_IF" $FLOOD_SECONDS $FLOOD_MACS $FLOOD_RATE \
	>"$T_DIR/flood.out" 2>&1 &
flood_pid=$!
sleep 1
flood_py renew "$CLI_IF" 10.77.0.1 "$SRV_MAC" "$T_DIR/leases.txt" \
	>"$T_DIR/renew1.out" 2>&1
echo $? >"$T_DIR/renew1.rc"
flood_py relay-dora "$CLI_IF2" 02:fb:00:00:00:01 10.79.0.1 10.78.0.1 \
	"$SRV_MAC2" >"$T_DIR/relay.out" 2>&1 &
relay_pid=$!
cli $PY "$top/tests/integration/dhcp_client.py" "$CLI_IF2" dora \
	02:fa:00:00:00:01 >"$T_DIR/other.out" 2>&1
echo $? >"$T_DIR/other.rc"
wait $relay_pid
echo $? >"$T_DIR/relay.rc"
# What must have run during the flood has; a slow machine may see the
# second round of renewals start after it ended.
still_flooding=0
kill -0 $flood_pid 2>/dev/null && still_flooding=1
flood_py renew "$CLI_IF" 10.77.0.1 "$SRV_MAC" "$T_DIR/leases.txt" \
	>"$T_DIR/renew2.out" 2>&1
echo $? >"$T_DIR/renew2.rc"
second_during=0
kill -0 $flood_pid 2>/dev/null && second_during=1
wait $flood_pid
echo "flood: $(cat "$T_DIR/flood.out") DISCOVERs in ${FLOOD_SECONDS} s from $FLOOD_MACS MACs;" \
	"first renewals and the other link's clients during it:" \
	"$([ $still_flooding -eq 1 ] && echo yes || echo 'NO (too slow)');" \
	"second renewals: $([ $second_during -eq 1 ] && echo during || echo after)"

t_renewals_during_flood() {
	[ $still_flooding -eq 1 ] || fail "the flood ended before the first round did"
	cat "$T_DIR/renew1.out" "$T_DIR/renew2.out"
	[ "$(cat "$T_DIR/renew1.rc")" = 0 ] || fail "first round: $(cat "$T_DIR/renew1.out")"
	[ "$(cat "$T_DIR/renew2.rc")" = 0 ] || fail "second round: $(cat "$T_DIR/renew2.out")"
	# Every renewal went to the daemon (none answerable in XDP).
	[ $(($(xdp_stat punt_horizon) - horizon0)) -ge 40 ] ||
		fail "renewals not passed up: punt_horizon $horizon0 -> $(xdp_stat punt_horizon)"
}
t_run "20 known clients renew through the daemon during the flood, 0 failures" \
	t_renewals_during_flood

t_other_link_during_flood() {
	[ $still_flooding -eq 1 ] || fail "the flood ended before the client did"
	[ "$(cat "$T_DIR/other.rc")" = 0 ] || fail "no lease: $(cat "$T_DIR/other.out")"
	grep -Eq '^10\.78\.0\.1[0-9][0-9]$' "$T_DIR/other.out" || fail "$(cat "$T_DIR/other.out")"
	echo "other link: $(cat "$T_DIR/other.out")"
}
t_run "a fresh client on another link gets an address during the flood" \
	t_other_link_during_flood

t_relayed_during_flood() {
	[ $still_flooding -eq 1 ] || fail "the flood ended before the client did"
	[ "$(cat "$T_DIR/relay.rc")" = 0 ] || fail "no lease: $(cat "$T_DIR/relay.out")"
	grep -Eq '^10\.79\.0\.1[0-9][0-9]$' "$T_DIR/relay.out" || fail "$(cat "$T_DIR/relay.out")"
	echo "relayed: $(cat "$T_DIR/relay.out")"
}
t_run "a fresh relayed client on another link gets an address during the flood" \
	t_relayed_during_flood

# What reached the daemon of the flood: at most each CPU's network
# bucket (burst, then the rate), with a second's slack.
t_flood_limited() {
	local sent passed cpus most
	stats_line
	sent=$(cat "$T_DIR/flood.out")
	passed=$(($(xdp_stat punt_discover) - discover0))
	cpus=$(nproc)
	most=$((cpus * (NET_BURST + NET_RATE * (FLOOD_SECONDS + 1)) + 100))
	echo "flood frames sent $sent, DISCOVERs passed up $passed (at most $most)"
	[ "$(xdp_stat drop_rate_network)" -gt 0 ] || fail "nothing dropped by the network limit"
	[ "$passed" -le "$most" ] || fail "$passed DISCOVERs passed up, more than $most"
}
t_run "the flood is dropped in XDP past the network's limit" t_flood_limited

t_fresh_client_after_flood() {
	local t0 addr=
	t0=$SECONDS
	# dhcp_client.py gives up after 3 DISCOVERs 2 s apart; a client
	# goes on (RFC 2131 §4.1), so does this one, for 10 s.
	while [ -z "$addr" ] && [ $((SECONDS - t0)) -lt 10 ]; do
		addr=$(cli $PY "$top/tests/integration/dhcp_client.py" \
			"$CLI_IF" dora 02:fc:00:00:00:01) || addr=
	done
	[ -n "$addr" ] || fail "no lease after the flood ($((SECONDS - t0)) s)"
	echo "after the flood: $addr in $((SECONDS - t0)) s"
	[ $((SECONDS - t0)) -le 10 ] || fail "took $((SECONDS - t0)) s"
}
t_run "a fresh client on the flooded link gets an address within 10 s after it" \
	t_fresh_client_after_flood

echo "XDP counters: $(stats_line)"
t_summary
