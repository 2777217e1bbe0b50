// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Kea's host database on PostgreSQL (hosts_db_internal.h): the schema
 * checked, the hosts read in one query. The connection is the lease
 * database's code (lease_db_pgsql_conn.c), opened for one read and
 * closed: nothing is held between reloads.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "store/hosts_db.h"
#include "store/hosts_db_internal.h"
#include "store/lease_db_pgsql_conn.h"
#include "util/errmsg.h"

/* Kea's schema versions (schema_version.version) whose hosts and
 * dhcp4_options have the columns read: 13 is Kea 2.2's. */
#define SCHEMA_MIN 7
#define SCHEMA_MAX 13

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
	ret = hosts_db_check_version(db->base.name, major, minor, SCHEMA_MIN,
				     SCHEMA_MAX, "Kea 2.2's", err, errlen);
out:
	PQclear(res);
	return ret;
}

static const char *pg_field(void *res, size_t row, int col)
{
	return PQgetisnull(res, (int)row, col) ? NULL
					       : PQgetvalue(res, (int)row, col);
}

int hosts_db_pgsql_read(const struct dx_hosts_db_conf *conf,
			struct json_object *hosts, size_t *n, char *err,
			size_t errlen)
{
	struct pgsql_db *db = NULL;
	struct hosts_rows rows = {.field = pg_field};
	PGresult *res = NULL;
	int ret;

	ret = pgsql_conn_open_as(&conf->db, "host database", false, NULL, &db,
				 err, errlen);
	if (ret)
		return ret;
	if ((ret = check_schema(db, err, errlen)))
		goto out;
	res = PQexec(db->conn,
		     HOSTS_DB_SELECT("encode(h.dhcp_identifier, 'hex')",
				     "encode(o.value, 'hex')"));
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		ret = -EIO;
		errmsg(err, errlen, 0, "%s: reading hosts: %s", db->base.name,
		       PQresultErrorMessage(res));
		goto out;
	}
	rows.res = res;
	rows.n = (size_t)PQntuples(res);
	ret = hosts_db_collect(conf, &rows, hosts, n, err, errlen);
out:
	PQclear(res);
	pgsql_conn_close(&db->base);
	return ret;
}
