/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * SHA-256 (FIPS 180-4), for the DHCID RR's digest (RFC 4701 §3.3). Small
 * and self-contained: nothing else in dhcpxdp needs a crypto library.
 */
#ifndef DHCPXDP_SHA256_H
#define DHCPXDP_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN 32

struct sha256 {
	uint32_t h[8];
	uint64_t len; /* bytes hashed so far */
	uint8_t buf[64];
	size_t n; /* bytes in buf */
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t len);
void sha256_final(struct sha256 *c, uint8_t out[SHA256_LEN]);

#endif /* DHCPXDP_SHA256_H */
