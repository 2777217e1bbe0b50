// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The Dhcp4 object: which of Kea's keys dhcpxdp reads, ignores or refuses,
 * and its global sections - interfaces-config, dhcp-ddns,
 * host-reservation-identifiers and dhcpxdp's own "dhcpxdp" object -
 * before the subnets (subnets.c); control-socket(s) are control_sockets.c.
 */
#include <net/if.h>

#include "config/config.h"
#include "config/config_internal.h"
#include "util/fmt.h"

static const struct key_rule ifaces_rules[] = {
	{"interfaces", K_HANDLED, NULL},
	{"dhcp-socket-type", K_IGNORED, NULL},
	{"outbound-interface", K_IGNORED, NULL},
	{"re-detect", K_IGNORED, NULL},
	{"service-sockets-*", K_IGNORED, NULL},
	{NULL, 0, NULL},
};

static int parse_interfaces(struct config_ctx *c)
{
	struct dx_config *cfg = c->cfg;
	const char *path = "Dhcp4.interfaces-config";
	struct json_object *ic, *arr;
	char ipath[CONFIG_PATH_LEN], p[CONFIG_PATH_LEN];
	size_t n;
	int r;

	r = jpath_get(c, c->dhcp4, "Dhcp4", "interfaces-config",
		      json_type_object, "an object", &ic);
	if (r <= 0)
		return r;
	if ((r = jpath_check_keys(c, ic, path, ifaces_rules)) < 0)
		return r;
	r = jpath_get(c, ic, path, "interfaces", json_type_array, "a list",
		      &arr);
	if (r <= 0)
		return r;
	jpath_join(ipath, path, "interfaces");
	n = json_object_array_length(arr);
	cfg->interfaces = calloc(n ? n : 1, sizeof(*cfg->interfaces));
	if (!cfg->interfaces)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct json_object *v = json_object_array_get_idx(arr, i);
		struct dx_iface_conf *ifc;
		const char *s;
		char *slash;

		jpath_idx(p, ipath, i);
		if (json_object_get_type(v) != json_type_string)
			return jpath_fail(c, p, "expected a string, got %s",
					  jpath_type_desc(v));
		s = json_object_get_string(v);
		/* Kea's "every interface": resolved by the daemon, at each
		 * start and reload (config.h); names may come with it. */
		if (!strcmp(s, "*")) {
			cfg->interfaces_all = true;
			continue;
		}
		ifc = &cfg->interfaces[cfg->n_interfaces];
		ifc->name = strdup(s);
		if (!ifc->name)
			return -ENOMEM;
		cfg->n_interfaces++;
		slash = strchr(ifc->name, '/');
		if (slash) {
			*slash = '\0';
			if (parse_ipv4(slash + 1, &ifc->addr) || !ifc->addr)
				return jpath_fail(
					c, p,
					"'%s': '%s' is not an IPv4 address", s,
					slash + 1);
		}
		if (!ifc->name[0] || strlen(ifc->name) >= IFNAMSIZ ||
		    strpbrk(ifc->name, " \t\n:"))
			return jpath_fail(c, p, "'%s' is not an interface name",
					  s);
		for (size_t j = 0; j + 1 < cfg->n_interfaces; j++)
			if (!strcmp(cfg->interfaces[j].name, ifc->name))
				return jpath_fail(
					c, p, "interface '%s' is listed twice",
					ifc->name);
	}
	return 0;
}

static const struct key_rule dhcp4_rules[] = {
	{"interfaces-config", K_HANDLED, NULL},
	{"valid-lifetime", K_HANDLED, NULL},
	{"renew-timer", K_HANDLED, NULL},
	{"rebind-timer", K_HANDLED, NULL},
	{"subnet4", K_HANDLED, NULL},
	{"option-data", K_HANDLED, NULL},
	{"lease-database", K_HANDLED, NULL},
	{"control-socket", K_HANDLED, NULL}, /* control_sockets.c */
	{"decline-probation-period", K_HANDLED, NULL},
	{"offer-lifetime", K_HANDLED, NULL},
	{"host-reservation-identifiers", K_HANDLED, NULL},
	{"dhcp-ddns", K_HANDLED, NULL},
	{"dhcpxdp", K_HANDLED, NULL},
	{"loggers", K_HANDLED, NULL},
	{"server-tag", K_IGNORED, NULL},
	{"expired-leases-processing", K_IGNORED, NULL},
	{"multi-threading", K_IGNORED, NULL},
	{"dhcp-queue-control", K_IGNORED, NULL},
	{"sanity-checks", K_IGNORED, NULL},
	{"statistic-default-*", K_IGNORED, NULL},
	{"echo-client-id", K_HANDLED, NULL},  /* kea_behaviour.c */
	{"match-client-id", K_HANDLED, NULL}, /* kea_behaviour.c */
	{"authoritative", K_HANDLED, NULL},   /* kea_behaviour.c */
	{"calculate-tee-times", K_HANDLED, NULL}, /* timers.c */
	{"adaptive-lease-time-threshold", K_HANDLED, NULL},
	{"stash-agent-options", K_HANDLED, NULL}, /* false only */
	{"t1-percent", K_HANDLED, NULL},
	{"t2-percent", K_HANDLED, NULL},
	{"min-valid-lifetime", K_HANDLED, NULL}, /* kea_behaviour.c */
	{"max-valid-lifetime", K_HANDLED, NULL}, /* kea_behaviour.c */
	/* Relay data kept with the lease for Kea's lease queries: nothing a
	 * client is sent depends on it. */
	{"store-extended-info", K_IGNORED, NULL},
	{"cache-*", K_IGNORED, NULL},
	/* client_names.c and ddns.c */
	{"hostname-char-set", K_HANDLED, NULL},
	{"hostname-char-replacement", K_HANDLED, NULL},
	{"ddns-replace-client-name", K_HANDLED, NULL},
	{"ddns-generated-prefix", K_HANDLED, NULL},
	{"ddns-qualifying-suffix", K_HANDLED, NULL},
	DDNS_KEY_RULES,
	{"reservations-*", K_HANDLED, NULL}, /* reservations_flags() */
	{"reservation-mode", K_HANDLED, NULL},
	/* Kea's order of lookups for client classes and subnet selection
	 * by reservation, which dhcpxdp does not do: the reservation a
	 * client gets is the same either way. */
	{"early-global-reservations-lookup", K_IGNORED, NULL},
	{"reservations-lookup-first", K_IGNORED, NULL},
	/* false lets two reservations share an address; dhcpxdp refuses
	 * that anyway (reservations.c), so either value leases the same. */
	{"ip-reservations-unique", K_IGNORED, NULL},
	{"parked-packet-limit", K_IGNORED, NULL},
	{"allocator", K_IGNORED, NULL},
	{"dhcp4o6-port", K_HANDLED, NULL},    /* 0 only */
	{"shared-networks", K_HANDLED, NULL}, /* shared_networks.c */
	{"hooks-libraries", K_HANDLED, NULL}, /* hooks.c */
	{"client-classes", K_HANDLED, NULL}, /* classes.c */
	{"option-def", K_HANDLED, NULL}, /* option_defs.c */
	{"reservations", K_HANDLED, NULL}, /* global_reservations.c */
	{"hosts-database", K_HANDLED, NULL},  /* hosts_db_conf.c */
	{"hosts-databases", K_HANDLED, NULL}, /* hosts_db_conf.c */
	{"config-control", K_UNSUPPORTED,
	 "the configuration comes from the file only"},
	{"control-sockets", K_HANDLED, NULL}, /* control_sockets.c */
	{"next-server", K_HANDLED, NULL},     /* bootp.c */
	{"server-hostname", K_HANDLED, NULL},
	{"boot-file-name", K_HANDLED, NULL},
	{NULL, 0, NULL},
};

static const struct key_rule dhcpxdp_rules[] = {
	{"pin-dir", K_HANDLED, NULL},
	{"xdp-mode", K_HANDLED, NULL},
	{"horizon-factor", K_HANDLED, NULL},
	{"decline-probation-period", K_HANDLED, NULL},
	{"offer-lifetime", K_HANDLED, NULL},
	{"lease-map-capacity", K_HANDLED, NULL},
	{"metrics-listen", K_HANDLED, NULL},
	{"starvation", K_HANDLED, NULL},  /* starvation.c */
	{"rate-limits", K_HANDLED, NULL}, /* rate_limits.c */
	{"lease-history", K_HANDLED, NULL}, /* lease_history.c */
	{NULL, 0, NULL},
};

static int parse_metrics_listen(struct config_ctx *c, const char *path,
				const char *s)
{
	const char *colon = strrchr(s, ':');
	char *end;
	long port;

	if (!colon || colon == s)
		goto bad;
	port = strtol(colon + 1, &end, 10);
	if (end == colon + 1 || *end || port < 1 || port > 65535)
		goto bad;
	return config_set_str(&c->cfg->dhcpxdp.metrics_listen, s);
bad:
	return jpath_fail(c, path,
			  "'%s' is not ADDRESS:PORT (e.g. 127.0.0.1:9100)", s);
}

static int parse_dhcpxdp(struct config_ctx *c)
{
	const char *path = "Dhcp4.dhcpxdp", *s;
	struct dx_config *cfg = c->cfg;
	struct json_object *o, *v;
	char p[CONFIG_PATH_LEN];
	int r;

	r = jpath_get(c, c->dhcp4, "Dhcp4", "dhcpxdp", json_type_object,
		      "an object", &o);
	if (r <= 0)
		return r;
	if ((r = jpath_check_keys(c, o, path, dhcpxdp_rules)) < 0)
		return r;
	if ((r = jpath_str(c, o, path, "pin-dir", &s)) < 0 ||
	    (r > 0 && (r = config_set_str(&cfg->dhcpxdp.pin_dir, s))))
		return r;
	if ((r = jpath_str(c, o, path, "xdp-mode", &s)) < 0)
		return r;
	if (r > 0) {
		if (strcmp(s, "native") && strcmp(s, "skb"))
			return jpath_fail(
				c, jpath_join(p, path, "xdp-mode"),
				"'%s' is not an XDP mode: use \"native\" "
				"or \"skb\"",
				s);
		if ((r = config_set_str(&cfg->dhcpxdp.xdp_mode, s)))
			return r;
	}
	if (json_object_object_get_ex(o, "horizon-factor", &v)) {
		enum json_type t = json_object_get_type(v);
		double f = json_object_get_double(v);

		jpath_join(p, path, "horizon-factor");
		if (t != json_type_int && t != json_type_double)
			return jpath_fail(c, p, "expected a number, got %s",
					  jpath_type_desc(v));
		/* Below 1 a grant could outlive its durable horizon. */
		if (!(f >= 1.0 && f <= 1000.0))
			return jpath_fail(c, p, "%g must be between 1 and 1000",
					  f);
		cfg->dhcpxdp.horizon_factor = f;
	}
	if ((r = jpath_u32(c, o, path, "decline-probation-period", 0,
			   UINT32_MAX, &cfg->dhcpxdp.decline_probation)) < 0 ||
	    (r = jpath_u32(c, o, path, "offer-lifetime", 0, UINT32_MAX,
			   &cfg->dhcpxdp.offer_hold)) < 0 ||
	    (r = jpath_u32(c, o, path, "lease-map-capacity", 1, 1U << 30,
			   &cfg->dhcpxdp.lease_map_capacity)) < 0)
		return r;
	if ((r = jpath_str(c, o, path, "metrics-listen", &s)) < 0)
		return r;
	if (r > 0)
		return parse_metrics_listen(
			c, jpath_join(p, path, "metrics-listen"), s);
	return 0;
}

static int parse_misc(struct config_ctx *c)
{
	uint32_t port = 0;
	bool on = false;
	int r;

	/* Kea's default 0 leaves DHCPv4-over-DHCPv6 (RFC 7341) off. */
	if ((r = jpath_u32(c, c->dhcp4, "Dhcp4", "dhcp4o6-port", 0, 65535,
			   &port)) < 0 ||
	    (r = reservations_flags(c, c->dhcp4, "Dhcp4", &c->cfg->res_global,
				    &c->cfg->res_in_subnet)) < 0 ||
	    (r = bootp_fields_parse(c, c->dhcp4, "Dhcp4", &c->cfg->bootp)) <
		    0)
		return r;
	if ((r = client_names_parse(c, c->dhcp4, "Dhcp4", &c->cfg->names)))
		return r;
	if (port)
		return jpath_fail(c, "Dhcp4.dhcp4o6-port",
				  "DHCPv4-over-DHCPv6 (RFC 7341) is not "
				  "implemented: remove it or set it to 0");
	/*
	 * Kea 2.5.8's stash-agent-options: a RENEWING request (unicast, no
	 * relay) is treated as carrying the option 82 of the lease's first
	 * REQUEST (dhcp4-srv.rst). dhcpxdp keeps no option 82 with a lease.
	 */
	if ((r = jpath_bool(c, c->dhcp4, "Dhcp4", "stash-agent-options", &on)) <
	    0)
		return r;
	if (on)
		return jpath_fail(c, "Dhcp4.stash-agent-options",
				  "relay agent options are not kept with "
				  "leases: set it to false");

	if ((r = ddns_conf_parse(c)))
		return r;
	return host_ids_parse(c);
}

static int set_defaults(struct dx_config *cfg)
{
	if (config_set_str(&cfg->lease_db.type, "sqlite") ||
	    config_set_str(&cfg->lease_db.name, CONFIG_DEFAULT_LEASE_DB) ||
	    config_set_str(&cfg->control_socket.socket_type, "unix") ||
	    config_set_str(&cfg->control_socket.socket_name,
			   CONFIG_DEFAULT_CONTROL_SOCKET) ||
	    config_set_str(&cfg->dhcpxdp.pin_dir, CONFIG_DEFAULT_PIN_DIR) ||
	    config_set_str(&cfg->dhcpxdp.xdp_mode, CONFIG_DEFAULT_XDP_MODE))
		return -ENOMEM;
	/* Kea: a subnet's own reservations are looked up, global ones not. */
	cfg->res_in_subnet = true;
	client_names_defaults(&cfg->names);
	cfg->lease_db.connect_timeout = CONFIG_DEFAULT_DB_TIMEOUT;
	cfg->dhcpxdp.horizon_factor = CONFIG_DEFAULT_HORIZON_FACTOR;
	cfg->dhcpxdp.decline_probation = CONFIG_DEFAULT_DECLINE_PROBATION;
	cfg->dhcpxdp.offer_hold = CONFIG_DEFAULT_OFFER_LIFETIME;
	cfg->dhcpxdp.lease_map_capacity = CONFIG_DEFAULT_LEASE_MAP_CAPACITY;
	return 0;
}

int dhcp4_parse(struct config_ctx *c)
{
	struct dx_config *cfg = c->cfg;
	const struct dx_option_list *lv[1];
	struct timers global = {0};
	int r;

	if ((r = set_defaults(cfg)) ||
	    (r = jpath_check_keys(c, c->dhcp4, "Dhcp4", dhcp4_rules)) < 0)
		return r;
	if ((r = parse_misc(c)) || (r = parse_interfaces(c)) ||
	    (r = timers_parse(c, c->dhcp4, "Dhcp4", &global)) ||
	    (r = timers_resolve(c, &global, NULL, &cfg->valid_lifetime,
				&cfg->renew_timer, &cfg->rebind_timer)) ||
	    (r = kea_behaviour_global(c)))
		return r;
	/* Kea's top-level keys; the dhcpxdp object, parsed after, wins. */
	if ((r = jpath_u32(c, c->dhcp4, "Dhcp4", "decline-probation-period", 0,
			   UINT32_MAX, &cfg->dhcpxdp.decline_probation)) < 0 ||
	    (r = jpath_u32(c, c->dhcp4, "Dhcp4", "offer-lifetime", 0,
			   UINT32_MAX, &cfg->dhcpxdp.offer_hold)) < 0)
		return r;
	if ((r = lease_db_conf_parse(c)) || (r = hosts_db_conf_parse(c)) ||
	    (r = history_parse(c)) ||
	    (r = hooks_parse(c)) || (r = control_sockets_parse(c)) ||
	    (r = parse_dhcpxdp(c)) || (r = starvation_parse(c)) ||
	    (r = rate_limits_parse(c)) || (r = option_defs_parse(c)) ||
	    (r = options_parse_level(c, c->dhcp4, "Dhcp4", &cfg->option_data,
				     &cfg->server_id)))
		return r;
	lv[0] = &cfg->option_data;
	if ((r = options_compose(c, "Dhcp4.option-data", lv, 1, false,
				 &cfg->options)) ||
	    (r = classes_parse(c)))
		return r;
	if ((r = global_reservations_parse(c)) ||
	    (r = subnets_parse(c, &global)) ||
	    (r = global_reservations_merge(c)) ||
	    (r = checks_subnets(c)))
		return r;
	config_mark_shadowed(cfg);
	return 0;
}
