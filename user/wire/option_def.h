/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Standard DHCPv4 option definitions (the set Kea knows by name, from its
 * std_option_defs.h, plus classless-static-route) and the encoder that turns
 * Kea-style option-data text into option payload bytes.
 */
#ifndef DHCPXDP_OPTION_DEF_H
#define DHCPXDP_OPTION_DEF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One DHCPv4 option carries at most 255 payload bytes (RFC 2132 §2). */
#define OPTION_MAX_LEN 255

enum option_type {
	OPT_TYPE_EMPTY,	  /* no payload (or hex, csv-format false) */
	OPT_TYPE_BINARY,  /* hex string, in both csv modes (as Kea) */
	OPT_TYPE_BOOLEAN, /* "true"/"false" (or 1/0) -> 1 byte */
	OPT_TYPE_UINT8,
	OPT_TYPE_UINT16,
	OPT_TYPE_UINT32,
	OPT_TYPE_INT8,
	OPT_TYPE_INT16,
	OPT_TYPE_INT32,
	OPT_TYPE_IPV4, /* dotted quad -> 4 bytes */
	OPT_TYPE_IPV6, /* only inside records (option-6rd) */
	OPT_TYPE_STRING,
	OPT_TYPE_FQDN,	 /* RFC 1035 §3.1 wire name, uncompressed */
	OPT_TYPE_TUPLE,	 /* 2-byte length + string (RFC 8572 §8.3) */
	OPT_TYPE_TUPLE1, /* 1-byte length + string: Kea's "tuple" in a
			  * custom DHCPv4 definition */
	OPT_TYPE_RECORD, /* fixed sequence of fields, see option_def.fields */
	OPT_TYPE_CLASSLESS, /* RFC 3442 "prefix/len - router" list */
	OPT_TYPE_PSID,	    /* Kea's "PSID/LEN" -> LEN, PSID left-aligned
			     * in 16 bits (RFC 7618 §3.1) */
	OPT_TYPE_DNR4,	    /* v4-dnr's instances (RFC 9463 §5.1), Kea's
			     * "internal" type: option_dnr.c */
};

struct option_def {
	const char *name;
	uint8_t code;
	enum option_type type;
	/* Array: a comma-separated list of values (of the last record field). */
	bool array;
	/* Values come in pairs (static-routes, policy-filter, RFC 2132 §5.7-8). */
	bool pairs;
	/* Record fields, for OPT_TYPE_RECORD only. */
	const enum option_type *fields;
	uint8_t n_fields;
	/*
	 * A sub-option of another space (43's, 125's, a custom one): its
	 * codes are that space's own (RFC 2132 §8.4), so the codes the
	 * server reserves in the top-level space do not apply.
	 */
	bool suboption;
};

/* Definitions by Kea name or by code; NULL when there is none. */
const struct option_def *option_def_by_name(const char *name);
const struct option_def *option_def_by_code(uint8_t code);

/* Kea's name for a type ("uint8", "ipv4-address", "fqdn", ...). */
const char *option_type_name(enum option_type type);

/*
 * The type Kea's option-def calls @name, for a custom definition ("tuple"
 * is the 1-byte-length form there); -EINVAL for an unknown name.
 */
int option_type_by_name(const char *name, enum option_type *out);

/*
 * Options the server sets itself and that option-data may not carry
 * (50-55, 57-59, 61, 82, and PAD/END). Returns 0 if @code may be
 * configured, else -EPERM with the reason in @err.
 */
int option_code_check(uint8_t code, char *err, size_t errlen);

/*
 * Encode @data as the payload of option @def into @out (at most @cap
 * bytes; *len receives the payload length, without code and length bytes).
 * @csv_format true: Kea's textual format for the type (comma-separated
 * lists for arrays, true/false, integers, dotted quads, strings, domain
 * names, "prefix/len - router" routes). false: hex bytes, optionally
 * separated by spaces or colons, optional "0x" prefix. @def may be NULL
 * for an option known only by code; then only hex is accepted.
 * Returns 0, -EINVAL (bad data), -EPERM (option reserved to the server),
 * -EMSGSIZE (more than 255 bytes) or -ENOSPC (more than @cap); @err then
 * holds a message naming the value and the option.
 */
int option_encode(const struct option_def *def, const char *data,
		  bool csv_format, uint8_t *out, size_t cap, size_t *len,
		  char *err, size_t errlen);
/*
 * Option 162 (v4-dnr, RFC 9463 §5.1) from Kea's text: instances separated
 * by '|', each "PRIORITY, ADN[, ADDRESSES[, SVCPARAMS]]". The payload into
 * @out (at most @cap bytes), its length into *len. -EINVAL with the
 * reason in @err for malformed text, -EMSGSIZE if it does not fit,
 * -ENOMEM.
 */
int option_dnr4_encode(const char *text, uint8_t *out, size_t cap,
		       size_t *len, char *err, size_t errlen);

/* s without its leading and trailing white space, cut in place: a field
 * of an option's text (option_text.c). */
char *option_text_trim(char *s);

/* option_encode() without option_code_check(): for the configuration's
 * own handling of the options the server owns (user/config/options.c). */
int option_encode_value(const struct option_def *def, const char *data,
			bool csv_format, uint8_t *out, size_t cap, size_t *len,
			char *err, size_t errlen);

/*
 * Parse a hex string the way Kea parses csv-format false data and
 * client-id / hw-address values: "0a0b", "0a:0b", "0a 0b", "0x0a0b";
 * with separators, each group is 1 or 2 digits; without, an odd count
 * gets a leading 0. Returns the byte count, or -EINVAL / -ENOSPC.
 */
int option_parse_hex(const char *text, uint8_t *out, size_t cap);

#endif /* DHCPXDP_OPTION_DEF_H */
