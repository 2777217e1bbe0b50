/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Rate limits on what the XDP program passes up to the daemon, so that a
 * DHCP starvation attack (a flood of DISCOVERs and REQUESTs from random
 * MACs) costs the daemon no more than the configured rates, and known
 * clients' renewals are never slowed by it (docs/design.md §2).
 *
 * Every well-formed BOOTREQUEST the fast path does not answer is charged
 * to one bucket per kind (abi.h, enum dx_rate_kind): its client, its
 * network, its relay and the relay's circuit id; over any of them it is
 * dropped. A known client (a dx_leases entry for its subnet) is charged
 * to its own bucket only. Frames that are not DHCP requests, and unicast
 * frames for another host's MAC (which the daemon never reads), are
 * never limited.
 *
 * GCRA (virtual scheduling): a bucket is one theoretical arrival time.
 * The buckets are checked from the most specific (one client) to the
 * most shared (the network), so a single noisy source is stopped by its
 * own bucket before it spends the network's; and they are charged only
 * when all of them let the request pass, so a dropped request costs no
 * bucket anything, and a flood from random MACs creates no client
 * buckets beyond what its network lets through.
 */
#ifndef DHCPXDP_RATELIMIT_H
#define DHCPXDP_RATELIMIT_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <dhcpxdp/abi.h>
#include <dhcpxdp/stats.h>
#include "maps.bpf.h"
#include "parse.h"
#include "reply.h"
#include "request.h"

#define RATE_NSEC_PER_SEC 1000000000ULL

/* The key of each kind that applies; fc->rate_on[kind] says which. */
static __always_inline void rate_keys(struct xdp_md *ctx, struct fast_ctx *fc,
				      const struct dx_rate_limits *lim)
{
	const struct dhcp_req *r = &fc->req;
	struct dx_rate_key *k;
	void *data_end;
	__u64 hash = 0;
	__u8 *d;

	__builtin_memset(fc->rate_on, 0, sizeof(fc->rate_on));
	__builtin_memset(fc->rate_key, 0, sizeof(fc->rate_key));
	k = &fc->rate_key[DX_RATE_CLIENT];
	k->kind = DX_RATE_CLIENT;
	k->ifindex = ctx->ingress_ifindex;
	k->vlan = r->vlan;
	k->svlan = r->svlan;
	__builtin_memcpy(k->mac, r->chaddr, ETH_ALEN);
	fc->rate_on[DX_RATE_CLIENT] = lim->limit[DX_RATE_CLIENT].rate != 0;
	/* A known client draws on nothing it shares with others. */
	if (fc->known)
		return;
	k = &fc->rate_key[DX_RATE_NETWORK];
	k->kind = DX_RATE_NETWORK;
	k->ifindex = ctx->ingress_ifindex;
	k->vlan = r->vlan;
	k->svlan = r->svlan;
	fc->rate_on[DX_RATE_NETWORK] = lim->limit[DX_RATE_NETWORK].rate != 0;
	if (!r->giaddr)
		return;
	k = &fc->rate_key[DX_RATE_RELAY];
	k->kind = DX_RATE_RELAY;
	k->giaddr = r->giaddr;
	fc->rate_on[DX_RATE_RELAY] = lim->limit[DX_RATE_RELAY].rate != 0;
	if (!r->has_relay_info || !lim->limit[DX_RATE_CIRCUIT_ID].rate)
		return;
	d = reply_dhcp(ctx, r->l2_len, DHCP_OPTIONS_OFFSET, &data_end);
	if (!d || !parse_circuit_id(d, data_end, fc, &hash))
		return;
	k = &fc->rate_key[DX_RATE_CIRCUIT_ID];
	k->kind = DX_RATE_CIRCUIT_ID;
	k->giaddr = r->giaddr;
	k->circuit_id_hash = hash;
	fc->rate_on[DX_RATE_CIRCUIT_ID] = 1;
}

/*
 * Would bucket `kind` let a request pass at `now`? 1 when it is empty;
 * else 0, with *tat its value in the map (NULL: no bucket yet, a full
 * one) and fc->rate_next[kind] what it becomes if the request passes.
 */
static __always_inline int rate_check(struct fast_ctx *fc,
				      const struct dx_rate_limits *lim,
				      __u32 kind, __u64 now, __u64 **tat)
{
	__u64 interval, t, *v;
	__u32 rate, burst;

	*tat = 0;
	if (kind >= DX_RATE_KINDS || !fc->rate_on[kind])
		return 0;
	rate = lim->limit[kind].rate;
	burst = lim->limit[kind].burst ? lim->limit[kind].burst : 1;
	if (!rate)
		return 0;
	interval = RATE_NSEC_PER_SEC / rate;
	v = bpf_map_lookup_elem(&dx_buckets, &fc->rate_key[kind]);
	t = v && *v > now ? *v : now;
	/* Up to `burst` requests at once, one per interval on average. */
	if (t + interval > now + (__u64)burst * interval)
		return 1;
	fc->rate_next[kind] = t + interval;
	*tat = v;
	return 0;
}

/* The request passes: move every bucket it was checked against. */
static __always_inline void rate_charge(struct fast_ctx *fc, __u32 kind,
					__u64 *tat)
{
	if (kind >= DX_RATE_KINDS || !fc->rate_on[kind])
		return;
	if (tat)
		*tat = fc->rate_next[kind];
	else
		bpf_map_update_elem(&dx_buckets, &fc->rate_key[kind],
				    &fc->rate_next[kind], BPF_ANY);
}

/*
 * Called for a request about to be passed up: 0 to pass it, or the
 * DX_STAT_DROP_RATE_* counter of the first limit it exceeds. The clock
 * is read only here, on the way to the daemon, and only when a limit is
 * on.
 */
static __always_inline int rate_limit(struct xdp_md *ctx, struct fast_ctx *fc)
{
	__u64 *tat_client, *tat_circuit, *tat_relay, *tat_network, now;
	const struct dx_rate_limits *lim;
	__u32 zero = 0;

	if (!fc->limit || fc->other_host)
		return 0;
	lim = bpf_map_lookup_elem(&dx_limits, &zero);
	if (!lim)
		return 0;
	if (!lim->limit[DX_RATE_CLIENT].rate &&
	    !lim->limit[DX_RATE_NETWORK].rate &&
	    !lim->limit[DX_RATE_RELAY].rate &&
	    !lim->limit[DX_RATE_CIRCUIT_ID].rate)
		return 0;
	rate_keys(ctx, fc, lim);
	now = bpf_ktime_get_boot_ns();
	if (rate_check(fc, lim, DX_RATE_CLIENT, now, &tat_client))
		return DX_STAT_DROP_RATE_CLIENT;
	if (rate_check(fc, lim, DX_RATE_CIRCUIT_ID, now, &tat_circuit))
		return DX_STAT_DROP_RATE_CIRCUIT_ID;
	if (rate_check(fc, lim, DX_RATE_RELAY, now, &tat_relay))
		return DX_STAT_DROP_RATE_RELAY;
	if (rate_check(fc, lim, DX_RATE_NETWORK, now, &tat_network))
		return DX_STAT_DROP_RATE_NETWORK;
	rate_charge(fc, DX_RATE_CLIENT, tat_client);
	rate_charge(fc, DX_RATE_CIRCUIT_ID, tat_circuit);
	rate_charge(fc, DX_RATE_RELAY, tat_relay);
	rate_charge(fc, DX_RATE_NETWORK, tat_network);
	return 0;
}

#endif /* DHCPXDP_RATELIMIT_H */
