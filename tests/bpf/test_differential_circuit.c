// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The differential test (differential.h) on reservations by circuit id
 * (option 82 sub-option 1, RFC 3046 §2.1) with circuit-id first in Kea's
 * host-reservation-identifiers: XDP finds the reservation the engine
 * finds (engine_client.c, circuit_pick() in bpf/circuit.h), or leaves the
 * request to the daemon.
 *
 * Subnet 70, behind relay 10.9.0.253, reserves 172.31.0.200 for circuit
 * 'port-1' and 172.31.0.210 for W by hw-address: a request from W through
 * port-1 gets the circuit's. The shared network "edge" behind relay
 * 10.9.0.251 (subnets 72 and 73, a circuit-id reservation in 73): XDP
 * does not walk a network for reservations, so it passes up every
 * request there that carries a circuit id. Subnet 74, behind relay
 * 10.9.0.250, reserves 172.24.0.200 by flex-id, the relay's remote id as
 * Kea's flex_id hook computes it: XDP does not compute expressions, so
 * the daemon answers that subnet.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>
#include <dhcpxdp/dhcp_wire.h>
#include "engine/engine.h"
#include "wire/frame_in.h"
#include "differential.h"

#define RELAY_70   IP(10, 9, 0, 253)
#define RELAY_EDGE IP(10, 9, 0, 251)
#define RELAY_74   IP(10, 9, 0, 250)

#define IP_PORT1 IP(172, 31, 0, 200)
#define IP_W	 IP(172, 31, 0, 210)
#define IP_PORT9 IP(172, 23, 0, 200)
#define IP_S	 IP(172, 22, 0, 20) /* S's lease in 72 */

static const uint8_t MAC_W[6] = {0x02, 0xd3, 0, 0, 0, 0xa0};
static const uint8_t MAC_U[6] = {0x02, 0xd3, 0, 0, 0, 0xe0};
static const uint8_t MAC_S[6] = {0x02, 0xd3, 0, 0, 0, 0x0a};

/* Option 82, length first: circuit ids 'port-1', 'port-2' and 'port-9'. */
static const uint8_t RI_PORT1[] = {8, 1, 6, 'p', 'o', 'r', 't', '-', '1'};
static const uint8_t RI_PORT2[] = {8, 1, 6, 'p', 'o', 'r', 't', '-', '2'};
static const uint8_t RI_PORT9[] = {8, 1, 6, 'p', 'o', 'r', 't', '-', '9'};
/* remote id 'rack-3' */
static const uint8_t RI_RACK3[] = {8, 2, 6, 'r', 'a', 'c', 'k', '-', '3'};

static const char *cfg_json =
	"{ \"Dhcp4\": {"
	"  \"interfaces-config\": { \"interfaces\": [ \"dxs0\" ] },"
	"  \"valid-lifetime\": 600,"
	"  \"host-reservation-identifiers\": [ \"circuit-id\", "
	"\"hw-address\", \"flex-id\" ],"
	"  \"hooks-libraries\": [ { \"library\": \"libdhcp_flex_id.so\","
	"   \"parameters\": { \"identifier-expression\": "
	"\"relay4[2].hex\" } } ],"
	"  \"shared-networks\": [ { \"name\": \"edge\","
	"   \"relay\": { \"ip-addresses\": [ \"10.9.0.251\" ] },"
	"   \"subnet4\": ["
	"    { \"id\": 72, \"subnet\": \"172.22.0.0/24\","
	"      \"pools\": [ { \"pool\": \"172.22.0.10 - 172.22.0.99\" } ] },"
	"    { \"id\": 73, \"subnet\": \"172.23.0.0/24\","
	"      \"pools\": [ { \"pool\": \"172.23.0.10 - 172.23.0.99\" } ],"
	"      \"reservations\": [ { \"circuit-id\": \"'port-9'\","
	"        \"ip-address\": \"172.23.0.200\" } ] } ] } ],"
	"  \"subnet4\": ["
	"   { \"id\": 69, \"subnet\": \"10.9.0.0/24\", \"interface\": \"dxs0\","
	"     \"pools\": [ { \"pool\": \"10.9.0.10 - 10.9.0.99\" } ] },"
	"   { \"id\": 70, \"subnet\": \"172.31.0.0/24\","
	"     \"relay\": { \"ip-addresses\": [ \"10.9.0.253\" ] },"
	"     \"pools\": [ { \"pool\": \"172.31.0.10 - 172.31.0.99\" } ],"
	"     \"reservations\": ["
	"       { \"circuit-id\": \"'port-1'\","
	"         \"ip-address\": \"172.31.0.200\" },"
	"       { \"hw-address\": \"02:d3:00:00:00:a0\","
	"         \"ip-address\": \"172.31.0.210\" } ] },"
	"   { \"id\": 74, \"subnet\": \"172.24.0.0/24\","
	"     \"relay\": { \"ip-addresses\": [ \"10.9.0.250\" ] },"
	"     \"pools\": [ { \"pool\": \"172.24.0.10 - 172.24.0.99\" } ],"
	"     \"reservations\": ["
	"       { \"flex-id\": \"'rack-3'\","
	"         \"ip-address\": \"172.24.0.200\" } ] } ]"
	" } }";

static const struct lease_row leases[] = {
	{72, IP_S, MAC_S, NULL, 1800, 0}, /* S: a lease in the network */
};

static const struct row rows[] = {
	{
		.name = "circuit id first: W through its reserved port gets "
			"the circuit's address from both",
		.rq = REQ(DHCPDISCOVER, MAC_W, .giaddr = RELAY_70,
			  .relay_info = true, .ri = RI_PORT1),
		FAST,
		.eng = OFFER(70, IP_PORT1, TO_RELAY),
	},
	{
		.name = "W through another port: its hw-address reservation "
			"from both",
		.rq = REQ(DHCPDISCOVER, MAC_W, .giaddr = RELAY_70,
			  .relay_info = true, .ri = RI_PORT2),
		FAST,
		.eng = OFFER(70, IP_W, TO_RELAY),
	},
	{
		.name = "W without option 82: its hw-address reservation",
		.rq = REQ(DHCPDISCOVER, MAC_W, .giaddr = RELAY_70),
		FAST,
		.eng = OFFER(70, IP_W, TO_RELAY),
	},
	{
		.name = "W's SELECTING REQUEST for the circuit's address: both "
			"ACK",
		.rq = REQ(DHCPREQUEST, MAC_W, .reqip = IP_PORT1, .sid = SRV_IP,
			  .giaddr = RELAY_70, .relay_info = true,
			  .ri = RI_PORT1),
		FAST,
		.eng = ACK(70, IP_PORT1, TO_RELAY),
	},
	{
		.name = "W's INIT-REBOOT through port-1 for its hw-address "
			"one: XDP passes, engine NAKs (the circuit's wins)",
		.rq = REQ(DHCPREQUEST, MAC_W, .reqip = IP_W, .giaddr = RELAY_70,
			  .relay_info = true, .ri = RI_PORT1),
		PASSES(ADDR_MISMATCH),
		.eng = NAK(70, TO_RELAY),
	},
	{
		.name = "a new client through port-1: both OFFER the circuit's "
			"address",
		.rq = REQ(DHCPDISCOVER, MAC_U, .giaddr = RELAY_70,
			  .relay_info = true, .ri = RI_PORT1),
		FAST,
		.eng = OFFER(70, IP_PORT1, TO_RELAY),
	},
	{
		.name = "shared network: a reserved circuit is the daemon's "
			"(it looks in every subnet)",
		.rq = REQ(DHCPDISCOVER, MAC_U, .giaddr = RELAY_EDGE,
			  .relay_info = true, .ri = RI_PORT9),
		PASSES(CIRCUIT_ID_RES),
		.eng = OFFER(73, IP_PORT9, TO_RELAY),
	},
	{
		.name = "shared network: S's renewal through the reserved "
			"circuit is the daemon's; its subnet has no "
			"reservation",
		.rq = REQ(DHCPREQUEST, MAC_S, .ciaddr = IP_S, .bcast = true,
			  .giaddr = RELAY_EDGE, .relay_info = true,
			  .ri = RI_PORT9),
		PASSES(CIRCUIT_ID_RES),
		.eng = ACK(72, IP_S, TO_RELAY),
	},
	{
		.name = "shared network: S's renewal with no circuit id, both "
			"ACK",
		.rq = REQ(DHCPREQUEST, MAC_S, .ciaddr = IP_S, .bcast = true,
			  .giaddr = RELAY_EDGE),
		FAST,
		.eng = ACK(72, IP_S, TO_RELAY),
	},
	{
		.name = "flex-id (the remote id): the daemon's, which OFFERs "
			"the reservation",
		.rq = REQ(DHCPDISCOVER, MAC_U, .giaddr = RELAY_74,
			  .relay_info = true, .ri = RI_RACK3),
		PASSES(SUBNET_OFF),
		.eng = OFFER(74, IP(172, 24, 0, 200), TO_RELAY),
	},
};

static bool in_pools(uint32_t a)
{
	return a >= IP(172, 22, 0, 10) && a <= IP(172, 22, 0, 99);
}

int main(void)
{
	const struct diff_table table = {
		.cfg_json = cfg_json,
		.leases = leases,
		.n_leases = ARRAY_SIZE(leases),
		.rows = rows,
		.n_rows = ARRAY_SIZE(rows),
		.pool_addr = in_pools,
	};

	return differential_run(&table);
}
