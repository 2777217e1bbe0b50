// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Running a compiled expression on one request, with Kea's semantics
 * (src/lib/eval/token.cc): an absent option is "" (and "false" for
 * .exists), a substring outside the value is "", booleans are the
 * strings "true" and "false". Values point into the request, the
 * program's literals or a fixed arena: nothing is allocated.
 */
#include <errno.h>
#include <string.h>

#include "classify/expr_internal.h"

struct val {
	const uint8_t *p;
	size_t len;
};

struct run {
	uint8_t *arena;
	size_t used;
};

static const uint8_t s_true[] = "true", s_false[] = "false";

static struct val v_bool(bool b)
{
	return b ? (struct val){s_true, 4} : (struct val){s_false, 5};
}

/* Kea's toBool: anything but "true" and "false" is an evaluation error;
 * the parser's kinds make that unreachable, so it counts as false. */
static bool is_true(struct val v)
{
	return v.len == 4 && !memcmp(v.p, "true", 4);
}

static uint8_t *room(struct run *r, size_t n)
{
	uint8_t *p;

	if (n > EXPR_ARENA - r->used)
		return NULL;
	p = r->arena + r->used;
	r->used += n;
	return p;
}

static int v_u32(struct run *r, uint32_t x, struct val *out)
{
	uint8_t *p = room(r, 4);

	if (!p)
		return -E2BIG;
	p[0] = x >> 24, p[1] = x >> 16, p[2] = x >> 8, p[3] = x;
	*out = (struct val){p, 4};
	return 0;
}

/* The first sub-option sub in a value of sub-options (RFC 3046 §2.0
 * layout: code, length, data). */
static bool find_sub(const uint8_t *v, size_t len, uint8_t sub, struct val *out)
{
	size_t i = 0;

	while (i + 2 <= len) {
		size_t l = v[i + 1];

		if (i + 2 + l > len)
			return false;
		if (v[i] == sub) {
			*out = (struct val){v + i + 2, l};
			return true;
		}
		i += 2 + l;
	}
	return false;
}

static int eval_opt(const struct expr_ins *in, const struct dhcp_msg *m,
		    struct val *out)
{
	const struct dhcp_msg_opt_slot *sl = &m->opt[in->code];
	struct val v = {NULL, 0};
	bool found = sl->present;

	if (found)
		v = (struct val){m->opt_buf + sl->off, sl->len};
	if (found && in->op != EOP_OPT)
		found = find_sub(v.p, v.len, in->sub, &v);
	if (in->rep == REP_EXISTS)
		*out = v_bool(found);
	else
		*out = found ? v : (struct val){s_true, 0};
	return 0;
}

static int eval_pkt(struct run *r, uint8_t field, const struct dhcp_msg *m,
		    struct val *out)
{
	switch (field) {
	case PKT_MAC:
		*out = (struct val){m->chaddr, m->hlen < DHCP_CHADDR_LEN
						       ? m->hlen
						       : DHCP_CHADDR_LEN};
		return 0;
	case PKT_HLEN:
		return v_u32(r, m->hlen, out);
	case PKT_HTYPE:
		return v_u32(r, m->htype, out);
	case PKT_CIADDR:
		return v_u32(r, m->ciaddr, out);
	case PKT_GIADDR:
		return v_u32(r, m->giaddr, out);
	case PKT_YIADDR:
		return v_u32(r, m->yiaddr, out);
	case PKT_SIADDR:
		return v_u32(r, m->siaddr, out);
	case PKT_MSGTYPE:
		return v_u32(r, m->msg_type, out);
	case PKT_TRANSID:
		return v_u32(r, m->xid, out);
	}
	return -EINVAL;
}

/* Kea's TokenSubstring: a negative start counts from the end, a
 * negative length takes the bytes before start. */
static struct val substring(struct val s, int32_t start, int32_t length)
{
	int64_t len = s.len, st = start, n = length;

	if (!len || st < -len || st >= len)
		return (struct val){s.p, 0};
	if (st < 0)
		st += len;
	if (length == EXPR_LEN_ALL)
		n = len;
	if (n < 0) {
		n = -n;
		if (n <= st) {
			st -= n;
		} else {
			n = st;
			st = 0;
		}
	}
	if (n > len - st)
		n = len - st;
	return (struct val){s.p + st, (size_t)n};
}

static int concat(struct run *r, struct val a, struct val b, struct val *out)
{
	uint8_t *p = room(r, a.len + b.len);

	if (!p)
		return -E2BIG;
	if (a.len)
		memcpy(p, a.p, a.len);
	if (b.len)
		memcpy(p + a.len, b.p, b.len);
	*out = (struct val){p, a.len + b.len};
	return 0;
}

/* Kea's TokenToHexString: lower-case digit pairs, sep between them. */
static int hexstring(struct run *r, struct val s, struct val sep,
		     struct val *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t n = s.len ? s.len * 2 + (s.len - 1) * sep.len : 0;
	uint8_t *p = room(r, n), *q = p;

	if (!p && n)
		return -E2BIG;
	for (size_t i = 0; i < s.len; i++) {
		if (i && sep.len) {
			memcpy(q, sep.p, sep.len);
			q += sep.len;
		}
		*q++ = digits[s.p[i] >> 4];
		*q++ = digits[s.p[i] & 15];
	}
	*out = (struct val){p ? p : s_true, n};
	return 0;
}

static int step(struct run *r, const struct cls_prog *p,
		const struct expr_ins *in, const struct dhcp_msg *m,
		const struct cls_set *cs, struct val *st, size_t *sp)
{
	struct val *top = st + *sp;

	switch (in->op) {
	case EOP_LIT:
		top[0] = (struct val){p->lit + in->off, in->len};
		break;
	case EOP_OPT:
	case EOP_SUBOPT:
	case EOP_RELAY:
		eval_opt(in, m, &top[0]);
		break;
	case EOP_PKT:
		if (eval_pkt(r, in->rep, m, &top[0]))
			return -E2BIG;
		break;
	case EOP_MEMBER:
		top[0] = v_bool(cls_ref_member(&in->ref, cs, m));
		break;
	case EOP_SUBSTRING:
		top[-1] = substring(top[-1], in->a, in->b);
		return 0;
	case EOP_NOT:
		top[-1] = v_bool(!is_true(top[-1]));
		return 0;
	case EOP_EQ:
		top[-2] = v_bool(top[-2].len == top[-1].len &&
				 (!top[-1].len ||
				  !memcmp(top[-2].p, top[-1].p, top[-1].len)));
		break;
	case EOP_AND:
		top[-2] = v_bool(is_true(top[-2]) && is_true(top[-1]));
		break;
	case EOP_OR:
		top[-2] = v_bool(is_true(top[-2]) || is_true(top[-1]));
		break;
	case EOP_CONCAT:
		if (concat(r, top[-2], top[-1], &top[-2]))
			return -E2BIG;
		break;
	case EOP_HEXSTRING:
		if (hexstring(r, top[-2], top[-1], &top[-2]))
			return -E2BIG;
		break;
	case EOP_IFELSE:
		top[-3] = is_true(top[-3]) ? top[-2] : top[-1];
		*sp -= 2;
		return 0;
	default:
		return -EINVAL;
	}
	/* Leaves push one, binary operators pop two and push one. */
	if (in->op == EOP_LIT || in->op == EOP_OPT || in->op == EOP_SUBOPT ||
	    in->op == EOP_RELAY || in->op == EOP_PKT || in->op == EOP_MEMBER)
		(*sp)++;
	else
		(*sp)--;
	return 0;
}

int expr_run(const struct cls_prog *p, const struct dhcp_msg *m,
	     const struct cls_set *s, uint8_t *arena, const uint8_t **v,
	     size_t *vlen)
{
	struct val st[EXPR_MAX_DEPTH + 1];
	struct run r = {.arena = arena};
	size_t sp = 0;
	int rc;

	if (!p || !m || !s || !arena || !v || !vlen)
		return -EINVAL;
	for (size_t i = 0; i < p->n; i++) {
		rc = step(&r, p, &p->ins[i], m, s, st, &sp);
		if (rc)
			return rc;
	}
	if (sp != 1)
		return -EINVAL;
	*v = st[0].p;
	*vlen = st[0].len;
	return 0;
}

int cls_eval(const struct cls_prog *p, const struct dhcp_msg *m,
	     const struct cls_set *s)
{
	uint8_t arena[EXPR_ARENA];
	const uint8_t *v;
	size_t len;
	int r;

	if (!p || !p->is_bool)
		return -EINVAL;
	r = expr_run(p, m, s, arena, &v, &len);
	if (r)
		return r;
	return is_true((struct val){v, len});
}

int cls_eval_bytes(const struct cls_prog *p, const struct dhcp_msg *m,
		   uint8_t *out, size_t cap)
{
	static const struct cls_set none;
	uint8_t arena[EXPR_ARENA];
	const uint8_t *v;
	size_t len;
	int r;

	if (!p || !out)
		return -EINVAL;
	r = expr_run(p, m, &none, arena, &v, &len);
	if (r)
		return r;
	if (len > cap)
		return -ENOSPC;
	if (len)
		memcpy(out, v, len);
	return (int)len;
}

int cls_eval_string(const char *text, const struct dhcp_msg *m, uint8_t *out,
		    size_t cap, char *err, size_t errlen)
{
	struct cls_prog *p = NULL;
	int r;

	if (!out)
		return -EINVAL;
	r = cls_parse_string(text, &p, err, errlen);
	if (!r)
		r = cls_eval_bytes(p, m, out, cap);
	cls_prog_free(p);
	return r;
}
