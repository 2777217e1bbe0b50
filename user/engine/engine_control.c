// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * What the daemon asks of the engine outside requests: who holds an
 * address and an operator's lease deletion (the control socket), and the
 * per-subnet and drop counters (status, metrics).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "engine/engine_internal.h"

static const char *const drop_names[__ENGINE_DROP_MAX] = {
	[ENGINE_DROP_NONE] = "none",
	[ENGINE_DROP_MALFORMED] = "malformed",
	[ENGINE_DROP_UNSUPPORTED] = "unsupported",
	[ENGINE_DROP_NO_SUBNET] = "no-subnet",
	[ENGINE_DROP_NOT_FOR_US] = "not-for-us",
	[ENGINE_DROP_POOL_EXHAUSTED] = "pool-exhausted",
	[ENGINE_DROP_UNKNOWN_CLIENT] = "unknown-client",
	[ENGINE_DROP_NO_LEASE] = "no-lease",
	[ENGINE_DROP_NO_MEMORY] = "no-memory",
	[ENGINE_DROP_DECLINE_NOT_LEASED] = "decline-not-leased",
	[ENGINE_DROP_WRONG_NETWORK] = "wrong-network",
	[ENGINE_DROP_CAP_CIRCUIT_ID] = "cap-circuit-id",
	[ENGINE_DROP_CAP_RELAY_SHARE] = "cap-relay-share",
	[ENGINE_DROP_UNKNOWN_ADDRESS] = "unknown-address",
	[ENGINE_DROP_HA_SCOPE] = "ha-partner-scope",
};

const char *engine_drop_reason_name(int reason)
{
	if (reason < 0 || reason >= __ENGINE_DROP_MAX)
		return "unknown";
	return drop_names[reason];
}

int engine_lease_lookup(const struct engine *e, uint32_t subnet_id,
			uint32_t addr, struct dx_lease_rec *out)
{
	const struct lt_lease *l;

	if (!e || !out)
		return -EINVAL;
	l = lt_find_addr(e->lt, subnet_id, addr);
	if (!l)
		return -ENOENT;
	lease_rec(out, l);
	out->state = l->state;
	return 0;
}

/* Of two persisted rows of one client, which lease_db_get_by_mac gives. */
static bool better_row(const struct lt_lease *l, const struct lt_lease *than)
{
	bool a = l->db_state == DX_LEASE_ACTIVE;

	if (a != (than->db_state == DX_LEASE_ACTIVE))
		return a;
	return l->last_seen > than->last_seen;
}

int engine_lease_by_mac(const struct engine *e, uint32_t subnet_id,
			const uint8_t mac[6], uint32_t *addr)
{
	struct lt_lease *found[8];
	const struct lt_lease *best = NULL, *l;
	size_t n;

	if (!e || !mac || !addr)
		return -EINVAL;
	/* No client-id given: the entries with this chaddr (lt_owned_by). */
	n = lt_find_client(e->lt, subnet_id, mac, NULL, 0, found, 8);
	for (size_t i = 0; i < n && i < 8; i++) {
		l = found[i];
		if (!l->db_state || memcmp(l->mac, mac, 6))
			continue;
		if (!best || better_row(l, best))
			best = l;
	}
	if (!best)
		return -ENOENT;
	*addr = best->addr;
	return 0;
}

int engine_lease_delete(struct engine *e, uint32_t subnet_id, uint32_t addr,
			struct engine_changes *out)
{
	struct eng_subnet *s;
	struct lt_lease *l;
	struct sink k;

	if (!e || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	s = subnet_by_id(e, subnet_id);
	l = s ? lt_find_addr(e->lt, subnet_id, addr) : NULL;
	if (!l || !l->db_state)
		return -ENOENT;
	sink_of(&k, out);
	lease_emit_delete(&k, l);
	if (l->state == LT_STATE_OFFERED) {
		/*
		 * An offer held over the row (the client's sticky row, or
		 * another's it took over): the row goes, the offer stays
		 * and, once it lapses, the entry with it.
		 */
		l->db_state = 0;
		l->lt_flags &= ~LT_F_OFFER_REPLACED;
		return 0;
	}
	if (l->state == DX_LEASE_ACTIVE) {
		/* Explicit: the durable horizon is not waited for (Kea
		 * frees a deleted lease's address at once too). */
		lease_emit_map(&k, ENGINE_MAP_DELETE, l);
		rcap_unlink(e, s, l->addr);
		dyn_give_back(s, l->addr);
		if (s->leases_active)
			s->leases_active--;
	} else if (l->state == DX_LEASE_DECLINED) {
		/* Probation ends now (the operator vouches for it). */
		dyn_give_back(s, l->addr);
	}
	/* RELEASED / EXPIRED: the address is already free. */
	lt_remove(e->lt, l);
	return 0;
}

size_t engine_subnet_count(const struct engine *e)
{
	return e ? e->n_subnets : 0;
}

int engine_subnet_stats(const struct engine *e, size_t i,
			struct engine_subnet_stats *out)
{
	const struct eng_subnet *s;
	struct dx_pool_stats ps;

	if (!e || !out)
		return -EINVAL;
	if (i >= e->n_subnets)
		return -ENOENT;
	s = &e->subnets[i];
	pool_set_stats(s->pool, &ps);
	memset(out, 0, sizeof(*out));
	out->subnet_id = s->id;
	out->total = ps.total;
	out->used = ps.used;
	out->free = ps.free;
	out->declined = ps.declined;
	out->reserved = ps.reserved;
	out->offers = s->offers;
	out->acks = s->acks;
	out->naks = s->naks;
	out->declines = s->declines;
	out->releases = s->releases;
	out->informs = s->informs;
	out->pool_exhausted = s->pool_exhausted;
	out->leases_active = s->leases_active;
	out->offers_pressure = s->offers_pressure;
	out->offers_taken_over = s->offers_taken_over;
	out->declined_reclaimed = s->declined_reclaimed;
	return 0;
}

uint64_t engine_drops(const struct engine *e, int reason)
{
	if (!e || reason < 0 || reason >= __ENGINE_DROP_MAX)
		return 0;
	return e->drops[reason];
}
