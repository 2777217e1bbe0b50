// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The client tells the server something: DHCPDECLINE (the address is in
 * use, RFC 2131 §4.3.3), DHCPRELEASE (done with it, §4.3.4), DHCPINFORM
 * (configured by hand, asks for options only, §4.3.5).
 */
#include <stdint.h>

#include "engine/engine_internal.h"

void handle_decline(struct engine *e, struct eng_subnet *s,
		    const struct dhcp_msg *req, const struct engine_rx *rx,
		    int64_t now, struct engine_result *res)
{
	struct lt_lease *l;
	struct sink k;
	bool mine;

	if (req->has_server_id && !server_id_ours(s, rx, req->server_id)) {
		drop_request(e, res, ENGINE_DROP_NOT_FOR_US);
		return;
	}
	if (!req->has_requested_ip) { /* 50 MUST be there (table 5) */
		drop_request(e, res, ENGINE_DROP_MALFORMED);
		return;
	}
	l = lt_find_addr(e->lt, s->id, req->requested_ip);
	mine = l &&
	       lt_owned_by(l, req->chaddr, req->client_id, req_cid_len(req));
	/*
	 * A client declines an address it was ACKed: it checks the address
	 * after the ACK and declines it if in use (§3.1 step 5).
	 * Anything else - an address merely offered, someone else's, a
	 * reserved one (the configuration is the truth there) - puts nothing
	 * in probation, or any client could take the whole pool out of
	 * service with DISCOVER + DECLINE (Kea declines only a lease the
	 * client owns, and ignores the rest). A held offer the client turns
	 * down is released, as when it chooses another server (§3.1 step 4).
	 */
	if (!mine || l->state != DX_LEASE_ACTIVE) {
		if (mine && l->state == LT_STATE_OFFERED)
			lease_offer_lapse(e, s, l);
		drop_request(e, res, ENGINE_DROP_DECLINE_NOT_LEASED);
		return;
	}
	sink_of(&k, &res->ch);
	ddns_end(e, s, l, &k); /* while the client still owns it */
	lease_emit_map(&k, ENGINE_MAP_DELETE, l);
	if (s->leases_active)
		s->leases_active--;
	/*
	 * §4.3.3: "MUST mark the network address as not available". The
	 * address belongs to nobody during probation (Kea strips the client
	 * identification from a declined lease too).
	 */
	lt_clear_owner(e->lt, l);
	lt_set_hostname(l, NULL, 0);
	l->state = l->db_state = DX_LEASE_DECLINED;
	l->flags = 0;
	l->expires = l->horizon = now + e->probation;
	l->last_seen = now;
	lt_set_deadline(e->lt, l, l->expires);
	rcap_unlink(e, s, l->addr);
	if (dyn_ok(s, l->addr))
		pool_decline(s->pool, l->addr);
	starve_note_declined(e, s, l);
	lease_emit_upsert(&k, l);
	s->declines++;
	res->action = ENGINE_SILENT;
}

void handle_release(struct engine *e, struct eng_subnet *s,
		    const struct dhcp_msg *req, const struct engine_rx *rx,
		    int64_t now, struct engine_result *res)
{
	struct lt_lease *l;
	struct sink k;

	if (req->has_server_id && !server_id_ours(s, rx, req->server_id)) {
		drop_request(e, res, ENGINE_DROP_NOT_FOR_US);
		return;
	}
	l = lt_find_addr(e->lt, s->id, req->ciaddr);
	if (!req->ciaddr || !l || l->state != DX_LEASE_ACTIVE ||
	    !lt_owned_by(l, req->chaddr, req->client_id, req_cid_len(req))) {
		drop_request(e, res, ENGINE_DROP_NO_LEASE);
		return;
	}
	sink_of(&k, &res->ch);
	ddns_end(e, s, l, &k);
	/*
	 * §4.3.4: the address goes back to the pool; the row stays so the
	 * client gets the same address next time if still free (§4.3.1).
	 */
	l->state = l->db_state = DX_LEASE_RELEASED;
	l->expires = l->horizon = now;
	l->last_seen = now;
	lt_clear_deadline(e->lt, l);
	dyn_give_back(s, l->addr);
	rcap_unlink(e, s, l->addr);
	if (s->leases_active)
		s->leases_active--;
	lease_emit_upsert(&k, l);
	lease_emit_map(&k, ENGINE_MAP_DELETE, l);
	s->releases++;
	res->action = ENGINE_SILENT;
}

void handle_inform(struct engine *e, struct eng_subnet *s,
		   const struct dhcp_msg *req, const struct engine_rx *rx,
		   int64_t now, struct engine_result *res)
{
	const struct eng_res *rs;

	/* Nowhere to send the ACK (§4.3.5: to ciaddr; Kea drops these). */
	if (!req->ciaddr && !req->giaddr) {
		drop_request(e, res, ENGINE_DROP_MALFORMED);
		return;
	}
	/*
	 * The options are those of the client's network: a ciaddr outside
	 * the request's subnet (the relay's, the arrival link's, or the one
	 * holding a unicast sender's ciaddr) is on none we serve there, and
	 * another subnet's options would misconfigure it. (Kea and ISC
	 * dhcpd drop an INFORM from an address in none of their subnets.)
	 */
	if (req->ciaddr && !in_subnet(s, req->ciaddr)) {
		drop_request(e, res, ENGINE_DROP_WRONG_NETWORK);
		return;
	}
	rs = client_res_req(s, req);
	/* §4.3.5: ACK, no lease time, yiaddr 0; ciaddr is echoed by the
	 * encoder. No lease is looked at or created. */
	reply_msg(res, rx, DHCPACK, 0);
	/* Kea looks the pool up by ciaddr for an INFORM. */
	reply_opts(res, s, rs, req->ciaddr);
	reply_bootp(res, s, rs);
	s->informs++;
}
