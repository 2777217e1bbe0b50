/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Grants that lost their row to another server sharing the lease
 * database (lease_db_commit_claim, docs/design.md "Several nodes on one
 * PostgreSQL"): once the batch is back, before anything of it reaches
 * the map or a client, the lost ops leave it - their lease-map upserts,
 * their lease lines, their history - and the replies resting on them
 * become NAKs (or are withheld); after the replies, the engine takes the
 * rows that won (engine_lease_sync).
 */
#ifndef DHCPXDP_CLAIMS_H
#define DHCPXDP_CLAIMS_H

#include <stdbool.h>

struct commit_batch;
struct commit_reply;
struct daemon;
struct lease_events;

/* b->n_lost > 0: take the lost ops out of b (their keys kept for
 * claims_lost_sync), mark the replies resting on them. */
void claims_lost_prepare(struct daemon *d, struct commit_batch *b,
			 struct lease_events *lev);
/* Does reply r rest on a lost op (after claims_lost_prepare)? */
bool claims_lost_reply(const struct commit_batch *b,
		       const struct commit_reply *r);
/* The rows that won, read and taken by the engine; the map follows. */
void claims_lost_sync(struct daemon *d, struct commit_batch *b);

#endif
