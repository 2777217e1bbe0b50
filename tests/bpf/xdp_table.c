// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The XDP table's fixture, request builders, checks and runner
 * (xdp_table.h). Reply checksums are recomputed here with code
 * independent of the program's.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <cmocka.h>
#include <dhcpxdp/dhcp_wire.h>
#include "dhcpxdp.skel.h"
#include "frame.h"
#include "xdp_env.h"
#include "xdp_table.h"

#define IFINDEX_LO 1

const uint8_t srv_mac[6] = {0x02, 0, 0, 0, 0, 0x01};

struct subnet_fixture {
	uint32_t id;
	/* our address on the network the subnet's requests arrive from:
	 * the server identifier (docs/design.md §1) */
	uint32_t server_ip;
	uint16_t vlan;
	struct dx_subnet sn;
};

static struct subnet_fixture subnets[8];
/* The daemon's map value fields for subnet 5 (map_sync.c does the same). */
static void subnet_bootp(struct dx_subnet *sn)
{
	sn->flags |= DX_SUBNET_F_BOOTP;
	sn->siaddr = htonl(PXE_SIADDR);
	strcpy((char *)sn->sname, PXE_SNAME);
	strcpy((char *)sn->file, PXE_FILE);
	sn->bootp_csum = dx_reply_bootp_csum(sn->sname);
}

struct xdp_env xdp_table_env;
static int env_ready;
const char *xdp_table_skip_reason;
uint8_t cid_long[64];

void mac_of(enum client c, uint8_t mac[6])
{
	const uint8_t base[6] = {0x02, 0xaa, 0, 0, 0, 0};

	memcpy(mac, base, 6);
	mac[5] = (uint8_t)(c + 1);
}

static size_t opts_put(uint8_t *o, size_t n, uint8_t code, uint8_t len,
		       const void *v)
{
	o[n] = code;
	o[n + 1] = len;
	memcpy(o + n + 2, v, len);
	return n + 2 + len;
}

static void subnet_opts_basic(struct dx_subnet *sn, uint32_t net, int big)
{
	uint32_t mask = htonl(0xffffff00), router = htonl(net | 1);
	uint32_t dns[2] = {htonl(net | 2), htonl(net | 3)};
	uint8_t vendor[255];
	size_t n = 0;

	n = opts_put(sn->opts, n, DHCP_OPT_SUBNET_MASK, 4, &mask);
	n = opts_put(sn->opts, n, DHCP_OPT_ROUTER, 4, &router);
	n = opts_put(sn->opts, n, DHCP_OPT_DNS_SERVERS, 8, dns);
	n = opts_put(sn->opts, n, DHCP_OPT_DOMAIN_NAME, 11, "example.net");
	if (big) {
		/* 295 bytes of options: the reply no longer fits 576. */
		for (size_t i = 0; i < sizeof(vendor); i++)
			vendor[i] = (uint8_t)i;
		n = opts_put(sn->opts, n, DHCP_OPT_VENDOR_SPECIFIC, 255,
			     vendor);
	}
	sn->opts_len = (uint16_t)n;
}

static void fixture_subnet(int i, uint32_t id, uint32_t net, uint16_t vlan,
			   int big, uint16_t flags)
{
	struct subnet_fixture *f = &subnets[i];

	f->id = id;
	f->sn.subnet_id = id;
	f->server_ip = net | 1;
	f->vlan = vlan;
	f->sn.lease_time = LEASE_TIME;
	f->sn.t1 = LEASE_TIME / 2;
	f->sn.t2 = LEASE_TIME * 7 / 8;
	f->sn.flags = flags;
	subnet_opts_basic(&f->sn, net, big);
}

void fixture_subnet_flags(int i, uint16_t flags)
{
	subnets[i].sn.flags = flags;
	assert_int_equal(
		xdp_env_set_subnet(&xdp_table_env, i + 5, &subnets[i].sn), 0);
}

void fixture_lease(enum client c, uint32_t subnet, uint32_t addr,
		   uint32_t flags, int64_t horizon_s, uint64_t cid_hash)
{
	struct dx_lease l = {
		.addr = htonl(addr),
		.flags = flags,
		.client_id_hash = cid_hash,
		.horizon_ns = (uint64_t)((int64_t)boottime_ns() +
					 horizon_s * (int64_t)SEC),
	};

	/* A dynamic lease granted half a lease time ago: live. */
	if (flags & DX_LEASE_F_DYNAMIC)
		l.expires_ns = boottime_ns() + (uint64_t)LEASE_TIME / 2 * SEC;
	uint8_t mac[6];

	mac_of(c, mac);
	assert_int_equal(xdp_env_set_lease(&xdp_table_env, subnet, mac, &l), 0);
}

void fixture_expiry(enum client c, uint32_t subnet, int64_t delta_ns)
{
	struct dx_lease l;
	uint8_t mac[6];

	int64_t at = (int64_t)boottime_ns() + delta_ns;

	lease_entry_of(c, subnet, &l);
	/* A VM may have booted less than -delta ago: a past expiry is
	 * then the clock's start, not a wrapped-around future. */
	l.expires_ns = at > 0 ? (uint64_t)at : 1;
	mac_of(c, mac);
	assert_int_equal(xdp_env_set_lease(&xdp_table_env, subnet, mac, &l), 0);
}

void cid_of(enum client c, uint8_t cid[7])
{
	cid[0] = 1;
	mac_of(c, cid + 1);
}

static int group_setup(void **state)
{
	uint8_t cid[7];

	(void)state;
	if (geteuid() != 0) {
		xdp_table_skip_reason =
			"BPF tests need root (BPF_PROG_RUN); SKIPPING";
		fprintf(stderr, "%s: %s\n", program_invocation_short_name,
			xdp_table_skip_reason);
		return 0;
	}
	if (xdp_env_open(&xdp_table_env, 0)) {
		fprintf(stderr, "%s: cannot load the XDP object\n",
			program_invocation_short_name);
		return -1;
	}
	fixture_subnet(0, 1, IP(10, 0, 0, 0), 0, 0, 0);
	fixture_subnet(1, 2, IP(10, 1, 0, 0), 100, 0, 0);
	fixture_subnet(2, 3, IP(172, 16, 0, 0), 0, 1, 0);
	subnets[2].server_ip = S1; /* relayed: arrives on the untagged lo */
	fixture_subnet(3, 4, IP(10, 4, 0, 0), 200, 0, DX_SUBNET_F_DISABLED);
	fixture_subnet(4, 5, IP(10, 5, 0, 0), 500, 0, 0);
	subnet_bootp(&subnets[4].sn);
	/* Two pools of subnet 1 have options of their own. */
	subnets[0].sn.n_pool_opts = 2;
	subnets[0].sn.pool_opts[0] =
		(struct dx_addr_span){IP(10, 0, 0, 100), IP(10, 0, 0, 109)};
	subnets[0].sn.pool_opts[1] =
		(struct dx_addr_span){IP(10, 0, 0, 60), IP(10, 0, 0, 69)};
	/*
	 * Subnets 6 and 7, in that order, are a shared network on VLAN 400,
	 * where our address is subnet 6's: its first subnet is served
	 * directly, and XDP finds subnet 7 through it.
	 */
	fixture_subnet(5, 6, IP(10, 6, 0, 0), 400, 0, DX_SUBNET_F_SHARED);
	fixture_subnet(6, 7, IP(10, 7, 0, 0), 400, 0, DX_SUBNET_F_SHARED);
	subnets[6].server_ip = IP(10, 6, 0, 1);
	for (int i = 5; i < 7; i++) {
		subnets[i].sn.network = htonl(IP(10, 6 + i - 5, 0, 0));
		subnets[i].sn.mask = htonl(0xffffff00);
		subnets[i].sn.first_slot = 10;
	}
	subnets[5].sn.next_slot = 11;
	subnets[6].sn.next_slot = DX_SUBNET_SLOT_NONE;
	/* Relayed subnet 8 has reservations by circuit id. */
	fixture_subnet(7, 8, IP(172, 17, 0, 0), 0, 0, DX_SUBNET_F_CIRCUIT_ID);
	subnets[7].server_ip = S1;
	/* Subnet i lives in slot i + 5: slots need not match ids. */
	for (int i = 0; i < 8; i++)
		assert_int_equal(xdp_env_set_subnet(&xdp_table_env, i + 5,
						    &subnets[i].sn),
				 0);
	/* Networks on lo: untagged -> subnet 1, VLAN 100 -> 2, VLAN 200 -> 4. */
	assert_int_equal(xdp_env_add_network(&xdp_table_env, IFINDEX_LO, 0, 5,
					     srv_mac, IP(10, 0, 0, 1)),
			 0);
	assert_int_equal(xdp_env_add_network(&xdp_table_env, IFINDEX_LO, 100, 6,
					     srv_mac, IP(10, 1, 0, 1)),
			 0);
	assert_int_equal(xdp_env_add_network(&xdp_table_env, IFINDEX_LO, 200, 8,
					     srv_mac, IP(10, 4, 0, 1)),
			 0);
	assert_int_equal(xdp_env_add_network(&xdp_table_env, IFINDEX_LO, 500, 9,
					     srv_mac, IP(10, 5, 0, 1)),
			 0);
	assert_int_equal(xdp_env_add_network(&xdp_table_env, IFINDEX_LO, 400, 10,
					     srv_mac, IP(10, 6, 0, 1)),
			 0);
	/* VLAN 300 is served (relayed traffic only) but has no subnet. */
	assert_int_equal(xdp_env_add_network(&xdp_table_env, IFINDEX_LO, 300,
					     DX_SUBNET_SLOT_NONE, srv_mac,
					     IP(10, 3, 0, 1)),
			 0);
	/* QinQ S-tag 200, C-tag 100 -> subnet 2 too (our address there is
	 * subnet 2's): the pair is its own network, not VLAN 100 or 200. */
	assert_int_equal(xdp_env_add_qinq_network(&xdp_table_env, IFINDEX_LO,
						  200, 100, 6, srv_mac,
						  IP(10, 1, 0, 1)),
			 0);
	/* Relayed subnet 3: a listed relay, and its own prefix. */
	assert_int_equal(
		xdp_env_add_relay(&xdp_table_env, IP(192, 168, 5, 1), 32, 7),
		0);
	assert_int_equal(
		xdp_env_add_relay(&xdp_table_env, IP(172, 16, 0, 0), 24, 7), 0);
	assert_int_equal(
		xdp_env_add_relay(&xdp_table_env, IP(192, 168, 6, 1), 32, 12),
		0);

	fixture_lease(CL_A, 1, IP(10, 0, 0, 50), DX_LEASE_F_DYNAMIC,
		      3 * LEASE_TIME, 0);
	cid_of(CL_B, cid);
	fixture_lease(CL_B, 1, IP(10, 0, 0, 51), DX_LEASE_F_DYNAMIC,
		      2 * LEASE_TIME, client_id_hash(cid, sizeof(cid)));
	fixture_lease(CL_C, 1, IP(10, 0, 0, 52), DX_LEASE_F_DYNAMIC, 1000, 0);
	fixture_lease(CL_X, 1, IP(10, 0, 0, 53), DX_LEASE_F_DYNAMIC, -10, 0);
	fixture_lease(CL_R, 1, IP(10, 0, 0, 200), DX_LEASE_F_RESERVED, 0, 0);
	fixture_lease(CL_V, 2, IP(10, 1, 0, 20), DX_LEASE_F_DYNAMIC,
		      2 * LEASE_TIME, 0);
	fixture_lease(CL_G, 3, IP(172, 16, 0, 30), DX_LEASE_F_DYNAMIC,
		      2 * LEASE_TIME, 0);
	fixture_lease(CL_GR, 3, IP(172, 16, 0, 40), DX_LEASE_F_RESERVED, 0, 0);
	fixture_lease(CL_G, 8, IP(172, 17, 0, 30), DX_LEASE_F_DYNAMIC,
		      2 * LEASE_TIME, 0);
	for (size_t i = 0; i < sizeof(cid_long); i++)
		cid_long[i] = (uint8_t)(0x40 + i);
	fixture_lease(CL_L, 1, IP(10, 0, 0, 54), DX_LEASE_F_DYNAMIC,
		      2 * LEASE_TIME, client_id_hash(cid_long, 64));
	fixture_lease(CL_D, 4, IP(10, 4, 0, 9), DX_LEASE_F_DYNAMIC,
		      2 * LEASE_TIME, 0);
	/* Ran out a minute ago, durable for long after. */
	fixture_lease(CL_E, 1, IP(10, 0, 0, 55), DX_LEASE_F_DYNAMIC,
		      3 * LEASE_TIME, 0);
	fixture_expiry(CL_E, 1, -60 * (int64_t)SEC);
	fixture_lease(CL_PO, 1, IP(10, 0, 0, 60), DX_LEASE_F_DYNAMIC,
		      3 * LEASE_TIME, 0);
	fixture_lease(CL_P, 5, IP(10, 5, 0, 20), DX_LEASE_F_DYNAMIC,
		      3 * LEASE_TIME, 0);
	fixture_lease(CL_PR, 5, IP(10, 5, 0, 40), DX_LEASE_F_RESERVED, 0, 0);
	fixture_lease(CL_S, 7, IP(10, 7, 0, 20), DX_LEASE_F_DYNAMIC,
		      2 * LEASE_TIME, 0);
	fixture_lease(CL_SR, 7, IP(10, 7, 0, 40), DX_LEASE_F_RESERVED, 0, 0);
	env_ready = 1;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (env_ready)
		xdp_env_close(&xdp_table_env);
	return 0;
}

/* ---- request builders --------------------------------------------- */

void req_base(struct frame_spec *s, enum client c, uint8_t type)
{
	uint8_t mac[6];

	mac_of(c, mac);
	frame_spec_init(s, mac, 0x1234abcd + c);
	opt_add_u8(s, DHCP_OPT_MSG_TYPE, type);
}

static void add_prl(struct frame_spec *s)
{
	static const uint8_t prl[] = {1, 3, 6, 15, 26, 28, 42};

	opt_add(s, DHCP_OPT_PARAM_REQUEST, sizeof(prl), prl);
}

void renewing(struct frame_spec *s, enum client c, uint32_t ciaddr,
	      uint32_t server)
{
	req_base(s, c, DHCPREQUEST);
	s->ciaddr = ciaddr;
	s->src_ip = ciaddr;
	s->dst_ip = server;
	memcpy(s->dst_mac, srv_mac, 6);
	add_prl(s);
	opt_end(s);
}

void init_reboot(struct frame_spec *s, enum client c, uint32_t addr)
{
	req_base(s, c, DHCPREQUEST);
	opt_add_ip(s, DHCP_OPT_REQUESTED_IP, addr);
	add_prl(s);
	opt_end(s);
}

void selecting(struct frame_spec *s, enum client c, uint32_t addr,
	       uint32_t server)
{
	req_base(s, c, DHCPREQUEST);
	opt_add_ip(s, DHCP_OPT_REQUESTED_IP, addr);
	opt_add_ip(s, DHCP_OPT_SERVER_ID, server);
	add_prl(s);
	opt_end(s);
}

void discover(struct frame_spec *s, enum client c)
{
	req_base(s, c, DHCPDISCOVER);
	add_prl(s);
	opt_end(s);
}

void b_vlan_renew(struct frame_spec *s)
{
	renewing(s, CL_V, IP(10, 1, 0, 20), IP(10, 1, 0, 1));
	s->vlan = 100;
}

void b_qinq_renew(struct frame_spec *s)
{
	b_vlan_renew(s);
	s->svlan = 200;
}

/* ---- checks --------------------------------------------------------- */

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static const uint8_t *find_req_opt(const struct frame_spec *s, uint8_t code)
{
	for (size_t i = 0; i < s->opts_len;) {
		if (s->opts[i] == 0) {
			i++;
			continue;
		}
		if (s->opts[i] == 255)
			break;
		if (s->opts[i] == code)
			return s->opts + i;
		i += 2 + s->opts[i + 1];
	}
	return NULL;
}

/* Expected options area: 53 54 51 58 59, subnet bytes (word-padded),
 * 61 echo, 82 echo (RFC 3046 §2.2), END. */
static size_t expected_opts(const struct xdp_case *c,
			    const struct frame_spec *s, uint8_t *o)
{
	const struct subnet_fixture *f = &subnets[c->subnet];
	const uint8_t *cid = find_req_opt(s, DHCP_OPT_CLIENT_ID);
	const uint8_t *ri = find_req_opt(s, DHCP_OPT_RELAY_AGENT_INFO);
	uint32_t v;
	size_t n = 0, words = (f->sn.opts_len + 7U) & ~7U;

	n = opts_put(o, n, DHCP_OPT_MSG_TYPE, 1, &c->msg_type);
	v = htonl(f->server_ip);
	n = opts_put(o, n, DHCP_OPT_SERVER_ID, 4, &v);
	v = htonl(f->sn.lease_time);
	n = opts_put(o, n, DHCP_OPT_LEASE_TIME, 4, &v);
	v = htonl(f->sn.t1);
	n = opts_put(o, n, DHCP_OPT_RENEWAL_TIME, 4, &v);
	v = htonl(f->sn.t2);
	n = opts_put(o, n, DHCP_OPT_REBINDING_TIME, 4, &v);
	memset(o + n, 0, words);
	memcpy(o + n, f->sn.opts, f->sn.opts_len);
	n += words;
	if (cid)
		n = opts_put(o, n, DHCP_OPT_CLIENT_ID, cid[1], cid + 2);
	if (ri)
		n = opts_put(o, n, DHCP_OPT_RELAY_AGENT_INFO, ri[1], ri + 2);
	o[n++] = DHCP_OPT_END;
	return n;
}

void check_reply(const struct xdp_case *c, const struct frame_spec *s,
		 const uint8_t *in, size_t in_len, const uint8_t *out,
		 size_t out_len)
{
	size_t l2 = frame_l2_len(s);
	const uint8_t *ip = out + l2, *udp = ip + 20, *d = udp + 8;
	const uint8_t *rd = in + l2 + 28; /* request's BOOTP */
	const struct subnet_fixture *f = &subnets[c->subnet];
	uint8_t want_mac[6], exp[1024];
	uint32_t want_ip;
	uint16_t want_port = 68, max_ip = 576;
	const uint8_t *o57 = find_req_opt(s, DHCP_OPT_MAX_MSG_SIZE);
	size_t dhcp_len, n;

	(void)in_len;
	switch (c->to) {
	case TO_RELAY:
		memcpy(want_mac, s->src_mac, 6);
		want_ip = s->giaddr;
		want_port = 67;
		break;
	case TO_CIADDR:
		memcpy(want_mac, s->src_mac, 6);
		want_ip = s->ciaddr;
		break;
	case TO_BROADCAST:
		memset(want_mac, 0xff, 6);
		want_ip = 0xffffffff;
		break;
	default:
		memcpy(want_mac, s->chaddr, 6);
		want_ip = c->yiaddr;
		break;
	}
	/* Ethernet (and the VLAN tag, unchanged) */
	assert_true(out_len >= l2 + 28 + 300);
	assert_memory_equal(out, want_mac, 6);
	assert_memory_equal(out + 6, srv_mac, 6);
	assert_memory_equal(out + 12, in + 12, l2 - 12);
	/* IPv4 */
	assert_int_equal(ip[0], 0x45);
	assert_int_equal(get16(ip + 2), out_len - l2);
	assert_int_equal(get16(ip + 6) & 0x3fff, 0);
	assert_int_equal(ip[8], 64);
	assert_int_equal(ip[9], 17);
	assert_int_equal(get32(ip + 12), f->server_ip);
	assert_int_equal(get32(ip + 16), want_ip);
	assert_int_equal(inet_csum(ip, 20, 0), 0);
	/* UDP */
	assert_int_equal(get16(udp), 67);
	assert_int_equal(get16(udp + 2), want_port);
	assert_int_equal(get16(udp + 4), out_len - l2 - 20);
	assert_int_not_equal(get16(udp + 6), 0);
	assert_int_equal(udp_csum_verify(ip, udp, out_len - l2 - 20), 0);
	/* BOOTP, RFC 2131 table 3 */
	dhcp_len = out_len - l2 - 28;
	assert_true(dhcp_len >= 300);
	assert_int_equal(dhcp_len % 4, 0);
	if (o57 && get16(o57 + 2) > 576)
		max_ip = get16(o57 + 2);
	assert_true(dhcp_len + 28 <= max_ip);
	assert_int_equal(d[0], BOOTREPLY);
	assert_int_equal(d[1], 1);
	assert_int_equal(d[2], 6);
	assert_int_equal(d[3], 0);		 /* hops */
	assert_memory_equal(d + 4, rd + 4, 4);	 /* xid */
	assert_int_equal(get16(d + 8), 0);	 /* secs */
	assert_memory_equal(d + 10, rd + 10, 2); /* flags */
	assert_int_equal(get32(d + 12),
			 c->msg_type == DHCPOFFER ? 0 : s->ciaddr);
	assert_int_equal(get32(d + 16), c->yiaddr);
	assert_int_equal(get32(d + 24), s->giaddr);
	assert_memory_equal(d + 28, s->chaddr, 16);
	if (f->sn.flags & DX_SUBNET_F_BOOTP) {
		/* siaddr, sname, file: the subnet's, NUL-padded */
		assert_int_equal(get32(d + 20), ntohl(f->sn.siaddr));
		assert_memory_equal(d + 44, f->sn.sname, 64);
		assert_memory_equal(d + 108, f->sn.file, 128);
	} else {
		assert_int_equal(get32(d + 20), 0); /* siaddr */
		for (int i = 44; i < 236; i++)
			assert_int_equal(d[i], 0); /* sname, file */
	}
	assert_int_equal(get32(d + 236), DHCP_MAGIC_COOKIE);
	/* options in order, then zero padding */
	n = expected_opts(c, s, exp);
	assert_true(240 + n <= dhcp_len);
	assert_memory_equal(d + 240, exp, n);
	for (size_t i = 240 + n; i < dhcp_len; i++)
		assert_int_equal(d[i], 0);
}

struct event_sink {
	int n;
	struct dx_event last;
};

static int on_event(void *ctx, void *data, size_t size)
{
	struct event_sink *sink = ctx;

	if (size >= sizeof(sink->last))
		memcpy(&sink->last, data, sizeof(sink->last));
	sink->n++;
	return 0;
}

/* Read every pending renewal event into sink; -1 if the ring cannot be
 * opened. */
static int consume_events(struct event_sink *sink)
{
	struct ring_buffer *rb;

	memset(sink, 0, sizeof(*sink));
	rb = ring_buffer__new(bpf_map__fd(xdp_table_env.skel->maps.dx_events),
			      on_event, sink, NULL);
	if (!rb)
		return -1;
	ring_buffer__consume(rb);
	ring_buffer__free(rb);
	return 0;
}

void check_event(const struct xdp_case *c, const struct frame_spec *s,
		 uint64_t t0)
{
	struct event_sink sink;

	assert_int_equal(consume_events(&sink), 0);
	assert_int_equal(sink.n, 1);
	assert_int_equal(sink.last.subnet_id, subnets[c->subnet].id);
	assert_int_equal(ntohl(sink.last.addr), c->yiaddr);
	assert_memory_equal(sink.last.mac, s->chaddr, 6);
	assert_int_equal(sink.last.msg_type, DHCPACK);
	assert_true(sink.last.now_ns >= t0 &&
		    sink.last.now_ns <= boottime_ns());
	assert_true(sink.last.granted_until_ns ==
		    sink.last.now_ns + (uint64_t)LEASE_TIME * SEC);
}

void lease_entry_of(enum client c, uint32_t subnet, struct dx_lease *l)
{
	struct dx_lease_key k = {.subnet_id = subnet};

	mac_of(c, k.mac);
	assert_int_equal(
		bpf_map_lookup_elem(
			bpf_map__fd(xdp_table_env.skel->maps.dx_leases), &k, l),
		0);
}

/* A renewal ACKed in XDP leaves its new expiry in the lease entry. */
static void check_expiry_written(const struct xdp_case *c,
				 const struct frame_spec *s, uint64_t t0)
{
	struct dx_lease_key k = {.subnet_id = subnets[c->subnet].id};
	struct dx_lease l;

	memcpy(k.mac, s->chaddr, 6);
	assert_int_equal(
		bpf_map_lookup_elem(
			bpf_map__fd(xdp_table_env.skel->maps.dx_leases), &k,
			&l),
		0);
	assert_true(l.expires_ns >= t0 + (uint64_t)LEASE_TIME * SEC);
	assert_true(l.expires_ns <= boottime_ns() + (uint64_t)LEASE_TIME * SEC);
}

void check_no_event(void)
{
	struct event_sink sink;

	assert_int_equal(consume_events(&sink), 0);
	assert_int_equal(sink.n, 0);
}

void drain_events(void)
{
	struct event_sink sink;

	consume_events(&sink);
}

static void run_case(void **state)
{
	const struct xdp_case *c = *state;
	uint8_t in[FRAME_MAX], out[4096];
	size_t in_len, out_len = sizeof(out);
	struct frame_spec s;
	uint64_t before, pkts, t0;
	enum dx_stat stat;
	int verdict;

	if (xdp_table_skip_reason)
		skip();
	c->build(&s);
	in_len = frame_build(&s, in, sizeof(in));
	assert_true(in_len > 0);
	if (c->mangle)
		c->mangle(in, &in_len);

	stat = c->verdict == XDP_PASS	  ? c->punt
	       : c->msg_type == DHCPOFFER ? DX_STAT_OFFER
					  : DX_STAT_ACK;
	before = xdp_env_stat(&xdp_table_env, stat);
	pkts = xdp_env_stat(&xdp_table_env, DX_STAT_PACKETS);
	drain_events();
	t0 = boottime_ns();
	verdict = xdp_env_run(&xdp_table_env, in, in_len, out, &out_len, NULL);
	assert_int_equal(verdict, c->verdict);
	assert_int_equal(xdp_env_stat(&xdp_table_env, stat), before + 1);
	assert_int_equal(xdp_env_stat(&xdp_table_env, DX_STAT_PACKETS),
			 pkts + 1);
	if (c->verdict == XDP_PASS) {
		assert_int_equal(out_len, in_len);
		assert_memory_equal(out, in, in_len);
		return;
	}
	check_reply(c, &s, in, in_len, out, out_len);
	/* Every fixture's horizon covers the next renewal too: the daemon
	 * is not told (see renewal_asks_for_extension in test_xdp.c). */
	check_no_event();
	if (c->msg_type == DHCPACK && !c->reserved)
		check_expiry_written(c, &s, t0);
}

int xdp_table_run(const char *name, const struct xdp_case *cases, size_t n,
		  const struct CMUnitTest *more, size_t n_more)
{
	struct CMUnitTest *tests = calloc(n + n_more, sizeof(*tests));
	int ret;

	for (size_t i = 0; i < n; i++) {
		tests[i].name = cases[i].name;
		tests[i].test_func = run_case;
		tests[i].initial_state = (void *)&cases[i];
	}
	for (size_t i = 0; i < n_more; i++)
		tests[n + i] = more[i];
	ret = _cmocka_run_group_tests(name, tests, n + n_more, group_setup,
				      group_teardown);
	free(tests);
	return ret;
}
