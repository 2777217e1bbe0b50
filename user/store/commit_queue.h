/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Group commit, pipelined (docs/design.md §5: "many requests share one commit
 * so durability does not cost throughput").
 *
 * Lease changes, the map updates that must follow them and the reply
 * frames that must wait for them gather in the open batch. A writer
 * thread commits one batch at a time (one fsync'd transaction); while it
 * waits for the disk, the daemon's thread goes on reading, deciding and
 * filling the next batch. When a commit is durable the owner is told
 * (eventfd), applies the batch's map updates, sends its replies, and the
 * batch that filled up meanwhile goes to the writer at once. So a commit
 * takes whatever arrived during the previous one: batches grow with the
 * load, and the disk, not the round trip, sets the pace.
 *
 * The lease database connection belongs to the writer while a batch is
 * in flight. Anyone else who needs it calls commitq_drain() first, which
 * also finishes (and so makes durable) everything queued.
 *
 * Not for concurrent use except between the owner and its writer thread.
 */
#ifndef DHCPXDP_COMMIT_QUEUE_H
#define DHCPXDP_COMMIT_QUEUE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "engine/engine.h"
#include "store/lease_db.h"

/* A reply frame waiting for its batch to be durable. */
struct commit_reply {
	uint32_t off; /* into commit_batch.bytes */
	uint16_t len;
	uint16_t if_idx; /* the owner's interface index */
	/*
	 * The lease ops the reply rests on, [op_lo, op_hi) of the batch, and
	 * the frame to send instead when one of them lost its row to another
	 * server (commitq_reply_claim; alt_len 0: none, the reply is
	 * withheld).
	 */
	uint32_t op_lo, op_hi;
	uint32_t alt_off;
	uint16_t alt_len;
};

struct commit_batch {
	struct dx_lease_op *ops;
	size_t n_ops;
	struct engine_map_op *map;
	size_t n_map;
	struct commit_reply *replies;
	size_t n_replies;
	uint8_t *bytes;
	size_t n_bytes;
	/* The owner's counters, applied once the batch is durable. */
	uint64_t horizons, expired;
	/* Set by the writer: 0 or the commit's negative errno and message;
	 * lost[i]: op i did not take its row (lease_db_commit_claim). */
	int ret;
	uint8_t *lost;
	size_t n_lost;
	char err[512];
};

/* Per-batch capacity. */
#define COMMITQ_OPS	8192
#define COMMITQ_REPLIES 1024
#define COMMITQ_BYTES	(COMMITQ_REPLIES * 1024)

/* Called on the owner's thread with a finished batch (b->ret says how). */
typedef void (*commitq_done_fn)(void *ctx, struct commit_batch *b);

struct commit_queue {
	struct commit_batch batch[2];
	struct commit_batch *open;     /* filling */
	struct commit_batch *inflight; /* with the writer, or NULL */
	struct lease_db *db;
	commitq_done_fn done;
	void *ctx;
	int efd;       /* eventfd: a batch came back */
	bool threaded; /* false: commits run inline (no thread) */
	pthread_t thr;
	pthread_mutex_t mu;
	pthread_cond_t cv_job, cv_done;
	bool job, finished, quit;
	uint64_t commits, max_batch_ops;
};

/*
 * Set up the batches and start the writer (all signals blocked in it).
 * With threaded false, or when the database's library was built
 * single-threaded (lease_db_thread_safe), commits
 * run inline in commitq_kick(). 0 or -ENOMEM / -errno.
 */
int commitq_init(struct commit_queue *q, struct lease_db *db,
		 commitq_done_fn done, void *ctx, bool threaded);
/* Drain, stop the writer, free. Safe on a zeroed or failed queue. */
void commitq_fini(struct commit_queue *q);

/* Readable when a batch came back: call commitq_on_event(). */
int commitq_fd(const struct commit_queue *q);

/*
 * The open batch, with room for n_ops lease ops, n_map map ops and, when
 * reply_len > 0, one reply of that many bytes. When it is too full, waits
 * for the batch in flight and sends the full one off first. NULL only for
 * a request larger than a whole batch.
 */
struct commit_batch *commitq_reserve(struct commit_queue *q, size_t n_ops,
				     size_t n_map, size_t reply_len);
/* Append a reply (room reserved by commitq_reserve). */
void commitq_add_reply(struct commit_batch *b, uint16_t if_idx,
		       const uint8_t *frame, size_t len);

/*
 * The last reply added rests on ops [op_lo, op_hi) of b; alt (alt_len
 * bytes, room reserved with the reply's) goes instead if one of them
 * loses its row.
 */
void commitq_reply_claim(struct commit_batch *b, size_t op_lo, size_t op_hi,
			 const uint8_t *alt, size_t alt_len);

/* Hand the open batch to the writer if it is idle and there is work. */
void commitq_kick(struct commit_queue *q);
/* The eventfd fired: finish the batch that came back, then kick. */
void commitq_on_event(struct commit_queue *q);
/* Finish everything queued; afterwards the database is the caller's. */
void commitq_drain(struct commit_queue *q);
/* True when nothing is open or in flight. */
bool commitq_idle(const struct commit_queue *q);

#endif /* DHCPXDP_COMMIT_QUEUE_H */
