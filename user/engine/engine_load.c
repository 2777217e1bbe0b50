// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Start-up: the leases persisted in the database back into the lease
 * table and the pools, each address kept as long as its durable horizon
 * says (docs/design.md §2).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "engine/engine_internal.h"

/* Has the owner of l a reservation in s (by hw-address or client-id;
 * the database keeps no circuit id)? */
static bool reserved_client(const struct eng_subnet *s,
			    const struct lt_lease *l)
{
	return client_res(s, &(struct client_ids){.mac = l->mac,
						  .cid = lt_client_id(l),
						  .cid_len = l->client_id_len});
}

int engine_load_lease(struct engine *e, const struct dx_lease_rec *rec,
		      int64_t now, struct engine_map_op *map)
{
	struct eng_subnet *s;
	struct lt_lease *l;
	static const uint8_t zero[6];
	int r;

	if (!e || !rec)
		return -EINVAL;
	if (map)
		memset(map, 0, sizeof(*map));
	s = subnet_by_id(e, rec->subnet_id);
	if (!s)
		return -ENOENT;
	if (!in_subnet(s, rec->addr) || rec->state < DX_LEASE_ACTIVE ||
	    rec->state > DX_LEASE_EXPIRED)
		return -EINVAL;
	if ((r = lt_insert(e->lt, s->id, rec->addr, &l)))
		return r;
	l->state = l->db_state = rec->state;
	l->flags = rec->flags;
	l->expires = rec->expires;
	l->horizon = rec->horizon;
	l->last_seen = rec->last_seen;
	if (rec->state != DX_LEASE_DECLINED &&
	    (memcmp(rec->mac, zero, 6) || rec->client_id_len))
		r = lt_set_owner(e->lt, l, rec->mac, rec->client_id,
				 rec->client_id_len);
	if (!r && rec->hostname[0])
		r = lt_set_hostname(
			l, rec->hostname,
			strnlen(rec->hostname, DX_LEASE_HOSTNAME_MAX));
	if (r)
		goto fail;
	switch (rec->state) {
	case DX_LEASE_ACTIVE:
		/*
		 * docs/design.md §2: taken until engine_expire() finds it
		 * over, by the lease map's word or past its horizon, even
		 * when `expires` is past. -EBUSY/-ENOENT: reserved for
		 * someone else now, or outside the pools (the config
		 * changed): the lease still keeps the address until then.
		 */
		if (dyn_ok(s, rec->addr))
			pool_take(s->pool, rec->addr);
		r = lt_set_deadline(e->lt, l, lease_check_at(l));
		s->leases_active++;
		/*
		 * XDP may renew only what the engine would: not a dynamic
		 * lease of a client that has a reservation here now (it
		 * gets its reservation and nothing else), nor an address
		 * the configuration took out of the pools or reserved for
		 * another client (addr_ok(), engine_request.c: NAKed). Such
		 * a map entry goes; the address stays taken until the
		 * horizon all the same. A reservation's own entry is not
		 * dynamic and survives the delete (map_sync.c).
		 */
		if (map && (l->lt_flags & LT_F_OWNED))
			lease_map_op(map,
				     reserved_client(s, l) ||
						     !dyn_ok(s, rec->addr)
					     ? ENGINE_MAP_DELETE
					     : ENGINE_MAP_UPSERT,
				     l);
		break;
	case DX_LEASE_DECLINED:
		if (dyn_ok(s, rec->addr))
			pool_decline(s->pool, rec->addr);
		r = lt_set_deadline(e->lt, l, l->expires);
		if (!r)
			starve_note_declined(e, s, l);
		break;
	default: /* RELEASED, EXPIRED: sticky memory only */
		break;
	}
	(void)now; /* past deadlines are handled by engine_expire() */
	if (r)
		goto fail;
	return 0;
fail:
	lt_remove(e->lt, l);
	return r;
}
