// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Dhcp4.dhcpxdp.rate-limits: how many requests per second the XDP program
 * passes up to the daemon per client, network, relay and relay circuit
 * before it drops the rest (docs/design.md §2, docs/configuration.md).
 * dhcpxdp's own key: Kea has none (its optional limits hook counts per
 * client class or subnet, in the server), nor have ISC dhcpd and dnsmasq.
 *
 *   "rate-limits": { "per-client": { "rate": 8, "burst": 16 }, ... }
 *
 * A kind left out keeps its default; a limit given with only "rate" keeps
 * the default burst of its kind; "rate": 0 turns that limit off.
 */
#include <stdio.h>

#include "config/config.h"
#include "config/config_internal.h"

/* Above this the interval between requests would be under 1 µs: no
 * longer a limit on anything a daemon could keep up with. */
#define RATE_MAX  1000000U
#define BURST_MAX 1000000U

static const struct key_rule rate_limits_rules[] = {
	{"per-client", K_HANDLED, NULL},
	{"per-network", K_HANDLED, NULL},
	{"per-relay", K_HANDLED, NULL},
	{"per-circuit-id", K_HANDLED, NULL},
	{NULL, 0, NULL},
};

static const struct key_rule limit_rules[] = {
	{"rate", K_HANDLED, NULL},
	{"burst", K_HANDLED, NULL},
	{NULL, 0, NULL},
};

static void set_defaults(struct dx_config *cfg)
{
	struct dx_rate_limits_conf *rl = &cfg->dhcpxdp.rate_limits;

	rl->per_client.rate = CONFIG_DEFAULT_RATE_CLIENT;
	rl->per_client.burst = CONFIG_DEFAULT_BURST_CLIENT;
	rl->per_network.rate = CONFIG_DEFAULT_RATE_NETWORK;
	rl->per_network.burst = CONFIG_DEFAULT_BURST_NETWORK;
	rl->per_relay.rate = CONFIG_DEFAULT_RATE_RELAY;
	rl->per_relay.burst = CONFIG_DEFAULT_BURST_RELAY;
	rl->per_circuit_id.rate = CONFIG_DEFAULT_RATE_CIRCUIT_ID;
	rl->per_circuit_id.burst = CONFIG_DEFAULT_BURST_CIRCUIT_ID;
}

/* One limit object, e.g. Dhcp4.dhcpxdp.rate-limits.per-client. */
static int parse_limit(struct config_ctx *c, struct json_object *obj,
		       const char *path, const char *key,
		       struct dx_rate_limit_conf *out)
{
	char p[CONFIG_PATH_LEN];
	struct json_object *o;
	int r;

	r = jpath_get(c, obj, path, key, json_type_object,
		      "an object ({\"rate\": N, \"burst\": N})", &o);
	if (r <= 0)
		return r;
	jpath_join(p, path, key);
	if ((r = jpath_check_keys(c, o, p, limit_rules)) < 0 ||
	    (r = jpath_u32(c, o, p, "rate", 0, RATE_MAX, &out->rate)) < 0 ||
	    (r = jpath_u32(c, o, p, "burst", 1, BURST_MAX, &out->burst)) < 0)
		return r;
	return 0;
}

int rate_limits_parse(struct config_ctx *c)
{
	const char *path = "Dhcp4.dhcpxdp.rate-limits";
	struct dx_rate_limits_conf *rl = &c->cfg->dhcpxdp.rate_limits;
	struct json_object *dx = NULL, *o;
	int r;

	set_defaults(c->cfg);
	/* Dhcp4.dhcpxdp itself was checked (an object) by dhcp4.c. */
	if (!json_object_object_get_ex(c->dhcp4, "dhcpxdp", &dx) ||
	    json_object_get_type(dx) != json_type_object)
		return 0;
	r = jpath_get(c, dx, "Dhcp4.dhcpxdp", "rate-limits", json_type_object,
		      "an object", &o);
	if (r <= 0)
		return r;
	if ((r = jpath_check_keys(c, o, path, rate_limits_rules)) < 0 ||
	    (r = parse_limit(c, o, path, "per-client", &rl->per_client)) ||
	    (r = parse_limit(c, o, path, "per-network", &rl->per_network)) ||
	    (r = parse_limit(c, o, path, "per-relay", &rl->per_relay)) ||
	    (r = parse_limit(c, o, path, "per-circuit-id",
			     &rl->per_circuit_id)))
		return r;
	return 0;
}
