// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A lease the operator hands the running engine (the control socket's
 * lease4-add, as Kea's): a lease brought across from another server
 * (`dhcpxdp leases import`). It is taken as a lease loaded at start is
 * (engine_load_lease), once nothing the engine knows disagrees: the
 * address is not held by anyone, not excluded from this client, and the
 * client holds no other address in the subnet (the XDP lease map has one
 * entry per subnet and MAC, docs/design.md §4).
 */
#include <errno.h>
#include <string.h>

#include "engine/engine_internal.h"

/* Does the client hold a live entry (lease, offer) at another address? */
static bool holds_other(const struct engine *e, const struct eng_subnet *s,
			const struct dx_lease_rec *rec)
{
	struct lt_lease *ent[CLIENT_MAX_LEASES];
	size_t n = lt_find_client(e->lt, s->id, rec->mac, rec->client_id,
				  rec->client_id_len, ent, CLIENT_MAX_LEASES);

	for (size_t i = 0; i < n && i < CLIENT_MAX_LEASES; i++)
		if (ent[i]->addr != rec->addr && holds_addr(ent[i]))
			return true;
	return false;
}

/* Is addr reserved in s for a client other than the one res is of? */
static bool reserved_for_other(const struct eng_subnet *s, uint32_t addr,
			       const struct eng_res *res)
{
	for (size_t i = 0; i < s->n_res; i++)
		if (s->res[i].conf->addr == addr && &s->res[i] != res)
			return true;
	return false;
}

int engine_lease_add(struct engine *e, const struct dx_lease_rec *rec,
		     int64_t now, struct engine_changes *out)
{
	const struct eng_res *res;
	struct engine_map_op map;
	struct eng_subnet *s;
	struct lt_lease *l;
	int r;

	if (!e || !rec || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (rec->state != DX_LEASE_ACTIVE && rec->state != DX_LEASE_DECLINED)
		return -EINVAL;
	s = subnet_by_id(e, rec->subnet_id);
	if (!s)
		return -ENOENT;
	if (!in_subnet(s, rec->addr) || rec->expires <= now ||
	    rec->horizon < rec->expires)
		return -EINVAL;
	l = lt_find_addr(e->lt, s->id, rec->addr);
	if (l && holds_addr(l))
		return -EEXIST;
	if (rec->state == DX_LEASE_ACTIVE) {
		/* Excluded (our own address, another's reservation) unless
		 * it is this client's own reservation. */
		res = client_res(
			s, &(struct client_ids){.mac = rec->mac,
						.cid = rec->client_id,
						.cid_len = rec->client_id_len});
		/* Reservations outside the pools are not in the pool's
		 * exclusions: look at them all. */
		if (reserved_for_other(s, rec->addr, res) ||
		    (pool_is_reserved(s->pool, rec->addr) &&
		     !(res && res->conf->addr == rec->addr)))
			return -EPERM;
		if (holds_other(e, s, rec))
			return -EBUSY;
	}
	/* A free entry (the sticky memory of a released or expired lease)
	 * gives way: its row is overwritten by this one, same key. */
	if (l)
		lt_remove(e->lt, l);
	r = engine_load_lease(e, rec, now, &map);
	if (r)
		return r;
	out->ops[0].kind = DX_LEASE_OP_UPSERT;
	out->ops[0].rec = *rec;
	out->n_ops = 1;
	if (map.kind) {
		out->map[0] = map;
		out->n_map = 1;
	}
	return 0;
}
