// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The windows of dx_addrs on each sync; see map_windows.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "config/config.h"
#include "engine/engine.h"
#include "kernel/addr_window.h"
#include "kernel/map_addrs.h"
#include "kernel/map_walk.h"
#include "kernel/map_windows.h"
#include "util/clock.h"
#include "util/errmsg.h"

#define NSEC_PER_SEC 1000000000ULL

/*
 * Windows in dx_addrs that are new (or moved): cleared before a subnet
 * entry names them, so XDP finds no leftover there.
 */
static int clear_new_windows(const struct dx_bpf *obj,
			     const struct map_slots *before,
			     const struct map_slots *slots, char *err,
			     size_t errlen)
{
	for (uint32_t i = 0; i < DX_MAX_SUBNETS; i++) {
		const struct dx_addr_window *w = &slots->win[i];
		int r;

		if (!w->size || (before->subnet_id[i] == slots->subnet_id[i] &&
				 addr_window_same(&before->win[i], w)))
			continue;
		r = map_addrs_clear(obj->addrs_fd, w->base, w->size);
		if (r)
			return errmsg(err, errlen, r,
				      "clearing the address window of subnet "
				      "%u: %s",
				      slots->subnet_id[i], strerror(-r));
	}
	return 0;
}

/*
 * Once the subnet entries name the new windows: carry each moved
 * subnet's entries over (with the expiries XDP wrote), then clear every
 * window no longer in use, moved or of a subnet gone.
 */
static int settle_windows(const struct dx_bpf *obj, const struct dx_config *cfg,
			  const struct map_slots *before,
			  const struct map_slots *slots, char *err,
			  size_t errlen)
{
	for (uint32_t i = 0; i < DX_MAX_SUBNETS; i++) {
		const struct dx_addr_window *old = &before->win[i];
		const struct dx_subnet_conf *sc;
		uint64_t now = now_boot_ns(), until;
		int r = 0;

		if (!old->size ||
		    (before->subnet_id[i] == slots->subnet_id[i] &&
		     addr_window_same(old, &slots->win[i])))
			continue;
		sc = config_subnet_by_id(cfg, slots->subnet_id[i]);
		until = now + ((uint64_t)(sc ? sc->valid_lifetime : 0) +
			       ENGINE_MAP_GRACE) *
				      NSEC_PER_SEC;
		if (before->subnet_id[i] == slots->subnet_id[i] &&
		    slots->win[i].size)
			r = map_addrs_move(obj->addrs_fd, slots->subnet_id[i],
					   old, &slots->win[i], now, until);
		if (!r)
			r = map_addrs_clear(obj->addrs_fd, old->base,
					    old->size);
		if (r)
			return errmsg(err, errlen, r,
				      "moving the address window of subnet "
				      "%u: %s",
				      before->subnet_id[i], strerror(-r));
	}
	if (obj->windows)
		addr_windows_build(obj->windows, slots->subnet_id, slots->win,
				   DX_MAX_SUBNETS);
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

struct fill_arg {
	const struct dx_bpf *obj;
	const uint32_t *ids; /* sorted */
	size_t n;
};

/* A map_prune walker that keeps everything: it copies the dynamic
 * entries of the subnets in arg into their windows. */
static bool fill_one(const void *key, const void *val, const void *arg)
{
	const struct fill_arg *f = arg;
	const struct dx_lease_key *k = key;

	if (bsearch(&k->subnet_id, f->ids, f->n, sizeof(*f->ids), cmp_u32))
		(void)map_addrs_put(f->obj, k, val);
	return true;
}

/*
 * Subnets with a window they did not have before (new, or their pools
 * fit now): their leases are in dx_leases only, with the expiries XDP
 * wrote there; copied into the windows so that their renewals are found
 * by address from now on. A renewal answered from dx_leases meanwhile
 * keeps its expiry there, and readers take the later of the two.
 */
static int fill_new_windows(const struct dx_bpf *obj,
			    const struct map_slots *before,
			    const struct map_slots *slots)
{
	struct fill_arg f = {.obj = obj};
	uint32_t *ids = malloc(DX_MAX_SUBNETS * sizeof(*ids));
	int ret = 0;

	if (!ids)
		return -ENOMEM;
	for (uint32_t i = 0; i < DX_MAX_SUBNETS; i++)
		if (slots->win[i].size &&
		    (!before->win[i].size ||
		     before->subnet_id[i] != slots->subnet_id[i]))
			ids[f.n++] = slots->subnet_id[i];
	f.ids = ids;
	if (f.n) {
		qsort(ids, f.n, sizeof(*ids), cmp_u32);
		ret = map_prune(obj->leases_fd, sizeof(struct dx_lease_key),
				sizeof(struct dx_lease), fill_one, &f, NULL);
	}
	free(ids);
	return ret;
}

int map_windows_place(const struct dx_bpf *obj, const struct dx_config *cfg,
		      const struct map_slots *before, struct map_slots *slots,
		      size_t *off, char *err, size_t errlen)
{
	addr_windows_place(cfg, before->subnet_id, slots->subnet_id,
			   before->win, slots->win, DX_MAX_SUBNETS,
			   obj->addrs_capacity, off);
	return clear_new_windows(obj, before, slots, err, errlen);
}

int map_windows_settle(const struct dx_bpf *obj, const struct dx_config *cfg,
		       const struct map_slots *before,
		       const struct map_slots *slots, char *err, size_t errlen)
{
	int ret = settle_windows(obj, cfg, before, slots, err, errlen);

	if (ret)
		return ret;
	ret = fill_new_windows(obj, before, slots);
	if (ret)
		errmsg(err, errlen, ret, "filling the lease map by address: %s",
		       strerror(-ret));
	return ret;
}
