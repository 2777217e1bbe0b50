// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The control protocol's pure pieces (control.h, control_client.h):
 * request parsing, answers, the fast-path share window, argument
 * parsing, and the CLI's request building, answer parsing and status
 * table. No daemon, no socket.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "daemon/control_json.h"
#include "daemon/control_samples.h"
#include "util/fmt.h"
#include "cli/control_client.h"

static int parse(const char *s, struct json_object **req, const char **cmd,
		 struct json_object **args, char *err)
{
	return control_parse_request(s, strlen(s), req, cmd, args, err, 256);
}

/* ---- requests ---------------------------------------------------------- */

static void test_request_with_arguments(void **state)
{
	struct json_object *req, *args, *v;
	const char *cmd;
	char err[256];

	(void)state;
	assert_int_equal(parse("{\"command\": \"lease4-get\", \"arguments\": "
			       "{\"ip-address\": \"10.0.0.5\"}}",
			       &req, &cmd, &args, err),
			 0);
	assert_string_equal(cmd, "lease4-get");
	assert_non_null(args);
	assert_true(json_object_object_get_ex(args, "ip-address", &v));
	assert_string_equal(json_object_get_string(v), "10.0.0.5");
	json_object_put(req);
}

static void test_request_without_arguments(void **state)
{
	struct json_object *req, *args;
	const char *cmd;
	char err[256];

	(void)state;
	assert_int_equal(
		parse("{\"command\": \"status\"}\n", &req, &cmd, &args, err),
		0);
	assert_string_equal(cmd, "status");
	assert_null(args);
	json_object_put(req);
	/* "arguments": null is the same as none. */
	assert_int_equal(parse("{\"command\": \"status\", \"arguments\": null}",
			       &req, &cmd, &args, err),
			 0);
	assert_null(args);
	json_object_put(req);
}

static void expect_refused(const char *text, const char *reason)
{
	struct json_object *req = (void *)1, *args;
	const char *cmd;
	char err[256] = "";

	assert_int_equal(parse(text, &req, &cmd, &args, err), -EINVAL);
	assert_null(req);
	if (!strstr(err, reason))
		fail_msg("'%s': error '%s' lacks '%s'", text, err, reason);
}

static void test_request_not_json(void **state)
{
	(void)state;
	expect_refused("{\"command\": ", "invalid JSON");
	expect_refused("command status", "invalid JSON");
	expect_refused("", "invalid JSON");
}

static void test_request_not_an_object(void **state)
{
	(void)state;
	expect_refused("[\"status\"]", "not a JSON object");
	expect_refused("\"status\"", "not a JSON object");
}

static void test_request_bad_command(void **state)
{
	(void)state;
	expect_refused("{}", "'command'");
	expect_refused("{\"command\": 5}", "'command'");
	expect_refused("{\"command\": \"\"}", "'command'");
	expect_refused("{\"arguments\": {}}", "'command'");
}

static void test_request_bad_arguments(void **state)
{
	(void)state;
	expect_refused("{\"command\": \"status\", \"arguments\": [1]}",
		       "'arguments' must be a JSON object");
	expect_refused("{\"command\": \"status\", \"arguments\": 3}",
		       "'arguments' must be a JSON object");
}

static void test_request_trailing_data(void **state)
{
	(void)state;
	expect_refused("{\"command\": \"status\"} {\"command\": \"status\"}",
		       "trailing data");
}

static void test_request_too_large(void **state)
{
	struct json_object *req, *args;
	size_t n = CONTROL_REQUEST_MAX + 1;
	char *big = malloc(n), err[256] = "";
	const char *cmd;

	(void)state;
	assert_non_null(big);
	memset(big, ' ', n);
	assert_int_equal(control_parse_request(big, n, &req, &cmd, &args, err,
					       sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "too large"));
	free(big);
}

/* ---- answers ----------------------------------------------------------- */

static void test_response_shape(void **state)
{
	struct json_object *a = json_object_new_object(), *r, *v;

	(void)state;
	json_object_object_add(a, "x", json_object_new_int(7));
	r = control_response(CONTROL_EMPTY, "0 found", a);
	assert_true(json_object_object_get_ex(r, "result", &v));
	assert_int_equal(json_object_get_int(v), 3);
	assert_true(json_object_object_get_ex(r, "text", &v));
	assert_string_equal(json_object_get_string(v), "0 found");
	assert_true(json_object_object_get_ex(r, "arguments", &v));
	assert_ptr_equal(v, a);
	json_object_put(r);

	r = control_response(CONTROL_ERROR, NULL, NULL);
	assert_true(json_object_object_get_ex(r, "text", &v));
	assert_string_equal(json_object_get_string(v), "");
	assert_false(json_object_object_get_ex(r, "arguments", &v));
	json_object_put(r);
}

/* ---- fast-path share window ------------------------------------------ */

static void test_window_needs_two_samples(void **state)
{
	struct control_samples s = {0};
	uint64_t x, d;
	unsigned int secs;

	(void)state;
	control_samples_window(&s, &x, &d, &secs);
	assert_int_equal(secs, 0);
	control_samples_push(&s, 100, 50);
	control_samples_window(&s, &x, &d, &secs);
	assert_int_equal(secs, 0);
	assert_int_equal(x, 0);
	assert_int_equal(d, 0);
}

static void test_window_counts_deltas(void **state)
{
	struct control_samples s = {0};
	uint64_t x, d;
	unsigned int secs;

	(void)state;
	/* Counters start high (pinned maps reused): only growth counts. */
	control_samples_push(&s, 1000, 10);
	control_samples_push(&s, 1030, 12);
	control_samples_push(&s, 1090, 20);
	control_samples_window(&s, &x, &d, &secs);
	assert_int_equal(secs, 2);
	assert_int_equal(x, 90);
	assert_int_equal(d, 10);
}

static void test_window_keeps_last_minute(void **state)
{
	struct control_samples s = {0};
	uint64_t x, d;
	unsigned int secs;

	(void)state;
	/* 200 seconds of 3 XDP and 1 daemon reply per second. */
	for (uint64_t t = 0; t < 200; t++)
		control_samples_push(&s, 3 * t, t);
	control_samples_window(&s, &x, &d, &secs);
	assert_int_equal(secs, CONTROL_WINDOW);
	assert_int_equal(x, 3 * CONTROL_WINDOW);
	assert_int_equal(d, CONTROL_WINDOW);
}

static void test_window_counter_reset(void **state)
{
	struct control_samples s = {0};
	uint64_t x, d;
	unsigned int secs;

	(void)state;
	control_samples_push(&s, 500, 40);
	control_samples_push(&s, 7, 45); /* XDP maps recreated */
	control_samples_window(&s, &x, &d, &secs);
	assert_int_equal(x, 7);
	assert_int_equal(d, 5);
}

/* ---- arguments --------------------------------------------------------- */

static void test_parse_mac(void **state)
{
	uint8_t m[6], want[6] = {0x02, 0xaa, 0x00, 0x0f, 0xb0, 0xff};

	(void)state;
	assert_int_equal(parse_mac("02:aa:00:0f:b0:ff", m), 0);
	assert_memory_equal(m, want, 6);
	assert_int_equal(parse_mac("02-AA-00-0F-B0-FF", m), 0);
	assert_memory_equal(m, want, 6);
	memset(m, 0x55, 6);
	assert_int_equal(parse_mac("02:aa:00:0f:b0", m), -EINVAL);
	assert_int_equal(parse_mac("02:aa:00:0f:b0:ff:01", m), -EINVAL);
	assert_int_equal(parse_mac("02:aa-00:0f:b0:ff", m), -EINVAL);
	assert_int_equal(parse_mac("02:ag:00:0f:b0:ff", m), -EINVAL);
	assert_int_equal(parse_mac("02:aa:00:0f:b0: f", m), -EINVAL);
	assert_int_equal(parse_mac(NULL, m), -EINVAL);
	/* A refused MAC leaves the output alone. */
	assert_int_equal(m[0], 0x55);
}

static void test_parse_ipv4(void **state)
{
	uint32_t a;

	(void)state;
	assert_int_equal(parse_ipv4("10.77.0.1", &a), 0);
	assert_int_equal(a, 0x0a4d0001);
	assert_int_equal(parse_ipv4("10.77.0", &a), -EINVAL);
	assert_int_equal(parse_ipv4("10.77.0.256", &a), -EINVAL);
	assert_int_equal(parse_ipv4("::1", &a), -EINVAL);
}

/* ---- CLI side ---------------------------------------------------------- */

static void test_request_build_round_trip(void **state)
{
	struct json_object *a = json_object_new_object(), *req, *args, *v;
	const char *cmd;
	char err[256], *s;

	(void)state;
	json_object_object_add(a, "subnet-id", json_object_new_int(4));
	s = ctl_request_build("lease4-get-all", a);
	assert_non_null(s);
	assert_int_equal(parse(s, &req, &cmd, &args, err), 0);
	assert_string_equal(cmd, "lease4-get-all");
	assert_true(json_object_object_get_ex(args, "subnet-id", &v));
	assert_int_equal(json_object_get_int(v), 4);
	json_object_put(req);
	free(s);

	s = ctl_request_build("status", NULL);
	assert_string_equal(s, "{\"command\":\"status\"}");
	free(s);
	assert_null(ctl_request_build("", NULL));
	assert_null(ctl_request_build(NULL, json_object_new_object()));
}

static void test_response_parse(void **state)
{
	const char *ok = "{\"result\": 0, \"text\": \"fine\", "
			 "\"arguments\": {\"pid\": 9}}";
	struct json_object *resp, *args, *v;
	const char *text;
	char err[256] = "";
	int result;

	(void)state;
	assert_int_equal(ctl_response_parse(ok, strlen(ok), &resp, &result,
					    &text, &args, err, sizeof(err)),
			 0);
	assert_int_equal(result, 0);
	assert_string_equal(text, "fine");
	assert_true(json_object_object_get_ex(args, "pid", &v));
	assert_int_equal(json_object_get_int(v), 9);
	json_object_put(resp);

	assert_int_equal(ctl_response_parse("{\"result\": 2}", 13, &resp,
					    &result, &text, &args, err,
					    sizeof(err)),
			 0);
	assert_int_equal(result, 2);
	assert_string_equal(text, "");
	assert_null(args);
	json_object_put(resp);
}

static void test_response_parse_refuses(void **state)
{
	static const char *const bad[] = {
		"",
		"not json",
		"{\"text\": \"no result\"}",
		"{\"result\": \"0\"}",
		"[0]",
		"{\"result\": 0",
	};
	struct json_object *resp, *args;
	const char *text;
	char err[256];
	int result;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(ctl_response_parse(bad[i], strlen(bad[i]),
						    &resp, &result, &text,
						    &args, err, sizeof(err)),
				 -EBADMSG);
		assert_null(resp);
		assert_non_null(strstr(err, "not a control response"));
	}
}

static void test_format_duration(void **state)
{
	char b[32];

	(void)state;
	ctl_format_duration(b, sizeof(b), 42);
	assert_string_equal(b, "42s");
	ctl_format_duration(b, sizeof(b), 125);
	assert_string_equal(b, "2m05s");
	ctl_format_duration(b, sizeof(b), 3720);
	assert_string_equal(b, "1h02m");
	ctl_format_duration(b, sizeof(b), 3 * 86400 + 4 * 3600 + 59);
	assert_string_equal(b, "3d04h");
}

static void test_status_table(void **state)
{
	const char *st =
		"{\"pid\": 42, \"uptime\": 3720, \"config\": \"/etc/x.json\","
		" \"version\": \"0.1.0\", \"pin-dir\": \"/sys/fs/bpf/d\","
		" \"interfaces\": [{\"name\": \"eth0\", \"ifindex\": 2,"
		"   \"server-id\": \"10.0.0.1\", \"attached\": true,"
		"   \"prog-id\": 77, \"attach\": \"link\", \"mode\": "
		"\"native\"},"
		"  {\"name\": \"eth1\", \"ifindex\": 3, \"server-id\": "
		"\"10.1.0.1\", \"attached\": false},"
		"  {\"name\": \"eth2\", \"ifindex\": 0, \"server-id\": "
		"\"0.0.0.0\", \"attached\": false, \"served\": false,"
		"   \"problem\": \"no such interface\"}],"
		" \"subnets\": [{\"id\": 1, \"subnet\": \"10.0.0.0/24\","
		"   \"pool\": {\"total\": 100, \"used\": 25, \"free\": 75,"
		"   \"declined\": 1, \"reserved\": 2}, \"leases\": 24}],"
		" \"lease-map\": {\"entries\": 26, \"capacity\": 1000},"
		" \"fast-path\": {\"window-seconds\": 60, \"xdp-replies\": 300,"
		"   \"daemon-replies\": 100},"
		" \"counters\": {\"rx-frames\": 5, \"acks\": 3}}";
	struct json_object *o = json_tokener_parse(st);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(o);
	assert_non_null(f);
	ctl_print_status(f, o);
	fclose(f);
	assert_non_null(strstr(buf, "dhcpxdp 0.1.0 running: pid 42, up "
				    "1h02m"));
	assert_non_null(strstr(buf, "eth0                   2 10.0.0.1        "
				    "attached (prog 77, link, native)"));
	assert_non_null(strstr(buf, "eth1                   3 10.1.0.1        "
				    "NOT ATTACHED"));
	assert_non_null(strstr(buf, "eth2                   0 0.0.0.0         "
				    "NOT SERVED: no such interface"));
	assert_non_null(strstr(buf, "     1 10.0.0.0/24             100       "
				    "25       75        1        2       24"));
	assert_non_null(strstr(buf, "lease map: 26 of 1000 entries (2.6%)"));
	assert_non_null(strstr(buf, "300 by XDP, 100 by the daemon (75% fast "
				    "path)"));
	assert_non_null(strstr(buf, "rx-frames"));
	free(buf);
	json_object_put(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_with_arguments),
		cmocka_unit_test(test_request_without_arguments),
		cmocka_unit_test(test_request_not_json),
		cmocka_unit_test(test_request_not_an_object),
		cmocka_unit_test(test_request_bad_command),
		cmocka_unit_test(test_request_bad_arguments),
		cmocka_unit_test(test_request_trailing_data),
		cmocka_unit_test(test_request_too_large),
		cmocka_unit_test(test_response_shape),
		cmocka_unit_test(test_window_needs_two_samples),
		cmocka_unit_test(test_window_counts_deltas),
		cmocka_unit_test(test_window_keeps_last_minute),
		cmocka_unit_test(test_window_counter_reset),
		cmocka_unit_test(test_parse_mac),
		cmocka_unit_test(test_parse_ipv4),
		cmocka_unit_test(test_request_build_round_trip),
		cmocka_unit_test(test_response_parse),
		cmocka_unit_test(test_response_parse_refuses),
		cmocka_unit_test(test_format_duration),
		cmocka_unit_test(test_status_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
