// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Parsing rtnetlink notifications into link events
 * (link_watch_parse() in user/kernel/link_watch.c), without a socket:
 * a link created and deleted, an IPv4 address (its label with and
 * without an alias), an IPv6 address and other messages ignored, a
 * truncated message. The socket side, on a veth pair, is
 * tests/bpf/test_link_watch.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <cmocka.h>
#include "kernel/link_watch.h"

struct seen {
	struct link_event ev[8];
	int n;
};

static void collect(const struct link_event *ev, void *arg)
{
	struct seen *s = arg;

	if (s->n < 8)
		s->ev[s->n++] = *ev;
}

/* Append one message of `type` with a header of hdr_len bytes and an
 * optional string attribute; returns the new length. */
static size_t put_msg(uint8_t *buf, size_t off, uint16_t type, const void *hdr,
		      size_t hdr_len, uint16_t attr, const char *str)
{
	struct nlmsghdr *nh = (struct nlmsghdr *)(buf + off);
	size_t len = NLMSG_LENGTH(hdr_len);

	memset(nh, 0, NLMSG_SPACE(hdr_len));
	nh->nlmsg_type = type;
	memcpy(NLMSG_DATA(nh), hdr, hdr_len);
	if (str) {
		struct rtattr *rta =
			(struct rtattr *)(buf + off + NLMSG_ALIGN(len));
		size_t slen = strlen(str) + 1;

		rta->rta_type = attr;
		rta->rta_len = (unsigned short)RTA_LENGTH(slen);
		memcpy(RTA_DATA(rta), str, slen);
		len = NLMSG_ALIGN(len) + RTA_ALIGN(rta->rta_len);
	}
	nh->nlmsg_len = (uint32_t)len;
	return off + NLMSG_ALIGN(len);
}

static size_t put_link(uint8_t *buf, size_t off, uint16_t type, int ifindex,
		       const char *name)
{
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_index = ifindex};

	return put_msg(buf, off, type, &ifi, sizeof(ifi), IFLA_IFNAME, name);
}

static size_t put_addr(uint8_t *buf, size_t off, uint16_t type, int family,
		       uint32_t ifindex, const char *label)
{
	struct ifaddrmsg ifa = {.ifa_family = (uint8_t)family,
				.ifa_prefixlen = 24,
				.ifa_index = ifindex};

	return put_msg(buf, off, type, &ifa, sizeof(ifa), IFA_LABEL, label);
}

static void test_link_new_and_del(void **state)
{
	uint8_t buf[1024] __attribute__((aligned(4)));
	struct seen s = {.n = 0};
	size_t len = 0;

	(void)state;
	len = put_link(buf, len, RTM_NEWLINK, 7, "eth1");
	len = put_link(buf, len, RTM_DELLINK, 7, "eth1");
	assert_int_equal(link_watch_parse(buf, len, collect, &s), 2);
	assert_int_equal(s.ev[0].kind, LINK_EV_NEW);
	assert_int_equal(s.ev[0].ifindex, 7);
	assert_string_equal(s.ev[0].name, "eth1");
	assert_int_equal(s.ev[1].kind, LINK_EV_DEL);
	assert_int_equal(s.ev[1].ifindex, 7);
	assert_string_equal(s.ev[1].name, "eth1");
}

static void test_ipv4_addresses_only(void **state)
{
	uint8_t buf[1024] __attribute__((aligned(4)));
	struct seen s = {.n = 0};
	size_t len = 0;

	(void)state;
	len = put_addr(buf, len, RTM_NEWADDR, AF_INET, 3, "eth0");
	len = put_addr(buf, len, RTM_NEWADDR, AF_INET6, 3, NULL);
	len = put_addr(buf, len, RTM_DELADDR, AF_INET, 3, "eth0:1");
	assert_int_equal(link_watch_parse(buf, len, collect, &s), 2);
	assert_int_equal(s.ev[0].kind, LINK_EV_ADDR);
	assert_int_equal(s.ev[0].ifindex, 3);
	assert_string_equal(s.ev[0].name, "eth0");
	/* an alias's label names its interface */
	assert_int_equal(s.ev[1].kind, LINK_EV_ADDR);
	assert_string_equal(s.ev[1].name, "eth0");
}

static void test_other_messages_ignored(void **state)
{
	uint8_t buf[1024] __attribute__((aligned(4)));
	struct rtmsg rt = {.rtm_family = AF_INET};
	struct seen s = {.n = 0};
	size_t len = 0;

	(void)state;
	len = put_msg(buf, len, RTM_NEWROUTE, &rt, sizeof(rt), 0, NULL);
	len = put_link(buf, len, RTM_NEWLINK, 9, NULL); /* no name */
	assert_int_equal(link_watch_parse(buf, len, collect, &s), 1);
	assert_int_equal(s.ev[0].ifindex, 9);
	assert_string_equal(s.ev[0].name, "");
}

static void test_truncated_and_overlong_names(void **state)
{
	uint8_t buf[1024] __attribute__((aligned(4)));
	struct seen s = {.n = 0};
	size_t len = 0, whole;

	(void)state;
	len = put_link(buf, len, RTM_NEWLINK, 4, "a-name-longer-than-ifnamsiz");
	whole = len;
	len = put_link(buf, len, RTM_DELLINK, 5, "eth5");
	/* the second message cut short: only the first is read */
	assert_int_equal(link_watch_parse(buf, len - 8, collect, &s), 1);
	assert_int_equal(strlen(s.ev[0].name), 15);
	assert_int_equal(link_watch_parse(buf, whole - 1, collect, &s), 0);
	assert_int_equal(link_watch_parse(NULL, 0, collect, &s), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link_new_and_del),
		cmocka_unit_test(test_ipv4_addresses_only),
		cmocka_unit_test(test_other_messages_ignored),
		cmocka_unit_test(test_truncated_and_overlong_names),
	};

	return cmocka_run_group_tests_name("link_watch", tests, NULL, NULL);
}
