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

/*
 * Load an ACTIVE row of client 02:00:00:00:00:<mac> for `a` (expires
 * T0 + 100, horizon T0 + 500); the kind of lease-map operation it asks for.
 */
static int load_active(struct fx *f, uint32_t a, uint8_t mac)
{
	struct dx_lease_rec rec = {.subnet_id = 1,
				   .addr = a,
				   .mac = {2, 0, 0, 0, 0, mac},
				   .state = DX_LEASE_ACTIVE,
				   .expires = T0 + 100,
				   .horizon = T0 + 500};
	struct engine_map_op m;

	assert_int_equal(engine_load_lease(f->e, &rec, T0, &m), 0);
	assert_int_equal(m.addr, a);
	return m.kind;
}

/* A loaded dynamic lease of a client that now has a reservation: its
 * map entry is deleted, not installed (XDP must not renew it). */
static void test_load_lease_of_reserved_client_map_delete(void **state)
{
	struct fx *f = *state;

	assert_int_equal(load_active(f, IP(10, 0, 0, 15), 0xa2),
			 ENGINE_MAP_DELETE);
	assert_int_equal(load_active(f, IP(10, 0, 0, 16), 0x55),
			 ENGINE_MAP_UPSERT);
}

/* RENEWING (RFC 2131 §4.3.2: ciaddr, no 50/54) of `a` by client `mac`. */
static int renew(struct fx *f, uint8_t mac, uint32_t a, int64_t now)
{
	struct rq q = {.type = DHCPREQUEST, .mac = mac, .ciaddr = a};

	assert_int_equal(run(f, &q, now), ENGINE_REPLY);
	assert_int_equal(f->res.req_state, ENGINE_REQ_RENEWING);
	return f->res.reply.msg_type;
}

/*
 * An ACTIVE row whose address the configuration no longer lets its owner
 * hold - taken out of every pool, or reserved for another client: the
 * engine NAKs the owner's renewals (RFC 2131 §4.3.2, the address is not
 * "available"), so XDP must not go on renewing it either and its map
 * entry goes. The address still stays taken until max(expires, horizon)
 * (docs/design.md §2): nobody else is given it meanwhile.
 */
static void test_load_lease_not_leasable_map_delete(void **state)
{
	struct fx *f = *state;
	struct dx_lease_rec got;
	struct rq q;
	uint32_t a;

	/* (a) In a pool, an ordinary client: XDP may renew it. */
	assert_int_equal(load_active(f, IP(10, 0, 0, 15), 0x71),
			 ENGINE_MAP_UPSERT);

	/* (b) In the subnet but outside every pool, reserved for nobody. */
	assert_int_equal(load_active(f, IP(10, 0, 0, 100), 0x72),
			 ENGINE_MAP_DELETE);
	assert_int_equal(renew(f, 0x72, IP(10, 0, 0, 100), T0 + 10), DHCPNAK);
	/* Not another client's either: INIT-REBOOT of a client we know
	 * (0x71, lease (a)) and SELECTING of one we do not. */
	q = (struct rq){
		.type = DHCPREQUEST, .mac = 0x71, .reqip = IP(10, 0, 0, 100)};
	assert_int_equal(run(f, &q, T0 + 10), ENGINE_REPLY);
	assert_int_equal(f->res.req_state, ENGINE_REQ_INIT_REBOOT);
	assert_int_equal(f->res.reply.msg_type, DHCPNAK);
	assert_int_equal(select_addr(f, 0x74, IP(10, 0, 0, 100), T0 + 10),
			 DHCPNAK);
	/* The NAKs end nothing: the lease holds the address still. */
	assert_int_equal(engine_lease_lookup(f->e, 1, IP(10, 0, 0, 100), &got),
			 0);
	assert_int_equal(got.state, DX_LEASE_ACTIVE);
	assert_int_equal(got.mac[5], 0x72);

	/* (c) Reserved in the configuration for another client (.12: a1). */
	assert_int_equal(load_active(f, IP(10, 0, 0, 12), 0x73),
			 ENGINE_MAP_DELETE);
	assert_int_equal(renew(f, 0x73, IP(10, 0, 0, 12), T0 + 10), DHCPNAK);
	/* The reserved client is served from the pool while the lease's
	 * horizon lasts, before `expires` and after... */
	for (int64_t t = T0 + 20; t < T0 + 500; t += 180) {
		expire(f, t, NULL, NULL, NULL, NULL);
		a = discover(f, 0xa1, t);
		assert_int_not_equal(a, 0);
		assert_int_not_equal(a, IP(10, 0, 0, 12));
	}
	/* ...and gets its reservation once the horizon has passed. */
	expire(f, T0 + 501, NULL, NULL, NULL, NULL);
	assert_int_equal(discover(f, 0xa1, T0 + 502), IP(10, 0, 0, 12));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_loaded_lease_within_horizon_not_offered),
		T(test_load_declined_until_expires),
		T(test_load_sticky_rows),
		T(test_load_lease_of_reserved_client_map_delete),
		T(test_load_lease_not_leasable_map_delete),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
