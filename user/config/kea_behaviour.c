// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Kea's switches where RFC 2131 allows either answer: authoritative,
 * match-client-id, echo-client-id, min-valid-lifetime and
 * max-valid-lifetime, at the Dhcp4 level and per subnet (a subnet
 * inherits what it does not set). Kea has them on shared networks too,
 * which dhcpxdp does not implement (dhcp4.c refuses the key).
 * echo-client-id is global only, as in Kea.
 *
 * Defaults are Kea's: not authoritative, client-ids matched and echoed
 * (RFC 6842), a lease time asked for in option 51 clamped to
 * [min-valid-lifetime, max-valid-lifetime], both valid-lifetime when not
 * given - so the request is ignored. What the engine does with them:
 * docs/protocol.md, "Kea's switches".
 */
#include "config/config.h"
#include "config/config_internal.h"

/*
 * min <= valid <= max, as Kea checks. min and max are the values in
 * force at this level (0 = valid-lifetime).
 */
static int check_range(struct config_ctx *c, const char *path, uint32_t min,
		       uint32_t valid, uint32_t max)
{
	char p[CONFIG_PATH_LEN];

	if (min && min > valid)
		return jpath_fail(c, jpath_join(p, path, "min-valid-lifetime"),
				  "%u is more than valid-lifetime (%u)", min,
				  valid);
	if (max && max < valid)
		return jpath_fail(c, jpath_join(p, path, "max-valid-lifetime"),
				  "%u is less than valid-lifetime (%u)", max,
				  valid);
	return 0;
}

/* The keys both levels have; absent ones leave *k as it was. */
static int parse_level(struct config_ctx *c, struct json_object *o,
		       const char *path, struct dx_kea_conf *k)
{
	bool match = !k->ignore_client_id;
	int r;

	if ((r = jpath_bool(c, o, path, "authoritative", &k->authoritative)) <
		    0 ||
	    (r = jpath_bool(c, o, path, "match-client-id", &match)) < 0 ||
	    (r = jpath_u32(c, o, path, "min-valid-lifetime", 1, UINT32_MAX,
			   &k->min_valid_lifetime)) < 0 ||
	    (r = jpath_u32(c, o, path, "max-valid-lifetime", 1, UINT32_MAX,
			   &k->max_valid_lifetime)) < 0)
		return r;
	k->ignore_client_id = !match;
	return 0;
}

int kea_behaviour_global(struct config_ctx *c)
{
	struct dx_config *cfg = c->cfg;
	struct dx_kea_conf *k = &cfg->kea;
	bool echo = true;
	int r;

	memset(k, 0, sizeof(*k));
	if ((r = parse_level(c, c->dhcp4, "Dhcp4", k)) ||
	    (r = jpath_bool(c, c->dhcp4, "Dhcp4", "echo-client-id", &echo)) < 0)
		return r;
	k->no_echo_client_id = !echo;
	return check_range(c, "Dhcp4", k->min_valid_lifetime,
			   cfg->valid_lifetime, k->max_valid_lifetime);
}

int kea_behaviour_shared(struct config_ctx *c, struct json_object *obj,
			 const char *path, struct dx_kea_conf *k)
{
	return parse_level(c, obj, path, k);
}

int kea_behaviour_subnet(struct config_ctx *c, struct json_object *so,
			 const char *path, const struct dx_kea_conf *parent,
			 struct dx_subnet_conf *s)
{
	struct dx_kea_conf k = *parent;
	int r;

	if ((r = parse_level(c, so, path, &k)))
		return r;
	s->authoritative = k.authoritative;
	s->ignore_client_id = k.ignore_client_id;
	s->min_valid_lifetime =
		k.min_valid_lifetime ? k.min_valid_lifetime : s->valid_lifetime;
	s->max_valid_lifetime =
		k.max_valid_lifetime ? k.max_valid_lifetime : s->valid_lifetime;
	return check_range(c, path, s->min_valid_lifetime, s->valid_lifetime,
			   s->max_valid_lifetime);
}

static bool has_flex_ids(const struct dx_subnet_conf *s)
{
	for (size_t j = 0; j < s->n_reservations; j++)
		if (s->reservations[j].flex_id)
			return true;
	return false;
}

/* Could a flex-id reservation of s's link (s, or its shared network,
 * whose every subnet the engine looks through) match a request? */
static bool flex_ids_matched(const struct dx_config *cfg,
			     const struct dx_subnet_conf *s)
{
	if (!cfg->flex_id_expr || !config_host_id_used(cfg, DX_HOST_ID_FLEX_ID))
		return false;
	if (!s->shared_id)
		return has_flex_ids(s);
	for (size_t i = 0; i < cfg->n_subnets; i++)
		if (cfg->subnets[i].shared_id == s->shared_id &&
		    has_flex_ids(&cfg->subnets[i]))
			return true;
	return false;
}

/* ddns-update-on-renew: every renewal sends a name change request,
 * which only the daemon can (XDP answers renewals on its own). */
static bool ddns_on_renew(const struct dx_config *cfg,
			  const struct dx_subnet_conf *s)
{
	return cfg->ddns.enable_updates && s->names.send_updates &&
	       s->names.update_on_renew;
}

bool config_fast_path_off(const struct dx_config *cfg,
			  const struct dx_subnet_conf *s)
{
	uint32_t min = s->min_valid_lifetime ? s->min_valid_lifetime
					     : s->valid_lifetime;
	uint32_t max = s->max_valid_lifetime ? s->max_valid_lifetime
					     : s->valid_lifetime;

	return cfg->kea.no_echo_client_id || s->ignore_client_id ||
	       s->server_id ||
	       min != s->valid_lifetime || max != s->valid_lifetime ||
	       flex_ids_matched(cfg, s) || ddns_on_renew(cfg, s);
}
