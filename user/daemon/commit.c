// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Commit, then map, then reply (commit.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "daemon/commit.h"
#include "daemon/daemon_state.h"
#include "daemon/horizon.h"
#include "engine/engine.h"
#include "kernel/map_sync.h"
#include "store/lease_db.h"
#include "store/lease_rollback.h"
#include "util/clock.h"
#include "util/log.h"

void daemon_map_durable(struct daemon *d, const struct engine_map_op *map,
			size_t n)
{
	int ret;

	/* Upserts go in batches, one syscall for many leases. */
	ret = map_load_leases(&d->bpf, map, n, now_wall(), now_boot_ns());
	if (!ret)
		return;
	d->cnt.map_errors++;
	log_limited(&d->lim_map, now_mono(), 60, LOG_LVL_WARN,
		    "lease map update failed (%s)%s", strerror(-ret),
		    ret == -ENOSPC ? ": the lease map is full, raise "
				     "dhcpxdp.lease-map-capacity; renewals of "
				     "new leases go to the daemon"
				   : "");
}

/*
 * The addresses whose changes are queued after the failed batch: the open
 * batch and the renewals noted but not yet flushed into it.
 */
static struct lease_key *queued_keys(const struct daemon *d, size_t *n)
{
	const struct commit_batch *open = d->cq.open;
	struct lease_key *k;
	size_t cap = open ? open->n_ops : 0, i, j;

	for (i = 0; i < d->n_pending; i++)
		cap += d->pending[i].n_ops;
	*n = 0;
	k = calloc(cap ? cap : 1, sizeof(*k));
	if (!k)
		return NULL;
	for (i = 0; open && i < open->n_ops; i++) {
		k[*n].subnet_id = open->ops[i].rec.subnet_id;
		k[(*n)++].addr = open->ops[i].rec.addr;
	}
	for (i = 0; i < d->n_pending; i++)
		for (j = 0; j < d->pending[i].n_ops; j++) {
			k[*n].subnet_id = d->pending[i].ops[j].rec.subnet_id;
			k[(*n)++].addr = d->pending[i].ops[j].rec.addr;
		}
	*n = lease_keys_sort(k, *n);
	return k;
}

/*
 * docs/design.md §2, "A failed commit": nothing of the batch reaches a
 * client or the map but deletes; what the engine decided for it is set
 * back to the database's rows, so that no address stays taken (or free)
 * in memory alone.
 */
void daemon_commit_failed(struct daemon *d, const struct commit_batch *b)
{
	static struct log_limit lim_rollback;
	struct lease_rollback rb = {.ops = b->ops,
				    .n_ops = b->n_ops,
				    .map = b->map,
				    .n_map = b->n_map,
				    .now = now_wall()};
	char why[640];
	int ret = -ENOMEM;

	d->cnt.commit_errors++;
	d->cnt.replies_withheld += b->n_replies;
	rb.queued = queued_keys(d, &rb.n_queued);
	rb.map_out = calloc(b->n_map ? b->n_map : 1, sizeof(*rb.map_out));
	if (rb.queued && rb.map_out)
		ret = lease_rollback(d->eng, d->db, &rb);
	if (!ret)
		daemon_map_durable(d, rb.map_out, rb.n_map_out);
	free((void *)rb.queued);
	free(rb.map_out);
	/* -ESTALE's message says it all (lease_db_check_file). */
	if (b->ret == -ESTALE)
		snprintf(why, sizeof(why), "%s", b->err);
	else
		snprintf(why, sizeof(why),
			 "lease database commit failed (%s): %s",
			 strerror(-b->ret), b->err);
	log_limited(&d->lim_db, now_mono(), 10, LOG_LVL_ERR,
		    "%s; replies withheld: %zu; addresses set back to the "
		    "database's rows: %zu",
		    why, b->n_replies, rb.restored);
	if (ret || rb.failed)
		log_limited(&lim_rollback, now_mono(), 10, LOG_LVL_ERR,
			    "setting the engine back to the lease database "
			    "failed for %zu addresses (%s): memory keeps what "
			    "it decided for them",
			    ret ? b->n_ops : rb.failed,
			    ret ? strerror(-ret) : lease_db_errmsg(d->db));
}

void daemon_sync(struct daemon *d)
{
	horizon_flush(d);
	commitq_drain(&d->cq);
}

/* The map ops but the upserts of addresses whose ops lost (lost[i]). */
static size_t map_kept(const struct dx_lease_op *ops, size_t n_ops,
		       const uint8_t *lost, const struct engine_map_op *map,
		       size_t n_map, struct engine_map_op *out)
{
	size_t n = 0, i, j;

	for (i = 0; i < n_map; i++) {
		bool drop = false;

		for (j = 0; j < n_ops && map[i].kind == ENGINE_MAP_UPSERT; j++)
			drop |= lost[j] &&
				ops[j].rec.subnet_id == map[i].subnet_id &&
				ops[j].rec.addr == map[i].addr;
		if (!drop)
			out[n++] = map[i];
	}
	return n;
}

/*
 * Ops that lost their rows to another server sharing the database
 * (lease_db_commit_claim): the others' map changes applied, the command
 * fails with -EBUSY (its caller sets the engine back), and the next tick
 * reads every row, so the engine takes the rows that won (peer_sync.h).
 */
static int settle_lost(struct daemon *d, const struct dx_lease_op *ops,
		       size_t n_ops, const uint8_t *lost, size_t n_lost,
		       const struct engine_map_op *map, size_t n_map)
{
	struct engine_map_op *kept = calloc(n_map ? n_map : 1, sizeof(*kept));

	if (kept)
		daemon_map_durable(
			d, kept, map_kept(ops, n_ops, lost, map, n_map, kept));
	free(kept);
	d->cnt.claims_lost += n_lost;
	d->peer_resync_due = true;
	log_warn("%s: %zu of %zu lease changes refused: the addresses are "
		 "held for clients of another server sharing the database",
		 lease_db_name(d->db), n_lost, n_ops);
	return -EBUSY;
}

int daemon_commit_and_map(struct daemon *d, const struct dx_lease_op *ops,
			  size_t n_ops, const struct engine_map_op *map,
			  size_t n_map)
{
	uint8_t *lost = NULL;
	size_t n_lost = 0;
	int ret;

	commitq_drain(&d->cq);
	if (n_ops) {
		lost = calloc(n_ops, 1);
		if (!lost)
			return -ENOMEM;
		ret = lease_db_commit_claim(d->db, ops, n_ops, lost);
		if (ret) {
			free(lost);
			d->cnt.commit_errors++;
			log_limited(&d->lim_db, now_mono(), 10, LOG_LVL_ERR,
				    "lease database commit failed (%s): %s",
				    strerror(-ret), lease_db_errmsg(d->db));
			return ret;
		}
		d->cnt.commits++;
		for (size_t i = 0; i < n_ops; i++)
			n_lost += lost[i];
	}
	ret = n_lost ? settle_lost(d, ops, n_ops, lost, n_lost, map, n_map) : 0;
	if (!n_lost)
		daemon_map_durable(d, map, n_map);
	free(lost);
	return ret;
}
