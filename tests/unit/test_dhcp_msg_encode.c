// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for encoding DHCPv4 replies (dhcp_reply_encode() in
 * user/wire/dhcp_msg.c): the reply decodes back to what was asked, long
 * options are split (RFC 3396), the size limit (max(576, option 57) - 28
 * bytes, and the buffer) drops unrequested options first, then requested
 * ones from the end of 55, whole and never truncated; the OFFER and NAK
 * layouts, 61 echoed and 82 last, encoder-owned codes, bad arguments.
 * Decoding is in test_dhcp_msg_decode.c.
 *
 * Requests are built with tests/lib/dhcp_req.c; replies are decoded from
 * a heap copy of exactly their length, so over-reads are caught.
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
#include "dhcp_req.h"
#include "dhcp_msg_check.h"

/* A REQUEST from a RENEWING client with 61, 82, 55 and optional 57. */
static struct dhcp_msg *make_request(const uint8_t *prl, size_t prl_len,
				     int max_msg)
{
	struct dhcp_req p;
	uint8_t cid[7] = {1, 2, 0, 0x5e, 0x10, 0x20, 0x30};
	uint8_t ri[8] = {1, 2, 'p', '1', 2, 2, 'r', '1'};

	dhcp_req_init(&p);
	dhcp_req_type(&p, DHCPREQUEST);
	dhcp_req_opt(&p, DHCP_OPT_CLIENT_ID, sizeof(cid), cid);
	if (prl_len)
		dhcp_req_opt(&p, DHCP_OPT_PARAM_REQUEST, prl_len, prl);
	if (max_msg >= 0)
		dhcp_req_opt(&p, DHCP_OPT_MAX_MSG_SIZE, 2,
			     (uint8_t[]){max_msg >> 8, max_msg & 0xff});
	dhcp_req_opt(&p, DHCP_OPT_RELAY_AGENT_INFO, sizeof(ri), ri);
	dhcp_req_end(&p);
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
	assert_int_equal(dhcp_decode_exact(rep, buf, len), 0);

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
	assert_int_equal(dhcp_decode_exact(rep, buf, len), 0);
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
	assert_int_equal(dhcp_decode_exact(rep, buf, len), 0);
	assert_null(dhcp_msg_option(rep, DHCP_OPT_CLASSLESS_ROUTE, NULL));
	free(rep);
	free(req);
}

/*
 * A configured 56 (dhcp-message) goes out in OFFER and ACK like any
 * option (RFC 2131 table 3), as the XDP fast path sends it; in a NAK only
 * the engine's message is sent.
 */
static void test_reply_configured_message(void **state)
{
	uint8_t prl[] = {3};
	struct dhcp_msg *req = make_request(prl, sizeof(prl), -1);
	struct dhcp_opt o[] = {
		{DHCP_OPT_ROUTER, 4, router},
		{DHCP_OPT_MESSAGE, 7, (const uint8_t *)"welcome"},
	};
	struct dhcp_reply r = std_ack();
	struct dhcp_msg *rep = new_msg();
	uint8_t buf[1500];
	size_t len, dropped;
	uint8_t want[] = {53, 54, 51, 58, 59, 3, 56, 61, 82};
	uint8_t want_nak[] = {53, 54, 56, 61, 82};

	(void)state;
	r.opts = o;
	r.n_opts = 2;
	for (int t = 0; t < 2; t++) {
		r.msg_type = t ? DHCPOFFER : DHCPACK;
		assert_int_equal(dhcp_reply_encode(buf, sizeof(buf), &r, req,
						   &len, &dropped),
				 0);
		assert_codes(buf, len, want, sizeof(want));
		assert_int_equal(dhcp_decode_exact(rep, buf, len), 0);
		assert_opt(rep, DHCP_OPT_MESSAGE, "welcome", 7);
	}
	r.msg_type = DHCPNAK;
	r.message = "address not available";
	assert_int_equal(
		dhcp_reply_encode(buf, sizeof(buf), &r, req, &len, &dropped),
		0);
	assert_codes(buf, len, want_nak, sizeof(want_nak));
	assert_int_equal(dhcp_decode_exact(rep, buf, len), 0);
	assert_opt(rep, DHCP_OPT_MESSAGE, "address not available", 21);
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
	struct dhcp_req p;
	struct dhcp_msg *req;
	struct dhcp_reply r = std_ack();
	uint8_t big[255], buf[1500];
	size_t len;

	memset(big, 1, sizeof(big));
	dhcp_req_init(&p);
	dhcp_req_type(&p, DHCPREQUEST);
	dhcp_req_opt(&p, DHCP_OPT_CLIENT_ID, 255, big);
	dhcp_req_opt(&p, DHCP_OPT_RELAY_AGENT_INFO, 255, big);
	dhcp_req_end(&p);
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
	assert_int_equal(dhcp_decode_exact(rep, buf, len), 0);
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
		struct dhcp_req p;
		uint8_t want2[] = {53, 54};

		dhcp_req_init(&p);
		dhcp_req_type(&p, DHCPREQUEST);
		dhcp_req_end(&p);
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

/* Kea's echo-client-id false: 61 left out, 82 still echoed last. */
static void test_reply_61_not_echoed_when_told(void **state)
{
	struct dhcp_msg *req = make_request(NULL, 0, -1);
	struct dhcp_reply r = std_ack();
	uint8_t buf[1500], codes[64];
	size_t len, n;

	r.no_client_id_echo = true;
	assert_int_equal(
		dhcp_reply_encode(buf, sizeof(buf), &r, req, &len, NULL), 0);
	n = wire_codes(buf, len, codes, sizeof(codes));
	assert_true(n >= 1);
	assert_null(memchr(codes, DHCP_OPT_CLIENT_ID, n));
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
	assert_int_equal(dhcp_decode_exact(rep, buf, len), 0);
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

int main(void)
{
	static const struct CMUnitTest tests[] = {
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
		T(test_reply_configured_message),
		T(test_reply_cap_bounds),
		T(test_reply_enospc),
		T(test_reply_nak_layout),
		T(test_reply_82_last_61_echoed),
		T(test_reply_61_not_echoed_when_told),
		T(test_reply_ignores_owned_codes),
		T(test_reply_bad_args),
		T(test_reply_omits_zero_times),
	};
	size_t i;

	memset(filler, 0x42, sizeof(filler));
	for (i = 0; i < sizeof(big121); i++)
		big121[i] = i ^ 0x5a;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
