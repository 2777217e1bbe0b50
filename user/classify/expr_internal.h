/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The compiled form of an expression, shared by expr_parse.c (which
 * writes it) and expr_eval.c (which runs it). Not part of the API.
 *
 * A program is RPN: each instruction pops its operands from the value
 * stack and pushes one value. Literals live in one byte pool; the parser
 * computes the deepest stack the program needs, so evaluation never
 * checks for overflow of the stack, only of its byte arena.
 */
#ifndef DHCPXDP_EXPR_INTERNAL_H
#define DHCPXDP_EXPR_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "classify/classify.h"

/* Longest expression accepted, deepest stack: generous for Kea's tests. */
#define EXPR_MAX_INS   256
#define EXPR_MAX_DEPTH 32
/* Bytes the values of one evaluation may create (concat, hexstring). */
#define EXPR_ARENA 4096

enum expr_op {
	EOP_LIT,       /* push lit[off, off + len) */
	EOP_OPT,       /* option[code], by rep */
	EOP_SUBOPT,    /* option[code].option[sub], by rep */
	EOP_RELAY,     /* relay4[sub] = option[82].option[sub] */
	EOP_PKT,       /* pkt4.<field> */
	EOP_SUBSTRING, /* pop s; push substring(s, a, b) */
	EOP_CONCAT,    /* pop b, a; push a b */
	EOP_IFELSE,    /* pop f, t, c; push c ? t : f */
	EOP_HEXSTRING, /* pop sep, s */
	EOP_EQ,	       /* pop 2, push "true" / "false" */
	EOP_AND,
	EOP_OR,
	EOP_NOT,
	EOP_MEMBER, /* push member(ref) */
};

enum expr_rep { REP_HEX, REP_TEXT, REP_EXISTS };

enum expr_pkt {
	PKT_MAC,
	PKT_HLEN,
	PKT_HTYPE,
	PKT_CIADDR,
	PKT_GIADDR,
	PKT_YIADDR,
	PKT_SIADDR,
	PKT_MSGTYPE,
	PKT_TRANSID,
};

/* substring's length "all". */
#define EXPR_LEN_ALL INT32_MIN

struct expr_ins {
	uint8_t op;	    /* enum expr_op */
	uint8_t rep;	    /* enum expr_rep, or enum expr_pkt for EOP_PKT */
	uint8_t code;	    /* option code */
	uint8_t sub;	    /* sub-option code */
	uint32_t off, len;  /* EOP_LIT: literal bytes */
	int32_t a, b;	    /* EOP_SUBSTRING: start, length */
	struct cls_ref ref; /* EOP_MEMBER; a vendor name points into lit */
};

struct cls_prog {
	struct expr_ins *ins;
	size_t n;
	uint8_t *lit;
	size_t lit_len;
	bool uses_known;
	bool is_bool; /* the whole expression is a test */
};

/* Parse text as a test (want_bool) or a string expression. */
int expr_parse(const char *text, const char *const *names, size_t n_names,
	       bool want_bool, struct cls_prog **out, char *err, size_t errlen);

/* Run p; the final value (pointing into m, p->lit or arena) in *v, *vlen. */
int expr_run(const struct cls_prog *p, const struct dhcp_msg *m,
	     const struct cls_set *s, uint8_t *arena, const uint8_t **v,
	     size_t *vlen);

#endif /* DHCPXDP_EXPR_INTERNAL_H */
