// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * reservation-get-all: the host reservations, the configuration's and
 * the run-time ones (the lease queries are in control_lease_get.c).
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
#include "kernel/map_sync.h"
#include "util/fmt.h"

/* ---- reservations ------------------------------------------------------ */

static struct json_object *reservation_json(const struct daemon *d,
					    const struct dx_subnet_conf *sc,
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
	if (r->circuit_id)
		json_object_object_add(
			o, "circuit-id",
			ctl_jstr_hex(r->circuit_id, r->circuit_id_len));
	if (r->duid)
		json_object_object_add(o, "duid",
				       ctl_jstr_hex(r->duid, r->duid_len));
	if (r->flex_id)
		json_object_object_add(
			o, "flex-id", ctl_jstr_hex(r->flex_id, r->flex_id_len));
	/* Kea leaves out the address of a reservation without one. */
	if (r->addr)
		json_object_object_add(o, "ip-address", ctl_jstr_ip(r->addr));
	if (r->hostname)
		json_object_object_add(o, "hostname",
				       json_object_new_string(r->hostname));
	ctl_add_u64(o, "options", r->options.n);
	json_object_object_add(
		o, "source",
		json_object_new_string(r->runtime ? "runtime" : "config"));
	json_object_object_add(o, "fast-path",
			       json_object_new_boolean(map_reservation_fast(
				       d->cfg, d->eng, sc, r)));
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
				reservation_json(d, sc, &sc->reservations[j]));
	}
	n = json_object_array_length(arr);
	o = json_object_new_object();
	json_object_object_add(o, "hosts", arr);
	snprintf(text, sizeof(text), "%zu IPv4 host(s) found.", n);
	return control_response(n ? CONTROL_SUCCESS : CONTROL_EMPTY, text, o);
}
