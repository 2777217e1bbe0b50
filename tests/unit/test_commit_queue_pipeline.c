// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for the pipelined group commit (user/store/commit_queue.c),
 * in normal operation: a batch is reported done once, on the owner's
 * thread, only after its lease ops are durable, inline (inside kick) or
 * through the writer thread; the next batch fills while one is in
 * flight; reply frames come back whole; counters alone are work; stale
 * wake-ups never finish a batch twice or early.
 * test_commit_queue_limits.c covers full batches, backpressure, failed
 * commits and fini; the fixture is tests/lib/commitq_fixture.h.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "store/commit_queue.h"
#include "commitq_fixture.h"

/* 1. Inline: the commit happens, and done is called, inside kick. */
static void test_inline_commit_in_kick(void **state)
{
	struct fixture *f = *state;
	struct commit_batch *b;
	uint8_t frame[300];

	init_q(f, false);
	fill_frame(frame, sizeof(frame), 1);
	b = commitq_reserve(&f->q, 2, 1, sizeof(frame));
	assert_non_null(b);
	add_op(b, DX_LEASE_OP_UPSERT, 101);
	add_op(b, DX_LEASE_OP_UPSERT, 102);
	add_map(b, 101);
	commitq_add_reply(b, 7, frame, sizeof(frame));
	assert_int_equal(f->calls, 0);
	assert_false(commitq_idle(&f->q));

	commitq_kick(&f->q);
	assert_int_equal(f->calls, 1);
	assert_ptr_equal(f->call[0].b, b);
	assert_int_equal(f->call[0].ret, 0);
	assert_int_equal(f->call[0].n_ops, 2);
	assert_int_equal(f->call[0].n_map, 1);
	assert_int_equal(f->call[0].first_addr, 101);
	assert_true(pthread_equal(f->call[0].thr, pthread_self()));
	assert_int_equal(f->n_replies, 1);
	assert_int_equal(f->replies[0].len, sizeof(frame));
	assert_int_equal(f->replies[0].if_idx, 7);
	assert_int_equal(f->replies[0].off, 0);
	assert_memory_equal(f->bytes + f->replies[0].off, frame, sizeof(frame));
	assert_true(commitq_idle(&f->q));
	assert_int_equal(f->q.commits, 1);

	assert_row(f, 101);
	assert_row(f, 102);

	/* Nothing left: a drain or another kick reports nothing twice. */
	commitq_drain(&f->q);
	commitq_kick(&f->q);
	commitq_on_event(&f->q);
	assert_int_equal(f->calls, 1);
}

/* 2. Threaded: B fills while A is in flight; done A, then B, here. */
static void test_threaded_pipeline(void **state)
{
	struct fixture *f = *state;
	struct commit_batch *a, *b;
	uint8_t frame[4] = {1, 2, 3, 4};

	init_q(f, true);
	a = commitq_reserve(&f->q, 2, 1, 0);
	assert_non_null(a);
	add_op(a, DX_LEASE_OP_UPSERT, 1);
	add_op(a, DX_LEASE_OP_UPSERT, 2);
	add_map(a, 1);
	commitq_kick(&f->q);
	assert_ptr_equal(f->q.inflight, a);

	b = commitq_reserve(&f->q, 1, 0, sizeof(frame));
	assert_non_null(b);
	assert_ptr_not_equal(b, a);
	add_op(b, DX_LEASE_OP_UPSERT, 3);
	commitq_add_reply(b, 2, frame, sizeof(frame));
	/* A is still in flight: kicking now must not send B. */
	commitq_kick(&f->q);
	assert_ptr_equal(f->q.inflight, a);
	/* Only the owner finishes batches, and it has not yet. */
	assert_int_equal(f->calls, 0);

	wait_event(f);
	commitq_on_event(&f->q);
	assert_int_equal(f->calls, 1);
	assert_ptr_equal(f->call[0].b, a);
	assert_int_equal(f->call[0].ret, 0);
	assert_int_equal(f->call[0].n_ops, 2);
	assert_int_equal(f->call[0].n_map, 1);
	assert_int_equal(f->call[0].first_addr, 1);
	assert_true(pthread_equal(f->call[0].thr, pthread_self()));
	/* A's rows were durable when done was called. */
	assert_row(f, 1);
	assert_row(f, 2);
	/* And B went to the writer at once. */
	assert_ptr_equal(f->q.inflight, b);

	commitq_drain(&f->q);
	assert_int_equal(f->calls, 2);
	assert_ptr_equal(f->call[1].b, b);
	assert_int_equal(f->call[1].ret, 0);
	assert_int_equal(f->call[1].n_ops, 1);
	assert_int_equal(f->call[1].first_addr, 3);
	assert_int_equal(f->call[1].n_replies, 1);
	assert_true(pthread_equal(f->call[1].thr, pthread_self()));
	assert_memory_equal(f->bytes + f->replies[0].off, frame, sizeof(frame));
	assert_row(f, 3);
	assert_true(commitq_idle(&f->q));
	assert_null(f->q.inflight);
	assert_int_equal(f->q.commits, 2);
	assert_int_equal(f->q.max_batch_ops, 2);
}

/* 3. Reply arena: each frame comes back whole, none overlapping. */
static void check_reply_arena(struct fixture *f, bool threaded)
{
	static const size_t sizes[] = {1, 7, 64, 300, 576, 1500, UINT16_MAX, 2};
	const size_t n = sizeof(sizes) / sizeof(sizes[0]);
	static uint8_t frame[UINT16_MAX];
	struct commit_batch *b;
	size_t i, j, total = 0;

	init_q(f, threaded);
	for (i = 0; i < n; i++) {
		b = commitq_reserve(&f->q, 0, 0, sizes[i]);
		assert_non_null(b);
		fill_frame(frame, sizes[i], (unsigned int)i + 1);
		commitq_add_reply(b, (uint16_t)(100 + i), frame, sizes[i]);
		total += sizes[i];
	}
	/* A batch of replies alone still goes through a commit. */
	commitq_kick(&f->q);
	commitq_drain(&f->q);
	assert_int_equal(f->calls, 1);
	assert_int_equal(f->call[0].ret, 0);
	assert_int_equal(f->call[0].n_ops, 0);
	assert_int_equal(f->n_replies, n);
	assert_int_equal(f->n_bytes, total);
	for (i = 0; i < n; i++) {
		const struct commit_reply *r = &f->replies[i];

		assert_int_equal(r->len, sizes[i]);
		assert_int_equal(r->if_idx, 100 + i);
		assert_true((size_t)r->off + r->len <= f->n_bytes);
		fill_frame(frame, sizes[i], (unsigned int)i + 1);
		assert_memory_equal(f->bytes + r->off, frame, sizes[i]);
		for (j = 0; j < i; j++) {
			const struct commit_reply *o = &f->replies[j];

			assert_true(r->off >= o->off + o->len ||
				    o->off >= r->off + r->len);
		}
	}
}

static void test_reply_arena_inline(void **state)
{
	check_reply_arena(*state, false);
}

static void test_reply_arena_threaded(void **state)
{
	check_reply_arena(*state, true);
}

/* Kick with nothing queued does nothing; counters alone are work. */
static void test_kick_empty_and_counters(void **state)
{
	struct fixture *f = *state;
	struct commit_batch *b;

	init_q(f, false);
	commitq_kick(&f->q);
	commitq_drain(&f->q);
	assert_int_equal(f->calls, 0);
	assert_true(commitq_idle(&f->q));

	b = commitq_reserve(&f->q, 0, 0, 0);
	assert_non_null(b);
	b->horizons = 3;
	b->expired = 4;
	assert_false(commitq_idle(&f->q));
	commitq_kick(&f->q);
	assert_int_equal(f->calls, 1);
	assert_int_equal(f->call[0].horizons, 3);
	assert_int_equal(f->call[0].expired, 4);
	/* Reset for reuse. */
	assert_int_equal(b->horizons, 0);
	assert_int_equal(b->expired, 0);
	assert_true(commitq_idle(&f->q));
}

/*
 * 9. A drain consumes the wake-up of the batch it finished: no spurious
 * readiness afterwards, and a stale wake-up never finishes a batch twice
 * or one that is not durable yet.
 */
static void test_stale_event_no_double_done(void **state)
{
	struct fixture *f = *state;
	struct commit_batch *a, *c;
	struct locker lk;

	init_q(f, true);
	a = commitq_reserve(&f->q, 1, 0, 0);
	add_op(a, DX_LEASE_OP_UPSERT, 20);
	commitq_kick(&f->q);
	/* The batch came back, but the owner did not read the eventfd. */
	wait_event(f);
	commitq_drain(&f->q);
	assert_int_equal(f->calls, 1);
	assert_ptr_equal(f->call[0].b, a);
	assert_false(event_pending(f));

	stale_wakeup(f);
	commitq_on_event(&f->q);
	assert_int_equal(f->calls, 1);
	assert_false(event_pending(f));
	assert_true(commitq_idle(&f->q));

	/* A stale wake-up while C waits for the disk must not finish C. */
	locker_start(&lk, f->path, 3000);
	c = commitq_reserve(&f->q, 1, 0, 0);
	add_op(c, DX_LEASE_OP_UPSERT, 21);
	commitq_kick(&f->q);
	stale_wakeup(f);
	commitq_on_event(&f->q);
	assert_int_equal(f->calls, 1);
	assert_ptr_equal(f->q.inflight, c);
	assert_int_equal(other_conn_get(f, 21, NULL), -ENOENT);

	locker_release(&lk);
	wait_event(f);
	commitq_on_event(&f->q);
	assert_int_equal(f->calls, 2);
	assert_ptr_equal(f->call[1].b, c);
	assert_int_equal(f->call[1].ret, 0);
	assert_row(f, 21);
	locker_join(&lk);

	/* And once more, stale after on_event: nothing. */
	stale_wakeup(f);
	commitq_on_event(&f->q);
	commitq_drain(&f->q);
	assert_int_equal(f->calls, 2);
	assert_true(commitq_idle(&f->q));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_inline_commit_in_kick,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_threaded_pipeline, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_reply_arena_inline, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_reply_arena_threaded,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_kick_empty_and_counters,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_event_no_double_done,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
