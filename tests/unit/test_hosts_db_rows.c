// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Rows of Kea's host tables into reservation objects
 * (store/hosts_db_rows.c), without a server: a host per host_id, its
 * identifier by Kea's type number as hex, addresses from their numbers,
 * the comma-separated classes as a list, its options as text
 * (formatted_value) or as bytes (value), persistent as always-send; an
 * unknown identifier type refused naming the row.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <json-c/json.h>

#include "config/config.h"
#include "store/hosts_db_internal.h"

#define N_COLS 15

/* host_id, id, type, subnet, addr, hostname, classes, next-server,
 * server-hostname, boot-file, code, value, formatted, space, persistent */
static const char *table[][N_COLS] = {
	{"7", "02db00000001", "0", "1", "172818492", "h1", "a, b", "167772161",
	 "tftp", "pxe.0", "6", "", "10.77.0.54", "dhcp4", "f"},
	{"7", "02db00000001", "0", "1", "172818492", "h1", "a, b", "167772161",
	 "tftp", "pxe.0", "15", "6c6162", NULL, "", "1"},
	{"8", "0102db00000002", "3", "0", "0", NULL, NULL, NULL, NULL, NULL,
	 NULL, NULL, NULL, NULL, NULL},
};

static const char *table_field(void *res, size_t row, int col)
{
	return ((const char *(*)[N_COLS])res)[row][col];
}

static const struct dx_hosts_db_conf conf = {
	.path = "Dhcp4.hosts-databases[1]"};

static const char *str(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v)
						     : NULL;
}

static void rows_become_hosts(void **state)
{
	struct hosts_rows rows = {.res = table, .n = 3, .field = table_field};
	struct json_object *hosts = json_object_new_array(), *h, *opts, *o;
	char err[256];
	size_t n = 0;

	(void)state;
	assert_int_equal(
		hosts_db_collect(&conf, &rows, hosts, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 2);
	h = json_object_array_get_idx(hosts, 0);
	assert_string_equal(str(h, "comment"),
			    "Dhcp4.hosts-databases[1], host_id 7");
	assert_string_equal(str(h, "subnet-id"), "1");
	assert_string_equal(str(h, "hw-address"), "02:db:00:00:00:01");
	assert_string_equal(str(h, "ip-address"), "10.77.0.60");
	assert_string_equal(str(h, "hostname"), "h1");
	assert_string_equal(str(h, "next-server"), "10.0.0.1");
	assert_string_equal(str(h, "server-hostname"), "tftp");
	assert_string_equal(str(h, "boot-file-name"), "pxe.0");
	assert_true(json_object_object_get_ex(h, "client-classes", &o));
	assert_int_equal(json_object_array_length(o), 2);
	assert_string_equal(
		json_object_get_string(json_object_array_get_idx(o, 1)), "b");
	assert_true(json_object_object_get_ex(h, "option-data", &opts));
	assert_int_equal(json_object_array_length(opts), 2);
	o = json_object_array_get_idx(opts, 0);
	assert_string_equal(str(o, "data"), "10.77.0.54");
	assert_string_equal(str(o, "csv-format"), "true");
	assert_null(str(o, "always-send"));
	o = json_object_array_get_idx(opts, 1);
	assert_string_equal(str(o, "code"), "15");
	assert_string_equal(str(o, "space"), "dhcp4");
	assert_string_equal(str(o, "data"), "6c:61:62");
	assert_string_equal(str(o, "csv-format"), "false");
	assert_string_equal(str(o, "always-send"), "true");
	/* global (subnet 0), by client-id, no address, no options */
	h = json_object_array_get_idx(hosts, 1);
	assert_string_equal(str(h, "subnet-id"), "0");
	assert_string_equal(str(h, "client-id"), "01:02:db:00:00:00:02");
	assert_null(str(h, "ip-address"));
	assert_null(str(h, "hostname"));
	assert_false(json_object_object_get_ex(h, "option-data", NULL));
	json_object_put(hosts);
}

static void unknown_identifier_type_named(void **state)
{
	static const char *bad[][N_COLS] = {
		{"9", "01", "7", "1", NULL, NULL, NULL, NULL, NULL, NULL, NULL,
		 NULL, NULL, NULL, NULL},
	};
	struct hosts_rows rows = {.res = bad, .n = 1, .field = table_field};
	struct json_object *hosts = json_object_new_array();
	char err[256];
	size_t n = 0;

	(void)state;
	assert_int_equal(
		hosts_db_collect(&conf, &rows, hosts, &n, err, sizeof(err)),
		-EINVAL);
	assert_string_equal(err, "Dhcp4.hosts-databases[1]: host_id 9: "
				 "dhcp_identifier_type 7 is none of Kea's");
	json_object_put(hosts);
}

static void schema_versions(void **state)
{
	char err[256];

	(void)state;
	assert_int_equal(hosts_db_check_version("db", 13, 0, 7, 13, "Kea 2.2's",
						err, sizeof(err)),
			 0);
	assert_int_equal(hosts_db_check_version("db", 14, 1, 7, 13, "Kea 2.2's",
						err, sizeof(err)),
			 -EPROTONOSUPPORT);
	assert_string_equal(err,
			    "db: Kea schema version 14.1 is not one "
			    "dhcpxdp reads (7 to 13; 13 is Kea 2.2's): its "
			    "hosts table may differ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rows_become_hosts),
		cmocka_unit_test(unknown_identifier_type_named),
		cmocka_unit_test(schema_versions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
