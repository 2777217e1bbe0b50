/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What the daemon needs to know about an interface it serves: index, MAC
 * and the IPv4 address that becomes the server identifier there; and,
 * for a VLAN device, the lower device its frames arrive on and their tags
 * (kernel/vlan.h): the network is (lower, svlan, vlan).
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
	/* Where frames of this network arrive, XDP runs and the packet
	 * socket listens: the interface itself unless a VLAN device. */
	uint32_t lower_ifindex;
	char lower[IF_NAMESIZE];
	char lower_kind[16]; /* rtnetlink link kind of lower, "" for none */
	uint16_t vlan;	     /* 802.1Q C-tag VLAN id, 0: untagged */
	uint16_t svlan;	     /* 802.1ad S-tag VLAN id (QinQ), 0: none */
};

/*
 * Resolve `name`. `want_addr` (host order, 0 = any) picks the address as
 * Kea's "eth0/192.0.2.1" does; otherwise the interface's first IPv4
 * address. -ENODEV (no such interface), -EADDRNOTAVAIL (no usable IPv4,
 * or not the one asked for), -ENOTSUP (not an Ethernet interface),
 * -EPROTONOSUPPORT, -EXDEV (a VLAN device that is not a network, or on a
 * device in another namespace: vlan_resolve()).
 */
int netif_lookup(const char *name, uint32_t want_addr, struct netif *out);

/*
 * Kea's interfaces "*": the interfaces that are up, not loopback, have an
 * IPv4 address and netif_lookup() resolves (an Ethernet device), in
 * the order getifaddrs() lists them. At most `max` names into `names`;
 * returns how many, or -errno.
 */
int netif_all(char (*names)[IF_NAMESIZE], size_t max);

/* netif_lookup's failures in words, for "interface eth0: ..." lines. */
const char *netif_strerror(int err);

#endif /* DHCPXDP_NETIF_H */
