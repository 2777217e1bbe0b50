// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The rate limits on what XDP passes up (bpf/ratelimit.h), through
 * BPF_PROG_RUN on the real object with the XDP table's fixture
 * (xdp_table.h): each kind lets its burst through and then drops,
 * counted per kind; a bucket refills with time; a known client is
 * charged to its own bucket only, so it passes while unknown MACs are
 * dropped by their network's; non-DHCP frames, frames for another
 * host's MAC and fast-path answers are never limited; all limits off
 * (the map as loaded) drops nothing.
 *
 * The buckets are per CPU: the process is pinned to one CPU, so every
 * run charges the same ones.
 */
#include <errno.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <cmocka.h>
#include <dhcpxdp/dhcp_wire.h>
#include "dhcpxdp.skel.h"
#include "frame.h"
#include "xdp_table.h"

#define GIADDR_LISTED IP(192, 168, 5, 1) /* relay of subnet id 3 */
#define GIADDR_PREFIX IP(172, 16, 0, 1)	 /* inside subnet id 3 */

static const uint8_t relay_mac[6] = {0x02, 0x0e, 0, 0, 0, 0x01};

/* ---- the maps ------------------------------------------------------- */

struct lim {
	uint32_t rate, burst;
};

static void set_limits(struct lim client, struct lim network, struct lim relay,
		       struct lim circuit)
{
	struct dx_rate_limits v = {0};
	uint32_t key = 0;

	v.limit[DX_RATE_CLIENT] =
		(struct dx_rate_limit){client.rate, client.burst};
	v.limit[DX_RATE_NETWORK] =
		(struct dx_rate_limit){network.rate, network.burst};
	v.limit[DX_RATE_RELAY] =
		(struct dx_rate_limit){relay.rate, relay.burst};
	v.limit[DX_RATE_CIRCUIT_ID] =
		(struct dx_rate_limit){circuit.rate, circuit.burst};
	assert_int_equal(
		bpf_map_update_elem(
			bpf_map__fd(xdp_table_env.skel->maps.dx_limits), &key,
			&v, BPF_ANY),
		0);
}

static const struct lim OFF = {0, 0};

static size_t bucket_count(void)
{
	int fd = bpf_map__fd(xdp_table_env.skel->maps.dx_buckets);
	struct dx_rate_key k, next;
	size_t n = 0;
	void *prev = NULL;

	while (!bpf_map_get_next_key(fd, prev, &next)) {
		k = next;
		prev = &k;
		n++;
	}
	return n;
}

/* Every test starts with full buckets (none) and the limits it sets. */
static int reset(void **state)
{
	int fd;
	struct dx_rate_key k;

	(void)state;
	if (xdp_table_skip_reason)
		return 0;
	fd = bpf_map__fd(xdp_table_env.skel->maps.dx_buckets);
	while (!bpf_map_get_next_key(fd, NULL, &k))
		if (bpf_map_delete_elem(fd, &k))
			return -1;
	set_limits(OFF, OFF, OFF, OFF);
	return 0;
}

/* ---- frames --------------------------------------------------------- */

/* A DISCOVER from unknown client n (no lease anywhere). */
static void unknown_discover(struct frame_spec *s, uint32_t n)
{
	uint8_t mac[6] = {0x02, 0x77, 0, 0, (uint8_t)(n >> 8), (uint8_t)n};

	frame_spec_init(s, mac, 0x5000 + n);
	opt_add_u8(s, DHCP_OPT_MSG_TYPE, DHCPDISCOVER);
	opt_end(s);
}

/* Sent on by a relay at giaddr, to our address at our MAC. */
static void relayed(struct frame_spec *s, uint32_t giaddr)
{
	s->giaddr = giaddr;
	s->src_ip = giaddr;
	s->dst_ip = S1;
	s->sport = 67;
	s->hops = 1;
	memcpy(s->src_mac, relay_mac, 6);
	memcpy(s->dst_mac, srv_mac, 6);
}

/* Unknown client n's DISCOVER through a relay, with option 82 holding
 * `subopts` (n_subopts bytes) when n_subopts > 0. */
static void relayed_discover(struct frame_spec *s, uint32_t n, uint32_t giaddr,
			     const void *subopts, uint8_t n_subopts)
{
	uint8_t mac[6] = {0x02, 0x78, 0, 0, (uint8_t)(n >> 8), (uint8_t)n};

	frame_spec_init(s, mac, 0x6000 + n);
	opt_add_u8(s, DHCP_OPT_MSG_TYPE, DHCPDISCOVER);
	if (n_subopts)
		opt_add(s, DHCP_OPT_RELAY_AGENT_INFO, n_subopts, subopts);
	opt_end(s);
	relayed(s, giaddr);
}

/* Run s once; its verdict. A frame passed up or dropped is untouched. */
static int run(const struct frame_spec *s)
{
	uint8_t in[FRAME_MAX], out[4096];
	size_t in_len, out_len = sizeof(out);
	int verdict;

	in_len = frame_build(s, in, sizeof(in));
	assert_true(in_len > 0);
	verdict = xdp_env_run(&xdp_table_env, in, in_len, out, &out_len, NULL);
	if (verdict == XDP_PASS || verdict == XDP_DROP) {
		assert_int_equal(out_len, in_len);
		assert_memory_equal(out, in, in_len);
	}
	return verdict;
}

static uint64_t stat(enum dx_stat st)
{
	return xdp_env_stat(&xdp_table_env, st);
}

/* The drop counters, in enum dx_rate_kind order. */
static const enum dx_stat drop_stat[DX_RATE_KINDS] = {
	DX_STAT_DROP_RATE_CLIENT,
	DX_STAT_DROP_RATE_NETWORK,
	DX_STAT_DROP_RATE_RELAY,
	DX_STAT_DROP_RATE_CIRCUIT_ID,
};

struct drops {
	uint64_t v[DX_RATE_KINDS];
};

static struct drops drops_now(void)
{
	struct drops d;

	for (int k = 0; k < DX_RATE_KINDS; k++)
		d.v[k] = stat(drop_stat[k]);
	return d;
}

/* Since `before`, exactly `n` drops of kind `kind` and none of another. */
static void assert_drops(const struct drops *before, int kind, uint64_t n)
{
	struct drops now = drops_now();

	for (int k = 0; k < DX_RATE_KINDS; k++)
		assert_int_equal(now.v[k] - before->v[k], k == kind ? n : 0);
}

#define SKIP_UNLESS_READY()                \
	do {                               \
		(void)state;               \
		if (xdp_table_skip_reason) \
			skip();            \
	} while (0)

/* ---- each kind: its burst passes, the next request is dropped ------- */

static void client_burst_then_drop(void **state)
{
	struct frame_spec s, other;
	struct drops d0;
	uint64_t punts;

	SKIP_UNLESS_READY();
	set_limits((struct lim){1, 3}, OFF, OFF, OFF);
	d0 = drops_now();
	punts = stat(DX_STAT_PUNT_DISCOVER);
	unknown_discover(&s, 1);
	for (int i = 0; i < 3; i++)
		assert_int_equal(run(&s), XDP_PASS);
	assert_int_equal(stat(DX_STAT_PUNT_DISCOVER), punts + 3);
	assert_int_equal(run(&s), XDP_DROP);
	assert_int_equal(run(&s), XDP_DROP);
	assert_drops(&d0, DX_RATE_CLIENT, 2);
	/* a drop is not a punt */
	assert_int_equal(stat(DX_STAT_PUNT_DISCOVER), punts + 3);
	/* another MAC has a bucket of its own */
	unknown_discover(&other, 2);
	assert_int_equal(run(&other), XDP_PASS);
	assert_int_equal(bucket_count(), 2);
}

static void network_burst_then_drop(void **state)
{
	struct frame_spec s;
	struct drops d0;

	SKIP_UNLESS_READY();
	set_limits(OFF, (struct lim){1, 5}, OFF, OFF);
	d0 = drops_now();
	for (uint32_t n = 0; n < 5; n++) {
		unknown_discover(&s, 100 + n);
		assert_int_equal(run(&s), XDP_PASS);
	}
	for (uint32_t n = 5; n < 8; n++) {
		unknown_discover(&s, 100 + n);
		assert_int_equal(run(&s), XDP_DROP);
	}
	assert_drops(&d0, DX_RATE_NETWORK, 3);
	/* VLAN 100 on the same interface is another network. */
	unknown_discover(&s, 200);
	s.vlan = 100;
	assert_int_equal(run(&s), XDP_PASS);
	/* A relayed request arriving on the untagged network shares it. */
	relayed_discover(&s, 201, GIADDR_LISTED, NULL, 0);
	assert_int_equal(run(&s), XDP_DROP);
	assert_drops(&d0, DX_RATE_NETWORK, 4);
}

static void relay_burst_then_drop(void **state)
{
	struct frame_spec s;
	struct drops d0;
	uint64_t punts;

	SKIP_UNLESS_READY();
	set_limits(OFF, OFF, (struct lim){1, 2}, OFF);
	d0 = drops_now();
	punts = stat(DX_STAT_PUNT_DISCOVER);
	for (uint32_t n = 0; n < 2; n++) {
		relayed_discover(&s, 300 + n, GIADDR_LISTED, NULL, 0);
		assert_int_equal(run(&s), XDP_PASS);
	}
	assert_int_equal(stat(DX_STAT_PUNT_DISCOVER), punts + 2);
	relayed_discover(&s, 302, GIADDR_LISTED, NULL, 0);
	assert_int_equal(run(&s), XDP_DROP);
	assert_drops(&d0, DX_RATE_RELAY, 1);
	/* another relay, and direct traffic, are not charged to it */
	relayed_discover(&s, 303, GIADDR_PREFIX, NULL, 0);
	assert_int_equal(run(&s), XDP_PASS);
	unknown_discover(&s, 304);
	assert_int_equal(run(&s), XDP_PASS);
	assert_drops(&d0, DX_RATE_RELAY, 1);
}

static void circuit_id_burst_then_drop(void **state)
{
	/* RFC 3046: sub-option 1 circuit id, 2 remote id. */
	static const uint8_t port1[] = "\x01\x05port1";
	static const uint8_t port2[] = "\x01\x05port2";
	static const uint8_t remote_then_port1[] = "\x02\x03rid\x01\x05port1";
	/* a sub-option that overruns option 82: no circuit id */
	static const uint8_t broken[] = "\x02\x09rid\x01\x05port1";
	struct frame_spec s;
	struct drops d0;
	uint64_t punts, relay_info;

	SKIP_UNLESS_READY();
	set_limits(OFF, OFF, OFF, (struct lim){1, 2});
	d0 = drops_now();
	punts = stat(DX_STAT_PUNT_DISCOVER);
	relay_info = stat(DX_STAT_PUNT_RELAY_INFO);
	relayed_discover(&s, 400, GIADDR_LISTED, port1, 7);
	assert_int_equal(run(&s), XDP_PASS);
	/* the same circuit id after a remote id: the same bucket */
	relayed_discover(&s, 401, GIADDR_LISTED, remote_then_port1, 12);
	assert_int_equal(run(&s), XDP_PASS);
	assert_int_equal(stat(DX_STAT_PUNT_DISCOVER), punts + 2);
	relayed_discover(&s, 402, GIADDR_LISTED, port1, 7);
	assert_int_equal(run(&s), XDP_DROP);
	assert_drops(&d0, DX_RATE_CIRCUIT_ID, 1);
	/* another circuit, the same circuit id from another relay, no
	 * option 82 and a malformed one: not this bucket */
	relayed_discover(&s, 403, GIADDR_LISTED, port2, 7);
	assert_int_equal(run(&s), XDP_PASS);
	relayed_discover(&s, 404, GIADDR_PREFIX, port1, 7);
	assert_int_equal(run(&s), XDP_PASS);
	relayed_discover(&s, 405, GIADDR_LISTED, NULL, 0);
	assert_int_equal(run(&s), XDP_PASS);
	relayed_discover(&s, 406, GIADDR_LISTED, broken, 12);
	assert_int_equal(run(&s), XDP_PASS);
	assert_drops(&d0, DX_RATE_CIRCUIT_ID, 1);
	assert_int_equal(stat(DX_STAT_PUNT_DISCOVER), punts + 5);
	assert_int_equal(stat(DX_STAT_PUNT_RELAY_INFO), relay_info + 1);
}

/* Every kind on at once: the most specific bucket that is empty is
 * counted, and a dropped request charges no bucket. */
static void dropped_request_charges_nothing(void **state)
{
	struct frame_spec s;
	struct drops d0;

	SKIP_UNLESS_READY();
	set_limits((struct lim){1, 1}, (struct lim){1, 2}, OFF, OFF);
	d0 = drops_now();
	unknown_discover(&s, 500);
	assert_int_equal(run(&s), XDP_PASS);
	assert_int_equal(run(&s), XDP_DROP); /* its own bucket */
	assert_drops(&d0, DX_RATE_CLIENT, 1);
	unknown_discover(&s, 501);
	assert_int_equal(run(&s), XDP_PASS); /* the network's second */
	/* a flood of new MACs is stopped by the network and leaves no
	 * client bucket behind */
	for (uint32_t n = 502; n < 520; n++) {
		unknown_discover(&s, n);
		assert_int_equal(run(&s), XDP_DROP);
	}
	assert_int_equal(drops_now().v[DX_RATE_NETWORK] - d0.v[DX_RATE_NETWORK],
			 18);
	/* 500, 501 and the network */
	assert_int_equal(bucket_count(), 3);
}

/* ---- refill ------------------------------------------------------------ */

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void bucket_refills_with_time(void **state)
{
	struct frame_spec s;
	struct drops d0;

	SKIP_UNLESS_READY();
	/* one request every 50 ms, two at once */
	set_limits((struct lim){20, 2}, OFF, OFF, OFF);
	d0 = drops_now();
	unknown_discover(&s, 600);
	assert_int_equal(run(&s), XDP_PASS);
	assert_int_equal(run(&s), XDP_PASS);
	assert_int_equal(run(&s), XDP_DROP);
	sleep_ms(60);
	assert_int_equal(run(&s), XDP_PASS);
	assert_int_equal(run(&s), XDP_DROP);
	/* after burst / rate (100 ms), the whole burst again */
	sleep_ms(120);
	assert_int_equal(run(&s), XDP_PASS);
	assert_int_equal(run(&s), XDP_PASS);
	assert_int_equal(run(&s), XDP_DROP);
	assert_drops(&d0, DX_RATE_CLIENT, 3);
}

/* ---- exemptions -------------------------------------------------------- */

static void msg_from(struct frame_spec *s, enum client c, uint8_t type,
		     uint32_t addr)
{
	req_base(s, c, type);
	opt_add_ip(s, DHCP_OPT_REQUESTED_IP, addr);
	opt_add_ip(s, DHCP_OPT_SERVER_ID, S1);
	opt_end(s);
}

/*
 * The network's bucket is empty (unknown MACs are dropped), yet known
 * clients' requests pass: a renewal the horizon no longer covers, a
 * DISCOVER, a RELEASE, a DECLINE, and a relayed renewal with option 82
 * while the relay's and circuit's buckets are empty too. Each is charged
 * to its own client bucket, which does stop a known client that floods.
 */
static void known_client_exempt_from_shared_limits(void **state)
{
	static const uint8_t port1[] = "\x01\x05port1";
	/* a sub-option that overruns option 82 */
	static const uint8_t broken[] = "\x02\x09rid\x01\x05port1";
	struct frame_spec s;
	struct drops d0;
	uint64_t horizon, msg_type, relay_info;

	SKIP_UNLESS_READY();
	set_limits((struct lim){1, 4}, (struct lim){1, 2}, (struct lim){1, 1},
		   (struct lim){1, 1});
	/* spend the network's, the relay's and the circuit's buckets */
	unknown_discover(&s, 700);
	assert_int_equal(run(&s), XDP_PASS);
	relayed_discover(&s, 701, GIADDR_LISTED, port1, 7);
	assert_int_equal(run(&s), XDP_PASS);
	d0 = drops_now();
	unknown_discover(&s, 702);
	assert_int_equal(run(&s), XDP_DROP);
	relayed_discover(&s, 703, GIADDR_LISTED, port1, 7);
	assert_int_equal(run(&s), XDP_DROP);
	assert_int_equal(drops_now().v[DX_RATE_NETWORK] - d0.v[DX_RATE_NETWORK],
			 1);
	assert_int_equal(drops_now().v[DX_RATE_CIRCUIT_ID] -
				 d0.v[DX_RATE_CIRCUIT_ID],
			 1);

	d0 = drops_now();
	horizon = stat(DX_STAT_PUNT_HORIZON);
	msg_type = stat(DX_STAT_PUNT_MSG_TYPE);
	relay_info = stat(DX_STAT_PUNT_RELAY_INFO);
	/* CL_C: a renewal beyond its horizon, for the daemon */
	renewing(&s, CL_C, IP(10, 0, 0, 52), S1);
	assert_int_equal(run(&s), XDP_PASS);
	assert_int_equal(stat(DX_STAT_PUNT_HORIZON), horizon + 1);
	/* CL_A: DISCOVER, RELEASE, DECLINE */
	discover(&s, CL_A);
	assert_int_equal(run(&s), XDP_PASS);
	msg_from(&s, CL_A, DHCPRELEASE, IP(10, 0, 0, 50));
	assert_int_equal(run(&s), XDP_PASS);
	msg_from(&s, CL_A, DHCPDECLINE, IP(10, 0, 0, 50));
	assert_int_equal(run(&s), XDP_PASS);
	assert_int_equal(stat(DX_STAT_PUNT_MSG_TYPE), msg_type + 2);
	/* CL_G: a relayed renewal with an option 82 the fast path does
	 * not echo (the punt reason is relay_info, found before the
	 * subnet and lease) */
	req_base(&s, CL_G, DHCPREQUEST);
	s.ciaddr = IP(172, 16, 0, 30);
	opt_add(&s, DHCP_OPT_RELAY_AGENT_INFO, 12, broken);
	opt_end(&s);
	relayed(&s, GIADDR_LISTED);
	assert_int_equal(run(&s), XDP_PASS);
	assert_int_equal(stat(DX_STAT_PUNT_RELAY_INFO), relay_info + 1);
	assert_drops(&d0, DX_RATE_CLIENT, 0);

	/* CL_A's own bucket: 3 of 4 spent, one more passes, then no */
	discover(&s, CL_A);
	assert_int_equal(run(&s), XDP_PASS);
	assert_int_equal(run(&s), XDP_DROP);
	assert_drops(&d0, DX_RATE_CLIENT, 1);
}

static void non_dhcp_never_limited(void **state)
{
	struct frame_spec s;
	struct drops d0;
	uint64_t not_dhcp, cookie;

	SKIP_UNLESS_READY();
	set_limits((struct lim){1, 1}, (struct lim){1, 1}, (struct lim){1, 1},
		   (struct lim){1, 1});
	d0 = drops_now();
	not_dhcp = stat(DX_STAT_PUNT_NOT_DHCP);
	cookie = stat(DX_STAT_PUNT_BAD_COOKIE);
	for (int i = 0; i < 5; i++) {
		unknown_discover(&s, 800);
		s.dport = 53; /* DNS from the same MAC */
		assert_int_equal(run(&s), XDP_PASS);
		unknown_discover(&s, 800);
		s.cookie = 0x01020304; /* not a DHCP message */
		assert_int_equal(run(&s), XDP_PASS);
	}
	assert_int_equal(stat(DX_STAT_PUNT_NOT_DHCP), not_dhcp + 5);
	assert_int_equal(stat(DX_STAT_PUNT_BAD_COOKIE), cookie + 5);
	assert_drops(&d0, DX_RATE_CLIENT, 0);
	assert_int_equal(bucket_count(), 0);
}

/* A unicast renewal to another host's MAC (a bridge port, a promiscuous
 * NIC) is not ours to limit: the daemon never reads it. */
static void other_hosts_frames_never_limited(void **state)
{
	static const uint8_t other_mac[6] = {0x02, 0, 0, 0, 0, 0x99};
	struct frame_spec s;
	struct drops d0;
	uint64_t other;

	SKIP_UNLESS_READY();
	set_limits((struct lim){1, 1}, (struct lim){1, 1}, OFF, OFF);
	d0 = drops_now();
	other = stat(DX_STAT_PUNT_OTHER_HOST);
	for (int i = 0; i < 5; i++) {
		renewing(&s, CL_UNKNOWN, IP(10, 0, 0, 77), IP(10, 0, 0, 2));
		memcpy(s.dst_mac, other_mac, 6);
		assert_int_equal(run(&s), XDP_PASS);
	}
	assert_int_equal(stat(DX_STAT_PUNT_OTHER_HOST), other + 5);
	assert_drops(&d0, DX_RATE_CLIENT, 0);
	assert_int_equal(bucket_count(), 0);
}

static void fast_path_answers_never_limited(void **state)
{
	struct frame_spec s;
	struct drops d0;
	uint64_t acks, offers;

	SKIP_UNLESS_READY();
	set_limits((struct lim){1, 1}, (struct lim){1, 1}, (struct lim){1, 1},
		   (struct lim){1, 1});
	d0 = drops_now();
	acks = stat(DX_STAT_ACK_RENEWAL);
	offers = stat(DX_STAT_OFFER);
	for (int i = 0; i < 5; i++) {
		renewing(&s, CL_A, IP(10, 0, 0, 50), S1);
		assert_int_equal(run(&s), XDP_TX);
		discover(&s, CL_R); /* reservation: OFFER */
		assert_int_equal(run(&s), XDP_TX);
	}
	drain_events();
	assert_int_equal(stat(DX_STAT_ACK_RENEWAL), acks + 5);
	assert_int_equal(stat(DX_STAT_OFFER), offers + 5);
	assert_drops(&d0, DX_RATE_CLIENT, 0);
	assert_int_equal(bucket_count(), 0);
}

/* The map as loaded (and rate 0 everywhere) limits nothing. */
static void limits_off_drop_nothing(void **state)
{
	struct frame_spec s;
	struct drops d0;

	SKIP_UNLESS_READY();
	d0 = drops_now();
	for (uint32_t n = 0; n < 50; n++) {
		unknown_discover(&s, 900 + n % 2);
		assert_int_equal(run(&s), XDP_PASS);
	}
	assert_drops(&d0, DX_RATE_CLIENT, 0);
	assert_int_equal(bucket_count(), 0);
}

/* Per-CPU buckets: every run must charge the same CPU's. */
static void pin_to_one_cpu(void)
{
	int cpu = sched_getcpu();
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		fprintf(stderr, "cannot pin to CPU %d: %s\n", cpu,
			strerror(errno));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(limits_off_drop_nothing, reset),
		cmocka_unit_test_setup(client_burst_then_drop, reset),
		cmocka_unit_test_setup(network_burst_then_drop, reset),
		cmocka_unit_test_setup(relay_burst_then_drop, reset),
		cmocka_unit_test_setup(circuit_id_burst_then_drop, reset),
		cmocka_unit_test_setup(dropped_request_charges_nothing, reset),
		cmocka_unit_test_setup(bucket_refills_with_time, reset),
		cmocka_unit_test_setup(known_client_exempt_from_shared_limits,
				       reset),
		cmocka_unit_test_setup(non_dhcp_never_limited, reset),
		cmocka_unit_test_setup(other_hosts_frames_never_limited, reset),
		cmocka_unit_test_setup(fast_path_answers_never_limited, reset),
	};

	pin_to_one_cpu();
	return xdp_table_run("xdp_rate_limit", NULL, 0, tests,
			     sizeof(tests) / sizeof(tests[0]));
}
