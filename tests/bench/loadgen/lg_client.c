// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The simulated clients' state machine; see lg_client.h. */
#include "lg_client.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <dhcpxdp/dhcp_wire.h>

static int fifo_init(struct lg_fifo *q, uint32_t cap)
{
	uint32_t c = 16;

	while (c < cap)
		c <<= 1;
	q->v = malloc(sizeof(*q->v) * c);
	q->cap = c;
	q->head = q->len = 0;
	return q->v ? 0 : -ENOMEM;
}

static int fifo_push(struct lg_fifo *q, uint32_t v)
{
	if (q->len == q->cap) {
		uint32_t *nv = malloc(sizeof(*nv) * q->cap * 2), i;

		if (!nv)
			return -ENOMEM;
		for (i = 0; i < q->len; i++)
			nv[i] = q->v[(q->head + i) & (q->cap - 1)];
		free(q->v);
		q->v = nv;
		q->head = 0;
		q->cap *= 2;
	}
	q->v[(q->head + q->len) & (q->cap - 1)] = v;
	q->len++;
	return 0;
}

static uint32_t fifo_peek(const struct lg_fifo *q)
{
	return q->v[q->head];
}

static uint32_t fifo_pop(struct lg_fifo *q)
{
	uint32_t v = q->v[q->head];

	q->head = (q->head + 1) & (q->cap - 1);
	q->len--;
	return v;
}

int lg_pool_init(struct lg_pool *p, uint32_t n, uint8_t mac_seed)
{
	uint32_t i;
	int err;

	memset(p, 0, sizeof(*p));
	if (!n || n > LG_MAX_CLIENTS)
		return -EINVAL;
	p->n = n;
	p->mac_seed = mac_seed;
	p->c = calloc(n, sizeof(*p->c));
	err = p->c ? 0 : -ENOMEM;
	if (!err)
		err = fifo_init(&p->idle, n);
	if (!err)
		err = fifo_init(&p->bound, n);
	if (!err)
		err = fifo_init(&p->inflight, 4096);
	for (i = 0; !err && i < n; i++)
		err = fifo_push(&p->idle, i);
	if (err)
		lg_pool_free(p);
	return err;
}

void lg_pool_free(struct lg_pool *p)
{
	free(p->c);
	free(p->idle.v);
	free(p->bound.v);
	free(p->inflight.v);
	memset(p, 0, sizeof(*p));
}

/*
 * Locally administered unicast MACs: 02:SEED: and the index times an odd
 * constant (a bijection on 32 bits, so all distinct). Spread, not
 * consecutive: servers that pick an address from a hash of the MAC (as
 * dnsmasq does) see clients as scattered as real ones, or perfdhcp's.
 */
void lg_pool_mac(const struct lg_pool *p, uint32_t idx, uint8_t mac[6])
{
	uint32_t v = idx * 2654435761U;

	mac[0] = 0x02;
	mac[1] = p->mac_seed;
	mac[2] = v >> 24;
	mac[3] = (v >> 16) & 0xff;
	mac[4] = (v >> 8) & 0xff;
	mac[5] = v & 0xff;
}

static enum lg_class waiting_class(uint8_t state)
{
	switch (state) {
	case LG_SELECTING:
		return LG_X_DISCOVER;
	case LG_REQUESTING:
		return LG_X_SELECT;
	case LG_RENEWING:
		return LG_X_RENEW;
	case LG_REBINDING:
		return LG_X_REBIND;
	default:
		return LG_X_MAX;
	}
}

/* A request of client idx leaves at now_ns: new xid, in flight. */
static int send_req(struct lg_pool *p, uint32_t idx, enum lg_kind kind,
		    uint64_t now_ns, struct lg_req *out)
{
	struct lg_client *c = &p->c[idx];

	c->gen++;
	c->sent_ns = now_ns;
	memset(out, 0, sizeof(*out));
	out->kind = kind;
	lg_pool_mac(p, idx, out->chaddr);
	out->xid = idx << 8 | c->gen;
	out->ciaddr = c->addr;
	out->server_id = c->server_id;
	out->circuit = idx;
	if (kind == LG_RELEASE)
		return 0;
	p->waiting++;
	return fifo_push(&p->inflight, out->xid);
}

int lg_pool_start(struct lg_pool *p, enum lg_kind kind, uint64_t now_ns,
		  struct lg_stats *st, struct lg_req *out)
{
	static const uint8_t next[LG_KIND_MAX] = {
		[LG_DISCOVER] = LG_SELECTING,
		[LG_REQUEST_RENEWING] = LG_RENEWING,
		[LG_REQUEST_REBINDING] = LG_REBINDING,
		[LG_RELEASE] = LG_INIT,
	};
	static const uint8_t class[LG_KIND_MAX] = {
		[LG_DISCOVER] = LG_X_DISCOVER,
		[LG_REQUEST_RENEWING] = LG_X_RENEW,
		[LG_REQUEST_REBINDING] = LG_X_REBIND,
		[LG_RELEASE] = LG_X_RELEASE,
	};
	struct lg_fifo *from = kind == LG_DISCOVER ? &p->idle : &p->bound;
	uint32_t idx;
	int err;

	if (kind == LG_REQUEST_SELECTING || (unsigned)kind >= LG_KIND_MAX)
		return -EINVAL;
	if (!from->len) {
		st->no_client++;
		return -ENOENT;
	}
	idx = fifo_pop(from);
	p->c[idx].state = next[kind];
	err = send_req(p, idx, kind, now_ns, out);
	if (!err && kind == LG_RELEASE) {
		/* RFC 2131 §4.4.6: the address is given up, back to INIT. */
		p->c[idx].addr = 0;
		err = fifo_push(&p->idle, idx);
	}
	if (!err)
		st->x[class[kind]].sent++;
	return err;
}

bool lg_pool_t1_due(const struct lg_pool *p, uint64_t now_ns, double scale)
{
	const struct lg_client *c;

	if (!p->bound.len)
		return false;
	c = &p->c[fifo_peek(&p->bound)];
	return now_ns >= c->bound_ns + (uint64_t)(c->t1 * scale * 1e9);
}

/* RFC 2131 §4.4.1: an ACK binds; T1 defaults to half the lease. */
static int bind(struct lg_pool *p, uint32_t idx, const struct lg_reply *r,
		uint64_t rx_ns)
{
	struct lg_client *c = &p->c[idx];

	c->state = LG_BOUND;
	c->addr = r->yiaddr ? r->yiaddr : c->addr;
	if (r->server_id)
		c->server_id = r->server_id;
	c->t1 = r->t1 ? r->t1 : r->lease_time / 2;
	c->bound_ns = rx_ns;
	return fifo_push(&p->bound, idx);
}

/* A reply to client idx's request in flight, of class x. */
static int answer(struct lg_pool *p, uint32_t idx, enum lg_class x,
		  const struct lg_reply *r, uint64_t rx_ns, uint64_t tx_ns,
		  struct lg_stats *st, struct lg_req *out)
{
	struct lg_client *c = &p->c[idx];
	uint64_t us = rx_ns > c->sent_ns ? (rx_ns - c->sent_ns) / 1000 : 0;
	int err;

	if (x == LG_X_DISCOVER && r->msg_type == DHCPOFFER) {
		/* RFC 2131 §4.4.1: take the first OFFER, REQUEST it. */
		st->x[x].answered++;
		lg_hist_add(&st->x[x].lat, us);
		p->waiting--;
		c->state = LG_REQUESTING;
		c->server_id = r->server_id;
		err = send_req(p, idx, LG_REQUEST_SELECTING, tx_ns, out);
		out->requested_ip = r->yiaddr;
		st->x[LG_X_SELECT].sent++;
		return err ? err : 1;
	}
	if (x != LG_X_DISCOVER && r->msg_type == DHCPACK) {
		st->x[x].answered++;
		lg_hist_add(&st->x[x].lat, us);
		p->waiting--;
		return bind(p, idx, r, rx_ns);
	}
	if (x != LG_X_DISCOVER && r->msg_type == DHCPNAK) {
		/* RFC 2131 §4.4.1: a NAK sends the client back to INIT. */
		st->x[x].naks++;
		p->waiting--;
		c->state = LG_INIT;
		c->addr = 0;
		return fifo_push(&p->idle, idx);
	}
	st->stray++;
	return -ENOENT;
}

int lg_pool_reply(struct lg_pool *p, const struct lg_reply *r, uint64_t rx_ns,
		  uint64_t tx_ns, struct lg_stats *st, struct lg_req *out)
{
	uint32_t idx = r->xid >> 8;
	uint8_t mac[6];
	enum lg_class x;

	if (idx >= p->n) {
		st->stray++;
		return -ENOENT;
	}
	lg_pool_mac(p, idx, mac);
	if (memcmp(mac, r->chaddr, 6)) {
		st->stray++;
		return -ENOENT;
	}
	x = waiting_class(p->c[idx].state);
	if (x == LG_X_MAX || (r->xid & 0xff) != p->c[idx].gen) {
		/* Answered after its timeout, or a second answer. */
		st->x[r->msg_type == DHCPOFFER ? LG_X_DISCOVER : LG_X_SELECT]
			.late++;
		return -ENOENT;
	}
	return answer(p, idx, x, r, rx_ns, tx_ns, st, out);
}

/* An unanswered request: RFC 2131 §4.4.5 lets a RENEWING client keep its
 * lease (it tries again later); the others start over from INIT. */
static int give_up(struct lg_pool *p, uint32_t idx, uint64_t now_ns)
{
	struct lg_client *c = &p->c[idx];

	if (c->state == LG_RENEWING) {
		c->state = LG_BOUND;
		c->bound_ns = now_ns;
		return fifo_push(&p->bound, idx);
	}
	c->state = LG_INIT;
	c->addr = 0;
	return fifo_push(&p->idle, idx);
}

uint32_t lg_pool_expire(struct lg_pool *p, uint64_t now_ns, uint64_t timeout_ns,
			struct lg_stats *st)
{
	while (p->inflight.len) {
		uint32_t xid = fifo_peek(&p->inflight), idx = xid >> 8;
		struct lg_client *c = &p->c[idx];
		enum lg_class x = waiting_class(c->state);

		if (x != LG_X_MAX && (xid & 0xff) == c->gen) {
			if (c->sent_ns + timeout_ns > now_ns)
				break;
			st->x[x].dropped++;
			p->waiting--;
			if (give_up(p, idx, now_ns))
				break;
		}
		fifo_pop(&p->inflight);
	}
	return p->waiting;
}
