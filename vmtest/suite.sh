#!/usr/bin/env bash
# What CI runs inside each VM (vmtest/run.sh -- vmtest/suite.sh BUILD_DIR):
# the XDP table (test_xdp, test_xdp_relay_vlan, test_xdp_shared,
# test_xdp_malformed) and the
# rate limits (test_xdp_rate_limit) on that kernel's verifier, the
# loader/pinning tests, the map sync tests (the lease map by address
# among them), the
# differential tests (XDP and the daemon deciding alike on one table, and
# on a shared network), and
# the client smoke (dhclient and udhcpc get leases from the daemon and
# their renewals are answered by XDP), and subnets on VLAN devices and
# QinQ (the host has no 802.1Q; the VMs do). Exits non-zero if any suite
# fails.
set -u
out=${1:-build}
rc=0
for t in test_xdp test_xdp_relay_vlan test_xdp_shared test_xdp_malformed \
	test_xdp_rate_limit \
	test_bpf_obj test_map_sync test_map_sync_expiry test_map_sync_networks \
	test_map_sync_limits test_map_sync_addrs test_differential \
	test_differential_shared; do
	t=$out/tests/bpf/$t
	echo "== $t"
	"$t" || rc=1
done
echo "== tests/integration/test_clients.sh"
tests/integration/test_clients.sh "$out" || rc=1
echo "== tests/integration/test_vlan.sh"
tests/integration/test_vlan.sh "$out" || rc=1
exit $rc
