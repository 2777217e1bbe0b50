// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Dhcp4.loggers: the subset of Kea's logging configuration dhcpxdp
 * follows (docs/logging.md). dhcpxdp has one logger, so one entry, named
 * after Kea's server ("kea-dhcp4") or dhcpxdp, sets it; Kea's child
 * loggers ("kea-dhcp4.leases", ...) have nothing to configure here and
 * are ignored with a warning rather than refused, so Kea's files load.
 */
#include <strings.h>
#include <syslog.h>
#include "config/config.h"
#include "config/config_internal.h"

static const struct key_rule logger_rules[] = {
	{"name", K_HANDLED, NULL},
	{"output_options", K_HANDLED, NULL},
	{"output-options", K_HANDLED, NULL},
	{"severity", K_HANDLED, NULL},
	{"debuglevel", K_HANDLED, NULL},
	{NULL, 0, NULL},
};

static const struct key_rule output_rules[] = {
	{"output", K_HANDLED, NULL},
	{"maxsize", K_HANDLED, NULL},
	{"maxver", K_HANDLED, NULL},
	{"flush", K_HANDLED, NULL},
	/* Warned about by hand: the layout is fixed (docs/logging.md). */
	{"pattern", K_HANDLED, NULL},
	{NULL, 0, NULL},
};

static const struct {
	const char *name;
	int facility;
} facilities[] = {
	{"kern", LOG_KERN},	    {"user", LOG_USER},
	{"mail", LOG_MAIL},	    {"daemon", LOG_DAEMON},
	{"auth", LOG_AUTH},	    {"syslog", LOG_SYSLOG},
	{"lpr", LOG_LPR},	    {"news", LOG_NEWS},
	{"uucp", LOG_UUCP},	    {"cron", LOG_CRON},
	{"authpriv", LOG_AUTHPRIV}, {"ftp", LOG_FTP},
	{"local0", LOG_LOCAL0},	    {"local1", LOG_LOCAL1},
	{"local2", LOG_LOCAL2},	    {"local3", LOG_LOCAL3},
	{"local4", LOG_LOCAL4},	    {"local5", LOG_LOCAL5},
	{"local6", LOG_LOCAL6},	    {"local7", LOG_LOCAL7},
};

/* "stdout", "stderr", "syslog", "syslog:FACILITY" or a file name. */
static int parse_output(struct config_ctx *c, const char *path, const char *s,
			struct log_output_conf *o)
{
	const char *fac;

	if (!strcmp(s, "stdout")) {
		o->kind = LOG_OUT_STDOUT;
		return 0;
	}
	if (!strcmp(s, "stderr")) {
		o->kind = LOG_OUT_STDERR;
		return 0;
	}
	if (!strncmp(s, "syslog", 6) && (!s[6] || s[6] == ':')) {
		o->kind = LOG_OUT_SYSLOG;
		fac = s[6] ? s + 7 : "user";
		for (size_t i = 0; i < sizeof(facilities) / sizeof(*facilities);
		     i++)
			if (!strcmp(fac, facilities[i].name)) {
				o->facility = facilities[i].facility;
				return 0;
			}
		return jpath_fail(c, path,
				  "'%s': unknown syslog facility (daemon, "
				  "local0 .. local7, user, ...)",
				  s);
	}
	if (strlen(s) >= sizeof(o->path))
		return jpath_fail(c, path, "file name longer than %zu bytes",
				  sizeof(o->path) - 1);
	o->kind = LOG_OUT_FILE;
	memcpy(o->path, s, strlen(s) + 1);
	return 0;
}

static int parse_one_output(struct config_ctx *c, struct json_object *e,
			    const char *path, struct log_output_conf *o)
{
	char p[CONFIG_PATH_LEN];
	const char *s;
	uint32_t u;
	int r;

	log_output_default(o);
	if ((r = jpath_check_keys(c, e, path, output_rules)) < 0)
		return r;
	r = jpath_str(c, e, path, "output", &s);
	if (r < 0)
		return r;
	if (r == 0)
		return jpath_fail(c, path, "\"output\" is missing");
	if ((r = parse_output(c, jpath_join(p, path, "output"), s, o)) < 0)
		return r;
	/* Kea's maxver stops at 1000 rotated files too. */
	if ((r = jpath_u32(c, e, path, "maxsize", 0, UINT32_MAX, &u)) < 0)
		return r;
	if (r)
		o->maxsize = u;
	if ((r = jpath_u32(c, e, path, "maxver", 1, 1000, &o->maxver)) < 0 ||
	    (r = jpath_bool(c, e, path, "flush", &o->flush)) < 0)
		return r;
	if (json_object_object_get_ex(e, "pattern", NULL))
		jpath_warn(c, jpath_join(p, path, "pattern"),
			   "ignored: dhcpxdp writes Kea's default layout");
	return 0;
}

static int parse_outputs(struct config_ctx *c, struct json_object *lg,
			 const char *path, struct log_conf *lc)
{
	char p[CONFIG_PATH_LEN], q[CONFIG_PATH_LEN];
	const char *key = "output_options";
	struct json_object *l;
	size_t n, syslogs = 0;
	int r;

	if (json_object_object_get_ex(lg, "output-options", NULL))
		key = "output-options";
	r = jpath_get(c, lg, path, key, json_type_array, "a list", &l);
	if (r <= 0)
		return r;
	jpath_join(p, path, key);
	n = json_object_array_length(l);
	if (n > LOG_OUTPUTS_MAX)
		return jpath_fail(c, p, "%zu outputs; at most %d", n,
				  LOG_OUTPUTS_MAX);
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(l, i);
		struct log_output_conf *o = &lc->out[i];

		jpath_idx(q, p, i);
		if (!json_object_is_type(e, json_type_object))
			return jpath_fail(c, q, "expected an object, got %s",
					  jpath_type_desc(e));
		if ((r = parse_one_output(c, e, q, o)) < 0)
			return r;
		/* openlog(3) sets one facility for the whole process. */
		if (o->kind == LOG_OUT_SYSLOG && ++syslogs > 1)
			return jpath_fail(c, q,
					  "a second syslog output: syslog(3) "
					  "takes one facility per process");
		lc->n_out = i + 1;
	}
	return 0;
}

static int parse_logger(struct config_ctx *c, struct json_object *lg,
			const char *path, struct log_conf *lc)
{
	const char *sev = NULL;
	int r, lvl;

	if ((r = jpath_str(c, lg, path, "severity", &sev)) < 0)
		return r;
	if (sev && !strcasecmp(sev, "NONE")) {
		lc->severity = 0; /* below FATAL: nothing */
	} else if (sev) {
		lvl = log_level_parse(sev);
		if (lvl < 0)
			return jpath_fail(c, path,
					  "severity '%s': expected FATAL, "
					  "ERROR, WARN, INFO, DEBUG or NONE",
					  sev);
		lc->severity = lvl;
	}
	if ((r = jpath_u32(c, lg, path, "debuglevel", 0, LOG_DBG_MAX,
			   &lc->debuglevel)) < 0)
		return r;
	return parse_outputs(c, lg, path, lc);
}

int loggers_parse(struct config_ctx *c)
{
	struct log_conf *lc = &c->cfg->logging;
	char p[CONFIG_PATH_LEN], q[CONFIG_PATH_LEN];
	struct json_object *l;
	bool seen = false;
	const char *name;
	size_t n;
	int r;

	log_conf_default(lc);
	r = jpath_get(c, c->dhcp4, "Dhcp4", "loggers", json_type_array,
		      "a list", &l);
	if (r <= 0)
		return r;
	n = json_object_array_length(l);
	for (size_t i = 0; i < n; i++) {
		struct json_object *lg = json_object_array_get_idx(l, i);

		jpath_idx(p, "Dhcp4.loggers", i);
		if (!json_object_is_type(lg, json_type_object))
			return jpath_fail(c, p, "expected an object, got %s",
					  jpath_type_desc(lg));
		if ((r = jpath_check_keys(c, lg, p, logger_rules)) < 0)
			return r;
		r = jpath_str(c, lg, p, "name", &name);
		if (r < 0)
			return r;
		if (r == 0)
			return jpath_fail(c, p, "\"name\" is missing");
		if (strcmp(name, "kea-dhcp4") && strcmp(name, "dhcpxdp")) {
			jpath_warn(c, jpath_join(q, p, "name"),
				   "logger '%s' ignored: dhcpxdp has one "
				   "logger, \"kea-dhcp4\" (or \"dhcpxdp\")",
				   name);
			continue;
		}
		if (seen)
			return jpath_fail(c, jpath_join(q, p, "name"),
					  "a second \"%s\" logger: dhcpxdp "
					  "has one, give it every output",
					  name);
		seen = true;
		if ((r = parse_logger(c, lg, p, lc)) < 0)
			return r;
	}
	return 0;
}
