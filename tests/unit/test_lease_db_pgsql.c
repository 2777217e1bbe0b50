// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for the PostgreSQL lease database (user/store/lease_db_pgsql*.c)
 * against a real server: DHCPXDP_TEST_PGHOST names the directory of its
 * Unix socket (tests/integration/test_pgsql.sh starts one and runs this
 * binary); the database is dhcpxdp, the superuser role dhcpxdp. Without
 * it every test is skipped. The store connects as a role of its own,
 * dx_store, which a test can lock out to make reconnects fail.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <libpq-fe.h>

#include "config/config.h"
#include "store/lease_db.h"
#include "lease_rows.h"

static const char *pg_host;
static PGconn *admin; /* the superuser's connection */

static void sql(const char *q)
{
	PGresult *res = PQexec(admin, q);
	ExecStatusType st = PQresultStatus(res);

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		fail_msg("%s: %s", q, PQresultErrorMessage(res));
	PQclear(res);
}

static struct dx_lease_db_conf conf_for(const char *user, uint32_t tries)
{
	struct dx_lease_db_conf c = {
		.type = "postgresql",
		.name = "dhcpxdp",
		.host = (char *)pg_host,
		.user = (char *)user,
		.connect_timeout = 5,
		.max_reconnect_tries = tries,
		.reconnect_wait_time = 0,
	};
	return c;
}

static int setup(void **state)
{
	(void)state;
	if (!pg_host)
		return 0;
	/* A clean database and a store role that may log in. */
	sql("DROP TABLE IF EXISTS dhcpxdp_lease4, dhcpxdp_schema, "
	    "dhcpxdp_ha_heartbeat");
	sql("DO $$ BEGIN CREATE ROLE dx_store LOGIN; EXCEPTION WHEN "
	    "duplicate_object THEN ALTER ROLE dx_store LOGIN; END $$");
	return 0;
}

static void need_server(void)
{
	if (!pg_host)
		skip();
}

static void init_schema(void)
{
	struct dx_lease_db_conf c = conf_for("dhcpxdp", 0);
	char err[600] = "";
	int v = -1;

	if (lease_db_admin(&c, LEASE_DB_INIT, &v, err, sizeof(err)))
		fail_msg("db init: %s", err);
	assert_int_equal(v, DX_LEASE_DB_PGSQL_SCHEMA_VERSION);
	sql("GRANT ALL ON dhcpxdp_lease4, dhcpxdp_schema, dhcpxdp_ha_heartbeat "
	    "TO dx_store");
}

static struct lease_db *open_store(uint32_t tries)
{
	struct dx_lease_db_conf c = conf_for("dx_store", tries);
	struct lease_db *db = NULL;
	char err[600] = "";
	int ret = lease_db_open(&c, &db, err, sizeof(err));

	if (ret)
		fail_msg("lease_db_open = %d: %s", ret, err);
	return db;
}

static void test_missing_schema_refused(void **state)
{
	struct dx_lease_db_conf c;
	struct lease_db *db = NULL;
	char err[600] = "";

	(void)state;
	need_server();
	c = conf_for("dhcpxdp", 0);
	assert_int_equal(lease_db_open(&c, &db, err, sizeof(err)),
			 -EPROTONOSUPPORT);
	assert_null(db);
	assert_non_null(strstr(err, "has no dhcpxdp schema: create it with "
				    "'dhcpxdp db init -c'"));
}

static void test_admin_init_upgrade_version(void **state)
{
	struct dx_lease_db_conf c;
	char err[600] = "";
	int v = -1;

	(void)state;
	need_server();
	c = conf_for("dhcpxdp", 0);
	assert_int_equal(
		lease_db_admin(&c, LEASE_DB_VERSION, &v, err, sizeof(err)), 0);
	assert_int_equal(v, 0);
	assert_int_equal(
		lease_db_admin(&c, LEASE_DB_UPGRADE, &v, err, sizeof(err)),
		-ENOENT);
	assert_non_null(strstr(err, "'dhcpxdp db init'"));
	init_schema();
	assert_int_equal(
		lease_db_admin(&c, LEASE_DB_INIT, &v, err, sizeof(err)),
		-EEXIST);
	assert_non_null(strstr(err, "already holds the dhcpxdp schema"));
	assert_int_equal(
		lease_db_admin(&c, LEASE_DB_UPGRADE, &v, err, sizeof(err)), 0);
	assert_int_equal(v, DX_LEASE_DB_PGSQL_SCHEMA_VERSION);
	assert_int_equal(
		lease_db_admin(&c, LEASE_DB_VERSION, &v, err, sizeof(err)), 0);
	assert_int_equal(v, DX_LEASE_DB_PGSQL_SCHEMA_VERSION);
}

static void test_newer_schema_refused(void **state)
{
	struct dx_lease_db_conf c;
	struct lease_db *db = NULL;
	char err[600] = "";
	int v;

	(void)state;
	need_server();
	init_schema();
	sql("UPDATE dhcpxdp_schema SET version = 99");
	c = conf_for("dx_store", 0);
	assert_int_equal(lease_db_open(&c, &db, err, sizeof(err)),
			 -EPROTONOSUPPORT);
	assert_non_null(strstr(err, "schema version 99 is newer"));
	assert_int_equal(
		lease_db_admin(&c, LEASE_DB_UPGRADE, &v, err, sizeof(err)),
		-EPROTONOSUPPORT);
}

static void test_unreachable_server(void **state)
{
	struct dx_lease_db_conf c;
	struct lease_db *db = NULL;
	char err[600] = "";

	(void)state;
	need_server();
	c = conf_for("dx_store", 0);
	c.host = "/nonexistent";
	assert_int_equal(lease_db_open(&c, &db, err, sizeof(err)),
			 -ECONNREFUSED);
	assert_non_null(strstr(err, "lease database dhcpxdp on PostgreSQL "
				    "server /nonexistent: cannot connect"));
}

static void assert_same(const struct dx_lease_rec *a,
			const struct dx_lease_rec *b)
{
	assert_int_equal(a->subnet_id, b->subnet_id);
	assert_int_equal(a->addr, b->addr);
	assert_memory_equal(a->mac, b->mac, 6);
	assert_int_equal(a->state, b->state);
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->client_id_len, b->client_id_len);
	assert_memory_equal(a->client_id, b->client_id, a->client_id_len);
	assert_string_equal(a->hostname, b->hostname);
	assert_int_equal(a->expires, b->expires);
	assert_int_equal(a->horizon, b->horizon);
	assert_int_equal(a->last_seen, b->last_seen);
}

static void test_row_round_trip(void **state)
{
	struct dx_lease_rec r, got;
	struct lease_db *db;

	(void)state;
	need_server();
	init_schema();
	db = open_store(0);
	/* Every field, an address above 2^31 and a horizon past 2038. */
	lease_rows_make(&r, 4000000000u, 0xc0a80a05, 1, DX_LEASE_ACTIVE);
	r.flags = 3;
	r.client_id_len = 7;
	memcpy(r.client_id, "\x01\x02\x00\x5e\x10\x20\x01", 7);
	strcpy(r.hostname, "host-\xc3\xa9");
	r.horizon = 5000000000LL;
	assert_int_equal(lease_rows_commit(db, &r, 1), 0);
	assert_int_equal(lease_db_get_by_addr(db, r.subnet_id, r.addr, &got),
			 0);
	assert_same(&r, &got);
	assert_int_equal(
		lease_db_get_by_addr(db, r.subnet_id, r.addr + 1, &got),
		-ENOENT);
	/* An upsert of the same key replaces the row. */
	r.state = DX_LEASE_RELEASED;
	r.client_id_len = 0;
	r.hostname[0] = '\0';
	assert_int_equal(lease_rows_commit(db, &r, 1), 0);
	assert_int_equal(lease_db_get_by_addr(db, r.subnet_id, r.addr, &got),
			 0);
	assert_same(&r, &got);
	lease_db_close(db);
}

static void test_by_mac_prefers_active_then_recent(void **state)
{
	struct dx_lease_rec r[3], got;
	struct lease_db *db;

	(void)state;
	need_server();
	init_schema();
	db = open_store(0);
	lease_rows_make(&r[0], 1, 10, 9, DX_LEASE_EXPIRED);
	lease_rows_make(&r[1], 1, 11, 9, DX_LEASE_RELEASED);
	r[1].last_seen += 50;
	lease_rows_make(&r[2], 2, 12, 9, DX_LEASE_ACTIVE);
	assert_int_equal(lease_rows_commit(db, r, 3), 0);
	assert_int_equal(lease_db_get_by_mac(db, 1, r[0].mac, &got), 0);
	assert_int_equal(got.addr, 11); /* the most recently seen */
	r[0].state = DX_LEASE_ACTIVE;
	assert_int_equal(lease_rows_commit(db, &r[0], 1), 0);
	assert_int_equal(lease_db_get_by_mac(db, 1, r[0].mac, &got), 0);
	assert_int_equal(got.addr, 10); /* active first */
	r[0].mac[5] = 8;
	assert_int_equal(lease_db_get_by_mac(db, 1, r[0].mac, &got), -ENOENT);
	lease_db_close(db);
}

struct walk {
	uint32_t addrs[8];
	int n, stop_at;
};

static int walk_one(const struct dx_lease_rec *rec, void *arg)
{
	struct walk *w = arg;

	w->addrs[w->n++] = rec->addr;
	return w->n == w->stop_at ? 42 : 0;
}

static void test_load_in_order_delete_and_stop(void **state)
{
	struct dx_lease_rec r[4], got;
	struct dx_lease_op del = {.kind = DX_LEASE_OP_DELETE};
	struct walk w = {0};
	struct lease_db *db;
	uint64_t n = 0;

	(void)state;
	need_server();
	init_schema();
	db = open_store(0);
	lease_rows_make(&r[0], 2, 5, 1, DX_LEASE_ACTIVE);
	lease_rows_make(&r[1], 1, 7, 2, DX_LEASE_ACTIVE);
	lease_rows_make(&r[2], 1, 6, 3, DX_LEASE_DECLINED);
	lease_rows_make(&r[3], 1, 8, 4, DX_LEASE_ACTIVE);
	assert_int_equal(lease_rows_commit(db, r, 4), 0);
	del.rec = r[3];
	assert_int_equal(lease_db_commit_ops(db, &del, 1), 0);
	assert_int_equal(lease_db_get_by_addr(db, 1, 8, &got), -ENOENT);
	assert_int_equal(lease_db_load(db, walk_one, &w), 0);
	assert_int_equal(w.n, 3);
	assert_int_equal(w.addrs[0], 6); /* (subnet_id, addr) order */
	assert_int_equal(w.addrs[1], 7);
	assert_int_equal(w.addrs[2], 5);
	/* A stop is returned, and the connection is still usable. */
	memset(&w, 0, sizeof(w));
	w.stop_at = 1;
	assert_int_equal(lease_db_load(db, walk_one, &w), 42);
	assert_int_equal(w.n, 1);
	assert_int_equal(lease_rows_count(db, 0, &n), 0);
	assert_int_equal(n, 3);
	lease_db_close(db);
}

static void test_invalid_batch_writes_nothing(void **state)
{
	struct dx_lease_op ops[2] = {{.kind = DX_LEASE_OP_UPSERT},
				     {.kind = DX_LEASE_OP_UPSERT}};
	struct lease_db *db;
	uint64_t n = 1;

	(void)state;
	need_server();
	init_schema();
	db = open_store(0);
	lease_rows_make(&ops[0].rec, 1, 20, 1, DX_LEASE_ACTIVE);
	lease_rows_make(&ops[1].rec, 1, 21, 2, 9); /* no such state */
	assert_int_equal(lease_db_commit_ops(db, ops, 2), -EINVAL);
	assert_string_equal(lease_db_errmsg(db),
			    "lease operation 2 of 2 is invalid");
	/* Refused by the server mid-batch (a trigger): nothing stays. */
	sql("CREATE FUNCTION dx_refuse() RETURNS trigger LANGUAGE plpgsql AS "
	    "$$ BEGIN IF NEW.addr = 21 THEN RAISE EXCEPTION 'refused'; END "
	    "IF; RETURN NEW; END $$");
	sql("CREATE TRIGGER dx_refuse BEFORE INSERT ON dhcpxdp_lease4 FOR "
	    "EACH ROW EXECUTE FUNCTION dx_refuse()");
	ops[1].rec.state = DX_LEASE_ACTIVE;
	assert_int_equal(lease_db_commit_ops(db, ops, 2), -EIO);
	assert_non_null(strstr(lease_db_errmsg(db), "refused"));
	assert_int_equal(lease_db_link(db), LEASE_DB_UP);
	assert_int_equal(lease_rows_count(db, 0, &n), 0);
	assert_int_equal(n, 0);
	sql("DROP TRIGGER dx_refuse ON dhcpxdp_lease4");
	sql("DROP FUNCTION dx_refuse");
	lease_db_close(db);
}

/* Batches larger than the pipeline's chunk: all in, or (refused past the
 * first chunk) nothing. */
static void test_large_batch_across_chunks(void **state)
{
	enum { N = 1000 };
	struct dx_lease_rec *r;
	struct dx_lease_rec got;
	struct lease_db *db;
	uint64_t n = 0;

	(void)state;
	/* skip() leaves the test: nothing allocated before it */
	need_server();
	r = calloc(N, sizeof(*r));
	assert_non_null(r);
	init_schema();
	db = open_store(0);
	for (int i = 0; i < N; i++)
		lease_rows_make(&r[i], 1, 1000 + i, (uint8_t)i,
				DX_LEASE_ACTIVE);
	assert_int_equal(lease_rows_commit(db, r, N), 0);
	assert_int_equal(lease_rows_count(db, 0, &n), 0);
	assert_int_equal(n, N);
	assert_int_equal(lease_db_get_by_addr(db, 1, 1999, &got), 0);
	sql("CREATE FUNCTION dx_refuse() RETURNS trigger LANGUAGE plpgsql AS "
	    "$$ BEGIN IF NEW.addr = 5700 THEN RAISE EXCEPTION 'refused'; END "
	    "IF; RETURN NEW; END $$");
	sql("CREATE TRIGGER dx_refuse BEFORE INSERT ON dhcpxdp_lease4 FOR "
	    "EACH ROW EXECUTE FUNCTION dx_refuse()");
	for (int i = 0; i < N; i++)
		r[i].addr = 5000 + i;
	assert_int_equal(lease_rows_commit(db, r, N), -EIO);
	assert_int_equal(lease_db_link(db), LEASE_DB_UP);
	assert_int_equal(lease_rows_count(db, 0, &n), 0);
	assert_int_equal(n, N);
	sql("DROP TRIGGER dx_refuse ON dhcpxdp_lease4");
	sql("DROP FUNCTION dx_refuse");
	lease_db_close(db);
	free(r);
}

static void kick_store_out(void)
{
	sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
	    "usename = 'dx_store'");
}

static void test_lost_connection_fails_then_reconnects(void **state)
{
	struct dx_lease_rec r, got;
	struct lease_db *db;

	(void)state;
	need_server();
	init_schema();
	db = open_store(5);
	lease_rows_make(&r, 1, 30, 1, DX_LEASE_ACTIVE);
	kick_store_out();
	/* The commit under way fails: no durable row, no ACK. */
	assert_int_equal(lease_rows_commit(db, &r, 1), -ENOTCONN);
	assert_non_null(strstr(lease_db_errmsg(db), "connection lost"));
	assert_int_equal(lease_db_link(db), LEASE_DB_RETRYING);
	/* The next one reconnects (reconnect-wait-time 0) and writes. */
	assert_int_equal(lease_rows_commit(db, &r, 1), 0);
	assert_int_equal(lease_db_link(db), LEASE_DB_UP);
	assert_int_equal(lease_db_get_by_addr(db, 1, 30, &got), 0);
	lease_db_close(db);
}

static void test_idle_loss_noticed_by_check(void **state)
{
	struct dx_lease_db_conf c;
	struct lease_db *db = NULL;
	char err[600] = "";
	int i;

	(void)state;
	need_server();
	init_schema();
	c = conf_for("dx_store", 5);
	c.reconnect_wait_time = 60000; /* no attempt within the test */
	assert_int_equal(lease_db_open(&c, &db, err, sizeof(err)), 0);
	assert_int_equal(lease_db_reconnect(db), 0); /* up: a cheap check */
	kick_store_out();
	/* The session's end reaches the socket shortly after. */
	for (i = 0; i < 40 && lease_db_link(db) == LEASE_DB_UP; i++) {
		usleep(50000);
		(void)lease_db_reconnect(db);
	}
	assert_int_equal(lease_db_link(db), LEASE_DB_RETRYING);
	assert_non_null(strstr(lease_db_errmsg(db), "next reconnect attempt"));
	lease_db_close(db);
}

static void test_reconnect_gives_up_after_max_tries(void **state)
{
	struct dx_lease_rec r;
	struct lease_db *db;

	(void)state;
	need_server();
	init_schema();
	db = open_store(2);
	lease_rows_make(&r, 1, 31, 1, DX_LEASE_ACTIVE);
	sql("ALTER ROLE dx_store NOLOGIN");
	kick_store_out();
	assert_int_equal(lease_rows_commit(db, &r, 1), -ENOTCONN);
	assert_int_equal(lease_db_reconnect(db), -ENOTCONN);
	assert_non_null(strstr(lease_db_errmsg(db), "attempt 1 of 2 failed"));
	assert_int_equal(lease_db_link(db), LEASE_DB_RETRYING);
	assert_int_equal(lease_db_reconnect(db), -ENOTCONN);
	assert_int_equal(lease_db_link(db), LEASE_DB_GAVE_UP);
	/* Given up for good, even once the server would take us again. */
	sql("ALTER ROLE dx_store LOGIN");
	assert_int_equal(lease_db_reconnect(db), -ENOTCONN);
	assert_non_null(strstr(lease_db_errmsg(db), "gave up reconnecting"));
	assert_int_equal(lease_rows_commit(db, &r, 1), -ENOTCONN);
	lease_db_close(db);
}

static void test_no_reconnect_when_max_tries_is_zero(void **state)
{
	struct dx_lease_rec r;
	struct lease_db *db;

	(void)state;
	need_server();
	init_schema();
	db = open_store(0);
	lease_rows_make(&r, 1, 32, 1, DX_LEASE_ACTIVE);
	kick_store_out();
	assert_int_equal(lease_rows_commit(db, &r, 1), -ENOTCONN);
	assert_non_null(strstr(lease_db_errmsg(db), "not reconnecting"));
	assert_int_equal(lease_db_link(db), LEASE_DB_GAVE_UP);
	lease_db_close(db);
}

/* Client mac_last's op on address addr of subnet 1, times from now. */
static struct dx_lease_op claim_op(uint32_t addr, uint8_t mac_last,
				   uint8_t state, int64_t expires,
				   int64_t horizon)
{
	struct dx_lease_op op = {.kind = DX_LEASE_OP_UPSERT};

	lease_rows_make(&op.rec, 1, addr, mac_last, state);
	if (!mac_last)
		memset(op.rec.mac, 0, 6);
	op.rec.expires = expires;
	op.rec.horizon = horizon;
	return op;
}

static uint8_t claim(struct lease_db *db, struct dx_lease_op op)
{
	uint8_t lost = 9;

	assert_int_equal(lease_db_commit_claim(db, &op, 1, &lost), 0);
	return lost;
}

/*
 * Several servers on one table: an upsert takes the row only when it is
 * free (by the server's clock, with LEASE_DB_CLOCK_SKEW to spare) or the
 * same client's, never lowers the same client's horizon, and ends an
 * ACTIVE row only with its latest horizon; a delete with a chaddr spares
 * another client's ACTIVE row; each op of a batch gets its own answer.
 */
static void test_claim_only_free_or_same_client(void **state)
{
	int64_t now = (int64_t)time(NULL);
	struct dx_lease_op ops[3];
	struct dx_lease_rec got;
	struct lease_db *db;
	uint8_t lost[3];

	(void)state;
	need_server();
	init_schema();
	db = open_store(0);
	assert_int_equal(claim(db, claim_op(20, 1, DX_LEASE_ACTIVE, now + 600,
					    now + 1200)),
			 0);
	assert_int_equal(claim(db, claim_op(20, 2, DX_LEASE_ACTIVE, now + 600,
					    now + 1200)),
			 1);
	assert_int_equal(lease_db_get_by_addr(db, 1, 20, &got), 0);
	assert_int_equal(got.mac[5], 1);
	/* The same client: taken, the later horizon kept. */
	assert_int_equal(claim(db, claim_op(20, 1, DX_LEASE_ACTIVE, now + 700,
					    now + 900)),
			 0);
	assert_int_equal(lease_db_get_by_addr(db, 1, 20, &got), 0);
	assert_int_equal(got.expires, now + 700);
	assert_int_equal(got.horizon, now + 1200);
	/* Ended by one who has not seen the latest horizon: refused. */
	assert_int_equal(
		claim(db, claim_op(20, 1, DX_LEASE_EXPIRED, now, now + 900)),
		1);
	assert_int_equal(
		claim(db, claim_op(20, 1, DX_LEASE_EXPIRED, now, now + 1200)),
		0);
	/* EXPIRED before its horizon: still nobody else's. */
	assert_int_equal(claim(db, claim_op(20, 2, DX_LEASE_ACTIVE, now + 600,
					    now + 1200)),
			 1);
	/* RELEASED: free at once. */
	assert_int_equal(
		claim(db, claim_op(20, 1, DX_LEASE_RELEASED, now, now + 1200)),
		0);
	assert_int_equal(claim(db, claim_op(20, 2, DX_LEASE_ACTIVE, now + 600,
					    now + 1200)),
			 0);
	/* Over by the clock: free; within the skew: not yet. */
	ops[0] = claim_op(21, 3, DX_LEASE_ACTIVE, now - 120, now - 60);
	ops[1] = claim_op(22, 5, DX_LEASE_ACTIVE, now - 10, now);
	assert_int_equal(lease_db_commit_claim(db, ops, 2, lost), 0);
	assert_int_equal(lost[0] + lost[1], 0);
	ops[0] = claim_op(21, 4, DX_LEASE_ACTIVE, now + 600, now + 1200);
	ops[1] = claim_op(22, 6, DX_LEASE_ACTIVE, now + 600, now + 1200);
	ops[2] = claim_op(23, 6, DX_LEASE_ACTIVE, now + 600, now + 1200);
	assert_int_equal(lease_db_commit_claim(db, ops, 3, lost), 0);
	assert_int_equal(lost[0], 0);
	assert_int_equal(lost[1], 1);
	assert_int_equal(lost[2], 0);
	/* A DECLINE takes the address out whoever holds it. */
	assert_int_equal(claim(db, claim_op(22, 0, DX_LEASE_DECLINED, now + 60,
					    now + 60)),
			 0);
	/* A delete names its client. */
	ops[0] = claim_op(21, 9, DX_LEASE_ACTIVE, 0, 0);
	ops[0].kind = DX_LEASE_OP_DELETE;
	assert_int_equal(lease_db_commit_claim(db, ops, 1, lost), 0);
	assert_int_equal(lost[0], 1);
	assert_int_equal(lease_db_get_by_addr(db, 1, 21, &got), 0);
	ops[0].rec.mac[5] = 4;
	assert_int_equal(lease_db_commit_claim(db, ops, 1, lost), 0);
	assert_int_equal(lost[0], 0);
	assert_int_equal(lease_db_get_by_addr(db, 1, 21, &got), -ENOENT);
	lease_db_close(db);
}

struct seen {
	uint32_t addr[8];
	int pid[8];
	int n;
};

static int seen_key(uint32_t subnet_id, uint32_t addr, int pid, void *arg)
{
	struct seen *s = arg;

	assert_int_equal(subnet_id, 1);
	if (s->n < 8) {
		s->addr[s->n] = addr;
		s->pid[s->n++] = pid;
	}
	return 0;
}

/* The watch hears every row written, with the writer's server process. */
static void test_watch_hears_writes(void **state)
{
	struct dx_lease_db_conf c = conf_for("dx_store", 0);
	struct lease_db *db, *watch = NULL;
	struct dx_lease_rec r[2], got;
	struct dx_lease_op del = {.kind = DX_LEASE_OP_DELETE};
	struct seen s = {0};
	char err[600] = "";

	(void)state;
	need_server();
	init_schema();
	db = open_store(0);
	if (lease_db_watch_open(&c, &watch, err, sizeof(err)))
		fail_msg("watch: %s", err);
	assert_true(lease_db_notify_fd(watch) >= 0);
	assert_int_not_equal(lease_db_backend_pid(db), 0);
	lease_rows_make(&r[0], 1, 30, 1, DX_LEASE_ACTIVE);
	lease_rows_make(&r[1], 1, 31, 2, DX_LEASE_ACTIVE);
	assert_int_equal(lease_rows_commit(db, r, 2), 0);
	del.rec = r[0];
	assert_int_equal(lease_db_commit_ops(db, &del, 1), 0);
	/* Delivered at commit; read as they come, a bounded number of
	 * times. */
	for (int i = 0; i < 500 && s.n < 3; i++) {
		assert_true(lease_db_notifications(watch, seen_key, &s) >= 0);
		if (s.n < 3)
			usleep(10000);
	}
	assert_int_equal(s.n, 3);
	assert_int_equal(s.addr[0], 30);
	assert_int_equal(s.addr[1], 31);
	assert_int_equal(s.addr[2], 30);
	assert_int_equal(s.pid[0], lease_db_backend_pid(db));
	assert_int_equal(lease_db_get_by_addr(watch, 1, 31, &got), 0);
	assert_int_equal(got.mac[5], 2);
	lease_db_close(watch);
	lease_db_close(db);
	/* SQLite has no watch. */
	c.type = "sqlite";
	assert_int_equal(lease_db_watch_open(&c, &watch, err, sizeof(err)),
			 -EOPNOTSUPP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_missing_schema_refused, setup),
		cmocka_unit_test_setup(test_admin_init_upgrade_version, setup),
		cmocka_unit_test_setup(test_newer_schema_refused, setup),
		cmocka_unit_test_setup(test_unreachable_server, setup),
		cmocka_unit_test_setup(test_row_round_trip, setup),
		cmocka_unit_test_setup(test_by_mac_prefers_active_then_recent,
				       setup),
		cmocka_unit_test_setup(test_load_in_order_delete_and_stop,
				       setup),
		cmocka_unit_test_setup(test_invalid_batch_writes_nothing,
				       setup),
		cmocka_unit_test_setup(test_large_batch_across_chunks, setup),
		cmocka_unit_test_setup(test_claim_only_free_or_same_client,
				       setup),
		cmocka_unit_test_setup(test_watch_hears_writes, setup),
		cmocka_unit_test_setup(
			test_lost_connection_fails_then_reconnects, setup),
		cmocka_unit_test_setup(test_idle_loss_noticed_by_check, setup),
		cmocka_unit_test_setup(test_reconnect_gives_up_after_max_tries,
				       setup),
		cmocka_unit_test_setup(test_no_reconnect_when_max_tries_is_zero,
				       setup),
	};
	char conninfo[512];
	int ret;

	pg_host = getenv("DHCPXDP_TEST_PGHOST");
	if (pg_host && *pg_host) {
		snprintf(conninfo, sizeof(conninfo),
			 "host=%s dbname=dhcpxdp user=dhcpxdp", pg_host);
		admin = PQconnectdb(conninfo);
		if (PQstatus(admin) != CONNECTION_OK) {
			fprintf(stderr, "cannot connect to %s: %s\n", pg_host,
				PQerrorMessage(admin));
			return 1;
		}
		PQclear(PQexec(admin, "SET client_min_messages = warning"));
	} else {
		pg_host = NULL;
		printf("DHCPXDP_TEST_PGHOST is not set (no PostgreSQL server; "
		       "tests/integration/test_pgsql.sh starts one): "
		       "SKIPPING\n");
	}
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	PQfinish(admin);
	return ret;
}
