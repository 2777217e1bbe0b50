/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The XDP rate limits (dx_limits, include/dhcpxdp/abi.h) from the
 * configuration's Dhcp4.dhcpxdp.rate-limits, written at start and on
 * every reload (docs/design.md §2, §4).
 */
#ifndef DHCPXDP_MAP_LIMITS_H
#define DHCPXDP_MAP_LIMITS_H

#include <dhcpxdp/abi.h>
#include "kernel/bpf_obj.h"

struct dx_config;

/* cfg's limits as the map holds them. */
void map_limits_from_config(const struct dx_config *cfg,
			    struct dx_rate_limits *out);

/* Write them into the map: 0 or a negative errno. The buckets are kept:
 * a bucket in debt under the old limits pays it off at the new rate. */
int map_limits_sync(const struct dx_bpf *obj, const struct dx_config *cfg);

#endif /* DHCPXDP_MAP_LIMITS_H */
