/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The harness of the differential test (test_differential.c holds the
 * table): the row type; the state both sides share, set up as the daemon
 * starts (one configuration, one engine holding the leases it would load
 * from its database, the XDP maps filled by map_sync_config and
 * map_load_leases from those) on a veth dxs0 in network and mount
 * namespaces of its own; and one row run through XDP and through the
 * daemon's path, each side's reply checked against the row and, where XDP
 * answers, against the other's.
 *
 * It uses cmocka, so only the BPF tests link it (not the benchmarks).
 */
#ifndef DHCPXDP_TEST_DIFFERENTIAL_H
#define DHCPXDP_TEST_DIFFERENTIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <dhcpxdp/stats.h>

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

/* Our address on dxs0 (xdp_env_veth_ns): server identifier and reply
 * source. */
#define SRV_IP IP(10, 9, 0, 1)
/* An expected yiaddr: any address the table's pool_addr() accepts. */
#define POOL_ADDR 1

/* A lease row as the daemon loads it from its database. */
struct lease_row {
	uint32_t subnet, addr;
	const uint8_t *mac;
	const uint8_t *cid; /* length first, NULL: none */
	int horizon_in;	    /* seconds from now */
	/* seconds from now the lease expires; 0: half a valid-lifetime
	 * (capped at the horizon) */
	int expires_in;
};

/* One request as the client (and its relay) sends it. */
struct req {
	uint8_t type;
	const uint8_t *mac; /* chaddr, and the Ethernet source unless relayed */
	uint32_t ciaddr;
	uint32_t reqip;	    /* option 50, 0: absent */
	uint32_t sid;	    /* option 54, 0: absent */
	uint32_t giaddr;    /* relayed: sent by the relay at that address */
	bool unicast;	    /* IP unicast to our address (RENEWING) */
	bool bcast;	    /* BOOTP broadcast flag */
	uint16_t vlan;	    /* 802.1Q VLAN id, 0: untagged */
	const uint8_t *cid; /* option 61, length first */
	bool relay_info;    /* option 82, added by the relay */
	bool bad_ip_csum;   /* the IPv4 header checksum damaged on the way */
	/* Sent elsewhere than the client (or relay) would send it, as a
	 * promiscuous NIC or a bridge port still hands it to us: another
	 * Ethernet destination, another IPv4 destination (NULL, 0: as
	 * sent). */
	const uint8_t *dst_mac;
	uint32_t dst_ip;
};

/* Where a reply goes (RFC 2131 §4.1). */
enum reply_to {
	TO_CHADDR,    /* unicast yiaddr:68 at chaddr */
	TO_CIADDR,    /* unicast ciaddr:68 at the request's source MAC */
	TO_BROADCAST, /* 255.255.255.255:68, ff:ff:ff:ff:ff:ff */
	TO_RELAY,     /* giaddr:67 at the request's source MAC (the relay) */
};

/* The engine's decision. */
struct expect {
	int action; /* ENGINE_REPLY or ENGINE_DROP */
	int drop;   /* ENGINE_DROP: the reason */
	uint8_t type;
	uint32_t subnet;
	uint32_t yiaddr; /* POOL_ADDR: any the table's pool_addr() accepts */
	enum reply_to to;
};

struct row {
	const char *name;
	struct req rq;
	int xdp;	   /* XDP_TX, or XDP_PASS: the daemon decides */
	enum dx_stat punt; /* XDP_PASS: the counter that moves (0: any) */
	/* The daemon drops the frame before the engine: what
	 * frame_in_parse says (enum frame_in_err; 0: it parses, and the
	 * engine decides as eng says). */
	int frame_in;
	struct expect eng;
};

struct diff_table {
	const char *cfg_json;
	const struct lease_row *leases;
	size_t n_leases;
	const struct row *rows; /* run in order, each row its own test */
	size_t n_rows;
	/* Whether yiaddr is one a POOL_ADDR row accepts. */
	bool (*pool_addr)(uint32_t yiaddr);
};

/* ---- writing rows ---- */

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define REQ(t, m, ...)                           \
	{                                        \
		.type = t, .mac = m, __VA_ARGS__ \
	}
#define FAST	    .xdp = XDP_TX
#define PASSES(why) .xdp = XDP_PASS, .punt = DX_STAT_PUNT_##why
#define ANSWER(t, sn, yi, dest)                                                \
	{                                                                      \
		.action = ENGINE_REPLY, .type = t, .subnet = sn, .yiaddr = yi, \
		.to = dest                                                     \
	}
#define OFFER(sn, yi, dest) ANSWER(DHCPOFFER, sn, yi, dest)
#define ACK(sn, yi, dest)   ANSWER(DHCPACK, sn, yi, dest)
#define NAK(sn, dest)	    ANSWER(DHCPNAK, sn, 0, dest)
#define SILENT(why)                                              \
	{                                                        \
		.action = ENGINE_DROP, .drop = ENGINE_DROP_##why \
	}
/* frame_in_parse refuses the frame: the engine never sees it. */
#define DAEMON_DROPS(why) .frame_in = FRAME_IN_##why

/*
 * Run the table as the cmocka group "differential": the state set up
 * once for the group, then each row through both sides; after each row
 * the engine's lease-map changes are applied as the daemon applies them
 * once they are durable, so the map keeps mirroring the engine for the
 * rows that follow. Returns what cmocka returns.
 */
int differential_run(const struct diff_table *t);

#endif
