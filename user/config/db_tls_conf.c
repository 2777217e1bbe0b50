// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * TLS to a database server, Kea's keys: trust-anchor, cert-file and
 * key-file (PostgreSQL and MySQL) and ssl-mode (PostgreSQL). One parser
 * for Dhcp4.lease-database and Dhcp4.hosts-databases, so both mean the
 * same by them; the keys one server's client has no use for are refused
 * by the caller, which knows the server.
 */
#include "config/config.h"
#include "config/config_internal.h"

static const char *const ssl_modes[] = {"disable",   "prefer",	    "require",
					"verify-ca", "verify-full", NULL};

/* Kea's ssl-mode: libpq's sslmode, the same five words. */
static int parse_ssl_mode(struct config_ctx *c, struct json_object *o,
			  const char *path, struct dx_lease_db_conf *db)
{
	const char *v = NULL;
	char p[CONFIG_PATH_LEN];
	int r;

	if ((r = jpath_str(c, o, path, "ssl-mode", &v)) <= 0)
		return r;
	for (size_t i = 0; ssl_modes[i]; i++)
		if (!strcmp(v, ssl_modes[i]))
			return config_set_str(&db->ssl_mode, v);
	return jpath_fail(c, jpath_join(p, path, "ssl-mode"),
			  "'%s' is not one of \"disable\", \"prefer\", "
			  "\"require\", \"verify-ca\", \"verify-full\"",
			  v);
}

/* trust-anchor, cert-file, key-file: libpq's sslrootcert, sslcert and
 * sslkey. Kea wants a key with a certificate and the other way round. */
static int parse_files(struct config_ctx *c, struct json_object *o,
		       const char *path, struct dx_lease_db_conf *db)
{
	const struct jpath_str_dst s[] = {{"trust-anchor", &db->trust_anchor},
					  {"cert-file", &db->cert_file},
					  {"key-file", &db->key_file}};
	char p[CONFIG_PATH_LEN];
	int r;

	if ((r = jpath_strs(c, o, path, s, sizeof(s) / sizeof(*s))))
		return r;
	if (!db->cert_file != !db->key_file)
		return jpath_fail(
			c,
			jpath_join(p, path,
				   db->cert_file ? "key-file" : "cert-file"),
			"required with \"%s\": a client certificate "
			"goes with its key",
			db->cert_file ? "cert-file" : "key-file");
	return 0;
}

int db_tls_conf_parse(struct config_ctx *c, struct json_object *o,
		      const char *path, bool pgsql, struct dx_lease_db_conf *db)
{
	int r;

	if ((r = parse_files(c, o, path, db)) < 0)
		return r;
	return pgsql ? parse_ssl_mode(c, o, path, db) : 0;
}
