/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The lease database's rows by (subnet, chaddr), read once into memory
 * for `dhcpxdp leases import`, which asks it for every lease it plans:
 * the SQLite store has no MAC index (writes would pay for it), so
 * lease_db_get_by_mac scans the table and is for single reads only.
 */
#ifndef DHCPXDP_LEASE_MAC_INDEX_H
#define DHCPXDP_LEASE_MAC_INDEX_H

#include <stddef.h>
#include <stdint.h>

struct dx_lease_rec;
struct lease_db;
struct lease_mac_row;

struct lease_mac_index {
	struct lease_mac_row *rows; /* by subnet, MAC, preference */
	size_t n, cap;
};

/* Every row of db read; 0 or the reading's negative errno. */
int lease_mac_index_load(struct lease_mac_index *x, struct lease_db *db);
/*
 * As lease_db_get_by_mac: the client's row on the subnet, an ACTIVE one
 * first, then the most recently seen; only the address, state, MAC,
 * subnet, expiry, horizon and last-seen time are filled in. 0 or -ENOENT.
 */
int lease_mac_index_get(const struct lease_mac_index *x, uint32_t subnet_id,
			const uint8_t mac[6], struct dx_lease_rec *out);
void lease_mac_index_free(struct lease_mac_index *x);

#endif
