// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Kea's expression syntax, the subset docs/configuration.md lists, into
 * RPN (expr_internal.h). Recursive descent over Kea's grammar
 * (src/lib/eval/parser.yy): a test (bool) and a string are different
 * kinds, checked here so that a test that could never be "true" or
 * "false" is refused at load, as Kea does; "not" binds tighter than
 * "and", "and" than "or", both left-associative; '+' is concat.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify/expr_internal.h"
#include "wire/option_def.h"

struct parser {
	const char *text, *pos;
	const char *const *names;
	size_t n_names;
	struct cls_prog *p;
	size_t cap_lit;
	int depth, max_depth;
	char *err;
	size_t errlen;
	int rc;
};

static int fail_at(struct parser *ps, const char *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail_at(struct parser *ps, const char *at, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (ps->rc)
		return ps->rc;
	n = snprintf(ps->err, ps->errlen,
		     "position %zu: ", (size_t)(at - ps->text) + 1);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < ps->errlen)
		vsnprintf(ps->err + n, ps->errlen - n, fmt, ap);
	va_end(ap);
	ps->rc = -EINVAL;
	return ps->rc;
}

static void skip_ws(struct parser *ps)
{
	while (isspace((unsigned char)*ps->pos))
		ps->pos++;
}

/* Consume punctuation tok if it comes next. */
static bool accept(struct parser *ps, const char *tok)
{
	size_t n = strlen(tok);

	skip_ws(ps);
	if (strncmp(ps->pos, tok, n))
		return false;
	ps->pos += n;
	return true;
}

static int expect(struct parser *ps, const char *tok)
{
	if (accept(ps, tok))
		return 0;
	return fail_at(ps, ps->pos, "expected '%s'", tok);
}

static size_t ident_len(const char *s)
{
	size_t n = 0;

	while (isalnum((unsigned char)s[n]) || s[n] == '_' || s[n] == '-')
		n++;
	return n;
}

/* Consume keyword kw if the next word is exactly kw. */
static bool accept_kw(struct parser *ps, const char *kw)
{
	size_t n = strlen(kw);

	skip_ws(ps);
	if (strncmp(ps->pos, kw, n) || ident_len(ps->pos) != n)
		return false;
	ps->pos += n;
	return true;
}

static int emit(struct parser *ps, const struct expr_ins *in, int pops)
{
	struct cls_prog *p = ps->p;

	if (p->n >= EXPR_MAX_INS)
		return fail_at(ps, ps->pos,
			       "expression too long (more than "
			       "%d terms)",
			       EXPR_MAX_INS);
	p->ins[p->n++] = *in;
	ps->depth += 1 - pops;
	if (ps->depth > ps->max_depth)
		ps->max_depth = ps->depth;
	if (ps->max_depth > EXPR_MAX_DEPTH)
		return fail_at(ps, ps->pos, "expression nested too deeply");
	return 0;
}

static int emit_lit(struct parser *ps, const void *b, size_t len)
{
	struct cls_prog *p = ps->p;
	struct expr_ins in = {.op = EOP_LIT};

	if (p->lit_len + len > ps->cap_lit) {
		size_t cap = (ps->cap_lit + len) * 2 + 16;
		uint8_t *n = realloc(p->lit, cap);

		if (!n)
			return ps->rc = -ENOMEM;
		p->lit = n;
		ps->cap_lit = cap;
	}
	if (len)
		memcpy(p->lit + p->lit_len, b, len);
	in.off = p->lit_len;
	in.len = len;
	p->lit_len += len;
	return emit(ps, &in, 0);
}

/* An integer as Kea reads it: optional '-', decimal digits, 32 bits. */
static int parse_int(struct parser *ps, int64_t min, int64_t max, int64_t *out)
{
	const char *at;
	char *end;
	long long v;

	skip_ws(ps);
	at = ps->pos;
	if (!isdigit((unsigned char)*at) &&
	    !(*at == '-' && isdigit((unsigned char)at[1])))
		return fail_at(ps, at, "expected an integer");
	errno = 0;
	v = strtoll(at, &end, 10);
	if (errno || v < min || v > max)
		return fail_at(ps, at, "%.*s is out of range (%lld to %lld)",
			       (int)(end - at), at, (long long)min,
			       (long long)max);
	ps->pos = end;
	*out = v;
	return 0;
}

/* [code] or [name] of option or relay4: an option code 1..254. */
static int parse_code(struct parser *ps, uint8_t *code)
{
	const struct option_def *d;
	size_t n;
	int64_t v;
	char name[64];

	if (expect(ps, "["))
		return ps->rc;
	skip_ws(ps);
	if (isalpha((unsigned char)*ps->pos)) {
		n = ident_len(ps->pos);
		if (n >= sizeof(name))
			n = sizeof(name) - 1;
		memcpy(name, ps->pos, n);
		name[n] = 0;
		d = option_def_by_name(name);
		if (!d)
			return fail_at(ps, ps->pos, "unknown option name '%s'",
				       name);
		ps->pos += n;
		*code = d->code;
	} else {
		if (parse_int(ps, 0, 255, &v))
			return ps->rc;
		*code = (uint8_t)v;
	}
	return expect(ps, "]");
}

static int parse_rep(struct parser *ps, bool allow_text, uint8_t *rep)
{
	if (expect(ps, "."))
		return ps->rc;
	if (accept_kw(ps, "hex"))
		*rep = REP_HEX;
	else if (allow_text && accept_kw(ps, "text"))
		*rep = REP_TEXT;
	else if (accept_kw(ps, "exists"))
		*rep = REP_EXISTS;
	else
		return fail_at(ps, ps->pos,
			       allow_text ? "expected hex, text or exists"
					  : "expected hex or exists");
	return 0;
}

/* option[N].rep, option[N].option[M].rep, relay4[N].rep. */
static int parse_option(struct parser *ps, bool relay, bool *is_bool)
{
	struct expr_ins in = {.op = relay ? EOP_RELAY : EOP_OPT};

	if (parse_code(ps, relay ? &in.sub : &in.code))
		return ps->rc;
	if (relay)
		in.code = DHCP_OPT_RELAY_AGENT_INFO;
	skip_ws(ps);
	if (!relay && ps->pos[0] == '.' && !strncmp(ps->pos + 1, "option", 6)) {
		ps->pos += 7;
		in.op = EOP_SUBOPT;
		if (parse_code(ps, &in.sub) || parse_rep(ps, false, &in.rep))
			return ps->rc;
	} else if (parse_rep(ps, true, &in.rep)) {
		return ps->rc;
	}
	*is_bool = in.rep == REP_EXISTS;
	return emit(ps, &in, 0);
}

static int parse_pkt4(struct parser *ps)
{
	static const char *const fields[] = {
		[PKT_MAC] = "mac",	   [PKT_HLEN] = "hlen",
		[PKT_HTYPE] = "htype",	   [PKT_CIADDR] = "ciaddr",
		[PKT_GIADDR] = "giaddr",   [PKT_YIADDR] = "yiaddr",
		[PKT_SIADDR] = "siaddr",   [PKT_MSGTYPE] = "msgtype",
		[PKT_TRANSID] = "transid",
	};
	struct expr_ins in = {.op = EOP_PKT};

	if (expect(ps, "."))
		return ps->rc;
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (accept_kw(ps, fields[i])) {
			in.rep = (uint8_t)i;
			return emit(ps, &in, 0);
		}
	return fail_at(ps, ps->pos,
		       "unknown pkt4 field (mac, hlen, htype, "
		       "ciaddr, giaddr, yiaddr, siaddr, msgtype, transid)");
}

static int parse_string(struct parser *ps);
static int parse_or(struct parser *ps);
static int parse_value(struct parser *ps, bool *is_bool);

/* 'text': Kea's strings have no escapes and end at the next quote. */
static int parse_quoted(struct parser *ps)
{
	const char *start = ps->pos + 1, *end = strchr(start, '\'');

	if (!end)
		return fail_at(ps, ps->pos, "unterminated string");
	ps->pos = end + 1;
	return emit_lit(ps, start, end - start);
}

/* 0x0A0B: an odd digit count gets a leading 0 (Kea's TokenHexString). */
static int parse_hex(struct parser *ps)
{
	const char *d = ps->pos + 2;
	size_t n = 0, i, j = 0;
	uint8_t buf[256];

	while (isxdigit((unsigned char)d[n]))
		n++;
	if (!n || (n + 1) / 2 > sizeof(buf))
		return fail_at(ps, ps->pos,
			       n ? "hex string longer than %zu "
				   "bytes"
				 : "bad hex string",
			       sizeof(buf));
	memset(buf, 0, sizeof(buf));
	for (i = 0; i < n; i++) {
		int c = tolower((unsigned char)d[i]);
		int v = isdigit(c) ? c - '0' : c - 'a' + 10;
		size_t pos = (n & 1) + i;

		j = pos / 2;
		buf[j] |= pos & 1 ? v : v << 4;
	}
	ps->pos = d + n;
	return emit_lit(ps, buf, (n + 1) / 2);
}

/* A decimal integer or a dotted quad: 4 bytes, network order. */
static int parse_number(struct parser *ps)
{
	const char *at = ps->pos;
	unsigned a, b, c, d;
	int64_t v;
	int n = 0;
	uint8_t buf[4];

	if (sscanf(at, "%3u.%3u.%3u.%3u%n", &a, &b, &c, &d, &n) == 4 && n > 0 &&
	    !isalnum((unsigned char)at[n])) {
		if (a > 255 || b > 255 || c > 255 || d > 255)
			return fail_at(ps, at, "bad IPv4 address");
		buf[0] = a, buf[1] = b, buf[2] = c, buf[3] = d;
		ps->pos += n;
		return emit_lit(ps, buf, 4);
	}
	if (parse_int(ps, 0, UINT32_MAX, &v))
		return ps->rc;
	buf[0] = v >> 24, buf[1] = v >> 16, buf[2] = v >> 8, buf[3] = v;
	return emit_lit(ps, buf, 4);
}

/* substring(s, start, length|all). */
static int parse_substring(struct parser *ps)
{
	struct expr_ins in = {.op = EOP_SUBSTRING};
	int64_t v;

	if (expect(ps, "(") || parse_string(ps) || expect(ps, ",") ||
	    parse_int(ps, INT32_MIN + 1, INT32_MAX, &v))
		return ps->rc;
	in.a = (int32_t)v;
	if (expect(ps, ","))
		return ps->rc;
	if (accept_kw(ps, "all"))
		in.b = EXPR_LEN_ALL;
	else if (parse_int(ps, INT32_MIN + 1, INT32_MAX, &v))
		return ps->rc;
	else
		in.b = (int32_t)v;
	if (expect(ps, ")"))
		return ps->rc;
	return emit(ps, &in, 1);
}

static int parse_call2(struct parser *ps, uint8_t op)
{
	struct expr_ins in = {.op = op};

	if (expect(ps, "(") || parse_string(ps) || expect(ps, ",") ||
	    parse_string(ps) || expect(ps, ")"))
		return ps->rc;
	return emit(ps, &in, 2);
}

static int parse_ifelse(struct parser *ps)
{
	struct expr_ins in = {.op = EOP_IFELSE};

	if (expect(ps, "(") || parse_or(ps) || expect(ps, ",") ||
	    parse_string(ps) || expect(ps, ",") || parse_string(ps) ||
	    expect(ps, ")"))
		return ps->rc;
	return emit(ps, &in, 3);
}

static int parse_member(struct parser *ps, const char *kw_at)
{
	struct expr_ins in = {.op = EOP_MEMBER};
	const char *start, *end;
	size_t off;

	if (expect(ps, "("))
		return ps->rc;
	skip_ws(ps);
	if (*ps->pos != '\'')
		return fail_at(ps, ps->pos,
			       "member() takes a class name "
			       "in quotes");
	start = ps->pos + 1;
	end = strchr(start, '\'');
	if (!end)
		return fail_at(ps, ps->pos, "unterminated string");
	ps->pos = end + 1;
	if (expect(ps, ")"))
		return ps->rc;
	/* The name is kept in the literal pool, NUL-terminated, so that
	 * a vendor reference can point into it. */
	off = ps->p->lit_len;
	if (emit_lit(ps, start, end - start) || emit_lit(ps, "", 1))
		return ps->rc;
	ps->p->n -= 2;
	ps->depth -= 2;
	ps->p->lit[off + (end - start)] = 0;
	if (cls_ref_resolve((char *)ps->p->lit + off, ps->names, ps->n_names,
			    &in.ref))
		return fail_at(ps, kw_at,
			       "member('%.*s'): not a class "
			       "defined before this one, nor a built-in "
			       "class",
			       (int)(end - start), start);
	/* A vendor name is pointed at once lit stops moving (expr_parse). */
	in.off = off;
	in.len = end - start;
	if (in.ref.kind == CLS_REF_KNOWN || in.ref.kind == CLS_REF_UNKNOWN)
		ps->p->uses_known = true;
	return emit(ps, &in, 0);
}

static int emit_known(struct parser *ps, bool known)
{
	struct expr_ins in = {.op = EOP_MEMBER};

	in.ref.kind = known ? CLS_REF_KNOWN : CLS_REF_UNKNOWN;
	ps->p->uses_known = true;
	return emit(ps, &in, 0);
}

/* One term; *is_bool says which kind it is. */
static int parse_value(struct parser *ps, bool *is_bool)
{
	const char *at;

	skip_ws(ps);
	at = ps->pos;
	*is_bool = false;
	if (*at == '\'')
		return parse_quoted(ps);
	if (at[0] == '0' && (at[1] == 'x' || at[1] == 'X'))
		return parse_hex(ps);
	if (isdigit((unsigned char)*at))
		return parse_number(ps);
	if (accept_kw(ps, "option"))
		return parse_option(ps, false, is_bool);
	if (accept_kw(ps, "relay4"))
		return parse_option(ps, true, is_bool);
	if (accept_kw(ps, "pkt4"))
		return parse_pkt4(ps);
	if (accept_kw(ps, "substring"))
		return parse_substring(ps);
	if (accept_kw(ps, "concat"))
		return parse_call2(ps, EOP_CONCAT);
	if (accept_kw(ps, "hexstring"))
		return parse_call2(ps, EOP_HEXSTRING);
	if (accept_kw(ps, "ifelse"))
		return parse_ifelse(ps);
	*is_bool = true;
	if (accept_kw(ps, "member"))
		return parse_member(ps, at);
	if (accept_kw(ps, "known"))
		return emit_known(ps, true);
	if (accept_kw(ps, "unknown"))
		return emit_known(ps, false);
	if (!*at)
		return fail_at(ps, at, "unexpected end of expression");
	if (isalpha((unsigned char)*at))
		return fail_at(ps, at,
			       "'%.*s' is not supported by dhcpxdp "
			       "(docs/configuration.md lists the subset)",
			       (int)ident_len(at), at);
	return fail_at(ps, at, "unexpected '%c'", *at);
}

/* A string term followed by any '+ term'. */
static int parse_concat_tail(struct parser *ps)
{
	struct expr_ins in = {.op = EOP_CONCAT};
	const char *at;
	bool b;

	while (accept(ps, "+")) {
		at = ps->pos;
		if (parse_value(ps, &b))
			return ps->rc;
		if (b)
			return fail_at(ps, at, "expected a string, not a test");
		if (emit(ps, &in, 2))
			return ps->rc;
	}
	return 0;
}

static int parse_string(struct parser *ps)
{
	const char *at;
	bool b;

	skip_ws(ps);
	at = ps->pos;
	if (parse_value(ps, &b))
		return ps->rc;
	if (b)
		return fail_at(ps, at, "expected a string, not a test");
	return parse_concat_tail(ps);
}

/* '(' test ')', not, a bool term, or string == string. */
static int parse_unary(struct parser *ps)
{
	struct expr_ins in = {.op = EOP_NOT};
	const char *at;
	bool b;

	if (accept_kw(ps, "not")) {
		if (parse_unary(ps))
			return ps->rc;
		return emit(ps, &in, 1);
	}
	if (accept(ps, "(")) {
		if (parse_or(ps))
			return ps->rc;
		return expect(ps, ")");
	}
	skip_ws(ps);
	at = ps->pos;
	if (parse_value(ps, &b))
		return ps->rc;
	if (b)
		return 0;
	if (parse_concat_tail(ps))
		return ps->rc;
	if (!accept(ps, "=="))
		return fail_at(ps, ps->pos,
			       "expected '==' after the string "
			       "at position %zu (a test must be true or "
			       "false)",
			       (size_t)(at - ps->text) + 1);
	if (parse_string(ps))
		return ps->rc;
	in.op = EOP_EQ;
	return emit(ps, &in, 2);
}

static int parse_and(struct parser *ps)
{
	struct expr_ins in = {.op = EOP_AND};

	if (parse_unary(ps))
		return ps->rc;
	while (accept_kw(ps, "and"))
		if (parse_unary(ps) || emit(ps, &in, 2))
			return ps->rc;
	return 0;
}

static int parse_or(struct parser *ps)
{
	struct expr_ins in = {.op = EOP_OR};

	if (parse_and(ps))
		return ps->rc;
	while (accept_kw(ps, "or"))
		if (parse_and(ps) || emit(ps, &in, 2))
			return ps->rc;
	return 0;
}

int expr_parse(const char *text, const char *const *names, size_t n_names,
	       bool want_bool, struct cls_prog **out, char *err, size_t errlen)
{
	struct parser ps = {.text = text,
			    .pos = text,
			    .names = names,
			    .n_names = n_names,
			    .err = err,
			    .errlen = errlen};
	int r;

	if (!text || !out || !err || !errlen)
		return -EINVAL;
	err[0] = 0;
	ps.p = calloc(1, sizeof(*ps.p));
	if (!ps.p || !(ps.p->ins = calloc(EXPR_MAX_INS, sizeof(*ps.p->ins)))) {
		r = -ENOMEM;
		goto out;
	}
	ps.p->is_bool = want_bool;
	r = want_bool ? parse_or(&ps) : parse_string(&ps);
	skip_ws(&ps);
	if (!r && *ps.pos)
		r = fail_at(&ps, ps.pos,
			    "unexpected '%s' after the "
			    "expression",
			    ps.pos);
	if (!r && ps.rc)
		r = ps.rc;
	if (r == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	/* The pool no longer moves: point vendor references into it. */
	for (size_t i = 0; !r && i < ps.p->n; i++) {
		struct expr_ins *in = &ps.p->ins[i];

		if (in->op == EOP_MEMBER && in->ref.kind == CLS_REF_VENDOR)
			r = cls_ref_resolve((char *)ps.p->lit + in->off, names,
					    n_names, &in->ref);
	}
out:
	if (r) {
		cls_prog_free(ps.p);
		return r;
	}
	*out = ps.p;
	return 0;
}

int cls_parse(const char *text, const char *const *names, size_t n_names,
	      struct cls_prog **out, char *err, size_t errlen)
{
	return expr_parse(text, names, n_names, true, out, err, errlen);
}

int cls_parse_string(const char *text, struct cls_prog **out, char *err,
		     size_t errlen)
{
	return expr_parse(text, NULL, 0, false, out, err, errlen);
}

void cls_prog_free(struct cls_prog *p)
{
	if (!p)
		return;
	free(p->ins);
	free(p->lit);
	free(p);
}

bool cls_prog_uses_known(const struct cls_prog *p)
{
	return p && p->uses_known;
}

bool cls_prog_uses_never(const struct cls_prog *p)
{
	for (size_t i = 0; p && i < p->n; i++)
		if (p->ins[i].op == EOP_MEMBER &&
		    p->ins[i].ref.kind == CLS_REF_NEVER)
			return true;
	return false;
}

const char *cls_prog_unknown_ha(const struct cls_prog *p,
				bool (*known)(const void *arg, const char *scope),
				const void *arg)
{
	for (size_t i = 0; p && i < p->n; i++)
		if (p->ins[i].op == EOP_MEMBER &&
		    p->ins[i].ref.kind == CLS_REF_HA &&
		    !known(arg, p->ins[i].ref.vendor))
			return p->ins[i].ref.vendor;
	return NULL;
}

bool cls_prog_uses_class(const struct cls_prog *p, size_t idx)
{
	for (size_t i = 0; p && i < p->n; i++)
		if (p->ins[i].op == EOP_MEMBER &&
		    p->ins[i].ref.kind == CLS_REF_CLASS &&
		    p->ins[i].ref.idx == idx)
			return true;
	return false;
}
