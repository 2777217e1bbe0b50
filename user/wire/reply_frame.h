/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The whole frame that answers one request: the reply encoded
 * (dhcp_msg.h), addressed as RFC 2131 §4.1 says and framed (frame_out.h)
 * on the request's VLAN. One function, so the daemon and the tests that
 * hold it against the XDP program build replies the same way.
 */
#ifndef DHCPXDP_REPLY_FRAME_H
#define DHCPXDP_REPLY_FRAME_H

#include <stddef.h>
#include <stdint.h>

struct dhcp_msg;
struct dhcp_reply;
struct frame_in;

/*
 * Answer `req`, which arrived as `in`, with `reply`, from the interface
 * whose MAC and IPv4 address (host order) are src_mac, src_ip. Returns 0
 * with the frame's length in *len, or the negative errno of the step that
 * failed (dhcp_reply_encode, frame_out_build).
 */
int reply_frame_build(uint8_t *buf, size_t cap, const uint8_t src_mac[6],
		      uint32_t src_ip, const struct frame_in *in,
		      const struct dhcp_msg *req,
		      const struct dhcp_reply *reply, size_t *len);

#endif
