// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Lease history in its own SQLite database; see lease_history.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "store/lease_history.h"
#include "util/errmsg.h"

/* "hist" in ASCII: tells a history file from a lease database. */
#define HIST_APP_ID	    0x68697374
#define HIST_SCHEMA_VERSION 1
#define HIST_BUSY_MS	    2000

/* The statements of the write path, prepared once: preparing costs
 * more than running them. */
enum hist_stmt {
	ST_FIND_OPEN,
	ST_INSERT,
	ST_UPDATE,
	ST_EXTEND,
	ST_CLOSE_EXPIRY,
	ST_CLOSE,
	ST_PRUNE,
	ST_COUNT,
};

struct lease_hist {
	sqlite3 *h;
	sqlite3_stmt *st[ST_COUNT];
};

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS tenancy ("
	" id INTEGER PRIMARY KEY,"
	" subnet_id INTEGER NOT NULL,"
	" addr INTEGER NOT NULL,"
	" mac BLOB NOT NULL,"
	" client_id BLOB NOT NULL DEFAULT x'',"
	" hostname TEXT NOT NULL DEFAULT '',"
	" giaddr INTEGER NOT NULL DEFAULT 0,"
	" circuit_id BLOB NOT NULL DEFAULT x'',"
	" remote_id BLOB NOT NULL DEFAULT x'',"
	" start_time INTEGER NOT NULL,"
	" end_time INTEGER NOT NULL,"
	" why INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX IF NOT EXISTS tenancy_addr ON tenancy(addr, start_time);"
	"CREATE INDEX IF NOT EXISTS tenancy_mac ON tenancy(mac, start_time);"
	/* At most one open tenancy per address: the one grants look up. */
	"CREATE UNIQUE INDEX IF NOT EXISTS tenancy_open"
	" ON tenancy(subnet_id, addr) WHERE why = 0;"
	"CREATE INDEX IF NOT EXISTS tenancy_end"
	" ON tenancy(end_time) WHERE why != 0;";

static const char columns[] =
	"id, subnet_id, addr, mac, client_id, hostname, giaddr, circuit_id,"
	" remote_id, start_time, end_time, why";

static int sql_errno(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return 0;
	case SQLITE_NOMEM:
		return -ENOMEM;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return -EBUSY;
	case SQLITE_READONLY:
		return -EROFS;
	case SQLITE_CANTOPEN:
		return -ENOENT;
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return -EACCES;
	case SQLITE_FULL:
		return -ENOSPC;
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
		return -EBADMSG;
	case SQLITE_CONSTRAINT:
		return -EEXIST;
	default:
		return -EIO;
	}
}

static int pragma_int(sqlite3 *h, const char *sql, int *v)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(h, sql, -1, &st, NULL);

	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*v = sqlite3_column_int(st, 0);
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

/* A new file gets the schema; an existing one must be a history. */
static int check_schema(sqlite3 *h, bool read_only)
{
	char sql[128];
	int app = 0, ver = 0, rc;

	rc = pragma_int(h, "PRAGMA application_id", &app);
	if (rc == SQLITE_OK)
		rc = pragma_int(h, "PRAGMA user_version", &ver);
	if (rc != SQLITE_OK)
		return sql_errno(rc);
	if (app == HIST_APP_ID && ver == HIST_SCHEMA_VERSION)
		return 0;
	if (app || ver || read_only)
		return -EPROTONOSUPPORT;
	rc = sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(h, schema, NULL, NULL, NULL);
	snprintf(sql, sizeof(sql),
		 "PRAGMA application_id = %d; PRAGMA user_version = %d;",
		 HIST_APP_ID, HIST_SCHEMA_VERSION);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(h, sql, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(h, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
	return sql_errno(rc);
}

int lease_hist_open(const char *path, bool read_only, struct lease_hist **out,
		    char *err, size_t errlen)
{
	int flags = read_only ? SQLITE_OPEN_READONLY
			      : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	struct lease_hist *lh;
	int rc, ret;

	*out = NULL;
	lh = calloc(1, sizeof(*lh));
	if (!lh)
		return -ENOMEM;
	rc = sqlite3_open_v2(path, &lh->h, flags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		ret = sql_errno(rc);
		goto fail;
	}
	sqlite3_busy_timeout(lh->h, HIST_BUSY_MS);
	/*
	 * NORMAL in WAL mode: a commit is written to the WAL, not fsync'd;
	 * the daemon syncs once a second (lease_hist_sync), so history
	 * writes cost the ACKs no fsync (docs/logging.md states the bound).
	 * No automatic checkpoint either: it would fsync in a commit.
	 */
	if (!read_only) {
		rc = sqlite3_exec(lh->h, "PRAGMA journal_mode = WAL;"
				  "PRAGMA synchronous = NORMAL;"
				  "PRAGMA wal_autocheckpoint = 0;"
				  "PRAGMA journal_size_limit = 16777216;",
				  NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			ret = sql_errno(rc);
			goto fail;
		}
	}
	ret = check_schema(lh->h, read_only);
	if (ret)
		goto fail;
	*out = lh;
	return 0;
fail:
	if (ret == -EPROTONOSUPPORT)
		errmsg(err, errlen, 0,
		       "lease history %s: not a dhcpxdp lease history, or a "
		       "newer one",
		       path);
	else
		errmsg(err, errlen, 0, "lease history %s: %s", path,
		       lh->h ? sqlite3_errmsg(lh->h) : strerror(-ret));
	lease_hist_close(lh);
	return ret;
}

void lease_hist_close(struct lease_hist *h)
{
	if (!h)
		return;
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(h->st[i]);
	sqlite3_close_v2(h->h);
	free(h);
}

const char *lease_hist_errmsg(const struct lease_hist *h)
{
	return h && h->h ? sqlite3_errmsg(h->h) : "no lease history";
}

static int exec(struct lease_hist *h, const char *sql)
{
	return sql_errno(sqlite3_exec(h->h, sql, NULL, NULL, NULL));
}

int lease_hist_begin(struct lease_hist *h)
{
	return exec(h, "BEGIN IMMEDIATE");
}

int lease_hist_commit(struct lease_hist *h)
{
	int ret = exec(h, "COMMIT");

	if (ret)
		lease_hist_rollback(h);
	return ret;
}

void lease_hist_rollback(struct lease_hist *h)
{
	if (!sqlite3_get_autocommit(h->h))
		sqlite3_exec(h->h, "ROLLBACK", NULL, NULL, NULL);
}

static int prep(struct lease_hist *h, const char *sql, sqlite3_stmt **st)
{
	return sql_errno(sqlite3_prepare_v2(h->h, sql, -1, st, NULL));
}

/* Statement `which` (sql), prepared at its first use, ready to bind. */
static int cached(struct lease_hist *h, enum hist_stmt which, const char *sql,
		  sqlite3_stmt **st)
{
	int rc = SQLITE_OK;

	if (!h->st[which])
		rc = sqlite3_prepare_v3(h->h, sql, -1, SQLITE_PREPARE_PERSISTENT,
					&h->st[which], NULL);
	*st = h->st[which];
	return sql_errno(rc);
}

/* Run a cached statement that returns no rows; the rows it changed, or
 * < 0. */
static int64_t run(struct lease_hist *h, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? sqlite3_changes64(h->h) : sql_errno(rc);
}

static void bind_blob(sqlite3_stmt *st, int i, const uint8_t *b, size_t n)
{
	sqlite3_bind_blob(st, i, n ? (const void *)b : "", (int)n,
			  SQLITE_TRANSIENT);
}

/* The open tenancy of (subnet_id, addr): 0 with its id and mac, or
 * -ENOENT. */
static int find_open(struct lease_hist *h, uint32_t subnet_id, uint32_t addr,
		     int64_t *id, uint8_t mac[6])
{
	sqlite3_stmt *st;
	int ret, rc;

	ret = cached(h, ST_FIND_OPEN,
		     "SELECT id, mac FROM tenancy WHERE subnet_id = ? AND "
		     "addr = ? AND why = 0",
		     &st);
	if (ret)
		return ret;
	sqlite3_bind_int64(st, 1, subnet_id);
	sqlite3_bind_int64(st, 2, addr);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		memset(mac, 0, 6);
		if (sqlite3_column_bytes(st, 1) == 6)
			memcpy(mac, sqlite3_column_blob(st, 1), 6);
		ret = 0;
	} else {
		ret = rc == SQLITE_DONE ? -ENOENT : sql_errno(rc);
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return ret;
}

static int close_id(struct lease_hist *h, int64_t id, int64_t at,
		    enum lease_hist_why why)
{
	sqlite3_stmt *st;
	int64_t n;
	int ret;

	if (why == LEASE_HIST_EXPIRY)
		ret = cached(h, ST_CLOSE_EXPIRY,
			     "UPDATE tenancy SET why = ?, end_time = "
			     "max(end_time, ?) WHERE id = ?",
			     &st);
	else
		ret = cached(h, ST_CLOSE,
			     "UPDATE tenancy SET why = ?, end_time = "
			     "max(start_time, min(end_time, ?)) WHERE id = ?",
			     &st);
	if (ret)
		return ret;
	sqlite3_bind_int(st, 1, why);
	sqlite3_bind_int64(st, 2, at);
	sqlite3_bind_int64(st, 3, id);
	n = run(h, st);
	return n < 0 ? (int)n : 0;
}

static int insert(struct lease_hist *h, const struct lease_hist_row *r)
{
	sqlite3_stmt *st;
	int64_t n;
	int ret;

	ret = cached(h, ST_INSERT,
		     "INSERT INTO tenancy (subnet_id, addr, mac, client_id, "
		     "hostname, giaddr, circuit_id, remote_id, start_time, "
		     "end_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		     &st);
	if (ret)
		return ret;
	sqlite3_bind_int64(st, 1, r->subnet_id);
	sqlite3_bind_int64(st, 2, r->addr);
	bind_blob(st, 3, r->mac, 6);
	bind_blob(st, 4, r->cid, r->cid_len);
	sqlite3_bind_text(st, 5, r->hostname, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 6, r->giaddr);
	bind_blob(st, 7, r->circuit, r->circuit_len);
	bind_blob(st, 8, r->remote, r->remote_len);
	sqlite3_bind_int64(st, 9, r->start);
	sqlite3_bind_int64(st, 10, r->end > r->start ? r->end : r->start);
	n = run(h, st);
	return n < 0 ? (int)n : 0;
}

/* A renewal may come without the identifiers the grant had (a unicast
 * RENEWING request carries no option 82): keep what is known. */
static int update(struct lease_hist *h, int64_t id,
		  const struct lease_hist_row *r)
{
	sqlite3_stmt *st;
	int64_t n;
	int ret;

	ret = cached(h, ST_UPDATE,
		   "UPDATE tenancy SET end_time = max(end_time, ?1),"
		   " client_id = CASE WHEN length(?2) THEN ?2 ELSE client_id END,"
		   " hostname = CASE WHEN length(?3) THEN ?3 ELSE hostname END,"
		   " giaddr = CASE WHEN ?4 THEN ?4 ELSE giaddr END,"
		   " circuit_id = CASE WHEN length(?5) THEN ?5 ELSE circuit_id "
		   "END,"
		   " remote_id = CASE WHEN length(?6) THEN ?6 ELSE remote_id END"
		   " WHERE id = ?7",
		   &st);
	if (ret)
		return ret;
	bind_blob(st, 2, r->cid, r->cid_len);
	sqlite3_bind_text(st, 3, r->hostname, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, r->giaddr);
	bind_blob(st, 5, r->circuit, r->circuit_len);
	bind_blob(st, 6, r->remote, r->remote_len);
	sqlite3_bind_int64(st, 7, id);
	sqlite3_bind_int64(st, 1, r->end);
	n = run(h, st);
	return n < 0 ? (int)n : 0;
}

int lease_hist_grant(struct lease_hist *h, const struct lease_hist_row *r)
{
	uint8_t mac[6];
	int64_t id;
	int ret;

	ret = find_open(h, r->subnet_id, r->addr, &id, mac);
	if (ret == -ENOENT)
		return insert(h, r);
	if (ret)
		return ret;
	if (!memcmp(mac, r->mac, 6))
		return update(h, id, r);
	ret = close_id(h, id, r->start, LEASE_HIST_REUSE);
	return ret ? ret : insert(h, r);
}

int lease_hist_extend(struct lease_hist *h, uint32_t subnet_id, uint32_t addr,
		      const uint8_t mac[6], int64_t end)
{
	sqlite3_stmt *st;
	int64_t n;
	int ret;

	ret = cached(h, ST_EXTEND,
		     "UPDATE tenancy SET end_time = max(end_time, ?) WHERE "
		     "subnet_id = ? AND addr = ? AND mac = ? AND why = 0",
		     &st);
	if (ret)
		return ret;
	sqlite3_bind_int64(st, 1, end);
	sqlite3_bind_int64(st, 2, subnet_id);
	sqlite3_bind_int64(st, 3, addr);
	bind_blob(st, 4, mac, 6);
	n = run(h, st);
	return n < 0 ? (int)n : n ? 0 : -ENOENT;
}

int lease_hist_end(struct lease_hist *h, uint32_t subnet_id, uint32_t addr,
		   const uint8_t mac[6], int64_t at, enum lease_hist_why why)
{
	uint8_t held[6];
	int64_t id;
	int ret;

	if (why == LEASE_HIST_OPEN)
		return -EINVAL;
	ret = find_open(h, subnet_id, addr, &id, held);
	if (ret)
		return ret;
	if (mac && memcmp(mac, held, 6))
		return -ENOENT;
	return close_id(h, id, at, why);
}

int64_t lease_hist_prune(struct lease_hist *h, int64_t before)
{
	sqlite3_stmt *st;
	int ret;

	ret = cached(h, ST_PRUNE,
		     "DELETE FROM tenancy WHERE why != 0 AND end_time < ?", &st);
	if (ret)
		return ret;
	sqlite3_bind_int64(st, 1, before);
	return run(h, st);
}

int lease_hist_sync(struct lease_hist *h)
{
	int rc = sqlite3_wal_checkpoint_v2(h->h, NULL, SQLITE_CHECKPOINT_PASSIVE,
					   NULL, NULL);

	return sql_errno(rc);
}

static size_t column_bytes(sqlite3_stmt *st, int i, uint8_t *out, size_t cap)
{
	size_t n = (size_t)sqlite3_column_bytes(st, i);

	if (n > cap)
		n = cap;
	if (n)
		memcpy(out, sqlite3_column_blob(st, i), n);
	return n;
}

static void read_row(sqlite3_stmt *st, struct lease_hist_row *r)
{
	const unsigned char *name;

	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	r->subnet_id = (uint32_t)sqlite3_column_int64(st, 1);
	r->addr = (uint32_t)sqlite3_column_int64(st, 2);
	column_bytes(st, 3, r->mac, sizeof(r->mac));
	r->cid_len = (uint8_t)column_bytes(st, 4, r->cid, sizeof(r->cid));
	name = sqlite3_column_text(st, 5);
	snprintf(r->hostname, sizeof(r->hostname), "%s",
		 name ? (const char *)name : "");
	r->giaddr = (uint32_t)sqlite3_column_int64(st, 6);
	r->circuit_len =
		(uint8_t)column_bytes(st, 7, r->circuit, sizeof(r->circuit));
	r->remote_len =
		(uint8_t)column_bytes(st, 8, r->remote, sizeof(r->remote));
	r->start = sqlite3_column_int64(st, 9);
	r->end = sqlite3_column_int64(st, 10);
	r->why = (enum lease_hist_why)sqlite3_column_int(st, 11);
}

int lease_hist_query(struct lease_hist *h, const struct lease_hist_query *q,
		     lease_hist_cb cb, void *arg)
{
	struct lease_hist_row r;
	sqlite3_stmt *st;
	char sql[512];
	int ret, rc;

	/* Only the filters set are in the SQL, so that the address and MAC
	 * indexes serve the lookup. */
	snprintf(sql, sizeof(sql), "SELECT %s FROM tenancy WHERE 1%s%s%s%s%s",
		 columns, q->by_addr ? " AND addr = :addr" : "",
		 q->by_mac ? " AND mac = :mac" : "",
		 q->by_time ? " AND start_time <= :at AND end_time > :at" : "",
		 q->open_only ? " AND why = 0" : "",
		 q->limit ? " AND (subnet_id, addr) > (:as, :aa) ORDER BY "
			    "subnet_id, addr LIMIT :lim"
			  : " ORDER BY start_time, id");
	ret = prep(h, sql, &st);
	if (ret)
		return ret;
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":addr"),
			   q->addr);
	bind_blob(st, sqlite3_bind_parameter_index(st, ":mac"), q->mac, 6);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":at"), q->at);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":as"),
			   q->after_subnet);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":aa"),
			   q->after_addr);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":lim"),
			   q->limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_row(st, &r);
		ret = cb(&r, arg);
		if (ret)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = sql_errno(rc);
	sqlite3_finalize(st);
	return ret;
}

const char *lease_hist_why_name(enum lease_hist_why why)
{
	static const char *const names[] = {
		[LEASE_HIST_OPEN] = "open",	  [LEASE_HIST_RELEASE] = "release",
		[LEASE_HIST_DECLINE] = "decline", [LEASE_HIST_EXPIRY] = "expiry",
		[LEASE_HIST_REUSE] = "reuse",	  [LEASE_HIST_DELETE] = "delete",
	};

	return (unsigned int)why < sizeof(names) / sizeof(names[0])
		       ? names[why]
		       : "unknown";
}
