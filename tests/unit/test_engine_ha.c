// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A high-availability pair in the engine (engine/ha_scope.c): the RFC
 * 3074 load-balancing hash splits the clients between primary and
 * secondary, each drops the other's scope until it finds the partner down
 * (then it answers both); in hot-standby the standby answers nothing until
 * then. HA_<server> classes follow the request's scope, so Kea's pools
 * per server keep working.
 */
#include "engine_fixture.h"
#include "engine/engine_internal.h"

#define HA_CFG(self, mode, role2, pools)                                    \
	"{\"Dhcp4\": {"                                                     \
	" \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"             \
	" \"valid-lifetime\": 3600,"                                        \
	" \"lease-database\": {\"type\": \"postgresql\", \"name\": \"d\"}," \
	" \"hooks-libraries\": [{\"library\": \"libdhcp_ha.so\","           \
	"  \"parameters\": {\"high-availability\": [{"                      \
	"   \"this-server-name\": \"" self "\", \"mode\": \"" mode "\","    \
	"   \"peers\": [{\"name\": \"server1\", \"role\": \"primary\","     \
	"     \"url\": \"http://10.0.0.1:8005/\"},"                         \
	"    {\"name\": \"server2\", \"role\": \"" role2 "\","              \
	"     \"url\": \"http://10.0.0.2:8005/\"}]}]}}],"                   \
	" \"client-classes\": [{\"name\": \"HA_server1\"},"                 \
	"  {\"name\": \"HA_server2\"}],"                                    \
	" \"subnet4\": [{\"id\": 1, \"subnet\": \"10.0.0.0/24\","           \
	"  \"interface\": \"eth0\", \"pools\": [" pools "]}]}}"
#define ONE_POOL "{\"pool\": \"10.0.0.10 - 10.0.0.19\"}"
/* Kea's load-balancing examples: a pool per server, by its class. */
#define SPLIT_POOLS                                                \
	"{\"pool\": \"10.0.0.10 - 10.0.0.19\", \"client-class\": " \
	"\"HA_server1\"}, {\"pool\": \"10.0.0.20 - 10.0.0.29\", "  \
	"\"client-class\": \"HA_server2\"}"

/*
 * The hash of chaddr 02:00:00:00:00:<m> (RFC 3074 §6) is odd for m = 1,
 * 2, 5 (the secondary's scope), even for 3, 4, 6 (the primary's).
 */
#define PRIMARY_MAC   3
#define SECONDARY_MAC 5

static void test_hash_rfc3074(void **state)
{
	static const uint8_t mac1[] = {2, 0, 0, 0, 0, 1};
	static const uint8_t mac3[] = {2, 0, 0, 0, 0, 3};

	(void)state;
	/* Values of the RFC's algorithm over its mixing table. */
	assert_int_equal(ha_lb_hash(mac1, sizeof(mac1)), 133);
	assert_int_equal(ha_lb_hash(mac3, sizeof(mac3)), 182);
	assert_int_equal(ha_lb_hash(NULL, 0), 0);
	assert_int_equal(ha_lb_hash((const uint8_t *)"\0abc", 4), 158);
}

static void test_load_balancing_split(void **state)
{
	struct fx *f = fx_new(
		HA_CFG("server1", "load-balancing", "secondary", ONE_POOL));

	*state = f;
	assert_int_not_equal(discover(f, PRIMARY_MAC, T0), 0);
	assert_int_equal(
		run(f, &(struct rq){.type = DHCPDISCOVER, .mac = SECONDARY_MAC},
		    T0),
		ENGINE_DROP);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_HA_SCOPE);
	/* The partner is down: its clients are ours too. */
	engine_ha_set_partner_down(f->e, true);
	assert_true(engine_ha_partner_down(f->e));
	assert_int_not_equal(discover(f, SECONDARY_MAC, T0), 0);
	/* And back. */
	engine_ha_set_partner_down(f->e, false);
	assert_int_equal(discover(f, 2, T0), 0); /* odd: the secondary's */
}

static void test_secondary_takes_the_other_half(void **state)
{
	struct fx *f = fx_new(
		HA_CFG("server2", "load-balancing", "secondary", ONE_POOL));

	*state = f;
	assert_int_equal(discover(f, PRIMARY_MAC, T0), 0);
	assert_int_not_equal(discover(f, SECONDARY_MAC, T0), 0);
}

/* Option 61, when sent, is what is hashed, not chaddr. */
static void test_client_id_hashed(void **state)
{
	/* 01 02:00:00:00:00:03: hash 14, the primary's */
	static const uint8_t cid[] = {1, 2, 0, 0, 0, 0, 3};
	struct fx *f = fx_new(
		HA_CFG("server2", "load-balancing", "secondary", ONE_POOL));
	struct rq q = {.type = DHCPDISCOVER,
		       .mac = SECONDARY_MAC,
		       .cid = cid,
		       .cid_len = sizeof(cid)};

	*state = f;
	assert_int_equal(run(f, &q, T0), ENGINE_DROP);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_HA_SCOPE);
}

static void test_hot_standby(void **state)
{
	struct fx *f =
		fx_new(HA_CFG("server2", "hot-standby", "standby", ONE_POOL));

	*state = f;
	assert_int_equal(discover(f, PRIMARY_MAC, T0), 0);
	assert_int_equal(discover(f, SECONDARY_MAC, T0), 0);
	engine_ha_set_partner_down(f->e, true);
	assert_int_not_equal(discover(f, PRIMARY_MAC, T0), 0);
	assert_int_not_equal(discover(f, SECONDARY_MAC, T0), 0);
}

static void test_hot_standby_primary_answers_all(void **state)
{
	struct fx *f =
		fx_new(HA_CFG("server1", "hot-standby", "standby", ONE_POOL));

	*state = f;
	assert_int_not_equal(discover(f, PRIMARY_MAC, T0), 0);
	assert_int_not_equal(discover(f, SECONDARY_MAC, T0), 0);
}

/* Kea's maintenance: the server asked to stand aside answers nobody, the
 * one that asked answers both halves, even with auto-failover off. */
static void test_maintenance(void **state)
{
	struct fx *f = fx_new(
		HA_CFG("server1", "load-balancing", "secondary", ONE_POOL));

	*state = f;
	engine_ha_set_maintenance(f->e, ENGINE_HA_IN_MAINTENANCE);
	assert_int_equal(discover(f, PRIMARY_MAC, T0), 0);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_HA_SCOPE);
	assert_int_equal(discover(f, SECONDARY_MAC, T0), 0);
	engine_ha_set_maintenance(f->e, ENGINE_HA_PARTNER_IN_MAINTENANCE);
	assert_int_not_equal(discover(f, PRIMARY_MAC, T0), 0);
	assert_int_not_equal(discover(f, SECONDARY_MAC, T0), 0);
	engine_ha_set_maintenance(f->e, ENGINE_HA_NO_MAINTENANCE);
	assert_int_equal(discover(f, SECONDARY_MAC, T0), 0);
}

/* Kea's ha-scopes: exactly the scopes set, whatever the state, until
 * the daemon lifts it. */
static void test_forced_scopes(void **state)
{
	struct fx *f = fx_new(
		HA_CFG("server1", "load-balancing", "secondary", ONE_POOL));

	*state = f;
	engine_ha_force_scopes(f->e, 1u << 1); /* server2's only */
	assert_int_equal(discover(f, PRIMARY_MAC, T0), 0);
	assert_int_not_equal(discover(f, SECONDARY_MAC, T0), 0);
	engine_ha_set_partner_down(f->e, true);
	assert_int_equal(discover(f, PRIMARY_MAC, T0), 0);
	engine_ha_force_scopes(f->e, 0);
	assert_int_equal(discover(f, SECONDARY_MAC, T0), 0);
	engine_ha_unforce(f->e);
	assert_int_not_equal(discover(f, PRIMARY_MAC, T0), 0);
	assert_int_not_equal(discover(f, SECONDARY_MAC, T0), 0);
}

/* HA_<server> is the request's scope: a failed-over client still gets an
 * address of its own server's pool. */
static void test_scope_classes_pick_pools(void **state)
{
	struct fx *f = fx_new(
		HA_CFG("server2", "load-balancing", "secondary", SPLIT_POOLS));
	uint32_t a;

	*state = f;
	a = discover(f, SECONDARY_MAC, T0);
	assert_true(a >= IP(10, 0, 0, 20) && a <= IP(10, 0, 0, 29));
	engine_ha_set_partner_down(f->e, true);
	a = discover(f, PRIMARY_MAC, T0);
	assert_true(a >= IP(10, 0, 0, 10) && a <= IP(10, 0, 0, 19));
}

/* Messages that allocate nothing are not filtered. */
static void test_other_messages_pass(void **state)
{
	struct fx *f = fx_new(
		HA_CFG("server1", "load-balancing", "secondary", ONE_POOL));
	struct rq q = {.type = DHCPREQUEST,
		       .mac = SECONDARY_MAC,
		       .reqip = IP(10, 0, 0, 10),
		       .sid = SID};

	*state = f;
	/* A REQUEST is filtered as a DISCOVER is. */
	assert_int_equal(run(f, &q, T0), ENGINE_DROP);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_HA_SCOPE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_rfc3074),
		cmocka_unit_test_teardown(test_load_balancing_split, teardown),
		cmocka_unit_test_teardown(test_secondary_takes_the_other_half,
					  teardown),
		cmocka_unit_test_teardown(test_client_id_hashed, teardown),
		cmocka_unit_test_teardown(test_hot_standby, teardown),
		cmocka_unit_test_teardown(test_hot_standby_primary_answers_all,
					  teardown),
		cmocka_unit_test_teardown(test_scope_classes_pick_pools,
					  teardown),
		cmocka_unit_test_teardown(test_other_messages_pass, teardown),
		cmocka_unit_test_teardown(test_maintenance, teardown),
		cmocka_unit_test_teardown(test_forced_scopes, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
