// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The DHCPv4 protocol engine: RFC 2131 §4.3 decisions over the pools
 * (pool.c) and the in-memory lease index (lease_table.c). Every choice
 * that the RFC leaves open is written down in docs/protocol.md.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "engine/pool.h"

#include "dhcpxdp/abi.h"
#include "engine/engine.h"
#include "engine/lease_table.h"

/* Set on an offer that took over another client's sticky row. */
#define LT_F_OFFER_REPLACED 0x40

/* Entries of one client we look at (more is a database oddity). */
#define CLIENT_MAX_LEASES 8

struct eng_res {
	const struct dx_reservation_conf *conf;
	struct dhcp_opt
		*opts; /* subnet options overridden by the reservation's */
	size_t n_opts;
};

struct eng_subnet {
	const struct dx_subnet_conf *conf;
	uint32_t id, network, mask;
	struct dx_pool_set *pool;
	uint8_t mask_opt[4]; /* option 1 value, network order */
	struct dhcp_opt *opts;
	size_t n_opts;
	struct eng_res *res;
	size_t n_res;
	struct eng_res **res_by_hw, **res_by_cid; /* sorted */
	size_t n_res_hw, n_res_cid;
	/* counters */
	uint64_t offers, acks, naks, declines, releases, informs;
	uint64_t pool_exhausted, leases_active;
};

struct relay_ent {
	uint32_t giaddr;
	struct eng_subnet *s;
};

struct engine {
	const struct dx_config *cfg;
	struct eng_subnet *subnets;
	size_t n_subnets;
	struct eng_subnet **by_id, **by_net; /* sorted by id, by network */
	struct relay_ent *relays;	     /* sorted by giaddr */
	size_t n_relays;
	struct lease_table *lt;
	double factor;
	uint32_t probation, offer_hold;
	uint64_t drops[__ENGINE_DROP_MAX];
};

/* What the engine knows about the client behind one request. */
struct client {
	const uint8_t *mac;
	const uint8_t *cid;
	size_t cid_len;
	struct lt_lease *ent[CLIENT_MAX_LEASES];
	size_t n;
	struct lt_lease *active, *offered, *sticky;
	const struct eng_res *res;
	bool res_usable;
};

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
};

const char *engine_drop_reason_name(int reason)
{
	if (reason < 0 || reason >= __ENGINE_DROP_MAX)
		return "unknown";
	return drop_names[reason];
}

uint64_t engine_client_id_hash(const uint8_t *cid, size_t len)
{
	uint64_t h = DX_FNV64_OFFSET;

	if (!cid || !len)
		return 0;
	for (size_t i = 0; i < len; i++)
		h = dx_fnv64_step(h, cid[i]);
	return h;
}

static uint32_t prefix_mask(uint8_t len)
{
	return len ? ~0U << (32 - len) : 0;
}

/* --- construction ----------------------------------------------------- */

static int cmp_id(const void *a, const void *b)
{
	const struct eng_subnet *x = *(void *const *)a, *y = *(void *const *)b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static int cmp_net(const void *a, const void *b)
{
	const struct eng_subnet *x = *(void *const *)a, *y = *(void *const *)b;

	return x->network < y->network ? -1 : x->network > y->network;
}

static int cmp_relay(const void *a, const void *b)
{
	const struct relay_ent *x = a, *y = b;

	return x->giaddr < y->giaddr ? -1 : x->giaddr > y->giaddr;
}

static int cmp_res_hw(const void *a, const void *b)
{
	const struct eng_res *x = *(void *const *)a, *y = *(void *const *)b;

	return memcmp(x->conf->hw, y->conf->hw, 6);
}

static int cmp_cid(const uint8_t *a, size_t la, const uint8_t *b, size_t lb)
{
	int d = memcmp(a, b, la < lb ? la : lb);

	return d ? d : (la < lb ? -1 : la > lb);
}

static int cmp_res_cid(const void *a, const void *b)
{
	const struct eng_res *x = *(void *const *)a, *y = *(void *const *)b;

	return cmp_cid(x->conf->client_id, x->conf->client_id_len,
		       y->conf->client_id, y->conf->client_id_len);
}

static void opt_from_conf(struct dhcp_opt *o, const struct dx_option *c)
{
	o->code = c->code;
	o->len = c->len;
	o->data = c->data;
}

/*
 * The subnet's reply options: option 1 from the prefix unless configured
 * (Kea sends the subnet mask with every lease too), then option-data.
 */
static int subnet_opts(struct eng_subnet *s)
{
	const struct dx_option_list *l = &s->conf->options;
	size_t n = 0;

	s->opts = calloc(l->n + 2, sizeof(*s->opts));
	if (!s->opts)
		return -ENOMEM;
	if (!dx_option_find(l, DHCP_OPT_SUBNET_MASK)) {
		s->mask_opt[0] = s->mask >> 24;
		s->mask_opt[1] = s->mask >> 16;
		s->mask_opt[2] = s->mask >> 8;
		s->mask_opt[3] = s->mask;
		s->opts[n].code = DHCP_OPT_SUBNET_MASK;
		s->opts[n].len = 4;
		s->opts[n++].data = s->mask_opt;
	}
	for (size_t i = 0; i < l->n; i++)
		opt_from_conf(&s->opts[n++], &l->opts[i]);
	s->n_opts = n;
	return 0;
}

/*
 * A reservation's reply options: the subnet's, each replaced by the
 * reservation's own value for the same code (in the subnet's order), then
 * the reservation's other codes, then option 12 from "hostname" unless the
 * reservation sets 12 itself.
 */
static int reservation_opts(const struct eng_subnet *s, struct eng_res *r)
{
	const struct dx_reservation_conf *c = r->conf;
	const struct dx_option_list *own = &c->options;
	size_t n = 0;

	r->opts = calloc(s->n_opts + own->n + 2, sizeof(*r->opts));
	if (!r->opts)
		return -ENOMEM;
	for (size_t i = 0; i < s->n_opts; i++) {
		const struct dx_option *o =
			dx_option_find(own, s->opts[i].code);

		if (o)
			opt_from_conf(&r->opts[n++], o);
		else
			r->opts[n++] = s->opts[i];
	}
	for (size_t i = 0; i < own->n; i++) {
		bool seen = false;

		for (size_t j = 0; j < s->n_opts && !seen; j++)
			seen = s->opts[j].code == own->opts[i].code;
		if (!seen)
			opt_from_conf(&r->opts[n++], &own->opts[i]);
	}
	if (c->hostname && *c->hostname &&
	    !dx_option_find(own, DHCP_OPT_HOST_NAME)) {
		size_t len = strlen(c->hostname);
		size_t j;

		for (j = 0; j < n && r->opts[j].code != DHCP_OPT_HOST_NAME; j++)
			;
		r->opts[j].code = DHCP_OPT_HOST_NAME;
		r->opts[j].len = len > 255 ? 255 : (uint16_t)len;
		r->opts[j].data = (const uint8_t *)c->hostname;
		if (j == n)
			n++;
	}
	r->n_opts = n;
	return 0;
}

static int subnet_reservations(struct eng_subnet *s)
{
	const struct dx_subnet_conf *c = s->conf;
	int r;

	s->n_res = c->n_reservations;
	s->res = calloc(s->n_res + 1, sizeof(*s->res));
	s->res_by_hw = calloc(s->n_res + 1, sizeof(*s->res_by_hw));
	s->res_by_cid = calloc(s->n_res + 1, sizeof(*s->res_by_cid));
	if (!s->res || !s->res_by_hw || !s->res_by_cid)
		return -ENOMEM;
	for (size_t i = 0; i < s->n_res; i++) {
		struct eng_res *er = &s->res[i];

		er->conf = &c->reservations[i];
		if ((r = reservation_opts(s, er)))
			return r;
		if (er->conf->has_hw)
			s->res_by_hw[s->n_res_hw++] = er;
		if (er->conf->client_id_len)
			s->res_by_cid[s->n_res_cid++] = er;
		/*
		 * A reserved address is never handed out dynamically
		 * (docs/design.md §1). -ENOENT: outside the pools, nothing to do.
		 */
		r = pool_exclude(s->pool, er->conf->addr);
		if (r && r != -ENOENT)
			return r;
	}
	qsort(s->res_by_hw, s->n_res_hw, sizeof(*s->res_by_hw), cmp_res_hw);
	qsort(s->res_by_cid, s->n_res_cid, sizeof(*s->res_by_cid), cmp_res_cid);
	return 0;
}

static int subnet_init(struct engine *e, struct eng_subnet *s,
		       const struct dx_subnet_conf *c)
{
	struct dx_pool_range *ranges;
	int r;

	s->conf = c;
	s->id = c->id;
	s->mask = prefix_mask(c->prefix_len);
	s->network = c->network & s->mask;
	ranges = calloc(c->n_pools + 1, sizeof(*ranges));
	if (!ranges)
		return -ENOMEM;
	for (size_t i = 0; i < c->n_pools; i++) {
		ranges[i].start = c->pools[i].start;
		ranges[i].end = c->pools[i].end;
	}
	s->pool = pool_set_new(s->network, c->prefix_len, ranges, c->n_pools);
	free(ranges);
	if (!s->pool)
		return errno ? -errno : -ENOMEM;
	if ((r = subnet_opts(s)) || (r = subnet_reservations(s)))
		return r;
	/* Our own interface addresses are never leased (sd-dhcp-server). */
	for (size_t i = 0; i < e->cfg->n_interfaces; i++)
		if (e->cfg->interfaces[i].addr)
			pool_exclude(s->pool, e->cfg->interfaces[i].addr);
	return 0;
}

static int build_lookups(struct engine *e)
{
	size_t n = e->n_subnets, k = 0;

	e->by_id = calloc(n + 1, sizeof(*e->by_id));
	e->by_net = calloc(n + 1, sizeof(*e->by_net));
	for (size_t i = 0; i < n; i++)
		e->n_relays += e->subnets[i].conf->n_relay;
	e->relays = calloc(e->n_relays + 1, sizeof(*e->relays));
	if (!e->by_id || !e->by_net || !e->relays)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct eng_subnet *s = &e->subnets[i];

		e->by_id[i] = e->by_net[i] = s;
		for (size_t j = 0; j < s->conf->n_relay; j++) {
			e->relays[k].giaddr = s->conf->relay_addrs[j];
			e->relays[k++].s = s;
		}
	}
	qsort(e->by_id, n, sizeof(*e->by_id), cmp_id);
	qsort(e->by_net, n, sizeof(*e->by_net), cmp_net);
	qsort(e->relays, e->n_relays, sizeof(*e->relays), cmp_relay);
	return 0;
}

int engine_new(const struct dx_config *cfg, struct engine **out)
{
	struct engine *e;
	int r = -ENOMEM;

	if (!cfg || !out)
		return -EINVAL;
	*out = NULL;
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->cfg = cfg;
	e->factor = cfg->dhcpxdp.horizon_factor >= 1.0
			    ? cfg->dhcpxdp.horizon_factor
			    : CONFIG_DEFAULT_HORIZON_FACTOR;
	e->probation = cfg->dhcpxdp.decline_probation;
	e->offer_hold = cfg->dhcpxdp.offer_hold;
	e->lt = lt_new();
	e->subnets = calloc(cfg->n_subnets + 1, sizeof(*e->subnets));
	if (!e->lt || !e->subnets)
		goto out;
	e->n_subnets = cfg->n_subnets;
	for (size_t i = 0; i < cfg->n_subnets; i++)
		if ((r = subnet_init(e, &e->subnets[i], &cfg->subnets[i])))
			goto out;
	if ((r = build_lookups(e)))
		goto out;
	*out = e;
	return 0;
out:
	engine_free(e);
	return r;
}

void engine_free(struct engine *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->n_subnets; i++) {
		struct eng_subnet *s = &e->subnets[i];

		pool_set_free(s->pool);
		free(s->opts);
		for (size_t j = 0; s->res && j < s->n_res; j++)
			free(s->res[j].opts);
		free(s->res);
		free(s->res_by_hw);
		free(s->res_by_cid);
	}
	free(e->subnets);
	free(e->by_id);
	free(e->by_net);
	free(e->relays);
	lt_free(e->lt);
	free(e);
}

/* --- lookups ---------------------------------------------------------- */

static struct eng_subnet *subnet_by_id(const struct engine *e, uint32_t id)
{
	size_t lo = 0, hi = e->n_subnets;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (e->by_id[mid]->id < id)
			lo = mid + 1;
		else if (e->by_id[mid]->id > id)
			hi = mid;
		else
			return e->by_id[mid];
	}
	return NULL;
}

/* Subnets never overlap (config.c), so the one that can contain addr is
 * the last whose network is <= addr. */
static struct eng_subnet *subnet_by_addr(const struct engine *e, uint32_t a)
{
	size_t lo = 0, hi = e->n_subnets;
	struct eng_subnet *s;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (e->by_net[mid]->network <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	s = e->by_net[lo - 1];
	return (a & s->mask) == s->network ? s : NULL;
}

static struct eng_subnet *subnet_by_relay(const struct engine *e, uint32_t gi)
{
	size_t lo = 0, hi = e->n_relays;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (e->relays[mid].giaddr < gi)
			lo = mid + 1;
		else if (e->relays[mid].giaddr > gi)
			hi = mid;
		else
			return e->relays[mid].s;
	}
	return NULL;
}

/*
 * docs/design.md §1: relayed (giaddr != 0) - the subnet listing giaddr in
 * relay.ip-addresses, else the one whose prefix holds giaddr (as Kea);
 * direct - the subnet bound to the arrival interface/VLAN. Exception, as
 * Kea: a unicast request with ciaddr set and no giaddr comes from a bound
 * client talking to us directly (RFC 2131 §4.3.2 RENEWING, §4.3.4,
 * §4.3.5), possibly from behind a relay: the subnet holding ciaddr. A
 * broadcast one (REBINDING) stays on the arrival link, so a client that
 * moved to another network is told so (NAK).
 */
static struct eng_subnet *select_subnet(const struct engine *e,
					const struct dhcp_msg *req,
					const struct engine_rx *rx)
{
	struct eng_subnet *s;

	if (req->giaddr) {
		s = subnet_by_relay(e, req->giaddr);
		return s ? s : subnet_by_addr(e, req->giaddr);
	}
	if (rx->unicast && req->ciaddr && (s = subnet_by_addr(e, req->ciaddr)))
		return s;
	return rx->direct_subnet_id ? subnet_by_id(e, rx->direct_subnet_id)
				    : NULL;
}

static const struct eng_res *res_by_hw(const struct eng_subnet *s,
				       const uint8_t mac[6])
{
	size_t lo = 0, hi = s->n_res_hw;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = memcmp(s->res_by_hw[mid]->conf->hw, mac, 6);

		if (d < 0)
			lo = mid + 1;
		else if (d > 0)
			hi = mid;
		else
			return s->res_by_hw[mid];
	}
	return NULL;
}

static const struct eng_res *res_by_cid(const struct eng_subnet *s,
					const uint8_t *cid, size_t len)
{
	size_t lo = 0, hi = s->n_res_cid;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct dx_reservation_conf *c = s->res_by_cid[mid]->conf;
		int d = cmp_cid(c->client_id, c->client_id_len, cid, len);

		if (d < 0)
			lo = mid + 1;
		else if (d > 0)
			hi = mid;
		else
			return s->res_by_cid[mid];
	}
	return NULL;
}

static bool holds_addr(const struct lt_lease *l)
{
	return l->state == DX_LEASE_ACTIVE || l->state == LT_STATE_OFFERED ||
	       l->state == DX_LEASE_DECLINED;
}

/*
 * May the address be leased dynamically in s at all: in a pool and not
 * excluded (another client's reservation, our own address).
 */
static bool dyn_ok(const struct eng_subnet *s, uint32_t a)
{
	return pool_contains(s->pool, a) && !pool_is_reserved(s->pool, a);
}

static bool in_subnet(const struct eng_subnet *s, uint32_t a)
{
	return (a & s->mask) == s->network;
}

/*
 * The client-id as the engine keys it: RFC 3396 concatenation could make
 * it longer than a lease row holds (255); the first 255 bytes then stand
 * for it, consistently.
 */
static size_t req_cid_len(const struct dhcp_msg *req)
{
	if (!req->client_id)
		return 0;
	return req->client_id_len > DX_LEASE_CLIENT_ID_MAX
		       ? DX_LEASE_CLIENT_ID_MAX
		       : req->client_id_len;
}

static bool newer(const struct lt_lease *a, const struct lt_lease *b)
{
	return !b || a->last_seen > b->last_seen;
}

/*
 * Client identification (RFC 2131 §4.2): client-id (61) if sent, else
 * chaddr. Reservations are looked up by hw-address first, then client-id
 * (Kea's default host-reservation-identifiers order).
 */
static void client_view(const struct engine *e, const struct eng_subnet *s,
			const struct dhcp_msg *req, struct client *cl)
{
	memset(cl, 0, sizeof(*cl));
	cl->mac = req->chaddr;
	cl->cid = req->client_id;
	cl->cid_len = req_cid_len(req);
	cl->n = lt_find_client(e->lt, s->id, cl->mac, cl->cid, cl->cid_len,
			       cl->ent, CLIENT_MAX_LEASES);
	if (cl->n > CLIENT_MAX_LEASES)
		cl->n = CLIENT_MAX_LEASES;
	for (size_t i = 0; i < cl->n; i++) {
		struct lt_lease *l = cl->ent[i];

		if (l->state == DX_LEASE_ACTIVE) {
			if (newer(l, cl->active))
				cl->active = l;
		} else if (l->state == LT_STATE_OFFERED) {
			cl->offered = l;
		} else if (l->state == DX_LEASE_RELEASED ||
			   l->state == DX_LEASE_EXPIRED) {
			if (newer(l, cl->sticky))
				cl->sticky = l;
		}
	}
	cl->res = res_by_hw(s, cl->mac);
	if (!cl->res && cl->cid_len)
		cl->res = res_by_cid(s, cl->cid, cl->cid_len);
	if (cl->res) {
		/*
		 * Usable unless a lease loaded from the database (the config
		 * changed) still holds the address for someone else: that
		 * lease keeps it until its horizon; the reserved client is
		 * served from the pool meanwhile (as Kea).
		 */
		const struct lt_lease *l =
			lt_find_addr(e->lt, s->id, cl->res->conf->addr);

		cl->res_usable = !l || !holds_addr(l) ||
				 lt_owned_by(l, cl->mac, cl->cid, cl->cid_len);
	}
}

/* --- changes ---------------------------------------------------------- */

static void rec_from(struct dx_lease_rec *r, const struct lt_lease *l)
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

static void map_from(struct engine_map_op *m, int kind,
		     const struct lt_lease *l)
{
	memset(m, 0, sizeof(*m));
	m->kind = kind;
	m->subnet_id = l->subnet_id;
	memcpy(m->mac, l->mac, 6);
	m->addr = l->addr;
	if (kind == ENGINE_MAP_UPSERT) {
		m->flags = DX_LEASE_F_DYNAMIC;
		m->client_id_hash =
			engine_client_id_hash(lt_client_id(l), l->client_id_len);
		m->horizon = l->horizon;
		m->expires = l->expires;
	}
}

/* A sink for changes: a request's fixed arrays or an expiry batch. */
struct sink {
	struct dx_lease_op *ops;
	struct engine_map_op *map;
	size_t cap, *n_ops, *n_map;
};

static bool sink_room(const struct sink *k, size_t ops, size_t map)
{
	return *k->n_ops + ops <= k->cap && *k->n_map + map <= k->cap;
}

static void emit_upsert(struct sink *k, const struct lt_lease *l)
{
	struct dx_lease_op *op = &k->ops[(*k->n_ops)++];

	op->kind = DX_LEASE_OP_UPSERT;
	rec_from(&op->rec, l);
}

static void emit_delete(struct sink *k, const struct lt_lease *l)
{
	struct dx_lease_op *op = &k->ops[(*k->n_ops)++];

	memset(op, 0, sizeof(*op));
	op->kind = DX_LEASE_OP_DELETE;
	op->rec.subnet_id = l->subnet_id;
	op->rec.addr = l->addr;
}

static void emit_map(struct sink *k, int kind, const struct lt_lease *l)
{
	map_from(&k->map[(*k->n_map)++], kind, l);
}

static void sink_of(struct sink *k, struct engine_changes *ch)
{
	k->ops = ch->ops;
	k->map = ch->map;
	k->cap = ENGINE_MAX_OPS;
	k->n_ops = &ch->n_ops;
	k->n_map = &ch->n_map;
}

static int64_t horizon_for(const struct engine *e, const struct eng_subnet *s,
			   int64_t now)
{
	return now + (int64_t)(e->factor * (double)s->conf->valid_lifetime);
}

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

/* --- state transitions ------------------------------------------------ */

/* Give an address back to the pool; outside it, or excluded, nothing. */
static void pool_give_back(struct eng_subnet *s, uint32_t a)
{
	if (dyn_ok(s, a))
		pool_release(s->pool, a);
}

/* An offer hold ends (time, another server chosen, client moved on). */
static void offer_lapse(struct engine *e, struct eng_subnet *s,
			struct lt_lease *l)
{
	pool_give_back(s, l->addr);
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
static void lease_end(struct engine *e, struct eng_subnet *s,
		      struct lt_lease *l, int64_t now, struct sink *k)
{
	l->state = l->db_state = DX_LEASE_EXPIRED;
	if (l->expires > now)
		l->expires = now;
	lt_clear_deadline(e->lt, l);
	pool_give_back(s, l->addr);
	if (s->leases_active)
		s->leases_active--;
	emit_upsert(k, l);
	emit_map(k, ENGINE_MAP_DELETE, l);
}

/* The client gets `keep`: it holds no other lease or offer in s. */
static void close_others(struct engine *e, struct eng_subnet *s,
			 struct client *cl, const struct lt_lease *keep,
			 int64_t now, struct sink *k)
{
	for (size_t i = 0; i < cl->n; i++) {
		struct lt_lease *l = cl->ent[i];

		if (l == keep)
			continue;
		if (l->state == LT_STATE_OFFERED) {
			offer_lapse(e, s, l);
			cl->ent[i] = NULL;
		} else if (l->state == DX_LEASE_ACTIVE && sink_room(k, 2, 2)) {
			/* room kept for the grant itself */
			lease_end(e, s, l, now, k);
		}
	}
	cl->n = 0; /* entries may be gone: the view is stale now */
}

/* Point the entry at the client; -ENOMEM. */
static int own(struct engine *e, struct lt_lease *l, const struct client *cl)
{
	return lt_set_owner(e->lt, l, cl->mac, cl->cid, cl->cid_len);
}

/*
 * Hold `a` for an OFFER to the client (RFC 2131 §4.3.1: "the server
 * SHOULD reserve the offered address"), offer-lifetime seconds. Nothing
 * is persisted: an offer promises nothing. `taken`: pool_alloc() already
 * marked the address used.
 */
static int hold_offer(struct engine *e, struct eng_subnet *s, struct client *cl,
		      uint32_t a, bool taken, int64_t now)
{
	struct lt_lease *l = lt_find_addr(e->lt, s->id, a);
	int r;

	if (l && l->state == LT_STATE_OFFERED) /* the client's own */
		return lt_set_deadline(e->lt, l, now + e->offer_hold);
	if (!taken && (r = pool_take(s->pool, a)))
		return r;
	if (!l) {
		if ((r = lt_insert(e->lt, s->id, a, &l)))
			goto undo;
		l->db_state = 0;
	} else if (!lt_owned_by(l, cl->mac, cl->cid, cl->cid_len)) {
		/* Another client's sticky row: the offer takes it over. */
		l->lt_flags |= LT_F_OFFER_REPLACED;
	}
	if ((r = own(e, l, cl)) ||
	    (r = lt_set_deadline(e->lt, l, now + e->offer_hold)))
		goto undo_entry;
	l->state = LT_STATE_OFFERED;
	return 0;
undo_entry:
	if (!l->db_state)
		lt_remove(e->lt, l);
undo:
	pool_release(s->pool, a);
	return r;
}

/* RFC 2131 §4.3.2: bind `a` to the client (dynamic lease), committed. */
static int grant_dynamic(struct engine *e, struct eng_subnet *s,
			 struct client *cl, const struct dhcp_msg *req,
			 uint32_t a, int64_t now, struct sink *k)
{
	struct lt_lease *l = lt_find_addr(e->lt, s->id, a);
	bool mine = l && (l->state == DX_LEASE_ACTIVE ||
			  l->state == LT_STATE_OFFERED);
	bool was_active = l && l->state == DX_LEASE_ACTIVE;
	int r;

	/* addr_ok() made sure that `mine` means owned by this client. */
	if (!mine && (r = pool_take(s->pool, a)))
		return r;
	if (!l && (r = lt_insert(e->lt, s->id, a, &l))) {
		pool_release(s->pool, a);
		return r;
	}
	if ((r = own(e, l, cl)))
		goto fail;
	if (req->hostname)
		lt_set_hostname(l, (const char *)req->hostname,
				req->hostname_len > DX_LEASE_HOSTNAME_MAX
					? DX_LEASE_HOSTNAME_MAX
					: req->hostname_len);
	close_others(e, s, cl, l, now, k);
	l->state = l->db_state = DX_LEASE_ACTIVE;
	l->lt_flags &= ~LT_F_OFFER_REPLACED;
	l->flags &= ~DX_LEASE_F_FASTPATH;
	l->expires = now + s->conf->valid_lifetime;
	/* docs/design.md §2: the horizon never moves back. */
	l->horizon = max64(was_active ? l->horizon : 0, horizon_for(e, s, now));
	l->last_seen = now;
	if ((r = lt_set_deadline(e->lt, l, max64(l->expires, l->horizon))))
		goto fail;
	if (!was_active)
		s->leases_active++;
	emit_upsert(k, l);
	emit_map(k, ENGINE_MAP_UPSERT, l);
	return 0;
fail:
	if (!mine) {
		pool_release(s->pool, a);
		if (!l->db_state)
			lt_remove(e->lt, l);
	}
	return r;
}

/* --- replies ---------------------------------------------------------- */

static void reply(struct engine_result *res, const struct engine_rx *rx,
		  uint8_t type, uint32_t yiaddr)
{
	res->action = ENGINE_REPLY;
	res->reply.msg_type = type;
	res->reply.yiaddr = yiaddr;
	res->reply.server_id = rx->server_id;
}

/* OFFER/ACK of a lease: 51, 58, 59 and the options (subnet's, or the
 * reservation's merge). */
static void reply_lease(struct engine_result *res, const struct engine_rx *rx,
			const struct eng_subnet *s, const struct eng_res *rs,
			uint8_t type, uint32_t yiaddr)
{
	reply(res, rx, type, yiaddr);
	res->reply.lease_time = s->conf->valid_lifetime;
	res->reply.t1 = s->conf->renew_timer;
	res->reply.t2 = s->conf->rebind_timer;
	res->reply.opts = rs ? rs->opts : s->opts;
	res->reply.n_opts = rs ? rs->n_opts : s->n_opts;
}

static void nak(struct engine_result *res, const struct engine_rx *rx,
		struct eng_subnet *s, const char *why)
{
	reply(res, rx, DHCPNAK, 0);
	res->reply.message = why;
	s->naks++;
}

static void drop(struct engine *e, struct engine_result *res, int reason)
{
	res->action = ENGINE_DROP;
	res->drop_reason = reason;
	e->drops[reason]++;
}

/* --- DISCOVER (RFC 2131 §4.3.1) -------------------------------------- */

/*
 * Address choice, §4.3.1 order: the client's reservation; its current
 * binding; its held offer (a retransmitted DISCOVER); its previous address
 * (sticky) if free; the requested address (50) if free and in a pool; the
 * next free address of the pool.
 */
static void on_discover(struct engine *e, struct eng_subnet *s,
			const struct dhcp_msg *req, const struct engine_rx *rx,
			int64_t now, struct engine_result *res)
{
	struct client cl;
	uint32_t a = 0;
	int r;

	client_view(e, s, req, &cl);
	if (cl.res && cl.res_usable) {
		reply_lease(res, rx, s, cl.res, DHCPOFFER, cl.res->conf->addr);
		s->offers++;
		return;
	}
	if (cl.active && dyn_ok(s, cl.active->addr)) {
		reply_lease(res, rx, s, NULL, DHCPOFFER, cl.active->addr);
		s->offers++;
		return;
	}
	if (cl.offered)
		a = cl.offered->addr;
	else if (cl.sticky && dyn_ok(s, cl.sticky->addr) &&
		 pool_is_free(s->pool, cl.sticky->addr))
		a = cl.sticky->addr;
	else if (req->has_requested_ip && in_subnet(s, req->requested_ip) &&
		 dyn_ok(s, req->requested_ip) &&
		 pool_is_free(s->pool, req->requested_ip))
		a = req->requested_ip;
	if (a) {
		r = hold_offer(e, s, &cl, a, false, now);
	} else {
		if (pool_alloc(s->pool, &a)) {
			/* docs/design.md §1: no OFFER; the client falls back to
			 * APIPA on its own. */
			s->pool_exhausted++;
			drop(e, res, ENGINE_DROP_POOL_EXHAUSTED);
			return;
		}
		r = hold_offer(e, s, &cl, a, true, now);
	}
	if (r) {
		drop(e, res, ENGINE_DROP_NO_MEMORY);
		return;
	}
	reply_lease(res, rx, s, NULL, DHCPOFFER, a);
	s->offers++;
}

/* --- REQUEST (RFC 2131 §4.3.2) --------------------------------------- */

enum addr_verdict { ADDR_NO, ADDR_RESERVED, ADDR_DYNAMIC };

/* May the client be bound to `a` in s? */
static int addr_ok(const struct engine *e, const struct eng_subnet *s,
		   const struct client *cl, uint32_t a)
{
	const struct lt_lease *l;

	if (!in_subnet(s, a))
		return ADDR_NO;
	/* A reserved client gets its reservation and nothing else (Kea). */
	if (cl->res && cl->res_usable)
		return a == cl->res->conf->addr ? ADDR_RESERVED : ADDR_NO;
	l = lt_find_addr(e->lt, s->id, a);
	if (l && holds_addr(l))
		return l->state != DX_LEASE_DECLINED &&
				       lt_owned_by(l, cl->mac, cl->cid,
						   cl->cid_len) &&
				       dyn_ok(s, a)
			       ? ADDR_DYNAMIC
			       : ADDR_NO;
	return dyn_ok(s, a) && pool_is_free(s->pool, a) ? ADDR_DYNAMIC
							: ADDR_NO;
}

static int request_state(const struct dhcp_msg *req)
{
	if (req->has_server_id)
		return ENGINE_REQ_SELECTING;
	if (req->ciaddr)
		return ENGINE_REQ_RENEWING;
	if (req->has_requested_ip)
		return ENGINE_REQ_INIT_REBOOT;
	return ENGINE_REQ_NONE;
}

static void ack(struct engine *e, struct eng_subnet *s, struct client *cl,
		const struct dhcp_msg *req, const struct engine_rx *rx,
		uint32_t a, int verdict, int64_t now, struct engine_result *res)
{
	struct sink k;

	sink_of(&k, &res->ch);
	if (verdict == ADDR_RESERVED) {
		/*
		 * Reservations are not persisted: the configuration is their
		 * source of truth (docs/design.md §2). Any dynamic lease the
		 * client still holds here ends.
		 */
		close_others(e, s, cl, NULL, now, &k);
		reply_lease(res, rx, s, cl->res, DHCPACK, a);
		s->acks++;
		return;
	}
	if (grant_dynamic(e, s, cl, req, a, now, &k)) {
		drop(e, res, ENGINE_DROP_NO_MEMORY);
		return;
	}
	reply_lease(res, rx, s, NULL, DHCPACK, a);
	s->acks++;
}

static void on_request(struct engine *e, struct eng_subnet *s,
		       const struct dhcp_msg *req, const struct engine_rx *rx,
		       int64_t now, struct engine_result *res)
{
	struct client cl;
	uint32_t a;
	int v;

	res->req_state = request_state(req);
	client_view(e, s, req, &cl);
	switch (res->req_state) {
	case ENGINE_REQ_SELECTING:
		if (req->server_id != rx->server_id) {
			/*
			 * §4.3.2/§3.1 step 4: the client chose another
			 * server; its REQUEST declines our offer. Silence.
			 */
			if (cl.offered)
				offer_lapse(e, s, cl.offered);
			drop(e, res, ENGINE_DROP_NOT_FOR_US);
			return;
		}
		/* 50 MUST be there (table 5); tolerate ciaddr as Kea. */
		a = req->has_requested_ip ? req->requested_ip : req->ciaddr;
		if (!a) {
			drop(e, res, ENGINE_DROP_MALFORMED);
			return;
		}
		break;
	case ENGINE_REQ_INIT_REBOOT:
		a = req->requested_ip;
		/* Wrong network: NAK whether or not we know the client. */
		if (!in_subnet(s, a)) {
			nak(res, rx, s, "wrong network");
			return;
		}
		/* "If the DHCP server has no record of this client, then it
		 * MUST remain silent" (§4.3.2). */
		if (!cl.res && !cl.n) {
			drop(e, res, ENGINE_DROP_UNKNOWN_CLIENT);
			return;
		}
		break;
	case ENGINE_REQ_RENEWING:
		a = req->ciaddr;
		if (!in_subnet(s, a)) {
			nak(res, rx, s, "wrong network");
			return;
		}
		break;
	default:
		drop(e, res, ENGINE_DROP_MALFORMED);
		return;
	}
	v = addr_ok(e, s, &cl, a);
	/* INIT-REBOOT / RENEWING: a client bound to another address has an
	 * "incorrect" requested address (§4.3.2). */
	if (v == ADDR_DYNAMIC && res->req_state != ENGINE_REQ_SELECTING &&
	    cl.active && cl.active->addr != a)
		v = ADDR_NO;
	if (v == ADDR_NO) {
		nak(res, rx, s, "address not available");
		return;
	}
	ack(e, s, &cl, req, rx, a, v, now, res);
}

/* --- DECLINE, RELEASE, INFORM (RFC 2131 §4.3.3 - §4.3.5) ------------- */

static void on_decline(struct engine *e, struct eng_subnet *s,
		       const struct dhcp_msg *req, const struct engine_rx *rx,
		       int64_t now, struct engine_result *res)
{
	struct lt_lease *l;
	struct sink k;
	bool was_active;

	if (req->has_server_id && req->server_id != rx->server_id) {
		drop(e, res, ENGINE_DROP_NOT_FOR_US);
		return;
	}
	if (!req->has_requested_ip) { /* 50 MUST be there (table 5) */
		drop(e, res, ENGINE_DROP_MALFORMED);
		return;
	}
	l = lt_find_addr(e->lt, s->id, req->requested_ip);
	if (!l ||
	    (l->state != DX_LEASE_ACTIVE && l->state != LT_STATE_OFFERED) ||
	    !lt_owned_by(l, req->chaddr, req->client_id, req_cid_len(req))) {
		/* Not this client's lease (a reserved address included:
		 * the configuration is the truth there). */
		drop(e, res, ENGINE_DROP_NO_LEASE);
		return;
	}
	sink_of(&k, &res->ch);
	was_active = l->state == DX_LEASE_ACTIVE;
	if (was_active) {
		emit_map(&k, ENGINE_MAP_DELETE, l);
		if (s->leases_active)
			s->leases_active--;
	}
	/*
	 * §4.3.3: "MUST mark the network address as not available". The
	 * address belongs to nobody during probation (Kea strips the client
	 * identification from a declined lease too).
	 */
	lt_clear_owner(e->lt, l);
	lt_set_hostname(l, NULL, 0);
	l->lt_flags &= ~LT_F_OFFER_REPLACED;
	l->state = l->db_state = DX_LEASE_DECLINED;
	l->flags = 0;
	l->expires = l->horizon = now + e->probation;
	l->last_seen = now;
	lt_set_deadline(e->lt, l, l->expires);
	if (dyn_ok(s, l->addr))
		pool_decline(s->pool, l->addr);
	emit_upsert(&k, l);
	s->declines++;
	res->action = ENGINE_SILENT;
}

static void on_release(struct engine *e, struct eng_subnet *s,
		       const struct dhcp_msg *req, const struct engine_rx *rx,
		       int64_t now, struct engine_result *res)
{
	struct lt_lease *l;
	struct sink k;

	if (req->has_server_id && req->server_id != rx->server_id) {
		drop(e, res, ENGINE_DROP_NOT_FOR_US);
		return;
	}
	l = lt_find_addr(e->lt, s->id, req->ciaddr);
	if (!req->ciaddr || !l || l->state != DX_LEASE_ACTIVE ||
	    !lt_owned_by(l, req->chaddr, req->client_id, req_cid_len(req))) {
		drop(e, res, ENGINE_DROP_NO_LEASE);
		return;
	}
	sink_of(&k, &res->ch);
	/*
	 * §4.3.4: the address goes back to the pool; the row stays so the
	 * client gets the same address next time if still free (§4.3.1).
	 */
	l->state = l->db_state = DX_LEASE_RELEASED;
	l->expires = l->horizon = now;
	l->last_seen = now;
	lt_clear_deadline(e->lt, l);
	pool_give_back(s, l->addr);
	if (s->leases_active)
		s->leases_active--;
	emit_upsert(&k, l);
	emit_map(&k, ENGINE_MAP_DELETE, l);
	s->releases++;
	res->action = ENGINE_SILENT;
}

static void on_inform(struct engine *e, struct eng_subnet *s,
		      const struct dhcp_msg *req, const struct engine_rx *rx,
		      struct engine_result *res)
{
	const struct eng_res *rs;

	/* Nowhere to send the ACK (§4.3.5: to ciaddr; Kea drops these). */
	if (!req->ciaddr && !req->giaddr) {
		drop(e, res, ENGINE_DROP_MALFORMED);
		return;
	}
	rs = res_by_hw(s, req->chaddr);
	if (!rs && req->client_id)
		rs = res_by_cid(s, req->client_id, req->client_id_len);
	/* §4.3.5: ACK, no lease time, yiaddr 0; ciaddr is echoed by the
	 * encoder. No lease is looked at or created. */
	reply(res, rx, DHCPACK, 0);
	res->reply.opts = rs ? rs->opts : s->opts;
	res->reply.n_opts = rs ? rs->n_opts : s->n_opts;
	s->informs++;
}

/* Never lease our own address, whatever the config says. */
static void exclude_server_id(struct eng_subnet *s, uint32_t sid)
{
	if (pool_is_free(s->pool, sid))
		pool_exclude(s->pool, sid);
}

int engine_handle(struct engine *e, const struct dhcp_msg *req,
		  const struct engine_rx *rx, int64_t now,
		  struct engine_result *res)
{
	struct eng_subnet *s;

	if (!e || !req || !rx || !res || !rx->server_id)
		return -EINVAL;
	memset(res, 0, sizeof(*res));
	/* The lease map is keyed by an Ethernet MAC (docs/design.md §4). */
	if (req->op != BOOTREQUEST || req->htype != DHCP_HTYPE_ETHER ||
	    req->hlen != DHCP_HLEN_ETHER) {
		drop(e, res, ENGINE_DROP_MALFORMED);
		return 0;
	}
	if (!req->msg_type) {
		drop(e, res, ENGINE_DROP_UNSUPPORTED);
		return 0;
	}
	s = select_subnet(e, req, rx);
	if (!s) {
		drop(e, res, ENGINE_DROP_NO_SUBNET);
		return 0;
	}
	res->subnet_id = s->id;
	exclude_server_id(s, rx->server_id);
	switch (req->msg_type) {
	case DHCPDISCOVER:
		on_discover(e, s, req, rx, now, res);
		break;
	case DHCPREQUEST:
		on_request(e, s, req, rx, now, res);
		break;
	case DHCPDECLINE:
		on_decline(e, s, req, rx, now, res);
		break;
	case DHCPRELEASE:
		on_release(e, s, req, rx, now, res);
		break;
	case DHCPINFORM:
		on_inform(e, s, req, rx, res);
		break;
	default: /* OFFER, ACK, NAK: server messages */
		drop(e, res, ENGINE_DROP_MALFORMED);
		break;
	}
	return 0;
}

/* --- start-up, expiry, renewals, stats ------------------------------- */

/* Has the owner of l a reservation in s (by hw-address or client-id)? */
static bool reserved_client(const struct eng_subnet *s,
			    const struct lt_lease *l)
{
	return res_by_hw(s, l->mac) ||
	       (l->client_id_len &&
		res_by_cid(s, lt_client_id(l), l->client_id_len));
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
		 * docs/design.md §2: taken until max(expires, horizon), even when
		 * `expires` is past. -EBUSY/-ENOENT: reserved for someone
		 * else now, or outside the pools (the config changed): the
		 * lease still keeps the address until then.
		 */
		if (dyn_ok(s, rec->addr))
			pool_take(s->pool, rec->addr);
		r = lt_set_deadline(e->lt, l, max64(l->expires, l->horizon));
		s->leases_active++;
		/*
		 * A client with a reservation here gets its reservation and
		 * nothing else (addr_ok()): XDP must not keep renewing a
		 * dynamic lease it held before the reservation was made, so
		 * any such map entry goes (a reservation's own entry is not
		 * dynamic and survives the delete, map_sync.c).
		 */
		if (map && (l->lt_flags & LT_F_OWNED))
			map_from(map,
				 reserved_client(s, l) ? ENGINE_MAP_DELETE
						       : ENGINE_MAP_UPSERT,
				 l);
		break;
	case DX_LEASE_DECLINED:
		if (dyn_ok(s, rec->addr))
			pool_decline(s->pool, rec->addr);
		r = lt_set_deadline(e->lt, l, l->expires);
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

int64_t engine_next_deadline(const struct engine *e)
{
	const struct lt_lease *l = e ? lt_first_deadline(e->lt) : NULL;

	return l ? l->deadline : INT64_MAX;
}

int engine_expire(struct engine *e, int64_t now, struct engine_batch *b)
{
	struct lt_lease *l;
	struct sink k;
	int n = 0;

	if (!e || !b || (b->cap && (!b->ops || !b->map)))
		return -EINVAL;
	k.ops = b->ops;
	k.map = b->map;
	k.cap = b->cap;
	k.n_ops = &b->n_ops;
	k.n_map = &b->n_map;
	while ((l = lt_first_deadline(e->lt)) && l->deadline < now) {
		struct eng_subnet *s = subnet_by_id(e, l->subnet_id);

		if (l->state == LT_STATE_OFFERED) {
			offer_lapse(e, s, l);
		} else if (l->state == DX_LEASE_ACTIVE) {
			if (!sink_room(&k, 1, 1))
				break;
			lease_end(e, s, l, now, &k);
		} else if (l->state == DX_LEASE_DECLINED) {
			if (!sink_room(&k, 1, 0))
				break;
			/* Probation over (§4.3.3): free, and nobody's sticky
			 * address, so the row goes. */
			if (dyn_ok(s, l->addr))
				pool_release(s->pool, l->addr);
			emit_delete(&k, l);
			lt_remove(e->lt, l);
		} else {
			lt_clear_deadline(e->lt, l);
		}
		n++;
	}
	return n;
}

int engine_note_renewal(struct engine *e, uint32_t subnet_id,
			const uint8_t mac[6], uint32_t addr, int64_t now,
			int64_t granted_until, struct engine_changes *out)
{
	struct eng_subnet *s;
	struct lt_lease *l;
	struct sink k;

	if (!e || !mac || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	s = subnet_by_id(e, subnet_id);
	l = s ? lt_find_addr(e->lt, subnet_id, addr) : NULL;
	if (!l || l->state != DX_LEASE_ACTIVE || !(l->lt_flags & LT_F_OWNED) ||
	    memcmp(l->mac, mac, 6))
		return -ENOENT;
	/* No longer leasable (config changed): let the lease run out. */
	if (!dyn_ok(s, addr))
		return -EPERM;
	sink_of(&k, out);
	l->expires = max64(l->expires, granted_until);
	l->horizon = max64(l->horizon, horizon_for(e, s, now));
	l->last_seen = now;
	l->flags |= DX_LEASE_F_FASTPATH;
	lt_set_deadline(e->lt, l, max64(l->expires, l->horizon));
	emit_upsert(&k, l);
	emit_map(&k, ENGINE_MAP_UPSERT, l);
	return 0;
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
	rec_from(out, l);
	out->state = l->state;
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
	emit_delete(&k, l);
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
		emit_map(&k, ENGINE_MAP_DELETE, l);
		pool_give_back(s, l->addr);
		if (s->leases_active)
			s->leases_active--;
	} else if (l->state == DX_LEASE_DECLINED) {
		/* Probation ends now (the operator vouches for it). */
		pool_give_back(s, l->addr);
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
	return 0;
}

int engine_subnet_opts(const struct engine *e, uint32_t subnet_id,
		       const struct dhcp_opt **opts, size_t *n)
{
	const struct eng_subnet *s;

	if (!e || !opts || !n)
		return -EINVAL;
	s = subnet_by_id(e, subnet_id);
	if (!s)
		return -ENOENT;
	*opts = s->opts;
	*n = s->n_opts;
	return 0;
}

uint64_t engine_drops(const struct engine *e, int reason)
{
	if (!e || reason < 0 || reason >= __ENGINE_DROP_MAX)
		return 0;
	return e->drops[reason];
}
