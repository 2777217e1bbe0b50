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
 *
 * This file is the table: the configuration, the database's leases and
 * the rows. The harness that sets up the state, runs a row through both
 * sides and compares them is differential.c (differential.h).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>
#include <dhcpxdp/dhcp_wire.h>
#include "engine/engine.h"
#include "wire/frame_in.h"
#include "differential.h"

#define RELAY43_IP IP(10, 9, 0, 254) /* listed for subnet 43 */
#define RELAY44_IP IP(10, 9, 0, 253) /* listed for subnet 44 */
#define RELAY45_IP IP(10, 9, 0, 252) /* listed for subnet 45 */
/* Relays named by no subnet: the subnet whose prefix holds them. */
#define GI_IN_44 IP(172, 31, 0, 1)
#define GI_IN_42 IP(10, 9, 0, 7)
#define GI_NONE	 IP(192, 0, 2, 1) /* in no subnet */

#define OTHER_SRV     IP(10, 9, 0, 99) /* another server's identifier */
#define OTHER_HOST_IP IP(10, 9, 0, 98) /* a host beside us on dxs0 */
#define VLAN_UNSERVED 7		       /* no network of ours */

/* Leases and reservations. */
#define IP_A	IP(10, 9, 0, 20)
#define IP_B	IP(10, 9, 0, 21)
#define IP_H	IP(10, 9, 0, 22)
#define IP_E	IP(10, 9, 0, 23)
#define IP_Q	IP(10, 9, 0, 50) /* reserved for RC since Q got it */
#define IP_R	IP(10, 9, 0, 200)
#define IP_RH	IP(10, 9, 0, 201)
#define IP_RO	IP(10, 9, 0, 202)
#define IP_FREE IP(10, 9, 0, 41) /* in the pool, nobody's */
#define IP_X	IP(10, 9, 0, 24) /* X's lease: a reservation without address */
#define IP_G	IP(172, 30, 0, 20)
#define IP_GR	IP(172, 30, 0, 200)
#define IP_GB	IP(172, 30, 0, 201) /* own boot-file-name: daemon only */
#define IP_GS	IP(172, 30, 0, 202) /* the subnet's boot-file-name again */
#define IP_P	IP(172, 31, 0, 20)
#define IP_K	IP(172, 29, 0, 20)
#define IP_C9	IP(172, 31, 0, 209) /* sw-4/9's, leased to PH */
#define IP_W	IP(172, 31, 0, 210) /* W's by hw-address */

static const uint8_t MAC_A[6] = {0x02, 0xd1, 0, 0, 0, 0x0a};
static const uint8_t MAC_B[6] = {0x02, 0xd1, 0, 0, 0, 0x0b};
static const uint8_t MAC_H[6] = {0x02, 0xd1, 0, 0, 0, 0x0c};
static const uint8_t MAC_E[6] = {0x02, 0xd1, 0, 0, 0, 0x0e};
static const uint8_t MAC_Q[6] = {0x02, 0xd1, 0, 0, 0, 0x0d};
static const uint8_t MAC_U[6] = {0x02, 0xd1, 0, 0, 0, 0xe0};
static const uint8_t MAC_U2[6] = {0x02, 0xd1, 0, 0, 0, 0xe1};
static const uint8_t MAC_R[6] = {0x02, 0xd1, 0, 0, 0, 0xa0};
static const uint8_t MAC_RH[6] = {0x02, 0xd1, 0, 0, 0, 0xa1};
static const uint8_t MAC_RO[6] = {0x02, 0xd1, 0, 0, 0, 0xa2};
static const uint8_t MAC_RC[6] = {0x02, 0xd1, 0, 0, 0, 0xa3};
static const uint8_t MAC_X[6] = {0x02, 0xd1, 0, 0, 0, 0xa4};
static const uint8_t MAC_G[6] = {0x02, 0xd1, 0, 0, 0x01, 0x0a};
static const uint8_t MAC_GR[6] = {0x02, 0xd1, 0, 0, 0x01, 0xa0};
static const uint8_t MAC_GB[6] = {0x02, 0xd1, 0, 0, 0x01, 0xa1};
static const uint8_t MAC_GS[6] = {0x02, 0xd1, 0, 0, 0x01, 0xa2};
static const uint8_t MAC_P[6] = {0x02, 0xd1, 0, 0, 0x02, 0x0a};
static const uint8_t MAC_K[6] = {0x02, 0xd1, 0, 0, 0x03, 0x0a};
static const uint8_t MAC_PH[6] = {0x02, 0xd1, 0, 0, 0x02, 0x0b};
static const uint8_t MAC_W[6] = {0x02, 0xd1, 0, 0, 0x02, 0xa0};
static const uint8_t MAC_OTHER_HOST[6] = {0x02, 0xd1, 0xee, 0, 0, 0x01};

/* Client identifiers (option 61), length first. */
static const uint8_t CID_B[] = {7, 1, 0x02, 0xd1, 0, 0, 0, 0x0b};
static const uint8_t CID_OTHER[] = {7, 1, 0x02, 0xd1, 0, 0, 0, 0xbb};

/*
 * Subnet 42 is attached to dxs0; 43 is behind relay 10.9.0.254, an
 * address inside 42's prefix (the listed relay must win); 44 is behind
 * 10.9.0.253 and is also reached by its prefix. Each subnet has its own
 * valid-lifetime; 42's options include a dhcp-message (56), which both
 * paths send in OFFER/ACK (RFC 2131 table 3). Reservations in 42: R
 * plain (served in XDP), RH with a hostname and RO with options of its own (left to the daemon), RC on an
 * address a lease from the database still holds for another client (Q).
 * 45, behind 10.9.0.252, has Kea's match-client-id false: XDP leaves it
 * to the daemon (config_fast_path_off()). X's reservation in 42 has no
 * address, a boot-file-name only: its lease from the database stays out
 * of the lease map, so its renewal is the daemon's, with the boot file.
 * 43 has boot fields (next-server, server-hostname, boot-file-name:
 * siaddr, sname, file), which XDP writes as the daemon does; its
 * reservation GB has a boot-file-name of its own (left to the daemon), GS
 * the subnet's own again (served in XDP).
 * 44 has reservations by circuit id, which XDP looks up in its circuit
 * map: 'sw-4/2' plain (answered in XDP), 'sw-4/3' with a hostname (left
 * to the daemon), 'sw-4/9' on an address a lease of another client (PH)
 * holds; and W's by hw-address, which Kea's default order puts first.
 */
static const char *cfg_json =
	"{ \"Dhcp4\": {"
	"  \"interfaces-config\": { \"interfaces\": [ \"dxs0\" ] },"
	"  \"valid-lifetime\": 600,"
	"  \"subnet4\": ["
	"   { \"id\": 42, \"subnet\": \"10.9.0.0/24\", \"interface\": \"dxs0\","
	"     \"pools\": [ { \"pool\": \"10.9.0.10 - 10.9.0.99\" } ],"
	"     \"option-data\": ["
	"       { \"name\": \"routers\", \"data\": \"10.9.0.1\" },"
	"       { \"name\": \"dhcp-message\", \"data\": \"welcome\" } ],"
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
	"         \"ip-address\": \"10.9.0.50\" },"
	"       { \"hw-address\": \"02:d1:00:00:00:a4\","
	"         \"boot-file-name\": \"x.efi\" } ] },"
	"   { \"id\": 43, \"subnet\": \"172.30.0.0/24\","
	"     \"valid-lifetime\": 900, \"next-server\": \"172.30.0.5\","
	"     \"server-hostname\": \"tftp43\","
	"     \"boot-file-name\": \"ipxe.efi\","
	"     \"relay\": { \"ip-addresses\": [ \"10.9.0.254\" ] },"
	"     \"pools\": [ { \"pool\": \"172.30.0.10 - 172.30.0.99\" } ],"
	"     \"option-data\": ["
	"       { \"name\": \"routers\", \"data\": \"172.30.0.1\" } ],"
	"     \"reservations\": ["
	"       { \"hw-address\": \"02:d1:00:00:01:a0\","
	"         \"ip-address\": \"172.30.0.200\" },"
	"       { \"hw-address\": \"02:d1:00:00:01:a1\","
	"         \"ip-address\": \"172.30.0.201\","
	"         \"boot-file-name\": \"host.efi\" },"
	"       { \"hw-address\": \"02:d1:00:00:01:a2\","
	"         \"ip-address\": \"172.30.0.202\","
	"         \"boot-file-name\": \"ipxe.efi\" } ] },"
	"   { \"id\": 44, \"subnet\": \"172.31.0.0/24\","
	"     \"valid-lifetime\": 1200,"
	"     \"relay\": { \"ip-addresses\": [ \"10.9.0.253\" ] },"
	"     \"pools\": [ { \"pool\": \"172.31.0.10 - 172.31.0.99\" } ],"
	"     \"reservations\": ["
	"       { \"circuit-id\": \"'sw-4/2'\","
	"         \"ip-address\": \"172.31.0.200\" },"
	"       { \"circuit-id\": \"'sw-4/3'\","
	"         \"ip-address\": \"172.31.0.201\", \"hostname\": \"p3\" },"
	"       { \"circuit-id\": \"'sw-4/9'\","
	"         \"ip-address\": \"172.31.0.209\" },"
	"       { \"hw-address\": \"02:d1:00:00:02:a0\","
	"         \"ip-address\": \"172.31.0.210\" } ] },"
	"   { \"id\": 45, \"subnet\": \"172.29.0.0/24\","
	"     \"match-client-id\": false,"
	"     \"relay\": { \"ip-addresses\": [ \"10.9.0.252\" ] },"
	"     \"pools\": [ { \"pool\": \"172.29.0.10 - 172.29.0.99\" } ] }"
	" ] } }";

/*
 * Granted half a lifetime ago; durable for three lifetimes ahead, far
 * enough for XDP to renew (now + valid-lifetime <= horizon, docs/design.md
 * §2) - except H's, which ends before one lifetime, and E's, expired.
 */
static const struct lease_row leases[] = {
	{42, IP_A, MAC_A, NULL, 1800, 0},   /* A: the plain dynamic lease */
	{42, IP_B, MAC_B, CID_B, 1800, 0},  /* B: with a client-id */
	{42, IP_H, MAC_H, NULL, 300, 0},    /* H: horizon too short */
	{42, IP_E, MAC_E, NULL, 1800, -60}, /* E: expired, not reclaimed */
	{42, IP_Q, MAC_Q, NULL, 1800, 0},   /* Q: on RC's reserved address */
	{42, IP_X, MAC_X, NULL, 1800, 0},   /* X: reserved without address */
	{43, IP_G, MAC_G, NULL, 2700, 0},   /* G: behind relay 10.9.0.254 */
	{44, IP_P, MAC_P, NULL, 3600, 0},   /* P: behind relay 10.9.0.253 */
	{44, IP_C9, MAC_PH, NULL, 3600, 0}, /* PH: on sw-4/9's address */
	{45, IP_K, MAC_K, CID_B, 1800, 0},  /* K: match-client-id false */
};

/* Relay agent information (82), length first: circuit id "eth1/7",
 * remote id "sw-3" (RFC 3046 §2.1, §2.2); and 130 bytes of remote id,
 * more than XDP echoes (DX_RELAY_INFO_MAX). */
static const uint8_t RI_CIRCUIT_REMOTE[] = {14,	 1, 6, 'e', 't', 'h', '1', '/',
					    '7', 2, 4, 's', 'w', '-', '3'};
static const uint8_t RI_LONG[131] = {130, 2, 128, 'x'};
/* circuit id of 44's reservation; remote id only; link selection naming
 * 44 (RFC 3527 §3) after a circuit id */
static const uint8_t RI_SW42[] = {8, 1, 6, 's', 'w', '-', '4', '/', '2'};
/* sw-4/2 after a remote id, and a second circuit id after it (the first
 * counts); 'sw-4/3' and 'sw-4/9'; a circuit id longer than XDP looks up */
static const uint8_t RI_REMOTE_SW42[] = {22, 2,	  4,   's', 'w', '-', '3', 1,
					 6,  's', 'w', '-', '4', '/', '2', 1,
					 6,  's', 'w', '-', '4', '/', '3'};
static const uint8_t RI_SW43[] = {8, 1, 6, 's', 'w', '-', '4', '/', '3'};
static const uint8_t RI_SW49[] = {8, 1, 6, 's', 'w', '-', '4', '/', '9'};
static const uint8_t RI_CIRC_LONG[68] = {67, 1, 65, 'c'};
static const uint8_t RI_REMOTE[] = {6, 2, 4, 's', 'w', '-', '3'};
static const uint8_t RI_LINK44[] = {14,	 1, 6, 'e', 't', 'h', '1', '/',
				    '7', 5, 4, 172, 31,	 0,   0};
#define IP_CIRC IP(172, 31, 0, 200)

/* ---- the table ---------------------------------------------------------- */

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
	{
		/* §4.3.2 table 5 wants 50; Kea answers for the client's
		 * lease (or offer, or reservation). XDP needs an address. */
		.name = "SELECTING without option 50: XDP passes, engine ACKs "
			"the lease",
		.rq = REQ(DHCPREQUEST, MAC_A, .sid = SRV_IP),
		PASSES(NO_ADDR),
		.eng = ACK(42, IP_A, TO_CHADDR),
	},
	{
		/* Kea, not authoritative: an address outside every pool
		 * that nobody holds is not ours to refuse. */
		.name = "SELECTING for an unknown address outside the pools: "
			"both silent",
		.rq = REQ(DHCPREQUEST, MAC_U, .reqip = IP(10, 9, 0, 150),
			  .sid = SRV_IP),
		PASSES(NO_LEASE),
		.eng = SILENT(UNKNOWN_ADDRESS),
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

	/*
	 * A lease past its expiry, its horizon ahead: XDP no longer renews
	 * it (the daemon may be reclaiming it, docs/design.md §2); the
	 * engine still holds it for the client (the map's word comes only
	 * with the daemon's expiry run) and ACKs, a late RENEWING as
	 * RFC 2131 §4.4.5 allows. Its ACK writes a live entry: XDP again.
	 */
	{
		.name = "lease past its expiry: XDP defers, engine ACKs",
		.rq = REQ(DHCPREQUEST, MAC_E, .ciaddr = IP_E, .unicast = true),
		PASSES(EXPIRED),
		.eng = ACK(42, IP_E, TO_CIADDR),
	},
	{
		.name = "renewed by the engine's ACK: XDP answers",
		.rq = REQ(DHCPREQUEST, MAC_E, .ciaddr = IP_E, .unicast = true),
		FAST,
		.eng = ACK(42, IP_E, TO_CIADDR),
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

	/* -- Kea's switches the fast path does not follow -- */
	{
		/* match-client-id false: the lease is the chaddr's; XDP
		 * would compare the client-id hash, so 45 is off there. */
		.name = "match-client-id false: XDP passes, engine ACKs "
			"another client-id",
		.rq = REQ(DHCPREQUEST, MAC_K, .ciaddr = IP_K,
			  .giaddr = RELAY45_IP, .cid = CID_OTHER),
		PASSES(SUBNET_OFF),
		.eng = ACK(45, IP_K, TO_RELAY),
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
		.name = "reservation without an address: XDP defers, engine "
			"OFFERs its lease with the boot file",
		.rq = REQ(DHCPDISCOVER, MAC_X),
		PASSES(DISCOVER),
		.eng = OFFER(42, IP_X, TO_CHADDR),
	},
	{
		/* Its lease never reached the map (engine_load_lease()). */
		.name = "RENEWING of a reservation without an address: the "
			"daemon ACKs with the boot file",
		.rq = REQ(DHCPREQUEST, MAC_X, .ciaddr = IP_X, .unicast = true),
		PASSES(NO_LEASE),
		.eng = ACK(42, IP_X, TO_CIADDR),
	},
	{
		.name = "reservation with its own boot-file-name: XDP defers, "
			"engine OFFERs it",
		.rq = REQ(DHCPDISCOVER, MAC_GB, .giaddr = RELAY43_IP),
		PASSES(DISCOVER),
		.eng = OFFER(43, IP_GB, TO_RELAY),
	},
	{
		.name = "reservation with the subnet's boot-file-name: OFFER "
			"in XDP",
		.rq = REQ(DHCPDISCOVER, MAC_GS, .giaddr = RELAY43_IP),
		FAST,
		.eng = OFFER(43, IP_GS, TO_RELAY),
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
		/* RFC 3046 §2.2: 82 echoed unchanged, last before END,
		 * by both (diff_same_decision compares it). */
		.name = "relayed INIT-REBOOT with relay agent information: "
			"both ACK, 82 echoed",
		.rq = REQ(DHCPREQUEST, MAC_G, .reqip = IP_G,
			  .giaddr = RELAY43_IP, .relay_info = true),
		FAST,
		.eng = ACK(43, IP_G, TO_RELAY),
	},
	{
		.name = "relayed REBINDING with circuit and remote id: both "
			"ACK, 82 echoed",
		.rq = REQ(DHCPREQUEST, MAC_G, .ciaddr = IP_G, .bcast = true,
			  .giaddr = RELAY43_IP, .relay_info = true,
			  .ri = RI_CIRCUIT_REMOTE),
		FAST,
		.eng = ACK(43, IP_G, TO_RELAY),
	},
	{
		/* 61 of odd length: 82 starts at an odd offset. */
		.name = "relayed reservation with 61 and 82: both OFFER, both "
			"echoed",
		.rq = REQ(DHCPDISCOVER, MAC_GR, .giaddr = RELAY43_IP,
			  .cid = CID_B, .relay_info = true,
			  .ri = RI_CIRCUIT_REMOTE),
		FAST,
		.eng = OFFER(43, IP_GR, TO_RELAY),
	},
	{
		.name = "relayed with 82 longer than XDP echoes: engine ACKs",
		.rq = REQ(DHCPREQUEST, MAC_G, .ciaddr = IP_G, .bcast = true,
			  .giaddr = RELAY43_IP, .relay_info = true,
			  .ri = RI_LONG),
		PASSES(RELAY_INFO),
		.eng = ACK(43, IP_G, TO_RELAY),
	},
	{
		/* RFC 3527: the daemon selects the subnet holding the
		 * address named (as Kea), XDP leaves it to the daemon. */
		.name = "relayed with link selection naming another subnet: "
			"engine ACKs there",
		.rq = REQ(DHCPREQUEST, MAC_P, .ciaddr = IP_P, .bcast = true,
			  .giaddr = RELAY43_IP, .relay_info = true,
			  .ri = RI_LINK44),
		PASSES(LINK_SELECTION),
		.eng = ACK(44, IP_P, TO_RELAY),
	},
	{
		.name = "subnet selection (118) naming another subnet: engine "
			"ACKs there",
		.rq = REQ(DHCPREQUEST, MAC_P, .ciaddr = IP_P, .bcast = true,
			  .giaddr = RELAY43_IP,
			  .subnet_sel = IP(172, 31, 0, 0)),
		PASSES(LINK_SELECTION),
		.eng = ACK(44, IP_P, TO_RELAY),
	},
	{
		.name = "circuit id of a reservation: both OFFER the "
			"reserved address",
		.rq = REQ(DHCPDISCOVER, MAC_U2, .giaddr = RELAY44_IP,
			  .relay_info = true, .ri = RI_SW42),
		FAST,
		.eng = OFFER(44, IP_CIRC, TO_RELAY),
	},
	{
		.name = "SELECTING REQUEST through the reserved circuit: both "
			"ACK, 82 echoed",
		.rq = REQ(DHCPREQUEST, MAC_U2, .reqip = IP_CIRC, .sid = SRV_IP,
			  .giaddr = RELAY44_IP, .relay_info = true,
			  .ri = RI_SW42),
		FAST,
		.eng = ACK(44, IP_CIRC, TO_RELAY),
	},
	{
		.name = "relayed REBINDING through the reserved circuit: both "
			"ACK",
		.rq = REQ(DHCPREQUEST, MAC_U2, .ciaddr = IP_CIRC, .bcast = true,
			  .giaddr = RELAY44_IP, .relay_info = true,
			  .ri = RI_SW42),
		FAST,
		.eng = ACK(44, IP_CIRC, TO_RELAY),
	},
	{
		.name = "first circuit id after a remote id: both OFFER its "
			"reservation",
		.rq = REQ(DHCPDISCOVER, MAC_U2, .giaddr = RELAY44_IP,
			  .relay_info = true, .ri = RI_REMOTE_SW42),
		FAST,
		.eng = OFFER(44, IP_CIRC, TO_RELAY),
	},
	{
		.name = "circuit of a reservation with a hostname: XDP passes, "
			"engine OFFERs it",
		.rq = REQ(DHCPDISCOVER, MAC_U2, .giaddr = RELAY44_IP,
			  .relay_info = true, .ri = RI_SW43),
		PASSES(CIRCUIT_ID_RES),
		.eng = OFFER(44, IP(172, 31, 0, 201), TO_RELAY),
	},
	{
		.name = "circuit of a reservation whose address another "
			"client's lease holds: XDP passes, engine OFFERs from "
			"the pool",
		.rq = REQ(DHCPDISCOVER, MAC_U2, .giaddr = RELAY44_IP,
			  .relay_info = true, .ri = RI_SW49),
		PASSES(CIRCUIT_ID_RES),
		.eng = OFFER(44, POOL_ADDR, TO_RELAY),
	},
	{
		.name = "reserved circuit, client with a lease here: XDP "
			"passes, engine OFFERs the reservation",
		.rq = REQ(DHCPDISCOVER, MAC_P, .giaddr = RELAY44_IP,
			  .relay_info = true, .ri = RI_SW42),
		PASSES(CIRCUIT_ID_RES),
		.eng = OFFER(44, IP_CIRC, TO_RELAY),
	},
	{
		.name = "reserved circuit, client reserved by hw-address "
			"(first in Kea's order): both OFFER the hw-address one",
		.rq = REQ(DHCPDISCOVER, MAC_W, .giaddr = RELAY44_IP,
			  .relay_info = true, .ri = RI_SW42),
		FAST,
		.eng = OFFER(44, IP_W, TO_RELAY),
	},
	{
		.name = "circuit id longer than XDP looks up: XDP passes, "
			"engine OFFERs from the pool",
		.rq = REQ(DHCPDISCOVER, MAC_U2, .giaddr = RELAY44_IP,
			  .relay_info = true, .ri = RI_CIRC_LONG),
		PASSES(CIRCUIT_ID_RES),
		.eng = OFFER(44, POOL_ADDR, TO_RELAY),
	},
	{
		.name = "renewal with a circuit id no reservation has: both "
			"ACK",
		.rq = REQ(DHCPREQUEST, MAC_P, .ciaddr = IP_P, .bcast = true,
			  .giaddr = RELAY44_IP, .relay_info = true),
		FAST,
		.eng = ACK(44, IP_P, TO_RELAY),
	},
	{
		.name = "renewal with a remote id only there: both ACK",
		.rq = REQ(DHCPREQUEST, MAC_P, .ciaddr = IP_P, .bcast = true,
			  .giaddr = RELAY44_IP, .relay_info = true,
			  .ri = RI_REMOTE),
		FAST,
		.eng = ACK(44, IP_P, TO_RELAY),
	},
	{
		/*
		 * DISAGREEMENT (daemon side, RFC 2131 §4.3.2): "If 'giaddr'
		 * is set in the DHCPREQUEST message, ... The server MUST set
		 * the broadcast bit in the DHCPNAK, so that the relay agent
		 * will broadcast the DHCPNAK to the client". The reply's
		 * flags are checked for it (check_reply in differential.c).
		 */
		.name = "relayed INIT-REBOOT for a wrong address: NAK to the "
			"relay, broadcast bit set",
		.rq = REQ(DHCPREQUEST, MAC_G, .reqip = IP(172, 30, 0, 77),
			  .giaddr = RELAY43_IP),
		PASSES(ADDR_MISMATCH),
		.eng = NAK(43, TO_RELAY),
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

	/*
	 * -- 802.1Q: no subnet is bound to a VLAN, so no tagged network is
	 * served; nothing from one is taken up, whatever giaddr or ciaddr
	 * say (docs/design.md §1) --
	 */
	{
		.name = "tagged DISCOVER on an unserved VLAN: both silent",
		.rq = REQ(DHCPDISCOVER, MAC_R, .vlan = VLAN_UNSERVED),
		PASSES(NO_NETWORK),
		.eng = SILENT(NO_SUBNET),
	},
	{
		/* As Kea: a relay is heard only on a network we listen on. */
		.name = "tagged relayed request on an unserved VLAN: both "
			"silent",
		.rq = REQ(DHCPREQUEST, MAC_G, .reqip = IP_G,
			  .giaddr = RELAY43_IP, .vlan = VLAN_UNSERVED),
		PASSES(NO_NETWORK),
		.eng = SILENT(NO_SUBNET),
	},
	{
		/* Not granted from the untagged subnet by its ciaddr. */
		.name = "tagged unicast RENEWING for a free pool address on an "
			"unserved VLAN: both silent",
		.rq = REQ(DHCPREQUEST, MAC_U, .ciaddr = IP_FREE,
			  .unicast = true, .vlan = VLAN_UNSERVED),
		PASSES(NO_NETWORK),
		.eng = SILENT(NO_SUBNET),
	},
	{
		.name = "tagged unicast RENEWING of a direct lease on an "
			"unserved VLAN: both silent",
		.rq = REQ(DHCPREQUEST, MAC_A, .ciaddr = IP_A, .unicast = true,
			  .vlan = VLAN_UNSERVED),
		PASSES(NO_NETWORK),
		.eng = SILENT(NO_SUBNET),
	},
	{
		.name = "tagged unicast RENEWING of a relayed lease on an "
			"unserved VLAN: both silent",
		.rq = REQ(DHCPREQUEST, MAC_G, .ciaddr = IP_G, .unicast = true,
			  .vlan = VLAN_UNSERVED),
		PASSES(NO_NETWORK),
		.eng = SILENT(NO_SUBNET),
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
		/* Two clients must never be offered one address. */
		.name = "reservation on an address held by another lease: "
			"DISCOVER gets a pool address",
		.rq = REQ(DHCPDISCOVER, MAC_RC),
		.xdp = XDP_PASS,
		.eng = OFFER(42, POOL_ADDR, TO_CHADDR),
	},
	{
		/* RC must not be bound to Q's address. */
		.name = "reservation on an address held by another lease: "
			"INIT-REBOOT for it is NAKed",
		.rq = REQ(DHCPREQUEST, MAC_RC, .reqip = IP_Q),
		.xdp = XDP_PASS,
		.eng = NAK(42, TO_BROADCAST),
	},
	{
		/* §4.3.2: the server knows the lease is invalid now. */
		.name = "renewal of a lease on an address reserved since: NAK",
		.rq = REQ(DHCPREQUEST, MAC_Q, .ciaddr = IP_Q, .unicast = true),
		.xdp = XDP_PASS,
		.eng = NAK(42, TO_BROADCAST),
	},

	/*
	 * -- frames not to answer, however good the request --
	 *
	 * Last in the table: the engine's ACKs here renew A, which the
	 * rows above do not expect.
	 */
	{
		/* RFC 791 §3.1: frame_in_parse verifies the header checksum
		 * (FRAME_IN_BAD_CSUM), the engine never sees the frame. */
		.name = "RENEWING with a bad IPv4 header checksum: both drop",
		.rq = REQ(DHCPREQUEST, MAC_A, .ciaddr = IP_A, .unicast = true,
			  .bad_ip_csum = true),
		PASSES(BAD_IP_CSUM),
		DAEMON_DROPS(BAD_CSUM),
	},
	{
		.name = "reservation DISCOVER with a bad IPv4 header checksum: "
			"both drop",
		.rq = REQ(DHCPDISCOVER, MAC_R, .bad_ip_csum = true),
		PASSES(BAD_IP_CSUM),
		DAEMON_DROPS(BAD_CSUM),
	},
	{
		/*
		 * The daemon never sees this frame: the kernel marks it
		 * PACKET_OTHERHOST, which the packet socket's filter and
		 * pkt_io's receive path drop (test_pkt_io:
		 * test_non_dhcp_not_received). This harness hands
		 * frame_in_parse the frame directly, so the row can only
		 * say what the engine would do with it: ACK, as XDP did
		 * before it checked the destination.
		 */
		.name = "RENEWING to another host's MAC: XDP passes, the "
			"packet socket ignores it",
		.rq = REQ(DHCPREQUEST, MAC_A, .ciaddr = IP_A, .unicast = true,
			  .dst_mac = MAC_OTHER_HOST),
		PASSES(OTHER_HOST),
		.eng = ACK(42, IP_A, TO_CIADDR),
	},
	{
		/* As above: a frame to another MAC never reaches the
		 * daemon; the engine would OFFER. */
		.name = "reservation DISCOVER to another host's MAC: XDP "
			"passes, the packet socket ignores it",
		.rq = REQ(DHCPDISCOVER, MAC_R, .dst_mac = MAC_OTHER_HOST),
		PASSES(OTHER_HOST),
		.eng = OFFER(42, IP_R, TO_CHADDR),
	},
	{
		/*
		 * DISAGREEMENT (daemon side): at our MAC the kernel marks
		 * the frame PACKET_HOST, the packet socket delivers it,
		 * frame_in_parse does not look at the IPv4 destination and
		 * the engine ACKs a renewal sent to another host's address
		 * (engine_rx.unicast only tells broadcast from unicast).
		 * XDP passing it up is the stricter side, which §8 of
		 * docs/design.md allows; the daemon answering it is listed
		 * there as a gap.
		 */
		.name = "RENEWING at our MAC to another host's address: XDP "
			"passes, engine ACKs",
		.rq = REQ(DHCPREQUEST, MAC_A, .ciaddr = IP_A, .unicast = true,
			  .dst_ip = OTHER_HOST_IP),
		PASSES(OTHER_HOST),
		.eng = ACK(42, IP_A, TO_CIADDR),
	},
};

/* What a POOL_ADDR row accepts: any address of subnet 42's or 44's pool
 * but one reserved or leased. */
static bool in_pool42(uint32_t a)
{
	return (a >= IP(10, 9, 0, 10) && a <= IP(10, 9, 0, 99) && a != IP_Q) ||
	       (a >= IP(172, 31, 0, 10) && a <= IP(172, 31, 0, 99) &&
		a != IP_P);
}

int main(void)
{
	const struct diff_table table = {
		.cfg_json = cfg_json,
		.leases = leases,
		.n_leases = ARRAY_SIZE(leases),
		.rows = rows,
		.n_rows = ARRAY_SIZE(rows),
		.pool_addr = in_pool42,
	};

	return differential_run(&table);
}
