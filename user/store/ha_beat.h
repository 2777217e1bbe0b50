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

/*
 * Write self's heartbeat (and whether it serves the partner's scope) and
 * read how long ago, in ms, the partner wrote its own: -1 when it never
 * did. Connects again first when the connection was lost. 0, or a
 * negative errno with err set (-ENOTCONN: the database is unreachable).
 */
int ha_beat_exchange(struct ha_beat *b, const char *self, const char *partner,
		     bool serving_partner, int64_t *partner_age_ms, char *err,
		     size_t errlen);

#endif
