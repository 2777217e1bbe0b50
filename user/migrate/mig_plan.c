// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The import plan: each row of a lease file placed in the configured
 * subnet holding its address, and judged against the configuration and
 * the lease database. A conflict is anything that would leave two
 * clients believing they hold one address, or a client with two leases
 * where the XDP lease map keys one per (subnet, MAC) (docs/design.md §4).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "config/config.h"
#include "migrate/migrate.h"
#include "migrate/mig_internal.h"

int mig_format_of(const char *name)
{
	if (!name)
		return 0;
	if (!strcmp(name, "kea-csv"))
		return MIG_KEA_CSV;
	if (!strcmp(name, "dhcpd"))
		return MIG_DHCPD;
	if (!strcmp(name, "dnsmasq"))
		return MIG_DNSMASQ;
	return 0;
}

int mig_parse(int format, const char *text, size_t len, const char *file,
	      struct mig_set *out, char *err, size_t errlen)
{
	switch (format) {
	case MIG_KEA_CSV:
		return mig_parse_kea_csv(text, len, file, out, err, errlen);
	case MIG_DHCPD:
		return mig_parse_dhcpd(text, len, file, out, err, errlen);
	case MIG_DNSMASQ:
		return mig_parse_dnsmasq(text, len, file, out, err, errlen);
	}
	return -EINVAL;
}

const char *mig_conflict_text(int conflict)
{
	static const char *const text[__MIG_CONFLICT_MAX] = {
		[MIG_CONFLICT_NO_SUBNET] = "outside every configured subnet",
		[MIG_CONFLICT_SHARED_ADDR] = "two clients on one address",
		[MIG_CONFLICT_TWO_ADDRS] =
			"the client has another address in this subnet",
		[MIG_CONFLICT_RESERVED] = "another client's reservation",
		[MIG_CONFLICT_DB_OTHER] =
			"the lease database holds it for another client",
		[MIG_CONFLICT_DB_TWO_ADDRS] =
			"the lease database holds another address of the "
			"client in this subnet",
	};

	if (conflict <= 0 || conflict >= __MIG_CONFLICT_MAX)
		return "unknown";
	return text[conflict];
}

const char *mig_outcome_name(int outcome)
{
	static const char *const name[__MIG_OUTCOME_MAX] = {
		[MIG_IMPORT] = "imported",
		[MIG_IMPORT_DECLINED] = "imported declined",
		[MIG_SKIP_EXPIRED] = "skipped, expired",
		[MIG_SKIP_FREE] = "skipped, free in the file",
		[MIG_SKIP_NO_MAC] = "skipped, no Ethernet MAC",
		[MIG_SKIP_PRESENT] = "skipped, in the database already",
		[MIG_CONFLICT] = "conflicts",
	};

	if (outcome <= 0 || outcome >= __MIG_OUTCOME_MAX)
		return "unknown";
	return name[outcome];
}

static bool in_subnet(const struct dx_subnet_conf *sc, uint32_t addr)
{
	uint32_t mask = sc->prefix_len ? ~0u << (32 - sc->prefix_len) : 0;

	return (addr & mask) == sc->network;
}

/* The file's subnet id when it is configured and holds the address. */
static uint32_t subnet_of(const struct dx_config *cfg,
			  const struct mig_lease *l)
{
	const struct dx_subnet_conf *sc =
		l->subnet_hint ? config_subnet_by_id(cfg, l->subnet_hint)
			       : NULL;

	if (sc && in_subnet(sc, l->addr))
		return sc->id;
	return config_subnet_of_addr(cfg, l->addr);
}

static bool in_pools(const struct dx_config *cfg, uint32_t subnet,
		     uint32_t addr)
{
	const struct dx_subnet_conf *sc = config_subnet_by_id(cfg, subnet);

	for (size_t i = 0; sc && i < sc->n_pools; i++)
		if (addr >= sc->pools[i].start && addr <= sc->pools[i].end)
			return true;
	return false;
}

static bool res_is_client(const struct dx_reservation_conf *r,
			  const struct mig_lease *l)
{
	if (r->has_hw)
		return l->has_mac && !memcmp(r->hw, l->mac, 6);
	return r->client_id_len == l->client_id_len &&
	       !memcmp(r->client_id, l->client_id, l->client_id_len);
}

/*
 * Reservations of the subnet against l: is its address reserved for
 * another client (*other), and does its client have a reservation, at
 * this address (*own) or another (*elsewhere)?
 */
static void reservations(const struct dx_config *cfg, uint32_t subnet,
			 const struct mig_lease *l, bool *other, bool *own,
			 bool *elsewhere)
{
	const struct dx_subnet_conf *sc = config_subnet_by_id(cfg, subnet);

	*other = *own = *elsewhere = false;
	for (size_t i = 0; sc && i < sc->n_reservations; i++) {
		const struct dx_reservation_conf *r = &sc->reservations[i];
		bool mine = res_is_client(r, l);

		if (r->addr == l->addr) {
			*other = *other || !mine;
			*own = *own || mine;
		} else if (mine) {
			*elsewhere = true;
		}
	}
}

/* A database row that still holds its address at now. */
static bool holds(const struct dx_lease_rec *r, int64_t now)
{
	int64_t end = r->horizon > r->expires ? r->horizon : r->expires;

	return (r->state == DX_LEASE_ACTIVE || r->state == DX_LEASE_DECLINED) &&
	       end > now;
}

/*
 * The database against l: *conflict, or *present when it holds this very
 * lease (the same client's, or a declined address declined again): an
 * import run twice, whose second run has nothing to do (lease4-add would
 * refuse an address already taken, even by its client).
 */
static int check_db(const struct mig_db_ops *db, const struct mig_lease *l,
		    uint32_t subnet, int64_t now, int *conflict, bool *present)
{
	struct dx_lease_rec r;
	int ret;

	*present = false;
	if (!db)
		return 0;
	ret = db->by_addr(db->arg, subnet, l->addr, &r);
	if (ret && ret != -ENOENT)
		return ret;
	if (!ret && holds(&r, now)) {
		*present =
			(r.state == DX_LEASE_ACTIVE && l->state == MIG_ACTIVE &&
			 !memcmp(r.mac, l->mac, 6)) ||
			(r.state == DX_LEASE_DECLINED &&
			 l->state == MIG_DECLINED);
		if (!*present)
			*conflict = MIG_CONFLICT_DB_OTHER;
		return 0;
	}
	if (l->state != MIG_ACTIVE)
		return 0;
	ret = db->by_mac(db->arg, subnet, l->mac, &r);
	if (ret && ret != -ENOENT)
		return ret;
	if (!ret && r.addr != l->addr && r.state == DX_LEASE_ACTIVE &&
	    holds(&r, now))
		*conflict = MIG_CONFLICT_DB_TWO_ADDRS;
	return 0;
}

/* One row on its own: outcome, subnet, and the conflicts one row has. */
static int plan_row(const struct mig_lease *l, const struct dx_config *cfg,
		    const struct mig_db_ops *db, int64_t now,
		    struct mig_row_plan *rp)
{
	bool other, own, elsewhere, present = false;
	int conflict = 0, ret;

	memset(rp, 0, sizeof(*rp));
	if (l->state == MIG_FREE) {
		rp->outcome = MIG_SKIP_FREE;
		return 0;
	}
	if (l->expires != MIG_EXPIRES_NEVER && l->expires <= now) {
		rp->outcome = MIG_SKIP_EXPIRED;
		return 0;
	}
	if (l->state == MIG_ACTIVE && !l->has_mac) {
		rp->outcome = MIG_SKIP_NO_MAC;
		return 0;
	}
	rp->subnet_id = subnet_of(cfg, l);
	reservations(cfg, rp->subnet_id, l, &other, &own, &elsewhere);
	if (!rp->subnet_id)
		conflict = MIG_CONFLICT_NO_SUBNET;
	else if (l->state == MIG_ACTIVE && other)
		conflict = MIG_CONFLICT_RESERVED;
	else if ((ret = check_db(db, l, rp->subnet_id, now, &conflict,
				 &present)))
		return ret;
	rp->outcome = conflict		       ? MIG_CONFLICT
		      : present		       ? MIG_SKIP_PRESENT
		      : l->state == MIG_ACTIVE ? MIG_IMPORT
					       : MIG_IMPORT_DECLINED;
	rp->conflict = conflict;
	rp->moves =
		rp->outcome == MIG_IMPORT &&
		(elsewhere || (!own && !in_pools(cfg, rp->subnet_id, l->addr)));
	return 0;
}

struct ref {
	const struct mig_lease *l;
	struct mig_row_plan *rp;
};

static int by_addr(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;

	if (x->l->addr != y->l->addr)
		return x->l->addr < y->l->addr ? -1 : 1;
	return x->l->line < y->l->line ? -1 : x->l->line > y->l->line;
}

/* By client (subnet, MAC), the lease that ends last first. */
static int by_client(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;
	int c;

	if (x->rp->subnet_id != y->rp->subnet_id)
		return x->rp->subnet_id < y->rp->subnet_id ? -1 : 1;
	c = memcmp(x->l->mac, y->l->mac, 6);
	if (c)
		return c;
	if (x->l->expires != y->l->expires)
		return x->l->expires > y->l->expires ? -1 : 1;
	return x->l->line > y->l->line ? -1 : x->l->line < y->l->line;
}

static void mark(struct ref *r, int conflict, unsigned other)
{
	if (r->rp->outcome == MIG_CONFLICT)
		return;
	r->rp->outcome = MIG_CONFLICT;
	r->rp->conflict = conflict;
	r->rp->other_line = other;
}

/*
 * Conflicts between rows: two clients on one address (both rows: which
 * one holds it is unknown), and a client with two leases in a subnet
 * (the one that ends last is kept: it is the newer).
 */
static void plan_pairs(struct ref *refs, size_t n)
{
	qsort(refs, n, sizeof(*refs), by_addr);
	for (size_t i = 0; i + 1 < n; i++) {
		struct ref *a = &refs[i], *b = &refs[i + 1];

		if (a->l->addr != b->l->addr ||
		    (a->l->state == MIG_ACTIVE && b->l->state == MIG_ACTIVE &&
		     !memcmp(a->l->mac, b->l->mac, 6)))
			continue;
		mark(a, MIG_CONFLICT_SHARED_ADDR, b->l->line);
		mark(b, MIG_CONFLICT_SHARED_ADDR, a->l->line);
	}
	qsort(refs, n, sizeof(*refs), by_client);
	for (size_t i = 0, first = 0; i < n; i++) {
		if (refs[i].l->state != MIG_ACTIVE)
			continue;
		if (i == first ||
		    refs[i].rp->subnet_id != refs[first].rp->subnet_id ||
		    memcmp(refs[i].l->mac, refs[first].l->mac, 6)) {
			first = i;
			continue;
		}
		if (refs[i].l->addr != refs[first].l->addr)
			mark(&refs[i], MIG_CONFLICT_TWO_ADDRS,
			     refs[first].l->line);
	}
}

int mig_plan(const struct mig_set *s, const struct dx_config *cfg,
	     const struct mig_db_ops *db, int64_t now, struct mig_plan *out)
{
	struct ref *refs = NULL;
	size_t n = 0;
	int ret;

	if (!s || !cfg || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->rows = calloc(s->n ? s->n : 1, sizeof(*out->rows));
	refs = calloc(s->n ? s->n : 1, sizeof(*refs));
	if (!out->rows || !refs) {
		ret = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < s->n; i++) {
		ret = plan_row(&s->v[i], cfg, db, now, &out->rows[i]);
		if (ret)
			goto out;
		if (out->rows[i].outcome == MIG_IMPORT ||
		    out->rows[i].outcome == MIG_IMPORT_DECLINED)
			refs[n++] = (struct ref){&s->v[i], &out->rows[i]};
	}
	plan_pairs(refs, n);
	for (size_t i = 0; i < s->n; i++) {
		out->count[out->rows[i].outcome]++;
		if (out->rows[i].outcome == MIG_IMPORT && out->rows[i].moves)
			out->moves++;
	}
	out->conflicts = out->count[MIG_CONFLICT];
	ret = 0;
out:
	free(refs);
	if (ret)
		mig_plan_free(out);
	return ret;
}

void mig_plan_free(struct mig_plan *p)
{
	if (!p)
		return;
	free(p->rows);
	p->rows = NULL;
}

void mig_plan_rec(const struct mig_lease *l, const struct mig_row_plan *rp,
		  int64_t now, struct dx_lease_rec *out)
{
	memset(out, 0, sizeof(*out));
	out->subnet_id = rp->subnet_id;
	out->addr = l->addr;
	out->state =
		rp->outcome == MIG_IMPORT ? DX_LEASE_ACTIVE : DX_LEASE_DECLINED;
	if (l->has_mac)
		memcpy(out->mac, l->mac, 6);
	out->client_id_len = l->client_id_len;
	memcpy(out->client_id, l->client_id, l->client_id_len);
	memcpy(out->hostname, l->hostname, sizeof(out->hostname));
	out->expires = l->expires == MIG_EXPIRES_NEVER
			       ? MIG_EXPIRES_NEVER_STORED
			       : l->expires;
	/* No XDP renewal has happened here yet: the lease's own end is as
	 * far as anything is promised (docs/design.md §2). */
	out->horizon = out->expires;
	out->last_seen = l->cltt > 0 && l->cltt <= now ? l->cltt : now;
}
