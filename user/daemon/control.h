/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The daemon's control socket (docs/design.md §5, docs/control.md): a Unix
 * stream socket, root only, taking one Kea-style JSON command per
 * connection:
 *
 *   {"command": "NAME", "arguments": {...}}
 *   -> {"result": 0|1|2|3, "text": "...", "arguments": {...}}
 *
 * with Kea's result codes. The daemon's epoll loop calls control_accept()
 * when the listening socket is readable; a connection is served to the
 * end at once, bounded in size and time so a slow client cannot stall
 * the daemon for long.
 */
#ifndef DHCPXDP_CONTROL_H
#define DHCPXDP_CONTROL_H

#include <stddef.h>
#include <stdint.h>

struct control;
struct daemon;
struct json_object;

/* Kea's result codes. */
enum control_result {
	CONTROL_SUCCESS = 0,
	CONTROL_ERROR = 1,
	CONTROL_UNSUPPORTED = 2,
	CONTROL_EMPTY = 3,
};

/* Largest request accepted, and how long one connection may take. */
#define CONTROL_REQUEST_MAX	 (64 * 1024)
#define CONTROL_READ_TIMEOUT_MS	 500
#define CONTROL_WRITE_TIMEOUT_MS 2000

/* Per-second samples kept for the fast-path share (one minute). */
#define CONTROL_WINDOW 60

/*
 * Create the socket named by d->cfg (parent directory 0700 if missing,
 * socket 0600; a stale socket file is replaced, a live one refused) and
 * set d->ctl. Returns 0 or a negative errno after logging why.
 */
int control_open(struct daemon *d);
/* The listening socket, for the daemon's epoll set. */
int control_fd(const struct control *ctl);
/* Close and unlink the socket; d->ctl becomes NULL. */
void control_close(struct daemon *d);
/* Serve the connections waiting on the socket. */
void control_accept(struct daemon *d);
/* Called on the daemon's 1 s timer: sample the reply counters. */
void control_tick(struct daemon *d);

/* ---- pure pieces (unit-tested without a daemon) -------------------- */

/*
 * Parse a request. On success returns 0, *command points into *req (valid
 * until json_object_put(*req)) and *args is its "arguments" object or
 * NULL. On failure returns -EINVAL with a reason in err (and *req NULL).
 */
int control_parse_request(const char *buf, size_t len, struct json_object **req,
			  const char **command, struct json_object **args,
			  char *err, size_t errlen);

/* {"result": result, "text": text[, "arguments": args]}; takes args. */
struct json_object *control_response(int result, const char *text,
				     struct json_object *args);

/* A ring of (XDP replies, daemon replies) totals, one per second. */
struct control_samples {
	uint64_t xdp[CONTROL_WINDOW + 1];
	uint64_t daemon[CONTROL_WINDOW + 1];
	size_t head; /* next slot written */
	size_t n;    /* samples held, <= CONTROL_WINDOW + 1 */
};

void control_samples_push(struct control_samples *s, uint64_t xdp,
			  uint64_t daemon);
/*
 * Replies by each path between the oldest and the newest sample (up to
 * CONTROL_WINDOW seconds); *seconds is the span, 0 with fewer than two
 * samples. A counter that went backwards (maps recreated) counts from 0.
 */
void control_samples_window(const struct control_samples *s, uint64_t *xdp,
			    uint64_t *daemon, unsigned int *seconds);

/* "aa:bb:cc:dd:ee:ff" (also '-' separated) -> mac; -EINVAL. */
int control_parse_mac(const char *s, uint8_t mac[6]);
/* Dotted quad -> host order; -EINVAL. */
int control_parse_ipv4(const char *s, uint32_t *addr);

#endif /* DHCPXDP_CONTROL_H */
