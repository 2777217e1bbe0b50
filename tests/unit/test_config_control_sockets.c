// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Dhcp4.control-socket and control-sockets (config/control_sockets.c):
 * the Unix socket, and Kea's "http" / "https" entries with their keys
 * and defaults; Kea's two example shapes (comments.json,
 * hooks-rbac.json); each refusal with its path; the user-file and
 * password-file read at load, the TLS files not read at all.
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

#include "config/config.h"
#include "config_fixture.h"

#define DHCP4(body)                                                  \
	"{ \"Dhcp4\": { \"interfaces-config\": { \"interfaces\": [ " \
	"\"eth0\" ] }, \"subnet4\": [ { \"id\": 1, \"subnet\": "     \
	"\"10.0.0.0/24\" } ], " body " } }"
#define SOCKETS(list) DHCP4("\"control-sockets\": [ " list " ]")
#define HTTP	      "{ \"socket-type\": \"http\", "
#define AUTH                                                       \
	"\"authentication\": { \"clients\": [ { \"user\": \"a\", " \
	"\"password\": \"b\" } ] }"
#define TLS_KEYS                                                    \
	"\"trust-anchor\": \"my-ca\", \"cert-file\": \"my-cert\", " \
	"\"key-file\": \"my-key\""

static void expect_no_warning(void)
{
	for (size_t i = 0; i < diag.n_warnings; i++)
		print_message("warning: %s\n", diag.warnings[i]);
	assert_int_equal(diag.n_warnings, 0);
}

/* comments.json's two entries, as Kea writes them. */
static void test_kea_comments_shape(void **state)
{
	const struct dx_http_socket_conf *h;

	(void)state;
	expect_loads(SOCKETS(
		"{ \"socket-type\": \"unix\", \"socket-name\": "
		"\"kea4-ctrl-socket\", \"user-context\": { \"comment\": "
		"\"Indirect comment\" } },"
		"{ \"comment\": \"HTTP control socket\", \"socket-type\": "
		"\"http\", \"socket-address\": \"::1\", \"socket-port\": 8004, "
		"\"authentication\": { \"comment\": \"basic HTTP "
		"authentication\", \"type\": \"basic\", \"clients\": [ { "
		"\"user\": \"admin\", \"password\": \"1234\" } ] } }"));
	expect_no_warning();
	assert_string_equal(cfg->control_socket.socket_name,
			    "kea4-ctrl-socket");
	assert_int_equal(cfg->n_http_sockets, 1);
	h = &cfg->http_sockets[0];
	assert_string_equal(h->path, "Dhcp4.control-sockets[1]");
	assert_string_equal(h->type, "http");
	assert_string_equal(h->address, "::1");
	assert_int_equal(h->port, 8004);
	assert_false(h->tls);
	assert_string_equal(h->realm, "kea-dhcpv4-server");
	assert_int_equal(h->n_clients, 1);
	assert_string_equal(h->clients[0].user, "admin");
	assert_string_equal(h->clients[0].password, "1234");
	assert_int_equal(h->n_headers, 0);
}

/* hooks-rbac.json's: TLS files that do not exist still load (they are
 * read when the daemon opens the socket). */
static void test_kea_rbac_shape(void **state)
{
	const struct dx_http_socket_conf *h;

	(void)state;
	expect_loads(
		SOCKETS("{ \"socket-type\": \"https\", \"socket-address\": "
			"\"127.0.0.1\", \"socket-port\": 8000, " TLS_KEYS
			", \"cert-required\": true }"));
	expect_no_warning();
	/* No unix entry: the CLI's socket stays at its default. */
	assert_string_equal(cfg->control_socket.socket_name,
			    CONFIG_DEFAULT_CONTROL_SOCKET);
	assert_int_equal(cfg->n_http_sockets, 1);
	h = &cfg->http_sockets[0];
	assert_true(h->tls);
	assert_true(h->cert_required);
	assert_string_equal(h->trust_anchor, "my-ca");
	assert_string_equal(h->cert_file, "my-cert");
	assert_string_equal(h->key_file, "my-key");
	assert_null(h->realm);
	assert_int_equal(h->n_clients, 0);
}

static void test_defaults_and_forms(void **state)
{
	const struct dx_http_socket_conf *h;

	(void)state;
	/* Kea's defaults; no TLS nor authentication is warned. */
	expect_loads(SOCKETS(HTTP "\"comment\": \"x\" }"));
	h = &cfg->http_sockets[0];
	assert_string_equal(h->address, "127.0.0.1");
	assert_int_equal(h->port, 8000);
	assert_int_equal(diag.n_warnings, 1);
	assert_string_equal(diag.warnings[0],
			    "t.json: Dhcp4.control-sockets[0]: neither TLS nor "
			    "authentication: whoever can connect to 127.0.0.1 "
			    "port 8000 controls the server");
	/* Kea 2.x's single object may be an HTTP one too. */
	expect_loads(DHCP4("\"control-socket\": { \"socket-type\": \"http\", "
			   "\"socket-port\": 8080, " AUTH " }"));
	expect_no_warning();
	assert_int_equal(cfg->http_sockets[0].port, 8080);
	assert_string_equal(cfg->http_sockets[0].path, "Dhcp4.control-socket");
	/* "http" with the TLS keys is served over TLS, as by Kea; a missing
	 * authentication type is "basic", the realm is the one given. */
	expect_loads(SOCKETS(HTTP TLS_KEYS
			     ", \"cert-required\": false, "
			     "\"authentication\": { \"realm\": \"r1\", "
			     "\"clients\": [] } }"));
	expect_no_warning();
	h = &cfg->http_sockets[0];
	assert_true(h->tls);
	assert_false(h->cert_required);
	assert_string_equal(h->realm, "r1");
	assert_int_equal(h->n_clients, 0);
	/* Several of each kind of HTTP socket, on their own ports;
	 * http-headers kept in order. */
	expect_loads(SOCKETS(
		HTTP AUTH
		", \"http-headers\": [ { \"name\": "
		"\"Strict-Transport-Security\", \"value\": "
		"\"max-age=31536000\" }, { \"name\": \"X-A\", "
		"\"value\": \"\" } ] }," HTTP AUTH ", \"socket-port\": 8001 },"
		"{ \"socket-type\": \"https\", \"socket-port\": 8002, " TLS_KEYS
		" }, { \"socket-type\": \"https\", \"socket-port\": 8003, "
		"\"socket-address\": \"::\", " TLS_KEYS " }"));
	expect_no_warning();
	assert_int_equal(cfg->n_http_sockets, 4);
	assert_int_equal(cfg->http_sockets[0].n_headers, 2);
	assert_string_equal(cfg->http_sockets[0].headers[0].name,
			    "Strict-Transport-Security");
	assert_string_equal(cfg->http_sockets[0].headers[1].value, "");
	assert_int_equal(cfg->http_sockets[3].port, 8003);
	assert_string_equal(cfg->http_sockets[3].address, "::");
	/* cert-required without TLS means nothing: warned. */
	expect_loads(SOCKETS(HTTP AUTH ", \"cert-required\": true }"));
	assert_int_equal(diag.n_warnings, 1);
	assert_string_equal(diag.warnings[0],
			    "t.json: Dhcp4.control-sockets[0].cert-required: "
			    "ignored without TLS (trust-anchor, cert-file, "
			    "key-file)");
	/* An unknown key warns, as everywhere. */
	expect_loads(SOCKETS(HTTP AUTH ", \"socket-prot\": 1 }"));
	assert_int_equal(diag.n_warnings, 1);
	assert_string_equal(diag.warnings[0],
			    "t.json: Dhcp4.control-sockets[0].socket-prot: "
			    "unknown key, ignored");
}

static void test_refusals(void **state)
{
	(void)state;
	expect_error(SOCKETS("{ \"socket-type\": \"https\" }"),
		     "t.json: Dhcp4.control-sockets[0].socket-type: \"https\" "
		     "needs trust-anchor, cert-file and key-file");
	expect_error(SOCKETS("{ \"socket-type\": \"https\", \"cert-file\": "
			     "\"c\", \"key-file\": \"k\" }"),
		     "t.json: Dhcp4.control-sockets[0].trust-anchor: missing: "
		     "TLS takes trust-anchor, cert-file and key-file together");
	expect_error(SOCKETS(HTTP "\"trust-anchor\": \"ca\" }"),
		     "t.json: Dhcp4.control-sockets[0].cert-file: missing: "
		     "TLS takes trust-anchor, cert-file and key-file together");
	expect_error(SOCKETS(HTTP "\"key-file\": \"\" }"),
		     "t.json: Dhcp4.control-sockets[0].key-file: must not be "
		     "empty");
	expect_error(SOCKETS("{ \"socket-type\": \"tcp\" }"),
		     "t.json: Dhcp4.control-sockets[0].socket-type: 'tcp' is "
		     "not a control socket type: \"unix\", \"http\" or "
		     "\"https\"");
	expect_error(
		SOCKETS("{ \"socket-type\": \"unix\" }, { \"socket-name\": "
			"\"/run/b\" }"),
		"t.json: Dhcp4.control-sockets[1]: a second \"unix\" "
		"socket: dhcpxdp, as Kea, listens on one");
	expect_error(SOCKETS(HTTP AUTH " }, " HTTP AUTH ", \"socket-address\": "
				       "\"127.0.0.1\" }"),
		     "t.json: Dhcp4.control-sockets[1]: another entry already "
		     "listens on 127.0.0.1 port 8000");
	expect_error(SOCKETS(HTTP "\"socket-address\": \"localhost\" }"),
		     "t.json: Dhcp4.control-sockets[0].socket-address: "
		     "'localhost' is not an IPv4 or IPv6 address (host names "
		     "are not resolved)");
	expect_error(SOCKETS(HTTP "\"socket-port\": 0 }"),
		     "t.json: Dhcp4.control-sockets[0].socket-port: 0 is out "
		     "of range (1 to 65535)");
	expect_error(SOCKETS(HTTP "\"socket-port\": \"8000\" }"),
		     "t.json: Dhcp4.control-sockets[0].socket-port: expected "
		     "an integer, got a string");
	expect_error(SOCKETS(HTTP "\"socket-name\": \"/run/x\" }"),
		     "t.json: Dhcp4.control-sockets[0].socket-name: "
		     "'socket-name' is not supported by dhcpxdp: an HTTP "
		     "control socket has socket-address and socket-port");
	expect_error(SOCKETS(HTTP "\"cert-required\": 1 }"),
		     "t.json: Dhcp4.control-sockets[0].cert-required: expected "
		     "true or false, got an integer");
	expect_error(SOCKETS("3"), "t.json: Dhcp4.control-sockets[0]: "
				   "expected an object, got an integer");
}

static void test_authentication_refusals(void **state)
{
	(void)state;
#define A(x) SOCKETS(HTTP "\"authentication\": " x " }")
	expect_error(A("{ \"type\": \"digest\" }"),
		     "t.json: Dhcp4.control-sockets[0].authentication.type: "
		     "'digest' is not supported: only \"basic\" HTTP "
		     "authentication");
	expect_error(A("[]"), "t.json: Dhcp4.control-sockets[0]."
			      "authentication: expected an object, got a list");
	expect_error(A("{ \"realm\": \"a\\\"b\" }"),
		     "t.json: Dhcp4.control-sockets[0].authentication.realm: "
		     "a realm has no '\"', '\\' or line break");
	expect_error(A("{ \"clients\": [ { \"password\": \"p\" } ] }"),
		     "t.json: Dhcp4.control-sockets[0].authentication."
		     "clients[0]: \"user\" is required");
	expect_error(A("{ \"clients\": [ { \"user\": \"a:b\" } ] }"),
		     "t.json: Dhcp4.control-sockets[0].authentication."
		     "clients[0].user: the user 'a:b' must not contain a ':'");
	expect_error(A("{ \"clients\": [ { \"user\": \"\" } ] }"),
		     "t.json: Dhcp4.control-sockets[0].authentication."
		     "clients[0].user: the user must not be empty");
	expect_error(A("{ \"clients\": [ { \"user\": \"a\", \"user-file\": "
		       "\"u\" } ] }"),
		     "t.json: Dhcp4.control-sockets[0].authentication."
		     "clients[0]: give \"user\" or \"user-file\", not both");
	expect_error(A("{ \"clients\": [ { \"user\": \"a\", \"password\": "
		       "\"p\", \"password-file\": \"p\" } ] }"),
		     "t.json: Dhcp4.control-sockets[0].authentication."
		     "clients[0]: give \"password\" or \"password-file\", not "
		     "both");
	expect_error(A("{ \"clients\": [ { \"user\": 7 } ] }"),
		     "t.json: Dhcp4.control-sockets[0].authentication."
		     "clients[0].user: expected a string, got an integer");
	expect_error(A("{ \"directory\": \"/nonexistent-dir\", \"clients\": [ "
		       "{ \"user\": \"a\", \"password-file\": \"p\" } ] }"),
		     "t.json: Dhcp4.control-sockets[0].authentication."
		     "clients[0].password-file: cannot read "
		     "/nonexistent-dir/p: No such file or directory");
#undef A
	expect_error(SOCKETS(HTTP AUTH ", \"http-headers\": [ { \"name\": "
				       "\"X Y\", \"value\": \"v\" } ] }"),
		     "t.json: Dhcp4.control-sockets[0].http-headers[0].name: "
		     "'X Y' is not an HTTP header name");
	expect_error(SOCKETS(HTTP AUTH
			     ", \"http-headers\": [ { \"name\": "
			     "\"X\", \"value\": \"a\\r\\nB: c\" } ] }"),
		     "t.json: Dhcp4.control-sockets[0].http-headers[0].value: "
		     "a header value is one line");
	expect_error(SOCKETS(HTTP AUTH ", \"http-headers\": [ { \"name\": "
				       "\"X\" } ] }"),
		     "t.json: Dhcp4.control-sockets[0].http-headers[0]: "
		     "\"name\" and \"value\" are required");
}

/* user-file and password-file: the first line, under directory, read at
 * load; a password-file alone holds USER:PASSWORD. */
static void test_secret_files(void **state)
{
	char dir[] = "/tmp/dhcpxdp-test-auth-XXXXXX", path[128], json[1024];
	const struct dx_http_client *cl;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/user", dir);
	f = fopen(path, "w");
	fputs("operator\nsecond line\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/pass", dir);
	f = fopen(path, "w");
	fputs("pa:ss\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/both", dir);
	f = fopen(path, "w");
	fputs("viewer:s3cret", f);
	fclose(f);
	snprintf(json, sizeof(json),
		 SOCKETS(HTTP "\"authentication\": { \"directory\": \"%s/\", "
			      "\"clients\": [ { \"user-file\": \"user\", "
			      "\"password-file\": \"/pass\" }, { "
			      "\"password-file\": \"both\" } ] } }"),
		 dir);
	expect_loads(json);
	expect_no_warning();
	cl = cfg->http_sockets[0].clients;
	assert_int_equal(cfg->http_sockets[0].n_clients, 2);
	assert_string_equal(cl[0].user, "operator");
	assert_string_equal(cl[0].password, "pa:ss");
	assert_string_equal(cl[1].user, "viewer");
	assert_string_equal(cl[1].password, "s3cret");
	/* Without a user, the file must say who. */
	snprintf(json, sizeof(json),
		 SOCKETS(HTTP "\"authentication\": { \"directory\": \"%s\", "
			      "\"clients\": [ { \"password-file\": \"user\" } "
			      "] } }"),
		 dir);
	expect_error(json, "t.json: Dhcp4.control-sockets[0].authentication."
			   "clients[0].password-file: without \"user\" or "
			   "\"user-file\", the file must hold USER:PASSWORD, "
			   "and it has no ':'");
	snprintf(json, sizeof(json),
		 SOCKETS(HTTP "\"authentication\": { \"directory\": \"%s\", "
			      "\"clients\": [ { \"user-file\": \"pass\" } ] } "
			      "}"),
		 dir);
	expect_error(json, "t.json: Dhcp4.control-sockets[0].authentication."
			   "clients[0].user-file: the user 'pa:ss' read from "
			   "user-file must not contain a ':'");
	snprintf(json, sizeof(json),
		 SOCKETS(HTTP "\"authentication\": { \"directory\": \"%s\", "
			      "\"clients\": [ { \"user-file\": \".\" } ] } }"),
		 dir);
	assert_int_not_equal(load(json), 0);
	assert_non_null(strstr(diag.error, "is not a regular file"));
	snprintf(path, sizeof(path), "%s/user", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/pass", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/both", dir);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_kea_comments_shape, teardown),
		cmocka_unit_test_teardown(test_kea_rbac_shape, teardown),
		cmocka_unit_test_teardown(test_defaults_and_forms, teardown),
		cmocka_unit_test_teardown(test_refusals, teardown),
		cmocka_unit_test_teardown(test_authentication_refusals,
					  teardown),
		cmocka_unit_test_teardown(test_secret_files, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
