// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The control protocol's JSON (control_json.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <json-c/json.h>
#include <string.h>
#include "daemon/control_json.h"
#include "util/errmsg.h"
#include "util/fmt.h"

int control_parse_request(const char *buf, size_t len, struct json_object **req,
			  const char **command, struct json_object **args,
			  char *err, size_t errlen)
{
	struct json_tokener *tok;
	struct json_object *o = NULL, *c, *a;
	enum json_tokener_error jerr;
	char msg[160];
	size_t end;

	if (!buf || !req || !command || !args)
		return -EINVAL;
	*req = NULL;
	*command = NULL;
	*args = NULL;
	if (len > CONTROL_REQUEST_MAX)
		return errmsg(err, errlen, -EINVAL, "%s", "request too large");
	tok = json_tokener_new();
	if (!tok)
		return errmsg(err, errlen, -EINVAL, "%s", "out of memory");
	o = json_tokener_parse_ex(tok, buf, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	while (o && end < len && strchr(" \t\r\n", buf[end]))
		end++;
	if (o && jerr == json_tokener_success && end < len) {
		json_object_put(o);
		return errmsg(err, errlen, -EINVAL, "%s",
			      "trailing data after the request");
	}
	if (!o || jerr != json_tokener_success) {
		snprintf(msg, sizeof(msg), "invalid JSON: %s",
			 jerr == json_tokener_continue
				 ? "unexpected end of input"
				 : json_tokener_error_desc(jerr));
		json_object_put(o);
		return errmsg(err, errlen, -EINVAL, "%s", msg);
	}
	if (!json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return errmsg(err, errlen, -EINVAL, "%s",
			      "request is not a JSON object");
	}
	if (!json_object_object_get_ex(o, "command", &c) ||
	    !json_object_is_type(c, json_type_string) ||
	    !json_object_get_string_len(c)) {
		json_object_put(o);
		return errmsg(err, errlen, -EINVAL, "%s",
			      "missing or invalid 'command' parameter");
	}
	if (json_object_object_get_ex(o, "arguments", &a) &&
	    !json_object_is_type(a, json_type_null)) {
		if (!json_object_is_type(a, json_type_object)) {
			json_object_put(o);
			return errmsg(err, errlen, -EINVAL, "%s",
				      "'arguments' must be a JSON object");
		}
		*args = a;
	}
	*req = o;
	*command = json_object_get_string(c);
	return 0;
}

struct json_object *control_response(int result, const char *text,
				     struct json_object *args)
{
	struct json_object *o = json_object_new_object();

	if (!o) {
		json_object_put(args);
		return NULL;
	}
	json_object_object_add(o, "result", json_object_new_int(result));
	json_object_object_add(o, "text",
			       json_object_new_string(text ? text : ""));
	if (args)
		json_object_object_add(o, "arguments", args);
	return o;
}

struct json_object *ctl_reply(int result, const char *fmt, ...)
{
	char text[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	return control_response(result, text, NULL);
}

const char *ctl_arg_str(struct json_object *args, const char *k)
{
	struct json_object *o;

	if (!args || !json_object_object_get_ex(args, k, &o) ||
	    !json_object_is_type(o, json_type_string))
		return NULL;
	return json_object_get_string(o);
}

int ctl_arg_u32(struct json_object *args, const char *k, uint32_t *v)
{
	struct json_object *o;
	int64_t x;

	if (!args || !json_object_object_get_ex(args, k, &o))
		return 0;
	if (!json_object_is_type(o, json_type_int))
		return -EINVAL;
	x = json_object_get_int64(o);
	if (x < 0 || x > UINT32_MAX)
		return -EINVAL;
	*v = (uint32_t)x;
	return 1;
}

int ctl_arg_u32_present(struct json_object *args, const char *k, uint32_t *v,
			bool *present)
{
	int ret = ctl_arg_u32(args, k, v);

	*present = ret == 1;
	return ret < 0 ? ret : 0;
}

void ctl_add_u64(struct json_object *o, const char *k, uint64_t v)
{
	json_object_object_add(o, k, json_object_new_uint64(v));
}

struct json_object *ctl_jstr_ip(uint32_t addr)
{
	char buf[FMT_IPV4_LEN];

	return json_object_new_string(fmt_ipv4(buf, addr));
}

struct json_object *ctl_jstr_hex(const uint8_t *b, size_t n)
{
	char buf[3 * 255 + 1] = "";
	size_t o = 0;

	for (size_t i = 0; i < n && i < 255; i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%02x",
				      i ? ":" : "", b[i]);
	return json_object_new_string(buf);
}
