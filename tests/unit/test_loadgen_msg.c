// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for the load generator's frames (tests/bench/loadgen/lg_msg.c):
 * each request kind is read back with tests/lib/frame.c (which also lays
 * the frames out: what is tested here is the generator's choice of
 * fields) and the project's DHCP decoder, and its addressing checked
 * against RFC 2131 §4.1 / §4.4; replies built with tests/lib/frame.c are
 * parsed by the generator's own reader.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <dhcpxdp/dhcp_wire.h>
#include "frame.h"
#include "lg_msg.h"
#include "wire/dhcp_msg.h"

#define SRV_IP 0x0a4d0001U /* 10.77.0.1 */
#define GIADDR 0x0a4d00feU /* 10.77.0.254 */
#define ADDR   0x0a4d0064U /* 10.77.0.100 */

static const uint8_t if_mac[6] = {0x02, 0x77, 0, 0, 0, 1};
static const uint8_t srv_mac[6] = {0x02, 0xaa, 0, 0, 0, 1};
static const uint8_t cli_mac[6] = {0x02, 0x4c, 0, 0, 0, 7};
static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

static struct dhcp_msg msg;

static struct lg_link link_direct(void)
{
	struct lg_link l = {.server_ip = SRV_IP};

	memcpy(l.if_mac, if_mac, 6);
	memcpy(l.server_mac, srv_mac, 6);
	return l;
}

static struct lg_req req(enum lg_kind kind)
{
	struct lg_req r = {.kind = kind,
			   .xid = 0x00000701,
			   .ciaddr = ADDR,
			   .requested_ip = ADDR,
			   .server_id = SRV_IP,
			   .circuit = 7};

	memcpy(r.chaddr, cli_mac, 6);
	return r;
}

/* Build, check the frame with the independent parser, decode the DHCP. */
static void build_view(const struct lg_link *l, const struct lg_req *r,
		       struct frame_view *v)
{
	static uint8_t buf[LG_FRAME_MAX];
	int len = lg_msg_build(buf, sizeof(buf), l, r);

	assert_true(len > 0);
	assert_int_equal(frame_parse(buf, (size_t)len, v), 0);
	assert_true(v->payload_len >= DHCP_MIN_LEN);
	assert_int_equal(dhcp_msg_decode(&msg, v->payload, v->payload_len), 0);
	assert_int_equal(msg.op, BOOTREQUEST);
	assert_int_equal(msg.xid, r->xid);
	assert_memory_equal(msg.chaddr, cli_mac, 6);
	assert_int_equal(v->dport, DHCP_SERVER_PORT);
}

static void test_discover_broadcast(void **state)
{
	struct lg_link l = link_direct();
	struct lg_req r = req(LG_DISCOVER);
	struct frame_view v;

	(void)state;
	build_view(&l, &r, &v);
	assert_int_equal(msg.msg_type, DHCPDISCOVER);
	assert_memory_equal(v.dst_mac, bcast, 6);
	assert_memory_equal(v.src_mac, cli_mac, 6);
	assert_int_equal(v.src_ip, 0);
	assert_int_equal(v.dst_ip, 0xffffffffU);
	assert_int_equal(v.sport, DHCP_CLIENT_PORT);
	assert_int_equal(msg.ciaddr, 0);
	assert_false(msg.has_server_id);
	assert_int_equal(v.vlan, -1);
}

/* RFC 2131 §4.3.2: SELECTING names the server and the address, ciaddr 0. */
static void test_request_selecting(void **state)
{
	struct lg_link l = link_direct();
	struct lg_req r = req(LG_REQUEST_SELECTING);
	struct frame_view v;

	(void)state;
	build_view(&l, &r, &v);
	assert_int_equal(msg.msg_type, DHCPREQUEST);
	assert_true(msg.has_requested_ip && msg.has_server_id);
	assert_int_equal(msg.requested_ip, ADDR);
	assert_int_equal(msg.server_id, SRV_IP);
	assert_int_equal(msg.ciaddr, 0);
	assert_int_equal(v.dst_ip, 0xffffffffU);
}

/* RENEWING: unicast from ciaddr to the server, no 50, no 54. */
static void test_request_renewing_unicast(void **state)
{
	struct lg_link l = link_direct();
	struct lg_req r = req(LG_REQUEST_RENEWING);
	struct frame_view v;

	(void)state;
	build_view(&l, &r, &v);
	assert_int_equal(msg.msg_type, DHCPREQUEST);
	assert_false(msg.has_requested_ip || msg.has_server_id);
	assert_int_equal(msg.ciaddr, ADDR);
	assert_memory_equal(v.dst_mac, srv_mac, 6);
	assert_int_equal(v.src_ip, ADDR);
	assert_int_equal(v.dst_ip, SRV_IP);
}

/* REBINDING: ciaddr, broadcast. */
static void test_request_rebinding_broadcast(void **state)
{
	struct lg_link l = link_direct();
	struct lg_req r = req(LG_REQUEST_REBINDING);
	struct frame_view v;

	(void)state;
	build_view(&l, &r, &v);
	assert_int_equal(msg.ciaddr, ADDR);
	assert_false(msg.has_server_id);
	assert_memory_equal(v.dst_mac, bcast, 6);
	assert_int_equal(v.dst_ip, 0xffffffffU);
}

/* RFC 2131 §4.4.6: RELEASE unicast, ciaddr and 54. */
static void test_release(void **state)
{
	struct lg_link l = link_direct();
	struct lg_req r = req(LG_RELEASE);
	struct frame_view v;

	(void)state;
	build_view(&l, &r, &v);
	assert_int_equal(msg.msg_type, DHCPRELEASE);
	assert_int_equal(msg.ciaddr, ADDR);
	assert_true(msg.has_server_id);
	assert_int_equal(v.dst_ip, SRV_IP);
}

/* RFC 1542 §4, RFC 3046 §2.0: relayed from giaddr:67, hops 1, 82 last. */
static void test_relay_option82(void **state)
{
	struct lg_link l = link_direct();
	struct lg_req r = req(LG_DISCOVER);
	static const uint8_t want[] = {1,   5, 'p', 'o', 'r', 't',
				       '7', 2, 3,   's', 'w', '1'};
	struct frame_view v;

	(void)state;
	l.giaddr = GIADDR;
	strcpy(l.remote_id, "sw1");
	build_view(&l, &r, &v);
	assert_int_equal(msg.giaddr, GIADDR);
	assert_int_equal(msg.hops, 1);
	assert_memory_equal(v.src_mac, if_mac, 6);
	assert_memory_equal(v.dst_mac, srv_mac, 6);
	assert_int_equal(v.src_ip, GIADDR);
	assert_int_equal(v.dst_ip, SRV_IP);
	assert_int_equal(v.sport, DHCP_SERVER_PORT);
	assert_int_equal(msg.relay_info_len, sizeof(want));
	assert_memory_equal(msg.relay_info, want, sizeof(want));
}

static void test_vlan_tag(void **state)
{
	struct lg_link l = link_direct();
	struct lg_req r = req(LG_DISCOVER);
	struct frame_view v;
	uint8_t buf[LG_FRAME_MAX];

	(void)state;
	l.vlan = 100;
	build_view(&l, &r, &v);
	assert_int_equal(v.vlan, 100);
	l.vlan = 4095;
	assert_int_equal(lg_msg_build(buf, sizeof(buf), &l, &r), -EINVAL);
	l.vlan = 0;
	assert_int_equal(lg_msg_build(buf, 100, &l, &r), -ENOSPC);
}

/* A reply as a server sends it, through tests/lib/frame.c. */
static size_t reply_frame(uint8_t *buf, uint8_t type, int vlan, uint16_t dport)
{
	struct frame_spec s;

	frame_spec_init(&s, srv_mac, 0x00000701);
	memcpy(s.chaddr, cli_mac, 6);
	memcpy(s.dst_mac, cli_mac, 6);
	s.op = BOOTREPLY;
	s.sport = DHCP_SERVER_PORT;
	s.dport = dport;
	s.src_ip = SRV_IP;
	s.dst_ip = ADDR;
	s.yiaddr = ADDR;
	s.vlan = vlan;
	opt_add_u8(&s, DHCP_OPT_MSG_TYPE, type);
	opt_add_ip(&s, DHCP_OPT_SERVER_ID, SRV_IP);
	opt_add_ip(&s, DHCP_OPT_LEASE_TIME, 3600);
	opt_add_ip(&s, DHCP_OPT_RENEWAL_TIME, 900);
	opt_add(&s, DHCP_OPT_RELAY_AGENT_INFO, 3, "\1\1x");
	opt_end(&s);
	return frame_build(&s, buf, FRAME_MAX);
}

static void test_reply_parse(void **state)
{
	uint8_t buf[FRAME_MAX];
	size_t len = reply_frame(buf, DHCPACK, -1, DHCP_CLIENT_PORT);
	struct lg_reply r;

	(void)state;
	assert_int_equal(lg_reply_parse(buf, len, 0, DHCP_CLIENT_PORT, &r), 0);
	assert_int_equal(r.msg_type, DHCPACK);
	assert_int_equal(r.xid, 0x00000701);
	assert_memory_equal(r.chaddr, cli_mac, 6);
	assert_memory_equal(r.src_mac, srv_mac, 6);
	assert_int_equal(r.yiaddr, ADDR);
	assert_int_equal(r.server_id, SRV_IP);
	assert_int_equal(r.lease_time, 3600);
	assert_int_equal(r.t1, 900);
	assert_int_equal(r.t2, 0);
	assert_true(r.relay_info);
	assert_int_equal(r.vlan, 0);
	/* The tag the kernel took off counts as the frame's. */
	assert_int_equal(lg_reply_parse(buf, len, 100, DHCP_CLIENT_PORT, &r),
			 0);
	assert_int_equal(r.vlan, 100);
}

static void test_reply_parse_tagged(void **state)
{
	uint8_t buf[FRAME_MAX];
	size_t len = reply_frame(buf, DHCPOFFER, 100, DHCP_SERVER_PORT);
	struct lg_reply r;

	(void)state;
	assert_int_equal(lg_reply_parse(buf, len, 0, DHCP_SERVER_PORT, &r), 0);
	assert_int_equal(r.vlan, 100);
	assert_int_equal(r.msg_type, DHCPOFFER);
}

static void test_reply_parse_refuses(void **state)
{
	uint8_t buf[FRAME_MAX];
	size_t len = reply_frame(buf, DHCPACK, -1, DHCP_CLIENT_PORT), i;
	struct lg_reply r;

	(void)state;
	/* Another port, every truncation, a broken IP checksum. */
	assert_int_equal(lg_reply_parse(buf, len, 0, DHCP_SERVER_PORT, &r),
			 -EINVAL);
	for (i = 0; i < len - 200; i++)
		assert_int_equal(
			lg_reply_parse(buf, i, 0, DHCP_CLIENT_PORT, &r),
			-EINVAL);
	buf[14 + 10] ^= 1;
	assert_int_equal(lg_reply_parse(buf, len, 0, DHCP_CLIENT_PORT, &r),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_discover_broadcast),
		cmocka_unit_test(test_request_selecting),
		cmocka_unit_test(test_request_renewing_unicast),
		cmocka_unit_test(test_request_rebinding_broadcast),
		cmocka_unit_test(test_release),
		cmocka_unit_test(test_relay_option82),
		cmocka_unit_test(test_vlan_tag),
		cmocka_unit_test(test_reply_parse),
		cmocka_unit_test(test_reply_parse_tagged),
		cmocka_unit_test(test_reply_parse_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
