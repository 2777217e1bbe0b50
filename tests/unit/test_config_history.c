// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Dhcp4.dhcpxdp.lease-history and Kea's legal log hook entry
 * (user/config/lease_history.c): defaults, values accepted, refused. */
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
#define HISTORY(members) \
	DHCP4("\"dhcpxdp\": { \"lease-history\": { " members " } }")
#define LEASE_DB "\"lease-database\": { \"type\": \"sqlite\", " \
		 "\"name\": \"/srv/dhcp/leases.sqlite3\" }, "
#define HOOK(params)                                                    \
	DHCP4("\"hooks-libraries\": [ { \"library\": "                  \
	      "\"/usr/lib/kea/hooks/libdhcp_legal_log.so\" " params " } ]")

static void test_defaults(void **state)
{
	const struct dx_history_conf *h;

	(void)state;
	assert_int_equal(load(DHCP4("")), 0);
	h = &cfg->dhcpxdp.history;
	assert_false(h->enabled);
	assert_int_equal(h->retention, 90 * 86400);
	/* set even when off: the CLI reads a history no longer written */
	assert_string_equal(h->path, "/var/lib/dhcpxdp/lease-history.sqlite3");
	assert_false(cfg->dhcpxdp.legal_log.enabled);
	/* present is on; the path follows the lease database */
	assert_int_equal(load(DHCP4(LEASE_DB "\"dhcpxdp\": { "
					     "\"lease-history\": { } }")),
			 0);
	assert_true(cfg->dhcpxdp.history.enabled);
	assert_string_equal(cfg->dhcpxdp.history.path,
			    "/srv/dhcp/lease-history.sqlite3");
}

static void test_accepted(void **state)
{
	(void)state;
	assert_int_equal(load(HISTORY("\"retention\": \"12h\", "
				      "\"path\": \"/tmp/h.sqlite3\"")),
			 0);
	assert_true(cfg->dhcpxdp.history.enabled);
	assert_int_equal(cfg->dhcpxdp.history.retention, 12 * 3600);
	assert_string_equal(cfg->dhcpxdp.history.path, "/tmp/h.sqlite3");
	assert_int_equal(load(HISTORY("\"retention\": 3600")), 0);
	assert_int_equal(cfg->dhcpxdp.history.retention, 3600);
	assert_int_equal(load(HISTORY("\"retention\": \"90d\"")), 0);
	assert_int_equal(cfg->dhcpxdp.history.retention, 90 * 86400);
	assert_int_equal(load(HISTORY("\"retention\": \"30m\"")), 0);
	assert_int_equal(cfg->dhcpxdp.history.retention, 1800);
	assert_int_equal(load(HISTORY("\"retention\": \"45\"")), 0);
	assert_int_equal(cfg->dhcpxdp.history.retention, 45);
	assert_int_equal(load(HISTORY("\"enabled\": false")), 0);
	assert_false(cfg->dhcpxdp.history.enabled);
}

static void test_refused(void **state)
{
	(void)state;
	expect_error(HISTORY("\"retention\": \"90 days\""),
		     "t.json: Dhcp4.dhcpxdp.lease-history.retention: '90 days' "
		     "is not a duration: use seconds or a number with d, h, m "
		     "or s (\"90d\")");
	expect_error(HISTORY("\"retention\": \"0d\""),
		     "t.json: Dhcp4.dhcpxdp.lease-history.retention: '0d' is "
		     "not a duration: use seconds or a number with d, h, m or "
		     "s (\"90d\")");
	expect_error(HISTORY("\"retention\": 0"),
		     "t.json: Dhcp4.dhcpxdp.lease-history.retention: 0 is out "
		     "of range (1 to 4294967295)");
	expect_error(HISTORY("\"path\": \"\""),
		     "t.json: Dhcp4.dhcpxdp.lease-history.path: must not be "
		     "empty");
	expect_error(DHCP4("\"dhcpxdp\": { \"lease-history\": true }"),
		     "t.json: Dhcp4.dhcpxdp.lease-history: expected an object, "
		     "got a boolean");
}

/* Kea's hook entry is taken as it is written for Kea. */
static void test_legal_log_hook(void **state)
{
	const struct dx_legal_log_conf *l;

	(void)state;
	assert_int_equal(load(HOOK(", \"parameters\": { \"path\": "
				   "\"/var/log/legal\", \"base-name\": "
				   "\"isp-legal\", \"time-unit\": \"day\" }")),
			 0);
	l = &cfg->dhcpxdp.legal_log;
	assert_true(l->enabled);
	assert_string_equal(l->path, "/var/log/legal");
	assert_string_equal(l->base_name, "isp-legal");
	assert_int_equal(load(HOOK("")), 0);
	assert_true(cfg->dhcpxdp.legal_log.enabled);
	assert_string_equal(cfg->dhcpxdp.legal_log.path, "/var/lib/dhcpxdp");
	assert_string_equal(cfg->dhcpxdp.legal_log.base_name, "kea-legal");
	expect_error(HOOK(", \"parameters\": { \"time-unit\": \"month\" }"),
		     "t.json: Dhcp4.hooks-libraries[0].parameters.time-unit: "
		     "'month': only \"day\" is supported (one file a day, "
		     "BASE-NAME.YYYYMMDD.txt)");
	expect_error(HOOK(", \"parameters\": { \"type\": \"postgresql\" }"),
		     "t.json: Dhcp4.hooks-libraries[0].parameters.type: 'type' "
		     "is not supported by dhcpxdp: the legal log is written to "
		     "files only");
	/* a library that is not built in is still refused */
	expect_error(DHCP4("\"hooks-libraries\": [ { \"library\": "
			   "\"libdhcp_radius.so\" } ]"),
		     "t.json: Dhcp4.hooks-libraries[0].library: "
		     "'libdhcp_radius.so' is not supported by dhcpxdp: Kea hook "
		     "libraries cannot be loaded (libdhcp_lease_cmds.so, "
		     "libdhcp_flex_id.so, libdhcp_legal_log.so and "
		     "libdhcp_ha.so are built in)");
}

int main(void)
{
#define T(fn) cmocka_unit_test_teardown(fn, teardown)
	const struct CMUnitTest tests[] = {
		T(test_defaults),
		T(test_accepted),
		T(test_refused),
		T(test_legal_log_hook),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
