// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Resolving VLAN devices to (lower device, S-tag, C-tag) with one
 * RTM_GETLINK request per level. Plain linux/rtnetlink.h, no library.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include "kernel/vlan.h"

#define VLAN_MSG_MAX 32768 /* one RTM_NEWLINK answer, stats included */

/* What one level of a stacking says about itself. */
struct link_facts {
	char kind[16];	     /* IFLA_INFO_KIND, "" without one */
	uint32_t link;	     /* IFLA_LINK: the lower device of a VLAN */
	uint16_t vlan_id;    /* IFLA_VLAN_ID */
	uint16_t vlan_proto; /* IFLA_VLAN_PROTOCOL, host order */
	int other_netns;     /* IFLA_LINK_NETNSID present */
	char name[IF_NAMESIZE];
};

static const struct rtattr *nested_find(const struct rtattr *nest, int type)
{
	const struct rtattr *rta = RTA_DATA(nest);
	int len = (int)RTA_PAYLOAD(nest);

	for (; RTA_OK(rta, len); rta = RTA_NEXT(rta, len))
		if ((rta->rta_type & NLA_TYPE_MASK) == type)
			return rta;
	return NULL;
}

static void copy_str(char *dst, size_t cap, const struct rtattr *rta)
{
	size_t n = RTA_PAYLOAD(rta);

	if (n >= cap)
		n = cap - 1;
	memcpy(dst, RTA_DATA(rta), n);
	dst[n] = '\0';
}

static void read_linkinfo(const struct rtattr *info, struct link_facts *f)
{
	const struct rtattr *kind = nested_find(info, IFLA_INFO_KIND);
	const struct rtattr *data = nested_find(info, IFLA_INFO_DATA);
	const struct rtattr *a;

	if (kind)
		copy_str(f->kind, sizeof(f->kind), kind);
	if (!data || strcmp(f->kind, "vlan"))
		return;
	a = nested_find(data, IFLA_VLAN_ID);
	if (a && RTA_PAYLOAD(a) >= sizeof(uint16_t))
		memcpy(&f->vlan_id, RTA_DATA(a), sizeof(uint16_t));
	a = nested_find(data, IFLA_VLAN_PROTOCOL);
	if (a && RTA_PAYLOAD(a) >= sizeof(uint16_t)) {
		uint16_t be;

		memcpy(&be, RTA_DATA(a), sizeof(be));
		f->vlan_proto = ntohs(be);
	}
}

static void read_link(const struct nlmsghdr *nh, struct link_facts *f)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(nh);
	const struct rtattr *rta = IFLA_RTA(ifi);
	int len = (int)IFLA_PAYLOAD(nh);

	for (; RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		switch (rta->rta_type) {
		case IFLA_IFNAME:
			copy_str(f->name, sizeof(f->name), rta);
			break;
		case IFLA_LINK:
			if (RTA_PAYLOAD(rta) >= sizeof(uint32_t))
				memcpy(&f->link, RTA_DATA(rta),
				       sizeof(uint32_t));
			break;
		case IFLA_LINK_NETNSID:
			f->other_netns = 1;
			break;
		case IFLA_LINKINFO:
			read_linkinfo(rta, f);
			break;
		}
	}
}

/* RTM_GETLINK for one ifindex. */
static int get_link(int fd, uint32_t ifindex, struct link_facts *f)
{
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifi;
	} req = {
		.nh = {.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)),
		       .nlmsg_type = RTM_GETLINK,
		       .nlmsg_flags = NLM_F_REQUEST,
		       .nlmsg_seq = ifindex},
		.ifi = {.ifi_family = AF_UNSPEC, .ifi_index = (int)ifindex},
	};
	static __thread char buf[VLAN_MSG_MAX];
	const struct nlmsghdr *nh = (const struct nlmsghdr *)buf;
	ssize_t n;

	memset(f, 0, sizeof(*f));
	if (send(fd, &req, req.nh.nlmsg_len, 0) < 0)
		return -errno;
	do
		n = recv(fd, buf, sizeof(buf), 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (!NLMSG_OK(nh, (size_t)n))
		return -EIO;
	if (nh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(nh);

		return e->error ? e->error : -EIO;
	}
	if (nh->nlmsg_type != RTM_NEWLINK ||
	    nh->nlmsg_len < NLMSG_LENGTH(sizeof(struct ifinfomsg)))
		return -EIO;
	read_link(nh, f);
	return 0;
}

/*
 * Walk down from the named device: a C-tag level (802.1Q), then
 * optionally an S-tag level (802.1ad), then the device frames arrive on.
 */
static int walk(int fd, uint32_t ifindex, struct vlan_link *out)
{
	struct link_facts f;
	int ret, level;

	for (level = 0;; level++) {
		ret = get_link(fd, ifindex, &f);
		if (ret)
			return ret == -EINVAL ? -ENODEV : ret;
		if (strcmp(f.kind, "vlan"))
			break;
		if (f.other_netns)
			return -EXDEV;
		if (level == 0 && f.vlan_proto == ETH_P_8021Q)
			out->vlan = f.vlan_id;
		else if (level == 1 && f.vlan_proto == ETH_P_8021AD)
			out->svlan = f.vlan_id;
		else
			return -EPROTONOSUPPORT;
		if (!f.link)
			return -ENODEV;
		ifindex = f.link;
	}
	out->lower_ifindex = ifindex;
	memcpy(out->lower, f.name, sizeof(out->lower));
	memcpy(out->lower_kind, f.kind, sizeof(out->lower_kind));
	return 0;
}

int vlan_resolve(uint32_t ifindex, struct vlan_link *out)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
	struct timeval tv = {.tv_sec = 1};
	int fd, ret;

	if (!ifindex || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	/* The kernel answers at once; a bound wait keeps a wedged
	 * rtnetlink from hanging the daemon. */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		ret = -errno;
		goto out;
	}
	ret = walk(fd, ifindex, out);
out:
	close(fd);
	return ret;
}
