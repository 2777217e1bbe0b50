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
#include "daemon/daemon_state.h"
#include "daemon/restore.h"
#include "config/config.h"
#include "engine/engine.h"
#include "kernel/map_sync.h"
#include "store/lease_db.h"
#include "util/clock.h"
#include "util/log.h"

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
		log_err("loading leases from %s failed: %s", cfg->lease_db.name,
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

/*
 * Dynamic entries in a pinned lease map that the database does not hold
 * (it was replaced, or a lease ended while the daemon was down) must not
 * keep being renewed: the database is the source of truth.
 *
 * An entry that is kept may carry a later expiry than its row: XDP
 * renewed the lease without asking for an extension (abi.h). That expiry
 * is carried into the entry about to be written, so reloading the map
 * does not set the operator's view of the lease back (lease_view.h).
 */
static bool entry_kept(const void *key, const void *value, const void *arg)
{
	const struct dx_lease_key *k = key;
	const struct dx_lease *l = value;
	const struct restore *rs = arg;
	struct engine_map_op probe, *op;
	int64_t expires;

	if (!(l->flags & DX_LEASE_F_DYNAMIC))
		return map_reservation_wanted(rs->cfg, rs->eng, k->subnet_id,
					      k->mac, ntohl(l->addr));
	probe.subnet_id = k->subnet_id;
	memcpy(probe.mac, k->mac, 6);
	op = rs->n ? bsearch(&probe, rs->map, rs->n, sizeof(*rs->map), cmp_key)
		   : NULL;
	if (!op)
		return false;
	if (op->kind == ENGINE_MAP_UPSERT && ntohl(l->addr) == op->addr &&
	    l->expires_ns > rs->now_boot) {
		expires =
			map_boot_to_wall(l->expires_ns, rs->now, rs->now_boot);
		if (expires > op->expires)
			op->expires = expires;
	}
	return true;
}

void restore_prune_map(struct daemon *d, struct restore *rs)
{
	size_t pruned = 0;
	int ret;

	if (rs->n) /* qsort and bsearch take no NULL array, even empty */
		qsort(rs->map, rs->n, sizeof(*rs->map), cmp_key);
	ret = map_prune(d->bpf.leases_fd, sizeof(struct dx_lease_key),
			sizeof(struct dx_lease), entry_kept, rs, &pruned);
	if (ret)
		log_warn("pruning the lease map: %s", strerror(-ret));
	if (pruned)
		log_info("removed %zu lease-map entries the database does not "
			 "hold",
			 pruned);
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
	if (reload) {
		ret = 0;
		for (size_t i = 0; i < rs->n; i++)
			if (rs->map[i].kind == ENGINE_MAP_DELETE &&
			    map_apply_lease_ops(&d->bpf, &rs->map[i], 1,
						rs->now, now_boot_ns()))
				ret = -EIO;
	} else {
		ret = map_load_leases(&d->bpf, rs->map, rs->n, rs->now,
				      now_boot_ns());
	}
	if (ret)
		log_warn("not every lease fits the lease map (%s)",
			 strerror(-ret));
	log_info("maps: %zu subnets, %zu networks, %zu relay prefixes, %zu "
		 "reservations in XDP (%zu left to the daemon), %zu leases",
		 rep.subnets, rep.networks, rep.relays, rep.reservations,
		 rep.reservations_slow, rs->n);
	return 0;
}

void restore_free(struct restore *rs)
{
	free(rs->map);
	rs->map = NULL;
	rs->n = rs->cap = 0;
}
