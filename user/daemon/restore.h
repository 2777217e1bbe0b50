/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Restoring the daemon's state from the lease database (restore.c), at
 * start and on every reload.
 */
#ifndef DHCPXDP_RESTORE_H
#define DHCPXDP_RESTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct daemon;
struct dx_bpf;
struct dx_config;
struct dx_lease_op;
struct engine;
struct engine_map_op;
struct lease_db;

/* What loading the rows found: the lease-map entries they need. */
struct restore {
	const struct dx_config *cfg;
	struct engine *eng;
	int64_t now;	   /* wall clock, s */
	uint64_t now_boot; /* CLOCK_BOOTTIME ns, read with now */
	struct engine_map_op *map;
	size_t n, cap;
	size_t rows, skipped;
	/*
	 * At start, leases of the pinned map the database lost, taken back
	 * (restore_prune_map): their rows and map entries; db is set while
	 * the walk may take them.
	 */
	struct lease_db *db;
	struct dx_lease_op *adopted;
	struct engine_map_op *adopted_map;
	size_t n_adopted, cap_adopted;
	size_t pruned_live; /* removed although their horizon had not passed */
	const struct dx_bpf *bpf; /* the maps walked, while restore_prune_map
				   * runs */
};

/*
 * A fresh engine for cfg with every lease row of d->db in it; the
 * lease-map entries those rows need are kept in rs (restore_free), each
 * dynamic one marked DX_LEASE_F_UNTRACKED until restore_prune_map finds
 * the lease's entry in a reused map (docs/design.md §2). 0 or a negative
 * errno after logging why.
 */
int restore_engine(struct daemon *d, const struct dx_config *cfg,
		   struct engine **eng, struct restore *rs);
/*
 * Remove the dynamic entries of the pinned lease map that the database
 * does not hold, and carry into rs the later expiries XDP wrote, whether
 * the entry tracks every grant (its DX_LEASE_F_UNTRACKED mark), and for a
 * live entry the lease time a renewal racing its rewrite may grant
 * (engine_map_op.renew_bound). At start
 * (the commit queue not yet running), an entry within its horizon whose
 * address the database has no row for at all is kept instead, and its
 * lease written to the database and loaded into rs->eng: the database
 * lost it (removed, or replaced by an older copy), and XDP may have
 * granted it up to that horizon (docs/design.md §7). Logged.
 */
void restore_prune_map(struct daemon *d, struct restore *rs);
/*
 * Fill the maps for cfg. At start every lease from the database goes into
 * the lease map; on a reload the map already holds them (the database and
 * the map have not diverged), so only the engine's deletions are applied:
 * e.g. a dynamic entry of a client that now has a reservation.
 */
int restore_fill_maps(struct daemon *d, const struct dx_config *cfg,
		      struct engine *eng, struct restore *rs, bool reload);
void restore_free(struct restore *rs);

#endif
