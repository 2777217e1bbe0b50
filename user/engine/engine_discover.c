// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* DHCPDISCOVER (RFC 2131 §4.3.1): the address to offer, held for the client. */
#include <stdint.h>

#include "engine/engine_internal.h"

/*
 * Address choice, §4.3.1 order: the client's reservation; its current
 * binding; its held offer (a retransmitted DISCOVER); its previous address
 * (sticky) if free; the requested address (50) if free and in a pool; the
 * next free address of the pool; with none free, an address freed by the
 * starvation defenses (engine_starve.c). A new address (sticky, requested,
 * allocated) comes from a pool whose client-class the client belongs to
 * (engine_class.c); an address the client holds stays its own, as XDP
 * renews without classifying. A new offer may be refused by a
 * relay cap (engine_relay_cap.c); one made under pressure is held the
 * short hold.
 */
void handle_discover(struct engine *e, struct eng_subnet *s,
		     const struct dhcp_msg *req, const struct engine_rx *rx,
		     int64_t now, struct engine_result *res)
{
	struct rcap_key rk;
	struct client cl;
	struct sink k;
	bool short_hold;
	uint32_t a = 0;
	int r;

	client_view(e, s, req, &cl);
	if (cl.res && cl.res_usable) {
		reply_lease(res, rx, s, cl.res, req, DHCPOFFER, cl.res->conf->addr);
		s->offers++;
		return;
	}
	if (cl.active && dyn_ok(s, cl.active->addr)) {
		reply_lease(res, rx, s, cl.extras, req, DHCPOFFER,
			    cl.active->addr);
		s->offers++;
		return;
	}
	rcap_key_of(req, &rk);
	/* No new offer past a cap (RFC 3046 §3.1: the circuit-id may drive
	 * assignment policy); the client's own offer is counted already. */
	if (!cl.offered && (r = rcap_refuse(e, s, &rk))) {
		drop_request(e, res, r);
		return;
	}
	short_hold = starve_pressure(e, s);
	if (cl.offered)
		a = cl.offered->addr;
	else if (cl.sticky && dyn_ok(s, cl.sticky->addr) &&
		 pool_is_free(s->pool, cl.sticky->addr) &&
		 class_pool_ok(e, s, req, cl.sticky->addr))
		a = cl.sticky->addr;
	else if (req->has_requested_ip && in_subnet(s, req->requested_ip) &&
		 dyn_ok(s, req->requested_ip) &&
		 pool_is_free(s->pool, req->requested_ip) &&
		 class_pool_ok(e, s, req, req->requested_ip))
		a = req->requested_ip;
	if (a) {
		r = lease_offer_hold(e, s, &cl, a, false, short_hold, now);
	} else if (!class_pool_alloc(e, s, req, &a)) {
		r = lease_offer_hold(e, s, &cl, a, true, short_hold, now);
	} else {
		sink_of(&k, &res->ch);
		r = starve_free_one(e, s, now, &k, &a);
		if (r < 0) {
			/* docs/design.md §1: no OFFER; the client falls back to
			 * APIPA on its own. */
			s->pool_exhausted++;
			drop_request(e, res, ENGINE_DROP_POOL_EXHAUSTED);
			return;
		}
		res->starve = r;
		r = lease_offer_hold(e, s, &cl, a, false, short_hold, now);
	}
	if (r) {
		drop_request(e, res, ENGINE_DROP_NO_MEMORY);
		return;
	}
	starve_note_offer(e, s, a);
	rcap_link(e, s, a, &rk);
	if (short_hold)
		s->offers_pressure++;
	reply_lease(res, rx, s, cl.extras, req, DHCPOFFER, a);
	s->offers++;
}
