/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Lease history: who held which address when, for abuse handling
 * (docs/logging.md, "Lease history"). One row per tenancy, an interval
 * [start, end) of one client (MAC) on one address: opened by a grant,
 * its end pushed forward by renewals, closed by a release, a decline, an
 * expiry, the address going to another client, or an operator's delete.
 * Closed rows are kept until pruned (retention).
 *
 * Its own SQLite database (WAL), apart from the lease database: a
 * history write never holds up a lease commit, and the lease database
 * stays the only authority on who holds what now. synchronous=NORMAL:
 * a transaction is in the file (the page cache) when it returns, so it
 * survives the process; lease_hist_sync() puts it on stable storage.
 *
 * Times are wall-clock unix seconds. One owner per struct lease_hist.
 */
#ifndef DHCPXDP_LEASE_HISTORY_H
#define DHCPXDP_LEASE_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LEASE_HIST_ID_MAX   255 /* client-id, circuit-id, remote-id bytes */
#define LEASE_HIST_NAME_MAX 256 /* hostname bytes, with the NUL */

/* Why a tenancy ended; LEASE_HIST_OPEN while it has not. */
enum lease_hist_why {
	LEASE_HIST_OPEN = 0,
	LEASE_HIST_RELEASE,
	LEASE_HIST_DECLINE,
	LEASE_HIST_EXPIRY,
	LEASE_HIST_REUSE,  /* the address went to another client */
	LEASE_HIST_DELETE, /* the operator's lease4-del, or the row gone */
};

struct lease_hist_row {
	int64_t id;
	uint32_t subnet_id, addr, giaddr; /* host byte order */
	uint8_t mac[6];
	uint8_t cid_len, circuit_len, remote_len;
	uint8_t cid[LEASE_HIST_ID_MAX];
	uint8_t circuit[LEASE_HIST_ID_MAX]; /* option 82 sub-option 1 */
	uint8_t remote[LEASE_HIST_ID_MAX];  /* option 82 sub-option 2 */
	char hostname[LEASE_HIST_NAME_MAX];
	int64_t start, end;
	enum lease_hist_why why;
};

struct lease_hist;

/*
 * Open (creating unless read_only) the history at path. read_only opens
 * an existing file for queries, beside a running daemon or not. 0 or a
 * negative errno, with a message naming the path in err.
 */
int lease_hist_open(const char *path, bool read_only, struct lease_hist **out,
		    char *err, size_t errlen);
void lease_hist_close(struct lease_hist *h);
/* SQLite's message for the last failure. */
const char *lease_hist_errmsg(const struct lease_hist *h);

/* The changes between begin and commit are one transaction. */
int lease_hist_begin(struct lease_hist *h);
int lease_hist_commit(struct lease_hist *h);
void lease_hist_rollback(struct lease_hist *h);

/*
 * A grant or renewal of r->addr to r->mac until r->end, decided at
 * r->start: the client's open tenancy of the address is extended (never
 * shortened) and its identifiers updated with those given, or a new one
 * opened; another client's open tenancy of the address ends at r->start
 * (LEASE_HIST_REUSE).
 */
int lease_hist_grant(struct lease_hist *h, const struct lease_hist_row *r);

/*
 * The client's open tenancy of (subnet_id, addr) lasts at least until
 * end (a renewal known only by its expiry: a horizon event, the lease
 * map). -ENOENT when the client has none open.
 */
int lease_hist_extend(struct lease_hist *h, uint32_t subnet_id, uint32_t addr,
		      const uint8_t mac[6], int64_t end);

/*
 * Close the open tenancy of (subnet_id, addr), of mac only unless NULL,
 * at `at`: for LEASE_HIST_EXPIRY the later of its end and at (the lease
 * ran out then), else the earlier (it ended before its term). -ENOENT
 * when none is open.
 */
int lease_hist_end(struct lease_hist *h, uint32_t subnet_id, uint32_t addr,
		   const uint8_t mac[6], int64_t at, enum lease_hist_why why);

/* Delete closed tenancies that ended before `before`; how many, or < 0. */
int64_t lease_hist_prune(struct lease_hist *h, int64_t before);

/* Checkpoint the WAL: everything committed so far is on stable storage. */
int lease_hist_sync(struct lease_hist *h);

/* What a query selects: every field set narrows it. */
struct lease_hist_query {
	bool by_addr, by_mac, by_time, open_only;
	uint32_t addr;
	uint8_t mac[6];
	int64_t at; /* tenancies with start <= at < end */
	/*
	 * limit > 0 pages through the tenancies in (subnet_id, addr) order
	 * instead: at most limit of them after (after_subnet, after_addr);
	 * with open_only, from the index of open tenancies.
	 */
	uint32_t limit, after_subnet, after_addr;
};

/*
 * Call cb for each tenancy q selects, oldest start first (unless paged);
 * a non-zero return stops the walk and is returned.
 */
typedef int (*lease_hist_cb)(const struct lease_hist_row *r, void *arg);
int lease_hist_query(struct lease_hist *h, const struct lease_hist_query *q,
		     lease_hist_cb cb, void *arg);

/* "open", "release", "decline", "expiry", "reuse", "delete". */
const char *lease_hist_why_name(enum lease_hist_why why);

#endif /* DHCPXDP_LEASE_HISTORY_H */
