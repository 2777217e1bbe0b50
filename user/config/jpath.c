// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Reading the JSON tree with every message naming FILE: JSON-PATH, so an
 * operator can find the offending key (docs/configuration.md).
 */
#include <stdarg.h>
#include <stdio.h>

#include "config/config.h"
#include "config/config_internal.h"

int jpath_fail(struct config_ctx *c, const char *path, const char *fmt, ...)
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

void jpath_warn(struct config_ctx *c, const char *path, const char *fmt, ...)
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

/* buf = a + b + c, cut at CONFIG_PATH_LEN (a cut path still points the
 * right way). */
static const char *cat3(char *buf, const char *a, const char *b, const char *c)
{
	const char *parts[3] = {a, b, c};
	size_t n = 0;

	for (int i = 0; i < 3; i++) {
		size_t l = strlen(parts[i]);

		if (l > CONFIG_PATH_LEN - 1 - n)
			l = CONFIG_PATH_LEN - 1 - n;
		memmove(buf + n, parts[i], l);
		n += l;
	}
	buf[n] = '\0';
	return buf;
}

const char *jpath_join(char *buf, const char *path, const char *key)
{
	if (!path || !*path)
		return cat3(buf, key, "", "");
	return cat3(buf, path, ".", key);
}

const char *jpath_idx(char *buf, const char *path, size_t i)
{
	char n[32];

	snprintf(n, sizeof(n), "[%zu]", i);
	return cat3(buf, path, n, "");
}

static bool key_matches(const char *pattern, const char *key)
{
	size_t n = strlen(pattern);

	if (n && pattern[n - 1] == '*')
		return !strncmp(pattern, key, n - 1);
	return !strcmp(pattern, key);
}

int jpath_check_keys(struct config_ctx *c, struct json_object *obj,
		     const char *path, const struct key_rule *rules)
{
	char p[CONFIG_PATH_LEN];

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
			jpath_warn(c, jpath_join(p, path, key),
				   "unknown key, ignored");
			continue;
		}
		if (r->kind == K_UNSUPPORTED)
			return jpath_fail(
				c, jpath_join(p, path, key),
				"'%s' is not supported by dhcpxdp: %s", key,
				r->why);
	}
	return 0;
}

const char *jpath_type_desc(struct json_object *v)
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

int jpath_get(struct config_ctx *c, struct json_object *obj, const char *path,
	      const char *key, enum json_type type, const char *want,
	      struct json_object **out)
{
	struct json_object *v;
	char p[CONFIG_PATH_LEN];

	if (!obj || !json_object_object_get_ex(obj, key, &v))
		return 0;
	if (json_object_get_type(v) != type)
		return jpath_fail(c, jpath_join(p, path, key),
				  "expected %s, got %s", want,
				  jpath_type_desc(v));
	*out = v;
	return 1;
}

int jpath_u32(struct config_ctx *c, struct json_object *obj, const char *path,
	      const char *key, uint32_t min, uint32_t max, uint32_t *out)
{
	struct json_object *v = NULL;
	char p[CONFIG_PATH_LEN];
	int64_t n;
	int r;

	r = jpath_get(c, obj, path, key, json_type_int, "an integer", &v);
	if (r <= 0)
		return r;
	n = json_object_get_int64(v);
	if (n < (int64_t)min || n > (int64_t)max)
		return jpath_fail(c, jpath_join(p, path, key),
				  "%lld is out of range (%u to %u)",
				  (long long)n, min, max);
	*out = n;
	return 1;
}

int jpath_bool(struct config_ctx *c, struct json_object *obj, const char *path,
	       const char *key, bool *out)
{
	struct json_object *v = NULL;
	int r = jpath_get(c, obj, path, key, json_type_boolean, "true or false",
			  &v);

	if (r > 0)
		*out = json_object_get_boolean(v);
	return r;
}

int jpath_str(struct config_ctx *c, struct json_object *obj, const char *path,
	      const char *key, const char **out)
{
	struct json_object *v = NULL;
	char p[CONFIG_PATH_LEN];
	int r = jpath_get(c, obj, path, key, json_type_string, "a string", &v);

	if (r <= 0)
		return r;
	*out = json_object_get_string(v);
	if (!**out)
		return jpath_fail(c, jpath_join(p, path, key),
				  "must not be empty");
	return 1;
}

int jpath_strs(struct config_ctx *c, struct json_object *obj, const char *path,
	       const struct jpath_str_dst *s, size_t n)
{
	const char *v;
	int r;

	for (size_t i = 0; i < n; i++) {
		v = NULL;
		if ((r = jpath_str(c, obj, path, s[i].key, &v)) < 0)
			return r;
		if (v && (r = config_set_str(s[i].dst, v)))
			return r;
	}
	return 0;
}
