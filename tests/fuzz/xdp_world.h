/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The state the XDP fuzzer runs against (xdp_world.c): a private network
 * namespace with its interfaces and bpffs, the configuration, the
 * engine, and the XDP object with its maps filled by the daemon's code.
 * The leases (their client identifiers and horizons) follow from a seed.
 */
#ifndef DHCPXDP_FUZZ_XDP_WORLD_H
#define DHCPXDP_FUZZ_XDP_WORLD_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "kernel/bpf_obj.h"
#include "kernel/map_sync.h"
#include "xdp_fuzz.h"

struct dx_config;
struct engine;

struct xf_state {
	struct xf_world w;
	char root[64];
	char pin_dir[PATH_MAX];
	bool ns_ready, obj_open;
	struct dx_config *cfg;
	struct engine *eng;
	struct dx_bpf obj;
	struct map_slots slots;
};

/*
 * Move the process into namespaces of its own and build the state from
 * `seed`. 0, or a negative errno with `err` saying what failed. Needs
 * root.
 */
int xf_state_setup(struct xf_state *st, uint64_t seed, char *err,
		   size_t errlen);
void xf_state_free(struct xf_state *st);

/* The kind (enum xf_kind) of the client a chaddr names. */
int xf_client_kind(const uint8_t chaddr[6]);

#endif
