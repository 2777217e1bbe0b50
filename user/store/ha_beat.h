/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A high-availability pair's heartbeat through the shared PostgreSQL
 * lease database (ha_beat_pgsql.c): each server writes its row of
 * dhcpxdp_ha_heartbeat and reads its partner's age, both by the database
 * server's clock, so the servers' own clocks need not agree. The daemon's
 * watcher (daemon/ha_watch.c) calls it from a thread of its own: one
 * connection of its own, blocking.
 */
#ifndef DHCPXDP_HA_BEAT_H
#define DHCPXDP_HA_BEAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dx_lease_db_conf;
struct ha_beat;

/* Not connected yet: the first ha_beat_exchange() connects. */
int ha_beat_new(const struct dx_lease_db_conf *conf, struct ha_beat **out);
void ha_beat_free(struct ha_beat *b);

/* What this server writes with its heartbeat. */
struct ha_beat_mine {
	bool serving_partner; /* the partner's scope is ours too */
	bool first;	      /* the first beat of this run of the server */
	bool maintenance;     /* asking the partner to stand aside */
};

/* What the partner's row says. */
struct ha_beat_partner {
	/* ms since its last heartbeat, -1 when it never wrote one */
	int64_t age_ms;
	/* It asks us to stand aside, and asked during our run (a request
	 * older than our start is a previous run's, not ours to obey), and
	 * before we asked it the same, if we did. */
	bool asks_maintenance;
	/* Its run began after we asked it to stand aside: it was restarted,
	 * the maintenance is over. */
	bool restarted;
};

/*
 * Write self's heartbeat and read the partner's row, both in one round
 * trip. Connects again first when the connection was lost. 0, or a
 * negative errno with err set (-ENOTCONN: the database is unreachable).
 */
int ha_beat_exchange(struct ha_beat *b, const char *self, const char *partner,
		     const struct ha_beat_mine *mine,
		     struct ha_beat_partner *seen, char *err, size_t errlen);

#endif
