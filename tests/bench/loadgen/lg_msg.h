/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The load generator's wire code: whole client request frames (Ethernet,
 * optional 802.1Q tag, IPv4, UDP, DHCP) and the parse of the server's
 * reply frames. Pure: no I/O, no allocation, no global state, so the
 * unit tests check it against the project's own decoder.
 */
#ifndef DHCPXDP_LG_MSG_H
#define DHCPXDP_LG_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Ethernet + 802.1Q + IPv4 + UDP + a 300-byte BOOTP message, rounded up. */
#define LG_FRAME_MAX 512

/* Where the generator sits: its own addresses and the server's. */
struct lg_link {
	uint8_t if_mac[6];     /* the interface's MAC (a relay's source) */
	uint8_t server_mac[6]; /* all zero while unknown */
	uint16_t vlan;	       /* 802.1Q VLAN id on every frame; 0: none */
	uint32_t server_ip;    /* host order */
	uint32_t giaddr;       /* 0: clients on the link; else a relay */
	char remote_id[32];    /* relay: option 82 remote-id (RFC 3046 §2.2) */
	bool no_relay_info;    /* relay: send no option 82 */
};

enum lg_kind {
	LG_DISCOVER,
	LG_REQUEST_SELECTING, /* RFC 2131 §4.3.2: 50 and 54, ciaddr 0 */
	LG_REQUEST_RENEWING,  /* ciaddr, unicast to the server */
	LG_REQUEST_REBINDING, /* ciaddr, broadcast */
	LG_RELEASE,	      /* RFC 2131 §4.4.6: ciaddr, 54, unicast */
	LG_KIND_MAX,
};

/* One request of one simulated client. Addresses host order. */
struct lg_req {
	enum lg_kind kind;
	uint8_t chaddr[6];
	uint32_t xid;
	uint32_t ciaddr;
	uint32_t requested_ip;
	uint32_t server_id;
	uint32_t circuit; /* relay: the circuit id is "port<circuit>" */
};

/*
 * Write the frame of `r` as sent from `l` into buf. Returns its length, or
 * -EINVAL (unknown kind, VLAN id above 4094), -ENOSPC (cap too small).
 */
int lg_msg_build(uint8_t *buf, size_t cap, const struct lg_link *l,
		 const struct lg_req *r);

/* What the generator needs of a reply. Addresses host order. */
struct lg_reply {
	uint8_t src_mac[6];
	uint16_t vlan; /* 0: untagged */
	uint16_t dport;
	uint32_t xid;
	uint8_t chaddr[6];
	uint8_t msg_type; /* option 53, 0 if absent */
	uint32_t yiaddr;
	uint32_t server_id, lease_time, t1, t2; /* 0 if absent */
	bool relay_info;			/* option 82 echoed */
};

/*
 * Parse a frame: Ethernet, at most one 802.1Q tag (`vlan_meta`, the tag
 * the kernel took off, is used when the frame has none), IPv4 with a good
 * header checksum, UDP to `port`, a BOOTREPLY with the magic cookie.
 * 0, or -EINVAL for anything else (not ours, truncated, malformed).
 */
int lg_reply_parse(const uint8_t *f, size_t len, uint16_t vlan_meta,
		   uint16_t port, struct lg_reply *r);

#endif
