// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <json-c/json.h>
#include "daemon/control.h"
#include "daemon/control_json.h"

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
	char buf[INET_ADDRSTRLEN];
	struct in_addr a = {.s_addr = htonl(addr)};

	inet_ntop(AF_INET, &a, buf, sizeof(buf));
	return json_object_new_string(buf);
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
