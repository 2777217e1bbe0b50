// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Table-driven tests of the real XDP object through BPF_PROG_RUN: crafted
 * request frames in, verdict and reply (or the untouched frame and the
 * right punt counter) out. Reply checksums are recomputed here with code
 * independent of the program's.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
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

#define IFINDEX_LO 1
#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))
#define LEASE_TIME 3600
#define SEC 1000000000ULL
#define S1 IP(10, 0, 0, 1)

static const uint8_t srv_mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t relay_mac[6] = { 0x02, 0x0e, 0, 0, 0, 0x01 };

enum client {
	CL_A,	     /* subnet 1, dynamic 10.0.0.50 */
	CL_B,	     /* subnet 1, dynamic 10.0.0.51, client-id */
	CL_C,	     /* subnet 1, dynamic 10.0.0.52, horizon too short */
	CL_X,	     /* subnet 1, dynamic 10.0.0.53, horizon passed */
	CL_R,	     /* subnet 1, reserved 10.0.0.200 */
	CL_V,	     /* subnet 2 (VLAN 100), dynamic 10.1.0.20 */
	CL_G,	     /* subnet 3 (relayed), dynamic 172.16.0.30 */
	CL_GR,	     /* subnet 3 (relayed), reserved 172.16.0.40 */
	CL_L,	     /* subnet 1, dynamic 10.0.0.54, 64-byte client-id */
	CL_D,	     /* subnet 4 (disabled), dynamic 10.4.0.9 */
	CL_UNKNOWN,  /* no lease anywhere */
	CL_MAX,
};

struct subnet_fixture {
	uint32_t id;
	/* our address on the network the subnet's requests arrive from:
	 * the server identifier (docs/design.md §1) */
	uint32_t server_ip;
	uint16_t vlan;
	struct dx_subnet sn;
};

static struct subnet_fixture subnets[5];
static struct xdp_env env;
static int env_ready;
static const char *skip_reason;
static uint8_t cid_long[64];

static void mac_of(enum client c, uint8_t mac[6])
{
	const uint8_t base[6] = { 0x02, 0xaa, 0, 0, 0, 0 };

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
	uint32_t dns[2] = { htonl(net | 2), htonl(net | 3) };
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

static void fixture_lease(enum client c, uint32_t subnet, uint32_t addr,
			  uint32_t flags, int64_t horizon_s, uint64_t cid_hash)
{
	struct dx_lease l = {
		.addr = htonl(addr),
		.flags = flags,
		.client_id_hash = cid_hash,
		.horizon_ns = (uint64_t)((int64_t)boottime_ns() +
					 horizon_s * (int64_t)SEC),
	};
	uint8_t mac[6];

	mac_of(c, mac);
	assert_int_equal(xdp_env_set_lease(&env, subnet, mac, &l), 0);
}

static void cid_of(enum client c, uint8_t cid[7])
{
	cid[0] = 1;
	mac_of(c, cid + 1);
}

static int group_setup(void **state)
{
	uint8_t cid[7];

	(void)state;
	if (geteuid() != 0) {
		skip_reason = "BPF tests need root (BPF_PROG_RUN); SKIPPING";
		fprintf(stderr, "test_xdp: %s\n", skip_reason);
		return 0;
	}
	if (xdp_env_open(&env, 0)) {
		fprintf(stderr, "test_xdp: cannot load the XDP object\n");
		return -1;
	}
	fixture_subnet(0, 1, IP(10, 0, 0, 0), 0, 0, 0);
	fixture_subnet(1, 2, IP(10, 1, 0, 0), 100, 0, 0);
	fixture_subnet(2, 3, IP(172, 16, 0, 0), 0, 1, 0);
	subnets[2].server_ip = S1; /* relayed: arrives on the untagged lo */
	fixture_subnet(3, 4, IP(10, 4, 0, 0), 200, 0, DX_SUBNET_F_DISABLED);
	/* Subnet i lives in slot i + 5: slots need not match ids. */
	for (int i = 0; i < 4; i++)
		assert_int_equal(xdp_env_set_subnet(&env, i + 5,
						    &subnets[i].sn), 0);
	/* Networks on lo: untagged -> subnet 1, VLAN 100 -> 2, VLAN 200 -> 4. */
	assert_int_equal(xdp_env_add_network(&env, IFINDEX_LO, 0, 5, srv_mac,
					     IP(10, 0, 0, 1)), 0);
	assert_int_equal(xdp_env_add_network(&env, IFINDEX_LO, 100, 6, srv_mac,
					     IP(10, 1, 0, 1)), 0);
	assert_int_equal(xdp_env_add_network(&env, IFINDEX_LO, 200, 8, srv_mac,
					     IP(10, 4, 0, 1)), 0);
	/* VLAN 300 is served (relayed traffic only) but has no subnet. */
	assert_int_equal(xdp_env_add_network(&env, IFINDEX_LO, 300,
					     DX_SUBNET_SLOT_NONE, srv_mac,
					     IP(10, 3, 0, 1)), 0);
	/* Relayed subnet 3: a listed relay, and its own prefix. */
	assert_int_equal(xdp_env_add_relay(&env, IP(192, 168, 5, 1), 32, 7), 0);
	assert_int_equal(xdp_env_add_relay(&env, IP(172, 16, 0, 0), 24, 7), 0);

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
	for (size_t i = 0; i < sizeof(cid_long); i++)
		cid_long[i] = (uint8_t)(0x40 + i);
	fixture_lease(CL_L, 1, IP(10, 0, 0, 54), DX_LEASE_F_DYNAMIC,
		      2 * LEASE_TIME, client_id_hash(cid_long, 64));
	fixture_lease(CL_D, 4, IP(10, 4, 0, 9), DX_LEASE_F_DYNAMIC,
		      2 * LEASE_TIME, 0);
	env_ready = 1;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (env_ready)
		xdp_env_close(&env);
	return 0;
}

/* ---- request builders --------------------------------------------- */

static void req_base(struct frame_spec *s, enum client c, uint8_t type)
{
	uint8_t mac[6];

	mac_of(c, mac);
	frame_spec_init(s, mac, 0x1234abcd + c);
	opt_add_u8(s, DHCP_OPT_MSG_TYPE, type);
}

static void add_prl(struct frame_spec *s)
{
	static const uint8_t prl[] = { 1, 3, 6, 15, 26, 28, 42 };

	opt_add(s, DHCP_OPT_PARAM_REQUEST, sizeof(prl), prl);
}

/* RENEWING: unicast from the client, ciaddr set (RFC 2131 §4.3.2). */
static void renewing(struct frame_spec *s, enum client c, uint32_t ciaddr,
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

/* INIT-REBOOT: broadcast, option 50, no server id. */
static void init_reboot(struct frame_spec *s, enum client c, uint32_t addr)
{
	req_base(s, c, DHCPREQUEST);
	opt_add_ip(s, DHCP_OPT_REQUESTED_IP, addr);
	add_prl(s);
	opt_end(s);
}

/* SELECTING: broadcast, option 50 and 54. */
static void selecting(struct frame_spec *s, enum client c, uint32_t addr,
		      uint32_t server)
{
	req_base(s, c, DHCPREQUEST);
	opt_add_ip(s, DHCP_OPT_REQUESTED_IP, addr);
	opt_add_ip(s, DHCP_OPT_SERVER_ID, server);
	add_prl(s);
	opt_end(s);
}

static void discover(struct frame_spec *s, enum client c)
{
	req_base(s, c, DHCPDISCOVER);
	add_prl(s);
	opt_end(s);
}

/* ---- the table ------------------------------------------------------ */

enum reply_to { TO_CHADDR, TO_CIADDR, TO_BROADCAST, TO_RELAY };

struct xdp_case {
	const char *name;
	void (*build)(struct frame_spec *s);
	/* optional: corrupt the serialised frame */
	void (*mangle)(uint8_t *f, size_t *len);
	int verdict;
	enum dx_stat punt; /* XDP_PASS: the counter that must move */
	/* XDP_TX: */
	uint8_t msg_type;
	uint32_t yiaddr;
	int subnet; /* index into subnets[] */
	enum reply_to to;
	bool reserved; /* reservation: no renewal event */
};


static void b_renew_a(struct frame_spec *s)
{
	renewing(s, CL_A, IP(10, 0, 0, 50), S1);
}
static void b_rebind_a(struct frame_spec *s)
{
	renewing(s, CL_A, IP(10, 0, 0, 50), 0xffffffff);
	memset(s->dst_mac, 0xff, 6);
	s->flags = DHCP_FLAG_BROADCAST; /* ignored: ciaddr wins (§4.1) */
}
static void b_reboot_a(struct frame_spec *s)
{
	init_reboot(s, CL_A, IP(10, 0, 0, 50));
}
static void b_reboot_a_bcast(struct frame_spec *s)
{
	init_reboot(s, CL_A, IP(10, 0, 0, 50));
	s->flags = DHCP_FLAG_BROADCAST;
}
static void b_select_a(struct frame_spec *s)
{
	selecting(s, CL_A, IP(10, 0, 0, 50), S1);
}
static void b_renew_b_cid(struct frame_spec *s)
{
	uint8_t cid[7];

	cid_of(CL_B, cid);
	req_base(s, CL_B, DHCPREQUEST);
	s->ciaddr = s->src_ip = IP(10, 0, 0, 51);
	opt_add(s, DHCP_OPT_CLIENT_ID, sizeof(cid), cid);
	opt_end(s);
}
static void b_renew_l_cid64(struct frame_spec *s)
{
	req_base(s, CL_L, DHCPREQUEST);
	s->ciaddr = s->src_ip = IP(10, 0, 0, 54);
	opt_add(s, DHCP_OPT_CLIENT_ID, 64, cid_long);
	opt_end(s);
}
static void b_discover_r(struct frame_spec *s)
{
	discover(s, CL_R);
}
static void b_discover_r_bcast(struct frame_spec *s)
{
	discover(s, CL_R);
	s->flags = DHCP_FLAG_BROADCAST;
}
static void b_discover_r_wants_other(struct frame_spec *s)
{
	req_base(s, CL_R, DHCPDISCOVER);
	opt_add_ip(s, DHCP_OPT_REQUESTED_IP, IP(10, 0, 0, 77));
	opt_end(s);
}
static void b_select_r(struct frame_spec *s)
{
	selecting(s, CL_R, IP(10, 0, 0, 200), S1);
}
static void b_reboot_r(struct frame_spec *s)
{
	init_reboot(s, CL_R, IP(10, 0, 0, 200));
}
static void b_renew_r(struct frame_spec *s)
{
	renewing(s, CL_R, IP(10, 0, 0, 200), S1);
}
static void b_vlan_renew(struct frame_spec *s)
{
	renewing(s, CL_V, IP(10, 1, 0, 20), IP(10, 1, 0, 1));
	s->vlan = 100;
}
static void b_vlan_prio_reboot(struct frame_spec *s)
{
	init_reboot(s, CL_V, IP(10, 1, 0, 20));
	s->vlan = 100 | (5 << 13); /* PCP 5 must not change the VLAN */
}
static void relayed(struct frame_spec *s, uint32_t giaddr)
{
	s->giaddr = giaddr;
	s->src_ip = giaddr;
	s->dst_ip = S1;
	s->sport = 67;
	s->flags = DHCP_FLAG_BROADCAST; /* irrelevant when relayed */
	s->hops = 1;
	memcpy(s->src_mac, relay_mac, 6);
	memcpy(s->dst_mac, srv_mac, 6);
}
static void b_relay_reboot(struct frame_spec *s)
{
	req_base(s, CL_G, DHCPREQUEST);
	opt_add_ip(s, DHCP_OPT_REQUESTED_IP, IP(172, 16, 0, 30));
	opt_add(s, DHCP_OPT_MAX_MSG_SIZE, 2, "\x05\xdc"); /* 1500 */
	opt_end(s);
	relayed(s, IP(192, 168, 5, 1));
}
static void b_relay_prefix_renew(struct frame_spec *s)
{
	req_base(s, CL_G, DHCPREQUEST);
	s->ciaddr = IP(172, 16, 0, 30);
	opt_add(s, DHCP_OPT_MAX_MSG_SIZE, 2, "\x05\xdc");
	opt_end(s);
	relayed(s, IP(172, 16, 0, 1));
}
static void b_relay_discover_gr(struct frame_spec *s)
{
	req_base(s, CL_GR, DHCPDISCOVER);
	opt_add(s, DHCP_OPT_MAX_MSG_SIZE, 2, "\x04\x00"); /* 1024 */
	opt_end(s);
	relayed(s, IP(192, 168, 5, 1));
}
static void b_relay_too_big(struct frame_spec *s)
{
	b_relay_reboot(s);
	s->opts_len = 0;
	opt_add_u8(s, DHCP_OPT_MSG_TYPE, DHCPREQUEST);
	opt_add_ip(s, DHCP_OPT_REQUESTED_IP, IP(172, 16, 0, 30));
	opt_end(s); /* no 57: 576 bytes is the limit */
}
static void b_relay_57_small(struct frame_spec *s)
{
	b_relay_too_big(s);
	s->opts_len -= 1;
	opt_add(s, DHCP_OPT_MAX_MSG_SIZE, 2, "\x01\x00"); /* 256: floor 576 */
	opt_end(s);
}
static void b_relay_unknown(struct frame_spec *s)
{
	b_relay_reboot(s);
	relayed(s, IP(192, 168, 99, 1));
}
static void b_padded_request(struct frame_spec *s)
{
	renewing(s, CL_A, IP(10, 0, 0, 50), S1);
	s->min_dhcp_len = 548; /* longer than the reply: frame shrinks */
}
static void b_dirty_fields(struct frame_spec *s)
{
	init_reboot(s, CL_A, IP(10, 0, 0, 50));
	s->hops = 3;
	s->secs = 99;
	strcpy(s->sname, "leftover-from-client");
	s->yiaddr = IP(1, 2, 3, 4);
}
static void b_end_last_byte(struct frame_spec *s)
{
	req_base(s, CL_A, DHCPREQUEST);
	s->ciaddr = IP(10, 0, 0, 50);
	/* 20 PADs, then END as the frame's very last byte */
	memset(s->opts + s->opts_len, 0, 20);
	s->opts_len += 20;
	opt_end(s);
}

/* punts: policy */
static void b_renew_c_short(struct frame_spec *s)
{
	renewing(s, CL_C, IP(10, 0, 0, 52), S1);
}
static void b_renew_x_expired(struct frame_spec *s)
{
	renewing(s, CL_X, IP(10, 0, 0, 53), S1);
}
static void b_renew_unknown(struct frame_spec *s)
{
	renewing(s, CL_UNKNOWN, IP(10, 0, 0, 99), S1);
}
static void b_discover_unknown(struct frame_spec *s)
{
	discover(s, CL_UNKNOWN);
}
static void b_discover_dynamic(struct frame_spec *s)
{
	discover(s, CL_A);
}
static void b_select_other_server(struct frame_spec *s)
{
	selecting(s, CL_A, IP(10, 0, 0, 50), IP(10, 0, 0, 254));
}
static void b_reboot_wrong_addr(struct frame_spec *s)
{
	init_reboot(s, CL_A, IP(10, 0, 0, 60));
}
static void b_renew_wrong_ciaddr(struct frame_spec *s)
{
	renewing(s, CL_A, IP(10, 0, 0, 61), S1);
}
static void b_reserved_wrong_addr(struct frame_spec *s)
{
	init_reboot(s, CL_R, IP(10, 0, 0, 201));
}
static void b_cid_mismatch(struct frame_spec *s)
{
	uint8_t cid[7];

	cid_of(CL_A, cid); /* B's lease was granted to another client-id */
	req_base(s, CL_B, DHCPREQUEST);
	s->ciaddr = IP(10, 0, 0, 51);
	opt_add(s, DHCP_OPT_CLIENT_ID, sizeof(cid), cid);
	opt_end(s);
}
static void b_cid_missing(struct frame_spec *s)
{
	renewing(s, CL_B, IP(10, 0, 0, 51), S1);
}
static void b_cid_unexpected(struct frame_spec *s)
{
	uint8_t cid[7];

	cid_of(CL_A, cid); /* A's lease has no client-id */
	req_base(s, CL_A, DHCPREQUEST);
	s->ciaddr = IP(10, 0, 0, 50);
	opt_add(s, DHCP_OPT_CLIENT_ID, sizeof(cid), cid);
	opt_end(s);
}
static void b_cid_too_long(struct frame_spec *s)
{
	uint8_t cid[65] = { 0 };

	req_base(s, CL_L, DHCPREQUEST);
	s->ciaddr = IP(10, 0, 0, 54);
	opt_add(s, DHCP_OPT_CLIENT_ID, sizeof(cid), cid);
	opt_end(s);
}
static void b_request_no_addr(struct frame_spec *s)
{
	req_base(s, CL_A, DHCPREQUEST);
	opt_end(s);
}
static void msg(struct frame_spec *s, uint8_t type)
{
	req_base(s, CL_A, type);
	s->ciaddr = IP(10, 0, 0, 50);
	opt_end(s);
}
static void b_release(struct frame_spec *s)
{
	msg(s, DHCPRELEASE);
}
static void b_decline(struct frame_spec *s)
{
	msg(s, DHCPDECLINE);
}
static void b_inform(struct frame_spec *s)
{
	msg(s, DHCPINFORM);
}
static void b_opt82(struct frame_spec *s)
{
	req_base(s, CL_G, DHCPREQUEST);
	s->ciaddr = IP(172, 16, 0, 30);
	opt_add(s, DHCP_OPT_RELAY_AGENT_INFO, 6, "\x01\x04port");
	opt_end(s);
	relayed(s, IP(192, 168, 5, 1));
}
static void b_vlan_unknown(struct frame_spec *s)
{
	b_vlan_renew(s);
	s->vlan = 101;
}
static void b_vlan_no_subnet(struct frame_spec *s)
{
	b_vlan_renew(s);
	s->vlan = 300;
}
static void b_subnet_disabled(struct frame_spec *s)
{
	renewing(s, CL_D, IP(10, 4, 0, 9), IP(10, 4, 0, 1));
	s->vlan = 200;
}

/* punts: malformed. The base is a valid renewal of A. */
static void b_valid(struct frame_spec *s)
{
	renewing(s, CL_A, IP(10, 0, 0, 50), S1);
}
static void b_ihl4(struct frame_spec *s)
{
	b_valid(s);
	s->ihl = 4;
}
static void b_ihl6(struct frame_spec *s)
{
	b_valid(s);
	s->ihl = 6;
}
static void b_frag_mf(struct frame_spec *s)
{
	b_valid(s);
	s->frag_off = 0x2000;
}
static void b_frag_off(struct frame_spec *s)
{
	b_valid(s);
	s->frag_off = 0x0010;
}
static void b_tcp(struct frame_spec *s)
{
	b_valid(s);
	s->proto = 6;
}
static void b_port68(struct frame_spec *s)
{
	b_valid(s);
	s->dport = 68;
}
static void b_bootreply(struct frame_spec *s)
{
	b_valid(s);
	s->op = BOOTREPLY;
}
static void b_htype(struct frame_spec *s)
{
	b_valid(s);
	s->htype = 6;
}
static void b_hlen(struct frame_spec *s)
{
	b_valid(s);
	s->hlen = 16;
}
static void b_cookie(struct frame_spec *s)
{
	b_valid(s);
	s->cookie = 0x63825364;
}
static void b_opt_past_end(struct frame_spec *s)
{
	req_base(s, CL_A, DHCPREQUEST);
	s->ciaddr = IP(10, 0, 0, 50);
	s->opts[s->opts_len++] = DHCP_OPT_HOST_NAME;
	s->opts[s->opts_len++] = 40; /* only 5 bytes follow */
	memcpy(s->opts + s->opts_len, "abcde", 5);
	s->opts_len += 5;
}
static void b_len_byte_last(struct frame_spec *s)
{
	req_base(s, CL_A, DHCPREQUEST);
	s->ciaddr = IP(10, 0, 0, 50);
	s->opts[s->opts_len++] = DHCP_OPT_HOST_NAME;
	s->opts[s->opts_len++] = 3; /* frame ends right after it */
}
static void b_code_byte_last(struct frame_spec *s)
{
	req_base(s, CL_A, DHCPREQUEST);
	s->ciaddr = IP(10, 0, 0, 50);
	s->opts[s->opts_len++] = DHCP_OPT_HOST_NAME;
}
static void b_pad308(struct frame_spec *s)
{
	b_valid(s);
	s->opts_len = 0;
	memset(s->opts, 0, 308);
	s->opts_len = 308;
}
static void b_no_end(struct frame_spec *s)
{
	req_base(s, CL_A, DHCPREQUEST);
	s->ciaddr = IP(10, 0, 0, 50);
}
static void b_overload(struct frame_spec *s)
{
	req_base(s, CL_A, DHCPREQUEST);
	s->ciaddr = IP(10, 0, 0, 50);
	opt_add_u8(s, DHCP_OPT_OVERLOAD, DHCP_OVERLOAD_FILE);
	opt_end(s);
}
static void bad_len(struct frame_spec *s, uint8_t code, uint8_t len)
{
	uint8_t v[255];

	memset(v, 0x0a, sizeof(v));
	req_base(s, CL_A, DHCPREQUEST);
	opt_add(s, code, len, v);
	opt_end(s);
}
#define BAD_LEN(code, len)                                 \
	static void b_len_##code##_##len(struct frame_spec *s) \
	{                                                      \
		bad_len(s, code, len);                         \
	}
BAD_LEN(50, 0)
BAD_LEN(50, 3)
BAD_LEN(50, 5)
BAD_LEN(50, 255)
BAD_LEN(51, 0)
BAD_LEN(51, 3)
BAD_LEN(51, 5)
BAD_LEN(51, 255)
BAD_LEN(54, 0)
BAD_LEN(54, 3)
BAD_LEN(54, 5)
BAD_LEN(54, 255)
BAD_LEN(57, 1)
BAD_LEN(61, 1)
static void b_no_53(struct frame_spec *s)
{
	b_valid(s);
	s->opts[0] = DHCP_OPT_HOST_NAME; /* 53 becomes 12 */
}
static void b_53_zero(struct frame_spec *s)
{
	b_valid(s);
	s->opts[2] = 0;
}
static void b_53_nine(struct frame_spec *s)
{
	b_valid(s);
	s->opts[2] = 9;
}
static void b_53_twice(struct frame_spec *s)
{
	b_valid(s);
	s->opts_len--; /* drop END */
	opt_add_u8(s, DHCP_OPT_MSG_TYPE, DHCPREQUEST);
	opt_end(s);
}

/* mangles of the serialised frame */
static void m_eth_only(uint8_t *f, size_t *len)
{
	(void)f;
	*len = 14; /* BPF_PROG_RUN refuses anything shorter */
}
static void m_cut_vlan(uint8_t *f, size_t *len)
{
	(void)f;
	*len = 16;
}
static void m_cut_ip(uint8_t *f, size_t *len)
{
	(void)f;
	*len = 14 + 12;
}
static void m_cut_udp(uint8_t *f, size_t *len)
{
	(void)f;
	*len = 14 + 20 + 4;
	f[16] = 0;
	f[17] = 24; /* tot_len matches what is left */
}
static void m_cut_bootp(uint8_t *f, size_t *len)
{
	*len = 14 + 20 + 8 + 100;
	f[16] = 0;
	f[17] = 128;
	f[38] = 0;
	f[39] = 108;
}
static void m_ip_len_long(uint8_t *f, size_t *len)
{
	uint16_t v = (uint16_t)(*len - 14 + 10);

	f[16] = v >> 8;
	f[17] = v & 0xff;
}
static void m_ip_len_short(uint8_t *f, size_t *len)
{
	(void)len;
	f[16] = 0;
	f[17] = 19;
}
static void m_udp_len_long(uint8_t *f, size_t *len)
{
	uint16_t v = (uint16_t)(*len - 14 - 20 + 1);

	f[38] = v >> 8;
	f[39] = v & 0xff;
}
static void m_udp_len_tiny(uint8_t *f, size_t *len)
{
	(void)len;
	f[38] = 0;
	f[39] = 7;
}
static void m_udp_len_cuts_options(uint8_t *f, size_t *len)
{
	(void)len;
	/* The UDP length ends the datagram in the middle of the options:
	 * the bytes after it (END included) must not count. */
	f[38] = 0;
	f[39] = 8 + 240 + 4;
}
static void m_arp(uint8_t *f, size_t *len)
{
	(void)len;
	f[12] = 0x08;
	f[13] = 0x06;
}
static void m_ipv6(uint8_t *f, size_t *len)
{
	(void)len;
	f[12] = 0x86;
	f[13] = 0xdd;
}
static void m_qinq(uint8_t *f, size_t *len)
{
	(void)len;
	f[16] = 0x81; /* inner tag is another 802.1Q */
	f[17] = 0x00;
}

#define TX(n, b, t, y, sub, to_)                                          \
	{ .name = n, .build = b, .verdict = XDP_TX, .msg_type = t,       \
	  .yiaddr = y, .subnet = sub, .to = to_ }
#define TXR(n, b, t, y, sub, to_)                                         \
	{ .name = n, .build = b, .verdict = XDP_TX, .msg_type = t,       \
	  .yiaddr = y, .subnet = sub, .to = to_, .reserved = true }
#define PASS(n, b, m, why)                                                \
	{ .name = n, .build = b, .mangle = m, .verdict = XDP_PASS,      \
	  .punt = DX_STAT_PUNT_##why }

static const struct xdp_case cases[] = {
	/* answers */
	TX("ack renewing unicast to ciaddr", b_renew_a, DHCPACK,
	   IP(10, 0, 0, 50), 0, TO_CIADDR),
	TX("ack rebinding broadcast flag ignored for ciaddr", b_rebind_a,
	   DHCPACK, IP(10, 0, 0, 50), 0, TO_CIADDR),
	TX("ack init-reboot unicast to yiaddr at chaddr", b_reboot_a, DHCPACK,
	   IP(10, 0, 0, 50), 0, TO_CHADDR),
	TX("ack init-reboot broadcast flag", b_reboot_a_bcast, DHCPACK,
	   IP(10, 0, 0, 50), 0, TO_BROADCAST),
	TX("ack selecting with our server id", b_select_a, DHCPACK,
	   IP(10, 0, 0, 50), 0, TO_CHADDR),
	TX("ack renewal with matching client-id, echoed", b_renew_b_cid,
	   DHCPACK, IP(10, 0, 0, 51), 0, TO_CIADDR),
	TX("ack renewal with 64-byte client-id, echoed", b_renew_l_cid64,
	   DHCPACK, IP(10, 0, 0, 54), 0, TO_CIADDR),
	TXR("offer reservation", b_discover_r, DHCPOFFER, IP(10, 0, 0, 200), 0,
	   TO_CHADDR),
	TXR("offer reservation broadcast flag", b_discover_r_bcast, DHCPOFFER,
	   IP(10, 0, 0, 200), 0, TO_BROADCAST),
	TXR("offer reservation ignores requested other address",
	   b_discover_r_wants_other, DHCPOFFER, IP(10, 0, 0, 200), 0,
	   TO_CHADDR),
	TXR("ack reservation selecting", b_select_r, DHCPACK,
	   IP(10, 0, 0, 200), 0, TO_CHADDR),
	TXR("ack reservation init-reboot", b_reboot_r, DHCPACK,
	   IP(10, 0, 0, 200), 0, TO_CHADDR),
	TXR("ack reservation renewing", b_renew_r, DHCPACK, IP(10, 0, 0, 200),
	   0, TO_CIADDR),
	TX("ack vlan-tagged renewal keeps the tag", b_vlan_renew, DHCPACK,
	   IP(10, 1, 0, 20), 1, TO_CIADDR),
	TX("ack vlan with priority bits", b_vlan_prio_reboot, DHCPACK,
	   IP(10, 1, 0, 20), 1, TO_CHADDR),
	TX("ack relayed via listed relay, big options, 57=1500",
	   b_relay_reboot, DHCPACK, IP(172, 16, 0, 30), 2, TO_RELAY),
	TX("ack relayed via subnet prefix", b_relay_prefix_renew, DHCPACK,
	   IP(172, 16, 0, 30), 2, TO_RELAY),
	TXR("offer relayed reservation", b_relay_discover_gr, DHCPOFFER,
	   IP(172, 16, 0, 40), 2, TO_RELAY),
	TX("ack shrinks a padded 548-byte request", b_padded_request, DHCPACK,
	   IP(10, 0, 0, 50), 0, TO_CIADDR),
	TX("ack clears hops, secs, sname", b_dirty_fields, DHCPACK,
	   IP(10, 0, 0, 50), 0, TO_CHADDR),
	TX("ack with END as the last byte", b_end_last_byte, DHCPACK,
	   IP(10, 0, 0, 50), 0, TO_CIADDR),

	/* passed up: policy */
	PASS("horizon too short", b_renew_c_short, NULL, HORIZON),
	PASS("horizon passed (expired lease)", b_renew_x_expired, NULL,
	     HORIZON),
	PASS("no lease", b_renew_unknown, NULL, NO_LEASE),
	PASS("discover without reservation", b_discover_unknown, NULL,
	     DISCOVER),
	PASS("discover for a dynamic lease", b_discover_dynamic, NULL,
	     DISCOVER),
	PASS("selecting another server", b_select_other_server, NULL,
	     SERVER_ID),
	PASS("init-reboot for another address", b_reboot_wrong_addr, NULL,
	     ADDR_MISMATCH),
	PASS("renewing with another ciaddr", b_renew_wrong_ciaddr, NULL,
	     ADDR_MISMATCH),
	PASS("reservation asked for another address", b_reserved_wrong_addr,
	     NULL, ADDR_MISMATCH),
	PASS("client-id mismatch", b_cid_mismatch, NULL, CLIENT_ID),
	PASS("client-id missing", b_cid_missing, NULL, CLIENT_ID),
	PASS("client-id where the lease has none", b_cid_unexpected, NULL,
	     CLIENT_ID),
	PASS("client-id longer than 64", b_cid_too_long, NULL,
	     CLIENT_ID_LONG),
	PASS("request naming no address", b_request_no_addr, NULL, NO_ADDR),
	PASS("release", b_release, NULL, MSG_TYPE),
	PASS("decline", b_decline, NULL, MSG_TYPE),
	PASS("inform", b_inform, NULL, MSG_TYPE),
	PASS("relay agent information (82)", b_opt82, NULL, RELAY_INFO),
	PASS("unknown vlan", b_vlan_unknown, NULL, NO_NETWORK),
	PASS("vlan with an address but no subnet", b_vlan_no_subnet, NULL,
	     NO_SUBNET),
	PASS("unknown relay", b_relay_unknown, NULL, NO_SUBNET),
	PASS("subnet with fast path disabled", b_subnet_disabled, NULL,
	     SUBNET_OFF),
	PASS("reply over 576 without 57", b_relay_too_big, NULL, TOO_BIG),
	PASS("reply over 576 with 57 below the floor", b_relay_57_small, NULL,
	     TOO_BIG),

	/* passed up: malformed */
	PASS("ethernet header only", b_valid, m_eth_only, TRUNCATED),
	PASS("truncated vlan tag", b_vlan_renew, m_cut_vlan, TRUNCATED),
	PASS("truncated ip header", b_valid, m_cut_ip, TRUNCATED),
	PASS("truncated udp header", b_valid, m_cut_udp, TRUNCATED),
	PASS("truncated bootp header", b_valid, m_cut_bootp, TRUNCATED),
	PASS("ihl 4", b_ihl4, NULL, BAD_IP),
	PASS("ihl 6 (ip options)", b_ihl6, NULL, IP_OPTIONS),
	PASS("ip total length past the frame", b_valid, m_ip_len_long, BAD_IP),
	PASS("ip total length below header", b_valid, m_ip_len_short, BAD_IP),
	PASS("fragment, more-fragments", b_frag_mf, NULL, IP_FRAGMENT),
	PASS("fragment, offset", b_frag_off, NULL, IP_FRAGMENT),
	PASS("tcp", b_tcp, NULL, NOT_DHCP),
	PASS("udp to port 68", b_port68, NULL, NOT_DHCP),
	PASS("udp length past the ip payload", b_valid, m_udp_len_long,
	     BAD_UDP),
	PASS("udp length below 8", b_valid, m_udp_len_tiny, BAD_UDP),
	PASS("udp length cuts the options", b_valid, m_udp_len_cuts_options,
	     BAD_OPTIONS),
	PASS("arp", b_valid, m_arp, NOT_DHCP),
	PASS("ipv6 ethertype", b_valid, m_ipv6, NOT_DHCP),
	PASS("double vlan tag", b_vlan_renew, m_qinq, NOT_DHCP),
	PASS("bootreply", b_bootreply, NULL, NOT_REQUEST),
	PASS("htype 6", b_htype, NULL, BAD_HW),
	PASS("hlen 16", b_hlen, NULL, BAD_HW),
	PASS("bad magic cookie", b_cookie, NULL, BAD_COOKIE),
	PASS("option walks off the end", b_opt_past_end, NULL, BAD_OPTIONS),
	PASS("length byte is the last byte", b_len_byte_last, NULL,
	     BAD_OPTIONS),
	PASS("code byte is the last byte", b_code_byte_last, NULL,
	     BAD_OPTIONS),
	PASS("308 PAD bytes, no END", b_pad308, NULL, BAD_OPTIONS),
	PASS("no END", b_no_end, NULL, BAD_OPTIONS),
	PASS("option overload 52", b_overload, NULL, OVERLOAD),
	PASS("option 50 length 0", b_len_50_0, NULL, BAD_OPTIONS),
	PASS("option 50 length 3", b_len_50_3, NULL, BAD_OPTIONS),
	PASS("option 50 length 5", b_len_50_5, NULL, BAD_OPTIONS),
	PASS("option 50 length 255", b_len_50_255, NULL, BAD_OPTIONS),
	PASS("option 51 length 0", b_len_51_0, NULL, BAD_OPTIONS),
	PASS("option 51 length 3", b_len_51_3, NULL, BAD_OPTIONS),
	PASS("option 51 length 5", b_len_51_5, NULL, BAD_OPTIONS),
	PASS("option 51 length 255", b_len_51_255, NULL, BAD_OPTIONS),
	PASS("option 54 length 0", b_len_54_0, NULL, BAD_OPTIONS),
	PASS("option 54 length 3", b_len_54_3, NULL, BAD_OPTIONS),
	PASS("option 54 length 5", b_len_54_5, NULL, BAD_OPTIONS),
	PASS("option 54 length 255", b_len_54_255, NULL, BAD_OPTIONS),
	PASS("option 57 length 1", b_len_57_1, NULL, BAD_OPTIONS),
	PASS("option 61 length 1", b_len_61_1, NULL, BAD_OPTIONS),
	PASS("no option 53", b_no_53, NULL, NO_MSG_TYPE),
	PASS("option 53 value 0", b_53_zero, NULL, NO_MSG_TYPE),
	PASS("option 53 value 9", b_53_nine, NULL, NO_MSG_TYPE),
	PASS("option 53 twice", b_53_twice, NULL, NO_MSG_TYPE),
};

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
 * 61 echo, END. */
static size_t expected_opts(const struct xdp_case *c,
			    const struct frame_spec *s, uint8_t *o)
{
	const struct subnet_fixture *f = &subnets[c->subnet];
	const uint8_t *cid = find_req_opt(s, DHCP_OPT_CLIENT_ID);
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
	o[n++] = DHCP_OPT_END;
	return n;
}

static void check_reply(const struct xdp_case *c, const struct frame_spec *s,
			const uint8_t *in, size_t in_len, const uint8_t *out,
			size_t out_len)
{
	size_t l2 = s->vlan >= 0 ? 18 : 14;
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
	assert_int_equal(d[3], 0);			   /* hops */
	assert_memory_equal(d + 4, rd + 4, 4);		   /* xid */
	assert_int_equal(get16(d + 8), 0);		   /* secs */
	assert_memory_equal(d + 10, rd + 10, 2);	   /* flags */
	assert_int_equal(get32(d + 12), c->msg_type == DHCPOFFER ? 0 : s->ciaddr);
	assert_int_equal(get32(d + 16), c->yiaddr);
	assert_int_equal(get32(d + 20), 0);		   /* siaddr */
	assert_int_equal(get32(d + 24), s->giaddr);
	assert_memory_equal(d + 28, s->chaddr, 16);
	for (int i = 44; i < 236; i++)
		assert_int_equal(d[i], 0);		   /* sname, file */
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
	rb = ring_buffer__new(bpf_map__fd(env.skel->maps.dx_events), on_event,
			      sink, NULL);
	if (!rb)
		return -1;
	ring_buffer__consume(rb);
	ring_buffer__free(rb);
	return 0;
}

static void check_event(const struct xdp_case *c, const struct frame_spec *s,
			uint64_t t0)
{
	struct event_sink sink;

	assert_int_equal(consume_events(&sink), 0);
	assert_int_equal(sink.n, 1);
	assert_int_equal(sink.last.subnet_id, subnets[c->subnet].id);
	assert_int_equal(ntohl(sink.last.addr), c->yiaddr);
	assert_memory_equal(sink.last.mac, s->chaddr, 6);
	assert_int_equal(sink.last.msg_type, DHCPACK);
	assert_true(sink.last.now_ns >= t0 && sink.last.now_ns <= boottime_ns());
	assert_true(sink.last.granted_until_ns ==
		    sink.last.now_ns + (uint64_t)LEASE_TIME * SEC);
}

/* The lease map entry of client c in subnet id `subnet`. */
static void lease_entry_of(enum client c, uint32_t subnet, struct dx_lease *l)
{
	struct dx_lease_key k = { .subnet_id = subnet };

	mac_of(c, k.mac);
	assert_int_equal(bpf_map_lookup_elem(
				 bpf_map__fd(env.skel->maps.dx_leases), &k, l),
			 0);
}

/* A renewal ACKed in XDP leaves its new expiry in the lease entry. */
static void check_expiry_written(const struct xdp_case *c,
				 const struct frame_spec *s, uint64_t t0)
{
	struct dx_lease_key k = { .subnet_id = subnets[c->subnet].id };
	struct dx_lease l;

	memcpy(k.mac, s->chaddr, 6);
	assert_int_equal(bpf_map_lookup_elem(
				 bpf_map__fd(env.skel->maps.dx_leases), &k, &l),
			 0);
	assert_true(l.expires_ns >= t0 + (uint64_t)LEASE_TIME * SEC);
	assert_true(l.expires_ns <= boottime_ns() + (uint64_t)LEASE_TIME * SEC);
}

static void check_no_event(void)
{
	struct event_sink sink;

	assert_int_equal(consume_events(&sink), 0);
	assert_int_equal(sink.n, 0);
}

static void drain_events(void)
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

	if (skip_reason)
		skip();
	c->build(&s);
	in_len = frame_build(&s, in, sizeof(in));
	assert_true(in_len > 0);
	if (c->mangle)
		c->mangle(in, &in_len);

	stat = c->verdict == XDP_PASS ? c->punt
	       : c->msg_type == DHCPOFFER ? DX_STAT_OFFER
					   : DX_STAT_ACK;
	before = xdp_env_stat(&env, stat);
	pkts = xdp_env_stat(&env, DX_STAT_PACKETS);
	drain_events();
	t0 = boottime_ns();
	verdict = xdp_env_run(&env, in, in_len, out, &out_len, NULL);
	assert_int_equal(verdict, c->verdict);
	assert_int_equal(xdp_env_stat(&env, stat), before + 1);
	assert_int_equal(xdp_env_stat(&env, DX_STAT_PACKETS), pkts + 1);
	if (c->verdict == XDP_PASS) {
		assert_int_equal(out_len, in_len);
		assert_memory_equal(out, in, in_len);
		return;
	}
	check_reply(c, &s, in, in_len, out, out_len);
	/* Every fixture's horizon covers the next renewal too: the daemon
	 * is not told (see renewal_asks_for_extension). */
	check_no_event();
	if (c->msg_type == DHCPACK && !c->reserved)
		check_expiry_written(c, &s, t0);
}

/*
 * When the horizon covers this renewal but not the next one (due at T1),
 * the ACK asks the daemon for an extension on the ring buffer; a renewal
 * still well inside the horizon does not (docs/design.md §2).
 */
static void renewal_asks_for_extension(void **state)
{
	const struct xdp_case *c = &cases[0]; /* CL_A renewing */
	uint8_t in[FRAME_MAX], out[4096];
	size_t in_len, out_len = sizeof(out);
	struct frame_spec s;
	struct dx_lease l;
	uint64_t asked0, t0;

	(void)state;
	if (skip_reason)
		skip();
	/* now + L fits 1.2 L; now + L + T1 (1.5 L) does not */
	fixture_lease(CL_A, 1, IP(10, 0, 0, 50), DX_LEASE_F_DYNAMIC,
		      LEASE_TIME * 6 / 5, 0);
	renewing(&s, CL_A, IP(10, 0, 0, 50), S1);
	in_len = frame_build(&s, in, sizeof(in));
	asked0 = xdp_env_stat(&env, DX_STAT_EXTEND_ASKED);
	drain_events();
	t0 = boottime_ns();
	assert_int_equal(xdp_env_run(&env, in, in_len, out, &out_len, NULL),
			 XDP_TX);
	check_reply(c, &s, in, in_len, out, out_len);
	check_event(c, &s, t0);
	assert_int_equal(xdp_env_stat(&env, DX_STAT_EXTEND_ASKED), asked0 + 1);
	lease_entry_of(CL_A, 1, &l);
	assert_true(l.expires_ns >= t0 + (uint64_t)LEASE_TIME * SEC);

	/* 1.6 L covers the next renewal as well: no event */
	fixture_lease(CL_A, 1, IP(10, 0, 0, 50), DX_LEASE_F_DYNAMIC,
		      LEASE_TIME * 8 / 5, 0);
	out_len = sizeof(out);
	assert_int_equal(xdp_env_run(&env, in, in_len, out, &out_len, NULL),
			 XDP_TX);
	check_no_event();
	assert_int_equal(xdp_env_stat(&env, DX_STAT_EXTEND_ASKED), asked0 + 1);
	fixture_lease(CL_A, 1, IP(10, 0, 0, 50), DX_LEASE_F_DYNAMIC,
		      3 * LEASE_TIME, 0);
}

/* A renewal punted to the daemon (horizon too short) leaves the entry's
 * expiry alone: only an ACK sent from XDP writes it. */
static void punt_leaves_expiry(void **state)
{
	uint8_t in[FRAME_MAX], out[4096];
	size_t in_len, out_len = sizeof(out);
	struct frame_spec s;
	struct dx_lease before, after;

	(void)state;
	if (skip_reason)
		skip();
	lease_entry_of(CL_C, 1, &before);
	renewing(&s, CL_C, IP(10, 0, 0, 52), S1);
	in_len = frame_build(&s, in, sizeof(in));
	assert_int_equal(xdp_env_run(&env, in, in_len, out, &out_len, NULL),
			 XDP_PASS);
	lease_entry_of(CL_C, 1, &after);
	assert_memory_equal(&before, &after, sizeof(before));
}

/*
 * The ring buffer is advisory (docs/design.md §2): with it full, renewals are
 * still answered and the lost events counted.
 */
static void ack_with_full_ring(void **state)
{
	uint8_t in[FRAME_MAX], out[4096];
	struct frame_spec s;
	size_t in_len, out_len;
	uint64_t lost0;
	int verdict = 0, i;

	(void)state;
	if (skip_reason)
		skip();
	drain_events();
	/* a horizon that asks for an extension at every renewal */
	fixture_lease(CL_A, 1, IP(10, 0, 0, 50), DX_LEASE_F_DYNAMIC,
		      LEASE_TIME * 6 / 5, 0);
	renewing(&s, CL_A, IP(10, 0, 0, 50), S1);
	in_len = frame_build(&s, in, sizeof(in));
	lost0 = xdp_env_stat(&env, DX_STAT_EVENT_LOST);
	/* 1 MiB of ring holds fewer than 2^15 40-byte records. */
	for (i = 0; i < (1 << 15) + 16; i++) {
		out_len = sizeof(out);
		verdict = xdp_env_run(&env, in, in_len, out, &out_len, NULL);
		if (verdict != XDP_TX)
			break;
		if (xdp_env_stat(&env, DX_STAT_EVENT_LOST) > lost0 + 1)
			break;
	}
	assert_int_equal(verdict, XDP_TX);
	assert_true(xdp_env_stat(&env, DX_STAT_EVENT_LOST) > lost0);
	/* and the reply is still a correct ACK */
	out_len = sizeof(out);
	assert_int_equal(xdp_env_run(&env, in, in_len, out, &out_len, NULL),
			 XDP_TX);
	check_reply(&cases[0], &s, in, in_len, out, out_len);
	drain_events();
	fixture_lease(CL_A, 1, IP(10, 0, 0, 50), DX_LEASE_F_DYNAMIC,
		      3 * LEASE_TIME, 0);
}

int main(void)
{
	size_t n = sizeof(cases) / sizeof(cases[0]);
	struct CMUnitTest *tests = calloc(n + 3, sizeof(*tests));
	int ret;

	for (size_t i = 0; i < n; i++) {
		tests[i].name = cases[i].name;
		tests[i].test_func = run_case;
		tests[i].initial_state = (void *)&cases[i];
	}
	tests[n].name = "ack still sent with the event ring full";
	tests[n].test_func = ack_with_full_ring;
	tests[n + 1].name = "renewal asks for an extension only when the "
			    "next one would not fit";
	tests[n + 1].test_func = renewal_asks_for_extension;
	tests[n + 2].name = "a punted renewal leaves the lease entry alone";
	tests[n + 2].test_func = punt_leaves_expiry;
	ret = _cmocka_run_group_tests("xdp", tests, n + 3, group_setup,
				      group_teardown);
	free(tests);
	return ret;
}
