// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Reading option 82's sub-options and option 118 (relay_info.h).
 */
#include <dhcpxdp/dhcp_wire.h>

#include "wire/relay_info.h"

const uint8_t *relay_info_subopt(const uint8_t *ri, size_t len, uint8_t code,
				 size_t *vlen)
{
	size_t pos = 0;

	if (!ri || !vlen)
		return NULL;
	while (pos + 2 <= len && pos + 2 + ri[pos + 1] <= len) {
		if (ri[pos] == code) {
			*vlen = ri[pos + 1];
			return ri + pos + 2;
		}
		pos += 2 + (size_t)ri[pos + 1];
	}
	return NULL;
}

const uint8_t *relay_info_circuit_id(const struct dhcp_msg *m, size_t *len)
{
	if (!m || !m->relay_info)
		return NULL;
	return relay_info_subopt(m->relay_info, m->relay_info_len,
				 RFC3046_SUBOPT_CIRCUIT_ID, len);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/*
 * Kea (Dhcpv4Srv::selectSubnet): the link selection sub-option when the
 * request has option 82, else option 118; one of another length is
 * ignored. RFC 3527 §3: the relay names the client's link by an address
 * on it when giaddr, the address the server answers to, is on another.
 */
bool relay_info_select_addr(const struct dhcp_msg *m, uint32_t *addr)
{
	const uint8_t *v;
	size_t len = 0;

	if (!m || !addr)
		return false;
	if (m->relay_info)
		v = relay_info_subopt(m->relay_info, m->relay_info_len,
				      RFC3527_SUBOPT_LINK_SELECTION, &len);
	else
		v = dhcp_msg_option(m, DHCP_OPT_SUBNET_SELECTION, &len);
	if (!v || len != 4)
		return false;
	*addr = be32(v);
	return true;
}
