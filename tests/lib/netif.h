/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Interface facts the benchmarks' packet generators need. */
#ifndef DHCPXDP_TEST_NETIF_H
#define DHCPXDP_TEST_NETIF_H

#include <stdint.h>

/* The MAC of `ifname` in the current network namespace. 0 or -errno. */
int netif_mac(const char *ifname, uint8_t mac[6]);

#endif
