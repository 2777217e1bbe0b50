// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The client behind a request (RFC 2131 §4.2, engine_client.c): client-id
 * before chaddr, reservations by client-id, client-ids longer than a lease
 * row holds, and the client-id hash the lease map carries for XDP.
 */
#include "engine_fixture.h"

static const uint8_t cid_a3[] = {0x01, 0x02, 0, 0, 0, 0, 0xa3};

static void test_reservation_by_client_id(void **state)
{
	struct fx *f = *state;
	struct rq q = {.type = DHCPDISCOVER,
		       .mac = 0x55,
		       .cid = cid_a3,
		       .cid_len = sizeof(cid_a3)};

	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.yiaddr, IP(10, 0, 0, 201));
	q.type = DHCPREQUEST;
	q.reqip = IP(10, 0, 0, 201);
	q.sid = SID;
	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.reply.yiaddr, IP(10, 0, 0, 201));
	/* The same MAC without that client-id is another client. */
	assert_int_equal(discover(f, 0x55, T0), IP(10, 0, 0, 10));
}

static void test_client_id_identifies_client(void **state)
{
	struct fx *f = *state;
	static const uint8_t cid[] = {0xff, 1, 2, 3, 4};
	struct rq q = {.mac = 1, .cid = cid, .cid_len = sizeof(cid)};
	uint32_t a = lease_as(f, &q, T0);

	/* Same client-id from another NIC: the same lease. */
	q = (struct rq){.type = DHCPREQUEST,
			.mac = 2,
			.cid = cid,
			.cid_len = sizeof(cid),
			.ciaddr = a};
	run(f, &q, T0 + 1);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.ch.ops[f->res.ch.n_ops - 1].rec.mac[5], 2);
	/* Same MAC, another client-id: another client. */
	static const uint8_t cid2[] = {0xff, 9, 9, 9, 9};
	q = (struct rq){.type = DHCPDISCOVER,
			.mac = 2,
			.cid = cid2,
			.cid_len = sizeof(cid2)};
	run(f, &q, T0 + 2);
	assert_int_not_equal(f->res.reply.yiaddr, a);
}

static void test_long_client_id_keyed_on_255_bytes(void **state)
{
	struct fx *f = *state;
	static uint8_t cid[255];
	struct rq q = {.type = DHCPREQUEST,
		       .mac = 1,
		       .cid = cid,
		       .cid_len = sizeof(cid),
		       .reqip = IP(10, 0, 0, 11),
		       .sid = SID};

	memset(cid, 0x5a, sizeof(cid));
	build(f, &q);
	/* As if RFC 3396 had concatenated 300 bytes. */
	f->m->client_id_len = 300;
	assert_int_equal(engine_handle(f->e, f->m, &f->rx, T0, &f->res), 0);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.ch.ops[0].rec.client_id_len, 255);
	/* The same client, renewing. */
	q = (struct rq){.type = DHCPREQUEST,
			.mac = 1,
			.cid = cid,
			.cid_len = sizeof(cid),
			.ciaddr = IP(10, 0, 0, 11)};
	build(f, &q);
	f->m->client_id_len = 300;
	assert_int_equal(engine_handle(f->e, f->m, &f->rx, T0, &f->res), 0);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
}

/* The lease map's client-id hash: FNV-1a 64, 0 for a lease without one. */
static void test_client_id_hash_is_fnv1a(void **state)
{
	struct fx *f = *state;
	struct dx_lease_rec rec = {.subnet_id = 1,
				   .addr = IP(10, 0, 0, 15),
				   .mac = {2, 0, 0, 0, 0, 7},
				   .state = DX_LEASE_ACTIVE,
				   .client_id_len = 1,
				   .client_id = {'a'},
				   .expires = T0 + 100,
				   .horizon = T0 + 500};
	struct engine_map_op m;

	assert_int_equal(engine_load_lease(f->e, &rec, T0, &m), 0);
	assert_int_equal(m.kind, ENGINE_MAP_UPSERT);
	/* FNV-1a 64 of "a" (reference value). */
	assert_true(m.client_id_hash == 0xaf63dc4c8601ec8cULL);
	rec.addr = IP(10, 0, 0, 16);
	rec.mac[5] = 8;
	rec.client_id_len = 0;
	assert_int_equal(engine_load_lease(f->e, &rec, T0, &m), 0);
	assert_int_equal(m.kind, ENGINE_MAP_UPSERT);
	assert_true(m.client_id_hash == 0);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_reservation_by_client_id),
		T(test_client_id_identifies_client),
		T(test_long_client_id_keyed_on_255_bytes),
		T(test_client_id_hash_is_fnv1a),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
