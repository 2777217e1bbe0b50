// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The protocol engine taking a lease from the operator (lease4-add,
 * engine_lease_add.c): the address leaves the pool and the client's
 * INIT-REBOOT is ACKed; the row and the lease-map entry come out; and it
 * is refused when the address is held, excluded from the client, or the
 * client holds another address in the subnet.
 */
#include "engine_fixture.h"

static struct dx_lease_rec rec_of(uint8_t mac, uint32_t a, int64_t expires)
{
	struct dx_lease_rec r = {
		.subnet_id = 1,
		.addr = a,
		.state = DX_LEASE_ACTIVE,
		.mac = {2, 0, 0, 0, 0, mac},
		.expires = expires,
		.horizon = expires,
		.last_seen = T0,
	};

	return r;
}

static void test_lease_add_taken_and_renewed(void **state)
{
	struct fx *f = *state;
	struct engine_changes ch;
	struct dx_lease_rec r = rec_of(7, IP(10, 0, 0, 15), T0 + 600), got;
	struct rq reboot = {
		.type = DHCPREQUEST, .mac = 7, .reqip = IP(10, 0, 0, 15)};

	assert_int_equal(engine_lease_add(f->e, &r, T0, &ch), 0);
	assert_int_equal(ch.n_ops, 1);
	assert_int_equal(ch.ops[0].kind, DX_LEASE_OP_UPSERT);
	assert_int_equal(ch.ops[0].rec.addr, IP(10, 0, 0, 15));
	assert_int_equal(ch.ops[0].rec.horizon, T0 + 600);
	assert_int_equal(ch.n_map, 1);
	assert_int_equal(ch.map[0].kind, ENGINE_MAP_UPSERT);
	assert_int_equal(ch.map[0].horizon, T0 + 600);
	assert_int_equal(stats(f, 0).leases_active, 1);
	assert_int_equal(engine_lease_lookup(f->e, 1, r.addr, &got), 0);
	assert_int_equal(got.state, DX_LEASE_ACTIVE);
	/* Another client never gets it; its own INIT-REBOOT is ACKed. */
	for (uint8_t m = 20; m < 30; m++) {
		uint32_t a = discover(f, m, T0 + 1);

		assert_int_not_equal(a, IP(10, 0, 0, 15));
		if (!a)
			break;
	}
	assert_int_equal(run(f, &reboot, T0 + 2), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.reply.yiaddr, IP(10, 0, 0, 15));
}

static void test_lease_add_refusals(void **state)
{
	struct fx *f = *state;
	struct engine_changes ch;
	uint32_t held = lease(f, 1, T0);
	struct dx_lease_rec r;

	/* Held by another client, or offered to one. */
	r = rec_of(2, held, T0 + 600);
	assert_int_equal(engine_lease_add(f->e, &r, T0, &ch), -EEXIST);
	r = rec_of(2, discover(f, 3, T0), T0 + 600);
	assert_int_equal(engine_lease_add(f->e, &r, T0, &ch), -EEXIST);
	/* Another client's reservation; the reserved client may. */
	r = rec_of(2, IP(10, 0, 0, 12), T0 + 600);
	assert_int_equal(engine_lease_add(f->e, &r, T0, &ch), -EPERM);
	r = rec_of(0xa1, IP(10, 0, 0, 12), T0 + 600);
	assert_int_equal(engine_lease_add(f->e, &r, T0, &ch), 0);
	/* Outside the pool too (.200 is 02:..:a2's, .201 a client-id's). */
	r = rec_of(2, IP(10, 0, 0, 200), T0 + 600);
	assert_int_equal(engine_lease_add(f->e, &r, T0, &ch), -EPERM);
	r = rec_of(2, IP(10, 0, 0, 201), T0 + 600);
	assert_int_equal(engine_lease_add(f->e, &r, T0, &ch), -EPERM);
	r = rec_of(0xa2, IP(10, 0, 0, 200), T0 + 600);
	assert_int_equal(engine_lease_add(f->e, &r, T0, &ch), 0);
	/* A client with a lease here already. */
	r = rec_of(1, IP(10, 0, 0, 18), T0 + 600);
	assert_int_equal(engine_lease_add(f->e, &r, T0, &ch), -EBUSY);
	/* Ended, outside its subnet, no such subnet, a bad state. */
	r = rec_of(4, IP(10, 0, 0, 18), T0);
	assert_int_equal(engine_lease_add(f->e, &r, T0, &ch), -EINVAL);
	r = rec_of(4, IP(10, 9, 0, 18), T0 + 600);
	assert_int_equal(engine_lease_add(f->e, &r, T0, &ch), -EINVAL);
	r = rec_of(4, IP(10, 0, 0, 18), T0 + 600);
	r.subnet_id = 9;
	assert_int_equal(engine_lease_add(f->e, &r, T0, &ch), -ENOENT);
	r.subnet_id = 1;
	r.state = DX_LEASE_RELEASED;
	assert_int_equal(engine_lease_add(f->e, &r, T0, &ch), -EINVAL);
	assert_int_equal(ch.n_ops, 0);
	assert_int_equal(engine_lease_add(NULL, &r, T0, &ch), -EINVAL);
}

/* A released address (sticky memory only) gives way; a declined one
 * is taken into probation without a client. */
static void test_lease_add_over_sticky_and_declined(void **state)
{
	struct fx *f = *state;
	struct engine_changes ch;
	uint32_t a = lease(f, 1, T0);
	struct rq rel = {
		.type = DHCPRELEASE, .mac = 1, .ciaddr = a, .sid = SID};
	struct dx_lease_rec r, got;

	assert_int_equal(run(f, &rel, T0 + 1), ENGINE_SILENT);
	r = rec_of(5, a, T0 + 600);
	assert_int_equal(engine_lease_add(f->e, &r, T0 + 2, &ch), 0);
	assert_int_equal(engine_lease_lookup(f->e, 1, a, &got), 0);
	assert_int_equal(got.mac[5], 5);
	r = rec_of(0, IP(10, 0, 0, 19), T0 + 600);
	memset(r.mac, 0, 6);
	r.state = DX_LEASE_DECLINED;
	assert_int_equal(engine_lease_add(f->e, &r, T0 + 2, &ch), 0);
	assert_int_equal(ch.n_map, 0);
	assert_int_equal(stats(f, 0).declined, 1);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_lease_add_taken_and_renewed),
		T(test_lease_add_refusals),
		T(test_lease_add_over_sticky_and_declined),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
