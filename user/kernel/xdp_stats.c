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

/*
 * A stats map pinned by another build may hold more counters than this
 * one knows: the kernel would write past a buffer sized for ours.
 */
static int check_shape(int stats_fd)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(stats_fd, &info, &len))
		return -errno;
	if (info.type != BPF_MAP_TYPE_PERCPU_ARRAY ||
	    info.value_size != sizeof(struct dx_stats) || info.key_size != 4)
		return -EPROTO;
	return 0;
}

int xdp_stats_read(int stats_fd, uint64_t out[DX_STAT_MAX])
{
	int ncpu = libbpf_num_possible_cpus(), ret;
	struct dx_stats *per_cpu;
	uint32_t key = 0;

	if (stats_fd < 0 || !out)
		return -EINVAL;
	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	ret = check_shape(stats_fd);
	if (ret)
		return ret;
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
