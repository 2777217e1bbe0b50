/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The daemon's own counters (the XDP program keeps its own, stats.h), in
 * one list: the struct, the control socket's keys (`dhcpxdp status`) and
 * the Prometheus metrics (dhcpxdp_daemon_<metric>_total) all come from it.
 *
 * X(field, control key, metric name, help)
 */
#ifndef DHCPXDP_DAEMON_COUNTERS_H
#define DHCPXDP_DAEMON_COUNTERS_H

#include <stdint.h>

#define DAEMON_COUNTERS(X)                                                  \
	X(rx_frames, "rx-frames", "rx_frames",                              \
	  "Frames read from the packet sockets")                            \
	X(rx_socket_drops, "rx-socket-drops", "rx_socket_drops",            \
	  "Frames the kernel dropped because a packet socket's queue was "  \
	  "full (the daemon fell behind)")                                  \
	X(rx_malformed_frame, "rx-malformed-frames", "rx_malformed_frames", \
	  "Frames whose Ethernet, IPv4 or UDP framing was unusable")        \
	X(rx_malformed_dhcp, "rx-malformed-dhcp", "rx_malformed_dhcp",      \
	  "Frames whose DHCP message did not parse")                        \
	X(rx_discover, "rx-discover", "rx_discover",                        \
	  "DHCPDISCOVERs the daemon received")                              \
	X(rx_request, "rx-request", "rx_request",                           \
	  "DHCPREQUESTs the daemon received")                               \
	X(rx_decline, "rx-decline", "rx_decline",                           \
	  "DHCPDECLINEs the daemon received")                               \
	X(rx_release, "rx-release", "rx_release",                           \
	  "DHCPRELEASEs the daemon received")                               \
	X(rx_inform, "rx-inform", "rx_inform",                              \
	  "DHCPINFORMs the daemon received")                                \
	X(rx_offer, "rx-offer", "rx_offer",                                 \
	  "DHCPOFFERs (server messages) received and dropped")              \
	X(rx_ack, "rx-ack", "rx_ack",                                       \
	  "DHCPACKs (server messages) received and dropped")                \
	X(rx_nak, "rx-nak", "rx_nak",                                       \
	  "DHCPNAKs (server messages) received and dropped")                \
	X(rx_unknown, "rx-unknown", "rx_unknown",                           \
	  "Messages without a known DHCP message type (BOOTP, type 9 and "  \
	  "up)")                                                            \
	X(replies_sent, "replies-sent", "replies_sent",                     \
	  "Replies sent by the daemon")                                     \
	X(send_errors, "send-errors", "send_errors",                        \
	  "Replies the packet socket failed to send")                       \
	X(offers, "offers", "offers", "DHCPOFFERs from the daemon")         \
	X(acks, "acks", "acks", "DHCPACKs from the daemon")                 \
	X(naks, "naks", "naks", "DHCPNAKs from the daemon")                 \
	X(silent, "handled-silently", "handled_silently",                   \
	  "Requests handled with no reply (DECLINE, RELEASE)")              \
	X(drops, "drops", "drops",                                          \
	  "Requests dropped by the engine (by reason: "                     \
	  "dhcpxdp_engine_drops_total)")                                    \
	X(commits, "commits", "commits", "Lease database commits")          \
	X(commit_errors, "commit-errors", "commit_errors",                  \
	  "Lease database commits that failed")                             \
	X(replies_withheld, "replies-withheld", "replies_withheld",         \
	  "Replies not sent because their lease was not durable")           \
	X(claims_lost, "claims-lost", "claims_lost",                        \
	  "Lease writes that found the address another server's client's "  \
	  "(several servers on one database): NAKed, not ACKed")            \
	X(claims_sync_failed, "claims-sync-failed", "claims_sync_failed",   \
	  "Rows that won over a lost lease write and could not be read")    \
	X(peer_rows, "peer-rows", "peer_rows",                              \
	  "Lease rows another server changed, taken into the engine")       \
	X(rx_db_down, "rx-db-down", "rx_db_down",                           \
	  "Frames dropped unread while the lease database was unreachable " \
	  "(on-fail stop-retry-exit)")                                     \
	X(map_errors, "map-errors", "map_errors",                           \
	  "BPF lease-map updates that failed")                              \
	X(renew_events, "xdp-renewal-events", "xdp_renewal_events",         \
	  "Horizon-extension requests read from the XDP program's ring "    \
	  "buffer")                                                         \
	X(horizons_extended, "horizons-extended", "horizons_extended",      \
	  "Leases whose durable horizon was extended")                      \
	X(renewals_refused, "renewals-refused", "renewals_refused",         \
	  "XDP renewals the engine no longer considered valid")             \
	X(leases_expired, "leases-expired", "leases_expired",               \
	  "Leases reclaimed after they expired")                            \
	X(ddns_queued, "ddns-queued", "ddns_queued",                        \
	  "Name change requests queued for kea-dhcp-ddns (dhcp-ddns)")      \
	X(ddns_sent, "ddns-sent", "ddns_sent",                              \
	  "Name change requests sent to kea-dhcp-ddns")                     \
	X(ddns_dropped, "ddns-dropped", "ddns_dropped",                     \
	  "Name change requests dropped: the queue was full "               \
	  "(max-queue-size)")                                               \
	X(ddns_send_errors, "ddns-send-errors", "ddns_send_errors",         \
	  "Name change requests the UDP socket failed to send")

struct daemon_counters {
#define DAEMON_COUNTER_FIELD(f, k, m, h) uint64_t f;
	DAEMON_COUNTERS(DAEMON_COUNTER_FIELD)
#undef DAEMON_COUNTER_FIELD
};

#define DAEMON_COUNTER_ONE(f, k, m, h) +1
enum { DAEMON_N_COUNTERS = 0 DAEMON_COUNTERS(DAEMON_COUNTER_ONE) };
#undef DAEMON_COUNTER_ONE

#endif /* DHCPXDP_DAEMON_COUNTERS_H */
