// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for the load generator's DISCOVER flood
 * (tests/bench/loadgen/lg_flood.c): fresh MACs apart from the clients',
 * its OFFERs counted with their latency, other replies left alone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <dhcpxdp/dhcp_wire.h>
#include "lg_client.h"
#include "lg_flood.h"
#include "lg_stats.h"

#define SEED 0x4c
#define US   1000ULL

/* Every flood DISCOVER comes from a MAC of its own, never a client's. */
static void test_flood_macs(void **state)
{
	struct lg_pool pool;
	struct lg_req a, b;
	uint8_t client[6];

	(void)state;
	assert_int_equal(lg_pool_init(&pool, 4, SEED), 0);
	lg_flood_req(0, SEED, 5 * US, &a);
	lg_flood_req(1, SEED, 6 * US, &b);
	assert_int_equal(a.kind, LG_DISCOVER);
	assert_memory_not_equal(a.chaddr, b.chaddr, 6);
	lg_pool_mac(&pool, 0, client);
	assert_int_not_equal(a.chaddr[1], client[1]);
	assert_int_equal(a.xid, 5);
	assert_int_equal(b.xid, 6);
	lg_pool_free(&pool);
}

/* An OFFER to the flood is counted with its latency; a client's reply
 * is not the flood's. */
static void test_flood_reply(void **state)
{
	struct lg_stats st;
	struct lg_reply r = {.msg_type = DHCPOFFER};
	struct lg_req q;
	struct lg_pool pool;

	(void)state;
	memset(&st, 0, sizeof(st));
	lg_flood_req(7, SEED, 1000 * US, &q);
	memcpy(r.chaddr, q.chaddr, 6);
	r.xid = q.xid;
	assert_true(lg_flood_reply(&r, SEED, 1250 * US, &st));
	assert_int_equal(st.x[LG_X_FLOOD].answered, 1);
	assert_int_equal(st.x[LG_X_FLOOD].lat.n, 1);
	assert_int_equal(st.x[LG_X_FLOOD].lat.min_us, 250);

	assert_int_equal(lg_pool_init(&pool, 4, SEED), 0);
	lg_pool_mac(&pool, 2, r.chaddr);
	assert_false(lg_flood_reply(&r, SEED, 1250 * US, &st));
	assert_int_equal(st.x[LG_X_FLOOD].answered, 1);
	lg_pool_free(&pool);
}

/* The xid's µs wrap every 2^32 µs: the latency across the wrap holds. */
static void test_flood_latency_wraps(void **state)
{
	struct lg_stats st;
	struct lg_reply r = {.msg_type = DHCPOFFER};
	struct lg_req q;
	uint64_t t = 0xffffff00ULL * US;

	(void)state;
	memset(&st, 0, sizeof(st));
	lg_flood_req(1, SEED, t, &q);
	memcpy(r.chaddr, q.chaddr, 6);
	r.xid = q.xid;
	assert_true(lg_flood_reply(&r, SEED, t + 0x200 * US, &st));
	assert_int_equal(st.x[LG_X_FLOOD].lat.min_us, 0x200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flood_macs),
		cmocka_unit_test(test_flood_reply),
		cmocka_unit_test(test_flood_latency_wraps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
