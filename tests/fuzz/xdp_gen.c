// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Frames for the XDP fuzzer (xdp_fuzz.h): well-formed requests of every
 * kind from the clients of the state, the XDP table's malformed frames,
 * random bytes, and mutations of them all.
 */
#include <string.h>
#include <arpa/inet.h>
#include <dhcpxdp/dhcp_wire.h>
#include "frame.h"
#include "xdp_fuzz.h"

/* ---- PRNG ---------------------------------------------------------------- */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void xf_rng_seed(struct xf_rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t xf_rand(struct xf_rng *r)
{
	uint64_t *s = r->s, res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

static void rand_bytes(struct xf_rng *r, uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)xf_rand(r);
}

/* ---- well-formed requests --------------------------------------------- */

/* The RFC 2131 §4.3.2 states of a REQUEST, and the other client
 * messages. */
enum req_kind {
	K_DISCOVER,
	K_SELECTING,
	K_INIT_REBOOT,
	K_RENEWING,
	K_REBINDING,
	K_DECLINE,
	K_RELEASE,
	K_INFORM,
	K_REQUEST_NO_ADDR,
	K_SERVER_TYPE, /* a server's message type, or 0 or 9 */
	K_MAX,
};

/* Percent weights of the kinds: requests XDP may answer dominate. */
static const uint8_t kind_weight[K_MAX] = {20, 14, 16, 18, 12, 4, 4, 4, 4, 4};

static enum req_kind pick_kind(struct xf_rng *r)
{
	uint32_t x = xf_below(r, 100);

	for (int k = 0; k < K_MAX; k++) {
		if (x < kind_weight[k])
			return (enum req_kind)k;
		x -= kind_weight[k];
	}
	return K_DISCOVER;
}

static const uint8_t relay_mac[6] = {0x02, 0xd1, 0xff, 0, 0, 0x01};

/* An address near the client's: its own, a neighbour, or any. */
static uint32_t addr_near(struct xf_rng *r, const struct xf_client *c)
{
	switch (xf_below(r, 8)) {
	case 0:
		return c->addr + 1;
	case 1:
		return (uint32_t)xf_rand(r);
	case 2:
		return c->addr ^ 0x00010000;
	default:
		return c->addr ? c->addr : (uint32_t)xf_rand(r);
	}
}

/* Options a client may send besides the ones its state needs. */
static void extra_options(struct xf_rng *r, struct frame_spec *s)
{
	uint8_t v[255];
	uint8_t n;

	if (xf_pct(r, 60)) { /* parameter request list */
		n = (uint8_t)(1 + xf_below(r, xf_pct(r, 10) ? 255 : 24));
		for (int i = 0; i < n; i++)
			v[i] = (uint8_t)(1 + xf_below(r, 254));
		opt_add(s, DHCP_OPT_PARAM_REQUEST, n, v);
	}
	if (xf_pct(r, 30)) { /* maximum message size (RFC 2132 §9.10) */
		static const uint16_t sizes[] = {0,   300, 575,	 576,  577,
						 590, 600, 1024, 1500, 65535};
		uint16_t m = sizes[xf_below(r, sizeof(sizes) / 2)];

		v[0] = m >> 8;
		v[1] = m & 0xff;
		opt_add(s, DHCP_OPT_MAX_MSG_SIZE, 2, v);
	}
	if (xf_pct(r, 20)) { /* a long host name */
		n = (uint8_t)(1 + xf_below(r, 255));
		memset(v, 'h', n);
		opt_add(s, DHCP_OPT_HOST_NAME, n, v);
	}
	if (xf_pct(r, 15)) { /* vendor class, any bytes */
		n = (uint8_t)xf_below(r, 256);
		rand_bytes(r, v, n);
		opt_add(s, DHCP_OPT_VENDOR_CLASS, n, v);
	}
	if (xf_pct(r, 10)) { /* an option nobody knows */
		n = (uint8_t)xf_below(r, 64);
		rand_bytes(r, v, n);
		opt_add(s, (uint8_t)(224 + xf_below(r, 30)), n, v);
	}
	if (xf_pct(r, 8)) { /* requested lease time */
		v[0] = 0;
		v[1] = 0;
		v[2] = 0x0e;
		v[3] = 0x10;
		opt_add(s, DHCP_OPT_LEASE_TIME, 4, v);
	}
	if (xf_pct(r, 5)) /* PADs between options */
		for (n = (uint8_t)(1 + xf_below(r, 16)); n; n--)
			s->opts[s->opts_len++] = DHCP_OPT_PAD;
	if (xf_pct(r, 2)) /* overload (RFC 2132 §9.3) */
		opt_add_u8(s, DHCP_OPT_OVERLOAD, (uint8_t)(1 + xf_below(r, 3)));
}

/* Option 61: the lease's, another, a long one, or none. */
static void client_id(struct xf_rng *r, struct frame_spec *s,
		      const struct xf_client *c)
{
	uint8_t v[255];
	uint8_t n;
	uint32_t x = xf_below(r, 100);

	if (c->cid_len && x < 75) {
		opt_add(s, DHCP_OPT_CLIENT_ID, c->cid_len, c->cid);
		return;
	}
	if (x < 85)
		return;
	if (x < 92) { /* type 1 and the MAC, as most clients send */
		v[0] = 1;
		memcpy(v + 1, c->mac, 6);
		opt_add(s, DHCP_OPT_CLIENT_ID, 7, v);
		return;
	}
	/* 63 to 66 bytes: around the longest XDP echoes; or anything */
	n = x < 97 ? (uint8_t)(63 + xf_below(r, 4))
		   : (uint8_t)(2 + xf_below(r, 254));
	rand_bytes(r, v, n);
	opt_add(s, DHCP_OPT_CLIENT_ID, n, v);
}

/* The fields RFC 2131 §4.3.2 (table 5) says the kind carries: its
 * message type, and in *unicast whether the client sends it to our
 * address. */
static uint8_t request_state(struct xf_rng *r, struct frame_spec *s,
			     enum req_kind k, uint32_t want, uint32_t our,
			     uint32_t other, bool *unicast)
{
	static const uint8_t odd[] = {0, DHCPOFFER, DHCPACK, DHCPNAK, 9, 255};

	switch (k) {
	case K_DISCOVER:
		if (xf_pct(r, 30))
			opt_add_ip(s, DHCP_OPT_REQUESTED_IP, want);
		return DHCPDISCOVER;
	case K_SELECTING:
		opt_add_ip(s, DHCP_OPT_REQUESTED_IP, want);
		opt_add_ip(s, DHCP_OPT_SERVER_ID, xf_pct(r, 85) ? our : other);
		return DHCPREQUEST;
	case K_INIT_REBOOT:
		opt_add_ip(s, DHCP_OPT_REQUESTED_IP, want);
		return DHCPREQUEST;
	case K_RENEWING:
		s->ciaddr = want;
		*unicast = true;
		return DHCPREQUEST;
	case K_REBINDING:
		s->ciaddr = want;
		return DHCPREQUEST;
	case K_DECLINE:
		opt_add_ip(s, DHCP_OPT_REQUESTED_IP, want);
		opt_add_ip(s, DHCP_OPT_SERVER_ID, our);
		return DHCPDECLINE;
	case K_RELEASE:
		s->ciaddr = want;
		opt_add_ip(s, DHCP_OPT_SERVER_ID, our);
		*unicast = true;
		return DHCPRELEASE;
	case K_INFORM:
		s->ciaddr = want;
		*unicast = xf_pct(r, 50);
		return DHCPINFORM;
	case K_REQUEST_NO_ADDR:
		return DHCPREQUEST;
	default:
		return odd[xf_below(r, sizeof(odd))];
	}
}

/* Option 53, first as clients send it, elsewhere sometimes. */
static void message_type(struct xf_rng *r, struct frame_spec *s, uint8_t type)
{
	if (xf_pct(r, 90)) {
		memmove(s->opts + 3, s->opts, s->opts_len);
		s->opts[0] = DHCP_OPT_MSG_TYPE;
		s->opts[1] = 1;
		s->opts[2] = type;
		s->opts_len += 3;
	} else {
		opt_add_u8(s, DHCP_OPT_MSG_TYPE, type);
	}
}

/* Who sends it to whom: a relay agent, the client unicast, or the
 * client broadcast. */
static void sender(struct xf_rng *r, struct frame_spec *s,
		   const struct xf_iface *ifc, uint32_t giaddr, uint32_t our,
		   bool unicast)
{
	/* circuit id, remote id, then link selection (RFC 3527 §3): cut
	 * short anywhere, the fast path echoes it, passes it up as
	 * malformed, or for its link selection */
	uint8_t info[16] = {1, 4, 'p', 'o', 'r', 't', 2, 2, 0x42, 0x43, 5, 4};

	if (giaddr) {
		/* A relay agent (RFC 1542 §4) sends from its own address and
		 * port 67, at our MAC, to our address. */
		memcpy(s->src_mac, relay_mac, 6);
		memcpy(s->dst_mac, ifc->mac, 6);
		s->src_ip = giaddr;
		s->dst_ip = our;
		s->sport = DHCP_SERVER_PORT;
		s->giaddr = giaddr;
		s->hops = (uint8_t)(1 + xf_below(r, 3));
		/* RFC 3046 §2.1: added as the last option */
		if (xf_pct(r, 30)) {
			uint32_t link = htonl(giaddr);

			memcpy(info + 12, &link, 4);
			opt_add(s, DHCP_OPT_RELAY_AGENT_INFO,
				(uint8_t)(2 + xf_below(r, 15)), info);
		}
	} else if (unicast) {
		memcpy(s->dst_mac, ifc->mac, 6);
		s->src_ip = s->ciaddr;
		s->dst_ip = our;
	} else {
		s->src_ip = s->ciaddr;
	}
}

/* What some senders do besides: another destination (a promiscuous NIC
 * hands it over), chaddr or sname bytes, padding, bytes after END. */
static void oddities(struct xf_rng *r, struct frame_spec *s, uint32_t our)
{
	if (xf_pct(r, 3))
		rand_bytes(r, s->dst_mac, 6);
	if (xf_pct(r, 3))
		s->dst_ip = xf_pct(r, 50) ? (uint32_t)xf_rand(r) : our + 1;
	if (xf_pct(r, 2))
		memcpy(s->chaddr + 6, "\x01\x02", 2);
	if (xf_pct(r, 2))
		memcpy(s->sname, "server", 6);
	opt_end(s);
	if (xf_pct(r, 40)) /* many clients pad to the BOOTP 300 bytes */
		s->min_dhcp_len = 300;
	if (xf_pct(r, 5))
		s->min_dhcp_len = 240 + s->opts_len + xf_below(r, 200);
}

size_t xf_gen_valid(struct xf_rng *r, const struct xf_world *w, uint8_t *buf,
		    size_t cap, uint8_t *iface)
{
	static struct frame_spec s;
	const struct xf_client *c =
		&w->clients[xf_below(r, (uint32_t)w->n_clients)];
	const struct xf_route *rt = &c->routes[xf_below(r, c->n_routes)];
	const struct xf_iface *ifc = &w->ifaces[rt->iface];
	const struct diff_net *net = &ifc->nets[0];
	enum req_kind k = pick_kind(r);
	uint32_t giaddr = rt->giaddr, our, want = addr_near(r, c);
	bool unicast = false;
	uint8_t type;

	for (size_t i = 0; i < ifc->n_nets; i++)
		if (ifc->nets[i].vlan == rt->vlan)
			net = &ifc->nets[i];
	our = net->addr;
	if (xf_pct(r, 3)) /* a relay the state may not know */
		giaddr = w->relays[xf_below(r, (uint32_t)w->n_relays)];
	*iface = rt->iface;
	if (xf_pct(r, 2)) /* on another interface than its own */
		*iface = (uint8_t)xf_below(r, XF_IFACES);

	frame_spec_init(&s, c->mac, (uint32_t)xf_rand(r));
	/* 802.1Q: the route's VLAN with any priority, or any VLAN */
	s.vlan = rt->vlan ? rt->vlan | (int)(xf_below(r, 8) << 13) : -1;
	if (xf_pct(r, 2))
		s.vlan = (int)xf_below(r, 4096);
	s.flags = xf_pct(r, 40) ? DHCP_FLAG_BROADCAST : 0;
	if (xf_pct(r, 3))
		s.flags |= (uint16_t)xf_rand(r);
	s.secs = (uint16_t)xf_below(r, 30);
	type = request_state(r, &s, k, want, our, w->other_server, &unicast);
	message_type(r, &s, type);
	/* RFC 2131 §4.3.2 tolerates ciaddr in SELECTING; some clients put
	 * 50 in RENEWING. */
	if (xf_pct(r, 5))
		s.ciaddr = want;
	if (k == K_RENEWING && xf_pct(r, 5))
		opt_add_ip(&s, DHCP_OPT_REQUESTED_IP, want);
	client_id(r, &s, c);
	extra_options(r, &s);
	sender(r, &s, ifc, giaddr, our, unicast);
	oddities(r, &s, our);
	return frame_build(&s, buf, cap);
}

/* ---- the XDP table's malformed frames -------------------------------- */

/* Where the IPv4 header starts; 0 when there is none. */
static size_t l2_len(const uint8_t *f, size_t len)
{
	if (len < 14)
		return 0;
	if (f[12] == 0x81 && f[13] == 0x00)
		return len >= 18 ? 18 : 0;
	return 14;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

/* The Ethernet, IPv4 or UDP header broken as the XDP table's rows
 * break it (k < 14). Returns the frame's length; *fix says whether the
 * lengths and checksums are to be made right again. */
static size_t break_headers(struct xf_rng *r, uint8_t *buf, size_t len,
			    size_t l2, uint32_t k, bool *fix)
{
	size_t dhcp = l2 + 28;

	*fix = false;
	switch (k) {
	case 0: /* Ethernet header only */
		return 14;
	case 1: /* inside the VLAN tag or the IPv4 header */
		return 14 + xf_below(r, 20);
	case 2: /* inside the UDP header, IPv4 length matching */
		len = l2 + 20 + xf_below(r, 8);
		put16(buf + l2 + 2, (uint16_t)(len - l2));
		xf_fixup(buf, len, false, true, false);
		return len;
	case 3: /* inside the BOOTP header */
		len = dhcp + xf_below(r, 240);
		xf_fixup(buf, len, true, true, true);
		return len;
	case 4: /* IHL below 5 or above */
		buf[l2] = (uint8_t)(0x40 | xf_below(r, 16));
		*fix = true;
		return len;
	case 5: /* IPv4 total length past the frame or below the header */
		put16(buf + l2 + 2,
		      (uint16_t)(xf_pct(r, 50) ? len - l2 + 1 + xf_below(r, 64)
					       : xf_below(r, 20)));
		xf_fixup(buf, len, false, true, false);
		return len;
	case 6: /* header checksum wrong by one bit */
		buf[l2 + 11] ^= (uint8_t)(1 << xf_below(r, 8));
		return len;
	case 7: /* the TTL damaged, the checksum stale */
		buf[l2 + 8] ^= 0x10;
		return len;
	case 8: /* fragments */
		put16(buf + l2 + 6,
		      xf_pct(r, 50) ? 0x2000
				    : (uint16_t)(1 + xf_below(r, 0x1fff)));
		*fix = true;
		return len;
	case 9: /* another protocol */
		buf[l2 + 9] = xf_pct(r, 50) ? 6 : (uint8_t)xf_rand(r);
		*fix = true;
		return len;
	case 10: /* another port */
		put16(buf + l2 + 22, xf_pct(r, 50) ? 68 : (uint16_t)xf_rand(r));
		*fix = true;
		return len;
	case 11: /* UDP length past the IP payload, below 8, inside the
		  * options */
		put16(buf + l2 + 24,
		      (uint16_t)(xf_pct(r, 30)	 ? len - l2 - 20 + 1
				 : xf_pct(r, 50) ? xf_below(r, 8)
						 : 8 + 240 + xf_below(r, 8)));
		xf_fixup(buf, len, false, true, false);
		return len;
	case 12: /* ARP, IPv6 */
		put16(buf + 12, xf_pct(r, 50) ? 0x0806 : 0x86dd);
		return len;
	case 13: /* two tags */
		if (l2 == 18) {
			put16(buf + 16, 0x8100);
			return len;
		}
		put16(buf + 12, 0x88a8);
		return len;
	default:
		return len;
	}
}

/* The BOOTP header or the options broken (k >= 14), as break_headers(). */
static size_t break_dhcp(struct xf_rng *r, uint8_t *buf, size_t len, size_t cap,
			 size_t dhcp, uint32_t k, bool *fix)
{
	*fix = true;
	switch (k) {
	case 14: /* BOOTREPLY, or any op */
		buf[dhcp] = xf_pct(r, 50) ? 2 : (uint8_t)xf_rand(r);
		break;
	case 15: /* htype, hlen */
		buf[dhcp + 1 + xf_below(r, 2)] = (uint8_t)xf_rand(r);
		break;
	case 16: /* magic cookie */
		buf[dhcp + 236 + xf_below(r, 4)] ^=
			(uint8_t)(1 + xf_below(r, 255));
		break;
	case 17: /* an option's length past the end */
		buf[dhcp + 241] = (uint8_t)(len - dhcp - 240 + xf_below(r, 40));
		break;
	case 18: /* END removed: the walk runs off, or into padding */
		for (size_t i = len; i > dhcp + 240; i--)
			if (buf[i - 1] == DHCP_OPT_END) {
				buf[i - 1] = xf_pct(r, 50) ? DHCP_OPT_PAD
							   : DHCP_OPT_HOST_NAME;
				break;
			}
		break;
	case 19: /* frame ends at a code or a length byte */
		len = dhcp + 240 + xf_below(r, 3);
		buf[len - 1] = xf_pct(r, 50) ? DHCP_OPT_HOST_NAME : 3;
		break;
	case 20: /* 308 PADs, no END */
		memset(buf + dhcp + 240, 0, len - dhcp - 240);
		break;
	case 21 ... 30: { /* 53, 50, 51, 54, 57, 61 with a bad length,
			   * or repeated */
		static const uint8_t codes[] = {53, 50, 51, 54, 57, 61, 55};
		uint8_t code = codes[xf_below(r, sizeof(codes))];
		size_t o = dhcp + 240;

		/* put it first: the options after it are cut short */
		if (len < o + 2 + 255)
			len = o + 2 + 255 < cap ? o + 2 + 255 : len;
		buf[o] = code;
		buf[o + 1] = (uint8_t)(xf_pct(r, 50) ? xf_below(r, 6) : 255);
		memset(buf + o + 2, 0x0a, buf[o + 1]);
		if (o + 2 + buf[o + 1] + 3 < len) {
			size_t e = o + 2 + buf[o + 1];

			buf[e] = 53;
			buf[e + 1] = 1;
			buf[e + 2] = (uint8_t)xf_below(r, 10);
			if (e + 3 < len)
				buf[e + 3] = DHCP_OPT_END;
		}
		break;
	}
	case 31: /* option 53 missing, 0, 9 */
		buf[dhcp + 240 + (xf_pct(r, 50) ? 0 : 2)] =
			xf_pct(r, 50) ? 0 : 9;
		break;
	case 32: /* overload in front */
		buf[dhcp + 240] = DHCP_OPT_OVERLOAD;
		buf[dhcp + 241] = 1;
		buf[dhcp + 242] = (uint8_t)(1 + xf_below(r, 3));
		break;
	default: /* the broken frame's checksums left as they are */
		*fix = false;
		break;
	}
	return len;
}

size_t xf_gen_malformed(struct xf_rng *r, const struct xf_world *w,
			uint8_t *buf, size_t cap, uint8_t *iface)
{
	size_t len = xf_gen_valid(r, w, buf, cap, iface), l2;
	uint32_t k = xf_below(r, 34);
	bool fix;

	l2 = l2_len(buf, len);
	if (!len || !l2)
		return len;
	if (k < 14)
		len = break_headers(r, buf, len, l2, k, &fix);
	else
		len = break_dhcp(r, buf, len, cap, l2 + 28, k, &fix);
	if (fix)
		xf_fixup(buf, len, true, true, xf_pct(r, 50));
	return len;
}

size_t xf_gen_random(struct xf_rng *r, uint8_t *buf, size_t cap)
{
	size_t len = XF_FRAME_MIN + xf_below(r, 1600);

	if (len > cap)
		len = cap;
	rand_bytes(r, buf, len);
	if (xf_pct(r, 50) && len > 42) {
		/* IPv4/UDP to port 67 around the noise */
		put16(buf + 12, 0x0800);
		buf[14] = 0x45;
		buf[14 + 6] &= 0x40;
		buf[14 + 7] = 0;
		buf[14 + 9] = 17;
		put16(buf + 36, 67);
		if (len > 42 + 240 && xf_pct(r, 70)) {
			buf[42] = 1;
			buf[43] = 1;
			buf[44] = 6;
			memcpy(buf + 42 + 236, "\x63\x82\x53\x63", 4);
		}
		xf_fixup(buf, len, true, true, true);
	}
	return len;
}

/* ---- mutations ------------------------------------------------------------ */

void xf_fixup(uint8_t *f, size_t len, bool lengths, bool ip_csum, bool udp_csum)
{
	size_t l2 = l2_len(f, len), ihl;
	uint8_t *ip = f + l2, *udp;

	if (!l2 || len < l2 + 20)
		return;
	ihl = (size_t)(ip[0] & 0xf) * 4;
	if (ihl < 20 || len < l2 + ihl + 8)
		ihl = 20;
	udp = ip + ihl;
	if (lengths) {
		put16(ip + 2, (uint16_t)(len - l2));
		if (len >= l2 + ihl + 8)
			put16(udp + 4, (uint16_t)(len - l2 - ihl));
	}
	if (ip_csum) {
		ip[10] = 0;
		ip[11] = 0;
		put16(ip + 10, inet_csum(ip, 20, 0));
	}
	if (udp_csum && ihl == 20 && len >= l2 + 28) {
		size_t ulen = (size_t)(udp[4] << 8 | udp[5]);

		if (ulen < 8 || l2 + 20 + ulen > len)
			return;
		udp[6] = 0;
		udp[7] = 0;
		put16(udp + 6, udp_csum_verify(ip, udp, ulen));
	}
}

static const uint8_t interesting8[] = {
	0,    1,  2,  3,  4,  5,  6,  7,  8,	9,    0x0f, 0x10, 0x3f, 0x40,
	0x41, 52, 53, 54, 55, 57, 61, 82, 0x7f, 0x80, 0x81, 0xfe, 0xff};

/* Header fields worth splicing from another frame, as (offset from the
 * IPv4 header, length): addresses, lengths, ports, BOOTP fields. */
static const struct {
	uint16_t off, len;
} fields[] = {
	{2, 2},	 {10, 2}, {12, 4}, {16, 4},  {20, 2},  {22, 2},
	{24, 2}, {26, 2}, {28, 4}, {32, 4},  {38, 2},  {40, 4},
	{44, 4}, {48, 4}, {52, 4}, {56, 16}, {264, 4},
};

size_t xf_mutate(struct xf_rng *r, uint8_t *buf, size_t len, size_t cap,
		 const uint8_t *other, size_t other_len)
{
	int n = 1 + (int)xf_below(r, xf_pct(r, 70) ? 3 : 8);

	for (int m = 0; m < n; m++) {
		size_t pos = xf_below(r, (uint32_t)len), l2, k;

		switch (xf_below(r, 11)) {
		case 0: /* bit flip */
			buf[pos] ^= (uint8_t)(1 << xf_below(r, 8));
			break;
		case 1: /* an interesting byte */
			buf[pos] =
				interesting8[xf_below(r, sizeof(interesting8))];
			break;
		case 2: /* an interesting 16-bit value, either order */
			if (pos + 1 < len) {
				uint16_t v =
					(uint16_t)(xf_pct(r, 50)
							   ? len - pos
							   : 1u << xf_below(
								     r, 16));

				v += (uint16_t)((int)xf_below(r, 3) - 1);
				put16(buf + pos, v);
			}
			break;
		case 3: /* truncate */
			len = XF_FRAME_MIN +
			      xf_below(r, (uint32_t)(len - XF_FRAME_MIN + 1));
			break;
		case 4: /* extend */
			k = 1 + xf_below(r, 300);
			if (len + k > cap)
				k = cap - len;
			if (xf_pct(r, 50))
				memset(buf + len, 0, k);
			else
				rand_bytes(r, buf + len, k);
			len += k;
			break;
		case 5: /* insert */
			k = 1 + xf_below(r, 16);
			if (len + k > cap)
				break;
			memmove(buf + pos + k, buf + pos, len - pos);
			rand_bytes(r, buf + pos, k);
			len += k;
			break;
		case 6: /* delete */
			k = 1 + xf_below(r, 16);
			if (pos + k > len || len - k < XF_FRAME_MIN)
				break;
			memmove(buf + pos, buf + pos + k, len - pos - k);
			len -= k;
			break;
		case 7: /* splice a header field from the other frame */
			l2 = l2_len(buf, len);
			k = xf_below(r, sizeof(fields) / sizeof(fields[0]));
			pos = l2 + fields[k].off;
			if (l2 && pos + fields[k].len <= len &&
			    pos + fields[k].len <= other_len)
				memcpy(buf + pos, other + pos, fields[k].len);
			break;
		case 8: /* splice a run of bytes at the same place */
			k = 1 + xf_below(r, 64);
			if (pos + k <= len && pos + k <= other_len)
				memcpy(buf + pos, other + pos, k);
			break;
		case 9: /* random bytes over a run */
			k = 1 + xf_below(r, 8);
			if (pos + k <= len)
				rand_bytes(r, buf + pos, k);
			break;
		default: /* an option TLV's length byte */
			l2 = l2_len(buf, len);
			if (l2 && len > l2 + 28 + 242) {
				pos = l2 + 28 + 240 +
				      xf_below(r,
					       (uint32_t)(len - l2 - 28 - 241));
				buf[pos] = (uint8_t)xf_rand(r);
			}
			break;
		}
	}
	/* Sometimes make the headers right again, so the mutation reaches
	 * what lies behind the length and checksum checks. */
	if (xf_pct(r, 60))
		xf_fixup(buf, len, xf_pct(r, 70), true, xf_pct(r, 80));
	return len;
}
