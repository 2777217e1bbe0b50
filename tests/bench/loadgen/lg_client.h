/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The simulated clients and their state machine (RFC 2131 §4.4, fig. 5):
 * INIT -DISCOVER-> SELECTING -OFFER/REQUEST-> REQUESTING -ACK-> BOUND
 * -T1/REQUEST-> RENEWING -ACK-> BOUND; BOUND -REQUEST-> REBINDING -ACK->
 * BOUND; a NAK or an expired wait in SELECTING, REQUESTING or REBINDING
 * goes back to INIT; a RELEASE from BOUND as well. Pure: times are given
 * in, requests come out as struct lg_req for the caller to send.
 *
 * Clients wait in three FIFOs: INIT (for the next DISCOVER), BOUND (in the
 * order they were bound, so the head is the first due at T1) and the
 * requests in flight (in the order sent, so the head is the first to
 * time out). A reply finds its client by xid: client index << 8 | a
 * generation byte bumped on every request, so a late reply to an earlier
 * request is told apart.
 */
#ifndef DHCPXDP_LG_CLIENT_H
#define DHCPXDP_LG_CLIENT_H

#include <stdbool.h>
#include <stdint.h>

#include "lg_msg.h"
#include "lg_stats.h"

#define LG_MAX_CLIENTS (1U << 24)

enum lg_state {
	LG_INIT,
	LG_SELECTING,
	LG_REQUESTING,
	LG_BOUND,
	LG_RENEWING,
	LG_REBINDING,
};

struct lg_client {
	uint8_t state, gen;
	uint32_t addr, server_id;
	uint32_t t1;	  /* seconds, from the last ACK (58, else lease / 2) */
	uint64_t sent_ns; /* the request in flight */
	uint64_t bound_ns;
};

struct lg_fifo {
	uint32_t *v;
	uint32_t cap, head, len; /* cap: a power of two */
};

struct lg_pool {
	struct lg_client *c;
	uint32_t n;
	uint8_t mac_seed;
	uint32_t waiting; /* clients with a request in flight */
	struct lg_fifo idle, bound, inflight;
};

int lg_pool_init(struct lg_pool *p, uint32_t n, uint8_t mac_seed);
void lg_pool_free(struct lg_pool *p);
void lg_pool_mac(const struct lg_pool *p, uint32_t idx, uint8_t mac[6]);

/*
 * Start an exchange of `kind` (DISCOVER, RENEWING or REBINDING REQUEST,
 * RELEASE) with the next client in the right state, sent at now_ns: 0 and
 * the request in *out, or -ENOENT (no such client: counted as no_client)
 * or -ENOMEM.
 */
int lg_pool_start(struct lg_pool *p, enum lg_kind kind, uint64_t now_ns,
		  struct lg_stats *st, struct lg_req *out);

/* True when the longest-bound client reached T1 x scale (RFC 2131
 * §4.4.5, on a compressed clock). */
bool lg_pool_t1_due(const struct lg_pool *p, uint64_t now_ns, double scale);

/*
 * Take a reply received at rx_ns: latency, answered or NAK, next state.
 * Returns 1 with the REQUEST that answers an OFFER in *out (to be sent at
 * tx_ns), 0 when nothing follows, -ENOENT for a reply to no request in
 * flight (stray or late, counted), -ENOMEM.
 */
int lg_pool_reply(struct lg_pool *p, const struct lg_reply *r, uint64_t rx_ns,
		  uint64_t tx_ns, struct lg_stats *st, struct lg_req *out);

/* Count as dropped every request sent before now_ns - timeout_ns still
 * unanswered, and move its client on; returns p->waiting. */
uint32_t lg_pool_expire(struct lg_pool *p, uint64_t now_ns, uint64_t timeout_ns,
			struct lg_stats *st);

#endif
