// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The rows of a lease file, and the rule of the formats that append
 * (Kea's memfile, dhcpd.leases): the last row for an address is the
 * lease, the earlier ones are history.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "migrate/mig_internal.h"

int mig_set_add(struct mig_set *s, const struct mig_lease *l)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct mig_lease *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = *l;
	return 0;
}

void mig_set_free(struct mig_set *s)
{
	if (!s)
		return;
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

/* By address, then by place in the file: the last of a run is kept. */
static int by_addr_line(const void *a, const void *b)
{
	const struct mig_lease *x = *(const struct mig_lease *const *)a;
	const struct mig_lease *y = *(const struct mig_lease *const *)b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x < y ? -1 : x > y;
}

int mig_set_supersede(struct mig_set *s)
{
	struct mig_lease **idx;
	bool *drop;
	size_t out = 0;

	if (s->n < 2)
		return 0;
	idx = malloc(s->n * sizeof(*idx));
	drop = calloc(s->n, sizeof(*drop));
	if (!idx || !drop) {
		free(idx);
		free(drop);
		return -ENOMEM;
	}
	for (size_t i = 0; i < s->n; i++)
		idx[i] = &s->v[i];
	/* Sorting pointers keeps a sort of thousands of rows O(n log n). */
	qsort(idx, s->n, sizeof(*idx), by_addr_line);
	for (size_t i = 0; i + 1 < s->n; i++)
		if (idx[i]->addr == idx[i + 1]->addr)
			drop[idx[i] - s->v] = true;
	for (size_t i = 0; i < s->n; i++) {
		if (drop[i]) {
			s->superseded++;
			continue;
		}
		s->v[out++] = s->v[i];
	}
	s->n = out;
	free(idx);
	free(drop);
	return 0;
}
