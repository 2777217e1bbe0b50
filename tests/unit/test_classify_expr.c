// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Kea's classification expressions (user/classify): values and results
 * the Kea ARM ("Client Classification") documents, on one request built
 * as wire bytes, and the parse errors.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "classify/classify.h"
#include "dhcp_msg_check.h"

/* 82: circuit-id "eth1/3", remote-id 01 02 03. */
static const uint8_t agent[] = {1,   6, 'e', 't', 'h', '1', '/',
				'3', 2, 3,   1,	  2,   3};

/* A DISCOVER (dhcp_req_init()'s header) with 60 "PXEClient:Arch:00007",
 * 93 0x0007, 82 and an empty option 80. */
static struct dhcp_msg *msg(void)
{
	static const char vc[] = "PXEClient:Arch:00007";
	struct dhcp_req *p = calloc(1, sizeof(*p));
	struct dhcp_msg *m;

	assert_non_null(p);
	dhcp_req_init(p);
	dhcp_req_type(p, DHCPDISCOVER);
	dhcp_req_opt(p, 60, sizeof(vc) - 1, vc);
	dhcp_req_opt(p, 93, 2, (uint8_t[]){0, 7});
	dhcp_req_opt(p, 80, 0, ""); /* empty: a value pointer all the same */
	dhcp_req_opt(p, 82, sizeof(agent), agent);
	dhcp_req_end(p);
	m = decode_ok(p);
	free(p);
	return m;
}

static int setup(void **state)
{
	*state = msg();
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

/* The test's result: 1, 0, or fails on a parse error. */
static int test_of(const struct dhcp_msg *m, const char *text)
{
	static const char *const names[] = {"first", "second"};
	struct cls_set s;
	struct cls_prog *p;
	char err[CLS_ERR_MAX];
	int r;

	memset(&s, 0, sizeof(s));
	cls_set_add(&s, 0); /* member of "first", not of "second" */
	r = cls_parse(text, names, 2, &p, err, sizeof(err));
	if (r)
		fail_msg("%s: %s", text, err);
	r = cls_eval(p, m, &s);
	cls_prog_free(p);
	return r;
}

static void assert_value(const struct dhcp_msg *m, const char *text,
			 const void *want, size_t len)
{
	uint8_t out[512];
	char err[CLS_ERR_MAX] = "";
	int r = cls_eval_string(text, m, out, sizeof(out), err, sizeof(err));

	if (r < 0)
		fail_msg("%s: %d %s", text, r, err);
	if ((size_t)r != len || memcmp(out, want, len))
		fail_msg("%s: got %d bytes '%.*s'", text, r, r, (char *)out);
}

#define VALUE(m, text, lit) assert_value(m, text, lit, sizeof(lit) - 1)

static void assert_parse_error(const char *text, const char *want)
{
	struct cls_prog *p = NULL;
	char err[CLS_ERR_MAX];
	int r = cls_parse(text, NULL, 0, &p, err, sizeof(err));

	assert_int_equal(r, -EINVAL);
	assert_null(p);
	if (!strstr(err, want))
		fail_msg("%s: '%s' lacks '%s'", text, err, want);
}

static void literals(void **state)
{
	const struct dhcp_msg *m = *state;

	VALUE(m, "'example'", "example");
	VALUE(m, "0x5a7d", "Z}");
	VALUE(m, "0x5", "\x05"); /* odd digits: leading 0 */
	VALUE(m, "10.0.0.1", "\x0a\x00\x00\x01");
	VALUE(m, "123", "\x00\x00\x00\x7b");
	VALUE(m, "''", "");
}

static void options(void **state)
{
	const struct dhcp_msg *m = *state;

	VALUE(m, "option[93].hex", "\x00\x07");
	VALUE(m, "option[60].text", "PXEClient:Arch:00007");
	VALUE(m, "option[vendor-class-identifier].hex", "PXEClient:Arch:00007");
	VALUE(m, "option[77].hex", ""); /* absent: empty */
	VALUE(m, "option[82].option[1].hex", "eth1/3");
	VALUE(m, "relay4[2].hex", "\x01\x02\x03");
	VALUE(m, "relay4[9].hex", "");
	assert_int_equal(test_of(m, "option[93].exists"), 1);
	assert_int_equal(test_of(m, "option[80].exists"), 1); /* empty */
	assert_int_equal(test_of(m, "option[77].exists"), 0);
	assert_int_equal(test_of(m, "relay4[1].exists"), 1);
	assert_int_equal(test_of(m, "relay4[5].exists"), 0);
	assert_int_equal(test_of(m, "option[82].option[2].exists"), 1);
	assert_int_equal(test_of(m, "option[93].hex == 0x0007"), 1);
	assert_int_equal(test_of(m, "option[93].hex == 0x0000"), 0);
}

static void pkt4_fields(void **state)
{
	const struct dhcp_msg *m = *state;

	VALUE(m, "pkt4.mac", "\x02\x00\x5e\x10\x20\x30");
	VALUE(m, "pkt4.hlen", "\x00\x00\x00\x06");
	VALUE(m, "pkt4.htype", "\x00\x00\x00\x01");
	VALUE(m, "pkt4.ciaddr", "\x0a\x00\x00\x05");
	VALUE(m, "pkt4.giaddr", "\x0a\x00\x00\xfe");
	VALUE(m, "pkt4.transid", "\x12\x34\x56\x78");
	assert_int_equal(test_of(m, "pkt4.msgtype == 1"), 1);
	assert_int_equal(test_of(m, "pkt4.msgtype == 3"), 0);
	assert_int_equal(test_of(m, "pkt4.giaddr == 10.0.0.254"), 1);
	assert_int_equal(test_of(m, "pkt4.mac == 0x02005e102030"), 1);
	assert_int_equal(test_of(m, "pkt4.hlen == 6"), 1);
}

/* The ARM's substring examples, one by one. */
static void substrings(void **state)
{
	const struct dhcp_msg *m = *state;

	VALUE(m, "substring('foobar', 0, 6)", "foobar");
	VALUE(m, "substring('foobar', 3, 3)", "bar");
	VALUE(m, "substring('foobar', 3, all)", "bar");
	VALUE(m, "substring('foobar', 1, 4)", "ooba");
	VALUE(m, "substring('foobar', -5, 4)", "ooba");
	VALUE(m, "substring('foobar', -1, -3)", "oba");
	VALUE(m, "substring('foobar', 4, -2)", "ob");
	VALUE(m, "substring('foobar', 10, 2)", "");
	VALUE(m, "substring('foobar', -7, 2)", "");
	VALUE(m, "substring('foobar', 1, -4)", "f");
	VALUE(m, "substring('', 0, all)", "");
	VALUE(m, "substring(option[60].hex, 0, 9)", "PXEClient");
	assert_int_equal(test_of(m, "substring(option[60].hex,0,9) == "
				    "'PXEClient'"),
			 1);
}

static void concat_hexstring_ifelse(void **state)
{
	const struct dhcp_msg *m = *state;

	VALUE(m, "concat('foo', 'bar')", "foobar");
	VALUE(m, "'abc' + 'def' + 'ghi'", "abcdefghi");
	VALUE(m, "hexstring(pkt4.mac, ':')", "02:00:5e:10:20:30");
	VALUE(m, "hexstring('foo', '-')", "66-6f-6f"); /* lower case */
	VALUE(m, "hexstring(0x0a0b, '')", "0a0b");
	VALUE(m, "hexstring('', ':')", "");
	VALUE(m, "ifelse(option[93].exists, option[93].hex, 'none')",
	      "\x00\x07");
	VALUE(m, "ifelse(option[94].exists, option[94].hex, 'none')", "none");
	assert_int_equal(test_of(m, "concat('foo','bar') == 'foobar'"), 1);
}

static void logic(void **state)
{
	const struct dhcp_msg *m = *state;

	assert_int_equal(test_of(m, "'a' == 'a'"), 1);
	assert_int_equal(test_of(m, "'a' == 'A'"), 0); /* byte-wise */
	assert_int_equal(test_of(m, "'ab' == 'a'"), 0);
	assert_int_equal(test_of(m, "not ('foo' == 'bar')"), 1);
	assert_int_equal(test_of(m, "not 'foo' == 'foo'"), 0);
	assert_int_equal(test_of(m, "'a' == 'a' and 'b' == 'c'"), 0);
	assert_int_equal(test_of(m, "'a' == 'b' or 'b' == 'b'"), 1);
	/* "A and B or C" is "(A and B) or C". */
	assert_int_equal(test_of(m, "'a' == 'b' and 'a' == 'b' or 'c' == 'c'"),
			 1);
	assert_int_equal(
		test_of(m, "'a' == 'b' and ('a' == 'b' or 'c' == 'c')"), 0);
	assert_int_equal(test_of(m, "not not option[93].exists"), 1);
}

static void members(void **state)
{
	const struct dhcp_msg *m = *state;

	assert_int_equal(test_of(m, "member('first')"), 1);
	assert_int_equal(test_of(m, "member('second')"), 0);
	assert_int_equal(test_of(m, "member('ALL')"), 1);
	assert_int_equal(
		test_of(m, "member('VENDOR_CLASS_PXEClient:Arch:00007')"), 1);
	assert_int_equal(test_of(m, "member('VENDOR_CLASS_PXEClient')"), 0);
	/* Not decided before the reservation look-up. */
	assert_int_equal(test_of(m, "member('KNOWN')"), 0);
	assert_int_equal(test_of(m, "member('HA_server1')"), 0);
}

static void known_unknown(void **state)
{
	const struct dhcp_msg *m = *state;
	struct cls_set s = {.known_decided = true, .known = true};
	struct cls_prog *p;
	char err[CLS_ERR_MAX];

	assert_int_equal(cls_parse("known and not unknown", NULL, 0, &p, err,
				   sizeof(err)),
			 0);
	assert_true(cls_prog_uses_known(p));
	assert_int_equal(cls_eval(p, m, &s), 1);
	s.known = false;
	assert_int_equal(cls_eval(p, m, &s), 0);
	cls_prog_free(p);
}

static void uses_class(void **state)
{
	static const char *const names[] = {"a", "b"};
	struct cls_prog *p;
	char err[CLS_ERR_MAX];

	(void)state;
	assert_int_equal(cls_parse("member('b') or 'x' == 'y'", names, 2, &p,
				   err, sizeof(err)),
			 0);
	assert_true(cls_prog_uses_class(p, 1));
	assert_false(cls_prog_uses_class(p, 0));
	assert_false(cls_prog_uses_known(p));
	cls_prog_free(p);
}

static void arena_overflow_is_no_match(void **state)
{
	const struct dhcp_msg *m = *state;
	char text[4096] = "hexstring(hexstring(hexstring(hexstring(hexstring("
			  "hexstring(option[60].hex,'--'),'--'),'--'),'--'),"
			  "'--'),'--') == ''";
	struct cls_set s;
	struct cls_prog *p;
	char err[CLS_ERR_MAX];

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(cls_parse(text, NULL, 0, &p, err, sizeof(err)), 0);
	assert_int_equal(cls_eval(p, m, &s), -E2BIG);
	cls_prog_free(p);
}

static void parse_errors(void **state)
{
	(void)state;
	assert_parse_error("option[60].hex", "position 15: expected '=='");
	assert_parse_error("'a' == ", "position 8: unexpected end");
	assert_parse_error("'abc", "position 1: unterminated string");
	assert_parse_error("option[300].hex == ''", "out of range (0 to 255)");
	assert_parse_error("option[60].bin == ''", "expected hex, text or "
						   "exists");
	assert_parse_error("option[1].option[2].text == ''",
			   "expected hex or exists");
	assert_parse_error("member('nope')", "member('nope'): not a class");
	assert_parse_error("member('first')", "not a class defined before");
	assert_parse_error("lcase('A') == 'a'", "'lcase' is not supported");
	assert_parse_error("pkt4.foo == ''", "unknown pkt4 field");
	assert_parse_error("'a' == 'a' 'b'", "unexpected ''b''");
	assert_parse_error("substring('a', 0) == ''", "expected ','");
	assert_parse_error("concat(option[1].exists, 'a') == ''",
			   "expected a string, not a test");
	assert_parse_error("option[bogus-name].hex == ''",
			   "unknown option name");
	assert_parse_error("('a' == 'a'", "expected ')'");
	assert_parse_error("", "unexpected end");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(literals, setup, teardown),
		cmocka_unit_test_setup_teardown(options, setup, teardown),
		cmocka_unit_test_setup_teardown(pkt4_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(substrings, setup, teardown),
		cmocka_unit_test_setup_teardown(concat_hexstring_ifelse, setup,
						teardown),
		cmocka_unit_test_setup_teardown(logic, setup, teardown),
		cmocka_unit_test_setup_teardown(members, setup, teardown),
		cmocka_unit_test_setup_teardown(known_unknown, setup, teardown),
		cmocka_unit_test(uses_class),
		cmocka_unit_test_setup_teardown(arena_overflow_is_no_match,
						setup, teardown),
		cmocka_unit_test(parse_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
