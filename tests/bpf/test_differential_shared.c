// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The differential test (differential.h) on a shared network: XDP and
 * the daemon's path pick the same subnet of the link for each request
 * (engine_network.c, link_pick() in bpf/dhcpxdp.bpf.c) and answer alike
 * where XDP answers.
 *
 * dxs0 carries the shared network "edge": subnet 60 (dxs0's own prefix,
 * a pool of two, one taken by A) then subnet 61 (its own router and lease
 * time, B's lease, R's reservation). Relay 10.9.0.254 reaches the same
 * network. Subnet 62 stands alone behind relay 10.9.0.253.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>
#include <dhcpxdp/dhcp_wire.h>
#include "engine/engine.h"
#include "wire/frame_in.h"
#include "differential.h"

#define RELAY_EDGE IP(10, 9, 0, 254)
#define RELAY_62   IP(10, 9, 0, 253)

#define IP_A	 IP(10, 9, 0, 10)
#define IP_B	 IP(10, 61, 0, 20)
#define IP_R	 IP(10, 61, 0, 200)
#define IP_OFF	 IP(10, 99, 0, 20) /* on no subnet of the link */
#define IP_IN_60 IP(10, 9, 0, 11)  /* subnet 60's free address */

static const uint8_t MAC_A[6] = {0x02, 0xd2, 0, 0, 0, 0x0a};
static const uint8_t MAC_B[6] = {0x02, 0xd2, 0, 0, 0, 0x0b};
static const uint8_t MAC_R[6] = {0x02, 0xd2, 0, 0, 0, 0xa0};
static const uint8_t MAC_U[6] = {0x02, 0xd2, 0, 0, 0, 0xe0};

static const char *cfg_json =
	"{ \"Dhcp4\": {"
	"  \"interfaces-config\": { \"interfaces\": [ \"dxs0\" ] },"
	"  \"valid-lifetime\": 600,"
	"  \"shared-networks\": [ { \"name\": \"edge\", \"interface\": "
	"\"dxs0\","
	"   \"relay\": { \"ip-addresses\": [ \"10.9.0.254\" ] },"
	"   \"option-data\": [ { \"name\": \"domain-name\","
	"     \"data\": \"edge.example\" } ],"
	"   \"subnet4\": ["
	"    { \"id\": 60, \"subnet\": \"10.9.0.0/24\","
	"      \"pools\": [ { \"pool\": \"10.9.0.10 - 10.9.0.11\" } ],"
	"      \"option-data\": [ { \"name\": \"routers\","
	"        \"data\": \"10.9.0.1\" } ] },"
	"    { \"id\": 61, \"subnet\": \"10.61.0.0/24\","
	"      \"valid-lifetime\": 900,"
	"      \"pools\": [ { \"pool\": \"10.61.0.10 - 10.61.0.99\" } ],"
	"      \"option-data\": [ { \"name\": \"routers\","
	"        \"data\": \"10.61.0.1\" } ],"
	"      \"reservations\": [ { \"hw-address\": \"02:d2:00:00:00:a0\","
	"        \"ip-address\": \"10.61.0.200\" } ] } ] } ],"
	"  \"subnet4\": ["
	"   { \"id\": 62, \"subnet\": \"172.31.0.0/24\","
	"     \"relay\": { \"ip-addresses\": [ \"10.9.0.253\" ] },"
	"     \"pools\": [ { \"pool\": \"172.31.0.10 - 172.31.0.99\" } ] } ]"
	" } }";

static const struct lease_row leases[] = {
	{60, IP_A, MAC_A, NULL, 1800, 0}, /* A: fills half of subnet 60 */
	{61, IP_B, MAC_B, NULL, 2700, 0}, /* B: in the second subnet */
};

static const struct row rows[] = {
	{
		.name = "RENEWING in the second subnet: ACK from it",
		.rq = REQ(DHCPREQUEST, MAC_B, .ciaddr = IP_B, .unicast = true),
		FAST,
		.eng = ACK(61, IP_B, TO_CIADDR),
	},
	{
		.name = "REBINDING in the second subnet: ACK from it",
		.rq = REQ(DHCPREQUEST, MAC_B, .ciaddr = IP_B, .bcast = true),
		FAST,
		.eng = ACK(61, IP_B, TO_CIADDR),
	},
	{
		.name = "INIT-REBOOT in the second subnet: ACK from it",
		.rq = REQ(DHCPREQUEST, MAC_B, .reqip = IP_B),
		FAST,
		.eng = ACK(61, IP_B, TO_CHADDR),
	},
	{
		.name = "relayed REBINDING in the second subnet",
		.rq = REQ(DHCPREQUEST, MAC_B, .ciaddr = IP_B,
			  .giaddr = RELAY_EDGE),
		FAST,
		.eng = ACK(61, IP_B, TO_RELAY),
	},
	{
		.name = "RENEWING in the first subnet",
		.rq = REQ(DHCPREQUEST, MAC_A, .ciaddr = IP_A, .unicast = true),
		FAST,
		.eng = ACK(60, IP_A, TO_CIADDR),
	},
	{
		.name = "reservation of the second subnet: OFFER from it",
		.rq = REQ(DHCPDISCOVER, MAC_R),
		FAST,
		.eng = OFFER(61, IP_R, TO_CHADDR),
	},
	{
		.name = "reservation of the second subnet, relayed: OFFER",
		.rq = REQ(DHCPDISCOVER, MAC_R, .giaddr = RELAY_EDGE),
		FAST,
		.eng = OFFER(61, IP_R, TO_RELAY),
	},
	{
		.name = "SELECTING the reservation: ACK from the second subnet",
		.rq = REQ(DHCPREQUEST, MAC_R, .reqip = IP_R, .sid = SRV_IP),
		FAST,
		.eng = ACK(61, IP_R, TO_CHADDR),
	},
	{
		/* The lease is B's in 61; 10.9.0.11 is free in 60. */
		/* As Kea, which finds B's lease in the network: B is known
		 * in 61, where the address is not B's. */
		.name = "INIT-REBOOT for a free address of the first subnet: "
			"the daemon NAKs from the client's subnet",
		.rq = REQ(DHCPREQUEST, MAC_B, .reqip = IP_IN_60),
		PASSES(NO_LEASE),
		.eng = NAK(61, TO_BROADCAST),
	},
	{
		.name = "INIT-REBOOT off the link: the daemon NAKs",
		.rq = REQ(DHCPREQUEST, MAC_B, .reqip = IP_OFF),
		PASSES(NO_LEASE),
		.eng = NAK(61, TO_BROADCAST),
	},
	{
		.name = "new client: the first subnet with room",
		.rq = REQ(DHCPDISCOVER, MAC_U),
		PASSES(DISCOVER),
		.eng = OFFER(60, IP_IN_60, TO_CHADDR),
	},
	{
		.name = "a subnet of its own behind its relay is untouched",
		.rq = REQ(DHCPDISCOVER, MAC_B, .giaddr = RELAY_62),
		PASSES(DISCOVER),
		.eng = OFFER(62, POOL_ADDR, TO_RELAY),
	},
};

static bool in_pool62(uint32_t a)
{
	return a >= IP(172, 31, 0, 10) && a <= IP(172, 31, 0, 99);
}

int main(void)
{
	const struct diff_table table = {
		.cfg_json = cfg_json,
		.leases = leases,
		.n_leases = ARRAY_SIZE(leases),
		.rows = rows,
		.n_rows = ARRAY_SIZE(rows),
		.pool_addr = in_pool62,
	};

	return differential_run(&table);
}
