// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The DHCP codec on raw UDP payloads. A payload that decodes must keep
 * every promise of dhcp_msg.h:
 *  - the documented checks hold for what decode accepted (op, hlen,
 *    52, 53, 50/51/54, 57 clamping, minimum lengths of 61/12/81/55/82),
 *    and the convenience fields agree with dhcp_msg_option();
 *  - the concatenated values (RFC 3396), written back in small pieces
 *    interleaved across codes and without 52, decode to the same message;
 *  - dhcp_reply_encode() to it (a reply made up from the header fields)
 *    fails with -ENOSPC exactly when the mandatory part or 300 bytes do
 *    not fit, and otherwise writes table 3's header, 53 and 54 first, the
 *    timers or (NAK) 56, the configured options it had room for (the
 *    priority order and whole-option drops as documented; a configured
 *    56 among them in OFFER/ACK, RFC 2131 table 3), 61 and 82 echoed, 82
 *    last, END, zero padding, within min(cap, max(576, 57) - 28).
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wire/dhcp_msg.h"
#include "dhcpxdp/dhcp_wire.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Each about 18 KiB: static, not on the stack. */
static struct dhcp_msg msg, other, reply;
/* Values are at most 16 KiB; pieces of 1 byte triple that. */
static uint8_t wire[3 * DHCP_MSG_OPT_BUF_LEN + DHCP_OPTIONS_OFFSET + 1];

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	put_be16(p, (uint16_t)(v >> 16));
	put_be16(p + 2, (uint16_t)v);
}

/* ---- what decode promises ---- */

/* A variable-length option and its convenience pointer agree. */
static void check_bytes(const struct dhcp_msg *m, uint8_t code,
			const uint8_t *ptr, uint16_t len, size_t min)
{
	size_t n = 0;
	const uint8_t *v = dhcp_msg_option(m, code, &n);

	FUZZ_CHECK(ptr == v);
	if (!v) {
		FUZZ_CHECK(len == 0);
		return;
	}
	FUZZ_CHECK(n == len && n >= min);
	FUZZ_CHECK(v >= m->opt_buf && v + n <= m->opt_buf + m->opt_buf_used);
}

static void check_u32(const struct dhcp_msg *m, uint8_t code, bool has,
		      uint32_t val)
{
	size_t n = 0;
	const uint8_t *v = dhcp_msg_option(m, code, &n);

	FUZZ_CHECK(has == (v != NULL));
	if (v)
		FUZZ_CHECK(n == 4 && be32(v) == val);
}

static void check_decoded(const struct dhcp_msg *m, size_t size)
{
	size_t n = 0, total = 0;
	const uint8_t *v;

	FUZZ_CHECK(m->op == BOOTREQUEST || m->op == BOOTREPLY);
	FUZZ_CHECK(m->hlen <= DHCP_CHADDR_LEN);
	FUZZ_CHECK(!m->opt[DHCP_OPT_PAD].present &&
		   !m->opt[DHCP_OPT_END].present);
	FUZZ_CHECK(m->opt_buf_used <= DHCP_MSG_OPT_BUF_LEN);
	for (int c = 1; c < DHCP_OPT_END; c++) {
		if (!m->opt[c].present)
			continue;
		FUZZ_CHECK(m->opt[c].off + m->opt[c].len <= m->opt_buf_used);
		total += m->opt[c].len;
	}
	/* The values are a subset of the input bytes. */
	FUZZ_CHECK(total <= size);

	v = dhcp_msg_option(m, DHCP_OPT_OVERLOAD, &n);
	FUZZ_CHECK(v ? n == 1 && v[0] >= 1 && v[0] <= 3 && m->overload == v[0]
		     : m->overload == 0);
	v = dhcp_msg_option(m, DHCP_OPT_MSG_TYPE, &n);
	FUZZ_CHECK(v ? n == 1 && v[0] >= DHCPDISCOVER && v[0] <= DHCPINFORM &&
				   m->msg_type == v[0]
		     : m->msg_type == 0);
	check_u32(m, DHCP_OPT_REQUESTED_IP, m->has_requested_ip,
		  m->requested_ip);
	check_u32(m, DHCP_OPT_SERVER_ID, m->has_server_id, m->server_id);
	check_u32(m, DHCP_OPT_LEASE_TIME, m->has_lease_time, m->lease_time);

	v = dhcp_msg_option(m, DHCP_OPT_MAX_MSG_SIZE, &n);
	FUZZ_CHECK(m->has_max_msg_size == (v != NULL));
	if (v) {
		uint16_t raw = (uint16_t)(v[0] << 8 | v[1]);

		FUZZ_CHECK(n == 2);
		FUZZ_CHECK(m->max_msg_size_clamped == (raw < 576));
		FUZZ_CHECK(m->max_msg_size == (raw < 576 ? 576 : raw));
	} else {
		FUZZ_CHECK(!m->max_msg_size_clamped);
	}
	check_bytes(m, DHCP_OPT_CLIENT_ID, m->client_id, m->client_id_len, 2);
	check_bytes(m, DHCP_OPT_HOST_NAME, m->hostname, m->hostname_len, 1);
	check_bytes(m, DHCP_OPT_FQDN, m->fqdn, m->fqdn_len, 3);
	check_bytes(m, DHCP_OPT_PARAM_REQUEST, m->param_request,
		    m->param_request_len, 1);
	check_bytes(m, DHCP_OPT_RELAY_AGENT_INFO, m->relay_info,
		    m->relay_info_len, 2);
}

/* a and b are the same message (b possibly without 52). */
static void check_same(const struct dhcp_msg *a, const struct dhcp_msg *b,
		       bool b_has_52)
{
	FUZZ_CHECK(a->op == b->op && a->htype == b->htype &&
		   a->hlen == b->hlen && a->hops == b->hops &&
		   a->xid == b->xid && a->secs == b->secs &&
		   a->flags == b->flags && a->ciaddr == b->ciaddr &&
		   a->yiaddr == b->yiaddr && a->siaddr == b->siaddr &&
		   a->giaddr == b->giaddr);
	FUZZ_CHECK(!memcmp(a->chaddr, b->chaddr, sizeof(a->chaddr)) &&
		   !memcmp(a->sname, b->sname, sizeof(a->sname)) &&
		   !memcmp(a->file, b->file, sizeof(a->file)));
	FUZZ_CHECK(b_has_52 ? b->overload == a->overload : b->overload == 0);
	FUZZ_CHECK(a->msg_type == b->msg_type &&
		   a->has_requested_ip == b->has_requested_ip &&
		   a->requested_ip == b->requested_ip &&
		   a->has_server_id == b->has_server_id &&
		   a->server_id == b->server_id &&
		   a->has_lease_time == b->has_lease_time &&
		   a->lease_time == b->lease_time &&
		   a->has_max_msg_size == b->has_max_msg_size &&
		   a->max_msg_size_clamped == b->max_msg_size_clamped &&
		   a->max_msg_size == b->max_msg_size);
	for (int c = 1; c < DHCP_OPT_END; c++) {
		size_t la = 0, lb = 0;
		const uint8_t *va = dhcp_msg_option(a, (uint8_t)c, &la);
		const uint8_t *vb = dhcp_msg_option(b, (uint8_t)c, &lb);

		if (c == DHCP_OPT_OVERLOAD && !b_has_52) {
			FUZZ_CHECK(!vb);
			continue;
		}
		FUZZ_CHECK(!va == !vb && la == lb);
		FUZZ_CHECK(!va || !la || !memcmp(va, vb, la));
	}
	check_decoded(b, SIZE_MAX);
}

/*
 * Write m's header and concatenated values back as a payload: values cut
 * in pieces of `piece` bytes, round robin over the codes, so every split
 * option is interleaved with others (RFC 3396 §5: concatenated in order,
 * whatever sits between). 52 is left out and file/sname stay raw.
 */
static size_t reencode(const struct dhcp_msg *m, size_t piece)
{
	uint16_t done[256] = {0};
	bool more = true, first = true;
	size_t pos = DHCP_OPTIONS_OFFSET;

	memset(wire, 0, DHCP_OPTIONS_OFFSET);
	wire[DHCP_OFF_OP] = m->op;
	wire[DHCP_OFF_HTYPE] = m->htype;
	wire[DHCP_OFF_HLEN] = m->hlen;
	wire[DHCP_OFF_HOPS] = m->hops;
	put_be32(wire + DHCP_OFF_XID, m->xid);
	put_be16(wire + DHCP_OFF_SECS, m->secs);
	put_be16(wire + DHCP_OFF_FLAGS, m->flags);
	put_be32(wire + DHCP_OFF_CIADDR, m->ciaddr);
	put_be32(wire + DHCP_OFF_YIADDR, m->yiaddr);
	put_be32(wire + DHCP_OFF_SIADDR, m->siaddr);
	put_be32(wire + DHCP_OFF_GIADDR, m->giaddr);
	memcpy(wire + DHCP_OFF_CHADDR, m->chaddr, DHCP_CHADDR_LEN);
	memcpy(wire + DHCP_OFF_SNAME, m->sname, DHCP_SNAME_LEN);
	memcpy(wire + DHCP_OFF_FILE, m->file, DHCP_FILE_LEN);
	put_be32(wire + DHCP_OFF_COOKIE, DHCP_MAGIC_COOKIE);
	while (more) {
		more = false;
		for (int c = 1; c < DHCP_OPT_END; c++) {
			size_t len = 0, chunk;
			const uint8_t *v = dhcp_msg_option(m, (uint8_t)c, &len);

			if (!v || c == DHCP_OPT_OVERLOAD ||
			    (done[c] == len && !(first && !len)))
				continue;
			chunk = len - done[c] < piece ? len - done[c] : piece;
			if (pos + 2 + chunk + 1 > sizeof(wire))
				return 0;
			wire[pos++] = (uint8_t)c;
			wire[pos++] = (uint8_t)chunk;
			memcpy(wire + pos, v + done[c], chunk);
			pos += chunk;
			done[c] += (uint16_t)chunk;
			more |= done[c] < len;
		}
		first = false;
	}
	wire[pos++] = DHCP_OPT_END;
	return pos;
}

static void check_roundtrip(const struct dhcp_msg *m)
{
	/* Mostly tiny pieces; the header's xid picks, so it varies. */
	size_t piece = (m->xid & 1) ? 255 : 1 + (m->xid >> 1) % 16;
	size_t len = reencode(m, piece);

	FUZZ_CHECK(len > 0);
	FUZZ_CHECK(dhcp_msg_decode(&other, wire, len) == 0);
	check_same(m, &other, false);
}

/* ---- what encode promises ---- */

#define MAX_CONF 12

struct reply_case {
	struct dhcp_reply r;
	struct dhcp_opt opts[MAX_CONF];
	size_t cap;
};

static bool encoder_owns(uint8_t code)
{
	static const uint8_t owned[] = {
		DHCP_OPT_PAD,	       DHCP_OPT_LEASE_TIME,
		DHCP_OPT_OVERLOAD,     DHCP_OPT_MSG_TYPE,
		DHCP_OPT_SERVER_ID,    DHCP_OPT_PARAM_REQUEST,
		DHCP_OPT_RENEWAL_TIME, DHCP_OPT_REBINDING_TIME,
		DHCP_OPT_CLIENT_ID,    DHCP_OPT_RELAY_AGENT_INFO,
		DHCP_OPT_END,
	};

	return memchr(owned, code, sizeof(owned)) != NULL;
}

/* Codes whose length the decoder checks: kept out of the configured
 * options so the reply always decodes. */
static bool decoder_checks(uint8_t code)
{
	return code == DHCP_OPT_HOST_NAME || code == DHCP_OPT_REQUESTED_IP ||
	       code == DHCP_OPT_MAX_MSG_SIZE || code == DHCP_OPT_FQDN;
}

/*
 * A reply made up from the request's own bytes: type, addresses and
 * timers from xid/secs/hops, configured options (unique codes, some
 * owned by the encoder, some over 255 bytes) from `file`.
 */
static void make_reply(const struct dhcp_msg *m, struct reply_case *rc)
{
	static const uint8_t types[3] = {DHCPOFFER, DHCPACK, DHCPNAK};
	static uint8_t pattern[256 + 256 + 5 * 150];
	bool used[256] = {false};
	struct dhcp_reply *r = &rc->r;

	for (size_t i = 0; i < sizeof(pattern); i++)
		pattern[i] = (uint8_t)(i * 7 + 1);
	memset(rc, 0, sizeof(*rc));
	r->msg_type = types[m->xid % 3];
	r->yiaddr = ~m->xid;
	r->siaddr = m->xid ^ 0x5a5a5a5a;
	r->server_id = m->xid | 1;
	r->lease_time = (m->secs & 1) ? 600 : 0;
	r->t1 = (m->secs & 2) ? 300 : 0;
	r->t2 = (m->secs & 4) ? 525 : 0;
	r->message = (m->secs & 8) ? "fuzzed request refused" : NULL;
	for (size_t i = 0; i < MAX_CONF; i++) {
		uint8_t code = m->file[2 * i], sel = m->file[2 * i + 1];
		struct dhcp_opt *o = &rc->opts[r->n_opts];

		if (used[code] || decoder_checks(code))
			continue;
		used[code] = true;
		o->code = code;
		/* 250..255 are values over 255 bytes (RFC 3396 split). */
		o->len = sel < 250 ? sel : (uint16_t)(256 + (sel - 250) * 150);
		o->data = pattern + code;
		r->n_opts++;
	}
	r->opts = rc->opts;
	/* Mostly a full Ethernet payload; hops >= 128: small caps, down to
	 * below the 300-byte minimum. */
	rc->cap = (m->hops & 0x80) ? 200 + (size_t)(m->hops & 0x7f) * 8 : 1500;
}

static size_t opt_wire(size_t len)
{
	return len ? len + 2 * ((len + 254) / 255) : 2;
}

struct expect {
	int ret;
	bool nak; /* then 56 is the encoder's, not configured */
	size_t limit;
	bool kept[MAX_CONF];
	uint8_t order[MAX_CONF]; /* kept codes, in the order sent */
	size_t n_order, n_dropped;
};

/* Which configured option goes next by the documented priority. */
static void priority(const struct reply_case *rc, const struct dhcp_msg *m,
		     size_t *idx, size_t *n)
{
	bool taken[MAX_CONF] = {false};

	*n = 0;
	for (size_t i = 0; i < m->param_request_len; i++)
		for (size_t j = 0; j < rc->r.n_opts; j++)
			if (!taken[j] &&
			    rc->opts[j].code == m->param_request[i] &&
			    !encoder_owns(rc->opts[j].code)) {
				taken[j] = true;
				idx[(*n)++] = j;
			}
	for (size_t j = 0; j < rc->r.n_opts; j++)
		if (!taken[j] && !encoder_owns(rc->opts[j].code))
			idx[(*n)++] = j;
}

static void expect_reply(const struct reply_case *rc, const struct dhcp_msg *m,
			 struct expect *x)
{
	const struct dhcp_reply *r = &rc->r;
	bool nak = r->msg_type == DHCPNAK;
	size_t mand = 3 + 6 + 1, limit, room, idx[MAX_CONF], n;

	memset(x, 0, sizeof(*x));
	x->nak = nak;
	if (nak)
		mand += r->message ? opt_wire(strlen(r->message)) : 0;
	else
		mand += (r->lease_time ? 6 : 0) + (r->t1 ? 6 : 0) +
			(r->t2 ? 6 : 0);
	mand += m->client_id ? opt_wire(m->client_id_len) : 0;
	mand += m->relay_info ? opt_wire(m->relay_info_len) : 0;
	limit = m->has_max_msg_size && m->max_msg_size > 576 ? m->max_msg_size
							     : 576;
	limit -= DHCP_IP_UDP_OVERHEAD;
	if (limit > rc->cap)
		limit = rc->cap;
	x->limit = limit;
	if (limit < DHCP_MIN_LEN || DHCP_OPTIONS_OFFSET + mand > limit) {
		x->ret = -ENOSPC;
		return;
	}
	if (nak)
		return;
	room = limit - DHCP_OPTIONS_OFFSET - mand;
	priority(rc, m, idx, &n);
	for (size_t i = 0; i < n; i++) {
		size_t need = opt_wire(rc->opts[idx[i]].len);

		if (need > room) {
			x->n_dropped++;
			continue;
		}
		room -= need;
		x->kept[idx[i]] = true;
		x->order[x->n_order++] = rc->opts[idx[i]].code;
	}
}

static void check_value(const struct dhcp_msg *d, uint8_t code, bool present,
			const void *val, size_t len)
{
	size_t n = 0;
	const uint8_t *v = dhcp_msg_option(d, code, &n);

	FUZZ_CHECK(present == (v != NULL));
	if (v)
		FUZZ_CHECK(n == len && (!len || !memcmp(v, val, len)));
}

static void check_timer(const struct dhcp_msg *d, uint8_t code, uint32_t t,
			bool nak)
{
	uint8_t be[4];

	put_be32(be, t);
	check_value(d, code, !nak && t, be, 4);
}

/* The options area in wire order: 53, 54 first, 82 last, configured
 * codes in the expected order (a split value's instances follow each
 * other), then END and zeros only. */
static void check_layout(const uint8_t *buf, size_t len,
			 const struct dhcp_msg *m, const struct expect *x)
{
	size_t i = DHCP_OPTIONS_OFFSET, n_conf = 0, k = 0;
	int prev = -1;

	while (buf[i] != DHCP_OPT_END) {
		uint8_t code = buf[i];

		FUZZ_CHECK(i + 2 <= len && code != DHCP_OPT_PAD);
		if (k == 0)
			FUZZ_CHECK(code == DHCP_OPT_MSG_TYPE);
		if (k == 1)
			FUZZ_CHECK(code == DHCP_OPT_SERVER_ID);
		if (!encoder_owns(code) &&
		    !(x->nak && code == DHCP_OPT_MESSAGE) && code != prev) {
			FUZZ_CHECK(n_conf < x->n_order &&
				   x->order[n_conf] == code);
			n_conf++;
		}
		prev = code;
		i += 2 + (size_t)buf[i + 1];
		k++;
		FUZZ_CHECK(i < len);
	}
	FUZZ_CHECK(n_conf == x->n_order);
	FUZZ_CHECK(!m->relay_info || prev == DHCP_OPT_RELAY_AGENT_INFO);
	for (i++; i < len; i++)
		FUZZ_CHECK(buf[i] == 0);
}

static void check_reply(const struct dhcp_msg *m)
{
	static uint8_t buf[2048];
	struct reply_case rc;
	struct expect x;
	const struct dhcp_reply *r = &rc.r;
	bool nak;
	size_t len = 0, dropped = 0;
	int ret;

	make_reply(m, &rc);
	nak = r->msg_type == DHCPNAK;
	expect_reply(&rc, m, &x);
	ret = dhcp_reply_encode(buf, rc.cap, r, m, &len, &dropped);
	FUZZ_CHECK(ret == x.ret);
	if (ret)
		return;
	FUZZ_CHECK(len >= DHCP_MIN_LEN && len <= x.limit);
	FUZZ_CHECK(dropped == x.n_dropped);
	FUZZ_CHECK(dhcp_msg_decode(&reply, buf, len) == 0);

	/* RFC 2131 table 3, as dhcp_msg.h lays it out; a NAK through a
	 * relay has the broadcast bit set (§4.3.2). */
	FUZZ_CHECK(reply.op == BOOTREPLY && reply.htype == m->htype &&
		   reply.hlen == m->hlen && reply.hops == 0 &&
		   reply.xid == m->xid && reply.secs == 0 &&
		   reply.flags == (nak && m->giaddr
					   ? m->flags | DHCP_FLAG_BROADCAST
					   : m->flags) &&
		   reply.giaddr == m->giaddr);
	FUZZ_CHECK(reply.ciaddr == (r->msg_type == DHCPACK ? m->ciaddr : 0));
	FUZZ_CHECK(reply.yiaddr == (nak ? 0 : r->yiaddr));
	FUZZ_CHECK(reply.siaddr == (nak ? 0 : r->siaddr));
	FUZZ_CHECK(!memcmp(reply.chaddr, m->chaddr, DHCP_CHADDR_LEN));
	for (size_t i = 0; i < DHCP_SNAME_LEN; i++)
		FUZZ_CHECK(!reply.sname[i]);
	for (size_t i = 0; i < DHCP_FILE_LEN; i++)
		FUZZ_CHECK(!reply.file[i]);

	FUZZ_CHECK(reply.msg_type == r->msg_type);
	FUZZ_CHECK(reply.has_server_id && reply.server_id == r->server_id);
	check_timer(&reply, DHCP_OPT_LEASE_TIME, r->lease_time, nak);
	check_timer(&reply, DHCP_OPT_RENEWAL_TIME, r->t1, nak);
	check_timer(&reply, DHCP_OPT_REBINDING_TIME, r->t2, nak);
	if (nak)
		check_value(&reply, DHCP_OPT_MESSAGE, r->message, r->message,
			    r->message ? strlen(r->message) : 0);
	check_value(&reply, DHCP_OPT_CLIENT_ID, m->client_id, m->client_id,
		    m->client_id_len);
	check_value(&reply, DHCP_OPT_RELAY_AGENT_INFO, m->relay_info,
		    m->relay_info, m->relay_info_len);
	FUZZ_CHECK(!reply.opt[DHCP_OPT_PARAM_REQUEST].present &&
		   !reply.opt[DHCP_OPT_OVERLOAD].present);
	for (size_t j = 0; j < r->n_opts; j++)
		if (!encoder_owns(rc.opts[j].code) &&
		    !(nak && rc.opts[j].code == DHCP_OPT_MESSAGE))
			check_value(&reply, rc.opts[j].code, x.kept[j],
				    rc.opts[j].data, rc.opts[j].len);
	check_layout(buf, len, m, &x);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int ret = dhcp_msg_decode(&msg, data, size);

	if (ret) {
		FUZZ_CHECK(ret <= -DHCP_EMSG_SHORT_HEADER &&
			   ret > -__DHCP_EMSG_END);
		FUZZ_CHECK(dhcp_msg_strerror(ret) != NULL);
		return 0;
	}
	check_decoded(&msg, size);
	check_roundtrip(&msg);
	check_reply(&msg);
	return 0;
}
