// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Dhcp4.hosts-database(s) (config/hosts_db_conf.c): Kea's keys of a
 * PostgreSQL host database accepted, the others refused with their JSON
 * path; and the rows read from one (config/hosts_merge.c) joining their
 * subnets' reservations after the file's, a conflicting row skipped with
 * a warning, a bad one failing the load with the row named.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <json-c/json.h>

#include "config_fixture.h"

#define CFG(hosts)                                                            \
	"{ \"Dhcp4\": { \"interfaces-config\": { \"interfaces\": [] }," hosts \
	", \"subnet4\": [ { \"id\": 1, \"subnet\": \"10.0.1.0/24\","          \
	" \"relay\": { \"ip-addresses\": [ \"10.0.0.1\" ] },"                 \
	" \"pools\": [ { \"pool\": \"10.0.1.100 - 10.0.1.199\" } ],"          \
	" \"reservations\": [ { \"hw-address\": \"02:00:00:00:00:01\","       \
	" \"ip-address\": \"10.0.1.5\" } ] } ] } }"
#define PG(keys)                                                        \
	"\"hosts-databases\": [ { \"type\": \"postgresql\", \"name\": " \
	"\"kea\"" keys " } ]"

static void kea_keys_accepted(void **state)
{
	(void)state;
	expect_loads(CFG(PG(", \"host\": \"db.example\", \"port\": 5433,"
			    " \"user\": \"kea\", \"password\": \"pw\","
			    " \"connect-timeout\": 3,"
			    " \"max-reconnect-tries\": 4,"
			    " \"reconnect-wait-time\": 500,"
			    " \"on-fail\": \"serve-retry-continue\","
			    " \"retry-on-startup\": true, \"readonly\": true,"
			    " \"trust-anchor\": \"/etc/ca.pem\","
			    " \"cert-file\": \"/etc/c.pem\","
			    " \"key-file\": \"/etc/k.pem\","
			    " \"ssl-mode\": \"verify-ca\","
			    " \"tcp-user-timeout\": 10")));
	assert_int_equal(cfg->n_hosts_dbs, 1);
	const struct dx_lease_db_conf *db = &cfg->hosts_dbs[0].db;
	assert_string_equal(cfg->hosts_dbs[0].path, "Dhcp4.hosts-databases[0]");
	assert_string_equal(db->name, "kea");
	assert_string_equal(db->host, "db.example");
	assert_int_equal(db->port, 5433);
	assert_int_equal(db->connect_timeout, 3);
	assert_int_equal(db->max_reconnect_tries, 4);
	assert_int_equal(db->reconnect_wait_time, 500);
	assert_int_equal(db->on_fail, DX_DB_SERVE_RETRY_CONTINUE);
	assert_true(db->retry_on_startup);
	assert_string_equal(db->trust_anchor, "/etc/ca.pem");
	assert_string_equal(db->key_file, "/etc/k.pem");
	assert_string_equal(db->ssl_mode, "verify-ca");
	assert_int_equal(db->tcp_user_timeout, 10);
	/* the lease database is not touched */
	assert_string_equal(cfg->lease_db.type, "sqlite");
}

/* Kea's mysql-reservations.json, its TLS and timeouts. */
static void mysql_accepted(void **state)
{
	(void)state;
	expect_loads(CFG("\"hosts-databases\": [ { \"type\": \"mysql\","
			 " \"name\": \"kea\", \"port\": 3306,"
			 " \"trust-anchor\": \"my-ca\", \"cert-file\": \"c\","
			 " \"key-file\": \"k\", \"cipher-list\": \"AES\","
			 " \"read-timeout\": 120, \"write-timeout\": 180 } ]"));
	const struct dx_lease_db_conf *db = &cfg->hosts_dbs[0].db;
	assert_string_equal(db->type, "mysql");
	assert_string_equal(db->cipher_list, "AES");
	assert_int_equal(db->read_timeout, 120);
	assert_int_equal(db->write_timeout, 180);
	assert_int_equal(db->port, 3306);
}

static void single_object_form(void **state)
{
	(void)state;
	expect_loads(CFG("\"hosts-database\": { \"type\": \"postgresql\","
			 " \"name\": \"kea\" }"));
	assert_int_equal(cfg->n_hosts_dbs, 1);
	assert_string_equal(cfg->hosts_dbs[0].path, "Dhcp4.hosts-database");
	assert_int_equal(cfg->hosts_dbs[0].db.on_fail, DX_DB_STOP_RETRY_EXIT);
	assert_int_equal(cfg->hosts_dbs[0].db.connect_timeout,
			 CONFIG_DEFAULT_DB_TIMEOUT);
}

static void refused_with_path(void **state)
{
	(void)state;
	expect_error(CFG("\"hosts-databases\": [ { \"type\": \"mssql\","
			 " \"name\": \"kea\" } ]"),
		     "t.json: Dhcp4.hosts-databases[0].type: 'mssql' is not "
		     "supported: use \"type\": \"postgresql\" or \"mysql\"");
	expect_error(CFG("\"hosts-databases\": [ { \"type\": \"mysql\","
			 " \"name\": \"kea\", \"ssl-mode\": \"require\" } ]"),
		     "t.json: Dhcp4.hosts-databases[0].ssl-mode: 'ssl-mode' is "
		     "not supported by dhcpxdp for \"type\": \"mysql\": a "
		     "PostgreSQL setting");
	expect_error(
		CFG("\"hosts-databases\": [ { \"type\": \"postgresql\" } ]"),
		"t.json: Dhcp4.hosts-databases[0].name: required: the "
		"database holding Kea's hosts tables");
	expect_error(CFG("\"hosts-databases\": [ { \"name\": \"kea\" } ]"),
		     "t.json: Dhcp4.hosts-databases[0].type: required: "
		     "\"postgresql\" or \"mysql\"");
	expect_error(CFG(PG(", \"cipher-list\": \"AES\"")),
		     "t.json: Dhcp4.hosts-databases[0].cipher-list: "
		     "'cipher-list' is not supported by dhcpxdp for \"type\": "
		     "\"postgresql\": libpq has no client cipher setting: the "
		     "server's ssl_ciphers decides");
	expect_error(CFG(PG(", \"cert-file\": \"/c.pem\"")),
		     "t.json: Dhcp4.hosts-databases[0].key-file: required with "
		     "\"cert-file\": a client certificate goes with its key");
	expect_error(
		CFG(PG(", \"ssl-mode\": \"allow\"")),
		"t.json: Dhcp4.hosts-databases[0].ssl-mode: 'allow' is not "
		"one of \"disable\", \"prefer\", \"require\", "
		"\"verify-ca\", \"verify-full\"");
	expect_error(CFG(PG(", \"on-fail\": \"retry\"")),
		     "t.json: Dhcp4.hosts-databases[0].on-fail: 'retry' is not "
		     "one of \"stop-retry-exit\", \"serve-retry-exit\", "
		     "\"serve-retry-continue\"");
	expect_error(CFG("\"hosts-database\": { \"type\": \"postgresql\","
			 " \"name\": \"a\" }, " PG("")),
		     "t.json: Dhcp4.hosts-database: give either "
		     "\"hosts-database\" or \"hosts-databases\", not both");
	expect_error(CFG("\"hosts-databases\": {}"),
		     "t.json: Dhcp4.hosts-databases: expected a list, got an "
		     "object");
	/* the lease database still refuses retry-on-startup */
	expect_error(CFG("\"lease-database\": { \"type\": \"postgresql\","
			 " \"name\": \"l\", \"retry-on-startup\": true }"),
		     "t.json: Dhcp4.lease-database.retry-on-startup: true is "
		     "not supported: the daemon needs the leases before it "
		     "serves; systemd restarts it (Restart=on-failure)");
}

/* --- rows merged (config_load_hosts) ----------------------------------- */

static char path[64];

static int load_hosts(const char *rows)
{
	struct json_object *hosts = json_tokener_parse(rows);
	FILE *f;
	int r;

	assert_non_null(hosts);
	snprintf(path, sizeof(path), "/tmp/dhcpxdp-hostsdb-XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs(CFG(PG("")), f);
	fclose(f);
	teardown(NULL);
	r = config_load_hosts(path, hosts, &cfg, &diag);
	unlink(path);
	json_object_put(hosts);
	return r;
}

#define ROW(id, key, val, ip, extra)                                          \
	"{ \"subnet-id\": " #id ", \"comment\": \"Dhcp4.hosts-databases[0],"  \
	" host_id " #id "\", \"" key "\": \"" val "\", \"ip-address\": \"" ip \
	"\"" extra " }"

static void rows_join_their_subnet(void **state)
{
	const struct dx_reservation_conf *r;

	(void)state;
	assert_int_equal(
		load_hosts("[" ROW(
			1, "hw-address", "02:00:00:00:00:02", "10.0.1.6",
			", \"hostname\": \"h2\", \"option-data\": "
			"[ { \"code\": 6, \"space\": \"dhcp4\", "
			"\"csv-format\": false, \"data\": "
			"\"0a:00:00:35\" } ]") ", " ROW(1, "client-id",
							"01:02:00:00:00:00:03",
							"10.0.1.7", "") "]"),
		0);
	assert_int_equal(cfg->subnets[0].n_reservations, 3);
	r = &cfg->subnets[0].reservations[1];
	assert_true(r->has_hw);
	assert_int_equal(r->hw[5], 2);
	assert_int_equal(r->addr, 0x0a000106);
	assert_string_equal(r->hostname, "h2");
	assert_int_equal(r->option_data.n, 1);
	r = &cfg->subnets[0].reservations[2];
	assert_int_equal(r->client_id_len, 7);
	assert_int_equal(r->addr, 0x0a000107);
	assert_int_equal(diag.n_warnings, 0);
}

static void conflicts_skipped_with_warning(void **state)
{
	(void)state;
	assert_int_equal(
		load_hosts("[" ROW(
			1, "hw-address", "02-00-00-00-00-01", "10.0.1.9",
			"") ", " ROW(1, "hw-address", "02:00:00:00:00:09",
				     "10.0.1.5",
				     "") ", " ROW(7, "hw-address",
						  "02:00:00:00:00:07",
						  "10.0.7.5", "") "]"),
		0);
	/* the file's reservation only */
	assert_int_equal(cfg->subnets[0].n_reservations, 1);
	assert_int_equal(cfg->subnets[0].reservations[0].addr, 0x0a000105);
	assert_int_equal(diag.n_warnings, 3);
	assert_non_null(strstr(diag.warnings[0],
			       "Dhcp4.subnet4[0].reservations: "
			       "Dhcp4.hosts-databases[0], host_id 1: skipped: "
			       "hw-address 02-00-00-00-00-01 is already "
			       "reserved here"));
	assert_non_null(strstr(diag.warnings[1],
			       "skipped: ip-address 10.0.1.5 is already "
			       "reserved here"));
	assert_non_null(strstr(diag.warnings[2],
			       "Dhcp4.hosts-databases[0], host_id 7: skipped: "
			       "no subnet has id 7 in this configuration"));
}

static void global_row(void **state)
{
	(void)state;
	assert_int_equal(
		load_hosts("[" ROW(0, "hw-address", "02:00:00:00:00:0a",
				   "10.0.1.10", "") "]"),
		0);
	assert_int_equal(cfg->n_global_reservations, 1);
	assert_int_equal(cfg->global_reservations[0].addr, 0x0a00010a);
}

static void bad_row_named(void **state)
{
	(void)state;
	assert_int_equal(
		load_hosts("[" ROW(1, "hw-address", "02:00:00:00:00:0b",
				   "10.9.9.9", "") "]"),
		-EINVAL);
	assert_non_null(strstr(diag.error, "Dhcp4.subnet4[0].reservations[1]"));
	assert_non_null(
		strstr(diag.error, "(Dhcp4.hosts-databases[0], host_id 1)"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(kea_keys_accepted, teardown),
		cmocka_unit_test_teardown(mysql_accepted, teardown),
		cmocka_unit_test_teardown(single_object_form, teardown),
		cmocka_unit_test_teardown(refused_with_path, teardown),
		cmocka_unit_test_teardown(rows_join_their_subnet, teardown),
		cmocka_unit_test_teardown(conflicts_skipped_with_warning,
					  teardown),
		cmocka_unit_test_teardown(global_row, teardown),
		cmocka_unit_test_teardown(bad_row_named, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
