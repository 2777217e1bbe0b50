/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Prometheus text exposition format (version 0.0.4) for dhcpxdp, written
 * by one function for both `dhcpxdp stats --prometheus` and the daemon's
 * HTTP endpoint (docs/design.md §5), so the two print the same metrics.
 *
 * The writer takes a snapshot: plain numbers gathered first, either in
 * the daemon (metrics_snapshot_daemon(), on its own thread) or in the CLI
 * from the control socket's answers (metrics_snapshot_from_json()). Parts
 * that could not be read are left out, never printed as zero.
 */
#ifndef DHCPXDP_METRICS_H
#define DHCPXDP_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <dhcpxdp/stats.h>
#include "daemon/commit_wait.h"
#include "daemon/daemon_counters.h"
#include "engine/engine.h"

struct daemon;
struct json_object;

/* The content type of the format, for HTTP. */
#define METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

/* Counters of struct daemon_counters, in the order of DAEMON_COUNTERS. */
#define METRICS_N_DAEMON DAEMON_N_COUNTERS

struct metrics_subnet {
	uint32_t id;
	char prefix[48]; /* "10.0.0.0/24"; "" when unknown */
	bool have_pool;	 /* pool addresses (gauges) */
	uint64_t total, used, free, declined, reserved;
	bool have_leases;
	uint64_t leases_active;
	bool have_counters;
	uint64_t offers, acks, naks, declines, releases, informs,
		pool_exhausted;
	bool have_starvation; /* the starvation defenses' counters */
	uint64_t offers_pressure, offers_taken_over, declined_reclaimed;
};

struct metrics_snapshot {
	bool have_xdp; /* XDP counters, summed over the CPUs */
	uint64_t xdp[DX_STAT_MAX];
	bool daemon_up; /* the daemon's part below was gathered */
	bool have_uptime;
	uint64_t uptime;
	bool daemon_have[METRICS_N_DAEMON];
	uint64_t daemon[METRICS_N_DAEMON];
	bool drops_have[__ENGINE_DROP_MAX];
	uint64_t drops[__ENGINE_DROP_MAX];
	bool have_lease_map;
	uint64_t lease_map_capacity, lease_map_entries;
	bool have_commit_wait;
	struct commit_wait commit_wait;
	size_t n_subnets;
	struct metrics_subnet *subnets; /* malloc'd */
};

/* Write the whole exposition. Returns 0 or -EIO (the stream failed). */
int metrics_write(FILE *f, const struct metrics_snapshot *s);
/* The same into a malloc'd, NUL-terminated buffer; 0 or -errno. */
int metrics_render(const struct metrics_snapshot *s, char **buf, size_t *len);

/* Free what a snapshot holds (not the struct); it becomes empty. */
void metrics_snapshot_free(struct metrics_snapshot *s);

/* Fill s->daemon from the daemon's counters. */
void metrics_set_daemon_counters(struct metrics_snapshot *s,
				 const struct daemon_counters *c);

/*
 * The daemon's part from the control socket's answers: `stats` is the
 * arguments of dhcpxdp-statistic-get-all, `status` those of status (either may be
 * NULL). Sets daemon_up and whatever the answers hold; XDP counters only
 * if stats has them and s->have_xdp is not already set. 0 or -ENOMEM.
 */
int metrics_snapshot_from_json(struct metrics_snapshot *s,
			       struct json_object *stats,
			       struct json_object *status);

/*
 * Escape a label value per the format: backslash, double quote and line
 * feed become \\, \" and \n. Returns the length needed (as snprintf);
 * out is always NUL-terminated when outlen > 0.
 */
size_t metrics_escape_label(const char *in, char *out, size_t outlen);

/* ---- the HTTP endpoint (metrics_http.c) ------------------------------ */

struct metrics_http;

/*
 * Parse "ADDR:PORT" / "[ADDR6]:PORT" into a socket address. 0, or -EINVAL
 * with err saying why.
 */
int metrics_parse_listen(const char *s, struct sockaddr_storage *sa,
			 socklen_t *salen, char *err, size_t errlen);

/*
 * Listen on d->cfg->dhcpxdp.metrics_listen (nothing when NULL: *out stays
 * NULL) and serve GET /metrics from the daemon's own event loop. Returns 0
 * or a negative errno after logging why.
 */
int metrics_http_open(struct daemon *d, struct metrics_http **out);
/* The fd to watch for readability in the daemon's epoll set. */
int metrics_http_fd(const struct metrics_http *h);
/* Serve what is ready (and time out idle connections); never blocks. */
void metrics_http_run(struct metrics_http *h);
void metrics_http_close(struct metrics_http *h);

#endif /* DHCPXDP_METRICS_H */
