// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Dhcp4.dhcpxdp.rate-limits (user/config/rate_limits.c): the defaults,
 * accepted values, a kind or a key left out keeping its default, rate 0
 * turning a limit off, every error with its FILE: JSON-PATH: reason, and
 * the values as the XDP map receives them (user/kernel/map_limits.c).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/config.h"
#include "config_fixture.h"
#include "kernel/map_limits.h"

/* A Dhcp4 object with one interface and subnet (no warning of its own). */
#define DHCP4(body)                                                           \
	"{ \"Dhcp4\": { \"interfaces-config\": { \"interfaces\": [ \"eth0\" " \
	"] }, "                                                               \
	"\"subnet4\": [ { \"id\": 1, \"subnet\": \"10.0.1.0/24\" } ], " body  \
	" } }"
#define LIMITS(body) DHCP4("\"dhcpxdp\": { \"rate-limits\": { " body " } }")
#define PATH	     "t.json: Dhcp4.dhcpxdp.rate-limits"

static const struct dx_rate_limits_conf *load_ok(const char *json)
{
	int ret = load(json);

	if (ret)
		fail_msg("unexpected error %d: %s", ret, diag.error);
	return &cfg->dhcpxdp.rate_limits;
}

static void assert_limit(const struct dx_rate_limit_conf *l, uint32_t rate,
			 uint32_t burst)
{
	assert_int_equal(l->rate, rate);
	assert_int_equal(l->burst, burst);
}

static void test_defaults(void **state)
{
	const struct dx_rate_limits_conf *rl;

	(void)state;
	/* no dhcpxdp object at all */
	rl = load_ok(DHCP4("\"valid-lifetime\": 600"));
	assert_limit(&rl->per_client, 8, 16);
	assert_limit(&rl->per_network, 200, 400);
	assert_limit(&rl->per_relay, 400, 800);
	assert_limit(&rl->per_circuit_id, 8, 16);
	/* a dhcpxdp object without rate-limits, and an empty one */
	rl = load_ok(DHCP4("\"dhcpxdp\": { \"offer-lifetime\": 30 }"));
	assert_limit(&rl->per_network, 200, 400);
	rl = load_ok(LIMITS(""));
	assert_limit(&rl->per_client, 8, 16);
	assert_limit(&rl->per_circuit_id, 8, 16);
}

static void test_values(void **state)
{
	const struct dx_rate_limits_conf *rl;

	(void)state;
	rl = load_ok(LIMITS(
		"\"per-client\": { \"rate\": 4, \"burst\": 10 }, "
		"\"per-network\": { \"rate\": 1000, \"burst\": 5000 }, "
		"\"per-relay\": { \"rate\": 0 }, "
		"\"per-circuit-id\": { \"burst\": 32, \"comment\": \"x\" }"));
	assert_limit(&rl->per_client, 4, 10);
	assert_limit(&rl->per_network, 1000, 5000);
	/* rate 0: off (the burst, unused, keeps its default) */
	assert_limit(&rl->per_relay, 0, 800);
	/* only the burst given: the default rate stays */
	assert_limit(&rl->per_circuit_id, 8, 32);
	assert_int_equal(diag.n_warnings, 0);
	/* the largest values */
	rl = load_ok(LIMITS("\"per-client\": { \"rate\": 1000000, "
			    "\"burst\": 1000000 }"));
	assert_limit(&rl->per_client, 1000000, 1000000);
}

static void test_unknown_keys_warn(void **state)
{
	const struct dx_rate_limits_conf *rl;

	(void)state;
	rl = load_ok(LIMITS("\"per-mac\": { \"rate\": 1 }, \"per-client\": "
			    "{ \"rate\": 2, \"brust\": 3 }"));
	assert_limit(&rl->per_client, 2, 16);
	assert_int_equal(diag.n_warnings, 2);
	assert_string_equal(diag.warnings[0],
			    PATH ".per-mac: unknown key, ignored");
	assert_string_equal(diag.warnings[1],
			    PATH ".per-client.brust: unknown key, ignored");
}

static void test_errors(void **state)
{
	(void)state;
	expect_error(DHCP4("\"dhcpxdp\": { \"rate-limits\": 100 }"),
		     PATH ": expected an object, got an integer");
	expect_error(LIMITS("\"per-client\": 8"),
		     PATH ".per-client: expected an object ({\"rate\": N, "
			  "\"burst\": N}), got an integer");
	expect_error(LIMITS("\"per-network\": { \"rate\": -1 }"),
		     PATH ".per-network.rate: -1 is out of range (0 to "
			  "1000000)");
	expect_error(LIMITS("\"per-relay\": { \"rate\": 1000001 }"),
		     PATH ".per-relay.rate: 1000001 is out of range (0 to "
			  "1000000)");
	expect_error(LIMITS("\"per-circuit-id\": { \"burst\": 0 }"),
		     PATH ".per-circuit-id.burst: 0 is out of range (1 to "
			  "1000000)");
	expect_error(LIMITS("\"per-client\": { \"rate\": \"8/s\" }"),
		     PATH ".per-client.rate: expected an integer, got a "
			  "string");
	expect_error(LIMITS("\"per-client\": { \"rate\": 2.5 }"),
		     PATH ".per-client.rate: expected an integer, got a "
			  "number");
}

/* What the daemon writes into dx_limits, by kind. */
static void test_map_values(void **state)
{
	struct dx_rate_limits v;

	(void)state;
	load_ok(LIMITS("\"per-client\": { \"rate\": 3, \"burst\": 5 }, "
		       "\"per-relay\": { \"rate\": 0 }"));
	map_limits_from_config(cfg, &v);
	assert_int_equal(v.limit[DX_RATE_CLIENT].rate, 3);
	assert_int_equal(v.limit[DX_RATE_CLIENT].burst, 5);
	assert_int_equal(v.limit[DX_RATE_NETWORK].rate, 200);
	assert_int_equal(v.limit[DX_RATE_NETWORK].burst, 400);
	assert_int_equal(v.limit[DX_RATE_RELAY].rate, 0);
	assert_int_equal(v.limit[DX_RATE_CIRCUIT_ID].rate, 8);
	assert_int_equal(v.limit[DX_RATE_CIRCUIT_ID].burst, 16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_defaults, teardown),
		cmocka_unit_test_teardown(test_values, teardown),
		cmocka_unit_test_teardown(test_unknown_keys_warn, teardown),
		cmocka_unit_test_teardown(test_errors, teardown),
		cmocka_unit_test_teardown(test_map_values, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
