/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Keeping the XDP maps in step with the configuration and the engine
 * (docs/design.md §2, §4): networks and relays from the interfaces and
 * subnets, the subnets array with pre-encoded options, reservations, and
 * every lease change the engine makes once it is durable.
 *
 * Subnets live in array slots; a slot keeps its subnet across reloads and
 * restarts (the array itself records which subnet id each slot holds), so
 * the fast path never sees a subnet move under it.
 */
#ifndef DHCPXDP_MAP_SYNC_H
#define DHCPXDP_MAP_SYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <dhcpxdp/abi.h>
#include "kernel/bpf_obj.h"
#include "engine/engine.h"
#include "kernel/map_reservations.h"
#include "kernel/map_slots.h"
#include "kernel/map_walk.h"

struct dx_config;
struct dx_reservation_conf;
struct dx_subnet_conf;

/* What a sync did, for the daemon's log. */
struct map_sync_report {
	size_t subnets, networks, relays, reservations;
	size_t networks_absent; /* interfaces missing or without IPv4 */
	/* untagged networks left to the daemon: their device carries VLAN
	 * networks and may strip tags before XDP (kernel/vlan_offload.h) */
	size_t networks_daemon_only;
	size_t fast_path_off; /* subnets whose options do not fit the map,
				 * or with too many pools with options */
	/* subnets answered by the daemon only under Kea's switches */
	size_t fast_path_kea;
	/* subnets left to the daemon for their client classes */
	size_t fast_path_classes;
	size_t reservations_slow; /* served by the daemon only (see .c) */
	/* by circuit id, answered from dx_circuits */
	size_t reservations_circuit;
	size_t reservations_held; /* their address still leased to another */
	/* subnets with pools but no window in dx_addrs: it is full */
	size_t addr_windows_off;
};

/* Learn the slots an earlier run assigned from the pinned array, and
 * their windows in dx_addrs (obj->windows too). */
int map_slots_load(const struct dx_bpf *obj, struct map_slots *slots);
/* Slot of `subnet_id`, or DX_SUBNET_SLOT_NONE. */
uint32_t map_slot_of(const struct map_slots *slots, uint32_t subnet_id);

/*
 * Bring networks, relays, subnets and reservations in line with cfg
 * (entries no longer configured are removed). Interfaces are resolved on
 * the host (netif.h); one that is missing or has no usable IPv4 address
 * gets no network (counted in rep->networks_absent), so XDP passes its
 * traffic up until a later sync. `err` names what failed. The lease
 * map's dynamic entries are not touched.
 */
int map_sync_config(const struct dx_bpf *obj, const struct dx_config *cfg,
		    const struct engine *e, struct map_slots *slots,
		    struct map_sync_report *rep, char *err, size_t errlen);

/*
 * Drop reservations of `old_cfg` that `new_cfg` no longer has (by
 * subnet and MAC) from the lease map; call after map_sync_config on a
 * reload.
 */
int map_sync_drop_reservations(const struct dx_bpf *obj,
			       const struct dx_config *old_cfg,
			       const struct dx_config *new_cfg);

/*
 * Apply engine lease-map changes, already durable, in order. Horizons and
 * expiries go from wall clock (now_wall, unix s) to CLOCK_BOOTTIME
 * (now_boot_ns, read just before the call). A dynamic entry keeps the
 * op's flags (DX_LEASE_F_UNTRACKED); one whose op has a renew_bound ends
 * no earlier than now_boot_ns + renew_bound + ENGINE_MAP_GRACE (a renewal
 * racing the rewrite, engine.h). Returns 0 or the first error (-ENOSPC
 * when the lease map is full); the remaining changes are still attempted.
 */
int map_apply_lease_ops(const struct dx_bpf *obj,
			const struct engine_map_op *ops, size_t n,
			int64_t now_wall, uint64_t now_boot_ns);

/*
 * Install many leases at once (start-up, each durable commit batch):
 * UPSERTs go in with
 * BPF_MAP_UPDATE_BATCH, a few thousand per call; other ops as
 * map_apply_lease_ops() does. Same return convention.
 */
int map_load_leases(const struct dx_bpf *obj, const struct engine_map_op *ops,
		    size_t n, int64_t now_wall, uint64_t now_boot_ns);

/* Wall-clock horizon -> CLOCK_BOOTTIME ns, never before now_boot_ns. */
uint64_t map_horizon_boot_ns(int64_t horizon_wall, int64_t now_wall,
			     uint64_t now_boot_ns);
/* The other way: CLOCK_BOOTTIME ns (past or future) -> wall-clock s. */
int64_t map_boot_to_wall(uint64_t t_ns, int64_t now_wall, uint64_t now_boot_ns);

#endif /* DHCPXDP_MAP_SYNC_H */
