/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Which reservations XDP answers, and from which map: by hw-address from
 * the lease map (dx_leases), by circuit id from dx_circuits. The rules
 * the map writer (map_sync.c), the status, listings and metrics share.
 */
#ifndef DHCPXDP_MAP_RESERVATIONS_H
#define DHCPXDP_MAP_RESERVATIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <dhcpxdp/abi.h>
#include "engine/engine.h"

struct dx_config;
struct dx_reservation_conf;
struct dx_subnet_conf;

/*
 * Whether XDP answers this reservation by hw-address (it has a lease-map
 * entry): the one rule for the map, the status and listings, and the
 * metrics.
 */
bool map_reservation_in_xdp(const struct dx_subnet_conf *sc,
			    const struct dx_reservation_conf *r);
/* How many of a subnet's reservations XDP answers from the lease map. */
size_t map_reservations_in_xdp(const struct dx_subnet_conf *sc);
/*
 * Does a lease the engine loaded hold r's address for another client?
 * Then the reservation stays with the daemon until a later sync.
 */
bool map_reservation_held(const struct engine *e, uint32_t subnet_id,
			  const struct dx_reservation_conf *r);
/*
 * Whether the lease map should hold a reservation entry (subnet, mac) ->
 * addr: cfg reserves it for XDP, and no lease the engine loaded holds the
 * address for another client. Entries for which this is false are
 * removed at start (a reservation dropped while the daemon was stopped).
 */
bool map_reservation_wanted(const struct dx_config *cfg, const struct engine *e,
			    uint32_t subnet_id, const uint8_t mac[6],
			    uint32_t addr);

/*
 * How XDP treats the requests of subnet sc that carry a circuit id:
 * 0 (no reservation by circuit id can match them), DX_SUBNET_F_CIRCUIT_ID
 * (pass them up), or DX_SUBNET_F_CIRCUIT_MAP, with DX_SUBNET_F_HW_FIRST
 * when hw-address comes before circuit-id (look them up in dx_circuits).
 */
uint16_t map_circuit_flags(const struct dx_config *cfg, const struct engine *e,
			   const struct dx_subnet_conf *sc);
/*
 * The dx_circuits entry of r, a reservation by circuit id of sc: 0 and
 * *k, *l filled, or -EINVAL when r has no circuit id XDP can look up.
 * l->flags is DX_LEASE_F_RESERVED when XDP may answer it, else 0.
 */
int map_circuit_entry(const struct engine *e, const struct dx_subnet_conf *sc,
		      const struct dx_reservation_conf *r,
		      struct dx_circuit_key *k, struct dx_lease *l);
/* Whether XDP answers r (either map), for listings. */
bool map_reservation_fast(const struct dx_config *cfg, const struct engine *e,
			  const struct dx_subnet_conf *sc,
			  const struct dx_reservation_conf *r);

#endif /* DHCPXDP_MAP_RESERVATIONS_H */
