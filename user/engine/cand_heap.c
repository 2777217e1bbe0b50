// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Candidate addresses by time key: a binary min-heap with lazy deletion. */
#include <errno.h>
#include <stdlib.h>

#include "engine/cand_heap.h"

#define CAND_MIN_CAP 64

static void sift_up(struct cand *v, size_t i)
{
	struct cand c = v[i];

	while (i > 0) {
		size_t p = (i - 1) / 2;

		if (v[p].key <= c.key)
			break;
		v[i] = v[p];
		i = p;
	}
	v[i] = c;
}

static void sift_down(struct cand *v, size_t n, size_t i)
{
	struct cand c = v[i];

	for (;;) {
		size_t k = 2 * i + 1;

		if (k >= n)
			break;
		if (k + 1 < n && v[k + 1].key < v[k].key)
			k++;
		if (c.key <= v[k].key)
			break;
		v[i] = v[k];
		i = k;
	}
	v[i] = c;
}

/* Keep the live items only, then restore the heap order (O(n)). */
static void compact(struct cand_heap *h, cand_live_fn *live, void *arg)
{
	size_t k = 0;

	for (size_t i = 0; i < h->n; i++)
		if (live(arg, &h->v[i]))
			h->v[k++] = h->v[i];
	h->n = k;
	for (size_t i = k / 2; i-- > 0;)
		sift_down(h->v, h->n, i);
}

int cand_push(struct cand_heap *h, uint32_t addr, int64_t key,
	      cand_live_fn *live, void *arg)
{
	if (h->n == h->cap) {
		if (h->n && live)
			compact(h, live, arg);
		if (h->n > h->cap / 2 || !h->cap) {
			size_t cap = h->cap ? h->cap * 2 : CAND_MIN_CAP;
			struct cand *v = realloc(h->v, cap * sizeof(*v));

			if (!v)
				return -ENOMEM;
			h->v = v;
			h->cap = cap;
		}
	}
	h->v[h->n].addr = addr;
	h->v[h->n].key = key;
	sift_up(h->v, h->n++);
	return 0;
}

const struct cand *cand_top(const struct cand_heap *h)
{
	return h->n ? &h->v[0] : NULL;
}

void cand_pop(struct cand_heap *h)
{
	if (!h->n)
		return;
	h->v[0] = h->v[--h->n];
	if (h->n)
		sift_down(h->v, h->n, 0);
}

void cand_free(struct cand_heap *h)
{
	free(h->v);
	h->v = NULL;
	h->n = h->cap = 0;
}
