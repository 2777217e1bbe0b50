// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* DHCPDISCOVER (RFC 2131 §4.3.1): the address to offer, held for the client. */
#include <stdint.h>

#include "engine/engine_internal.h"

/*
 * Address choice, §4.3.1 order: the client's reservation; its current
 * binding; its held offer (a retransmitted DISCOVER); its previous address
 * (sticky) if free; the requested address (50) if free and in a pool; the
 * next free address of the pool.
 */
void handle_discover(struct engine *e, struct eng_subnet *s,
		     const struct dhcp_msg *req, const struct engine_rx *rx,
		     int64_t now, struct engine_result *res)
{
	struct client cl;
	uint32_t a = 0;
	int r;

	client_view(e, s, req, &cl);
	if (cl.res && cl.res_usable) {
		reply_lease(res, rx, s, cl.res, DHCPOFFER, cl.res->conf->addr);
		s->offers++;
		return;
	}
	if (cl.active && dyn_ok(s, cl.active->addr)) {
		reply_lease(res, rx, s, NULL, DHCPOFFER, cl.active->addr);
		s->offers++;
		return;
	}
	if (cl.offered)
		a = cl.offered->addr;
	else if (cl.sticky && dyn_ok(s, cl.sticky->addr) &&
		 pool_is_free(s->pool, cl.sticky->addr))
		a = cl.sticky->addr;
	else if (req->has_requested_ip && in_subnet(s, req->requested_ip) &&
		 dyn_ok(s, req->requested_ip) &&
		 pool_is_free(s->pool, req->requested_ip))
		a = req->requested_ip;
	if (a) {
		r = lease_offer_hold(e, s, &cl, a, false, now);
	} else {
		if (pool_alloc(s->pool, &a)) {
			/* docs/design.md §1: no OFFER; the client falls back to
			 * APIPA on its own. */
			s->pool_exhausted++;
			drop_request(e, res, ENGINE_DROP_POOL_EXHAUSTED);
			return;
		}
		r = lease_offer_hold(e, s, &cl, a, true, now);
	}
	if (r) {
		drop_request(e, res, ENGINE_DROP_NO_MEMORY);
		return;
	}
	reply_lease(res, rx, s, NULL, DHCPOFFER, a);
	s->offers++;
}
