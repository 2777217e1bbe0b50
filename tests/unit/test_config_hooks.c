// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Dhcp4.hooks-libraries (config/hooks.c): Kea's flex_id and lease_cmds
 * hooks are built in (legal_log too: test_config_history.c), every other
 * library is refused naming it; the
 * flex_id hook's parameters are checked with their JSON path.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "config_fixture.h"

#define CFG(hooks, res)                                                 \
	"{ \"Dhcp4\": { \"interfaces-config\": { \"interfaces\": [] }," \
	" \"hooks-libraries\": [ " hooks " ],"                          \
	" \"subnet4\": [ { \"id\": 1, \"subnet\": \"10.0.1.0/24\","     \
	" \"relay\": { \"ip-addresses\": [ \"10.0.0.1\" ] },"           \
	" \"reservations\": [ " res " ] } ] } }"
#define FLEX(params)                                            \
	"{ \"library\": \"/usr/lib/x86_64-linux-gnu/kea/hooks/" \
	"libdhcp_flex_id.so\", \"parameters\": { " params " } }"
#define LEASE_CMDS                                              \
	"{ \"library\": \"/usr/lib/x86_64-linux-gnu/kea/hooks/" \
	"libdhcp_lease_cmds.so\" }"
#define BY_REMOTE_ID "{ \"flex-id\": \"'sw-7'\", \"ip-address\": \"10.0.1.9\" }"

static void flex_id_expression_kept(void **state)
{
	(void)state;
	assert_int_equal(
		load(CFG(LEASE_CMDS ", " FLEX("\"identifier-expression\": "
					      "\"relay4[2].hex\", "
					      "\"replace-client-id\": false"),
			 BY_REMOTE_ID)),
		0);
	assert_non_null(cfg->flex_id_expr);
	assert_int_equal(cfg->subnets[0].reservations[0].flex_id_len, 4);
	assert_memory_equal(cfg->subnets[0].reservations[0].flex_id, "sw-7", 4);
	/* with the hook, no "never matches" warning */
	for (size_t i = 0; i < diag.n_warnings; i++)
		assert_null(strstr(diag.warnings[i], "never matches"));
}

static void flex_id_without_hook_warned(void **state)
{
	(void)state;
	assert_int_equal(load(CFG(LEASE_CMDS, BY_REMOTE_ID)), 0);
	assert_null(cfg->flex_id_expr);
	assert_int_equal(diag.n_warnings, 1);
	assert_non_null(strstr(diag.warnings[0], "never matches"));
}

static void flex_id_parameters_checked(void **state)
{
	(void)state;
	expect_error(CFG("{ \"library\": \"libdhcp_flex_id.so\" }", ""),
		     "t.json: Dhcp4.hooks-libraries[0]: libdhcp_flex_id.so "
		     "needs 'parameters' with an 'identifier-expression'");
	expect_error(CFG(FLEX("\"replace-client-id\": false"), ""),
		     "t.json: Dhcp4.hooks-libraries[0].parameters: "
		     "'identifier-expression' is missing");
	expect_error(CFG(FLEX("\"identifier-expression\": \"relay4[2].hex\","
			      " \"replace-client-id\": true"),
			 ""),
		     "t.json: Dhcp4.hooks-libraries[0].parameters.replace-"
		     "client-id: using the flex-id as the client identifier "
		     "is not supported: set it to false");
	assert_int_equal(
		load(CFG(FLEX("\"identifier-expression\": \"substring(\""),
			 "")),
		-EINVAL);
	assert_non_null(strstr(diag.error,
			       "t.json: Dhcp4.hooks-libraries[0].parameters."
			       "identifier-expression: "));
	expect_error(
		CFG(FLEX("\"identifier-expression\": \"pkt4.mac\"") ", " FLEX(
			    "\"identifier-expression\": \"pkt4.mac\""),
		    ""),
		"t.json: Dhcp4.hooks-libraries[1]: libdhcp_flex_id.so is "
		"listed twice");
	expect_error(CFG("{ \"parameters\": {} }", ""),
		     "t.json: Dhcp4.hooks-libraries[0]: 'library' is missing");
}

static void other_hooks_refused(void **state)
{
	(void)state;
	expect_error(
		CFG("{ \"library\": \"/opt/kea/libdhcp_radius.so\" }", ""),
		"t.json: Dhcp4.hooks-libraries[0].library: "
		"'/opt/kea/libdhcp_radius.so' is not supported by dhcpxdp: Kea "
		"hook libraries cannot be loaded (libdhcp_lease_cmds.so, "
		"libdhcp_flex_id.so, libdhcp_legal_log.so and libdhcp_ha.so "
		"are built in)");
	expect_error(CFG("\"libdhcp_flex_id.so\"", ""),
		     "t.json: Dhcp4.hooks-libraries[0]: expected an object, "
		     "got a string");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(flex_id_expression_kept, teardown),
		cmocka_unit_test_teardown(flex_id_without_hook_warned,
					  teardown),
		cmocka_unit_test_teardown(flex_id_parameters_checked, teardown),
		cmocka_unit_test_teardown(other_hooks_refused, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
