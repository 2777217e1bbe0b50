// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * dhcpxdp-loadgen: a DHCPv4 load generator. Many simulated clients, each
 * running the client state machine (lg_client.c), paced open loop at the
 * asked rates on one AF_PACKET socket (lg_io.c); one thread, no per-packet
 * system call but the batched sendmmsg(). Prints a JSON summary and one
 * human line (stderr). docs/benchmarks.md describes it.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <dhcpxdp/dhcp_wire.h>

#include "lg_client.h"
#include "lg_flood.h"
#include "lg_io.h"
#include "lg_msg.h"
#include "lg_opts.h"
#include "lg_stats.h"
#include "netif.h"

/* Starts of one kind per turn of the loop at most, so that replies are
 * read between bursts when the generator falls behind. */
#define MAX_STARTS_PER_TURN 256

struct lg_run {
	struct lg_opts o;
	struct lg_link link;
	struct lg_pool pool;
	struct lg_io io;
	struct lg_stats st;
	uint16_t port;
	bool backlog;
	uint64_t flood_started;
};

/* A rate-paced kind of exchange: how many were started since t0. */
struct lg_pace {
	enum lg_kind kind;
	double rate;
	uint64_t started;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	/* CLOCK_REALTIME: the ring's receive timestamps are on it. */
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static double cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static void send_req(struct lg_run *r, const struct lg_req *q)
{
	int len =
		lg_msg_build(lg_io_tx_slot(&r->io), LG_FRAME_MAX, &r->link, q);

	if (len > 0)
		lg_io_tx_commit(&r->io, (size_t)len);
}

static void on_frame(void *ctx, const uint8_t *f, size_t len, uint16_t vlan,
		     uint64_t rx_ns)
{
	struct lg_run *r = ctx;
	struct lg_reply rep;
	struct lg_req q;

	r->st.rx_frames++;
	if (lg_reply_parse(f, len, vlan, r->port, &rep) ||
	    rep.vlan != r->link.vlan)
		return;
	/* Renewals and releases go unicast to the server (RFC 2131 §4.4.5):
	 * its MAC is the source of its first reply. */
	if (!r->o.have_server_mac && rep.server_id == r->link.server_ip) {
		memcpy(r->link.server_mac, rep.src_mac, 6);
		r->o.have_server_mac = true;
	}
	/* RFC 3046 §2.2: the server echoes 82 in its reply to a relay. */
	r->st.relay_info += rep.relay_info;
	if (lg_flood_reply(&rep, r->o.mac_seed, rx_ns, &r->st))
		return;
	if (lg_pool_reply(&r->pool, &rep, rx_ns, now_ns(), &r->st, &q) == 1)
		send_req(r, &q);
}

static void start_paced(struct lg_run *r, struct lg_pace *pc, uint64_t t0,
			uint64_t now)
{
	uint64_t due = (uint64_t)((double)(now - t0) / 1e9 * pc->rate);
	unsigned n = 0;
	struct lg_req q;

	while (pc->started < due && n++ < MAX_STARTS_PER_TURN) {
		pc->started++;
		if (!lg_pool_start(&r->pool, pc->kind, now, &r->st, &q))
			send_req(r, &q);
	}
	r->backlog |= pc->started < due;
}

/* The DISCOVER flood, paced as the clients' exchanges are. */
static void start_flood(struct lg_run *r, uint64_t t0, uint64_t now)
{
	uint64_t due = (uint64_t)((double)(now - t0) / 1e9 * r->o.flood);
	unsigned n = 0;
	struct lg_req q;

	while (r->flood_started < due && n++ < MAX_STARTS_PER_TURN) {
		lg_flood_req(r->flood_started++, r->o.mac_seed, now, &q);
		r->st.x[LG_X_FLOOD].sent++;
		send_req(r, &q);
	}
	r->backlog |= r->flood_started < due;
}

/* RFC 2131 §4.4.5: a bound client renews at T1 (here T1 x scale). */
static void start_t1(struct lg_run *r, uint64_t now)
{
	unsigned n = 0;
	struct lg_req q;

	while (lg_pool_t1_due(&r->pool, now, r->o.t1_scale) &&
	       n++ < MAX_STARTS_PER_TURN)
		if (!lg_pool_start(&r->pool, LG_REQUEST_RENEWING, now, &r->st,
				   &q))
			send_req(r, &q);
	r->backlog |= n > MAX_STARTS_PER_TURN;
}

/* One turn: start what is due, read replies, expire, send. */
static uint32_t turn(struct lg_run *r, struct lg_pace *pc, unsigned npc,
		     uint64_t t0, bool sending)
{
	uint64_t now = now_ns();
	uint32_t waiting;
	unsigned i;

	r->backlog = false;
	for (i = 0; sending && i < npc; i++)
		start_paced(r, &pc[i], t0, now);
	if (sending && r->o.flood > 0)
		start_flood(r, t0, now);
	if (sending && r->o.t1_scale > 0)
		start_t1(r, now);
	lg_io_flush(&r->io);
	lg_io_rx(&r->io, on_frame, r);
	waiting = lg_pool_expire(&r->pool, now_ns(),
				 (uint64_t)(r->o.timeout_s * 1e9), &r->st);
	lg_io_flush(&r->io);
	if (!r->backlog)
		lg_io_wait(&r->io, 1);
	return waiting;
}

/* RFC 2131 §4.4.6: every client still bound gives its lease back. */
static void release_all(struct lg_run *r)
{
	struct lg_req q;

	while (r->pool.bound.len)
		if (!lg_pool_start(&r->pool, LG_RELEASE, now_ns(), &r->st, &q))
			send_req(r, &q);
	lg_io_flush(&r->io);
}

/*
 * Renewal-only mode: every client (or --bind-count of them) is bound
 * first, DORA at -r per second (dropped ones retried) within n / rate +
 * 10 s; the figures then start from zero and cover the period alone, in
 * which the clients left unbound run DORA at --period-rate (a mixed run).
 */
static int bind_all(struct lg_run *r)
{
	struct lg_pace pc = {LG_DISCOVER, r->o.rate, 0};
	uint32_t want = r->o.bind_count && r->o.bind_count < r->pool.n
				? r->o.bind_count
				: r->pool.n;
	uint64_t t0 = now_ns(),
		 end = t0 + (uint64_t)((want / r->o.rate + 10) * 1e9);
	uint64_t bound;
	double flood = r->o.flood;

	/* No flood while binding: it belongs to the measured period. */
	r->o.flood = 0;
	while (!stop && r->pool.bound.len < want && now_ns() < end)
		turn(r, &pc, 1, t0, true);
	while (!stop && now_ns() < end && turn(r, &pc, 0, t0, false))
		;
	r->o.flood = flood;
	bound = r->pool.bound.len;
	memset(&r->st, 0, sizeof(r->st));
	r->st.prebound = bound;
	r->io.tx_frames = r->io.tx_errors = 0;
	lg_io_rx_drops(&r->io); /* reading resets it */
	if (bound < want)
		fprintf(stderr,
			"dhcpxdp-loadgen: only %llu of %u clients bound "
			"before the period\n",
			(unsigned long long)bound, want);
	return bound ? 0 : -ETIMEDOUT;
}

static void run(struct lg_run *r)
{
	struct lg_pace pc[] = {
		{LG_DISCOVER, r->o.rate, 0},
		{LG_REQUEST_RENEWING, r->o.renew, 0},
		{LG_REQUEST_REBINDING, r->o.rebind, 0},
		{LG_RELEASE, r->o.release, 0},
	};
	uint64_t t0, end, drain;
	double c0;

	if (r->o.bind_first) {
		if (r->o.rate <= 0 || bind_all(r))
			return;
		pc[0].rate = r->o.period_rate;
	}
	t0 = now_ns();
	end = t0 + (uint64_t)(r->o.duration_s * 1e9);
	drain = end + (uint64_t)(r->o.wait_s * 1e9);
	c0 = cpu_s();

	while (!stop && now_ns() < end)
		turn(r, pc, sizeof(pc) / sizeof(pc[0]), t0, true);
	r->st.period_s = (double)(now_ns() - t0) / 1e9;
	while (!stop && now_ns() < drain && turn(r, pc, 0, t0, false))
		;
	/* What is still unanswered now was lost. */
	lg_pool_expire(&r->pool, UINT64_MAX, 0, &r->st);
	r->st.x[LG_X_FLOOD].dropped = r->st.x[LG_X_FLOOD].sent -
				      r->st.x[LG_X_FLOOD].answered -
				      r->st.x[LG_X_FLOOD].naks;
	if (r->o.release_at_end)
		release_all(r);
	r->st.wall_s = (double)(now_ns() - t0) / 1e9;
	r->st.cpu_s = cpu_s() - c0;
	r->st.tx_frames = r->io.tx_frames;
	r->st.tx_errors = r->io.tx_errors;
	r->st.rx_ring_drops = lg_io_rx_drops(&r->io);
}

static int setup(struct lg_run *r)
{
	int err;

	r->link.server_ip = r->o.server_ip;
	r->link.giaddr = r->o.giaddr;
	r->link.vlan = r->o.vlan;
	r->link.no_relay_info = r->o.no_relay_info;
	memcpy(r->link.server_mac, r->o.server_mac, 6);
	memcpy(r->link.remote_id, r->o.remote_id, sizeof(r->link.remote_id));
	r->port = r->o.giaddr ? DHCP_SERVER_PORT : DHCP_CLIENT_PORT;
	err = netif_mac(r->o.ifname, r->link.if_mac);
	if (err) {
		fprintf(stderr, "dhcpxdp-loadgen: %s: %s\n", r->o.ifname,
			strerror(-err));
		return err;
	}
	err = lg_pool_init(&r->pool, r->o.clients, r->o.mac_seed);
	if (err) {
		fprintf(stderr, "dhcpxdp-loadgen: %u clients: %s\n",
			r->o.clients, strerror(-err));
		return err;
	}
	err = lg_io_open(&r->io, r->o.ifname, r->port, r->o.giaddr);
	if (err)
		fprintf(stderr,
			"dhcpxdp-loadgen: packet socket on %s: %s (root? a "
			"relay's giaddr on the interface?)\n",
			r->o.ifname, strerror(-err));
	return err;
}

int main(int argc, char **argv)
{
	static struct lg_run r;
	FILE *out = stdout;
	int err;

	err = lg_opts_parse(&r.o, argc, argv);
	if (err)
		return err > 0 ? 0 : 2;
	r.io.fd = r.io.port_fd = -1;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	err = setup(&r);
	if (err)
		goto out;
	run(&r);
	if (r.o.json_path)
		out = fopen(r.o.json_path, "w");
	if (!out) {
		err = -errno;
		fprintf(stderr, "dhcpxdp-loadgen: %s: %s\n", r.o.json_path,
			strerror(errno));
		goto out;
	}
	lg_stats_json(out, &r.st);
	if (out != stdout)
		fclose(out);
	lg_stats_line(stderr, &r.st);
out:
	lg_io_close(&r.io);
	lg_pool_free(&r.pool);
	return err ? 1 : 0;
}
