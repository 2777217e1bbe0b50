// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The checks of an XDP_TX reply against the request it answers
 * (xdp_fuzz.h), with parsing and checksum code of their own, independent
 * of the program's and of the daemon's.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <dhcpxdp/dhcp_wire.h>
#include "frame.h"
#include "xdp_fuzz.h"

/* What the checks need of a request or a reply. */
struct msg_view {
	size_t l2;
	int vlan;     /* -1: untagged */
	uint16_t tci; /* as received */
	const uint8_t *eth, *ip, *udp, *d;
	size_t frame_len, ip_len, udp_len, d_len;
	/* the options, by code: offset of the value in d, and the count */
	uint16_t opt_off[256];
	uint8_t opt_len[256], opt_cnt[256];
	size_t end_off; /* the END byte */
};

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

static int fail(char *why, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(char *why, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, n, fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * Ethernet with at most one 802.1Q tag, IPv4 with a 20-byte header, UDP,
 * BOOTP with the cookie, options walking to END (RFC 2132 §2) inside the
 * UDP payload. Lengths are taken from the headers as they are and checked
 * against the frame only as far as reading needs.
 */
static int view_of(const uint8_t *f, size_t len, struct msg_view *v, char *why,
		   size_t n)
{
	size_t o;

	memset(v, 0, sizeof(*v));
	v->vlan = -1;
	v->eth = f;
	v->frame_len = len;
	v->l2 = 14;
	if (len < 14)
		return fail(why, n, "shorter than an Ethernet header");
	if (get16(f + 12) == 0x8100) {
		if (len < 18)
			return fail(why, n, "ends in the 802.1Q tag");
		v->tci = get16(f + 14);
		v->vlan = v->tci & 0x0fff;
		v->l2 = 18;
	}
	if (get16(f + v->l2 - 2) != 0x0800)
		return fail(why, n, "ethertype %#x", get16(f + v->l2 - 2));
	if (len < v->l2 + 28)
		return fail(why, n, "ends in the IPv4 or UDP header");
	v->ip = f + v->l2;
	v->udp = v->ip + 20;
	v->d = v->udp + 8;
	v->ip_len = get16(v->ip + 2);
	v->udp_len = get16(v->udp + 4);
	if (v->ip[0] != 0x45)
		return fail(why, n, "IPv4 version/IHL %#x", v->ip[0]);
	if (v->ip_len > len - v->l2 || v->ip_len < 28)
		return fail(why, n, "IPv4 total length %zu, frame %zu",
			    v->ip_len, len);
	if (v->udp_len < 8 || v->udp_len > v->ip_len - 20)
		return fail(why, n, "UDP length %zu, IPv4 payload %zu",
			    v->udp_len, v->ip_len - 20);
	v->d_len = v->udp_len - 8;
	if (v->d_len < 240 || get32(v->d + 236) != 0x63825363)
		return fail(why, n, "no BOOTP header with the magic cookie");
	for (o = 240; o < v->d_len;) {
		uint8_t code = v->d[o];

		if (code == DHCP_OPT_END) {
			v->end_off = o;
			return 0;
		}
		if (code == DHCP_OPT_PAD) {
			o++;
			continue;
		}
		if (o + 2 > v->d_len || o + 2 + v->d[o + 1] > v->d_len)
			return fail(why, n,
				    "option %u at %zu runs past the "
				    "UDP payload",
				    code, o);
		v->opt_off[code] = (uint16_t)(o + 2);
		v->opt_len[code] = v->d[o + 1];
		if (v->opt_cnt[code] < 255)
			v->opt_cnt[code]++;
		o += 2 + v->d[o + 1];
	}
	return fail(why, n, "options do not end with END");
}

static const uint8_t *opt(const struct msg_view *v, uint8_t code, size_t *len)
{
	if (!v->opt_cnt[code])
		return NULL;
	*len = v->opt_len[code];
	return v->d + v->opt_off[code];
}

/* RFC 2131 §4.1: where the reply to request q goes. */
enum { TO_CHADDR, TO_CIADDR, TO_BROADCAST, TO_RELAY };

static int check_addressing(const struct msg_view *q, const struct msg_view *a,
			    const struct diff_net *net, uint8_t *to, char *why,
			    size_t n)
{
	static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	uint32_t giaddr = get32(q->d + DHCP_OFF_GIADDR);
	uint32_t ciaddr = get32(q->d + DHCP_OFF_CIADDR);
	uint32_t yiaddr = get32(a->d + DHCP_OFF_YIADDR);
	uint16_t flags = get16(q->d + DHCP_OFF_FLAGS);
	const uint8_t *dst_mac = q->d + DHCP_OFF_CHADDR;
	uint32_t dst_ip = yiaddr;
	uint16_t dport = DHCP_CLIENT_PORT;

	*to = TO_CHADDR;
	if (giaddr) {
		*to = TO_RELAY;
		dst_ip = giaddr;
		dport = DHCP_SERVER_PORT;
		dst_mac = q->eth + 6;
	} else if (ciaddr) {
		*to = TO_CIADDR;
		dst_ip = ciaddr;
		dst_mac = q->eth + 6;
	} else if (flags & DHCP_FLAG_BROADCAST) {
		*to = TO_BROADCAST;
		dst_ip = 0xffffffff;
		dst_mac = bcast;
	}
	if (memcmp(a->eth, dst_mac, 6))
		return fail(why, n,
			    "RFC 2131 §4.1: Ethernet destination "
			    "%02x:%02x:%02x:%02x:%02x:%02x, want "
			    "%02x:%02x:%02x:%02x:%02x:%02x",
			    a->eth[0], a->eth[1], a->eth[2], a->eth[3],
			    a->eth[4], a->eth[5], dst_mac[0], dst_mac[1],
			    dst_mac[2], dst_mac[3], dst_mac[4], dst_mac[5]);
	if (get32(a->ip + 16) != dst_ip)
		return fail(why, n,
			    "RFC 2131 §4.1: IPv4 destination %#x, "
			    "want %#x",
			    get32(a->ip + 16), dst_ip);
	if (get16(a->udp + 2) != dport)
		return fail(why, n,
			    "RFC 2131 §4.1: UDP destination %u, want "
			    "%u",
			    get16(a->udp + 2), dport);
	if (memcmp(a->eth + 6, net->mac, 6))
		return fail(why, n, "Ethernet source is not our MAC there");
	if (get32(a->ip + 12) != net->addr)
		return fail(why, n, "IPv4 source %#x, our address there %#x",
			    get32(a->ip + 12), net->addr);
	if (get16(a->udp) != DHCP_SERVER_PORT)
		return fail(why, n, "UDP source port %u", get16(a->udp));
	return 0;
}

/* An option of the request the reply must carry as it came: 61 (RFC
 * 6842 §3), 82 (RFC 3046 §2.2). */
static int check_echo(const struct msg_view *q, const struct msg_view *a,
		      uint8_t code, const char *rfc, char *why, size_t n)
{
	const uint8_t *qv, *av;
	size_t ql = 0, al = 0;

	qv = opt(q, code, &ql);
	if (!qv)
		return 0;
	av = opt(a, code, &al);
	if (!av || a->opt_cnt[code] != 1)
		return fail(why, n, "%s: option %u of the request not echoed",
			    rfc, code);
	if (ql != al || memcmp(qv, av, ql))
		return fail(why, n, "%s: option %u echoed altered", rfc, code);
	return 0;
}

int xf_check_reply(const uint8_t *in, size_t in_len, const uint8_t *out,
		   size_t out_len, const struct xf_iface *ifc,
		   struct xf_reply_class *cls, char *why, size_t why_len)
{
	static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	static struct msg_view q, a;
	const struct diff_net *net = NULL;
	const uint8_t *v;
	uint32_t dst_ip;
	uint8_t qtype;
	char w[160];
	size_t l = 0;

	memset(cls, 0, sizeof(*cls));
	if (view_of(in, in_len, &q, w, sizeof(w)))
		return fail(why, why_len,
			    "answered a frame that is not a "
			    "well-formed request: %s",
			    w);
	if (view_of(out, out_len, &a, w, sizeof(w)))
		return fail(why, why_len, "malformed reply: %s", w);

	/* The request: a DHCPDISCOVER or DHCPREQUEST to port 67, addressed
	 * to us on a network we serve. */
	for (size_t i = 0; i < ifc->n_nets; i++)
		if (ifc->nets[i].vlan == (q.vlan < 0 ? 0 : q.vlan))
			net = &ifc->nets[i];
	if (!net)
		return fail(why, why_len,
			    "answered on %s VLAN %d, a network "
			    "not served",
			    ifc->name, q.vlan);
	v = opt(&q, DHCP_OPT_MSG_TYPE, &l);
	qtype = v && l == 1 ? v[0] : 0;
	if (q.opt_cnt[DHCP_OPT_MSG_TYPE] != 1 ||
	    (qtype != DHCPDISCOVER && qtype != DHCPREQUEST))
		return fail(why, why_len,
			    "answered a request of message "
			    "type %u (option 53 seen %u times)",
			    qtype, q.opt_cnt[DHCP_OPT_MSG_TYPE]);
	if (q.d[DHCP_OFF_OP] != BOOTREQUEST || q.d[DHCP_OFF_HTYPE] != 1 ||
	    q.d[DHCP_OFF_HLEN] != 6)
		return fail(why, why_len, "answered op %u htype %u hlen %u",
			    q.d[0], q.d[1], q.d[2]);
	if (get16(q.udp + 2) != DHCP_SERVER_PORT)
		return fail(why, why_len, "answered UDP to port %u",
			    get16(q.udp + 2));
	if (inet_csum(q.ip, 20, 0))
		return fail(why, why_len,
			    "answered a request whose IPv4 "
			    "header checksum is wrong");
	if (get16(q.ip + 6) & 0x3fff)
		return fail(why, why_len, "answered an IPv4 fragment");
	if (q.ip[9] != 17)
		return fail(why, why_len, "answered IP protocol %u", q.ip[9]);
	if (q.opt_cnt[DHCP_OPT_OVERLOAD])
		return fail(why, why_len,
			    "answered a request with option "
			    "overload (RFC 2132 §9.3)");
	dst_ip = get32(q.ip + 16);
	if ((memcmp(q.eth, net->mac, 6) && memcmp(q.eth, bcast, 6)) ||
	    (dst_ip != net->addr && dst_ip != 0xffffffff))
		return fail(why, why_len,
			    "answered a request addressed to "
			    "another host (IPv4 %#x)",
			    dst_ip);

	/* The reply's headers: lengths consistent with the frame, both
	 * checksums right (RFC 791, RFC 768). */
	if (a.l2 != q.l2 || a.vlan != q.vlan)
		return fail(why, why_len, "reply VLAN %d, request VLAN %d",
			    a.vlan, q.vlan);
	if (q.vlan >= 0 && a.tci != q.tci)
		return fail(why, why_len, "reply TCI %#x, request TCI %#x",
			    a.tci, q.tci);
	if (a.ip_len != out_len - a.l2 || a.udp_len != a.ip_len - 20)
		return fail(why, why_len,
			    "reply lengths: frame %zu, IPv4 %zu, "
			    "UDP %zu",
			    out_len, a.ip_len, a.udp_len);
	if (inet_csum(a.ip, 20, 0))
		return fail(why, why_len, "reply IPv4 header checksum wrong");
	if (get16(a.ip + 6) & 0x3fff || a.ip[9] != 17)
		return fail(why, why_len, "reply is a fragment or not UDP");
	if (!get16(a.udp + 6) || udp_csum_verify(a.ip, a.udp, a.udp_len))
		return fail(why, why_len, "reply UDP checksum wrong");

	/* RFC 2131 table 3 */
	if (a.d[DHCP_OFF_OP] != BOOTREPLY || a.d[1] != 1 || a.d[2] != 6)
		return fail(why, why_len, "reply op %u htype %u hlen %u",
			    a.d[0], a.d[1], a.d[2]);
	if (memcmp(a.d + DHCP_OFF_XID, q.d + DHCP_OFF_XID, 4))
		return fail(why, why_len, "xid not kept");
	if (memcmp(a.d + DHCP_OFF_FLAGS, q.d + DHCP_OFF_FLAGS, 2))
		return fail(why, why_len, "flags not kept");
	if (memcmp(a.d + DHCP_OFF_GIADDR, q.d + DHCP_OFF_GIADDR, 4))
		return fail(why, why_len, "giaddr not kept");
	if (memcmp(a.d + DHCP_OFF_CHADDR, q.d + DHCP_OFF_CHADDR, 6))
		return fail(why, why_len, "chaddr not kept");
	if (!get32(a.d + DHCP_OFF_YIADDR))
		return fail(why, why_len, "yiaddr 0");

	/* The options: 53 OFFER or ACK, as the request asked; 54 our
	 * address there; 51, 58, 59 present. */
	v = opt(&a, DHCP_OPT_MSG_TYPE, &l);
	if (!v || l != 1 || a.opt_cnt[DHCP_OPT_MSG_TYPE] != 1)
		return fail(why, why_len, "reply without one option 53");
	cls->type = v[0];
	if (v[0] != (qtype == DHCPDISCOVER ? DHCPOFFER : DHCPACK))
		return fail(why, why_len,
			    "reply type %u to a request of type "
			    "%u",
			    v[0], qtype);
	if (get32(a.d + DHCP_OFF_CIADDR) !=
	    (v[0] == DHCPACK ? get32(q.d + DHCP_OFF_CIADDR) : 0))
		return fail(why, why_len,
			    "RFC 2131 table 3: ciaddr %#x in a "
			    "reply of type %u",
			    get32(a.d + DHCP_OFF_CIADDR), v[0]);
	v = opt(&a, DHCP_OPT_SERVER_ID, &l);
	if (!v || l != 4 || get32(v) != net->addr)
		return fail(why, why_len,
			    "server identifier is not our "
			    "address on %s VLAN %d",
			    ifc->name, net->vlan);
	if (!opt(&a, DHCP_OPT_LEASE_TIME, &l) ||
	    !opt(&a, DHCP_OPT_RENEWAL_TIME, &l) ||
	    !opt(&a, DHCP_OPT_REBINDING_TIME, &l))
		return fail(why, why_len, "reply without 51, 58 or 59");
	for (size_t i = a.end_off + 1; i < a.d_len; i++)
		if (a.d[i])
			return fail(why, why_len, "byte %#x after END at %zu",
				    a.d[i], i);
	if (a.d_len < 300)
		return fail(why, why_len,
			    "reply of %zu bytes, below BOOTP's "
			    "300",
			    a.d_len);
	if (check_addressing(&q, &a, net, &cls->to, why, why_len) ||
	    check_echo(&q, &a, DHCP_OPT_RELAY_AGENT_INFO, "RFC 3046 §2.2", why,
		       why_len) ||
	    check_echo(&q, &a, DHCP_OPT_CLIENT_ID, "RFC 6842 §3", why, why_len))
		return -1;
	cls->tagged = q.vlan >= 0;
	cls->cid = q.opt_cnt[DHCP_OPT_CLIENT_ID] != 0;
	return 0;
}
