// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <string.h>
#include <dhcpxdp/dhcp_wire.h>
#include "wire/frame_in.h"

#define ETH_HLEN_     14
#define VLAN_HLEN_    4
#define ETH_P_IP_     0x0800
#define ETH_P_8021Q_  0x8100
#define ETH_P_8021AD_ 0x88a8
#define IPPROTO_UDP_  17

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* RFC 1071 one's complement sum of `len` bytes, not complemented. */
static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += get16(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

int frame_in_parse(const uint8_t *f, size_t len, struct frame_in *out)
{
	size_t off = ETH_HLEN_, ihl, tot, ulen;
	const uint8_t *ip, *udp;
	uint16_t proto;

	memset(out, 0, sizeof(*out));
	if (len < ETH_HLEN_)
		return FRAME_IN_TRUNCATED;
	memcpy(out->dst_mac, f, 6);
	memcpy(out->src_mac, f + 6, 6);
	proto = get16(f + 12);
	/* QinQ (IEEE 802.1ad): an S-tag, then the C-tag; as bpf/parse.h. */
	if (proto == ETH_P_8021AD_) {
		if (len < off + VLAN_HLEN_)
			return FRAME_IN_TRUNCATED;
		out->svlan = get16(f + off) & 0x0fff;
		proto = get16(f + off + 2);
		off += VLAN_HLEN_;
		if (proto != ETH_P_8021Q_ || !out->svlan)
			return FRAME_IN_NOT_IPV4;
	}
	if (proto == ETH_P_8021Q_) {
		if (len < off + VLAN_HLEN_)
			return FRAME_IN_TRUNCATED;
		out->vlan = get16(f + off) & 0x0fff;
		proto = get16(f + off + 2);
		off += VLAN_HLEN_;
		if (out->svlan && !out->vlan)
			return FRAME_IN_NOT_IPV4;
	}
	if (proto != ETH_P_IP_)
		return FRAME_IN_NOT_IPV4;

	ip = f + off;
	if (len < off + 20)
		return FRAME_IN_TRUNCATED;
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	tot = get16(ip + 2);
	if ((ip[0] >> 4) != 4 || ihl < 20 || tot < ihl)
		return FRAME_IN_BAD_IP;
	/* Ethernet may pad short frames: the IP length rules. */
	if (len < off + tot)
		return FRAME_IN_BAD_IP;
	if (get16(ip + 6) & 0x3fff)
		return FRAME_IN_FRAGMENT;
	if (csum_fold(csum_add(0, ip, ihl)) != 0xffff)
		return FRAME_IN_BAD_CSUM;
	if (ip[9] != IPPROTO_UDP_)
		return FRAME_IN_NOT_DHCP;
	if (tot < ihl + 8)
		return FRAME_IN_TRUNCATED;
	udp = ip + ihl;
	if (get16(udp + 2) != DHCP_SERVER_PORT)
		return FRAME_IN_NOT_DHCP;
	ulen = get16(udp + 4);
	if (ulen < 8 || ulen > tot - ihl)
		return FRAME_IN_BAD_UDP;
	/*
	 * The UDP checksum is not verified: a frame sent by a local socket
	 * with checksum offload (a veth, a VM's virtio NIC) is read from a
	 * packet socket with only the pseudo-header sum in place. The DHCP
	 * decoder bounds-checks every byte it reads instead.
	 */
	out->src_ip = get32(ip + 12);
	out->dst_ip = get32(ip + 16);
	out->src_port = get16(udp);
	out->dhcp = udp + 8;
	out->dhcp_len = ulen - 8;
	return FRAME_IN_OK;
}

const char *frame_in_strerror(int err)
{
	static const char *const names[FRAME_IN_ERR_MAX] = {
		[FRAME_IN_OK] = "ok",
		[FRAME_IN_TRUNCATED] = "truncated",
		[FRAME_IN_NOT_IPV4] = "not IPv4",
		[FRAME_IN_BAD_IP] = "bad IPv4 header",
		[FRAME_IN_FRAGMENT] = "IPv4 fragment",
		[FRAME_IN_NOT_DHCP] = "not UDP to port 67",
		[FRAME_IN_BAD_UDP] = "bad UDP length",
		[FRAME_IN_BAD_CSUM] = "bad checksum",
	};

	return err >= 0 && err < FRAME_IN_ERR_MAX ? names[err] : "?";
}
