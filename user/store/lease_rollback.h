/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * After a failed commit: the engine's memory set back to what the lease
 * database holds for the addresses the failed batch would have changed
 * (docs/design.md §2, "A failed commit").
 *
 * The engine changes its memory when it decides, before the commit. Left
 * alone after a failure, a grant no client was told of would keep its
 * address taken until its horizon, and a release or expiry would leave
 * memory holding an address free that the database still gives to a
 * client. Set back, the engine holds what the database holds for them,
 * and the clients' retries are decided afresh.
 *
 * Some addresses stay as the engine holds them: those with later changes
 * still queued (decided on top of the failed ones: their commit makes the
 * database match memory, or fails and is rolled back in turn), one an
 * offer holds now (it lapses as offers do), and one whose row cannot be
 * read. The lease map is never given anything the database does not hold:
 * the failed batch's upserts are dropped, and its deletes (always safe:
 * XDP then leaves the client to the daemon) are handed back to be applied,
 * but for a lease the database still gives to the same client.
 */
#ifndef DHCPXDP_LEASE_ROLLBACK_H
#define DHCPXDP_LEASE_ROLLBACK_H

#include <stddef.h>
#include <stdint.h>
#include "engine/engine.h"
#include "store/lease_db.h"

/* A lease row's key. */
struct lease_key {
	uint32_t subnet_id;
	uint32_t addr;
};

/* Sort keys and drop repeats; the number left. */
size_t lease_keys_sort(struct lease_key *keys, size_t n);

struct lease_rollback {
	/* In: the failed batch, and what is queued after it. */
	const struct dx_lease_op *ops;
	size_t n_ops;
	const struct engine_map_op *map;
	size_t n_map;
	const struct lease_key *queued; /* sorted (lease_keys_sort) */
	size_t n_queued;
	int64_t now; /* wall clock */
	/* Out: lease-map deletes to apply now (room for n_map). */
	struct engine_map_op *map_out;
	size_t n_map_out;
	/* Out: distinct addresses of ops, by what became of them. */
	size_t restored; /* as the database holds them (row, or free) */
	size_t queued_kept, offered_kept, failed;
};

/*
 * Roll the engine back for rb->ops from the rows of db (the caller owns
 * the connection: no commit in flight). 0, or -EINVAL, -ENOMEM (nothing
 * changed). Addresses that could not be restored are counted in
 * rb->failed, with the database's message in lease_db_errmsg(db).
 */
int lease_rollback(struct engine *e, struct lease_db *db,
		   struct lease_rollback *rb);

#endif
