// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Benchmark floor: the MAC-swap reflector plus the one memory access no
 * lease layout can avoid, reading and writing the renewing client's
 * entry. The entry is found the way dhcpxdp finds a renewal (its
 * address's offset from the start of a window, dx_addrs in abi.h), in
 * an array of the same entries and as many of them as the lease map
 * holds. Nothing else is checked: what a renewal costs above this is
 * the program's own work; what this costs above MAC-swap is the memory.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include <dhcpxdp/abi.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Sized by the benchmark before loading (bpf_map__set_max_entries). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct dx_addr_lease);
} lr_entries SEC(".maps");

/* The address at index 0, host order. */
const volatile __u32 lr_first = 0;

/* ciaddr of an untagged BOOTP message over IPv4 without options. */
#define LR_CIADDR_OFF (ETH_HLEN + 20 + 8 + 12)

SEC("xdp")
int lease_read_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct dx_addr_lease *e;
	__u8 tmp[ETH_ALEN];
	__be32 ciaddr;
	__u32 idx;

	if (data + LR_CIADDR_OFF + 4 > data_end)
		return XDP_DROP;
	__builtin_memcpy(&ciaddr, data + LR_CIADDR_OFF, 4);
	idx = bpf_ntohl(ciaddr) - lr_first;
	e = bpf_map_lookup_elem(&lr_entries, &idx);
	/* Not the entry of that address: the benchmark counts a PASS as a
	 * failed run. */
	if (!e || e->lease.addr != ciaddr)
		return XDP_PASS;
	e->lease.expires_ns++;
	__builtin_memcpy(tmp, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, tmp, ETH_ALEN);
	return XDP_TX;
}
