// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The rows by (subnet, chaddr) for the import: a sorted array searched by
 * bisection. See lease_mac_index.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/lease_mac_index.h"
#include "store/lease_db.h"

struct lease_mac_row {
	uint32_t subnet_id, addr;
	uint8_t mac[6];
	uint8_t state;
	int64_t expires, horizon, last_seen;
};

static int add_row(const struct dx_lease_rec *r, void *arg)
{
	struct lease_mac_index *x = arg;
	struct lease_mac_row *grown, *row;

	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 1024;

		grown = realloc(x->rows, cap * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		x->rows = grown;
		x->cap = cap;
	}
	row = &x->rows[x->n++];
	row->subnet_id = r->subnet_id;
	row->addr = r->addr;
	memcpy(row->mac, r->mac, 6);
	row->state = r->state;
	row->expires = r->expires;
	row->horizon = r->horizon;
	row->last_seen = r->last_seen;
	return 0;
}

static int key_cmp(const struct lease_mac_row *a, uint32_t subnet_id,
		   const uint8_t mac[6])
{
	if (a->subnet_id != subnet_id)
		return a->subnet_id < subnet_id ? -1 : 1;
	return memcmp(a->mac, mac, 6);
}

/* The key, then the preferred row first: ACTIVE, then latest seen. */
static int row_cmp(const void *pa, const void *pb)
{
	const struct lease_mac_row *a = pa, *b = pb;
	int c = key_cmp(a, b->subnet_id, b->mac);

	if (c)
		return c;
	if ((a->state == DX_LEASE_ACTIVE) != (b->state == DX_LEASE_ACTIVE))
		return a->state == DX_LEASE_ACTIVE ? -1 : 1;
	if (a->last_seen != b->last_seen)
		return a->last_seen > b->last_seen ? -1 : 1;
	return 0;
}

int lease_mac_index_load(struct lease_mac_index *x, struct lease_db *db)
{
	int ret;

	memset(x, 0, sizeof(*x));
	ret = lease_db_load(db, add_row, x);
	if (ret) {
		lease_mac_index_free(x);
		return ret;
	}
	if (x->n)
		qsort(x->rows, x->n, sizeof(*x->rows), row_cmp);
	return 0;
}

int lease_mac_index_get(const struct lease_mac_index *x, uint32_t subnet_id,
			const uint8_t mac[6], struct dx_lease_rec *out)
{
	size_t lo = 0, hi = x->n;
	const struct lease_mac_row *row;

	/* The first row not before the key. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (key_cmp(&x->rows[mid], subnet_id, mac) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == x->n || key_cmp(&x->rows[lo], subnet_id, mac))
		return -ENOENT;
	row = &x->rows[lo];
	memset(out, 0, sizeof(*out));
	out->subnet_id = row->subnet_id;
	out->addr = row->addr;
	memcpy(out->mac, row->mac, 6);
	out->state = row->state;
	out->expires = row->expires;
	out->horizon = row->horizon;
	out->last_seen = row->last_seen;
	return 0;
}

void lease_mac_index_free(struct lease_mac_index *x)
{
	free(x->rows);
	memset(x, 0, sizeof(*x));
}
