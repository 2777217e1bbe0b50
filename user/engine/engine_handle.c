// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * engine_handle(): the checks every request passes (RFC 2131 §4.1: a
 * BOOTREQUEST from an Ethernet client, a DHCP message type), its subnet,
 * then the handler of its message type (RFC 2131 §4.3).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "engine/engine_internal.h"

/* Never lease our own address, whatever the config says. */
static void exclude_server_id(struct eng_subnet *s, uint32_t sid)
{
	if (pool_is_free(s->pool, sid))
		pool_exclude(s->pool, sid);
}

/*
 * Deadlines are inclusive (engine_internal.h) and the daemon runs
 * engine_expire() on a timer: what is due at `now` but not reclaimed yet -
 * an offer hold, a probation, a lease past its horizon - ends here first,
 * so the request sees the address free at its deadline, not at the next
 * tick. Bounded: at most SETTLE_MAX entries and one persisted change (the
 * rest of res.ch is the request's own), the daemon's expiry does the rest,
 * and a lease within its horizon, whose end only the lease map knows
 * (engine_expire()): the walk stops there, until the next tick.
 */
#define SETTLE_MAX 16

static void settle_due(struct engine *e, int64_t now, struct engine_result *res)
{
	struct sink k;

	sink_of(&k, &res->ch);
	k.cap = 1;
	expire_due(e, now, &k, SETTLE_MAX, NULL);
}

/*
 * A configured dhcp-server-identifier (option 54 of the subnet's
 * option-data or a level above) is the server identifier of every reply
 * about the subnet, OFFER, ACK and NAK alike (Kea). The subnet is the one
 * the reply is about: a handler may move to another of the link's.
 */
static void reply_server_id(const struct engine *e, struct engine_result *res)
{
	const struct eng_subnet *s;

	if (res->action != ENGINE_REPLY)
		return;
	s = subnet_by_id(e, res->subnet_id);
	if (s && s->conf->server_id)
		res->reply.server_id = s->conf->server_id;
}

/* By message type (option 53). */
static msg_handler *const handlers[] = {
	[DHCPDISCOVER] = handle_discover, [DHCPREQUEST] = handle_request,
	[DHCPDECLINE] = handle_decline,	  [DHCPRELEASE] = handle_release,
	[DHCPINFORM] = handle_inform,
};

/*
 * Kea's classification steps around subnet selection: the classes that
 * need no reservation, then the subnet (of the link's shared network,
 * one the client's classes allow), then what the reservation look-up
 * decides. The chosen subnet, or NULL when the classes leave none.
 */
static struct eng_subnet *classify(struct engine *e, const struct dhcp_msg *req,
				   struct eng_subnet *s, struct eng_cls *c)
{
	const struct eng_res *rs;

	class_before_subnet(e, req, c);
	s = network_subnet(e, s, req, c);
	if (!class_subnet_ok(s, c, req))
		return NULL;
	rs = client_res_req(s, req);
	class_after_subnet(e, s, rs, req, c);
	return s;
}

int engine_handle(struct engine *e, const struct dhcp_msg *req,
		  const struct engine_rx *rx, int64_t now,
		  struct engine_result *res)
{
	struct eng_cls cls;
	struct eng_subnet *s;
	msg_handler *h;

	if (!e || !req || !rx || !res || !rx->server_id)
		return -EINVAL;
	/* class_opts is written before it is pointed at: not cleared. */
	memset(res, 0, offsetof(struct engine_result, class_opts));
	/* The lease map is keyed by an Ethernet MAC (docs/design.md §4). */
	if (req->op != BOOTREQUEST || req->htype != DHCP_HTYPE_ETHER ||
	    req->hlen != DHCP_HLEN_ETHER) {
		drop_request(e, res, ENGINE_DROP_MALFORMED);
		return 0;
	}
	if (!req->msg_type) {
		drop_request(e, res, ENGINE_DROP_UNSUPPORTED);
		return 0;
	}
	/* A pair's partner answers its scope (ha_scope.c); Kea's HA hook
	 * drops it before subnet selection too. */
	if (ha_drop(e, req)) {
		drop_request(e, res, ENGINE_DROP_HA_SCOPE);
		return 0;
	}
	s = subnet_select(e, req, rx);
	if (!s) {
		drop_request(e, res, ENGINE_DROP_NO_SUBNET);
		return 0;
	}
	res->subnet_id = s->id;
	h = req->msg_type < sizeof(handlers) / sizeof(handlers[0])
		    ? handlers[req->msg_type]
		    : NULL;
	if (!h) { /* OFFER, ACK, NAK: server messages */
		drop_request(e, res, ENGINE_DROP_MALFORMED);
		return 0;
	}
	settle_due(e, now, res);
	/* After settling: what is due no longer counts as the client's or
	 * as taken when the shared network's subnet is chosen. */
	if (!e->classify) {
		s = network_subnet(e, s, req, NULL);
	} else if (!(s = classify(e, req, s, &cls))) {
		/* No subnet of the link serves the client's classes. */
		drop_request(e, res, ENGINE_DROP_NO_SUBNET);
		return 0;
	}
	res->subnet_id = s->id;
	exclude_server_id(s, rx->server_id);
	e->cls = e->classify ? &cls : NULL;
	s->class_lifetime = e->classify ? class_lifetime(e, &cls) : 0;
	h(e, s, req, rx, now, res);
	e->cls = NULL;
	s->class_lifetime = 0;
	if (e->classify)
		class_reply(e, s, client_res_req(s, req), req, &cls, res);
	ddns_reply(e, s, req, res);
	/* Kea's echo-client-id (RFC 6842 §3 otherwise). */
	if (res->action == ENGINE_REPLY)
		res->reply.no_client_id_echo = e->cfg->kea.no_echo_client_id;
	reply_server_id(e, res);
	return 0;
}
