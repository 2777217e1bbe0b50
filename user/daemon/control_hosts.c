// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * lease4-del, reservation-add, reservation-del (control_cmds.h,
 * docs/control.md).
 *
 * lease4-del goes through the engine (engine_lease_delete) and then the
 * usual commit-then-map order (daemon_commit_and_map, docs/design.md §2).
 *
 * Reservation changes are written to the run-time store first
 * (reservations_store.h: persisted, atomically), then applied by
 * rebuilding exactly as a reload does (control_ops.reload: the store is merged
 * into the configuration, the engine excludes the address from its pool,
 * map_sync installs or drops the lease-map entry). If that rebuild fails
 * before the new state is served, the store is put back as it was.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>
#include "config/config.h"
#include "config/reservations_store.h"
#include "daemon/commit.h"
#include "daemon/control.h"
#include "daemon/control_cmds.h"
#include "daemon/control_json.h"
#include "daemon/daemon_state.h"
#include "engine/engine.h"
#include "store/lease_db.h"
#include "util/clock.h"
#include "util/fmt.h"
#include "util/log.h"

/* ---- lease4-del -------------------------------------------------------- */

struct json_object *control_lease_del(struct daemon *d,
				      struct json_object *args)
{
	struct json_object *err;
	struct dx_lease_rec old;
	struct engine_changes ch;
	uint32_t subnet, addr;
	char a[FMT_IPV4_LEN];
	bool have_old;
	int ret;

	/*
	 * Renewals noted but not yet written would re-create the row after
	 * the delete: they go first.
	 */
	daemon_sync(d);
	ret = control_lease_find(d, args, &old, &err);
	if (ret == -ENOENT)
		return ctl_reply(CONTROL_EMPTY, "IPv4 lease not found.");
	if (ret)
		return err;
	subnet = old.subnet_id;
	addr = old.addr;
	/* The row as stored, not as merged with the map: put back as is. */
	have_old = lease_db_get_by_addr(d->db, subnet, addr, &old) == 0;
	ret = engine_lease_delete(d->eng, subnet, addr, &ch);
	if (ret == -ENOENT)
		return ctl_reply(CONTROL_EMPTY, "IPv4 lease not found.");
	if (ret)
		return ctl_reply(CONTROL_ERROR,
				 "deleting the lease of %s failed: %s",
				 fmt_ipv4(a, addr), strerror(-ret));
	ret = daemon_commit_and_map(d, ch.ops, ch.n_ops, ch.map, ch.n_map);
	if (ret) {
		/* Not deleted: the engine takes the row back as it is. */
		if (have_old)
			(void)engine_load_lease(d->eng, &old, now_wall(), NULL);
		return ctl_reply(CONTROL_ERROR,
				 "the lease of %s was not deleted: the lease "
				 "database commit failed (%s)",
				 fmt_ipv4(a, addr), lease_db_errmsg(d->db));
	}
	log_info("control: lease of %s (subnet %u) deleted by the operator; "
		 "the address is free again",
		 fmt_ipv4(a, addr), subnet);
	return ctl_reply(CONTROL_SUCCESS, "IPv4 lease deleted.");
}

/* ---- reservations ------------------------------------------------------ */

/* The subnet's reservation matching what args name (hw-address,
 * client-id, ip-address, or Kea's identifier-type + identifier). */
static const struct dx_reservation_conf *
find_reservation(const struct dx_subnet_conf *sc, struct json_object *args,
		 char *err, size_t errlen)
{
	const char *idt = ctl_arg_str(args, "identifier-type");
	const char *id = ctl_arg_str(args, "identifier");
	const char *hw = ctl_arg_str(args, "hw-address");
	const char *cid = ctl_arg_str(args, "client-id");
	const char *ip = ctl_arg_str(args, "ip-address");
	struct json_object *probe;
	struct rstore_entry e;
	uint32_t addr = 0;

	if (idt && id && !strcmp(idt, "hw-address"))
		hw = id;
	else if (idt && id && !strcmp(idt, "client-id"))
		cid = id;
	else if (idt) {
		snprintf(err, errlen,
			 "identifier-type '%s' is not supported (hw-address "
			 "or client-id)",
			 idt);
		return NULL;
	}
	if (!hw && !cid && !ip) {
		snprintf(err, errlen,
			 "reservation-del needs 'hw-address', 'client-id' or "
			 "'ip-address' (or 'identifier-type' and "
			 "'identifier')");
		return NULL;
	}
	/* Identifiers parsed as the store parses them. */
	probe = json_object_new_object();
	json_object_object_add(probe, "subnet-id",
			       json_object_new_int64(sc->id));
	if (hw || cid)
		json_object_object_add(probe, hw ? "hw-address" : "client-id",
				       json_object_new_string(hw ? hw : cid));
	else
		json_object_object_add(
			probe, "hw-address",
			json_object_new_string("00:00:00:00:00:00"));
	json_object_object_add(probe, "ip-address",
			       json_object_new_string(ip ? ip : "0.0.0.0"));
	if (rstore_entry_from_json(probe, &e, err, errlen)) {
		json_object_put(probe);
		return NULL;
	}
	json_object_put(probe);
	if (ip)
		addr = e.addr;
	for (size_t j = 0; j < sc->n_reservations; j++) {
		const struct dx_reservation_conf *r = &sc->reservations[j];

		if (ip && r->addr != addr)
			continue;
		if (hw && (!r->has_hw || memcmp(r->hw, e.hw, 6)))
			continue;
		if (cid && (r->client_id_len != e.client_id_len ||
			    memcmp(r->client_id, e.client_id, e.client_id_len)))
			continue;
		return r;
	}
	snprintf(err, errlen, "Host not deleted (not found).");
	return NULL;
}

/* Is the lease row rec this reservation's client? */
static bool same_client(const struct dx_lease_rec *rec,
			const struct rstore_entry *e)
{
	if (e->has_hw)
		return !memcmp(rec->mac, e->hw, 6);
	return rec->client_id_len == e->client_id_len &&
	       !memcmp(rec->client_id, e->client_id, e->client_id_len);
}

/* Is the runtime entry e served now (merged into d->cfg)? */
static bool served(const struct daemon *d, const struct rstore_entry *e)
{
	const struct dx_subnet_conf *sc =
		config_subnet_by_id(d->cfg, e->subnet_id);

	for (size_t j = 0; sc && j < sc->n_reservations; j++)
		if (sc->reservations[j].runtime &&
		    sc->reservations[j].addr == e->addr)
			return true;
	return false;
}

/*
 * Write s, rebuild as a reload does; on a failed rebuild that left the
 * previous state served, write `before` back. want_served: whether e is
 * to be served afterwards (add) or not (del).
 */
static struct json_object *persist_apply(struct daemon *d, const char *path,
					 const struct rstore *s,
					 const struct rstore *before,
					 const struct rstore_entry *e,
					 bool want_served, const char *done)
{
	char err[PATH_MAX + 256];
	int ret;

	if (rstore_save(s, path, err, sizeof(err)))
		return ctl_reply(CONTROL_ERROR, "%s; nothing changed", err);
	ret = d->ctl->ops->reload(d);
	if (!ret)
		return ctl_reply(CONTROL_SUCCESS, "%s", done);
	if (served(d, e) == want_served)
		return ctl_reply(CONTROL_ERROR,
				 "%s, but the reload that applies it did not "
				 "complete (%s); see the daemon's log",
				 done, strerror(-ret));
	if (rstore_save(before, path, err, sizeof(err)))
		return ctl_reply(
			CONTROL_ERROR,
			"applying the change failed (%s) and %s was not "
			"restored (%s): fix it by hand",
			strerror(-ret), path, err);
	return ctl_reply(
		CONTROL_ERROR,
		"not changed: reloading %s with it failed (%s); see the "
		"daemon's log (the reload re-reads the configuration file)",
		d->config_path, strerror(-ret));
}

struct json_object *control_reservation_add(struct daemon *d,
					    struct json_object *args)
{
	struct json_object *o = args, *inner;
	struct rstore_entry e;
	struct rstore s = {0}, before = {0};
	struct dx_lease_rec rec;
	char err[PATH_MAX + 512], path[PATH_MAX], a[FMT_IPV4_LEN],
		m[FMT_MAC_LEN];
	struct json_object *resp;
	int ret;

	/* Kea's shape: {"reservation": {...}}; a flat object is taken too. */
	if (args && json_object_object_get_ex(args, "reservation", &inner))
		o = inner;
	if (!o)
		return ctl_reply(
			CONTROL_ERROR,
			"reservation-add needs 'reservation': "
			"{subnet-id, hw-address or client-id, ip-address"
			"[, hostname]}");
	if (rstore_entry_from_json(o, &e, err, sizeof(err)))
		return ctl_reply(CONTROL_ERROR, "%s", err);
	if (rstore_check(d->cfg, &e, err, sizeof(err)))
		return ctl_reply(CONTROL_ERROR, "%s", err);
	/* An address leased to someone else stays theirs (as the durable
	 * horizon promises): end that lease first. */
	if (engine_lease_lookup(d->eng, e.subnet_id, e.addr, &rec) == 0) {
		if (rec.state == DX_LEASE_ACTIVE && !same_client(&rec, &e)) {
			fmt_mac(m, rec.mac);
			return ctl_reply(
				CONTROL_ERROR,
				"%s is leased to %s%s%s until %lld; delete "
				"that lease first (lease4-del, 'dhcpxdp "
				"leases --delete %s') or reserve another "
				"address",
				fmt_ipv4(a, e.addr), m,
				rec.hostname[0] ? " " : "", rec.hostname,
				(long long)(rec.horizon > rec.expires
						    ? rec.horizon
						    : rec.expires),
				a);
		}
		if (rec.state == DX_LEASE_DECLINED)
			return ctl_reply(
				CONTROL_ERROR,
				"%s was declined by a client (in use by "
				"another host?) and is in probation until "
				"%lld; delete that lease first if the "
				"address is free",
				fmt_ipv4(a, e.addr), (long long)rec.expires);
	}
	if (rstore_path(d->cfg, path, sizeof(path)))
		return ctl_reply(CONTROL_ERROR,
				 "run-time reservations: path too "
				 "long");
	if (rstore_load(path, &s, err, sizeof(err)) ||
	    rstore_load(path, &before, err, sizeof(err))) {
		rstore_free(&s);
		return ctl_reply(CONTROL_ERROR, "%s", err);
	}
	ret = rstore_add(&s, &e);
	if (ret)
		resp = ctl_reply(CONTROL_ERROR, "out of memory");
	else
		resp = persist_apply(d, path, &s, &before, &e, true,
				     "Host added.");
	if (!ret)
		log_info("control: reservation of %s in subnet %u %s",
			 fmt_ipv4(a, e.addr), e.subnet_id,
			 served(d, &e) ? "added" : "not added");
	rstore_free(&s);
	rstore_free(&before);
	return resp;
}

struct json_object *control_reservation_del(struct daemon *d,
					    struct json_object *args)
{
	const struct dx_subnet_conf *sc;
	const struct dx_reservation_conf *r;
	struct rstore s = {0}, before = {0};
	struct rstore_entry e;
	char err[PATH_MAX + 512], path[PATH_MAX], a[FMT_IPV4_LEN];
	struct json_object *resp;
	uint32_t subnet = 0, addr;
	const char *ip = ctl_arg_str(args, "ip-address");
	int has_subnet;
	long idx = -1;

	has_subnet = ctl_arg_u32(args, "subnet-id", &subnet);
	if (has_subnet < 0)
		return ctl_reply(CONTROL_ERROR,
				 "'subnet-id' must be an unsigned integer");
	if (!has_subnet && ip && !parse_ipv4(ip, &addr))
		subnet = config_subnet_of_addr(d->cfg, addr);
	if (!subnet)
		return ctl_reply(CONTROL_ERROR,
				 "reservation-del needs 'subnet-id'");
	sc = config_subnet_by_id(d->cfg, subnet);
	if (!sc)
		return ctl_reply(CONTROL_ERROR, "no subnet with id %u", subnet);
	r = find_reservation(sc, args, err, sizeof(err));
	if (!r)
		return ctl_reply(strstr(err, "not found") ? CONTROL_EMPTY
							  : CONTROL_ERROR,
				 "%s", err);
	if (!r->runtime)
		return ctl_reply(
			CONTROL_ERROR,
			"the reservation of %s in subnet %u is defined in "
			"%s; edit it and reload",
			fmt_ipv4(a, r->addr), subnet, d->config_path);
	if (rstore_path(d->cfg, path, sizeof(path)))
		return ctl_reply(CONTROL_ERROR,
				 "run-time reservations: path too "
				 "long");
	if (rstore_load(path, &s, err, sizeof(err)) ||
	    rstore_load(path, &before, err, sizeof(err))) {
		rstore_free(&s);
		return ctl_reply(CONTROL_ERROR, "%s", err);
	}
	idx = rstore_find_addr(&s, subnet, r->addr);
	if (idx < 0) {
		resp = ctl_reply(
			CONTROL_ERROR,
			"the reservation of %s is no longer in %s (edited "
			"by hand?); run 'dhcpxdp reload'",
			fmt_ipv4(a, r->addr), path);
		goto out;
	}
	e = s.v[idx];
	rstore_remove(&s, (size_t)idx);
	/* r points into d->cfg, which the reload replaces: not used after. */
	resp = persist_apply(d, path, &s, &before, &e, false, "Host deleted.");
	log_info("control: run-time reservation of %s in subnet %u %s",
		 fmt_ipv4(a, e.addr), subnet,
		 served(d, &e) ? "not deleted" : "deleted");
out:
	rstore_free(&s);
	rstore_free(&before);
	return resp;
}
