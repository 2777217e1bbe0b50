// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <string.h>
#include <bpf/bpf.h>

#include "config/config.h"
#include "kernel/map_limits.h"

static void put(struct dx_rate_limit *l, const struct dx_rate_limit_conf *c)
{
	l->rate = c->rate;
	l->burst = c->burst;
}

void map_limits_from_config(const struct dx_config *cfg,
			    struct dx_rate_limits *out)
{
	const struct dx_rate_limits_conf *rl = &cfg->dhcpxdp.rate_limits;

	memset(out, 0, sizeof(*out));
	put(&out->limit[DX_RATE_CLIENT], &rl->per_client);
	put(&out->limit[DX_RATE_NETWORK], &rl->per_network);
	put(&out->limit[DX_RATE_RELAY], &rl->per_relay);
	put(&out->limit[DX_RATE_CIRCUIT_ID], &rl->per_circuit_id);
}

int map_limits_sync(const struct dx_bpf *obj, const struct dx_config *cfg)
{
	struct dx_rate_limits v;
	uint32_t key = 0;

	if (!obj || !cfg)
		return -EINVAL;
	map_limits_from_config(cfg, &v);
	/* One array entry, copied in place: for an instant XDP may read
	 * some fields old and some new, each of them a valid limit (XDP
	 * treats a burst of 0 as 1). */
	if (bpf_map_update_elem(obj->limits_fd, &key, &v, BPF_ANY))
		return -errno;
	return 0;
}
