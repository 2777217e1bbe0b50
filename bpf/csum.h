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

/*
 * Sum `len` bytes at `p` (len a multiple of 4, at most 2047) with
 * bpf_csum_diff, in power-of-two chunks so each helper call has a
 * constant size the verifier can check against data_end.
 */
#define CSUM_CHUNK(sz)                                                       \
	do {                                                                 \
		if (len & (sz)) {                                            \
			if ((void *)p + (sz) > data_end)                     \
				return -1;                                   \
			sum = bpf_csum_diff(0, 0, (__be32 *)p, (sz), sum);   \
			p += (sz);                                           \
		}                                                            \
	} while (0)

static __always_inline __s64 csum_packet(__u8 *p, __u32 len, void *data_end,
					 __u32 seed)
{
	__s64 sum = seed;

	if (len & 3 || len > 2047)
		return -1;
	if (len & 1024) {
		if ((void *)p + 512 > data_end)
			return -1;
		sum = bpf_csum_diff(0, 0, (__be32 *)p, 512, sum);
		p += 512;
		if ((void *)p + 512 > data_end)
			return -1;
		sum = bpf_csum_diff(0, 0, (__be32 *)p, 512, sum);
		p += 512;
	}
	CSUM_CHUNK(512);
	CSUM_CHUNK(256);
	CSUM_CHUNK(128);
	CSUM_CHUNK(64);
	CSUM_CHUNK(32);
	CSUM_CHUNK(16);
	CSUM_CHUNK(8);
	CSUM_CHUNK(4);
	return sum;
}

/*
 * UDP checksum (RFC 768): pseudo header (saddr, daddr, proto, length)
 * plus the whole datagram with the checksum field zero. A computed 0 is
 * sent as 0xffff, since 0 means "no checksum".
 */
static __always_inline int udp_csum_set(struct iphdr *iph, struct udphdr *udp,
					__u32 udp_len, void *data_end)
{
	__u64 sum;
	__s64 s;

	udp->check = 0;
	sum = (__u64)iph->saddr + iph->daddr + bpf_htons(IPPROTO_UDP) +
	      bpf_htons((__u16)udp_len);
	s = csum_packet((__u8 *)udp, udp_len, data_end, 0);
	if (s < 0)
		return -1;
	sum += (__u32)s;
	udp->check = csum_fold(sum);
	if (udp->check == 0)
		udp->check = 0xffff;
	return 0;
}

#endif /* DHCPXDP_CSUM_H */
