// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Levels, the line layout and rate limits (log.h); outputs: log_output.c. */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include "util/log.h"
#include "util/log_output.h"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static bool daemon_layout; /* log_init() called: not the CLI's layout */
static bool verbose_on;	   /* -v: every debug line, whatever configured */
static int severity = LOG_LVL_INFO;
static unsigned int debuglevel;
static struct log_sinks sinks;

int log_level_parse(const char *name)
{
	static const int lv[] = {LOG_LVL_FATAL, LOG_LVL_ERR, LOG_LVL_WARN,
				 LOG_LVL_INFO, LOG_LVL_DEBUG};

	for (size_t i = 0; i < sizeof(lv) / sizeof(lv[0]); i++)
		if (!strcasecmp(name, log_level_name(lv[i])))
			return lv[i];
	return -EINVAL;
}

void log_init(bool verbose)
{
	struct log_conf c;
	char err[128];

	log_conf_default(&c);
	pthread_mutex_lock(&mu);
	daemon_layout = true;
	verbose_on = verbose;
	pthread_mutex_unlock(&mu);
	(void)log_configure(&c, err, sizeof(err));
}

int log_configure(const struct log_conf *c, char *err, size_t errlen)
{
	struct log_sinks fresh;
	int ret;

	if (!c)
		return -EINVAL;
	/* Open the new outputs first: a file that cannot be opened leaves
	 * the lines where they went. */
	ret = log_sinks_open(c, &fresh, err, errlen);
	if (ret)
		return ret;
	pthread_mutex_lock(&mu);
	log_sinks_close(&sinks);
	sinks = fresh;
	severity = c->severity;
	debuglevel = c->debuglevel;
	pthread_mutex_unlock(&mu);
	return 0;
}

void log_fini(void)
{
	pthread_mutex_lock(&mu);
	log_sinks_close(&sinks);
	pthread_mutex_unlock(&mu);
}

bool log_enabled(int level, unsigned int dbg)
{
	/* -v is Kea's -d: DEBUG at level 99, whatever the loggers say. */
	if (verbose_on)
		return true;
	if (level < LOG_LVL_DEBUG)
		return level <= severity;
	return severity >= LOG_LVL_DEBUG && dbg <= debuglevel;
}

bool log_verbose(void)
{
	return log_enabled(LOG_LVL_DEBUG, LOG_DBG_PKT);
}

static void vlog(int level, const char *id, const char *fmt, va_list ap)
{
	static const char *const tag[8] = {[LOG_LVL_FATAL] = "fatal: ",
					   [LOG_LVL_ERR] = "error: ",
					   [LOG_LVL_WARN] = "warning: "};
	char text[1024];

	vsnprintf(text, sizeof(text), fmt, ap);
	pthread_mutex_lock(&mu);
	if (!daemon_layout)
		fprintf(stderr, "dhcpxdp: %s%s\n",
			level >= 0 && level < 8 && tag[level] ? tag[level] : "",
			text);
	else
		log_sinks_write(&sinks, level, id, text);
	pthread_mutex_unlock(&mu);
}

void log_id(int level, const char *id, const char *fmt, ...)
{
	va_list ap;

	if (!log_enabled(level, 0))
		return;
	va_start(ap, fmt);
	vlog(level, id, fmt, ap);
	va_end(ap);
}

void log_dbg_id(unsigned int dbg, const char *id, const char *fmt, ...)
{
	va_list ap;

	if (!log_enabled(LOG_LVL_DEBUG, dbg))
		return;
	va_start(ap, fmt);
	vlog(LOG_LVL_DEBUG, id, fmt, ap);
	va_end(ap);
}

void log_msg(int level, const char *fmt, ...)
{
	va_list ap;

	if (!log_enabled(level, LOG_DBG_PKT))
		return;
	va_start(ap, fmt);
	vlog(level, "DHCPXDP_GENERAL", fmt, ap);
	va_end(ap);
}

void log_limited(struct log_limit *l, int64_t now, int interval_s, int level,
		 const char *fmt, ...)
{
	char line[900];
	va_list ap;

	if (now < l->next) {
		l->suppressed++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (l->suppressed)
		log_msg(level, "%s (%llu similar suppressed)", line,
			(unsigned long long)l->suppressed);
	else
		log_msg(level, "%s", line);
	l->suppressed = 0;
	l->next = now + interval_s;
}
