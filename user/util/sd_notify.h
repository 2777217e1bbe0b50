/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Readiness and status for systemd (Type=notify), without libsystemd. */
#ifndef DHCPXDP_SD_NOTIFY_H
#define DHCPXDP_SD_NOTIFY_H

/* Send `state` ("READY=1", "RELOADING=1", "STOPPING=1", "STATUS=...") to
 * $NOTIFY_SOCKET; 0 when not under systemd. */
int sd_notify_send(const char *state);

#endif
