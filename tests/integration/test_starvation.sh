#!/usr/bin/env bash
# Pool starvation (docs/protocol.md, "Starvation") against `dhcpxdp run` in
# the netns lab: a flood of DISCOVERs from made-up MACs empties a pool of
# 16 addresses whose offers are held 60 s; once it stops, a fresh client
# has an address within a few seconds (held offers taken over), and the
# counters say so.
# Usage: tests/integration/test_starvation.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
N_TESTS=3

[ "$(id -u)" -eq 0 ] || t_skip_all "needs root (netns, XDP)" $N_TESTS
/usr/bin/python3 -c "import scapy" 2>/dev/null ||
	t_skip_all "scapy missing (scripts/deps.sh test)" $N_TESTS

DHCPXDP=$out/dhcpxdp
T_DIR=$(mktemp -d /tmp/dhcpxdp-sv-XXXXXX)
PREFIX=dxs$((RANDOM % 10000))
PY=/usr/bin/python3

cleanup() {
	daemon_stop
	"$top/scripts/lab.sh" down "$T_DIR" "$PREFIX" 2>/dev/null
	rm -rf "$T_DIR"
}
trap cleanup EXIT

"$top/scripts/lab.sh" up "$T_DIR" "$PREFIX" || t_fail_all "cannot build the lab" $N_TESTS
. "$T_DIR/lab.env"

cat >"$T_DIR/dhcpxdp.json" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$SRV_IF" ] },
  "valid-lifetime": 600,
  "lease-database": { "type": "sqlite", "name": "$T_DIR/leases.sqlite3" },
  "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24", "interface": "$SRV_IF",
    "pools": [ { "pool": "10.77.0.100 - 10.77.0.115" } ] } ],
  "control-socket": { "socket-type": "unix", "socket-name": "$T_DIR/control.sock" },
  "dhcpxdp": { "pin-dir": "$PIN_DIR", "offer-lifetime": 60,
    "starvation": { "pressure-free-percent": 10,
                    "pressure-offer-lifetime": 3 } }
} }
JSON
daemon_start || t_fail_all "the daemon did not start" $N_TESTS

scapy() { cli timeout 60 $PY "$top/tests/integration/dhcp_client.py" "$CLI_IF" "$@"; }
metric() {
	srv "$DHCPXDP" stats --prometheus -c "$T_DIR/dhcpxdp.json" |
		awk -v m="$1" '$1 ~ "^"m"[{]" { print $2 }'
}

t_flood_empties_the_pool() {
	local n
	n=$(scapy flood 16) || fail "flood: exit $?"
	[ "$n" -eq 16 ] || fail "$n OFFERs for 16 DISCOVERs"
	# The last offer, made with one address free, is held 3 s only: it
	# may have lapsed already.
	"$DHCPXDP" status -c "$T_DIR/dhcpxdp.json" --json |
		$PY -c "import json,sys; j=json.load(sys.stdin); p=j['subnets'][0]['pool']; assert p['free'] <= 1, p" ||
		fail "the pool is not empty after the flood"
}

# One fresh client ($1) leased within 20 s; its address.
fresh_lease() {
	local start addr
	start=$(date +%s)
	# dora retries its DISCOVER 3 times 2 s apart; again until 20 s
	# (the offers of the flood are held 60 s: without the defenses the
	# pool stays empty that long).
	until addr=$(scapy dora "$1"); do
		[ $(($(date +%s) - start)) -lt 20 ] ||
			fail "no address for $1 20 s after the flood"
	done
	echo "$1: address $addr after $(($(date +%s) - start)) s" >&2
	case $addr in 10.77.0.1[01][0-9]) ;; *) fail "address $addr" ;; esac
	echo "$addr"
}

# The first may get the lapsed short hold; the second, with the pool dry,
# an offer of the flood taken over.
t_fresh_clients_served_within_seconds() {
	local a b
	a=$(fresh_lease 02:5e:00:00:00:01) || exit 1
	b=$(fresh_lease 02:5e:00:00:00:02) || exit 1
	[ "$a" != "$b" ] || fail "both got $a"
}

t_counters_show_it() {
	local taken pressure
	taken=$(metric dhcpxdp_subnet_offers_taken_over_total)
	pressure=$(metric dhcpxdp_subnet_offers_under_pressure_total)
	echo "taken over: $taken, under pressure: $pressure"
	[ "${pressure:-0}" -ge 1 ] || fail "no offer counted under pressure"
	[ "${taken:-0}" -ge 1 ] || fail "no offer counted taken over"
	grep -q "pool dry: held offers taken over" "$T_DIR/daemon.log" ||
		fail "the take-over was not logged"
}

t_run "a flood of DISCOVERs from made-up MACs empties the pool" t_flood_empties_the_pool
t_run "fresh clients have addresses within seconds after the flood" t_fresh_clients_served_within_seconds
t_run "stats count offers under pressure and taken over; the log says so" t_counters_show_it
t_summary
