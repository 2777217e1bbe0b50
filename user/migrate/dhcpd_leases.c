// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * ISC dhcpd's lease file, dhcpd.leases (dhcpd.leases(5)): "lease ADDR {
 * ... }" blocks among other statements (server-duid, failover state,
 * host declarations), which are skipped. dhcpd appends a block at every
 * change and rewrites the file now and then, so the last block for an
 * address is the lease. Times are "W YYYY/MM/DD HH:MM:SS" in UTC, or
 * "epoch N" (db-time-format local), or "never". A uid is a quoted string
 * whose unprintable octets are octal escapes, or colon-separated hex.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "migrate/mig_internal.h"
#include "util/errmsg.h"

enum tok_kind { T_EOF, T_WORD, T_STRING, T_LBRACE, T_RBRACE, T_SEMI };

struct tok {
	int kind;
	const char *p; /* a string: between the quotes, escapes undone later */
	size_t len;
	unsigned line;
};

struct lexer {
	const char *p, *end, *file;
	unsigned line;
	char *err;
	size_t errlen;
};

static int lex_fail(struct lexer *lx, unsigned line, const char *what)
{
	return errmsg(lx->err, lx->errlen, -EINVAL, "%s:%u: %s", lx->file, line,
		      what);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

/* Skips blanks and comments ("#" to the end of the line). */
static void lex_skip(struct lexer *lx)
{
	while (lx->p < lx->end) {
		if (*lx->p == '#') {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
		} else if (is_space(*lx->p)) {
			if (*lx->p == '\n')
				lx->line++;
			lx->p++;
		} else {
			return;
		}
	}
}

static int lex_next(struct lexer *lx, struct tok *t)
{
	const char *s;

	lex_skip(lx);
	t->line = lx->line;
	t->p = lx->p;
	t->len = 0;
	if (lx->p == lx->end) {
		t->kind = T_EOF;
		return 0;
	}
	switch (*lx->p) {
	case '{':
	case '}':
	case ';':
		t->kind = *lx->p == '{'	  ? T_LBRACE
			  : *lx->p == '}' ? T_RBRACE
					  : T_SEMI;
		t->len = 1;
		lx->p++;
		return 0;
	case '"':
		s = ++lx->p;
		while (lx->p < lx->end && *lx->p != '"') {
			if (*lx->p == '\\' && lx->p + 1 < lx->end)
				lx->p++;
			if (*lx->p == '\n')
				lx->line++;
			lx->p++;
		}
		if (lx->p == lx->end)
			return lex_fail(lx, t->line, "unterminated string");
		t->kind = T_STRING;
		t->p = s;
		t->len = (size_t)(lx->p - s);
		lx->p++;
		return 0;
	}
	s = lx->p;
	/* memchr, not strchr: a NUL in the file is part of a word, not the
	 * end of the delimiters (a zero-length word would loop forever). */
	while (lx->p < lx->end && !is_space(*lx->p) &&
	       !memchr("{};\"#", *lx->p, 5))
		lx->p++;
	t->kind = T_WORD;
	t->p = s;
	t->len = (size_t)(lx->p - s);
	return 0;
}

static bool tok_is(const struct tok *t, const char *w)
{
	return t->kind == T_WORD && t->len == strlen(w) &&
	       !memcmp(t->p, w, t->len);
}

/*
 * A quoted string's octets: "\ooo" is an octal octet (dhcpd writes the
 * unprintable ones so), "\x" the character x. -E2BIG past cap.
 */
static int unquote(const struct tok *t, uint8_t *out, size_t cap, size_t *n)
{
	*n = 0;
	for (size_t i = 0; i < t->len; i++) {
		unsigned c = (unsigned char)t->p[i];

		if (c == '\\' && i + 1 < t->len) {
			c = (unsigned char)t->p[++i];
			if (c >= '0' && c <= '7') {
				unsigned v = 0, k = 0;

				while (k < 3 && i < t->len && t->p[i] >= '0' &&
				       t->p[i] <= '7') {
					v = v * 8 + (unsigned)(t->p[i++] - '0');
					k++;
				}
				i--;
				c = v & 0xff;
			}
		}
		if (*n == cap)
			return -E2BIG;
		out[(*n)++] = (uint8_t)c;
	}
	return 0;
}

/* Skip the rest of a statement begun with t: to its ';' or its block. */
static int skip_statement(struct lexer *lx, struct tok t)
{
	unsigned depth = 0, first = t.line;
	int ret;

	for (;;) {
		if (t.kind == T_LBRACE)
			depth++;
		else if (t.kind == T_RBRACE) {
			if (!depth)
				return lex_fail(lx, t.line, "unexpected '}'");
			if (!--depth)
				return 0;
		} else if (t.kind == T_SEMI && !depth)
			return 0;
		else if (t.kind == T_EOF)
			return lex_fail(lx, first,
					"statement without its end ';' or '}'");
		ret = lex_next(lx, &t);
		if (ret)
			return ret;
	}
}

#define STMT_MAX 8

/*
 * The tokens of one statement inside a lease block, to its ';' (a block
 * inside it, "on expiry { ... }", is skipped and ends it). *n 0 and
 * *close true at the lease's '}'.
 */
static int read_statement(struct lexer *lx, struct tok *v, size_t *n,
			  bool *close)
{
	struct tok t;
	int ret;

	*n = 0;
	*close = false;
	for (;;) {
		ret = lex_next(lx, &t);
		if (ret)
			return ret;
		if (t.kind == T_EOF)
			return lex_fail(lx, t.line,
					"lease block without its '}'");
		if (t.kind == T_RBRACE && !*n) {
			*close = true;
			return 0;
		}
		if (t.kind == T_RBRACE)
			return lex_fail(lx, t.line,
					"statement without its ';'");
		if (t.kind == T_SEMI)
			return 0;
		if (t.kind == T_LBRACE)
			return skip_statement(lx, t);
		if (*n < STMT_MAX)
			v[(*n)++] = t;
	}
}

/* "W YYYY/MM/DD HH:MM:SS" (UTC), "epoch N" or "never", from v[0]. */
static int parse_time(const struct tok *v, size_t n, int64_t *out)
{
	char buf[64];
	struct tm tm = {0};
	int wday, y, mo, d, h, mi, s, used = 0;
	uint64_t e;

	if (n == 1 && tok_is(&v[0], "never")) {
		*out = MIG_EXPIRES_NEVER;
		return 0;
	}
	if (n == 2 && tok_is(&v[0], "epoch")) {
		if (mig_u64(v[1].p, v[1].len, INT64_MAX / 2, &e))
			return -EINVAL;
		*out = (int64_t)e;
		return 0;
	}
	if (n != 3 || v[0].len + v[1].len + v[2].len + 3 > sizeof(buf))
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%.*s %.*s %.*s", (int)v[0].len, v[0].p,
		 (int)v[1].len, v[1].p, (int)v[2].len, v[2].p);
	if (sscanf(buf, "%d %d/%d/%d %d:%d:%d%n", &wday, &y, &mo, &d, &h, &mi,
		   &s, &used) != 7 ||
	    buf[used] || wday < 0 || wday > 6 || y < 1970 || mo < 1 ||
	    mo > 12 || d < 1 || d > 31 || h > 23 || h < 0 || mi < 0 ||
	    mi > 59 || s < 0 || s > 60)
		return -EINVAL;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	*out = (int64_t)timegm(&tm);
	return 0;
}

static int binding_state(const struct tok *t, int *state)
{
	static const struct {
		const char *name;
		int state;
	} states[] = {
		{"active", MIG_ACTIVE},	     {"bootp", MIG_ACTIVE},
		{"abandoned", MIG_DECLINED}, {"free", MIG_FREE},
		{"released", MIG_FREE},	     {"expired", MIG_FREE},
		{"reset", MIG_FREE},	     {"backup", MIG_FREE},
	};

	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (tok_is(t, states[i].name)) {
			*state = states[i].state;
			return 0;
		}
	return -EINVAL;
}

/* One statement of a lease block into l; unknown ones are ignored. */
static int lease_statement(struct lexer *lx, const struct tok *v, size_t n,
			   struct mig_lease *l)
{
	uint8_t host[DX_LEASE_HOSTNAME_MAX];
	size_t len;
	int ret = 0;

	if (tok_is(&v[0], "starts"))
		ret = parse_time(v + 1, n - 1, &l->cltt);
	else if (tok_is(&v[0], "ends"))
		ret = parse_time(v + 1, n - 1, &l->expires);
	else if (tok_is(&v[0], "binding") && n == 3 && tok_is(&v[1], "state"))
		ret = binding_state(&v[2], &l->state);
	else if (tok_is(&v[0], "abandoned"))
		l->state = MIG_DECLINED;
	else if (tok_is(&v[0], "hardware"))
		/* Only Ethernet's MAC keys a lease here. */
		l->has_mac = n == 3 && tok_is(&v[1], "ethernet") &&
			     !(ret = mig_mac(v[2].p, v[2].len, l->mac));
	else if (tok_is(&v[0], "uid") && n == 2) {
		ret = v[1].kind == T_STRING
			      ? unquote(&v[1], l->client_id,
					sizeof(l->client_id), &len)
			      : mig_hex(v[1].p, v[1].len, l->client_id,
					sizeof(l->client_id), &len);
		l->client_id_len = ret ? 0 : (uint8_t)len;
	} else if (tok_is(&v[0], "client-hostname") && n == 2 &&
		   v[1].kind == T_STRING) {
		unquote(&v[1], host, sizeof(host), &len);
		mig_hostname(l->hostname, (const char *)host, len);
	} else if (tok_is(&v[0], "uid") || tok_is(&v[0], "client-hostname"))
		ret = -EINVAL;
	if (ret) {
		char what[40];

		snprintf(what, sizeof(what), "bad %.*s", (int)v[0].len, v[0].p);
		return lex_fail(lx, v[0].line, what);
	}
	return 0;
}

static int parse_lease(struct lexer *lx, unsigned line, struct mig_set *out)
{
	struct mig_lease l = {.line = line, .state = MIG_ACTIVE};
	struct tok v[STMT_MAX], t;
	bool close;
	size_t n;
	int ret;

	ret = lex_next(lx, &t);
	if (ret)
		return ret;
	if (t.kind != T_WORD || mig_ipv4(t.p, t.len, &l.addr))
		return lex_fail(lx, t.line, "'lease' without an IPv4 address");
	ret = lex_next(lx, &t);
	if (ret)
		return ret;
	if (t.kind != T_LBRACE)
		return lex_fail(lx, t.line, "'{' expected after the address");
	for (;;) {
		ret = read_statement(lx, v, &n, &close);
		if (ret)
			return ret;
		if (close)
			break;
		if (n) {
			ret = lease_statement(lx, v, n, &l);
			if (ret)
				return ret;
		}
	}
	return mig_set_add(out, &l);
}

int mig_parse_dhcpd(const char *text, size_t len, const char *file,
		    struct mig_set *out, char *err, size_t errlen)
{
	struct lexer lx = {
		.p = text,
		.end = text + len,
		.file = file,
		.line = 1,
		.err = err,
		.errlen = errlen,
	};
	struct tok t;
	int ret;

	if (!text || !out || !file)
		return -EINVAL;
	for (;;) {
		ret = lex_next(&lx, &t);
		if (ret)
			return ret;
		if (t.kind == T_EOF)
			break;
		ret = tok_is(&t, "lease") ? parse_lease(&lx, t.line, out)
					  : skip_statement(&lx, t);
		if (ret)
			return ret;
	}
	return mig_set_supersede(out);
}
