/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A lease as the operator should see it: the database row, brought up to
 * date with what the XDP program did since; and, the same reading for the
 * engine, when the lease map says a lease ends (lease_view_expiry).
 *
 * XDP reports only the renewals that need a horizon extension (abi.h,
 * struct dx_event); the others leave the expiry they granted in the lease
 * map entry (dx_lease.expires_ns). A listing shows the later of the two,
 * so `dhcpxdp leases` and lease4-get tell when a lease really ends, with
 * or without a running daemon. The database catches up at the next
 * extension (at most one renewal interval later).
 */
#ifndef DHCPXDP_LEASE_VIEW_H
#define DHCPXDP_LEASE_VIEW_H

#include <stdbool.h>
#include <stdint.h>
#include "config/config.h"
#include "engine/lease.h"
#include "kernel/addr_window.h"
#include "kernel/bpf_obj.h"

/*
 * The maps a lease's entry is read from: dx_leases, and dx_addrs where XDP
 * writes the expiries of the renewals it answered by address (abi.h).
 * leases_fd < 0: no map, nothing to merge.
 */
struct lease_maps {
	int leases_fd;
	int addrs_fd;
	const struct addr_windows *windows;
	bool owned; /* opened by lease_maps_open */
};

/* The daemon's own maps (nothing to close). */
struct lease_maps lease_maps_of(const struct dx_bpf *obj);

/*
 * The maps pinned in pin_dir, for a command beside the daemon. 0, or the
 * negative errno of opening the lease map (-EPROTO: another dhcpxdp
 * version's, -ENOENT: none); m->leases_fd is -1 then. Without dx_addrs
 * or its windows, the entries are read from dx_leases alone.
 */
int lease_maps_open(const char *pin_dir, struct lease_maps *m);
void lease_maps_close(struct lease_maps *m);

/*
 * Merge the map entry of r's client into r: a later expiry, the
 * renewal's time as last seen, and the fast-path mark. now_wall (unix s)
 * and now_boot (CLOCK_BOOTTIME ns) are read together by the caller.
 */
void lease_view_merge(const struct lease_maps *m, const struct dx_config *cfg,
		      struct dx_lease_rec *r, int64_t now_wall,
		      uint64_t now_boot);

/*
 * The lease map's word on when a lease ends, for the engine's expiry
 * (engine_map_reader, engine.h): 0 with *expires the entry's expiry in
 * wall-clock seconds, rounded up so that it is never earlier than the one
 * XDP granted; -ENOENT when the map cannot tell: no map (leases_fd < 0),
 * no entry for (subnet_id, mac), an entry for another address or a
 * reservation, or one marked DX_LEASE_F_UNTRACKED. now_wall and now_boot
 * are read together by the caller, at the moment of the decision.
 */
int lease_view_expiry(const struct lease_maps *m, uint32_t subnet_id,
		      const uint8_t mac[6], uint32_t addr, int64_t now_wall,
		      uint64_t now_boot, int64_t *expires);

#endif /* DHCPXDP_LEASE_VIEW_H */
