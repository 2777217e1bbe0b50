// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Lease database on PostgreSQL: opening it (the connection is
 * lease_db_pgsql_conn.c's), lease rows in and out, and `dhcpxdp db`.
 * Statements are prepared on every new connection; parameters and results travel in binary (network byte
 * order), so no number or MAC is formatted as text and parsed back.
 *
 * A batch is one transaction (BEGIN, its upserts and deletes, COMMIT),
 * pipelined: one WAL flush on the server for the lot, as SQLite's one
 * fsync, and about one round trip.
 */
#include <endian.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "store/lease_db.h"
#include "store/lease_db_pgsql_conn.h"
#include "store/lease_db_pgsql_schema.h"
#include "util/errmsg.h"

/* PostgreSQL's type OIDs (pg_type.dat): fixed since 7.x. */
#define OID_INT8  20
#define OID_INT2  21
#define OID_TEXT  25
#define OID_BYTEA 17

#define COLS                                                                   \
	"subnet_id, addr, mac, client_id, hostname, state, expires, horizon, " \
	"last_seen, flags"

/* The row l is the client's of EXCLUDED (as lt_owned_by(): client-id when
 * both have one, else chaddr). */
#define SAME                                                                \
	"(CASE WHEN l.client_id IS NOT NULL AND EXCLUDED.client_id IS NOT " \
	"NULL THEN l.client_id = EXCLUDED.client_id ELSE l.mac = "          \
	"EXCLUDED.mac "                                                     \
	"END)"
#define STR_(x) #x
#define STR(x)	STR_(x)
#define SKEW	STR(LEASE_DB_CLOCK_SKEW)

static const struct {
	const char *name, *sql;
	int n;
	Oid types[10];
} stmts[] = {
	/*
	 * Several servers may share the table (lease_db_commit_claim(),
	 * docs/design.md "Several nodes on one PostgreSQL"): the row is
	 * taken only when it is free or the same client's. A DECLINE takes
	 * it whoever holds it: the address is in use on the wire (RFC 2131
	 * §4.3.3), unusable for everybody. "Over" is by the database
	 * server's clock, one clock for all the servers, with the skew
	 * allowed between theirs to spare.
	 */
	{"dx_upsert",
	 "INSERT INTO dhcpxdp_lease4 AS l (" COLS ")"
	 " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
	 " ON CONFLICT (subnet_id, addr) DO UPDATE SET"
	 " mac = EXCLUDED.mac, client_id = EXCLUDED.client_id,"
	 " hostname = EXCLUDED.hostname, state = EXCLUDED.state,"
	 " expires = EXCLUDED.expires,"
	 " horizon = CASE WHEN l.state = 1 AND EXCLUDED.state = 1 AND " SAME
	 " THEN GREATEST(l.horizon, EXCLUDED.horizon)"
	 " ELSE EXCLUDED.horizon END,"
	 " last_seen = EXCLUDED.last_seen, flags = EXCLUDED.flags"
	 " WHERE EXCLUDED.state = 3 OR l.state = 2"
	 " OR GREATEST(l.expires, l.horizon) + " SKEW
	 " < EXTRACT(EPOCH FROM now())"
	 " OR (" SAME " AND (EXCLUDED.state = 1 OR l.state <> 1"
	 " OR l.horizon <= EXCLUDED.horizon))",
	 10,
	 {OID_INT8, OID_INT8, OID_BYTEA, OID_BYTEA, OID_TEXT, OID_INT2,
	  OID_INT8, OID_INT8, OID_INT8, OID_INT2}},
	/* With a chaddr ($3): an ACTIVE row only of that client. */
	{"dx_delete",
	 "DELETE FROM dhcpxdp_lease4 WHERE subnet_id = $1 AND addr = $2"
	 " AND ($3::bytea IS NULL OR state <> 1 OR mac = $3)",
	 3,
	 {OID_INT8, OID_INT8, OID_BYTEA}},
	{"dx_load",
	 "SELECT " COLS " FROM dhcpxdp_lease4 ORDER BY subnet_id, addr",
	 0,
	 {0}},
	{"dx_by_addr",
	 "SELECT " COLS " FROM dhcpxdp_lease4 WHERE subnet_id = $1 AND "
	 "addr = $2",
	 2,
	 {OID_INT8, OID_INT8}},
	/* As SQLite's: an active row first, then the most recently seen. */
	{"dx_by_mac",
	 "SELECT " COLS " FROM dhcpxdp_lease4 WHERE subnet_id = $1 AND "
	 "mac = $2 ORDER BY (state = 1) DESC, last_seen DESC LIMIT 1",
	 2,
	 {OID_INT8, OID_BYTEA}},
};

static int prepare(PGconn *conn, char *err, size_t errlen)
{
	PGresult *res;
	int ok;

	for (size_t i = 0; i < sizeof(stmts) / sizeof(*stmts); i++) {
		res = PQprepare(conn, stmts[i].name, stmts[i].sql, stmts[i].n,
				stmts[i].types);
		ok = PQresultStatus(res) == PGRES_COMMAND_OK;
		if (!ok)
			errmsg(err, errlen, 0,
			       "lease database: preparing %s failed: %s",
			       stmts[i].name, PQresultErrorMessage(res));
		PQclear(res);
		if (!ok)
			return -EPROTONOSUPPORT;
	}
	return 0;
}

/* Binary parameters of one statement. */
struct params {
	const char *val[10];
	int len[10], fmt[10];
	uint64_t i8[10];
	uint16_t i2[10];
	int n;
};

static void p_int8(struct params *p, int64_t v)
{
	p->i8[p->n] = htobe64((uint64_t)v);
	p->val[p->n] = (const char *)&p->i8[p->n];
	p->len[p->n] = 8;
	p->fmt[p->n++] = 1;
}

static void p_int2(struct params *p, int v)
{
	p->i2[p->n] = htobe16((uint16_t)v);
	p->val[p->n] = (const char *)&p->i2[p->n];
	p->len[p->n] = 2;
	p->fmt[p->n++] = 1;
}

/* Bytes (bytea or text); len 0 with null: SQL NULL. */
static void p_bytes(struct params *p, const void *v, size_t len, bool null)
{
	p->val[p->n] = null ? NULL : v;
	p->len[p->n] = (int)len;
	p->fmt[p->n++] = 1;
}

static PGresult *exec_prepared(struct pgsql_db *db, const char *name,
			       const struct params *p)
{
	return PQexecPrepared(db->conn, name, p->n, p->val, p->len, p->fmt, 1);
}

static void key_params(struct params *p, uint32_t subnet_id, uint32_t addr)
{
	p->n = 0;
	p_int8(p, subnet_id);
	p_int8(p, addr);
}

static void upsert_params(struct params *p, const struct dx_lease_rec *r)
{
	key_params(p, r->subnet_id, r->addr);
	p_bytes(p, r->mac, 6, false);
	p_bytes(p, r->client_id, r->client_id_len, !r->client_id_len);
	p_bytes(p, r->hostname, strnlen(r->hostname, DX_LEASE_HOSTNAME_MAX),
		false);
	p_int2(p, r->state);
	p_int8(p, r->expires);
	p_int8(p, r->horizon);
	p_int8(p, r->last_seen);
	p_int2(p, r->flags);
}

/*
 * A batch is pipelined (libpq's pipeline mode): BEGIN, the operations and
 * COMMIT go out without waiting for each answer, so a batch costs about
 * one round trip to the server instead of one per lease. Answers are read
 * every PIPE_CHUNK statements, so neither side's socket buffer fills with
 * what the other has not read (which would block both).
 */
#define PIPE_CHUNK 256

static int send_op(struct pgsql_db *db, const struct dx_lease_op *op)
{
	struct params p;
	const char *name = "dx_delete";

	if (op->kind == DX_LEASE_OP_UPSERT) {
		upsert_params(&p, &op->rec);
		name = "dx_upsert";
	} else {
		static const uint8_t zero[6];
		bool any = memcmp(op->rec.mac, zero, 6);

		key_params(&p, op->rec.subnet_id, op->rec.addr);
		p_bytes(&p, op->rec.mac, any ? 6 : 0, !any);
	}
	return PQsendQueryPrepared(db->conn, name, p.n, p.val, p.len, p.fmt, 1)
		       ? 0
		       : pgsql_fail(db, NULL, "send lease");
}

static int send_cmd(struct pgsql_db *db, const char *sql)
{
	return PQsendQueryParams(db->conn, sql, 0, NULL, NULL, NULL, NULL, 0)
		       ? 0
		       : pgsql_fail(db, NULL, sql);
}

/*
 * Where the pipeline's answers are: statement 0 is BEGIN, statement
 * i + 1 operation i; lost (NULL: not wanted) marks an operation whose
 * row was not taken (no row inserted, updated or deleted).
 */
struct pipe {
	size_t answered;
	size_t n_ops;
	uint8_t *lost;
};

static void note_rows(struct pipe *pp, PGresult *res)
{
	size_t i = pp->answered;

	if (pp->lost && i >= 1 && i <= pp->n_ops &&
	    !strcmp(PQcmdTuples(res), "0"))
		pp->lost[i - 1] = 1;
}

/* The answers to the n statements sent last; the first failure's errno. */
static int read_answers(struct pgsql_db *db, struct pipe *pp, size_t n, int ret)
{
	PGresult *res;

	for (size_t i = 0; i < n; i++) {
		res = PQgetResult(db->conn);
		if (!res)
			return ret ? ret : pgsql_fail(db, NULL, "read answer");
		if (PQresultStatus(res) != PGRES_COMMAND_OK && !ret)
			ret = pgsql_fail(db, res, "write lease");
		else if (!ret)
			note_rows(pp, res);
		pp->answered++;
		PQclear(res);
		/* Each statement's answers end with a NULL. */
		while ((res = PQgetResult(db->conn)))
			PQclear(res);
	}
	return ret;
}

/* Send everything (ops until one fails), then COMMIT; 0 or errno. */
static int pipeline(struct pgsql_db *db, const struct dx_lease_op *ops,
		    size_t n, uint8_t *lost)
{
	struct pipe pp = {.n_ops = n, .lost = lost};
	size_t i, pending = 1;
	int ret;

	ret = send_cmd(db, "BEGIN");
	for (i = 0; i < n && !ret; i++) {
		ret = send_op(db, &ops[i]);
		if (!ret && ++pending == PIPE_CHUNK) {
			if (!PQsendFlushRequest(db->conn) || PQflush(db->conn))
				ret = pgsql_fail(db, NULL, "send leases");
			ret = read_answers(db, &pp, pending, ret);
			pending = 0;
		}
	}
	if (!ret)
		ret = send_cmd(db, "COMMIT");
	if (!ret)
		pending++;
	if (!PQpipelineSync(db->conn))
		return ret ? ret : pgsql_fail(db, NULL, "commit");
	return read_answers(db, &pp, pending, ret);
}

static int pgsql_rows_commit(struct lease_db *base,
			     const struct dx_lease_op *ops, size_t n,
			     uint8_t *lost)
{
	struct pgsql_db *db = (struct pgsql_db *)base;
	PGresult *res;
	int ret;

	ret = pgsql_ready(db);
	if (ret)
		return ret;
	if (!PQenterPipelineMode(db->conn))
		return pgsql_fail(db, NULL, "pipeline");
	ret = pipeline(db, ops, n, lost);
	/* Up to the sync; a broken connection is dropped and made anew. */
	while (!db->down && (res = PQgetResult(db->conn))) {
		ExecStatusType st = PQresultStatus(res);

		PQclear(res);
		if (st == PGRES_PIPELINE_SYNC)
			break;
	}
	if (db->down)
		return ret ? ret : -ENOTCONN;
	PQexitPipelineMode(db->conn);
	/* Leave no failed transaction open behind us. */
	if (ret)
		PQclear(PQexec(db->conn, "ROLLBACK"));
	/* Rolled back: nothing was taken, nothing lost to another. */
	if (ret && lost)
		memset(lost, 0, n);
	return ret;
}

static int64_t col_int(const PGresult *res, int row, int col)
{
	const char *v = PQgetvalue(res, row, col);
	uint64_t u8;
	uint16_t u2;

	if (PQgetlength(res, row, col) == 8) {
		memcpy(&u8, v, 8);
		return (int64_t)be64toh(u8);
	}
	memcpy(&u2, v, 2);
	return (int16_t)be16toh(u2);
}

/* Copy column col into dst (at most max bytes); the length copied. */
static size_t col_bytes(const PGresult *res, int row, int col, void *dst,
			size_t max)
{
	size_t len;

	if (PQgetisnull(res, row, col))
		return 0;
	len = (size_t)PQgetlength(res, row, col);
	if (len > max)
		len = max;
	memcpy(dst, PQgetvalue(res, row, col), len);
	return len;
}

static void read_row(const PGresult *res, int row, struct dx_lease_rec *r)
{
	uint8_t mac[6];

	memset(r, 0, sizeof(*r));
	r->subnet_id = (uint32_t)col_int(res, row, 0);
	r->addr = (uint32_t)col_int(res, row, 1);
	if (col_bytes(res, row, 2, mac, 6) == 6)
		memcpy(r->mac, mac, 6);
	r->client_id_len = (uint8_t)col_bytes(res, row, 3, r->client_id,
					      DX_LEASE_CLIENT_ID_MAX);
	col_bytes(res, row, 4, r->hostname, DX_LEASE_HOSTNAME_MAX);
	r->state = (uint8_t)col_int(res, row, 5);
	r->expires = col_int(res, row, 6);
	r->horizon = col_int(res, row, 7);
	r->last_seen = col_int(res, row, 8);
	r->flags = (uint8_t)col_int(res, row, 9);
}

/* Rows one at a time (single-row mode): a large table is never held whole. */
static int pgsql_rows_load(struct lease_db *base, dx_lease_cb cb, void *arg)
{
	struct pgsql_db *db = (struct pgsql_db *)base;
	struct dx_lease_rec rec;
	int ret, failed = 0;
	PGresult *res;

	ret = pgsql_ready(db);
	if (ret)
		return ret;
	if (!PQsendQueryPrepared(db->conn, "dx_load", 0, NULL, NULL, NULL, 1))
		return pgsql_fail(db, NULL, "load leases");
	PQsetSingleRowMode(db->conn);
	/* Every result read, even after a stop: the connection stays usable. */
	while ((res = PQgetResult(db->conn))) {
		switch (PQresultStatus(res)) {
		case PGRES_SINGLE_TUPLE:
			read_row(res, 0, &rec);
			if (!ret && !failed)
				ret = cb(&rec, arg);
			break;
		case PGRES_TUPLES_OK:
			break;
		default:
			if (!failed)
				failed = pgsql_fail(db, res, "load leases");
		}
		PQclear(res);
	}
	return ret ? ret : failed;
}

/* One row or -ENOENT. */
static int get_one(struct pgsql_db *db, const char *name,
		   const struct params *p, struct dx_lease_rec *out)
{
	PGresult *res;
	int ret;

	ret = pgsql_ready(db);
	if (ret)
		return ret;
	res = exec_prepared(db, name, p);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		ret = pgsql_fail(db, res, "look up lease");
	else if (PQntuples(res) < 1)
		ret = -ENOENT;
	else
		read_row(res, 0, out);
	PQclear(res);
	return ret;
}

static int pgsql_rows_by_addr(struct lease_db *base, uint32_t subnet_id,
			      uint32_t addr, struct dx_lease_rec *out)
{
	struct params p;

	key_params(&p, subnet_id, addr);
	return get_one((struct pgsql_db *)base, "dx_by_addr", &p, out);
}

static int pgsql_rows_by_mac(struct lease_db *base, uint32_t subnet_id,
			     const uint8_t mac[6], struct dx_lease_rec *out)
{
	struct params p = {0};

	p_int8(&p, subnet_id);
	p_bytes(&p, mac, 6, false);
	return get_one((struct pgsql_db *)base, "dx_by_mac", &p, out);
}

static int no_file(struct lease_db *base)
{
	(void)base;
	return 0; /* no file of ours: the server keeps it */
}

static int pgsql_backend_pid(const struct lease_db *base)
{
	const struct pgsql_db *db = (const struct pgsql_db *)base;

	return __atomic_load_n(&db->pid, __ATOMIC_RELAXED);
}

/* The channel schema version 2's trigger notifies (lease_db_pgsql_schema.c). */
#define CHANNEL "dhcpxdp_lease4"

/* A watch's connection: the statements, then LISTEN, on every new one. */
static int prepare_listen(PGconn *conn, char *err, size_t errlen)
{
	PGresult *res;
	int ret;

	ret = prepare(conn, err, errlen);
	if (ret)
		return ret;
	res = PQexec(conn, "LISTEN " CHANNEL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		errmsg(err, errlen, 0, "lease database: LISTEN failed: %s",
		       PQresultErrorMessage(res));
		ret = -EIO;
	}
	PQclear(res);
	return ret;
}

static int pgsql_notify_fd(const struct lease_db *base)
{
	const struct pgsql_db *db = (const struct pgsql_db *)base;

	return db->down || !db->conn ? -1 : PQsocket(db->conn);
}

/* "subnet_id addr", as the trigger writes it. */
static int key_of(const char *payload, uint32_t *subnet_id, uint32_t *addr)
{
	unsigned long long s, a;

	if (sscanf(payload, "%llu %llu", &s, &a) != 2 || s > UINT32_MAX ||
	    a > UINT32_MAX)
		return -EINVAL;
	*subnet_id = (uint32_t)s;
	*addr = (uint32_t)a;
	return 0;
}

static int pgsql_notifications(struct lease_db *base,
			       int (*cb)(uint32_t, uint32_t, int, void *),
			       void *arg)
{
	struct pgsql_db *db = (struct pgsql_db *)base;
	uint32_t subnet_id, addr;
	PGnotify *n;
	int count = 0;

	if (db->down)
		return -ENOTCONN;
	if (!PQconsumeInput(db->conn) || PQstatus(db->conn) == CONNECTION_BAD)
		return pgsql_fail(db, NULL, "notifications");
	while ((n = PQnotifies(db->conn))) {
		if (!key_of(n->extra, &subnet_id, &addr)) {
			cb(subnet_id, addr, n->be_pid, arg);
			count++;
		}
		PQfreemem(n);
	}
	return count;
}

static const struct lease_db_ops pgsql_watch_ops = {
	.close = pgsql_conn_close,
	.commit = pgsql_rows_commit,
	.check_file = no_file,
	.load = pgsql_rows_load,
	.get_by_addr = pgsql_rows_by_addr,
	.get_by_mac = pgsql_rows_by_mac,
	.reconnect = pgsql_conn_reconnect,
	.link = pgsql_conn_link,
	.thread_safe = pgsql_conn_thread_safe,
	.notify_fd = pgsql_notify_fd,
	.notifications = pgsql_notifications,
	.backend_pid = pgsql_backend_pid,
};

static const struct lease_db_ops pgsql_ops = {
	.close = pgsql_conn_close,
	.commit = pgsql_rows_commit,
	.check_file = no_file,
	.load = pgsql_rows_load,
	.get_by_addr = pgsql_rows_by_addr,
	.get_by_mac = pgsql_rows_by_mac,
	.reconnect = pgsql_conn_reconnect,
	.link = pgsql_conn_link,
	.thread_safe = pgsql_conn_thread_safe,
	.backend_pid = pgsql_backend_pid,
};

/* A connection whose statements prep prepares, answering through ops. */
static int open_with(const struct dx_lease_db_conf *conf,
		     int (*prep)(PGconn *, char *, size_t),
		     const struct lease_db_ops *ops, struct lease_db **out,
		     char *err, size_t errlen)
{
	struct pgsql_db *db;
	int ret;

	*out = NULL;
	ret = pgsql_conn_open(conf, true, prep, &db, err, errlen);
	if (ret)
		return ret;
	db->base.ops = ops;
	*out = &db->base;
	return 0;
}

int lease_db_pgsql_open(const struct dx_lease_db_conf *conf,
			struct lease_db **out, char *err, size_t errlen)
{
	return open_with(conf, prepare, &pgsql_ops, out, err, errlen);
}

int lease_db_pgsql_watch_open(const struct dx_lease_db_conf *conf,
			      struct lease_db **out, char *err, size_t errlen)
{
	return open_with(conf, prepare_listen, &pgsql_watch_ops, out, err,
			 errlen);
}

int lease_db_pgsql_admin(const struct dx_lease_db_conf *conf, int op,
			 int *version, char *err, size_t errlen)
{
	struct pgsql_db *db;
	int ret;

	ret = pgsql_conn_open(conf, false, prepare, &db, err, errlen);
	if (ret)
		return ret;
	if (op == LEASE_DB_VERSION)
		ret = pgsql_schema_version(db->conn, version, err, errlen);
	else
		ret = pgsql_schema_change(db->conn, db->base.name, op, version,
					  err, errlen);
	pgsql_conn_close(&db->base);
	return ret;
}
