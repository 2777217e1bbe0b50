// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Where log lines go (log_output.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <stdio.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include "util/log_output.h"

void log_output_default(struct log_output_conf *o)
{
	memset(o, 0, sizeof(*o));
	o->kind = LOG_OUT_STDERR;
	o->facility = LOG_USER;
	o->maxsize = LOG_DEFAULT_MAXSIZE;
	o->maxver = LOG_DEFAULT_MAXVER;
	o->flush = true;
}

void log_conf_default(struct log_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->severity = LOG_LVL_INFO;
}

const char *log_level_name(int level)
{
	switch (level) {
	case LOG_LVL_FATAL:
		return "FATAL";
	case LOG_LVL_ERR:
		return "ERROR";
	case LOG_LVL_WARN:
		return "WARN";
	case LOG_LVL_INFO:
		return "INFO";
	default:
		return "DEBUG";
	}
}

int log_format(char *buf, size_t cap, const struct timespec *ts, int level,
	       long pid, bool journal, const char *id, const char *text)
{
	char when[32];
	struct tm tm;

	if (journal)
		return snprintf(buf, cap, "<%d>%-5s %s %s", level,
				log_level_name(level), id, text);
	/* Local time, as Kea writes it (%Y-%m-%d %H:%M:%S.%q). */
	localtime_r(&ts->tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	return snprintf(buf, cap, "%s.%03ld %-5s [dhcpxdp/%ld] %s %s", when,
			ts->tv_nsec / 1000000, log_level_name(level), pid, id,
			text);
}

/*
 * systemd sets JOURNAL_STREAM to "DEV:INODE" of the stream it connected;
 * a stream redirected elsewhere by the operator is not the journal, even
 * under systemd (sd-daemon(3), systemd.exec(5)).
 */
static bool is_journal(FILE *f)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (!js || sscanf(js, "%llu:%llu", &dev, &ino) != 2)
		return false;
	if (fstat(fileno(f), &st))
		return false;
	return (unsigned long long)st.st_dev == dev &&
	       (unsigned long long)st.st_ino == ino;
}

static int open_file(struct log_sink *k, char *err, size_t errlen)
{
	struct stat st;

	k->f = fopen(k->conf.path, "ae");
	if (!k->f) {
		snprintf(err, errlen, "cannot open log file %s: %s",
			 k->conf.path, strerror(errno));
		return -errno;
	}
	k->size = fstat(fileno(k->f), &st) ? 0 : (uint64_t)st.st_size;
	/* flush false: stdio's buffer, written out when full. */
	setvbuf(k->f, NULL, k->conf.flush ? _IOLBF : _IOFBF, BUFSIZ);
	return 0;
}

/* The process's id, read once per configuration rather than per line. */
static long self_pid;

int log_sinks_open(const struct log_conf *c, struct log_sinks *out, char *err,
		   size_t errlen)
{
	struct log_output_conf def;
	size_t n = c && c->n_out ? c->n_out : 1;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	self_pid = (long)getpid();
	log_output_default(&def);
	def.kind = LOG_OUT_STDERR;
	for (size_t i = 0; i < n && i < LOG_OUTPUTS_MAX; i++) {
		struct log_sink *k = &out->s[out->n];

		k->conf = c && c->n_out ? c->out[i] : def;
		switch (k->conf.kind) {
		case LOG_OUT_STDOUT:
		case LOG_OUT_STDERR:
			k->f = k->conf.kind == LOG_OUT_STDOUT ? stdout : stderr;
			k->journal = is_journal(k->f);
			break;
		case LOG_OUT_SYSLOG:
			openlog("dhcpxdp", LOG_PID | LOG_NDELAY,
				k->conf.facility);
			break;
		case LOG_OUT_FILE:
			ret = open_file(k, err, errlen);
			if (ret)
				goto out;
			break;
		default:
			snprintf(err, errlen, "unknown log output");
			ret = -EINVAL;
			goto out;
		}
		out->n++;
	}
out:
	if (ret)
		log_sinks_close(out);
	return ret;
}

void log_sinks_close(struct log_sinks *s)
{
	for (size_t i = 0; i < s->n; i++) {
		struct log_sink *k = &s->s[i];

		if (k->conf.kind == LOG_OUT_FILE && k->f)
			fclose(k->f);
		else if (k->conf.kind == LOG_OUT_SYSLOG)
			closelog();
		else if (k->f)
			fflush(k->f);
	}
	s->n = 0;
}

int log_file_rotate(const char *path, uint32_t maxver)
{
	char from[LOG_PATH_MAX + 16], to[LOG_PATH_MAX + 16];

	if (!maxver)
		return unlink(path) && errno != ENOENT ? -errno : 0;
	for (uint32_t v = maxver; v > 1; v--) {
		snprintf(from, sizeof(from), "%s.%u", path, v - 1);
		snprintf(to, sizeof(to), "%s.%u", path, v);
		if (rename(from, to) && errno != ENOENT)
			return -errno;
	}
	snprintf(to, sizeof(to), "%s.1", path);
	if (rename(path, to) && errno != ENOENT)
		return -errno;
	return 0;
}

/* Past maxsize: the full file becomes .1 and a new one starts. */
static void file_rotate_if_full(struct log_sink *k, size_t len)
{
	char err[64];

	if (!k->conf.maxsize || !k->size || k->size + len <= k->conf.maxsize)
		return;
	fclose(k->f);
	k->f = NULL;
	/* If renaming fails the file goes on growing: losing lines is worse. */
	(void)log_file_rotate(k->conf.path, k->conf.maxver);
	(void)open_file(k, err, sizeof(err));
}

void log_sinks_write(struct log_sinks *s, int level, const char *id,
		     const char *text)
{
	char line[1280];
	struct timespec ts;
	int len;

	clock_gettime(CLOCK_REALTIME, &ts);
	for (size_t i = 0; i < s->n; i++) {
		struct log_sink *k = &s->s[i];

		if (k->conf.kind == LOG_OUT_SYSLOG) {
			syslog(level, "%-5s %s %s", log_level_name(level), id,
			       text);
			continue;
		}
		len = log_format(line, sizeof(line) - 1, &ts, level, self_pid,
				 k->journal, id, text);
		if (len < 0)
			continue;
		if ((size_t)len > sizeof(line) - 2)
			len = (int)sizeof(line) - 2;
		line[len++] = '\n';
		line[len] = '\0';
		if (k->conf.kind == LOG_OUT_FILE)
			file_rotate_if_full(k, (size_t)len);
		if (!k->f)
			continue;
		if (fwrite(line, 1, (size_t)len, k->f) == (size_t)len)
			k->size += (uint64_t)len;
		if (k->conf.flush || k->conf.kind != LOG_OUT_FILE)
			fflush(k->f);
	}
}
