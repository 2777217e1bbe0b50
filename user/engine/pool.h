/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Address pool allocator: the dynamic ranges of one subnet, one bit per
 * address. Pure bookkeeping, no I/O and no clock: the lease store decides
 * *when* an address changes hands, this module only remembers *which*
 * addresses are taken.
 *
 * Every address of a pool is in exactly one of four states:
 *   free      may be handed out by pool_alloc()
 *   used      leased (or offered) to a client
 *   declined  a client reported it in use by someone else (DHCPDECLINE,
 *             RFC 2131 §4.3.3); out of circulation until released
 *   reserved  never handed out dynamically: the server's own address,
 *             addresses of host reservations (pool_exclude())
 * so that total == free + used + declined + reserved, per pool and per
 * set. The subnet's network and broadcast addresses (prefix <= 30) are
 * not part of any pool at all: pool_contains() is false for them and they
 * are not counted.
 *
 * Addresses are uint32_t in host byte order. Not thread-safe: one owner.
 */
#ifndef DHCPXDP_POOL_H
#define DHCPXDP_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "config/config.h" /* struct dx_pool_range */

struct dx_pool_stats {
	uint64_t total;	   /* addresses in the pool(s), minus net/bcast */
	uint64_t used;	   /* leased or offered */
	uint64_t free;	   /* available to pool_alloc() */
	uint64_t declined; /* in DECLINE probation */
	uint64_t reserved; /* excluded with pool_exclude() */
};

struct dx_pool_set;

/*
 * Build the pools of the subnet network/prefix_len from n ranges. Every
 * range must lie inside the subnet, have start <= end and not overlap
 * another. Returns NULL with errno set (EINVAL, ENOMEM) on failure.
 * n == 0 is allowed (a subnet with reservations only).
 */
struct dx_pool_set *pool_set_new(uint32_t network, uint8_t prefix_len,
				 const struct dx_pool_range *ranges, size_t n);
void pool_set_free(struct dx_pool_set *set);

/* True if addr belongs to one of the set's pools (whatever its state). */
bool pool_contains(const struct dx_pool_set *set, uint32_t addr);
/* True if addr is in a pool and free. */
bool pool_is_free(const struct dx_pool_set *set, uint32_t addr);
bool pool_is_reserved(const struct dx_pool_set *set, uint32_t addr);

/*
 * Take the next free address, next-fit: the search resumes where the last
 * allocation stopped, so addresses are handed out in ascending order and a
 * just-released address is not immediately reused (a client that lost its
 * lease may still be using it). -ENOSPC when every pool is exhausted.
 */
int pool_alloc(struct dx_pool_set *set, uint32_t *addr);
/*
 * Take the first free address of the pool holding start (a client
 * restricted to some pools by its classes). -ENOENT when no pool holds
 * it, -ENOSPC when that one is full.
 */
int pool_alloc_in(struct dx_pool_set *set, uint32_t start, uint32_t *addr);
/*
 * Take a specific address (a client asking for its previous address, a
 * lease loaded from the database). -ENOENT if addr is in no pool, -EBUSY
 * if it is not free.
 */
int pool_take(struct dx_pool_set *set, uint32_t addr);
/*
 * Return a used or declined address to the pool. -ENOENT if addr is in no
 * pool, -EALREADY if it is already free, -EPERM if it is reserved (an
 * exclusion lasts as long as the set: a new configuration builds new
 * pools).
 */
int pool_release(struct dx_pool_set *set, uint32_t addr);
/*
 * Mark addr declined (from free or used): it is out of circulation until
 * pool_release(). Idempotent. -ENOENT if in no pool, -EPERM if reserved.
 */
int pool_decline(struct dx_pool_set *set, uint32_t addr);
/*
 * Never hand addr out (server address, host reservation), for the life
 * of the set. Idempotent.
 * -ENOENT if addr is in no pool (nothing to do for the caller: an address
 * outside the pools is never allocated anyway), -EBUSY if it is currently
 * used or declined (the caller decides what to do with that lease first).
 */
int pool_exclude(struct dx_pool_set *set, uint32_t addr);

/* Counters for the whole set. */
void pool_set_stats(const struct dx_pool_set *set, struct dx_pool_stats *out);

#endif /* DHCPXDP_POOL_H */
