// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/log.h"

static bool verbose_on;
static bool to_journal;

void log_init(bool verbose)
{
	verbose_on = verbose;
	/* systemd sets JOURNAL_STREAM when stderr is the journal. */
	to_journal = getenv("JOURNAL_STREAM") != NULL;
}

bool log_verbose(void)
{
	return verbose_on;
}

static void vlog(int level, const char *fmt, va_list ap)
{
	static const char *const tag[8] = {
		[LOG_LVL_ERR] = "error: ", [LOG_LVL_WARN] = "warning: "};
	char line[1024];

	vsnprintf(line, sizeof(line), fmt, ap);
	if (to_journal)
		fprintf(stderr, "<%d>%s\n", level, line);
	else
		fprintf(stderr, "dhcpxdp: %s%s\n",
			level >= 0 && level < 8 && tag[level] ? tag[level] : "",
			line);
}

void log_msg(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(level, fmt, ap);
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
