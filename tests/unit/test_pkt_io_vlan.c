// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Putting a VLAN tag back into a received frame
 * (pkt_io_restore_vlan() in user/kernel/pkt_io.c), without a socket: a
 * tag the kernel stripped into the packet's metadata (with or without
 * its TPID), a tag left in the frame, no tag, and the tags refused (an
 * 802.1ad tag, two tags, frames shorter than their headers). Frames are
 * crafted with tests/lib/frame.c. The socket side, on veth pairs, is
 * tests/bpf/test_pkt_io.c.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <linux/if_ether.h>
#include <cmocka.h>
#include "frame.h"
#include "kernel/pkt_io.h"

static const uint8_t client_mac[6] = {0x02, 0xc1, 0x00, 0x00, 0x00, 0x01};

static void put_frame(uint8_t *buf, const uint8_t *frame, uint32_t len)
{
	memset(buf, 0xee, 4); /* headroom garbage must not leak */
	memcpy(buf + 4, frame, len);
}

static void test_restore_vlan_stripped_tag(void **state)
{
	uint8_t want[FRAME_MAX], stripped[FRAME_MAX], buf[FRAME_MAX + 4];
	size_t wlen = frame_discover(want, sizeof(want), client_mac, 1,
				     (5 << 13) | 100);
	uint32_t len;
	uint8_t *start;
	uint16_t vlan, svlan;

	(void)state;
	/* the kernel hands over the frame without the 4 tag bytes */
	memcpy(stripped, want, 12);
	memcpy(stripped + 12, want + 16, wlen - 16);
	len = (uint32_t)wlen - 4;
	put_frame(buf, stripped, len);
	assert_int_equal(pkt_io_restore_vlan(buf, &len, 1, 0x8100,
					     (5 << 13) | 100, &start, &vlan,
					     &svlan),
			 0);
	assert_ptr_equal(start, buf);
	assert_int_equal(len, wlen);
	assert_memory_equal(start, want, wlen);
	assert_int_equal(vlan, 100);
	/* no TPID reported (older kernels): 802.1Q assumed */
	len = (uint32_t)wlen - 4;
	put_frame(buf, stripped, len);
	assert_int_equal(pkt_io_restore_vlan(buf, &len, 1, 0, (5 << 13) | 100,
					     &start, &vlan, &svlan),
			 0);
	assert_memory_equal(start, want, wlen);
}

static void test_restore_vlan_tag_left_in_frame(void **state)
{
	uint8_t want[FRAME_MAX], buf[FRAME_MAX + 4];
	size_t wlen = frame_discover(want, sizeof(want), client_mac, 1, 4094);
	uint32_t len = (uint32_t)wlen;
	uint8_t *start;
	uint16_t vlan = 0, svlan = 9;

	(void)state;
	put_frame(buf, want, len);
	assert_int_equal(
		pkt_io_restore_vlan(buf, &len, 0, 0, 0, &start, &vlan, &svlan),
		0);
	assert_ptr_equal(start, buf + 4);
	assert_int_equal(len, wlen);
	assert_memory_equal(start, want, wlen);
	assert_int_equal(vlan, 4094);
}

static void test_restore_vlan_untagged(void **state)
{
	uint8_t want[FRAME_MAX], buf[FRAME_MAX + 4];
	size_t wlen = frame_discover(want, sizeof(want), client_mac, 1, -1);
	uint32_t len = (uint32_t)wlen;
	uint8_t *start;
	uint16_t vlan = 7, svlan = 9;

	(void)state;
	put_frame(buf, want, len);
	assert_int_equal(
		pkt_io_restore_vlan(buf, &len, 0, 0, 0, &start, &vlan, &svlan),
		0);
	assert_ptr_equal(start, buf + 4);
	assert_int_equal(len, wlen);
	assert_int_equal(vlan, 0);
}

/* One 802.1Q tag, or QinQ, is understood (docs/design.md §1): a lone
 * 802.1ad tag, two C-tags, two S-tags or a priority-tagged C-tag in QinQ
 * are refused, as are frames shorter than their headers. */
static void test_restore_vlan_refuses_other_tags(void **state)
{
	uint8_t f[FRAME_MAX], u[FRAME_MAX], buf[FRAME_MAX + 4];
	size_t flen = frame_discover(f, sizeof(f), client_mac, 1, 10);
	uint32_t len;
	uint8_t *start;
	uint16_t vlan, svlan;

	(void)state;
	/* a lone stripped S-tag: IPv4 right behind it */
	len = (uint32_t)frame_discover(u, sizeof(u), client_mac, 1, -1);
	put_frame(buf, u, len);
	assert_int_equal(pkt_io_restore_vlan(buf, &len, 1, ETH_P_8021AD, 20,
					     &start, &vlan, &svlan),
			 -EPROTONOSUPPORT);
	/* a stripped C-tag over a C-tag still in the frame */
	len = (uint32_t)flen;
	put_frame(buf, f, len);
	assert_int_equal(pkt_io_restore_vlan(buf, &len, 1, ETH_P_8021Q, 20,
					     &start, &vlan, &svlan),
			 -EPROTONOSUPPORT);
	/* two tags in the frame */
	memmove(f + 16, f + 12, flen - 12);
	flen += 4;
	len = (uint32_t)flen;
	put_frame(buf, f, len);
	assert_int_equal(
		pkt_io_restore_vlan(buf, &len, 0, 0, 0, &start, &vlan, &svlan),
		-EPROTONOSUPPORT);
	/* an S-tag in front of an S-tag */
	f[12] = 0x88;
	f[13] = 0xa8;
	f[16] = 0x88;
	f[17] = 0xa8;
	put_frame(buf, f, len);
	assert_int_equal(
		pkt_io_restore_vlan(buf, &len, 0, 0, 0, &start, &vlan, &svlan),
		-EPROTONOSUPPORT);
	/* an S-tag over a C-tag of VLAN 0 (priority tag) */
	f[16] = 0x81;
	f[17] = 0x00;
	f[18] = 0xa0;
	f[19] = 0x00;
	put_frame(buf, f, len);
	assert_int_equal(
		pkt_io_restore_vlan(buf, &len, 0, 0, 0, &start, &vlan, &svlan),
		-EPROTONOSUPPORT);
	len = 13;
	assert_int_equal(
		pkt_io_restore_vlan(buf, &len, 0, 0, 0, &start, &vlan, &svlan),
		-EINVAL);
	assert_int_equal(
		pkt_io_restore_vlan(NULL, &len, 0, 0, 0, &start, &vlan, &svlan),
		-EINVAL);
}

/* QinQ (IEEE 802.1ad): the kernel strips the S-tag into the metadata
 * (TPID 0x88a8) and leaves the C-tag in the frame; both come back. */
static void test_restore_vlan_qinq_stripped(void **state)
{
	uint8_t want[FRAME_MAX], stripped[FRAME_MAX], buf[FRAME_MAX + 4];
	size_t wlen = frame_discover(want, sizeof(want), client_mac, 1,
				     (3 << 13) | 100);
	uint32_t len;
	uint8_t *start;
	uint16_t vlan, svlan;

	(void)state;
	/* want: S-tag 200 (PCP 1), C-tag 100, IPv4 */
	memmove(want + 16, want + 12, wlen - 12);
	wlen += 4;
	want[12] = 0x88;
	want[13] = 0xa8;
	want[14] = 0x20;
	want[15] = 200;
	memcpy(stripped, want, 12);
	memcpy(stripped + 12, want + 16, wlen - 16);
	len = (uint32_t)wlen - 4;
	put_frame(buf, stripped, len);
	assert_int_equal(pkt_io_restore_vlan(buf, &len, 1, ETH_P_8021AD,
					     (1 << 13) | 200, &start, &vlan,
					     &svlan),
			 0);
	assert_ptr_equal(start, buf);
	assert_int_equal(len, wlen);
	assert_memory_equal(start, want, wlen);
	assert_int_equal(vlan, 100);
	assert_int_equal(svlan, 200);
	/* both tags left in the frame */
	len = (uint32_t)wlen;
	put_frame(buf, want, len);
	assert_int_equal(
		pkt_io_restore_vlan(buf, &len, 0, 0, 0, &start, &vlan, &svlan),
		0);
	assert_memory_equal(start, want, wlen);
	assert_int_equal(vlan, 100);
	assert_int_equal(svlan, 200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_restore_vlan_stripped_tag),
		cmocka_unit_test(test_restore_vlan_tag_left_in_frame),
		cmocka_unit_test(test_restore_vlan_untagged),
		cmocka_unit_test(test_restore_vlan_refuses_other_tags),
		cmocka_unit_test(test_restore_vlan_qinq_stripped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
