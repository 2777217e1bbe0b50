// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Kea's next-server, server-hostname and boot-file-name: what a PXE ROM
 * reads from the BOOTP siaddr, sname and file fields (RFC 2131 §2, table
 * 3) to find its TFTP server and boot file. One parser for every level
 * that has them, each level starting from its parent's values.
 */
#include "config/config.h"
#include "config/config_internal.h"
#include "util/fmt.h"

static int bootp_str(struct config_ctx *c, struct json_object *obj,
		     const char *path, const char *key, char *dst, size_t max,
		     bool *given)
{
	char p[CONFIG_PATH_LEN];
	struct json_object *v;
	const char *s;
	size_t len;
	int r = jpath_get(c, obj, path, key, json_type_string, "a string", &v);

	if (r <= 0)
		return r;
	s = json_object_get_string(v);
	len = strlen(s);
	/* The wire field holds the NUL too (RFC 2131 §2: "null terminated
	 * string"), as Kea checks. */
	if (len > max)
		return jpath_fail(c, jpath_join(p, path, key),
				  "%zu bytes long; the BOOTP field holds at "
				  "most %zu (and its terminating NUL)",
				  len, max);
	memset(dst, 0, max + 1);
	memcpy(dst, s, len);
	*given = true;
	return 0;
}

int bootp_fields_parse(struct config_ctx *c, struct json_object *obj,
		       const char *path, struct dx_bootp_conf *inherit_into)
{
	struct dx_bootp_conf *b = inherit_into;
	char p[CONFIG_PATH_LEN];
	struct json_object *v;
	const char *s;
	uint32_t a;
	int r;

	if (!c || !path || !b)
		return -EINVAL;
	r = jpath_get(c, obj, path, "next-server", json_type_string, "a string",
		      &v);
	if (r < 0)
		return r;
	if (r > 0) {
		s = json_object_get_string(v);
		/* "" is Kea's "not set", as "0.0.0.0" (its default). */
		if (*s && (parse_ipv4(s, &a) || a == UINT32_MAX))
			return jpath_fail(c, jpath_join(p, path, "next-server"),
					  "'%s' is not an IPv4 unicast address",
					  s);
		b->next_server = *s ? a : 0;
		b->has_next_server = true;
	}
	if ((r = bootp_str(c, obj, path, "server-hostname", b->server_hostname,
			   DX_BOOTP_SNAME_MAX, &b->has_sname)) ||
	    (r = bootp_str(c, obj, path, "boot-file-name", b->boot_file_name,
			   DX_BOOTP_FILE_MAX, &b->has_file)))
		return r;
	return 0;
}

void config_bootp_merge(struct dx_bootp_conf *dst,
			const struct dx_bootp_conf *over)
{
	if (over->has_next_server) {
		dst->next_server = over->next_server;
		dst->has_next_server = true;
	}
	if (over->has_sname) {
		memcpy(dst->server_hostname, over->server_hostname,
		       sizeof(dst->server_hostname));
		dst->has_sname = true;
	}
	if (over->has_file) {
		memcpy(dst->boot_file_name, over->boot_file_name,
		       sizeof(dst->boot_file_name));
		dst->has_file = true;
	}
}

bool config_bootp_same(const struct dx_bootp_conf *a,
		       const struct dx_bootp_conf *b)
{
	return a->next_server == b->next_server &&
	       !strcmp(a->server_hostname, b->server_hostname) &&
	       !strcmp(a->boot_file_name, b->boot_file_name);
}

bool config_bootp_any(const struct dx_bootp_conf *b)
{
	return b->next_server || b->server_hostname[0] || b->boot_file_name[0];
}

/*
 * Kea's host reservations and client classes leave the level below's
 * value in place when theirs is empty or 0.0.0.0 (Kea's config-get writes
 * these defaults for every host and class), so such a value is not given
 * here, unlike at the Dhcp4, shared-network and subnet levels.
 */
int bootp_fields_parse_extras(struct config_ctx *c, struct json_object *o,
			      const char *path, struct dx_bootp_conf *b)
{
	int r = bootp_fields_parse(c, o, path, b);

	if (r)
		return r;
	b->has_next_server = b->next_server != 0;
	b->has_sname = b->server_hostname[0] != '\0';
	b->has_file = b->boot_file_name[0] != '\0';
	return 0;
}
