// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * option-data lists, Kea's shape: each entry by name or code, its data
 * as CSV text or hex, encoded here once so the engine copies bytes. The
 * definitions (names, codes, formats) are wire/option_def.c.
 */
#include "config/config.h"
#include "config/config_internal.h"
#include "wire/option_def.h"

static const struct key_rule option_rules[] = {
	{"name", K_HANDLED, NULL},
	{"code", K_HANDLED, NULL},
	{"data", K_HANDLED, NULL},
	{"csv-format", K_HANDLED, NULL},
	{"always-send", K_HANDLED, NULL},
	{"space", K_HANDLED, NULL},
	{"never-send", K_UNSUPPORTED,
	 "remove the option instead of suppressing it"},
	{"client-classes", K_UNSUPPORTED,
	 "option class-tagging is not implemented; put the option in the "
	 "option-data of a client class"},
	{NULL, 0, NULL},
};

static int parse_option(struct config_ctx *c, struct json_object *o,
			const char *path, struct dx_option *opt)
{
	const struct option_def *def = NULL;
	const char *name = NULL, *space = NULL, *data = "";
	struct json_object *dv = NULL;
	char p[CONFIG_PATH_LEN], err[512];
	uint32_t code = 0;
	bool csv = true, has_code;
	size_t len = 0;
	int r;

	if (json_object_get_type(o) != json_type_object)
		return jpath_fail(c, path, "expected an object, got %s",
				  jpath_type_desc(o));
	if ((r = jpath_check_keys(c, o, path, option_rules)) < 0)
		return r;
	if ((r = jpath_str(c, o, path, "name", &name)) < 0 ||
	    (r = jpath_u32(c, o, path, "code", 1, 254, &code)) < 0 ||
	    (r = jpath_str(c, o, path, "space", &space)) < 0 ||
	    (r = jpath_bool(c, o, path, "csv-format", &csv)) < 0 ||
	    (r = jpath_bool(c, o, path, "always-send", &opt->always_send)) < 0)
		return r;
	has_code = json_object_object_get_ex(o, "code", NULL);
	r = jpath_get(c, o, path, "data", json_type_string, "a string", &dv);
	if (r < 0)
		return r;
	if (r > 0)
		data = json_object_get_string(dv);
	if (space && strcmp(space, "dhcp4"))
		return jpath_fail(
			c, jpath_join(p, path, "space"),
			"option space '%s' is not supported: only dhcp4",
			space);
	if (!name && !has_code)
		return jpath_fail(c, path,
				  "option-data entry needs a name or a code");
	if (name) {
		def = option_def_by_name(name);
		if (!def)
			return jpath_fail(
				c, jpath_join(p, path, "name"),
				"unknown option '%s': give it by code with "
				"\"csv-format\": false (option-def is not "
				"supported)",
				name);
		if (has_code && code != def->code)
			return jpath_fail(c, jpath_join(p, path, "code"),
					  "code %u does not match option '%s' "
					  "(code %u)",
					  code, name, def->code);
		code = def->code;
	} else {
		def = option_def_by_code(code);
	}
	if (option_code_check(code, err, sizeof(err)))
		return jpath_fail(c,
				  jpath_join(p, path, name ? "name" : "code"),
				  "%s", err);
	if (!def && csv)
		return jpath_fail(
			c, path,
			"option %u has no definition: set \"csv-format\": "
			"false and give the data as hex",
			code);
	opt->code = code;
	r = option_encode(def, data, csv, opt->data, sizeof(opt->data), &len,
			  err, sizeof(err));
	if (r == -ENOMEM)
		return r;
	if (r)
		return jpath_fail(c, jpath_join(p, path, "data"), "%s", err);
	opt->len = len;
	return 0;
}

int options_add(struct dx_option_list *l, const struct dx_option *o)
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

int options_parse(struct config_ctx *c, struct json_object *parent,
		  const char *ppath, struct dx_option_list *out)
{
	struct json_object *arr;
	char path[CONFIG_PATH_LEN], p[CONFIG_PATH_LEN];
	int r;

	r = jpath_get(c, parent, ppath, "option-data", json_type_array,
		      "a list", &arr);
	if (r <= 0)
		return r;
	jpath_join(path, ppath, "option-data");
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		struct dx_option opt = {0};

		jpath_idx(p, path, i);
		r = parse_option(c, json_object_array_get_idx(arr, i), p, &opt);
		if (r)
			return r;
		for (size_t j = 0; j < out->n; j++)
			if (out->opts[j].code == opt.code) {
				const struct option_def *d =
					option_def_by_code(opt.code);
				return jpath_fail(
					c, p,
					"option %u%s%s%s is already set by "
					"option-data[%zu]",
					opt.code, d ? " '" : "",
					d ? d->name : "", d ? "'" : "", j);
			}
		if (options_add(out, &opt))
			return -ENOMEM;
	}
	return 0;
}

void options_free(struct dx_option_list *l)
{
	free(l->opts);
	l->opts = NULL;
	l->n = 0;
}
