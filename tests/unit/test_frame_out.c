// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for reply framing and RFC 2131 §4.1 addressing
 * (user/wire/frame_out.c). Checksums are verified with tests/lib/frame.c,
 * which shares no code with the module under test.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <dhcpxdp/dhcp_wire.h>
#include "frame.h"
#include "wire/frame_out.h"

static const uint8_t srv_mac[6] = {0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0x01};
static const uint8_t cli_mac[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
static const uint8_t relay_mac[6] = {0x02, 0x77, 0x77, 0x77, 0x77, 0x01};
static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

#define SRV_IP	 0xc0000201U /* 192.0.2.1 */
#define CLI_IP	 0xc0000264U /* 192.0.2.100 */
#define RELAY_IP 0xc6336401U /* 198.51.100.1 */
#define CIADDR	 0xc0000265U /* 192.0.2.101 */

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

static void fill_payload(uint8_t *d, size_t len, uint8_t seed)
{
	for (size_t i = 0; i < len; i++)
		d[i] = (uint8_t)(seed + i * 7);
}

static void base_frame(struct frame_out *f, uint16_t vlan)
{
	memset(f, 0, sizeof(*f));
	memcpy(f->dst_mac, cli_mac, 6);
	memcpy(f->src_mac, srv_mac, 6);
	f->vlan = vlan;
	f->src_ip = SRV_IP;
	f->dst_ip = CLI_IP;
	f->dst_port = DHCP_CLIENT_PORT;
}

/* Every header field of a built frame, both checksums, and the payload. */
static void check_frame(const uint8_t *buf, size_t len,
			const struct frame_out *f, const uint8_t *dhcp,
			size_t dhcp_len)
{
	size_t l2 = 14 + (f->vlan ? 4 : 0) + (f->svlan ? 4 : 0);
	const uint8_t *ip = buf + l2, *udp = ip + 20;

	assert_int_equal(len, l2 + 20 + 8 + dhcp_len);
	assert_memory_equal(buf, f->dst_mac, 6);
	assert_memory_equal(buf + 6, f->src_mac, 6);
	if (f->svlan) {
		/* IEEE 802.1ad: S-tag, then C-tag, priorities 0 */
		assert_int_equal(get16(buf + 12), 0x88a8);
		assert_int_equal(get16(buf + 14), f->svlan);
		assert_int_equal(get16(buf + 16), 0x8100);
		assert_int_equal(get16(buf + 18), f->vlan);
		assert_int_equal(get16(buf + 20), 0x0800);
	} else if (f->vlan) {
		assert_int_equal(get16(buf + 12), 0x8100);
		/* TCI: priority 0, DEI 0, the VLAN id */
		assert_int_equal(get16(buf + 14), f->vlan);
		assert_int_equal(get16(buf + 16), 0x0800);
	} else {
		assert_int_equal(get16(buf + 12), 0x0800);
	}
	assert_int_equal(ip[0], 0x45);
	assert_int_equal(get16(ip + 2), 20 + 8 + dhcp_len);
	assert_int_equal(get16(ip + 4), 0); /* id */
	assert_int_equal(get16(ip + 6), 0); /* DF clear, offset 0 */
	assert_int_equal(ip[8], 64);	    /* TTL */
	assert_int_equal(ip[9], 17);	    /* UDP */
	assert_int_equal(get32(ip + 12), f->src_ip);
	assert_int_equal(get32(ip + 16), f->dst_ip);
	assert_int_equal(inet_csum(ip, 20, 0), 0);
	assert_int_equal(get16(udp), DHCP_SERVER_PORT);
	assert_int_equal(get16(udp + 2), f->dst_port);
	assert_int_equal(get16(udp + 4), 8 + dhcp_len);
	assert_int_not_equal(get16(udp + 6), 0); /* a real checksum */
	assert_int_equal(udp_csum_verify(ip, udp, 8 + dhcp_len), 0);
	if (dhcp_len)
		assert_memory_equal(udp + 8, dhcp, dhcp_len);
}

static void test_build_untagged(void **state)
{
	uint8_t dhcp[300], buf[1600];
	struct frame_out f;
	size_t len = 0;

	(void)state;
	fill_payload(dhcp, sizeof(dhcp), 1);
	base_frame(&f, 0);
	assert_int_equal(
		frame_out_build(buf, sizeof(buf), &f, dhcp, sizeof(dhcp), &len),
		0);
	check_frame(buf, len, &f, dhcp, sizeof(dhcp));
}

static void test_build_vlan_tagged(void **state)
{
	uint8_t dhcp[548], buf[1600];
	struct frame_out f;
	size_t len = 0;

	(void)state;
	fill_payload(dhcp, sizeof(dhcp), 9);
	base_frame(&f, 4094);
	assert_int_equal(
		frame_out_build(buf, sizeof(buf), &f, dhcp, sizeof(dhcp), &len),
		0);
	check_frame(buf, len, &f, dhcp, sizeof(dhcp));
	assert_int_equal(len, 18 + 20 + 8 + 548);
}

static void test_build_qinq_tagged(void **state)
{
	uint8_t dhcp[300], buf[1600];
	struct frame_out f;
	size_t len = 0;

	(void)state;
	fill_payload(dhcp, sizeof(dhcp), 5);
	base_frame(&f, 100);
	f.svlan = 200;
	assert_int_equal(
		frame_out_build(buf, sizeof(buf), &f, dhcp, sizeof(dhcp), &len),
		0);
	check_frame(buf, len, &f, dhcp, sizeof(dhcp));
	assert_int_equal(len, 22 + 20 + 8 + 300);
	/* an S-tag needs a C-tag behind it */
	f.vlan = 0;
	assert_int_equal(
		frame_out_build(buf, sizeof(buf), &f, dhcp, sizeof(dhcp), &len),
		-EINVAL);
}

/* RFC 1071: an odd trailing byte is summed as if padded with a zero. */
static void test_build_odd_length_checksum(void **state)
{
	uint8_t dhcp[301], buf[1600];
	struct frame_out f;
	size_t len = 0;

	(void)state;
	fill_payload(dhcp, sizeof(dhcp), 0xf3);
	dhcp[300] = 0xff;
	base_frame(&f, 7);
	assert_int_equal(
		frame_out_build(buf, sizeof(buf), &f, dhcp, sizeof(dhcp), &len),
		0);
	check_frame(buf, len, &f, dhcp, sizeof(dhcp));
}

/* RFC 768: a computed checksum of zero is transmitted as all ones,
 * since a zero field means "no checksum". Steer the payload so the sum
 * comes out as zero. */
static void test_build_zero_checksum_sent_as_ffff(void **state)
{
	uint8_t dhcp[300], buf[1600];
	struct frame_out f;
	size_t len = 0;
	uint32_t w;
	uint16_t c;

	(void)state;
	fill_payload(dhcp, sizeof(dhcp), 3);
	base_frame(&f, 0);
	assert_int_equal(
		frame_out_build(buf, sizeof(buf), &f, dhcp, sizeof(dhcp), &len),
		0);
	c = get16(buf + 14 + 20 + 6);
	/* adding the checksum to an aligned payload word (one's
	 * complement) makes the new sum 0xffff, i.e. a checksum of 0 */
	w = get16(dhcp) + (uint32_t)c;
	w = (w & 0xffff) + (w >> 16);
	dhcp[0] = (uint8_t)(w >> 8);
	dhcp[1] = (uint8_t)w;
	assert_int_equal(
		frame_out_build(buf, sizeof(buf), &f, dhcp, sizeof(dhcp), &len),
		0);
	assert_int_equal(get16(buf + 14 + 20 + 6), 0xffff);
	assert_int_equal(udp_csum_verify(buf + 14, buf + 34, 8 + sizeof(dhcp)),
			 0);
}

/* The reply may be encoded where its headers will end and framed in
 * place, tagged or not. */
static void test_build_in_place(void **state)
{
	uint8_t want[400], buf[1600];
	struct frame_out f;
	size_t len = 0;

	(void)state;
	fill_payload(want, sizeof(want), 0x42);
	for (uint16_t vlan = 0; vlan <= 10; vlan += 10) {
		memcpy(buf + FRAME_OUT_MAX_HDR, want, sizeof(want));
		base_frame(&f, vlan);
		assert_int_equal(frame_out_build(buf, sizeof(buf), &f,
						 buf + FRAME_OUT_MAX_HDR,
						 sizeof(want), &len),
				 0);
		check_frame(buf, len, &f, want, sizeof(want));
	}
}

static void test_build_exact_capacity(void **state)
{
	uint8_t dhcp[300], buf[14 + 20 + 8 + 300];
	struct frame_out f;
	size_t len = 0;

	(void)state;
	fill_payload(dhcp, sizeof(dhcp), 5);
	base_frame(&f, 0);
	assert_int_equal(
		frame_out_build(buf, sizeof(buf), &f, dhcp, sizeof(dhcp), &len),
		0);
	assert_int_equal(len, sizeof(buf));
	assert_int_equal(frame_out_build(buf, sizeof(buf) - 1, &f, dhcp,
					 sizeof(dhcp), &len),
			 -ENOSPC);
	/* the tag needs four more bytes */
	base_frame(&f, 5);
	assert_int_equal(
		frame_out_build(buf, sizeof(buf), &f, dhcp, sizeof(dhcp), &len),
		-ENOSPC);
}

static void test_build_rejects_bad_arguments(void **state)
{
	static uint8_t big[70000];
	uint8_t buf[1600];
	struct frame_out f;
	size_t len;

	(void)state;
	base_frame(&f, 0);
	assert_int_equal(frame_out_build(NULL, sizeof(buf), &f, big, 10, &len),
			 -EINVAL);
	assert_int_equal(frame_out_build(buf, sizeof(buf), NULL, big, 10, &len),
			 -EINVAL);
	assert_int_equal(frame_out_build(buf, sizeof(buf), &f, NULL, 10, &len),
			 -EINVAL);
	assert_int_equal(frame_out_build(buf, sizeof(buf), &f, big, 10, NULL),
			 -EINVAL);
	f.vlan = 4095; /* reserved VID */
	assert_int_equal(frame_out_build(buf, sizeof(buf), &f, big, 10, &len),
			 -EINVAL);
	f.vlan = 0;
	/* IPv4 total length is 16 bits */
	assert_int_equal(frame_out_build(big, sizeof(big), &f, big,
					 65535 - 28 + 1, &len),
			 -EMSGSIZE);
}

/* ---- RFC 2131 §4.1 addressing ---- */

static void address(struct frame_out *f, uint32_t giaddr, uint32_t ciaddr,
		    uint16_t flags, uint32_t yiaddr, int type)
{
	memset(f, 0x5a, sizeof(*f));
	frame_out_address(f, giaddr, ciaddr, flags, yiaddr, cli_mac, relay_mac,
			  type);
}

static void assert_broadcast(const struct frame_out *f)
{
	assert_memory_equal(f->dst_mac, bcast, 6);
	assert_int_equal(f->dst_ip, 0xffffffffU);
	assert_int_equal(f->dst_port, DHCP_CLIENT_PORT);
}

/* giaddr wins over everything: to the relay's server port, at the MAC
 * the request came from. */
static void test_address_relay(void **state)
{
	static const int types[] = {DHCPOFFER, DHCPACK, DHCPNAK};
	struct frame_out f;

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		address(&f, RELAY_IP, CIADDR, DHCP_FLAG_BROADCAST, CLI_IP,
			types[i]);
		assert_memory_equal(f.dst_mac, relay_mac, 6);
		assert_int_equal(f.dst_ip, RELAY_IP);
		assert_int_equal(f.dst_port, DHCP_SERVER_PORT);
	}
}

/* "when 'giaddr' is zero, the server broadcasts any DHCPNAK messages",
 * even to a client with a ciaddr and no broadcast bit. */
static void test_address_nak_broadcast(void **state)
{
	struct frame_out f;

	(void)state;
	address(&f, 0, CIADDR, 0, CLI_IP, DHCPNAK);
	assert_broadcast(&f);
	address(&f, 0, 0, 0, 0, DHCPNAK);
	assert_broadcast(&f);
}

/* ciaddr set: unicast to ciaddr, at the request's source MAC, whatever
 * the broadcast bit says. */
static void test_address_ciaddr_unicast(void **state)
{
	struct frame_out f;

	(void)state;
	for (int bit = 0; bit < 2; bit++) {
		address(&f, 0, CIADDR, bit ? DHCP_FLAG_BROADCAST : 0, CLI_IP,
			DHCPACK);
		assert_memory_equal(f.dst_mac, relay_mac, 6);
		assert_int_equal(f.dst_ip, CIADDR);
		assert_int_equal(f.dst_port, DHCP_CLIENT_PORT);
	}
}

static void test_address_broadcast_bit(void **state)
{
	struct frame_out f;

	(void)state;
	address(&f, 0, 0, DHCP_FLAG_BROADCAST, CLI_IP, DHCPOFFER);
	assert_broadcast(&f);
	/* other bits are "MUST be zero" noise and do not count */
	address(&f, 0, 0, 0x7fff, CLI_IP, DHCPOFFER);
	assert_memory_equal(f.dst_mac, cli_mac, 6);
}

static void test_address_yiaddr_at_chaddr(void **state)
{
	struct frame_out f;

	(void)state;
	address(&f, 0, 0, 0, CLI_IP, DHCPOFFER);
	assert_memory_equal(f.dst_mac, cli_mac, 6);
	assert_int_equal(f.dst_ip, CLI_IP);
	assert_int_equal(f.dst_port, DHCP_CLIENT_PORT);
	address(&f, 0, 0, 0, CLI_IP, DHCPACK);
	assert_memory_equal(f.dst_mac, cli_mac, 6);
	assert_int_equal(f.dst_ip, CLI_IP);
}

/* Nothing to unicast to: broadcast rather than send to 0.0.0.0. */
static void test_address_no_yiaddr_broadcasts(void **state)
{
	struct frame_out f;

	(void)state;
	address(&f, 0, 0, 0, 0, DHCPACK);
	assert_broadcast(&f);
}

/* Addressing leaves the caller's source fields and VLAN alone, and the
 * result frames into what the wire expects (network byte order). */
static void test_address_then_build(void **state)
{
	uint8_t dhcp[300], buf[1600];
	struct frame_out f;
	size_t len;

	(void)state;
	base_frame(&f, 42);
	frame_out_address(&f, RELAY_IP, 0, 0, CLI_IP, cli_mac, relay_mac,
			  DHCPOFFER);
	assert_memory_equal(f.src_mac, srv_mac, 6);
	assert_int_equal(f.src_ip, SRV_IP);
	assert_int_equal(f.vlan, 42);
	fill_payload(dhcp, sizeof(dhcp), 0);
	assert_int_equal(
		frame_out_build(buf, sizeof(buf), &f, dhcp, sizeof(dhcp), &len),
		0);
	check_frame(buf, len, &f, dhcp, sizeof(dhcp));
	assert_memory_equal(buf, relay_mac, 6);
	const uint8_t want_dst[4] = {198, 51, 100, 1};
	assert_memory_equal(buf + 18 + 16, want_dst, 4);
	assert_int_equal(get16(buf + 18 + 20 + 2), 67);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_untagged),
		cmocka_unit_test(test_build_vlan_tagged),
		cmocka_unit_test(test_build_qinq_tagged),
		cmocka_unit_test(test_build_odd_length_checksum),
		cmocka_unit_test(test_build_zero_checksum_sent_as_ffff),
		cmocka_unit_test(test_build_in_place),
		cmocka_unit_test(test_build_exact_capacity),
		cmocka_unit_test(test_build_rejects_bad_arguments),
		cmocka_unit_test(test_address_relay),
		cmocka_unit_test(test_address_nak_broadcast),
		cmocka_unit_test(test_address_ciaddr_unicast),
		cmocka_unit_test(test_address_broadcast_bit),
		cmocka_unit_test(test_address_yiaddr_at_chaddr),
		cmocka_unit_test(test_address_no_yiaddr_broadcasts),
		cmocka_unit_test(test_address_then_build),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
