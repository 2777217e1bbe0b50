// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Unit tests for the DHCPv4 option table and Kea-format option encoder. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "wire/option_def.h"
#include "wire/vendor_opts.h"

struct enc_result {
	int ret;
	uint8_t buf[OPTION_MAX_LEN];
	size_t len;
	char err[256];
};

static struct enc_result enc(const char *name, const char *data, bool csv)
{
	struct enc_result r = {0};
	const struct option_def *def = option_def_by_name(name);

	assert_non_null(def);
	r.ret = option_encode(def, data, csv, r.buf, sizeof(r.buf), &r.len,
			      r.err, sizeof(r.err));
	return r;
}

#define assert_bytes(r, ...)                                      \
	do {                                                      \
		const uint8_t exp_[] = {__VA_ARGS__};             \
		assert_int_equal((r).ret, 0);                     \
		assert_int_equal((r).len, sizeof(exp_));          \
		assert_memory_equal((r).buf, exp_, sizeof(exp_)); \
	} while (0)

static void test_lookup_by_name_and_code(void **state)
{
	const struct option_def *d;

	(void)state;
	d = option_def_by_name("domain-name-servers");
	assert_non_null(d);
	assert_int_equal(d->code, 6);
	assert_int_equal(d->type, OPT_TYPE_IPV4);
	assert_true(d->array);
	assert_ptr_equal(option_def_by_code(6), d);
	assert_string_equal(option_def_by_code(66)->name, "tftp-server-name");
	assert_string_equal(option_def_by_code(67)->name, "boot-file-name");
	assert_string_equal(option_def_by_code(114)->name, "v4-captive-portal");
	assert_string_equal(option_def_by_code(119)->name, "domain-search");
	assert_string_equal(option_def_by_code(121)->name,
			    "classless-static-route");
	assert_string_equal(option_def_by_code(213)->name, "v4-access-domain");
	assert_null(option_def_by_name("no-such-option"));
	assert_null(option_def_by_code(224));
	assert_null(option_def_by_name(NULL));
}

static void test_table_codes_sorted_and_unique(void **state)
{
	(void)state;
	/* option_def_by_code stops early: the table must be sorted. */
	for (int c = 1; c < 255; c++) {
		const struct option_def *d = option_def_by_code(c);
		if (d) {
			assert_int_equal(d->code, c);
			assert_ptr_equal(option_def_by_name(d->name), d);
		}
	}
	assert_string_equal(option_type_name(OPT_TYPE_IPV4), "ipv4-address");
}

static void test_ipv4_array(void **state)
{
	struct enc_result r;

	(void)state;
	r = enc("routers", "192.0.2.1", true);
	assert_bytes(r, 192, 0, 2, 1);
	r = enc("domain-name-servers", " 10.0.0.1 ,10.0.0.2,  10.0.0.3 ", true);
	assert_bytes(r, 10, 0, 0, 1, 10, 0, 0, 2, 10, 0, 0, 3);
}

static void test_ipv4_errors(void **state)
{
	struct enc_result r;

	(void)state;
	r = enc("routers", "192.0.2.256", true);
	assert_int_equal(r.ret, -EINVAL);
	assert_string_equal(r.err, "'192.0.2.256' is not an IPv4 address "
				   "for option 'routers'");
	/* A single-address option refuses a list. */
	r = enc("subnet-mask", "255.255.255.0, 255.0.0.0", true);
	assert_int_equal(r.ret, -EINVAL);
	assert_non_null(strstr(r.err, "takes a single ipv4-address"));
	r = enc("routers", "", true);
	assert_int_equal(r.ret, -EINVAL);
	assert_string_equal(r.err, "no value given for option 'routers'");
}

static void test_uint_types(void **state)
{
	struct enc_result r;

	(void)state;
	r = enc("default-ip-ttl", "64", true);
	assert_bytes(r, 64);
	r = enc("interface-mtu", "9000", true);
	assert_bytes(r, 0x23, 0x28);
	r = enc("path-mtu-aging-timeout", "4294967295", true);
	assert_bytes(r, 0xff, 0xff, 0xff, 0xff);
	r = enc("interface-mtu", "0x05dc", true);
	assert_bytes(r, 0x05, 0xdc);
	/* Leading zeros are decimal, not octal. */
	r = enc("default-ip-ttl", "010", true);
	assert_bytes(r, 10);
	r = enc("path-mtu-plateau-table", "68, 296, 1500", true);
	assert_bytes(r, 0, 68, 1, 0x28, 0x05, 0xdc);
}

static void test_int_range_errors(void **state)
{
	struct enc_result r;

	(void)state;
	r = enc("default-ip-ttl", "300", true);
	assert_int_equal(r.ret, -EINVAL);
	assert_string_equal(r.err, "'300' out of range for uint8 option "
				   "'default-ip-ttl'");
	r = enc("interface-mtu", "65536", true);
	assert_string_equal(r.err, "'65536' out of range for uint16 option "
				   "'interface-mtu'");
	r = enc("interface-mtu", "-1", true);
	assert_string_equal(r.err, "'-1' out of range for uint16 option "
				   "'interface-mtu'");
	r = enc("arp-cache-timeout", "4294967296", true);
	assert_int_equal(r.ret, -EINVAL);
	r = enc("interface-mtu", "15OO", true);
	assert_string_equal(r.err, "'15OO' is not a valid uint16 for option "
				   "'interface-mtu'");
}

static void test_signed_int(void **state)
{
	struct enc_result r;

	(void)state;
	r = enc("time-offset", "-3600", true);
	assert_bytes(r, 0xff, 0xff, 0xf1, 0xf0);
	r = enc("time-offset", "2147483648", true);
	assert_string_equal(r.err, "'2147483648' out of range for int32 option "
				   "'time-offset'");
}

static void test_boolean(void **state)
{
	struct enc_result r;

	(void)state;
	r = enc("ip-forwarding", "true", true);
	assert_bytes(r, 1);
	r = enc("ip-forwarding", "False", true);
	assert_bytes(r, 0);
	r = enc("all-subnets-local", "1", true);
	assert_bytes(r, 1);
	r = enc("ip-forwarding", "yes", true);
	assert_int_equal(r.ret, -EINVAL);
	assert_string_equal(r.err, "'yes' is not a boolean (true or false) "
				   "for option 'ip-forwarding'");
}

static void test_string(void **state)
{
	struct enc_result r;

	(void)state;
	r = enc("domain-name", "example.net", true);
	assert_bytes(r, 'e', 'x', 'a', 'm', 'p', 'l', 'e', '.', 'n', 'e', 't');
	/* No NUL terminator (RFC 2132 §2); commas are part of a string. */
	r = enc("dhcp-message", "a, b", true);
	assert_bytes(r, 'a', ',', ' ', 'b');
	/* Quotes are stripped; Kea's escaped comma is a comma. */
	r = enc("boot-file-name", "'pxe, linux'", true);
	assert_bytes(r, 'p', 'x', 'e', ',', ' ', 'l', 'i', 'n', 'u', 'x');
	r = enc("root-path", "a\\,b", true);
	assert_bytes(r, 'a', ',', 'b');
	r = enc("v4-captive-portal", "https://portal.example/", true);
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.len, strlen("https://portal.example/"));
	r = enc("host-name", "", true);
	assert_int_equal(r.ret, -EINVAL);
}

static void test_fqdn_list(void **state)
{
	struct enc_result r;

	(void)state;
	/* RFC 3397: uncompressed RFC 1035 names back to back. */
	r = enc("domain-search", "example.com, a.b.", true);
	assert_bytes(r, 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm',
		     0, 1, 'a', 1, 'b', 0);
	r = enc("domain-search", "bad..name", true);
	assert_int_equal(r.ret, -EINVAL);
	assert_non_null(strstr(r.err, "'bad..name' is not a valid domain name "
				      "for option 'domain-search'"));
	r = enc("domain-search",
		"a2345678901234567890123456789012345678901234567890123456789012"
		"34"
		".com",
		true);
	assert_int_equal(r.ret, -EINVAL);
	/* A single fqdn option takes exactly one name. */
	r = enc("v4-access-domain", "example.org", true);
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.len, 13);
}

static void test_classless_routes(void **state)
{
	struct enc_result r;

	(void)state;
	/* RFC 3442 §3: width, significant octets, router. */
	r = enc("classless-static-route",
		"10.0.0.0/8 - 10.1.1.1, 192.168.0.0/24 - 10.1.1.2", true);
	assert_bytes(r, 8, 10, 10, 1, 1, 1, 24, 192, 168, 0, 10, 1, 1, 2);
	r = enc("classless-static-route", "0.0.0.0/0-192.0.2.1", true);
	assert_bytes(r, 0, 192, 0, 2, 1);
	r = enc("classless-static-route", "10.0.0.1/32 - 10.0.0.254", true);
	assert_bytes(r, 32, 10, 0, 0, 1, 10, 0, 0, 254);
	r = enc("classless-static-route", "10.1.0.0/8 - 10.0.0.1", true);
	assert_int_equal(r.ret, -EINVAL);
	assert_non_null(strstr(r.err, "bits set beyond the prefix length"));
	r = enc("classless-static-route", "10.0.0.0/8 10.0.0.1", true);
	assert_int_equal(r.ret, -EINVAL);
	assert_non_null(strstr(r.err, "expected 'PREFIX/LEN - ROUTER'"));
	r = enc("classless-static-route", "10.0.0.0/33 - 10.0.0.1", true);
	assert_int_equal(r.ret, -EINVAL);
}

static void test_static_routes_pairs(void **state)
{
	struct enc_result r;

	(void)state;
	r = enc("static-routes", "10.0.0.0, 192.0.2.1, 10.1.0.0, 192.0.2.2",
		true);
	assert_bytes(r, 10, 0, 0, 0, 192, 0, 2, 1, 10, 1, 0, 0, 192, 0, 2, 2);
	r = enc("static-routes", "10.0.0.0 - 192.0.2.1", true);
	assert_bytes(r, 10, 0, 0, 0, 192, 0, 2, 1);
	r = enc("static-routes", "10.0.0.0, 192.0.2.1, 10.1.0.0", true);
	assert_int_equal(r.ret, -EINVAL);
	assert_string_equal(r.err, "option 'static-routes' takes pairs of "
				   "addresses, got 3 addresses");
	/* RFC 2132 §5.8: no default route in option 33. */
	r = enc("static-routes", "0.0.0.0, 192.0.2.1", true);
	assert_int_equal(r.ret, -EINVAL);
	assert_non_null(strstr(r.err, "0.0.0.0 is not a valid destination"));
}

static void test_hex_formats(void **state)
{
	static const char *const forms[] = {"0a0b0c",	"0A 0B 0C", "0a:0b:0c",
					    "0x0a0b0c", "a:b:c",    " 0a0b0c "};
	struct enc_result r;

	(void)state;
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		r = enc("user-class", forms[i], false);
		assert_bytes(r, 0x0a, 0x0b, 0x0c);
	}
	/* Odd digit count: leading zero, as Kea. */
	r = enc("user-class", "abc", false);
	assert_bytes(r, 0x0a, 0xbc);
	r = enc("user-class", "0g", false);
	assert_int_equal(r.ret, -EINVAL);
	assert_string_equal(
		r.err, "'0g' is not valid hex data for option 'user-class'");
	r = enc("user-class", "0a::0b", false);
	assert_int_equal(r.ret, -EINVAL);
	r = enc("user-class", "0a0:b", false);
	assert_int_equal(r.ret, -EINVAL);
}

static void test_hex_for_typed_option_checks_size(void **state)
{
	struct enc_result r;

	(void)state;
	r = enc("interface-mtu", "05dc", false);
	assert_bytes(r, 0x05, 0xdc);
	r = enc("routers", "c0000201c0000202", false);
	assert_bytes(r, 192, 0, 2, 1, 192, 0, 2, 2);
	r = enc("interface-mtu", "05dc00", false);
	assert_int_equal(r.ret, -EINVAL);
	assert_string_equal(r.err, "hex data for option 'interface-mtu' is 3 "
				   "bytes; expected 2 (uint16)");
	r = enc("routers", "c00002", false);
	assert_int_equal(r.ret, -EINVAL);
}

static void test_binary_in_csv_mode_is_hex(void **state)
{
	struct enc_result r;

	(void)state;
	r = enc("vendor-encapsulated-options", "01:04:c0:00:02:01", true);
	assert_bytes(r, 1, 4, 192, 0, 2, 1);
}

static void test_code_only_option(void **state)
{
	uint8_t buf[16];
	size_t len = 0;
	char err[256];
	int r;

	(void)state;
	r = option_encode(NULL, "de:ad:be:ef", false, buf, sizeof(buf), &len,
			  err, sizeof(err));
	assert_int_equal(r, 0);
	assert_int_equal(len, 4);
	assert_memory_equal(buf, "\xde\xad\xbe\xef", 4);
	/* No definition: csv-format true cannot be interpreted. */
	r = option_encode(NULL, "1, 2", true, buf, sizeof(buf), &len, err,
			  sizeof(err));
	assert_int_equal(r, -EINVAL);
	assert_string_equal(err,
			    "option has no definition: set \"csv-format\": "
			    "false and give the data as hex");
	/* Empty hex is a zero-length option. */
	r = option_encode(NULL, "", false, buf, sizeof(buf), &len, err,
			  sizeof(err));
	assert_int_equal(r, 0);
	assert_int_equal(len, 0);
}

static void test_refused_codes(void **state)
{
	static const uint8_t codes[] = {0,  50, 51, 52, 53, 54, 55,
					57, 58, 59, 61, 82, 255};
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(codes); i++)
		assert_int_equal(option_code_check(codes[i], err, sizeof(err)),
				 -EPERM);
	assert_int_equal(option_code_check(3, err, sizeof(err)), 0);
	assert_int_equal(option_code_check(56, err, sizeof(err)), 0);
	option_code_check(51, err, sizeof(err));
	assert_string_equal(err, "option 51 'dhcp-lease-time' cannot be set in "
				 "option-data: the server sets it: use "
				 "valid-lifetime");
	option_code_check(58, err, sizeof(err));
	assert_non_null(strstr(err, "use renew-timer"));
	option_code_check(59, err, sizeof(err));
	assert_non_null(strstr(err, "use rebind-timer"));
	/* option_encode refuses them too, by name. */
	struct enc_result r = enc("dhcp-server-identifier", "192.0.2.1", true);
	assert_int_equal(r.ret, -EPERM);
	assert_non_null(strstr(r.err, "option 54 'dhcp-server-identifier'"));
}

static void test_records(void **state)
{
	struct enc_result r;

	(void)state;
	r = enc("client-ndi", "1, 2, 3", true);
	assert_bytes(r, 1, 2, 3);
	r = enc("client-ndi", "1, 2", true);
	assert_int_equal(r.ret, -EINVAL);
	assert_string_equal(r.err,
			    "option 'client-ndi' takes 3 comma-separated "
			    "values (uint8, uint8, uint8), got 2");
	/* Array record: the last field repeats (RFC 2610 §3). */
	r = enc("slp-directory-agent", "true, 10.0.0.1, 10.0.0.2", true);
	assert_bytes(r, 1, 10, 0, 0, 1, 10, 0, 0, 2);
	/* Kea's text: offset, PSID/PSID-len; the PSID left-aligned in its
	 * 16 bits (RFC 7618 §3.1). */
	r = enc("v4-portparams", "2, 3/4", true);
	assert_bytes(r, 2, 4, 0x30, 0);
	r = enc("v4-portparams", "0, 0/0", true);
	assert_bytes(r, 0, 0, 0, 0);
	r = enc("v4-portparams", "6, 65535/16", true);
	assert_bytes(r, 6, 16, 0xff, 0xff);
	r = enc("v4-portparams", "2, 16/4", true);
	assert_int_equal(r.ret, -EINVAL);
	assert_string_equal(r.err, "PSID 16 of option 'v4-portparams' does "
				   "not fit in its 4 bits");
	r = enc("v4-portparams", "2, 1/17", true);
	assert_int_equal(r.ret, -EINVAL);
	assert_string_equal(r.err, "PSID length 17 of option 'v4-portparams' "
				   "is over 16 bits (RFC 7618 §3.1)");
	r = enc("v4-portparams", "2, 6, 0x3c", true);
	assert_int_equal(r.ret, -EINVAL);
	assert_string_equal(r.err,
			    "option 'v4-portparams' takes 2 comma-separated "
			    "values (uint8, psid), got 3");
	r = enc("v4-portparams", "2, 3", true);
	assert_int_equal(r.ret, -EINVAL);
	assert_string_equal(r.err, "'3' is not PSID/LENGTH for option "
				   "'v4-portparams'");
	/* A string last field keeps its commas. */
	r = enc("status-code", "0, done, ok", true);
	assert_bytes(r, 0, 'd', 'o', 'n', 'e', ',', ' ', 'o', 'k');
}

static void test_too_long_and_cap(void **state)
{
	char data[700];
	uint8_t small[4];
	size_t len;
	char err[256];
	struct enc_result r;
	int ret;

	(void)state;
	/* 64 addresses = 256 bytes: one too many for one option. */
	data[0] = '\0';
	for (int i = 0; i < 64; i++)
		strcat(data, i ? ",10.0.0.1" : "10.0.0.1");
	r = enc("ntp-servers", data, true);
	assert_int_equal(r.ret, -EMSGSIZE);
	assert_string_equal(r.err, "option 'ntp-servers' is 256 bytes encoded; "
				   "a DHCPv4 option holds at most 255");
	ret = option_encode(option_def_by_name("routers"), "1.2.3.4, 5.6.7.8",
			    true, small, sizeof(small), &len, err, sizeof(err));
	assert_int_equal(ret, -ENOSPC);
}

static void test_parse_hex_helper(void **state)
{
	uint8_t b[8];

	(void)state;
	assert_int_equal(option_parse_hex("", b, sizeof(b)), 0);
	assert_int_equal(option_parse_hex("00:11:22:33:44:55", b, sizeof(b)),
			 6);
	assert_int_equal(b[5], 0x55);
	assert_int_equal(option_parse_hex("001122334455667788", b, sizeof(b)),
			 -ENOSPC);
	assert_int_equal(option_parse_hex("0a:", b, sizeof(b)), -EINVAL);
}

/* RFC 2132 §8.4: sub-options are code, length, value, back to back. */
static void test_vendor_sub_layout(void **state)
{
	static const uint8_t want[] = {2, 4, 0,	  0,   0, 123,
				       3, 2, 'h', 'i', 9, 0};
	static const uint8_t v[] = {0, 0, 0, 123};
	uint8_t buf[16];
	size_t used = 0;

	(void)state;
	assert_int_equal(vendor_opts_put_sub(buf, sizeof(buf), &used, 2, v, 4),
			 0);
	assert_int_equal(vendor_opts_put_sub(buf, sizeof(buf), &used, 3,
					     (const uint8_t *)"hi", 2),
			 0);
	assert_int_equal(
		vendor_opts_put_sub(buf, sizeof(buf), &used, 9, NULL, 0), 0);
	assert_int_equal(used, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	/* Whole or not at all. */
	assert_int_equal(vendor_opts_put_sub(buf, sizeof(buf), &used, 4, v, 4),
			 -ENOSPC);
	assert_int_equal(used, sizeof(want));
	assert_int_equal(
		vendor_opts_put_sub(buf, 300, &(size_t){0}, 1, buf, 256),
		-EMSGSIZE);
}

/* RFC 3925 §4: enterprise number, data length, sub-options; per vendor. */
static void test_vivso_layout(void **state)
{
	static const uint8_t subs[] = {1, 1, 'a'};
	static const uint8_t want[] = {0,   0, 0x01, 0x53, 3,	 1, 1,
				       'a', 0, 0,    0x11, 0x8b, 0};
	uint8_t buf[32];
	size_t used = 0;

	(void)state;
	assert_int_equal(vendor_opts_put_vivso(buf, sizeof(buf), &used, 339,
					       subs, sizeof(subs)),
			 0);
	assert_int_equal(
		vendor_opts_put_vivso(buf, sizeof(buf), &used, 4491, NULL, 0),
		0);
	assert_int_equal(used, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(
		vendor_opts_put_vivso(buf, 12, &(size_t){8}, 1, NULL, 0),
		-ENOSPC);
}

/* Kea's option-def type names; "tuple" is the 1-byte-length form. */
static void test_type_names_and_tuple(void **state)
{
	static const uint8_t want[] = {3, 'a', 'b', 'c'};
	const struct option_def d = {
		.name = "t", .code = 224, .type = OPT_TYPE_TUPLE1};
	enum option_type t;
	uint8_t out[8];
	size_t len;
	char err[256];

	(void)state;
	assert_int_equal(option_type_by_name("ipv4-address", &t), 0);
	assert_int_equal(t, OPT_TYPE_IPV4);
	assert_int_equal(option_type_by_name("tuple", &t), 0);
	assert_int_equal(t, OPT_TYPE_TUPLE1);
	assert_int_equal(option_type_by_name("record", &t), 0);
	assert_int_equal(option_type_by_name("uint64", &t), -EINVAL);
	assert_int_equal(option_type_by_name("classless-routes", &t), -EINVAL);
	assert_int_equal(option_encode(&d, "abc", true, out, sizeof(out), &len,
				       err, sizeof(err)),
			 0);
	assert_int_equal(len, sizeof(want));
	assert_memory_equal(out, want, sizeof(want));
}

/* A sub-option's code is its space's: 53 is fine there (RFC 2132 §8.4). */
static void test_suboption_codes_not_refused(void **state)
{
	const struct option_def sub = {.name = "s",
				       .code = 53,
				       .type = OPT_TYPE_UINT8,
				       .suboption = true};
	const struct option_def top = {
		.name = "s", .code = 53, .type = OPT_TYPE_UINT8};
	uint8_t out[4];
	size_t len;
	char err[256];

	(void)state;
	assert_int_equal(option_encode(&sub, "7", true, out, sizeof(out), &len,
				       err, sizeof(err)),
			 0);
	assert_int_equal(option_encode(&top, "7", true, out, sizeof(out), &len,
				       err, sizeof(err)),
			 -EPERM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup_by_name_and_code),
		cmocka_unit_test(test_table_codes_sorted_and_unique),
		cmocka_unit_test(test_ipv4_array),
		cmocka_unit_test(test_ipv4_errors),
		cmocka_unit_test(test_uint_types),
		cmocka_unit_test(test_int_range_errors),
		cmocka_unit_test(test_signed_int),
		cmocka_unit_test(test_boolean),
		cmocka_unit_test(test_string),
		cmocka_unit_test(test_fqdn_list),
		cmocka_unit_test(test_classless_routes),
		cmocka_unit_test(test_static_routes_pairs),
		cmocka_unit_test(test_hex_formats),
		cmocka_unit_test(test_hex_for_typed_option_checks_size),
		cmocka_unit_test(test_binary_in_csv_mode_is_hex),
		cmocka_unit_test(test_code_only_option),
		cmocka_unit_test(test_refused_codes),
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_too_long_and_cap),
		cmocka_unit_test(test_parse_hex_helper),
		cmocka_unit_test(test_vendor_sub_layout),
		cmocka_unit_test(test_vivso_layout),
		cmocka_unit_test(test_type_names_and_tuple),
		cmocka_unit_test(test_suboption_codes_not_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
