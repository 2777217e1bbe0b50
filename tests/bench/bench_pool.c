// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Pool allocator speed on a /8 (16,777,214 addresses): allocating all of
 * it, releasing all of it, and churn (release one random address, allocate
 * one) at 50% and 99.99% occupancy. Measurements, not assertions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "engine/pool.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t rng = 88172645463325252ULL;

static uint32_t xorshift(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

static void row(const char *what, uint64_t ops, double secs)
{
	printf("  %-34s %10llu ops %8.3f s %8.1f M ops/s\n", what,
	       (unsigned long long)ops, secs, ops / secs / 1e6);
}

/* Random used address: release it, then allocate, `ops` times. */
static void churn(struct dx_pool_set *set, uint32_t lo, uint32_t size,
		  uint64_t ops, const char *what)
{
	uint64_t done = 0;
	uint32_t a;
	double t0 = now_s();

	while (done < ops) {
		a = lo + xorshift() % size;
		if (pool_release(set, a))
			continue; /* was free: pick another */
		if (pool_alloc(set, &a)) {
			fprintf(stderr, "alloc failed in churn\n");
			exit(1);
		}
		done++;
	}
	row(what, ops, now_s() - t0);
}

int main(void)
{
	const uint32_t net = 0x0a000000, lo = net + 1, hi = net + 0xfffffe;
	struct dx_pool_range r = {net, net + 0xffffff};
	struct dx_pool_set *set;
	struct dx_pool_stats st;
	uint64_t n = 0;
	uint32_t a;
	double t0;

	t0 = now_s();
	set = pool_set_new(net, 8, &r, 1);
	if (!set) {
		perror("pool_set_new");
		return 1;
	}
	pool_set_stats(set, &st);
	printf("pool bench: 10.0.0.0/8, %llu addresses\n",
	       (unsigned long long)st.total);
	row("create", 1, now_s() - t0);

	t0 = now_s();
	while (pool_alloc(set, &a) == 0)
		n++;
	row("alloc all (next-fit)", n, now_s() - t0);

	t0 = now_s();
	for (n = 0; n < 1000000; n++)
		pool_alloc(set, &a);
	row("alloc when exhausted (-ENOSPC)", n, now_s() - t0);

	churn(set, lo, hi - lo + 1, 1000000, "churn at 100% - 1");

	t0 = now_s();
	n = 0;
	for (a = lo; a <= hi; a++)
		n += pool_release(set, a) == 0;
	row("release all", n, now_s() - t0);

	/* fill to 50% at random, then churn */
	n = 0;
	while (n < st.total / 2)
		n += pool_take(set, lo + xorshift() % (hi - lo + 1)) == 0;
	churn(set, lo, hi - lo + 1, 5000000, "churn at 50% (random holes)");

	t0 = now_s();
	n = 0;
	while (pool_alloc(set, &a) == 0)
		n++;
	row("alloc the remaining 50%", n, now_s() - t0);

	/* 99.99% full: free 1,677 random addresses, then churn */
	for (n = 0; n < st.total / 10000;)
		n += pool_release(set, lo + xorshift() % (hi - lo + 1)) == 0;
	churn(set, lo, hi - lo + 1, 200000, "churn at 99.99% (sparse holes)");

	t0 = now_s();
	for (n = 0; n < 10000000; n++)
		pool_is_free(set, lo + xorshift() % (hi - lo + 1));
	row("pool_is_free (random)", n, now_s() - t0);
	pool_set_free(set);
	return 0;
}
