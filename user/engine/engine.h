/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The DHCPv4 protocol engine (RFC 2131): a decoded request, the state and
 * the time in; a reply, lease-database operations and XDP lease-map
 * operations out. No I/O, no clock, no sockets, no maps, no SQLite: the
 * caller (the daemon) supplies `now` (wall-clock unix seconds) and carries
 * the changes out:
 *
 *   1. collect res.ops of many requests into one lease_db_commit_ops()
 *      (group commit), in the order they were produced;
 *   2. once that commit is durable, apply res.map to the XDP lease map
 *      (converting `horizon` to CLOCK_BOOTTIME), in order;
 *   3. only then send the replies (an ACK never leaves before its lease is
 *      durable, docs/design.md §2).
 *
 * res.ch is to be committed and applied whatever res.action says (a
 * DECLINE or RELEASE has changes and no reply; a dropped request normally
 * has none).
 *
 * The engine's memory is updated at once (it is "ahead" of the database
 * until the commit). A failed commit never leads to one address granted to
 * two clients: memory only ever holds more addresses taken than the
 * database, and rows are keyed by (subnet, address), so a later grant of
 * an address overwrites any stale row for it. See docs/protocol.md.
 *
 * The engine keeps pointers into the configuration (reply options point
 * into it): the config must outlive the engine. Not thread-safe: one owner.
 */
#ifndef DHCPXDP_ENGINE_H
#define DHCPXDP_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wire/dhcp_msg.h"
#include "engine/lease.h"

struct dx_config;
struct engine;

/* What to do with a request. */
enum engine_action {
	ENGINE_REPLY = 1,  /* encode and send res.reply (after the commit) */
	ENGINE_SILENT = 2, /* handled (DECLINE, RELEASE): nothing to send */
	ENGINE_DROP = 3,   /* not handled: no reply, count res.drop_reason */
};

/* Why a request was dropped (ENGINE_DROP), for the daemon's counters. */
enum engine_drop_reason {
	ENGINE_DROP_NONE = 0,
	ENGINE_DROP_MALFORMED,	    /* not a usable DHCP request (see .c) */
	ENGINE_DROP_UNSUPPORTED,    /* BOOTP (no option 53) */
	ENGINE_DROP_NO_SUBNET,	    /* giaddr / interface maps to no subnet */
	ENGINE_DROP_NOT_FOR_US,	    /* option 54 names another server */
	ENGINE_DROP_POOL_EXHAUSTED, /* DISCOVER, no free address */
	ENGINE_DROP_UNKNOWN_CLIENT, /* INIT-REBOOT, no record (§4.3.2) */
	ENGINE_DROP_NO_LEASE,	    /* RELEASE for no lease of this client */
	ENGINE_DROP_NO_MEMORY, /* allocation failed (commit res.ch anyway) */
	/* DECLINE of an address that is not this client's ACTIVE lease
	 * (merely offered, someone else's, unknown): RFC 2131 §3.1.5 */
	ENGINE_DROP_DECLINE_NOT_LEASED,
	/* INFORM whose ciaddr is outside the request's subnet (§4.3.5) */
	ENGINE_DROP_WRONG_NETWORK,
	/* a new offer or lease past max-leases-per-circuit-id (RFC 3046) */
	ENGINE_DROP_CAP_CIRCUIT_ID,
	/* a new offer or lease past max-relay-share-percent */
	ENGINE_DROP_CAP_RELAY_SHARE,
	/* REQUEST for an address of the subnet outside every pool that
	 * nobody holds, server not authoritative (Kea) */
	ENGINE_DROP_UNKNOWN_ADDRESS,
	/* in the scope of the high-availability partner, which answers it
	 * (Kea's HA load balancing, RFC 3074) */
	ENGINE_DROP_HA_SCOPE,
	__ENGINE_DROP_MAX,
};

/* Name of a drop reason ("pool-exhausted", ...), for logs and metrics. */
const char *engine_drop_reason_name(int reason);

/*
 * One change to the XDP lease map, key (subnet_id, mac) (docs/design.md §4).
 * UPSERT: write {addr, flags, client_id_hash, horizon}. DELETE: remove the
 * entry only if it still maps to `addr` (a newer lease of the same chaddr,
 * e.g. another client-id behind the same MAC, must survive).
 */
enum engine_map_kind {
	ENGINE_MAP_UPSERT = 1,
	ENGINE_MAP_DELETE = 2,
};

struct engine_map_op {
	int kind; /* enum engine_map_kind */
	uint32_t subnet_id;
	uint8_t mac[6];
	uint32_t addr; /* host order */
	/*
	 * DX_LEASE_F_DYNAMIC (abi.h). The engine never emits reservations:
	 * the daemon installs them from the configuration (docs/protocol.md).
	 */
	uint32_t flags;
	uint64_t client_id_hash; /* FNV-1a 64 of option 61 (abi.h), 0 = none */
	int64_t horizon;	 /* wall clock, unix seconds */
	int64_t expires;	 /* wall clock: end of the lease granted */
	/*
	 * UPSERT of an entry XDP may be renewing while it is replaced: the
	 * subnet's lease time (seconds), else 0. A renewal that read the old
	 * entry writes its expiry into the element being replaced, and that
	 * write is lost; it granted no later than the time of the write plus
	 * this lease time (plus ENGINE_MAP_GRACE). The entry written says so
	 * (map_sync.c, docs/design.md §2).
	 */
	uint32_t renew_bound;
};

/*
 * Seconds between the moment the lease map says a lease ended and the
 * moment the daemon may reclaim it (and the slack a rewrite of an entry
 * adds, above). Far longer than one run of the XDP program: a renewal
 * that read the entry before its expiry has written its new expiry by
 * then, so the daemon reading the entry later sees it (docs/design.md §2).
 */
#define ENGINE_MAP_GRACE 2

/* Most operations one request produces (the grant + cleaning up older ones). */
#define ENGINE_MAX_OPS 4

/*
 * A name change request (Kea's NCR, sent to a kea-dhcp-ddns server that
 * updates DNS as RFC 4703 describes): add the A and/or PTR RRs of a lease
 * granted, or remove those of a lease that ended. Produced only with
 * dhcp-ddns.enable-updates on, for a subnet whose ddns-send-updates is
 * true (engine_ddns.c); the daemon sends them (daemon/ddns.h).
 */
enum engine_ncr_kind {
	ENGINE_NCR_ADD = 0,    /* D2's change-type 0 */
	ENGINE_NCR_REMOVE = 1, /* D2's change-type 1 */
};
#define ENGINE_NCR_FQDN_MAX 254 /* with its final dot */
#define ENGINE_DHCID_LEN    35	/* RFC 4701 §3.3 with SHA-256 */
struct engine_ncr {
	uint8_t kind;	       /* enum engine_ncr_kind */
	bool fwd, rev;	       /* A RR, PTR RR */
	uint8_t conflict_mode; /* enum dx_ddns_conflict (config.h) */
	uint32_t addr;	       /* host order */
	char fqdn[ENGINE_NCR_FQDN_MAX + 1];
	uint8_t dhcid[ENGINE_DHCID_LEN];
	int64_t expires; /* wall clock: end of the lease */
	uint32_t ttl;	 /* of the RRs (D2's lease-length) */
};
/* Removes of leases ended while granting one, its remove and add. */
#define ENGINE_MAX_NCR (ENGINE_MAX_OPS + 2)

/* The changes of one request or one renewal note. */
struct engine_changes {
	struct dx_lease_op ops[ENGINE_MAX_OPS]; /* commit these, in order */
	size_t n_ops;
	struct engine_map_op map[ENGINE_MAX_OPS]; /* then apply these */
	size_t n_map;
	/* then send these (daemon/ddns.h) */
	struct engine_ncr ncr[ENGINE_MAX_NCR];
	size_t n_ncr;
};

/* Where the request came from, resolved by the daemon. */
struct engine_rx {
	/*
	 * The arrival network - (interface, VLAN) - is one the daemon
	 * serves, as a key of XDP's dx_networks is. Nothing that arrives on
	 * another is taken up, whatever its giaddr or ciaddr say
	 * (docs/design.md §1).
	 */
	bool served;
	/* The subnet bound to that network, 0 = none (relays only). */
	uint32_t direct_subnet_id;
	/* Our IPv4 on that interface (option 54), host order; not 0. */
	uint32_t server_id;
	/*
	 * The request was sent to one of our unicast addresses (IP
	 * destination not 255.255.255.255). A unicast request with ciaddr
	 * and no giaddr (RENEWING, RELEASE, INFORM of a client behind a
	 * relay) on a served network is placed in the subnet holding
	 * ciaddr.
	 */
	bool unicast;
};

/* How a DISCOVER found an address in a dry pool (docs/protocol.md,
 * "Starvation"), for the daemon's logs. */
enum engine_starve {
	ENGINE_STARVE_NONE = 0,
	ENGINE_STARVE_TAKEN_OVER = 1, /* another client's held offer */
	ENGINE_STARVE_RECLAIMED = 2,  /* a declined address, probation ended */
};

/* Room for a reply's options merged with its classes' (codes are
 * unique in the merge, so 255 at most). */
#define ENGINE_CLASS_OPTS 256

struct engine_result {
	int action;	    /* enum engine_action */
	int drop_reason;    /* enum engine_drop_reason when ENGINE_DROP */
	uint32_t subnet_id; /* selected subnet, 0 if none */
	int req_state;	    /* enum engine_req_state, for REQUESTs (logs) */
	int starve;	    /* enum engine_starve, for an OFFER */
	/*
	 * For ENGINE_REPLY: msg_type OFFER, ACK or NAK. The daemon
	 * broadcasts a NAK unless relayed (RFC 2131 §4.1). reply.opts points
	 * into the engine (valid until engine_free).
	 */
	struct dhcp_reply reply;
	struct engine_changes ch;
	/* reply.opts points here when client classes added options
	 * (engine_class.c): valid as long as this result. */
	struct dhcp_opt class_opts[ENGINE_CLASS_OPTS];
	/* The value of option 81 or 12 the reply carries (engine_ddns.c),
	 * pointed at from class_opts. */
	uint8_t name_opt[3 + 256];
};

/* REQUEST states told apart as RFC 2131 §4.3.2 says. */
enum engine_req_state {
	ENGINE_REQ_NONE = 0,
	ENGINE_REQ_SELECTING,	/* 54 present */
	ENGINE_REQ_INIT_REBOOT, /* no 54, ciaddr 0, 50 present */
	/* No 54, ciaddr set: RENEWING (unicast) or REBINDING (broadcast),
	 * decided alike; only the subnet choice differs (engine_rx). */
	ENGINE_REQ_RENEWING,
};

/*
 * Build the engine for cfg: pools for every subnet (reservations and the
 * configured interface addresses excluded from them), reservation
 * indexes, per-subnet reply option lists. -EINVAL, -ENOMEM.
 */
int engine_new(const struct dx_config *cfg, struct engine **out);
/*
 * High availability (config/ha.c): whether the partner is down, so that
 * this server answers its scope too (the daemon decides it from the
 * partner's heartbeat; engine/ha_scope.c). Off at start.
 */
void engine_ha_set_partner_down(struct engine *e, bool down);
bool engine_ha_partner_down(const struct engine *e);
/*
 * Kea's maintenance (ha-maintenance-start): the server asked to stand
 * aside answers no scope; the one that asked answers every scope,
 * whatever auto-failover says (nobody failed).
 */
enum engine_ha_maintenance {
	ENGINE_HA_NO_MAINTENANCE = 0,
	ENGINE_HA_IN_MAINTENANCE,
	ENGINE_HA_PARTNER_IN_MAINTENANCE,
};
void engine_ha_set_maintenance(struct engine *e, enum engine_ha_maintenance m);
/* Kea's ha-scopes: serve exactly these scopes (bit i: cfg->ha.peers[i])
 * until engine_ha_unforce(), which the daemon calls on the next change
 * of state, as Kea's next transition overrides the command. */
void engine_ha_force_scopes(struct engine *e, uint32_t scopes);
void engine_ha_unforce(struct engine *e);
/* Does this server answer scope (an index of cfg->ha.peers) now? */
bool engine_ha_serves(const struct engine *e, int scope);
void engine_free(struct engine *e);

/*
 * Load one persisted lease at start-up (rows of lease_db_load()).
 *  ACTIVE:   the address is taken by its client until engine_expire()
 *            reclaims it: past the later of `expires` and the lease map's
 *            expiry, or past the horizon when the map cannot tell
 *            (docs/design.md §2).
 *  DECLINED: out of circulation until `expires` (end of probation).
 *  RELEASED / EXPIRED: free; remembered as the client's sticky address.
 * If map is not NULL it receives the lease-map entry to install for an
 * ACTIVE lease (map->kind 0 otherwise) - or, when the lease's client has
 * a reservation in the subnet now, an ENGINE_MAP_DELETE of its dynamic
 * entry (the client is to get its reservation, not keep this lease). -ENOENT for an unknown subnet,
 * -EEXIST if the address was already loaded, -EINVAL for a bad row.
 */
int engine_load_lease(struct engine *e, const struct dx_lease_rec *rec,
		      int64_t now, struct engine_map_op *map);

/*
 * Handle one decoded request (RFC 2131 §4.3). Always fills res; returns 0,
 * or -EINVAL for NULL arguments. What is due at `now` and not reclaimed
 * yet (engine_expire()) ends first, a little per request: res.ch may then
 * also hold the end of another entry (a probation's row deleted, a
 * lease's row EXPIRED and its map entry deleted). A lease whose expiry
 * has passed but not its horizon needs the lease map's word, which only
 * engine_expire() is given: it is left to the daemon's next expiry run.
 */
int engine_handle(struct engine *e, const struct dhcp_msg *req,
		  const struct engine_rx *rx, int64_t now,
		  struct engine_result *res);

/* Caller-provided room for a batch of changes (expiry). */
struct engine_batch {
	struct dx_lease_op *ops;   /* cap entries */
	struct engine_map_op *map; /* cap entries */
	size_t cap;
	size_t n_ops, n_map; /* appended to, not reset */
	/* cap entries, or NULL: the removes of the leases ended (DNS
	 * updates on) are not wanted */
	struct engine_ncr *ncr;
	size_t n_ncr;
};

/*
 * The lease map's word on one lease (docs/design.md §2). Every ACK XDP
 * sends writes the expiry it granted into the client's entry, but XDP
 * reports only the renewals that need a horizon extension, so the engine
 * does not know when a lease it holds really ends; the map does, as long
 * as its entry has seen every grant of the lease.
 *
 * expiry(arg, subnet_id, mac, addr, &expires): 0 with *expires the end of
 * the latest grant the entry of (subnet_id, mac) records for the lease of
 * address addr, in wall-clock seconds rounded up (never earlier than the
 * real end); a negative errno (-ENOENT) when the map cannot tell: no
 * entry, an entry for another address or a reservation, or one whose
 * earlier grants were on a map since lost (DX_LEASE_F_UNTRACKED). The
 * daemon reads the map there and then (kernel/lease_view.h); the engine
 * does no I/O of its own.
 */
struct engine_map_reader {
	int (*expiry)(void *arg, uint32_t subnet_id, const uint8_t mac[6],
		      uint32_t addr, int64_t *expires);
	void *arg;
};

/*
 * Reclamation (docs/design.md §2). An ACTIVE lease is looked at
 * ENGINE_MAP_GRACE seconds after its `expires`. If its horizon has not
 * passed, the map is asked (mr; NULL: no map, the map cannot tell):
 *  - it tells a later expiry: the lease's `expires` moves there (and
 *    engine_lease_lookup() shows it), and it is looked at again
 *    ENGINE_MAP_GRACE seconds after that;
 *  - it tells none later, and the grace has passed: reclaimed;
 *  - it cannot tell: kept until the second after max(expires, horizon),
 *    as XDP may have renewed it up to the horizon.
 * Past max(expires, horizon) a lease is reclaimed without asking. A
 * reclaimed lease becomes EXPIRED (row kept for stickiness, address back
 * to the pool, map entry deleted). Declined addresses whose probation
 * ended (expires <= now: free at its end, not a second later) go back to
 * the pool (row deleted); held offers whose hold ended (at its end too)
 * are dropped (no changes). Stops when the batch is full. Returns the
 * number of entries ended (0 when nothing is due or every due lease lives
 * on), or a negative errno. engine_handle() ends what is due by itself
 * too, so the daemon's timer does not delay a free address.
 */
int engine_expire(struct engine *e, int64_t now,
		  const struct engine_map_reader *mr, struct engine_batch *b);

/* The earliest time engine_expire() will have something to do, or
 * INT64_MAX if nothing is pending (for the daemon's timer). */
int64_t engine_next_deadline(const struct engine *e);

/*
 * Horizon extension (docs/design.md §2): XDP renewed (subnet, mac, addr) at
 * `now` until `granted_until` (both wall clock, converted by the daemon).
 * If that is still this client's ACTIVE lease and the address is still
 * valid for it, produce an UPSERT with expires = max(expires,
 * granted_until), horizon = max(horizon, now + factor x valid) and the map
 * update. Returns 0 (changes in *out, reset first), -ENOENT (no such
 * lease: nothing to do), -EPERM (the address is no longer valid for the
 * client: not extended, the lease will run out), -EINVAL.
 */
int engine_note_renewal(struct engine *e, uint32_t subnet_id,
			const uint8_t mac[6], uint32_t addr, int64_t now,
			int64_t granted_until, struct engine_changes *out);

/*
 * What the engine holds for (subnet, addr): the entry as a lease row
 * (state ACTIVE/RELEASED/DECLINED/EXPIRED, or LT_STATE_OFFERED 0x80 for a
 * held offer). For the control socket (who holds an address). -ENOENT
 * when the engine knows nothing of the address, -EINVAL.
 */
int engine_lease_lookup(const struct engine *e, uint32_t subnet_id,
			uint32_t addr, struct dx_lease_rec *out);
/*
 * The address of the persisted row of the client with this chaddr on this
 * subnet: an ACTIVE one first, then the most recently seen (as
 * lease_db_get_by_mac, without reading the database). -ENOENT, -EINVAL.
 */
int engine_lease_by_mac(const struct engine *e, uint32_t subnet_id,
			const uint8_t mac[6], uint32_t *addr);

/*
 * Delete the persisted lease of (subnet, addr) on an operator's request
 * (the control socket's lease4-del, as Kea's): the row is deleted (not
 * kept as EXPIRED: the client's sticky memory goes too), the entry leaves
 * the lease table, the address goes back to the pool at once - whatever
 * its durable horizon says: the operator asked for it - and an ACTIVE
 * lease's lease-map entry is deleted. A DECLINED address leaves probation.
 * out receives one DX_LEASE_OP_DELETE and, for an ACTIVE lease, one
 * ENGINE_MAP_DELETE (reset first): commit, then apply, as always.
 * Returns 0, -ENOENT (no persisted row for it: nothing known, or only a
 * held offer), -EINVAL.
 */
int engine_lease_delete(struct engine *e, uint32_t subnet_id, uint32_t addr,
			struct engine_changes *out);

/*
 * A reload builds a new engine from the database: carry into it what the
 * rows do not hold - which relay (giaddr) and circuit (option 82
 * circuit-id) each lease came through, counted by the caps
 * (docs/protocol.md, "Starvation") - for the leases `to` holds ACTIVE at
 * the same address. Held offers are not carried (a reload drops them).
 * Without memory some leases are left uncounted (the caps then err
 * toward serving).
 */
void engine_carry_relay_counts(struct engine *to, const struct engine *from);

/*
 * Take a lease handed over by the operator (lease4-add: a lease brought
 * across from another server): rec is ACTIVE or DECLINED, ends after now,
 * and horizon >= expires. Taken as engine_load_lease() takes a row, once
 * the address is held by no one (a sticky free entry gives way) and, for
 * an ACTIVE lease, is not excluded from this client and the client holds
 * no other address in the subnet. out receives the row's UPSERT and the
 * lease-map entry (reset first): commit, then apply; on a failed commit,
 * engine_lease_delete() takes it back. Returns 0, -ENOENT (no such
 * subnet), -EEXIST (the address is held), -EPERM (excluded: another
 * client's reservation, our own address), -EBUSY (the client holds
 * another address here), -EINVAL, -ENOMEM.
 */
int engine_lease_add(struct engine *e, const struct dx_lease_rec *rec,
		     int64_t now, struct engine_changes *out);

/*
 * Several servers on one lease database (docs/design.md, "Several nodes
 * on one PostgreSQL"): the database holds row (NULL: no row) for
 * (subnet_id, addr), written by another server - or it kept that row
 * when a grant of ours lost to it (lease_db_commit_claim). The engine's
 * entry becomes the row, as engine_load_lease() takes a row: an ACTIVE
 * row is its client's lease, the address out of the pool; a free row
 * (RELEASED, EXPIRED) or none gives the address back. A held offer gives
 * way to a row that holds the address (the client's REQUEST is then
 * NAKed, §4.3.2) and stays over a free one. out receives lease-map
 * changes only (reset first): a delete of the entry's former map entry,
 * an upsert of the row's lease - marked DX_LEASE_F_UNTRACKED, its
 * horizon the row's: this server's XDP may renew it that far. Nothing is
 * to be committed. Returns 0, -EALREADY (the entry is the row already),
 * -ENOENT (no such subnet), -EINVAL, -ENOMEM.
 */
int engine_lease_sync(struct engine *e, uint32_t subnet_id, uint32_t addr,
		      const struct dx_lease_rec *row, int64_t now,
		      struct engine_changes *out);

/* Per-subnet statistics for `dhcpxdp status`. */
struct engine_subnet_stats {
	uint32_t subnet_id;
	/* Pool addresses (pool.h): used counts leases and held offers. */
	uint64_t total, used, free, declined, reserved;
	uint64_t offers, acks, naks, declines, releases, informs;
	uint64_t pool_exhausted;
	uint64_t leases_active; /* dynamic ACTIVE entries, in or out of pool */
	/* starvation defenses (docs/protocol.md) */
	uint64_t offers_pressure;    /* OFFERs held the short hold */
	uint64_t offers_taken_over;  /* held offers given to another client */
	uint64_t declined_reclaimed; /* probations ended to offer the address */
};

size_t engine_subnet_count(const struct engine *e);
/* Stats of the i-th subnet (configuration order). -ENOENT past the end. */
int engine_subnet_stats(const struct engine *e, size_t i,
			struct engine_subnet_stats *out);
/*
 * The options a lease reply of this subnet carries (option 1 from the
 * prefix unless configured, then option-data), for pre-encoding the XDP
 * subnets map from the same list. Valid until engine_free. -ENOENT.
 */
int engine_subnet_opts(const struct engine *e, uint32_t subnet_id,
		       const struct dhcp_opt **opts, size_t *n);
/* Drops by reason (no subnet needed), index enum engine_drop_reason. */
uint64_t engine_drops(const struct engine *e, int reason);

#endif /* DHCPXDP_ENGINE_H */
