// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The XDP table (xdp_table.h), frames passed up for parse reasons: each
 * a valid renewal broken in one place (truncated headers, IP and UDP
 * lengths, the IP header checksum, fragments, other protocols and ports,
 * BOOTP header fields, the option walk, option lengths, the message
 * type), or cut or rewritten after serialisation. The program must pass
 * the frame up untouched and count it under the right reason.
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
#define BAD_LEN(code, len)                                     \
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
/* An IPv4 header field was rewritten: its checksum made right again, so
 * that the frame is broken in that one place only. */
static void fix_ip_csum(uint8_t *f, size_t l2)
{
	uint16_t c;

	f[l2 + 10] = 0;
	f[l2 + 11] = 0;
	c = inet_csum(f + l2, 20, 0);
	f[l2 + 10] = c >> 8;
	f[l2 + 11] = c & 0xff;
}
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
	fix_ip_csum(f, 14);
}
static void m_cut_bootp(uint8_t *f, size_t *len)
{
	*len = 14 + 20 + 8 + 100;
	f[16] = 0;
	f[17] = 128;
	fix_ip_csum(f, 14);
	f[38] = 0;
	f[39] = 108;
}
static void m_ip_len_long(uint8_t *f, size_t *len)
{
	uint16_t v = (uint16_t)(*len - 14 + 10);

	f[16] = v >> 8;
	f[17] = v & 0xff;
	fix_ip_csum(f, 14);
}
static void m_ip_len_short(uint8_t *f, size_t *len)
{
	(void)len;
	f[16] = 0;
	f[17] = 19;
	fix_ip_csum(f, 14);
}
/* One bit of the header checksum flipped: never a valid sum again (a
 * change by 2^k, k < 16, is not a multiple of 0xffff). */
static void m_ip_csum(uint8_t *f, size_t *len)
{
	(void)len;
	f[14 + 11] ^= 0x01;
}
static void m_ip_csum_vlan(uint8_t *f, size_t *len)
{
	(void)len;
	f[18 + 11] ^= 0x01;
}
/* The TTL damaged on the way, the checksum left as the sender wrote it. */
static void m_ip_ttl_damaged(uint8_t *f, size_t *len)
{
	(void)len;
	f[14 + 8] ^= 0x10;
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

static const struct xdp_case cases[] = {
	PASS("ethernet header only", b_valid, m_eth_only, TRUNCATED),
	PASS("truncated vlan tag", b_vlan_renew, m_cut_vlan, TRUNCATED),
	PASS("truncated ip header", b_valid, m_cut_ip, TRUNCATED),
	PASS("truncated udp header", b_valid, m_cut_udp, TRUNCATED),
	PASS("truncated bootp header", b_valid, m_cut_bootp, TRUNCATED),
	PASS("ihl 4", b_ihl4, NULL, BAD_IP),
	PASS("ihl 6 (ip options)", b_ihl6, NULL, IP_OPTIONS),
	PASS("ip total length past the frame", b_valid, m_ip_len_long, BAD_IP),
	PASS("ip total length below header", b_valid, m_ip_len_short, BAD_IP),
	PASS("ip header checksum wrong", b_valid, m_ip_csum, BAD_IP_CSUM),
	PASS("ip header checksum wrong, vlan-tagged", b_vlan_renew,
	     m_ip_csum_vlan, BAD_IP_CSUM),
	PASS("ip header damaged, checksum stale", b_valid, m_ip_ttl_damaged,
	     BAD_IP_CSUM),
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
	PASS("code byte is the last byte", b_code_byte_last, NULL, BAD_OPTIONS),
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

int main(void)
{
	return xdp_table_run("xdp_malformed", cases,
			     sizeof(cases) / sizeof(cases[0]), NULL, 0);
}
