// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* `dhcpxdp leases history` (user/cli/cmd_lease_history.c): the times it
 * takes, its options, and its answers from a real history file. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli/cli.h"
#include "store/lease_history.h"
#include "tmp_dir.h"

#define T0 1772546700 /* 2026-03-03T14:05:00Z */

static void test_times(void **state)
{
	int64_t t;

	(void)state;
	assert_int_equal(cli_parse_time("1772546700", &t), 0);
	assert_int_equal(t, T0);
	assert_int_equal(cli_parse_time("2026-03-03T14:05:00Z", &t), 0);
	assert_int_equal(t, T0);
	assert_int_equal(cli_parse_time("2026-03-03T14:05Z", &t), 0);
	assert_int_equal(t, T0);
	assert_int_equal(cli_parse_time("2026-03-03T15:05:00+01:00", &t), 0);
	assert_int_equal(t, T0);
	assert_int_equal(cli_parse_time("2026-03-03 09:35:00-0430", &t), 0);
	assert_int_equal(t, T0);
	assert_int_equal(cli_parse_time("2026-03-03Z", &t), 0);
	assert_int_equal(t, T0 - 14 * 3600 - 5 * 60);
	/* no zone: local time */
	setenv("TZ", "CET-1", 1);
	tzset();
	assert_int_equal(cli_parse_time("2026-03-03T15:05", &t), 0);
	assert_int_equal(t, T0);
	setenv("TZ", "UTC0", 1);
	tzset();
	assert_int_equal(cli_parse_time("2026-03-03T14:05:00", &t), 0);
	assert_int_equal(t, T0);
	/* refused */
	assert_int_equal(cli_parse_time("yesterday", &t), -EINVAL);
	assert_int_equal(cli_parse_time("2026-3-3", &t), -EINVAL);
	assert_int_equal(cli_parse_time("2026-13-03", &t), -EINVAL);
	assert_int_equal(cli_parse_time("2026-03-03T25:00", &t), -EINVAL);
	assert_int_equal(cli_parse_time("2026-03-03T14:05+1", &t), -EINVAL);
	assert_int_equal(cli_parse_time("2026-03-03T14:05:00ZZ", &t), -EINVAL);
	assert_int_equal(cli_parse_time("17725467OO", &t), -EINVAL);
	assert_int_equal(cli_parse_time("", &t), -EINVAL);
}

struct history_args {
	const char *config, *address, *at, *mac, *path;
	bool json;
};

/* Run the command on argv; its stdout into out. */
static int run(char *const *argv, int argc, char *out, size_t cap)
{
	char opts[256] = {0};
	char tmp[] = "/tmp/dx_cli_hist_out_XXXXXX";
	int fd = mkstemp(tmp), saved, ret;
	ssize_t n;

	assert_true(fd >= 0);
	assert_true(cmd_leases_history.opts_size <= sizeof(opts));
	ret = params_parse(&cmd_leases_history, argc, (char **)argv, opts);
	if (ret)
		goto done;
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	dup2(fd, STDOUT_FILENO);
	ret = cmd_leases_history.run(opts);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
done:
	n = pread(fd, out, cap - 1, 0);
	out[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(tmp);
	return ret;
}

static void grant(struct lease_hist *h, uint8_t last, int64_t s, int64_t e)
{
	struct lease_hist_row r = {.subnet_id = 1, .addr = 0xc0000207,
				   .start = s, .end = e};

	memcpy(r.mac, "\x02\x00\x00\x00\x00", 5);
	r.mac[5] = last;
	r.giaddr = 0xc0000201;
	r.circuit_len = 3;
	memcpy(r.circuit, "eth", 3);
	assert_int_equal(lease_hist_grant(h, &r), 0);
}

static void test_answers(void **state)
{
	char dir[64], path[128], out[4096], err[256];
	struct lease_hist *h;

	(void)state;
	setenv("TZ", "UTC0", 1);
	tzset();
	assert_int_equal(tmp_dir_make(dir, sizeof(dir), "cli_hist"), 0);
	snprintf(path, sizeof(path), "%s/h.sqlite3", dir);
	assert_int_equal(lease_hist_open(path, false, &h, err, sizeof(err)), 0);
	grant(h, 0x0a, T0 - 600, T0 + 600);
	grant(h, 0x0b, T0 + 60, T0 + 700); /* reuse: a's ends at T0 + 60 */
	lease_hist_close(h);
	{
		char *argv[] = {"leases history", "--address", "192.0.2.7",
				"--at", "2026-03-03T14:05:00Z", "--path", path};

		assert_int_equal(run(argv, 7, out, sizeof(out)), 0);
		assert_non_null(strstr(out, "192.0.2.7       02:00:00:00:00:0a"));
		assert_null(strstr(out, "02:00:00:00:00:0b"));
		assert_non_null(strstr(out, "2026-03-03T13:55:00+0000 "
					    "2026-03-03T14:06:00+0000 reuse"));
		assert_non_null(strstr(out, "relay=192.0.2.1 "
					    "circuit-id=65:74:68 remote-id=-"));
	}
	{
		char *argv[] = {"leases history", "--mac", "02:00:00:00:00:0b",
				"--json", "--path", path};

		assert_int_equal(run(argv, 6, out, sizeof(out)), 0);
		assert_string_equal(
			out,
			"[{\"address\": \"192.0.2.7\", \"hw-address\": "
			"\"02:00:00:00:00:0b\", \"client-id\": \"\", "
			"\"hostname\": \"\", \"subnet-id\": 1, \"start\": "
			"1772546760, \"end\": 1772547400, \"ended-by\": "
			"\"open\", \"relay\": {\"giaddr\": \"192.0.2.1\", "
			"\"circuit-id\": \"65:74:68\", \"remote-id\": \"\"}}]\n");
	}
	{
		/* all tenancies of the address, oldest first */
		char *argv[] = {"leases history", "--address", "192.0.2.7",
				"--path", path, "--json"};

		assert_int_equal(run(argv, 6, out, sizeof(out)), 0);
		assert_true(strstr(out, ":0a\"") < strstr(out, ":0b\""));
	}
	{
		char *argv[] = {"leases history", "--address", "192.0.2.8",
				"--at", "1772546700", "--path", path, "--json"};

		assert_int_equal(run(argv, 8, out, sizeof(out)), 0);
		assert_string_equal(out, "[]\n");
	}
	tmp_dir_remove(dir);
}

static void test_usage(void **state)
{
	char out[512];

	(void)state;
	{
		char *argv[] = {"leases history", "--at", "1772546700"};

		assert_int_equal(run(argv, 3, out, sizeof(out)), EXIT_USAGE);
	}
	{
		char *argv[] = {"leases history", "--address", "192.0.2.777"};

		assert_int_equal(run(argv, 3, out, sizeof(out)), EXIT_USAGE);
	}
	{
		char *argv[] = {"leases history", "--address", "192.0.2.7",
				"--at", "noon"};

		assert_int_equal(run(argv, 5, out, sizeof(out)), EXIT_USAGE);
	}
	{
		char *argv[] = {"leases history", "--mac", "02:00:00:00:00"};

		assert_int_equal(run(argv, 3, out, sizeof(out)), EXIT_USAGE);
	}
	{
		char *argv[] = {"leases history", "--mac", "02:00:00:00:00:01",
				"--path", "/nonexistent/h.sqlite3"};

		assert_int_equal(run(argv, 5, out, sizeof(out)), 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_answers),
		cmocka_unit_test(test_usage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
