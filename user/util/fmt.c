// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "util/fmt.h"

const char *fmt_mac(char buf[FMT_MAC_LEN], const uint8_t mac[6])
{
	snprintf(buf, FMT_MAC_LEN, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0],
		 mac[1], mac[2], mac[3], mac[4], mac[5]);
	return buf;
}

const char *fmt_ipv4(char buf[FMT_IPV4_LEN], uint32_t addr)
{
	struct in_addr in = {.s_addr = htonl(addr)};

	inet_ntop(AF_INET, &in, buf, FMT_IPV4_LEN);
	return buf;
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

const char *fmt_hex(char *out, size_t cap, const uint8_t *b, size_t n)
{
	size_t o = 0;

	if (!cap)
		return out;
	out[0] = '\0';
	for (size_t i = 0; i < n && o + 4 <= cap; i++)
		o += (size_t)snprintf(out + o, cap - o, i ? ":%02x" : "%02x",
				      b[i]);
	return out;
}

int parse_mac(const char *s, uint8_t mac[6])
{
	uint8_t tmp[6];
	char sep;

	if (!s || !mac || strlen(s) != 17)
		return -EINVAL;
	sep = s[2];
	if (sep != ':' && sep != '-')
		return -EINVAL;
	for (int i = 0; i < 6; i++) {
		const char *p = s + 3 * i;
		int hi = hex_digit(p[0]), lo = hex_digit(p[1]);

		if (hi < 0 || lo < 0 || (i < 5 && p[2] != sep))
			return -EINVAL;
		tmp[i] = (uint8_t)(hi << 4 | lo);
	}
	memcpy(mac, tmp, 6);
	return 0;
}

int parse_ipv4(const char *s, uint32_t *addr)
{
	struct in_addr a;

	if (!s || !addr || inet_pton(AF_INET, s, &a) != 1)
		return -EINVAL;
	*addr = ntohl(a.s_addr);
	return 0;
}
