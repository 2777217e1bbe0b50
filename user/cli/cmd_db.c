// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * `dhcpxdp db init|upgrade|version`: the lease database's schema, as
 * `kea-admin db-init` and `db-upgrade` do for Kea's. The daemon never
 * changes a PostgreSQL schema itself (several servers may share it): it
 * refuses a missing or older one and names these commands.
 */
#include <errno.h>
#include <stdio.h>
#include "cli/cli.h"
#include "config/config.h"
#include "store/lease_db.h"

struct db_opts {
	const char *config;
};

static int run_admin(const char *cmd, const char *config,
		     enum lease_db_admin_op op)
{
	struct cli_db_owner owner;
	struct dx_config *cfg;
	char err[600];
	int version, ret;

	if (cli_config(cmd, config, &cfg))
		return 1;
	cli_db_owner_before(&cfg->lease_db, &owner);
	ret = lease_db_admin(&cfg->lease_db, op, &version, err, sizeof(err));
	cli_db_owner_restore(cmd, &cfg->lease_db, &owner);
	if (ret)
		fprintf(stderr, "dhcpxdp %s: %s\n", cmd, err);
	else if (op == LEASE_DB_VERSION)
		printf("%d\n", version);
	else
		printf("lease database %s: schema version %d\n",
		       cfg->lease_db.name, version);
	config_free(cfg);
	return ret ? 1 : 0;
}

static int do_init(void *opts)
{
	return run_admin("db init", ((struct db_opts *)opts)->config,
			 LEASE_DB_INIT);
}

static int do_upgrade(void *opts)
{
	return run_admin("db upgrade", ((struct db_opts *)opts)->config,
			 LEASE_DB_UPGRADE);
}

static int do_version(void *opts)
{
	return run_admin("db version", ((struct db_opts *)opts)->config,
			 LEASE_DB_VERSION);
}

static const struct param db_params[] = {
	PARAM_OPT("config", 'c', PARAM_STR, struct db_opts, config, "FILE",
		  CLI_HELP_CONFIG),
	{0},
};

const struct cli_cmd cmd_db_init = {
	.name = "db init",
	.summary = "create the lease database's schema (PostgreSQL)",
	.params = db_params,
	.opts_size = sizeof(struct db_opts),
	.run = do_init,
};

const struct cli_cmd cmd_db_upgrade = {
	.name = "db upgrade",
	.summary = "bring the lease database's schema up to this version",
	.params = db_params,
	.opts_size = sizeof(struct db_opts),
	.run = do_upgrade,
};

const struct cli_cmd cmd_db_version = {
	.name = "db version",
	.summary = "print the lease database's schema version (0: none)",
	.params = db_params,
	.opts_size = sizeof(struct db_opts),
	.run = do_version,
};
