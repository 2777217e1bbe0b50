// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Kea's host database on MySQL or MariaDB (hosts_db_internal.h), with the
 * MariaDB client library: connected for one read - the schema checked,
 * the hosts read in one query - and closed. Kea's MySQL schema has the
 * columns of its PostgreSQL one (kea-admin db-init mysql).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mysql.h>

#include "config/config.h"
#include "store/hosts_db.h"
#include "store/hosts_db_internal.h"
#include "util/errmsg.h"

/* Kea's MySQL schema versions whose hosts and dhcp4_options have the
 * columns read: 14 is Kea 2.2's. */
#define SCHEMA_MIN 8
#define SCHEMA_MAX 14

#define ER_NO_SUCH_TABLE_ 1146 /* the server's error for a missing table */

struct my_rows {
	MYSQL_ROW *v;
};

static const char *my_field(void *res, size_t row, int col)
{
	return ((struct my_rows *)res)->v[row][col];
}

/* Kea's keys into the client's options, before connecting. */
static void set_options(MYSQL *m, const struct dx_lease_db_conf *db)
{
	unsigned int t = db->connect_timeout ? db->connect_timeout
					     : CONFIG_DEFAULT_DB_TIMEOUT;
	my_bool verify = 1;

	mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &t);
	if (db->read_timeout)
		mysql_options(m, MYSQL_OPT_READ_TIMEOUT, &db->read_timeout);
	if (db->write_timeout)
		mysql_options(m, MYSQL_OPT_WRITE_TIMEOUT, &db->write_timeout);
	if (db->trust_anchor || db->cert_file || db->cipher_list)
		mysql_ssl_set(m, db->key_file, db->cert_file, db->trust_anchor,
			      NULL, db->cipher_list);
	/* A trust anchor: the server's certificate is verified, as Kea. */
	if (db->trust_anchor)
		mysql_options(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
}

/* Kea's schema, of a version whose columns we know? */
static int check_schema(MYSQL *m, const char *name, char *err, size_t errlen)
{
	MYSQL_RES *res;
	MYSQL_ROW row;
	int major = -1, minor = 0;

	if (mysql_query(m, "SELECT version, minor FROM schema_version")) {
		if (mysql_errno(m) == ER_NO_SUCH_TABLE_)
			return errmsg(err, errlen, -EPROTONOSUPPORT,
				      "%s has no Kea schema: create it with "
				      "'kea-admin db-init mysql'",
				      name);
		return errmsg(err, errlen, -EIO, "%s: %s", name,
			      mysql_error(m));
	}
	res = mysql_store_result(m);
	if (res && (row = mysql_fetch_row(res)) && row[0] && row[1]) {
		major = atoi(row[0]);
		minor = atoi(row[1]);
	}
	mysql_free_result(res);
	return hosts_db_check_version(name, major, minor, SCHEMA_MIN,
				      SCHEMA_MAX, "Kea 2.2's", err, errlen);
}

/* The result's rows, for hosts_db_collect() to read in any order. */
static int read_rows(MYSQL_RES *res, struct my_rows *rows, size_t *n)
{
	MYSQL_ROW row;

	*n = (size_t)mysql_num_rows(res);
	rows->v = calloc(*n ? *n : 1, sizeof(*rows->v));
	if (!rows->v)
		return -ENOMEM;
	for (size_t i = 0; i < *n && (row = mysql_fetch_row(res)); i++)
		rows->v[i] = row;
	return 0;
}

int hosts_db_mysql_read(const struct dx_hosts_db_conf *conf,
			struct json_object *hosts, size_t *n, char *err,
			size_t errlen)
{
	const struct dx_lease_db_conf *db = &conf->db;
	const char *host = db->host ? db->host : "localhost", *sock = NULL;
	struct hosts_rows rows = {.field = my_field};
	struct my_rows my = {0};
	MYSQL_RES *res = NULL;
	char name[320];
	MYSQL *m;
	int ret;

	snprintf(name, sizeof(name), "host database %s on MySQL server %s",
		 db->name, host);
	/* A path is the server's Unix socket, as a PostgreSQL host is. */
	if (host[0] == '/') {
		sock = host;
		host = "localhost";
	}
	if (!(m = mysql_init(NULL)))
		return errmsg(err, errlen, -ENOMEM, "%s: out of memory", name);
	set_options(m, db);
	if (!mysql_real_connect(m, host, db->user, db->password, db->name,
				db->port, sock, 0)) {
		ret = errmsg(err, errlen, -ECONNREFUSED,
			     "%s: cannot connect: %s", name, mysql_error(m));
		goto out;
	}
	if ((ret = check_schema(m, name, err, errlen)))
		goto out;
	if (mysql_query(m, HOSTS_DB_SELECT("LOWER(HEX(h.dhcp_identifier))",
					   "LOWER(HEX(o.value))")) ||
	    !(res = mysql_store_result(m))) {
		ret = errmsg(err, errlen, -EIO, "%s: reading hosts: %s", name,
			     mysql_error(m));
		goto out;
	}
	if ((ret = read_rows(res, &my, &rows.n))) {
		errmsg(err, errlen, 0, "%s: out of memory", name);
		goto out;
	}
	rows.res = &my;
	ret = hosts_db_collect(conf, &rows, hosts, n, err, errlen);
out:
	free(my.v);
	mysql_free_result(res);
	mysql_close(m);
	return ret;
}
