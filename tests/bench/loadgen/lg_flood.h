/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A DISCOVER flood next to the simulated clients: each DISCOVER from a
 * MAC never seen before (a starvation attacker's pattern), never followed
 * by a REQUEST. Its MACs have their own second byte, so an OFFER to one is
 * told apart from the clients' replies, and its xid is the send time in
 * µs, so the OFFER's latency needs no state per request. Pure.
 */
#ifndef DHCPXDP_LG_FLOOD_H
#define DHCPXDP_LG_FLOOD_H

#include <stdbool.h>
#include <stdint.h>

#include "lg_msg.h"
#include "lg_stats.h"

/* The second MAC byte of the flood: never the clients' (`mac_seed`). */
static inline uint8_t lg_flood_seed(uint8_t mac_seed)
{
	return mac_seed ^ 0x80;
}

/* The n-th flood DISCOVER, sent at now_ns (CLOCK_REALTIME), into *out. */
void lg_flood_req(uint64_t n, uint8_t mac_seed, uint64_t now_ns,
		  struct lg_req *out);

/*
 * Take a reply received at rx_ns if it answers the flood: counted (an
 * OFFER answered, with its latency; a NAK or ACK as such) and true; false
 * for any other reply.
 */
bool lg_flood_reply(const struct lg_reply *r, uint8_t mac_seed, uint64_t rx_ns,
		    struct lg_stats *st);

#endif
