// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Several servers on one lease database (docs/design.md, "Several nodes
 * on one PostgreSQL"): the engine's entry for an address set to the row
 * another server wrote - learnt from a notification, a periodic reading
 * of every row, or a grant of ours that lost the row to it
 * (lease_db_commit_claim). The database decides who holds an address;
 * the engine follows.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "dhcpxdp/abi.h"
#include "engine/engine_internal.h"

/* Does the row keep the address from every other client? */
static bool row_holds(const struct dx_lease_rec *row)
{
	return row->state == DX_LEASE_ACTIVE || row->state == DX_LEASE_DECLINED;
}

/* Is the entry what the row says already (our own write, come back)? */
static bool entry_is_row(const struct lt_lease *l,
			 const struct dx_lease_rec *row)
{
	struct dx_lease_rec cur;

	lease_rec(&cur, l);
	return l->state == row->state && l->db_state == row->state &&
	       !memcmp(cur.mac, row->mac, 6) &&
	       cur.client_id_len == row->client_id_len &&
	       !memcmp(cur.client_id, row->client_id, row->client_id_len) &&
	       cur.expires == row->expires && cur.horizon == row->horizon;
}

int engine_lease_sync(struct engine *e, uint32_t subnet_id, uint32_t addr,
		      const struct dx_lease_rec *row, int64_t now,
		      struct engine_changes *out)
{
	struct engine_changes gone;
	struct engine_map_op m;
	struct eng_subnet *s;
	struct lt_lease *l;
	int r;

	if (!e || !out ||
	    (row && (row->subnet_id != subnet_id || row->addr != addr)))
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	s = subnet_by_id(e, subnet_id);
	if (!s)
		return -ENOENT;
	if (!in_subnet(s, addr))
		return -EINVAL;
	l = lt_find_addr(e->lt, subnet_id, addr);
	if (l && l->state == LT_STATE_OFFERED) {
		/* An offer promises nothing (§4.3.1): it gives way to a
		 * lease granted elsewhere, and stays over a free row. */
		if (!row || !row_holds(row))
			return -EALREADY;
		lease_offer_lapse(e, s, l);
		l = lt_find_addr(e->lt, subnet_id, addr);
	}
	if ((!l && !row) || (l && row && entry_is_row(l, row)))
		return -EALREADY;
	/* The entry goes as an operator's delete takes it (its address
	 * back to the pool, an ACTIVE lease's map entry deleted); the row
	 * delete that comes with it is not wanted: the row is the truth. */
	if (l && l->db_state) {
		r = engine_lease_delete(e, subnet_id, addr, &gone);
		if (r)
			return r;
		for (size_t i = 0; i < gone.n_map; i++)
			out->map[out->n_map++] = gone.map[i];
	} else if (l) {
		lt_remove(e->lt, l);
	}
	if (!row)
		return 0;
	r = engine_load_lease(e, row, now, &m);
	if (r)
		return r;
	if (m.kind == ENGINE_MAP_UPSERT) {
		/*
		 * Our XDP may renew the lease up to the horizon in the row
		 * (the other server's, durable there); this map cannot tell
		 * when the lease ends, the other server's XDP renews it too.
		 */
		m.flags |= DX_LEASE_F_UNTRACKED;
		m.renew_bound = s->conf->valid_lifetime;
	}
	if (m.kind)
		out->map[out->n_map++] = m;
	return 0;
}
