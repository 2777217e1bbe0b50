/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What the daemon needs to know about an interface it serves: index, MAC
 * and the IPv4 address that becomes the server identifier there.
 */
#ifndef DHCPXDP_NETIF_H
#define DHCPXDP_NETIF_H

#include <net/if.h>
#include <stdint.h>

struct netif {
	char name[IF_NAMESIZE];
	uint32_t ifindex;
	uint8_t mac[6];
	uint32_t addr; /* host order */
};

/*
 * Resolve `name`. `want_addr` (host order, 0 = any) picks the address as
 * Kea's "eth0/192.0.2.1" does; otherwise the interface's first IPv4
 * address. -ENODEV (no such interface), -EADDRNOTAVAIL (no usable IPv4,
 * or not the one asked for), -ENOTSUP (not an Ethernet interface).
 */
int netif_lookup(const char *name, uint32_t want_addr, struct netif *out);

/* netif_lookup's failures in words, for "interface eth0: ..." lines. */
const char *netif_strerror(int err);

#endif /* DHCPXDP_NETIF_H */
