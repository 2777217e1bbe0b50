/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The engine's private structures and the functions its files share. Not
 * for use outside user/engine: the daemon, the kernel glue and the tests
 * see the engine through engine.h only.
 *
 * Files, one concern each:
 *   engine_build.c     engine_new/engine_free: subnets, pools, reservations
 *   engine_subnet.c    the subnet of a request (subnet_*), subnet options
 *   engine_network.c   the subnet of a request within its shared network
 *   engine_class.c     client classes: the request's, the subnet and pool
 *                      restrictions, the options they add (class_*)
 *   engine_client.c    the client behind a request (client_*)
 *   engine_lease.c     lease transitions and the changes they emit (lease_*)
 *   engine_handle.c    engine_handle(): checks and dispatch by message type
 *   engine_discover.c  DISCOVER (RFC 2131 §4.3.1)
 *   engine_request.c   REQUEST (RFC 2131 §4.3.2)
 *   engine_notify.c    DECLINE, RELEASE, INFORM (RFC 2131 §4.3.3 - §4.3.5)
 *   engine_load.c      leases loaded from the database at start-up
 *   engine_expire.c    expiry, the next deadline, XDP renewal notes
 *   engine_control.c   lease lookup/delete, statistics, drop counters
 *   engine_starve.c    pool pressure: short holds, offers taken over,
 *                      declined addresses reclaimed (starve_*)
 *   engine_relay_cap.c caps per relay circuit and per relay (rcap_*)
 *   cand_heap.c        the per-subnet candidates engine_starve.c takes
 *   client_name.c      the host name a lease keeps: the client's sanitized,
 *                      replaced or generated, qualified (client_name_*)
 *   engine_ddns.c      DNS updates: option 81 and 12 in replies, the name
 *                      change requests of grants and ends (ddns_*)
 *   ha_scope.c         a high-availability pair's scopes: the RFC 3074
 *                      hash, which this server answers (ha_*)
 */
#ifndef DHCPXDP_ENGINE_INTERNAL_H
#define DHCPXDP_ENGINE_INTERNAL_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "classify/classify.h"
#include "config/config.h"
#include "engine/cand_heap.h"
#include "engine/engine.h"
#include "engine/lease_table.h"
#include "engine/pool.h"
#include "wire/client_fqdn.h"

/* Set on an offer that took over another client's sticky row. */
#define LT_F_OFFER_REPLACED 0x40
/* Set on an offer held the short hold (made under pressure). */
#define LT_F_OFFER_SHORT 0x20

/* Entries of one client we look at (more is a database oddity). */
#define CLIENT_MAX_LEASES 8

struct eng_res {
	const struct dx_reservation_conf *conf;
	struct dhcp_opt
		*opts; /* subnet options overridden by the reservation's */
	size_t n_opts;
	/* The subnet's boot fields, the reservation's own on top. */
	struct dx_bootp_conf bootp;
	/* Its hostname qualified and lower-cased, as option 12 carries it
	 * (client_name_reserved()); NULL without one. */
	char *hostname;
};

/* A pool with option-data of its own: the subnet's options, each code the
 * pool sets replaced (Kea: pool over subnet). */
struct eng_opt_pool {
	uint32_t start, end;
	struct dhcp_opt *opts;
	size_t n_opts;
};

struct eng_subnet {
	const struct dx_subnet_conf *conf;
	uint32_t id, network, mask;
	/* Its shared network's subnets in configuration order: the first,
	 * and the one after this (NULL at the end). A subnet of its own is
	 * its own first. */
	struct eng_subnet *net_first, *net_next;
	struct dx_pool_set *pool;
	uint8_t mask_opt[4]; /* option 1 value, network order */
	struct dhcp_opt *opts;
	size_t n_opts;
	struct eng_opt_pool *opt_pools; /* pools with options, few */
	size_t n_opt_pools;
	struct eng_res *res;
	size_t n_res;
	struct eng_res **res_by_hw, **res_by_cid, **res_by_circ, **res_by_duid,
		**res_by_flex; /* sorted */
	size_t n_res_hw, n_res_cid, n_res_circ, n_res_duid, n_res_flex;
	/* host-reservation-identifiers in order (config_host_ids()) */
	uint8_t host_ids[DX_HOST_IDS];
	size_t n_host_ids;
	/* Kea's flex_id identifier-expression (config.h), NULL: none */
	const struct cls_prog *flex_expr;
	/* take-over and reclaim candidates (engine_starve.c) */
	struct cand_heap offer_q;    /* held offers, by the time made */
	struct cand_heap declined_q; /* declined, by end of probation */
	/* counters */
	uint64_t offers, acks, naks, declines, releases, informs;
	uint64_t pool_exhausted, leases_active;
	uint64_t offers_pressure, offers_taken_over, declined_reclaimed;
	/* The valid-lifetime of the request's first class that sets one,
	 * while engine_handle() decides it; 0 otherwise (engine_class.c). */
	uint32_t class_lifetime;
	/* hostname-char-set compiled, unless "" (client_name.c) */
	regex_t name_re;
	bool has_name_re;
};

/* The classes of the request being handled, in the order assigned
 * (Kea ranks their options so). */
struct eng_cls {
	struct cls_set set;
	uint16_t order[CLS_MAX_CLASSES];
	size_t n;
};

struct relay_ent {
	uint32_t giaddr;
	struct eng_subnet *s;
};

struct engine {
	const struct dx_config *cfg;
	struct eng_subnet *subnets;
	size_t n_subnets;
	struct eng_subnet **by_id, **by_net; /* sorted by id, by network */
	struct relay_ent *relays;	     /* sorted by giaddr */
	size_t n_relays;
	struct lease_table *lt;
	double factor;
	uint32_t probation, offer_hold;
	struct dx_starvation_conf sv;
	uint32_t short_hold; /* min(pressure-offer-lifetime, offer_hold) */
	struct rcap *rc;     /* engine_relay_cap.c, NULL until needed */
	uint64_t drops[__ENGINE_DROP_MAX];
	/* Are there classes or class restrictions to look at at all? */
	bool classify;
	/* The classes of the request engine_handle() is deciding; NULL
	 * outside it (then no restriction applies). */
	const struct eng_cls *cls;
	/* High availability (ha_scope.c): the daemon found the partner
	 * down, so its scope is ours too; a maintenance in progress; the
	 * scopes an operator set (ha-scopes), until the next change of
	 * state. */
	bool ha_partner_down;
	enum engine_ha_maintenance ha_maintenance;
	bool ha_forced;
	uint32_t ha_forced_scopes; /* bit i: cfg->ha.peers[i]'s scope */
};

/* ha_scope.c: a high-availability pair's scopes. */
uint8_t ha_lb_hash(const uint8_t *key, size_t len);
/* The scope (index in cfg->ha.peers) req falls in; -1 without an
 * identifier to hash. */
int ha_scope_of(const struct dx_ha_conf *ha, const struct dhcp_msg *req);
/* The name of req's scope, for HA_<name>; NULL without a pair. */
const char *ha_scope_name(const struct engine *e, const struct dhcp_msg *req);
/* req is in a scope this server does not serve now: the partner's. */
bool ha_drop(const struct engine *e, const struct dhcp_msg *req);

/* What the engine knows about the client behind one request. */
struct client {
	const uint8_t *mac;
	const uint8_t *cid; /* option 61 as sent, stored with a lease */
	size_t cid_len;
	/* The client-id leases are matched by: cid, or none when the
	 * subnet's match-client-id is false (Kea: chaddr only). */
	const uint8_t *mcid;
	size_t mcid_len;
	struct lt_lease *ent[CLIENT_MAX_LEASES];
	size_t n;
	struct lt_lease *active, *offered, *sticky;
	/* The client's reservation of an address (res_usable: not held by
	 * another client's lease), or NULL. */
	const struct eng_res *res;
	bool res_usable;
	/* Its reservation without an address: a pool address, and these
	 * options and boot fields in the reply. */
	const struct eng_res *extras;
};

/* A sink for changes: a request's fixed arrays or an expiry batch. */
struct sink {
	struct dx_lease_op *ops;
	struct engine_map_op *map;
	size_t cap, *n_ops, *n_map;
	struct engine_ncr *ncr; /* ncr_cap entries; NULL: none wanted */
	size_t ncr_cap, *n_ncr;
};

/* --- client_name.c --------------------------------------------------- */

/* The subnet's hostname-char-set into s->name_re: 0, or -EINVAL. */
int client_name_compile(struct eng_subnet *s);
void client_name_free(struct eng_subnet *s);
/*
 * The host name the lease of address a keeps for request req, into out
 * (NUL-terminated): the client's option 12 sanitized, lower-cased and
 * qualified, or generated ([prefix]-[a-b-c-d].[suffix]), as the subnet's
 * ddns-replace-client-name says. Returns its length, 0 for none.
 */
size_t client_name_of(const struct eng_subnet *s, const struct dhcp_msg *req,
		      uint32_t a, char out[DX_LEASE_HOSTNAME_MAX + 1]);
/* The same for the name of option 81 (RFC 4702): a partial name is
 * qualified whatever its labels, a full one never (Kea). */
size_t client_name_fqdn(const struct eng_subnet *s, const struct client_fqdn *f,
			uint32_t a, char out[DX_LEASE_HOSTNAME_MAX + 1]);
/* A reservation's hostname as option 12 carries it: lower-cased, with
 * the subnet's ddns-qualifying-suffix. NULL when out of memory. */
char *client_name_reserved(const struct eng_subnet *s, const char *hostname);

/* --- engine_subnet.c ------------------------------------------------- */

/* The subnet a request belongs to (docs/design.md §1), or NULL. */
struct eng_subnet *subnet_select(const struct engine *e,
				 const struct dhcp_msg *req,
				 const struct engine_rx *rx);

/* --- engine_class.c -------------------------------------------------- */

void class_add(struct eng_cls *c, size_t i);
/* The classes decided before subnet selection (Kea's steps 1-3). */
void class_before_subnet(const struct engine *e, const struct dhcp_msg *req,
			 struct eng_cls *c);
/* May the request (classes c) use subnet s: its client-class? */
bool class_subnet_ok(const struct eng_subnet *s, const struct eng_cls *c,
		     const struct dhcp_msg *req);
/* Once s is chosen and rs (the reservation, or NULL) known: KNOWN or
 * UNKNOWN, the reservation's classes, the classes that depend on those. */
void class_after_subnet(const struct engine *e, const struct eng_subnet *s,
			const struct eng_res *rs, const struct dhcp_msg *req,
			struct eng_cls *c);
/* May the request be given address a, by its pool's client-class? */
bool class_pool_ok(const struct engine *e, const struct eng_subnet *s,
		   const struct dhcp_msg *req, uint32_t a);
/* pool_alloc() among the pools the request may use. */
int class_pool_alloc(const struct engine *e, struct eng_subnet *s,
		     const struct dhcp_msg *req, uint32_t *a);
/* The valid-lifetime of the first class of c that sets one, 0 if none. */
uint32_t class_lifetime(const struct engine *e, const struct eng_cls *c);
/* The additional classes of the address's pool and of s, then the
 * classes' options and BOOTP fields, into an OFFER or ACK. */
void class_reply(const struct engine *e, const struct eng_subnet *s,
		 const struct eng_res *rs, const struct dhcp_msg *req,
		 struct eng_cls *c, struct engine_result *res);
/* --- engine_network.c ------------------------------------------------ */

/*
 * Within the shared network of s (the subnet the request's link
 * selected), the subnet that serves this request (docs/protocol.md,
 * "Shared networks"); s itself for a subnet of its own. With classes c
 * (NULL: none), only subnets whose client-class they satisfy count.
 */
struct eng_subnet *network_subnet(const struct engine *e, struct eng_subnet *s,
				  const struct dhcp_msg *req,
				  const struct eng_cls *c);

/* --- engine_client.c ------------------------------------------------- */

/* A client's identifiers reservations are looked up by. */
struct client_ids {
	const uint8_t *mac;
	const uint8_t *cid; /* option 61, NULL: none */
	size_t cid_len;
	const uint8_t *circ; /* option 82 sub-option 1, NULL: none */
	size_t circ_len;
	const uint8_t *flex; /* the flex-id computed, NULL: none */
	size_t flex_len;
};

/* A reservation's identifier of one kind (client-id, circuit id, DUID):
 * its bytes, NULL when it has none. For the sorted indexes. */
typedef const uint8_t *res_id_fn(const struct eng_res *r, size_t *len);
res_id_fn res_id_cid, res_id_circ, res_id_duid, res_id_flex;

/* The reservation of a client with these identifiers in s, or NULL. */
const struct eng_res *client_res(const struct eng_subnet *s,
				 const struct client_ids *id);
/* The same for a request (chaddr, 61, circuit id). */
const struct eng_res *client_res_req(const struct eng_subnet *s,
				     const struct dhcp_msg *req);
/* The client's leases, offer, sticky row and reservation in s. */
void client_view(const struct engine *e, const struct eng_subnet *s,
		 const struct dhcp_msg *req, struct client *cl);

/* --- engine_lease.c -------------------------------------------------- */

/* The entry as a lease row (state: the persisted one). */
void lease_rec(struct dx_lease_rec *r, const struct lt_lease *l);
/* The entry as a lease-map change (ENGINE_MAP_UPSERT or _DELETE). */
void lease_map_op(struct engine_map_op *m, int kind, const struct lt_lease *l);
void lease_emit_upsert(struct sink *k, const struct lt_lease *l);
void lease_emit_delete(struct sink *k, const struct lt_lease *l);
void lease_emit_map(struct sink *k, int kind, const struct lt_lease *l);
/* The UPSERT of a lease just ACKed, whose entry XDP may be renewing while
 * it is rewritten (engine_map_op.renew_bound). */
void lease_emit_map_renewed(struct sink *k, const struct eng_subnet *s,
			    const struct lt_lease *l);
void lease_offer_lapse(struct engine *e, struct eng_subnet *s,
		       struct lt_lease *l);
int lease_offer_hold(struct engine *e, struct eng_subnet *s, struct client *cl,
		     uint32_t a, bool taken, bool short_hold, int64_t now);
int lease_grant(struct engine *e, struct eng_subnet *s, struct client *cl,
		const struct dhcp_msg *req, uint32_t a, int64_t now,
		struct sink *k);
void lease_end(struct engine *e, struct eng_subnet *s, struct lt_lease *l,
	       int64_t now, struct sink *k);
void lease_close_others(struct engine *e, struct eng_subnet *s,
			struct client *cl, const struct lt_lease *keep,
			int64_t now, struct sink *k);

/* --- engine_ddns.c ---------------------------------------------------- */

/* Persisted lease flags (lease.h): the DNS updates an ADD asked for, so
 * the lease's end removes what was added, across restarts too. */
#define DDNS_LEASE_FLAGS (DX_LEASE_F_DNS_FWD | DX_LEASE_F_DNS_REV)

/* Are DNS updates sent for leases of s? */
bool ddns_on(const struct engine *e, const struct eng_subnet *s);
/*
 * The host name the lease of address a keeps for req: from option 81
 * when the client sent a valid one (RFC 4702 §3.1: it wins over option
 * 12), else from option 12 (client_name_of()). Its length, 0 for none.
 */
size_t ddns_name_of(const struct eng_subnet *s, const struct dhcp_msg *req,
		    uint32_t a, char out[DX_LEASE_HOSTNAME_MAX + 1]);
/*
 * l was just granted (its new host name set) for req, lease time lt;
 * old_name and old_flags are what it had before. Decides the DNS updates
 * (option 81's flags, or both for option 12 or a generated name), keeps
 * them in l->flags and emits a REMOVE of the old name when it changed
 * and an ADD when the lease is new, the name or the updates changed, or
 * ddns-update-on-renew. Call before the lease's UPSERT is emitted.
 */
void ddns_grant(struct engine *e, struct eng_subnet *s, struct lt_lease *l,
		const struct dhcp_msg *req, const char *old_name,
		uint8_t old_flags, bool was_active, uint32_t lt,
		struct sink *k);
/* l ends (release, decline, expiry, moved): a REMOVE of what its ADD
 * asked for; its DNS flags cleared. Call before its owner, host name or
 * UPSERT change. */
void ddns_end(struct engine *e, struct eng_subnet *s, struct lt_lease *l,
	      struct sink *k);
/* An OFFER or ACK to a client that sent option 81 (RFC 4702 §4) or 12
 * gets the option back with the name its lease has, when DNS updates are
 * configured (dhcp-ddns.enable-updates). */
void ddns_reply(struct engine *e, struct eng_subnet *s,
		const struct dhcp_msg *req, struct engine_result *res);

/* --- engine_starve.c ------------------------------------------------- */

/* Is s under pressure: free addresses below pressure-free-percent? */
bool starve_pressure(const struct engine *e, const struct eng_subnet *s);
/* When the offer held in l was made (its hold is known by its flag). */
int64_t starve_offer_made(const struct engine *e, const struct lt_lease *l);
/* Remember a held offer / a declined address as a candidate. */
void starve_note_offer(struct engine *e, struct eng_subnet *s, uint32_t a);
void starve_note_declined(struct engine *e, struct eng_subnet *s,
			  const struct lt_lease *l);
/*
 * No free address in s: free one by taking over the oldest held offer
 * made more than the short hold ago, else by ending the earliest
 * probation (its row deleted through k). ENGINE_STARVE_TAKEN_OVER or
 * _RECLAIMED with *a free in the pool, or -ENOSPC.
 */
int starve_free_one(struct engine *e, struct eng_subnet *s, int64_t now,
		    struct sink *k, uint32_t *a);
void starve_free(struct eng_subnet *s);

/* --- engine_relay_cap.c ---------------------------------------------- */

/* Who a request came through (RFC 3046): giaddr and circuit-id. */
struct rcap_key {
	uint32_t giaddr;
	bool has_circuit;
	uint64_t circuit; /* FNV-1a 64 of sub-option 1's value */
};

void rcap_key_of(const struct dhcp_msg *req, struct rcap_key *k);
/* 0, or the drop reason when one more live entry through k is refused. */
int rcap_refuse(const struct engine *e, const struct eng_subnet *s,
		const struct rcap_key *k);
/* Count the live entry (s, addr) as obtained through k (kept if it is
 * counted already). */
void rcap_link(struct engine *e, const struct eng_subnet *s, uint32_t addr,
	       const struct rcap_key *k);
/* The entry (s, addr) is no longer live: it counts no more. */
void rcap_unlink(struct engine *e, const struct eng_subnet *s, uint32_t addr);
void rcap_free(struct engine *e);

/* --- engine_expire.c ------------------------------------------------- */

/*
 * End what is due at `now` (deadline <= now), soonest first, at most max
 * entries, while k has room for the changes; the number ended. mr: the
 * lease map's word (engine_expire()); NULL when there is none to ask
 * (a request settling what is due): then the walk stops at a lease that
 * needs it, for the daemon's next expiry run.
 */
size_t expire_due(struct engine *e, int64_t now, struct sink *k, size_t max,
		  const struct engine_map_reader *mr);

/* --- the message handlers (engine_discover/request/notify.c) --------- */

/*
 * One message type's decisions (RFC 2131 §4.3) for a request of subnet
 * s: fills res, changes the engine's state, counts in s.
 */
typedef void msg_handler(struct engine *e, struct eng_subnet *s,
			 const struct dhcp_msg *req, const struct engine_rx *rx,
			 int64_t now, struct engine_result *res);

msg_handler handle_discover, handle_request;
msg_handler handle_decline, handle_release, handle_inform;

/*
 * --- small helpers of the hot paths, kept inline ------------------------
 * Requests and expiry call them from several files; a call for each
 * would cost more than they do.
 */

/* The subnet of that id, or NULL (by_id is sorted, engine_build.c). */
static inline struct eng_subnet *subnet_by_id(const struct engine *e,
					      uint32_t id)
{
	size_t lo = 0, hi = e->n_subnets;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (e->by_id[mid]->id < id)
			lo = mid + 1;
		else if (e->by_id[mid]->id > id)
			hi = mid;
		else
			return e->by_id[mid];
	}
	return NULL;
}

static inline bool in_subnet(const struct eng_subnet *s, uint32_t a)
{
	return (a & s->mask) == s->network;
}

/*
 * May the address be leased dynamically in s at all: in a pool and not
 * excluded (another client's reservation, our own address).
 */
static inline bool dyn_ok(const struct eng_subnet *s, uint32_t a)
{
	return pool_contains(s->pool, a) && !pool_is_reserved(s->pool, a);
}

/* Give an address back to the pool; outside it, or excluded, nothing. */
static inline void dyn_give_back(struct eng_subnet *s, uint32_t a)
{
	if (dyn_ok(s, a))
		pool_release(s->pool, a);
}

/* Does the entry keep its address from everyone else? */
static inline bool holds_addr(const struct lt_lease *l)
{
	return l->state == DX_LEASE_ACTIVE || l->state == LT_STATE_OFFERED ||
	       l->state == DX_LEASE_DECLINED;
}

/*
 * The client-id as the engine keys it: RFC 3396 concatenation could make
 * it longer than a lease row holds (255); the first 255 bytes then stand
 * for it, consistently.
 */
static inline size_t req_cid_len(const struct dhcp_msg *req)
{
	if (!req->client_id)
		return 0;
	return req->client_id_len > DX_LEASE_CLIENT_ID_MAX
		       ? DX_LEASE_CLIENT_ID_MAX
		       : req->client_id_len;
}

/* Client-ids ordered bytewise, a prefix first (the reservation index). */
static inline int cid_cmp(const uint8_t *a, size_t la, const uint8_t *b,
			  size_t lb)
{
	int d = memcmp(a, b, la < lb ? la : lb);

	return d ? d : (la < lb ? -1 : la > lb);
}

static inline int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

/*
 * Deadlines (lease_table.h) are inclusive: an entry is over AT its
 * deadline, the first second its address is free again - the end of an
 * offer hold, of a probation. An ACTIVE lease is over for certain the
 * second after max(expires, horizon) (docs/design.md §2): the lease map
 * holds the horizon on CLOCK_BOOTTIME, converted from a whole wall-clock
 * second (map_sync.c), so XDP may grant until up to a second past it.
 */
static inline int64_t lease_reclaim_at(const struct lt_lease *l)
{
	int64_t end = max64(l->expires, l->horizon);

	return end < INT64_MAX ? end + 1 : end;
}

/*
 * An ACTIVE lease's deadline: ENGINE_MAP_GRACE seconds after its expiry,
 * when the lease map may tell that it is over (engine_expire()), and
 * never later than lease_reclaim_at().
 */
static inline int64_t lease_check_at(const struct lt_lease *l)
{
	int64_t at = l->expires < INT64_MAX - ENGINE_MAP_GRACE
			     ? l->expires + ENGINE_MAP_GRACE
			     : INT64_MAX;
	int64_t end = lease_reclaim_at(l);

	return at < end ? at : end;
}

/* docs/design.md §2: the durable horizon of a lease granted or renewed now. */
static inline int64_t horizon_for(const struct engine *e,
				  const struct eng_subnet *s, int64_t now)
{
	return now + (int64_t)(e->factor * (double)s->conf->valid_lifetime);
}

/*
 * The lease time granted to req (Kea): the one asked for in option 51
 * clamped to [min-valid-lifetime, max-valid-lifetime], else
 * valid-lifetime. Both bounds default to valid-lifetime, so the request
 * is ignored unless a range is configured (config_fast_path_off(): XDP,
 * which grants valid-lifetime, is off then).
 */
static inline uint32_t lease_lifetime(const struct eng_subnet *s,
				      const struct dhcp_msg *req)
{
	const struct dx_subnet_conf *c = s->conf;
	uint32_t valid = s->class_lifetime ? s->class_lifetime
					   : c->valid_lifetime;
	uint32_t lo = c->min_valid_lifetime && !s->class_lifetime
			      ? c->min_valid_lifetime
			      : valid;
	uint32_t hi = c->max_valid_lifetime && !s->class_lifetime
			      ? c->max_valid_lifetime
			      : valid;
	uint32_t v;

	if (!req || !req->has_lease_time)
		return valid;
	v = req->lease_time;
	return v < lo ? lo : v > hi ? hi : v;
}

static inline bool sink_room(const struct sink *k, size_t ops, size_t map)
{
	return *k->n_ops + ops <= k->cap && *k->n_map + map <= k->cap;
}

/* The sink writing into one request's (or renewal note's) changes. */
static inline void sink_of(struct sink *k, struct engine_changes *ch)
{
	k->ops = ch->ops;
	k->map = ch->map;
	k->cap = ENGINE_MAX_OPS;
	k->n_ops = &ch->n_ops;
	k->n_map = &ch->n_map;
	k->ncr = ch->ncr;
	k->ncr_cap = ENGINE_MAX_NCR;
	k->n_ncr = &ch->n_ncr;
}

/* --- filling in the result ------------------------------------------- */

/*
 * siaddr, sname and file (RFC 2131 §2): the reservation's, else the
 * subnet's (each already merged with the levels above, as Kea's
 * setFixedFields() does). Kea sets them in the ACK to an INFORM too.
 */
static inline void reply_bootp(struct engine_result *res,
			       const struct eng_subnet *s,
			       const struct eng_res *rs)
{
	const struct dx_bootp_conf *b = rs ? &rs->bootp : &s->conf->bootp;

	res->reply.siaddr = b->next_server;
	res->reply.sname = b->server_hostname;
	res->reply.file = b->boot_file_name;
}

/*
 * Option 54 of a request names us: the receiving interface's address, or
 * the subnet's configured server identifier, which its replies carry
 * (Kea accepts either).
 */
static inline bool server_id_ours(const struct eng_subnet *s,
				  const struct engine_rx *rx, uint32_t sid)
{
	return sid == rx->server_id ||
	       (s->conf->server_id && sid == s->conf->server_id);
}

static inline void reply_msg(struct engine_result *res,
			     const struct engine_rx *rx, uint8_t type,
			     uint32_t yiaddr)
{
	res->action = ENGINE_REPLY;
	res->reply.msg_type = type;
	res->reply.yiaddr = yiaddr;
	res->reply.server_id = rx->server_id;
}

/*
 * The options a reply about address @a carries (Kea's precedence): the
 * reservation's, else those of the pool holding @a if it has its own,
 * else the subnet's.
 */
static inline void reply_opts(struct engine_result *res,
			      const struct eng_subnet *s,
			      const struct eng_res *rs, uint32_t a)
{
	res->reply.opts = s->opts;
	res->reply.n_opts = s->n_opts;
	if (rs) {
		res->reply.opts = rs->opts;
		res->reply.n_opts = rs->n_opts;
		return;
	}
	for (size_t i = 0; a && i < s->n_opt_pools; i++)
		if (a >= s->opt_pools[i].start && a <= s->opt_pools[i].end) {
			res->reply.opts = s->opt_pools[i].opts;
			res->reply.n_opts = s->opt_pools[i].n_opts;
			return;
		}
}

/*
 * OFFER/ACK of a lease: 51 (lease_lifetime()), 58, 59 and the options
 * (subnet's, or the reservation's merge). A timer not below the lease
 * time granted (or T1 not below T2) is left out, as Kea does: the client
 * then takes ½ and ⅞ of the lease time (RFC 2131 §4.4.5).
 */
static inline void
reply_lease(struct engine_result *res, const struct engine_rx *rx,
	    const struct eng_subnet *s, const struct eng_res *rs,
	    const struct dhcp_msg *req, uint8_t type, uint32_t yiaddr)
{
	uint32_t lt = lease_lifetime(s, req);
	uint32_t t2 = s->conf->rebind_timer < lt ? s->conf->rebind_timer : 0;
	uint32_t t1 = s->conf->renew_timer;

	reply_msg(res, rx, type, yiaddr);
	res->reply.lease_time = lt;
	res->reply.t1 = t1 < (t2 ? t2 : lt) ? t1 : 0;
	res->reply.t2 = t2;
	reply_opts(res, s, rs, yiaddr);
	reply_bootp(res, s, rs);
}

static inline void reply_nak(struct engine_result *res,
			     const struct engine_rx *rx, struct eng_subnet *s,
			     const char *why)
{
	reply_msg(res, rx, DHCPNAK, 0);
	res->reply.message = why;
	s->naks++;
}

/* Not handled: no reply, the reason counted (engine_drops()). */
static inline void drop_request(struct engine *e, struct engine_result *res,
				int reason)
{
	res->action = ENGINE_DROP;
	res->drop_reason = reason;
	e->drops[reason]++;
}

#endif /* DHCPXDP_ENGINE_INTERNAL_H */
