/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The running daemon's state, shared by its parts: lifecycle (daemon.c),
 * restore.c, the slow path (slowpath.c), commits (commit.c), horizon
 * upkeep (horizon.c), the control socket and the metrics endpoint. Each
 * part declares its functions in its own header; this one holds data.
 */
#ifndef DHCPXDP_DAEMON_STATE_H
#define DHCPXDP_DAEMON_STATE_H

#include <limits.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include "daemon/ddns.h"
#include "daemon/commit_wait.h"
#include "daemon/daemon_counters.h"
#include "daemon/lease_log.h"
#include "daemon/legal_log.h"
#include "kernel/bpf_obj.h"
#include "kernel/link_watch.h"
#include "kernel/map_sync.h"
#include "kernel/netif.h"
#include "kernel/pkt_io.h"
#include "store/commit_queue.h"
#include "util/log.h"
#include "util/sd_watchdog.h"

#define DAEMON_MAX_IFS	       64
#define DAEMON_BATCH	       64   /* frames read and answered per round */
#define DAEMON_PENDING_MAX     1024 /* renewal notes per horizon commit */
#define DAEMON_EXPIRE_BATCH    4096 /* reclaimed leases per commit */
#define DAEMON_MAX_RUNTIME_IFS 16

/* One configured interface, at the index of its epoll tag; nif.name is
 * always set, the rest of nif while it is served. */
struct served_if {
	struct netif nif;
	uint32_t direct_subnet_id; /* 0: relayed traffic only */
	struct pkt_sock sock;
	uint64_t drops_seen; /* the socket's kernel drops already counted */
	bool up;	     /* resolved, XDP attached, socket open */
	int down_err;	     /* why not, while !up (negative errno) */
};

struct control;	  /* control.c: the control socket */
struct control_http; /* control_http.c: the HTTP/HTTPS control sockets */
struct dhcp_msg;  /* wire/dhcp_msg.h */
struct dx_config; /* config/config.h */
struct engine;	  /* engine/engine.h */
struct engine_changes;
struct engine_result;
struct ha_watch; /* ha_watch.c */
struct lease_db;     /* store/lease_db.h */
struct lease_key;    /* store/lease_rollback.h */
struct lease_hist;   /* store/lease_history.h */
struct metrics_http; /* metrics_http.c: the Prometheus endpoint */
struct ring_buffer;  /* libbpf */

struct daemon {
	char config_path[PATH_MAX];
	struct dx_config *cfg;
	struct engine *eng;
	struct lease_db *db;
	struct dx_bpf bpf;
	struct map_slots slots;
	struct served_if ifs[DAEMON_MAX_IFS];
	size_t n_ifs;
	/* Interfaces coming and going: rtnetlink events, acted upon once
	 * a burst has settled (settle_fd, a one-shot timer). */
	struct link_watch links;
	/* UDP port 67, bound and never read (kernel/udp_port.h); -1 when
	 * another server holds it or the bind was refused */
	int udp67_fd;
	int settle_fd;
	int64_t settle_since; /* monotonic ms of the burst's first event */
	struct ring_buffer *rb;
	int epfd, sigfd, timerfd;
	struct sd_watchdog wd; /* WatchdogSec= pings; fd -1 without */
	bool stop;
	bool exit_failure; /* the stop is a failure: exit 1 (db_link.c) */
	time_t started;
	/* The lease database's connection at the last look (db_link.c):
	 * an enum lease_db_link, and since when it is down (monotonic s). */
	int db_link;
	int64_t db_down_since;
	struct daemon_counters cnt;
	struct control *ctl;	   /* NULL until control_open() */
	struct ddns_sender ddns;   /* name change requests to D2 (ddns.h) */
	struct metrics_http *http; /* NULL: no metrics-listen */
	struct control_http *ctl_http; /* NULL until control_http_open() */

	/* Renewals answered in XDP, waiting for one horizon commit. */
	struct engine_changes *pending;
	size_t n_pending;

	/* Work space of one slow-path round, allocated once. */
	struct dhcp_msg *msgs;	       /* DAEMON_BATCH */
	struct engine_result *results; /* DAEMON_BATCH */

	/* Lease changes and the replies waiting for them to be durable. */
	struct commit_queue cq;
	/* The lease event lines of each of cq.batch[], written when it is
	 * durable (lease_log.h). */
	struct lease_events lev[2];
	/* When each of cq.batch[] got its first change (CLOCK_MONOTONIC,
	 * us), and how long commits made replies wait (commit_wait.h). */
	int64_t batch_t0_us[2];
	struct commit_wait commit_wait;
	/* Who held which address when (history.h); NULL when off. */
	struct lease_hist *hist;
	struct ha_watch *ha; /* ha_watch.c; NULL without a pair */
	struct legal_log legal; /* dir "" when off */
	int64_t hist_next_sweep, hist_next_prune; /* monotonic s */
	bool hist_dirty;			   /* written since the sync */
	uint32_t hist_cursor[2]; /* the sweep's next (subnet_id, addr) */

	struct log_limit lim_pool, lim_db, lim_map, lim_malformed, lim_send;
	struct log_limit lim_decline, lim_nak, lim_socket, lim_links;
	struct log_limit lim_starve, lim_cap; /* docs/protocol.md */
	struct log_limit lim_hist;
	struct log_limit lim_claims, lim_peers;

	/*
	 * Several servers on one PostgreSQL database (docs/design.md):
	 * shared_store when the lease database is one; watch, the second
	 * connection that LISTENs for the others' row changes (peer_sync.h),
	 * NULL while it could not be opened; watch_fd its socket as
	 * registered with epoll (-1: none). lost_keys: the addresses of a
	 * batch's grants that lost their rows (claims.h).
	 */
	bool shared_store;
	struct lease_db *watch;
	int watch_fd;
	bool peer_resync_due;
	int64_t peer_next_resync; /* monotonic s */
	struct lease_key *lost_keys;
	size_t n_lost_keys;

	/* Interfaces `dhcpxdp attach` asked a running daemon to serve: added
	 * to every configuration loaded until the daemon stops. */
	char runtime_ifs[DAEMON_MAX_RUNTIME_IFS][IF_NAMESIZE];
	size_t n_runtime_ifs;
	int64_t nak_window_start;
	int nak_window_count;
};

#endif /* DHCPXDP_DAEMON_STATE_H */
