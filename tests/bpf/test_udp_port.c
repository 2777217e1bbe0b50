// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The never-read UDP socket on port 67 (user/kernel/udp_port.c), in a
 * private network namespace: without it a datagram to port 67 draws an
 * ICMP port unreachable (a connected UDP socket sees ECONNREFUSED); with
 * it nothing comes back and nothing queues; a second server's socket
 * without SO_REUSEADDR makes the bind fail with EADDRINUSE.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>
#include "kernel/udp_port.h"

static const char *skip_reason;

static int group_setup(void **state)
{
	(void)state;
	if (geteuid() != 0 || unshare(CLONE_NEWNET) ||
	    system("ip link set lo up"))
		skip_reason = "needs root (netns); SKIPPING";
	return 0;
}

/* Send one datagram to 127.0.0.1:67 from a connected socket; the error
 * the socket then reports (0: none within 200 ms). */
static int send_to_67(void)
{
	struct sockaddr_in to = {.sin_family = AF_INET,
				 .sin_port = htons(67),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int s = socket(AF_INET, SOCK_DGRAM, 0), err = 0;
	struct pollfd p = {.fd = s, .events = POLLIN};
	socklen_t len = sizeof(err);
	char b[8];

	assert_true(s >= 0);
	assert_int_equal(connect(s, (struct sockaddr *)&to, sizeof(to)), 0);
	assert_int_equal(send(s, "request", 7, 0), 7);
	if (poll(&p, 1, 200) > 0 && recv(s, b, sizeof(b), MSG_DONTWAIT) < 0)
		err = errno;
	if (!err)
		getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len);
	close(s);
	return err;
}

static void test_port_unreachable_without(void **state)
{
	(void)state;
	if (skip_reason)
		skip();
	assert_int_equal(send_to_67(), ECONNREFUSED);
}

static void test_bound_silent_and_empty(void **state)
{
	char why[128];
	int fd, queued = -1;

	(void)state;
	if (skip_reason)
		skip();
	assert_int_equal(udp_port_open(&fd, why, sizeof(why)), 0);
	assert_int_equal(send_to_67(), 0);
	/* the filter dropped it: nothing waits to be read */
	assert_int_equal(ioctl(fd, FIONREAD, &queued), 0);
	assert_int_equal(queued, 0);
	udp_port_close(&fd);
	assert_int_equal(fd, -1);
	udp_port_close(&fd); /* safe twice */
}

static void test_held_by_another(void **state)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(67)};
	int other, fd;
	char why[128];

	(void)state;
	if (skip_reason)
		skip();
	other = socket(AF_INET, SOCK_DGRAM, 0);
	assert_int_equal(bind(other, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(udp_port_open(&fd, why, sizeof(why)), -EADDRINUSE);
	assert_int_equal(fd, -1);
	assert_non_null(strstr(why, "bind 0.0.0.0:67"));
	close(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_port_unreachable_without),
		cmocka_unit_test(test_bound_silent_and_empty),
		cmocka_unit_test(test_held_by_another),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
