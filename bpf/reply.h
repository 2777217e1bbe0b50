/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Turning a parsed request into the reply, in place, after the frame has
 * been resized. Reply layout (RFC 2131 §4.3.1, table 3):
 *
 *   Ethernet [+ 802.1Q tag kept] | IPv4 (IHL 5) | UDP 67 -> 68 (or 67 to
 *   a relay) | BOOTP op 2 | cookie | 53 54 51 58 59 | subnet options |
 *   61 echoed (RFC 6842) | 82 echoed (RFC 3046 §2.2) | END | zero padding to >= 300 bytes, 4-aligned
 *
 * Each writer takes the frame afresh from the context and checks its own
 * bounds, so the verifier sees a few short phases rather than the product
 * of their loops. Every byte of the reply is written from what was kept
 * of the request, none is left in place: the frame may have grown at its
 * head, moving the request's bytes.
 */
#ifndef DHCPXDP_REPLY_H
#define DHCPXDP_REPLY_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include <dhcpxdp/abi.h>
#include <dhcpxdp/dhcp_wire.h>
#include "csum.h"
#include "parse.h"
#include "request.h"

#define REPLY_TTL 64
/* 53 (3) + 54 (6) + 51 (6) + 58 (6) + 59 (6) */
#define REPLY_FIXED_OPTS_LEN 27
#define REPLY_SUBNET_OPTS_OFF (DHCP_OPTIONS_OFFSET + REPLY_FIXED_OPTS_LEN)
_Static_assert(REPLY_SUBNET_OPTS_OFF == DX_REPLY_OPTS_OFF,
	       "the daemon's option checksum assumes this offset");
_Static_assert(DX_REPLY_SNAME_UDP_OFF == 8 + DHCP_OFF_SNAME &&
		       DX_REPLY_BOOTP_NAMES_LEN ==
			       DHCP_SNAME_LEN + DHCP_FILE_LEN,
	       "the daemon's sname/file checksum assumes this layout");
/* Where 61/END may start at the latest. */
#define REPLY_TAIL_MAX_OFF (REPLY_SUBNET_OPTS_OFF + DX_SUBNET_OPTS_MAX)
/* Where 82 may start at the latest, after the longest 61. */
#define REPLY_RI_MAX_OFF (REPLY_TAIL_MAX_OFF + 2 + DX_CLIENT_ID_MAX)
/* Where END may start at the latest, after the longest 82. */
#define REPLY_END_MAX_OFF (REPLY_RI_MAX_OFF + 2 + DX_RELAY_INFO_MAX)
/* Longest padding written after END: up to the 300-byte BOOTP minimum
 * from the shortest possible reply, plus 4-byte alignment. */
#define REPLY_MAX_PAD 40
#define L2_MAX_LEN 22 /* Ethernet + an 802.1ad and an 802.1Q tag */
#define L34_LEN (sizeof(struct iphdr) + sizeof(struct udphdr))

static __always_inline __u32 round_up8(__u32 v)
{
	return (v + 7) & ~7U;
}

/* Length of the reply's DHCP payload for this subnet, client-id and
 * relay agent information. */
static __always_inline __u32 reply_dhcp_len(__u32 opts_words, __u32 cid_len,
					    __u32 ri_len)
{
	__u32 len = REPLY_SUBNET_OPTS_OFF + opts_words + 1;

	if (cid_len)
		len += 2 + cid_len;
	if (ri_len)
		len += 2 + ri_len;
	if (len < DHCP_MIN_LEN)
		len = DHCP_MIN_LEN;
	return (len + 3) & ~3U;
}

/*
 * RFC 2131 §4.1 reply addressing: to the relay when giaddr is set, to
 * ciaddr when the client has an address, broadcast when the client asks
 * for it, else unicast to yiaddr at chaddr (we write the frame, no ARP).
 */
static __always_inline void reply_address(struct reply_plan *rp,
					  const struct dhcp_req *r,
					  const __u8 *src_mac,
					  const __u8 *chaddr, __be16 flags)
{
	rp->dst_port = bpf_htons(DHCP_CLIENT_PORT);
	if (r->giaddr) {
		rp->dst_ip = r->giaddr;
		rp->dst_port = bpf_htons(DHCP_SERVER_PORT);
		__builtin_memcpy(rp->dst_mac, src_mac, ETH_ALEN);
	} else if (r->ciaddr) {
		rp->dst_ip = r->ciaddr;
		__builtin_memcpy(rp->dst_mac, src_mac, ETH_ALEN);
	} else if (flags & bpf_htons(DHCP_FLAG_BROADCAST)) {
		rp->dst_ip = 0xffffffff;
		__builtin_memset(rp->dst_mac, 0xff, ETH_ALEN);
	} else {
		rp->dst_ip = rp->yiaddr;
		__builtin_memcpy(rp->dst_mac, chaddr, ETH_ALEN);
	}
}

/* The DHCP payload of the frame, with at least `need` bytes behind it. */
static __always_inline __u8 *reply_dhcp(struct xdp_md *ctx, __u32 l2,
					__u32 need, void **data_end)
{
	void *data = (void *)(long)ctx->data;
	__u8 *d;

	*data_end = (void *)(long)ctx->data_end;
	if (l2 > L2_MAX_LEN)
		return 0;
	barrier_var(l2);
	d = data + l2 + L34_LEN;
	if ((void *)(d + need) > *data_end)
		return 0;
	return d;
}

static __always_inline void put_opt32(__u8 *o, __u8 code, __be32 v)
{
	o[0] = code;
	o[1] = 4;
	__builtin_memcpy(o + 2, &v, 4);
}

/* Ethernet, IPv4 and UDP headers; checksums come last. */
static __always_inline int reply_write_headers(struct xdp_md *ctx,
					       const struct fast_ctx *fc)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	const struct reply_plan *rp = &fc->rp;
	struct ethhdr *eth = data;
	__u32 l2 = fc->req.l2_len;
	struct iphdr *iph;
	struct udphdr *udp;

	if (l2 > L2_MAX_LEN)
		return -1;
	barrier_var(l2);
	iph = data + l2;
	udp = (void *)(iph + 1);
	if ((void *)(eth + 1) > data_end || (void *)(udp + 1) > data_end)
		return -1;
	__builtin_memcpy(eth->h_dest, rp->dst_mac, ETH_ALEN);
	__builtin_memcpy(eth->h_source, fc->net.mac, ETH_ALEN);
	/* The reply leaves on the VLAN the request came from, with the
	 * same tags (priority bits included). */
	if (l2 == sizeof(*eth) + 2 * sizeof(struct vlan_hdr)) {
		struct vlan_hdr *sh = (void *)(eth + 1), *vh = sh + 1;

		if ((void *)(vh + 1) > data_end)
			return -1;
		eth->h_proto = bpf_htons(ETH_P_8021AD);
		sh->tci = fc->req.svlan_tci;
		sh->encap_proto = bpf_htons(ETH_P_8021Q);
		vh->tci = fc->req.vlan_tci;
		vh->encap_proto = bpf_htons(ETH_P_IP);
	} else if (l2 == sizeof(*eth) + sizeof(struct vlan_hdr)) {
		struct vlan_hdr *vh = (void *)(eth + 1);

		if ((void *)(vh + 1) > data_end)
			return -1;
		eth->h_proto = bpf_htons(ETH_P_8021Q);
		vh->tci = fc->req.vlan_tci;
		vh->encap_proto = bpf_htons(ETH_P_IP);
	} else {
		eth->h_proto = bpf_htons(ETH_P_IP);
	}

	iph->version = 4;
	iph->ihl = 5;
	iph->tos = 0;
	iph->tot_len = bpf_htons(L34_LEN + rp->dhcp_len);
	iph->id = 0;
	iph->frag_off = 0;
	iph->ttl = REPLY_TTL;
	iph->protocol = IPPROTO_UDP;
	iph->saddr = fc->net.addr;
	iph->daddr = rp->dst_ip;
	ipv4_csum_set(iph);

	udp->source = bpf_htons(DHCP_SERVER_PORT);
	udp->dest = rp->dst_port;
	udp->len = bpf_htons(sizeof(*udp) + rp->dhcp_len);
	return 0;
}

/* BOOTP fixed part and options 53, 54, 51, 58, 59. */
static __always_inline int reply_write_bootp(struct xdp_md *ctx,
					     const struct fast_ctx *fc,
					     const struct dx_subnet *sn)
{
	const struct reply_plan *rp = &fc->rp;
	void *data_end;
	__u8 *d = reply_dhcp(ctx, fc->req.l2_len, REPLY_SUBNET_OPTS_OFF,
			     &data_end);
	__u64 *w;
	__u8 *o;

	if (!d)
		return -1;
	/* RFC 2131 table 3 */
	d[DHCP_OFF_OP] = BOOTREPLY;
	d[DHCP_OFF_HTYPE] = DHCP_HTYPE_ETHER;
	d[DHCP_OFF_HLEN] = DHCP_HLEN_ETHER;
	d[DHCP_OFF_HOPS] = 0;
	*(__be32 *)(d + DHCP_OFF_XID) = fc->req.xid;
	*(__u16 *)(d + DHCP_OFF_SECS) = 0;
	*(__be16 *)(d + DHCP_OFF_FLAGS) = fc->req.flags;
	/* ciaddr is 0 in an OFFER, the client's in an ACK. */
	*(__be32 *)(d + DHCP_OFF_CIADDR) =
		rp->msg_type == DHCPOFFER ? 0 : fc->req.ciaddr;
	*(__be32 *)(d + DHCP_OFF_YIADDR) = rp->yiaddr;
	*(__be32 *)(d + DHCP_OFF_GIADDR) = fc->req.giaddr;
	/* chaddr: the 6-byte MAC, the rest zero (hlen is 6) */
	__builtin_memcpy(d + DHCP_OFF_CHADDR, fc->key.mac, ETH_ALEN);
	*(__u16 *)(d + DHCP_OFF_CHADDR + 6) = 0;
	*(__u64 *)(d + DHCP_OFF_CHADDR + 8) = 0;
	*(__be32 *)(d + DHCP_OFF_COOKIE) = bpf_htonl(DHCP_MAGIC_COOKIE);
	/*
	 * siaddr, sname and file (RFC 2131 §2, never overloaded here): the
	 * subnet's boot fields, the daemon's values for this subnet; else
	 * zero, clearing whatever the client left there.
	 */
	w = (__u64 *)(d + DHCP_OFF_SNAME);
	if (sn->flags & DX_SUBNET_F_BOOTP) {
		const __u64 *src = (const __u64 *)sn->sname;

		*(__be32 *)(d + DHCP_OFF_SIADDR) = sn->siaddr;
#pragma unroll
		for (int i = 0; i < DX_REPLY_BOOTP_NAMES_LEN / 8; i++)
			w[i] = src[i];
	} else {
		*(__be32 *)(d + DHCP_OFF_SIADDR) = 0;
#pragma unroll
		for (int i = 0; i < DX_REPLY_BOOTP_NAMES_LEN / 8; i++)
			w[i] = 0;
	}

	o = d + DHCP_OPTIONS_OFFSET;
	o[0] = DHCP_OPT_MSG_TYPE;
	o[1] = 1;
	o[2] = rp->msg_type;
	put_opt32(o + 3, DHCP_OPT_SERVER_ID, fc->net.addr);
	put_opt32(o + 9, DHCP_OPT_LEASE_TIME, bpf_htonl(sn->lease_time));
	put_opt32(o + 15, DHCP_OPT_RENEWAL_TIME, bpf_htonl(sn->t1));
	put_opt32(o + 21, DHCP_OPT_REBINDING_TIME, bpf_htonl(sn->t2));
	return 0;
}

/*
 * The subnet's pre-encoded options, a word at a time. The daemon zeroes
 * the map value past opts_len, so the copy's tail is PAD options.
 */
static __always_inline int reply_copy_subnet_opts(struct xdp_md *ctx,
						  const struct fast_ctx *fc,
						  const struct dx_subnet *sn)
{
	void *data_end;
	__u8 *q = reply_dhcp(ctx, fc->req.l2_len, REPLY_SUBNET_OPTS_OFF,
			     &data_end);
	__u32 words = fc->rp.opts_words;

	if (!q)
		return -1;
	q += REPLY_SUBNET_OPTS_OFF;
	for (int i = 0; i < DX_SUBNET_OPTS_MAX / 8; i++) {
		if (i * 8 >= words)
			break;
		if ((void *)(q + i * 8 + 8) > data_end)
			return -1;
		*(__u64 *)(q + i * 8) = *(const __u64 *)(sn->opts + i * 8);
	}
	return 0;
}

/* Option 61 echoed from the stash (RFC 6842 §3). */
static __always_inline int reply_write_client_id(struct xdp_md *ctx,
						 const struct fast_ctx *fc)
{
	__u32 off = REPLY_SUBNET_OPTS_OFF + fc->rp.opts_words;
	__u32 n = fc->rp.cid_len;
	void *data_end;
	__u8 *d = reply_dhcp(ctx, fc->req.l2_len, 0, &data_end);
	__u8 *p;

	if (!d || off > REPLY_TAIL_MAX_OFF)
		return -1;
	barrier_var(off);
	p = d + off;
	if ((void *)(p + 2) > data_end)
		return -1;
	p[0] = DHCP_OPT_CLIENT_ID;
	p[1] = n;
	p += 2;
	for (int i = 0; i < DX_CLIENT_ID_MAX; i++) {
		if (i >= n)
			break;
		if ((void *)(p + i + 1) > data_end)
			return -1;
		p[i] = fc->cid[i];
	}
	return 0;
}

/* Option 82 echoed from the stash, unchanged and last (RFC 3046 §2.2). */
static __always_inline int reply_write_relay_info(struct xdp_md *ctx,
						  const struct fast_ctx *fc)
{
	__u32 off = REPLY_SUBNET_OPTS_OFF + fc->rp.opts_words;
	__u32 n = fc->rp.ri_len;
	void *data_end;
	__u8 *d = reply_dhcp(ctx, fc->req.l2_len, 0, &data_end);
	__u8 *p;

	if (fc->rp.cid_len)
		off += 2 + fc->rp.cid_len;
	if (!d || off > REPLY_RI_MAX_OFF)
		return -1;
	barrier_var(off);
	p = d + off;
	if ((void *)(p + 2) > data_end)
		return -1;
	p[0] = DHCP_OPT_RELAY_AGENT_INFO;
	p[1] = n;
	p += 2;
	for (int i = 0; i < DX_RELAY_INFO_MAX; i++) {
		if (i >= n)
			break;
		if ((void *)(p + i + 1) > data_end)
			return -1;
		p[i] = fc->ri[i];
	}
	return 0;
}

/* END, then zeros up to the reply length. */
static __always_inline int reply_write_end(struct xdp_md *ctx,
					   const struct fast_ctx *fc)
{
	__u32 off = REPLY_SUBNET_OPTS_OFF + fc->rp.opts_words;
	__u32 len = fc->rp.dhcp_len;
	void *data_end;
	__u8 *d = reply_dhcp(ctx, fc->req.l2_len, 0, &data_end);
	__u8 *p;

	if (fc->rp.cid_len)
		off += 2 + fc->rp.cid_len;
	if (fc->rp.ri_len)
		off += 2 + fc->rp.ri_len;
	if (!d || off > REPLY_END_MAX_OFF)
		return -1;
	barrier_var(off);
	p = d + off;
	if ((void *)(p + 1) > data_end)
		return -1;
	p[0] = DHCP_OPT_END;
	off++;
	p++;
	for (int i = 0; i < REPLY_MAX_PAD; i++) {
		if (off + i >= len)
			break;
		if ((void *)(p + i + 1) > data_end)
			return -1;
		p[i] = 0;
	}
	return 0;
}

/*
 * UDP checksum (RFC 768) of the finished reply without summing it byte by
 * byte: the headers, BOOTP fields and fixed options are summed here as
 * native 16-bit words; the subnet options' share was computed by the
 * daemon (dx_subnet.opts_csum), the client-id's and the relay agent
 * information's while stashing them, sname and file's too
 * (dx_subnet.bootp_csum) when the subnet sets them; padding is zero and
 * adds nothing.
 */
#define UDP_POS_COOKIE (8 + DHCP_OFF_COOKIE)
#define UDP_POS_OPTS (8 + DHCP_OPTIONS_OFFSET)

static __always_inline int reply_checksum(struct xdp_md *ctx,
					  const struct fast_ctx *fc,
					  const struct dx_subnet *sn)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 l2 = fc->req.l2_len, end_pos, udp_len;
	struct udphdr *udp;
	struct iphdr *iph;
	__u64 sum;
	__u16 *w;

	if (l2 > L2_MAX_LEN)
		return -1;
	barrier_var(l2);
	iph = data + l2;
	udp = (void *)(iph + 1);
	if ((void *)udp + DX_REPLY_OPTS_UDP_OFF > data_end)
		return -1;
	w = (__u16 *)udp;
	udp_len = sizeof(*udp) + fc->rp.dhcp_len;

	udp->check = 0;
	sum = (iph->saddr & 0xffff) + (iph->saddr >> 16) +
	      (iph->daddr & 0xffff) + (iph->daddr >> 16) +
	      bpf_htons(IPPROTO_UDP) + bpf_htons((__u16)udp_len);
	/* UDP header and BOOTP up to sname */
#pragma unroll
	for (int i = 0; i < (8 + DHCP_OFF_SNAME) / 2; i++)
		sum += w[i];
	/* cookie and the fixed options, the last of them a lone byte */
#pragma unroll
	for (int i = UDP_POS_COOKIE / 2; i < (DX_REPLY_OPTS_UDP_OFF - 1) / 2;
	     i++)
		sum += w[i];
	sum += dx_csum_byte(DX_REPLY_OPTS_UDP_OFF - 1,
			    ((__u8 *)udp)[DX_REPLY_OPTS_UDP_OFF - 1]);
	sum += sn->opts_csum + fc->cid_csum;
	if (sn->flags & DX_SUBNET_F_BOOTP)
		sum += sn->bootp_csum;
	end_pos = DX_REPLY_OPTS_UDP_OFF + fc->rp.opts_words;
	if (fc->rp.cid_len)
		end_pos += 2 + fc->rp.cid_len;
	if (fc->rp.ri_len) {
		sum += fc->ri_csum;
		end_pos += 2 + fc->rp.ri_len;
	}
	sum += dx_csum_byte(end_pos, DHCP_OPT_END);

	udp->check = csum_fold(sum);
	if (udp->check == 0)
		udp->check = 0xffff;
	return 0;
}

#endif /* DHCPXDP_REPLY_H */
