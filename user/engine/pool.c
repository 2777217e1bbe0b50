// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Address pools as bitmaps, one bit per address (set = not available),
 * scanned a 64-bit word at a time. A next-fit cursor (pool, bit) makes
 * allocation O(1) amortised: a full sweep costs nbits/64 word reads and
 * hands out up to nbits addresses. A second-level bitmap with one bit per
 * word ("this word is full") bounds the worst case, a nearly full pool
 * with a single hole far from the cursor, to nbits/4096 word reads (64
 * words of summary for a /16, 4096 for a /8) instead of nbits/64. Declined and reserved addresses also
 * have their own bitmaps so that release/decline/exclude can tell the
 * states apart; those are allocated on first use (and, being calloc'd,
 * cost memory only for the pages actually touched).
 *
 * Pool layout after sd-dhcp-server's sd_dhcp_server_configure_pool():
 * a pool is an offset (start) and a size within the subnet; network and
 * broadcast are never offered (RFC 1122 §3.2.1.3, RFC 3021 for /31).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/pool.h"

struct dx_pool {
	uint32_t start;
	uint32_t end;
	uint64_t nbits; /* end - start + 1, up to 2^32 */
	size_t nwords;
	uint64_t *busy;	    /* used, declined, reserved or not assignable */
	uint64_t *full;	    /* one bit per busy word: all 64 bits set */
	uint64_t *declined; /* NULL until the first decline */
	uint64_t *reserved; /* NULL until the first exclusion */
	struct dx_pool_stats st;
};

struct dx_pool_set {
	uint32_t network;
	uint32_t broadcast;
	bool skip_net_bcast; /* prefix <= 30 */
	size_t cur;	     /* next-fit cursor: pool index ... */
	uint64_t cur_bit;    /* ... and bit within it */
	struct dx_pool_stats st;
	size_t n;
	struct dx_pool pools[];
};

enum pool_state { ST_FREE, ST_USED, ST_DECLINED, ST_RESERVED };

static inline bool bit_test(const uint64_t *map, uint64_t bit)
{
	return map && (map[bit >> 6] >> (bit & 63)) & 1;
}

static inline void bit_set(uint64_t *map, uint64_t bit)
{
	map[bit >> 6] |= 1ULL << (bit & 63);
}

static inline void bit_clear(uint64_t *map, uint64_t bit)
{
	map[bit >> 6] &= ~(1ULL << (bit & 63));
}

/* busy bit updates keep the summary bitmap in step */
static void busy_set(struct dx_pool *p, uint64_t bit)
{
	uint64_t w = bit >> 6;

	bit_set(p->busy, bit);
	if (p->busy[w] == ~0ULL)
		bit_set(p->full, w);
}

static void busy_clear(struct dx_pool *p, uint64_t bit)
{
	bit_clear(p->busy, bit);
	bit_clear(p->full, bit >> 6);
}

static uint64_t *stat_field(struct dx_pool_stats *st, enum pool_state s)
{
	switch (s) {
	case ST_USED:
		return &st->used;
	case ST_DECLINED:
		return &st->declined;
	case ST_RESERVED:
		return &st->reserved;
	default:
		return &st->free;
	}
}

/* Move one address between counters, in its pool and in the set. */
static void account(struct dx_pool_set *set, struct dx_pool *p,
		    enum pool_state from, enum pool_state to)
{
	(*stat_field(&p->st, from))--;
	(*stat_field(&p->st, to))++;
	(*stat_field(&set->st, from))--;
	(*stat_field(&set->st, to))++;
}

static bool is_net_or_bcast(const struct dx_pool_set *set, uint32_t addr)
{
	return set->skip_net_bcast &&
	       (addr == set->network || addr == set->broadcast);
}

/* The pool holding addr (pools are sorted and disjoint), or NULL. */
static struct dx_pool *find_pool(const struct dx_pool_set *set, uint32_t addr)
{
	size_t lo = 0, hi = set->n;

	if (is_net_or_bcast(set, addr))
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct dx_pool *p = &set->pools[mid];

		if (addr < p->start)
			hi = mid;
		else if (addr > p->end)
			lo = mid + 1;
		else
			return (struct dx_pool *)p;
	}
	return NULL;
}

/*
 * The pool holding addr and addr's bit in it, for the operations on one
 * address: 0, -EINVAL without a set, -ENOENT if addr is in no pool.
 */
static int find_bit(const struct dx_pool_set *set, uint32_t addr,
		    struct dx_pool **p, uint64_t *bit)
{
	if (!set)
		return -EINVAL;
	*p = find_pool(set, addr);
	if (!*p)
		return -ENOENT;
	*bit = addr - (*p)->start;
	return 0;
}

static enum pool_state addr_state(const struct dx_pool *p, uint64_t bit)
{
	if (!bit_test(p->busy, bit))
		return ST_FREE;
	if (bit_test(p->reserved, bit))
		return ST_RESERVED;
	if (bit_test(p->declined, bit))
		return ST_DECLINED;
	return ST_USED;
}

static int range_cmp(const void *a, const void *b)
{
	const struct dx_pool_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static int pool_init(struct dx_pool_set *set, struct dx_pool *p,
		     const struct dx_pool_range *r)
{
	uint64_t tail;
	size_t w;

	p->start = r->start;
	p->end = r->end;
	p->nbits = (uint64_t)r->end - r->start + 1;
	p->nwords = (p->nbits + 63) / 64;
	p->busy = calloc(p->nwords, sizeof(*p->busy));
	p->full = calloc((p->nwords + 63) / 64, sizeof(*p->full));
	if (!p->busy || !p->full)
		return -ENOMEM;
	/* Bits past the end of the range read as busy so scans skip them. */
	tail = p->nbits & 63;
	if (tail)
		p->busy[p->nwords - 1] = ~0ULL << tail;
	p->st.total = p->nbits;
	if (set->skip_net_bcast) {
		if (set->network >= p->start && set->network <= p->end) {
			bit_set(p->busy, set->network - p->start);
			p->st.total--;
		}
		if (set->broadcast >= p->start && set->broadcast <= p->end) {
			bit_set(p->busy, set->broadcast - p->start);
			p->st.total--;
		}
	}
	for (w = 0; w < p->nwords; w++)
		if (p->busy[w] == ~0ULL)
			bit_set(p->full, w);
	p->st.free = p->st.total;
	set->st.total += p->st.total;
	set->st.free += p->st.free;
	return 0;
}

struct dx_pool_set *pool_set_new(uint32_t network, uint8_t prefix_len,
				 const struct dx_pool_range *ranges, size_t n)
{
	struct dx_pool_range *sorted = NULL;
	struct dx_pool_set *set = NULL;
	uint32_t mask;
	int err = 0;
	size_t i;

	if (prefix_len > 32 || (n && !ranges))
		goto inval;
	mask = prefix_len ? ~0U << (32 - prefix_len) : 0;
	if (network & ~mask)
		goto inval;

	set = calloc(1, sizeof(*set) + n * sizeof(set->pools[0]));
	sorted = malloc((n ? n : 1) * sizeof(*sorted));
	if (!set || !sorted) {
		err = -ENOMEM;
		goto out;
	}
	set->network = network;
	set->broadcast = network | ~mask;
	set->skip_net_bcast = prefix_len <= 30;

	/* A subnet with reservations only has no ranges (ranges may be
	 * NULL), and memcpy and qsort take no NULL even for 0 bytes. */
	if (n) {
		memcpy(sorted, ranges, n * sizeof(*sorted));
		qsort(sorted, n, sizeof(*sorted), range_cmp);
	}
	for (i = 0; i < n; i++) {
		if (sorted[i].start > sorted[i].end ||
		    (sorted[i].start & mask) != network ||
		    (sorted[i].end & mask) != network)
			goto inval;
		if (i && sorted[i].start <= sorted[i - 1].end)
			goto inval; /* overlapping ranges */
	}
	for (i = 0; i < n; i++) {
		err = pool_init(set, &set->pools[i], &sorted[i]);
		if (err)
			goto out;
		set->n++;
	}
out:
	free(sorted);
	if (err) {
		pool_set_free(set);
		errno = -err;
		return NULL;
	}
	return set;
inval:
	err = -EINVAL;
	goto out;
}

void pool_set_free(struct dx_pool_set *set)
{
	size_t i;

	if (!set)
		return;
	for (i = 0; i < set->n; i++) {
		free(set->pools[i].busy);
		free(set->pools[i].full);
		free(set->pools[i].declined);
		free(set->pools[i].reserved);
	}
	free(set);
}

bool pool_contains(const struct dx_pool_set *set, uint32_t addr)
{
	return set && find_pool(set, addr);
}

bool pool_is_free(const struct dx_pool_set *set, uint32_t addr)
{
	const struct dx_pool *p = set ? find_pool(set, addr) : NULL;

	return p && !bit_test(p->busy, addr - p->start);
}

bool pool_is_reserved(const struct dx_pool_set *set, uint32_t addr)
{
	const struct dx_pool *p = set ? find_pool(set, addr) : NULL;

	return p && bit_test(p->reserved, addr - p->start);
}

/* First word in [from, last] of p that is not full, or SIZE_MAX. */
static size_t next_nonfull(const struct dx_pool *p, size_t from, size_t last)
{
	size_t sw, slast = last >> 6;
	uint64_t word;

	if (from > last)
		return SIZE_MAX;
	sw = from >> 6;
	word = ~p->full[sw] & (~0ULL << (from & 63));
	for (;;) {
		if (word) {
			size_t w = (sw << 6) + __builtin_ctzll(word);

			return w <= last ? w : SIZE_MAX;
		}
		if (++sw > slast)
			return SIZE_MAX;
		word = ~p->full[sw];
	}
}

/* First free bit in [from, to) of p, or UINT64_MAX. */
static uint64_t scan(const struct dx_pool *p, uint64_t from, uint64_t to)
{
	size_t w, last;
	uint64_t word;

	if (from >= to)
		return UINT64_MAX;
	w = from >> 6;
	last = (to - 1) >> 6;
	word = ~p->busy[w] & (~0ULL << (from & 63));
	for (;;) {
		if (w == last && (to & 63))
			word &= ~(~0ULL << (to & 63));
		if (word)
			return ((uint64_t)w << 6) + __builtin_ctzll(word);
		w = next_nonfull(p, w + 1, last);
		if (w == SIZE_MAX)
			return UINT64_MAX;
		word = ~p->busy[w];
	}
}

static void take_bit(struct dx_pool_set *set, struct dx_pool *p, uint64_t bit)
{
	busy_set(p, bit);
	account(set, p, ST_FREE, ST_USED);
}

int pool_alloc(struct dx_pool_set *set, uint32_t *addr)
{
	struct dx_pool *p;
	uint64_t bit;
	size_t i, idx;

	if (!set || !addr)
		return -EINVAL;
	if (!set->st.free)
		return -ENOSPC;
	/*
	 * Next fit: rest of the current pool, then the following pools from
	 * their start (wrapping around), then the head of the current pool.
	 */
	for (i = 0; i <= set->n; i++) {
		idx = (set->cur + i) % set->n;
		p = &set->pools[idx];
		if (!p->st.free)
			continue;
		if (i == 0)
			bit = scan(p, set->cur_bit, p->nbits);
		else if (i == set->n)
			bit = scan(p, 0, set->cur_bit);
		else
			bit = scan(p, 0, p->nbits);
		if (bit == UINT64_MAX)
			continue;
		take_bit(set, p, bit);
		set->cur = idx;
		set->cur_bit = bit + 1;
		*addr = p->start + (uint32_t)bit;
		return 0;
	}
	return -ENOSPC; /* unreachable while the counters are right */
}

int pool_alloc_in(struct dx_pool_set *set, uint32_t start, uint32_t *addr)
{
	struct dx_pool *p = NULL;
	uint64_t bit;

	if (!set || !addr)
		return -EINVAL;
	/* Not find_pool(): a pool may start at the network address. */
	for (size_t i = 0; i < set->n && !p; i++)
		if (set->pools[i].start <= start && start <= set->pools[i].end)
			p = &set->pools[i];
	if (!p)
		return -ENOENT;
	bit = p->st.free ? scan(p, 0, p->nbits) : UINT64_MAX;
	if (bit == UINT64_MAX)
		return -ENOSPC;
	take_bit(set, p, bit);
	*addr = p->start + (uint32_t)bit;
	return 0;
}

int pool_take(struct dx_pool_set *set, uint32_t addr)
{
	struct dx_pool *p;
	uint64_t bit;
	int err = find_bit(set, addr, &p, &bit);

	if (err)
		return err;
	if (bit_test(p->busy, bit))
		return -EBUSY;
	take_bit(set, p, bit);
	return 0;
}

int pool_release(struct dx_pool_set *set, uint32_t addr)
{
	enum pool_state s;
	struct dx_pool *p;
	uint64_t bit;
	int err = find_bit(set, addr, &p, &bit);

	if (err)
		return err;
	s = addr_state(p, bit);
	if (s == ST_FREE)
		return -EALREADY;
	if (s == ST_RESERVED)
		return -EPERM;
	if (s == ST_DECLINED)
		bit_clear(p->declined, bit);
	busy_clear(p, bit);
	account(set, p, s, ST_FREE);
	return 0;
}

/* Allocate a side bitmap (declined/reserved) on first use. */
static int ensure_map(struct dx_pool *p, uint64_t **map)
{
	if (!*map)
		*map = calloc(p->nwords, sizeof(**map));
	return *map ? 0 : -ENOMEM;
}

int pool_decline(struct dx_pool_set *set, uint32_t addr)
{
	enum pool_state s;
	struct dx_pool *p;
	uint64_t bit;
	int err = find_bit(set, addr, &p, &bit);

	if (err)
		return err;
	s = addr_state(p, bit);
	if (s == ST_DECLINED)
		return 0;
	if (s == ST_RESERVED)
		return -EPERM;
	err = ensure_map(p, &p->declined);
	if (err)
		return err;
	bit_set(p->declined, bit);
	busy_set(p, bit);
	account(set, p, s, ST_DECLINED);
	return 0;
}

int pool_exclude(struct dx_pool_set *set, uint32_t addr)
{
	enum pool_state s;
	struct dx_pool *p;
	uint64_t bit;
	int err = find_bit(set, addr, &p, &bit);

	if (err)
		return err;
	s = addr_state(p, bit);
	if (s == ST_RESERVED)
		return 0;
	if (s != ST_FREE)
		return -EBUSY;
	err = ensure_map(p, &p->reserved);
	if (err)
		return err;
	bit_set(p->reserved, bit);
	busy_set(p, bit);
	account(set, p, ST_FREE, ST_RESERVED);
	return 0;
}

void pool_set_stats(const struct dx_pool_set *set, struct dx_pool_stats *out)
{
	if (!out)
		return;
	if (set)
		*out = set->st;
	else
		memset(out, 0, sizeof(*out));
}
