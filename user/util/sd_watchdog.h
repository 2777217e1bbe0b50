/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The service watchdog (WatchdogSec=), read as sd_watchdog_enabled(3)
 * reads it, without libsystemd: systemd passes WATCHDOG_USEC (and
 * WATCHDOG_PID, the process it expects the pings from) and restarts the
 * service when no "WATCHDOG=1" arrives within that time. The pings come
 * from a timer in the daemon's event loop, so a loop that stops turning
 * stops them.
 */
#ifndef DHCPXDP_SD_WATCHDOG_H
#define DHCPXDP_SD_WATCHDOG_H

#include <stdint.h>
#include <sys/types.h>

struct sd_watchdog {
	int fd;			/* timerfd, -1 when the watchdog is off */
	uint64_t interval_usec; /* between two pings; 0 when off */
};

/*
 * The ping interval for process `pid` from the values of WATCHDOG_USEC and
 * WATCHDOG_PID (NULL when unset): half the timeout, as systemd advises, so
 * a late ping still arrives in time. 1 with *interval_usec set when the
 * watchdog is on for `pid`; 0 (and *interval_usec 0) when WATCHDOG_USEC
 * is unset or WATCHDOG_PID names another process; -EINVAL when either is
 * not a positive decimal number.
 */
int sd_watchdog_interval(const char *usec, const char *wpid, pid_t pid,
			 uint64_t *interval_usec);

/*
 * From this process's environment: a timer firing every interval when the
 * watchdog is on (1), w->fd -1 when it is off (0); -errno on failure
 * (-EINVAL: malformed variables), w->fd -1 then too.
 */
int sd_watchdog_open(struct sd_watchdog *w);

/* On the timer: consume its expirations and send "WATCHDOG=1". 0 or
 * -errno of the send. */
int sd_watchdog_ping(struct sd_watchdog *w);

void sd_watchdog_close(struct sd_watchdog *w);

#endif
