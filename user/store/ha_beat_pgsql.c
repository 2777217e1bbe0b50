// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The heartbeat of a high-availability pair in the shared lease database
 * (ha_beat.h): one statement writes ours and reads the partner's age.
 * clock_timestamp() is the database server's clock: both ages come from
 * the one clock, so a skew between the peers changes nothing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <libpq-fe.h>

#include "config/config.h"
#include "store/ha_beat.h"
#include "store/lease_db.h"
#include "store/lease_db_pgsql_conn.h"
#include "util/errmsg.h"

struct ha_beat {
	const struct dx_lease_db_conf *conf;
	struct pgsql_db *db; /* NULL until connected */
};

/* Ours written; the partner's row read in the same round trip. */
static const char beat_sql[] =
	"WITH mine AS (INSERT INTO dhcpxdp_ha_heartbeat (server_name, beat_at,"
	" serving_partner) VALUES ($1, clock_timestamp(), $3)"
	" ON CONFLICT (server_name) DO UPDATE SET beat_at = EXCLUDED.beat_at,"
	" serving_partner = EXCLUDED.serving_partner RETURNING 1)"
	" SELECT (extract(epoch FROM clock_timestamp() - beat_at) * 1000)"
	"::bigint FROM dhcpxdp_ha_heartbeat WHERE server_name = $2";

static int no_statements(PGconn *conn, char *err, size_t errlen)
{
	(void)conn;
	(void)err;
	(void)errlen;
	return 0;
}

int ha_beat_new(const struct dx_lease_db_conf *conf, struct ha_beat **out)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	(*out)->conf = conf;
	return 0;
}

void ha_beat_free(struct ha_beat *b)
{
	if (!b)
		return;
	if (b->db)
		pgsql_conn_close(&b->db->base);
	free(b);
}

static void drop_conn(struct ha_beat *b)
{
	pgsql_conn_close(&b->db->base);
	b->db = NULL;
}

int ha_beat_exchange(struct ha_beat *b, const char *self, const char *partner,
		     bool serving_partner, int64_t *partner_age_ms, char *err,
		     size_t errlen)
{
	const char *vals[3] = {self, partner, serving_partner ? "t" : "f"};
	PGresult *res;
	int ret;

	*partner_age_ms = -1;
	/* A fresh connection after any failure: the watcher's next beat
	 * is its retry, so no reconnect schedule of its own. */
	if (!b->db && (ret = pgsql_conn_open(b->conf, true, no_statements,
					     &b->db, err, errlen)))
		return ret == -ECONNREFUSED ? -ENOTCONN : ret;
	res = PQexecParams(b->db->conn, beat_sql, 3, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		ret = pgsql_fail(b->db, res, "high-availability heartbeat");
		errmsg(err, errlen, 0, "%s", lease_db_errmsg(&b->db->base));
		PQclear(res);
		drop_conn(b);
		return ret;
	}
	if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
		*partner_age_ms = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return 0;
}
