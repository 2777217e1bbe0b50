/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What the server reads in a request's relay agent information (option
 * 82, RFC 3046) and subnet selection (118, RFC 3011) options: the
 * circuit id reservations may match, and the address that selects the
 * subnet ahead of giaddr.
 */
#ifndef DHCPXDP_WIRE_RELAY_INFO_H
#define DHCPXDP_WIRE_RELAY_INFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wire/dhcp_msg.h"

/*
 * Sub-option `code` of an option 82 value (RFC 3046 §2.0: code, length,
 * value, one after the other): its value and length, or NULL when absent.
 * The walk stops at a sub-option that runs past the option.
 */
const uint8_t *relay_info_subopt(const uint8_t *ri, size_t len, uint8_t code,
				 size_t *vlen);

/* The request's circuit id (sub-option 1, §2.1), or NULL. */
const uint8_t *relay_info_circuit_id(const struct dhcp_msg *m, size_t *len);

/*
 * The address a request names for subnet selection, as Kea reads it:
 * with option 82, its link selection sub-option (5, RFC 3527 §3) of 4
 * bytes; without 82, option 118 (RFC 3011 §3) of 4 bytes. true and
 * *addr (host order) when there is one.
 */
bool relay_info_select_addr(const struct dhcp_msg *m, uint32_t *addr);

#endif
