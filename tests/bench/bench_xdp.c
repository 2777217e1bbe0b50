// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Per-packet cost of the XDP program through BPF_PROG_RUN, next to a
 * MAC-swap XDP_TX program measured the same way in the same run.
 *
 * The lease map holds 1,000,000 entries; each run uses a different,
 * randomly chosen client. Every call runs the program once (repeat = 1)
 * on a fresh copy of a request, because a repeated run would reuse the
 * rewritten buffer (a reply, not a request). The figure is the kernel's
 * own measurement of the run (bpf_prog_test_run duration), averaged; the
 * syscall and copy overhead around it is the same for both programs and
 * is not included. Reported: median of 3 rounds, in ns, and the ratio.
 *
 * A third program (tests/bpf/lease_read.bpf.c) is the floor of any lease
 * layout: MAC-swap plus reading and writing the renewing client's entry
 * in an array as large as the lease map. What it costs above MAC-swap is
 * the memory; what the renewal costs above it is the program's own work.
 *
 * Usage: bench_xdp [LEASES] [CALLS_PER_ROUND]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <dhcpxdp/dhcp_wire.h>
#include "dhcpxdp.skel.h"
#include "macswap.skel.h"
#include "frame.h"
#include "lease_floor.h"
#include "xdp_env.h"

#define ROUNDS	       3
#define FRAMES	       4096
#define RESERVED_SHARE 16 /* one lease in 16 is a reservation */
#define LEASE_TIME     3600

struct frame {
	uint8_t buf[512];
	size_t len;
};

static uint32_t rng = 0x9e3779b9;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

/*
 * RENEWAL_VLAN: the same renewals on a tagged network (VLAN 100);
 * RENEWAL_QINQ: inside S-tag 200, C-tag 100;
 * RENEWAL_RELAY: REBINDING through a relay (giaddr set, answered to
 * the relay), the subnet found by the relay's /32 in the LPM trie;
 * RENEWAL_RELAY_82: the same with the relay's option 82 (a circuit id
 * and a remote id), echoed in the reply (RFC 3046 §2.2);
 * CIRCUIT_RESERVATION: a DISCOVER through the relay from a new client
 * whose circuit id has a reservation (dx_circuits), OFFERed with 82
 * echoed.
 */
enum kind {
	RENEWAL,
	RESERVATION,
	MISS,
	RENEWAL_VLAN,
	RENEWAL_QINQ,
	RENEWAL_RELAY,
	RENEWAL_RELAY_82,
	CIRCUIT_RESERVATION,
};

/* Reservations by circuit id: "port-00000" ... at 10.200.x.y. */
#define CIRCUITS 1000

#define RELAY_IP 0xc0a80501 /* 192.168.5.1 */

static void make_frames(struct frame *f, enum kind k, uint32_t leases)
{
	for (int n = 0; n < FRAMES; n++) {
		struct frame_spec s;
		uint8_t mac[6];
		uint32_t i = rnd() % leases;

		if (k != RESERVATION && k != MISS && i % RESERVED_SHARE == 0)
			i++;
		if (k == RESERVATION)
			i -= i % RESERVED_SHARE;
		if (k == MISS || k == CIRCUIT_RESERVATION)
			i += leases; /* not in the map */
		xdp_env_client_mac(i, mac);
		frame_spec_init(&s, mac, rnd());
		if (k == RESERVATION || k == CIRCUIT_RESERVATION) {
			opt_add_u8(&s, DHCP_OPT_MSG_TYPE, DHCPDISCOVER);
		} else {
			opt_add_u8(&s, DHCP_OPT_MSG_TYPE, DHCPREQUEST);
			s.ciaddr = s.src_ip = 0x0a000000 + 2 + i;
			s.dst_ip = 0x0a000001;
		}
		if (k == RENEWAL_VLAN || k == RENEWAL_QINQ)
			s.vlan = 100;
		if (k == RENEWAL_QINQ)
			s.svlan = 200;
		if (k == RENEWAL_RELAY || k == RENEWAL_RELAY_82 ||
		    k == CIRCUIT_RESERVATION) {
			s.giaddr = s.src_ip = RELAY_IP;
			s.sport = 67;
			s.hops = 1;
			memcpy(s.src_mac, "\x02\x0e\0\0\0\x01", 6);
		}
		opt_add(&s, DHCP_OPT_PARAM_REQUEST, 4, "\x01\x03\x06\x0f");
		/* TR-101 style: "access-node eth 1/1/05:100", a remote id */
		if (k == RENEWAL_RELAY_82)
			opt_add(&s, DHCP_OPT_RELAY_AGENT_INFO, 40,
				"\x01\x1a"
				"access-node eth 1/1/05:100"
				"\x02\x0a"
				"cpe-000123");
		if (k == CIRCUIT_RESERVATION) {
			char ri[16];

			snprintf(ri, sizeof(ri), "\x01\x0aport-%05u",
				 rnd() % CIRCUITS);
			opt_add(&s, DHCP_OPT_RELAY_AGENT_INFO, 12, ri);
		}
		opt_end(&s);
		f[n].len = frame_build(&s, f[n].buf, sizeof(f[n].buf));
	}
}

/* The circuit map: CIRCUITS reservations of subnet 1 (abi.h). */
static int fill_circuits(struct xdp_env *env)
{
	int fd = bpf_map__fd(env->skel->maps.dx_circuits);

	for (uint32_t i = 0; i < CIRCUITS; i++) {
		struct dx_circuit_key k = {.subnet_id = 1, .len = 10};
		struct dx_lease l = {.addr = htonl(0x0ac80000 + i),
				     .flags = DX_LEASE_F_RESERVED};

		snprintf((char *)k.id, sizeof(k.id), "port-%05u", i);
		if (bpf_map_update_elem(fd, &k, &l, BPF_ANY))
			return -1;
	}
	return 0;
}

/* Mean kernel-measured ns per run over `calls` runs, or -1. */
static double measure(int prog_fd, const struct frame *f, uint32_t calls,
		      int want)
{
	uint8_t out[1024];
	uint64_t total = 0;

	for (uint32_t c = 0; c < calls; c++) {
		const struct frame *fr = &f[c % FRAMES];
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = fr->buf,
			    .data_size_in = (uint32_t)fr->len, .data_out = out,
			    .data_size_out = sizeof(out), .repeat = 1);

		if (bpf_prog_test_run_opts(prog_fd, &o) ||
		    (int)o.retval != want)
			return -1;
		total += o.duration;
	}
	return (double)total / calls;
}

static int drop_event(void *ctx, void *data, size_t size)
{
	(void)ctx;
	(void)data;
	(void)size;
	return 0;
}

/*
 * As measure(), for renewals that write a ring-buffer event: the ring is
 * emptied (outside the measured runs) every EVENT_CHUNK calls so that no
 * event is dropped - a full ring would make the case look cheaper.
 */
#define EVENT_CHUNK 10000

static double measure_events(int prog_fd, struct ring_buffer *rb,
			     const struct frame *f, uint32_t calls, int want)
{
	double sum = 0;
	uint32_t done = 0;

	while (done < calls) {
		uint32_t n =
			calls - done < EVENT_CHUNK ? calls - done : EVENT_CHUNK;
		double m = measure(prog_fd, f, n, want);

		if (m < 0 || ring_buffer__consume(rb) < 0)
			return -1;
		sum += m * n;
		done += n;
	}
	return sum / calls;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median_of(int prog_fd, struct ring_buffer *rb,
			const struct frame *f, uint32_t calls, int want)
{
	double r[ROUNDS];

	for (int i = 0; i < ROUNDS; i++) {
		r[i] = rb ? measure_events(prog_fd, rb, f, calls, want)
			  : measure(prog_fd, f, calls, want);
		if (r[i] < 0)
			return -1;
	}
	qsort(r, ROUNDS, sizeof(r[0]), cmp_double);
	return r[ROUNDS / 2];
}

int main(int argc, char **argv)
{
	uint32_t leases = argc > 1 ? (uint32_t)atoi(argv[1]) : 1000000;
	uint32_t calls = argc > 2 ? (uint32_t)atoi(argv[2]) : 50000;
	static struct frame renew[FRAMES], resv[FRAMES], miss[FRAMES],
		vlan[FRAMES], qinq[FRAMES], relay[FRAMES], relay82[FRAMES],
		circ[FRAMES];
	const uint8_t srv_mac[6] = {2, 0, 0, 0, 0, 1};
	struct dx_subnet sn = {.subnet_id = 1,
			       .lease_time = LEASE_TIME,
			       .t1 = LEASE_TIME / 2,
			       .t2 = LEASE_TIME * 7 / 8};
	struct macswap_bpf *ms = NULL;
	struct lease_read_bpf *lr = NULL;
	struct ring_buffer *rb = NULL;
	struct xdp_env env;
	/* The first subnet of a shared network, holding none of the
	 * leases: renewals of subnet 1 then take the walk to its second. */
	struct dx_subnet first = {.subnet_id = 2,
				  .lease_time = LEASE_TIME,
				  .t1 = LEASE_TIME / 2,
				  .t2 = LEASE_TIME * 7 / 8,
				  .flags = DX_SUBNET_F_SHARED,
				  .network = htonl(0xc6336400),
				  .mask = htonl(0xffffff00),
				  .first_slot = 1,
				  .next_slot = 0};
	double base, r_floor, r_ack, r_hash, r_ext, r_offer, r_miss, r_vlan,
		r_qinq, r_relay, r_relay82, r_shared, r_circ;
	uint64_t lost0;
	int err;

	if (geteuid() != 0) {
		fprintf(stderr, "bench_xdp: needs root for BPF_PROG_RUN\n");
		return 1;
	}
	err = xdp_env_open(&env, leases + 1024);
	if (err)
		return 1;
	/* options 1, 3, 6 (two servers), 15: a typical subnet */
	memcpy(sn.opts,
	       "\x01\x04\xff\xff\xff\x00\x03\x04\x0a\x00\x00\x01"
	       "\x06\x08\x0a\x00\x00\x02\x0a\x00\x00\x03"
	       "\x0f\x0b"
	       "example.net",
	       35);
	sn.opts_len = 35;
	/* Its dynamic leases by address too, as the daemon writes them. */
	sn.win = (struct dx_addr_window){.first = 0x0a000000 + 2,
					 .size = leases};
	if (xdp_env_set_subnet(&env, 0, &sn) ||
	    xdp_env_add_network(&env, 1, 0, 0, srv_mac, 0x0a000001) ||
	    xdp_env_add_network(&env, 1, 100, 0, srv_mac, 0x0a000001) ||
	    xdp_env_add_qinq_network(&env, 1, 200, 100, 0, srv_mac,
				     0x0a000001) ||
	    xdp_env_add_relay(&env, RELAY_IP, 32, 0) ||
	    xdp_env_fill_leases(&env, 1, leases, 0x0a000000 + 2,
				RESERVED_SHARE) ||
	    xdp_env_fill_addrs(&env, 1, leases, 0x0a000000 + 2,
			       RESERVED_SHARE)) {
		fprintf(stderr, "bench_xdp: filling maps failed\n");
		goto fail;
	}
	ms = macswap_bpf__open_and_load();
	lr = lease_floor_open(leases, 0x0a000000 + 2, RESERVED_SHARE);
	if (!ms || !lr)
		goto fail;
	make_frames(renew, RENEWAL, leases);
	make_frames(resv, RESERVATION, leases);
	make_frames(miss, MISS, leases);
	make_frames(vlan, RENEWAL_VLAN, leases);
	make_frames(qinq, RENEWAL_QINQ, leases);
	make_frames(relay, RENEWAL_RELAY, leases);
	make_frames(relay82, RENEWAL_RELAY_82, leases);
	make_frames(circ, CIRCUIT_RESERVATION, leases);
	if (fill_circuits(&env))
		goto fail;

	rb = ring_buffer__new(bpf_map__fd(env.skel->maps.dx_events), drop_event,
			      NULL, NULL);
	if (!rb)
		goto fail;
	base = median_of(bpf_program__fd(ms->progs.macswap_xdp), NULL, renew,
			 calls, XDP_TX);
	r_floor = median_of(bpf_program__fd(lr->progs.lease_read_xdp), NULL,
			    renew, calls, XDP_TX);
	r_ack = median_of(env.prog_fd, NULL, renew, calls, XDP_TX);
	/* The same renewals found by client in dx_leases: a subnet without
	 * a window (its pools did not fit dx_addrs). */
	sn.win.size = 0;
	r_hash = xdp_env_set_subnet(&env, 0, &sn)
			 ? -1
			 : median_of(env.prog_fd, NULL, renew, calls, XDP_TX);
	sn.win.size = leases;
	if (xdp_env_set_subnet(&env, 0, &sn))
		goto fail;
	r_offer = median_of(env.prog_fd, NULL, resv, calls, XDP_TX);
	r_miss = median_of(env.prog_fd, NULL, miss, calls, XDP_PASS);
	r_vlan = median_of(env.prog_fd, NULL, vlan, calls, XDP_TX);
	r_qinq = median_of(env.prog_fd, NULL, qinq, calls, XDP_TX);
	r_relay = median_of(env.prog_fd, NULL, relay, calls, XDP_TX);
	r_relay82 = median_of(env.prog_fd, NULL, relay82, calls, XDP_TX);
	sn.flags = DX_SUBNET_F_CIRCUIT_MAP | DX_SUBNET_F_HW_FIRST;
	r_circ = xdp_env_set_subnet(&env, 0, &sn)
			 ? -1
			 : median_of(env.prog_fd, NULL, circ, calls, XDP_TX);
	sn.flags = 0;
	/* Subnet 1 as the second of a shared network (docs/design.md §2). */
	sn.flags = DX_SUBNET_F_SHARED;
	sn.network = htonl(0x0a000000);
	sn.mask = htonl(0xff000000);
	sn.first_slot = 1;
	sn.next_slot = DX_SUBNET_SLOT_NONE;
	r_shared = xdp_env_set_subnet(&env, 1, &first) ||
				   xdp_env_set_subnet(&env, 0, &sn)
			   ? -1
			   : median_of(env.prog_fd, NULL, renew, calls, XDP_TX);
	sn.flags = 0;
	/*
	 * The same renewals when the horizon would not cover the next one
	 * (T1 pushed past it): each ACK also asks the daemon for an
	 * extension through the ring buffer. In steady state with the
	 * default horizon factor 2 and T1 = half the lease, one renewal in
	 * two does this.
	 */
	sn.t1 = 4 * 86400;
	lost0 = xdp_env_stat(&env, DX_STAT_EVENT_LOST);
	r_ext = xdp_env_set_subnet(&env, 0, &sn)
			? -1
			: median_of(env.prog_fd, rb, renew, calls, XDP_TX);
	if (xdp_env_stat(&env, DX_STAT_EVENT_LOST) != lost0 ||
	    xdp_env_stat(&env, DX_STAT_EXTEND_ASKED) == 0) {
		fprintf(stderr, "bench_xdp: extension events were lost or "
				"not written\n");
		goto fail;
	}
	if (base <= 0 || r_floor < 0 || r_ack < 0 || r_hash < 0 || r_ext < 0 ||
	    r_offer < 0 || r_miss < 0 || r_vlan < 0 || r_qinq < 0 ||
	    r_relay < 0 || r_relay82 < 0 || r_shared < 0 || r_circ < 0) {
		fprintf(stderr,
			"bench_xdp: a run failed or gave the wrong verdict\n");
		goto fail;
	}
	printf("### XDP per-packet cost (BPF_PROG_RUN, %u leases, random keys, "
	       "median of %d x %u runs)\n\n",
	       leases, ROUNDS, calls);
	printf("| case | ns/run | x MAC-swap |\n|---|---:|---:|\n");
	printf("| MAC-swap XDP_TX baseline | %.1f | 1.00 |\n", base);
	printf("| floor: MAC-swap + the client's entry read and written | "
	       "%.1f | %.2f |\n",
	       r_floor, r_floor / base);
	printf("| renewal ACK | %.1f | %.2f |\n", r_ack, r_ack / base);
	printf("| renewal ACK, looked up by client (no address window) | "
	       "%.1f | %.2f |\n",
	       r_hash, r_hash / base);
	printf("| renewal ACK + horizon-extension event | %.1f | %.2f |\n",
	       r_ext, r_ext / base);
	printf("| reservation OFFER | %.1f | %.2f |\n", r_offer,
	       r_offer / base);
	printf("| miss (no lease, XDP_PASS) | %.1f | %.2f |\n", r_miss,
	       r_miss / base);
	printf("| renewal ACK, VLAN-tagged | %.1f | %.2f |\n", r_vlan,
	       r_vlan / base);
	printf("| renewal ACK, QinQ (S-tag 200, C-tag 100) | %.1f | %.2f |\n",
	       r_qinq, r_qinq / base);
	printf("| REBINDING ACK via a relay | %.1f | %.2f |\n", r_relay,
	       r_relay / base);
	printf("| REBINDING ACK via a relay, option 82 echoed | %.1f | %.2f "
	       "|\n",
	       r_relay82, r_relay82 / base);
	printf("| circuit-id reservation OFFER via a relay (%d circuits) | "
	       "%.1f | %.2f |\n",
	       CIRCUITS, r_circ, r_circ / base);
	printf("| renewal ACK, second subnet of a shared network | %.1f | "
	       "%.2f |\n",
	       r_shared, r_shared / base);
	ring_buffer__free(rb);
	lease_read_bpf__destroy(lr);
	macswap_bpf__destroy(ms);
	xdp_env_close(&env);
	return 0;
fail:
	ring_buffer__free(rb);
	lease_read_bpf__destroy(lr);
	macswap_bpf__destroy(ms);
	xdp_env_close(&env);
	return 1;
}
