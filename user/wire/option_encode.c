// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The option-data encoder (option_def.h): Kea's textual formats, or hex,
 * into option payload bytes, with messages that name the value and the
 * option when something does not fit.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire/option_def.h"

#define T(x) OPT_TYPE_##x

/* Big enough for any over-long input, so the length error can say how long. */
#define WBUF_CAP 4096

struct wbuf {
	uint8_t b[WBUF_CAP];
	size_t len;
};

struct enc {
	const struct option_def *def;
	const char *optname; /* for messages */
	char *err;
	size_t errlen;
	struct wbuf w;
};

static int __attribute__((format(printf, 2, 3)))
enc_fail(struct enc *e, const char *fmt, ...)
{
	va_list ap;

	if (e->err && e->errlen) {
		va_start(ap, fmt);
		vsnprintf(e->err, e->errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static int put(struct enc *e, const void *p, size_t n)
{
	if (e->w.len + n > WBUF_CAP)
		return enc_fail(e, "data for option '%s' is far too long",
				e->optname);
	memcpy(e->w.b + e->w.len, p, n);
	e->w.len += n;
	return 0;
}

static int put_u8(struct enc *e, uint8_t v)
{
	return put(e, &v, 1);
}

/* Strip one pair of matching surrounding quotes ('x' or "x"). */
static char *unquote(char *s)
{
	size_t n = strlen(s);

	if (n >= 2 && (s[0] == '\'' || s[0] == '"') && s[n - 1] == s[0]) {
		s[n - 1] = '\0';
		return s + 1;
	}
	return s;
}

/*
 * Split @s in place at commas, Kea-style: "\," is a literal comma, and a
 * single-quoted segment is kept whole. At most @max tokens: the last one
 * takes the rest of the text. Tokens are trimmed.
 */
static size_t split_csv(char *s, char **tok, size_t max)
{
	size_t n = 0;
	char *rd = s, *wr = s, *start = s;
	bool quoted = false;

	if (max == 0)
		return 0;
	for (;; rd++) {
		char c = *rd;

		if (c == '\\' && rd[1] == ',') {
			*wr++ = ',';
			rd++;
			continue;
		}
		if (c == '\'')
			quoted = !quoted;
		if (c == '\0' || (c == ',' && !quoted && n + 1 < max)) {
			*wr = '\0';
			tok[n++] = option_text_trim(start);
			if (c == '\0')
				break;
			wr++;
			start = wr;
			continue;
		}
		*wr++ = c;
	}
	return n;
}

static int parse_int(struct enc *e, const char *s, enum option_type t)
{
	long long min, max;
	unsigned size;
	char *end;
	long long v;

	switch (t) {
	case T(UINT8):
		min = 0, max = UINT8_MAX, size = 1;
		break;
	case T(UINT16):
		min = 0, max = UINT16_MAX, size = 2;
		break;
	case T(UINT32):
		min = 0, max = UINT32_MAX, size = 4;
		break;
	case T(INT8):
		min = INT8_MIN, max = INT8_MAX, size = 1;
		break;
	case T(INT16):
		min = INT16_MIN, max = INT16_MAX, size = 2;
		break;
	default:
		min = INT32_MIN, max = INT32_MAX, size = 4;
		break;
	}
	errno = 0;
	v = strtoll(s, &end, 0);
	/* Base 0 would read "010" as octal; integers are decimal or 0x hex. */
	if (s[0] == '0' && isdigit((unsigned char)s[1]))
		v = strtoll(s, &end, 10);
	if (!*s || *end || isspace((unsigned char)*s))
		return enc_fail(e, "'%s' is not a valid %s for option '%s'", s,
				option_type_name(t), e->optname);
	if (errno == ERANGE || v < min || v > max)
		return enc_fail(e, "'%s' out of range for %s option '%s'", s,
				option_type_name(t), e->optname);
	uint32_t u = (uint32_t)v;
	uint8_t b[4] = {u >> 24, u >> 16, u >> 8, u};
	return put(e, b + 4 - size, size);
}

static int parse_ipv4(struct enc *e, const char *s, uint32_t *out)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return enc_fail(e,
				"'%s' is not an IPv4 address for option '%s'",
				s, e->optname);
	*out = ntohl(a.s_addr);
	return 0;
}

static int put_ipv4(struct enc *e, uint32_t a)
{
	uint8_t b[4] = {a >> 24, a >> 16, a >> 8, a};
	return put(e, b, 4);
}

static int enc_fqdn(struct enc *e, const char *s)
{
	size_t start = e->w.len, n = strlen(s);
	const char *p = s;

	if (n && s[n - 1] == '.')
		n--;
	if (n == 0)
		return enc_fail(e, "empty domain name for option '%s'",
				e->optname);
	while (p < s + n) {
		const char *dot = memchr(p, '.', s + n - p);
		size_t l = dot ? (size_t)(dot - p) : (size_t)(s + n - p);

		if (l == 0 || l > 63)
			return enc_fail(e,
					"'%s' is not a valid domain name for "
					"option '%s': labels are 1 to 63 "
					"characters (RFC 1035 §2.3.4)",
					s, e->optname);
		for (size_t i = 0; i < l; i++)
			if (!isgraph((unsigned char)p[i]))
				return enc_fail(e,
						"'%s' is not a valid domain "
						"name for option '%s'",
						s, e->optname);
		if (put_u8(e, l) || put(e, p, l))
			return -EINVAL;
		p += l + 1;
	}
	if (put_u8(e, 0))
		return -EINVAL;
	if (e->w.len - start > 255)
		return enc_fail(e,
				"'%s' is longer than 255 bytes as a domain "
				"name (RFC 1035 §2.3.4)",
				s);
	return 0;
}

static int enc_hex(struct enc *e, const char *s)
{
	uint8_t buf[WBUF_CAP];
	int n = option_parse_hex(s, buf, sizeof(buf));

	if (n < 0)
		return enc_fail(e, "'%s' is not valid hex data for option '%s'",
				s, e->optname);
	return put(e, buf, n);
}

static int parse_prefix(const char *s, uint32_t *net, uint8_t *len)
{
	char buf[64], *slash, *end;
	struct in_addr a;
	long l;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (!slash)
		return -EINVAL;
	*slash = '\0';
	if (inet_pton(AF_INET, option_text_trim(buf), &a) != 1)
		return -EINVAL;
	errno = 0;
	l = strtol(slash + 1, &end, 10);
	if (end == slash + 1 || *option_text_trim(end) || l < 0 || l > 32)
		return -EINVAL;
	*net = ntohl(a.s_addr);
	*len = l;
	return 0;
}

/* RFC 3442 §3: width, the significant octets of the destination, router. */
static int enc_classless(struct enc *e, char *s)
{
	char *dash = strchr(s, '-'), *dst, *gw;
	uint32_t net = 0, router = 0, mask;
	uint8_t len;

	if (!dash)
		return enc_fail(e,
				"'%s' is not a route for option '%s': "
				"expected 'PREFIX/LEN - ROUTER'",
				s, e->optname);
	*dash = '\0';
	dst = option_text_trim(s);
	gw = option_text_trim(dash + 1);
	if (parse_prefix(dst, &net, &len))
		return enc_fail(e,
				"'%s' is not a destination prefix for option "
				"'%s': expected A.B.C.D/LEN",
				dst, e->optname);
	mask = len ? ~0U << (32 - len) : 0;
	if (net & ~mask)
		return enc_fail(e,
				"destination '%s' of option '%s' has bits set "
				"beyond the prefix length",
				dst, e->optname);
	if (parse_ipv4(e, gw, &router))
		return -EINVAL;
	uint8_t b[4] = {net >> 24, net >> 16, net >> 8, net};
	if (put_u8(e, len) || put(e, b, (len + 7) / 8) || put_ipv4(e, router))
		return -EINVAL;
	return 0;
}

/*
 * Kea's psid type, "PSID/LEN" (OptionDataTypeUtil::writePsid): LEN, then
 * the PSID's LEN bits left-aligned in 16 (RFC 7618 §3.1: the rest of the
 * field is zero), all zero for LEN 0.
 */
static int enc_psid(struct enc *e, char *s)
{
	char *slash = strchr(s, '/'), *end;
	unsigned long psid, len;

	if (!slash)
		goto bad;
	*slash = '\0';
	s = option_text_trim(s);
	errno = 0;
	psid = strtoul(s, &end, 10);
	if (!*s || *end || !isdigit((unsigned char)*s) || errno)
		goto bad;
	s = option_text_trim(slash + 1);
	len = strtoul(s, &end, 10);
	if (!*s || *end || !isdigit((unsigned char)*s) || errno)
		goto bad;
	if (len > 16)
		return enc_fail(e,
				"PSID length %lu of option '%s' is over 16 "
				"bits (RFC 7618 §3.1)",
				len, e->optname);
	if (len ? psid >> len : psid)
		return enc_fail(e,
				"PSID %lu of option '%s' does not fit in its "
				"%lu bits",
				psid, e->optname, len);
	psid = len ? psid << (16 - len) : 0;
	if (put_u8(e, len) || put_u8(e, psid >> 8) || put_u8(e, psid & 0xff))
		return -EINVAL;
	return 0;
bad:
	return enc_fail(e, "'%s' is not PSID/LENGTH for option '%s'", s,
			e->optname);
}

static int enc_value(struct enc *e, enum option_type t, char *s)
{
	uint32_t a = 0;

	switch (t) {
	case T(BOOLEAN):
		if (!strcasecmp(s, "true") || !strcmp(s, "1"))
			return put_u8(e, 1);
		if (!strcasecmp(s, "false") || !strcmp(s, "0"))
			return put_u8(e, 0);
		return enc_fail(e,
				"'%s' is not a boolean (true or false) for "
				"option '%s'",
				s, e->optname);
	case T(UINT8):
	case T(UINT16):
	case T(UINT32):
	case T(INT8):
	case T(INT16):
	case T(INT32):
		return parse_int(e, s, t);
	case T(IPV4):
		if (parse_ipv4(e, s, &a))
			return -EINVAL;
		return put_ipv4(e, a);
	case T(IPV6): {
		struct in6_addr a6;
		if (inet_pton(AF_INET6, s, &a6) != 1)
			return enc_fail(e,
					"'%s' is not an IPv6 address for "
					"option '%s'",
					s, e->optname);
		return put(e, &a6, sizeof(a6));
	}
	case T(STRING):
		s = unquote(s);
		if (!*s)
			return enc_fail(e, "empty string for option '%s'",
					e->optname);
		return put(e, s, strlen(s));
	case T(FQDN):
		return enc_fqdn(e, unquote(s));
	case T(TUPLE): {
		size_t n;
		s = unquote(s);
		n = strlen(s);
		if (put_u8(e, n >> 8) || put_u8(e, n & 0xff))
			return -EINVAL;
		return put(e, s, n);
	}
	case T(TUPLE1): {
		size_t n;
		s = unquote(s);
		n = strlen(s);
		if (n > 255)
			return enc_fail(e,
					"'%s' is over 255 bytes, too long for "
					"a tuple of option '%s'",
					s, e->optname);
		if (put_u8(e, n))
			return -EINVAL;
		return put(e, s, n);
	}
	case T(BINARY):
		return enc_hex(e, s);
	case T(CLASSLESS):
		return enc_classless(e, s);
	case T(PSID):
		return enc_psid(e, s);
	case T(EMPTY):
	case T(RECORD):
	case T(DNR4):
		break;
	}
	return enc_fail(e, "option '%s': internal error (type %d)", e->optname,
			t);
}

/* Types whose value takes the rest of a record's text (may hold commas). */
static bool takes_rest(enum option_type t)
{
	return t == T(STRING) || t == T(BINARY);
}

static int enc_record(struct enc *e, char *data, char **tok, size_t ntok_max)
{
	const struct option_def *d = e->def;
	enum option_type last = d->fields[d->n_fields - 1];
	size_t max = takes_rest(last) ? d->n_fields : ntok_max;
	size_t n = split_csv(data, tok, max);

	if (n < d->n_fields || (!d->array && n > d->n_fields)) {
		char types[128] = "";
		for (size_t i = 0; i < d->n_fields; i++) {
			strncat(types, i ? ", " : "",
				sizeof(types) - strlen(types) - 1);
			strncat(types, option_type_name(d->fields[i]),
				sizeof(types) - strlen(types) - 1);
		}
		return enc_fail(e,
				"option '%s' takes %s%u comma-separated "
				"values (%s%s), got %zu",
				e->optname, d->array ? "at least " : "",
				d->n_fields, types, d->array ? ", ..." : "", n);
	}
	for (size_t i = 0; i < n; i++) {
		enum option_type t = i < d->n_fields ? d->fields[i] : last;
		if (enc_value(e, t, tok[i]))
			return -EINVAL;
	}
	return 0;
}

/* static-routes / policy-filter: "a, b, c, d" or "a - b, c - d". */
static int enc_pairs(struct enc *e, char **tok, size_t n)
{
	size_t count = 0;

	for (size_t i = 0; i < n; i++) {
		char *dash = strchr(tok[i], '-');
		char *v[2] = {tok[i], NULL};
		int nv = 1;
		uint32_t a = 0;

		if (dash) {
			*dash = '\0';
			v[0] = option_text_trim(tok[i]);
			v[1] = option_text_trim(dash + 1);
			nv = 2;
		}
		for (int k = 0; k < nv; k++, count++) {
			if (parse_ipv4(e, v[k], &a))
				return -EINVAL;
			/* RFC 2132 §5.8: 0.0.0.0 is not a valid destination. */
			if (e->def->code == 33 && count % 2 == 0 && a == 0)
				return enc_fail(e,
						"0.0.0.0 is not a valid "
						"destination for option '%s' "
						"(RFC 2132 §5.8): use "
						"routers for a default route",
						e->optname);
			if (put_ipv4(e, a))
				return -EINVAL;
		}
	}
	if (count % 2)
		return enc_fail(e,
				"option '%s' takes pairs of addresses, got %zu "
				"addresses",
				e->optname, count);
	return 0;
}

static int enc_csv(struct enc *e, const char *data)
{
	const struct option_def *d = e->def;
	size_t sz = strlen(data) + 1;
	char *copy = strdup(data);
	char **tok = calloc(sz, sizeof(*tok));
	size_t n;
	int ret = -ENOMEM;

	if (!copy || !tok)
		goto out;
	ret = -EINVAL;
	if (d->type == T(EMPTY)) {
		if (*option_text_trim(copy))
			ret = enc_fail(e, "option '%s' carries no data",
				       e->optname);
		else
			ret = 0;
		goto out;
	}
	if (d->type == T(RECORD)) {
		ret = enc_record(e, copy, tok, sz);
		goto out;
	}
	if (d->type == T(DNR4)) {
		size_t n = 0;

		ret = option_dnr4_encode(data, e->w.b + e->w.len,
					 WBUF_CAP - e->w.len, &n, e->err,
					 e->errlen);
		e->w.len += n;
		goto out;
	}
	/* A single string takes the whole text, commas included. */
	n = split_csv(copy, tok, d->array || d->type == T(CLASSLESS) ? sz : 1);
	if (n == 1 && !*tok[0] && d->type != T(BINARY)) {
		ret = enc_fail(e, "no value given for option '%s'", e->optname);
		goto out;
	}
	if (d->pairs) {
		ret = enc_pairs(e, tok, n);
		goto out;
	}
	if (!d->array && d->type != T(CLASSLESS) && d->type != T(STRING) &&
	    d->type != T(BINARY) && strchr(tok[0], ',')) {
		ret = enc_fail(e, "option '%s' takes a single %s, got '%s'",
			       e->optname, option_type_name(d->type), tok[0]);
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (enc_value(e, d->type, tok[i]))
			goto out;
	ret = 0;
out:
	free(tok);
	free(copy);
	return ret;
}

static size_t fixed_size(enum option_type t)
{
	switch (t) {
	case T(BOOLEAN):
	case T(UINT8):
	case T(INT8):
		return 1;
	case T(UINT16):
	case T(INT16):
		return 2;
	case T(UINT32):
	case T(INT32):
	case T(IPV4):
		return 4;
	default:
		return 0;
	}
}

/* Hex data for a known option must at least have the right size. */
static int check_hex_size(struct enc *e)
{
	const struct option_def *d = e->def;
	size_t sz = fixed_size(d->type), unit = d->pairs ? 2 * sz : sz;
	size_t n = e->w.len;

	if (!sz)
		return 0;
	if (d->array ? n == 0 || n % unit : n != sz)
		return enc_fail(e,
				"hex data for option '%s' is %zu bytes; "
				"expected %s%zu (%s%s)",
				e->optname, n, d->array ? "a multiple of " : "",
				unit, option_type_name(d->type),
				d->array ? " array" : "");
	return 0;
}

int option_encode(const struct option_def *def, const char *data,
		  bool csv_format, uint8_t *out, size_t cap, size_t *len,
		  char *err, size_t errlen)
{
	int ret;

	if (!err)
		errlen = 0;
	if (def && !def->suboption &&
	    (ret = option_code_check(def->code, err, errlen)))
		return ret;
	return option_encode_value(def, data, csv_format, out, cap, len, err,
				   errlen);
}

int option_encode_value(const struct option_def *def, const char *data,
			bool csv_format, uint8_t *out, size_t cap, size_t *len,
			char *err, size_t errlen)
{
	struct enc *e;
	int ret;

	if (err && errlen)
		err[0] = '\0';
	if (!data || !len || (!out && cap)) {
		if (err && errlen)
			snprintf(err, errlen, "option_encode: bad arguments");
		return -EINVAL;
	}
	if (!err)
		errlen = 0;
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->def = def;
	e->err = err;
	e->errlen = errlen;
	e->optname = def ? def->name : "(by code)";
	if (!csv_format) {
		ret = enc_hex(e, data);
		if (!ret && def)
			ret = check_hex_size(e);
	} else if (!def) {
		ret = enc_fail(e,
			       "option has no definition: set \"csv-format\": "
			       "false and give the data as hex");
	} else {
		ret = enc_csv(e, data);
	}
	if (ret)
		goto out;
	if (e->w.len > OPTION_MAX_LEN) {
		ret = -EMSGSIZE;
		enc_fail(e,
			 "option '%s' is %zu bytes encoded; a DHCPv4 option "
			 "holds at most %d",
			 e->optname, e->w.len, OPTION_MAX_LEN);
		goto out;
	}
	if (e->w.len > cap) {
		ret = -ENOSPC;
		enc_fail(e, "option '%s' is %zu bytes encoded; only %zu fit",
			 e->optname, e->w.len, cap);
		goto out;
	}
	memcpy(out, e->w.b, e->w.len);
	*len = e->w.len;
out:
	free(e);
	return ret;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static bool is_sep(char c)
{
	return c == ':' || c == ' ';
}

int option_parse_hex(const char *text, uint8_t *out, size_t cap)
{
	const char *s, *end;
	size_t n = 0;
	bool seps = false;

	if (!text || (!out && cap))
		return -EINVAL;
	s = text;
	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	if (end - s >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (const char *p = s; p < end; p++) {
		if (is_sep(*p))
			seps = true;
		else if (hexval(*p) < 0)
			return -EINVAL;
	}
	if (!seps) {
		/* An odd digit count gets a leading zero, as Kea does. */
		bool half = (end - s) % 2;
		while (s < end) {
			int v = half ? 0 : hexval(*s++);
			v = v * 16 + hexval(*s++);
			half = false;
			if (n >= cap)
				return -ENOSPC;
			out[n++] = v;
		}
		return n;
	}
	/* Groups of one or two digits, split by one ':' or by spaces. */
	while (s < end) {
		int g = 0, v = 0;
		while (s < end && !is_sep(*s) && g < 3)
			v = v * 16 + hexval(*s++), g++;
		if (g == 0 || g > 2)
			return -EINVAL;
		if (n >= cap)
			return -ENOSPC;
		out[n++] = v;
		if (s == end)
			break;
		if (*s == ':')
			s++;
		else
			while (*s == ' ')
				s++;
		if (s == end || is_sep(*s))
			return -EINVAL;
	}
	return n;
}
