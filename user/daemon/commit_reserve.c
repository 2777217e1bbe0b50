// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Batches timed from their first change to durable (commit_reserve.h). */
#include "daemon/commit_reserve.h"
#include "daemon/commit_wait.h"
#include "daemon/daemon_state.h"
#include "store/commit_queue.h"
#include "util/clock.h"

struct commit_batch *daemon_reserve(struct daemon *d, size_t n_ops,
				    size_t n_map, size_t reply_len)
{
	struct commit_batch *b =
		commitq_reserve(&d->cq, n_ops, n_map, reply_len);

	if (b && !b->n_ops && !b->n_map && !b->n_replies)
		d->batch_t0_us[b - d->cq.batch] = now_mono_us();
	return b;
}

void daemon_commit_timed(struct daemon *d, const struct commit_batch *b)
{
	int64_t waited = now_mono_us() - d->batch_t0_us[b - d->cq.batch];

	/* A batch of map changes alone commits nothing. */
	if (b->n_ops)
		commit_wait_note(&d->commit_wait,
				 waited > 0 ? (uint64_t)waited : 0);
}
