/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Watching the host's interfaces (docs/design.md §7): an rtnetlink socket
 * subscribed to link and IPv4 address changes, so the daemon learns that
 * an interface it serves went away, came back (by name, with a new
 * ifindex) or changed its address, without polling.
 *
 * Events are hints, not state: the daemon looks the interfaces up again
 * (netif.h) once a burst has settled. A lost burst (the socket's queue
 * overflowed) is reported as LINK_EV_OVERRUN: then anything may have
 * changed.
 */
#ifndef DHCPXDP_LINK_WATCH_H
#define DHCPXDP_LINK_WATCH_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

enum link_ev_kind {
	LINK_EV_NEW,	 /* RTM_NEWLINK: appeared, or flags/name/MAC changed */
	LINK_EV_DEL,	 /* RTM_DELLINK: gone */
	LINK_EV_ADDR,	 /* RTM_NEWADDR, RTM_DELADDR (IPv4) */
	LINK_EV_OVERRUN, /* events were lost (ENOBUFS) */
};

struct link_event {
	enum link_ev_kind kind;
	uint32_t ifindex;	/* 0 for LINK_EV_OVERRUN */
	char name[IF_NAMESIZE]; /* "" when the message carried none */
};

typedef void (*link_event_fn)(const struct link_event *ev, void *arg);

struct link_watch {
	int fd; /* nonblocking; poll it for EPOLLIN */
};

/* Open and subscribe (RTMGRP_LINK, RTMGRP_IPV4_IFADDR). 0 or -errno. */
int link_watch_open(struct link_watch *w);
/* Safe on a zeroed struct with fd -1 and after a failed open. */
void link_watch_close(struct link_watch *w);
int link_watch_fd(const struct link_watch *w);

/*
 * Read every message waiting, without blocking, and call fn for each
 * link or address event (messages not from the kernel are ignored).
 * Returns the number of events, or -errno on a read error other than
 * EAGAIN and ENOBUFS.
 */
int link_watch_read(struct link_watch *w, link_event_fn fn, void *arg);

/*
 * Parse one buffer of rtnetlink messages as received (exposed for
 * tests). Returns the number of events passed to fn.
 */
int link_watch_parse(const void *buf, size_t len, link_event_fn fn, void *arg);

#endif /* DHCPXDP_LINK_WATCH_H */
