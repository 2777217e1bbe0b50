/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Crafting DHCP request frames for tests and benchmarks, and checking
 * replies with checksum code independent of the XDP program's.
 */
#ifndef DHCPXDP_TEST_FRAME_H
#define DHCPXDP_TEST_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FRAME_MAX 2048

struct frame_spec {
	uint8_t src_mac[6];
	uint8_t dst_mac[6];
	int vlan;  /* -1: untagged */
	int svlan; /* 802.1ad S-tag TCI in front of the C-tag; 0: none */
	uint32_t src_ip, dst_ip; /* host order */
	uint16_t sport, dport;
	uint8_t ihl;	   /* 0: 5 */
	uint16_t frag_off; /* host order, raw field */
	uint8_t proto;	   /* 0: UDP */
	uint8_t op, htype, hlen, hops;
	uint32_t xid;
	uint16_t secs, flags;		 /* host order */
	uint32_t ciaddr, yiaddr, giaddr; /* host order */
	uint8_t chaddr[16];
	char sname[64];
	char file[128];
	uint32_t cookie; /* host order; 0 means the DHCP magic cookie */
	uint8_t opts[1500];
	size_t opts_len;
	size_t min_dhcp_len; /* pad the payload with zeros up to this */
};

/* A DHCP REQUEST/DISCOVER skeleton from `mac`: Ethernet broadcast, UDP
 * 68 -> 67, op 1, htype 1, hlen 6, xid, cookie; no options yet. */
void frame_spec_init(struct frame_spec *s, const uint8_t mac[6], uint32_t xid);
void opt_add(struct frame_spec *s, uint8_t code, uint8_t len, const void *data);
void opt_add_u8(struct frame_spec *s, uint8_t code, uint8_t v);
void opt_add_ip(struct frame_spec *s, uint8_t code, uint32_t ip_host);
void opt_end(struct frame_spec *s);

/* Serialise the spec; checksums are correct. Returns the frame length. */
/* Ethernet header length of the spec's frame: 14, 18 or 22 (QinQ). */
size_t frame_l2_len(const struct frame_spec *s);
size_t frame_build(const struct frame_spec *s, uint8_t *buf, size_t cap);

/* The headers of a frame, host order: what frame_parse() read. */
struct frame_view {
	uint8_t dst_mac[6], src_mac[6];
	int vlan;  /* VLAN id, -1: untagged */
	int svlan; /* 802.1ad S-tag VLAN id, -1: none */
	uint32_t src_ip, dst_ip;
	uint16_t sport, dport;
	const uint8_t *payload; /* the UDP payload, inside the frame */
	size_t payload_len;
};

/*
 * Read a frame as frame_build() writes them: Ethernet with at most one
 * 802.1Q tag (behind an 802.1ad one for QinQ), IPv4 without options, UDP; both checksums must be right
 * and the lengths consistent. 0, or -1 for anything else.
 */
int frame_parse(const uint8_t *f, size_t len, struct frame_view *v);

/* A broadcast DISCOVER from `mac` with `xid` and options 53 and END only,
 * tagged with 802.1Q TCI `vlan` (-1: untagged). Returns its length. */
size_t frame_discover(uint8_t *buf, size_t cap, const uint8_t mac[6],
		      uint32_t xid, int vlan);

/* RFC 1071 sum of `len` bytes, folded and complemented. */
uint16_t inet_csum(const void *data, size_t len, uint32_t seed);
/* Sum of the UDP pseudo-header plus datagram; 0 when the checksum in
 * the datagram is correct. ip points to a 20-byte header. */
uint16_t udp_csum_verify(const uint8_t *ip, const uint8_t *udp, size_t len);

#endif
