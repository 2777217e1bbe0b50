/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The load generator's figures: per exchange class the requests sent,
 * answered, dropped (no answer within the timeout), NAKed and answered
 * late, a latency histogram, and the summary as JSON and one human line.
 */
#ifndef DHCPXDP_LG_STATS_H
#define DHCPXDP_LG_STATS_H

#include <stdint.h>
#include <stdio.h>

/* Log-linear buckets of microseconds: 32 per power of two (3 % wide)
 * up to 2^40 µs. */
#define LG_HIST_SUB	32
#define LG_HIST_SHIFT	5
#define LG_HIST_BUCKETS (LG_HIST_SUB * 36)

struct lg_hist {
	uint64_t n, sum_us, min_us, max_us;
	uint64_t bucket[LG_HIST_BUCKETS];
};

void lg_hist_add(struct lg_hist *h, uint64_t us);
/* The value at percentile p (0 < p <= 100, nearest rank), in µs: the
 * middle of its bucket, exact below 64 µs. 0 when empty. */
double lg_hist_pct(const struct lg_hist *h, double p);

/* Exchanges: what a request waits for. A RELEASE waits for nothing. */
enum lg_class {
	LG_X_DISCOVER, /* DISCOVER -> OFFER */
	LG_X_SELECT,   /* REQUEST (SELECTING) -> ACK */
	LG_X_RENEW,    /* REQUEST (RENEWING) -> ACK */
	LG_X_REBIND,   /* REQUEST (REBINDING) -> ACK */
	LG_X_RELEASE,
	LG_X_FLOOD, /* a flood DISCOVER -> OFFER (lg_flood.h) */
	LG_X_MAX,
};

struct lg_class_stats {
	uint64_t sent, answered, dropped, naks, late;
	struct lg_hist lat;
};

struct lg_stats {
	struct lg_class_stats x[LG_X_MAX];
	uint64_t no_client;  /* a start found no client in the right state */
	uint64_t stray;	     /* replies to no request of ours */
	uint64_t relay_info; /* replies with option 82 echoed (relay mode) */
	uint64_t rx_frames, tx_frames, tx_errors, rx_ring_drops;
	uint64_t prebound; /* --bind-first: clients bound before the period */
	double wall_s, period_s, cpu_s;
};

const char *lg_class_name(enum lg_class c);
/* Requests of class DISCOVER per second of the sending period. */
double lg_stats_offered(const struct lg_stats *s);
/* % of DORA exchanges started that got no ACK: 1 - ACKs / DISCOVERs,
 * counting lost OFFERs and lost ACKs alike (as perfdhcp does). */
double lg_stats_dora_drops(const struct lg_stats *s);
void lg_stats_json(FILE *f, const struct lg_stats *s);
void lg_stats_line(FILE *f, const struct lg_stats *s);

#endif
