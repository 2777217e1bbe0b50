// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Kea's legal log lines (legal_log.h); the wording is that of Kea's
 * forensic log hook for DHCPv4, so its readers need no change. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "daemon/lease_log.h"
#include "daemon/legal_log.h"
#include "util/fmt.h"

struct out {
	char *p;
	size_t cap, n;
};

static void put(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (o->n + 1 >= o->cap)
		return;
	va_start(ap, fmt);
	w = vsnprintf(o->p + o->n, o->cap - o->n, fmt, ap);
	va_end(ap);
	if (w > 0)
		o->n += (size_t)w < o->cap - o->n ? (size_t)w
						  : o->cap - o->n - 1;
}

/* "68:6f:77:64:79 (howdy)": hex, and the text when all of it prints. */
static void put_id(struct out *o, const uint8_t *b, size_t n)
{
	bool text = true;

	for (size_t i = 0; i < n; i++) {
		put(o, i ? ":%02x" : "%02x", b[i]);
		text = text && isprint(b[i]);
	}
	if (text)
		put(o, " (%.*s)", (int)n, (const char *)b);
}

/* Kea's lifetime: "[D days ]H hrs M mins S secs". */
static void put_duration(struct out *o, uint32_t s)
{
	if (s == UINT32_MAX) {
		put(o, "infinite duration");
		return;
	}
	if (s / 86400)
		put(o, "%u days ", s / 86400);
	put(o, "%u hrs %u mins %u secs", s / 3600 % 24, s / 60 % 60, s % 60);
}

size_t legal_log_format(char *buf, size_t cap, const struct lease_event *e)
{
	struct out o = {.p = buf, .cap = cap};
	char ip[FMT_IPV4_LEN], mac[FMT_MAC_LEN];
	bool release = !lease_event_is_grant(e) && !lease_event_is_renewal(e);

	if (!cap)
		return 0;
	buf[0] = '\0';
	/* Kea logs a renewal as an assignment, a decline as a release. */
	put(&o, "Address: %s has been %s", fmt_ipv4(ip, e->addr),
	    release ? "released" : "assigned");
	if (release) {
		put(&o, " from");
	} else {
		put(&o, " for ");
		put_duration(&o, e->lifetime);
		put(&o, " to");
	}
	put(&o, " a device with hardware address: hwtype=1 %s",
	    fmt_mac(mac, e->mac));
	if (e->cid_len) {
		put(&o, ", client-id: ");
		put_id(&o, e->cid, e->cid_len);
	}
	if (!e->giaddr)
		return o.n;
	put(&o, " connected via relay at address: %s", fmt_ipv4(ip, e->giaddr));
	if (e->circuit_len || e->remote_len)
		put(&o, ", identified by ");
	if (e->circuit_len) {
		put(&o, "circuit-id: ");
		put_id(&o, e->circuit, e->circuit_len);
	}
	if (e->remote_len) {
		put(&o, "%sremote-id: ", e->circuit_len ? " and " : "");
		put_id(&o, e->remote, e->remote_len);
	}
	return o.n;
}

void legal_log_init(struct legal_log *l, const char *dir, const char *base)
{
	memset(l, 0, sizeof(*l));
	snprintf(l->dir, sizeof(l->dir), "%s", dir);
	snprintf(l->base, sizeof(l->base), "%s", base);
}

/* The file of the local day of `now`, opened for appending. */
static int day_file(struct legal_log *l, const struct tm *tm)
{
	int day = (tm->tm_year + 1900) * 10000 + (tm->tm_mon + 1) * 100 +
		  tm->tm_mday;
	char path[PATH_MAX + 160];

	if (l->f && l->day == day)
		return 0;
	legal_log_close(l);
	snprintf(path, sizeof(path), "%s/%s.%08d.txt", l->dir, l->base, day);
	l->f = fopen(path, "ae");
	if (!l->f)
		return -errno;
	l->day = day;
	return 0;
}

int legal_log_write(struct legal_log *l, const struct lease_events *ev,
		    int64_t now)
{
	time_t t = (time_t)now;
	char stamp[64], line[1024];
	struct tm tm;
	int ret;

	if (!ev->n)
		return 0;
	localtime_r(&t, &tm);
	ret = day_file(l, &tm);
	if (ret)
		return ret;
	strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S %Z", &tm);
	for (size_t i = 0; i < ev->n; i++) {
		legal_log_format(line, sizeof(line), &ev->ev[i]);
		fprintf(l->f, "%s %s\n", stamp, line);
	}
	l->dirty = true;
	/* In the file (the page cache) before the replies leave. */
	return fflush(l->f) ? -errno : 0;
}

int legal_log_sync(struct legal_log *l)
{
	if (!l->f || !l->dirty)
		return 0;
	l->dirty = false;
	return fdatasync(fileno(l->f)) ? -errno : 0;
}

void legal_log_close(struct legal_log *l)
{
	if (l->f)
		fclose(l->f);
	l->f = NULL;
	l->day = 0;
}
