// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Lease transitions - an offer held and lapsing, a lease granted and
 * ending - over the pools and the lease table, and the changes each one
 * produces: lease rows to commit and lease-map operations to apply after
 * the commit (engine.h). Shared by the message handlers, expiry and the
 * control operations.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "dhcpxdp/abi.h"
#include "engine/engine_internal.h"

/*
 * The lease map's client_id_hash: FNV-1a 64 of option 61 as the XDP
 * program computes it (abi.h), 0 for none.
 */
static uint64_t client_id_hash(const uint8_t *cid, size_t len)
{
	uint64_t h = DX_FNV64_OFFSET;

	if (!cid || !len)
		return 0;
	for (size_t i = 0; i < len; i++)
		h = dx_fnv64_step(h, cid[i]);
	return h;
}

void lease_rec(struct dx_lease_rec *r, const struct lt_lease *l)
{
	const char *host = lt_hostname(l);

	memset(r, 0, sizeof(*r));
	r->subnet_id = l->subnet_id;
	r->addr = l->addr;
	memcpy(r->mac, l->mac, 6);
	r->state = l->db_state;
	r->flags = l->flags;
	r->client_id_len = l->client_id_len;
	if (l->client_id_len)
		memcpy(r->client_id, lt_client_id(l), l->client_id_len);
	if (host)
		strncpy(r->hostname, host, DX_LEASE_HOSTNAME_MAX);
	r->expires = l->expires;
	r->horizon = l->horizon;
	r->last_seen = l->last_seen;
}

void lease_map_op(struct engine_map_op *m, int kind, const struct lt_lease *l)
{
	memset(m, 0, sizeof(*m));
	m->kind = kind;
	m->subnet_id = l->subnet_id;
	memcpy(m->mac, l->mac, 6);
	m->addr = l->addr;
	if (kind == ENGINE_MAP_UPSERT) {
		m->flags = DX_LEASE_F_DYNAMIC;
		m->client_id_hash =
			client_id_hash(lt_client_id(l), l->client_id_len);
		m->horizon = l->horizon;
		m->expires = l->expires;
	}
}

void lease_emit_upsert(struct sink *k, const struct lt_lease *l)
{
	struct dx_lease_op *op = &k->ops[(*k->n_ops)++];

	op->kind = DX_LEASE_OP_UPSERT;
	lease_rec(&op->rec, l);
}

void lease_emit_delete(struct sink *k, const struct lt_lease *l)
{
	struct dx_lease_op *op = &k->ops[(*k->n_ops)++];

	memset(op, 0, sizeof(*op));
	op->kind = DX_LEASE_OP_DELETE;
	op->rec.subnet_id = l->subnet_id;
	op->rec.addr = l->addr;
	/* A shared store deletes an ACTIVE row only of this client
	 * (lease_db_commit_claim). */
	if (l->state == DX_LEASE_ACTIVE && (l->lt_flags & LT_F_OWNED))
		memcpy(op->rec.mac, l->mac, 6);
}

void lease_emit_map(struct sink *k, int kind, const struct lt_lease *l)
{
	lease_map_op(&k->map[(*k->n_map)++], kind, l);
}

void lease_emit_map_renewed(struct sink *k, const struct eng_subnet *s,
			    const struct lt_lease *l)
{
	struct engine_map_op *m = &k->map[(*k->n_map)++];

	/*
	 * A dynamic lease of a client with a reservation here (one without
	 * an address: its options and boot fields; or one whose address
	 * another lease holds) is renewed by the daemon, which sends the
	 * reservation's extras; XDP would send the subnet's only. As
	 * engine_load_lease() does for the leases it loads.
	 */
	if (client_res(s, &(struct client_ids){.mac = l->mac,
					       .cid = lt_client_id(l),
					       .cid_len = l->client_id_len})) {
		lease_map_op(m, ENGINE_MAP_DELETE, l);
		return;
	}
	lease_map_op(m, ENGINE_MAP_UPSERT, l);
	m->renew_bound = s->conf->valid_lifetime;
}

/* An offer hold ends (time, another server chosen, client moved on). */
void lease_offer_lapse(struct engine *e, struct eng_subnet *s,
		       struct lt_lease *l)
{
	dyn_give_back(s, l->addr);
	rcap_unlink(e, s, l->addr);
	l->lt_flags &= ~LT_F_OFFER_SHORT;
	if (l->db_state && !(l->lt_flags & LT_F_OFFER_REPLACED)) {
		/* Back to the client's sticky row as it is in the database. */
		l->state = l->db_state;
		lt_clear_deadline(e->lt, l);
		return;
	}
	/* No row, or the row is another client's: forget the entry. */
	lt_remove(e->lt, l);
}

/*
 * An ACTIVE lease ends without the client releasing it (reclaimed, or the
 * client moved to another address): row kept as EXPIRED for stickiness.
 */
void lease_end(struct engine *e, struct eng_subnet *s, struct lt_lease *l,
	       int64_t now, struct sink *k)
{
	ddns_end(e, s, l, k);
	l->state = l->db_state = DX_LEASE_EXPIRED;
	if (l->expires > now)
		l->expires = now;
	lt_clear_deadline(e->lt, l);
	dyn_give_back(s, l->addr);
	rcap_unlink(e, s, l->addr);
	if (s->leases_active)
		s->leases_active--;
	lease_emit_upsert(k, l);
	lease_emit_map(k, ENGINE_MAP_DELETE, l);
}

/* The client gets `keep`: it holds no other lease or offer in s. */
void lease_close_others(struct engine *e, struct eng_subnet *s,
			struct client *cl, const struct lt_lease *keep,
			int64_t now, struct sink *k)
{
	for (size_t i = 0; i < cl->n; i++) {
		struct lt_lease *l = cl->ent[i];

		if (l == keep)
			continue;
		if (l->state == LT_STATE_OFFERED) {
			lease_offer_lapse(e, s, l);
			cl->ent[i] = NULL;
		} else if (l->state == DX_LEASE_ACTIVE && sink_room(k, 2, 2)) {
			/* room kept for the grant itself */
			lease_end(e, s, l, now, k);
		}
	}
	cl->n = 0; /* entries may be gone: the view is stale now */
}

/*
 * Point the entry at the client; -ENOMEM. An entry that was another
 * client's (a released or expired row reused, §4.3.1) keeps nothing of
 * it: host name, client-id and flags are the new client's, none if it
 * sent none. The client's own entry keeps its host name (a renewal need
 * not repeat option 12).
 */
static int own(struct engine *e, struct lt_lease *l, const struct client *cl)
{
	if (lt_owned_by(l, cl->mac, cl->mcid, cl->mcid_len))
		return lt_set_owner(e->lt, l, cl->mac, cl->cid, cl->cid_len);
	l->flags = 0;
	return lt_hand_over(e->lt, l, cl->mac, cl->cid, cl->cid_len);
}

/* Start (or restart) the hold of an offer: its deadline and its kind. */
static int hold(struct engine *e, struct lt_lease *l, bool short_hold,
		int64_t now)
{
	int r = lt_set_deadline(
		e->lt, l, now + (short_hold ? e->short_hold : e->offer_hold));

	if (r)
		return r;
	if (short_hold)
		l->lt_flags |= LT_F_OFFER_SHORT;
	else
		l->lt_flags &= ~LT_F_OFFER_SHORT;
	l->state = LT_STATE_OFFERED;
	return 0;
}

/*
 * Hold `a` for an OFFER to the client (RFC 2131 §4.3.1: "the server
 * SHOULD reserve the offered address"), offer-lifetime seconds, or the
 * short hold under pressure (docs/protocol.md, "Starvation"). Nothing
 * is persisted: an offer promises nothing. `taken`: pool_alloc() already
 * marked the address used.
 */
int lease_offer_hold(struct engine *e, struct eng_subnet *s, struct client *cl,
		     uint32_t a, bool taken, bool short_hold, int64_t now)
{
	struct lt_lease *l = lt_find_addr(e->lt, s->id, a);
	int r;

	if (l && l->state == LT_STATE_OFFERED) /* the client's own */
		return hold(e, l, short_hold, now);
	if (!taken && (r = pool_take(s->pool, a)))
		return r;
	if (!l) {
		if ((r = lt_insert(e->lt, s->id, a, &l)))
			goto undo;
		l->db_state = 0;
	} else if (!lt_owned_by(l, cl->mac, cl->mcid, cl->mcid_len)) {
		/* Another client's sticky row: the offer takes it over. */
		l->lt_flags |= LT_F_OFFER_REPLACED;
	}
	if ((r = own(e, l, cl)) || (r = hold(e, l, short_hold, now)))
		goto undo_entry;
	return 0;
undo_entry:
	if (!l->db_state)
		lt_remove(e->lt, l);
undo:
	pool_release(s->pool, a);
	return r;
}

/* RFC 2131 §4.3.2: bind `a` to the client (dynamic lease), committed. */
int lease_grant(struct engine *e, struct eng_subnet *s, struct client *cl,
		const struct dhcp_msg *req, uint32_t a, int64_t now,
		struct sink *k)
{
	struct lt_lease *l = lt_find_addr(e->lt, s->id, a);
	uint32_t lt = lease_lifetime(s, req);
	bool mine = l && (l->state == DX_LEASE_ACTIVE ||
			  l->state == LT_STATE_OFFERED);
	bool was_active = l && l->state == DX_LEASE_ACTIVE;
	char name[DX_LEASE_HOSTNAME_MAX + 1], old[DX_LEASE_HOSTNAME_MAX + 1];
	uint8_t old_flags;
	size_t name_len;
	int r;

	/* addr_ok() (engine_request.c): `mine` means owned by this client. */
	if (!mine && (r = pool_take(s->pool, a)))
		return r;
	if (!l && (r = lt_insert(e->lt, s->id, a, &l))) {
		pool_release(s->pool, a);
		return r;
	}
	if ((r = own(e, l, cl)))
		goto fail;
	/* What DNS holds for the lease, before the name changes. */
	snprintf(old, sizeof(old), "%s", lt_hostname(l) ? lt_hostname(l) : "");
	old_flags = l->flags;
	/* A reservation's hostname wins (Kea); without a name (none sent,
	 * none generated) the lease keeps its own (docs/protocol.md). */
	if (cl->extras && cl->extras->hostname) {
		name_len = strlen(cl->extras->hostname);
		lt_set_hostname(l, cl->extras->hostname,
				name_len > DX_LEASE_HOSTNAME_MAX
					? DX_LEASE_HOSTNAME_MAX
					: name_len);
	} else if ((name_len = ddns_name_of(s, req, a, name))) {
		lt_set_hostname(l, name, name_len);
	}
	lease_close_others(e, s, cl, l, now, k);
	l->state = l->db_state = DX_LEASE_ACTIVE;
	l->lt_flags &= ~(LT_F_OFFER_REPLACED | LT_F_OFFER_SHORT);
	l->flags &= ~DX_LEASE_F_FASTPATH;
	l->expires = now + lt;
	/* docs/design.md §2: the horizon never moves back, and covers the
	 * lease time granted (a client's 51 may ask for more than
	 * valid-lifetime, lease_lifetime()). */
	l->horizon = max64(was_active ? l->horizon : 0,
			   max64(horizon_for(e, s, now),
				 now + (int64_t)(e->factor * (double)lt)));
	l->last_seen = now;
	if ((r = lt_set_deadline(e->lt, l, lease_check_at(l))))
		goto fail;
	if (!was_active)
		s->leases_active++;
	ddns_grant(e, s, l, req, old, old_flags, was_active, lt, k);
	lease_emit_upsert(k, l);
	lease_emit_map_renewed(k, s, l);
	return 0;
fail:
	if (!mine) {
		pool_release(s->pool, a);
		if (!l->db_state)
			lt_remove(e->lt, l);
	}
	return r;
}
