// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Dhcp4.lease-database: Kea's keys for a SQLite file or a PostgreSQL
 * database, TLS to the server included (db_tls_conf.c). What dhcpxdp
 * cannot honour is refused with the reason, so a configuration never runs
 * with a setting it silently lost.
 */
#include "config/config.h"
#include "config/config_internal.h"

static const struct key_rule lease_db_rules[] = {
	{"type", K_HANDLED, NULL},
	{"name", K_HANDLED, NULL},
	{"host", K_HANDLED, NULL},
	{"port", K_HANDLED, NULL},
	{"user", K_HANDLED, NULL},
	{"password", K_HANDLED, NULL},
	{"connect-timeout", K_HANDLED, NULL},
	{"max-reconnect-tries", K_HANDLED, NULL},
	{"reconnect-wait-time", K_HANDLED, NULL},
	{"on-fail", K_HANDLED, NULL},
	{"retry-on-startup", K_HANDLED, NULL}, /* false only */
	{"lfc-interval", K_IGNORED, NULL},
	{"persist", K_IGNORED, NULL},
	{"tcp-user-timeout", K_HANDLED, NULL}, /* the rest: PostgreSQL only */
	{"trust-anchor", K_HANDLED, NULL},
	{"cert-file", K_HANDLED, NULL},
	{"key-file", K_HANDLED, NULL},
	{"ssl-mode", K_HANDLED, NULL},
	{"read-timeout", K_UNSUPPORTED, "a MySQL setting"},
	{"write-timeout", K_UNSUPPORTED, "a MySQL setting"},
	{"readonly", K_UNSUPPORTED, "the lease database is always written"},
	{"cipher-list", K_UNSUPPORTED, DB_PGSQL_NO_CIPHER_LIST},
	{NULL, 0, NULL},
};

static const char *const on_fail_names[] = {
	[DX_DB_STOP_RETRY_EXIT] = "stop-retry-exit",
	[DX_DB_SERVE_RETRY_EXIT] = "serve-retry-exit",
	[DX_DB_SERVE_RETRY_CONTINUE] = "serve-retry-continue",
};

static int parse_type(struct config_ctx *c, const char *path, const char *type)
{
	char p[CONFIG_PATH_LEN];

	jpath_join(p, path, "type");
	if (!strcmp(type, "memfile"))
		return jpath_fail(
			c, p,
			"'memfile' (Kea's CSV lease file) is not "
			"supported: dhcpxdp keeps leases in SQLite or "
			"PostgreSQL; set \"type\": \"sqlite\" and \"name\" to "
			"the database file, then bring Kea's leases across "
			"with 'dhcpxdp leases import --format kea-csv FILE'");
	if (strcmp(type, "sqlite") && strcmp(type, "postgresql"))
		return jpath_fail(c, p,
				  "'%s' is not supported: dhcpxdp keeps "
				  "leases in SQLite or PostgreSQL; use "
				  "\"type\": \"sqlite\" or \"postgresql\"",
				  type);
	return config_set_str(&c->cfg->lease_db.type, type);
}

static int parse_on_fail(struct config_ctx *c, struct json_object *o,
			 const char *path, struct dx_lease_db_conf *db)
{
	const char *v = NULL;
	char p[CONFIG_PATH_LEN];
	int r;

	r = jpath_str(c, o, path, "on-fail", &v);
	if (r <= 0)
		return r;
	for (size_t i = 0; i < sizeof(on_fail_names) / sizeof(*on_fail_names);
	     i++)
		if (!strcmp(v, on_fail_names[i])) {
			db->on_fail = (enum dx_db_on_fail)i;
			return 0;
		}
	return jpath_fail(c, jpath_join(p, path, "on-fail"),
			  "'%s' is not one of \"stop-retry-exit\", "
			  "\"serve-retry-exit\", \"serve-retry-continue\"",
			  v);
}

/* The strings of a PostgreSQL connection; each copied when present. */
static int parse_strings(struct config_ctx *c, struct json_object *o,
			 const char *path, struct dx_lease_db_conf *db)
{
	const struct jpath_str_dst s[] = {{"name", &db->name},
					  {"host", &db->host},
					  {"user", &db->user},
					  {"password", &db->password}};

	return jpath_strs(c, o, path, s, sizeof(s) / sizeof(*s));
}

/* The keys of a server connection, refused for a SQLite file. */
static int parse_server(struct config_ctx *c, struct json_object *o,
			const char *path, bool pgsql,
			struct dx_lease_db_conf *db)
{
	static const char *const server_keys[] = {
		"host",	    "port",	    "user",
		"password", "trust-anchor", "cert-file",
		"key-file", "ssl-mode",	    "tcp-user-timeout"};
	char p[CONFIG_PATH_LEN];
	uint32_t port = 0;
	bool retry = false;
	int r;

	for (size_t i = 0;
	     !pgsql && i < sizeof(server_keys) / sizeof(*server_keys); i++)
		if (json_object_object_get_ex(o, server_keys[i], NULL))
			return jpath_fail(c,
					  jpath_join(p, path, server_keys[i]),
					  "only for \"type\": \"postgresql\"; "
					  "a SQLite database is a local file");
	if ((r = jpath_u32(c, o, path, "port", 1, 65535, &port)) < 0 ||
	    (r = jpath_u32(c, o, path, "connect-timeout", 1, 3600,
			   &db->connect_timeout)) < 0 ||
	    (r = jpath_u32(c, o, path, "max-reconnect-tries", 0, UINT32_MAX,
			   &db->max_reconnect_tries)) < 0 ||
	    (r = jpath_u32(c, o, path, "reconnect-wait-time", 0, 86400000,
			   &db->reconnect_wait_time)) < 0 ||
	    (r = jpath_bool(c, o, path, "retry-on-startup", &retry)) < 0 ||
	    (r = parse_on_fail(c, o, path, db)) < 0)
		return r;
	db->port = (uint16_t)port;
	db->retry_on_startup = retry;
	return 0;
}

int db_conn_conf_parse(struct config_ctx *c, struct json_object *o,
		       const char *path, struct dx_lease_db_conf *db)
{
	int r;

	if ((r = parse_strings(c, o, path, db)) ||
	    (r = parse_server(c, o, path, true, db)))
		return r;
	return 0;
}

int lease_db_conf_parse(struct config_ctx *c)
{
	const char *path = "Dhcp4.lease-database", *type = NULL;
	struct dx_config *cfg = c->cfg;
	struct json_object *o;
	char p[CONFIG_PATH_LEN];
	bool pgsql;
	int r;

	r = jpath_get(c, c->dhcp4, "Dhcp4", "lease-database", json_type_object,
		      "an object", &o);
	if (r <= 0)
		return r;
	if ((r = jpath_check_keys(c, o, path, lease_db_rules)) < 0 ||
	    (r = jpath_str(c, o, path, "type", &type)) < 0 ||
	    (type && (r = parse_type(c, path, type))))
		return r;
	pgsql = !strcmp(cfg->lease_db.type, "postgresql");
	/* No default database name on a server: Kea requires it too. */
	if (pgsql && !json_object_object_get_ex(o, "name", NULL))
		return jpath_fail(c, jpath_join(p, path, "name"),
				  "required for \"type\": \"postgresql\": the "
				  "database to keep the leases in");
	if ((r = parse_strings(c, o, path, &cfg->lease_db)) ||
	    (r = parse_server(c, o, path, pgsql, &cfg->lease_db)) ||
	    (r = db_tls_conf_parse(c, o, path, pgsql, &cfg->lease_db)))
		return r;
	/* Kea's seconds; libpq's tcp_user_timeout is in ms (the store's
	 * connection converts). */
	if ((r = jpath_u32(c, o, path, "tcp-user-timeout", 0, 3600,
			   &cfg->lease_db.tcp_user_timeout)) < 0)
		return r;
	if (cfg->lease_db.retry_on_startup)
		return jpath_fail(c, jpath_join(p, path, "retry-on-startup"),
				  "true is not supported: the daemon needs the "
				  "leases before it serves; systemd restarts "
				  "it (Restart=on-failure)");
	return 0;
}

int db_conn_conf_dup(struct dx_lease_db_conf *dst,
		     const struct dx_lease_db_conf *src)
{
	char **s[] = {&dst->type,	&dst->name,	&dst->host,
		      &dst->user,	&dst->password, &dst->trust_anchor,
		      &dst->cert_file,	&dst->key_file, &dst->ssl_mode,
		      &dst->cipher_list};
	size_t n = sizeof(s) / sizeof(s[0]);

	*dst = *src;
	for (size_t i = 0; i < n; i++)
		if (*s[i] && !(*s[i] = strdup(*s[i]))) {
			/* the rest are still src's: not ours to free */
			for (size_t j = i + 1; j < n; j++)
				*s[j] = NULL;
			db_conn_conf_free(dst);
			return -ENOMEM;
		}
	return 0;
}

void db_conn_conf_free(struct dx_lease_db_conf *db)
{
	free(db->type);
	free(db->name);
	free(db->host);
	free(db->user);
	free(db->password);
	free(db->trust_anchor);
	free(db->cert_file);
	free(db->key_file);
	free(db->ssl_mode);
	free(db->cipher_list);
}
