/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A UDP socket bound to 0.0.0.0:67 that is never read. The daemon
 * receives through packet sockets (pkt_io.h), which leave the host's UDP
 * stack without a socket on port 67: a relayed request XDP passes up,
 * unicast to our address, then also draws an ICMP port unreachable from
 * the host back to the relay (RFC 1122 §3.2.2.1). Kea and ISC dhcpd
 * bind the port; so does dhcpxdp, for that reason only.
 */
#ifndef DHCPXDP_UDP_PORT_H
#define DHCPXDP_UDP_PORT_H

#include <stddef.h>

/*
 * Open the socket: SO_REUSEADDR, a filter that drops every datagram
 * (attached before the bind, so none ever queues), bound to
 * INADDR_ANY:67. *fd is the socket, or -1. 0, or -errno with the step
 * that failed in `why` (-EACCES: needs CAP_NET_BIND_SERVICE; -EADDRINUSE:
 * another server holds the port).
 */
int udp_port_open(int *fd, char *why, size_t len);
/* Safe on -1. */
void udp_port_close(int *fd);

#endif
