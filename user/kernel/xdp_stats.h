/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The XDP program's counters (include/dhcpxdp/stats.h): one per-CPU array
 * entry, summed here for every reader (dhcpxdp stats, the control
 * socket's status and statistics, the Prometheus metrics).
 */
#ifndef DHCPXDP_XDP_STATS_H
#define DHCPXDP_XDP_STATS_H

#include <stdint.h>
#include <dhcpxdp/stats.h>

/* Every counter of the stats map at stats_fd, summed over the CPUs.
 * 0 or a negative errno: -EPROTO when the map is not of this build's
 * shape (pinned by another dhcpxdp version). */
int xdp_stats_read(int stats_fd, uint64_t out[DX_STAT_MAX]);

/* A counter's name ("renew_ack", "punt_no_lease", ...) and its help line. */
const char *xdp_stat_name(int stat);
const char *xdp_stat_help(int stat);

#endif
