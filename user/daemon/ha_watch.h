/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The daemon's side of a high-availability pair (config/ha.c): a thread
 * beats through the shared lease database (store/ha_beat.h) every
 * heartbeat-delay and reads the partner's age; once a second the event
 * loop hands the verdict to the engine, which then answers the partner's
 * scope too or no longer (engine/ha_scope.c). docs/design.md, "High
 * availability", says what it promises.
 */
#ifndef DHCPXDP_HA_WATCH_H
#define DHCPXDP_HA_WATCH_H

#include <stdbool.h>

#include <json-c/json.h>

struct daemon;

/* Start the heartbeat when the configuration has a pair (else nothing):
 * 0 or a negative errno, logged. */
int ha_watch_start(struct daemon *d);
/* The configuration was reloaded: the heartbeat follows it, and the new
 * engine learns what the old one was told. */
int ha_watch_reload(struct daemon *d);
/* Once a second, in the event loop: the verdict to the engine, changes
 * logged. */
void ha_watch_tick(struct daemon *d);
void ha_watch_stop(struct daemon *d);
/* Kea's status-get "high-availability" list for the pair; NULL without
 * one. */
struct json_object *ha_watch_status(const struct daemon *d);
/* Kea's name of this server's state ("load-balancing", "hot-standby",
 * "partner-down", "in-maintenance", "partner-in-maintenance"); NULL
 * without a pair. */
const char *ha_watch_state(const struct daemon *d);
/* The names of the scopes this server answers now, a JSON array. */
struct json_object *ha_watch_scopes(const struct daemon *d);
/*
 * Kea's ha-maintenance-start (start) and -cancel: this server answers
 * every scope and asks its partner, at its next heartbeat, to answer
 * none, until cancelled or until the partner runs again after a
 * restart. 0; -ENOTSUP without a pair; start: -EBUSY when this server
 * is itself in maintenance, -EHOSTDOWN when the partner is down already
 * (nothing to ask); cancel: -EALREADY when no maintenance was started.
 */
int ha_watch_maintenance(struct daemon *d, bool start);

#endif
