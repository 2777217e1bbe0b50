// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* dx_addrs kept in step with dx_leases; see map_addrs.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <bpf/bpf.h>
#include "kernel/map_addrs.h"

#define ADDRS_BATCH 4096

static void entry_of(const struct dx_lease_key *k, const struct dx_lease *l,
		     struct dx_addr_lease *e)
{
	memset(e, 0, sizeof(*e));
	e->lease = *l;
	e->subnet_id = k->subnet_id;
	memcpy(e->mac, k->mac, 6);
}

static bool is_lease(const struct dx_addr_lease *e, uint32_t subnet_id,
		     const uint8_t mac[6], uint32_t addr)
{
	return e->subnet_id == subnet_id && ntohl(e->lease.addr) == addr &&
	       !memcmp(e->mac, mac, 6);
}

int map_addrs_put(const struct dx_bpf *obj, const struct dx_lease_key *k,
		  const struct dx_lease *l)
{
	struct dx_addr_lease e;
	uint32_t idx;

	if (!(l->flags & DX_LEASE_F_DYNAMIC) ||
	    !addr_windows_index(obj->windows, k->subnet_id, ntohl(l->addr),
				&idx))
		return 0;
	entry_of(k, l, &e);
	return bpf_map_update_elem(obj->addrs_fd, &idx, &e, BPF_ANY) ? -errno
								     : 0;
}

int map_addrs_put_many(const struct dx_bpf *obj,
		       const struct dx_lease_key *keys,
		       const struct dx_lease *vals, size_t n)
{
	static uint32_t idx[ADDRS_BATCH];
	static struct dx_addr_lease ent[ADDRS_BATCH];
	LIBBPF_OPTS(bpf_map_batch_opts, bo);
	int ret = 0, r;

	for (size_t i = 0; i < n;) {
		uint32_t cnt = 0, done;
		size_t start = i;

		for (; i < n && cnt < ADDRS_BATCH; i++) {
			if (!(vals[i].flags & DX_LEASE_F_DYNAMIC) ||
			    !addr_windows_index(obj->windows, keys[i].subnet_id,
						ntohl(vals[i].addr), &idx[cnt]))
				continue;
			entry_of(&keys[i], &vals[i], &ent[cnt++]);
		}
		done = cnt;
		if (!cnt ||
		    !bpf_map_update_batch(obj->addrs_fd, idx, ent, &done, &bo))
			continue;
		/* A kernel without batches for arrays: one by one. */
		for (size_t j = start; j < i; j++) {
			r = map_addrs_put(obj, &keys[j], &vals[j]);
			if (r && !ret)
				ret = r;
		}
	}
	return ret;
}

int map_addrs_forget(const struct dx_bpf *obj, uint32_t subnet_id,
		     const uint8_t mac[6], uint32_t addr)
{
	static const struct dx_addr_lease empty;
	struct dx_addr_lease e;
	uint32_t idx;

	if (!addr_windows_index(obj->windows, subnet_id, addr, &idx))
		return 0;
	if (bpf_map_lookup_elem(obj->addrs_fd, &idx, &e))
		return -errno;
	if (!is_lease(&e, subnet_id, mac, addr))
		return 0;
	return bpf_map_update_elem(obj->addrs_fd, &idx, &empty, BPF_ANY)
		       ? -errno
		       : 0;
}

int map_addrs_forget_key(const struct dx_bpf *obj, const struct dx_lease_key *k)
{
	struct dx_lease l;

	if (!obj->windows || !obj->windows->n ||
	    bpf_map_lookup_elem(obj->leases_fd, k, &l) ||
	    !(l.flags & DX_LEASE_F_DYNAMIC))
		return 0;
	return map_addrs_forget(obj, k->subnet_id, k->mac, ntohl(l.addr));
}

int map_addrs_clear(int addrs_fd, uint32_t base, uint32_t n)
{
	static uint32_t idx[ADDRS_BATCH];
	static struct dx_addr_lease zero[ADDRS_BATCH];
	LIBBPF_OPTS(bpf_map_batch_opts, bo);

	while (n) {
		uint32_t cnt = n < ADDRS_BATCH ? n : ADDRS_BATCH, done = cnt;

		for (uint32_t i = 0; i < cnt; i++)
			idx[i] = base + i;
		if (bpf_map_update_batch(addrs_fd, idx, zero, &done, &bo)) {
			for (uint32_t i = 0; i < cnt; i++)
				if (bpf_map_update_elem(addrs_fd, &idx[i],
							&zero[i], BPF_ANY))
					return -errno;
		}
		base += cnt;
		n -= cnt;
	}
	return 0;
}

int map_addrs_move(int addrs_fd, uint32_t subnet_id,
		   const struct dx_addr_window *from,
		   const struct dx_addr_window *to, uint64_t now_boot_ns,
		   uint64_t renew_until_ns)
{
	struct dx_addr_lease e;
	uint32_t addr, off, idx;

	/* One lookup per address: a window moves only when a reload
	 * changes its subnet's pools. */
	for (uint32_t i = 0; i < from->size; i++) {
		idx = from->base + i;
		if (bpf_map_lookup_elem(addrs_fd, &idx, &e))
			return -errno;
		addr = from->first + i;
		if (!is_lease(&e, subnet_id, e.mac, addr))
			continue;
		off = addr - to->first;
		if (off >= to->size)
			continue; /* out of the pools: the engine drops it */
		idx = to->base + off;
		if (e.lease.expires_ns > now_boot_ns &&
		    e.lease.expires_ns < renew_until_ns)
			e.lease.expires_ns = renew_until_ns;
		if (bpf_map_update_elem(addrs_fd, &idx, &e, BPF_ANY))
			return -errno;
	}
	return 0;
}

void map_addrs_merge(int addrs_fd, const struct addr_windows *aw,
		     uint32_t subnet_id, const uint8_t mac[6],
		     struct dx_lease *l)
{
	struct dx_addr_lease e;
	uint32_t idx;

	if (addrs_fd < 0 || !(l->flags & DX_LEASE_F_DYNAMIC) ||
	    !addr_windows_index(aw, subnet_id, ntohl(l->addr), &idx) ||
	    bpf_map_lookup_elem(addrs_fd, &idx, &e) ||
	    !is_lease(&e, subnet_id, mac, ntohl(l->addr)))
		return;
	if (e.lease.expires_ns > l->expires_ns)
		l->expires_ns = e.lease.expires_ns;
}
