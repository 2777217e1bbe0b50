/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Kea's client classification expressions (Kea ARM, "Client
 * Classification"), the subset docs/configuration.md lists: parsed once
 * at configuration load into a small RPN program, evaluated per request
 * on a decoded struct dhcp_msg. Pure: no I/O, no clock, no global state.
 *
 * As in Kea every value is a byte string; a test is true when it yields
 * the string "true". Integers are 4-byte big-endian strings (123 is
 * 0x0000007b), so pkt4.msgtype == 1 compares 4 bytes with 4 bytes.
 * Comparison is byte-wise, lengths included.
 */
#ifndef DHCPXDP_CLASSIFY_H
#define DHCPXDP_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wire/dhcp_msg.h"

/* Most configured classes: membership is one bitmap. */
#define CLS_MAX_CLASSES 256

struct cls_prog;

/* What a class name in client-class or member() stands for. */
enum cls_ref_kind {
	CLS_REF_CLASS,	 /* a configured class, by index */
	CLS_REF_ALL,	 /* every request */
	CLS_REF_KNOWN,	 /* the client has a reservation in its subnet */
	CLS_REF_UNKNOWN, /* it has none */
	CLS_REF_VENDOR,	 /* VENDOR_CLASS_<option 60>, Kea's built-in */
	CLS_REF_NEVER,	 /* another built-in prefix: never assigned here */
	CLS_REF_HA,	 /* HA_<server>: the request is in that server's
			  * scope (a high-availability pair, engine/ha_scope.c) */
};

struct cls_ref {
	uint8_t kind;	    /* enum cls_ref_kind */
	uint16_t idx;	    /* CLS_REF_CLASS */
	const char *vendor; /* CLS_REF_VENDOR, CLS_REF_HA: the text after
			     * the prefix */
	size_t vendor_len;
};

/*
 * Resolve name against the n configured class names defined so far (Kea
 * refuses a reference to a class defined later). 0, or -ENOENT when it
 * is neither such a class nor a built-in name. ref->vendor points into
 * name.
 */
int cls_ref_resolve(const char *name, const char *const *names, size_t n,
		    struct cls_ref *ref);

/* The classes one request belongs to. */
struct cls_set {
	uint64_t bits[CLS_MAX_CLASSES / 64];
	bool known_decided; /* the reservation look-up has been done */
	bool known;
	/* The high-availability scope the request falls in (a peer's
	 * name), for HA_<name>; NULL without a pair. */
	const char *ha_scope;
};

static inline bool cls_set_has(const struct cls_set *s, size_t idx)
{
	return idx < CLS_MAX_CLASSES && (s->bits[idx >> 6] >> (idx & 63)) & 1;
}

static inline void cls_set_add(struct cls_set *s, size_t idx)
{
	if (idx < CLS_MAX_CLASSES)
		s->bits[idx >> 6] |= 1ULL << (idx & 63);
}

/* Is the request m (classified as s) a member of ref? KNOWN and UNKNOWN
 * are false until the reservation look-up has decided them. */
bool cls_ref_member(const struct cls_ref *ref, const struct cls_set *s,
		    const struct dhcp_msg *m);

#define CLS_ERR_MAX 160

/*
 * Parse a test expression. names: the configured classes defined before
 * this one (for member()). 0 and *out (free with cls_prog_free), or
 * -EINVAL with "position N: reason" (N counts from 1) in err, -ENOMEM.
 */
int cls_parse(const char *text, const char *const *names, size_t n_names,
	      struct cls_prog **out, char *err, size_t errlen);
void cls_prog_free(struct cls_prog *p);

/* Does the expression refer to KNOWN or UNKNOWN (directly)? Kea then
 * evaluates it after the reservation look-up. */
bool cls_prog_uses_known(const struct cls_prog *p);
/* Does it name a built-in class no request belongs to here (HA_...,
 * assigned by Kea's hooks)? Such a member() is always false. */
bool cls_prog_uses_never(const struct cls_prog *p);
/* The first HA_<scope> the program tests for that known() does not know,
 * or NULL (the scope names a server of the high-availability pair). */
const char *cls_prog_unknown_ha(const struct cls_prog *p,
				bool (*known)(const void *arg, const char *scope),
				const void *arg);
/* Does it refer to configured class idx through member()? */
bool cls_prog_uses_class(const struct cls_prog *p, size_t idx);

/*
 * Evaluate p for request m with the memberships known so far in s.
 * 1 (true), 0 (false) or a negative errno when the evaluation fails
 * (-E2BIG: the values outgrew the evaluation's room): Kea then treats
 * the class as not matched, and so should the caller.
 */
int cls_eval(const struct cls_prog *p, const struct dhcp_msg *m,
	     const struct cls_set *s);

/*
 * A string expression (Kea's flex_id identifier-expression): parsed once
 * with cls_parse_string(), no class names allowed; cls_eval_bytes()
 * writes its value for m to out and returns its length (0: the empty
 * string), -ENOSPC when it is longer than cap, or another negative errno
 * when the evaluation fails.
 */
int cls_parse_string(const char *text, struct cls_prog **out, char *err,
		     size_t errlen);
int cls_eval_bytes(const struct cls_prog *p, const struct dhcp_msg *m,
		   uint8_t *out, size_t cap);

/*
 * The value a string expression yields, for tests: parse text as a
 * string expression and write its value to out (at most cap bytes).
 * Its length, or a negative errno (-EINVAL with err set when it does
 * not parse).
 */
int cls_eval_string(const char *text, const struct dhcp_msg *m, uint8_t *out,
		    size_t cap, char *err, size_t errlen);

#endif /* DHCPXDP_CLASSIFY_H */
