/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Logging to stderr (the journal under systemd): one line per event worth
 * an operator's attention, rate-limited per kind, with -v adding
 * per-packet detail. Lines carry a syslog priority prefix ("<3>") when
 * stderr is the journal, so journalctl shows their level.
 */
#ifndef DHCPXDP_LOG_H
#define DHCPXDP_LOG_H

#include <stdbool.h>
#include <stdint.h>

enum log_level {
	LOG_LVL_ERR = 3,
	LOG_LVL_WARN = 4,
	LOG_LVL_INFO = 6,
	LOG_LVL_DEBUG = 7,
};

void log_init(bool verbose);
bool log_verbose(void);
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
#define log_debug(...)                                       \
	do {                                                 \
		if (log_verbose())                           \
			log_msg(LOG_LVL_DEBUG, __VA_ARGS__); \
	} while (0)

#endif /* DHCPXDP_LOG_H */
