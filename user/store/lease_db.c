// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The lease database's one interface (lease_db.h): the arguments checked
 * here, once for every back end, then handed to the ops of the back end
 * that opened the database (lease_db_internal.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "config/config.h"
#include "store/lease_db.h"
#include "store/lease_db_internal.h"
#include "util/errmsg.h"

static bool is_pgsql(const struct dx_lease_db_conf *conf)
{
	return conf->type && !strcmp(conf->type, "postgresql");
}

int lease_db_open(const struct dx_lease_db_conf *conf, struct lease_db **out,
		  char *err, size_t errlen)
{
	if (!conf || !out) {
		errmsg(err, errlen, 0, "lease database: none given");
		return -EINVAL;
	}
	if (is_pgsql(conf))
		return lease_db_pgsql_open(conf, out, err, errlen);
	return lease_db_sqlite_open(conf->name, out, err, errlen);
}

int lease_db_watch_open(const struct dx_lease_db_conf *conf,
			struct lease_db **out, char *err, size_t errlen)
{
	*out = NULL;
	if (!conf || !is_pgsql(conf))
		return -EOPNOTSUPP;
	return lease_db_pgsql_watch_open(conf, out, err, errlen);
}

int lease_db_notify_fd(const struct lease_db *db)
{
	return db && db->ops->notify_fd ? db->ops->notify_fd(db) : -1;
}

int lease_db_notifications(struct lease_db *db, lease_db_key_cb cb, void *arg)
{
	if (!db || !cb)
		return -EINVAL;
	return db->ops->notifications ? db->ops->notifications(db, cb, arg)
				      : -EOPNOTSUPP;
}

int lease_db_backend_pid(const struct lease_db *db)
{
	return db && db->ops->backend_pid ? db->ops->backend_pid(db) : 0;
}

int lease_db_open_file(const char *path, struct lease_db **out, char *err,
		       size_t errlen)
{
	return lease_db_sqlite_open(path, out, err, errlen);
}

int lease_db_admin(const struct dx_lease_db_conf *conf,
		   enum lease_db_admin_op op, int *version, char *err,
		   size_t errlen)
{
	if (!conf || !version || op < LEASE_DB_INIT || op > LEASE_DB_VERSION) {
		errmsg(err, errlen, 0, "lease database: none given");
		return -EINVAL;
	}
	*version = 0;
	if (is_pgsql(conf))
		return lease_db_pgsql_admin(conf, op, version, err, errlen);
	return lease_db_sqlite_admin(conf->name, op, version, err, errlen);
}

void lease_db_close(struct lease_db *db)
{
	if (db)
		db->ops->close(db);
}

const char *lease_db_errmsg(const struct lease_db *db)
{
	return db ? db->errmsg : "no database";
}

const char *lease_db_name(const struct lease_db *db)
{
	return db ? db->name : "no database";
}

static int check_rec(const struct dx_lease_rec *r)
{
	if (r->state < DX_LEASE_ACTIVE || r->state > DX_LEASE_EXPIRED)
		return -EINVAL;
	return 0;
}

int lease_db_commit_ops(struct lease_db *db, const struct dx_lease_op *ops,
			size_t n)
{
	return lease_db_commit_claim(db, ops, n, NULL);
}

int lease_db_commit_claim(struct lease_db *db, const struct dx_lease_op *ops,
			  size_t n, uint8_t *lost)
{
	size_t i;

	if (!db || (n && !ops))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if ((ops[i].kind != DX_LEASE_OP_UPSERT &&
		     ops[i].kind != DX_LEASE_OP_DELETE) ||
		    (ops[i].kind == DX_LEASE_OP_UPSERT &&
		     check_rec(&ops[i].rec)))
			/* Refused before the database: say so, not its
			 * last error. */
			return lease_db_fail(db, -EINVAL,
					     "lease operation %zu of %zu is "
					     "invalid",
					     i + 1, n);
	}
	if (lost)
		memset(lost, 0, n);
	if (!n)
		return 0;
	return db->ops->commit(db, ops, n, lost);
}

int lease_db_check_file(struct lease_db *db)
{
	return db ? db->ops->check_file(db) : -EINVAL;
}

int lease_db_load(struct lease_db *db, dx_lease_cb cb, void *arg)
{
	if (!db || !cb)
		return -EINVAL;
	return db->ops->load(db, cb, arg);
}

int lease_db_get_by_addr(struct lease_db *db, uint32_t subnet_id, uint32_t addr,
			 struct dx_lease_rec *out)
{
	if (!db || !out)
		return -EINVAL;
	return db->ops->get_by_addr(db, subnet_id, addr, out);
}

int lease_db_get_by_mac(struct lease_db *db, uint32_t subnet_id,
			const uint8_t mac[6], struct dx_lease_rec *out)
{
	if (!db || !mac || !out)
		return -EINVAL;
	return db->ops->get_by_mac(db, subnet_id, mac, out);
}

enum lease_db_link lease_db_link(const struct lease_db *db)
{
	return db && db->ops->link ? (enum lease_db_link)db->ops->link(db)
				   : LEASE_DB_UP;
}

int lease_db_reconnect(struct lease_db *db)
{
	if (!db)
		return -EINVAL;
	return db->ops->reconnect ? db->ops->reconnect(db) : 0;
}

bool lease_db_thread_safe(const struct lease_db *db)
{
	return db && db->ops->thread_safe();
}
