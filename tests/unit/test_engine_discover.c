// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The protocol engine's DHCPDISCOVER (RFC 2131 §4.3.1, engine_discover.c):
 * the address it offers and in which order it chooses it, what the OFFER
 * carries, the hold on an offered address, reservations and the pools
 * (exhaustion, a /8).
 */
#include <time.h>

#include "engine_fixture.h"

/* ---- pools and reservations ---- */

static void test_reservations_excluded_from_pool(void **state)
{
	struct engine_subnet_stats st = stats(*state, 0);

	assert_int_equal(st.subnet_id, 1);
	assert_int_equal(st.total, 10);
	assert_int_equal(st.reserved, 1); /* .12; .200/.201 are outside */
	assert_int_equal(st.free, 9);
}

/* ---- DISCOVER (§4.3.1) ---- */

static void test_discover_offers_next_free(void **state)
{
	struct fx *f = *state;

	assert_int_equal(discover(f, 1, T0), IP(10, 0, 0, 10));
	assert_int_equal(f->res.subnet_id, 1);
	assert_int_equal(f->res.reply.server_id, SID);
	assert_int_equal(f->res.reply.lease_time, VLT);
	assert_int_equal(f->res.reply.t1, 1800);
	assert_int_equal(f->res.reply.t2, 3150);
	/* An offer promises nothing: nothing to commit (docs/design.md §2). */
	assert_int_equal(f->res.ch.n_ops, 0);
	assert_int_equal(f->res.ch.n_map, 0);
	assert_int_equal(stats(f, 0).offers, 1);
}

static void test_offer_carries_subnet_options(void **state)
{
	struct fx *f = *state;
	const struct dhcp_opt *o;
	static const uint8_t mask[4] = {255, 255, 255, 0};

	discover(f, 1, T0);
	o = find_opt(&f->res.reply, DHCP_OPT_ROUTER);
	assert_non_null(o);
	assert_int_equal(o->len, 4);
	assert_int_equal(o->data[3], 1);
	o = find_opt(&f->res.reply, DHCP_OPT_SUBNET_MASK);
	assert_non_null(o);
	assert_memory_equal(o->data, mask, 4);
	assert_non_null(find_opt(&f->res.reply, DHCP_OPT_DNS_SERVERS));
}

static void test_offer_encodes(void **state)
{
	struct fx *f = *state;
	uint8_t buf[1500];
	size_t len = 0, dropped = 9;

	discover(f, 1, T0);
	assert_int_equal(dhcp_reply_encode(buf, sizeof(buf), &f->res.reply,
					   f->m, &len, &dropped),
			 0);
	assert_true(len >= DHCP_MIN_LEN);
	assert_int_equal(dropped, 0);
	assert_int_equal(buf[DHCP_OFF_YIADDR + 3], 10);
}

static void test_discover_reservation_in_pool(void **state)
{
	struct fx *f = *state;
	const struct dhcp_opt *o;

	assert_int_equal(discover(f, 0xa1, T0), IP(10, 0, 0, 12));
	o = find_opt(&f->res.reply, DHCP_OPT_HOST_NAME);
	assert_non_null(o);
	assert_int_equal(o->len, 6);
	assert_memory_equal(o->data, "inpool", 6);
}

static void test_discover_reservation_out_of_pool_overrides(void **state)
{
	struct fx *f = *state;
	const struct dhcp_opt *o;

	assert_int_equal(discover(f, 0xa2, T0), IP(10, 0, 0, 200));
	o = find_opt(&f->res.reply, DHCP_OPT_ROUTER);
	assert_non_null(o);
	assert_int_equal(o->data[3], 254); /* the reservation's, not .1 */
	assert_non_null(find_opt(&f->res.reply, DHCP_OPT_DNS_SERVERS));
	/* The reserved client's dynamic pool is untouched. */
	assert_int_equal(stats(f, 0).used, 0);
}

static void test_reserved_address_never_given_to_others(void **state)
{
	struct fx *f = *state;
	struct rq q = {.type = DHCPDISCOVER, .reqip = IP(10, 0, 0, 12)};

	/* Asking for it in DISCOVER does not get it... */
	q.mac = 1;
	run(f, &q, T0);
	assert_int_not_equal(f->res.reply.yiaddr, IP(10, 0, 0, 12));
	/* ...nor in REQUEST (INIT-REBOOT / SELECTING / RENEWING). */
	assert_int_equal(select_addr(f, 2, IP(10, 0, 0, 12), T0), DHCPNAK);
	assert_int_equal(select_addr(f, 2, IP(10, 0, 0, 201), T0), DHCPNAK);
	q = (struct rq){
		.type = DHCPREQUEST, .mac = 3, .ciaddr = IP(10, 0, 0, 200)};
	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPNAK);
	/* ...nor when the pool runs dry: 9 dynamic addresses, then none. */
	for (uint8_t m = 10; m < 18; m++)
		assert_int_not_equal(lease(f, m, T0), IP(10, 0, 0, 12));
	assert_int_equal(discover(f, 30, T0), 0);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_POOL_EXHAUSTED);
}

static void test_discover_current_lease_first(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	struct rq q = {
		.type = DHCPDISCOVER, .mac = 1, .reqip = IP(10, 0, 0, 17)};

	assert_int_equal(run(f, &q, T0 + 10), ENGINE_REPLY);
	assert_int_equal(f->res.reply.yiaddr, a);
	/* No second address held for it. */
	assert_int_equal(stats(f, 0).used, 1);
}

static void test_discover_requested_address(void **state)
{
	struct fx *f = *state;
	struct rq q = {
		.type = DHCPDISCOVER, .mac = 1, .reqip = IP(10, 0, 0, 15)};

	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.yiaddr, IP(10, 0, 0, 15));
}

static void test_discover_requested_taken_or_foreign(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	struct rq q = {.type = DHCPDISCOVER, .mac = 2, .reqip = a};

	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_not_equal(f->res.reply.yiaddr, a);
	/* Outside the pool, or in another subnet: next free instead. */
	q.mac = 3;
	q.reqip = IP(10, 0, 0, 100);
	run(f, &q, T0);
	assert_true(f->res.reply.yiaddr >= IP(10, 0, 0, 10) &&
		    f->res.reply.yiaddr <= IP(10, 0, 0, 19));
	q.mac = 4;
	q.reqip = IP(10, 1, 0, 20);
	run(f, &q, T0);
	assert_int_not_equal(f->res.reply.yiaddr, IP(10, 1, 0, 20));
}

static void test_discover_reservation_beats_current_lease(void **state)
{
	struct fx *f = *state;
	struct dx_lease_rec rec = {.subnet_id = 1,
				   .addr = IP(10, 0, 0, 11),
				   .mac = {2, 0, 0, 0, 0, 0xa1},
				   .state = DX_LEASE_ACTIVE,
				   .expires = T0 + 100,
				   .horizon = T0 + 200};

	assert_int_equal(engine_load_lease(f->e, &rec, T0, NULL), 0);
	assert_int_equal(discover(f, 0xa1, T0), IP(10, 0, 0, 12));
	/* Its ACK ends the old dynamic lease (one lease per client). */
	assert_int_equal(select_addr(f, 0xa1, IP(10, 0, 0, 12), T0), DHCPACK);
	assert_int_equal(f->res.ch.n_ops, 1);
	assert_int_equal(f->res.ch.ops[0].rec.addr, IP(10, 0, 0, 11));
	assert_int_equal(f->res.ch.ops[0].rec.state, DX_LEASE_EXPIRED);
	assert_int_equal(f->res.ch.n_map, 1);
	assert_int_equal(f->res.ch.map[0].kind, ENGINE_MAP_DELETE);
	assert_int_equal(f->res.ch.map[0].addr, IP(10, 0, 0, 11));
}

static void test_sticky_after_release(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	struct rq q = {.type = DHCPRELEASE, .mac = 1, .ciaddr = a, .sid = SID};

	assert_int_equal(run(f, &q, T0 + 5), ENGINE_SILENT);
	/* Another client does not get it (next-fit moves on)... */
	assert_int_not_equal(lease(f, 2, T0 + 6), a);
	/* ...and the first gets its previous address back. */
	assert_int_equal(discover(f, 1, T0 + 7), a);
}

static void test_sticky_after_expiry(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	int64_t later = T0 + 2 * VLT + 1;
	size_t n_ops;

	assert_int_equal(expire(f, later, NULL, NULL, &n_ops, NULL), 1);
	assert_int_equal(n_ops, 1);
	assert_int_equal(stats(f, 0).used, 0);
	lease(f, 2, later);
	assert_int_equal(discover(f, 1, later), a);
}

static void test_sticky_address_taken_by_other(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	struct rq q = {.type = DHCPRELEASE, .mac = 1, .ciaddr = a};

	run(f, &q, T0);
	/* Client 2 asks for it explicitly and gets it. */
	q = (struct rq){.type = DHCPDISCOVER, .mac = 2, .reqip = a};
	run(f, &q, T0);
	assert_int_equal(f->res.reply.yiaddr, a);
	assert_int_equal(select_addr(f, 2, a, T0), DHCPACK);
	/* Client 1 then gets another address. */
	assert_int_not_equal(discover(f, 1, T0), a);
}

/* ---- offer hold ---- */

static void test_offer_hold_two_clients(void **state)
{
	struct fx *f = *state;
	uint32_t a = discover(f, 1, T0), b = discover(f, 2, T0);

	assert_int_not_equal(a, 0);
	assert_int_not_equal(b, 0);
	assert_int_not_equal(a, b);
	assert_int_equal(stats(f, 0).used, 2);
	/* Client 2 cannot take client 1's held address either. */
	assert_int_equal(select_addr(f, 2, a, T0), DHCPNAK);
}

static void test_offer_retransmit_same_address(void **state)
{
	struct fx *f = *state;
	uint32_t a = discover(f, 1, T0);

	assert_int_equal(discover(f, 1, T0 + 3), a);
	assert_int_equal(stats(f, 0).used, 1);
}

static void test_offer_expires_frees_address(void **state)
{
	struct fx *f = *state;
	uint32_t a = discover(f, 1, T0);
	size_t n_ops;

	assert_int_equal(engine_next_deadline(f->e), T0 + HOLD);
	/* Not before the hold ends; over at its end (inclusive). */
	assert_int_equal(expire(f, T0 + HOLD - 1, NULL, NULL, NULL, NULL), 0);
	assert_int_equal(stats(f, 0).used, 1);
	assert_int_equal(expire(f, T0 + HOLD, NULL, NULL, &n_ops, NULL), 1);
	assert_int_equal(n_ops, 0); /* nothing was persisted */
	assert_int_equal(stats(f, 0).used, 0);
	assert_int_equal(engine_next_deadline(f->e), INT64_MAX);
	/* The address is free for anyone now. */
	struct rq q = {.type = DHCPDISCOVER, .mac = 2, .reqip = a};
	run(f, &q, T0 + HOLD);
	assert_int_equal(f->res.reply.yiaddr, a);
}

/* The hold ends at its deadline even before expiry has run. */
static void test_offer_hold_over_at_deadline(void **state)
{
	struct fx *f = *state;
	uint32_t a = discover(f, 1, T0);
	struct rq q = {.type = DHCPDISCOVER, .mac = 2, .reqip = a};

	run(f, &q, T0 + HOLD - 1);
	assert_int_not_equal(f->res.reply.yiaddr, a);
	q.mac = 3;
	run(f, &q, T0 + HOLD);
	assert_int_equal(f->res.reply.yiaddr, a);
	assert_int_equal(f->res.ch.n_ops, 0); /* an offer has no row */
}

/* ---- pool exhaustion, pool size ---- */

static void test_pool_exhausted_counted(void **state)
{
	struct fx *f = *state;

	for (uint8_t m = 1; m <= 9; m++)
		assert_int_not_equal(discover(f, m, T0), 0);
	assert_int_equal(discover(f, 10, T0), 0);
	assert_int_equal(f->res.action, ENGINE_DROP);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_POOL_EXHAUSTED);
	assert_int_equal(stats(f, 0).pool_exhausted, 1);
	assert_int_equal(engine_drops(f->e, ENGINE_DROP_POOL_EXHAUSTED), 1);
	assert_string_equal(engine_drop_reason_name(ENGINE_DROP_POOL_EXHAUSTED),
			    "pool-exhausted");
	/* Reservations are still served. */
	assert_int_equal(discover(f, 0xa1, T0), IP(10, 0, 0, 12));
}

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_slash8_pool(void **state)
{
	struct fx *f;
	double t;

	(void)state;
	t = mono();
	f = fx_new("{\"Dhcp4\": {"
		   " \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"
		   " \"subnet4\": [{\"id\": 7, \"subnet\": \"10.0.0.0/8\","
		   "  \"pools\": [{\"pool\": \"10.0.0.1 - 10.255.255.254\"}]}]"
		   "}}");
	t = mono() - t;
	assert_true(t < 2.0);
	f->rx.direct_subnet_id = 7;
	assert_int_equal(stats(f, 0).total, 16777214);
	/* Our own address (the server id, 10.0.0.1) is never leased. */
	for (uint8_t m = 1; m <= 5; m++)
		assert_int_equal(lease(f, m, T0), IP(10, 0, 0, 2) + m - 1);
	assert_int_equal(stats(f, 0).reserved, 1);
	assert_int_equal(stats(f, 0).used, 5);
	teardown((void **)&f);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_reservations_excluded_from_pool),
		T(test_discover_offers_next_free),
		T(test_offer_carries_subnet_options),
		T(test_offer_encodes),
		T(test_discover_reservation_in_pool),
		T(test_discover_reservation_out_of_pool_overrides),
		T(test_reserved_address_never_given_to_others),
		T(test_discover_current_lease_first),
		T(test_discover_requested_address),
		T(test_discover_requested_taken_or_foreign),
		T(test_discover_reservation_beats_current_lease),
		T(test_sticky_after_release),
		T(test_sticky_after_expiry),
		T(test_sticky_address_taken_by_other),
		T(test_offer_hold_two_clients),
		T(test_offer_retransmit_same_address),
		T(test_offer_expires_frees_address),
		T(test_offer_hold_over_at_deadline),
		T(test_pool_exhausted_counted),
		cmocka_unit_test(test_slash8_pool),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
