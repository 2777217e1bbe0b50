/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * How long replies wait for durability: per commit, the time from the
 * first lease change queued in its batch to the batch being durable
 * (docs/design.md §5, group commit). That includes the wait for the batch
 * in flight before it, which is what a client waiting for its ACK feels.
 * A Prometheus histogram (dhcpxdp_daemon_commit_wait_seconds), also in
 * dhcpxdp-statistic-get-all under "commit-wait".
 */
#ifndef DHCPXDP_COMMIT_WAIT_H
#define DHCPXDP_COMMIT_WAIT_H

#include <stdbool.h>
#include <stdint.h>

struct json_object;

/* Upper bounds of the buckets, in microseconds; +Inf is count. */
#define COMMIT_WAIT_BUCKETS 12
extern const uint64_t commit_wait_le_us[COMMIT_WAIT_BUCKETS];

struct commit_wait {
	uint64_t le[COMMIT_WAIT_BUCKETS]; /* cumulative, as Prometheus's */
	uint64_t count, sum_us;
};

void commit_wait_note(struct commit_wait *w, uint64_t us);
/* {"le-us": [...], "buckets": [...], "count": N, "sum-us": N} */
struct json_object *commit_wait_json(const struct commit_wait *w);
/* The same back (the CLI's metrics); false when absent or malformed. */
bool commit_wait_from_json(struct json_object *o, struct commit_wait *w);

#endif
