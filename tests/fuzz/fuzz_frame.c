// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The daemon's per-frame slow path without I/O, as slowpath.c chains it:
 * frame_in_parse -> dhcp_msg_decode -> engine_handle -> (a reply)
 * dhcp_reply_encode -> frame_out_address -> frame_out_build.
 *
 * Input: records separated by FUZZ_FRAME_SEP ("DXFZ"), at most
 * MAX_RECORDS, each two control bytes and an Ethernet frame:
 *   byte 0  bits 0-1  the arrival network: served with no subnet of its
 *                     own, served with subnet 1, with subnet 2, or not
 *                     served (whatever the frame's VLAN: one may be
 *                     served some day)
 *           bit  2    engine_rx.unicast
 *           bit  3    run engine_expire() first, into a small batch
 *           bit  4    after an ACK, note an XDP renewal of it
 *           bits 5-7  0: frame as is; 1: fix the IPv4 header checksum;
 *                     2-7: also set IP and UDP lengths from the frame
 *                     length (so mutated options reach the decoder);
 *                     7: and start from a fresh engine
 *   byte 1  how far the clock moves on: (b & 63) << 5 * (b >> 6)
 *           seconds, 0 s to ~24 days, never backwards.
 * A separator inside a frame only splits it differently.
 *
 * One engine lives across inputs (lease state makes deeper bugs
 * reachable); it is rebuilt every ENGINE_LIFE inputs, or sooner if it
 * holds more than MAX_HELD addresses, so memory stays bounded. An input
 * whose first record asks for a fresh engine replays alone exactly (the
 * seeds' sequences do); another may need the state earlier inputs left:
 * see README.md.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "wire/dhcp_msg.h"
#include "dhcpxdp/dhcp_wire.h"
#include "engine/engine.h"
#include "frame.h"
#include "wire/frame_in.h"
#include "wire/frame_out.h"
#include "fuzz_common.h"

#define REPLY_MAX   1500 /* as slowpath.c */
#define ENGINE_LIFE 8192
#define MAX_HELD    1024
#define EXPIRE_CAP  8
#define MAX_RECORDS 64
#define T0	    1700000000LL

static struct dx_config *cfg;
static struct engine *eng;
static unsigned long inputs;
static bool verbose; /* FUZZ_VERBOSE=1: one line per frame, for triage */
/* FUZZ_FRESH=1: every input from a fresh engine at T0, so an input
 * replays (and -minimize_crash works) without the state others left. */
static bool fresh;
static int64_t now = T0;
/* About 18 KiB each: static, not on the stack. */
static struct dhcp_msg req_msg, reply_msg;
/* The lease database the engine's changes build (see db_apply()). */
static struct row {
	bool used;
	struct dx_lease_rec rec;
} db[3][256];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct config_diag diag = {0};
	int r;

	(void)argc;
	(void)argv;
	verbose = getenv("FUZZ_VERBOSE") != NULL;
	fresh = getenv("FUZZ_FRESH") != NULL;
	r = config_load_string(FUZZ_ENGINE_CONF, "fuzz_frame", &cfg, &diag);
	if (r)
		fprintf(stderr, "fuzz_frame config: %s\n", diag.error);
	config_diag_free(&diag);
	FUZZ_CHECK(r == 0);
	return 0;
}

static uint64_t addresses_held(void)
{
	struct engine_subnet_stats st;
	uint64_t n = 0;

	for (size_t i = 0; i < engine_subnet_count(eng); i++)
		if (!engine_subnet_stats(eng, i, &st))
			n += st.used + st.leases_active + st.declined;
	return n;
}

static void engine_fresh(bool now_please)
{
	if (!now_please && eng && inputs % ENGINE_LIFE &&
	    addresses_held() <= MAX_HELD)
		return;
	engine_free(eng);
	eng = NULL;
	FUZZ_CHECK(engine_new(cfg, &eng) == 0);
	memset(db, 0, sizeof(db)); /* a new engine starts from no leases */
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/*
 * Make a mutated frame pass the checks libFuzzer cannot solve by itself:
 * the IPv4 header checksum and, in `lengths` mode, the IP total length
 * and UDP length (an option grown by the mutator would otherwise end up
 * past the UDP payload). Leaves frames too short for an IPv4 header alone.
 */
static void fix_frame(uint8_t *f, size_t len, bool lengths)
{
	size_t off = 14, ihl, tot;
	uint8_t *ip;

	if (len >= 18 && f[12] == 0x81 && f[13] == 0x00)
		off = 18;
	if (len < off + 20)
		return;
	ip = f + off;
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	if (ihl < 20 || off + ihl > len)
		return;
	if (lengths) {
		tot = len - off > 0xffff ? 0xffff : len - off;
		put16(ip + 2, (uint16_t)tot);
		if (tot >= ihl + 8)
			put16(ip + ihl + 4, (uint16_t)(tot - ihl));
	}
	put16(ip + 10, 0);
	put16(ip + 10, inet_csum(ip, ihl, 0));
}

/*
 * The lease database as the engine's changes build it (every commit
 * succeeds here), to check the promises docs/design.md and docs/protocol.md
 * make about addresses: an ACTIVE lease's address is nobody else's until
 * max(expires, horizon), a declined one nobody's until its probation
 * ends, a reserved one only its client's. Subnet 1 is a /24, 2 a /28.
 */
static struct row *db_row(uint32_t subnet_id, uint32_t addr)
{
	static const uint32_t net[3] = {0, FUZZ_IP(10, 77, 0, 0),
					FUZZ_IP(10, 78, 0, 0)};
	static const uint32_t mask[3] = {0, 0xffffff00, 0xfffffff0};

	/* A row engine_load_lease() would refuse is a broken database. */
	FUZZ_CHECK(subnet_id == 1 || subnet_id == 2);
	FUZZ_CHECK((addr & mask[subnet_id]) == net[subnet_id]);
	return &db[subnet_id][addr & 0xff];
}

static void db_apply(const struct dx_lease_op *ops, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct dx_lease_rec *r = &ops[i].rec;
		struct row *row = db_row(r->subnet_id, r->addr);

		if (ops[i].kind == DX_LEASE_OP_DELETE) {
			row->used = false;
			continue;
		}
		FUZZ_CHECK(ops[i].kind == DX_LEASE_OP_UPSERT);
		FUZZ_CHECK(r->state >= DX_LEASE_ACTIVE &&
			   r->state <= DX_LEASE_EXPIRED);
		FUZZ_CHECK(memchr(r->hostname, '\0', sizeof(r->hostname)));
		/* lease_db.h: horizon >= expires for ACTIVE. */
		FUZZ_CHECK(r->state != DX_LEASE_ACTIVE ||
			   r->horizon >= r->expires);
		row->used = true;
		row->rec = *r;
	}
}

/* RFC 2131 §4.2 as lease_table.c keys clients: client-id when both have
 * one (the engine keeps its first 255 bytes), else chaddr. */
static bool same_client(const struct dx_lease_rec *r, const struct dhcp_msg *m)
{
	size_t cid_len = m->client_id_len > DX_LEASE_CLIENT_ID_MAX
				 ? DX_LEASE_CLIENT_ID_MAX
				 : m->client_id_len;

	if (m->client_id && r->client_id_len)
		return cid_len == r->client_id_len &&
		       !memcmp(m->client_id, r->client_id, cid_len);
	return !memcmp(r->mac, m->chaddr, 6);
}

/* The reservations of FUZZ_ENGINE_CONF: looked up by chaddr first. */
static bool reserved_for(uint32_t addr, const struct dhcp_msg *m)
{
	static const uint8_t hw1[6] = FUZZ_MAC(FUZZ_RES_HW_MAC),
			     hw2[6] = FUZZ_MAC(0x02), cid[] = FUZZ_RES_CID;
	bool by_hw = !memcmp(m->chaddr, hw1, 6) || !memcmp(m->chaddr, hw2, 6);

	if (addr == FUZZ_RES_HW_IP)
		return !memcmp(m->chaddr, hw1, 6);
	if (addr == FUZZ_IP(10, 77, 0, 101))
		return !memcmp(m->chaddr, hw2, 6);
	if (addr == FUZZ_RES_CID_IP)
		return !by_hw && m->client_id_len == sizeof(cid) &&
		       !memcmp(m->client_id, cid, sizeof(cid));
	return true; /* not a reserved address */
}

/* An OFFER or ACK of r->reply.yiaddr to req_msg's client, before its
 * changes reach the database. */
static void check_grant(const struct engine_result *r)
{
	uint32_t a = r->reply.yiaddr;
	const struct row *row;

	if (r->reply.msg_type == DHCPNAK || !a)
		return; /* INFORM's ACK carries no address */
	FUZZ_CHECK(r->subnet_id != 1 || reserved_for(a, &req_msg));
	row = db_row(r->subnet_id, a);
	if (!row->used)
		return;
	if (row->rec.state == DX_LEASE_ACTIVE &&
	    now <= (row->rec.horizon > row->rec.expires ? row->rec.horizon
							: row->rec.expires))
		FUZZ_CHECK(same_client(&row->rec, &req_msg));
	/*
	 * Probation ends at `expires` itself (deadlines are inclusive) -
	 * or earlier for an OFFER when the pool is dry and reclaim-declined
	 * is on (docs/protocol.md, "Starvation"): that OFFER deletes the
	 * DECLINED row in its own changes. Never an ACK of it.
	 */
	if (row->rec.state == DX_LEASE_DECLINED && now < row->rec.expires) {
		bool deleted = false;

		for (size_t i = 0; i < r->ch.n_ops; i++)
			deleted |= r->ch.ops[i].kind == DX_LEASE_OP_DELETE &&
				   r->ch.ops[i].rec.subnet_id == r->subnet_id &&
				   r->ch.ops[i].rec.addr == a;
		FUZZ_CHECK(r->reply.msg_type == DHCPOFFER && deleted);
	}
}

/*
 * After an ACK's changes: "A client has at most one lease per subnet: if
 * it is granted another address, its previous lease ends in the same
 * commit" (docs/protocol.md); a reservation is not persisted and ends any
 * dynamic lease the client held (ack(), engine_request.c).
 */
/*
 * The same identity, strictly: the same client-id when both have one, the
 * same chaddr when neither has. same_client() is the engine's looser rule
 * (RFC 2131 §4.2 as Kea applies it), under which a request without option
 * 61 "owns" both a chaddr-only lease and a client-id lease of that MAC:
 * two leases that belong to two different clients.
 */
static bool same_identity(const struct dx_lease_rec *r,
			  const struct dhcp_msg *m)
{
	if (!!m->client_id != !!r->client_id_len)
		return false;
	return same_client(r, m);
}

static void check_one_lease(const struct engine_result *r)
{
	uint32_t a = r->reply.yiaddr, s = r->subnet_id;
	size_t n = 0, size = s == 1 ? 256 : 16;
	bool reserved =
		s == 1 && (a == FUZZ_RES_HW_IP || a == FUZZ_RES_CID_IP ||
			   a == FUZZ_IP(10, 77, 0, 101));

	if (r->reply.msg_type != DHCPACK || !a)
		return;
	for (size_t i = 0; i < size; i++) {
		const struct row *row = &db[s][i];

		if (row->used && row->rec.state == DX_LEASE_ACTIVE &&
		    same_identity(&row->rec, &req_msg)) {
			FUZZ_CHECK(!reserved && row->rec.addr == a);
			n++;
		}
	}
	FUZZ_CHECK(n == (reserved ? 0 : 1));
}

static void check_changes(const struct engine_changes *ch)
{
	/* ENGINE_MAX_OPS bounds what one request produces (engine.h); an
	 * overrun would write inside struct engine_result, where ASan does
	 * not look. */
	FUZZ_CHECK(ch->n_ops <= ENGINE_MAX_OPS);
	FUZZ_CHECK(ch->n_map <= ENGINE_MAX_OPS);
	for (size_t i = 0; i < ch->n_map; i++)
		FUZZ_CHECK(ch->map[i].kind == ENGINE_MAP_UPSERT ||
			   ch->map[i].kind == ENGINE_MAP_DELETE);
}

static void check_result(const struct engine_result *r)
{
	switch (r->action) {
	case ENGINE_REPLY:
		FUZZ_CHECK(r->reply.msg_type == DHCPOFFER ||
			   r->reply.msg_type == DHCPACK ||
			   r->reply.msg_type == DHCPNAK);
		FUZZ_CHECK(r->reply.server_id == FUZZ_SERVER_ID);
		break;
	case ENGINE_SILENT:
		break;
	case ENGINE_DROP:
		FUZZ_CHECK(r->drop_reason > ENGINE_DROP_NONE &&
			   r->drop_reason < __ENGINE_DROP_MAX);
		FUZZ_CHECK(engine_drop_reason_name(r->drop_reason) != NULL);
		break;
	default:
		FUZZ_CHECK(!"engine_result.action out of range");
	}
	check_changes(&r->ch);
}

/* What frame_out_build() promises: the headers are consistent and both
 * checksums verify; the reply decodes and answers the request. */
static void check_frame_out(const uint8_t *f, size_t len, uint16_t vlan,
			    size_t dhcp_len, const struct engine_result *r)
{
	size_t l2 = vlan ? 18 : 14;
	const uint8_t *ip = f + l2, *udp = ip + 20;

	FUZZ_CHECK(len == l2 + 20 + 8 + dhcp_len);
	FUZZ_CHECK(inet_csum(ip, 20, 0) == 0);
	FUZZ_CHECK(udp_csum_verify(ip, udp, 8 + dhcp_len) == 0);
	FUZZ_CHECK(dhcp_msg_decode(&reply_msg, udp + 8, dhcp_len) == 0);
	FUZZ_CHECK(reply_msg.op == BOOTREPLY);
	FUZZ_CHECK(reply_msg.xid == req_msg.xid);
	FUZZ_CHECK(reply_msg.msg_type == r->reply.msg_type);
	FUZZ_CHECK(reply_msg.has_server_id &&
		   reply_msg.server_id == r->reply.server_id);
}

/* slowpath.c build_reply(), with its results checked. */
static void build_reply(const struct frame_in *in,
			const struct engine_result *r)
{
	static uint8_t dhcp[REPLY_MAX], out[REPLY_MAX + 64];
	static const uint8_t our_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
	struct frame_out fo = {0};
	size_t dhcp_len = 0, dropped = 0, len = 0, limit;
	int ret;

	ret = dhcp_reply_encode(dhcp, sizeof(dhcp), &r->reply, &req_msg,
				&dhcp_len, &dropped);
	/* -ENOSPC: a huge echoed 61/82 leaves no room (the daemon logs). */
	FUZZ_CHECK(ret == 0 || ret == -ENOSPC);
	if (ret)
		return;
	limit = req_msg.has_max_msg_size ? req_msg.max_msg_size : 576;
	limit = (limit < 576 ? 576 : limit) - DHCP_IP_UDP_OVERHEAD;
	FUZZ_CHECK(dhcp_len >= DHCP_MIN_LEN && dhcp_len <= sizeof(dhcp) &&
		   dhcp_len <= limit);
	FUZZ_CHECK(dropped <= r->reply.n_opts);
	memcpy(fo.src_mac, our_mac, 6);
	fo.src_ip = FUZZ_SERVER_ID;
	fo.vlan = in->vlan;
	frame_out_address(&fo, req_msg.giaddr, req_msg.ciaddr, req_msg.flags,
			  r->reply.yiaddr, req_msg.chaddr, in->src_mac,
			  r->reply.msg_type);
	FUZZ_CHECK(fo.dst_port == DHCP_SERVER_PORT ||
		   fo.dst_port == DHCP_CLIENT_PORT);
	ret = frame_out_build(out, sizeof(out), &fo, dhcp, dhcp_len, &len);
	/* VLAN id 4095 is reserved (802.1Q): refused, nothing sent. */
	if (in->vlan > 4094) {
		FUZZ_CHECK(ret == -EINVAL);
		return;
	}
	FUZZ_CHECK(ret == 0);
	check_frame_out(out, len, in->vlan, dhcp_len, r);
}

static void run_expire(void)
{
	struct dx_lease_op ops[EXPIRE_CAP];
	struct engine_map_op map[EXPIRE_CAP];
	struct engine_batch b = {.ops = ops, .map = map, .cap = EXPIRE_CAP};
	int n;

	n = engine_expire(eng, now, NULL, &b);
	FUZZ_CHECK(n >= 0);
	FUZZ_CHECK(b.n_ops <= EXPIRE_CAP && b.n_map <= EXPIRE_CAP);
	db_apply(ops, b.n_ops);
}

/* The fast path renewed this ACK; the daemon hears of it by an event. */
static void note_renewal(const struct engine_result *r)
{
	struct engine_changes ch;
	struct dx_lease_rec rec;
	int ret;

	ret = engine_note_renewal(eng, r->subnet_id, req_msg.chaddr,
				  r->reply.yiaddr, now,
				  now + r->reply.lease_time, &ch);
	FUZZ_CHECK(ret == 0 || ret == -ENOENT || ret == -EPERM);
	check_changes(&ch);
	db_apply(ch.ops, ch.n_ops);
	ret = engine_lease_lookup(eng, r->subnet_id, r->reply.yiaddr, &rec);
	FUZZ_CHECK(ret == 0 || ret == -ENOENT);
}

static void handle(uint8_t ctl, const struct frame_in *in)
{
	static const uint32_t direct[4] = {0, 1, 2, 0};
	struct engine_rx rx = {
		.served = (ctl & 3) != 3,
		.direct_subnet_id = direct[ctl & 3],
		.server_id = FUZZ_SERVER_ID,
		.unicast = ctl & 4,
	};
	struct engine_result res;

	if (ctl & 8)
		run_expire();
	FUZZ_CHECK(engine_handle(eng, &req_msg, &rx, now, &res) == 0);
	if (verbose)
		fprintf(stderr,
			"now %lld type %u subnet %u: action %d (%s) reply %u "
			"yiaddr %08x ops %zu map %zu\n",
			(long long)now, req_msg.msg_type, res.subnet_id,
			res.action, engine_drop_reason_name(res.drop_reason),
			res.reply.msg_type, res.reply.yiaddr, res.ch.n_ops,
			res.ch.n_map);
	check_result(&res);
	/* Nothing is taken up from a network we do not serve, whatever
	 * giaddr or ciaddr say (docs/design.md §1). */
	FUZZ_CHECK(rx.served || (res.action == ENGINE_DROP && !res.ch.n_ops &&
				 !res.ch.n_map));
	if (res.action == ENGINE_REPLY)
		check_grant(&res);
	db_apply(res.ch.ops, res.ch.n_ops);
	if (res.action != ENGINE_REPLY)
		return;
	check_one_lease(&res);
	build_reply(in, &res);
	if ((ctl & 16) && res.reply.msg_type == DHCPACK && res.reply.yiaddr)
		note_renewal(&res);
}

/* One record: control bytes and a frame. */
static void one_frame(const uint8_t *rec, size_t size)
{
	struct frame_in in;
	uint8_t ctl, step, fix;
	uint8_t *f;
	size_t len;
	int ret;

	if (size < 2)
		return;
	ctl = rec[0];
	step = rec[1];
	fix = ctl >> 5;
	len = size - 2;
	/* An exact-size copy: ASan sees any read past the frame. */
	f = malloc(len ? len : 1);
	if (!f)
		return;
	memcpy(f, rec + 2, len);
	if (fix)
		fix_frame(f, len, fix >= 2);
	if (fix == 7)
		engine_fresh(true);
	now += (int64_t)(step & 63) << (5 * (step >> 6));

	ret = frame_in_parse(f, len, &in);
	if (ret) {
		FUZZ_CHECK(ret > 0 && ret < FRAME_IN_ERR_MAX);
		if (verbose)
			fprintf(stderr, "frame: %s\n", frame_in_strerror(ret));
		goto out;
	}
	FUZZ_CHECK(in.dhcp >= f && in.dhcp_len <= len &&
		   in.dhcp + in.dhcp_len <= f + len);
	ret = dhcp_msg_decode(&req_msg, in.dhcp, in.dhcp_len);
	if (ret) {
		FUZZ_CHECK(ret <= -DHCP_EMSG_SHORT_HEADER &&
			   ret > -__DHCP_EMSG_END);
		if (verbose)
			fprintf(stderr, "dhcp: %s\n", dhcp_msg_strerror(ret));
		goto out;
	}
	handle(ctl, &in);
out:
	free(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size, *next;
	size_t sep = strlen(FUZZ_FRAME_SEP);

	inputs++;
	engine_fresh(fresh);
	if (fresh)
		now = T0;
	for (int n = 0; p < end && n < MAX_RECORDS; n++) {
		next = memmem(p, (size_t)(end - p), FUZZ_FRAME_SEP, sep);
		one_frame(p, next ? (size_t)(next - p) : (size_t)(end - p));
		p = next ? next + sep : end;
	}
	return 0;
}
