// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The protocol engine's DHCPDECLINE, DHCPRELEASE and DHCPINFORM (RFC 2131
 * §4.3.3 - §4.3.5, engine_notify.c): probation, the sticky row a release
 * keeps, who may decline or release, and the INFORM reply.
 */
#include "engine_fixture.h"

/* ---- DECLINE (§4.3.3) ---- */

static void test_decline_probation(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	struct rq q = {.type = DHCPDECLINE, .mac = 1, .reqip = a, .sid = SID};
	struct dx_lease_op ops[64];
	size_t n_ops;

	assert_int_equal(run(f, &q, T0 + 1), ENGINE_SILENT);
	assert_int_equal(f->res.ch.n_ops, 1);
	assert_int_equal(f->res.ch.ops[0].rec.state, DX_LEASE_DECLINED);
	assert_int_equal(f->res.ch.ops[0].rec.expires, T0 + 1 + PROB);
	assert_int_equal(f->res.ch.n_map, 1);
	assert_int_equal(f->res.ch.map[0].kind, ENGINE_MAP_DELETE);
	assert_int_equal(stats(f, 0).declined, 1);
	assert_int_equal(stats(f, 0).declines, 1);
	/* Not offered to anyone during probation, even when asked for. */
	for (uint8_t m = 2; m < 10; m++) {
		struct rq d = {.type = DHCPDISCOVER, .mac = m, .reqip = a};

		run(f, &d, T0 + 2);
		assert_int_not_equal(f->res.reply.yiaddr, a);
	}
	assert_int_equal(discover(f, 1, T0 + 2), 0); /* 8 held + declined */
	/* Probation ends: the row goes and the address is free again. */
	assert_int_equal(expire(f, T0 + 1 + PROB + 1, ops, NULL, &n_ops, NULL),
			 9);
	assert_int_equal(n_ops, 1);
	assert_int_equal(ops[0].kind, DX_LEASE_OP_DELETE);
	assert_int_equal(ops[0].rec.addr, a);
	assert_int_equal(stats(f, 0).declined, 0);
	q = (struct rq){.type = DHCPDISCOVER, .mac = 2, .reqip = a};
	run(f, &q, T0 + PROB + 3);
	assert_int_equal(f->res.reply.yiaddr, a);
}

static void test_decline_not_owner_ignored(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	struct rq q = {.type = DHCPDECLINE, .mac = 2, .reqip = a};

	assert_int_equal(run(f, &q, T0), ENGINE_DROP);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_DECLINE_NOT_LEASED);
	assert_int_equal(f->res.ch.n_ops, 0);
	assert_int_equal(stats(f, 0).declined, 0);
	/* Another server's identifier: not ours to act on. */
	q.mac = 1;
	q.sid = IP(10, 0, 0, 2);
	assert_int_equal(run(f, &q, T0), ENGINE_DROP);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_NOT_FOR_US);
	assert_int_equal(stats(f, 0).declined, 0);
}

/*
 * A DECLINE of an address that was only offered puts nothing in
 * probation (RFC 2131 §3.1 step 5: a client declines what it was ACKed):
 * DISCOVER + DECLINE from fresh MACs used to take the whole pool out of
 * service for the probation period. The held offer is released.
 */
static void test_decline_of_offer_ignored(void **state)
{
	struct fx *f = *state;

	for (uint8_t m = 1; m <= 18; m++) {
		uint32_t a = discover(f, m, T0 + m);
		struct rq q = {
			.type = DHCPDECLINE, .mac = m, .reqip = a, .sid = SID};

		assert_int_not_equal(a, 0);
		assert_int_equal(run(f, &q, T0 + m), ENGINE_DROP);
		assert_int_equal(f->res.drop_reason,
				 ENGINE_DROP_DECLINE_NOT_LEASED);
		assert_int_equal(f->res.ch.n_ops, 0);
		assert_int_equal(f->res.ch.n_map, 0);
		/* Nothing held any more: the offer went with the DECLINE. */
		assert_int_equal(stats(f, 0).used, 0);
	}
	assert_int_equal(stats(f, 0).declined, 0);
	assert_int_equal(stats(f, 0).declines, 0);
	assert_int_equal(engine_drops(f->e, ENGINE_DROP_DECLINE_NOT_LEASED),
			 18);
	assert_string_equal(
		engine_drop_reason_name(ENGINE_DROP_DECLINE_NOT_LEASED),
		"decline-not-leased");
	assert_int_equal(engine_next_deadline(f->e), INT64_MAX);
	/* The pool still serves everyone. */
	for (uint8_t m = 20; m < 29; m++)
		assert_int_not_equal(lease(f, m, T0 + 20), 0);
}

/* A RELEASED or EXPIRED row is no lease: declining it does nothing. */
static void test_decline_after_release_ignored(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	struct rq rel = {.type = DHCPRELEASE, .mac = 1, .ciaddr = a};
	struct rq q = {.type = DHCPDECLINE, .mac = 1, .reqip = a, .sid = SID};

	assert_int_equal(run(f, &rel, T0 + 1), ENGINE_SILENT);
	assert_int_equal(run(f, &q, T0 + 2), ENGINE_DROP);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_DECLINE_NOT_LEASED);
	assert_int_equal(f->res.ch.n_ops, 0);
	assert_int_equal(stats(f, 0).declined, 0);
}

/* ---- RELEASE (§4.3.4) ---- */

static void test_release_frees_keeps_row(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	struct rq q = {.type = DHCPRELEASE, .mac = 1, .ciaddr = a};

	assert_int_equal(run(f, &q, T0 + 60), ENGINE_SILENT);
	assert_int_equal(f->res.ch.n_ops, 1);
	assert_int_equal(f->res.ch.ops[0].kind, DX_LEASE_OP_UPSERT);
	assert_int_equal(f->res.ch.ops[0].rec.state, DX_LEASE_RELEASED);
	assert_int_equal(f->res.ch.ops[0].rec.mac[5], 1);
	assert_int_equal(f->res.ch.n_map, 1);
	assert_int_equal(f->res.ch.map[0].kind, ENGINE_MAP_DELETE);
	assert_int_equal(f->res.ch.map[0].addr, a);
	assert_int_equal(stats(f, 0).used, 0);
	assert_int_equal(stats(f, 0).releases, 1);
	assert_int_equal(stats(f, 0).leases_active, 0);
	/* Nothing left to expire. */
	assert_int_equal(engine_next_deadline(f->e), INT64_MAX);
}

static void test_release_by_other_client_ignored(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	struct rq q = {.type = DHCPRELEASE, .mac = 2, .ciaddr = a};

	assert_int_equal(run(f, &q, T0), ENGINE_DROP);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_NO_LEASE);
	assert_int_equal(stats(f, 0).used, 1);
	assert_int_equal(stats(f, 0).leases_active, 1);
}

/* ---- INFORM (§4.3.5) ---- */

static void test_inform(void **state)
{
	struct fx *f = *state;
	struct rq q = {
		.type = DHCPINFORM, .mac = 1, .ciaddr = IP(10, 0, 0, 100)};
	uint8_t buf[1500];
	size_t len;

	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.reply.yiaddr, 0);
	assert_int_equal(f->res.reply.lease_time, 0);
	assert_int_equal(f->res.reply.t1, 0);
	assert_int_equal(f->res.reply.t2, 0);
	assert_non_null(find_opt(&f->res.reply, DHCP_OPT_ROUTER));
	assert_int_equal(f->res.ch.n_ops, 0);
	assert_int_equal(stats(f, 0).informs, 1);
	assert_int_equal(stats(f, 0).used, 0);
	/* On the wire: ciaddr echoed, no option 51. */
	assert_int_equal(dhcp_reply_encode(buf, sizeof(buf), &f->res.reply,
					   f->m, &len, NULL),
			 0);
	assert_int_equal(buf[DHCP_OFF_CIADDR + 3], 100);
	for (size_t i = DHCP_OPTIONS_OFFSET; i < len && buf[i] != 255;
	     i += 2 + buf[i + 1])
		assert_int_not_equal(buf[i], DHCP_OPT_LEASE_TIME);
	/* No ciaddr and no relay: nowhere to answer. */
	q.ciaddr = 0;
	assert_int_equal(run(f, &q, T0), ENGINE_DROP);
}

/* Why q was dropped; -1 if it was not. */
static int drop_reason(struct fx *f, const struct rq *q)
{
	return run(f, q, T0) == ENGINE_DROP ? f->res.drop_reason : -1;
}

/*
 * An INFORM from an address outside the request's subnet - in no subnet
 * at all, or in one not reachable where it arrived - gets no options:
 * dropped (Kea and ISC dhcpd drop one from outside all their
 * subnets).
 */
static void test_inform_foreign_ciaddr_dropped(void **state)
{
	struct fx *f = *state;
	struct rq q = {
		.type = DHCPINFORM, .mac = 1, .ciaddr = IP(192, 168, 77, 5)};

	/* Broadcast on subnet 1's link, from an address we do not serve. */
	assert_int_equal(drop_reason(f, &q), ENGINE_DROP_WRONG_NETWORK);
	/* Unicast to us: no subnet holds ciaddr, so still the link's. */
	f->rx.unicast = true;
	assert_int_equal(drop_reason(f, &q), ENGINE_DROP_WRONG_NETWORK);
	/* Broadcast on subnet 1's link from subnet 2's addresses. */
	f->rx.unicast = false;
	q.ciaddr = IP(10, 1, 0, 50);
	assert_int_equal(drop_reason(f, &q), ENGINE_DROP_WRONG_NETWORK);
	/* Relayed from subnet 2's relay, ciaddr in subnet 1. */
	q.giaddr = IP(192, 168, 1, 1);
	q.ciaddr = IP(10, 0, 0, 100);
	assert_int_equal(drop_reason(f, &q), ENGINE_DROP_WRONG_NETWORK);
	assert_int_equal(f->res.ch.n_ops, 0);
	assert_int_equal(stats(f, 0).informs, 0);
	assert_int_equal(stats(f, 1).informs, 0);
	assert_int_equal(engine_drops(f->e, ENGINE_DROP_WRONG_NETWORK), 4);
	assert_string_equal(engine_drop_reason_name(ENGINE_DROP_WRONG_NETWORK),
			    "wrong-network");
}

/* Inside the request's subnet, relayed or not: ACKed with its options. */
static void test_inform_own_subnet_acked(void **state)
{
	struct fx *f = *state;
	struct rq q = {.type = DHCPINFORM,
		       .mac = 1,
		       .giaddr = IP(192, 168, 1, 1),
		       .ciaddr = IP(10, 1, 0, 50)};

	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.subnet_id, 2);
	/* Relayed without ciaddr: answered through the relay. */
	q.ciaddr = 0;
	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	/* Unicast from subnet 2's client, arriving on subnet 1's link. */
	q.giaddr = 0;
	q.ciaddr = IP(10, 1, 0, 50);
	f->rx.unicast = true;
	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.subnet_id, 2);
	assert_int_equal(stats(f, 1).informs, 3);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		/* a dry pool waits for the probation: no reclaim */
		cmocka_unit_test_setup_teardown(test_decline_probation,
						setup_no_reclaim, teardown),
		T(test_decline_not_owner_ignored),
		T(test_decline_of_offer_ignored),
		T(test_decline_after_release_ignored),
		T(test_release_frees_keeps_row),
		T(test_release_by_other_client_ignored),
		T(test_inform),
		T(test_inform_foreign_ciaddr_dropped),
		T(test_inform_own_subnet_acked),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
