// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * rtnetlink notifications of link and IPv4 address changes, parsed into
 * the few facts the daemon needs: which interface (index, name) and what
 * kind of change. Plain linux/rtnetlink.h, no library.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include "kernel/link_watch.h"

/* A burst of changes (a bridge with many ports going down) must not
 * overflow the queue before the loop reads it. */
#define LINK_WATCH_RCVBUF (1 << 20)

int link_watch_open(struct link_watch *w)
{
	struct sockaddr_nl sa = {
		.nl_family = AF_NETLINK,
		.nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR,
	};
	int size = LINK_WATCH_RCVBUF, ret;

	if (!w)
		return -EINVAL;
	w->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
		       NETLINK_ROUTE);
	if (w->fd < 0)
		return -errno;
	/* A smaller buffer only means an earlier overrun: not fatal. */
	(void)setsockopt(w->fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (bind(w->fd, (struct sockaddr *)&sa, sizeof(sa))) {
		ret = -errno;
		close(w->fd);
		w->fd = -1;
		return ret;
	}
	return 0;
}

void link_watch_close(struct link_watch *w)
{
	if (w && w->fd >= 0) {
		close(w->fd);
		w->fd = -1;
	}
}

int link_watch_fd(const struct link_watch *w)
{
	return w ? w->fd : -1;
}

/* Copy a string attribute (not always NUL-terminated on the wire). */
static void attr_name(const struct rtattr *rta, char name[IF_NAMESIZE])
{
	size_t n = RTA_PAYLOAD(rta);

	if (n >= IF_NAMESIZE)
		n = IF_NAMESIZE - 1;
	memcpy(name, RTA_DATA(rta), n);
	name[n] = '\0';
}

/* The attribute `type` among those after a header of `hdr_len` bytes. */
static const struct rtattr *find_attr(const struct nlmsghdr *nh, size_t hdr_len,
				      unsigned short type)
{
	size_t off = NLMSG_LENGTH(hdr_len);

	off = NLMSG_ALIGN(off);
	while (off + sizeof(struct rtattr) <= nh->nlmsg_len) {
		const struct rtattr *rta =
			(const struct rtattr *)((const char *)nh + off);

		if (rta->rta_len < sizeof(*rta) ||
		    off + rta->rta_len > nh->nlmsg_len)
			break;
		if (rta->rta_type == type)
			return rta;
		off += RTA_ALIGN(rta->rta_len);
	}
	return NULL;
}

/* One message to an event; 0 when it is not one we report. */
static int to_event(const struct nlmsghdr *nh, struct link_event *ev)
{
	const struct rtattr *rta;

	memset(ev, 0, sizeof(*ev));
	switch (nh->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK: {
		const struct ifinfomsg *ifi = NLMSG_DATA(nh);

		if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
			return 0;
		ev->kind = nh->nlmsg_type == RTM_NEWLINK ? LINK_EV_NEW
							 : LINK_EV_DEL;
		ev->ifindex = (uint32_t)ifi->ifi_index;
		rta = find_attr(nh, sizeof(*ifi), IFLA_IFNAME);
		break;
	}
	case RTM_NEWADDR:
	case RTM_DELADDR: {
		const struct ifaddrmsg *ifa = NLMSG_DATA(nh);

		if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*ifa)) ||
		    ifa->ifa_family != AF_INET)
			return 0;
		ev->kind = LINK_EV_ADDR;
		ev->ifindex = ifa->ifa_index;
		/* IPv4's label is the interface name, or name:alias. */
		rta = find_attr(nh, sizeof(*ifa), IFA_LABEL);
		break;
	}
	default:
		return 0;
	}
	if (rta)
		attr_name(rta, ev->name);
	if (ev->kind == LINK_EV_ADDR) {
		char *colon = strchr(ev->name, ':');

		if (colon)
			*colon = '\0';
	}
	return 1;
}

int link_watch_parse(const void *buf, size_t len, link_event_fn fn, void *arg)
{
	size_t off = 0;
	int n = 0;

	if (!buf || !fn)
		return 0;
	while (off + sizeof(struct nlmsghdr) <= len) {
		const struct nlmsghdr *nh =
			(const struct nlmsghdr *)((const char *)buf + off);
		struct link_event ev;

		if (nh->nlmsg_len < sizeof(*nh) || off + nh->nlmsg_len > len)
			break;
		if (nh->nlmsg_type == NLMSG_DONE)
			break;
		if (to_event(nh, &ev)) {
			fn(&ev, arg);
			n++;
		}
		off += NLMSG_ALIGN(nh->nlmsg_len);
	}
	return n;
}

int link_watch_read(struct link_watch *w, link_event_fn fn, void *arg)
{
	char buf[16384] __attribute__((aligned(NLMSG_ALIGNTO)));
	int total = 0;

	if (!w || w->fd < 0 || !fn)
		return -EINVAL;
	for (;;) {
		struct sockaddr_nl from;
		socklen_t flen = sizeof(from);
		ssize_t n = recvfrom(w->fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&from, &flen);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return total;
			if (errno == ENOBUFS) {
				struct link_event ev = {
					.kind = LINK_EV_OVERRUN};

				fn(&ev, arg);
				total++;
				continue;
			}
			return -errno;
		}
		/* Only the kernel speaks on these groups; ignore the rest. */
		if (flen != sizeof(from) || from.nl_pid != 0)
			continue;
		total += link_watch_parse(buf, (size_t)n, fn, arg);
	}
}
