// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Lease database on SQLite.
 *
 * Durability (docs/design.md §2, §5): journal_mode=WAL with synchronous=FULL,
 * so every COMMIT fsyncs the WAL before it returns; a torn last write is
 * discarded by WAL recovery on the next open (frame checksums, and a
 * transaction counts only once its commit frame is intact). Group commit
 * is the caller's batching: lease_db_commit_ops() writes a whole batch in one
 * transaction, so N leases cost one fsync.
 *
 * A commit first checks that the path still names the open file and WAL
 * (lease_db_check_file), and is followed by a checkpoint when the WAL has
 * grown (wal_upkeep, instead of SQLite's automatic one).
 *
 * Every statement is prepared once at open and reused. The arguments are
 * checked by lease_db.c, which calls in through sqlite_ops.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/lease_db.h"
#include "store/lease_db_internal.h"
#include "util/clock.h"
#include "util/errmsg.h"

/* "DXL4" in the database header, so we never adopt someone else's file. */
#define DX_LEASE_DB_APP_ID 0x44584c34

/*
 * Schema migrations: migrations[v] takes the schema from version v to
 * v + 1; each runs in its own transaction together with the user_version
 * bump, so a crash mid-migration leaves the previous version intact.
 * To add a version: append its SQL here and bump
 * DX_LEASE_DB_SCHEMA_VERSION.
 */
static const char *const migrations[] = {
	/* 0 -> 1 */
	"CREATE TABLE lease4 ("
	" subnet_id INTEGER NOT NULL,"
	" addr INTEGER NOT NULL," /* host byte order */
	" mac BLOB NOT NULL CHECK (length(mac) = 6),"
	" client_id BLOB," /* NULL: no option 61 */
	" hostname TEXT NOT NULL DEFAULT '',"
	" state INTEGER NOT NULL CHECK (state BETWEEN 1 AND 4),"
	" expires INTEGER NOT NULL,"
	" horizon INTEGER NOT NULL,"
	" last_seen INTEGER NOT NULL,"
	" flags INTEGER NOT NULL DEFAULT 0,"
	" PRIMARY KEY (subnet_id, addr)"
	") WITHOUT ROWID;"
	"CREATE INDEX lease4_by_mac ON lease4 (subnet_id, mac);"
	"CREATE INDEX lease4_by_client_id ON lease4 (subnet_id, client_id)"
	" WHERE client_id IS NOT NULL;"
	"CREATE INDEX lease4_by_deadline ON lease4 (max(expires, horizon))"
	" WHERE state IN (1, 3);",
	/* 1 -> 2: expiry is the engine's (engine_expire), which walks its
	 * own deadline heap; nothing reads the deadline index any more. */
	("DROP INDEX IF EXISTS lease4_by_deadline;"
	 /* and the client-id index: the engine finds clients in memory */
	 "DROP INDEX IF EXISTS lease4_by_client_id;"),
	/* 2 -> 3: and the MAC index. Its pages are the clients' random MACs:
	 * every grant dirtied one more page, a third to a half of the WAL
	 * each commit fsyncs and each checkpoint copies, and the ACKs' p99
	 * at 8,000 DORA/s halved without it (docs/design.md §5). The engine
	 * finds a client's lease in memory; the rare reads by MAC scan. */
	"DROP INDEX IF EXISTS lease4_by_mac;",
};

_Static_assert(sizeof(migrations) / sizeof(migrations[0]) ==
		       DX_LEASE_DB_SCHEMA_VERSION,
	       "one migration per schema version");

#define COLS                                                                   \
	"subnet_id, addr, mac, client_id, hostname, state, expires, horizon, " \
	"last_seen, flags"

enum stmt_id {
	S_BEGIN,
	S_COMMIT,
	S_ROLLBACK,
	S_UPSERT,
	S_DELETE,
	S_LOAD,
	S_BY_ADDR,
	S_BY_MAC,
	S_MAX
};

static const char *const stmt_sql[S_MAX] = {
	[S_BEGIN] = "BEGIN IMMEDIATE",
	[S_COMMIT] = "COMMIT",
	[S_ROLLBACK] = "ROLLBACK",
	[S_UPSERT] = "INSERT INTO lease4 (" COLS ")"
		     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
		     " ON CONFLICT (subnet_id, addr) DO UPDATE SET"
		     " mac = excluded.mac, client_id = excluded.client_id,"
		     " hostname = excluded.hostname, state = excluded.state,"
		     " expires = excluded.expires, horizon = excluded.horizon,"
		     " last_seen = excluded.last_seen, flags = excluded.flags",
	[S_DELETE] = "DELETE FROM lease4 WHERE subnet_id = ?1 AND addr = ?2",
	[S_LOAD] = "SELECT " COLS " FROM lease4 ORDER BY subnet_id, addr",
	[S_BY_ADDR] = "SELECT " COLS " FROM lease4"
		      " WHERE subnet_id = ?1 AND addr = ?2",
	[S_BY_MAC] = "SELECT " COLS " FROM lease4"
		     " WHERE subnet_id = ?1 AND mac = ?2"
		     " ORDER BY state = 1 DESC, last_seen DESC LIMIT 1",
};

/* Which file a path named when it was opened. */
struct file_id {
	dev_t dev;
	ino_t ino;
	bool known;
};

struct sqlite_db {
	struct lease_db base;
	sqlite3 *h;
	sqlite3_stmt *stmt[S_MAX];
	char *path, *wal_path;
	struct file_id file, wal;
	/* Pages in the WAL after the last commit (wal_hook). */
	int wal_pages;
	int64_t frame_size; /* bytes of one WAL frame */
	/* CLOCK_MONOTONIC s: no checkpoint is tried again before this. */
	int64_t ckpt_after;
	int64_t wal_checked_ms; /* CLOCK_MONOTONIC: the WAL's last check */
	bool stale;		/* check_files() failed once */
};

/* How long a statement waits for another connection's lock. */
#define BUSY_MS 5000

/*
 * The WAL is checkpointed into the database once it holds this many
 * pages (SQLite's own default), without waiting for readers; past
 * LEASE_DB_WAL_MAX_BYTES it is checkpointed and truncated, and a restart
 * of the WAL truncates it to that size too (journal_size_limit). A
 * checkpoint that could not finish (a reader holds old pages, the disk is
 * full) is tried again, at most once a second, on the next commits.
 */
#define WAL_CKPT_PAGES 1000

/* Map an SQLite result code to a negative errno. */
static int sqlite_errno(sqlite3 *h, int rc)
{
	int sys = h ? sqlite3_system_errno(h) : 0;

	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE:
		return 0;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return -EBUSY;
	case SQLITE_NOMEM:
		return -ENOMEM;
	case SQLITE_READONLY:
		return -EROFS;
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return -EACCES;
	case SQLITE_FULL:
		return -ENOSPC;
	case SQLITE_CANTOPEN:
		return sys ? -sys : -EACCES;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return -EBADMSG;
	case SQLITE_CONSTRAINT:
	case SQLITE_MISMATCH:
	case SQLITE_RANGE:
	case SQLITE_TOOBIG:
		return -EINVAL;
	default:
		return -EIO;
	}
}

/* Remember SQLite's message for rc and return it as a negative errno. */
static int db_fail(struct sqlite_db *db, int rc, const char *what)
{
	snprintf(db->base.errmsg, sizeof(db->base.errmsg), "%s: %s", what,
		 sqlite3_errmsg(db->h));
	return sqlite_errno(db->h, rc);
}

/* Run a statement that returns nothing (or whose rows are ignored). */
static int step_done(sqlite3_stmt *st)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int pragma_int(sqlite3 *h, const char *sql, int64_t *out)
{
	sqlite3_stmt *st;
	int rc;

	rc = sqlite3_prepare_v2(h, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

/*
 * Check up front what SQLite would only report as "unable to open
 * database file": the parent directory must exist (we never create
 * directories) and be writable (WAL needs its -wal and -shm files beside
 * the database), and an existing database must be a writable file.
 */
static int check_path(const char *path, char *err, size_t errlen)
{
	const char *slash = strrchr(path, '/');
	char dir[4096];
	struct stat sb;
	size_t len;
	int e;

	if (!slash) {
		strcpy(dir, ".");
	} else {
		len = slash == path ? 1 : (size_t)(slash - path);
		if (len >= sizeof(dir)) {
			errmsg(err, errlen, 0,
			       "lease database %s: path too long", path);
			return -ENAMETOOLONG;
		}
		memcpy(dir, path, len);
		dir[len] = '\0';
	}
	if (stat(dir, &sb) < 0) {
		e = errno;
		errmsg(err, errlen, 0, "lease database %s: directory %s: %s",
		       path, dir, strerror(e));
		return -e;
	}
	if (!S_ISDIR(sb.st_mode)) {
		errmsg(err, errlen, 0,
		       "lease database %s: %s is not a directory", path, dir);
		return -ENOTDIR;
	}
	if (faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) < 0) {
		e = errno;
		errmsg(err, errlen, 0,
		       "lease database %s: directory %s is not writable: %s",
		       path, dir, strerror(e));
		return -e;
	}
	if (stat(path, &sb) < 0)
		return 0; /* will be created */
	if (S_ISDIR(sb.st_mode)) {
		errmsg(err, errlen, 0, "lease database %s: is a directory",
		       path);
		return -EISDIR;
	}
	if (faccessat(AT_FDCWD, path, R_OK | W_OK, AT_EACCESS) < 0) {
		e = errno;
		errmsg(err, errlen, 0, "lease database %s: %s", path,
		       strerror(e));
		return -e;
	}
	return 0;
}

static int set_pragmas(sqlite3 *h, const char *path, char *err, size_t errlen)
{
	const unsigned char *mode;
	sqlite3_stmt *st;
	char sql[128];
	bool wal;
	int rc;

	/* The first statement touches the file: open errors surface here. */
	rc = sqlite3_prepare_v2(h, "PRAGMA journal_mode = WAL", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		int e = sqlite_errno(h, rc);

		errmsg(err, errlen, 0, "lease database %s: %s%s%s", path,
		       sqlite3_errmsg(h), sqlite3_system_errno(h) ? ": " : "",
		       sqlite3_system_errno(h)
			       ? strerror(sqlite3_system_errno(h))
			       : "");
		sqlite3_finalize(st);
		return e;
	}
	mode = sqlite3_column_text(st, 0);
	wal = mode && !strcmp((const char *)mode, "wal");
	sqlite3_finalize(st);
	if (!wal) {
		errmsg(err, errlen, 0,
		       "lease database %s: cannot use WAL journal mode", path);
		return -EIO;
	}
	/* FULL: a commit is fsync'd before it returns (an ACK may follow). */
	snprintf(sql, sizeof(sql),
		 "PRAGMA synchronous = FULL;"
		 "PRAGMA journal_size_limit = %d;"
		 "PRAGMA cache_size = -16384;",
		 LEASE_DB_WAL_MAX_BYTES);
	rc = sqlite3_exec(h, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		errmsg(err, errlen, 0, "lease database %s: %s", path,
		       sqlite3_errmsg(h));
		return sqlite_errno(h, rc);
	}
	return 0;
}

static int migrate(sqlite3 *h, const char *path, char *err, size_t errlen)
{
	int64_t version, app_id, tables;
	char sql[128];
	int rc;

	rc = pragma_int(h, "PRAGMA user_version", &version);
	if (rc == SQLITE_OK)
		rc = pragma_int(h, "PRAGMA application_id", &app_id);
	if (rc == SQLITE_OK)
		rc = pragma_int(h, "SELECT count(*) FROM sqlite_schema",
				&tables);
	if (rc != SQLITE_OK) {
		errmsg(err, errlen, 0, "lease database %s: %s", path,
		       sqlite3_errmsg(h));
		return sqlite_errno(h, rc);
	}
	if ((app_id && app_id != DX_LEASE_DB_APP_ID) ||
	    (!app_id && (version || tables))) {
		errmsg(err, errlen, 0,
		       "lease database %s: not a dhcpxdp lease database", path);
		return -EPROTONOSUPPORT;
	}
	if (version > DX_LEASE_DB_SCHEMA_VERSION) {
		errmsg(err, errlen, 0,
		       "lease database %s: schema version %lld is newer than "
		       "this dhcpxdp supports (%d); run a newer dhcpxdp or "
		       "restore a backup",
		       path, (long long)version, DX_LEASE_DB_SCHEMA_VERSION);
		return -EPROTONOSUPPORT;
	}
	for (; version < DX_LEASE_DB_SCHEMA_VERSION; version++) {
		snprintf(sql, sizeof(sql),
			 "PRAGMA application_id = %d; PRAGMA user_version = "
			 "%lld",
			 DX_LEASE_DB_APP_ID, (long long)version + 1);
		rc = sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(h, migrations[version], NULL, NULL,
					  NULL);
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(h, sql, NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(h, "COMMIT", NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			errmsg(err, errlen, 0,
			       "lease database %s: migration to schema "
			       "version %lld failed: %s",
			       path, (long long)version + 1, sqlite3_errmsg(h));
			if (!sqlite3_get_autocommit(h))
				sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
			return sqlite_errno(h, rc);
		}
	}
	return 0;
}

static int file_id_read(const char *path, struct file_id *id)
{
	struct stat sb;

	if (stat(path, &sb) < 0)
		return -errno;
	id->dev = sb.st_dev;
	id->ino = sb.st_ino;
	id->known = true;
	return 0;
}

/* Does path still name the file id was read from (if it was)? */
static bool file_id_same(const char *path, const struct file_id *id)
{
	struct file_id now;

	if (!id->known)
		return true;
	return !file_id_read(path, &now) && now.dev == id->dev &&
	       now.ino == id->ino;
}

/*
 * The database file is looked at on every commit; its WAL at most once a
 * second (wal_now false): a stat() of the file a commit has just appended
 * to and synced makes the next commit's sync slower on ext4 (by a fifth
 * of a one-lease commit, measured), the database file's costs nothing.
 * `rm leases.sqlite3*` takes both, so is seen at the next commit.
 */
static int check_files(struct sqlite_db *db, bool wal_now)
{
	int64_t now = now_mono_ms();
	bool main_ok;

	if (wal_now || now - db->wal_checked_ms >= 1000) {
		wal_now = true;
		db->wal_checked_ms = now;
	}
	if (!db->stale) {
		main_ok = file_id_same(db->path, &db->file);
		if (main_ok &&
		    (!wal_now || file_id_same(db->wal_path, &db->wal)))
			return 0;
		/*
		 * The WAL alone: the commits since the last check are in the
		 * removed file. Copied into the database file (still ours),
		 * they survive a crash as well.
		 */
		if (main_ok)
			sqlite3_wal_checkpoint_v2(db->h, NULL,
						  SQLITE_CHECKPOINT_PASSIVE,
						  NULL, NULL);
	}
	/* For good: what went into the file in use is not at the path. */
	db->stale = true;
	snprintf(db->base.errmsg, sizeof(db->base.errmsg),
		 "lease database %s was removed or replaced while in use; "
		 "grants stopped; restore it or restart dhcpxdp",
		 db->path);
	return -ESTALE;
}

static struct sqlite_db *sqlite_of(struct lease_db *base)
{
	return (struct sqlite_db *)base;
}

static int sqlite_check_file(struct lease_db *base)
{
	return check_files(sqlite_of(base), true);
}

static int wal_hook(void *arg, sqlite3 *h, const char *name, int pages)
{
	struct sqlite_db *db = arg;

	(void)h;
	(void)name;
	db->wal_pages = pages;
	return SQLITE_OK;
}

/* The WAL checkpointed, and truncated when it grew large (WAL_CKPT_PAGES). */
static void wal_upkeep(struct sqlite_db *db)
{
	int mode = SQLITE_CHECKPOINT_PASSIVE, log = -1, done = -1, rc;
	int64_t now;

	if (db->wal_pages < WAL_CKPT_PAGES)
		return;
	now = now_mono();
	if (now < db->ckpt_after)
		return;
	if ((int64_t)db->wal_pages * db->frame_size >= LEASE_DB_WAL_MAX_BYTES)
		mode = SQLITE_CHECKPOINT_TRUNCATE;
	/* Wait for no reader: the next commit tries again. */
	sqlite3_busy_timeout(db->h, 0);
	rc = sqlite3_wal_checkpoint_v2(db->h, NULL, mode, &log, &done);
	sqlite3_busy_timeout(db->h, BUSY_MS);
	if (rc == SQLITE_OK && log == done) {
		db->ckpt_after = 0;
		if (mode == SQLITE_CHECKPOINT_TRUNCATE)
			db->wal_pages = 0;
		return;
	}
	db->ckpt_after = now + 1;
}

/* Remember which files the database and its WAL are (check_files). */
static int note_files(struct sqlite_db *db, const char *path, char *err,
		      size_t errlen)
{
	int64_t page_size = 0;
	size_t len = strlen(path);
	int ret;

	db->path = strdup(path);
	db->wal_path = malloc(len + sizeof("-wal"));
	if (!db->path || !db->wal_path) {
		errmsg(err, errlen, 0, "lease database %s: out of memory",
		       path);
		return -ENOMEM;
	}
	memcpy(db->wal_path, path, len);
	memcpy(db->wal_path + len, "-wal", sizeof("-wal"));
	ret = file_id_read(path, &db->file);
	if (ret) {
		errmsg(err, errlen, 0, "lease database %s: %s", path,
		       strerror(-ret));
		return ret;
	}
	/* Opened by the first read; if not yet, by the first commit. */
	(void)file_id_read(db->wal_path, &db->wal);
	if (pragma_int(db->h, "PRAGMA page_size", &page_size) != SQLITE_OK ||
	    page_size <= 0)
		page_size = 4096;
	db->frame_size = page_size + 24; /* a WAL frame's header */
	sqlite3_wal_hook(db->h, wal_hook, db);
	return 0;
}

static const struct lease_db_ops sqlite_ops;
static void sqlite_close(struct lease_db *base);

int lease_db_sqlite_open(const char *path, struct lease_db **out, char *err,
			 size_t errlen)
{
	struct sqlite_db *db = NULL;
	int ret, rc, i;

	if (!path || !*path || !out) {
		errmsg(err, errlen, 0, "lease database: no path given");
		return -EINVAL;
	}
	*out = NULL;
	ret = check_path(path, err, errlen);
	if (ret)
		return ret;
	db = calloc(1, sizeof(*db));
	if (!db) {
		errmsg(err, errlen, 0, "lease database %s: out of memory",
		       path);
		return -ENOMEM;
	}
	db->base.ops = &sqlite_ops;
	snprintf(db->base.name, sizeof(db->base.name), "%s", path);
	rc = sqlite3_open_v2(path, &db->h,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				     SQLITE_OPEN_NOMUTEX,
			     NULL);
	if (rc != SQLITE_OK) {
		errmsg(err, errlen, 0, "lease database %s: %s", path,
		       db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
		ret = sqlite_errno(db->h, rc);
		goto out;
	}
	sqlite3_extended_result_codes(db->h, 1);
	sqlite3_busy_timeout(db->h, BUSY_MS);
	ret = set_pragmas(db->h, path, err, errlen);
	if (ret)
		goto out;
	ret = migrate(db->h, path, err, errlen);
	if (!ret)
		ret = note_files(db, path, err, errlen);
	if (ret)
		goto out;
	for (i = 0; i < S_MAX; i++) {
		rc = sqlite3_prepare_v3(db->h, stmt_sql[i], -1,
					SQLITE_PREPARE_PERSISTENT, &db->stmt[i],
					NULL);
		if (rc != SQLITE_OK) {
			errmsg(err, errlen, 0, "lease database %s: %s", path,
			       sqlite3_errmsg(db->h));
			ret = sqlite_errno(db->h, rc);
			goto out;
		}
	}
	*out = &db->base;
out:
	if (ret && db)
		sqlite_close(&db->base);
	return ret;
}

static void sqlite_close(struct lease_db *base)
{
	struct sqlite_db *db = sqlite_of(base);
	int i;

	for (i = 0; i < S_MAX; i++)
		sqlite3_finalize(db->stmt[i]);
	/* The last connection to close checkpoints and removes the WAL. */
	sqlite3_close(db->h);
	free(db->path);
	free(db->wal_path);
	free(db);
}

static int bind_upsert(sqlite3_stmt *st, const struct dx_lease_rec *r)
{
	int rc;

	rc = sqlite3_bind_int64(st, 1, r->subnet_id);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 2, r->addr);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_blob(st, 3, r->mac, 6, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = r->client_id_len ? sqlite3_bind_blob(st, 4, r->client_id,
							  r->client_id_len,
							  SQLITE_STATIC)
				      : sqlite3_bind_null(st, 4);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(
			st, 5, r->hostname,
			(int)strnlen(r->hostname, DX_LEASE_HOSTNAME_MAX),
			SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(st, 6, r->state);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 7, r->expires);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 8, r->horizon);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 9, r->last_seen);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(st, 10, r->flags);
	return rc;
}

static int write_op(struct sqlite_db *db, enum dx_lease_op_kind kind,
		    const struct dx_lease_rec *r)
{
	sqlite3_stmt *st;
	int rc;

	if (kind == DX_LEASE_OP_UPSERT) {
		st = db->stmt[S_UPSERT];
		rc = bind_upsert(st, r);
	} else {
		st = db->stmt[S_DELETE];
		rc = sqlite3_bind_int64(st, 1, r->subnet_id);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_int64(st, 2, r->addr);
	}
	if (rc == SQLITE_OK)
		rc = step_done(st);
	sqlite3_clear_bindings(st);
	return rc;
}

static int begin(struct sqlite_db *db)
{
	int rc = step_done(db->stmt[S_BEGIN]);

	return rc == SQLITE_OK ? 0 : db_fail(db, rc, "begin");
}

/* Commit (durably), or roll back if ret already says we failed. */
static int finish(struct sqlite_db *db, int ret)
{
	int rc;

	if (!ret) {
		rc = step_done(db->stmt[S_COMMIT]);
		if (rc != SQLITE_OK)
			ret = db_fail(db, rc, "commit");
	}
	if (ret && !sqlite3_get_autocommit(db->h))
		step_done(db->stmt[S_ROLLBACK]);
	return ret;
}

/* One writer: every operation takes its row (lost stays zeroed). */
static int sqlite_commit(struct lease_db *base, const struct dx_lease_op *ops,
			 size_t n, uint8_t *lost)
{
	struct sqlite_db *db = sqlite_of(base);
	int ret, rc;
	size_t i;

	(void)lost;
	/* Written to a file no longer at the path, it would not be durable. */
	ret = check_files(db, false);
	if (ret)
		return ret;
	ret = begin(db);
	for (i = 0; i < n && !ret; i++) {
		rc = write_op(db, ops[i].kind, &ops[i].rec);
		if (rc != SQLITE_OK)
			ret = db_fail(db, rc, "write lease");
	}
	ret = finish(db, ret);
	if (!ret && !db->wal.known)
		(void)file_id_read(db->wal_path, &db->wal);
	wal_upkeep(db);
	return ret;
}

/* Fill r from the current row of a SELECT COLS statement. */
static void read_row(sqlite3_stmt *st, struct dx_lease_rec *r)
{
	const void *blob;
	int len;

	memset(r, 0, sizeof(*r));
	r->subnet_id = (uint32_t)sqlite3_column_int64(st, 0);
	r->addr = (uint32_t)sqlite3_column_int64(st, 1);
	blob = sqlite3_column_blob(st, 2);
	len = sqlite3_column_bytes(st, 2);
	if (blob && len == 6)
		memcpy(r->mac, blob, 6);
	blob = sqlite3_column_blob(st, 3);
	len = sqlite3_column_bytes(st, 3);
	if (blob && len > 0) {
		if (len > DX_LEASE_CLIENT_ID_MAX)
			len = DX_LEASE_CLIENT_ID_MAX;
		memcpy(r->client_id, blob, len);
		r->client_id_len = (uint8_t)len;
	}
	blob = sqlite3_column_text(st, 4);
	len = sqlite3_column_bytes(st, 4);
	if (blob && len > 0) {
		if (len > DX_LEASE_HOSTNAME_MAX)
			len = DX_LEASE_HOSTNAME_MAX;
		memcpy(r->hostname, blob, len);
	}
	r->state = (uint8_t)sqlite3_column_int(st, 5);
	r->expires = sqlite3_column_int64(st, 6);
	r->horizon = sqlite3_column_int64(st, 7);
	r->last_seen = sqlite3_column_int64(st, 8);
	r->flags = (uint8_t)sqlite3_column_int(st, 9);
}

static int sqlite_load(struct lease_db *base, dx_lease_cb cb, void *arg)
{
	struct sqlite_db *db = sqlite_of(base);
	struct dx_lease_rec rec;
	sqlite3_stmt *st;
	int ret = 0, rc;

	st = db->stmt[S_LOAD];
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_row(st, &rec);
		ret = cb(&rec, arg);
		if (ret)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = db_fail(db, rc, "load leases");
	sqlite3_reset(st);
	return ret;
}

/* Step a bound lookup statement once: 0 and *out, or -ENOENT. */
static int get_one(struct sqlite_db *db, sqlite3_stmt *st, int rc,
		   struct dx_lease_rec *out)
{
	int ret = 0;

	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_row(st, out);
	else if (rc == SQLITE_DONE)
		ret = -ENOENT;
	else
		ret = db_fail(db, rc, "look up lease");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return ret;
}

static int sqlite_get_by_addr(struct lease_db *base, uint32_t subnet_id,
			      uint32_t addr, struct dx_lease_rec *out)
{
	struct sqlite_db *db = sqlite_of(base);
	sqlite3_stmt *st;
	int rc;

	st = db->stmt[S_BY_ADDR];
	rc = sqlite3_bind_int64(st, 1, subnet_id);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 2, addr);
	return get_one(db, st, rc, out);
}

static int sqlite_get_by_mac(struct lease_db *base, uint32_t subnet_id,
			     const uint8_t mac[6], struct dx_lease_rec *out)
{
	struct sqlite_db *db = sqlite_of(base);
	sqlite3_stmt *st;
	int rc;

	st = db->stmt[S_BY_MAC];
	rc = sqlite3_bind_int64(st, 1, subnet_id);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_blob(st, 2, mac, 6, SQLITE_STATIC);
	return get_one(db, st, rc, out);
}

static bool sqlite_thread_safe(void)
{
	/* A connection handed between threads needs SQLite's mutexes. */
	return sqlite3_threadsafe();
}

static const struct lease_db_ops sqlite_ops = {
	.close = sqlite_close,
	.commit = sqlite_commit,
	.check_file = sqlite_check_file,
	.load = sqlite_load,
	.get_by_addr = sqlite_get_by_addr,
	.get_by_mac = sqlite_get_by_mac,
	.thread_safe = sqlite_thread_safe,
};

/* The schema version of the file at path, read without changing it. */
static int read_version(const char *path, int *version, char *err,
			size_t errlen)
{
	sqlite3 *h = NULL;
	int64_t v = 0;
	int rc, ret = 0;

	rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK)
		rc = pragma_int(h, "PRAGMA user_version", &v);
	if (rc != SQLITE_OK) {
		errmsg(err, errlen, 0, "lease database %s: %s", path,
		       h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
		ret = sqlite_errno(h, rc);
	}
	*version = (int)v;
	sqlite3_close(h);
	return ret;
}

int lease_db_sqlite_admin(const char *path, int op, int *version, char *err,
			  size_t errlen)
{
	struct lease_db *db;
	struct stat sb;
	int ret;

	if (!path || !*path) {
		errmsg(err, errlen, 0, "lease database: no path given");
		return -EINVAL;
	}
	if (op == LEASE_DB_VERSION)
		/* No file: no schema. */
		return stat(path, &sb) < 0
			       ? 0
			       : read_version(path, version, err, errlen);
	/* Opening creates the file and brings the schema up to date. */
	ret = lease_db_sqlite_open(path, &db, err, errlen);
	if (ret)
		return ret;
	sqlite_close(db);
	*version = DX_LEASE_DB_SCHEMA_VERSION;
	return 0;
}
