// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * DNS updates as Kea configures them (Kea ARM, "DDNS for DHCPv4"): the
 * dhcp-ddns object - where name change requests go, a kea-dhcp-ddns
 * server ("D2") reached over UDP with JSON - and the behavioural ddns-*
 * keys at the Dhcp4, shared-network and subnet levels, each level
 * starting from its parent's values (as client_names.c does for the
 * names). The engine decides the updates (engine/engine_ddns.c), the
 * daemon sends them (daemon/ddns.c).
 */
#include <strings.h>

#include "config/config.h"
#include "config/config_internal.h"
#include "util/fmt.h"

static const char *const conflict_modes[] = {
	[DX_DDNS_CHECK_WITH_DHCID] = "check-with-dhcid",
	[DX_DDNS_NO_CHECK_WITH_DHCID] = "no-check-with-dhcid",
	[DX_DDNS_CHECK_EXISTS_WITH_DHCID] = "check-exists-with-dhcid",
	[DX_DDNS_NO_CHECK_WITHOUT_DHCID] = "no-check-without-dhcid",
};

void ddns_keys_defaults(struct dx_client_name_conf *n)
{
	n->send_updates = true;
	n->conflict_mode = DX_DDNS_CHECK_WITH_DHCID;
}

static int ddns_mode(struct config_ctx *c, struct json_object *obj,
		     const char *path, int *mode)
{
	char p[CONFIG_PATH_LEN];
	struct json_object *v;
	const char *s;
	bool use;
	int r = jpath_get(c, obj, path, "ddns-conflict-resolution-mode",
			  json_type_string, "a string", &v);

	if (r < 0)
		return r;
	if (r > 0) {
		s = json_object_get_string(v);
		for (size_t i = 0;
		     i < sizeof(conflict_modes) / sizeof(*conflict_modes); i++)
			if (!strcmp(s, conflict_modes[i])) {
				*mode = (int)i;
				return 0;
			}
		return jpath_fail(
			c, jpath_join(p, path, "ddns-conflict-resolution-mode"),
			"'%s' is not one of check-with-dhcid, "
			"no-check-with-dhcid, check-exists-with-dhcid, "
			"no-check-without-dhcid",
			s);
	}
	/* Kea 2.5's predecessor of the mode, still read by Kea. */
	r = jpath_bool(c, obj, path, "ddns-use-conflict-resolution", &use);
	if (r <= 0)
		return r;
	jpath_warn(c, jpath_join(p, path, "ddns-use-conflict-resolution"),
		   "deprecated: use ddns-conflict-resolution-mode");
	*mode = use ? DX_DDNS_CHECK_WITH_DHCID : DX_DDNS_NO_CHECK_WITH_DHCID;
	return 0;
}

static int ddns_percent(struct config_ctx *c, struct json_object *obj,
			const char *path, struct dx_client_name_conf *n)
{
	char p[CONFIG_PATH_LEN];
	struct json_object *v;
	enum json_type t;
	double f;

	if (!obj || !json_object_object_get_ex(obj, "ddns-ttl-percent", &v))
		return 0;
	jpath_join(p, path, "ddns-ttl-percent");
	t = json_object_get_type(v);
	if (t != json_type_int && t != json_type_double)
		return jpath_fail(c, p, "expected a number, got %s",
				  jpath_type_desc(v));
	f = json_object_get_double(v);
	/* A fraction of the lease time: 0.75 is three quarters. */
	if (!(f > 0.0 && f <= 1.0))
		return jpath_fail(c, p,
				  "%g must be above 0 and at most 1 (a "
				  "fraction of the lease time)",
				  f);
	n->ttl_percent = f;
	n->has_ttl_percent = true;
	return 1;
}

/* ddns-ttl, -min, -max: 0 absent, 1 read, < 0. */
static int ddns_ttl(struct config_ctx *c, struct json_object *obj,
		    const char *path, const char *key, uint32_t *out, bool *has)
{
	int r = jpath_u32(c, obj, path, key, 0, INT32_MAX, out);

	if (r > 0)
		*has = true;
	return r;
}

int ddns_keys_parse(struct config_ctx *c, struct json_object *obj,
		    const char *path, struct dx_client_name_conf *n)
{
	char p[CONFIG_PATH_LEN];
	int r, pct, ttl, mn, mx;

	if ((r = jpath_bool(c, obj, path, "ddns-send-updates",
			    &n->send_updates)) < 0 ||
	    (r = jpath_bool(c, obj, path, "ddns-override-no-update",
			    &n->override_no_update)) < 0 ||
	    (r = jpath_bool(c, obj, path, "ddns-override-client-update",
			    &n->override_client_update)) < 0 ||
	    (r = jpath_bool(c, obj, path, "ddns-update-on-renew",
			    &n->update_on_renew)) < 0 ||
	    (r = ddns_mode(c, obj, path, &n->conflict_mode)) < 0)
		return r;
	if ((pct = ddns_percent(c, obj, path, n)) < 0 ||
	    (ttl = ddns_ttl(c, obj, path, "ddns-ttl", &n->ttl, &n->has_ttl)) <
		    0 ||
	    (mn = ddns_ttl(c, obj, path, "ddns-ttl-min", &n->ttl_min,
			   &n->has_ttl_min)) < 0 ||
	    (mx = ddns_ttl(c, obj, path, "ddns-ttl-max", &n->ttl_max,
			   &n->has_ttl_max)) < 0)
		return pct < 0 ? pct : ttl < 0 ? ttl : mn < 0 ? mn : mx;
	/* Kea refuses a fixed TTL beside a computed one at one level. */
	if (ttl > 0 && pct > 0)
		return jpath_fail(c, jpath_join(p, path, "ddns-ttl"),
				  "cannot be given with ddns-ttl-percent");
	if (ttl > 0 && (mn > 0 || mx > 0))
		return jpath_fail(c, jpath_join(p, path, "ddns-ttl"),
				  "cannot be given with ddns-ttl-min or "
				  "ddns-ttl-max: it is the TTL itself");
	/* A level's own choice replaces its parent's other one. */
	if (ttl > 0)
		n->has_ttl_percent = false;
	if (pct > 0)
		n->has_ttl = false;
	if (n->has_ttl_min && n->has_ttl_max && n->ttl_min > n->ttl_max)
		return jpath_fail(c, jpath_join(p, path, "ddns-ttl-min"),
				  "%u is above ddns-ttl-max %u", n->ttl_min,
				  n->ttl_max);
	return 0;
}

static const struct key_rule ddns_rules[] = {
	{"enable-updates", K_HANDLED, NULL},
	{"server-ip", K_HANDLED, NULL},
	{"server-port", K_HANDLED, NULL},
	{"sender-ip", K_HANDLED, NULL},
	{"sender-port", K_HANDLED, NULL},
	{"max-queue-size", K_HANDLED, NULL},
	{"ncr-protocol", K_HANDLED, NULL},
	{"ncr-format", K_HANDLED, NULL},
	/* Kea 1.x had these here; Kea moved them to the Dhcp4 level. */
	{"qualifying-suffix", K_UNSUPPORTED,
	 "moved out of dhcp-ddns: use Dhcp4's ddns-qualifying-suffix"},
	{"override-no-update", K_UNSUPPORTED,
	 "moved out of dhcp-ddns: use Dhcp4's ddns-override-no-update"},
	{"override-client-update", K_UNSUPPORTED,
	 "moved out of dhcp-ddns: use Dhcp4's ddns-override-client-update"},
	{"replace-client-name", K_UNSUPPORTED,
	 "moved out of dhcp-ddns: use Dhcp4's ddns-replace-client-name"},
	{"generated-prefix", K_UNSUPPORTED,
	 "moved out of dhcp-ddns: use Dhcp4's ddns-generated-prefix"},
	{"hostname-char-set", K_UNSUPPORTED,
	 "moved out of dhcp-ddns: use Dhcp4's hostname-char-set"},
	{"hostname-char-replacement", K_UNSUPPORTED,
	 "moved out of dhcp-ddns: use Dhcp4's hostname-char-replacement"},
	{NULL, 0, NULL},
};

static int ddns_addr(struct config_ctx *c, struct json_object *o,
		     const char *path, const char *key, uint32_t *out)
{
	char p[CONFIG_PATH_LEN];
	struct json_object *v;
	const char *s;
	int r = jpath_get(c, o, path, key, json_type_string, "a string", &v);

	if (r <= 0)
		return r;
	s = json_object_get_string(v);
	if (parse_ipv4(s, out))
		return jpath_fail(c, jpath_join(p, path, key),
				  "'%s' is not an IPv4 address (requests to "
				  "D2 go over IPv4, as the DHCPv4 server's)",
				  s);
	return 0;
}

/* ncr-protocol "UDP" and ncr-format "JSON": what Kea accepts. */
static int ddns_wire(struct config_ctx *c, struct json_object *o,
		     const char *path)
{
	char p[CONFIG_PATH_LEN];
	struct json_object *v;
	const char *s;
	int r = jpath_get(c, o, path, "ncr-protocol", json_type_string,
			  "a string", &v);

	if (r < 0)
		return r;
	if (r > 0) {
		s = json_object_get_string(v);
		/* Kea's parser names TCP and refuses it: D2 has no TCP
		 * listener. */
		if (!strcasecmp(s, "TCP"))
			return jpath_fail(
				c, jpath_join(p, path, "ncr-protocol"),
				"'TCP' is not supported (as in Kea: "
				"D2 listens on UDP only); use \"UDP\"");
		if (strcasecmp(s, "UDP"))
			return jpath_fail(c,
					  jpath_join(p, path, "ncr-protocol"),
					  "'%s' is not \"UDP\"", s);
	}
	r = jpath_get(c, o, path, "ncr-format", json_type_string, "a string",
		      &v);
	if (r <= 0)
		return r;
	s = json_object_get_string(v);
	if (strcasecmp(s, "JSON"))
		return jpath_fail(c, jpath_join(p, path, "ncr-format"),
				  "'%s' is not \"JSON\" (the only format D2 "
				  "reads)",
				  s);
	return 0;
}

int ddns_conf_parse(struct config_ctx *c)
{
	const char *path = "Dhcp4.dhcp-ddns";
	struct dx_ddns_conf *d = &c->cfg->ddns;
	uint32_t port = DX_DDNS_DEFAULT_PORT, sport = 0;
	struct json_object *o;
	int r;

	memset(d, 0, sizeof(*d));
	d->server_ip = 0x7f000001; /* Kea's default, 127.0.0.1 */
	d->max_queue_size = DX_DDNS_DEFAULT_QUEUE_SIZE;
	r = jpath_get(c, c->dhcp4, "Dhcp4", "dhcp-ddns", json_type_object,
		      "an object", &o);
	if (r <= 0)
		goto out;
	if ((r = jpath_check_keys(c, o, path, ddns_rules)) < 0 ||
	    (r = jpath_bool(c, o, path, "enable-updates", &d->enable_updates)) <
		    0 ||
	    (r = ddns_addr(c, o, path, "server-ip", &d->server_ip)) < 0 ||
	    (r = ddns_addr(c, o, path, "sender-ip", &d->sender_ip)) < 0 ||
	    (r = jpath_u32(c, o, path, "server-port", 1, UINT16_MAX, &port)) <
		    0 ||
	    (r = jpath_u32(c, o, path, "sender-port", 0, UINT16_MAX, &sport)) <
		    0 ||
	    (r = jpath_u32(c, o, path, "max-queue-size", 1, 1U << 20,
			   &d->max_queue_size)) < 0 ||
	    (r = ddns_wire(c, o, path)) < 0)
		return r;
	/* Kea refuses a sender that is the server: requests would loop. */
	if (d->server_ip == d->sender_ip && port == sport)
		return jpath_fail(c, "Dhcp4.dhcp-ddns.sender-port",
				  "%u is server-port on server-ip: the "
				  "sender cannot be D2 itself",
				  sport);
	r = 0;
out:
	d->server_port = (uint16_t)port;
	d->sender_port = (uint16_t)sport;
	return r;
}
