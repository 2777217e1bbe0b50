// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <stdbool.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include "kernel/netif.h"
#include "kernel/vlan.h"

static int netif_mac(const char *name, uint8_t mac[6])
{
	struct ifreq ifr;
	int fd, ret = 0;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr))
		ret = -errno;
	else if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER)
		ret = -ENOTSUP;
	else
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	close(fd);
	return ret;
}

static int netif_addr(const char *name, uint32_t want, uint32_t *addr)
{
	struct ifaddrs *list, *ifa;
	int ret = -EADDRNOTAVAIL;

	if (getifaddrs(&list))
		return -errno;
	for (ifa = list; ifa; ifa = ifa->ifa_next) {
		uint32_t a;

		if (!ifa->ifa_addr || ifa->ifa_addr->sa_family != AF_INET ||
		    strcmp(ifa->ifa_name, name))
			continue;
		a = ntohl(
			((struct sockaddr_in *)ifa->ifa_addr)->sin_addr.s_addr);
		if (want && a != want)
			continue;
		*addr = a;
		ret = 0;
		break;
	}
	freeifaddrs(list);
	return ret;
}

/* A VLAN device's frames arrive on its lower device, tagged. */
static int netif_lower(struct netif *nif)
{
	struct vlan_link vl;
	int ret;

	ret = vlan_resolve(nif->ifindex, &vl);
	if (ret)
		return ret;
	nif->lower_ifindex = vl.lower_ifindex;
	memcpy(nif->lower, vl.lower, sizeof(nif->lower));
	memcpy(nif->lower_kind, vl.lower_kind, sizeof(nif->lower_kind));
	nif->vlan = vl.vlan;
	nif->svlan = vl.svlan;
	return 0;
}

int netif_lookup(const char *name, uint32_t want_addr, struct netif *out)
{
	int ret;

	if (!name || !out || strlen(name) >= IF_NAMESIZE)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%s", name);
	out->ifindex = if_nametoindex(name);
	if (!out->ifindex)
		return -ENODEV;
	ret = netif_mac(name, out->mac);
	if (ret)
		return ret;
	ret = netif_lower(out);
	if (ret)
		return ret;
	return netif_addr(name, want_addr, &out->addr);
}

const char *netif_strerror(int err)
{
	switch (err) {
	case -ENODEV:
		return "no such interface";
	case -EADDRNOTAVAIL:
		return "no (matching) IPv4 address to serve as server "
		       "identifier";
	case -ENOTSUP:
		return "not an Ethernet interface";
	case -EPROTONOSUPPORT:
		return "a VLAN device that is neither 802.1Q on Ethernet nor "
		       "802.1Q on 802.1ad (QinQ)";
	case -EXDEV:
		return "a VLAN device whose lower device is in another "
		       "network namespace";
	default:
		return strerror(-err);
	}
}

static bool listed(char (*names)[IF_NAMESIZE], size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return true;
	return false;
}

int netif_all(char (*names)[IF_NAMESIZE], size_t max)
{
	struct ifaddrs *list, *ifa;
	struct netif nif;
	size_t n = 0;

	if (getifaddrs(&list))
		return -errno;
	for (ifa = list; ifa && n < max; ifa = ifa->ifa_next) {
		if (!ifa->ifa_addr || ifa->ifa_addr->sa_family != AF_INET ||
		    !(ifa->ifa_flags & IFF_UP) ||
		    (ifa->ifa_flags & IFF_LOOPBACK) ||
		    strlen(ifa->ifa_name) >= IF_NAMESIZE ||
		    listed(names, n, ifa->ifa_name) ||
		    netif_lookup(ifa->ifa_name, 0, &nif))
			continue;
		snprintf(names[n++], IF_NAMESIZE, "%s", ifa->ifa_name);
	}
	freeifaddrs(list);
	return (int)n;
}
