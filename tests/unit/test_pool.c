// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Unit tests for the address pool allocator (user/engine/pool.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

/*
 * The allocator itself, compiled into this test for what only the test
 * asks of it (below): whether an address is declined, per-pool counters,
 * undoing an exclusion.
 */
#include "engine/pool.c"

#define IP(a, b, c, d)                                                    \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | \
	 (uint32_t)(d))

/* True if addr is in a pool and declined. */
static bool pool_is_declined(const struct dx_pool_set *set, uint32_t addr)
{
	const struct dx_pool *p = set ? find_pool(set, addr) : NULL;

	return p && bit_test(p->declined, addr - p->start);
}

/* Undo pool_exclude(). -ENOENT if in no pool, -EINVAL if not reserved. */
static int pool_unexclude(struct dx_pool_set *set, uint32_t addr)
{
	struct dx_pool *p;
	uint64_t bit;
	int err = find_bit(set, addr, &p, &bit);

	if (err)
		return err;
	if (!bit_test(p->reserved, bit))
		return -EINVAL;
	bit_clear(p->reserved, bit);
	busy_clear(p, bit);
	account(set, p, ST_RESERVED, ST_FREE);
	return 0;
}

/* Number of pools, and the range and counters of pool i (sorted by start). */
static size_t pool_count(const struct dx_pool_set *set)
{
	return set ? set->n : 0;
}

static int pool_stats(const struct dx_pool_set *set, size_t i,
		      struct dx_pool_range *range, struct dx_pool_stats *out)
{
	if (!set || i >= set->n)
		return -EINVAL;
	if (range) {
		range->start = set->pools[i].start;
		range->end = set->pools[i].end;
	}
	if (out)
		*out = set->pools[i].st;
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void assert_stats(const struct dx_pool_set *set, uint64_t total,
			 uint64_t used, uint64_t free_, uint64_t declined,
			 uint64_t reserved)
{
	struct dx_pool_stats st;

	pool_set_stats(set, &st);
	assert_int_equal(st.total, total);
	assert_int_equal(st.used, used);
	assert_int_equal(st.free, free_);
	assert_int_equal(st.declined, declined);
	assert_int_equal(st.reserved, reserved);
}

static struct dx_pool_set *one_pool(uint32_t net, uint8_t plen, uint32_t start,
				    uint32_t end)
{
	struct dx_pool_range r = {start, end};
	struct dx_pool_set *set = pool_set_new(net, plen, &r, 1);

	assert_non_null(set);
	return set;
}

static void test_alloc_until_exhausted(void **state)
{
	struct dx_pool_set *set = one_pool(IP(10, 0, 0, 0), 24,
					   IP(10, 0, 0, 10), IP(10, 0, 0, 19));
	uint32_t a;
	int i;

	assert_stats(set, 10, 0, 10, 0, 0);
	for (i = 0; i < 10; i++) {
		assert_int_equal(pool_alloc(set, &a), 0);
		assert_int_equal(a, IP(10, 0, 0, 10 + i));
		assert_false(pool_is_free(set, a));
	}
	assert_int_equal(pool_alloc(set, &a), -ENOSPC);
	assert_stats(set, 10, 10, 0, 0, 0);
	pool_set_free(set);
}

static void test_network_broadcast_excluded(void **state)
{
	struct dx_pool_set *set = one_pool(IP(10, 0, 0, 0), 24, IP(10, 0, 0, 0),
					   IP(10, 0, 0, 255));
	uint32_t a, last = 0;
	int n = 0;

	assert_stats(set, 254, 0, 254, 0, 0);
	assert_false(pool_contains(set, IP(10, 0, 0, 0)));
	assert_false(pool_contains(set, IP(10, 0, 0, 255)));
	assert_int_equal(pool_take(set, IP(10, 0, 0, 0)), -ENOENT);
	assert_int_equal(pool_take(set, IP(10, 0, 0, 255)), -ENOENT);
	assert_true(pool_contains(set, IP(10, 0, 0, 1)));
	while (pool_alloc(set, &a) == 0) {
		assert_int_not_equal(a, IP(10, 0, 0, 0));
		assert_int_not_equal(a, IP(10, 0, 0, 255));
		if (n == 0)
			assert_int_equal(a, IP(10, 0, 0, 1));
		last = a;
		n++;
	}
	assert_int_equal(n, 254);
	assert_int_equal(last, IP(10, 0, 0, 254));
	pool_set_free(set);
}

static void test_next_fit_order(void **state)
{
	struct dx_pool_set *set =
		one_pool(IP(10, 0, 0, 0), 24, IP(10, 0, 0, 1), IP(10, 0, 0, 4));
	uint32_t a;

	assert_int_equal(pool_alloc(set, &a), 0);
	assert_int_equal(a, IP(10, 0, 0, 1));
	assert_int_equal(pool_alloc(set, &a), 0);
	assert_int_equal(a, IP(10, 0, 0, 2));
	/* A just-released address is not reused before the others. */
	assert_int_equal(pool_release(set, IP(10, 0, 0, 1)), 0);
	assert_int_equal(pool_alloc(set, &a), 0);
	assert_int_equal(a, IP(10, 0, 0, 3));
	assert_int_equal(pool_alloc(set, &a), 0);
	assert_int_equal(a, IP(10, 0, 0, 4));
	/* Wraps around to the released one. */
	assert_int_equal(pool_alloc(set, &a), 0);
	assert_int_equal(a, IP(10, 0, 0, 1));
	assert_int_equal(pool_alloc(set, &a), -ENOSPC);
	/* Release in the middle of the same word: found after wrapping. */
	assert_int_equal(pool_release(set, IP(10, 0, 0, 3)), 0);
	assert_int_equal(pool_alloc(set, &a), 0);
	assert_int_equal(a, IP(10, 0, 0, 3));
	pool_set_free(set);
}

static void test_take_release(void **state)
{
	struct dx_pool_set *set = one_pool(
		IP(10, 0, 0, 0), 24, IP(10, 0, 0, 100), IP(10, 0, 0, 102));
	uint32_t a;

	assert_int_equal(pool_take(set, IP(10, 0, 0, 100)), 0);
	assert_false(pool_is_free(set, IP(10, 0, 0, 100)));
	assert_int_equal(pool_take(set, IP(10, 0, 0, 100)), -EBUSY);
	assert_int_equal(pool_take(set, IP(10, 0, 0, 99)), -ENOENT);
	assert_int_equal(pool_take(set, IP(10, 0, 0, 103)), -ENOENT);
	assert_int_equal(pool_take(set, IP(10, 0, 1, 100)), -ENOENT);
	assert_stats(set, 3, 1, 2, 0, 0);
	/* alloc skips the taken address */
	assert_int_equal(pool_alloc(set, &a), 0);
	assert_int_equal(a, IP(10, 0, 0, 101));
	assert_int_equal(pool_release(set, IP(10, 0, 0, 100)), 0);
	assert_true(pool_is_free(set, IP(10, 0, 0, 100)));
	assert_int_equal(pool_release(set, IP(10, 0, 0, 100)), -EALREADY);
	assert_int_equal(pool_release(set, IP(10, 0, 0, 1)), -ENOENT);
	assert_stats(set, 3, 1, 2, 0, 0);
	assert_false(pool_is_free(set, IP(10, 0, 0, 1)));
	pool_set_free(set);
}

static void test_exclude(void **state)
{
	struct dx_pool_set *set = one_pool(
		IP(192, 168, 1, 0), 24, IP(192, 168, 1, 1), IP(192, 168, 1, 5));
	uint32_t a;
	int n = 0;

	/* server address and one reservation */
	assert_int_equal(pool_exclude(set, IP(192, 168, 1, 1)), 0);
	assert_int_equal(pool_exclude(set, IP(192, 168, 1, 3)), 0);
	assert_int_equal(pool_exclude(set, IP(192, 168, 1, 3)), 0);
	assert_true(pool_is_reserved(set, IP(192, 168, 1, 3)));
	assert_int_equal(pool_exclude(set, IP(192, 168, 1, 200)), -ENOENT);
	assert_stats(set, 5, 0, 3, 0, 2);
	while (pool_alloc(set, &a) == 0) {
		assert_int_not_equal(a, IP(192, 168, 1, 1));
		assert_int_not_equal(a, IP(192, 168, 1, 3));
		n++;
	}
	assert_int_equal(n, 3);
	assert_stats(set, 5, 3, 0, 0, 2);
	assert_int_equal(pool_take(set, IP(192, 168, 1, 3)), -EBUSY);
	assert_int_equal(pool_release(set, IP(192, 168, 1, 3)), -EPERM);
	assert_int_equal(pool_decline(set, IP(192, 168, 1, 3)), -EPERM);
	/* excluding a leased address is refused: the caller decides */
	assert_int_equal(pool_exclude(set, IP(192, 168, 1, 2)), -EBUSY);
	assert_int_equal(pool_unexclude(set, IP(192, 168, 1, 2)), -EINVAL);
	assert_int_equal(pool_unexclude(set, IP(192, 168, 1, 3)), 0);
	assert_false(pool_is_reserved(set, IP(192, 168, 1, 3)));
	assert_stats(set, 5, 3, 1, 0, 1);
	assert_int_equal(pool_alloc(set, &a), 0);
	assert_int_equal(a, IP(192, 168, 1, 3));
	pool_set_free(set);
}

static void test_decline(void **state)
{
	struct dx_pool_set *set =
		one_pool(IP(10, 1, 0, 0), 16, IP(10, 1, 0, 1), IP(10, 1, 0, 4));
	uint32_t a;

	assert_int_equal(pool_alloc(set, &a), 0);
	assert_int_equal(a, IP(10, 1, 0, 1));
	/* the client that got .1 declines it */
	assert_int_equal(pool_decline(set, a), 0);
	assert_true(pool_is_declined(set, a));
	assert_stats(set, 4, 0, 3, 1, 0);
	assert_int_equal(pool_decline(set, a), 0); /* idempotent */
	assert_stats(set, 4, 0, 3, 1, 0);
	/* a free address can be declined too (loaded from the database) */
	assert_int_equal(pool_decline(set, IP(10, 1, 0, 3)), 0);
	assert_stats(set, 4, 0, 2, 2, 0);
	assert_int_equal(pool_take(set, IP(10, 1, 0, 3)), -EBUSY);
	assert_int_equal(pool_exclude(set, IP(10, 1, 0, 3)), -EBUSY);
	assert_int_equal(pool_alloc(set, &a), 0);
	assert_int_equal(a, IP(10, 1, 0, 2));
	assert_int_equal(pool_alloc(set, &a), 0);
	assert_int_equal(a, IP(10, 1, 0, 4));
	assert_int_equal(pool_alloc(set, &a), -ENOSPC);
	assert_stats(set, 4, 2, 0, 2, 0);
	/* probation over */
	assert_int_equal(pool_release(set, IP(10, 1, 0, 1)), 0);
	assert_false(pool_is_declined(set, IP(10, 1, 0, 1)));
	assert_stats(set, 4, 2, 1, 1, 0);
	assert_int_equal(pool_alloc(set, &a), 0);
	assert_int_equal(a, IP(10, 1, 0, 1));
	assert_int_equal(pool_decline(set, IP(10, 2, 0, 1)), -ENOENT);
	pool_set_free(set);
}

static void test_multiple_pools(void **state)
{
	/* given out of order: sorted by the set */
	struct dx_pool_range r[] = {
		{IP(10, 0, 1, 250), IP(10, 0, 2, 5)},
		{IP(10, 0, 0, 10), IP(10, 0, 0, 11)},
	};
	struct dx_pool_set *set = pool_set_new(IP(10, 0, 0, 0), 22, r, 2);
	struct dx_pool_range got;
	struct dx_pool_stats st;
	uint32_t a;
	int i;

	assert_non_null(set);
	assert_int_equal(pool_count(set), 2);
	assert_int_equal(pool_stats(set, 0, &got, &st), 0);
	assert_int_equal(got.start, IP(10, 0, 0, 10));
	assert_int_equal(st.total, 2);
	assert_int_equal(pool_stats(set, 1, &got, &st), 0);
	assert_int_equal(got.start, IP(10, 0, 1, 250));
	assert_int_equal(st.total, 12);
	assert_int_equal(pool_stats(set, 2, &got, &st), -EINVAL);
	assert_stats(set, 14, 0, 14, 0, 0);

	assert_int_equal(pool_alloc(set, &a), 0);
	assert_int_equal(a, IP(10, 0, 0, 10));
	assert_int_equal(pool_alloc(set, &a), 0);
	assert_int_equal(a, IP(10, 0, 0, 11));
	/* crosses into the second pool */
	assert_int_equal(pool_alloc(set, &a), 0);
	assert_int_equal(a, IP(10, 0, 1, 250));
	/* an address freed in the first pool is reused only after wrap */
	assert_int_equal(pool_release(set, IP(10, 0, 0, 10)), 0);
	for (i = 0; i < 11; i++) {
		assert_int_equal(pool_alloc(set, &a), 0);
		assert_true(a > IP(10, 0, 1, 250) && a <= IP(10, 0, 2, 5));
	}
	assert_int_equal(pool_alloc(set, &a), 0);
	assert_int_equal(a, IP(10, 0, 0, 10));
	assert_int_equal(pool_alloc(set, &a), -ENOSPC);
	assert_int_equal(pool_stats(set, 0, NULL, &st), 0);
	assert_int_equal(st.used, 2);
	assert_int_equal(pool_stats(set, 1, NULL, &st), 0);
	assert_int_equal(st.used, 12);
	assert_false(pool_contains(set, IP(10, 0, 0, 12)));
	pool_set_free(set);
}

static void test_invalid_ranges(void **state)
{
	struct dx_pool_range overlap[] = {
		{IP(10, 0, 0, 10), IP(10, 0, 0, 20)},
		{IP(10, 0, 0, 20), IP(10, 0, 0, 30)},
	};
	struct dx_pool_range outside = {IP(10, 0, 0, 10), IP(10, 0, 1, 1)};
	struct dx_pool_range reversed = {IP(10, 0, 0, 20), IP(10, 0, 0, 10)};
	struct dx_pool_set *set;
	uint32_t a;

	errno = 0;
	assert_null(pool_set_new(IP(10, 0, 0, 0), 24, overlap, 2));
	assert_int_equal(errno, EINVAL);
	assert_null(pool_set_new(IP(10, 0, 0, 0), 24, &outside, 1));
	assert_null(pool_set_new(IP(10, 0, 0, 0), 24, &reversed, 1));
	/* host bits set in the network address */
	assert_null(pool_set_new(IP(10, 0, 0, 1), 24, overlap, 1));
	assert_null(pool_set_new(IP(10, 0, 0, 0), 33, overlap, 1));
	/* a subnet with no pool (reservations only) is fine */
	set = pool_set_new(IP(10, 0, 0, 0), 24, NULL, 0);
	assert_non_null(set);
	assert_int_equal(pool_alloc(set, &a), -ENOSPC);
	assert_false(pool_contains(set, IP(10, 0, 0, 1)));
	assert_stats(set, 0, 0, 0, 0, 0);
	pool_set_free(set);
	pool_set_free(NULL);
}

static void test_single_address_pool(void **state)
{
	struct dx_pool_set *set =
		one_pool(IP(10, 0, 0, 0), 24, IP(10, 0, 0, 7), IP(10, 0, 0, 7));
	uint32_t a;

	assert_stats(set, 1, 0, 1, 0, 0);
	assert_int_equal(pool_alloc(set, &a), 0);
	assert_int_equal(a, IP(10, 0, 0, 7));
	assert_int_equal(pool_alloc(set, &a), -ENOSPC);
	assert_int_equal(pool_release(set, a), 0);
	assert_int_equal(pool_alloc(set, &a), 0);
	assert_int_equal(a, IP(10, 0, 0, 7));
	pool_set_free(set);
}

static void test_top_of_address_space(void **state)
{
	/* pool ending at 255.255.255.254 (the /24's broadcast is .255) */
	struct dx_pool_set *set =
		one_pool(IP(255, 255, 255, 0), 24, IP(255, 255, 255, 250),
			 IP(255, 255, 255, 255));
	uint32_t a, last = 0;
	int n = 0;

	assert_stats(set, 5, 0, 5, 0, 0);
	while (pool_alloc(set, &a) == 0) {
		last = a;
		n++;
	}
	assert_int_equal(n, 5);
	assert_int_equal(last, IP(255, 255, 255, 254));
	assert_false(pool_contains(set, IP(255, 255, 255, 255)));
	pool_set_free(set);
}

static void test_slash31(void **state)
{
	/* RFC 3021: both addresses of a /31 are host addresses */
	struct dx_pool_set *set =
		one_pool(IP(255, 255, 255, 254), 31, IP(255, 255, 255, 254),
			 IP(255, 255, 255, 255));
	uint32_t a;

	assert_stats(set, 2, 0, 2, 0, 0);
	assert_int_equal(pool_alloc(set, &a), 0);
	assert_int_equal(a, IP(255, 255, 255, 254));
	assert_int_equal(pool_alloc(set, &a), 0);
	assert_int_equal(a, IP(255, 255, 255, 255));
	assert_int_equal(pool_alloc(set, &a), -ENOSPC);
	pool_set_free(set);
}

static void test_slash32(void **state)
{
	struct dx_pool_set *set = one_pool(IP(192, 0, 2, 9), 32,
					   IP(192, 0, 2, 9), IP(192, 0, 2, 9));
	uint32_t a;

	assert_stats(set, 1, 0, 1, 0, 0);
	assert_int_equal(pool_alloc(set, &a), 0);
	assert_int_equal(a, IP(192, 0, 2, 9));
	assert_int_equal(pool_alloc(set, &a), -ENOSPC);
	pool_set_free(set);
}

static void test_word_boundaries(void **state)
{
	/* 65 and 128 addresses: the tail of the last word must not leak */
	static const uint32_t sizes[] = {63, 64, 65, 127, 128, 129};
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct dx_pool_set *set =
			one_pool(IP(10, 0, 0, 0), 16, IP(10, 0, 1, 0),
				 IP(10, 0, 1, 0) + sizes[i] - 1);
		uint32_t a, n = 0;

		while (pool_alloc(set, &a) == 0) {
			assert_int_equal(a, IP(10, 0, 1, 0) + n);
			n++;
		}
		assert_int_equal(n, sizes[i]);
		pool_set_free(set);
	}
}

static void test_holes_in_full_pool(void **state)
{
	/* a full /20 with a few holes: each is found, in next-fit order */
	static const uint32_t holes[] = {4000, 1, 64, 2047, 127, 4094};
	struct dx_pool_set *set = one_pool(IP(10, 0, 0, 0), 20, IP(10, 0, 0, 0),
					   IP(10, 0, 15, 255));
	uint32_t a, n = 0;
	size_t i;

	while (pool_alloc(set, &a) == 0)
		n++;
	assert_int_equal(n, 4094);
	for (i = 0; i < sizeof(holes) / sizeof(holes[0]); i++)
		assert_int_equal(pool_release(set, IP(10, 0, 0, 0) + holes[i]),
				 0);
	/* cursor is past the end: wraps to the lowest hole first */
	assert_int_equal(pool_alloc(set, &a), 0);
	assert_int_equal(a, IP(10, 0, 0, 0) + 1);
	assert_int_equal(pool_alloc(set, &a), 0);
	assert_int_equal(a, IP(10, 0, 0, 0) + 64);
	assert_int_equal(pool_alloc(set, &a), 0);
	assert_int_equal(a, IP(10, 0, 0, 0) + 127);
	/* re-open a hole behind the cursor: found only after the others */
	assert_int_equal(pool_release(set, IP(10, 0, 0, 0) + 64), 0);
	assert_int_equal(pool_alloc(set, &a), 0);
	assert_int_equal(a, IP(10, 0, 0, 0) + 2047);
	assert_int_equal(pool_alloc(set, &a), 0);
	assert_int_equal(a, IP(10, 0, 0, 0) + 4000);
	assert_int_equal(pool_alloc(set, &a), 0);
	assert_int_equal(a, IP(10, 0, 0, 0) + 4094);
	assert_int_equal(pool_alloc(set, &a), 0);
	assert_int_equal(a, IP(10, 0, 0, 0) + 64);
	assert_int_equal(pool_alloc(set, &a), -ENOSPC);
	pool_set_free(set);
}

static void test_single_hole_is_fast(void **state)
{
	/* worst case for a flat bitmap: a full /8 with one hole behind */
	struct dx_pool_set *set = one_pool(IP(10, 0, 0, 0), 8, IP(10, 0, 0, 0),
					   IP(10, 255, 255, 255));
	uint32_t a, seed = 1;
	double t0;
	int i;

	while (pool_alloc(set, &a) == 0)
		;
	t0 = now_s();
	for (i = 0; i < 20000; i++) {
		uint32_t hole;

		seed = seed * 1103515245 + 12345;
		hole = IP(10, 0, 0, 1) + (seed >> 8) % 16777214;
		assert_int_equal(pool_release(set, hole), 0);
		assert_int_equal(pool_alloc(set, &a), 0);
		assert_int_equal(a, hole);
	}
	/* ~40 ms with the summary bitmap; ~1 s+ if every alloc swept 2 MiB */
	assert_true(now_s() - t0 < 0.5);
	pool_set_free(set);
}

static void test_slash8(void **state)
{
	struct dx_pool_set *set = one_pool(IP(10, 0, 0, 0), 8, IP(10, 0, 0, 0),
					   IP(10, 255, 255, 255));
	const uint64_t total = 16777214;
	uint32_t a, expect = IP(10, 0, 0, 1);
	uint64_t n = 0;
	double t0 = now_s();

	assert_stats(set, total, 0, total, 0, 0);
	while (pool_alloc(set, &a) == 0) {
		if (a != expect)
			fail_msg("alloc #%llu gave %#x, expected %#x",
				 (unsigned long long)n, a, expect);
		expect++;
		n++;
	}
	assert_int_equal(n, total);
	assert_stats(set, total, total, 0, 0, 0);
	for (a = IP(10, 0, 0, 1); a <= IP(10, 255, 255, 254); a++)
		if (pool_release(set, a))
			fail_msg("release %#x failed", a);
	assert_stats(set, total, 0, total, 0, 0);
	/* and it still allocates after the full cycle */
	assert_int_equal(pool_alloc(set, &a), 0);
	assert_true(pool_contains(set, a));
	/* generous bound: ~0.1 s on a laptop; catches an O(n) scan per alloc */
	assert_true(now_s() - t0 < 10.0);
	pool_set_free(set);
}

/* Random operations checked against a plain array model. */
static void test_random_against_model(void **state)
{
	enum { N = 300 };
	struct dx_pool_range r[] = {{IP(10, 0, 0, 1), IP(10, 0, 0, 100)},
				    {IP(10, 0, 0, 150), IP(10, 0, 1, 93)}};
	struct dx_pool_set *set = pool_set_new(IP(10, 0, 0, 0), 23, r, 2);
	/* 0 free, 1 used, 2 declined, 3 reserved; index = addr - 10.0.0.0 */
	unsigned char model[512] = {0};
	unsigned seed = 12345;
	int step;

	assert_non_null(set);
	for (step = 0; step < 20000; step++) {
		uint32_t off, a;
		int op, rc, cnt[4] = {0};
		bool in;

		seed = seed * 1103515245 + 12345;
		op = (seed >> 16) % 6;
		seed = seed * 1103515245 + 12345;
		off = (seed >> 16) % 512;
		a = IP(10, 0, 0, 0) + off;
		in = (off >= 1 && off <= 100) || (off >= 150 && off <= 349);
		switch (op) {
		case 0:
			rc = pool_alloc(set, &a);
			if (rc == 0) {
				off = a - IP(10, 0, 0, 0);
				assert_int_equal(model[off], 0);
				model[off] = 1;
			}
			break;
		case 1:
			rc = pool_take(set, a);
			assert_int_equal(rc, !in	  ? -ENOENT
					     : model[off] ? -EBUSY
							  : 0);
			if (!rc)
				model[off] = 1;
			break;
		case 2:
			rc = pool_release(set, a);
			assert_int_equal(rc, !in	       ? -ENOENT
					     : model[off] == 0 ? -EALREADY
					     : model[off] == 3 ? -EPERM
							       : 0);
			if (!rc)
				model[off] = 0;
			break;
		case 3:
			rc = pool_decline(set, a);
			assert_int_equal(rc, !in	       ? -ENOENT
					     : model[off] == 3 ? -EPERM
							       : 0);
			if (!rc)
				model[off] = 2;
			break;
		case 4:
			rc = pool_exclude(set, a);
			assert_int_equal(rc,
					 !in ? -ENOENT
					 : model[off] == 1 || model[off] == 2
						 ? -EBUSY
						 : 0);
			if (!rc)
				model[off] = 3;
			break;
		default:
			rc = pool_unexclude(set, a);
			assert_int_equal(rc, !in	       ? -ENOENT
					     : model[off] != 3 ? -EINVAL
							       : 0);
			if (!rc)
				model[off] = 0;
			break;
		}
		for (off = 0; off < 512; off++)
			cnt[model[off]]++;
		assert_stats(set, 300, cnt[1], 300 - cnt[1] - cnt[2] - cnt[3],
			     cnt[2], cnt[3]);
	}
	pool_set_free(set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_until_exhausted),
		cmocka_unit_test(test_network_broadcast_excluded),
		cmocka_unit_test(test_next_fit_order),
		cmocka_unit_test(test_take_release),
		cmocka_unit_test(test_exclude),
		cmocka_unit_test(test_decline),
		cmocka_unit_test(test_multiple_pools),
		cmocka_unit_test(test_invalid_ranges),
		cmocka_unit_test(test_single_address_pool),
		cmocka_unit_test(test_top_of_address_space),
		cmocka_unit_test(test_slash31),
		cmocka_unit_test(test_slash32),
		cmocka_unit_test(test_word_boundaries),
		cmocka_unit_test(test_slash8),
		cmocka_unit_test(test_holes_in_full_pool),
		cmocka_unit_test(test_single_hole_is_fast),
		cmocka_unit_test(test_random_against_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
