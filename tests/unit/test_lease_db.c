// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Unit tests for the SQLite lease database (user/store/lease_db.c). */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "store/lease_db.h"
#include "lease_rows.h"

struct fixture {
	char dir[64];
	char path[128];
	char wal[160];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	strcpy(f->dir, "/tmp/dx_lease_db_XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/leases.sqlite3", f->dir);
	snprintf(f->wal, sizeof(f->wal), "%s-wal", f->path);
	*state = f;
	return 0;
}

static int rm_one(const char *p, const struct stat *sb, int flag,
		  struct FTW *ftw)
{
	return remove(p);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	chmod(f->dir, 0700);
	nftw(f->dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

static struct lease_db *open_ok(const char *path)
{
	struct lease_db *db = NULL;
	char err[256] = "";
	int rc = lease_db_open_file(path, &db, err, sizeof(err));

	if (rc)
		fail_msg("lease_db_open_file(%s) = %d: %s", path, rc, err);
	assert_non_null(db);
	return db;
}

/* Raw SQLite access to the same file, to inspect what we wrote. */
static int64_t raw_int(const char *path, const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	int64_t v = -1;

	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

static void raw_exec(const char *path, const char *sql)
{
	sqlite3 *h;

	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
}

static uint64_t count(struct lease_db *db, int state)
{
	uint64_t n = 0;

	assert_int_equal(lease_rows_count(db, state, &n), 0);
	return n;
}

static void test_fresh_db_gets_current_schema(void **state)
{
	struct fixture *f = *state;
	struct lease_db *db = open_ok(f->path);

	lease_db_close(db);
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"),
			 DX_LEASE_DB_SCHEMA_VERSION);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sqlite_schema"
					  " WHERE name = 'lease4'"),
			 1);
	/* WAL is persistent in the file header (read/write version 2) */
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM"
					  " pragma_journal_mode WHERE"
					  " journal_mode = 'wal'"),
			 1);
	/* reopening an up-to-date database changes nothing */
	db = open_ok(f->path);
	lease_db_close(db);
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"),
			 DX_LEASE_DB_SCHEMA_VERSION);
}

/* A version-1 database (which had a deadline index for a reclaim walk the
 * engine does itself) is brought to version 2, its rows kept. */
static void test_v1_migrates_to_v2(void **state)
{
	struct fixture *f = *state;
	struct lease_db *db = open_ok(f->path);
	struct dx_lease_rec r, got;

	lease_rows_make(&r, 1, 0x0a000002, 2, DX_LEASE_ACTIVE);
	assert_int_equal(lease_rows_commit(db, &r, 1), 0);
	lease_db_close(db);
	raw_exec(f->path, "CREATE INDEX lease4_by_deadline ON lease4"
			  " (max(expires, horizon)) WHERE state IN (1, 3);"
			  " PRAGMA user_version = 1");
	db = open_ok(f->path);
	assert_int_equal(lease_db_get_by_addr(db, 1, 0x0a000002, &got), 0);
	assert_memory_equal(got.mac, r.mac, 6);
	lease_db_close(db);
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"),
			 DX_LEASE_DB_SCHEMA_VERSION);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sqlite_schema"
					  " WHERE name = 'lease4_by_deadline'"),
			 0);
}

/* A version-2 database loses its MAC index (version 3); reads by MAC
 * still find the client's row, an ACTIVE one first. */
static void test_v2_migrates_to_v3(void **state)
{
	struct fixture *f = *state;
	struct lease_db *db = open_ok(f->path);
	struct dx_lease_rec r[2], got;

	lease_rows_make(&r[0], 1, 0x0a000002, 2, DX_LEASE_EXPIRED);
	lease_rows_make(&r[1], 1, 0x0a000003, 2, DX_LEASE_ACTIVE);
	assert_int_equal(lease_rows_commit(db, r, 2), 0);
	lease_db_close(db);
	raw_exec(f->path, "CREATE INDEX lease4_by_mac ON lease4"
			  " (subnet_id, mac); PRAGMA user_version = 2");
	db = open_ok(f->path);
	assert_int_equal(lease_db_get_by_mac(db, 1, r[1].mac, &got), 0);
	assert_int_equal(got.addr, 0x0a000003);
	lease_db_close(db);
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"), 3);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sqlite_schema"
					  " WHERE name = 'lease4_by_mac'"),
			 0);
}

static void test_future_version_refused(void **state)
{
	struct fixture *f = *state;
	struct lease_db *db = open_ok(f->path);
	char err[256] = "";

	lease_db_close(db);
	raw_exec(f->path, "PRAGMA user_version = 99");
	db = (struct lease_db *)1;
	assert_int_equal(lease_db_open_file(f->path, &db, err, sizeof(err)),
			 -EPROTONOSUPPORT);
	assert_null(db);
	assert_non_null(strstr(err, "99"));
	assert_non_null(strstr(err, "newer"));
	assert_non_null(strstr(err, f->path));
	/* and it was left alone */
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"), 99);
}

static void test_foreign_db_refused(void **state)
{
	struct fixture *f = *state;
	struct lease_db *db = NULL;
	char err[256] = "";

	raw_exec(f->path, "CREATE TABLE customers (name TEXT)");
	assert_int_equal(lease_db_open_file(f->path, &db, err, sizeof(err)),
			 -EPROTONOSUPPORT);
	assert_non_null(strstr(err, "not a dhcpxdp lease database"));
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sqlite_schema"),
			 1);
}

static void test_missing_directory(void **state)
{
	struct fixture *f = *state;
	struct lease_db *db = NULL;
	char path[256], err[512] = "";
	FILE *fp;

	snprintf(path, sizeof(path), "%s/no/such/dir/leases.sqlite3", f->dir);
	assert_int_equal(lease_db_open_file(path, &db, err, sizeof(err)), -ENOENT);
	assert_null(db);
	assert_non_null(strstr(err, path));
	/* parent is a regular file */
	raw_exec(f->path, "PRAGMA user_version = 0");
	snprintf(path, sizeof(path), "%s/leases.db", f->path);
	assert_int_equal(lease_db_open_file(path, &db, err, sizeof(err)), -ENOTDIR);
	assert_non_null(strstr(err, path));
	/* the path is a directory */
	assert_int_equal(lease_db_open_file(f->dir, &db, err, sizeof(err)), -EISDIR);
	assert_null(db);
	assert_non_null(strstr(err, f->dir));
	assert_int_equal(lease_db_open_file(NULL, &db, err, sizeof(err)), -EINVAL);
	/* an existing file that is not a database */
	snprintf(path, sizeof(path), "%s/junk", f->dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("this is not an SQLite database, just some text.............."
	      "............................................................",
	      fp);
	fclose(fp);
	assert_int_equal(lease_db_open_file(path, &db, err, sizeof(err)), -EBADMSG);
	assert_non_null(strstr(err, path));
}

static void test_unwritable_directory(void **state)
{
	struct fixture *f = *state;
	char sub[128];
	pid_t pid;
	int status;

	snprintf(sub, sizeof(sub), "%s/ro", f->dir);
	assert_int_equal(mkdir(sub, 0555), 0);
	chmod(f->dir, 0755);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct lease_db *db = NULL;
		char path[256], err[512] = "";
		int rc;

		/* root ignores permissions: test as nobody */
		if (geteuid() == 0 && (setgid(65534) || setuid(65534)))
			_exit(3);
		snprintf(path, sizeof(path), "%s/leases.sqlite3", sub);
		rc = lease_db_open_file(path, &db, err, sizeof(err));
		if (rc != -EACCES || db)
			_exit(1);
		if (!strstr(err, path) || !strstr(err, "not writable"))
			_exit(2);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void fill_varied(struct dx_lease_rec *recs, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		struct dx_lease_rec *r = &recs[i];

		lease_rows_make(r, (uint32_t)(i % 3) * 0x7fffffffU, 0x0a000000 + i,
			 (uint8_t)i, 1 + i % 4);
		r->flags = (uint8_t)(i * 37);
		r->client_id_len = (uint8_t)((i * 53) % 256);
		for (j = 0; j < r->client_id_len; j++)
			r->client_id[j] = (uint8_t)(i + j);
		for (j = 0; j < (i * 71) % 256; j++)
			r->hostname[j] = 'a' + (i + j) % 26;
		r->expires = (int64_t)i * 1000003 - 5;
		r->horizon = INT64_MAX - (int64_t)i;
		r->last_seen = -(int64_t)i;
	}
	recs[n - 1].addr = 0xffffffff;
	recs[n - 1].subnet_id = 0xffffffff;
}

struct collect {
	struct dx_lease_rec *recs;
	size_t n, max;
};

static int collect_cb(const struct dx_lease_rec *r, void *arg)
{
	struct collect *c = arg;

	if (c->n >= c->max)
		return -E2BIG;
	c->recs[c->n++] = *r;
	return 0;
}

static const struct dx_lease_rec *find(const struct collect *c, uint32_t subnet,
				       uint32_t addr)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->recs[i].subnet_id == subnet && c->recs[i].addr == addr)
			return &c->recs[i];
	return NULL;
}

static void test_batch_roundtrip(void **state)
{
	struct fixture *f = *state;
	enum { N = 300 };
	struct dx_lease_rec *recs = calloc(N, sizeof(*recs)), got;
	struct collect c = {calloc(N + 1, sizeof(*recs)), 0, N + 1};
	struct lease_db *db = open_ok(f->path);
	size_t i;

	fill_varied(recs, N);
	assert_int_equal(lease_rows_commit(db, recs, N), 0);
	lease_db_close(db);

	db = open_ok(f->path);
	assert_int_equal(count(db, 0), N);
	assert_int_equal(lease_db_load(db, collect_cb, &c), 0);
	assert_int_equal(c.n, N);
	for (i = 0; i < N; i++) {
		const struct dx_lease_rec *r =
			find(&c, recs[i].subnet_id, recs[i].addr);
		assert_non_null(r);
		assert_memory_equal(r->mac, recs[i].mac, 6);
		assert_int_equal(r->state, recs[i].state);
		assert_int_equal(r->flags, recs[i].flags);
		assert_int_equal(r->client_id_len, recs[i].client_id_len);
		assert_memory_equal(r->client_id, recs[i].client_id,
				    recs[i].client_id_len);
		assert_string_equal(r->hostname, recs[i].hostname);
		assert_true(r->expires == recs[i].expires);
		assert_true(r->horizon == recs[i].horizon);
		assert_true(r->last_seen == recs[i].last_seen);
		/* and nothing else differs, padding included */
		assert_memory_equal(r, &recs[i], sizeof(*r));
		assert_int_equal(lease_db_get_by_addr(db, recs[i].subnet_id,
						      recs[i].addr, &got),
				 0);
		assert_memory_equal(&got, &recs[i], sizeof(got));
	}
	/* load walks in (subnet, addr) order */
	for (i = 1; i < N; i++)
		assert_true(c.recs[i - 1].subnet_id < c.recs[i].subnet_id ||
			    (c.recs[i - 1].subnet_id == c.recs[i].subnet_id &&
			     c.recs[i - 1].addr < c.recs[i].addr));
	assert_int_equal(lease_db_get_by_addr(db, 1, 1, &got), -ENOENT);
	/* a callback's error stops the walk and comes back */
	c.n = 0;
	c.max = 5;
	assert_int_equal(lease_db_load(db, collect_cb, &c), -E2BIG);
	assert_int_equal(c.n, 5);
	lease_db_close(db);
	free(recs);
	free(c.recs);
}

static void test_upsert_overwrites(void **state)
{
	struct fixture *f = *state;
	struct lease_db *db = open_ok(f->path);
	struct dx_lease_rec r[2], got;

	lease_rows_make(&r[0], 7, 0xc0a80105, 1, DX_LEASE_ACTIVE);
	r[0].client_id_len = 3;
	memcpy(r[0].client_id, "\x01\x02\x03", 3);
	strcpy(r[0].hostname, "old");
	assert_int_equal(lease_rows_commit(db, r, 1), 0);

	/* same key, another client, no client-id, no hostname */
	lease_rows_make(&r[1], 7, 0xc0a80105, 9, DX_LEASE_DECLINED);
	r[1].expires = 42;
	assert_int_equal(lease_rows_commit(db, &r[1], 1), 0);
	assert_int_equal(count(db, 0), 1);
	assert_int_equal(lease_db_get_by_addr(db, 7, 0xc0a80105, &got), 0);
	assert_memory_equal(&got, &r[1], sizeof(got));

	/* the same key twice in one batch: the last one wins */
	r[0].expires = 1;
	r[1].expires = 2;
	assert_int_equal(lease_rows_commit(db, r, 2), 0);
	assert_int_equal(lease_db_get_by_addr(db, 7, 0xc0a80105, &got), 0);
	assert_true(got.expires == 2);
	assert_int_equal(count(db, 0), 1);
	lease_db_close(db);
}

static void test_ops_upsert_and_delete(void **state)
{
	struct fixture *f = *state;
	struct lease_db *db = open_ok(f->path);
	struct dx_lease_op ops[3];
	struct dx_lease_rec got;

	memset(ops, 0, sizeof(ops));
	ops[0].kind = DX_LEASE_OP_UPSERT;
	lease_rows_make(&ops[0].rec, 1, 100, 1, DX_LEASE_ACTIVE);
	ops[1].kind = DX_LEASE_OP_UPSERT;
	lease_rows_make(&ops[1].rec, 1, 101, 2, DX_LEASE_ACTIVE);
	assert_int_equal(lease_db_commit_ops(db, ops, 2), 0);

	ops[0].kind = DX_LEASE_OP_DELETE;
	ops[1].kind = DX_LEASE_OP_UPSERT;
	ops[1].rec.state = DX_LEASE_RELEASED;
	ops[2].kind = DX_LEASE_OP_DELETE; /* absent row: not an error */
	ops[2].rec.subnet_id = 1;
	ops[2].rec.addr = 999;
	assert_int_equal(lease_db_commit_ops(db, ops, 3), 0);
	assert_int_equal(lease_db_get_by_addr(db, 1, 100, &got), -ENOENT);
	assert_int_equal(lease_db_get_by_addr(db, 1, 101, &got), 0);
	assert_int_equal(got.state, DX_LEASE_RELEASED);
	ops[0].kind = 0;
	assert_int_equal(lease_db_commit_ops(db, ops, 1), -EINVAL);
	lease_db_close(db);
}

static void test_invalid_args(void **state)
{
	struct fixture *f = *state;
	struct lease_db *db = open_ok(f->path);
	struct dx_lease_op ops[2] = { { .kind = DX_LEASE_OP_UPSERT },
				      { .kind = DX_LEASE_OP_UPSERT } };
	struct dx_lease_rec r;

	lease_rows_make(&ops[0].rec, 1, 1, 1, DX_LEASE_ACTIVE);
	lease_rows_make(&ops[1].rec, 1, 2, 1, 0); /* no such state */
	assert_int_equal(lease_db_commit_ops(db, ops, 2), -EINVAL);
	assert_int_equal(count(db, 0), 0); /* nothing half-written */
	assert_int_equal(lease_db_commit_ops(db, NULL, 0), 0);
	assert_int_equal(lease_db_commit_ops(NULL, ops, 1), -EINVAL);
	assert_int_equal(lease_db_commit_ops(db, NULL, 1), -EINVAL);
	ops[1].kind = 9; /* no such operation */
	lease_rows_make(&ops[1].rec, 1, 2, 1, DX_LEASE_ACTIVE);
	assert_int_equal(lease_db_commit_ops(db, ops, 2), -EINVAL);
	assert_int_equal(lease_db_load(db, NULL, NULL), -EINVAL);
	assert_int_equal(lease_db_get_by_mac(db, 1, NULL, &r), -EINVAL);
	lease_db_close(db);
}

static void test_failed_batch_rolls_back(void **state)
{
	struct fixture *f = *state;
	struct lease_db *db = open_ok(f->path);
	struct dx_lease_rec r[3];

	lease_db_close(db);
	/* make the third insert fail inside the transaction */
	raw_exec(f->path, "CREATE TRIGGER boom BEFORE INSERT ON lease4"
			  " WHEN NEW.addr = 666"
			  " BEGIN SELECT RAISE(ABORT, 'boom'); END");
	db = open_ok(f->path);
	lease_rows_make(&r[0], 1, 1, 1, DX_LEASE_ACTIVE);
	lease_rows_make(&r[1], 1, 2, 2, DX_LEASE_ACTIVE);
	lease_rows_make(&r[2], 1, 666, 3, DX_LEASE_ACTIVE);
	assert_true(lease_rows_commit(db, r, 3) < 0);
	assert_non_null(strstr(lease_db_errmsg(db), "boom"));
	assert_int_equal(count(db, 0), 0);
	/* not stuck in a transaction: the next batch commits */
	assert_int_equal(lease_rows_commit(db, r, 2), 0);
	lease_db_close(db);
	db = open_ok(f->path);
	assert_int_equal(count(db, 0), 2);
	lease_db_close(db);
}

static void test_released_stays_sticky(void **state)
{
	struct fixture *f = *state;
	struct lease_db *db = open_ok(f->path);
	struct dx_lease_rec r, got;
	static const uint8_t cid[] = {0x01, 0x02, 0x00, 0x5e, 0x10, 0x20, 0x05};

	lease_rows_make(&r, 3, 0x0a000005, 5, DX_LEASE_ACTIVE);
	r.client_id_len = sizeof(cid);
	memcpy(r.client_id, cid, sizeof(cid));
	assert_int_equal(lease_rows_commit(db, &r, 1), 0);
	/* DHCPRELEASE */
	r.state = DX_LEASE_RELEASED;
	assert_int_equal(lease_rows_commit(db, &r, 1), 0);
	lease_db_close(db);

	db = open_ok(f->path);
	assert_int_equal(lease_db_get_by_mac(db, 3, r.mac, &got), 0);
	assert_int_equal(got.addr, 0x0a000005);
	assert_int_equal(got.state, DX_LEASE_RELEASED);
	/* another subnet knows nothing of it */
	assert_int_equal(lease_db_get_by_mac(db, 4, r.mac, &got), -ENOENT);

	/* an older expired row and an active one: the active one wins */
	r.addr = 0x0a000009;
	r.state = DX_LEASE_ACTIVE;
	r.last_seen = 1;
	assert_int_equal(lease_rows_commit(db, &r, 1), 0);
	assert_int_equal(lease_db_get_by_mac(db, 3, r.mac, &got), 0);
	assert_int_equal(got.addr, 0x0a000009);
	/* both inactive: the most recently seen wins */
	r.state = DX_LEASE_EXPIRED;
	assert_int_equal(lease_rows_commit(db, &r, 1), 0);
	assert_int_equal(lease_db_get_by_mac(db, 3, r.mac, &got), 0);
	assert_int_equal(got.addr, 0x0a000005);
	lease_db_close(db);
}


/* A child that commits batch A, then batch B, then dies without closing. */
static void child_commit_two_batches(const char *path, struct dx_lease_rec *a,
				     struct dx_lease_rec *b, size_t n)
{
	struct lease_db *db = NULL;

	if (lease_db_open_file(path, &db, NULL, 0))
		_exit(10);
	if (lease_rows_commit(db, a, n) || lease_rows_commit(db, b, n))
		_exit(11);
	_exit(0); /* no close: the WAL is not checkpointed */
}

static void test_torn_last_commit(void **state)
{
	struct fixture *f = *state;
	enum { N = 20 };
	struct dx_lease_rec a[N], b[N], got;
	struct lease_db *db;
	struct stat sb;
	int status;
	pid_t pid;
	size_t i;

	for (i = 0; i < N; i++) {
		lease_rows_make(&a[i], 1, 1000 + i, (uint8_t)i, DX_LEASE_ACTIVE);
		lease_rows_make(&b[i], 1, 2000 + i, (uint8_t)i, DX_LEASE_ACTIVE);
	}
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		child_commit_two_batches(f->path, a, b, N);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);

	/* Power loss while the last commit frame was being written. */
	assert_int_equal(stat(f->wal, &sb), 0);
	assert_true(sb.st_size > 4096);
	assert_int_equal(truncate(f->wal, sb.st_size - 7), 0);

	db = open_ok(f->path);
	for (i = 0; i < N; i++) {
		assert_int_equal(lease_db_get_by_addr(db, 1, 1000 + i, &got),
				 0);
		assert_memory_equal(&got, &a[i], sizeof(got));
		assert_int_equal(lease_db_get_by_addr(db, 1, 2000 + i, &got),
				 -ENOENT);
	}
	assert_int_equal(count(db, 0), N);
	/* and the database works on */
	assert_int_equal(lease_rows_commit(db, b, N), 0);
	lease_db_close(db);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM"
					  " pragma_integrity_check WHERE"
					  " integrity_check = 'ok'"),
			 1);
}

static void test_killed_mid_transaction(void **state)
{
	struct fixture *f = *state;
	enum { N = 50 };
	struct dx_lease_rec a[N];
	struct lease_db *db;
	struct stat sb;
	int status;
	pid_t pid;
	size_t i;

	for (i = 0; i < N; i++)
		lease_rows_make(&a[i], 1, 1000 + i, (uint8_t)i, DX_LEASE_ACTIVE);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		sqlite3 *h;
		char sql[256];

		db = NULL;
		if (lease_db_open_file(f->path, &db, NULL, 0) ||
		    lease_rows_commit(db, a, N))
			_exit(10);
		/*
		 * A second writer begins a big transaction; a tiny cache
		 * makes it spill uncommitted pages into the WAL before
		 * the process is killed.
		 */
		lease_db_close(db);
		if (sqlite3_open(f->path, &h) ||
		    sqlite3_exec(h, "PRAGMA cache_size = 2; BEGIN IMMEDIATE;",
				 NULL, NULL, NULL))
			_exit(11);
		for (i = 0; i < 20000; i++) {
			snprintf(sql, sizeof(sql),
				 "INSERT INTO lease4 VALUES (1, %zu,"
				 " x'020000000001', NULL, 'doomed', 1, 1, 1,"
				 " 1, 0)",
				 100000 + i);
			if (sqlite3_exec(h, sql, NULL, NULL, NULL))
				_exit(12);
		}
		raise(SIGKILL);
		_exit(13);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
	/* uncommitted frames did reach the WAL */
	assert_int_equal(stat(f->wal, &sb), 0);
	assert_true(sb.st_size > 64 * 1024);

	db = open_ok(f->path);
	assert_int_equal(count(db, 0), N);
	lease_db_close(db);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM"
					  " pragma_integrity_check WHERE"
					  " integrity_check = 'ok'"),
			 1);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_fresh_db_gets_current_schema),
		T(test_v1_migrates_to_v2),
		T(test_v2_migrates_to_v3),
		T(test_future_version_refused),
		T(test_foreign_db_refused),
		T(test_missing_directory),
		T(test_unwritable_directory),
		T(test_batch_roundtrip),
		T(test_upsert_overwrites),
		T(test_ops_upsert_and_delete),
		T(test_invalid_args),
		T(test_failed_batch_rolls_back),
		T(test_released_stays_sticky),
		T(test_torn_last_commit),
		T(test_killed_mid_transaction),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
