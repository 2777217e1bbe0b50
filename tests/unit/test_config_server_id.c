// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The options a Kea configuration may set whose value the server owns
 * (user/config/options.c): 54 (dhcp-server-identifier) taken as the
 * subnet's server identifier, inherited subnet < shared network < Dhcp4,
 * refused below the subnet; 52 and 57 checked, warned about and never
 * sent.
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
#define DHCP4(body)                                                \
	"{ \"Dhcp4\": { \"interfaces-config\": { \"interfaces\": " \
	"[ \"eth0\", \"eth1\" ] }, " body " } }"
#define SID(a)                                                        \
	"\"option-data\": [ { \"name\": \"dhcp-server-identifier\", " \
	"\"data\": \"" a "\" } ]"
#define POOL " \"pools\": [ { \"pool\": \"10.0.0.10 - 10.0.0.20\" } ]"

static bool has_code(const struct dx_option_list *l, uint8_t code)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->opts[i].code == code)
			return true;
	return false;
}

/* Subnet's own, else the shared network's, else Dhcp4's. */
static void test_inherited(void **state)
{
	(void)state;
	expect_loads(DHCP4(SID(
		"192.0.2.1") ", \"shared-networks\": [ { \"name\": \"n\", "
			     "\"interface\": \"eth1\", " SID(
				     "192.0.2.2") ", "
						  "\"subnet4\": [ { \"id\": 3, "
						  "\"subnet\": \"10.0.3.0/24\" "
						  "}, "
						  "{ \"id\": 4, \"subnet\": "
						  "\"10.0.4.0/24\", " SID(
							  "192.0.2.4") " } ] } "
								       "], "
								       "\"subne"
								       "t4\": "
								       "[ { "
								       "\"id\":"
								       " 1, "
								       "\"subne"
								       "t\": "
								       "\"10.0."
								       "0.0/"
								       "24\", "
								       "\"inter"
								       "face\":"
								       " \"eth0"
								       "\","
								       " " POOL
								       " }, "
								       "{ "
								       "\"id\":"
								       " 2, "
								       "\"subne"
								       "t\": "
								       "\"10.0."
								       "1.0/"
								       "24\", "
								       "\"relay"
								       "\": "
								       "{ "
								       "\"ip-"
								       "address"
								       "es\": "
								       "[ "
								       "\"10.9."
								       "9.9\" "
								       "] "
								       "},"
								       " " SID("192.0.2.3") " } ]"));
	assert_int_equal(cfg->server_id, IP(192, 0, 2, 1));
	for (size_t i = 0; i < cfg->n_subnets; i++) {
		const struct dx_subnet_conf *s = &cfg->subnets[i];
		static const uint32_t want[] = {
			0, IP(192, 0, 2, 1), IP(192, 0, 2, 3), IP(192, 0, 2, 2),
			IP(192, 0, 2, 4)};

		assert_int_equal(s->server_id, want[s->id]);
		/* Never sent as configured: the engine sets it. */
		assert_false(has_code(&s->options, 54));
		/* XDP sends the interface's address: off. */
		assert_true(config_fast_path_off(cfg, s));
	}
	assert_false(has_code(&cfg->options, 54));
}

static void test_none(void **state)
{
	(void)state;
	expect_loads(DHCP4("\"subnet4\": [ { \"id\": 1, \"subnet\": "
			   "\"10.0.0.0/24\", \"interface\": \"eth0\", " POOL
			   " } ]"));
	assert_int_equal(cfg->subnets[0].server_id, 0);
	assert_false(config_fast_path_off(cfg, &cfg->subnets[0]));
}

static void test_refused(void **state)
{
	(void)state;
	expect_error(
		DHCP4("\"subnet4\": [ { \"id\": 1, \"subnet\": "
		      "\"10.0.0.0/24\", \"interface\": \"eth0\", "
		      "\"pools\": [ { \"pool\": \"10.0.0.10 - "
		      "10.0.0.20\", " SID("192.0.2.1") " } ] } ]"),
		"t.json: Dhcp4.subnet4[0].pools[0].option-data[0]: option "
		"54 'dhcp-server-identifier' is taken at the Dhcp4, shared "
		"network and subnet levels only: set it on the subnet");
	expect_error(
		DHCP4("\"subnet4\": [ { \"id\": 1, \"subnet\": "
		      "\"10.0.0.0/24\", \"interface\": \"eth0\", "
		      "\"reservations\": [ { \"hw-address\": "
		      "\"02:00:00:00:00:01\", " SID("192.0.2.1") " } ] } ]"),
		"t.json: Dhcp4.subnet4[0].reservations[0].option-data[0]: "
		"option 54 'dhcp-server-identifier' is taken at the Dhcp4, "
		"shared network and subnet levels only: set it on the "
		"subnet");
	expect_error(DHCP4(SID("0.0.0.0")),
		     "t.json: Dhcp4.option-data[0].data: '0.0.0.0' cannot "
		     "identify a server: a unicast address is needed");
	expect_error(DHCP4(SID("224.0.0.1")),
		     "t.json: Dhcp4.option-data[0].data: '224.0.0.1' cannot "
		     "identify a server: a unicast address is needed");
	assert_int_equal(load(DHCP4(SID("nonsense"))), -EINVAL);
	assert_non_null(strstr(diag.error, "Dhcp4.option-data[0].data: "));
}

/* 52 and 57: checked, warned about, in no option list. */
static void test_overload_and_max_size_ignored(void **state)
{
	(void)state;
	expect_loads(DHCP4(
		"\"option-data\": [ { \"code\": 52, \"data\": \"3\" }, "
		"{ \"name\": \"dhcp-max-message-size\", \"data\": \"1536\" }, "
		"{ \"name\": \"domain-name\", \"data\": \"example.org\" } ]"));
	assert_int_equal(diag.n_warnings, 3); /* and: no subnets */
	assert_string_equal(
		diag.warnings[0],
		"t.json: Dhcp4.option-data[0]: option 52 "
		"'dhcp-option-overload' is not sent: the server decides on "
		"option overload itself (RFC 2132 9.3); ignored");
	assert_string_equal(diag.warnings[1],
			    "t.json: Dhcp4.option-data[1]: option 57 "
			    "'dhcp-max-message-size' is not sent: it is the "
			    "client's limit, the server never sends it (RFC "
			    "2132 9.10); ignored");
	assert_int_equal(cfg->options.n, 1);
	assert_int_equal(cfg->options.opts[0].code, 15);
	/* Still checked: a bad value fails. */
	assert_int_equal(load(DHCP4("\"option-data\": [ { \"code\": 52, "
				    "\"data\": \"300\" } ]")),
			 -EINVAL);
	assert_non_null(strstr(diag.error, "Dhcp4.option-data[0].data: "));
}

int main(void)
{
#define T(fn) cmocka_unit_test_teardown(fn, teardown)
	const struct CMUnitTest tests[] = {
		T(test_inherited),
		T(test_none),
		T(test_refused),
		T(test_overload_and_max_size_ignored),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
