// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for the DHCPv4 message codec (user/wire/dhcp_msg.c).
 *
 * Every decode runs on a heap copy of exactly the payload's length, so
 * valgrind or ASan flag any read past the end.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wire/dhcp_msg.h"

/* ---- request builder ---- */

#define PKT_CAP 20000

struct pkt {
	uint8_t b[PKT_CAP];
	size_t len;
};

static const uint8_t test_mac[6] = {0x02, 0x00, 0x5e, 0x10, 0x20, 0x30};

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* A BOOTREQUEST header with cookie and no options yet. */
static void pkt_init(struct pkt *p)
{
	memset(p, 0, sizeof(*p));
	p->b[DHCP_OFF_OP] = BOOTREQUEST;
	p->b[DHCP_OFF_HTYPE] = DHCP_HTYPE_ETHER;
	p->b[DHCP_OFF_HLEN] = DHCP_HLEN_ETHER;
	p->b[DHCP_OFF_HOPS] = 1;
	put32(p->b + DHCP_OFF_XID, 0x12345678);
	p->b[DHCP_OFF_SECS + 1] = 7;
	p->b[DHCP_OFF_FLAGS] = 0x80;
	put32(p->b + DHCP_OFF_CIADDR, 0x0a000005);
	put32(p->b + DHCP_OFF_GIADDR, 0x0a0000fe);
	memcpy(p->b + DHCP_OFF_CHADDR, test_mac, sizeof(test_mac));
	put32(p->b + DHCP_OFF_COOKIE, DHCP_MAGIC_COOKIE);
	p->len = DHCP_OPTIONS_OFFSET;
}

static void pkt_raw(struct pkt *p, const void *data, size_t n)
{
	assert_true(p->len + n <= PKT_CAP);
	memcpy(p->b + p->len, data, n);
	p->len += n;
}

static void pkt_opt(struct pkt *p, uint8_t code, uint8_t len, const void *v)
{
	uint8_t hdr[2] = {code, len};

	pkt_raw(p, hdr, 2);
	pkt_raw(p, v, len);
}

static void pkt_type(struct pkt *p, uint8_t type)
{
	pkt_opt(p, DHCP_OPT_MSG_TYPE, 1, &type);
}

static void pkt_end(struct pkt *p)
{
	uint8_t end = DHCP_OPT_END;

	pkt_raw(p, &end, 1);
}

/* Decode from an exact-size heap copy so over-reads are caught. */
static int decode_exact(struct dhcp_msg *m, const uint8_t *bytes, size_t n)
{
	uint8_t *copy = malloc(n ? n : 1);
	int rc;

	assert_non_null(copy);
	if (n)
		memcpy(copy, bytes, n);
	rc = dhcp_msg_decode(m, n ? copy : NULL, n);
	free(copy);
	return rc;
}

static struct dhcp_msg *new_msg(void)
{
	struct dhcp_msg *m = calloc(1, sizeof(*m));

	assert_non_null(m);
	return m;
}

/* Decode p, which must succeed; caller frees. */
static struct dhcp_msg *decode_ok(const struct pkt *p)
{
	struct dhcp_msg *m = new_msg();
	int rc = decode_exact(m, p->b, p->len);

	if (rc)
		fail_msg("decode: %s", dhcp_msg_strerror(rc));
	return m;
}

static void assert_opt(const struct dhcp_msg *m, uint8_t code, const void *want,
		       size_t want_len)
{
	size_t len = 0;
	const uint8_t *v = dhcp_msg_option(m, code, &len);

	assert_non_null(v);
	assert_int_equal(len, want_len);
	if (want_len)
		assert_memory_equal(v, want, want_len);
}

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

static void build_bad(struct pkt *p, const struct bad_case *c)
{
	pkt_init(p);
	pkt_raw(p, c->opts, c->opts_len);
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
	struct pkt *p = malloc(sizeof(*p));
	struct dhcp_msg *m = new_msg();
	int rc;

	assert_non_null(p);
	build_bad(p, c);
	rc = decode_exact(m, p->b, p->len);
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
	struct pkt p;
	struct dhcp_msg *m = new_msg();
	uint8_t cid[7] = {1, 2, 0, 0x5e, 0x10, 0x20, 0x30};
	size_t n;

	pkt_init(&p);
	pkt_type(&p, DHCPREQUEST);
	pkt_opt(&p, DHCP_OPT_CLIENT_ID, sizeof(cid), cid);
	pkt_opt(&p, DHCP_OPT_HOST_NAME, 4, "host");
	pkt_end(&p);
	for (n = 0; n < p.len; n++)
		assert_true(decode_exact(m, p.b, n) < 0);
	assert_int_equal(decode_exact(m, p.b, p.len), 0);
	free(m);
}

static void test_too_large(void **state)
{
	struct pkt *p = malloc(sizeof(*p));
	struct dhcp_msg *m = new_msg();
	uint8_t v[255];
	int i;

	assert_non_null(p);
	memset(v, 'x', sizeof(v));
	pkt_init(p);
	pkt_type(p, DHCPDISCOVER);
	/* 70 x 255 bytes of values > DHCP_MSG_OPT_BUF_LEN */
	for (i = 0; i < 70; i++)
		pkt_opt(p, 224, sizeof(v), v);
	pkt_end(p);
	assert_int_equal(decode_exact(m, p->b, p->len), -DHCP_EMSG_TOO_LARGE);
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
	struct pkt p;
	struct dhcp_msg *m;

	pkt_init(&p);
	pkt_type(&p, DHCPDISCOVER);
	pkt_end(&p);
	memcpy(p.b + DHCP_OFF_SNAME, "srv", 3);
	memcpy(p.b + DHCP_OFF_FILE, "boot.img", 8);
	put32(p.b + DHCP_OFF_YIADDR, 0x01020304);
	put32(p.b + DHCP_OFF_SIADDR, 0x05060708);
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
	assert_memory_equal(m->chaddr, test_mac, 6);
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
	struct pkt p;
	struct dhcp_msg *m;
	uint8_t ip[4] = {10, 0, 0, 42}, sid[4] = {10, 0, 0, 1};
	uint8_t lt[4] = {0, 0, 0x0e, 0x10}, prl[4] = {1, 3, 6, 121};
	uint8_t fqdn[7] = {1, 0, 0, 'a', '.', 'b', 'c'};
	uint8_t ri[6] = {1, 4, 'e', 't', 'h', '0'};
	uint8_t cid[7] = {1, 2, 0, 0x5e, 0x10, 0x20, 0x30};

	pkt_init(&p);
	pkt_type(&p, DHCPREQUEST);
	pkt_opt(&p, DHCP_OPT_REQUESTED_IP, 4, ip);
	pkt_raw(&p, (uint8_t[]){0, 0, 0}, 3); /* PADs between options */
	pkt_opt(&p, DHCP_OPT_SERVER_ID, 4, sid);
	pkt_opt(&p, DHCP_OPT_LEASE_TIME, 4, lt);
	pkt_opt(&p, DHCP_OPT_PARAM_REQUEST, 4, prl);
	pkt_opt(&p, DHCP_OPT_HOST_NAME, 2, "pc");
	pkt_opt(&p, DHCP_OPT_FQDN, 7, fqdn);
	pkt_opt(&p, DHCP_OPT_CLIENT_ID, 7, cid);
	pkt_opt(&p, DHCP_OPT_RELAY_AGENT_INFO, 6, ri);
	pkt_end(&p);
	pkt_raw(&p, (uint8_t[]){12, 200}, 2); /* junk after END ignored */
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
	struct pkt p;
	struct dhcp_msg *m;

	pkt_init(&p);
	pkt_opt(&p, DHCP_OPT_HOST_NAME, 1, "x");
	pkt_end(&p);
	m = decode_ok(&p);
	assert_int_equal(m->msg_type, 0);
	assert_opt(m, DHCP_OPT_HOST_NAME, "x", 1);
	free(m);
}

static void test_decode_client_id_255(void **state)
{
	struct pkt p;
	struct dhcp_msg *m;
	uint8_t cid[255];
	size_t i;

	for (i = 0; i < sizeof(cid); i++)
		cid[i] = i;
	pkt_init(&p);
	pkt_type(&p, DHCPDISCOVER);
	pkt_opt(&p, DHCP_OPT_CLIENT_ID, 255, cid);
	pkt_end(&p);
	m = decode_ok(&p);
	assert_int_equal(m->client_id_len, 255);
	assert_memory_equal(m->client_id, cid, 255);
	free(m);
}

static void check_max_msg(uint16_t wire, uint16_t want, bool clamped)
{
	struct pkt p;
	struct dhcp_msg *m;
	uint8_t v[2] = {wire >> 8, wire & 0xff};

	pkt_init(&p);
	pkt_type(&p, DHCPDISCOVER);
	pkt_opt(&p, DHCP_OPT_MAX_MSG_SIZE, 2, v);
	pkt_end(&p);
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
	struct pkt p;
	struct dhcp_msg *m;

	pkt_init(&p);
	pkt_type(&p, DHCPDISCOVER);
	pkt_opt(&p, DHCP_OPT_OVERLOAD, 1, (uint8_t[]){DHCP_OVERLOAD_FILE});
	pkt_end(&p);
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
	struct pkt p;
	struct dhcp_msg *m;

	pkt_init(&p);
	pkt_type(&p, DHCPDISCOVER);
	pkt_opt(&p, DHCP_OPT_OVERLOAD, 1, (uint8_t[]){DHCP_OVERLOAD_SNAME});
	pkt_end(&p);
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
	struct pkt p;
	struct dhcp_msg *m;

	pkt_init(&p);
	pkt_type(&p, DHCPDISCOVER);
	pkt_opt(&p, DHCP_OPT_OVERLOAD, 1, (uint8_t[]){DHCP_OVERLOAD_BOTH});
	pkt_opt(&p, DHCP_OPT_DOMAIN_NAME, 2, "ex");
	pkt_end(&p);
	memcpy(p.b + DHCP_OFF_FILE, (uint8_t[]){15, 3, 'a', 'm', 'p', 255}, 6);
	memcpy(p.b + DHCP_OFF_SNAME, (uint8_t[]){15, 2, 'l', 'e', 255}, 5);
	m = decode_ok(&p);
	assert_opt(m, DHCP_OPT_DOMAIN_NAME, "example", 7);
	free(m);
}

/* RFC 3396: 121 split in three with other options in between. */
static void test_rfc3396_concat_121(void **state)
{
	struct pkt p;
	struct dhcp_msg *m;
	uint8_t route[600];
	size_t i;

	for (i = 0; i < sizeof(route); i++)
		route[i] = i * 7;
	pkt_init(&p);
	pkt_type(&p, DHCPDISCOVER);
	pkt_opt(&p, DHCP_OPT_CLASSLESS_ROUTE, 255, route);
	pkt_opt(&p, DHCP_OPT_HOST_NAME, 2, "pc");
	pkt_opt(&p, DHCP_OPT_CLASSLESS_ROUTE, 255, route + 255);
	pkt_opt(&p, DHCP_OPT_DOMAIN_NAME, 1, "d");
	pkt_opt(&p, DHCP_OPT_CLASSLESS_ROUTE, 90, route + 510);
	pkt_end(&p);
	m = decode_ok(&p);
	assert_opt(m, DHCP_OPT_CLASSLESS_ROUTE, route, sizeof(route));
	assert_opt(m, DHCP_OPT_HOST_NAME, "pc", 2);
	assert_opt(m, DHCP_OPT_DOMAIN_NAME, "d", 1);
	free(m);
}

/* A zero-length instance of a split option adds nothing. */
static void test_rfc3396_zero_length_instance(void **state)
{
	struct pkt p;
	struct dhcp_msg *m;

	pkt_init(&p);
	pkt_type(&p, DHCPDISCOVER);
	pkt_opt(&p, DHCP_OPT_DOMAIN_NAME, 0, "");
	pkt_opt(&p, DHCP_OPT_DOMAIN_NAME, 2, "ab");
	pkt_end(&p);
	m = decode_ok(&p);
	assert_opt(m, DHCP_OPT_DOMAIN_NAME, "ab", 2);
	free(m);
}

static void test_msg_copy_rebases(void **state)
{
	struct pkt p;
	struct dhcp_msg *m, *c = new_msg();
	uint8_t cid[3] = {0, 'i', 'd'};

	pkt_init(&p);
	pkt_type(&p, DHCPREQUEST);
	pkt_opt(&p, DHCP_OPT_CLIENT_ID, 3, cid);
	pkt_opt(&p, DHCP_OPT_HOST_NAME, 2, "pc");
	pkt_end(&p);
	m = decode_ok(&p);
	dhcp_msg_copy(c, m);
	memset(m, 0xaa, sizeof(*m)); /* the copy must not depend on m */
	free(m);
	assert_ptr_equal(c->client_id, c->opt_buf + c->opt[61].off);
	assert_memory_equal(c->client_id, cid, 3);
	assert_memory_equal(c->hostname, "pc", 2);
	assert_null(c->fqdn);
	assert_opt(c, DHCP_OPT_HOST_NAME, "pc", 2);
	free(c);
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

/* ---- reply encoding ---- */

/* A REQUEST from a RENEWING client with 61, 82, 55 and optional 57. */
static struct dhcp_msg *make_request(const uint8_t *prl, size_t prl_len,
				     int max_msg)
{
	struct pkt p;
	uint8_t cid[7] = {1, 2, 0, 0x5e, 0x10, 0x20, 0x30};
	uint8_t ri[8] = {1, 2, 'p', '1', 2, 2, 'r', '1'};

	pkt_init(&p);
	pkt_type(&p, DHCPREQUEST);
	pkt_opt(&p, DHCP_OPT_CLIENT_ID, sizeof(cid), cid);
	if (prl_len)
		pkt_opt(&p, DHCP_OPT_PARAM_REQUEST, prl_len, prl);
	if (max_msg >= 0)
		pkt_opt(&p, DHCP_OPT_MAX_MSG_SIZE, 2,
			(uint8_t[]){max_msg >> 8, max_msg & 0xff});
	pkt_opt(&p, DHCP_OPT_RELAY_AGENT_INFO, sizeof(ri), ri);
	pkt_end(&p);
	return decode_ok(&p);
}

/* Codes of the option instances on the wire, in order, up to END. */
static size_t wire_codes(const uint8_t *buf, size_t len, uint8_t *codes,
			 size_t max)
{
	size_t i = DHCP_OPTIONS_OFFSET, n = 0;

	while (i < len && buf[i] != DHCP_OPT_END) {
		if (buf[i] == DHCP_OPT_PAD) {
			i++;
			continue;
		}
		assert_true(i + 1 < len);
		assert_true(n < max);
		codes[n++] = buf[i];
		i += 2 + buf[i + 1];
	}
	assert_true(i < len); /* END found */
	return n;
}

static void assert_codes(const uint8_t *buf, size_t len, const uint8_t *want,
			 size_t want_n)
{
	uint8_t codes[256];
	size_t n = wire_codes(buf, len, codes, sizeof(codes)), i;

	for (i = 0; i < n && i < want_n; i++)
		if (codes[i] != want[i])
			fail_msg("option #%zu is %u, want %u", i, codes[i],
				 want[i]);
	assert_int_equal(n, want_n);
}

static uint8_t big121[300];
static uint8_t dns[8] = {10, 0, 0, 2, 10, 0, 0, 3};
static uint8_t router[4] = {10, 0, 0, 1};
static uint8_t mask[4] = {255, 255, 255, 0};
static uint8_t mtu[2] = {0x05, 0xdc};

static const struct dhcp_opt std_opts[] = {
	{DHCP_OPT_SUBNET_MASK, 4, mask},
	{DHCP_OPT_INTERFACE_MTU, 2, mtu},
	{DHCP_OPT_DNS_SERVERS, 8, dns},
	{DHCP_OPT_ROUTER, 4, router},
	{DHCP_OPT_CLASSLESS_ROUTE, 300, big121},
	{DHCP_OPT_DOMAIN_NAME, 11, (const uint8_t *)"example.org"},
};

static struct dhcp_reply std_ack(void)
{
	struct dhcp_reply r = {
		.msg_type = DHCPACK,
		.yiaddr = 0x0a000005,
		.siaddr = 0x0a000001,
		.server_id = 0x0a000001,
		.lease_time = 3600,
		.t1 = 1800,
		.t2 = 3150,
		.opts = std_opts,
		.n_opts = sizeof(std_opts) / sizeof(std_opts[0]),
	};
	return r;
}

static void test_reply_roundtrip(void **state)
{
	uint8_t prl[] = {3, 121, 6, 1};
	struct dhcp_msg *req = make_request(prl, sizeof(prl), 1500);
	struct dhcp_msg *rep = new_msg();
	struct dhcp_reply r = std_ack();
	uint8_t buf[1500];
	size_t len = 0, dropped = 99, i;
	uint8_t want[] = {53,  54, 51, 58, 59, 3,  121,
			  121, 6,  1,  26, 15, 61, 82};

	for (i = 0; i < sizeof(big121); i++)
		big121[i] = i ^ 0x5a;
	assert_int_equal(
		dhcp_reply_encode(buf, sizeof(buf), &r, req, &len, &dropped),
		0);
	assert_int_equal(dropped, 0);
	assert_codes(buf, len, want, sizeof(want));
	assert_int_equal(decode_exact(rep, buf, len), 0);

	assert_int_equal(rep->op, BOOTREPLY);
	assert_int_equal(rep->htype, req->htype);
	assert_int_equal(rep->hlen, req->hlen);
	assert_int_equal(rep->hops, 0);
	assert_int_equal(rep->xid, req->xid);
	assert_int_equal(rep->secs, 0);
	assert_int_equal(rep->flags, req->flags);
	assert_int_equal(rep->ciaddr, req->ciaddr); /* ACK copies ciaddr */
	assert_int_equal(rep->yiaddr, 0x0a000005);
	assert_int_equal(rep->siaddr, 0x0a000001);
	assert_int_equal(rep->giaddr, req->giaddr);
	assert_memory_equal(rep->chaddr, req->chaddr, DHCP_CHADDR_LEN);
	for (i = 0; i < DHCP_SNAME_LEN; i++)
		assert_int_equal(rep->sname[i], 0);
	for (i = 0; i < DHCP_FILE_LEN; i++)
		assert_int_equal(rep->file[i], 0);

	assert_int_equal(rep->msg_type, DHCPACK);
	assert_int_equal(rep->server_id, 0x0a000001);
	assert_int_equal(rep->lease_time, 3600);
	assert_opt(rep, DHCP_OPT_RENEWAL_TIME, (uint8_t[]){0, 0, 7, 8}, 4);
	assert_opt(rep, DHCP_OPT_REBINDING_TIME, (uint8_t[]){0, 0, 0x0c, 0x4e},
		   4);
	for (i = 0; i < r.n_opts; i++)
		assert_opt(rep, std_opts[i].code, std_opts[i].data,
			   std_opts[i].len);
	assert_int_equal(rep->client_id_len, req->client_id_len);
	assert_memory_equal(rep->client_id, req->client_id, req->client_id_len);
	assert_int_equal(rep->relay_info_len, req->relay_info_len);
	assert_memory_equal(rep->relay_info, req->relay_info,
			    req->relay_info_len);
	assert_null(dhcp_msg_option(rep, DHCP_OPT_PARAM_REQUEST, NULL));
	assert_null(dhcp_msg_option(rep, DHCP_OPT_MAX_MSG_SIZE, NULL));
	free(rep);
	free(req);
}

/* 300-byte 121 goes out as 255 + 45, the two instances back to back. */
static void test_reply_splits_long_option(void **state)
{
	struct dhcp_msg *req = make_request((uint8_t[]){121}, 1, 1500);
	struct dhcp_opt o = {DHCP_OPT_CLASSLESS_ROUTE, 300, big121};
	struct dhcp_reply r = std_ack();
	uint8_t buf[1500];
	size_t len;
	const uint8_t *p = buf + DHCP_OPTIONS_OFFSET + 3 + 6 + 6 + 6 + 6;

	r.opts = &o;
	r.n_opts = 1;
	assert_int_equal(
		dhcp_reply_encode(buf, sizeof(buf), &r, req, &len, NULL), 0);
	assert_int_equal(p[0], 121);
	assert_int_equal(p[1], 255);
	assert_memory_equal(p + 2, big121, 255);
	assert_int_equal(p[257], 121);
	assert_int_equal(p[258], 45);
	assert_memory_equal(p + 259, big121 + 255, 45);
	free(req);
}

static void test_reply_offer_header(void **state)
{
	struct dhcp_msg *req = make_request(NULL, 0, -1);
	struct dhcp_msg *rep = new_msg();
	struct dhcp_reply r = std_ack();
	uint8_t buf[600];
	size_t len, i;

	r.msg_type = DHCPOFFER;
	r.n_opts = 0;
	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(
		dhcp_reply_encode(buf, sizeof(buf), &r, req, &len, NULL), 0);
	/* RFC 951: padded with zeros to 300 bytes */
	assert_int_equal(len, DHCP_MIN_LEN);
	for (i = DHCP_OPTIONS_OFFSET + 3 + 6 + 18 + 9 + 10 + 1; i < len; i++)
		assert_int_equal(buf[i], 0);
	assert_int_equal(decode_exact(rep, buf, len), 0);
	assert_int_equal(rep->msg_type, DHCPOFFER);
	assert_int_equal(rep->ciaddr, 0); /* RFC 2131 table 3 */
	assert_int_equal(rep->yiaddr, 0x0a000005);
	free(rep);
	free(req);
}

/* 57 absent: 576 - 28 = 548 bytes; unrequested options go first. */
static void test_reply_576_limit_drops_unrequested(void **state)
{
	uint8_t prl[] = {1, 3, 6};
	struct dhcp_msg *req = make_request(prl, sizeof(prl), -1);
	struct dhcp_reply r = std_ack();
	uint8_t buf[1500];
	size_t len, dropped;
	uint8_t want[] = {53, 54, 51, 58, 59, 1, 3, 6, 26, 15, 61, 82};

	assert_int_equal(
		dhcp_reply_encode(buf, sizeof(buf), &r, req, &len, &dropped),
		0);
	assert_true(len <= 548);
	/* 121 (304 bytes on the wire) cannot fit; mtu, domain still do */
	assert_int_equal(dropped, 1);
	assert_codes(buf, len, want, sizeof(want));
	free(req);
}

static void test_reply_57_1500_fits_all(void **state)
{
	struct dhcp_msg *req = make_request((uint8_t[]){1}, 1, 1500);
	struct dhcp_reply r = std_ack();
	uint8_t buf[2000];
	size_t len, dropped;

	assert_int_equal(
		dhcp_reply_encode(buf, sizeof(buf), &r, req, &len, &dropped),
		0);
	assert_int_equal(dropped, 0);
	assert_true(len > 548 && len <= 1472);
	free(req);
}

static uint8_t bigval[2000];

/* Reply of exactly len bytes fits; one byte more drops the option. */
static void check_exact_fit(int max_msg, size_t limit)
{
	struct dhcp_msg *req = make_request((uint8_t[]){224}, 1, max_msg);
	/* value v takes v + 2 * ceil(v / 255) bytes; mandatory part 287 */
	size_t room = limit - 287, v = room - 2 * ((room + 256) / 257);
	struct dhcp_opt o = {224, v, bigval};
	struct dhcp_reply r = std_ack();
	uint8_t buf[4000];
	size_t len, dropped;

	assert_int_equal(v + 2 * ((v + 254) / 255), room);
	r.opts = &o;
	r.n_opts = 1;
	assert_int_equal(
		dhcp_reply_encode(buf, sizeof(buf), &r, req, &len, &dropped),
		0);
	assert_int_equal(dropped, 0);
	assert_int_equal(len, limit);
	o.len = v + 1;
	assert_int_equal(
		dhcp_reply_encode(buf, sizeof(buf), &r, req, &len, &dropped),
		0);
	assert_int_equal(dropped, 1);
	assert_int_equal(len, 300); /* 287, padded to 300 */
	free(req);
}

/* The limit is exactly max(576, 57) - 28 bytes of DHCP payload. */
static void test_reply_exact_limit(void **state)
{
	check_exact_fit(-1, 548);
	check_exact_fit(1500, 1472);
}

static uint8_t filler[255];

/* n options of 100 bytes with codes 200, 201, ... */
static void make_fillers(struct dhcp_opt *o, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		o[i].code = 200 + i;
		o[i].len = 100;
		o[i].data = filler;
	}
}

/* 57 = 1500 still bounds the reply: 1472 bytes of payload. */
static void test_reply_57_1500_bounds(void **state)
{
	struct dhcp_msg *req = make_request(NULL, 0, 1500);
	struct dhcp_opt o[20];
	struct dhcp_reply r = std_ack();
	uint8_t buf[4000];
	size_t len, dropped;

	make_fillers(o, 20); /* 20 x 102 bytes */
	r.opts = o;
	r.n_opts = 20;
	assert_int_equal(
		dhcp_reply_encode(buf, sizeof(buf), &r, req, &len, &dropped),
		0);
	assert_true(len <= 1472);
	/* 240 + 9 + 18 + 9 + 10 + 1 = 287; (1472 - 287) / 102 = 11 fit */
	assert_int_equal(dropped, 9);
	free(req);
}

/* Requested ones are dropped from the end of 55 once unrequested are gone. */
static void test_reply_drops_from_end_of_55(void **state)
{
	uint8_t prl[] = {203, 200, 202, 201};
	struct dhcp_msg *req = make_request(prl, sizeof(prl), -1);
	struct dhcp_opt o[5];
	struct dhcp_reply r = std_ack();
	uint8_t buf[1500];
	size_t len, dropped;
	/* 548 - 287 = 261 bytes of room: two 102-byte options */
	uint8_t want[] = {53, 54, 51, 58, 59, 203, 200, 61, 82};

	make_fillers(o, 5); /* 204 is not requested */
	r.opts = o;
	r.n_opts = 5;
	assert_int_equal(
		dhcp_reply_encode(buf, sizeof(buf), &r, req, &len, &dropped),
		0);
	assert_int_equal(dropped, 3);
	assert_codes(buf, len, want, sizeof(want));
	free(req);
}

/* An option too big for what is left is skipped whole; smaller later ones
 * still go in, and nothing is ever truncated. */
static void test_reply_skips_whole_option(void **state)
{
	uint8_t prl[] = {121, 3};
	struct dhcp_msg *req = make_request(prl, sizeof(prl), -1);
	struct dhcp_opt o[] = {
		{DHCP_OPT_ROUTER, 4, router},
		{DHCP_OPT_CLASSLESS_ROUTE, 300, big121},
		{DHCP_OPT_SUBNET_MASK, 4, mask},
	};
	struct dhcp_reply r = std_ack();
	struct dhcp_msg *rep = new_msg();
	uint8_t buf[1500];
	size_t len, dropped;
	uint8_t want[] = {53, 54, 51, 58, 59, 3, 1, 61, 82};

	r.opts = o;
	r.n_opts = 3;
	assert_int_equal(
		dhcp_reply_encode(buf, sizeof(buf), &r, req, &len, &dropped),
		0);
	assert_int_equal(dropped, 1);
	assert_codes(buf, len, want, sizeof(want));
	assert_int_equal(decode_exact(rep, buf, len), 0);
	assert_null(dhcp_msg_option(rep, DHCP_OPT_CLASSLESS_ROUTE, NULL));
	free(rep);
	free(req);
}

/* A 57 below 576 was clamped: the reply may still use 548 bytes. */
static void test_reply_clamped_57(void **state)
{
	struct dhcp_msg *req = make_request(NULL, 0, 300);
	struct dhcp_opt o[5];
	struct dhcp_reply r = std_ack();
	uint8_t buf[1500];
	size_t len, dropped;

	make_fillers(o, 5);
	r.opts = o;
	r.n_opts = 5;
	assert_true(req->max_msg_size_clamped);
	assert_int_equal(
		dhcp_reply_encode(buf, sizeof(buf), &r, req, &len, &dropped),
		0);
	assert_int_equal(dropped, 3);
	assert_true(len <= 548 && len > 300);
	free(req);
}

/* cap below the client's limit bounds the reply too. */
static void test_reply_cap_bounds(void **state)
{
	struct dhcp_msg *req = make_request(NULL, 0, 1500);
	struct dhcp_opt o[5];
	struct dhcp_reply r = std_ack();
	uint8_t buf[400];
	size_t len, dropped;

	make_fillers(o, 5);
	r.opts = o;
	r.n_opts = 5;
	assert_int_equal(
		dhcp_reply_encode(buf, sizeof(buf), &r, req, &len, &dropped),
		0);
	assert_true(len <= 400);
	assert_int_equal(dropped, 4); /* 400 - 287 = 113: one fits */
	free(req);
}

static void test_reply_enospc(void **state)
{
	struct pkt p;
	struct dhcp_msg *req;
	struct dhcp_reply r = std_ack();
	uint8_t big[255], buf[1500];
	size_t len;

	memset(big, 1, sizeof(big));
	pkt_init(&p);
	pkt_type(&p, DHCPREQUEST);
	pkt_opt(&p, DHCP_OPT_CLIENT_ID, 255, big);
	pkt_opt(&p, DHCP_OPT_RELAY_AGENT_INFO, 255, big);
	pkt_end(&p);
	req = decode_ok(&p);
	/* 240 + 9 + 18 + 257 + 257 + 1 > 548: the mandatory part won't fit */
	assert_int_equal(
		dhcp_reply_encode(buf, sizeof(buf), &r, req, &len, NULL),
		-ENOSPC);
	free(req);

	req = make_request(NULL, 0, -1);
	assert_int_equal(dhcp_reply_encode(buf, 299, &r, req, &len, NULL),
			 -ENOSPC);
	free(req);
}

static void test_reply_nak_layout(void **state)
{
	uint8_t prl[] = {1, 3, 6};
	struct dhcp_msg *req = make_request(prl, sizeof(prl), -1);
	struct dhcp_msg *rep = new_msg();
	struct dhcp_reply r = std_ack();
	uint8_t buf[1500];
	size_t len, dropped = 9;
	uint8_t want[] = {53, 54, 56, 61, 82};

	r.msg_type = DHCPNAK;
	r.message = "address not available";
	assert_int_equal(
		dhcp_reply_encode(buf, sizeof(buf), &r, req, &len, &dropped),
		0);
	assert_int_equal(dropped, 0);
	assert_codes(buf, len, want, sizeof(want));
	assert_int_equal(decode_exact(rep, buf, len), 0);
	assert_int_equal(rep->msg_type, DHCPNAK);
	assert_int_equal(rep->yiaddr, 0);
	assert_int_equal(rep->ciaddr, 0);
	assert_int_equal(rep->siaddr, 0);
	assert_int_equal(rep->giaddr, req->giaddr);
	assert_int_equal(rep->flags, req->flags);
	assert_int_equal(rep->server_id, 0x0a000001);
	assert_opt(rep, DHCP_OPT_MESSAGE, "address not available", 21);
	assert_memory_equal(rep->client_id, req->client_id, req->client_id_len);
	assert_memory_equal(rep->relay_info, req->relay_info,
			    req->relay_info_len);
	free(rep);

	/* no message, no 61/82 in the request: 53, 54, END only */
	{
		struct pkt p;
		uint8_t want2[] = {53, 54};

		pkt_init(&p);
		pkt_type(&p, DHCPREQUEST);
		pkt_end(&p);
		free(req);
		req = decode_ok(&p);
		r.message = NULL;
		assert_int_equal(dhcp_reply_encode(buf, sizeof(buf), &r, req,
						   &len, NULL),
				 0);
		assert_codes(buf, len, want2, sizeof(want2));
	}
	free(req);
}

/* 82 is the last option before END, after configured ones and 61. */
static void test_reply_82_last_61_echoed(void **state)
{
	struct dhcp_msg *req = make_request(NULL, 0, -1);
	struct dhcp_reply r = std_ack();
	uint8_t buf[1500], codes[64];
	size_t len, n;

	r.n_opts = 2;
	assert_int_equal(
		dhcp_reply_encode(buf, sizeof(buf), &r, req, &len, NULL), 0);
	n = wire_codes(buf, len, codes, sizeof(codes));
	assert_true(n >= 2);
	assert_int_equal(codes[n - 2], DHCP_OPT_CLIENT_ID);
	assert_int_equal(codes[n - 1], DHCP_OPT_RELAY_AGENT_INFO);
	free(req);
}

/* Configured copies of encoder-owned codes are ignored, not duplicated. */
static void test_reply_ignores_owned_codes(void **state)
{
	struct dhcp_msg *req = make_request((uint8_t[]){51, 80}, 2, -1);
	uint8_t lt[4] = {0, 0, 0, 9};
	struct dhcp_opt o[] = {
		{DHCP_OPT_LEASE_TIME, 4, lt},
		{80, 0, NULL}, /* rapid commit: zero-length option */
		{DHCP_OPT_CLIENT_ID, 4, lt},
	};
	struct dhcp_reply r = std_ack();
	uint8_t buf[1500];
	size_t len, dropped;
	uint8_t want[] = {53, 54, 51, 58, 59, 80, 61, 82};
	struct dhcp_msg *rep = new_msg();

	r.opts = o;
	r.n_opts = 3;
	assert_int_equal(
		dhcp_reply_encode(buf, sizeof(buf), &r, req, &len, &dropped),
		0);
	assert_int_equal(dropped, 0);
	assert_codes(buf, len, want, sizeof(want));
	assert_int_equal(decode_exact(rep, buf, len), 0);
	assert_int_equal(rep->lease_time, 3600);
	assert_opt(rep, 80, NULL, 0);
	free(rep);
	free(req);
}

static void test_reply_bad_args(void **state)
{
	struct dhcp_msg *req = make_request(NULL, 0, -1);
	struct dhcp_reply r = std_ack();
	struct dhcp_opt bad = {3, 4, NULL};
	uint8_t buf[1500];
	size_t len;

	assert_int_equal(dhcp_reply_encode(NULL, 1500, &r, req, &len, NULL),
			 -EINVAL);
	assert_int_equal(dhcp_reply_encode(buf, 1500, NULL, req, &len, NULL),
			 -EINVAL);
	assert_int_equal(dhcp_reply_encode(buf, 1500, &r, NULL, &len, NULL),
			 -EINVAL);
	assert_int_equal(dhcp_reply_encode(buf, 1500, &r, req, NULL, NULL),
			 -EINVAL);
	r.msg_type = DHCPDISCOVER;
	assert_int_equal(dhcp_reply_encode(buf, 1500, &r, req, &len, NULL),
			 -EINVAL);
	r = std_ack();
	r.server_id = 0;
	assert_int_equal(dhcp_reply_encode(buf, 1500, &r, req, &len, NULL),
			 -EINVAL);
	r = std_ack();
	r.opts = &bad;
	r.n_opts = 1;
	assert_int_equal(dhcp_reply_encode(buf, 1500, &r, req, &len, NULL),
			 -EINVAL);
	free(req);
}

/* A lease time of 0 means "omit": no 51/58/59 (e.g. an INFORM ACK). */
static void test_reply_omits_zero_times(void **state)
{
	struct dhcp_msg *req = make_request(NULL, 0, -1);
	struct dhcp_reply r = std_ack();
	uint8_t buf[1500];
	size_t len;
	uint8_t want[] = {53, 54, 61, 82};

	r.lease_time = r.t1 = r.t2 = 0;
	r.n_opts = 0;
	assert_int_equal(
		dhcp_reply_encode(buf, sizeof(buf), &r, req, &len, NULL), 0);
	assert_codes(buf, len, want, sizeof(want));
	free(req);
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
	T(test_msg_copy_rebases),
	T(test_strerror),
	T(test_reply_roundtrip),
	T(test_reply_splits_long_option),
	T(test_reply_offer_header),
	T(test_reply_576_limit_drops_unrequested),
	T(test_reply_57_1500_fits_all),
	T(test_reply_57_1500_bounds),
	T(test_reply_exact_limit),
	T(test_reply_drops_from_end_of_55),
	T(test_reply_skips_whole_option),
	T(test_reply_clamped_57),
	T(test_reply_cap_bounds),
	T(test_reply_enospc),
	T(test_reply_nak_layout),
	T(test_reply_82_last_61_echoed),
	T(test_reply_ignores_owned_codes),
	T(test_reply_bad_args),
	T(test_reply_omits_zero_times),
};

#define N_FIXED (sizeof(fixed_tests) / sizeof(fixed_tests[0]))

int main(void)
{
	/* The malformed table becomes one named cmocka test per row. */
	static struct CMUnitTest tests[N_FIXED + N_BAD];
	size_t i;

	memset(filler, 0x42, sizeof(filler));
	for (i = 0; i < sizeof(big121); i++)
		big121[i] = i ^ 0x5a;
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
