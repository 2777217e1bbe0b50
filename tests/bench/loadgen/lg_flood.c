// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The DISCOVER flood (lg_flood.h): requests from fresh MACs, and the
 * server's answers to them counted apart from the clients'.
 */
#include <string.h>
#include <dhcpxdp/dhcp_wire.h>

#include "lg_flood.h"

void lg_flood_req(uint64_t n, uint8_t mac_seed, uint64_t now_ns,
		  struct lg_req *out)
{
	/* A multiplicative hash spreads the counter over the MAC, as a
	 * random attacker's MACs are spread over the server's tables. */
	uint32_t v = (uint32_t)n * 2654435761U;

	memset(out, 0, sizeof(*out));
	out->kind = LG_DISCOVER;
	out->chaddr[0] = 0x02; /* locally administered (IEEE 802 §8.2) */
	out->chaddr[1] = lg_flood_seed(mac_seed);
	out->chaddr[2] = v >> 24;
	out->chaddr[3] = (v >> 16) & 0xff;
	out->chaddr[4] = (v >> 8) & 0xff;
	out->chaddr[5] = v & 0xff;
	out->xid = (uint32_t)(now_ns / 1000);
	out->circuit = (uint32_t)n;
}

bool lg_flood_reply(const struct lg_reply *r, uint8_t mac_seed, uint64_t rx_ns,
		    struct lg_stats *st)
{
	struct lg_class_stats *c = &st->x[LG_X_FLOOD];

	if (r->chaddr[0] != 0x02 || r->chaddr[1] != lg_flood_seed(mac_seed))
		return false;
	if (r->msg_type != DHCPOFFER) {
		c->naks++;
		return true;
	}
	c->answered++;
	/* The xid is the send time's low 32 bits of µs: the difference
	 * modulo 2^32 is right for any answer within 71 minutes. */
	lg_hist_add(&c->lat, (uint32_t)(rx_ns / 1000) - r->xid);
	return true;
}
