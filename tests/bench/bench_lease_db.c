// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Lease database throughput: durable leases per second by batch size
 * (group commit), and the cost of loading a large database at start-up.
 * Measurements, not assertions. Runs in a temporary directory on disk
 * (/var/tmp, or $DX_BENCH_DIR): fsync on tmpfs would measure nothing.
 *
 * Usage: bench_lease_db [LEASES_FOR_LOAD_TEST] [SECONDS_PER_BATCH_SIZE]
 */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "store/lease_db.h"
#include "lease_rows.h"

#define TMPFS_MAGIC 0x01021994

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long rss_kib(void)
{
	char line[256];
	long kib = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

static void make_rec(struct dx_lease_rec *r, uint32_t i)
{
	memset(r, 0, sizeof(*r));
	r->subnet_id = 1 + i % 4;
	r->addr = 0x0a000000 + i;
	r->mac[0] = 0x02;
	memcpy(&r->mac[2], &i, 4);
	r->state = DX_LEASE_ACTIVE;
	r->client_id_len = 7;
	r->client_id[0] = 1;
	memcpy(&r->client_id[1], r->mac, 6);
	snprintf(r->hostname, sizeof(r->hostname), "host-%u", i);
	r->expires = 1800000000 + i % 3600;
	r->horizon = r->expires + 3600;
	r->last_seen = 1799996400 + i % 3600;
}

static struct lease_db *open_or_die(const char *path)
{
	struct lease_db *db;
	char err[512];

	if (lease_db_open_file(path, &db, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		exit(1);
	}
	return db;
}

static int rm_one(const char *p, const struct stat *sb, int flag,
		  struct FTW *ftw)
{
	return remove(p);
}

/* Commit batches of `batch` new leases for about `secs` seconds. */
static void bench_batch(const char *path, size_t batch, double secs)
{
	struct dx_lease_rec *recs = calloc(batch, sizeof(*recs));
	struct lease_db *db = open_or_die(path);
	double t0 = now_s(), t, worst = 0;
	uint64_t leases = 0, commits = 0;
	uint32_t next = 0;
	size_t i;

	do {
		double c0 = now_s();

		for (i = 0; i < batch; i++)
			make_rec(&recs[i], next++);
		if (lease_rows_commit(db, recs, batch)) {
			fprintf(stderr, "commit: %s\n", lease_db_errmsg(db));
			exit(1);
		}
		t = now_s();
		if (t - c0 > worst)
			worst = t - c0;
		leases += batch;
		commits++;
	} while (t - t0 < secs);
	printf("%10zu %12.0f %12.0f %12.3f %12.3f\n", batch, leases / (t - t0),
	       commits / (t - t0), (t - t0) / commits * 1e3, worst * 1e3);
	lease_db_close(db);
	unlink(path);
	free(recs);
}

struct load_acc {
	uint64_t n;
	uint64_t sum;
};

static int load_cb(const struct dx_lease_rec *r, void *arg)
{
	struct load_acc *a = arg;

	a->n++;
	a->sum += r->addr + r->mac[5] + (uint64_t)r->horizon;
	return 0;
}

static void bench_load(const char *path, uint32_t n)
{
	enum { BULK = 10000 };
	struct dx_lease_rec *recs = calloc(BULK, sizeof(*recs));
	struct load_acc acc = {0, 0};
	struct lease_db *db = open_or_die(path);
	double t0, t_fill, t_open, t_load, t_count;
	long rss0, rss1;
	uint64_t cnt;
	uint32_t i = 0;
	size_t k;
	struct stat sb;

	t0 = now_s();
	while (i < n) {
		for (k = 0; k < BULK && i < n; k++)
			make_rec(&recs[k], i++);
		if (lease_rows_commit(db, recs, k)) {
			fprintf(stderr, "commit: %s\n", lease_db_errmsg(db));
			exit(1);
		}
	}
	t_fill = now_s() - t0;
	lease_db_close(db);
	stat(path, &sb);

	rss0 = rss_kib();
	t0 = now_s();
	db = open_or_die(path);
	t_open = now_s() - t0;
	t0 = now_s();
	if (lease_db_load(db, load_cb, &acc)) {
		fprintf(stderr, "load: %s\n", lease_db_errmsg(db));
		exit(1);
	}
	t_load = now_s() - t0;
	rss1 = rss_kib();
	t0 = now_s();
	lease_rows_count(db, 0, &cnt);
	t_count = now_s() - t0;

	printf("\nload test, %u leases (db file %.1f MiB):\n", n,
	       sb.st_size / 1048576.0);
	printf("  fill, batches of %d      %8.2f s  (%.0f leases/s)\n", BULK,
	       t_fill, n / t_fill);
	printf("  open (schema check)      %8.3f s\n", t_open);
	printf("  load all rows            %8.2f s  (%.0f rows/s, %llu rows)\n",
	       t_load, acc.n / t_load, (unsigned long long)acc.n);
	printf("  RSS delta open+load      %8ld KiB (callback keeps nothing)\n",
	       rss1 - rss0);
	printf("  walk and count all rows   %8.3f s  (%llu)\n", t_count,
	       (unsigned long long)cnt);
	lease_db_close(db);
	free(recs);
}

int main(int argc, char **argv)
{
	static const size_t batches[] = {1, 16, 64, 256};
	uint32_t n = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 0) : 1000000;
	double secs = argc > 2 ? strtod(argv[2], NULL) : 2.0;
	const char *base = getenv("DX_BENCH_DIR");
	char dir[256], path[300];
	struct statfs fs;
	size_t i;

	snprintf(dir, sizeof(dir), "%s/dx_bench_XXXXXX",
		 base ? base : "/var/tmp");
	if (!mkdtemp(dir)) {
		perror(dir);
		return 1;
	}
	if (statfs(dir, &fs) == 0 && fs.f_type == TMPFS_MAGIC)
		fprintf(stderr,
			"warning: %s is on tmpfs, fsync costs nothing\n", dir);
	snprintf(path, sizeof(path), "%s/leases.sqlite3", dir);
	printf("lease_db bench in %s (WAL, synchronous=FULL), %.1f s per "
	       "row\n\n",
	       dir, secs);
	printf("%10s %12s %12s %12s %12s\n", "batch", "leases/s", "commits/s",
	       "ms/commit", "worst ms");
	for (i = 0; i < sizeof(batches) / sizeof(batches[0]); i++)
		bench_batch(path, batches[i], secs);
	if (n)
		bench_load(path, n);
	nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
	return 0;
}
