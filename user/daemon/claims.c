// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Grants lost to another server sharing the database (claims.h). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/claims.h"
#include "daemon/commit.h"
#include "daemon/daemon_state.h"
#include "daemon/lease_log.h"
#include "engine/engine.h"
#include "store/commit_queue.h"
#include "store/lease_db.h"
#include "store/lease_rollback.h"
#include "util/clock.h"
#include "util/fmt.h"
#include "util/log.h"

#define REPLY_LOST UINT32_MAX

static bool key_lost(const struct lease_key *k, size_t n, uint32_t subnet_id,
		     uint32_t addr)
{
	for (size_t i = 0; i < n; i++)
		if (k[i].subnet_id == subnet_id && k[i].addr == addr)
			return true;
	return false;
}

/* Keep the keys of the lost ops (d->lost_keys, sorted, unique). */
static int note_keys(struct daemon *d, const struct commit_batch *b)
{
	struct lease_key *k = realloc(d->lost_keys, b->n_lost * sizeof(*k));
	size_t n = 0;

	if (!k)
		return -ENOMEM;
	d->lost_keys = k;
	for (size_t i = 0; i < b->n_ops; i++)
		if (b->lost[i]) {
			k[n].subnet_id = b->ops[i].rec.subnet_id;
			k[n++].addr = b->ops[i].rec.addr;
		}
	d->n_lost_keys = lease_keys_sort(k, n);
	return 0;
}

void claims_lost_prepare(struct daemon *d, struct commit_batch *b,
			 struct lease_events *lev)
{
	size_t i, j, n;

	d->n_lost_keys = 0;
	if (note_keys(d, b))
		d->cnt.claims_sync_failed += b->n_lost;
	d->cnt.claims_lost += b->n_lost;
	for (i = 0; i < b->n_replies; i++) {
		struct commit_reply *r = &b->replies[i];
		bool lost = false;

		/* Its grant (the ACTIVE upsert) lost; an older lease of the
		 * client that could not be ended does not undo the grant. */
		for (j = r->op_lo; j < r->op_hi && j < b->n_ops; j++)
			lost |= b->lost[j] &&
				b->ops[j].kind == DX_LEASE_OP_UPSERT &&
				b->ops[j].rec.state == DX_LEASE_ACTIVE;
		r->op_lo = r->op_hi = lost ? REPLY_LOST : 0;
	}
	/* No map entry for a lease the database gives another client. */
	for (i = n = 0; i < b->n_map; i++) {
		const struct engine_map_op *m = &b->map[i];

		if (m->kind == ENGINE_MAP_UPSERT &&
		    key_lost(d->lost_keys, d->n_lost_keys, m->subnet_id,
			     m->addr))
			continue;
		b->map[n++] = *m;
	}
	b->n_map = n;
	for (i = n = 0; i < b->n_ops; i++)
		if (!b->lost[i])
			b->ops[n++] = b->ops[i];
	b->n_ops = n;
	for (i = 0; i < d->n_lost_keys; i++)
		lease_events_forget(lev, d->lost_keys[i].subnet_id,
				    d->lost_keys[i].addr);
}

bool claims_lost_reply(const struct commit_batch *b,
		       const struct commit_reply *r)
{
	(void)b;
	return r->op_lo == REPLY_LOST;
}

void claims_lost_sync(struct daemon *d, struct commit_batch *b)
{
	struct engine_changes ch;
	struct dx_lease_rec row;
	char ip[FMT_IPV4_LEN];
	int ret;

	(void)b;
	for (size_t i = 0; i < d->n_lost_keys; i++) {
		const struct lease_key *k = &d->lost_keys[i];

		ret = lease_db_get_by_addr(d->db, k->subnet_id, k->addr, &row);
		if (ret && ret != -ENOENT) {
			d->cnt.claims_sync_failed++;
			continue;
		}
		ret = engine_lease_sync(d->eng, k->subnet_id, k->addr,
					ret ? NULL : &row, now_wall(), &ch);
		if (!ret)
			daemon_map_durable(d, ch.map, ch.n_map);
		log_limited(&d->lim_claims, now_mono(), 10, LOG_LVL_WARN,
			    "subnet %u: %s lost to another server sharing the "
			    "lease database: NAK sent instead of the ACK",
			    k->subnet_id, fmt_ipv4(ip, k->addr));
	}
	d->n_lost_keys = 0;
}
