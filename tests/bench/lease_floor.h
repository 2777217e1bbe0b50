/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The lease-read floor of the XDP benchmarks (tests/bpf/lease_read.bpf.c):
 * MAC-swap plus the renewing client's entry read and written, in an array
 * of `leases` entries filled as the daemon fills dx_addrs. Both benchmarks
 * report it next to MAC-swap: what a renewal costs above it is the
 * program's own work, what it costs above MAC-swap is the memory.
 */
#ifndef DHCPXDP_BENCH_LEASE_FLOOR_H
#define DHCPXDP_BENCH_LEASE_FLOOR_H

#include <stdint.h>
#include <bpf/libbpf.h>
#include "lease_read.skel.h"
#include "xdp_env.h"

/* Entry i holds the address first + i (host order), subnet 1, and the
 * MAC of xdp_env_client_mac(i); every reserved_every-th is left empty as
 * in dx_addrs. NULL on failure. */
static inline struct lease_read_bpf *
lease_floor_open(uint32_t leases, uint32_t first, uint32_t reserved_every)
{
	struct lease_read_bpf *lr = lease_read_bpf__open();

	if (!lr)
		return NULL;
	lr->rodata->lr_first = first;
	if (bpf_map__set_max_entries(lr->maps.lr_entries, leases) ||
	    lease_read_bpf__load(lr) ||
	    xdp_fill_addr_map(bpf_map__fd(lr->maps.lr_entries), 1, leases,
			      first, reserved_every)) {
		lease_read_bpf__destroy(lr);
		return NULL;
	}
	return lr;
}

#endif /* DHCPXDP_BENCH_LEASE_FLOOR_H */
