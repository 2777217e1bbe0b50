/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * VLAN devices (docs/configuration.md, "Interfaces"): where the frames of
 * an interface named in the configuration really arrive. A Linux VLAN
 * device (rtnetlink link kind "vlan") receives nothing of its own: the
 * frames arrive tagged on its lower device, where the XDP program runs
 * and the daemon's packet socket listens, and the tags name the network.
 *
 * Two stackings are networks: an 802.1Q device on an Ethernet device
 * (one C-tag, IEEE 802.1Q), and an 802.1Q device on an 802.1ad device on
 * an Ethernet device (QinQ: S-tag then C-tag, IEEE 802.1ad). Any other -
 * a lone 802.1ad device, 802.1Q on 802.1Q, three levels - is refused.
 */
#ifndef DHCPXDP_VLAN_H
#define DHCPXDP_VLAN_H

#include <net/if.h>
#include <stdint.h>

struct vlan_link {
	uint32_t lower_ifindex; /* frames arrive here; the device itself
				 * when it is not a VLAN device */
	char lower[IF_NAMESIZE];
	uint16_t vlan;	/* C-tag VLAN id; 0: not a VLAN device */
	uint16_t svlan; /* S-tag VLAN id (QinQ); 0: none */
	/* The lower device's rtnetlink link kind ("veth", "bond", ...),
	 * "" for a hardware NIC's driver without one. */
	char lower_kind[16];
};

/*
 * Resolve the device with index `ifindex` by rtnetlink (RTM_GETLINK:
 * IFLA_LINKINFO kind "vlan", IFLA_VLAN_ID, IFLA_VLAN_PROTOCOL, IFLA_LINK
 * the lower device). 0, -ENODEV (gone), -EPROTONOSUPPORT (a stacking of
 * VLAN devices that is not a network, see above), -EXDEV (the lower
 * device is in another network namespace), or another -errno.
 */
int vlan_resolve(uint32_t ifindex, struct vlan_link *out);

#endif /* DHCPXDP_VLAN_H */
