// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Reading text the lease-file parsers share (mig_internal.h). */
#include <errno.h>
#include <string.h>
#include "migrate/mig_internal.h"
#include "util/fmt.h"

bool mig_next_line(const char **cur, const char *end, unsigned *no,
		   struct mig_line *l)
{
	const char *p = *cur, *nl;

	if (p >= end)
		return false;
	nl = memchr(p, '\n', (size_t)(end - p));
	l->p = p;
	l->len = (size_t)((nl ? nl : end) - p);
	if (l->len && p[l->len - 1] == '\r')
		l->len--;
	l->no = ++*no;
	*cur = nl ? nl + 1 : end;
	return true;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int mig_hex(const char *s, size_t len, uint8_t *out, size_t cap, size_t *n)
{
	size_t i = 0;

	*n = 0;
	if (!len)
		return 0;
	for (;;) {
		int hi = i < len ? hex_digit(s[i]) : -1, lo;

		if (hi < 0)
			return -EINVAL;
		i++;
		lo = i < len ? hex_digit(s[i]) : -1;
		if (lo >= 0) {
			hi = hi * 16 + lo;
			i++;
		}
		if (*n == cap)
			return -E2BIG;
		out[(*n)++] = (uint8_t)hi;
		if (i == len)
			return 0;
		if (s[i] != ':')
			return -EINVAL;
		i++;
	}
}

int mig_mac(const char *s, size_t len, uint8_t mac[6])
{
	uint8_t b[6];
	size_t n;

	if (mig_hex(s, len, b, sizeof(b), &n) || n != 6)
		return -EINVAL;
	memcpy(mac, b, 6);
	return 0;
}

int mig_ipv4(const char *s, size_t len, uint32_t *addr)
{
	char buf[FMT_IPV4_LEN];

	if (len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = 0;
	return parse_ipv4(buf, addr);
}

int mig_u64(const char *s, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (!len)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		if (v > (max - (uint64_t)(s[i] - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return 0;
}

void mig_hostname(char *dst, const char *s, size_t len)
{
	if (len > DX_LEASE_HOSTNAME_MAX)
		len = DX_LEASE_HOSTNAME_MAX;
	memcpy(dst, s, len);
	dst[len] = 0;
}
