/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The order every lease change follows (docs/design.md §2): durable in the
 * lease database first, then in the XDP lease map, then the replies that
 * rest on it. The slow path and the horizon upkeep go through the commit
 * queue (store/commit_queue.h); control commands commit synchronously.
 * Both reach the map through daemon_map_durable().
 */
#ifndef DHCPXDP_COMMIT_H
#define DHCPXDP_COMMIT_H

#include <stddef.h>

struct commit_batch;
struct daemon;
struct dx_lease_op;
struct engine_map_op;

/* Changes now durable: into the lease map, failures counted and logged. */
void daemon_map_durable(struct daemon *d, const struct engine_map_op *map,
			size_t n);
/*
 * A batch of the commit queue failed: its replies are withheld, its
 * changes leave the engine (store/lease_rollback.h) and its lease-map
 * deletes are applied, its upserts dropped; logged. For the queue's done
 * callback (slowpath_commit_done).
 */
void daemon_commit_failed(struct daemon *d, const struct commit_batch *b);
/*
 * Everything noted or queued made durable; then the database is free for
 * the caller (control commands, reload, stop).
 */
void daemon_sync(struct daemon *d);
/*
 * Commit ops, then apply map ops, after a drain of the queue,
 * synchronously: for control commands. 0, or the commit's negative errno
 * (nothing reached the map), or -EBUSY: committed but for changes whose
 * rows another server sharing the database holds (their map upserts
 * dropped; the caller sets the engine back, the next tick's full reading
 * of the rows corrects it).
 */
int daemon_commit_and_map(struct daemon *d, const struct dx_lease_op *ops,
			  size_t n_ops, const struct engine_map_op *map,
			  size_t n_map);

#endif
