/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A configuration loaded from a string, for the unit tests of one part of
 * the configuration (tests/unit/test_config_*.c): load() keeps the result
 * in cfg and diag until the next load() or teardown(). Static inline, as
 * the other cmocka fixtures: the benchmarks link tests/lib without cmocka.
 */
#ifndef DHCPXDP_TESTS_CONFIG_FIXTURE_H
#define DHCPXDP_TESTS_CONFIG_FIXTURE_H

#include <errno.h>
#include <string.h>

#include "config/config.h"

static struct dx_config *cfg;
static struct config_diag diag;

static inline int teardown(void **state)
{
	(void)state;
	config_free(cfg);
	cfg = NULL;
	config_diag_free(&diag);
	memset(&diag, 0, sizeof(diag));
	return 0;
}

/* config_load_string()'s result; the file is named "t.json". */
static inline int load(const char *json)
{
	teardown(NULL);
	return config_load_string(json, "t.json", &cfg, &diag);
}

/* The load succeeds; else the test fails with the loader's message. */
static inline void expect_loads(const char *json)
{
	if (load(json))
		fail_msg("unexpected error: %s", diag.error);
	assert_non_null(cfg);
}

/* The load fails with exactly `msg`. */
static inline void expect_error(const char *json, const char *msg)
{
	assert_int_equal(load(json), -EINVAL);
	assert_null(cfg);
	assert_string_equal(diag.error, msg);
}

#endif /* DHCPXDP_TESTS_CONFIG_FIXTURE_H */
