// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Dhcp4.client-classes (Kea ARM, "Client Classification"): each class's
 * test parsed once (classify/), its option-data encoded as anywhere
 * else, its BOOTP fields; and the class names subnets, pools and
 * reservations refer to. A test may name only classes defined before it
 * (Kea refuses forward references) or built-in ones.
 */
#include "config/config.h"
#include "config/config_internal.h"
#include "util/fmt.h"

static const struct key_rule class_rules[] = {
	{"name", K_HANDLED, NULL},
	{"test", K_HANDLED, NULL},
	{"option-data", K_HANDLED, NULL},
	{"only-if-required", K_HANDLED, NULL},
	{"only-in-additional-list", K_HANDLED, NULL},
	{"next-server", K_HANDLED, NULL},
	{"server-hostname", K_HANDLED, NULL},
	{"boot-file-name", K_HANDLED, NULL},
	{"option-def", K_HANDLED, NULL}, /* option_defs_class_push() */
	{"template-test", K_UNSUPPORTED,
	 "template classes (SPAWN_) are not implemented"},
	{"valid-lifetime", K_HANDLED, NULL},
	{"min-valid-lifetime", K_UNSUPPORTED,
	 "class lease lifetimes are not implemented; set them on the subnet"},
	{"max-valid-lifetime", K_UNSUPPORTED,
	 "class lease lifetimes are not implemented; set them on the subnet"},
	{"offer-lifetime", K_UNSUPPORTED,
	 "class offer lifetimes are not implemented"},
	{NULL, 0, NULL},
};

/* The names of the first n classes, for member() and references. */
static const char **class_names(const struct dx_config *cfg, size_t n)
{
	const char **names = calloc(n ? n : 1, sizeof(*names));

	for (size_t i = 0; names && i < n; i++)
		names[i] = cfg->classes[i].name;
	return names;
}

static int parse_test(struct config_ctx *c, struct json_object *o,
		      const char *path, size_t idx, struct dx_class_conf *k)
{
	const char *text, **names, *ha;
	char p[CONFIG_PATH_LEN], err[CLS_ERR_MAX];
	struct json_object *t;
	int r;

	if ((r = jpath_get(c, o, path, "test", json_type_string, "a string",
			   &t)) <= 0)
		return r;
	text = json_object_get_string(t);
	if (k->builtin)
		return jpath_fail(c, jpath_join(p, path, "test"),
				  "'%s' is a built-in class: membership is "
				  "Kea's rule, it takes no test",
				  k->name);
	names = class_names(c->cfg, idx);
	if (!names)
		return -ENOMEM;
	r = cls_parse(text, names, idx, &k->test, err, sizeof(err));
	free(names);
	if (r == -EINVAL)
		return jpath_fail(c, jpath_join(p, path, "test"), "'%s': %s",
				  text, err);
	if (r)
		return r;
	if (cls_prog_uses_never(k->test))
		jpath_warn(c, jpath_join(p, path, "test"),
			   "'%s' names a class only Kea's hooks assign "
			   "(EXTERNAL_, ...): here no client belongs to it",
			   text);
	if ((ha = cls_prog_unknown_ha(k->test, ha_scope_known, c->cfg)))
		jpath_warn(c, jpath_join(p, path, "test"),
			   "'%s': HA_%s names no server of a high-"
			   "availability pair (libdhcp_ha.so): no client "
			   "belongs to it",
			   text, ha);
	/* Kea defers a class that depends on KNOWN, even through another
	 * class, until the reservation look-up. */
	k->after_known = cls_prog_uses_known(k->test);
	for (size_t i = 0; i < idx && !k->after_known; i++)
		k->after_known = c->cfg->classes[i].after_known &&
				 cls_prog_uses_class(k->test, i);
	return 0;
}

static int parse_class(struct config_ctx *c, struct json_object *o,
		       const char *path, size_t idx)
{
	struct dx_class_conf *k = &c->cfg->classes[idx];
	const struct dx_option_list *lv[1] = {&k->option_data};
	struct option_defs_saved saved;
	const char *name = NULL;
	bool req = false, add = false;
	char p[CONFIG_PATH_LEN];
	struct cls_ref ref;
	int r;

	if (json_object_get_type(o) != json_type_object)
		return jpath_fail(c, path, "expected an object, got %s",
				  jpath_type_desc(o));
	if ((r = jpath_check_keys(c, o, path, class_rules)) < 0 ||
	    (r = jpath_str(c, o, path, "name", &name)) < 0)
		return r;
	if (!name)
		return jpath_fail(c, path, "a client class needs a \"name\"");
	for (size_t i = 0; i < idx; i++)
		if (!strcmp(c->cfg->classes[i].name, name))
			return jpath_fail(c, jpath_join(p, path, "name"),
					  "'%s' is already defined by "
					  "client-classes[%zu]",
					  name, i);
	if ((r = config_set_str(&k->name, name)))
		return r;
	c->cfg->n_classes = idx + 1;
	/* Kea lets a built-in class be defined, to give its members
	 * options: membership stays Kea's rule (ref points into k->name). */
	if (!cls_ref_resolve(k->name, NULL, 0, &ref) &&
	    ref.kind != CLS_REF_NEVER) {
		k->builtin = true;
		k->builtin_ref = ref;
		k->after_known = ref.kind == CLS_REF_KNOWN ||
				 ref.kind == CLS_REF_UNKNOWN;
	}
	if ((r = jpath_bool(c, o, path, "only-if-required", &req)) < 0 ||
	    (r = jpath_bool(c, o, path, "only-in-additional-list", &add)) < 0)
		return r;
	k->additional = req || add;
	if ((r = parse_test(c, o, path, idx, k)))
		return r;
	/* The class's definition of 43, if any, reads its option-data. */
	r = option_defs_class_push(c, o, path, &saved);
	if (!r)
		r = options_parse(c, o, path, &k->option_data);
	if (!r)
		r = options_compose(c, jpath_join(p, path, "option-data"), lv,
				    1, false, &k->options);
	option_defs_class_pop(c, &saved);
	if (r || (r = bootp_fields_parse_extras(c, o, path, &k->bootp)))
		return r;
	/* As the subnet's (timers.c): 3 s at least, never infinite. */
	if ((r = jpath_u32(c, o, path, "valid-lifetime", 3, 0xfffffffe,
			   &k->valid_lifetime)) < 0)
		return r;
	return 0;
}

int classes_parse(struct config_ctx *c)
{
	struct json_object *arr;
	const char *path = "Dhcp4.client-classes";
	char p[CONFIG_PATH_LEN];
	size_t n;
	int r;

	r = jpath_get(c, c->dhcp4, "Dhcp4", "client-classes", json_type_array,
		      "a list", &arr);
	if (r <= 0)
		return r;
	n = json_object_array_length(arr);
	if (n > CLS_MAX_CLASSES)
		return jpath_fail(c, path, "%zu classes: at most %d", n,
				  CLS_MAX_CLASSES);
	c->cfg->classes = calloc(n ? n : 1, sizeof(*c->cfg->classes));
	if (!c->cfg->classes)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		r = parse_class(c, json_object_array_get_idx(arr, i),
				jpath_idx(p, path, i), i);
		if (r)
			return r;
	}
	return 0;
}

/* Append name to g, resolved; an unknown name warns, as nothing could
 * ever belong to it (Kea's hooks could; dhcpxdp has none). */
static int guard_add(struct config_ctx *c, const char *path, const char *name,
		     struct dx_class_guard *g)
{
	const char **names;
	char **nn;
	struct cls_ref *nr;
	char *copy;
	int r;

	nn = realloc(g->names, (g->n + 1) * sizeof(*nn));
	if (!nn)
		return -ENOMEM;
	g->names = nn;
	nr = realloc(g->refs, (g->n + 1) * sizeof(*nr));
	if (!nr)
		return -ENOMEM;
	g->refs = nr;
	copy = strdup(name);
	if (!copy)
		return -ENOMEM;
	names = class_names(c->cfg, c->cfg->n_classes);
	if (!names) {
		free(copy);
		return -ENOMEM;
	}
	r = cls_ref_resolve(copy, names, c->cfg->n_classes, &g->refs[g->n]);
	free(names);
	if (r) {
		jpath_warn(c, path,
			   "'%s' is not a class of client-classes nor a "
			   "built-in class: no client can use this",
			   name);
		g->refs[g->n].kind = CLS_REF_NEVER;
	} else if (g->refs[g->n].kind == CLS_REF_HA &&
		   !ha_scope_known(c->cfg, g->refs[g->n].vendor)) {
		jpath_warn(c, path,
			   "'%s' names no server of a high-availability "
			   "pair (libdhcp_ha.so): no client can use this",
			   name);
		g->refs[g->n].kind = CLS_REF_NEVER;
	}
	g->names[g->n++] = copy;
	return 0;
}

int classes_guard_parse(struct config_ctx *c, struct json_object *obj,
			const char *path, struct dx_class_guard *g)
{
	struct json_object *one, *arr;
	char p[CONFIG_PATH_LEN], q[CONFIG_PATH_LEN];
	int r;

	r = jpath_get(c, obj, path, "client-class", json_type_string,
		      "a string", &one);
	if (r < 0)
		return r;
	/* Kea's "" is "no class" (what its config-get writes). */
	if (r > 0 && *json_object_get_string(one) &&
	    (r = guard_add(c, jpath_join(p, path, "client-class"),
			   json_object_get_string(one), g)))
		return r;
	r = jpath_get(c, obj, path, "client-classes", json_type_array, "a list",
		      &arr);
	if (r <= 0)
		return r;
	jpath_join(p, path, "client-classes");
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		struct json_object *v = json_object_array_get_idx(arr, i);

		jpath_idx(q, p, i);
		if (json_object_get_type(v) != json_type_string)
			return jpath_fail(c, q, "expected a string, got %s",
					  jpath_type_desc(v));
		if ((r = guard_add(c, q, json_object_get_string(v), g)))
			return r;
	}
	return 0;
}

/* One list of class names (key of obj) appended to *idx as indexes of
 * configured classes. */
static int list_parse(struct config_ctx *c, struct json_object *obj,
		      const char *path, const char *key, uint16_t **idx,
		      size_t *n)
{
	struct json_object *arr;
	char p[CONFIG_PATH_LEN], q[CONFIG_PATH_LEN];
	int r;

	r = jpath_get(c, obj, path, key, json_type_array, "a list", &arr);
	if (r <= 0)
		return r;
	jpath_join(p, path, key);
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		struct json_object *v = json_object_array_get_idx(arr, i);
		const char *name = json_object_get_string(v);
		uint16_t *ni;
		size_t k;

		jpath_idx(q, p, i);
		if (json_object_get_type(v) != json_type_string)
			return jpath_fail(c, q, "expected a string, got %s",
					  jpath_type_desc(v));
		for (k = 0; k < c->cfg->n_classes; k++)
			if (!strcmp(c->cfg->classes[k].name, name))
				break;
		if (k == c->cfg->n_classes)
			return jpath_fail(c, q,
					  "'%s' is not a class of "
					  "client-classes",
					  name);
		ni = realloc(*idx, (*n + 1) * sizeof(*ni));
		if (!ni)
			return -ENOMEM;
		*idx = ni;
		ni[(*n)++] = (uint16_t)k;
	}
	return 0;
}

int classes_list_parse(struct config_ctx *c, struct json_object *obj,
		       const char *path, const char *key, uint16_t **idx,
		       size_t *n)
{
	return list_parse(c, obj, path, key, idx, n);
}

void classes_guard_free(struct dx_class_guard *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->names[i]);
	free(g->names);
	free(g->refs);
	memset(g, 0, sizeof(*g));
}

void classes_free(struct dx_config *cfg)
{
	for (size_t i = 0; i < cfg->n_classes; i++) {
		struct dx_class_conf *k = &cfg->classes[i];

		free(k->name);
		cls_prog_free(k->test);
		options_free(&k->options);
		options_free(&k->option_data);
	}
	free(cfg->classes);
	cfg->classes = NULL;
	cfg->n_classes = 0;
}

/* Could members of class k get something in a reply: options, BOOTP
 * fields, a lease time? */
static bool class_gives(const struct dx_class_conf *k)
{
	return k->options.n || k->bootp.has_next_server ||
	       k->bootp.has_sname || k->bootp.has_file || k->valid_lifetime;
}

/*
 * docs/design.md §2: XDP does not classify. A subnet kept for a class,
 * or one whose replies a class could change - a class every request is
 * tested for, one of its or its pools' additional classes, one a
 * reservation assigns -
 * is left to the daemon. A pool kept for a class only decides which new
 * address a client gets, never a renewal's reply: that keeps XDP on.
 */
bool config_classes_punt(const struct dx_config *cfg,
			 const struct dx_subnet_conf *s)
{
	if (!cfg || !s)
		return false;
	if (s->guard.n)
		return true;
	/* On a shared network the engine skips a subnet kept for a class
	 * when it picks the link's subnet; XDP does not: none of the
	 * link's subnets is answered there. */
	for (size_t i = 0; s->shared_id && i < cfg->n_subnets; i++)
		if (cfg->subnets[i].shared_id == s->shared_id &&
		    cfg->subnets[i].guard.n)
			return true;
	for (size_t i = 0; i < cfg->n_classes; i++)
		if (!cfg->classes[i].additional &&
		    class_gives(&cfg->classes[i]))
			return true;
	for (size_t i = 0; i < s->n_additional; i++)
		if (class_gives(&cfg->classes[s->additional[i]]))
			return true;
	for (size_t i = 0; s->pool_additional && i < s->n_pools; i++)
		for (size_t j = 0; j < s->pool_additional[i].n; j++)
			if (class_gives(&cfg->classes[s->pool_additional[i]
							      .idx[j]]))
				return true;
	for (size_t i = 0; i < s->n_reservations; i++)
		for (size_t j = 0; j < s->reservations[i].n_classes; j++)
			if (class_gives(&cfg->classes[s->reservations[i]
							      .classes[j]]))
				return true;
	return false;
}
