// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for the protocol engine (user/engine/engine_*.c): every RFC 2131
 * §4.3 case, address choice order, offer holds, declines, releases,
 * reservations, relays, the durable horizon. Requests are built as wire
 * bytes and decoded with dhcp_msg_decode(), configs with
 * config_load_string().
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "config/config.h"
#include "wire/dhcp_msg.h"
#include "dhcpxdp/abi.h"
#include "engine/engine.h"

#define IP(a, b, c, d)                                                    \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | \
	 (uint32_t)(d))

#define SID  IP(10, 0, 0, 1) /* our address on the link of subnet 1 */
#define T0   1700000000LL    /* "now" at the start of every test */
#define VLT  3600	     /* valid-lifetime */
#define HOLD 60		     /* offer-lifetime */
#define PROB 600	     /* decline-probation-period */

/*
 * Subnet 1: direct, pool .10-.19 with a reservation inside it (.12, mac
 * a1, hostname), one outside it (.200, mac a2, own routers) and one by
 * client-id (.201). Subnet 2: a /16 behind relay 192.168.1.1. Subnet 3:
 * behind relays chosen by prefix.
 */
static const char *base_cfg =
	"{\"Dhcp4\": {"
	" \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"
	" \"valid-lifetime\": 3600, \"renew-timer\": 1800,"
	" \"rebind-timer\": 3150,"
	" \"dhcpxdp\": {\"offer-lifetime\": 60,"
	"   \"decline-probation-period\": 600, \"horizon-factor\": 2},"
	" \"subnet4\": ["
	"  {\"id\": 1, \"subnet\": \"10.0.0.0/24\","
	"   \"pools\": [{\"pool\": \"10.0.0.10 - 10.0.0.19\"}],"
	"   \"option-data\": [{\"name\": \"routers\", \"data\": \"10.0.0.1\"},"
	"     {\"name\": \"domain-name-servers\", \"data\": \"10.0.0.53\"}],"
	"   \"reservations\": ["
	"    {\"hw-address\": \"02:00:00:00:00:a1\","
	"     \"ip-address\": \"10.0.0.12\", \"hostname\": \"inpool\"},"
	"    {\"hw-address\": \"02:00:00:00:00:a2\","
	"     \"ip-address\": \"10.0.0.200\","
	"     \"option-data\": [{\"name\": \"routers\","
	"       \"data\": \"10.0.0.254\"}]},"
	"    {\"client-id\": \"01:02:00:00:00:00:a3\","
	"     \"ip-address\": \"10.0.0.201\"}]},"
	"  {\"id\": 2, \"subnet\": \"10.1.0.0/16\","
	"   \"pools\": [{\"pool\": \"10.1.0.10 - 10.1.255.250\"}],"
	"   \"relay\": {\"ip-addresses\": [\"192.168.1.1\"]}},"
	"  {\"id\": 3, \"subnet\": \"10.2.0.0/24\","
	"   \"pools\": [{\"pool\": \"10.2.0.10 - 10.2.0.20\"}],"
	"   \"relay\": {\"ip-addresses\": [\"192.168.3.3\"]}}"
	" ]}}";

struct fx {
	struct dx_config *cfg;
	struct engine *e;
	struct dhcp_msg *m;
	struct engine_result res;
	struct engine_rx rx;
};

/* One request, as a client would send it. */
struct rq {
	uint8_t type;
	uint8_t mac; /* chaddr 02:00:00:00:00:<mac> */
	uint32_t ciaddr, giaddr;
	uint32_t reqip; /* option 50, 0 = absent */
	uint32_t sid;	/* option 54, 0 = absent */
	const uint8_t *cid;
	size_t cid_len;
	const char *host;
};

static struct fx *fx_new(const char *json)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct config_diag diag;
	int r;

	assert_non_null(f);
	memset(&diag, 0, sizeof(diag));
	r = config_load_string(json, "test", &f->cfg, &diag);
	if (r)
		fprintf(stderr, "config: %s\n", diag.error);
	config_diag_free(&diag);
	assert_int_equal(r, 0);
	assert_int_equal(engine_new(f->cfg, &f->e), 0);
	f->m = malloc(sizeof(*f->m));
	assert_non_null(f->m);
	f->rx.direct_subnet_id = 1;
	f->rx.server_id = SID;
	return f;
}

static int setup(void **state)
{
	*state = fx_new(base_cfg);
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	engine_free(f->e);
	config_free(f->cfg);
	free(f->m);
	free(f);
	return 0;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static size_t opt(uint8_t *p, uint8_t code, size_t len, const void *v)
{
	p[0] = code;
	p[1] = (uint8_t)len;
	memcpy(p + 2, v, len);
	return len + 2;
}

/* Wire bytes for q, decoded into f->m. */
static const struct dhcp_msg *build(struct fx *f, const struct rq *q)
{
	uint8_t b[600], v[4];
	size_t n = DHCP_OPTIONS_OFFSET;

	memset(b, 0, sizeof(b));
	b[DHCP_OFF_OP] = BOOTREQUEST;
	b[DHCP_OFF_HTYPE] = DHCP_HTYPE_ETHER;
	b[DHCP_OFF_HLEN] = DHCP_HLEN_ETHER;
	put32(b + DHCP_OFF_XID, 0x12345678);
	put32(b + DHCP_OFF_CIADDR, q->ciaddr);
	put32(b + DHCP_OFF_GIADDR, q->giaddr);
	b[DHCP_OFF_CHADDR] = 0x02;
	b[DHCP_OFF_CHADDR + 5] = q->mac;
	put32(b + DHCP_OFF_COOKIE, DHCP_MAGIC_COOKIE);
	if (q->type)
		n += opt(b + n, DHCP_OPT_MSG_TYPE, 1, &q->type);
	if (q->reqip) {
		put32(v, q->reqip);
		n += opt(b + n, DHCP_OPT_REQUESTED_IP, 4, v);
	}
	if (q->sid) {
		put32(v, q->sid);
		n += opt(b + n, DHCP_OPT_SERVER_ID, 4, v);
	}
	if (q->cid)
		n += opt(b + n, DHCP_OPT_CLIENT_ID, q->cid_len, q->cid);
	if (q->host)
		n += opt(b + n, DHCP_OPT_HOST_NAME, strlen(q->host), q->host);
	b[n++] = DHCP_OPT_END;
	assert_int_equal(dhcp_msg_decode(f->m, b, n < 300 ? 300 : n), 0);
	return f->m;
}

static int run(struct fx *f, const struct rq *q, int64_t now)
{
	build(f, q);
	assert_int_equal(engine_handle(f->e, f->m, &f->rx, now, &f->res), 0);
	return f->res.action;
}

static uint32_t discover(struct fx *f, uint8_t mac, int64_t now)
{
	struct rq q = {.type = DHCPDISCOVER, .mac = mac};

	if (run(f, &q, now) != ENGINE_REPLY)
		return 0;
	assert_int_equal(f->res.reply.msg_type, DHCPOFFER);
	return f->res.reply.yiaddr;
}

/* SELECTING: the REQUEST after an OFFER from us. */
static int select_addr(struct fx *f, uint8_t mac, uint32_t a, int64_t now)
{
	struct rq q = {.type = DHCPREQUEST, .mac = mac, .reqip = a, .sid = SID};

	if (run(f, &q, now) != ENGINE_REPLY)
		return 0;
	return f->res.reply.msg_type;
}

/* DISCOVER + REQUEST; the ACKed address. */
static uint32_t lease(struct fx *f, uint8_t mac, int64_t now)
{
	uint32_t a = discover(f, mac, now);

	assert_int_not_equal(a, 0);
	assert_int_equal(select_addr(f, mac, a, now), DHCPACK);
	assert_int_equal(f->res.reply.yiaddr, a);
	return a;
}

static struct engine_subnet_stats stats(struct fx *f, size_t i)
{
	struct engine_subnet_stats st;

	assert_int_equal(engine_subnet_stats(f->e, i, &st), 0);
	return st;
}

static const struct dhcp_opt *find_opt(const struct dhcp_reply *r, uint8_t code)
{
	for (size_t i = 0; i < r->n_opts; i++)
		if (r->opts[i].code == code)
			return &r->opts[i];
	return NULL;
}

/* Run expiry with room for 64 changes; returns entries processed. */
static int expire(struct fx *f, int64_t now, struct dx_lease_op *ops,
		  struct engine_map_op *map, size_t *n_ops, size_t *n_map)
{
	static struct dx_lease_op o[64];
	static struct engine_map_op m[64];
	struct engine_batch b = {
		.ops = ops ? ops : o, .map = map ? map : m, .cap = 64};
	int n = engine_expire(f->e, now, &b);

	assert_true(n >= 0);
	if (n_ops)
		*n_ops = b.n_ops;
	if (n_map)
		*n_map = b.n_map;
	return n;
}

/* ---- construction ---- */

static void test_new_rejects_bad_args(void **state)
{
	struct fx *f = *state;
	struct engine *e;
	struct engine_result res;

	assert_int_equal(engine_new(NULL, &e), -EINVAL);
	assert_int_equal(engine_new(f->cfg, NULL), -EINVAL);
	assert_int_equal(engine_handle(f->e, NULL, &f->rx, T0, &res), -EINVAL);
	f->rx.server_id = 0; /* the encoder needs a server identifier */
	build(f, &(struct rq){.type = DHCPDISCOVER, .mac = 1});
	assert_int_equal(engine_handle(f->e, f->m, &f->rx, T0, &res), -EINVAL);
}

static void test_reservations_excluded_from_pool(void **state)
{
	struct engine_subnet_stats st = stats(*state, 0);

	assert_int_equal(st.subnet_id, 1);
	assert_int_equal(st.total, 10);
	assert_int_equal(st.reserved, 1); /* .12; .200/.201 are outside */
	assert_int_equal(st.free, 9);
}

/* ---- DISCOVER (§4.3.1) ---- */

static void test_discover_offers_next_free(void **state)
{
	struct fx *f = *state;

	assert_int_equal(discover(f, 1, T0), IP(10, 0, 0, 10));
	assert_int_equal(f->res.subnet_id, 1);
	assert_int_equal(f->res.reply.server_id, SID);
	assert_int_equal(f->res.reply.lease_time, VLT);
	assert_int_equal(f->res.reply.t1, 1800);
	assert_int_equal(f->res.reply.t2, 3150);
	/* An offer promises nothing: nothing to commit (docs/design.md §2). */
	assert_int_equal(f->res.ch.n_ops, 0);
	assert_int_equal(f->res.ch.n_map, 0);
	assert_int_equal(stats(f, 0).offers, 1);
}

static void test_offer_carries_subnet_options(void **state)
{
	struct fx *f = *state;
	const struct dhcp_opt *o;
	static const uint8_t mask[4] = {255, 255, 255, 0};

	discover(f, 1, T0);
	o = find_opt(&f->res.reply, DHCP_OPT_ROUTER);
	assert_non_null(o);
	assert_int_equal(o->len, 4);
	assert_int_equal(o->data[3], 1);
	o = find_opt(&f->res.reply, DHCP_OPT_SUBNET_MASK);
	assert_non_null(o);
	assert_memory_equal(o->data, mask, 4);
	assert_non_null(find_opt(&f->res.reply, DHCP_OPT_DNS_SERVERS));
}

static void test_offer_encodes(void **state)
{
	struct fx *f = *state;
	uint8_t buf[1500];
	size_t len = 0, dropped = 9;

	discover(f, 1, T0);
	assert_int_equal(dhcp_reply_encode(buf, sizeof(buf), &f->res.reply,
					   f->m, &len, &dropped),
			 0);
	assert_true(len >= DHCP_MIN_LEN);
	assert_int_equal(dropped, 0);
	assert_int_equal(buf[DHCP_OFF_YIADDR + 3], 10);
}

static void test_discover_reservation_in_pool(void **state)
{
	struct fx *f = *state;
	const struct dhcp_opt *o;

	assert_int_equal(discover(f, 0xa1, T0), IP(10, 0, 0, 12));
	o = find_opt(&f->res.reply, DHCP_OPT_HOST_NAME);
	assert_non_null(o);
	assert_int_equal(o->len, 6);
	assert_memory_equal(o->data, "inpool", 6);
}

static void test_discover_reservation_out_of_pool_overrides(void **state)
{
	struct fx *f = *state;
	const struct dhcp_opt *o;

	assert_int_equal(discover(f, 0xa2, T0), IP(10, 0, 0, 200));
	o = find_opt(&f->res.reply, DHCP_OPT_ROUTER);
	assert_non_null(o);
	assert_int_equal(o->data[3], 254); /* the reservation's, not .1 */
	assert_non_null(find_opt(&f->res.reply, DHCP_OPT_DNS_SERVERS));
	/* The reserved client's dynamic pool is untouched. */
	assert_int_equal(stats(f, 0).used, 0);
}

static const uint8_t cid_a3[] = {0x01, 0x02, 0, 0, 0, 0, 0xa3};

static void test_reservation_by_client_id(void **state)
{
	struct fx *f = *state;
	struct rq q = {.type = DHCPDISCOVER,
		       .mac = 0x55,
		       .cid = cid_a3,
		       .cid_len = sizeof(cid_a3)};

	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.yiaddr, IP(10, 0, 0, 201));
	q.type = DHCPREQUEST;
	q.reqip = IP(10, 0, 0, 201);
	q.sid = SID;
	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.reply.yiaddr, IP(10, 0, 0, 201));
	/* The same MAC without that client-id is another client. */
	assert_int_equal(discover(f, 0x55, T0), IP(10, 0, 0, 10));
}

static void test_reserved_address_never_given_to_others(void **state)
{
	struct fx *f = *state;
	struct rq q = {.type = DHCPDISCOVER, .reqip = IP(10, 0, 0, 12)};

	/* Asking for it in DISCOVER does not get it... */
	q.mac = 1;
	run(f, &q, T0);
	assert_int_not_equal(f->res.reply.yiaddr, IP(10, 0, 0, 12));
	/* ...nor in REQUEST (INIT-REBOOT / SELECTING / RENEWING). */
	assert_int_equal(select_addr(f, 2, IP(10, 0, 0, 12), T0), DHCPNAK);
	assert_int_equal(select_addr(f, 2, IP(10, 0, 0, 201), T0), DHCPNAK);
	q = (struct rq){
		.type = DHCPREQUEST, .mac = 3, .ciaddr = IP(10, 0, 0, 200)};
	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPNAK);
	/* ...nor when the pool runs dry: 9 dynamic addresses, then none. */
	for (uint8_t m = 10; m < 18; m++)
		assert_int_not_equal(lease(f, m, T0), IP(10, 0, 0, 12));
	assert_int_equal(discover(f, 30, T0), 0);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_POOL_EXHAUSTED);
}

static void test_discover_current_lease_first(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	struct rq q = {
		.type = DHCPDISCOVER, .mac = 1, .reqip = IP(10, 0, 0, 17)};

	assert_int_equal(run(f, &q, T0 + 10), ENGINE_REPLY);
	assert_int_equal(f->res.reply.yiaddr, a);
	/* No second address held for it. */
	assert_int_equal(stats(f, 0).used, 1);
}

static void test_discover_requested_address(void **state)
{
	struct fx *f = *state;
	struct rq q = {
		.type = DHCPDISCOVER, .mac = 1, .reqip = IP(10, 0, 0, 15)};

	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.yiaddr, IP(10, 0, 0, 15));
}

static void test_discover_requested_taken_or_foreign(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	struct rq q = {.type = DHCPDISCOVER, .mac = 2, .reqip = a};

	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_not_equal(f->res.reply.yiaddr, a);
	/* Outside the pool, or in another subnet: next free instead. */
	q.mac = 3;
	q.reqip = IP(10, 0, 0, 100);
	run(f, &q, T0);
	assert_true(f->res.reply.yiaddr >= IP(10, 0, 0, 10) &&
		    f->res.reply.yiaddr <= IP(10, 0, 0, 19));
	q.mac = 4;
	q.reqip = IP(10, 1, 0, 20);
	run(f, &q, T0);
	assert_int_not_equal(f->res.reply.yiaddr, IP(10, 1, 0, 20));
}

static void test_discover_reservation_beats_current_lease(void **state)
{
	struct fx *f = *state;
	struct dx_lease_rec rec = {.subnet_id = 1,
				   .addr = IP(10, 0, 0, 11),
				   .mac = {2, 0, 0, 0, 0, 0xa1},
				   .state = DX_LEASE_ACTIVE,
				   .expires = T0 + 100,
				   .horizon = T0 + 200};

	assert_int_equal(engine_load_lease(f->e, &rec, T0, NULL), 0);
	assert_int_equal(discover(f, 0xa1, T0), IP(10, 0, 0, 12));
	/* Its ACK ends the old dynamic lease (one lease per client). */
	assert_int_equal(select_addr(f, 0xa1, IP(10, 0, 0, 12), T0), DHCPACK);
	assert_int_equal(f->res.ch.n_ops, 1);
	assert_int_equal(f->res.ch.ops[0].rec.addr, IP(10, 0, 0, 11));
	assert_int_equal(f->res.ch.ops[0].rec.state, DX_LEASE_EXPIRED);
	assert_int_equal(f->res.ch.n_map, 1);
	assert_int_equal(f->res.ch.map[0].kind, ENGINE_MAP_DELETE);
	assert_int_equal(f->res.ch.map[0].addr, IP(10, 0, 0, 11));
}

static void test_sticky_after_release(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	struct rq q = {.type = DHCPRELEASE, .mac = 1, .ciaddr = a, .sid = SID};

	assert_int_equal(run(f, &q, T0 + 5), ENGINE_SILENT);
	/* Another client does not get it (next-fit moves on)... */
	assert_int_not_equal(lease(f, 2, T0 + 6), a);
	/* ...and the first gets its previous address back. */
	assert_int_equal(discover(f, 1, T0 + 7), a);
}

static void test_sticky_after_expiry(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	int64_t later = T0 + 2 * VLT + 1;
	size_t n_ops;

	assert_int_equal(expire(f, later, NULL, NULL, &n_ops, NULL), 1);
	assert_int_equal(n_ops, 1);
	assert_int_equal(stats(f, 0).used, 0);
	lease(f, 2, later);
	assert_int_equal(discover(f, 1, later), a);
}

static void test_sticky_address_taken_by_other(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	struct rq q = {.type = DHCPRELEASE, .mac = 1, .ciaddr = a};

	run(f, &q, T0);
	/* Client 2 asks for it explicitly and gets it. */
	q = (struct rq){.type = DHCPDISCOVER, .mac = 2, .reqip = a};
	run(f, &q, T0);
	assert_int_equal(f->res.reply.yiaddr, a);
	assert_int_equal(select_addr(f, 2, a, T0), DHCPACK);
	/* Client 1 then gets another address. */
	assert_int_not_equal(discover(f, 1, T0), a);
}

/* ---- offer hold ---- */

static void test_offer_hold_two_clients(void **state)
{
	struct fx *f = *state;
	uint32_t a = discover(f, 1, T0), b = discover(f, 2, T0);

	assert_int_not_equal(a, 0);
	assert_int_not_equal(b, 0);
	assert_int_not_equal(a, b);
	assert_int_equal(stats(f, 0).used, 2);
	/* Client 2 cannot take client 1's held address either. */
	assert_int_equal(select_addr(f, 2, a, T0), DHCPNAK);
}

static void test_offer_retransmit_same_address(void **state)
{
	struct fx *f = *state;
	uint32_t a = discover(f, 1, T0);

	assert_int_equal(discover(f, 1, T0 + 3), a);
	assert_int_equal(stats(f, 0).used, 1);
}

static void test_offer_expires_frees_address(void **state)
{
	struct fx *f = *state;
	uint32_t a = discover(f, 1, T0);
	size_t n_ops;

	assert_int_equal(engine_next_deadline(f->e), T0 + HOLD);
	/* Not before the hold ends. */
	assert_int_equal(expire(f, T0 + HOLD, NULL, NULL, NULL, NULL), 0);
	assert_int_equal(stats(f, 0).used, 1);
	assert_int_equal(expire(f, T0 + HOLD + 1, NULL, NULL, &n_ops, NULL), 1);
	assert_int_equal(n_ops, 0); /* nothing was persisted */
	assert_int_equal(stats(f, 0).used, 0);
	assert_int_equal(engine_next_deadline(f->e), INT64_MAX);
	/* The address is free for anyone now. */
	struct rq q = {.type = DHCPDISCOVER, .mac = 2, .reqip = a};
	run(f, &q, T0 + HOLD + 2);
	assert_int_equal(f->res.reply.yiaddr, a);
}

/* ---- REQUEST (§4.3.2) ---- */

static void test_selecting_ack_commits_lease(void **state)
{
	struct fx *f = *state;
	static const uint8_t cid[] = {0x01, 2, 0, 0, 0, 0, 1};
	struct rq q = {.type = DHCPDISCOVER,
		       .mac = 1,
		       .cid = cid,
		       .cid_len = sizeof(cid),
		       .host = "box"};
	const struct dx_lease_rec *rec;
	const struct engine_map_op *m;
	uint64_t cid_hash = DX_FNV64_OFFSET; /* as XDP hashes option 61 */
	uint32_t a;

	for (size_t i = 0; i < sizeof(cid); i++)
		cid_hash = dx_fnv64_step(cid_hash, cid[i]);
	run(f, &q, T0);
	a = f->res.reply.yiaddr;
	q.type = DHCPREQUEST;
	q.reqip = a;
	q.sid = SID;
	assert_int_equal(run(f, &q, T0 + 1), ENGINE_REPLY);
	assert_int_equal(f->res.req_state, ENGINE_REQ_SELECTING);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.reply.yiaddr, a);
	assert_int_equal(f->res.reply.lease_time, VLT);
	assert_int_equal(f->res.ch.n_ops, 1);
	assert_int_equal(f->res.ch.ops[0].kind, DX_LEASE_OP_UPSERT);
	rec = &f->res.ch.ops[0].rec;
	assert_int_equal(rec->subnet_id, 1);
	assert_int_equal(rec->addr, a);
	assert_int_equal(rec->state, DX_LEASE_ACTIVE);
	assert_int_equal(rec->mac[5], 1);
	assert_int_equal(rec->client_id_len, sizeof(cid));
	assert_memory_equal(rec->client_id, cid, sizeof(cid));
	assert_string_equal(rec->hostname, "box");
	assert_int_equal(rec->expires, T0 + 1 + VLT);
	assert_int_equal(rec->horizon, T0 + 1 + 2 * VLT);
	assert_int_equal(rec->last_seen, T0 + 1);
	assert_int_equal(f->res.ch.n_map, 1);
	m = &f->res.ch.map[0];
	assert_int_equal(m->kind, ENGINE_MAP_UPSERT);
	assert_int_equal(m->subnet_id, 1);
	assert_int_equal(m->mac[5], 1);
	assert_int_equal(m->addr, a);
	assert_int_equal(m->flags, DX_LEASE_F_DYNAMIC);
	assert_int_equal(m->horizon, T0 + 1 + 2 * VLT);
	assert_int_equal(m->client_id_hash, cid_hash);
	assert_int_not_equal(m->client_id_hash, 0);
	assert_int_equal(stats(f, 0).acks, 1);
	assert_int_equal(stats(f, 0).leases_active, 1);
}

/* The lease map's client-id hash: FNV-1a 64, 0 for a lease without one. */
static void test_client_id_hash_is_fnv1a(void **state)
{
	struct fx *f = *state;
	struct dx_lease_rec rec = {.subnet_id = 1,
				   .addr = IP(10, 0, 0, 15),
				   .mac = {2, 0, 0, 0, 0, 7},
				   .state = DX_LEASE_ACTIVE,
				   .client_id_len = 1,
				   .client_id = {'a'},
				   .expires = T0 + 100,
				   .horizon = T0 + 500};
	struct engine_map_op m;

	assert_int_equal(engine_load_lease(f->e, &rec, T0, &m), 0);
	assert_int_equal(m.kind, ENGINE_MAP_UPSERT);
	/* FNV-1a 64 of "a" (reference value). */
	assert_true(m.client_id_hash == 0xaf63dc4c8601ec8cULL);
	rec.addr = IP(10, 0, 0, 16);
	rec.mac[5] = 8;
	rec.client_id_len = 0;
	assert_int_equal(engine_load_lease(f->e, &rec, T0, &m), 0);
	assert_int_equal(m.kind, ENGINE_MAP_UPSERT);
	assert_true(m.client_id_hash == 0);
}

static void test_selecting_other_server_silent(void **state)
{
	struct fx *f = *state;
	uint32_t a = discover(f, 1, T0);
	struct rq q = {.type = DHCPREQUEST,
		       .mac = 1,
		       .reqip = a,
		       .sid = IP(10, 0, 0, 2)};

	assert_int_equal(run(f, &q, T0 + 1), ENGINE_DROP);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_NOT_FOR_US);
	assert_int_equal(f->res.ch.n_ops, 0);
	/* §3.1 step 4: that was a decline of our offer; the hold is gone. */
	assert_int_equal(stats(f, 0).used, 0);
	assert_int_equal(engine_drops(f->e, ENGINE_DROP_NOT_FOR_US), 1);
}

static void test_selecting_address_of_other_nak(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);

	assert_int_equal(select_addr(f, 2, a, T0), DHCPNAK);
	assert_int_equal(f->res.reply.yiaddr, 0);
	assert_int_equal(f->res.ch.n_ops, 0);
	assert_non_null(f->res.reply.message);
	assert_int_equal(stats(f, 0).naks, 1);
}

static void test_selecting_without_offer_free_address(void **state)
{
	struct fx *f = *state;

	/* After a daemon restart the offer is gone; a free pool address
	 * is still granted. */
	assert_int_equal(select_addr(f, 1, IP(10, 0, 0, 18), T0), DHCPACK);
	assert_int_equal(f->res.reply.yiaddr, IP(10, 0, 0, 18));
}

static void test_init_reboot_ack(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	struct rq q = {.type = DHCPREQUEST, .mac = 1, .reqip = a};

	assert_int_equal(run(f, &q, T0 + 100), ENGINE_REPLY);
	assert_int_equal(f->res.req_state, ENGINE_REQ_INIT_REBOOT);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.reply.yiaddr, a);
	assert_int_equal(f->res.ch.ops[0].rec.expires, T0 + 100 + VLT);
}

static void test_init_reboot_wrong_network_nak(void **state)
{
	struct fx *f = *state;
	struct rq q = {
		.type = DHCPREQUEST, .mac = 1, .reqip = IP(192, 168, 7, 7)};

	/* Even for a client we never saw (§4.3.2 "on the wrong network"). */
	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.req_state, ENGINE_REQ_INIT_REBOOT);
	assert_int_equal(f->res.reply.msg_type, DHCPNAK);
	assert_string_equal(f->res.reply.message, "wrong network");
}

static void test_init_reboot_unknown_client_silent(void **state)
{
	struct fx *f = *state;
	struct rq q = {
		.type = DHCPREQUEST, .mac = 1, .reqip = IP(10, 0, 0, 14)};

	assert_int_equal(run(f, &q, T0), ENGINE_DROP);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_UNKNOWN_CLIENT);
	assert_int_equal(stats(f, 0).used, 0);
}

static void test_init_reboot_known_client_free_address_ack(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	struct rq q = {.type = DHCPRELEASE, .mac = 1, .ciaddr = a};

	/* A RELEASED row is a record of the client (its sticky address). */
	run(f, &q, T0);
	q = (struct rq){.type = DHCPREQUEST, .mac = 1, .reqip = a};
	assert_int_equal(run(f, &q, T0 + 10), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.ch.ops[0].rec.state, DX_LEASE_ACTIVE);
	assert_int_equal(stats(f, 0).leases_active, 1);
}

static void test_init_reboot_other_address_nak(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	struct rq q = {.type = DHCPREQUEST,
		       .mac = 1,
		       .reqip = a == IP(10, 0, 0, 15) ? IP(10, 0, 0, 16)
						      : IP(10, 0, 0, 15)};

	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPNAK);
	/* Its lease is untouched. */
	assert_int_equal(stats(f, 0).leases_active, 1);
}

static void test_init_reboot_reservation_ack(void **state)
{
	struct fx *f = *state;
	struct rq q = {
		.type = DHCPREQUEST, .mac = 0xa2, .reqip = IP(10, 0, 0, 200)};

	/* A reservation is a record (no lease needed). */
	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.reply.yiaddr, IP(10, 0, 0, 200));
	/* Reservations are not persisted: the config is the truth. */
	assert_int_equal(f->res.ch.n_ops, 0);
	/* Its reservation only. */
	q.reqip = IP(10, 0, 0, 15);
	run(f, &q, T0);
	assert_int_equal(f->res.reply.msg_type, DHCPNAK);
}

static void test_renewing_ack_extends(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	struct rq q = {.type = DHCPREQUEST, .mac = 1, .ciaddr = a};
	int64_t t = T0 + VLT / 2;

	assert_int_equal(run(f, &q, t), ENGINE_REPLY);
	assert_int_equal(f->res.req_state, ENGINE_REQ_RENEWING);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.reply.yiaddr, a);
	assert_int_equal(f->res.ch.n_ops, 1);
	assert_int_equal(f->res.ch.ops[0].rec.expires, t + VLT);
	assert_int_equal(f->res.ch.ops[0].rec.horizon, t + 2 * VLT);
	assert_int_equal(f->res.ch.map[0].horizon, t + 2 * VLT);
	assert_int_equal(stats(f, 0).leases_active, 1);
	assert_int_equal(stats(f, 0).used, 1);
}

static void test_renewing_others_address_nak(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	struct rq q = {.type = DHCPREQUEST, .mac = 2, .ciaddr = a};

	assert_int_equal(run(f, &q, T0 + 10), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPNAK);
	/* Client 1's lease is untouched. */
	q.mac = 1;
	run(f, &q, T0 + 11);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
}

static void test_renewing_wrong_address_of_own_nak(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	struct rq q = {.type = DHCPREQUEST, .mac = 1, .ciaddr = a + 5};

	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPNAK);
}

static void test_rebinding_lost_lease_free_address_ack(void **state)
{
	struct fx *f = *state;
	struct rq q = {
		.type = DHCPREQUEST, .mac = 1, .ciaddr = IP(10, 0, 0, 17)};

	/* Unknown lease, address free in the pool: granted (as Kea). */
	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.ch.ops[0].rec.addr, IP(10, 0, 0, 17));
	/* Not in a pool: NAK ("knows the lease is invalid"). */
	q.mac = 2;
	q.ciaddr = IP(10, 0, 0, 100);
	run(f, &q, T0);
	assert_int_equal(f->res.reply.msg_type, DHCPNAK);
}

static void test_renewing_wrong_network_nak(void **state)
{
	struct fx *f = *state;
	struct rq q = {
		.type = DHCPREQUEST, .mac = 1, .ciaddr = IP(10, 2, 0, 15)};

	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPNAK);
	assert_string_equal(f->res.reply.message, "wrong network");
}

static void test_request_without_address_dropped(void **state)
{
	struct fx *f = *state;
	struct rq q = {.type = DHCPREQUEST, .mac = 1};

	assert_int_equal(run(f, &q, T0), ENGINE_DROP);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_MALFORMED);
}

static void test_ack_to_new_address_ends_old_lease(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	uint32_t b = IP(10, 0, 0, 19);

	/* SELECTING another (free) address: granted, old lease ends. */
	assert_int_equal(select_addr(f, 1, b, T0 + 1), DHCPACK);
	assert_int_equal(f->res.ch.n_ops, 2);
	assert_int_equal(f->res.ch.ops[0].rec.addr, a);
	assert_int_equal(f->res.ch.ops[0].rec.state, DX_LEASE_EXPIRED);
	assert_int_equal(f->res.ch.ops[1].rec.addr, b);
	assert_int_equal(f->res.ch.ops[1].rec.state, DX_LEASE_ACTIVE);
	/* Map: the conditional delete of the old, then the new. */
	assert_int_equal(f->res.ch.map[0].kind, ENGINE_MAP_DELETE);
	assert_int_equal(f->res.ch.map[1].kind, ENGINE_MAP_UPSERT);
	assert_int_equal(stats(f, 0).used, 1);
	assert_int_equal(stats(f, 0).leases_active, 1);
}

/* ---- DECLINE (§4.3.3) ---- */

static void test_decline_probation(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	struct rq q = {.type = DHCPDECLINE, .mac = 1, .reqip = a, .sid = SID};
	struct dx_lease_op ops[64];
	size_t n_ops;

	assert_int_equal(run(f, &q, T0 + 1), ENGINE_SILENT);
	assert_int_equal(f->res.ch.n_ops, 1);
	assert_int_equal(f->res.ch.ops[0].rec.state, DX_LEASE_DECLINED);
	assert_int_equal(f->res.ch.ops[0].rec.expires, T0 + 1 + PROB);
	assert_int_equal(f->res.ch.n_map, 1);
	assert_int_equal(f->res.ch.map[0].kind, ENGINE_MAP_DELETE);
	assert_int_equal(stats(f, 0).declined, 1);
	assert_int_equal(stats(f, 0).declines, 1);
	/* Not offered to anyone during probation, even when asked for. */
	for (uint8_t m = 2; m < 10; m++) {
		struct rq d = {.type = DHCPDISCOVER, .mac = m, .reqip = a};

		run(f, &d, T0 + 2);
		assert_int_not_equal(f->res.reply.yiaddr, a);
	}
	assert_int_equal(discover(f, 1, T0 + 2), 0); /* 8 held + declined */
	/* Probation ends: the row goes and the address is free again. */
	assert_int_equal(expire(f, T0 + 1 + PROB + 1, ops, NULL, &n_ops, NULL),
			 9);
	assert_int_equal(n_ops, 1);
	assert_int_equal(ops[0].kind, DX_LEASE_OP_DELETE);
	assert_int_equal(ops[0].rec.addr, a);
	assert_int_equal(stats(f, 0).declined, 0);
	q = (struct rq){.type = DHCPDISCOVER, .mac = 2, .reqip = a};
	run(f, &q, T0 + PROB + 3);
	assert_int_equal(f->res.reply.yiaddr, a);
}

static void test_decline_not_owner_ignored(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	struct rq q = {.type = DHCPDECLINE, .mac = 2, .reqip = a};

	assert_int_equal(run(f, &q, T0), ENGINE_DROP);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_NO_LEASE);
	assert_int_equal(f->res.ch.n_ops, 0);
	assert_int_equal(stats(f, 0).declined, 0);
	/* Another server's identifier: not ours to act on. */
	q.mac = 1;
	q.sid = IP(10, 0, 0, 2);
	assert_int_equal(run(f, &q, T0), ENGINE_DROP);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_NOT_FOR_US);
	assert_int_equal(stats(f, 0).declined, 0);
}

/* ---- RELEASE (§4.3.4) ---- */

static void test_release_frees_keeps_row(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	struct rq q = {.type = DHCPRELEASE, .mac = 1, .ciaddr = a};

	assert_int_equal(run(f, &q, T0 + 60), ENGINE_SILENT);
	assert_int_equal(f->res.ch.n_ops, 1);
	assert_int_equal(f->res.ch.ops[0].kind, DX_LEASE_OP_UPSERT);
	assert_int_equal(f->res.ch.ops[0].rec.state, DX_LEASE_RELEASED);
	assert_int_equal(f->res.ch.ops[0].rec.mac[5], 1);
	assert_int_equal(f->res.ch.n_map, 1);
	assert_int_equal(f->res.ch.map[0].kind, ENGINE_MAP_DELETE);
	assert_int_equal(f->res.ch.map[0].addr, a);
	assert_int_equal(stats(f, 0).used, 0);
	assert_int_equal(stats(f, 0).releases, 1);
	assert_int_equal(stats(f, 0).leases_active, 0);
	/* Nothing left to expire. */
	assert_int_equal(engine_next_deadline(f->e), INT64_MAX);
}

static void test_release_by_other_client_ignored(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	struct rq q = {.type = DHCPRELEASE, .mac = 2, .ciaddr = a};

	assert_int_equal(run(f, &q, T0), ENGINE_DROP);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_NO_LEASE);
	assert_int_equal(stats(f, 0).used, 1);
	assert_int_equal(stats(f, 0).leases_active, 1);
}

/* ---- INFORM (§4.3.5) ---- */

static void test_inform(void **state)
{
	struct fx *f = *state;
	struct rq q = {
		.type = DHCPINFORM, .mac = 1, .ciaddr = IP(10, 0, 0, 100)};
	uint8_t buf[1500];
	size_t len;

	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.reply.yiaddr, 0);
	assert_int_equal(f->res.reply.lease_time, 0);
	assert_int_equal(f->res.reply.t1, 0);
	assert_int_equal(f->res.reply.t2, 0);
	assert_non_null(find_opt(&f->res.reply, DHCP_OPT_ROUTER));
	assert_int_equal(f->res.ch.n_ops, 0);
	assert_int_equal(stats(f, 0).informs, 1);
	assert_int_equal(stats(f, 0).used, 0);
	/* On the wire: ciaddr echoed, no option 51. */
	assert_int_equal(dhcp_reply_encode(buf, sizeof(buf), &f->res.reply,
					   f->m, &len, NULL),
			 0);
	assert_int_equal(buf[DHCP_OFF_CIADDR + 3], 100);
	for (size_t i = DHCP_OPTIONS_OFFSET; i < len && buf[i] != 255;
	     i += 2 + buf[i + 1])
		assert_int_not_equal(buf[i], DHCP_OPT_LEASE_TIME);
	/* No ciaddr and no relay: nowhere to answer. */
	q.ciaddr = 0;
	assert_int_equal(run(f, &q, T0), ENGINE_DROP);
}

/* ---- pool exhaustion ---- */

static void test_pool_exhausted_counted(void **state)
{
	struct fx *f = *state;

	for (uint8_t m = 1; m <= 9; m++)
		assert_int_not_equal(discover(f, m, T0), 0);
	assert_int_equal(discover(f, 10, T0), 0);
	assert_int_equal(f->res.action, ENGINE_DROP);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_POOL_EXHAUSTED);
	assert_int_equal(stats(f, 0).pool_exhausted, 1);
	assert_int_equal(engine_drops(f->e, ENGINE_DROP_POOL_EXHAUSTED), 1);
	assert_string_equal(engine_drop_reason_name(ENGINE_DROP_POOL_EXHAUSTED),
			    "pool-exhausted");
	/* Reservations are still served. */
	assert_int_equal(discover(f, 0xa1, T0), IP(10, 0, 0, 12));
}

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_slash8_pool(void **state)
{
	struct fx *f;
	double t;

	(void)state;
	t = mono();
	f = fx_new("{\"Dhcp4\": {"
		   " \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"
		   " \"subnet4\": [{\"id\": 7, \"subnet\": \"10.0.0.0/8\","
		   "  \"pools\": [{\"pool\": \"10.0.0.1 - 10.255.255.254\"}]}]"
		   "}}");
	t = mono() - t;
	assert_true(t < 2.0);
	f->rx.direct_subnet_id = 7;
	assert_int_equal(stats(f, 0).total, 16777214);
	/* Our own address (the server id, 10.0.0.1) is never leased. */
	for (uint8_t m = 1; m <= 5; m++)
		assert_int_equal(lease(f, m, T0), IP(10, 0, 0, 2) + m - 1);
	assert_int_equal(stats(f, 0).reserved, 1);
	assert_int_equal(stats(f, 0).used, 5);
	teardown((void **)&f);
}

/* ---- subnet selection (docs/design.md §1) ---- */

static void test_relay_by_ip_address(void **state)
{
	struct fx *f = *state;
	struct rq q = {
		.type = DHCPDISCOVER, .mac = 1, .giaddr = IP(192, 168, 1, 1)};

	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.subnet_id, 2);
	assert_int_equal(f->res.reply.yiaddr, IP(10, 1, 0, 10));
}

static void test_relay_by_prefix(void **state)
{
	struct fx *f = *state;
	struct rq q = {
		.type = DHCPDISCOVER, .mac = 1, .giaddr = IP(10, 2, 0, 1)};

	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.subnet_id, 3);
	assert_int_equal(f->res.reply.yiaddr, IP(10, 2, 0, 10));
	/* The relay list is looked at first: .3.3 is subnet 3's relay. */
	q.giaddr = IP(192, 168, 3, 3);
	q.mac = 2;
	run(f, &q, T0);
	assert_int_equal(f->res.subnet_id, 3);
}

static void test_unicast_renewal_from_behind_relay(void **state)
{
	struct fx *f = *state;
	struct rq q = {
		.type = DHCPDISCOVER, .mac = 1, .giaddr = IP(192, 168, 1, 1)};
	uint32_t a;

	run(f, &q, T0);
	a = f->res.reply.yiaddr;
	q.type = DHCPREQUEST;
	q.reqip = a;
	q.sid = SID;
	run(f, &q, T0);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	/* RENEWING: unicast straight to us, no giaddr; it arrives on the
	 * link of subnet 1 but belongs to subnet 2 (by ciaddr). */
	q = (struct rq){.type = DHCPREQUEST, .mac = 1, .ciaddr = a};
	f->rx.unicast = true;
	assert_int_equal(run(f, &q, T0 + 1800), ENGINE_REPLY);
	assert_int_equal(f->res.subnet_id, 2);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.reply.yiaddr, a);
	/* The same as a broadcast (REBINDING) on subnet 1's link: the
	 * client is on the wrong network. */
	f->rx.unicast = false;
	assert_int_equal(run(f, &q, T0 + 3200), ENGINE_REPLY);
	assert_int_equal(f->res.subnet_id, 1);
	assert_int_equal(f->res.reply.msg_type, DHCPNAK);
	/* RELEASE is unicast too. */
	q.type = DHCPRELEASE;
	f->rx.unicast = true;
	assert_int_equal(run(f, &q, T0 + 3300), ENGINE_SILENT);
	assert_int_equal(stats(f, 1).releases, 1);
}

static void test_unknown_relay_dropped(void **state)
{
	struct fx *f = *state;
	struct rq q = {
		.type = DHCPDISCOVER, .mac = 1, .giaddr = IP(172, 16, 0, 1)};

	assert_int_equal(run(f, &q, T0), ENGINE_DROP);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_NO_SUBNET);
	assert_int_equal(engine_drops(f->e, ENGINE_DROP_NO_SUBNET), 1);
}

static void test_no_direct_subnet_dropped(void **state)
{
	struct fx *f = *state;

	f->rx.direct_subnet_id = 0;
	assert_int_equal(discover(f, 1, T0), 0);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_NO_SUBNET);
	f->rx.direct_subnet_id = 99; /* not configured */
	assert_int_equal(discover(f, 1, T0), 0);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_NO_SUBNET);
}

static void test_not_a_usable_request_dropped(void **state)
{
	struct fx *f = *state;
	struct rq q = {.type = 0, .mac = 1}; /* BOOTP */

	assert_int_equal(run(f, &q, T0), ENGINE_DROP);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_UNSUPPORTED);
	q.type = DHCPOFFER; /* a server message */
	assert_int_equal(run(f, &q, T0), ENGINE_DROP);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_MALFORMED);
	q.type = DHCPDISCOVER;
	build(f, &q);
	f->m->hlen = 8; /* not Ethernet: no lease-map key */
	assert_int_equal(engine_handle(f->e, f->m, &f->rx, T0, &f->res), 0);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_MALFORMED);
}

/* ---- the durable horizon (docs/design.md §2) ---- */

static void test_loaded_lease_within_horizon_not_offered(void **state)
{
	struct fx *f = *state;
	struct dx_lease_rec rec = {.subnet_id = 1,
				   .addr = IP(10, 0, 0, 10),
				   .mac = {2, 0, 0, 0, 0, 0x77},
				   .state = DX_LEASE_ACTIVE,
				   .expires = T0 - 100,	 /* past */
				   .horizon = T0 + 500}; /* not yet */
	struct engine_map_op m;

	assert_int_equal(engine_load_lease(f->e, &rec, T0, &m), 0);
	assert_int_equal(m.kind, ENGINE_MAP_UPSERT);
	assert_int_equal(m.addr, IP(10, 0, 0, 10));
	assert_int_equal(m.horizon, T0 + 500);
	/* Expiry does not reclaim it before its horizon. */
	assert_int_equal(expire(f, T0 + 1, NULL, NULL, NULL, NULL), 0);
	/* Nobody else gets it, even asking for it. */
	struct rq q = {
		.type = DHCPDISCOVER, .mac = 1, .reqip = IP(10, 0, 0, 10)};
	run(f, &q, T0 + 1);
	assert_int_not_equal(f->res.reply.yiaddr, IP(10, 0, 0, 10));
	assert_int_equal(select_addr(f, 2, IP(10, 0, 0, 10), T0 + 1), DHCPNAK);
	for (uint8_t m2 = 3; m2 < 12; m2++) {
		uint32_t a = discover(f, m2, T0 + 1);

		assert_int_not_equal(a, IP(10, 0, 0, 10));
	}
	/* Its owner gets it back. */
	assert_int_equal(discover(f, 0x77, T0 + 1), IP(10, 0, 0, 10));
	/* After the horizon it is reclaimed like any lease. */
	size_t n_ops;
	struct dx_lease_op ops[64];
	expire(f, T0 + 501, ops, NULL, &n_ops, NULL);
	assert_int_equal(n_ops, 1);
	assert_int_equal(ops[0].rec.addr, IP(10, 0, 0, 10));
	assert_int_equal(ops[0].rec.state, DX_LEASE_EXPIRED);
}

static void test_expire_waits_for_horizon(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	struct dx_lease_op ops[64];
	struct engine_map_op map[64];
	size_t n_ops, n_map;

	/* Past `expires` but within the horizon (2 x valid): kept. */
	assert_int_equal(expire(f, T0 + VLT + 1, ops, map, &n_ops, &n_map), 0);
	assert_int_equal(stats(f, 0).used, 1);
	assert_int_equal(expire(f, T0 + 2 * VLT + 1, ops, map, &n_ops, &n_map),
			 1);
	assert_int_equal(n_ops, 1);
	assert_int_equal(ops[0].kind, DX_LEASE_OP_UPSERT);
	assert_int_equal(ops[0].rec.state, DX_LEASE_EXPIRED);
	assert_int_equal(ops[0].rec.addr, a);
	assert_int_equal(ops[0].rec.mac[5], 1); /* sticky memory */
	assert_int_equal(n_map, 1);
	assert_int_equal(map[0].kind, ENGINE_MAP_DELETE);
	assert_int_equal(map[0].addr, a);
	assert_int_equal(stats(f, 0).used, 0);
	assert_int_equal(stats(f, 0).leases_active, 0);
}

static void test_expire_batch_bounded(void **state)
{
	struct fx *f = *state;
	struct dx_lease_op ops[2];
	struct engine_map_op map[2];
	struct engine_batch b = {.ops = ops, .map = map, .cap = 2};

	for (uint8_t m = 1; m <= 5; m++)
		lease(f, m, T0);
	assert_int_equal(engine_expire(f->e, T0 + 3 * VLT, &b), 2);
	assert_int_equal(b.n_ops, 2);
	b.n_ops = b.n_map = 0;
	assert_int_equal(engine_expire(f->e, T0 + 3 * VLT, &b), 2);
	b.n_ops = b.n_map = 0;
	assert_int_equal(engine_expire(f->e, T0 + 3 * VLT, &b), 1);
	assert_int_equal(stats(f, 0).used, 0);
}

static void test_load_declined_until_expires(void **state)
{
	struct fx *f = *state;
	struct dx_lease_rec rec = {.subnet_id = 1,
				   .addr = IP(10, 0, 0, 10),
				   .state = DX_LEASE_DECLINED,
				   .expires = T0 + 100,
				   .horizon = T0 + 100};
	struct rq q = {
		.type = DHCPDISCOVER, .mac = 1, .reqip = IP(10, 0, 0, 10)};

	assert_int_equal(engine_load_lease(f->e, &rec, T0, NULL), 0);
	assert_int_equal(stats(f, 0).declined, 1);
	run(f, &q, T0);
	assert_int_not_equal(f->res.reply.yiaddr, IP(10, 0, 0, 10));
	expire(f, T0 + 101, NULL, NULL, NULL, NULL);
	q.mac = 2;
	run(f, &q, T0 + 102);
	assert_int_equal(f->res.reply.yiaddr, IP(10, 0, 0, 10));
}

static void test_load_sticky_rows(void **state)
{
	struct fx *f = *state;
	struct dx_lease_rec rec = {.subnet_id = 1,
				   .addr = IP(10, 0, 0, 16),
				   .mac = {2, 0, 0, 0, 0, 9},
				   .state = DX_LEASE_RELEASED,
				   .expires = T0 - 10,
				   .horizon = T0 - 10};
	struct engine_map_op m;

	assert_int_equal(engine_load_lease(f->e, &rec, T0, &m), 0);
	assert_int_equal(m.kind, 0); /* nothing for the map */
	assert_int_equal(stats(f, 0).used, 0);
	assert_int_equal(discover(f, 9, T0), IP(10, 0, 0, 16));
	/* Duplicates and strangers are refused. */
	assert_int_equal(engine_load_lease(f->e, &rec, T0, NULL), -EEXIST);
	rec.subnet_id = 42;
	assert_int_equal(engine_load_lease(f->e, &rec, T0, NULL), -ENOENT);
	rec.subnet_id = 1;
	rec.addr = IP(10, 9, 9, 9);
	assert_int_equal(engine_load_lease(f->e, &rec, T0, NULL), -EINVAL);
}

static void test_note_renewal_extends_horizon(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	static const uint8_t mac[6] = {2, 0, 0, 0, 0, 1};
	struct engine_changes ch;
	int64_t t = T0 + VLT / 2;

	assert_int_equal(engine_note_renewal(f->e, 1, mac, a, t, t + VLT, &ch),
			 0);
	assert_int_equal(ch.n_ops, 1);
	assert_int_equal(ch.ops[0].rec.state, DX_LEASE_ACTIVE);
	assert_int_equal(ch.ops[0].rec.expires, t + VLT);
	assert_int_equal(ch.ops[0].rec.horizon, t + 2 * VLT);
	assert_true(ch.ops[0].rec.flags & DX_LEASE_F_FASTPATH);
	assert_int_equal(ch.n_map, 1);
	assert_int_equal(ch.map[0].horizon, t + 2 * VLT);
	/* The reclaim deadline moved with it. */
	assert_int_equal(expire(f, T0 + 2 * VLT + 1, NULL, NULL, NULL, NULL),
			 0);
	assert_int_equal(engine_next_deadline(f->e), t + 2 * VLT);
}

static void test_note_renewal_refused(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	static const uint8_t other[6] = {2, 0, 0, 0, 0, 2};
	static const uint8_t mac[6] = {2, 0, 0, 0, 0, 1};
	struct engine_changes ch;

	assert_int_equal(
		engine_note_renewal(f->e, 1, other, a, T0, T0 + VLT, &ch),
		-ENOENT);
	assert_int_equal(ch.n_ops, 0);
	assert_int_equal(
		engine_note_renewal(f->e, 1, mac, a + 1, T0, T0 + VLT, &ch),
		-ENOENT);
	assert_int_equal(
		engine_note_renewal(f->e, 9, mac, a, T0, T0 + VLT, &ch),
		-ENOENT);
	/* A released lease is not extended. */
	struct rq q = {.type = DHCPRELEASE, .mac = 1, .ciaddr = a};
	run(f, &q, T0);
	assert_int_equal(
		engine_note_renewal(f->e, 1, mac, a, T0, T0 + VLT, &ch),
		-ENOENT);
}

static void test_horizon_never_moves_back(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 1, T0);
	static const uint8_t mac[6] = {2, 0, 0, 0, 0, 1};
	struct engine_changes ch;
	struct rq q = {.type = DHCPREQUEST, .mac = 1, .ciaddr = a};

	/* XDP renewal far ahead pushes the horizon... */
	engine_note_renewal(f->e, 1, mac, a, T0 + 3000, T0 + 3000 + VLT, &ch);
	assert_int_equal(ch.ops[0].rec.horizon, T0 + 3000 + 2 * VLT);
	/* ...a slow-path renewal with an older clock keeps it. */
	run(f, &q, T0 + 10);
	assert_int_equal(f->res.ch.ops[0].rec.horizon, T0 + 3000 + 2 * VLT);
}

/* ---- client identification (RFC 2131 §4.2) ---- */

static void test_client_id_identifies_client(void **state)
{
	struct fx *f = *state;
	static const uint8_t cid[] = {0xff, 1, 2, 3, 4};
	struct rq q = {.type = DHCPDISCOVER,
		       .mac = 1,
		       .cid = cid,
		       .cid_len = sizeof(cid)};
	uint32_t a;

	run(f, &q, T0);
	a = f->res.reply.yiaddr;
	q.type = DHCPREQUEST;
	q.reqip = a;
	q.sid = SID;
	run(f, &q, T0);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	/* Same client-id from another NIC: the same lease. */
	q = (struct rq){.type = DHCPREQUEST,
			.mac = 2,
			.cid = cid,
			.cid_len = sizeof(cid),
			.ciaddr = a};
	run(f, &q, T0 + 1);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.ch.ops[f->res.ch.n_ops - 1].rec.mac[5], 2);
	/* Same MAC, another client-id: another client. */
	static const uint8_t cid2[] = {0xff, 9, 9, 9, 9};
	q = (struct rq){.type = DHCPDISCOVER,
			.mac = 2,
			.cid = cid2,
			.cid_len = sizeof(cid2)};
	run(f, &q, T0 + 2);
	assert_int_not_equal(f->res.reply.yiaddr, a);
}

static void test_long_client_id_keyed_on_255_bytes(void **state)
{
	struct fx *f = *state;
	static uint8_t cid[255];
	struct rq q = {.type = DHCPREQUEST,
		       .mac = 1,
		       .cid = cid,
		       .cid_len = sizeof(cid),
		       .reqip = IP(10, 0, 0, 11),
		       .sid = SID};

	memset(cid, 0x5a, sizeof(cid));
	build(f, &q);
	/* As if RFC 3396 had concatenated 300 bytes. */
	f->m->client_id_len = 300;
	assert_int_equal(engine_handle(f->e, f->m, &f->rx, T0, &f->res), 0);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.ch.ops[0].rec.client_id_len, 255);
	/* The same client, renewing. */
	q = (struct rq){.type = DHCPREQUEST,
			.mac = 1,
			.cid = cid,
			.cid_len = sizeof(cid),
			.ciaddr = IP(10, 0, 0, 11)};
	build(f, &q);
	f->m->client_id_len = 300;
	assert_int_equal(engine_handle(f->e, f->m, &f->rx, T0, &f->res), 0);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
}

/* lease4-del of an ACTIVE lease: row and map entry deleted, the address
 * free at once (horizon not waited for), another client gets it. */
static void test_lease_delete_frees_at_once(void **state)
{
	struct fx *f = *state;
	struct engine_changes ch;
	struct dx_lease_rec rec;
	uint32_t a = lease(f, 1, T0);

	assert_int_equal(stats(f, 0).leases_active, 1);
	assert_int_equal(engine_lease_delete(f->e, 1, a, &ch), 0);
	assert_int_equal(ch.n_ops, 1);
	assert_int_equal(ch.ops[0].kind, DX_LEASE_OP_DELETE);
	assert_int_equal(ch.ops[0].rec.subnet_id, 1);
	assert_int_equal(ch.ops[0].rec.addr, a);
	assert_int_equal(ch.n_map, 1);
	assert_int_equal(ch.map[0].kind, ENGINE_MAP_DELETE);
	assert_int_equal(ch.map[0].addr, a);
	assert_int_equal(ch.map[0].mac[5], 1);
	assert_int_equal(stats(f, 0).leases_active, 0);
	assert_int_equal(engine_lease_lookup(f->e, 1, a, &rec), -ENOENT);
	/* Well within the horizon, someone else may have it now. */
	assert_int_equal(select_addr(f, 2, a, T0 + 1), DHCPACK);
	assert_int_equal(f->res.reply.yiaddr, a);
	/* Nothing pending for the deleted one. */
	assert_int_equal(engine_lease_delete(f->e, 1, IP(10, 0, 0, 99), &ch),
			 -ENOENT);
	assert_int_equal(ch.n_ops, 0);
}

/* The deleted client is not remembered (no sticky row): after another
 * client took the next address, its DISCOVER gets a fresh one. */
static void test_lease_delete_forgets_sticky(void **state)
{
	struct fx *f = *state;
	struct engine_changes ch;
	uint32_t a = lease(f, 1, T0);
	struct rq rel = {.type = DHCPRELEASE, .mac = 1, .ciaddr = a, .sid = SID};
	struct dx_lease_rec rec;

	assert_int_equal(run(f, &rel, T0 + 1), ENGINE_SILENT);
	assert_int_equal(engine_lease_lookup(f->e, 1, a, &rec), 0);
	assert_int_equal(rec.state, DX_LEASE_RELEASED);
	assert_int_equal(engine_lease_delete(f->e, 1, a, &ch), 0);
	assert_int_equal(ch.n_ops, 1);
	assert_int_equal(ch.n_map, 0); /* no map entry for a released lease */
	assert_int_equal(engine_lease_lookup(f->e, 1, a, &rec), -ENOENT);
}

/* A declined address leaves probation when its row is deleted. */
static void test_lease_delete_declined_back_to_pool(void **state)
{
	struct fx *f = *state;
	struct engine_changes ch;
	uint32_t a = lease(f, 1, T0);
	struct rq dec = {.type = DHCPDECLINE, .mac = 1, .reqip = a, .sid = SID};

	assert_int_equal(run(f, &dec, T0 + 1), ENGINE_SILENT);
	assert_int_equal(stats(f, 0).declined, 1);
	assert_int_equal(engine_lease_delete(f->e, 1, a, &ch), 0);
	assert_int_equal(ch.n_ops, 1);
	assert_int_equal(ch.n_map, 0);
	assert_int_equal(stats(f, 0).declined, 0);
	assert_int_equal(select_addr(f, 3, a, T0 + 2), DHCPACK);
}

/* A held offer has no row: nothing to delete, the hold stays. */
static void test_lease_delete_offer_only(void **state)
{
	struct fx *f = *state;
	struct engine_changes ch;
	struct dx_lease_rec rec;
	uint32_t a = discover(f, 1, T0);

	assert_int_equal(engine_lease_delete(f->e, 1, a, &ch), -ENOENT);
	assert_int_equal(engine_lease_lookup(f->e, 1, a, &rec), 0);
	assert_int_equal(rec.state, 0x80);
	assert_int_equal(engine_lease_delete(NULL, 1, a, &ch), -EINVAL);
	assert_int_equal(engine_lease_delete(f->e, 1, a, NULL), -EINVAL);
}

/* A loaded dynamic lease of a client that now has a reservation: its
 * map entry is deleted, not installed (XDP must not renew it). */
static void test_load_lease_of_reserved_client_map_delete(void **state)
{
	struct fx *f = *state;
	struct dx_lease_rec rec = {.subnet_id = 1,
				   .addr = IP(10, 0, 0, 15),
				   .mac = {2, 0, 0, 0, 0, 0xa2},
				   .state = DX_LEASE_ACTIVE,
				   .expires = T0 + 100,
				   .horizon = T0 + 500};
	struct engine_map_op m;

	assert_int_equal(engine_load_lease(f->e, &rec, T0, &m), 0);
	assert_int_equal(m.kind, ENGINE_MAP_DELETE);
	assert_int_equal(m.addr, IP(10, 0, 0, 15));
	rec.addr = IP(10, 0, 0, 16);
	rec.mac[5] = 0x55;
	assert_int_equal(engine_load_lease(f->e, &rec, T0, &m), 0);
	assert_int_equal(m.kind, ENGINE_MAP_UPSERT);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_new_rejects_bad_args),
		T(test_reservations_excluded_from_pool),
		T(test_discover_offers_next_free),
		T(test_offer_carries_subnet_options),
		T(test_offer_encodes),
		T(test_discover_reservation_in_pool),
		T(test_discover_reservation_out_of_pool_overrides),
		T(test_reservation_by_client_id),
		T(test_reserved_address_never_given_to_others),
		T(test_discover_current_lease_first),
		T(test_discover_requested_address),
		T(test_discover_requested_taken_or_foreign),
		T(test_discover_reservation_beats_current_lease),
		T(test_sticky_after_release),
		T(test_sticky_after_expiry),
		T(test_sticky_address_taken_by_other),
		T(test_offer_hold_two_clients),
		T(test_offer_retransmit_same_address),
		T(test_offer_expires_frees_address),
		T(test_selecting_ack_commits_lease),
		T(test_client_id_hash_is_fnv1a),
		T(test_selecting_other_server_silent),
		T(test_selecting_address_of_other_nak),
		T(test_selecting_without_offer_free_address),
		T(test_init_reboot_ack),
		T(test_init_reboot_wrong_network_nak),
		T(test_init_reboot_unknown_client_silent),
		T(test_init_reboot_known_client_free_address_ack),
		T(test_init_reboot_other_address_nak),
		T(test_init_reboot_reservation_ack),
		T(test_renewing_ack_extends),
		T(test_renewing_others_address_nak),
		T(test_renewing_wrong_address_of_own_nak),
		T(test_rebinding_lost_lease_free_address_ack),
		T(test_renewing_wrong_network_nak),
		T(test_request_without_address_dropped),
		T(test_ack_to_new_address_ends_old_lease),
		T(test_decline_probation),
		T(test_decline_not_owner_ignored),
		T(test_release_frees_keeps_row),
		T(test_release_by_other_client_ignored),
		T(test_inform),
		T(test_pool_exhausted_counted),
		cmocka_unit_test(test_slash8_pool),
		T(test_relay_by_ip_address),
		T(test_relay_by_prefix),
		T(test_unicast_renewal_from_behind_relay),
		T(test_unknown_relay_dropped),
		T(test_no_direct_subnet_dropped),
		T(test_not_a_usable_request_dropped),
		T(test_loaded_lease_within_horizon_not_offered),
		T(test_expire_waits_for_horizon),
		T(test_expire_batch_bounded),
		T(test_load_declined_until_expires),
		T(test_load_sticky_rows),
		T(test_note_renewal_extends_horizon),
		T(test_note_renewal_refused),
		T(test_horizon_never_moves_back),
		T(test_client_id_identifies_client),
		T(test_lease_delete_frees_at_once),
		T(test_lease_delete_forgets_sticky),
		T(test_lease_delete_declined_back_to_pool),
		T(test_lease_delete_offer_only),
		T(test_load_lease_of_reserved_client_map_delete),
		T(test_long_client_id_keyed_on_255_bytes),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
