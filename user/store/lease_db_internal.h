/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What the lease database's back ends share, not part of its API
 * (lease_db.h): lease_db.c checks the arguments and dispatches through
 * the ops of the back end that opened the database,
 *
 *   lease_db_sqlite.c        a SQLite file (WAL, synchronous=FULL)
 *   lease_db_pgsql.c         PostgreSQL: opening, commits and reads of
 *                            lease rows
 *   lease_db_pgsql_conn.c    PostgreSQL: the connection, its loss and the
 *                            reconnect attempts
 *   lease_db_pgsql_schema.c  PostgreSQL: the schema, its version and
 *                            upgrades (`dhcpxdp db`)
 *
 * Each back end's struct starts with a struct lease_db. This header
 * includes no header of the store (lease_db.c includes it: no loop), so
 * the API's types appear as what they are underneath.
 */
#ifndef DHCPXDP_LEASE_DB_INTERNAL_H
#define DHCPXDP_LEASE_DB_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct dx_lease_op;
struct dx_lease_rec;
struct dx_lease_db_conf;
struct lease_db;

struct lease_db_ops {
	void (*close)(struct lease_db *db);
	/* n > 0 operations, already checked by lease_db_commit_claim();
	 * lost: NULL, or n zeroed bytes to mark the operations that found
	 * the row another client's (lease_db.h). */
	int (*commit)(struct lease_db *db, const struct dx_lease_op *ops,
		      size_t n, uint8_t *lost);
	/* NULL: no notifications (lease_db_watch_open). */
	int (*notify_fd)(const struct lease_db *db);
	int (*notifications)(struct lease_db *db,
			     int (*cb)(uint32_t subnet_id, uint32_t addr,
				       int pid, void *arg),
			     void *arg);
	int (*backend_pid)(const struct lease_db *db);
	int (*check_file)(struct lease_db *db);
	int (*load)(struct lease_db *db,
		    int (*cb)(const struct dx_lease_rec *rec, void *arg),
		    void *arg);
	int (*get_by_addr)(struct lease_db *db, uint32_t subnet_id,
			   uint32_t addr, struct dx_lease_rec *out);
	int (*get_by_mac)(struct lease_db *db, uint32_t subnet_id,
			  const uint8_t mac[6], struct dx_lease_rec *out);
	/* NULL: the back end has no connection to lose. */
	int (*reconnect)(struct lease_db *db);
	int (*link)(const struct lease_db *db); /* enum lease_db_link */
	bool (*thread_safe)(void);
};

struct lease_db {
	const struct lease_db_ops *ops;
	char name[256];	  /* for messages: the file, or the database */
	char errmsg[512]; /* the last failure */
};

/* Set the message of the last failure; returns ret. */
static inline __attribute__((format(printf, 3, 4))) int
lease_db_fail(struct lease_db *db, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(db->errmsg, sizeof(db->errmsg), fmt, ap);
	va_end(ap);
	return ret;
}

/* op is an enum lease_db_admin_op. */
int lease_db_sqlite_open(const char *path, struct lease_db **out, char *err,
			 size_t errlen);
int lease_db_sqlite_admin(const char *path, int op, int *version, char *err,
			  size_t errlen);
int lease_db_pgsql_open(const struct dx_lease_db_conf *conf,
			struct lease_db **out, char *err, size_t errlen);
int lease_db_pgsql_watch_open(const struct dx_lease_db_conf *conf,
			      struct lease_db **out, char *err, size_t errlen);
int lease_db_pgsql_admin(const struct dx_lease_db_conf *conf, int op,
			 int *version, char *err, size_t errlen);

#endif
