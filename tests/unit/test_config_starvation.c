// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Dhcp4.dhcpxdp.starvation (user/config/starvation.c): defaults, values
 * accepted, values refused with FILE: JSON-PATH: reason. */
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
#define STARVATION(members) \
	DHCP4("\"dhcpxdp\": { \"starvation\": { " members " } }")

static void test_defaults(void **state)
{
	const struct dx_starvation_conf *sv;

	(void)state;
	/* No dhcpxdp object at all, and one without "starvation". */
	assert_int_equal(load(DHCP4("")), 0);
	sv = &cfg->dhcpxdp.starvation;
	assert_int_equal(sv->pressure_free_percent, 10);
	assert_int_equal(sv->pressure_offer_hold, 3);
	assert_true(sv->reclaim_declined);
	assert_int_equal(sv->max_per_circuit_id, 0);
	assert_int_equal(sv->max_relay_share_percent, 0);
	assert_int_equal(load(DHCP4("\"dhcpxdp\": { }")), 0);
	assert_int_equal(cfg->dhcpxdp.starvation.pressure_free_percent, 10);
	assert_true(cfg->dhcpxdp.starvation.reclaim_declined);
}

static void test_accepted(void **state)
{
	const struct dx_starvation_conf *sv;

	(void)state;
	assert_int_equal(load(STARVATION("\"pressure-free-percent\": 25, "
					 "\"pressure-offer-lifetime\": 5, "
					 "\"reclaim-declined\": false, "
					 "\"max-leases-per-circuit-id\": 4, "
					 "\"max-relay-share-percent\": 50")),
			 0);
	sv = &cfg->dhcpxdp.starvation;
	assert_int_equal(sv->pressure_free_percent, 25);
	assert_int_equal(sv->pressure_offer_hold, 5);
	assert_false(sv->reclaim_declined);
	assert_int_equal(sv->max_per_circuit_id, 4);
	assert_int_equal(sv->max_relay_share_percent, 50);
	/* The bounds themselves. */
	assert_int_equal(load(STARVATION("\"pressure-free-percent\": 100, "
					 "\"max-relay-share-percent\": 100")),
			 0);
	assert_int_equal(load(STARVATION("\"pressure-free-percent\": 0, "
					 "\"pressure-offer-lifetime\": 0")),
			 0);
	/* Longer than offer-lifetime is not refused (the shorter holds),
	 * so Kea's "offer-lifetime": 0 loads with the defaults. */
	assert_int_equal(load(DHCP4("\"offer-lifetime\": 0")), 0);
}

static void test_refused(void **state)
{
	(void)state;
	expect_error(STARVATION("\"pressure-free-percent\": 101"),
		     "t.json: Dhcp4.dhcpxdp.starvation.pressure-free-percent: "
		     "101 is out of range (0 to 100)");
	expect_error(
		STARVATION("\"max-relay-share-percent\": -1"),
		"t.json: Dhcp4.dhcpxdp.starvation.max-relay-share-percent: "
		"-1 is out of range (0 to 100)");
	expect_error(
		STARVATION("\"pressure-offer-lifetime\": \"3\""),
		"t.json: Dhcp4.dhcpxdp.starvation.pressure-offer-lifetime: "
		"expected an integer, got a string");
	expect_error(STARVATION("\"reclaim-declined\": 1"),
		     "t.json: Dhcp4.dhcpxdp.starvation.reclaim-declined: "
		     "expected true or false, got an integer");
	expect_error(STARVATION("\"max-leases-per-circuit-id\": 4294967296"),
		     "t.json: Dhcp4.dhcpxdp.starvation."
		     "max-leases-per-circuit-id: 4294967296 is out of range "
		     "(0 to 4294967295)");
	expect_error(DHCP4("\"dhcpxdp\": { \"starvation\": true }"),
		     "t.json: Dhcp4.dhcpxdp.starvation: expected an object, "
		     "got a boolean");
}

static void test_unknown_key_warns(void **state)
{
	int found = 0;

	(void)state;
	assert_int_equal(load(STARVATION("\"max-leases-per-port\": 3")), 0);
	for (size_t i = 0; i < diag.n_warnings; i++)
		found += !strcmp(diag.warnings[i],
				 "t.json: Dhcp4.dhcpxdp.starvation."
				 "max-leases-per-port: unknown key, ignored");
	assert_int_equal(found, 1);
}

int main(void)
{
#define T(fn) cmocka_unit_test_teardown(fn, teardown)
	const struct CMUnitTest tests[] = {
		T(test_defaults),
		T(test_accepted),
		T(test_refused),
		T(test_unknown_key_warns),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
