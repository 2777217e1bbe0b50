// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * What the engine reads in relay agent information (option 82, RFC 3046)
 * and subnet selection (118, RFC 3011): the subnet named by link
 * selection (RFC 3527) or 118 ahead of giaddr, as Kea selects it; and
 * reservations by circuit id (sub-option 1), found in the order of
 * host-reservation-identifiers.
 */
#include "engine_fixture.h"

#define RELAY2 IP(192, 168, 1, 1) /* subnet 2's relay */

/* circuit id "port7", then link selection 10.2.0.0 (subnet 3) */
static const uint8_t ri_link3[] = {1, 5, 'p', 'o', 'r', 't', '7',
				   5, 4, 10,  2,   0,	0};
static const uint8_t ri_port7[] = {1, 5, 'p', 'o', 'r', 't', '7'};
static const uint8_t ri_port8[] = {2, 3,   'r', 'i', 'd', 1,
				   5, 'p', 'o', 'r', 't', '8'};

/* ---- subnet selection ---- */

static void test_link_selection_over_giaddr(void **state)
{
	struct fx *f = *state;
	struct rq q = {.type = DHCPDISCOVER,
		       .mac = 1,
		       .giaddr = RELAY2,
		       .agent = ri_link3,
		       .agent_len = sizeof(ri_link3)};

	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.subnet_id, 3);
	assert_int_equal(f->res.reply.yiaddr, IP(10, 2, 0, 10));
	/* Without it, giaddr's subnet. */
	q.agent = ri_port7;
	q.agent_len = sizeof(ri_port7);
	q.mac = 2;
	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.subnet_id, 2);
}

static void test_subnet_selection_option(void **state)
{
	struct fx *f = *state;
	struct rq q = {.type = DHCPDISCOVER,
		       .mac = 1,
		       .giaddr = RELAY2,
		       .subnet_sel = IP(10, 2, 0, 0)};

	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.subnet_id, 3);
	/* Kea reads 118 only without option 82. */
	q.agent = ri_port7;
	q.agent_len = sizeof(ri_port7);
	q.mac = 2;
	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.subnet_id, 2);
	/* An address in no subnet selects none. */
	q.agent = NULL;
	q.subnet_sel = IP(172, 16, 0, 1);
	assert_int_equal(run(f, &q, T0), ENGINE_DROP);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_NO_SUBNET);
}

/* ---- reservations by circuit id ---- */

#define CIRCUIT_SUBNET(ids)                                                \
	"{\"Dhcp4\": {"                                                    \
	" \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"            \
	" \"valid-lifetime\": 3600," ids " \"subnet4\": ["                 \
	"  {\"id\": 2, \"subnet\": \"10.1.0.0/16\","                       \
	"   \"pools\": [{\"pool\": \"10.1.0.10 - 10.1.0.250\"}],"          \
	"   \"relay\": {\"ip-addresses\": [\"192.168.1.1\"]},"             \
	"   \"reservations\": ["                                           \
	"    {\"circuit-id\": \"'port7'\", \"ip-address\": \"10.1.1.7\"}," \
	"    {\"circuit-id\": \"70:6f:72:74:38\","                         \
	"     \"ip-address\": \"10.1.1.8\"},"                              \
	"    {\"hw-address\": \"02:00:00:00:00:05\","                      \
	"     \"ip-address\": \"10.1.1.5\"}]}]}}"

static struct fx *circuit_fx(const char *json)
{
	struct fx *f = fx_new(json);

	f->rx.direct_subnet_id = 0;
	return f;
}

static uint32_t offered(struct fx *f, uint8_t mac, const uint8_t *ri,
			size_t ri_len)
{
	struct rq q = {.type = DHCPDISCOVER,
		       .mac = mac,
		       .giaddr = RELAY2,
		       .agent = ri,
		       .agent_len = ri_len};

	if (run(f, &q, T0) != ENGINE_REPLY)
		return 0;
	return f->res.reply.yiaddr;
}

static void test_circuit_id_reservation(void **state)
{
	struct fx *f = circuit_fx(CIRCUIT_SUBNET(""));

	(void)state;
	assert_int_equal(offered(f, 1, ri_port7, sizeof(ri_port7)),
			 IP(10, 1, 1, 7));
	/* hex form, circuit id after a remote id */
	assert_int_equal(offered(f, 2, ri_port8, sizeof(ri_port8)),
			 IP(10, 1, 1, 8));
	/* no 82, or another circuit: the pool */
	assert_int_equal(offered(f, 3, NULL, 0), IP(10, 1, 0, 10));
	/* and the reserved client's REQUEST is ACKed */
	struct rq q = {.type = DHCPREQUEST,
		       .mac = 1,
		       .giaddr = RELAY2,
		       .reqip = IP(10, 1, 1, 7),
		       .sid = SID,
		       .agent = ri_port7,
		       .agent_len = sizeof(ri_port7)};
	assert_int_equal(run(f, &q, T0 + 1), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.reply.yiaddr, IP(10, 1, 1, 7));
	/* Its renewals come unicast, without option 82, so without the
	 * circuit id that reserves the address: the lease gets no entry in
	 * XDP's lease map, and the engine decides on them. */
	for (size_t i = 0; i < f->res.ch.n_map; i++)
		assert_int_not_equal(f->res.ch.map[i].kind, ENGINE_MAP_UPSERT);
	*state = f;
}

/* Client 5 has a reservation by hw-address, and comes through port7. */
static void test_identifier_order(void **state)
{
	struct fx *f;

	(void)state;
	/* Kea's default: hw-address before circuit-id */
	f = circuit_fx(CIRCUIT_SUBNET(""));
	assert_int_equal(offered(f, 5, ri_port7, sizeof(ri_port7)),
			 IP(10, 1, 1, 5));
	teardown((void **)&f);
	f = circuit_fx(CIRCUIT_SUBNET("\"host-reservation-identifiers\": "
				      "[\"circuit-id\", \"hw-address\"],"));
	assert_int_equal(offered(f, 5, ri_port7, sizeof(ri_port7)),
			 IP(10, 1, 1, 7));
	teardown((void **)&f);
	/* circuit-id not listed: its reservations never match */
	f = circuit_fx(CIRCUIT_SUBNET("\"host-reservation-identifiers\": "
				      "[\"hw-address\", \"client-id\"],"));
	assert_int_equal(offered(f, 1, ri_port7, sizeof(ri_port7)),
			 IP(10, 1, 0, 10));
	*state = f;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_link_selection_over_giaddr,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_subnet_selection_option,
						setup, teardown),
		cmocka_unit_test_teardown(test_circuit_id_reservation,
					  teardown),
		cmocka_unit_test_teardown(test_identifier_order, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
