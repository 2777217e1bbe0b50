#!/usr/bin/env bash
# PXE boot fields against `dhcpxdp run` in a network-namespace lab
# (scripts/lab.sh; docs/configuration.md, "Boot fields"): Kea's
# next-server, server-hostname and boot-file-name reach a real client in
# the BOOTP siaddr, sname and file fields (RFC 2131 §2) from the subnet
# (with Dhcp4's next-server inherited) and from a reservation, whose own
# values win and keep it in the daemon; XDP answers a renewal and a plain
# reservation in that subnet with the same fields. A reservation without
# an address (a boot file only) gives a pool address with its boot file,
# and its renewals stay with the daemon.
# Usage: tests/integration/test_pxe.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
N_TESTS=5

[ "$(id -u)" -eq 0 ] || t_skip_all "needs root (netns, XDP)" $N_TESTS
/usr/bin/python3 -c 'import scapy' 2>/dev/null || t_skip_all "python3-scapy missing (scripts/deps.sh test)" $N_TESTS

DHCPXDP=$out/dhcpxdp
lab_up pxe dxp $N_TESTS
PY=/usr/bin/python3
SOCK=$T_DIR/run/control.sock
CFG=$T_DIR/dhcpxdp.json
MAC_A=02:aa:00:00:00:01 # a dynamic client
MAC_H=02:dd:00:00:00:01 # reserved, with boot fields of its own
MAC_R=02:dd:00:00:00:02 # reserved, the subnet's boot fields
MAC_X=02:dd:00:00:00:03 # reserved without an address: a boot file only

cat >"$CFG" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$SRV_IF" ] },
  "valid-lifetime": 600,
  "next-server": "10.77.0.2",
  "lease-database": { "type": "sqlite", "name": "$T_DIR/db/leases.sqlite3" },
  "control-socket": { "socket-type": "unix", "socket-name": "$SOCK" },
  "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24", "interface": "$SRV_IF",
    "server-hostname": "tftp.lab", "boot-file-name": "pxelinux.0",
    "pools": [ { "pool": "10.77.0.100 - 10.77.0.199" } ],
    "option-data": [ { "name": "routers", "data": "10.77.0.1" } ],
    "reservations": [
      { "hw-address": "$MAC_H", "ip-address": "10.77.0.50",
        "next-server": "10.77.0.3", "boot-file-name": "host.efi" },
      { "hw-address": "$MAC_R", "ip-address": "10.77.0.51" },
      { "hw-address": "$MAC_X", "boot-file-name": "x.efi" } ] } ],
  "dhcpxdp": { "pin-dir": "$PIN_DIR" }
} }
JSON
daemon_start || t_fail_all "daemon did not start" $N_TESTS

client() { cli $PY "$top/tests/integration/dhcp_client.py" "$CLI_IF" "$@"; }
LEASE_A=

t_subnet_fields() {
	local o
	o=$(client dora-boot $MAC_A) || fail "exit $?: $o"
	echo "dynamic client: $o"
	[ "$o" = "10.77.0.100 10.77.0.2 tftp.lab pxelinux.0" ] || fail "got: $o"
}

t_reservation_fields() {
	local o offers
	offers=$(xdp_stat offer)
	o=$(client dora-boot $MAC_H) || fail "exit $?: $o"
	echo "reservation with its own: $o"
	[ "$o" = "10.77.0.50 10.77.0.3 tftp.lab host.efi" ] || fail "got: $o"
	[ "$(xdp_stat offer)" -eq "$offers" ] ||
		fail "XDP answered a per-host boot file (offer $offers -> $(xdp_stat offer))"
	"$DHCPXDP" reservations list -c "$CFG" --json |
		$PY -c "import json,sys; j=json.load(sys.stdin); assert [h['fast-path'] for h in j['hosts']] == [False, True, False], j" ||
		fail "fast-path flags: $("$DHCPXDP" reservations list -c "$CFG" --json)"
}

t_xdp_reservation_fields() {
	local o offers
	offers=$(xdp_stat offer)
	o=$(client dora-boot $MAC_R) || fail "exit $?: $o"
	echo "reservation from XDP: $o"
	[ "$o" = "10.77.0.51 10.77.0.2 tftp.lab pxelinux.0" ] || fail "got: $o"
	[ "$(xdp_stat offer)" -gt "$offers" ] ||
		fail "the OFFER did not come from XDP (offer $offers -> $(xdp_stat offer))"
}

# The lease reaches the map once committed: retry the renewal briefly.
renew_by_xdp() {
	local acks
	acks=$(xdp_stat ack_renewal)
	o=$(client renew-boot $MAC_A 10.77.0.100 "$SRV_IP" "$srv_mac") || return 1
	[ "$(xdp_stat ack_renewal)" -gt "$acks" ]
}

t_xdp_renewal_fields() {
	local o= srv_mac
	srv_mac=$(srv cat "/sys/class/net/$SRV_IF/address")
	wait_until 5 renew_by_xdp || fail "XDP did not answer the renewal ($o)"
	echo "renewal from XDP: $o"
	[ "$o" = "5 10.77.0.2 tftp.lab pxelinux.0" ] || fail "got: $o"
}

t_no_address_reservation() {
	local o a acks srv_mac
	srv_mac=$(srv cat "/sys/class/net/$SRV_IF/address")
	o=$(client dora-boot $MAC_X) || fail "exit $?: $o"
	echo "reservation without an address: $o"
	a=${o%% *}
	case $o in
	"10.77.0.1"[0-9][0-9]" 10.77.0.2 tftp.lab x.efi") ;;
	*) fail "got: $o" ;;
	esac
	sleep 1 # the lease is committed
	acks=$(xdp_stat ack_renewal)
	o=$(client renew-boot $MAC_X "$a" "$SRV_IP" "$srv_mac") || fail "renewal: no answer"
	echo "its renewal: $o"
	[ "$o" = "5 10.77.0.2 tftp.lab x.efi" ] || fail "renewal got: $o"
	[ "$(xdp_stat ack_renewal)" -eq "$acks" ] ||
		fail "XDP renewed it without the reservation's boot file"
}

t_run "a dynamic client gets the subnet's siaddr, sname, file" t_subnet_fields
t_run "a reservation's own boot fields win; the daemon answers it" t_reservation_fields
t_run "XDP offers a plain reservation with the subnet's boot fields" t_xdp_reservation_fields
t_run "XDP renews with the subnet's boot fields" t_xdp_renewal_fields
t_run "a reservation without an address: pool address, its boot file, renewed by the daemon" t_no_address_reservation
t_summary
