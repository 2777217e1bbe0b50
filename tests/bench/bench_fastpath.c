// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Fast-path throughput through a real veth: renewal ACKs per second
 * answered by the dhcpxdp XDP program (native mode on the server end),
 * next to the MAC-swap XDP_TX reflector driven by the same generator.
 *
 * The lab is scripts/lab.sh's (scripts/bench-fastpath.sh sets it up and
 * calls this program from the root namespace). The program setns()es into
 * the server namespace to attach XDP and into the client namespace to
 * send. Load: one thread, AF_PACKET + sendmmsg, prebuilt RENEWING
 * REQUESTs (RFC 2131 §4.3.2: unicast, ciaddr set) from random clients
 * among LEASES, at full speed for SECONDS. Replies are counted on the
 * client end's rx_packets (XDP_TX frames reach it through its pass-through
 * XDP program) and, for dhcpxdp, with the program's own `ack` counter.
 * Both programs are run in turn, RUNS times (interleaved, so drift hits
 * both alike); each figure is the median over runs. A third, the
 * lease-read floor (lease_floor.h), takes its turn too: MAC-swap plus the
 * renewing client's entry, the share of the ceiling any lease layout
 * leaves.
 *
 * Usage: bench_fastpath SRV_NS SRV_IF CLI_NS CLI_IF [LEASES] [SECONDS] [RUNS]
 */
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/socket.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <dhcpxdp/dhcp_wire.h>
#include "dhcpxdp.skel.h"
#include "macswap.skel.h"
#include "frame.h"
#include "lease_floor.h"
#include "netif.h"
#include "xdp_env.h"

#define MAX_RUNS   9
#define FRAMES	   4096
#define BATCH	   64
#define LEASE_TIME 3600
#define SRV_IP	   0x0a4d0001 /* 10.77.0.1, scripts/lab.sh */
#define POOL_BASE  0x0a4e0000 /* 10.78.0.0 */

struct frame {
	uint8_t buf[512];
	size_t len;
};

struct result {
	double sent, replies, acks; /* per second */
};

static uint32_t rng = 0x9e3779b9;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int enter_ns(int fd)
{
	if (setns(fd, CLONE_NEWNET)) {
		perror("bench_fastpath: setns");
		return -errno;
	}
	return 0;
}

static int open_ns(const char *name)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fprintf(stderr, "bench_fastpath: %s: %s\n", path,
			strerror(errno));
	return fd;
}

/* rx_packets of `ifname` in the current namespace (netlink, through
 * getifaddrs: /sys would show the namespace it was mounted in). */
static int64_t rx_packets(const char *ifname)
{
	struct ifaddrs *ifa, *p;
	int64_t n = -1;

	if (getifaddrs(&ifa))
		return -1;
	for (p = ifa; p; p = p->ifa_next) {
		if (p->ifa_addr && p->ifa_addr->sa_family == AF_PACKET &&
		    p->ifa_data && !strcmp(p->ifa_name, ifname)) {
			n = ((struct rtnl_link_stats *)p->ifa_data)->rx_packets;
			break;
		}
	}
	freeifaddrs(ifa);
	return n;
}

static void make_frames(struct frame *f, uint32_t leases,
			const uint8_t srv_mac[6])
{
	for (int n = 0; n < FRAMES; n++) {
		struct frame_spec s;
		uint8_t mac[6];
		uint32_t i = rnd() % leases;

		xdp_env_client_mac(i, mac);
		frame_spec_init(&s, mac, rnd());
		memcpy(s.dst_mac, srv_mac, 6);
		opt_add_u8(&s, DHCP_OPT_MSG_TYPE, DHCPREQUEST);
		s.ciaddr = s.src_ip = POOL_BASE + i;
		s.dst_ip = SRV_IP;
		opt_add(&s, DHCP_OPT_PARAM_REQUEST, 4, "\x01\x03\x06\x0f");
		opt_end(&s);
		f[n].len = frame_build(&s, f[n].buf, sizeof(f[n].buf));
	}
}

struct ctx {
	int srv_ns, cli_ns;
	const char *srv_if, *cli_if;
	int srv_ifindex;
	int sock;
	struct sockaddr_ll to;
	struct frame *frames;
	double seconds;
	struct xdp_env *env;
};

static int attach(struct ctx *c, int prog_fd)
{
	int err = enter_ns(c->srv_ns);

	if (err)
		return err;
	/* Replaces whatever program the previous run left. */
	err = bpf_xdp_attach(c->srv_ifindex, prog_fd, XDP_FLAGS_DRV_MODE, NULL);
	if (err)
		fprintf(stderr, "bench_fastpath: attach on %s: %d\n", c->srv_if,
			err);
	return enter_ns(c->cli_ns) ?: err;
}

/* One timed run with whatever is attached on the server end. */
static int run_once(struct ctx *c, struct result *r)
{
	static struct mmsghdr msgs[BATCH];
	static struct iovec iov[BATCH];
	uint64_t sent = 0, ack0 = xdp_env_stat(c->env, DX_STAT_ACK), ack1;
	int64_t rx0 = rx_packets(c->cli_if), rx1;
	uint32_t next = 0;
	double t0, t1;

	if (rx0 < 0)
		return -ENODEV;
	t0 = now_s();
	do {
		int n;

		for (int i = 0; i < BATCH; i++) {
			const struct frame *f = &c->frames[next++ % FRAMES];

			iov[i].iov_base = (void *)f->buf;
			iov[i].iov_len = f->len;
			msgs[i].msg_hdr = (struct msghdr){
				.msg_name = &c->to,
				.msg_namelen = sizeof(c->to),
				.msg_iov = &iov[i],
				.msg_iovlen = 1,
			};
		}
		n = sendmmsg(c->sock, msgs, BATCH, 0);
		if (n < 0 && errno != ENOBUFS && errno != EAGAIN) {
			perror("bench_fastpath: sendmmsg");
			return -errno;
		}
		if (n > 0)
			sent += (uint64_t)n;
		t1 = now_s();
	} while (t1 - t0 < c->seconds);
	/* Replies still in flight: the rings are short, 50 ms drains them. */
	usleep(50000);
	rx1 = rx_packets(c->cli_if);
	ack1 = xdp_env_stat(c->env, DX_STAT_ACK);
	r->sent = (double)sent / (t1 - t0);
	r->replies = (double)(uint32_t)(rx1 - rx0) / (t1 - t0);
	r->acks = (double)(ack1 - ack0) / (t1 - t0);
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(v[0]), cmp_double);
	return v[n / 2];
}

static void summarise(const struct result *r, int runs, struct result *m)
{
	double s[MAX_RUNS], p[MAX_RUNS], a[MAX_RUNS];

	for (int i = 0; i < runs; i++) {
		s[i] = r[i].sent;
		p[i] = r[i].replies;
		a[i] = r[i].acks;
	}
	m->sent = median(s, runs);
	m->replies = median(p, runs);
	m->acks = median(a, runs);
}

/* rx_packets also counts the odd stray frame (a handful per run), so
 * replies can exceed requests by a few: shown as no loss. */
static double loss_pct(const struct result *r)
{
	double l = r->sent > 0 ? 100.0 * (1.0 - r->replies / r->sent) : 0;

	return l > 0 ? l : 0;
}

int main(int argc, char **argv)
{
	static struct frame frames[FRAMES];
	struct result ms_r[MAX_RUNS], dx_r[MAX_RUNS], lr_r[MAX_RUNS], ms_m,
		dx_m, lr_m;
	struct dx_subnet sn = {.subnet_id = 1,
			       .lease_time = LEASE_TIME,
			       .t1 = LEASE_TIME / 2,
			       .t2 = LEASE_TIME * 7 / 8};
	struct macswap_bpf *ms = NULL;
	struct lease_read_bpf *lr = NULL;
	struct xdp_env env = {0};
	struct ctx c = {0};
	uint8_t srv_mac[6];
	uint32_t leases;
	int runs, root_ns, ret = 1, qb = 1;

	if (argc < 5) {
		fprintf(stderr, "usage: bench_fastpath SRV_NS SRV_IF CLI_NS "
				"CLI_IF [LEASES] [SECONDS] [RUNS]\n"
				"(run by scripts/bench-fastpath.sh)\n");
		return 2;
	}
	leases = argc > 5 ? (uint32_t)atoi(argv[5]) : 100000;
	c.seconds = argc > 6 ? atof(argv[6]) : 3;
	runs = argc > 7 ? atoi(argv[7]) : 3;
	if (leases == 0 || c.seconds <= 0 || runs < 1 || runs > MAX_RUNS) {
		fprintf(stderr,
			"bench_fastpath: bad LEASES, SECONDS or RUNS\n");
		return 2;
	}
	c.srv_if = argv[2];
	c.cli_if = argv[4];
	c.frames = frames;
	c.env = &env;
	c.sock = -1;
	root_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	c.srv_ns = open_ns(argv[1]);
	c.cli_ns = open_ns(argv[3]);
	if (root_ns < 0 || c.srv_ns < 0 || c.cli_ns < 0)
		return 1;

	/* Server side: the object, maps for LEASES leased clients. */
	if (enter_ns(c.srv_ns))
		return 1;
	c.srv_ifindex = (int)if_nametoindex(c.srv_if);
	if (!c.srv_ifindex || netif_mac(c.srv_if, srv_mac)) {
		fprintf(stderr, "bench_fastpath: no %s in %s\n", c.srv_if,
			argv[1]);
		return 1;
	}
	if (xdp_env_open(&env, leases + 1024))
		return 1;
	/* options 1, 3, 6, 15, as bench_xdp: a typical subnet */
	memcpy(sn.opts,
	       "\x01\x04\xff\xfc\x00\x00\x03\x04\x0a\x4d\x00\x01"
	       "\x06\x08\x0a\x4d\x00\x02\x0a\x4d\x00\x03"
	       "\x0f\x0b"
	       "example.net",
	       35);
	sn.opts_len = 35;
	/* The leases by address as well, as the daemon writes them. */
	sn.win = (struct dx_addr_window){.first = POOL_BASE, .size = leases};
	if (xdp_env_set_subnet(&env, 0, &sn) ||
	    xdp_env_add_network(&env, (uint32_t)c.srv_ifindex, 0, 0, srv_mac,
				SRV_IP) ||
	    xdp_env_fill_leases(&env, 1, leases, POOL_BASE, 0) ||
	    xdp_env_fill_addrs(&env, 1, leases, POOL_BASE, 0)) {
		fprintf(stderr, "bench_fastpath: filling maps failed\n");
		goto out;
	}
	ms = macswap_bpf__open_and_load();
	lr = lease_floor_open(leases, POOL_BASE, 0);
	if (!ms || !lr)
		goto out;
	make_frames(frames, leases, srv_mac);

	/* Client side: the sender. Protocol 0: it receives nothing. */
	if (enter_ns(c.cli_ns))
		goto out;
	c.sock = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (c.sock < 0) {
		perror("bench_fastpath: AF_PACKET");
		goto out;
	}
	/* The veth has no qdisc to speak of; skip the layer anyway. */
	setsockopt(c.sock, SOL_PACKET, PACKET_QDISC_BYPASS, &qb, sizeof(qb));
	c.to.sll_family = AF_PACKET;
	c.to.sll_protocol = htons(ETH_P_IP);
	c.to.sll_ifindex = (int)if_nametoindex(c.cli_if);
	c.to.sll_halen = 6;
	memcpy(c.to.sll_addr, srv_mac, 6);
	if (!c.to.sll_ifindex) {
		fprintf(stderr, "bench_fastpath: no %s in %s\n", c.cli_if,
			argv[3]);
		goto out;
	}

	for (int i = 0; i < runs; i++) {
		if (attach(&c, bpf_program__fd(ms->progs.macswap_xdp)) ||
		    run_once(&c, &ms_r[i]) || attach(&c, env.prog_fd) ||
		    run_once(&c, &dx_r[i]) ||
		    attach(&c, bpf_program__fd(lr->progs.lease_read_xdp)) ||
		    run_once(&c, &lr_r[i]))
			goto out;
		fprintf(stderr,
			"run %d: mac-swap %.0f sent/s %.0f replies/s; "
			"dhcpxdp %.0f sent/s %.0f replies/s %.0f acks/s; "
			"floor %.0f replies/s\n",
			i + 1, ms_r[i].sent, ms_r[i].replies, dx_r[i].sent,
			dx_r[i].replies, dx_r[i].acks, lr_r[i].replies);
	}
	summarise(ms_r, runs, &ms_m);
	summarise(dx_r, runs, &dx_m);
	summarise(lr_r, runs, &lr_m);
	printf("### Fast-path throughput through a veth (%u leases, renewals "
	       "from random clients, 1 AF_PACKET sender, median of %d x "
	       "%.0f s)\n\n",
	       leases, runs, c.seconds);
	printf("| server end | requests sent/s | replies received/s | "
	       "XDP acks/s | loss %% |\n|---|---:|---:|---:|---:|\n");
	printf("| MAC-swap XDP_TX (ceiling) | %.0f | %.0f | – | %.1f |\n",
	       ms_m.sent, ms_m.replies, loss_pct(&ms_m));
	printf("| floor: MAC-swap + the client's entry read and written | "
	       "%.0f | %.0f | – | %.1f |\n",
	       lr_m.sent, lr_m.replies, loss_pct(&lr_m));
	printf("| dhcpxdp renewal ACK | %.0f | %.0f | %.0f | %.1f |\n",
	       dx_m.sent, dx_m.replies, dx_m.acks, loss_pct(&dx_m));
	printf("\nfast path / MAC-swap (replies received/s): %.0f %%\n",
	       ms_m.replies > 0 ? 100.0 * dx_m.replies / ms_m.replies : 0);
	printf("floor / MAC-swap (replies received/s): %.0f %%\n",
	       ms_m.replies > 0 ? 100.0 * lr_m.replies / ms_m.replies : 0);
	ret = 0;
out:
	if (c.sock >= 0)
		close(c.sock);
	if (c.srv_ifindex && !enter_ns(c.srv_ns))
		bpf_xdp_detach(c.srv_ifindex, XDP_FLAGS_DRV_MODE, NULL);
	if (setns(root_ns, CLONE_NEWNET))
		perror("bench_fastpath: back to the root namespace");
	lease_read_bpf__destroy(lr);
	macswap_bpf__destroy(ms);
	xdp_env_close(&env);
	return ret;
}
