/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The control protocol's JSON, shared by the daemon's socket and the CLI:
 *
 *   {"command": "NAME", "arguments": {...}}
 *   -> {"result": 0|1|2|3, "text": "...", "arguments": {...}}
 *
 * with Kea's result codes; and the helpers commands use to read their
 * arguments and write their answers.
 */
#ifndef DHCPXDP_CONTROL_JSON_H
#define DHCPXDP_CONTROL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_object;

/* Kea's result codes. */
enum control_result {
	CONTROL_SUCCESS = 0,
	CONTROL_ERROR = 1,
	CONTROL_UNSUPPORTED = 2,
	CONTROL_EMPTY = 3,
};

/* Largest request accepted. */
#define CONTROL_REQUEST_MAX (64 * 1024)

/*
 * Parse a request. On success returns 0, *command points into *req (valid
 * until json_object_put(*req)) and *args is its "arguments" object or
 * NULL. On failure returns -EINVAL with a reason in err (and *req NULL).
 */
int control_parse_request(const char *buf, size_t len, struct json_object **req,
			  const char **command, struct json_object **args,
			  char *err, size_t errlen);

/* {"result": result, "text": text[, "arguments": args]}; takes args. */
struct json_object *control_response(int result, const char *text,
				     struct json_object *args);

/* {"result": result, "text": formatted} */
struct json_object *ctl_reply(int result, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A string argument, or NULL when absent or not a string. */
const char *ctl_arg_str(struct json_object *args, const char *k);
/* 1 present, 0 absent, -EINVAL present but not an unsigned 32-bit int. */
int ctl_arg_u32(struct json_object *args, const char *k, uint32_t *v);
/* The same, as 0 or -EINVAL with *present set. */
int ctl_arg_u32_present(struct json_object *args, const char *k, uint32_t *v,
			bool *present);
void ctl_add_u64(struct json_object *o, const char *k, uint64_t v);
/* Dotted-quad string of a host-order address. */
struct json_object *ctl_jstr_ip(uint32_t addr);
/* "aa:bb:..." string of bytes (at most 255). */
struct json_object *ctl_jstr_hex(const uint8_t *b, size_t n);

#endif
