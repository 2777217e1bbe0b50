// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Configuration loader: Kea's Dhcp4 JSON object, the common subset, into
 * struct dx_config. Every message carries FILE: JSON-PATH so an operator
 * can find the offending key; see docs/configuration.md for the keys.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "wire/option_def.h"

#define PATH_LEN	256
#define CONFIG_MAX_FILE (64u << 20)

struct ctx {
	const char *file;
	struct config_diag *diag;
	struct dx_config *cfg;
	struct json_object *dhcp4;
};

/* --- diagnostics ------------------------------------------------------ */

static int __attribute__((format(printf, 3, 4)))
fail(struct ctx *c, const char *path, const char *fmt, ...)
{
	char msg[CONFIG_ERR_MAX];
	va_list ap;
	int n;

	/* Keep the first error: it is the cause, later ones are fallout. */
	if (c->diag->error[0])
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (path && *path)
		n = snprintf(c->diag->error, sizeof(c->diag->error),
			     "%s: %s: %s", c->file, path, msg);
	else
		n = snprintf(c->diag->error, sizeof(c->diag->error), "%s: %s",
			     c->file, msg);
	/* Overlong: keep the (already written) start, mark the cut. */
	if (n >= (int)sizeof(c->diag->error))
		memcpy(c->diag->error + sizeof(c->diag->error) - 4, "...", 4);
	return -EINVAL;
}

static void __attribute__((format(printf, 3, 4)))
warn(struct ctx *c, const char *path, const char *fmt, ...)
{
	char msg[CONFIG_ERR_MAX];
	char **w;
	va_list ap;
	char *s;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (asprintf(&s, "%s: %s: %s", c->file, path, msg) < 0)
		return;
	w = realloc(c->diag->warnings, (c->diag->n_warnings + 1) * sizeof(*w));
	if (!w) {
		free(s);
		return;
	}
	w[c->diag->n_warnings++] = s;
	c->diag->warnings = w;
}

/* buf = a + b + c, cut at PATH_LEN (a cut path still points the right way). */
static const char *cat3(char *buf, const char *a, const char *b, const char *c)
{
	const char *parts[3] = {a, b, c};
	size_t n = 0;

	for (int i = 0; i < 3; i++) {
		size_t l = strlen(parts[i]);

		if (l > PATH_LEN - 1 - n)
			l = PATH_LEN - 1 - n;
		memmove(buf + n, parts[i], l);
		n += l;
	}
	buf[n] = '\0';
	return buf;
}

static const char *join(char *buf, const char *path, const char *key)
{
	if (!path || !*path)
		return cat3(buf, key, "", "");
	return cat3(buf, path, ".", key);
}

static const char *idx(char *buf, const char *path, size_t i)
{
	char n[32];

	snprintf(n, sizeof(n), "[%zu]", i);
	return cat3(buf, path, n, "");
}

static const char *ip_str(uint32_t a, char *buf)
{
	snprintf(buf, 16, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff,
		 (a >> 8) & 0xff, a & 0xff);
	return buf;
}

/* --- key classification ------------------------------------------------ */

enum key_kind { K_HANDLED, K_IGNORED, K_UNSUPPORTED };

struct key_rule {
	const char *key; /* a trailing '*' matches a prefix */
	enum key_kind kind;
	const char *why; /* for K_UNSUPPORTED */
};

static bool key_matches(const char *pattern, const char *key)
{
	size_t n = strlen(pattern);

	if (n && pattern[n - 1] == '*')
		return !strncmp(pattern, key, n - 1);
	return !strcmp(pattern, key);
}

/*
 * Unsupported keys fail, unknown keys warn, "comment" and "user-context"
 * (allowed by Kea everywhere) and the listed ignored keys pass silently.
 */
static int check_keys(struct ctx *c, struct json_object *obj, const char *path,
		      const struct key_rule *rules)
{
	char p[PATH_LEN];

	json_object_object_foreach(obj, key, val)
	{
		const struct key_rule *r;

		(void)val;
		if (!strcmp(key, "comment") || !strcmp(key, "user-context"))
			continue;
		for (r = rules; r->key; r++)
			if (key_matches(r->key, key))
				break;
		if (!r->key) {
			warn(c, join(p, path, key), "unknown key, ignored");
			continue;
		}
		if (r->kind == K_UNSUPPORTED)
			return fail(c, join(p, path, key),
				    "'%s' is not supported by dhcpxdp: %s", key,
				    r->why);
	}
	return 0;
}

/* --- typed getters ------------------------------------------------------ */

static const char *json_type_desc(struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		return "null";
	case json_type_boolean:
		return "a boolean";
	case json_type_double:
		return "a number";
	case json_type_int:
		return "an integer";
	case json_type_object:
		return "an object";
	case json_type_array:
		return "a list";
	case json_type_string:
		return "a string";
	}
	return "?";
}

/*
 * Look up @key of type @type in @obj. Returns 1 and sets *out if present,
 * 0 if absent, -EINVAL (with the error set) if present with another type.
 */
static int get_typed(struct ctx *c, struct json_object *obj, const char *path,
		     const char *key, enum json_type type, const char *want,
		     struct json_object **out)
{
	struct json_object *v;
	char p[PATH_LEN];

	if (!obj || !json_object_object_get_ex(obj, key, &v))
		return 0;
	if (json_object_get_type(v) != type)
		return fail(c, join(p, path, key), "expected %s, got %s", want,
			    json_type_desc(v));
	*out = v;
	return 1;
}

static int get_u32(struct ctx *c, struct json_object *obj, const char *path,
		   const char *key, uint32_t min, uint32_t max, uint32_t *out)
{
	struct json_object *v = NULL;
	char p[PATH_LEN];
	int64_t n;
	int r;

	r = get_typed(c, obj, path, key, json_type_int, "an integer", &v);
	if (r <= 0)
		return r;
	n = json_object_get_int64(v);
	if (n < (int64_t)min || n > (int64_t)max)
		return fail(c, join(p, path, key),
			    "%lld is out of range (%u to %u)", (long long)n,
			    min, max);
	*out = n;
	return 1;
}

static int get_bool(struct ctx *c, struct json_object *obj, const char *path,
		    const char *key, bool *out)
{
	struct json_object *v = NULL;
	int r = get_typed(c, obj, path, key, json_type_boolean, "true or false",
			  &v);

	if (r > 0)
		*out = json_object_get_boolean(v);
	return r;
}

/* Returns 1 with a borrowed string, 0 if absent; empty strings fail. */
static int get_str(struct ctx *c, struct json_object *obj, const char *path,
		   const char *key, const char **out)
{
	struct json_object *v = NULL;
	char p[PATH_LEN];
	int r = get_typed(c, obj, path, key, json_type_string, "a string", &v);

	if (r <= 0)
		return r;
	*out = json_object_get_string(v);
	if (!**out)
		return fail(c, join(p, path, key), "must not be empty");
	return 1;
}

/* Replace *dst by a copy of @s. */
static int set_str(char **dst, const char *s)
{
	char *d = strdup(s);

	if (!d)
		return -ENOMEM;
	free(*dst);
	*dst = d;
	return 0;
}

static int parse_ipv4(const char *s, uint32_t *out)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -EINVAL;
	*out = ntohl(a.s_addr);
	return 0;
}

static uint32_t prefix_mask(uint8_t len)
{
	return len ? ~0U << (32 - len) : 0;
}

/* "A.B.C.D/LEN" with no host bits set. */
static int parse_prefix(struct ctx *c, const char *path, const char *s,
			uint32_t *net, uint8_t *len)
{
	char buf[64], *slash, *end, a[16];
	long l;

	if (strlen(s) >= sizeof(buf))
		goto bad;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (!slash)
		goto bad;
	*slash = '\0';
	if (parse_ipv4(buf, net))
		goto bad;
	l = strtol(slash + 1, &end, 10);
	if (end == slash + 1 || *end || l < 1 || l > 32)
		goto bad;
	*len = l;
	if (*net & ~prefix_mask(*len))
		return fail(c, path,
			    "%s has host bits set (did you mean %s/%u?)", s,
			    ip_str(*net & prefix_mask(*len), a), *len);
	return 0;
bad:
	return fail(c, path,
		    "'%s' is not a prefix: expected A.B.C.D/LEN (1-32)", s);
}

/* --- options ------------------------------------------------------------ */

static const struct key_rule option_rules[] = {
	{"name", K_HANDLED, NULL},
	{"code", K_HANDLED, NULL},
	{"data", K_HANDLED, NULL},
	{"csv-format", K_HANDLED, NULL},
	{"always-send", K_HANDLED, NULL},
	{"space", K_HANDLED, NULL},
	{"never-send", K_UNSUPPORTED,
	 "remove the option instead of suppressing it"},
	{"client-classes", K_UNSUPPORTED, "client classes are not implemented"},
	{NULL, 0, NULL},
};

static int parse_option(struct ctx *c, struct json_object *o, const char *path,
			struct dx_option *opt)
{
	const struct option_def *def = NULL;
	const char *name = NULL, *space = NULL, *data = "";
	struct json_object *dv = NULL;
	char p[PATH_LEN], err[512];
	uint32_t code = 0;
	bool csv = true, has_code;
	size_t len = 0;
	int r;

	if (json_object_get_type(o) != json_type_object)
		return fail(c, path, "expected an object, got %s",
			    json_type_desc(o));
	if ((r = check_keys(c, o, path, option_rules)) < 0)
		return r;
	if ((r = get_str(c, o, path, "name", &name)) < 0 ||
	    (r = get_u32(c, o, path, "code", 1, 254, &code)) < 0 ||
	    (r = get_str(c, o, path, "space", &space)) < 0 ||
	    (r = get_bool(c, o, path, "csv-format", &csv)) < 0 ||
	    (r = get_bool(c, o, path, "always-send", &opt->always_send)) < 0)
		return r;
	has_code = json_object_object_get_ex(o, "code", NULL);
	r = get_typed(c, o, path, "data", json_type_string, "a string", &dv);
	if (r < 0)
		return r;
	if (r > 0)
		data = json_object_get_string(dv);
	if (space && strcmp(space, "dhcp4"))
		return fail(c, join(p, path, "space"),
			    "option space '%s' is not supported: only dhcp4",
			    space);
	if (!name && !has_code)
		return fail(c, path,
			    "option-data entry needs a name or a code");
	if (name) {
		def = option_def_by_name(name);
		if (!def)
			return fail(c, join(p, path, "name"),
				    "unknown option '%s': give it by code with "
				    "\"csv-format\": false (option-def is not "
				    "supported)",
				    name);
		if (has_code && code != def->code)
			return fail(c, join(p, path, "code"),
				    "code %u does not match option '%s' "
				    "(code %u)",
				    code, name, def->code);
		code = def->code;
	} else {
		def = option_def_by_code(code);
	}
	if (option_code_check(code, err, sizeof(err)))
		return fail(c, join(p, path, name ? "name" : "code"), "%s",
			    err);
	if (!def && csv)
		return fail(c, path,
			    "option %u has no definition: set \"csv-format\": "
			    "false and give the data as hex",
			    code);
	opt->code = code;
	r = option_encode(def, data, csv, opt->data, sizeof(opt->data), &len,
			  err, sizeof(err));
	if (r == -ENOMEM)
		return r;
	if (r)
		return fail(c, join(p, path, "data"), "%s", err);
	opt->len = len;
	return 0;
}

static int option_list_add(struct dx_option_list *l, const struct dx_option *o)
{
	struct dx_option *n;

	for (size_t i = 0; i < l->n; i++)
		if (l->opts[i].code == o->code) {
			l->opts[i] = *o;
			return 0;
		}
	n = realloc(l->opts, (l->n + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	n[l->n++] = *o;
	l->opts = n;
	return 0;
}

static int parse_option_list(struct ctx *c, struct json_object *parent,
			     const char *ppath, struct dx_option_list *out)
{
	struct json_object *arr;
	char path[PATH_LEN], p[PATH_LEN];
	int r;

	r = get_typed(c, parent, ppath, "option-data", json_type_array,
		      "a list", &arr);
	if (r <= 0)
		return r;
	join(path, ppath, "option-data");
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		struct dx_option opt = {0};

		idx(p, path, i);
		r = parse_option(c, json_object_array_get_idx(arr, i), p, &opt);
		if (r)
			return r;
		for (size_t j = 0; j < out->n; j++)
			if (out->opts[j].code == opt.code) {
				const struct option_def *d =
					option_def_by_code(opt.code);
				return fail(c, p,
					    "option %u%s%s%s is already set by "
					    "option-data[%zu]",
					    opt.code, d ? " '" : "",
					    d ? d->name : "", d ? "'" : "", j);
			}
		if (option_list_add(out, &opt))
			return -ENOMEM;
	}
	return 0;
}

/* --- interfaces ----------------------------------------------------------- */

static const struct key_rule ifaces_rules[] = {
	{"interfaces", K_HANDLED, NULL},
	{"dhcp-socket-type", K_IGNORED, NULL},
	{"outbound-interface", K_IGNORED, NULL},
	{"re-detect", K_IGNORED, NULL},
	{"service-sockets-*", K_IGNORED, NULL},
	{NULL, 0, NULL},
};

static int parse_interfaces(struct ctx *c)
{
	struct dx_config *cfg = c->cfg;
	const char *path = "Dhcp4.interfaces-config";
	struct json_object *ic, *arr;
	char ipath[PATH_LEN], p[PATH_LEN];
	size_t n;
	int r;

	r = get_typed(c, c->dhcp4, "Dhcp4", "interfaces-config",
		      json_type_object, "an object", &ic);
	if (r <= 0)
		return r;
	if ((r = check_keys(c, ic, path, ifaces_rules)) < 0)
		return r;
	r = get_typed(c, ic, path, "interfaces", json_type_array, "a list",
		      &arr);
	if (r <= 0)
		return r;
	join(ipath, path, "interfaces");
	n = json_object_array_length(arr);
	cfg->interfaces = calloc(n ? n : 1, sizeof(*cfg->interfaces));
	if (!cfg->interfaces)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct json_object *v = json_object_array_get_idx(arr, i);
		struct dx_iface_conf *ifc = &cfg->interfaces[i];
		const char *s;
		char *slash;

		idx(p, ipath, i);
		if (json_object_get_type(v) != json_type_string)
			return fail(c, p, "expected a string, got %s",
				    json_type_desc(v));
		s = json_object_get_string(v);
		if (!strcmp(s, "*"))
			return fail(c, p,
				    "'*' (all interfaces) is not supported: "
				    "list the interfaces to serve");
		ifc->name = strdup(s);
		if (!ifc->name)
			return -ENOMEM;
		cfg->n_interfaces++;
		slash = strchr(ifc->name, '/');
		if (slash) {
			*slash = '\0';
			if (parse_ipv4(slash + 1, &ifc->addr) || !ifc->addr)
				return fail(c, p,
					    "'%s': '%s' is not an IPv4 address",
					    s, slash + 1);
		}
		if (!ifc->name[0] || strlen(ifc->name) >= IFNAMSIZ ||
		    strpbrk(ifc->name, " \t\n:"))
			return fail(c, p, "'%s' is not an interface name", s);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(cfg->interfaces[j].name, ifc->name))
				return fail(c, p,
					    "interface '%s' is listed twice",
					    ifc->name);
	}
	return 0;
}

static bool iface_listed(const struct dx_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->n_interfaces; i++)
		if (!strcmp(cfg->interfaces[i].name, name))
			return true;
	return false;
}

/* --- timers -------------------------------------------------------------- */

enum { T_VALID, T_RENEW, T_REBIND };
static const char *const timer_key[] = {"valid-lifetime", "renew-timer",
					"rebind-timer"};

/* Timers as written at one level; 0 = not set there. */
struct timers {
	uint32_t v[3];
	char path[PATH_LEN]; /* the level's path, for messages */
};

static int parse_timers(struct ctx *c, struct json_object *obj,
			const char *path, struct timers *t)
{
	int r;

	snprintf(t->path, sizeof(t->path), "%s", path);
	/*
	 * 0xffffffff means "infinite" (RFC 2131 §3.3), which the durable
	 * horizon cannot cover; a lease under 10 s leaves no room for T1/T2.
	 */
	for (int i = 0; i < 3; i++)
		if ((r = get_u32(c, obj, path, timer_key[i], i ? 1 : 10,
				 UINT32_MAX - 1, &t->v[i])) < 0)
			return r;
	return 0;
}

/*
 * The key to blame when timers conflict: among @a, @b and, if a default
 * was derived from it, valid-lifetime (@c >= 0), the one set at the most
 * specific level.
 */
static const char *blame(char *buf, const struct timers *t,
			 const struct timers *parent, int a, int b, int c)
{
	const struct timers *levels[2] = {t, parent};
	int keys[3] = {a, b, c};

	for (int l = 0; l < 2; l++)
		for (int k = 0; k < 3 && levels[l]; k++)
			if (keys[k] >= 0 && levels[l]->v[keys[k]])
				return join(buf, levels[l]->path,
					    timer_key[keys[k]]);
	return t->path;
}

/*
 * Effective timers of a level below @parent (NULL for the global level):
 * anything unset is inherited; still unset, valid-lifetime defaults to
 * 7200 (Kea), T1 to 1/2 and T2 to 7/8 of it (RFC 2131 §4.4.5). Requires
 * renew < rebind < valid.
 */
static int resolve_timers(struct ctx *c, const struct timers *t,
			  const struct timers *parent, uint32_t *valid,
			  uint32_t *renew, uint32_t *rebind)
{
	uint32_t v[3];
	bool derived[3] = {false, false, false};
	char p[PATH_LEN];

	for (int i = 0; i < 3; i++) {
		v[i] = t->v[i];
		if (!v[i] && parent)
			v[i] = parent->v[i];
	}
	if (!v[T_VALID])
		v[T_VALID] = CONFIG_DEFAULT_VALID_LIFETIME;
	if (!v[T_RENEW])
		v[T_RENEW] = v[T_VALID] / 2, derived[T_RENEW] = true;
	if (!v[T_REBIND])
		v[T_REBIND] = (uint64_t)v[T_VALID] * 7 / 8,
		derived[T_REBIND] = true;
	if (v[T_RENEW] >= v[T_REBIND])
		return fail(
			c,
			blame(p, t, parent, T_RENEW, T_REBIND,
			      derived[T_RENEW] || derived[T_REBIND] ? T_VALID
								    : -1),
			"renew-timer (%u%s) must be less than rebind-timer "
			"(%u%s)",
			v[T_RENEW],
			derived[T_RENEW] ? ", default 1/2 of valid-lifetime"
					 : "",
			v[T_REBIND],
			derived[T_REBIND] ? ", default 7/8 of valid-lifetime"
					  : "");
	if (v[T_REBIND] >= v[T_VALID])
		return fail(c, blame(p, t, parent, T_REBIND, T_VALID, -1),
			    "rebind-timer (%u) must be less than "
			    "valid-lifetime (%u)",
			    v[T_REBIND], v[T_VALID]);
	*valid = v[T_VALID];
	*renew = v[T_RENEW];
	*rebind = v[T_REBIND];
	return 0;
}

/* --- subnets ------------------------------------------------------------- */

static const struct key_rule subnet_rules[] = {
	{"id", K_HANDLED, NULL},
	{"subnet", K_HANDLED, NULL},
	{"pools", K_HANDLED, NULL},
	{"option-data", K_HANDLED, NULL},
	{"reservations", K_HANDLED, NULL},
	{"relay", K_HANDLED, NULL},
	{"interface", K_HANDLED, NULL},
	{"valid-lifetime", K_HANDLED, NULL},
	{"renew-timer", K_HANDLED, NULL},
	{"rebind-timer", K_HANDLED, NULL},
	{"match-client-id", K_IGNORED, NULL},
	{"authoritative", K_IGNORED, NULL},
	{"calculate-tee-times", K_IGNORED, NULL},
	{"t1-percent", K_IGNORED, NULL},
	{"t2-percent", K_IGNORED, NULL},
	{"min-valid-lifetime", K_IGNORED, NULL},
	{"max-valid-lifetime", K_IGNORED, NULL},
	{"offer-lifetime", K_IGNORED, NULL},
	{"store-extended-info", K_IGNORED, NULL},
	{"cache-*", K_IGNORED, NULL},
	{"ddns-*", K_IGNORED, NULL},
	{"hostname-char-*", K_IGNORED, NULL},
	{"reservation*", K_IGNORED, NULL},
	{"4o6-*", K_IGNORED, NULL},
	{"allocator", K_IGNORED, NULL},
	{"client-class", K_UNSUPPORTED, "client classes are not implemented"},
	{"client-classes", K_UNSUPPORTED, "client classes are not implemented"},
	{"require-client-classes", K_UNSUPPORTED,
	 "client classes are not implemented"},
	{"evaluate-additional-classes", K_UNSUPPORTED,
	 "client classes are not implemented"},
	{"next-server", K_UNSUPPORTED,
	 "BOOTP siaddr/sname/file are not set; use options 66 and 67"},
	{"server-hostname", K_UNSUPPORTED,
	 "BOOTP siaddr/sname/file are not set; use options 66 and 67"},
	{"boot-file-name", K_UNSUPPORTED,
	 "BOOTP siaddr/sname/file are not set; use options 66 and 67"},
	{NULL, 0, NULL},
};

static const struct key_rule pool_rules[] = {
	{"pool", K_HANDLED, NULL},
	{"pool-id", K_IGNORED, NULL},
	{"option-data", K_UNSUPPORTED,
	 "pool-level options are not implemented; set them on the subnet"},
	{"client-class", K_UNSUPPORTED, "client classes are not implemented"},
	{"client-classes", K_UNSUPPORTED, "client classes are not implemented"},
	{"require-client-classes", K_UNSUPPORTED,
	 "client classes are not implemented"},
	{"evaluate-additional-classes", K_UNSUPPORTED,
	 "client classes are not implemented"},
	{NULL, 0, NULL},
};

static const struct key_rule reservation_rules[] = {
	{"hw-address", K_HANDLED, NULL},
	{"client-id", K_HANDLED, NULL},
	{"ip-address", K_HANDLED, NULL},
	{"hostname", K_HANDLED, NULL},
	{"option-data", K_HANDLED, NULL},
	{"duid", K_UNSUPPORTED,
	 "reservations are by hw-address or client-id only"},
	{"circuit-id", K_UNSUPPORTED,
	 "reservations are by hw-address or client-id only"},
	{"flex-id", K_UNSUPPORTED,
	 "reservations are by hw-address or client-id only"},
	{"client-classes", K_UNSUPPORTED, "client classes are not implemented"},
	{"next-server", K_UNSUPPORTED,
	 "BOOTP siaddr/sname/file are not set; use options 66 and 67"},
	{"server-hostname", K_UNSUPPORTED,
	 "BOOTP siaddr/sname/file are not set; use options 66 and 67"},
	{"boot-file-name", K_UNSUPPORTED,
	 "BOOTP siaddr/sname/file are not set; use options 66 and 67"},
	{NULL, 0, NULL},
};

static const struct key_rule relay_rules[] = {
	{"ip-addresses", K_HANDLED, NULL},
	{"ip-address", K_HANDLED, NULL},
	{NULL, 0, NULL},
};

static int parse_pool(struct ctx *c, struct json_object *o, const char *path,
		      const struct dx_subnet_conf *s, struct dx_pool_range *pr)
{
	char p[PATH_LEN], buf[64], *dash, a[16], b[16];
	const char *text;
	uint32_t net, mask;
	uint8_t len;
	int r;

	if (json_object_get_type(o) != json_type_object)
		return fail(c, path, "expected an object, got %s",
			    json_type_desc(o));
	if ((r = check_keys(c, o, path, pool_rules)) < 0)
		return r;
	r = get_str(c, o, path, "pool", &text);
	if (r < 0)
		return r;
	if (r == 0)
		return fail(c, path, "missing required key 'pool'");
	join(p, path, "pool");
	if (strlen(text) >= sizeof(buf))
		goto bad;
	strcpy(buf, text);
	dash = strchr(buf, '-');
	if (dash) {
		char *x = buf, *y = dash + 1, *e;
		*dash = '\0';
		while (isspace((unsigned char)*x))
			x++;
		while (isspace((unsigned char)*y))
			y++;
		for (e = dash; e > x && isspace((unsigned char)e[-1]);)
			*--e = '\0';
		for (e = y + strlen(y); e > y && isspace((unsigned char)e[-1]);)
			*--e = '\0';
		if (parse_ipv4(x, &pr->start) || parse_ipv4(y, &pr->end))
			goto bad;
	} else if (strchr(buf, '/')) {
		r = parse_prefix(c, p, buf, &net, &len);
		if (r)
			return r;
		pr->start = net;
		pr->end = net | ~prefix_mask(len);
	} else {
		goto bad;
	}
	if (pr->start > pr->end)
		return fail(c, p, "%s - %s: start after end",
			    ip_str(pr->start, a), ip_str(pr->end, b));
	mask = prefix_mask(s->prefix_len);
	if ((pr->start & mask) != s->network || (pr->end & mask) != s->network)
		return fail(c, p, "%s - %s: outside subnet %s/%u",
			    ip_str(pr->start, a), ip_str(pr->end, b),
			    ip_str(s->network, buf), s->prefix_len);
	return 0;
bad:
	return fail(c, p,
		    "'%s' is not a pool: expected 'FIRST - LAST' or "
		    "'PREFIX/LEN'",
		    text);
}

static int parse_pools(struct ctx *c, struct json_object *so, const char *spath,
		       struct dx_subnet_conf *s)
{
	struct json_object *arr;
	char path[PATH_LEN], p[PATH_LEN], q[PATH_LEN];
	char a[16], b[16], oa[16], ob[16];
	size_t n;
	int r;

	r = get_typed(c, so, spath, "pools", json_type_array, "a list", &arr);
	if (r <= 0)
		return r;
	join(path, spath, "pools");
	n = json_object_array_length(arr);
	s->pools = calloc(n ? n : 1, sizeof(*s->pools));
	if (!s->pools)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct dx_pool_range *pr = &s->pools[i];

		idx(p, path, i);
		r = parse_pool(c, json_object_array_get_idx(arr, i), p, s, pr);
		if (r)
			return r;
		s->n_pools++;
		for (size_t j = 0; j < i; j++) {
			const struct dx_pool_range *o = &s->pools[j];
			if (pr->start <= o->end && o->start <= pr->end)
				return fail(c, join(q, p, "pool"),
					    "%s - %s: overlaps pools[%zu] "
					    "(%s - %s)",
					    ip_str(pr->start, a),
					    ip_str(pr->end, b), j,
					    ip_str(o->start, oa),
					    ip_str(o->end, ob));
		}
	}
	return 0;
}

static int parse_relay(struct ctx *c, struct json_object *so, const char *spath,
		       struct dx_subnet_conf *s)
{
	struct json_object *ro, *arr = NULL, *one = NULL;
	char path[PATH_LEN], p[PATH_LEN], q[PATH_LEN];
	size_t n;
	int r;

	r = get_typed(c, so, spath, "relay", json_type_object, "an object",
		      &ro);
	if (r <= 0)
		return r;
	join(path, spath, "relay");
	if ((r = check_keys(c, ro, path, relay_rules)) < 0)
		return r;
	if ((r = get_typed(c, ro, path, "ip-addresses", json_type_array,
			   "a list", &arr)) < 0 ||
	    (r = get_typed(c, ro, path, "ip-address", json_type_string,
			   "a string", &one)) < 0)
		return r;
	n = (arr ? json_object_array_length(arr) : 0) + (one ? 1 : 0);
	s->relay_addrs = calloc(n ? n : 1, sizeof(*s->relay_addrs));
	if (!s->relay_addrs)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct json_object *v;
		uint32_t a;

		/* Kea's older single "ip-address" form comes last. */
		if (arr && i < json_object_array_length(arr)) {
			v = json_object_array_get_idx(arr, i);
			idx(p, join(q, path, "ip-addresses"), i);
		} else {
			v = one;
			join(p, path, "ip-address");
		}
		if (json_object_get_type(v) != json_type_string)
			return fail(c, p, "expected a string, got %s",
				    json_type_desc(v));
		if (parse_ipv4(json_object_get_string(v), &a) || !a)
			return fail(c, p, "'%s' is not a relay IPv4 address",
				    json_object_get_string(v));
		for (size_t j = 0; j < s->n_relay; j++)
			if (s->relay_addrs[j] == a)
				return fail(c, p, "%s is listed twice",
					    json_object_get_string(v));
		s->relay_addrs[s->n_relay++] = a;
	}
	return 0;
}

static void mac_str(const uint8_t *m, char *buf)
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
		 m[3], m[4], m[5]);
}

static int parse_reservation(struct ctx *c, struct json_object *o,
			     const char *path, const struct dx_subnet_conf *s,
			     struct dx_reservation_conf *res)
{
	const char *hw = NULL, *cid = NULL, *ip = NULL, *host = NULL;
	char p[PATH_LEN], a[16];
	uint8_t buf[256];
	uint32_t mask = prefix_mask(s->prefix_len);
	int r, n;

	if (json_object_get_type(o) != json_type_object)
		return fail(c, path, "expected an object, got %s",
			    json_type_desc(o));
	if ((r = check_keys(c, o, path, reservation_rules)) < 0)
		return r;
	if ((r = get_str(c, o, path, "hw-address", &hw)) < 0 ||
	    (r = get_str(c, o, path, "client-id", &cid)) < 0 ||
	    (r = get_str(c, o, path, "ip-address", &ip)) < 0 ||
	    (r = get_str(c, o, path, "hostname", &host)) < 0)
		return r;
	/* Kea: exactly one identifier per reservation. */
	if (!hw == !cid)
		return fail(c, path,
			    "a reservation needs exactly one of hw-address or "
			    "client-id");
	if (hw) {
		char mac[64];

		/* Kea's forms: 00:11:22:33:44:55, 00-11-..., 001122334455. */
		snprintf(mac, sizeof(mac), "%s", hw);
		for (char *m = mac; *m; m++)
			if (*m == '-')
				*m = ':';
		n = option_parse_hex(mac, buf, sizeof(buf));
		if (n != 6 || strchr(hw, ' ') || strlen(hw) >= sizeof(mac))
			return fail(c, join(p, path, "hw-address"),
				    "'%s' is not an Ethernet MAC address "
				    "(expected 6 bytes, e.g. "
				    "00:11:22:33:44:55)",
				    hw);
		memcpy(res->hw, buf, 6);
		res->has_hw = true;
	} else {
		size_t l = strlen(cid);
		/* Kea also takes a quoted text client-id: 'myhost'. */
		if (l >= 2 && cid[0] == '\'' && cid[l - 1] == '\'') {
			n = l - 2;
			if (n > 255)
				n = -EINVAL;
			else
				memcpy(buf, cid + 1, n);
		} else {
			n = option_parse_hex(cid, buf, sizeof(buf));
		}
		/* RFC 2132 §9.14: a client identifier is 2 bytes or more. */
		if (n < 2 || n > 255)
			return fail(c, join(p, path, "client-id"),
				    "'%s' is not a client identifier (2 to 255 "
				    "bytes as hex, e.g. 01:00:11:22:33:44:55, "
				    "or 'quoted text')",
				    cid);
		res->client_id = malloc(n);
		if (!res->client_id)
			return -ENOMEM;
		memcpy(res->client_id, buf, n);
		res->client_id_len = n;
	}
	if (!ip)
		return fail(c, path,
			    "missing required key 'ip-address' (reservations "
			    "without an address are not supported)");
	join(p, path, "ip-address");
	if (parse_ipv4(ip, &res->addr))
		return fail(c, p, "'%s' is not an IPv4 address", ip);
	if ((res->addr & mask) != s->network)
		return fail(c, p, "%s: outside subnet %s/%u", ip,
			    ip_str(s->network, a), s->prefix_len);
	/* RFC 950: all-zeros and all-ones hosts are not addresses. */
	if (s->prefix_len <= 30 &&
	    (res->addr == s->network || res->addr == (s->network | ~mask)))
		return fail(c, p, "%s is the %s address of subnet %s/%u", ip,
			    res->addr == s->network ? "network" : "broadcast",
			    ip_str(s->network, a), s->prefix_len);
	if (host) {
		res->hostname = strdup(host);
		if (!res->hostname)
			return -ENOMEM;
	}
	return parse_option_list(c, o, path, &res->options);
}

/* For finding duplicate reservations by sorting rather than O(n²). */
struct res_key {
	const struct dx_reservation_conf *r;
	size_t index;
	int kind; /* 0 hw, 1 client-id, 2 address */
};

static int res_key_cmp(const void *pa, const void *pb)
{
	const struct res_key *a = pa, *b = pb;
	int d = 0;

	if (a->kind == 0)
		d = memcmp(a->r->hw, b->r->hw, 6);
	else if (a->kind == 1) {
		size_t la = a->r->client_id_len, lb = b->r->client_id_len;
		d = memcmp(a->r->client_id, b->r->client_id, la < lb ? la : lb);
		if (!d)
			d = la < lb ? -1 : la > lb;
	} else {
		d = a->r->addr < b->r->addr ? -1 : a->r->addr > b->r->addr;
	}
	if (!d)
		d = a->index < b->index ? -1 : a->index > b->index;
	return d;
}

static int check_dup_reservations(struct ctx *c, const char *rpath,
				  const struct dx_subnet_conf *s)
{
	static const char *const field[] = {"hw-address", "client-id",
					    "ip-address"};
	struct res_key *k = calloc(s->n_reservations + 1, sizeof(*k));
	size_t best_i = 0, best_j = SIZE_MAX;
	int best_kind = 0;
	char p[PATH_LEN], q[PATH_LEN], v[64];

	if (!k)
		return -ENOMEM;
	for (int kind = 0; kind < 3; kind++) {
		size_t n = 0;

		for (size_t i = 0; i < s->n_reservations; i++) {
			const struct dx_reservation_conf *r =
				&s->reservations[i];
			if ((kind == 0 && !r->has_hw) ||
			    (kind == 1 && !r->client_id))
				continue;
			k[n++] = (struct res_key){r, i, kind};
		}
		qsort(k, n, sizeof(*k), res_key_cmp);
		for (size_t i = 1; i < n; i++) {
			struct res_key x = k[i - 1], y = k[i];
			x.index = y.index = 0;
			if (res_key_cmp(&x, &y))
				continue;
			/* Report the earliest duplicate in file order. */
			if (k[i].index < best_j) {
				best_j = k[i].index;
				best_i = k[i - 1].index;
				best_kind = kind;
			}
		}
	}
	free(k);
	if (best_j == SIZE_MAX)
		return 0;
	const struct dx_reservation_conf *r = &s->reservations[best_j];
	idx(q, rpath, best_j);
	join(p, q, field[best_kind]);
	if (best_kind == 0)
		mac_str(r->hw, v);
	else if (best_kind == 1)
		snprintf(v, sizeof(v), "client-id");
	else
		ip_str(r->addr, v);
	return fail(c, p, "%s: already reserved by reservations[%zu]",
		    best_kind == 1 ? "this client-id" : v, best_i);
}

static int parse_reservations(struct ctx *c, struct json_object *so,
			      const char *spath, struct dx_subnet_conf *s)
{
	struct json_object *arr;
	char path[PATH_LEN], p[PATH_LEN];
	size_t n;
	int r;

	r = get_typed(c, so, spath, "reservations", json_type_array, "a list",
		      &arr);
	if (r <= 0)
		return r;
	join(path, spath, "reservations");
	n = json_object_array_length(arr);
	s->reservations = calloc(n ? n : 1, sizeof(*s->reservations));
	if (!s->reservations)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		/* Counted first so that config_free releases partial ones. */
		s->n_reservations++;
		r = parse_reservation(c, json_object_array_get_idx(arr, i),
				      idx(p, path, i), s, &s->reservations[i]);
		if (r)
			return r;
	}
	return check_dup_reservations(c, path, s);
}

static int parse_subnet(struct ctx *c, struct json_object *so, const char *path,
			const struct timers *global, struct dx_subnet_conf *s)
{
	struct dx_config *cfg = c->cfg;
	struct dx_option_list own = {0};
	struct timers t = {0};
	const char *text, *ifname = NULL;
	char p[PATH_LEN];
	int r;

	if (json_object_get_type(so) != json_type_object)
		return fail(c, path, "expected an object, got %s",
			    json_type_desc(so));
	if ((r = check_keys(c, so, path, subnet_rules)) < 0)
		return r;
	r = get_u32(c, so, path, "id", 1, UINT32_MAX - 1, &s->id);
	if (r < 0)
		return r;
	if (r == 0)
		return fail(c, path, "missing required key 'id'");
	r = get_str(c, so, path, "subnet", &text);
	if (r < 0)
		return r;
	if (r == 0)
		return fail(c, path, "missing required key 'subnet'");
	if ((r = parse_prefix(c, join(p, path, "subnet"), text, &s->network,
			      &s->prefix_len)))
		return r;
	if ((r = parse_timers(c, so, path, &t)) ||
	    (r = resolve_timers(c, &t, global, &s->valid_lifetime,
				&s->renew_timer, &s->rebind_timer)))
		return r;
	if ((r = parse_pools(c, so, path, s)) ||
	    (r = parse_relay(c, so, path, s)) ||
	    (r = parse_reservations(c, so, path, s)))
		return r;
	if ((r = get_str(c, so, path, "interface", &ifname)) < 0)
		return r;
	if (ifname) {
		if (!iface_listed(cfg, ifname))
			return fail(c, join(p, path, "interface"),
				    "'%s' is not listed in "
				    "interfaces-config.interfaces",
				    ifname);
		if ((r = set_str(&s->interface, ifname)))
			return r;
	}
	/* Global option-data first, then the subnet's own on top. */
	for (size_t i = 0; i < cfg->options.n; i++)
		if (option_list_add(&s->options, &cfg->options.opts[i]))
			return -ENOMEM;
	r = parse_option_list(c, so, path, &own);
	for (size_t i = 0; !r && i < own.n; i++)
		if (option_list_add(&s->options, &own.opts[i]))
			r = -ENOMEM;
	free(own.opts);
	return r;
}

/* Checks across subnets, once all are parsed. */
static int check_subnets(struct ctx *c)
{
	struct dx_config *cfg = c->cfg;
	char p[PATH_LEN], q[PATH_LEN], a[16], b[16];

	for (size_t i = 0; i < cfg->n_subnets; i++) {
		struct dx_subnet_conf *s = &cfg->subnets[i];
		char sp[PATH_LEN];

		idx(sp, "Dhcp4.subnet4", i);
		for (size_t j = 0; j < i; j++) {
			const struct dx_subnet_conf *o = &cfg->subnets[j];
			uint8_t l = s->prefix_len < o->prefix_len
					    ? s->prefix_len
					    : o->prefix_len;

			if (s->id == o->id)
				return fail(c, join(p, sp, "id"),
					    "%u is already used by "
					    "subnet4[%zu]",
					    s->id, j);
			if ((s->network & prefix_mask(l)) ==
			    (o->network & prefix_mask(l)))
				return fail(
					c, join(p, sp, "subnet"),
					"%s/%u overlaps subnet4[%zu] "
					"(%s/%u)",
					ip_str(s->network, a), s->prefix_len, j,
					ip_str(o->network, b), o->prefix_len);
			for (size_t k = 0; k < s->n_relay; k++)
				for (size_t m = 0; m < o->n_relay; m++)
					if (s->relay_addrs[k] ==
					    o->relay_addrs[m]) {
						idx(p,
						    join(q, sp,
							 "relay.ip-addresses"),
						    k);
						return fail(
							c, p,
							"%s is already a relay "
							"of subnet4[%zu]",
							ip_str(s->relay_addrs
								       [k],
							       a),
							j);
					}
		}
		/* The only interface is the default for an unbound subnet. */
		if (!s->interface && !s->n_relay) {
			if (cfg->n_interfaces != 1)
				return fail(c, sp,
					    "subnet %s/%u is unreachable: set "
					    "\"interface\" or \"relay\" "
					    "(required unless "
					    "interfaces-config lists exactly "
					    "one interface)",
					    ip_str(s->network, a),
					    s->prefix_len);
			if (set_str(&s->interface, cfg->interfaces[0].name))
				return -ENOMEM;
		}
		for (size_t j = 0; s->interface && j < i; j++) {
			const struct dx_subnet_conf *o = &cfg->subnets[j];
			if (o->interface && !strcmp(o->interface, s->interface))
				return fail(
					c, join(p, sp, "interface"),
					"interface '%s' already serves "
					"subnet4[%zu] (id %u): one directly "
					"attached subnet per interface",
					s->interface, j, o->id);
		}
	}
	return 0;
}

static int parse_subnets(struct ctx *c, const struct timers *global)
{
	struct dx_config *cfg = c->cfg;
	struct json_object *arr;
	char p[PATH_LEN];
	size_t n;
	int r;

	r = get_typed(c, c->dhcp4, "Dhcp4", "subnet4", json_type_array,
		      "a list", &arr);
	if (r < 0)
		return r;
	n = r ? json_object_array_length(arr) : 0;
	if (n == 0) {
		warn(c, "Dhcp4.subnet4",
		     "no subnets: the server will not hand out addresses");
		return 0;
	}
	cfg->subnets = calloc(n, sizeof(*cfg->subnets));
	if (!cfg->subnets)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		cfg->n_subnets++;
		r = parse_subnet(c, json_object_array_get_idx(arr, i),
				 idx(p, "Dhcp4.subnet4", i), global,
				 &cfg->subnets[i]);
		if (r)
			return r;
	}
	return check_subnets(c);
}

/* --- the rest of Dhcp4 ------------------------------------------------ */

static const struct key_rule dhcp4_rules[] = {
	{"interfaces-config", K_HANDLED, NULL},
	{"valid-lifetime", K_HANDLED, NULL},
	{"renew-timer", K_HANDLED, NULL},
	{"rebind-timer", K_HANDLED, NULL},
	{"subnet4", K_HANDLED, NULL},
	{"option-data", K_HANDLED, NULL},
	{"lease-database", K_HANDLED, NULL},
	{"control-socket", K_HANDLED, NULL},
	{"decline-probation-period", K_HANDLED, NULL},
	{"offer-lifetime", K_HANDLED, NULL},
	{"host-reservation-identifiers", K_HANDLED, NULL},
	{"dhcp-ddns", K_HANDLED, NULL},
	{"dhcpxdp", K_HANDLED, NULL},
	{"loggers", K_IGNORED, NULL},
	{"server-tag", K_IGNORED, NULL},
	{"expired-leases-processing", K_IGNORED, NULL},
	{"multi-threading", K_IGNORED, NULL},
	{"dhcp-queue-control", K_IGNORED, NULL},
	{"sanity-checks", K_IGNORED, NULL},
	{"statistic-default-*", K_IGNORED, NULL},
	{"echo-client-id", K_IGNORED, NULL},
	{"match-client-id", K_IGNORED, NULL},
	{"authoritative", K_IGNORED, NULL},
	{"calculate-tee-times", K_IGNORED, NULL},
	{"t1-percent", K_IGNORED, NULL},
	{"t2-percent", K_IGNORED, NULL},
	{"min-valid-lifetime", K_IGNORED, NULL},
	{"max-valid-lifetime", K_IGNORED, NULL},
	{"store-extended-info", K_IGNORED, NULL},
	{"cache-*", K_IGNORED, NULL},
	{"ddns-*", K_IGNORED, NULL},
	{"hostname-char-*", K_IGNORED, NULL},
	{"reservations-*", K_IGNORED, NULL},
	{"reservation-mode", K_IGNORED, NULL},
	{"early-global-reservations-lookup", K_IGNORED, NULL},
	{"parked-packet-limit", K_IGNORED, NULL},
	{"allocator", K_IGNORED, NULL},
	{"dhcp4o6-port", K_IGNORED, NULL},
	{"shared-networks", K_UNSUPPORTED,
	 "shared networks are not implemented; give each subnet its own "
	 "interface or relay"},
	{"client-classes", K_UNSUPPORTED, "client classes are not implemented"},
	{"hooks-libraries", K_UNSUPPORTED,
	 "Kea hook libraries cannot be loaded"},
	{"option-def", K_UNSUPPORTED,
	 "custom option definitions are not implemented; give the option by "
	 "code with \"csv-format\": false and hex data"},
	{"reservations", K_UNSUPPORTED,
	 "global reservations are not implemented; put each reservation in "
	 "its subnet"},
	{"hosts-database", K_UNSUPPORTED,
	 "reservations come from the configuration file only"},
	{"hosts-databases", K_UNSUPPORTED,
	 "reservations come from the configuration file only"},
	{"config-control", K_UNSUPPORTED,
	 "the configuration comes from the file only"},
	{"control-sockets", K_UNSUPPORTED,
	 "use a single \"control-socket\" object"},
	{"next-server", K_UNSUPPORTED,
	 "BOOTP siaddr/sname/file are not set; use options 66 and 67"},
	{"server-hostname", K_UNSUPPORTED,
	 "BOOTP siaddr/sname/file are not set; use options 66 and 67"},
	{"boot-file-name", K_UNSUPPORTED,
	 "BOOTP siaddr/sname/file are not set; use options 66 and 67"},
	{NULL, 0, NULL},
};

static const struct key_rule lease_db_rules[] = {
	{"type", K_HANDLED, NULL},
	{"name", K_HANDLED, NULL},
	{"lfc-interval", K_IGNORED, NULL},
	{"persist", K_IGNORED, NULL},
	{NULL, 0, NULL},
};

static const struct key_rule control_rules[] = {
	{"socket-type", K_HANDLED, NULL},
	{"socket-name", K_HANDLED, NULL},
	{NULL, 0, NULL},
};

static const struct key_rule dhcpxdp_rules[] = {
	{"pin-dir", K_HANDLED, NULL},
	{"xdp-mode", K_HANDLED, NULL},
	{"horizon-factor", K_HANDLED, NULL},
	{"decline-probation-period", K_HANDLED, NULL},
	{"offer-lifetime", K_HANDLED, NULL},
	{"lease-map-capacity", K_HANDLED, NULL},
	{"metrics-listen", K_HANDLED, NULL},
	{NULL, 0, NULL},
};

static int parse_lease_db(struct ctx *c)
{
	const char *path = "Dhcp4.lease-database", *type = NULL, *name = NULL;
	struct dx_config *cfg = c->cfg;
	struct json_object *o;
	char p[PATH_LEN];
	int r;

	r = get_typed(c, c->dhcp4, "Dhcp4", "lease-database", json_type_object,
		      "an object", &o);
	if (r <= 0)
		return r;
	if ((r = check_keys(c, o, path, lease_db_rules)) < 0 ||
	    (r = get_str(c, o, path, "type", &type)) < 0 ||
	    (r = get_str(c, o, path, "name", &name)) < 0)
		return r;
	join(p, path, "type");
	if (type && !strcmp(type, "memfile"))
		return fail(c, p,
			    "'memfile' (Kea's CSV lease file) is not "
			    "supported: dhcpxdp keeps leases in SQLite; set "
			    "\"type\": \"sqlite\" and \"name\" to the database "
			    "file");
	if (type && strcmp(type, "sqlite"))
		return fail(c, p,
			    "'%s' is not supported: dhcpxdp keeps leases in "
			    "SQLite; use \"type\": \"sqlite\"",
			    type);
	if (name && (r = set_str(&cfg->lease_db.name, name)))
		return r;
	return 0;
}

static int parse_control_socket(struct ctx *c)
{
	const char *path = "Dhcp4.control-socket", *type = NULL, *name = NULL;
	struct dx_config *cfg = c->cfg;
	struct json_object *o;
	char p[PATH_LEN];
	int r;

	r = get_typed(c, c->dhcp4, "Dhcp4", "control-socket", json_type_object,
		      "an object", &o);
	if (r <= 0)
		return r;
	if ((r = check_keys(c, o, path, control_rules)) < 0 ||
	    (r = get_str(c, o, path, "socket-type", &type)) < 0 ||
	    (r = get_str(c, o, path, "socket-name", &name)) < 0)
		return r;
	if (type && strcmp(type, "unix"))
		return fail(c, join(p, path, "socket-type"),
			    "'%s' is not supported: only \"unix\"", type);
	if (name && strlen(name) >= 108) /* sizeof(sun_path) */
		return fail(c, join(p, path, "socket-name"),
			    "'%s' is too long for a Unix socket path", name);
	if (name && (r = set_str(&cfg->control_socket.socket_name, name)))
		return r;
	return 0;
}

static int parse_metrics_listen(struct ctx *c, const char *path, const char *s)
{
	const char *colon = strrchr(s, ':');
	char *end;
	long port;

	if (!colon || colon == s)
		goto bad;
	port = strtol(colon + 1, &end, 10);
	if (end == colon + 1 || *end || port < 1 || port > 65535)
		goto bad;
	return set_str(&c->cfg->dhcpxdp.metrics_listen, s);
bad:
	return fail(c, path, "'%s' is not ADDRESS:PORT (e.g. 127.0.0.1:9100)",
		    s);
}

static int parse_dhcpxdp(struct ctx *c)
{
	const char *path = "Dhcp4.dhcpxdp", *s;
	struct dx_config *cfg = c->cfg;
	struct json_object *o, *v;
	char p[PATH_LEN];
	int r;

	r = get_typed(c, c->dhcp4, "Dhcp4", "dhcpxdp", json_type_object,
		      "an object", &o);
	if (r <= 0)
		return r;
	if ((r = check_keys(c, o, path, dhcpxdp_rules)) < 0)
		return r;
	if ((r = get_str(c, o, path, "pin-dir", &s)) < 0 ||
	    (r > 0 && (r = set_str(&cfg->dhcpxdp.pin_dir, s))))
		return r;
	if ((r = get_str(c, o, path, "xdp-mode", &s)) < 0)
		return r;
	if (r > 0) {
		if (strcmp(s, "native") && strcmp(s, "skb"))
			return fail(c, join(p, path, "xdp-mode"),
				    "'%s' is not an XDP mode: use \"native\" "
				    "or \"skb\"",
				    s);
		if ((r = set_str(&cfg->dhcpxdp.xdp_mode, s)))
			return r;
	}
	if (json_object_object_get_ex(o, "horizon-factor", &v)) {
		enum json_type t = json_object_get_type(v);
		double f = json_object_get_double(v);

		join(p, path, "horizon-factor");
		if (t != json_type_int && t != json_type_double)
			return fail(c, p, "expected a number, got %s",
				    json_type_desc(v));
		/* Below 1 a grant could outlive its durable horizon. */
		if (!(f >= 1.0 && f <= 1000.0))
			return fail(c, p, "%g must be between 1 and 1000", f);
		cfg->dhcpxdp.horizon_factor = f;
	}
	if ((r = get_u32(c, o, path, "decline-probation-period", 0, UINT32_MAX,
			 &cfg->dhcpxdp.decline_probation)) < 0 ||
	    (r = get_u32(c, o, path, "offer-lifetime", 0, UINT32_MAX,
			 &cfg->dhcpxdp.offer_hold)) < 0 ||
	    (r = get_u32(c, o, path, "lease-map-capacity", 1, 1U << 30,
			 &cfg->dhcpxdp.lease_map_capacity)) < 0)
		return r;
	if ((r = get_str(c, o, path, "metrics-listen", &s)) < 0)
		return r;
	if (r > 0)
		return parse_metrics_listen(c, join(p, path, "metrics-listen"),
					    s);
	return 0;
}

static int parse_misc(struct ctx *c)
{
	struct json_object *o, *arr;
	char p[PATH_LEN], q[PATH_LEN];
	bool on = false;
	int r;

	r = get_typed(c, c->dhcp4, "Dhcp4", "dhcp-ddns", json_type_object,
		      "an object", &o);
	if (r < 0)
		return r;
	if (r > 0 &&
	    (r = get_bool(c, o, "Dhcp4.dhcp-ddns", "enable-updates", &on)) < 0)
		return r;
	if (on)
		return fail(c, "Dhcp4.dhcp-ddns.enable-updates",
			    "'dhcp-ddns' is not supported by dhcpxdp: DNS "
			    "updates are not implemented; set it to false");
	r = get_typed(c, c->dhcp4, "Dhcp4", "host-reservation-identifiers",
		      json_type_array, "a list", &arr);
	if (r < 0)
		return r;
	for (size_t i = 0; r > 0 && i < json_object_array_length(arr); i++) {
		struct json_object *v = json_object_array_get_idx(arr, i);
		const char *s = json_object_get_string(v);

		idx(q, join(p, "Dhcp4", "host-reservation-identifiers"), i);
		if (json_object_get_type(v) != json_type_string)
			return fail(c, q, "expected a string, got %s",
				    json_type_desc(v));
		if (strcmp(s, "hw-address") && strcmp(s, "client-id"))
			return fail(c, q,
				    "'host-reservation-identifiers' value "
				    "'%s' is not supported: only hw-address "
				    "and client-id",
				    s);
	}
	return 0;
}

static int set_defaults(struct dx_config *cfg)
{
	if (set_str(&cfg->lease_db.type, "sqlite") ||
	    set_str(&cfg->lease_db.name, CONFIG_DEFAULT_LEASE_DB) ||
	    set_str(&cfg->control_socket.socket_type, "unix") ||
	    set_str(&cfg->control_socket.socket_name,
		    CONFIG_DEFAULT_CONTROL_SOCKET) ||
	    set_str(&cfg->dhcpxdp.pin_dir, CONFIG_DEFAULT_PIN_DIR) ||
	    set_str(&cfg->dhcpxdp.xdp_mode, CONFIG_DEFAULT_XDP_MODE))
		return -ENOMEM;
	cfg->dhcpxdp.horizon_factor = CONFIG_DEFAULT_HORIZON_FACTOR;
	cfg->dhcpxdp.decline_probation = CONFIG_DEFAULT_DECLINE_PROBATION;
	cfg->dhcpxdp.offer_hold = CONFIG_DEFAULT_OFFER_LIFETIME;
	cfg->dhcpxdp.lease_map_capacity = CONFIG_DEFAULT_LEASE_MAP_CAPACITY;
	return 0;
}

static int parse_dhcp4(struct ctx *c)
{
	struct dx_config *cfg = c->cfg;
	struct timers global = {0};
	int r;

	if ((r = set_defaults(cfg)) ||
	    (r = check_keys(c, c->dhcp4, "Dhcp4", dhcp4_rules)) < 0)
		return r;
	if ((r = parse_misc(c)) || (r = parse_interfaces(c)) ||
	    (r = parse_timers(c, c->dhcp4, "Dhcp4", &global)) ||
	    (r = resolve_timers(c, &global, NULL, &cfg->valid_lifetime,
				&cfg->renew_timer, &cfg->rebind_timer)))
		return r;
	/* Kea's top-level keys; the dhcpxdp object, parsed after, wins. */
	if ((r = get_u32(c, c->dhcp4, "Dhcp4", "decline-probation-period", 0,
			 UINT32_MAX, &cfg->dhcpxdp.decline_probation)) < 0 ||
	    (r = get_u32(c, c->dhcp4, "Dhcp4", "offer-lifetime", 0, UINT32_MAX,
			 &cfg->dhcpxdp.offer_hold)) < 0)
		return r;
	if ((r = parse_lease_db(c)) || (r = parse_control_socket(c)) ||
	    (r = parse_dhcpxdp(c)) ||
	    (r = parse_option_list(c, c->dhcp4, "Dhcp4", &cfg->options)))
		return r;
	return parse_subnets(c, &global);
}

/* --- JSON text ------------------------------------------------------------ */

/* "line L, column C: what" for byte @off of @text. */
static int text_error(struct ctx *c, const char *text, size_t off,
		      const char *what)
{
	unsigned line = 1, col = 1;

	for (size_t i = 0; i < off && text[i]; i++) {
		if (text[i] == '\n')
			line++, col = 1;
		else
			col++;
	}
	return fail(c, NULL, "line %u, column %u: %s", line, col, what);
}

static int json_error(struct ctx *c, const char *text, size_t off,
		      const char *what)
{
	char msg[256];

	snprintf(msg, sizeof(msg), "JSON syntax error: %s", what);
	return text_error(c, text, off, msg);
}

/*
 * Kea accepts //, # and C comments in its JSON; json-c does not, so they
 * are blanked out first (keeping newlines, so line numbers stay right).
 */
static int strip_comments(struct ctx *c, char *s)
{
	bool in_str = false;

	for (char *p = s; *p; p++) {
		if (in_str) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == '"')
				in_str = false;
			continue;
		}
		if (*p == '"') {
			in_str = true;
		} else if (*p == '#' || (*p == '/' && p[1] == '/')) {
			while (p[1] && p[1] != '\n')
				*p++ = ' ';
			*p = ' ';
		} else if (*p == '/' && p[1] == '*') {
			size_t start = p - s;

			*p++ = ' ';
			*p++ = ' ';
			while (*p && !(*p == '*' && p[1] == '/')) {
				if (*p != '\n')
					*p = ' ';
				p++;
			}
			if (!*p)
				return text_error(c, s, start,
						  "unterminated /* comment");
			p[0] = p[1] = ' ';
			p++;
		}
	}
	return 0;
}

static int parse_text(struct ctx *c, char *text, struct json_object **root)
{
	struct json_tokener *tok;
	enum json_tokener_error je;
	size_t len = strlen(text), end;
	int r;

	if ((r = strip_comments(c, text)))
		return r;
	tok = json_tokener_new();
	if (!tok)
		return -ENOMEM;
	*root = json_tokener_parse_ex(tok, text, len);
	je = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (je == json_tokener_continue)
		return json_error(c, text, len, "unexpected end of file");
	if (je != json_tokener_success)
		return json_error(c, text, end, json_tokener_error_desc(je));
	while (end < len && isspace((unsigned char)text[end]))
		end++;
	if (end < len) {
		json_object_put(*root);
		*root = NULL;
		return json_error(c, text, end,
				  "unexpected text after the JSON object");
	}
	return 0;
}

static const char *const other_servers[] = {
	"Dhcp6", "DhcpDdns", "Control-agent", "Netconf", "Logging", NULL,
};

static int load(struct ctx *c, char *text)
{
	struct json_object *root = NULL;
	int r;

	if ((r = parse_text(c, text, &root)))
		goto out;
	if (json_object_get_type(root) != json_type_object) {
		r = fail(c, NULL,
			 "expected a JSON object with a \"Dhcp4\" key");
		goto out;
	}
	json_object_object_foreach(root, key, val)
	{
		bool known = !strcmp(key, "Dhcp4");

		(void)val;
		for (size_t i = 0; !known && other_servers[i]; i++)
			if (!strcmp(key, other_servers[i])) {
				warn(c, key,
				     "ignored: dhcpxdp reads only the Dhcp4 "
				     "object");
				known = true;
			}
		if (!known)
			warn(c, key, "unknown key, ignored");
	}
	r = get_typed(c, root, "", "Dhcp4", json_type_object, "an object",
		      &c->dhcp4);
	if (r == 0)
		r = fail(c, NULL, "no \"Dhcp4\" object");
	if (r < 0)
		goto out;
	r = parse_dhcp4(c);
out:
	json_object_put(root);
	return r;
}

static int load_common(const char *text, size_t len, const char *name,
		       struct dx_config **out, struct config_diag *diag)
{
	struct config_diag local = {0};
	struct ctx c = {.file = name};
	char *copy = NULL;
	int r = -ENOMEM;

	c.diag = diag ? diag : &local;
	c.diag->error[0] = '\0';
	c.diag->warnings = NULL;
	c.diag->n_warnings = 0;
	*out = NULL;
	c.cfg = calloc(1, sizeof(*c.cfg));
	copy = malloc(len + 1);
	if (!c.cfg || !copy)
		goto out;
	memcpy(copy, text, len);
	copy[len] = '\0';
	if (strlen(copy) != len) {
		r = fail(&c, NULL, "the file contains a NUL byte");
		goto out;
	}
	if (!(c.cfg->path = strdup(name)))
		goto out;
	r = load(&c, copy);
out:
	free(copy);
	if (r == -ENOMEM && !c.diag->error[0])
		snprintf(c.diag->error, sizeof(c.diag->error),
			 "%s: out of memory", name);
	if (r) {
		config_free(c.cfg);
		c.cfg = NULL;
	}
	*out = c.cfg;
	config_diag_free(&local);
	return r;
}

int config_load_string(const char *json, const char *name,
		       struct dx_config **out, struct config_diag *diag)
{
	if (!out)
		return -EINVAL;
	if (!name)
		name = "<string>";
	if (!json) {
		*out = NULL;
		if (diag)
			snprintf(diag->error, sizeof(diag->error),
				 "%s: no configuration text", name);
		return -EINVAL;
	}
	return load_common(json, strlen(json), name, out, diag);
}

int config_load(const char *path, struct dx_config **out,
		struct config_diag *diag)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = NULL;
	int r;

	if (!out || !path)
		return -EINVAL;
	*out = NULL;
	if (diag) {
		diag->error[0] = '\0';
		diag->warnings = NULL;
		diag->n_warnings = 0;
	}
	f = fopen(path, "re");
	if (!f) {
		r = -errno;
		goto err;
	}
	buf = malloc(CONFIG_MAX_FILE + 1);
	if (!buf) {
		r = -ENOMEM;
		goto err;
	}
	len = fread(buf, 1, CONFIG_MAX_FILE + 1, f);
	if (ferror(f)) {
		r = -EIO;
		goto err;
	}
	if (len > CONFIG_MAX_FILE) {
		r = -EFBIG;
		goto err;
	}
	fclose(f);
	r = load_common(buf, len, path, out, diag);
	free(buf);
	return r;
err:
	if (diag)
		snprintf(diag->error, sizeof(diag->error),
			 "%s: cannot read: %s", path, strerror(-r));
	if (f)
		fclose(f);
	free(buf);
	return r;
}

static void option_list_free(struct dx_option_list *l)
{
	free(l->opts);
	l->opts = NULL;
	l->n = 0;
}

void config_free(struct dx_config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->n_interfaces; i++)
		free(cfg->interfaces[i].name);
	free(cfg->interfaces);
	for (size_t i = 0; i < cfg->n_subnets; i++) {
		struct dx_subnet_conf *s = &cfg->subnets[i];

		free(s->pools);
		option_list_free(&s->options);
		for (size_t j = 0; j < s->n_reservations; j++) {
			free(s->reservations[j].client_id);
			free(s->reservations[j].hostname);
			option_list_free(&s->reservations[j].options);
		}
		free(s->reservations);
		free(s->relay_addrs);
		free(s->interface);
	}
	free(cfg->subnets);
	option_list_free(&cfg->options);
	free(cfg->lease_db.type);
	free(cfg->lease_db.name);
	free(cfg->control_socket.socket_type);
	free(cfg->control_socket.socket_name);
	free(cfg->dhcpxdp.pin_dir);
	free(cfg->dhcpxdp.xdp_mode);
	free(cfg->dhcpxdp.metrics_listen);
	free(cfg->path);
	free(cfg);
}

void config_diag_free(struct config_diag *diag)
{
	if (!diag)
		return;
	for (size_t i = 0; i < diag->n_warnings; i++)
		free(diag->warnings[i]);
	free(diag->warnings);
	diag->warnings = NULL;
	diag->n_warnings = 0;
}

const struct dx_subnet_conf *config_subnet_by_id(const struct dx_config *cfg,
						 uint32_t id)
{
	if (!cfg)
		return NULL;
	for (size_t i = 0; i < cfg->n_subnets; i++)
		if (cfg->subnets[i].id == id)
			return &cfg->subnets[i];
	return NULL;
}

const struct dx_option *dx_option_find(const struct dx_option_list *list,
				       uint8_t code)
{
	if (!list)
		return NULL;
	for (size_t i = 0; i < list->n; i++)
		if (list->opts[i].code == code)
			return &list->opts[i];
	return NULL;
}

uint32_t config_interface_subnet(const struct dx_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->n_subnets; i++)
		if (cfg->subnets[i].interface &&
		    !strcmp(cfg->subnets[i].interface, name))
			return cfg->subnets[i].id;
	return 0;
}

uint32_t config_interface_addr(const struct dx_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->n_interfaces; i++)
		if (!strcmp(cfg->interfaces[i].name, name))
			return cfg->interfaces[i].addr;
	return 0;
}

bool config_lists_interface(const struct dx_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->n_interfaces; i++)
		if (!strcmp(cfg->interfaces[i].name, name))
			return true;
	return false;
}

uint32_t config_subnet_of_addr(const struct dx_config *cfg, uint32_t addr)
{
	for (size_t i = 0; i < cfg->n_subnets; i++) {
		const struct dx_subnet_conf *sc = &cfg->subnets[i];
		uint32_t mask =
			sc->prefix_len ? ~0U << (32 - sc->prefix_len) : 0;

		if ((addr & mask) == sc->network)
			return sc->id;
	}
	return 0;
}
