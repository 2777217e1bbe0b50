// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Reading the XDP counters (user/kernel/xdp_stats.c): summed over every
 * possible CPU, and a stats map of another shape (pinned by another
 * dhcpxdp build, with more counters) refused instead of overrunning the
 * buffer sized for this build's counters.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <cmocka.h>
#include "kernel/xdp_stats.h"

static int make_stats_map(size_t value_size)
{
	return bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "dx_stats_t", 4,
			      (uint32_t)value_size, 1, NULL);
}

static void test_sums_every_cpu(void **state)
{
	int ncpu = libbpf_num_possible_cpus(), fd;
	struct dx_stats *v;
	uint64_t out[DX_STAT_MAX];
	uint32_t key = 0;

	(void)state;
	if (geteuid() != 0)
		skip();
	fd = make_stats_map(sizeof(struct dx_stats));
	assert_true(fd >= 0);
	v = calloc((size_t)ncpu, sizeof(*v));
	assert_non_null(v);
	for (int c = 0; c < ncpu; c++) {
		v[c].counters[DX_STAT_ACK] = 10 + (uint64_t)c;
		v[c].counters[DX_STAT_MAX - 1] = 1;
	}
	assert_int_equal(bpf_map_update_elem(fd, &key, v, BPF_ANY), 0);
	assert_int_equal(xdp_stats_read(fd, out), 0);
	assert_int_equal(out[DX_STAT_ACK],
			 10 * (uint64_t)ncpu +
				 (uint64_t)ncpu * (uint64_t)(ncpu - 1) / 2);
	assert_int_equal(out[DX_STAT_MAX - 1], (uint64_t)ncpu);
	assert_int_equal(out[DX_STAT_OFFER], 0);
	free(v);
	close(fd);
}

static void test_other_shape_refused(void **state)
{
	uint64_t out[DX_STAT_MAX];
	int fd;

	(void)state;
	if (geteuid() != 0)
		skip();
	/* A later build with eight more counters. */
	fd = make_stats_map(sizeof(struct dx_stats) + 64);
	assert_true(fd >= 0);
	assert_int_equal(xdp_stats_read(fd, out), -EPROTO);
	close(fd);
	assert_int_equal(xdp_stats_read(-1, out), -EINVAL);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(xdp_stat_name(DX_STAT_ACK), "ack");
	assert_string_equal(xdp_stat_name(-1), "unknown");
	assert_string_equal(xdp_stat_name(DX_STAT_MAX), "unknown");
	assert_true(strlen(xdp_stat_help(DX_STAT_ACK)) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sums_every_cpu),
		cmocka_unit_test(test_other_shape_refused),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
