// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Kea's next-server, server-hostname and boot-file-name (config/bootp.c):
 * parsed at the Dhcp4, subnet and reservation levels, the most specific
 * level winning, and refused with their exact messages when they do not
 * fit the BOOTP fields (RFC 2131 §2).
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

/* Kea's defaults, as its config-get writes them, set nothing. */
static void test_defaults_set_nothing(void **state)
{
	(void)state;
	expect_loads(DHCP4(ETH0
			   "\"next-server\": \"0.0.0.0\", "
			   "\"server-hostname\": \"\", \"boot-file-name\": "
			   "\"\", " SUBNET(", \"next-server\": \"0.0.0.0\"")));
	assert_int_equal(cfg->subnets[0].bootp.next_server, 0);
	assert_string_equal(cfg->subnets[0].bootp.server_hostname, "");
	assert_string_equal(cfg->subnets[0].bootp.boot_file_name, "");
	assert_false(config_bootp_any(&cfg->subnets[0].bootp));
	expect_loads(DHCP4(ETH0 SUBNET("")));
	assert_false(config_bootp_any(&cfg->bootp));
	assert_false(config_bootp_any(&cfg->subnets[0].bootp));
}

/* A subnet inherits Dhcp4's fields and replaces those it gives. */
static void test_subnet_inherits_global(void **state)
{
	(void)state;
	expect_loads(DHCP4(ETH0
			   "\"next-server\": \"10.0.0.1\", "
			   "\"server-hostname\": \"tftp\", "
			   "\"boot-file-name\": \"pxelinux.0\", "
			   "\"subnet4\": [ { \"id\": 1, \"subnet\": "
			   "\"10.0.1.0/24\", \"boot-file-name\": "
			   "\"ipxe.efi\" }, { \"id\": 2, \"subnet\": "
			   "\"10.0.2.0/24\", \"server-hostname\": \"\", "
			   "\"relay\": { \"ip-addresses\": [ \"10.0.2.1\" ] "
			   "} } ]"));
	assert_int_equal(cfg->bootp.next_server, 0x0a000001);
	assert_int_equal(cfg->subnets[0].bootp.next_server, 0x0a000001);
	assert_string_equal(cfg->subnets[0].bootp.server_hostname, "tftp");
	assert_string_equal(cfg->subnets[0].bootp.boot_file_name, "ipxe.efi");
	/* "" given at the subnet clears what Dhcp4 said. */
	assert_string_equal(cfg->subnets[1].bootp.server_hostname, "");
	assert_string_equal(cfg->subnets[1].bootp.boot_file_name, "pxelinux.0");
}

/* A reservation keeps its own fields only; empty ones are not given. */
static void test_reservation_own_fields(void **state)
{
	const struct dx_reservation_conf *r;
	struct dx_bootp_conf b;

	(void)state;
	expect_loads(DHCP4(ETH0 SUBNET(
		", \"next-server\": \"10.0.1.1\", \"boot-file-name\": "
		"\"subnet.efi\", \"reservations\": [ { \"hw-address\": "
		"\"02:00:00:00:00:01\", \"ip-address\": \"10.0.1.5\", "
		"\"next-server\": \"10.0.1.9\", \"server-hostname\": "
		"\"host-tftp\", \"boot-file-name\": \"\" } ]")));
	r = &cfg->subnets[0].reservations[0];
	assert_true(r->bootp.has_next_server);
	assert_int_equal(r->bootp.next_server, 0x0a000109);
	assert_true(r->bootp.has_sname);
	assert_false(r->bootp.has_file);
	b = cfg->subnets[0].bootp;
	config_bootp_merge(&b, &r->bootp);
	assert_int_equal(b.next_server, 0x0a000109);
	assert_string_equal(b.server_hostname, "host-tftp");
	assert_string_equal(b.boot_file_name, "subnet.efi");
	assert_false(config_bootp_same(&b, &cfg->subnets[0].bootp));
}

/* 63 and 127 bytes fit the fields with their NUL; one more does not. */
static void test_lengths(void **state)
{
	char sname[64], file[128], json[1024];

	(void)state;
	memset(sname, 's', 63);
	sname[63] = '\0';
	memset(file, 'f', 127);
	file[127] = '\0';
	snprintf(json, sizeof(json),
		 DHCP4("\"server-hostname\": \"%s\", \"boot-file-name\": "
		       "\"%s\""),
		 sname, file);
	expect_loads(json);
	assert_int_equal(strlen(cfg->bootp.server_hostname), 63);
	assert_int_equal(strlen(cfg->bootp.boot_file_name), 127);
	snprintf(json, sizeof(json), DHCP4("\"server-hostname\": \"%sx\""),
		 sname);
	expect_error(json, "t.json: Dhcp4.server-hostname: 64 bytes long; the "
			   "BOOTP field holds at most 63 (and its terminating "
			   "NUL)");
	snprintf(json, sizeof(json),
		 DHCP4(ETH0 SUBNET(", \"boot-file-name\": \"%sx\"")), file);
	expect_error(json, "t.json: Dhcp4.subnet4[0].boot-file-name: 128 "
			   "bytes long; the BOOTP field holds at most 127 (and "
			   "its terminating NUL)");
}

static void test_bad_values(void **state)
{
	(void)state;
	expect_error(DHCP4("\"next-server\": \"tftp.example\""),
		     "t.json: Dhcp4.next-server: 'tftp.example' is not an "
		     "IPv4 unicast address");
	expect_error(DHCP4("\"next-server\": \"255.255.255.255\""),
		     "t.json: Dhcp4.next-server: '255.255.255.255' is not an "
		     "IPv4 unicast address");
	expect_error(DHCP4("\"boot-file-name\": 7"),
		     "t.json: Dhcp4.boot-file-name: expected a string, got an "
		     "integer");
	expect_error(DHCP4(ETH0 SUBNET(
			     ", \"reservations\": [ { \"hw-address\": "
			     "\"02:00:00:00:00:01\", \"ip-address\": "
			     "\"10.0.1.5\", \"next-server\": \"10.0.1\" } ]")),
		     "t.json: Dhcp4.subnet4[0].reservations[0].next-server: "
		     "'10.0.1' is not an IPv4 unicast address");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_defaults_set_nothing, teardown),
		cmocka_unit_test_teardown(test_subnet_inherits_global,
					  teardown),
		cmocka_unit_test_teardown(test_reservation_own_fields,
					  teardown),
		cmocka_unit_test_teardown(test_lengths, teardown),
		cmocka_unit_test_teardown(test_bad_values, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
