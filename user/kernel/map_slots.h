/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The subnets array's slots as the daemon keeps them (map_sync.h): which
 * subnet each slot holds, and its window in dx_addrs (addr_window.h).
 */
#ifndef DHCPXDP_MAP_SLOTS_H
#define DHCPXDP_MAP_SLOTS_H

#include <stdint.h>
#include <dhcpxdp/abi.h>

struct map_slots {
	uint32_t subnet_id[DX_MAX_SUBNETS]; /* 0: free */
	/* each slot's window in dx_addrs, as its map entry says */
	struct dx_addr_window win[DX_MAX_SUBNETS];
};

#endif /* DHCPXDP_MAP_SLOTS_H */
