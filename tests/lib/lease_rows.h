/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Lease rows for tests and benchmarks, on top of the store's own
 * operations (store/lease_db.h): the daemon only ever commits operations,
 * the tests often want to write or count plain rows.
 */
#ifndef DHCPXDP_TEST_LEASE_ROWS_H
#define DHCPXDP_TEST_LEASE_ROWS_H

#include <stddef.h>
#include <stdint.h>
#include "store/lease_db.h"

/*
 * A row of subnet and addr in state, its MAC 02:00:5e:10:20:mac_last, its
 * times (expires, horizon an hour later, last_seen) made from addr.
 */
void lease_rows_make(struct dx_lease_rec *r, uint32_t subnet, uint32_t addr,
		     uint8_t mac_last, uint8_t state);
/* Upsert n rows in one commit (lease_db_commit_ops); 0 or -errno. */
int lease_rows_commit(struct lease_db *db, const struct dx_lease_rec *recs,
		      size_t n);
/* Rows in `state`, or every row when state is 0; 0 or -errno. */
int lease_rows_count(struct lease_db *db, int state, uint64_t *count);

#endif
