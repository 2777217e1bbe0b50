/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Lease database: the durable record of every dynamic lease, in SQLite
 * (WAL journal, synchronous=FULL). It is the single source of truth
 * (docs/design.md §2): a function that writes returns only once the commit is
 * on stable storage, so an ACK may leave as soon as it returns.
 *
 * Times are wall-clock unix seconds. `horizon` is the durable horizon:
 * until then the address is this client's even across a crash, whatever
 * `expires` says: the engine reclaims an address only past it.
 *
 * One owner: a struct lease_db must not be used from two threads at once.
 */
#ifndef DHCPXDP_LEASE_DB_H
#define DHCPXDP_LEASE_DB_H

#include <stddef.h>
#include <stdint.h>
#include "engine/lease.h"

/* Schema version written by this build (PRAGMA user_version). */
#define DX_LEASE_DB_SCHEMA_VERSION 2

/*
 * The WAL is kept about this size: past it, a commit checkpoints and
 * truncates it (when no reader holds old pages; else on a later commit).
 */
#define LEASE_DB_WAL_MAX_BYTES (16 << 20)

struct lease_db;

/*
 * Open (creating if needed) the database at path and bring its schema up
 * to DX_LEASE_DB_SCHEMA_VERSION. The parent directory must exist. On
 * failure returns a negative errno and writes a message naming the path
 * into err (if err is not NULL): -ENOENT/-ENOTDIR (no such directory),
 * -EACCES/-EROFS (cannot write), -EPROTONOSUPPORT (schema newer than this
 * build, or not a dhcpxdp database), -EIO/-EBADMSG (unreadable/corrupt).
 */
int lease_db_open(const char *path, struct lease_db **out, char *err,
		  size_t errlen);
void lease_db_close(struct lease_db *db);

/* SQLite's message for the last failure on db (for logs). */
const char *lease_db_errmsg(const struct lease_db *db);

/*
 * Upserts and deletes keyed by (subnet_id, addr), in one transaction, one
 * fsync'd commit. All or nothing: on error the transaction is rolled back
 * and a negative errno returned. n == 0 is a no-op. Fails with -ESTALE,
 * writing nothing, when lease_db_check_file() would (the WAL is looked at
 * once a second at most, the database file every time). Afterwards the
 * WAL is checkpointed when it has grown (LEASE_DB_WAL_MAX_BYTES).
 */
int lease_db_commit_ops(struct lease_db *db, const struct dx_lease_op *ops,
			size_t n);

/*
 * Is the path still the file that was opened, and its -wal the WAL in
 * use? A database removed (or renamed, or replaced by another file) while
 * open keeps taking commits into a file that no restart will read, so
 * nothing written to it is durable: -ESTALE, with a message naming the
 * path, and so for good. Two stat() calls.
 */
int lease_db_check_file(struct lease_db *db);

/*
 * Call cb for every row, in (subnet_id, addr) order. A non-zero return
 * from cb stops the walk and is returned.
 */
typedef int (*dx_lease_cb)(const struct dx_lease_rec *rec, void *arg);
int lease_db_load(struct lease_db *db, dx_lease_cb cb, void *arg);

/* Lookups; -ENOENT if there is no such row. */
int lease_db_get_by_addr(struct lease_db *db, uint32_t subnet_id, uint32_t addr,
			 struct dx_lease_rec *out);
/*
 * The row of this client on this subnet, whatever its state (a RELEASED
 * or EXPIRED row is the client's sticky address). If there are several,
 * an ACTIVE one first, then the most recently seen.
 */
int lease_db_get_by_mac(struct lease_db *db, uint32_t subnet_id,
			const uint8_t mac[6], struct dx_lease_rec *out);

#endif /* DHCPXDP_LEASE_DB_H */
