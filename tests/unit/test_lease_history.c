// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Unit tests for the lease history store (user/store/lease_history.c). */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "store/lease_history.h"
#include "tmp_dir.h"

#define ADDR 0xc0000207 /* 192.0.2.7 */
#define T0   1700000000

static const uint8_t mac_a[6] = {0x02, 0, 0, 0, 0, 0x0a};
static const uint8_t mac_b[6] = {0x02, 0, 0, 0, 0, 0x0b};

struct fixture {
	char dir[64];
	char path[128];
	struct lease_hist *h;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256];

	if (!f || tmp_dir_make(f->dir, sizeof(f->dir), "hist"))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/history.sqlite3", f->dir);
	if (lease_hist_open(f->path, false, &f->h, err, sizeof(err)))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	lease_hist_close(f->h);
	tmp_dir_remove(f->dir);
	free(f);
	return 0;
}

static struct lease_hist_row grant_row(const uint8_t mac[6], int64_t start,
				       int64_t end)
{
	struct lease_hist_row r = {.subnet_id = 1, .addr = ADDR};

	memcpy(r.mac, mac, 6);
	r.start = start;
	r.end = end;
	return r;
}

struct found {
	struct lease_hist_row rows[8];
	size_t n;
};

static int collect(const struct lease_hist_row *r, void *arg)
{
	struct found *f = arg;

	if (f->n < 8)
		f->rows[f->n] = *r;
	f->n++;
	return 0;
}

static struct found at(struct lease_hist *h, int64_t t)
{
	struct lease_hist_query q = {.by_addr = true, .addr = ADDR,
				     .by_time = true, .at = t};
	struct found f = {0};

	assert_int_equal(lease_hist_query(h, &q, collect, &f), 0);
	return f;
}

static void grant(struct lease_hist *h, const uint8_t mac[6], int64_t start,
		  int64_t end)
{
	struct lease_hist_row r = grant_row(mac, start, end);

	assert_int_equal(lease_hist_grant(h, &r), 0);
}

/* A grant opens a tenancy, renewals push its end, a release closes it
 * early; a question about a moment names the holder of that moment. */
static void test_open_extend_release(void **state)
{
	struct fixture *f = *state;
	struct found r;

	grant(f->h, mac_a, T0, T0 + 600);
	grant(f->h, mac_a, T0 + 300, T0 + 900); /* a renewal */
	assert_int_equal(lease_hist_extend(f->h, 1, ADDR, mac_a, T0 + 1200), 0);
	/* an older expiry never shortens it */
	assert_int_equal(lease_hist_extend(f->h, 1, ADDR, mac_a, T0 + 100), 0);
	r = at(f->h, T0 + 1100);
	assert_int_equal(r.n, 1);
	assert_memory_equal(r.rows[0].mac, mac_a, 6);
	assert_int_equal(r.rows[0].start, T0);
	assert_int_equal(r.rows[0].end, T0 + 1200);
	assert_int_equal(r.rows[0].why, LEASE_HIST_OPEN);
	assert_int_equal(lease_hist_end(f->h, 1, ADDR, mac_a, T0 + 1000,
					LEASE_HIST_RELEASE),
			 0);
	assert_int_equal(at(f->h, T0 + 1100).n, 0);
	r = at(f->h, T0 + 999);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.rows[0].end, T0 + 1000);
	assert_int_equal(r.rows[0].why, LEASE_HIST_RELEASE);
	assert_int_equal(at(f->h, T0 - 1).n, 0);
	/* nothing open any more */
	assert_int_equal(lease_hist_extend(f->h, 1, ADDR, mac_a, T0 + 2000),
			 -ENOENT);
}

/* Another client on the address ends the first one's tenancy. */
static void test_reuse(void **state)
{
	struct fixture *f = *state;
	struct lease_hist_query q = {.by_mac = true};
	struct found r;

	grant(f->h, mac_a, T0, T0 + 600);
	grant(f->h, mac_b, T0 + 400, T0 + 1000);
	r = at(f->h, T0 + 399);
	assert_int_equal(r.n, 1);
	assert_memory_equal(r.rows[0].mac, mac_a, 6);
	assert_int_equal(r.rows[0].why, LEASE_HIST_REUSE);
	assert_int_equal(r.rows[0].end, T0 + 400);
	r = at(f->h, T0 + 400);
	assert_int_equal(r.n, 1);
	assert_memory_equal(r.rows[0].mac, mac_b, 6);
	/* not b's to extend as a's */
	assert_int_equal(lease_hist_extend(f->h, 1, ADDR, mac_a, T0 + 2000),
			 -ENOENT);
	assert_int_equal(lease_hist_end(f->h, 1, ADDR, mac_a, T0 + 500,
					LEASE_HIST_RELEASE),
			 -ENOENT);
	/* every tenancy of a MAC */
	memcpy(q.mac, mac_b, 6);
	memset(&r, 0, sizeof(r));
	assert_int_equal(lease_hist_query(f->h, &q, collect, &r), 0);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.rows[0].start, T0 + 400);
}

/* An expiry ends a tenancy at the later of its end and the reclaim's
 * expiry (XDP may have renewed it since the last write). */
static void test_expiry(void **state)
{
	struct fixture *f = *state;
	struct found r;

	grant(f->h, mac_a, T0, T0 + 600);
	assert_int_equal(lease_hist_end(f->h, 1, ADDR, NULL, T0 + 900,
					LEASE_HIST_EXPIRY),
			 0);
	r = at(f->h, T0 + 899);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.rows[0].why, LEASE_HIST_EXPIRY);
	assert_int_equal(at(f->h, T0 + 900).n, 0);
}

/* Relay identifiers of the grant stay when a renewal comes without. */
static void test_identifiers_kept(void **state)
{
	struct fixture *f = *state;
	struct lease_hist_row g = grant_row(mac_a, T0, T0 + 600);
	struct found r;

	g.giaddr = 0xc0000201;
	g.circuit_len = 3;
	memcpy(g.circuit, "eth", 3);
	g.remote_len = 2;
	memcpy(g.remote, "\x01\x02", 2);
	g.cid_len = 2;
	memcpy(g.cid, "\x01\x02", 2);
	snprintf(g.hostname, sizeof(g.hostname), "laptop");
	assert_int_equal(lease_hist_grant(f->h, &g), 0);
	grant(f->h, mac_a, T0 + 300, T0 + 900);
	r = at(f->h, T0 + 800);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.rows[0].giaddr, 0xc0000201);
	assert_int_equal(r.rows[0].circuit_len, 3);
	assert_memory_equal(r.rows[0].circuit, "eth", 3);
	assert_int_equal(r.rows[0].remote_len, 2);
	assert_int_equal(r.rows[0].cid_len, 2);
	assert_string_equal(r.rows[0].hostname, "laptop");
}

/* Retention removes closed tenancies that ended before the cut, never
 * an open one. */
static void test_prune(void **state)
{
	struct fixture *f = *state;
	struct lease_hist_query all = {0};
	struct found r = {0};

	grant(f->h, mac_a, T0, T0 + 600);
	grant(f->h, mac_b, T0 + 100, T0 + 700); /* a's ends at T0 + 100 */
	assert_int_equal(lease_hist_prune(f->h, T0 + 100), 0);
	assert_int_equal(lease_hist_prune(f->h, T0 + 101), 1);
	assert_int_equal(lease_hist_prune(f->h, T0 + 100000), 0);
	assert_int_equal(lease_hist_query(f->h, &all, collect, &r), 0);
	assert_int_equal(r.n, 1);
	assert_memory_equal(r.rows[0].mac, mac_b, 6);
}

/* The sweep pages through open tenancies in (subnet, address) order. */
static void test_paging(void **state)
{
	struct fixture *f = *state;
	struct lease_hist_query q = {.open_only = true, .limit = 2};
	struct lease_hist_row r = grant_row(mac_a, T0, T0 + 600);
	struct found got = {0};

	for (uint32_t i = 0; i < 3; i++) {
		r.addr = ADDR + 2 - i; /* out of order */
		assert_int_equal(lease_hist_grant(f->h, &r), 0);
	}
	r.subnet_id = 2; /* a later subnet, a lower address */
	r.addr = ADDR - 5;
	assert_int_equal(lease_hist_grant(f->h, &r), 0);
	assert_int_equal(lease_hist_end(f->h, 1, ADDR + 1, NULL, T0 + 1,
					LEASE_HIST_RELEASE),
			 0);
	assert_int_equal(lease_hist_query(f->h, &q, collect, &got), 0);
	assert_int_equal(got.n, 2);
	assert_int_equal(got.rows[0].addr, ADDR);
	assert_int_equal(got.rows[1].addr, ADDR + 2); /* ADDR + 1 is closed */
	q.after_subnet = 1;
	q.after_addr = ADDR + 2;
	memset(&got, 0, sizeof(got));
	assert_int_equal(lease_hist_query(f->h, &q, collect, &got), 0);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.rows[0].subnet_id, 2);
	q.after_subnet = 2;
	q.after_addr = ADDR - 5;
	memset(&got, 0, sizeof(got));
	assert_int_equal(lease_hist_query(f->h, &q, collect, &got), 0);
	assert_int_equal(got.n, 0);
}

/* A rolled back batch leaves nothing. */
static void test_rollback(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(lease_hist_begin(f->h), 0);
	grant(f->h, mac_a, T0, T0 + 600);
	lease_hist_rollback(f->h);
	assert_int_equal(at(f->h, T0 + 1).n, 0);
	assert_int_equal(lease_hist_begin(f->h), 0);
	grant(f->h, mac_a, T0, T0 + 600);
	assert_int_equal(lease_hist_commit(f->h), 0);
	assert_int_equal(at(f->h, T0 + 1).n, 1);
}

/*
 * A writer killed without closing (SIGKILL right after its commit, no
 * checkpoint, no sync) loses nothing: the rows are in the WAL, which the
 * next open replays. A reader opens read-only beside a live writer.
 */
static void test_crash_durability(void **state)
{
	struct fixture *f = *state;
	struct lease_hist *ro;
	char err[256];
	int pipefd[2], status;
	pid_t pid;
	char c;

	assert_int_equal(pipe(pipefd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct lease_hist *h;
		struct lease_hist_row r = grant_row(mac_b, T0, T0 + 600);

		if (lease_hist_open(f->path, false, &h, err, sizeof(err)) ||
		    lease_hist_begin(h) || lease_hist_grant(h, &r) ||
		    lease_hist_commit(h))
			_exit(1);
		if (write(pipefd[1], "k", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(pipefd[1]);
	assert_int_equal(read(pipefd[0], &c, 1), 1);
	/* read-only, while the writer still has it open */
	assert_int_equal(lease_hist_open(f->path, true, &ro, err, sizeof(err)),
			 0);
	assert_int_equal(at(ro, T0 + 1).n, 1);
	lease_hist_close(ro);
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	close(pipefd[0]);
	lease_hist_close(f->h);
	assert_int_equal(lease_hist_open(f->path, false, &f->h, err,
					 sizeof(err)),
			 0);
	assert_int_equal(at(f->h, T0 + 1).n, 1);
	assert_int_equal(lease_hist_sync(f->h), 0);
}

/* Another SQLite file (a lease database) is refused, read-only or not;
 * a missing file is not created by a reader. */
static void test_foreign_file(void **state)
{
	struct fixture *f = *state;
	struct lease_hist *h = NULL;
	char path[160], err[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/missing.sqlite3", f->dir);
	assert_true(lease_hist_open(path, true, &h, err, sizeof(err)) < 0);
	assert_null(h);
	assert_non_null(strstr(err, "missing.sqlite3"));
	snprintf(path, sizeof(path), "%s/other.sqlite3", f->dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("not a database at all, not even close to one", fp);
	fclose(fp);
	assert_true(lease_hist_open(path, false, &h, err, sizeof(err)) < 0);
	assert_null(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_extend_release,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_reuse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_expiry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_identifiers_kept, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_prune, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paging, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollback, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_crash_durability, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_foreign_file, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
