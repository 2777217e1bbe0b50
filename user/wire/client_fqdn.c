// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Option 81 (RFC 4702) read and written, and the DHCID RR's RDATA
 * (RFC 4701 §3.3).
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "util/sha256.h"
#include "wire/client_fqdn.h"

/* Append n bytes to out->name, a dot before all but the first label. */
static int put_label(struct client_fqdn *out, const uint8_t *p, size_t n)
{
	size_t need = n + (out->len ? 1 : 0);

	if (!n || n > 63 || out->len + need > FQDN_NAME_MAX)
		return -EINVAL;
	if (out->len)
		out->name[out->len++] = '.';
	memcpy(out->name + out->len, p, n);
	out->len += n;
	out->name[out->len] = '\0';
	return 0;
}

/* RFC 4702 §2.3.1: length-prefixed labels; a zero length ends a fully
 * qualified name, the end of the option a partial one. */
static int parse_wire(const uint8_t *p, size_t len, struct client_fqdn *out)
{
	size_t i = 0;

	out->partial = true;
	while (i < len) {
		uint8_t n = p[i++];

		if (!n) {
			out->partial = false;
			/* Nothing may follow the root label. */
			return i == len && out->len ? 0 : -EINVAL;
		}
		if (n > len - i || put_label(out, p + i, n))
			return -EINVAL;
		i += n;
	}
	return 0;
}

/* §2.3.2 (deprecated): the name as text; a final dot makes it full. */
static int parse_ascii(const uint8_t *p, size_t len, struct client_fqdn *out)
{
	size_t start = 0;

	/* Some clients count a trailing NUL in the option. */
	while (len && !p[len - 1])
		len--;
	out->partial = !(len && p[len - 1] == '.');
	if (!out->partial)
		len--;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && p[i] != '.')
			continue;
		if (put_label(out, p + start, i - start))
			return len ? -EINVAL : 0;
		start = i + 1;
	}
	return 0;
}

int client_fqdn_parse(const uint8_t *p, size_t len, struct client_fqdn *out)
{
	if (!p || !out || len < 3)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->flags = p[0];
	if ((out->flags & FQDN_F_S) && (out->flags & FQDN_F_N))
		return -EINVAL;
	if (len == 3) {
		out->partial = true;
		return 0;
	}
	return out->flags & FQDN_F_E ? parse_wire(p + 3, len - 3, out)
				     : parse_ascii(p + 3, len - 3, out);
}

uint8_t client_fqdn_reply_flags(uint8_t client_flags, bool updates,
				bool override_no_update,
				bool override_client_update)
{
	bool cs = client_flags & FQDN_F_S, cn = client_flags & FQDN_F_N;
	bool ss;
	uint8_t f;

	if (cn) /* §3.1: no updates at all, unless overridden */
		ss = updates && override_no_update;
	else if (cs) /* §3.2: the server updates the A RR too */
		ss = updates;
	else /* §3.3: the client does the A RR, unless overridden */
		ss = updates && override_client_update;
	/* N: the server does no update at all (Kea: when S is not set
	 * because the client asked for none, or updates are off). */
	f = ss ? FQDN_F_S : (!updates || cn ? FQDN_F_N : 0);
	if (ss != cs)
		f |= FQDN_F_O;
	return f | (client_flags & FQDN_F_E);
}

int dns_name_wire(const char *name, uint8_t *buf, size_t cap)
{
	size_t o = 0, start = 0, len = strlen(name);

	if (len && name[len - 1] == '.')
		len--;
	for (size_t i = 0; i <= len && len; i++) {
		size_t n;

		if (i < len && name[i] != '.')
			continue;
		n = i - start;
		if (!n || n > 63 || o + 1 + n + 1 > cap)
			return -EINVAL;
		buf[o++] = (uint8_t)n;
		for (size_t j = 0; j < n; j++)
			buf[o++] = (uint8_t)tolower(
				(unsigned char)name[start + j]);
		start = i + 1;
	}
	if (o + 1 > cap)
		return -EINVAL;
	buf[o++] = 0;
	return (int)o;
}

int client_fqdn_encode(uint8_t flags, const char *fqdn, uint8_t *buf,
		       size_t cap)
{
	size_t n = strlen(fqdn);
	int r;

	if (cap < 3)
		return -ENOSPC;
	buf[0] = flags;
	buf[1] = buf[2] = 255; /* §2.2: RCODE1 and RCODE2 from a server */
	if (flags & FQDN_F_E) {
		r = dns_name_wire(fqdn, buf + 3, cap - 3);
		return r < 0 ? -ENOSPC : r + 3;
	}
	if (n + 1 > cap - 3)
		return -ENOSPC;
	memcpy(buf + 3, fqdn, n);
	buf[3 + n] = '.';
	return (int)n + 4;
}

int dhcid_compute(uint16_t id_type, const uint8_t *id, size_t id_len,
		  const char *fqdn, uint8_t out[DHCID_LEN])
{
	uint8_t wire[FQDN_NAME_MAX + 2];
	struct sha256 c;
	int n = dns_name_wire(fqdn, wire, sizeof(wire));

	if (n < 2)
		return -EINVAL;
	out[0] = (uint8_t)(id_type >> 8);
	out[1] = (uint8_t)id_type;
	out[2] = DHCID_DIGEST_SHA256;
	sha256_init(&c);
	sha256_update(&c, id, id_len);
	sha256_update(&c, wire, (size_t)n);
	sha256_final(&c, out + 3);
	return 0;
}
