/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What the lease-file parsers share: walking text line by line and
 * reading the fields every format has (mig_text.c), and growing the row
 * set (mig_set.c). Not part of the API (migrate.h).
 */
#ifndef DHCPXDP_MIG_INTERNAL_H
#define DHCPXDP_MIG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "migrate/migrate.h"

/* One line of a text, without its '\n' (nor a '\r' before it). */
struct mig_line {
	const char *p;
	size_t len;
	unsigned no; /* 1-based */
};

/* The next line from *cur (before end), advancing *cur; false at end. */
bool mig_next_line(const char **cur, const char *end, unsigned *no,
		   struct mig_line *l);

/*
 * Colon-separated hex octets ("1:a:ff", one or two digits each) into
 * out; *n their count. An empty string is zero octets. -EINVAL, or
 * -E2BIG past cap.
 */
int mig_hex(const char *s, size_t len, uint8_t *out, size_t cap, size_t *n);
/* Exactly six octets. -EINVAL otherwise. */
int mig_mac(const char *s, size_t len, uint8_t mac[6]);
/* A dotted quad. -EINVAL. */
int mig_ipv4(const char *s, size_t len, uint32_t *addr);
/* Decimal digits only, at most max. -EINVAL, -ERANGE. */
int mig_u64(const char *s, size_t len, uint64_t max, uint64_t *out);
/* Copy s into a hostname, cut at DX_LEASE_HOSTNAME_MAX. */
void mig_hostname(char *dst, const char *s, size_t len);

/* Append a row (copied). -ENOMEM. */
int mig_set_add(struct mig_set *s, const struct mig_lease *l);
/*
 * Keep only the last row of each address (the file's order decides),
 * in file order; counts the others in s->superseded.
 */
int mig_set_supersede(struct mig_set *s);

#endif
