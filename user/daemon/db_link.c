// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The lease database's connection (db_link.h). A lost connection fails
 * commits - their replies are withheld and the engine set back by the
 * failure path (commit.c), as for a full disk - so nothing is ACKed that
 * is not durable. Meanwhile the XDP program keeps renewing leases within
 * their durable horizons: those rows were committed before the loss.
 *
 * Kea's on-fail:
 *   stop-retry-exit       the slow path takes no requests while down;
 *                         the daemon exits once the attempts ran out
 *   serve-retry-exit      the slow path goes on (OFFERs, NAKs; no ACK
 *                         without a commit); exits once they ran out
 *   serve-retry-continue  goes on, and stays up when they ran out
 * The exit is non-zero, so systemd (Restart=on-failure) starts the
 * daemon again, which then waits for the server at its start.
 */
#include <stdio.h>
#include <string.h>

#include "config/config.h"
#include "daemon/daemon_state.h"
#include "daemon/db_link.h"
#include "store/commit_queue.h"
#include "store/lease_db.h"
#include "util/clock.h"
#include "util/log.h"

static void note_change(struct daemon *d, enum lease_db_link now)
{
	int64_t t = now_mono();

	if (now == LEASE_DB_UP)
		log_info("%s: connection restored after %lld s",
			 lease_db_name(d->db),
			 (long long)(t - d->db_down_since));
	else if (now == LEASE_DB_RETRYING && d->db_link == LEASE_DB_UP)
		log_err("%s: connection lost; no lease is granted until it is "
			"back (XDP renews leases within their horizons); "
			"reconnecting every %u ms, at most %u times",
			lease_db_name(d->db),
			d->cfg->lease_db.reconnect_wait_time,
			d->cfg->lease_db.max_reconnect_tries);
	else if (now == LEASE_DB_GAVE_UP)
		log_err("%s: reconnecting failed, max-reconnect-tries "
			"exhausted: %s",
			lease_db_name(d->db), lease_db_errmsg(d->db));
	if (d->db_link == LEASE_DB_UP)
		d->db_down_since = t;
	d->db_link = now;
}

void db_link_tick(struct daemon *d)
{
	enum lease_db_link link = lease_db_link(d->db);

	/* The writer owns the connection while a batch is in flight; its
	 * commit notices a loss and makes attempts of its own. */
	if (link != LEASE_DB_GAVE_UP && commitq_idle(&d->cq)) {
		(void)lease_db_reconnect(d->db);
		link = lease_db_link(d->db);
	}
	if ((int)link != d->db_link)
		note_change(d, link);
	if (link != LEASE_DB_GAVE_UP ||
	    d->cfg->lease_db.on_fail == DX_DB_SERVE_RETRY_CONTINUE)
		return;
	log_err("%s: on-fail is %s: stopping", lease_db_name(d->db),
		d->cfg->lease_db.on_fail == DX_DB_STOP_RETRY_EXIT
			? "stop-retry-exit"
			: "serve-retry-exit");
	d->exit_failure = true;
	d->stop = true;
}

bool db_link_serving(const struct daemon *d)
{
	return d->db_link == LEASE_DB_UP ||
	       d->cfg->lease_db.on_fail != DX_DB_STOP_RETRY_EXIT;
}
