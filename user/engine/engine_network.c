// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Shared networks (Kea's shared-networks): the link a request arrived on
 * (subnet_select) may hold several subnets; this picks the one that
 * serves the request, as Kea does (dhcp4-srv.rst, "Shared Networks in
 * DHCPv4"):
 *
 *  - a request about an address (REQUEST's ciaddr or option 50,
 *    DECLINE's option 50, RELEASE's and INFORM's ciaddr): the subnet
 *    holding it, so a renewing client keeps its subnet - unless the
 *    client is known (reservation, lease, offer) only in another subnet
 *    of the link: that one, whose handler NAKs or ignores an address
 *    that is not the client's, as Kea looks for the client's lease in
 *    the whole network; an address in none of them, from a client known
 *    nowhere, stays with the subnet the link gave;
 *  - otherwise (a DISCOVER, a SELECTING REQUEST without option 50): the
 *    subnet where the client has a reservation (any subnet of the
 *    network before any lease), else a lease or an
 *    offer, else the first, in configuration order, that has a free
 *    address, else the first (where the starvation defenses and the
 *    "pool exhausted" count apply).
 *
 * Each subnet keeps its own pools, leases, options and timers; the
 * network only widens the choice. The cost is one walk of a short list
 * per request on a shared network and nothing for other subnets.
 */
#include <stdint.h>

#include "engine/engine_internal.h"

/* RFC 2131 §4.3.2 and Table 5: the address the request is about. */
static uint32_t request_addr(const struct dhcp_msg *req)
{
	switch (req->msg_type) {
	case DHCPREQUEST:
		if (req->ciaddr)
			return req->ciaddr;
		return req->has_requested_ip ? req->requested_ip : 0;
	case DHCPDECLINE:
		return req->has_requested_ip ? req->requested_ip : 0;
	case DHCPRELEASE:
	case DHCPINFORM:
		return req->ciaddr;
	default:
		return 0;
	}
}

/* Does the client have a reservation (and, unless res_only, a lease or
 * an offer) in s? */
static bool known_in(const struct engine *e, const struct eng_subnet *s,
		     const struct dhcp_msg *req, bool res_only)
{
	struct client cl;

	client_view(e, s, req, &cl);
	return (cl.res && cl.res_usable) ||
	       (!res_only && (cl.active || cl.offered));
}

static bool has_room(const struct eng_subnet *s)
{
	struct dx_pool_stats st;

	pool_set_stats(s->pool, &st);
	return st.free > 0;
}

/* May the request, of classes c, use t (its client-class)? */
static bool may_use(const struct eng_subnet *t, const struct eng_cls *c,
		    const struct dhcp_msg *req)
{
	return !c || class_subnet_ok(t, c, req);
}

struct eng_subnet *network_subnet(const struct engine *e, struct eng_subnet *s,
				  const struct dhcp_msg *req,
				  const struct eng_cls *c)
{
	struct eng_subnet *first = s->net_first, *t;
	uint32_t a;

	if (first == s && !s->net_next)
		return s;
	/* Kea: a subnet whose client-class the client lacks is not one of
	 * the link's for it; the first the client may use stands for the
	 * link. */
	while (first && !may_use(first, c, req))
		first = first->net_next;
	if (!first)
		return s;
	a = request_addr(req);
	if (a) {
		struct eng_subnet *holder = NULL;

		for (t = first; t && !holder; t = t->net_next)
			if (in_subnet(t, a) && may_use(t, c, req))
				holder = t;
		if (holder && known_in(e, holder, req, false))
			return holder;
		/* Known elsewhere on the link: there, where the handler
		 * NAKs or ignores an address that is not the client's. */
		for (t = first; t; t = t->net_next)
			if (t != holder && may_use(t, c, req) &&
			    known_in(e, t, req, false))
				return t;
		return holder ? holder : may_use(s, c, req) ? s : first;
	}
	/* Kea: a reservation anywhere in the network selects its subnet,
	 * before a lease or an offer elsewhere in it. */
	for (t = first; t; t = t->net_next)
		if (may_use(t, c, req) && known_in(e, t, req, true))
			return t;
	for (t = first; t; t = t->net_next)
		if (may_use(t, c, req) && known_in(e, t, req, false))
			return t;
	/* A DISCOVER may name the address it would like (option 50). */
	if (req->msg_type == DHCPDISCOVER && req->has_requested_ip)
		for (t = first; t; t = t->net_next)
			if (may_use(t, c, req) &&
			    in_subnet(t, req->requested_ip) &&
			    dyn_ok(t, req->requested_ip) &&
			    pool_is_free(t->pool, req->requested_ip))
				return t;
	for (t = first; t; t = t->net_next)
		if (may_use(t, c, req) && has_room(t))
			return t;
	return first;
}
