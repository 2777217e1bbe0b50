// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The daemon's packet I/O (user/kernel/pkt_io.c) on veth pairs in a private
 * network namespace: what the kernel filter lets through, VLAN tags put
 * back into the frame (with rx/tx VLAN offload on and off), batches,
 * frames sent whole, and frames passed by the XDP program; and opening a
 * socket on a missing interface or with bad arguments. Frames are
 * crafted with tests/lib/frame.c and replies built with user/wire/frame_out.c;
 * checksums are verified with the independent code in tests/lib.
 * Putting the tag back (pkt_io_restore_vlan()) on crafted buffers,
 * without a socket, is tests/unit/test_pkt_io_vlan.c.
 *
 * Pair 0: dxs0 (server, pkt_io) <-> dxc0 (client, raw socket), MTU 4000.
 * Pair 1: dxs1 <-> dxc1 with rxvlan/txvlan offload off on both ends.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <bpf/libbpf.h>
#include <cmocka.h>
#include <dhcpxdp/dhcp_wire.h>
#include <dhcpxdp/stats.h>
#include "frame.h"
#include "wire/frame_out.h"
#include "kernel/pkt_filter.h"
#include "kernel/pkt_io.h"
#include "xdp_env.h"

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

#define WAIT_MS 1000

struct pair {
	const char *srv, *cli;
	unsigned int srv_idx, cli_idx;
	uint8_t srv_mac[6], cli_mac[6];
	int cli_fd; /* raw AF_PACKET socket on the client end */
};

static struct pair pairs[2] = {
	{.srv = "dxs0", .cli = "dxc0"},
	{.srv = "dxs1", .cli = "dxc1"},
};
static const char *skip_reason;
static const uint8_t client_mac[6] = {0x02, 0xc1, 0x00, 0x00, 0x00, 0x01};

#define SKIP_UNLESS_ROOT()                                                 \
	do {                                                               \
		if (skip_reason) {                                         \
			fprintf(stderr, "test_pkt_io: %s\n", skip_reason); \
			skip();                                            \
		}                                                          \
	} while (0)

static int sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

static int get_mac(const char *ifname, uint8_t mac[6])
{
	struct ifreq ifr = {0};
	int fd = socket(AF_INET, SOCK_DGRAM, 0), ret;

	if (fd < 0)
		return -1;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ret = ioctl(fd, SIOCGIFHWADDR, &ifr);
	close(fd);
	if (ret)
		return -1;
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	return 0;
}

/* A plain packet socket on the client end: sends what it is given and
 * reads everything but its own frames. */
static int raw_open(unsigned int ifindex)
{
	struct sockaddr_ll sll = {.sll_family = AF_PACKET,
				  .sll_protocol = htons(ETH_P_ALL),
				  .sll_ifindex = (int)ifindex};
	int one = 1;
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, htons(ETH_P_ALL));

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		close(fd);
		return -1;
	}
	return fd;
}

static int group_setup(void **state)
{
	(void)state;
	if (geteuid() != 0) {
		skip_reason = "needs root (network namespace, veth, packet "
			      "sockets); SKIPPING";
		fprintf(stderr, "test_pkt_io: %s\n", skip_reason);
		return 0;
	}
	/* The veth pairs vanish with the namespace when the process ends. */
	if (unshare(CLONE_NEWNET)) {
		perror("unshare(CLONE_NEWNET)");
		return -1;
	}
	/* No IPv6 chatter (RS, MLD, DAD) on the links. */
	sh("sysctl -qw net.ipv6.conf.all.disable_ipv6=1 "
	   "net.ipv6.conf.default.disable_ipv6=1 >/dev/null 2>&1");
	if (sh("ip link set lo up && "
	       "ip link add dxs0 mtu 4000 type veth peer name dxc0 mtu 4000 && "
	       "ip link add dxs1 type veth peer name dxc1 && "
	       "ethtool -K dxs1 rxvlan off txvlan off >/dev/null && "
	       "ethtool -K dxc1 rxvlan off txvlan off >/dev/null && "
	       "for i in dxs0 dxc0 dxs1 dxc1; do ip link set $i up || "
	       "exit 1; done"))
		return -1;
	for (int i = 0; i < 2; i++) {
		struct pair *p = &pairs[i];

		p->srv_idx = if_nametoindex(p->srv);
		p->cli_idx = if_nametoindex(p->cli);
		if (!p->srv_idx || !p->cli_idx || get_mac(p->srv, p->srv_mac) ||
		    get_mac(p->cli, p->cli_mac))
			return -1;
		p->cli_fd = raw_open(p->cli_idx);
		if (p->cli_fd < 0)
			return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (skip_reason)
		return 0;
	for (int i = 0; i < 2; i++)
		close(pairs[i].cli_fd);
	return 0;
}

/* ---- helpers ---- */

static void open_srv(struct pkt_sock *s, const struct pair *p)
{
	int ret = pkt_io_open(s, p->srv);

	if (ret)
		fail_msg("pkt_io_open(%s) = %d (%s)", p->srv, ret,
			 strerror(-ret));
	assert_int_equal(s->ifindex, p->srv_idx);
	assert_true(pkt_io_fd(s) >= 0);
}

static void cli_send(const struct pair *p, const uint8_t *buf, size_t len)
{
	ssize_t r = send(p->cli_fd, buf, len, 0);

	if (r != (ssize_t)len)
		fail_msg("send on %s: %zd (%s)", p->cli, r, strerror(errno));
}

static uint32_t frame_xid(const struct pkt_frame *f)
{
	size_t off = (f->vlan || (f->data[12] == 0x81 && f->data[13] == 0))
			     ? 18
			     : 14;

	if (f->svlan)
		off += 4;
	const uint8_t *d = f->data + off + 20 + 8 + DHCP_OFF_XID;

	if (f->len < off + 28 + 8)
		return 0;
	return (uint32_t)d[0] << 24 | d[1] << 16 | d[2] << 8 | d[3];
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Receive until `want` frames have arrived or `ms` pass. Frames are
 * copied to `copy` (each FRAME_MAX bytes) since the ring is reused.
 * Returns the number of frames; *calls counts recv calls that returned
 * frames.
 */
static int recv_wait(struct pkt_sock *s, struct pkt_frame *out,
		     uint8_t (*copy)[FRAME_MAX], int want, int ms, int *calls)
{
	int64_t end = now_ms() + ms;
	struct pkt_frame fr[PKT_IO_BATCH];
	int got = 0;

	if (calls)
		*calls = 0;
	while (got < want) {
		struct pollfd pfd = {.fd = pkt_io_fd(s), .events = POLLIN};
		int64_t left = end - now_ms();
		int n;

		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
			break;
		n = pkt_io_recv_batch(s, fr, PKT_IO_BATCH);
		assert_true(n >= 0);
		if (n > 0 && calls)
			(*calls)++;
		for (int i = 0; i < n && got < want; i++, got++) {
			assert_true(fr[i].len <= FRAME_MAX);
			memcpy(copy[got], fr[i].data, fr[i].len);
			out[got] = fr[i];
			out[got].data = copy[got];
		}
	}
	return got;
}

/* Send `marker` after frames that must be filtered, then check that the
 * marker and only the marker arrives. */
static void expect_only_marker(struct pkt_sock *s, const struct pair *p,
			       uint32_t marker_xid)
{
	static uint8_t copy[8][FRAME_MAX];
	struct pkt_frame got[8];
	uint8_t buf[FRAME_MAX];
	size_t len =
		frame_discover(buf, sizeof(buf), client_mac, marker_xid, -1);
	int n;

	cli_send(p, buf, len);
	n = recv_wait(s, got, copy, 8, 300, NULL);
	assert_int_equal(n, 1);
	assert_int_equal(frame_xid(&got[0]), marker_xid);
}

static void test_open_errors(void **state)
{
	struct pkt_sock s;
	struct pkt_frame f;
	struct pkt_io_stats st;

	(void)state;
	assert_int_equal(pkt_io_open(&s, "nosuch0"), -ENODEV);
	assert_int_equal(pkt_io_fd(&s), -1);
	pkt_io_close(&s); /* after a failed open */
	memset(&s, 0, sizeof(s));
	pkt_io_close(&s); /* zeroed */
	assert_int_equal(pkt_io_open(NULL, "lo"), -EINVAL);
	assert_int_equal(pkt_io_open(&s, NULL), -EINVAL);
	assert_int_equal(pkt_io_recv_batch(&s, &f, 1), -EINVAL);
	assert_int_equal(pkt_io_send_batch(&s, &f, 1), -EINVAL);
	assert_int_equal(pkt_io_stats(&s, &st), -EINVAL);
}

/* ---- on the wire ---- */

static void receive_one_intact(const struct pair *p, int vlan)
{
	static uint8_t copy[4][FRAME_MAX];
	uint8_t sent[FRAME_MAX];
	size_t len = frame_discover(sent, sizeof(sent), client_mac,
				    0x1000 + (uint32_t)vlan, vlan);
	struct pkt_frame got[4];
	struct pkt_io_stats st;
	struct pkt_sock s;

	open_srv(&s, p);
	cli_send(p, sent, len);
	assert_int_equal(recv_wait(&s, got, copy, 4, WAIT_MS, NULL), 1);
	/* nothing else trails it */
	assert_int_equal(recv_wait(&s, got + 1, copy + 1, 1, 100, NULL), 0);
	assert_int_equal(got[0].len, len);
	assert_memory_equal(got[0].data, sent, len);
	assert_int_equal(got[0].vlan, vlan < 0 ? 0 : vlan & 0x0fff);
	assert_int_equal(got[0].ifindex, p->srv_idx);
	assert_int_equal(got[0].pkt_type, PACKET_BROADCAST);
	assert_int_equal(pkt_io_stats(&s, &st), 0);
	assert_int_equal(st.received, 1);
	assert_int_equal(st.truncated, 0);
	assert_int_equal(st.kernel_drops, 0);
	pkt_io_close(&s);
}

static void test_receive_untagged_intact(void **state)
{
	(void)state;
	SKIP_UNLESS_ROOT();
	receive_one_intact(&pairs[0], -1);
	receive_one_intact(&pairs[1], -1);
}

/* The kernel strips the tag into skb metadata; the caller still sees it
 * in the frame, priority bits included, and its VLAN id. */
static void test_receive_vlan_tagged_offload_on(void **state)
{
	(void)state;
	SKIP_UNLESS_ROOT();
	receive_one_intact(&pairs[0], 100);
	receive_one_intact(&pairs[0], (3 << 13) | 4094);
}

static void test_receive_vlan_tagged_offload_off(void **state)
{
	(void)state;
	SKIP_UNLESS_ROOT();
	receive_one_intact(&pairs[1], 100);
	receive_one_intact(&pairs[1], (6 << 13) | 1);
}

/* A relayed request: unicast to our MAC and IP, from the relay's port
 * 67, giaddr set. */
static void test_receive_relayed_unicast(void **state)
{
	static uint8_t copy[2][FRAME_MAX];
	const struct pair *p = &pairs[0];
	uint8_t sent[FRAME_MAX];
	struct pkt_frame got[2];
	struct frame_spec fs;
	struct pkt_sock s;
	size_t len;

	(void)state;
	SKIP_UNLESS_ROOT();
	frame_spec_init(&fs, client_mac, 0xabcd);
	memcpy(fs.src_mac, p->cli_mac, 6);
	memcpy(fs.dst_mac, p->srv_mac, 6);
	fs.src_ip = 0xc6336401; /* 198.51.100.1, the relay */
	fs.dst_ip = 0xc0000201; /* 192.0.2.1, us */
	fs.sport = 67;
	fs.giaddr = 0xc6336401;
	fs.hops = 1;
	opt_add_u8(&fs, DHCP_OPT_MSG_TYPE, DHCPDISCOVER);
	opt_end(&fs);
	len = frame_build(&fs, sent, sizeof(sent));
	open_srv(&s, p);
	cli_send(p, sent, len);
	assert_int_equal(recv_wait(&s, got, copy, 2, WAIT_MS, NULL), 1);
	assert_int_equal(got[0].len, len);
	assert_memory_equal(got[0].data, sent, len);
	assert_int_equal(got[0].pkt_type, PACKET_HOST);
	pkt_io_close(&s);
}

/* The kernel filter keeps everything that is not IPv4 UDP to port 67
 * for this host away from the daemon. */
static void test_non_dhcp_not_received(void **state)
{
	const struct pair *p = &pairs[0];
	uint8_t buf[FRAME_MAX];
	struct frame_spec fs;
	struct pkt_io_stats st;
	struct pkt_sock s;
	size_t len;

	(void)state;
	SKIP_UNLESS_ROOT();
	open_srv(&s, p);

	/* UDP to 68 (a reply another server sent), untagged and tagged */
	for (int vlan = -1; vlan <= 5; vlan += 6) {
		frame_spec_init(&fs, client_mac, 1);
		fs.sport = 67;
		fs.dport = 68;
		fs.vlan = vlan;
		opt_end(&fs);
		len = frame_build(&fs, buf, sizeof(buf));
		cli_send(p, buf, len);
	}
	/* TCP to port 67 */
	frame_spec_init(&fs, client_mac, 2);
	fs.proto = 6;
	len = frame_build(&fs, buf, sizeof(buf));
	cli_send(p, buf, len);
	/* a non-first fragment whose bytes look like UDP to 67, and a
	 * first fragment (more-fragments set) */
	frame_spec_init(&fs, client_mac, 3);
	fs.frag_off = 185;
	opt_end(&fs);
	len = frame_build(&fs, buf, sizeof(buf));
	cli_send(p, buf, len);
	fs.frag_off = 0x2000;
	len = frame_build(&fs, buf, sizeof(buf));
	cli_send(p, buf, len);
	/* a DHCP request for another host's MAC (PACKET_OTHERHOST) */
	frame_spec_init(&fs, client_mac, 4);
	memcpy(fs.dst_mac, (uint8_t[6]){0x02, 0, 0, 0, 0, 0x99}, 6);
	opt_end(&fs);
	len = frame_build(&fs, buf, sizeof(buf));
	cli_send(p, buf, len);
	/* ARP who-has 192.0.2.1 */
	memset(buf, 0, 60);
	memset(buf, 0xff, 6);
	memcpy(buf + 6, client_mac, 6);
	memcpy(buf + 12, (uint8_t[]){0x08, 0x06, 0, 1, 0x08, 0, 6, 4, 0, 1},
	       10);
	memcpy(buf + 22, client_mac, 6);
	memcpy(buf + 38, (uint8_t[]){192, 0, 2, 1}, 4);
	cli_send(p, buf, 60);
	/* an IPv6 frame */
	memset(buf, 0, 100);
	memset(buf, 0xff, 6);
	memcpy(buf + 6, client_mac, 6);
	buf[12] = 0x86;
	buf[13] = 0xdd;
	buf[14] = 0x60;
	cli_send(p, buf, 100);

	expect_only_marker(&s, p, 0x5a5a);
	assert_int_equal(pkt_io_stats(&s, &st), 0);
	assert_int_equal(st.received, 1);
	pkt_io_close(&s);
}

/* Two tags: the kernel strips the outer one and leaves the inner one in
 * the frame, so the filter's tagged branch sees it. QinQ (an 802.1ad
 * S-tag over an 802.1Q C-tag) to port 67 is received intact with both
 * VLAN ids; two 802.1Q tags pass the filter and are then refused
 * (counted as dropped, docs/design.md §1); frames to 68 never leave the
 * kernel. */
static void test_double_tagged(void **state)
{
	const struct pair *p = &pairs[0];
	static const uint16_t outer[] = {ETH_P_8021Q, ETH_P_8021AD};
	static uint8_t copy[4][FRAME_MAX];
	uint8_t buf[4][FRAME_MAX];
	struct pkt_frame got[4];
	struct frame_spec fs;
	struct pkt_io_stats st;
	struct pkt_sock s;
	size_t len[4];

	(void)state;
	SKIP_UNLESS_ROOT();
	open_srv(&s, p);
	for (int i = 0; i < 4; i++) {
		frame_spec_init(&fs, client_mac, 0x900 + (uint32_t)i);
		fs.vlan = 20;
		fs.dport = i < 2 ? 67 : 68;
		opt_end(&fs);
		len[i] = frame_build(&fs, buf[i], sizeof(buf[i]) - 4);
		memmove(buf[i] + 16, buf[i] + 12, len[i] - 12);
		buf[i][12] = (uint8_t)(outer[i & 1] >> 8);
		buf[i][13] = (uint8_t)outer[i & 1];
		buf[i][14] = 0x20; /* PCP 1 */
		buf[i][15] = 10;
		len[i] += 4;
		cli_send(p, buf[i], len[i]);
	}
	assert_int_equal(recv_wait(&s, got, copy, 4, WAIT_MS, NULL), 1);
	assert_int_equal(frame_xid(&got[0]), 0x901);
	assert_int_equal(got[0].len, len[1]);
	assert_memory_equal(got[0].data, buf[1], len[1]);
	assert_int_equal(got[0].svlan, 10);
	assert_int_equal(got[0].vlan, 20);
	expect_only_marker(&s, p, 0x8d8d);
	assert_int_equal(pkt_io_stats(&s, &st), 0);
	assert_int_equal(st.dropped, 1);
	assert_int_equal(st.received, 2);
	pkt_io_close(&s);
}

/* The xids of the frames s holds (up to 8), sorted by arrival. */
static int xids_of(struct pkt_sock *s, uint32_t *xid)
{
	static uint8_t copy[8][FRAME_MAX];
	struct pkt_frame got[8];
	int n = recv_wait(s, got, copy, 8, 300, NULL);

	for (int i = 0; i < n; i++)
		xid[i] = frame_xid(&got[i]);
	return n;
}

/*
 * Several networks on one device (pkt_filter.h): each socket's program
 * takes its own network's frames, the one with catch_rest also those of
 * no served network; a frame of a network served by another socket
 * reaches only that one. Untagged, VLAN 100 and 200, QinQ (10, 20).
 */
static void test_network_filters(void **state)
{
	static const struct pkt_net nets[] = {
		{0, 0}, {0, 100}, {0, 200}, {10, 20}};
	const struct pair *p = &pairs[0];
	struct sock_filter f[PKT_FILTER_MAX];
	struct pkt_net others[3];
	struct pkt_sock s[4];
	uint8_t buf[FRAME_MAX];
	uint32_t xid[8];
	struct frame_spec fs;
	size_t len;
	int n;

	(void)state;
	SKIP_UNLESS_ROOT();
	for (int i = 0; i < 4; i++) {
		int k = 0;

		for (int j = 0; j < 4; j++)
			if (j != i)
				others[k++] = nets[j];
		open_srv(&s[i], p);
		n = pkt_filter_network(nets[i], others, 3, i == 0, f,
				       PKT_FILTER_MAX);
		assert_true(n > PKT_FILTER_DHCP_LEN);
		assert_int_equal(pkt_io_set_filter(&s[i], f, (size_t)n), 0);
	}
	/* untagged, VLAN 100, 200, 300 (served by none) */
	for (int v = 0; v < 4; v++) {
		len = frame_discover(buf, sizeof(buf), client_mac,
				     0x700 + (uint32_t)v, v ? v * 100 : -1);
		cli_send(p, buf, len);
	}
	/* QinQ: S-tag 10 over C-tag 20 */
	frame_spec_init(&fs, client_mac, 0x710);
	fs.vlan = 20;
	opt_end(&fs);
	len = frame_build(&fs, buf, sizeof(buf) - 4);
	memmove(buf + 16, buf + 12, len - 12);
	buf[12] = ETH_P_8021AD >> 8;
	buf[13] = ETH_P_8021AD & 0xff;
	buf[14] = 0;
	buf[15] = 10;
	cli_send(p, buf, len + 4);

	n = xids_of(&s[0], xid);
	assert_int_equal(n, 2);
	assert_int_equal(xid[0], 0x700);
	assert_int_equal(xid[1], 0x703);
	n = xids_of(&s[1], xid);
	assert_int_equal(n, 1);
	assert_int_equal(xid[0], 0x701);
	n = xids_of(&s[2], xid);
	assert_int_equal(n, 1);
	assert_int_equal(xid[0], 0x702);
	n = xids_of(&s[3], xid);
	assert_int_equal(n, 1);
	assert_int_equal(xid[0], 0x710);
	for (int i = 0; i < 4; i++)
		pkt_io_close(&s[i]);
	/* more networks than a program tells apart */
	assert_int_equal(pkt_filter_network(nets[0], nets,
					    PKT_FILTER_NETS_MAX + 1, true, f,
					    PKT_FILTER_MAX),
			 -E2BIG);
}

/* Our own replies (even ones to port 67, for a relay) never come back. */
static void test_own_frames_not_received(void **state)
{
	const struct pair *p = &pairs[0];
	uint8_t dhcp[300] = {BOOTREPLY}, buf[FRAME_MAX];
	struct frame_out fo = {0};
	struct pkt_frame f;
	struct pkt_sock s;
	size_t len;

	(void)state;
	SKIP_UNLESS_ROOT();
	open_srv(&s, p);
	memcpy(fo.src_mac, p->srv_mac, 6);
	fo.src_ip = 0xc0000201;
	frame_out_address(&fo, 0xc6336401, 0, 0, 0xc0000264, client_mac,
			  p->cli_mac, DHCPOFFER);
	assert_int_equal(fo.dst_port, 67);
	assert_int_equal(frame_out_build(buf, sizeof(buf), &fo, dhcp,
					 sizeof(dhcp), &len),
			 0);
	f.data = buf;
	f.len = (uint32_t)len;
	assert_int_equal(pkt_io_send_batch(&s, &f, 1), 1);
	expect_only_marker(&s, p, 0x6b6b);
	pkt_io_close(&s);
}

/* 32 requests in a burst arrive, in order, in a few recvmmsg calls. */
static void test_batch_of_32(void **state)
{
	static uint8_t copy[32][FRAME_MAX];
	const struct pair *p = &pairs[0];
	struct pkt_frame got[32];
	uint8_t buf[FRAME_MAX];
	struct pkt_io_stats st;
	struct pollfd pfd;
	struct pkt_sock s;
	int calls = 0;

	(void)state;
	SKIP_UNLESS_ROOT();
	open_srv(&s, p);
	for (uint32_t i = 0; i < 32; i++) {
		size_t len = frame_discover(buf, sizeof(buf), client_mac,
					    0x2000 + i, i & 1 ? (int)i : -1);

		cli_send(p, buf, len);
	}
	/* let the burst land before the first read */
	pfd = (struct pollfd){.fd = pkt_io_fd(&s), .events = POLLIN};
	assert_int_equal(poll(&pfd, 1, WAIT_MS), 1);
	usleep(20000);
	assert_int_equal(recv_wait(&s, got, copy, 32, WAIT_MS, &calls), 32);
	assert_true(calls <= 3);
	for (uint32_t i = 0; i < 32; i++) {
		assert_int_equal(frame_xid(&got[i]), 0x2000 + i);
		assert_int_equal(got[i].vlan, i & 1 ? i : 0);
	}
	assert_int_equal(pkt_io_stats(&s, &st), 0);
	assert_int_equal(st.received, 32);
	pkt_io_close(&s);
}

/* Larger than a ring slot: counted as truncated, never handed over
 * cut short. */
static void test_oversized_counted_truncated(void **state)
{
	static uint8_t big[4096];
	const struct pair *p = &pairs[0];
	struct frame_spec fs;
	struct pkt_io_stats st;
	struct pkt_sock s;
	size_t len;

	(void)state;
	SKIP_UNLESS_ROOT();
	open_srv(&s, p);
	frame_spec_init(&fs, client_mac, 7);
	opt_end(&fs);
	fs.min_dhcp_len = 3000;
	len = frame_build(&fs, big, sizeof(big));
	assert_true(len > PKT_IO_FRAME_MAX);
	cli_send(p, big, len);
	expect_only_marker(&s, p, 0x7c7c);
	assert_int_equal(pkt_io_stats(&s, &st), 0);
	assert_int_equal(st.truncated, 1);
	assert_int_equal(st.received, 1);
	pkt_io_close(&s);
}

/* Forget what earlier tests left queued on the client's raw socket. */
static void cli_drain(const struct pair *p)
{
	uint8_t buf[FRAME_MAX];

	while (recv(p->cli_fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
		;
}

/* Read one IPv4 frame on the client's raw socket, tag restored from
 * PACKET_AUXDATA like pkt_io does (independently). Returns its length. */
static size_t cli_recv(const struct pair *p, uint8_t *buf, size_t cap)
{
	int64_t end = now_ms() + WAIT_MS;

	for (;;) {
		union {
			struct cmsghdr c;
			uint8_t b[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
		} cb;
		struct iovec iov = {.iov_base = buf + 4, .iov_len = cap - 4};
		struct msghdr mh = {.msg_iov = &iov,
				    .msg_iovlen = 1,
				    .msg_control = cb.b,
				    .msg_controllen = sizeof(cb.b)};
		struct pollfd pfd = {.fd = p->cli_fd, .events = POLLIN};
		const struct tpacket_auxdata *aux = NULL;
		int64_t left = end - now_ms();
		struct cmsghdr *c;
		ssize_t n;

		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
			return 0;
		n = recvmsg(p->cli_fd, &mh, 0);
		if (n < 14)
			continue;
		for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
			if (c->cmsg_level == SOL_PACKET &&
			    c->cmsg_type == PACKET_AUXDATA)
				aux = (const void *)CMSG_DATA(c);
		if (aux && (aux->tp_status & TP_STATUS_VLAN_VALID)) {
			memmove(buf, buf + 4, 12);
			buf[12] = 0x81;
			buf[13] = 0;
			buf[14] = (uint8_t)(aux->tp_vlan_tci >> 8);
			buf[15] = (uint8_t)aux->tp_vlan_tci;
		} else {
			memmove(buf, buf + 4, (size_t)n);
			n -= 4;
		}
		n += 4;
		if (buf[12] == 0x08 && buf[13] == 0x00)
			return (size_t)n;
		if (buf[12] == 0x81 && buf[16] == 0x08 && buf[17] == 0x00)
			return (size_t)n;
	}
}

/* Replies built with frame_out leave as they are and arrive intact at
 * the client, checksums valid, tagged or not. */
static void test_send_batch_intact(void **state)
{
	static uint8_t frames[8][FRAME_MAX];
	const struct pair *p = &pairs[0];
	struct pkt_frame out[8];
	uint8_t dhcp[300], got[FRAME_MAX + 4];
	struct pkt_io_stats st;
	struct pkt_sock s;

	(void)state;
	SKIP_UNLESS_ROOT();
	cli_drain(p);
	open_srv(&s, p);
	for (int i = 0; i < 8; i++) {
		struct frame_out fo = {0};
		uint8_t chaddr[6] = {0x02, 0xc1, 0, 0, 1, (uint8_t)i};
		size_t len;

		memset(dhcp, 0, sizeof(dhcp));
		dhcp[0] = BOOTREPLY;
		dhcp[4] = (uint8_t)i;
		memcpy(fo.src_mac, p->srv_mac, 6);
		fo.src_ip = 0xc0000201;
		fo.vlan = i & 1 ? (uint16_t)(10 + i) : 0;
		/* a mix of the RFC 2131 §4.1 cases */
		frame_out_address(&fo, 0, i == 2 ? 0xc0000265 : 0,
				  i == 4 ? DHCP_FLAG_BROADCAST : 0,
				  0xc0000264 + (uint32_t)i, chaddr, p->cli_mac,
				  i == 6 ? DHCPNAK : DHCPOFFER);
		assert_int_equal(frame_out_build(frames[i], FRAME_MAX, &fo,
						 dhcp, sizeof(dhcp), &len),
				 0);
		out[i].data = frames[i];
		out[i].len = (uint32_t)len;
	}
	assert_int_equal(pkt_io_send_batch(&s, out, 8), 8);
	for (int i = 0; i < 8; i++) {
		size_t len = cli_recv(p, got, sizeof(got));
		size_t l2 = i & 1 ? 18 : 14;

		assert_int_equal(len, out[i].len);
		assert_memory_equal(got, out[i].data, len);
		assert_int_equal(inet_csum(got + l2, 20, 0), 0);
		assert_int_equal(
			udp_csum_verify(got + l2, got + l2 + 20, len - l2 - 20),
			0);
	}
	assert_int_equal(pkt_io_stats(&s, &st), 0);
	assert_int_equal(st.sent, 8);
	assert_int_equal(st.send_errors, 0);
	pkt_io_close(&s);
}

/* A frame the kernel refuses (shorter than an Ethernet header) is
 * counted and skipped; the rest of the batch still goes out. */
static void test_send_batch_skips_refused_frame(void **state)
{
	const struct pair *p = &pairs[0];
	uint8_t a[FRAME_MAX], b[FRAME_MAX], got[FRAME_MAX + 4];
	struct pkt_frame out[3];
	struct pkt_io_stats st;
	struct pkt_sock s;
	size_t la, lb;

	(void)state;
	SKIP_UNLESS_ROOT();
	cli_drain(p);
	open_srv(&s, p);
	la = frame_discover(a, sizeof(a), client_mac, 0x31, -1);
	lb = frame_discover(b, sizeof(b), client_mac, 0x32, -1);
	out[0] = (struct pkt_frame){.data = a, .len = (uint32_t)la};
	out[1] = (struct pkt_frame){.data = a, .len = 5};
	out[2] = (struct pkt_frame){.data = b, .len = (uint32_t)lb};
	assert_int_equal(pkt_io_send_batch(&s, out, 3), 2);
	assert_int_equal(cli_recv(p, got, sizeof(got)), la);
	assert_memory_equal(got, a, la);
	assert_int_equal(cli_recv(p, got, sizeof(got)), lb);
	assert_memory_equal(got, b, lb);
	assert_int_equal(pkt_io_stats(&s, &st), 0);
	assert_int_equal(st.sent, 2);
	assert_int_equal(st.send_errors, 1);
	/* all refused: the error comes back */
	assert_true(pkt_io_send_batch(&s, out + 1, 1) < 0);
	pkt_io_close(&s);
}

/* Relayed replies go to the relay's port 67: a pkt_io on the client
 * end reads them, tagged ones with their tag back in the frame. */
static void test_send_relay_reply_tagged(void **state)
{
	static uint8_t copy[4][FRAME_MAX];
	const struct pair *p = &pairs[1];
	uint8_t dhcp[400], frame[FRAME_MAX];
	struct pkt_frame out, got[4];
	struct frame_out fo = {0};
	struct pkt_sock srv, relay;
	size_t len;

	(void)state;
	SKIP_UNLESS_ROOT();
	open_srv(&srv, p);
	assert_int_equal(pkt_io_open(&relay, p->cli), 0);
	for (size_t i = 0; i < sizeof(dhcp); i++)
		dhcp[i] = (uint8_t)(i * 13);
	memcpy(fo.src_mac, p->srv_mac, 6);
	fo.src_ip = 0xc0000201;
	fo.vlan = 300;
	frame_out_address(&fo, 0xc6336401, 0, 0, 0xc0000264, client_mac,
			  p->cli_mac, DHCPACK);
	assert_int_equal(frame_out_build(frame, sizeof(frame), &fo, dhcp,
					 sizeof(dhcp), &len),
			 0);
	out = (struct pkt_frame){.data = frame, .len = (uint32_t)len};
	assert_int_equal(pkt_io_send_batch(&srv, &out, 1), 1);
	assert_int_equal(recv_wait(&relay, got, copy, 4, WAIT_MS, NULL), 1);
	assert_int_equal(got[0].len, len);
	assert_memory_equal(got[0].data, frame, len);
	assert_int_equal(got[0].vlan, 300);
	assert_int_equal(got[0].pkt_type, PACKET_HOST);
	pkt_io_close(&relay);
	pkt_io_close(&srv);
}

/* What the XDP program passes up (XDP_PASS) reaches the packet socket,
 * tag and all: the slow path's whole premise. No network is configured,
 * so the program punts every request. (Pair 1: veth refuses native XDP
 * with pair 0's larger MTU.) */
static void test_xdp_passed_frames_received(void **state)
{
	static uint8_t copy[4][FRAME_MAX];
	const struct pair *p = &pairs[1];
	uint8_t sent[2][FRAME_MAX];
	size_t len[2];
	struct pkt_frame got[4];
	struct xdp_env env;
	struct pkt_sock s;
	int ret;

	(void)state;
	SKIP_UNLESS_ROOT();
	assert_int_equal(xdp_env_open(&env, 0), 0);
	ret = bpf_xdp_attach((int)p->srv_idx, env.prog_fd, XDP_FLAGS_DRV_MODE,
			     NULL);
	if (ret) {
		xdp_env_close(&env);
		fail_msg("native XDP on %s: %d", p->srv, ret);
	}
	open_srv(&s, p);
	len[0] = frame_discover(sent[0], FRAME_MAX, client_mac, 0x4001, -1);
	len[1] = frame_discover(sent[1], FRAME_MAX, client_mac, 0x4002, 42);
	cli_send(p, sent[0], len[0]);
	cli_send(p, sent[1], len[1]);
	ret = recv_wait(&s, got, copy, 4, WAIT_MS, NULL);
	bpf_xdp_detach((int)p->srv_idx, XDP_FLAGS_DRV_MODE, NULL);
	assert_int_equal(ret, 2);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(got[i].len, len[i]);
		assert_memory_equal(got[i].data, sent[i], len[i]);
	}
	assert_int_equal(got[1].vlan, 42);
	/* the program did see them, and said why it passed them */
	assert_true(xdp_env_stat(&env, DX_STAT_DHCP) >= 2);
	assert_true(xdp_env_stat(&env, DX_STAT_PUNT_NO_NETWORK) >= 2);
	xdp_env_close(&env);
	pkt_io_close(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_receive_untagged_intact),
		cmocka_unit_test(test_receive_vlan_tagged_offload_on),
		cmocka_unit_test(test_receive_vlan_tagged_offload_off),
		cmocka_unit_test(test_receive_relayed_unicast),
		cmocka_unit_test(test_non_dhcp_not_received),
		cmocka_unit_test(test_double_tagged),
		cmocka_unit_test(test_own_frames_not_received),
		cmocka_unit_test(test_batch_of_32),
		cmocka_unit_test(test_oversized_counted_truncated),
		cmocka_unit_test(test_send_batch_intact),
		cmocka_unit_test(test_send_batch_skips_refused_frame),
		cmocka_unit_test(test_send_relay_reply_tagged),
		cmocka_unit_test(test_xdp_passed_frames_received),
		cmocka_unit_test(test_network_filters),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
