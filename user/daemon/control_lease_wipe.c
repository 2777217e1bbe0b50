// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * lease4-wipe (docs/control.md): every lease of a subnet (or of all
 * subnets) deleted, as lease4-del deletes one (engine_lease_delete, then
 * commit, then the lease map), in batches: one commit per WIPE_BATCH
 * rows rather than one fsync per lease. A failed commit gives the engine
 * that batch back and stops; the batches before it stay deleted.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "config/config.h"
#include "daemon/commit.h"
#include "daemon/control_cmds.h"
#include "daemon/control_json.h"
#include "daemon/daemon_state.h"
#include "engine/engine.h"
#include "store/lease_db.h"
#include "util/clock.h"
#include "util/log.h"

#define WIPE_BATCH 256

struct wipe_list {
	uint32_t subnet; /* 0: every subnet */
	struct dx_lease_rec *rows;
	size_t n, cap;
};

static int collect(const struct dx_lease_rec *r, void *arg)
{
	struct wipe_list *w = arg;
	struct dx_lease_rec *n;

	if (w->subnet && r->subnet_id != w->subnet)
		return 0;
	if (w->n == w->cap) {
		n = realloc(w->rows, (w->cap ? 2 * w->cap : 64) * sizeof(*n));
		if (!n)
			return -ENOMEM;
		w->rows = n;
		w->cap = w->cap ? 2 * w->cap : 64;
	}
	w->rows[w->n++] = *r;
	return 0;
}

/* Delete rows[0..n) in one commit. 0, or -errno with nothing deleted. */
static int wipe_batch(struct daemon *d, const struct dx_lease_rec *rows,
		      size_t n, size_t *deleted)
{
	struct dx_lease_op *ops = calloc(n * ENGINE_MAX_OPS, sizeof(*ops));
	struct engine_map_op *map = calloc(n * ENGINE_MAX_OPS, sizeof(*map));
	struct engine_changes ch;
	bool *taken = calloc(n, sizeof(*taken));
	size_t n_ops = 0, n_map = 0, k = 0;
	int64_t now = now_wall();
	int ret = 0;

	if (!ops || !map || !taken) {
		ret = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		/* A row the engine does not hold (-ENOENT) is skipped. */
		if (engine_lease_delete(d->eng, rows[i].subnet_id, rows[i].addr,
					&ch))
			continue;
		taken[i] = true;
		k++;
		memcpy(ops + n_ops, ch.ops, ch.n_ops * sizeof(*ops));
		n_ops += ch.n_ops;
		memcpy(map + n_map, ch.map, ch.n_map * sizeof(*map));
		n_map += ch.n_map;
	}
	ret = daemon_commit_and_map(d, ops, n_ops, map, n_map);
	if (ret) {
		for (size_t i = 0; i < n; i++)
			if (taken[i])
				(void)engine_load_lease(d->eng, &rows[i], now,
							NULL);
		goto out;
	}
	*deleted += k;
out:
	free(ops);
	free(map);
	free(taken);
	return ret;
}

struct json_object *cmd_lease_wipe_h(struct daemon *d, struct json_object *args)
{
	struct wipe_list w = {0};
	size_t deleted = 0;
	bool present;
	char which[32];
	int ret = 0;

	if (ctl_arg_u32_present(args, "subnet-id", &w.subnet, &present))
		return ctl_reply(CONTROL_ERROR,
				 "'subnet-id' must be an unsigned integer");
	if (present && w.subnet && !config_subnet_by_id(d->cfg, w.subnet))
		return ctl_reply(CONTROL_ERROR, "no subnet with id %u",
				 w.subnet);
	/* Renewals noted but not written would re-create rows. */
	daemon_sync(d);
	if (lease_db_load(d->db, collect, &w)) {
		free(w.rows);
		return ctl_reply(CONTROL_ERROR,
				 "reading the lease database failed: %s",
				 lease_db_errmsg(d->db));
	}
	for (size_t i = 0; i < w.n && !ret; i += WIPE_BATCH)
		ret = wipe_batch(d, w.rows + i,
				 w.n - i < WIPE_BATCH ? w.n - i : WIPE_BATCH,
				 &deleted);
	free(w.rows);
	if (w.subnet)
		snprintf(which, sizeof(which), "%u", w.subnet);
	else
		snprintf(which, sizeof(which), "all");
	if (deleted)
		log_info("control: %zu lease(s) of subnet(s) %s wiped by the "
			 "operator",
			 deleted, which);
	if (ret)
		return ctl_reply(CONTROL_ERROR,
				 "Deleted %zu IPv4 lease(s) from subnet(s) %s, "
				 "then the lease database commit failed (%s)",
				 deleted, which, lease_db_errmsg(d->db));
	return ctl_reply(deleted ? CONTROL_SUCCESS : CONTROL_EMPTY,
			 "Deleted %zu IPv4 lease(s) from subnet(s) %s", deleted,
			 which);
}
