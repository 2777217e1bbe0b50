// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Kea's shared-networks and several subnets on one link: what a subnet
 * inherits from its network (interface, relays, timers, Kea's switches,
 * option-data), the order of the subnets, the run-time choice of the
 * directly served subnet among implicit ones, and each refusal with its
 * exact message.
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
#define IFACES \
	"\"interfaces-config\": { \"interfaces\": [ \"eth0\", \"eth1\" ] }, "
#define ETH0 "\"interfaces-config\": { \"interfaces\": [ \"eth0\" ] }, "
#define IP(a, b, c, d)                                                    \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | \
	 (uint32_t)(d))

/* Router and DNS globally, DNS and domain on the network, the second
 * subnet overriding the router. */
#define NETWORK                                                             \
	DHCP4(IFACES                                                        \
	      "\"valid-lifetime\": 4000, \"authoritative\": false, "        \
	      "\"option-data\": [ { \"name\": \"routers\", \"data\": "      \
	      "\"10.9.9.9\" }, { \"name\": \"domain-name-servers\", "       \
	      "\"data\": \"10.9.9.53\" } ], "                               \
	      "\"subnet4\": [ { \"id\": 9, \"subnet\": \"172.16.0.0/24\", " \
	      "\"interface\": \"eth0\" } ], "                               \
	      "\"shared-networks\": [ { \"name\": \"frog\", "               \
	      "\"interface\": \"eth1\", \"valid-lifetime\": 200, "          \
	      "\"authoritative\": true, \"match-client-id\": false, "       \
	      "\"relay\": { \"ip-addresses\": [ \"10.8.0.1\" ] }, "         \
	      "\"option-data\": [ { \"name\": \"domain-name-servers\", "    \
	      "\"data\": \"10.0.0.53\" }, { \"name\": \"domain-name\", "    \
	      "\"data\": \"frog.example\" } ], "                            \
	      "\"subnet4\": [ { \"id\": 1, \"subnet\": \"10.0.0.0/24\", "   \
	      "\"pools\": [ { \"pool\": \"10.0.0.10 - 10.0.0.11\" } ], "    \
	      "\"renew-timer\": 50, \"match-client-id\": true }, "          \
	      "{ \"id\": 2, \"subnet\": \"192.0.2.0/24\", "                 \
	      "\"pools\": [ { \"pool\": \"192.0.2.10 - 192.0.2.99\" } ], "  \
	      "\"relay\": { \"ip-addresses\": [ \"10.8.0.2\" ] }, "         \
	      "\"option-data\": [ { \"name\": \"routers\", \"data\": "      \
	      "\"192.0.2.1\" } ] } ] } ] ")

static const struct dx_option *opt(const struct dx_subnet_conf *s, uint8_t code)
{
	return dx_option_find(&s->options, code);
}

static void test_inheritance(void **state)
{
	const struct dx_subnet_conf *plain, *a, *b;

	(void)state;
	expect_loads(NETWORK);
	assert_int_equal(cfg->n_subnets, 3);
	/* Plain subnets first, then the networks' in file order. */
	plain = &cfg->subnets[0];
	a = &cfg->subnets[1];
	b = &cfg->subnets[2];
	assert_int_equal(plain->id, 9);
	assert_null(plain->shared_network);
	assert_int_equal(plain->shared_id, 0);
	assert_string_equal(plain->path, "Dhcp4.subnet4[0]");
	assert_int_equal(a->id, 1);
	assert_int_equal(b->id, 2);
	assert_string_equal(a->shared_network, "frog");
	assert_string_equal(b->shared_network, "frog");
	assert_int_equal(a->shared_id, 1);
	assert_int_equal(b->shared_id, 1);
	assert_string_equal(b->path, "Dhcp4.shared-networks[0].subnet4[1]");
	/* The link: the network's interface; its relays unless the subnet
	 * lists its own. */
	assert_string_equal(a->interface, "eth1");
	assert_string_equal(b->interface, "eth1");
	assert_false(a->interface_implicit);
	assert_int_equal(a->n_relay, 1);
	assert_int_equal(a->relay_addrs[0], IP(10, 8, 0, 1));
	assert_int_equal(b->n_relay, 1);
	assert_int_equal(b->relay_addrs[0], IP(10, 8, 0, 2));
	/* Timers: subnet, then network, then global; T1/T2 derived from
	 * the lifetime in force. */
	assert_int_equal(plain->valid_lifetime, 4000);
	assert_int_equal(a->valid_lifetime, 200);
	assert_int_equal(a->renew_timer, 50);
	assert_int_equal(b->valid_lifetime, 200);
	assert_int_equal(b->renew_timer, 100);
	assert_int_equal(b->rebind_timer, 175);
	/* Kea's switches the same way. */
	assert_false(plain->authoritative);
	assert_true(a->authoritative);
	assert_false(a->ignore_client_id);
	assert_true(b->ignore_client_id);
	/* option-data: global < network < subnet, code by code. */
	assert_memory_equal(opt(plain, 6)->data, "\x0a\x09\x09\x35", 4);
	assert_null(opt(plain, 15));
	assert_memory_equal(opt(a, 6)->data, "\x0a\x00\x00\x35", 4);
	assert_memory_equal(opt(a, 3)->data, "\x0a\x09\x09\x09", 4);
	assert_int_equal(opt(a, 15)->len, 12);
	assert_memory_equal(opt(b, 3)->data, "\xc0\x00\x02\x01", 4);
	assert_memory_equal(opt(b, 6)->data, "\x0a\x00\x00\x35", 4);
	/* The network serves eth1 directly from its first subnet. */
	assert_int_equal(config_interface_subnet(cfg, "eth1", 0), 1);
	assert_int_equal(config_interface_subnet(cfg, "eth0", 0), 9);
}

/* Boot fields and reservation lookups: subnet, then network, then
 * Dhcp4, key by key. */
static void test_inherit_boot_and_reservation_flags(void **state)
{
	const struct dx_subnet_conf *a, *b;

	(void)state;
	expect_loads(DHCP4(IFACES
			   "\"next-server\": \"10.9.9.1\", "
			   "\"boot-file-name\": \"global.efi\", "
			   "\"shared-networks\": [ { \"name\": \"pxe\", "
			   "\"interface\": \"eth1\", \"next-server\": "
			   "\"10.0.0.2\", \"reservations-global\": true, "
			   "\"subnet4\": [ { \"id\": 1, \"subnet\": "
			   "\"10.0.0.0/24\" }, { \"id\": 2, \"subnet\": "
			   "\"10.0.1.0/24\", \"boot-file-name\": "
			   "\"own.efi\", \"reservations-global\": false } ] "
			   "} ]"));
	a = &cfg->subnets[0];
	b = &cfg->subnets[1];
	assert_int_equal(a->bootp.next_server, IP(10, 0, 0, 2));
	assert_string_equal(a->bootp.boot_file_name, "global.efi");
	assert_int_equal(b->bootp.next_server, IP(10, 0, 0, 2));
	assert_string_equal(b->bootp.boot_file_name, "own.efi");
	assert_true(a->res_global);
	assert_false(b->res_global);
	assert_true(a->res_in_subnet);
}

/* Kea's several-subnets example: no interface named, one listed. Kea
 * serves directly the subnet holding the interface's address. */
static void test_implicit_subnets(void **state)
{
	(void)state;
	expect_loads(DHCP4(ETH0 "\"subnet4\": [ { \"id\": 1, \"subnet\": "
				"\"192.0.2.0/24\" }, { \"id\": 2, \"subnet\": "
				"\"192.0.3.0/24\" }, { \"id\": 3, \"subnet\": "
				"\"192.0.4.0/24\" } ]"));
	for (size_t i = 0; i < 3; i++) {
		assert_string_equal(cfg->subnets[i].interface, "eth0");
		assert_true(cfg->subnets[i].interface_implicit);
	}
	assert_int_equal(config_interface_subnet(cfg, "eth0", IP(192, 0, 3, 1)),
			 2);
	assert_int_equal(config_interface_subnet(cfg, "eth0", IP(192, 0, 4, 9)),
			 3);
	/* None holds it: none is served directly (relays and unicast
	 * renewals by ciaddr still reach each). */
	assert_int_equal(config_interface_subnet(cfg, "eth0", IP(10, 0, 0, 1)),
			 0);
	/* A single implicit subnet is served whatever the address. */
	expect_loads(DHCP4(ETH0 "\"subnet4\": [ { \"id\": 1, \"subnet\": "
				"\"192.0.2.0/24\" } ]"));
	assert_int_equal(config_interface_subnet(cfg, "eth0", IP(10, 0, 0, 1)),
			 1);
	/* A named binding wins over implicit ones. */
	expect_loads(DHCP4(ETH0
			   "\"subnet4\": [ { \"id\": 1, \"subnet\": "
			   "\"192.0.2.0/24\" }, { \"id\": 2, \"subnet\": "
			   "\"192.0.3.0/24\", \"interface\": \"eth0\" } ]"));
	assert_int_equal(config_interface_subnet(cfg, "eth0", IP(192, 0, 2, 1)),
			 2);
}

/* Kea's shared-network example writes "ip-address": "0.0.0.0" for a
 * network reached directly. */
static void test_relay_placeholder(void **state)
{
	(void)state;
	expect_loads(DHCP4(IFACES
			   "\"shared-networks\": [ { \"name\": \"n\", "
			   "\"interface\": \"eth1\", \"relay\": { "
			   "\"ip-address\": \"0.0.0.0\" }, \"subnet4\": [ "
			   "{ \"id\": 1, \"subnet\": \"10.0.0.0/8\", "
			   "\"relay\": { \"ip-address\": \"0.0.0.0\" } } ] "
			   "} ]"));
	assert_int_equal(cfg->subnets[0].n_relay, 0);
	/* A shared network reached only through a relay. */
	expect_loads(DHCP4(IFACES
			   "\"shared-networks\": [ { \"name\": \"n\", "
			   "\"relay\": { \"ip-addresses\": [ \"10.8.0.1\" ] }, "
			   "\"subnet4\": [ { \"id\": 1, \"subnet\": "
			   "\"10.0.0.0/24\" }, { \"id\": 2, \"subnet\": "
			   "\"10.0.1.0/24\" } ] } ]"));
	assert_null(cfg->subnets[0].interface);
	assert_int_equal(cfg->subnets[1].relay_addrs[0], IP(10, 8, 0, 1));
}

static void test_errors(void **state)
{
	(void)state;
	expect_error(
		DHCP4(IFACES "\"shared-networks\": [ { \"subnet4\": [] } ]"),
		"t.json: Dhcp4.shared-networks[0]: missing required key "
		"'name'");
	expect_error(DHCP4(IFACES "\"shared-networks\": [ { \"name\": \"a\" }, "
				  "{ \"name\": \"a\" } ]"),
		     "t.json: Dhcp4.shared-networks[1].name: 'a' is already "
		     "the name of Dhcp4.shared-networks[0]");
	expect_error(DHCP4(IFACES "\"shared-networks\": [ { \"name\": \"a\", "
				  "\"interface\": \"eth1\", \"subnet4\": [ { "
				  "\"id\": 1, \"subnet\": \"10.0.0.0/24\", "
				  "\"interface\": \"eth0\" } ] } ]"),
		     "t.json: Dhcp4.shared-networks[0].subnet4[0].interface: "
		     "'eth0' differs from shared network 'a''s interface "
		     "'eth1': a shared network is one link");
	/* Two networks, or a network and a subnet, on one link. */
	expect_error(DHCP4(IFACES
			   "\"subnet4\": [ { \"id\": 9, \"subnet\": "
			   "\"10.9.0.0/24\", \"interface\": \"eth1\" } ], "
			   "\"shared-networks\": [ { \"name\": \"a\", "
			   "\"interface\": \"eth1\", \"subnet4\": [ { "
			   "\"id\": 1, \"subnet\": \"10.0.0.0/24\" } ] } ]"),
		     "t.json: Dhcp4.shared-networks[0].subnet4[0].interface: "
		     "interface 'eth1' already serves Dhcp4.subnet4[0] (id 9): "
		     "put subnets that share a link in one shared network");
	expect_error(DHCP4(IFACES
			   "\"shared-networks\": [ { \"name\": \"a\", "
			   "\"interface\": \"eth1\", \"subnet4\": [ { "
			   "\"id\": 1, \"subnet\": \"10.0.0.0/24\" } ] }, "
			   "{ \"name\": \"b\", \"interface\": \"eth1\", "
			   "\"subnet4\": [ { \"id\": 2, \"subnet\": "
			   "\"10.0.1.0/24\" } ] } ]"),
		     "t.json: Dhcp4.shared-networks[1].subnet4[0].interface: "
		     "interface 'eth1' already serves shared network 'a': put "
		     "subnets that share a link in one shared network");
	/* A relay address belongs to one link. */
	expect_error(DHCP4(IFACES
			   "\"subnet4\": [ { \"id\": 9, \"subnet\": "
			   "\"10.9.0.0/24\", \"relay\": { \"ip-addresses\": "
			   "[ \"10.8.0.1\" ] } } ], \"shared-networks\": [ "
			   "{ \"name\": \"a\", \"relay\": { "
			   "\"ip-addresses\": [ \"10.8.0.1\" ] }, "
			   "\"subnet4\": [ { \"id\": 1, \"subnet\": "
			   "\"10.0.0.0/24\" } ] } ]"),
		     "t.json: Dhcp4.shared-networks[0].subnet4[0].relay."
		     "ip-addresses[0]: 10.8.0.1 is already a relay of "
		     "Dhcp4.subnet4[0]");
	/* Ids and prefixes are unique across all levels. */
	expect_error(DHCP4(IFACES
			   "\"subnet4\": [ { \"id\": 1, \"subnet\": "
			   "\"10.9.0.0/24\", \"interface\": \"eth0\" } ], "
			   "\"shared-networks\": [ { \"name\": \"a\", "
			   "\"interface\": \"eth1\", \"subnet4\": [ { "
			   "\"id\": 1, \"subnet\": \"10.0.0.0/24\" } ] } ]"),
		     "t.json: Dhcp4.shared-networks[0].subnet4[0].id: 1 is "
		     "already used by Dhcp4.subnet4[0]");
	expect_error(DHCP4(IFACES
			   "\"shared-networks\": [ { \"name\": \"a\", "
			   "\"interface\": \"eth1\", \"valid-lifetime\": "
			   "1 } ]"),
		     "t.json: Dhcp4.shared-networks[0].valid-lifetime: 1 is "
		     "out of range (3 to 4294967294)");
	expect_error(DHCP4(IFACES
			   "\"shared-networks\": [ { \"name\": \"a\", "
			   "\"interface\": \"eth1\", \"subnet4\": {} } ]"),
		     "t.json: Dhcp4.shared-networks[0].subnet4: expected a "
		     "list, got an object");
	expect_error(DHCP4(IFACES "\"shared-networks\": [ 7 ]"),
		     "t.json: Dhcp4.shared-networks[0]: expected an object, "
		     "got an integer");
}

static void test_warnings(void **state)
{
	(void)state;
	/* Kea's shared-network example names eth1 and lists ethX. */
	expect_loads(DHCP4(IFACES
			   "\"shared-networks\": [ { \"name\": \"a\", "
			   "\"interface\": \"eth9\", \"subnet4\": [ { "
			   "\"id\": 1, \"subnet\": \"10.0.0.0/24\" } ] } ]"));
	assert_int_equal(diag.n_warnings, 1);
	assert_string_equal(
		diag.warnings[0],
		"t.json: Dhcp4.shared-networks[0].interface: 'eth9' "
		"is not listed in interfaces-config.interfaces: the "
		"network is not served directly");
	assert_int_equal(config_interface_subnet(cfg, "eth0", 0), 0);
	assert_int_equal(config_interface_subnet(cfg, "eth1", 0), 0);
	expect_loads(DHCP4(IFACES "\"shared-networks\": [ { \"name\": \"a\", "
				  "\"interface\": \"eth1\" } ]"));
	assert_int_equal(diag.n_warnings, 2);
	assert_non_null(strstr(diag.warnings[0], "Dhcp4.subnet4: no subnets"));
	assert_string_equal(diag.warnings[1],
			    "t.json: Dhcp4.shared-networks[0]: shared network "
			    "'a' has no subnets: it serves nothing");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_inheritance, teardown),
		cmocka_unit_test_teardown(
			test_inherit_boot_and_reservation_flags, teardown),
		cmocka_unit_test_teardown(test_implicit_subnets, teardown),
		cmocka_unit_test_teardown(test_relay_placeholder, teardown),
		cmocka_unit_test_teardown(test_errors, teardown),
		cmocka_unit_test_teardown(test_warnings, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
