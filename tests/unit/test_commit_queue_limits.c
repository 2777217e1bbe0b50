// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for the group commit (user/store/commit_queue.c) at its
 * limits and ends: a full batch waits for the one in flight
 * (backpressure) or is sent by the reserve that needs room; a request
 * larger than a whole batch is refused with nothing changed; a failed
 * commit (bad op, or SQLite's own error) is reported and the queue goes
 * on; fini finishes what was queued or in flight; a zeroed queue and bad
 * arguments are harmless.
 * test_commit_queue_pipeline.c covers normal operation; the fixture is
 * tests/lib/commitq_fixture.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "store/commit_queue.h"
#include "commitq_fixture.h"

/*
 * 4. Backpressure: with the open batch full of replies and A in flight,
 * reserve waits for A (done inside the call), sends the full batch and
 * returns an empty one.
 */
static void test_backpressure_waits_for_inflight(void **state)
{
	struct fixture *f = *state;
	struct commit_batch *a, *b = NULL, *c, *full;
	struct locker lk;
	uint8_t frame[8];
	size_t i;

	init_q(f, true);
	/* A's commit cannot finish before the lock goes (200 ms). */
	locker_start(&lk, f->path, 200);
	a = commitq_reserve(&f->q, 1, 0, 0);
	assert_non_null(a);
	add_op(a, DX_LEASE_OP_UPSERT, 10);
	commitq_kick(&f->q);
	assert_ptr_equal(f->q.inflight, a);

	for (i = 0; i < COMMITQ_REPLIES; i++) {
		b = commitq_reserve(&f->q, 0, 0, sizeof(frame));
		assert_non_null(b);
		assert_ptr_not_equal(b, a);
		fill_frame(frame, sizeof(frame), (unsigned int)i);
		commitq_add_reply(b, (uint16_t)i, frame, sizeof(frame));
	}
	full = b;
	assert_int_equal(full->n_replies, COMMITQ_REPLIES);
	assert_int_equal(f->calls, 0);

	c = commitq_reserve(&f->q, 0, 0, sizeof(frame));
	assert_non_null(c);
	/* It blocked until A was done, which needed the lock gone. */
	assert_int_equal(f->calls, 1);
	assert_ptr_equal(f->call[0].b, a);
	assert_int_equal(f->call[0].ret, 0);
	assert_true(atomic_load(&lk.released));
	assert_row(f, 10);
	/* An empty batch; the full one is in flight now. */
	assert_ptr_not_equal(c, full);
	assert_int_equal(c->n_ops, 0);
	assert_int_equal(c->n_map, 0);
	assert_int_equal(c->n_replies, 0);
	assert_int_equal(c->n_bytes, 0);
	assert_ptr_equal(f->q.inflight, full);
	locker_join(&lk);

	commitq_add_reply(c, 9, frame, sizeof(frame));
	commitq_drain(&f->q);
	assert_int_equal(f->calls, 3);
	assert_ptr_equal(f->call[1].b, full);
	assert_int_equal(f->call[1].n_replies, COMMITQ_REPLIES);
	assert_ptr_equal(f->call[2].b, c);
	assert_int_equal(f->call[2].n_replies, 1);
	assert_true(commitq_idle(&f->q));
}

/* 5. A request larger than a whole batch: NULL, nothing changed. */
static void test_oversize_reserve_rejected(void **state)
{
	struct fixture *f = *state;
	struct commit_batch *a, *b, *open, *inflight;
	uint8_t frame[10] = {0};
	size_t n_ops, n_map, n_replies, n_bytes;
	struct locker lk;

	init_q(f, true);
	/* Keep A in flight, so a wrong wait or submit would show. */
	locker_start(&lk, f->path, 3000);
	a = commitq_reserve(&f->q, 1, 0, 0);
	add_op(a, DX_LEASE_OP_UPSERT, 50);
	commitq_kick(&f->q);
	b = commitq_reserve(&f->q, 1, 1, sizeof(frame));
	add_op(b, DX_LEASE_OP_UPSERT, 51);
	add_map(b, 51);
	commitq_add_reply(b, 1, frame, sizeof(frame));

	open = f->q.open;
	inflight = f->q.inflight;
	n_ops = b->n_ops;
	n_map = b->n_map;
	n_replies = b->n_replies;
	n_bytes = b->n_bytes;

	assert_null(commitq_reserve(&f->q, COMMITQ_OPS + 1, 0, 0));
	assert_null(commitq_reserve(&f->q, 0, COMMITQ_OPS + 1, 0));
	assert_null(commitq_reserve(&f->q, 0, 0, COMMITQ_BYTES + 1));
	/* commit_reply.len is 16 bits: a longer frame cannot be queued. */
	assert_null(commitq_reserve(&f->q, 0, 0, (size_t)UINT16_MAX + 1));
	assert_null(commitq_reserve(&f->q, SIZE_MAX, SIZE_MAX, SIZE_MAX));

	assert_ptr_equal(f->q.open, open);
	assert_ptr_equal(f->q.inflight, inflight);
	assert_int_equal(b->n_ops, n_ops);
	assert_int_equal(b->n_map, n_map);
	assert_int_equal(b->n_replies, n_replies);
	assert_int_equal(b->n_bytes, n_bytes);
	assert_int_equal(f->calls, 0);
	assert_false(atomic_load(&lk.released));

	locker_join(&lk);
	commitq_drain(&f->q);
	assert_int_equal(f->calls, 2);
	assert_int_equal(f->call[1].n_ops, 1);
	assert_int_equal(f->call[1].n_map, 1);
	assert_int_equal(f->call[1].n_replies, 1);
}

/* A full batch (ops or bytes) is committed by the reserve that needs room. */
static void test_inline_full_batch_sent_by_reserve(void **state)
{
	struct fixture *f = *state;
	static uint8_t frame[UINT16_MAX];
	struct commit_batch *b = NULL;
	size_t i, fit = COMMITQ_BYTES / UINT16_MAX;

	init_q(f, false);
	for (i = 0; i < COMMITQ_OPS; i++) {
		b = commitq_reserve(&f->q, 1, 1, 0);
		assert_non_null(b);
		add_op(b, DX_LEASE_OP_UPSERT, (uint32_t)(1000 + i));
		add_map(b, (uint32_t)(1000 + i));
	}
	assert_int_equal(f->calls, 0);
	b = commitq_reserve(&f->q, 1, 0, 0);
	assert_non_null(b);
	assert_int_equal(f->calls, 1);
	assert_int_equal(f->call[0].ret, 0);
	assert_int_equal(f->call[0].n_ops, COMMITQ_OPS);
	assert_int_equal(f->call[0].n_map, COMMITQ_OPS);
	assert_int_equal(b->n_ops, 0);
	assert_row(f, 1000);
	assert_row(f, 1000 + COMMITQ_OPS - 1);

	/* Bytes: as many maximal frames as fit, then one more. */
	for (i = 0; i < fit; i++) {
		b = commitq_reserve(&f->q, 0, 0, sizeof(frame));
		assert_non_null(b);
		commitq_add_reply(b, 1, frame, sizeof(frame));
	}
	/* Exactly full still fits... */
	b = commitq_reserve(&f->q, 0, 0, COMMITQ_BYTES - fit * sizeof(frame));
	assert_non_null(b);
	commitq_add_reply(b, 1, frame, COMMITQ_BYTES - fit * sizeof(frame));
	assert_int_equal(b->n_bytes, COMMITQ_BYTES);
	assert_int_equal(f->calls, 1);
	/* ...one byte more does not. */
	b = commitq_reserve(&f->q, 0, 0, 1);
	assert_non_null(b);
	assert_int_equal(f->calls, 2);
	assert_int_equal(f->call[1].n_replies, fit + 1);
	assert_int_equal(f->call[1].n_bytes, COMMITQ_BYTES);
	assert_int_equal(b->n_bytes, 0);

	/* A whole batch's worth fits an empty batch. */
	b = commitq_reserve(&f->q, 1, 0, 0);
	add_op(b, DX_LEASE_OP_UPSERT, 5);
	b = commitq_reserve(&f->q, COMMITQ_OPS, 0, 0);
	assert_non_null(b);
	assert_int_equal(f->calls, 3);
	assert_int_equal(b->n_ops, 0);
}

/* 6. A failed commit is reported; the queue goes on working. */
static void check_failure(struct fixture *f, bool threaded)
{
	struct commit_batch *a, *b, *c;

	init_q(f, threaded);
	a = commitq_reserve(&f->q, 2, 0, 0);
	add_op(a, DX_LEASE_OP_UPSERT, 40);
	add_op(a, 99, 41);
	commitq_kick(&f->q);
	commitq_drain(&f->q);
	assert_int_equal(f->calls, 1);
	assert_ptr_equal(f->call[0].b, a);
	assert_int_equal(f->call[0].ret, -EINVAL);
	assert_int_equal(other_conn_get(f, 40, NULL), -ENOENT);
	assert_int_equal(other_conn_get(f, 41, NULL), -ENOENT);

	b = commitq_reserve(&f->q, 1, 0, 0);
	add_op(b, DX_LEASE_OP_UPSERT, 42);
	commitq_kick(&f->q);
	if (threaded) {
		wait_event(f);
		commitq_on_event(&f->q);
	}
	assert_int_equal(f->calls, 2);
	assert_int_equal(f->call[1].ret, 0);
	assert_row(f, 42);

	/* The failed batch's storage, reused: no stale error. */
	c = commitq_reserve(&f->q, 1, 0, 0);
	assert_ptr_equal(c, a);
	assert_int_equal(c->ret, 0);
	add_op(c, DX_LEASE_OP_UPSERT, 43);
	commitq_kick(&f->q);
	commitq_drain(&f->q);
	assert_int_equal(f->calls, 3);
	assert_ptr_equal(f->call[2].b, a);
	assert_int_equal(f->call[2].ret, 0);
	assert_string_equal(f->call[2].err, "");
	assert_row(f, 43);
	assert_true(commitq_idle(&f->q));
}

static void test_failure_threaded(void **state)
{
	check_failure(*state, true);
}

static void test_failure_inline(void **state)
{
	check_failure(*state, false);
}

/*
 * A failure inside SQLite (a trigger aborting one insert): the batch is
 * reported with SQLite's message, nothing of it is written, and the
 * batch storage comes back clean for the next one.
 */
static void test_sqlite_failure_message(void **state)
{
	struct fixture *f = *state;
	struct commit_batch *a, *b, *c;
	sqlite3 *h;

	assert_int_equal(sqlite3_open(f->path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h,
				      "CREATE TRIGGER boom BEFORE INSERT ON"
				      " lease4 WHEN NEW.addr = 81 BEGIN"
				      " SELECT RAISE(ABORT, 'boom81'); END",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(h);

	init_q(f, true);
	a = commitq_reserve(&f->q, 2, 0, 0);
	add_op(a, DX_LEASE_OP_UPSERT, 80);
	add_op(a, DX_LEASE_OP_UPSERT, 81);
	commitq_kick(&f->q);
	wait_event(f);
	commitq_on_event(&f->q);
	assert_int_equal(f->calls, 1);
	assert_ptr_equal(f->call[0].b, a);
	assert_true(f->call[0].ret < 0);
	assert_non_null(strstr(f->call[0].err, "boom81"));
	assert_int_equal(other_conn_get(f, 80, NULL), -ENOENT);

	b = commitq_reserve(&f->q, 1, 0, 0);
	add_op(b, DX_LEASE_OP_UPSERT, 82);
	commitq_kick(&f->q);
	commitq_drain(&f->q);
	c = commitq_reserve(&f->q, 1, 0, 0);
	assert_ptr_equal(c, a);
	add_op(c, DX_LEASE_OP_UPSERT, 83);
	commitq_kick(&f->q);
	commitq_drain(&f->q);
	assert_int_equal(f->calls, 3);
	assert_int_equal(f->call[1].ret, 0);
	assert_string_equal(f->call[1].err, "");
	assert_ptr_equal(f->call[2].b, a);
	assert_int_equal(f->call[2].ret, 0);
	assert_string_equal(f->call[2].err, "");
	assert_row(f, 82);
	assert_row(f, 83);
}

/* 7. fini finishes what was queued, kicked or not. */
static void test_fini_drains_unkicked(void **state)
{
	struct fixture *f = *state;
	struct commit_batch *b;
	uint8_t frame[4] = {9, 8, 7, 6};

	init_q(f, true);
	b = commitq_reserve(&f->q, 2, 0, sizeof(frame));
	add_op(b, DX_LEASE_OP_UPSERT, 60);
	add_op(b, DX_LEASE_OP_UPSERT, 61);
	commitq_add_reply(b, 3, frame, sizeof(frame));
	commitq_fini(&f->q);
	assert_int_equal(f->calls, 1);
	assert_int_equal(f->call[0].ret, 0);
	assert_int_equal(f->call[0].n_ops, 2);
	assert_int_equal(f->call[0].n_replies, 1);
	assert_true(pthread_equal(f->call[0].thr, pthread_self()));
	assert_memory_equal(f->bytes + f->replies[0].off, frame, sizeof(frame));
	assert_row(f, 60);
	assert_row(f, 61);
	/* A second fini is harmless. */
	commitq_fini(&f->q);
	assert_int_equal(f->calls, 1);
}

static void test_fini_drains_inflight_and_open(void **state)
{
	struct fixture *f = *state;
	struct commit_batch *a, *b;

	init_q(f, true);
	a = commitq_reserve(&f->q, 1, 0, 0);
	add_op(a, DX_LEASE_OP_UPSERT, 70);
	commitq_kick(&f->q);
	b = commitq_reserve(&f->q, 1, 0, 0);
	add_op(b, DX_LEASE_OP_UPSERT, 71);
	commitq_fini(&f->q);
	assert_int_equal(f->calls, 2);
	assert_ptr_equal(f->call[0].b, a);
	assert_int_equal(f->call[0].first_addr, 70);
	assert_ptr_equal(f->call[1].b, b);
	assert_int_equal(f->call[1].first_addr, 71);
	assert_row(f, 70);
	assert_row(f, 71);
}

/* 8. Zeroed queue and bad arguments. */
static void test_zeroed_and_bad_args(void **state)
{
	struct fixture *f = *state;
	struct commit_queue z;

	int fd0 = fcntl(0, F_GETFD);

	memset(&z, 0, sizeof(z));
	commitq_drain(&z);
	commitq_fini(&z);
	/* A zeroed queue's efd is 0: fini must not close stdin. */
	if (fd0 != -1)
		assert_int_not_equal(fcntl(0, F_GETFD), -1);
	commitq_fini(NULL);
	commitq_drain(NULL);
	assert_int_equal(commitq_fd(NULL), -1);

	assert_int_equal(commitq_init(&z, NULL, done_cb, f, true), -EINVAL);
	assert_int_equal(commitq_init(&z, f->db, NULL, f, true), -EINVAL);
	assert_int_equal(commitq_init(NULL, f->db, done_cb, f, true), -EINVAL);
	commitq_fini(&z);
	assert_int_equal(f->calls, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_backpressure_waits_for_inflight, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oversize_reserve_rejected,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_inline_full_batch_sent_by_reserve, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_failure_threaded, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_failure_inline, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sqlite_failure_message,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_fini_drains_unkicked,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_fini_drains_inflight_and_open, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zeroed_and_bad_args, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
