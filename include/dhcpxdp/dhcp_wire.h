/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * DHCPv4 wire constants shared by the XDP program and the daemon.
 * RFC 2131 (protocol), RFC 2132 (options), RFC 951 (BOOTP layout).
 */
#ifndef DHCPXDP_DHCP_WIRE_H
#define DHCPXDP_DHCP_WIRE_H

#define DHCP_SERVER_PORT 67
#define DHCP_CLIENT_PORT 68

/* BOOTP op (RFC 951) */
#define BOOTREQUEST 1
#define BOOTREPLY 2

#define DHCP_HTYPE_ETHER 1
#define DHCP_HLEN_ETHER 6

/* Fixed BOOTP header: op..file is 236 bytes, then the 4-byte magic cookie. */
#define DHCP_FIXED_LEN 236
#define DHCP_OPTIONS_OFFSET 240
#define DHCP_MAGIC_COOKIE 0x63825363U /* RFC 2131 §3, host order */
#define DHCP_CHADDR_LEN 16
#define DHCP_SNAME_LEN 64
#define DHCP_FILE_LEN 128
/* RFC 951: a BOOTP message is at least 300 bytes (64-byte vend area). */
#define DHCP_MIN_LEN 300
/*
 * RFC 2131 §2: a client must accept messages of up to 576 octets of IP
 * datagram, i.e. 548 bytes of DHCP payload after IP (20) and UDP (8).
 */
#define DHCP_MIN_MAX_MSG_SIZE 576
#define DHCP_IP_UDP_OVERHEAD 28

/* Byte offsets inside the BOOTP header. */
#define DHCP_OFF_OP 0
#define DHCP_OFF_HTYPE 1
#define DHCP_OFF_HLEN 2
#define DHCP_OFF_HOPS 3
#define DHCP_OFF_XID 4
#define DHCP_OFF_SECS 8
#define DHCP_OFF_FLAGS 10
#define DHCP_OFF_CIADDR 12
#define DHCP_OFF_YIADDR 16
#define DHCP_OFF_SIADDR 20
#define DHCP_OFF_GIADDR 24
#define DHCP_OFF_CHADDR 28
#define DHCP_OFF_SNAME 44
#define DHCP_OFF_FILE 108
#define DHCP_OFF_COOKIE 236

#define DHCP_FLAG_BROADCAST 0x8000 /* RFC 2131 §2, host order */

/* Option 53 message types (RFC 2132 §9.6). */
enum dhcp_msg_type {
	DHCPDISCOVER = 1,
	DHCPOFFER = 2,
	DHCPREQUEST = 3,
	DHCPDECLINE = 4,
	DHCPACK = 5,
	DHCPNAK = 6,
	DHCPRELEASE = 7,
	DHCPINFORM = 8,
};

/* Option codes (RFC 2132 unless noted). */
enum dhcp_option_code {
	DHCP_OPT_PAD = 0,
	DHCP_OPT_SUBNET_MASK = 1,
	DHCP_OPT_TIME_OFFSET = 2,
	DHCP_OPT_ROUTER = 3,
	DHCP_OPT_DNS_SERVERS = 6,
	DHCP_OPT_HOST_NAME = 12,
	DHCP_OPT_DOMAIN_NAME = 15,
	DHCP_OPT_INTERFACE_MTU = 26,
	DHCP_OPT_BROADCAST = 28,
	DHCP_OPT_NTP_SERVERS = 42,
	DHCP_OPT_VENDOR_SPECIFIC = 43,
	DHCP_OPT_REQUESTED_IP = 50,
	DHCP_OPT_LEASE_TIME = 51,
	DHCP_OPT_OVERLOAD = 52,
	DHCP_OPT_MSG_TYPE = 53,
	DHCP_OPT_SERVER_ID = 54,
	DHCP_OPT_PARAM_REQUEST = 55,
	DHCP_OPT_MESSAGE = 56,
	DHCP_OPT_MAX_MSG_SIZE = 57,
	DHCP_OPT_RENEWAL_TIME = 58,
	DHCP_OPT_REBINDING_TIME = 59,
	DHCP_OPT_VENDOR_CLASS = 60,
	DHCP_OPT_CLIENT_ID = 61,
	DHCP_OPT_FQDN = 81,		/* RFC 4702 */
	DHCP_OPT_RELAY_AGENT_INFO = 82, /* RFC 3046 */
	DHCP_OPT_SUBNET_SELECTION = 118, /* RFC 3011 */
	DHCP_OPT_DOMAIN_SEARCH = 119,	/* RFC 3397 */
	DHCP_OPT_CLASSLESS_ROUTE = 121, /* RFC 3442 */
	DHCP_OPT_VIVSO = 125,		/* RFC 3925 §4 */
	DHCP_OPT_END = 255,
};

/* Option 52 values (RFC 2132 §9.3). */
#define DHCP_OVERLOAD_FILE 1
#define DHCP_OVERLOAD_SNAME 2
#define DHCP_OVERLOAD_BOTH 3

/* Option 82 sub-options (RFC 3046 §2.0). */
#define RFC3046_SUBOPT_CIRCUIT_ID 1 /* §2.1 */
#define RFC3046_SUBOPT_REMOTE_ID 2  /* §2.2 */
#define RFC3527_SUBOPT_LINK_SELECTION 5 /* RFC 3527 §3 */

#endif /* DHCPXDP_DHCP_WIRE_H */
