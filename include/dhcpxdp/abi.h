/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The contract between the XDP program and userspace: map names, pin
 * layout, ABI version and the map key/value structs. Plain fixed-width
 * types only so the same header compiles for BPF and for userspace.
 *
 * Bump DHCPXDP_ABI_VERSION whenever a struct below, a map's type or size,
 * or the meaning of a field changes: a daemon or CLI that finds pinned
 * objects of another version refuses to use them (docs/design.md §4).
 */
#ifndef DHCPXDP_ABI_H
#define DHCPXDP_ABI_H

#include <linux/types.h>

#define DHCPXDP_ABI_VERSION 12

#define DHCPXDP_PIN_DIR_DEFAULT "/sys/fs/bpf/dhcpxdp"

/* Map capacities; userspace may resize before load, never after. */
#define DX_MAX_NETWORKS 4096
/* Untagged networks with an ifindex below this live in dx_ifaces. */
#define DX_IFACE_SLOTS 4096
#define DX_MAX_RELAYS 4096
#define DX_MAX_SUBNETS 4096
#define DX_MAX_LEASES (1U << 20) /* default, resized from config */
#define DX_EVENTS_BYTES (1U << 20)
/*
 * Rate-limit buckets (dx_buckets, an LRU per-CPU hash). A bucket is
 * created only by a request that passes, so a flood from random MACs
 * adds none past its network's limit; and a bucket in debt is full again
 * after burst / rate seconds (2 s with the defaults). 65536 holds every
 * key that passed within such a window at the daemon's whole measured
 * slow-path rate (about 25,000 requests/s), so LRU eviction forgets only
 * buckets that were full anyway. Memory: 8 bytes a CPU per entry plus
 * the keys, about 6 MiB on two CPUs.
 */
#define DX_RATE_BUCKETS 65536

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
/*
 * Longest relay agent information option (82) the fast path echoes
 * (RFC 3046 §2.2: copied unchanged into the reply). Relays send a
 * circuit id and a remote id, a few dozen bytes; a longer one is passed
 * up (punt_relay_info). A power of two: XDP masks indexes with it.
 */
#define DX_RELAY_INFO_MAX 128
/*
 * Longest circuit id (option 82 sub-option 1, RFC 3046 §2.1) XDP looks up
 * in dx_circuits; a request with a longer one in a subnet whose circuit-id
 * reservations are there is passed up. A power of two: XDP masks with it.
 */
#define DX_CIRCUIT_ID_MAX 64
/* Reservations by circuit id in dx_circuits, all subnets together. */
#define DX_MAX_CIRCUITS 65536

/* Map names as seen by bpftool and as pinned under the pin directory. */
#define DX_MAP_NETWORKS "dx_networks"
#define DX_MAP_IFACES "dx_ifaces"
#define DX_MAP_RELAYS "dx_relays"
#define DX_MAP_SUBNETS "dx_subnets"
#define DX_MAP_LEASES "dx_leases"
#define DX_MAP_STATS "dx_stats"
#define DX_MAP_EVENTS "dx_events"
#define DX_MAP_ABI "dx_abi"
#define DX_MAP_LIMITS "dx_limits"
#define DX_MAP_BUCKETS "dx_buckets"
#define DX_MAP_CIRCUITS "dx_circuits"
#define DX_MAP_ADDRS "dx_addrs"

/*
 * Subnets live in an array indexed by a dense slot the daemon assigns
 * (0 .. DX_MAX_SUBNETS-1), so XDP finds one without hashing; the slot's
 * value names the configured subnet id, which keys the leases.
 */
#define DX_SUBNET_SLOT_NONE 0xffffffffU

/*
 * A network the server listens on: the receiving interface and the VLAN
 * ids of the frame's tags. `vlan` is the 802.1Q C-tag (IEEE 802.1Q), the
 * only tag of a singly tagged frame; `svlan` the 802.1ad S-tag (TPID
 * 0x88a8, IEEE 802.1ad) in front of it in a QinQ frame. Both 0 for
 * untagged frames; svlan is never set without vlan.
 * networks: dx_network_key -> struct dx_network
 */
struct dx_network_key {
	__u32 ifindex;
	__u16 vlan;
	__u16 svlan;
};

/* Our side of a network: the reply's source MAC and IPv4, which is also
 * the server identifier (option 54) for requests arriving there, relayed
 * or not; and the slot of the subnet attached directly, if any. */
struct dx_network {
	__u8 mac[6];
	__u16 pad;
	__be32 addr; /* never 0 for a served network: it is option 54 */
	__u32 subnet_slot; /* DX_SUBNET_SLOT_NONE: relayed traffic only */
};

/*
 * ifaces: ARRAY indexed by ifindex -> struct dx_network, for untagged
 * traffic on an interface whose ifindex is below DX_IFACE_SLOTS; a slot
 * with addr 0 is not served. An array lookup is inlined by the verifier,
 * a hash lookup is a call: this is the common case made cheap. VLANs and
 * larger ifindexes are in networks.
 */

/* relays: LPM trie giaddr -> __u32 subnet slot. prefixlen 32 for a relay
 * listed in relay.ip-addresses, the subnet's prefix otherwise. */
struct dx_relay_key {
	__u32 prefixlen;
	__be32 addr;
};

enum dx_subnet_flags {
	/* The daemon has turned the fast path off for this subnet. */
	DX_SUBNET_F_DISABLED = 1 << 0,
	/*
	 * One of a shared network's subnets (first_slot, next_slot): XDP
	 * picks the request's subnet on the link, as the engine does.
	 */
	DX_SUBNET_F_SHARED = 1 << 1,
	/* siaddr, sname or file is set (Kea's next-server, server-hostname,
	 * boot-file-name): XDP copies them; without it they are zero. */
	DX_SUBNET_F_BOOTP = 1 << 2,
	/*
	 * The subnet has reservations by circuit id (option 82 sub-option
	 * 1, RFC 3046 §2.1) that XDP cannot tell apart from the rest of
	 * Kea's identifier order (docs/design.md §2): a request carrying a
	 * circuit id is passed up (punt_circuit_id_reservation).
	 */
	DX_SUBNET_F_CIRCUIT_ID = 1 << 3,
	/*
	 * Client classes could change a reply of this subnet (their
	 * options, BOOTP fields or lease time, or a subnet-level
	 * client-class): XDP does not classify, so the daemon answers
	 * (docs/design.md §2).
	 */
	DX_SUBNET_F_CLASSES = 1 << 4,
	/*
	 * Every reservation by circuit id of the subnet has an entry in
	 * dx_circuits: a request carrying a circuit id is looked up there
	 * first, and one found is the client's reservation - unless
	 * DX_SUBNET_F_HW_FIRST and the client's dx_leases entry is a
	 * reservation by hw-address, which Kea's order puts first.
	 */
	DX_SUBNET_F_CIRCUIT_MAP = 1 << 5,
	/* hw-address comes before circuit-id in host-reservation-identifiers. */
	DX_SUBNET_F_HW_FIRST = 1 << 6,
};

/*
 * The subnets of a shared network XDP looks through for a request (the
 * first ones in configuration order). A request for a later subnet goes
 * to the daemon: a renewal there is not found, so it is passed up.
 */
#define DX_LINK_SUBNETS_MAX 8

/*
 * Where the subnet's options sit in a fast-path reply, from the start of
 * the DHCP payload (after 53, 54, 51, 58, 59) and from the UDP header.
 */
#define DX_REPLY_OPTS_OFF 267
#define DX_REPLY_OPTS_UDP_OFF (8 + DX_REPLY_OPTS_OFF)

/*
 * Pools of a subnet with option-data of their own that XDP tells apart: a
 * lease or reservation there gets the pool's options, not the subnet's
 * block, so XDP passes it up (punt_pool_options). A subnet with more is
 * turned off whole (DX_SUBNET_F_DISABLED).
 */
#define DX_SUBNET_POOL_OPTS_MAX 4

/* An address range, host byte order, both ends included. */
struct dx_addr_span {
	__u32 first;
	__u32 last;
};

/*
 * A subnet's window in dx_addrs: the entry of address a (host order) is
 * at index base + (a - first) when a - first < size. It spans the
 * subnet's pools, the only addresses a dynamic lease is granted from;
 * size 0: the subnet has none (it did not fit, or has no pools), and
 * its renewals are looked up by client in dx_leases only.
 */
struct dx_addr_window {
	__u32 first;
	__u32 size;
	__u32 base;
};

/* subnets: __u32 slot -> struct dx_subnet (an ARRAY; id 0 = unused) */
struct dx_subnet {
	__u32 subnet_id;  /* configured id; keys dx_leases */
	__u32 opts_csum;  /* dx_reply_opts_csum() of opts[0..opts_len) */
	__u32 lease_time; /* seconds, option 51 */
	__u32 t1;	  /* seconds, option 58 */
	__u32 t2;	  /* seconds, option 59 */
	__u16 opts_len;	  /* bytes used in opts, <= DX_SUBNET_OPTS_MAX */
	__u16 flags;	  /* enum dx_subnet_flags */
	__u32 n_pool_opts; /* entries used in pool_opts */
	struct dx_addr_span pool_opts[DX_SUBNET_POOL_OPTS_MAX];
	__be32 network;	  /* the prefix, for DX_SUBNET_F_SHARED */
	__be32 mask;
	/* With DX_SUBNET_F_SHARED: the slots of the shared network's first
	 * subnet and of the one after this, DX_SUBNET_SLOT_NONE at the end
	 * (configuration order). */
	__u32 first_slot;
	__u32 next_slot;
	/* Where the subnet's dynamic leases sit in dx_addrs (below). */
	struct dx_addr_window win;
	/* TLV-encoded options (1, 3, 6, 15, ...) without END. */
	__u8 opts[DX_SUBNET_OPTS_MAX];
	/*
	 * The BOOTP fixed fields of every reply (RFC 2131 §2), used when
	 * DX_SUBNET_F_BOOTP is set: siaddr, and sname then file as they go
	 * on the wire (NUL-padded, contiguous and 8-aligned so XDP copies
	 * whole words); bootp_csum is dx_reply_bootp_csum() of the 192
	 * bytes, so that XDP need not sum them.
	 */
	__be32 siaddr;
	__u32 bootp_csum;
	__u8 sname[64];
	__u8 file[128];
};

struct dx_lease_key {
	__u32 subnet_id;
	__u8 mac[6];
	__u16 pad;
};

enum dx_lease_flags {
	DX_LEASE_F_DYNAMIC = 1 << 0,  /* horizon applies */
	DX_LEASE_F_RESERVED = 1 << 1, /* config is the source of truth */
	/*
	 * Dynamic, written from the database into a map that did not hold
	 * the lease (a fresh map after a reboot or an ABI change): XDP may
	 * have renewed it, on the map that was lost, past expires_ns. The
	 * daemon then reclaims it only past the horizon (docs/design.md
	 * §2); the next ACK of the lease, the daemon's or one XDP reports,
	 * writes an entry without it. XDP does not look at it.
	 */
	DX_LEASE_F_UNTRACKED = 1 << 2,
};

/* leases: struct dx_lease_key -> struct dx_lease */
struct dx_lease {
	__be32 addr;
	__u32 flags; /* enum dx_lease_flags */
	/* dx_client_id_hash() of option 61, 0 when the lease has none. */
	__u64 client_id_hash;
	/*
	 * CLOCK_BOOTTIME ns up to which the lease database already holds the
	 * address as this client's (docs/design.md §2). XDP grants only when
	 * now + lease_time <= horizon. Unused for reservations.
	 */
	__u64 horizon_ns;
	/*
	 * CLOCK_BOOTTIME ns at which the lease last granted ends: written by
	 * the daemon with the entry, then by XDP on each renewal it ACKs.
	 * XDP renews only while now < expires_ns (a lease that ran out is
	 * the daemon's to decide, RFC 2131 §4.4.5), and the daemon reclaims
	 * a lease once the later of its row's expiry and this one is past,
	 * although XDP reports only the renewals that need a horizon
	 * extension (below; docs/design.md §2). 0 for reservations.
	 */
	__u64 expires_ns;
};

/*
 * addrs: ARRAY __u32 index -> struct dx_addr_lease, a second home for the
 * entries of dynamic leases, indexed by address through their subnet's
 * window (struct dx_addr_window). A renewal names its address in ciaddr
 * (RFC 2131 §4.3.2), so XDP reaches its entry with one inlined array
 * lookup instead of a hash walk, which at a million leases costs most of
 * the ACK (docs/design.md §4). The entry is the client's only when
 * subnet_id, mac and lease.addr all match; anything else falls back to
 * dx_leases, which stays the index of every entry. Written by the daemon
 * with each dx_leases write of a dynamic lease (after it) and cleared
 * before each delete; XDP writes lease.expires_ns of the entry it
 * answered from, so a lease's expiry is the later of its two entries'.
 * Sized as dx_leases (lease-map-capacity).
 */
struct dx_addr_lease {
	struct dx_lease lease; /* DX_LEASE_F_DYNAMIC; 0 when free */
	__u32 subnet_id;
	__u8 mac[6];
	__u16 pad;
};

/*
 * circuits: HASH struct dx_circuit_key -> struct dx_lease, the
 * reservations by circuit id of subnets with DX_SUBNET_F_CIRCUIT_MAP. The
 * key holds the circuit id itself, zero-padded: a lookup never matches
 * another circuit. The value is a reservation entry as in dx_leases
 * (DX_LEASE_F_RESERVED, the address); one the daemon must answer (options,
 * hostname or boot fields of its own, or an address a lease from the
 * database still holds) has flags 0, and its requests are passed up.
 */
struct dx_circuit_key {
	__u32 subnet_id;
	__u32 len; /* 1 .. DX_CIRCUIT_ID_MAX */
	__u8 id[DX_CIRCUIT_ID_MAX];
};

/*
 * Ring buffer record of a fast-path ACK of a dynamic lease whose horizon
 * would not cover the client's next renewal (now + T1 + lease time): a
 * request to extend it. Renewals that still fit send nothing; their new
 * expiry is in dx_lease.expires_ns.
 */
struct dx_event {
	__u64 now_ns;	      /* CLOCK_BOOTTIME of the ACK */
	__u64 granted_until_ns; /* now_ns + lease_time */
	__u32 subnet_id;
	__be32 addr;
	__u8 mac[6];
	__u8 msg_type; /* DHCPACK */
	__u8 pad;
};

/*
 * Rate limits on what XDP passes up to the daemon (docs/design.md §2):
 * every well-formed BOOTREQUEST the fast path does not answer is charged
 * to the buckets of its kinds, and dropped (XDP_DROP) when one of them is
 * empty. A client with an entry in dx_leases for the subnet its request
 * selects (a known client) is charged to its own DX_RATE_CLIENT bucket
 * only, so that a flood from other MACs cannot slow its renewals.
 */
enum dx_rate_kind {
	DX_RATE_CLIENT,	    /* chaddr on the arrival network */
	DX_RATE_NETWORK,    /* (ingress ifindex, VLAN tags) */
	DX_RATE_RELAY,	    /* giaddr, when not 0 */
	DX_RATE_CIRCUIT_ID, /* giaddr and the RFC 3046 circuit id, hashed */
	DX_RATE_KINDS,
};

/* One limit: `rate` requests per second on average, `burst` at once.
 * rate 0: that limit is off. */
struct dx_rate_limit {
	__u32 rate;
	__u32 burst;
};

/* limits: ARRAY, one entry, key 0 -> struct dx_rate_limits; written by
 * the daemon at start and on every reload. All zero: no limits. */
struct dx_rate_limits {
	struct dx_rate_limit limit[DX_RATE_KINDS]; /* by enum dx_rate_kind */
};

/*
 * buckets: LRU_PERCPU_HASH struct dx_rate_key -> __u64, the bucket's
 * theoretical arrival time (GCRA, CLOCK_BOOTTIME ns): a request at `now`
 * passes when max(tat, now) + 1/rate <= now + burst/rate, and moves tat
 * there. Per CPU, so without atomics: each receive CPU has its own
 * buckets, and with RSS spreading a source over N queues the effective
 * limit is up to N times the configured one. Fields a kind does not use
 * are 0.
 */
struct dx_rate_key {
	__u32 kind;    /* enum dx_rate_kind */
	__u32 ifindex; /* client, network */
	__u16 vlan;    /* client, network */
	__u8 mac[6];   /* client */
	__be32 giaddr; /* relay, circuit id */
	__u16 svlan;   /* client, network: the QinQ S-tag */
	__u16 pad;
	/* circuit id: FNV-1a 64 of at most DX_CIRCUIT_ID_HASHED bytes of
	 * sub-option 1 of option 82 (RFC 3046 §2.1), then its length */
	__u64 circuit_id_hash;
};

/* Bytes of a circuit id hashed; real ones are far shorter (a port name,
 * or TR-101's "access-node slot/port:vlan"). */
#define DX_CIRCUIT_ID_HASHED 64

/* Seed and FNV-1a 64 over the option-61 payload, identical on both sides. */
#define DX_FNV64_OFFSET 0xcbf29ce484222325ULL
#define DX_FNV64_PRIME 0x100000001b3ULL

static inline __u64 dx_fnv64_step(__u64 h, __u8 byte)
{
	return (h ^ byte) * DX_FNV64_PRIME;
}

/*
 * One byte's share of an Internet checksum (RFC 1071) summed as native
 * 16-bit loads: `pos` is the byte's offset from the UDP header, and the
 * byte lands in the half of the 16-bit word its parity and the host's
 * byte order select.
 */
static inline __u32 dx_csum_byte(__u32 pos, __u8 byte)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (pos & 1) ? (__u32)byte << 8 : byte;
#else
	return (pos & 1) ? byte : (__u32)byte << 8;
#endif
}

/*
 * Partial checksum of a subnet's pre-encoded options where the fast
 * path copies them (DX_REPLY_OPTS_UDP_OFF), computed once by the daemon
 * so that XDP need not sum them for every reply.
 */
static inline __u32 dx_reply_opts_csum(const __u8 *opts, __u32 len)
{
	__u32 sum = 0;

	for (__u32 i = 0; i < len; i++)
		sum += dx_csum_byte(DX_REPLY_OPTS_UDP_OFF + i, opts[i]);
	return sum;
}

/* Where sname starts from the UDP header, and sname + file's length. */
#define DX_REPLY_SNAME_UDP_OFF (8 + 44)
#define DX_REPLY_BOOTP_NAMES_LEN (64 + 128)

/*
 * Partial checksum of a subnet's sname and file where every reply
 * carries them (RFC 2131 §2: 64 and 128 bytes from BOOTP offset 44).
 */
static inline __u32 dx_reply_bootp_csum(const __u8 *names)
{
	__u32 sum = 0;

	for (__u32 i = 0; i < DX_REPLY_BOOTP_NAMES_LEN; i++)
		sum += dx_csum_byte(DX_REPLY_SNAME_UDP_OFF + i, names[i]);
	return sum;
}

#endif /* DHCPXDP_ABI_H */
