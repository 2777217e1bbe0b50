// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * option-data lists, Kea's shape: each entry by name or code, its data
 * as CSV text or hex, encoded here once so the engine copies bytes. The
 * definitions (names, codes, formats) are wire/option_def.c.
 */
#include "config/config.h"
#include "config/config_internal.h"
#include "dhcpxdp/dhcp_wire.h"
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

/* Which definition the entry has: by name, or by code (may be none). */
static int resolve_def(struct config_ctx *c, const char *path, const char *name,
		       bool has_code, uint32_t code, struct dx_option *opt,
		       const struct option_def **def)
{
	const struct dx_config *cfg = c->cfg;
	const char *sp = cfg->option_spaces[opt->space];
	char p[CONFIG_PATH_LEN];
	uint16_t encap;

	if (!name) {
		*def = option_defs_find(cfg, opt->space, NULL, (int)code,
					&encap);
		opt->code = code;
		return 0;
	}
	*def = option_defs_find(cfg, opt->space, name, -1, &encap);
	if (!*def)
		return jpath_fail(
			c, jpath_join(p, path, "name"),
			"unknown option '%s' in space '%s': define it in "
			"option-def, or give it by code with \"csv-format\": "
			"false",
			name, sp);
	if (has_code && code != (*def)->code)
		return jpath_fail(c, jpath_join(p, path, "code"),
				  "code %u does not match option '%s' (code "
				  "%u)",
				  code, name, (*def)->code);
	opt->code = (*def)->code;
	return 0;
}

/*
 * Options a Kea configuration may set but whose value the server owns.
 * Kea takes a configured 54 as the server identifier of its replies (Kea
 * ARM, "Server Identifier in DHCPv4"); 52 and 57 it would send as given,
 * which misleads a client: 52 says sname and file carry options when
 * they carry BOOTP fields (RFC 2132 §9.3), and 57 is the client's own
 * limit (RFC 2132 §9.10). dhcpxdp checks them and does not send them.
 */
static bool server_owned(uint8_t code)
{
	return code == DHCP_OPT_OVERLOAD || code == DHCP_OPT_SERVER_ID ||
	       code == DHCP_OPT_MAX_MSG_SIZE;
}

/* 1: the entry is taken (option 54 into c->server_id) or ignored (52,
 * 57, with a warning); it joins no option list. */
static int server_owned_option(struct config_ctx *c, const char *path,
			       const struct option_def *def, const char *data,
			       bool csv)
{
	char p[CONFIG_PATH_LEN], err[256];
	uint8_t v[OPTION_MAX_LEN];
	size_t len = 0;
	uint32_t sid;
	int r;

	r = option_encode_value(def, data, csv, v, sizeof(v), &len, err,
				sizeof(err));
	if (r == -ENOMEM)
		return r;
	if (r)
		return jpath_fail(c, jpath_join(p, path, "data"), "%s", err);
	if (def->code != DHCP_OPT_SERVER_ID) {
		jpath_warn(c, path, "option %u '%s' is not sent: %s; ignored",
			   def->code, def->name,
			   def->code == DHCP_OPT_OVERLOAD
				   ? "the server decides on option overload "
				     "itself (RFC 2132 9.3)"
				   : "it is the client's limit, the server "
				     "never sends it (RFC 2132 9.10)");
		return 1;
	}
	if (!c->server_id)
		return jpath_fail(c, path,
				  "option 54 'dhcp-server-identifier' is "
				  "taken at the Dhcp4, shared network and "
				  "subnet levels only: set it on the subnet");
	if (len != 4)
		return jpath_fail(c, jpath_join(p, path, "data"),
				  "option 54 needs one IPv4 address");
	sid = (uint32_t)v[0] << 24 | (uint32_t)v[1] << 16 |
	      (uint32_t)v[2] << 8 | v[3];
	if (!sid || sid == UINT32_MAX || (sid >> 28) == 0xe)
		return jpath_fail(c, jpath_join(p, path, "data"),
				  "'%s' cannot identify a server: a unicast "
				  "address is needed",
				  data);
	*c->server_id = sid;
	return 1;
}

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
	    (r = jpath_u32(c, o, path, "code", 0, 255, &code)) < 0 ||
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
	if (!name && !has_code)
		return jpath_fail(c, path,
				  "option-data entry needs a name or a code");
	if (!space)
		space = "dhcp4";
	r = option_space_id(c->cfg, space, option_space_builtin(space),
			    &opt->space);
	if (r && r != -ENOENT)
		return r;
	if (r == -ENOENT || !option_space_known(c->cfg, opt->space))
		return jpath_fail(c, jpath_join(p, path, "space"),
				  "unknown option space '%s': define its "
				  "options in option-def (or use dhcp4, "
				  "vendor-encapsulated-options-space, "
				  "vendor-ENTERPRISE)",
				  space);
	if ((r = resolve_def(c, path, name, has_code, code, opt, &def)))
		return r;
	if (opt->space == DX_SPACE_DHCP4 && def && !def->suboption &&
	    server_owned(opt->code))
		return server_owned_option(c, path, def, data, csv);
	if (opt->space == DX_SPACE_DHCP4) {
		/* RFC 2132 §3: 0 and 255 are PAD and END, not options. */
		if (option_code_check(opt->code, err, sizeof(err)))
			return jpath_fail(
				c, jpath_join(p, path, name ? "name" : "code"),
				  "%s", err);
	}
	if (!def && csv)
		return jpath_fail(
			c, path,
			"option %u has no definition: set \"csv-format\": "
			"false and give the data as hex",
			opt->code);
	r = option_encode(def, data, csv, opt->data, sizeof(opt->data), &len,
			  err, sizeof(err));
	if (r == -ENOMEM)
		return r;
	if (r)
		return jpath_fail(c, jpath_join(p, path, "data"), "%s", err);
	opt->len = len;
	/* RFC 3925 §4: 125 names an enterprise whose options it carries. */
	if (opt->space == DX_SPACE_DHCP4 && opt->code == DHCP_OPT_VIVSO &&
	    csv) {
		opt->vivso = true;
		opt->enterprise = (uint32_t)opt->data[0] << 24 |
				  (uint32_t)opt->data[1] << 16 |
				  (uint32_t)opt->data[2] << 8 | opt->data[3];
	}
	return 0;
}

/* Two entries of one list set the same thing. */
static bool same_key(const struct dx_option *a, const struct dx_option *b)
{
	return a->space == b->space && a->code == b->code &&
	       a->vivso == b->vivso && a->enterprise == b->enterprise;
}

int options_add(struct dx_option_list *l, const struct dx_option *o)
{
	struct dx_option *n;

	for (size_t i = 0; i < l->n; i++)
		if (same_key(&l->opts[i], o)) {
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

static int dup_fail(struct config_ctx *c, const char *path,
		    const struct dx_option *o, size_t first)
{
	const struct option_def *d = NULL;
	uint16_t encap;

	if (o->space != DX_SPACE_DHCP4)
		return jpath_fail(c, path,
				  "option %u of space '%s' is already set by "
				  "option-data[%zu]",
				  o->code, c->cfg->option_spaces[o->space],
				  first);
	d = option_defs_find(c->cfg, o->space, NULL, o->code, &encap);
	return jpath_fail(c, path,
			  "option %u%s%s%s is already set by "
			  "option-data[%zu]",
			  o->code, d ? " '" : "", d ? d->name : "",
			  d ? "'" : "", first);
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
		if (r > 0)
			continue;
		if (r)
			return r;
		for (size_t j = 0; j < out->n; j++)
			if (same_key(&out->opts[j], &opt))
				return dup_fail(c, p, &opt, j);
		if (options_add(out, &opt))
			return -ENOMEM;
	}
	return 0;
}

int options_parse_level(struct config_ctx *c, struct json_object *parent,
			const char *ppath, struct dx_option_list *out,
			uint32_t *server_id)
{
	int r;

	c->server_id = server_id;
	r = options_parse(c, parent, ppath, out);
	c->server_id = NULL;
	return r;
}

void options_free(struct dx_option_list *l)
{
	free(l->opts);
	l->opts = NULL;
	l->n = 0;
}
