// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * dhcpxdp's XDP program: answers DHCP renewals of known leases and
 * requests from clients with a reservation by rewriting the request into
 * the reply and sending it back out (XDP_TX). Everything else is passed
 * up untouched (XDP_PASS) to the daemon, with the reason counted.
 * See docs/design.md §2 for when the fast path may answer.
 *
 * Per-packet cost is set by the memory an ACK touches more than by its
 * instructions: the lease hash lookup (a call, a bucket and an element
 * far apart) is a third of a renewal with a thousand leases and most of
 * it with a million (docs/design.md §4, "What a renewal ACK costs"). The
 * path makes few calls: untagged networks and subnets are arrays (VLANs
 * and leases are hashed), the clock is read only for dynamic leases, the
 * UDP checksum is summed inline from precomputed shares, and a renewal
 * reaches the ring buffer only when its horizon needs extending.
 * What is passed up goes through the rate limits of ratelimit.h first;
 * answered requests never do.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include <dhcpxdp/abi.h>
#include <dhcpxdp/dhcp_wire.h>
#include <dhcpxdp/stats.h>
#include "circuit.h"
#include "maps.bpf.h"
#include "parse.h"
#include "ratelimit.h"
#include "reply.h"

#define NSEC_PER_SEC 1000000000ULL

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Parse the frame into fc: 0, or the punt reason. */
static __always_inline int parse_request(struct xdp_md *ctx,
					 struct fast_ctx *fc)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct hdr_cursor c = {.pos = data};
	struct dhcp_req *r = &fc->req;
	__u32 ip_payload, dhcp_len;
	struct iphdr *iph;
	int ret;

	__builtin_memset(r, 0, sizeof(*r));
	fc->rp.msg_type = 0;
	fc->extend = 0;
	fc->limit = 0;
	fc->known = 0;
	fc->other_host = 0;
	fc->ri_len = 0;
	fc->has_circuit = 0;
	fc->circ_len = 0;
	ret = parse_ethhdr(&c, data_end, r);
	if (ret)
		return ret;
	iph = c.pos;
	ret = parse_iphdr(&c, data_end, r, &ip_payload);
	if (ret)
		return ret;
	ret = parse_udphdr(&c, data_end, ip_payload, &dhcp_len);
	if (ret)
		return ret;
	ret = parse_ip_csum(iph, data_end);
	if (ret)
		return ret;
	ret = parse_bootp(c.pos, data_end, dhcp_len, r);
	if (ret)
		return ret;
	return parse_options(c.pos, data_end, fc);
}

/*
 * Answer only what is addressed to us on the arrival network, or
 * broadcast: at Ethernet our MAC or ff:ff:ff:ff:ff:ff, at IPv4 our
 * address or 255.255.255.255. A promiscuous NIC or a bridge port also
 * hands XDP other hosts' unicast renewals, which are another server's to
 * answer (the daemon's packet socket never sees PACKET_OTHERHOST frames).
 * A client in RENEWING unicasts to our address at our MAC (RFC 2131
 * §4.3.2), and so does a relay configured with that address (RFC 1542
 * §4); the other states broadcast. A relay pointed at another of the
 * host's addresses is left to the daemon.
 */
static __always_inline int addressed_to_us(struct xdp_md *ctx,
					   struct fast_ctx *fc)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	const __u8 *dst = data;
	__u8 diff = 0, bcast = 0xff;

	if ((void *)(dst + ETH_ALEN) > data_end)
		return DX_STAT_PUNT_TRUNCATED;
#pragma unroll
	for (int i = 0; i < ETH_ALEN; i++) {
		diff |= dst[i] ^ fc->net.mac[i];
		bcast &= dst[i];
	}
	if (diff && bcast != 0xff) {
		/* Another host's unicast MAC: the daemon never reads it
		 * (PACKET_OTHERHOST), so no rate limit applies. */
		fc->other_host = !(dst[0] & 1);
		return DX_STAT_PUNT_OTHER_HOST;
	}
	if (fc->req.ip_dst != fc->net.addr && fc->req.ip_dst != 0xffffffff)
		return DX_STAT_PUNT_OTHER_HOST;
	return 0;
}

/*
 * The network the request arrived on gives our address there (server
 * identifier, reply source), to which the frame must be addressed; the
 * subnet is the relay's (longest prefix match on giaddr) when relayed,
 * else the one attached to that network (docs/design.md §1).
 */
static __always_inline int select_subnet(struct xdp_md *ctx,
					 struct fast_ctx *fc,
					 const struct dx_subnet **sn)
{
	struct dx_network_key nk = {
		.ifindex = ctx->ingress_ifindex,
		.vlan = fc->req.vlan,
		.svlan = fc->req.svlan,
	};
	struct dx_network *net;
	__u32 *slot;
	int ret;

	if (!nk.vlan && !nk.svlan && nk.ifindex < DX_IFACE_SLOTS) {
		__u32 idx = nk.ifindex;

		net = bpf_map_lookup_elem(&dx_ifaces, &idx);
		if (!net || !net->addr)
			return DX_STAT_PUNT_NO_NETWORK;
	} else {
		net = bpf_map_lookup_elem(&dx_networks, &nk);
		if (!net)
			return DX_STAT_PUNT_NO_NETWORK;
	}
	fc->net = *net;
	ret = addressed_to_us(ctx, fc);
	if (ret)
		return ret;
	fc->subnet_slot = net->subnet_slot;
	if (fc->req.giaddr) {
		struct dx_relay_key rk = {.prefixlen = 32,
					  .addr = fc->req.giaddr};

		slot = bpf_map_lookup_elem(&dx_relays, &rk);
		if (!slot)
			return DX_STAT_PUNT_NO_SUBNET;
		fc->subnet_slot = *slot;
	}
	*sn = bpf_map_lookup_elem(&dx_subnets, &fc->subnet_slot);
	if (!*sn || !(*sn)->subnet_id)
		return DX_STAT_PUNT_NO_SUBNET;
	return 0;
}

/*
 * Copy option 61 aside (the reply overwrites it), hash it the way the
 * daemon does to compare it with the lease's, and sum its share of the
 * reply's UDP checksum (it is echoed after the subnet options, whose
 * length is a multiple of 8, so its parity is fixed).
 */
static __always_inline int stash_client_id(struct xdp_md *ctx,
					   struct fast_ctx *fc)
{
	__u32 n = fc->req.cid_len, off = fc->req.cid_off;
	__u32 csum = 0;
	__u64 h = DX_FNV64_OFFSET;
	void *data_end;
	__u8 *p;

	fc->cid_hash = 0;
	fc->cid_csum = 0;
	if (!n)
		return 0;
	if (n > DX_CLIENT_ID_MAX)
		return DX_STAT_PUNT_CLIENT_ID_LONG;
	p = reply_dhcp(ctx, fc->req.l2_len, 0, &data_end);
	if (!p || off > DX_MAX_DHCP_LEN)
		return DX_STAT_PUNT_BAD_OPTIONS;
	p += off;
	for (int i = 0; i < DX_CLIENT_ID_MAX; i++) {
		if (i >= n)
			break;
		if ((void *)(p + i + 1) > data_end)
			return DX_STAT_PUNT_BAD_OPTIONS;
		fc->cid[i] = p[i];
		h = dx_fnv64_step(h, p[i]);
		csum += dx_csum_byte(DX_REPLY_OPTS_UDP_OFF + 2 + i, p[i]);
	}
	fc->cid_hash = h;
	fc->cid_csum = csum +
		       dx_csum_byte(DX_REPLY_OPTS_UDP_OFF, DHCP_OPT_CLIENT_ID) +
		       dx_csum_byte(DX_REPLY_OPTS_UDP_OFF + 1, (__u8)n);
	return 0;
}

/* Sub-options of option 82 walked; relays send two to four. */
#define DX_RI_SUBOPTS 16

/*
 * Copy option 82 aside to echo it unchanged, last before END (RFC 3046
 * §2.2), and sum its share of the reply's UDP checksum. It follows 61 in
 * the reply, after subnet options that take a multiple of 8 bytes: only
 * 61's length moves its parity. Then walk its sub-options (§2.0): link
 * selection (sub-option 5, RFC 3527 §3) makes the daemon select the
 * subnet from it rather than from giaddr, so it is passed up; a circuit
 * id (§2.1) is noted for subnets with circuit-id reservations. An option
 * longer than DX_RELAY_INFO_MAX, or whose sub-options do not tile it
 * within DX_RI_SUBOPTS, is passed up too.
 */
static __always_inline int stash_relay_info(struct xdp_md *ctx,
					    struct fast_ctx *fc)
{
	__u32 off = fc->opt_off[OPT_SLOT_RELAY_INFO], n, pos = 0, base;
	__u32 csum;
	void *data_end;
	__u8 *p;

	if (!fc->req.has_relay_info)
		return 0;
	p = reply_dhcp(ctx, fc->req.l2_len, 0, &data_end);
	if (!p || off > DX_MAX_DHCP_LEN)
		return DX_STAT_PUNT_BAD_OPTIONS;
	asm volatile("%0 &= 0x7ff" : "+r"(off));
	p += off;
	if ((void *)(p + 2) > data_end)
		return DX_STAT_PUNT_BAD_OPTIONS;
	n = p[1];
	if (n > DX_RELAY_INFO_MAX)
		return DX_STAT_PUNT_RELAY_INFO;
	base = DX_REPLY_OPTS_UDP_OFF;
	if (fc->req.cid_len)
		base += 2 + fc->req.cid_len;
	csum = dx_csum_byte(base, DHCP_OPT_RELAY_AGENT_INFO) +
	       dx_csum_byte(base + 1, (__u8)n);
	p += 2;
	for (int i = 0; i < DX_RELAY_INFO_MAX; i++) {
		if (i >= n)
			break;
		if ((void *)(p + i + 1) > data_end)
			return DX_STAT_PUNT_BAD_OPTIONS;
		fc->ri[i] = p[i];
		csum += dx_csum_byte(base + 2 + i, p[i]);
	}
	fc->ri_len = n;
	fc->ri_csum = csum;
	for (int i = 0; i < DX_RI_SUBOPTS; i++) {
		__u8 code, len;

		if (pos == n)
			return 0;
		if (pos + 2 > n)
			return DX_STAT_PUNT_RELAY_INFO;
		code = fc->ri[pos & (DX_RELAY_INFO_MAX - 1)];
		len = fc->ri[(pos + 1) & (DX_RELAY_INFO_MAX - 1)];
		if (code == RFC3527_SUBOPT_LINK_SELECTION)
			return DX_STAT_PUNT_LINK_SELECTION;
		if (code == RFC3046_SUBOPT_CIRCUIT_ID && !fc->has_circuit) {
			fc->has_circuit = 1;
			fc->circ_off = pos + 2; /* < DX_RELAY_INFO_MAX */
			fc->circ_len = len;
		}
		pos += 2 + len;
	}
	return pos == n ? 0 : DX_STAT_PUNT_RELAY_INFO;
}

/*
 * RFC 2131 §4.3.2: the address a REQUEST asks for is ciaddr in RENEWING
 * and REBINDING, option 50 in SELECTING and INIT-REBOOT.
 */
static __always_inline __be32 requested_addr(const struct dhcp_req *r)
{
	return r->ciaddr ? r->ciaddr : r->req_ip;
}

/* Is @a (the entry's address) in a pool with options of its own? Its
 * replies carry the pool's options, not the subnet's block. */
static __always_inline int in_pool_opts(const struct dx_subnet *sn, __be32 a)
{
	__u32 h = bpf_ntohl(a);

#pragma unroll
	for (int i = 0; i < DX_SUBNET_POOL_OPTS_MAX; i++)
		if (i < sn->n_pool_opts && h >= sn->pool_opts[i].first &&
		    h <= sn->pool_opts[i].last)
			return 1;
	return 0;
}

/*
 * A shared network's subnets (DX_SUBNET_F_SHARED): the link selected one
 * of them; pick the request's as the engine does (engine_network.c). A
 * REQUEST is about its address: the subnet holding it. Anything else
 * (a DISCOVER, a SELECTING REQUEST without option 50): the first subnet,
 * in configuration order, where the client has an entry (a reservation
 * or a lease). Neither found among the first DX_LINK_SUBNETS_MAX: the
 * subnet stays, its lease lookup misses, and the daemon answers.
 */
static __always_inline void link_pick(struct fast_ctx *fc,
				      const struct dx_subnet **sn)
{
	__be32 want =
		fc->req.msg_type == DHCPREQUEST ? requested_addr(&fc->req) : 0;
	struct dx_lease_key k = {0};
	__u32 slot = (*sn)->first_slot;

	__builtin_memcpy(k.mac, fc->req.chaddr, ETH_ALEN);
	for (int i = 0; i < DX_LINK_SUBNETS_MAX; i++) {
		const struct dx_subnet *t =
			bpf_map_lookup_elem(&dx_subnets, &slot);

		if (!t || !t->subnet_id)
			return;
		k.subnet_id = t->subnet_id;
		if (want ? (want & t->mask) == t->network
			 : bpf_map_lookup_elem(&dx_leases, &k) != 0) {
			*sn = t;
			fc->subnet_slot = slot;
			return;
		}
		slot = t->next_slot;
		if (slot == DX_SUBNET_SLOT_NONE)
			return;
	}
}

/*
 * A RENEWING or REBINDING client names its address in ciaddr (RFC 2131
 * §4.3.2): its dynamic lease's entry, if the subnet's window in dx_addrs
 * covers that address and the entry there is this client's (abi.h).
 * NULL otherwise: dx_leases, the index of every entry, decides.
 */
static __always_inline struct dx_lease *
lease_by_addr(const struct fast_ctx *fc, const struct dx_subnet *sn)
{
	struct dx_addr_lease *e;
	__u32 off, idx;

	if (fc->req.msg_type != DHCPREQUEST || !fc->req.ciaddr)
		return 0;
	off = bpf_ntohl(fc->req.ciaddr) - sn->win.first;
	if (off >= sn->win.size)
		return 0;
	idx = sn->win.base + off;
	e = bpf_map_lookup_elem(&dx_addrs, &idx);
	if (!e || e->subnet_id != sn->subnet_id ||
	    e->lease.addr != fc->req.ciaddr ||
	    /* Both MACs sit 4-byte aligned (abi.h): two words compared. */
	    *(const __u32 *)e->mac != *(const __u32 *)fc->key.mac ||
	    *(const __u16 *)&e->mac[4] != *(const __u16 *)&fc->key.mac[4])
		return 0;
	return &e->lease;
}

/* May the fast path answer the client whose lease entry is *lp (NULL:
 * none), and with what? 0 or a punt reason. */
static __always_inline int
decide(struct fast_ctx *fc, const struct dx_subnet *sn, struct dx_lease **lp)
{
	const struct dhcp_req *r = &fc->req;
	struct dx_lease *l;
	__be32 want;

	/* A server identifier that is not ours: the client chose another
	 * server; the daemon stays silent or handles it (§4.3.2). */
	if (r->has_server_id && r->server_id != fc->net.addr)
		return DX_STAT_PUNT_SERVER_ID;

	l = *lp; /* looked up by prepare() */
	if (!l)
		return r->msg_type == DHCPDISCOVER ? DX_STAT_PUNT_DISCOVER
						   : DX_STAT_PUNT_NO_LEASE;
	fc->lease_flags = l->flags;
	fc->rp.yiaddr = l->addr;
	if (in_pool_opts(sn, l->addr))
		return DX_STAT_PUNT_POOL_OPTIONS;

	if (l->flags & DX_LEASE_F_RESERVED) {
		/* A DISCOVER has ciaddr 0 (RFC 2131 table 5). One that has
		 * it set goes to the daemon, which, as Kea does, picks the
		 * subnet holding ciaddr for an unrelayed request: maybe not
		 * the one this entry belongs to. */
		if (r->msg_type == DHCPDISCOVER && r->ciaddr)
			return DX_STAT_PUNT_DISCOVER;
		if (r->msg_type == DHCPDISCOVER) {
			fc->rp.msg_type = DHCPOFFER;
			return 0;
		}
	} else if (r->msg_type == DHCPDISCOVER) {
		return DX_STAT_PUNT_DISCOVER;
	} else if (!(l->flags & DX_LEASE_F_DYNAMIC)) {
		return DX_STAT_PUNT_NO_LEASE;
	}

	want = requested_addr(r);
	if (!want)
		return DX_STAT_PUNT_NO_ADDR;
	if (want != l->addr || (r->has_req_ip && r->req_ip != l->addr))
		return DX_STAT_PUNT_ADDR_MISMATCH;
	if (l->flags & DX_LEASE_F_DYNAMIC) {
		if (fc->cid_hash != l->client_id_hash)
			return DX_STAT_PUNT_CLIENT_ID;
		/* The durable-horizon invariant (docs/design.md §2). */
		fc->now = bpf_ktime_get_boot_ns();
		if (fc->now + (__u64)sn->lease_time * NSEC_PER_SEC >
		    l->horizon_ns)
			return DX_STAT_PUNT_HORIZON;
		/*
		 * Renew only a lease that is still live: once its expiry
		 * has passed, the daemon may reclaim the address (it waits
		 * for the later of the row's and this entry's expiry), and
		 * a client that comes back late (RFC 2131 §4.4.5: it should
		 * have gone back to INIT) is the daemon's to answer.
		 */
		if (fc->now >= l->expires_ns)
			return DX_STAT_PUNT_EXPIRED;
		/* Will the client's next renewal, due at T1, still fit?
		 * If not, this ACK asks the daemon to extend the horizon;
		 * otherwise the daemon need not hear of it at all. */
		fc->extend = fc->now + ((__u64)sn->lease_time + sn->t1) *
					       NSEC_PER_SEC >
			     l->horizon_ns;
	}
	fc->rp.msg_type = DHCPACK;
	return 0;
}

/* Size and address the reply; 0 or a punt reason. */
static __always_inline int plan_reply(struct xdp_md *ctx, struct fast_ctx *fc,
				      const struct dx_subnet *sn)
{
	void *data = (void *)(long)ctx->data;
	void *data_end;
	struct reply_plan *rp = &fc->rp;
	__u32 max_ip, opts_len = sn->opts_len;
	__u8 *d =
		reply_dhcp(ctx, fc->req.l2_len, DHCP_OPTIONS_OFFSET, &data_end);
	struct ethhdr *eth = data;

	if (!d || (void *)(eth + 1) > data_end)
		return DX_STAT_PUNT_TRUNCATED;
	if (opts_len > DX_SUBNET_OPTS_MAX)
		return DX_STAT_PUNT_TOO_BIG;
	rp->opts_words = round_up8(opts_len);
	rp->cid_len = fc->req.cid_len;
	rp->ri_len = fc->ri_len;
	rp->dhcp_len = reply_dhcp_len(rp->opts_words, rp->cid_len, rp->ri_len);
	/* Option 57 (RFC 2132 §9.10) bounds the IP datagram; every client
	 * accepts 576 (RFC 2131 §2). The daemon trims options when the
	 * subnet's set does not fit. */
	max_ip = fc->req.max_size > DHCP_MIN_MAX_MSG_SIZE
			 ? fc->req.max_size
			 : DHCP_MIN_MAX_MSG_SIZE;
	if (rp->dhcp_len + DHCP_IP_UDP_OVERHEAD > max_ip)
		return DX_STAT_PUNT_TOO_BIG;
	reply_address(rp, &fc->req, eth->h_source, fc->key.mac, fc->req.flags);
	return 0;
}

/* Everything up to the point of no return: 0 to answer, or why not. */
static __always_inline int prepare(struct xdp_md *ctx, struct fast_ctx *fc,
				   struct dx_stats *st,
				   const struct dx_subnet **sn,
				   struct dx_lease **lp)
{
	int early = 0, ret;

	ret = parse_request(ctx, fc);
	if (ret)
		return ret;
	dx_count(st, DX_STAT_DHCP);
	fc->limit = 1;
	/*
	 * The first two reasons keep their precedence, but the subnet and
	 * the client's lease entry are looked up before they punt: a
	 * client with an entry (a RELEASE, a DECLINE, a relayed renewal) is
	 * exempt from the shared rate limits (ratelimit.h). A renewal the
	 * fast path answers makes the same lookups as before.
	 */
	if (fc->req.msg_type != DHCPDISCOVER && fc->req.msg_type != DHCPREQUEST)
		early = DX_STAT_PUNT_MSG_TYPE;
	/* Subnet selection (118, RFC 3011 §3) names the subnet the daemon
	 * selects, whatever giaddr says; XDP does not follow it. */
	else if (fc->opt_cnt[OPT_SLOT_SUBNET_SELECT])
		early = DX_STAT_PUNT_LINK_SELECTION;
	else
		early = stash_relay_info(ctx, fc);
	ret = select_subnet(ctx, fc, sn);
	if (ret)
		return early ? early : ret;
	if ((*sn)->flags & DX_SUBNET_F_SHARED)
		link_pick(fc, sn);
	fc->key.subnet_id = (*sn)->subnet_id;
	fc->key.pad = 0;
	__builtin_memcpy(fc->key.mac, fc->req.chaddr, ETH_ALEN);
	*lp = lease_by_addr(fc, *sn);
	if (!*lp)
		*lp = bpf_map_lookup_elem(&dx_leases, &fc->key);
	fc->known = *lp != 0;
	if (early)
		return early;
	if ((*sn)->flags & DX_SUBNET_F_DISABLED)
		return DX_STAT_PUNT_SUBNET_OFF;
	/* The daemon may give this circuit a reservation (Kea's
	 * host-reservation-identifiers "circuit-id") that XDP cannot
	 * place in Kea's identifier order. */
	if (((*sn)->flags & DX_SUBNET_F_CIRCUIT_ID) && fc->has_circuit)
		return DX_STAT_PUNT_CIRCUIT_ID_RES;
	/* The program does not classify: a class could add options or
	 * BOOTP fields, or keep the subnet from this client. */
	if ((*sn)->flags & DX_SUBNET_F_CLASSES)
		return DX_STAT_PUNT_CLASSES;
	if ((*sn)->flags & DX_SUBNET_F_CIRCUIT_MAP) {
		ret = circuit_pick(fc, *sn, lp);
		if (ret)
			return ret;
	}
	ret = stash_client_id(ctx, fc);
	if (ret)
		return ret;
	ret = decide(fc, *sn, lp);
	if (ret)
		return ret;
	return plan_reply(ctx, fc, *sn);
}

/*
 * Resize the frame and write the reply planned in fc. Returns 0, 1 when
 * the resize failed (frame untouched), -1 on an impossible bound.
 *
 * A frame grows at its tail when the driver left room there; some give
 * little (veth hands XDP a frame from a locally sent skb with its own
 * tailroom), and then it grows at its head, where XDP always has
 * XDP_PACKET_HEADROOM. The reply is written whole either way.
 */
static __always_inline int build_reply(struct xdp_md *ctx,
				       const struct fast_ctx *fc,
				       const struct dx_subnet *sn)
{
	__u32 frame_len, new_len;
	void *data, *data_end;

	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	frame_len = data_end - data;
	new_len = fc->req.l2_len + L34_LEN + fc->rp.dhcp_len;
	if (new_len > 2048)
		return 1;
	if (new_len < frame_len) {
		if (bpf_xdp_adjust_tail(ctx, (int)new_len - (int)frame_len))
			return 1;
	} else if (new_len > frame_len &&
		   bpf_xdp_adjust_tail(ctx, (int)(new_len - frame_len)) &&
		   bpf_xdp_adjust_head(ctx, -(int)(new_len - frame_len))) {
		return 1;
	}
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	if (data + new_len > data_end)
		return -1;
	if (reply_write_headers(ctx, fc) || reply_write_bootp(ctx, fc, sn) ||
	    reply_copy_subnet_opts(ctx, fc, sn))
		return -1;
	if (fc->rp.cid_len && reply_write_client_id(ctx, fc))
		return -1;
	if (fc->rp.ri_len && reply_write_relay_info(ctx, fc))
		return -1;
	if (reply_write_end(ctx, fc) || reply_checksum(ctx, fc, sn))
		return -1;
	return 0;
}

/*
 * A renewal was ACKed: record how long it was granted for in the lease
 * entry (a store into the line the lookup just read), and ask for a
 * horizon extension when the next renewal would not fit.
 */
static __always_inline void note_renewal(const struct fast_ctx *fc,
					 const struct dx_subnet *sn,
					 struct dx_lease *l,
					 struct dx_stats *st)
{
	__u64 until = fc->now + (__u64)sn->lease_time * NSEC_PER_SEC;
	struct dx_event ev = {
		.now_ns = fc->now,
		.granted_until_ns = until,
		.subnet_id = sn->subnet_id,
		.addr = fc->rp.yiaddr,
		.msg_type = DHCPACK,
	};

	l->expires_ns = until;
	if (!fc->extend)
		return;
	dx_count(st, DX_STAT_EXTEND_ASKED);
	__builtin_memcpy(ev.mac, fc->key.mac, ETH_ALEN);
	if (bpf_ringbuf_output(&dx_events, &ev, sizeof(ev), 0))
		dx_count(st, DX_STAT_EVENT_LOST);
}

/* Pass the frame up, counting why, unless a rate limit drops it. */
static __always_inline int punt(struct xdp_md *ctx, struct fast_ctx *fc,
				struct dx_stats *st, int reason)
{
	int drop = rate_limit(ctx, fc);

	if (drop) {
		dx_count(st, drop);
		return XDP_DROP;
	}
	dx_count(st, reason);
	return XDP_PASS;
}

SEC("xdp")
int dhcpxdp_xdp(struct xdp_md *ctx)
{
	const struct dx_subnet *sn = 0;
	struct dx_lease *l = 0;
	struct fast_ctx *fc;
	struct dx_stats *st;
	__u32 zero = 0;
	int ret;

	st = bpf_map_lookup_elem(&dx_stats, &zero);
	fc = bpf_map_lookup_elem(&dx_scratch, &zero);
	if (!st || !fc)
		return XDP_PASS;
	dx_count(st, DX_STAT_PACKETS);
	ret = prepare(ctx, fc, st, &sn, &l);
	if (ret || !sn || !l)
		return punt(ctx, fc, st, ret);
	ret = build_reply(ctx, fc, sn);
	if (ret > 0)
		return punt(ctx, fc, st, DX_STAT_PUNT_ADJUST);
	if (ret < 0)
		return XDP_ABORTED; /* cannot happen: bounds checked first */
	if (fc->rp.msg_type == DHCPOFFER) {
		dx_count(st, DX_STAT_OFFER);
		return XDP_TX;
	}
	dx_count(st, DX_STAT_ACK);
	if (!(fc->lease_flags & DX_LEASE_F_DYNAMIC)) {
		dx_count(st, DX_STAT_ACK_RESERVED);
		return XDP_TX;
	}
	dx_count(st, DX_STAT_ACK_RENEWAL);
	note_renewal(fc, sn, l, st);
	return XDP_TX;
}
