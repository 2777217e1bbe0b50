// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A configured dhcp-server-identifier (option 54 of option-data, Kea) is
 * the server identifier of the subnet's OFFER, ACK and NAK, and a REQUEST
 * naming it is for us, as is one naming the interface's address (Kea
 * accepts both); a REQUEST naming another server is not. A subnet
 * without one answers with the interface's address.
 */
#include "engine_fixture.h"

#define CONF_SID IP(192, 0, 2, 54)

static const char *const sid_cfg =
	"{\"Dhcp4\": {"
	" \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"
	" \"valid-lifetime\": 3600, \"authoritative\": true,"
	" \"subnet4\": ["
	"  {\"id\": 1, \"subnet\": \"10.0.0.0/24\", \"interface\": \"eth0\","
	"   \"pools\": [{\"pool\": \"10.0.0.10 - 10.0.0.19\"}],"
	"   \"option-data\": [{\"name\": \"dhcp-server-identifier\","
	"     \"data\": \"192.0.2.54\"}]},"
	"  {\"id\": 2, \"subnet\": \"10.1.0.0/16\","
	"   \"pools\": [{\"pool\": \"10.1.0.10 - 10.1.0.20\"}],"
	"   \"relay\": {\"ip-addresses\": [\"192.168.1.1\"]}}]}}";

static int setup_sid(void **state)
{
	*state = fx_new(sid_cfg);
	return 0;
}

static void test_offer_and_ack_carry_it(void **state)
{
	struct fx *f = *state;
	struct rq q = {.type = DHCPREQUEST, .mac = 1, .sid = CONF_SID};
	uint32_t a = discover(f, 1, T0);

	assert_int_not_equal(a, 0);
	assert_int_equal(f->res.reply.server_id, CONF_SID);
	q.reqip = a;
	assert_int_equal(run(f, &q, T0 + 1), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.reply.server_id, CONF_SID);
}

/* The interface's address still names us. */
static void test_interface_address_accepted(void **state)
{
	struct fx *f = *state;
	uint32_t a = discover(f, 2, T0);

	assert_int_equal(select_addr(f, 2, a, T0 + 1), DHCPACK);
	assert_int_equal(f->res.reply.server_id, CONF_SID);
}

static void test_other_server_not_for_us(void **state)
{
	struct fx *f = *state;
	struct rq q = {.type = DHCPREQUEST, .mac = 3, .sid = IP(10, 0, 0, 99)};

	q.reqip = discover(f, 3, T0);
	assert_int_equal(run(f, &q, T0 + 1), ENGINE_DROP);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_NOT_FOR_US);
}

/* INIT-REBOOT for an address of another subnet (authoritative): NAK,
 * from the configured id. */
static void test_nak_carries_it(void **state)
{
	struct fx *f = *state;
	struct rq q = {.type = DHCPREQUEST, .mac = 4, .reqip = IP(10, 7, 0, 1)};

	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPNAK);
	assert_int_equal(f->res.reply.server_id, CONF_SID);
}

/* Subnet 2 sets none: the receiving interface's address. */
static void test_subnet_without_it(void **state)
{
	struct fx *f = *state;
	struct rq q = {
		.type = DHCPDISCOVER, .mac = 5, .giaddr = IP(192, 168, 1, 1)};

	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.server_id, SID);
}

/* On the wire: option 54 once, with the configured address. */
static void test_encoded(void **state)
{
	struct fx *f = *state;
	uint8_t buf[1500];
	size_t len, n54 = 0;

	assert_int_not_equal(discover(f, 6, T0), 0);
	assert_int_equal(dhcp_reply_encode(buf, sizeof(buf), &f->res.reply,
					   f->m, &len, NULL),
			 0);
	for (size_t i = DHCP_OFF_COOKIE + 4; i + 1 < len && buf[i] != 255;
	     i += buf[i] ? 2u + buf[i + 1] : 1u) {
		if (buf[i] != 54)
			continue;
		n54++;
		assert_int_equal(buf[i + 1], 4);
		assert_memory_equal(buf + i + 2, "\xc0\x00\x02\x36", 4);
	}
	assert_int_equal(n54, 1);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_sid, teardown)
	const struct CMUnitTest tests[] = {
		T(test_offer_and_ack_carry_it),
		T(test_interface_address_accepted),
		T(test_other_server_not_for_us),
		T(test_nak_carries_it),
		T(test_subnet_without_it),
		T(test_encoded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
