/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Writing dx_addrs, the dynamic leases by address (abi.h), in step with
 * dx_leases: an entry is written after its dx_leases entry and cleared
 * before it goes, so XDP never finds one there that dx_leases no longer
 * holds; and the entries of a subnet whose window moved are carried over
 * (map_windows.h). The windows in use are obj->windows; with none (NULL,
 * or the subnet has no window) these do nothing.
 */
#ifndef DHCPXDP_MAP_ADDRS_H
#define DHCPXDP_MAP_ADDRS_H

#include <stddef.h>
#include <stdint.h>
#include <dhcpxdp/abi.h>
#include "kernel/addr_window.h"
#include "kernel/bpf_obj.h"

/* The entry of the dynamic lease k -> l (just written to dx_leases). */
int map_addrs_put(const struct dx_bpf *obj, const struct dx_lease_key *k,
		  const struct dx_lease *l);

/* The same for n leases at once (BPF_MAP_UPDATE_BATCH where it works). */
int map_addrs_put_many(const struct dx_bpf *obj,
		       const struct dx_lease_key *keys,
		       const struct dx_lease *vals, size_t n);

/* Clear the entry of (subnet_id, mac, addr host order) if it is that
 * lease's; 0 when it is cleared or was not there. */
int map_addrs_forget(const struct dx_bpf *obj, uint32_t subnet_id,
		     const uint8_t mac[6], uint32_t addr);

/* The same for the entry dx_leases holds for k now, if it is dynamic:
 * before that entry is replaced or deleted. */
int map_addrs_forget_key(const struct dx_bpf *obj,
			 const struct dx_lease_key *k);

/* Zero `n` entries from `base`. */
int map_addrs_clear(int addrs_fd, uint32_t base, uint32_t n);

/*
 * Copy subnet_id's entries from window `from` into window `to` (cleared
 * beforehand, and named by the subnet's entry already), each to its
 * address's index there. A renewal XDP answered from `from` just before
 * the subnet's entry changed may write its expiry after the copy read
 * the entry: so an entry live at now_boot_ns ends no earlier than
 * renew_until_ns, as a rewrite's does (renew_bound, docs/design.md §2).
 */
int map_addrs_move(int addrs_fd, uint32_t subnet_id,
		   const struct dx_addr_window *from,
		   const struct dx_addr_window *to, uint64_t now_boot_ns,
		   uint64_t renew_until_ns);

/*
 * l (subnet_id, mac, read from dx_leases) with the later expiry of its
 * own and of its dx_addrs entry, where XDP wrote the renewals it answered
 * from there. addrs_fd < 0 or aw NULL: l as it is.
 */
void map_addrs_merge(int addrs_fd, const struct addr_windows *aw,
		     uint32_t subnet_id, const uint8_t mac[6],
		     struct dx_lease *l);

#endif /* DHCPXDP_MAP_ADDRS_H */
