/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Where log lines go (util/log.h): streams (the journal's layout when the
 * stream is the journal), files rotated as Kea rotates them, syslog(3).
 */
#ifndef DHCPXDP_LOG_OUTPUT_H
#define DHCPXDP_LOG_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

/* syslog(3) priorities, so a level is also the journal's prefix. */
enum log_level {
	LOG_LVL_FATAL = 2,
	LOG_LVL_ERR = 3,
	LOG_LVL_WARN = 4,
	LOG_LVL_INFO = 6,
	LOG_LVL_DEBUG = 7,
};

/* Kea's debug levels (0..99): a debug line shows when its level is at
 * most the configured debuglevel. */
#define LOG_DBG_LEASE 40 /* offers, horizon extensions, probation ends */
#define LOG_DBG_PKT   50 /* every packet's fate */
#define LOG_DBG_MAX   99

enum log_out_kind {
	LOG_OUT_STDERR = 1,
	LOG_OUT_STDOUT,
	LOG_OUT_SYSLOG,
	LOG_OUT_FILE,
};

#define LOG_OUTPUTS_MAX 4
#define LOG_PATH_MAX	256

struct log_output_conf {
	int kind;		 /* enum log_out_kind */
	int facility;		 /* LOG_OUT_SYSLOG: a syslog(3) facility */
	char path[LOG_PATH_MAX]; /* LOG_OUT_FILE */
	uint64_t maxsize;	 /* LOG_OUT_FILE: rotate past it; 0: never */
	uint32_t maxver;	 /* LOG_OUT_FILE: rotated copies kept */
	bool flush;		 /* written out line by line */
};

struct log_conf {
	int severity;	     /* enum log_level: the least severe shown */
	uint32_t debuglevel; /* with LOG_LVL_DEBUG: 0..99 */
	struct log_output_conf out[LOG_OUTPUTS_MAX];
	size_t n_out; /* 0: stderr */
};

/* Kea's defaults: INFO to stderr; a file rotates past 10240000 bytes,
 * keeping one copy, and is flushed line by line. */
#define LOG_DEFAULT_MAXSIZE 10240000
#define LOG_DEFAULT_MAXVER  1
void log_conf_default(struct log_conf *c);
void log_output_default(struct log_output_conf *o);

/* "FATAL", "ERROR", "WARN", "INFO", "DEBUG" (Kea's names). */
const char *log_level_name(int level);
/*
 * One line in the daemon's layout into buf (no newline); its length, as
 * snprintf. journal: "<N>" instead of the timestamp and process.
 */
int log_format(char *buf, size_t cap, const struct timespec *ts, int level,
	       long pid, bool journal, const char *id, const char *text);

struct log_sink {
	struct log_output_conf conf;
	FILE *f;       /* streams and files */
	bool journal;  /* the stream is the journal */
	uint64_t size; /* files: bytes in the current one */
};

struct log_sinks {
	struct log_sink s[LOG_OUTPUTS_MAX];
	size_t n;
};

/* Open what c lists (stderr when nothing). 0 or a negative errno, err set. */
int log_sinks_open(const struct log_conf *c, struct log_sinks *out, char *err,
		   size_t errlen);
void log_sinks_close(struct log_sinks *s);
void log_sinks_write(struct log_sinks *s, int level, const char *id,
		     const char *text);
/*
 * file -> file.1 -> ... -> file.maxver (the oldest dropped), as Kea's
 * rolling file appender does. 0 or a negative errno.
 */
int log_file_rotate(const char *path, uint32_t maxver);

#endif /* DHCPXDP_LOG_OUTPUT_H */
