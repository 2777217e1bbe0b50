/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Name change requests to a kea-dhcp-ddns server ("D2"), as Kea's DHCPv4
 * server sends them: JSON, each datagram a 2-byte length (network order)
 * and the JSON text (Kea's NameChangeRequest::toFormat), over UDP from
 * sender-ip:sender-port to server-ip:server-port. A bounded queue in
 * front of a non-blocking socket: the packet path never waits for D2; a
 * request the queue has no room for is dropped, counted and logged.
 */
#ifndef DHCPXDP_DDNS_H
#define DHCPXDP_DDNS_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "engine/engine.h"
#include "util/log.h"

/* Room for the longest request: a 254-byte name and the fixed keys. */
#define DDNS_MSG_MAX 1024

struct ddns_counters {
	uint64_t *queued, *sent, *dropped, *send_errors;
};

struct ddns_sender {
	int fd; /* -1: DNS updates off */
	struct sockaddr_in server;
	/* the queue: cap messages, each [len hi][len lo][JSON] */
	uint8_t **msg;
	uint16_t *len;
	size_t cap, head, n;
	struct ddns_counters cnt;
	struct log_limit lim_drop, lim_send;
};

/*
 * D2's JSON for one request (Kea's NameChangeRequest::toJSON) into buf:
 * change-type, forward-change, reverse-change, fqdn, ip-address, dhcid
 * (hex), lease-expires-on (YYYYMMDDHHMMSS, UTC), lease-length, then
 * use-conflict-resolution (what D2 before 2.5 reads) and
 * conflict-resolution-mode (what D2 2.5 on reads). Its length, or
 * -ENOSPC.
 */
int ddns_ncr_json(const struct engine_ncr *n, char *buf, size_t cap);

/* Set up for conf: the socket when enable-updates, else off (fd -1).
 * 0, or a negative errno (the bind of sender-ip:sender-port failed). */
int ddns_open(struct ddns_sender *s, const struct dx_ddns_conf *conf,
	      struct ddns_counters cnt);
void ddns_close(struct ddns_sender *s);
/* Queue n requests and send what the socket takes now. */
void ddns_queue(struct ddns_sender *s, const struct engine_ncr *ncr, size_t n);
/* Send what is queued until the socket would block. */
void ddns_flush(struct ddns_sender *s);

#endif /* DHCPXDP_DDNS_H */
