/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Kea's forensic log (the libdhcp_legal_log.so hook), written by the
 * daemon itself: one line per grant, renewal, release and decline it
 * decided, in Kea's wording, into DIR/BASE.YYYYMMDD.txt, a new file each
 * local day as Kea's "time-unit": "day" (docs/logging.md). Lines of a
 * batch are written once it is durable, before its replies leave.
 */
#ifndef DHCPXDP_LEGAL_LOG_H
#define DHCPXDP_LEGAL_LOG_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct lease_event;
struct lease_events;

struct legal_log {
	char dir[PATH_MAX];
	char base[128];
	FILE *f;
	int day; /* YYYYMMDD of the open file */
	bool dirty;
};

/* Kea's entry for e, without the timestamp; its length (truncated to
 * cap - 1). */
size_t legal_log_format(char *out, size_t cap, const struct lease_event *e);

void legal_log_init(struct legal_log *l, const char *dir, const char *base);
/* One line per event, at local time now; 0 or a negative errno. */
int legal_log_write(struct legal_log *l, const struct lease_events *ev,
		    int64_t now);
/* The lines written so far on stable storage. */
int legal_log_sync(struct legal_log *l);
void legal_log_close(struct legal_log *l);

#endif /* DHCPXDP_LEGAL_LOG_H */
