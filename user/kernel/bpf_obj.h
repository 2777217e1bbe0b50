/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Loading the XDP object, pinning it under one bpffs directory, and
 * attaching it to interfaces through pinned bpf_links (docs/design.md §4, §5).
 *
 * Pin layout, directory mode 0700:
 *   <pin_dir>/dx_abi, dx_networks, ...   every map, by its name
 *   <pin_dir>/prog                       the XDP program last loaded
 *   <pin_dir>/link_<ifname>              one bpf_link per attached interface
 *                                        (a "." in <ifname> written ":")
 *
 * A daemon or CLI that finds pinned maps reuses them (leases survive a
 * restart and the fast path keeps serving meanwhile), loads the current
 * program against them and moves every pinned link to it. Pinned maps of
 * another ABI version are refused with instructions.
 */
#ifndef DHCPXDP_BPF_OBJ_H
#define DHCPXDP_BPF_OBJ_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dhcpxdp_bpf;
struct addr_windows;

enum dx_xdp_mode {
	DX_XDP_NATIVE,
	DX_XDP_SKB,
};

struct dx_bpf {
	struct dhcpxdp_bpf *skel;
	char pin_dir[PATH_MAX];
	bool reused; /* maps came from an earlier run */
	int prog_fd;
	/* The program the previous start pinned, -1 if none: still attached
	 * through netlink where links cannot be pinned, and recognised by
	 * it, as looking a program up by id needs CAP_SYS_ADMIN. */
	int prev_prog_fd;
	int networks_fd, ifaces_fd, relays_fd, subnets_fd, leases_fd, stats_fd;
	int events_fd;
	int limits_fd;		 /* dx_limits: the rate limits (map_limits.h) */
	int circuits_fd;	 /* dx_circuits: reservations by circuit id */
	int addrs_fd;		 /* dx_addrs: dynamic leases by address */
	uint32_t lease_capacity; /* max_entries of the lease map in use */
	uint32_t addrs_capacity; /* and of dx_addrs */
	/* Each subnet's window in dx_addrs, as the subnets map says
	 * (addr_window.h); kept by map_sync.c and map_windows.c. NULL until opened. */
	struct addr_windows *windows;
};

/*
 * Open (reusing pinned maps) or create and pin the object. Every pin is
 * checked before anything is pinned: each map is absent or this build's
 * (type, key and value size; any size for the lease maps), and either all
 * or none are there. A failure removes exactly the pins this call made
 * (and the directory, if it made it), never one it found. `err` gets a
 * sentence for the operator. Returns 0 or a negative errno: -EPROTO on
 * an ABI mismatch, -EEXIST when a pin is not ours (named in err),
 * -ENOENT when some of ours are missing, -EPERM without the
 * capabilities, -ENOTDIR/-EINVAL when pin_dir is not on a bpffs.
 */
int dx_bpf_open(struct dx_bpf *obj, const char *pin_dir,
		uint32_t lease_capacity, char *err, size_t errlen);
void dx_bpf_close(struct dx_bpf *obj);

/* A file descriptor on the pinned map `name` under pin_dir, for readers
 * (the CLI): -EPROTO when the pins are of another ABI version, -ENOENT
 * when there are none, -errno otherwise. */
int dx_bpf_pinned_map(const char *pin_dir, const char *name);

/*
 * Attach to `ifname` through a pinned link, or move our existing
 * attachment to the program just loaded. Should bpffs refuse the link
 * pin, the program is attached through netlink instead (it outlives the
 * process just the same). A program is "ours" when it is the pinned one,
 * the one the previous start pinned, or uses our pinned lease map. A foreign
 * XDP program is replaced only with `force`; otherwise -EBUSY and `err`
 * names it.
 */
int dx_bpf_attach(struct dx_bpf *obj, const char *ifname, enum dx_xdp_mode mode,
		  bool force, char *err, size_t errlen);

/* Remove our program from `ifname` (and the link's pin); -ENOENT when it
 * has none of ours. */
int dx_bpf_detach(const char *pin_dir, const char *ifname, char *err,
		  size_t errlen);

/* Whether `ifname` runs our program: 0 with its id and how it is
 * attached, -ENOENT when not, -ENODEV when there is no such interface. */
int dx_bpf_attached(const char *pin_dir, const char *ifname, uint32_t *prog_id,
		    bool *via_link);

int dx_xdp_mode_parse(const char *s, enum dx_xdp_mode *mode);

#endif /* DHCPXDP_BPF_OBJ_H */
