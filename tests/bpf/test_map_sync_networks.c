// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Where a network lives in the maps: an untagged interface whose ifindex
 * fits the ifaces array has its slot there, one past it (and every
 * tagged network) an entry in the networks hash; a sync clears what an
 * earlier run left in either; an empty slot or an unknown VLAN is not
 * served; a shared network's subnets are linked. VLAN devices (where the
 * kernel has 802.1Q) are networks of their lower device keyed by their
 * tags, QinQ by both; the veth's own untagged network then stays out of
 * XDP. On the map sync fixture
 * (map_sync_fixture.h), its configuration synced.
 */
#include <stdint.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include "map_sync_fixture.h"

#define BIG_IFINDEX 5000 /* beyond DX_IFACE_SLOTS: the hash serves it */

/* Subnet 42 on dxs0, and dxbig0 (ifindex BIG_IFINDEX) serving subnet 44,
 * with a reservation. */
static const char *cfg_big =
	"{ \"Dhcp4\": {"
	"  \"interfaces-config\": { \"interfaces\": [ \"dxs0\", \"dxbig0\" ] },"
	"  \"valid-lifetime\": 600,"
	"  \"subnet4\": ["
	"   { \"id\": 42, \"subnet\": \"10.9.0.0/24\", \"interface\": \"dxs0\","
	"     \"pools\": [ { \"pool\": \"10.9.0.10 - 10.9.0.99\" } ],"
	"     \"option-data\": ["
	"       { \"name\": \"routers\", \"data\": \"10.9.0.1\" } ] },"
	"   { \"id\": 44, \"subnet\": \"10.77.0.0/24\","
	"     \"interface\": \"dxbig0\","
	"     \"pools\": [ { \"pool\": \"10.77.0.10 - 10.77.0.20\" } ],"
	"     \"option-data\": ["
	"       { \"name\": \"routers\", \"data\": \"10.77.0.1\" } ],"
	"     \"reservations\": ["
	"       { \"hw-address\": \"02:55:00:00:00:01\","
	"         \"ip-address\": \"10.77.0.200\" } ] } ] } }";

static struct dx_config *big_cfg;
static struct engine *big_eng;

static int big_setup(void **state)
{
	struct config_diag diag;

	(void)state;
	if (skip_reason)
		return 0;
	if (system("ip link add dxbig0 index 5000 type veth peer name dxbig1 "
		   "&& ip addr add 10.77.0.1/24 dev dxbig0 && "
		   "ip link set dxbig0 up && ip link set dxbig1 up"))
		return -1;
	if (config_load_string(cfg_big, "big.json", &big_cfg, &diag)) {
		fprintf(stderr, "%s\n", diag.error);
		return -1;
	}
	config_diag_free(&diag);
	return engine_new(big_cfg, &big_eng);
}

/* Whatever the test left: the interfaces go, the group's configuration
 * is back in the maps, subnet 44's reservation with it. */
static int big_teardown(void **state)
{
	int ret = 0;

	(void)state;
	if (skip_reason)
		return 0;
	if (system("ip link del dxbig0"))
		ret = -1;
	if (sync_group_cfg() || map_sync_drop_reservations(&obj, big_cfg, cfg))
		ret = -1;
	engine_free(big_eng);
	config_free(big_cfg);
	big_eng = NULL;
	big_cfg = NULL;
	return ret;
}

/*
 * An interface whose ifindex is past the ifaces array is written to the
 * networks hash under (ifindex, 0), and XDP answers from that entry;
 * once it is no longer configured the entry goes and XDP punts.
 */
static void big_ifindex_served_from_hash(void **state)
{
	const uint8_t mac[6] = {0x02, 0x55, 0, 0, 0, 0x01};
	struct dx_network_key nk = {.ifindex = BIG_IFINDEX};
	uint32_t idx = BIG_IFINDEX, slot44;
	uint8_t in[FRAME_MAX], out[2048];
	size_t len, out_len = sizeof(out);
	struct map_sync_report rep;
	struct dx_network net;
	struct netif big;
	uint64_t punted;
	char err[256] = "";

	(void)state;
	if (skip_reason)
		skip();
	assert_int_equal(netif_lookup("dxbig0", 0, &big), 0);
	assert_int_equal(big.ifindex, BIG_IFINDEX);
	assert_true(BIG_IFINDEX >= DX_IFACE_SLOTS);
	assert_int_equal(map_sync_config(&obj, big_cfg, big_eng, &slots, &rep,
					 err, sizeof(err)),
			 0);
	assert_int_equal(rep.networks, 2);
	slot44 = map_slot_of(&slots, 44);
	assert_int_not_equal(slot44, DX_SUBNET_SLOT_NONE);
	assert_int_equal(bpf_map_lookup_elem(obj.networks_fd, &nk, &net), 0);
	assert_memory_equal(net.mac, big.mac, 6);
	assert_int_equal(ntohl(net.addr), IP(10, 77, 0, 1));
	assert_int_equal(net.subnet_slot, slot44);
	/* the array has no slot for it */
	assert_int_not_equal(bpf_map_lookup_elem(obj.ifaces_fd, &idx, &net), 0);
	/* while dxs0, in the same sync, goes to the array only */
	nk.ifindex = srv.ifindex;
	assert_int_not_equal(bpf_map_lookup_elem(obj.networks_fd, &nk, &net),
			     0);
	assert_int_equal(bpf_map_lookup_elem(obj.ifaces_fd, &srv.ifindex, &net),
			 0);
	assert_int_equal(ntohl(net.addr), IP(10, 9, 0, 1));

	len = frame_discover(in, sizeof(in), mac, 95, -1);
	punted = stat_sum(DX_STAT_PUNT_NO_NETWORK);
	assert_int_equal(run_on(BIG_IFINDEX, in, len, out, &out_len), XDP_TX);
	assert_true(stat_sum(DX_STAT_PUNT_NO_NETWORK) == punted);
	check_reply_from(out, out_len, DHCPOFFER, IP(10, 77, 0, 200),
			 IP(10, 77, 0, 1));
	assert_memory_equal(out + 6, big.mac, 6); /* from dxbig0's entry */
	assert_int_equal(get32(out + 14 + 12), IP(10, 77, 0, 1));

	/* dxbig0 no longer configured: its entry goes, XDP punts. */
	assert_int_equal(sync_group_cfg(), 0);
	nk.ifindex = BIG_IFINDEX;
	assert_int_not_equal(bpf_map_lookup_elem(obj.networks_fd, &nk, &net),
			     0);
	out_len = sizeof(out);
	assert_int_equal(run_on(BIG_IFINDEX, in, len, out, &out_len), XDP_PASS);
	assert_true(stat_sum(DX_STAT_PUNT_NO_NETWORK) == punted + 1);
}

/*
 * What an earlier run left: array slots for interfaces no longer
 * configured (the first, one in the middle, the last), and untagged
 * small-ifindex entries in the hash, as a daemon before the array wrote
 * them (dxs0's own among them). A sync empties the slots, drops the hash
 * entries, and keeps dxs0 served from its slot.
 */
static void sync_clears_stray_networks(void **state)
{
	const uint8_t mac[6] = {0x02, 0x11, 0, 0, 0, 0x01};
	const uint32_t stray_idx[] = {0, 4000, DX_IFACE_SLOTS - 1};
	const struct dx_network_key stray_keys[] = {
		{.ifindex = srv.ifindex},
		{.ifindex = 77},
	};
	struct dx_network stray = {.mac = {0x02, 0x66, 0, 0, 0, 0x01},
				   .addr = htonl(IP(10, 9, 9, 9)),
				   .subnet_slot = map_slot_of(&slots, 42)};
	uint8_t in[FRAME_MAX], out[2048];
	size_t len, out_len = sizeof(out);
	struct dx_network net;

	(void)state;
	if (skip_reason)
		skip();
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(bpf_map_update_elem(obj.ifaces_fd,
						     &stray_idx[i], &stray,
						     BPF_ANY),
				 0);
	for (size_t i = 0; i < 2; i++)
		assert_int_equal(bpf_map_update_elem(obj.networks_fd,
						     &stray_keys[i], &stray,
						     BPF_ANY),
				 0);
	assert_int_equal(sync_group_cfg(), 0);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(
			bpf_map_lookup_elem(obj.ifaces_fd, &stray_idx[i], &net),
			0);
		assert_int_equal(net.addr, 0);
	}
	for (size_t i = 0; i < 2; i++) {
		assert_int_not_equal(bpf_map_lookup_elem(obj.networks_fd,
							 &stray_keys[i], &net),
				     0);
		assert_int_equal(errno, ENOENT);
	}
	assert_int_equal(bpf_map_lookup_elem(obj.ifaces_fd, &srv.ifindex, &net),
			 0);
	assert_memory_equal(net.mac, srv.mac, 6);
	assert_int_equal(ntohl(net.addr), IP(10, 9, 0, 1));
	assert_int_equal(net.subnet_slot, map_slot_of(&slots, 42));

	len = frame_discover(in, sizeof(in), mac, 95, -1);
	assert_int_equal(run_on_dxs0(in, len, out, &out_len), XDP_TX);
	check_reply(out, out_len, DHCPOFFER, IP(10, 9, 0, 200));
}

/*
 * A request on an interface with an empty slot (dxc0: not configured)
 * is punted as on no network, even when the slot holds a subnet but no
 * address; so is a tagged one on dxs0 (its VLAN is not in the hash).
 * The same frame untagged on dxs0 is answered.
 */
static void empty_slot_not_served(void **state)
{
	const uint8_t mac[6] = {0x02, 0x11, 0, 0, 0, 0x01};
	const struct dx_network none = {0};
	uint32_t peer = if_nametoindex("dxc0");
	uint8_t in[FRAME_MAX], out[2048];
	size_t len, out_len = sizeof(out);
	struct dx_network net;
	uint64_t punted;

	(void)state;
	if (skip_reason)
		skip();
	assert_int_equal(sync_group_cfg(), 0);
	assert_true(peer && peer < DX_IFACE_SLOTS);
	assert_int_equal(bpf_map_lookup_elem(obj.ifaces_fd, &peer, &net), 0);
	assert_int_equal(net.addr, 0);

	len = frame_discover(in, sizeof(in), mac, 95, -1);
	punted = stat_sum(DX_STAT_PUNT_NO_NETWORK);
	assert_int_equal(run_on(peer, in, len, out, &out_len), XDP_PASS);
	assert_true(stat_sum(DX_STAT_PUNT_NO_NETWORK) == punted + 1);

	/* addr 0 is what makes a slot empty, whatever else it holds */
	memcpy(net.mac, srv.mac, 6);
	net.subnet_slot = map_slot_of(&slots, 42);
	assert_int_equal(
		bpf_map_update_elem(obj.ifaces_fd, &peer, &net, BPF_ANY), 0);
	out_len = sizeof(out);
	assert_int_equal(run_on(peer, in, len, out, &out_len), XDP_PASS);
	assert_true(stat_sum(DX_STAT_PUNT_NO_NETWORK) == punted + 2);
	assert_int_equal(
		bpf_map_update_elem(obj.ifaces_fd, &peer, &none, BPF_ANY), 0);

	out_len = sizeof(out);
	assert_int_equal(run_on_dxs0(in, len, out, &out_len), XDP_TX);
	check_reply(out, out_len, DHCPOFFER, IP(10, 9, 0, 200));
	assert_true(stat_sum(DX_STAT_PUNT_NO_NETWORK) == punted + 2);

	len = frame_discover(in, sizeof(in), mac, 95, 10);
	out_len = sizeof(out);
	assert_int_equal(run_on_dxs0(in, len, out, &out_len), XDP_PASS);
	assert_true(stat_sum(DX_STAT_PUNT_NO_NETWORK) == punted + 3);
}

/* A shared network on dxs0: subnet 60 holds dxs0's address, 61 follows
 * with a reservation; both inherit the network's router. */
static const char *cfg_shared =
	"{ \"Dhcp4\": {"
	"  \"interfaces-config\": { \"interfaces\": [ \"dxs0\" ] },"
	"  \"valid-lifetime\": 600,"
	"  \"shared-networks\": [ { \"name\": \"edge\","
	"   \"interface\": \"dxs0\","
	"   \"option-data\": [ { \"name\": \"routers\","
	"     \"data\": \"10.9.0.1\" } ],"
	"   \"subnet4\": ["
	"   { \"id\": 60, \"subnet\": \"10.9.0.0/24\","
	"     \"pools\": [ { \"pool\": \"10.9.0.10 - 10.9.0.11\" } ] },"
	"   { \"id\": 61, \"subnet\": \"10.60.0.0/24\","
	"     \"pools\": [ { \"pool\": \"10.60.0.10 - 10.60.0.99\" } ],"
	"     \"reservations\": [ { \"hw-address\": \"02:11:00:00:00:09\","
	"       \"ip-address\": \"10.60.0.9\" } ] } ] } ] } }";

/*
 * A shared network's entries name each other (first and next slot, in
 * configuration order) and carry their prefixes; the interface serves
 * the first. XDP then finds the reservation of the second subnet for a
 * DISCOVER that arrives through the first.
 */
static void shared_network_linked(void **state)
{
	const uint8_t mac[6] = {0x02, 0x11, 0, 0, 0, 0x09};
	struct dx_config *scfg = NULL;
	struct engine *seng = NULL;
	struct config_diag diag = {0};
	struct map_sync_report rep;
	struct dx_subnet a, b;
	struct dx_network net;
	uint32_t sa, sb;
	uint8_t in[FRAME_MAX], out[2048];
	size_t len, out_len = sizeof(out);
	char err[256] = "";

	(void)state;
	if (skip_reason)
		skip();
	assert_int_equal(
		config_load_string(cfg_shared, "shared.json", &scfg, &diag), 0);
	config_diag_free(&diag);
	assert_int_equal(engine_new(scfg, &seng), 0);
	assert_int_equal(map_sync_config(&obj, scfg, seng, &slots, &rep, err,
					 sizeof(err)),
			 0);
	sa = map_slot_of(&slots, 60);
	sb = map_slot_of(&slots, 61);
	assert_int_equal(bpf_map_lookup_elem(obj.subnets_fd, &sa, &a), 0);
	assert_int_equal(bpf_map_lookup_elem(obj.subnets_fd, &sb, &b), 0);
	assert_true(a.flags & DX_SUBNET_F_SHARED);
	assert_true(b.flags & DX_SUBNET_F_SHARED);
	assert_int_equal(a.first_slot, sa);
	assert_int_equal(b.first_slot, sa);
	assert_int_equal(a.next_slot, sb);
	assert_int_equal(b.next_slot, DX_SUBNET_SLOT_NONE);
	assert_int_equal(ntohl(b.network), IP(10, 60, 0, 0));
	assert_int_equal(ntohl(b.mask), 0xffffff00);
	assert_int_equal(bpf_map_lookup_elem(obj.ifaces_fd, &srv.ifindex, &net),
			 0);
	assert_int_equal(net.subnet_slot, sa);

	len = frame_discover(in, sizeof(in), mac, 96, -1);
	assert_int_equal(run_on_dxs0(in, len, out, &out_len), XDP_TX);
	check_reply(out, out_len, DHCPOFFER, IP(10, 60, 0, 9));

	assert_int_equal(sync_group_cfg(), 0);
	assert_int_equal(map_sync_drop_reservations(&obj, scfg, cfg), 0);
	engine_free(seng);
	config_free(scfg);
}

/* dxs0 untagged (subnet 42), dxs0.100 (802.1Q) with subnet 45 and a
 * reservation, dxq.7 (802.1Q 7 on 802.1ad 200 on dxs0) with subnet 46. */
static const char *cfg_vlan =
	"{ \"Dhcp4\": {"
	"  \"interfaces-config\": { \"interfaces\": "
	"    [ \"dxs0\", \"dxs0.100\", \"dxq.7\" ] },"
	"  \"valid-lifetime\": 600,"
	"  \"subnet4\": ["
	"   { \"id\": 42, \"subnet\": \"10.9.0.0/24\", \"interface\": \"dxs0\","
	"     \"pools\": [ { \"pool\": \"10.9.0.10 - 10.9.0.99\" } ] },"
	"   { \"id\": 45, \"subnet\": \"10.78.0.0/24\","
	"     \"interface\": \"dxs0.100\","
	"     \"pools\": [ { \"pool\": \"10.78.0.10 - 10.78.0.20\" } ],"
	"     \"option-data\": ["
	"       { \"name\": \"routers\", \"data\": \"10.78.0.1\" } ],"
	"     \"reservations\": ["
	"       { \"hw-address\": \"02:56:00:00:00:01\","
	"         \"ip-address\": \"10.78.0.200\" } ] },"
	"   { \"id\": 46, \"subnet\": \"10.79.0.0/24\", \"interface\": "
	"\"dxq.7\","
	"     \"pools\": [ { \"pool\": \"10.79.0.10 - 10.79.0.20\" } ] } ] } }";

static struct dx_config *vlan_cfg;
static struct engine *vlan_eng;
static const char *vlan_skip;

static int vlan_setup(void **state)
{
	struct config_diag diag;

	(void)state;
	if (skip_reason)
		return 0;
	if (system("modprobe 8021q 2>/dev/null; "
		   "ip link add link dxs0 name dxs0.100 address "
		   "02:56:00:00:01:00 "
		   "type vlan id 100 2>/dev/null")) {
		vlan_skip = "no 802.1Q VLAN devices in this kernel (8021q)";
		return 0;
	}
	if (system("ip addr add 10.78.0.1/24 dev dxs0.100 && "
		   "ip link add link dxs0 name dxq type vlan proto 802.1ad "
		   "id 200 && ip link add link dxq name dxq.7 type vlan id 7 "
		   "&& "
		   "ip addr add 10.79.0.1/24 dev dxq.7 && "
		   "ip link set dxs0.100 up && ip link set dxq up && "
		   "ip link set dxq.7 up"))
		return -1;
	if (config_load_string(cfg_vlan, "vlan.json", &vlan_cfg, &diag)) {
		fprintf(stderr, "%s\n", diag.error);
		return -1;
	}
	config_diag_free(&diag);
	return engine_new(vlan_cfg, &vlan_eng);
}

static int vlan_teardown(void **state)
{
	int ret = 0;

	(void)state;
	if (skip_reason || vlan_skip)
		return 0;
	if (system("ip link del dxq; ip link del dxs0.100"))
		ret = -1;
	if (sync_group_cfg() || map_sync_drop_reservations(&obj, vlan_cfg, cfg))
		ret = -1;
	engine_free(vlan_eng);
	config_free(vlan_cfg);
	vlan_eng = NULL;
	vlan_cfg = NULL;
	return ret;
}

/*
 * dxs0.100 is (dxs0, VLAN 100) with its own MAC and address, dxq.7 is
 * (dxs0, S-VLAN 200, VLAN 7); XDP answers a tagged DISCOVER of the
 * reservation from the VLAN's entry, the tag kept. dxs0 being a veth,
 * its untagged network is left to the daemon (kernel/vlan_offload.h).
 */
static void vlan_networks_keyed_by_tags(void **state)
{
	const uint8_t mac[6] = {0x02, 0x56, 0, 0, 0, 0x01};
	struct dx_network_key nk = {0};
	uint8_t in[FRAME_MAX], out[2048];
	size_t len, out_len = sizeof(out);
	struct map_sync_report rep;
	struct frame_view v;
	struct dx_network net;
	struct netif v100, q7;
	const uint8_t *o;
	char err[256] = "";

	(void)state;
	if (skip_reason)
		skip();
	if (vlan_skip) {
		fprintf(stderr, "%s; skipping\n", vlan_skip);
		skip();
	}
	assert_int_equal(netif_lookup("dxs0.100", 0, &v100), 0);
	assert_int_equal(v100.lower_ifindex, srv.ifindex);
	assert_string_equal(v100.lower, "dxs0");
	assert_string_equal(v100.lower_kind, "veth");
	assert_int_equal(v100.vlan, 100);
	assert_int_equal(v100.svlan, 0);
	assert_int_equal(netif_lookup("dxq.7", 0, &q7), 0);
	assert_int_equal(q7.lower_ifindex, srv.ifindex);
	assert_int_equal(q7.vlan, 7);
	assert_int_equal(q7.svlan, 200);
	/* an 802.1ad device alone is no network, nor 802.1Q on 802.1Q */
	assert_int_equal(netif_lookup("dxq", 0, &q7), -EPROTONOSUPPORT);
	assert_int_equal(
		system("ip link add link dxs0.100 name vlan5 type "
		       "vlan id 5 && ip addr add 10.80.0.1/24 dev vlan5"),
		0);
	assert_int_equal(netif_lookup("vlan5", 0, &q7), -EPROTONOSUPPORT);
	assert_int_equal(system("ip link del vlan5"), 0);
	assert_int_equal(netif_lookup("dxq.7", 0, &q7), 0);

	assert_int_equal(map_sync_config(&obj, vlan_cfg, vlan_eng, &slots, &rep,
					 err, sizeof(err)),
			 0);
	assert_int_equal(rep.networks, 2);
	assert_int_equal(rep.networks_daemon_only, 1);
	assert_int_equal(bpf_map_lookup_elem(obj.ifaces_fd, &srv.ifindex, &net),
			 0);
	assert_int_equal(net.addr, 0);
	nk.ifindex = srv.ifindex;
	nk.vlan = 100;
	assert_int_equal(bpf_map_lookup_elem(obj.networks_fd, &nk, &net), 0);
	assert_memory_equal(net.mac, v100.mac, 6);
	assert_int_equal(ntohl(net.addr), IP(10, 78, 0, 1));
	assert_int_equal(net.subnet_slot, map_slot_of(&slots, 45));
	nk.vlan = 7;
	nk.svlan = 200;
	assert_int_equal(bpf_map_lookup_elem(obj.networks_fd, &nk, &net), 0);
	assert_memory_equal(net.mac, q7.mac, 6);
	assert_int_equal(ntohl(net.addr), IP(10, 79, 0, 1));
	assert_int_equal(net.subnet_slot, map_slot_of(&slots, 46));
	/* VLAN 7 without the S-tag is not that network */
	nk.svlan = 0;
	assert_int_not_equal(bpf_map_lookup_elem(obj.networks_fd, &nk, &net),
			     0);

	len = frame_discover(in, sizeof(in), mac, 96, 100);
	assert_int_equal(run_on_dxs0(in, len, out, &out_len), XDP_TX);
	assert_int_equal(frame_parse(out, out_len, &v), 0);
	assert_int_equal(v.vlan, 100);
	assert_memory_equal(v.src_mac, v100.mac, 6);
	assert_int_equal(v.src_ip, IP(10, 78, 0, 1));
	assert_int_equal(get32(v.payload + 16), IP(10, 78, 0, 200));
	o = reply_opt(v.payload, v.payload_len, DHCP_OPT_SERVER_ID);
	assert_non_null(o);
	assert_int_equal(get32(o + 2), IP(10, 78, 0, 1));
	/* untagged on dxs0: no network in XDP, the daemon's */
	len = frame_discover(in, sizeof(in), mac, 97, -1);
	out_len = sizeof(out);
	assert_int_equal(run_on_dxs0(in, len, out, &out_len), XDP_PASS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(big_ifindex_served_from_hash,
						big_setup, big_teardown),
		cmocka_unit_test(sync_clears_stray_networks),
		cmocka_unit_test(empty_slot_not_served),
		cmocka_unit_test(shared_network_linked),
		cmocka_unit_test_setup_teardown(vlan_networks_keyed_by_tags,
						vlan_setup, vlan_teardown),
	};

	return cmocka_run_group_tests_name("map_sync_networks", tests,
					   group_setup_synced, group_teardown);
}
