// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Pool starvation (docs/protocol.md, "Starvation"): a burst of DISCOVERs
 * from made-up chaddrs holds every address of a small pool for the whole
 * offer-lifetime. An offer promises nothing - RFC 2131 §4.3.1: the server
 * SHOULD reserve the offered address, and a REQUEST for an address no
 * longer available is NAKed (§4.3.2) - so under pressure offers are held
 * only briefly, and once the pool is dry a DISCOVER takes over the oldest
 * offer older than that short hold. With no such offer either, the
 * declined address whose probation began first is offered again, as ISC
 * dhcpd reclaims abandoned addresses when a pool is exhausted.
 */
#include <errno.h>
#include <stdint.h>

#include "engine/engine_internal.h"

bool starve_pressure(const struct engine *e, const struct eng_subnet *s)
{
	struct dx_pool_stats ps;
	uint64_t size;

	if (!e->sv.pressure_free_percent)
		return false;
	pool_set_stats(s->pool, &ps);
	size = ps.total - ps.reserved; /* what can be handed out at all */
	/* "Below": exactly at the percent is not under pressure. */
	return ps.free * 100 < (uint64_t)e->sv.pressure_free_percent * size;
}

int64_t starve_offer_made(const struct engine *e, const struct lt_lease *l)
{
	return l->deadline -
	       (l->lt_flags & LT_F_OFFER_SHORT ? e->short_hold : e->offer_hold);
}

struct cand_ctx {
	const struct engine *e;
	const struct eng_subnet *s;
};

/* The offer the item was pushed for is still held, unrefreshed. */
static bool offer_live(void *arg, const struct cand *c)
{
	const struct cand_ctx *x = arg;
	const struct lt_lease *l = lt_find_addr(x->e->lt, x->s->id, c->addr);

	return l && l->state == LT_STATE_OFFERED &&
	       starve_offer_made(x->e, l) == c->key;
}

/* The probation the item was pushed for is still running. */
static bool declined_live(void *arg, const struct cand *c)
{
	const struct cand_ctx *x = arg;
	const struct lt_lease *l = lt_find_addr(x->e->lt, x->s->id, c->addr);

	return l && l->state == DX_LEASE_DECLINED && l->expires == c->key;
}

/*
 * Without memory the offer is simply no candidate: it keeps its hold,
 * nothing else changes.
 */
void starve_note_offer(struct engine *e, struct eng_subnet *s, uint32_t a)
{
	const struct lt_lease *l = lt_find_addr(e->lt, s->id, a);
	struct cand_ctx x = {e, s};

	if (!e->sv.pressure_free_percent || !l || l->state != LT_STATE_OFFERED)
		return;
	(void)cand_push(&s->offer_q, l->addr, starve_offer_made(e, l),
			offer_live, &x);
}

/*
 * Keyed by the end of probation: with one decline-probation-period the
 * same order as its start. (A row loaded from a database written with
 * another period is placed by its end.)
 */
void starve_note_declined(struct engine *e, struct eng_subnet *s,
			  const struct lt_lease *l)
{
	struct cand_ctx x = {e, s};

	if (!e->sv.reclaim_declined || !dyn_ok(s, l->addr))
		return;
	(void)cand_push(&s->declined_q, l->addr, l->expires, declined_live, &x);
}

static int take_over(struct engine *e, struct eng_subnet *s, int64_t now,
		     uint32_t *a)
{
	struct cand_ctx x = {e, s};
	const struct cand *top;

	while ((top = cand_top(&s->offer_q))) {
		struct cand c = *top; /* the pop moves the array */
		struct lt_lease *l = lt_find_addr(e->lt, s->id, c.addr);

		if (!offer_live(&x, &c)) {
			cand_pop(&s->offer_q);
			continue;
		}
		/* The heap is by age: nothing behind is older. */
		if (now - c.key <= (int64_t)e->short_hold)
			return -ENOSPC;
		cand_pop(&s->offer_q);
		/* As if the offer's hold had ended: its client's REQUEST is
		 * NAKed now that the address is another's (§4.3.2). */
		lease_offer_lapse(e, s, l);
		if (!pool_is_free(s->pool, c.addr))
			continue;
		*a = c.addr;
		s->offers_taken_over++;
		return 0;
	}
	return -ENOSPC;
}

static int reclaim_declined(struct engine *e, struct eng_subnet *s,
			    struct sink *k, uint32_t *a)
{
	struct cand_ctx x = {e, s};
	const struct cand *top;

	while (sink_room(k, 1, 0) && (top = cand_top(&s->declined_q))) {
		struct cand c = *top; /* the pop moves the array */
		struct lt_lease *l = lt_find_addr(e->lt, s->id, c.addr);
		uint32_t addr = c.addr;

		cand_pop(&s->declined_q);
		if (!declined_live(&x, &c) || !dyn_ok(s, addr))
			continue;
		/*
		 * The probation ends early (§4.3.3 leaves its length to the
		 * server): its row goes as at its natural end, and the
		 * address is offered as a fresh one.
		 */
		lease_emit_delete(k, l);
		dyn_give_back(s, addr);
		lt_remove(e->lt, l);
		if (!pool_is_free(s->pool, addr))
			continue;
		*a = addr;
		s->declined_reclaimed++;
		return 0;
	}
	return -ENOSPC;
}

int starve_free_one(struct engine *e, struct eng_subnet *s, int64_t now,
		    struct sink *k, uint32_t *a)
{
	if (e->sv.pressure_free_percent && !take_over(e, s, now, a))
		return ENGINE_STARVE_TAKEN_OVER;
	if (e->sv.reclaim_declined && !reclaim_declined(e, s, k, a))
		return ENGINE_STARVE_RECLAIMED;
	return -ENOSPC;
}

void starve_free(struct eng_subnet *s)
{
	cand_free(&s->offer_q);
	cand_free(&s->declined_q);
}
