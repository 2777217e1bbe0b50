/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Internet checksum helpers (RFC 1071): the request's IPv4 header is
 * verified, the reply's headers written.
 */
#ifndef DHCPXDP_CSUM_H
#define DHCPXDP_CSUM_H

#include <linux/bpf.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

static __always_inline __u16 csum_fold(__u64 sum)
{
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

/* Sum of the ten 16-bit words of a 20-byte IPv4 header (IHL 5), check
 * field included; the caller has bounds-checked iph + 1. */
static __always_inline __u64 ipv4_hdr_sum(const struct iphdr *iph)
{
	const __u16 *w = (const __u16 *)iph;
	__u64 sum = 0;

#pragma unroll
	for (int i = 0; i < 10; i++)
		sum += w[i];
	return sum;
}

/* Header checksum over the 20-byte IPv4 header we just wrote (IHL 5). */
static __always_inline void ipv4_csum_set(struct iphdr *iph)
{
	iph->check = 0;
	iph->check = csum_fold(ipv4_hdr_sum(iph));
}

/* A received 20-byte header is intact when its words, check field
 * included, sum to all ones (RFC 1071 §1, RFC 791 §3.1). */
static __always_inline int ipv4_csum_ok(const struct iphdr *iph)
{
	return csum_fold(ipv4_hdr_sum(iph)) == 0;
}

#endif /* DHCPXDP_CSUM_H */
