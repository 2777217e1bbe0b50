/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The daemon's side of the commit queue's batches: when a batch got its
 * first change, and how long its commit made it wait (commit_wait.h).
 */
#ifndef DHCPXDP_COMMIT_RESERVE_H
#define DHCPXDP_COMMIT_RESERVE_H

#include <stddef.h>

struct commit_batch;
struct daemon;

/*
 * commitq_reserve() on the daemon's queue, noting when a batch gets its
 * first change: the start of the wait its commit is timed by. NULL as
 * commitq_reserve().
 */
struct commit_batch *daemon_reserve(struct daemon *d, size_t n_ops,
				    size_t n_map, size_t reply_len);
/* A batch is durable: how long its first change waited, noted. */
void daemon_commit_timed(struct daemon *d, const struct commit_batch *b);

#endif
