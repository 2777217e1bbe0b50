// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Caps per relay agent circuit and per relay (docs/protocol.md,
 * "Starvation"): the live entries - leases and held offers - of a subnet
 * obtained through one (giaddr, circuit-id) (RFC 3046 §3.1, sub-option 1:
 * the port the client is behind), and through one giaddr, are counted, and
 * a request that would make one more past max-leases-per-circuit-id or
 * max-relay-share-percent of the pool is refused. Renewals are never
 * refused: the entry a client already holds is counted already.
 *
 * The counts live in memory only (one node per counted entry and per
 * counter, nothing when no cap is set): the lease rows do not say which
 * relay or port a lease came through. A reload carries them into the new
 * engine (engine_carry_relay_counts()); after a restart a lease is counted
 * again only when its client's request reaches the daemon through the
 * relay (REBINDING, INIT-REBOOT, DISCOVER: a RENEWING client unicasts to
 * us, past the relay), so until then the caps see fewer entries than
 * there are.
 *
 * Circuit-ids are compared by their FNV-1a 64 hash.
 */
#include <errno.h>
#include <stdlib.h>

#include "engine/engine_internal.h"

enum { RC_ATTR, RC_CIRCUIT, RC_RELAY };

/* One hash node: an entry's attribution, or a counter. */
struct rc_node {
	struct rc_node *next;
	uint64_t k1;  /* subnet << 32 | addr (RC_ATTR) or giaddr */
	uint64_t k2;  /* circuit-id hash (RC_CIRCUIT), else 0 */
	uint8_t kind; /* RC_* */
	uint32_t n;   /* counters: live entries counted */
	struct rc_node *circuit, *relay; /* RC_ATTR: what it counts in */
};

struct rcap {
	struct rc_node **b;
	size_t nb, count; /* nb: a power of two */
};

#define RC_MIN_BUCKETS 256

static bool enabled(const struct engine *e)
{
	return e->sv.max_per_circuit_id || e->sv.max_relay_share_percent;
}

static size_t bucket(const struct rcap *rc, uint64_t k1, uint64_t k2,
		     uint8_t kind)
{
	uint64_t x = k1 * 0x9e3779b97f4a7c15ULL ^ k2 ^ kind;

	x ^= x >> 31;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 29;
	return x & (rc->nb - 1);
}

static struct rc_node **find(const struct rcap *rc, uint64_t k1, uint64_t k2,
			     uint8_t kind)
{
	struct rc_node **p;

	if (!rc || !rc->nb)
		return NULL;
	for (p = &rc->b[bucket(rc, k1, k2, kind)]; *p; p = &(*p)->next)
		if ((*p)->k1 == k1 && (*p)->k2 == k2 && (*p)->kind == kind)
			return p;
	return NULL;
}

/* Double the buckets; without memory keep them (longer chains). */
static void grow(struct rcap *rc)
{
	size_t nb = rc->nb ? rc->nb * 2 : RC_MIN_BUCKETS;
	struct rc_node **b = calloc(nb, sizeof(*b));
	struct rc_node **old = rc->b;
	size_t onb = rc->nb;

	if (!b)
		return;
	rc->b = b;
	rc->nb = nb;
	for (size_t i = 0; i < onb; i++)
		for (struct rc_node *n = old[i], *next; n; n = next) {
			size_t k = bucket(rc, n->k1, n->k2, n->kind);

			next = n->next;
			n->next = b[k];
			b[k] = n;
		}
	free(old);
}

static struct rc_node *add(struct rcap *rc, uint64_t k1, uint64_t k2,
			   uint8_t kind)
{
	struct rc_node *n;
	size_t k;

	if (rc->count >= rc->nb)
		grow(rc);
	if (!rc->nb)
		return NULL;
	n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	n->k1 = k1;
	n->k2 = k2;
	n->kind = kind;
	k = bucket(rc, k1, k2, kind);
	n->next = rc->b[k];
	rc->b[k] = n;
	rc->count++;
	return n;
}

static void drop(struct rcap *rc, struct rc_node **p)
{
	struct rc_node *n = *p;

	*p = n->next;
	rc->count--;
	free(n);
}

static uint64_t sub_key(uint32_t subnet, uint32_t a)
{
	return (uint64_t)subnet << 32 | a;
}

void rcap_key_of(const struct dhcp_msg *req, struct rcap_key *k)
{
	const uint8_t *o = req->relay_info;
	size_t len = req->relay_info_len;

	k->giaddr = req->giaddr;
	k->has_circuit = false;
	k->circuit = 0;
	/* RFC 3046 §2.0: sub-options, code and length each a byte. */
	for (size_t i = 0; o && i + 2 <= len; i += 2 + (size_t)o[i + 1]) {
		size_t n = o[i + 1];
		uint64_t h = 0xcbf29ce484222325ULL;

		if (i + 2 + n > len)
			break;
		if (o[i] != 1) /* Agent Circuit ID */
			continue;
		for (size_t j = 0; j < n; j++)
			h = (h ^ o[i + 2 + j]) * 0x100000001b3ULL;
		k->has_circuit = true;
		k->circuit = h;
		break;
	}
}

static uint32_t counted(const struct rcap *rc, uint64_t k1, uint64_t k2,
			uint8_t kind)
{
	struct rc_node **p = find(rc, k1, k2, kind);

	return p ? (*p)->n : 0;
}

int rcap_refuse(const struct engine *e, const struct eng_subnet *s,
		const struct rcap_key *k)
{
	uint32_t max = e->sv.max_per_circuit_id;
	uint32_t pct = e->sv.max_relay_share_percent;

	if (!enabled(e))
		return 0;
	if (max && k->has_circuit &&
	    counted(e->rc, sub_key(s->id, k->giaddr), k->circuit, RC_CIRCUIT) >=
		    max)
		return ENGINE_DROP_CAP_CIRCUIT_ID;
	if (pct && k->giaddr) {
		struct dx_pool_stats ps;
		uint64_t n =
			counted(e->rc, sub_key(s->id, k->giaddr), 0, RC_RELAY);

		pool_set_stats(s->pool, &ps);
		/* At most pct % of the pool once this one is counted. */
		if ((n + 1) * 100 > (uint64_t)pct * (ps.total - ps.reserved))
			return ENGINE_DROP_CAP_RELAY_SHARE;
	}
	return 0;
}

/* The counter, created at 0 when new; NULL without memory. */
static struct rc_node *counter(struct rcap *rc, uint64_t k1, uint64_t k2,
			       uint8_t kind)
{
	struct rc_node **p = find(rc, k1, k2, kind);

	return p ? *p : add(rc, k1, k2, kind);
}

/*
 * Without memory the entry is not counted: the caps then see one entry
 * fewer (they limit a flood; no lease depends on them).
 */
void rcap_link(struct engine *e, const struct eng_subnet *s, uint32_t addr,
	       const struct rcap_key *k)
{
	struct rc_node *a;

	if (!enabled(e) || (!k->giaddr && !k->has_circuit))
		return;
	if (!e->rc && !(e->rc = calloc(1, sizeof(*e->rc))))
		return;
	if (find(e->rc, sub_key(s->id, addr), 0, RC_ATTR))
		return; /* counted already: the first relay it came through */
	a = add(e->rc, sub_key(s->id, addr), 0, RC_ATTR);
	if (!a)
		return;
	if (k->has_circuit &&
	    (a->circuit = counter(e->rc, sub_key(s->id, k->giaddr), k->circuit,
				  RC_CIRCUIT)))
		a->circuit->n++;
	if (k->giaddr &&
	    (a->relay = counter(e->rc, sub_key(s->id, k->giaddr), 0, RC_RELAY)))
		a->relay->n++;
}

/* One entry fewer in the counter c; an empty counter goes. */
static void put(struct rcap *rc, struct rc_node *c)
{
	struct rc_node **p;

	if (!c || --c->n)
		return;
	p = find(rc, c->k1, c->k2, c->kind);
	if (p)
		drop(rc, p);
}

void rcap_unlink(struct engine *e, const struct eng_subnet *s, uint32_t addr)
{
	struct rc_node **p, *circuit, *relay;

	if (!e->rc || !e->rc->count)
		return;
	p = find(e->rc, sub_key(s->id, addr), 0, RC_ATTR);
	if (!p)
		return;
	circuit = (*p)->circuit;
	relay = (*p)->relay;
	drop(e->rc, p); /* first: p points into a chain put() may change */
	put(e->rc, circuit);
	put(e->rc, relay);
}

void engine_carry_relay_counts(struct engine *to, const struct engine *from)
{
	const struct rcap *rc = from ? from->rc : NULL;

	if (!to || !rc || !enabled(to))
		return;
	for (size_t i = 0; i < rc->nb; i++)
		for (const struct rc_node *n = rc->b[i]; n; n = n->next) {
			uint32_t subnet = (uint32_t)(n->k1 >> 32);
			uint32_t addr = (uint32_t)n->k1;
			const struct rc_node *c =
				n->circuit ? n->circuit : n->relay;
			const struct eng_subnet *s = subnet_by_id(to, subnet);
			const struct lt_lease *l;
			struct rcap_key k;

			if (n->kind != RC_ATTR || !c || !s)
				continue;
			l = lt_find_addr(to->lt, subnet, addr);
			if (!l || l->state != DX_LEASE_ACTIVE)
				continue;
			k.giaddr = (uint32_t)c->k1;
			k.has_circuit = n->circuit != NULL;
			k.circuit = n->circuit ? n->circuit->k2 : 0;
			rcap_link(to, s, addr, &k);
		}
}

void rcap_free(struct engine *e)
{
	struct rcap *rc = e->rc;

	if (!rc)
		return;
	for (size_t i = 0; i < rc->nb; i++)
		for (struct rc_node *n = rc->b[i], *next; n; n = next) {
			next = n->next;
			free(n);
		}
	free(rc->b);
	free(rc);
	e->rc = NULL;
}
