// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for the lease database's upkeep (user/store/lease_db.c): a
 * database file removed, renamed or replaced while open, or its WAL
 * removed, makes every commit fail with -ESTALE and a message naming the
 * path (commits into an unlinked file would not survive a restart); and
 * the WAL stays bounded (LEASE_DB_WAL_MAX_BYTES) across many commits,
 * also once a reader that held it from being checkpointed is gone, without
 * a commit waiting for such a reader.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "store/lease_db.h"
#include "tmp_dir.h"

#define SUBNET 3
#define BATCH  2000

struct fixture {
	char dir[64];
	char path[128];
	char wal[160];
	char shm[160];
	struct lease_db *db;
	struct dx_lease_op *ops;
	uint32_t next; /* rows written so far */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256] = "";

	if (!f)
		return -1;
	if (tmp_dir_make(f->dir, sizeof(f->dir), "lease_upkeep"))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/leases.sqlite3", f->dir);
	snprintf(f->wal, sizeof(f->wal), "%s-wal", f->path);
	snprintf(f->shm, sizeof(f->shm), "%s-shm", f->path);
	f->ops = calloc(BATCH, sizeof(*f->ops));
	if (!f->ops || lease_db_open_file(f->path, &f->db, err, sizeof(err))) {
		fprintf(stderr, "lease_db_open: %s\n", err);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	lease_db_close(f->db);
	tmp_dir_remove(f->dir);
	free(f->ops);
	free(f);
	return 0;
}

/* Commit n new rows, spread over the table (many pages per commit). */
static int commit_rows(struct fixture *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct dx_lease_rec *r = &f->ops[i].rec;
		uint32_t k = f->next++;

		memset(&f->ops[i], 0, sizeof(f->ops[i]));
		f->ops[i].kind = DX_LEASE_OP_UPSERT;
		r->subnet_id = SUBNET;
		r->addr = (k * 2654435761u) & 0x3fffffff;
		r->mac[0] = 2;
		memcpy(r->mac + 2, &k, 4);
		r->state = DX_LEASE_ACTIVE;
		r->expires = 1700000000 + k;
		r->horizon = r->expires + 3600;
		r->last_seen = 1700000000;
		snprintf(r->hostname, sizeof(r->hostname), "host-%u", k);
	}
	return lease_db_commit_ops(f->db, f->ops, n);
}

static off_t wal_size(const struct fixture *f)
{
	struct stat sb;

	return stat(f->wal, &sb) ? 0 : sb.st_size;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Rows of the database file alone, without its WAL. */
static int64_t main_file_rows(const struct fixture *f)
{
	char uri[200];
	sqlite3 *h = NULL;
	sqlite3_stmt *st;
	int64_t n = -1;

	snprintf(uri, sizeof(uri), "file:%s?immutable=1", f->path);
	assert_int_equal(sqlite3_open_v2(uri, &h,
					 SQLITE_OPEN_READONLY | SQLITE_OPEN_URI,
					 NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT count(*) FROM lease4",
					    -1, &st, NULL),
			 SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return n;
}

static void assert_message(struct fixture *f)
{
	const char *msg = lease_db_errmsg(f->db);

	if (!strstr(msg, f->path) ||
	    !strstr(msg, "was removed or replaced while in use") ||
	    !strstr(msg, "grants stopped"))
		fail_msg("message: %s", msg);
}

/* The next commit is refused, and every one after it. */
static void assert_stale(struct fixture *f)
{
	assert_int_equal(commit_rows(f, 1), -ESTALE);
	assert_message(f);
	assert_int_equal(lease_db_check_file(f->db), -ESTALE);
	assert_int_equal(commit_rows(f, 1), -ESTALE);
	assert_message(f);
}

/* The files of a healthy database pass, and commits go on. */
static void test_files_in_place_pass(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(lease_db_check_file(f->db), 0);
	assert_int_equal(commit_rows(f, 3), 0);
	assert_int_equal(lease_db_check_file(f->db), 0);
	assert_int_equal(lease_db_check_file(NULL), -EINVAL);
}

/* `rm leases.sqlite3*` while open: refused, and stays refused. */
static void test_removed_database_refused(void **state)
{
	struct fixture *f = *state;
	struct lease_db *other = NULL;
	char err[256];

	assert_int_equal(commit_rows(f, 3), 0);
	assert_int_equal(unlink(f->path), 0);
	assert_int_equal(unlink(f->wal), 0);
	unlink(f->shm);
	assert_stale(f);
	/* A new database at the path is not the one this connection has. */
	assert_int_equal(lease_db_open_file(f->path, &other, err, sizeof(err)), 0);
	assert_stale(f);
	lease_db_close(other);
}

/* Only the main file removed (its WAL still there). */
static void test_removed_main_file_refused(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(commit_rows(f, 3), 0);
	assert_int_equal(unlink(f->path), 0);
	assert_stale(f);
}

/* A backup moved over it while open. */
static void test_replaced_database_refused(void **state)
{
	struct fixture *f = *state;
	char other[160];
	FILE *fp;

	assert_int_equal(commit_rows(f, 3), 0);
	snprintf(other, sizeof(other), "%s/backup.sqlite3", f->dir);
	fp = fopen(other, "w");
	assert_non_null(fp);
	fclose(fp);
	assert_int_equal(rename(other, f->path), 0);
	assert_stale(f);
}

/*
 * The WAL alone removed: what is committed to it would be lost. Commits
 * look at the WAL once a second: refused within that.
 */
static void test_removed_wal_refused(void **state)
{
	struct fixture *f = *state;
	double t0;
	int ret;

	assert_int_equal(commit_rows(f, 3), 0);
	assert_int_equal(unlink(f->wal), 0);
	t0 = now_s();
	while ((ret = commit_rows(f, 1)) == 0 && now_s() - t0 < 3)
		usleep(20000);
	printf("refused after %.2f s, %u rows committed\n", now_s() - t0,
	       f->next - 1);
	assert_int_equal(ret, -ESTALE);
	assert_true(now_s() - t0 < 1.5);
	assert_message(f);
	assert_int_equal(lease_db_check_file(f->db), -ESTALE);
	/* What went into the removed WAL is in the database file itself
	 * (read alone: immutable, no WAL). */
	assert_int_equal(main_file_rows(f), f->next - 1);
}

/* Many commits: the WAL is checkpointed and stays bounded. */
static void test_wal_bounded_many_commits(void **state)
{
	struct fixture *f = *state;
	off_t most = 0;

	for (int i = 0; i < 60; i++) {
		assert_int_equal(commit_rows(f, BATCH), 0);
		if (wal_size(f) > most)
			most = wal_size(f);
	}
	printf("largest WAL over 60 commits of %d rows: %lld bytes\n", BATCH,
	       (long long)most);
	assert_true(most <= 2 * LEASE_DB_WAL_MAX_BYTES);
	assert_true(wal_size(f) <= LEASE_DB_WAL_MAX_BYTES);
	assert_int_equal(lease_db_check_file(f->db), 0);
}

/*
 * A reader holding an old snapshot keeps the WAL from being reset, so it
 * grows past the bound meanwhile (and no commit waits for the reader).
 * Once the reader is gone, the next commits bring it back under the
 * bound: it is truncated, not only reused.
 */
static void test_wal_shrinks_after_reader(void **state)
{
	struct fixture *f = *state;
	sqlite3 *reader = NULL;
	double t, slowest = 0;
	int i;

	assert_int_equal(commit_rows(f, BATCH), 0);
	assert_int_equal(sqlite3_open(f->path, &reader), SQLITE_OK);
	assert_int_equal(sqlite3_exec(reader,
				      "BEGIN; SELECT count(*) FROM lease4;",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	for (i = 0; wal_size(f) <= LEASE_DB_WAL_MAX_BYTES + (4 << 20); i++) {
		assert_true(i < 200);
		t = now_s();
		assert_int_equal(commit_rows(f, BATCH), 0);
		if (now_s() - t > slowest)
			slowest = now_s() - t;
	}
	printf("WAL %lld bytes after %d commits under a reader, slowest "
	       "commit %.3f s\n",
	       (long long)wal_size(f), i, slowest);
	/* Not the busy timeout (5 s) of a checkpoint waiting for it. */
	assert_true(slowest < 2.5);
	assert_int_equal(sqlite3_exec(reader, "COMMIT", NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(reader);
	/* Retries are spaced by a second: wait for the next one. */
	sleep(1);
	for (i = 0; i < 3; i++)
		assert_int_equal(commit_rows(f, 10), 0);
	printf("WAL %lld bytes after the reader ended\n",
	       (long long)wal_size(f));
	assert_true(wal_size(f) <= LEASE_DB_WAL_MAX_BYTES);
	assert_int_equal(lease_db_check_file(f->db), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_files_in_place_pass),
		T(test_removed_database_refused),
		T(test_removed_main_file_refused),
		T(test_replaced_database_refused),
		T(test_removed_wal_refused),
		T(test_wal_bounded_many_commits),
		T(test_wal_shrinks_after_reader),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
