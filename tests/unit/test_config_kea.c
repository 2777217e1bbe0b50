// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Kea's Dhcp4 dialect and keys beyond the common subset: numbers written
 * .5 / -.5 / 5., <?include?>, subnets without an id, empty
 * hooks-libraries / shared-networks, DHCPv4-over-DHCPv6, Kea's
 * calculate-tee-times with t1/t2-percent, and the reservation lookup
 * switches. Each accepted form and each refusal with its exact message.
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

/* --- Kea's JSON dialect ------------------------------------------------ */

static void test_numbers_without_digits(void **state)
{
	(void)state;
	/* .5 and 5. as Kea's lexer reads them; -.5 too, then range-checked. */
	expect_loads(DHCP4("\"calculate-tee-times\": true, \"t1-percent\": .5, "
			   "\"t2-percent\":.75, \"valid-lifetime\": 1000, "
			   "\"dhcpxdp\": { \"horizon-factor\": 5. }"));
	assert_int_equal(cfg->renew_timer, 500);
	assert_int_equal(cfg->rebind_timer, 750);
	expect_error(DHCP4("\"t1-percent\": -.5"),
		     "t.json: Dhcp4.t1-percent: -0.5 must be greater than 0 "
		     "and less than 1");
	/* A point inside a string is text, not a number. */
	expect_loads(DHCP4("\"server-tag\": \"a .5 b 5. c\""));
	/* Errors after a rewritten number still point at the file as
	 * written: line 2, column 3 is the stray x. */
	expect_error("{ \"Dhcp4\": { \"t1-percent\": .5, \"t2-percent\": 5.,\n"
		     "  x } }",
		     "t.json: line 2, column 3: JSON syntax error: quoted "
		     "object property name expected");
}

static void test_include_refused(void **state)
{
	(void)state;
	expect_error("{ \"Dhcp4\": {\n"
		     "  <?include \"subnets.json\"?>\n"
		     "} }",
		     "t.json: line 2, column 3: <?include ...?> is not "
		     "supported: paste the included file's text in its "
		     "place");
	/* Within a string it is only text. */
	expect_loads(DHCP4("\"server-tag\": \"<?include x?>\""));
}

/* --- subnets ----------------------------------------------------------- */

static void test_subnet_without_id(void **state)
{
	(void)state;
	expect_loads(DHCP4(
		ETH0 "\"subnet4\": [ { \"subnet\": \"10.0.1.0/24\" }, "
		     "{ \"id\": 1, \"subnet\": \"10.0.2.0/24\", "
		     "\"relay\": { \"ip-addresses\": [ \"10.0.2.1\" ] } }, "
		     "{ \"subnet\": \"10.0.3.0/24\", \"relay\": { "
		     "\"ip-addresses\": [ \"10.0.3.1\" ] } } ]"));
	/* 1, 2, ... in order, skipping the id given explicitly. */
	assert_int_equal(cfg->subnets[0].id, 2);
	assert_int_equal(cfg->subnets[1].id, 1);
	assert_int_equal(cfg->subnets[2].id, 3);
	assert_int_equal(diag.n_warnings, 2);
	assert_string_equal(diag.warnings[0],
			    "t.json: Dhcp4.subnet4[0]: no \"id\": numbered 2 "
			    "as Kea does (1, 2, ... in order); set \"id\": 2 "
			    "so leases stay with this subnet when subnets are "
			    "added or removed");
}

static void test_empty_lists_accepted(void **state)
{
	(void)state;
	expect_loads(DHCP4("\"hooks-libraries\": [], \"shared-networks\": []"));
	/* Only the usual one: no subnets. */
	assert_int_equal(diag.n_warnings, 1);
	assert_non_null(strstr(diag.warnings[0], "Dhcp4.subnet4: no subnets"));
	expect_error(DHCP4("\"hooks-libraries\": {}"),
		     "t.json: Dhcp4.hooks-libraries: expected a list, got an "
		     "object");
}

static void test_dhcp4o6_refused(void **state)
{
	(void)state;
	/* Kea's all-keys example writes "" for "not set". */
	expect_loads(DHCP4(ETH0
			   "\"dhcp4o6-port\": 0, \"subnet4\": [ { \"id\": 1, "
			   "\"subnet\": \"10.0.1.0/24\", \"4o6-interface\": "
			   "\"\", \"4o6-interface-id\": \"\" } ]"));
	expect_error(DHCP4(ETH0 "\"subnet4\": [ { \"id\": 1, \"subnet\": "
				"\"10.0.1.0/24\", \"4o6-subnet\": "
				"\"2001:db8:1:1::/64\" } ]"),
		     "t.json: Dhcp4.subnet4[0].4o6-subnet: '4o6-subnet' is not "
		     "supported by dhcpxdp: DHCPv4-over-DHCPv6 (RFC 7341) is "
		     "not implemented");
	expect_error(DHCP4(ETH0 "\"subnet4\": [ { \"id\": 1, \"subnet\": "
				"\"10.0.1.0/24\", \"4o6-interface\": "
				"\"eth0\" } ]"),
		     "t.json: Dhcp4.subnet4[0].4o6-interface: '4o6-interface' "
		     "is not supported by dhcpxdp: DHCPv4-over-DHCPv6 (RFC "
		     "7341) is not implemented");
	expect_error(DHCP4("\"dhcp4o6-port\": 786"),
		     "t.json: Dhcp4.dhcp4o6-port: DHCPv4-over-DHCPv6 (RFC "
		     "7341) is not implemented: remove it or set it to 0");
}

/* --- timers ------------------------------------------------------------ */

static void test_tee_times(void **state)
{
	const struct dx_subnet_conf *s;

	(void)state;
	/* Off (Kea's default for DHCPv4): percents change nothing. */
	expect_loads(DHCP4("\"valid-lifetime\": 1001, \"t1-percent\": 0.4"));
	assert_int_equal(cfg->renew_timer, 500);
	assert_int_equal(cfg->rebind_timer, 875);
	/* On: round(percent x lease), Kea's defaults 0.5 and 0.875. */
	expect_loads(DHCP4("\"valid-lifetime\": 1001, \"calculate-tee-times\": "
			   "true"));
	assert_int_equal(cfg->renew_timer, 501);
	assert_int_equal(cfg->rebind_timer, 876);
	/* Inherited by a subnet, with its own lease time and percent; an
	 * explicit timer wins over the percentage. */
	expect_loads(DHCP4(ETH0
			   "\"calculate-tee-times\": true, \"t1-percent\": "
			   "0.25, \"subnet4\": [ { \"id\": 1, \"subnet\": "
			   "\"10.0.1.0/24\", \"valid-lifetime\": 4000, "
			   "\"t2-percent\": 0.75 }, { \"id\": 2, \"subnet\": "
			   "\"10.0.2.0/24\", \"relay\": { \"ip-addresses\": "
			   "[ \"10.0.2.1\" ] }, \"renew-timer\": 100, "
			   "\"calculate-tee-times\": false } ]"));
	s = config_subnet_by_id(cfg, 1);
	assert_int_equal(s->renew_timer, 1000);
	assert_int_equal(s->rebind_timer, 3000);
	s = config_subnet_by_id(cfg, 2);
	assert_int_equal(s->renew_timer, 100);
	assert_int_equal(s->rebind_timer, 6300);
	expect_error(DHCP4("\"t1-percent\": 0.9"),
		     "t.json: Dhcp4: t1-percent (0.9) must be less than "
		     "t2-percent (0.875)");
	expect_error(DHCP4("\"t2-percent\": 1"),
		     "t.json: Dhcp4.t2-percent: 1 must be greater than 0 and "
		     "less than 1");
	expect_error(DHCP4("\"t2-percent\": \"0.8\""),
		     "t.json: Dhcp4.t2-percent: expected a number, got a "
		     "string");
	expect_error(DHCP4("\"calculate-tee-times\": 1"),
		     "t.json: Dhcp4.calculate-tee-times: expected true or "
		     "false, got an integer");
}

static void test_short_lease(void **state)
{
	(void)state;
	expect_loads(DHCP4("\"valid-lifetime\": 3"));
	assert_int_equal(cfg->renew_timer, 1);
	assert_int_equal(cfg->rebind_timer, 2);
	expect_error(DHCP4("\"valid-lifetime\": 2"),
		     "t.json: Dhcp4.valid-lifetime: 2 is out of range (3 to "
		     "4294967294)");
}

/* Kea 3.x keys: accepted with the value that means "off". */
static void test_newer_kea_keys(void **state)
{
	(void)state;
	expect_loads(DHCP4(
		ETH0 "\"stash-agent-options\": false, "
		     "\"adaptive-lease-time-threshold\": 1.0, "
		     "\"subnet4\": [ { \"id\": 1, \"subnet\": "
		     "\"10.0.1.0/24\", \"adaptive-lease-time-threshold\": "
		     "1, \"pools\": [ { \"pool\": \"10.0.1.10 - "
		     "10.0.1.20\", \"ddns-send-updates\": false, "
		     "\"hostname-char-set\": \"\" } ] } ]"));
	assert_int_equal(diag.n_warnings, 0);
	expect_error(DHCP4("\"stash-agent-options\": true"),
		     "t.json: Dhcp4.stash-agent-options: relay agent options "
		     "are not kept with leases: set it to false");
	expect_error(DHCP4(ETH0 "\"subnet4\": [ { \"id\": 1, \"subnet\": "
				"\"10.0.1.0/24\", "
				"\"adaptive-lease-time-threshold\": .8 } ]"),
		     "t.json: Dhcp4.subnet4[0].adaptive-lease-time-threshold: "
		     "adaptive lease times are not implemented: remove it or "
		     "set it to 1.0 (disabled)");
}

/* Kea 3.0's control-sockets list: one Unix socket at most. */
static void test_control_sockets_list(void **state)
{
	(void)state;
	expect_loads(
		DHCP4("\"control-sockets\": [ { \"socket-type\": \"unix\", "
		      "\"socket-name\": \"/run/x.sock\" } ]"));
	assert_string_equal(cfg->control_socket.socket_name, "/run/x.sock");
	expect_loads(DHCP4("\"control-sockets\": []"));
	/* HTTP and HTTPS entries: test_config_control_sockets.c. */
	expect_error(DHCP4("\"control-sockets\": [ { \"socket-type\": "
			   "\"https\", \"socket-port\": 8000 } ]"),
		     "t.json: Dhcp4.control-sockets[0].socket-type: \"https\" "
		     "needs trust-anchor, cert-file and key-file");
	expect_error(DHCP4("\"control-sockets\": [ { \"socket-type\": "
			   "\"unix\" }, { \"socket-type\": \"unix\" } ]"),
		     "t.json: Dhcp4.control-sockets[1]: a second \"unix\" "
		     "socket: dhcpxdp, as Kea, listens on one");
	expect_error(DHCP4("\"control-socket\": { }, \"control-sockets\": []"),
		     "t.json: Dhcp4.control-sockets: give \"control-socket\" "
		     "or \"control-sockets\", not both");
}

/* --- reservation lookup switches ---------------------------------------- */

static void test_reservation_switches(void **state)
{
	(void)state;
	expect_loads(DHCP4(ETH0
			   "\"reservations-global\": false, "
			   "\"reservations-in-subnet\": true, "
			   "\"reservations-out-of-pool\": true, "
			   "\"subnet4\": [ { \"id\": 1, \"subnet\": "
			   "\"10.0.1.0/24\", \"reservation-mode\": \"all\", "
			   "\"reservations-out-of-pool\": false } ]"));
	assert_false(cfg->subnets[0].res_global);
	assert_true(cfg->subnets[0].res_in_subnet);
	/* Kea 1.x's reservation-mode, as Kea maps it; inherited. */
	expect_loads(DHCP4(ETH0 "\"reservation-mode\": \"global\", "
				"\"subnet4\": [ { \"id\": 1, \"subnet\": "
				"\"10.0.1.0/24\" }, { \"id\": 2, \"subnet\": "
				"\"10.0.2.0/24\", \"reservations-in-subnet\": "
				"true, \"relay\": { \"ip-addresses\": [ "
				"\"10.0.2.1\" ] } } ]"));
	assert_true(cfg->subnets[0].res_global);
	assert_false(cfg->subnets[0].res_in_subnet);
	assert_true(cfg->subnets[1].res_global);
	assert_true(cfg->subnets[1].res_in_subnet);
	expect_error(DHCP4("\"reservation-mode\": \"some\""),
		     "t.json: Dhcp4.reservation-mode: 'some' is not a "
		     "reservation mode: \"all\", \"out-of-pool\", "
		     "\"global\" or \"disabled\"");
	expect_error(DHCP4("\"reservations-global\": 1"),
		     "t.json: Dhcp4.reservations-global: expected true or "
		     "false, got an integer");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_numbers_without_digits,
					  teardown),
		cmocka_unit_test_teardown(test_include_refused, teardown),
		cmocka_unit_test_teardown(test_subnet_without_id, teardown),
		cmocka_unit_test_teardown(test_empty_lists_accepted, teardown),
		cmocka_unit_test_teardown(test_dhcp4o6_refused, teardown),
		cmocka_unit_test_teardown(test_tee_times, teardown),
		cmocka_unit_test_teardown(test_short_lease, teardown),
		cmocka_unit_test_teardown(test_newer_kea_keys, teardown),
		cmocka_unit_test_teardown(test_control_sockets_list, teardown),
		cmocka_unit_test_teardown(test_reservation_switches, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
