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

/*
 * Ours written; the partner's row read in the same round trip (the
 * SELECT sees the table as it was before our row changed: only the
 * partner's row is read). started_at is set on a run's first beat;
 * maintenance_since keeps the time of the first beat that asked. When
 * both ask each other, the older request (then the lower name) wins.
 */
static const char beat_sql[] =
	"WITH mine AS (INSERT INTO dhcpxdp_ha_heartbeat (server_name, beat_at,"
	" serving_partner, started_at, maintenance_since) VALUES ($1,"
	" clock_timestamp(), $3, clock_timestamp(),"
	" CASE WHEN $5::boolean THEN clock_timestamp() END)"
	" ON CONFLICT (server_name) DO UPDATE SET beat_at = EXCLUDED.beat_at,"
	" serving_partner = EXCLUDED.serving_partner,"
	" started_at = CASE WHEN $4::boolean"
	" OR dhcpxdp_ha_heartbeat.started_at IS NULL THEN EXCLUDED.started_at"
	" ELSE dhcpxdp_ha_heartbeat.started_at END,"
	" maintenance_since = CASE WHEN $5::boolean THEN"
	" COALESCE(dhcpxdp_ha_heartbeat.maintenance_since,"
	" EXCLUDED.maintenance_since) END"
	" RETURNING started_at, maintenance_since)"
	" SELECT (extract(epoch FROM clock_timestamp() - p.beat_at) * 1000)"
	"::bigint,"
	" COALESCE(p.maintenance_since > m.started_at AND"
	" (m.maintenance_since IS NULL OR p.maintenance_since <"
	" m.maintenance_since OR (p.maintenance_since = m.maintenance_since"
	" AND p.server_name < $1)), false),"
	" COALESCE(p.started_at > m.maintenance_since, false)"
	" FROM dhcpxdp_ha_heartbeat p, mine m WHERE p.server_name = $2";

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

static bool is_true(const PGresult *res, int col)
{
	return !PQgetisnull(res, 0, col) && PQgetvalue(res, 0, col)[0] == 't';
}

int ha_beat_exchange(struct ha_beat *b, const char *self, const char *partner,
		     const struct ha_beat_mine *mine,
		     struct ha_beat_partner *seen, char *err, size_t errlen)
{
	const char *vals[5] = {self, partner, mine->serving_partner ? "t" : "f",
			       mine->first ? "t" : "f",
			       mine->maintenance ? "t" : "f"};
	PGresult *res;
	int ret;

	*seen = (struct ha_beat_partner){.age_ms = -1};
	/* A fresh connection after any failure: the watcher's next beat
	 * is its retry, so no reconnect schedule of its own. */
	if (!b->db && (ret = pgsql_conn_open(b->conf, true, no_statements,
					     &b->db, err, errlen)))
		return ret == -ECONNREFUSED ? -ENOTCONN : ret;
	res = PQexecParams(b->db->conn, beat_sql, 5, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		ret = pgsql_fail(b->db, res, "high-availability heartbeat");
		errmsg(err, errlen, 0, "%s", lease_db_errmsg(&b->db->base));
		PQclear(res);
		drop_conn(b);
		return ret;
	}
	if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0)) {
		seen->age_ms = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		seen->asks_maintenance = is_true(res, 1);
		seen->restarted = is_true(res, 2);
	}
	PQclear(res);
	return 0;
}
