/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * DHCP payloads (the UDP payload, from `op` on; no Ethernet, IP or UDP
 * header) for the codec's tests: a BOOTREQUEST built option by option,
 * and a decode that reads from a copy of exactly the payload's length.
 * tests/lib/frame.h builds whole frames instead.
 *
 * No cmocka here: every .c file of tests/lib is linked into the
 * benchmarks too, which do not link cmocka. A builder overflowing its
 * own buffer is a bug in the test: it aborts.
 */
#ifndef DHCPXDP_TEST_DHCP_REQ_H
#define DHCPXDP_TEST_DHCP_REQ_H

#include <stddef.h>
#include <stdint.h>

#include "wire/dhcp_msg.h"

/* Room for payloads far past any MTU (DHCP_EMSG_TOO_LARGE). */
#define DHCP_REQ_CAP 20000

struct dhcp_req {
	uint8_t b[DHCP_REQ_CAP];
	size_t len;
};

/* The client hardware address dhcp_req_init() puts in chaddr. */
extern const uint8_t dhcp_req_mac[6];

/*
 * A BOOTREQUEST header, cookie included, no options yet: htype 1, hlen 6,
 * hops 1, xid 0x12345678, secs 7, the broadcast flag, ciaddr 10.0.0.5,
 * giaddr 10.0.0.254, chaddr dhcp_req_mac; the rest zero.
 */
void dhcp_req_init(struct dhcp_req *p);
/* Append raw bytes (options, PAD, junk after END). */
void dhcp_req_raw(struct dhcp_req *p, const void *data, size_t n);
/* Append one option instance: code, len, value. */
void dhcp_req_opt(struct dhcp_req *p, uint8_t code, uint8_t len, const void *v);
/* Append option 53 (DHCP message type). */
void dhcp_req_type(struct dhcp_req *p, uint8_t type);
/* Append END. */
void dhcp_req_end(struct dhcp_req *p);
/* Store v in network order at payload offset off (a header field). */
void dhcp_req_set32(struct dhcp_req *p, size_t off, uint32_t v);

/*
 * dhcp_msg_decode() on a heap copy of exactly n bytes (NULL when n is 0),
 * so that valgrind or ASan flag any read past the end. Returns its result.
 */
int dhcp_decode_exact(struct dhcp_msg *m, const uint8_t *bytes, size_t n);

#endif
