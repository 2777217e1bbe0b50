#!/usr/bin/env bash
# Kea's dhcp-server-identifier (option 54 in a subnet's option-data,
# docs/configuration.md "Options the server controls") with a real
# client: the OFFER names the configured identifier (a second address of
# the server's interface, so the client's unicast renewal reaches it),
# not the interface's first address, and the REQUEST naming it is ACKed:
# dhclient binds with it. The renewal, unicast to it, is answered by the
# daemon: XDP, which would send the interface's address, is off for the
# subnet.
# Usage: tests/integration/test_server_id.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
N_TESTS=2

[ "$(id -u)" -eq 0 ] || t_skip_all "needs root (netns, XDP)" $N_TESTS
command -v dhclient >/dev/null || t_skip_all "dhclient missing (scripts/deps.sh test)" $N_TESTS

DHCPXDP=$out/dhcpxdp
lab_up sid dxs $N_TESTS
srv ip addr add 10.77.0.54/24 dev "$SRV_IF"

cat >"$T_DIR/dhcpxdp.json" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$SRV_IF" ] },
  "valid-lifetime": 20, "renew-timer": 4, "rebind-timer": 15,
  "lease-database": { "type": "sqlite", "name": "$T_DIR/leases.sqlite3" },
  "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24", "interface": "$SRV_IF",
    "pools": [ { "pool": "10.77.0.100 - 10.77.0.199" } ],
    "option-data": [ { "name": "dhcp-server-identifier", "data": "10.77.0.54" } ] } ],
  "control-socket": { "socket-type": "unix", "socket-name": "$T_DIR/control.sock" },
  "dhcpxdp": { "pin-dir": "$PIN_DIR" }
} }
JSON
daemon_start || t_fail_all "the daemon did not start" $N_TESTS

LEASES=$T_DIR/dhc.leases

t_lease_carries_configured_id() {
	cli timeout 20 dhclient -1 -v -lf "$LEASES" -pf "$T_DIR/dhc.pid" \
		"$CLI_IF" >"$T_DIR/dhc.log" 2>&1 || fail "dhclient: $(cat "$T_DIR/dhc.log")"
	grep -Eq "fixed-address 10\.77\.0\.1[0-9][0-9];" "$LEASES" ||
		fail "no address: $(cat "$LEASES")"
	grep -q "option dhcp-server-identifier 10.77.0.54;" "$LEASES" ||
		fail "server id: $(cat "$LEASES")"
	grep -q "answered by the daemon only (.*dhcp-server-identifier)" \
		"$T_DIR/daemon.log" || fail "no line about the fast path"
}

t_renewal_acked_by_daemon() {
	local xdp0
	xdp0=$(xdp_stat ack_renewal)
	# T1 is 4 s: dhclient unicasts its REQUEST to 10.77.0.54, the
	# identifier it was given; the daemon renews the lease.
	wait_until 15 grep -q "LEASE_RENEW lease 10.77.0.1[0-9][0-9] renewed" \
		"$T_DIR/daemon.log" || fail "no renewal: $(tail -5 "$T_DIR/daemon.log")"
	grep "LEASE_RENEW" "$T_DIR/daemon.log" | head -1
	[ "$(xdp_stat ack_renewal)" -eq "$xdp0" ] || fail "XDP answered it"
	cli dhclient -x -pf "$T_DIR/dhc.pid" >/dev/null 2>&1
	return 0
}

t_run "dhclient's lease carries the configured server identifier" t_lease_carries_configured_id
t_run "its renewal to that identifier is ACKed by the daemon" t_renewal_acked_by_daemon
t_summary
