/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The contract between the XDP program and userspace: map names, pin
 * layout, ABI version and the map key/value structs. Plain fixed-width
 * types only so the same header compiles for BPF and for userspace.
 *
 * Bump DHCPXDP_ABI_VERSION whenever a struct below, a map's type or size,
 * or the meaning of a field changes: a daemon or CLI that finds pinned
 * objects of another version refuses to use them (DESIGN.md §4).
 */
#ifndef DHCPXDP_ABI_H
#define DHCPXDP_ABI_H

#include <linux/types.h>

#define DHCPXDP_ABI_VERSION 1

#define DHCPXDP_PIN_DIR_DEFAULT "/sys/fs/bpf/dhcpxdp"

/* Map capacities; userspace may resize before load, never after. */
#define DX_MAX_NETWORKS 4096
#define DX_MAX_RELAYS 4096
#define DX_MAX_SUBNETS 4096
#define DX_MAX_LEASES (1U << 20) /* default, resized from config */
#define DX_EVENTS_BYTES (1U << 20)

/*
 * Pre-encoded per-subnet option bytes copied verbatim into fast-path
 * replies. Kept a multiple of 8 so XDP copies whole words.
 */
#define DX_SUBNET_OPTS_MAX 320
/*
 * Longest client identifier (option 61) the fast path echoes back
 * (RFC 6842). A longer one is passed up to the daemon.
 */
#define DX_CLIENT_ID_MAX 64

/* Map names as seen by bpftool and as pinned under the pin directory. */
#define DX_MAP_NETWORKS "dx_networks"
#define DX_MAP_RELAYS "dx_relays"
#define DX_MAP_INTERFACES "dx_interfaces"
#define DX_MAP_SUBNETS "dx_subnets"
#define DX_MAP_LEASES "dx_leases"
#define DX_MAP_STATS "dx_stats"
#define DX_MAP_EVENTS "dx_events"
#define DX_MAP_ABI "dx_abi"

/*
 * A network the server is attached to directly: the receiving interface
 * and the 802.1Q VLAN id (0 for untagged frames).
 * networks: dx_network_key -> __u32 subnet id
 * interfaces: dx_network_key -> struct dx_interface
 */
struct dx_network_key {
	__u32 ifindex;
	__u16 vlan;
	__u16 pad;
};

/* Our side of a network: the reply's source MAC and IPv4, which is also
 * the server identifier (option 54) for requests arriving there. */
struct dx_interface {
	__u8 mac[6];
	__u16 pad;
	__be32 addr;
};

/* relays: LPM trie giaddr -> __u32 subnet id. prefixlen 32 for a relay
 * listed in relay.ip-addresses, the subnet's prefix otherwise. */
struct dx_relay_key {
	__u32 prefixlen;
	__be32 addr;
};

enum dx_subnet_flags {
	/* The daemon has turned the fast path off for this subnet. */
	DX_SUBNET_F_DISABLED = 1 << 0,
};

/* subnets: __u32 subnet id -> struct dx_subnet */
struct dx_subnet {
	__u32 lease_time; /* seconds, option 51 */
	__u32 t1;	  /* seconds, option 58 */
	__u32 t2;	  /* seconds, option 59 */
	__u16 opts_len;	  /* bytes used in opts, <= DX_SUBNET_OPTS_MAX */
	__u16 flags;	  /* enum dx_subnet_flags */
	/* TLV-encoded options (1, 3, 6, 15, ...) without END. */
	__u8 opts[DX_SUBNET_OPTS_MAX];
};

struct dx_lease_key {
	__u32 subnet_id;
	__u8 mac[6];
	__u16 pad;
};

enum dx_lease_flags {
	DX_LEASE_F_DYNAMIC = 1 << 0,  /* horizon applies */
	DX_LEASE_F_RESERVED = 1 << 1, /* config is the source of truth */
};

/* leases: struct dx_lease_key -> struct dx_lease */
struct dx_lease {
	__be32 addr;
	__u32 flags; /* enum dx_lease_flags */
	/* dx_client_id_hash() of option 61, 0 when the lease has none. */
	__u64 client_id_hash;
	/*
	 * CLOCK_BOOTTIME ns up to which the lease database already holds the
	 * address as this client's (DESIGN.md §2). XDP grants only when
	 * now + lease_time <= horizon. Unused for reservations.
	 */
	__u64 horizon_ns;
};

/* Ring buffer record for each fast-path ACK of a dynamic lease. */
struct dx_event {
	__u64 now_ns;	      /* CLOCK_BOOTTIME of the ACK */
	__u64 granted_until_ns; /* now_ns + lease_time */
	__u32 subnet_id;
	__be32 addr;
	__u8 mac[6];
	__u8 msg_type; /* DHCPACK */
	__u8 pad;
};

/* Seed and FNV-1a 64 over the option-61 payload, identical on both sides. */
#define DX_FNV64_OFFSET 0xcbf29ce484222325ULL
#define DX_FNV64_PRIME 0x100000001b3ULL

static inline __u64 dx_fnv64_step(__u64 h, __u8 byte)
{
	return (h ^ byte) * DX_FNV64_PRIME;
}

#endif /* DHCPXDP_ABI_H */
