// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Kea's authoritative, match-client-id, echo-client-id and
 * min-/max-valid-lifetime (user/config/kea_behaviour.c): defaults, the
 * subnet level inheriting Dhcp4's, values refused with FILE: JSON-PATH:
 * reason.
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

#define DHCP4(body) "{ \"Dhcp4\": { " body " } }"
#define ETH0	    "\"interfaces-config\": { \"interfaces\": [ \"eth0\" ] }, "
/* Two subnets: the first sets its own keys (s1), the second inherits. */
#define SUBNETS(s1)                                                           \
	"\"subnet4\": [ { \"id\": 1, \"subnet\": \"10.0.0.0/24\", " s1        \
	" \"pools\": [ { \"pool\": \"10.0.0.10 - 10.0.0.20\" } ] }, "         \
	"{ \"id\": 2, \"subnet\": \"10.0.1.0/24\", \"interface\": \"eth0\", " \
	" \"pools\": [ { \"pool\": \"10.0.1.10 - 10.0.1.20\" } ] } ]"

static void test_defaults(void **state)
{
	(void)state;
	assert_int_equal(load(DHCP4(ETH0 "\"valid-lifetime\": 1000, " SUBNETS(
				 "\"relay\": { \"ip-addresses\""
				 ": [ \"192.0.2.1\" ] },"))),
			 0);
	assert_false(cfg->kea.authoritative);
	assert_false(cfg->kea.ignore_client_id);
	assert_false(cfg->kea.no_echo_client_id);
	for (size_t i = 0; i < 2; i++) {
		const struct dx_subnet_conf *s = &cfg->subnets[i];

		assert_false(s->authoritative);
		assert_false(s->ignore_client_id);
		assert_int_equal(s->min_valid_lifetime, 1000);
		assert_int_equal(s->max_valid_lifetime, 1000);
		assert_false(config_fast_path_off(cfg, s));
	}
	/* No warning: the keys are read, not ignored. */
	assert_int_equal(
		load(DHCP4(ETH0 "\"authoritative\": false, "
				"\"match-client-id\": true, "
				"\"echo-client-id\": true, "
				"\"valid-lifetime\": 1000, "
				"\"min-valid-lifetime\": 1000, "
				"\"max-valid-lifetime\": 1000, " SUBNETS(
					"\"relay\": { \"ip-addresses\": "
					"[ \"192.0.2.1\" ] },"))),
		0);
	assert_int_equal(diag.n_warnings, 0);
	assert_false(config_fast_path_off(cfg, &cfg->subnets[0]));
}

static void test_inherited_and_overridden(void **state)
{
	const struct dx_subnet_conf *s1, *s2;

	(void)state;
	assert_int_equal(
		load(DHCP4(ETH0 "\"authoritative\": true, "
				"\"match-client-id\": false, "
				"\"valid-lifetime\": 1000, "
				"\"min-valid-lifetime\": 500, "
				"\"max-valid-lifetime\": 2000, " SUBNETS(
					"\"relay\": { \"ip-addresses\": "
					"[ \"192.0.2.1\" ] }, "
					"\"authoritative\": false, "
					"\"match-client-id\": true, "
					"\"valid-lifetime\": 3000, "
					"\"max-valid-lifetime\": 4000,"))),
		0);
	s1 = &cfg->subnets[0];
	s2 = &cfg->subnets[1];
	assert_false(s1->authoritative);
	assert_false(s1->ignore_client_id);
	assert_int_equal(s1->valid_lifetime, 3000);
	assert_int_equal(s1->min_valid_lifetime, 500); /* Dhcp4's */
	assert_int_equal(s1->max_valid_lifetime, 4000);
	assert_true(s2->authoritative);
	assert_true(s2->ignore_client_id);
	assert_int_equal(s2->min_valid_lifetime, 500);
	assert_int_equal(s2->max_valid_lifetime, 2000);
	assert_true(config_fast_path_off(cfg, s1));
	assert_true(config_fast_path_off(cfg, s2));
	/* echo-client-id is global; false takes every subnet off XDP. */
	assert_int_equal(load(DHCP4(ETH0 "\"echo-client-id\": false, " SUBNETS(
				 "\"relay\": { \"ip-addresses\": "
				 "[ \"192.0.2.1\" ] },"))),
			 0);
	assert_true(cfg->kea.no_echo_client_id);
	assert_true(config_fast_path_off(cfg, &cfg->subnets[1]));
}

static void test_refused(void **state)
{
	(void)state;
	expect_error(DHCP4("\"authoritative\": 1"),
		     "t.json: Dhcp4.authoritative: expected true or false, "
		     "got an integer");
	expect_error(DHCP4("\"echo-client-id\": \"no\""),
		     "t.json: Dhcp4.echo-client-id: expected true or false, "
		     "got a string");
	expect_error(DHCP4("\"valid-lifetime\": 1000, "
			   "\"min-valid-lifetime\": 2000"),
		     "t.json: Dhcp4.min-valid-lifetime: 2000 is more than "
		     "valid-lifetime (1000)");
	expect_error(DHCP4("\"valid-lifetime\": 1000, "
			   "\"max-valid-lifetime\": 999"),
		     "t.json: Dhcp4.max-valid-lifetime: 999 is less than "
		     "valid-lifetime (1000)");
	expect_error(DHCP4(ETH0 "\"valid-lifetime\": 1000, " SUBNETS(
			     "\"relay\": { \"ip-addresses\": "
			     "[ \"192.0.2.1\" ] }, "
			     "\"match-client-id\": \"yes\",")),
		     "t.json: Dhcp4.subnet4[0].match-client-id: expected "
		     "true or false, got a string");
	/* An inherited bound the subnet's valid-lifetime breaks. */
	expect_error(DHCP4(ETH0 "\"valid-lifetime\": 1000, "
				"\"max-valid-lifetime\": 1500, " SUBNETS(
					"\"relay\": { \"ip-addresses\": "
					"[ \"192.0.2.1\" ] }, "
					"\"valid-lifetime\": 2000,")),
		     "t.json: Dhcp4.subnet4[0].max-valid-lifetime: 1500 is "
		     "less than valid-lifetime (2000)");
	expect_error(DHCP4("\"min-valid-lifetime\": 0"),
		     "t.json: Dhcp4.min-valid-lifetime: 0 is out of range "
		     "(1 to 4294967295)");
	/* echo-client-id is Kea's global key only: not read in a subnet,
	 * and said so. */
	assert_int_equal(
		load(DHCP4(ETH0 SUBNETS("\"relay\": { \"ip-addresses\""
					": [ \"192.0.2.1\" ] }, "
					"\"echo-client-id\": false,"))),
		0);
	assert_false(cfg->kea.no_echo_client_id);
	assert_int_equal(diag.n_warnings, 1);
	assert_non_null(
		strstr(diag.warnings[0], "Dhcp4.subnet4[0].echo-client-id"));
}

int main(void)
{
#define T(fn) cmocka_unit_test_teardown(fn, teardown)
	const struct CMUnitTest tests[] = {
		T(test_defaults),
		T(test_inherited_and_overridden),
		T(test_refused),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
