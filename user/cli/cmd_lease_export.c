// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * `dhcpxdp leases export --format kea-csv|json`: the leases on standard
 * output, in Kea's memfile CSV (so Kea can load them: the way back) or as
 * `dhcpxdp leases --json` prints them. Active and declined leases only:
 * released and expired rows are dhcpxdp's memory of a client's last
 * address, not leases. Expiries are the later of the database's and the
 * lease map's, as `dhcpxdp leases` shows them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <dhcpxdp/abi.h>
#include "cli/cli.h"
#include "config/config.h"
#include "kernel/bpf_obj.h"
#include "kernel/lease_view.h"
#include "migrate/migrate.h"
#include "store/lease_db.h"
#include "util/clock.h"

struct export_opts {
	const char *format, *config;
};

struct export_walk {
	const struct dx_config *cfg;
	struct lease_maps maps;
	int64_t now;
	uint64_t now_boot;
	size_t n;
};

static int export_row(const struct dx_lease_rec *row, void *arg)
{
	struct export_walk *w = arg;
	const struct dx_subnet_conf *sc;
	struct dx_lease_rec r = *row;
	char line[4096];
	uint32_t valid;
	int len;

	if (r.state != DX_LEASE_ACTIVE && r.state != DX_LEASE_DECLINED)
		return 0;
	lease_view_merge(&w->maps, w->cfg, &r, w->now, w->now_boot);
	/* Kea reads the lease's start as expire - valid_lifetime: the
	 * subnet's lifetime is what dhcpxdp grants, never past the end. */
	sc = config_subnet_by_id(w->cfg, r.subnet_id);
	valid = sc ? sc->valid_lifetime : 3600;
	if (r.expires > 0 && (int64_t)valid > r.expires)
		valid = (uint32_t)r.expires;
	len = mig_kea_csv_row(&r, valid, line, sizeof(line));
	if (len < 0)
		return len;
	if (fwrite(line, 1, (size_t)len, stdout) != (size_t)len)
		return -EIO;
	w->n++;
	return 0;
}

static int do_export(void *opts)
{
	const struct export_opts *o = opts;
	struct export_walk w = {.maps.leases_fd = -1};
	struct cli_db_owner owner;
	struct dx_config *cfg;
	struct lease_db *db;
	char err[512];
	int ret;

	if (o->format && !strcmp(o->format, "json"))
		return cli_leases_json(o->config);
	if (!o->format || strcmp(o->format, "kea-csv")) {
		fprintf(stderr, "dhcpxdp leases export: --format kea-csv or "
				"json is required\n");
		return EXIT_USAGE;
	}
	if (cli_config("leases export", o->config, &cfg))
		return 1;
	cli_db_owner_before(&cfg->lease_db, &owner);
	ret = lease_db_open(&cfg->lease_db, &db, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "dhcpxdp leases export: %s\n", err);
		config_free(cfg);
		return 1;
	}
	w.cfg = cfg;
	(void)lease_maps_open(cfg->dhcpxdp.pin_dir, &w.maps);
	w.now = now_wall();
	w.now_boot = now_boot_ns();
	fputs(mig_kea_csv_header, stdout);
	ret = lease_db_load(db, export_row, &w);
	if (!ret && fflush(stdout))
		ret = -EIO;
	if (ret)
		fprintf(stderr, "dhcpxdp leases export: %s\n",
			ret == -EIO ? "writing the output failed"
				    : "reading the database failed");
	else
		fprintf(stderr, "%zu lease(s) exported\n", w.n);
	lease_maps_close(&w.maps);
	lease_db_close(db);
	cli_db_owner_restore("leases export", &cfg->lease_db, &owner);
	config_free(cfg);
	return ret ? 1 : 0;
}

static const struct param export_params[] = {
	PARAM_OPT("format", 0, PARAM_STR, struct export_opts, format, "FORMAT",
		  "kea-csv (Kea's kea-leases4.csv) or json (as\n"
		  "'dhcpxdp leases --json')"),
	PARAM_OPT("config", 'c', PARAM_STR, struct export_opts, config, "FILE",
		  CLI_HELP_CONFIG),
	{0},
};

const struct cli_cmd cmd_leases_export = {
	.name = "leases export",
	.summary = "write the leases out in Kea's CSV or as JSON",
	.params = export_params,
	.opts_size = sizeof(struct export_opts),
	.run = do_export,
};
