// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Database rows merged with the XDP lease map; see lease_view.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <bpf/bpf.h>
#include <dhcpxdp/abi.h>

#include "kernel/lease_view.h"
#include "kernel/map_sync.h"

void lease_view_merge(int leases_fd, const struct dx_config *cfg,
		      struct dx_lease_rec *r, int64_t now_wall,
		      uint64_t now_boot)
{
	const struct dx_subnet_conf *sc;
	struct dx_lease_key k = {.subnet_id = r->subnet_id};
	struct dx_lease l;
	int64_t expires;

	if (leases_fd < 0 || r->state != DX_LEASE_ACTIVE)
		return;
	memcpy(k.mac, r->mac, 6);
	/* Only the entry of this very lease: same address, dynamic. */
	if (bpf_map_lookup_elem(leases_fd, &k, &l) ||
	    ntohl(l.addr) != r->addr || !(l.flags & DX_LEASE_F_DYNAMIC) ||
	    l.expires_ns <= now_boot)
		return;
	expires = map_boot_to_wall(l.expires_ns, now_wall, now_boot);
	if (expires <= r->expires)
		return;
	r->expires = expires;
	r->flags |= DX_LEASE_F_FASTPATH;
	/* The renewal came one lease time before the end it was granted. */
	sc = cfg ? config_subnet_by_id(cfg, r->subnet_id) : NULL;
	if (sc && expires - (int64_t)sc->valid_lifetime > r->last_seen)
		r->last_seen = expires - (int64_t)sc->valid_lifetime;
}

#define NSEC_PER_SEC 1000000000LL

int lease_view_expiry(int leases_fd, uint32_t subnet_id, const uint8_t mac[6],
		      uint32_t addr, int64_t now_wall, uint64_t now_boot,
		      int64_t *expires)
{
	struct dx_lease_key k = {.subnet_id = subnet_id};
	struct dx_lease l;
	int64_t delta, secs;

	if (leases_fd < 0 || !mac || !expires)
		return -ENOENT;
	memcpy(k.mac, mac, 6);
	if (bpf_map_lookup_elem(leases_fd, &k, &l) || ntohl(l.addr) != addr ||
	    !(l.flags & DX_LEASE_F_DYNAMIC) || (l.flags & DX_LEASE_F_UNTRACKED))
		return -ENOENT;
	/*
	 * now_boot is somewhere in the wall-clock second now_wall, so the
	 * expiry lies before now_wall + 1 + delta: rounded up from there.
	 */
	delta = (int64_t)(l.expires_ns - now_boot);
	secs = delta / NSEC_PER_SEC;
	if (secs * NSEC_PER_SEC < delta)
		secs++;
	*expires = now_wall + 1 + secs;
	return 0;
}
