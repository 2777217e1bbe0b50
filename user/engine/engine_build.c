// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Building the engine from a configuration: per subnet, the pools (the
 * reserved addresses and our own interface addresses excluded), the
 * reservation indexes and the reply option lists, encoded once here so
 * that a request only picks a list; then the lookup tables by id, by
 * network and by relay address (engine_subnet.c).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine_internal.h"

static uint32_t prefix_mask(uint8_t len)
{
	return len ? ~0U << (32 - len) : 0;
}

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

static int cmp_res_by(const void *a, const void *b, res_id_fn *id_of)
{
	const struct eng_res *x = *(void *const *)a, *y = *(void *const *)b;
	size_t lx, ly;
	const uint8_t *ix = id_of(x, &lx), *iy = id_of(y, &ly);

	return cid_cmp(ix, lx, iy, ly);
}

static int cmp_res_cid(const void *a, const void *b)
{
	return cmp_res_by(a, b, res_id_cid);
}

static int cmp_res_circ(const void *a, const void *b)
{
	return cmp_res_by(a, b, res_id_circ);
}

static int cmp_res_duid(const void *a, const void *b)
{
	return cmp_res_by(a, b, res_id_duid);
}

static int cmp_res_flex(const void *a, const void *b)
{
	return cmp_res_by(a, b, res_id_flex);
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
static int build_subnet_opts(struct eng_subnet *s)
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
 * @base (@n options) with @own laid over it: each code @own sets
 * replaced in place, then @own's other codes; room for one more.
 */
static int overlay_opts(const struct dhcp_opt *base, size_t n,
			const struct dx_option_list *own, struct dhcp_opt **out,
			size_t *n_out)
{
	struct dhcp_opt *o = calloc(n + own->n + 2, sizeof(*o));
	size_t k = 0;

	if (!o)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct dx_option *x = dx_option_find(own, base[i].code);

		if (x)
			opt_from_conf(&o[k++], x);
		else
			o[k++] = base[i];
	}
	for (size_t i = 0; i < own->n; i++) {
		bool seen = false;

		for (size_t j = 0; j < n && !seen; j++)
			seen = base[j].code == own->opts[i].code;
		if (!seen)
			opt_from_conf(&o[k++], &own->opts[i]);
	}
	*out = o;
	*n_out = k;
	return 0;
}

static int build_pool_opts(struct eng_subnet *s)
{
	const struct dx_subnet_conf *c = s->conf;
	int r;

	s->opt_pools = calloc(c->n_pools + 1, sizeof(*s->opt_pools));
	if (!s->opt_pools)
		return -ENOMEM;
	for (size_t i = 0; c->pool_opts && i < c->n_pools; i++) {
		struct eng_opt_pool *p = &s->opt_pools[s->n_opt_pools];

		if (!c->pool_opts[i].options.n)
			continue;
		p->start = c->pools[i].start;
		p->end = c->pools[i].end;
		r = overlay_opts(s->opts, s->n_opts, &c->pool_opts[i].options,
				 &p->opts, &p->n_opts);
		if (r)
			return r;
		s->n_opt_pools++;
	}
	return 0;
}

/*
 * A reservation's reply options: those of its address's pool if it has
 * its own, else the subnet's (Kea: reservation over pool over subnet),
 * each replaced by the reservation's own value for the same code, then
 * the reservation's other codes, then option 12 from "hostname" (with
 * the subnet's ddns-qualifying-suffix, as Kea) unless the reservation
 * sets 12 itself.
 */
static int build_reservation_opts(const struct eng_subnet *s, struct eng_res *r)
{
	const struct dx_reservation_conf *c = r->conf;
	const struct dx_option_list *own = &c->options;
	const struct dhcp_opt *base = s->opts;
	size_t n, nb = s->n_opts;
	int ret;

	for (size_t i = 0; i < s->n_opt_pools; i++)
		if (c->addr >= s->opt_pools[i].start &&
		    c->addr <= s->opt_pools[i].end) {
			base = s->opt_pools[i].opts;
			nb = s->opt_pools[i].n_opts;
		}
	if ((ret = overlay_opts(base, nb, own, &r->opts, &n)))
		return ret;
	if (c->hostname && *c->hostname &&
	    !dx_option_find(own, DHCP_OPT_HOST_NAME)) {
		size_t len, j;

		r->hostname = client_name_reserved(s, c->hostname);
		if (!r->hostname)
			return -ENOMEM;
		len = strlen(r->hostname);
		for (j = 0; j < n && r->opts[j].code != DHCP_OPT_HOST_NAME; j++)
			;
		r->opts[j].code = DHCP_OPT_HOST_NAME;
		r->opts[j].len = len > 255 ? 255 : (uint16_t)len;
		r->opts[j].data = (const uint8_t *)r->hostname;
		if (j == n)
			n++;
	}
	r->n_opts = n;
	return 0;
}

static int build_reservations(struct eng_subnet *s)
{
	const struct dx_subnet_conf *c = s->conf;
	int r;

	s->n_res = c->n_reservations;
	s->res = calloc(s->n_res + 1, sizeof(*s->res));
	s->res_by_hw = calloc(s->n_res + 1, sizeof(*s->res_by_hw));
	s->res_by_cid = calloc(s->n_res + 1, sizeof(*s->res_by_cid));
	s->res_by_circ = calloc(s->n_res + 1, sizeof(*s->res_by_circ));
	s->res_by_duid = calloc(s->n_res + 1, sizeof(*s->res_by_duid));
	s->res_by_flex = calloc(s->n_res + 1, sizeof(*s->res_by_flex));
	if (!s->res || !s->res_by_hw || !s->res_by_cid || !s->res_by_circ ||
	    !s->res_by_duid || !s->res_by_flex)
		return -ENOMEM;
	for (size_t i = 0; i < s->n_res; i++) {
		struct eng_res *er = &s->res[i];

		er->conf = &c->reservations[i];
		er->bootp = c->bootp;
		config_bootp_merge(&er->bootp, &er->conf->bootp);
		if ((r = build_reservation_opts(s, er)))
			return r;
		if (er->conf->has_hw)
			s->res_by_hw[s->n_res_hw++] = er;
		if (er->conf->client_id_len)
			s->res_by_cid[s->n_res_cid++] = er;
		if (er->conf->circuit_id_len)
			s->res_by_circ[s->n_res_circ++] = er;
		if (er->conf->duid_len)
			s->res_by_duid[s->n_res_duid++] = er;
		if (er->conf->flex_id_len)
			s->res_by_flex[s->n_res_flex++] = er;
		/*
		 * A reserved address is never handed out dynamically
		 * (docs/design.md §1). -ENOENT: outside the pools, nothing
		 * to do. A reservation without one takes none.
		 */
		if (!er->conf->addr)
			continue;
		r = pool_exclude(s->pool, er->conf->addr);
		if (r && r != -ENOENT)
			return r;
	}
	qsort(s->res_by_hw, s->n_res_hw, sizeof(*s->res_by_hw), cmp_res_hw);
	qsort(s->res_by_cid, s->n_res_cid, sizeof(*s->res_by_cid), cmp_res_cid);
	qsort(s->res_by_circ, s->n_res_circ, sizeof(*s->res_by_circ),
	      cmp_res_circ);
	qsort(s->res_by_duid, s->n_res_duid, sizeof(*s->res_by_duid),
	      cmp_res_duid);
	qsort(s->res_by_flex, s->n_res_flex, sizeof(*s->res_by_flex),
	      cmp_res_flex);
	return 0;
}

static int build_subnet(struct engine *e, struct eng_subnet *s,
			const struct dx_subnet_conf *c)
{
	struct dx_pool_range *ranges;
	int r;

	s->conf = c;
	s->id = c->id;
	s->n_host_ids = config_host_ids(e->cfg, s->host_ids);
	s->flex_expr = e->cfg->flex_id_expr;
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
	if ((r = build_subnet_opts(s)) || (r = build_pool_opts(s)) ||
	    (r = client_name_compile(s)) || (r = build_reservations(s)))
		return r;
	/* Our own interface addresses are never leased (sd-dhcp-server). */
	for (size_t i = 0; i < e->cfg->n_interfaces; i++)
		if (e->cfg->interfaces[i].addr)
			pool_exclude(s->pool, e->cfg->interfaces[i].addr);
	return 0;
}

/* Chain each shared network's subnets in configuration order (the
 * order of cfg->subnets, engine_network.c). */
static void link_networks(struct engine *e)
{
	for (size_t i = 0; i < e->n_subnets; i++) {
		struct eng_subnet *s = &e->subnets[i];

		s->net_first = s;
		for (size_t j = i; s->conf->shared_id && j-- > 0;) {
			struct eng_subnet *p = &e->subnets[j];

			if (p->conf->shared_id != s->conf->shared_id)
				continue;
			s->net_first = p->net_first;
			p->net_next = s;
			break;
		}
	}
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
	link_networks(e);
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
	e->sv = cfg->dhcpxdp.starvation;
	e->classify = cfg->n_classes > 0;
	for (size_t i = 0; i < cfg->n_subnets && !e->classify; i++)
		e->classify =
			cfg->subnets[i].guard.n || cfg->subnets[i].pool_guards;
	e->short_hold = e->sv.pressure_offer_hold < e->offer_hold
				? e->sv.pressure_offer_hold
				: e->offer_hold;
	e->lt = lt_new();
	e->subnets = calloc(cfg->n_subnets + 1, sizeof(*e->subnets));
	if (!e->lt || !e->subnets)
		goto out;
	e->n_subnets = cfg->n_subnets;
	for (size_t i = 0; i < cfg->n_subnets; i++)
		if ((r = build_subnet(e, &e->subnets[i], &cfg->subnets[i])))
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
		for (size_t j = 0; s->opt_pools && j < s->n_opt_pools; j++)
			free(s->opt_pools[j].opts);
		free(s->opt_pools);
		for (size_t j = 0; s->res && j < s->n_res; j++) {
			free(s->res[j].opts);
			free(s->res[j].hostname);
		}
		client_name_free(s);
		free(s->res);
		free(s->res_by_hw);
		free(s->res_by_cid);
		free(s->res_by_circ);
		free(s->res_by_duid);
		free(s->res_by_flex);
		starve_free(s);
	}
	rcap_free(e);
	free(e->subnets);
	free(e->by_id);
	free(e->by_net);
	free(e->relays);
	lt_free(e->lt);
	free(e);
}
