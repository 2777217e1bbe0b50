/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Reservations by circuit id (Kea's host-reservation-identifiers
 * "circuit-id": option 82 sub-option 1, RFC 3046 §2.1), looked up in
 * dx_circuits for subnets with DX_SUBNET_F_CIRCUIT_MAP.
 */
#ifndef DHCPXDP_CIRCUIT_H
#define DHCPXDP_CIRCUIT_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <dhcpxdp/abi.h>
#include <dhcpxdp/stats.h>
#include "maps.bpf.h"
#include "request.h"

/*
 * Kea looks a client's reservation up by each identifier in its order,
 * the first match winning. The daemon puts a subnet's circuit-id
 * reservations here only when no identifier before circuit-id can match
 * a reservation XDP does not see (map_sync.c), so for a request carrying
 * a circuit id:
 *  - an entry found is the client's reservation, unless hw-address comes
 *    first (DX_SUBNET_F_HW_FIRST) and the client's own entry (*lp) is a
 *    reservation by hw-address;
 *  - none found: the circuit id matches no reservation, and the request
 *    is answered as if it carried none.
 * The circuit id is the first sub-option 1, as the daemon takes it
 * (stash_relay_info() recorded where it sits in fc->ri). Returns 0, with
 * *lp replaced when the reservation wins, or a punt reason.
 */
static __always_inline int circuit_pick(struct fast_ctx *fc,
					const struct dx_subnet *sn,
					struct dx_lease **lp)
{
	struct dx_circuit_key *k = &fc->circ_key;
	__u32 off = fc->circ_off, len = fc->circ_len;
	struct dx_lease *c;

	if (!fc->has_circuit || !len)
		return 0;
	if (len > DX_CIRCUIT_ID_MAX)
		return DX_STAT_PUNT_CIRCUIT_ID_RES;
	k->subnet_id = sn->subnet_id;
	k->len = len;
	for (int i = 0; i < DX_CIRCUIT_ID_MAX; i++)
		k->id[i] = i < len ? fc->ri[(off + i) & (DX_RELAY_INFO_MAX - 1)]
				   : 0;
	c = bpf_map_lookup_elem(&dx_circuits, k);
	if (!c)
		return 0;
	if ((sn->flags & DX_SUBNET_F_HW_FIRST) && *lp &&
	    ((*lp)->flags & DX_LEASE_F_RESERVED))
		return 0;
	/*
	 * Left to the daemon: a reservation with extras of its own (flags
	 * 0), and a client that still has a dynamic lease here, which the
	 * daemon's ACK of the reservation ends (a reserved client gets its
	 * reservation and nothing else, as Kea).
	 */
	if (!(c->flags & DX_LEASE_F_RESERVED) ||
	    (*lp && ((*lp)->flags & DX_LEASE_F_DYNAMIC)))
		return DX_STAT_PUNT_CIRCUIT_ID_RES;
	*lp = c;
	return 0;
}

#endif /* DHCPXDP_CIRCUIT_H */
