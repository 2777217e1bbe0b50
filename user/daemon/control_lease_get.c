// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Kea's lease queries (docs/control.md): lease4-get, lease4-get-all,
 * lease4-get-page, lease4-get-by-hw-address, lease4-get-by-client-id,
 * lease4-get-by-hostname. Rows come from the lease database (what is
 * durable), each brought up to date with the lease map (lease_view.h:
 * XDP's renewals since), and are answered in Kea's shape
 * (control_lease_json.h).
 *
 * Only the address and (subnet, MAC) lookups are indexed; the others
 * walk the database, as lease4-get-all does.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <json-c/json.h>
#include "config/config.h"
#include "daemon/control_cmds.h"
#include "daemon/control_json.h"
#include "daemon/control_lease_json.h"
#include "daemon/daemon_state.h"
#include "engine/engine.h"
#include "kernel/lease_view.h"
#include "store/lease_db.h"
#include "util/clock.h"
#include "util/fmt.h"
#include "wire/option_def.h"

/* Subnets lease4-get-all may be limited to (Kea's "subnets" list). */
#define MAX_SUBNET_FILTER 64

/* What a walk keeps: every filter set must match. */
struct lease_filter {
	const uint32_t *subnets; /* n_subnets == 0: all */
	size_t n_subnets;
	const uint8_t *mac;
	const uint8_t *cid;
	size_t cid_len;
	const char *hostname;
};

struct lease_walk {
	const struct daemon *d;
	const struct lease_filter *f;
	struct json_object *arr;  /* listing: the answer's leases */
	struct lease_page *page;  /* lease4-get-page */
	struct dx_lease_rec *one; /* lease4-get by client-id */
	bool found;
	int64_t now_wall;
	uint64_t now_boot;
	struct lease_maps maps;
};

static bool lease_matches(const struct lease_filter *f,
			  const struct dx_lease_rec *r)
{
	bool in = !f->n_subnets;

	for (size_t i = 0; i < f->n_subnets && !in; i++)
		in = r->subnet_id == f->subnets[i];
	if (!in || (f->mac && memcmp(r->mac, f->mac, 6)))
		return false;
	if (f->cid && (r->client_id_len != f->cid_len ||
		       memcmp(r->client_id, f->cid, f->cid_len)))
		return false;
	/* Kea keeps host names lower case: compare as it finds them. */
	return !f->hostname || !strcasecmp(r->hostname, f->hostname);
}

static int walk_one(const struct dx_lease_rec *r, void *arg)
{
	struct lease_walk *w = arg;
	struct dx_lease_rec m;

	if (!lease_matches(w->f, r))
		return 0;
	if (w->page) {
		/* Merged when answered: the page keeps the address only. */
		lease_page_offer(w->page, r);
		return 0;
	}
	m = *r;
	lease_view_merge(&w->maps, w->d->cfg, &m, w->now_wall, w->now_boot);
	if (w->one) {
		/* As lease_db_get_by_mac: an active row first. */
		if (!w->found || (w->one->state != DX_LEASE_ACTIVE &&
				  m.state == DX_LEASE_ACTIVE))
			*w->one = m;
		w->found = true;
		return 0;
	}
	return json_object_array_add(w->arr, control_lease_to_kea(&m)) ? -ENOMEM
								       : 0;
}

static int walk(struct daemon *d, struct lease_walk *w)
{
	w->d = d;
	w->maps = lease_maps_of(&d->bpf);
	w->now_wall = now_wall();
	w->now_boot = now_boot_ns();
	return lease_db_load(d->db, walk_one, w);
}

static struct json_object *db_failed(struct daemon *d)
{
	return ctl_reply(CONTROL_ERROR, "reading the lease database failed: %s",
			 lease_db_errmsg(d->db));
}

/* {"leases": [...]}, Kea's text; result 3 when the list is empty. */
static struct json_object *listing(struct daemon *d,
				   const struct lease_filter *f)
{
	struct lease_walk w = {.f = f};
	struct json_object *o;
	size_t n;
	char text[64];

	w.arr = json_object_new_array();
	if (walk(d, &w)) {
		json_object_put(w.arr);
		return db_failed(d);
	}
	n = json_object_array_length(w.arr);
	o = json_object_new_object();
	json_object_object_add(o, "leases", w.arr);
	snprintf(text, sizeof(text), "%zu IPv4 lease(s) found.", n);
	return control_response(n ? CONTROL_SUCCESS : CONTROL_EMPTY, text, o);
}

/* A client-id argument in Kea's forms ("01:02:aa", "0102aa"). */
static int arg_client_id(const char *s, uint8_t *cid, size_t *len)
{
	int n = s ? option_parse_hex(s, cid, DX_LEASE_CLIENT_ID_MAX) : -1;

	if (n < 1)
		return -EINVAL;
	*len = (size_t)n;
	return 0;
}

/* ---- lease4-get-all, lease4-get-by-* ------------------------------------ */

struct json_object *cmd_lease_all_h(struct daemon *d, struct json_object *args)
{
	uint32_t ids[MAX_SUBNET_FILTER];
	struct lease_filter f = {.subnets = ids};
	struct json_object *subs, *v;
	bool present;

	/* dhcpxdp's {"subnet-id": N} besides Kea's {"subnets": [N, ...]}. */
	if (ctl_arg_u32_present(args, "subnet-id", &ids[0], &present))
		return ctl_reply(CONTROL_ERROR,
				 "'subnet-id' must be an unsigned integer");
	f.n_subnets = present;
	if (args && json_object_object_get_ex(args, "subnets", &subs)) {
		if (!json_object_is_type(subs, json_type_array) ||
		    json_object_array_length(subs) > MAX_SUBNET_FILTER)
			return ctl_reply(CONTROL_ERROR,
					 "'subnets' must be a list of at most "
					 "%d subnet ids",
					 MAX_SUBNET_FILTER);
		f.n_subnets = json_object_array_length(subs);
		for (size_t i = 0; i < f.n_subnets; i++) {
			int64_t id;

			v = json_object_array_get_idx(subs, i);
			id = json_object_get_int64(v);
			if (!json_object_is_type(v, json_type_int) || id < 0 ||
			    id > UINT32_MAX)
				return ctl_reply(CONTROL_ERROR,
						 "'subnets' must list unsigned "
						 "integers");
			ids[i] = (uint32_t)id;
		}
		/* Kea: an empty list is every subnet. */
	}
	return listing(d, &f);
}

struct json_object *cmd_lease_by_hw_h(struct daemon *d,
				      struct json_object *args)
{
	const char *hw = ctl_arg_str(args, "hw-address");
	struct lease_filter f = {0};
	uint8_t mac[6];

	if (!hw || parse_mac(hw, mac))
		return ctl_reply(CONTROL_ERROR,
				 "'hw-address' parameter not specified or not "
				 "a MAC address");
	f.mac = mac;
	return listing(d, &f);
}

struct json_object *cmd_lease_by_cid_h(struct daemon *d,
				       struct json_object *args)
{
	uint8_t cid[DX_LEASE_CLIENT_ID_MAX];
	struct lease_filter f = {.cid = cid};

	if (arg_client_id(ctl_arg_str(args, "client-id"), cid, &f.cid_len))
		return ctl_reply(CONTROL_ERROR,
				 "'client-id' parameter not specified or not "
				 "hex octets");
	return listing(d, &f);
}

struct json_object *cmd_lease_by_host_h(struct daemon *d,
					struct json_object *args)
{
	struct lease_filter f = {.hostname = ctl_arg_str(args, "hostname")};

	if (!f.hostname || !*f.hostname)
		return ctl_reply(CONTROL_ERROR,
				 "'hostname' parameter not specified or empty");
	return listing(d, &f);
}

/* ---- lease4-get-page ----------------------------------------------------- */

/* Kea bounds nothing; one page is built in memory, so dhcpxdp does. */
#define PAGE_LIMIT_MAX 100000

struct json_object *cmd_lease_page_h(struct daemon *d, struct json_object *args)
{
	const char *from = ctl_arg_str(args, "from");
	struct lease_filter f = {0};
	struct lease_walk w = {.f = &f};
	struct lease_page page;
	struct json_object *o, *arr;
	uint32_t limit = 0, after = 0;
	int64_t now = now_wall();
	uint64_t boot = now_boot_ns();
	bool start, has_limit;
	char text[64];

	if (ctl_arg_u32_present(args, "limit", &limit, &has_limit) ||
	    !has_limit || !limit || limit > PAGE_LIMIT_MAX)
		return ctl_reply(CONTROL_ERROR,
				 "'limit' must be an integer from 1 to %d",
				 PAGE_LIMIT_MAX);
	start = from && !strcmp(from, "start");
	if (!from || (!start && parse_ipv4(from, &after)))
		return ctl_reply(CONTROL_ERROR,
				 "'from' must be \"start\" or an IPv4 address");
	if (lease_page_init(&page, after, start, limit))
		return ctl_reply(CONTROL_ERROR, "out of memory");
	w.page = &page;
	if (walk(d, &w)) {
		lease_page_free(&page);
		return db_failed(d);
	}
	lease_page_sort(&page);
	arr = json_object_new_array();
	for (size_t i = 0; i < page.n; i++) {
		lease_view_merge(&w.maps, d->cfg, &page.rows[i], now, boot);
		json_object_array_add(arr, control_lease_to_kea(&page.rows[i]));
	}
	o = json_object_new_object();
	ctl_add_u64(o, "count", page.n);
	json_object_object_add(o, "leases", arr);
	snprintf(text, sizeof(text), "%zu IPv4 lease(s) found.", page.n);
	lease_page_free(&page);
	return control_response(json_object_array_length(arr) ? CONTROL_SUCCESS
							      : CONTROL_EMPTY,
				text, o);
}

/* ---- lease4-get ---------------------------------------------------------- */

/*
 * The lease args name: Kea's {"ip-address"[, "subnet-id"]} or
 * {"identifier-type": "hw-address"|"client-id", "identifier", "subnet-id"};
 * dhcpxdp's {"subnet-id", "hw-address"} too. 0, -ENOENT, or the error
 * answer in *err.
 */
int control_lease_find(struct daemon *d, struct json_object *args,
		       struct dx_lease_rec *rec, struct json_object **err)
{
	const char *ip = ctl_arg_str(args, "ip-address");
	const char *hw = ctl_arg_str(args, "hw-address");
	const char *idt = ctl_arg_str(args, "identifier-type");
	const char *id = ctl_arg_str(args, "identifier");
	uint8_t cid[DX_LEASE_CLIENT_ID_MAX], mac[6];
	struct lease_filter f = {0};
	struct lease_walk w = {.f = &f, .one = rec};
	uint32_t subnet = 0, addr;
	bool has_subnet;
	int ret;

	*err = NULL;
	if (ctl_arg_u32_present(args, "subnet-id", &subnet, &has_subnet)) {
		*err = ctl_reply(CONTROL_ERROR,
				 "'subnet-id' must be an unsigned integer");
		return -EINVAL;
	}
	if (ip) {
		if (parse_ipv4(ip, &addr)) {
			*err = ctl_reply(CONTROL_ERROR,
					 "Failed to convert '%s' to address",
					 ip);
			return -EINVAL;
		}
		if (!has_subnet)
			subnet = config_subnet_of_addr(d->cfg, addr);
		ret = lease_db_get_by_addr(d->db, subnet, addr, rec);
		goto found;
	}
	if (idt && id && !strcmp(idt, "hw-address"))
		hw = id;
	else if (idt && (!id || strcmp(idt, "client-id"))) {
		*err = ctl_reply(CONTROL_ERROR,
				 "identifier-type '%s' with 'identifier' is "
				 "needed: hw-address or client-id are "
				 "supported",
				 idt);
		return -EINVAL;
	}
	if (!has_subnet || (!hw && !idt)) {
		*err = ctl_reply(CONTROL_ERROR,
				 "needs 'ip-address', or 'subnet-id' with "
				 "'identifier-type' and 'identifier'");
		return -EINVAL;
	}
	if (hw) {
		if (parse_mac(hw, mac)) {
			*err = ctl_reply(CONTROL_ERROR, "bad hw-address '%s'",
					 hw);
			return -EINVAL;
		}
		/* The engine knows the client's rows: no scan of the
		 * database (SQLite has no MAC index), then the row itself. */
		ret = engine_lease_by_mac(d->eng, subnet, mac, &addr);
		if (!ret)
			ret = lease_db_get_by_addr(d->db, subnet, addr, rec);
		goto found;
	}
	if (arg_client_id(id, cid, &f.cid_len)) {
		*err = ctl_reply(CONTROL_ERROR, "bad client-id '%s'", id);
		return -EINVAL;
	}
	f.cid = cid;
	f.subnets = &subnet;
	f.n_subnets = 1;
	ret = walk(d, &w);
	if (!ret && !w.found)
		ret = -ENOENT;
	if (!ret)
		return 0; /* merged by the walk */
found:
	if (ret == -ENOENT)
		return ret;
	if (ret) {
		*err = db_failed(d);
		return -EIO;
	}
	w.maps = lease_maps_of(&d->bpf);
	lease_view_merge(&w.maps, d->cfg, rec, now_wall(), now_boot_ns());
	return 0;
}

struct json_object *cmd_lease_get_h(struct daemon *d, struct json_object *args)
{
	struct json_object *err;
	struct dx_lease_rec rec;
	int ret;

	ret = control_lease_find(d, args, &rec, &err);
	if (ret == -ENOENT)
		return ctl_reply(CONTROL_EMPTY, "Lease not found.");
	if (ret)
		return err;
	return control_response(CONTROL_SUCCESS, "IPv4 lease found.",
				control_lease_to_kea(&rec));
}
