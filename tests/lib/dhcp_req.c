// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dhcp_req.h"

const uint8_t dhcp_req_mac[6] = {0x02, 0x00, 0x5e, 0x10, 0x20, 0x30};

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

void dhcp_req_set32(struct dhcp_req *p, size_t off, uint32_t v)
{
	put32(p->b + off, v);
}

void dhcp_req_init(struct dhcp_req *p)
{
	memset(p, 0, sizeof(*p));
	p->b[DHCP_OFF_OP] = BOOTREQUEST;
	p->b[DHCP_OFF_HTYPE] = DHCP_HTYPE_ETHER;
	p->b[DHCP_OFF_HLEN] = DHCP_HLEN_ETHER;
	p->b[DHCP_OFF_HOPS] = 1;
	put32(p->b + DHCP_OFF_XID, 0x12345678);
	p->b[DHCP_OFF_SECS + 1] = 7;
	p->b[DHCP_OFF_FLAGS] = 0x80;
	put32(p->b + DHCP_OFF_CIADDR, 0x0a000005);
	put32(p->b + DHCP_OFF_GIADDR, 0x0a0000fe);
	memcpy(p->b + DHCP_OFF_CHADDR, dhcp_req_mac, sizeof(dhcp_req_mac));
	put32(p->b + DHCP_OFF_COOKIE, DHCP_MAGIC_COOKIE);
	p->len = DHCP_OPTIONS_OFFSET;
}

void dhcp_req_raw(struct dhcp_req *p, const void *data, size_t n)
{
	if (p->len + n > DHCP_REQ_CAP) {
		fprintf(stderr, "dhcp_req: %zu + %zu bytes exceed %d\n", p->len,
			n, DHCP_REQ_CAP);
		abort();
	}
	memcpy(p->b + p->len, data, n);
	p->len += n;
}

void dhcp_req_opt(struct dhcp_req *p, uint8_t code, uint8_t len, const void *v)
{
	uint8_t hdr[2] = {code, len};

	dhcp_req_raw(p, hdr, 2);
	dhcp_req_raw(p, v, len);
}

void dhcp_req_type(struct dhcp_req *p, uint8_t type)
{
	dhcp_req_opt(p, DHCP_OPT_MSG_TYPE, 1, &type);
}

void dhcp_req_end(struct dhcp_req *p)
{
	uint8_t end = DHCP_OPT_END;

	dhcp_req_raw(p, &end, 1);
}

int dhcp_decode_exact(struct dhcp_msg *m, const uint8_t *bytes, size_t n)
{
	uint8_t *copy = malloc(n ? n : 1);
	int rc;

	if (!copy) {
		fprintf(stderr, "dhcp_decode_exact: out of memory\n");
		abort();
	}
	if (n)
		memcpy(copy, bytes, n);
	rc = dhcp_msg_decode(m, n ? copy : NULL, n);
	free(copy);
	return rc;
}
