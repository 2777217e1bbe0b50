#!/usr/bin/env bash
# PXE clients of both architectures against `dhcpxdp run` in a
# network-namespace lab (scripts/lab.sh; docs/configuration.md,
# "client-classes"): Kea's classes on the client system architecture
# (option 93, RFC 4578 §2.1) give a UEFI machine and a BIOS machine their
# own boot file in the BOOTP file field, over the
# subnet's; a machine that says neither gets the subnet's. As classes
# could change any reply, XDP leaves the subnet to the daemon
# (punt_client_classes).
# Usage: tests/integration/test_pxe_arch.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
N_TESTS=2

[ "$(id -u)" -eq 0 ] || t_skip_all "needs root (netns, XDP)" $N_TESTS
/usr/bin/python3 -c 'import scapy' 2>/dev/null || t_skip_all "python3-scapy missing (scripts/deps.sh test)" $N_TESTS

DHCPXDP=$out/dhcpxdp
lab_up arch dxu $N_TESTS
PY=/usr/bin/python3
CFG=$T_DIR/dhcpxdp.json

cat >"$CFG" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$SRV_IF" ] },
  "valid-lifetime": 600,
  "next-server": "10.77.0.2",
  "lease-database": { "type": "sqlite", "name": "$T_DIR/leases.sqlite3" },
  "client-classes": [
    { "name": "uefi", "test": "option[93].hex == 0x0007",
      "boot-file-name": "uefi/shim.efi" },
    { "name": "bios", "test": "option[93].hex == 0x0000",
      "boot-file-name": "bios/pxelinux.0" } ],
  "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24", "interface": "$SRV_IF",
    "boot-file-name": "default.0",
    "pools": [ { "pool": "10.77.0.100 - 10.77.0.199" } ] } ],
  "dhcpxdp": { "pin-dir": "$PIN_DIR" }
} }
JSON
daemon_start || t_fail_all "daemon did not start" $N_TESTS

client() { cli $PY "$top/tests/integration/dhcp_client.py" "$CLI_IF" "$@"; }

t_each_architecture() {
	local u b n
	u=$(client dora-boot 02:ee:00:00:00:07 7) || fail "UEFI: exit $?: $u"
	b=$(client dora-boot 02:ee:00:00:00:00 0) || fail "BIOS: exit $?: $b"
	n=$(client dora-boot 02:ee:00:00:00:01) || fail "neither: exit $?: $n"
	echo "UEFI: $u; BIOS: $b; neither: $n"
	[ "${u#* }" = "10.77.0.2 - uefi/shim.efi" ] || fail "UEFI got: $u"
	[ "${b#* }" = "10.77.0.2 - bios/pxelinux.0" ] || fail "BIOS got: $b"
	[ "${n#* }" = "10.77.0.2 - default.0" ] || fail "neither got: $n"
}

t_left_to_daemon() {
	[ "$(xdp_stat punt_client_classes)" -gt 0 ] ||
		fail "no punt_client_classes: $(srv "$DHCPXDP" stats --json --pin-dir "$PIN_DIR")"
	[ "$(xdp_stat offer)" -eq 0 ] && [ "$(xdp_stat ack)" -eq 0 ] ||
		fail "XDP answered in a subnet classes can change"
}

t_run "UEFI and BIOS machines get their own boot files" t_each_architecture
t_run "the subnet's requests are the daemon's (client classes)" t_left_to_daemon
t_summary
