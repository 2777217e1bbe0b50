/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The capabilities loading, attaching and serving need, checked before
 * anything is touched so a start without them fails with one line that
 * names them (rather than an EPERM deep in libbpf). Read with capget(2):
 * no libcap.
 */
#ifndef DHCPXDP_CAPS_H
#define DHCPXDP_CAPS_H

#include <stddef.h>

enum {
	CAPS_BPF = 1 << 0,	 /* CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN */
	CAPS_NET_ADMIN = 1 << 1, /* attaching XDP, loading an XDP program */
	CAPS_NET_RAW = 1 << 2,	 /* the packet sockets */
};

/* What `dhcpxdp run` needs. */
#define CAPS_RUN (CAPS_BPF | CAPS_NET_ADMIN | CAPS_NET_RAW)

/*
 * How many of `need` this process lacks in its effective set (0: none),
 * their names joined by ", " in `names`; -errno when they cannot be read.
 * CAP_SYS_ADMIN stands for CAP_BPF and CAP_PERFMON, as the kernel accepts
 * it; on a kernel without them (before 5.8) it is the one named.
 */
int caps_missing(unsigned int need, char *names, size_t len);

#endif /* DHCPXDP_CAPS_H */
