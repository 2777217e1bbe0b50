// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Subnets: the one a request belongs to (on a network we serve: by relay
 * address, arrival network or client address, docs/design.md §1), and
 * the reply options of each for the XDP subnets map. Binary searches over
 * the tables engine_build.c sorted (by id: subnet_by_id() in
 * engine_internal.h).
 */
#include <errno.h>
#include <stdint.h>

#include "engine/engine_internal.h"
#include "wire/relay_info.h"

/* Subnets never overlap (config.c), so the one that can contain addr is
 * the last whose network is <= addr. */
static struct eng_subnet *subnet_by_addr(const struct engine *e, uint32_t a)
{
	size_t lo = 0, hi = e->n_subnets;
	struct eng_subnet *s;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (e->by_net[mid]->network <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	s = e->by_net[lo - 1];
	return (a & s->mask) == s->network ? s : NULL;
}

static struct eng_subnet *subnet_by_relay(const struct engine *e, uint32_t gi)
{
	size_t lo = 0, hi = e->n_relays;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (e->relays[mid].giaddr < gi)
			lo = mid + 1;
		else if (e->relays[mid].giaddr > gi)
			hi = mid;
		else
			return e->relays[mid].s;
	}
	return NULL;
}

/*
 * docs/design.md §1. Nothing is taken up from a network we do not serve
 * (an interface/VLAN not among the daemon's, as not in XDP's
 * dx_networks), whatever giaddr or ciaddr say: Kea does not receive on an
 * interface it does not listen on. On a served network:
 * relayed (giaddr != 0) - the subnet listing giaddr in
 * relay.ip-addresses, else the one whose prefix holds giaddr (as Kea);
 * direct - the subnet bound to the arrival network. Exception, as Kea: a
 * unicast request with ciaddr set and no giaddr comes from a bound client
 * talking to us directly (RFC 2131 §4.3.2 RENEWING, §4.3.4, §4.3.5),
 * possibly from behind a relay: the subnet holding ciaddr, any subnet, as
 * a relay may select any. A broadcast one (REBINDING) stays on the
 * arrival link, so a client that moved to another network is told so
 * (NAK).
 */
struct eng_subnet *subnet_select(const struct engine *e,
				 const struct dhcp_msg *req,
				 const struct engine_rx *rx)
{
	struct eng_subnet *s;
	uint32_t sel;

	if (!rx->served)
		return NULL;
	/* RFC 3527 §3 link selection, or RFC 3011 subnet selection: the
	 * subnet holding the address named, ahead of giaddr (as Kea). */
	if (relay_info_select_addr(req, &sel))
		return subnet_by_addr(e, sel);
	if (req->giaddr) {
		s = subnet_by_relay(e, req->giaddr);
		return s ? s : subnet_by_addr(e, req->giaddr);
	}
	if (rx->unicast && req->ciaddr && (s = subnet_by_addr(e, req->ciaddr)))
		return s;
	return rx->direct_subnet_id ? subnet_by_id(e, rx->direct_subnet_id)
				    : NULL;
}

int engine_subnet_opts(const struct engine *e, uint32_t subnet_id,
		       const struct dhcp_opt **opts, size_t *n)
{
	const struct eng_subnet *s;

	if (!e || !opts || !n)
		return -EINVAL;
	s = subnet_by_id(e, subnet_id);
	if (!s)
		return -ENOENT;
	*opts = s->opts;
	*n = s->n_opts;
	return 0;
}
