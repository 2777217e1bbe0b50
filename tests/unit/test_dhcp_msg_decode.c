// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for decoding DHCPv4 messages (user/wire/dhcp_msg.c):
 * malformed payloads (a table, one cmocka test per row), every
 * truncation, oversize and bad arguments; then valid decodes: header
 * fields, the convenience fields, option 57 clamping, option overload
 * (52), RFC 3396 concatenation and the error strings.
 * Reply encoding is in test_dhcp_msg_encode.c.
 *
 * Payloads are built with tests/lib/dhcp_req.c; every decode runs on a
 * heap copy of exactly the payload's length, so valgrind or ASan flag
 * any read past the end.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wire/dhcp_msg.h"
#include "dhcp_req.h"
#include "dhcp_msg_check.h"

/* ---- malformed payloads: a table, one cmocka test per row ---- */

struct bad_case {
	const char *name;
	const uint8_t *opts;
	size_t opts_len;
	const uint8_t *file; /* placed at the start of the file field */
	size_t file_len;
	const uint8_t *sname; /* placed at the start of the sname field */
	size_t sname_len;
	long total_len;	  /* >= 0: truncate/extend the payload to this */
	uint8_t op, hlen; /* non-zero: override */
	bool bad_cookie;
	int expect; /* DHCP_EMSG_* (positive) */
};

#define BYTES(...) \
	(const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__})
#define OPTS(...) BYTES(__VA_ARGS__)
#define NOTRUNC	  -1

static uint8_t pad308[308]; /* all PAD, no END */

static const struct bad_case bad_cases[] = {
	{"short_0", OPTS(53, 1, 1, 255), NULL, 0, NULL, 0, 0, 0, 0, false,
	 DHCP_EMSG_SHORT_HEADER},
	{"short_1", OPTS(53, 1, 1, 255), NULL, 0, NULL, 0, 1, 0, 0, false,
	 DHCP_EMSG_SHORT_HEADER},
	{"short_235", OPTS(53, 1, 1, 255), NULL, 0, NULL, 0, 235, 0, 0, false,
	 DHCP_EMSG_SHORT_HEADER},
	{"short_236_no_cookie", OPTS(53, 1, 1, 255), NULL, 0, NULL, 0, 236, 0,
	 0, false, DHCP_EMSG_SHORT_COOKIE},
	{"short_239", OPTS(53, 1, 1, 255), NULL, 0, NULL, 0, 239, 0, 0, false,
	 DHCP_EMSG_SHORT_COOKIE},
	{"bad_cookie", OPTS(53, 1, 1, 255), NULL, 0, NULL, 0, NOTRUNC, 0, 0,
	 true, DHCP_EMSG_BAD_COOKIE},
	{"bad_op_3", OPTS(53, 1, 1, 255), NULL, 0, NULL, 0, NOTRUNC, 3, 0,
	 false, DHCP_EMSG_BAD_OP},
	{"bad_hlen_17", OPTS(53, 1, 1, 255), NULL, 0, NULL, 0, NOTRUNC, 0, 17,
	 false, DHCP_EMSG_BAD_HLEN},
	{"cookie_only_no_options", OPTS(255), NULL, 0, NULL, 0, 240, 0, 0,
	 false, DHCP_EMSG_NO_END},
	{"opt_len_past_end", OPTS(53, 1, 1, 12, 10, 'a', 'b'), NULL, 0, NULL, 0,
	 NOTRUNC, 0, 0, false, DHCP_EMSG_OPT_OVERRUN},
	{"opt_len_past_end_by_one", OPTS(53, 1, 1, 12, 3, 'a', 'b'), NULL, 0,
	 NULL, 0, NOTRUNC, 0, 0, false, DHCP_EMSG_OPT_OVERRUN},
	{"len_byte_is_last_byte", OPTS(53, 1, 1, 12), NULL, 0, NULL, 0, NOTRUNC,
	 0, 0, false, DHCP_EMSG_OPT_NO_LEN},
	{"missing_end", OPTS(53, 1, 1), NULL, 0, NULL, 0, NOTRUNC, 0, 0, false,
	 DHCP_EMSG_NO_END},
	{"pad308_no_end", pad308, sizeof(pad308), NULL, 0, NULL, 0, NOTRUNC, 0,
	 0, false, DHCP_EMSG_NO_END},
	{"overload_52_in_file", OPTS(52, 1, 1, 53, 1, 1, 255),
	 BYTES(52, 1, 1, 255), NULL, 0, NOTRUNC, 0, 0, false,
	 DHCP_EMSG_OVERLOAD_IN_AREA},
	{"overload_52_in_sname", OPTS(52, 1, 3, 53, 1, 1, 255), BYTES(255),
	 BYTES(52, 1, 3, 255), NOTRUNC, 0, 0, false,
	 DHCP_EMSG_OVERLOAD_IN_AREA},
	{"overload_52_repeated", OPTS(52, 1, 1, 52, 1, 1, 53, 1, 1, 255),
	 BYTES(255), NULL, 0, NOTRUNC, 0, 0, false,
	 DHCP_EMSG_OVERLOAD_REPEATED},
	{"overload_52_value_0", OPTS(52, 1, 0, 53, 1, 1, 255), NULL, 0, NULL, 0,
	 NOTRUNC, 0, 0, false, DHCP_EMSG_OVERLOAD_VALUE},
	{"overload_52_value_4", OPTS(52, 1, 4, 53, 1, 1, 255), BYTES(255),
	 BYTES(255), NOTRUNC, 0, 0, false, DHCP_EMSG_OVERLOAD_VALUE},
	{"overload_52_len_0", OPTS(52, 0, 53, 1, 1, 255), NULL, 0, NULL, 0,
	 NOTRUNC, 0, 0, false, DHCP_EMSG_OVERLOAD_LEN},
	{"overload_52_len_2", OPTS(52, 2, 1, 1, 53, 1, 1, 255), BYTES(255),
	 NULL, 0, NOTRUNC, 0, 0, false, DHCP_EMSG_OVERLOAD_LEN},
	/* file is all zeros (PAD): the overloaded area never ends */
	{"overload_file_no_end", OPTS(52, 1, 1, 53, 1, 1, 255), NULL, 0, NULL,
	 0, NOTRUNC, 0, 0, false, DHCP_EMSG_NO_END},
	{"overload_file_overrun", OPTS(52, 1, 1, 53, 1, 1, 255),
	 BYTES(12, 200, 'a', 'b', 255), NULL, 0, NOTRUNC, 0, 0, false,
	 DHCP_EMSG_OPT_OVERRUN},
	{"hostname_12_len_0", OPTS(53, 1, 1, 12, 0, 255), NULL, 0, NULL, 0,
	 NOTRUNC, 0, 0, false, DHCP_EMSG_HOSTNAME_LEN},
	{"client_id_61_len_0", OPTS(53, 1, 1, 61, 0, 255), NULL, 0, NULL, 0,
	 NOTRUNC, 0, 0, false, DHCP_EMSG_CLIENT_ID_LEN},
	{"client_id_61_len_1", OPTS(53, 1, 1, 61, 1, 1, 255), NULL, 0, NULL, 0,
	 NOTRUNC, 0, 0, false, DHCP_EMSG_CLIENT_ID_LEN},
	{"fqdn_81_len_0", OPTS(53, 1, 1, 81, 0, 255), NULL, 0, NULL, 0, NOTRUNC,
	 0, 0, false, DHCP_EMSG_FQDN_LEN},
	{"fqdn_81_len_2", OPTS(53, 1, 1, 81, 2, 0, 0, 255), NULL, 0, NULL, 0,
	 NOTRUNC, 0, 0, false, DHCP_EMSG_FQDN_LEN},
	{"prl_55_len_0", OPTS(53, 1, 1, 55, 0, 255), NULL, 0, NULL, 0, NOTRUNC,
	 0, 0, false, DHCP_EMSG_PARAM_REQUEST_LEN},
	{"relay_82_len_0", OPTS(53, 1, 1, 82, 0, 255), NULL, 0, NULL, 0,
	 NOTRUNC, 0, 0, false, DHCP_EMSG_RELAY_INFO_LEN},
	{"relay_82_len_1", OPTS(53, 1, 1, 82, 1, 1, 255), NULL, 0, NULL, 0,
	 NOTRUNC, 0, 0, false, DHCP_EMSG_RELAY_INFO_LEN},
	{"requested_ip_50_len_0", OPTS(53, 1, 3, 50, 0, 255), NULL, 0, NULL, 0,
	 NOTRUNC, 0, 0, false, DHCP_EMSG_REQUESTED_IP_LEN},
	{"requested_ip_50_len_3", OPTS(53, 1, 3, 50, 3, 10, 0, 0, 255), NULL, 0,
	 NULL, 0, NOTRUNC, 0, 0, false, DHCP_EMSG_REQUESTED_IP_LEN},
	{"requested_ip_50_len_5", OPTS(53, 1, 3, 50, 5, 10, 0, 0, 1, 2, 255),
	 NULL, 0, NULL, 0, NOTRUNC, 0, 0, false, DHCP_EMSG_REQUESTED_IP_LEN},
	{"lease_time_51_len_0", OPTS(53, 1, 3, 51, 0, 255), NULL, 0, NULL, 0,
	 NOTRUNC, 0, 0, false, DHCP_EMSG_LEASE_TIME_LEN},
	{"lease_time_51_len_3", OPTS(53, 1, 3, 51, 3, 0, 0, 1, 255), NULL, 0,
	 NULL, 0, NOTRUNC, 0, 0, false, DHCP_EMSG_LEASE_TIME_LEN},
	{"lease_time_51_len_5", OPTS(53, 1, 3, 51, 5, 0, 0, 1, 0, 0, 255), NULL,
	 0, NULL, 0, NOTRUNC, 0, 0, false, DHCP_EMSG_LEASE_TIME_LEN},
	{"server_id_54_len_0", OPTS(53, 1, 3, 54, 0, 255), NULL, 0, NULL, 0,
	 NOTRUNC, 0, 0, false, DHCP_EMSG_SERVER_ID_LEN},
	{"server_id_54_len_3", OPTS(53, 1, 3, 54, 3, 10, 0, 0, 255), NULL, 0,
	 NULL, 0, NOTRUNC, 0, 0, false, DHCP_EMSG_SERVER_ID_LEN},
	{"server_id_54_len_5", OPTS(53, 1, 3, 54, 5, 10, 0, 0, 1, 1, 255), NULL,
	 0, NULL, 0, NOTRUNC, 0, 0, false, DHCP_EMSG_SERVER_ID_LEN},
	{"max_msg_57_len_1", OPTS(53, 1, 1, 57, 1, 5, 255), NULL, 0, NULL, 0,
	 NOTRUNC, 0, 0, false, DHCP_EMSG_MAX_MSG_SIZE_LEN},
	{"max_msg_57_len_4", OPTS(53, 1, 1, 57, 4, 0, 0, 5, 220, 255), NULL, 0,
	 NULL, 0, NOTRUNC, 0, 0, false, DHCP_EMSG_MAX_MSG_SIZE_LEN},
	{"msg_type_53_value_0", OPTS(53, 1, 0, 255), NULL, 0, NULL, 0, NOTRUNC,
	 0, 0, false, DHCP_EMSG_MSG_TYPE_VALUE},
	{"msg_type_53_value_9", OPTS(53, 1, 9, 255), NULL, 0, NULL, 0, NOTRUNC,
	 0, 0, false, DHCP_EMSG_MSG_TYPE_VALUE},
	{"msg_type_53_len_0", OPTS(53, 0, 255), NULL, 0, NULL, 0, NOTRUNC, 0, 0,
	 false, DHCP_EMSG_MSG_TYPE_LEN},
	/* RFC 3396: two 1-byte instances concatenate to a 2-byte 53 */
	{"msg_type_53_split_len_2", OPTS(53, 1, 1, 53, 1, 1, 255), NULL, 0,
	 NULL, 0, NOTRUNC, 0, 0, false, DHCP_EMSG_MSG_TYPE_LEN},
};

#define N_BAD (sizeof(bad_cases) / sizeof(bad_cases[0]))

static void build_bad(struct dhcp_req *p, const struct bad_case *c)
{
	dhcp_req_init(p);
	dhcp_req_raw(p, c->opts, c->opts_len);
	if (c->file)
		memcpy(p->b + DHCP_OFF_FILE, c->file, c->file_len);
	if (c->sname)
		memcpy(p->b + DHCP_OFF_SNAME, c->sname, c->sname_len);
	if (c->op)
		p->b[DHCP_OFF_OP] = c->op;
	if (c->hlen)
		p->b[DHCP_OFF_HLEN] = c->hlen;
	if (c->bad_cookie)
		p->b[DHCP_OFF_COOKIE + 3] ^= 1;
	if (c->total_len >= 0)
		p->len = c->total_len;
}

static void test_malformed(void **state)
{
	const struct bad_case *c = *state;
	struct dhcp_req *p = malloc(sizeof(*p));
	struct dhcp_msg *m = new_msg();
	int rc;

	assert_non_null(p);
	build_bad(p, c);
	rc = dhcp_decode_exact(m, p->b, p->len);
	if (rc != -c->expect)
		fail_msg("%s: got %d (%s), want %d (%s)", c->name, rc,
			 dhcp_msg_strerror(rc), -c->expect,
			 dhcp_msg_strerror(c->expect));
	free(m);
	free(p);
}

/* Every truncation of a valid message fails cleanly, never reads past. */
static void test_every_truncation_fails(void **state)
{
	struct dhcp_req p;
	struct dhcp_msg *m = new_msg();
	uint8_t cid[7] = {1, 2, 0, 0x5e, 0x10, 0x20, 0x30};
	size_t n;

	dhcp_req_init(&p);
	dhcp_req_type(&p, DHCPREQUEST);
	dhcp_req_opt(&p, DHCP_OPT_CLIENT_ID, sizeof(cid), cid);
	dhcp_req_opt(&p, DHCP_OPT_HOST_NAME, 4, "host");
	dhcp_req_end(&p);
	for (n = 0; n < p.len; n++)
		assert_true(dhcp_decode_exact(m, p.b, n) < 0);
	assert_int_equal(dhcp_decode_exact(m, p.b, p.len), 0);
	free(m);
}

static void test_too_large(void **state)
{
	struct dhcp_req *p = malloc(sizeof(*p));
	struct dhcp_msg *m = new_msg();
	uint8_t v[255];
	int i;

	assert_non_null(p);
	memset(v, 'x', sizeof(v));
	dhcp_req_init(p);
	dhcp_req_type(p, DHCPDISCOVER);
	/* 70 x 255 bytes of values > DHCP_MSG_OPT_BUF_LEN */
	for (i = 0; i < 70; i++)
		dhcp_req_opt(p, 224, sizeof(v), v);
	dhcp_req_end(p);
	assert_int_equal(dhcp_decode_exact(m, p->b, p->len),
			 -DHCP_EMSG_TOO_LARGE);
	free(m);
	free(p);
}

static void test_decode_bad_args(void **state)
{
	struct dhcp_msg *m = new_msg();
	uint8_t b[300] = {0};

	assert_int_equal(dhcp_msg_decode(NULL, b, sizeof(b)), -EINVAL);
	assert_int_equal(dhcp_msg_decode(m, NULL, 300), -EINVAL);
	assert_int_equal(dhcp_msg_decode(m, NULL, 0), -DHCP_EMSG_SHORT_HEADER);
	free(m);
}

/* ---- valid decodes ---- */

static void test_decode_header_fields(void **state)
{
	struct dhcp_req p;
	struct dhcp_msg *m;

	dhcp_req_init(&p);
	dhcp_req_type(&p, DHCPDISCOVER);
	dhcp_req_end(&p);
	memcpy(p.b + DHCP_OFF_SNAME, "srv", 3);
	memcpy(p.b + DHCP_OFF_FILE, "boot.img", 8);
	dhcp_req_set32(&p, DHCP_OFF_YIADDR, 0x01020304);
	dhcp_req_set32(&p, DHCP_OFF_SIADDR, 0x05060708);
	m = decode_ok(&p);
	assert_int_equal(m->op, BOOTREQUEST);
	assert_int_equal(m->htype, 1);
	assert_int_equal(m->hlen, 6);
	assert_int_equal(m->hops, 1);
	assert_int_equal(m->xid, 0x12345678);
	assert_int_equal(m->secs, 7);
	assert_int_equal(m->flags, DHCP_FLAG_BROADCAST);
	assert_int_equal(m->ciaddr, 0x0a000005);
	assert_int_equal(m->yiaddr, 0x01020304);
	assert_int_equal(m->siaddr, 0x05060708);
	assert_int_equal(m->giaddr, 0x0a0000fe);
	assert_memory_equal(m->chaddr, dhcp_req_mac, 6);
	assert_memory_equal(m->sname, "srv", 4);
	assert_memory_equal(m->file, "boot.img", 9);
	assert_int_equal(m->msg_type, DHCPDISCOVER);
	assert_int_equal(m->overload, 0);
	assert_null(m->client_id);
	assert_false(m->has_requested_ip);
	assert_false(m->has_max_msg_size);
	free(m);
}

static void test_decode_convenience_fields(void **state)
{
	struct dhcp_req p;
	struct dhcp_msg *m;
	uint8_t ip[4] = {10, 0, 0, 42}, sid[4] = {10, 0, 0, 1};
	uint8_t lt[4] = {0, 0, 0x0e, 0x10}, prl[4] = {1, 3, 6, 121};
	uint8_t fqdn[7] = {1, 0, 0, 'a', '.', 'b', 'c'};
	uint8_t ri[6] = {1, 4, 'e', 't', 'h', '0'};
	uint8_t cid[7] = {1, 2, 0, 0x5e, 0x10, 0x20, 0x30};

	dhcp_req_init(&p);
	dhcp_req_type(&p, DHCPREQUEST);
	dhcp_req_opt(&p, DHCP_OPT_REQUESTED_IP, 4, ip);
	dhcp_req_raw(&p, (uint8_t[]){0, 0, 0}, 3); /* PADs between options */
	dhcp_req_opt(&p, DHCP_OPT_SERVER_ID, 4, sid);
	dhcp_req_opt(&p, DHCP_OPT_LEASE_TIME, 4, lt);
	dhcp_req_opt(&p, DHCP_OPT_PARAM_REQUEST, 4, prl);
	dhcp_req_opt(&p, DHCP_OPT_HOST_NAME, 2, "pc");
	dhcp_req_opt(&p, DHCP_OPT_FQDN, 7, fqdn);
	dhcp_req_opt(&p, DHCP_OPT_CLIENT_ID, 7, cid);
	dhcp_req_opt(&p, DHCP_OPT_RELAY_AGENT_INFO, 6, ri);
	dhcp_req_end(&p);
	dhcp_req_raw(&p, (uint8_t[]){12, 200}, 2); /* junk after END ignored */
	m = decode_ok(&p);
	assert_int_equal(m->msg_type, DHCPREQUEST);
	assert_true(m->has_requested_ip);
	assert_int_equal(m->requested_ip, 0x0a00002a);
	assert_true(m->has_server_id);
	assert_int_equal(m->server_id, 0x0a000001);
	assert_true(m->has_lease_time);
	assert_int_equal(m->lease_time, 3600);
	assert_int_equal(m->param_request_len, 4);
	assert_memory_equal(m->param_request, prl, 4);
	assert_int_equal(m->hostname_len, 2);
	assert_memory_equal(m->hostname, "pc", 2);
	assert_int_equal(m->fqdn_len, 7);
	assert_memory_equal(m->fqdn, fqdn, 7);
	assert_int_equal(m->client_id_len, 7);
	assert_memory_equal(m->client_id, cid, 7);
	assert_int_equal(m->relay_info_len, 6);
	assert_memory_equal(m->relay_info, ri, 6);
	assert_opt(m, DHCP_OPT_REQUESTED_IP, ip, 4);
	assert_null(dhcp_msg_option(m, DHCP_OPT_ROUTER, NULL));
	assert_null(dhcp_msg_option(m, DHCP_OPT_PAD, NULL));
	assert_null(dhcp_msg_option(m, DHCP_OPT_END, NULL));
	free(m);
}

static void test_decode_bootp_no_53(void **state)
{
	struct dhcp_req p;
	struct dhcp_msg *m;

	dhcp_req_init(&p);
	dhcp_req_opt(&p, DHCP_OPT_HOST_NAME, 1, "x");
	dhcp_req_end(&p);
	m = decode_ok(&p);
	assert_int_equal(m->msg_type, 0);
	assert_opt(m, DHCP_OPT_HOST_NAME, "x", 1);
	free(m);
}

static void test_decode_client_id_255(void **state)
{
	struct dhcp_req p;
	struct dhcp_msg *m;
	uint8_t cid[255];
	size_t i;

	for (i = 0; i < sizeof(cid); i++)
		cid[i] = i;
	dhcp_req_init(&p);
	dhcp_req_type(&p, DHCPDISCOVER);
	dhcp_req_opt(&p, DHCP_OPT_CLIENT_ID, 255, cid);
	dhcp_req_end(&p);
	m = decode_ok(&p);
	assert_int_equal(m->client_id_len, 255);
	assert_memory_equal(m->client_id, cid, 255);
	free(m);
}

static void check_max_msg(uint16_t wire, uint16_t want, bool clamped)
{
	struct dhcp_req p;
	struct dhcp_msg *m;
	uint8_t v[2] = {wire >> 8, wire & 0xff};

	dhcp_req_init(&p);
	dhcp_req_type(&p, DHCPDISCOVER);
	dhcp_req_opt(&p, DHCP_OPT_MAX_MSG_SIZE, 2, v);
	dhcp_req_end(&p);
	m = decode_ok(&p);
	assert_true(m->has_max_msg_size);
	assert_int_equal(m->max_msg_size, want);
	assert_int_equal(m->max_msg_size_clamped, clamped);
	assert_opt(m, DHCP_OPT_MAX_MSG_SIZE, v, 2); /* raw bytes untouched */
	free(m);
}

static void test_max_msg_size_0_clamps(void **state)
{
	check_max_msg(0, 576, true);
}

static void test_max_msg_size_1_clamps(void **state)
{
	check_max_msg(1, 576, true);
}

static void test_max_msg_size_575_clamps(void **state)
{
	check_max_msg(575, 576, true);
}

static void test_max_msg_size_576_and_1500(void **state)
{
	check_max_msg(576, 576, false);
	check_max_msg(1500, 1500, false);
}

static void test_overload_file(void **state)
{
	struct dhcp_req p;
	struct dhcp_msg *m;

	dhcp_req_init(&p);
	dhcp_req_type(&p, DHCPDISCOVER);
	dhcp_req_opt(&p, DHCP_OPT_OVERLOAD, 1, (uint8_t[]){DHCP_OVERLOAD_FILE});
	dhcp_req_end(&p);
	memcpy(p.b + DHCP_OFF_FILE,
	       (uint8_t[]){12, 3, 'a', 'b', 'c', 0, 15, 2, 'x', 'y', 255}, 11);
	/* sname holds options-looking junk that must NOT be read (52 = 1) */
	memcpy(p.b + DHCP_OFF_SNAME, (uint8_t[]){3, 4, 1, 1, 1, 1, 255}, 7);
	m = decode_ok(&p);
	assert_int_equal(m->overload, DHCP_OVERLOAD_FILE);
	assert_int_equal(m->hostname_len, 3);
	assert_memory_equal(m->hostname, "abc", 3);
	assert_opt(m, DHCP_OPT_DOMAIN_NAME, "xy", 2);
	assert_null(dhcp_msg_option(m, DHCP_OPT_ROUTER, NULL));
	free(m);
}

static void test_overload_sname(void **state)
{
	struct dhcp_req p;
	struct dhcp_msg *m;

	dhcp_req_init(&p);
	dhcp_req_type(&p, DHCPDISCOVER);
	dhcp_req_opt(&p, DHCP_OPT_OVERLOAD, 1,
		     (uint8_t[]){DHCP_OVERLOAD_SNAME});
	dhcp_req_end(&p);
	memcpy(p.b + DHCP_OFF_SNAME, (uint8_t[]){12, 2, 'h', 'i', 255}, 5);
	/* file not overloaded: junk there is ignored */
	memcpy(p.b + DHCP_OFF_FILE, (uint8_t[]){15, 200}, 2);
	m = decode_ok(&p);
	assert_int_equal(m->overload, DHCP_OVERLOAD_SNAME);
	assert_memory_equal(m->hostname, "hi", 2);
	assert_null(dhcp_msg_option(m, DHCP_OPT_DOMAIN_NAME, NULL));
	free(m);
}

/* 52 = 3: options, then file, then sname; a split option spans all three. */
static void test_overload_both_order(void **state)
{
	struct dhcp_req p;
	struct dhcp_msg *m;

	dhcp_req_init(&p);
	dhcp_req_type(&p, DHCPDISCOVER);
	dhcp_req_opt(&p, DHCP_OPT_OVERLOAD, 1, (uint8_t[]){DHCP_OVERLOAD_BOTH});
	dhcp_req_opt(&p, DHCP_OPT_DOMAIN_NAME, 2, "ex");
	dhcp_req_end(&p);
	memcpy(p.b + DHCP_OFF_FILE, (uint8_t[]){15, 3, 'a', 'm', 'p', 255}, 6);
	memcpy(p.b + DHCP_OFF_SNAME, (uint8_t[]){15, 2, 'l', 'e', 255}, 5);
	m = decode_ok(&p);
	assert_opt(m, DHCP_OPT_DOMAIN_NAME, "example", 7);
	free(m);
}

/* RFC 3396: 121 split in three with other options in between. */
static void test_rfc3396_concat_121(void **state)
{
	struct dhcp_req p;
	struct dhcp_msg *m;
	uint8_t route[600];
	size_t i;

	for (i = 0; i < sizeof(route); i++)
		route[i] = i * 7;
	dhcp_req_init(&p);
	dhcp_req_type(&p, DHCPDISCOVER);
	dhcp_req_opt(&p, DHCP_OPT_CLASSLESS_ROUTE, 255, route);
	dhcp_req_opt(&p, DHCP_OPT_HOST_NAME, 2, "pc");
	dhcp_req_opt(&p, DHCP_OPT_CLASSLESS_ROUTE, 255, route + 255);
	dhcp_req_opt(&p, DHCP_OPT_DOMAIN_NAME, 1, "d");
	dhcp_req_opt(&p, DHCP_OPT_CLASSLESS_ROUTE, 90, route + 510);
	dhcp_req_end(&p);
	m = decode_ok(&p);
	assert_opt(m, DHCP_OPT_CLASSLESS_ROUTE, route, sizeof(route));
	assert_opt(m, DHCP_OPT_HOST_NAME, "pc", 2);
	assert_opt(m, DHCP_OPT_DOMAIN_NAME, "d", 1);
	free(m);
}

/* A zero-length instance of a split option adds nothing. */
static void test_rfc3396_zero_length_instance(void **state)
{
	struct dhcp_req p;
	struct dhcp_msg *m;

	dhcp_req_init(&p);
	dhcp_req_type(&p, DHCPDISCOVER);
	dhcp_req_opt(&p, DHCP_OPT_DOMAIN_NAME, 0, "");
	dhcp_req_opt(&p, DHCP_OPT_DOMAIN_NAME, 2, "ab");
	dhcp_req_end(&p);
	m = decode_ok(&p);
	assert_opt(m, DHCP_OPT_DOMAIN_NAME, "ab", 2);
	free(m);
}

static void test_strerror(void **state)
{
	int e, f;

	for (e = DHCP_EMSG_SHORT_HEADER; e < __DHCP_EMSG_END; e++) {
		assert_non_null(dhcp_msg_strerror(-e));
		assert_string_equal(dhcp_msg_strerror(-e),
				    dhcp_msg_strerror(e));
		for (f = DHCP_EMSG_SHORT_HEADER; f < e; f++)
			assert_string_not_equal(dhcp_msg_strerror(e),
						dhcp_msg_strerror(f));
	}
	assert_string_equal(dhcp_msg_strerror(-ENOSPC), strerror(ENOSPC));
}

#define T(f) cmocka_unit_test(f)

static const struct CMUnitTest fixed_tests[] = {
	T(test_every_truncation_fails),
	T(test_too_large),
	T(test_decode_bad_args),
	T(test_decode_header_fields),
	T(test_decode_convenience_fields),
	T(test_decode_bootp_no_53),
	T(test_decode_client_id_255),
	T(test_max_msg_size_0_clamps),
	T(test_max_msg_size_1_clamps),
	T(test_max_msg_size_575_clamps),
	T(test_max_msg_size_576_and_1500),
	T(test_overload_file),
	T(test_overload_sname),
	T(test_overload_both_order),
	T(test_rfc3396_concat_121),
	T(test_rfc3396_zero_length_instance),
	T(test_strerror),
};

#define N_FIXED (sizeof(fixed_tests) / sizeof(fixed_tests[0]))

int main(void)
{
	/* The malformed table becomes one named cmocka test per row. */
	static struct CMUnitTest tests[N_FIXED + N_BAD];
	size_t i;

	for (i = 0; i < N_FIXED; i++)
		tests[i] = fixed_tests[i];
	for (i = 0; i < N_BAD; i++) {
		tests[N_FIXED + i] = (struct CMUnitTest){
			.name = bad_cases[i].name,
			.test_func = test_malformed,
			.initial_state = (void *)&bad_cases[i],
		};
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
