// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sched.h>
#include <unistd.h>
#include <sys/mount.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "dhcpxdp.skel.h"
#include "xdp_env.h"

#define VLOG_SIZE (16U << 20)

int xdp_env_open(struct xdp_env *env, uint32_t lease_capacity)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo);
	int err;

	memset(env, 0, sizeof(*env));
	env->verifier_log = calloc(1, VLOG_SIZE);
	if (!env->verifier_log)
		return -ENOMEM;
	oo.kernel_log_buf = env->verifier_log;
	oo.kernel_log_size = VLOG_SIZE;
	oo.kernel_log_level = 1;
	env->skel = dhcpxdp_bpf__open_opts(&oo);
	if (!env->skel) {
		err = -errno;
		goto fail;
	}
	if (lease_capacity) {
		bpf_map__set_max_entries(env->skel->maps.dx_leases,
					 lease_capacity);
		bpf_map__set_max_entries(env->skel->maps.dx_addrs,
					 lease_capacity);
	}
	err = dhcpxdp_bpf__load(env->skel);
	if (err) {
		fprintf(stderr, "dhcpxdp.bpf.o failed to load (%d); verifier log:\n%s\n",
			err, env->verifier_log);
		goto fail;
	}
	env->prog_fd = bpf_program__fd(env->skel->progs.dhcpxdp_xdp);
	return 0;
fail:
	xdp_env_close(env);
	return err;
}

void xdp_env_close(struct xdp_env *env)
{
	dhcpxdp_bpf__destroy(env->skel);
	free(env->verifier_log);
	memset(env, 0, sizeof(*env));
}

int xdp_env_add_network(struct xdp_env *env, uint32_t ifindex, uint16_t vlan,
			uint32_t subnet_slot, const uint8_t mac[6],
			uint32_t addr_host)
{
	return xdp_env_add_qinq_network(env, ifindex, 0, vlan, subnet_slot,
					mac, addr_host);
}

int xdp_env_add_qinq_network(struct xdp_env *env, uint32_t ifindex,
			     uint16_t svlan, uint16_t vlan,
			     uint32_t subnet_slot, const uint8_t mac[6],
			     uint32_t addr_host)
{
	struct dx_network_key k = { .ifindex = ifindex, .vlan = vlan,
				    .svlan = svlan };
	struct dx_network net = { .addr = htonl(addr_host),
				  .subnet_slot = subnet_slot };

	memcpy(net.mac, mac, 6);
	/* Where the daemon puts it (user/kernel/map_sync.c, write_network). */
	if (!vlan && !svlan && ifindex < DX_IFACE_SLOTS)
		return bpf_map__update_elem(env->skel->maps.dx_ifaces, &ifindex,
					    sizeof(ifindex), &net, sizeof(net),
					    BPF_ANY);
	return bpf_map__update_elem(env->skel->maps.dx_networks, &k, sizeof(k),
				    &net, sizeof(net), BPF_ANY);
}

int xdp_env_add_relay(struct xdp_env *env, uint32_t addr_host,
		      uint32_t prefixlen, uint32_t subnet_slot)
{
	struct dx_relay_key k = { .prefixlen = prefixlen,
				  .addr = htonl(addr_host) };

	return bpf_map__update_elem(env->skel->maps.dx_relays, &k, sizeof(k),
				    &subnet_slot, sizeof(subnet_slot), BPF_ANY);
}

int xdp_env_set_subnet(struct xdp_env *env, uint32_t slot,
		       const struct dx_subnet *sn)
{
	struct dx_subnet v = *sn;

	v.opts_csum = dx_reply_opts_csum(v.opts, v.opts_len);
	return bpf_map__update_elem(env->skel->maps.dx_subnets, &slot,
				    sizeof(slot), &v, sizeof(v), BPF_ANY);
}

int xdp_env_set_lease(struct xdp_env *env, uint32_t subnet_id,
		      const uint8_t mac[6], const struct dx_lease *l)
{
	struct dx_lease_key k = { .subnet_id = subnet_id };

	memcpy(k.mac, mac, 6);
	return bpf_map__update_elem(env->skel->maps.dx_leases, &k, sizeof(k),
				    l, sizeof(*l), BPF_ANY);
}

uint64_t xdp_env_stat(struct xdp_env *env, enum dx_stat stat)
{
	return xdp_stat_sum(bpf_map__fd(env->skel->maps.dx_stats), stat);
}

uint64_t xdp_stat_sum(int stats_fd, enum dx_stat stat)
{
	int ncpu = libbpf_num_possible_cpus();
	struct dx_stats *per_cpu;
	uint64_t sum = 0;
	uint32_t key = 0;

	if (ncpu <= 0)
		return UINT64_MAX;
	per_cpu = calloc((size_t)ncpu, sizeof(*per_cpu));
	if (!per_cpu || bpf_map_lookup_elem(stats_fd, &key, per_cpu)) {
		free(per_cpu);
		return UINT64_MAX;
	}
	for (int i = 0; i < ncpu; i++)
		sum += per_cpu[i].counters[stat];
	free(per_cpu);
	return sum;
}

int xdp_env_run(struct xdp_env *env, const uint8_t *in, size_t in_len,
		uint8_t *out, size_t *out_len, uint32_t *duration_ns)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = in,
		    .data_size_in = (uint32_t)in_len, .data_out = out,
		    .data_size_out = (uint32_t)*out_len, .repeat = 1);
	int err;

	err = bpf_prog_test_run_opts(env->prog_fd, &opts);
	if (err)
		return -errno;
	*out_len = opts.data_size_out;
	if (duration_ns)
		*duration_ns = opts.duration;
	return (int)opts.retval;
}

int xdp_run_on(int prog_fd, uint32_t ifindex, const uint8_t *in,
	       size_t in_len, uint8_t *out, size_t *out_len)
{
	struct xdp_md ctx = { .data_end = (uint32_t)in_len,
			      .ingress_ifindex = ifindex };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = in,
		    .data_size_in = (uint32_t)in_len, .data_out = out,
		    .data_size_out = (uint32_t)*out_len, .ctx_in = &ctx,
		    .ctx_size_in = sizeof(ctx), .repeat = 1);

	if (bpf_prog_test_run_opts(prog_fd, &o))
		return -errno;
	*out_len = o.data_size_out;
	return (int)o.retval;
}

int xdp_env_private_ns(char *root_template)
{
	if (unshare(CLONE_NEWNET | CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    !mkdtemp(root_template) ||
	    mount("bpf", root_template, "bpf", 0, NULL))
		return -errno;
	return 0;
}

int xdp_env_veth_ns(char *root_template)
{
	int err = xdp_env_private_ns(root_template);

	if (err)
		return err;
	if (system("ip link add dxs0 type veth peer name dxc0 && "
		   "ip addr add 10.9.0.1/24 dev dxs0 && ip link set dxs0 up && "
		   "ip link set dxc0 up"))
		return -EIO;
	return 0;
}

uint64_t boottime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

uint64_t client_id_hash(const uint8_t *cid, size_t len)
{
	uint64_t h = DX_FNV64_OFFSET;

	for (size_t i = 0; i < len; i++)
		h = dx_fnv64_step(h, cid[i]);
	return h;
}

void xdp_env_client_mac(uint32_t i, uint8_t mac[6])
{
	mac[0] = 0x02;
	mac[1] = 0xbe;
	mac[2] = (uint8_t)(i >> 24);
	mac[3] = (uint8_t)(i >> 16);
	mac[4] = (uint8_t)(i >> 8);
	mac[5] = (uint8_t)i;
}

int xdp_env_fill_leases(struct xdp_env *env, uint32_t subnet_id, uint32_t n,
			uint32_t base_addr, uint32_t reserved_every)
{
	const uint32_t batch = 8192;
	struct dx_lease_key *keys = calloc(batch, sizeof(*keys));
	struct dx_lease *vals = calloc(batch, sizeof(*vals));
	uint64_t horizon = boottime_ns() + 3ULL * 86400 * 1000000000ULL;
	int fd = bpf_map__fd(env->skel->maps.dx_leases), err = 0;
	LIBBPF_OPTS(bpf_map_batch_opts, bo);

	if (!keys || !vals) {
		err = -ENOMEM;
		goto out;
	}
	for (uint32_t base = 0; base < n; base += batch) {
		uint32_t cnt = n - base < batch ? n - base : batch;

		for (uint32_t j = 0; j < cnt; j++) {
			uint32_t i = base + j;
			bool reserved = reserved_every && i % reserved_every == 0;

			keys[j].subnet_id = subnet_id;
			xdp_env_client_mac(i, keys[j].mac);
			vals[j].addr = htonl(base_addr + i);
			vals[j].flags = reserved ? DX_LEASE_F_RESERVED
						 : DX_LEASE_F_DYNAMIC;
			vals[j].horizon_ns = reserved ? 0 : horizon;
			/* Live: XDP renews only before the expiry. */
			vals[j].expires_ns = reserved ? 0 : horizon;
		}
		err = bpf_map_update_batch(fd, keys, vals, &cnt, &bo);
		if (err)
			goto out;
	}
out:
	free(keys);
	free(vals);
	return err;
}

int xdp_env_fill_addrs(struct xdp_env *env, uint32_t subnet_id, uint32_t n,
		       uint32_t base_addr, uint32_t reserved_every)
{
	return xdp_fill_addr_map(bpf_map__fd(env->skel->maps.dx_addrs),
				 subnet_id, n, base_addr, reserved_every);
}

int xdp_fill_addr_map(int fd, uint32_t subnet_id, uint32_t n,
		      uint32_t base_addr, uint32_t reserved_every)
{
	const uint32_t batch = 8192;
	struct dx_addr_lease *vals = calloc(batch, sizeof(*vals));
	uint32_t *idx = calloc(batch, sizeof(*idx));
	uint64_t horizon = boottime_ns() + 3ULL * 86400 * 1000000000ULL;
	int err = 0;
	LIBBPF_OPTS(bpf_map_batch_opts, bo);

	if (!vals || !idx) {
		err = -ENOMEM;
		goto out;
	}
	for (uint32_t base = 0; base < n; base += batch) {
		uint32_t cnt = 0;

		for (uint32_t i = base; i < n && i < base + batch; i++) {
			struct dx_addr_lease *e = &vals[cnt];

			if (reserved_every && i % reserved_every == 0)
				continue;
			memset(e, 0, sizeof(*e));
			e->subnet_id = subnet_id;
			xdp_env_client_mac(i, e->mac);
			e->lease.addr = htonl(base_addr + i);
			e->lease.flags = DX_LEASE_F_DYNAMIC;
			e->lease.horizon_ns = horizon;
			e->lease.expires_ns = horizon;
			idx[cnt++] = i;
		}
		err = cnt ? bpf_map_update_batch(fd, idx, vals, &cnt, &bo) : 0;
		if (err)
			goto out;
	}
out:
	free(vals);
	free(idx);
	return err;
}
