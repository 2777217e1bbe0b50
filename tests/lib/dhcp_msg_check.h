/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * cmocka checks on decoded DHCP messages, shared by the codec's tests
 * (tests/unit/test_dhcp_msg_decode.c, test_dhcp_msg_encode.c).
 *
 * static inline in a header: every .c file of tests/lib is linked into
 * the benchmarks too, which do not link cmocka.
 */
#ifndef DHCPXDP_TEST_DHCP_MSG_CHECK_H
#define DHCPXDP_TEST_DHCP_MSG_CHECK_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "dhcp_req.h"

/* A zeroed struct dhcp_msg (about 18 KiB) on the heap; caller frees. */
static inline struct dhcp_msg *new_msg(void)
{
	struct dhcp_msg *m = calloc(1, sizeof(*m));

	assert_non_null(m);
	return m;
}

/* Decode p, which must succeed; caller frees. */
static inline struct dhcp_msg *decode_ok(const struct dhcp_req *p)
{
	struct dhcp_msg *m = new_msg();
	int rc = dhcp_decode_exact(m, p->b, p->len);

	if (rc)
		fail_msg("decode: %s", dhcp_msg_strerror(rc));
	return m;
}

/* Option `code` is present with exactly these want_len bytes. */
static inline void assert_opt(const struct dhcp_msg *m, uint8_t code,
			      const void *want, size_t want_len)
{
	size_t len = 0;
	const uint8_t *v = dhcp_msg_option(m, code, &len);

	assert_non_null(v);
	assert_int_equal(len, want_len);
	if (want_len)
		assert_memory_equal(v, want, want_len);
}

#endif
