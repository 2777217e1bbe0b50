// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libdhcp_ha.so in hooks-libraries (config/ha.c): Kea's high-availability
 * relationship is read with Kea's keys and defaults, its peers put in
 * Kea's scope order; what cannot work is refused with its JSON path (a
 * lease database that is not shared, passive-backup, roles that do not
 * fit the mode, this-server-name among no peers); what only steers Kea's
 * lease updates is warned about; HA_<server> classes are checked
 * against the peers.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "config_fixture.h"

#define DB_PG "\"lease-database\": {\"type\": \"postgresql\", \"name\": \"d\"},"
#define PEER(name, role)                                             \
	"{\"name\": \"" name "\", \"role\": \"" role "\", \"url\": " \
	"\"http://192.0.2.1:8005/\"}"
#define REL(self, mode, extra, peers)                                       \
	"{\"this-server-name\": \"" self "\", \"mode\": \"" mode "\"" extra \
	", \"peers\": [" peers "]}"
#define CFG(db, rels, classes)                                             \
	"{ \"Dhcp4\": { \"interfaces-config\": { \"interfaces\": [] }," db \
	" \"hooks-libraries\": [ { \"library\": "                          \
	"\"/usr/lib/kea/hooks/libdhcp_ha.so\", \"parameters\": "           \
	"{ \"high-availability\": [ " rels " ] } } ]," classes             \
	" \"subnet4\": [ { \"id\": 1, \"subnet\": \"10.0.1.0/24\","        \
	" \"relay\": { \"ip-addresses\": [ \"10.0.0.1\" ] } } ] } }"
#define LB(self, extra)                             \
	REL(self, "load-balancing", extra,          \
	    PEER("server2", "secondary") ", " PEER( \
		    "server1", "primary") ", " PEER("server3", "backup"))
#define HA_PATH	 "t.json: Dhcp4.hooks-libraries[0]"
#define REL_PATH HA_PATH ".parameters.high-availability[0]"

static void load_balancing_read(void **state)
{
	(void)state;
	expect_loads(CFG(DB_PG, LB("server2", ""), ""));
	assert_int_equal(cfg->ha.mode, DX_HA_LOAD_BALANCING);
	/* Kea's order: primary, secondary, backups. */
	assert_int_equal(cfg->ha.n_peers, 3);
	assert_string_equal(cfg->ha.peers[0].name, "server1");
	assert_string_equal(cfg->ha.peers[1].name, "server2");
	assert_int_equal(cfg->ha.peers[2].role, DX_HA_BACKUP);
	assert_int_equal(cfg->ha.self, 1);
	assert_true(cfg->ha.peers[0].auto_failover);
	/* Kea's defaults */
	assert_int_equal(cfg->ha.heartbeat_delay_ms, 10000);
	assert_int_equal(cfg->ha.max_response_delay_ms, 60000);
	assert_int_equal(diag.n_warnings, 0);
}

static void hot_standby_read(void **state)
{
	(void)state;
	expect_loads(
		CFG(DB_PG,
		    REL("server1", "hot-standby",
			", \"heartbeat-delay\": 1000, "
			"\"max-response-delay\": 3000",
			PEER("server1",
			     "primary") ", "
					"{\"name\": \"server2\", \"role\": "
					"\"standby\", \"url\": \"http://x/\", "
					"\"auto-failover\": false}"),
		    ""));
	assert_int_equal(cfg->ha.mode, DX_HA_HOT_STANDBY);
	assert_int_equal(cfg->ha.heartbeat_delay_ms, 1000);
	assert_int_equal(cfg->ha.max_response_delay_ms, 3000);
	assert_false(cfg->ha.peers[1].auto_failover);
	assert_int_equal(cfg->ha.self, 0);
}

static void lease_updates_warned(void **state)
{
	(void)state;
	expect_loads(CFG(DB_PG,
			 LB("server1", ", \"sync-leases\": true, "
				       "\"max-unacked-clients\": 5"),
			 ""));
	assert_int_equal(diag.n_warnings, 2);
	assert_non_null(strstr(diag.warnings[0], "sync-leases: no effect"));
}

static void refused(void **state)
{
	(void)state;
	expect_error(CFG("", LB("server1", ""), ""),
		     HA_PATH ": high availability needs \"lease-database\": "
			     "{\"type\": \"postgresql\"}, shared by the peers "
			     "(a sqlite file is one server's)");
	expect_error(CFG(DB_PG,
			 REL("server1", "passive-backup", "",
			     PEER("server1", "primary") ", " PEER("server2",
								  "backup")),
			 ""),
		     REL_PATH ".mode: 'passive-backup' is not supported: it "
			      "copies leases to backups, and dhcpxdp's servers "
			      "share one lease database; use hot-standby");
	expect_error(CFG(DB_PG,
			 REL("server1", "load-balancing", "",
			     PEER("server1", "primary") ", " PEER("server2",
								  "standby")),
			 ""),
		     REL_PATH ".peers: load-balancing needs one \"primary\" "
			      "and one \"secondary\" (and no \"standby\")");
	expect_error(CFG(DB_PG, LB("server9", ""), ""),
		     REL_PATH ".this-server-name: 'server9' is none of the "
			      "peers");
	expect_error(CFG(DB_PG,
			 LB("server1", ", \"heartbeat-delay\": 5000, "
				       "\"max-response-delay\": 5000"),
			 ""),
		     REL_PATH ".max-response-delay: 5000 ms is not more than "
			      "heartbeat-delay (5000 ms): a live partner would "
			      "be taken for dead");
	expect_error(CFG(DB_PG, LB("server1", "") ", " LB("server1", ""), ""),
		     HA_PATH ".parameters.high-availability: exactly one "
			     "relationship is supported (Kea's hub-and-spoke "
			     "lists several)");
	expect_error(CFG(DB_PG,
			 REL("server1", "load-balancing", "",
			     PEER("server1", "primary") ", " PEER("server1",
								  "secondary")),
			 ""),
		     REL_PATH ".peers: peer 'server1' is listed twice");
	expect_error(CFG(DB_PG,
			 LB("server1", ", \"state-machine\": {\"states\": []}"),
			 ""),
		     REL_PATH ".state-machine: 'state-machine' is not "
			      "supported by dhcpxdp: states are dhcpxdp's own "
			      "(normal, partner-down): there is no pausing to "
			      "configure");
}

/* HA_<peer> classes resolve; HA_<no peer> is warned about. */
static void scope_classes(void **state)
{
	(void)state;
	expect_loads(CFG(DB_PG, LB("server1", ""),
			 "\"client-classes\": [ { \"name\": \"a\", \"test\": "
			 "\"member('HA_server2')\" }, { \"name\": \"b\", "
			 "\"test\": \"member('HA_nobody')\" } ],"));
	assert_int_equal(diag.n_warnings, 1);
	assert_non_null(strstr(diag.warnings[0], "HA_nobody names no server"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(load_balancing_read, teardown),
		cmocka_unit_test_teardown(hot_standby_read, teardown),
		cmocka_unit_test_teardown(lease_updates_warned, teardown),
		cmocka_unit_test_teardown(refused, teardown),
		cmocka_unit_test_teardown(scope_classes, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
