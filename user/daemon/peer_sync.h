/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Several servers on one PostgreSQL lease database (docs/design.md,
 * "Several nodes on one PostgreSQL"): the rows the others write, taken
 * into this server's engine and lease map.
 *
 * A second connection LISTENs on the table's channel; every row another
 * server inserts, updates or deletes is read back and given to the
 * engine (engine_lease_sync): an address granted elsewhere is taken, one
 * freed elsewhere is free, and a lease granted elsewhere goes into the
 * lease map with the other server's durable horizon, so this server's
 * XDP renews it within that horizon. A notification lost with the
 * connection is made good by reading every row: after every reconnect
 * and every PEER_RESYNC_S seconds.
 */
#ifndef DHCPXDP_PEER_SYNC_H
#define DHCPXDP_PEER_SYNC_H

struct daemon;

/* Seconds between two readings of the whole table (the bound on a
 * change missed with a lost notification). */
#define PEER_RESYNC_S 30

/* The lease database is PostgreSQL: open the watch (a failure is logged
 * and tried again on the ticks). Before the rows are loaded, so that no
 * change after the load is missed. */
void peer_sync_open(struct daemon *d);
/* Register the watch's socket with the loop under tag (again after a
 * reconnect: peer_sync_tick does). */
void peer_sync_register(struct daemon *d, unsigned long long tag);
/* The socket is readable: take in what changed. */
void peer_sync_event(struct daemon *d);
/* Once a second: reconnect, and read every row when due. */
void peer_sync_tick(struct daemon *d, unsigned long long tag);
void peer_sync_close(struct daemon *d);

#endif
