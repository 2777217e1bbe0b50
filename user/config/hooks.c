// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Dhcp4.hooks-libraries: Kea's hook libraries are not loaded, but four
 * of them do what dhcpxdp does itself, so a Kea configuration that lists
 * them keeps its meaning:
 *  - libdhcp_lease_cmds.so: the lease4-* commands, which the control
 *    socket answers (docs/control.md); no parameters;
 *  - libdhcp_flex_id.so: a flexible identifier for host reservations, a
 *    string expression over the request (Kea's classification syntax)
 *    whose value is matched against reservations' flex-id, as Kea's
 *    host-reservation-identifiers "flex-id". Kea's way to reserve by the
 *    relay's remote-id (option 82 sub-option 2, RFC 3046 §2.2) is this
 *    with "relay4[2].hex";
 *  - libdhcp_legal_log.so: Kea's forensic log lines, which the daemon
 *    writes itself (lease_history.c);
 *  - libdhcp_ha.so: a high-availability pair, run over the shared lease
 *    database (ha.c).
 * Any other library is refused, naming it.
 */
#include <errno.h>
#include <string.h>
#include <json-c/json.h>

#include "classify/classify.h"
#include "config/config.h"
#include "config/config_internal.h"

static const struct key_rule hook_rules[] = {
	{"library", K_HANDLED, NULL},
	{"parameters", K_HANDLED, NULL},
	{NULL, K_HANDLED, NULL},
};

static const struct key_rule flex_id_rules[] = {
	{"identifier-expression", K_HANDLED, NULL},
	{"replace-client-id", K_HANDLED, NULL},
	/* DHCPv6 only (Kea's hook ignores it in DHCPv4) */
	{"ignore-iaid", K_IGNORED, NULL},
	{NULL, K_HANDLED, NULL},
};

/* The file name of a library path. */
static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static int flex_id_parse(struct config_ctx *c, struct json_object *hook,
			 const char *path)
{
	char p[CONFIG_PATH_LEN], pp[CONFIG_PATH_LEN], err[CLS_ERR_MAX];
	struct json_object *params = NULL;
	const char *expr = NULL;
	bool replace = false;
	int r;

	if (c->cfg->flex_id_expr)
		return jpath_fail(c, path,
				  "libdhcp_flex_id.so is listed twice");
	r = jpath_get(c, hook, path, "parameters", json_type_object,
		      "an object", &params);
	if (r < 0)
		return r;
	jpath_join(p, path, "parameters");
	if (!r)
		return jpath_fail(c, path,
				  "libdhcp_flex_id.so needs 'parameters' with "
				  "an 'identifier-expression'");
	if ((r = jpath_check_keys(c, params, p, flex_id_rules)) < 0 ||
	    (r = jpath_str(c, params, p, "identifier-expression", &expr)) < 0 ||
	    (r = jpath_bool(c, params, p, "replace-client-id", &replace)) < 0)
		return r;
	if (!expr)
		return jpath_fail(c, p, "'identifier-expression' is missing");
	/* Kea's replace-client-id: the flex-id stands for the client
	 * identifier in lease allocation; not implemented. */
	if (replace)
		return jpath_fail(c, jpath_join(pp, p, "replace-client-id"),
				  "using the flex-id as the client identifier "
				  "is not supported: set it to false");
	if (cls_parse_string(expr, &c->cfg->flex_id_expr, err, sizeof(err)))
		return jpath_fail(c, jpath_join(pp, p, "identifier-expression"),
				  "%s", err);
	return 0;
}

int hooks_parse(struct config_ctx *c)
{
	char p[CONFIG_PATH_LEN], lp[CONFIG_PATH_LEN];
	struct json_object *arr;
	const char *lib;
	size_t n;
	int r;

	r = jpath_get(c, c->dhcp4, "Dhcp4", "hooks-libraries", json_type_array,
		      "a list", &arr);
	if (r <= 0)
		return r;
	n = json_object_array_length(arr);
	for (size_t i = 0; i < n; i++) {
		struct json_object *h = json_object_array_get_idx(arr, i);

		jpath_idx(p, "Dhcp4.hooks-libraries", i);
		if (json_object_get_type(h) != json_type_object)
			return jpath_fail(c, p, "expected an object, got %s",
					  jpath_type_desc(h));
		r = legal_log_hook_parse(c, h, p);
		if (!r)
			r = ha_hook_parse(c, h, p);
		if (r < 0)
			return r;
		if (r > 0)
			continue;
		if ((r = jpath_check_keys(c, h, p, hook_rules)) < 0 ||
		    (r = jpath_str(c, h, p, "library", &lib)) < 0)
			return r;
		if (!r)
			return jpath_fail(c, p, "'library' is missing");
		jpath_join(lp, p, "library");
		if (!strcmp(base_name(lib), "libdhcp_flex_id.so")) {
			if ((r = flex_id_parse(c, h, p)))
				return r;
		} else if (!strcmp(base_name(lib), "libdhcp_lease_cmds.so")) {
			/* its commands are the control socket's own */
			continue;
		} else {
			return jpath_fail(c, lp,
					  "'%s' is not supported by dhcpxdp: "
					  "Kea hook libraries cannot be "
					  "loaded (libdhcp_lease_cmds.so, "
					  "libdhcp_flex_id.so, "
					  "libdhcp_legal_log.so and "
					  "libdhcp_ha.so are built in)",
					  lib);
		}
	}
	return 0;
}
