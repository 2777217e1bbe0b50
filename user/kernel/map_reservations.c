// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Which reservations XDP answers (map_reservations.h). The engine finds a
 * client's reservation by each identifier of Kea's
 * host-reservation-identifiers in order, the first match winning
 * (engine_client.c); XDP may answer one only where it finds the same.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include "config/config.h"
#include "kernel/map_reservations.h"

/*
 * A reservation XDP can answer as the daemon would: with an address (one
 * without is the daemon's: its client's dynamic lease carries the
 * extras), no options or hostname of its own (XDP sends the subnet's
 * options only), no boot fields that differ from the subnet's (XDP writes
 * the subnet's siaddr/sname/file).
 */
static bool plain(const struct dx_subnet_conf *sc,
		  const struct dx_reservation_conf *r)
{
	struct dx_bootp_conf b = sc->bootp;

	config_bootp_merge(&b, &r->bootp);
	return r->addr && !r->hostname && r->options.n == 0 &&
	       config_bootp_same(&b, &sc->bootp);
}

/* Keyed by hw-address, plain, and not shadowed by an identifier the
 * order puts first (config_mark_shadowed()). */
bool map_reservation_in_xdp(const struct dx_subnet_conf *sc,
			    const struct dx_reservation_conf *r)
{
	return r->has_hw && !r->client_id && !r->shadowed && plain(sc, r);
}

size_t map_reservations_in_xdp(const struct dx_subnet_conf *sc)
{
	size_t n = 0;

	for (size_t j = 0; j < sc->n_reservations; j++)
		n += map_reservation_in_xdp(sc, &sc->reservations[j]);
	return n;
}

/*
 * A reservation whose address a loaded lease still holds for another
 * client stays with the daemon: the engine lets that lease run to its
 * horizon and serves the reserved client from the pool meanwhile
 * (docs/protocol.md), which XDP cannot do. It reaches the map at the
 * first reload or restart after that lease has ended. A reservation
 * without hw-address (by circuit id) cannot tell its client's lease from
 * another's: any active lease holds it.
 */
bool map_reservation_held(const struct engine *e, uint32_t subnet_id,
			  const struct dx_reservation_conf *r)
{
	struct dx_lease_rec rec;

	return engine_lease_lookup(e, subnet_id, r->addr, &rec) == 0 &&
	       rec.state == DX_LEASE_ACTIVE &&
	       (!r->has_hw || memcmp(rec.mac, r->hw, 6));
}

bool map_reservation_wanted(const struct dx_config *cfg, const struct engine *e,
			    uint32_t subnet_id, const uint8_t mac[6],
			    uint32_t addr)
{
	const struct dx_subnet_conf *sc = config_subnet_by_id(cfg, subnet_id);

	for (size_t j = 0; sc && j < sc->n_reservations; j++) {
		const struct dx_reservation_conf *r = &sc->reservations[j];

		if (map_reservation_in_xdp(sc, r) && !memcmp(r->hw, mac, 6) &&
		    r->addr == addr)
			return !map_reservation_held(e, subnet_id, r);
	}
	return false;
}

/* ---- by circuit id ------------------------------------------------------ */

static size_t circuit_count(const struct dx_subnet_conf *sc)
{
	size_t n = 0;

	for (size_t j = 0; j < sc->n_reservations; j++)
		n += sc->reservations[j].circuit_id != NULL;
	return n;
}

/* Could a reservation by circuit id of sc's link match? */
static bool link_has_circuits(const struct dx_config *cfg,
			      const struct dx_subnet_conf *sc)
{
	if (!sc->shared_id)
		return circuit_count(sc) > 0;
	for (size_t i = 0; i < cfg->n_subnets; i++)
		if (cfg->subnets[i].shared_id == sc->shared_id &&
		    circuit_count(&cfg->subnets[i]))
			return true;
	return false;
}

/*
 * Does the order put an identifier before circuit-id that can match a
 * reservation of sc which XDP does not see? Then a circuit id found in
 * dx_circuits may not be the client's first match. hw-address is seen
 * when every reservation by it is in the lease map (the client's entry
 * is that reservation, DX_SUBNET_F_HW_FIRST); client-id and DUID ones
 * never are; flex-id never matches (config.h).
 */
static bool blind_before_circuit(const struct engine *e,
				 const struct dx_subnet_conf *sc,
				 const uint8_t *ids, size_t n, bool *hw_first)
{
	for (size_t i = 0; i < n && ids[i] != DX_HOST_ID_CIRCUIT_ID; i++) {
		for (size_t j = 0; j < sc->n_reservations; j++) {
			const struct dx_reservation_conf *r =
				&sc->reservations[j];

			if (ids[i] == DX_HOST_ID_HW && r->has_hw &&
			    (!map_reservation_in_xdp(sc, r) ||
			     map_reservation_held(e, sc->id, r)))
				return true;
			if ((ids[i] == DX_HOST_ID_CLIENT_ID && r->client_id) ||
			    (ids[i] == DX_HOST_ID_DUID && r->duid))
				return true;
		}
		*hw_first |= ids[i] == DX_HOST_ID_HW;
	}
	return false;
}

/*
 * XDP looks circuit ids up only where it finds what the engine finds
 * (engine_network.c, engine_client.c): not on a shared network, whose
 * walk for a reservation anywhere in it XDP does not make; not behind an
 * identifier it cannot see; and while every reservation by circuit id of
 * the configuration fits the map.
 */
uint16_t map_circuit_flags(const struct dx_config *cfg, const struct engine *e,
			   const struct dx_subnet_conf *sc)
{
	uint8_t ids[DX_HOST_IDS];
	size_t n = config_host_ids(cfg, ids), total = 0;
	bool hw_first = false;

	if (!config_host_id_used(cfg, DX_HOST_ID_CIRCUIT_ID) ||
	    !link_has_circuits(cfg, sc))
		return 0;
	for (size_t i = 0; i < cfg->n_subnets; i++)
		total += circuit_count(&cfg->subnets[i]);
	if (sc->shared_id || total > DX_MAX_CIRCUITS ||
	    blind_before_circuit(e, sc, ids, n, &hw_first))
		return DX_SUBNET_F_CIRCUIT_ID;
	return DX_SUBNET_F_CIRCUIT_MAP | (hw_first ? DX_SUBNET_F_HW_FIRST : 0);
}

int map_circuit_entry(const struct engine *e, const struct dx_subnet_conf *sc,
		      const struct dx_reservation_conf *r,
		      struct dx_circuit_key *k, struct dx_lease *l)
{
	if (!r->circuit_id || !r->circuit_id_len ||
	    r->circuit_id_len > DX_CIRCUIT_ID_MAX)
		return -EINVAL;
	memset(k, 0, sizeof(*k));
	memset(l, 0, sizeof(*l));
	k->subnet_id = sc->id;
	k->len = (uint32_t)r->circuit_id_len;
	memcpy(k->id, r->circuit_id, r->circuit_id_len);
	l->addr = htonl(r->addr);
	if (plain(sc, r) && !map_reservation_held(e, sc->id, r))
		l->flags = DX_LEASE_F_RESERVED;
	return 0;
}

bool map_reservation_fast(const struct dx_config *cfg, const struct engine *e,
			  const struct dx_subnet_conf *sc,
			  const struct dx_reservation_conf *r)
{
	struct dx_circuit_key k;
	struct dx_lease l;

	if (!r->circuit_id)
		return map_reservation_in_xdp(sc, r);
	return (map_circuit_flags(cfg, e, sc) & DX_SUBNET_F_CIRCUIT_MAP) &&
	       !map_circuit_entry(e, sc, r, &k, &l) && l.flags;
}
