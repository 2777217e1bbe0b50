// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * lease4-add and lease4-update (docs/control.md), with Kea's argument
 * names. lease4-add: a lease the operator brings across from another
 * server (`dhcpxdp leases import` while the daemon runs). lease4-update:
 * the same lease replaced, in one commit (the old row's delete and the
 * new row's upsert). The engine takes it (engine_lease_add), the row
 * is committed before the answer, and the lease map gets its entry, so
 * XDP renews it (commit first, map second: docs/design.md §2). Nothing
 * has renewed it here yet: its durable horizon is its own end.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>
#include "config/config.h"
#include "daemon/commit.h"
#include "daemon/control_cmds.h"
#include "daemon/control_json.h"
#include "daemon/daemon_state.h"
#include "engine/engine.h"
#include "store/lease_db.h"
#include "util/clock.h"
#include "util/fmt.h"
#include "util/log.h"
#include "wire/option_def.h"

/* Kea's Lease::STATE_DEFAULT and STATE_DECLINED */
#define KEA_STATE_DEFAULT  0
#define KEA_STATE_DECLINED 1

/* The lease row from Kea's arguments; NULL, or the error answer. */
static struct json_object *lease_from_args(struct daemon *d,
					   struct json_object *args,
					   int64_t now, struct dx_lease_rec *r)
{
	const char *ip = ctl_arg_str(args, "ip-address");
	const char *hw = ctl_arg_str(args, "hw-address");
	const char *cid = ctl_arg_str(args, "client-id");
	const char *host = ctl_arg_str(args, "hostname");
	const struct dx_subnet_conf *sc;
	uint32_t valid = 0, expire = 0, state = KEA_STATE_DEFAULT;
	bool has_subnet, has_valid, has_expire, has_state;
	int n;

	memset(r, 0, sizeof(*r));
	if (ctl_arg_u32_present(args, "subnet-id", &r->subnet_id,
				&has_subnet) ||
	    ctl_arg_u32_present(args, "valid-lft", &valid, &has_valid) ||
	    ctl_arg_u32_present(args, "expire", &expire, &has_expire) ||
	    ctl_arg_u32_present(args, "state", &state, &has_state))
		return ctl_reply(CONTROL_ERROR,
				 "'subnet-id', 'valid-lft', 'expire' and "
				 "'state' must be unsigned integers");
	if (!ip || parse_ipv4(ip, &r->addr))
		return ctl_reply(
			CONTROL_ERROR,
			"lease4-add needs 'ip-address' (a dotted quad)");
	if (state != KEA_STATE_DEFAULT && state != KEA_STATE_DECLINED)
		return ctl_reply(CONTROL_ERROR,
				 "'state' %u: only 0 (default) and 1 "
				 "(declined) can be added",
				 state);
	r->state = state == KEA_STATE_DECLINED ? DX_LEASE_DECLINED
					       : DX_LEASE_ACTIVE;
	if (r->state == DX_LEASE_ACTIVE && (!hw || parse_mac(hw, r->mac)))
		return ctl_reply(CONTROL_ERROR,
				 "lease4-add needs 'hw-address' (a MAC)");
	if (cid) {
		/* Kea's forms: "01:02:aa", "0102aa", "0x0102aa". */
		n = option_parse_hex(cid, r->client_id, sizeof(r->client_id));
		if (n < 1)
			return ctl_reply(CONTROL_ERROR, "bad client-id '%s'",
					 cid);
		r->client_id_len = (uint8_t)n;
	}
	if (!has_subnet)
		r->subnet_id = config_subnet_of_addr(d->cfg, r->addr);
	sc = config_subnet_by_id(d->cfg, r->subnet_id);
	if (!sc)
		return ctl_reply(CONTROL_ERROR,
				 "no configured subnet holds %s%s", ip,
				 has_subnet ? " with that subnet-id" : "");
	if (!has_valid)
		valid = sc->valid_lifetime;
	/* Kea: the lease began at expire - valid-lft (cltt). */
	r->expires = has_expire ? (int64_t)expire : now + valid;
	r->horizon = r->expires;
	r->last_seen = r->expires - valid < now ? r->expires - valid : now;
	if (host)
		snprintf(r->hostname, sizeof(r->hostname), "%s", host);
	return NULL;
}

static const char *why(int ret)
{
	switch (ret) {
	case -EEXIST:
		return "the address is leased, offered or declined already";
	case -EPERM:
		return "the address is excluded for this client (another "
		       "client's reservation, or the server's own)";
	case -EBUSY:
		return "the client holds another address in the subnet";
	case -EINVAL:
		return "the lease is outside its subnet or has ended";
	}
	return strerror(-ret);
}

struct json_object *control_lease_add(struct daemon *d,
				      struct json_object *args)
{
	struct engine_changes ch, undo;
	struct json_object *bad;
	struct dx_lease_rec r;
	int64_t now = now_wall();
	char a[FMT_IPV4_LEN];
	int ret;

	bad = lease_from_args(d, args, now, &r);
	if (bad)
		return bad;
	fmt_ipv4(a, r.addr);
	/* Renewals noted but not written yet land first. */
	daemon_sync(d);
	ret = engine_lease_add(d->eng, &r, now, &ch);
	if (ret)
		return ctl_reply(CONTROL_ERROR, "lease of %s not added: %s", a,
				 why(ret));
	ret = daemon_commit_and_map(d, ch.ops, ch.n_ops, ch.map, ch.n_map);
	if (ret) {
		/* Not durable: the engine lets the address go again. */
		(void)engine_lease_delete(d->eng, r.subnet_id, r.addr, &undo);
		return ctl_reply(CONTROL_ERROR,
				 "lease of %s not added: the lease database "
				 "commit failed (%s)",
				 a, lease_db_errmsg(d->db));
	}
	log_info("control: lease of %s (subnet %u) added by the operator", a,
		 r.subnet_id);
	return ctl_reply(CONTROL_SUCCESS,
			 "Lease for address %s, subnet-id %u added.", a,
			 r.subnet_id);
}

/* ---- lease4-update ------------------------------------------------------- */

/* Both changes in one commit, so the update is all or nothing. */
struct two_changes {
	struct dx_lease_op ops[2 * ENGINE_MAX_OPS];
	struct engine_map_op map[2 * ENGINE_MAX_OPS];
	size_t n_ops, n_map;
};

static void append(struct two_changes *t, const struct engine_changes *c)
{
	memcpy(t->ops + t->n_ops, c->ops, c->n_ops * sizeof(*c->ops));
	t->n_ops += c->n_ops;
	memcpy(t->map + t->n_map, c->map, c->n_map * sizeof(*c->map));
	t->n_map += c->n_map;
}

struct json_object *control_lease_update(struct daemon *d,
					 struct json_object *args)
{
	struct engine_changes del, add, undo;
	struct two_changes all = {0};
	struct dx_lease_rec r, old;
	struct json_object *bad, *v;
	int64_t now = now_wall();
	char a[FMT_IPV4_LEN];
	bool force = false;
	int ret;

	bad = lease_from_args(d, args, now, &r);
	if (bad)
		return bad;
	if (args && json_object_object_get_ex(args, "force-create", &v))
		force = json_object_get_boolean(v);
	fmt_ipv4(a, r.addr);
	daemon_sync(d);
	ret = lease_db_get_by_addr(d->db, r.subnet_id, r.addr, &old);
	if (ret == -ENOENT && force)
		return control_lease_add(d, args);
	if (ret == -ENOENT)
		return ctl_reply(CONTROL_EMPTY,
				 "failed to update the lease with address %s "
				 "- no such lease",
				 a);
	if (ret)
		return ctl_reply(CONTROL_ERROR,
				 "reading the lease database failed: %s",
				 lease_db_errmsg(d->db));
	ret = engine_lease_delete(d->eng, old.subnet_id, old.addr, &del);
	if (ret)
		return ctl_reply(CONTROL_ERROR, "lease of %s not updated: %s",
				 a, strerror(-ret));
	ret = engine_lease_add(d->eng, &r, now, &add);
	if (ret) {
		/* The engine takes the old row back; nothing was written. */
		(void)engine_load_lease(d->eng, &old, now, NULL);
		return ctl_reply(CONTROL_ERROR, "lease of %s not updated: %s",
				 a, why(ret));
	}
	append(&all, &del);
	append(&all, &add);
	ret = daemon_commit_and_map(d, all.ops, all.n_ops, all.map, all.n_map);
	if (ret) {
		(void)engine_lease_delete(d->eng, r.subnet_id, r.addr, &undo);
		(void)engine_load_lease(d->eng, &old, now, NULL);
		return ctl_reply(CONTROL_ERROR,
				 "lease of %s not updated: the lease database "
				 "commit failed (%s)",
				 a, lease_db_errmsg(d->db));
	}
	log_info("control: lease of %s (subnet %u) updated by the operator", a,
		 r.subnet_id);
	return ctl_reply(CONTROL_SUCCESS, "IPv4 lease updated.");
}
