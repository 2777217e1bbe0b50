// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Keeping the fast path's durable horizons ahead of the clients
 * (docs/design.md §2), and reclaiming what expired.
 *
 * Each renewal the XDP program answers arrives as a ring-buffer event.
 * The engine turns it into a lease update (granted expiry, last seen, and
 * the horizon pushed to now + factor x lease time); updates are gathered
 * and written in one transaction, and only once it is durable do the new
 * horizons go into the map. The events are advisory: losing some costs
 * freshness, never correctness, since XDP never grants past a horizon
 * already on disk.
 *
 * A lease is reclaimed once the later of its expiry and the one XDP
 * wrote into its lease-map entry is past; the map is read at that moment,
 * and only when it cannot tell (no entry, or one written into a map that
 * lost earlier grants) does the lease wait for its horizon.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <bpf/libbpf.h>
#include <dhcpxdp/abi.h>
#include "daemon/commit_reserve.h"
#include "daemon/daemon_state.h"
#include "daemon/horizon.h"
#include "engine/engine.h"
#include "kernel/lease_view.h"
#include "kernel/map_sync.h"
#include "util/clock.h"

static int on_event(void *ctx, void *data, size_t size)
{
	struct daemon *d = ctx;
	const struct dx_event *ev = data;
	struct engine_changes *ch;
	int64_t wall = now_wall();
	uint64_t boot = now_boot_ns();
	int ret;

	if (size < sizeof(*ev))
		return 0;
	d->cnt.renew_events++;
	if (d->n_pending == DAEMON_PENDING_MAX)
		horizon_flush(d);
	ch = &d->pending[d->n_pending];
	ret = engine_note_renewal(
		d->eng, ev->subnet_id, ev->mac, ntohl(ev->addr),
		map_boot_to_wall(ev->now_ns, wall, boot),
		map_boot_to_wall(ev->granted_until_ns, wall, boot), ch);
	if (ret == 0)
		d->n_pending++;
	else if (ret == -EPERM)
		d->cnt.renewals_refused++;
	return 0;
}

int horizon_attach(struct daemon *d)
{
	d->rb = ring_buffer__new(d->bpf.events_fd, on_event, d, NULL);
	return d->rb ? 0 : -errno;
}

void horizon_poll(struct daemon *d)
{
	if (d->rb)
		ring_buffer__consume(d->rb);
}

/*
 * Queue the gathered renewals for the next group commit; their horizons
 * reach the map once it is durable (slowpath_commit_done).
 */
void horizon_flush(struct daemon *d)
{
	struct commit_batch *b;

	if (!d->n_pending)
		return;
	for (size_t i = 0; i < d->n_pending; i++) {
		const struct engine_changes *ch = &d->pending[i];

		b = daemon_reserve(d, ch->n_ops, ch->n_map, 0);
		if (!b)
			break; /* cannot happen: a note is a few ops */
		memcpy(b->ops + b->n_ops, ch->ops,
		       ch->n_ops * sizeof(*ch->ops));
		b->n_ops += ch->n_ops;
		memcpy(b->map + b->n_map, ch->map,
		       ch->n_map * sizeof(*ch->map));
		b->n_map += ch->n_map;
		b->horizons++;
	}
	d->n_pending = 0;
	commitq_kick(&d->cq);
}

/*
 * engine_map_reader: the lease map's expiry for a lease, read when the
 * engine decides, not earlier (docs/design.md §2).
 */
static int map_expiry(void *arg, uint32_t subnet_id, const uint8_t mac[6],
		      uint32_t addr, int64_t *expires)
{
	const struct daemon *d = arg;
	struct lease_maps maps = lease_maps_of(&d->bpf);

	/* With a shared database (peer_sync.c) another server's XDP may
	 * have renewed it: wait for the horizon. */
	if (d->shared_store)
		return -ENOENT;
	return lease_view_expiry(&maps, subnet_id, mac, addr,
				 now_wall(), now_boot_ns(), expires);
}

/*
 * Reclaim leases past the later of their expiry and the lease map's (past
 * their horizon when the map cannot tell), and declines past probation.
 */
void expiry_run(struct daemon *d)
{
	const struct engine_map_reader mr = {.expiry = map_expiry, .arg = d};
	int64_t now = now_wall();
	/* Too large for the stack; one daemon per process. */
	static struct engine_ncr ncr[DAEMON_EXPIRE_BATCH];
	struct commit_batch *b;
	struct engine_batch eb;
	int ret;

	while (engine_next_deadline(d->eng) <= now) {
		b = daemon_reserve(d, DAEMON_EXPIRE_BATCH, DAEMON_EXPIRE_BATCH,
				   0);
		if (!b)
			break;
		memset(&eb, 0, sizeof(eb));
		eb.ops = b->ops + b->n_ops;
		eb.map = b->map + b->n_map;
		eb.cap = DAEMON_EXPIRE_BATCH;
		eb.ncr = ncr; /* the removes of the leases that end */
		ret = engine_expire(d->eng, now, &mr, &eb);
		ddns_queue(&d->ddns, ncr, eb.n_ncr);
		if (ret <= 0)
			break;
		b->n_ops += eb.n_ops;
		b->n_map += eb.n_map;
		b->expired += eb.n_ops;
		if (eb.n_ops < eb.cap)
			break;
	}
	commitq_kick(&d->cq);
}
