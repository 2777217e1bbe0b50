/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Logging: one line per event worth an operator's attention, rate-limited
 * per kind, with debug lines for per-packet detail (-v, or a DEBUG
 * severity in the configuration's `loggers`).
 *
 * The daemon's lines follow Kea's layout (docs/logging.md), so tools that
 * read Kea's logs read them too:
 *
 *   2026-12-03 23:20:01.123 INFO  [dhcpxdp/1234] DHCPXDP_LEASE_ALLOC text
 *
 * to stderr (the default), stdout, files rotated as Kea rotates them, or
 * syslog(3). When a stream is the journal (JOURNAL_STREAM names it) the
 * line starts with an sd-daemon(3) priority ("<6>") instead of the
 * timestamp, which the journal keeps itself. Before log_init() (the
 * command line tools) lines stay "dhcpxdp: error: text".
 */
#ifndef DHCPXDP_LOG_H
#define DHCPXDP_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "util/log_output.h"

/* The daemon's layout on stderr, INFO (verbose: DEBUG, debuglevel 99). */
void log_init(bool verbose);
/*
 * Send lines where c says (-v still shows every debug line). On failure
 * the previous outputs stay and err says why; 0 or a negative errno.
 */
int log_configure(const struct log_conf *c, char *err, size_t errlen);
/* Close files and syslog; lines go to stderr again. */
void log_fini(void);

/* Would a line of this level (and debug level) be written? */
bool log_enabled(int level, unsigned int dbg);
/* Per-packet debug lines are on. */
bool log_verbose(void);

/* The level for a Kea severity name, or -EINVAL. */
int log_level_parse(const char *name);

void log_id(int level, const char *id, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void log_dbg_id(unsigned int dbg, const char *id, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A line without an ID of its own: DHCPXDP_GENERAL. */
void log_msg(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * At most one line per `interval_s` for one kind of event; the next line
 * says how many were suppressed meanwhile. `now` is monotonic seconds.
 */
struct log_limit {
	int64_t next;
	uint64_t suppressed;
};
void log_limited(struct log_limit *l, int64_t now, int interval_s, int level,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#define log_err(...)  log_msg(LOG_LVL_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...)                                            \
	do {                                                      \
		if (log_verbose())                                \
			log_dbg_id(LOG_DBG_PKT, "DHCPXDP_PACKET", \
				   __VA_ARGS__);                  \
	} while (0)

#endif /* DHCPXDP_LOG_H */
