/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The fixture of the group commit tests (test_commit_queue_pipeline.c,
 * test_commit_queue_limits.c): a lease database in a temporary folder,
 * a done callback that records what each call saw, lease records and
 * reply frames made up from a number, checks through a second
 * connection that a row is committed, the queue's eventfd, and a thread
 * holding SQLite's write lock so that a batch is provably still in
 * flight (its BEGIN IMMEDIATE waits in the busy handler) while a test
 * looks at the queue.
 *
 * static inline in a header: every .c file of tests/lib is linked into
 * the benchmarks too, which do not link cmocka.
 */
#ifndef DHCPXDP_TEST_COMMITQ_FIXTURE_H
#define DHCPXDP_TEST_COMMITQ_FIXTURE_H

#include <errno.h>
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
	char err[512];
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

static inline void done_cb(void *ctx, struct commit_batch *b)
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

static inline int setup(void **state)
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
	if (lease_db_open_file(f->path, &f->db, err, sizeof(err))) {
		fprintf(stderr, "lease_db_open: %s\n", err);
		return -1;
	}
	/* A hang (a lost wake-up) kills the run instead of stalling it. */
	alarm(WATCHDOG_S);
	*state = f;
	return 0;
}

static inline int rm_one(const char *p, const struct stat *sb, int flag,
			 struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static inline int teardown(void **state)
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

static inline void init_q(struct fixture *f, bool threaded)
{
	assert_int_equal(commitq_init(&f->q, f->db, done_cb, f, threaded), 0);
	/* The threaded tests mean the writer thread: SQLite must allow it. */
	assert_int_equal(f->q.threaded, threaded);
	assert_true(commitq_fd(&f->q) >= 0);
}

static inline void make_rec(struct dx_lease_rec *r, uint32_t addr)
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

static inline void add_op(struct commit_batch *b, int kind, uint32_t addr)
{
	struct dx_lease_op *op = &b->ops[b->n_ops++];

	op->kind = (enum dx_lease_op_kind)kind;
	make_rec(&op->rec, addr);
}

static inline void add_map(struct commit_batch *b, uint32_t addr)
{
	struct engine_map_op *m = &b->map[b->n_map++];

	memset(m, 0, sizeof(*m));
	m->subnet_id = SUBNET;
	m->addr = addr;
}

/* Deterministic frame contents, different per (seed, position). */
static inline void fill_frame(uint8_t *buf, size_t len, unsigned int seed)
{
	size_t j;

	for (j = 0; j < len; j++)
		buf[j] = (uint8_t)(seed * 131 + j * 7 + (j >> 8));
}

/*
 * Look the row up through a second connection: what it sees is
 * committed, not just buffered in the queue's connection.
 */
static inline int other_conn_get(const struct fixture *f, uint32_t addr,
				 struct dx_lease_rec *out)
{
	struct lease_db *db2 = NULL;
	struct dx_lease_rec tmp;
	char err[256] = "";
	int rc;

	rc = lease_db_open_file(f->path, &db2, err, sizeof(err));
	if (rc)
		fail_msg("second lease_db_open = %d: %s", rc, err);
	rc = lease_db_get_by_addr(db2, SUBNET, addr, out ? out : &tmp);
	lease_db_close(db2);
	return rc;
}

static inline void assert_row(const struct fixture *f, uint32_t addr)
{
	struct dx_lease_rec got, want;

	assert_int_equal(other_conn_get(f, addr, &got), 0);
	make_rec(&want, addr);
	assert_memory_equal(got.mac, want.mac, 6);
	assert_int_equal(got.state, DX_LEASE_ACTIVE);
	assert_int_equal(got.expires, want.expires);
	assert_int_equal(got.horizon, want.horizon);
}

static inline void wait_event(const struct fixture *f)
{
	struct pollfd p = {.fd = commitq_fd(&f->q), .events = POLLIN};

	assert_int_equal(poll(&p, 1, EVENT_TIMEOUT_MS), 1);
	assert_true(p.revents & POLLIN);
}

static inline bool event_pending(const struct fixture *f)
{
	struct pollfd p = {.fd = commitq_fd(&f->q), .events = POLLIN};

	return poll(&p, 1, 0) == 1;
}

static inline void stale_wakeup(const struct fixture *f)
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

static inline void *locker_main(void *arg)
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

static inline void locker_start(struct locker *l, const char *path, int hold_ms)
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

static inline void locker_release(struct locker *l)
{
	sem_post(&l->go);
}

static inline void locker_join(struct locker *l)
{
	locker_release(l);
	pthread_join(l->t, NULL);
	sem_destroy(&l->ready);
	sem_destroy(&l->go);
}

#endif
