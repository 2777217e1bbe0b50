// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Restoring the daemon from the lease database, the source of truth
 * (docs/design.md §7): an engine built from the configuration with every
 * lease row in it, and the XDP maps made to match.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <dhcpxdp/abi.h>
#include "daemon/daemon_state.h"
#include "daemon/restore.h"
#include "config/config.h"
#include "engine/engine.h"
#include "kernel/map_addrs.h"
#include "kernel/map_sync.h"
#include "store/lease_db.h"
#include "util/clock.h"
#include "util/log.h"

#define NSEC_PER_SEC 1000000000ULL

static int load_one(const struct dx_lease_rec *rec, void *arg)
{
	struct restore *rs = arg;
	struct engine_map_op op = {0};
	int ret;

	rs->rows++;
	ret = engine_load_lease(rs->eng, rec, rs->now, &op);
	if (ret) {
		/* e.g. a subnet no longer configured: kept in the
		 * database, not served. */
		rs->skipped++;
		return 0;
	}
	if (!op.kind)
		return 0;
	/*
	 * docs/design.md §2, §7: an entry written from the database does
	 * not know what XDP granted on a map that is gone (a reboot, another
	 * ABI): the lease waits for its horizon. The walk of a reused map
	 * (entry_kept) clears the mark where the entry was there all along.
	 */
	if (op.kind == ENGINE_MAP_UPSERT)
		op.flags |= DX_LEASE_F_UNTRACKED;
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 4096;
		void *p = realloc(rs->map, cap * sizeof(*rs->map));

		if (!p)
			return -ENOMEM;
		rs->map = p;
		rs->cap = cap;
	}
	rs->map[rs->n++] = op;
	return 0;
}

int restore_engine(struct daemon *d, const struct dx_config *cfg,
		   struct engine **eng, struct restore *rs)
{
	int ret;

	ret = engine_new(cfg, eng);
	if (ret) {
		log_err("cannot set up the protocol engine: %s",
			strerror(-ret));
		return ret;
	}
	memset(rs, 0, sizeof(*rs));
	rs->cfg = cfg;
	rs->eng = *eng;
	rs->now = now_wall();
	rs->now_boot = now_boot_ns();
	ret = lease_db_load(d->db, load_one, rs);
	if (ret) {
		log_err("loading leases from %s failed: %s", lease_db_name(d->db),
			lease_db_errmsg(d->db));
		engine_free(*eng);
		*eng = NULL;
		free(rs->map);
		return ret;
	}
	if (rs->skipped)
		log_warn("%zu lease rows belong to subnets not configured; "
			 "kept in the database, not served",
			 rs->skipped);
	return 0;
}

static int cmp_key(const void *a, const void *b)
{
	const struct engine_map_op *x = a, *y = b;

	if (x->subnet_id != y->subnet_id)
		return x->subnet_id < y->subnet_id ? -1 : 1;
	return memcmp(x->mac, y->mac, 6);
}

static int adopted_room(struct restore *rs)
{
	size_t cap = rs->cap_adopted ? rs->cap_adopted * 2 : 256;
	void *ops, *map;

	if (rs->n_adopted < rs->cap_adopted)
		return 0;
	ops = realloc(rs->adopted, cap * sizeof(*rs->adopted));
	if (ops)
		rs->adopted = ops;
	map = realloc(rs->adopted_map, cap * sizeof(*rs->adopted_map));
	if (map)
		rs->adopted_map = map;
	if (!ops || !map)
		return -ENOMEM;
	rs->cap_adopted = cap;
	return 0;
}

/*
 * The lease time XDP renews the entry for, if it may do so while the entry
 * is rewritten (it is live): the rewrite must not lose such a renewal
 * (engine_map_op.renew_bound, docs/design.md §2).
 */
static uint32_t renew_bound(const struct restore *rs,
			    const struct dx_lease_key *k,
			    const struct dx_lease *l)
{
	const struct dx_subnet_conf *sc =
		config_subnet_by_id(rs->cfg, k->subnet_id);

	return sc && l->expires_ns > rs->now_boot ? sc->valid_lifetime : 0;
}

/*
 * docs/design.md §7: a dynamic entry is written only after its lease and
 * horizon were committed, so an entry within its horizon proves that a
 * database held the lease until then, and XDP may have granted it up to
 * there. If the database has no row at all for its address, it lost the
 * lease (removed, recreated empty, replaced by an older copy): the lease
 * is taken back from the entry, to be written to the database (after the
 * walk) and kept in the engine until that horizon. The entry keeps its
 * client-id hash; the row has no client-id, so the client matches it by
 * chaddr until its next grant writes one. True: keep the entry.
 */
static bool adopt(struct restore *rs, const struct dx_lease_key *k,
		  const struct dx_lease *l)
{
	struct dx_lease_op *op;
	struct engine_map_op *m;
	struct dx_lease_rec row;

	if (!rs->db || l->horizon_ns <= rs->now_boot)
		return false;
	rs->pruned_live++;
	if (lease_db_get_by_addr(rs->db, k->subnet_id, ntohl(l->addr), &row) !=
		    -ENOENT ||
	    adopted_room(rs))
		return false;
	op = &rs->adopted[rs->n_adopted];
	m = &rs->adopted_map[rs->n_adopted];
	memset(op, 0, sizeof(*op));
	op->kind = DX_LEASE_OP_UPSERT;
	op->rec.subnet_id = k->subnet_id;
	op->rec.addr = ntohl(l->addr);
	memcpy(op->rec.mac, k->mac, 6);
	op->rec.state = DX_LEASE_ACTIVE;
	op->rec.flags = DX_LEASE_F_FASTPATH;
	/* Rounded up: the row never says less than the entry. */
	op->rec.horizon = map_boot_to_wall(l->horizon_ns + NSEC_PER_SEC - 1,
					   rs->now, rs->now_boot);
	op->rec.expires = op->rec.horizon;
	if (l->expires_ns > rs->now_boot && l->expires_ns < l->horizon_ns)
		op->rec.expires =
			map_boot_to_wall(l->expires_ns + NSEC_PER_SEC - 1,
					 rs->now, rs->now_boot);
	op->rec.last_seen = rs->now;
	/* -EEXIST: another entry took the address first. */
	if (engine_load_lease(rs->eng, &op->rec, rs->now, m))
		return false;
	rs->n_adopted++;
	rs->pruned_live--;
	m->client_id_hash = l->client_id_hash;
	/* The entry stays what it was: it tracks the grants or it does not. */
	m->flags |= l->flags & DX_LEASE_F_UNTRACKED;
	m->renew_bound = renew_bound(rs, k, l);
	/* A DELETE: the client has a reservation now, or the address left
	 * the pools; the row still holds the address until the horizon. */
	return m->kind == ENGINE_MAP_UPSERT;
}

/*
 * Dynamic entries in a pinned lease map that the database does not hold
 * (it was replaced, or a lease ended while the daemon was down) must not
 * keep being renewed: the database is the source of truth; but see
 * adopt() for an entry whose lease the database lost.
 *
 * An entry that is kept may carry a later expiry than its row: XDP
 * renewed the lease without asking for an extension (abi.h). That expiry
 * is carried into the entry about to be written, so reloading the map
 * does not set the operator's view of the lease back (lease_view.h), nor
 * the moment the lease is reclaimed forward: the entry of this lease was
 * in the map all along, so it tracks the grants as it did (its
 * DX_LEASE_F_UNTRACKED mark, if any, stays), and a live one is rewritten
 * as any other (renew_bound).
 */
static bool entry_kept(const void *key, const void *value, const void *arg)
{
	const struct dx_lease_key *k = key;
	/* restore_prune_map's own rs, through map_prune's const arg. */
	struct restore *rs = (struct restore *)arg;
	struct engine_map_op probe, *op;
	struct dx_lease merged = *(const struct dx_lease *)value;
	const struct dx_lease *l = &merged;
	int64_t expires;

	if (!(l->flags & DX_LEASE_F_DYNAMIC))
		return map_reservation_wanted(rs->cfg, rs->eng, k->subnet_id,
					      k->mac, ntohl(l->addr));
	/* With the expiry XDP wrote where it answered (map_addrs.h). */
	map_addrs_merge(rs->bpf->addrs_fd, rs->bpf->windows, k->subnet_id,
			k->mac, &merged);
	probe.subnet_id = k->subnet_id;
	memcpy(probe.mac, k->mac, 6);
	op = rs->n ? bsearch(&probe, rs->map, rs->n, sizeof(*rs->map), cmp_key)
		   : NULL;
	if (!op && !adopt(rs, k, l)) {
		/* Not renewed by address either, before the entry goes. */
		(void)map_addrs_forget(rs->bpf, k->subnet_id, k->mac,
				       ntohl(l->addr));
		return false;
	}
	if (!op)
		return true;
	if (op->kind != ENGINE_MAP_UPSERT || ntohl(l->addr) != op->addr)
		return true;
	op->flags = (op->flags & ~(uint32_t)DX_LEASE_F_UNTRACKED) |
		    (l->flags & DX_LEASE_F_UNTRACKED);
	op->renew_bound = renew_bound(rs, k, l);
	if (l->expires_ns > rs->now_boot) {
		expires =
			map_boot_to_wall(l->expires_ns, rs->now, rs->now_boot);
		if (expires > op->expires)
			op->expires = expires;
	}
	return true;
}

/*
 * The leases adopt() took back: into the database before anything is
 * served, and into the map with the others (restore_fill_maps).
 */
static void adopted_keep(struct daemon *d, struct restore *rs)
{
	const char *db_name = lease_db_name(d->db);
	size_t i;
	int ret;

	ret = lease_db_commit_ops(d->db, rs->adopted, rs->n_adopted);
	/* A shared database keeps a row another server took meanwhile: the
	 * first tick reads every row and the engine takes it (peer_sync.h). */
	d->peer_resync_due = d->shared_store;
	if (ret)
		log_err("lease database %s: writing back the %zu leases the "
			"lease map holds failed (%s): they stay taken until "
			"their horizons while the daemon runs",
			db_name, rs->n_adopted, lease_db_errmsg(d->db));
	else
		d->cnt.commits++;
	log_warn("lease database %s lacked leases the pinned lease map holds "
		 "within their durable horizons (was it removed or "
		 "replaced?): %zu taken back from the map and written to the "
		 "database; leases the map did not hold (declined addresses, "
		 "leases that did not fit it) are not known: if the database "
		 "was lost, restore it from a backup",
		 db_name, rs->n_adopted);
	for (i = 0; i < rs->n_adopted; i++) {
		if (rs->adopted_map[i].kind != ENGINE_MAP_UPSERT)
			continue;
		if (rs->n == rs->cap) {
			size_t cap = rs->cap ? rs->cap * 2 : 4096;
			void *p = realloc(rs->map, cap * sizeof(*rs->map));

			if (!p)
				return; /* the entry is in the map already */
			rs->map = p;
			rs->cap = cap;
		}
		rs->map[rs->n++] = rs->adopted_map[i];
	}
}

void restore_prune_map(struct daemon *d, struct restore *rs)
{
	size_t pruned = 0;
	int ret;

	if (rs->n) /* qsort and bsearch take no NULL array, even empty */
		qsort(rs->map, rs->n, sizeof(*rs->map), cmp_key);
	/* At start only: the database is ours to write before serving. */
	rs->db = d->cq.open ? NULL : d->db;
	rs->bpf = &d->bpf;
	ret = map_prune(d->bpf.leases_fd, sizeof(struct dx_lease_key),
			sizeof(struct dx_lease), entry_kept, rs, &pruned);
	rs->db = NULL;
	if (ret)
		log_warn("pruning the lease map: %s", strerror(-ret));
	if (rs->n_adopted)
		adopted_keep(d, rs);
	if (pruned && rs->pruned_live)
		log_info("removed %zu lease-map entries the database does not "
			 "hold (%zu within their horizons: the database ended "
			 "those leases or gives their addresses to others)",
			 pruned, rs->pruned_live);
	else if (pruned)
		log_info("removed %zu lease-map entries the database does not "
			 "hold",
			 pruned);
}

/* Zero every window of dx_addrs in use. */
static int clear_windows(const struct dx_bpf *obj)
{
	const struct addr_windows *aw = obj->windows;
	int ret = 0;

	for (size_t i = 0; aw && !ret && i < aw->n; i++)
		ret = map_addrs_clear(obj->addrs_fd, aw->e[i].w.base,
				      aw->e[i].w.size);
	return ret;
}

int restore_fill_maps(struct daemon *d, const struct dx_config *cfg,
		      struct engine *eng, struct restore *rs, bool reload)
{
	struct map_sync_report rep;
	char err[512];
	int ret;

	ret = map_sync_config(&d->bpf, cfg, eng, &d->slots, &rep, err,
			      sizeof(err));
	if (ret) {
		log_err("filling the XDP maps: %s", err);
		return ret;
	}
	if (rep.fast_path_off)
		log_warn("%zu subnets have more option data than the fast path "
			 "carries (%d bytes): the daemon answers all their "
			 "requests",
			 rep.fast_path_off, DX_SUBNET_OPTS_MAX);
	if (rep.fast_path_kea)
		log_info("%zu subnets are answered by the daemon only "
			 "(echo-client-id or match-client-id false, a "
			 "min-/max-valid-lifetime range, or a "
			 "dhcp-server-identifier)",
			 rep.fast_path_kea);
	if (rep.fast_path_classes)
		log_info("%zu subnets are answered by the daemon only: client "
			 "classes could change their replies (a subnet "
			 "client-class, or class options or boot fields)",
			 rep.fast_path_classes);
	if (rep.addr_windows_off)
		log_warn("%zu subnets' pools do not fit the lease map by "
			 "address (dhcpxdp.lease-map-capacity entries, "
			 "shared by every subnet's pool span): XDP finds their "
			 "renewals by client, which costs more",
			 rep.addr_windows_off);
	if (reload) {
		ret = 0;
		for (size_t i = 0; i < rs->n; i++)
			if (rs->map[i].kind == ENGINE_MAP_DELETE &&
			    map_apply_lease_ops(&d->bpf, &rs->map[i], 1,
						rs->now, now_boot_ns()))
				ret = -EIO;
	} else {
		/*
		 * Every entry is written anew, so the entries by address are
		 * too: none is left in a window that dx_leases does not hold
		 * (the walk took their expiries; a range outside the windows
		 * is zeroed when it is given out). Fresh maps are empty. A
		 * renewal XDP answers meanwhile looks in dx_leases.
		 */
		ret = d->bpf.reused ? clear_windows(&d->bpf) : 0;
		if (ret)
			log_warn("clearing the lease map by address: %s",
				 strerror(-ret));
		ret = map_load_leases(&d->bpf, rs->map, rs->n, rs->now,
				      now_boot_ns());
	}
	if (ret)
		log_warn("not every lease fits the lease map (%s)",
			 strerror(-ret));
	log_info("maps: %zu subnets, %zu networks, %zu relay prefixes, %zu "
		 "reservations in XDP (%zu left to the daemon), %zu leases",
		 rep.subnets, rep.networks, rep.relays,
		 rep.reservations + rep.reservations_circuit,
		 rep.reservations_slow, rs->n);
	return 0;
}

void restore_free(struct restore *rs)
{
	free(rs->map);
	free(rs->adopted);
	free(rs->adopted_map);
	rs->map = NULL;
	rs->adopted = NULL;
	rs->adopted_map = NULL;
	rs->n = rs->cap = rs->n_adopted = rs->cap_adopted = 0;
}
