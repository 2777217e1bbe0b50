/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A min-heap of candidate addresses of one subnet, ordered by a time key:
 * the held offers by the time they were made (the oldest is taken over
 * first under pressure) and the declined addresses by the end of their
 * probation (the earliest is reclaimed first), docs/protocol.md
 * "Starvation". The entries are not told when a candidate stops being
 * one (the offer became a lease, the probation ended): an item is checked
 * against the lease table when it comes to the top and dropped then if it
 * no longer holds (lazy deletion), so the hot paths pay nothing.
 *
 * Memory is bounded: when the array is full the stale items are dropped
 * first, and it grows only if more than half of it is still live.
 * Pure bookkeeping, no policy. Not thread-safe: one owner.
 */
#ifndef DHCPXDP_CAND_HEAP_H
#define DHCPXDP_CAND_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cand {
	uint32_t addr; /* host order */
	int64_t key;   /* wall-clock seconds */
};

/* Is the item still a candidate? (the caller's check, with its arg) */
typedef bool cand_live_fn(void *arg, const struct cand *c);

struct cand_heap {
	struct cand *v;
	size_t n, cap;
};

/* Add an item; on a full array, stale items (live() false) go first.
 * 0 or -ENOMEM. */
int cand_push(struct cand_heap *h, uint32_t addr, int64_t key,
	      cand_live_fn *live, void *arg);
/* The item with the smallest key, NULL when empty. */
const struct cand *cand_top(const struct cand_heap *h);
void cand_pop(struct cand_heap *h);
void cand_free(struct cand_heap *h);

#endif /* DHCPXDP_CAND_HEAP_H */
