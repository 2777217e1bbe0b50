// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The slow path: frames the XDP program passed up, read in batches. Each
 * round decodes them and lets the engine decide. OFFERs and NAKs leave at
 * once; lease changes and the replies that rest on them join the commit
 * queue's open batch (commit_queue.h), which a writer thread makes durable
 * in one fsync'd transaction while the next rounds are read. When it is
 * durable, the changes go into the XDP lease map and only then do those
 * replies leave: an ACK never leaves before the lease it grants is durable
 * (docs/design.md §2).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <dhcpxdp/dhcp_wire.h>
#include "config/config.h"
#include "daemon/commit.h"
#include "daemon/commit_reserve.h"
#include "daemon/daemon_state.h"
#include "daemon/db_link.h"
#include "daemon/history.h"
#include "daemon/lease_log.h"
#include "daemon/claims.h"
#include "daemon/slowpath.h"
#include "engine/engine.h"
#include "util/clock.h"
#include "util/fmt.h"
#include "wire/frame_in.h"
#include "wire/reply_frame.h"

#define REPLY_MAX 1500

static const char *msg_name(int type)
{
	static const char *const n[] = {"?",	   "DISCOVER", "OFFER",
					"REQUEST", "DECLINE",  "ACK",
					"NAK",	   "RELEASE",  "INFORM"};

	return type > 0 && type <= DHCPINFORM ? n[type] : "BOOTP";
}

/*
 * Many NAKs in a short time usually mean clients moved between networks
 * or another server hands out our range: worth one line, not one per NAK.
 */
#define NAK_STORM_PER_MIN 100

static void note_nak(struct daemon *d)
{
	int64_t now = now_mono();

	d->cnt.naks++;
	if (now - d->nak_window_start >= 60) {
		d->nak_window_start = now;
		d->nak_window_count = 0;
	}
	if (++d->nak_window_count == NAK_STORM_PER_MIN)
		log_limited(&d->lim_nak, now, 60, LOG_LVL_WARN,
			    "NAK storm: %d NAKs within a minute (clients on "
			    "the wrong network, or another server using our "
			    "addresses?)",
			    NAK_STORM_PER_MIN);
}

/* A dry pool served anyway (docs/protocol.md, "Starvation"). */
static void log_starve(struct daemon *d, const struct engine_result *r)
{
	char ip[FMT_IPV4_LEN];

	fmt_ipv4(ip, r->reply.yiaddr);
	if (r->starve == ENGINE_STARVE_RECLAIMED)
		log_warn("subnet %u: pool dry: declined address %s offered "
			 "before its probation ended (reclaim-declined)",
			 r->subnet_id, ip);
	else
		log_limited(&d->lim_starve, now_mono(), 60, LOG_LVL_WARN,
			    "subnet %u: pool dry: held offers taken over "
			    "(%s now); flood of DISCOVERs?",
			    r->subnet_id, ip);
}

/* What arrived, by message type (option 53), as Kea's pkt4-*-received
 * count it; a message without one (BOOTP) is "unknown". */
static void count_type(struct daemon_counters *c, uint8_t type)
{
	switch (type) {
	case DHCPDISCOVER:
		c->rx_discover++;
		break;
	case DHCPREQUEST:
		c->rx_request++;
		break;
	case DHCPDECLINE:
		c->rx_decline++;
		break;
	case DHCPRELEASE:
		c->rx_release++;
		break;
	case DHCPINFORM:
		c->rx_inform++;
		break;
	case DHCPOFFER:
		c->rx_offer++;
		break;
	case DHCPACK:
		c->rx_ack++;
		break;
	case DHCPNAK:
		c->rx_nak++;
		break;
	default:
		c->rx_unknown++;
	}
}

static void count_result(struct daemon *d, const struct dhcp_msg *m,
			 const struct engine_result *r)
{
	char mac[FMT_MAC_LEN], ip[FMT_IPV4_LEN];

	switch (r->action) {
	case ENGINE_REPLY:
		if (r->reply.msg_type == DHCPOFFER)
			d->cnt.offers++;
		if (r->starve)
			log_starve(d, r);
		else if (r->reply.msg_type == DHCPACK)
			d->cnt.acks++;
		else if (r->reply.msg_type == DHCPNAK)
			note_nak(d);
		break;
	case ENGINE_SILENT:
		d->cnt.silent++;
		if (m->msg_type == DHCPDECLINE && m->has_requested_ip) {
			fmt_ipv4(ip, m->requested_ip);
			fmt_mac(mac, m->chaddr);
			log_limited(&d->lim_decline, now_mono(), 10,
				    LOG_LVL_WARN,
				    "%s declined by %s (address conflict?): in "
				    "probation for %u s",
				    ip, mac, d->cfg->dhcpxdp.decline_probation);
		}
		break;
	default:
		d->cnt.drops++;
		if (r->drop_reason == ENGINE_DROP_POOL_EXHAUSTED)
			log_limited(&d->lim_pool, now_mono(), 60, LOG_LVL_WARN,
				    "subnet %u: pool exhausted, no OFFER "
				    "(clients fall back to link-local)",
				    r->subnet_id);
		else if (r->drop_reason == ENGINE_DROP_CAP_CIRCUIT_ID ||
			 r->drop_reason == ENGINE_DROP_CAP_RELAY_SHARE)
			log_limited(&d->lim_cap, now_mono(), 60, LOG_LVL_WARN,
				    "subnet %u: %s from relay %s refused: %s",
				    r->subnet_id, msg_name(m->msg_type),
				    fmt_ipv4(ip, m->giaddr),
				    engine_drop_reason_name(r->drop_reason));
		break;
	}
	if (!log_verbose())
		return;
	fmt_mac(mac, m->chaddr);
	fmt_ipv4(ip, r->reply.yiaddr);
	if (r->action == ENGINE_REPLY)
		log_debug("%s from %s xid %08x -> %s %s", msg_name(m->msg_type),
			  mac, m->xid, msg_name(r->reply.msg_type), ip);
	else
		log_debug("%s from %s xid %08x -> %s (%s)",
			  msg_name(m->msg_type), mac, m->xid,
			  r->action == ENGINE_SILENT ? "handled" : "dropped",
			  engine_drop_reason_name(r->drop_reason));
}

/* Build the reply frame into `buf`; its length, or 0. */
static size_t build_reply(struct served_if *sif, const struct frame_in *in,
			  const struct dhcp_msg *m,
			  const struct engine_result *r, uint8_t *buf,
			  size_t cap)
{
	size_t len = 0;
	int ret;

	ret = reply_frame_build(buf, cap, sif->nif.mac, sif->nif.addr, in, m,
				&r->reply, &len);
	if (ret) {
		log_warn("cannot build the %s for xid %08x: %s",
			 msg_name(r->reply.msg_type), m->xid, strerror(-ret));
		return 0;
	}
	return len;
}

/*
 * Does this reply have to wait for the batch it joined to be durable?
 * Anything that changed a lease, and every ACK: an ACK may rest on a
 * grant still in flight (a retransmitted REQUEST finds the lease bound in
 * memory and changes nothing), and an ACK never leaves before the lease it
 * grants is durable. OFFERs and NAKs promise nothing and go at once.
 */
static bool must_wait(const struct engine_result *r)
{
	return r->ch.n_ops || r->ch.n_map ||
	       (r->action == ENGINE_REPLY && r->reply.msg_type == DHCPACK);
}

/*
 * The NAK that goes instead of an ACK whose grant loses its row to
 * another server sharing the database (lease_db_commit_claim): the
 * address is not available (RFC 2131 §4.3.2), as Kea NAKs a REQUEST
 * for an address another client holds. The client starts over with a
 * DISCOVER, whose OFFER then avoids the address (engine_lease_sync).
 * Its length, or 0.
 */
static size_t build_lost_nak(struct served_if *sif, const struct frame_in *in,
			     const struct dhcp_msg *m,
			     const struct engine_result *r, uint8_t *buf,
			     size_t cap)
{
	struct dhcp_reply nak = {.msg_type = DHCPNAK,
				 .server_id = r->reply.server_id,
				 .message = "address taken by another server"};
	size_t len = 0;

	if (r->action != ENGINE_REPLY || r->reply.msg_type != DHCPACK ||
	    !r->ch.n_ops)
		return 0;
	if (reply_frame_build(buf, cap, sif->nif.mac, sif->nif.addr, in, m,
			      &nak, &len))
		return 0;
	return len;
}

/* Queue request i's changes (and reply, len > 0; alt to send instead if
 * its grant loses the row) for the next commit. */
static void queue_changes(struct daemon *d, size_t if_idx,
			  const struct dhcp_msg *m,
			  const struct engine_result *r, const uint8_t *frame,
			  size_t len, const uint8_t *alt, size_t alt_len)
{
	struct commit_batch *b;
	size_t op_lo;

	b = daemon_reserve(d, r->ch.n_ops, r->ch.n_map, len + alt_len);
	if (!b)
		return; /* cannot happen: one request is a few ops */
	op_lo = b->n_ops;
	memcpy(b->ops + b->n_ops, r->ch.ops, r->ch.n_ops * sizeof(*r->ch.ops));
	b->n_ops += r->ch.n_ops;
	memcpy(b->map + b->n_map, r->ch.map, r->ch.n_map * sizeof(*r->ch.map));
	b->n_map += r->ch.n_map;
	if (len) {
		commitq_add_reply(b, (uint16_t)if_idx, frame, len);
		commitq_reply_claim(b, op_lo, b->n_ops, alt, alt_len);
	}
	lease_events_note(&d->lev[b - d->cq.batch], m, r,
			  d->cfg->dhcpxdp.decline_probation);
}

static void send_frames(struct daemon *d, struct served_if *sif,
			const struct pkt_frame *out, size_t n)
{
	int ret;

	if (!n)
		return;
	ret = pkt_io_send_batch(&sif->sock, out, (unsigned int)n);
	if (ret < 0 || (size_t)ret < n) {
		d->cnt.send_errors += n - (ret > 0 ? (size_t)ret : 0);
		log_limited(&d->lim_send, now_mono(), 60, LOG_LVL_WARN,
			    "sending replies on %s failed: %s", sif->nif.name,
			    ret < 0 ? strerror(-ret) : "short write");
	}
	if (ret > 0)
		d->cnt.replies_sent += (uint64_t)ret;
}

static bool is_network(const struct served_if *s, uint32_t lower,
		       const struct frame_in *in)
{
	return s->up && s->nif.lower_ifindex == lower &&
	       s->nif.vlan == in->vlan && s->nif.svlan == in->svlan;
}

/*
 * The network a frame arrived on is (the device it arrived on, its VLAN
 * tags), as XDP keys it (docs/design.md §1): the configured interface
 * with that lower device and those tags - the device itself untagged, a
 * VLAN device (kernel/vlan.h) tagged. Every interface on one lower
 * device has a socket there and reads every frame: a frame is taken by
 * its network's interface only, and one of no served network (which the
 * engine takes up nothing from, not even by giaddr or ciaddr) by the
 * first interface on that device. Returns false when another interface
 * takes it; else fills rx, whose direct traffic belongs to the
 * interface's subnet, if it has one.
 */
static bool rx_network(const struct daemon *d, const struct served_if *sif,
		       const struct frame_in *in, struct engine_rx *rx)
{
	uint32_t lower = sif->nif.lower_ifindex;
	const struct served_if *first = NULL;

	if (is_network(sif, lower, in)) {
		rx->served = true;
		rx->direct_subnet_id = sif->direct_subnet_id;
		return true;
	}
	for (size_t i = 0; i < d->n_ifs; i++) {
		const struct served_if *s = &d->ifs[i];

		if (!s->up || s->nif.lower_ifindex != lower)
			continue;
		if (is_network(s, lower, in))
			return false;
		if (!first)
			first = s;
	}
	rx->served = false;
	rx->direct_subnet_id = 0;
	return first == sif;
}

void slowpath_round(struct daemon *d, struct served_if *sif)
{
	static uint8_t out_buf[DAEMON_BATCH][REPLY_MAX + 64];
	static uint8_t nak_buf[REPLY_MAX + 64];
	struct pkt_frame frames[DAEMON_BATCH], out[DAEMON_BATCH];
	size_t if_idx = (size_t)(sif - d->ifs);
	int64_t now = now_wall();
	struct frame_in in;
	size_t n_out = 0;
	int n, ret;

	n = pkt_io_recv_batch(&sif->sock, frames, DAEMON_BATCH);
	if (n <= 0)
		return;
	d->cnt.rx_frames += (uint64_t)n;
	/* on-fail stop-retry-exit: no service while the database is away
	 * (the frames are read, or the socket would fill). */
	if (!db_link_serving(d)) {
		d->cnt.rx_db_down += (uint64_t)n;
		return;
	}
	for (int i = 0; i < n; i++) {
		struct engine_rx rx = {.server_id = sif->nif.addr};
		struct engine_result *r = &d->results[i];
		size_t len = 0;

		ret = frame_in_parse(frames[i].data, frames[i].len, &in);
		if (ret) {
			d->cnt.rx_malformed_frame++;
			log_debug("frame on %s dropped: %s", sif->nif.name,
				  frame_in_strerror(ret));
			continue;
		}
		ret = dhcp_msg_decode(&d->msgs[i], in.dhcp, in.dhcp_len);
		if (ret) {
			d->cnt.rx_malformed_dhcp++;
			log_limited(&d->lim_malformed, now_mono(), 60,
				    LOG_LVL_WARN,
				    "malformed DHCP message on %s dropped: %s",
				    sif->nif.name, dhcp_msg_strerror(ret));
			continue;
		}
		if (!rx_network(d, sif, &in, &rx))
			continue;
		count_type(&d->cnt, d->msgs[i].msg_type);
		rx.unicast = in.dst_ip != 0xffffffff;
		engine_handle(d->eng, &d->msgs[i], &rx, now, r);
		count_result(d, &d->msgs[i], r);
		/* Queued, not sent, here: the packet path never waits. */
		ddns_queue(&d->ddns, r->ch.ncr, r->ch.n_ncr);
		if (r->action == ENGINE_REPLY)
			len = build_reply(sif, &in, &d->msgs[i], r,
					  out_buf[n_out],
					  sizeof(out_buf[n_out]));
		/* OFFERs and NAKs promise nothing: their lines need not wait,
		 * even when other changes ride along. */
		if (len)
			lease_log_reply(&d->msgs[i], r, now_mono());
		if (must_wait(r)) {
			size_t alt = 0;

			if (len && d->shared_store)
				alt = build_lost_nak(sif, &in, &d->msgs[i], r,
						     nak_buf, sizeof(nak_buf));
			queue_changes(d, if_idx, &d->msgs[i], r, out_buf[n_out],
				      len, nak_buf, alt);
		} else if (len) {
			out[n_out].data = out_buf[n_out];
			out[n_out].len = len;
			n_out++;
		}
	}
	send_frames(d, sif, out, n_out);
	commitq_kick(&d->cq);
}

void slowpath_commit_done(void *ctx, struct commit_batch *b)
{
	struct pkt_frame out[DAEMON_BATCH];
	struct daemon *d = ctx;
	size_t n_out = 0, cur = SIZE_MAX;
	struct lease_events *lev = &d->lev[b - d->cq.batch];

	if (b->ret) {
		lease_events_drop(lev);
		daemon_commit_failed(d, b);
		return;
	}
	if (b->n_ops)
		d->cnt.commits++;
	daemon_commit_timed(d, b);
	d->cnt.horizons_extended += b->horizons;
	d->cnt.leases_expired += b->expired;
	/* Rows another server holds: no map entry, no ACK of ours. */
	if (b->n_lost)
		claims_lost_prepare(d, b, lev);
	/* Durable: the map may now show it (docs/design.md §2). */
	daemon_map_durable(d, b->map, b->n_map);
	/* In the history's file before the ACKs leave: a daemon that dies
	 * after sending one has recorded it (docs/logging.md). */
	history_batch(d, lev, b->ops, b->n_ops);
	/* Replies in arrival order, one sendmmsg per run of an interface. */
	for (size_t i = 0; i < b->n_replies; i++) {
		const struct commit_reply *r = &b->replies[i];

		if (r->if_idx >= d->n_ifs)
			continue; /* cannot happen: reloads drain first */
		if ((r->if_idx != cur && n_out) || n_out == DAEMON_BATCH) {
			send_frames(d, &d->ifs[cur], out, n_out);
			n_out = 0;
		}
		if (b->n_lost && claims_lost_reply(b, r)) {
			if (!r->alt_len)
				continue; /* withheld */
			cur = r->if_idx;
			out[n_out].data = b->bytes + r->alt_off;
			out[n_out].len = r->alt_len;
			n_out++;
			continue;
		}
		cur = r->if_idx;
		out[n_out].data = b->bytes + r->off;
		out[n_out].len = r->len;
		n_out++;
	}
	if (n_out)
		send_frames(d, &d->ifs[cur], out, n_out);
	/* The engine takes the rows that won over ours. */
	if (b->n_lost)
		claims_lost_sync(d, b);
	/* Sent (or counted as a send error): now, and only now, the lines. */
	lease_events_flush(lev);
	lease_log_ops(b->ops, b->n_ops);
	if (b->horizons)
		log_dbg_id(LOG_DBG_LEASE, "DHCPXDP_HORIZON_EXTEND",
			   "durable horizons of %llu leases extended",
			   (unsigned long long)b->horizons);
}
