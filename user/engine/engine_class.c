// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Client classes in the engine (Kea ARM, "Classification Steps"): the
 * classes of a request before subnet selection, the subnet and pool
 * restrictions, the classes decided once the reservation is known
 * (KNOWN/UNKNOWN, the reservation's own), the additional classes of the
 * address's pool and of the subnet once the address is chosen, and what
 * the matched classes add to the reply: their option-data,
 * ranked below the subnet's and the reservation's and above the global
 * ones, first class first, and their BOOTP fields.
 */
#include <errno.h>
#include <string.h>

#include "engine/engine_internal.h"

/* Evaluate class i (by its rule or its test) into c. */
static void class_eval(const struct dx_class_conf *k, size_t i,
		       const struct dhcp_msg *req, struct eng_cls *c)
{
	bool in;

	if (k->builtin)
		in = cls_ref_member(&k->builtin_ref, &c->set, req);
	else
		/* An evaluation error is no match, as in Kea. */
		in = k->test && cls_eval(k->test, req, &c->set) == 1;
	if (in)
		class_add(c, i);
}

void class_add(struct eng_cls *c, size_t i)
{
	if (cls_set_has(&c->set, i))
		return;
	cls_set_add(&c->set, i);
	c->order[c->n++] = (uint16_t)i;
}

void class_before_subnet(const struct engine *e, const struct dhcp_msg *req,
			 struct eng_cls *c)
{
	const struct dx_config *cfg = e->cfg;

	memset(&c->set, 0, sizeof(c->set));
	c->set.ha_scope = ha_scope_name(e, req);
	c->n = 0;
	for (size_t i = 0; i < cfg->n_classes; i++) {
		const struct dx_class_conf *k = &cfg->classes[i];

		if (!k->additional && !k->after_known)
			class_eval(k, i, req, c);
	}
}

static bool guard_ok(const struct dx_class_guard *g, const struct eng_cls *c,
		     const struct dhcp_msg *req)
{
	if (!g->n)
		return true;
	for (size_t i = 0; i < g->n; i++)
		if (cls_ref_member(&g->refs[i], &c->set, req))
			return true;
	return false;
}

bool class_subnet_ok(const struct eng_subnet *s, const struct eng_cls *c,
		     const struct dhcp_msg *req)
{
	return guard_ok(&s->conf->guard, c, req);
}

void class_after_subnet(const struct engine *e, const struct eng_subnet *s,
			const struct eng_res *rs, const struct dhcp_msg *req,
			struct eng_cls *c)
{
	const struct dx_config *cfg = e->cfg;

	c->set.known_decided = true;
	c->set.known = rs != NULL;
	/* Step 8: the reservation's classes, then what depends on KNOWN. */
	for (size_t i = 0; rs && i < rs->conf->n_classes; i++)
		class_add(c, rs->conf->classes[i]);
	for (size_t i = 0; i < cfg->n_classes; i++) {
		const struct dx_class_conf *k = &cfg->classes[i];

		if (!k->additional && k->after_known)
			class_eval(k, i, req, c);
	}
}

/* Additional classes, in the list's order; one without a test is
 * assigned as it is. */
static void eval_list(const struct engine *e, const uint16_t *idx, size_t n,
		      const struct dhcp_msg *req, struct eng_cls *c)
{
	for (size_t i = 0; i < n; i++) {
		const struct dx_class_conf *k = &e->cfg->classes[idx[i]];

		if (k->test || k->builtin)
			class_eval(k, idx[i], req, c);
		else
			class_add(c, idx[i]);
	}
}

/* The configured pool holding a, or -1. */
static int pool_index(const struct eng_subnet *s, uint32_t a)
{
	for (size_t i = 0; i < s->conf->n_pools; i++)
		if (a >= s->conf->pools[i].start && a <= s->conf->pools[i].end)
			return (int)i;
	return -1;
}

bool class_pool_ok(const struct engine *e, const struct eng_subnet *s,
		   const struct dhcp_msg *req, uint32_t a)
{
	int i;

	if (!s->conf->pool_guards || !e->cls)
		return true;
	i = pool_index(s, a);
	return i < 0 || guard_ok(&s->conf->pool_guards[i], e->cls, req);
}

int class_pool_alloc(const struct engine *e, struct eng_subnet *s,
		     const struct dhcp_msg *req, uint32_t *a)
{
	if (!s->conf->pool_guards || !e->cls)
		return pool_alloc(s->pool, a);
	/* Kea takes the pools in order, the ones the client may use. */
	for (size_t i = 0; i < s->conf->n_pools; i++)
		if (guard_ok(&s->conf->pool_guards[i], e->cls, req) &&
		    !pool_alloc_in(s->pool, s->conf->pools[i].start, a))
			return 0;
	return -ENOSPC;
}

/* Kea: a lifetime set at class scope overrides the subnet's; the
 * additional classes come after the lease is chosen, too late for it. */
uint32_t class_lifetime(const struct engine *e, const struct eng_cls *c)
{
	for (size_t i = 0; i < c->n; i++)
		if (e->cfg->classes[c->order[i]].valid_lifetime)
			return e->cfg->classes[c->order[i]].valid_lifetime;
	return 0;
}

/* The first matched class (in order) with option code, or NULL. */
static const struct dx_option *class_opt(const struct engine *e,
					 const struct eng_cls *c, uint8_t code)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct dx_option *o = dx_option_find(
			&e->cfg->classes[c->order[i]].options, code);

		if (o)
			return o;
	}
	return NULL;
}

static bool has_code(const struct dhcp_opt *l, size_t n, uint8_t code)
{
	for (size_t i = 0; i < n; i++)
		if (l[i].code == code)
			return true;
	return false;
}

/*
 * The reply's list (the subnet's, or the reservation's merge) with the
 * classes' options: a code the subnet or the reservation sets itself
 * (or the mask, which is the subnet's) stays; one only the global level
 * sets takes the first class's value; the classes' other codes follow.
 */
static void merge_opts(const struct engine *e, const struct eng_subnet *s,
		       const struct eng_res *rs, const struct eng_cls *c,
		       struct engine_result *res)
{
	const struct dhcp_opt *base = res->reply.opts;
	size_t nb = res->reply.n_opts, n = 0;
	struct dhcp_opt *out = res->class_opts;

	for (size_t i = 0; i < nb && n < ENGINE_CLASS_OPTS; i++) {
		const struct dx_option *o = NULL;
		uint8_t code = base[i].code;

		if (code != DHCP_OPT_SUBNET_MASK &&
		    !dx_option_find(&s->conf->own_options, code) &&
		    !(rs && dx_option_find(&rs->conf->options, code)))
			o = class_opt(e, c, code);
		if (o)
			out[n++] = (struct dhcp_opt){o->code, o->len, o->data};
		else
			out[n++] = base[i];
	}
	for (size_t i = 0; i < c->n; i++) {
		const struct dx_option_list *l =
			&e->cfg->classes[c->order[i]].options;

		for (size_t j = 0; j < l->n && n < ENGINE_CLASS_OPTS; j++)
			if (!has_code(out, n, l->opts[j].code))
				out[n++] = (struct dhcp_opt){l->opts[j].code,
							     l->opts[j].len,
							     l->opts[j].data};
	}
	res->reply.opts = out;
	res->reply.n_opts = n;
}

/* BOOTP fields: the first class that sets each one wins; at class scope
 * they override the subnet's, not the reservation's own (Kea ARM, "Class
 * Priority"). */
static void bootp_fields(const struct engine *e, const struct eng_res *rs,
			 const struct eng_cls *c, struct engine_result *res)
{
	const struct dx_bootp_conf *own = rs ? &rs->conf->bootp : NULL;
	bool ns = own && own->has_next_server, sn = own && own->has_sname,
	     bf = own && own->has_file;

	for (size_t i = 0; i < c->n; i++) {
		const struct dx_bootp_conf *k =
			&e->cfg->classes[c->order[i]].bootp;

		if (!ns && k->has_next_server) {
			res->reply.siaddr = k->next_server;
			ns = true;
		}
		if (!sn && k->has_sname) {
			res->reply.sname = k->server_hostname;
			sn = true;
		}
		if (!bf && k->has_file) {
			res->reply.file = k->boot_file_name;
			bf = true;
		}
	}
}

void class_reply(const struct engine *e, const struct eng_subnet *s,
		 const struct eng_res *rs, const struct dhcp_msg *req,
		 struct eng_cls *c, struct engine_result *res)
{
	int p;

	if (res->action != ENGINE_REPLY || res->reply.msg_type == DHCPNAK)
		return;
	/* Step 12, once the address is chosen: the additional classes of
	 * its pool, then the subnet's. */
	p = s->conf->pool_additional ? pool_index(s, res->reply.yiaddr) : -1;
	if (p >= 0)
		eval_list(e, s->conf->pool_additional[p].idx,
			  s->conf->pool_additional[p].n, req, c);
	eval_list(e, s->conf->additional, s->conf->n_additional, req, c);
	if (!c->n)
		return;
	/* The reservation's level counts only when its list was used. */
	if (rs && res->reply.opts != rs->opts)
		rs = NULL;
	merge_opts(e, s, rs, c, res);
	bootp_fields(e, rs, c, res);
}
