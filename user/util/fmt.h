/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * MAC and IPv4 addresses as operators write them, both ways. Addresses
 * are host byte order, as everywhere in userspace.
 */
#ifndef DHCPXDP_FMT_H
#define DHCPXDP_FMT_H

#include <stddef.h>
#include <stdint.h>

#define FMT_MAC_LEN  18 /* "aa:bb:cc:dd:ee:ff" and its NUL */
#define FMT_IPV4_LEN 16 /* "255.255.255.255" and its NUL */

/* "aa:bb:cc:dd:ee:ff" into buf; returns buf. */
const char *fmt_mac(char buf[FMT_MAC_LEN], const uint8_t mac[6]);
/* Bytes as "01:02:ab" into out (cap bytes, cut at a whole byte);
 * returns out. */
const char *fmt_hex(char *out, size_t cap, const uint8_t *b, size_t n);
/* Dotted quad into buf; returns buf. */
const char *fmt_ipv4(char buf[FMT_IPV4_LEN], uint32_t addr);

/* "aa:bb:cc:dd:ee:ff" (also '-' separated, either case) -> mac; 0 or
 * -EINVAL, mac untouched on failure. */
int parse_mac(const char *s, uint8_t mac[6]);
/* Dotted quad -> host order; 0 or -EINVAL. */
int parse_ipv4(const char *s, uint32_t *addr);

#endif
