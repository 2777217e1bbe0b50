// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The engine set back to the database after a failed commit. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "engine/lease_table.h"
#include "store/lease_rollback.h"

/* What became of one address of the failed batch. */
enum rb_fate { RB_RESTORED = 1, RB_QUEUED, RB_OFFERED, RB_FAILED };

struct rb_addr {
	struct lease_key k;
	int fate;	/* enum rb_fate */
	bool live;	/* restored to an ACTIVE row */
	uint8_t mac[6]; /* of that row */
};

static int cmp_key(const void *a, const void *b)
{
	const struct lease_key *x = a, *y = b;

	if (x->subnet_id != y->subnet_id)
		return x->subnet_id < y->subnet_id ? -1 : 1;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return 0;
}

size_t lease_keys_sort(struct lease_key *keys, size_t n)
{
	size_t i, out = 0;

	if (!keys || !n)
		return 0;
	qsort(keys, n, sizeof(*keys), cmp_key);
	for (i = 0; i < n; i++)
		if (!out || cmp_key(&keys[out - 1], &keys[i]))
			keys[out++] = keys[i];
	return out;
}

static bool has_key(const struct lease_key *keys, size_t n,
		    const struct lease_key *k)
{
	return n && bsearch(k, keys, n, sizeof(*keys), cmp_key);
}

/* Set the engine's entry for a->k to the database's row (or none). */
static int restore_addr(struct engine *e, struct lease_db *db, int64_t now,
			struct rb_addr *a)
{
	struct engine_changes scratch;
	struct dx_lease_rec cur, row;
	bool known, stored;
	int ret;

	ret = engine_lease_lookup(e, a->k.subnet_id, a->k.addr, &cur);
	known = !ret;
	/* An offer made since: it promises nothing and lapses on its own. */
	if (known && cur.state == LT_STATE_OFFERED)
		return RB_OFFERED;
	ret = lease_db_get_by_addr(db, a->k.subnet_id, a->k.addr, &row);
	if (ret && ret != -ENOENT)
		return RB_FAILED;
	stored = !ret;
	/* Its changes (a row delete, a map delete) are not wanted: the
	 * entry is only set back to the row, which is durable as it is. */
	if (known)
		(void)engine_lease_delete(e, a->k.subnet_id, a->k.addr,
					  &scratch);
	if (stored && engine_load_lease(e, &row, now, NULL))
		return RB_FAILED;
	if (stored && row.state == DX_LEASE_ACTIVE) {
		a->live = true;
		memcpy(a->mac, row.mac, 6);
	}
	return RB_RESTORED;
}

/* A delete of the failed batch to apply: not of a lease set back live. */
static bool delete_wanted(const struct rb_addr *addrs, size_t n,
			  const struct engine_map_op *m)
{
	struct lease_key k = {.subnet_id = m->subnet_id, .addr = m->addr};
	const struct rb_addr *a;

	if (m->kind != ENGINE_MAP_DELETE)
		return false;
	a = n ? bsearch(&k, addrs, n, sizeof(*addrs), cmp_key) : NULL;
	return !a || !a->live || memcmp(a->mac, m->mac, 6);
}

int lease_rollback(struct engine *e, struct lease_db *db,
		   struct lease_rollback *rb)
{
	struct rb_addr *addrs = NULL;
	size_t i, n = 0;

	if (!e || !db || !rb || (rb->n_ops && !rb->ops) ||
	    (rb->n_map && (!rb->map || !rb->map_out)) ||
	    (rb->n_queued && !rb->queued))
		return -EINVAL;
	rb->n_map_out = rb->restored = rb->queued_kept = rb->offered_kept =
		rb->failed = 0;
	if (rb->n_ops) {
		addrs = calloc(rb->n_ops, sizeof(*addrs));
		if (!addrs)
			return -ENOMEM;
	}
	/* struct rb_addr starts with its key: sorted as keys are. */
	for (i = 0; i < rb->n_ops; i++) {
		addrs[i].k.subnet_id = rb->ops[i].rec.subnet_id;
		addrs[i].k.addr = rb->ops[i].rec.addr;
	}
	if (rb->n_ops)
		qsort(addrs, rb->n_ops, sizeof(*addrs), cmp_key);
	for (i = 0; i < rb->n_ops; i++) {
		if (n && !cmp_key(&addrs[n - 1].k, &addrs[i].k))
			continue;
		addrs[n++] = addrs[i];
	}
	for (i = 0; i < n; i++) {
		struct rb_addr *a = &addrs[i];

		a->fate = has_key(rb->queued, rb->n_queued, &a->k)
				  ? RB_QUEUED
				  : restore_addr(e, db, rb->now, a);
		rb->restored += a->fate == RB_RESTORED;
		rb->queued_kept += a->fate == RB_QUEUED;
		rb->offered_kept += a->fate == RB_OFFERED;
		rb->failed += a->fate == RB_FAILED;
	}
	for (i = 0; i < rb->n_map; i++)
		if (delete_wanted(addrs, n, &rb->map[i]))
			rb->map_out[rb->n_map_out++] = rb->map[i];
	free(addrs);
	return 0;
}
