// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Kea's client-name keys: hostname-char-set, hostname-char-replacement,
 * ddns-replace-client-name, ddns-generated-prefix, ddns-qualifying-suffix
 * (Kea ARM, "Sanitizing Client Host Name and FQDN Names" and "Name
 * Generation for DDNS Update Requests"). One parser for the Dhcp4,
 * shared-network and subnet levels, each starting from its parent's
 * values; the engine applies them (engine/client_name.c).
 */
#include <regex.h>
#include "config/config.h"
#include "config/config_internal.h"

static const char *const replace_modes[] = {
	[DX_REPLACE_NEVER] = "never",
	[DX_REPLACE_ALWAYS] = "always",
	[DX_REPLACE_WHEN_PRESENT] = "when-present",
	[DX_REPLACE_WHEN_NOT_PRESENT] = "when-not-present",
};

void client_names_defaults(struct dx_client_name_conf *n)
{
	memset(n, 0, sizeof(*n));
	strcpy(n->char_set, DX_CLIENT_NAME_DEFAULT_CHAR_SET);
	strcpy(n->prefix, DX_CLIENT_NAME_DEFAULT_PREFIX);
	n->replace = DX_REPLACE_NEVER;
	ddns_keys_defaults(n);
}

/* A string key into dst (max bytes at most): 0 absent, 1 read, < 0. */
static int names_str(struct config_ctx *c, struct json_object *obj,
		     const char *path, const char *key, char *dst, size_t max)
{
	char p[CONFIG_PATH_LEN];
	struct json_object *v;
	const char *s;
	int r = jpath_get(c, obj, path, key, json_type_string, "a string", &v);

	if (r <= 0)
		return r;
	s = json_object_get_string(v);
	if (strlen(s) > max)
		return jpath_fail(c, jpath_join(p, path, key),
				  "%zu bytes long; at most %zu", strlen(s),
				  max);
	memset(dst, 0, max + 1);
	memcpy(dst, s, strlen(s));
	return 1;
}

/*
 * A name the generated one is made of (RFC 1035 §2.3.4): labels of 1 to
 * 63 bytes, 253 at most, printable, no blank. Kea checks the same through
 * its DNS name parser, so what Kea refuses is refused here too.
 */
static const char *dns_name_problem(const char *s)
{
	size_t label = 0;

	for (const char *p = s; *p; p++) {
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f)
			return "has a blank or a character that is not "
			       "printable ASCII";
		if (*p != '.') {
			if (++label > 63)
				return "has a label longer than 63 bytes";
			continue;
		}
		if (!label)
			return "has an empty label";
		label = 0;
	}
	return NULL;
}

static int names_dns(struct config_ctx *c, struct json_object *obj,
		     const char *path, const char *key, char *dst,
		     bool may_be_empty)
{
	char p[CONFIG_PATH_LEN];
	const char *why;
	int r = names_str(c, obj, path, key, dst, DX_DNS_NAME_MAX);

	if (r <= 0)
		return r;
	if (!*dst && !may_be_empty)
		why = "is empty";
	else
		why = dns_name_problem(dst);
	if (why)
		return jpath_fail(c, jpath_join(p, path, key),
				  "'%s' %s: it must be a DNS name", dst, why);
	return 0;
}

static int names_char_set(struct config_ctx *c, struct json_object *obj,
			  const char *path, char *dst)
{
	char p[CONFIG_PATH_LEN], err[128];
	int r = names_str(c, obj, path, "hostname-char-set", dst,
			  DX_HOSTNAME_CHAR_SET_MAX);
	regex_t re;

	if (r <= 0 || !*dst)
		return r < 0 ? r : 0;
	/* Kea compiles it as a POSIX extended expression. */
	r = regcomp(&re, dst, REG_EXTENDED);
	if (r) {
		regerror(r, &re, err, sizeof(err));
		return jpath_fail(c, jpath_join(p, path, "hostname-char-set"),
				  "'%s' is not a POSIX extended regular "
				  "expression: %s",
				  dst, err);
	}
	regfree(&re);
	return 0;
}

static int names_mode(struct config_ctx *c, struct json_object *obj,
		      const char *path, int *mode)
{
	char p[CONFIG_PATH_LEN];
	struct json_object *v;
	const char *s;
	int r = jpath_get(c, obj, path, "ddns-replace-client-name",
			  json_type_string, "a string", &v);

	if (r <= 0)
		return r;
	s = json_object_get_string(v);
	for (size_t i = 0; i < sizeof(replace_modes) / sizeof(*replace_modes);
	     i++)
		if (!strcmp(s, replace_modes[i])) {
			*mode = (int)i;
			return 0;
		}
	/* Kea's old booleans are refused by Kea as well. */
	return jpath_fail(c, jpath_join(p, path, "ddns-replace-client-name"),
			  "'%s' is not one of never, always, when-present, "
			  "when-not-present",
			  s);
}

int client_names_parse(struct config_ctx *c, struct json_object *obj,
		       const char *path,
		       struct dx_client_name_conf *inherit_into)
{
	struct dx_client_name_conf *n = inherit_into;
	int r;

	if (!c || !path || !n)
		return -EINVAL;
	if ((r = names_char_set(c, obj, path, n->char_set)) < 0 ||
	    (r = names_str(c, obj, path, "hostname-char-replacement",
			   n->replacement, DX_HOSTNAME_REPLACEMENT_MAX)) < 0 ||
	    (r = names_mode(c, obj, path, &n->replace)) < 0 ||
	    (r = names_dns(c, obj, path, "ddns-generated-prefix", n->prefix,
			   false)) < 0 ||
	    (r = names_dns(c, obj, path, "ddns-qualifying-suffix", n->suffix,
			   true)) < 0 ||
	    (r = ddns_keys_parse(c, obj, path, n)) < 0)
		return r;
	return 0;
}
