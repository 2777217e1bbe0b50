/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Where each subnet's dynamic leases sit in dx_addrs (abi.h, struct
 * dx_addr_window): the windows by subnet id, for the daemon's writes and
 * for every reader that merges an entry's expiry (lease_view.h); and the
 * placement of the windows when the configuration changes.
 *
 * A window spans the subnet's pools. It keeps its place while that span
 * is unchanged, across reloads and restarts (the subnets map records it,
 * as it records the slots), so entries move only when the span does: a
 * subnet whose span changed gets a fresh range, and its entries are
 * carried over (map_windows.h).
 */
#ifndef DHCPXDP_ADDR_WINDOW_H
#define DHCPXDP_ADDR_WINDOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <dhcpxdp/abi.h>

struct dx_config;

struct addr_window_ent {
	uint32_t subnet_id;
	struct dx_addr_window w;
};

/* The windows in use, sorted by subnet id; only those with a size. */
struct addr_windows {
	size_t n;
	struct addr_window_ent e[DX_MAX_SUBNETS];
};

/* Index from the windows of each slot (ids[i] 0: slot unused). */
void addr_windows_build(struct addr_windows *aw, const uint32_t *ids,
			const struct dx_addr_window *win, size_t n_slots);

/* Index from a subnets map (the pinned one, for the CLI). */
int addr_windows_load(struct addr_windows *aw, int subnets_fd);

/* dx_addrs index of `addr` (host order) in subnet_id's window: true when
 * there is one. aw may be NULL (no windows). */
bool addr_windows_index(const struct addr_windows *aw, uint32_t subnet_id,
			uint32_t addr, uint32_t *idx);

/*
 * Place every slot's window for the configuration: the span of its
 * subnet's pools (ids[i] names the subnet in slot i, 0 for none; old_ids
 * and old, the slots before). A window of the same subnet and span as
 * old[i] keeps its base; the others get the
 * first range of `capacity` entries that overlaps no window kept or
 * still in old (its entries are carried over before that range is
 * freed). A subnet that does not fit gets size 0 (counted in *off).
 * Pure: the caller writes the map.
 */
void addr_windows_place(const struct dx_config *cfg, const uint32_t *old_ids,
			const uint32_t *ids, const struct dx_addr_window *old,
			struct dx_addr_window *win, size_t n_slots,
			uint32_t capacity, size_t *off);

static inline bool addr_window_same(const struct dx_addr_window *a,
				    const struct dx_addr_window *b)
{
	return a->first == b->first && a->size == b->size && a->base == b->base;
}

#endif /* DHCPXDP_ADDR_WINDOW_H */
