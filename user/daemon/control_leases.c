// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Control commands that list: `lease4-get-all`, `lease4-get` (from the
 * lease database) and `reservation-get-all` (configuration and run-time).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <json-c/json.h>
#include <dhcpxdp/abi.h>
#include <dhcpxdp/stats.h>
#include "config/config.h"
#include "daemon/control_cmds.h"
#include "daemon/control_json.h"
#include "daemon/daemon_state.h"
#include "kernel/lease_view.h"
#include "kernel/map_sync.h"
#include "store/lease_db.h"
#include "util/clock.h"
#include "util/fmt.h"

/* ---- leases ------------------------------------------------------------ */

static struct json_object *lease_json(const struct dx_lease_rec *r)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "ip-address", ctl_jstr_ip(r->addr));
	json_object_object_add(o, "hw-address", ctl_jstr_hex(r->mac, 6));
	if (r->client_id_len)
		json_object_object_add(
			o, "client-id",
			ctl_jstr_hex(r->client_id, r->client_id_len));
	ctl_add_u64(o, "subnet-id", r->subnet_id);
	json_object_object_add(
		o, "state", json_object_new_string(lease_state_name(r->state)));
	json_object_object_add(o, "hostname",
			       json_object_new_string(r->hostname));
	json_object_object_add(o, "expire", json_object_new_int64(r->expires));
	json_object_object_add(o, "horizon", json_object_new_int64(r->horizon));
	json_object_object_add(o, "last-seen",
			       json_object_new_int64(r->last_seen));
	json_object_object_add(
		o, "fast-path",
		json_object_new_boolean(r->flags & DX_LEASE_F_FASTPATH));
	return o;
}

struct lease_walk {
	const struct daemon *d;
	struct json_object *arr;
	uint32_t subnet; /* 0: all */
	int64_t now_wall;
	uint64_t now_boot;
};

static int lease_walk_one(const struct dx_lease_rec *r, void *arg)
{
	struct lease_walk *w = arg;
	struct dx_lease_rec m;

	if (w->subnet && r->subnet_id != w->subnet)
		return 0;
	m = *r;
	lease_view_merge(w->d->bpf.leases_fd, w->d->cfg, &m, w->now_wall,
			 w->now_boot);
	return json_object_array_add(w->arr, lease_json(&m)) ? -ENOMEM : 0;
}

struct json_object *cmd_lease_all_h(struct daemon *d, struct json_object *args)
{
	struct lease_walk w = {0};
	struct json_object *o, *subs;
	bool present;
	size_t n;
	char text[64];

	if (ctl_arg_u32_present(args, "subnet-id", &w.subnet, &present))
		return ctl_reply(CONTROL_ERROR,
				 "'subnet-id' must be an unsigned "
				 "integer");
	/* Kea's form: {"subnets": [id]}; one id is supported. */
	if (args && json_object_object_get_ex(args, "subnets", &subs)) {
		if (!json_object_is_type(subs, json_type_array) ||
		    json_object_array_length(subs) != 1 ||
		    !json_object_is_type(json_object_array_get_idx(subs, 0),
					 json_type_int))
			return ctl_reply(CONTROL_ERROR,
					 "'subnets' must list one subnet id");
		w.subnet = (uint32_t)json_object_get_int64(
			json_object_array_get_idx(subs, 0));
	}
	w.d = d;
	w.now_wall = now_wall();
	w.now_boot = now_boot_ns();
	w.arr = json_object_new_array();
	if (lease_db_load(d->db, lease_walk_one, &w)) {
		json_object_put(w.arr);
		return ctl_reply(CONTROL_ERROR,
				 "reading the lease database failed: "
				 "%s",
				 lease_db_errmsg(d->db));
	}
	n = json_object_array_length(w.arr);
	o = json_object_new_object();
	json_object_object_add(o, "leases", w.arr);
	snprintf(text, sizeof(text), "%zu IPv4 lease(s) found.", n);
	return control_response(n ? CONTROL_SUCCESS : CONTROL_EMPTY, text, o);
}

/* The configured subnet holding addr, 0 if none. */
struct json_object *cmd_lease_get_h(struct daemon *d, struct json_object *args)
{
	const char *ip = ctl_arg_str(args, "ip-address");
	const char *hw = ctl_arg_str(args, "hw-address");
	const char *idt = ctl_arg_str(args, "identifier-type");
	struct dx_lease_rec rec;
	uint32_t subnet = 0, addr;
	uint8_t mac[6];
	bool has_subnet;
	int ret;

	if (ctl_arg_u32_present(args, "subnet-id", &subnet, &has_subnet))
		return ctl_reply(CONTROL_ERROR,
				 "'subnet-id' must be an unsigned "
				 "integer");
	/* Kea's form {"identifier-type": "hw-address", "identifier": MAC}. */
	if (!hw && idt && !strcmp(idt, "hw-address"))
		hw = ctl_arg_str(args, "identifier");
	if (ip) {
		if (parse_ipv4(ip, &addr))
			return ctl_reply(CONTROL_ERROR, "bad ip-address '%s'",
					 ip);
		if (!has_subnet)
			subnet = config_subnet_of_addr(d->cfg, addr);
		ret = lease_db_get_by_addr(d->db, subnet, addr, &rec);
	} else if (hw && has_subnet) {
		if (parse_mac(hw, mac))
			return ctl_reply(CONTROL_ERROR, "bad hw-address '%s'",
					 hw);
		ret = lease_db_get_by_mac(d->db, subnet, mac, &rec);
	} else {
		return ctl_reply(
			CONTROL_ERROR,
			"lease4-get needs 'ip-address', or 'subnet-id' "
			"and 'hw-address'");
	}
	if (ret == -ENOENT)
		return ctl_reply(CONTROL_EMPTY, "Lease not found.");
	if (ret)
		return ctl_reply(CONTROL_ERROR,
				 "reading the lease database failed: "
				 "%s",
				 lease_db_errmsg(d->db));
	lease_view_merge(d->bpf.leases_fd, d->cfg, &rec, now_wall(),
			 now_boot_ns());
	return control_response(CONTROL_SUCCESS, "IPv4 lease found.",
				lease_json(&rec));
}

/* ---- reservations ------------------------------------------------------ */

static struct json_object *reservation_json(const struct dx_subnet_conf *sc,
					    const struct dx_reservation_conf *r)
{
	struct json_object *o = json_object_new_object();

	ctl_add_u64(o, "subnet-id", sc->id);
	if (r->has_hw)
		json_object_object_add(o, "hw-address", ctl_jstr_hex(r->hw, 6));
	if (r->client_id)
		json_object_object_add(
			o, "client-id",
			ctl_jstr_hex(r->client_id, r->client_id_len));
	json_object_object_add(o, "ip-address", ctl_jstr_ip(r->addr));
	if (r->hostname)
		json_object_object_add(o, "hostname",
				       json_object_new_string(r->hostname));
	ctl_add_u64(o, "options", r->options.n);
	json_object_object_add(
		o, "source",
		json_object_new_string(r->runtime ? "runtime" : "config"));
	json_object_object_add(
		o, "fast-path",
		json_object_new_boolean(map_reservation_in_xdp(r)));
	return o;
}

struct json_object *cmd_res_all_h(struct daemon *d, struct json_object *args)
{
	struct json_object *arr, *o;
	uint32_t subnet = 0;
	bool present;
	size_t n;
	char text[64];

	if (ctl_arg_u32_present(args, "subnet-id", &subnet, &present))
		return ctl_reply(CONTROL_ERROR,
				 "'subnet-id' must be an unsigned "
				 "integer");
	if (present && !config_subnet_by_id(d->cfg, subnet))
		return ctl_reply(CONTROL_ERROR, "no subnet with id %u", subnet);
	arr = json_object_new_array();
	for (size_t i = 0; i < d->cfg->n_subnets; i++) {
		const struct dx_subnet_conf *sc = &d->cfg->subnets[i];

		if (present && sc->id != subnet)
			continue;
		for (size_t j = 0; j < sc->n_reservations; j++)
			json_object_array_add(
				arr,
				reservation_json(sc, &sc->reservations[j]));
	}
	n = json_object_array_length(arr);
	o = json_object_new_object();
	json_object_object_add(o, "hosts", arr);
	snprintf(text, sizeof(text), "%zu IPv4 host(s) found.", n);
	return control_response(n ? CONTROL_SUCCESS : CONTROL_EMPTY, text, o);
}
