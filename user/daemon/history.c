// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Lease history and legal log upkeep (history.h).
 *
 * A batch's lease events (lease_log.h) carry what only the request knew:
 * the relay's giaddr, circuit-id and remote-id (RFC 3046 §2.0); its lease
 * ops carry every change, also those no request made (a renewal XDP
 * answered that needed a horizon extension, a reclaim, an operator's
 * lease4-add or lease4-del). The events go first, then the ops, which
 * repeat nothing: a grant of a lease already extended only extends it.
 *
 * Renewals XDP answered without an event change only the expiry in the
 * lease map (docs/design.md §2); a sweep reads it for every open tenancy,
 * HISTORY_SWEEP_BATCH a second, a pass every HISTORY_SWEEP_S: a
 * tenancy's end trails the last XDP renewal by at most HISTORY_SWEEP_S
 * plus a second per HISTORY_SWEEP_BATCH open tenancies while the daemon
 * runs, and by the time it was stopped plus one pass otherwise (the
 * pinned map keeps the expiries).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "config/config.h"
#include "daemon/daemon_state.h"
#include "daemon/history.h"
#include "daemon/legal_log.h"
#include "kernel/lease_view.h"
#include "store/lease_db.h"
#include "store/lease_history.h"
#include "util/clock.h"

static void fail(struct daemon *d, const char *what, int ret)
{
	log_limited(&d->lim_hist, now_mono(), 60, LOG_LVL_ERR,
		    "lease history: %s: %s (%s)", what, strerror(-ret),
		    lease_hist_errmsg(d->hist));
}

static size_t cap(size_t n, size_t max)
{
	return n < max ? n : max;
}

static void row_of_event(struct lease_hist_row *r, const struct lease_event *e,
			 int64_t now)
{
	memset(r, 0, sizeof(*r));
	r->subnet_id = e->subnet_id;
	r->addr = e->addr;
	r->giaddr = e->giaddr;
	memcpy(r->mac, e->mac, 6);
	r->cid_len = (uint8_t)cap(e->cid_len, LEASE_HIST_ID_MAX);
	memcpy(r->cid, e->cid, r->cid_len);
	r->circuit_len = (uint8_t)cap(e->circuit_len, LEASE_HIST_ID_MAX);
	memcpy(r->circuit, e->circuit, r->circuit_len);
	r->remote_len = (uint8_t)cap(e->remote_len, LEASE_HIST_ID_MAX);
	memcpy(r->remote, e->remote, r->remote_len);
	snprintf(r->hostname, sizeof(r->hostname), "%s", e->hostname);
	r->start = now;
	r->end = now + e->lifetime;
}

static void row_of_rec(struct lease_hist_row *r, const struct dx_lease_rec *rec,
		       int64_t start)
{
	memset(r, 0, sizeof(*r));
	r->subnet_id = rec->subnet_id;
	r->addr = rec->addr;
	memcpy(r->mac, rec->mac, 6);
	r->cid_len = (uint8_t)cap(rec->client_id_len, LEASE_HIST_ID_MAX);
	memcpy(r->cid, rec->client_id, r->cid_len);
	snprintf(r->hostname, sizeof(r->hostname), "%s", rec->hostname);
	r->start = start;
	r->end = rec->expires;
}

static int note_event(struct lease_hist *h, const struct lease_event *e,
		      int64_t now)
{
	struct lease_hist_row r;

	if (lease_event_is_grant(e) || lease_event_is_renewal(e)) {
		row_of_event(&r, e, now);
		return lease_hist_grant(h, &r);
	}
	return lease_hist_end(h, e->subnet_id, e->addr, e->mac, now,
			      lease_event_is_release(e) ? LEASE_HIST_RELEASE
							: LEASE_HIST_DECLINE);
}

static int note_op(struct lease_hist *h, const struct dx_lease_op *op,
		   int64_t now)
{
	const struct dx_lease_rec *rec = &op->rec;
	struct lease_hist_row r;

	if (op->kind == DX_LEASE_OP_DELETE)
		return lease_hist_end(h, rec->subnet_id, rec->addr, NULL, now,
				      LEASE_HIST_DELETE);
	switch (rec->state) {
	case DX_LEASE_ACTIVE:
		row_of_rec(&r, rec, now);
		return lease_hist_grant(h, &r);
	case DX_LEASE_RELEASED:
		return lease_hist_end(h, rec->subnet_id, rec->addr, rec->mac,
				      now, LEASE_HIST_RELEASE);
	case DX_LEASE_DECLINED:
		/* The address is nobody's during probation. */
		return lease_hist_end(h, rec->subnet_id, rec->addr, NULL, now,
				      LEASE_HIST_DECLINE);
	case DX_LEASE_EXPIRED:
		return lease_hist_end(h, rec->subnet_id, rec->addr, rec->mac,
				      rec->expires, LEASE_HIST_EXPIRY);
	}
	return 0;
}

void history_batch(struct daemon *d, const struct lease_events *lev,
		   const struct dx_lease_op *ops, size_t n)
{
	int64_t now = now_wall();
	int ret = 0;

	if (d->legal.dir[0]) {
		ret = legal_log_write(&d->legal, lev, now);
		if (ret)
			log_limited(&d->lim_hist, now_mono(), 60,
				    LOG_LVL_ERR,
				    "legal log in %s: %s", d->legal.dir,
				    strerror(-ret));
	}
	if (!d->hist || (!lev->n && !n))
		return;
	ret = lease_hist_begin(d->hist);
	for (size_t i = 0; !ret && i < lev->n; i++) {
		ret = note_event(d->hist, &lev->ev[i], now);
		ret = ret == -ENOENT ? 0 : ret;
	}
	for (size_t i = 0; !ret && i < n; i++) {
		ret = note_op(d->hist, &ops[i], now);
		ret = ret == -ENOENT ? 0 : ret;
	}
	if (!ret)
		ret = lease_hist_commit(d->hist);
	if (ret) {
		lease_hist_rollback(d->hist);
		fail(d, "cannot record a batch", ret);
		return;
	}
	d->hist_dirty = true;
}

/* What the sweep and the reconcile need of an open tenancy. */
struct open_one {
	uint32_t subnet_id, addr;
	uint8_t mac[6];
	int64_t end;
};

struct open_rows {
	struct open_one *r;
	size_t n, cap;
};

static int collect(const struct lease_hist_row *r, void *arg)
{
	struct open_rows *o = arg;

	if (o->n == o->cap) {
		size_t c = o->cap ? o->cap * 2 : 256;
		struct open_one *p = realloc(o->r, c * sizeof(*p));

		if (!p)
			return -ENOMEM;
		o->r = p;
		o->cap = c;
	}
	o->r[o->n].subnet_id = r->subnet_id;
	o->r[o->n].addr = r->addr;
	memcpy(o->r[o->n].mac, r->mac, 6);
	o->r[o->n].end = r->end;
	o->n++;
	return 0;
}

/* Open tenancies after (subnet_id, addr), at most limit (0: all). */
static int open_tenancies(struct daemon *d, uint32_t subnet_id, uint32_t addr,
			  uint32_t limit, struct open_rows *o)
{
	struct lease_hist_query q = {.open_only = true,
				     .limit = limit,
				     .after_subnet = subnet_id,
				     .after_addr = addr};

	memset(o, 0, sizeof(*o));
	return lease_hist_query(d->hist, &q, collect, o);
}

/*
 * The expiries XDP wrote into the lease map, for the next slice of open
 * tenancies (HISTORY_SWEEP_BATCH, so that a large history never stalls
 * the loop): 1 when the pass is done, 0 when more is left, < 0 on error.
 */
static int sweep_slice(struct daemon *d)
{
	int64_t now = now_wall(), exp;
	uint64_t boot = now_boot_ns();
	struct lease_maps maps = lease_maps_of(&d->bpf);
	struct open_rows o;
	int ret;

	ret = open_tenancies(d, d->hist_cursor[0], d->hist_cursor[1],
			     HISTORY_SWEEP_BATCH, &o);
	if (!ret)
		ret = lease_hist_begin(d->hist);
	for (size_t i = 0; !ret && i < o.n; i++) {
		const struct open_one *r = &o.r[i];

		if (lease_view_expiry(&maps, r->subnet_id, r->mac,
				      r->addr, now, boot, &exp) ||
		    exp <= r->end)
			continue;
		ret = lease_hist_extend(d->hist, r->subnet_id, r->addr, r->mac,
					exp);
		ret = ret == -ENOENT ? 0 : ret;
		d->hist_dirty = true;
	}
	if (!ret)
		ret = lease_hist_commit(d->hist);
	else
		lease_hist_rollback(d->hist);
	if (!ret && o.n == HISTORY_SWEEP_BATCH) {
		d->hist_cursor[0] = o.r[o.n - 1].subnet_id;
		d->hist_cursor[1] = o.r[o.n - 1].addr;
	} else {
		d->hist_cursor[0] = d->hist_cursor[1] = 0;
		ret = ret ? ret : 1;
	}
	free(o.r);
	return ret;
}

static enum lease_hist_why why_of(const struct dx_lease_rec *rec)
{
	switch (rec->state) {
	case DX_LEASE_RELEASED:
		return LEASE_HIST_RELEASE;
	case DX_LEASE_DECLINED:
		return LEASE_HIST_DECLINE;
	case DX_LEASE_EXPIRED:
		return LEASE_HIST_EXPIRY;
	default:
		return LEASE_HIST_REUSE;
	}
}

static int reconcile_active(const struct dx_lease_rec *rec, void *arg)
{
	struct lease_hist *h = arg;
	struct lease_hist_row r;

	if (rec->state != DX_LEASE_ACTIVE)
		return 0;
	/* A tenancy lost with the file's last second begins, as far as we
	 * know, at the client's last message. */
	row_of_rec(&r, rec, rec->last_seen ? rec->last_seen : rec->expires);
	return lease_hist_grant(h, &r);
}

/*
 * The lease database is durable before every ACK, the history only once
 * a second: after a power cut, every active lease gets its tenancy back,
 * and an open tenancy whose lease ended meanwhile is closed.
 */
static int reconcile(struct daemon *d)
{
	struct open_rows o = {0};
	struct dx_lease_rec rec;
	int64_t at;
	int ret;

	ret = lease_hist_begin(d->hist);
	if (!ret)
		ret = lease_db_load(d->db, reconcile_active, d->hist);
	if (!ret)
		ret = open_tenancies(d, 0, 0, 0, &o);
	for (size_t i = 0; !ret && i < o.n; i++) {
		const struct open_one *r = &o.r[i];

		if (lease_db_get_by_addr(d->db, r->subnet_id, r->addr, &rec)) {
			ret = lease_hist_end(d->hist, r->subnet_id, r->addr,
					     NULL, now_wall(),
					     LEASE_HIST_DELETE);
		} else if (rec.state != DX_LEASE_ACTIVE) {
			at = rec.state == DX_LEASE_EXPIRED ? rec.expires
							   : rec.last_seen;
			ret = lease_hist_end(d->hist, r->subnet_id, r->addr,
					     NULL, at, why_of(&rec));
		}
	}
	free(o.r);
	if (!ret)
		ret = lease_hist_commit(d->hist);
	else
		lease_hist_rollback(d->hist);
	return ret;
}

static void prune(struct daemon *d)
{
	int64_t n = lease_hist_prune(
		d->hist, now_wall() - d->cfg->dhcpxdp.history.retention);

	if (n < 0)
		fail(d, "cannot prune", (int)n);
	else if (n)
		log_info("lease history: %lld tenancies older than the "
			 "retention removed",
			 (long long)n);
}

int history_start(struct daemon *d)
{
	const struct dx_config *cfg = d->cfg;
	char err[512];
	int ret;

	if (cfg->dhcpxdp.legal_log.enabled) {
		legal_log_init(&d->legal, cfg->dhcpxdp.legal_log.path,
			       cfg->dhcpxdp.legal_log.base_name);
		if (mkdir(d->legal.dir, 0750) && errno != EEXIST)
			log_warn("legal log: cannot create %s: %s",
				 d->legal.dir, strerror(errno));
	}
	d->lev[0].keep = d->lev[1].keep = cfg->dhcpxdp.history.enabled ||
					  cfg->dhcpxdp.legal_log.enabled;
	if (!cfg->dhcpxdp.history.enabled)
		return 0;
	ret = lease_hist_open(cfg->dhcpxdp.history.path, false, &d->hist, err,
			      sizeof(err));
	if (ret) {
		log_err("%s", err);
		return ret;
	}
	ret = reconcile(d);
	if (ret) {
		log_err("lease history %s: cannot bring it in line with the "
			"lease database: %s (%s)",
			cfg->dhcpxdp.history.path, strerror(-ret),
			lease_hist_errmsg(d->hist));
		return ret;
	}
	prune(d);
	d->hist_next_prune = now_mono() + HISTORY_PRUNE_S;
	d->hist_next_sweep = now_mono() + HISTORY_SWEEP_S;
	log_info("lease history in %s, kept %u s",
		 cfg->dhcpxdp.history.path, cfg->dhcpxdp.history.retention);
	return 0;
}

void history_tick(struct daemon *d)
{
	int64_t now = now_mono();
	int ret;

	if (legal_log_sync(&d->legal))
		log_limited(&d->lim_hist, now, 60, LOG_LVL_ERR,
			    "legal log in %s: cannot sync", d->legal.dir);
	if (!d->hist)
		return;
	if (now >= d->hist_next_sweep) {
		/* A pass goes on a slice a second; the next one starts
		 * HISTORY_SWEEP_S after it ended. */
		ret = sweep_slice(d);
		if (ret < 0)
			fail(d, "cannot read the renewals XDP answered", ret);
		if (ret)
			d->hist_next_sweep = now + HISTORY_SWEEP_S;
	}
	if (now >= d->hist_next_prune) {
		d->hist_next_prune = now + HISTORY_PRUNE_S;
		prune(d);
	}
	if (!d->hist_dirty)
		return;
	d->hist_dirty = false;
	ret = lease_hist_sync(d->hist);
	if (ret)
		fail(d, "cannot sync", ret);
}

void history_stop(struct daemon *d)
{
	/* No last sweep: the pinned map keeps XDP's expiries for the
	 * first one after the next start. */
	if (d->hist)
		(void)lease_hist_sync(d->hist);
	lease_hist_close(d->hist);
	d->hist = NULL;
	(void)legal_log_sync(&d->legal);
	legal_log_close(&d->legal);
}
