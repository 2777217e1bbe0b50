/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Unwrapping a frame read from a packet socket down to its DHCP payload:
 * Ethernet, at most one 802.1Q tag (behind an 802.1ad S-tag for QinQ),
 * IPv4, UDP to port 67. Pure, bounds
 * checked; the DHCP payload itself goes to dhcp_msg_decode().
 */
#ifndef DHCPXDP_FRAME_IN_H
#define DHCPXDP_FRAME_IN_H

#include <stddef.h>
#include <stdint.h>

enum frame_in_err {
	FRAME_IN_OK = 0,
	FRAME_IN_TRUNCATED, /* ends inside a header */
	FRAME_IN_NOT_IPV4,  /* other ethertype, or tags other than QinQ */
	FRAME_IN_BAD_IP,    /* version, IHL, total length */
	FRAME_IN_FRAGMENT,  /* IPv4 fragment (DHCP never fragments) */
	FRAME_IN_NOT_DHCP,  /* not UDP to port 67 */
	FRAME_IN_BAD_UDP,   /* UDP length inconsistent */
	FRAME_IN_BAD_CSUM,  /* IPv4 header checksum wrong */
	FRAME_IN_ERR_MAX,
};

struct frame_in {
	uint8_t src_mac[6];
	uint8_t dst_mac[6];
	uint16_t vlan;	 /* 802.1Q (C-tag) VLAN id, 0 when untagged */
	uint16_t svlan;	 /* 802.1ad S-tag VLAN id (QinQ), 0 without */
	uint32_t src_ip; /* host order */
	uint32_t dst_ip;
	uint16_t src_port;
	const uint8_t *dhcp; /* points into the frame */
	size_t dhcp_len;
};

/* 0 (FRAME_IN_OK) or an enum frame_in_err. */
int frame_in_parse(const uint8_t *f, size_t len, struct frame_in *out);
const char *frame_in_strerror(int err);

#endif /* DHCPXDP_FRAME_IN_H */
