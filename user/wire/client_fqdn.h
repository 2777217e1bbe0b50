/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The Client FQDN option, 81 (RFC 4702): flags, two obsolete RCODE
 * bytes, a domain name in DNS wire format (E set) or, deprecated, in
 * ASCII; and the DHCID RR's RDATA (RFC 4701) that ties a DNS name to
 * the client that holds it. Pure functions, no state.
 */
#ifndef DHCPXDP_CLIENT_FQDN_H
#define DHCPXDP_CLIENT_FQDN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* RFC 4702 §2.1 flags */
#define FQDN_F_S 0x01 /* the server performs the A RR update */
#define FQDN_F_O 0x02 /* the server overrode the client's S (reply) */
#define FQDN_F_E 0x04 /* canonical wire format of the name */
#define FQDN_F_N 0x08 /* the server performs no updates */

#define FQDN_NAME_MAX 253 /* text, without the final dot */

struct client_fqdn {
	uint8_t flags;
	/* Not fully qualified (RFC 4702 §2.3.1: no root label at its end;
	 * ASCII: no final dot): the server may qualify it. */
	bool partial;
	char name[FQDN_NAME_MAX + 1]; /* labels joined by dots, "" none */
	size_t len;
};

/*
 * Option 81's value (len bytes) into *out. -EINVAL when shorter than its
 * three fixed bytes, S and N both set (§2.1 forbids it), or a name that
 * is not well-formed (a label running past the end, one over 63 bytes,
 * a name over 253, bytes after the root label).
 */
int client_fqdn_parse(const uint8_t *p, size_t len, struct client_fqdn *out);

/*
 * The S, O and N flags of the reply (RFC 4702 §4, Kea's rules):
 * `updates` says whether the server sends DNS updates for the client at
 * all; client N overridden by override_no_update; client S 0 by
 * override_client_update; O when the server's S differs from the
 * client's. E is the client's.
 */
uint8_t client_fqdn_reply_flags(uint8_t client_flags, bool updates,
				bool override_no_update,
				bool override_client_update);

/*
 * The reply's option 81 value into buf: flags, RCODE1 and RCODE2 255
 * (RFC 4702 §2.2), then fqdn ("host.example.org", no final dot) fully
 * qualified, in wire format when flags has E, else ASCII with a final
 * dot. Its length, or -ENOSPC.
 */
int client_fqdn_encode(uint8_t flags, const char *fqdn, uint8_t *buf,
		       size_t cap);

/* A dotted name ("a.b", a final dot allowed) in DNS wire format with its
 * root label, lower-cased (RFC 4034 §6.2, canonical). Its length, or
 * -EINVAL (an empty label, one over 63 bytes, or over cap). */
int dns_name_wire(const char *name, uint8_t *buf, size_t cap);

/* RFC 4701 §3.3 identifier types */
#define DHCID_ID_HWADDR	    0x0000 /* htype and chaddr */
#define DHCID_ID_CLIENTID   0x0001 /* option 61 */
#define DHCID_ID_DUID	    0x0002 /* DHCPv6 DUID */
#define DHCID_DIGEST_SHA256 1
#define DHCID_LEN	    35 /* 2 + 1 + SHA-256 */

/*
 * The DHCID RDATA (RFC 4701 §3.3): identifier type, digest type 1,
 * SHA-256 over the identifier and fqdn in canonical wire format. The
 * identifier is option 61 when the client sent one (type 1), else the
 * hardware type and chaddr (type 0), as Kea chooses. -EINVAL for a bad
 * name.
 */
int dhcid_compute(uint16_t id_type, const uint8_t *id, size_t id_len,
		  const char *fqdn, uint8_t out[DHCID_LEN]);

#endif /* DHCPXDP_CLIENT_FQDN_H */
