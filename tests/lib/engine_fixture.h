/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The fixture of the protocol engine's tests (tests/unit/test_engine_*.c):
 * one configuration, an engine built from it, requests built as wire bytes
 * (dhcp_req.h) and decoded with dhcp_msg_decode() as the daemon would, the
 * exchanges a client goes through (DISCOVER, SELECTING, both), per-subnet
 * statistics and expiry runs.
 *
 * static inline in a header: every .c file of tests/lib is linked into
 * the benchmarks too, which do not link cmocka.
 */
#ifndef DHCPXDP_TEST_ENGINE_FIXTURE_H
#define DHCPXDP_TEST_ENGINE_FIXTURE_H

#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "config/config.h"
#include "wire/dhcp_msg.h"
#include "dhcpxdp/abi.h"
#include "engine/engine.h"
#include "dhcp_req.h"

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
#define BASE_SUBNETS                                                          \
	" \"subnet4\": ["                                                     \
	"  {\"id\": 1, \"subnet\": \"10.0.0.0/24\","                          \
	"   \"pools\": [{\"pool\": \"10.0.0.10 - 10.0.0.19\"}],"              \
	"   \"option-data\": [{\"name\": \"routers\", \"data\": "             \
	"\"10.0.0.1\"},"                                                      \
	"     {\"name\": \"domain-name-servers\", \"data\": \"10.0.0.53\"}]," \
	"   \"reservations\": ["                                              \
	"    {\"hw-address\": \"02:00:00:00:00:a1\","                         \
	"     \"ip-address\": \"10.0.0.12\", \"hostname\": \"inpool\"},"      \
	"    {\"hw-address\": \"02:00:00:00:00:a2\","                         \
	"     \"ip-address\": \"10.0.0.200\","                                \
	"     \"option-data\": [{\"name\": \"routers\","                      \
	"       \"data\": \"10.0.0.254\"}]},"                                 \
	"    {\"client-id\": \"01:02:00:00:00:00:a3\","                       \
	"     \"ip-address\": \"10.0.0.201\"}]},"                             \
	"  {\"id\": 2, \"subnet\": \"10.1.0.0/16\","                          \
	"   \"pools\": [{\"pool\": \"10.1.0.10 - 10.1.255.250\"}],"           \
	"   \"relay\": {\"ip-addresses\": [\"192.168.1.1\"]}},"               \
	"  {\"id\": 3, \"subnet\": \"10.2.0.0/24\","                          \
	"   \"pools\": [{\"pool\": \"10.2.0.10 - 10.2.0.20\"}],"              \
	"   \"relay\": {\"ip-addresses\": [\"192.168.3.3\"]}}"                \
	" ]}}"

#define BASE_CFG(dhcpxdp_extra)                                      \
	"{\"Dhcp4\": {"                                              \
	" \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"      \
	" \"valid-lifetime\": 3600, \"renew-timer\": 1800,"          \
	" \"rebind-timer\": 3150,"                                   \
	" \"dhcpxdp\": {\"offer-lifetime\": 60,"                     \
	"   \"decline-probation-period\": 600, \"horizon-factor\": " \
	"2" dhcpxdp_extra "}," BASE_SUBNETS

static const char *const base_cfg = BASE_CFG("");

/*
 * The same without the reclaim of declined addresses (docs/protocol.md,
 * "Starvation"), for the tests of a probation that runs its course in
 * a dry pool.
 */
static const char *const base_cfg_no_reclaim =
	BASE_CFG(", \"starvation\": {\"reclaim-declined\": false}");

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
	uint32_t reqip;	     /* option 50, 0 = absent */
	uint32_t sid;	     /* option 54, 0 = absent */
	uint32_t lease_time; /* option 51, 0 = absent */
	const uint8_t *cid;
	size_t cid_len;
	const char *host;
	const uint8_t *agent; /* option 82's sub-options (RFC 3046) */
	size_t agent_len;
	uint32_t subnet_sel; /* option 118 (RFC 3011), 0 = absent */
	const uint8_t *fqdn; /* option 81's value (RFC 4702) */
	size_t fqdn_len;
};

/* An engine on `json`, receiving on the link of subnet 1 (a network we
 * serve) as SID. */
static inline struct fx *fx_new(const char *json)
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
	f->rx.served = true;
	f->rx.direct_subnet_id = 1;
	f->rx.server_id = SID;
	return f;
}

static inline int setup(void **state)
{
	*state = fx_new(base_cfg);
	return 0;
}

static inline int setup_no_reclaim(void **state)
{
	*state = fx_new(base_cfg_no_reclaim);
	return 0;
}

static inline int teardown(void **state)
{
	struct fx *f = *state;

	engine_free(f->e);
	config_free(f->cfg);
	free(f->m);
	free(f);
	return 0;
}

/* Option `code` with a 4-byte address value, in network order. */
static inline void req_addr_opt(struct dhcp_req *p, uint8_t code, uint32_t a)
{
	uint32_t v = htonl(a);

	dhcp_req_opt(p, code, 4, &v);
}

/* Wire bytes for q, decoded into f->m. */
static inline const struct dhcp_msg *build(struct fx *f, const struct rq *q)
{
	static const uint8_t pad[DHCP_MIN_LEN];
	struct dhcp_req *p = malloc(sizeof(*p));

	assert_non_null(p);
	dhcp_req_init(p);
	/* A client talking to us directly: no relay hop, no secs, no
	 * broadcast flag, and the addresses and chaddr of q. */
	p->b[DHCP_OFF_HOPS] = 0;
	p->b[DHCP_OFF_SECS + 1] = 0;
	p->b[DHCP_OFF_FLAGS] = 0;
	dhcp_req_set32(p, DHCP_OFF_CIADDR, q->ciaddr);
	dhcp_req_set32(p, DHCP_OFF_GIADDR, q->giaddr);
	memcpy(p->b + DHCP_OFF_CHADDR, (uint8_t[6]){2, 0, 0, 0, 0, q->mac}, 6);
	if (q->type)
		dhcp_req_type(p, q->type);
	if (q->reqip)
		req_addr_opt(p, DHCP_OPT_REQUESTED_IP, q->reqip);
	if (q->sid)
		req_addr_opt(p, DHCP_OPT_SERVER_ID, q->sid);
	if (q->lease_time)
		req_addr_opt(p, DHCP_OPT_LEASE_TIME, q->lease_time);
	if (q->cid)
		dhcp_req_opt(p, DHCP_OPT_CLIENT_ID, q->cid_len, q->cid);
	if (q->host)
		dhcp_req_opt(p, DHCP_OPT_HOST_NAME, strlen(q->host), q->host);
	if (q->subnet_sel)
		req_addr_opt(p, DHCP_OPT_SUBNET_SELECTION, q->subnet_sel);
	if (q->fqdn)
		dhcp_req_opt(p, DHCP_OPT_FQDN, q->fqdn_len, q->fqdn);
	if (q->agent)
		dhcp_req_opt(p, 82, q->agent_len, q->agent);
	dhcp_req_end(p);
	/* RFC 951: at least 300 bytes (the vend area), padded as clients do. */
	if (p->len < DHCP_MIN_LEN)
		dhcp_req_raw(p, pad, DHCP_MIN_LEN - p->len);
	assert_int_equal(dhcp_decode_exact(f->m, p->b, p->len), 0);
	free(p);
	return f->m;
}

static inline int run(struct fx *f, const struct rq *q, int64_t now)
{
	build(f, q);
	assert_int_equal(engine_handle(f->e, f->m, &f->rx, now, &f->res), 0);
	return f->res.action;
}

/* The address offered to client `mac`, 0 for none. */
static inline uint32_t discover(struct fx *f, uint8_t mac, int64_t now)
{
	struct rq q = {.type = DHCPDISCOVER, .mac = mac};

	if (run(f, &q, now) != ENGINE_REPLY)
		return 0;
	assert_int_equal(f->res.reply.msg_type, DHCPOFFER);
	return f->res.reply.yiaddr;
}

/* SELECTING: the REQUEST after an OFFER from us; the reply's type. */
static inline int select_addr(struct fx *f, uint8_t mac, uint32_t a,
			      int64_t now)
{
	struct rq q = {.type = DHCPREQUEST, .mac = mac, .reqip = a, .sid = SID};

	if (run(f, &q, now) != ENGINE_REPLY)
		return 0;
	return f->res.reply.msg_type;
}

/*
 * DISCOVER, then the SELECTING REQUEST for the offered address, from the
 * client q describes (its mac, client-id, giaddr...); the ACKed address.
 * q is left as that REQUEST.
 */
static inline uint32_t lease_as(struct fx *f, struct rq *q, int64_t now)
{
	uint32_t a;

	q->type = DHCPDISCOVER;
	assert_int_equal(run(f, q, now), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPOFFER);
	a = f->res.reply.yiaddr;
	assert_int_not_equal(a, 0);
	q->type = DHCPREQUEST;
	q->reqip = a;
	q->sid = SID;
	assert_int_equal(run(f, q, now), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.reply.yiaddr, a);
	return a;
}

/* DISCOVER + REQUEST of client `mac`; the ACKed address. */
static inline uint32_t lease(struct fx *f, uint8_t mac, int64_t now)
{
	struct rq q = {.mac = mac};

	return lease_as(f, &q, now);
}

static inline struct engine_subnet_stats stats(struct fx *f, size_t i)
{
	struct engine_subnet_stats st;

	assert_int_equal(engine_subnet_stats(f->e, i, &st), 0);
	return st;
}

static inline const struct dhcp_opt *find_opt(const struct dhcp_reply *r,
					      uint8_t code)
{
	for (size_t i = 0; i < r->n_opts; i++)
		if (r->opts[i].code == code)
			return &r->opts[i];
	return NULL;
}

/* Run expiry with room for 64 changes; returns entries processed. */
static inline int expire(struct fx *f, int64_t now, struct dx_lease_op *ops,
			 struct engine_map_op *map, size_t *n_ops,
			 size_t *n_map)
{
	static struct dx_lease_op o[64];
	static struct engine_map_op m[64];
	struct engine_batch b = {
		.ops = ops ? ops : o, .map = map ? map : m, .cap = 64};
	int n = engine_expire(f->e, now, NULL, &b);

	assert_true(n >= 0);
	if (n_ops)
		*n_ops = b.n_ops;
	if (n_map)
		*n_map = b.n_map;
	return n;
}

#endif
