/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Control-socket commands that change leases and reservations at run
 * time (docs/control.md): lease4-del, reservation-add, reservation-del.
 * Handlers in control.c's table; they run on the daemon's thread.
 */
#ifndef DHCPXDP_CONTROL_HOSTS_H
#define DHCPXDP_CONTROL_HOSTS_H

struct daemon;
struct json_object;

struct json_object *control_lease_del(struct daemon *d,
				      struct json_object *args);
struct json_object *control_reservation_add(struct daemon *d,
					    struct json_object *args);
struct json_object *control_reservation_del(struct daemon *d,
					    struct json_object *args);

#endif
