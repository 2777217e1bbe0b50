// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libdhcp_ha.so in hooks-libraries: Kea's high-availability relationship
 * (Kea ARM, "High Availability"), which dhcpxdp runs itself over its
 * shared PostgreSQL lease database instead of lease updates between the
 * servers. So the relationship's shape is Kea's - this-server-name, mode,
 * heartbeat-delay, max-response-delay, peers with their roles and
 * auto-failover - and what only makes sense between two lease copies
 * (lease updates, syncing, the partner's HTTP channel) is accepted with a
 * warning that it has no effect here. docs/configuration.md lists each key.
 */
#include <errno.h>
#include <string.h>
#include <json-c/json.h>

#include "config/config.h"
#include "config/config_internal.h"

static const struct key_rule hook_rules[] = {
	{"library", K_HANDLED, NULL},
	{"parameters", K_HANDLED, NULL},
	{NULL, K_HANDLED, NULL},
};

static const struct key_rule params_rules[] = {
	{"high-availability", K_HANDLED, NULL},
	{NULL, K_HANDLED, NULL},
};

/*
 * Keys of Kea's relationship that steer its lease updates, its lease
 * syncing or the HTTP channel between the peers: one database shares
 * every lease and the heartbeat goes through it, so they change nothing.
 */
static const char *const moot[] = {
	"send-lease-updates",
	"sync-leases",
	"sync-timeout",
	"sync-page-limit",
	"delayed-updates-limit",
	"max-ack-delay",
	"max-unacked-clients",
	"max-rejected-lease-updates",
	"wait-backup-ack",
	"multi-threading",
	"trust-anchor",
	"cert-file",
	"key-file",
	"require-client-certs",
	"restrict-commands",
};

static const struct key_rule rel_rules[] = {
	{"this-server-name", K_HANDLED, NULL},
	{"mode", K_HANDLED, NULL},
	{"heartbeat-delay", K_HANDLED, NULL},
	{"max-response-delay", K_HANDLED, NULL},
	{"peers", K_HANDLED, NULL},
	{"state-machine", K_UNSUPPORTED,
	 "states are dhcpxdp's own (normal, partner-down): there is no "
	 "pausing to configure"},
	{"send-lease-updates", K_HANDLED, NULL},
	{"sync-leases", K_HANDLED, NULL},
	{"sync-timeout", K_HANDLED, NULL},
	{"sync-page-limit", K_HANDLED, NULL},
	{"delayed-updates-limit", K_HANDLED, NULL},
	{"max-ack-delay", K_HANDLED, NULL},
	{"max-unacked-clients", K_HANDLED, NULL},
	{"max-rejected-lease-updates", K_HANDLED, NULL},
	{"wait-backup-ack", K_HANDLED, NULL},
	{"multi-threading", K_HANDLED, NULL},
	{"trust-anchor", K_HANDLED, NULL},
	{"cert-file", K_HANDLED, NULL},
	{"key-file", K_HANDLED, NULL},
	{"require-client-certs", K_HANDLED, NULL},
	{"restrict-commands", K_HANDLED, NULL},
	{NULL, K_HANDLED, NULL},
};

static const struct key_rule peer_rules[] = {
	{"name", K_HANDLED, NULL},
	{"url", K_HANDLED, NULL},
	{"role", K_HANDLED, NULL},
	{"auto-failover", K_HANDLED, NULL},
	/* the peer's HTTP channel, which dhcpxdp does not use */
	{"basic-auth-user", K_HANDLED, NULL},
	{"basic-auth-password", K_HANDLED, NULL},
	{"basic-auth-password-file", K_HANDLED, NULL},
	{"trust-anchor", K_HANDLED, NULL},
	{"cert-file", K_HANDLED, NULL},
	{"key-file", K_HANDLED, NULL},
	{"require-client-certs", K_HANDLED, NULL},
	{NULL, K_HANDLED, NULL},
};

/* A peer's keys for Kea's HTTP channel between the servers. */
static const char *const peer_moot[] = {
	"basic-auth-user",
	"basic-auth-password",
	"basic-auth-password-file",
	"trust-anchor",
	"cert-file",
	"key-file",
	"require-client-certs",
};

static bool is_ha(const char *lib)
{
	const char *base = strrchr(lib, '/');

	return !strcmp(base ? base + 1 : lib, "libdhcp_ha.so");
}

static int parse_role(struct config_ctx *c, const char *path, const char *s,
		      enum dx_ha_role *out)
{
	static const char *const names[] = {
		[DX_HA_PRIMARY] = "primary",
		[DX_HA_SECONDARY] = "secondary",
		[DX_HA_STANDBY] = "standby",
		[DX_HA_BACKUP] = "backup",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i])) {
			*out = (enum dx_ha_role)i;
			return 0;
		}
	return jpath_fail(c, path,
			  "'%s': expected \"primary\", \"secondary\", "
			  "\"standby\" or \"backup\"",
			  s);
}

static int parse_peer(struct config_ctx *c, struct json_object *o,
		      const char *path, struct dx_ha_peer *peer)
{
	char p[CONFIG_PATH_LEN];
	const char *s;
	int r;

	if (json_object_get_type(o) != json_type_object)
		return jpath_fail(c, path, "expected an object, got %s",
				  jpath_type_desc(o));
	if ((r = jpath_check_keys(c, o, path, peer_rules)) < 0 ||
	    (r = jpath_str(c, o, path, "name", &s)) < 0)
		return r;
	if (!r)
		return jpath_fail(c, path, "a peer needs a \"name\"");
	if (strlen(s) >= DX_HA_NAME_MAX)
		return jpath_fail(c, jpath_join(p, path, "name"),
				  "'%s' is longer than %d characters", s,
				  DX_HA_NAME_MAX - 1);
	strcpy(peer->name, s);
	for (size_t i = 0; i < sizeof(peer_moot) / sizeof(peer_moot[0]); i++)
		if (json_object_object_get_ex(o, peer_moot[i], NULL))
			jpath_warn(c, jpath_join(p, path, peer_moot[i]),
				   "no effect: dhcpxdp's servers talk through "
				   "their lease database, not HTTP");
	/* Kea requires the URL; dhcpxdp does not use it (the heartbeat
	 * goes through the database) but keeps the file Kea's. */
	if ((r = jpath_str(c, o, path, "url", &s)) < 0)
		return r;
	if (!r)
		return jpath_fail(c, path, "peer '%s' needs a \"url\"",
				  peer->name);
	if ((r = jpath_str(c, o, path, "role", &s)) < 0)
		return r;
	if (!r)
		return jpath_fail(c, path, "peer '%s' needs a \"role\"",
				  peer->name);
	if ((r = parse_role(c, jpath_join(p, path, "role"), s, &peer->role)))
		return r;
	peer->auto_failover = true;
	return jpath_bool(c, o, path, "auto-failover", &peer->auto_failover) < 0
		       ? -EINVAL
		       : 0;
}

/* Kea's order of scopes: primary first, then secondary or standby, then
 * backups; at most one of each of the first two. */
static int order_peers(struct config_ctx *c, const char *path,
		       struct dx_ha_peer *in, size_t n, struct dx_ha_conf *ha)
{
	static const enum dx_ha_role order[] = {DX_HA_PRIMARY, DX_HA_SECONDARY,
						DX_HA_STANDBY, DX_HA_BACKUP};
	size_t count[4] = {0};

	for (size_t i = 0; i < n; i++) {
		count[in[i].role]++;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(in[i].name, in[j].name))
				return jpath_fail(c, path,
						  "peer '%s' is listed twice",
						  in[i].name);
	}
	if (count[DX_HA_PRIMARY] != 1)
		return jpath_fail(c, path,
				  "exactly one peer must be the "
				  "\"primary\"");
	if (ha->mode == DX_HA_LOAD_BALANCING &&
	    (count[DX_HA_SECONDARY] != 1 || count[DX_HA_STANDBY]))
		return jpath_fail(c, path,
				  "load-balancing needs one \"primary\" and "
				  "one \"secondary\" (and no \"standby\")");
	if (ha->mode == DX_HA_HOT_STANDBY &&
	    (count[DX_HA_STANDBY] != 1 || count[DX_HA_SECONDARY]))
		return jpath_fail(c, path,
				  "hot-standby needs one \"primary\" and one "
				  "\"standby\" (and no \"secondary\")");
	ha->n_peers = 0;
	for (size_t k = 0; k < 4; k++)
		for (size_t i = 0; i < n; i++)
			if (in[i].role == order[k])
				ha->peers[ha->n_peers++] = in[i];
	return 0;
}

static int parse_peers(struct config_ctx *c, struct json_object *rel,
		       const char *path, struct dx_ha_conf *ha)
{
	struct dx_ha_peer in[DX_HA_PEERS_MAX];
	char p[CONFIG_PATH_LEN], ip[CONFIG_PATH_LEN];
	struct json_object *arr;
	size_t n;
	int r;

	r = jpath_get(c, rel, path, "peers", json_type_array, "a list", &arr);
	if (r < 0)
		return r;
	jpath_join(p, path, "peers");
	if (!r)
		return jpath_fail(c, path, "'peers' is missing");
	n = json_object_array_length(arr);
	if (n < 2 || n > DX_HA_PEERS_MAX)
		return jpath_fail(c, p, "%zu peers: 2 to %d are supported", n,
				  DX_HA_PEERS_MAX);
	memset(in, 0, sizeof(in));
	for (size_t i = 0; i < n; i++)
		if ((r = parse_peer(c, json_object_array_get_idx(arr, i),
				    jpath_idx(ip, p, i), &in[i])))
			return r;
	return order_peers(c, p, in, n, ha);
}

static int parse_mode(struct config_ctx *c, struct json_object *rel,
		      const char *path, struct dx_ha_conf *ha)
{
	char p[CONFIG_PATH_LEN];
	const char *s;
	int r = jpath_str(c, rel, path, "mode", &s);

	if (r <= 0)
		return r < 0 ? r : jpath_fail(c, path, "'mode' is missing");
	jpath_join(p, path, "mode");
	if (!strcmp(s, "load-balancing"))
		ha->mode = DX_HA_LOAD_BALANCING;
	else if (!strcmp(s, "hot-standby"))
		ha->mode = DX_HA_HOT_STANDBY;
	else if (!strcmp(s, "passive-backup"))
		return jpath_fail(c, p,
				  "'passive-backup' is not supported: it "
				  "copies leases to backups, and dhcpxdp's "
				  "servers share one lease database; use "
				  "hot-standby");
	else
		return jpath_fail(c, p,
				  "'%s': expected \"load-balancing\" or "
				  "\"hot-standby\"",
				  s);
	return 0;
}

static int parse_relationship(struct config_ctx *c, struct json_object *rel,
			      const char *path, struct dx_ha_conf *ha)
{
	char p[CONFIG_PATH_LEN];
	const char *self;
	int r;

	if (json_object_get_type(rel) != json_type_object)
		return jpath_fail(c, path, "expected an object, got %s",
				  jpath_type_desc(rel));
	if ((r = jpath_check_keys(c, rel, path, rel_rules)) < 0 ||
	    (r = parse_mode(c, rel, path, ha)) ||
	    (r = parse_peers(c, rel, path, ha)))
		return r;
	/* Kea's defaults: a heartbeat every 10 s, down after 60 s. */
	ha->heartbeat_delay_ms = 10000;
	ha->max_response_delay_ms = 60000;
	if ((r = jpath_u32(c, rel, path, "heartbeat-delay", 100, 3600000,
			   &ha->heartbeat_delay_ms)) < 0 ||
	    (r = jpath_u32(c, rel, path, "max-response-delay", 100, 3600000,
			   &ha->max_response_delay_ms)) < 0)
		return r;
	if (ha->max_response_delay_ms <= ha->heartbeat_delay_ms)
		return jpath_fail(c, jpath_join(p, path, "max-response-delay"),
				  "%u ms is not more than heartbeat-delay "
				  "(%u ms): a live partner would be taken "
				  "for dead",
				  ha->max_response_delay_ms,
				  ha->heartbeat_delay_ms);
	for (size_t i = 0; i < sizeof(moot) / sizeof(moot[0]); i++)
		if (json_object_object_get_ex(rel, moot[i], NULL))
			jpath_warn(c, jpath_join(p, path, moot[i]),
				   "no effect: dhcpxdp's servers share one "
				   "lease database, there are no lease "
				   "updates to send or sync");
	if ((r = jpath_str(c, rel, path, "this-server-name", &self)) < 0)
		return r;
	if (!r)
		return jpath_fail(c, path, "'this-server-name' is missing");
	for (ha->self = 0; ha->self < ha->n_peers; ha->self++)
		if (!strcmp(ha->peers[ha->self].name, self))
			return 0;
	return jpath_fail(c, jpath_join(p, path, "this-server-name"),
			  "'%s' is none of the peers", self);
}

int ha_hook_parse(struct config_ctx *c, struct json_object *entry,
		  const char *path)
{
	char pp[CONFIG_PATH_LEN], p[CONFIG_PATH_LEN];
	struct json_object *params = NULL, *arr = NULL;
	const char *lib = NULL;
	int r;

	if (json_object_get_type(entry) != json_type_object)
		return 0;
	r = jpath_str(c, entry, path, "library", &lib);
	if (r <= 0 || !is_ha(lib))
		return r < 0 ? r : 0;
	if (c->cfg->ha.mode)
		return jpath_fail(c, path, "libdhcp_ha.so is listed twice");
	if ((r = jpath_check_keys(c, entry, path, hook_rules)) < 0 ||
	    (r = jpath_get(c, entry, path, "parameters", json_type_object,
			   "an object", &params)) < 0)
		return r;
	jpath_join(pp, path, "parameters");
	if (!params)
		return jpath_fail(c, path, "'parameters' is missing");
	if ((r = jpath_check_keys(c, params, pp, params_rules)) < 0 ||
	    (r = jpath_get(c, params, pp, "high-availability", json_type_array,
			   "a list", &arr)) < 0)
		return r;
	jpath_join(p, pp, "high-availability");
	if (!arr || json_object_array_length(arr) != 1)
		return jpath_fail(c, arr ? p : pp,
				  "exactly one relationship is supported "
				  "(Kea's hub-and-spoke lists several)");
	/* The shared database is what makes the pair safe: every grant is
	 * a conditional write there (docs/design.md). */
	if (!c->cfg->lease_db.type ||
	    strcmp(c->cfg->lease_db.type, "postgresql"))
		return jpath_fail(c, path,
				  "high availability needs \"lease-database\": "
				  "{\"type\": \"postgresql\"}, shared by the "
				  "peers (a %s file is one server's)",
				  c->cfg->lease_db.type ? c->cfg->lease_db.type
							: "SQLite");
	jpath_idx(pp, p, 0);
	r = parse_relationship(c, json_object_array_get_idx(arr, 0), pp,
			       &c->cfg->ha);
	if (r)
		c->cfg->ha.mode = DX_HA_OFF;
	return r ? r : 1;
}

bool ha_scope_known(const void *arg, const char *scope)
{
	const struct dx_config *cfg = arg;

	for (size_t i = 0; cfg->ha.mode && i < cfg->ha.n_peers; i++)
		if (!strcmp(cfg->ha.peers[i].name, scope))
			return true;
	return false;
}
