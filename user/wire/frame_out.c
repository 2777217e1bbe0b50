// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Ethernet/IPv4/UDP framing of DHCP replies and RFC 2131 §4.1 reply
 * addressing.
 */
#include <errno.h>
#include <string.h>
#include <dhcpxdp/dhcp_wire.h>
#include "wire/frame_out.h"

#define ETH_HLEN_     14
#define VLAN_HLEN_    4
#define IP_HLEN_      20
#define UDP_HLEN_     8
#define VLAN_VID_MAX_ 4094

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/* RFC 1071: 32-bit accumulation of 16-bit big-endian words. */
static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

int frame_out_build(uint8_t *buf, size_t cap, const struct frame_out *f,
		    const uint8_t *dhcp, size_t dhcp_len, size_t *out_len)
{
	size_t l2, total, udp_len;
	uint8_t *ip, *udp;
	uint32_t sum;

	if (!buf || !f || (!dhcp && dhcp_len) || !out_len ||
	    f->vlan > VLAN_VID_MAX_ || f->svlan > VLAN_VID_MAX_ ||
	    (f->svlan && !f->vlan))
		return -EINVAL;
	if (dhcp_len > 0xffff - IP_HLEN_ - UDP_HLEN_)
		return -EMSGSIZE;
	l2 = ETH_HLEN_ + (f->vlan ? VLAN_HLEN_ : 0) +
	     (f->svlan ? VLAN_HLEN_ : 0);
	udp_len = UDP_HLEN_ + dhcp_len;
	total = l2 + IP_HLEN_ + udp_len;
	if (total > cap)
		return -ENOSPC;

	memcpy(buf, f->dst_mac, 6);
	memcpy(buf + 6, f->src_mac, 6);
	if (f->svlan) {
		/* QinQ, IEEE 802.1ad: the S-tag (TPID 0x88a8), then the
		 * C-tag; both PCP 0, DEI 0. */
		put16(buf + 12, 0x88a8);
		put16(buf + 14, f->svlan);
		put16(buf + 16, 0x8100);
		put16(buf + 18, f->vlan);
		put16(buf + 20, 0x0800);
	} else if (f->vlan) {
		/* 802.1Q: TPID, then TCI = PCP 0, DEI 0, VID. */
		put16(buf + 12, 0x8100);
		put16(buf + 14, f->vlan);
		put16(buf + 16, 0x0800);
	} else {
		put16(buf + 12, 0x0800);
	}

	ip = buf + l2;
	ip[0] = 0x45; /* version 4, IHL 5 */
	ip[1] = 0;    /* TOS */
	put16(ip + 2, (uint16_t)(IP_HLEN_ + udp_len));
	put16(ip + 4, 0); /* id: never fragmented, RFC 6864 §4.1 */
	put16(ip + 6, 0); /* flags (DF clear) and fragment offset */
	ip[8] = 64;	  /* TTL */
	ip[9] = 17;	  /* UDP */
	put16(ip + 10, 0);
	put32(ip + 12, f->src_ip);
	put32(ip + 16, f->dst_ip);
	put16(ip + 10, csum_fold(csum_add(0, ip, IP_HLEN_)));

	udp = ip + IP_HLEN_;
	put16(udp, DHCP_SERVER_PORT);
	put16(udp + 2, f->dst_port);
	put16(udp + 4, (uint16_t)udp_len);
	put16(udp + 6, 0);
	if (dhcp_len)
		memmove(udp + UDP_HLEN_, dhcp, dhcp_len);

	/* RFC 768: pseudo-header (saddr, daddr, zero, protocol, UDP
	 * length), then header and data; a computed 0 is sent as 0xffff,
	 * since 0 means "no checksum". */
	sum = csum_add(0, ip + 12, 8);
	sum += 17 + (uint32_t)udp_len;
	sum = csum_add(sum, udp, udp_len);
	{
		uint16_t c = csum_fold(sum);

		put16(udp + 6, c ? c : 0xffff);
	}
	*out_len = total;
	return 0;
}

static const uint8_t bcast_mac[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

static void to_broadcast(struct frame_out *f)
{
	memcpy(f->dst_mac, bcast_mac, 6);
	f->dst_ip = 0xffffffffU;
	f->dst_port = DHCP_CLIENT_PORT;
}

void frame_out_address(struct frame_out *f, uint32_t giaddr, uint32_t ciaddr,
		       uint16_t flags, uint32_t yiaddr, const uint8_t chaddr[6],
		       const uint8_t req_src_mac[6], int msg_type)
{
	if (!f || !chaddr || !req_src_mac)
		return;
	/* RFC 2131 §4.1: "If the 'giaddr' field in a DHCP message from a
	 * client is non-zero, the server sends any return messages to the
	 * 'DHCP server' port on the BOOTP relay agent whose address
	 * appears in 'giaddr'." The relay (or the router towards it) is
	 * the Ethernet sender of the request, so no ARP is needed. */
	if (giaddr) {
		memcpy(f->dst_mac, req_src_mac, 6);
		f->dst_ip = giaddr;
		f->dst_port = DHCP_SERVER_PORT;
		return;
	}
	/* "In all cases, when 'giaddr' is zero, the server broadcasts any
	 * DHCPNAK messages to 0xffffffff." */
	if (msg_type == DHCPNAK) {
		to_broadcast(f);
		return;
	}
	/* "If the 'giaddr' field is zero and the 'ciaddr' field is
	 * nonzero, then the server unicasts DHCPOFFER and DHCPACK messages
	 * to the address in 'ciaddr'." The client owns ciaddr and sent
	 * the request itself, so its Ethernet source is where ciaddr is. */
	if (ciaddr) {
		memcpy(f->dst_mac, req_src_mac, 6);
		f->dst_ip = ciaddr;
		f->dst_port = DHCP_CLIENT_PORT;
		return;
	}
	/* "If 'giaddr' is zero and 'ciaddr' is zero, and the broadcast bit
	 * is set, then the server broadcasts DHCPOFFER and DHCPACK
	 * messages to 0xffffffff. If the broadcast bit is not set [...]
	 * the server unicasts DHCPOFFER and DHCPACK messages to the
	 * client's hardware address and 'yiaddr' address." Without a
	 * yiaddr there is nothing to unicast to: broadcast. */
	if ((flags & DHCP_FLAG_BROADCAST) || !yiaddr) {
		to_broadcast(f);
		return;
	}
	memcpy(f->dst_mac, chaddr, 6);
	f->dst_ip = yiaddr;
	f->dst_port = DHCP_CLIENT_PORT;
}
