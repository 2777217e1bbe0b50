#!/usr/bin/env bash
# The lease database failing under the daemon (docs/design.md §2 rule 5,
# §5, §7), on a small tmpfs of its own (a private mount namespace):
#  - full disk: new clients get no ACK, the grants that failed do not
#    stay taken in the daemon's memory (the pool's "used" stays at the
#    durable leases), and clients are served again once there is room;
#  - database files removed while the daemon runs: no ACK without a
#    durable row, and the daemon says why; after a restart on the empty
#    database that follows, the leases of the pinned lease map are taken
#    back: a held address is offered to no one else, is in the database
#    again, and its client still gets it.
# Usage: tests/integration/test_lease_db.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
N_TESTS=7

[ "$(id -u)" -eq 0 ] || t_skip_all "needs root (netns, XDP, mounts)" $N_TESTS
/usr/bin/python3 -c 'import scapy' 2>/dev/null ||
	t_skip_all "python3-scapy missing (scripts/deps.sh test)" $N_TESTS
if [ -z "${DX_TEST_OWN_MOUNTS:-}" ]; then
	command -v unshare >/dev/null || t_skip_all "unshare missing" $N_TESTS
	DX_TEST_OWN_MOUNTS=1 exec unshare -m --propagation private "$0" "$out"
fi

DHCPXDP=$out/dhcpxdp
T_DIR=$(mktemp -d /tmp/dhcpxdp-db-XXXXXX)
PREFIX=dxb$((RANDOM % 10000))
PY=/usr/bin/python3
DB=$T_DIR/db/leases.sqlite3
N_NEW=8

cleanup() {
	daemon_stop
	"$top/scripts/lab.sh" down "$T_DIR" "$PREFIX" 2>/dev/null
	umount "$T_DIR/db" 2>/dev/null
	rm -rf "$T_DIR"
}
trap cleanup EXIT

"$top/scripts/lab.sh" up "$T_DIR" "$PREFIX" || t_fail_all "cannot build the lab" $N_TESTS
. "$T_DIR/lab.env"
mkdir -p "$T_DIR/db"
mount -t tmpfs -o size=512k,mode=0750 dxdb "$T_DIR/db" ||
	t_fail_all "cannot mount a tmpfs" $N_TESTS

# The next-fit allocator starts at the pool's first address: the first
# client gets it, and a restarted daemon that forgot the lease would
# offer it first.
cat >"$T_DIR/dhcpxdp.json" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$SRV_IF" ] },
  "valid-lifetime": 600, "renew-timer": 300, "rebind-timer": 500,
  "lease-database": { "type": "sqlite", "name": "$DB" },
  "control-socket": { "socket-type": "unix", "socket-name": "$T_DIR/control.sock" },
  "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24", "interface": "$SRV_IF",
    "pools": [ { "pool": "10.77.0.10 - 10.77.0.60" } ] } ],
  "dhcpxdp": { "pin-dir": "$PIN_DIR" }
} }
JSON

client() { cli timeout 40 $PY "$top/tests/integration/dhcp_client.py" "$CLI_IF" "$@"; }
status() { "$DHCPXDP" status -c "$T_DIR/dhcpxdp.json" --json; }
used() { status | $PY -c "import json,sys; print(json.load(sys.stdin)['subnets'][0]['pool']['used'])"; }
counter() { status | $PY -c "import json,sys; print(json.load(sys.stdin)['counters']['$1'])"; }
mac() { printf '02:db:00:00:00:%02x' "$1"; }

daemon_start || t_fail_all "the daemon did not start" $N_TESTS
ADDR_X=$(client dora "$(mac 1)") || t_fail_all "no lease for the first client" $N_TESTS
client dora "$(mac 2)" >/dev/null || t_fail_all "no lease for the second client" $N_TESTS
USED_BEFORE=$(used)

# ---- a full disk: every page of the tmpfs taken, the WAL cannot grow
dd if=/dev/zero of="$T_DIR/db/fill" bs=4096 >/dev/null 2>&1
df -k "$T_DIR/db"
pids=()
for i in $(seq 3 $((2 + N_NEW))); do
	client dora "$(mac "$i")" >/dev/null 2>&1 &
	pids+=($!)
done
ACKED_FULL=0
for p in "${pids[@]}"; do
	wait "$p" && ACKED_FULL=$((ACKED_FULL + 1))
done
sleep 1
USED_FULL=$(used)
WITHHELD_FULL=$(counter replies-withheld)
rm -f "$T_DIR/db/fill"
ADDR_ROOM=$(client dora "$(mac 3)")
ROOM_RC=$?
USED_ROOM=$(used)

# ---- the database files removed under the running daemon
WITHHELD_BEFORE=$(counter replies-withheld)
rm -f "$DB" "$DB-wal" "$DB-shm"
ADDR_Z=$(client dora "$(mac 20)")
Z_RC=$?
sleep 1
WITHHELD_GONE=$(($(counter replies-withheld) - WITHHELD_BEFORE))
daemon_stop
LOG_AT_RESTART=$(wc -l <"$T_DIR/daemon.log")
daemon_start || t_fail_all "the daemon did not restart" $N_TESTS
OFFER_Y=$(client discover "$(mac 21)")
Y_RC=$?

t_no_ack_when_full() {
	echo "$N_NEW new clients on a full disk: $ACKED_FULL ACKed, $WITHHELD_FULL replies withheld"
	grep -m3 "lease database commit failed" "$T_DIR/daemon.log" ||
		fail "no commit failure logged"
	[ "$ACKED_FULL" -eq 0 ] || fail "$ACKED_FULL clients ACKed without a durable lease"
	[ "$WITHHELD_FULL" -gt 0 ] || fail "no reply withheld"
}

t_failed_grants_not_kept() {
	echo "pool used: $USED_BEFORE before the disk filled, $USED_FULL after $N_NEW failed grants"
	[ "$USED_FULL" -eq "$USED_BEFORE" ] ||
		fail "failed grants still hold addresses in memory"
}

t_served_once_space_is_back() {
	echo "once space came back: rc $ROOM_RC '$ADDR_ROOM', used $USED_ROOM"
	[ "$ROOM_RC" -eq 0 ] || fail "no ACK once the disk had room again"
	[ "$USED_ROOM" -eq $((USED_BEFORE + 1)) ] || fail "used $USED_ROOM"
}

t_no_ack_without_database() {
	echo "client after the removal: rc $Z_RC '$ADDR_Z'; $WITHHELD_GONE replies withheld"
	[ "$Z_RC" -ne 0 ] || fail "ACKed $ADDR_Z with the database removed"
	[ "$WITHHELD_GONE" -gt 0 ] || fail "no reply withheld"
	grep -m1 "lease database $DB was removed or replaced while in use; grants stopped" \
		"$T_DIR/daemon.log" || fail "the daemon did not say so"
}

t_held_address_not_offered() {
	tail -n +"$LOG_AT_RESTART" "$T_DIR/daemon.log" | grep -E "loaded|lacked|removed"
	echo "new client after the restart: rc $Y_RC, offered '$OFFER_Y' (held: $ADDR_X)"
	[ "$OFFER_Y" != "$ADDR_X" ] || fail "$ADDR_X offered to a new client while $(mac 1) holds it"
	[ "$Y_RC" -eq 0 ] || fail "no offer: the pool has free addresses"
	tail -n +"$LOG_AT_RESTART" "$T_DIR/daemon.log" |
		grep -q "lacked leases the pinned lease map holds within their durable horizons (was it removed or replaced?): 3 taken back" ||
		fail "the daemon did not say it took 3 leases back"
}

t_lease_back_in_database() {
	local j
	j=$("$DHCPXDP" leases -c "$T_DIR/dhcpxdp.json" --json) || fail "dhcpxdp leases failed"
	echo "$j"
	echo "$j" | $PY -c "
import json, sys
rows = json.load(sys.stdin)
assert len(rows) == 3, rows
assert any(r['address'] == '$ADDR_X' and r['hw-address'] == '$(mac 1)'
           and r['state'] == 'active' for r in rows), rows" ||
		fail "not the 3 leases of the map, $ADDR_X among them"
}

t_holder_keeps_address() {
	local a
	a=$(client dora "$(mac 1)") || fail "no ACK for $(mac 1)"
	echo "first client again: $a"
	[ "$a" = "$ADDR_X" ] || fail "$(mac 1) got $a, held $ADDR_X"
}

t_run "no ACK without a durable lease on a full disk" t_no_ack_when_full
t_run "grants that failed to commit do not keep their addresses" t_failed_grants_not_kept
t_run "clients are served again once the disk has room" t_served_once_space_is_back
t_run "database removed while running: no ACK without a durable row, and said so" t_no_ack_without_database
t_run "restart on the empty database: a held address is offered to no one else" t_held_address_not_offered
t_run "the leases taken back from the lease map are in the database again" t_lease_back_in_database
t_run "a client whose lease was taken back still gets its address" t_holder_keeps_address
t_summary
