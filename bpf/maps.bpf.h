/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The maps the XDP program reads and writes. Their key/value layout is the
 * userspace contract in include/dhcpxdp/abi.h; the daemon fills them.
 */
#ifndef DHCPXDP_MAPS_BPF_H
#define DHCPXDP_MAPS_BPF_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <dhcpxdp/abi.h>
#include <dhcpxdp/stats.h>
#include "request.h"

/* ABI version of the pinned set: slot 0 holds DHCPXDP_ABI_VERSION,
 * written by whoever creates the maps. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} dx_abi SEC(".maps");

/* Networks served: (ifindex, VLAN) -> our address there and the subnet
 * attached directly. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, DX_MAX_NETWORKS);
	__type(key, struct dx_network_key);
	__type(value, struct dx_network);
} dx_networks SEC(".maps");

/* The same for untagged traffic on ifindex < DX_IFACE_SLOTS, by ifindex
 * (abi.h): an array lookup is inlined, a hash lookup is a call. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, DX_IFACE_SLOTS);
	__type(key, __u32);
	__type(value, struct dx_network);
} dx_ifaces SEC(".maps");

/* Relayed traffic: longest prefix match on giaddr -> subnet slot. */
struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, DX_MAX_RELAYS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct dx_relay_key);
	__type(value, __u32);
} dx_relays SEC(".maps");

/* Per-subnet timers and pre-encoded option bytes, by slot. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, DX_MAX_SUBNETS);
	__type(key, __u32);
	__type(value, struct dx_subnet);
} dx_subnets SEC(".maps");

/*
 * Leases and reservations: (subnet, MAC) -> address and horizon. A plain
 * HASH, not LRU: LRU evicts before it is full and would forget leases.
 * The daemon resizes it from the configuration before load. Its lookup
 * is the largest single cost of a renewal ACK (docs/design.md §4): a
 * renewal is looked up by address in dx_addrs first.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, DX_MAX_LEASES);
	__type(key, struct dx_lease_key);
	__type(value, struct dx_lease);
} dx_leases SEC(".maps");

/*
 * Dynamic leases by address, through each subnet's window (abi.h): an
 * ARRAY, so the lookup is inlined and touches one entry. Resized with
 * dx_leases before load.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, DX_MAX_LEASES);
	__type(key, __u32);
	__type(value, struct dx_addr_lease);
} dx_addrs SEC(".maps");

/*
 * Reservations by circuit id (abi.h): (subnet, circuit id) -> the
 * reservation entry. Filled for subnets with DX_SUBNET_F_CIRCUIT_MAP.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, DX_MAX_CIRCUITS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct dx_circuit_key);
	__type(value, struct dx_lease);
} dx_circuits SEC(".maps");

/* Every enum dx_stat counter, per CPU, in one entry. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct dx_stats);
} dx_stats SEC(".maps");

/* Renewals answered here, for the daemon's horizon bookkeeping. Advisory:
 * when full, events are dropped and counted, ACKs still go out. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, DX_EVENTS_BYTES);
} dx_events SEC(".maps");

/* Rate limits per kind, written by the daemon (abi.h). An array of one:
 * its lookup is inlined, not a call into the kernel. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct dx_rate_limits);
} dx_limits SEC(".maps");

/*
 * Rate-limit buckets, one theoretical arrival time per key and CPU.
 * Per-CPU: no atomics and no shared cache line between receive queues.
 * LRU: forgetting an idle bucket is harmless (it was full again), and a
 * flood can never fill the map so that new keys are refused.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, DX_RATE_BUCKETS);
	__type(key, struct dx_rate_key);
	__type(value, __u64);
} dx_buckets SEC(".maps");

/* Working space for the request being handled: too big for the BPF
 * stack alongside everything else. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fast_ctx);
} dx_scratch SEC(".maps");

static __always_inline void dx_count(struct dx_stats *st, __u32 stat)
{
	if (stat < DX_STAT_MAX)
		st->counters[stat]++;
}

#endif /* DHCPXDP_MAPS_BPF_H */
