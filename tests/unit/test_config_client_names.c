// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Kea's client-name keys (config/client_names.c): hostname-char-set,
 * hostname-char-replacement, ddns-replace-client-name,
 * ddns-generated-prefix, ddns-qualifying-suffix. Kea's defaults, the
 * Dhcp4 -> shared-network -> subnet inheritance, and each refusal with
 * its exact message (FILE: JSON-PATH: reason).
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
#define SUBNET(extra)                                                    \
	"\"subnet4\": [ { \"id\": 1, \"subnet\": \"10.0.1.0/24\", "      \
	"\"pools\": [ { \"pool\": \"10.0.1.100 - 10.0.1.200\" } ]" extra \
	" } ]"

/* Kea's defaults (its simple_parser4 defaults). */
static void test_defaults(void **state)
{
	const struct dx_client_name_conf *n;

	(void)state;
	expect_loads(DHCP4(ETH0 SUBNET("")));
	n = &cfg->subnets[0].names;
	assert_string_equal(n->char_set, "[^A-Za-z0-9.-]");
	assert_string_equal(n->replacement, "");
	assert_int_equal(n->replace, DX_REPLACE_NEVER);
	assert_string_equal(n->prefix, "myhost");
	assert_string_equal(n->suffix, "");
}

/* Each level starts from the one above; the most specific key wins. */
static void test_inheritance(void **state)
{
	const struct dx_client_name_conf *a, *b, *c;

	(void)state;
	expect_loads(DHCP4(
		"\"interfaces-config\": { \"interfaces\": [ \"eth0\", "
		"\"eth1\" ] }, "
		"\"hostname-char-set\": \"[^a-z]\", "
		"\"hostname-char-replacement\": \"x\", "
		"\"ddns-qualifying-suffix\": \"example.org\", "
		"\"subnet4\": [ { \"id\": 9, \"subnet\": \"172.16.0.0/24\", "
		"\"interface\": \"eth0\", \"ddns-replace-client-name\": "
		"\"always\" } ], "
		"\"shared-networks\": [ { \"name\": \"frog\", "
		"\"interface\": \"eth1\", \"ddns-generated-prefix\": \"frog\", "
		"\"hostname-char-replacement\": \"\", "
		"\"subnet4\": [ { \"id\": 1, \"subnet\": \"10.0.0.0/24\", "
		"\"ddns-qualifying-suffix\": \"pond.example.org.\", "
		"\"ddns-replace-client-name\": \"when-not-present\" }, "
		"{ \"id\": 2, \"subnet\": \"10.0.2.0/24\", "
		"\"hostname-char-set\": \"\" } ] } ]"));
	a = &config_subnet_by_id(cfg, 9)->names;
	b = &config_subnet_by_id(cfg, 1)->names;
	c = &config_subnet_by_id(cfg, 2)->names;
	assert_string_equal(a->char_set, "[^a-z]");
	assert_string_equal(a->replacement, "x");
	assert_int_equal(a->replace, DX_REPLACE_ALWAYS);
	assert_string_equal(a->prefix, "myhost");
	assert_string_equal(a->suffix, "example.org");
	assert_string_equal(b->replacement, "");
	assert_string_equal(b->prefix, "frog");
	assert_string_equal(b->suffix, "pond.example.org.");
	assert_int_equal(b->replace, DX_REPLACE_WHEN_NOT_PRESENT);
	assert_string_equal(c->char_set, "");
	assert_string_equal(c->prefix, "frog");
	assert_string_equal(c->suffix, "example.org");
	assert_int_equal(c->replace, DX_REPLACE_NEVER);
}

static void test_modes(void **state)
{
	static const struct {
		const char *name;
		int mode;
	} m[] = {{"never", DX_REPLACE_NEVER},
		 {"always", DX_REPLACE_ALWAYS},
		 {"when-present", DX_REPLACE_WHEN_PRESENT},
		 {"when-not-present", DX_REPLACE_WHEN_NOT_PRESENT}};
	char json[512];

	(void)state;
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		snprintf(json, sizeof(json),
			 DHCP4("\"ddns-replace-client-name\": \"%s\""),
			 m[i].name);
		expect_loads(json);
		assert_int_equal(cfg->names.replace, m[i].mode);
		config_free(cfg);
		cfg = NULL;
	}
}

static void test_bad_values(void **state)
{
	(void)state;
	expect_error(DHCP4("\"hostname-char-set\": \"[^A-Z\""),
		     "t.json: Dhcp4.hostname-char-set: '[^A-Z' is not a "
		     "POSIX extended regular expression: Unmatched [, [^, "
		     "[:, [., or [=");
	expect_error(DHCP4(ETH0 SUBNET(", \"hostname-char-set\": \"a{2\"")),
		     "t.json: Dhcp4.subnet4[0].hostname-char-set: 'a{2' is "
		     "not a POSIX extended regular expression: Unmatched \\{");
	expect_error(DHCP4("\"hostname-char-set\": 5"),
		     "t.json: Dhcp4.hostname-char-set: expected a string, got "
		     "an integer");
	/* Kea's old booleans are refused by Kea as well. */
	expect_error(DHCP4("\"ddns-replace-client-name\": true"),
		     "t.json: Dhcp4.ddns-replace-client-name: expected a "
		     "string, got a boolean");
	expect_error(DHCP4(ETH0 "\"shared-networks\": [ { \"name\": \"n\", "
				"\"ddns-replace-client-name\": \"sometimes\", "
				"\"subnet4\": [] } ]"),
		     "t.json: Dhcp4.shared-networks[0].ddns-replace-client-"
		     "name: 'sometimes' is not one of never, always, "
		     "when-present, when-not-present");
	expect_error(DHCP4("\"ddns-generated-prefix\": \"\""),
		     "t.json: Dhcp4.ddns-generated-prefix: '' is empty: it "
		     "must be a DNS name");
	expect_error(DHCP4("\"ddns-generated-prefix\": \"my host\""),
		     "t.json: Dhcp4.ddns-generated-prefix: 'my host' has a "
		     "blank or a character that is not printable ASCII: it "
		     "must be a DNS name");
	expect_error(DHCP4("\"ddns-qualifying-suffix\": \"a..example\""),
		     "t.json: Dhcp4.ddns-qualifying-suffix: 'a..example' has "
		     "an empty label: it must be a DNS name");
	expect_error(DHCP4("\"hostname-char-replacement\": \"0123456789012345"
			   "678901234567890123456789012345678901234567890123"
			   "4\""),
		     "t.json: Dhcp4.hostname-char-replacement: 65 bytes "
		     "long; at most 63");
}

/* A pool's keys (Kea 2.7.6) are ignored, not refused. */
static void test_pool_level_ignored(void **state)
{
	(void)state;
	expect_loads(DHCP4(ETH0 "\"subnet4\": [ { \"id\": 1, \"subnet\": "
				"\"10.0.1.0/24\", \"pools\": [ { \"pool\": "
				"\"10.0.1.100 - 10.0.1.200\", "
				"\"hostname-char-set\": \"[\" } ] } ]"));
	assert_string_equal(cfg->subnets[0].names.char_set, "[^A-Za-z0-9.-]");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_defaults, teardown),
		cmocka_unit_test_teardown(test_inheritance, teardown),
		cmocka_unit_test_teardown(test_modes, teardown),
		cmocka_unit_test_teardown(test_bad_values, teardown),
		cmocka_unit_test_teardown(test_pool_level_ignored, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
