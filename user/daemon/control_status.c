// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Control commands that report: `status` (interfaces, subnets, lease map,
 * fast-path share) and `dhcpxdp-statistic-get-all` (every counter in
 * dhcpxdp's own shape; Kea's is in control_stats.c), plus the
 * one-second sampling behind the fast-path share.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <json-c/json.h>
#include <dhcpxdp/abi.h>
#include <dhcpxdp/stats.h>
#include "config/config.h"
#include "daemon/control_cmds.h"
#include "daemon/control_json.h"
#include "daemon/daemon_state.h"
#include "daemon/ha_watch.h"
#include "engine/engine.h"
#include "kernel/map_sync.h"
#include "kernel/netif.h"
#include "kernel/xdp_stats.h"
#include "util/fmt.h"
#include "util/version.h"

/* ---- counters ---------------------------------------------------------- */

static struct json_object *daemon_counters_json(const struct daemon_counters *c)
{
	struct json_object *o = json_object_new_object();

#define X(field, key, metric, help) ctl_add_u64(o, key, c->field);
	DAEMON_COUNTERS(X)
#undef X
	return o;
}

/* ---- status ------------------------------------------------------------ */

static const char *xdp_mode_name(uint8_t attach_mode)
{
	switch (attach_mode) {
	case XDP_ATTACHED_DRV:
		return "native";
	case XDP_ATTACHED_SKB:
		return "skb";
	case XDP_ATTACHED_HW:
		return "hw";
	case XDP_ATTACHED_MULTI:
		return "multi";
	}
	return "none";
}

static struct json_object *status_interfaces(struct daemon *d)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < d->n_ifs; i++) {
		const struct served_if *sif = &d->ifs[i];
		struct json_object *o = json_object_new_object();
		LIBBPF_OPTS(bpf_xdp_query_opts, q);
		/* A VLAN's XDP is on its lower device (kernel/vlan.h). */
		const char *at =
			sif->nif.lower[0] ? sif->nif.lower : sif->nif.name;
		uint32_t at_idx = sif->nif.lower_ifindex
					  ? sif->nif.lower_ifindex
					  : sif->nif.ifindex;
		uint32_t prog_id = 0;
		bool via_link = false;
		int ret;

		ret = dx_bpf_attached(d->bpf.pin_dir, at, &prog_id, &via_link);
		json_object_object_add(o, "name",
				       json_object_new_string(sif->nif.name));
		ctl_add_u64(o, "ifindex", sif->nif.ifindex);
		if (sif->nif.vlan) {
			json_object_object_add(o, "lower",
					       json_object_new_string(at));
			ctl_add_u64(o, "vlan", sif->nif.vlan);
			if (sif->nif.svlan)
				ctl_add_u64(o, "s-vlan", sif->nif.svlan);
		}
		json_object_object_add(o, "server-id",
				       ctl_jstr_ip(sif->nif.addr));
		ctl_add_u64(o, "direct-subnet-id", sif->direct_subnet_id);
		json_object_object_add(o, "served",
				       json_object_new_boolean(sif->up));
		if (!sif->up)
			json_object_object_add(
				o, "problem",
				json_object_new_string(
					netif_strerror(sif->down_err)));
		json_object_object_add(o, "attached",
				       json_object_new_boolean(ret == 0));
		if (!ret) {
			ctl_add_u64(o, "prog-id", prog_id);
			json_object_object_add(
				o, "attach",
				json_object_new_string(via_link ? "link"
								: "netlink"));
		}
		if (!bpf_xdp_query((int)at_idx, 0, &q))
			json_object_object_add(
				o, "mode",
				json_object_new_string(
					xdp_mode_name(q.attach_mode)));
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *status_subnets(struct daemon *d, uint64_t *in_map)
{
	struct json_object *a = json_object_new_array();
	size_t n = engine_subnet_count(d->eng);

	*in_map = 0;
	for (size_t i = 0; i < n; i++) {
		const struct dx_subnet_conf *sc;
		struct engine_subnet_stats st;
		struct json_object *o, *p;
		char prefix[32];

		if (engine_subnet_stats(d->eng, i, &st))
			continue;
		sc = config_subnet_by_id(d->cfg, st.subnet_id);
		o = json_object_new_object();
		ctl_add_u64(o, "id", st.subnet_id);
		if (sc) {
			fmt_ipv4(prefix, sc->network);
			snprintf(prefix + strlen(prefix),
				 sizeof(prefix) - strlen(prefix), "/%u",
				 sc->prefix_len);
			json_object_object_add(o, "subnet",
					       json_object_new_string(prefix));
			ctl_add_u64(o, "reservations", sc->n_reservations);
			if (sc->shared_network)
				json_object_object_add(
					o, "shared-network",
					json_object_new_string(
						sc->shared_network));
			*in_map += map_reservations_in_xdp(sc);
		}
		p = json_object_new_object();
		ctl_add_u64(p, "total", st.total);
		ctl_add_u64(p, "used", st.used);
		ctl_add_u64(p, "free", st.free);
		ctl_add_u64(p, "declined", st.declined);
		ctl_add_u64(p, "reserved", st.reserved);
		json_object_object_add(o, "pool", p);
		ctl_add_u64(o, "leases", st.leases_active);
		*in_map += st.leases_active;
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *status_fast_path(struct daemon *d)
{
	struct json_object *o = json_object_new_object();
	uint64_t xdp, daemon;
	unsigned int secs;

	control_samples_window(&d->ctl->samples, &xdp, &daemon, &secs);
	ctl_add_u64(o, "window-seconds", secs);
	ctl_add_u64(o, "xdp-replies", xdp);
	ctl_add_u64(o, "daemon-replies", daemon);
	json_object_object_add(
		o, "xdp-share",
		xdp + daemon ? json_object_new_double((double)xdp /
						      (double)(xdp + daemon))
			     : NULL);
	return o;
}

struct json_object *cmd_status_h(struct daemon *d, struct json_object *args)
{
	struct json_object *o = json_object_new_object(), *m, *ha;
	uint64_t in_map;

	(void)args;
	ctl_add_u64(o, "pid", (uint64_t)getpid());
	ctl_add_u64(o, "uptime", (uint64_t)(time(NULL) - d->started));
	json_object_object_add(o, "config",
			       json_object_new_string(d->config_path));
	json_object_object_add(o, "version",
			       json_object_new_string(DHCPXDP_VERSION));
	ctl_add_u64(o, "abi", DHCPXDP_ABI_VERSION);
	json_object_object_add(o, "pin-dir",
			       json_object_new_string(d->bpf.pin_dir));
	json_object_object_add(o, "interfaces", status_interfaces(d));
	ctl_add_u64(o, "interfaces-configured", d->cfg->n_interfaces);
	/* interfaces "*": those above were picked at the last (re)load. */
	json_object_object_add(o, "interfaces-all",
			       json_object_new_boolean(d->cfg->interfaces_all));
	json_object_object_add(o, "subnets", status_subnets(d, &in_map));
	m = json_object_new_object();
	ctl_add_u64(m, "entries", in_map);
	ctl_add_u64(m, "capacity", d->bpf.lease_capacity);
	json_object_object_add(
		m, "counted",
		json_object_new_string("active dynamic leases known to the "
				       "engine plus hw-address reservations "
				       "without options of their own"));
	json_object_object_add(o, "lease-map", m);
	json_object_object_add(o, "fast-path", status_fast_path(d));
	json_object_object_add(o, "counters", daemon_counters_json(&d->cnt));
	ha = ha_watch_status(d); /* as in status-get */
	if (ha)
		json_object_object_add(o, "high-availability", ha);
	return control_response(CONTROL_SUCCESS, "dhcpxdp is running", o);
}

/* ---- statistics -------------------------------------------------------- */

struct json_object *cmd_stats_h(struct daemon *d, struct json_object *args)
{
	struct json_object *o = json_object_new_object(), *dr, *x, *subs;
	uint64_t v[DX_STAT_MAX];
	size_t n = engine_subnet_count(d->eng);

	(void)args;
	json_object_object_add(o, "daemon", daemon_counters_json(&d->cnt));
	dr = json_object_new_object();
	for (int r = ENGINE_DROP_NONE + 1; r < __ENGINE_DROP_MAX; r++)
		ctl_add_u64(dr, engine_drop_reason_name(r),
			    engine_drops(d->eng, r));
	json_object_object_add(o, "drops", dr);
	json_object_object_add(o, "commit-wait",
			       commit_wait_json(&d->commit_wait));
	if (xdp_stats_read(d->bpf.stats_fd, v) == 0) {
		x = json_object_new_object();
		for (int i = 0; i < DX_STAT_MAX; i++)
			ctl_add_u64(x, xdp_stat_name(i), v[i]);
	} else {
		x = NULL;
	}
	json_object_object_add(o, "xdp", x);
	subs = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		struct engine_subnet_stats st;
		struct json_object *s;

		if (engine_subnet_stats(d->eng, i, &st))
			continue;
		s = json_object_new_object();
		ctl_add_u64(s, "id", st.subnet_id);
		ctl_add_u64(s, "offers", st.offers);
		ctl_add_u64(s, "acks", st.acks);
		ctl_add_u64(s, "naks", st.naks);
		ctl_add_u64(s, "declines", st.declines);
		ctl_add_u64(s, "releases", st.releases);
		ctl_add_u64(s, "informs", st.informs);
		ctl_add_u64(s, "pool-exhausted", st.pool_exhausted);
		ctl_add_u64(s, "offers-under-pressure", st.offers_pressure);
		ctl_add_u64(s, "offers-taken-over", st.offers_taken_over);
		ctl_add_u64(s, "declined-reclaimed", st.declined_reclaimed);
		ctl_add_u64(s, "total-addresses", st.total);
		ctl_add_u64(s, "assigned-addresses", st.used);
		ctl_add_u64(s, "declined-addresses", st.declined);
		json_object_array_add(subs, s);
	}
	json_object_object_add(o, "subnets", subs);
	return control_response(CONTROL_SUCCESS, "statistics", o);
}
