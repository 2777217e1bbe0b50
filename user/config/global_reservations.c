// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Kea's global reservations (Dhcp4.reservations) and the switches that
 * say where a subnet's clients are looked up (dhcp4-srv.rst, "Global
 * Reservations in DHCPv4", "Fine-Tuning DHCPv4 Host Reservation"):
 * reservations-global adds the global ones to a subnet, and
 * reservations-in-subnet false drops the subnet's own. Resolved here
 * once, so that the engine and the fast path see each subnet's list as
 * if it had been written there.
 */
#include <stdio.h>

#include "config/config.h"
#include "config/config_internal.h"
#include "util/fmt.h"

int global_reservations_parse(struct config_ctx *c)
{
	struct dx_config *cfg = c->cfg;

	return reservations_parse_list(c, c->dhcp4, "Dhcp4", NULL,
				       &cfg->global_reservations,
				       &cfg->n_global_reservations);
}

static bool same_client(const struct dx_reservation_conf *a,
			const struct dx_reservation_conf *b)
{
	if (a->has_hw && b->has_hw)
		return !memcmp(a->hw, b->hw, 6);
	return a->client_id && b->client_id &&
	       a->client_id_len == b->client_id_len &&
	       !memcmp(a->client_id, b->client_id, a->client_id_len);
}

/*
 * May global reservation g serve s's clients? One with an address only
 * where that address is s's (Kea hands a global reservation's address
 * to a client in any subnet; dhcpxdp, whose subnet owns the lease, only
 * in the subnet that holds it); one without an address anywhere. A
 * client with a reservation of its own in s keeps it: Kea prefers the
 * subnet's reservation to the global one (ClientContext4::currentHost).
 * -EINVAL when g's address is another client's reservation in s.
 */
static int global_fits(struct config_ctx *c, const struct dx_subnet_conf *s,
		       size_t own, const struct dx_reservation_conf *g,
		       size_t gi, bool *fits)
{
	char why[128], p[CONFIG_PATH_LEN], q[CONFIG_PATH_LEN], a[FMT_IPV4_LEN];

	*fits = false;
	if (g->addr && reservations_check_addr(s, g->addr, why, sizeof(why)))
		return 0;
	for (size_t j = 0; j < own; j++)
		if (same_client(&s->reservations[j], g))
			return 0;
	for (size_t j = 0; g->addr && j < own; j++)
		if (s->reservations[j].addr == g->addr)
			return jpath_fail(
				c,
				jpath_join(
					p,
					jpath_idx(q, "Dhcp4.reservations", gi),
					"ip-address"),
				"%s: already reserved for another client by "
				"subnet %u's reservations[%zu]",
				fmt_ipv4(a, g->addr), s->id, j);
	*fits = true;
	return 0;
}

static int merge_subnet(struct config_ctx *c, struct dx_subnet_conf *s)
{
	const struct dx_config *cfg = c->cfg;
	struct dx_reservation_conf *v;
	size_t own;
	bool fits;
	int r;

	if (!s->res_in_subnet) {
		for (size_t j = 0; j < s->n_reservations; j++)
			reservation_free(&s->reservations[j]);
		s->n_reservations = 0;
	}
	own = s->n_reservations;
	if (!s->res_global || !cfg->n_global_reservations)
		return 0;
	v = realloc(s->reservations,
		    (own + cfg->n_global_reservations) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	s->reservations = v;
	for (size_t i = 0; i < cfg->n_global_reservations; i++) {
		const struct dx_reservation_conf *g =
			&cfg->global_reservations[i];

		if ((r = global_fits(c, s, own, g, i, &fits)))
			return r;
		if (!fits)
			continue;
		s->reservations[s->n_reservations] = *g;
		s->reservations[s->n_reservations++].global = true;
	}
	return 0;
}

int global_reservations_merge(struct config_ctx *c)
{
	struct dx_config *cfg = c->cfg;
	int r;

	for (size_t i = 0; i < cfg->n_subnets; i++)
		if ((r = merge_subnet(c, &cfg->subnets[i])))
			return r;
	return 0;
}
