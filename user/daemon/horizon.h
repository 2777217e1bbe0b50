/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Keeping the fast path's durable horizons ahead of the clients, and
 * reclaiming what expired (horizon.c, docs/design.md §2).
 */
#ifndef DHCPXDP_HORIZON_H
#define DHCPXDP_HORIZON_H

struct daemon;

/* Read the XDP program's renewal events from its ring buffer. */
int horizon_attach(struct daemon *d);
/* Take the events waiting in the ring buffer. */
void horizon_poll(struct daemon *d);
/* Queue the renewals gathered for the next group commit. */
void horizon_flush(struct daemon *d);
/* Reclaim leases past their expiry by the database and the lease map (past
 * their horizon when the map cannot tell) and declines past probation. */
void expiry_run(struct daemon *d);

#endif
