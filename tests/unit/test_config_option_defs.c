// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Kea's option-def and option spaces (user/config/option_defs.c), and
 * option-data of every space composed into the options a reply carries
 * (option_compose.c, wire/vendor_opts.c): byte-exact payloads of 43 with
 * sub-options (RFC 2132 §8.4), 125 with two enterprises (RFC 3925 §4),
 * custom records, arrays, fqdn, tuples, nested spaces; the levels (pool
 * and reservation over subnet over global); and the errors, each with
 * FILE: JSON-PATH: reason.
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

/* The JSON of a test, written with ' for " to stay readable. */
static char *dq(const char *s)
{
	char *d = strdup(s);

	assert_non_null(d);
	for (char *p = d; *p; p++)
		if (*p == '\'')
			*p = '"';
	return d;
}

#define CFG(top, subnet)                                                 \
	"{'Dhcp4': {'interfaces-config': {'interfaces': ['eth0']}, " top \
	" 'subnet4': [{'id': 1, 'subnet': '10.0.0.0/24', " subnet        \
	" 'pools': [{'pool': '10.0.0.10 - 10.0.0.19'}]}]}}"

static int load_q(const char *json)
{
	char *j = dq(json);
	int r = load(j);

	if (r)
		print_message("%s\n", diag.error);
	free(j);
	return r;
}

static void fail_q(const char *json, const char *msg)
{
	char *j = dq(json);

	expect_error(j, msg);
	free(j);
}

/* The subnet's composed option @code holds exactly @want. */
static void expect_opt(const struct dx_option_list *l, uint8_t code,
		       const uint8_t *want, size_t len)
{
	const struct dx_option *o = dx_option_find(l, code);

	assert_non_null(o);
	assert_int_equal(o->len, len);
	assert_memory_equal(o->data, want, len);
}

#define VSI_DEFS                                                         \
	"'option-def': [{'name': 'vlanid', 'code': 2, 'space': '339', "  \
	"'type': 'uint32'}, {'name': 'dls', 'code': 3, 'space': '339', " \
	"'type': 'string'}, {'name': 'vendor-encapsulated-options', "    \
	"'code': 43, 'type': 'empty', 'encapsulate': '339'}],"

/* Kea's vendor-specific.json, with the class's entries at the top. */
static void test_43_custom_space(void **state)
{
	static const uint8_t want[] = {2,   4,	 0,   0,   0,	123, 3,	  8,
				       's', 'd', 'l', 'p', ':', '/', '/', 'x'};

	(void)state;
	assert_int_equal(
		load_q(CFG(VSI_DEFS
			   "'option-data': [{'name': 'vendor-encapsulated-"
			   "options'}, {'name': 'vlanid', 'space': '339', "
			   "'data': '123', 'always-send': true}, {'name': "
			   "'dls', 'space': '339', 'data': 'sdlp://x'}],",
			   "")),
		0);
	expect_opt(&cfg->subnets[0].options, 43, want, sizeof(want));
	/* Sub-options never show as top-level options. */
	assert_null(dx_option_find(&cfg->subnets[0].options, 2));
	assert_null(dx_option_find(&cfg->subnets[0].options, 3));
}

/* Kea's ARM: 43's built-in space, a record sub-option. */
static void test_43_last_resort_space(void **state)
{
	static const uint8_t want[] = {1,   11,	 192, 0,   2,	3,  0,
				       123, 'H', 'e', 'l', 'l', 'o'};

	(void)state;
	assert_int_equal(
		load_q(CFG("'option-def': [{'name': 'foo', 'code': 1, 'space': "
			   "'vendor-encapsulated-options-space', 'type': "
			   "'record', 'record-types': 'ipv4-address, uint16, "
			   "string'}], 'option-data': [{'name': 'foo', "
			   "'space': 'vendor-encapsulated-options-space', "
			   "'data': '192.0.2.3, 123, Hello'}, {'code': 43}],",
			   "")),
		0);
	expect_opt(&cfg->options, 43, want, sizeof(want));
	expect_opt(&cfg->subnets[0].options, 43, want, sizeof(want));
}

/* Kea's ARM, "multiple vendor options": two enterprises in one 125. */
static void test_125_two_enterprises(void **state)
{
	static const uint8_t want[] = {0,   0,	  0x08, 0xba, 8,   22,	6,
				       't', 'a',  'g',	'g',  'e', 'd', 0,
				       0,   0x0d, 0xe9, 9,    11,  7,	'h',
				       't', 't',  'p',	':',  '/', '/'};

	(void)state;
	assert_int_equal(
		load_q(CFG(
			"'option-def': [{'code': 22, 'name': 'tag', 'space': "
			"'vendor-2234', 'type': 'string'}, {'code': 11, "
			"'name': 'url', 'space': 'vendor-3561', 'type': "
			"'string'}], 'option-data': [{'name': "
			"'vivso-suboptions', 'data': '2234'}, {'name': "
			"'vivso-suboptions', 'space': 'dhcp4', 'data': "
			"'3561'}, {'name': 'tag', 'space': 'vendor-2234', "
			"'data': 'tagged'}, {'name': 'url', 'space': "
			"'vendor-3561', 'data': 'http://'}],",
			"")),
		0);
	expect_opt(&cfg->subnets[0].options, 125, want, sizeof(want));
}

/* Kea's ARM, "Custom DHCPv4 Options": records, arrays, fqdn, tuple. */
static void test_custom_dhcp4_types(void **state)
{
	static const uint8_t bar[] = {192, 0,	2,   100, 0,   123, 1,
				      'H', 'e', 'l', 'l', 'o', ' ', 'W'};
	static const uint8_t u16[] = {0, 1, 0, 2, 2, 1};
	static const uint8_t fq[] = {1,	  'a', 7,   'e', 'x', 'a', 'm',
				     'p', 'l', 'e', 0,	 1,   'b', 0};
	static const uint8_t tup[] = {3, 'a', 'b', 'c'};
	static const uint8_t rec_arr[] = {192, 0, 2, 1, 0, 1, 0, 2};

	(void)state;
	assert_int_equal(
		load_q(CFG(
			"'option-def': [{'name': 'bar', 'code': 223, 'type': "
			"'record', 'record-types': 'ipv4-address, uint16, "
			"boolean, string'}, {'name': 'u16s', 'code': 224, "
			"'type': 'uint16', 'array': true}, {'name': 'names', "
			"'code': 225, 'type': 'fqdn', 'array': true}, {'name': "
			"'tup', 'code': 226, 'type': 'tuple'}, {'name': "
			"'recs', 'code': 227, 'type': 'record', 'array': true, "
			"'record-types': 'ipv4-address, uint16', 'space': "
			"'dhcp4', 'encapsulate': ''}],"
			"'option-data': [{'name': 'bar', 'data': '192.0.2.100, "
			"123, true, Hello W'}, {'code': 224, 'data': '1, 2, "
			"513'}, {'name': 'names', 'data': 'a.example, b.'}, "
			"{'name': 'tup', 'data': 'abc'}, {'name': 'recs', "
			"'data': '192.0.2.1, 1, 2'}],",
			"")),
		0);
	expect_opt(&cfg->subnets[0].options, 223, bar, sizeof(bar));
	expect_opt(&cfg->subnets[0].options, 224, u16, sizeof(u16));
	expect_opt(&cfg->subnets[0].options, 225, fq, sizeof(fq));
	expect_opt(&cfg->subnets[0].options, 226, tup, sizeof(tup));
	expect_opt(&cfg->subnets[0].options, 227, rec_arr, sizeof(rec_arr));
}

/* csv-format false gives the payload as hex, checked against the type. */
static void test_custom_hex(void **state)
{
	static const uint8_t want[] = {1, 2, 3, 4};

	(void)state;
	assert_int_equal(load_q(CFG("'option-def': [{'name': 'u16s', 'code': "
				    "224, 'type': 'uint16', 'array': true}], "
				    "'option-data': [{'name': 'u16s', "
				    "'csv-format': false, 'data': '01:02 03 "
				    "04'}],",
				    "")),
			 0);
	expect_opt(&cfg->options, 224, want, sizeof(want));
	fail_q(CFG("'option-def': [{'name': 'u16s', 'code': 224, 'type': "
		   "'uint16', 'array': true}], 'option-data': [{'name': "
		   "'u16s', 'csv-format': false, 'data': '010203'}],",
		   ""),
	       "t.json: Dhcp4.option-data[0].data: hex data for option "
	       "'u16s' is 3 bytes; expected a multiple of 2 (uint16 array)");
}

/* Kea's ARM, "Nested DHCPv4 Options": a container of a custom space. */
static void test_nested_space(void **state)
{
	static const uint8_t want[] = {1, 4,   192, 0,	 2,   3,  2,
				       5, 'H', 'e', 'l', 'l', 'o'};

	(void)state;
	assert_int_equal(
		load_q(CFG("'option-def': [{'name': 'subopt1', 'code': 1, "
			   "'space': 'isc', 'type': 'ipv4-address'}, {'name': "
			   "'subopt2', 'code': 2, 'space': 'isc', 'type': "
			   "'string'}, {'name': 'container', 'code': 222, "
			   "'type': 'empty', 'encapsulate': 'isc'}],",
			   "'option-data': [{'name': 'subopt1', 'space': "
			   "'isc', 'data': '192.0.2.3'}, {'name': 'subopt2', "
			   "'space': 'isc', 'data': 'Hello'}, {'name': "
			   "'container'}],")),
		0);
	expect_opt(&cfg->subnets[0].options, 222, want, sizeof(want));
	/* Set in the subnet only: the global list has none. */
	assert_null(dx_option_find(&cfg->options, 222));
}

/*
 * Levels: the subnet's 43 takes the global sub-options; a pool that
 * sets one sub-option changes 43 alone, its other sub-option still the
 * subnet's; a reservation's sub-option is laid over its pool's.
 */
static void test_levels(void **state)
{
	/* Sub-options in the order their keys first appear, global first. */
	static const uint8_t subnet[] = {3, 1, 'g', 2, 4, 0, 0, 0, 1};
	static const uint8_t pool[] = {3, 1, 'p', 2, 4, 0, 0, 0, 1};
	static const uint8_t res[] = {3, 1, 'p', 2, 4, 0, 0, 0, 9};
	const struct dx_subnet_conf *s;

	(void)state;
	assert_int_equal(
		load_q("{'Dhcp4': {'interfaces-config': {'interfaces': "
		       "['eth0']}, " VSI_DEFS
		       " 'option-data': [{'name': 'dls', 'space': '339', "
		       "'data': 'g'}, {'name': 'routers', 'data': "
		       "'10.0.0.1'}],"
		       " 'subnet4': [{'id': 1, 'subnet': '10.0.0.0/24', "
		       "'option-data': [{'code': 43}, {'name': 'vlanid', "
		       "'space': '339', 'data': '1'}],"
		       " 'pools': [{'pool': '10.0.0.10 - 10.0.0.19'}, {'pool': "
		       "'10.0.0.20 - 10.0.0.29', 'option-data': [{'name': "
		       "'dls', 'space': '339', 'data': 'p'}]}],"
		       " 'reservations': [{'hw-address': '02:00:00:00:00:01', "
		       "'ip-address': '10.0.0.21', 'option-data': [{'name': "
		       "'vlanid', 'space': '339', 'data': '9'}]}]}]}}"),
		0);
	s = &cfg->subnets[0];
	expect_opt(&s->options, 43, subnet, sizeof(subnet));
	assert_non_null(dx_option_find(&s->options, 3));
	assert_int_equal(s->pool_opts[0].options.n, 0);
	assert_int_equal(s->pool_opts[1].options.n, 1);
	expect_opt(&s->pool_opts[1].options, 43, pool, sizeof(pool));
	assert_int_equal(s->reservations[0].options.n, 1);
	expect_opt(&s->reservations[0].options, 43, res, sizeof(res));
}

/*
 * A shared network is a level between Dhcp4 and its subnets: its
 * sub-option counts for the 43 the subnet sets, the subnet's own wins.
 */
static void test_shared_network_level(void **state)
{
	static const uint8_t want[] = {3, 1, 'n', 2, 4, 0, 0, 0, 5};
	static const uint8_t own[] = {3, 1, 'n', 2, 4, 0, 0, 0, 6};

	(void)state;
	assert_int_equal(
		load_q("{'Dhcp4': {'interfaces-config': {'interfaces': "
		       "['eth0']}, " VSI_DEFS
		       " 'option-data': [{'name': 'dls', 'space': '339', "
		       "'data': 'g'}, {'name': 'vlanid', 'space': '339', "
		       "'data': '5'}],"
		       " 'shared-networks': [{'name': 'n', 'interface': "
		       "'eth0', "
		       "'option-data': [{'name': 'dls', 'space': '339', "
		       "'data': "
		       "'n'}], 'subnet4': [{'id': 1, 'subnet': '10.0.0.0/24', "
		       "'option-data': [{'code': 43}]}, {'id': 2, 'subnet': "
		       "'10.0.1.0/24', 'option-data': [{'code': 43}, {'name': "
		       "'vlanid', 'space': '339', 'data': '6'}]}]}]}}"),
		0);
	expect_opt(&cfg->subnets[0].options, 43, want, sizeof(want));
	expect_opt(&cfg->subnets[1].options, 43, own, sizeof(own));
	/* Dhcp4's list has no 43: nothing there asks for it. */
	assert_null(dx_option_find(&cfg->options, 43));
}

/* Kea's all-options.json: a space nothing top-level encapsulates is
 * accepted and sent nowhere; docsis3-v4 has Kea's definitions. */
static void test_spaces_not_carried(void **state)
{
	(void)state;
	assert_int_equal(
		load_q(CFG("'option-def': [{'name': 'my-empty-option', 'code': "
			   "1, 'space': 'my-fancy-space', 'type': 'empty'}],"
			   "'option-data': [{'code': 1, 'name': "
			   "'my-empty-option', 'space': 'my-fancy-space'}, "
			   "{'name': 'tftp-servers', 'space': 'docsis3-v4', "
			   "'data': '192.0.2.76, 192.0.2.77'}],",
			   "")),
		0);
	assert_int_equal(cfg->subnets[0].options.n, 0);
	assert_int_equal(cfg->options.n, 0);
}

static void test_def_errors(void **state)
{
	(void)state;
	fail_q(CFG("'option-def': [{'name': 'x', 'code': 224, 'type': "
		   "'uint64'}],",
		   ""),
	       "t.json: Dhcp4.option-def[0].type: 'uint64' is not an option "
	       "type (uint8/16/32, int8/16/32, ipv4-address, ipv6-address, "
	       "boolean, string, binary, fqdn, tuple, psid, empty, record)");
	fail_q(CFG("'option-def': [{'name': 'x', 'code': 6, 'type': "
		   "'uint8'}],",
		   ""),
	       "t.json: Dhcp4.option-def[0].code: code 6 is the standard "
	       "option 'domain-name-servers': it cannot be redefined (Kea "
	       "refuses it too); pick a code from 224 to 254");
	fail_q(CFG("'option-def': [{'name': 'routers', 'code': 224, 'type': "
		   "'uint8'}],",
		   ""),
	       "t.json: Dhcp4.option-def[0].name: 'routers' is the name of "
	       "standard option 3");
	fail_q(CFG("'option-def': [{'name': 'x', 'code': 255, 'type': "
		   "'uint8'}],",
		   ""),
	       "t.json: Dhcp4.option-def[0].code: code 255 is reserved for "
	       "END in space dhcp4");
	fail_q(CFG("'option-def': [{'name': 'x', 'code': 224, 'type': "
		   "'uint8'}, {'name': 'y', 'code': 224, 'type': 'uint8'}],",
		   ""),
	       "t.json: Dhcp4.option-def[1].code: option 224 of space 'dhcp4' "
	       "is already defined by option-def[0]");
	fail_q(CFG("'option-def': [{'name': 'x', 'code': 224, 'type': "
		   "'uint8', 'record-types': 'uint8, uint8'}],",
		   ""),
	       "t.json: Dhcp4.option-def[0].record-types: record-types is for "
	       "type 'record', not 'uint8'");
	fail_q(CFG("'option-def': [{'name': 'x', 'code': 224, 'type': "
		   "'record', 'record-types': 'string, uint8'}],",
		   ""),
	       "t.json: Dhcp4.option-def[0].record-types: a string field "
	       "must be the last one, and not in an array record");
	fail_q(CFG("'option-def': [{'name': 'x', 'code': 224, 'type': "
		   "'record'}],",
		   ""),
	       "t.json: Dhcp4.option-def[0].record-types: type 'record' "
	       "needs its field types in record-types");
	fail_q(CFG("'option-def': [{'name': 'x', 'code': 224, 'type': "
		   "'uint8', 'array': true, 'encapsulate': 'foo'}],",
		   ""),
	       "t.json: Dhcp4.option-def[0].encapsulate: an array option "
	       "cannot encapsulate an option space");
	fail_q(CFG("'option-def': [{'name': 'x', 'code': 224, 'type': "
		   "'string', 'array': true}],",
		   ""),
	       "t.json: Dhcp4.option-def[0].array: an array of string is not "
	       "a valid option definition");
	fail_q(CFG("'option-def': [{'name': 'x y', 'code': 224, 'type': "
		   "'uint8'}],",
		   ""),
	       "t.json: Dhcp4.option-def[0].name: 'x y' is not an option "
	       "name: letters, digits, '-' and '_'");
	fail_q(CFG("'option-def': [{'code': 224, 'type': 'uint8'}],", ""),
	       "t.json: Dhcp4.option-def[0]: missing required key 'name'");
}

static void test_data_errors(void **state)
{
	(void)state;
	fail_q(CFG("'option-data': [{'name': 'foo', 'space': 'nowhere', "
		   "'data': '1'}],",
		   ""),
	       "t.json: Dhcp4.option-data[0].space: unknown option space "
	       "'nowhere': define its options in option-def (or use dhcp4, "
	       "vendor-encapsulated-options-space, vendor-ENTERPRISE)");
	fail_q(CFG("'option-def': [{'name': 'bar', 'code': 223, 'type': "
		   "'record', 'record-types': 'ipv4-address, uint16, "
		   "boolean, string'}],",
		   "'option-data': [{'name': 'bar', 'data': '192.0.2.1, "
		   "7'}],"),
	       "t.json: Dhcp4.subnet4[0].option-data[0].data: option 'bar' "
	       "takes 4 comma-separated values (ipv4-address, uint16, "
	       "boolean, string), got 2");
	fail_q(CFG("'option-def': [{'name': 'v', 'code': 2, 'space': "
		   "'vendor-9', 'type': 'uint8'}], 'option-data': [{'name': "
		   "'v', 'space': 'vendor-9', 'data': '256'}],",
		   ""),
	       "t.json: Dhcp4.option-data[0].data: '256' out of range for "
	       "uint8 option 'v'");
	fail_q(CFG("'option-data': [{'name': 'v', 'space': 'vendor-9', "
		   "'data': '1'}],",
		   ""),
	       "t.json: Dhcp4.option-data[0].name: unknown option 'v' in "
	       "space 'vendor-9': define it in option-def, or give it by "
	       "code with \"csv-format\": false");
	fail_q(CFG("'option-data': [{'name': 'vivso-suboptions', 'data': "
		   "'9'}, {'name': 'vivso-suboptions', 'data': '9'}],",
		   ""),
	       "t.json: Dhcp4.option-data[1]: option 125 "
	       "'vivso-suboptions' is already set by option-data[0]");
}

/* Sub-options that make 43 longer than one option holds. */
static void test_43_too_long(void **state)
{
	char big[201], json[2048];

	(void)state;
	memset(big, 'x', 200);
	big[200] = '\0';
	snprintf(json, sizeof(json),
		 CFG("'option-def': [{'name': 'a', 'code': 1, 'space': "
		     "'vendor-encapsulated-options-space', 'type': 'string'}, "
		     "{'name': 'b', 'code': 2, 'space': "
		     "'vendor-encapsulated-options-space', 'type': 'string'}],"
		     "'option-data': [{'code': 43}, {'name': 'a', 'space': "
		     "'vendor-encapsulated-options-space', 'data': '%s'}, "
		     "{'name': 'b', 'space': "
		     "'vendor-encapsulated-options-space', 'data': '%s'}],",
		     ""),
		 big, big);
	fail_q(json, "t.json: Dhcp4.option-data: option 43 with its "
		     "sub-options is over 255 bytes; a DHCPv4 option holds at "
		     "most 255 (RFC 3396 concatenation is not generated)");
}

int main(void)
{
#define T(fn) cmocka_unit_test_teardown(fn, teardown)
	const struct CMUnitTest tests[] = {
		T(test_43_custom_space),
		T(test_43_last_resort_space),
		T(test_125_two_enterprises),
		T(test_custom_dhcp4_types),
		T(test_custom_hex),
		T(test_nested_space),
		T(test_levels),
		T(test_shared_network_level),
		T(test_spaces_not_carried),
		T(test_def_errors),
		T(test_data_errors),
		T(test_43_too_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
