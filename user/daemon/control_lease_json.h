/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A lease row in Kea's shape (Lease4::toElement of Kea 2.x), as the
 * lease4-get* commands answer, and the page of lease4-get-page. Pure:
 * no daemon, so the unit tests build them.
 */
#ifndef DHCPXDP_CONTROL_LEASE_JSON_H
#define DHCPXDP_CONTROL_LEASE_JSON_H

#include <stddef.h>
#include <stdint.h>
#include "engine/lease.h"

struct json_object;

/* Kea's lease states: Lease::STATE_DEFAULT, _DECLINED, _EXPIRED_RECLAIMED. */
#define KEA_LEASE_DEFAULT	    0
#define KEA_LEASE_DECLINED	    1
#define KEA_LEASE_EXPIRED_RECLAIMED 2

/* Kea's number for a dhcpxdp state (enum dx_lease_state). */
int kea_lease_state(int dx_state);

/*
 * {"ip-address", "hw-address", "client-id"?, "subnet-id", "cltt",
 *  "valid-lft", "fqdn-fwd", "fqdn-rev", "hostname", "state",
 *  "dhcpxdp": {"state", "expire", "horizon", "last-seen", "fast-path"}}.
 * cltt is the client's last transmission (last_seen) and valid-lft the
 * rest of the lease from it, so cltt + valid-lft is the expiry, as in Kea.
 */
struct json_object *control_lease_to_kea(const struct dx_lease_rec *r);

/*
 * lease4-get-page: the `limit` rows of lowest address above `from` (0:
 * from the first), whatever order they are offered in. The rows are
 * kept in a max-heap of `limit` entries, so a walk of the whole database
 * holds one page, not the database.
 */
struct lease_page {
	struct dx_lease_rec *rows; /* limit entries */
	size_t n, limit;
	uint32_t after; /* only addresses above it */
	int from_start; /* 1: every address */
};

int lease_page_init(struct lease_page *p, uint32_t after, int from_start,
		    size_t limit);
/* Offer one row; kept if among the lowest `limit` so far. */
void lease_page_offer(struct lease_page *p, const struct dx_lease_rec *r);
/* Sort the kept rows by address (the heap is gone afterwards). */
void lease_page_sort(struct lease_page *p);
void lease_page_free(struct lease_page *p);

#endif
