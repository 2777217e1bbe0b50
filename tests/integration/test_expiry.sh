#!/usr/bin/env bash
# Reuse of an expired address (docs/design.md §2): a pool of one address,
# a 20 s lease (horizon 40 s). Client A gets the address, renews it
# through XDP (the horizon covers the next renewal too, so the daemon
# hears nothing of it) and goes quiet; client B asks for an address twice
# a second. B must get A's address only after A's renewal expired, and
# soon after that, well before the horizon: the daemon reads the lease
# map when it reclaims. After a restart on the pinned maps the same holds;
# after a start on fresh maps (a reboot), what XDP granted on the maps
# that were lost is not known, and the address waits for the horizon.
# Usage: tests/integration/test_expiry.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
N_TESTS=3

[ "$(id -u)" -eq 0 ] || t_skip_all "needs root (netns, XDP)" $N_TESTS
/usr/bin/python3 -c 'import scapy' 2>/dev/null || t_skip_all "python3-scapy missing (scripts/deps.sh test)" $N_TESTS

DHCPXDP=$out/dhcpxdp
T_DIR=$(mktemp -d /tmp/dhcpxdp-exp-XXXXXX)
PREFIX=dxe$((RANDOM % 10000))
PY=/usr/bin/python3
CFG=$T_DIR/dhcpxdp.json
ADDR=10.77.0.100
LEASE=20
HORIZON=40 # horizon-factor 2
MAC_A=02:aa:00:00:00:01
MAC_B=02:bb:00:00:00:01

# A case runs in a subshell: a daemon it restarts is known by this file.
restart_daemon() {
	daemon_stop
	"$@"
	daemon_start || return 1
	echo "$DAEMON_PID" >"$T_DIR/daemon.pid"
}
daemon_of_file() {
	[ -f "$T_DIR/daemon.pid" ] && DAEMON_PID=$(cat "$T_DIR/daemon.pid")
}

cleanup() {
	daemon_of_file
	daemon_stop
	"$top/scripts/lab.sh" down "$T_DIR" "$PREFIX" 2>/dev/null
	rm -rf "$T_DIR"
}
trap cleanup EXIT

"$top/scripts/lab.sh" up "$T_DIR" "$PREFIX" || t_skip_all "cannot build the lab" $N_TESTS
. "$T_DIR/lab.env"
SRV_MAC=$(srv cat "/sys/class/net/$SRV_IF/address")

cat >"$CFG" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$SRV_IF" ] },
  "valid-lifetime": $LEASE, "renew-timer": 10, "rebind-timer": 17,
  "lease-database": { "type": "sqlite", "name": "$T_DIR/leases.sqlite3" },
  "control-socket": { "socket-type": "unix", "socket-name": "$T_DIR/control.sock" },
  "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24", "interface": "$SRV_IF",
    "pools": [ { "pool": "$ADDR - $ADDR" } ] } ],
  "dhcpxdp": { "pin-dir": "$PIN_DIR", "offer-lifetime": 2 }
} }
JSON
daemon_start || t_fail_all "daemon did not start" $N_TESTS

now() { date +%s.%N; }
# within A B MIN MAX: B - A in [MIN, MAX] seconds (printed, awk arithmetic).
within() {
	awk -v a="$1" -v b="$2" -v lo="$3" -v hi="$4" \
		'BEGIN { d = b - a; printf "%.1f s", d; exit !(d >= lo && d <= hi) }'
}

# A: DISCOVER, REQUEST; the ACKed address.
grant_a() {
	cli $PY "$top/tests/integration/dhcp_client.py" "$CLI_IF" dora $MAC_A
}

# A renews in RENEWING; it must be XDP's ACK, and ask for no extension.
renew_a_in_xdp() {
	local acks asked type
	acks=$(xdp_stat ack_renewal)
	asked=$(xdp_stat extend_asked)
	type=$(cli $PY "$top/tests/integration/dhcp_client.py" "$CLI_IF" \
		renew $MAC_A $ADDR "$SRV_IP" "$SRV_MAC") || fail "no reply to A's renewal"
	[ "$type" = 5 ] || fail "A's renewal: message type $type"
	[ "$(xdp_stat ack_renewal)" -gt "$acks" ] || fail "A's renewal was not answered by XDP"
	[ "$(xdp_stat extend_asked)" -eq "$asked" ] ||
		fail "A's renewal asked for an extension: the daemon would know of it"
}

# B asks twice a second for up to $1 s; prints the time of the OFFER of
# ADDR, after taking it (REQUEST, ACK).
b_waits_for_addr() {
	cli $PY -c '
import sys, time
sys.path.insert(0, sys.argv[1])
from dhcp_client import request, answer, server_id
from scapy.all import BOOTP, DHCP, srp1
iface, mac, want, limit = sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5])
end = time.time() + limit
while time.time() < end:
    t = time.time()
    rep = srp1(request(iface, mac, [("message-type", "discover")]),
               iface=iface, timeout=0.5, filter="udp and port 68")
    got = time.time()
    if rep and DHCP in rep and rep[BOOTP].yiaddr == want and \
            ("message-type", 2) in rep[DHCP].options:
        ack = answer(iface, request(iface, mac, [("message-type", "request"),
            ("requested_addr", want), ("server_id", server_id(rep))]), 5)
        print("%.3f" % got)
        sys.exit(0 if ack else 3)
    time.sleep(max(0.0, t + 0.5 - time.time()))
sys.exit(1)' "$top/tests/integration" "$CLI_IF" $MAC_B $ADDR "$1"
}

# B's lease removed: the address is free for the next case.
free_addr() {
	"$DHCPXDP" leases -c "$CFG" --delete $ADDR >/dev/null || fail "leases --delete $ADDR"
}
# Whatever a failed case before left holding the address goes first.
no_holder() {
	"$DHCPXDP" leases -c "$CFG" --delete $ADDR >/dev/null 2>&1 || true
}

# A's renewal, between R0 and R1, ended a lease time later: B gets the
# address no earlier, and within a few seconds of it (the grace, rounding
# up to whole seconds, the 1 s expiry tick, B's pace), long before the
# horizon of A's grant at G.
t_reused_after_expiry() {
	local g r0 r1 b a
	no_holder
	g=$(now)
	a=$(grant_a) || fail "no lease for A"
	[ "$a" = $ADDR ] || fail "A got $a"
	sleep 4
	r0=$(now)
	renew_a_in_xdp
	r1=$(now)
	b=$(b_waits_for_addr 50) || fail "B never got $ADDR"
	echo "B got $ADDR $(within "$r1" "$b" -1000 1000) after A's XDP renewal, $(within "$g" "$b" -1000 1000) after A's grant"
	within "$r0" "$b" $LEASE 1000 >/dev/null || fail "before the renewal's expiry"
	within "$r1" "$b" 0 $((LEASE + 6)) >/dev/null || fail "not a few seconds after the renewal's expiry"
	within "$g" "$b" 0 $((HORIZON - 4)) >/dev/null || fail "not well before the horizon"
	free_addr
}

# The same across a restart on the pinned maps: the entry A's renewal
# wrote is read at the reclaim. A restart rewrites the live entry, which
# XDP may be renewing meanwhile, to end no earlier than a lease time
# (and the grace) after the rewrite: A renews at once, so that this still
# ends well before the horizon.
t_reused_after_restart() {
	local g r s b a
	no_holder
	g=$(now)
	a=$(grant_a) || fail "no lease for A"
	[ "$a" = $ADDR ] || fail "A got $a"
	r=$(now)
	renew_a_in_xdp
	daemon_of_file
	s=$(now)
	restart_daemon || fail "the daemon did not restart"
	grep -q "reusing the pinned maps" "$T_DIR/daemon.log" || fail "the maps were not reused"
	b=$(b_waits_for_addr 50) || fail "B never got $ADDR"
	echo "B got $ADDR $(within "$r" "$b" -1000 1000) after A's XDP renewal, $(within "$s" "$b" -1000 1000) after the restart, $(within "$g" "$b" -1000 1000) after A's grant"
	within "$r" "$b" $LEASE 1000 >/dev/null || fail "before the renewal's expiry"
	within "$s" "$b" $LEASE $((LEASE + 10)) >/dev/null ||
		fail "not a lease time (and the grace) after the restart's rewrite"
	within "$g" "$b" 0 $((HORIZON - 4)) >/dev/null || fail "not well before the horizon"
	free_addr
}

# Fresh maps: the renewal XDP granted on the maps removed is unknown to
# the new ones, so A's address waits for the horizon of its grant.
t_fresh_maps_wait_for_horizon() {
	local g r b a
	no_holder
	g=$(now)
	a=$(grant_a) || fail "no lease for A"
	[ "$a" = $ADDR ] || fail "A got $a"
	sleep 4
	r=$(now)
	renew_a_in_xdp
	daemon_of_file
	fresh_maps() {
		srv "$DHCPXDP" detach "$SRV_IF" --pin-dir "$PIN_DIR" &&
			rm -rf "$PIN_DIR"
	}
	restart_daemon fresh_maps || fail "the daemon did not start on fresh maps"
	[ -d "$PIN_DIR" ] || fail "no pins"
	b=$(b_waits_for_addr 60) || fail "B never got $ADDR"
	echo "B got $ADDR $(within "$r" "$b" -1000 1000) after A's XDP renewal, $(within "$g" "$b" -1000 1000) after A's grant"
	within "$g" "$b" $((HORIZON - 1)) $((HORIZON + 8)) >/dev/null ||
		fail "not at the horizon of A's grant"
	free_addr
}

t_run "an expired address is reused after its XDP renewal's expiry, before the horizon" t_reused_after_expiry
t_run "and so after a restart on the pinned maps" t_reused_after_restart
t_run "on fresh maps it waits for the horizon" t_fresh_maps_wait_for_horizon
t_summary
