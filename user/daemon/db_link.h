/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The lease database's connection as the daemon sees it (db_link.c,
 * docs/design.md §5 "Losing the lease database"): the log lines of its
 * loss and return, reconnect attempts while nothing is in flight, and
 * what Kea's on-fail says to do meanwhile and once the attempts ran out.
 */
#ifndef DHCPXDP_DB_LINK_H
#define DHCPXDP_DB_LINK_H

#include <stdbool.h>

struct daemon;

/* Once a second: note changes, try to reconnect, act on on-fail. */
void db_link_tick(struct daemon *d);
/* May the slow path take requests? Not while the connection is down
 * under stop-retry-exit. */
bool db_link_serving(const struct daemon *d);

#endif
