// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Which requests the protocol engine takes up, and for which subnet
 * (engine_handle.c, engine_subnet.c, docs/design.md §1): bad arguments,
 * messages it does not serve, relays by address and by prefix (RFC 2131
 * §4.3.1 giaddr), unicast renewals from behind a relay, and nothing from
 * a network we do not serve (an unserved VLAN), whatever giaddr or ciaddr
 * say.
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

/* ---- a network we do not serve (docs/design.md §1) ---- */

/* The daemon's engine_rx for a frame tagged with a VLAN it does not
 * serve (slowpath.c): no subnet of its own, not served. */
static void arrive_unserved(struct fx *f, bool unicast)
{
	f->rx.served = false;
	f->rx.direct_subnet_id = 0;
	f->rx.unicast = unicast;
}

/* Dropped as having no subnet, with no change to commit or map. */
static void assert_dropped_unchanged(struct fx *f, const struct rq *q,
				     int64_t now)
{
	assert_int_equal(run(f, q, now), ENGINE_DROP);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_NO_SUBNET);
	assert_int_equal(f->res.subnet_id, 0);
	assert_int_equal(f->res.ch.n_ops, 0);
	assert_int_equal(f->res.ch.n_map, 0);
}

static void test_unserved_unicast_renewing_free_addr_dropped(void **state)
{
	struct fx *f = *state;
	struct dx_lease_rec rec;
	/* RENEWING from a MAC we never saw, ciaddr a free address of
	 * subnet 1's pool: before, granted from subnet 1 and ACKed out on
	 * the foreign VLAN. */
	struct rq q = {
		.type = DHCPREQUEST, .mac = 9, .ciaddr = IP(10, 0, 0, 15)};

	arrive_unserved(f, true);
	assert_dropped_unchanged(f, &q, T0);
	assert_int_equal(engine_drops(f->e, ENGINE_DROP_NO_SUBNET), 1);
	assert_int_equal(engine_lease_lookup(f->e, 1, IP(10, 0, 0, 15), &rec),
			 -ENOENT);
	/* Broadcast (REBINDING), RELEASE and INFORM by ciaddr alike. */
	arrive_unserved(f, false);
	assert_dropped_unchanged(f, &q, T0);
	f->rx.unicast = true;
	q.type = DHCPINFORM;
	assert_dropped_unchanged(f, &q, T0);
	assert_int_equal(engine_drops(f->e, ENGINE_DROP_NO_SUBNET), 3);
}

static void test_unserved_renewing_of_a_lease_dropped(void **state)
{
	struct fx *f = *state;
	struct rq q = {.mac = 1};
	uint32_t a = lease_as(f, &q, T0);
	struct dx_lease_rec rec;

	/* The lease's own client, on the wrong network: not renewed, not
	 * released, not NAKed. */
	q = (struct rq){.type = DHCPREQUEST, .mac = 1, .ciaddr = a};
	arrive_unserved(f, true);
	assert_dropped_unchanged(f, &q, T0 + 1800);
	q.type = DHCPRELEASE;
	assert_dropped_unchanged(f, &q, T0 + 1800);
	assert_int_equal(engine_lease_lookup(f->e, 1, a, &rec), 0);
	assert_int_equal(rec.state, DX_LEASE_ACTIVE);
	assert_int_equal(rec.expires, T0 + VLT);
	assert_int_equal(stats(f, 0).releases, 0);
}

static void test_unserved_relayed_dropped(void **state)
{
	struct fx *f = *state;
	struct rq q = {.mac = 1, .giaddr = IP(192, 168, 1, 1)};
	uint32_t a;

	/* XDP passes it up (punt_no_network): a relay on a network we do
	 * not listen on is not heard, as Kea does not receive there. */
	arrive_unserved(f, false);
	q.type = DHCPDISCOVER;
	assert_dropped_unchanged(f, &q, T0);
	q.giaddr = IP(10, 2, 0, 1); /* a relay chosen by prefix */
	assert_dropped_unchanged(f, &q, T0);
	/* Nor the client of a lease granted through that relay. */
	f->rx.served = true;
	f->rx.direct_subnet_id = 1;
	q.giaddr = IP(192, 168, 1, 1);
	a = lease_as(f, &q, T0);
	arrive_unserved(f, false);
	q = (struct rq){.type = DHCPREQUEST,
			.mac = 1,
			.ciaddr = a,
			.giaddr = IP(192, 168, 1, 1)};
	assert_dropped_unchanged(f, &q, T0 + 1800);
	assert_int_equal(stats(f, 1).acks, 1);
}

static void test_relay_only_network_renewal_by_ciaddr(void **state)
{
	struct fx *f = *state;
	struct rq q = {.mac = 1, .giaddr = IP(192, 168, 1, 1)};
	uint32_t a = lease_as(f, &q, T0);

	/* A served interface with no subnet of its own (relays only)
	 * still reaches the relayed subnets by ciaddr. */
	f->rx.direct_subnet_id = 0;
	f->rx.unicast = true;
	q = (struct rq){.type = DHCPREQUEST, .mac = 1, .ciaddr = a};
	assert_int_equal(run(f, &q, T0 + 1800), ENGINE_REPLY);
	assert_int_equal(f->res.subnet_id, 2);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.reply.yiaddr, a);
}

/*
 * A configured dhcp-message (56) is in the daemon's OFFER (RFC 2131 table
 * 3 allows it) and in the list the XDP subnets map is pre-encoded from
 * (engine_subnet_opts, map_sync.c), with the same bytes: both paths send
 * it alike.
 */
static void test_configured_message_both_paths(void **state)
{
	struct fx *f =
		fx_new("{\"Dhcp4\": {\"interfaces-config\": {\"interfaces\": "
		       "[\"eth0\"]}, \"subnet4\": [{\"id\": 1, \"subnet\": "
		       "\"10.0.0.0/24\", \"pools\": [{\"pool\": \"10.0.0.10 - "
		       "10.0.0.19\"}], \"option-data\": [{\"name\": "
		       "\"dhcp-message\", \"data\": \"welcome\"}]}]}}");
	const struct dhcp_opt *opts;
	size_t n, seen = 0;

	(void)state;
	assert_int_equal(
		run(f, &(struct rq){.type = DHCPDISCOVER, .mac = 1}, T0),
		ENGINE_REPLY);
	for (size_t i = 0; i < f->res.reply.n_opts; i++)
		if (f->res.reply.opts[i].code == DHCP_OPT_MESSAGE) {
			assert_int_equal(f->res.reply.opts[i].len, 7);
			assert_memory_equal(f->res.reply.opts[i].data,
					    "welcome", 7);
			seen++;
		}
	assert_int_equal(engine_subnet_opts(f->e, 1, &opts, &n), 0);
	for (size_t i = 0; i < n; i++)
		if (opts[i].code == DHCP_OPT_MESSAGE) {
			assert_int_equal(opts[i].len, 7);
			assert_memory_equal(opts[i].data, "welcome", 7);
			seen++;
		}
	assert_int_equal(seen, 2);
	teardown((void **)&f);
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
		T(test_unserved_unicast_renewing_free_addr_dropped),
		T(test_unserved_renewing_of_a_lease_dropped),
		T(test_unserved_relayed_dropped),
		T(test_relay_only_network_renewal_by_ciaddr),
		cmocka_unit_test(test_configured_message_both_paths),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
