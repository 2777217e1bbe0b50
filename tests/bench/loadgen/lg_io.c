// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* AF_PACKET I/O of the load generator; see lg_io.h. */
#include "lg_io.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/mman.h>

#define BLOCK_SZ (1U << 18)
#define BLOCK_NR 32
#define FRAME_SZ 2048
/* A block is handed over after 1 ms at the latest (its frames keep
 * their own receive time, so this only delays, never skews). */
#define BLOCK_TOV_MS 1

/* IPv4 UDP to `port` (any IHL, no fragments), or a frame still tagged
 * (parsed in userspace); nothing else reaches the ring. */
static int attach_filter(int fd, uint16_t port)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_8021Q, 8, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IP, 0, 8),
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 23),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP, 0, 6),
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 20),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x1fff, 4, 0),
		BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 14),
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, 16),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, port, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = {.len = sizeof(code) / sizeof(code[0]),
				  .filter = code};

	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)))
		return -errno;
	return 0;
}

static int setup_ring(struct lg_io *io)
{
	struct tpacket_req3 req = {
		.tp_block_size = BLOCK_SZ,
		.tp_block_nr = BLOCK_NR,
		.tp_frame_size = FRAME_SZ,
		.tp_frame_nr = BLOCK_SZ / FRAME_SZ * BLOCK_NR,
		.tp_retire_blk_tov = BLOCK_TOV_MS,
	};
	int v = TPACKET_V3;

	if (setsockopt(io->fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) ||
	    setsockopt(io->fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)))
		return -errno;
	io->block_nr = BLOCK_NR;
	io->block_sz = BLOCK_SZ;
	io->ring_len = (size_t)BLOCK_SZ * BLOCK_NR;
	io->ring = mmap(NULL, io->ring_len, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_LOCKED, io->fd, 0);
	if (io->ring == MAP_FAILED) {
		io->ring = NULL;
		return -errno;
	}
	return 0;
}

/* A relay holds its UDP port: replies to giaddr:67 would otherwise make
 * the host answer ICMP port unreachable. The ring reads them; a filter
 * drops them here before they are queued (and counted as overflows). */
static int hold_port(struct lg_io *io, uint16_t port, uint32_t giaddr)
{
	struct sockaddr_in sin = {.sin_family = AF_INET,
				  .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(giaddr)};
	struct sock_filter none = BPF_STMT(BPF_RET | BPF_K, 0);
	struct sock_fprog prog = {.len = 1, .filter = &none};

	io->port_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (io->port_fd < 0)
		return -errno;
	if (setsockopt(io->port_fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
		       sizeof(prog)))
		return -errno;
	if (bind(io->port_fd, (struct sockaddr *)&sin, sizeof(sin)))
		return -errno;
	return 0;
}

static void tx_init(struct lg_io *io, int ifindex)
{
	static struct sockaddr_ll sll;
	unsigned i;

	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = ifindex;
	sll.sll_halen = 6;
	for (i = 0; i < LG_TX_BATCH; i++) {
		io->iov[i].iov_base = io->tx[i];
		io->msgs[i].msg_hdr.msg_iov = &io->iov[i];
		io->msgs[i].msg_hdr.msg_iovlen = 1;
		io->msgs[i].msg_hdr.msg_name = &sll;
		io->msgs[i].msg_hdr.msg_namelen = sizeof(sll);
	}
}

int lg_io_open(struct lg_io *io, const char *ifname, uint16_t port,
	       uint32_t giaddr)
{
	struct sockaddr_ll sll = {.sll_family = AF_PACKET,
				  .sll_protocol = htons(ETH_P_ALL)};
	int one = 1, err = 0;

	memset(io, 0, sizeof(*io));
	io->port_fd = -1;
	io->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	sll.sll_ifindex = (int)if_nametoindex(ifname);
	if (io->fd < 0 || !sll.sll_ifindex) {
		err = -errno;
		goto out;
	}
	err = attach_filter(io->fd, port);
	if (!err)
		err = setup_ring(io);
	if (err)
		goto out;
	/* Our own frames are not replies, and need no qdisc. */
	setsockopt(io->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
		   sizeof(one));
	setsockopt(io->fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one));
	if (bind(io->fd, (struct sockaddr *)&sll, sizeof(sll))) {
		err = -errno;
		goto out;
	}
	tx_init(io, sll.sll_ifindex);
	if (giaddr)
		err = hold_port(io, port, giaddr);
out:
	if (err)
		lg_io_close(io);
	return err;
}

void lg_io_close(struct lg_io *io)
{
	if (io->ring)
		munmap(io->ring, io->ring_len);
	if (io->fd >= 0)
		close(io->fd);
	if (io->port_fd >= 0)
		close(io->port_fd);
	io->ring = NULL;
	io->fd = io->port_fd = -1;
}

uint8_t *lg_io_tx_slot(struct lg_io *io)
{
	return io->tx[io->tx_n];
}

int lg_io_tx_commit(struct lg_io *io, size_t len)
{
	io->iov[io->tx_n].iov_len = len;
	if (++io->tx_n == LG_TX_BATCH)
		return lg_io_flush(io);
	return 0;
}

int lg_io_flush(struct lg_io *io)
{
	unsigned done = 0;
	int n, err = 0;

	while (done < io->tx_n) {
		n = sendmmsg(io->fd, io->msgs + done, io->tx_n - done, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			/* A full device queue: the rest of the batch is
			 * lost, and counted, rather than waited for. */
			err = -errno;
			io->tx_errors += io->tx_n - done;
			break;
		}
		done += (unsigned)n;
	}
	io->tx_frames += done;
	io->tx_n = 0;
	return err;
}

static void rx_block(struct tpacket_block_desc *b, lg_io_rx_fn fn, void *ctx,
		     unsigned *n)
{
	struct tpacket3_hdr *h =
		(void *)((uint8_t *)b + b->hdr.bh1.offset_to_first_pkt);
	uint32_t i;

	for (i = 0; i < b->hdr.bh1.num_pkts; i++) {
		uint16_t vlan = (h->tp_status & TP_STATUS_VLAN_VALID)
					? h->hv1.tp_vlan_tci & 0xfff
					: 0;
		uint64_t ns = (uint64_t)h->tp_sec * 1000000000ULL + h->tp_nsec;

		fn(ctx, (uint8_t *)h + h->tp_mac, h->tp_snaplen, vlan, ns);
		(*n)++;
		h = (void *)((uint8_t *)h + h->tp_next_offset);
	}
}

unsigned lg_io_rx(struct lg_io *io, lg_io_rx_fn fn, void *ctx)
{
	unsigned n = 0;

	for (;;) {
		struct tpacket_block_desc *b =
			(void *)(io->ring + (size_t)io->cur * io->block_sz);

		if (!(__atomic_load_n(&b->hdr.bh1.block_status,
				      __ATOMIC_ACQUIRE) &
		      TP_STATUS_USER))
			break;
		rx_block(b, fn, ctx, &n);
		__atomic_store_n(&b->hdr.bh1.block_status, TP_STATUS_KERNEL,
				 __ATOMIC_RELEASE);
		io->cur = (io->cur + 1) % io->block_nr;
	}
	return n;
}

void lg_io_wait(struct lg_io *io, int timeout_ms)
{
	struct pollfd pfd = {.fd = io->fd, .events = POLLIN | POLLERR};

	poll(&pfd, 1, timeout_ms);
}

uint64_t lg_io_rx_drops(struct lg_io *io)
{
	struct tpacket_stats_v3 st = {0};
	socklen_t len = sizeof(st);

	/* Reading the statistics resets them: the caller sums. */
	if (getsockopt(io->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len))
		return 0;
	return st.tp_drops;
}
