// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The engine under Kea's switches (user/config/kea_behaviour.c,
 * docs/protocol.md "Kea's switches"): a SELECTING REQUEST without option
 * 50, authoritative, echo-client-id, match-client-id and
 * min-/max-valid-lifetime.
 */
#include "engine_fixture.h"

/* The fixture's configuration with Kea's keys at the Dhcp4 level. */
#define KEA_CFG(keys)                                                \
	"{\"Dhcp4\": {" keys                                         \
	" \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"      \
	" \"valid-lifetime\": 3600, \"renew-timer\": 1800,"          \
	" \"rebind-timer\": 3150,"                                   \
	" \"dhcpxdp\": {\"offer-lifetime\": 60,"                     \
	"   \"decline-probation-period\": 600, \"horizon-factor\": " \
	"2}," BASE_SUBNETS

static int setup_authoritative(void **state)
{
	*state = fx_new(KEA_CFG("\"authoritative\": true,"));
	return 0;
}

static int setup_no_echo(void **state)
{
	*state = fx_new(KEA_CFG("\"echo-client-id\": false,"));
	return 0;
}

static int setup_no_match(void **state)
{
	*state = fx_new(KEA_CFG("\"match-client-id\": false,"));
	return 0;
}

static int setup_range(void **state)
{
	*state = fx_new(KEA_CFG("\"min-valid-lifetime\": 600,"
				" \"max-valid-lifetime\": 7200,"));
	return 0;
}

/* ---- SELECTING without option 50 ---- */

static void test_selecting_without_50_acks_offer(void **state)
{
	struct fx *f = *state;
	uint32_t a = discover(f, 1, T0);
	struct rq q = {.type = DHCPREQUEST, .mac = 1, .sid = SID};

	/* §4.3.2 table 5 says 50 MUST be there; Kea ACKs the offer. */
	assert_int_equal(run(f, &q, T0 + 1), ENGINE_REPLY);
	assert_int_equal(f->res.req_state, ENGINE_REQ_SELECTING);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.reply.yiaddr, a);
	assert_int_equal(f->res.ch.ops[0].rec.state, DX_LEASE_ACTIVE);
	/* Sent again once bound: the lease. */
	assert_int_equal(run(f, &q, T0 + 2), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.reply.yiaddr, a);
}

static void test_selecting_without_50_reservation(void **state)
{
	struct fx *f = *state;
	struct rq q = {.type = DHCPREQUEST, .mac = 0xa2, .sid = SID};

	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.reply.yiaddr, IP(10, 0, 0, 200));
}

static void test_selecting_without_50_nothing_dropped(void **state)
{
	struct fx *f = *state;
	struct rq q = {.type = DHCPREQUEST, .mac = 1, .sid = SID};

	/* No offer, lease or reservation: nothing to answer about. */
	assert_int_equal(run(f, &q, T0), ENGINE_DROP);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_MALFORMED);
	assert_int_equal(stats(f, 0).used, 0);
}

/* ---- authoritative ---- */

static void test_not_authoritative_silent(void **state)
{
	struct fx *f = *state;
	struct rq q = {.type = DHCPREQUEST,
		       .mac = 1,
		       .reqip = IP(10, 0, 0, 100),
		       .sid = SID};

	/* SELECTING an address outside every pool, nobody's. */
	assert_int_equal(run(f, &q, T0), ENGINE_DROP);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_UNKNOWN_ADDRESS);
	assert_int_equal(engine_drops(f->e, ENGINE_DROP_UNKNOWN_ADDRESS), 1);
	assert_int_equal(stats(f, 0).naks, 0);
	/* INIT-REBOOT of a client without a record. */
	q.sid = 0;
	q.reqip = IP(10, 0, 0, 14);
	assert_int_equal(run(f, &q, T0), ENGINE_DROP);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_UNKNOWN_CLIENT);
	/* INIT-REBOOT of a known client for an address outside the pools. */
	lease(f, 1, T0);
	q.reqip = IP(10, 0, 0, 100);
	assert_int_equal(run(f, &q, T0 + 1), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPNAK);
}

static void test_authoritative_naks(void **state)
{
	struct fx *f = *state;
	struct rq q = {.type = DHCPREQUEST,
		       .mac = 1,
		       .reqip = IP(10, 0, 0, 100),
		       .sid = SID};

	assert_true(f->cfg->subnets[0].authoritative);
	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPNAK);
	/* INIT-REBOOT, no record of the client: NAK. */
	q.sid = 0;
	q.reqip = IP(10, 0, 0, 14);
	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPNAK);
	assert_string_equal(f->res.reply.message, "unknown client");
	q.reqip = IP(192, 168, 7, 7);
	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPNAK);
	assert_string_equal(f->res.reply.message, "wrong network");
	/* REBINDING for an address outside the pools. */
	q.reqip = 0;
	q.ciaddr = IP(10, 0, 0, 100);
	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPNAK);
	assert_int_equal(stats(f, 0).naks, 4);
	assert_int_equal(stats(f, 0).used, 0);
	/* What is known is ACKed as ever. */
	assert_int_not_equal(lease(f, 2, T0), 0);
}

/* ---- echo-client-id ---- */

static const uint8_t cid1[] = {0x01, 2, 0, 0, 0, 0, 1};
static const uint8_t cid2[] = {0x01, 2, 0, 0, 0, 0, 9};

/* 61 in the encoded reply? */
static bool reply_has_61(struct fx *f)
{
	uint8_t buf[1500];
	struct dhcp_msg *rep = malloc(sizeof(*rep));
	size_t len;
	bool has;

	assert_non_null(rep);
	assert_int_equal(dhcp_reply_encode(buf, sizeof(buf), &f->res.reply,
					   f->m, &len, NULL),
			 0);
	assert_int_equal(dhcp_decode_exact(rep, buf, len), 0);
	has = rep->client_id != NULL;
	free(rep);
	return has;
}

static void test_echo_client_id_default(void **state)
{
	struct fx *f = *state;
	struct rq q = {.type = DHCPDISCOVER,
		       .mac = 1,
		       .cid = cid1,
		       .cid_len = sizeof(cid1)};

	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_false(f->res.reply.no_client_id_echo);
	assert_true(reply_has_61(f));
}

static void test_echo_client_id_false(void **state)
{
	struct fx *f = *state;
	struct rq q = {.mac = 1, .cid = cid1, .cid_len = sizeof(cid1)};
	uint32_t a = lease_as(f, &q, T0);

	assert_true(f->res.reply.no_client_id_echo);
	assert_false(reply_has_61(f));
	/* NAKs too. */
	q = (struct rq){.type = DHCPREQUEST,
			.mac = 1,
			.cid = cid1,
			.cid_len = sizeof(cid1),
			.ciaddr = a + 1};
	assert_int_equal(run(f, &q, T0 + 1), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPNAK);
	assert_false(reply_has_61(f));
	/* The lease is still the client-id's (only the echo changes). */
	assert_int_equal(f->cfg->subnets[0].ignore_client_id, false);
}

/* ---- match-client-id ---- */

static void test_match_client_id_default(void **state)
{
	struct fx *f = *state;
	struct rq q = {.mac = 1, .cid = cid1, .cid_len = sizeof(cid1)};
	uint32_t a = lease_as(f, &q, T0);

	/* Another client-id behind the same MAC: another client. */
	q = (struct rq){.type = DHCPDISCOVER,
			.mac = 1,
			.cid = cid2,
			.cid_len = sizeof(cid2)};
	assert_int_equal(run(f, &q, T0 + 1), ENGINE_REPLY);
	assert_int_not_equal(f->res.reply.yiaddr, a);
}

static void test_match_client_id_false(void **state)
{
	struct fx *f = *state;
	struct rq q = {.mac = 1, .cid = cid1, .cid_len = sizeof(cid1)};
	uint32_t a = lease_as(f, &q, T0);

	/* The same MAC with another client-id is the same client (Kea). */
	q = (struct rq){.type = DHCPDISCOVER,
			.mac = 1,
			.cid = cid2,
			.cid_len = sizeof(cid2)};
	assert_int_equal(run(f, &q, T0 + 1), ENGINE_REPLY);
	assert_int_equal(f->res.reply.yiaddr, a);
	q = (struct rq){.type = DHCPREQUEST,
			.mac = 1,
			.cid = cid2,
			.cid_len = sizeof(cid2),
			.ciaddr = a};
	assert_int_equal(run(f, &q, T0 + 2), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.reply.yiaddr, a);
	/* The row records the client-id last sent. */
	assert_int_equal(f->res.ch.ops[0].rec.client_id_len, sizeof(cid2));
	assert_memory_equal(f->res.ch.ops[0].rec.client_id, cid2, sizeof(cid2));
	assert_int_equal(stats(f, 0).leases_active, 1);
	/* The same client-id behind another MAC is another client. */
	q.mac = 2;
	assert_int_equal(run(f, &q, T0 + 3), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPNAK);
	/* Reservations by client-id still count. */
	q = (struct rq){.type = DHCPDISCOVER,
			.mac = 7,
			.cid = (const uint8_t[]){0x01, 2, 0, 0, 0, 0, 0xa3},
			.cid_len = 7};
	assert_int_equal(run(f, &q, T0 + 4), ENGINE_REPLY);
	assert_int_equal(f->res.reply.yiaddr, IP(10, 0, 0, 201));
}

/* ---- min-/max-valid-lifetime ---- */

static void test_lease_time_ignored_by_default(void **state)
{
	struct fx *f = *state;
	struct rq q = {.type = DHCPDISCOVER, .mac = 1, .lease_time = 60};

	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.lease_time, VLT);
	assert_int_equal(f->res.reply.t1, 1800);
	assert_int_equal(f->res.reply.t2, 3150);
}

/* SELECTING for the offered address asking for lease time lt. */
static void select_with(struct fx *f, uint8_t mac, uint32_t lt, int64_t now)
{
	struct rq q = {.type = DHCPDISCOVER, .mac = mac, .lease_time = lt};

	assert_int_equal(run(f, &q, now), ENGINE_REPLY);
	q.type = DHCPREQUEST;
	q.reqip = f->res.reply.yiaddr;
	q.sid = SID;
	assert_int_equal(run(f, &q, now), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
}

static void test_lease_time_clamped(void **state)
{
	struct fx *f = *state;
	struct rq q = {.type = DHCPDISCOVER, .mac = 1, .lease_time = 100};

	assert_int_equal(f->cfg->subnets[0].min_valid_lifetime, 600);
	assert_int_equal(f->cfg->subnets[0].max_valid_lifetime, 7200);
	/* Below min: min; timers not below it are left out (Kea). */
	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.lease_time, 600);
	assert_int_equal(f->res.reply.t1, 0);
	assert_int_equal(f->res.reply.t2, 0);
	/* Within: as asked, committed and held so. */
	select_with(f, 2, 5000, T0);
	assert_int_equal(f->res.reply.lease_time, 5000);
	assert_int_equal(f->res.reply.t1, 1800);
	assert_int_equal(f->res.reply.t2, 3150);
	assert_int_equal(f->res.ch.ops[0].rec.expires, T0 + 5000);
	assert_true(f->res.ch.ops[0].rec.horizon >= T0 + 2 * 5000);
	/* Above max: max. */
	select_with(f, 3, 99999, T0);
	assert_int_equal(f->res.reply.lease_time, 7200);
	assert_int_equal(f->res.ch.ops[0].rec.expires, T0 + 7200);
	assert_true(f->res.ch.ops[0].rec.horizon >= T0 + 2 * 7200);
	/* Not asked: valid-lifetime. */
	select_with(f, 4, 0, T0);
	assert_int_equal(f->res.reply.lease_time, VLT);
	assert_int_equal(f->res.ch.ops[0].rec.expires, T0 + VLT);
	/* XDP grants valid-lifetime and does not read 51: off here. */
	assert_true(config_fast_path_off(f->cfg, &f->cfg->subnets[0]));
}

static void test_fast_path_follows_switches(void **state)
{
	struct fx *f = *state;

	/* The fixture's defaults: XDP may answer. */
	for (size_t i = 0; i < f->cfg->n_subnets; i++)
		assert_false(config_fast_path_off(f->cfg, &f->cfg->subnets[i]));
}

int main(void)
{
#define T(fn)	   cmocka_unit_test_setup_teardown(fn, setup, teardown)
#define TS(fn, su) cmocka_unit_test_setup_teardown(fn, su, teardown)
	const struct CMUnitTest tests[] = {
		T(test_selecting_without_50_acks_offer),
		T(test_selecting_without_50_reservation),
		T(test_selecting_without_50_nothing_dropped),
		T(test_not_authoritative_silent),
		TS(test_authoritative_naks, setup_authoritative),
		T(test_echo_client_id_default),
		TS(test_echo_client_id_false, setup_no_echo),
		T(test_match_client_id_default),
		TS(test_match_client_id_false, setup_no_match),
		T(test_lease_time_ignored_by_default),
		TS(test_lease_time_clamped, setup_range),
		T(test_fast_path_follows_switches),
	};
#undef T
#undef TS
	return cmocka_run_group_tests(tests, NULL, NULL);
}
