// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The host name a lease keeps: the client's option 12 (RFC 2132 §3.14)
 * sanitized, replaced or generated, and qualified, as Kea does (Kea ARM,
 * "Name Generation for DDNS Update Requests" and "Sanitizing Client Host
 * Name and FQDN Names"; the subnet's dx_client_name_conf), and the
 * name of the Client FQDN option (RFC 4702) the same way; the name is
 * stored in the lease and, with DNS updates on, put in DNS
 * (engine_ddns.c).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine_internal.h"

struct name_buf {
	char *s;
	size_t len; /* at most DX_LEASE_HOSTNAME_MAX, s[len] is NUL */
};

/* What does not fit the lease's 255 bytes is cut (option 12 holds 255). */
static void put(struct name_buf *b, const char *p, size_t n)
{
	if (n > DX_LEASE_HOSTNAME_MAX - b->len)
		n = DX_LEASE_HOSTNAME_MAX - b->len;
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void puts_(struct name_buf *b, const char *p)
{
	put(b, p, strlen(p));
}

int client_name_compile(struct eng_subnet *s)
{
	const char *set = s->conf->names.char_set;

	s->has_name_re = false;
	if (!*set)
		return 0;
	/* The loader compiled it already (client_names.c). */
	if (regcomp(&s->name_re, set, REG_EXTENDED))
		return -EINVAL;
	s->has_name_re = true;
	return 0;
}

void client_name_free(struct eng_subnet *s)
{
	if (s->has_name_re)
		regfree(&s->name_re);
	s->has_name_re = false;
}

/*
 * Every match of hostname-char-set in the NUL-terminated piece p becomes
 * the replacement (Kea: regex_replace over the whole name). An empty
 * match replaces nothing: the character after it is kept.
 */
static void scrub_piece(const struct eng_subnet *s, const char *p,
			struct name_buf *b)
{
	const char *start = p;
	regmatch_t m;

	while (*p) {
		if (regexec(&s->name_re, p, 1, &m,
			    p == start ? 0 : REG_NOTBOL)) {
			puts_(b, p);
			return;
		}
		put(b, p, (size_t)m.rm_so);
		if (m.rm_eo == m.rm_so) {
			put(b, p + m.rm_so, 1);
			p += m.rm_so + 1;
			continue;
		}
		puts_(b, s->conf->names.replacement);
		p += m.rm_eo;
	}
}

/* Kea: a NUL inside the name is always an invalid character. */
static void scrub(const struct eng_subnet *s, const char *name, size_t len,
		  struct name_buf *b)
{
	char piece[DX_LEASE_HOSTNAME_MAX + 1];
	size_t i = 0;

	while (i <= len) {
		size_t n = strnlen(name + i, len - i);

		memcpy(piece, name + i, n);
		piece[n] = '\0';
		scrub_piece(s, piece, b);
		i += n + 1;
		if (i <= len)
			puts_(b, s->conf->names.replacement);
	}
}

/*
 * Kea's qualifyName() without the trailing dot (option 12 carries none):
 * the suffix is appended unless the name ends with a dot or already ends
 * with the suffix as whole labels.
 */
static void qualify(const struct eng_subnet *s, struct name_buf *b)
{
	const char *suffix = s->conf->names.suffix;
	size_t sl = strlen(suffix);

	if (sl && suffix[sl - 1] == '.')
		sl--;
	if (sl && b->len && b->s[b->len - 1] != '.' &&
	    !(b->len >= sl && !memcmp(b->s + b->len - sl, suffix, sl) &&
	      (b->len == sl || b->s[b->len - sl - 1] == '.'))) {
		put(b, ".", 1);
		put(b, suffix, sl);
	}
	if (b->len && b->s[b->len - 1] == '.')
		b->s[--b->len] = '\0';
}

/* [prefix]-[address with dashes], qualified (Kea's generateFqdn()). */
static void generate(const struct eng_subnet *s, uint32_t a, struct name_buf *b)
{
	char addr[24];

	b->len = 0;
	b->s[0] = '\0';
	snprintf(addr, sizeof(addr), "-%u-%u-%u-%u", a >> 24, (a >> 16) & 0xff,
		 (a >> 8) & 0xff, a & 0xff);
	puts_(b, s->conf->names.prefix);
	puts_(b, addr);
	qualify(s, b);
}

/* Leading and trailing blanks go (Kea trims the option's value). */
static const char *trim(const char *p, size_t *len)
{
	while (*len && isspace((unsigned char)*p)) {
		p++;
		(*len)--;
	}
	while (*len && isspace((unsigned char)p[*len - 1]))
		(*len)--;
	return p;
}

/* Labels between dots, none empty but a final root: "a.b" 2, "a." 1. */
static int count_labels(const char *p, size_t len)
{
	int n = 0;

	for (size_t i = 0, label = 0; i <= len; i++) {
		if (i < len && p[i] != '.') {
			label++;
			continue;
		}
		if (!label)
			return i == len && n ? n : -1;
		n++;
		label = 0;
	}
	return n;
}

/* When a client's name gets the suffix. */
enum qualify_when {
	QUALIFY_ONE_LABEL, /* option 12: a single label only */
	QUALIFY_ALWAYS,	   /* option 81, a partial name (RFC 4702 §3.1) */
	QUALIFY_NEVER,	   /* option 81, a fully qualified name */
};

/*
 * The client's own name, sanitized, lower-cased, and qualified as q says
 * (Kea's processHostnameOption() and processClientFqdnOption()); false
 * when nothing is left of it, which Kea (3.1.3 on) treats as a name not
 * sent.
 */
static bool sanitized(const struct eng_subnet *s, const char *p, size_t len,
		      int q, struct name_buf *b)
{
	int labels;

	if (s->has_name_re)
		scrub(s, p, len, b);
	else
		put(b, p, len);
	labels = count_labels(b->s, b->len);
	if (!b->len || labels < 1)
		return false;
	for (size_t i = 0; i < b->len; i++)
		b->s[i] = (char)tolower((unsigned char)b->s[i]);
	if ((labels == 1 && q == QUALIFY_ONE_LABEL) || q == QUALIFY_ALWAYS)
		qualify(s, b);
	return true;
}

static size_t name_of(const struct eng_subnet *s, const char *p, size_t len,
		      int q, uint32_t a, char out[DX_LEASE_HOSTNAME_MAX + 1])
{
	int mode = s->conf->names.replace;
	struct name_buf b = {out, 0};
	bool sent;

	/* Option 12 split in several instances (RFC 3396) may be longer than
	 * the lease keeps; scrub()'s pieces are bounded by that too. */
	if (len > DX_LEASE_HOSTNAME_MAX)
		len = DX_LEASE_HOSTNAME_MAX;
	p = trim(p, &len);
	sent = len > 0;

	out[0] = '\0';
	if (sent &&
	    (mode == DX_REPLACE_ALWAYS || mode == DX_REPLACE_WHEN_PRESENT ||
	     (len == 1 && *p == '.'))) {
		/* Kea replaces a bare root "." too. */
		generate(s, a, &b);
		return b.len;
	}
	if (sent && sanitized(s, p, len, q, &b))
		return b.len;
	b.len = 0;
	out[0] = '\0';
	if (mode == DX_REPLACE_ALWAYS || mode == DX_REPLACE_WHEN_NOT_PRESENT)
		generate(s, a, &b);
	return b.len;
}

size_t client_name_of(const struct eng_subnet *s, const struct dhcp_msg *req,
		      uint32_t a, char out[DX_LEASE_HOSTNAME_MAX + 1])
{
	return name_of(s, (const char *)req->hostname,
		       req->hostname ? req->hostname_len : 0, QUALIFY_ONE_LABEL,
		       a, out);
}

size_t client_name_fqdn(const struct eng_subnet *s, const struct client_fqdn *f,
			uint32_t a, char out[DX_LEASE_HOSTNAME_MAX + 1])
{
	return name_of(s, f->name, f->len,
		       f->partial ? QUALIFY_ALWAYS : QUALIFY_NEVER, a, out);
}

char *client_name_reserved(const struct eng_subnet *s, const char *hostname)
{
	char out[DX_LEASE_HOSTNAME_MAX + 1];
	struct name_buf b = {out, 0};

	out[0] = '\0';
	puts_(&b, hostname);
	for (size_t i = 0; i < b.len; i++)
		out[i] = (char)tolower((unsigned char)out[i]);
	/* Kea qualifies a reserved hostname, whatever its labels. */
	if (b.len)
		qualify(s, &b);
	return strdup(out);
}
