// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * In-memory lease index: chained hash tables (power-of-two buckets, grown
 * at load factor 1, the three indexes share one size) and an indexed
 * binary min-heap of deadlines (each entry knows its heap slot, so a
 * deadline moves in O(log n) and the heap never holds stale items).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lease_table.h"

#define LT_MIN_BUCKETS 1024

struct lease_table {
	size_t count;
	size_t nbuckets; /* power of two */
	struct lt_lease **by_addr, **by_mac, **by_cid;
	struct lt_lease **heap;
	size_t heap_len, heap_cap;
};

static uint64_t mix64(uint64_t x)
{
	/* splitmix64 finaliser: good spread for sequential addresses */
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

static uint64_t fnv(uint64_t h, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

static size_t h_addr(const struct lease_table *t, uint32_t subnet,
		     uint32_t addr)
{
	return mix64((uint64_t)subnet << 32 | addr) & (t->nbuckets - 1);
}

static size_t h_mac(const struct lease_table *t, uint32_t subnet,
		    const uint8_t mac[6])
{
	return mix64(fnv(0xcbf29ce484222325ULL ^ subnet, mac, 6)) &
	       (t->nbuckets - 1);
}

static size_t h_cid(const struct lease_table *t, uint32_t subnet,
		    const uint8_t *cid, size_t len)
{
	return mix64(fnv(0x84222325cbf29ce4ULL ^ subnet, cid, len)) &
	       (t->nbuckets - 1);
}

struct lease_table *lt_new(void)
{
	struct lease_table *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->nbuckets = LT_MIN_BUCKETS;
	t->by_addr = calloc(t->nbuckets, sizeof(*t->by_addr));
	t->by_mac = calloc(t->nbuckets, sizeof(*t->by_mac));
	t->by_cid = calloc(t->nbuckets, sizeof(*t->by_cid));
	if (!t->by_addr || !t->by_mac || !t->by_cid) {
		lt_free(t);
		errno = ENOMEM;
		return NULL;
	}
	return t;
}

static void lease_free(struct lt_lease *l)
{
	free(l->client_id);
	free(l->hostname);
	free(l);
}

void lt_free(struct lease_table *t)
{
	if (!t)
		return;
	if (t->by_addr)
		for (size_t i = 0; i < t->nbuckets; i++)
			for (struct lt_lease *l = t->by_addr[i], *n; l; l = n) {
				n = l->next_addr;
				lease_free(l);
			}
	free(t->by_addr);
	free(t->by_mac);
	free(t->by_cid);
	free(t->heap);
	free(t);
}

size_t lt_count(const struct lease_table *t)
{
	return t ? t->count : 0;
}

/* --- chains ----------------------------------------------------------- */

static void link_client(struct lease_table *t, struct lt_lease *l)
{
	size_t b;

	if (!(l->lt_flags & LT_F_OWNED))
		return;
	b = h_mac(t, l->subnet_id, l->mac);
	l->next_mac = t->by_mac[b];
	t->by_mac[b] = l;
	if (l->client_id_len) {
		b = h_cid(t, l->subnet_id, l->client_id, l->client_id_len);
		l->next_cid = t->by_cid[b];
		t->by_cid[b] = l;
	}
}

static void unlink_chain(struct lt_lease **head, struct lt_lease *l,
			 size_t next_off)
{
	for (struct lt_lease **pp = head; *pp;
	     pp = (struct lt_lease **)((char *)*pp + next_off))
		if (*pp == l) {
			*pp = *(struct lt_lease **)((char *)l + next_off);
			return;
		}
}

static void unlink_client(struct lease_table *t, struct lt_lease *l)
{
	if (!(l->lt_flags & LT_F_OWNED))
		return;
	unlink_chain(&t->by_mac[h_mac(t, l->subnet_id, l->mac)], l,
		     offsetof(struct lt_lease, next_mac));
	if (l->client_id_len)
		unlink_chain(&t->by_cid[h_cid(t, l->subnet_id, l->client_id,
					      l->client_id_len)],
			     l, offsetof(struct lt_lease, next_cid));
	l->next_mac = l->next_cid = NULL;
}

/* Double the buckets; on allocation failure keep the old ones (slower). */
static void grow(struct lease_table *t)
{
	size_t n = t->nbuckets * 2;
	struct lt_lease **a = calloc(n, sizeof(*a));
	struct lt_lease **m = calloc(n, sizeof(*m));
	struct lt_lease **c = calloc(n, sizeof(*c));
	struct lt_lease **old = t->by_addr;
	size_t old_n = t->nbuckets;

	if (!a || !m || !c) {
		free(a);
		free(m);
		free(c);
		return;
	}
	free(t->by_mac);
	free(t->by_cid);
	t->by_addr = a;
	t->by_mac = m;
	t->by_cid = c;
	t->nbuckets = n;
	for (size_t i = 0; i < old_n; i++)
		for (struct lt_lease *l = old[i], *next; l; l = next) {
			size_t b = h_addr(t, l->subnet_id, l->addr);

			next = l->next_addr;
			l->next_addr = a[b];
			a[b] = l;
			link_client(t, l);
		}
	free(old);
}

struct lt_lease *lt_find_addr(const struct lease_table *t, uint32_t subnet_id,
			      uint32_t addr)
{
	if (!t)
		return NULL;
	for (struct lt_lease *l = t->by_addr[h_addr(t, subnet_id, addr)]; l;
	     l = l->next_addr)
		if (l->addr == addr && l->subnet_id == subnet_id)
			return l;
	return NULL;
}

int lt_insert(struct lease_table *t, uint32_t subnet_id, uint32_t addr,
	      struct lt_lease **out)
{
	struct lt_lease *l;
	size_t b;

	if (!t || !out)
		return -EINVAL;
	if (lt_find_addr(t, subnet_id, addr))
		return -EEXIST;
	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	if (t->count >= t->nbuckets)
		grow(t);
	l->subnet_id = subnet_id;
	l->addr = addr;
	l->heap_idx = SIZE_MAX;
	b = h_addr(t, subnet_id, addr);
	l->next_addr = t->by_addr[b];
	t->by_addr[b] = l;
	t->count++;
	*out = l;
	return 0;
}

void lt_remove(struct lease_table *t, struct lt_lease *l)
{
	if (!t || !l)
		return;
	lt_clear_deadline(t, l);
	unlink_client(t, l);
	unlink_chain(&t->by_addr[h_addr(t, l->subnet_id, l->addr)], l,
		     offsetof(struct lt_lease, next_addr));
	t->count--;
	lease_free(l);
}

int lt_set_owner(struct lease_table *t, struct lt_lease *l,
		 const uint8_t mac[6], const uint8_t *client_id, size_t len)
{
	uint8_t *cid = NULL;

	if (!t || !l || !mac || (len && !client_id) || len > 255)
		return -EINVAL;
	/* Unchanged owner: nothing to re-index (the common renewal case). */
	if ((l->lt_flags & LT_F_OWNED) && !memcmp(l->mac, mac, 6) &&
	    l->client_id_len == len &&
	    (!len || !memcmp(l->client_id, client_id, len)))
		return 0;
	if (len) {
		cid = malloc(len);
		if (!cid) {
			lt_clear_owner(t, l);
			return -ENOMEM;
		}
		memcpy(cid, client_id, len);
	}
	lt_clear_owner(t, l);
	memcpy(l->mac, mac, 6);
	l->client_id = cid;
	l->client_id_len = (uint8_t)len;
	l->lt_flags |= LT_F_OWNED;
	link_client(t, l);
	return 0;
}

void lt_clear_owner(struct lease_table *t, struct lt_lease *l)
{
	if (!t || !l)
		return;
	unlink_client(t, l);
	l->lt_flags &= ~LT_F_OWNED;
	memset(l->mac, 0, sizeof(l->mac));
	free(l->client_id);
	l->client_id = NULL;
	l->client_id_len = 0;
}

int lt_set_hostname(struct lt_lease *l, const char *name, size_t len)
{
	char *h = NULL;

	if (!l)
		return -EINVAL;
	/* Unchanged (a renewal sends the same name): no allocation. */
	if (name && len && l->hostname && strlen(l->hostname) == len &&
	    !memcmp(l->hostname, name, len))
		return 0;
	if (name && len) {
		h = malloc(len + 1);
		if (!h)
			return -ENOMEM;
		memcpy(h, name, len);
		h[len] = '\0';
	}
	free(l->hostname);
	l->hostname = h;
	return 0;
}

bool lt_owned_by(const struct lt_lease *l, const uint8_t mac[6],
		 const uint8_t *client_id, size_t len)
{
	if (!l || !(l->lt_flags & LT_F_OWNED))
		return false;
	if (len && l->client_id_len)
		return len == l->client_id_len &&
		       !memcmp(client_id, l->client_id, len);
	return !memcmp(l->mac, mac, 6);
}

size_t lt_find_client(const struct lease_table *t, uint32_t subnet_id,
		      const uint8_t mac[6], const uint8_t *client_id,
		      size_t len, struct lt_lease **out, size_t max)
{
	size_t n = 0;

	if (!t || !mac)
		return 0;
	/* Leases with a client-id: found through the client-id index. */
	if (len)
		for (struct lt_lease *l =
			     t->by_cid[h_cid(t, subnet_id, client_id, len)];
		     l; l = l->next_cid)
			if (l->subnet_id == subnet_id &&
			    lt_owned_by(l, mac, client_id, len)) {
				if (n < max)
					out[n] = l;
				n++;
			}
	/*
	 * Through chaddr: every lease of that chaddr when the request has no
	 * client-id, else only those without one (the rest were above).
	 */
	for (struct lt_lease *l = t->by_mac[h_mac(t, subnet_id, mac)]; l;
	     l = l->next_mac)
		if (l->subnet_id == subnet_id && (!len || !l->client_id_len) &&
		    lt_owned_by(l, mac, client_id, len)) {
			if (n < max)
				out[n] = l;
			n++;
		}
	return n;
}

/* --- deadline heap ---------------------------------------------------- */

static void heap_put(struct lease_table *t, size_t i, struct lt_lease *l)
{
	t->heap[i] = l;
	l->heap_idx = i;
}

static void sift_up(struct lease_table *t, size_t i)
{
	struct lt_lease *l = t->heap[i];

	while (i > 0) {
		size_t p = (i - 1) / 2;

		if (t->heap[p]->deadline <= l->deadline)
			break;
		heap_put(t, i, t->heap[p]);
		i = p;
	}
	heap_put(t, i, l);
}

static void sift_down(struct lease_table *t, size_t i)
{
	struct lt_lease *l = t->heap[i];

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= t->heap_len)
			break;
		if (c + 1 < t->heap_len &&
		    t->heap[c + 1]->deadline < t->heap[c]->deadline)
			c++;
		if (l->deadline <= t->heap[c]->deadline)
			break;
		heap_put(t, i, t->heap[c]);
		i = c;
	}
	heap_put(t, i, l);
}

int lt_set_deadline(struct lease_table *t, struct lt_lease *l, int64_t deadline)
{
	if (!t || !l)
		return -EINVAL;
	if (l->heap_idx != SIZE_MAX) {
		int64_t old = l->deadline;

		l->deadline = deadline;
		if (deadline < old)
			sift_up(t, l->heap_idx);
		else
			sift_down(t, l->heap_idx);
		return 0;
	}
	if (t->heap_len == t->heap_cap) {
		size_t cap = t->heap_cap ? t->heap_cap * 2 : 1024;
		struct lt_lease **h = realloc(t->heap, cap * sizeof(*h));

		if (!h)
			return -ENOMEM;
		t->heap = h;
		t->heap_cap = cap;
	}
	l->deadline = deadline;
	heap_put(t, t->heap_len++, l);
	sift_up(t, l->heap_idx);
	return 0;
}

void lt_clear_deadline(struct lease_table *t, struct lt_lease *l)
{
	struct lt_lease *moved;
	size_t i;

	if (!t || !l || l->heap_idx == SIZE_MAX)
		return;
	i = l->heap_idx;
	l->heap_idx = SIZE_MAX;
	if (i == --t->heap_len)
		return;
	moved = t->heap[t->heap_len];
	heap_put(t, i, moved);
	sift_up(t, i);
	sift_down(t, moved->heap_idx);
}

struct lt_lease *lt_first_deadline(const struct lease_table *t)
{
	return t && t->heap_len ? t->heap[0] : NULL;
}

int lt_walk(const struct lease_table *t,
	    int (*cb)(const struct lt_lease *l, void *arg), void *arg)
{
	int r;

	if (!t || !cb)
		return -EINVAL;
	for (size_t i = 0; i < t->nbuckets; i++)
		for (const struct lt_lease *l = t->by_addr[i]; l;
		     l = l->next_addr)
			if ((r = cb(l, arg)))
				return r;
	return 0;
}
