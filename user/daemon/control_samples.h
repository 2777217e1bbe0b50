/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Replies sent by XDP and by the daemon, sampled once a second, so the
 * status command can say what share of the last minute's answers the
 * fast path gave.
 */
#ifndef DHCPXDP_CONTROL_SAMPLES_H
#define DHCPXDP_CONTROL_SAMPLES_H

#include <stddef.h>
#include <stdint.h>

/* Per-second samples kept (one minute). */
#define CONTROL_WINDOW 60

/* A ring of (XDP replies, daemon replies) totals, one per second. */
struct control_samples {
	uint64_t xdp[CONTROL_WINDOW + 1];
	uint64_t daemon[CONTROL_WINDOW + 1];
	size_t head; /* next slot written */
	size_t n;    /* samples held, <= CONTROL_WINDOW + 1 */
};

void control_samples_push(struct control_samples *s, uint64_t xdp,
			  uint64_t daemon);
/*
 * Replies by each path between the oldest and the newest sample (up to
 * CONTROL_WINDOW seconds); *seconds is the span, 0 with fewer than two
 * samples. A counter that went backwards (maps recreated) counts from 0.
 */
void control_samples_window(const struct control_samples *s, uint64_t *xdp,
			    uint64_t *daemon, unsigned int *seconds);

#endif
