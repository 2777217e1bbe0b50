/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The three clocks the daemon reads. Lease times in the database are wall
 * clock (unix seconds); the XDP program can only read CLOCK_BOOTTIME, so
 * horizons and expiries in the lease map are on that clock (conversions:
 * kernel/map_sync.h); rate limits and timeouts use the monotonic clock,
 * which never jumps.
 */
#ifndef DHCPXDP_CLOCK_H
#define DHCPXDP_CLOCK_H

#include <stdint.h>

/* CLOCK_REALTIME, seconds. */
int64_t now_wall(void);
/* CLOCK_BOOTTIME, nanoseconds: bpf_ktime_get_boot_ns()'s clock. */
uint64_t now_boot_ns(void);
/* CLOCK_MONOTONIC, seconds, milliseconds and microseconds. */
int64_t now_mono(void);
int64_t now_mono_ms(void);
int64_t now_mono_us(void);

#endif
