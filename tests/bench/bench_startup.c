// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Fixture for the start-up benchmark: writes a lease
 * database of N active leases through lease_rows_commit(), so the schema,
 * pragmas, user_version and application_id are exactly the daemon's.
 * scripts/bench-slowpath.sh then times `dhcpxdp run` on it until "ready"
 * and reads its RSS; this program only builds the database.
 *
 * Leases: subnet id 1, addresses FIRST_ADDR + i, MAC 02:00:<i, 4 bytes>,
 * a 7-byte client-id (type 1 + MAC, as most clients send), no host name,
 * expiring in 1 day with a horizon of 2 days, so a daemon started on the
 * database reclaims nothing and loads every lease into its lease map.
 *
 * Usage: bench_startup DB_PATH N [FIRST_ADDR]   (default 10.78.0.0)
 * Without arguments it prints its usage and exits 0 (scripts/bench.sh
 * runs every bench binary; this one is driven by bench-slowpath.sh).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/lease_db.h"
#include "lease_rows.h"

#define BATCH 20000

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void make_rec(struct dx_lease_rec *r, uint32_t first, uint32_t i,
		     int64_t now)
{
	memset(r, 0, sizeof(*r));
	r->subnet_id = 1;
	r->addr = first + i;
	r->mac[0] = 0x02;
	r->mac[2] = i >> 24;
	r->mac[3] = i >> 16;
	r->mac[4] = i >> 8;
	r->mac[5] = i;
	r->state = DX_LEASE_ACTIVE;
	r->client_id_len = 7;
	r->client_id[0] = 1;
	memcpy(&r->client_id[1], r->mac, 6);
	r->expires = now + 86400;
	r->horizon = now + 2 * 86400;
	r->last_seen = now;
}

int main(int argc, char **argv)
{
	struct dx_lease_rec *recs = NULL;
	struct lease_db *db = NULL;
	struct in_addr ia;
	uint32_t first, n, i, k;
	char err[512];
	double t0;
	int64_t now = time(NULL);
	int ret = 1, r;

	if (argc < 3) {
		fprintf(stderr, "usage: bench_startup DB_PATH N [FIRST_ADDR]\n"
				"(driven by scripts/bench-slowpath.sh)\n");
		return 0;
	}
	n = strtoul(argv[2], NULL, 10);
	if (inet_pton(AF_INET, argc > 3 ? argv[3] : "10.78.0.0", &ia) != 1) {
		fprintf(stderr, "bad address\n");
		return 2;
	}
	first = ntohl(ia.s_addr);
	recs = calloc(BATCH, sizeof(*recs));
	if (!recs)
		goto out;
	if (lease_db_open_file(argv[1], &db, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		goto out;
	}
	t0 = now_s();
	for (i = 0; i < n; i += k) {
		for (k = 0; k < BATCH && i + k < n; k++)
			make_rec(&recs[k], first, i + k, now);
		r = lease_rows_commit(db, recs, k);
		if (r) {
			fprintf(stderr, "commit: %s (%s)\n", strerror(-r),
				lease_db_errmsg(db));
			goto out;
		}
	}
	fprintf(stderr, "bench_startup: %u leases written in %.1f s\n", n,
		now_s() - t0);
	ret = 0;
out:
	if (db)
		lease_db_close(db);
	free(recs);
	return ret;
}
