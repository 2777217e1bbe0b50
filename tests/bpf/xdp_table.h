/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The table of frames run through BPF_PROG_RUN on the real XDP object,
 * split by what its rows exercise: test_xdp.c (renewals and reservations
 * on the untagged network, and what policy leaves to the daemon),
 * test_xdp_relay_vlan.c (VLANs, relays, the subnet a frame selects) and
 * test_xdp_malformed.c (frames passed up for parse reasons).
 *
 * Shared here: the fixture (subnets, networks, relays and leases in the
 * maps), the row type, the request builders, and the checks: reply bytes
 * with checksums recomputed independently of the program's, counters,
 * renewal events and the expiry written in the lease entry.
 *
 * It uses cmocka, so only the BPF tests link it (not the benchmarks).
 */
#ifndef DHCPXDP_TEST_XDP_TABLE_H
#define DHCPXDP_TEST_XDP_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <dhcpxdp/abi.h>
#include <dhcpxdp/stats.h>
#include "frame.h"
#include "xdp_env.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))
#define LEASE_TIME     3600
#define SEC	       1000000000ULL
#define S1	       IP(10, 0, 0, 1)

struct CMUnitTest;

enum client {
	CL_A,	    /* subnet 1, dynamic 10.0.0.50 */
	CL_B,	    /* subnet 1, dynamic 10.0.0.51, client-id */
	CL_C,	    /* subnet 1, dynamic 10.0.0.52, horizon too short */
	CL_X,	    /* subnet 1, dynamic 10.0.0.53, horizon passed */
	CL_R,	    /* subnet 1, reserved 10.0.0.200 */
	CL_V,	    /* subnet 2 (VLAN 100), dynamic 10.1.0.20 */
	CL_G,	    /* subnet 3 (relayed), dynamic 172.16.0.30; subnet 8
		     * (relayed, circuit-id reservations), 172.17.0.30 */
	CL_GR,	    /* subnet 3 (relayed), reserved 172.16.0.40 */
	CL_L,	    /* subnet 1, dynamic 10.0.0.54, 64-byte client-id */
	CL_D,	    /* subnet 4 (disabled), dynamic 10.4.0.9 */
	CL_E,	    /* subnet 1, dynamic 10.0.0.55, past its expiry */
	CL_P,	    /* subnet 5 (VLAN 500, boot fields), dynamic 10.5.0.20 */
	CL_PR,	    /* subnet 5 (VLAN 500, boot fields), reserved 10.5.0.40 */
	CL_S,	    /* subnet 7 (shared network, VLAN 400), dynamic 10.7.0.20 */
	CL_SR,	    /* subnet 7 (shared network, VLAN 400), reserved 10.7.0.40 */
	CL_PO,	    /* subnet 1, dynamic 10.0.0.60, a pool with options */
	CL_UNKNOWN, /* no lease anywhere */
	CL_MAX,
};

/* Our MAC on every network of the fixture. */
extern const uint8_t srv_mac[6];
/* The loaded object, and why every test skips (NULL: they run). */
extern struct xdp_env xdp_table_env;
extern const char *xdp_table_skip_reason;
/* CL_L's 64-byte client identifier. */
extern uint8_t cid_long[64];

void mac_of(enum client c, uint8_t mac[6]);
/* Client identifier type 1 followed by c's MAC. */
void cid_of(enum client c, uint8_t cid[7]);
/* (Re)write c's lease entry in subnet id `subnet`, its horizon
 * horizon_s seconds from now. */
/* Set the flags of the fixture's subnet i (0 to 3) in its map slot. */
void fixture_subnet_flags(int i, uint16_t flags);
void fixture_lease(enum client c, uint32_t subnet, uint32_t addr,
		   uint32_t flags, int64_t horizon_s, uint64_t cid_hash);
/* Set the expiry of c's entry in subnet id `subnet` to delta_ns from now
 * (a dynamic entry gets half a lease time from fixture_lease). */
void fixture_expiry(enum client c, uint32_t subnet, int64_t delta_ns);

/* ---- request builders --------------------------------------------- */

/* c's request of `type` with the fixture's xid; no END yet. */
void req_base(struct frame_spec *s, enum client c, uint8_t type);
/* RENEWING: unicast from the client, ciaddr set (RFC 2131 §4.3.2). */
void renewing(struct frame_spec *s, enum client c, uint32_t ciaddr,
	      uint32_t server);
/* INIT-REBOOT: broadcast, option 50, no server id. */
void init_reboot(struct frame_spec *s, enum client c, uint32_t addr);
/* SELECTING: broadcast, option 50 and 54. */
void selecting(struct frame_spec *s, enum client c, uint32_t addr,
	       uint32_t server);
void discover(struct frame_spec *s, enum client c);
/* CL_V renewing on VLAN 100 (answered, and the base of VLAN rows). */
void b_vlan_renew(struct frame_spec *s);
/* Subnet 5's siaddr, sname and file (next-server, server-hostname,
 * boot-file-name). */
#define PXE_SIADDR IP(10, 5, 0, 2)
#define PXE_SNAME  "tftp.example.net"
#define PXE_FILE   "pxelinux.0"
/* The same inside QinQ S-tag 200 (C-tag 100): answered too. */
void b_qinq_renew(struct frame_spec *s);

/* ---- the table ------------------------------------------------------ */

enum reply_to { TO_CHADDR, TO_CIADDR, TO_BROADCAST, TO_RELAY };

struct xdp_case {
	const char *name;
	void (*build)(struct frame_spec *s);
	/* optional: corrupt the serialised frame */
	void (*mangle)(uint8_t *f, size_t *len);
	int verdict;
	enum dx_stat punt; /* XDP_PASS: the counter that must move */
	/* XDP_TX: */
	uint8_t msg_type;
	uint32_t yiaddr;
	int subnet; /* the fixture's subnet: 0 (id 1) to 7 (id 8) */
	enum reply_to to;
	bool reserved; /* reservation: no renewal event */
};

#define TX(n, b, t, y, sub, to_)                                         \
	{                                                                \
		.name = n, .build = b, .verdict = XDP_TX, .msg_type = t, \
		.yiaddr = y, .subnet = sub, .to = to_                    \
	}
#define TXR(n, b, t, y, sub, to_)                                        \
	{                                                                \
		.name = n, .build = b, .verdict = XDP_TX, .msg_type = t, \
		.yiaddr = y, .subnet = sub, .to = to_, .reserved = true  \
	}
#define PASS(n, b, m, why)                                               \
	{                                                                \
		.name = n, .build = b, .mangle = m, .verdict = XDP_PASS, \
		.punt = DX_STAT_PUNT_##why                               \
	}

/* ---- checks --------------------------------------------------------- */

/* The reply to case c's request s (frame `in`), byte by byte. */
void check_reply(const struct xdp_case *c, const struct frame_spec *s,
		 const uint8_t *in, size_t in_len, const uint8_t *out,
		 size_t out_len);
/* Exactly one renewal event is pending, for c's request s, raised at or
 * after t0 (boot clock). */
void check_event(const struct xdp_case *c, const struct frame_spec *s,
		 uint64_t t0);
void check_no_event(void);
void drain_events(void);
/* The lease map entry of client c in subnet id `subnet`. */
void lease_entry_of(enum client c, uint32_t subnet, struct dx_lease *l);

/*
 * Run the group `name`: each case as a test (the frame through the
 * program once: verdict, counters, then the reply and its event and
 * expiry, or the untouched frame), then the `n_more` tests of `more`,
 * on one fixture set up for the group. Returns what cmocka returns.
 */
int xdp_table_run(const char *name, const struct xdp_case *cases, size_t n,
		  const struct CMUnitTest *more, size_t n_more);

#endif
