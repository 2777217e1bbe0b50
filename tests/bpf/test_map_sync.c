// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Configuration and engine decisions carried into the XDP maps, checked
 * by running the real program on frames: a reservation configured in
 * JSON is offered by XDP; a lease the engine grants is then renewed by
 * XDP; a reload removes what the configuration no longer has. Runs on a
 * veth in a private network namespace with a private bpffs.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mount.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <cmocka.h>
#include <dhcpxdp/abi.h>
#include <dhcpxdp/dhcp_wire.h>
#include "kernel/bpf_obj.h"
#include "config/config.h"
#include "wire/dhcp_msg.h"
#include "engine/engine.h"
#include "store/lease_db.h"
#include "kernel/lease_view.h"
#include "frame.h"
#include "kernel/map_sync.h"
#include "kernel/netif.h"
#include "xdp_env.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

static const char *cfg_full =
	"{ \"Dhcp4\": {"
	"  \"interfaces-config\": { \"interfaces\": [ \"dxs0\" ] },"
	"  \"valid-lifetime\": 600,"
	"  \"subnet4\": ["
	"   { \"id\": 42, \"subnet\": \"10.9.0.0/24\", \"interface\": \"dxs0\","
	"     \"pools\": [ { \"pool\": \"10.9.0.10 - 10.9.0.99\" } ],"
	"     \"option-data\": ["
	"       { \"name\": \"routers\", \"data\": \"10.9.0.1\" },"
	"       { \"name\": \"domain-name-servers\", \"data\": \"10.9.0.2, 10.9.0.3\" },"
	"       { \"name\": \"domain-name\", \"data\": \"lab.example\" } ],"
	"     \"reservations\": ["
	"       { \"hw-address\": \"02:11:00:00:00:01\", \"ip-address\": \"10.9.0.200\" },"
	"       { \"hw-address\": \"02:11:00:00:00:02\", \"ip-address\": \"10.9.0.201\","
	"         \"hostname\": \"named\" } ] },"
	"   { \"id\": 43, \"subnet\": \"172.30.0.0/24\","
	"     \"relay\": { \"ip-addresses\": [ \"10.9.0.254\" ] },"
	"     \"pools\": [ { \"pool\": \"172.30.0.10 - 172.30.0.20\" } ] } ] } }";

/* The same without the relayed subnet and without the reservations. */
static const char *cfg_reloaded =
	"{ \"Dhcp4\": {"
	"  \"interfaces-config\": { \"interfaces\": [ \"dxs0\" ] },"
	"  \"valid-lifetime\": 600,"
	"  \"subnet4\": ["
	"   { \"id\": 42, \"subnet\": \"10.9.0.0/24\", \"interface\": \"dxs0\","
	"     \"pools\": [ { \"pool\": \"10.9.0.10 - 10.9.0.99\" } ],"
	"     \"option-data\": ["
	"       { \"name\": \"routers\", \"data\": \"10.9.0.1\" } ] } ] } }";

static char root[] = "/tmp/dhcpxdp-test-mapsync-XXXXXX";
static char pin_dir[PATH_MAX];
static const char *skip_reason;
static struct netif srv;
static struct dx_bpf obj;
static struct dx_config *cfg;
static struct engine *eng;
static struct map_slots slots;

static int group_setup(void **state)
{
	struct config_diag diag;
	char err[256];

	(void)state;
	if (geteuid() != 0) {
		skip_reason = "needs root (netns, bpffs, BPF_PROG_RUN); SKIPPING";
		fprintf(stderr, "test_map_sync: %s\n", skip_reason);
		return 0;
	}
	if (xdp_env_veth_ns(root))
		return -1;
	snprintf(pin_dir, sizeof(pin_dir), "%s/dhcpxdp", root);
	if (netif_lookup("dxs0", 0, &srv))
		return -1;
	if (config_load_string(cfg_full, "test.json", &cfg, &diag)) {
		fprintf(stderr, "%s\n", diag.error);
		return -1;
	}
	config_diag_free(&diag);
	if (engine_new(cfg, &eng) ||
	    dx_bpf_open(&obj, pin_dir, 32768, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return map_slots_load(&obj, &slots);
}

static int group_teardown(void **state)
{
	(void)state;
	if (skip_reason)
		return 0;
	dx_bpf_close(&obj);
	engine_free(eng);
	config_free(cfg);
	umount(root);
	rmdir(root);
	return 0;
}

/*
 * Run the program as if the frame arrived on interface `ifindex`. Kernels
 * before 5.15 refuse an XDP context in BPF_PROG_RUN (-EINVAL): the test
 * is skipped there, saying why (the client smoke still covers those
 * kernels).
 */
static int run_on(uint32_t ifindex, const uint8_t *in, size_t len, uint8_t *out,
		  size_t *out_len)
{
	static bool warned;
	int ret = xdp_run_on(obj.prog_fd, ifindex, in, len, out, out_len);

	if (ret == -EINVAL) {
		if (!warned)
			fprintf(stderr,
				"test_map_sync: this kernel's BPF_PROG_RUN "
				"cannot set the ingress interface (5.15+); "
				"SKIPPING the tests that need it\n");
		warned = true;
		skip();
	}
	return ret;
}

static int run_on_dxs0(const uint8_t *in, size_t len, uint8_t *out,
		       size_t *out_len)
{
	return run_on(srv.ifindex, in, len, out, out_len);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

/* The reply's option `code`, or NULL. */
static const uint8_t *reply_opt(const uint8_t *d, size_t len, uint8_t code)
{
	for (size_t i = 240; i + 1 < len;) {
		if (d[i] == 0) {
			i++;
			continue;
		}
		if (d[i] == 255)
			break;
		if (d[i] == code)
			return d + i;
		i += 2 + d[i + 1];
	}
	return NULL;
}

/* Reply sanity: checksums right, type, yiaddr, server id and router
 * (both `server`). */
static void check_reply_from(const uint8_t *out, size_t len, uint8_t type,
			     uint32_t yiaddr, uint32_t server)
{
	const uint8_t *ip = out + 14, *udp = ip + 20, *d = udp + 8, *o;
	size_t dlen = len - 42;

	assert_int_equal(inet_csum(ip, 20, 0), 0);
	assert_int_equal(udp_csum_verify(ip, udp, len - 34), 0);
	assert_int_equal(get32(d + 16), yiaddr);
	o = reply_opt(d, dlen, DHCP_OPT_MSG_TYPE);
	assert_non_null(o);
	assert_int_equal(o[2], type);
	o = reply_opt(d, dlen, DHCP_OPT_SERVER_ID);
	assert_non_null(o);
	assert_int_equal(get32(o + 2), server);
	o = reply_opt(d, dlen, DHCP_OPT_ROUTER);
	assert_non_null(o);
	assert_int_equal(get32(o + 2), server);
	o = reply_opt(d, dlen, DHCP_OPT_LEASE_TIME);
	assert_non_null(o);
	assert_int_equal(get32(o + 2), 600);
}

static void check_reply(const uint8_t *out, size_t len, uint8_t type,
			uint32_t yiaddr)
{
	check_reply_from(out, len, type, yiaddr, IP(10, 9, 0, 1));
}

static void sync_fills_networks_subnets_relays(void **state)
{
	struct map_sync_report rep;
	struct dx_network_key nk = { .ifindex = srv.ifindex };
	struct dx_network net;
	struct dx_relay_key rk = { .prefixlen = 32,
				   .addr = htonl(IP(10, 9, 0, 254)) };
	struct dx_subnet sn;
	uint32_t slot, rslot;
	char err[256] = "";

	(void)state;
	if (skip_reason)
		skip();
	assert_int_equal(map_sync_config(&obj, cfg, eng, &slots, &rep, err,
					 sizeof(err)), 0);
	assert_int_equal(rep.subnets, 2);
	assert_int_equal(rep.networks, 1);
	assert_int_equal(rep.relays, 3); /* two prefixes, one relay */
	assert_int_equal(rep.reservations, 1);
	assert_int_equal(rep.reservations_slow, 1); /* the one with a hostname */
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
	assert_int_equal(sn.opts_csum, dx_reply_opts_csum(sn.opts, sn.opts_len));
	assert_int_equal(bpf_map_lookup_elem(obj.relays_fd, &rk, &rslot), 0);
	assert_int_equal(rslot, map_slot_of(&slots, 43));
}

static void xdp_offers_configured_reservation(void **state)
{
	const uint8_t mac[6] = { 0x02, 0x11, 0, 0, 0, 0x01 };
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
	const uint8_t mac[6] = { 0x02, 0x11, 0, 0, 0, 0x02 };
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
	struct engine_rx rx = { .direct_subnet_id = 42,
				.server_id = IP(10, 9, 0, 1) };

	assert_int_equal(dhcp_msg_decode(&m, buf + 42, len - 42), 0);
	assert_int_equal(engine_handle(eng, &m, &rx, now, res), 0);
}

/* The whole chain: engine grants, map_sync applies, XDP renews. */
static void engine_grant_then_xdp_renews(void **state)
{
	const uint8_t mac[6] = { 0x02, 0x22, 0, 0, 0, 0x07 };
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
	frame_spec_init(&s, mac, 92);
	opt_add_u8(&s, DHCP_OPT_MSG_TYPE, DHCPREQUEST);
	s.ciaddr = s.src_ip = addr;
	s.dst_ip = IP(10, 9, 0, 1);
	memcpy(s.dst_mac, srv.mac, 6);
	opt_end(&s);
	len = frame_build(&s, in, sizeof(in));
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
	struct engine_map_op op = { .kind = ENGINE_MAP_UPSERT,
				    .subnet_id = 42,
				    .mac = { 2, 0x33, 0, 0, 0, 1 },
				    .addr = IP(10, 9, 0, 50),
				    .flags = DX_LEASE_F_DYNAMIC,
				    .horizon = 2000 };
	struct dx_lease_key k = { .subnet_id = 42,
				  .mac = { 2, 0x33, 0, 0, 0, 1 } };
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
	struct dx_lease_key k = { .subnet_id = 77 };
	struct dx_lease l;

	(void)state;
	if (skip_reason)
		skip();
	for (uint32_t i = 0; i < N; i++) {
		ops[i] = (struct engine_map_op){ .kind = ENGINE_MAP_UPSERT,
						 .subnet_id = 77,
						 .addr = IP(10, 50, 0, 0) + i,
						 .flags = DX_LEASE_F_DYNAMIC,
						 .horizon = 1600 };
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
		bpf_map_delete_elem(obj.leases_fd, &(struct dx_lease_key){
			.subnet_id = 77,
			.mac = { 2, 0, 0, 0, (uint8_t)(i >> 8), (uint8_t)i } });
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
	struct dx_lease_key k = { .subnet_id = 88 };
	struct dx_lease l = { .flags = DX_LEASE_F_DYNAMIC };
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
		assert_int_equal(bpf_map_update_elem(obj.leases_fd, &k, &l,
						     BPF_ANY), 0);
	}
	assert_int_equal(map_prune(obj.leases_fd, sizeof(k), sizeof(l),
				   keep_even, NULL, &removed), 0);
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
	const uint8_t mac[6] = { 0x02, 0x11, 0, 0, 0, 0x01 };
	struct dx_relay_key rk = { .prefixlen = 32,
				   .addr = htonl(IP(10, 9, 0, 254)) };
	struct dx_lease_key k = { .subnet_id = 42 };
	struct map_sync_report rep;
	struct config_diag diag;
	struct dx_config *next;
	struct engine *next_eng;
	struct map_slots again;
	struct dx_lease l;
	uint32_t slot42 = map_slot_of(&slots, 42), v;
	char err[256];

	(void)state;
	if (skip_reason)
		skip();
	assert_int_equal(config_load_string(cfg_reloaded, "reload.json", &next,
					    &diag), 0);
	config_diag_free(&diag);
	assert_int_equal(engine_new(next, &next_eng), 0);
	assert_int_equal(map_sync_config(&obj, next, next_eng, &slots, &rep,
					 err, sizeof(err)), 0);
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

/* ---- expires_ns in the lease entry, and the listing's merge of it ---- */

#define SEC_NS 1000000000ULL

/* Subnet 42 with its own valid-lifetime (900), unlike the global 600:
 * lease_view_merge must take the subnet's. */
static const char *cfg_view =
	"{ \"Dhcp4\": {"
	"  \"interfaces-config\": { \"interfaces\": [ \"dxs0\" ] },"
	"  \"valid-lifetime\": 600,"
	"  \"subnet4\": ["
	"   { \"id\": 42, \"subnet\": \"10.9.0.0/24\", \"interface\": \"dxs0\","
	"     \"valid-lifetime\": 900,"
	"     \"pools\": [ { \"pool\": \"10.9.0.10 - 10.9.0.99\" } ] } ] } }";

/* Wall clock (unix s) and CLOCK_BOOTTIME (ns), read together. */
static void now_pair(int64_t *wall, uint64_t *boot)
{
	struct timespec ts;

	assert_int_equal(clock_gettime(CLOCK_REALTIME, &ts), 0);
	*wall = ts.tv_sec;
	*boot = boottime_ns();
}

/* 02:44:00:00:00:<n>, a client of these tests in subnet 42. */
static void view_mac(uint8_t n, uint8_t mac[6])
{
	const uint8_t m[6] = {0x02, 0x44, 0, 0, 0, n};

	memcpy(mac, m, 6);
}

static struct engine_map_op upsert_op(uint8_t n, uint32_t addr, uint32_t flags,
				      int64_t expires, int64_t horizon)
{
	struct engine_map_op op = {.kind = ENGINE_MAP_UPSERT,
				   .subnet_id = 42,
				   .addr = addr,
				   .flags = flags,
				   .horizon = horizon,
				   .expires = expires};

	view_mac(n, op.mac);
	return op;
}

static struct dx_lease_key view_key(uint8_t n)
{
	struct dx_lease_key k = {.subnet_id = 42};

	view_mac(n, k.mac);
	return k;
}

static void view_entry(uint8_t n, struct dx_lease *l)
{
	struct dx_lease_key k = view_key(n);

	assert_int_equal(bpf_map_lookup_elem(obj.leases_fd, &k, l), 0);
}

/* Store client n's entry as XDP would have left it. */
static void put_entry(uint8_t n, uint32_t addr, uint32_t flags,
		      uint64_t expires_ns)
{
	struct dx_lease_key k = view_key(n);
	struct dx_lease l = {.addr = htonl(addr),
			     .flags = flags,
			     .horizon_ns = expires_ns + 600 * SEC_NS,
			     .expires_ns = expires_ns};

	assert_int_equal(bpf_map_update_elem(obj.leases_fd, &k, &l, BPF_ANY),
			 0);
}

static void drop_entry(uint8_t n)
{
	struct dx_lease_key k = view_key(n);

	bpf_map_delete_elem(obj.leases_fd, &k);
}

static void assert_ns_near(uint64_t got, uint64_t want)
{
	assert_true(got + SEC_NS >= want && got <= want + SEC_NS);
}

/* An ACTIVE database row of client n (padding zeroed for memcmp). */
static void view_row(struct dx_lease_rec *r, uint8_t n, uint32_t addr,
		     int64_t expires, int64_t last_seen)
{
	memset(r, 0, sizeof(*r));
	r->subnet_id = 42;
	r->addr = addr;
	view_mac(n, r->mac);
	r->state = DX_LEASE_ACTIVE;
	r->expires = expires;
	r->horizon = expires + 600;
	r->last_seen = last_seen;
}

/* A merge case: client n's row, and the clocks it is merged at. */
struct view_case {
	uint8_t n;
	struct dx_lease_rec r;
	int64_t wall;
	uint64_t boot;
};

/*
 * Client n's ACTIVE row ending in 300 s, last seen 300 s ago, and its
 * dynamic entry for the same address ending in 1000 s.
 */
static void view_setup(struct view_case *v, uint8_t n)
{
	if (skip_reason)
		skip();
	v->n = n;
	v->wall = 1800000000;
	v->boot = boottime_ns();
	view_row(&v->r, n, IP(10, 9, 0, 60) + n, v->wall + 300, v->wall - 300);
	put_entry(n, v->r.addr, DX_LEASE_F_DYNAMIC, v->boot + 1000 * SEC_NS);
}

/* Merging from `fd` must leave the row exactly as it was. */
static void assert_merge_unchanged(const struct view_case *v, int fd)
{
	struct dx_lease_rec r;

	memcpy(&r, &v->r, sizeof(r));
	lease_view_merge(fd, cfg, &r, v->wall, v->boot);
	assert_memory_equal(&r, &v->r, sizeof(r));
}

static uint64_t stat_sum(enum dx_stat stat)
{
	return xdp_stat_sum(obj.stats_fd, stat);
}

/* One commit's upsert writes the expiry and horizon on the boot clock;
 * a reservation has neither. */
static void apply_writes_expiry(void **state)
{
	struct engine_map_op op;
	struct dx_lease l;
	int64_t wall;
	uint64_t boot;

	(void)state;
	if (skip_reason)
		skip();
	now_pair(&wall, &boot);
	op = upsert_op(1, IP(10, 9, 0, 70), DX_LEASE_F_DYNAMIC, wall + 600,
		       wall + 1200);
	assert_int_equal(map_apply_lease_ops(&obj, &op, 1, wall, boot), 0);
	view_entry(1, &l);
	assert_int_equal(ntohl(l.addr), IP(10, 9, 0, 70));
	assert_ns_near(l.expires_ns, boot + 600 * SEC_NS);
	assert_ns_near(l.horizon_ns, boot + 1200 * SEC_NS);

	op = upsert_op(2, IP(10, 9, 0, 71), DX_LEASE_F_RESERVED, wall + 600,
		       wall + 1200);
	assert_int_equal(map_apply_lease_ops(&obj, &op, 1, wall, boot), 0);
	view_entry(2, &l);
	assert_int_equal(ntohl(l.addr), IP(10, 9, 0, 71));
	assert_true(l.expires_ns == 0);
	assert_true(l.horizon_ns == 0);
	drop_entry(1);
	drop_entry(2);
}

/* The batched load writes them the same way. */
static void load_writes_expiry(void **state)
{
	enum { N = 4 };
	struct engine_map_op ops[N];
	struct dx_lease l;
	int64_t wall;
	uint64_t boot;

	(void)state;
	if (skip_reason)
		skip();
	now_pair(&wall, &boot);
	for (uint8_t i = 0; i < N - 1; i++)
		ops[i] = upsert_op(10 + i, IP(10, 9, 0, 72) + i,
				   DX_LEASE_F_DYNAMIC, wall + 100 * (i + 1),
				   wall + 1000 + i);
	ops[N - 1] = upsert_op(10 + N - 1, IP(10, 9, 0, 72) + N - 1,
			       DX_LEASE_F_RESERVED, wall + 100, wall + 1000);
	assert_int_equal(map_load_leases(&obj, ops, N, wall, boot), 0);
	for (uint8_t i = 0; i < N - 1; i++) {
		view_entry(10 + i, &l);
		assert_ns_near(l.expires_ns, boot + 100ULL * (i + 1) * SEC_NS);
		assert_ns_near(l.horizon_ns, boot + (1000ULL + i) * SEC_NS);
	}
	view_entry(10 + N - 1, &l);
	assert_true(l.expires_ns == 0 && l.horizon_ns == 0);
	for (uint8_t i = 0; i < N; i++)
		drop_entry(10 + i);
}

/* A later expiry in the entry: the row shows it, marked fast path, last
 * seen one subnet valid-lifetime before it. */
static void view_merges_later_expiry(void **state)
{
	struct dx_lease_rec want;
	struct config_diag diag;
	struct view_case v;
	struct dx_config *vc;

	(void)state;
	view_setup(&v, 20);
	assert_int_equal(config_load_string(cfg_view, "view.json", &vc, &diag),
			 0);
	config_diag_free(&diag);
	assert_int_equal(config_subnet_by_id(vc, 42)->valid_lifetime, 900);
	memcpy(&want, &v.r, sizeof(want));
	want.expires = v.wall + 1000;
	want.flags |= DX_LEASE_F_FASTPATH;
	want.last_seen = v.wall + 1000 - 900;
	lease_view_merge(obj.leases_fd, vc, &v.r, v.wall, v.boot);
	assert_true(v.r.expires >= want.expires - 1 &&
		    v.r.expires <= want.expires + 1);
	v.r.expires = want.expires;
	assert_true(v.r.last_seen >= want.last_seen - 1 &&
		    v.r.last_seen <= want.last_seen + 1);
	v.r.last_seen = want.last_seen;
	assert_memory_equal(&v.r, &want, sizeof(want));
	config_free(vc);
	drop_entry(v.n);
}

/* An entry that ends no later than the row tells nothing new. */
static void view_keeps_later_row(void **state)
{
	struct view_case v;

	(void)state;
	view_setup(&v, 21);
	v.r.expires = v.wall + 1000; /* the same end */
	assert_merge_unchanged(&v, obj.leases_fd);
	v.r.expires = v.wall + 1001; /* a later one */
	assert_merge_unchanged(&v, obj.leases_fd);
	drop_entry(v.n);
}

/* The client's entry now holds another address: not this row's lease. */
static void view_ignores_other_address(void **state)
{
	struct view_case v;

	(void)state;
	view_setup(&v, 22);
	put_entry(v.n, v.r.addr + 1, DX_LEASE_F_DYNAMIC,
		  v.boot + 1000 * SEC_NS);
	assert_merge_unchanged(&v, obj.leases_fd);
	drop_entry(v.n);
}

/* A reservation's entry is not a granted lease. */
static void view_ignores_reservation(void **state)
{
	struct view_case v;

	(void)state;
	view_setup(&v, 23);
	put_entry(v.n, v.r.addr, DX_LEASE_F_RESERVED, v.boot + 1000 * SEC_NS);
	assert_merge_unchanged(&v, obj.leases_fd);
	drop_entry(v.n);
}

/* A released row stays released whatever the map holds. */
static void view_ignores_inactive_row(void **state)
{
	struct view_case v;

	(void)state;
	view_setup(&v, 24);
	v.r.state = DX_LEASE_RELEASED;
	assert_merge_unchanged(&v, obj.leases_fd);
	drop_entry(v.n);
}

/* No map (CLI without pins), or no entry for the client. */
static void view_without_map_or_entry(void **state)
{
	struct view_case v;

	(void)state;
	view_setup(&v, 25);
	assert_merge_unchanged(&v, -1);
	drop_entry(v.n);
	assert_merge_unchanged(&v, obj.leases_fd);
}

/* An entry whose lease already ended adds nothing, even to a row that
 * ended before it. */
static void view_ignores_ended_entry(void **state)
{
	struct view_case v;

	(void)state;
	view_setup(&v, 26);
	v.r.expires = v.wall - 100;
	put_entry(v.n, v.r.addr, DX_LEASE_F_DYNAMIC, v.boot);
	assert_merge_unchanged(&v, obj.leases_fd);
	put_entry(v.n, v.r.addr, DX_LEASE_F_DYNAMIC, v.boot - 5 * SEC_NS);
	assert_merge_unchanged(&v, obj.leases_fd);
	drop_entry(v.n);
}

/* Without a configuration the expiry still merges; last seen cannot be
 * derived and stays. */
static void view_without_config(void **state)
{
	struct view_case v;

	(void)state;
	view_setup(&v, 27);
	lease_view_merge(obj.leases_fd, NULL, &v.r, v.wall, v.boot);
	assert_true(v.r.expires >= v.wall + 999 &&
		    v.r.expires <= v.wall + 1001);
	assert_true(v.r.flags & DX_LEASE_F_FASTPATH);
	assert_true(v.r.last_seen == v.wall - 300);
	drop_entry(v.n);
}

/*
 * End to end: the daemon installs a lease whose horizon covers this
 * renewal and the next (no extension asked, so no event); XDP ACKs the
 * renewal and leaves its expiry in the entry; the listing shows it.
 */
static void xdp_renewal_shows_in_view(void **state)
{
	const uint32_t addr = IP(10, 9, 0, 89);
	uint8_t in[FRAME_MAX], out[2048];
	size_t len, out_len = sizeof(out);
	struct engine_map_op op;
	struct frame_spec s;
	struct dx_lease_rec r;
	struct dx_lease l;
	uint64_t boot, t0, t1, asked0;
	int64_t wall;

	(void)state;
	if (skip_reason)
		skip();
	now_pair(&wall, &boot);
	/* granted 500 s ago; horizon now + 2 lease times >= now + L + T1 */
	op = upsert_op(28, addr, DX_LEASE_F_DYNAMIC, wall + 100, wall + 1200);
	assert_int_equal(map_apply_lease_ops(&obj, &op, 1, wall, boot), 0);
	view_row(&r, 28, addr, wall + 100, wall - 500);

	frame_spec_init(&s, op.mac, 93);
	opt_add_u8(&s, DHCP_OPT_MSG_TYPE, DHCPREQUEST);
	s.ciaddr = s.src_ip = addr;
	s.dst_ip = IP(10, 9, 0, 1);
	memcpy(s.dst_mac, srv.mac, 6);
	opt_end(&s);
	len = frame_build(&s, in, sizeof(in));
	asked0 = stat_sum(DX_STAT_EXTEND_ASKED);
	t0 = boottime_ns();
	assert_int_equal(run_on_dxs0(in, len, out, &out_len), XDP_TX);
	t1 = boottime_ns();
	check_reply(out, out_len, DHCPACK, addr);
	assert_true(stat_sum(DX_STAT_EXTEND_ASKED) == asked0);
	view_entry(28, &l);
	assert_true(l.expires_ns >= t0 + 600 * SEC_NS &&
		    l.expires_ns <= t1 + 600 * SEC_NS);

	now_pair(&wall, &boot);
	lease_view_merge(obj.leases_fd, cfg, &r, wall, boot);
	assert_true(r.expires >= wall + 599 && r.expires <= wall + 601);
	assert_true(r.flags & DX_LEASE_F_FASTPATH);
	assert_true(r.last_seen >= wall - 1 && r.last_seen <= wall + 1);
	drop_entry(28);
}

/* ---- where a network lives: the ifaces array or the networks hash ---- */

#define BIG_IFINDEX 5000 /* beyond DX_IFACE_SLOTS: the hash serves it */

/* dxs0 as before, and dxbig0 (ifindex BIG_IFINDEX) serving subnet 44,
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

static int sync_group_cfg(void)
{
	struct map_sync_report rep;
	char err[256] = "";
	int ret =
		map_sync_config(&obj, cfg, eng, &slots, &rep, err, sizeof(err));

	if (ret)
		fprintf(stderr, "test_map_sync: %s\n", err);
	return ret;
}

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

/* A DISCOVER from `mac`, untagged, or tagged with `vlan` (>= 0). */
static size_t discover_frame(const uint8_t mac[6], int vlan, uint8_t *buf,
			     size_t cap)
{
	struct frame_spec s;

	frame_spec_init(&s, mac, 95);
	s.vlan = vlan;
	opt_add_u8(&s, DHCP_OPT_MSG_TYPE, DHCPDISCOVER);
	opt_end(&s);
	return frame_build(&s, buf, cap);
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

	len = discover_frame(mac, -1, in, sizeof(in));
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

	len = discover_frame(mac, -1, in, sizeof(in));
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

	len = discover_frame(mac, -1, in, sizeof(in));
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

	len = discover_frame(mac, 10, in, sizeof(in));
	out_len = sizeof(out);
	assert_int_equal(run_on_dxs0(in, len, out, &out_len), XDP_PASS);
	assert_true(stat_sum(DX_STAT_PUNT_NO_NETWORK) == punted + 3);
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
		cmocka_unit_test(apply_writes_expiry),
		cmocka_unit_test(load_writes_expiry),
		cmocka_unit_test(view_merges_later_expiry),
		cmocka_unit_test(view_keeps_later_row),
		cmocka_unit_test(view_ignores_other_address),
		cmocka_unit_test(view_ignores_reservation),
		cmocka_unit_test(view_ignores_inactive_row),
		cmocka_unit_test(view_without_map_or_entry),
		cmocka_unit_test(view_ignores_ended_entry),
		cmocka_unit_test(view_without_config),
		cmocka_unit_test(xdp_renewal_shows_in_view),
		cmocka_unit_test_setup_teardown(big_ifindex_served_from_hash,
						big_setup, big_teardown),
		cmocka_unit_test(sync_clears_stray_networks),
		cmocka_unit_test(empty_slot_not_served),
	};

	return cmocka_run_group_tests_name("map_sync", tests, group_setup,
					   group_teardown);
}
