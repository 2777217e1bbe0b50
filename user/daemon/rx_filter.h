/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Per-network socket filters (rx_filter.c): on a device carrying several
 * served networks, each interface's packet socket takes only its own
 * network's frames in the kernel.
 */
#ifndef DHCPXDP_RX_FILTER_H
#define DHCPXDP_RX_FILTER_H

struct daemon;

/* Give every served interface's socket the program its device calls for
 * now: after interfaces are opened, closed or come back. */
void rx_filters_refresh(struct daemon *d);

#endif
