// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Option 162, v4-dnr: the DHCPv4 Encrypted DNS option (RFC 9463 §5.1),
 * from Kea's text into its payload.
 *
 * The text is one or more DNR instances separated by '|', each
 * "PRIORITY, ADN[, ADDRESSES[, SVCPARAMS]]": the service priority, the
 * authentication domain name, the resolver's IPv4 addresses separated by
 * spaces and its service parameters as space-separated key=value pairs.
 * "\|" and "\," are a literal '|' and ','; the alpn list separates its
 * ids with "\,". Only a priority and an ADN is ADN-only mode (RFC 9463
 * §3.1.6): the instance ends after the ADN.
 *
 * Each instance on the wire (RFC 9463 §5.1): DNR-Instance Data Length
 * (2 bytes, what follows it), Service Priority (2), ADN Length (1), the
 * ADN as an uncompressed DNS name (RFC 1035 §3.1), then unless ADN-only
 * Addr Length (1), the addresses (4 bytes each) and the SvcParams in
 * RFC 9460 §2.2 wire format: key (2), value length (2), value, keys in
 * increasing order, none twice.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire/option_def.h"

/* SvcParamKeys (RFC 9460 §14.3.2, RFC 9461 §5) a DNR option may carry. */
enum svc_key {
	SVC_ALPN = 1,
	SVC_PORT = 3,
	SVC_DOHPATH = 7,
};

/* The registry's names, for messages about those a DNR option cannot
 * carry: ipv4hint and ipv6hint are forbidden (RFC 9463 §3.1.8), the rest
 * have no meaning for a resolver. */
static const char *const svc_names[] = {
	"mandatory", "alpn",	 "no-default-alpn", "port",  "ipv4hint",
	"ech",	     "ipv6hint", "dohpath",	    "ohttp",
};

/* TLS ALPN protocol ids of the IANA registry, as Kea checks them. */
static const char *const alpn_ids[] = {
	"http/0.9", "http/1.0",	   "http/1.1",	  "spdy/1",
	"spdy/2",   "spdy/3",	   "stun.turn",	  "stun.nat-discovery",
	"h2",	    "h2c",	   "webrtc",	  "c-webrtc",
	"ftp",	    "imap",	   "pop3",	  "managesieve",
	"coap",	    "xmpp-client", "xmpp-server", "acme-tls/1",
	"mqtt",	    "dot",	   "ntske/1",	  "sunrpc",
	"h3",	    "smb",	   "irc",	  "nntp",
	"nnsp",	    "doq",	   "sip/2",	  "tds/8.0",
	"dicom",
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

struct dnr {
	uint8_t *out;
	size_t cap, len;
	unsigned inst; /* 1-based, for messages */
	char *err;
	size_t errlen;
};

static int __attribute__((format(printf, 2, 3)))
dnr_fail(struct dnr *d, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (d->err && d->errlen)
		snprintf(d->err, d->errlen, "v4-dnr instance %u: %s", d->inst,
			 msg);
	return -EINVAL;
}

static int put(struct dnr *d, const void *p, size_t n)
{
	if (d->len + n > d->cap) {
		if (d->err && d->errlen)
			snprintf(d->err, d->errlen,
				 "option 'v4-dnr' is over %zu bytes encoded",
				 d->cap);
		return -EMSGSIZE;
	}
	memcpy(d->out + d->len, p, n);
	d->len += n;
	return 0;
}

static int put_u8(struct dnr *d, uint8_t v)
{
	return put(d, &v, 1);
}

static int put_u16(struct dnr *d, uint16_t v)
{
	uint8_t b[2] = {v >> 8, v & 0xff};

	return put(d, b, 2);
}

/* Write v at offset at, already reserved. */
static void set_u16(struct dnr *d, size_t at, uint16_t v)
{
	d->out[at] = v >> 8;
	d->out[at + 1] = v & 0xff;
}

/*
 * The next field of *s up to an unescaped @sep, in place: "\" before
 * @sep is dropped, any other "\" kept for the next level to read. *s
 * moves past the separator, to NULL after the last field.
 */
static char *next_field(char **s, char sep)
{
	char *rd = *s, *wr = *s, *start = *s;

	if (!rd)
		return NULL;
	for (;; rd++) {
		if (rd[0] == '\\' && rd[1] == sep) {
			*wr++ = sep;
			rd++;
			continue;
		}
		if (*rd == '\0' || *rd == sep)
			break;
		*wr++ = *rd;
	}
	*s = *rd ? rd + 1 : NULL;
	*wr = '\0';
	return option_text_trim(start);
}

/* The next space-separated word of *s, NULL when none is left. */
static char *next_word(char **s)
{
	char *w = *s + strspn(*s, " \t");

	if (!*w)
		return NULL;
	*s = w + strcspn(w, " \t");
	if (**s)
		*(*s)++ = '\0';
	return w;
}

static int parse_u16(const char *s, uint16_t *v)
{
	unsigned long n;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || *end || n > 0xffff)
		return -EINVAL;
	*v = n;
	return 0;
}

/* The ADN as an uncompressed DNS name, after its 1-byte length. */
static int put_adn(struct dnr *d, const char *adn)
{
	size_t n = strlen(adn), at = d->len, wire;
	const char *p = adn;
	int r;

	if (n && adn[n - 1] == '.')
		n--;
	if (n == 0)
		return dnr_fail(d, "the authentication domain name is "
				   "missing; it is mandatory (RFC 9463 "
				   "§3.1.6)");
	if ((r = put_u8(d, 0)))
		return r;
	while (p < adn + n) {
		const char *dot = memchr(p, '.', adn + n - p);
		size_t l = dot ? (size_t)(dot - p) : (size_t)(adn + n - p);

		if (l == 0 || l > 63)
			return dnr_fail(d,
					"'%s' is not a domain name: labels "
					"are 1 to 63 characters (RFC 1035 "
					"§2.3.4)",
					adn);
		for (size_t i = 0; i < l; i++)
			if (!isgraph((unsigned char)p[i]))
				return dnr_fail(d, "'%s' is not a domain name",
						adn);
		if ((r = put_u8(d, l)) || (r = put(d, p, l)))
			return r;
		p += l + 1;
	}
	if ((r = put_u8(d, 0)))
		return r;
	wire = d->len - at - 1;
	if (wire > 255)
		return dnr_fail(d,
				"'%s' is longer than 255 bytes as a domain "
				"name (RFC 1035 §2.3.4)",
				adn);
	d->out[at] = wire;
	return 0;
}

static int put_addrs(struct dnr *d, char *text)
{
	size_t at = d->len;
	struct in_addr a;
	char *w;
	int r;

	if ((r = put_u8(d, 0)))
		return r;
	while ((w = next_word(&text))) {
		if (inet_pton(AF_INET, w, &a) != 1)
			return dnr_fail(d, "'%s' is not an IPv4 address", w);
		if (d->len - at - 1 + 4 > 252)
			return dnr_fail(d, "too many addresses: Addr Length "
					   "is one byte");
		if ((r = put(d, &a.s_addr, 4)))
			return r;
	}
	if (d->len == at + 1)
		return dnr_fail(d, "no resolver address: an instance that is "
				   "not ADN-only needs one at least (RFC 9463 "
				   "§3.1.8)");
	d->out[at] = d->len - at - 1;
	return 0;
}

static bool alpn_known(const char *id)
{
	for (size_t i = 0; i < N_OF(alpn_ids); i++)
		if (!strcmp(alpn_ids[i], id))
			return true;
	return false;
}

/* alpn's value: each protocol id prefixed by its 1-byte length (RFC
 * 9460 §7.1.1). *http: one of them is HTTP, which needs dohpath. */
static int alpn_value(struct dnr *d, char *list, uint8_t *v, size_t *n,
		      bool *http)
{
	char *id;

	*n = 0;
	while ((id = next_field(&list, ','))) {
		size_t l = strlen(id);

		if (!l)
			return dnr_fail(d, "empty alpn id");
		if (!alpn_known(id))
			return dnr_fail(d,
					"alpn id '%s' is not in the TLS ALPN "
					"protocol ids registry",
					id);
		/* h2, h3, h2c, http/1.1... (RFC 9461 §5) */
		if (id[0] == 'h')
			*http = true;
		if (*n + 1 + l > 255)
			return dnr_fail(d, "the alpn list is too long");
		v[(*n)++] = l;
		memcpy(v + *n, id, l);
		*n += l;
	}
	return 0;
}

struct svc_param {
	const char *value; /* NULL: not given */
	uint8_t wire[256];
	size_t len;
};

static int svc_key_of(struct dnr *d, const char *key, enum svc_key *k)
{
	for (size_t i = 0; i < N_OF(svc_names); i++) {
		if (strcmp(svc_names[i], key))
			continue;
		if (i == SVC_ALPN || i == SVC_PORT || i == SVC_DOHPATH) {
			*k = i;
			return 0;
		}
		if (!strcmp(key, "ipv4hint") || !strcmp(key, "ipv6hint"))
			return dnr_fail(d,
					"SvcParam '%s' must not be used in a "
					"DNR option (RFC 9463 §3.1.8)",
					key);
		return dnr_fail(d,
				"SvcParam '%s' is not supported in a DNR "
				"option: alpn, port and dohpath are",
				key);
	}
	return dnr_fail(d, "unknown SvcParam key '%s'", key);
}

static int svc_value(struct dnr *d, enum svc_key k, char *val,
		     struct svc_param *p, bool *http)
{
	uint16_t port;

	switch (k) {
	case SVC_ALPN:
		return alpn_value(d, val, p->wire, &p->len, http);
	case SVC_PORT:
		if (parse_u16(val, &port))
			return dnr_fail(d, "port '%s' is not 0 to 65535", val);
		p->wire[0] = port >> 8;
		p->wire[1] = port & 0xff;
		p->len = 2;
		return 0;
	case SVC_DOHPATH:
		/* A URI template with the "dns" variable (RFC 9461 §5). */
		if (!strstr(val, "{?dns}"))
			return dnr_fail(d,
					"dohpath '%s' has no \"{?dns}\" "
					"variable (RFC 9461 §5)",
					val);
		if (strlen(val) > sizeof(p->wire))
			return dnr_fail(d, "dohpath is too long");
		p->len = strlen(val);
		memcpy(p->wire, val, p->len);
		return 0;
	}
	return -EINVAL;
}

static int put_svc_params(struct dnr *d, char *text)
{
	static const enum svc_key order[] = {SVC_ALPN, SVC_PORT, SVC_DOHPATH};
	struct svc_param ps[SVC_DOHPATH + 1] = {0};
	bool http = false;
	char *w;
	int r;

	while ((w = next_word(&text))) {
		char *eq = strchr(w, '=');
		enum svc_key k = SVC_ALPN;

		if (!eq || eq == w)
			return dnr_fail(d, "'%s' is not a key=value SvcParam",
					w);
		*eq = '\0';
		if ((r = svc_key_of(d, w, &k)))
			return r;
		if (ps[k].value)
			return dnr_fail(d, "SvcParam '%s' is given twice", w);
		if (!eq[1])
			return dnr_fail(d, "SvcParam '%s' has no value", w);
		ps[k].value = eq + 1;
		if ((r = svc_value(d, k, eq + 1, &ps[k], &http)))
			return r;
	}
	if (http && !ps[SVC_DOHPATH].value)
		return dnr_fail(d, "alpn names HTTP: dohpath is needed (RFC "
				   "9461 §5)");
	/* Keys in increasing order (RFC 9460 §2.2). */
	for (size_t i = 0; i < N_OF(order); i++) {
		const struct svc_param *p = &ps[order[i]];

		if (p->value &&
		    ((r = put_u16(d, order[i])) || (r = put_u16(d, p->len)) ||
		     (r = put(d, p->wire, p->len))))
			return r;
	}
	return 0;
}

static int put_instance(struct dnr *d, char *text)
{
	char *prio, *adn, *addrs, *svc;
	size_t at = d->len;
	uint16_t v;
	int r;

	/* alpn's "\," are plain commas once svc is cut out. */
	prio = next_field(&text, ',');
	adn = next_field(&text, ',');
	addrs = next_field(&text, ',');
	svc = next_field(&text, ',');
	if (!adn || text)
		return dnr_fail(d, "expected 'PRIORITY, ADN[, ADDRESSES[, "
				   "SVCPARAMS]]' (a comma inside alpn's list "
				   "is written \\,)");
	if (parse_u16(prio, &v))
		return dnr_fail(d, "service priority '%s' is not 0 to 65535",
				prio);
	if ((r = put_u16(d, 0)) || (r = put_u16(d, v)) || (r = put_adn(d, adn)))
		return r;
	if (addrs && (r = put_addrs(d, addrs)))
		return r;
	if (svc && (r = put_svc_params(d, svc)))
		return r;
	set_u16(d, at, d->len - at - 2);
	return 0;
}

int option_dnr4_encode(const char *text, uint8_t *out, size_t cap, size_t *len,
		       char *err, size_t errlen)
{
	struct dnr d = {.out = out, .cap = cap, .err = err, .errlen = errlen};
	char *copy = strdup(text), *rest = copy, *inst;
	int r = 0;

	if (!copy)
		return -ENOMEM;
	while (!r && (inst = next_field(&rest, '|'))) {
		d.inst++;
		r = put_instance(&d, inst);
	}
	free(copy);
	if (!r)
		*len = d.len;
	return r;
}
