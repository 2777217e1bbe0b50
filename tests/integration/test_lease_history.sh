#!/usr/bin/env bash
# The lease history and Kea's legal log against `dhcpxdp run` in a
# network-namespace lab (docs/logging.md, "Lease history"). A pool of one
# address, a 20 s lease. Client A gets the address and renews it in XDP
# (no extension asked: the daemon hears nothing of it); the history's end
# for A must come to cover a moment only that renewal covers, read from
# the lease map by the sweep. A releases, B gets the address: the history
# answers who held it before, between and after. The daemon is killed
# (SIGKILL) right after B's ACK: B's tenancy is there for
# `leases history` with no daemon, and, once the daemon runs again and
# B's lease ran out, it is closed by its expiry. The legal log file of
# the day holds Kea's lines for both grants and the release.
# Usage: tests/integration/test_lease_history.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
N_TESTS=4

[ "$(id -u)" -eq 0 ] || t_skip_all "needs root (netns, XDP)" $N_TESTS
/usr/bin/python3 -c 'import scapy' 2>/dev/null || t_skip_all "python3-scapy missing (scripts/deps.sh test)" $N_TESTS

DHCPXDP=$out/dhcpxdp
lab_up hist dxh $N_TESTS
PY=/usr/bin/python3
CFG=$T_DIR/dhcpxdp.json
ADDR=10.77.0.100
LEASE=20
MAC_A=02:aa:00:00:00:01
MAC_B=02:bb:00:00:00:01
SRV_MAC=$(srv cat "/sys/class/net/$SRV_IF/address")

cat >"$CFG" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$SRV_IF" ] },
  "valid-lifetime": $LEASE, "renew-timer": 10, "rebind-timer": 17,
  "lease-database": { "type": "sqlite", "name": "$T_DIR/db/leases.sqlite3" },
  "control-socket": { "socket-type": "unix", "socket-name": "$T_DIR/control.sock" },
  "hooks-libraries": [ { "library": "/usr/lib/kea/hooks/libdhcp_legal_log.so",
    "parameters": { "path": "$T_DIR/legal", "base-name": "kea-legal" } } ],
  "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24", "interface": "$SRV_IF",
    "pools": [ { "pool": "$ADDR - $ADDR" } ] } ],
  "dhcpxdp": { "pin-dir": "$PIN_DIR", "offer-lifetime": 2,
    "lease-history": { "retention": "1d" } }
} }
JSON
daemon_start || t_fail_all "daemon did not start" $N_TESTS
# A case runs in a subshell: a daemon it starts is known by this file.
daemon_of_file() {
	[ -f "$T_DIR/daemon.pid" ] && DAEMON_PID=$(cat "$T_DIR/daemon.pid")
	return 0
}

client() { cli $PY "$top/tests/integration/dhcp_client.py" "$CLI_IF" "$@"; }
# The holder(s) of ADDR at unix time $1: their MACs, one a line.
held_at() {
	"$DHCPXDP" leases history -c "$CFG" --address $ADDR --at "$1" --json |
		grep -o '"hw-address": "[0-9a-f:]*"' | cut -d'"' -f4
}
# The end of MAC $1's last tenancy, unix seconds.
end_of() {
	"$DHCPXDP" leases history -c "$CFG" --mac "$1" --json |
		grep -o '"end": [0-9]*' | tail -1 | awk '{print $2}'
}
ended_by() {
	"$DHCPXDP" leases history -c "$CFG" --mac "$1" --json |
		grep -o '"ended-by": "[a-z]*"' | tail -1 | cut -d'"' -f4
}

# A's grant, ACKed by G: it ran to G + LEASE at the latest, and its
# lease-map entry to 2 s (ENGINE_MAP_GRACE) and a rounding second later.
# Its renewal, answered by XDP at R >= G + 6, runs to R + LEASE: the
# moment G + LEASE + 4 is covered by nothing else. The history must come
# to show A then, within a sweep (10 s).
t_xdp_renewal_extends() {
	local g r a acks asked type moment
	a=$(client dora $MAC_A) || fail "no lease for A"
	g=$(date +%s)
	[ "$a" = $ADDR ] || fail "A got $a"
	echo "$g" >"$T_DIR/g"
	[ "$(held_at "$g")" = $MAC_A ] || fail "A's grant is not in the history"
	sleep 6
	acks=$(xdp_stat ack_renewal)
	asked=$(xdp_stat extend_asked)
	r=$(date +%s)
	type=$(client renew $MAC_A $ADDR "$SRV_IP" "$SRV_MAC") || fail "no reply to A's renewal"
	[ "$type" = 5 ] || fail "A's renewal: message type $type"
	[ "$(xdp_stat ack_renewal)" -gt "$acks" ] || fail "A's renewal was not answered by XDP"
	[ "$(xdp_stat extend_asked)" -eq "$asked" ] ||
		fail "A's renewal asked for an extension: the daemon would know of it"
	moment=$((g + LEASE + 4))
	wait_until 15 sh -c "[ \"\$(\"$DHCPXDP\" leases history -c \"$CFG\" --address $ADDR --at $moment --json | grep -c $MAC_A)\" = 1 ]" ||
		fail "the history's end for A ($(end_of $MAC_A)) never covered $moment (XDP renewed after $r until about $((r + LEASE)))"
	echo "A's end $(end_of $MAC_A), XDP renewed after $r: moment G+$((LEASE + 4)) covered"
	[ "$(end_of $MAC_A)" -ge $((r + LEASE - 1)) ] ||
		fail "end $(end_of $MAC_A) before the renewal's expiry (sent after $r, A granted by $g)"
}

# A sends its release after L, B asks for an address at B0 and is ACKed by B1: held
# by A before L, by nobody just before B0, by B from B1.
t_release_and_reuse() {
	local g l b0 b1 b
	g=$(cat "$T_DIR/g")
	l=$(date +%s)
	client release $MAC_A $ADDR "$SRV_IP" || fail "A's release not sent"
	wait_until 5 sh -c "[ \"\$(\"$DHCPXDP\" leases history -c \"$CFG\" --mac $MAC_A --json | grep -c '\"ended-by\": \"release\"')\" = 1 ]" ||
		fail "A's release is not in the history ($(ended_by $MAC_A))"
	sleep 2
	b0=$(date +%s)
	b=$(client dora $MAC_B) || fail "no lease for B"
	b1=$(date +%s)
	[ "$b" = $ADDR ] || fail "B got $b"
	# kill -9 at once: nothing after the ACK may be needed
	kill -9 "$DAEMON_PID"
	wait "$DAEMON_PID" 2>/dev/null
	rm -f "$T_DIR/daemon.pid"
	echo "$b0" >"$T_DIR/b0"
	[ "$(held_at $((g + 1)))" = $MAC_A ] || fail "at G+1: '$(held_at $((g + 1)))', not A"
	[ "$(held_at $((l - 1)))" = $MAC_A ] ||
		fail "just before the release ($l): '$(held_at $((l - 1)))', not A: $("$DHCPXDP" leases history -c "$CFG" --address $ADDR)"
	[ -z "$(held_at $((b0 - 1)))" ] || fail "between the release and B: '$(held_at $((b0 - 1)))'"
	[ "$(held_at "$b1")" = $MAC_B ] || fail "after B's grant (daemon killed): '$(held_at "$b1")', not B"
	[ "$(ended_by $MAC_A)" = release ] || fail "A's tenancy ended by $(ended_by $MAC_A)"
	[ "$(ended_by $MAC_B)" = open ] || fail "B's tenancy $(ended_by $MAC_B)"
	# the table, in ISO 8601 for an abuse desk
	"$DHCPXDP" leases history -c "$CFG" --address $ADDR \
		--at "$(date -u -d @"$b1" +%Y-%m-%dT%H:%M:%SZ)" | tee "$T_DIR/table"
	grep -q "^$ADDR  *$MAC_B " "$T_DIR/table" || fail "no row for B in the table"
}

# Started again, the daemon reclaims B's lease when it runs out: B's
# tenancy ends by expiry, at its lease's end. A start on the pinned maps
# makes a live entry end no earlier than a lease time (and the 2 s
# grace) after it (docs/design.md §2), and so does the tenancy.
t_expiry_closes() {
	local b0 s e
	b0=$(cat "$T_DIR/b0")
	s=$(date +%s)
	daemon_start || fail "the daemon did not start again"
	echo "$DAEMON_PID" >"$T_DIR/daemon.pid"
	wait_until $((LEASE + 15)) sh -c "[ \"\$(\"$DHCPXDP\" leases history -c \"$CFG\" --mac $MAC_B --json | grep -c '\"ended-by\": \"expiry\"')\" = 1 ]" ||
		fail "B's tenancy not ended by expiry: $(ended_by $MAC_B)"
	e=$(end_of $MAC_B)
	echo "B's tenancy from $b0 ended at $e, the daemon started at $s"
	[ "$e" -ge $((b0 + LEASE - 1)) ] && [ "$e" -le $((s + LEASE + 4)) ] ||
		fail "end $e is not B's lease's end"
}

# Kea's wording, in the file of the day.
t_legal_log() {
	local f
	f=$T_DIR/legal/kea-legal.$(date +%Y%m%d).txt
	[ -f "$f" ] || f=$(ls "$T_DIR"/legal/kea-legal.*.txt | head -1)
	[ -f "$f" ] || fail "no legal log file in $T_DIR/legal"
	cat "$f"
	grep -Eq "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} [A-Z+0-9-]+ Address: $ADDR has been assigned for 0 hrs 0 mins $LEASE secs to a device with hardware address: hwtype=1 $MAC_A\$" "$f" ||
		fail "no line for A's grant"
	grep -q "Address: $ADDR has been released from a device with hardware address: hwtype=1 $MAC_A\$" "$f" ||
		fail "no line for A's release"
	grep -q "Address: $ADDR has been assigned for 0 hrs 0 mins $LEASE secs to a device with hardware address: hwtype=1 $MAC_B\$" "$f" ||
		fail "no line for B's grant"
}

t_run "the history's end covers a renewal answered in XDP (lease map sweep)" t_xdp_renewal_extends
t_run "who held the address across a release and a reuse, daemon killed" t_release_and_reuse
t_run "a restarted daemon closes the tenancy at its lease's expiry" t_expiry_closes
daemon_of_file
t_run "Kea's legal log lines for grants and the release, daily file" t_legal_log
t_summary
