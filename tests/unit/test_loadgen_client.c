// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for the load generator's client state machine and figures
 * (tests/bench/loadgen/lg_client.c, lg_stats.c): DORA, renewal, NAK,
 * timeouts, late replies, T1, release, histogram percentiles.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <dhcpxdp/dhcp_wire.h>
#include "lg_client.h"
#include "lg_stats.h"

#define SRV_IP 0x0a4d0001U
#define ADDR   0x0a4e0005U
#define MS     1000000ULL

static struct lg_pool pool;
static struct lg_stats st;

static int setup(void **state)
{
	(void)state;
	memset(&st, 0, sizeof(st));
	return lg_pool_init(&pool, 4, 0x4c);
}

static int teardown(void **state)
{
	(void)state;
	lg_pool_free(&pool);
	return 0;
}

/* The server's answer to request q. */
static struct lg_reply answer(const struct lg_req *q, uint8_t type)
{
	struct lg_reply r = {.xid = q->xid,
			     .msg_type = type,
			     .yiaddr = type == DHCPNAK ? 0 : ADDR,
			     .server_id = SRV_IP,
			     .lease_time = 3600,
			     .t1 = 900};

	memcpy(r.chaddr, q->chaddr, 6);
	return r;
}

/* DISCOVER at 0, OFFER at 1 ms, REQUEST, ACK at 3 ms: client bound. */
static void dora(struct lg_req *q)
{
	struct lg_reply r;

	assert_int_equal(lg_pool_start(&pool, LG_DISCOVER, 0, &st, q), 0);
	r = answer(q, DHCPOFFER);
	assert_int_equal(lg_pool_reply(&pool, &r, 1 * MS, 2 * MS, &st, q), 1);
	r = answer(q, DHCPACK);
	assert_int_equal(lg_pool_reply(&pool, &r, 3 * MS, 3 * MS, &st, q), 0);
}

static void test_dora(void **state)
{
	struct lg_req q;
	uint8_t mac[6];

	(void)state;
	assert_int_equal(lg_pool_start(&pool, LG_DISCOVER, 0, &st, &q), 0);
	assert_int_equal(q.kind, LG_DISCOVER);
	lg_pool_mac(&pool, 0, mac);
	assert_memory_equal(q.chaddr, mac, 6);
	{
		struct lg_reply r = answer(&q, DHCPOFFER);

		assert_int_equal(
			lg_pool_reply(&pool, &r, 1 * MS, 2 * MS, &st, &q), 1);
	}
	/* RFC 2131 §4.3.2: the REQUEST names the offered address and server. */
	assert_int_equal(q.kind, LG_REQUEST_SELECTING);
	assert_int_equal(q.requested_ip, ADDR);
	assert_int_equal(q.server_id, SRV_IP);
	{
		struct lg_reply r = answer(&q, DHCPACK);

		assert_int_equal(
			lg_pool_reply(&pool, &r, 3 * MS, 3 * MS, &st, &q), 0);
	}
	assert_int_equal(pool.c[0].state, LG_BOUND);
	assert_int_equal(pool.c[0].addr, ADDR);
	assert_int_equal(st.x[LG_X_DISCOVER].answered, 1);
	assert_int_equal(st.x[LG_X_SELECT].answered, 1);
	/* Latency from each request's own send time. */
	assert_int_equal(st.x[LG_X_DISCOVER].lat.max_us, 1000);
	assert_int_equal(st.x[LG_X_SELECT].lat.max_us, 1000);
	assert_int_equal(pool.waiting, 0);
}

static void test_renew_unicast_ciaddr(void **state)
{
	struct lg_req q;
	struct lg_reply r;

	(void)state;
	dora(&q);
	assert_int_equal(
		lg_pool_start(&pool, LG_REQUEST_RENEWING, 10 * MS, &st, &q), 0);
	assert_int_equal(q.kind, LG_REQUEST_RENEWING);
	assert_int_equal(q.ciaddr, ADDR);
	r = answer(&q, DHCPACK);
	assert_int_equal(lg_pool_reply(&pool, &r, 11 * MS, 11 * MS, &st, &q),
			 0);
	assert_int_equal(st.x[LG_X_RENEW].answered, 1);
	assert_int_equal(pool.c[0].state, LG_BOUND);
}

/* RFC 2131 §4.4.1: a NAK sends the client back to INIT. */
static void test_nak_back_to_init(void **state)
{
	struct lg_req q;
	struct lg_reply r;

	(void)state;
	dora(&q);
	lg_pool_start(&pool, LG_REQUEST_REBINDING, 10 * MS, &st, &q);
	r = answer(&q, DHCPNAK);
	assert_int_equal(lg_pool_reply(&pool, &r, 11 * MS, 11 * MS, &st, &q),
			 0);
	assert_int_equal(st.x[LG_X_REBIND].naks, 1);
	assert_int_equal(st.x[LG_X_REBIND].answered, 0);
	assert_int_equal(pool.c[0].state, LG_INIT);
	assert_int_equal(pool.c[0].addr, 0);
}

/* Unanswered: dropped after the timeout; the reply after that is late. */
static void test_timeout_then_late(void **state)
{
	struct lg_req q;
	struct lg_reply r;

	(void)state;
	lg_pool_start(&pool, LG_DISCOVER, 0, &st, &q);
	assert_int_equal(lg_pool_expire(&pool, 999 * MS, 1000 * MS, &st), 1);
	assert_int_equal(lg_pool_expire(&pool, 1000 * MS, 1000 * MS, &st), 0);
	assert_int_equal(st.x[LG_X_DISCOVER].dropped, 1);
	assert_int_equal(pool.c[0].state, LG_INIT);
	r = answer(&q, DHCPOFFER);
	assert_int_equal(lg_pool_reply(&pool, &r, 2000 * MS, 0, &st, &q),
			 -ENOENT);
	assert_int_equal(st.x[LG_X_DISCOVER].late, 1);
	assert_int_equal(st.x[LG_X_DISCOVER].answered, 0);
}

/* A renewal that times out keeps its lease (RFC 2131 §4.4.5). */
static void test_renew_timeout_keeps_lease(void **state)
{
	struct lg_req q;

	(void)state;
	dora(&q);
	lg_pool_start(&pool, LG_REQUEST_RENEWING, 10 * MS, &st, &q);
	lg_pool_expire(&pool, UINT64_MAX, 0, &st);
	assert_int_equal(st.x[LG_X_RENEW].dropped, 1);
	assert_int_equal(pool.c[0].state, LG_BOUND);
	assert_int_equal(pool.c[0].addr, ADDR);
	assert_int_equal(pool.bound.len, 1);
}

static void test_stray_reply(void **state)
{
	struct lg_req q;
	struct lg_reply r;

	(void)state;
	lg_pool_start(&pool, LG_DISCOVER, 0, &st, &q);
	r = answer(&q, DHCPOFFER);
	r.chaddr[5] ^= 1;
	assert_int_equal(lg_pool_reply(&pool, &r, MS, MS, &st, &q), -ENOENT);
	r = answer(&q, DHCPOFFER);
	r.xid = 99U << 8;
	assert_int_equal(lg_pool_reply(&pool, &r, MS, MS, &st, &q), -ENOENT);
	assert_int_equal(st.stray, 2);
}

static void test_t1_due(void **state)
{
	struct lg_req q;

	(void)state;
	assert_false(lg_pool_t1_due(&pool, 0, 1));
	dora(&q); /* bound at 3 ms, T1 900 s */
	assert_false(lg_pool_t1_due(&pool, 3 * MS + 899 * 1000 * MS, 1));
	assert_true(lg_pool_t1_due(&pool, 3 * MS + 900 * 1000 * MS, 1));
	/* On a clock 1000 times faster: 0.9 s. */
	assert_true(lg_pool_t1_due(&pool, 903 * MS, 0.001));
}

static void test_release_and_no_client(void **state)
{
	struct lg_req q;

	(void)state;
	assert_int_equal(lg_pool_start(&pool, LG_RELEASE, 0, &st, &q), -ENOENT);
	assert_int_equal(st.no_client, 1);
	dora(&q);
	assert_int_equal(lg_pool_start(&pool, LG_RELEASE, 5 * MS, &st, &q), 0);
	assert_int_equal(q.ciaddr, ADDR);
	assert_int_equal(q.server_id, SRV_IP);
	assert_int_equal(pool.c[0].state, LG_INIT);
	assert_int_equal(st.x[LG_X_RELEASE].sent, 1);
	/* All 4 clients busy: the fifth DISCOVER finds none. */
	for (int i = 0; i < 4; i++)
		assert_int_equal(lg_pool_start(&pool, LG_DISCOVER, 0, &st, &q),
				 0);
	assert_int_equal(lg_pool_start(&pool, LG_DISCOVER, 0, &st, &q),
			 -ENOENT);
}

static void test_hist_percentiles(void **state)
{
	struct lg_hist h = {0};
	int i;

	(void)state;
	assert_true(lg_hist_pct(&h, 99) == 0);
	for (i = 1; i <= 100; i++)
		lg_hist_add(&h, (uint64_t)i * 1000); /* 1..100 ms */
	/* Within the 3 % width of a bucket. */
	assert_true(lg_hist_pct(&h, 50) > 48500 && lg_hist_pct(&h, 50) < 51500);
	assert_true(lg_hist_pct(&h, 99) > 96000 &&
		    lg_hist_pct(&h, 99) < 102000);
	assert_true(lg_hist_pct(&h, 100) <= 100000);
	assert_int_equal(h.min_us, 1000);
	assert_int_equal(h.sum_us, 5050000);
	memset(&h, 0, sizeof(h));
	lg_hist_add(&h, 17);
	assert_true(lg_hist_pct(&h, 50) == 17);
}

static void test_dora_drops(void **state)
{
	struct lg_stats s = {0};

	(void)state;
	s.x[LG_X_DISCOVER].sent = 200;
	s.x[LG_X_SELECT].answered = 190;
	s.period_s = 2;
	assert_true(lg_stats_dora_drops(&s) > 4.99 &&
		    lg_stats_dora_drops(&s) < 5.01);
	assert_true(lg_stats_offered(&s) == 100);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_dora),
		T(test_renew_unicast_ciaddr),
		T(test_nak_back_to_init),
		T(test_timeout_then_late),
		T(test_renew_timeout_keeps_lease),
		T(test_stray_reply),
		T(test_t1_due),
		T(test_release_and_no_client),
		cmocka_unit_test(test_hist_percentiles),
		cmocka_unit_test(test_dora_drops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
