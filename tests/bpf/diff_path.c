// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Both sides of the XDP/engine contract for one frame (diff_path.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <dhcpxdp/dhcp_wire.h>
#include "engine/engine.h"
#include "util/fmt.h"
#include "wire/dhcp_msg.h"
#include "wire/frame_in.h"
#include "wire/reply_frame.h"
#include "frame.h"
#include "diff_path.h"

void diff_daemon_path(struct engine *eng, const struct diff_net *nets, size_t n,
		      const uint8_t *f, size_t len, int64_t now,
		      struct diff_daemon *d, uint8_t *out, size_t cap)
{
	static struct dhcp_msg m;
	const struct diff_net *net = &nets[0];
	struct engine_rx rx = {.server_id = net->addr};
	struct frame_in in;

	memset(d, 0, sizeof(*d));
	d->frame_in = frame_in_parse(f, len, &in);
	if (d->frame_in)
		return;
	d->decode = dhcp_msg_decode(&m, in.dhcp, in.dhcp_len);
	if (d->decode)
		return;
	for (size_t i = 0; i < n; i++) {
		if (nets[i].vlan == in.vlan) {
			net = &nets[i];
			rx.served = true;
			rx.server_id = net->addr;
			rx.direct_subnet_id = net->direct_subnet_id;
		}
	}
	rx.unicast = in.dst_ip != 0xffffffff;
	engine_handle(eng, &m, &rx, now, &d->res);
	if (d->res.action != ENGINE_REPLY)
		return;
	d->build = reply_frame_build(out, cap, net->mac, net->addr, &in, &m,
				     &d->res.reply, &d->reply_len);
	if (d->build)
		d->reply_len = 0;
}

static uint32_t opt32(const struct dhcp_msg *m, uint8_t code)
{
	size_t len = 0;
	const uint8_t *v = dhcp_msg_option(m, code, &len);

	if (!v || len != 4)
		return 0;
	return (uint32_t)v[0] << 24 | v[1] << 16 | v[2] << 8 | v[3];
}

int diff_decision_of(const uint8_t *f, size_t len, struct diff_decision *d,
		     char *why, size_t why_len)
{
	static struct dhcp_msg m;

	memset(d, 0, sizeof(*d));
	if (frame_parse(f, len, &d->hdr)) {
		snprintf(why, why_len, "the reply frame is malformed");
		return -EBADMSG;
	}
	if (dhcp_msg_decode(&m, d->hdr.payload, d->hdr.payload_len) ||
	    m.op != BOOTREPLY) {
		snprintf(why, why_len, "the reply is not a BOOTREPLY");
		return -EBADMSG;
	}
	d->type = m.msg_type;
	d->xid = m.xid;
	d->ciaddr = m.ciaddr;
	d->yiaddr = m.yiaddr;
	d->siaddr = m.siaddr;
	d->giaddr = m.giaddr;
	memcpy(d->sname, m.sname, sizeof(d->sname));
	memcpy(d->file, m.file, sizeof(d->file));
	d->flags = m.flags;
	memcpy(d->chaddr, m.chaddr, 6);
	d->server_id = opt32(&m, DHCP_OPT_SERVER_ID);
	d->lease_time = opt32(&m, DHCP_OPT_LEASE_TIME);
	d->t1 = opt32(&m, DHCP_OPT_RENEWAL_TIME);
	d->t2 = opt32(&m, DHCP_OPT_REBINDING_TIME);
	d->cid_len = m.client_id_len;
	if (m.client_id)
		memcpy(d->cid, m.client_id, m.client_id_len);
	d->ri_len = m.relay_info_len;
	if (m.relay_info) {
		const uint8_t *end = d->hdr.payload + d->hdr.payload_len;
		const uint8_t *next = m.relay_info + m.relay_info_len;

		memcpy(d->ri, m.relay_info, m.relay_info_len);
		d->ri_last = next < end && *next == DHCP_OPT_END;
	}
	d->hdr.payload = NULL;
	return 0;
}

#define SAME(field)                                                           \
	do {                                                                  \
		if (x->field != d->field) {                                   \
			snprintf(why, why_len, "%s: XDP %#llx, daemon %#llx", \
				 #field, (unsigned long long)x->field,        \
				 (unsigned long long)d->field);               \
			return -1;                                            \
		}                                                             \
	} while (0)
#define SAME_MAC(field)                                                 \
	do {                                                            \
		char a_[18], b_[18];                                    \
		if (memcmp(x->field, d->field, 6)) {                    \
			snprintf(why, why_len, "%s: XDP %s, daemon %s", \
				 #field, fmt_mac(a_, x->field),         \
				 fmt_mac(b_, d->field));                \
			return -1;                                      \
		}                                                       \
	} while (0)

int diff_same_decision(const struct diff_decision *x,
		       const struct diff_decision *d, char *why, size_t why_len)
{
	SAME(type);
	SAME(yiaddr);
	SAME_MAC(hdr.dst_mac);
	SAME(hdr.dst_ip);
	SAME(hdr.dport);
	SAME_MAC(hdr.src_mac);
	SAME(hdr.src_ip);
	SAME(hdr.sport);
	SAME(hdr.vlan);
	SAME(server_id);
	SAME(lease_time);
	SAME(t1);
	SAME(t2);
	SAME(xid);
	SAME(ciaddr);
	SAME(giaddr);
	SAME(siaddr);
	if (memcmp(x->sname, d->sname, sizeof(x->sname)) ||
	    memcmp(x->file, d->file, sizeof(x->file))) {
		snprintf(why, why_len, "sname or file differ: XDP %.64s %.128s, "
			 "daemon %.64s %.128s", x->sname, x->file, d->sname,
			 d->file);
		return -1;
	}
	SAME(flags);
	SAME_MAC(chaddr);
	SAME(cid_len);
	if (memcmp(x->cid, d->cid, x->cid_len)) {
		snprintf(why, why_len, "client-id echoed differently");
		return -1;
	}
	SAME(ri_len);
	SAME(ri_last);
	if (memcmp(x->ri, d->ri, x->ri_len)) {
		snprintf(why, why_len,
			 "relay agent information echoed "
			 "differently");
		return -1;
	}
	return 0;
}
