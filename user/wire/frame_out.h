/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Whole Ethernet frames around a DHCP reply, for the packet socket: the
 * daemon answers clients that have no address yet, so it writes the
 * Ethernet, IPv4 and UDP headers itself (no ARP, no routing table), and
 * decides where the reply goes as RFC 2131 §4.1 says.
 */
#ifndef DHCPXDP_FRAME_OUT_H
#define DHCPXDP_FRAME_OUT_H

#include <stddef.h>
#include <stdint.h>

/* Ethernet (14) + 802.1ad and 802.1Q (8) + IPv4 without options (20) +
 * UDP (8). */
#define FRAME_OUT_MAX_HDR 50

struct frame_out {
	uint8_t dst_mac[6];
	uint8_t src_mac[6];
	uint16_t vlan;	   /* 802.1Q VLAN id 1..4094; 0 = untagged */
	uint16_t svlan;	   /* QinQ: 802.1ad S-tag VLAN id 1..4094; 0 = none */
	uint32_t src_ip;   /* host order */
	uint32_t dst_ip;   /* host order */
	uint16_t dst_port; /* host order; the source port is always 67 */
};

/*
 * Write Ethernet (with an 802.1Q tag, priority 0, when f->vlan != 0,
 * behind an 802.1ad S-tag when f->svlan != 0),
 * IPv4 (IHL 5, TTL 64, id 0, DF clear, header checksum), UDP (67 ->
 * f->dst_port, RFC 768 checksum over the pseudo-header) and `dhcp` into
 * `buf`. `dhcp` may overlap `buf` (the reply can be encoded at
 * buf + FRAME_OUT_MAX_HDR and framed in place). *out_len is the frame
 * length. -EINVAL on bad arguments (VLAN id
 * above 4094, an S-tag without a C-tag), -EMSGSIZE if the datagram cannot fit an IPv4 packet,
 * -ENOSPC if `cap` is too small.
 */
int frame_out_build(uint8_t *buf, size_t cap, const struct frame_out *f,
		    const uint8_t *dhcp, size_t dhcp_len, size_t *out_len);

/*
 * Fill f->dst_mac, f->dst_ip and f->dst_port for a reply of type
 * `msg_type` (DHCPOFFER/ACK/NAK) to a request with these fields (host
 * order; `flags` is the BOOTP flags field) that arrived from Ethernet
 * source `req_src_mac`. RFC 2131 §4.1, in order:
 *  - giaddr != 0: to the relay, giaddr:67, at the MAC the request came
 *    from (the relay, or the router in front of it);
 *  - a NAK: broadcast 255.255.255.255:68, ff:ff:ff:ff:ff:ff;
 *  - ciaddr != 0: unicast ciaddr:68 at the request's source MAC;
 *  - broadcast bit set: broadcast;
 *  - else unicast yiaddr:68 at chaddr (broadcast if yiaddr is 0).
 * src_mac, src_ip and vlan are left to the caller.
 */
void frame_out_address(struct frame_out *f, uint32_t giaddr, uint32_t ciaddr,
		       uint16_t flags, uint32_t yiaddr, const uint8_t chaddr[6],
		       const uint8_t req_src_mac[6], int msg_type);

#endif /* DHCPXDP_FRAME_OUT_H */
