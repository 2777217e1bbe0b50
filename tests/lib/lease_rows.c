// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdlib.h>
#include "lease_rows.h"

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
