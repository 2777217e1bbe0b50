// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Which requests the protocol engine takes up, and for which subnet
 * (engine_handle.c, engine_subnet.c, docs/design.md §1): bad arguments,
 * messages it does not serve, relays by address and by prefix (RFC 2131
 * §4.3.1 giaddr), unicast renewals from behind a relay.
 */
#include "engine_fixture.h"

/* ---- arguments and messages ---- */

static void test_new_rejects_bad_args(void **state)
{
	struct fx *f = *state;
	struct engine *e;
	struct engine_result res;

	assert_int_equal(engine_new(NULL, &e), -EINVAL);
	assert_int_equal(engine_new(f->cfg, NULL), -EINVAL);
	assert_int_equal(engine_handle(f->e, NULL, &f->rx, T0, &res), -EINVAL);
	f->rx.server_id = 0; /* the encoder needs a server identifier */
	build(f, &(struct rq){.type = DHCPDISCOVER, .mac = 1});
	assert_int_equal(engine_handle(f->e, f->m, &f->rx, T0, &res), -EINVAL);
}

static void test_not_a_usable_request_dropped(void **state)
{
	struct fx *f = *state;
	struct rq q = {.type = 0, .mac = 1}; /* BOOTP */

	assert_int_equal(run(f, &q, T0), ENGINE_DROP);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_UNSUPPORTED);
	q.type = DHCPOFFER; /* a server message */
	assert_int_equal(run(f, &q, T0), ENGINE_DROP);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_MALFORMED);
	q.type = DHCPDISCOVER;
	build(f, &q);
	f->m->hlen = 8; /* not Ethernet: no lease-map key */
	assert_int_equal(engine_handle(f->e, f->m, &f->rx, T0, &f->res), 0);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_MALFORMED);
}

/* ---- subnet selection (docs/design.md §1) ---- */

static void test_relay_by_ip_address(void **state)
{
	struct fx *f = *state;
	struct rq q = {
		.type = DHCPDISCOVER, .mac = 1, .giaddr = IP(192, 168, 1, 1)};

	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.subnet_id, 2);
	assert_int_equal(f->res.reply.yiaddr, IP(10, 1, 0, 10));
}

static void test_relay_by_prefix(void **state)
{
	struct fx *f = *state;
	struct rq q = {
		.type = DHCPDISCOVER, .mac = 1, .giaddr = IP(10, 2, 0, 1)};

	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.subnet_id, 3);
	assert_int_equal(f->res.reply.yiaddr, IP(10, 2, 0, 10));
	/* The relay list is looked at first: .3.3 is subnet 3's relay. */
	q.giaddr = IP(192, 168, 3, 3);
	q.mac = 2;
	run(f, &q, T0);
	assert_int_equal(f->res.subnet_id, 3);
}

static void test_unicast_renewal_from_behind_relay(void **state)
{
	struct fx *f = *state;
	struct rq q = {.mac = 1, .giaddr = IP(192, 168, 1, 1)};
	uint32_t a = lease_as(f, &q, T0);

	/* RENEWING: unicast straight to us, no giaddr; it arrives on the
	 * link of subnet 1 but belongs to subnet 2 (by ciaddr). */
	q = (struct rq){.type = DHCPREQUEST, .mac = 1, .ciaddr = a};
	f->rx.unicast = true;
	assert_int_equal(run(f, &q, T0 + 1800), ENGINE_REPLY);
	assert_int_equal(f->res.subnet_id, 2);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.reply.yiaddr, a);
	/* The same as a broadcast (REBINDING) on subnet 1's link: the
	 * client is on the wrong network. */
	f->rx.unicast = false;
	assert_int_equal(run(f, &q, T0 + 3200), ENGINE_REPLY);
	assert_int_equal(f->res.subnet_id, 1);
	assert_int_equal(f->res.reply.msg_type, DHCPNAK);
	/* RELEASE is unicast too. */
	q.type = DHCPRELEASE;
	f->rx.unicast = true;
	assert_int_equal(run(f, &q, T0 + 3300), ENGINE_SILENT);
	assert_int_equal(stats(f, 1).releases, 1);
}

static void test_unknown_relay_dropped(void **state)
{
	struct fx *f = *state;
	struct rq q = {
		.type = DHCPDISCOVER, .mac = 1, .giaddr = IP(172, 16, 0, 1)};

	assert_int_equal(run(f, &q, T0), ENGINE_DROP);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_NO_SUBNET);
	assert_int_equal(engine_drops(f->e, ENGINE_DROP_NO_SUBNET), 1);
}

static void test_no_direct_subnet_dropped(void **state)
{
	struct fx *f = *state;

	f->rx.direct_subnet_id = 0;
	assert_int_equal(discover(f, 1, T0), 0);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_NO_SUBNET);
	f->rx.direct_subnet_id = 99; /* not configured */
	assert_int_equal(discover(f, 1, T0), 0);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_NO_SUBNET);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_new_rejects_bad_args),
		T(test_not_a_usable_request_dropped),
		T(test_relay_by_ip_address),
		T(test_relay_by_prefix),
		T(test_unicast_renewal_from_behind_relay),
		T(test_unknown_relay_dropped),
		T(test_no_direct_subnet_dropped),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
