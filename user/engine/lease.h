/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A lease as the engine hands it to the lease store and the store gives
 * it back: one row per (subnet, address). The engine decides what the
 * rows say; the store (store/lease_db.h) only makes them durable.
 *
 * Times are wall-clock unix seconds; addresses are host byte order.
 */
#ifndef DHCPXDP_LEASE_H
#define DHCPXDP_LEASE_H

#include <stdint.h>

/* Longest client identifier (option 61, RFC 2132 §9.14) and host name. */
#define DX_LEASE_CLIENT_ID_MAX 255
#define DX_LEASE_HOSTNAME_MAX  255

/* Persisted states (an OFFER is never written: it promises nothing). */
enum dx_lease_state {
	DX_LEASE_ACTIVE = 1,   /* granted (ACK) */
	DX_LEASE_RELEASED = 2, /* DHCPRELEASE: free, row kept for stickiness */
	DX_LEASE_DECLINED = 3, /* DHCPDECLINE: in probation until `expires` */
	DX_LEASE_EXPIRED = 4,  /* reclaimed: free, row kept for stickiness */
};

/* flags */
#define DX_LEASE_F_FASTPATH 0x01 /* last renewal answered by XDP */
/* DNS updates asked for when the lease was granted (Kea's fqdn_fwd and
 * fqdn_rev): its end removes the A and PTR RRs (engine_ddns.c). */
#define DX_LEASE_F_DNS_FWD 0x02
#define DX_LEASE_F_DNS_REV 0x04

struct dx_lease_rec {
	uint32_t subnet_id;
	uint32_t addr; /* host byte order */
	uint8_t mac[6];
	uint8_t state;	       /* enum dx_lease_state */
	uint8_t flags;	       /* DX_LEASE_F_* */
	uint8_t client_id_len; /* 0: the client sent no option 61 */
	uint8_t client_id[DX_LEASE_CLIENT_ID_MAX];
	char hostname[DX_LEASE_HOSTNAME_MAX + 1]; /* "" if none */
	int64_t expires;   /* end of the granted lease (or of probation) */
	int64_t horizon;   /* durable horizon, >= expires for ACTIVE */
	int64_t last_seen; /* last message from the client */
};

enum dx_lease_op_kind {
	DX_LEASE_OP_UPSERT = 1,
	DX_LEASE_OP_DELETE = 2, /* by (subnet_id, addr); other fields ignored */
};

struct dx_lease_op {
	enum dx_lease_op_kind kind;
	struct dx_lease_rec rec;
};

/* "active", "released", "declined", "expired" ("unknown" otherwise). */
const char *lease_state_name(int state);

#endif /* DHCPXDP_LEASE_H */
