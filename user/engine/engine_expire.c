// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Time: leases, probations and offer holds that run out (the deadline
 * heap of lease_table.c), and the horizon extensions of leases renewed
 * by XDP (docs/design.md §2).
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "engine/engine_internal.h"

int64_t engine_next_deadline(const struct engine *e)
{
	const struct lt_lease *l = e ? lt_first_deadline(e->lt) : NULL;

	return l ? l->deadline : INT64_MAX;
}

/* End one due entry; false (nothing done) when k has no room for it. */
static bool expire_one(struct engine *e, struct lt_lease *l, int64_t now,
		       struct sink *k)
{
	struct eng_subnet *s = subnet_by_id(e, l->subnet_id);

	if (l->state == LT_STATE_OFFERED) {
		lease_offer_lapse(e, s, l);
	} else if (l->state == DX_LEASE_ACTIVE) {
		if (!sink_room(k, 1, 1))
			return false;
		lease_end(e, s, l, now, k);
	} else if (l->state == DX_LEASE_DECLINED) {
		if (!sink_room(k, 1, 0))
			return false;
		/* Probation over (§4.3.3): free, and nobody's sticky
		 * address, so the row goes. */
		dyn_give_back(s, l->addr);
		lease_emit_delete(k, l);
		lt_remove(e->lt, l);
	} else {
		lt_clear_deadline(e->lt, l);
	}
	return true;
}

size_t expire_due(struct engine *e, int64_t now, struct sink *k, size_t max)
{
	struct lt_lease *l;
	size_t n = 0;

	/* Inclusive: what is due at `now` is over (engine_internal.h). */
	while (n < max && (l = lt_first_deadline(e->lt)) &&
	       l->deadline <= now && expire_one(e, l, now, k))
		n++;
	return n;
}

int engine_expire(struct engine *e, int64_t now, struct engine_batch *b)
{
	struct sink k;

	if (!e || !b || (b->cap && (!b->ops || !b->map)))
		return -EINVAL;
	k.ops = b->ops;
	k.map = b->map;
	k.cap = b->cap;
	k.n_ops = &b->n_ops;
	k.n_map = &b->n_map;
	return (int)expire_due(e, now, &k, INT_MAX);
}

int engine_note_renewal(struct engine *e, uint32_t subnet_id,
			const uint8_t mac[6], uint32_t addr, int64_t now,
			int64_t granted_until, struct engine_changes *out)
{
	struct eng_subnet *s;
	struct lt_lease *l;
	struct sink k;

	if (!e || !mac || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	s = subnet_by_id(e, subnet_id);
	l = s ? lt_find_addr(e->lt, subnet_id, addr) : NULL;
	if (!l || l->state != DX_LEASE_ACTIVE || !(l->lt_flags & LT_F_OWNED) ||
	    memcmp(l->mac, mac, 6))
		return -ENOENT;
	/* No longer leasable (config changed): let the lease run out. */
	if (!dyn_ok(s, addr))
		return -EPERM;
	sink_of(&k, out);
	l->expires = max64(l->expires, granted_until);
	l->horizon = max64(l->horizon, horizon_for(e, s, now));
	l->last_seen = now;
	l->flags |= DX_LEASE_F_FASTPATH;
	lt_set_deadline(e->lt, l, lease_reclaim_at(l));
	lease_emit_upsert(&k, l);
	lease_emit_map(&k, ENGINE_MAP_UPSERT, l);
	return 0;
}
