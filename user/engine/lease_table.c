// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * In-memory lease index, sized for millions of leases (the target: at
 * most 128 bytes of daemon memory per lease with 1,000,000 of them).
 *
 * Entries live in slabs of LT_SLAB entries that never move or shrink, so
 * a pointer to an entry stays valid while it is in the table; removed
 * entries go on a free list and are reused first. An entry is named by
 * its number (slab << LT_SLAB_SHIFT | slot; 0 is never used and means
 * "none"), 4 bytes where a pointer takes 8: the hash chains and the heap
 * hold numbers.
 *
 * Chained hash tables (power-of-two buckets, grown at load factor 1, the
 * three indexes share one size) and an indexed binary min-heap of
 * deadlines (each entry knows its heap slot, so a deadline moves in
 * O(log n) and the heap never holds stale items).
 *
 * A client-id up to LT_CID_INLINE bytes is kept in the entry; a longer
 * one, and the host name (only needed for the rows the engine writes),
 * share one side allocation per entry.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/lease.h"
#include "engine/lease_table.h"

#define LT_MIN_BUCKETS 1024
#define LT_SLAB_SHIFT  12 /* 4096 entries: 320 KiB, 80 pages */
#define LT_SLAB	       (1u << LT_SLAB_SHIFT)
#define LT_MAX_ENTRIES (UINT32_MAX - LT_SLAB) /* numbers fit a uint32_t */
#define LT_NO_HEAP     UINT32_MAX

/* lt_lease.store */
#define LTS_FREE 0x01 /* on the free list */
#define LTS_EXT	 0x02 /* u.ext holds client-id and host name */
#define LTS_HOST 0x04 /* a host name follows the client-id in u.ext */

_Static_assert(sizeof(struct lt_lease) == 80, "lt_lease grew");

struct lease_table {
	size_t count;
	size_t nbuckets; /* power of two */
	uint32_t *by_addr, *by_mac, *by_cid;
	uint32_t *heap;
	size_t heap_len, heap_cap;
	struct lt_lease **slabs;
	size_t n_slabs, slabs_cap;
	uint32_t used;	    /* numbers handed out so far, 0 included */
	uint32_t free_head; /* free list, linked through next_addr */
};

static inline struct lt_lease *ent(const struct lease_table *t, uint32_t i)
{
	return &t->slabs[i >> LT_SLAB_SHIFT][i & (LT_SLAB - 1)];
}

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
	t->used = 1; /* number 0 means "none" */
	return t;
}

void lt_free(struct lease_table *t)
{
	if (!t)
		return;
	for (uint32_t i = 1; i < t->used; i++)
		if (ent(t, i)->store & LTS_EXT)
			free(ent(t, i)->u.ext);
	for (size_t i = 0; i < t->n_slabs; i++)
		free(t->slabs[i]);
	free(t->slabs);
	free(t->by_addr);
	free(t->by_mac);
	free(t->by_cid);
	free(t->heap);
	free(t);
}

/* --- client-id and host name storage ---------------------------------- */

const uint8_t *lt_client_id(const struct lt_lease *l)
{
	if (!l || !l->client_id_len)
		return NULL;
	return l->store & LTS_EXT ? l->u.ext : l->u.cid;
}

const char *lt_hostname(const struct lt_lease *l)
{
	if (!l || !(l->store & LTS_HOST))
		return NULL;
	return (const char *)l->u.ext + l->client_id_len;
}

static void store_drop(struct lt_lease *l)
{
	if (l->store & LTS_EXT)
		free(l->u.ext);
	l->store &= ~(LTS_EXT | LTS_HOST);
	memset(&l->u, 0, sizeof(l->u));
}

/*
 * Give l this client-id and host name (NULL: none; may be "" as the old
 * value could be). cid and host may point into l's own storage. -ENOMEM
 * leaves l as it was.
 */
static int store_set(struct lt_lease *l, const uint8_t *cid, size_t len,
		     const char *host, size_t host_len)
{
	uint8_t tmp[LT_CID_INLINE];
	uint8_t *ext = NULL;

	if (host || len > LT_CID_INLINE) {
		ext = malloc(len + (host ? host_len + 1 : 0));
		if (!ext)
			return -ENOMEM;
		if (len)
			memcpy(ext, cid, len);
		if (host) {
			memcpy(ext + len, host, host_len);
			ext[len + host_len] = '\0';
		}
	} else if (len) {
		memcpy(tmp, cid, len);
	}
	store_drop(l);
	if (ext) {
		l->u.ext = ext;
		l->store |= LTS_EXT | (host ? LTS_HOST : 0);
	} else if (len) {
		memcpy(l->u.cid, tmp, len);
	}
	l->client_id_len = (uint8_t)len;
	return 0;
}

/* No client-id any more; the host name stays. Cannot fail. */
static void store_clear_cid(struct lt_lease *l)
{
	if (l->store & LTS_HOST) {
		/* Slide the name down; the allocation stays a little big. */
		char *h = (char *)l->u.ext + l->client_id_len;

		memmove(l->u.ext, h, strlen(h) + 1);
	} else {
		store_drop(l);
	}
	l->client_id_len = 0;
}

/* --- chains ----------------------------------------------------------- */

static void link_client(struct lease_table *t, struct lt_lease *l)
{
	size_t b;

	if (!(l->lt_flags & LT_F_OWNED))
		return;
	b = h_mac(t, l->subnet_id, l->mac);
	l->next_mac = t->by_mac[b];
	t->by_mac[b] = l->self;
	if (l->client_id_len) {
		b = h_cid(t, l->subnet_id, lt_client_id(l), l->client_id_len);
		l->next_cid = t->by_cid[b];
		t->by_cid[b] = l->self;
	}
}

static void link_addr(struct lease_table *t, struct lt_lease *l)
{
	size_t b = h_addr(t, l->subnet_id, l->addr);

	l->next_addr = t->by_addr[b];
	t->by_addr[b] = l->self;
}

/* Take l out of the chain at *head, linked through the field at next_off. */
static void unlink_chain(struct lease_table *t, uint32_t *head,
			 struct lt_lease *l, size_t next_off)
{
	for (uint32_t *p = head; *p;
	     p = (uint32_t *)((char *)ent(t, *p) + next_off))
		if (*p == l->self) {
			*p = *(uint32_t *)((char *)l + next_off);
			return;
		}
}

static void unlink_client(struct lease_table *t, struct lt_lease *l)
{
	if (!(l->lt_flags & LT_F_OWNED))
		return;
	unlink_chain(t, &t->by_mac[h_mac(t, l->subnet_id, l->mac)], l,
		     offsetof(struct lt_lease, next_mac));
	if (l->client_id_len)
		unlink_chain(t,
			     &t->by_cid[h_cid(t, l->subnet_id, lt_client_id(l),
					      l->client_id_len)],
			     l, offsetof(struct lt_lease, next_cid));
	l->next_mac = l->next_cid = 0;
}

/*
 * Double the buckets and relink every entry, walking the slabs in order
 * (sequential memory, not the chains). On allocation failure keep the
 * old buckets (slower).
 */
static void grow(struct lease_table *t)
{
	size_t n = t->nbuckets * 2;
	uint32_t *a = calloc(n, sizeof(*a));
	uint32_t *m = calloc(n, sizeof(*m));
	uint32_t *c = calloc(n, sizeof(*c));

	if (!a || !m || !c) {
		free(a);
		free(m);
		free(c);
		return;
	}
	free(t->by_addr);
	free(t->by_mac);
	free(t->by_cid);
	t->by_addr = a;
	t->by_mac = m;
	t->by_cid = c;
	t->nbuckets = n;
	for (uint32_t i = 1; i < t->used; i++) {
		struct lt_lease *l = ent(t, i);

		if (l->store & LTS_FREE)
			continue;
		link_addr(t, l);
		link_client(t, l);
	}
}

struct lt_lease *lt_find_addr(const struct lease_table *t, uint32_t subnet_id,
			      uint32_t addr)
{
	if (!t)
		return NULL;
	for (uint32_t i = t->by_addr[h_addr(t, subnet_id, addr)]; i;) {
		struct lt_lease *l = ent(t, i);

		if (l->addr == addr && l->subnet_id == subnet_id)
			return l;
		i = l->next_addr;
	}
	return NULL;
}

/* --- slabs ------------------------------------------------------------ */

/* A free entry's number (the free list first), or 0 (-ENOMEM). */
static uint32_t slot_take(struct lease_table *t)
{
	uint32_t i = t->free_head;

	if (i) {
		t->free_head = ent(t, i)->next_addr;
		return i;
	}
	if (t->used >= LT_MAX_ENTRIES)
		return 0;
	if ((t->used >> LT_SLAB_SHIFT) == t->n_slabs) {
		struct lt_lease *s, **v = t->slabs;

		if (t->n_slabs == t->slabs_cap) {
			size_t cap = t->slabs_cap ? t->slabs_cap * 2 : 16;

			v = realloc(t->slabs, cap * sizeof(*v));
			if (!v)
				return 0;
			t->slabs = v;
			t->slabs_cap = cap;
		}
		s = malloc(LT_SLAB * sizeof(*s));
		if (!s)
			return 0;
		t->slabs[t->n_slabs++] = s;
	}
	return t->used++;
}

static void slot_give_back(struct lease_table *t, struct lt_lease *l)
{
	l->store = LTS_FREE;
	l->next_addr = t->free_head;
	t->free_head = l->self;
}

int lt_insert(struct lease_table *t, uint32_t subnet_id, uint32_t addr,
	      struct lt_lease **out)
{
	struct lt_lease *l;
	uint32_t i;

	if (!t || !out)
		return -EINVAL;
	if (lt_find_addr(t, subnet_id, addr))
		return -EEXIST;
	/* Before taking a slot: grow() relinks every slot in use. */
	if (t->count >= t->nbuckets)
		grow(t);
	i = slot_take(t);
	if (!i)
		return -ENOMEM;
	l = ent(t, i);
	memset(l, 0, sizeof(*l));
	l->subnet_id = subnet_id;
	l->addr = addr;
	l->self = i;
	l->heap_idx = LT_NO_HEAP;
	link_addr(t, l);
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
	unlink_chain(t, &t->by_addr[h_addr(t, l->subnet_id, l->addr)], l,
		     offsetof(struct lt_lease, next_addr));
	t->count--;
	store_drop(l);
	slot_give_back(t, l);
}

/* --- owner and host name ---------------------------------------------- */

/* lt_set_owner() and lt_hand_over(): keep_host keeps the host name. */
static int set_owner(struct lease_table *t, struct lt_lease *l,
		     const uint8_t mac[6], const uint8_t *client_id, size_t len,
		     bool keep_host)
{
	const char *host;
	int ret;

	if (!t || !l || !mac || (len && !client_id) || len > 255)
		return -EINVAL;
	/* Unchanged owner: nothing to re-index (the common renewal case). */
	if (keep_host && (l->lt_flags & LT_F_OWNED) &&
	    !memcmp(l->mac, mac, 6) && l->client_id_len == len &&
	    (!len || !memcmp(lt_client_id(l), client_id, len)))
		return 0;
	unlink_client(t, l);
	l->lt_flags &= ~LT_F_OWNED;
	host = keep_host ? lt_hostname(l) : NULL;
	ret = store_set(l, client_id, len, host, host ? strlen(host) : 0);
	if (ret) {
		/* Left unowned, as lt_clear_owner() would. */
		lt_clear_owner(t, l);
		return ret;
	}
	memcpy(l->mac, mac, 6);
	l->lt_flags |= LT_F_OWNED;
	link_client(t, l);
	return 0;
}

int lt_set_owner(struct lease_table *t, struct lt_lease *l,
		 const uint8_t mac[6], const uint8_t *client_id, size_t len)
{
	return set_owner(t, l, mac, client_id, len, true);
}

int lt_hand_over(struct lease_table *t, struct lt_lease *l,
		 const uint8_t mac[6], const uint8_t *client_id, size_t len)
{
	return set_owner(t, l, mac, client_id, len, false);
}

void lt_clear_owner(struct lease_table *t, struct lt_lease *l)
{
	if (!t || !l)
		return;
	unlink_client(t, l);
	l->lt_flags &= ~LT_F_OWNED;
	memset(l->mac, 0, sizeof(l->mac));
	store_clear_cid(l);
}

int lt_set_hostname(struct lt_lease *l, const char *name, size_t len)
{
	const char *old;

	if (!l)
		return -EINVAL;
	old = lt_hostname(l);
	/* Unchanged (a renewal sends the same name): no allocation. */
	if (name && len && old && strlen(old) == len && !memcmp(old, name, len))
		return 0;
	if (!(name && len) && !old)
		return 0;
	return store_set(l, lt_client_id(l), l->client_id_len,
			 name && len ? name : NULL, name ? len : 0);
}

bool lt_owned_by(const struct lt_lease *l, const uint8_t mac[6],
		 const uint8_t *client_id, size_t len)
{
	if (!l || !(l->lt_flags & LT_F_OWNED))
		return false;
	if (len && l->client_id_len)
		return len == l->client_id_len &&
		       !memcmp(client_id, lt_client_id(l), len);
	return !memcmp(l->mac, mac, 6);
}

/* A lease or held offer, as opposed to a row kept only for stickiness. */
static bool live(const struct lt_lease *l)
{
	return l->state == DX_LEASE_ACTIVE || l->state == LT_STATE_OFFERED;
}

/*
 * Put l in out[] (n matches so far). Once out[] is full, a live entry
 * still takes the place of one that is not: a client with more rows than
 * the caller's room (each address it ever held is remembered) must not
 * have its current lease go unseen - the engine would grant a second one
 * beside it (found by tests/fuzz, findings/one-lease-*).
 */
static void keep_match(struct lt_lease **out, size_t max, size_t n,
		       struct lt_lease *l)
{
	if (n < max) {
		out[n] = l;
		return;
	}
	if (!live(l))
		return;
	for (size_t k = 0; k < max; k++)
		if (!live(out[k])) {
			out[k] = l;
			return;
		}
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
		for (uint32_t i =
			     t->by_cid[h_cid(t, subnet_id, client_id, len)];
		     i;) {
			struct lt_lease *l = ent(t, i);

			if (l->subnet_id == subnet_id &&
			    lt_owned_by(l, mac, client_id, len))
				keep_match(out, max, n++, l);
			i = l->next_cid;
		}
	/*
	 * Through chaddr: every lease of that chaddr when the request has no
	 * client-id, else only those without one (the rest were above).
	 */
	for (uint32_t i = t->by_mac[h_mac(t, subnet_id, mac)]; i;) {
		struct lt_lease *l = ent(t, i);

		if (l->subnet_id == subnet_id && (!len || !l->client_id_len) &&
		    lt_owned_by(l, mac, client_id, len))
			keep_match(out, max, n++, l);
		i = l->next_mac;
	}
	return n;
}

/* --- deadline heap ---------------------------------------------------- */

static void heap_put(struct lease_table *t, uint32_t slot, struct lt_lease *l)
{
	t->heap[slot] = l->self;
	l->heap_idx = slot;
}

static void sift_up(struct lease_table *t, uint32_t i)
{
	struct lt_lease *l = ent(t, t->heap[i]);

	while (i > 0) {
		uint32_t p = (i - 1) / 2;
		struct lt_lease *pl = ent(t, t->heap[p]);

		if (pl->deadline <= l->deadline)
			break;
		heap_put(t, i, pl);
		i = p;
	}
	heap_put(t, i, l);
}

static void sift_down(struct lease_table *t, uint32_t i)
{
	struct lt_lease *l = ent(t, t->heap[i]);

	for (;;) {
		size_t c = 2 * (size_t)i + 1;
		struct lt_lease *cl;

		if (c >= t->heap_len)
			break;
		cl = ent(t, t->heap[c]);
		if (c + 1 < t->heap_len) {
			struct lt_lease *r = ent(t, t->heap[c + 1]);

			if (r->deadline < cl->deadline) {
				cl = r;
				c++;
			}
		}
		if (l->deadline <= cl->deadline)
			break;
		heap_put(t, i, cl);
		i = (uint32_t)c;
	}
	heap_put(t, i, l);
}

int lt_set_deadline(struct lease_table *t, struct lt_lease *l, int64_t deadline)
{
	if (!t || !l)
		return -EINVAL;
	if (l->heap_idx != LT_NO_HEAP) {
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
		uint32_t *h = realloc(t->heap, cap * sizeof(*h));

		if (!h)
			return -ENOMEM;
		t->heap = h;
		t->heap_cap = cap;
	}
	l->deadline = deadline;
	heap_put(t, (uint32_t)t->heap_len++, l);
	sift_up(t, l->heap_idx);
	return 0;
}

void lt_clear_deadline(struct lease_table *t, struct lt_lease *l)
{
	struct lt_lease *moved;
	uint32_t i;

	if (!t || !l || l->heap_idx == LT_NO_HEAP)
		return;
	i = l->heap_idx;
	l->heap_idx = LT_NO_HEAP;
	if (i == --t->heap_len)
		return;
	moved = ent(t, t->heap[t->heap_len]);
	heap_put(t, i, moved);
	sift_up(t, i);
	sift_down(t, moved->heap_idx);
}

struct lt_lease *lt_first_deadline(const struct lease_table *t)
{
	return t && t->heap_len ? ent(t, t->heap[0]) : NULL;
}
