// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Kea's host database on PostgreSQL, read whole (hosts_db.h). The schema
 * is Kea's (kea-admin db-init pgsql): hosts holds one row per host, its
 * identifier (dhcp_identifier, dhcp_identifier_type as in the table
 * host_identifier_type: 0 hw-address, 1 duid, 2 circuit-id, 3 client-id,
 * 4 flex-id), its IPv4 subnet (dhcp4_subnet_id; 0 is Kea's
 * SUBNET_ID_GLOBAL, NULL or 2^32-1 a host without an IPv4 reservation)
 * and the IPv4 fields; dhcp4_options holds its options (host_id, code,
 * space, and the data either as text in formatted_value, Kea's
 * csv-format, or as bytes in value).
 *
 * The connection is the lease database's code (lease_db_pgsql_conn.c),
 * opened for one read and closed: nothing is held between reloads.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "config/config.h"
#include "store/hosts_db.h"
#include "store/lease_db_pgsql_conn.h"
#include "util/errmsg.h"

/* host_identifier_type's names, Kea's reservation keys. */
static const char *const id_keys[] = {"hw-address", "duid", "circuit-id",
				      "client-id", "flex-id"};

enum {
	C_HOST_ID,
	C_ID,
	C_ID_TYPE,
	C_SUBNET,
	C_ADDR,
	C_HOSTNAME,
	C_CLASSES,
	C_NEXT_SERVER,
	C_SERVER_HOSTNAME,
	C_BOOT_FILE,
	C_OPT_CODE,
	C_OPT_VALUE,
	C_OPT_FORMATTED,
	C_OPT_SPACE,
	C_OPT_PERSISTENT,
};

/* One row per (host, option), the hosts in order: LEFT JOIN keeps a host
 * without options. Bytes come as hex, addresses as numbers. */
static const char select_hosts[] =
	"SELECT h.host_id, encode(h.dhcp_identifier, 'hex'),"
	" h.dhcp_identifier_type, h.dhcp4_subnet_id, h.ipv4_address,"
	" h.hostname, h.dhcp4_client_classes, h.dhcp4_next_server,"
	" h.dhcp4_server_hostname, h.dhcp4_boot_file_name,"
	" o.code, encode(o.value, 'hex'), o.formatted_value, o.space,"
	" o.persistent"
	" FROM hosts h LEFT JOIN dhcp4_options o ON o.host_id = h.host_id"
	" WHERE h.dhcp4_subnet_id IS NOT NULL"
	" AND h.dhcp4_subnet_id <> 4294967295"
	" ORDER BY h.host_id, o.option_id";

/* Kea's schema, of a version whose columns we know? */
static int check_schema(struct pgsql_db *db, char *err, size_t errlen)
{
	PGresult *res;
	int major = -1, minor = 0, ret = 0;

	res = PQexec(db->conn, "SELECT to_regclass('schema_version'),"
			       " to_regclass('hosts')");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		ret = -EIO;
		errmsg(err, errlen, 0, "%s: %s", db->base.name,
		       PQresultErrorMessage(res));
		goto out;
	}
	if (PQgetisnull(res, 0, 0) || PQgetisnull(res, 0, 1)) {
		ret = -EPROTONOSUPPORT;
		errmsg(err, errlen, 0,
		       "%s has no Kea schema: create it with 'kea-admin "
		       "db-init pgsql'",
		       db->base.name);
		goto out;
	}
	PQclear(res);
	res = PQexec(db->conn, "SELECT version, minor FROM schema_version");
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
		major = atoi(PQgetvalue(res, 0, 0));
		minor = atoi(PQgetvalue(res, 0, 1));
	}
	if (major < HOSTS_DB_PGSQL_SCHEMA_MIN ||
	    major > HOSTS_DB_PGSQL_SCHEMA_MAX) {
		ret = -EPROTONOSUPPORT;
		errmsg(err, errlen, 0,
		       "%s: Kea schema version %d.%d is not one dhcpxdp "
		       "reads (%d to %d; %d is Kea 2.2's): its hosts table "
		       "may differ",
		       db->base.name, major, minor, HOSTS_DB_PGSQL_SCHEMA_MIN,
		       HOSTS_DB_PGSQL_SCHEMA_MAX, HOSTS_DB_PGSQL_SCHEMA_MAX);
	}
out:
	PQclear(res);
	return ret;
}

static const char *field(PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

/* "0a1b2c" as Kea writes identifiers and option data: "0a:1b:2c". */
static struct json_object *hex_colons(const char *hex)
{
	size_t l = strlen(hex), o = 0;
	char *s = malloc(l / 2 * 3 + 1);
	struct json_object *j;

	if (!s)
		return NULL;
	for (size_t i = 0; i + 1 < l; i += 2) {
		if (o)
			s[o++] = ':';
		s[o++] = hex[i];
		s[o++] = hex[i + 1];
	}
	s[o] = '\0';
	j = json_object_new_string(s);
	free(s);
	return j;
}

/* An IPv4 address kept as a number (host order) in a BIGINT. */
static struct json_object *addr_of(const char *num)
{
	unsigned long long a = strtoull(num, NULL, 10);
	char s[16];

	snprintf(s, sizeof(s), "%llu.%llu.%llu.%llu", a >> 24 & 255,
		 a >> 16 & 255, a >> 8 & 255, a & 255);
	return json_object_new_string(s);
}

/* Kea keeps a host's classes as one comma-separated string. */
static struct json_object *classes_of(const char *csv)
{
	struct json_object *a = json_object_new_array();
	char *copy = strdup(csv), *save = NULL, *t;

	if (!a || !copy)
		goto fail;
	for (t = strtok_r(copy, ", ", &save); t;
	     t = strtok_r(NULL, ", ", &save))
		if (json_object_array_add(a, json_object_new_string(t)))
			goto fail;
	free(copy);
	return a;
fail:
	free(copy);
	json_object_put(a);
	return NULL;
}

/* Set key of o unless v is NULL or "" ("" is Kea's "not set" too). */
static int put(struct json_object *o, const char *key, const char *v,
	       struct json_object *(*conv)(const char *))
{
	struct json_object *j;

	if (!v || !v[0])
		return 0;
	j = conv ? conv(v) : json_object_new_string(v);
	if (!j || json_object_object_add(o, key, j)) {
		json_object_put(j);
		return -ENOMEM;
	}
	return 0;
}

/* One dhcp4_options row of the host into its option-data list. */
static int add_option(struct json_object *list, PGresult *res, int row)
{
	const char *fmt = field(res, row, C_OPT_FORMATTED);
	const char *val = field(res, row, C_OPT_VALUE);
	const char *space = field(res, row, C_OPT_SPACE);
	const char *pers = field(res, row, C_OPT_PERSISTENT);
	struct json_object *o = json_object_new_object();
	bool csv = fmt && fmt[0];
	int ret = -ENOMEM;

	if (!o)
		return -ENOMEM;
	json_object_object_add(
		o, "code",
		json_object_new_int(atoi(field(res, row, C_OPT_CODE))));
	json_object_object_add(
		o, "space",
		json_object_new_string(space && space[0] ? space : "dhcp4"));
	/* Kea: the text when there is some, else the raw bytes. */
	json_object_object_add(o, "csv-format", json_object_new_boolean(csv));
	if (csv)
		json_object_object_add(o, "data", json_object_new_string(fmt));
	else
		json_object_object_add(o, "data", hex_colons(val ? val : ""));
	if (pers && pers[0] == 't')
		json_object_object_add(o, "always-send",
				       json_object_new_boolean(true));
	if (!json_object_array_add(list, o))
		ret = 0;
	else
		json_object_put(o);
	return ret;
}

/* The host of row (its first row), without options. */
static int host_of(const struct dx_hosts_db_conf *conf, PGresult *res, int row,
		   struct json_object **out, char *err, size_t errlen)
{
	const char *addr = field(res, row, C_ADDR);
	const char *ns = field(res, row, C_NEXT_SERVER);
	int type = atoi(field(res, row, C_ID_TYPE));
	struct json_object *o;
	char origin[160];

	*out = NULL;
	if (type < 0 || type >= (int)(sizeof(id_keys) / sizeof(*id_keys)))
		return errmsg(err, errlen, -EINVAL,
			      "%s: host_id %s: dhcp_identifier_type %d is "
			      "none of Kea's",
			      conf->path, field(res, row, C_HOST_ID), type);
	if (!(o = json_object_new_object()))
		return -ENOMEM;
	snprintf(origin, sizeof(origin), "%s, host_id %s", conf->path,
		 field(res, row, C_HOST_ID));
	json_object_object_add(
		o, "subnet-id",
		json_object_new_int64(atoll(field(res, row, C_SUBNET))));
	if (put(o, "comment", origin, NULL) ||
	    put(o, id_keys[type], field(res, row, C_ID), hex_colons) ||
	    (addr && strcmp(addr, "0") &&
	     put(o, "ip-address", addr, addr_of)) ||
	    put(o, "hostname", field(res, row, C_HOSTNAME), NULL) ||
	    put(o, "client-classes", field(res, row, C_CLASSES), classes_of) ||
	    (ns && strcmp(ns, "0") && put(o, "next-server", ns, addr_of)) ||
	    put(o, "server-hostname", field(res, row, C_SERVER_HOSTNAME),
		NULL) ||
	    put(o, "boot-file-name", field(res, row, C_BOOT_FILE), NULL)) {
		json_object_put(o);
		return -ENOMEM;
	}
	*out = o;
	return 0;
}

/* The rows of res into hosts, one object per host_id. */
static int collect(const struct dx_hosts_db_conf *conf, PGresult *res,
		   struct json_object *hosts, size_t *n, char *err,
		   size_t errlen)
{
	struct json_object *host = NULL, *opts = NULL;
	const char *cur = NULL;
	int ret = 0;

	for (int r = 0; !ret && r < PQntuples(res); r++) {
		if (!cur || strcmp(cur, field(res, r, C_HOST_ID))) {
			cur = field(res, r, C_HOST_ID);
			if ((ret = host_of(conf, res, r, &host, err, errlen)))
				break;
			if (json_object_array_add(hosts, host)) {
				json_object_put(host);
				ret = -ENOMEM;
				break;
			}
			(*n)++;
			opts = NULL;
		}
		if (PQgetisnull(res, r, C_OPT_CODE))
			continue;
		if (!opts) {
			opts = json_object_new_array();
			if (!opts)
				ret = -ENOMEM;
			else
				json_object_object_add(host, "option-data",
						       opts);
		}
		if (!ret)
			ret = add_option(opts, res, r);
	}
	if (ret == -ENOMEM)
		errmsg(err, errlen, 0, "%s: out of memory", conf->path);
	return ret;
}

/* libpq's messages run over lines ("\n\tIs the server running..."):
 * one log line each. */
static void one_line(char *s)
{
	size_t l = strlen(s);

	while (l && (s[l - 1] == '\n' || s[l - 1] == ' '))
		s[--l] = '\0';
	for (char *p = s; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
}

int hosts_db_read(const struct dx_hosts_db_conf *conf,
		  struct json_object *hosts, size_t *n, char *err,
		  size_t errlen)
{
	struct pgsql_db *db = NULL;
	PGresult *res = NULL;
	int ret;

	*n = 0;
	ret = pgsql_conn_open_as(&conf->db, "host database", false, NULL, &db,
				 err, errlen);
	if (ret) {
		one_line(err);
		return ret;
	}
	if ((ret = check_schema(db, err, errlen)))
		goto out;
	res = PQexec(db->conn, select_hosts);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		ret = -EIO;
		errmsg(err, errlen, 0, "%s: reading hosts: %s", db->base.name,
		       PQresultErrorMessage(res));
		goto out;
	}
	ret = collect(conf, res, hosts, n, err, errlen);
out:
	PQclear(res);
	pgsql_conn_close(&db->base);
	if (ret)
		one_line(err);
	return ret;
}
