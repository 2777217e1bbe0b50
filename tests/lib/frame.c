// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <arpa/inet.h>
#include <string.h>
#include "frame.h"

#define DHCP_MAGIC 0x63825363U

void frame_spec_init(struct frame_spec *s, const uint8_t mac[6], uint32_t xid)
{
	memset(s, 0, sizeof(*s));
	memcpy(s->src_mac, mac, 6);
	memset(s->dst_mac, 0xff, 6);
	s->vlan = -1;
	s->dst_ip = 0xffffffff;
	s->sport = 68;
	s->dport = 67;
	s->op = 1;
	s->htype = 1;
	s->hlen = 6;
	s->xid = xid;
	memcpy(s->chaddr, mac, 6);
}

void opt_add(struct frame_spec *s, uint8_t code, uint8_t len, const void *data)
{
	s->opts[s->opts_len++] = code;
	s->opts[s->opts_len++] = len;
	if (len) /* an empty option may come with no data at all */
		memcpy(s->opts + s->opts_len, data, len);
	s->opts_len += len;
}

void opt_add_u8(struct frame_spec *s, uint8_t code, uint8_t v)
{
	opt_add(s, code, 1, &v);
}

void opt_add_ip(struct frame_spec *s, uint8_t code, uint32_t ip_host)
{
	uint32_t n = htonl(ip_host);

	opt_add(s, code, 4, &n);
}

void opt_end(struct frame_spec *s)
{
	s->opts[s->opts_len++] = 255;
}

uint16_t inet_csum(const void *data, size_t len, uint32_t seed)
{
	const uint8_t *p = data;
	uint64_t sum = seed;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t udp_csum_verify(const uint8_t *ip, const uint8_t *udp, size_t len)
{
	uint32_t seed = 0;
	int i;

	/* pseudo header: saddr, daddr, zero, proto, UDP length */
	for (i = 12; i < 20; i += 2)
		seed += (uint32_t)(ip[i] << 8 | ip[i + 1]);
	seed += 17 + (uint32_t)len;
	return inet_csum(udp, len, seed);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

int frame_parse(const uint8_t *f, size_t len, struct frame_view *v)
{
	const uint8_t *ip, *udp;
	size_t l2 = 14, ulen;

	memset(v, 0, sizeof(*v));
	v->vlan = -1;
	v->svlan = -1;
	if (len < l2)
		return -1;
	memcpy(v->dst_mac, f, 6);
	memcpy(v->src_mac, f + 6, 6);
	if (get16(f + 12) == 0x88a8) {
		l2 = 18;
		if (len < l2 + 4 || get16(f + 16) != 0x8100)
			return -1;
		v->svlan = get16(f + 14) & 0x0fff;
	}
	if (get16(f + l2 - 2) == 0x8100) {
		l2 += 4;
		if (len < l2)
			return -1;
		v->vlan = get16(f + l2 - 4) & 0x0fff;
	}
	if (get16(f + l2 - 2) != 0x0800 || len < l2 + 28)
		return -1;
	ip = f + l2;
	udp = ip + 20;
	if (ip[0] != 0x45 || ip[9] != 17 || inet_csum(ip, 20, 0) ||
	    get16(ip + 2) != len - l2)
		return -1;
	ulen = get16(udp + 4);
	if (ulen != len - l2 - 20 || udp_csum_verify(ip, udp, ulen))
		return -1;
	v->src_ip = get32(ip + 12);
	v->dst_ip = get32(ip + 16);
	v->sport = get16(udp);
	v->dport = get16(udp + 2);
	v->payload = udp + 8;
	v->payload_len = ulen - 8;
	return 0;
}

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

size_t frame_l2_len(const struct frame_spec *s)
{
	return 14 + (s->vlan >= 0 ? 4 : 0) + (s->svlan > 0 ? 4 : 0);
}

size_t frame_build(const struct frame_spec *s, uint8_t *buf, size_t cap)
{
	size_t l2 = frame_l2_len(s);
	size_t ihl = s->ihl ? s->ihl : 5;
	size_t dhcp_len = 240 + s->opts_len;
	uint8_t *ip, *udp, *d;
	size_t total;

	if (dhcp_len < s->min_dhcp_len)
		dhcp_len = s->min_dhcp_len;
	total = l2 + ihl * 4 + 8 + dhcp_len;
	if (total > cap)
		return 0;
	memset(buf, 0, total);
	memcpy(buf, s->dst_mac, 6);
	memcpy(buf + 6, s->src_mac, 6);
	if (s->svlan > 0) {
		put16(buf + 12, 0x88a8);
		put16(buf + 14, (uint16_t)s->svlan);
		put16(buf + 16, 0x8100);
		put16(buf + 18, (uint16_t)(s->vlan >= 0 ? s->vlan : 0));
		put16(buf + 20, 0x0800);
	} else if (s->vlan >= 0) {
		put16(buf + 12, 0x8100);
		put16(buf + 14, (uint16_t)s->vlan);
		put16(buf + 16, 0x0800);
	} else {
		put16(buf + 12, 0x0800);
	}
	ip = buf + l2;
	ip[0] = 0x40 | (ihl & 0xf);
	put16(ip + 2, (uint16_t)(ihl * 4 + 8 + dhcp_len));
	put16(ip + 6, s->frag_off);
	ip[8] = 64;
	ip[9] = s->proto ? s->proto : 17;
	put32(ip + 12, s->src_ip);
	put32(ip + 16, s->dst_ip);
	put16(ip + 10, inet_csum(ip, ihl * 4 < 20 ? 20 : ihl * 4, 0));

	udp = ip + (ihl < 5 ? 5 : ihl) * 4;
	if (ihl < 5) /* nonsense header length: lay out as if 20 bytes */
		total = l2 + 20 + 8 + dhcp_len;
	put16(udp, s->sport);
	put16(udp + 2, s->dport);
	put16(udp + 4, (uint16_t)(8 + dhcp_len));

	d = udp + 8;
	d[0] = s->op;
	d[1] = s->htype;
	d[2] = s->hlen;
	d[3] = s->hops;
	put32(d + 4, s->xid);
	put16(d + 8, s->secs);
	put16(d + 10, s->flags);
	put32(d + 12, s->ciaddr);
	put32(d + 16, s->yiaddr);
	put32(d + 24, s->giaddr);
	memcpy(d + 28, s->chaddr, 16);
	memcpy(d + 44, s->sname, sizeof(s->sname));
	memcpy(d + 108, s->file, sizeof(s->file));
	put32(d + 236, s->cookie ? s->cookie : DHCP_MAGIC);
	memcpy(d + 240, s->opts, s->opts_len);
	put16(udp + 6, 0);
	put16(udp + 6, udp_csum_verify(ip, udp, 8 + dhcp_len));
	return total;
}

size_t frame_discover(uint8_t *buf, size_t cap, const uint8_t mac[6],
		      uint32_t xid, int vlan)
{
	struct frame_spec s;

	frame_spec_init(&s, mac, xid);
	s.vlan = vlan;
	opt_add_u8(&s, 53, 1); /* DHCP message type: DHCPDISCOVER */
	opt_end(&s);
	return frame_build(&s, buf, cap);
}
