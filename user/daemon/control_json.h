/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Reading a control command's arguments and writing its answer. */
#ifndef DHCPXDP_CONTROL_JSON_H
#define DHCPXDP_CONTROL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_object;

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
