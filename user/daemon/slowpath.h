/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The slow path (slowpath.c): frames XDP passed up, answered in batches. */
#ifndef DHCPXDP_SLOWPATH_H
#define DHCPXDP_SLOWPATH_H

struct commit_batch;
struct daemon;
struct served_if;

/* Answer one batch of frames read from `sif`. */
void slowpath_round(struct daemon *d, struct served_if *sif);
/* A batch is durable (or failed): map updates, then its replies. The
 * commit queue's callback (ctx is the daemon). */
void slowpath_commit_done(void *ctx, struct commit_batch *b);

#endif
