// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * rx-vlan-offload through the legacy ETHTOOL_GFLAGS/SFLAGS ioctls: the
 * kernel maps ETH_FLAG_RXVLAN to NETIF_F_HW_VLAN_CTAG_RX, and refuses
 * the change with EOPNOTSUPP when the driver does not let it be toggled
 * (not in hw_features), without the string-set lookup ETHTOOL_SFEATURES
 * needs.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include "kernel/vlan_offload.h"

static int ethtool_flags(int fd, const char *ifname, uint32_t cmd,
			 uint32_t *flags)
{
	struct ethtool_value ev = {.cmd = cmd, .data = *flags};
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = (void *)&ev;
	if (ioctl(fd, SIOCETHTOOL, &ifr))
		return -errno;
	*flags = ev.data;
	return 0;
}

static int open_ctl(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	return fd < 0 ? -errno : fd;
}

int vlan_offload_rx_off(const char *ifname, bool *changed)
{
	uint32_t flags = 0;
	int fd, ret;

	if (!ifname || !changed)
		return -EINVAL;
	*changed = false;
	fd = open_ctl();
	if (fd < 0)
		return fd;
	ret = ethtool_flags(fd, ifname, ETHTOOL_GFLAGS, &flags);
	if (ret || !(flags & ETH_FLAG_RXVLAN))
		goto out;
	flags &= ~(uint32_t)ETH_FLAG_RXVLAN;
	ret = ethtool_flags(fd, ifname, ETHTOOL_SFLAGS, &flags);
	/* EINVAL: another flag in the set is fixed; the one we change is
	 * not ours to change either then. */
	if (ret == -EINVAL)
		ret = -EOPNOTSUPP;
	*changed = !ret;
out:
	close(fd);
	return ret;
}

bool vlan_offload_tags_seen(const struct netif *nif)
{
	uint32_t flags = 0;
	int fd, ret;

	if (!nif || nif->lower_kind[0])
		return false;
	fd = open_ctl();
	if (fd < 0)
		return false;
	ret = ethtool_flags(fd, nif->lower, ETHTOOL_GFLAGS, &flags);
	close(fd);
	return !ret && !(flags & ETH_FLAG_RXVLAN);
}
