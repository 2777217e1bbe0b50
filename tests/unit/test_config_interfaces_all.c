// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * interfaces-config.interfaces "*" (Kea: every interface), alone or with
 * names: accepted, the names kept; a subnet naming neither an interface
 * nor relays is served on the interface holding an address in it
 * (config_interface_subnet); and a configuration listing no interface
 * at all loads with a warning, as Kea starts listening nowhere.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/config.h"
#include "config_fixture.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))
#define DHCP4(ifaces, body)                                               \
	"{ \"Dhcp4\": { \"interfaces-config\": { \"interfaces\": " ifaces \
	" }, " body " } }"
#define TWO_SUBNETS                                                   \
	"\"subnet4\": [ { \"id\": 1, \"subnet\": \"10.0.0.0/24\" }, " \
	"{ \"id\": 2, \"subnet\": \"10.0.1.0/24\" }, "                \
	"{ \"id\": 3, \"subnet\": \"10.0.2.0/24\", \"interface\": "   \
	"\"eth9\" } ]"

static void test_star_alone(void **state)
{
	(void)state;
	expect_loads(DHCP4("[ \"*\" ]", TWO_SUBNETS));
	assert_true(cfg->interfaces_all);
	assert_int_equal(cfg->n_interfaces, 0);
	/* No "not listed" warning for eth9: "*" may serve it. */
	assert_int_equal(diag.n_warnings, 0);
	assert_true(cfg->subnets[0].interface_by_addr);
	assert_null(cfg->subnets[0].interface);
	assert_false(cfg->subnets[2].interface_by_addr);
	/* The daemon adds the interfaces it finds; each serves the subnet
	 * holding its address. */
	assert_int_equal(config_interface_subnet(cfg, "veth0", IP(10, 0, 1, 1)),
			 2);
	assert_int_equal(config_interface_subnet(cfg, "veth1", IP(10, 0, 0, 7)),
			 1);
	assert_int_equal(config_interface_subnet(cfg, "veth2", IP(10, 9, 0, 1)),
			 0);
	assert_int_equal(config_interface_subnet(cfg, "eth9", IP(10, 0, 0, 1)),
			 3);
}

/* Kea allows "*" with names; the names keep their addresses. */
static void test_star_with_names(void **state)
{
	(void)state;
	expect_loads(
		DHCP4("[ \"eth0/10.0.0.1\", \"*\", \"eth1\" ]", TWO_SUBNETS));
	assert_true(cfg->interfaces_all);
	assert_int_equal(cfg->n_interfaces, 2);
	assert_string_equal(cfg->interfaces[0].name, "eth0");
	assert_int_equal(cfg->interfaces[0].addr, IP(10, 0, 0, 1));
	assert_string_equal(cfg->interfaces[1].name, "eth1");
	/* With "*", even one name does not bind the subnets to it. */
	expect_loads(DHCP4("[ \"eth0\", \"*\" ]", TWO_SUBNETS));
	assert_true(cfg->subnets[1].interface_by_addr);
	assert_int_equal(config_interface_subnet(cfg, "eth0", IP(10, 0, 1, 1)),
			 2);
	expect_error(DHCP4("[ \"eth0\", \"*\", \"eth0\" ]", TWO_SUBNETS),
		     "t.json: Dhcp4.interfaces-config.interfaces[2]: "
		     "interface 'eth0' is listed twice");
}

/* Without "*", several names and a subnet naming none: refused. */
static void test_unreachable_without_star(void **state)
{
	(void)state;
	expect_error(DHCP4("[ \"eth0\", \"eth1\" ]", TWO_SUBNETS),
		     "t.json: Dhcp4.subnet4[0]: subnet 10.0.0.0/24 is "
		     "unreachable: set \"interface\" or \"relay\" (required "
		     "unless interfaces-config lists exactly one interface)");
}

/* No interface at all (Kea's examples often have none): a warning. */
static void test_no_interfaces(void **state)
{
	(void)state;
	expect_loads("{ \"Dhcp4\": { \"subnet4\": [ { \"id\": 1, "
		     "\"subnet\": \"10.0.0.0/24\" } ] } }");
	assert_int_equal(diag.n_warnings, 1);
	assert_string_equal(diag.warnings[0],
			    "t.json: Dhcp4.subnet4[0]: subnet 10.0.0.0/24 is "
			    "not served: interfaces-config lists no interface "
			    "and the subnet names no relay");
	assert_false(cfg->subnets[0].interface_by_addr);
	assert_null(cfg->subnets[0].interface);
}

int main(void)
{
#define T(fn) cmocka_unit_test_teardown(fn, teardown)
	const struct CMUnitTest tests[] = {
		T(test_star_alone),
		T(test_star_with_names),
		T(test_unreachable_without_star),
		T(test_no_interfaces),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
