// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Dhcp4.client-classes and the class keys of subnets, pools and
 * reservations: what is read, each error with its exact message, and
 * which subnets XDP leaves to the daemon for their classes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "config_fixture.h"

#define DHCP4(body)   "{ \"Dhcp4\": { " body " } }"
#define ETH0	      "\"interfaces-config\": { \"interfaces\": [ \"eth0\" ] }, "
#define CLASSES(list) "\"client-classes\": [ " list " ], "
#define SUBNETS(list) "\"subnet4\": [ " list " ]"
#define SUBNET(id, net, extra)                                        \
	"{ \"id\": " #id ", \"subnet\": \"" net "\", \"pools\": [ { " \
	"\"pool\": \"" net "\" } ]" extra " }"

static void classes_read(void **state)
{
	const struct dx_class_conf *k;

	(void)state;
	assert_int_equal(
		load(DHCP4(ETH0 CLASSES(
			"{ \"name\": \"uefi\", \"test\": \"option[93].hex == "
			"0x0007\", \"boot-file-name\": \"shim.efi\", "
			"\"next-server\": \"10.0.0.5\", \"option-data\": [ { "
			"\"name\": \"boot-file-name\", \"data\": \"shim.efi\" "
			"} ] }, "
			"{ \"name\": \"late\", \"only-if-required\": true }, "
			"{ \"name\": \"k\", \"test\": \"member('uefi') and "
			"known\" }, "
			"{ \"name\": \"VENDOR_CLASS_docsis3.0\" }")
				   SUBNETS(SUBNET(
					   1, "10.0.1.0/24",
					   ", \"client-class\": \"uefi\", "
					   "\"require-client-classes\": "
					   "[ \"late\" ]")))),
		0);
	assert_int_equal(cfg->n_classes, 4);
	k = &cfg->classes[0];
	assert_string_equal(k->name, "uefi");
	assert_non_null(k->test);
	assert_string_equal(k->bootp.boot_file_name, "shim.efi");
	assert_true(k->bootp.has_file);
	assert_false(k->bootp.has_sname);
	assert_int_equal(k->bootp.next_server, 0x0a000005);
	assert_int_equal(k->options.n, 1);
	assert_false(k->additional);
	assert_false(k->after_known);
	assert_true(cfg->classes[1].additional);
	assert_null(cfg->classes[1].test);
	assert_true(cfg->classes[2].after_known);
	assert_true(cfg->classes[3].builtin);
	assert_int_equal(cfg->subnets[0].guard.n, 1);
	assert_int_equal(cfg->subnets[0].guard.refs[0].kind, CLS_REF_CLASS);
	assert_int_equal(cfg->subnets[0].n_additional, 1);
	assert_int_equal(cfg->subnets[0].additional[0], 1);
}

static void pool_and_reservation_classes(void **state)
{
	const struct dx_subnet_conf *s;

	(void)state;
	assert_int_equal(
		load(DHCP4(
			ETH0 CLASSES("{ \"name\": \"a\", \"test\": \"'x' "
				     "== 'x'\" }")
				SUBNETS("{ \"id\": 1, \"subnet\": "
					"\"10.0.1.0/24\", \"pools\": [ { "
					"\"pool\": \"10.0.1.10 - 10.0.1.19\" "
					"}, { \"pool\": \"10.0.1.20 - "
					"10.0.1.29\", \"client-class\": "
					"\"KNOWN\" } ], \"reservations\": "
					"[ { \"hw-address\": "
					"\"02:00:00:00:00:01\", "
					"\"ip-address\": \"10.0.1.5\", "
					"\"client-classes\": [ \"a\" ] } ] "
					"}"))),
		0);
	s = &cfg->subnets[0];
	assert_non_null(s->pool_guards);
	assert_int_equal(s->pool_guards[0].n, 0);
	assert_int_equal(s->pool_guards[1].n, 1);
	assert_int_equal(s->pool_guards[1].refs[0].kind, CLS_REF_KNOWN);
	assert_int_equal(s->reservations[0].n_classes, 1);
	assert_int_equal(s->reservations[0].classes[0], 0);
}

static void unknown_class_warns(void **state)
{
	(void)state;
	assert_int_equal(
		load(DHCP4(ETH0 SUBNETS(SUBNET(1, "10.0.1.0/24",
					       ", \"client-class\": \"x\"")))),
		0);
	assert_int_equal(diag.n_warnings, 1);
	assert_string_equal(diag.warnings[0],
			    "t.json: Dhcp4.subnet4[0].client-class: 'x' is not "
			    "a class of client-classes nor a built-in class: "
			    "no client can use this");
}

static void errors(void **state)
{
	(void)state;
	expect_error(DHCP4(ETH0 CLASSES("{ \"name\": \"a\", \"test\": "
					"\"option[93].hex\" }")),
		     "t.json: Dhcp4.client-classes[0].test: 'option[93].hex': "
		     "position 15: expected '==' after the string at position "
		     "1 (a test must be true or false)");
	expect_error(DHCP4(ETH0 CLASSES("{ \"name\": \"a\", \"test\": "
					"\"member('b')\" }, { \"name\": "
					"\"b\" }")),
		     "t.json: Dhcp4.client-classes[0].test: 'member('b')': "
		     "position 1: member('b'): not a class defined before "
		     "this one, nor a built-in class");
	expect_error(DHCP4(ETH0 CLASSES("{ \"name\": \"a\" }, { \"name\": "
					"\"a\" }")),
		     "t.json: Dhcp4.client-classes[1].name: 'a' is already "
		     "defined by client-classes[0]");
	expect_error(DHCP4(ETH0 CLASSES("{ \"test\": \"'a' == 'a'\" }")),
		     "t.json: Dhcp4.client-classes[0]: a client class needs a "
		     "\"name\"");
	expect_error(DHCP4(ETH0 CLASSES("{ \"name\": \"ALL\", \"test\": \"'a' "
					"== 'a'\" }")),
		     "t.json: Dhcp4.client-classes[0].test: 'ALL' is a "
		     "built-in class: membership is Kea's rule, it takes no "
		     "test");
	expect_error(DHCP4(ETH0 CLASSES("{ \"name\": \"a\", \"next-server\": "
					"\"bogus\" }")),
		     "t.json: Dhcp4.client-classes[0].next-server: 'bogus' is "
		     "not an IPv4 unicast address");
	expect_error(DHCP4(ETH0 CLASSES("{ \"name\": \"a\", "
					"\"min-valid-lifetime\": 60 }")),
		     "t.json: Dhcp4.client-classes[0].min-valid-lifetime: "
		     "'min-valid-lifetime' is not supported by dhcpxdp: class "
		     "lease lifetimes are not implemented; set them on the "
		     "subnet");
	expect_error(DHCP4(ETH0 CLASSES("{ \"name\": \"a\", "
					"\"valid-lifetime\": 2 }")),
		     "t.json: Dhcp4.client-classes[0].valid-lifetime: 2 is out "
		     "of range (3 to 4294967294)");
	expect_error(DHCP4(ETH0 SUBNETS(SUBNET(
			     1, "10.0.1.0/24",
			     ", \"evaluate-additional-classes\": [ \"x\" ]"))),
		     "t.json: Dhcp4.subnet4[0].evaluate-additional-classes[0]: "
		     "'x' is not a class of client-classes");
	expect_error(DHCP4(ETH0 "\"option-data\": [ { \"name\": \"routers\", "
				"\"data\": \"10.0.1.1\", \"client-classes\": "
				"[ \"a\" ] } ]"),
		     "t.json: Dhcp4.option-data[0].client-classes: "
		     "'client-classes' is not supported by dhcpxdp: option "
		     "class-tagging is not implemented; put the option in the "
		     "option-data of a client class");
}

/* Which subnets XDP leaves to the daemon (docs/design.md §2). */
static void fast_path_rule(void **state)
{
	(void)state;
	/* A class that only keeps a pool: XDP stays on. */
	assert_int_equal(
		load(DHCP4(
			ETH0 CLASSES("{ \"name\": \"bmc\", \"test\": "
				     "\"option[60].exists\" }")
				SUBNETS("{ \"id\": 1, \"subnet\": "
					"\"10.0.1.0/24\", \"pools\": [ { "
					"\"pool\": \"10.0.1.10 - 10.0.1.19\", "
					"\"client-class\": \"bmc\" } ] }"))),
		0);
	assert_false(config_classes_punt(cfg, &cfg->subnets[0]));
	/* A subnet kept for a class: off. */
	assert_int_equal(
		load(DHCP4(ETH0 CLASSES("{ \"name\": \"bmc\", \"test\": "
					"\"option[60].exists\" }")
				   SUBNETS(SUBNET(1, "10.0.1.0/24",
						  ", \"client-class\": "
						  "\"bmc\"")))),
		0);
	assert_true(config_classes_punt(cfg, &cfg->subnets[0]));
	/* A class with options: every subnet off. */
	assert_int_equal(
		load(DHCP4(ETH0 CLASSES("{ \"name\": \"uefi\", \"test\": "
					"\"option[93].hex == 0x0007\", "
					"\"boot-file-name\": \"shim.efi\" }")
				   SUBNETS(SUBNET(1, "10.0.1.0/24", "")))),
		0);
	assert_true(config_classes_punt(cfg, &cfg->subnets[0]));
	/* An additional class with options: only the subnet naming it. */
	assert_int_equal(load(DHCP4(ETH0 CLASSES(
				 "{ \"name\": \"x\", "
				 "\"only-if-required\": true, "
				 "\"option-data\": [ { \"name\": "
				 "\"routers\", \"data\": "
				 "\"10.0.1.1\" } "
				 "] }") SUBNETS(SUBNET(1, "10.0.1.0/24",
						       ", "
						       "\"evaluate-"
						       "additional-"
						       "classes\": [ \"x\" "
						       "]") ", " SUBNET(2,
									"10."
									"0."
									"2."
									"0/"
									"24",
									", "
									"\"r"
									"ela"
									"y\""
									": "
									"{ "
									"\"i"
									"p-"
									"add"
									"res"
									"ses"
									"\":"
									" "
									"[ "
									"\"1"
									"0."
									"9."
									"9."
									"9\""
									" ] "
									"}")))),
			 0);
	assert_true(config_classes_punt(cfg, &cfg->subnets[0]));
	assert_false(config_classes_punt(cfg, &cfg->subnets[1]));
	/* A pool's additional class with options: its subnet off. */
	assert_int_equal(
		load(DHCP4(ETH0 CLASSES(
			"{ \"name\": \"x\", "
			"\"only-if-required\": true, "
			"\"option-data\": [ { \"name\": "
			"\"routers\", \"data\": \"10.0.1.1\" } "
			"] }") SUBNETS("{ \"id\": 1, \"subnet\": "
				       "\"10.0.1.0/24\", \"pools\": [ { "
				       "\"pool\": \"10.0.1.10 - 10.0.1.19\", "
				       "\"evaluate-additional-classes\": "
				       "[ \"x\" ] } ] }"))),
		0);
	assert_non_null(cfg->subnets[0].pool_additional);
	assert_int_equal(cfg->subnets[0].pool_additional[0].n, 1);
	assert_true(config_classes_punt(cfg, &cfg->subnets[0]));
	/* A shared network with a subnet kept for a class: all of it off
	 * (XDP picks the link's subnet without classes). */
	assert_int_equal(
		load(DHCP4(ETH0 CLASSES(
			"{ \"name\": \"bmc\", \"test\": "
			"\"option[60].exists\" }") "\"shared-networks\": [ { "
						   "\"name\": \"n\", "
						   "\"subnet4\": [ " SUBNET(
							   1, "10.0.1.0/24",
							   ", "
							   "\"client-class\": "
							   "\"bmc\"") ","
								      " " SUBNET(
									      2,
									      "10.0.2."
									      "0/24",
									      "") " ] } ]")),
		0);
	assert_true(config_classes_punt(cfg, &cfg->subnets[0]));
	assert_true(config_classes_punt(cfg, &cfg->subnets[1]));
}

/* Kea lets a class define option 43 (only), to read a vendor's space:
 * its own option-data then uses that definition. */
static void class_defines_43(void **state)
{
	const struct dx_option *o;

	(void)state;
	assert_int_equal(
		load(DHCP4(
			ETH0
			"\"option-def\": [ { \"name\": \"vlan\", \"code\": 1, "
			"\"type\": \"uint16\", \"space\": \"aastra\" } "
			"], " CLASSES(
				"{ \"name\": \"VoIP\", \"test\": "
				"\"substring(option[60].hex, 0, 6) == "
				"'Aastra'\", \"option-def\": [ { \"name\": "
				"\"vendor-encapsulated-options\", \"code\": "
				"43, \"type\": \"empty\", \"encapsulate\": "
				"\"aastra\" } ], \"option-data\": [ { "
				"\"name\": "
				"\"vendor-encapsulated-options\" }, { "
				"\"name\": "
				"\"vlan\", \"space\": \"aastra\", \"data\": "
				"\"100\" } ] }")
				SUBNETS(SUBNET(1, "10.0.1.0/24", "")))),
		0);
	o = dx_option_find(&cfg->classes[0].options, 43);
	assert_non_null(o);
	assert_int_equal(o->len, 4);
	assert_memory_equal(o->data, "\x01\x02\x00\x64", 4);
	/* The class's definition is gone once the class is read. */
	assert_int_equal(cfg->n_option_defs, 1);
	expect_error(
		DHCP4(ETH0 CLASSES("{ \"name\": \"a\", \"option-def\": [ { "
				   "\"name\": \"x\", \"code\": 224, \"type\": "
				   "\"uint8\" } ] }")
			      SUBNETS(SUBNET(1, "10.0.1.0/24", ""))),
		"t.json: Dhcp4.client-classes[0].option-def[0]: only "
		"option 43 (vendor-encapsulated-options) can be defined "
		"in a client class, as in Kea; define the others in "
		"Dhcp4.option-def");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(classes_read, teardown),
		cmocka_unit_test_teardown(pool_and_reservation_classes,
					  teardown),
		cmocka_unit_test_teardown(unknown_class_warns, teardown),
		cmocka_unit_test_teardown(errors, teardown),
		cmocka_unit_test_teardown(fast_path_rule, teardown),
		cmocka_unit_test_teardown(class_defines_43, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
