// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Daemon memory per lease (target: <= 128 bytes with 1,000,000 leases):
 * loads N leases into a fresh engine the way the daemon's build_engine()
 * does (engine_load_lease() with a lease-map op per row, the ops collected
 * in a growing array that is freed afterwards) and prints, per lease, the
 * growth of VmRSS and of malloc's bytes in use (mallinfo2) from the empty
 * engine to the loaded one. Each case runs in a child process, so every
 * figure starts from a clean heap. Measurements, not assertions.
 *
 * Cases: the rows bench_startup writes (7-byte client-id, no host name),
 * the same with a 16-byte host name, and with a 19-byte client-id (type
 * 255 + IAID + DUID, as systemd-networkd sends). With DB given, a fourth
 * case loads that database through lease_db_load() as the daemon does
 * (SQLite's page cache included).
 *
 * Usage: bench_lease_mem [N [DB]]   (default N = 1000000)
 */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config/config.h"
#include "engine/engine.h"
#include "store/lease_db.h"

#define FIRST_ADDR 0x0a4e0000u /* 10.78.0.0, as bench_startup */

/* The subnet of bench-slowpath.sh's scale run. */
static const char *cfg_json =
	"{\"Dhcp4\": {"
	" \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"
	" \"valid-lifetime\": 86400,"
	" \"subnet4\": [{\"id\": 1, \"subnet\": \"10.64.0.0/11\","
	"  \"pools\": [{\"pool\": \"10.78.0.0 - 10.95.255.250\"}]}]}}";

enum mem_case { C_PLAIN, C_HOSTNAME, C_LONG_CID, C_DB };

static const char *const case_name[] = {
	"7-byte client-id, no host name",
	"7-byte client-id, 16-byte host name",
	"19-byte client-id, no host name",
	"database (lease_db_load)",
};

/* As daemon.c's load_ctx / load_one. */
struct load {
	struct engine *eng;
	int64_t now;
	struct engine_map_op *map;
	size_t n, cap, rows, skipped;
};

static int load_one(const struct dx_lease_rec *rec, void *arg)
{
	struct load *lc = arg;
	struct engine_map_op op = {0};

	lc->rows++;
	if (engine_load_lease(lc->eng, rec, lc->now, &op)) {
		lc->skipped++;
		return 0;
	}
	if (!op.kind)
		return 0;
	if (lc->n == lc->cap) {
		size_t cap = lc->cap ? lc->cap * 2 : 4096;
		void *p = realloc(lc->map, cap * sizeof(*lc->map));

		if (!p)
			return -ENOMEM;
		lc->map = p;
		lc->cap = cap;
	}
	lc->map[lc->n++] = op;
	return 0;
}

static void make_rec(struct dx_lease_rec *r, enum mem_case c, uint32_t i,
		     int64_t now)
{
	memset(r, 0, sizeof(*r));
	r->subnet_id = 1;
	r->addr = FIRST_ADDR + i;
	r->mac[0] = 0x02;
	r->mac[2] = i >> 24;
	r->mac[3] = i >> 16;
	r->mac[4] = i >> 8;
	r->mac[5] = i;
	r->state = DX_LEASE_ACTIVE;
	if (c == C_LONG_CID) {
		r->client_id_len = 19;
		r->client_id[0] = 255;
		memcpy(&r->client_id[13], r->mac, 6);
	} else {
		r->client_id_len = 7;
		r->client_id[0] = 1;
		memcpy(&r->client_id[1], r->mac, 6);
	}
	if (c == C_HOSTNAME)
		snprintf(r->hostname, sizeof(r->hostname), "host-%011u", i);
	r->expires = now + 86400;
	r->horizon = now + 2 * 86400;
	r->last_seen = now;
}

static long rss_kib(void)
{
	char line[256];
	long kib = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

static size_t heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The child: one case, one result row; exit status 0 or 1. */
static int run_case(const struct dx_config *cfg, enum mem_case c, uint32_t n,
		    const char *db_path)
{
	struct load lc = {0};
	struct lease_db *db = NULL;
	struct dx_lease_rec rec;
	long rss0, rss1;
	size_t heap0, heap1;
	char err[512];
	double t0, t1;
	int ret = 1;

	if (c == C_DB && lease_db_open_file(db_path, &db, err, sizeof(err))) {
		fprintf(stderr, "bench_lease_mem: %s\n", err);
		return 1;
	}
	if (engine_new(cfg, &lc.eng))
		goto out;
	lc.now = time(NULL);
	rss0 = rss_kib();
	heap0 = heap_in_use();
	t0 = now_s();
	if (c == C_DB) {
		if (lease_db_load(db, load_one, &lc)) {
			fprintf(stderr, "bench_lease_mem: load: %s\n",
				lease_db_errmsg(db));
			goto out;
		}
	} else {
		for (uint32_t i = 0; i < n; i++) {
			make_rec(&rec, c, i, lc.now);
			if (load_one(&rec, &lc))
				goto out;
		}
	}
	/* The daemon frees the ops once the lease map holds them. */
	free(lc.map);
	lc.map = NULL;
	t1 = now_s();
	rss1 = rss_kib();
	heap1 = heap_in_use();
	if (!lc.rows || lc.skipped) {
		fprintf(stderr, "bench_lease_mem: %zu rows, %zu skipped\n",
			lc.rows, lc.skipped);
		goto out;
	}
	printf("| %-36s | %9zu | %7.2f | %9.1f | %10.1f |\n", case_name[c],
	       lc.rows, t1 - t0, (double)(rss1 - rss0) * 1024 / lc.rows,
	       (double)(heap1 - heap0) / lc.rows);
	fflush(stdout);
	ret = 0;
out:
	free(lc.map);
	engine_free(lc.eng);
	if (db)
		lease_db_close(db);
	return ret;
}

int main(int argc, char **argv)
{
	uint32_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
	const char *db_path = argc > 2 ? argv[2] : NULL;
	struct config_diag diag = {0};
	struct dx_config *cfg;
	int ret = 0;

	if (!n || n > 1200000) {
		fprintf(stderr, "usage: bench_lease_mem [N [DB]] "
				"(1 <= N <= 1200000)\n");
		return 2;
	}
	if (config_load_string(cfg_json, "bench", &cfg, &diag)) {
		fprintf(stderr, "bench_lease_mem: config: %s\n", diag.error);
		config_diag_free(&diag);
		return 1;
	}
	config_diag_free(&diag);
	printf("bench_lease_mem: %u leases (ACTIVE, one subnet), loaded as "
	       "the daemon loads them\n\n",
	       n);
	printf("| %-36s | %9s | %7s | %9s | %10s |\n", "case", "leases",
	       "load s", "RSS B/l", "malloc B/l");
	printf("|%s|%s|%s|%s|%s|\n", "--------------------------------------",
	       "----------:", "--------:", "----------:", "-----------:");
	fflush(stdout);
	for (enum mem_case c = C_PLAIN; c <= C_DB; c++) {
		pid_t pid;
		int st;

		if (c == C_DB && !db_path)
			break;
		pid = fork();
		if (pid < 0) {
			perror("fork");
			ret = 1;
			break;
		}
		if (!pid)
			_exit(run_case(cfg, c, n, db_path));
		if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) ||
		    WEXITSTATUS(st))
			ret = 1;
	}
	printf("\nRSS B/l: VmRSS growth from the empty engine / leases "
	       "(target: <= 128 with 1,000,000)\n");
	config_free(cfg);
	return ret;
}
