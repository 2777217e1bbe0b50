// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Differential test of the two implementations of subnet selection and
 * reply addressing: the XDP program (bpf/) and the daemon's path
 * (frame_in_parse -> dhcp_msg_decode -> engine_handle ->
 * reply_frame_build, chained as user/daemon/slowpath.c chains them). One table of requests runs through
 * both with the same state: one configuration, one engine holding the
 * leases the daemon would load from its database, and the XDP maps
 * filled by the daemon's own code (map_sync_config, map_load_leases) from
 * that configuration and those leases.
 *
 * Each row says what XDP does - answers, or passes the frame up and why -
 * and what the engine decides. Where XDP answers, the daemon's reply must
 * carry the same decision: message type, yiaddr, the subnet's lease times
 * (each subnet has its own, so they also show which subnet was selected),
 * where the reply goes (RFC 2131 §4.1: Ethernet and IPv4 destination, UDP
 * port), from which address (the server identifier), on which VLAN, and
 * the BOOTP fields of table 3. XDP must never answer where the engine
 * would not, nor differently. After each row the engine's lease-map
 * changes are applied as the daemon applies them once they are durable,
 * so the map keeps mirroring the engine for the rows that follow.
 *
 * Runs in network and mount namespaces of its own (a veth, a private
 * bpffs). BPF_PROG_RUN takes the ingress interface only from 5.15 on:
 * on older kernels each row still checks the engine's decision, then is
 * reported SKIPPED.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <cmocka.h>
#include <dhcpxdp/abi.h>
#include <dhcpxdp/dhcp_wire.h>
#include "config/config.h"
#include "engine/engine.h"
#include "kernel/bpf_obj.h"
#include "kernel/map_sync.h"
#include "kernel/netif.h"
#include "util/clock.h"
#include "wire/dhcp_msg.h"
#include "wire/frame_in.h"
#include "wire/frame_out.h"
#include "wire/reply_frame.h"
#include "frame.h"
#include "xdp_env.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))
#define ARRAY_SIZE(a)  (sizeof(a) / sizeof((a)[0]))

/* Our address on dxs0: server identifier and reply source. */
#define SRV_IP	   IP(10, 9, 0, 1)
#define RELAY43_IP IP(10, 9, 0, 254) /* listed for subnet 43 */
#define RELAY44_IP IP(10, 9, 0, 253) /* listed for subnet 44 */
/* Relays named by no subnet: the subnet whose prefix holds them. */
#define GI_IN_44 IP(172, 31, 0, 1)
#define GI_IN_42 IP(10, 9, 0, 7)
#define GI_NONE	 IP(192, 0, 2, 1) /* in no subnet */

#define OTHER_SRV     IP(10, 9, 0, 99) /* another server's identifier */
#define VLAN_UNSERVED 7		       /* no network of ours */

/* Leases and reservations. */
#define IP_A	IP(10, 9, 0, 20)
#define IP_B	IP(10, 9, 0, 21)
#define IP_H	IP(10, 9, 0, 22)
#define IP_Q	IP(10, 9, 0, 50) /* reserved for RC since Q got it */
#define IP_R	IP(10, 9, 0, 200)
#define IP_RH	IP(10, 9, 0, 201)
#define IP_RO	IP(10, 9, 0, 202)
#define IP_FREE IP(10, 9, 0, 41) /* in the pool, nobody's */
#define IP_G	IP(172, 30, 0, 20)
#define IP_GR	IP(172, 30, 0, 200)
#define IP_P	IP(172, 31, 0, 20)
/* An expected yiaddr: any address of subnet 42's pool but a reserved one. */
#define POOL_ADDR 1

static const uint8_t MAC_A[6] = {0x02, 0xd1, 0, 0, 0, 0x0a};
static const uint8_t MAC_B[6] = {0x02, 0xd1, 0, 0, 0, 0x0b};
static const uint8_t MAC_H[6] = {0x02, 0xd1, 0, 0, 0, 0x0c};
static const uint8_t MAC_Q[6] = {0x02, 0xd1, 0, 0, 0, 0x0d};
static const uint8_t MAC_U[6] = {0x02, 0xd1, 0, 0, 0, 0xe0};
static const uint8_t MAC_U2[6] = {0x02, 0xd1, 0, 0, 0, 0xe1};
static const uint8_t MAC_R[6] = {0x02, 0xd1, 0, 0, 0, 0xa0};
static const uint8_t MAC_RH[6] = {0x02, 0xd1, 0, 0, 0, 0xa1};
static const uint8_t MAC_RO[6] = {0x02, 0xd1, 0, 0, 0, 0xa2};
static const uint8_t MAC_RC[6] = {0x02, 0xd1, 0, 0, 0, 0xa3};
static const uint8_t MAC_G[6] = {0x02, 0xd1, 0, 0, 0x01, 0x0a};
static const uint8_t MAC_GR[6] = {0x02, 0xd1, 0, 0, 0x01, 0xa0};
static const uint8_t MAC_P[6] = {0x02, 0xd1, 0, 0, 0x02, 0x0a};
static const uint8_t MAC_RELAY[6] = {0x02, 0xd1, 0xff, 0, 0, 0x01};

/* Client identifiers (option 61), length first. */
static const uint8_t CID_B[] = {7, 1, 0x02, 0xd1, 0, 0, 0, 0x0b};
static const uint8_t CID_OTHER[] = {7, 1, 0x02, 0xd1, 0, 0, 0, 0xbb};

/*
 * Subnet 42 is attached to dxs0; 43 is behind relay 10.9.0.254, an
 * address inside 42's prefix (the listed relay must win); 44 is behind
 * 10.9.0.253 and is also reached by its prefix. Each subnet has its own
 * valid-lifetime. Reservations in 42: R plain (served in XDP), RH with a
 * hostname and RO with options of its own (left to the daemon), RC on an
 * address a lease from the database still holds for another client (Q).
 */
static const char *cfg_json =
	"{ \"Dhcp4\": {"
	"  \"interfaces-config\": { \"interfaces\": [ \"dxs0\" ] },"
	"  \"valid-lifetime\": 600,"
	"  \"subnet4\": ["
	"   { \"id\": 42, \"subnet\": \"10.9.0.0/24\", \"interface\": \"dxs0\","
	"     \"pools\": [ { \"pool\": \"10.9.0.10 - 10.9.0.99\" } ],"
	"     \"option-data\": ["
	"       { \"name\": \"routers\", \"data\": \"10.9.0.1\" } ],"
	"     \"reservations\": ["
	"       { \"hw-address\": \"02:d1:00:00:00:a0\","
	"         \"ip-address\": \"10.9.0.200\" },"
	"       { \"hw-address\": \"02:d1:00:00:00:a1\","
	"         \"ip-address\": \"10.9.0.201\", \"hostname\": \"named\" },"
	"       { \"hw-address\": \"02:d1:00:00:00:a2\","
	"         \"ip-address\": \"10.9.0.202\","
	"         \"option-data\": ["
	"           { \"name\": \"routers\", \"data\": \"10.9.0.254\" } ] },"
	"       { \"hw-address\": \"02:d1:00:00:00:a3\","
	"         \"ip-address\": \"10.9.0.50\" } ] },"
	"   { \"id\": 43, \"subnet\": \"172.30.0.0/24\","
	"     \"valid-lifetime\": 900,"
	"     \"relay\": { \"ip-addresses\": [ \"10.9.0.254\" ] },"
	"     \"pools\": [ { \"pool\": \"172.30.0.10 - 172.30.0.99\" } ],"
	"     \"option-data\": ["
	"       { \"name\": \"routers\", \"data\": \"172.30.0.1\" } ],"
	"     \"reservations\": ["
	"       { \"hw-address\": \"02:d1:00:00:01:a0\","
	"         \"ip-address\": \"172.30.0.200\" } ] },"
	"   { \"id\": 44, \"subnet\": \"172.31.0.0/24\","
	"     \"valid-lifetime\": 1200,"
	"     \"relay\": { \"ip-addresses\": [ \"10.9.0.253\" ] },"
	"     \"pools\": [ { \"pool\": \"172.31.0.10 - 172.31.0.99\" } ] }"
	" ] } }";

/* A lease row as the daemon loads it from its database. */
struct lease_row {
	uint32_t subnet, addr;
	const uint8_t *mac;
	const uint8_t *cid; /* length first, NULL: none */
	int horizon_in;	    /* seconds from now */
};

/*
 * Granted half a lifetime ago; durable for three lifetimes ahead, far
 * enough for XDP to renew (now + valid-lifetime <= horizon, docs/design.md
 * §2) - except H's, which ends before one lifetime.
 */
static const struct lease_row leases[] = {
	{42, IP_A, MAC_A, NULL, 1800},	/* A: the plain dynamic lease */
	{42, IP_B, MAC_B, CID_B, 1800}, /* B: with a client-id */
	{42, IP_H, MAC_H, NULL, 300},	/* H: horizon too short */
	{42, IP_Q, MAC_Q, NULL, 1800},	/* Q: on RC's reserved address */
	{43, IP_G, MAC_G, NULL, 2700},	/* G: behind relay 10.9.0.254 */
	{44, IP_P, MAC_P, NULL, 3600},	/* P: behind relay 10.9.0.253 */
};

/* ---- the table ---------------------------------------------------------- */

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
	uint32_t yiaddr; /* POOL_ADDR: any of subnet 42's pool */
	enum reply_to to;
};

struct row {
	const char *name;
	struct req rq;
	int xdp;	   /* XDP_TX, or XDP_PASS: the daemon decides */
	enum dx_stat punt; /* XDP_PASS: the counter that moves (0: any) */
	struct expect eng;
	/* A disagreement this row exposes; printed when the row fails. */
	const char *bug;
};

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

static const struct row rows[] = {
	/* -- REQUEST states of a dynamic lease (RFC 2131 §4.3.2) -- */
	{
		.name = "RENEWING: unicast with ciaddr, ACK to ciaddr",
		.rq = REQ(DHCPREQUEST, MAC_A, .ciaddr = IP_A, .unicast = true),
		FAST,
		.eng = ACK(42, IP_A, TO_CIADDR),
	},
	{
		/* §4.1: ciaddr set, so the broadcast flag does not count. */
		.name = "REBINDING: broadcast with ciaddr, ACK to ciaddr",
		.rq = REQ(DHCPREQUEST, MAC_A, .ciaddr = IP_A, .bcast = true),
		FAST,
		.eng = ACK(42, IP_A, TO_CIADDR),
	},
	{
		.name = "INIT-REBOOT without broadcast flag: ACK to yiaddr at "
			"chaddr",
		.rq = REQ(DHCPREQUEST, MAC_A, .reqip = IP_A),
		FAST,
		.eng = ACK(42, IP_A, TO_CHADDR),
	},
	{
		.name = "INIT-REBOOT with broadcast flag: ACK broadcast",
		.rq = REQ(DHCPREQUEST, MAC_A, .reqip = IP_A, .bcast = true),
		FAST,
		.eng = ACK(42, IP_A, TO_BROADCAST),
	},
	{
		.name = "SELECTING with our server id: ACK",
		.rq = REQ(DHCPREQUEST, MAC_A, .reqip = IP_A, .sid = SRV_IP),
		FAST,
		.eng = ACK(42, IP_A, TO_CHADDR),
	},
	{
		/* §4.3.2: the client chose another server's offer. */
		.name = "SELECTING with another server's id: both silent",
		.rq = REQ(DHCPREQUEST, MAC_A, .reqip = IP_A, .sid = OTHER_SRV),
		PASSES(SERVER_ID),
		.eng = SILENT(NOT_FOR_US),
	},
	{
		/* §4.3.2 INIT-REBOOT: "requested IP address is incorrect". */
		.name = "INIT-REBOOT for another address than the lease: NAK",
		.rq = REQ(DHCPREQUEST, MAC_A, .reqip = IP(10, 9, 0, 30)),
		PASSES(ADDR_MISMATCH),
		.eng = NAK(42, TO_BROADCAST),
	},
	{
		/* §4.3.2 INIT-REBOOT: "client is on the wrong network". */
		.name = "INIT-REBOOT for an address of another subnet: NAK",
		.rq = REQ(DHCPREQUEST, MAC_A, .reqip = IP(172, 30, 0, 5)),
		PASSES(ADDR_MISMATCH),
		.eng = NAK(42, TO_BROADCAST),
	},
	{
		/* §4.3.1: the client's current binding is offered; XDP only
		 * offers reservations. */
		.name = "DISCOVER from a lease holder: engine OFFERs its lease",
		.rq = REQ(DHCPDISCOVER, MAC_A),
		PASSES(DISCOVER),
		.eng = OFFER(42, IP_A, TO_CHADDR),
	},
	{
		/* §4.1: without giaddr a NAK is always broadcast, even to
		 * a client that has an address. */
		.name = "RENEWING with another ciaddr than the lease: NAK "
			"broadcast",
		.rq = REQ(DHCPREQUEST, MAC_A, .ciaddr = IP(10, 9, 0, 31),
			  .unicast = true),
		PASSES(ADDR_MISMATCH),
		.eng = NAK(42, TO_BROADCAST),
	},
	{
		.name = "REQUEST naming no address: dropped",
		.rq = REQ(DHCPREQUEST, MAC_A),
		PASSES(NO_ADDR),
		.eng = SILENT(MALFORMED),
	},

	/* -- client identifier (RFC 2131 §4.2, RFC 6842) -- */
	{
		.name = "RENEWING, client-id as in the lease: ACK, 61 echoed",
		.rq = REQ(DHCPREQUEST, MAC_B, .ciaddr = IP_B, .unicast = true,
			  .cid = CID_B),
		FAST,
		.eng = ACK(42, IP_B, TO_CIADDR),
	},
	{
		/* Another client behind the same chaddr. */
		.name = "RENEWING, client-id other than the lease's: NAK",
		.rq = REQ(DHCPREQUEST, MAC_B, .ciaddr = IP_B, .unicast = true,
			  .cid = CID_OTHER),
		PASSES(CLIENT_ID),
		.eng = NAK(42, TO_BROADCAST),
	},
	{
		/* The engine falls back to chaddr when one side has no
		 * client-id; XDP compares hashes and defers. */
		.name = "RENEWING without the lease's client-id: engine ACKs",
		.rq = REQ(DHCPREQUEST, MAC_B, .ciaddr = IP_B, .unicast = true),
		PASSES(CLIENT_ID),
		.eng = ACK(42, IP_B, TO_CIADDR),
	},

	/* -- the durable horizon (docs/design.md §2) -- */
	{
		.name = "horizon too short: XDP defers, engine ACKs",
		.rq = REQ(DHCPREQUEST, MAC_H, .ciaddr = IP_H, .unicast = true),
		PASSES(HORIZON),
		.eng = ACK(42, IP_H, TO_CIADDR),
	},
	{
		/* The previous row's ACK extended the horizon and the
		 * daemon put it in the map. */
		.name = "horizon extended by the engine's ACK: XDP answers",
		.rq = REQ(DHCPREQUEST, MAC_H, .ciaddr = IP_H, .unicast = true),
		FAST,
		.eng = ACK(42, IP_H, TO_CIADDR),
	},

	/* -- unknown clients -- */
	{
		/* §4.3.2: "If the DHCP server has no record of this client,
		 * then it MUST remain silent". */
		.name = "INIT-REBOOT from an unknown client: silent",
		.rq = REQ(DHCPREQUEST, MAC_U, .reqip = IP(10, 9, 0, 40)),
		PASSES(NO_LEASE),
		.eng = SILENT(UNKNOWN_CLIENT),
	},
	{
		.name = "RENEWING from an unknown client, another's address: "
			"NAK",
		.rq = REQ(DHCPREQUEST, MAC_U, .ciaddr = IP_A, .unicast = true),
		PASSES(NO_LEASE),
		.eng = NAK(42, TO_BROADCAST),
	},
	{
		/* docs/protocol.md: a lost lease on a free address is
		 * granted again, as Kea does. */
		.name = "RENEWING from an unknown client, free address: ACK",
		.rq = REQ(DHCPREQUEST, MAC_U2, .ciaddr = IP_FREE,
			  .unicast = true),
		PASSES(NO_LEASE),
		.eng = ACK(42, IP_FREE, TO_CIADDR),
	},

	/* -- reservations -- */
	{
		.name = "reservation DISCOVER: OFFER to yiaddr at chaddr",
		.rq = REQ(DHCPDISCOVER, MAC_R),
		FAST,
		.eng = OFFER(42, IP_R, TO_CHADDR),
	},
	{
		.name = "reservation DISCOVER with broadcast flag: OFFER "
			"broadcast",
		.rq = REQ(DHCPDISCOVER, MAC_R, .bcast = true),
		FAST,
		.eng = OFFER(42, IP_R, TO_BROADCAST),
	},
	{
		.name = "reservation SELECTING: ACK",
		.rq = REQ(DHCPREQUEST, MAC_R, .reqip = IP_R, .sid = SRV_IP),
		FAST,
		.eng = ACK(42, IP_R, TO_CHADDR),
	},
	{
		.name = "reservation RENEWING: ACK to ciaddr",
		.rq = REQ(DHCPREQUEST, MAC_R, .ciaddr = IP_R, .unicast = true),
		FAST,
		.eng = ACK(42, IP_R, TO_CIADDR),
	},
	{
		.name = "reservation SELECTING another server: both silent",
		.rq = REQ(DHCPREQUEST, MAC_R, .reqip = IP_R, .sid = OTHER_SRV),
		PASSES(SERVER_ID),
		.eng = SILENT(NOT_FOR_US),
	},
	{
		.name = "reservation INIT-REBOOT for another address: NAK",
		.rq = REQ(DHCPREQUEST, MAC_R, .reqip = IP_RH),
		PASSES(ADDR_MISMATCH),
		.eng = NAK(42, TO_BROADCAST),
	},
	{
		.name = "reservation with a hostname: XDP defers, engine "
			"OFFERs",
		.rq = REQ(DHCPDISCOVER, MAC_RH),
		PASSES(DISCOVER),
		.eng = OFFER(42, IP_RH, TO_CHADDR),
	},
	{
		.name = "reservation with options: XDP defers, engine ACKs",
		.rq = REQ(DHCPREQUEST, MAC_RO, .reqip = IP_RO, .sid = SRV_IP),
		PASSES(NO_LEASE),
		.eng = ACK(42, IP_RO, TO_CHADDR),
	},

	/* -- relayed (RFC 2131 §4.1: replies to giaddr:67) -- */
	{
		.name = "relayed reservation DISCOVER via a listed relay: "
			"OFFER",
		.rq = REQ(DHCPDISCOVER, MAC_GR, .giaddr = RELAY43_IP),
		FAST,
		.eng = OFFER(43, IP_GR, TO_RELAY),
	},
	{
		.name = "relayed reservation SELECTING via a listed relay: ACK",
		.rq = REQ(DHCPREQUEST, MAC_GR, .reqip = IP_GR, .sid = SRV_IP,
			  .giaddr = RELAY43_IP, .bcast = true),
		FAST,
		.eng = ACK(43, IP_GR, TO_RELAY),
	},
	{
		/* 10.9.0.254 lies in 42's prefix too: the listed relay
		 * wins. */
		.name = "relayed REBINDING via a listed relay: ACK to the "
			"relay",
		.rq = REQ(DHCPREQUEST, MAC_G, .ciaddr = IP_G,
			  .giaddr = RELAY43_IP),
		FAST,
		.eng = ACK(43, IP_G, TO_RELAY),
	},
	{
		.name = "relayed INIT-REBOOT via giaddr prefix match: ACK",
		.rq = REQ(DHCPREQUEST, MAC_P, .reqip = IP_P,
			  .giaddr = GI_IN_44),
		FAST,
		.eng = ACK(44, IP_P, TO_RELAY),
	},
	{
		.name = "relayed INIT-REBOOT via the other listed relay: ACK",
		.rq = REQ(DHCPREQUEST, MAC_P, .reqip = IP_P,
			  .giaddr = RELAY44_IP),
		FAST,
		.eng = ACK(44, IP_P, TO_RELAY),
	},
	{
		.name = "relayed DISCOVER, giaddr in the direct subnet: OFFER",
		.rq = REQ(DHCPDISCOVER, MAC_R, .giaddr = GI_IN_42),
		FAST,
		.eng = OFFER(42, IP_R, TO_RELAY),
	},
	{
		.name = "relayed request from an unknown relay: both silent",
		.rq = REQ(DHCPREQUEST, MAC_P, .reqip = IP_P, .giaddr = GI_NONE),
		PASSES(NO_SUBNET),
		.eng = SILENT(NO_SUBNET),
	},
	{
		/* RFC 3046 §2.2: 82 is echoed; XDP leaves that to the
		 * daemon. */
		.name = "relayed with relay agent information: engine ACKs",
		.rq = REQ(DHCPREQUEST, MAC_G, .reqip = IP_G,
			  .giaddr = RELAY43_IP, .relay_info = true),
		PASSES(RELAY_INFO),
		.eng = ACK(43, IP_G, TO_RELAY),
	},
	{
		/*
		 * DISAGREEMENT (daemon side, RFC 2131 §4.3.2): "If 'giaddr'
		 * is set in the DHCPREQUEST message, ... The server MUST set
		 * the broadcast bit in the DHCPNAK, so that the relay agent
		 * will broadcast the DHCPNAK to the client". The reply's
		 * flags are checked for it (check_reply).
		 */
		.name = "relayed INIT-REBOOT for a wrong address: NAK to the "
			"relay, broadcast bit set",
		.rq = REQ(DHCPREQUEST, MAC_G, .reqip = IP(172, 30, 0, 77),
			  .giaddr = RELAY43_IP),
		PASSES(ADDR_MISMATCH),
		.eng = NAK(43, TO_RELAY),
		.bug = "dhcp_reply_encode copies the request's flags into a "
		       "relayed NAK without setting the broadcast bit "
		       "(RFC 2131 §4.3.2 MUST)",
	},
	{
		/* engine_rx.unicast: a bound client behind a relay renews
		 * straight with us; it is placed by ciaddr. */
		.name = "RENEWING unicast from a relayed subnet's client: "
			"engine ACKs",
		.rq = REQ(DHCPREQUEST, MAC_G, .ciaddr = IP_G, .unicast = true),
		PASSES(NO_LEASE),
		.eng = ACK(43, IP_G, TO_CIADDR),
	},
	{
		/* Broadcast on our link: the client moved here. */
		.name = "REBINDING on the direct link from a relayed subnet's "
			"client: NAK",
		.rq = REQ(DHCPREQUEST, MAC_G, .ciaddr = IP_G),
		PASSES(NO_LEASE),
		.eng = NAK(42, TO_BROADCAST),
	},

	/* -- 802.1Q: no subnet is bound to a VLAN -- */
	{
		.name = "tagged DISCOVER on an unserved VLAN: both silent",
		.rq = REQ(DHCPDISCOVER, MAC_R, .vlan = VLAN_UNSERVED),
		PASSES(NO_NETWORK),
		.eng = SILENT(NO_SUBNET),
	},
	{
		.name = "tagged relayed request: engine ACKs on the same VLAN",
		.rq = REQ(DHCPREQUEST, MAC_G, .reqip = IP_G,
			  .giaddr = RELAY43_IP, .vlan = VLAN_UNSERVED),
		PASSES(NO_NETWORK),
		.eng = ACK(43, IP_G, TO_RELAY),
	},

	/*
	 * -- a reservation added for an address a lease still holds --
	 *
	 * docs/protocol.md, Reservations: Q's lease (from the database)
	 * keeps 10.9.0.50 until its horizon; meanwhile RC, reserved that
	 * address since, is served from the pool, and Q's renewals are
	 * NAKed. XDP must then not answer either client from the map.
	 */
	{
		/* DISAGREEMENT (XDP side): two clients offered one address. */
		.name = "reservation on an address held by another lease: "
			"DISCOVER gets a pool address",
		.rq = REQ(DHCPDISCOVER, MAC_RC),
		.xdp = XDP_PASS,
		.eng = OFFER(42, POOL_ADDR, TO_CHADDR),
		.bug = "map_sync_config installs every plain hw-address "
		       "reservation, also one the engine cannot honour "
		       "(res_usable false): XDP offers 10.9.0.50, which Q's "
		       "lease still holds",
	},
	{
		/* DISAGREEMENT (XDP side): RC bound to Q's address. */
		.name = "reservation on an address held by another lease: "
			"INIT-REBOOT for it is NAKed",
		.rq = REQ(DHCPREQUEST, MAC_RC, .reqip = IP_Q),
		.xdp = XDP_PASS,
		.eng = NAK(42, TO_BROADCAST),
		.bug = "XDP ACKs RC for 10.9.0.50 from the reservation entry "
		       "while Q's lease holds it (two clients on one address)",
	},
	{
		/* DISAGREEMENT (XDP side): §4.3.2, the server knows the
		 * lease is invalid now. */
		.name = "renewal of a lease on an address reserved since: NAK",
		.rq = REQ(DHCPREQUEST, MAC_Q, .ciaddr = IP_Q, .unicast = true),
		.xdp = XDP_PASS,
		.eng = NAK(42, TO_BROADCAST),
		.bug = "engine_load_lease gives Q's lease a map UPSERT "
		       "although "
		       "its address is reserved for another client now: XDP "
		       "keeps ACKing it until the horizon, the engine NAKs "
		       "(docs/protocol.md)",
	},
};

/* ---- state shared by both sides ----------------------------------------- */

static char root[] = "/tmp/dhcpxdp-test-diff-XXXXXX";
static char pin_dir[PATH_MAX];
static const char *skip_reason;
static struct netif srv; /* dxs0: what the daemon's served_if holds */
static uint32_t direct_subnet;
static struct dx_bpf obj;
static bool obj_open;
static struct dx_config *cfg;
static struct engine *eng;
static struct map_slots slots;

static int load_config(void)
{
	struct config_diag diag;
	int ret =
		config_load_string(cfg_json, "differential.json", &cfg, &diag);

	if (ret)
		fprintf(stderr, "test_differential: %s\n", diag.error);
	config_diag_free(&diag);
	return ret;
}

/* The leases into the engine, their entries into the map, and the
 * configuration into the maps, as the daemon starts (daemon.c:
 * build_engine, sync_maps). */
static int load_state(void)
{
	struct engine_map_op ops[ARRAY_SIZE(leases)];
	int64_t now = now_wall();
	struct map_sync_report rep;
	char err[256] = "";
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(leases); i++) {
		const struct lease_row *l = &leases[i];
		int64_t valid =
			config_subnet_by_id(cfg, l->subnet)->valid_lifetime;
		struct dx_lease_rec rec = {.subnet_id = l->subnet,
					   .addr = l->addr,
					   .state = DX_LEASE_ACTIVE,
					   .expires = now + valid / 2,
					   .horizon = now + l->horizon_in,
					   .last_seen = now - valid / 2};

		if (rec.horizon < rec.expires)
			rec.expires = rec.horizon;
		memcpy(rec.mac, l->mac, 6);
		if (l->cid) {
			rec.client_id_len = l->cid[0];
			memcpy(rec.client_id, l->cid + 1, l->cid[0]);
		}
		if (engine_load_lease(eng, &rec, now, &ops[n]))
			return -1;
		if (ops[n].kind)
			n++;
	}
	if (map_sync_config(&obj, cfg, eng, &slots, &rep, err, sizeof(err))) {
		fprintf(stderr, "test_differential: %s\n", err);
		return -1;
	}
	return map_load_leases(&obj, ops, n, now, now_boot_ns());
}

static int group_setup(void **state)
{
	char err[256] = "";

	(void)state;
	if (geteuid() != 0) {
		skip_reason =
			"needs root (netns, bpffs, BPF_PROG_RUN); SKIPPING";
		fprintf(stderr, "test_differential: %s\n", skip_reason);
		return 0;
	}
	if (xdp_env_veth_ns(root))
		return -1;
	snprintf(pin_dir, sizeof(pin_dir), "%s/dhcpxdp", root);
	if (netif_lookup("dxs0", 0, &srv) || srv.addr != SRV_IP ||
	    load_config() || engine_new(cfg, &eng))
		return -1;
	direct_subnet = config_interface_subnet(cfg, "dxs0");
	if (dx_bpf_open(&obj, pin_dir, 4096, err, sizeof(err))) {
		fprintf(stderr, "test_differential: %s\n", err);
		return -1;
	}
	obj_open = true;
	if (map_slots_load(&obj, &slots))
		return -1;
	return load_state();
}

static int group_teardown(void **state)
{
	(void)state;
	if (skip_reason)
		return 0;
	if (obj_open)
		dx_bpf_close(&obj);
	engine_free(eng);
	config_free(cfg);
	umount(root);
	rmdir(root);
	return 0;
}

/* ---- both sides ----------------------------------------------------------- */

static size_t request_frame(const struct req *q, uint32_t xid,
			    struct frame_spec *s, uint8_t *buf, size_t cap)
{
	static const uint8_t prl[] = {DHCP_OPT_SUBNET_MASK, DHCP_OPT_ROUTER,
				      DHCP_OPT_DNS_SERVERS};
	static const uint8_t circuit[] = {1, 4, 'p', 'o', 'r', 't'};

	frame_spec_init(s, q->mac, xid);
	s->vlan = q->vlan ? q->vlan : -1;
	s->ciaddr = q->ciaddr;
	s->giaddr = q->giaddr;
	s->flags = q->bcast ? DHCP_FLAG_BROADCAST : 0;
	if (q->giaddr) {
		/* A relay agent (RFC 1542 §4) sends from its own address
		 * and port 67, and is the Ethernet sender. */
		memcpy(s->src_mac, MAC_RELAY, 6);
		memcpy(s->dst_mac, srv.mac, 6);
		s->src_ip = q->giaddr;
		s->dst_ip = srv.addr;
		s->sport = DHCP_SERVER_PORT;
		s->hops = 1;
	} else if (q->unicast) {
		memcpy(s->dst_mac, srv.mac, 6);
		s->src_ip = q->ciaddr;
		s->dst_ip = srv.addr;
	} else {
		s->src_ip = q->ciaddr; /* REBINDING: broadcast from it */
	}
	opt_add_u8(s, DHCP_OPT_MSG_TYPE, q->type);
	if (q->reqip)
		opt_add_ip(s, DHCP_OPT_REQUESTED_IP, q->reqip);
	if (q->sid)
		opt_add_ip(s, DHCP_OPT_SERVER_ID, q->sid);
	if (q->cid)
		opt_add(s, DHCP_OPT_CLIENT_ID, q->cid[0], q->cid + 1);
	opt_add(s, DHCP_OPT_PARAM_REQUEST, sizeof(prl), prl);
	if (q->relay_info) /* RFC 3046: added as the last option */
		opt_add(s, DHCP_OPT_RELAY_AGENT_INFO, sizeof(circuit), circuit);
	opt_end(s);
	return frame_build(s, buf, cap);
}

/*
 * The daemon's slow path for one frame, as slowpath_round() and
 * build_reply() in user/daemon/slowpath.c do it: the reply frame's length
 * (0 when the engine does not answer).
 */
static size_t daemon_path(const uint8_t *f, size_t len,
			  struct engine_result *res, uint8_t *out, size_t cap)
{
	static struct dhcp_msg m;
	struct engine_rx rx = {.server_id = srv.addr};
	size_t out_len = 0;
	struct frame_in in;

	assert_int_equal(frame_in_parse(f, len, &in), FRAME_IN_OK);
	assert_int_equal(dhcp_msg_decode(&m, in.dhcp, in.dhcp_len), 0);
	if (!in.vlan)
		rx.direct_subnet_id = direct_subnet;
	rx.unicast = in.dst_ip != 0xffffffff;
	assert_int_equal(engine_handle(eng, &m, &rx, now_wall(), res), 0);
	if (res->action != ENGINE_REPLY)
		return 0;
	assert_int_equal(reply_frame_build(out, cap, srv.mac, srv.addr, &in, &m,
					   &res->reply, &out_len),
			 0);
	return out_len;
}

/*
 * The row running, whose `bug` (if any) every failure message ends with,
 * so that a known disagreement reads as such in the test output.
 */
static const struct row *cur;
#define NOTE_FMT "%s%s"
#define NOTE_ARGS                                       \
	(cur->bug ? "\n    known disagreement: " : ""), \
		(cur->bug ? cur->bug : "")

/* What a reply says, whichever side wrote it. */
struct decision {
	struct frame_view hdr;
	uint8_t type;
	uint32_t xid, ciaddr, yiaddr, giaddr;
	uint16_t flags;
	uint8_t chaddr[6];
	uint32_t server_id, lease_time, t1, t2; /* 0: absent */
	uint8_t cid[256];
	size_t cid_len;
};

static uint32_t opt32(const struct dhcp_msg *m, uint8_t code)
{
	size_t len = 0;
	const uint8_t *v = dhcp_msg_option(m, code, &len);

	if (!v || len != 4)
		return 0;
	return (uint32_t)v[0] << 24 | v[1] << 16 | v[2] << 8 | v[3];
}

static void decide_of(const char *side, const uint8_t *f, size_t len,
		      struct decision *d)
{
	static struct dhcp_msg m;

	memset(d, 0, sizeof(*d));
	if (frame_parse(f, len, &d->hdr))
		fail_msg("%s: the reply frame is malformed" NOTE_FMT, side,
			 NOTE_ARGS);
	if (dhcp_msg_decode(&m, d->hdr.payload, d->hdr.payload_len) ||
	    m.op != BOOTREPLY)
		fail_msg("%s: the reply is not a BOOTREPLY" NOTE_FMT, side,
			 NOTE_ARGS);
	d->hdr.payload = NULL;
	d->type = m.msg_type;
	d->xid = m.xid;
	d->ciaddr = m.ciaddr;
	d->yiaddr = m.yiaddr;
	d->giaddr = m.giaddr;
	d->flags = m.flags;
	memcpy(d->chaddr, m.chaddr, 6);
	d->server_id = opt32(&m, DHCP_OPT_SERVER_ID);
	d->lease_time = opt32(&m, DHCP_OPT_LEASE_TIME);
	d->t1 = opt32(&m, DHCP_OPT_RENEWAL_TIME);
	d->t2 = opt32(&m, DHCP_OPT_REBINDING_TIME);
	d->cid_len = m.client_id_len;
	if (m.client_id)
		memcpy(d->cid, m.client_id, m.client_id_len);
}

static const char *mac_str(const uint8_t *m, char *buf)
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
		 m[3], m[4], m[5]);
	return buf;
}

#define SAME(field)                                                        \
	do {                                                               \
		if (x->field != d->field)                                  \
			fail_msg("%s: XDP %#llx, daemon %#llx" NOTE_FMT,   \
				 #field, (unsigned long long)x->field,     \
				 (unsigned long long)d->field, NOTE_ARGS); \
	} while (0)
#define SAME_MAC(field)                                                        \
	do {                                                                   \
		char a_[18], b_[18];                                           \
		if (memcmp(x->field, d->field, 6))                             \
			fail_msg("%s: XDP %s, daemon %s" NOTE_FMT, #field,     \
				 mac_str(x->field, a_), mac_str(d->field, b_), \
				 NOTE_ARGS);                                   \
	} while (0)

/* XDP answered: the daemon must have decided exactly the same. */
static void same_decision(const struct decision *x, const struct decision *d)
{
	SAME(type);
	SAME(yiaddr);
	SAME_MAC(hdr.dst_mac);
	SAME(hdr.dst_ip);
	SAME(hdr.dport);
	SAME_MAC(hdr.src_mac);
	SAME(hdr.src_ip);
	SAME(hdr.sport);
	SAME(hdr.vlan);
	SAME(server_id);
	SAME(lease_time);
	SAME(t1);
	SAME(t2);
	SAME(xid);
	SAME(ciaddr);
	SAME(giaddr);
	SAME(flags);
	SAME_MAC(chaddr);
	SAME(cid_len);
	if (memcmp(x->cid, d->cid, x->cid_len))
		fail_msg("client-id echoed differently" NOTE_FMT, NOTE_ARGS);
}

#define WANT(side, what, got, want)                                         \
	do {                                                                \
		if ((got) != (want))                                        \
			fail_msg("%s: %s %#llx, want %#llx" NOTE_FMT, side, \
				 what, (unsigned long long)(got),           \
				 (unsigned long long)(want), NOTE_ARGS);    \
	} while (0)
#define WANT_MAC(side, what, got, want)                                     \
	do {                                                                \
		char a_[18], b_[18];                                        \
		if (memcmp(got, want, 6))                                   \
			fail_msg("%s: %s %s, want %s" NOTE_FMT, side, what, \
				 mac_str(got, a_), mac_str(want, b_),       \
				 NOTE_ARGS);                                \
	} while (0)

static bool in_pool42(uint32_t a)
{
	return a >= IP(10, 9, 0, 10) && a <= IP(10, 9, 0, 99) && a != IP_Q;
}

/* A reply (either side's) against the row and the request it answers. */
static void check_reply(const char *side, const struct expect *e,
			const struct frame_spec *rq, const struct decision *d)
{
	static const uint8_t bcast_mac[6] = {0xff, 0xff, 0xff,
					     0xff, 0xff, 0xff};
	const struct dx_subnet_conf *sc = config_subnet_by_id(cfg, e->subnet);
	bool nak = e->type == DHCPNAK;
	uint16_t flags = rq->flags;

	WANT(side, "message type", d->type, e->type);
	if (e->yiaddr == POOL_ADDR) {
		if (!in_pool42(d->yiaddr))
			fail_msg("%s: yiaddr %#x is not a free pool "
				 "address" NOTE_FMT,
				 side, d->yiaddr, NOTE_ARGS);
	} else {
		WANT(side, "yiaddr", d->yiaddr, e->yiaddr);
	}
	/* RFC 2131 §4.1 */
	switch (e->to) {
	case TO_CHADDR:
		WANT_MAC(side, "Ethernet destination", d->hdr.dst_mac,
			 rq->chaddr);
		WANT(side, "IP destination", d->hdr.dst_ip, d->yiaddr);
		WANT(side, "UDP destination", d->hdr.dport, DHCP_CLIENT_PORT);
		break;
	case TO_CIADDR:
		WANT_MAC(side, "Ethernet destination", d->hdr.dst_mac,
			 rq->src_mac);
		WANT(side, "IP destination", d->hdr.dst_ip, rq->ciaddr);
		WANT(side, "UDP destination", d->hdr.dport, DHCP_CLIENT_PORT);
		break;
	case TO_BROADCAST:
		WANT_MAC(side, "Ethernet destination", d->hdr.dst_mac,
			 bcast_mac);
		WANT(side, "IP destination", d->hdr.dst_ip, 0xffffffff);
		WANT(side, "UDP destination", d->hdr.dport, DHCP_CLIENT_PORT);
		break;
	case TO_RELAY:
		WANT_MAC(side, "Ethernet destination", d->hdr.dst_mac,
			 rq->src_mac);
		WANT(side, "IP destination", d->hdr.dst_ip, rq->giaddr);
		WANT(side, "UDP destination", d->hdr.dport, DHCP_SERVER_PORT);
		break;
	}
	/* From our address on the arrival link, which is the server
	 * identifier (RFC 2131 §4.1), on the request's VLAN. */
	WANT_MAC(side, "Ethernet source", d->hdr.src_mac, srv.mac);
	WANT(side, "IP source", d->hdr.src_ip, srv.addr);
	WANT(side, "UDP source", d->hdr.sport, DHCP_SERVER_PORT);
	WANT(side, "server identifier", d->server_id, srv.addr);
	WANT(side, "VLAN", d->hdr.vlan, rq->vlan);
	/* RFC 2131 table 3 */
	WANT(side, "xid", d->xid, rq->xid);
	WANT_MAC(side, "chaddr", d->chaddr, rq->chaddr);
	WANT(side, "giaddr", d->giaddr, rq->giaddr);
	WANT(side, "ciaddr", d->ciaddr, e->type == DHCPACK ? rq->ciaddr : 0);
	/* §4.3.2: a relayed NAK has the broadcast bit set. */
	if (nak && rq->giaddr)
		flags |= DHCP_FLAG_BROADCAST;
	WANT(side, "flags", d->flags, flags);
	WANT(side, "lease time", d->lease_time, nak ? 0 : sc->valid_lifetime);
	WANT(side, "T1", d->t1, nak ? 0 : sc->renew_timer);
	WANT(side, "T2", d->t2, nak ? 0 : sc->rebind_timer);
}

static void check_engine(const struct row *r, const struct engine_result *res)
{
	const struct expect *e = &r->eng;

	if (res->action != e->action)
		fail_msg("engine: action %d (drop reason %s), want %d" NOTE_FMT,
			 res->action, engine_drop_reason_name(res->drop_reason),
			 e->action, NOTE_ARGS);
	if (e->action == ENGINE_DROP)
		WANT("engine", "drop reason", res->drop_reason, e->drop);
	else
		WANT("engine", "subnet", res->subnet_id, e->subnet);
}

static void run_row(void **state)
{
	static struct engine_result res;
	static bool warned;
	const struct row *r = *state;
	uint8_t in[FRAME_MAX], xout[FRAME_MAX], dout[FRAME_MAX];
	size_t len, xlen = sizeof(xout), dlen;
	struct decision xd, dd;
	struct frame_spec rq;
	uint64_t punts = 0;
	int verdict;

	if (skip_reason)
		skip();
	cur = r;
	len = request_frame(&r->rq, 0x5eed0000 + (uint32_t)(r - rows), &rq, in,
			    sizeof(in));
	assert_true(len > 0);
	if (r->punt)
		punts = xdp_stat_sum(obj.stats_fd, r->punt);

	/* XDP sees the frame first; the daemon gets what it passes. */
	verdict = xdp_run_on(obj.prog_fd, srv.ifindex, in, len, xout, &xlen);
	dlen = daemon_path(in, len, &res, dout, sizeof(dout));
	/* Once durable the changes go into the map, as
	 * slowpath_commit_done() does (the daemon never sees a frame XDP
	 * answered; applying that renewal's new horizon too only keeps the
	 * map mirroring the engine). */
	assert_int_equal(map_load_leases(&obj, res.ch.map, res.ch.n_map,
					 now_wall(), now_boot_ns()),
			 0);

	check_engine(r, &res);
	if (dlen) {
		decide_of("daemon", dout, dlen, &dd);
		check_reply("daemon", &r->eng, &rq, &dd);
	}
	if (verdict == -EINVAL) {
		if (!warned)
			fprintf(stderr,
				"test_differential: this kernel's BPF_PROG_RUN "
				"cannot set the ingress interface (5.15+); "
				"the XDP side is SKIPPED, the engine's "
				"decisions were checked\n");
		warned = true;
		skip();
	}
	assert_true(verdict == XDP_TX || verdict == XDP_PASS);
	if (verdict == XDP_TX && r->xdp == XDP_PASS) {
		decide_of("XDP", xout, xlen, &xd);
		fail_msg("XDP answered (message type %u, yiaddr %#x), the "
			 "daemon was to decide" NOTE_FMT,
			 xd.type, xd.yiaddr, NOTE_ARGS);
	}
	if (verdict != r->xdp)
		fail_msg("XDP passed the frame up, it was to answer" NOTE_FMT,
			 NOTE_ARGS);
	if (verdict == XDP_PASS) {
		/* Untouched, and counted under the row's reason. */
		assert_int_equal(xlen, len);
		assert_memory_equal(xout, in, len);
		if (r->punt)
			assert_true(xdp_stat_sum(obj.stats_fd, r->punt) ==
				    punts + 1);
		return;
	}
	/* XDP answered: the engine must answer, and alike. */
	assert_int_equal(res.action, ENGINE_REPLY);
	decide_of("XDP", xout, xlen, &xd);
	check_reply("XDP", &r->eng, &rq, &xd);
	same_decision(&xd, &dd);
}

int main(void)
{
	struct CMUnitTest tests[ARRAY_SIZE(rows)];

	for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
		tests[i] = (struct CMUnitTest){
			.name = rows[i].name,
			.test_func = run_row,
			.initial_state = (void *)&rows[i],
		};
	return cmocka_run_group_tests_name("differential", tests, group_setup,
					   group_teardown);
}
