/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Counters kept by the XDP program per CPU, one slot each.
 * The punt reasons say why a packet went to the slow path (XDP_PASS);
 * `dhcpxdp stats` prints them by the names in dx_stat_names.
 */
#ifndef DHCPXDP_STATS_H
#define DHCPXDP_STATS_H

#define DX_STATS(X)                                                          \
	X(PACKETS, "packets", "frames seen by the XDP program")              \
	X(DHCP, "dhcp_requests", "well-formed BOOTREQUESTs to port 67")      \
	X(ACK, "ack", "DHCPACKs sent from XDP")                              \
	X(OFFER, "offer", "DHCPOFFERs sent from XDP")                        \
	X(ACK_RENEWAL, "ack_renewal", "ACKs for dynamic-lease renewals")     \
	X(ACK_RESERVED, "ack_reserved", "ACKs for reservations")             \
	X(EXTEND_ASKED, "extend_asked", "renewals that asked for a horizon extension") \
	X(EVENT_LOST, "events_lost", "renewal events dropped, ring full")    \
	X(DROP_RATE_CLIENT, "drop_rate_client",                              \
	  "requests dropped: their client's rate limit exceeded")            \
	X(DROP_RATE_NETWORK, "drop_rate_network",                            \
	  "requests dropped: their network's rate limit exceeded")           \
	X(DROP_RATE_RELAY, "drop_rate_relay",                                \
	  "requests dropped: their relay's rate limit exceeded")             \
	X(DROP_RATE_CIRCUIT_ID, "drop_rate_circuit_id",                      \
	  "requests dropped: their relay circuit's rate limit exceeded")     \
	X(PUNT_NOT_DHCP, "punt_not_dhcp", "not IPv4/UDP to port 67")         \
	X(PUNT_TRUNCATED, "punt_truncated", "frame ends inside a header")    \
	X(PUNT_BAD_IP, "punt_bad_ip", "bad IPv4 header (IHL, length)")       \
	X(PUNT_IP_FRAGMENT, "punt_ip_fragment", "IPv4 fragment")             \
	X(PUNT_IP_OPTIONS, "punt_ip_options", "IPv4 header with options")    \
	X(PUNT_BAD_UDP, "punt_bad_udp", "UDP length inconsistent")           \
	X(PUNT_BAD_IP_CSUM, "punt_bad_ip_csum", "IPv4 header checksum wrong") \
	X(PUNT_NOT_REQUEST, "punt_not_bootrequest", "op is not BOOTREQUEST") \
	X(PUNT_BAD_HW, "punt_bad_hw", "htype/hlen not Ethernet")             \
	X(PUNT_BAD_COOKIE, "punt_bad_cookie", "magic cookie missing")        \
	X(PUNT_BAD_OPTIONS, "punt_bad_options", "options do not walk to END") \
	X(PUNT_OVERLOAD, "punt_overload", "option overload (52) present")    \
	X(PUNT_NO_MSG_TYPE, "punt_no_msg_type", "no valid option 53")        \
	X(PUNT_MSG_TYPE, "punt_msg_type", "message type handled by daemon")  \
	X(PUNT_RELAY_INFO, "punt_relay_info",                                \
	  "relay agent info (82) too long or its sub-options malformed")     \
	X(PUNT_LINK_SELECTION, "punt_link_selection",                        \
	  "link selection (82.5) or subnet selection (118)")                 \
	X(PUNT_NO_NETWORK, "punt_no_network", "interface/VLAN not served")  \
	X(PUNT_OTHER_HOST, "punt_other_host", "dst neither ours nor broadcast") \
	X(PUNT_NO_SUBNET, "punt_no_subnet", "no subnet for network/giaddr")  \
	X(PUNT_SUBNET_OFF, "punt_subnet_disabled", "fast path off for subnet") \
	X(PUNT_CIRCUIT_ID_RES, "punt_circuit_id_reservation",                \
	  "circuit id of a reservation the daemon answers")                  \
	X(PUNT_CLASSES, "punt_client_classes", "client classes may change the reply") \
	X(PUNT_NO_LEASE, "punt_no_lease", "no lease or reservation")         \
	X(PUNT_POOL_OPTIONS, "punt_pool_options", "address in a pool with its own options") \
	X(PUNT_DISCOVER, "punt_discover", "DISCOVER without reservation, or with ciaddr")    \
	X(PUNT_NO_ADDR, "punt_no_requested_addr", "REQUEST names no address") \
	X(PUNT_ADDR_MISMATCH, "punt_addr_mismatch", "asks another address")  \
	X(PUNT_SERVER_ID, "punt_server_id", "server id is not ours")         \
	X(PUNT_CLIENT_ID, "punt_client_id", "client id differs from lease")  \
	X(PUNT_CLIENT_ID_LONG, "punt_client_id_long", "client id too long")  \
	X(PUNT_HORIZON, "punt_horizon", "lease not durable long enough")     \
	X(PUNT_EXPIRED, "punt_lease_expired", "lease past its expiry in the map") \
	X(PUNT_TOO_BIG, "punt_too_big", "reply exceeds max message size")    \
	X(PUNT_ADJUST, "punt_adjust_tail", "could not resize the frame")

#define DX_STAT_ENUM(id, name, help) DX_STAT_##id,
enum dx_stat {
	DX_STATS(DX_STAT_ENUM) DX_STAT_MAX
};
#undef DX_STAT_ENUM

/* dx_stats: a per-CPU array of one entry holding every counter, so the
 * program finds all of them with a single lookup per packet. */
struct dx_stats {
	__u64 counters[DX_STAT_MAX];
};

#endif /* DHCPXDP_STATS_H */
