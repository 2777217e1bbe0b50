// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * DHCPREQUEST (RFC 2131 §4.3.2) in its states - SELECTING, INIT-REBOOT,
 * RENEWING / REBINDING - told apart by options 54, 50 and ciaddr: ACK,
 * NAK or silence.
 */
#include <stdint.h>

#include "engine/engine_internal.h"

enum addr_verdict { ADDR_NO, ADDR_RESERVED, ADDR_DYNAMIC };

/* May the client be bound to `a` in s? A free address only from a
 * pool its classes allow (engine_class.c); its own offer or lease
 * stays its own, as XDP renews without classifying. */
static int addr_ok(const struct engine *e, const struct eng_subnet *s,
		   const struct client *cl, const struct dhcp_msg *req,
		   uint32_t a)
{
	const struct lt_lease *l;

	if (!in_subnet(s, a))
		return ADDR_NO;
	/* A reserved client gets its reservation and nothing else (Kea). */
	if (cl->res && cl->res_usable)
		return a == cl->res->conf->addr ? ADDR_RESERVED : ADDR_NO;
	l = lt_find_addr(e->lt, s->id, a);
	if (l && holds_addr(l))
		return l->state != DX_LEASE_DECLINED &&
				       lt_owned_by(l, cl->mac, cl->mcid,
						   cl->mcid_len) &&
				       dyn_ok(s, a)
			       ? ADDR_DYNAMIC
			       : ADDR_NO;
	return dyn_ok(s, a) && pool_is_free(s->pool, a) &&
		       class_pool_ok(e, s, req, a)
		       ? ADDR_DYNAMIC
		       : ADDR_NO;
}

/*
 * In s, outside every pool, held by no one and reserved for no one: an
 * address the server has no knowledge of (Kea's "unknown requested
 * address"; one reserved for another client is NAKed, as Kea). A scan
 * of the reservations: only a REQUEST that is refused anyway gets here.
 */
static bool unknown_addr(const struct engine *e, const struct eng_subnet *s,
			 uint32_t a)
{
	const struct lt_lease *l = lt_find_addr(e->lt, s->id, a);

	if (!in_subnet(s, a) || pool_contains(s->pool, a) ||
	    (l && holds_addr(l)))
		return false;
	for (size_t i = 0; i < s->n_res; i++)
		if (s->res[i].conf->addr == a && a)
			return false;
	return true;
}

/* What a SELECTING REQUEST without an address stands for: the client's
 * reservation, else the address offered to it, else its lease. */
static uint32_t client_addr(const struct client *cl)
{
	if (cl->res && cl->res_usable)
		return cl->res->conf->addr;
	if (cl->offered)
		return cl->offered->addr;
	return cl->active ? cl->active->addr : 0;
}

static int request_state(const struct dhcp_msg *req)
{
	if (req->has_server_id)
		return ENGINE_REQ_SELECTING;
	if (req->ciaddr)
		return ENGINE_REQ_RENEWING;
	if (req->has_requested_ip)
		return ENGINE_REQ_INIT_REBOOT;
	return ENGINE_REQ_NONE;
}

/*
 * Would binding `a` make the client a new live entry (a free address
 * taken), rather than turn its offer into a lease or renew its lease?
 * addr_ok() said the address is free or the client's.
 */
static bool takes_new(const struct engine *e, const struct eng_subnet *s,
		      uint32_t a)
{
	const struct lt_lease *l = lt_find_addr(e->lt, s->id, a);

	return !l ||
	       (l->state != DX_LEASE_ACTIVE && l->state != LT_STATE_OFFERED);
}

static void ack(struct engine *e, struct eng_subnet *s, struct client *cl,
		const struct dhcp_msg *req, const struct engine_rx *rx,
		const struct rcap_key *rk, uint32_t a, int verdict, int64_t now,
		struct engine_result *res)
{
	struct sink k;

	sink_of(&k, &res->ch);
	if (verdict == ADDR_RESERVED) {
		/*
		 * Reservations are not persisted: the configuration is their
		 * source of truth (docs/design.md §2). Any dynamic lease the
		 * client still holds here ends.
		 */
		lease_close_others(e, s, cl, NULL, now, &k);
		reply_lease(res, rx, s, cl->res, req, DHCPACK, a);
		s->acks++;
		return;
	}
	if (lease_grant(e, s, cl, req, a, now, &k)) {
		drop_request(e, res, ENGINE_DROP_NO_MEMORY);
		return;
	}
	rcap_link(e, s, a, rk);
	reply_lease(res, rx, s, cl->extras, req, DHCPACK, a);
	s->acks++;
}

void handle_request(struct engine *e, struct eng_subnet *s,
		    const struct dhcp_msg *req, const struct engine_rx *rx,
		    int64_t now, struct engine_result *res)
{
	struct rcap_key rk;
	struct client cl;
	uint32_t a;
	int v, why;

	res->req_state = request_state(req);
	client_view(e, s, req, &cl);
	switch (res->req_state) {
	case ENGINE_REQ_SELECTING:
		if (!server_id_ours(s, rx, req->server_id)) {
			/*
			 * §4.3.2/§3.1 step 4: the client chose another
			 * server; its REQUEST declines our offer. Silence.
			 */
			if (cl.offered)
				lease_offer_lapse(e, s, cl.offered);
			drop_request(e, res, ENGINE_DROP_NOT_FOR_US);
			return;
		}
		/* 50 MUST be there (table 5); tolerate ciaddr as Kea. */
		a = req->has_requested_ip ? req->requested_ip : req->ciaddr;
		/* Neither: Kea answers for what it has for the client (its
		 * reservation, offer or lease); leniency, as Kea. */
		if (!a)
			a = client_addr(&cl);
		if (!a) {
			drop_request(e, res, ENGINE_DROP_MALFORMED);
			return;
		}
		break;
	case ENGINE_REQ_INIT_REBOOT:
		a = req->requested_ip;
		/*
		 * "If the DHCP server has no record of this client, then it
		 * MUST remain silent" (§4.3.2), before the address is looked
		 * at, wrong network or not - unless authoritative: then a
		 * NAK, as Kea.
		 */
		if (!cl.res && !cl.n) {
			if (s->conf->authoritative)
				reply_nak(res, rx, s,
					  in_subnet(s, a) ? "unknown client"
							  : "wrong network");
			else
				drop_request(e, res,
					     ENGINE_DROP_UNKNOWN_CLIENT);
			return;
		}
		if (!in_subnet(s, a)) {
			reply_nak(res, rx, s, "wrong network");
			return;
		}
		break;
	case ENGINE_REQ_RENEWING:
		a = req->ciaddr;
		if (!in_subnet(s, a)) {
			reply_nak(res, rx, s, "wrong network");
			return;
		}
		break;
	default:
		drop_request(e, res, ENGINE_DROP_MALFORMED);
		return;
	}
	v = addr_ok(e, s, &cl, req, a);
	/* INIT-REBOOT / RENEWING: a client bound to another address has an
	 * "incorrect" requested address (§4.3.2). */
	if (v == ADDR_DYNAMIC && res->req_state != ENGINE_REQ_SELECTING &&
	    cl.active && cl.active->addr != a)
		v = ADDR_NO;
	if (v == ADDR_NO) {
		/*
		 * An address of the subnet the server knows nothing about -
		 * outside every pool, nobody's lease, not the client's
		 * reservation - is not ours to refuse: silence, unless
		 * authoritative (Kea). A client bound to another address
		 * is told its notion is wrong (§4.3.2), as Kea.
		 */
		if (!s->conf->authoritative && unknown_addr(e, s, a) &&
		    (res->req_state == ENGINE_REQ_SELECTING || !cl.active)) {
			drop_request(e, res, ENGINE_DROP_UNKNOWN_ADDRESS);
			return;
		}
		reply_nak(res, rx, s, "address not available");
		return;
	}
	rcap_key_of(req, &rk);
	/* A cap refuses a new address, silently (as a DISCOVER gets no
	 * offer), never the renewal of a lease the client holds. */
	if (v == ADDR_DYNAMIC && takes_new(e, s, a) &&
	    (why = rcap_refuse(e, s, &rk))) {
		drop_request(e, res, why);
		return;
	}
	ack(e, s, &cl, req, rx, &rk, a, v, now, res);
}
