/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The daemon's control socket (docs/design.md §5, docs/control.md): a
 * Unix stream socket, root only, taking one Kea-style JSON command per
 * connection (control_json.h). The daemon's epoll loop calls
 * control_accept() when the listening socket is readable; a connection is
 * served to the end at once, bounded in size and time so a slow client
 * cannot stall the daemon for long.
 */
#ifndef DHCPXDP_CONTROL_H
#define DHCPXDP_CONTROL_H

#include <stdbool.h>

struct control;
struct daemon;

/* How long one connection may take. */
#define CONTROL_READ_TIMEOUT_MS	 500
#define CONTROL_WRITE_TIMEOUT_MS 2000

/* What a command may ask the daemon to do beyond reading its state and
 * committing lease changes (commit.h); daemon.c provides them. */
struct control_ops {
	/* Re-read the configuration: 0, or a negative errno with the
	 * previous configuration still served. */
	int (*reload)(struct daemon *d);
	/*
	 * Serve (or stop serving) an interface not in the configuration,
	 * at `dhcpxdp attach`/`detach`'s request. -EEXIST when it is
	 * already served, -EPERM when asked to stop serving a configured
	 * one, -ENOENT when it was not attached at run time, -ENOSPC when
	 * the list is full.
	 */
	int (*serve_interface)(struct daemon *d, const char *name, bool serve);
};

/*
 * Create the socket named by d->cfg (parent directory 0700 if missing,
 * socket 0600; a stale socket file is replaced, a live one refused) and
 * set d->ctl. Returns 0 or a negative errno after logging why.
 */
int control_open(struct daemon *d, const struct control_ops *ops);
/* The listening socket, for the daemon's epoll set. */
int control_fd(const struct control *ctl);
/* Close and unlink the socket; d->ctl becomes NULL. */
void control_close(struct daemon *d);
/* Serve the connections waiting on the socket. */
void control_accept(struct daemon *d);
/*
 * One request's text, as any control socket received it: parsed,
 * dispatched to its handler (the commit queue drained first) and
 * answered, Kea's {"result": ...} object (a bad request gets result 1).
 * The Unix socket and the HTTP ones (control_http.h) both come here.
 */
struct json_object;
struct json_object *control_dispatch(struct daemon *d, const char *buf,
				     size_t len);
/* Called on the daemon's 1 s timer: sample the reply counters. */
void control_tick(struct daemon *d);

#endif /* DHCPXDP_CONTROL_H */
