// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The rtnetlink link watch on real interfaces, in a private network
 * namespace: a veth pair created, given an address, deleted and created
 * again under the same name (another ifindex) is reported as the daemon
 * needs it (user/kernel/link_watch.c; the parser alone is
 * tests/unit/test_link_watch.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>
#include <cmocka.h>
#include "kernel/link_watch.h"
#include "xdp_env.h"

static char root[] = "/tmp/dhcpxdp-test-linkwatch-XXXXXX";
static const char *skip_reason;

struct seen {
	struct link_event ev[64];
	int n;
};

static void collect(const struct link_event *ev, void *arg)
{
	struct seen *s = arg;

	if (s->n < 64)
		s->ev[s->n++] = *ev;
}

/* Read events for up to a second, until one of `kind` for `name`. */
static bool wait_for(struct link_watch *w, struct seen *s,
		     enum link_ev_kind kind, const char *name,
		     uint32_t *ifindex)
{
	for (int round = 0; round < 10; round++) {
		struct pollfd p = {.fd = link_watch_fd(w), .events = POLLIN};

		for (int i = 0; i < s->n; i++)
			if (s->ev[i].kind == kind &&
			    !strcmp(s->ev[i].name, name)) {
				if (ifindex)
					*ifindex = s->ev[i].ifindex;
				return true;
			}
		if (poll(&p, 1, 100) > 0)
			assert_true(link_watch_read(w, collect, s) >= 0);
	}
	return false;
}

static int group_setup(void **state)
{
	(void)state;
	if (geteuid() != 0) {
		skip_reason = "needs root (netns); SKIPPING";
		fprintf(stderr, "test_link_watch: %s\n", skip_reason);
		return 0;
	}
	return xdp_env_private_ns(root) ? -1 : 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (!skip_reason) {
		umount(root);
		rmdir(root);
	}
	return 0;
}

static void veth_lifecycle_reported(void **state)
{
	struct link_watch w = {.fd = -1};
	struct seen s = {.n = 0};
	uint32_t first = 0, gone = 0, second = 0, addr_if = 0;

	(void)state;
	if (skip_reason)
		skip();
	assert_int_equal(link_watch_open(&w), 0);
	assert_int_equal(system("ip link add dxw0 type veth peer name dxw1"),
			 0);
	assert_true(wait_for(&w, &s, LINK_EV_NEW, "dxw0", &first));
	assert_int_equal(first, if_nametoindex("dxw0"));

	assert_int_equal(system("ip addr add 10.66.0.1/24 dev dxw0"), 0);
	assert_true(wait_for(&w, &s, LINK_EV_ADDR, "dxw0", &addr_if));
	assert_int_equal(addr_if, first);

	s.n = 0;
	assert_int_equal(system("ip link del dxw0 && ip link add dxw0 type "
				"veth peer name dxw1"),
			 0);
	assert_true(wait_for(&w, &s, LINK_EV_DEL, "dxw0", &gone));
	assert_int_equal(gone, first);
	/* back by name, under another ifindex */
	s.n = 0;
	assert_int_equal(system("ip link set dxw0 up"), 0);
	assert_true(wait_for(&w, &s, LINK_EV_NEW, "dxw0", &second));
	assert_int_not_equal(second, first);
	assert_int_equal(second, if_nametoindex("dxw0"));
	link_watch_close(&w);
	assert_int_equal(w.fd, -1);
	assert_int_equal(system("ip link del dxw0"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(veth_lifecycle_reported),
	};

	return cmocka_run_group_tests_name("link_watch", tests, group_setup,
					   group_teardown);
}
