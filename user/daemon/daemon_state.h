/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The running daemon's state, shared by its parts: lifecycle (daemon.c),
 * the slow path (slowpath.c), horizon upkeep (horizon.c).
 */
#ifndef DHCPXDP_DAEMON_STATE_H
#define DHCPXDP_DAEMON_STATE_H

#include <limits.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include "kernel/bpf_obj.h"
#include "store/commit_queue.h"
#include "daemon/daemon_counters.h"
#include "config/config.h"
#include "wire/dhcp_msg.h"
#include "engine/engine.h"
#include "store/lease_db.h"
#include "util/clock.h"
#include "util/log.h"
#include "kernel/map_sync.h"
#include "kernel/netif.h"
#include "kernel/pkt_io.h"

#define DAEMON_MAX_IFS 64
#define DAEMON_BATCH 64		 /* frames read and answered per round */
#define DAEMON_PENDING_MAX 1024	 /* renewal notes per horizon commit */
#define DAEMON_EXPIRE_BATCH 4096 /* reclaimed leases per commit */
#define DAEMON_MAX_RUNTIME_IFS 16

struct served_if {
	struct netif nif;
	uint32_t direct_subnet_id; /* 0: relayed traffic only */
	struct pkt_sock sock;
};

struct control; /* control.c: the control socket */
struct metrics_http; /* metrics_http.c: the Prometheus endpoint */

struct daemon {
	char config_path[PATH_MAX];
	struct dx_config *cfg;
	struct engine *eng;
	struct lease_db *db;
	struct dx_bpf bpf;
	struct map_slots slots;
	struct served_if ifs[DAEMON_MAX_IFS];
	size_t n_ifs;
	struct ring_buffer *rb;
	int epfd, sigfd, timerfd;
	bool stop;
	time_t started;
	struct daemon_counters cnt;
	struct control *ctl; /* NULL until control_open() */
	struct metrics_http *http; /* NULL: no metrics-listen */

	/* Renewals answered in XDP, waiting for one horizon commit. */
	struct engine_changes *pending;
	size_t n_pending;

	/* Work space of one slow-path round, allocated once. */
	struct dhcp_msg *msgs;		 /* DAEMON_BATCH */
	struct engine_result *results;	 /* DAEMON_BATCH */

	/* Lease changes and the replies waiting for them to be durable. */
	struct commit_queue cq;

	struct log_limit lim_pool, lim_db, lim_map, lim_malformed, lim_send;
	struct log_limit lim_decline, lim_nak;

	/* Interfaces `dhcpxdp attach` asked a running daemon to serve: added
	 * to every configuration loaded until the daemon stops. */
	char runtime_ifs[DAEMON_MAX_RUNTIME_IFS][IF_NAMESIZE];
	size_t n_runtime_ifs;
	int64_t nak_window_start;
	int nak_window_count;
};


/*
 * Serve (or stop serving) an interface not in the configuration, at
 * `dhcpxdp attach`/`detach`'s request: applied through a reload. -EEXIST
 * when the configuration already lists it, -EPERM when asked to stop
 * serving a configured one, -ENOSPC when the list is full.
 */
int daemon_runtime_interface(struct daemon *d, const char *name, bool serve);

/* slowpath.c: answer one batch of frames read from `sif`. */
void slowpath_round(struct daemon *d, struct served_if *sif);
/* slowpath.c: a batch is durable (or failed): map updates, then replies. */
void slowpath_commit_done(void *ctx, struct commit_batch *b);

/* horizon.c */
int horizon_attach(struct daemon *d);
void horizon_poll(struct daemon *d);
void horizon_flush(struct daemon *d);
void expiry_run(struct daemon *d);
/* Everything noted or queued made durable; then the database is free for
 * the caller (control commands, reload, stop). */
void daemon_sync(struct daemon *d);

/* daemon.c: re-read the configuration (SIGHUP, config-reload). 0, or a
 * negative errno with the previous configuration still served (or, after
 * a failure to serve an interface, the new one served in part). */
int daemon_reload(struct daemon *d);

/* Commit ops, then apply map ops: the order every change follows
 * (docs/design.md §2: nothing reaches the map before it is durable). After a
 * drain of the queue, synchronously: for control commands. */
int daemon_commit_and_map(struct daemon *d, const struct dx_lease_op *ops,
			  size_t n_ops, const struct engine_map_op *map,
			  size_t n_map);

#endif /* DHCPXDP_DAEMON_STATE_H */
