// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for the engine set back after a failed commit
 * (user/store/lease_rollback.c), on a real engine and database: a grant
 * that never became durable frees its address, a failed renewal, release
 * or re-grant leaves the row the database holds, and the lease-map
 * deletes handed back spare a lease set back live; an address with later
 * changes queued, or under an offer now, is left alone.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "engine_fixture.h"
#include "engine/lease_table.h"
#include "store/lease_db.h"
#include "store/lease_rollback.h"
#include "tmp_dir.h"

struct rb_fx {
	struct fx *f;
	struct lease_db *db;
	char dir[64];
	char path[128];
	struct engine_map_op map_out[ENGINE_MAX_OPS];
};

static int rb_setup(void **state)
{
	struct rb_fx *x = calloc(1, sizeof(*x));
	char err[256] = "";

	if (!x)
		return -1;
	if (tmp_dir_make(x->dir, sizeof(x->dir), "rollback"))
		return -1;
	snprintf(x->path, sizeof(x->path), "%s/leases.sqlite3", x->dir);
	if (lease_db_open_file(x->path, &x->db, err, sizeof(err))) {
		fprintf(stderr, "lease_db_open: %s\n", err);
		return -1;
	}
	x->f = fx_new(base_cfg);
	*state = x;
	return 0;
}

static int rb_teardown(void **state)
{
	struct rb_fx *x = *state;
	void *f = x->f;

	*state = f;
	teardown(state);
	lease_db_close(x->db);
	tmp_dir_remove(x->dir);
	free(x);
	return 0;
}

/* The last request's changes made durable. */
static void commit_last(struct rb_fx *x)
{
	assert_int_equal(lease_db_commit_ops(x->db, x->f->res.ch.ops,
					     x->f->res.ch.n_ops),
			 0);
}

/* The last request's changes failed to commit: roll them back. */
static struct lease_rollback
fail_last(struct rb_fx *x, const struct lease_key *queued, size_t n_queued)
{
	struct lease_rollback rb = {.ops = x->f->res.ch.ops,
				    .n_ops = x->f->res.ch.n_ops,
				    .map = x->f->res.ch.map,
				    .n_map = x->f->res.ch.n_map,
				    .queued = queued,
				    .n_queued = n_queued,
				    .now = T0,
				    .map_out = x->map_out};

	assert_true(rb.n_ops > 0);
	assert_int_equal(lease_rollback(x->f->e, x->db, &rb), 0);
	return rb;
}

static int lookup(struct rb_fx *x, uint32_t a, struct dx_lease_rec *r)
{
	return engine_lease_lookup(x->f->e, 1, a, r);
}

/* A grant no client heard of: the address is free again, used 1 -> 1. */
static void test_failed_grant_frees_address(void **state)
{
	struct rb_fx *x = *state;
	struct lease_rollback rb;
	struct dx_lease_rec r;
	uint32_t a1, a2;

	a1 = lease(x->f, 1, T0);
	commit_last(x);
	assert_int_equal(stats(x->f, 0).used, 1);
	a2 = lease(x->f, 2, T0);
	assert_int_equal(stats(x->f, 0).used, 2);
	rb = fail_last(x, NULL, 0);
	assert_int_equal(rb.restored, 1);
	assert_int_equal(rb.n_map_out, 0); /* the upsert is dropped */
	assert_int_equal(stats(x->f, 0).used, 1);
	assert_int_equal(stats(x->f, 0).leases_active, 1);
	assert_int_equal(lookup(x, a2, &r), -ENOENT);
	assert_int_equal(lookup(x, a1, &r), 0);
	assert_int_equal(r.state, DX_LEASE_ACTIVE);
	/* The client's retry is decided afresh, and may succeed. */
	assert_int_not_equal(lease(x->f, 2, T0 + 5), 0);
	commit_last(x);
	assert_int_equal(stats(x->f, 0).used, 2);
}

/* Many failed grants leave the pool as the database has it. */
static void test_failed_grants_do_not_drain_pool(void **state)
{
	struct rb_fx *x = *state;
	uint8_t mac;

	for (mac = 1; mac <= 30; mac++) {
		assert_int_not_equal(lease(x->f, mac, T0), 0);
		fail_last(x, NULL, 0);
		assert_int_equal(stats(x->f, 0).used, 0);
	}
}

/* A failed renewal: the durable row (its horizon) is what remains. */
static void test_failed_renewal_keeps_row(void **state)
{
	struct rb_fx *x = *state;
	struct lease_rollback rb;
	struct dx_lease_rec r, before;
	uint32_t a = lease(x->f, 1, T0);
	struct rq q = {.type = DHCPREQUEST, .mac = 1, .ciaddr = a};

	commit_last(x);
	assert_int_equal(lookup(x, a, &before), 0);
	assert_int_equal(run(x->f, &q, T0 + 1000), ENGINE_REPLY);
	assert_int_equal(x->f->res.reply.msg_type, DHCPACK);
	assert_int_equal(lookup(x, a, &r), 0);
	assert_true(r.horizon > before.horizon);
	rb = fail_last(x, NULL, 0);
	assert_int_equal(rb.restored, 1);
	assert_int_equal(lookup(x, a, &r), 0);
	assert_int_equal(r.state, DX_LEASE_ACTIVE);
	assert_int_equal(r.horizon, before.horizon);
	assert_int_equal(r.expires, before.expires);
	assert_int_equal(stats(x->f, 0).used, 1);
}

/* Client 1's durable lease, then its RELEASE decided (not committed). */
static uint32_t lease_then_release(struct rb_fx *x)
{
	uint32_t a = lease(x->f, 1, T0);
	struct rq q = {.type = DHCPRELEASE, .mac = 1, .ciaddr = a};

	commit_last(x);
	assert_int_equal(run(x->f, &q, T0 + 10), ENGINE_SILENT);
	assert_int_equal(x->f->res.ch.n_map, 1);
	assert_int_equal(stats(x->f, 0).used, 0);
	return a;
}

/* A failed RELEASE: the lease stays the client's, its map entry too. */
static void test_failed_release_keeps_lease(void **state)
{
	struct rb_fx *x = *state;
	struct lease_rollback rb;
	struct dx_lease_rec r;
	uint32_t a = lease_then_release(x);

	rb = fail_last(x, NULL, 0);
	assert_int_equal(rb.restored, 1);
	assert_int_equal(rb.n_map_out, 0);
	assert_int_equal(lookup(x, a, &r), 0);
	assert_int_equal(r.state, DX_LEASE_ACTIVE);
	assert_int_equal(stats(x->f, 0).used, 1);
	assert_int_equal(stats(x->f, 0).leases_active, 1);
}

/* A sticky row re-granted, failed: the row goes back to EXPIRED. */
static void test_failed_regrant_keeps_sticky_row(void **state)
{
	struct rb_fx *x = *state;
	struct dx_lease_op ops[64];
	struct engine_map_op map[64];
	struct lease_rollback rb;
	struct dx_lease_rec r;
	uint32_t a = lease(x->f, 1, T0);
	size_t n_ops = 0;

	commit_last(x);
	/* Past max(expires, horizon): reclaimed, kept for stickiness. */
	assert_int_equal(expire(x->f, T0 + 3 * VLT, ops, map, &n_ops, NULL), 1);
	assert_int_equal(lease_db_commit_ops(x->db, ops, n_ops), 0);
	assert_int_equal(lease(x->f, 1, T0 + 3 * VLT + 1), a);
	rb = fail_last(x, NULL, 0);
	assert_int_equal(rb.restored, 1);
	assert_int_equal(lookup(x, a, &r), 0);
	assert_int_equal(r.state, DX_LEASE_EXPIRED);
	assert_int_equal(stats(x->f, 0).used, 0);
	/* Still the client's sticky address. */
	assert_int_equal(discover(x->f, 1, T0 + 3 * VLT + 2), a);
}

/* Later changes of the address are queued: left as the engine has it. */
static void test_queued_address_left_alone(void **state)
{
	struct rb_fx *x = *state;
	struct lease_rollback rb;
	struct dx_lease_rec r;
	struct lease_key k[3];
	uint32_t a = lease(x->f, 1, T0);

	k[0] = (struct lease_key){.subnet_id = 1, .addr = a};
	k[1] = (struct lease_key){.subnet_id = 2, .addr = a};
	k[2] = k[0];
	rb = fail_last(x, k, lease_keys_sort(k, 3));
	assert_int_equal(rb.restored, 0);
	assert_int_equal(rb.queued_kept, 1);
	assert_int_equal(lookup(x, a, &r), 0);
	assert_int_equal(r.state, DX_LEASE_ACTIVE);
	assert_int_equal(stats(x->f, 0).used, 1);
}

/*
 * An offer holds the address now: left to lapse; the failed release's
 * map delete is handed back (XDP must not renew what memory let go of).
 */
static void test_offered_address_left_alone(void **state)
{
	struct rb_fx *x = *state;
	struct engine_changes release;
	struct lease_rollback rb;
	struct dx_lease_rec r;
	uint32_t a = lease_then_release(x);

	release = x->f->res.ch;
	/* Before the failure is known, the client asks again. */
	assert_int_equal(discover(x->f, 1, T0 + 11), a);
	x->f->res.ch = release;
	rb = fail_last(x, NULL, 0);
	assert_int_equal(rb.restored, 0);
	assert_int_equal(rb.offered_kept, 1);
	assert_int_equal(lookup(x, a, &r), 0);
	assert_int_equal(r.state, LT_STATE_OFFERED);
	assert_int_equal(rb.n_map_out, 1);
	assert_int_equal(x->map_out[0].kind, ENGINE_MAP_DELETE);
	assert_int_equal(x->map_out[0].addr, a);
}

static void test_keys_sort_and_bad_args(void **state)
{
	struct rb_fx *x = *state;
	struct lease_key k[4] = {{2, 5}, {1, 9}, {2, 5}, {1, 3}};
	struct lease_rollback rb = {.n_ops = 1};

	assert_int_equal(lease_keys_sort(k, 4), 3);
	assert_int_equal(k[0].subnet_id, 1);
	assert_int_equal(k[0].addr, 3);
	assert_int_equal(k[1].addr, 9);
	assert_int_equal(k[2].subnet_id, 2);
	assert_int_equal(lease_keys_sort(NULL, 0), 0);
	assert_int_equal(lease_rollback(x->f->e, x->db, NULL), -EINVAL);
	assert_int_equal(lease_rollback(NULL, x->db, &rb), -EINVAL);
	assert_int_equal(lease_rollback(x->f->e, x->db, &rb), -EINVAL);
	rb.n_ops = 0;
	assert_int_equal(lease_rollback(x->f->e, x->db, &rb), 0);
	assert_int_equal(rb.restored, 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, rb_setup, rb_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_failed_grant_frees_address),
		T(test_failed_grants_do_not_drain_pool),
		T(test_failed_renewal_keeps_row),
		T(test_failed_release_keeps_lease),
		T(test_failed_regrant_keeps_sticky_row),
		T(test_queued_address_left_alone),
		T(test_offered_address_left_alone),
		T(test_keys_sort_and_bad_args),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
