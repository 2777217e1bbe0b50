// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Option 162, v4-dnr (RFC 9463 §5.1), from Kea's text: instances split at
 * '|', ADN-only mode, addresses, SvcParams in RFC 9460 §2.2 wire format
 * (keys ascending, alpn as length-prefixed ids, port as uint16, dohpath
 * as text), and the malformed text refused with the reason. The
 * expected bytes are worked out by hand from RFC 9463 §5.1.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "wire/option_def.h"

struct enc_result {
	int ret;
	uint8_t buf[OPTION_MAX_LEN];
	size_t len;
	char err[256];
};

static struct enc_result enc(const char *data)
{
	struct enc_result r = {0};
	const struct option_def *def = option_def_by_name("v4-dnr");

	assert_non_null(def);
	r.ret = option_encode(def, data, true, r.buf, sizeof(r.buf), &r.len,
			      r.err, sizeof(r.err));
	return r;
}

#define assert_bytes(r, ...)                                       \
	do {                                                       \
		const uint8_t exp_[] = {__VA_ARGS__};              \
		if ((r).ret)                                       \
			fail_msg("unexpected error: %s", (r).err); \
		assert_int_equal((r).len, sizeof(exp_));           \
		assert_memory_equal((r).buf, exp_, sizeof(exp_));  \
	} while (0)

/* "resolver.example." as a DNS name: 18 bytes. */
#define RESOLVER_EXAMPLE                                                       \
	8, 'r', 'e', 's', 'o', 'l', 'v', 'e', 'r', 7, 'e', 'x', 'a', 'm', 'p', \
		'l', 'e', 0

static void test_table(void **state)
{
	const struct option_def *d = option_def_by_code(162);

	(void)state;
	assert_non_null(d);
	assert_string_equal(d->name, "v4-dnr");
	assert_int_equal(d->type, OPT_TYPE_DNR4);
	assert_string_equal(option_type_name(d->type), "internal");
}

/* ADN-only mode (RFC 9463 §3.1.6): the instance ends with the ADN. */
static void test_adn_only(void **state)
{
	(void)state;
	assert_bytes(enc("3, fooexp.resolver.example."), 0, 28, 0, 3, 25, 6,
		     'f', 'o', 'o', 'e', 'x', 'p', RESOLVER_EXAMPLE);
	/* Without the final dot, the same name. */
	assert_bytes(enc(" 65535 ,resolver.example "), 0, 21, 0xff, 0xff, 18,
		     RESOLVER_EXAMPLE);
}

/* Keys in increasing order whatever the text's order (RFC 9460 §2.2). */
static void test_addresses_and_params(void **state)
{
	const uint8_t inst2[] = {0,   40, 0, 2, 18,  RESOLVER_EXAMPLE,
				 4,   10, 0, 5, 6,   0,
				 1,   0,  4, 3, 'd', 'o',
				 't', 0,  3, 0, 2,   0x21,
				 0x52 /* 8530 */};
	struct enc_result r;

	(void)state;
	r = enc("2, resolver.example., 10.0.5.6, alpn=dot port=8530");
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.len, sizeof(inst2));
	assert_memory_equal(r.buf, inst2, sizeof(inst2));
	r = enc("2, resolver.example., 10.0.5.6, port=8530 alpn=dot");
	assert_int_equal(r.ret, 0);
	assert_memory_equal(r.buf, inst2, sizeof(inst2));
	/* Addresses only: no SvcParams. */
	assert_bytes(enc("7, resolver.example., 192.0.2.1  192.0.2.2"), 0, 30,
		     0, 7, 18, RESOLVER_EXAMPLE, 8, 192, 0, 2, 1, 192, 0, 2, 2);
}

/* all-options.json's example, three instances in one option. */
static void test_kea_example(void **state)
{
	struct enc_result r;

	(void)state;
	r = enc("1, resolver.example., 10.2.3.4 10.0.4.5, "
		"alpn=dot\\,doq\\,h2\\,h3 dohpath=/q{?dns} | "
		"2, resolver.example., 10.0.5.6, alpn=dot port=8530 | "
		"3, fooexp.resolver.example.");
	assert_bytes(r,
		     /* 1: 60 bytes after its length */
		     0, 60, 0, 1, 18, RESOLVER_EXAMPLE, 8, 10, 2, 3, 4, 10, 0,
		     4, 5, 0, 1, 0, 14, 3, 'd', 'o', 't', 3, 'd', 'o', 'q', 2,
		     'h', '2', 2, 'h', '3', 0, 7, 0, 8, '/', 'q', '{', '?', 'd',
		     'n', 's', '}',
		     /* 2 */
		     0, 40, 0, 2, 18, RESOLVER_EXAMPLE, 4, 10, 0, 5, 6, 0, 1, 0,
		     4, 3, 'd', 'o', 't', 0, 3, 0, 2, 0x21, 0x52,
		     /* 3 */
		     0, 28, 0, 3, 25, 6, 'f', 'o', 'o', 'e', 'x', 'p',
		     RESOLVER_EXAMPLE);
	assert_int_equal(r.len, 62 + 42 + 30);
}

/* "\|" is a literal '|'. */
static void test_escaped_bar(void **state)
{
	(void)state;
	assert_bytes(enc("1, a.example, 10.0.0.1, alpn=h2 "
			 "dohpath=/q{?dns}\\|x"),
		     0, 40, 0, 1, 11, 1, 'a', 7, 'e', 'x', 'a', 'm', 'p', 'l',
		     'e', 0, 4, 10, 0, 0, 1, 0, 1, 0, 3, 2, 'h', '2', 0, 7, 0,
		     10, '/', 'q', '{', '?', 'd', 'n', 's', '}', '|', 'x');
}

static void expect_error(const char *data, const char *msg)
{
	struct enc_result r = enc(data);

	assert_int_equal(r.ret, -EINVAL);
	assert_string_equal(r.err, msg);
}

static void test_malformed(void **state)
{
	(void)state;
	expect_error("1", "v4-dnr instance 1: expected 'PRIORITY, ADN[, "
			  "ADDRESSES[, SVCPARAMS]]' (a comma inside alpn's "
			  "list is written \\,)");
	expect_error("1, a.example., 10.0.0.1, alpn=dot,doq",
		     "v4-dnr instance 1: expected 'PRIORITY, ADN[, "
		     "ADDRESSES[, SVCPARAMS]]' (a comma inside alpn's "
		     "list is written \\,)");
	expect_error("70000, a.example.", "v4-dnr instance 1: service "
					  "priority '70000' is not 0 to "
					  "65535");
	expect_error("1, .", "v4-dnr instance 1: the authentication domain "
			     "name is missing; it is mandatory (RFC 9463 "
			     "§3.1.6)");
	expect_error("1, a..example", "v4-dnr instance 1: 'a..example' is not "
				      "a domain name: labels are 1 to 63 "
				      "characters (RFC 1035 §2.3.4)");
	expect_error("1, a.example | 2, b.example, 10.0.0.1 10.0.0",
		     "v4-dnr instance 2: '10.0.0' is not an IPv4 address");
	expect_error("1, a.example, ", "v4-dnr instance 1: no resolver "
				       "address: an instance that is not "
				       "ADN-only needs one at least (RFC "
				       "9463 §3.1.8)");
	expect_error("1, a.example, 10.0.0.1, ipv4hint=10.0.0.1",
		     "v4-dnr instance 1: SvcParam 'ipv4hint' must not be used "
		     "in a DNR option (RFC 9463 §3.1.8)");
	expect_error("1, a.example, 10.0.0.1, ech=AAAA",
		     "v4-dnr instance 1: SvcParam 'ech' is not supported in a "
		     "DNR option: alpn, port and dohpath are");
	expect_error("1, a.example, 10.0.0.1, color=red",
		     "v4-dnr instance 1: unknown SvcParam key 'color'");
	expect_error("1, a.example, 10.0.0.1, alpn",
		     "v4-dnr instance 1: 'alpn' is not a key=value SvcParam");
	expect_error("1, a.example, 10.0.0.1, alpn=",
		     "v4-dnr instance 1: SvcParam 'alpn' has no value");
	expect_error("1, a.example, 10.0.0.1, alpn=dot alpn=doq",
		     "v4-dnr instance 1: SvcParam 'alpn' is given twice");
	expect_error("1, a.example, 10.0.0.1, alpn=dns",
		     "v4-dnr instance 1: alpn id 'dns' is not in the TLS ALPN "
		     "protocol ids registry");
	expect_error("1, a.example, 10.0.0.1, alpn=dot\\,h3",
		     "v4-dnr instance 1: alpn names HTTP: dohpath is needed "
		     "(RFC 9461 §5)");
	expect_error("1, a.example, 10.0.0.1, alpn=h2 dohpath=/dns-query",
		     "v4-dnr instance 1: dohpath '/dns-query' has no "
		     "\"{?dns}\" variable (RFC 9461 §5)");
	expect_error("1, a.example, 10.0.0.1, port=853x",
		     "v4-dnr instance 1: port '853x' is not 0 to 65535");
	expect_error("1, a.example |", "v4-dnr instance 2: expected "
				       "'PRIORITY, ADN[, ADDRESSES[, "
				       "SVCPARAMS]]' (a comma inside alpn's "
				       "list is written \\,)");
}

/* More than a DHCPv4 option holds (RFC 2132 §2): refused. */
static void test_too_long(void **state)
{
	char text[2048] = "1, a.example, 10.0.0.1";
	struct enc_result r;

	(void)state;
	for (int i = 0; i < 70; i++)
		strcat(text, " 10.0.0.2");
	r = enc(text);
	assert_int_equal(r.ret, -EINVAL);
	assert_non_null(strstr(r.err, "too many addresses"));
	strcpy(text, "1, a.example");
	for (int i = 0; i < 20; i++)
		strcat(text, " | 1, abcdefghij.example");
	r = enc(text);
	assert_int_not_equal(r.ret, 0);
	assert_non_null(strstr(r.err, "255"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_adn_only),
		cmocka_unit_test(test_addresses_and_params),
		cmocka_unit_test(test_kea_example),
		cmocka_unit_test(test_escaped_bar),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_too_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
