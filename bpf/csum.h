/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Internet checksum helpers (RFC 1071) for the reply headers.
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

/* Header checksum over the 20-byte IPv4 header we just wrote (IHL 5). */
static __always_inline void ipv4_csum_set(struct iphdr *iph)
{
	__u16 *w = (__u16 *)iph;
	__u64 sum = 0;

	iph->check = 0;
#pragma unroll
	for (int i = 0; i < 10; i++)
		sum += w[i];
	iph->check = csum_fold(sum);
}

#endif /* DHCPXDP_CSUM_H */
