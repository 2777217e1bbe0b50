// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Client request frames and reply parsing for the load generator; see
 * lg_msg.h. Addressing follows RFC 2131 §4.1 and §4.4: a client without
 * an address broadcasts from 0.0.0.0; a RENEWING REQUEST and a RELEASE
 * go unicast to the server from ciaddr; a REBINDING REQUEST is broadcast
 * from ciaddr. A relay (RFC 1542 §4) sends everything unicast from
 * giaddr:67 to the server:67 with hops 1 and its option 82 last.
 * The frames are laid out by tests/lib/frame.c. A reply's UDP checksum
 * is not verified: one sent through a UDP socket on a veth arrives with
 * the checksum left to an offload that never happens.
 */
#include "lg_msg.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <dhcpxdp/dhcp_wire.h>

#include "frame.h"

#define ETH_LEN	  14
#define VLAN_HLEN 4
#define IP_HLEN	  20
#define UDP_HLEN  8
#define IP_BCAST  0xffffffffU

static uint16_t get16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return ntohs(v);
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return ntohl(v);
}

/* Option 82 as a relay appends it (RFC 3046 §2.0): circuit-id "portN",
 * then the remote-id when there is one. */
static void add_relay_info(struct frame_spec *s, const struct lg_link *l,
			   uint32_t circuit)
{
	size_t rid = strnlen(l->remote_id, sizeof(l->remote_id));
	uint8_t v[2 + 16 + 2 + sizeof(l->remote_id)];
	int n;

	n = snprintf((char *)v + 2, 16, "port%u", circuit % 100000);
	v[0] = RFC3046_SUBOPT_CIRCUIT_ID;
	v[1] = (uint8_t)n;
	if (rid) {
		v[2 + n] = RFC3046_SUBOPT_REMOTE_ID;
		v[3 + n] = (uint8_t)rid;
		memcpy(v + 4 + n, l->remote_id, rid);
	}
	opt_add(s, DHCP_OPT_RELAY_AGENT_INFO,
		(uint8_t)(2 + n + (rid ? 2 + rid : 0)), v);
}

/* The options of the request, RFC 2132. */
static void add_options(struct frame_spec *s, const struct lg_link *l,
			const struct lg_req *r)
{
	static const uint8_t type[LG_KIND_MAX] = {DHCPDISCOVER, DHCPREQUEST,
						  DHCPREQUEST, DHCPREQUEST,
						  DHCPRELEASE};
	static const uint8_t prl[] = {DHCP_OPT_SUBNET_MASK, DHCP_OPT_ROUTER,
				      DHCP_OPT_DNS_SERVERS,
				      DHCP_OPT_DOMAIN_NAME};

	opt_add_u8(s, DHCP_OPT_MSG_TYPE, type[r->kind]);
	if (r->kind == LG_REQUEST_SELECTING)
		opt_add_ip(s, DHCP_OPT_REQUESTED_IP, r->requested_ip);
	/* RFC 2131 §4.3.2: 54 only while SELECTING; a RELEASE names it too. */
	if (r->kind == LG_REQUEST_SELECTING || r->kind == LG_RELEASE)
		opt_add_ip(s, DHCP_OPT_SERVER_ID, r->server_id);
	if (r->kind != LG_RELEASE)
		opt_add(s, DHCP_OPT_PARAM_REQUEST, sizeof(prl), prl);
	if (l->giaddr && !l->no_relay_info)
		add_relay_info(s, l, r->circuit);
	opt_end(s);
}

/* Ethernet and IP addresses of the request (see the top of the file). */
static void address(struct frame_spec *s, const struct lg_link *l,
		    const struct lg_req *r)
{
	bool unicast = l->giaddr || r->kind == LG_REQUEST_RENEWING ||
		       r->kind == LG_RELEASE;

	if (l->giaddr) {
		memcpy(s->src_mac, l->if_mac, 6);
		s->src_ip = l->giaddr;
		s->sport = DHCP_SERVER_PORT;
	} else if (r->kind >= LG_REQUEST_RENEWING) {
		s->src_ip = r->ciaddr;
	}
	if (unicast) {
		memcpy(s->dst_mac, l->server_mac, 6);
		s->dst_ip = l->server_ip;
	}
}

int lg_msg_build(uint8_t *buf, size_t cap, const struct lg_link *l,
		 const struct lg_req *r)
{
	struct frame_spec s;
	size_t len;

	if ((unsigned)r->kind >= LG_KIND_MAX || l->vlan > 4094)
		return -EINVAL;
	/* A broadcast BOOTREQUEST from chaddr, 68 -> 67, 0.0.0.0. */
	frame_spec_init(&s, r->chaddr, r->xid);
	s.vlan = l->vlan ? l->vlan : -1;
	s.hops = l->giaddr ? 1 : 0;
	s.giaddr = l->giaddr;
	if (r->kind >= LG_REQUEST_RENEWING)
		s.ciaddr = r->ciaddr;
	/* RFC 951: a BOOTP message is at least 300 bytes. */
	s.min_dhcp_len = DHCP_MIN_LEN;
	address(&s, l, r);
	add_options(&s, l, r);
	len = frame_build(&s, buf, cap);
	return len ? (int)len : -ENOSPC;
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
	    inet_csum(ip, ihl, 0) != 0)
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
