// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Lease database on PostgreSQL: the connection (Kea's keys of
 * Dhcp4.lease-database), its loss and the reconnect attempts.
 *
 * Durability: every connection runs with synchronous_commit=on, whatever
 * the server's default, so a COMMIT returns only once the server flushed
 * its WAL: an ACK may follow (docs/design.md §2).
 *
 * A lost connection (docs/design.md §5): the statement under way fails
 * and so does its commit - a COMMIT whose answer never came may or may
 * not have happened, and the failure path treats it as not durable, which
 * is safe both ways (rows are keyed by (subnet, address): the next grant
 * overwrites a stale one). Then up to max-reconnect-tries attempts, one
 * per reconnect-wait-time, made by commits and lease_db_reconnect(); each
 * new connection checks the schema again and prepares the statements.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "store/lease_db.h"
#include "store/lease_db_pgsql_conn.h"
#include "store/lease_db_pgsql_schema.h"
#include "util/clock.h"
#include "util/errmsg.h"

static struct pgsql_db *pgsql_of(struct lease_db *base)
{
	return (struct pgsql_db *)base;
}

/* libpq's last words on conn, without their trailing newline. */
static const char *conn_msg(const PGconn *conn)
{
	static __thread char buf[256];
	size_t len;

	snprintf(buf, sizeof(buf), "%s",
		 conn ? PQerrorMessage(conn) : "out of memory");
	len = strlen(buf);
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		buf[--len] = '\0';
	return buf;
}

/* SQLSTATE classes to errno (PostgreSQL's appendix A). */
static int sqlstate_errno(const char *st)
{
	if (!st)
		return -EIO;
	if (!strncmp(st, "08", 2) || !strncmp(st, "57P", 3))
		return -ENOTCONN; /* connection exception, server shutdown */
	if (!strcmp(st, "53100"))
		return -ENOSPC; /* disk full */
	if (!strncmp(st, "53", 2))
		return -ENOMEM;
	if (!strcmp(st, "42501") || !strncmp(st, "28", 2))
		return -EACCES;
	if (!strcmp(st, "42P01") || !strcmp(st, "42703"))
		return -EPROTONOSUPPORT; /* no such table or column */
	if (!strncmp(st, "23", 2) || !strncmp(st, "22", 2))
		return -EINVAL;
	return -EIO;
}

/* The connection is gone: every commit fails until a reconnect. */
static void mark_down(struct pgsql_db *db)
{
	if (db->down)
		return;
	db->down = true;
	__atomic_store_n(&db->pid, 0, __ATOMIC_RELAXED);
	db->tries = 0;
	/* Kea waits reconnect-wait-time before the first attempt too. */
	db->next_try_ms = now_mono_ms() + db->wait_ms;
	db->gave_up = db->max_tries == 0;
}

int pgsql_fail(struct pgsql_db *db, PGresult *res, const char *what)
{
	const char *st = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	int ret = sqlstate_errno(st);

	/* The session's end can come as an error before libpq has seen
	 * the socket close (pipeline mode reads it first). */
	if (!db->conn || PQstatus(db->conn) == CONNECTION_BAD ||
	    ret == -ENOTCONN) {
		mark_down(db);
		ret = -ENOTCONN;
		lease_db_fail(&db->base, ret, "%s: %s: connection lost: %s; %s",
			      db->base.name, what, conn_msg(db->conn),
			      db->gave_up ? "max-reconnect-tries is 0: not "
					    "reconnecting"
					  : "reconnecting");
	} else {
		lease_db_fail(&db->base, ret, "%s: %s: %s", db->base.name, what,
			      conn_msg(db->conn));
	}
	return ret;
}

/* Connected to a database holding this build's schema, or why not. */
static int check_schema(struct pgsql_db *db, char *err, size_t errlen)
{
	int version, ret;

	ret = pgsql_schema_version(db->conn, &version, err, errlen);
	if (ret)
		return ret;
	if (version == DX_LEASE_DB_PGSQL_SCHEMA_VERSION)
		return 0;
	if (!version)
		errmsg(err, errlen, 0,
		       "%s has no dhcpxdp schema: create it with 'dhcpxdp db "
		       "init -c' and this configuration file",
		       db->base.name);
	else if (version < DX_LEASE_DB_PGSQL_SCHEMA_VERSION)
		errmsg(err, errlen, 0,
		       "%s: schema version %d is older than this dhcpxdp's "
		       "(%d): run 'dhcpxdp db upgrade -c' with this "
		       "configuration file",
		       db->base.name, version,
		       DX_LEASE_DB_PGSQL_SCHEMA_VERSION);
	else
		errmsg(err, errlen, 0,
		       "%s: schema version %d is newer than this dhcpxdp "
		       "supports (%d): run a newer dhcpxdp",
		       db->base.name, version,
		       DX_LEASE_DB_PGSQL_SCHEMA_VERSION);
	return -EPROTONOSUPPORT;
}

/* A new connection; with schema true, checked and its statements ready. */
static int connect_db(struct pgsql_db *db, bool schema, char *err,
		      size_t errlen)
{
	int ret;

	PQfinish(db->conn);
	db->conn = PQconnectdbParams(db->keys, db->vals, 0);
	if (!db->conn || PQstatus(db->conn) != CONNECTION_OK) {
		errmsg(err, errlen, 0, "%s: cannot connect: %s", db->base.name,
		       conn_msg(db->conn));
		return -ECONNREFUSED;
	}
	if (!schema)
		return 0;
	ret = check_schema(db, err, errlen);
	if (!ret)
		ret = db->prepare(db->conn, err, errlen);
	if (!ret)
		__atomic_store_n(&db->pid, PQbackendPID(db->conn),
				 __ATOMIC_RELAXED);
	return ret;
}

/* One reconnect attempt, now. */
static int attempt(struct pgsql_db *db)
{
	char why[400];
	int ret;

	ret = connect_db(db, true, why, sizeof(why));
	if (!ret) {
		db->down = false;
		db->tries = 0;
		return 0;
	}
	db->tries++;
	db->next_try_ms = now_mono_ms() + db->wait_ms;
	db->gave_up = db->tries >= db->max_tries;
	return lease_db_fail(&db->base, -ENOTCONN,
			     "%s; reconnect attempt %u of %u failed%s", why,
			     db->tries, db->max_tries,
			     db->gave_up ? ": giving up" : "");
}

int pgsql_ready(struct pgsql_db *db)
{
	int64_t now;

	if (!db->down)
		return 0;
	if (db->gave_up)
		return lease_db_fail(&db->base, -ENOTCONN,
				     "%s: connection lost; gave up "
				     "reconnecting after %u attempts",
				     db->base.name, db->tries);
	now = now_mono_ms();
	if (now < db->next_try_ms)
		return lease_db_fail(&db->base, -ENOTCONN,
				     "%s: connection lost; next reconnect "
				     "attempt (%u of %u) in %lld ms",
				     db->base.name, db->tries + 1,
				     db->max_tries,
				     (long long)(db->next_try_ms - now));
	return attempt(db);
}

int pgsql_conn_reconnect(struct lease_db *base)
{
	struct pgsql_db *db = pgsql_of(base);

	/*
	 * Up: is it still? A server that shut down or ended our session
	 * has said so on the socket; reading it (libpq's socket does not
	 * block) finds the loss before a client's commit does.
	 */
	if (!db->down &&
	    (!PQconsumeInput(db->conn) || PQstatus(db->conn) == CONNECTION_BAD))
		pgsql_fail(db, NULL, "connection check");
	return pgsql_ready(db);
}

int pgsql_conn_link(const struct lease_db *base)
{
	const struct pgsql_db *db = (const struct pgsql_db *)base;

	if (!db->down)
		return LEASE_DB_UP;
	return db->gave_up ? LEASE_DB_GAVE_UP : LEASE_DB_RETRYING;
}

bool pgsql_conn_thread_safe(void)
{
	/* One connection, used by one thread at a time (commit_queue.h). */
	return PQisthreadsafe();
}

void pgsql_conn_close(struct lease_db *base)
{
	struct pgsql_db *db = pgsql_of(base);

	PQfinish(db->conn);
	free(db->dbname);
	free(db->host);
	free(db->user);
	free(db->password);
	free(db);
}

static char *dup_or_null(const char *s, bool *fail)
{
	char *d = s ? strdup(s) : NULL;

	if (s && !d)
		*fail = true;
	return d;
}

static void add_param(struct pgsql_db *db, size_t *n, const char *key,
		      const char *val)
{
	if (!val)
		return;
	db->keys[*n] = key;
	db->vals[(*n)++] = val;
}

/* TLS (lease and host databases): Kea's trust-anchor, cert-file and
 * key-file as libpq's; a trust anchor means the server's certificate is
 * verified. */
static void add_tls(struct pgsql_db *db, size_t *n,
		    const struct dx_lease_db_conf *conf)
{
	if (conf->ssl_mode)
		add_param(db, n, "sslmode", conf->ssl_mode);
	if (!conf->trust_anchor && !conf->cert_file)
		return;
	if (!conf->ssl_mode)
		add_param(db, n, "sslmode",
			  conf->trust_anchor ? "verify-full" : "require");
	add_param(db, n, "sslrootcert", conf->trust_anchor);
	add_param(db, n, "sslcert", conf->cert_file);
	add_param(db, n, "sslkey", conf->key_file);
}

/* The connection's description from conf; its name for messages. */
static int describe(struct pgsql_db *db, const struct dx_lease_db_conf *conf,
		    const char *what)
{
	bool fail = false;
	size_t n = 0;

	db->dbname = dup_or_null(conf->name, &fail);
	db->host = dup_or_null(conf->host ? conf->host : "localhost", &fail);
	db->user = dup_or_null(conf->user, &fail);
	db->password = dup_or_null(conf->password, &fail);
	if (fail)
		return -ENOMEM;
	db->max_tries = conf->max_reconnect_tries;
	db->wait_ms = conf->reconnect_wait_time;
	snprintf(db->timeout, sizeof(db->timeout), "%u",
		 conf->connect_timeout ? conf->connect_timeout
				       : CONFIG_DEFAULT_DB_TIMEOUT);
	snprintf(db->port, sizeof(db->port), "%u", conf->port);
	add_param(db, &n, "dbname", db->dbname);
	add_param(db, &n, "host", db->host);
	add_param(db, &n, "port", conf->port ? db->port : NULL);
	add_param(db, &n, "user", db->user);
	add_param(db, &n, "password", db->password);
	add_param(db, &n, "connect_timeout", db->timeout);
	add_param(db, &n, "application_name", "dhcpxdp");
	add_param(db, &n, "options", "-c synchronous_commit=on");
	add_param(db, &n, "client_encoding", "UTF8");
	add_tls(db, &n, conf);
	/* Kea's tcp-user-timeout is in seconds, libpq's in ms. */
	snprintf(db->tcp_timeout, sizeof(db->tcp_timeout), "%u",
		 conf->tcp_user_timeout * 1000);
	add_param(db, &n, "tcp_user_timeout",
		  conf->tcp_user_timeout ? db->tcp_timeout : NULL);
	db->keys[n] = db->vals[n] = NULL;
	snprintf(db->base.name, sizeof(db->base.name),
		 "%s %s on PostgreSQL server %s%s%s", what,
		 db->dbname ? db->dbname : "", db->host, conf->port ? ":" : "",
		 conf->port ? db->port : "");
	return 0;
}

int pgsql_conn_open(const struct dx_lease_db_conf *conf, bool schema,
		    int (*prepare)(PGconn *, char *, size_t),
		    struct pgsql_db **out, char *err, size_t errlen)
{
	return pgsql_conn_open_as(conf, "lease database", schema, prepare, out,
				  err, errlen);
}

int pgsql_conn_open_as(const struct dx_lease_db_conf *conf, const char *what,
		       bool schema, int (*prepare)(PGconn *, char *, size_t),
		       struct pgsql_db **out, char *err, size_t errlen)
{
	struct pgsql_db *db = calloc(1, sizeof(*db));
	int ret = -ENOMEM;

	*out = NULL;
	if (!db || describe(db, conf, what)) {
		errmsg(err, errlen, 0, "%s: out of memory", what);
		goto out;
	}
	db->prepare = prepare;
	ret = connect_db(db, schema, err, errlen);
out:
	if (ret && db)
		pgsql_conn_close(&db->base);
	else
		*out = db;
	return ret;
}
