// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The expiry in the lease entry, and the listing's merge of it: a commit's
 * upsert and the batched load write expires_ns and the horizon on the boot
 * clock; lease_view_merge shows a later expiry from the entry in the
 * database row (marked fast path, last seen derived from the subnet's
 * valid-lifetime) and leaves the row alone for every entry that tells
 * nothing new; a renewal ACKed by XDP shows in the listing; a rewrite
 * of an entry XDP may be renewing covers a renewal it could lose, and
 * lease_view_expiry gives the engine the entry's expiry when the entry
 * can tell. On the map sync fixture (map_sync_fixture.h), its
 * configuration synced.
 */
#include <stdint.h>
#include <time.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include "kernel/lease_view.h"
#include "kernel/map_addrs.h"
#include "store/lease_db.h"
#include "map_sync_fixture.h"

#define SEC_NS 1000000000ULL
/* The fixture's maps as a reader sees them, and none. */
#define OBJ_MAPS                                         \
	((struct lease_maps){.leases_fd = obj.leases_fd, \
			     .addrs_fd = obj.addrs_fd,   \
			     .windows = obj.windows})
#define NO_MAPS ((struct lease_maps){.leases_fd = -1, .addrs_fd = -1})

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

/* Client n's entry as readers see it: the later expiry of its two. */
static void view_entry(uint8_t n, struct dx_lease *l)
{
	struct dx_lease_key k = view_key(n);

	assert_int_equal(bpf_map_lookup_elem(obj.leases_fd, &k, l), 0);
	map_addrs_merge(obj.addrs_fd, obj.windows, k.subnet_id, k.mac, l);
}

/* Client n's entry in dx_addrs, which a renewal by address updates. */
static void view_addr_entry(uint32_t addr, struct dx_addr_lease *e)
{
	uint32_t idx;

	assert_true(addr_windows_index(obj.windows, 42, addr, &idx));
	assert_int_equal(bpf_map_lookup_elem(obj.addrs_fd, &idx, e), 0);
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
	lease_view_merge(&(struct lease_maps){.leases_fd = fd, .addrs_fd = -1},
			 cfg, &r, v->wall, v->boot);
	assert_memory_equal(&r, &v->r, sizeof(r));
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
	lease_view_merge(&OBJ_MAPS, vc, &v.r, v.wall, v.boot);
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
	lease_view_merge(&OBJ_MAPS, NULL, &v.r, v.wall, v.boot);
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
	struct dx_lease_rec r;
	struct dx_addr_lease e;
	struct dx_lease_key k;
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

	len = renewing_frame(op.mac, 93, addr, in, sizeof(in));
	asked0 = stat_sum(DX_STAT_EXTEND_ASKED);
	t0 = boottime_ns();
	assert_int_equal(run_on_dxs0(in, len, out, &out_len), XDP_TX);
	t1 = boottime_ns();
	check_reply(out, out_len, DHCPACK, addr);
	assert_true(stat_sum(DX_STAT_EXTEND_ASKED) == asked0);
	/* Answered by address: the expiry is in that entry only. */
	view_addr_entry(addr, &e);
	assert_int_equal(e.subnet_id, 42);
	assert_true(e.lease.expires_ns >= t0 + 600 * SEC_NS &&
		    e.lease.expires_ns <= t1 + 600 * SEC_NS);
	k = view_key(28);
	assert_int_equal(bpf_map_lookup_elem(obj.leases_fd, &k, &l), 0);
	assert_true(l.expires_ns < t0 + 200 * SEC_NS);
	/* Readers take the later one. */
	view_entry(28, &l);
	assert_true(l.expires_ns >= t0 + 600 * SEC_NS &&
		    l.expires_ns <= t1 + 600 * SEC_NS);

	now_pair(&wall, &boot);
	lease_view_merge(&OBJ_MAPS, cfg, &r, wall, boot);
	assert_true(r.expires >= wall + 599 && r.expires <= wall + 601);
	assert_true(r.flags & DX_LEASE_F_FASTPATH);
	assert_true(r.last_seen >= wall - 1 && r.last_seen <= wall + 1);
	drop_entry(28);
}

/* A renewal request from client n for addr, RENEWING at dxs0. */
static size_t renewal_frame(uint8_t n, uint32_t addr, uint8_t *in, size_t cap)
{
	uint8_t mac[6];

	view_mac(n, mac);
	return renewing_frame(mac, 94, addr, in, cap);
}

/*
 * docs/design.md §2, a lost write: a rewrite of a dynamic entry XDP may be
 * renewing (renew_bound: the subnet's lease time) ends no earlier than the
 * time of the write plus that lease time and ENGINE_MAP_GRACE, so it
 * covers a renewal XDP answered from the element it replaced. Here XDP
 * renews first, then the daemon rewrites the entry from an engine that
 * never heard of it: the entry still ends after the renewal's expiry. A
 * later expiry of the engine's own stays; so does the batched load.
 */
static void rewrite_covers_racing_renewal(void **state)
{
	const uint32_t addr = IP(10, 9, 0, 88);
	uint8_t in[FRAME_MAX], out[2048];
	size_t len, out_len = sizeof(out);
	struct engine_map_op op;
	struct dx_lease l;
	uint64_t boot, granted, t0, t1;
	int64_t wall;

	(void)state;
	if (skip_reason)
		skip();
	now_pair(&wall, &boot);
	/* granted 590 s ago: ends in 10 s; horizon far enough for XDP */
	op = upsert_op(29, addr, DX_LEASE_F_DYNAMIC, wall + 10, wall + 1200);
	assert_int_equal(map_apply_lease_ops(&obj, &op, 1, wall, boot), 0);
	len = renewal_frame(29, addr, in, sizeof(in));
	assert_int_equal(run_on_dxs0(in, len, out, &out_len), XDP_TX);
	view_entry(29, &l);
	granted = l.expires_ns;
	assert_true(granted >= boot + 600 * SEC_NS);

	/* The engine's expiry is still the row's (wall + 10). */
	op.renew_bound = 600;
	now_pair(&wall, &t0);
	assert_int_equal(map_apply_lease_ops(&obj, &op, 1, wall, t0), 0);
	t1 = boottime_ns();
	view_entry(29, &l);
	assert_true(l.expires_ns >= granted);
	assert_true(l.expires_ns >= t0 + (600 + ENGINE_MAP_GRACE) * SEC_NS);
	assert_true(l.expires_ns <= t1 + (600 + ENGINE_MAP_GRACE) * SEC_NS);

	/* Without a renew_bound (an entry no renewal can race) the entry
	 * says what the engine says. */
	op.renew_bound = 0;
	now_pair(&wall, &t0);
	assert_int_equal(map_apply_lease_ops(&obj, &op, 1, wall, t0), 0);
	view_entry(29, &l);
	assert_ns_near(l.expires_ns, t0 + 10 * SEC_NS);

	/* An engine expiry past the bound is kept. */
	op.renew_bound = 600;
	op.expires = wall + 2000;
	now_pair(&wall, &t0);
	assert_int_equal(map_apply_lease_ops(&obj, &op, 1, wall, t0), 0);
	view_entry(29, &l);
	assert_ns_near(l.expires_ns, t0 + 2000 * SEC_NS);

	/* The batched load follows the same rule. */
	op.expires = wall + 10;
	now_pair(&wall, &t0);
	assert_int_equal(map_load_leases(&obj, &op, 1, wall, t0), 0);
	view_entry(29, &l);
	assert_true(l.expires_ns >= t0 + (600 + ENGINE_MAP_GRACE) * SEC_NS);
	drop_entry(29);
}

/* An entry written from the database into a map that did not hold it
 * keeps its mark (abi.h, DX_LEASE_F_UNTRACKED); XDP still renews it. */
static void untracked_mark_written(void **state)
{
	const uint32_t addr = IP(10, 9, 0, 87);
	uint8_t in[FRAME_MAX], out[2048];
	size_t len, out_len = sizeof(out);
	struct engine_map_op op;
	struct dx_lease l;
	uint64_t boot;
	int64_t wall;

	(void)state;
	if (skip_reason)
		skip();
	now_pair(&wall, &boot);
	op = upsert_op(30, addr, DX_LEASE_F_DYNAMIC | DX_LEASE_F_UNTRACKED,
		       wall + 100, wall + 1200);
	assert_int_equal(map_load_leases(&obj, &op, 1, wall, boot), 0);
	view_entry(30, &l);
	assert_int_equal(l.flags, DX_LEASE_F_DYNAMIC | DX_LEASE_F_UNTRACKED);
	len = renewal_frame(30, addr, in, sizeof(in));
	assert_int_equal(run_on_dxs0(in, len, out, &out_len), XDP_TX);
	drop_entry(30);
}

/*
 * The map's word for the engine's expiry (lease_view_expiry): the entry's
 * expiry in wall-clock seconds, never earlier than the real one and at
 * most two seconds later; nothing when the entry cannot tell.
 */
static void expiry_read_for_reclaim(void **state)
{
	const uint32_t addr = IP(10, 9, 0, 86);
	int64_t wall, got;
	uint64_t boot;
	uint8_t mac[6];

	(void)state;
	if (skip_reason)
		skip();
	view_mac(31, mac);
	now_pair(&wall, &boot);
	put_entry(31, addr, DX_LEASE_F_DYNAMIC,
		  boot + 100 * SEC_NS + SEC_NS / 2);
	assert_int_equal(
		lease_view_expiry(&OBJ_MAPS, 42, mac, addr, wall, boot, &got),
		0);
	assert_true(got >= wall + 101 && got <= wall + 102);
	put_entry(31, addr, DX_LEASE_F_DYNAMIC, boot - 10 * SEC_NS);
	assert_int_equal(
		lease_view_expiry(&OBJ_MAPS, 42, mac, addr, wall, boot, &got),
		0);
	assert_true(got >= wall - 9 && got <= wall - 8);

	/* Entries that cannot tell when this lease ends. */
	assert_int_equal(lease_view_expiry(&OBJ_MAPS, 42, mac, addr + 1, wall,
					   boot, &got),
			 -ENOENT);
	assert_int_equal(
		lease_view_expiry(&OBJ_MAPS, 43, mac, addr, wall, boot, &got),
		-ENOENT);
	assert_int_equal(
		lease_view_expiry(&NO_MAPS, 42, mac, addr, wall, boot, &got),
		-ENOENT);
	put_entry(31, addr, DX_LEASE_F_RESERVED, boot + 100 * SEC_NS);
	assert_int_equal(
		lease_view_expiry(&OBJ_MAPS, 42, mac, addr, wall, boot, &got),
		-ENOENT);
	put_entry(31, addr, DX_LEASE_F_DYNAMIC | DX_LEASE_F_UNTRACKED,
		  boot + 100 * SEC_NS);
	assert_int_equal(
		lease_view_expiry(&OBJ_MAPS, 42, mac, addr, wall, boot, &got),
		-ENOENT);
	drop_entry(31);
	assert_int_equal(
		lease_view_expiry(&OBJ_MAPS, 42, mac, addr, wall, boot, &got),
		-ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
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
		cmocka_unit_test(rewrite_covers_racing_renewal),
		cmocka_unit_test(untracked_mark_written),
		cmocka_unit_test(expiry_read_for_reclaim),
	};

	return cmocka_run_group_tests_name("map_sync_expiry", tests,
					   group_setup_synced, group_teardown);
}
