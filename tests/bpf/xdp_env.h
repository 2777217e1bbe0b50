/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A loaded dhcpxdp XDP object with maps filled for tests and benchmarks,
 * and a BPF_PROG_RUN wrapper.
 */
#ifndef DHCPXDP_TEST_XDP_ENV_H
#define DHCPXDP_TEST_XDP_ENV_H

#include <stdint.h>
#include <stddef.h>
#include <dhcpxdp/abi.h>
#include <dhcpxdp/stats.h>

struct dhcpxdp_bpf;

struct xdp_env {
	struct dhcpxdp_bpf *skel;
	int prog_fd;
	char *verifier_log;
};

/* Open and load the object (lease map sized to `lease_capacity`, 0 for
 * the default). On a verifier rejection the log is printed. */
int xdp_env_open(struct xdp_env *env, uint32_t lease_capacity);
void xdp_env_close(struct xdp_env *env);

/* A served network; subnet_slot DX_SUBNET_SLOT_NONE for relay-only. */
int xdp_env_add_network(struct xdp_env *env, uint32_t ifindex, uint16_t vlan,
			uint32_t subnet_slot, const uint8_t mac[6],
			uint32_t addr_host);
/* The same keyed by QinQ tags: S-tag `svlan`, C-tag `vlan`. */
int xdp_env_add_qinq_network(struct xdp_env *env, uint32_t ifindex,
			     uint16_t svlan, uint16_t vlan,
			     uint32_t subnet_slot, const uint8_t mac[6],
			     uint32_t addr_host);
int xdp_env_add_relay(struct xdp_env *env, uint32_t addr_host,
		      uint32_t prefixlen, uint32_t subnet_slot);
/* Store a subnet in its slot, with the options' checksum share filled in
 * as the daemon does. */
int xdp_env_set_subnet(struct xdp_env *env, uint32_t slot,
		       const struct dx_subnet *sn);
int xdp_env_set_lease(struct xdp_env *env, uint32_t subnet_id,
		      const uint8_t mac[6], const struct dx_lease *l);

/* Benchmark client i: MAC 02:be:<i as 4 bytes>. */
void xdp_env_client_mac(uint32_t i, uint8_t mac[6]);

/*
 * n leases in subnet_id for clients 0..n-1 (xdp_env_client_mac), client i
 * at base_addr + i (host order); every reserved_every-th client (0: none)
 * holds a reservation, the others a dynamic lease with a horizon three
 * days ahead. Written with BPF_MAP_UPDATE_BATCH.
 */
int xdp_env_fill_leases(struct xdp_env *env, uint32_t subnet_id, uint32_t n,
			uint32_t base_addr, uint32_t reserved_every);

/*
 * The same dynamic leases by address in dx_addrs (abi.h), as the daemon
 * writes them: the subnet's window is {base_addr, n, 0}.
 */
int xdp_env_fill_addrs(struct xdp_env *env, uint32_t subnet_id, uint32_t n,
		       uint32_t base_addr, uint32_t reserved_every);
/* The same into any array of struct dx_addr_lease (the benchmarks'
 * lease_read.bpf.c floor). */
int xdp_fill_addr_map(int fd, uint32_t subnet_id, uint32_t n,
		      uint32_t base_addr, uint32_t reserved_every);

/* Sum of a per-CPU counter. */
uint64_t xdp_env_stat(struct xdp_env *env, enum dx_stat stat);
/* The same from any dx_stats map (a struct dx_bpf's stats_fd);
 * UINT64_MAX when it cannot be read. */
uint64_t xdp_stat_sum(int stats_fd, enum dx_stat stat);

/* Run the program once on `in`; the output frame goes to `out`. Returns
 * the XDP verdict, or a negative errno. *duration_ns is the kernel's
 * measurement of the run (may be NULL). */
int xdp_env_run(struct xdp_env *env, const uint8_t *in, size_t in_len,
		uint8_t *out, size_t *out_len, uint32_t *duration_ns);

/*
 * Run XDP program `prog_fd` once on `in` as if the frame arrived on
 * interface `ifindex` (the networks the daemon fills are keyed by it).
 * Returns the verdict or a negative errno: -EINVAL on kernels before
 * 5.15, whose BPF_PROG_RUN takes no XDP context.
 */
int xdp_run_on(int prog_fd, uint32_t ifindex, const uint8_t *in, size_t in_len,
	       uint8_t *out, size_t *out_len);

/*
 * Move the process into network and mount namespaces of its own and mount
 * a bpffs on a directory made from `root_template` (mkdtemp, rewritten in
 * place): interfaces created and objects pinned there vanish with the
 * process. 0 or a negative errno.
 */
int xdp_env_private_ns(char *root_template);
/* The same, with a veth pair dxs0 - dxc0 up in it, dxs0 holding
 * 10.9.0.1/24: the served interface of the map_sync and differential
 * tests. */
int xdp_env_veth_ns(char *root_template);

/* CLOCK_BOOTTIME in ns: the clock of the lease map's horizons. */
uint64_t boottime_ns(void);

/* FNV-1a 64 of a client identifier, as the XDP program computes it. */
uint64_t client_id_hash(const uint8_t *cid, size_t len);

#endif
