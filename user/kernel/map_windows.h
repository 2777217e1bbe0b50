/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The windows of dx_addrs kept in step with the subnets map on each sync
 * (docs/design.md §4): placed for the configuration and zeroed before a
 * subnet entry names them; once the entries do, a moved window's leases
 * carried over from its old place, every range no longer in use zeroed,
 * and a window new to its subnet filled from dx_leases.
 */
#ifndef DHCPXDP_MAP_WINDOWS_H
#define DHCPXDP_MAP_WINDOWS_H

#include <stddef.h>
#include "kernel/bpf_obj.h"
#include "kernel/map_slots.h"

struct dx_config;

/*
 * slots->win for cfg, from the windows `before` (addr_window.h), with the
 * ranges given out anew zeroed. *off counts subnets left without one.
 */
int map_windows_place(const struct dx_bpf *obj, const struct dx_config *cfg,
		      const struct map_slots *before, struct map_slots *slots,
		      size_t *off, char *err, size_t errlen);

/* After the subnet entries were written with slots->win: move, zero and
 * fill as above, and point obj->windows at the new windows. */
int map_windows_settle(const struct dx_bpf *obj, const struct dx_config *cfg,
		       const struct map_slots *before,
		       const struct map_slots *slots, char *err, size_t errlen);

#endif /* DHCPXDP_MAP_WINDOWS_H */
