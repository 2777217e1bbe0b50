// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* util/log.c and util/log_output.c: Kea's line layout, the journal's,
 * severity filtering, and file rotation as Kea rotates. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/log.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/dhcpxdp-log-XXXXXX");
	assert_non_null(mkdtemp(dir));
	setenv("TZ", "UTC", 1);
	tzset();
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	log_fini();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) ? -1 : 0;
}

static void test_kea_layout(void **state)
{
	/* 2026-12-03 23:20:01.123 UTC */
	struct timespec ts = {.tv_sec = 1796340001, .tv_nsec = 123999999};
	char buf[256];

	(void)state;
	log_format(buf, sizeof(buf), &ts, LOG_LVL_INFO, 1234, false,
		   "DHCPXDP_LEASE_ALLOC", "lease 10.0.0.5 allocated");
	assert_string_equal(buf,
			    "2026-12-03 23:20:01.123 INFO  [dhcpxdp/1234] "
			    "DHCPXDP_LEASE_ALLOC lease 10.0.0.5 allocated");
	ts.tv_nsec = 5000000;
	log_format(buf, sizeof(buf), &ts, LOG_LVL_ERR, 7, false, "DHCPXDP_X",
		   "t");
	assert_string_equal(
		buf, "2026-12-03 23:20:01.005 ERROR [dhcpxdp/7] DHCPXDP_X t");
}

static void test_journal_layout(void **state)
{
	struct timespec ts = {0};
	char buf[128];

	(void)state;
	log_format(buf, sizeof(buf), &ts, LOG_LVL_WARN, 7, true, "DHCPXDP_X",
		   "text");
	assert_string_equal(buf, "<4>WARN  DHCPXDP_X text");
}

static void test_level_names(void **state)
{
	(void)state;
	assert_int_equal(log_level_parse("FATAL"), LOG_LVL_FATAL);
	assert_int_equal(log_level_parse("error"), LOG_LVL_ERR);
	assert_int_equal(log_level_parse("WARN"), LOG_LVL_WARN);
	assert_int_equal(log_level_parse("DEBUG"), LOG_LVL_DEBUG);
	assert_int_equal(log_level_parse("WARNING"), -EINVAL);
}

static size_t file_lines(const char *path, const char *needle)
{
	char line[1024];
	size_t n = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		n += strstr(line, needle) != NULL;
	fclose(f);
	return n;
}

static void file_conf(struct log_conf *c, const char *path, uint64_t maxsize,
		      uint32_t maxver)
{
	log_conf_default(c);
	c->n_out = 1;
	log_output_default(&c->out[0]);
	c->out[0].kind = LOG_OUT_FILE;
	snprintf(c->out[0].path, sizeof(c->out[0].path), "%s", path);
	c->out[0].maxsize = maxsize;
	c->out[0].maxver = maxver;
}

static void test_severity_filter(void **state)
{
	char path[128], err[128];
	struct log_conf c;

	(void)state;
	snprintf(path, sizeof(path), "%s/sev.log", dir);
	log_init(false);
	file_conf(&c, path, 0, 1);
	c.severity = LOG_LVL_WARN;
	assert_int_equal(log_configure(&c, err, sizeof(err)), 0);
	log_id(LOG_LVL_INFO, "DHCPXDP_T", "info line");
	log_id(LOG_LVL_WARN, "DHCPXDP_T", "warn line");
	log_dbg_id(LOG_DBG_LEASE, "DHCPXDP_T", "debug line");
	log_fini();
	assert_int_equal(file_lines(path, "info line"), 0);
	assert_int_equal(file_lines(path, "WARN  [dhcpxdp/"), 1);
	assert_int_equal(file_lines(path, "debug line"), 0);

	/* DEBUG shows debug lines up to debuglevel. */
	c.severity = LOG_LVL_DEBUG;
	c.debuglevel = LOG_DBG_LEASE;
	assert_int_equal(log_configure(&c, err, sizeof(err)), 0);
	log_dbg_id(LOG_DBG_LEASE, "DHCPXDP_T", "lease detail");
	log_dbg_id(LOG_DBG_PKT, "DHCPXDP_T", "packet detail");
	log_fini();
	assert_int_equal(file_lines(path, "lease detail"), 1);
	assert_int_equal(file_lines(path, "packet detail"), 0);
}

static void test_rotation(void **state)
{
	char path[128], p1[140], p2[140], p3[140], err[128];
	struct log_conf c;
	struct stat st;

	(void)state;
	snprintf(path, sizeof(path), "%s/rot.log", dir);
	snprintf(p1, sizeof(p1), "%s.1", path);
	snprintf(p2, sizeof(p2), "%s.2", path);
	snprintf(p3, sizeof(p3), "%s.3", path);
	log_init(false);
	file_conf(&c, path, 1000, 2);
	assert_int_equal(log_configure(&c, err, sizeof(err)), 0);
	/* ~80 bytes a line: 100 lines fill several files. */
	for (int i = 0; i < 100; i++)
		log_id(LOG_LVL_INFO, "DHCPXDP_T", "line %03d", i);
	log_fini();
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size <= 1000);
	assert_int_equal(stat(p1, &st), 0);
	assert_true(st.st_size <= 1000 && st.st_size > 500);
	assert_int_equal(stat(p2, &st), 0);
	assert_int_not_equal(stat(p3, &st), 0); /* maxver copies only */
	/* The newest line in the file, older ones in .1, then .2. */
	assert_int_equal(file_lines(path, "line 099"), 1);
	assert_int_equal(file_lines(p1, "line 099"), 0);
	assert_int_equal(file_lines(p2, "line 000"), 0);
}

static void test_rotate_names(void **state)
{
	char path[128], p1[140];
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/names.log", dir);
	snprintf(p1, sizeof(p1), "%s.1", path);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("first\n", f);
	fclose(f);
	assert_int_equal(log_file_rotate(path, 3), 0);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(file_lines(p1, "first"), 1);
	/* Nothing to rotate is not an error. */
	assert_int_equal(log_file_rotate(path, 3), 0);
}

static void test_unopenable_file_keeps_outputs(void **state)
{
	char err[256];
	struct log_conf c;

	(void)state;
	log_init(false);
	file_conf(&c, "/nonexistent-dir/x.log", 0, 1);
	assert_int_equal(log_configure(&c, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "/nonexistent-dir/x.log"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kea_layout),
		cmocka_unit_test(test_journal_layout),
		cmocka_unit_test(test_level_names),
		cmocka_unit_test(test_severity_filter),
		cmocka_unit_test(test_rotation),
		cmocka_unit_test(test_rotate_names),
		cmocka_unit_test(test_unopenable_file_keeps_outputs),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
