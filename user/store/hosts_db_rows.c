// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Kea's host databases (hosts_db.h): the rows either server's reader
 * fetched into reservation objects. The schema is Kea's (kea-admin db-init
 * pgsql|mysql): hosts holds one row per host, its identifier
 * (dhcp_identifier, dhcp_identifier_type as in the table
 * host_identifier_type: 0 hw-address, 1 duid, 2 circuit-id, 3 client-id,
 * 4 flex-id), its IPv4 subnet (dhcp4_subnet_id; 0 is Kea's
 * SUBNET_ID_GLOBAL) and the IPv4 fields; dhcp4_options holds its options
 * (host_id, code, space, and the data either as text in formatted_value,
 * Kea's csv-format, or as bytes in value).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "config/config.h"
#include "store/hosts_db_internal.h"
#include "util/errmsg.h"

static const char *field(const struct hosts_rows *rs, size_t row, int col)
{
	return rs->field(rs->res, row, col);
}

/* host_identifier_type's names, Kea's reservation keys. */
static const char *const id_keys[] = {"hw-address", "duid", "circuit-id",
				      "client-id", "flex-id"};

/* "0a1b2c" as Kea writes identifiers and option data: "0a:1b:2c". */
static struct json_object *hex_colons(const char *hex)
{
	size_t l = strlen(hex), o = 0;
	char *s = malloc(l / 2 * 3 + 1);
	struct json_object *j;

	if (!s)
		return NULL;
	for (size_t i = 0; i + 1 < l; i += 2) {
		if (o)
			s[o++] = ':';
		s[o++] = hex[i];
		s[o++] = hex[i + 1];
	}
	s[o] = '\0';
	j = json_object_new_string(s);
	free(s);
	return j;
}

/* An IPv4 address kept as a number (host order) in a BIGINT. */
static struct json_object *addr_of(const char *num)
{
	unsigned long long a = strtoull(num, NULL, 10);
	char s[16];

	snprintf(s, sizeof(s), "%llu.%llu.%llu.%llu", a >> 24 & 255,
		 a >> 16 & 255, a >> 8 & 255, a & 255);
	return json_object_new_string(s);
}

/* Kea keeps a host's classes as one comma-separated string. */
static struct json_object *classes_of(const char *csv)
{
	struct json_object *a = json_object_new_array();
	char *copy = strdup(csv), *save = NULL, *t;

	if (!a || !copy)
		goto fail;
	for (t = strtok_r(copy, ", ", &save); t;
	     t = strtok_r(NULL, ", ", &save))
		if (json_object_array_add(a, json_object_new_string(t)))
			goto fail;
	free(copy);
	return a;
fail:
	free(copy);
	json_object_put(a);
	return NULL;
}

/* Set key of o unless v is NULL or "" ("" is Kea's "not set" too). */
static int put(struct json_object *o, const char *key, const char *v,
	       struct json_object *(*conv)(const char *))
{
	struct json_object *j;

	if (!v || !v[0])
		return 0;
	j = conv ? conv(v) : json_object_new_string(v);
	if (!j || json_object_object_add(o, key, j)) {
		json_object_put(j);
		return -ENOMEM;
	}
	return 0;
}

/* One dhcp4_options row of the host into its option-data list. */
static int add_option(struct json_object *list, const struct hosts_rows *res,
		      size_t row)
{
	const char *fmt = field(res, row, C_OPT_FORMATTED);
	const char *val = field(res, row, C_OPT_VALUE);
	const char *space = field(res, row, C_OPT_SPACE);
	const char *pers = field(res, row, C_OPT_PERSISTENT);
	struct json_object *o = json_object_new_object();
	bool csv = fmt && fmt[0];
	int ret = -ENOMEM;

	if (!o)
		return -ENOMEM;
	json_object_object_add(
		o, "code",
		json_object_new_int(atoi(field(res, row, C_OPT_CODE))));
	json_object_object_add(
		o, "space",
		json_object_new_string(space && space[0] ? space : "dhcp4"));
	/* Kea: the text when there is some, else the raw bytes. */
	json_object_object_add(o, "csv-format", json_object_new_boolean(csv));
	if (csv)
		json_object_object_add(o, "data", json_object_new_string(fmt));
	else
		json_object_object_add(o, "data", hex_colons(val ? val : ""));
	/* PostgreSQL says t, MySQL 1 */
	if (pers && (pers[0] == 't' || pers[0] == '1'))
		json_object_object_add(o, "always-send",
				       json_object_new_boolean(true));
	if (!json_object_array_add(list, o))
		ret = 0;
	else
		json_object_put(o);
	return ret;
}

/* The host of row (its first row), without options. */
static int host_of(const struct dx_hosts_db_conf *conf,
		   const struct hosts_rows *res, size_t row,
		   struct json_object **out, char *err, size_t errlen)
{
	const char *addr = field(res, row, C_ADDR);
	const char *ns = field(res, row, C_NEXT_SERVER);
	int type = atoi(field(res, row, C_ID_TYPE));
	struct json_object *o;
	char origin[160];

	*out = NULL;
	if (type < 0 || type >= (int)(sizeof(id_keys) / sizeof(*id_keys)))
		return errmsg(err, errlen, -EINVAL,
			      "%s: host_id %s: dhcp_identifier_type %d is "
			      "none of Kea's",
			      conf->path, field(res, row, C_HOST_ID), type);
	if (!(o = json_object_new_object()))
		return -ENOMEM;
	snprintf(origin, sizeof(origin), "%s, host_id %s", conf->path,
		 field(res, row, C_HOST_ID));
	json_object_object_add(
		o, "subnet-id",
		json_object_new_int64(atoll(field(res, row, C_SUBNET))));
	if (put(o, "comment", origin, NULL) ||
	    put(o, id_keys[type], field(res, row, C_ID), hex_colons) ||
	    (addr && strcmp(addr, "0") &&
	     put(o, "ip-address", addr, addr_of)) ||
	    put(o, "hostname", field(res, row, C_HOSTNAME), NULL) ||
	    put(o, "client-classes", field(res, row, C_CLASSES), classes_of) ||
	    (ns && strcmp(ns, "0") && put(o, "next-server", ns, addr_of)) ||
	    put(o, "server-hostname", field(res, row, C_SERVER_HOSTNAME),
		NULL) ||
	    put(o, "boot-file-name", field(res, row, C_BOOT_FILE), NULL)) {
		json_object_put(o);
		return -ENOMEM;
	}
	*out = o;
	return 0;
}

/* The rows of res into hosts, one object per host_id. */
int hosts_db_collect(const struct dx_hosts_db_conf *conf,
		     const struct hosts_rows *res, struct json_object *hosts,
		     size_t *n, char *err, size_t errlen)
{
	struct json_object *host = NULL, *opts = NULL;
	const char *cur = NULL;
	int ret = 0;

	for (size_t r = 0; !ret && r < res->n; r++) {
		if (!cur || strcmp(cur, field(res, r, C_HOST_ID))) {
			cur = field(res, r, C_HOST_ID);
			if ((ret = host_of(conf, res, r, &host, err, errlen)))
				break;
			if (json_object_array_add(hosts, host)) {
				json_object_put(host);
				ret = -ENOMEM;
				break;
			}
			(*n)++;
			opts = NULL;
		}
		if (!field(res, r, C_OPT_CODE))
			continue;
		if (!opts) {
			opts = json_object_new_array();
			if (!opts)
				ret = -ENOMEM;
			else
				json_object_object_add(host, "option-data",
						       opts);
		}
		if (!ret)
			ret = add_option(opts, res, r);
	}
	if (ret == -ENOMEM)
		errmsg(err, errlen, 0, "%s: out of memory", conf->path);
	return ret;
}

int hosts_db_check_version(const char *what, int major, int minor, int min,
			   int max, const char *kea, char *err, size_t errlen)
{
	if (major >= min && major <= max)
		return 0;
	return errmsg(err, errlen, -EPROTONOSUPPORT,
		      "%s: Kea schema version %d.%d is not one dhcpxdp reads "
		      "(%d to %d; %d is %s): its hosts table may differ",
		      what, major, minor, min, max, max, kea);
}
