// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Pool-level option-data in the engine's replies (engine_build.c,
 * reply_opts()): an address from a pool with options of its own gets the
 * pool's value for each code it sets, the subnet's for the others; a
 * reservation in that pool lays its own over the pool's (Kea: reservation
 * over pool over subnet); an INFORM is looked up by ciaddr.
 */
#include "engine_fixture.h"

#define POOL_CFG                                                            \
	"{\"Dhcp4\": {\"interfaces-config\": {\"interfaces\": [\"eth0\"]}," \
	" \"valid-lifetime\": 3600, \"subnet4\": [{\"id\": 1,"              \
	" \"subnet\": \"10.0.0.0/24\", \"option-data\": ["                  \
	"  {\"name\": \"routers\", \"data\": \"10.0.0.1\"},"                \
	"  {\"name\": \"domain-name\", \"data\": \"example.org\"}],"        \
	" \"pools\": [{\"pool\": \"10.0.0.10 - 10.0.0.19\"},"               \
	"  {\"pool\": \"10.0.0.20 - 10.0.0.29\", \"option-data\": ["        \
	"   {\"name\": \"routers\", \"data\": \"10.0.0.2\"},"               \
	"   {\"name\": \"ntp-servers\", \"data\": \"10.0.0.123\"}]}],"      \
	" \"reservations\": [{\"hw-address\": \"02:00:00:00:00:05\","       \
	"  \"ip-address\": \"10.0.0.25\", \"option-data\": ["               \
	"   {\"name\": \"domain-name\", \"data\": \"r.example\"}]}]}]}}"

static int setup_pools(void **state)
{
	*state = fx_new(POOL_CFG);
	return 0;
}

static uint8_t last_byte(const struct fx *f, uint8_t code)
{
	const struct dhcp_opt *o = find_opt(&f->res.reply, code);

	assert_non_null(o);
	return o->data[o->len - 1];
}

static void test_plain_pool_gets_subnet_options(void **state)
{
	struct fx *f = *state;

	assert_int_equal(discover(f, 1, T0), IP(10, 0, 0, 10));
	assert_int_equal(last_byte(f, DHCP_OPT_ROUTER), 1);
	assert_null(find_opt(&f->res.reply, DHCP_OPT_NTP_SERVERS));
}

static void test_option_pool_overrides_subnet(void **state)
{
	struct fx *f = *state;
	const struct dhcp_opt *o;

	assert_int_equal(run(f,
			     &(struct rq){.type = DHCPDISCOVER,
					  .mac = 1,
					  .reqip = IP(10, 0, 0, 22)},
			     T0),
			 ENGINE_REPLY);
	assert_int_equal(f->res.reply.yiaddr, IP(10, 0, 0, 22));
	assert_int_equal(last_byte(f, DHCP_OPT_ROUTER), 2);
	assert_int_equal(last_byte(f, DHCP_OPT_NTP_SERVERS), 123);
	/* What the pool does not set stays the subnet's. */
	o = find_opt(&f->res.reply, DHCP_OPT_DOMAIN_NAME);
	assert_non_null(o);
	assert_memory_equal(o->data, "example.org", 11);
	/* Option 1 comes from the subnet's list too. */
	assert_non_null(find_opt(&f->res.reply, DHCP_OPT_SUBNET_MASK));
}

static void test_reservation_over_pool_over_subnet(void **state)
{
	struct fx *f = *state;
	const struct dhcp_opt *o;

	assert_int_equal(discover(f, 5, T0), IP(10, 0, 0, 25));
	assert_int_equal(last_byte(f, DHCP_OPT_ROUTER), 2);
	assert_int_equal(last_byte(f, DHCP_OPT_NTP_SERVERS), 123);
	o = find_opt(&f->res.reply, DHCP_OPT_DOMAIN_NAME);
	assert_non_null(o);
	assert_int_equal(o->len, 9);
	assert_memory_equal(o->data, "r.example", 9);
}

static void test_inform_by_ciaddr(void **state)
{
	struct fx *f = *state;

	assert_int_equal(run(f,
			     &(struct rq){.type = DHCPINFORM,
					  .mac = 1,
					  .ciaddr = IP(10, 0, 0, 23)},
			     T0),
			 ENGINE_REPLY);
	assert_int_equal(last_byte(f, DHCP_OPT_ROUTER), 2);
	assert_int_equal(run(f,
			     &(struct rq){.type = DHCPINFORM,
					  .mac = 1,
					  .ciaddr = IP(10, 0, 0, 100)},
			     T0),
			 ENGINE_REPLY);
	assert_int_equal(last_byte(f, DHCP_OPT_ROUTER), 1);
}

/* The subnet stays in XDP: map_sync.c hands it the pool's range
 * (tests/bpf/test_map_sync_pool_opts.c), not "fast path off". */
static void test_subnet_stays_in_xdp(void **state)
{
	struct fx *f = *state;

	assert_false(config_fast_path_off(f->cfg, &f->cfg->subnets[0]));
	assert_int_equal(f->cfg->subnets[0].pool_opts[1].options.n, 2);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_pools, teardown)
	const struct CMUnitTest tests[] = {
		T(test_plain_pool_gets_subnet_options),
		T(test_option_pool_overrides_subnet),
		T(test_reservation_over_pool_over_subnet),
		T(test_inform_by_ciaddr),
		T(test_subnet_stays_in_xdp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
