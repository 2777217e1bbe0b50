/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The classic BPF programs on the daemon's packet sockets (pkt_io.h): the
 * DHCP test every socket has, and in front of it, on a device carrying
 * several served networks (its own and VLANs on it), the choice of the
 * frames of one network, so that each socket there reads its own
 * network's requests instead of every socket reading all of them.
 */
#ifndef DHCPXDP_PKT_FILTER_H
#define DHCPXDP_PKT_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/filter.h>

/* Instructions of the DHCP test alone. */
#define PKT_FILTER_DHCP_LEN 23
/* The most networks sharing a device that a socket's program tells
 * apart; past it, every socket there takes every frame (the daemon sorts
 * them, as without these programs). */
#define PKT_FILTER_NETS_MAX 512
#define PKT_FILTER_MAX \
	(PKT_FILTER_DHCP_LEN + 40 + 5 * (PKT_FILTER_NETS_MAX + 1))

/* A network on a device, as XDP keys it: the VLAN tags (0: none). */
struct pkt_net {
	uint16_t svlan; /* 802.1ad S-tag of QinQ */
	uint16_t vlan;	/* 802.1Q (C-)tag */
};

/*
 * The DHCP test: IPv4 UDP to port 67, not fragmented, addressed to this
 * host, untagged or with one 802.1Q tag left in the frame. Writes
 * PKT_FILTER_DHCP_LEN instructions to out; returns that count.
 */
size_t pkt_filter_dhcp(struct sock_filter *out);

/*
 * The program of a socket serving network `own` on a device where the
 * `n` networks of `others` are served by other sockets: frames of own
 * and, with catch_rest, frames of no served network (the daemon counts
 * and drops those), then the DHCP test. Writes at most cap instructions;
 * returns their count, or -E2BIG (n > PKT_FILTER_NETS_MAX, or cap too
 * small).
 */
int pkt_filter_network(struct pkt_net own, const struct pkt_net *others,
		       size_t n, bool catch_rest, struct sock_filter *out,
		       size_t cap);

#endif /* DHCPXDP_PKT_FILTER_H */
