// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Other servers' rows into the engine and the lease map (peer_sync.h). */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>

#include "config/config.h"
#include "daemon/commit.h"
#include "daemon/daemon_state.h"
#include "daemon/peer_sync.h"
#include "engine/engine.h"
#include "store/commit_queue.h"
#include "store/lease_db.h"
#include "util/clock.h"
#include "util/log.h"

void peer_sync_open(struct daemon *d)
{
	char err[512];
	int ret;

	d->watch_fd = -1;
	d->shared_store = !strcmp(d->cfg->lease_db.type, "postgresql");
	if (!d->shared_store || d->watch)
		return;
	ret = lease_db_watch_open(&d->cfg->lease_db, &d->watch, err,
				  sizeof(err));
	if (ret)
		log_limited(&d->lim_peers, now_mono(), 60, LOG_LVL_WARN,
			    "%s: cannot LISTEN for other servers' leases "
			    "(%s); retrying, and reading every row every "
			    "%d s meanwhile",
			    lease_db_name(d->db), err, PEER_RESYNC_S);
	/* Rows written before the LISTEN are in the load that follows. */
	d->peer_next_resync = now_mono() + PEER_RESYNC_S;
}

/* Take the socket out of the loop: a lost connection's stays readable
 * (its end) until the reconnect closes it. */
static void unregister(struct daemon *d)
{
	if (d->watch_fd >= 0)
		(void)epoll_ctl(d->epfd, EPOLL_CTL_DEL, d->watch_fd, NULL);
	d->watch_fd = -1;
}

void peer_sync_register(struct daemon *d, unsigned long long tag)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = tag};
	int fd = lease_db_notify_fd(d->watch);

	unregister(d);
	if (fd >= 0 && !epoll_ctl(d->epfd, EPOLL_CTL_ADD, fd, &ev))
		d->watch_fd = fd;
}

static bool ops_touch(const struct dx_lease_op *ops, size_t n,
		      uint32_t subnet_id, uint32_t addr)
{
	for (size_t i = 0; i < n; i++)
		if (ops[i].rec.subnet_id == subnet_id &&
		    ops[i].rec.addr == addr)
			return true;
	return false;
}

/*
 * Has this server changes of the address not committed yet? Then the
 * engine is ahead of the row, and the commit decides: won, the row is
 * ours; lost, claims.c reads the row that won.
 */
static bool queued(const struct daemon *d, uint32_t subnet_id, uint32_t addr)
{
	const struct commit_queue *q = &d->cq;

	if (q->open && ops_touch(q->open->ops, q->open->n_ops, subnet_id, addr))
		return true;
	/* Read only, as the writer does. */
	if (q->inflight &&
	    ops_touch(q->inflight->ops, q->inflight->n_ops, subnet_id, addr))
		return true;
	for (size_t i = 0; i < d->n_pending; i++)
		if (ops_touch(d->pending[i].ops, d->pending[i].n_ops, subnet_id,
			      addr))
			return true;
	return false;
}

/* The row of (subnet_id, addr) as it is now (NULL: none) into the engine. */
static void take_row(struct daemon *d, uint32_t subnet_id, uint32_t addr,
		     const struct dx_lease_rec *row)
{
	struct engine_changes ch;

	if (queued(d, subnet_id, addr))
		return;
	if (engine_lease_sync(d->eng, subnet_id, addr, row, now_wall(), &ch))
		return;
	d->cnt.peer_rows++;
	daemon_map_durable(d, ch.map, ch.n_map);
}

static int on_key(uint32_t subnet_id, uint32_t addr, int pid, void *arg)
{
	struct daemon *d = arg;
	struct dx_lease_rec row;
	int ret;

	/* Our own writes: the engine decided them. */
	if (pid && pid == lease_db_backend_pid(d->db))
		return 0;
	ret = lease_db_get_by_addr(d->watch, subnet_id, addr, &row);
	if (ret && ret != -ENOENT) {
		/* Made good by the next full reading. */
		d->peer_resync_due = true;
		return ret;
	}
	take_row(d, subnet_id, addr, ret ? NULL : &row);
	return 0;
}

void peer_sync_event(struct daemon *d)
{
	int ret;

	if (!d->watch)
		return;
	ret = lease_db_notifications(d->watch, on_key, d);
	if (ret == -ENOTCONN) {
		unregister(d);
		d->peer_resync_due = true;
		log_limited(&d->lim_peers, now_mono(), 60, LOG_LVL_WARN,
			    "%s: the connection that LISTENs for other "
			    "servers' leases was lost: %s; reconnecting",
			    lease_db_name(d->db), lease_db_errmsg(d->watch));
	}
}

static int on_row(const struct dx_lease_rec *row, void *arg)
{
	take_row(arg, row->subnet_id, row->addr, row);
	return 0;
}

/* Every row, for the changes whose notifications were lost. Rows deleted
 * meanwhile are not seen: docs/design.md says what that costs. */
static void resync(struct daemon *d)
{
	int ret = lease_db_load(d->watch, on_row, d);

	if (ret)
		log_limited(&d->lim_peers, now_mono(), 60, LOG_LVL_WARN,
			    "%s: reading every lease row failed: %s",
			    lease_db_name(d->db), lease_db_errmsg(d->watch));
	else
		d->peer_resync_due = false;
}

void peer_sync_tick(struct daemon *d, unsigned long long tag)
{
	int64_t now = now_mono();

	if (!d->shared_store)
		return;
	if (!d->watch && now >= d->peer_next_resync) {
		peer_sync_open(d);
		d->peer_resync_due = d->watch != NULL;
		if (d->watch)
			peer_sync_register(d, tag);
	}
	if (!d->watch)
		return;
	if (lease_db_link(d->watch) != LEASE_DB_UP || d->watch_fd < 0) {
		unregister(d);
		if (!lease_db_reconnect(d->watch)) {
			d->peer_resync_due = true;
			peer_sync_register(d, tag);
		}
	}
	if (now >= d->peer_next_resync) {
		d->peer_next_resync = now + PEER_RESYNC_S;
		d->peer_resync_due = true;
	}
	if (d->peer_resync_due && lease_db_link(d->watch) == LEASE_DB_UP)
		resync(d);
	/* What arrived with the reads. */
	peer_sync_event(d);
}

void peer_sync_close(struct daemon *d)
{
	lease_db_close(d->watch);
	d->watch = NULL;
	d->watch_fd = -1;
}
