// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Dhcp4.dhcpxdp.starvation: the engine's defenses against pool starvation
 * (docs/protocol.md, "Starvation"): short offer holds and take-over of
 * held offers when a subnet runs short, declined addresses reclaimed when
 * it runs dry, and caps per relay agent circuit (RFC 3046) and per relay.
 * dhcpxdp's own keys: Kea has no equivalent.
 */
#include "config/config.h"
#include "config/config_internal.h"

static const struct key_rule starvation_rules[] = {
	{"pressure-free-percent", K_HANDLED, NULL},
	{"pressure-offer-lifetime", K_HANDLED, NULL},
	{"reclaim-declined", K_HANDLED, NULL},
	{"max-leases-per-circuit-id", K_HANDLED, NULL},
	{"max-relay-share-percent", K_HANDLED, NULL},
	{NULL, 0, NULL},
};

static void set_defaults(struct dx_starvation_conf *sv)
{
	sv->pressure_free_percent = CONFIG_DEFAULT_PRESSURE_FREE;
	sv->pressure_offer_hold = CONFIG_DEFAULT_PRESSURE_HOLD;
	sv->reclaim_declined = true;
	sv->max_per_circuit_id = 0;
	sv->max_relay_share_percent = 0;
}

int starvation_parse(struct config_ctx *c)
{
	const char *path = "Dhcp4.dhcpxdp.starvation";
	struct dx_starvation_conf *sv = &c->cfg->dhcpxdp.starvation;
	struct json_object *x = NULL, *o;
	int r;

	set_defaults(sv);
	r = jpath_get(c, c->dhcp4, "Dhcp4", "dhcpxdp", json_type_object,
		      "an object", &x);
	if (r <= 0)
		return r;
	r = jpath_get(c, x, "Dhcp4.dhcpxdp", "starvation", json_type_object,
		      "an object", &o);
	if (r <= 0)
		return r;
	if ((r = jpath_check_keys(c, o, path, starvation_rules)) < 0)
		return r;
	/*
	 * 100 puts every offer under pressure; 0 turns short holds and the
	 * take-over of held offers off. A pressure-offer-lifetime longer than
	 * offer-lifetime is not refused: the shorter of the two is used (so
	 * Kea's "offer-lifetime": 0 with the defaults here still loads).
	 */
	if ((r = jpath_u32(c, o, path, "pressure-free-percent", 0, 100,
			   &sv->pressure_free_percent)) < 0 ||
	    (r = jpath_u32(c, o, path, "pressure-offer-lifetime", 0, UINT32_MAX,
			   &sv->pressure_offer_hold)) < 0 ||
	    (r = jpath_bool(c, o, path, "reclaim-declined",
			    &sv->reclaim_declined)) < 0 ||
	    (r = jpath_u32(c, o, path, "max-leases-per-circuit-id", 0,
			   UINT32_MAX, &sv->max_per_circuit_id)) < 0 ||
	    (r = jpath_u32(c, o, path, "max-relay-share-percent", 0, 100,
			   &sv->max_relay_share_percent)) < 0)
		return r;
	return 0;
}
