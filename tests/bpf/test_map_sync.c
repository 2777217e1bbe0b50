// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Configuration and engine decisions carried into the XDP maps, checked
 * by running the real program on frames: a reservation configured in
 * JSON is offered by XDP; a lease the engine grants is then renewed by
 * XDP; lease operations applied, loaded in batches and pruned; a reload
 * removes what the configuration no longer has. Runs on a veth in a
 * private network namespace with a private bpffs (map_sync_fixture.h).
 * The expiry in the lease entry: test_map_sync_expiry.c; where a network
 * lives: test_map_sync_networks.c.
 */
#include <stdint.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include "wire/dhcp_msg.h"
#include "map_sync_fixture.h"

/* cfg_full without the relayed subnet and without the reservations. */
static const char *cfg_reloaded =
	"{ \"Dhcp4\": {"
	"  \"interfaces-config\": { \"interfaces\": [ \"dxs0\" ] },"
	"  \"valid-lifetime\": 600,"
	"  \"subnet4\": ["
	"   { \"id\": 42, \"subnet\": \"10.9.0.0/24\", \"interface\": \"dxs0\","
	"     \"pools\": [ { \"pool\": \"10.9.0.10 - 10.9.0.99\" } ],"
	"     \"option-data\": ["
	"       { \"name\": \"routers\", \"data\": \"10.9.0.1\" } ] } ] } }";

static void sync_fills_networks_subnets_relays(void **state)
{
	struct map_sync_report rep;
	struct dx_network_key nk = {.ifindex = srv.ifindex};
	struct dx_network net;
	struct dx_relay_key rk = {.prefixlen = 32,
				  .addr = htonl(IP(10, 9, 0, 254))};
	struct dx_subnet sn;
	uint32_t slot, rslot;
	char err[256] = "";

	(void)state;
	if (skip_reason)
		skip();
	assert_int_equal(
		map_sync_config(&obj, cfg, eng, &slots, &rep, err, sizeof(err)),
		0);
	assert_int_equal(rep.subnets, 2);
	assert_int_equal(rep.networks, 1);
	assert_int_equal(rep.relays, 3); /* two prefixes, one relay */
	assert_int_equal(rep.reservations, 1);
	assert_int_equal(rep.reservations_slow,
			 1); /* the one with a hostname */
	assert_int_equal(rep.fast_path_off, 0);

	slot = map_slot_of(&slots, 42);
	assert_int_not_equal(slot, DX_SUBNET_SLOT_NONE);
	/* An untagged network with a small ifindex lives in the ifaces
	 * array, not in the hash. */
	assert_true(srv.ifindex < DX_IFACE_SLOTS);
	assert_int_not_equal(bpf_map_lookup_elem(obj.networks_fd, &nk, &net),
			     0);
	assert_int_equal(bpf_map_lookup_elem(obj.ifaces_fd, &srv.ifindex, &net),
			 0);
	assert_memory_equal(net.mac, srv.mac, 6);
	assert_int_equal(ntohl(net.addr), IP(10, 9, 0, 1));
	assert_int_equal(net.subnet_slot, slot);
	assert_int_equal(bpf_map_lookup_elem(obj.subnets_fd, &slot, &sn), 0);
	assert_int_equal(sn.subnet_id, 42);
	assert_int_equal(sn.lease_time, 600);
	assert_int_equal(sn.t1, 300);
	assert_int_equal(sn.t2, 525);
	assert_int_equal(sn.opts_csum,
			 dx_reply_opts_csum(sn.opts, sn.opts_len));
	/* No boot fields: XDP writes zeros. */
	assert_false(sn.flags & DX_SUBNET_F_BOOTP);
	assert_int_equal(sn.siaddr, 0);
	assert_int_equal(bpf_map_lookup_elem(obj.relays_fd, &rk, &rslot), 0);
	assert_int_equal(rslot, map_slot_of(&slots, 43));
	/* 43's boot fields as they go on the wire, with their share of the
	 * checksum (RFC 2131 §2). */
	assert_int_equal(bpf_map_lookup_elem(obj.subnets_fd, &rslot, &sn), 0);
	assert_true(sn.flags & DX_SUBNET_F_BOOTP);
	assert_int_equal(ntohl(sn.siaddr), IP(172, 30, 0, 5));
	assert_int_equal(sn.sname[0], 0);
	assert_string_equal((char *)sn.file, "a.efi");
	for (size_t i = strlen("a.efi"); i < sizeof(sn.file); i++)
		assert_int_equal(sn.file[i], 0);
	assert_int_equal(sn.bootp_csum, dx_reply_bootp_csum(sn.sname));
	assert_int_not_equal(sn.bootp_csum, 0);
}

static void xdp_offers_configured_reservation(void **state)
{
	const uint8_t mac[6] = {0x02, 0x11, 0, 0, 0, 0x01};
	uint8_t in[FRAME_MAX], out[2048];
	size_t len, out_len = sizeof(out);
	struct frame_spec s;

	(void)state;
	if (skip_reason)
		skip();
	frame_spec_init(&s, mac, 77);
	opt_add_u8(&s, DHCP_OPT_MSG_TYPE, DHCPDISCOVER);
	opt_end(&s);
	len = frame_build(&s, in, sizeof(in));
	assert_int_equal(run_on_dxs0(in, len, out, &out_len), XDP_TX);
	check_reply(out, out_len, DHCPOFFER, IP(10, 9, 0, 200));
}

static void reservation_with_hostname_left_to_daemon(void **state)
{
	const uint8_t mac[6] = {0x02, 0x11, 0, 0, 0, 0x02};
	uint8_t in[FRAME_MAX], out[2048];
	size_t len, out_len = sizeof(out);
	struct frame_spec s;

	(void)state;
	if (skip_reason)
		skip();
	frame_spec_init(&s, mac, 78);
	opt_add_u8(&s, DHCP_OPT_MSG_TYPE, DHCPDISCOVER);
	opt_end(&s);
	len = frame_build(&s, in, sizeof(in));
	assert_int_equal(run_on_dxs0(in, len, out, &out_len), XDP_PASS);
}

/* Hand a frame's DHCP payload to the engine, as the daemon will. */
static void engine_step(const struct frame_spec *s, int64_t now,
			struct engine_result *res)
{
	static struct dhcp_msg m;
	uint8_t buf[FRAME_MAX];
	size_t len = frame_build(s, buf, sizeof(buf));
	struct engine_rx rx = {.served = true,
			       .direct_subnet_id = 42,
			       .server_id = IP(10, 9, 0, 1)};

	assert_int_equal(dhcp_msg_decode(&m, buf + 42, len - 42), 0);
	assert_int_equal(engine_handle(eng, &m, &rx, now, res), 0);
}

/* The whole chain: engine grants, map_sync applies, XDP renews. */
static void engine_grant_then_xdp_renews(void **state)
{
	const uint8_t mac[6] = {0x02, 0x22, 0, 0, 0, 0x07};
	static struct engine_result res;
	uint8_t in[FRAME_MAX], out[2048];
	size_t len, out_len = sizeof(out);
	struct frame_spec s;
	int64_t now = 1800000000;
	uint32_t addr;

	(void)state;
	if (skip_reason)
		skip();
	frame_spec_init(&s, mac, 90);
	opt_add_u8(&s, DHCP_OPT_MSG_TYPE, DHCPDISCOVER);
	opt_end(&s);
	engine_step(&s, now, &res);
	assert_int_equal(res.action, ENGINE_REPLY);
	assert_int_equal(res.reply.msg_type, DHCPOFFER);
	addr = res.reply.yiaddr;

	frame_spec_init(&s, mac, 91);
	opt_add_u8(&s, DHCP_OPT_MSG_TYPE, DHCPREQUEST);
	opt_add_ip(&s, DHCP_OPT_REQUESTED_IP, addr);
	opt_add_ip(&s, DHCP_OPT_SERVER_ID, IP(10, 9, 0, 1));
	opt_end(&s);
	engine_step(&s, now, &res);
	assert_int_equal(res.reply.msg_type, DHCPACK);
	assert_true(res.ch.n_map >= 1);

	/* Before the map is updated XDP leaves the renewal to the daemon. */
	len = renewing_frame(mac, 92, addr, in, sizeof(in));
	assert_int_equal(run_on_dxs0(in, len, out, &out_len), XDP_PASS);

	/* The commit is durable: apply, and XDP renews. */
	assert_int_equal(map_apply_lease_ops(&obj, res.ch.map, res.ch.n_map,
					     now, boottime_ns()),
			 0);
	out_len = sizeof(out);
	assert_int_equal(run_on_dxs0(in, len, out, &out_len), XDP_TX);
	check_reply(out, out_len, DHCPACK, addr);
}

static void delete_only_matching_lease(void **state)
{
	struct engine_map_op op = {.kind = ENGINE_MAP_UPSERT,
				   .subnet_id = 42,
				   .mac = {2, 0x33, 0, 0, 0, 1},
				   .addr = IP(10, 9, 0, 50),
				   .flags = DX_LEASE_F_DYNAMIC,
				   .horizon = 2000};
	struct dx_lease_key k = {.subnet_id = 42, .mac = {2, 0x33, 0, 0, 0, 1}};
	struct dx_lease l;

	(void)state;
	if (skip_reason)
		skip();
	assert_int_equal(map_apply_lease_ops(&obj, &op, 1, 1000, 7000000000ULL),
			 0);
	assert_int_equal(bpf_map_lookup_elem(obj.leases_fd, &k, &l), 0);
	/* horizon 1000 s ahead of wall clock, on the boot clock */
	assert_true(l.horizon_ns == 7000000000ULL + 1000ULL * 1000000000ULL);
	op.kind = ENGINE_MAP_DELETE;
	op.addr = IP(10, 9, 0, 51); /* not the entry's address */
	assert_int_equal(map_apply_lease_ops(&obj, &op, 1, 1000, 0), 0);
	assert_int_equal(bpf_map_lookup_elem(obj.leases_fd, &k, &l), 0);
	op.addr = IP(10, 9, 0, 50);
	assert_int_equal(map_apply_lease_ops(&obj, &op, 1, 1000, 0), 0);
	assert_int_not_equal(bpf_map_lookup_elem(obj.leases_fd, &k, &l), 0);
}

/* Start-up loading: upserts in batches, deletes in order. */
static void load_leases_in_batches(void **state)
{
	enum { N = 5000 };
	static struct engine_map_op ops[N + 1];
	struct dx_lease_key k = {.subnet_id = 77};
	struct dx_lease l;

	(void)state;
	if (skip_reason)
		skip();
	for (uint32_t i = 0; i < N; i++) {
		ops[i] = (struct engine_map_op){.kind = ENGINE_MAP_UPSERT,
						.subnet_id = 77,
						.addr = IP(10, 50, 0, 0) + i,
						.flags = DX_LEASE_F_DYNAMIC,
						.horizon = 1600};
		ops[i].mac[0] = 2;
		ops[i].mac[4] = (uint8_t)(i >> 8);
		ops[i].mac[5] = (uint8_t)i;
	}
	ops[N] = ops[7];
	ops[N].kind = ENGINE_MAP_DELETE;
	assert_int_equal(map_load_leases(&obj, ops, N + 1, 1000, 9000000000ULL),
			 0);
	memcpy(k.mac, ops[N - 1].mac, 6);
	assert_int_equal(bpf_map_lookup_elem(obj.leases_fd, &k, &l), 0);
	assert_int_equal(ntohl(l.addr), IP(10, 50, 0, 0) + N - 1);
	assert_true(l.horizon_ns == 9000000000ULL + 600ULL * 1000000000ULL);
	memcpy(k.mac, ops[7].mac, 6);
	assert_int_not_equal(bpf_map_lookup_elem(obj.leases_fd, &k, &l), 0);
	for (uint32_t i = 0; i < N; i++)
		bpf_map_delete_elem(
			obj.leases_fd,
			&(struct dx_lease_key){.subnet_id = 77,
					       .mac = {2, 0, 0, 0,
						       (uint8_t)(i >> 8),
						       (uint8_t)i}});
}

static bool keep_even(const void *key, const void *value, const void *arg)
{
	const struct dx_lease_key *k = key;

	(void)value;
	return k->subnet_id != 88 || k->mac[5] % 2 == 0;
}

/* Pruning a large map in one pass: every odd entry of subnet 88 goes,
 * everything else stays. */
static void prune_large_map(void **state)
{
	enum { N = 12000 };
	struct dx_lease_key k = {.subnet_id = 88};
	struct dx_lease l = {.flags = DX_LEASE_F_DYNAMIC};
	size_t removed = 0, left = 0;
	struct dx_lease_key cur, next;
	void *prev = NULL;

	(void)state;
	if (skip_reason)
		skip();
	for (uint32_t i = 0; i < N; i++) {
		k.mac[3] = (uint8_t)(i >> 16);
		k.mac[4] = (uint8_t)(i >> 8);
		k.mac[5] = (uint8_t)i;
		assert_int_equal(
			bpf_map_update_elem(obj.leases_fd, &k, &l, BPF_ANY), 0);
	}
	assert_int_equal(map_prune(obj.leases_fd, sizeof(k), sizeof(l),
				   keep_even, NULL, &removed),
			 0);
	assert_int_equal(removed, N / 2);
	while (!bpf_map_get_next_key(obj.leases_fd, prev, &next)) {
		cur = next;
		prev = &cur;
		if (cur.subnet_id == 88) {
			assert_int_equal(cur.mac[5] % 2, 0);
			left++;
		}
	}
	assert_int_equal(left, N / 2);
	for (uint32_t i = 0; i < N; i += 2) {
		k.mac[3] = (uint8_t)(i >> 16);
		k.mac[4] = (uint8_t)(i >> 8);
		k.mac[5] = (uint8_t)i;
		bpf_map_delete_elem(obj.leases_fd, &k);
	}
}

static void horizon_conversion(void **state)
{
	(void)state;
	assert_true(map_horizon_boot_ns(1100, 1000, 5) ==
		    5 + 100ULL * 1000000000ULL);
	/* a horizon already passed grants nothing */
	assert_true(map_horizon_boot_ns(900, 1000, 5) == 5);
}

static void reload_removes_what_is_gone(void **state)
{
	const uint8_t mac[6] = {0x02, 0x11, 0, 0, 0, 0x01};
	struct dx_relay_key rk = {.prefixlen = 32,
				  .addr = htonl(IP(10, 9, 0, 254))};
	struct dx_lease_key k = {.subnet_id = 42};
	struct dx_config *next;
	struct engine *next_eng;
	struct map_slots again;
	struct dx_lease l;
	uint32_t slot42 = map_slot_of(&slots, 42), v;

	(void)state;
	if (skip_reason)
		skip();
	sync_next_cfg(cfg_reloaded, &next, &next_eng);
	assert_int_equal(map_sync_drop_reservations(&obj, cfg, next), 0);
	assert_int_equal(map_slot_of(&slots, 42), slot42); /* did not move */
	assert_int_equal(map_slot_of(&slots, 43), DX_SUBNET_SLOT_NONE);
	/* giaddr 10.9.0.254 no longer names subnet 43: the longest prefix
	 * that holds it is subnet 42's own */
	assert_int_equal(bpf_map_lookup_elem(obj.relays_fd, &rk, &v), 0);
	assert_int_equal(v, slot42);
	rk.addr = htonl(IP(172, 30, 0, 5));
	assert_int_not_equal(bpf_map_lookup_elem(obj.relays_fd, &rk, &v), 0);
	memcpy(k.mac, mac, 6);
	assert_int_not_equal(bpf_map_lookup_elem(obj.leases_fd, &k, &l), 0);
	/* a restart finds the same slots in the pinned array */
	assert_int_equal(map_slots_load(&obj, &again), 0);
	assert_int_equal(map_slot_of(&again, 42), slot42);
	assert_int_equal(map_slot_of(&again, 43), DX_SUBNET_SLOT_NONE);
	engine_free(next_eng);
	config_free(next);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sync_fills_networks_subnets_relays),
		cmocka_unit_test(xdp_offers_configured_reservation),
		cmocka_unit_test(reservation_with_hostname_left_to_daemon),
		cmocka_unit_test(engine_grant_then_xdp_renews),
		cmocka_unit_test(delete_only_matching_lease),
		cmocka_unit_test(horizon_conversion),
		cmocka_unit_test(load_leases_in_batches),
		cmocka_unit_test(prune_large_map),
		cmocka_unit_test(reload_removes_what_is_gone),
	};

	return cmocka_run_group_tests_name("map_sync", tests, group_setup,
					   group_teardown);
}
