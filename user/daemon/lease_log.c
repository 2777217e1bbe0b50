// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Lease event lines (lease_log.h); the IDs are listed in docs/logging.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dhcpxdp/dhcp_wire.h>
#include "daemon/lease_log.h"
#include "engine/engine.h"
#include "util/fmt.h"
#include "util/log.h"
#include "wire/dhcp_msg.h"

enum lease_event_kind {
	LEV_ALLOC = 1,
	LEV_RENEW,
	LEV_RELEASE,
	LEV_DECLINE,
};

/* NAKs need no commit, so a flood of bad REQUESTs would set the pace of
 * their lines: at most this many a second, the rest counted. */
#define NAK_LINES_PER_S 50

static void relay_id(uint8_t *out, uint8_t *len, const uint8_t *p)
{
	*len = p[1] < LEASE_LOG_CID_MAX ? p[1] : LEASE_LOG_CID_MAX;
	memcpy(out, p + 2, *len);
}

/* RFC 3046 §2.0: sub-option 1 of option 82 is the circuit ID, 2 the
 * remote ID. */
static void relay_ids(const struct dhcp_msg *m, struct lease_event *e)
{
	const uint8_t *p = m->relay_info;
	size_t left = m->relay_info_len;

	while (p && left >= 2 && (size_t)p[1] + 2 <= left) {
		if (p[0] == 1 && !e->circuit_len)
			relay_id(e->circuit, &e->circuit_len, p);
		else if (p[0] == 2 && !e->remote_len)
			relay_id(e->remote, &e->remote_len, p);
		left -= (size_t)p[1] + 2;
		p += p[1] + 2;
	}
}

/* Hostnames are the client's bytes: anything unprintable becomes '?'. */
static void hostname(const struct dhcp_msg *m, struct lease_event *e)
{
	size_t n = m->hostname_len < LEASE_LOG_NAME_MAX - 1
			   ? m->hostname_len
			   : LEASE_LOG_NAME_MAX - 1;

	for (size_t i = 0; i < n; i++)
		e->hostname[i] = m->hostname[i] > ' ' && m->hostname[i] < 127
					 ? (char)m->hostname[i]
					 : '?';
	e->hostname[n] = '\0';
}

static void fill(struct lease_event *e, const struct dhcp_msg *m,
		 const struct engine_result *r)
{
	memset(e, 0, sizeof(*e));
	memcpy(e->mac, m->chaddr, 6);
	e->cid_len = m->client_id_len < LEASE_LOG_CID_MAX ? m->client_id_len
							  : LEASE_LOG_CID_MAX;
	if (m->client_id)
		memcpy(e->cid, m->client_id, e->cid_len);
	hostname(m, e);
	relay_ids(m, e);
	e->giaddr = m->giaddr;
	e->subnet_id = r->subnet_id;
	e->xid = m->xid;
}

void lease_events_note(struct lease_events *l, const struct dhcp_msg *m,
		       const struct engine_result *r, uint32_t probation)
{
	struct lease_event e;

	if (r->action == ENGINE_REPLY && r->reply.msg_type == DHCPACK &&
	    m->msg_type == DHCPREQUEST) {
		fill(&e, m, r);
		e.kind = r->req_state == ENGINE_REQ_RENEWING ? LEV_RENEW
							     : LEV_ALLOC;
		e.addr = r->reply.yiaddr;
		e.lifetime = r->reply.lease_time;
	} else if (r->action == ENGINE_SILENT && r->ch.n_ops &&
		   (m->msg_type == DHCPRELEASE ||
		    (m->msg_type == DHCPDECLINE && m->has_requested_ip))) {
		fill(&e, m, r);
		e.kind = m->msg_type == DHCPRELEASE ? LEV_RELEASE : LEV_DECLINE;
		e.addr = e.kind == LEV_RELEASE ? m->ciaddr : m->requested_ip;
		e.lifetime = e.kind == LEV_DECLINE ? probation : 0;
	} else {
		return;
	}
	if (!l->keep && !log_enabled(LOG_LVL_INFO, 0))
		return;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct lease_event *ev = realloc(l->ev, cap * sizeof(*ev));

		if (!ev)
			return;
		l->ev = ev;
		l->cap = cap;
	}
	l->ev[l->n++] = e;
}

/* "hwaddr=.. cid=.. hostname=.." and the relay, as far as known. */
static void who(char *out, size_t cap, const struct lease_event *e)
{
	char mac[FMT_MAC_LEN], cid[3 * LEASE_LOG_CID_MAX + 1];
	char circ[3 * LEASE_LOG_CID_MAX + 1], gi[FMT_IPV4_LEN];
	int o;

	fmt_hex(cid, sizeof(cid), e->cid, e->cid_len);
	o = snprintf(out, cap, "hwaddr=%s cid=%s hostname=%s",
		     fmt_mac(mac, e->mac), e->cid_len ? cid : "-",
		     e->hostname[0] ? e->hostname : "-");
	if (o < 0 || (size_t)o >= cap || !e->giaddr)
		return;
	fmt_hex(circ, sizeof(circ), e->circuit, e->circuit_len);
	snprintf(out + o, cap - (size_t)o, " giaddr=%s circuit-id=%s",
		 fmt_ipv4(gi, e->giaddr), e->circuit_len ? circ : "-");
}

static void write_event(const struct lease_event *e)
{
	char ip[FMT_IPV4_LEN], w[512];

	fmt_ipv4(ip, e->addr);
	who(w, sizeof(w), e);
	switch (e->kind) {
	case LEV_ALLOC:
	case LEV_RENEW:
		log_id(LOG_LVL_INFO,
		       e->kind == LEV_ALLOC ? "DHCPXDP_LEASE_ALLOC"
					    : "DHCPXDP_LEASE_RENEW",
		       "lease %s %s for %u s: %s subnet-id=%u xid=0x%08x", ip,
		       e->kind == LEV_ALLOC ? "allocated" : "renewed",
		       e->lifetime, w, e->subnet_id, e->xid);
		break;
	case LEV_RELEASE:
		log_id(LOG_LVL_INFO, "DHCPXDP_RELEASE",
		       "lease %s released: %s subnet-id=%u xid=0x%08x", ip, w,
		       e->subnet_id, e->xid);
		break;
	case LEV_DECLINE:
		log_id(LOG_LVL_INFO, "DHCPXDP_DECLINE_LEASE",
		       "lease %s declined, in probation for %u s: %s "
		       "subnet-id=%u xid=0x%08x",
		       ip, e->lifetime, w, e->subnet_id, e->xid);
		break;
	}
}

bool lease_event_is_grant(const struct lease_event *e)
{
	return e->kind == LEV_ALLOC;
}

bool lease_event_is_renewal(const struct lease_event *e)
{
	return e->kind == LEV_RENEW;
}

bool lease_event_is_release(const struct lease_event *e)
{
	return e->kind == LEV_RELEASE;
}

void lease_events_flush(struct lease_events *l)
{
	if (log_enabled(LOG_LVL_INFO, 0))
		for (size_t i = 0; i < l->n; i++)
			write_event(&l->ev[i]);
	l->n = 0;
}

void lease_events_forget(struct lease_events *l, uint32_t subnet_id,
			 uint32_t addr)
{
	size_t n = 0;

	for (size_t i = 0; i < l->n; i++)
		if (l->ev[i].subnet_id != subnet_id || l->ev[i].addr != addr ||
		    l->ev[i].kind != LEV_ALLOC)
			l->ev[n++] = l->ev[i];
	l->n = n;
}

void lease_events_drop(struct lease_events *l)
{
	l->n = 0;
}

void lease_events_free(struct lease_events *l)
{
	free(l->ev);
	memset(l, 0, sizeof(*l));
}

void lease_log_ops(const struct dx_lease_op *ops, size_t n)
{
	char ip[FMT_IPV4_LEN], mac[FMT_MAC_LEN],
		cid[3 * DX_LEASE_CLIENT_ID_MAX + 1];

	if (!log_enabled(LOG_LVL_INFO, 0))
		return;
	for (size_t i = 0; i < n; i++) {
		const struct dx_lease_rec *rec = &ops[i].rec;

		fmt_ipv4(ip, rec->addr);
		if (ops[i].kind == DX_LEASE_OP_DELETE) {
			log_dbg_id(LOG_DBG_LEASE, "DHCPXDP_LEASE_DELETE",
				   "row of %s in subnet %u deleted (probation "
				   "over, or taken back)",
				   ip, rec->subnet_id);
			continue;
		}
		if (rec->state != DX_LEASE_EXPIRED)
			continue;
		fmt_hex(cid, sizeof(cid), rec->client_id, rec->client_id_len);
		log_id(LOG_LVL_INFO, "DHCPXDP_LEASE_RECLAIM",
		       "lease %s expired, reclaimed: hwaddr=%s cid=%s "
		       "hostname=%s subnet-id=%u",
		       ip, fmt_mac(mac, rec->mac),
		       rec->client_id_len ? cid : "-",
		       rec->hostname[0] ? rec->hostname : "-", rec->subnet_id);
	}
}

static void log_nak(const struct dhcp_msg *m, const struct engine_result *r,
		    int64_t now)
{
	static int64_t second;
	static unsigned int lines;
	static uint64_t suppressed;
	struct lease_event e;
	char ip[FMT_IPV4_LEN], w[512];

	if (now != second) {
		second = now;
		lines = 0;
	}
	if (++lines > NAK_LINES_PER_S) {
		suppressed++;
		return;
	}
	fill(&e, m, r);
	who(w, sizeof(w), &e);
	fmt_ipv4(ip, m->has_requested_ip ? m->requested_ip : m->ciaddr);
	log_id(LOG_LVL_INFO, "DHCPXDP_RESPONSE_NAK",
	       "NAK for %s: %s subnet-id=%u xid=0x%08x: %s (%llu NAK lines "
	       "suppressed before)",
	       ip, w, r->subnet_id, m->xid,
	       r->reply.message ? r->reply.message : "request refused",
	       (unsigned long long)suppressed);
	suppressed = 0;
}

void lease_log_reply(const struct dhcp_msg *m, const struct engine_result *r,
		     int64_t now_mono)
{
	struct lease_event e;
	char ip[FMT_IPV4_LEN], w[512];

	if (r->action != ENGINE_REPLY)
		return;
	if (r->reply.msg_type == DHCPNAK) {
		if (log_enabled(LOG_LVL_INFO, 0))
			log_nak(m, r, now_mono);
		return;
	}
	if (r->reply.msg_type != DHCPOFFER ||
	    !log_enabled(LOG_LVL_DEBUG, LOG_DBG_LEASE))
		return;
	fill(&e, m, r);
	who(w, sizeof(w), &e);
	log_dbg_id(LOG_DBG_LEASE, "DHCPXDP_LEASE_ADVERT",
		   "lease %s offered for %u s: %s subnet-id=%u xid=0x%08x",
		   fmt_ipv4(ip, r->reply.yiaddr), r->reply.lease_time, w,
		   r->subnet_id, m->xid);
}
