/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * PostgreSQL: the lease database's schema (lease_db_pgsql_schema.c). Not
 * part of the store's API.
 */
#ifndef DHCPXDP_LEASE_DB_PGSQL_SCHEMA_H
#define DHCPXDP_LEASE_DB_PGSQL_SCHEMA_H

#include <stddef.h>
#include <libpq-fe.h>

/* The schema's version on conn (0: none). */
int pgsql_schema_version(PGconn *conn, int *version, char *err, size_t errlen);
/* INIT or UPGRADE (enum lease_db_admin_op) on conn, name for messages. */
int pgsql_schema_change(PGconn *conn, const char *name, int op, int *version,
			char *err, size_t errlen);

#endif
