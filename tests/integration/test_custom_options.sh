#!/usr/bin/env bash
# A real client receives what option-def, option spaces and pool-level
# option-data configure (docs/configuration.md): ISC dhclient, told the
# code of a custom option, logs it in its lease file with the configured
# value; option 43 arrives with its sub-options (RFC 2132 §8.4) and 125
# with its enterprise block (RFC 3925 §4); an address from a pool with
# options of its own gets the pool's router, and XDP leaves its requests to
# the daemon (punt_pool_options).
# Usage: tests/integration/test_custom_options.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
N_TESTS=3

[ "$(id -u)" -eq 0 ] || t_skip_all "needs root (netns, XDP)" $N_TESTS
command -v dhclient >/dev/null || t_skip_all "dhclient missing (scripts/deps.sh test)" $N_TESTS

DHCPXDP=$out/dhcpxdp
lab_up it dxo $N_TESTS

# One pool, with a router of its own: every lease comes from it.
cat >"$T_DIR/dhcpxdp.json" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$SRV_IF" ] },
  "valid-lifetime": 60,
  "lease-database": { "type": "sqlite", "name": "$T_DIR/leases.sqlite3" },
  "option-def": [
    { "name": "site-motd", "code": 224, "type": "string" },
    { "name": "site-pair", "code": 225, "type": "record",
      "record-types": "uint16, ipv4-address" },
    { "name": "cookie", "code": 1, "type": "string",
      "space": "vendor-encapsulated-options-space" },
    { "name": "tftp", "code": 2, "type": "string", "space": "vendor-25167" } ],
  "option-data": [
    { "name": "site-motd", "data": "hello from dhcpxdp" },
    { "name": "site-pair", "data": "258, 10.77.0.9" },
    { "name": "vendor-encapsulated-options" },
    { "name": "cookie", "space": "vendor-encapsulated-options-space",
      "data": "abc" },
    { "name": "vivso-suboptions", "data": "25167" },
    { "name": "tftp", "space": "vendor-25167", "data": "t" } ],
  "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24", "interface": "$SRV_IF",
    "option-data": [ { "name": "routers", "data": "10.77.0.1" } ],
    "pools": [ { "pool": "10.77.0.100 - 10.77.0.199",
      "option-data": [ { "name": "routers", "data": "10.77.0.2" } ] } ] } ],
  "control-socket": { "socket-type": "unix", "socket-name": "$T_DIR/control.sock" },
  "dhcpxdp": { "pin-dir": "$PIN_DIR" }
} }
JSON
cat >"$T_DIR/dhclient.conf" <<'CONF'
option site-motd code 224 = string;
option site-pair code 225 = { unsigned integer 16, ip-address };
option vivso code 125 = string;
also request site-motd, site-pair, vendor-encapsulated-options, vivso;
CONF
daemon_start || t_fail_all "the daemon did not start" $N_TESTS

cli ip link set dev "$CLI_IF" address 02:ab:00:00:00:01
cli timeout 30 dhclient -1 -v -cf "$T_DIR/dhclient.conf" -lf "$T_DIR/c.leases" \
	-pf "$T_DIR/c.pid" "$CLI_IF" >"$T_DIR/c.log" 2>&1
L=$T_DIR/c.leases

t_custom_options_received() {
	grep -q 'option site-motd "hello from dhcpxdp";' "$L" ||
		fail "no custom string option: $(cat "$L" "$T_DIR/c.log")"
	grep -q 'option site-pair 258 10.77.0.9;' "$L" ||
		fail "no custom record option: $(cat "$L")"
}

t_vendor_options_received() {
	# 43: sub-option 1, length 3, "abc".
	grep -q 'option vendor-encapsulated-options 1:3:61:62:63;' "$L" ||
		fail "option 43: $(grep vendor "$L")"
	# 125: enterprise 25167 (0x624f), 3 bytes: sub-option 2, length 1, "t".
	grep -Eq 'option vivso (0:0:62:4f:3:2:1:74|"[^"]*");' "$L" ||
		fail "option 125: $(grep vivso "$L")"
}

t_pool_router_and_daemon() {
	grep -Eq "fixed-address 10\.77\.0\.1[0-9][0-9];" "$L" || fail "address: $(cat "$L")"
	grep -q "option routers 10.77.0.2;" "$L" || fail "router is not the pool's: $(grep routers "$L")"
	# A renewal (INIT-REBOOT with the lease held) reaches XDP, which
	# finds the entry in the pool and passes it up.
	cli timeout 30 dhclient -1 -v -cf "$T_DIR/dhclient.conf" -lf "$T_DIR/c.leases" \
		-pf "$T_DIR/c2.pid" "$CLI_IF" >"$T_DIR/c2.log" 2>&1
	[ "$(xdp_stat punt_pool_options)" -gt 0 ] ||
		fail "XDP did not leave the pool's lease to the daemon"
}

t_run "a custom option-def option reaches dhclient" t_custom_options_received
t_run "options 43 and 125 carry their sub-options" t_vendor_options_received
t_run "a pool's router over the subnet's, renewals left to the daemon" t_pool_router_and_daemon
t_summary
