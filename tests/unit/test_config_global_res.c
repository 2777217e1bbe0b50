// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Global reservations (Dhcp4.reservations) and Kea's switches
 * reservations-global / reservations-in-subnet (config/
 * global_reservations.c): which reservations each subnet ends up with,
 * reservations without an address, and the refusals with their exact
 * messages.
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
#define DHCP4(body)                                                  \
	"{ \"Dhcp4\": { \"interfaces-config\": { \"interfaces\": [ " \
	"\"eth0\" ] }, " body " } }"
/* Subnet 1 on eth0 with its own reservation of 10.0.1.5 for ...:01;
 * subnet 2 behind a relay, with the switches given by `s2`. */
#define SUBNETS(s2)                                                       \
	"\"subnet4\": [ { \"id\": 1, \"subnet\": \"10.0.1.0/24\", "       \
	"\"reservations\": [ { \"hw-address\": \"02:00:00:00:00:01\", "   \
	"\"ip-address\": \"10.0.1.5\" } ] }, { \"id\": 2, \"subnet\": "   \
	"\"10.0.2.0/24\", \"relay\": { \"ip-addresses\": [ \"10.0.2.1\" " \
	"] }" s2 " } ]"
#define GLOBALS                                                             \
	"\"reservations\": [ { \"hw-address\": \"02:00:00:00:00:02\", "     \
	"\"ip-address\": \"10.0.2.9\" }, { \"client-id\": "                 \
	"\"01:11:22:33:44:55:66\", \"hostname\": \"special-snowflake\" }, " \
	"{ \"hw-address\": \"02:00:00:00:00:01\", \"ip-address\": "         \
	"\"10.0.1.6\", \"boot-file-name\": \"g.efi\" } ], "

/* Kea's defaults: global reservations are parsed, used nowhere. */
static void test_global_off_by_default(void **state)
{
	(void)state;
	expect_loads(DHCP4(GLOBALS SUBNETS("")));
	assert_int_equal(cfg->n_global_reservations, 3);
	assert_int_equal(cfg->subnets[0].n_reservations, 1);
	assert_int_equal(cfg->subnets[1].n_reservations, 0);
}

/*
 * reservations-global: one with an address goes to the subnet holding
 * it, one without to every subnet; a client with a reservation of its
 * own in the subnet keeps it (Kea prefers the subnet's).
 */
static void test_global_in_subnets(void **state)
{
	const struct dx_subnet_conf *s1, *s2;

	(void)state;
	expect_loads(
		DHCP4("\"reservations-global\": true, " GLOBALS SUBNETS("")));
	s1 = &cfg->subnets[0];
	s2 = &cfg->subnets[1];
	assert_int_equal(s1->n_reservations, 2);
	assert_int_equal(s1->reservations[0].addr, IP(10, 0, 1, 5));
	assert_false(s1->reservations[0].global);
	assert_true(s1->reservations[1].global);
	assert_int_equal(s1->reservations[1].addr, 0);
	assert_string_equal(s1->reservations[1].hostname, "special-snowflake");
	assert_int_equal(s2->n_reservations, 2);
	assert_int_equal(s2->reservations[0].addr, IP(10, 0, 2, 9));
	assert_int_equal(s2->reservations[1].addr, 0);
}

/* reservations-in-subnet false drops a subnet's own: the global one of
 * the same client is used instead. */
static void test_in_subnet_false(void **state)
{
	const struct dx_subnet_conf *s1;

	(void)state;
	expect_loads(
		DHCP4("\"reservations-global\": true, "
		      "\"reservations-in-subnet\": false, " GLOBALS SUBNETS(
			      ", \"reservations-global\": false")));
	s1 = &cfg->subnets[0];
	assert_int_equal(s1->n_reservations, 2);
	assert_int_equal(s1->reservations[1].addr, IP(10, 0, 1, 6));
	assert_string_equal(s1->reservations[1].bootp.boot_file_name, "g.efi");
	assert_int_equal(cfg->subnets[1].n_reservations, 0);
}

static void test_refusals(void **state)
{
	(void)state;
	expect_error(DHCP4("\"reservations-global\": true, \"reservations\": "
			   "[ { \"hw-address\": \"02:00:00:00:00:07\", "
			   "\"ip-address\": \"10.0.1.5\" } ], " SUBNETS("")),
		     "t.json: Dhcp4.reservations[0].ip-address: 10.0.1.5: "
		     "already reserved for another client by subnet 1's "
		     "reservations[0]");
	expect_error(DHCP4("\"reservations\": [ { \"hw-address\": "
			   "\"02:00:00:00:00:07\", \"ip-address\": \"10.0.1\" "
			   "} ], " SUBNETS("")),
		     "t.json: Dhcp4.reservations[0].ip-address: '10.0.1' is "
		     "not an IPv4 address");
	expect_error(DHCP4("\"reservations\": [ { \"hw-address\": "
			   "\"02:00:00:00:00:07\" }, { \"hw-address\": "
			   "\"02:00:00:00:00:07\" } ], " SUBNETS("")),
		     "t.json: Dhcp4.reservations[1].hw-address: "
		     "02:00:00:00:00:07: already reserved by reservations[0]");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_global_off_by_default, teardown),
		cmocka_unit_test_teardown(test_global_in_subnets, teardown),
		cmocka_unit_test_teardown(test_in_subnet_false, teardown),
		cmocka_unit_test_teardown(test_refusals, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
