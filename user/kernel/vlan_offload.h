/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Hardware VLAN stripping and the XDP program (docs/design.md §1,
 * "VLANs"). A NIC with rx-vlan-offload on removes the 802.1Q tag before
 * XDP runs and hands it over in the descriptor: the program then sees a
 * VLAN's request as untagged. Reading the tag back needs the
 * bpf_xdp_metadata_rx_vlan_tag kfunc (Linux 6.8+, a device-bound
 * program, drivers that implement it), which the program does not use:
 * it must load on 5.10 and be shared by every interface. So dhcpxdp
 * turns the offload off where it can, and where it cannot (or where the
 * device passes on tags its sender left in the skb, as veth does) it
 * does not let XDP answer frames that look untagged on a device with
 * VLAN networks: the daemon, which reads the tag from PACKET_AUXDATA,
 * answers them.
 */
#ifndef DHCPXDP_VLAN_OFFLOAD_H
#define DHCPXDP_VLAN_OFFLOAD_H

#include <stdbool.h>
#include "kernel/netif.h"

/*
 * Turn rx-vlan-offload (ETH_FLAG_RXVLAN) off on `ifname`. *changed says
 * whether it was on. 0 (off now, or never on), -EOPNOTSUPP (on and fixed
 * by the driver), -EPERM (needs CAP_NET_ADMIN), or another -errno.
 */
int vlan_offload_rx_off(const char *ifname, bool *changed);

/*
 * Does XDP on nif's lower device see every frame's VLAN tag? True for a
 * hardware NIC (no rtnetlink link kind) with rx-vlan-offload off. False
 * when the offload is on or cannot be read, and for software devices
 * (veth, bond, ...): they pass on a tag their sender left in skb
 * metadata whatever their own setting.
 */
bool vlan_offload_tags_seen(const struct netif *nif);

#endif /* DHCPXDP_VLAN_OFFLOAD_H */
