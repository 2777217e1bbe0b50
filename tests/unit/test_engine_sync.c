// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Several servers on one lease database (engine_sync.c): a grant that
 * lost its row to another server's client leaves the address to that
 * client - the retransmitted REQUEST is NAKed (RFC 2131 §4.3.2: the
 * address is not available), the next DISCOVER gets another address -
 * and rows other servers write are taken in: an offer gives way to a
 * lease granted elsewhere, a row freed elsewhere frees the address, a
 * lease granted elsewhere is renewed here within its horizon.
 */
#include "dhcpxdp/abi.h"
#include "engine_fixture.h"

/* The row another server wrote: client `mac`'s ACTIVE lease of a. */
static struct dx_lease_rec row_of(uint8_t mac, uint32_t a, int64_t now)
{
	struct dx_lease_rec r = {
		.subnet_id = 1,
		.addr = a,
		.state = DX_LEASE_ACTIVE,
		.mac = {2, 0, 0, 0, 0, mac},
		.expires = now + VLT,
		.horizon = now + 2 * VLT,
		.last_seen = now,
	};

	return r;
}

static void test_lost_race_nak_then_other_address(void **state)
{
	struct fx *f = *state;
	struct engine_changes ch;
	struct dx_lease_rec winner, got;
	uint32_t a = lease(f, 1, T0), b;

	/* Our ACK of a to client 1 lost the row: client 2 holds it. */
	winner = row_of(2, a, T0);
	assert_int_equal(engine_lease_sync(f->e, 1, a, &winner, T0, &ch), 0);
	assert_int_equal(ch.n_ops, 0);
	assert_int_equal(ch.n_map, 2);
	assert_int_equal(ch.map[0].kind, ENGINE_MAP_DELETE);
	assert_int_equal(ch.map[0].mac[5], 1);
	assert_int_equal(ch.map[1].kind, ENGINE_MAP_UPSERT);
	assert_int_equal(ch.map[1].mac[5], 2);
	assert_true(ch.map[1].flags & DX_LEASE_F_UNTRACKED);
	assert_int_equal(ch.map[1].horizon, T0 + 2 * VLT);
	assert_int_equal(engine_lease_lookup(f->e, 1, a, &got), 0);
	assert_int_equal(got.state, DX_LEASE_ACTIVE);
	assert_int_equal(got.mac[5], 2);
	assert_int_equal(stats(f, 0).leases_active, 1);
	/* Client 1 retransmits its REQUEST: not available, NAK. */
	assert_int_equal(select_addr(f, 1, a, T0 + 1), DHCPNAK);
	/* Its next DISCOVER is offered another address, which it gets. */
	b = discover(f, 1, T0 + 2);
	assert_int_not_equal(b, 0);
	assert_int_not_equal(b, a);
	assert_int_equal(select_addr(f, 1, b, T0 + 2), DHCPACK);
	/* The same row again (its notification): nothing to do. */
	assert_int_equal(engine_lease_sync(f->e, 1, a, &winner, T0 + 3, &ch),
			 -EALREADY);
	assert_int_equal(ch.n_map, 0);
}

static void test_offer_gives_way_to_foreign_lease(void **state)
{
	struct fx *f = *state;
	struct engine_changes ch;
	struct dx_lease_rec r;
	uint32_t a = discover(f, 1, T0);

	r = row_of(2, a, T0);
	assert_int_equal(engine_lease_sync(f->e, 1, a, &r, T0, &ch), 0);
	assert_int_equal(select_addr(f, 1, a, T0 + 1), DHCPNAK);
	/* A free row leaves a held offer alone. */
	a = discover(f, 3, T0 + 2);
	r = row_of(4, a, T0);
	r.state = DX_LEASE_EXPIRED;
	assert_int_equal(engine_lease_sync(f->e, 1, a, &r, T0 + 2, &ch),
			 -EALREADY);
	assert_int_equal(select_addr(f, 3, a, T0 + 3), DHCPACK);
}

static void test_freed_elsewhere_frees_here(void **state)
{
	struct fx *f = *state;
	struct engine_changes ch;
	struct dx_lease_rec r = row_of(2, IP(10, 0, 0, 15), T0);
	uint64_t used;

	assert_int_equal(engine_lease_sync(f->e, 1, r.addr, &r, T0, &ch), 0);
	used = stats(f, 0).used;
	/* Another client may not have it meanwhile. */
	assert_int_equal(select_addr(f, 5, r.addr, T0 + 1), DHCPNAK);
	r.state = DX_LEASE_RELEASED;
	assert_int_equal(engine_lease_sync(f->e, 1, r.addr, &r, T0 + 2, &ch),
			 0);
	assert_int_equal(ch.n_map, 1);
	assert_int_equal(ch.map[0].kind, ENGINE_MAP_DELETE);
	assert_int_equal(stats(f, 0).used, used - 1);
	assert_int_equal(stats(f, 0).leases_active, 0);
	/* Released elsewhere: free for client 5 here. */
	assert_int_equal(select_addr(f, 5, r.addr, T0 + 3), DHCPACK);
	/* Row deleted elsewhere (no row): the entry goes. */
	r = row_of(6, IP(10, 0, 0, 16), T0);
	assert_int_equal(engine_lease_sync(f->e, 1, r.addr, &r, T0, &ch), 0);
	assert_int_equal(engine_lease_sync(f->e, 1, r.addr, NULL, T0, &ch), 0);
	assert_int_equal(engine_lease_lookup(f->e, 1, r.addr, &r), -ENOENT);
	assert_int_equal(engine_lease_sync(f->e, 1, r.addr, NULL, T0, &ch),
			 -EALREADY);
}

/* Granted elsewhere: this server's XDP renews it (the note), and its
 * daemon extends the horizon as for its own leases. */
static void test_foreign_lease_renewed_here(void **state)
{
	struct fx *f = *state;
	struct engine_changes ch;
	struct dx_lease_rec r = row_of(2, IP(10, 0, 0, 15), T0);
	struct rq renew = {.type = DHCPREQUEST, .mac = 2, .ciaddr = r.addr};

	assert_int_equal(engine_lease_sync(f->e, 1, r.addr, &r, T0, &ch), 0);
	assert_int_equal(engine_note_renewal(f->e, 1, r.mac, r.addr, T0 + VLT,
					     T0 + 2 * VLT, &ch),
			 0);
	assert_int_equal(ch.n_ops, 1);
	assert_int_equal(ch.ops[0].rec.horizon, T0 + 3 * VLT);
	assert_int_equal(run(f, &renew, T0 + VLT + 1), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.reply.yiaddr, r.addr);
}

static void test_sync_refusals(void **state)
{
	struct fx *f = *state;
	struct engine_changes ch;
	struct dx_lease_rec r = row_of(2, IP(10, 0, 0, 15), T0);

	assert_int_equal(engine_lease_sync(f->e, 9, r.addr, NULL, T0, &ch),
			 -ENOENT);
	assert_int_equal(engine_lease_sync(f->e, 1, r.addr + 1, &r, T0, &ch),
			 -EINVAL);
	assert_int_equal(
		engine_lease_sync(f->e, 1, IP(10, 9, 0, 1), NULL, T0, &ch),
		-EINVAL);
	assert_int_equal(engine_lease_sync(NULL, 1, r.addr, &r, T0, &ch),
			 -EINVAL);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_lost_race_nak_then_other_address),
		T(test_offer_gives_way_to_foreign_lease),
		T(test_freed_elsewhere_frees_here),
		T(test_foreign_lease_renewed_here),
		T(test_sync_refusals),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
