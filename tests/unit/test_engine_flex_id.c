// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Reservations by Kea's flex-id, computed by the flex_id hook's
 * identifier-expression (config/hooks.c): here the relay's remote id
 * (option 82 sub-option 2, RFC 3046 §2.2), Kea's way to reserve by it.
 * The first identifier of host-reservation-identifiers that matches wins;
 * an expression that yields the empty string matches nothing.
 */
#include "engine_fixture.h"

#define RELAY IP(192, 168, 1, 1)

#define FLEX_CFG(order)                                                       \
	"{\"Dhcp4\": {"                                                       \
	" \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"               \
	" \"valid-lifetime\": 3600," order                                    \
	" \"hooks-libraries\": [{\"library\": \"libdhcp_flex_id.so\","        \
	"  \"parameters\": {\"identifier-expression\": \"relay4[2].hex\"}}]," \
	" \"subnet4\": [{\"id\": 1, \"subnet\": \"10.0.0.0/24\","             \
	"  \"interface\": \"eth0\","                                          \
	"  \"pools\": [{\"pool\": \"10.0.0.10 - 10.0.0.11\"}]},"              \
	"  {\"id\": 2, \"subnet\": \"10.2.0.0/24\","                          \
	"  \"relay\": {\"ip-addresses\": [\"192.168.1.1\"]},"                 \
	"  \"pools\": [{\"pool\": \"10.2.0.10 - 10.2.0.11\"}],"               \
	"  \"reservations\": ["                                               \
	"   {\"flex-id\": \"'sw-7'\", \"ip-address\": \"10.2.0.70\"},"        \
	"   {\"hw-address\": \"02:00:00:00:00:05\","                          \
	"    \"ip-address\": \"10.2.0.50\"}]}]}}"

/* remote ids "sw-7" and "sw-8", after a circuit id */
static const uint8_t ri_sw7[] = {1, 2, 'p', '1', 2, 4, 's', 'w', '-', '7'};
static const uint8_t ri_sw8[] = {1, 2, 'p', '1', 2, 4, 's', 'w', '-', '8'};
static const uint8_t ri_circuit_only[] = {1, 2, 'p', '1'};

static uint32_t offer(struct fx *f, uint8_t mac, const uint8_t *ri,
		      size_t ri_len)
{
	struct rq q = {.type = DHCPDISCOVER,
		       .mac = mac,
		       .giaddr = RELAY,
		       .agent = ri,
		       .agent_len = ri_len};

	if (run(f, &q, T0) != ENGINE_REPLY)
		return 0;
	return f->res.reply.yiaddr;
}

static void test_remote_id_reservation(void **state)
{
	struct fx *f = fx_new(FLEX_CFG(""));

	*state = f;
	/* Any MAC behind remote id sw-7 is the reserved client. */
	assert_int_equal(offer(f, 1, ri_sw7, sizeof(ri_sw7)), IP(10, 2, 0, 70));
	assert_int_equal(offer(f, 2, ri_sw7, sizeof(ri_sw7)), IP(10, 2, 0, 70));
	/* Another remote id, none, or no option 82: the pool. */
	assert_int_equal(offer(f, 3, ri_sw8, sizeof(ri_sw8)), IP(10, 2, 0, 10));
	assert_int_equal(offer(f, 4, ri_circuit_only, sizeof(ri_circuit_only)),
			 IP(10, 2, 0, 11));
}

/* Kea's default order puts hw-address before flex-id. */
static void test_hw_address_first(void **state)
{
	struct fx *f = fx_new(FLEX_CFG(""));

	*state = f;
	assert_int_equal(offer(f, 5, ri_sw7, sizeof(ri_sw7)), IP(10, 2, 0, 50));
}

static void test_flex_id_first(void **state)
{
	struct fx *f = fx_new(FLEX_CFG("\"host-reservation-identifiers\": "
				       "[\"flex-id\", \"hw-address\"],"));

	*state = f;
	assert_int_equal(offer(f, 5, ri_sw7, sizeof(ri_sw7)), IP(10, 2, 0, 70));
	assert_int_equal(offer(f, 5, NULL, 0), IP(10, 2, 0, 50));
}

/* A reserved client's INIT-REBOOT through its remote id is ACKed;
 * through another, the client is unknown: silence (RFC 2131 §4.3.2). */
static void test_request(void **state)
{
	struct fx *f = fx_new(FLEX_CFG(""));
	struct rq q = {.type = DHCPREQUEST,
		       .mac = 9,
		       .giaddr = RELAY,
		       .reqip = IP(10, 2, 0, 70),
		       .agent = ri_sw7,
		       .agent_len = sizeof(ri_sw7)};

	*state = f;
	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.reply.yiaddr, IP(10, 2, 0, 70));
	q.mac = 10;
	q.agent = ri_sw8;
	assert_int_equal(run(f, &q, T0), ENGINE_DROP);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_UNKNOWN_CLIENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_remote_id_reservation, teardown),
		cmocka_unit_test_teardown(test_hw_address_first, teardown),
		cmocka_unit_test_teardown(test_flex_id_first, teardown),
		cmocka_unit_test_teardown(test_request, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
