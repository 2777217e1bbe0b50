// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Expiry and the durable horizon (engine_expire.c, docs/design.md §2):
 * leases are reclaimed at max(expires, horizon) in bounded batches, and
 * renewals XDP answered on its own move the horizon forward, never back.
 */
#include "engine_fixture.h"

/* ---- expiry ---- */

static void test_expire_waits_for_horizon(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	struct dx_lease_op ops[64];
	struct engine_map_op map[64];
	size_t n_ops, n_map;

	/* Past `expires` but within the horizon (2 x valid): kept. */
	assert_int_equal(expire(f, T0 + VLT + 1, ops, map, &n_ops, &n_map), 0);
	assert_int_equal(stats(f, 0).used, 1);
	/* Kept through the horizon's own second too: the lease map's
	 * horizon may lie up to a second past it (engine_internal.h). */
	assert_int_equal(expire(f, T0 + 2 * VLT, ops, map, &n_ops, &n_map), 0);
	assert_int_equal(engine_next_deadline(f->e), T0 + 2 * VLT + 1);
	struct rq q = {.type = DHCPDISCOVER, .mac = 2, .reqip = a};
	run(f, &q, T0 + 2 * VLT);
	assert_int_not_equal(f->res.reply.yiaddr, a);
	assert_int_equal(f->res.ch.n_ops, 0);
	assert_int_equal(expire(f, T0 + 2 * VLT + 1, ops, map, &n_ops, &n_map),
			 1);
	assert_int_equal(n_ops, 1);
	assert_int_equal(ops[0].kind, DX_LEASE_OP_UPSERT);
	assert_int_equal(ops[0].rec.state, DX_LEASE_EXPIRED);
	assert_int_equal(ops[0].rec.addr, a);
	assert_int_equal(ops[0].rec.mac[5], 1); /* sticky memory */
	assert_int_equal(n_map, 1);
	assert_int_equal(map[0].kind, ENGINE_MAP_DELETE);
	assert_int_equal(map[0].addr, a);
	assert_int_equal(stats(f, 0).used, 1); /* client 2's offer */
	assert_int_equal(stats(f, 0).leases_active, 0);
}

static void test_expire_batch_bounded(void **state)
{
	struct fx *f = *state;
	struct dx_lease_op ops[2];
	struct engine_map_op map[2];
	struct engine_batch b = {.ops = ops, .map = map, .cap = 2};

	for (uint8_t m = 1; m <= 5; m++)
		lease(f, m, T0);
	assert_int_equal(engine_expire(f->e, T0 + 3 * VLT, &b), 2);
	assert_int_equal(b.n_ops, 2);
	b.n_ops = b.n_map = 0;
	assert_int_equal(engine_expire(f->e, T0 + 3 * VLT, &b), 2);
	b.n_ops = b.n_map = 0;
	assert_int_equal(engine_expire(f->e, T0 + 3 * VLT, &b), 1);
	assert_int_equal(stats(f, 0).used, 0);
}

/* ---- deadlines are inclusive ---- */

/*
 * Client 1's lease declined at T0 and the rest of the pool (.10-.19 but
 * the reserved .12) leased: the declined address is the only one left.
 */
static uint32_t decline_last_free(struct fx *f)
{
	uint32_t a = lease(f, 1, T0);
	struct rq q = {.type = DHCPDECLINE, .mac = 1, .reqip = a, .sid = SID};

	assert_int_equal(run(f, &q, T0), ENGINE_SILENT);
	for (uint8_t m = 2; m <= 9; m++)
		lease(f, m, T0);
	assert_int_equal(stats(f, 0).free, 0);
	assert_int_equal(engine_next_deadline(f->e), T0 + PROB);
	return a;
}

/* A probation of PROB seconds ends at T0 + PROB, not a tick later. */
static void test_probation_over_at_deadline(void **state)
{
	struct fx *f = *state;
	uint32_t a = decline_last_free(f);
	struct dx_lease_op ops[64];
	size_t n_ops;

	assert_int_equal(expire(f, T0 + PROB - 1, ops, NULL, &n_ops, NULL), 0);
	assert_int_equal(discover(f, 20, T0 + PROB - 1), 0); /* exhausted */
	assert_int_equal(expire(f, T0 + PROB, ops, NULL, &n_ops, NULL), 1);
	assert_int_equal(n_ops, 1);
	assert_int_equal(ops[0].kind, DX_LEASE_OP_DELETE);
	assert_int_equal(ops[0].rec.addr, a);
	assert_int_equal(discover(f, 20, T0 + PROB), a);
}

/*
 * The same when the daemon's expiry has not run yet: the request ends
 * the probation itself, its row deletion committed with the request.
 */
static void test_probation_over_before_expiry_runs(void **state)
{
	struct fx *f = *state;
	uint32_t a = decline_last_free(f);

	assert_int_equal(discover(f, 20, T0 + PROB - 1), 0);
	assert_int_equal(stats(f, 0).declined, 1);
	assert_int_equal(discover(f, 20, T0 + PROB), a);
	assert_int_equal(f->res.ch.n_ops, 1);
	assert_int_equal(f->res.ch.ops[0].kind, DX_LEASE_OP_DELETE);
	assert_int_equal(f->res.ch.ops[0].rec.addr, a);
	assert_int_equal(stats(f, 0).declined, 0);
	assert_int_equal(expire(f, T0 + PROB, NULL, NULL, NULL, NULL), 0);
}

/* ---- XDP renewal notes ---- */

static void test_note_renewal_extends_horizon(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	static const uint8_t mac[6] = {2, 0, 0, 0, 0, 1};
	struct engine_changes ch;
	int64_t t = T0 + VLT / 2;

	assert_int_equal(engine_note_renewal(f->e, 1, mac, a, t, t + VLT, &ch),
			 0);
	assert_int_equal(ch.n_ops, 1);
	assert_int_equal(ch.ops[0].rec.state, DX_LEASE_ACTIVE);
	assert_int_equal(ch.ops[0].rec.expires, t + VLT);
	assert_int_equal(ch.ops[0].rec.horizon, t + 2 * VLT);
	assert_true(ch.ops[0].rec.flags & DX_LEASE_F_FASTPATH);
	assert_int_equal(ch.n_map, 1);
	assert_int_equal(ch.map[0].horizon, t + 2 * VLT);
	/* The reclaim deadline moved with it. */
	assert_int_equal(expire(f, T0 + 2 * VLT + 1, NULL, NULL, NULL, NULL),
			 0);
	assert_int_equal(engine_next_deadline(f->e), t + 2 * VLT + 1);
}

static void test_note_renewal_refused(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	static const uint8_t other[6] = {2, 0, 0, 0, 0, 2};
	static const uint8_t mac[6] = {2, 0, 0, 0, 0, 1};
	struct engine_changes ch;

	assert_int_equal(
		engine_note_renewal(f->e, 1, other, a, T0, T0 + VLT, &ch),
		-ENOENT);
	assert_int_equal(ch.n_ops, 0);
	assert_int_equal(
		engine_note_renewal(f->e, 1, mac, a + 1, T0, T0 + VLT, &ch),
		-ENOENT);
	assert_int_equal(
		engine_note_renewal(f->e, 9, mac, a, T0, T0 + VLT, &ch),
		-ENOENT);
	/* A released lease is not extended. */
	struct rq q = {.type = DHCPRELEASE, .mac = 1, .ciaddr = a};
	run(f, &q, T0);
	assert_int_equal(
		engine_note_renewal(f->e, 1, mac, a, T0, T0 + VLT, &ch),
		-ENOENT);
}

static void test_horizon_never_moves_back(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	static const uint8_t mac[6] = {2, 0, 0, 0, 0, 1};
	struct engine_changes ch;
	struct rq q = {.type = DHCPREQUEST, .mac = 1, .ciaddr = a};

	/* XDP renewal far ahead pushes the horizon... */
	engine_note_renewal(f->e, 1, mac, a, T0 + 3000, T0 + 3000 + VLT, &ch);
	assert_int_equal(ch.ops[0].rec.horizon, T0 + 3000 + 2 * VLT);
	/* ...a slow-path renewal with an older clock keeps it. */
	run(f, &q, T0 + 10);
	assert_int_equal(f->res.ch.ops[0].rec.horizon, T0 + 3000 + 2 * VLT);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_expire_waits_for_horizon),
		T(test_expire_batch_bounded),
		/* a dry pool waits for the probation: no reclaim */
		cmocka_unit_test_setup_teardown(test_probation_over_at_deadline,
						setup_no_reclaim, teardown),
		cmocka_unit_test_setup_teardown(
			test_probation_over_before_expiry_runs,
			setup_no_reclaim, teardown),
		T(test_note_renewal_extends_horizon),
		T(test_note_renewal_refused),
		T(test_horizon_never_moves_back),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
