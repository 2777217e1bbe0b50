// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * DNS updates as Kea configures them (config/ddns.c): the dhcp-ddns
 * object with Kea's defaults, the behavioural ddns-* keys inherited
 * Dhcp4 -> subnet, and each refusal with its path and reason.
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

static void test_defaults(void **state)
{
	const struct dx_client_name_conf *n;

	(void)state;
	expect_loads(DHCP4(ETH0 SUBNET("")));
	assert_false(cfg->ddns.enable_updates);
	assert_int_equal(cfg->ddns.server_ip, 0x7f000001);
	assert_int_equal(cfg->ddns.server_port, 53001);
	assert_int_equal(cfg->ddns.max_queue_size, 1024);
	n = &cfg->subnets[0].names;
	assert_true(n->send_updates);
	assert_false(n->override_no_update);
	assert_false(n->override_client_update);
	assert_false(n->update_on_renew);
	assert_int_equal(n->conflict_mode, DX_DDNS_CHECK_WITH_DHCID);
	assert_false(n->has_ttl_percent || n->has_ttl);
}

static void test_values_and_inheritance(void **state)
{
	const struct dx_client_name_conf *n;

	(void)state;
	expect_loads(DHCP4(
		ETH0 "\"dhcp-ddns\": { \"enable-updates\": true, "
		     "\"server-ip\": \"192.0.2.0\", \"server-port\": 3432, "
		     "\"sender-ip\": \"192.0.2.1\", \"sender-port\": 3433, "
		     "\"max-queue-size\": 2048, \"ncr-protocol\": \"UDP\", "
		     "\"ncr-format\": \"JSON\" }, "
		     "\"ddns-override-no-update\": true, "
		     "\"ddns-ttl-percent\": 0.75, \"ddns-ttl-min\": 600, "
		     "\"ddns-conflict-resolution-mode\": "
		     "\"no-check-without-dhcid\", " SUBNET(
			     ", \"ddns-send-updates\": false, "
			     "\"ddns-update-on-renew\": true, "
			     "\"ddns-ttl\": 900")));
	assert_true(cfg->ddns.enable_updates);
	assert_int_equal(cfg->ddns.server_ip, 0xc0000200);
	assert_int_equal(cfg->ddns.server_port, 3432);
	assert_int_equal(cfg->ddns.sender_ip, 0xc0000201);
	assert_int_equal(cfg->ddns.sender_port, 3433);
	assert_int_equal(cfg->ddns.max_queue_size, 2048);
	n = &cfg->subnets[0].names;
	assert_false(n->send_updates);
	assert_true(n->override_no_update);
	assert_true(n->update_on_renew);
	assert_int_equal(n->conflict_mode, DX_DDNS_NO_CHECK_WITHOUT_DHCID);
	/* The subnet's fixed TTL replaces the inherited percentage. */
	assert_true(n->has_ttl);
	assert_int_equal(n->ttl, 900);
	assert_false(n->has_ttl_percent);
	/* The deprecated boolean still maps onto a mode. */
	expect_loads(DHCP4(
		ETH0 "\"ddns-use-conflict-resolution\": false, " SUBNET("")));
	assert_int_equal(cfg->subnets[0].names.conflict_mode,
			 DX_DDNS_NO_CHECK_WITH_DHCID);
}

static void test_refusals(void **state)
{
	(void)state;
	expect_error(DHCP4("\"dhcp-ddns\": { \"ncr-format\": \"XML\" }"),
		     "t.json: Dhcp4.dhcp-ddns.ncr-format: 'XML' is not "
		     "\"JSON\" (the only format D2 reads)");
	expect_error(DHCP4("\"dhcp-ddns\": { \"server-ip\": \"::1\" }"),
		     "t.json: Dhcp4.dhcp-ddns.server-ip: '::1' is not an IPv4 "
		     "address (requests to D2 go over IPv4, as the DHCPv4 "
		     "server's)");
	expect_error(DHCP4("\"dhcp-ddns\": { \"qualifying-suffix\": \"x\" }"),
		     "t.json: Dhcp4.dhcp-ddns.qualifying-suffix: "
		     "'qualifying-suffix' is not supported by dhcpxdp: moved "
		     "out of dhcp-ddns: use Dhcp4's ddns-qualifying-suffix");
	expect_error(DHCP4("\"ddns-conflict-resolution-mode\": \"maybe\""),
		     "t.json: Dhcp4.ddns-conflict-resolution-mode: 'maybe' is "
		     "not one of check-with-dhcid, no-check-with-dhcid, "
		     "check-exists-with-dhcid, no-check-without-dhcid");
	expect_error(DHCP4("\"ddns-ttl-percent\": 1.5"),
		     "t.json: Dhcp4.ddns-ttl-percent: 1.5 must be above 0 and "
		     "at most 1 (a fraction of the lease time)");
	expect_error(DHCP4("\"ddns-ttl\": 60, \"ddns-ttl-percent\": 0.5"),
		     "t.json: Dhcp4.ddns-ttl: cannot be given with "
		     "ddns-ttl-percent");
	expect_error(DHCP4("\"ddns-ttl-min\": 600, \"ddns-ttl-max\": 60"),
		     "t.json: Dhcp4.ddns-ttl-min: 600 is above ddns-ttl-max "
		     "60");
	expect_error(DHCP4(ETH0 SUBNET(", \"ddns-send-updates\": 1")),
		     "t.json: Dhcp4.subnet4[0].ddns-send-updates: expected "
		     "true or false, got an integer");
}

/* ddns-update-on-renew: XDP sends no request, the subnet's renewals go
 * through the daemon; without DNS updates on, the key changes nothing. */
static void test_update_on_renew_turns_fast_path_off(void **state)
{
	(void)state;
	expect_loads(DHCP4(ETH0
			   "\"dhcp-ddns\": { \"enable-updates\": true }, "
			   "\"subnet4\": [ { \"id\": 1, \"subnet\": "
			   "\"10.0.1.0/24\", \"ddns-update-on-renew\": true }, "
			   "{ \"id\": 2, \"subnet\": \"10.0.2.0/24\" } ]"));
	assert_true(config_fast_path_off(cfg, &cfg->subnets[0]));
	assert_false(config_fast_path_off(cfg, &cfg->subnets[1]));
	expect_loads(DHCP4(ETH0 SUBNET(", \"ddns-update-on-renew\": true")));
	assert_false(config_fast_path_off(cfg, &cfg->subnets[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_defaults, teardown),
		cmocka_unit_test_teardown(test_values_and_inheritance,
					  teardown),
		cmocka_unit_test_teardown(test_refusals, teardown),
		cmocka_unit_test_teardown(
			test_update_on_renew_turns_fast_path_off, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
