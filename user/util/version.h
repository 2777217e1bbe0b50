/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The release, as `dhcpxdp version`, the control socket and the metrics
 * report it (the ABI version of the maps is in dhcpxdp/abi.h). */
#ifndef DHCPXDP_VERSION_H
#define DHCPXDP_VERSION_H

#define DHCPXDP_VERSION "0.1.0"

#endif
