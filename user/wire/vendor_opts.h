/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The payload of the options that carry other options: sub-options as
 * code/length/value, as in Vendor Specific Information (43, RFC 2132
 * §8.4) and any custom encapsulating option, and the per-enterprise blocks
 * of V-I Vendor-Specific Information (125, RFC 3925 §4).
 */
#ifndef DHCPXDP_VENDOR_OPTS_H
#define DHCPXDP_VENDOR_OPTS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Append one sub-option (code, length, @len bytes of @data) to @buf, which
 * holds *used of its @cap bytes. Returns 0, -EMSGSIZE when @len is over 255
 * or -ENOSPC when it does not fit (buf unchanged then).
 */
int vendor_opts_put_sub(uint8_t *buf, size_t cap, size_t *used, uint8_t code,
			const uint8_t *data, size_t len);

/*
 * Append one enterprise's block of option 125: the 4-byte enterprise
 * number, the length of its sub-options, then the @len bytes of
 * sub-options already laid out by vendor_opts_put_sub(). Same returns.
 */
int vendor_opts_put_vivso(uint8_t *buf, size_t cap, size_t *used,
			  uint32_t enterprise, const uint8_t *subs, size_t len);

#endif /* DHCPXDP_VENDOR_OPTS_H */
