// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Unwrapping received frames to the DHCP payload. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "frame.h"
#include "wire/frame_in.h"

static const uint8_t mac[6] = {2, 0xaa, 0, 0, 0, 1};

static size_t build(struct frame_spec *s, uint8_t *buf)
{
	return frame_build(s, buf, FRAME_MAX);
}

static void base(struct frame_spec *s)
{
	frame_spec_init(s, mac, 7);
	s->src_ip = 0x0a000005;
	opt_add_u8(s, 53, 3);
	opt_end(s);
}

static void plain_request(void **state)
{
	uint8_t buf[FRAME_MAX];
	struct frame_spec s;
	struct frame_in in;
	size_t len;

	(void)state;
	base(&s);
	len = build(&s, buf);
	assert_int_equal(frame_in_parse(buf, len, &in), FRAME_IN_OK);
	assert_memory_equal(in.src_mac, mac, 6);
	assert_int_equal(in.vlan, 0);
	assert_int_equal(in.src_ip, 0x0a000005);
	assert_int_equal(in.dst_ip, 0xffffffff);
	assert_int_equal(in.src_port, 68);
	assert_ptr_equal(in.dhcp, buf + 42);
	assert_int_equal(in.dhcp_len, 240 + s.opts_len);
}

static void vlan_request(void **state)
{
	uint8_t buf[FRAME_MAX];
	struct frame_spec s;
	struct frame_in in;
	size_t len;

	(void)state;
	base(&s);
	s.vlan = 100 | (3 << 13);
	len = build(&s, buf);
	assert_int_equal(frame_in_parse(buf, len, &in), FRAME_IN_OK);
	assert_int_equal(in.vlan, 100);
	assert_ptr_equal(in.dhcp, buf + 46);
}

/* QinQ (IEEE 802.1ad): S-tag and C-tag; other tag stacks are refused. */
static void qinq_request(void **state)
{
	uint8_t buf[FRAME_MAX];
	struct frame_spec s;
	struct frame_in in;
	size_t len;

	(void)state;
	base(&s);
	s.svlan = 200 | (1 << 13);
	s.vlan = 100 | (3 << 13);
	len = build(&s, buf);
	assert_int_equal(frame_in_parse(buf, len, &in), FRAME_IN_OK);
	assert_int_equal(in.svlan, 200);
	assert_int_equal(in.vlan, 100);
	assert_ptr_equal(in.dhcp, buf + 50);
	/* two C-tags */
	buf[12] = 0x81;
	buf[13] = 0x00;
	assert_int_equal(frame_in_parse(buf, len, &in), FRAME_IN_NOT_IPV4);
	/* a lone S-tag */
	s.svlan = 0;
	len = build(&s, buf);
	buf[12] = 0x88;
	buf[13] = 0xa8;
	assert_int_equal(frame_in_parse(buf, len, &in), FRAME_IN_NOT_IPV4);
	/* an S-tag over a priority-tagged C-tag */
	s.svlan = 200;
	s.vlan = 0;
	len = build(&s, buf);
	assert_int_equal(frame_in_parse(buf, len, &in), FRAME_IN_NOT_IPV4);
	/* truncated inside the C-tag */
	s.vlan = 100;
	build(&s, buf);
	assert_int_equal(frame_in_parse(buf, 20, &in), FRAME_IN_TRUNCATED);
}

static void ethernet_padding_ignored(void **state)
{
	uint8_t buf[FRAME_MAX];
	struct frame_spec s;
	struct frame_in in;
	size_t len;

	(void)state;
	base(&s);
	len = build(&s, buf);
	memset(buf + len, 0xee, 20);
	assert_int_equal(frame_in_parse(buf, len + 20, &in), FRAME_IN_OK);
	assert_int_equal(in.dhcp_len, 240 + s.opts_len);
}

static void ip_options_skipped(void **state)
{
	uint8_t buf[FRAME_MAX];
	struct frame_spec s;
	struct frame_in in;
	size_t len;

	(void)state;
	base(&s);
	s.ihl = 6;
	len = build(&s, buf);
	assert_int_equal(frame_in_parse(buf, len, &in), FRAME_IN_OK);
	assert_ptr_equal(in.dhcp, buf + 14 + 24 + 8);
}

static void rejects(void **state)
{
	uint8_t buf[FRAME_MAX];
	struct frame_spec s;
	struct frame_in in;
	size_t len;

	(void)state;
	base(&s);
	len = build(&s, buf);
	for (size_t cut = 0; cut < 42; cut++)
		assert_int_not_equal(frame_in_parse(buf, cut, &in),
				     FRAME_IN_OK);
	assert_int_equal(frame_in_parse(buf, len - 1, &in), FRAME_IN_BAD_IP);

	buf[12] = 0x86; /* IPv6 */
	assert_int_equal(frame_in_parse(buf, len, &in), FRAME_IN_NOT_IPV4);
	len = build(&s, buf);
	buf[23] = 6; /* TCP */
	assert_int_equal(frame_in_parse(buf, len, &in), FRAME_IN_BAD_CSUM);

	s.dport = 68;
	len = build(&s, buf);
	assert_int_equal(frame_in_parse(buf, len, &in), FRAME_IN_NOT_DHCP);
	s.dport = 67;
	s.frag_off = 0x2000;
	len = build(&s, buf);
	assert_int_equal(frame_in_parse(buf, len, &in), FRAME_IN_FRAGMENT);
	s.frag_off = 0;
	s.ihl = 4;
	len = build(&s, buf);
	assert_int_equal(frame_in_parse(buf, len, &in), FRAME_IN_BAD_IP);
	s.ihl = 0;
	len = build(&s, buf);
	buf[14 + 20 + 5] += 1; /* UDP length beyond the IP payload */
	assert_int_equal(frame_in_parse(buf, len, &in), FRAME_IN_BAD_UDP);
	len = build(&s, buf);
	buf[15] ^= 0x04; /* TOS changed: IP header checksum wrong */
	assert_int_equal(frame_in_parse(buf, len, &in), FRAME_IN_BAD_CSUM);
	/* a partial UDP checksum (offload) is accepted */
	len = build(&s, buf);
	buf[40] ^= 0x55;
	assert_int_equal(frame_in_parse(buf, len, &in), FRAME_IN_OK);
	assert_string_equal(frame_in_strerror(FRAME_IN_BAD_UDP),
			    "bad UDP length");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_request),
		cmocka_unit_test(vlan_request),
		cmocka_unit_test(qinq_request),
		cmocka_unit_test(ethernet_padding_ignored),
		cmocka_unit_test(ip_options_skipped),
		cmocka_unit_test(rejects),
	};

	return cmocka_run_group_tests_name("frame_in", tests, NULL, NULL);
}
