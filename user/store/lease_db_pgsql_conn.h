/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * PostgreSQL: the connection of a lease database, lost and made again
 * (lease_db_pgsql_conn.c); also of a host database, opened for one read
 * (hosts_db_pgsql.c). Not part of the store's API.
 */
#ifndef DHCPXDP_LEASE_DB_PGSQL_CONN_H
#define DHCPXDP_LEASE_DB_PGSQL_CONN_H

#include <stdbool.h>
#include <stdint.h>
#include <libpq-fe.h>
#include "store/lease_db_internal.h"

/* libpq's connection keywords we set, and a NULL to end them. */
#define PGSQL_N_PARAMS 14

struct pgsql_db {
	struct lease_db base;
	PGconn *conn; /* NULL or CONNECTION_BAD while down */
	const char *keys[PGSQL_N_PARAMS + 1], *vals[PGSQL_N_PARAMS + 1];
	char port[8], timeout[12], tcp_timeout[16];
	char *dbname, *host, *user, *password;
	uint32_t max_tries, wait_ms;
	/* Run on every new connection that holds the schema: the
	 * statements prepared (lease_db_pgsql.c). */
	int (*prepare)(PGconn *conn, char *err, size_t errlen);
	/* The server process of the connection, 0 while down: read by
	 * another thread (lease_db_backend_pid), so set atomically. */
	int pid;
	/* The connection was lost: reconnect attempts. */
	bool down, gave_up;
	uint32_t tries;	     /* failed attempts since the loss */
	int64_t next_try_ms; /* CLOCK_MONOTONIC: no attempt before this */
};

/*
 * A pgsql_db for conf (not connected yet; its name set for messages),
 * then connected: with schema true, to this build's schema only, and
 * prepared. On failure *out is NULL and err says why.
 */
int pgsql_conn_open(const struct dx_lease_db_conf *conf, bool schema,
		    int (*prepare)(PGconn *, char *, size_t),
		    struct pgsql_db **out, char *err, size_t errlen);
/* The same, its messages naming it `what` ("host database") rather
 * than "lease database"; schema false checks no dhcpxdp schema. */
int pgsql_conn_open_as(const struct dx_lease_db_conf *conf, const char *what,
		       bool schema, int (*prepare)(PGconn *, char *, size_t),
		       struct pgsql_db **out, char *err, size_t errlen);
void pgsql_conn_close(struct lease_db *base);

/* A statement failed on db: its errno (-ENOTCONN when the connection
 * went with it), the message set naming what. */
int pgsql_fail(struct pgsql_db *db, PGresult *res, const char *what);
/* The connection up, reconnecting first when it is down and an attempt
 * is due: 0 or -ENOTCONN (with the message). */
int pgsql_ready(struct pgsql_db *db);

/* The ops of lease_db_internal.h that are the connection's. */
int pgsql_conn_reconnect(struct lease_db *base);
int pgsql_conn_link(const struct lease_db *base);
bool pgsql_conn_thread_safe(void);

#endif
