/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The load generator's packet I/O on one interface: one AF_PACKET socket
 * with a TPACKET_V3 receive ring (a classic BPF filter keeps only UDP to
 * the port replies come to) and batched sendmmsg() transmit that bypasses
 * the qdisc. Received frames carry the kernel's receive timestamp, so a
 * block handed over late does not inflate the measured latency.
 */
#ifndef DHCPXDP_LG_IO_H
#define DHCPXDP_LG_IO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "lg_msg.h"

#define LG_TX_BATCH 64

struct lg_io {
	int fd;
	int port_fd; /* relay: holds UDP port 67 so the host sends no ICMP */
	uint8_t *ring;
	size_t ring_len;
	unsigned block_nr, block_sz, cur;
	unsigned tx_n;
	uint64_t tx_frames, tx_errors;
	struct mmsghdr msgs[LG_TX_BATCH];
	struct iovec iov[LG_TX_BATCH];
	uint8_t tx[LG_TX_BATCH][LG_FRAME_MAX];
};

/* Called per received frame: its bytes, the VLAN id the kernel took off
 * (0: none) and the receive time (CLOCK_REALTIME, ns). */
typedef void (*lg_io_rx_fn)(void *ctx, const uint8_t *f, size_t len,
			    uint16_t vlan, uint64_t rx_ns);

/*
 * Open on `ifname`, receiving UDP frames to `port`; with `giaddr` (host
 * order, nonzero) also bind a UDP socket to giaddr:port. 0 or -errno.
 */
int lg_io_open(struct lg_io *io, const char *ifname, uint16_t port,
	       uint32_t giaddr);
void lg_io_close(struct lg_io *io);

/* A buffer of LG_FRAME_MAX bytes for the next frame, sent (with the
 * others of the batch) by lg_io_flush(); commit it with its length. */
uint8_t *lg_io_tx_slot(struct lg_io *io);
int lg_io_tx_commit(struct lg_io *io, size_t len);
int lg_io_flush(struct lg_io *io);

/* Hand every frame of the ready blocks to fn; returns how many. */
unsigned lg_io_rx(struct lg_io *io, lg_io_rx_fn fn, void *ctx);
/* Wait at most timeout_ms for a ready block. */
void lg_io_wait(struct lg_io *io, int timeout_ms);
/* Frames the kernel dropped for want of ring space so far. */
uint64_t lg_io_rx_drops(struct lg_io *io);

#endif
