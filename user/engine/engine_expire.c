// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Time: leases, probations and offer holds that run out (the deadline
 * heap of lease_table.c) - a lease when the later of its expiry and the
 * lease map's is past, or its horizon when the map cannot tell - and the
 * horizon extensions of leases renewed by XDP (docs/design.md §2).
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

/*
 * A due ACTIVE lease whose horizon has not passed (docs/design.md §2):
 * XDP may have renewed it without telling, and only the lease map knows.
 * True: over, to be reclaimed now; false: its deadline moved on.
 */
static bool lease_over(struct engine *e, struct lt_lease *l, int64_t now,
		       const struct engine_map_reader *mr)
{
	int64_t mapped, at;

	if (!(l->lt_flags & LT_F_OWNED) || !mr->expiry ||
	    mr->expiry(mr->arg, l->subnet_id, l->mac, l->addr, &mapped)) {
		/* The map cannot tell: XDP may have granted it up to the
		 * horizon. */
		lt_set_deadline(e->lt, l, lease_reclaim_at(l));
		return false;
	}
	/* The map saw later renewals than the row: the lease's end is
	 * theirs (a listing of the engine shows it). */
	l->expires = max64(l->expires, mapped);
	at = lease_check_at(l);
	if (at <= now)
		return true;
	lt_set_deadline(e->lt, l, at);
	return false;
}

/*
 * 1: one due entry ended; 0: looked at, lives on (its deadline moved
 * on); -1: nothing done (k has no room, or the lease needs the map's
 * word and mr is NULL).
 */
static int expire_one(struct engine *e, struct lt_lease *l, int64_t now,
		      struct sink *k, const struct engine_map_reader *mr)
{
	struct eng_subnet *s = subnet_by_id(e, l->subnet_id);

	if (l->state == LT_STATE_OFFERED) {
		lease_offer_lapse(e, s, l);
	} else if (l->state == DX_LEASE_ACTIVE) {
		if (now < lease_reclaim_at(l)) {
			if (!mr)
				return -1;
			if (!lease_over(e, l, now, mr))
				return 0;
		}
		if (!sink_room(k, 1, 1))
			return -1;
		lease_end(e, s, l, now, k);
	} else if (l->state == DX_LEASE_DECLINED) {
		if (!sink_room(k, 1, 0))
			return -1;
		/* Probation over (§4.3.3): free, and nobody's sticky
		 * address, so the row goes. */
		dyn_give_back(s, l->addr);
		lease_emit_delete(k, l);
		lt_remove(e->lt, l);
	} else {
		lt_clear_deadline(e->lt, l);
	}
	return 1;
}

size_t expire_due(struct engine *e, int64_t now, struct sink *k, size_t max,
		  const struct engine_map_reader *mr)
{
	struct lt_lease *l;
	size_t n = 0;
	int r;

	/*
	 * Inclusive: what is due at `now` is over (engine_internal.h). A
	 * lease that lives on moves its deadline past `now`, so the walk
	 * ends.
	 */
	while (n < max && (l = lt_first_deadline(e->lt)) &&
	       l->deadline <= now && (r = expire_one(e, l, now, k, mr)) >= 0)
		n += (size_t)r;
	return n;
}

int engine_expire(struct engine *e, int64_t now,
		  const struct engine_map_reader *mr, struct engine_batch *b)
{
	static const struct engine_map_reader no_map = {0};
	struct sink k;

	if (!e || !b || (b->cap && (!b->ops || !b->map)))
		return -EINVAL;
	k.ops = b->ops;
	k.map = b->map;
	k.cap = b->cap;
	k.n_ops = &b->n_ops;
	k.n_map = &b->n_map;
	k.ncr = b->ncr;
	k.ncr_cap = b->cap;
	k.n_ncr = &b->n_ncr;
	return (int)expire_due(e, now, &k, INT_MAX, mr ? mr : &no_map);
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
	lt_set_deadline(e->lt, l, lease_check_at(l));
	lease_emit_upsert(&k, l);
	/* XDP renews this entry: its rewrite may lose a renewal's expiry. */
	lease_emit_map_renewed(&k, s, l);
	return 0;
}
