/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What the XDP program learns about one request and decides about its
 * reply, kept in the per-CPU dx_scratch map.
 */
#ifndef DHCPXDP_REQUEST_H
#define DHCPXDP_REQUEST_H

#include <linux/types.h>
#include <dhcpxdp/abi.h>

#define ETH_ALEN_ 6

/* Parsed request fields the fast path uses. */
struct dhcp_req {
	__u16 l2_len;	/* 14, 18 with an 802.1Q tag, 22 with QinQ */
	__u16 vlan;	/* 802.1Q (C-tag) VLAN id, 0 when untagged */
	__u16 dhcp_len; /* UDP payload length, from the UDP header */
	__u16 max_size; /* option 57, 0 when absent */
	__u8 msg_type;	/* option 53 */
	__u8 has_server_id;
	__u8 has_req_ip;
	__u8 has_relay_info;
	__u8 cid_len; /* option 61 length, 0 when absent */
	__u8 pad;
	__u16 cid_off;	  /* offset of option 61's value from the DHCP start */
	__be32 req_ip;	  /* option 50 */
	__be32 server_id; /* option 54 */
	__be32 ciaddr;
	__be32 giaddr;
	__be32 ip_dst; /* the IPv4 destination (is it us? addressed_to_us()) */
	/* Kept to write the reply whole, wherever it ends up in the frame
	 * (see build_reply()). */
	__be32 xid;
	__be16 flags;
	__be16 vlan_tci; /* the 802.1Q TCI as received */
	__u8 chaddr[ETH_ALEN_];
	__u16 svlan;	  /* 802.1ad S-tag VLAN id, 0 without one */
	__be16 svlan_tci; /* the S-tag's TCI as received */
	__u16 pad2;
};

/* The reply to write. */
struct reply_plan {
	__u8 dst_mac[ETH_ALEN_];
	__u8 msg_type;
	__u8 cid_len;
	__be32 yiaddr;
	__be32 dst_ip;
	__be16 dst_port;
	__u16 dhcp_len;	  /* reply's UDP payload length */
	__u16 opts_words; /* subnet option bytes copied, multiple of 8 */
	__u8 ri_len;	  /* option 82 echoed: its length, 0 when absent */
	__u8 pad;
};

/* Options the walk records, by slot (see opt_slot in parse.h). */
enum opt_slot {
	OPT_SLOT_NONE,
	OPT_SLOT_MSG_TYPE,	/* 53 */
	OPT_SLOT_REQUESTED_IP,	/* 50 */
	OPT_SLOT_SERVER_ID,	/* 54 */
	OPT_SLOT_LEASE_TIME,	/* 51 */
	OPT_SLOT_MAX_MSG_SIZE,	/* 57 */
	OPT_SLOT_CLIENT_ID,	/* 61 */
	OPT_SLOT_PARAM_REQUEST, /* 55 */
	OPT_SLOT_RELAY_INFO,	/* 82 */
	OPT_SLOT_OVERLOAD,	/* 52 */
	OPT_SLOT_HOST_NAME,	/* 12 */
	OPT_SLOT_FQDN,		/* 81 */
	OPT_SLOT_SUBNET_SELECT, /* 118 */
	OPT_SLOTS,
};

struct fast_ctx {
	/* Offset of each recorded option's code byte from the DHCP start,
	 * and how many times it occurred. */
	__u16 opt_off[OPT_SLOTS];
	__u8 opt_cnt[OPT_SLOTS];
	struct dhcp_req req;
	struct reply_plan rp;
	struct dx_lease_key key;
	struct dx_network net;
	__u32 subnet_slot;
	__u32 lease_flags;
	__u64 cid_hash;
	__u32 cid_csum; /* option 61's bytes' share of the UDP checksum */
	__u32 extend;	/* the ACK asks the daemon to extend the horizon */
	__u64 now;
	__u8 cid[DX_CLIENT_ID_MAX];
	/* Option 82's value, kept to echo it (RFC 3046 §2.2), its share of
	 * the UDP checksum (code and length included), and whether it
	 * holds a circuit id: where the first one's value starts in ri,
	 * and its length. */
	__u8 ri[DX_RELAY_INFO_MAX];
	__u32 ri_csum;
	__u8 ri_len;
	__u8 has_circuit;
	__u8 circ_off;
	__u8 circ_len;
	/* The lookup key of the circuit id (dx_circuits). */
	struct dx_circuit_key circ_key;
	/* Rate limits (ratelimit.h), for what is passed up: */
	__u8 limit;	 /* a well-formed BOOTREQUEST: its punts are limited */
	__u8 known;	 /* dx_leases has (subnet, chaddr): shared limits off */
	__u8 other_host; /* sent to another host's unicast MAC: not limited */
	__u8 rate_on[DX_RATE_KINDS]; /* the bucket of that kind is charged */
	__u8 pad3;
	__u64 rate_next[DX_RATE_KINDS]; /* its arrival time if it passes */
	struct dx_rate_key rate_key[DX_RATE_KINDS];
};

#endif /* DHCPXDP_REQUEST_H */
