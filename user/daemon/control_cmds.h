/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Inside the control socket: its state and the command handlers
 * (control_status.c, control_lease_get.c, control_hosts.c, ...), which control.c
 * lists in its table. They run on the daemon's thread.
 */
#ifndef DHCPXDP_CONTROL_CMDS_H
#define DHCPXDP_CONTROL_CMDS_H

#include <sys/un.h>
#include <time.h>
#include "daemon/control_kea_stats.h"
#include "daemon/control_samples.h"
#include "util/log.h"

struct control_ops;
struct dx_config;
struct daemon;
struct json_object;

struct control {
	int fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	const struct control_ops *ops; /* what the daemon lets us do */
	struct control_samples samples;
	struct kea_stat_bases stat_bases; /* statistic-reset's bases */
	/* control_config.c: the configuration last seen, its file's JSON
	 * read back then, and when */
	const struct dx_config *cfg_seen;
	struct json_object *cfg_json;
	time_t loaded_at;
	struct log_limit lim_peer;
};

typedef struct json_object *(*control_handler)(struct daemon *d,
					       struct json_object *args);

/* control_status.c: status, dhcpxdp-statistic-get-all */
struct json_object *cmd_status_h(struct daemon *d, struct json_object *args);
struct json_object *cmd_stats_h(struct daemon *d, struct json_object *args);
/* control_stats.c: Kea's statistic-get-all, -get, -reset, -reset-all */
struct json_object *cmd_stat_all_h(struct daemon *d, struct json_object *args);
struct json_object *cmd_stat_get_h(struct daemon *d, struct json_object *args);
struct json_object *cmd_stat_reset_h(struct daemon *d,
				     struct json_object *args);
struct json_object *cmd_stat_reset_all_h(struct daemon *d,
					 struct json_object *args);
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
/* control_config.c: config-get, config-test, config-write */
struct json_object *cmd_config_get_h(struct daemon *d,
				     struct json_object *args);
struct json_object *cmd_config_test_h(struct daemon *d,
				      struct json_object *args);
struct json_object *cmd_config_write_h(struct daemon *d,
				       struct json_object *args);
/* Note a configuration not seen before (start, reload): its file's
 * JSON and the time. Cheap when nothing changed. */
void control_config_seen(struct daemon *d);
/* control_ha.c: Kea's ha-heartbeat, ha-scopes, ha-maintenance-start,
 * ha-maintenance-cancel, ha-continue */
struct json_object *cmd_ha_heartbeat_h(struct daemon *d,
				       struct json_object *args);
struct json_object *cmd_ha_scopes_h(struct daemon *d, struct json_object *args);
struct json_object *cmd_ha_maint_start_h(struct daemon *d,
					 struct json_object *args);
struct json_object *cmd_ha_maint_cancel_h(struct daemon *d,
					  struct json_object *args);
struct json_object *cmd_ha_continue_h(struct daemon *d,
				      struct json_object *args);
/* control_kea_status.c: status-get, shutdown */
struct json_object *cmd_status_get_h(struct daemon *d,
				     struct json_object *args);
struct json_object *cmd_shutdown_h(struct daemon *d, struct json_object *args);
/* control_reservations_get.c: reservation-get-all */
struct json_object *cmd_res_all_h(struct daemon *d, struct json_object *args);
/* control_hosts.c: lease4-del, reservation-add, reservation-del */
struct json_object *control_lease_del(struct daemon *d,
				      struct json_object *args);
/* control_lease_add.c: lease4-add, lease4-update */
struct json_object *control_lease_add(struct daemon *d,
				      struct json_object *args);
struct json_object *control_lease_update(struct daemon *d,
					 struct json_object *args);
/* control_lease_wipe.c: lease4-wipe */
struct json_object *cmd_lease_wipe_h(struct daemon *d,
				     struct json_object *args);
struct json_object *control_reservation_add(struct daemon *d,
					    struct json_object *args);
struct json_object *control_reservation_del(struct daemon *d,
					    struct json_object *args);

#endif
