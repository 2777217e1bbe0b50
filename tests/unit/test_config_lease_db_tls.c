// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * TLS and tcp-user-timeout of Dhcp4.lease-database (config/lease_db_conf.c,
 * config/db_tls_conf.c): Kea's keys accepted for a PostgreSQL lease
 * database, refused with their JSON path and reason otherwise; the copy
 * the high-availability heartbeat connects with (db_conn_conf_dup) keeps
 * them.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "config_fixture.h"

#define CFG(db)                                                           \
	"{ \"Dhcp4\": { \"interfaces-config\": { \"interfaces\": [] },"   \
	" \"lease-database\": " db ", \"subnet4\": [ { \"id\": 1,"        \
	" \"subnet\": \"10.0.1.0/24\", \"relay\": { \"ip-addresses\": [ " \
	"\"10.0.0.1\" ] }, \"pools\": [ { \"pool\": \"10.0.1.100 - "      \
	"10.0.1.199\" } ] } ] } }"
#define PG(keys) \
	CFG("{ \"type\": \"postgresql\", \"name\": \"leases\"" keys " }")
#define LITE(keys) CFG("{ \"type\": \"sqlite\", \"name\": \"l.db\"" keys " }")
#define TLS_KEYS                                       \
	", \"host\": \"db.example\", \"port\": 5433,"  \
	" \"trust-anchor\": \"/etc/dhcpxdp/ca.pem\","  \
	" \"cert-file\": \"/etc/dhcpxdp/client.pem\"," \
	" \"key-file\": \"/etc/dhcpxdp/client.key\","  \
	" \"ssl-mode\": \"verify-full\", \"tcp-user-timeout\": 10"

static void tls_keys_accepted(void **state)
{
	(void)state;
	expect_loads(PG(TLS_KEYS));
	const struct dx_lease_db_conf *db = &cfg->lease_db;
	assert_string_equal(db->type, "postgresql");
	assert_string_equal(db->host, "db.example");
	assert_string_equal(db->trust_anchor, "/etc/dhcpxdp/ca.pem");
	assert_string_equal(db->cert_file, "/etc/dhcpxdp/client.pem");
	assert_string_equal(db->key_file, "/etc/dhcpxdp/client.key");
	assert_string_equal(db->ssl_mode, "verify-full");
	assert_int_equal(db->tcp_user_timeout, 10);
	assert_null(db->cipher_list);
	assert_int_equal(diag.n_warnings, 0);
}

/* libpq's five sslmode words; a trust anchor alone is enough. */
static void every_ssl_mode(void **state)
{
	static const char *const modes[] = {"disable", "prefer", "require",
					    "verify-ca", "verify-full"};
	char json[1024];

	(void)state;
	for (size_t i = 0; i < sizeof(modes) / sizeof(*modes); i++) {
		snprintf(json, sizeof(json),
			 PG(", \"ssl-mode\": \"%s\", \"trust-anchor\": \"ca\""),
			 modes[i]);
		expect_loads(json);
		assert_string_equal(cfg->lease_db.ssl_mode, modes[i]);
		assert_string_equal(cfg->lease_db.trust_anchor, "ca");
		assert_null(cfg->lease_db.cert_file);
	}
}

static void none_given(void **state)
{
	(void)state;
	expect_loads(PG(""));
	assert_null(cfg->lease_db.trust_anchor);
	assert_null(cfg->lease_db.cert_file);
	assert_null(cfg->lease_db.key_file);
	assert_null(cfg->lease_db.ssl_mode);
	assert_int_equal(cfg->lease_db.tcp_user_timeout, 0);
}

/* The lease database's keys are its own: a host database's are not
 * touched, nor the other way round. */
static void separate_from_hosts_databases(void **state)
{
	(void)state;
	expect_loads("{ \"Dhcp4\": { \"lease-database\": { \"type\": "
		     "\"postgresql\", \"name\": \"l\", \"ssl-mode\": "
		     "\"require\" }, \"hosts-databases\": [ { \"type\": "
		     "\"postgresql\", \"name\": \"kea\", \"trust-anchor\": "
		     "\"/h-ca\" } ] } }");
	assert_string_equal(cfg->lease_db.ssl_mode, "require");
	assert_null(cfg->lease_db.trust_anchor);
	assert_null(cfg->hosts_dbs[0].db.ssl_mode);
	assert_string_equal(cfg->hosts_dbs[0].db.trust_anchor, "/h-ca");
}

/* The heartbeat's connection is made from this copy (ha_watch.c). */
static void copy_keeps_tls(void **state)
{
	struct dx_lease_db_conf copy;

	(void)state;
	expect_loads(PG(TLS_KEYS));
	assert_int_equal(db_conn_conf_dup(&copy, &cfg->lease_db), 0);
	assert_string_equal(copy.trust_anchor, "/etc/dhcpxdp/ca.pem");
	assert_string_equal(copy.cert_file, "/etc/dhcpxdp/client.pem");
	assert_string_equal(copy.key_file, "/etc/dhcpxdp/client.key");
	assert_string_equal(copy.ssl_mode, "verify-full");
	assert_int_equal(copy.tcp_user_timeout, 10);
	assert_ptr_not_equal(copy.key_file, cfg->lease_db.key_file);
	db_conn_conf_free(&copy);
}

static void refused_for_postgresql(void **state)
{
	(void)state;
	expect_error(PG(", \"cipher-list\": \"AES256\""),
		     "t.json: Dhcp4.lease-database.cipher-list: 'cipher-list' "
		     "is not supported by dhcpxdp: libpq has no client cipher "
		     "setting: the server's ssl_ciphers decides");
	expect_error(PG(", \"cert-file\": \"/c.pem\""),
		     "t.json: Dhcp4.lease-database.key-file: required with "
		     "\"cert-file\": a client certificate goes with its key");
	expect_error(PG(", \"trust-anchor\": \"/ca\", \"key-file\": \"/k\""),
		     "t.json: Dhcp4.lease-database.cert-file: required with "
		     "\"key-file\": a client certificate goes with its key");
	expect_error(PG(", \"ssl-mode\": \"allow\""),
		     "t.json: Dhcp4.lease-database.ssl-mode: 'allow' is not "
		     "one of \"disable\", \"prefer\", \"require\", "
		     "\"verify-ca\", \"verify-full\"");
	expect_error(PG(", \"tcp-user-timeout\": 3601"),
		     "t.json: Dhcp4.lease-database.tcp-user-timeout: 3601 is "
		     "out of range (0 to 3600)");
	expect_error(PG(", \"trust-anchor\": 1"),
		     "t.json: Dhcp4.lease-database.trust-anchor: expected a "
		     "string, got an integer");
}

/* A SQLite file has no server to speak TLS to. */
static void refused_for_sqlite(void **state)
{
	static const char *const keys[] = {"trust-anchor", "cert-file",
					   "key-file", "ssl-mode",
					   "tcp-user-timeout"};
	char json[1024], msg[256];

	(void)state;
	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
		snprintf(json, sizeof(json), LITE(", \"%s\": %s"), keys[i],
			 strcmp(keys[i], "tcp-user-timeout") ? "\"x\"" : "10");
		snprintf(msg, sizeof(msg),
			 "t.json: Dhcp4.lease-database.%s: only for \"type\": "
			 "\"postgresql\"; a SQLite database is a local file",
			 keys[i]);
		expect_error(json, msg);
	}
	expect_error(LITE(", \"cipher-list\": \"AES256\""),
		     "t.json: Dhcp4.lease-database.cipher-list: 'cipher-list' "
		     "is not supported by dhcpxdp: libpq has no client cipher "
		     "setting: the server's ssl_ciphers decides");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(tls_keys_accepted, teardown),
		cmocka_unit_test_teardown(every_ssl_mode, teardown),
		cmocka_unit_test_teardown(none_given, teardown),
		cmocka_unit_test_teardown(separate_from_hosts_databases,
					  teardown),
		cmocka_unit_test_teardown(copy_keeps_tls, teardown),
		cmocka_unit_test_teardown(refused_for_postgresql, teardown),
		cmocka_unit_test_teardown(refused_for_sqlite, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
