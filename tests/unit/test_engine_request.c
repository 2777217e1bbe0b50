// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The protocol engine's DHCPREQUEST (RFC 2131 §4.3.2, engine_request.c) in
 * each of its states - SELECTING, INIT-REBOOT, RENEWING / REBINDING: when
 * it ACKs, NAKs or stays silent, and the lease rows and lease-map changes
 * an ACK commits.
 */
#include "engine_fixture.h"

/* ---- SELECTING ---- */

static void test_selecting_ack_commits_lease(void **state)
{
	struct fx *f = *state;
	static const uint8_t cid[] = {0x01, 2, 0, 0, 0, 0, 1};
	struct rq q = {.type = DHCPDISCOVER,
		       .mac = 1,
		       .cid = cid,
		       .cid_len = sizeof(cid),
		       .host = "box"};
	const struct dx_lease_rec *rec;
	const struct engine_map_op *m;
	uint64_t cid_hash = DX_FNV64_OFFSET; /* as XDP hashes option 61 */
	uint32_t a;

	for (size_t i = 0; i < sizeof(cid); i++)
		cid_hash = dx_fnv64_step(cid_hash, cid[i]);
	run(f, &q, T0);
	a = f->res.reply.yiaddr;
	q.type = DHCPREQUEST;
	q.reqip = a;
	q.sid = SID;
	assert_int_equal(run(f, &q, T0 + 1), ENGINE_REPLY);
	assert_int_equal(f->res.req_state, ENGINE_REQ_SELECTING);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.reply.yiaddr, a);
	assert_int_equal(f->res.reply.lease_time, VLT);
	assert_int_equal(f->res.ch.n_ops, 1);
	assert_int_equal(f->res.ch.ops[0].kind, DX_LEASE_OP_UPSERT);
	rec = &f->res.ch.ops[0].rec;
	assert_int_equal(rec->subnet_id, 1);
	assert_int_equal(rec->addr, a);
	assert_int_equal(rec->state, DX_LEASE_ACTIVE);
	assert_int_equal(rec->mac[5], 1);
	assert_int_equal(rec->client_id_len, sizeof(cid));
	assert_memory_equal(rec->client_id, cid, sizeof(cid));
	assert_string_equal(rec->hostname, "box");
	assert_int_equal(rec->expires, T0 + 1 + VLT);
	assert_int_equal(rec->horizon, T0 + 1 + 2 * VLT);
	assert_int_equal(rec->last_seen, T0 + 1);
	assert_int_equal(f->res.ch.n_map, 1);
	m = &f->res.ch.map[0];
	assert_int_equal(m->kind, ENGINE_MAP_UPSERT);
	assert_int_equal(m->subnet_id, 1);
	assert_int_equal(m->mac[5], 1);
	assert_int_equal(m->addr, a);
	assert_int_equal(m->flags, DX_LEASE_F_DYNAMIC);
	assert_int_equal(m->horizon, T0 + 1 + 2 * VLT);
	assert_int_equal(m->client_id_hash, cid_hash);
	assert_int_not_equal(m->client_id_hash, 0);
	assert_int_equal(stats(f, 0).acks, 1);
	assert_int_equal(stats(f, 0).leases_active, 1);
}

static void test_selecting_other_server_silent(void **state)
{
	struct fx *f = *state;
	uint32_t a = discover(f, 1, T0);
	struct rq q = {.type = DHCPREQUEST,
		       .mac = 1,
		       .reqip = a,
		       .sid = IP(10, 0, 0, 2)};

	assert_int_equal(run(f, &q, T0 + 1), ENGINE_DROP);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_NOT_FOR_US);
	assert_int_equal(f->res.ch.n_ops, 0);
	/* §3.1 step 4: that was a decline of our offer; the hold is gone. */
	assert_int_equal(stats(f, 0).used, 0);
	assert_int_equal(engine_drops(f->e, ENGINE_DROP_NOT_FOR_US), 1);
}

static void test_selecting_address_of_other_nak(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);

	assert_int_equal(select_addr(f, 2, a, T0), DHCPNAK);
	assert_int_equal(f->res.reply.yiaddr, 0);
	assert_int_equal(f->res.ch.n_ops, 0);
	assert_non_null(f->res.reply.message);
	assert_int_equal(stats(f, 0).naks, 1);
}

static void test_selecting_without_offer_free_address(void **state)
{
	struct fx *f = *state;

	/* After a daemon restart the offer is gone; a free pool address
	 * is still granted. */
	assert_int_equal(select_addr(f, 1, IP(10, 0, 0, 18), T0), DHCPACK);
	assert_int_equal(f->res.reply.yiaddr, IP(10, 0, 0, 18));
}

/* ---- INIT-REBOOT ---- */

static void test_init_reboot_ack(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	struct rq q = {.type = DHCPREQUEST, .mac = 1, .reqip = a};

	assert_int_equal(run(f, &q, T0 + 100), ENGINE_REPLY);
	assert_int_equal(f->res.req_state, ENGINE_REQ_INIT_REBOOT);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.reply.yiaddr, a);
	assert_int_equal(f->res.ch.ops[0].rec.expires, T0 + 100 + VLT);
}

static void test_init_reboot_wrong_network_nak(void **state)
{
	struct fx *f = *state;
	struct rq q = {
		.type = DHCPREQUEST, .mac = 1, .reqip = IP(192, 168, 7, 7)};

	/* A client we never saw: no record, silence (§4.3.2), as Kea
	 * when not authoritative (test_engine_kea.c). */
	assert_int_equal(run(f, &q, T0), ENGINE_DROP);
	assert_int_equal(f->res.req_state, ENGINE_REQ_INIT_REBOOT);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_UNKNOWN_CLIENT);
	/* A client we know, moved to another network: NAK. */
	lease(f, 1, T0);
	assert_int_equal(run(f, &q, T0 + 1), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPNAK);
	assert_string_equal(f->res.reply.message, "wrong network");
}

static void test_init_reboot_unknown_client_silent(void **state)
{
	struct fx *f = *state;
	struct rq q = {
		.type = DHCPREQUEST, .mac = 1, .reqip = IP(10, 0, 0, 14)};

	assert_int_equal(run(f, &q, T0), ENGINE_DROP);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_UNKNOWN_CLIENT);
	assert_int_equal(stats(f, 0).used, 0);
}

static void test_init_reboot_known_client_free_address_ack(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	struct rq q = {.type = DHCPRELEASE, .mac = 1, .ciaddr = a};

	/* A RELEASED row is a record of the client (its sticky address). */
	run(f, &q, T0);
	q = (struct rq){.type = DHCPREQUEST, .mac = 1, .reqip = a};
	assert_int_equal(run(f, &q, T0 + 10), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.ch.ops[0].rec.state, DX_LEASE_ACTIVE);
	assert_int_equal(stats(f, 0).leases_active, 1);
}

static void test_init_reboot_other_address_nak(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	struct rq q = {.type = DHCPREQUEST,
		       .mac = 1,
		       .reqip = a == IP(10, 0, 0, 15) ? IP(10, 0, 0, 16)
						      : IP(10, 0, 0, 15)};

	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPNAK);
	/* Its lease is untouched. */
	assert_int_equal(stats(f, 0).leases_active, 1);
}

static void test_init_reboot_reservation_ack(void **state)
{
	struct fx *f = *state;
	struct rq q = {
		.type = DHCPREQUEST, .mac = 0xa2, .reqip = IP(10, 0, 0, 200)};

	/* A reservation is a record (no lease needed). */
	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.reply.yiaddr, IP(10, 0, 0, 200));
	/* Reservations are not persisted: the config is the truth. */
	assert_int_equal(f->res.ch.n_ops, 0);
	/* Its reservation only. */
	q.reqip = IP(10, 0, 0, 15);
	run(f, &q, T0);
	assert_int_equal(f->res.reply.msg_type, DHCPNAK);
}

/* ---- RENEWING / REBINDING ---- */

static void test_renewing_ack_extends(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	struct rq q = {.type = DHCPREQUEST, .mac = 1, .ciaddr = a};
	int64_t t = T0 + VLT / 2;

	assert_int_equal(run(f, &q, t), ENGINE_REPLY);
	assert_int_equal(f->res.req_state, ENGINE_REQ_RENEWING);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.reply.yiaddr, a);
	assert_int_equal(f->res.ch.n_ops, 1);
	assert_int_equal(f->res.ch.ops[0].rec.expires, t + VLT);
	assert_int_equal(f->res.ch.ops[0].rec.horizon, t + 2 * VLT);
	assert_int_equal(f->res.ch.map[0].horizon, t + 2 * VLT);
	assert_int_equal(stats(f, 0).leases_active, 1);
	assert_int_equal(stats(f, 0).used, 1);
}

static void test_renewing_others_address_nak(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	struct rq q = {.type = DHCPREQUEST, .mac = 2, .ciaddr = a};

	assert_int_equal(run(f, &q, T0 + 10), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPNAK);
	/* Client 1's lease is untouched. */
	q.mac = 1;
	run(f, &q, T0 + 11);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
}

static void test_renewing_wrong_address_of_own_nak(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	struct rq q = {.type = DHCPREQUEST, .mac = 1, .ciaddr = a + 5};

	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPNAK);
}

static void test_rebinding_lost_lease_free_address_ack(void **state)
{
	struct fx *f = *state;
	struct rq q = {
		.type = DHCPREQUEST, .mac = 1, .ciaddr = IP(10, 0, 0, 17)};

	/* Unknown lease, address free in the pool: granted (as Kea). */
	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.ch.ops[0].rec.addr, IP(10, 0, 0, 17));
	/* Not in a pool, nobody's: not ours to refuse, silence (Kea, not
	 * authoritative; NAK when authoritative, test_engine_kea.c). */
	q.mac = 2;
	q.ciaddr = IP(10, 0, 0, 100);
	assert_int_equal(run(f, &q, T0), ENGINE_DROP);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_UNKNOWN_ADDRESS);
	/* Reserved for another client: NAK. */
	q.ciaddr = IP(10, 0, 0, 200);
	run(f, &q, T0);
	assert_int_equal(f->res.reply.msg_type, DHCPNAK);
}

static void test_renewing_wrong_network_nak(void **state)
{
	struct fx *f = *state;
	struct rq q = {
		.type = DHCPREQUEST, .mac = 1, .ciaddr = IP(10, 2, 0, 15)};

	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPNAK);
	assert_string_equal(f->res.reply.message, "wrong network");
}

static void test_request_without_address_dropped(void **state)
{
	struct fx *f = *state;
	struct rq q = {.type = DHCPREQUEST, .mac = 1};

	assert_int_equal(run(f, &q, T0), ENGINE_DROP);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_MALFORMED);
}

static void test_ack_to_new_address_ends_old_lease(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	uint32_t b = IP(10, 0, 0, 19);

	/* SELECTING another (free) address: granted, old lease ends. */
	assert_int_equal(select_addr(f, 1, b, T0 + 1), DHCPACK);
	assert_int_equal(f->res.ch.n_ops, 2);
	assert_int_equal(f->res.ch.ops[0].rec.addr, a);
	assert_int_equal(f->res.ch.ops[0].rec.state, DX_LEASE_EXPIRED);
	assert_int_equal(f->res.ch.ops[1].rec.addr, b);
	assert_int_equal(f->res.ch.ops[1].rec.state, DX_LEASE_ACTIVE);
	/* Map: the conditional delete of the old, then the new. */
	assert_int_equal(f->res.ch.map[0].kind, ENGINE_MAP_DELETE);
	assert_int_equal(f->res.ch.map[1].kind, ENGINE_MAP_UPSERT);
	assert_int_equal(stats(f, 0).used, 1);
	assert_int_equal(stats(f, 0).leases_active, 1);
}

/* ---- an address changing hands ---- */

/* The ACTIVE row of `a` among the ACK's lease changes. */
static const struct dx_lease_rec *granted_row(struct fx *f, uint32_t a)
{
	for (size_t i = 0; i < f->res.ch.n_ops; i++) {
		const struct dx_lease_op *op = &f->res.ch.ops[i];

		if (op->kind == DX_LEASE_OP_UPSERT && op->rec.addr == a &&
		    op->rec.state == DX_LEASE_ACTIVE)
			return &op->rec;
	}
	fail_msg("no ACTIVE row for the address");
	return NULL;
}

/*
 * A released address offered and ACKed to another client: the row is
 * the new client's alone - no host name of the previous holder (it sent
 * none), no client-id (it sent none), no flags.
 */
static void test_released_address_new_holder_row(void **state)
{
	struct fx *f = *state;
	static const uint8_t cid[] = {0x01, 2, 0, 0, 0, 0, 1};
	static const uint8_t mac1[6] = {2, 0, 0, 0, 0, 1};
	struct rq q = {
		.mac = 1, .cid = cid, .cid_len = sizeof(cid), .host = "alpha"};
	struct engine_changes ch;
	struct dx_lease_rec rec;
	const struct dx_lease_rec *row;
	uint32_t a = lease_as(f, &q, T0);

	assert_string_equal(granted_row(f, a)->hostname, "alpha");
	/* XDP renewed it once: the row carries the fast-path flag. */
	assert_int_equal(engine_note_renewal(f->e, 1, mac1, a, T0 + 10,
					     T0 + 10 + VLT, &ch),
			 0);
	assert_true(ch.ops[0].rec.flags & DX_LEASE_F_FASTPATH);
	q.type = DHCPRELEASE;
	q.ciaddr = a;
	q.reqip = q.sid = 0;
	assert_int_equal(run(f, &q, T0 + 20), ENGINE_SILENT);
	/* Client 2 asks for the (free) address: offered, then ACKed. */
	q = (struct rq){.type = DHCPDISCOVER, .mac = 2, .reqip = a};
	run(f, &q, T0 + 30);
	assert_int_equal(f->res.reply.yiaddr, a);
	assert_int_equal(engine_lease_lookup(f->e, 1, a, &rec), 0);
	assert_int_equal(rec.mac[5], 2);
	assert_string_equal(rec.hostname, "");
	assert_int_equal(rec.client_id_len, 0);
	assert_int_equal(select_addr(f, 2, a, T0 + 31), DHCPACK);
	row = granted_row(f, a);
	assert_int_equal(row->mac[5], 2);
	assert_string_equal(row->hostname, "");
	assert_int_equal(row->client_id_len, 0);
	assert_int_equal(row->flags, 0);
}

/* An expired lease's address taken by a client that names itself: its
 * own host name, not the previous holder's. */
static void test_expired_address_new_holder_hostname(void **state)
{
	struct fx *f = *state;
	struct rq q = {.mac = 1, .host = "alpha"};
	uint32_t a = lease_as(f, &q, T0);

	assert_int_equal(expire(f, T0 + 3 * VLT, NULL, NULL, NULL, NULL), 1);
	/* REBINDING with the address, which is free: granted (Kea). */
	q = (struct rq){
		.type = DHCPREQUEST, .mac = 2, .ciaddr = a, .host = "beta"};
	assert_int_equal(run(f, &q, T0 + 3 * VLT + 1), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(granted_row(f, a)->mac[5], 2);
	assert_string_equal(granted_row(f, a)->hostname, "beta");
	/* And without option 12: none at all. */
	q = (struct rq){.type = DHCPRELEASE, .mac = 2, .ciaddr = a};
	assert_int_equal(run(f, &q, T0 + 3 * VLT + 2), ENGINE_SILENT);
	q = (struct rq){.type = DHCPREQUEST, .mac = 3, .ciaddr = a};
	assert_int_equal(run(f, &q, T0 + 3 * VLT + 3), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(granted_row(f, a)->mac[5], 3);
	assert_string_equal(granted_row(f, a)->hostname, "");
}

/* The same client keeps its host name when a later request has none. */
static void test_same_client_keeps_hostname(void **state)
{
	struct fx *f = *state;
	struct rq q = {.mac = 1, .host = "alpha"};
	uint32_t a = lease_as(f, &q, T0);

	q = (struct rq){.type = DHCPREQUEST, .mac = 1, .ciaddr = a};
	assert_int_equal(run(f, &q, T0 + VLT / 2), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_string_equal(granted_row(f, a)->hostname, "alpha");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_selecting_ack_commits_lease),
		T(test_selecting_other_server_silent),
		T(test_selecting_address_of_other_nak),
		T(test_selecting_without_offer_free_address),
		T(test_init_reboot_ack),
		T(test_init_reboot_wrong_network_nak),
		T(test_init_reboot_unknown_client_silent),
		T(test_init_reboot_known_client_free_address_ack),
		T(test_init_reboot_other_address_nak),
		T(test_init_reboot_reservation_ack),
		T(test_renewing_ack_extends),
		T(test_renewing_others_address_nak),
		T(test_renewing_wrong_address_of_own_nak),
		T(test_rebinding_lost_lease_free_address_ack),
		T(test_renewing_wrong_network_nak),
		T(test_request_without_address_dropped),
		T(test_ack_to_new_address_ends_old_lease),
		T(test_released_address_new_holder_row),
		T(test_expired_address_new_holder_hostname),
		T(test_same_client_keeps_hostname),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
