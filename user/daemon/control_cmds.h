/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Inside the control socket: its state and the command handlers. */
#ifndef DHCPXDP_CONTROL_CMDS_H
#define DHCPXDP_CONTROL_CMDS_H

#include <stdint.h>
#include <sys/un.h>
#include <dhcpxdp/stats.h>
#include "daemon/control.h"
#include "util/log.h"

struct daemon;
struct json_object;

struct control {
	int fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct control_samples samples;
	int ncpu;
	struct dx_stats *per_cpu; /* ncpu entries, for reading dx_stats */
	struct log_limit lim_peer;
};

/* The XDP counters summed over the CPUs. */
int control_read_xdp_stats(struct daemon *d, uint64_t out[DX_STAT_MAX]);

struct json_object *cmd_status_h(struct daemon *d, struct json_object *args);
struct json_object *cmd_stats_h(struct daemon *d, struct json_object *args);
struct json_object *cmd_lease_all_h(struct daemon *d, struct json_object *args);
struct json_object *cmd_lease_get_h(struct daemon *d, struct json_object *args);
struct json_object *cmd_res_all_h(struct daemon *d, struct json_object *args);

#endif
