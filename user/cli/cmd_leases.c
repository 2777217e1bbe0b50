// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * `dhcpxdp leases`: the lease database as a table or JSON. It reads the
 * database directly (SQLite in WAL mode lets it beside a running daemon),
 * and the pinned lease map for the renewals XDP answered since
 * (lease_view.h), so it is right with or without a daemon.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <json-c/json.h>
#include <dhcpxdp/abi.h>
#include "cli/cli.h"
#include "cli/control_client.h"
#include "kernel/bpf_obj.h"
#include "config/config.h"
#include "store/lease_db.h"
#include "kernel/lease_view.h"
#include "util/clock.h"
#include "util/fmt.h"

struct filter {
	uint32_t subnet;
	uint8_t mac[6];
	bool has_mac;
	bool json;
	size_t shown;
	int64_t now;
	uint64_t now_boot;
	struct lease_maps maps; /* the pinned lease maps, if any */
	const struct dx_config *cfg;
};

/* The pinned lease maps, if any (said why on stderr when it matters). */
static void open_lease_maps(const struct dx_config *cfg, struct lease_maps *m)
{
	int ret = lease_maps_open(cfg->dhcpxdp.pin_dir, m);

	if (ret == -EPROTO)
		fprintf(stderr,
			"dhcpxdp leases: the maps pinned in %s are of "
			"another dhcpxdp version; expiries are shown "
			"from the database only\n",
			cfg->dhcpxdp.pin_dir);
	else if (ret < 0 && ret != -ENOENT)
		fprintf(stderr,
			"dhcpxdp leases: cannot read the lease map in "
			"%s (%s); expiries are shown from the "
			"database only\n",
			cfg->dhcpxdp.pin_dir, strerror(-ret));
}

static void ago(char *buf, size_t len, long long s)
{
	const char *sign = s < 0 ? "-" : "";

	if (s < 0)
		s = -s;
	if (s >= 86400)
		snprintf(buf, len, "%s%lldd%02lldh", sign, s / 86400,
			 (s % 86400) / 3600);
	else if (s >= 3600)
		snprintf(buf, len, "%s%lldh%02lldm", sign, s / 3600,
			 (s % 3600) / 60);
	else
		snprintf(buf, len, "%s%lldm%02llds", sign, s / 60, s % 60);
}

void cli_json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

static int show(const struct dx_lease_rec *row, void *arg)
{
	struct filter *f = arg;
	char mac[FMT_MAC_LEN], ip[FMT_IPV4_LEN], exp[24], seen[24];
	struct dx_lease_rec m = *row;
	const struct dx_lease_rec *r = &m;

	if ((f->subnet && r->subnet_id != f->subnet) ||
	    (f->has_mac && memcmp(r->mac, f->mac, 6)))
		return 0;
	lease_view_merge(&f->maps, f->cfg, &m, f->now, f->now_boot);
	fmt_mac(mac, r->mac);
	fmt_ipv4(ip, r->addr);
	if (f->json) {
		printf("%s{\"address\": \"%s\", \"hw-address\": \"%s\", "
		       "\"subnet-id\": %u, \"state\": \"%s\", \"hostname\": ",
		       f->shown ? ",\n " : "", ip, mac, r->subnet_id,
		       lease_state_name(r->state));
		cli_json_str(r->hostname);
		printf(", \"expires\": %lld, \"horizon\": %lld, "
		       "\"last-seen\": %lld, \"fast-path\": %s}",
		       (long long)r->expires, (long long)r->horizon,
		       (long long)r->last_seen,
		       r->flags & DX_LEASE_F_FASTPATH ? "true" : "false");
	} else {
		ago(exp, sizeof(exp), (long long)(r->expires - f->now));
		ago(seen, sizeof(seen), (long long)(f->now - r->last_seen));
		printf("%-15s %-17s %6u %-8s %-9s %9s %-20s %s\n", ip, mac,
		       r->subnet_id, lease_state_name(r->state), exp, seen,
		       r->hostname[0] ? r->hostname : "-",
		       r->flags & DX_LEASE_F_FASTPATH ? "xdp" : "daemon");
	}
	f->shown++;
	return 0;
}

/*
 * `dhcpxdp leases --delete ADDR`: a state change, so it goes through the
 * daemon (lease4-del): the engine frees the address and the lease-map
 * entry goes, in the commit-then-map order (docs/control.md).
 */
static int delete_lease(const char *path, const char *socket, const char *ip,
			uint32_t subnet)
{
	struct json_object *args = json_object_new_object(), *resp, *v;
	int ret, result = 0;

	json_object_object_add(args, "ip-address", json_object_new_string(ip));
	if (subnet)
		json_object_object_add(args, "subnet-id",
				       json_object_new_int64(subnet));
	ret = ctl_cli_call("leases", path, socket, "lease4-del", args, &resp);
	if (ret)
		return ret;
	if (json_object_object_get_ex(resp, "result", &v))
		result = json_object_get_int(v);
	if (result == 3) {
		fprintf(stderr, "dhcpxdp leases: no lease of %s\n", ip);
		ret = 1;
	} else {
		printf("lease of %s deleted; the address is free again\n", ip);
	}
	json_object_put(resp);
	return ret;
}

struct leases_opts {
	const char *config, *socket, *mac, *del;
	uint32_t subnet;
	bool json;
};

static int do_leases(void *opts)
{
	const struct leases_opts *o = opts;
	struct filter f = {.subnet = o->subnet, .json = o->json};
	struct dx_config *cfg;
	struct lease_db *db;
	char err[512];
	int ret;

	if (o->del)
		return delete_lease(o->config, o->socket, o->del, o->subnet);
	f.has_mac = o->mac && !parse_mac(o->mac, f.mac);
	if (cli_config("leases", o->config, &cfg))
		return 1;
	ret = lease_db_open(&cfg->lease_db, &db, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "dhcpxdp leases: %s\n", err);
		config_free(cfg);
		return 1;
	}
	f.cfg = cfg;
	open_lease_maps(cfg, &f.maps);
	f.now = now_wall();
	f.now_boot = now_boot_ns();
	if (f.json)
		printf("[");
	else
		printf("%-15s %-17s %6s %-8s %-9s %9s %-20s %s\n", "ADDRESS",
		       "MAC", "SUBNET", "STATE", "EXPIRES", "SEEN", "HOSTNAME",
		       "RENEWED BY");
	ret = lease_db_load(db, show, &f);
	if (f.json)
		printf("]\n");
	lease_maps_close(&f.maps);
	lease_db_close(db);
	config_free(cfg);
	if (ret) {
		fprintf(stderr,
			"dhcpxdp leases: reading the database failed\n");
		return 1;
	}
	return 0;
}

int cli_leases_json(const char *config)
{
	struct leases_opts o = {.config = config, .json = true};

	return do_leases(&o);
}

#define L(nm, sh, ty, field, val, hlp) \
	PARAM_OPT(nm, sh, ty, struct leases_opts, field, val, hlp)

static const struct param leases_params[] = {
	L("config", 'c', PARAM_STR, config, "FILE", CLI_HELP_CONFIG),
	L("subnet", 0, PARAM_ID, subnet, "ID", "only this subnet"),
	L("mac", 0, PARAM_MAC, mac, "MAC", "only this client"),
	L("json", 0, PARAM_FLAG, json, NULL, "JSON array"),
	L("delete", 0, PARAM_IPV4, del, "ADDR",
	  "delete the lease of ADDR through the daemon\n"
	  "(lease4-del); the address is free at once"),
	L("socket", 0, PARAM_STR, socket, "PATH", CLI_HELP_SOCKET),
	{0},
};

const struct cli_cmd cmd_leases = {
	.name = "leases",
	.summary = "list leases from the lease database, or delete one",
	.params = leases_params,
	.opts_size = sizeof(struct leases_opts),
	.run = do_leases,
};
