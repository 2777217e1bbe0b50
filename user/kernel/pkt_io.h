/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The daemon's packet I/O: one AF_PACKET socket per served interface
 * (docs/design.md §5). It reads what the XDP program passed up — DHCP
 * requests from clients with no address yet, broadcast, and relayed
 * requests to our port 67 — and writes whole Ethernet frames back, as
 * Kea's raw mode and ISC dhcpd's LPF do, so no ARP or routing is needed.
 *
 * A classic BPF filter in the kernel keeps everything but IPv4 UDP to
 * port 67 (untagged, with one 802.1Q tag, or QinQ) away from the daemon.
 * Frames are handed over as the XDP program sees them: a VLAN tag the
 * kernel stripped into skb metadata is put back into the frame. For a
 * VLAN device the socket is opened on its lower device (kernel/vlan.h,
 * daemon.c serve_if), where it sees the tags; with several networks on
 * one device each socket's program takes its own (pkt_filter.h).
 */
#ifndef DHCPXDP_PKT_IO_H
#define DHCPXDP_PKT_IO_H

#include <stddef.h>
#include <stdint.h>
#include <linux/filter.h>

#define PKT_IO_BATCH 64 /* frames per recvmmsg, and ring slots */
/* Room for one frame: a 1500-byte MTU plus Ethernet and one tag fits
 * well; larger frames are counted as truncated and dropped. */
#define PKT_IO_FRAME_MAX 2048
#define PKT_IO_RCVBUF	 (4 << 20) /* bytes asked for with SO_RCVBUF(FORCE) */

struct pkt_frame {
	uint8_t *data;	  /* received: points into the socket's ring, valid
			   * until the next pkt_io_recv_batch() */
	uint32_t len;	  /* bytes at data */
	uint32_t ifindex; /* the interface it arrived on */
	uint16_t vlan;	  /* 802.1Q VLAN id from the frame's tag; 0 = none */
	uint16_t svlan;	  /* QinQ: the 802.1ad S-tag's VLAN id; 0 = none */
	uint8_t pkt_type; /* PACKET_HOST, PACKET_BROADCAST, PACKET_MULTICAST */
};

struct pkt_io_stats {
	uint64_t received;     /* frames handed to the caller */
	uint64_t sent;	       /* frames the kernel accepted */
	uint64_t send_errors;  /* frames the kernel refused */
	uint64_t truncated;    /* frames larger than PKT_IO_FRAME_MAX - 4 */
	uint64_t dropped;      /* got past the filter but not for us: outgoing,
			       * other host, tags not keyed (two C-tags, a
			       * lone S-tag) */
	uint64_t kernel_drops; /* socket queue overflows (PACKET_STATISTICS),
				* summed by pkt_io_stats() */
};

struct pkt_sock {
	int fd; /* nonblocking; poll it for EPOLLIN */
	uint32_t ifindex;
	struct pkt_io_stats st;
	uint8_t *ring; /* PKT_IO_BATCH slots of PKT_IO_FRAME_MAX bytes */
};

/*
 * Open a packet socket on `ifname`: bound to its ifindex, filter
 * attached before any frame can queue, PACKET_AUXDATA on, outgoing
 * frames ignored, nonblocking, a large receive buffer. 0 or -errno
 * (-ENODEV: no such interface, -EPERM: needs CAP_NET_RAW).
 */
int pkt_io_open(struct pkt_sock *s, const char *ifname);
/*
 * Replace the socket's filter by the classic BPF program f[0..n) (from
 * kernel/pkt_filter.h), atomically: no frame is read without a filter.
 * 0 or -errno.
 */
int pkt_io_set_filter(struct pkt_sock *s, const struct sock_filter *f,
		      size_t n);
/* Safe on a zeroed struct and after a failed open. */
void pkt_io_close(struct pkt_sock *s);
/* The descriptor to poll for input (level-triggered: a round may leave
 * frames queued), or -1 if not open. */
int pkt_io_fd(const struct pkt_sock *s);

/*
 * Read up to `max` frames (at most PKT_IO_BATCH per call) without
 * blocking. frames[i].data points into the socket's ring. Returns the
 * number of frames filled (0 when nothing is waiting) or -errno.
 */
int pkt_io_recv_batch(struct pkt_sock *s, struct pkt_frame *frames,
		      unsigned int max);

/*
 * Write `n` whole Ethernet frames (data, len; ifindex, vlan and pkt_type
 * are ignored: the frame goes out of the socket's interface exactly as
 * it is, tag included). A frame the kernel refuses is counted and
 * skipped. Returns the number of frames sent, or -errno if none was sent
 * and one failed (the first error).
 */
int pkt_io_send_batch(struct pkt_sock *s, const struct pkt_frame *frames,
		      unsigned int n);

/* Counters, with the kernel's queue drops folded in. 0 or -errno. */
int pkt_io_stats(struct pkt_sock *s, struct pkt_io_stats *out);

/*
 * Make a received frame look as it did on the wire (exposed for tests).
 * The frame starts at buf + 4 (4 bytes of headroom) and is `len` long.
 * With `tci_valid` (TP_STATUS_VLAN_VALID) the stripped tag
 * (`tpid`, `tci`) is put back after the MAC addresses. On success
 * *start is where the frame now begins (buf or buf + 4), *len its
 * length, *vlan its 802.1Q VLAN id (0 if untagged) and *svlan the
 * 802.1ad S-tag's (0 unless QinQ). -EPROTONOSUPPORT for tags the XDP
 * program does not key on either (bpf/parse.h, docs/design.md §1): a lone
 * S-tag, two C-tags, three tags, a C-tag of VLAN 0 inside an S-tag.
 */
int pkt_io_restore_vlan(uint8_t *buf, uint32_t *len, int tci_valid,
			uint16_t tpid, uint16_t tci, uint8_t **start,
			uint16_t *vlan, uint16_t *svlan);

#endif /* DHCPXDP_PKT_IO_H */
