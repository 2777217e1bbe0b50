// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The systemd watchdog (util/sd_watchdog.h): WATCHDOG_USEC and
 * WATCHDOG_PID into a ping interval as sd_watchdog_enabled(3) reads them,
 * and the timer sending "WATCHDOG=1" to a fake NOTIFY_SOCKET (a unix
 * datagram socket of the test's own, named by path and abstract).
 */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <cmocka.h>
#include "util/sd_watchdog.h"
#include "tmp_dir.h"

static void test_interval_is_half_the_timeout(void **state)
{
	uint64_t iv = 7;

	(void)state;
	assert_int_equal(sd_watchdog_interval("30000000", NULL, 42, &iv), 1);
	assert_int_equal(iv, 15000000);
	assert_int_equal(sd_watchdog_interval("3", NULL, 42, &iv), 1);
	assert_int_equal(iv, 1);
	/* Never 0: a zero timerfd interval would disarm it. */
	assert_int_equal(sd_watchdog_interval("1", NULL, 42, &iv), 1);
	assert_int_equal(iv, 1);
}

static void test_unset_is_off(void **state)
{
	uint64_t iv = 7;

	(void)state;
	assert_int_equal(sd_watchdog_interval(NULL, NULL, 42, &iv), 0);
	assert_int_equal(iv, 0);
	/* WATCHDOG_PID alone means nothing. */
	iv = 7;
	assert_int_equal(sd_watchdog_interval(NULL, "42", 42, &iv), 0);
	assert_int_equal(iv, 0);
}

static void test_pid_selects_the_process(void **state)
{
	uint64_t iv = 7;

	(void)state;
	assert_int_equal(sd_watchdog_interval("2000000", "42", 42, &iv), 1);
	assert_int_equal(iv, 1000000);
	/* Meant for another process (a parent that forked): off here. */
	iv = 7;
	assert_int_equal(sd_watchdog_interval("2000000", "41", 42, &iv), 0);
	assert_int_equal(iv, 0);
}

static void test_malformed_values_refused(void **state)
{
	static const char *bad_usec[] = {"",
					 "0",
					 "-5",
					 "+5",
					 " 5",
					 "5 ",
					 "5s",
					 "abc",
					 "0x10",
					 "18446744073709551615",
					 "99999999999999999999999"};
	static const char *bad_pid[] = {"", "0", "-1", "1x", " 1"};
	uint64_t iv;

	(void)state;
	for (size_t i = 0; i < sizeof(bad_usec) / sizeof(bad_usec[0]); i++) {
		iv = 7;
		if (sd_watchdog_interval(bad_usec[i], NULL, 42, &iv) != -EINVAL)
			fail_msg("WATCHDOG_USEC='%s' accepted", bad_usec[i]);
		assert_int_equal(iv, 0);
	}
	for (size_t i = 0; i < sizeof(bad_pid) / sizeof(bad_pid[0]); i++)
		if (sd_watchdog_interval("1000", bad_pid[i], 42, &iv) !=
		    -EINVAL)
			fail_msg("WATCHDOG_PID='%s' accepted", bad_pid[i]);
	assert_int_equal(sd_watchdog_interval("1000", NULL, 42, NULL), -EINVAL);
}

static void test_open_without_watchdog_is_off(void **state)
{
	struct sd_watchdog w;

	(void)state;
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	assert_int_equal(sd_watchdog_open(&w), 0);
	assert_int_equal(w.fd, -1);
	assert_int_equal(sd_watchdog_ping(&w), -EINVAL);
	sd_watchdog_close(&w);

	setenv("WATCHDOG_USEC", "garbage", 1);
	assert_int_equal(sd_watchdog_open(&w), -EINVAL);
	assert_int_equal(w.fd, -1);
	unsetenv("WATCHDOG_USEC");
}

/* A datagram socket standing for systemd's notification socket: bound to
 * `name` (a path, or "@..." for the abstract namespace). */
static int fake_notify_socket(const char *name)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	size_t n = strlen(name);
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	assert_true(n < sizeof(sa.sun_path));
	memcpy(sa.sun_path, name, n);
	if (sa.sun_path[0] == '@')
		sa.sun_path[0] = '\0';
	assert_int_equal(
		bind(fd, (struct sockaddr *)&sa,
		     (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n)),
		0);
	return fd;
}

/* Pings as the event loop sends them: wait for the timer, ping; what the
 * fake socket receives is counted. */
static int pings_received(const char *name, int rounds)
{
	struct sd_watchdog w;
	char buf[64];
	int sock = fake_notify_socket(name), got = 0;
	struct pollfd pfd;

	setenv("NOTIFY_SOCKET", name, 1);
	/* 20 ms: a ping every 10 ms. */
	setenv("WATCHDOG_USEC", "20000", 1);
	unsetenv("WATCHDOG_PID");
	assert_int_equal(sd_watchdog_open(&w), 1);
	assert_int_equal(w.interval_usec, 10000);
	assert_true(w.fd >= 0);
	pfd = (struct pollfd){.fd = w.fd, .events = POLLIN};
	for (int i = 0; i < rounds; i++) {
		assert_int_equal(poll(&pfd, 1, 1000), 1);
		assert_int_equal(sd_watchdog_ping(&w), 0);
	}
	for (;;) {
		ssize_t n = recv(sock, buf, sizeof(buf) - 1, MSG_DONTWAIT);

		if (n < 0)
			break;
		buf[n] = '\0';
		assert_string_equal(buf, "WATCHDOG=1");
		got++;
	}
	sd_watchdog_close(&w);
	assert_int_equal(w.fd, -1);
	close(sock);
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	return got;
}

static void test_pings_reach_a_path_socket(void **state)
{
	char dir[64], path[96];

	(void)state;
	assert_int_equal(tmp_dir_make(dir, sizeof(dir), "watchdog"), 0);
	snprintf(path, sizeof(path), "%s/notify", dir);
	assert_int_equal(pings_received(path, 3), 3);
	tmp_dir_remove(dir);
}

static void test_pings_reach_an_abstract_socket(void **state)
{
	char name[64];

	(void)state;
	snprintf(name, sizeof(name), "@dx_watchdog_%d", (int)getpid());
	assert_int_equal(pings_received(name, 2), 2);
}

/* The PID check applies to the timer too: no timer, nothing sent. */
static void test_other_pid_sends_nothing(void **state)
{
	struct sd_watchdog w;
	char pid[32];

	(void)state;
	snprintf(pid, sizeof(pid), "%d", (int)getpid() + 1);
	setenv("WATCHDOG_USEC", "20000", 1);
	setenv("WATCHDOG_PID", pid, 1);
	assert_int_equal(sd_watchdog_open(&w), 0);
	assert_int_equal(w.fd, -1);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	setenv("WATCHDOG_PID", pid, 1);
	assert_int_equal(sd_watchdog_open(&w), 1);
	assert_true(w.fd >= 0);
	sd_watchdog_close(&w);
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_interval_is_half_the_timeout),
		cmocka_unit_test(test_unset_is_off),
		cmocka_unit_test(test_pid_selects_the_process),
		cmocka_unit_test(test_malformed_values_refused),
		cmocka_unit_test(test_open_without_watchdog_is_off),
		cmocka_unit_test(test_pings_reach_a_path_socket),
		cmocka_unit_test(test_pings_reach_an_abstract_socket),
		cmocka_unit_test(test_other_pid_sends_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
