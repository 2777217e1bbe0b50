// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Protocol engine decisions per second on a /16 pool: DISCOVER + REQUEST
 * (SELECTING) for N distinct clients, RENEWING of those leases, XDP
 * renewal notes (horizon extension), and reclaiming them all. The
 * requests are decoded once and only chaddr / addresses are changed
 * between calls, so the figures are the engine's alone (plus one row with
 * the reply encoder). Measurements, not assertions; a few seconds.
 *
 * Usage: bench_engine [N]   (default 60000, at most 65000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config/config.h"
#include "wire/dhcp_msg.h"
#include "engine/engine.h"

#define IP(a, b, c, d)                                                    \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | \
	 (uint32_t)(d))
#define SID IP(10, 0, 0, 1)
#define T0  1700000000LL

static const char *cfg_json =
	"{\"Dhcp4\": {"
	" \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"
	" \"valid-lifetime\": 3600,"
	" \"subnet4\": [{\"id\": 1, \"subnet\": \"10.0.0.0/16\","
	"  \"pools\": [{\"pool\": \"10.0.0.10 - 10.0.255.250\"}],"
	"  \"option-data\": [{\"name\": \"routers\", \"data\": \"10.0.0.1\"},"
	"   {\"name\": \"domain-name-servers\", \"data\": \"10.0.0.53\"},"
	"   {\"name\": \"domain-name\", \"data\": \"example.net\"}]}]}}";

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* Decode a request of `type` carrying 50 and 54 when asked. */
static struct dhcp_msg *mk(uint8_t type, uint32_t reqip, uint32_t sid)
{
	struct dhcp_msg *m = malloc(sizeof(*m));
	uint8_t b[400] = {0};
	size_t n = DHCP_OPTIONS_OFFSET;

	b[DHCP_OFF_OP] = BOOTREQUEST;
	b[DHCP_OFF_HTYPE] = DHCP_HTYPE_ETHER;
	b[DHCP_OFF_HLEN] = DHCP_HLEN_ETHER;
	b[DHCP_OFF_CHADDR] = 0x02;
	put32(b + DHCP_OFF_COOKIE, DHCP_MAGIC_COOKIE);
	b[n++] = DHCP_OPT_MSG_TYPE;
	b[n++] = 1;
	b[n++] = type;
	if (reqip) {
		b[n++] = DHCP_OPT_REQUESTED_IP;
		b[n++] = 4;
		put32(b + n, reqip);
		n += 4;
	}
	if (sid) {
		b[n++] = DHCP_OPT_SERVER_ID;
		b[n++] = 4;
		put32(b + n, sid);
		n += 4;
	}
	b[n++] = DHCP_OPT_PARAM_REQUEST;
	b[n++] = 3;
	b[n++] = 1;
	b[n++] = 3;
	b[n++] = 6;
	b[n++] = DHCP_OPT_END;
	if (!m || dhcp_msg_decode(m, b, 300)) {
		fprintf(stderr, "bench_engine: cannot build request\n");
		exit(1);
	}
	return m;
}

static void set_mac(struct dhcp_msg *m, uint32_t i)
{
	m->chaddr[3] = i >> 16;
	m->chaddr[4] = i >> 8;
	m->chaddr[5] = i;
}

enum { OP_NEW, OP_DISC, OP_SEL, OP_RENEW, OP_ENC, OP_NOTE, OP_EXPIRE, OP_N };

static const char *const op_name[OP_N] = {
	"engine_new (/16 pool)",
	"DISCOVER -> OFFER",
	"REQUEST (SELECTING) -> ACK + lease op",
	"REQUEST (RENEWING) -> ACK + lease op",
	"RENEWING -> ACK + dhcp_reply_encode",
	"engine_note_renewal (horizon)",
	"engine_expire (reclaim all)",
};

struct bench {
	const struct dx_config *cfg;
	struct engine_rx rx;
	struct dhcp_msg *disc, *req, *renew;
	struct engine_result res;
	uint32_t *addr;
	size_t n;
	double secs[OP_N];
	size_t count[OP_N];
	uint64_t pool_total;
};

/* One full round on a fresh engine; 0 or -1 on an unexpected answer. */
static int bench_round(struct bench *b)
{
	static struct dx_lease_op ops[4096];
	static struct engine_map_op map[4096];
	struct engine_result *res = &b->res;
	struct engine_subnet_stats st;
	struct engine_changes ch;
	uint8_t buf[1500], mac[6] = {0x02, 0, 0, 0, 0, 0};
	struct engine *e;
	size_t len, total = 0;
	double t = now_s();
	int k, rc = -1;

	if (engine_new(b->cfg, &e))
		return -1;
	b->secs[OP_NEW] += now_s() - t;
	b->count[OP_NEW]++;
	engine_subnet_stats(e, 0, &st);
	b->pool_total = st.total;

	t = now_s();
	for (size_t i = 0; i < b->n; i++) {
		set_mac(b->disc, i);
		engine_handle(e, b->disc, &b->rx, T0, res);
		if (res->action != ENGINE_REPLY)
			goto out;
		b->addr[i] = res->reply.yiaddr;
	}
	b->secs[OP_DISC] += now_s() - t;

	t = now_s();
	for (size_t i = 0; i < b->n; i++) {
		set_mac(b->req, i);
		b->req->requested_ip = b->addr[i];
		engine_handle(e, b->req, &b->rx, T0 + 1, res);
		if (res->reply.msg_type != DHCPACK || res->ch.n_ops != 1)
			goto out;
	}
	b->secs[OP_SEL] += now_s() - t;

	t = now_s();
	for (size_t i = 0; i < b->n; i++) {
		set_mac(b->renew, i);
		b->renew->ciaddr = b->addr[i];
		engine_handle(e, b->renew, &b->rx, T0 + 1800, res);
		if (res->reply.msg_type != DHCPACK)
			goto out;
	}
	b->secs[OP_RENEW] += now_s() - t;

	t = now_s();
	for (size_t i = 0; i < b->n; i++) {
		set_mac(b->renew, i);
		b->renew->ciaddr = b->addr[i];
		engine_handle(e, b->renew, &b->rx, T0 + 1900, res);
		if (dhcp_reply_encode(buf, sizeof(buf), &res->reply, b->renew,
				      &len, NULL))
			goto out;
	}
	b->secs[OP_ENC] += now_s() - t;

	t = now_s();
	for (size_t i = 0; i < b->n; i++) {
		mac[3] = i >> 16;
		mac[4] = i >> 8;
		mac[5] = i;
		if (engine_note_renewal(e, 1, mac, b->addr[i], T0 + 3600,
					T0 + 7200, &ch))
			goto out;
	}
	b->secs[OP_NOTE] += now_s() - t;

	t = now_s();
	do {
		struct engine_batch bt = {.ops = ops, .map = map, .cap = 4096};

		k = engine_expire(e, T0 + 100000, NULL, &bt);
		total += k > 0 ? k : 0;
	} while (k > 0);
	b->secs[OP_EXPIRE] += now_s() - t;
	if (total != b->n)
		goto out;
	for (int op = OP_DISC; op < OP_N; op++)
		b->count[op] += b->n;
	rc = 0;
out:
	engine_free(e);
	return rc;
}

int main(int argc, char **argv)
{
	struct bench *b = calloc(1, sizeof(*b));
	struct dx_config *cfg;
	double start;
	int rounds = 0, rc = 1;

	if (!b)
		return 1;
	b->n = argc > 1 ? strtoul(argv[1], NULL, 10) : 60000;
	if (b->n == 0 || b->n > 65000) {
		fprintf(stderr, "usage: bench_engine [N <= 65000]\n");
		return 2;
	}
	if (config_load_string(cfg_json, "bench", &cfg, NULL))
		return 1;
	b->cfg = cfg;
	b->rx.served = true;
	b->rx.direct_subnet_id = 1;
	b->rx.server_id = SID;
	b->disc = mk(DHCPDISCOVER, 0, 0);
	b->req = mk(DHCPREQUEST, IP(10, 0, 0, 10), SID);
	b->renew = mk(DHCPREQUEST, 0, 0);
	b->addr = calloc(b->n, sizeof(*b->addr));
	if (!b->addr)
		return 1;
	/* Bounded: rounds until 2 s have passed, at most 50. */
	start = now_s();
	while (rounds < 50 && now_s() - start < 2.0) {
		if (bench_round(b)) {
			fprintf(stderr, "bench_engine: unexpected answer\n");
			goto out;
		}
		rounds++;
	}
	printf("bench_engine: %zu clients per round, %d rounds, /16 pool "
	       "(%llu addresses)\n\n",
	       b->n, rounds, (unsigned long long)b->pool_total);
	printf("| %-38s | %10s | %8s | %12s |\n", "operation", "count",
	       "total s", "per second");
	printf("|%s|%s|%s|%s|\n", "----------------------------------------",
	       "-----------:", "---------:", "-------------:");
	for (int op = 0; op < OP_N; op++)
		printf("| %-38s | %10zu | %8.3f | %12.0f |\n", op_name[op],
		       b->count[op], b->secs[op], b->count[op] / b->secs[op]);
	rc = 0;
out:
	free(b->disc);
	free(b->req);
	free(b->renew);
	free(b->addr);
	free(b);
	config_free(cfg);
	return rc;
}
