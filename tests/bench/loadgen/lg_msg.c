// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Client request frames and reply parsing for the load generator; see
 * lg_msg.h. Addressing follows RFC 2131 §4.1 and §4.4: a client without
 * an address broadcasts from 0.0.0.0; a RENEWING REQUEST and a RELEASE
 * go unicast to the server from ciaddr; a REBINDING REQUEST is broadcast
 * from ciaddr. A relay (RFC 1542 §4) sends everything unicast from
 * giaddr:67 to the server:67 with hops 1 and its option 82 last.
 */
#include "lg_msg.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <dhcpxdp/dhcp_wire.h>

#define ETH_LEN	  14
#define VLAN_HLEN 4
#define IP_HLEN	  20
#define UDP_HLEN  8
#define IP_BCAST  0xffffffffU

static const uint8_t bcast_mac[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

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
	return (uint16_t)~sum;
}

/* Options of the request, RFC 2132; returns the end of what it wrote. */
static uint8_t *put_options(uint8_t *o, const struct lg_link *l,
			    const struct lg_req *r)
{
	static const uint8_t type[LG_KIND_MAX] = {DHCPDISCOVER, DHCPREQUEST,
						  DHCPREQUEST, DHCPREQUEST,
						  DHCPRELEASE};
	static const uint8_t prl[] = {DHCP_OPT_SUBNET_MASK, DHCP_OPT_ROUTER,
				      DHCP_OPT_DNS_SERVERS,
				      DHCP_OPT_DOMAIN_NAME};
	int n;

	*o++ = DHCP_OPT_MSG_TYPE;
	*o++ = 1;
	*o++ = type[r->kind];
	if (r->kind == LG_REQUEST_SELECTING) {
		*o++ = DHCP_OPT_REQUESTED_IP;
		*o++ = 4;
		put32(o, r->requested_ip);
		o += 4;
	}
	/* RFC 2131 §4.3.2: 54 only while SELECTING; a RELEASE names it too. */
	if (r->kind == LG_REQUEST_SELECTING || r->kind == LG_RELEASE) {
		*o++ = DHCP_OPT_SERVER_ID;
		*o++ = 4;
		put32(o, r->server_id);
		o += 4;
	}
	if (r->kind != LG_RELEASE) {
		*o++ = DHCP_OPT_PARAM_REQUEST;
		*o++ = sizeof(prl);
		memcpy(o, prl, sizeof(prl));
		o += sizeof(prl);
	}
	if (l->giaddr) {
		/* RFC 3046 §2.0: the relay appends 82 as the last option. */
		size_t rid = strnlen(l->remote_id, sizeof(l->remote_id));
		char cid[16];

		n = snprintf(cid, sizeof(cid), "port%u", r->circuit % 100000);
		*o++ = DHCP_OPT_RELAY_AGENT_INFO;
		*o++ = (uint8_t)(2 + n + (rid ? 2 + rid : 0));
		*o++ = RFC3046_SUBOPT_CIRCUIT_ID;
		*o++ = (uint8_t)n;
		memcpy(o, cid, n);
		o += n;
		if (rid) {
			*o++ = RFC3046_SUBOPT_REMOTE_ID;
			*o++ = (uint8_t)rid;
			memcpy(o, l->remote_id, rid);
			o += rid;
		}
	}
	*o++ = DHCP_OPT_END;
	return o;
}

/* The BOOTP message at `d`, padded to 300 bytes (RFC 951); its length. */
static size_t put_bootp(uint8_t *d, const struct lg_link *l,
			const struct lg_req *r)
{
	size_t len;

	memset(d, 0, DHCP_MIN_LEN);
	d[DHCP_OFF_OP] = BOOTREQUEST;
	d[DHCP_OFF_HTYPE] = DHCP_HTYPE_ETHER;
	d[DHCP_OFF_HLEN] = DHCP_HLEN_ETHER;
	d[DHCP_OFF_HOPS] = l->giaddr ? 1 : 0;
	put32(d + DHCP_OFF_XID, r->xid);
	if (r->kind >= LG_REQUEST_RENEWING)
		put32(d + DHCP_OFF_CIADDR, r->ciaddr);
	put32(d + DHCP_OFF_GIADDR, l->giaddr);
	memcpy(d + DHCP_OFF_CHADDR, r->chaddr, 6);
	put32(d + DHCP_OFF_COOKIE, DHCP_MAGIC_COOKIE);
	len = (size_t)(put_options(d + DHCP_OPTIONS_OFFSET, l, r) - d);
	return len < DHCP_MIN_LEN ? DHCP_MIN_LEN : len;
}

/* Ethernet and IP addresses of the request (see the top of the file). */
static void address(const struct lg_link *l, const struct lg_req *r,
		    const uint8_t **smac, const uint8_t **dmac, uint32_t *sip,
		    uint32_t *dip, uint16_t *sport)
{
	bool unicast = l->giaddr || r->kind == LG_REQUEST_RENEWING ||
		       r->kind == LG_RELEASE;

	*smac = l->giaddr ? l->if_mac : r->chaddr;
	*dmac = unicast ? l->server_mac : bcast_mac;
	*dip = unicast ? l->server_ip : IP_BCAST;
	*sport = l->giaddr ? DHCP_SERVER_PORT : DHCP_CLIENT_PORT;
	if (l->giaddr)
		*sip = l->giaddr;
	else
		*sip = r->kind >= LG_REQUEST_RENEWING ? r->ciaddr : 0;
}

int lg_msg_build(uint8_t *buf, size_t cap, const struct lg_link *l,
		 const struct lg_req *r)
{
	size_t l2 = ETH_LEN + (l->vlan ? VLAN_HLEN : 0), dlen, ulen;
	const uint8_t *smac, *dmac;
	uint32_t sip, dip, sum;
	uint16_t sport;
	uint8_t *ip, *udp;

	if ((unsigned)r->kind >= LG_KIND_MAX || l->vlan > 4094)
		return -EINVAL;
	if (cap < l2 + IP_HLEN + UDP_HLEN + DHCP_MIN_LEN + 64)
		return -ENOSPC;
	address(l, r, &smac, &dmac, &sip, &dip, &sport);
	memcpy(buf, dmac, 6);
	memcpy(buf + 6, smac, 6);
	if (l->vlan) {
		put16(buf + 12, 0x8100);
		put16(buf + 14, l->vlan);
	}
	put16(buf + l2 - 2, 0x0800);
	ip = buf + l2;
	udp = ip + IP_HLEN;
	dlen = put_bootp(udp + UDP_HLEN, l, r);
	ulen = UDP_HLEN + dlen;

	memset(ip, 0, IP_HLEN);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(IP_HLEN + ulen));
	ip[8] = 64;
	ip[9] = 17;
	put32(ip + 12, sip);
	put32(ip + 16, dip);
	put16(ip + 10, csum_fold(csum_add(0, ip, IP_HLEN)));

	put16(udp, sport);
	put16(udp + 2, DHCP_SERVER_PORT);
	put16(udp + 4, (uint16_t)ulen);
	put16(udp + 6, 0);
	/* RFC 768 pseudo-header: addresses, protocol, UDP length. */
	sum = csum_add(17 + (uint32_t)ulen, ip + 12, 8);
	sum = csum_fold(csum_add(sum, udp, ulen));
	put16(udp + 6, sum ? (uint16_t)sum : 0xffff);
	return (int)(l2 + IP_HLEN + ulen);
}

/* Options 53, 54, 51, 58, 59 and 82 of the reply, from the options field
 * only: servers answering a load generator do not overload. */
static int parse_options(const uint8_t *o, size_t len, struct lg_reply *r)
{
	size_t i = 0;

	while (i < len) {
		uint8_t code = o[i], n;

		if (code == DHCP_OPT_END)
			return 0;
		if (code == DHCP_OPT_PAD) {
			i++;
			continue;
		}
		if (i + 2 > len || i + 2 + o[i + 1] > len)
			return -EINVAL;
		n = o[i + 1];
		if (code == DHCP_OPT_MSG_TYPE && n == 1)
			r->msg_type = o[i + 2];
		else if (code == DHCP_OPT_SERVER_ID && n == 4)
			r->server_id = get32(o + i + 2);
		else if (code == DHCP_OPT_LEASE_TIME && n == 4)
			r->lease_time = get32(o + i + 2);
		else if (code == DHCP_OPT_RENEWAL_TIME && n == 4)
			r->t1 = get32(o + i + 2);
		else if (code == DHCP_OPT_REBINDING_TIME && n == 4)
			r->t2 = get32(o + i + 2);
		else if (code == DHCP_OPT_RELAY_AGENT_INFO)
			r->relay_info = true;
		i += 2 + (size_t)n;
	}
	return -EINVAL;
}

int lg_reply_parse(const uint8_t *f, size_t len, uint16_t vlan_meta,
		   uint16_t port, struct lg_reply *r)
{
	size_t l2 = ETH_LEN, ihl, ulen;
	const uint8_t *ip, *udp, *d;

	memset(r, 0, sizeof(*r));
	if (len < ETH_LEN)
		return -EINVAL;
	memcpy(r->src_mac, f + 6, 6);
	r->vlan = vlan_meta & 0xfff;
	if (get16(f + 12) == 0x8100) {
		if (len < ETH_LEN + VLAN_HLEN)
			return -EINVAL;
		r->vlan = get16(f + 14) & 0xfff;
		l2 += VLAN_HLEN;
	}
	if (get16(f + l2 - 2) != 0x0800 || len < l2 + IP_HLEN)
		return -EINVAL;
	ip = f + l2;
	ihl = (size_t)(ip[0] & 0xf) * 4;
	if ((ip[0] >> 4) != 4 || ihl < IP_HLEN || ip[9] != 17 ||
	    (get16(ip + 6) & 0x3fff) || len < l2 + ihl + UDP_HLEN ||
	    csum_fold(csum_add(0, ip, ihl)) != 0)
		return -EINVAL;
	udp = ip + ihl;
	ulen = get16(udp + 4);
	if (get16(udp + 2) != port || ulen < UDP_HLEN + DHCP_OPTIONS_OFFSET ||
	    (size_t)(udp - f) + ulen > len)
		return -EINVAL;
	r->dport = port;
	d = udp + UDP_HLEN;
	if (d[DHCP_OFF_OP] != BOOTREPLY ||
	    get32(d + DHCP_OFF_COOKIE) != DHCP_MAGIC_COOKIE)
		return -EINVAL;
	r->xid = get32(d + DHCP_OFF_XID);
	r->yiaddr = get32(d + DHCP_OFF_YIADDR);
	memcpy(r->chaddr, d + DHCP_OFF_CHADDR, 6);
	return parse_options(d + DHCP_OPTIONS_OFFSET,
			     ulen - UDP_HLEN - DHCP_OPTIONS_OFFSET, r);
}
