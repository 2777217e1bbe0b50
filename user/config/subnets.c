// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Dhcp4.subnet4: each subnet's prefix, pools, relays, reservations,
 * interface, timers and options, checked on its own; what needs all the
 * subnets at once is checks.c.
 */
#include <ctype.h>

#include "config/config.h"
#include "config/config_internal.h"
#include "util/fmt.h"

static const struct key_rule subnet_rules[] = {
	{"id", K_HANDLED, NULL},
	{"subnet", K_HANDLED, NULL},
	{"pools", K_HANDLED, NULL},
	{"option-data", K_HANDLED, NULL},
	{"reservations", K_HANDLED, NULL},
	{"relay", K_HANDLED, NULL},
	{"interface", K_HANDLED, NULL},
	{"valid-lifetime", K_HANDLED, NULL},
	{"renew-timer", K_HANDLED, NULL},
	{"rebind-timer", K_HANDLED, NULL},
	{"match-client-id", K_HANDLED, NULL},	  /* kea_behaviour.c */
	{"authoritative", K_HANDLED, NULL},	  /* kea_behaviour.c */
	{"calculate-tee-times", K_HANDLED, NULL}, /* timers.c */
	{"adaptive-lease-time-threshold", K_HANDLED, NULL},
	{"t1-percent", K_HANDLED, NULL},
	{"t2-percent", K_HANDLED, NULL},
	{"min-valid-lifetime", K_HANDLED, NULL}, /* kea_behaviour.c */
	{"max-valid-lifetime", K_HANDLED, NULL}, /* kea_behaviour.c */
	{"offer-lifetime", K_IGNORED, NULL},
	{"store-extended-info", K_IGNORED, NULL},
	{"cache-*", K_IGNORED, NULL},
	/* client_names.c and ddns.c */
	{"hostname-char-set", K_HANDLED, NULL},
	{"hostname-char-replacement", K_HANDLED, NULL},
	{"ddns-replace-client-name", K_HANDLED, NULL},
	{"ddns-generated-prefix", K_HANDLED, NULL},
	{"ddns-qualifying-suffix", K_HANDLED, NULL},
	DDNS_KEY_RULES,
	{"reservation*", K_HANDLED, NULL}, /* reservations_flags() */
	/* Kea's "" is "not set"; a value is refused in parse_subnet. */
	{"4o6-interface", K_HANDLED, NULL},
	{"4o6-interface-id", K_HANDLED, NULL},
	{"4o6-subnet", K_HANDLED, NULL},
	{"allocator", K_IGNORED, NULL},
	/* classes.c */
	{"client-class", K_HANDLED, NULL},
	{"client-classes", K_HANDLED, NULL},
	{"require-client-classes", K_HANDLED, NULL},
	{"evaluate-additional-classes", K_HANDLED, NULL},
	{"next-server", K_HANDLED, NULL}, /* bootp.c */
	{"server-hostname", K_HANDLED, NULL},
	{"boot-file-name", K_HANDLED, NULL},
	{NULL, 0, NULL},
};

/* A pool's ddns-* keys are not applied: with DNS updates on, said, not
 * dropped in silence. */
static void pool_ddns_warn(struct config_ctx *c, struct json_object *o,
			   const char *path)
{
	char p[CONFIG_PATH_LEN];

	if (!c->cfg->ddns.enable_updates)
		return;
	json_object_object_foreach(o, key, v)
	{
		(void)v;
		if (!strncmp(key, "ddns-", 5))
			jpath_warn(c, jpath_join(p, path, key),
				   "not applied at the pool level: the "
				   "subnet's value is used");
	}
}

static const struct key_rule pool_rules[] = {
	{"pool", K_HANDLED, NULL},
	{"pool-id", K_IGNORED, NULL},
	/* Kea 2.7.6 added the client-name and ddns-* keys at the pool
	 * level; dhcpxdp takes them at the subnet level and above only:
	 * pool_ddns_warn() says so for each one given. */
	{"ddns-*", K_HANDLED, NULL},
	{"hostname-char-*", K_IGNORED, NULL},
	{"option-data", K_HANDLED, NULL}, /* pool_options() */
	{"client-class", K_HANDLED, NULL}, /* classes.c */
	{"client-classes", K_HANDLED, NULL},
	{"require-client-classes", K_HANDLED, NULL},
	{"evaluate-additional-classes", K_HANDLED, NULL},
	{NULL, 0, NULL},
};

static const struct key_rule relay_rules[] = {
	{"ip-addresses", K_HANDLED, NULL},
	{"ip-address", K_HANDLED, NULL},
	{NULL, 0, NULL},
};

/* "A.B.C.D/LEN" with no host bits set. */
static int parse_prefix(struct config_ctx *c, const char *path, const char *s,
			uint32_t *net, uint8_t *len)
{
	char buf[64], *slash, *end, a[FMT_IPV4_LEN];
	long l;

	if (strlen(s) >= sizeof(buf))
		goto bad;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (!slash)
		goto bad;
	*slash = '\0';
	if (parse_ipv4(buf, net))
		goto bad;
	l = strtol(slash + 1, &end, 10);
	if (end == slash + 1 || *end || l < 1 || l > 32)
		goto bad;
	*len = l;
	if (*net & ~config_prefix_mask(*len))
		return jpath_fail(
			c, path, "%s has host bits set (did you mean %s/%u?)",
			s, fmt_ipv4(a, *net & config_prefix_mask(*len)), *len);
	return 0;
bad:
	return jpath_fail(c, path,
			  "'%s' is not a prefix: expected A.B.C.D/LEN (1-32)",
			  s);
}

static int parse_pool(struct config_ctx *c, struct json_object *o,
		      const char *path, const struct dx_subnet_conf *s,
		      struct dx_pool_range *pr)
{
	char p[CONFIG_PATH_LEN], buf[64], *dash, a[FMT_IPV4_LEN],
		b[FMT_IPV4_LEN];
	const char *text;
	uint32_t net, mask;
	uint8_t len;
	int r;

	if (json_object_get_type(o) != json_type_object)
		return jpath_fail(c, path, "expected an object, got %s",
				  jpath_type_desc(o));
	if ((r = jpath_check_keys(c, o, path, pool_rules)) < 0)
		return r;
	pool_ddns_warn(c, o, path);
	r = jpath_str(c, o, path, "pool", &text);
	if (r < 0)
		return r;
	if (r == 0)
		return jpath_fail(c, path, "missing required key 'pool'");
	jpath_join(p, path, "pool");
	if (strlen(text) >= sizeof(buf))
		goto bad;
	strcpy(buf, text);
	dash = strchr(buf, '-');
	if (dash) {
		char *x = buf, *y = dash + 1, *e;
		*dash = '\0';
		while (isspace((unsigned char)*x))
			x++;
		while (isspace((unsigned char)*y))
			y++;
		for (e = dash; e > x && isspace((unsigned char)e[-1]);)
			*--e = '\0';
		for (e = y + strlen(y); e > y && isspace((unsigned char)e[-1]);)
			*--e = '\0';
		if (parse_ipv4(x, &pr->start) || parse_ipv4(y, &pr->end))
			goto bad;
	} else if (strchr(buf, '/')) {
		r = parse_prefix(c, p, buf, &net, &len);
		if (r)
			return r;
		pr->start = net;
		pr->end = net | ~config_prefix_mask(len);
	} else {
		goto bad;
	}
	if (pr->start > pr->end)
		return jpath_fail(c, p, "%s - %s: start after end",
				  fmt_ipv4(a, pr->start), fmt_ipv4(b, pr->end));
	mask = config_prefix_mask(s->prefix_len);
	if ((pr->start & mask) != s->network || (pr->end & mask) != s->network)
		return jpath_fail(c, p, "%s - %s: outside subnet %s/%u",
				  fmt_ipv4(a, pr->start), fmt_ipv4(b, pr->end),
				  fmt_ipv4(buf, s->network), s->prefix_len);
	return 0;
bad:
	return jpath_fail(c, p,
			  "'%s' is not a pool: expected 'FIRST - LAST' or "
			  "'PREFIX/LEN'",
			  text);
}

/*
 * The pool's option-data, and what it changes in the subnet's list (Kea:
 * a pool's options win over the subnet's for addresses from the pool).
 */
static int pool_options(struct config_ctx *c, struct json_object *o,
			const char *path, const struct dx_subnet_conf *s,
			struct dx_pool_options *pr)
{
	const struct dx_option_list *lv[4] = {
		&c->cfg->option_data, c->link_options, &s->option_data,
		&pr->option_data};
	char p[CONFIG_PATH_LEN];
	int r;

	if ((r = options_parse(c, o, path, &pr->option_data)) ||
	    pr->option_data.n == 0)
		return r;
	return options_compose(c, jpath_join(p, path, "option-data"), lv, 4,
			       true, &pr->options);
}

/* Pool i's client-class(es) and additional classes, in s->pool_guards
 * and s->pool_additional (each allocated for all n pools when the first
 * pool that has one comes). */
static int parse_pool_classes(struct config_ctx *c, struct json_object *o,
			      const char *path, struct dx_subnet_conf *s,
			      size_t i, size_t n)
{
	struct dx_class_guard g = {0};
	struct dx_class_list l = {0};
	int r = classes_guard_parse(c, o, path, &g);

	if (!r)
		r = classes_list_parse(c, o, path, "require-client-classes",
				       &l.idx, &l.n);
	if (!r)
		r = classes_list_parse(c, o, path,
				       "evaluate-additional-classes", &l.idx,
				       &l.n);
	if (!r && g.n && !s->pool_guards &&
	    !(s->pool_guards = calloc(n, sizeof(*s->pool_guards))))
		r = -ENOMEM;
	if (!r && l.n && !s->pool_additional &&
	    !(s->pool_additional = calloc(n, sizeof(*s->pool_additional))))
		r = -ENOMEM;
	if (!r && g.n)
		s->pool_guards[i] = g;
	else
		classes_guard_free(&g);
	if (!r && l.n)
		s->pool_additional[i] = l;
	else
		free(l.idx);
	return r;
}

static int parse_pools(struct config_ctx *c, struct json_object *so,
		       const char *spath, struct dx_subnet_conf *s)
{
	struct json_object *arr;
	char path[CONFIG_PATH_LEN], p[CONFIG_PATH_LEN], q[CONFIG_PATH_LEN];
	char a[FMT_IPV4_LEN], b[FMT_IPV4_LEN], oa[FMT_IPV4_LEN],
		ob[FMT_IPV4_LEN];
	size_t n;
	int r;

	r = jpath_get(c, so, spath, "pools", json_type_array, "a list", &arr);
	if (r <= 0)
		return r;
	jpath_join(path, spath, "pools");
	n = json_object_array_length(arr);
	s->pools = calloc(n ? n : 1, sizeof(*s->pools));
	s->pool_opts = calloc(n ? n : 1, sizeof(*s->pool_opts));
	if (!s->pools || !s->pool_opts)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct dx_pool_range *pr = &s->pools[i];

		jpath_idx(p, path, i);
		s->n_pools++;
		r = parse_pool(c, json_object_array_get_idx(arr, i), p, s, pr);
		if (!r)
			r = pool_options(c, json_object_array_get_idx(arr, i),
					 p, s, &s->pool_opts[i]);
		if (!r)
			r = parse_pool_classes(c, json_object_array_get_idx(arr, i),
					       p, s, i, n);
		if (r)
			return r;
		for (size_t j = 0; j < i; j++) {
			const struct dx_pool_range *o = &s->pools[j];
			if (pr->start <= o->end && o->start <= pr->end)
				return jpath_fail(
					c, jpath_join(q, p, "pool"),
					"%s - %s: overlaps pools[%zu] "
					"(%s - %s)",
					fmt_ipv4(a, pr->start),
					fmt_ipv4(b, pr->end), j,
					fmt_ipv4(oa, o->start),
					fmt_ipv4(ob, o->end));
		}
	}
	return 0;
}

int relay_parse(struct config_ctx *c, struct json_object *obj,
		const char *opath, uint32_t **addrs, size_t *n_out)
{
	struct json_object *ro, *arr = NULL, *one = NULL;
	char path[CONFIG_PATH_LEN], p[CONFIG_PATH_LEN], q[CONFIG_PATH_LEN];
	uint32_t *list;
	size_t n, used = 0;
	int r;

	*addrs = NULL;
	*n_out = 0;
	r = jpath_get(c, obj, opath, "relay", json_type_object, "an object",
		      &ro);
	if (r <= 0)
		return r;
	jpath_join(path, opath, "relay");
	if ((r = jpath_check_keys(c, ro, path, relay_rules)) < 0)
		return r;
	if ((r = jpath_get(c, ro, path, "ip-addresses", json_type_array,
			   "a list", &arr)) < 0 ||
	    (r = jpath_get(c, ro, path, "ip-address", json_type_string,
			   "a string", &one)) < 0)
		return r;
	n = (arr ? json_object_array_length(arr) : 0) + (one ? 1 : 0);
	list = calloc(n ? n : 1, sizeof(*list));
	if (!list)
		return -ENOMEM;
	*addrs = list;
	for (size_t i = 0; i < n; i++) {
		struct json_object *v;
		uint32_t a;

		/* Kea's older single "ip-address" form comes last. */
		if (arr && i < json_object_array_length(arr)) {
			v = json_object_array_get_idx(arr, i);
			jpath_idx(p, jpath_join(q, path, "ip-addresses"), i);
		} else {
			v = one;
			jpath_join(p, path, "ip-address");
		}
		if (json_object_get_type(v) != json_type_string)
			return jpath_fail(c, p, "expected a string, got %s",
					  jpath_type_desc(v));
		if (parse_ipv4(json_object_get_string(v), &a))
			return jpath_fail(c, p,
					  "'%s' is not a relay IPv4 address",
					  json_object_get_string(v));
		/* Kea's examples write "ip-address": "0.0.0.0" for "reached
		 * directly": no relay, as Kea reads it. */
		if (!a)
			continue;
		for (size_t j = 0; j < used; j++)
			if (list[j] == a)
				return jpath_fail(c, p, "%s is listed twice",
						  json_object_get_string(v));
		list[used++] = a;
		*n_out = used;
	}
	return 0;
}

/*
 * A subnet of a shared network is reached where the network is: the
 * network's interface (Kea refuses another one), and its relays unless
 * the subnet lists its own (Kea: the subnet's relay wins).
 */
static int inherit_link(struct config_ctx *c, const char *path,
			const struct subnet_parent *par,
			struct dx_subnet_conf *s)
{
	char p[CONFIG_PATH_LEN];

	if (par->interface && s->interface &&
	    strcmp(par->interface, s->interface))
		return jpath_fail(c, jpath_join(p, path, "interface"),
				  "'%s' differs from shared network '%s''s "
				  "interface '%s': a shared network is one "
				  "link",
				  s->interface, par->shared_name,
				  par->interface);
	if (par->interface && !s->interface &&
	    config_set_str(&s->interface, par->interface))
		return -ENOMEM;
	if (!s->n_relay && par->n_relay) {
		free(s->relay_addrs);
		s->relay_addrs = calloc(par->n_relay, sizeof(*s->relay_addrs));
		if (!s->relay_addrs)
			return -ENOMEM;
		memcpy(s->relay_addrs, par->relay_addrs,
		       par->n_relay * sizeof(*s->relay_addrs));
		s->n_relay = par->n_relay;
	}
	if (par->shared_name &&
	    config_set_str(&s->shared_network, par->shared_name))
		return -ENOMEM;
	s->shared_id = par->shared_id;
	return 0;
}

int subnet_parse(struct config_ctx *c, struct json_object *so, const char *path,
		 const struct subnet_parent *par, struct dx_subnet_conf *s)
{
	struct dx_config *cfg = c->cfg;
	const struct dx_option_list *lv[3];
	struct timers t = {0};
	static const char *const v4o6[] = {"4o6-interface", "4o6-interface-id",
					   "4o6-subnet"};
	const char *text, *ifname = NULL;
	struct json_object *o;
	char p[CONFIG_PATH_LEN];
	int r;

	if (json_object_get_type(so) != json_type_object)
		return jpath_fail(c, path, "expected an object, got %s",
				  jpath_type_desc(so));
	if ((r = jpath_check_keys(c, so, path, subnet_rules)) < 0)
		return r;
	if ((r = config_set_str(&s->path, path)))
		return r;
	/* Without an id, s->id stays 0 and number_subnets() gives one. */
	r = jpath_u32(c, so, path, "id", 1, UINT32_MAX - 1, &s->id);
	if (r < 0)
		return r;
	for (size_t i = 0; i < sizeof(v4o6) / sizeof(v4o6[0]); i++) {
		const char *v;

		r = jpath_get(c, so, path, v4o6[i], json_type_string,
			      "a string", &o);
		if (r < 0)
			return r;
		v = r ? json_object_get_string(o) : "";
		if (*v)
			return jpath_fail(c, jpath_join(p, path, v4o6[i]),
					  "'%s' is not supported by dhcpxdp: "
					  "DHCPv4-over-DHCPv6 (RFC 7341) is "
					  "not implemented",
					  v4o6[i]);
	}
	/* The level above's boot fields and reservation flags, the
	 * subnet's on top (most specific wins). */
	s->bootp = *par->bootp;
	s->names = *par->names;
	s->res_global = par->res_global;
	s->res_in_subnet = par->res_in_subnet;
	if ((r = reservations_flags(c, so, path, &s->res_global,
				    &s->res_in_subnet)) ||
	    (r = bootp_fields_parse(c, so, path, &s->bootp)) ||
	    (r = client_names_parse(c, so, path, &s->names)))
		return r;
	r = jpath_str(c, so, path, "subnet", &text);
	if (r < 0)
		return r;
	if (r == 0)
		return jpath_fail(c, path, "missing required key 'subnet'");
	if ((r = parse_prefix(c, jpath_join(p, path, "subnet"), text,
			      &s->network, &s->prefix_len)))
		return r;
	if ((r = timers_parse(c, so, path, &t)) ||
	    (r = timers_resolve(c, &t, par->timers, &s->valid_lifetime,
				&s->renew_timer, &s->rebind_timer)) ||
	    (r = kea_behaviour_subnet(c, so, path, par->kea, s)))
		return r;
	/* Global option-data first, then the shared network's, then the
	 * subnet's own on top (Kea); before the pools and reservations,
	 * which lay theirs over these. */
	c->link_options = par->options;
	lv[0] = &cfg->option_data;
	lv[1] = par->options;
	lv[2] = &s->option_data;
	/* Option 54: the subnet's, else the level above's (Kea). */
	s->server_id = par->server_id;
	if ((r = options_parse_level(c, so, path, &s->option_data,
				     &s->server_id)) ||
	    (r = options_compose(c, jpath_join(p, path, "option-data"), lv, 3,
				 false, &s->options)))
		return r;
	if ((r = parse_pools(c, so, path, s)) ||
	    (r = relay_parse(c, so, path, &s->relay_addrs, &s->n_relay)) ||
	    (r = reservations_parse(c, so, path, s)))
		return r;
	if ((r = jpath_str(c, so, path, "interface", &ifname)) < 0)
		return r;
	if (ifname) {
		/* As Kea: a subnet on an interface the server does not
		 * listen on is never served directly. */
		if (!cfg->interfaces_all &&
		    !config_lists_interface(cfg, ifname))
			jpath_warn(c, jpath_join(p, path, "interface"),
				   "'%s' is not listed in "
				   "interfaces-config.interfaces: the subnet "
				   "is not served directly",
				   ifname);
		if ((r = config_set_str(&s->interface, ifname)))
			return r;
	}
	if ((r = classes_guard_parse(c, so, path, &s->guard)) ||
	    (r = classes_list_parse(c, so, path, "require-client-classes",
				    &s->additional, &s->n_additional)) ||
	    (r = classes_list_parse(c, so, path, "evaluate-additional-classes",
				    &s->additional, &s->n_additional)) ||
	    (r = inherit_link(c, path, par, s)))
		return r;
	/* What the subnet and its shared network set themselves: class
	 * options give way to these, not to the global ones (Kea ARM,
	 * "Class Priority"). */
	return options_compose(c, jpath_join(p, path, "option-data"), lv + 1,
			       2, false, &s->own_options);
}
