// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Shared networks in the protocol engine (engine_network.c): new clients
 * take addresses from the first subnet of the link with room, in
 * configuration order; a client keeps the subnet it is known in
 * (reservation, lease, offer), renewing, rebinding or rebooting; each
 * subnet answers with its own options.
 */
#include "engine_fixture.h"

/*
 * The link of eth0: subnet 1 with two addresses, then subnet 2 with its
 * own router and a reservation; subnet 3 alone behind a relay.
 */
static const char *const shared_cfg =
	"{\"Dhcp4\": {"
	" \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"
	" \"valid-lifetime\": 3600,"
	" \"option-data\": [{\"name\": \"domain-name-servers\","
	"   \"data\": \"10.0.0.53\"}],"
	" \"shared-networks\": [{\"name\": \"edge\", \"interface\": \"eth0\","
	"  \"option-data\": [{\"name\": \"routers\", \"data\": \"10.0.0.1\"}],"
	"  \"subnet4\": ["
	"   {\"id\": 1, \"subnet\": \"10.0.0.0/24\","
	"    \"pools\": [{\"pool\": \"10.0.0.10 - 10.0.0.11\"}]},"
	"   {\"id\": 2, \"subnet\": \"192.0.2.0/24\","
	"    \"pools\": [{\"pool\": \"192.0.2.10 - 192.0.2.99\"}],"
	"    \"option-data\": [{\"name\": \"routers\", \"data\": "
	"\"192.0.2.1\"}],"
	"    \"reservations\": [{\"hw-address\": \"02:00:00:00:00:77\","
	"      \"ip-address\": \"192.0.2.200\"}]}]}],"
	" \"subnet4\": [{\"id\": 3, \"subnet\": \"10.3.0.0/24\","
	"   \"pools\": [{\"pool\": \"10.3.0.10 - 10.3.0.20\"}],"
	"   \"relay\": {\"ip-addresses\": [\"192.168.3.3\"]}}]}}";

/* Subnets of their own naming one interface make one link too. */
static const char *const one_link_cfg =
	"{\"Dhcp4\": {"
	" \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"
	" \"subnet4\": ["
	"  {\"id\": 1, \"subnet\": \"10.0.0.0/24\", \"interface\": \"eth0\","
	"   \"pools\": [{\"pool\": \"10.0.0.10 - 10.0.0.10\"}]},"
	"  {\"id\": 2, \"subnet\": \"192.0.2.0/24\", \"interface\": \"eth0\","
	"   \"pools\": [{\"pool\": \"192.0.2.10 - 192.0.2.99\"}]}]}}";

static int setup_one_link(void **state)
{
	*state = fx_new(one_link_cfg);
	return 0;
}

static void test_subnets_naming_one_interface(void **state)
{
	struct fx *f = *state;

	assert_int_equal(lease(f, 1, T0), IP(10, 0, 0, 10));
	assert_int_equal(lease(f, 2, T0), IP(192, 0, 2, 10));
	assert_int_equal(f->res.subnet_id, 2);
}

static int setup_shared(void **state)
{
	*state = fx_new(shared_cfg);
	return 0;
}

static uint32_t router(struct fx *f)
{
	const struct dhcp_opt *o = find_opt(&f->res.reply, 3);
	uint32_t a;

	assert_non_null(o);
	assert_int_equal(o->len, 4);
	memcpy(&a, o->data, 4);
	return ntohl(a);
}

static void test_first_subnet_with_room(void **state)
{
	struct fx *f = *state;

	assert_int_equal(lease(f, 1, T0), IP(10, 0, 0, 10));
	assert_int_equal(f->res.subnet_id, 1);
	assert_int_equal(router(f), IP(10, 0, 0, 1));
	assert_int_equal(lease(f, 2, T0), IP(10, 0, 0, 11));
	/* Subnet 1 is full: the next client goes to subnet 2, with
	 * subnet 2's router and the options both inherit. */
	assert_int_equal(lease(f, 3, T0), IP(192, 0, 2, 10));
	assert_int_equal(f->res.subnet_id, 2);
	assert_int_equal(router(f), IP(192, 0, 2, 1));
	assert_non_null(find_opt(&f->res.reply, 6));
	/* Indexes in configuration order: plain subnets come first. */
	assert_int_equal(stats(f, 1).acks, 2);
	assert_int_equal(stats(f, 2).acks, 1);
}

/* A client of subnet 2 stays there in every state of RFC 2131 §4.3.2,
 * although the link's first subnet has room again. */
static void test_client_keeps_subnet(void **state)
{
	struct fx *f = *state;
	struct rq q = {
		.type = DHCPRELEASE, .mac = 1, .ciaddr = IP(10, 0, 0, 10)};
	uint32_t a;

	lease(f, 1, T0);
	lease(f, 2, T0);
	a = lease(f, 3, T0);
	assert_int_equal(a, IP(192, 0, 2, 10));
	f->rx.unicast = true;
	assert_int_equal(run(f, &q, T0 + 1), ENGINE_SILENT);
	assert_int_equal(stats(f, 1).releases, 1);
	/* RENEWING: unicast, ciaddr. */
	q = (struct rq){.type = DHCPREQUEST, .mac = 3, .ciaddr = a};
	assert_int_equal(run(f, &q, T0 + 10), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.subnet_id, 2);
	/* REBINDING: broadcast on the link, ciaddr in the second subnet. */
	f->rx.unicast = false;
	assert_int_equal(run(f, &q, T0 + 20), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.reply.yiaddr, a);
	/* INIT-REBOOT: option 50. */
	q = (struct rq){.type = DHCPREQUEST, .mac = 3, .reqip = a};
	assert_int_equal(run(f, &q, T0 + 30), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.subnet_id, 2);
	/* A DISCOVER is offered its lease, not the free 10.0.0.10. */
	assert_int_equal(discover(f, 3, T0 + 40), a);
	assert_int_equal(f->res.subnet_id, 2);
	/* A SELECTING REQUEST without option 50 (Kea ACKs the client's). */
	q = (struct rq){.type = DHCPREQUEST, .mac = 3, .sid = SID};
	assert_int_equal(run(f, &q, T0 + 50), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.reply.yiaddr, a);
}

static void test_reservation_in_second_subnet(void **state)
{
	struct fx *f = *state;

	assert_int_equal(discover(f, 0x77, T0), IP(192, 0, 2, 200));
	assert_int_equal(f->res.subnet_id, 2);
	assert_int_equal(select_addr(f, 0x77, IP(192, 0, 2, 200), T0), DHCPACK);
	/* Subnet 1 still has both its addresses. */
	assert_int_equal(lease(f, 1, T0), IP(10, 0, 0, 10));
}

/* Kea: a reservation anywhere in the network wins over a lease
 * elsewhere in it, here a lease of the client's identifier in subnet 1. */
static void test_reservation_before_lease(void **state)
{
	static const uint8_t cid[] = {1, 2, 0, 0, 0, 0, 0x33};
	struct fx *f = *state;
	struct rq q = {.mac = 0x33, .cid = cid, .cid_len = sizeof(cid)};

	assert_int_equal(lease_as(f, &q, T0), IP(10, 0, 0, 10));
	q = (struct rq){.type = DHCPDISCOVER,
			.mac = 0x77,
			.cid = cid,
			.cid_len = sizeof(cid)};
	assert_int_equal(run(f, &q, T0 + 1), ENGINE_REPLY);
	assert_int_equal(f->res.reply.yiaddr, IP(192, 0, 2, 200));
	assert_int_equal(f->res.subnet_id, 2);
}

/* A DISCOVER naming a free address of another subnet of the link gets
 * it (RFC 2131 §4.3.1: the requested address, if valid and free). */
static void test_discover_requested_addr(void **state)
{
	struct fx *f = *state;
	struct rq q = {
		.type = DHCPDISCOVER, .mac = 5, .reqip = IP(192, 0, 2, 50)};

	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.yiaddr, IP(192, 0, 2, 50));
	assert_int_equal(f->res.subnet_id, 2);
	/* Off the link: ignored, the first subnet with room offers. */
	q.reqip = IP(10, 3, 0, 12);
	q.mac = 6;
	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.yiaddr, IP(10, 0, 0, 10));
}

/* As Kea, which looks for the client's lease in the whole network: a
 * client of subnet 2 asking for a free address of subnet 1 is NAKed from
 * its own subnet, not given the address. */
static void test_known_elsewhere_on_the_link(void **state)
{
	struct fx *f = *state;
	struct rq q = {
		.type = DHCPREQUEST, .mac = 0x77, .reqip = IP(10, 0, 0, 10)};

	assert_int_equal(discover(f, 0x77, T0), IP(192, 0, 2, 200));
	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPNAK);
	assert_int_equal(f->res.subnet_id, 2);
	/* An unknown client gets it from the subnet holding it. */
	q.mac = 9;
	q.sid = SID;
	run(f, &(struct rq){.type = DHCPDISCOVER, .mac = 9}, T0);
	assert_int_equal(f->res.reply.yiaddr, IP(10, 0, 0, 10));
	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.subnet_id, 1);
}

/* An address on no subnet of the link is refused as on any link. */
static void test_address_off_the_link(void **state)
{
	struct fx *f = *state;
	struct rq q = {
		.type = DHCPREQUEST, .mac = 8, .reqip = IP(10, 3, 0, 12)};

	run(f, &q, T0);
	assert_false(f->res.action == ENGINE_REPLY &&
		     f->res.reply.msg_type == DHCPACK);
	assert_int_equal(f->res.subnet_id, 1);
}

/* Every subnet of the link full: the first one drops the DISCOVER and
 * counts it, as a lone subnet would. */
static void test_link_exhausted(void **state)
{
	struct fx *f = *state;

	lease(f, 1, T0);
	lease(f, 2, T0);
	for (int i = 0; i < 90; i++)
		assert_int_not_equal(lease(f, 10 + i, T0), 0);
	assert_int_equal(
		run(f, &(struct rq){.type = DHCPDISCOVER, .mac = 200}, T0),
		ENGINE_DROP);
	assert_int_equal(f->res.subnet_id, 1);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_POOL_EXHAUSTED);
}

/* A subnet of its own is untouched by its neighbours' network. */
static void test_lone_subnet(void **state)
{
	struct fx *f = *state;
	struct rq q = {.mac = 1, .giaddr = IP(192, 168, 3, 3)};

	assert_int_equal(lease_as(f, &q, T0), IP(10, 3, 0, 10));
	assert_int_equal(f->res.subnet_id, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_first_subnet_with_room,
						setup_shared, teardown),
		cmocka_unit_test_setup_teardown(test_client_keeps_subnet,
						setup_shared, teardown),
		cmocka_unit_test_setup_teardown(
			test_reservation_in_second_subnet, setup_shared,
			teardown),
		cmocka_unit_test_setup_teardown(test_reservation_before_lease,
						setup_shared, teardown),
		cmocka_unit_test_setup_teardown(test_discover_requested_addr,
						setup_shared, teardown),
		cmocka_unit_test_setup_teardown(
			test_known_elsewhere_on_the_link, setup_shared,
			teardown),
		cmocka_unit_test_setup_teardown(test_address_off_the_link,
						setup_shared, teardown),
		cmocka_unit_test_setup_teardown(test_link_exhausted,
						setup_shared, teardown),
		cmocka_unit_test_setup_teardown(test_lone_subnet, setup_shared,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_subnets_naming_one_interface, setup_one_link,
			teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
