// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Classic BPF programs of the packet sockets (pkt_filter.h).
 *
 * Which network a frame belongs to, as the socket sees it (pkt_io.c):
 * the kernel moved its outer tag into skb metadata, read here through the
 * ancillary loads SKF_AD_VLAN_TAG_PRESENT, SKF_AD_VLAN_TAG and
 * SKF_AD_VLAN_TPID; a QinQ frame's C-tag stays in the frame. The
 * network's (S-tag, C-tag) go to scratch memory M[0], M[1], and are
 * compared with the socket's own, then with the other sockets'.
 */
#include <errno.h>
#include <string.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/in.h>
#include <dhcpxdp/dhcp_wire.h>
#include "kernel/pkt_filter.h"

/*
 * Classic BPF: accept IPv4 UDP to port 67, not fragmented, addressed to
 * this host (pkt_type HOST, BROADCAST or MULTICAST), untagged or with
 * one 802.1Q tag left in the frame (the C-tag of QinQ, whose S-tag the
 * kernel stripped); drop everything else in the kernel.
 * The same test as tcpdump's "udp dst port 67 and not ip[6:2] & 0x3fff
 * != 0", written out twice for the two header offsets.
 */
enum {
	F_PKTTYPE,
	F_PKTTYPE_OK,
	F_ETHERTYPE,
	F_IS_VLAN,
	/* untagged */
	F_IS_IP,
	F_PROTO,
	F_IS_UDP,
	F_FRAG,
	F_NOT_FRAG,
	F_IHL,
	F_DPORT,
	F_IS_67,
	/* one tag in the frame */
	F_V_ETHERTYPE,
	F_V_IS_IP,
	F_V_PROTO,
	F_V_IS_UDP,
	F_V_FRAG,
	F_V_NOT_FRAG,
	F_V_IHL,
	F_V_DPORT,
	F_V_IS_67,
	F_ACCEPT,
	F_DROP,
};

#define TO(from, to) ((to) - (from)-1)

static const struct sock_filter dhcp_filter[PKT_FILTER_DHCP_LEN] = {
	[F_PKTTYPE] = BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			       (uint32_t)SKF_AD_OFF + SKF_AD_PKTTYPE),
	[F_PKTTYPE_OK] = BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, PACKET_MULTICAST,
				  TO(F_PKTTYPE_OK, F_DROP), 0),
	[F_ETHERTYPE] = BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
	[F_IS_VLAN] = BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_8021Q,
			       TO(F_IS_VLAN, F_V_ETHERTYPE), 0),
	[F_IS_IP] = BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IP, 0,
			     TO(F_IS_IP, F_DROP)),
	[F_PROTO] = BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 14 + 9),
	[F_IS_UDP] = BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP, 0,
			      TO(F_IS_UDP, F_DROP)),
	[F_FRAG] = BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 14 + 6),
	[F_NOT_FRAG] = BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x3fff,
				TO(F_NOT_FRAG, F_DROP), 0),
	[F_IHL] = BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 14),
	[F_DPORT] = BPF_STMT(BPF_LD | BPF_H | BPF_IND, 14 + 2),
	[F_IS_67] = BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, DHCP_SERVER_PORT,
			     TO(F_IS_67, F_ACCEPT), TO(F_IS_67, F_DROP)),
	[F_V_ETHERTYPE] = BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 16),
	[F_V_IS_IP] = BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IP, 0,
			       TO(F_V_IS_IP, F_DROP)),
	[F_V_PROTO] = BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 18 + 9),
	[F_V_IS_UDP] = BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP, 0,
				TO(F_V_IS_UDP, F_DROP)),
	[F_V_FRAG] = BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 18 + 6),
	[F_V_NOT_FRAG] = BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x3fff,
				  TO(F_V_NOT_FRAG, F_DROP), 0),
	[F_V_IHL] = BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 18),
	[F_V_DPORT] = BPF_STMT(BPF_LD | BPF_H | BPF_IND, 18 + 2),
	[F_V_IS_67] = BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, DHCP_SERVER_PORT,
			       TO(F_V_IS_67, F_ACCEPT), TO(F_V_IS_67, F_DROP)),
	/* whole frame; recvmmsg reports oversized ones with MSG_TRUNC */
	[F_ACCEPT] = BPF_STMT(BPF_RET | BPF_K, 0x40000),
	[F_DROP] = BPF_STMT(BPF_RET | BPF_K, 0),
};

_Static_assert(F_DROP + 1 == PKT_FILTER_DHCP_LEN, "PKT_FILTER_DHCP_LEN");

size_t pkt_filter_dhcp(struct sock_filter *out)
{
	memcpy(out, dhcp_filter, sizeof(dhcp_filter));
	return PKT_FILTER_DHCP_LEN;
}

#define AD(x) ((uint32_t)SKF_AD_OFF + (x))
#define M_S   0 /* scratch: the frame's S-tag VLAN id */
#define M_C   1 /* and its C-tag's */

/* A program under construction; jumps forward to a label are fixed up
 * when the label is placed (jt/jf reach 255 ahead, ja anywhere). */
struct prog {
	struct sock_filter *f;
	size_t n, cap;
	int err;
};

static size_t emit(struct prog *p, uint16_t code, uint8_t jt, uint8_t jf,
		   uint32_t k)
{
	if (p->n >= p->cap) {
		p->err = -E2BIG;
		return p->n;
	}
	p->f[p->n] = (struct sock_filter){code, jt, jf, k};
	return p->n++;
}

/* Point the jump at `at` (its jt, or jf, or ja's k) to the next
 * instruction. */
static void land(struct prog *p, size_t at, int which)
{
	size_t off = p->n - at - 1;

	if (p->err || at >= p->n)
		return;
	if (which == 2)
		p->f[at].k = (uint32_t)off;
	else if (off > 255)
		p->err = -E2BIG;
	else if (which == 0)
		p->f[at].jt = (uint8_t)off;
	else
		p->f[at].jf = (uint8_t)off;
}

/* M[M_C] = the VLAN id of a tag left in the frame at offset 12, else 0. */
static void frame_ctag(struct prog *p, size_t *to_cmp)
{
	size_t no_tag, done;

	emit(p, BPF_LD | BPF_H | BPF_ABS, 0, 0, 12);
	no_tag = emit(p, BPF_JMP | BPF_JEQ | BPF_K, 0, 0, ETH_P_8021Q);
	emit(p, BPF_LD | BPF_H | BPF_ABS, 0, 0, 14);
	emit(p, BPF_ALU | BPF_AND | BPF_K, 0, 0, 0x0fff);
	emit(p, BPF_ST, 0, 0, M_C);
	done = emit(p, BPF_JMP | BPF_JA, 0, 0, 0);
	land(p, no_tag, 1);
	emit(p, BPF_LD | BPF_IMM, 0, 0, 0);
	emit(p, BPF_ST, 0, 0, M_C);
	*to_cmp = done;
}

/* Frames of network t go on (fall through) or are dropped (drop): the
 * compare, then `ret 0` or a jump past the rest of the list. */
static size_t match(struct prog *p, struct pkt_net t, bool drop)
{
	size_t miss_s, miss_c, hit = 0;

	emit(p, BPF_LD | BPF_MEM, 0, 0, M_S);
	miss_s = emit(p, BPF_JMP | BPF_JEQ | BPF_K, 0, 0, t.svlan);
	emit(p, BPF_LD | BPF_MEM, 0, 0, M_C);
	miss_c = emit(p, BPF_JMP | BPF_JEQ | BPF_K, 0, 0, t.vlan);
	if (drop)
		emit(p, BPF_RET | BPF_K, 0, 0, 0);
	else
		hit = emit(p, BPF_JMP | BPF_JA, 0, 0, 0);
	land(p, miss_s, 1);
	land(p, miss_c, 1);
	return hit;
}

int pkt_filter_network(struct pkt_net own, const struct pkt_net *others,
		       size_t n, bool catch_rest, struct sock_filter *out,
		       size_t cap)
{
	struct prog p = {.f = out, .cap = cap};
	size_t untagged, single, cmp[3], hit;

	if (!out || (n && !others) || n > PKT_FILTER_NETS_MAX)
		return -E2BIG;
	/* Outer tag in metadata? */
	emit(&p, BPF_LD | BPF_W | BPF_ABS, 0, 0, AD(SKF_AD_VLAN_TAG_PRESENT));
	untagged = emit(&p, BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 0);
	emit(&p, BPF_LD | BPF_W | BPF_ABS, 0, 0, AD(SKF_AD_VLAN_TAG));
	emit(&p, BPF_ALU | BPF_AND | BPF_K, 0, 0, 0x0fff);
	emit(&p, BPF_ST, 0, 0, M_S);
	emit(&p, BPF_LD | BPF_W | BPF_ABS, 0, 0, AD(SKF_AD_VLAN_TPID));
	single = emit(&p, BPF_JMP | BPF_JEQ | BPF_K, 0, 0, ETH_P_8021AD);
	/* QinQ: the S-tag in metadata, the C-tag in the frame. */
	frame_ctag(&p, &cmp[0]);
	cmp[1] = emit(&p, BPF_JMP | BPF_JA, 0, 0, 0);
	/* One 802.1Q tag in metadata: it is the C-tag. */
	land(&p, single, 1);
	emit(&p, BPF_LD | BPF_MEM, 0, 0, M_S);
	emit(&p, BPF_ST, 0, 0, M_C);
	emit(&p, BPF_LD | BPF_IMM, 0, 0, 0);
	emit(&p, BPF_ST, 0, 0, M_S);
	cmp[2] = emit(&p, BPF_JMP | BPF_JA, 0, 0, 0);
	/* No tag in metadata: maybe one in the frame. */
	land(&p, untagged, 0);
	emit(&p, BPF_LD | BPF_IMM, 0, 0, 0);
	emit(&p, BPF_ST, 0, 0, M_S);
	frame_ctag(&p, &hit);
	land(&p, hit, 2);
	for (int i = 0; i < 3; i++)
		land(&p, cmp[i], 2);
	/* Ours: on to the DHCP test. Another socket's: drop. */
	hit = match(&p, own, false);
	if (catch_rest)
		for (size_t i = 0; i < n; i++)
			match(&p, others[i], true);
	else
		emit(&p, BPF_RET | BPF_K, 0, 0, 0);
	land(&p, hit, 2);
	if (p.n + PKT_FILTER_DHCP_LEN > p.cap)
		return -E2BIG;
	if (p.err)
		return p.err;
	p.n += pkt_filter_dhcp(p.f + p.n);
	return (int)p.n;
}
