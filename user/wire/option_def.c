// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * DHCPv4 option definitions (the encoder of option-data text is in
 * option_encode.c).
 *
 * The table follows Kea's STANDARD_V4_OPTION_DEFINITIONS (names, codes,
 * types, array flags) so a Kea operator's option-data works unchanged;
 * classless-static-route (RFC 3442) is added with Kea's text format.
 * 43 is binary here (hex data); its sub-options, and 125's, are composed
 * by the configuration (config/option_compose.c) from option-def's
 * definitions, laid out by vendor_opts.c.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dhcpxdp/dhcp_wire.h"
#include "wire/option_def.h"

#define T(x) OPT_TYPE_##x

static const enum option_type slp_da_fields[] = {T(BOOLEAN), T(IPV4)};
static const enum option_type slp_scope_fields[] = {T(BOOLEAN), T(STRING)};
static const enum option_type fqdn_fields[] = {T(UINT8), T(UINT8), T(UINT8),
					       T(FQDN)};
static const enum option_type ndi_fields[] = {T(UINT8), T(UINT8), T(UINT8)};
static const enum option_type uuid_fields[] = {T(UINT8), T(BINARY)};
static const enum option_type vivco_fields[] = {T(UINT32), T(BINARY)};
static const enum option_type rdnss_fields[] = {T(UINT8), T(IPV4), T(IPV4),
						T(FQDN)};
static const enum option_type status_fields[] = {T(UINT8), T(STRING)};
/* Kea's definition: offset, then its psid type (RFC 7618 §3.1). */
static const enum option_type portparams_fields[] = {T(UINT8), T(PSID)};
static const enum option_type sixrd_fields[] = {T(UINT8), T(UINT8), T(IPV6),
						T(IPV4)};

#define N_(n, c, t, a)                                         \
	{                                                      \
		.name = n, .code = c, .type = T(t), .array = a \
	}
#define PAIRS_(n, c)                                                  \
	{                                                             \
		.name = n, .code = c, .type = T(IPV4), .array = true, \
		.pairs = true                                         \
	}
#define REC_(n, c, f, a)                                             \
	{                                                            \
		.name = n, .code = c, .type = T(RECORD), .array = a, \
		.fields = f, .n_fields = sizeof(f) / sizeof(f[0])    \
	}

/* Ordered by code, so option_def_by_code can stop early. */
static const struct option_def std_defs[] = {
	N_("subnet-mask", 1, IPV4, false),
	N_("time-offset", 2, INT32, false),
	N_("routers", 3, IPV4, true),
	N_("time-servers", 4, IPV4, true),
	N_("name-servers", 5, IPV4, true),
	N_("domain-name-servers", 6, IPV4, true),
	N_("log-servers", 7, IPV4, true),
	N_("cookie-servers", 8, IPV4, true),
	N_("lpr-servers", 9, IPV4, true),
	N_("impress-servers", 10, IPV4, true),
	N_("resource-location-servers", 11, IPV4, true),
	N_("host-name", 12, STRING, false),
	N_("boot-size", 13, UINT16, false),
	N_("merit-dump", 14, STRING, false),
	N_("domain-name", 15, STRING, false),
	N_("swap-server", 16, IPV4, false),
	N_("root-path", 17, STRING, false),
	N_("extensions-path", 18, STRING, false),
	N_("ip-forwarding", 19, BOOLEAN, false),
	N_("non-local-source-routing", 20, BOOLEAN, false),
	PAIRS_("policy-filter", 21),
	N_("max-dgram-reassembly", 22, UINT16, false),
	N_("default-ip-ttl", 23, UINT8, false),
	N_("path-mtu-aging-timeout", 24, UINT32, false),
	N_("path-mtu-plateau-table", 25, UINT16, true),
	N_("interface-mtu", 26, UINT16, false),
	N_("all-subnets-local", 27, BOOLEAN, false),
	N_("broadcast-address", 28, IPV4, false),
	N_("perform-mask-discovery", 29, BOOLEAN, false),
	N_("mask-supplier", 30, BOOLEAN, false),
	N_("router-discovery", 31, BOOLEAN, false),
	N_("router-solicitation-address", 32, IPV4, false),
	PAIRS_("static-routes", 33),
	N_("trailer-encapsulation", 34, BOOLEAN, false),
	N_("arp-cache-timeout", 35, UINT32, false),
	N_("ieee802-3-encapsulation", 36, BOOLEAN, false),
	N_("default-tcp-ttl", 37, UINT8, false),
	N_("tcp-keepalive-interval", 38, UINT32, false),
	N_("tcp-keepalive-garbage", 39, BOOLEAN, false),
	N_("nis-domain", 40, STRING, false),
	N_("nis-servers", 41, IPV4, true),
	N_("ntp-servers", 42, IPV4, true),
	N_("vendor-encapsulated-options", 43, BINARY, false),
	N_("netbios-name-servers", 44, IPV4, true),
	N_("netbios-dd-server", 45, IPV4, true),
	N_("netbios-node-type", 46, UINT8, false),
	N_("netbios-scope", 47, STRING, false),
	N_("font-servers", 48, IPV4, true),
	N_("x-display-manager", 49, IPV4, true),
	N_("dhcp-requested-address", 50, IPV4, false),
	N_("dhcp-lease-time", 51, UINT32, false),
	N_("dhcp-option-overload", 52, UINT8, false),
	N_("dhcp-message-type", 53, UINT8, false),
	N_("dhcp-server-identifier", 54, IPV4, false),
	N_("dhcp-parameter-request-list", 55, UINT8, true),
	N_("dhcp-message", 56, STRING, false),
	N_("dhcp-max-message-size", 57, UINT16, false),
	N_("dhcp-renewal-time", 58, UINT32, false),
	N_("dhcp-rebinding-time", 59, UINT32, false),
	N_("vendor-class-identifier", 60, STRING, false),
	N_("dhcp-client-identifier", 61, BINARY, false),
	N_("nwip-domain-name", 62, STRING, false),
	N_("nwip-suboptions", 63, BINARY, false),
	N_("nisplus-domain-name", 64, STRING, false),
	N_("nisplus-servers", 65, IPV4, true),
	N_("tftp-server-name", 66, STRING, false),
	N_("boot-file-name", 67, STRING, false),
	N_("mobile-ip-home-agent", 68, IPV4, true),
	N_("smtp-server", 69, IPV4, true),
	N_("pop-server", 70, IPV4, true),
	N_("nntp-server", 71, IPV4, true),
	N_("www-server", 72, IPV4, true),
	N_("finger-server", 73, IPV4, true),
	N_("irc-server", 74, IPV4, true),
	N_("streettalk-server", 75, IPV4, true),
	N_("streettalk-directory-assistance-server", 76, IPV4, true),
	N_("user-class", 77, BINARY, false),
	REC_("slp-directory-agent", 78, slp_da_fields, true),
	REC_("slp-service-scope", 79, slp_scope_fields, false),
	REC_("fqdn", 81, fqdn_fields, false),
	N_("dhcp-agent-options", 82, EMPTY, false),
	N_("nds-servers", 85, IPV4, true),
	N_("nds-tree-name", 86, STRING, false),
	N_("nds-context", 87, STRING, false),
	N_("bcms-controller-names", 88, FQDN, true),
	N_("bcms-controller-address", 89, IPV4, true),
	N_("authenticate", 90, BINARY, false),
	N_("client-last-transaction-time", 91, UINT32, false),
	N_("associated-ip", 92, IPV4, true),
	N_("client-system", 93, UINT16, true),
	REC_("client-ndi", 94, ndi_fields, false),
	REC_("uuid-guid", 97, uuid_fields, false),
	N_("uap-servers", 98, STRING, false),
	N_("geoconf-civic", 99, BINARY, false),
	N_("pcode", 100, STRING, false),
	N_("tcode", 101, STRING, false),
	N_("v6-only-preferred", 108, UINT32, false),
	N_("netinfo-server-address", 112, IPV4, true),
	N_("netinfo-server-tag", 113, STRING, false),
	N_("v4-captive-portal", 114, STRING, false),
	N_("auto-config", 116, UINT8, false),
	N_("name-service-search", 117, UINT16, true),
	N_("subnet-selection", 118, IPV4, false),
	N_("domain-search", 119, FQDN, true),
	N_("classless-static-route", 121, CLASSLESS, false),
	REC_("vivco-suboptions", 124, vivco_fields, false),
	N_("vivso-suboptions", 125, UINT32, false),
	N_("pana-agent", 136, IPV4, true),
	N_("v4-lost", 137, FQDN, false),
	N_("capwap-ac-v4", 138, IPV4, true),
	N_("sip-ua-cs-domains", 141, FQDN, true),
	N_("v4-sztp-redirect", 143, TUPLE, true),
	REC_("rdnss-selection", 146, rdnss_fields, true),
	REC_("status-code", 151, status_fields, false),
	N_("base-time", 152, UINT32, false),
	N_("start-time-of-state", 153, UINT32, false),
	N_("query-start-time", 154, UINT32, false),
	N_("query-end-time", 155, UINT32, false),
	N_("dhcp-state", 156, UINT8, false),
	N_("data-source", 157, UINT8, false),
	REC_("v4-portparams", 159, portparams_fields, false),
	N_("v4-dnr", 162, DNR4, false),
	REC_("option-6rd", 212, sixrd_fields, true),
	N_("v4-access-domain", 213, FQDN, false),
};

#define N_DEFS (sizeof(std_defs) / sizeof(std_defs[0]))

const struct option_def *option_def_by_name(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < N_DEFS; i++)
		if (!strcmp(std_defs[i].name, name))
			return &std_defs[i];
	return NULL;
}

const struct option_def *option_def_by_code(uint8_t code)
{
	for (size_t i = 0; i < N_DEFS && std_defs[i].code <= code; i++)
		if (std_defs[i].code == code)
			return &std_defs[i];
	return NULL;
}

const char *option_type_name(enum option_type type)
{
	switch (type) {
	case T(EMPTY):
		return "empty";
	case T(BINARY):
		return "binary";
	case T(BOOLEAN):
		return "boolean";
	case T(UINT8):
		return "uint8";
	case T(UINT16):
		return "uint16";
	case T(UINT32):
		return "uint32";
	case T(INT8):
		return "int8";
	case T(INT16):
		return "int16";
	case T(INT32):
		return "int32";
	case T(IPV4):
		return "ipv4-address";
	case T(IPV6):
		return "ipv6-address";
	case T(STRING):
		return "string";
	case T(FQDN):
		return "fqdn";
	case T(TUPLE):
	case T(TUPLE1):
		return "tuple";
	case T(RECORD):
		return "record";
	case T(CLASSLESS):
		return "classless-routes";
	case T(PSID):
		return "psid";
	case T(DNR4):
		return "internal";
	}
	return "unknown";
}

int option_type_by_name(const char *name, enum option_type *out)
{
	static const enum option_type kea[] = {
		T(EMPTY), T(BINARY), T(BOOLEAN), T(UINT8), T(UINT16), T(UINT32),
		T(INT8),  T(INT16),  T(INT32),	 T(IPV4),  T(IPV6),   T(STRING),
		T(FQDN),  T(TUPLE1), T(RECORD),	 T(PSID),
	};

	if (!name || !out)
		return -EINVAL;
	for (size_t i = 0; i < sizeof(kea) / sizeof(kea[0]); i++)
		if (!strcmp(option_type_name(kea[i]), name)) {
			*out = kea[i];
			return 0;
		}
	return -EINVAL;
}

/*
 * Options the server owns. Letting option-data set them would contradict
 * what the protocol engine computes (lease time, T1/T2, server id) or
 * what belongs to the client or relay (RFC 2131 §4.3.1 table 3).
 */
static const struct {
	uint8_t code;
	const char *why;
} refused[] = {
	{DHCP_OPT_PAD, "PAD is not an option"},
	{DHCP_OPT_REQUESTED_IP, "it is sent by clients, never by a server"},
	{DHCP_OPT_LEASE_TIME, "the server sets it: use valid-lifetime"},
	{DHCP_OPT_OVERLOAD, "the server decides on option overload"},
	{DHCP_OPT_MSG_TYPE, "the server sets the message type"},
	{DHCP_OPT_SERVER_ID,
	 "the server sets it to the address of the receiving interface"},
	{DHCP_OPT_PARAM_REQUEST, "it is sent by clients, never by a server"},
	{DHCP_OPT_MAX_MSG_SIZE, "it is sent by clients, never by a server"},
	{DHCP_OPT_RENEWAL_TIME, "the server sets it: use renew-timer"},
	{DHCP_OPT_REBINDING_TIME, "the server sets it: use rebind-timer"},
	{DHCP_OPT_CLIENT_ID,
	 "it is the client's; the server echoes it back (RFC 6842)"},
	{DHCP_OPT_RELAY_AGENT_INFO,
	 "relay agents add it; the server echoes it back (RFC 3046)"},
	{DHCP_OPT_END, "END is not an option"},
};

int option_code_check(uint8_t code, char *err, size_t errlen)
{
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		if (refused[i].code != code)
			continue;
		const struct option_def *def = option_def_by_code(code);
		if (err && errlen) {
			if (def)
				snprintf(err, errlen,
					 "option %u '%s' cannot be set in "
					 "option-data: %s",
					 code, def->name, refused[i].why);
			else
				snprintf(err, errlen,
					 "option %u cannot be set in "
					 "option-data: %s",
					 code, refused[i].why);
		}
		return -EPERM;
	}
	return 0;
}
