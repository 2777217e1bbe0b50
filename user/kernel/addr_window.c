// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The windows of dx_addrs by subnet; see addr_window.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "config/config.h"
#include "kernel/addr_window.h"

static int cmp_ent(const void *a, const void *b)
{
	const struct addr_window_ent *x = a, *y = b;

	return x->subnet_id < y->subnet_id ? -1 : x->subnet_id > y->subnet_id;
}

void addr_windows_build(struct addr_windows *aw, const uint32_t *ids,
			const struct dx_addr_window *win, size_t n_slots)
{
	aw->n = 0;
	for (size_t i = 0; i < n_slots && aw->n < DX_MAX_SUBNETS; i++) {
		if (!ids[i] || !win[i].size)
			continue;
		aw->e[aw->n].subnet_id = ids[i];
		aw->e[aw->n].w = win[i];
		aw->n++;
	}
	if (aw->n)
		qsort(aw->e, aw->n, sizeof(aw->e[0]), cmp_ent);
}

int addr_windows_load(struct addr_windows *aw, int subnets_fd)
{
	struct dx_subnet sn;

	aw->n = 0;
	for (uint32_t i = 0; i < DX_MAX_SUBNETS; i++) {
		if (bpf_map_lookup_elem(subnets_fd, &i, &sn))
			return -errno;
		if (!sn.subnet_id || !sn.win.size)
			continue;
		aw->e[aw->n].subnet_id = sn.subnet_id;
		aw->e[aw->n].w = sn.win;
		aw->n++;
	}
	if (aw->n)
		qsort(aw->e, aw->n, sizeof(aw->e[0]), cmp_ent);
	return 0;
}

bool addr_windows_index(const struct addr_windows *aw, uint32_t subnet_id,
			uint32_t addr, uint32_t *idx)
{
	const struct addr_window_ent key = {.subnet_id = subnet_id}, *e;
	uint32_t off;

	if (!aw || !aw->n)
		return false;
	e = bsearch(&key, aw->e, aw->n, sizeof(aw->e[0]), cmp_ent);
	if (!e)
		return false;
	off = addr - e->w.first;
	if (off >= e->w.size)
		return false;
	*idx = e->w.base + off;
	return true;
}

/* The span of the subnet's pools; size 0 when it has none. */
static struct dx_addr_window pool_span(const struct dx_config *cfg, uint32_t id,
				       uint32_t capacity)
{
	const struct dx_subnet_conf *sc = config_subnet_by_id(cfg, id);
	struct dx_addr_window w = {0};
	uint32_t lo = UINT32_MAX, hi = 0;
	uint64_t size;

	if (!sc || !sc->n_pools)
		return w;
	for (size_t j = 0; j < sc->n_pools; j++) {
		if (sc->pools[j].start < lo)
			lo = sc->pools[j].start;
		if (sc->pools[j].end > hi)
			hi = sc->pools[j].end;
	}
	if (hi < lo)
		return w;
	size = (uint64_t)hi - lo + 1;
	if (size > capacity)
		return w;
	w.first = lo;
	w.size = (uint32_t)size;
	return w;
}

struct range {
	uint32_t base, size;
};

/* Ranges in use, sorted by base. */
struct used {
	struct range *r;
	size_t n;
};

static void used_add(struct used *u, uint32_t base, uint32_t size)
{
	size_t i = u->n;

	while (i && u->r[i - 1].base > base) {
		u->r[i] = u->r[i - 1];
		i--;
	}
	u->r[i].base = base;
	u->r[i].size = size;
	u->n++;
}

/* First gap of `size` entries below capacity; false when none. */
static bool used_fit(const struct used *u, uint32_t size, uint32_t capacity,
		     uint32_t *base)
{
	uint64_t at = 0;

	for (size_t i = 0; i < u->n; i++) {
		if ((uint64_t)u->r[i].base >= at + size)
			break;
		if ((uint64_t)u->r[i].base + u->r[i].size > at)
			at = (uint64_t)u->r[i].base + u->r[i].size;
	}
	if (at + size > capacity)
		return false;
	*base = (uint32_t)at;
	return true;
}

void addr_windows_place(const struct dx_config *cfg, const uint32_t *old_ids,
			const uint32_t *ids, const struct dx_addr_window *old,
			struct dx_addr_window *win, size_t n_slots,
			uint32_t capacity, size_t *off)
{
	struct used u = {.r = calloc(2 * n_slots + 1, sizeof(struct range))};
	size_t i;

	*off = 0;
	for (i = 0; i < n_slots; i++) {
		win[i] = ids[i] ? pool_span(cfg, ids[i], capacity)
				: (struct dx_addr_window){0};
		if (win[i].size && ids[i] == old_ids[i] &&
		    win[i].first == old[i].first &&
		    win[i].size == old[i].size &&
		    (uint64_t)old[i].base + old[i].size <= capacity)
			win[i].base = old[i].base;
		else if (win[i].size)
			win[i].base = UINT32_MAX; /* to be placed */
	}
	if (!u.r) {
		/* No memory to place new ones: they go without. */
		for (i = 0; i < n_slots; i++)
			if (win[i].base == UINT32_MAX && win[i].size) {
				memset(&win[i], 0, sizeof(win[i]));
				(*off)++;
			}
		return;
	}
	/* Every old window stays in use until its entries moved out. */
	for (i = 0; i < n_slots; i++)
		if (old[i].size &&
		    (uint64_t)old[i].base + old[i].size <= capacity)
			used_add(&u, old[i].base, old[i].size);
	for (i = 0; i < n_slots; i++) {
		if (!win[i].size || win[i].base != UINT32_MAX)
			continue;
		if (used_fit(&u, win[i].size, capacity, &win[i].base)) {
			used_add(&u, win[i].base, win[i].size);
			continue;
		}
		memset(&win[i], 0, sizeof(win[i]));
		(*off)++;
	}
	free(u.r);
}
