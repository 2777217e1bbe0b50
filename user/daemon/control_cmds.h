/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Inside the control socket: its state and the command handlers
 * (control_status.c, control_lease_get.c, control_hosts.c, ...), which control.c
 * lists in its table. They run on the daemon's thread.
 */
#ifndef DHCPXDP_CONTROL_CMDS_H
#define DHCPXDP_CONTROL_CMDS_H

#include <sys/un.h>
#include "daemon/control_samples.h"
#include "util/log.h"

struct control_ops;
struct daemon;
struct json_object;

struct control {
	int fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	const struct control_ops *ops; /* what the daemon lets us do */
	struct control_samples samples;
	struct log_limit lim_peer;
};

typedef struct json_object *(*control_handler)(struct daemon *d,
					       struct json_object *args);

/* control_status.c: status, statistic-get-all */
struct json_object *cmd_status_h(struct daemon *d, struct json_object *args);
struct json_object *cmd_stats_h(struct daemon *d, struct json_object *args);
/* control_lease_get.c: lease4-get, lease4-get-all, lease4-get-page,
 * lease4-get-by-hw-address, -by-client-id, -by-hostname */
struct json_object *cmd_lease_all_h(struct daemon *d, struct json_object *args);
struct json_object *cmd_lease_get_h(struct daemon *d, struct json_object *args);
struct json_object *cmd_lease_page_h(struct daemon *d,
				     struct json_object *args);
struct json_object *cmd_lease_by_hw_h(struct daemon *d,
				      struct json_object *args);
struct json_object *cmd_lease_by_cid_h(struct daemon *d,
				       struct json_object *args);
struct json_object *cmd_lease_by_host_h(struct daemon *d,
					struct json_object *args);
/*
 * The lease args name (Kea's "ip-address"[, "subnet-id"], or "subnet-id"
 * with "identifier-type" hw-address|client-id and "identifier"), merged
 * with the lease map. 0, -ENOENT (no row), or another -errno with the
 * error answer in *err.
 */
struct dx_lease_rec;
int control_lease_find(struct daemon *d, struct json_object *args,
		       struct dx_lease_rec *rec, struct json_object **err);
/* control_reservations_get.c: reservation-get-all */
struct json_object *cmd_res_all_h(struct daemon *d, struct json_object *args);
/* control_hosts.c: lease4-del, reservation-add, reservation-del */
struct json_object *control_lease_del(struct daemon *d,
				      struct json_object *args);
/* control_lease_add.c: lease4-add */
struct json_object *control_lease_add(struct daemon *d,
				      struct json_object *args);
struct json_object *control_reservation_add(struct daemon *d,
					    struct json_object *args);
struct json_object *control_reservation_del(struct daemon *d,
					    struct json_object *args);

#endif
