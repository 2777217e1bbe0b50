/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * One line per lease event the daemon decided (docs/logging.md). A grant,
 * renewal, release or decline is noted when its changes join a commit
 * batch and written only when that batch is durable and its replies are
 * sent: a batch rolled back leaves no line, and INFO lines come no faster
 * than commits. Renewals XDP answers never reach the daemon.
 */
#ifndef DHCPXDP_LEASE_LOG_H
#define DHCPXDP_LEASE_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dhcp_msg;
struct dx_lease_op;
struct engine_result;

#define LEASE_LOG_CID_MAX  32 /* client-id bytes shown */
#define LEASE_LOG_NAME_MAX 64 /* hostname bytes shown */

struct lease_event {
	uint8_t kind; /* enum lease_event_kind (lease_log.c) */
	uint8_t mac[6];
	uint8_t cid_len, circuit_len, remote_len;
	uint8_t cid[LEASE_LOG_CID_MAX];
	uint8_t circuit[LEASE_LOG_CID_MAX]; /* option 82 sub-option 1 */
	uint8_t remote[LEASE_LOG_CID_MAX];  /* option 82 sub-option 2 */
	char hostname[LEASE_LOG_NAME_MAX];
	uint32_t addr, subnet_id, lifetime, giaddr, xid;
};

/* The events of one commit batch, in arrival order. keep: gathered even
 * when INFO lines are off (the lease history and legal log use them). */
struct lease_events {
	struct lease_event *ev;
	size_t n, cap;
	bool keep;
};

/* enum lease_event_kind of lease_log.c, for the event's other readers. */
bool lease_event_is_grant(const struct lease_event *e);
bool lease_event_is_renewal(const struct lease_event *e);
bool lease_event_is_release(const struct lease_event *e);

/*
 * Note what request m and its result r do to a lease, if anything worth
 * a line; probation is the decline probation in seconds. Without memory
 * the line is lost, not the reply.
 */
void lease_events_note(struct lease_events *l, const struct dhcp_msg *m,
		       const struct engine_result *r, uint32_t probation);
/* The batch is durable and its replies sent: one line each, then reset. */
void lease_events_flush(struct lease_events *l);
/* The grant of (subnet_id, addr) lost its row to another server: it
 * did not happen (claims.h). */
void lease_events_forget(struct lease_events *l, uint32_t subnet_id,
			 uint32_t addr);
/* The batch was rolled back: nothing happened. */
void lease_events_drop(struct lease_events *l);
void lease_events_free(struct lease_events *l);

/* Reclaims (EXPIRED rows) and removed rows among a durable batch's ops. */
void lease_log_ops(const struct dx_lease_op *ops, size_t n);
/* Replies that leave at once: OFFERs (DEBUG) and NAKs (INFO, bounded). */
void lease_log_reply(const struct dhcp_msg *m, const struct engine_result *r,
		     int64_t now_mono);

#endif /* DHCPXDP_LEASE_LOG_H */
