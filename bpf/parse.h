/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Parsing of an incoming frame up to the DHCP options, in the style of
 * xdp-tools' parsing_helpers.h: a cursor advanced by small helpers, each
 * dereference guarded against data_end. Nothing here writes the packet.
 *
 * A helper returns 0 when the frame is a candidate for the fast path, or
 * the DX_STAT_PUNT_* reason to pass it up.
 */
#ifndef DHCPXDP_PARSE_H
#define DHCPXDP_PARSE_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include <dhcpxdp/abi.h>
#include <dhcpxdp/dhcp_wire.h>
#include <dhcpxdp/stats.h>
#include "csum.h"
#include "request.h"

#ifndef ETH_P_8021Q
#define ETH_P_8021Q 0x8100
#endif
#ifndef ETH_P_8021AD
#define ETH_P_8021AD 0x88A8
#endif
#define VLAN_VID_MASK 0x0fff
#define IP_MF 0x2000
#define IP_OFFMASK 0x1fff

/* Upper bound on option TLVs walked; more is passed up as malformed. */
#define DX_MAX_OPTIONS 96
/* Longest UDP payload considered (a standard Ethernet MTU). */
#define DX_MAX_DHCP_LEN 1472

struct hdr_cursor {
	void *pos;
};

struct vlan_hdr {
	__be16 tci;
	__be16 encap_proto;
};

/*
 * Ethernet and its VLAN tags: none, one 802.1Q C-tag (TPID 0x8100), or
 * an 802.1ad S-tag (TPID 0x88a8) followed by a C-tag (QinQ, IEEE 802.1ad
 * §6.9; Linux stacks an 802.1Q device on an 802.1ad one the same way).
 * Anything else carrying VLAN tags - a lone S-tag, two C-tags, a third
 * tag - is not a network the server can be configured on: passed up.
 */
static __always_inline int parse_vlan(struct hdr_cursor *c, void *data_end,
				      __be16 *tci, __be16 *proto)
{
	struct vlan_hdr *vh = c->pos;

	if ((void *)(vh + 1) > data_end)
		return DX_STAT_PUNT_TRUNCATED;
	*tci = vh->tci;
	*proto = vh->encap_proto;
	c->pos = vh + 1;
	return 0;
}

static __always_inline int parse_ethhdr(struct hdr_cursor *c, void *data_end,
					struct dhcp_req *r)
{
	struct ethhdr *eth = c->pos;
	__be16 proto, tci;
	int ret;

	if ((void *)(eth + 1) > data_end)
		return DX_STAT_PUNT_NOT_DHCP;
	proto = eth->h_proto;
	c->pos = eth + 1;
	r->l2_len = sizeof(*eth);
	if (proto == bpf_htons(ETH_P_8021AD)) {
		ret = parse_vlan(c, data_end, &tci, &proto);
		if (ret)
			return ret;
		r->svlan = bpf_ntohs(tci) & VLAN_VID_MASK;
		r->svlan_tci = tci;
		r->l2_len += sizeof(struct vlan_hdr);
		/* An S-tag alone, or in front of another S-tag. */
		if (proto != bpf_htons(ETH_P_8021Q) || !r->svlan)
			return DX_STAT_PUNT_NOT_DHCP;
	}
	if (proto == bpf_htons(ETH_P_8021Q)) {
		ret = parse_vlan(c, data_end, &tci, &proto);
		if (ret)
			return ret;
		r->vlan = bpf_ntohs(tci) & VLAN_VID_MASK;
		r->vlan_tci = tci;
		r->l2_len += sizeof(struct vlan_hdr);
		/* A priority-tagged frame (VID 0, IEEE 802.1Q §9.6) inside
		 * an S-tag has no C-VLAN to key on. */
		if (r->svlan && !r->vlan)
			return DX_STAT_PUNT_NOT_DHCP;
	}
	/* A third tag, or two C-tags, is not ours to interpret. */
	if (proto != bpf_htons(ETH_P_IP))
		return DX_STAT_PUNT_NOT_DHCP;
	return 0;
}

/*
 * IPv4 header: version 4, IHL >= 5 and inside the frame, total length
 * covering the header and not beyond the frame, not a fragment, UDP.
 * Returns the IP total length in *tot_len; notes the destination.
 */
static __always_inline int parse_iphdr(struct hdr_cursor *c, void *data_end,
				       struct dhcp_req *r, __u32 *tot_len)
{
	struct iphdr *iph = c->pos;
	__u32 hlen;
	__u64 tl;

	if ((void *)(iph + 1) > data_end)
		return DX_STAT_PUNT_TRUNCATED;
	if (iph->version != 4)
		return DX_STAT_PUNT_NOT_DHCP;
	hlen = iph->ihl * 4;
	if (hlen < sizeof(*iph))
		return DX_STAT_PUNT_BAD_IP;
	if (c->pos + hlen > data_end)
		return DX_STAT_PUNT_TRUNCATED;
	tl = bpf_ntohs(iph->tot_len);
	/* Verifiers before bswap bounds tracking (6.12 and older) see an
	 * unbounded result: mask it where clang cannot drop the mask. */
	asm volatile("%0 &= 0xffff" : "+r"(tl));
	if (tl < hlen || c->pos + tl > data_end)
		return DX_STAT_PUNT_BAD_IP;
	*tot_len = tl;
	if (iph->frag_off & bpf_htons(IP_MF | IP_OFFMASK))
		return DX_STAT_PUNT_IP_FRAGMENT;
	if (iph->protocol != IPPROTO_UDP)
		return DX_STAT_PUNT_NOT_DHCP;
	/* Replies are written with a 20-byte header; requests carrying IP
	 * options (never seen from real clients) go to the daemon. */
	if (hlen != sizeof(*iph))
		return DX_STAT_PUNT_IP_OPTIONS;
	r->ip_dst = iph->daddr;
	c->pos += hlen;
	*tot_len -= hlen;
	return 0;
}

/* UDP to port 67 whose length fits the IP payload; *dhcp_len is the
 * UDP payload length. */
static __always_inline int parse_udphdr(struct hdr_cursor *c, void *data_end,
					__u32 ip_payload, __u32 *dhcp_len)
{
	struct udphdr *udp = c->pos;
	__u32 ulen;

	if ((void *)(udp + 1) > data_end)
		return DX_STAT_PUNT_TRUNCATED;
	if (udp->dest != bpf_htons(DHCP_SERVER_PORT))
		return DX_STAT_PUNT_NOT_DHCP;
	ulen = bpf_ntohs(udp->len);
	if (ulen < sizeof(*udp) || ulen > ip_payload)
		return DX_STAT_PUNT_BAD_UDP;
	c->pos = udp + 1;
	*dhcp_len = ulen - sizeof(*udp);
	return 0;
}

/*
 * The IPv4 header checksum (RFC 791 §3.1), which the daemon verifies too
 * (frame_in_parse): a header damaged on the way may name another
 * destination than the sender meant. Checked once the frame is known to
 * be UDP to port 67, so that other traffic is not summed; the header is
 * 20 bytes by then (parse_iphdr passed up any other length).
 */
static __always_inline int parse_ip_csum(const struct iphdr *iph,
					 void *data_end)
{
	if ((void *)(iph + 1) > data_end)
		return DX_STAT_PUNT_TRUNCATED;
	if (!ipv4_csum_ok(iph))
		return DX_STAT_PUNT_BAD_IP_CSUM;
	return 0;
}

/* The fixed BOOTP header of a request: op, htype/hlen, cookie. */
static __always_inline int parse_bootp(__u8 *d, void *data_end, __u32 len,
				       struct dhcp_req *r)
{
	if (len < DHCP_OPTIONS_OFFSET || len > DX_MAX_DHCP_LEN)
		return DX_STAT_PUNT_TRUNCATED;
	if ((void *)(d + DHCP_OPTIONS_OFFSET) > data_end)
		return DX_STAT_PUNT_TRUNCATED;
	if (d[DHCP_OFF_OP] != BOOTREQUEST)
		return DX_STAT_PUNT_NOT_REQUEST;
	if (d[DHCP_OFF_HTYPE] != DHCP_HTYPE_ETHER ||
	    d[DHCP_OFF_HLEN] != DHCP_HLEN_ETHER)
		return DX_STAT_PUNT_BAD_HW;
	if (*(__be32 *)(d + DHCP_OFF_COOKIE) != bpf_htonl(DHCP_MAGIC_COOKIE))
		return DX_STAT_PUNT_BAD_COOKIE;
	r->ciaddr = *(__be32 *)(d + DHCP_OFF_CIADDR);
	r->giaddr = *(__be32 *)(d + DHCP_OFF_GIADDR);
	r->xid = *(__be32 *)(d + DHCP_OFF_XID);
	r->flags = *(__be16 *)(d + DHCP_OFF_FLAGS);
	__builtin_memcpy(r->chaddr, d + DHCP_OFF_CHADDR, ETH_ALEN);
	r->dhcp_len = len;
	return 0;
}

static __always_inline __be32 load_be32(const __u8 *p)
{
	__be32 v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

/* Which options the walk records; everything else is skipped. */
static const volatile __u8 opt_slot[256] = {
	[DHCP_OPT_MSG_TYPE] = OPT_SLOT_MSG_TYPE,
	[DHCP_OPT_REQUESTED_IP] = OPT_SLOT_REQUESTED_IP,
	[DHCP_OPT_SERVER_ID] = OPT_SLOT_SERVER_ID,
	[DHCP_OPT_LEASE_TIME] = OPT_SLOT_LEASE_TIME,
	[DHCP_OPT_MAX_MSG_SIZE] = OPT_SLOT_MAX_MSG_SIZE,
	[DHCP_OPT_CLIENT_ID] = OPT_SLOT_CLIENT_ID,
	[DHCP_OPT_PARAM_REQUEST] = OPT_SLOT_PARAM_REQUEST,
	[DHCP_OPT_RELAY_AGENT_INFO] = OPT_SLOT_RELAY_INFO,
	[DHCP_OPT_OVERLOAD] = OPT_SLOT_OVERLOAD,
	[DHCP_OPT_HOST_NAME] = OPT_SLOT_HOST_NAME,
	[DHCP_OPT_FQDN] = OPT_SLOT_FQDN,
	[DHCP_OPT_SUBNET_SELECTION] = OPT_SLOT_SUBNET_SELECT,
};

/*
 * Walk the options (RFC 2132 §2) from offset 240 to END, bounded by the
 * UDP length and by DX_MAX_OPTIONS, checking only that every TLV lies
 * inside the message. Interesting options are recorded by slot without
 * branching on their code, so the verifier sees one path per iteration.
 * Returns 0 when END was reached.
 */
static __always_inline int walk_options(__u8 *d, void *data_end,
					__u32 end, struct fast_ctx *fc)
{
	__u32 off = DHCP_OPTIONS_OFFSET;
	__u32 slot;
	__u8 *p;
	__u8 code;

	for (int i = 0; i < DX_MAX_OPTIONS; i++) {
		/* One range for off on every path into the next iteration,
		 * so the verifier can prune. */
		asm volatile("%0 &= 0x7ff" : "+r"(off));
		if (off >= end)
			return DX_STAT_PUNT_BAD_OPTIONS; /* no END */
		p = d + off;
		if ((void *)(p + 2) > data_end) {
			/* Only END may be the very last byte. */
			if ((void *)(p + 1) <= data_end &&
			    p[0] == DHCP_OPT_END)
				return 0;
			return DX_STAT_PUNT_BAD_OPTIONS;
		}
		code = p[0];
		if (code == DHCP_OPT_END)
			return 0;
		if (code == DHCP_OPT_PAD) {
			off += 1;
			continue;
		}
		/* The length byte and the value it announces must be inside
		 * the message. */
		if (off + 2 + p[1] > end)
			return DX_STAT_PUNT_BAD_OPTIONS;
		slot = opt_slot[code];
		if (slot < OPT_SLOTS) {
			fc->opt_off[slot] = off;
			fc->opt_cnt[slot] += 1;
		}
		off += 2 + p[1];
	}
	return DX_STAT_PUNT_BAD_OPTIONS;
}

/* The recorded option in `slot`, with its length checked: a pointer to
 * its code byte, or NULL when absent. *err is set when malformed. */
static __always_inline __u8 *opt_get(__u8 *d, void *data_end,
				     const struct fast_ctx *fc, int slot,
				     __u8 min_len, __u8 max_len, int *err)
{
	__u32 off = fc->opt_off[slot];
	__u8 *p;

	if (!fc->opt_cnt[slot])
		return 0;
	/* A repeated option would be concatenated (RFC 3396); the fast
	 * path leaves such requests to the daemon. */
	if (fc->opt_cnt[slot] > 1 || off > DX_MAX_DHCP_LEN)
		goto bad;
	p = d + off;
	if ((void *)(p + 2) > data_end)
		goto bad;
	if (p[1] < min_len || p[1] > max_len)
		goto bad;
	return p;
bad:
	*err = DX_STAT_PUNT_BAD_OPTIONS;
	return 0;
}

/*
 * Options the fast path relies on: 53 (length 1, 1..8), 50 and 54
 * (length 4), 51 (length 4), 57 (length 2), 61 (length >= 2, RFC 2132
 * §9.14), 55 (length >= 1); 82 noted; 52 refused (overload puts options
 * in sname/file, RFC 2132 §9.3). 12 (length >= 1, RFC 2132 §3.14) and 81
 * (length >= 3, RFC 4702 §2) are not used here, but the daemon refuses a
 * message where they are shorter, and the fast path must not answer what
 * the daemon would drop.
 */
static __always_inline int parse_options(__u8 *d, void *data_end,
					 struct fast_ctx *fc)
{
	struct dhcp_req *r = &fc->req;
	int err = 0;
	__u8 *p;

	__builtin_memset(fc->opt_cnt, 0, sizeof(fc->opt_cnt));
	err = walk_options(d, data_end, r->dhcp_len, fc);
	if (err)
		return err;
	if (fc->opt_cnt[OPT_SLOT_OVERLOAD])
		return DX_STAT_PUNT_OVERLOAD;

	p = opt_get(d, data_end, fc, OPT_SLOT_MSG_TYPE, 1, 1, &err);
	if (!p || (void *)(p + 3) > data_end)
		return DX_STAT_PUNT_NO_MSG_TYPE;
	r->msg_type = p[2];
	if (r->msg_type < DHCPDISCOVER || r->msg_type > DHCPINFORM)
		return DX_STAT_PUNT_NO_MSG_TYPE;

	p = opt_get(d, data_end, fc, OPT_SLOT_REQUESTED_IP, 4, 4, &err);
	if (p) {
		if ((void *)(p + 6) > data_end)
			return DX_STAT_PUNT_BAD_OPTIONS;
		r->req_ip = load_be32(p + 2);
		r->has_req_ip = 1;
	}
	p = opt_get(d, data_end, fc, OPT_SLOT_SERVER_ID, 4, 4, &err);
	if (p) {
		if ((void *)(p + 6) > data_end)
			return DX_STAT_PUNT_BAD_OPTIONS;
		r->server_id = load_be32(p + 2);
		r->has_server_id = 1;
	}
	opt_get(d, data_end, fc, OPT_SLOT_LEASE_TIME, 4, 4, &err);
	p = opt_get(d, data_end, fc, OPT_SLOT_MAX_MSG_SIZE, 2, 2, &err);
	if (p) {
		if ((void *)(p + 4) > data_end)
			return DX_STAT_PUNT_BAD_OPTIONS;
		r->max_size = ((__u16)p[2] << 8) | p[3];
	}
	p = opt_get(d, data_end, fc, OPT_SLOT_CLIENT_ID, 2, 255, &err);
	if (p) {
		r->cid_len = p[1];
		r->cid_off = fc->opt_off[OPT_SLOT_CLIENT_ID] + 2;
	}
	opt_get(d, data_end, fc, OPT_SLOT_PARAM_REQUEST, 1, 255, &err);
	opt_get(d, data_end, fc, OPT_SLOT_HOST_NAME, 1, 255, &err);
	opt_get(d, data_end, fc, OPT_SLOT_FQDN, 3, 255, &err);
	/* The daemon drops a message whose 82 is shorter than 2 (RFC 3046
	 * §2.0: at least one sub-option header). */
	opt_get(d, data_end, fc, OPT_SLOT_RELAY_INFO, 2, 255, &err);
	r->has_relay_info = fc->opt_cnt[OPT_SLOT_RELAY_INFO] != 0;
	return err;
}

/* Sub-options of option 82 looked through for the circuit id. */
#define DX_MAX_SUBOPTS 8

/*
 * The circuit id of the relay agent information option (82, RFC 3046
 * §2.0): sub-option 1 (§2.1), an opaque string naming the port the
 * request came in on, hashed for a rate-limit key (FNV-1a 64 of its first
 * DX_CIRCUIT_ID_HASHED bytes, then of its length). Relays put it first;
 * it is looked for among the first DX_MAX_SUBOPTS sub-options. Returns 1
 * and sets *hash when found inside a well-formed option 82, else 0. Only
 * requests passed up get here (parse_options checked option 82's bounds,
 * not its content).
 */
static __always_inline int parse_circuit_id(__u8 *d, void *data_end,
					    const struct fast_ctx *fc,
					    __u64 *hash)
{
	__u32 off = fc->opt_off[OPT_SLOT_RELAY_INFO];
	__u32 len, pos = 0, cid = 0, cid_len = 0;
	__u64 h = DX_FNV64_OFFSET;
	__u8 *p, *q;

	if (fc->opt_cnt[OPT_SLOT_RELAY_INFO] != 1 || off > DX_MAX_DHCP_LEN)
		return 0;
	/* Verifiers before 6.x lose the bound above when clang spills off
	 * to the stack: bound it where they can see it. */
	asm volatile("%0 &= 0x7ff" : "+r"(off));
	p = d + off;
	if ((void *)(p + 2) > data_end)
		return 0;
	len = p[1];
	p += 2;
	for (int i = 0; i < DX_MAX_SUBOPTS; i++) {
		/* At most 253 + 2 + 255 here: a mask the verifier can use
		 * that changes nothing. */
		asm volatile("%0 &= 0x3ff" : "+r"(pos));
		q = p + pos;
		if (pos + 2 > len || (void *)(q + 2) > data_end)
			return 0;
		if (q[0] == RFC3046_SUBOPT_CIRCUIT_ID) {
			cid = pos + 2;
			cid_len = q[1];
			break;
		}
		pos += 2 + q[1];
	}
	if (!cid_len || cid + cid_len > len)
		return 0;
	asm volatile("%0 &= 0x1ff" : "+r"(cid));
	q = p + cid;
	for (int i = 0; i < DX_CIRCUIT_ID_HASHED; i++) {
		if (i >= cid_len)
			break;
		__u8 *c = q + i;

		/* Keep clang from moving the + 1 onto data_end, which the
		 * verifier refuses. */
		barrier_var(c);
		if ((void *)(c + 1) > data_end)
			return 0;
		h = dx_fnv64_step(h, *c);
	}
	*hash = dx_fnv64_step(h, (__u8)cid_len);
	return 1;
}

#endif /* DHCPXDP_PARSE_H */
