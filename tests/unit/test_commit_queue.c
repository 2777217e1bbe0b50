// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for the pipelined group commit (user/store/commit_queue.c): a batch
 * is reported done once, on the owner's thread, only after its lease ops
 * are durable; the next batch fills while one is in flight; a full batch
 * waits for the one in flight (backpressure).
 *
 * Some tests hold SQLite's write lock from another connection so that a
 * batch is provably still in flight (its BEGIN IMMEDIATE waits in the
 * busy handler) while the test looks at the queue.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "store/commit_queue.h"
#include "store/lease_db.h"

#define SUBNET		 7
#define MAX_CALLS	 16
#define EVENT_TIMEOUT_MS 5000
#define WATCHDOG_S	 20

/* What the done callback saw, per call. */
struct call {
	struct commit_batch *b;
	int ret;
	char err[160];
	size_t n_ops, n_map, n_replies, n_bytes;
	uint32_t first_addr;
	uint64_t horizons, expired;
	pthread_t thr;
};

struct fixture {
	char dir[64];
	char path[128];
	struct lease_db *db;
	struct commit_queue q;
	int calls;
	struct call call[MAX_CALLS];
	/* The replies of the last batch reported done, copied out. */
	struct commit_reply *replies;
	size_t n_replies, n_bytes;
	uint8_t *bytes;
};

static void done_cb(void *ctx, struct commit_batch *b)
{
	struct fixture *f = ctx;
	struct call *c;

	if (f->calls < MAX_CALLS) {
		c = &f->call[f->calls];
		c->b = b;
		c->ret = b->ret;
		memcpy(c->err, b->err, sizeof(c->err));
		c->n_ops = b->n_ops;
		c->n_map = b->n_map;
		c->n_replies = b->n_replies;
		c->n_bytes = b->n_bytes;
		c->first_addr = b->n_ops ? b->ops[0].rec.addr : 0;
		c->horizons = b->horizons;
		c->expired = b->expired;
		c->thr = pthread_self();
	}
	f->calls++;
	/* The batch is reset after this returns: keep the replies. */
	f->n_replies = b->n_replies;
	f->n_bytes = b->n_bytes;
	memcpy(f->replies, b->replies, b->n_replies * sizeof(*b->replies));
	memcpy(f->bytes, b->bytes, b->n_bytes);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256] = "";

	if (!f)
		return -1;
	f->replies = calloc(COMMITQ_REPLIES, sizeof(*f->replies));
	f->bytes = calloc(1, COMMITQ_BYTES);
	if (!f->replies || !f->bytes)
		return -1;
	strcpy(f->dir, "/tmp/dx_commitq_XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/leases.sqlite3", f->dir);
	if (lease_db_open(f->path, &f->db, err, sizeof(err))) {
		fprintf(stderr, "lease_db_open: %s\n", err);
		return -1;
	}
	/* A hang (a lost wake-up) kills the run instead of stalling it. */
	alarm(WATCHDOG_S);
	*state = f;
	return 0;
}

static int rm_one(const char *p, const struct stat *sb, int flag,
		  struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	/* Safe on a zeroed or already finished queue. */
	commitq_fini(&f->q);
	alarm(0);
	lease_db_close(f->db);
	nftw(f->dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
	free(f->replies);
	free(f->bytes);
	free(f);
	return 0;
}

static void init_q(struct fixture *f, bool threaded)
{
	assert_int_equal(commitq_init(&f->q, f->db, done_cb, f, threaded), 0);
	/* The threaded tests mean the writer thread: SQLite must allow it. */
	assert_int_equal(f->q.threaded, threaded);
	assert_true(commitq_fd(&f->q) >= 0);
}

static void make_rec(struct dx_lease_rec *r, uint32_t addr)
{
	static const uint8_t mac[6] = {0x02, 0x00, 0x5e, 0x10, 0x20, 0};

	memset(r, 0, sizeof(*r));
	r->subnet_id = SUBNET;
	r->addr = addr;
	memcpy(r->mac, mac, 6);
	r->mac[4] = (uint8_t)(addr >> 8);
	r->mac[5] = (uint8_t)addr;
	r->state = DX_LEASE_ACTIVE;
	r->expires = 1700000000 + addr;
	r->horizon = r->expires + 3600;
	r->last_seen = 1699990000 + addr;
}

static void add_op(struct commit_batch *b, int kind, uint32_t addr)
{
	struct dx_lease_op *op = &b->ops[b->n_ops++];

	op->kind = (enum dx_lease_op_kind)kind;
	make_rec(&op->rec, addr);
}

static void add_map(struct commit_batch *b, uint32_t addr)
{
	struct engine_map_op *m = &b->map[b->n_map++];

	memset(m, 0, sizeof(*m));
	m->subnet_id = SUBNET;
	m->addr = addr;
}

/* Deterministic frame contents, different per (seed, position). */
static void fill_frame(uint8_t *buf, size_t len, unsigned int seed)
{
	size_t j;

	for (j = 0; j < len; j++)
		buf[j] = (uint8_t)(seed * 131 + j * 7 + (j >> 8));
}

/*
 * Look the row up through a second connection: what it sees is
 * committed, not just buffered in the queue's connection.
 */
static int other_conn_get(const struct fixture *f, uint32_t addr,
			  struct dx_lease_rec *out)
{
	struct lease_db *db2 = NULL;
	struct dx_lease_rec tmp;
	char err[256] = "";
	int rc;

	rc = lease_db_open(f->path, &db2, err, sizeof(err));
	if (rc)
		fail_msg("second lease_db_open = %d: %s", rc, err);
	rc = lease_db_get_by_addr(db2, SUBNET, addr, out ? out : &tmp);
	lease_db_close(db2);
	return rc;
}

static void assert_row(const struct fixture *f, uint32_t addr)
{
	struct dx_lease_rec got, want;

	assert_int_equal(other_conn_get(f, addr, &got), 0);
	make_rec(&want, addr);
	assert_memory_equal(got.mac, want.mac, 6);
	assert_int_equal(got.state, DX_LEASE_ACTIVE);
	assert_int_equal(got.expires, want.expires);
	assert_int_equal(got.horizon, want.horizon);
}

static void wait_event(const struct fixture *f)
{
	struct pollfd p = {.fd = commitq_fd(&f->q), .events = POLLIN};

	assert_int_equal(poll(&p, 1, EVENT_TIMEOUT_MS), 1);
	assert_true(p.revents & POLLIN);
}

static bool event_pending(const struct fixture *f)
{
	struct pollfd p = {.fd = commitq_fd(&f->q), .events = POLLIN};

	return poll(&p, 1, 0) == 1;
}

static void stale_wakeup(const struct fixture *f)
{
	uint64_t one = 1;

	assert_int_equal(write(commitq_fd(&f->q), &one, sizeof(one)),
			 sizeof(one));
}

/*
 * Holds SQLite's write lock (BEGIN IMMEDIATE on its own connection) until
 * released or hold_ms passed, so the writer's commit waits for it.
 */
struct locker {
	const char *path;
	int hold_ms;
	sem_t ready, go;
	atomic_bool released;
	int rc;
	pthread_t t;
};

static void *locker_main(void *arg)
{
	struct locker *l = arg;
	struct timespec ts;
	sqlite3 *h = NULL;

	l->rc = sqlite3_open(l->path, &h);
	if (l->rc == SQLITE_OK)
		l->rc = sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	sem_post(&l->ready);
	if (l->rc == SQLITE_OK) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += l->hold_ms / 1000;
		ts.tv_nsec += (long)(l->hold_ms % 1000) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		while (sem_timedwait(&l->go, &ts) && errno == EINTR)
			;
	}
	/* Set before the lock goes: whoever got it saw this first. */
	atomic_store(&l->released, true);
	if (l->rc == SQLITE_OK)
		sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(h);
	return NULL;
}

static void locker_start(struct locker *l, const char *path, int hold_ms)
{
	memset(l, 0, sizeof(*l));
	l->path = path;
	l->hold_ms = hold_ms;
	assert_int_equal(sem_init(&l->ready, 0, 0), 0);
	assert_int_equal(sem_init(&l->go, 0, 0), 0);
	atomic_init(&l->released, false);
	assert_int_equal(pthread_create(&l->t, NULL, locker_main, l), 0);
	while (sem_wait(&l->ready) && errno == EINTR)
		;
	assert_int_equal(l->rc, SQLITE_OK);
}

static void locker_release(struct locker *l)
{
	sem_post(&l->go);
}

static void locker_join(struct locker *l)
{
	locker_release(l);
	pthread_join(l->t, NULL);
	sem_destroy(&l->ready);
	sem_destroy(&l->go);
}

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
		cmocka_unit_test_setup_teardown(
			test_backpressure_waits_for_inflight, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oversize_reserve_rejected,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_inline_full_batch_sent_by_reserve, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_kick_empty_and_counters,
						setup, teardown),
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
		cmocka_unit_test_setup_teardown(test_stale_event_no_double_done,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
