/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The DHCPv4 message codec: decode a BOOTP/DHCP payload (the UDP payload,
 * starting at `op`) into struct dhcp_msg, and encode an OFFER/ACK/NAK reply
 * to a decoded request. Pure code: no I/O, no allocation, no global state.
 *
 * Decoding (RFC 2131 §3, RFC 2132, RFC 3396):
 *  - the magic cookie is required; options are walked as TLVs, PAD skipped,
 *    END terminates; every area (options, and file / sname when overloaded)
 *    must end with END.
 *  - option overload (52, RFC 2132 §9.3) is honoured: after the options
 *    field, decoding continues in `file` (value 1 or 3) then `sname` (2 or
 *    3). A 52 inside file/sname, a second 52, a 52 of length != 1 or of a
 *    value outside 1..3 is an error, so there is never a loop.
 *  - an option split into several instances is concatenated in order
 *    (RFC 3396), across areas too; the length checks below apply to the
 *    concatenated value.
 *  - option 57 must be 2 bytes. A value below 576 (0, 1, 575, ...) is not
 *    an error: RFC 2132 §9.10 makes 576 the minimum legal value, so it is
 *    clamped to 576 and max_msg_size_clamped is set (the raw bytes returned
 *    by dhcp_msg_option() are left as received).
 *  - 61 must be at least 2 bytes (RFC 2132 §9.14: type + at least one byte),
 *    12 and 55 at least 1, 81 at least 3 (RFC 4702 §2), 82 at least 2
 *    (RFC 3046 §2.0: one or more sub-options), 50/51/54 exactly 4, 53
 *    exactly 1 with a value 1..8. No 53 at all is plain BOOTP: msg_type 0.
 *  - op must be 1 or 2 and hlen at most 16 (the size of chaddr).
 *
 * struct dhcp_msg holds the concatenated option values in its own buffer and
 * its convenience pointers (client_id, hostname, ...) point into that
 * buffer: do not copy it with `=` or memcpy() (nothing needs a copy: a
 * message is decoded where it is used).
 * It is about 18 KiB.
 */
#ifndef DHCPXDP_DHCP_MSG_H
#define DHCPXDP_DHCP_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dhcpxdp/dhcp_wire.h"

/*
 * Room for the concatenated option values of one message. The values are a
 * subset of the input bytes, so this is never reached by a message that
 * fits an Ethernet frame (even a 9000-byte jumbo one).
 */
#define DHCP_MSG_OPT_BUF_LEN 16384

/*
 * Decode errors, returned negated (-DHCP_EMSG_*), like errno values. They
 * start at 4096, above every errno, so callers can tell them apart; the
 * public functions also return -EINVAL for bad arguments.
 */
enum dhcp_msg_error {
	DHCP_EMSG_SHORT_HEADER = 4096, /* fewer than 236 bytes (op..file) */
	DHCP_EMSG_SHORT_COOKIE,	       /* header there, cookie cut short */
	DHCP_EMSG_BAD_COOKIE,	       /* not 99.130.83.99 (RFC 2131 §3) */
	DHCP_EMSG_BAD_OP,	       /* op neither BOOTREQUEST nor REPLY */
	DHCP_EMSG_BAD_HLEN,	       /* hlen > 16 */
	DHCP_EMSG_OPT_NO_LEN,	       /* option code is the area's last byte */
	DHCP_EMSG_OPT_OVERRUN,	       /* option value runs past the area */
	DHCP_EMSG_NO_END,	       /* an area has no END option */
	DHCP_EMSG_OVERLOAD_LEN,	       /* 52 with length != 1 */
	DHCP_EMSG_OVERLOAD_VALUE,      /* 52 value not 1, 2 or 3 */
	DHCP_EMSG_OVERLOAD_REPEATED,   /* a second 52 in the options field */
	DHCP_EMSG_OVERLOAD_IN_AREA,    /* 52 inside file or sname */
	DHCP_EMSG_TOO_LARGE,	       /* values exceed DHCP_MSG_OPT_BUF_LEN */
	DHCP_EMSG_MSG_TYPE_LEN,	       /* 53 length != 1 */
	DHCP_EMSG_MSG_TYPE_VALUE,      /* 53 value not 1..8 */
	DHCP_EMSG_REQUESTED_IP_LEN,    /* 50 length != 4 */
	DHCP_EMSG_LEASE_TIME_LEN,      /* 51 length != 4 */
	DHCP_EMSG_SERVER_ID_LEN,       /* 54 length != 4 */
	DHCP_EMSG_MAX_MSG_SIZE_LEN,    /* 57 length != 2 */
	DHCP_EMSG_CLIENT_ID_LEN,       /* 61 length < 2 */
	DHCP_EMSG_HOSTNAME_LEN,	       /* 12 length < 1 */
	DHCP_EMSG_FQDN_LEN,	       /* 81 length < 3 */
	DHCP_EMSG_PARAM_REQUEST_LEN,   /* 55 length < 1 */
	DHCP_EMSG_RELAY_INFO_LEN,      /* 82 length < 2 */
	__DHCP_EMSG_END,
};

/* Where one option's concatenated value lives in dhcp_msg.opt_buf. */
struct dhcp_msg_opt_slot {
	uint16_t off;
	uint16_t len;
	bool present;
};

struct dhcp_msg {
	/* BOOTP header (RFC 951 / RFC 2131 §2); multi-byte fields host order */
	uint8_t op, htype, hlen, hops;
	uint32_t xid;
	uint16_t secs, flags;
	uint32_t ciaddr, yiaddr, siaddr, giaddr;
	uint8_t chaddr[DHCP_CHADDR_LEN];
	uint8_t sname[DHCP_SNAME_LEN]; /* raw, even when overloaded */
	uint8_t file[DHCP_FILE_LEN];   /* raw, even when overloaded */

	/* Convenience fields filled by dhcp_msg_decode(). */
	uint8_t overload; /* value of 52, 0 if absent */
	uint8_t msg_type; /* 53, 0 for BOOTP (no 53) */
	bool has_requested_ip, has_server_id, has_lease_time;
	uint32_t requested_ip; /* 50, host order */
	uint32_t server_id;    /* 54, host order */
	uint32_t lease_time;   /* 51, seconds */
	bool has_max_msg_size;
	bool max_msg_size_clamped; /* 57 was < 576 on the wire */
	uint16_t max_msg_size;	   /* 57 after clamping, >= 576 */
	/* NULL / 0 when absent; point into opt_buf. */
	const uint8_t *client_id; /* 61, type byte first */
	uint16_t client_id_len;
	const uint8_t *hostname; /* 12, not NUL-terminated */
	uint16_t hostname_len;
	const uint8_t *fqdn; /* 81, flags, rcode1, rcode2, name */
	uint16_t fqdn_len;
	const uint8_t *param_request; /* 55, codes in client order */
	uint16_t param_request_len;
	const uint8_t *relay_info; /* 82, raw sub-options, echoed as is */
	uint16_t relay_info_len;

	/* Every option, indexed by code (0 and 255 never present). */
	struct dhcp_msg_opt_slot opt[256];
	uint16_t opt_buf_used;
	uint8_t opt_buf[DHCP_MSG_OPT_BUF_LEN];
};

/*
 * Decode len bytes of UDP payload into m. Returns 0, -EINVAL (NULL
 * argument) or -DHCP_EMSG_*. Never reads outside buf[0..len). On error m
 * is left partly filled and must not be used.
 */
int dhcp_msg_decode(struct dhcp_msg *m, const uint8_t *buf, size_t len);

/* Concatenated value of option `code`, its length in *len; NULL if absent. */
const uint8_t *dhcp_msg_option(const struct dhcp_msg *m, uint8_t code,
			       size_t *len);

/* Text for a -DHCP_EMSG_* (or -errno) value; accepts either sign. */
const char *dhcp_msg_strerror(int err);

/* One configured option (config option-data), value may exceed 255 bytes. */
struct dhcp_opt {
	uint8_t code;
	uint16_t len;
	const uint8_t *data;
};

/* Most configured options one reply can carry. */
#define DHCP_REPLY_MAX_OPTS 512

struct dhcp_reply {
	uint8_t msg_type;   /* DHCPOFFER, DHCPACK or DHCPNAK */
	uint32_t yiaddr;    /* host order; ignored (0) for a NAK */
	uint32_t siaddr;    /* host order; ignored (0) for a NAK */
	/* BOOTP sname and file (RFC 2131 §2), NUL-terminated; NULL leaves
	 * the field zero. Ignored for a NAK. */
	const char *sname, *file;
	uint32_t server_id; /* 54, host order, must be non-zero */
	/* 51 / 58 / 59 in seconds, 0 = omit; never sent in a NAK. */
	uint32_t lease_time, t1, t2;
	const char *message; /* 56, NAK only, NULL = none */
	/*
	 * Configured options. Codes the encoder owns (0, 51, 52, 53, 54, 55,
	 * 58, 59, 61, 82, 255) are ignored here; 56 is sent in OFFER/ACK
	 * (RFC 2131 table 3). Not sent in a NAK.
	 */
	const struct dhcp_opt *opts;
	size_t n_opts;
	/* Leave the request's option 61 out (Kea's echo-client-id false;
	 * RFC 6842 §3 says echo it: older clients may not expect it). */
	bool no_client_id_echo;
};

/*
 * Encode the reply r to the decoded request req into buf (cap bytes).
 *
 * Layout (RFC 2131 table 3): op 2, htype/hlen/xid/flags/giaddr/chaddr from
 * req (a NAK through a relay with the broadcast bit set, §4.3.2), hops/secs 0, ciaddr from req except in OFFER and NAK (0), sname and
 * file from r (zero when NULL). Options: 53, 54, then 51, 58, 59 (non-zero ones) or, in a NAK,
 * 56; then configured options the client asked for, in the order of its 55;
 * then the other configured options in configuration order; then 61 echoed
 * (RFC 6842), then 82 echoed unchanged as the last option (RFC 3046 §2.2),
 * END. Values over 255 bytes are split into instances (RFC 3396). The reply
 * is zero-padded to at least 300 bytes (RFC 951).
 *
 * Size: at most min(cap, max(576, req's 57) - 28) bytes. Mandatory options
 * always go in; configured options are taken in the priority order above
 * and one that does not fit in what is left is dropped whole (never
 * truncated) - so unrequested ones go first, then requested ones from the
 * end of 55; a smaller option after a dropped one may still fit.
 * *n_dropped (may be NULL) receives how many configured options were
 * dropped for lack of room.
 *
 * Returns 0 and the length in *out_len, -EINVAL for a bad argument (NULL,
 * msg_type not OFFER/ACK/NAK, server_id 0, too many options), -ENOSPC if the
 * mandatory part (or the 300-byte minimum) does not fit.
 */
int dhcp_reply_encode(uint8_t *buf, size_t cap, const struct dhcp_reply *r,
		      const struct dhcp_msg *req, size_t *out_len,
		      size_t *n_dropped);

#endif /* DHCPXDP_DHCP_MSG_H */
