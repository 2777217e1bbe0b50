/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Kea's HTTP and HTTPS control sockets (docs/control.md): the
 * control-sockets entries of socket-type "http" / "https". Each answers
 * POST requests whose body is a control command, dispatched as the Unix
 * socket's are (control_dispatch()), Kea's answer wrapped in a list as
 * Kea's HTTP sockets answer. libmicrohttpd serves them in "external epoll"
 * mode on the daemon's thread, as the metrics endpoint: their epoll sets
 * are gathered in one fd that the daemon's loop watches.
 *
 * Opened at start; a reload rebuilds them from the new configuration
 * (new TLS files, credentials, headers), keeping the listening socket of
 * an address and port that stays, and only once the new files are read
 * and checked: a reload that cannot open them is refused.
 */
#ifndef DHCPXDP_CONTROL_HTTP_H
#define DHCPXDP_CONTROL_HTTP_H

struct control_http;
struct daemon;
struct dx_config;

/* Connections served at once by one socket, and how long one may stay
 * idle (Kea's 10 s). */
#define CONTROL_HTTP_CONNECTIONS 16
#define CONTROL_HTTP_TIMEOUT_S	 10

/*
 * Open d->cfg's HTTP sockets (none is fine: the set stays, for a reload
 * that adds one). 0, or a negative errno after logging which socket and
 * why (a TLS file, an address in use).
 */
int control_http_open(struct daemon *d, struct control_http **out);
/* The fd for the daemon's epoll set: readable when a socket has work. */
int control_http_fd(const struct control_http *h);
/* Serve what is waiting (on that fd's events and the 1 s timer). */
void control_http_run(struct control_http *h);
/*
 * A reload: open next's sockets beside the current ones, not yet served.
 * 0, or a negative errno after logging why; then nothing changed. Follow
 * with control_http_commit() once the reload is done, or
 * control_http_abort() if it fails.
 */
int control_http_prepare(struct control_http *h, const struct dx_config *next);
/* Serve the prepared sockets; the previous ones stop accepting and close
 * once their connections are answered. */
void control_http_commit(struct control_http *h);
void control_http_abort(struct control_http *h);
/* Answers already queued go out (briefly), then everything is closed. */
void control_http_close(struct control_http *h);

#endif /* DHCPXDP_CONTROL_HTTP_H */
