// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Leases loaded from the database at start-up (engine_load.c,
 * docs/design.md §2): each state's effect on the pools, the durable
 * horizon of an ACTIVE row, and the lease-map operation that tells XDP
 * whether it may keep renewing it.
 */
#include "engine_fixture.h"

static void test_loaded_lease_within_horizon_not_offered(void **state)
{
	struct fx *f = *state;
	struct dx_lease_rec rec = {.subnet_id = 1,
				   .addr = IP(10, 0, 0, 10),
				   .mac = {2, 0, 0, 0, 0, 0x77},
				   .state = DX_LEASE_ACTIVE,
				   .expires = T0 - 100,	 /* past */
				   .horizon = T0 + 500}; /* not yet */
	struct engine_map_op m;

	assert_int_equal(engine_load_lease(f->e, &rec, T0, &m), 0);
	assert_int_equal(m.kind, ENGINE_MAP_UPSERT);
	assert_int_equal(m.addr, IP(10, 0, 0, 10));
	assert_int_equal(m.horizon, T0 + 500);
	/* Expiry does not reclaim it before its horizon. */
	assert_int_equal(expire(f, T0 + 1, NULL, NULL, NULL, NULL), 0);
	/* Nobody else gets it, even asking for it. */
	struct rq q = {
		.type = DHCPDISCOVER, .mac = 1, .reqip = IP(10, 0, 0, 10)};
	run(f, &q, T0 + 1);
	assert_int_not_equal(f->res.reply.yiaddr, IP(10, 0, 0, 10));
	assert_int_equal(select_addr(f, 2, IP(10, 0, 0, 10), T0 + 1), DHCPNAK);
	for (uint8_t m2 = 3; m2 < 12; m2++) {
		uint32_t a = discover(f, m2, T0 + 1);

		assert_int_not_equal(a, IP(10, 0, 0, 10));
	}
	/* Its owner gets it back. */
	assert_int_equal(discover(f, 0x77, T0 + 1), IP(10, 0, 0, 10));
	/* After the horizon it is reclaimed like any lease. */
	size_t n_ops;
	struct dx_lease_op ops[64];
	expire(f, T0 + 501, ops, NULL, &n_ops, NULL);
	assert_int_equal(n_ops, 1);
	assert_int_equal(ops[0].rec.addr, IP(10, 0, 0, 10));
	assert_int_equal(ops[0].rec.state, DX_LEASE_EXPIRED);
}

static void test_load_declined_until_expires(void **state)
{
	struct fx *f = *state;
	struct dx_lease_rec rec = {.subnet_id = 1,
				   .addr = IP(10, 0, 0, 10),
				   .state = DX_LEASE_DECLINED,
				   .expires = T0 + 100,
				   .horizon = T0 + 100};
	struct rq q = {
		.type = DHCPDISCOVER, .mac = 1, .reqip = IP(10, 0, 0, 10)};

	assert_int_equal(engine_load_lease(f->e, &rec, T0, NULL), 0);
	assert_int_equal(stats(f, 0).declined, 1);
	run(f, &q, T0);
	assert_int_not_equal(f->res.reply.yiaddr, IP(10, 0, 0, 10));
	expire(f, T0 + 101, NULL, NULL, NULL, NULL);
	q.mac = 2;
	run(f, &q, T0 + 102);
	assert_int_equal(f->res.reply.yiaddr, IP(10, 0, 0, 10));
}

static void test_load_sticky_rows(void **state)
{
	struct fx *f = *state;
	struct dx_lease_rec rec = {.subnet_id = 1,
				   .addr = IP(10, 0, 0, 16),
				   .mac = {2, 0, 0, 0, 0, 9},
				   .state = DX_LEASE_RELEASED,
				   .expires = T0 - 10,
				   .horizon = T0 - 10};
	struct engine_map_op m;

	assert_int_equal(engine_load_lease(f->e, &rec, T0, &m), 0);
	assert_int_equal(m.kind, 0); /* nothing for the map */
	assert_int_equal(stats(f, 0).used, 0);
	assert_int_equal(discover(f, 9, T0), IP(10, 0, 0, 16));
	/* Duplicates and strangers are refused. */
	assert_int_equal(engine_load_lease(f->e, &rec, T0, NULL), -EEXIST);
	rec.subnet_id = 42;
	assert_int_equal(engine_load_lease(f->e, &rec, T0, NULL), -ENOENT);
	rec.subnet_id = 1;
	rec.addr = IP(10, 9, 9, 9);
	assert_int_equal(engine_load_lease(f->e, &rec, T0, NULL), -EINVAL);
}

/* A loaded dynamic lease of a client that now has a reservation: its
 * map entry is deleted, not installed (XDP must not renew it). */
static void test_load_lease_of_reserved_client_map_delete(void **state)
{
	struct fx *f = *state;
	struct dx_lease_rec rec = {.subnet_id = 1,
				   .addr = IP(10, 0, 0, 15),
				   .mac = {2, 0, 0, 0, 0, 0xa2},
				   .state = DX_LEASE_ACTIVE,
				   .expires = T0 + 100,
				   .horizon = T0 + 500};
	struct engine_map_op m;

	assert_int_equal(engine_load_lease(f->e, &rec, T0, &m), 0);
	assert_int_equal(m.kind, ENGINE_MAP_DELETE);
	assert_int_equal(m.addr, IP(10, 0, 0, 15));
	rec.addr = IP(10, 0, 0, 16);
	rec.mac[5] = 0x55;
	assert_int_equal(engine_load_lease(f->e, &rec, T0, &m), 0);
	assert_int_equal(m.kind, ENGINE_MAP_UPSERT);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_loaded_lease_within_horizon_not_offered),
		T(test_load_declined_until_expires),
		T(test_load_sticky_rows),
		T(test_load_lease_of_reserved_client_map_delete),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
