// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for the import plan (user/migrate/mig_plan.c): rows placed
 * in the configured subnet holding their address (the file's subnet id
 * only a hint), expired and free rows skipped, and every conflict: an
 * address outside the subnets, two clients on one address, a client with
 * two addresses, another client's reservation, the database holding the
 * address for another client or another address for the client.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "config/config.h"
#include "migrate/migrate.h"
#include "util/fmt.h"

#define NOW 1800000000

static const char cfg_json[] =
	"{\"Dhcp4\": {\"valid-lifetime\": 3600, \"subnet4\": ["
	" {\"id\": 1, \"subnet\": \"10.0.0.0/24\","
	"  \"relay\": {\"ip-addresses\": [\"10.0.0.1\"]},"
	"  \"pools\": [{\"pool\": \"10.0.0.100 - 10.0.0.199\"}],"
	"  \"reservations\": [{\"hw-address\": \"02:bb:00:00:00:01\","
	"                      \"ip-address\": \"10.0.0.50\"}]},"
	" {\"id\": 2, \"subnet\": \"10.1.0.0/24\","
	"  \"relay\": {\"ip-addresses\": [\"10.1.0.1\"]},"
	"  \"pools\": [{\"pool\": \"10.1.0.100 - 10.1.0.199\"}]}]}}";

static struct dx_config *cfg;

static int setup(void **state)
{
	struct config_diag diag;

	(void)state;
	if (config_load_string(cfg_json, "t.json", &cfg, &diag)) {
		fprintf(stderr, "%s\n", diag.error);
		config_diag_free(&diag);
		return -1;
	}
	config_diag_free(&diag);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	config_free(cfg);
	return 0;
}

/* ---- a lease database of a few rows -------------------------------- */

static struct dx_lease_rec db_rows[4];
static size_t db_n;

static int db_by_addr(void *arg, uint32_t subnet, uint32_t addr,
		      struct dx_lease_rec *out)
{
	(void)arg;
	for (size_t i = 0; i < db_n; i++)
		if (db_rows[i].subnet_id == subnet && db_rows[i].addr == addr) {
			*out = db_rows[i];
			return 0;
		}
	return -ENOENT;
}

static int db_by_mac(void *arg, uint32_t subnet, const uint8_t mac[6],
		     struct dx_lease_rec *out)
{
	(void)arg;
	for (size_t i = 0; i < db_n; i++)
		if (db_rows[i].subnet_id == subnet &&
		    !memcmp(db_rows[i].mac, mac, 6)) {
			*out = db_rows[i];
			return 0;
		}
	return -ENOENT;
}

static const struct mig_db_ops db = {db_by_addr, db_by_mac, NULL};

/* ---- rows ---------------------------------------------------------- */

static struct mig_set set;

static void row(const char *addr, const char *mac, int state, int64_t expires,
		uint32_t hint)
{
	struct mig_lease l = {.line = (unsigned)set.n + 2,
			      .state = state,
			      .expires = expires,
			      .subnet_hint = hint};

	assert_int_equal(parse_ipv4(addr, &l.addr), 0);
	if (mac) {
		assert_int_equal(parse_mac(mac, l.mac), 0);
		l.has_mac = true;
	}
	set.v = realloc(set.v, (set.n + 1) * sizeof(*set.v));
	set.v[set.n++] = l;
}

static void reset(void)
{
	free(set.v);
	memset(&set, 0, sizeof(set));
	db_n = 0;
}

static void plan(struct mig_plan *p)
{
	assert_int_equal(mig_plan(&set, cfg, &db, NOW, p), 0);
}

static void subnet_by_address_and_skips(void **state)
{
	struct mig_plan p;
	struct dx_lease_rec r;

	(void)state;
	reset();
	row("10.0.0.100", "02:aa:00:00:00:01", MIG_ACTIVE, NOW + 60, 9);
	row("10.1.0.100", "02:aa:00:00:00:01", MIG_ACTIVE, NOW + 60, 1);
	row("10.0.0.101", "02:aa:00:00:00:02", MIG_ACTIVE, NOW, 0);
	row("10.0.0.102", "02:aa:00:00:00:03", MIG_FREE, NOW + 60, 0);
	row("10.0.0.103", NULL, MIG_ACTIVE, NOW + 60, 0);
	row("10.0.0.104", NULL, MIG_DECLINED, NOW + 60, 0);
	row("10.0.0.105", "02:aa:00:00:00:05", MIG_ACTIVE, MIG_EXPIRES_NEVER,
	    0);
	plan(&p);
	assert_int_equal(p.rows[0].outcome, MIG_IMPORT);
	assert_int_equal(p.rows[0].subnet_id, 1); /* hint 9: no such subnet */
	assert_int_equal(p.rows[1].outcome, MIG_IMPORT);
	assert_int_equal(p.rows[1].subnet_id, 2); /* hint 1: not its prefix */
	assert_int_equal(p.rows[2].outcome, MIG_SKIP_EXPIRED);
	assert_int_equal(p.rows[3].outcome, MIG_SKIP_FREE);
	assert_int_equal(p.rows[4].outcome, MIG_SKIP_NO_MAC);
	assert_int_equal(p.rows[5].outcome, MIG_IMPORT_DECLINED);
	assert_int_equal(p.rows[6].outcome, MIG_IMPORT);
	assert_int_equal(p.count[MIG_IMPORT], 3);
	assert_int_equal(p.conflicts, 0);
	assert_false(p.rows[0].moves);
	assert_false(p.rows[5].moves); /* declined: not a lease */
	assert_int_equal(p.moves, 0);

	set.v[0].cltt = NOW - 100;
	mig_plan_rec(&set.v[0], &p.rows[0], NOW, &r);
	assert_int_equal(r.state, DX_LEASE_ACTIVE);
	assert_int_equal(r.expires, NOW + 60);
	assert_int_equal(r.horizon, NOW + 60);
	assert_int_equal(r.last_seen, NOW - 100);
	mig_plan_rec(&set.v[6], &p.rows[6], NOW, &r);
	assert_int_equal(r.expires, MIG_EXPIRES_NEVER_STORED);
	assert_int_equal(r.last_seen, NOW);
	mig_plan_rec(&set.v[5], &p.rows[5], NOW, &r);
	assert_int_equal(r.state, DX_LEASE_DECLINED);
	mig_plan_free(&p);
}

static void conflicts_in_the_file(void **state)
{
	struct mig_plan p;

	(void)state;
	reset();
	row("10.9.0.1", "02:aa:00:00:00:01", MIG_ACTIVE, NOW + 60, 0);
	row("10.0.0.100", "02:aa:00:00:00:02", MIG_ACTIVE, NOW + 60, 0);
	row("10.0.0.100", "02:aa:00:00:00:03", MIG_ACTIVE, NOW + 60, 0);
	row("10.0.0.110", "02:aa:00:00:00:04", MIG_ACTIVE, NOW + 60, 0);
	row("10.0.0.111", "02:aa:00:00:00:04", MIG_ACTIVE, NOW + 90, 0);
	row("10.0.0.50", "02:aa:00:00:00:05", MIG_ACTIVE, NOW + 60, 0);
	row("10.0.0.120", "02:aa:00:00:00:06", MIG_ACTIVE, NOW + 60, 0);
	/* The same client twice on one address (dnsmasq): no conflict. */
	row("10.0.0.120", "02:aa:00:00:00:06", MIG_ACTIVE, NOW + 60, 0);
	/* The reserved client on its reservation: no conflict. */
	row("10.0.0.50", "02:bb:00:00:00:01", MIG_ACTIVE, NOW + 60, 0);
	plan(&p);
	assert_int_equal(p.rows[0].conflict, MIG_CONFLICT_NO_SUBNET);
	assert_int_equal(p.rows[1].conflict, MIG_CONFLICT_SHARED_ADDR);
	assert_int_equal(p.rows[1].other_line, 4);
	assert_int_equal(p.rows[2].conflict, MIG_CONFLICT_SHARED_ADDR);
	/* The lease that ends last is the client's. */
	assert_int_equal(p.rows[3].conflict, MIG_CONFLICT_TWO_ADDRS);
	assert_int_equal(p.rows[3].other_line, 6);
	assert_int_equal(p.rows[4].outcome, MIG_IMPORT);
	assert_int_equal(p.rows[5].conflict, MIG_CONFLICT_RESERVED);
	assert_int_equal(p.rows[6].outcome, MIG_IMPORT);
	assert_int_equal(p.rows[7].outcome, MIG_IMPORT);
	assert_int_equal(p.rows[8].outcome, MIG_IMPORT);
	assert_int_equal(p.conflicts, 5);
	assert_int_equal(p.count[MIG_IMPORT], 4);
	/* The reserved client on its reservation (.50), outside the pool,
	 * keeps it; the others are in the pool. */
	assert_false(p.rows[8].moves);
	assert_int_equal(p.moves, 0);
	assert_string_equal(mig_conflict_text(p.rows[5].conflict),
			    "another client's reservation");
	mig_plan_free(&p);
	/* Outside the pool, and the reserved client elsewhere: both move
	 * at their next request. */
	reset();
	row("10.0.0.20", "02:aa:00:00:00:01", MIG_ACTIVE, NOW + 60, 0);
	row("10.0.0.101", "02:bb:00:00:00:01", MIG_ACTIVE, NOW + 60, 0);
	row("10.0.0.102", "02:aa:00:00:00:02", MIG_ACTIVE, NOW + 60, 0);
	plan(&p);
	assert_true(p.rows[0].moves);
	assert_true(p.rows[1].moves);
	assert_false(p.rows[2].moves);
	assert_int_equal(p.moves, 2);
	assert_int_equal(p.count[MIG_IMPORT], 3);
	mig_plan_free(&p);
}

static void conflicts_with_the_database(void **state)
{
	struct mig_plan p;

	(void)state;
	reset();
	db_rows[0] = (struct dx_lease_rec){.subnet_id = 1,
					   .addr = 0x0a000064,
					   .state = DX_LEASE_ACTIVE,
					   .mac = {2, 0xcc, 0, 0, 0, 1},
					   .expires = NOW - 10,
					   .horizon = NOW + 100};
	db_rows[1] = (struct dx_lease_rec){.subnet_id = 1,
					   .addr = 0x0a000070,
					   .state = DX_LEASE_ACTIVE,
					   .mac = {2, 0xaa, 0, 0, 0, 2},
					   .expires = NOW + 10,
					   .horizon = NOW + 100};
	/* Past its horizon: the address is free whatever the row says. */
	db_rows[2] = (struct dx_lease_rec){.subnet_id = 1,
					   .addr = 0x0a000080,
					   .state = DX_LEASE_ACTIVE,
					   .mac = {2, 0xcc, 0, 0, 0, 3},
					   .expires = NOW - 10,
					   .horizon = NOW - 10};
	db_n = 3;
	row("10.0.0.100", "02:aa:00:00:00:01", MIG_ACTIVE, NOW + 60, 0);
	row("10.0.0.101", "02:aa:00:00:00:02", MIG_ACTIVE, NOW + 60, 0);
	row("10.0.0.128", "02:aa:00:00:00:03", MIG_ACTIVE, NOW + 60, 0);
	row("10.0.0.112", "02:aa:00:00:00:02", MIG_FREE, NOW + 60, 0);
	row("10.0.0.112", "02:aa:00:00:00:02", MIG_ACTIVE, NOW + 60, 0);
	set.n--; /* keep the free row only */
	plan(&p);
	assert_int_equal(p.rows[0].conflict, MIG_CONFLICT_DB_OTHER);
	assert_int_equal(p.rows[1].conflict, MIG_CONFLICT_DB_TWO_ADDRS);
	assert_int_equal(p.rows[2].outcome, MIG_IMPORT);
	assert_int_equal(p.rows[3].outcome, MIG_SKIP_FREE);
	assert_int_equal(p.conflicts, 2);
	mig_plan_free(&p);
	/* A declined address declined again: no conflict either. */
	db_rows[3] = (struct dx_lease_rec){.subnet_id = 1,
					   .addr = 0x0a000090,
					   .state = DX_LEASE_DECLINED,
					   .expires = NOW + 10,
					   .horizon = NOW + 10};
	db_n = 4;
	row("10.0.0.144", NULL, MIG_DECLINED, NOW + 60, 0);
	row("10.0.0.144", "02:aa:00:00:00:07", MIG_ACTIVE, NOW + 60, 0);
	plan(&p);
	assert_int_equal(p.rows[4].outcome, MIG_SKIP_PRESENT);
	assert_int_equal(p.rows[5].conflict, MIG_CONFLICT_DB_OTHER);
	mig_plan_free(&p);
	set.n -= 2;
	/* The same client on the same address: there already. */
	db_rows[0].mac[1] = 0xaa;
	plan(&p);
	assert_int_equal(p.rows[0].outcome, MIG_SKIP_PRESENT);
	assert_int_equal(p.count[MIG_SKIP_PRESENT], 1);
	mig_plan_free(&p);
	reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(subnet_by_address_and_skips),
		cmocka_unit_test(conflicts_in_the_file),
		cmocka_unit_test(conflicts_with_the_database),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
