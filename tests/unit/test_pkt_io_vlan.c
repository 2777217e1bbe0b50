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
	uint16_t vlan;

	(void)state;
	/* the kernel hands over the frame without the 4 tag bytes */
	memcpy(stripped, want, 12);
	memcpy(stripped + 12, want + 16, wlen - 16);
	len = (uint32_t)wlen - 4;
	put_frame(buf, stripped, len);
	assert_int_equal(pkt_io_restore_vlan(buf, &len, 1, 0x8100,
					     (5 << 13) | 100, &start, &vlan),
			 0);
	assert_ptr_equal(start, buf);
	assert_int_equal(len, wlen);
	assert_memory_equal(start, want, wlen);
	assert_int_equal(vlan, 100);
	/* no TPID reported (older kernels): 802.1Q assumed */
	len = (uint32_t)wlen - 4;
	put_frame(buf, stripped, len);
	assert_int_equal(pkt_io_restore_vlan(buf, &len, 1, 0, (5 << 13) | 100,
					     &start, &vlan),
			 0);
	assert_memory_equal(start, want, wlen);
}

static void test_restore_vlan_tag_left_in_frame(void **state)
{
	uint8_t want[FRAME_MAX], buf[FRAME_MAX + 4];
	size_t wlen = frame_discover(want, sizeof(want), client_mac, 1, 4094);
	uint32_t len = (uint32_t)wlen;
	uint8_t *start;
	uint16_t vlan = 0;

	(void)state;
	put_frame(buf, want, len);
	assert_int_equal(pkt_io_restore_vlan(buf, &len, 0, 0, 0, &start, &vlan),
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
	uint16_t vlan = 7;

	(void)state;
	put_frame(buf, want, len);
	assert_int_equal(pkt_io_restore_vlan(buf, &len, 0, 0, 0, &start, &vlan),
			 0);
	assert_ptr_equal(start, buf + 4);
	assert_int_equal(len, wlen);
	assert_int_equal(vlan, 0);
}

/* One 802.1Q tag is understood (docs/design.md §1): an 802.1ad tag or two
 * tags are refused, as are frames shorter than their headers. */
static void test_restore_vlan_refuses_other_tags(void **state)
{
	uint8_t f[FRAME_MAX], buf[FRAME_MAX + 4];
	size_t flen = frame_discover(f, sizeof(f), client_mac, 1, 10);
	uint32_t len;
	uint8_t *start;
	uint16_t vlan;

	(void)state;
	/* stripped S-tag */
	len = (uint32_t)flen;
	put_frame(buf, f, len);
	assert_int_equal(pkt_io_restore_vlan(buf, &len, 1, ETH_P_8021AD, 20,
					     &start, &vlan),
			 -EPROTONOSUPPORT);
	/* stripped outer tag over a tag still in the frame: QinQ */
	len = (uint32_t)flen;
	put_frame(buf, f, len);
	assert_int_equal(pkt_io_restore_vlan(buf, &len, 1, ETH_P_8021Q, 20,
					     &start, &vlan),
			 -EPROTONOSUPPORT);
	/* two tags in the frame */
	memmove(f + 16, f + 12, flen - 12);
	flen += 4;
	len = (uint32_t)flen;
	put_frame(buf, f, len);
	assert_int_equal(pkt_io_restore_vlan(buf, &len, 0, 0, 0, &start, &vlan),
			 -EPROTONOSUPPORT);
	/* S-tag in the frame */
	f[12] = 0x88;
	f[13] = 0xa8;
	put_frame(buf, f, len);
	assert_int_equal(pkt_io_restore_vlan(buf, &len, 0, 0, 0, &start, &vlan),
			 -EPROTONOSUPPORT);
	len = 13;
	assert_int_equal(pkt_io_restore_vlan(buf, &len, 0, 0, 0, &start, &vlan),
			 -EINVAL);
	assert_int_equal(
		pkt_io_restore_vlan(NULL, &len, 0, 0, 0, &start, &vlan),
		-EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_restore_vlan_stripped_tag),
		cmocka_unit_test(test_restore_vlan_tag_left_in_frame),
		cmocka_unit_test(test_restore_vlan_untagged),
		cmocka_unit_test(test_restore_vlan_refuses_other_tags),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
