/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The daemon's side of the lease history (store/lease_history.h) and of
 * Kea's legal log (legal_log.h): what each durable batch did to leases,
 * written before its replies leave; renewals XDP answered, read from the
 * lease map by a sweep; the files synced once a second, old tenancies
 * pruned (docs/logging.md, "Lease history").
 */
#ifndef DHCPXDP_HISTORY_H
#define DHCPXDP_HISTORY_H

#include <stddef.h>

struct daemon;
struct dx_lease_op;
struct lease_events;

/* Seconds between two sweeps of the lease map for XDP's renewals, and
 * the open tenancies a sweep reads a second (one slice). */
#define HISTORY_SWEEP_S	    10
#define HISTORY_SWEEP_BATCH 4096
/* Seconds between two retention prunes. */
#define HISTORY_PRUNE_S 3600

/*
 * Open what the configuration asks for, and bring the history in line
 * with the lease database (a tenancy whose row was lost to a power cut,
 * or ended meanwhile). Before the commit queue runs: it reads the
 * database. 0 or a negative errno, logged.
 */
int history_start(struct daemon *d);
/* Record a durable batch: its events (lev) and lease ops. */
void history_batch(struct daemon *d, const struct lease_events *lev,
		   const struct dx_lease_op *ops, size_t n);
/* Once a second: sync, and now and then sweep and prune. */
void history_tick(struct daemon *d);
void history_stop(struct daemon *d);

#endif /* DHCPXDP_HISTORY_H */
