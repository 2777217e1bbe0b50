// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Dhcp4.hosts-database and Dhcp4.hosts-databases: Kea's host databases,
 * PostgreSQL or MySQL in Kea's own schema. The connection keys are the lease
 * database's (lease_db_conf.c), TLS too (db_tls_conf.c); what dhcpxdp
 * cannot honour is refused with the reason. The rows are read by the daemon (store/hosts_db.h),
 * never by the loader: check-config works without the database.
 */
#include <stdio.h>

#include "config/config.h"
#include "config/config_internal.h"

static const struct key_rule hosts_db_rules[] = {
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
	{"retry-on-startup", K_HANDLED, NULL},
	{"readonly", K_HANDLED, NULL}, /* dhcpxdp never writes hosts */
	{"trust-anchor", K_HANDLED, NULL},
	{"cert-file", K_HANDLED, NULL},
	{"key-file", K_HANDLED, NULL},
	{"ssl-mode", K_HANDLED, NULL},	       /* PostgreSQL only */
	{"tcp-user-timeout", K_HANDLED, NULL}, /* PostgreSQL only */
	{"cipher-list", K_HANDLED, NULL},      /* MySQL only */
	{"read-timeout", K_HANDLED, NULL},     /* MySQL only */
	{"write-timeout", K_HANDLED, NULL},    /* MySQL only */
	{NULL, 0, NULL},
};

/* The keys one server's client has no setting for, and why. */
static const struct {
	const char *key;
	bool mysql; /* refused for MySQL (else for PostgreSQL) */
	const char *why;
} other_server[] = {
	{"cipher-list", false, DB_PGSQL_NO_CIPHER_LIST},
	{"read-timeout", false, "a MySQL setting"},
	{"write-timeout", false, "a MySQL setting"},
	{"ssl-mode", true, "a PostgreSQL setting"},
	{"tcp-user-timeout", true,
	 "a PostgreSQL setting: the MySQL client has read-timeout and "
	 "write-timeout"},
};

static int check_server_keys(struct config_ctx *c, struct json_object *o,
			     const char *path, bool mysql)
{
	char p[CONFIG_PATH_LEN];

	for (size_t i = 0; i < sizeof(other_server) / sizeof(*other_server);
	     i++)
		if (other_server[i].mysql == mysql &&
		    json_object_object_get_ex(o, other_server[i].key, NULL))
			return jpath_fail(
				c, jpath_join(p, path, other_server[i].key),
				"'%s' is not supported by dhcpxdp for "
				"\"type\": \"%s\": %s",
				other_server[i].key,
				mysql ? "mysql" : "postgresql",
				other_server[i].why);
	return 0;
}

/* "postgresql" or "mysql" into *mysql. */
static int parse_type(struct config_ctx *c, struct json_object *o,
		      const char *path, bool *mysql)
{
	const char *type = NULL;
	char p[CONFIG_PATH_LEN];
	int r;

	jpath_join(p, path, "type");
	r = jpath_str(c, o, path, "type", &type);
	if (r < 0)
		return r;
	if (!r)
		return jpath_fail(c, p,
				  "required: \"postgresql\" or \"mysql\"");
	*mysql = !strcmp(type, "mysql");
	if (!*mysql && strcmp(type, "postgresql"))
		return jpath_fail(c, p,
				  "'%s' is not supported: use \"type\": "
				  "\"postgresql\" or \"mysql\"",
				  type);
	return 0;
}

/* MySQL's own keys: cipher-list, read-timeout, write-timeout (s). */
static int parse_mysql(struct config_ctx *c, struct json_object *o,
		       const char *path, struct dx_lease_db_conf *db)
{
	const char *v = NULL;
	uint32_t rt = 0, wt = 0;
	int r;

	if ((r = jpath_str(c, o, path, "cipher-list", &v)) < 0 ||
	    (v && (r = config_set_str(&db->cipher_list, v))) ||
	    (r = jpath_u32(c, o, path, "read-timeout", 0, 3600, &rt)) < 0 ||
	    (r = jpath_u32(c, o, path, "write-timeout", 0, 3600, &wt)) < 0)
		return r;
	db->read_timeout = rt;
	db->write_timeout = wt;
	return 0;
}

static int parse_one(struct config_ctx *c, struct json_object *o,
		     const char *path, struct dx_hosts_db_conf *h)
{
	char p[CONFIG_PATH_LEN];
	bool readonly, mysql = false;
	int r;

	snprintf(h->path, sizeof(h->path), "%s", path);
	h->db.connect_timeout = CONFIG_DEFAULT_DB_TIMEOUT;
	/* The type first: the keys allowed are its server's. */
	if ((r = parse_type(c, o, path, &mysql)) < 0 ||
	    (r = jpath_check_keys(c, o, path, hosts_db_rules)) < 0 ||
	    (r = check_server_keys(c, o, path, mysql)) < 0 ||
	    (r = jpath_bool(c, o, path, "readonly", &readonly)) < 0)
		return r;
	if ((r = config_set_str(&h->db.type, mysql ? "mysql" : "postgresql")))
		return r;
	if (!json_object_object_get_ex(o, "name", NULL))
		return jpath_fail(c, jpath_join(p, path, "name"),
				  "required: the database holding Kea's "
				  "hosts tables");
	if ((r = db_conn_conf_parse(c, o, path, &h->db)) ||
	    (r = db_tls_conf_parse(c, o, path, !mysql, &h->db)))
		return r;
	if (mysql)
		return parse_mysql(c, o, path, &h->db);
	if ((r = jpath_u32(c, o, path, "tcp-user-timeout", 0, 3600,
			   &h->db.tcp_user_timeout)) < 0)
		return r;
	return 0;
}

static int add(struct config_ctx *c, struct json_object *o, const char *path)
{
	struct dx_config *cfg = c->cfg;
	struct dx_hosts_db_conf *v;

	if (json_object_get_type(o) != json_type_object)
		return jpath_fail(c, path, "expected an object, got %s",
				  jpath_type_desc(o));
	v = realloc(cfg->hosts_dbs, (cfg->n_hosts_dbs + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	cfg->hosts_dbs = v;
	v = &cfg->hosts_dbs[cfg->n_hosts_dbs++];
	memset(v, 0, sizeof(*v));
	return parse_one(c, o, path, v);
}

int hosts_db_conf_parse(struct config_ctx *c)
{
	struct json_object *one = NULL, *list = NULL;
	char p[CONFIG_PATH_LEN];
	int r;

	if ((r = jpath_get(c, c->dhcp4, "Dhcp4", "hosts-database",
			   json_type_object, "an object", &one)) < 0 ||
	    (r = jpath_get(c, c->dhcp4, "Dhcp4", "hosts-databases",
			   json_type_array, "a list", &list)) < 0)
		return r;
	if (one && list)
		return jpath_fail(c, "Dhcp4.hosts-database",
				  "give either \"hosts-database\" or "
				  "\"hosts-databases\", not both");
	if (one)
		return add(c, one, "Dhcp4.hosts-database");
	for (size_t i = 0; list && i < json_object_array_length(list); i++)
		if ((r = add(c, json_object_array_get_idx(list, i),
			     jpath_idx(p, "Dhcp4.hosts-databases", i))))
			return r;
	return 0;
}

void hosts_db_conf_free(struct dx_config *cfg)
{
	for (size_t i = 0; i < cfg->n_hosts_dbs; i++)
		db_conn_conf_free(&cfg->hosts_dbs[i].db);
	free(cfg->hosts_dbs);
}
