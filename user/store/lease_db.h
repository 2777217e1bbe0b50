/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Lease database: the durable record of every dynamic lease, in SQLite
 * (WAL journal, synchronous=FULL) or PostgreSQL (synchronous_commit=on),
 * as Dhcp4.lease-database says. It is the single source of truth
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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "engine/lease.h"

/* Schema version written by this build (PRAGMA user_version). */
#define DX_LEASE_DB_SCHEMA_VERSION 3
/* The PostgreSQL schema's (table dhcpxdp_schema), numbered on its own. */
#define DX_LEASE_DB_PGSQL_SCHEMA_VERSION 3

/*
 * The WAL is kept about this size: past it, a commit checkpoints and
 * truncates it (when no reader holds old pages; else on a later commit).
 */
#define LEASE_DB_WAL_MAX_BYTES (16 << 20)

struct lease_db;
struct dx_lease_db_conf; /* config/config.h */

/*
 * Open the database Dhcp4.lease-database describes. SQLite: as
 * lease_db_open_file(). PostgreSQL: connect, and check that the schema is
 * this build's (-EPROTONOSUPPORT when it is missing, older or newer, with
 * the `dhcpxdp db` command that fixes it in err); -ECONNREFUSED and the
 * like when the server cannot be reached, -EACCES when it refuses us.
 */
int lease_db_open(const struct dx_lease_db_conf *conf, struct lease_db **out,
		  char *err, size_t errlen);

/*
 * Open (creating if needed) the SQLite database at path and bring its
 * schema up to DX_LEASE_DB_SCHEMA_VERSION. The parent directory must
 * exist. On failure returns a negative errno and writes a message naming
 * the path into err (if err is not NULL): -ENOENT/-ENOTDIR (no such
 * directory), -EACCES/-EROFS (cannot write), -EPROTONOSUPPORT (schema
 * newer than this build, or not a dhcpxdp database), -EIO/-EBADMSG
 * (unreadable/corrupt).
 */
int lease_db_open_file(const char *path, struct lease_db **out, char *err,
		       size_t errlen);
void lease_db_close(struct lease_db *db);

/* The back end's message for the last failure on db (for logs). */
const char *lease_db_errmsg(const struct lease_db *db);

/* What to call db in messages: its file, or the PostgreSQL database. */
const char *lease_db_name(const struct lease_db *db);

/*
 * The schema, as `kea-admin db-init` and `db-upgrade` do: INIT creates it
 * in an empty database (-EEXIST if there is one), UPGRADE brings an older
 * one up to this build's (-ENOENT if there is none), VERSION only reads
 * it. *version: the schema version afterwards (0: none). A SQLite file
 * is created and upgraded by lease_db_open() anyway; INIT and UPGRADE do
 * the same for it.
 */
enum lease_db_admin_op { LEASE_DB_INIT, LEASE_DB_UPGRADE, LEASE_DB_VERSION };
int lease_db_admin(const struct dx_lease_db_conf *conf,
		   enum lease_db_admin_op op, int *version, char *err,
		   size_t errlen);

/*
 * The connection to a database server (docs/design.md §5, "Lease database
 * connection"). A lost connection fails the commit under way with
 * -ENOTCONN, and every commit after it, until a reconnect succeeds.
 * Attempts are made by lease_db_reconnect() and by commits, at most one
 * per reconnect-wait-time, max-reconnect-tries in all; then the store
 * gives up (LEASE_DB_GAVE_UP) and what happens is on-fail's to say. A
 * SQLite file is always LEASE_DB_UP.
 */
enum lease_db_link { LEASE_DB_UP, LEASE_DB_RETRYING, LEASE_DB_GAVE_UP };
enum lease_db_link lease_db_link(const struct lease_db *db);
/* Up: check that it still is (reading what the server sent, without
 * blocking). Down: try to connect again if an attempt is due. 0 once
 * connected, -ENOTCONN while not. */
int lease_db_reconnect(struct lease_db *db);
/* May the connection be handed from one thread to another? */
bool lease_db_thread_safe(const struct lease_db *db);

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
 * As lease_db_commit_ops(), for several servers sharing one database
 * (docs/design.md, "Several nodes on one PostgreSQL"): an upsert takes
 * its row only when the row is free - none, RELEASED or EXPIRED, or
 * ACTIVE or DECLINED and over by the database server's clock with
 * LEASE_DB_CLOCK_SKEW to spare - or already the same client's (client-id
 * when both have one, else chaddr); a same client's ACTIVE row keeps the
 * later horizon, and is ended (RELEASED, EXPIRED, DECLINED) only by one
 * who knows its latest horizon. A delete with a chaddr removes an ACTIVE
 * row only of that client. An operation that does not take its row
 * changes nothing and is marked in lost[i] (n bytes; NULL: not wanted);
 * the others commit. 0 when the transaction committed (some operations
 * may be lost), else as lease_db_commit_ops(). SQLite, one writer, never
 * loses one.
 */
int lease_db_commit_claim(struct lease_db *db, const struct dx_lease_op *ops,
			  size_t n, uint8_t *lost);

/*
 * Seconds by which the clocks of the servers sharing a database (and the
 * database server's) may differ, at most: a lease another server
 * granted is free only this long after its horizon (NTP keeps clocks
 * far closer).
 */
#define LEASE_DB_CLOCK_SKEW 5

/*
 * A second connection to a shared PostgreSQL database that LISTENs for
 * its lease changes (schema version 2's trigger NOTIFYs (subnet_id,
 * addr) of every row inserted, updated or deleted). -EOPNOTSUPP for
 * SQLite. Reads (lease_db_get_by_addr, lease_db_load) work on it as on
 * any lease_db; it reconnects as the store does (lease_db_reconnect), and
 * LISTENs again on every new connection.
 */
int lease_db_watch_open(const struct dx_lease_db_conf *conf,
			struct lease_db **out, char *err, size_t errlen);
/* Readable when notifications may have arrived; -1 while down. */
int lease_db_notify_fd(const struct lease_db *db);
/*
 * Read what arrived, without blocking: cb(subnet_id, addr, pid, arg) for
 * each row changed, pid the server process that changed it (compare
 * lease_db_backend_pid() of the writing connection: its own writes). The
 * number of keys, or -ENOTCONN (the connection went: what was notified
 * meanwhile is lost; reconnect, then read every row again).
 */
typedef int (*lease_db_key_cb)(uint32_t subnet_id, uint32_t addr, int pid,
			       void *arg);
int lease_db_notifications(struct lease_db *db, lease_db_key_cb cb, void *arg);
/* The server process of db's connection (PostgreSQL), 0 if none: a
 * notification from it is db's own write. */
int lease_db_backend_pid(const struct lease_db *db);

/*
 * SQLite: is the path still the file that was opened, and its -wal the
 * WAL in use? (PostgreSQL: always 0.) A database removed (or renamed, or replaced by another file) while
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
 * an ACTIVE one first, then the most recently seen. On SQLite this scans
 * the table (no MAC index: writes would pay for it, see the schema's
 * version 3): for single reads, not one per lease.
 */
int lease_db_get_by_mac(struct lease_db *db, uint32_t subnet_id,
			const uint8_t mac[6], struct dx_lease_rec *out);

#endif /* DHCPXDP_LEASE_DB_H */
