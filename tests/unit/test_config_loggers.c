// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Dhcp4.loggers (user/config/loggers.c): Kea's subset accepted, the rest
 * refused with FILE: JSON-PATH: reason, other loggers warned about. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <cmocka.h>

#include "config/config.h"
#include "config_fixture.h"

#define DHCP4(body)	 "{ \"Dhcp4\": { " body " } }"
#define LOGGERS(members) DHCP4("\"loggers\": [ " members " ]")

static void test_defaults(void **state)
{
	(void)state;
	assert_int_equal(load(DHCP4("")), 0);
	assert_int_equal(cfg->logging.severity, LOG_LVL_INFO);
	assert_int_equal(cfg->logging.n_out, 0);
	assert_int_equal(load(LOGGERS("")), 0);
	assert_int_equal(cfg->logging.n_out, 0);
}

static void test_kea_logger_accepted(void **state)
{
	const struct log_conf *l;

	(void)state;
	assert_int_equal(
		load(LOGGERS(
			"{ \"name\": \"kea-dhcp4\", \"severity\": "
			"\"DEBUG\", \"debuglevel\": 40, \"output_options\": "
			"[ { \"output\": \"/var/log/kea/dhcp4.log\", "
			"\"maxsize\": 2048000, \"maxver\": 4, \"flush\": "
			"false }, { \"output\": \"syslog:local3\" }, { "
			"\"output\": \"stdout\" } ] }")),
		0);
	l = &cfg->logging;
	assert_int_equal(l->severity, LOG_LVL_DEBUG);
	assert_int_equal(l->debuglevel, 40);
	assert_int_equal(l->n_out, 3);
	assert_int_equal(l->out[0].kind, LOG_OUT_FILE);
	assert_string_equal(l->out[0].path, "/var/log/kea/dhcp4.log");
	assert_int_equal(l->out[0].maxsize, 2048000);
	assert_int_equal(l->out[0].maxver, 4);
	assert_false(l->out[0].flush);
	assert_int_equal(l->out[1].kind, LOG_OUT_SYSLOG);
	assert_int_equal(l->out[1].facility, LOG_LOCAL3);
	assert_int_equal(l->out[2].kind, LOG_OUT_STDOUT);
	/* Kea's defaults for what a file output does not say. */
	assert_int_equal(load(LOGGERS("{ \"name\": \"dhcpxdp\", "
				      "\"output-options\": [ { \"output\": "
				      "\"/tmp/x.log\" } ] }")),
			 0);
	assert_int_equal(cfg->logging.out[0].maxsize, LOG_DEFAULT_MAXSIZE);
	assert_int_equal(cfg->logging.out[0].maxver, 1);
	assert_true(cfg->logging.out[0].flush);
	assert_int_equal(cfg->logging.severity, LOG_LVL_INFO);
}

static void test_warnings(void **state)
{
	(void)state;
	assert_int_equal(
		load(LOGGERS("{ \"name\": \"kea-dhcp4.leases\" }, { \"name\": "
			     "\"kea-dhcp4\", \"output_options\": [ { "
			     "\"output\": \"stderr\", \"pattern\": \"%m\" } ] "
			     "}")),
		0);
	assert_int_equal(diag.n_warnings, 3); /* and "no subnets" */
	assert_string_equal(diag.warnings[1],
			    "t.json: Dhcp4.loggers[0].name: logger "
			    "'kea-dhcp4.leases' ignored: dhcpxdp has one "
			    "logger, \"kea-dhcp4\" (or \"dhcpxdp\")");
	assert_string_equal(diag.warnings[2],
			    "t.json: Dhcp4.loggers[1].output_options[0]."
			    "pattern: ignored: dhcpxdp writes Kea's default "
			    "layout");
}

static void test_refused(void **state)
{
	(void)state;
	expect_error(LOGGERS("{ \"name\": \"kea-dhcp4\", \"severity\": "
			     "\"LOUD\" }"),
		     "t.json: Dhcp4.loggers[0]: severity 'LOUD': expected "
		     "FATAL, ERROR, WARN, INFO, DEBUG or NONE");
	expect_error(LOGGERS("{ \"name\": \"kea-dhcp4\", \"debuglevel\": 100 "
			     "}"),
		     "t.json: Dhcp4.loggers[0].debuglevel: 100 is out of range "
		     "(0 to 99)");
	expect_error(LOGGERS("{ \"name\": \"kea-dhcp4\", \"output_options\": "
			     "[ { \"output\": \"syslog:local9\" } ] }"),
		     "t.json: Dhcp4.loggers[0].output_options[0].output: "
		     "'syslog:local9': unknown syslog facility (daemon, "
		     "local0 .. local7, user, ...)");
	expect_error(LOGGERS("{ \"name\": \"kea-dhcp4\", \"output_options\": "
			     "[ { \"output\": \"syslog\" }, { \"output\": "
			     "\"syslog:daemon\" } ] }"),
		     "t.json: Dhcp4.loggers[0].output_options[1]: a second "
		     "syslog output: syslog(3) takes one facility per "
		     "process");
	expect_error(LOGGERS("{ \"name\": \"kea-dhcp4\", \"output_options\": "
			     "[ { \"maxver\": 2 } ] }"),
		     "t.json: Dhcp4.loggers[0].output_options[0]: \"output\" "
		     "is missing");
	expect_error(LOGGERS("{ \"name\": \"kea-dhcp4\" }, { \"name\": "
			     "\"dhcpxdp\" }"),
		     "t.json: Dhcp4.loggers[1].name: a second \"dhcpxdp\" "
		     "logger: dhcpxdp has one, give it every output");
	expect_error(LOGGERS("{ \"severity\": \"INFO\" }"),
		     "t.json: Dhcp4.loggers[0]: \"name\" is missing");
	expect_error(LOGGERS("{ \"name\": \"kea-dhcp4\", \"output_options\": "
			     "[ { \"output\": \"stderr\", \"maxver\": 0 } ] }"),
		     "t.json: Dhcp4.loggers[0].output_options[0].maxver: 0 is "
		     "out of range (1 to 1000)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_defaults, teardown),
		cmocka_unit_test_teardown(test_kea_logger_accepted, teardown),
		cmocka_unit_test_teardown(test_warnings, teardown),
		cmocka_unit_test_teardown(test_refused, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
