/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* An operator-facing sentence into a caller's buffer, and a return code. */
#ifndef DHCPXDP_ERRMSG_H
#define DHCPXDP_ERRMSG_H

#include <stddef.h>

/* Format into err (if given) and return ret, for `return errmsg(...)`. */
int errmsg(char *err, size_t errlen, int ret, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
