// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * `dhcpxdp stats`: the XDP program's counters, read from the pinned
 * per-CPU map, so it works whether or not the daemon runs.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <dhcpxdp/abi.h>
#include <dhcpxdp/stats.h>
#include "cli.h"

#define X_NAME(id, name, help) name,
#define X_HELP(id, name, help) help,
static const char *const stat_name[DX_STAT_MAX] = { DX_STATS(X_NAME) };
static const char *const stat_help[DX_STAT_MAX] = { DX_STATS(X_HELP) };

/* Sum every counter over the CPUs. */
static int read_stats(const char *pin_dir, uint64_t out[DX_STAT_MAX])
{
	char path[4096];
	struct dx_stats *per_cpu;
	int ncpu = libbpf_num_possible_cpus(), fd, ret = 0;
	uint32_t key = 0;

	snprintf(path, sizeof(path), "%s/%s", pin_dir, DX_MAP_STATS);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return -errno;
	per_cpu = calloc((size_t)(ncpu > 0 ? ncpu : 1), sizeof(*per_cpu));
	if (!per_cpu || ncpu <= 0) {
		ret = -ENOMEM;
		goto out;
	}
	if (bpf_map_lookup_elem(fd, &key, per_cpu)) {
		ret = -errno;
		goto out;
	}
	memset(out, 0, sizeof(uint64_t) * DX_STAT_MAX);
	for (int c = 0; c < ncpu; c++)
		for (int i = 0; i < DX_STAT_MAX; i++)
			out[i] += per_cpu[c].counters[i];
out:
	free(per_cpu);
	close(fd);
	return ret;
}

static void print_table(const uint64_t *v)
{
	for (int i = 0; i < DX_STAT_MAX; i++)
		printf("%-24s %12llu  %s\n", stat_name[i],
		       (unsigned long long)v[i], stat_help[i]);
}

static void print_json(const uint64_t *v)
{
	printf("{");
	for (int i = 0; i < DX_STAT_MAX; i++)
		printf("%s\"%s\": %llu", i ? ", " : "", stat_name[i],
		       (unsigned long long)v[i]);
	printf("}\n");
}

/* Text exposition format: counters by name, punt reasons as one metric
 * with a reason label. */
static void print_prometheus(const uint64_t *v)
{
	printf("# HELP dhcpxdp_xdp_punts_total Requests passed to the daemon, "
	       "by reason.\n# TYPE dhcpxdp_xdp_punts_total counter\n");
	for (int i = DX_STAT_PUNT_NOT_DHCP; i < DX_STAT_MAX; i++)
		printf("dhcpxdp_xdp_punts_total{reason=\"%s\"} %llu\n",
		       stat_name[i] + strlen("punt_"),
		       (unsigned long long)v[i]);
	for (int i = 0; i < DX_STAT_PUNT_NOT_DHCP; i++) {
		printf("# HELP dhcpxdp_xdp_%s_total %s.\n", stat_name[i],
		       stat_help[i]);
		printf("# TYPE dhcpxdp_xdp_%s_total counter\n", stat_name[i]);
		printf("dhcpxdp_xdp_%s_total %llu\n", stat_name[i],
		       (unsigned long long)v[i]);
	}
}

int cmd_stats(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "prometheus", no_argument, NULL, 'P' },
		{ "pin-dir", required_argument, NULL, 'p' },
		{ 0 },
	};
	const char *pin_dir = DHCPXDP_PIN_DIR_DEFAULT;
	uint64_t v[DX_STAT_MAX];
	int c, fmt = 0, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'j' || c == 'P') {
			fmt = c;
		} else if (c == 'p') {
			pin_dir = optarg;
		} else {
			cli_usage("stats", 1);
			return EXIT_USAGE;
		}
	}
	ret = read_stats(pin_dir, v);
	if (ret) {
		fprintf(stderr, "dhcpxdp stats: cannot read %s/%s: %s%s\n",
			pin_dir, DX_MAP_STATS, strerror(-ret),
			ret == -ENOENT ? " (is dhcpxdp attached? is bpffs "
					 "mounted? is --pin-dir right?)"
			: ret == -EPERM || ret == -EACCES
				? " (run as root)"
				: "");
		return 1;
	}
	if (fmt == 'j')
		print_json(v);
	else if (fmt == 'P')
		print_prometheus(v);
	else
		print_table(v);
	return 0;
}
