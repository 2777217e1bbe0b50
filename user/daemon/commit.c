// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Commit, then map, then reply (commit.h). */
#include <errno.h>
#include <string.h>
#include "daemon/commit.h"
#include "daemon/daemon_state.h"
#include "daemon/horizon.h"
#include "engine/engine.h"
#include "kernel/map_sync.h"
#include "store/lease_db.h"
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

void daemon_sync(struct daemon *d)
{
	horizon_flush(d);
	commitq_drain(&d->cq);
}

int daemon_commit_and_map(struct daemon *d, const struct dx_lease_op *ops,
			  size_t n_ops, const struct engine_map_op *map,
			  size_t n_map)
{
	int ret;

	commitq_drain(&d->cq);
	if (n_ops) {
		ret = lease_db_commit_ops(d->db, ops, n_ops);
		if (ret) {
			d->cnt.commit_errors++;
			log_limited(&d->lim_db, now_mono(), 10, LOG_LVL_ERR,
				    "lease database commit failed (%s): %s",
				    strerror(-ret), lease_db_errmsg(d->db));
			return ret;
		}
		d->cnt.commits++;
	}
	daemon_map_durable(d, map, n_map);
	return 0;
}
