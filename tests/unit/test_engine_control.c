// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The protocol engine's control operations (engine_control.c): lease4-del
 * of a lease in each state and what it leaves behind in the pools, the
 * lease map and the client's sticky memory; a client's row by chaddr.
 */
#include "engine_fixture.h"

/* lease4-del of an ACTIVE lease: row and map entry deleted, the address
 * free at once (horizon not waited for), another client gets it. */
static void test_lease_delete_frees_at_once(void **state)
{
	struct fx *f = *state;
	struct engine_changes ch;
	struct dx_lease_rec rec;
	uint32_t a = lease(f, 1, T0);

	assert_int_equal(stats(f, 0).leases_active, 1);
	assert_int_equal(engine_lease_delete(f->e, 1, a, &ch), 0);
	assert_int_equal(ch.n_ops, 1);
	assert_int_equal(ch.ops[0].kind, DX_LEASE_OP_DELETE);
	assert_int_equal(ch.ops[0].rec.subnet_id, 1);
	assert_int_equal(ch.ops[0].rec.addr, a);
	assert_int_equal(ch.n_map, 1);
	assert_int_equal(ch.map[0].kind, ENGINE_MAP_DELETE);
	assert_int_equal(ch.map[0].addr, a);
	assert_int_equal(ch.map[0].mac[5], 1);
	assert_int_equal(stats(f, 0).leases_active, 0);
	assert_int_equal(engine_lease_lookup(f->e, 1, a, &rec), -ENOENT);
	/* Well within the horizon, someone else may have it now. */
	assert_int_equal(select_addr(f, 2, a, T0 + 1), DHCPACK);
	assert_int_equal(f->res.reply.yiaddr, a);
	/* Nothing pending for the deleted one. */
	assert_int_equal(engine_lease_delete(f->e, 1, IP(10, 0, 0, 99), &ch),
			 -ENOENT);
	assert_int_equal(ch.n_ops, 0);
}

/* The deleted client is not remembered (no sticky row): after another
 * client took the next address, its DISCOVER gets a fresh one. */
static void test_lease_delete_forgets_sticky(void **state)
{
	struct fx *f = *state;
	struct engine_changes ch;
	uint32_t a = lease(f, 1, T0);
	struct rq rel = {
		.type = DHCPRELEASE, .mac = 1, .ciaddr = a, .sid = SID};
	struct dx_lease_rec rec;

	assert_int_equal(run(f, &rel, T0 + 1), ENGINE_SILENT);
	assert_int_equal(engine_lease_lookup(f->e, 1, a, &rec), 0);
	assert_int_equal(rec.state, DX_LEASE_RELEASED);
	assert_int_equal(engine_lease_delete(f->e, 1, a, &ch), 0);
	assert_int_equal(ch.n_ops, 1);
	assert_int_equal(ch.n_map, 0); /* no map entry for a released lease */
	assert_int_equal(engine_lease_lookup(f->e, 1, a, &rec), -ENOENT);
}

/* A declined address leaves probation when its row is deleted. */
static void test_lease_delete_declined_back_to_pool(void **state)
{
	struct fx *f = *state;
	struct engine_changes ch;
	uint32_t a = lease(f, 1, T0);
	struct rq dec = {.type = DHCPDECLINE, .mac = 1, .reqip = a, .sid = SID};

	assert_int_equal(run(f, &dec, T0 + 1), ENGINE_SILENT);
	assert_int_equal(stats(f, 0).declined, 1);
	assert_int_equal(engine_lease_delete(f->e, 1, a, &ch), 0);
	assert_int_equal(ch.n_ops, 1);
	assert_int_equal(ch.n_map, 0);
	assert_int_equal(stats(f, 0).declined, 0);
	assert_int_equal(select_addr(f, 3, a, T0 + 2), DHCPACK);
}

/* A held offer has no row: nothing to delete, the hold stays. */
static void test_lease_delete_offer_only(void **state)
{
	struct fx *f = *state;
	struct engine_changes ch;
	struct dx_lease_rec rec;
	uint32_t a = discover(f, 1, T0);

	assert_int_equal(engine_lease_delete(f->e, 1, a, &ch), -ENOENT);
	assert_int_equal(engine_lease_lookup(f->e, 1, a, &rec), 0);
	assert_int_equal(rec.state, 0x80);
	assert_int_equal(engine_lease_delete(NULL, 1, a, &ch), -EINVAL);
	assert_int_equal(engine_lease_delete(f->e, 1, a, NULL), -EINVAL);
}

/* lease4-get by hw-address: the client's persisted row, a released one
 * too (its sticky address); a held offer has none. */
static void test_lease_by_mac(void **state)
{
	struct fx *f = *state;
	struct dx_lease_rec rec, held;
	uint32_t a = lease(f, 1, T0), b = discover(f, 2, T0), got = 0;
	struct rq rel = {
		.type = DHCPRELEASE, .mac = 1, .ciaddr = a, .sid = SID};
	uint8_t other[6];

	assert_int_equal(engine_lease_lookup(f->e, 1, a, &rec), 0);
	assert_int_equal(engine_lease_by_mac(f->e, 1, rec.mac, &got), 0);
	assert_int_equal(got, a);
	assert_int_equal(run(f, &rel, T0 + 1), ENGINE_SILENT);
	got = 0;
	assert_int_equal(engine_lease_by_mac(f->e, 1, rec.mac, &got), 0);
	assert_int_equal(got, a);
	/* Another subnet, another MAC, an offer only: none. */
	assert_int_equal(engine_lease_by_mac(f->e, 2, rec.mac, &got), -ENOENT);
	memcpy(other, rec.mac, 6);
	other[5] ^= 0x40;
	assert_int_equal(engine_lease_by_mac(f->e, 1, other, &got), -ENOENT);
	assert_int_equal(engine_lease_lookup(f->e, 1, b, &held), 0);
	assert_int_equal(engine_lease_by_mac(f->e, 1, held.mac, &got), -ENOENT);
	assert_int_equal(engine_lease_by_mac(NULL, 1, rec.mac, &got), -EINVAL);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_lease_delete_frees_at_once),
		T(test_lease_delete_forgets_sticky),
		T(test_lease_delete_declined_back_to_pool),
		T(test_lease_delete_offer_only),
		T(test_lease_by_mac),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
