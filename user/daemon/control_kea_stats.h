/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * dhcpxdp's counters under Kea's statistic names (Kea ARM, "Statistics"),
 * for statistic-get-all, statistic-get and the resets. Pure: the handler
 * (control_stats.c) reads the counters, this names, sums and resets them.
 *
 * Kea keeps each statistic as it changes; dhcpxdp's counters only ever
 * grow (the daemon's, and the XDP program's per-CPU ones, which no
 * control command may clear). A reset therefore records the value at
 * that moment as the statistic's base, and the statistic is reported
 * relative to it. Gauges (addresses in a pool) are not counters and are
 * not reset.
 */
#ifndef DHCPXDP_CONTROL_KEA_STATS_H
#define DHCPXDP_CONTROL_KEA_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "daemon/daemon_counters.h"
#include "engine/engine.h"

struct json_object;

#define KEA_STAT_NAME_MAX 80

struct kea_stat {
	char name[KEA_STAT_NAME_MAX];
	uint64_t value;
	bool gauge;
};

struct kea_stats {
	struct kea_stat *v;
	size_t n, cap;
};

/* What the statistics are made of. */
struct kea_stats_input {
	const struct daemon_counters *cnt;
	const uint64_t *xdp;   /* DX_STAT_MAX counters, NULL if unreadable */
	const uint64_t *drops; /* __ENGINE_DROP_MAX, by engine_drop_reason */
	const struct engine_subnet_stats *subnets;
	size_t n_subnets;
};

/* Every statistic, raw (no base applied). 0 or -ENOMEM. */
int kea_stats_build(const struct kea_stats_input *in, struct kea_stats *out);
void kea_stats_free(struct kea_stats *s);
/* The statistic of that name, or NULL. */
const struct kea_stat *kea_stats_find(const struct kea_stats *s,
				      const char *name);

/* Values recorded by resets, sorted by name. */
struct kea_stat_bases {
	struct kea_stat *v; /* value: the base */
	size_t n, cap;
};

/*
 * Subtract the bases. A counter below its base went backwards (the maps
 * were recreated, the daemon's counters are not reset otherwise): it
 * counts from zero, and its base is dropped.
 */
void kea_stats_apply_bases(struct kea_stats *s, struct kea_stat_bases *b);
/*
 * Reset one statistic (name) or, name NULL, every counter: its current
 * raw value becomes its base. 0, -ENOENT (no such statistic), -EINVAL (a
 * gauge), -ENOMEM.
 */
int kea_stats_reset(struct kea_stat_bases *b, const struct kea_stats *raw,
		    const char *name);
void kea_stat_bases_free(struct kea_stat_bases *b);

/* Kea's sample list: [[value, "YYYY-MM-DD HH:MM:SS.ffffff"]] (local time). */
struct json_object *kea_stat_samples(uint64_t value,
				     const struct timespec *when);

#endif
