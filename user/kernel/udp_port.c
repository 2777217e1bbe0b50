// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The never-read UDP socket on port 67 (udp_port.h).
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/filter.h>

#include <dhcpxdp/dhcp_wire.h>

#include "kernel/udp_port.h"

/*
 * The kernel answers ICMP port unreachable only when no socket takes the
 * datagram; a socket found but whose filter refuses it drops it quietly.
 * "Return 0" keeps no byte of anything, so the socket's queue stays empty
 * and nobody needs to drain it: requests are served from the packet
 * sockets, which see the same frames on their own.
 */
static const struct sock_filter drop_all[] = {
	BPF_STMT(BPF_RET | BPF_K, 0),
};

int udp_port_open(int *fd, char *why, size_t len)
{
	struct sock_fprog prog = {
		.len = sizeof(drop_all) / sizeof(drop_all[0]),
		.filter = (struct sock_filter *)drop_all,
	};
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(DHCP_SERVER_PORT),
		.sin_addr.s_addr = htonl(INADDR_ANY),
	};
	const char *step;
	int one = 1, s, ret = 0;

	if (!fd || !why || !len)
		return -EINVAL;
	*fd = -1;
	step = "socket";
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s < 0) {
		ret = -errno;
		goto out;
	}
	step = "SO_REUSEADDR";
	if (setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
		goto fail;
	step = "SO_ATTACH_FILTER";
	if (setsockopt(s, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)))
		goto fail;
	step = "bind 0.0.0.0:67";
	if (bind(s, (struct sockaddr *)&sin, sizeof(sin)))
		goto fail;
	*fd = s;
	return 0;
fail:
	ret = -errno;
	close(s);
out:
	snprintf(why, len, "%s: %s", step, strerror(-ret));
	return ret;
}

void udp_port_close(int *fd)
{
	if (fd && *fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}
