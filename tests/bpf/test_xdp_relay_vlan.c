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
 * disabled, option 82, a reply over the size limit, and a frame sent to
 * an address or MAC not ours on the arrival network are passed up
 * untouched with the right counter.
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
static void b_opt82(struct frame_spec *s)
{
	req_base(s, CL_G, DHCPREQUEST);
	s->ciaddr = IP(172, 16, 0, 30);
	opt_add(s, DHCP_OPT_RELAY_AGENT_INFO, 6, "\x01\x04port");
	opt_end(s);
	relayed(s, IP(192, 168, 5, 1));
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

	/* passed up */
	PASS("relay agent information (82)", b_opt82, NULL, RELAY_INFO),
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

int main(void)
{
	return xdp_table_run("xdp_relay_vlan", cases,
			     sizeof(cases) / sizeof(cases[0]), NULL, 0);
}
