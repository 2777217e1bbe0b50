/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The engine's in-memory lease index: one entry per (subnet, address) the
 * engine knows something about - a granted lease, a held offer, a declined
 * address in probation, or a released/expired row remembered for sticky
 * addresses. It mirrors the lease database's key (subnet_id, addr) so an
 * entry and a row are always the same thing.
 *
 * Three indexes: by (subnet, addr), by (subnet, chaddr) and by (subnet,
 * client-id); plus a min-heap of deadlines (end of an offer hold, of a
 * lease's max(expires, horizon), of a probation) so that expiry costs
 * O(log n) per due entry instead of a walk of the table.
 *
 * Pure bookkeeping: no policy. The engine decides what the states mean.
 * Not thread-safe: one owner.
 */
#ifndef DHCPXDP_LEASE_TABLE_H
#define DHCPXDP_LEASE_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* In-memory only state: an address held for an OFFER (never persisted). */
#define LT_STATE_OFFERED 0x80

/* lt_lease.lt_flags */
#define LT_F_OWNED 0x01 /* has a client (mac / client-id) and is indexed */

/* Client-ids up to this long live in the entry (type 1 + MAC is 7). */
#define LT_CID_INLINE 8

/*
 * 80 bytes, kept in fixed-size slabs: a pointer to an entry stays valid
 * until lt_remove() (the engine holds them). The daemon's memory
 * per lease is mostly this, the index slots and the deadline heap slot.
 * What a chain hop or a heap sift reads comes first (one cache line).
 */
struct lt_lease {
	uint32_t subnet_id;
	uint32_t addr; /* host byte order */

	/* private to lease_table.c: entry numbers, 0 = none */
	uint32_t next_addr, next_mac, next_cid;
	uint32_t heap_idx; /* slot in the deadline heap, UINT32_MAX if none */
	int64_t deadline;  /* read-only outside lease_table.c */

	uint8_t mac[6];
	uint8_t state;	       /* enum dx_lease_state, or LT_STATE_OFFERED */
	uint8_t db_state;      /* state of the persisted row, 0 = no row */
	uint8_t flags;	       /* DX_LEASE_F_* (persisted) */
	uint8_t lt_flags;      /* LT_F_* (the engine may use bits 0x10-0x80) */
	uint8_t client_id_len; /* the bytes: lt_client_id() */

	/* private to lease_table.c */
	uint8_t store; /* LTS_* in lease_table.c */
	uint32_t self; /* this entry's number */
	union {
		uint8_t cid[LT_CID_INLINE]; /* short client-id, no host name */
		uint8_t *ext; /* [client-id][host name, NUL-terminated] */
	} u;

	int64_t expires, horizon, last_seen;
};

struct lease_table;

/* NULL with errno ENOMEM on failure. */
struct lease_table *lt_new(void);
/* Frees every entry too. */
void lt_free(struct lease_table *t);

/* The entry for (subnet, addr), or NULL. */
struct lt_lease *lt_find_addr(const struct lease_table *t, uint32_t subnet_id,
			      uint32_t addr);

/*
 * Create the entry for (subnet, addr): no owner, state 0, no deadline.
 * -EEXIST if there is one, -ENOMEM.
 */
int lt_insert(struct lease_table *t, uint32_t subnet_id, uint32_t addr,
	      struct lt_lease **out);
/* Unlink from every index and the heap; a later insert reuses the slot. */
void lt_remove(struct lease_table *t, struct lt_lease *l);

/*
 * Give the entry an owner: chaddr and (optional, len 0 = none) client-id.
 * Re-indexes it; the host name stays. -ENOMEM (entry left unowned).
 */
int lt_set_owner(struct lease_table *t, struct lt_lease *l,
		 const uint8_t mac[6], const uint8_t *client_id, size_t len);
/*
 * Give the entry to another client: as lt_set_owner(), but nothing of the
 * previous owner stays (its host name goes too). -ENOMEM (entry left
 * unowned, so the next attempt is a hand-over again).
 */
int lt_hand_over(struct lease_table *t, struct lt_lease *l,
		 const uint8_t mac[6], const uint8_t *client_id, size_t len);
/* Forget the owner (a declined address belongs to nobody). */
void lt_clear_owner(struct lease_table *t, struct lt_lease *l);
/* Replace the host name (len 0 or NULL: none). -ENOMEM. */
int lt_set_hostname(struct lt_lease *l, const char *name, size_t len);

/* The owner's client-id (client_id_len bytes); NULL when it has none. */
const uint8_t *lt_client_id(const struct lt_lease *l);
/* The host name, NUL-terminated; NULL when none. */
const char *lt_hostname(const struct lt_lease *l);

/*
 * The client matching rule (as Kea's Lease4::belongsToClient): the same
 * client-id when both sides have one; otherwise, when either side has
 * none, the same chaddr (RFC 2131 §4.2: client-id if sent, else chaddr).
 */
bool lt_owned_by(const struct lt_lease *l, const uint8_t mac[6],
		 const uint8_t *client_id, size_t len);

/*
 * Entries of this client in this subnet (lt_owned_by), at most max of
 * them into out[]; returns how many matched in total (may exceed max).
 * When more than max match, the live ones (ACTIVE, held offers) are among
 * those returned, as far as max allows.
 */
size_t lt_find_client(const struct lease_table *t, uint32_t subnet_id,
		      const uint8_t mac[6], const uint8_t *client_id,
		      size_t len, struct lt_lease **out, size_t max);

/* Deadlines: set (or move) the entry's, or take it out of the heap. */
int lt_set_deadline(struct lease_table *t, struct lt_lease *l,
		    int64_t deadline);
void lt_clear_deadline(struct lease_table *t, struct lt_lease *l);
/* The entry with the earliest deadline, NULL if none. */
struct lt_lease *lt_first_deadline(const struct lease_table *t);

#endif /* DHCPXDP_LEASE_TABLE_H */
