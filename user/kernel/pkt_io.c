// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * AF_PACKET slow-path I/O: batched receive of DHCP requests and batched
 * send of whole reply frames (docs/design.md §5).
 *
 * Receive path. XDP runs before the stack; what it passes (XDP_PASS)
 * becomes an skb and goes through __netif_receive_skb_core(), which
 * delivers it to ETH_P_ALL packet sockets. On the way the core moves a
 * VLAN tag out of the frame into skb metadata (skb_vlan_untag()), on
 * every device whatever its rx-vlan offload setting, so the socket sees
 * the frame untagged and the tag in PACKET_AUXDATA. We put the tag back
 * so the caller parses the same bytes the XDP program did. ETH_P_ALL,
 * not ETH_P_IP: protocol handlers run after VLAN processing, which marks
 * a tagged frame for a VLAN with no vlan device PACKET_OTHERHOST, and
 * hands one for a VLAN device to that device instead: only taps on the
 * lower device see its VLANs' frames with their tags. The kernel strips
 * one tag there (the outer: an 802.1ad S-tag of QinQ, TPID in
 * tp_vlan_tpid), the C-tag stays in the frame.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <dhcpxdp/dhcp_wire.h>
#include "kernel/pkt_filter.h"
#include "kernel/pkt_io.h"

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif
#ifndef TP_STATUS_VLAN_TPID_VALID
#define TP_STATUS_VLAN_TPID_VALID (1 << 6)
#endif

#define HEADROOM   4 /* room to put a stripped 802.1Q tag back */
#define SLOT(s, i) ((s)->ring + (size_t)(i)*PKT_IO_FRAME_MAX)

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/*
 * The C-tag (802.1Q) behind an S-tag at f + 12 + off, for QinQ (IEEE
 * 802.1ad): its VLAN id, nonzero and with IPv4 behind it, as the XDP
 * program accepts it (bpf/parse.h).
 */
static int inner_ctag(const uint8_t *f, uint32_t len, size_t off,
		      uint16_t *vlan)
{
	if (len < ETH_HLEN + off + 4)
		return -EINVAL;
	if (get16(f + 12 + off) != ETH_P_8021Q ||
	    get16(f + 16 + off) != ETH_P_IP)
		return -EPROTONOSUPPORT;
	*vlan = get16(f + 14 + off) & 0x0fff;
	return *vlan ? 0 : -EPROTONOSUPPORT;
}

int pkt_io_restore_vlan(uint8_t *buf, uint32_t *len, int tci_valid,
			uint16_t tpid, uint16_t tci, uint8_t **start,
			uint16_t *vlan, uint16_t *svlan)
{
	uint8_t *f;
	uint16_t type;
	int ret;

	if (!buf || !len || !start || !vlan || !svlan)
		return -EINVAL;
	f = buf + HEADROOM;
	if (*len < ETH_HLEN)
		return -EINVAL;
	type = get16(f + 12);
	*svlan = 0;
	if (tci_valid) {
		/* No TPID from old kernels: they only strip 802.1Q. */
		if (!tpid)
			tpid = ETH_P_8021Q;
		if (tpid != ETH_P_8021Q && tpid != ETH_P_8021AD)
			return -EPROTONOSUPPORT;
		if (tpid == ETH_P_8021AD) {
			/* The kernel strips the outer tag only: the C-tag
			 * is still in the frame. */
			ret = inner_ctag(f, *len, 0, vlan);
			if (ret)
				return ret;
			*svlan = tci & 0x0fff;
		} else {
			/* A tag still in the frame under a stripped C-tag:
			 * two C-tags, not a network we key. */
			if (type == ETH_P_8021Q || type == ETH_P_8021AD)
				return -EPROTONOSUPPORT;
			*vlan = tci & 0x0fff;
		}
		memmove(buf, f, 12);
		put16(buf + 12, tpid);
		put16(buf + 14, tci);
		*start = buf;
		*len += HEADROOM;
		return 0;
	}
	*start = f;
	*vlan = 0;
	if (type == ETH_P_8021AD) {
		if (*len < ETH_HLEN + 4)
			return -EINVAL;
		ret = inner_ctag(f, *len, 4, vlan);
		if (ret)
			return ret;
		*svlan = get16(f + 14) & 0x0fff;
		return 0;
	}
	if (type == ETH_P_8021Q) {
		/* The kernel left the tag in place (it does not strip
		 * when the tag cannot be pulled, e.g. a short frame). */
		if (*len < ETH_HLEN + 4)
			return -EINVAL;
		type = get16(f + 16);
		if (type == ETH_P_8021Q || type == ETH_P_8021AD)
			return -EPROTONOSUPPORT;
		*vlan = get16(f + 14) & 0x0fff;
	}
	return 0;
}

static int setopt(int fd, int level, int name, const void *v, socklen_t len)
{
	return setsockopt(fd, level, name, v, len) ? -errno : 0;
}

int pkt_io_open(struct pkt_sock *s, const char *ifname)
{
	struct sock_filter f[PKT_FILTER_DHCP_LEN];
	const struct sock_fprog prog = {
		.len = (unsigned short)pkt_filter_dhcp(f),
		.filter = f,
	};
	struct sockaddr_ll sll = {0};
	int one = 1, rcvbuf = PKT_IO_RCVBUF;
	unsigned int ifindex;
	int fd = -1, ret;

	if (!s || !ifname)
		return -EINVAL;
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	ifindex = if_nametoindex(ifname);
	if (!ifindex)
		return -ENODEV;
	/* Protocol 0: the socket receives nothing until bind(), so no
	 * frame can queue before the filter is in place. */
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	ret = setopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));
	if (ret)
		goto out;
	ret = setopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one));
	if (ret)
		goto out;
	/* Our own replies would come back as PACKET_OUTGOING; the filter
	 * drops them too, this saves the clone (Linux 4.20+). */
	ret = setopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	if (ret && ret != -ENOPROTOOPT)
		goto out;
	/* A burst of DISCOVERs after an outage must not overflow the
	 * queue: ignore rmem_max if we may (CAP_NET_ADMIN). */
	if (setopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = (int)ifindex;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		ret = -errno;
		goto out;
	}
	s->ring = malloc((size_t)PKT_IO_BATCH * PKT_IO_FRAME_MAX);
	if (!s->ring) {
		ret = -ENOMEM;
		goto out;
	}
	s->fd = fd;
	s->ifindex = ifindex;
	return 0;
out:
	close(fd);
	return ret;
}

int pkt_io_set_filter(struct pkt_sock *s, const struct sock_filter *f,
		      size_t n)
{
	const struct sock_fprog prog = {
		.len = (unsigned short)n,
		.filter = (struct sock_filter *)f,
	};

	if (!s || s->fd < 0 || !f || !n || n > BPF_MAXINSNS)
		return -EINVAL;
	return setopt(s->fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
		      sizeof(prog));
}

void pkt_io_close(struct pkt_sock *s)
{
	if (!s || !s->ring)
		return;
	close(s->fd);
	free(s->ring);
	s->ring = NULL;
	s->fd = -1;
}

int pkt_io_fd(const struct pkt_sock *s)
{
	return s && s->ring ? s->fd : -1;
}

/* Take frame i of a recvmmsg round into `out`; 0, or -1 if dropped. */
static int take_frame(struct pkt_sock *s, unsigned int i,
		      const struct mmsghdr *mm, const struct sockaddr_ll *sll,
		      struct pkt_frame *out)
{
	const struct msghdr *mh = &mm->msg_hdr;
	const struct tpacket_auxdata *aux = NULL;
	uint32_t len = mm->msg_len;
	struct cmsghdr *c;
	uint16_t tpid = 0, tci = 0;
	int tci_valid = 0;

	if (mh->msg_flags & MSG_TRUNC) {
		s->st.truncated++;
		return -1;
	}
	/* The filter already checks this; PACKET_IGNORE_OUTGOING may be
	 * missing and promiscuous mode brings other hosts' frames. */
	if (sll->sll_pkttype != PACKET_HOST &&
	    sll->sll_pkttype != PACKET_BROADCAST &&
	    sll->sll_pkttype != PACKET_MULTICAST) {
		s->st.dropped++;
		return -1;
	}
	for (c = CMSG_FIRSTHDR((struct msghdr *)mh); c;
	     c = CMSG_NXTHDR((struct msghdr *)mh, c)) {
		if (c->cmsg_level == SOL_PACKET &&
		    c->cmsg_type == PACKET_AUXDATA &&
		    c->cmsg_len >= CMSG_LEN(sizeof(*aux)))
			aux = (const struct tpacket_auxdata *)CMSG_DATA(c);
	}
	if (aux) {
		/* As libpcap: kernels before TP_STATUS_VLAN_VALID only
		 * set a nonzero tci. */
		tci_valid = (aux->tp_status & TP_STATUS_VLAN_VALID) ||
			    aux->tp_vlan_tci;
		tci = aux->tp_vlan_tci;
		if (aux->tp_status & TP_STATUS_VLAN_TPID_VALID)
			tpid = aux->tp_vlan_tpid;
	}
	if (pkt_io_restore_vlan(SLOT(s, i), &len, tci_valid, tpid, tci,
				&out->data, &out->vlan, &out->svlan)) {
		s->st.dropped++;
		return -1;
	}
	out->len = len;
	out->ifindex = (uint32_t)sll->sll_ifindex;
	out->pkt_type = sll->sll_pkttype;
	return 0;
}

#define CBUF_LEN CMSG_SPACE(sizeof(struct tpacket_auxdata))

int pkt_io_recv_batch(struct pkt_sock *s, struct pkt_frame *frames,
		      unsigned int max)
{
	struct mmsghdr mm[PKT_IO_BATCH];
	struct sockaddr_ll sll[PKT_IO_BATCH];
	struct iovec iov[PKT_IO_BATCH];
	union {
		struct cmsghdr align;
		uint8_t b[CBUF_LEN];
	} cbuf[PKT_IO_BATCH];
	unsigned int i;
	int n, got = 0;

	if (!s || !s->ring || (!frames && max))
		return -EINVAL;
	if (max > PKT_IO_BATCH)
		max = PKT_IO_BATCH;
	if (!max)
		return 0;
	memset(mm, 0, sizeof(mm[0]) * max);
	for (i = 0; i < max; i++) {
		iov[i].iov_base = SLOT(s, i) + HEADROOM;
		iov[i].iov_len = PKT_IO_FRAME_MAX - HEADROOM;
		mm[i].msg_hdr.msg_name = &sll[i];
		mm[i].msg_hdr.msg_namelen = sizeof(sll[i]);
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
		mm[i].msg_hdr.msg_control = cbuf[i].b;
		mm[i].msg_hdr.msg_controllen = sizeof(cbuf[i].b);
	}
	do
		n = recvmmsg(s->fd, mm, max, MSG_DONTWAIT, NULL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
	for (i = 0; i < (unsigned int)n; i++) {
		if (take_frame(s, i, &mm[i], &sll[i], &frames[got]) == 0)
			got++;
	}
	s->st.received += (uint64_t)got;
	return got;
}

/* Wait briefly for room in the send queue; the daemon would rather
 * block a few milliseconds than lose a reply it has committed. */
#define SEND_WAIT_MS 20

int pkt_io_send_batch(struct pkt_sock *s, const struct pkt_frame *frames,
		      unsigned int n)
{
	struct mmsghdr mm[PKT_IO_BATCH];
	struct sockaddr_ll sll[PKT_IO_BATCH];
	struct iovec iov[PKT_IO_BATCH];
	unsigned int done = 0, sent = 0, i, k;
	int first_err = 0, waited = 0, r;

	if (!s || !s->ring || (!frames && n))
		return -EINVAL;
	while (done < n) {
		k = n - done < PKT_IO_BATCH ? n - done : PKT_IO_BATCH;
		memset(mm, 0, sizeof(mm[0]) * k);
		for (i = 0; i < k; i++) {
			const struct pkt_frame *f = &frames[done + i];

			iov[i].iov_base = f->data;
			iov[i].iov_len = f->len;
			/* The frame is sent as it is; the address only
			 * names the interface and the protocol for the
			 * skb (the frame's own ethertype). */
			memset(&sll[i], 0, sizeof(sll[i]));
			sll[i].sll_family = AF_PACKET;
			sll[i].sll_ifindex = (int)s->ifindex;
			sll[i].sll_protocol =
				f->data && f->len >= ETH_HLEN
					? htons(get16(f->data + 12))
					: htons(ETH_P_IP);
			sll[i].sll_halen = ETH_ALEN;
			if (f->data && f->len >= ETH_ALEN)
				memcpy(sll[i].sll_addr, f->data, ETH_ALEN);
			mm[i].msg_hdr.msg_name = &sll[i];
			mm[i].msg_hdr.msg_namelen = sizeof(sll[i]);
			mm[i].msg_hdr.msg_iov = &iov[i];
			mm[i].msg_hdr.msg_iovlen = 1;
		}
		r = sendmmsg(s->fd, mm, k, MSG_DONTWAIT);
		if (r > 0) {
			sent += (unsigned int)r;
			done += (unsigned int)r;
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 &&
		    (errno == EAGAIN || errno == EWOULDBLOCK ||
		     errno == ENOBUFS) &&
		    !waited) {
			struct pollfd p = {.fd = s->fd, .events = POLLOUT};

			waited = 1;
			poll(&p, 1, SEND_WAIT_MS);
			continue;
		}
		/* frames[done] was refused: count it, go on with the rest */
		if (!first_err)
			first_err = r < 0 ? errno : EIO;
		s->st.send_errors++;
		done++;
	}
	s->st.sent += sent;
	if (!sent && first_err)
		return -first_err;
	return (int)sent;
}

int pkt_io_stats(struct pkt_sock *s, struct pkt_io_stats *out)
{
	struct tpacket_stats ts;
	socklen_t len = sizeof(ts);

	if (!s || !s->ring || !out)
		return -EINVAL;
	/* The kernel resets these on every read: accumulate. */
	if (getsockopt(s->fd, SOL_PACKET, PACKET_STATISTICS, &ts, &len))
		return -errno;
	s->st.kernel_drops += ts.tp_drops;
	*out = s->st;
	return 0;
}
