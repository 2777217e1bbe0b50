// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Pass-through XDP program for the client end of a test veth pair: a
 * frame sent with XDP_TX reaches the peer only if the peer runs XDP too
 * (or has GRO on), so the lab attaches this to the client side.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}
