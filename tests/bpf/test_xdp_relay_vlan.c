// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The XDP table (xdp_table.h), addressing: the network and subnet a frame
 * selects and where its reply goes. Answers on a VLAN keep the tag;
 * QinQ (802.1ad S-tag + 802.1Q C-tag) frames select the network of the
 * pair and keep both tags; a lone S-tag, two C-tags or three tags are
 * not a network; relayed requests (a listed relay, or the subnet's own
 * prefix) are
 * answered to the relay, within the size option 57 allows; an unknown
 * VLAN or relay, a VLAN without a subnet, a subnet with the fast path
 * disabled, a reply over the size limit, and a frame sent to an address
 * or MAC not ours on the arrival network are passed up untouched with
 * the right counter. Option 82 is echoed unchanged as the last option
 * (RFC 3046 §2.2), at either parity after 61; one too long or malformed,
 * link selection (RFC 3527), subnet selection (RFC 3011) and a circuit
 * id in a subnet with circuit-id reservations are passed up.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <linux/bpf.h>
#include <cmocka.h>
#include <dhcpxdp/dhcp_wire.h>
#include "frame.h"
#include "xdp_table.h"

static const uint8_t relay_mac[6] = {0x02, 0x0e, 0, 0, 0, 0x01};

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
/* A relayed renewal as relays send it: to our address at our MAC. */
static void b_relay_listed_renew(struct frame_spec *s)
{
	b_relay_prefix_renew(s);
	relayed(s, IP(192, 168, 5, 1));
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
/* A relayed REBINDING (RFC 2131 §4.3.2: ciaddr, broadcast, no 50 or
 * 54) with the relay's option 82 as the last option before END. */
static void rebinding82(struct frame_spec *s, enum client c, uint32_t ciaddr,
			uint8_t len, const void *ri)
{
	req_base(s, c, DHCPREQUEST);
	s->ciaddr = ciaddr;
	opt_add(s, DHCP_OPT_MAX_MSG_SIZE, 2, "\x05\xdc");
	opt_add(s, DHCP_OPT_RELAY_AGENT_INFO, len, ri);
	opt_end(s);
	relayed(s, IP(192, 168, 5, 1));
}
/* circuit id "port", remote id "relay-a" */
#define RI_STD "\x01\x04port\x02\x07relay-a"
static void b_opt82(struct frame_spec *s)
{
	rebinding82(s, CL_G, IP(172, 16, 0, 30), 15, RI_STD);
}
/* 61 of odd length puts 82 at an odd offset; of even length, even. */
static void b_opt82_cid_odd(struct frame_spec *s)
{
	req_base(s, CL_GR, DHCPDISCOVER);
	opt_add(s, DHCP_OPT_MAX_MSG_SIZE, 2, "\x04\x00");
	opt_add(s, DHCP_OPT_CLIENT_ID, 7, "\x01\x02\xaa\x00\x00\x00\x08");
	opt_add(s, DHCP_OPT_RELAY_AGENT_INFO, 15, RI_STD);
	opt_end(s);
	relayed(s, IP(192, 168, 5, 1));
}
static void b_opt82_cid_even(struct frame_spec *s)
{
	req_base(s, CL_GR, DHCPDISCOVER);
	opt_add(s, DHCP_OPT_MAX_MSG_SIZE, 2, "\x04\x00");
	opt_add(s, DHCP_OPT_CLIENT_ID, 8, "\x00host-gr");
	opt_add(s, DHCP_OPT_RELAY_AGENT_INFO, 9,
		"\x01\x03odd\x02\x02"
		"ab");
	opt_end(s);
	relayed(s, IP(192, 168, 5, 1));
}
/* Option 57 of 600 (RFC 2132 §9.10): subnet 3's reply fits without 82
 * (564 bytes of DHCP payload), not with it. */
static void b_57_600(struct frame_spec *s)
{
	req_base(s, CL_G, DHCPREQUEST);
	s->ciaddr = IP(172, 16, 0, 30);
	opt_add(s, DHCP_OPT_MAX_MSG_SIZE, 2, "\x02\x58");
	opt_end(s);
	relayed(s, IP(192, 168, 5, 1));
}
static void b_opt82_57_600(struct frame_spec *s)
{
	req_base(s, CL_G, DHCPREQUEST);
	s->ciaddr = IP(172, 16, 0, 30);
	opt_add(s, DHCP_OPT_MAX_MSG_SIZE, 2, "\x02\x58");
	opt_add(s, DHCP_OPT_RELAY_AGENT_INFO, 15, RI_STD);
	opt_end(s);
	relayed(s, IP(192, 168, 5, 1));
}
/* One sub-option of `len` bytes in all, remote id filled with its index. */
static void ri_fill(uint8_t *ri, size_t len)
{
	ri[0] = RFC3046_SUBOPT_REMOTE_ID;
	ri[1] = (uint8_t)(len - 2);
	for (size_t i = 2; i < len; i++)
		ri[i] = (uint8_t)i;
}
static void b_opt82_max(struct frame_spec *s)
{
	uint8_t ri[DX_RELAY_INFO_MAX];

	ri_fill(ri, sizeof(ri));
	rebinding82(s, CL_G, IP(172, 16, 0, 30), sizeof(ri), ri);
}
static void b_opt82_long(struct frame_spec *s)
{
	uint8_t ri[DX_RELAY_INFO_MAX + 1];

	ri_fill(ri, sizeof(ri));
	rebinding82(s, CL_G, IP(172, 16, 0, 30), sizeof(ri), ri);
}
/* The remote id claims more bytes than 82 holds. */
static void b_opt82_bad_subopt(struct frame_spec *s)
{
	rebinding82(s, CL_G, IP(172, 16, 0, 30), 8, "\x01\x04port\x02\x05");
}
static void b_opt82_link_selection(struct frame_spec *s)
{
	rebinding82(s, CL_G, IP(172, 16, 0, 30), 12,
		    "\x01\x04port\x05\x04\xac\x10\x00\x00");
}
static void b_subnet_selection(struct frame_spec *s)
{
	req_base(s, CL_G, DHCPREQUEST);
	s->ciaddr = IP(172, 16, 0, 30);
	opt_add_ip(s, DHCP_OPT_SUBNET_SELECTION, IP(172, 16, 0, 0));
	opt_end(s);
	relayed(s, IP(192, 168, 5, 1));
}
/* Subnet 5 has circuit-id reservations: with a circuit id, the daemon
 * decides; with only a remote id, XDP renews. */
static void b_circuit_res(struct frame_spec *s)
{
	rebinding82(s, CL_G, IP(172, 17, 0, 30), 15, RI_STD);
	relayed(s, IP(192, 168, 6, 1));
}
static void b_circuit_res_remote_only(struct frame_spec *s)
{
	rebinding82(s, CL_G, IP(172, 17, 0, 30), 9, "\x02\x07relay-a");
	relayed(s, IP(192, 168, 6, 1));
}
/* A relay whose helper address is another of the host's addresses (our
 * address on VLAN 100) reaching us untagged: the daemon answers it. */
static void b_relay_other_addr(struct frame_spec *s)
{
	b_relay_prefix_renew(s);
	s->dst_ip = IP(10, 1, 0, 1);
}
static void b_relay_other_mac(struct frame_spec *s)
{
	b_relay_prefix_renew(s);
	memcpy(s->dst_mac, relay_mac, 6);
	s->dst_mac[5] = 0x02; /* the next relay on a shared segment */
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
	s->dst_ip = IP(10, 3, 0, 1); /* our address on VLAN 300 */
}
/* A tagged renewal to our address on another VLAN. */
static void b_vlan_other_addr(struct frame_spec *s)
{
	b_vlan_renew(s);
	s->dst_ip = IP(10, 4, 0, 1);
}
/* QinQ (IEEE 802.1ad): S-tag and C-tag together name the network. */
static void b_qinq_prio(struct frame_spec *s)
{
	b_qinq_renew(s);
	s->svlan = 200 | (3 << 13);
	s->vlan = 100 | (6 << 13);
}
static void b_qinq_unknown_outer(struct frame_spec *s)
{
	b_qinq_renew(s);
	s->svlan = 201;
}
static void b_qinq_unknown_inner(struct frame_spec *s)
{
	b_qinq_renew(s);
	s->vlan = 101;
}
/* S-tag 100 + C-tag 0 (priority-tagged): no C-VLAN to key on. */
static void b_qinq_prio_tagged(struct frame_spec *s)
{
	b_qinq_renew(s);
	s->svlan = 100;
	s->vlan = 0;
}
/* A lone S-tag 100: not VLAN 100 (a C-VLAN), nothing served. */
static void m_stag_alone(uint8_t *f, size_t *len)
{
	(void)len;
	f[12] = 0x88;
	f[13] = 0xa8;
}
/* Two C-tags (0x8100 0x8100): the outer is not an S-tag. */
static void m_two_ctags(uint8_t *f, size_t *len)
{
	(void)len;
	f[12] = 0x81;
	f[13] = 0x00;
}
/* An S-tag, a C-tag and a third tag before IPv4. */
static void m_three_tags(uint8_t *f, size_t *len)
{
	(void)len;
	f[20] = 0x81;
	f[21] = 0x00;
}
static void b_subnet_disabled(struct frame_spec *s)
{
	renewing(s, CL_D, IP(10, 4, 0, 9), IP(10, 4, 0, 1));
	s->vlan = 200;
}

static const struct xdp_case cases[] = {
	/* answers */
	TX("ack vlan-tagged renewal keeps the tag", b_vlan_renew, DHCPACK,
	   IP(10, 1, 0, 20), 1, TO_CIADDR),
	TX("ack vlan with priority bits", b_vlan_prio_reboot, DHCPACK,
	   IP(10, 1, 0, 20), 1, TO_CHADDR),
	TX("ack relayed via listed relay, big options, 57=1500", b_relay_reboot,
	   DHCPACK, IP(172, 16, 0, 30), 2, TO_RELAY),
	TX("ack relayed via subnet prefix", b_relay_prefix_renew, DHCPACK,
	   IP(172, 16, 0, 30), 2, TO_RELAY),
	TX("ack relayed renewal to our address at our MAC",
	   b_relay_listed_renew, DHCPACK, IP(172, 16, 0, 30), 2, TO_RELAY),
	TX("ack qinq renewal keeps both tags", b_qinq_renew, DHCPACK,
	   IP(10, 1, 0, 20), 1, TO_CIADDR),
	TX("ack qinq with priority bits in both tags", b_qinq_prio, DHCPACK,
	   IP(10, 1, 0, 20), 1, TO_CIADDR),
	TXR("offer relayed reservation", b_relay_discover_gr, DHCPOFFER,
	    IP(172, 16, 0, 40), 2, TO_RELAY),
	TX("ack relayed rebinding, 82 echoed last", b_opt82, DHCPACK,
	   IP(172, 16, 0, 30), 2, TO_RELAY),
	TXR("offer, 61 of odd length then 82", b_opt82_cid_odd, DHCPOFFER,
	    IP(172, 16, 0, 40), 2, TO_RELAY),
	TXR("offer, 61 of even length then 82", b_opt82_cid_even, DHCPOFFER,
	    IP(172, 16, 0, 40), 2, TO_RELAY),
	TX("ack, 82 of the longest length echoed", b_opt82_max, DHCPACK,
	   IP(172, 16, 0, 30), 2, TO_RELAY),
	TX("ack, remote id only in a subnet with circuit-id reservations",
	   b_circuit_res_remote_only, DHCPACK, IP(172, 17, 0, 30), 7, TO_RELAY),

	TX("ack within 57=600 without 82", b_57_600, DHCPACK,
	   IP(172, 16, 0, 30), 2, TO_RELAY),

	/* passed up */
	PASS("82 pushes the reply past 57=600", b_opt82_57_600, NULL, TOO_BIG),
	PASS("82 longer than DX_RELAY_INFO_MAX", b_opt82_long, NULL,
	     RELAY_INFO),
	PASS("82 with a sub-option past its end", b_opt82_bad_subopt, NULL,
	     RELAY_INFO),
	PASS("82 with link selection (RFC 3527)", b_opt82_link_selection, NULL,
	     LINK_SELECTION),
	PASS("subnet selection (118, RFC 3011)", b_subnet_selection, NULL,
	     LINK_SELECTION),
	PASS("circuit id in a subnet with circuit-id reservations",
	     b_circuit_res, NULL, CIRCUIT_ID_RES),
	PASS("relayed to another of our addresses", b_relay_other_addr, NULL,
	     OTHER_HOST),
	PASS("relayed to another host's MAC", b_relay_other_mac, NULL,
	     OTHER_HOST),
	PASS("vlan renewal to our address on another vlan", b_vlan_other_addr,
	     NULL, OTHER_HOST),
	PASS("unknown vlan", b_vlan_unknown, NULL, NO_NETWORK),
	PASS("qinq: unserved S-tag", b_qinq_unknown_outer, NULL, NO_NETWORK),
	PASS("qinq: served S-tag, unserved C-tag", b_qinq_unknown_inner, NULL,
	     NO_NETWORK),
	PASS("qinq: priority-tagged C-tag", b_qinq_prio_tagged, NULL, NOT_DHCP),
	PASS("lone 802.1ad tag", b_vlan_renew, m_stag_alone, NOT_DHCP),
	PASS("two 802.1Q tags", b_qinq_renew, m_two_ctags, NOT_DHCP),
	PASS("three tags", b_qinq_renew, m_three_tags, NOT_DHCP),
	PASS("vlan with an address but no subnet", b_vlan_no_subnet, NULL,
	     NO_SUBNET),
	PASS("unknown relay", b_relay_unknown, NULL, NO_SUBNET),
	PASS("subnet with fast path disabled", b_subnet_disabled, NULL,
	     SUBNET_OFF),
	PASS("reply over 576 without 57", b_relay_too_big, NULL, TOO_BIG),
	PASS("reply over 576 with 57 below the floor", b_relay_57_small, NULL,
	     TOO_BIG),
};

/*
 * A subnet whose replies client classes could change: the renewal the
 * first case answers is passed up untouched, counted as
 * punt_client_classes; with the flag cleared it is answered again.
 */
static void class_flag_punts(void **state)
{
	uint8_t in[FRAME_MAX], out[4096];
	size_t in_len, out_len = sizeof(out);
	struct frame_spec s;
	uint64_t before;

	(void)state;
	if (xdp_table_skip_reason)
		skip();
	b_vlan_renew(&s);
	in_len = frame_build(&s, in, sizeof(in));
	assert_true(in_len > 0);
	fixture_subnet_flags(1, DX_SUBNET_F_CLASSES);
	before = xdp_env_stat(&xdp_table_env, DX_STAT_PUNT_CLASSES);
	assert_int_equal(
		xdp_env_run(&xdp_table_env, in, in_len, out, &out_len, NULL),
		XDP_PASS);
	assert_int_equal(xdp_env_stat(&xdp_table_env, DX_STAT_PUNT_CLASSES),
			 before + 1);
	assert_int_equal(out_len, in_len);
	assert_memory_equal(out, in, in_len);
	fixture_subnet_flags(1, 0);
	out_len = sizeof(out);
	assert_int_equal(
		xdp_env_run(&xdp_table_env, in, in_len, out, &out_len, NULL),
		XDP_TX);
	drain_events();
}

int main(void)
{
	const struct CMUnitTest more[] = {
		cmocka_unit_test(class_flag_punts),
	};

	return xdp_table_run("xdp_relay_vlan", cases,
			     sizeof(cases) / sizeof(cases[0]), more,
			     sizeof(more) / sizeof(more[0]));
}
