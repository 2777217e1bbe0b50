/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Leases from other DHCPv4 servers' lease files, and out again in Kea's
 * format. An operator who moves to dhcpxdp must not start from an empty
 * lease database: it would hand out addresses live clients still hold.
 *
 * The parsers take the whole file as text and return rows; a malformed
 * line is an error naming the file line, never a partial result. What a
 * row means for dhcpxdp (which subnet, imported or skipped, in conflict)
 * is decided by mig_plan(), against the configuration and what the lease
 * database already holds (looked up through callbacks, so it stays pure).
 *
 * Times are wall-clock unix seconds; addresses host byte order.
 */
#ifndef DHCPXDP_MIGRATE_H
#define DHCPXDP_MIGRATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "engine/lease.h"

struct dx_config;

/* A lease that never ends (dnsmasq's expiry 0, dhcpd's "ends never",
 * Kea's infinite valid lifetime). */
#define MIG_EXPIRES_NEVER INT64_MAX
/*
 * What such a lease becomes here: dhcpxdp has no infinite lease, and a
 * client holding one never comes back to renew, so its address stays
 * taken as long as a 32-bit time lasts.
 */
#define MIG_EXPIRES_NEVER_STORED ((int64_t)INT32_MAX)

enum mig_format {
	MIG_KEA_CSV = 1,
	MIG_DHCPD = 2,
	MIG_DNSMASQ = 3,
};

/* The state a lease file gives a row. */
enum mig_state {
	MIG_ACTIVE = 1,	  /* bound (it may still have ended by now) */
	MIG_DECLINED = 2, /* Kea declined, dhcpd abandoned */
	MIG_FREE = 3,	  /* Kea expired-reclaimed, dhcpd free/released/... */
};

struct mig_lease {
	unsigned line; /* file line (a dhcpd block: its "lease" line) */
	uint32_t addr;
	bool has_mac;
	uint8_t mac[6];
	uint8_t client_id_len; /* 0: none */
	uint8_t client_id[DX_LEASE_CLIENT_ID_MAX];
	char hostname[DX_LEASE_HOSTNAME_MAX + 1];
	int64_t cltt;	      /* start of the lease, 0 when unknown */
	int64_t expires;      /* MIG_EXPIRES_NEVER when it never ends */
	uint32_t subnet_hint; /* the file's subnet id, 0 when none */
	int state;	      /* enum mig_state */
};

struct mig_set {
	struct mig_lease *v;
	size_t n, cap;
	size_t superseded; /* rows replaced by a later row for the address */
};

/* "kea-csv", "dhcpd", "dnsmasq" -> enum mig_format, 0 when unknown. */
int mig_format_of(const char *name);

/*
 * Parse a lease file of `format` (text of len bytes, need not end with
 * a NUL) into out (zeroed by the caller; mig_set_free it even on error).
 * `file` names it in messages. Rows for the same address supersede
 * earlier ones where the format appends (Kea, dhcpd: the later row
 * wins, counted in out->superseded); dnsmasq rewrites its file whole, so
 * there two rows for one address are both kept (mig_plan() reports
 * them). Returns 0, -EINVAL with err "FILE:LINE: reason", -ENOMEM.
 */
int mig_parse(int format, const char *text, size_t len, const char *file,
	      struct mig_set *out, char *err, size_t errlen);
int mig_parse_kea_csv(const char *text, size_t len, const char *file,
		      struct mig_set *out, char *err, size_t errlen);
int mig_parse_dhcpd(const char *text, size_t len, const char *file,
		    struct mig_set *out, char *err, size_t errlen);
int mig_parse_dnsmasq(const char *text, size_t len, const char *file,
		      struct mig_set *out, char *err, size_t errlen);

void mig_set_free(struct mig_set *s);

/* ---- the plan ---------------------------------------------------------- */

/* What becomes of one row. */
enum mig_outcome {
	MIG_IMPORT = 1,	     /* written ACTIVE */
	MIG_IMPORT_DECLINED, /* written DECLINED until its end */
	MIG_SKIP_EXPIRED,    /* ended before now */
	MIG_SKIP_FREE,	     /* free, released, reclaimed in the file */
	MIG_SKIP_NO_MAC,     /* bound but without a hardware address */
	MIG_SKIP_PRESENT,    /* the database holds this lease already */
	MIG_CONFLICT,	     /* see conflict */
	__MIG_OUTCOME_MAX,
};

enum mig_conflict {
	MIG_CONFLICT_NONE = 0,
	MIG_CONFLICT_NO_SUBNET,	   /* outside every configured subnet */
	MIG_CONFLICT_SHARED_ADDR,  /* two clients on one address */
	MIG_CONFLICT_TWO_ADDRS,	   /* a client with two addresses */
	MIG_CONFLICT_RESERVED,	   /* another client's reservation */
	MIG_CONFLICT_DB_OTHER,	   /* the database: another client */
	MIG_CONFLICT_DB_TWO_ADDRS, /* the database: client elsewhere */
	__MIG_CONFLICT_MAX,
};

/*
 * The lease database as the plan needs it: the row of (subnet, addr),
 * and the row of a client (subnet, mac) as lease_db_get_by_mac() gives
 * it. 0 with *out filled, -ENOENT, or another negative errno (which
 * stops the plan).
 */
struct mig_db_ops {
	int (*by_addr)(void *arg, uint32_t subnet_id, uint32_t addr,
		       struct dx_lease_rec *out);
	int (*by_mac)(void *arg, uint32_t subnet_id, const uint8_t mac[6],
		      struct dx_lease_rec *out);
	void *arg;
};

struct mig_row_plan {
	int outcome;	     /* enum mig_outcome */
	int conflict;	     /* enum mig_conflict when MIG_CONFLICT */
	uint32_t subnet_id;  /* 0: no subnet */
	unsigned other_line; /* the other row of a conflict in the file */
	/*
	 * An imported lease the engine would not grant now: outside the
	 * subnet's pools (and not the client's reservation), or of a client
	 * with a reservation elsewhere in the subnet. The address stays its
	 * client's until the lease ends, but the client's next REQUEST is
	 * NAKed (RFC 2131 §4.3.2) and it moves to a pool address or its
	 * reservation.
	 */
	bool moves;
};

struct mig_plan {
	struct mig_row_plan *rows; /* one per set row, same order */
	size_t count[__MIG_OUTCOME_MAX];
	size_t conflicts;
	size_t moves; /* imported rows with moves */
};

/*
 * Decide every row of s at `now` against cfg (its subnets and
 * reservations) and the database (db may be NULL: an empty one). A
 * client is its MAC, as in the XDP lease map (subnet, MAC). Returns 0,
 * -ENOMEM, or the error of a db callback.
 */
int mig_plan(const struct mig_set *s, const struct dx_config *cfg,
	     const struct mig_db_ops *db, int64_t now, struct mig_plan *out);
void mig_plan_free(struct mig_plan *p);

/* The row to write for an imported row (outcome MIG_IMPORT*). */
void mig_plan_rec(const struct mig_lease *l, const struct mig_row_plan *rp,
		  int64_t now, struct dx_lease_rec *out);

/* "outside every configured subnet", ... */
const char *mig_conflict_text(int conflict);
/* "imported", "expired", ... */
const char *mig_outcome_name(int outcome);

/* ---- Kea's CSV out ----------------------------------------------------- */

/* The header of Kea's current memfile lease file, with its newline. */
extern const char mig_kea_csv_header[];
/*
 * One row of Kea's CSV for rec, with its newline, into buf (len bytes).
 * `valid` is the lease's valid lifetime (expire - valid = cltt). Returns
 * the length, or -ENOSPC.
 */
int mig_kea_csv_row(const struct dx_lease_rec *rec, uint32_t valid, char *buf,
		    size_t len);

#endif /* DHCPXDP_MIGRATE_H */
