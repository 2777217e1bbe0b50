// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The levels subnets are configured at: Dhcp4.subnet4, then
 * Dhcp4.shared-networks, several subnets on one link (Kea's shared
 * networks, dhcp4-srv.rst "Shared Networks in DHCPv4"); and the ids of
 * subnets that have none. A network names
 * its link (interface or relays) and the parameters its subnets inherit
 * where they do not set their own: timers, Kea's switches and
 * option-data, between the subnet and the global level. The subnets go
 * into cfg->subnets like any other, in configuration order, each
 * knowing its network; the engine hands a new client an address from the
 * first of them with room (docs/protocol.md, "Shared networks").
 */
#include "config/config.h"
#include "config/config_internal.h"

static const struct key_rule shared_rules[] = {
	{"name", K_HANDLED, NULL},
	{"subnet4", K_HANDLED, NULL},
	{"interface", K_HANDLED, NULL},
	{"relay", K_HANDLED, NULL},
	{"option-data", K_HANDLED, NULL},
	{"valid-lifetime", K_HANDLED, NULL},
	{"renew-timer", K_HANDLED, NULL},
	{"rebind-timer", K_HANDLED, NULL},
	{"calculate-tee-times", K_HANDLED, NULL},
	{"t1-percent", K_HANDLED, NULL},
	{"t2-percent", K_HANDLED, NULL},
	{"adaptive-lease-time-threshold", K_HANDLED, NULL},
	{"min-valid-lifetime", K_HANDLED, NULL},
	{"max-valid-lifetime", K_HANDLED, NULL},
	{"authoritative", K_HANDLED, NULL},
	{"match-client-id", K_HANDLED, NULL},
	{"reservation*", K_HANDLED, NULL}, /* reservations_flags() */
	{"next-server", K_HANDLED, NULL},  /* bootp.c */
	{"server-hostname", K_HANDLED, NULL},
	{"boot-file-name", K_HANDLED, NULL},
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
	{"allocator", K_IGNORED, NULL},
	{"client-class", K_UNSUPPORTED,
	 "client classes on a shared network are not implemented; set "
	 "client-class on its subnets"},
	{"client-classes", K_UNSUPPORTED,
	 "client classes on a shared network are not implemented; set "
	 "client-classes on its subnets"},
	{"require-client-classes", K_UNSUPPORTED,
	 "client classes on a shared network are not implemented; list "
	 "them in its subnets' evaluate-additional-classes"},
	{"evaluate-additional-classes", K_UNSUPPORTED,
	 "client classes on a shared network are not implemented; list "
	 "them in its subnets' evaluate-additional-classes"},
	{NULL, 0, NULL},
};

static int networks_list(struct config_ctx *c, struct json_object **arr)
{
	int r = jpath_get(c, c->dhcp4, "Dhcp4", "shared-networks",
			  json_type_array, "a list", arr);

	if (r == 0)
		*arr = NULL;
	return r < 0 ? r : 0;
}

static int shared_networks_count(struct config_ctx *c, size_t *n)
{
	struct json_object *arr, *net, *subs;
	char p[CONFIG_PATH_LEN];
	int r;

	*n = 0;
	if ((r = networks_list(c, &arr)) || !arr)
		return r;
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		net = json_object_array_get_idx(arr, i);
		jpath_idx(p, "Dhcp4.shared-networks", i);
		if (json_object_get_type(net) != json_type_object)
			return jpath_fail(c, p, "expected an object, got %s",
					  jpath_type_desc(net));
		r = jpath_get(c, net, p, "subnet4", json_type_array, "a list",
			      &subs);
		if (r < 0)
			return r;
		*n += r ? json_object_array_length(subs) : 0;
	}
	return 0;
}

/* Name unique among the networks before index i (Kea requires it). */
static int parse_name(struct config_ctx *c, struct json_object *arr, size_t i,
		      const char *path, const char **name)
{
	char p[CONFIG_PATH_LEN], q[CONFIG_PATH_LEN];
	int r = jpath_str(c, json_object_array_get_idx(arr, i), path, "name",
			  name);

	if (r < 0)
		return r;
	if (r == 0)
		return jpath_fail(c, path, "missing required key 'name'");
	for (size_t j = 0; j < i; j++) {
		struct json_object *v;

		if (json_object_object_get_ex(json_object_array_get_idx(arr, j),
					      "name", &v) &&
		    json_object_get_type(v) == json_type_string &&
		    !strcmp(json_object_get_string(v), *name))
			return jpath_fail(
				c, jpath_join(p, path, "name"),
				"'%s' is already the name of "
				"%s",
				*name,
				jpath_idx(q, "Dhcp4.shared-networks", j));
	}
	return 0;
}

/* One network: its own level over Dhcp4's, then its subnets. */
static int parse_network(struct config_ctx *c, struct json_object *arr,
			 size_t i, const struct timers *global)
{
	struct dx_config *cfg = c->cfg;
	struct json_object *net = json_object_array_get_idx(arr, i), *subs;
	struct dx_kea_conf kea = cfg->kea;
	struct dx_bootp_conf bootp = cfg->bootp;
	struct dx_client_name_conf names = cfg->names;
	struct dx_option_list own = {0};
	struct subnet_parent par = {.kea = &kea,
				    .options = &own,
				    .server_id = cfg->server_id,
				    .bootp = &bootp,
				    .names = &names,
				    .res_global = cfg->res_global,
				    .res_in_subnet = cfg->res_in_subnet};
	struct timers t = {0};
	char path[CONFIG_PATH_LEN], p[CONFIG_PATH_LEN], q[CONFIG_PATH_LEN];
	uint32_t *relays = NULL;
	const char *name;
	size_t n_relay = 0, n;
	int r;

	jpath_idx(path, "Dhcp4.shared-networks", i);
	if ((r = jpath_check_keys(c, net, path, shared_rules)) < 0 ||
	    (r = parse_name(c, arr, i, path, &name)) ||
	    (r = reservations_flags(c, net, path, &par.res_global,
				    &par.res_in_subnet)) ||
	    (r = bootp_fields_parse(c, net, path, &bootp)) ||
	    (r = client_names_parse(c, net, path, &names)) ||
	    (r = timers_parse(c, net, path, &t)) ||
	    (r = kea_behaviour_shared(c, net, path, &kea)))
		return r;
	timers_inherit(&t, global);
	r = jpath_str(c, net, path, "interface", &par.interface);
	if (r < 0)
		return r;
	if (par.interface && !cfg->interfaces_all &&
	    !config_lists_interface(cfg, par.interface))
		jpath_warn(c, jpath_join(p, path, "interface"),
			   "'%s' is not listed in interfaces-config.interfaces: "
			   "the network is not served directly",
			   par.interface);
	r = relay_parse(c, net, path, &relays, &n_relay);
	/* Kept as configured: each subnet composes it between Dhcp4's and
	 * its own (option_compose.c). */
	if (!r)
		r = options_parse_level(c, net, path, &own, &par.server_id);
	if (!r)
		r = jpath_get(c, net, path, "subnet4", json_type_array,
			      "a list", &subs);
	if (r < 0)
		goto out;
	n = r ? json_object_array_length(subs) : 0;
	if (n == 0)
		jpath_warn(c, path,
			   "shared network '%s' has no subnets: it serves "
			   "nothing",
			   name);
	par.timers = &t;
	par.relay_addrs = relays;
	par.n_relay = n_relay;
	par.shared_name = name;
	par.shared_id = i + 1;
	r = 0;
	for (size_t k = 0; k < n; k++) {
		jpath_idx(q, jpath_join(p, path, "subnet4"), k);
		r = subnet_parse(c, json_object_array_get_idx(subs, k), q, &par,
				 &cfg->subnets[cfg->n_subnets++]);
		if (r)
			break;
	}
out:
	c->link_options = NULL;
	free(relays);
	options_free(&own);
	return r;
}

static int shared_networks_parse(struct config_ctx *c,
				 const struct timers *global)
{
	struct json_object *arr;
	int r;

	if ((r = networks_list(c, &arr)) || !arr)
		return r;
	for (size_t i = 0; i < json_object_array_length(arr); i++)
		if ((r = parse_network(c, arr, i, global)))
			return r;
	return 0;
}

static bool id_used(const struct dx_config *cfg, uint32_t id)
{
	for (size_t i = 0; i < cfg->n_subnets; i++)
		if (cfg->subnets[i].id == id)
			return true;
	return false;
}

/*
 * Kea's ARM (dhcp4-srv.rst, host reservations in shared networks): a
 * subnet without "id" is given one, "increasing integer values starting
 * from 1", so not stable across configuration changes (Kea 3.0 requires
 * the id). Here: 1, 2, ... in file order, skipping ids given explicitly
 * so that no subnet is refused for a number it was never given.
 */
static int number_subnets(struct config_ctx *c)
{
	struct dx_config *cfg = c->cfg;
	uint32_t next = 1;

	for (size_t i = 0; i < cfg->n_subnets; i++) {
		struct dx_subnet_conf *s = &cfg->subnets[i];

		if (s->id)
			continue;
		while (id_used(cfg, next))
			next++;
		s->id = next++;
		jpath_warn(c, s->path,
			   "no \"id\": numbered %u as Kea does (1, 2, ... in "
			   "order); set \"id\": %u so leases stay with this "
			   "subnet when subnets are added or removed",
			   s->id, s->id);
	}
	return 0;
}

int subnets_parse(struct config_ctx *c, const struct timers *global)
{
	struct dx_config *cfg = c->cfg;
	const struct subnet_parent top = {
		.timers = global,
		.kea = &cfg->kea,
		.options = NULL,
		.server_id = cfg->server_id,
		.bootp = &cfg->bootp,
		.names = &cfg->names,
		.res_global = cfg->res_global,
		.res_in_subnet = cfg->res_in_subnet,
	};
	struct json_object *arr;
	char p[CONFIG_PATH_LEN];
	size_t n, n_shared;
	int r;

	r = jpath_get(c, c->dhcp4, "Dhcp4", "subnet4", json_type_array,
		      "a list", &arr);
	if (r < 0)
		return r;
	n = r ? json_object_array_length(arr) : 0;
	if ((r = shared_networks_count(c, &n_shared)))
		return r;
	if (n + n_shared == 0)
		jpath_warn(c, "Dhcp4.subnet4",
			   "no subnets: the server will not hand out "
			   "addresses");
	cfg->subnets =
		calloc(n + n_shared ? n + n_shared : 1, sizeof(*cfg->subnets));
	if (!cfg->subnets)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		cfg->n_subnets++;
		r = subnet_parse(c, json_object_array_get_idx(arr, i),
				 jpath_idx(p, "Dhcp4.subnet4", i), &top,
				 &cfg->subnets[i]);
		if (r)
			return r;
	}
	if ((r = shared_networks_parse(c, global)))
		return r;
	return number_subnets(c);
}
