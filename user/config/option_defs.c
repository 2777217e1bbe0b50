// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Dhcp4.option-def, Kea's custom option definitions, and the option
 * spaces: which definition an option-data entry of a space and name (or
 * code) has. Kea's rules (its ARM, "Custom DHCPv4 Options"): name, code
 * and type required; a standard dhcp4 option cannot be redefined, but 43
 * can (Kea's own definition of it is a last resort); "record" needs
 * record-types and nothing else has them; an array cannot encapsulate, nor
 * a space itself.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>

#include "config/config.h"
#include "config/config_internal.h"
#include "dhcpxdp/dhcp_wire.h"

#define SPACES_MAX	  1024
#define RECORD_FIELDS_MAX 32

static const struct key_rule def_rules[] = {
	{"name", K_HANDLED, NULL},	   {"code", K_HANDLED, NULL},
	{"type", K_HANDLED, NULL},	   {"array", K_HANDLED, NULL},
	{"record-types", K_HANDLED, NULL}, {"space", K_HANDLED, NULL},
	{"encapsulate", K_HANDLED, NULL},  {NULL, 0, NULL},
};

/* Kea's DOCSIS 3 definitions (vendor 4491, its docsis3-v4 space). */
static const struct option_def docsis_defs[] = {
	{.name = "oro",
	 .code = 1,
	 .type = OPT_TYPE_UINT8,
	 .array = true,
	 .suboption = true},
	{.name = "tftp-servers",
	 .code = 2,
	 .type = OPT_TYPE_IPV4,
	 .array = true,
	 .suboption = true},
};

/* Kea's OptionSpace::validateName, also used for option names: letters,
 * digits, '-' and '_', neither of those two first or last. */
static bool valid_name(const char *s)
{
	size_t n = strlen(s);

	if (!n || strchr("-_", s[0]) || strchr("-_", s[n - 1]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
			return false;
	return true;
}

int option_space_id(struct dx_config *cfg, const char *name, bool add,
		    uint16_t *out)
{
	char **n;

	for (size_t i = 0; i < cfg->n_option_spaces; i++)
		if (!strcmp(cfg->option_spaces[i], name)) {
			*out = (uint16_t)i;
			return 0;
		}
	if (!add)
		return -ENOENT;
	if (cfg->n_option_spaces >= SPACES_MAX)
		return -E2BIG;
	n = realloc(cfg->option_spaces,
		    (cfg->n_option_spaces + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	cfg->option_spaces = n;
	n[cfg->n_option_spaces] = strdup(name);
	if (!n[cfg->n_option_spaces])
		return -ENOMEM;
	*out = (uint16_t)cfg->n_option_spaces++;
	return 0;
}

int option_space_vendor(const struct dx_config *cfg, uint16_t space,
			uint32_t *enterprise)
{
	const char *s = cfg->option_spaces[space];
	char *end;
	unsigned long long v;

	if (strncmp(s, "vendor-", 7) || !isdigit((unsigned char)s[7]))
		return -ENOENT;
	errno = 0;
	v = strtoull(s + 7, &end, 10);
	if (*end || errno || v > UINT32_MAX)
		return -ENOENT;
	*enterprise = (uint32_t)v;
	return 0;
}

bool option_space_builtin(const char *name)
{
	const char *p = name + 7;

	if (!strcmp(name, "dhcp4") ||
	    !strcmp(name, "vendor-encapsulated-options-space") ||
	    !strcmp(name, "docsis3-v4"))
		return true;
	if (strncmp(name, "vendor-", 7) || !*p || strlen(p) > 10)
		return false;
	for (; *p; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	return strtoull(name + 7, NULL, 10) <= UINT32_MAX;
}

bool option_space_known(const struct dx_config *cfg, uint16_t space)
{
	uint32_t ent;

	if (space == DX_SPACE_DHCP4 || space == DX_SPACE_VENDOR_ENCAP ||
	    !strcmp(cfg->option_spaces[space], "docsis3-v4") ||
	    !option_space_vendor(cfg, space, &ent))
		return true;
	for (size_t i = 0; i < cfg->n_option_defs; i++)
		if (cfg->option_defs[i].space == space ||
		    cfg->option_defs[i].encapsulate == space)
			return true;
	return false;
}

static bool docsis_space(const struct dx_config *cfg, uint16_t space)
{
	uint32_t ent;

	return !strcmp(cfg->option_spaces[space], "docsis3-v4") ||
	       (!option_space_vendor(cfg, space, &ent) && ent == 4491);
}

const struct option_def *option_defs_find(const struct dx_config *cfg,
					  uint16_t space, const char *name,
					  int code, uint16_t *encapsulate)
{
	const struct option_def *d = NULL;

	*encapsulate = 0;
	for (size_t i = 0; i < cfg->n_option_defs; i++) {
		const struct dx_option_def_conf *o = &cfg->option_defs[i];

		if (o->space != space ||
		    (name ? strcmp(o->name, name) : o->def.code != code))
			continue;
		*encapsulate = o->encapsulate;
		return &o->def;
	}
	if (space == DX_SPACE_DHCP4) {
		d = name ? option_def_by_name(name)
			 : option_def_by_code((uint8_t)code);
		/* Kea's last-resort definition of 43 carries its space. */
		if (d && d->code == DHCP_OPT_VENDOR_SPECIFIC)
			*encapsulate = DX_SPACE_VENDOR_ENCAP;
		return d;
	}
	if (docsis_space(cfg, space))
		for (size_t i = 0; i < sizeof(docsis_defs) / sizeof(*d); i++)
			if (name ? !strcmp(docsis_defs[i].name, name)
				 : docsis_defs[i].code == code)
				return &docsis_defs[i];
	return NULL;
}

/* A string key that may be "" (Kea's "not set"); NULL when absent. */
static int opt_str(struct config_ctx *c, struct json_object *o,
		   const char *path, const char *key, const char **out)
{
	struct json_object *v;
	int r = jpath_get(c, o, path, key, json_type_string, "a string", &v);

	*out = r > 0 ? json_object_get_string(v) : NULL;
	return r;
}

/* record-types: "ipv4-address, uint16, string" into d->fields. */
static int parse_record(struct config_ctx *c, const char *path,
			const char *text, struct dx_option_def_conf *d)
{
	char buf[512], *tok, *save = NULL;
	enum option_type t;

	if (strlen(text) >= sizeof(buf))
		return jpath_fail(c, path, "record-types is too long");
	strcpy(buf, text);
	d->fields = calloc(RECORD_FIELDS_MAX, sizeof(*d->fields));
	if (!d->fields)
		return -ENOMEM;
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		char *e = tok + strlen(tok);

		while (isspace((unsigned char)*tok))
			tok++;
		while (e > tok && isspace((unsigned char)e[-1]))
			*--e = '\0';
		if (option_type_by_name(tok, &t) || t == OPT_TYPE_RECORD ||
		    t == OPT_TYPE_EMPTY)
			return jpath_fail(c, path,
					  "'%s' is not a type a record field "
					  "can have",
					  tok);
		if (d->def.n_fields >= RECORD_FIELDS_MAX)
			return jpath_fail(c, path, "more than %d fields",
					  RECORD_FIELDS_MAX);
		d->fields[d->def.n_fields++] = t;
	}
	if (!d->def.n_fields)
		return jpath_fail(c, path,
				  "type 'record' needs its field types in "
				  "record-types");
	/* A string or binary field takes the rest of the option, so it can
	 * only be last, and not in an array (the last field repeats). */
	for (size_t i = 0; i < d->def.n_fields; i++) {
		t = d->fields[i];
		if ((t == OPT_TYPE_STRING || t == OPT_TYPE_BINARY) &&
		    (i + 1 < d->def.n_fields || d->def.array))
			return jpath_fail(c, path,
					  "a %s field must be the last one, "
					  "and not in an array record",
					  option_type_name(t));
	}
	d->def.fields = d->fields;
	return 0;
}

/* Kea's rules for where a definition may go. */
static int check_place(struct config_ctx *c, const char *path,
		       const struct dx_option_def_conf *d)
{
	struct dx_config *cfg = c->cfg;
	const struct option_def *std;
	char p[CONFIG_PATH_LEN];

	if (d->space == DX_SPACE_DHCP4) {
		if (d->def.code == DHCP_OPT_PAD || d->def.code == DHCP_OPT_END)
			return jpath_fail(c, jpath_join(p, path, "code"),
					  "code %u is reserved for %s in "
					  "space dhcp4",
					  d->def.code,
					  d->def.code ? "END" : "PAD");
		std = option_def_by_code(d->def.code);
		if (std && std->code != DHCP_OPT_VENDOR_SPECIFIC)
			return jpath_fail(c, jpath_join(p, path, "code"),
					  "code %u is the standard option "
					  "'%s': it cannot be redefined "
					  "(Kea refuses it too); pick a code "
					  "from 224 to 254",
					  d->def.code, std->name);
		std = option_def_by_name(d->name);
		if (std && std->code != d->def.code)
			return jpath_fail(c, jpath_join(p, path, "name"),
					  "'%s' is the name of standard "
					  "option %u",
					  d->name, std->code);
	}
	for (size_t i = 0; i < cfg->n_option_defs; i++) {
		const struct dx_option_def_conf *o = &cfg->option_defs[i];

		if (o->space != d->space)
			continue;
		if (o->def.code == d->def.code)
			return jpath_fail(c, jpath_join(p, path, "code"),
					  "option %u of space '%s' is already "
					  "defined by option-def[%zu]",
					  d->def.code,
					  cfg->option_spaces[d->space], i);
		if (!strcmp(o->name, d->name))
			return jpath_fail(c, jpath_join(p, path, "name"),
					  "option '%s' of space '%s' is "
					  "already defined by option-def[%zu]",
					  d->name, cfg->option_spaces[d->space],
					  i);
	}
	return 0;
}

static int parse_def(struct config_ctx *c, struct json_object *o,
		     const char *path, struct dx_option_def_conf *d)
{
	const char *name = NULL, *type = NULL, *rec = NULL, *space = "dhcp4",
		   *encap = NULL;
	char p[CONFIG_PATH_LEN];
	uint32_t code = 0;
	int r;

	if (json_object_get_type(o) != json_type_object)
		return jpath_fail(c, path, "expected an object, got %s",
				  jpath_type_desc(o));
	if ((r = jpath_check_keys(c, o, path, def_rules)) < 0 ||
	    (r = jpath_bool(c, o, path, "array", &d->def.array)) < 0)
		return r;
	if ((r = jpath_str(c, o, path, "name", &name)) < 0 ||
	    (!r && (r = jpath_fail(c, path, "missing required key 'name'"))))
		return r;
	if ((r = jpath_u32(c, o, path, "code", 0, 255, &code)) < 0 ||
	    (!r && (r = jpath_fail(c, path, "missing required key 'code'"))))
		return r;
	if ((r = jpath_str(c, o, path, "type", &type)) < 0 ||
	    (!r && (r = jpath_fail(c, path, "missing required key 'type'"))))
		return r;
	/* Kea writes "" for "not set" in record-types and encapsulate. */
	if ((r = opt_str(c, o, path, "record-types", &rec)) < 0 ||
	    (r = opt_str(c, o, path, "encapsulate", &encap)) < 0 ||
	    (r = jpath_str(c, o, path, "space", &space)) < 0)
		return r;
	if (!r)
		space = "dhcp4";
	if (!valid_name(name))
		return jpath_fail(c, jpath_join(p, path, "name"),
				  "'%s' is not an option name: letters, "
				  "digits, '-' and '_'",
				  name);
	if (!valid_name(space))
		return jpath_fail(c, jpath_join(p, path, "space"),
				  "'%s' is not an option space name: letters, "
				  "digits, '-' and '_'",
				  space);
	d->name = strdup(name);
	if (!d->name)
		return -ENOMEM;
	d->def.name = d->name;
	d->def.code = (uint8_t)code;
	if ((r = option_space_id(c->cfg, space, true, &d->space)))
		return r;
	d->def.suboption = d->space != DX_SPACE_DHCP4;
	if (option_type_by_name(type, &d->def.type))
		return jpath_fail(c, jpath_join(p, path, "type"),
				  "'%s' is not an option type (uint8/16/32, "
				  "int8/16/32, ipv4-address, ipv6-address, "
				  "boolean, string, binary, fqdn, tuple, "
				  "psid, empty, record)",
				  type);
	if (d->def.type == OPT_TYPE_RECORD) {
		if ((r = parse_record(c, jpath_join(p, path, "record-types"),
				      rec ? rec : "", d)))
			return r;
	} else if (rec && *rec) {
		return jpath_fail(c, jpath_join(p, path, "record-types"),
				  "record-types is for type 'record', not "
				  "'%s'",
				  type);
	}
	if (d->def.array &&
	    (d->def.type == OPT_TYPE_STRING || d->def.type == OPT_TYPE_BINARY ||
	     d->def.type == OPT_TYPE_EMPTY))
		return jpath_fail(c, jpath_join(p, path, "array"),
				  "an array of %s is not a valid option "
				  "definition",
				  type);
	if (encap && *encap) {
		if (d->def.array)
			return jpath_fail(c, jpath_join(p, path, "encapsulate"),
					  "an array option cannot encapsulate "
					  "an option space");
		if (!strcmp(encap, space) || !strcmp(encap, "dhcp4") ||
		    !valid_name(encap))
			return jpath_fail(c, jpath_join(p, path, "encapsulate"),
					  "'%s' cannot be encapsulated by an "
					  "option of space '%s'",
					  encap, space);
		if ((r = option_space_id(c->cfg, encap, true, &d->encapsulate)))
			return r;
	}
	return check_place(c, path, d);
}

static void def_free(struct dx_option_def_conf *d)
{
	free(d->name);
	free(d->fields);
}

int option_defs_parse(struct config_ctx *c)
{
	struct dx_config *cfg = c->cfg;
	struct json_object *arr;
	char p[CONFIG_PATH_LEN];
	uint16_t id;
	size_t n;
	int r;

	if ((r = option_space_id(cfg, "dhcp4", true, &id)) ||
	    (r = option_space_id(cfg, "vendor-encapsulated-options-space", true,
				 &id)))
		return r;
	r = jpath_get(c, c->dhcp4, "Dhcp4", "option-def", json_type_array,
		      "a list", &arr);
	if (r <= 0)
		return r;
	n = json_object_array_length(arr);
	cfg->option_defs = calloc(n ? n : 1, sizeof(*cfg->option_defs));
	if (!cfg->option_defs)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct dx_option_def_conf d = {0};

		r = parse_def(c, json_object_array_get_idx(arr, i),
			      jpath_idx(p, "Dhcp4.option-def", i), &d);
		if (r) {
			def_free(&d);
			return r;
		}
		cfg->option_defs[cfg->n_option_defs++] = d;
	}
	return 0;
}

int option_defs_class_push(struct config_ctx *c, struct json_object *obj,
			   const char *path, struct option_defs_saved *saved)
{
	struct dx_config *cfg = c->cfg;
	struct json_object *arr;
	char p[CONFIG_PATH_LEN], q[CONFIG_PATH_LEN];
	size_t n;
	int r;

	memset(saved, 0, sizeof(*saved));
	r = jpath_get(c, obj, path, "option-def", json_type_array, "a list",
		      &arr);
	if (r <= 0)
		return r;
	n = json_object_array_length(arr);
	saved->defs = cfg->option_defs;
	saved->n = cfg->n_option_defs;
	saved->pushed = true;
	cfg->option_defs = calloc(n + saved->n + 1, sizeof(*cfg->option_defs));
	cfg->n_option_defs = 0;
	if (!cfg->option_defs)
		return -ENOMEM;
	/* The class's checked among themselves only: they shadow the
	 * global ones, which follow them. */
	for (size_t i = 0; i < n; i++) {
		struct dx_option_def_conf d = {0};

		jpath_idx(p, jpath_join(q, path, "option-def"), i);
		r = parse_def(c, json_object_array_get_idx(arr, i), p, &d);
		if (!r && (d.space != DX_SPACE_DHCP4 ||
			   d.def.code != DHCP_OPT_VENDOR_SPECIFIC))
			r = jpath_fail(c, p,
				       "only option 43 (vendor-encapsulated-"
				       "options) can be defined in a client "
				       "class, as in Kea; define the others "
				       "in Dhcp4.option-def");
		if (r) {
			def_free(&d);
			return r;
		}
		cfg->option_defs[cfg->n_option_defs++] = d;
	}
	saved->n_class = cfg->n_option_defs;
	/* defs is NULL when there were none (memcpy wants a pointer). */
	if (saved->n)
		memcpy(cfg->option_defs + saved->n_class, saved->defs,
		       saved->n * sizeof(*saved->defs));
	cfg->n_option_defs += saved->n;
	return 0;
}

void option_defs_class_pop(struct config_ctx *c,
			   struct option_defs_saved *saved)
{
	struct dx_config *cfg = c->cfg;

	if (!saved->pushed)
		return;
	/* The class's own, in front; the global ones are the saved list's. */
	for (size_t i = 0; cfg->option_defs && i < saved->n_class; i++)
		def_free(&cfg->option_defs[i]);
	free(cfg->option_defs);
	cfg->option_defs = saved->defs;
	cfg->n_option_defs = saved->n;
	saved->pushed = false;
}

void option_defs_free(struct dx_config *cfg)
{
	for (size_t i = 0; i < cfg->n_option_defs; i++)
		def_free(&cfg->option_defs[i]);
	free(cfg->option_defs);
	for (size_t i = 0; i < cfg->n_option_spaces; i++)
		free(cfg->option_spaces[i]);
	free(cfg->option_spaces);
}
