// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * From option-data entries of every space, as each level configures them
 * (global, subnet, pool, reservation), to the top-level options a reply
 * carries: an option that encapsulates a space (43 and its
 * vendor-encapsulated-options-space, a custom "encapsulate") gets that
 * space's entries appended as sub-options (RFC 2132 §8.4), and the 125
 * entries become one option with a block per enterprise holding its
 * vendor-N space (RFC 3925 §4). Done once at load, so the engine and XDP
 * copy bytes. Kea takes each option and sub-option from the most specific
 * level that sets it; so does this.
 */
#include "config/config.h"
#include "config/config_internal.h"
#include "dhcpxdp/dhcp_wire.h"
#include "wire/vendor_opts.h"

/* Sub-options inside sub-options: as deep as any real use goes. */
#define NEST_MAX 3

/* The entries in effect: one per key, from the most specific level. */
struct eff {
	const struct dx_option **e;
	bool *own; /* set at the last level (the one composed) */
	size_t n;
};

static bool same_key(const struct dx_option *a, const struct dx_option *b)
{
	return a->space == b->space && a->code == b->code &&
	       a->vivso == b->vivso && a->enterprise == b->enterprise;
}

static int eff_build(const struct dx_option_list *const *lv, size_t n_lv,
		     struct eff *f)
{
	size_t total = 0;

	for (size_t i = 0; i < n_lv; i++)
		total += lv[i] ? lv[i]->n : 0;
	f->e = calloc(total + 1, sizeof(*f->e));
	f->own = calloc(total + 1, sizeof(*f->own));
	f->n = 0;
	if (!f->e || !f->own)
		return -ENOMEM;
	for (size_t i = 0; i < n_lv; i++) {
		for (size_t j = 0; lv[i] && j < lv[i]->n; j++) {
			const struct dx_option *o = &lv[i]->opts[j];
			size_t k;

			for (k = 0; k < f->n && !same_key(f->e[k], o); k++)
				;
			f->e[k] = o;
			f->own[k] = i + 1 == n_lv;
			if (k == f->n)
				f->n++;
		}
	}
	return 0;
}

static uint16_t encap_of(const struct dx_config *cfg, const struct dx_option *o)
{
	uint16_t encap = 0;

	option_defs_find(cfg, o->space, NULL, o->code, &encap);
	return encap;
}

/* Does the last level set something inside @space (at any depth)? */
static bool touched(const struct dx_config *cfg, const struct eff *f,
		    uint16_t space, int depth)
{
	if (!space || depth > NEST_MAX)
		return false;
	for (size_t i = 0; i < f->n; i++) {
		if (f->e[i]->space != space)
			continue;
		if (f->own[i] ||
		    touched(cfg, f, encap_of(cfg, f->e[i]), depth + 1))
			return true;
	}
	return false;
}

static int too_long(struct config_ctx *c, const char *path, uint8_t code)
{
	return jpath_fail(c, path,
			  "option %u with its sub-options is over 255 bytes; "
			  "a DHCPv4 option holds at most 255 (RFC 3396 "
			  "concatenation is not generated)",
			  code);
}

/* @o's own data, then the entries of the space it encapsulates. */
static int payload(struct config_ctx *c, const char *path, const struct eff *f,
		   const struct dx_option *o, int depth, uint8_t *buf,
		   size_t *used)
{
	uint16_t encap = encap_of(c->cfg, o);
	uint8_t sub[OPTION_MAX_LEN];
	int r;

	memcpy(buf, o->data, o->len);
	*used = o->len;
	if (!encap || depth > NEST_MAX)
		return 0;
	for (size_t i = 0; i < f->n; i++) {
		size_t n = 0;

		if (f->e[i]->space != encap)
			continue;
		if ((r = payload(c, path, f, f->e[i], depth + 1, sub, &n)))
			return r;
		r = vendor_opts_put_sub(buf, OPTION_MAX_LEN, used,
					f->e[i]->code, sub, n);
		if (r)
			return too_long(c, path, o->code);
	}
	return 0;
}

/* The one 125 of the effective entries: a block per enterprise. */
static int vivso(struct config_ctx *c, const char *path, const struct eff *f,
		 struct dx_option *out)
{
	uint8_t subs[OPTION_MAX_LEN], one[OPTION_MAX_LEN];
	char name[32];
	size_t used = 0;
	int r;

	out->code = DHCP_OPT_VIVSO;
	for (size_t i = 0; i < f->n; i++) {
		const struct dx_option *v = f->e[i];
		uint16_t space;
		size_t n = 0;

		if (!v->vivso)
			continue;
		out->always_send |= v->always_send;
		snprintf(name, sizeof(name), "vendor-%u", v->enterprise);
		for (size_t j = 0;
		     !option_space_id(c->cfg, name, false, &space) && j < f->n;
		     j++) {
			size_t m = 0;

			if (f->e[j]->space != space)
				continue;
			if ((r = payload(c, path, f, f->e[j], 1, one, &m)))
				return r;
			if (vendor_opts_put_sub(subs, sizeof(subs), &n,
						f->e[j]->code, one, m))
				return too_long(c, path, DHCP_OPT_VIVSO);
		}
		if (vendor_opts_put_vivso(out->data, OPTION_MAX_LEN, &used,
					  v->enterprise, subs, n))
			return too_long(c, path, DHCP_OPT_VIVSO);
	}
	out->len = (uint8_t)used;
	return 0;
}

/* Is @o, a top-level entry, part of what the last level changes? */
static bool changed(const struct dx_config *cfg, const struct eff *f, size_t i)
{
	uint32_t ent;
	uint16_t sp;

	if (f->own[i])
		return true;
	if (f->e[i]->vivso) {
		for (size_t j = 0; j < f->n; j++) {
			if (!f->e[j]->vivso)
				continue;
			if (f->own[j])
				return true;
			ent = f->e[j]->enterprise;
			for (sp = 0; sp < cfg->n_option_spaces; sp++) {
				uint32_t e2;

				if (!option_space_vendor(cfg, sp, &e2) &&
				    e2 == ent && touched(cfg, f, sp, 1))
					return true;
			}
		}
		return false;
	}
	return touched(cfg, f, encap_of(cfg, f->e[i]), 1);
}

int options_compose(struct config_ctx *c, const char *path,
		    const struct dx_option_list *const *levels, size_t n_levels,
		    bool delta, struct dx_option_list *out)
{
	struct eff f = {0};
	bool any_vivso = false, vivso_done = false;
	int r;

	if ((r = eff_build(levels, n_levels, &f)))
		goto out;
	for (size_t i = 0; i < f.n; i++)
		any_vivso |= f.e[i]->vivso;
	for (size_t i = 0; i < f.n; i++) {
		const struct dx_option *o = f.e[i];
		struct dx_option opt = {0};
		size_t used = 0;

		if (o->space != DX_SPACE_DHCP4)
			continue;
		/* A 125 in hex is sent as given, unless enterprises are. */
		if (o->code == DHCP_OPT_VIVSO &&
		    (o->vivso ? vivso_done : any_vivso))
			continue;
		if (delta && !changed(c->cfg, &f, i))
			continue;
		opt.code = o->code;
		opt.always_send = o->always_send;
		if (o->vivso) {
			vivso_done = true;
			r = vivso(c, path, &f, &opt);
		} else {
			r = payload(c, path, &f, o, 1, opt.data, &used);
			opt.len = (uint8_t)used;
		}
		if (r || (r = options_add(out, &opt)))
			goto out;
	}
out:
	free(f.e);
	free(f.own);
	return r;
}
