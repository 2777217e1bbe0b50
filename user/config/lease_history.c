// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Dhcp4.dhcpxdp.lease-history, the record of who held which address when,
 * and Kea's forensic log hook (libdhcp_legal_log.so) in hooks-libraries,
 * whose lines dhcpxdp writes itself (docs/logging.md).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config/config.h"
#include "config/config_internal.h"

static const struct key_rule history_rules[] = {
	{"enabled", K_HANDLED, NULL},
	{"path", K_HANDLED, NULL},
	{"retention", K_HANDLED, NULL},
	{NULL, 0, NULL},
};

/* "90d", "12h", "30m", "45s" or a bare number of seconds. */
static int parse_duration(const char *s, uint32_t *out)
{
	unsigned long long v, unit = 1;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	v = strtoull(s, &end, 10);
	switch (*end) {
	case 'd':
		unit = 86400;
		end++;
		break;
	case 'h':
		unit = 3600;
		end++;
		break;
	case 'm':
		unit = 60;
		end++;
		break;
	case 's':
		end++;
		break;
	}
	if (*end || v > UINT32_MAX / unit || !v)
		return -EINVAL;
	*out = (uint32_t)(v * unit);
	return 0;
}

/* The lease database's file: a PostgreSQL one has no directory, the
 * default SQLite file's stands for it (as for reservations.json). */
static const char *db_file(const struct dx_config *cfg)
{
	return cfg->lease_db.name && (!cfg->lease_db.type ||
				      strcmp(cfg->lease_db.type, "postgresql"))
		       ? cfg->lease_db.name
		       : CONFIG_DEFAULT_LEASE_DB;
}

/* path with its last component replaced by name. */
static int beside(char **out, const char *path, const char *name)
{
	const char *slash = strrchr(path, '/');
	int dir = slash ? (int)(slash - path) : 1;
	char buf[4096];

	snprintf(buf, sizeof(buf), "%.*s/%s", dir, slash ? path : ".", name);
	return config_set_str(out, buf);
}

static int retention(struct config_ctx *c, struct json_object *o,
		     const char *path, uint32_t *out)
{
	struct json_object *v;
	char p[CONFIG_PATH_LEN];

	if (!json_object_object_get_ex(o, "retention", &v))
		return 0;
	jpath_join(p, path, "retention");
	if (json_object_get_type(v) == json_type_string) {
		if (parse_duration(json_object_get_string(v), out))
			return jpath_fail(c, p,
					  "'%s' is not a duration: use seconds "
					  "or a number with d, h, m or s "
					  "(\"90d\")",
					  json_object_get_string(v));
		return 0;
	}
	return jpath_u32(c, o, path, "retention", 1, UINT32_MAX, out);
}

int history_parse(struct config_ctx *c)
{
	const char *path = "Dhcp4.dhcpxdp.lease-history", *s;
	struct dx_history_conf *h = &c->cfg->dhcpxdp.history;
	struct json_object *x = NULL, *o;
	int r;

	h->retention = CONFIG_DEFAULT_HISTORY_RETENTION;
	r = jpath_get(c, c->dhcp4, "Dhcp4", "dhcpxdp", json_type_object,
		      "an object", &x);
	if (r > 0)
		r = jpath_get(c, x, "Dhcp4.dhcpxdp", "lease-history",
			      json_type_object, "an object", &o);
	if (r < 0)
		return r;
	/* The default path is set either way: `dhcpxdp leases history`
	 * reads it from a configuration that no longer records. */
	if (r == 0)
		return beside(&h->path, db_file(c->cfg),
			      CONFIG_DEFAULT_HISTORY_FILE);
	h->enabled = true;
	if ((r = jpath_check_keys(c, o, path, history_rules)) < 0 ||
	    (r = jpath_bool(c, o, path, "enabled", &h->enabled)) < 0 ||
	    (r = retention(c, o, path, &h->retention)) < 0 ||
	    (r = jpath_str(c, o, path, "path", &s)) < 0)
		return r;
	if (r > 0)
		return config_set_str(&h->path, s);
	return beside(&h->path, db_file(c->cfg),
		      CONFIG_DEFAULT_HISTORY_FILE);
}

static const struct key_rule hook_rules[] = {
	{"library", K_HANDLED, NULL},
	{"parameters", K_HANDLED, NULL},
	{NULL, 0, NULL},
};

/* Kea's file parameters; the database ones (type "mysql", ...) and
 * custom formats are refused: dhcpxdp writes the default lines to files. */
static const struct key_rule legal_rules[] = {
	{"path", K_HANDLED, NULL},
	{"base-name", K_HANDLED, NULL},
	{"time-unit", K_HANDLED, NULL},
	{"count", K_IGNORED, NULL},
	{"type", K_UNSUPPORTED, "the legal log is written to files only"},
	{"request-parser-format", K_UNSUPPORTED,
	 "the lines are Kea's default ones"},
	{"response-parser-format", K_UNSUPPORTED,
	 "the lines are Kea's default ones"},
	{"timestamp-format", K_UNSUPPORTED, "the lines are Kea's default ones"},
	{NULL, 0, NULL},
};

static bool is_legal_log(const char *lib)
{
	const char *base = strrchr(lib, '/');

	return !strcmp(base ? base + 1 : lib, "libdhcp_legal_log.so");
}

int legal_log_hook_parse(struct config_ctx *c, struct json_object *entry,
			 const char *path)
{
	struct dx_legal_log_conf *l = &c->cfg->dhcpxdp.legal_log;
	char p[CONFIG_PATH_LEN], pp[CONFIG_PATH_LEN];
	const char *lib = NULL, *s;
	struct json_object *o = NULL;
	int r;

	if (json_object_get_type(entry) != json_type_object)
		return 0;
	r = jpath_str(c, entry, path, "library", &lib);
	if (r <= 0 || !is_legal_log(lib))
		return r < 0 ? r : 0;
	if ((r = jpath_check_keys(c, entry, path, hook_rules)) < 0 ||
	    (r = jpath_get(c, entry, path, "parameters", json_type_object,
			   "an object", &o)) < 0)
		return r;
	l->enabled = true;
	jpath_join(pp, path, "parameters");
	if (o && ((r = jpath_check_keys(c, o, pp, legal_rules)) < 0 ||
		  (r = jpath_str(c, o, pp, "time-unit", &s)) < 0))
		return r;
	if (o && r > 0 && strcmp(s, "day"))
		return jpath_fail(c, jpath_join(p, pp, "time-unit"),
				  "'%s': only \"day\" is supported (one file "
				  "a day, BASE-NAME.YYYYMMDD.txt)",
				  s);
	if ((r = jpath_str(c, o, pp, "path", &s)) < 0 ||
	    (r > 0 && (r = config_set_str(&l->path, s))) ||
	    (r = jpath_str(c, o, pp, "base-name", &s)) < 0 ||
	    (r > 0 && (r = config_set_str(&l->base_name, s))))
		return r;
	if (!l->base_name &&
	    (r = config_set_str(&l->base_name, CONFIG_DEFAULT_LEGAL_LOG_BASE)))
		return r;
	if (!l->path) {
		/* Kea's default is its own data folder; ours is the lease
		 * database's, which the service may write. */
		r = beside(&l->path, db_file(c->cfg), "");
		if (!r && strlen(l->path) > 1)
			l->path[strlen(l->path) - 1] = '\0';
		if (r)
			return r;
	}
	return 1;
}
