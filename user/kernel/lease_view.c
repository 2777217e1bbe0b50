// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Database rows merged with the XDP lease maps; see lease_view.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <dhcpxdp/abi.h>

#include "kernel/lease_view.h"
#include "kernel/map_addrs.h"
#include "kernel/map_sync.h"

struct lease_maps lease_maps_of(const struct dx_bpf *obj)
{
	return (struct lease_maps){.leases_fd = obj->leases_fd,
				   .addrs_fd = obj->addrs_fd,
				   .windows = obj->windows};
}

int lease_maps_open(const char *pin_dir, struct lease_maps *m)
{
	struct addr_windows *aw = NULL;
	int fd, subnets_fd;

	memset(m, 0, sizeof(*m));
	m->addrs_fd = -1;
	m->owned = true;
	fd = dx_bpf_pinned_map(pin_dir, DX_MAP_LEASES);
	m->leases_fd = fd < 0 ? -1 : fd;
	if (fd < 0)
		return fd;
	/* By address as well, if the windows can be read. */
	subnets_fd = dx_bpf_pinned_map(pin_dir, DX_MAP_SUBNETS);
	fd = dx_bpf_pinned_map(pin_dir, DX_MAP_ADDRS);
	aw = malloc(sizeof(*aw));
	if (subnets_fd >= 0 && fd >= 0 && aw &&
	    !addr_windows_load(aw, subnets_fd)) {
		m->addrs_fd = fd;
		m->windows = aw;
		fd = -1;
		aw = NULL;
	}
	free(aw);
	if (fd >= 0)
		close(fd);
	if (subnets_fd >= 0)
		close(subnets_fd);
	return 0;
}

void lease_maps_close(struct lease_maps *m)
{
	if (!m->owned)
		return;
	if (m->leases_fd >= 0)
		close(m->leases_fd);
	if (m->addrs_fd >= 0)
		close(m->addrs_fd);
	free((void *)m->windows);
	m->leases_fd = m->addrs_fd = -1;
	m->windows = NULL;
}

/* The entry of (subnet_id, mac) with the later of its two expiries. */
static int read_entry(const struct lease_maps *m, uint32_t subnet_id,
		      const uint8_t mac[6], struct dx_lease *l)
{
	struct dx_lease_key k = {.subnet_id = subnet_id};

	if (!m || m->leases_fd < 0)
		return -ENOENT;
	memcpy(k.mac, mac, 6);
	if (bpf_map_lookup_elem(m->leases_fd, &k, l))
		return -ENOENT;
	map_addrs_merge(m->addrs_fd, m->windows, subnet_id, mac, l);
	return 0;
}

void lease_view_merge(const struct lease_maps *m, const struct dx_config *cfg,
		      struct dx_lease_rec *r, int64_t now_wall,
		      uint64_t now_boot)
{
	const struct dx_subnet_conf *sc;
	struct dx_lease l;
	int64_t expires;

	if (r->state != DX_LEASE_ACTIVE)
		return;
	/* Only the entry of this very lease: same address, dynamic. */
	if (read_entry(m, r->subnet_id, r->mac, &l) ||
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

int lease_view_expiry(const struct lease_maps *m, uint32_t subnet_id,
		      const uint8_t mac[6], uint32_t addr, int64_t now_wall,
		      uint64_t now_boot, int64_t *expires)
{
	struct dx_lease l;
	int64_t delta, secs;

	if (!mac || !expires || read_entry(m, subnet_id, mac, &l) ||
	    ntohl(l.addr) != addr || !(l.flags & DX_LEASE_F_DYNAMIC) ||
	    (l.flags & DX_LEASE_F_UNTRACKED))
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
