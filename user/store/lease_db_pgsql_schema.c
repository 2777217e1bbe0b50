// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * PostgreSQL: the schema and its version, created and upgraded by
 * `dhcpxdp db init|upgrade` (as `kea-admin db-init|db-upgrade`), never by
 * the daemon: it refuses a missing or older schema and names the command.
 *
 * The tables are dhcpxdp's own (dhcpxdp_schema, dhcpxdp_lease4), so they
 * can share a database with Kea's. The primary key (subnet_id, addr) is
 * the uniqueness several servers sharing the database will rely on.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/lease_db.h"
#include "store/lease_db_pgsql_schema.h"
#include "util/errmsg.h"

/*
 * migrations[v] takes the schema from version v to v + 1, in one
 * transaction with the version's update: a failure leaves version v.
 * To add a version: append its SQL and bump
 * DX_LEASE_DB_PGSQL_SCHEMA_VERSION.
 */
static const char *const migrations[] = {
	/* 0 -> 1: as SQLite's version 2 */
	"CREATE TABLE dhcpxdp_schema (version INTEGER NOT NULL);"
	"INSERT INTO dhcpxdp_schema VALUES (0);"
	"CREATE TABLE dhcpxdp_lease4 ("
	" subnet_id BIGINT NOT NULL,"
	" addr BIGINT NOT NULL," /* host byte order */
	" mac BYTEA NOT NULL CHECK (length(mac) = 6),"
	" client_id BYTEA," /* NULL: no option 61 */
	" hostname TEXT NOT NULL DEFAULT '',"
	" state SMALLINT NOT NULL CHECK (state BETWEEN 1 AND 4),"
	" expires BIGINT NOT NULL,"
	" horizon BIGINT NOT NULL,"
	" last_seen BIGINT NOT NULL,"
	" flags SMALLINT NOT NULL DEFAULT 0,"
	" PRIMARY KEY (subnet_id, addr));"
	"CREATE INDEX dhcpxdp_lease4_by_mac ON dhcpxdp_lease4 (subnet_id, "
	"mac);",
	/*
	 * 1 -> 2: several servers on one table (docs/design.md, "Several
	 * nodes on one PostgreSQL"): every row inserted, updated or deleted
	 * is NOTIFYed as "subnet_id addr" on the channel dhcpxdp_lease4, at
	 * its commit, to the servers that LISTEN there. And the heartbeats
	 * of a high-availability pair (ha_beat.h): one row per server, its
	 * last beat by the database's clock.
	 */
	"CREATE OR REPLACE FUNCTION dhcpxdp_lease4_notify() RETURNS trigger"
	" LANGUAGE plpgsql AS $$"
	" BEGIN"
	" IF TG_OP = 'DELETE' THEN"
	" PERFORM pg_notify('dhcpxdp_lease4', OLD.subnet_id || ' ' || OLD.addr);"
	" RETURN OLD;"
	" END IF;"
	" PERFORM pg_notify('dhcpxdp_lease4', NEW.subnet_id || ' ' || NEW.addr);"
	" RETURN NEW;"
	" END $$;"
	"CREATE TRIGGER dhcpxdp_lease4_notify AFTER INSERT OR UPDATE OR DELETE"
	" ON dhcpxdp_lease4 FOR EACH ROW"
	" EXECUTE PROCEDURE dhcpxdp_lease4_notify();"
	"CREATE TABLE dhcpxdp_ha_heartbeat ("
	" server_name TEXT PRIMARY KEY,"
	" beat_at TIMESTAMPTZ NOT NULL,"
	" serving_partner BOOLEAN NOT NULL DEFAULT false);",
	/* 2 -> 3: Kea's maintenance of a pair (ha-maintenance-start): when
	 * this run of the server began, and since when it has asked its
	 * partner to stand aside. */
	"ALTER TABLE dhcpxdp_ha_heartbeat"
	" ADD COLUMN started_at TIMESTAMPTZ,"
	" ADD COLUMN maintenance_since TIMESTAMPTZ;",
};

_Static_assert(sizeof(migrations) / sizeof(migrations[0]) ==
		       DX_LEASE_DB_PGSQL_SCHEMA_VERSION,
	       "one migration per schema version");

/* Run sql (one or more statements); 0 or -EIO with libpq's message. */
static int run(PGconn *conn, const char *sql, char *err, size_t errlen)
{
	PGresult *res = PQexec(conn, sql);
	ExecStatusType st = PQresultStatus(res);
	int ret = 0;

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		errmsg(err, errlen, 0, "lease database: %s",
		       PQresultErrorMessage(res));
		ret = PQstatus(conn) == CONNECTION_BAD ? -ENOTCONN : -EIO;
	}
	PQclear(res);
	return ret;
}

/* The first column of the one row sql returns into buf ("" for NULL). */
static int one_value(PGconn *conn, const char *sql, char *buf, size_t len,
		     char *err, size_t errlen)
{
	PGresult *res = PQexec(conn, sql);
	int ret = 0;

	buf[0] = '\0';
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		errmsg(err, errlen, 0,
		       "lease database: reading the schema version failed: %s",
		       PQresultErrorMessage(res));
		ret = PQstatus(conn) == CONNECTION_BAD ? -ENOTCONN : -EIO;
	} else if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0)) {
		snprintf(buf, len, "%s", PQgetvalue(res, 0, 0));
	}
	PQclear(res);
	return ret;
}

int pgsql_schema_version(PGconn *conn, int *version, char *err,
			 size_t errlen)
{
	char v[32];
	int ret;

	*version = 0;
	/* to_regclass: NULL, not an error, when there is no such table. */
	ret = one_value(conn, "SELECT to_regclass('dhcpxdp_schema')", v,
			sizeof(v), err, errlen);
	if (!ret && v[0])
		ret = one_value(conn, "SELECT max(version) FROM dhcpxdp_schema",
				v, sizeof(v), err, errlen);
	if (!ret && v[0])
		*version = atoi(v);
	return ret;
}

/* One migration, v to v + 1, all or nothing. */
static int migrate_one(PGconn *conn, int v, char *err, size_t errlen)
{
	char sql[96];
	int ret;

	snprintf(sql, sizeof(sql), "UPDATE dhcpxdp_schema SET version = %d",
		 v + 1);
	ret = run(conn, "BEGIN", err, errlen);
	if (!ret)
		ret = run(conn, migrations[v], err, errlen);
	if (!ret)
		ret = run(conn, sql, err, errlen);
	if (!ret)
		ret = run(conn, "COMMIT", err, errlen);
	if (ret && PQstatus(conn) == CONNECTION_OK)
		PQclear(PQexec(conn, "ROLLBACK"));
	return ret;
}

/* Can op start from version v? */
static int check_start(const char *name, int op, int v, char *err,
		       size_t errlen)
{
	if (op == LEASE_DB_INIT && v) {
		errmsg(err, errlen, 0,
		       "%s already holds the dhcpxdp schema (version %d); "
		       "'dhcpxdp db upgrade' brings an older one up to date",
		       name, v);
		return -EEXIST;
	}
	if (op == LEASE_DB_UPGRADE && !v) {
		errmsg(err, errlen, 0,
		       "%s has no dhcpxdp schema: create it with 'dhcpxdp db "
		       "init'",
		       name);
		return -ENOENT;
	}
	if (v > DX_LEASE_DB_PGSQL_SCHEMA_VERSION) {
		errmsg(err, errlen, 0,
		       "%s: schema version %d is newer than this dhcpxdp "
		       "supports (%d)",
		       name, v, DX_LEASE_DB_PGSQL_SCHEMA_VERSION);
		return -EPROTONOSUPPORT;
	}
	return 0;
}

int pgsql_schema_change(PGconn *conn, const char *name, int op, int *version,
			char *err, size_t errlen)
{
	int ret;

	ret = pgsql_schema_version(conn, version, err, errlen);
	if (!ret)
		ret = check_start(name, op, *version, err, errlen);
	while (!ret && *version < DX_LEASE_DB_PGSQL_SCHEMA_VERSION) {
		ret = migrate_one(conn, *version, err, errlen);
		if (!ret)
			++*version;
	}
	return ret;
}
