// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * DHCPv4 message codec: see dhcp_msg.h for the rules it follows.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "wire/dhcp_msg.h"

/* ---- byte helpers: the wire is big-endian ---- */

static uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static uint32_t get_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | p[3];
}

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
}

/* ---- decode ---- */

enum opt_area { AREA_OPTIONS, AREA_FILE, AREA_SNAME };

/*
 * Options are walked twice: the first pass checks the TLV structure, finds
 * 52 and sums each code's length; the second copies the values into their
 * places, so instances of a split option (RFC 3396) end up contiguous even
 * when other options sit between them.
 */
struct opt_walk {
	struct dhcp_msg *m;
	bool copy;	       /* second pass */
	uint16_t fill[256];    /* second pass: bytes copied so far per code */
	size_t total;	       /* first pass: sum of all value lengths */
	uint32_t sum_len[256]; /* first pass: concatenated length per code */
	bool seen[256];	       /* first pass: code appeared at all */
};

static int visit_option(struct opt_walk *w, enum opt_area area, uint8_t code,
			const uint8_t *val, uint8_t len)
{
	struct dhcp_msg *m = w->m;

	if (w->copy) {
		struct dhcp_msg_opt_slot *s = &m->opt[code];

		memcpy(m->opt_buf + s->off + w->fill[code], val, len);
		w->fill[code] += len;
		return 0;
	}

	if (code == DHCP_OPT_OVERLOAD) {
		/*
		 * RFC 2132 §9.3: 52 lives in the options field only. Refusing
		 * it elsewhere, and refusing a second one, means the walk
		 * visits each area at most once.
		 */
		if (area != AREA_OPTIONS)
			return -DHCP_EMSG_OVERLOAD_IN_AREA;
		if (w->seen[code])
			return -DHCP_EMSG_OVERLOAD_REPEATED;
		if (len != 1)
			return -DHCP_EMSG_OVERLOAD_LEN;
		if (val[0] < DHCP_OVERLOAD_FILE || val[0] > DHCP_OVERLOAD_BOTH)
			return -DHCP_EMSG_OVERLOAD_VALUE;
		m->overload = val[0];
	}
	w->seen[code] = true;
	w->sum_len[code] += len;
	w->total += len;
	if (w->total > DHCP_MSG_OPT_BUF_LEN)
		return -DHCP_EMSG_TOO_LARGE;
	return 0;
}

/* Walk one area's TLVs up to END; every read is checked against n. */
static int walk_area(struct opt_walk *w, enum opt_area area, const uint8_t *p,
		     size_t n)
{
	size_t i = 0;
	int rc;

	while (i < n) {
		uint8_t code = p[i], len;

		if (code == DHCP_OPT_PAD) {
			i++;
			continue;
		}
		if (code == DHCP_OPT_END)
			return 0;
		if (n - i < 2)
			return -DHCP_EMSG_OPT_NO_LEN;
		len = p[i + 1];
		if (len > n - i - 2)
			return -DHCP_EMSG_OPT_OVERRUN;
		rc = visit_option(w, area, code, p + i + 2, len);
		if (rc)
			return rc;
		i += 2 + (size_t)len;
	}
	return -DHCP_EMSG_NO_END;
}

/* RFC 2131 §4.1 / RFC 2132 §9.3: options, then file, then sname. */
static int walk_all(struct opt_walk *w, const uint8_t *buf, size_t len)
{
	int rc;

	rc = walk_area(w, AREA_OPTIONS, buf + DHCP_OPTIONS_OFFSET,
		       len - DHCP_OPTIONS_OFFSET);
	if (rc)
		return rc;
	if (w->m->overload & DHCP_OVERLOAD_FILE) {
		rc = walk_area(w, AREA_FILE, buf + DHCP_OFF_FILE,
			       DHCP_FILE_LEN);
		if (rc)
			return rc;
	}
	if (w->m->overload & DHCP_OVERLOAD_SNAME)
		rc = walk_area(w, AREA_SNAME, buf + DHCP_OFF_SNAME,
			       DHCP_SNAME_LEN);
	return rc;
}

static void decode_header(struct dhcp_msg *m, const uint8_t *buf)
{
	m->op = buf[DHCP_OFF_OP];
	m->htype = buf[DHCP_OFF_HTYPE];
	m->hlen = buf[DHCP_OFF_HLEN];
	m->hops = buf[DHCP_OFF_HOPS];
	m->xid = get_be32(buf + DHCP_OFF_XID);
	m->secs = get_be16(buf + DHCP_OFF_SECS);
	m->flags = get_be16(buf + DHCP_OFF_FLAGS);
	m->ciaddr = get_be32(buf + DHCP_OFF_CIADDR);
	m->yiaddr = get_be32(buf + DHCP_OFF_YIADDR);
	m->siaddr = get_be32(buf + DHCP_OFF_SIADDR);
	m->giaddr = get_be32(buf + DHCP_OFF_GIADDR);
	memcpy(m->chaddr, buf + DHCP_OFF_CHADDR, DHCP_CHADDR_LEN);
	memcpy(m->sname, buf + DHCP_OFF_SNAME, DHCP_SNAME_LEN);
	memcpy(m->file, buf + DHCP_OFF_FILE, DHCP_FILE_LEN);
}

/* Give each present code its place in opt_buf, in code order. */
static void place_options(struct dhcp_msg *m, const struct opt_walk *w)
{
	size_t off = 0;
	int code;

	for (code = 1; code < DHCP_OPT_END; code++) {
		if (!w->seen[code])
			continue;
		m->opt[code].present = true;
		m->opt[code].off = off;
		m->opt[code].len = w->sum_len[code];
		off += w->sum_len[code];
	}
	m->opt_buf_used = off;
}

/* A variable-length option must carry at least min bytes when present. */
static int take_bytes(const struct dhcp_msg *m, uint8_t code, size_t min,
		      int err, const uint8_t **ptr, uint16_t *len)
{
	size_t n;
	const uint8_t *v = dhcp_msg_option(m, code, &n);

	if (!v)
		return 0;
	if (n < min)
		return err;
	*ptr = v;
	*len = n;
	return 0;
}

/* A fixed-length address/time option: exactly 4 bytes. */
static int take_u32(const struct dhcp_msg *m, uint8_t code, int err, bool *has,
		    uint32_t *out)
{
	size_t n;
	const uint8_t *v = dhcp_msg_option(m, code, &n);

	if (!v)
		return 0;
	if (n != 4)
		return err;
	*has = true;
	*out = get_be32(v);
	return 0;
}

static int take_msg_type(struct dhcp_msg *m)
{
	size_t n;
	const uint8_t *v = dhcp_msg_option(m, DHCP_OPT_MSG_TYPE, &n);

	if (!v)
		return 0; /* plain BOOTP */
	if (n != 1)
		return -DHCP_EMSG_MSG_TYPE_LEN;
	if (v[0] < DHCPDISCOVER || v[0] > DHCPINFORM)
		return -DHCP_EMSG_MSG_TYPE_VALUE;
	m->msg_type = v[0];
	return 0;
}

static int take_max_msg_size(struct dhcp_msg *m)
{
	size_t n;
	const uint8_t *v = dhcp_msg_option(m, DHCP_OPT_MAX_MSG_SIZE, &n);
	uint16_t size;

	if (!v)
		return 0;
	if (n != 2)
		return -DHCP_EMSG_MAX_MSG_SIZE_LEN;
	size = get_be16(v);
	/*
	 * RFC 2132 §9.10: "The minimum legal value is 576 octets." A smaller
	 * value cannot mean the client takes less than 576 (RFC 2131 §2 makes
	 * every client accept 576), so read it as 576 and remember.
	 */
	if (size < DHCP_MIN_MAX_MSG_SIZE) {
		size = DHCP_MIN_MAX_MSG_SIZE;
		m->max_msg_size_clamped = true;
	}
	m->has_max_msg_size = true;
	m->max_msg_size = size;
	return 0;
}

static int take_convenience(struct dhcp_msg *m)
{
	int rc;

	rc = take_msg_type(m);
	if (!rc)
		rc = take_u32(m, DHCP_OPT_REQUESTED_IP,
			      -DHCP_EMSG_REQUESTED_IP_LEN, &m->has_requested_ip,
			      &m->requested_ip);
	if (!rc)
		rc = take_u32(m, DHCP_OPT_SERVER_ID, -DHCP_EMSG_SERVER_ID_LEN,
			      &m->has_server_id, &m->server_id);
	if (!rc)
		rc = take_u32(m, DHCP_OPT_LEASE_TIME, -DHCP_EMSG_LEASE_TIME_LEN,
			      &m->has_lease_time, &m->lease_time);
	if (!rc)
		rc = take_max_msg_size(m);
	/* RFC 2132 §9.14: type byte plus at least one byte of identifier. */
	if (!rc)
		rc = take_bytes(m, DHCP_OPT_CLIENT_ID, 2,
				-DHCP_EMSG_CLIENT_ID_LEN, &m->client_id,
				&m->client_id_len);
	/* RFC 2132 §3.14: minimum length 1. */
	if (!rc)
		rc = take_bytes(m, DHCP_OPT_HOST_NAME, 1,
				-DHCP_EMSG_HOSTNAME_LEN, &m->hostname,
				&m->hostname_len);
	/* RFC 4702 §2: flags, RCODE1, RCODE2 come before the name. */
	if (!rc)
		rc = take_bytes(m, DHCP_OPT_FQDN, 3, -DHCP_EMSG_FQDN_LEN,
				&m->fqdn, &m->fqdn_len);
	/* RFC 2132 §9.8: minimum length 1. */
	if (!rc)
		rc = take_bytes(m, DHCP_OPT_PARAM_REQUEST, 1,
				-DHCP_EMSG_PARAM_REQUEST_LEN, &m->param_request,
				&m->param_request_len);
	/* RFC 3046 §2.0: one or more sub-options of code + length. */
	if (!rc)
		rc = take_bytes(m, DHCP_OPT_RELAY_AGENT_INFO, 2,
				-DHCP_EMSG_RELAY_INFO_LEN, &m->relay_info,
				&m->relay_info_len);
	return rc;
}

int dhcp_msg_decode(struct dhcp_msg *m, const uint8_t *buf, size_t len)
{
	struct opt_walk w;
	int rc;

	if (!m || (!buf && len))
		return -EINVAL;
	/* Everything but the value buffer, which place_options() covers. */
	memset(m, 0, offsetof(struct dhcp_msg, opt_buf));

	if (len < DHCP_FIXED_LEN)
		return -DHCP_EMSG_SHORT_HEADER;
	if (len < DHCP_OPTIONS_OFFSET)
		return -DHCP_EMSG_SHORT_COOKIE;
	if (get_be32(buf + DHCP_OFF_COOKIE) != DHCP_MAGIC_COOKIE)
		return -DHCP_EMSG_BAD_COOKIE;
	decode_header(m, buf);
	if (m->op != BOOTREQUEST && m->op != BOOTREPLY)
		return -DHCP_EMSG_BAD_OP;
	if (m->hlen > DHCP_CHADDR_LEN)
		return -DHCP_EMSG_BAD_HLEN;

	memset(&w, 0, sizeof(w));
	w.m = m;
	rc = walk_all(&w, buf, len);
	if (rc)
		return rc;
	place_options(m, &w);
	w.copy = true;
	rc = walk_all(&w, buf, len);
	if (rc)
		return rc; /* cannot happen: same bytes as the first pass */
	return take_convenience(m);
}

const uint8_t *dhcp_msg_option(const struct dhcp_msg *m, uint8_t code,
			       size_t *len)
{
	const struct dhcp_msg_opt_slot *s;

	if (!m || !m->opt[code].present)
		return NULL;
	s = &m->opt[code];
	if (len)
		*len = s->len;
	return m->opt_buf + s->off;
}

static const char *const emsg_text[] = {
	[DHCP_EMSG_SHORT_HEADER - DHCP_EMSG_SHORT_HEADER] =
		"message shorter than the 236-byte BOOTP header",
	[DHCP_EMSG_SHORT_COOKIE - DHCP_EMSG_SHORT_HEADER] =
		"message ends inside the magic cookie",
	[DHCP_EMSG_BAD_COOKIE - DHCP_EMSG_SHORT_HEADER] = "bad magic cookie",
	[DHCP_EMSG_BAD_OP - DHCP_EMSG_SHORT_HEADER] =
		"op is neither BOOTREQUEST nor BOOTREPLY",
	[DHCP_EMSG_BAD_HLEN - DHCP_EMSG_SHORT_HEADER] =
		"hardware address length over 16",
	[DHCP_EMSG_OPT_NO_LEN - DHCP_EMSG_SHORT_HEADER] =
		"option code without a length byte",
	[DHCP_EMSG_OPT_OVERRUN - DHCP_EMSG_SHORT_HEADER] =
		"option value runs past the end of its area",
	[DHCP_EMSG_NO_END - DHCP_EMSG_SHORT_HEADER] = "missing END option",
	[DHCP_EMSG_OVERLOAD_LEN - DHCP_EMSG_SHORT_HEADER] =
		"option overload (52) length is not 1",
	[DHCP_EMSG_OVERLOAD_VALUE - DHCP_EMSG_SHORT_HEADER] =
		"option overload (52) value is not 1, 2 or 3",
	[DHCP_EMSG_OVERLOAD_REPEATED - DHCP_EMSG_SHORT_HEADER] =
		"option overload (52) repeated",
	[DHCP_EMSG_OVERLOAD_IN_AREA - DHCP_EMSG_SHORT_HEADER] =
		"option overload (52) inside the file or sname field",
	[DHCP_EMSG_TOO_LARGE - DHCP_EMSG_SHORT_HEADER] =
		"options too large to decode",
	[DHCP_EMSG_MSG_TYPE_LEN - DHCP_EMSG_SHORT_HEADER] =
		"message type (53) length is not 1",
	[DHCP_EMSG_MSG_TYPE_VALUE - DHCP_EMSG_SHORT_HEADER] =
		"message type (53) not in 1..8",
	[DHCP_EMSG_REQUESTED_IP_LEN - DHCP_EMSG_SHORT_HEADER] =
		"requested address (50) length is not 4",
	[DHCP_EMSG_LEASE_TIME_LEN - DHCP_EMSG_SHORT_HEADER] =
		"lease time (51) length is not 4",
	[DHCP_EMSG_SERVER_ID_LEN - DHCP_EMSG_SHORT_HEADER] =
		"server identifier (54) length is not 4",
	[DHCP_EMSG_MAX_MSG_SIZE_LEN - DHCP_EMSG_SHORT_HEADER] =
		"maximum message size (57) length is not 2",
	[DHCP_EMSG_CLIENT_ID_LEN - DHCP_EMSG_SHORT_HEADER] =
		"client identifier (61) shorter than 2",
	[DHCP_EMSG_HOSTNAME_LEN - DHCP_EMSG_SHORT_HEADER] =
		"host name (12) is empty",
	[DHCP_EMSG_FQDN_LEN - DHCP_EMSG_SHORT_HEADER] =
		"client FQDN (81) shorter than 3",
	[DHCP_EMSG_PARAM_REQUEST_LEN - DHCP_EMSG_SHORT_HEADER] =
		"parameter request list (55) is empty",
	[DHCP_EMSG_RELAY_INFO_LEN - DHCP_EMSG_SHORT_HEADER] =
		"relay agent information (82) shorter than 2",
};

_Static_assert(sizeof(emsg_text) / sizeof(emsg_text[0]) ==
		       __DHCP_EMSG_END - DHCP_EMSG_SHORT_HEADER,
	       "every DHCP_EMSG_* needs a text");

const char *dhcp_msg_strerror(int err)
{
	if (err < 0)
		err = -err;
	if (err >= DHCP_EMSG_SHORT_HEADER && err < __DHCP_EMSG_END)
		return emsg_text[err - DHCP_EMSG_SHORT_HEADER];
	return strerror(err);
}

/* ---- encode ---- */

/* Wire size of a value of len bytes, split per RFC 3396. */
static size_t opt_wire_len(size_t len)
{
	if (len == 0)
		return 2;
	return len + 2 * ((len + 254) / 255);
}

/* Caller has checked the room: opt_wire_len(len) bytes at *pos. */
static void put_opt(uint8_t *buf, size_t *pos, uint8_t code,
		    const uint8_t *data, size_t len)
{
	do {
		size_t chunk = len > 255 ? 255 : len;

		buf[(*pos)++] = code;
		buf[(*pos)++] = chunk;
		if (chunk)
			memcpy(buf + *pos, data, chunk);
		*pos += chunk;
		data += chunk;
		len -= chunk;
	} while (len);
}

static void put_opt_u32(uint8_t *buf, size_t *pos, uint8_t code, uint32_t v)
{
	uint8_t val[4];

	put_be32(val, v);
	put_opt(buf, pos, code, val, sizeof(val));
}

/*
 * Codes the encoder writes itself; a configured copy would clash. Not 56:
 * RFC 2131 table 3 allows a message in OFFER and ACK, where the encoder
 * writes none, so a configured one is sent like any option - as the XDP
 * fast path, which copies the subnet's options as they are, sends it. In
 * a NAK no configured option goes out and 56 is r->message.
 */
static bool encoder_owns(uint8_t code)
{
	switch (code) {
	case DHCP_OPT_PAD:
	case DHCP_OPT_LEASE_TIME:
	case DHCP_OPT_OVERLOAD:
	case DHCP_OPT_MSG_TYPE:
	case DHCP_OPT_SERVER_ID:
	case DHCP_OPT_PARAM_REQUEST:
	case DHCP_OPT_RENEWAL_TIME:
	case DHCP_OPT_REBINDING_TIME:
	case DHCP_OPT_CLIENT_ID:
	case DHCP_OPT_RELAY_AGENT_INFO:
	case DHCP_OPT_END:
		return true;
	default:
		return false;
	}
}

/*
 * Configured options in priority order: those named in 55, in its order
 * (all entries of a code together, so a code configured twice stays one
 * RFC 3396 value), then the rest in configuration order. Returns the count.
 */
static size_t order_options(const struct dhcp_reply *r,
			    const struct dhcp_msg *req, uint16_t *order)
{
	bool taken[DHCP_REPLY_MAX_OPTS] = {false};
	size_t n = 0, i, j;

	for (i = 0; i < req->param_request_len; i++) {
		uint8_t code = req->param_request[i];

		for (j = 0; j < r->n_opts; j++) {
			if (taken[j] || r->opts[j].code != code ||
			    encoder_owns(code))
				continue;
			taken[j] = true;
			order[n++] = j;
		}
	}
	for (j = 0; j < r->n_opts; j++) {
		if (taken[j] || encoder_owns(r->opts[j].code))
			continue;
		order[n++] = j;
	}
	return n;
}

static void encode_header(uint8_t *buf, const struct dhcp_reply *r,
			  const struct dhcp_msg *req)
{
	bool nak = r->msg_type == DHCPNAK;

	memset(buf, 0, DHCP_OPTIONS_OFFSET);
	buf[DHCP_OFF_OP] = BOOTREPLY;
	buf[DHCP_OFF_HTYPE] = req->htype;
	buf[DHCP_OFF_HLEN] = req->hlen;
	put_be32(buf + DHCP_OFF_XID, req->xid);
	/* RFC 2131 §4.3.2: a NAK through a relay MUST have the broadcast
	 * bit set, so the relay broadcasts it to a client whose address is
	 * in doubt. */
	put_be16(buf + DHCP_OFF_FLAGS,
		 nak && req->giaddr ? req->flags | DHCP_FLAG_BROADCAST
				    : req->flags);
	/* RFC 2131 table 3: ciaddr 0 in OFFER and NAK, else the client's. */
	if (r->msg_type == DHCPACK)
		put_be32(buf + DHCP_OFF_CIADDR, req->ciaddr);
	if (!nak) {
		put_be32(buf + DHCP_OFF_YIADDR, r->yiaddr);
		put_be32(buf + DHCP_OFF_SIADDR, r->siaddr);
		/* RFC 2131 §2: NUL-terminated strings; longer ones are cut
		 * so the terminator stays. */
		if (r->sname)
			strncpy((char *)buf + DHCP_OFF_SNAME, r->sname,
				DHCP_SNAME_LEN - 1);
		if (r->file)
			strncpy((char *)buf + DHCP_OFF_FILE, r->file,
				DHCP_FILE_LEN - 1);
	}
	put_be32(buf + DHCP_OFF_GIADDR, req->giaddr);
	memcpy(buf + DHCP_OFF_CHADDR, req->chaddr, DHCP_CHADDR_LEN);
	put_be32(buf + DHCP_OFF_COOKIE, DHCP_MAGIC_COOKIE);
}

/* Bytes of options every reply of this kind must carry, END included. */
static size_t mandatory_len(const struct dhcp_reply *r,
			    const struct dhcp_msg *req, size_t msg_len)
{
	size_t n = 3 + 6 + 1; /* 53, 54, END */

	if (r->msg_type == DHCPNAK) {
		if (r->message)
			n += opt_wire_len(msg_len);
	} else {
		n += r->lease_time ? 6 : 0;
		n += r->t1 ? 6 : 0;
		n += r->t2 ? 6 : 0;
	}
	if (req->client_id && !r->no_client_id_echo)
		n += opt_wire_len(req->client_id_len);
	if (req->relay_info)
		n += opt_wire_len(req->relay_info_len);
	return n;
}

static bool reply_valid(const struct dhcp_reply *r, const struct dhcp_msg *req)
{
	size_t i;

	if (!r || !req || !r->server_id)
		return false;
	if (r->msg_type != DHCPOFFER && r->msg_type != DHCPACK &&
	    r->msg_type != DHCPNAK)
		return false;
	if (r->n_opts > DHCP_REPLY_MAX_OPTS || (r->n_opts && !r->opts))
		return false;
	for (i = 0; i < r->n_opts; i++)
		if (r->opts[i].len && !r->opts[i].data)
			return false;
	return true;
}

int dhcp_reply_encode(uint8_t *buf, size_t cap, const struct dhcp_reply *r,
		      const struct dhcp_msg *req, size_t *out_len,
		      size_t *n_dropped)
{
	uint16_t order[DHCP_REPLY_MAX_OPTS];
	size_t limit, room, pos, n_order = 0, dropped = 0, msg_len = 0, i;
	bool nak;
	uint8_t type;

	if (!buf || !out_len || !reply_valid(r, req))
		return -EINVAL;
	nak = r->msg_type == DHCPNAK;
	if (nak && r->message)
		msg_len = strlen(r->message);

	/*
	 * RFC 2131 §2 / RFC 2132 §9.10: 57 is the largest IP datagram the
	 * client takes, 576 when absent; decode has already clamped it.
	 */
	limit = DHCP_MIN_MAX_MSG_SIZE;
	if (req->has_max_msg_size && req->max_msg_size > limit)
		limit = req->max_msg_size;
	limit -= DHCP_IP_UDP_OVERHEAD;
	if (limit > cap)
		limit = cap;
	if (limit < DHCP_MIN_LEN ||
	    DHCP_OPTIONS_OFFSET + mandatory_len(r, req, msg_len) > limit)
		return -ENOSPC;
	room = limit - DHCP_OPTIONS_OFFSET - mandatory_len(r, req, msg_len);

	encode_header(buf, r, req);
	pos = DHCP_OPTIONS_OFFSET;
	type = r->msg_type;
	put_opt(buf, &pos, DHCP_OPT_MSG_TYPE, &type, 1);
	put_opt_u32(buf, &pos, DHCP_OPT_SERVER_ID, r->server_id);
	if (nak) {
		if (r->message)
			put_opt(buf, &pos, DHCP_OPT_MESSAGE,
				(const uint8_t *)r->message, msg_len);
	} else {
		if (r->lease_time)
			put_opt_u32(buf, &pos, DHCP_OPT_LEASE_TIME,
				    r->lease_time);
		if (r->t1)
			put_opt_u32(buf, &pos, DHCP_OPT_RENEWAL_TIME, r->t1);
		if (r->t2)
			put_opt_u32(buf, &pos, DHCP_OPT_REBINDING_TIME, r->t2);
		n_order = order_options(r, req, order);
	}

	/* Whole options in priority order; one that does not fit is dropped. */
	for (i = 0; i < n_order; i++) {
		const struct dhcp_opt *o = &r->opts[order[i]];
		size_t need = opt_wire_len(o->len);

		if (need > room) {
			dropped++;
			continue;
		}
		put_opt(buf, &pos, o->code, o->data, o->len);
		room -= need;
	}

	/* RFC 6842 §3: echo 61; RFC 3046 §2.2: 82 last, before END. */
	if (req->client_id && !r->no_client_id_echo)
		put_opt(buf, &pos, DHCP_OPT_CLIENT_ID, req->client_id,
			req->client_id_len);
	if (req->relay_info)
		put_opt(buf, &pos, DHCP_OPT_RELAY_AGENT_INFO, req->relay_info,
			req->relay_info_len);
	buf[pos++] = DHCP_OPT_END;

	/* RFC 951: BOOTP messages are at least 300 bytes. */
	if (pos < DHCP_MIN_LEN) {
		memset(buf + pos, 0, DHCP_MIN_LEN - pos);
		pos = DHCP_MIN_LEN;
	}
	*out_len = pos;
	if (n_dropped)
		*n_dropped = dropped;
	return 0;
}
