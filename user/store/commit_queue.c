// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Pipelined group commit: two batches, one filling on the owner's thread,
 * one being made durable by the writer thread. See commit_queue.h.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include "store/commit_queue.h"

static int batch_alloc(struct commit_batch *b)
{
	/* Large zeroed blocks come from mmap: pages cost memory only once
	 * a busy moment has used them. */
	b->ops = calloc(COMMITQ_OPS, sizeof(*b->ops));
	b->map = calloc(COMMITQ_OPS, sizeof(*b->map));
	b->replies = calloc(COMMITQ_REPLIES, sizeof(*b->replies));
	b->bytes = calloc(1, COMMITQ_BYTES);
	b->lost = calloc(COMMITQ_OPS, 1);
	return b->ops && b->map && b->replies && b->bytes && b->lost ? 0
								     : -ENOMEM;
}

static void batch_free(struct commit_batch *b)
{
	free(b->ops);
	free(b->map);
	free(b->replies);
	free(b->bytes);
	free(b->lost);
	memset(b, 0, sizeof(*b));
}

static void batch_reset(struct commit_batch *b)
{
	b->n_ops = b->n_map = b->n_replies = b->n_bytes = 0;
	b->horizons = b->expired = 0;
	b->ret = 0;
	b->n_lost = 0;
	b->err[0] = '\0';
}

static bool batch_empty(const struct commit_batch *b)
{
	return !b->n_ops && !b->n_map && !b->n_replies && !b->horizons &&
	       !b->expired;
}

/* The commit itself, on whichever thread owns the connection now. */
static void batch_commit(struct lease_db *db, struct commit_batch *b)
{
	b->ret = lease_db_commit_claim(db, b->ops, b->n_ops, b->lost);
	for (size_t i = 0; !b->ret && i < b->n_ops; i++)
		b->n_lost += b->lost[i];
	if (b->ret)
		snprintf(b->err, sizeof(b->err), "%s", lease_db_errmsg(db));
}

static void *writer(void *arg)
{
	struct commit_queue *q = arg;
	uint64_t one = 1;

	pthread_mutex_lock(&q->mu);
	for (;;) {
		while (!q->job && !q->quit)
			pthread_cond_wait(&q->cv_job, &q->mu);
		if (!q->job)
			break;
		pthread_mutex_unlock(&q->mu);
		/* q->inflight is not touched by the owner until finished. */
		batch_commit(q->db, q->inflight);
		pthread_mutex_lock(&q->mu);
		q->job = false;
		q->finished = true;
		pthread_cond_signal(&q->cv_done);
		if (write(q->efd, &one, sizeof(one)) < 0) {
			/* The counter cannot overflow here; a failed write
			 * only delays the owner to its next drain. */
		}
	}
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

int commitq_init(struct commit_queue *q, struct lease_db *db,
		 commitq_done_fn done, void *ctx, bool threaded)
{
	sigset_t all, old;
	int ret;

	if (!q || !db || !done)
		return -EINVAL;
	memset(q, 0, sizeof(*q));
	q->efd = -1;
	q->db = db;
	q->done = done;
	q->ctx = ctx;
	/* Set first: commitq_fini() frees what a failure leaves. */
	q->open = &q->batch[0];
	ret = batch_alloc(&q->batch[0]);
	if (!ret)
		ret = batch_alloc(&q->batch[1]);
	if (ret)
		goto fail;
	q->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (q->efd < 0) {
		ret = -errno;
		goto fail;
	}
	/* The connection is handed between threads: the back end says
	 * whether it may be. */
	if (!threaded || !lease_db_thread_safe(db))
		return 0;
	if (pthread_mutex_init(&q->mu, NULL))
		goto fail_nomem;
	if (pthread_cond_init(&q->cv_job, NULL))
		goto fail_mutex;
	if (pthread_cond_init(&q->cv_done, NULL))
		goto fail_cond;
	/* Signals belong to the owner's signalfd, never to the writer. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	ret = -pthread_create(&q->thr, NULL, writer, q);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!ret) {
		q->threaded = true;
		return 0;
	}
	pthread_cond_destroy(&q->cv_done);
fail_cond:
	pthread_cond_destroy(&q->cv_job);
fail_mutex:
	pthread_mutex_destroy(&q->mu);
	goto fail;
fail_nomem:
	ret = -ENOMEM;
fail:
	commitq_fini(q);
	return ret;
}

void commitq_fini(struct commit_queue *q)
{
	if (!q || !q->open)
		return;
	commitq_drain(q);
	if (q->threaded) {
		pthread_mutex_lock(&q->mu);
		q->quit = true;
		pthread_cond_signal(&q->cv_job);
		pthread_mutex_unlock(&q->mu);
		pthread_join(q->thr, NULL);
		pthread_cond_destroy(&q->cv_job);
		pthread_cond_destroy(&q->cv_done);
		pthread_mutex_destroy(&q->mu);
		q->threaded = false;
	}
	if (q->efd >= 0)
		close(q->efd);
	q->efd = -1;
	batch_free(&q->batch[0]);
	batch_free(&q->batch[1]);
	q->open = q->inflight = NULL;
}

int commitq_fd(const struct commit_queue *q)
{
	return q ? q->efd : -1;
}

bool commitq_idle(const struct commit_queue *q)
{
	return !q || !q->open || (!q->inflight && batch_empty(q->open));
}

/* The batch in flight is durable (or failed): let the owner finish it. */
static void finish(struct commit_queue *q)
{
	struct commit_batch *b = q->inflight;

	q->inflight = NULL;
	q->commits++;
	if (b->n_ops > q->max_batch_ops)
		q->max_batch_ops = b->n_ops;
	q->done(q->ctx, b);
	batch_reset(b);
}

/* Block until the writer hands the batch in flight back. */
static void wait_inflight(struct commit_queue *q)
{
	uint64_t v;

	if (!q->inflight)
		return;
	if (q->threaded) {
		pthread_mutex_lock(&q->mu);
		while (!q->finished)
			pthread_cond_wait(&q->cv_done, &q->mu);
		q->finished = false;
		pthread_mutex_unlock(&q->mu);
		/* Consumed here: clear the wake-up so epoll does not spin. */
		if (read(q->efd, &v, sizeof(v)) < 0) {
			/* EAGAIN: already read by commitq_on_event */
		}
	}
	finish(q);
}

static void submit(struct commit_queue *q)
{
	struct commit_batch *b = q->open;

	q->open = b == &q->batch[0] ? &q->batch[1] : &q->batch[0];
	q->inflight = b;
	if (!q->threaded) {
		batch_commit(q->db, b);
		finish(q);
		return;
	}
	pthread_mutex_lock(&q->mu);
	q->job = true;
	pthread_cond_signal(&q->cv_job);
	pthread_mutex_unlock(&q->mu);
}

void commitq_kick(struct commit_queue *q)
{
	if (q && q->open && !q->inflight && !batch_empty(q->open))
		submit(q);
}

void commitq_on_event(struct commit_queue *q)
{
	bool done = false;
	uint64_t v;

	if (!q || !q->open)
		return;
	if (read(q->efd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		return;
	if (q->inflight && q->threaded) {
		pthread_mutex_lock(&q->mu);
		done = q->finished;
		q->finished = false;
		pthread_mutex_unlock(&q->mu);
	}
	if (done)
		finish(q);
	commitq_kick(q);
}

void commitq_drain(struct commit_queue *q)
{
	if (!q || !q->open)
		return;
	wait_inflight(q);
	commitq_kick(q);
	wait_inflight(q);
}

static bool has_room(const struct commit_batch *b, size_t n_ops, size_t n_map,
		     size_t reply_len)
{
	return b->n_ops + n_ops <= COMMITQ_OPS &&
	       b->n_map + n_map <= COMMITQ_OPS &&
	       (!reply_len || (b->n_replies < COMMITQ_REPLIES &&
			       b->n_bytes + reply_len <= COMMITQ_BYTES));
}

struct commit_batch *commitq_reserve(struct commit_queue *q, size_t n_ops,
				     size_t n_map, size_t reply_len)
{
	if (!q || !q->open || n_ops > COMMITQ_OPS || n_map > COMMITQ_OPS ||
	    reply_len > COMMITQ_BYTES || reply_len > UINT16_MAX)
		return NULL;
	if (has_room(q->open, n_ops, n_map, reply_len))
		return q->open;
	/* Full: the one in flight must come back before this one can go. */
	wait_inflight(q);
	submit(q);
	return q->open;
}

void commitq_add_reply(struct commit_batch *b, uint16_t if_idx,
		       const uint8_t *frame, size_t len)
{
	struct commit_reply *r;

	if (!b || !frame || b->n_replies >= COMMITQ_REPLIES ||
	    b->n_bytes + len > COMMITQ_BYTES)
		return; /* commitq_reserve() said there was room */
	r = &b->replies[b->n_replies++];
	r->off = (uint32_t)b->n_bytes;
	r->len = (uint16_t)len;
	r->if_idx = if_idx;
	r->op_lo = r->op_hi = 0;
	r->alt_off = r->alt_len = 0;
	memcpy(b->bytes + b->n_bytes, frame, len);
	b->n_bytes += len;
}

void commitq_reply_claim(struct commit_batch *b, size_t op_lo, size_t op_hi,
			 const uint8_t *alt, size_t alt_len)
{
	struct commit_reply *r;

	if (!b || !b->n_replies || alt_len > UINT16_MAX ||
	    b->n_bytes + alt_len > COMMITQ_BYTES)
		return;
	r = &b->replies[b->n_replies - 1];
	r->op_lo = (uint32_t)op_lo;
	r->op_hi = (uint32_t)op_hi;
	if (!alt || !alt_len)
		return;
	r->alt_off = (uint32_t)b->n_bytes;
	r->alt_len = (uint16_t)alt_len;
	memcpy(b->bytes + b->n_bytes, alt, alt_len);
	b->n_bytes += alt_len;
}
