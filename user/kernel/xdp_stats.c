// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "kernel/xdp_stats.h"

#define X_NAME(id, name, help) name,
#define X_HELP(id, name, help) help,
static const char *const names[DX_STAT_MAX] = {DX_STATS(X_NAME)};
static const char *const helps[DX_STAT_MAX] = {DX_STATS(X_HELP)};
#undef X_NAME
#undef X_HELP

const char *xdp_stat_name(int stat)
{
	return stat >= 0 && stat < DX_STAT_MAX ? names[stat] : "unknown";
}

const char *xdp_stat_help(int stat)
{
	return stat >= 0 && stat < DX_STAT_MAX ? helps[stat] : "";
}

int xdp_stats_read(int stats_fd, uint64_t out[DX_STAT_MAX])
{
	int ncpu = libbpf_num_possible_cpus(), ret = 0;
	struct dx_stats *per_cpu;
	uint32_t key = 0;

	if (stats_fd < 0 || !out)
		return -EINVAL;
	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	per_cpu = calloc((size_t)ncpu, sizeof(*per_cpu));
	if (!per_cpu)
		return -ENOMEM;
	if (bpf_map_lookup_elem(stats_fd, &key, per_cpu)) {
		ret = -errno;
		goto out;
	}
	memset(out, 0, sizeof(uint64_t) * DX_STAT_MAX);
	for (int c = 0; c < ncpu; c++)
		for (int i = 0; i < DX_STAT_MAX; i++)
			out[i] += per_cpu[c].counters[i];
out:
	free(per_cpu);
	return ret;
}
