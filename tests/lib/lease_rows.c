// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "lease_rows.h"

void lease_rows_make(struct dx_lease_rec *r, uint32_t subnet, uint32_t addr,
		     uint8_t mac_last, uint8_t state)
{
	static const uint8_t mac[6] = {0x02, 0x00, 0x5e, 0x10, 0x20, 0};

	memset(r, 0, sizeof(*r));
	r->subnet_id = subnet;
	r->addr = addr;
	memcpy(r->mac, mac, 6);
	r->mac[5] = mac_last;
	r->state = state;
	r->expires = 1700000000 + addr;
	r->horizon = r->expires + 3600;
	r->last_seen = 1699990000 + addr;
}

int lease_rows_commit(struct lease_db *db, const struct dx_lease_rec *recs,
		      size_t n)
{
	struct dx_lease_op *ops;
	int ret;

	if (n && !recs)
		return -EINVAL;
	ops = calloc(n ? n : 1, sizeof(*ops));
	if (!ops)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		ops[i].kind = DX_LEASE_OP_UPSERT;
		ops[i].rec = recs[i];
	}
	ret = lease_db_commit_ops(db, ops, n);
	free(ops);
	return ret;
}

struct count {
	int state;
	uint64_t n;
};

static int count_one(const struct dx_lease_rec *rec, void *arg)
{
	struct count *c = arg;

	c->n += !c->state || rec->state == c->state;
	return 0;
}

int lease_rows_count(struct lease_db *db, int state, uint64_t *count)
{
	struct count c = { .state = state };
	int ret;

	if (!count)
		return -EINVAL;
	ret = lease_db_load(db, count_one, &c);
	if (!ret)
		*count = c.n;
	return ret;
}
