// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Expiry and the durable horizon (engine_expire.c, docs/design.md §2):
 * leases are reclaimed at the later of their expiry and the lease map's
 * plus a grace, at max(expires, horizon) when the map cannot tell, in
 * bounded batches; renewals XDP answered on its own move the horizon
 * forward, never back.
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

/* ---- the lease map's word (engine_map_reader) ---- */

/* A lease map that holds one answer, and counts the questions. */
struct fake_map {
	int ret;
	int64_t expires;
	int calls;
	uint32_t subnet_id, addr;
	uint8_t mac[6];
};

static int fake_expiry(void *arg, uint32_t subnet_id, const uint8_t mac[6],
		       uint32_t addr, int64_t *expires)
{
	struct fake_map *m = arg;

	m->calls++;
	m->subnet_id = subnet_id;
	m->addr = addr;
	memcpy(m->mac, mac, 6);
	if (!m->ret)
		*expires = m->expires;
	return m->ret;
}

/* engine_expire() with room for 64 changes, asking m. */
static int expire_map(struct fx *f, int64_t now, struct fake_map *m,
		      struct dx_lease_op *ops, struct engine_map_op *map,
		      size_t *n_ops)
{
	struct engine_map_reader mr = {.expiry = fake_expiry, .arg = m};
	struct engine_batch b = {.ops = ops, .map = map, .cap = 64};
	int n = engine_expire(f->e, now, &mr, &b);

	assert_true(n >= 0);
	*n_ops = b.n_ops;
	assert_int_equal(b.n_map, b.n_ops);
	return n;
}

static int64_t expires_of(struct fx *f, uint32_t a)
{
	struct dx_lease_rec r;

	assert_int_equal(engine_lease_lookup(f->e, 1, a, &r), 0);
	return r.expires;
}

/* The lease's row EXPIRED and its entry deleted, in ops/map[0]. */
static void assert_reclaimed(const struct dx_lease_op *ops,
			     const struct engine_map_op *map, size_t n_ops,
			     uint32_t a)
{
	assert_int_equal(n_ops, 1);
	assert_int_equal(ops[0].rec.state, DX_LEASE_EXPIRED);
	assert_int_equal(ops[0].rec.addr, a);
	assert_int_equal(map[0].kind, ENGINE_MAP_DELETE);
	assert_int_equal(map[0].addr, a);
}

/*
 * XDP renewed the lease 100 s past the row's expiry without telling: the
 * map says so when asked, the lease's expiry moves there, and it is
 * reclaimed ENGINE_MAP_GRACE seconds after that - long before the
 * horizon (T0 + 2 VLT).
 */
static void test_expire_at_map_expiry(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	struct fake_map m = {.expires = T0 + VLT + 100};
	struct dx_lease_op ops[64];
	struct engine_map_op map[64];
	size_t n_ops;
	int64_t end = T0 + VLT + 100 + ENGINE_MAP_GRACE;

	/* The first look: the grace after the row's expiry. */
	assert_int_equal(engine_next_deadline(f->e),
			 T0 + VLT + ENGINE_MAP_GRACE);
	assert_int_equal(expire_map(f, T0 + VLT + ENGINE_MAP_GRACE - 1, &m, ops,
				    map, &n_ops),
			 0);
	assert_int_equal(m.calls, 0);
	assert_int_equal(expire_map(f, T0 + VLT + ENGINE_MAP_GRACE, &m, ops,
				    map, &n_ops),
			 0);
	assert_int_equal(m.calls, 1);
	assert_int_equal(m.subnet_id, 1);
	assert_int_equal(m.addr, a);
	assert_int_equal(m.mac[5], 1);
	assert_int_equal(n_ops, 0);
	assert_int_equal(expires_of(f, a), T0 + VLT + 100);
	assert_int_equal(engine_next_deadline(f->e), end);
	assert_int_equal(stats(f, 0).leases_active, 1);

	assert_int_equal(expire_map(f, end - 1, &m, ops, map, &n_ops), 0);
	assert_int_equal(expire_map(f, end, &m, ops, map, &n_ops), 1);
	assert_int_equal(m.calls, 2);
	assert_reclaimed(ops, map, n_ops, a);
	assert_int_equal(stats(f, 0).leases_active, 0);
	/* The address is free for another client at once. */
	struct rq q = {.type = DHCPDISCOVER, .mac = 2, .reqip = a};
	run(f, &q, end);
	assert_int_equal(f->res.reply.yiaddr, a);
}

/*
 * The map knows of no renewal past the row's expiry (or an earlier one):
 * reclaimed at the row's expiry plus the grace, not a second before.
 */
static void test_expire_at_row_expiry(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	struct fake_map m = {.expires = T0 + VLT - 500};
	struct dx_lease_op ops[64];
	struct engine_map_op map[64];
	size_t n_ops;

	assert_int_equal(expire_map(f, T0 + VLT + ENGINE_MAP_GRACE - 1, &m, ops,
				    map, &n_ops),
			 0);
	assert_int_equal(expire_map(f, T0 + VLT + ENGINE_MAP_GRACE, &m, ops,
				    map, &n_ops),
			 1);
	assert_int_equal(m.calls, 1);
	assert_reclaimed(ops, map, n_ops, a);
	/* The row says when it ended: its expiry, not the map's earlier
	 * one. */
	assert_int_equal(ops[0].rec.expires, T0 + VLT);
}

/* The map cannot tell (no entry, another address, an entry written into
 * a map that lost earlier grants): the lease waits for its horizon, and
 * the map is not asked again. */
static void test_expire_map_cannot_tell(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	struct fake_map m = {.ret = -ENOENT};
	struct dx_lease_op ops[64];
	struct engine_map_op map[64];
	size_t n_ops;

	assert_int_equal(expire_map(f, T0 + VLT + ENGINE_MAP_GRACE, &m, ops,
				    map, &n_ops),
			 0);
	assert_int_equal(m.calls, 1);
	assert_int_equal(expires_of(f, a), T0 + VLT);
	assert_int_equal(engine_next_deadline(f->e), T0 + 2 * VLT + 1);
	assert_int_equal(expire_map(f, T0 + 2 * VLT, &m, ops, map, &n_ops), 0);
	assert_int_equal(expire_map(f, T0 + 2 * VLT + 1, &m, ops, map, &n_ops),
			 1);
	assert_int_equal(m.calls, 1);
	assert_reclaimed(ops, map, n_ops, a);
}

/* A map that says the lease ends even past its horizon (rounded up):
 * reclaimed at the second after max(expires, horizon) all the same. */
static void test_expire_map_past_horizon(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	struct fake_map m = {.expires = T0 + 2 * VLT + 1};
	struct dx_lease_op ops[64];
	struct engine_map_op map[64];
	size_t n_ops;

	assert_int_equal(expire_map(f, T0 + VLT + ENGINE_MAP_GRACE, &m, ops,
				    map, &n_ops),
			 0);
	assert_int_equal(engine_next_deadline(f->e), T0 + 2 * VLT + 2);
	assert_int_equal(expire_map(f, T0 + 2 * VLT + 2, &m, ops, map, &n_ops),
			 1);
	assert_int_equal(m.calls, 1);
	assert_reclaimed(ops, map, n_ops, a);
}

/*
 * A request does not ask the map: a lease due within its horizon is left
 * to the daemon's expiry run, which the walk stops at; what is due after
 * it still ends there.
 */
static void test_request_leaves_lease_to_expiry(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	struct fake_map m = {.expires = T0 + VLT};
	struct dx_lease_op ops[64];
	struct engine_map_op map[64];
	size_t n_ops;
	struct dx_lease_rec r;

	assert_int_not_equal(discover(f, 2, T0 + VLT + ENGINE_MAP_GRACE), a);
	assert_int_equal(f->res.ch.n_ops, 0);
	assert_int_equal(engine_lease_lookup(f->e, 1, a, &r), 0);
	assert_int_equal(r.state, DX_LEASE_ACTIVE);
	assert_int_equal(expire_map(f, T0 + VLT + ENGINE_MAP_GRACE, &m, ops,
				    map, &n_ops),
			 1);
	assert_reclaimed(ops, map, n_ops, a);
}

/*
 * After a restart: a row whose expiry passed while the daemon was down,
 * its horizon ahead. On the pinned map whose entry saw every grant, the
 * map's word frees it at once; where the map cannot tell (fresh maps),
 * it waits for the horizon.
 */
static void test_loaded_lease_asks_map(void **state)
{
	struct fx *f = *state;
	const uint32_t a = IP(10, 0, 0, 15), b = IP(10, 0, 0, 16);
	struct dx_lease_rec rec = {.subnet_id = 1,
				   .addr = a,
				   .mac = {2, 0, 0, 0, 0, 7},
				   .state = DX_LEASE_ACTIVE,
				   .expires = T0 - 100,
				   .horizon = T0 + VLT,
				   .last_seen = T0 - VLT};
	struct fake_map tells = {.expires = T0 - 90};
	struct fake_map cannot = {.ret = -ENOENT};
	struct dx_lease_op ops[64];
	struct engine_map_op map[64];
	size_t n_ops;

	assert_int_equal(engine_load_lease(f->e, &rec, T0, NULL), 0);
	rec.addr = b;
	rec.mac[5] = 8;
	assert_int_equal(engine_load_lease(f->e, &rec, T0, NULL), 0);
	assert_int_equal(engine_next_deadline(f->e),
			 T0 - 100 + ENGINE_MAP_GRACE);
	/* The map says both ended 90 s ago: free now, not at the horizon. */
	assert_int_equal(expire_map(f, T0, &tells, ops, map, &n_ops), 2);
	assert_int_equal(n_ops, 2);
	assert_int_equal(stats(f, 0).leases_active, 0);
	/* The same row on an engine whose map cannot tell. */
	teardown(state);
	setup(state);
	f = *state;
	rec.addr = a;
	rec.mac[5] = 7;
	assert_int_equal(engine_load_lease(f->e, &rec, T0, NULL), 0);
	assert_int_equal(expire_map(f, T0, &cannot, ops, map, &n_ops), 0);
	assert_int_equal(engine_next_deadline(f->e), T0 + VLT + 1);
	assert_int_equal(stats(f, 0).leases_active, 1);
}

/* A renewal XDP reported moves the first look to its expiry + grace;
 * the map entry the note writes is rewritten while XDP may renew it. */
static void test_note_renewal_moves_check(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	static const uint8_t mac[6] = {2, 0, 0, 0, 0, 1};
	struct engine_changes ch;
	int64_t t = T0 + VLT / 2;

	assert_int_equal(f->res.ch.map[f->res.ch.n_map - 1].renew_bound, VLT);
	assert_int_equal(engine_note_renewal(f->e, 1, mac, a, t, t + VLT, &ch),
			 0);
	assert_int_equal(ch.map[0].renew_bound, VLT);
	assert_int_equal(engine_next_deadline(f->e),
			 t + VLT + ENGINE_MAP_GRACE);
}

static void test_expire_batch_bounded(void **state)
{
	struct fx *f = *state;
	struct dx_lease_op ops[2];
	struct engine_map_op map[2];
	struct engine_batch b = {.ops = ops, .map = map, .cap = 2};

	for (uint8_t m = 1; m <= 5; m++)
		lease(f, m, T0);
	assert_int_equal(engine_expire(f->e, T0 + 3 * VLT, NULL, &b), 2);
	assert_int_equal(b.n_ops, 2);
	b.n_ops = b.n_map = 0;
	assert_int_equal(engine_expire(f->e, T0 + 3 * VLT, NULL, &b), 2);
	b.n_ops = b.n_map = 0;
	assert_int_equal(engine_expire(f->e, T0 + 3 * VLT, NULL, &b), 1);
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
		T(test_expire_at_map_expiry),
		T(test_expire_at_row_expiry),
		T(test_expire_map_cannot_tell),
		T(test_expire_map_past_horizon),
		T(test_request_leaves_lease_to_expiry),
		T(test_loaded_lease_asks_map),
		T(test_note_renewal_moves_check),
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
