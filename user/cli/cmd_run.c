// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* `dhcpxdp run`, `check-config`, `version`. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <dhcpxdp/abi.h>
#include "cli/cli.h"
#include "config/config.h"
#include "daemon/daemon.h"
#include "kernel/caps.h"

struct run_opts {
	const char *config;
	bool verbose;
};

static const struct run_opts run_defaults = {
	.config = DHCPXDP_DEFAULT_CONFIG,
};

#define HELP_CONFIG "configuration (default " DHCPXDP_DEFAULT_CONFIG ")"

static int do_run(void *opts)
{
	const struct run_opts *o = opts;
	struct daemon_opts d = {.config_path = o->config,
				.verbose = o->verbose};
	char missing[96];

	/* Before anything else: without them every later step fails, and
	 * not always with a word about why. */
	if (caps_missing(CAPS_RUN, missing, sizeof(missing)) > 0) {
		/* Named only by a kernel without CAP_BPF: the unit does not
		 * grant it, an operator adds it with the drop-in it shows. */
		bool old_kernel = strstr(missing, "CAP_SYS_ADMIN");

		fprintf(stderr,
			"dhcpxdp run: missing %s: run as root or grant them "
			"(see systemd/dhcpxdp.service%s)\n",
			missing,
			old_kernel
				? "; this kernel, before 5.8, has no CAP_BPF "
				  "or CAP_PERFMON: the unit needs its "
				  "CAP_SYS_ADMIN drop-in"
				: "");
		return 1;
	}
	return daemon_run(&d);
}

static const struct param run_params[] = {
	PARAM_OPT("config", 'c', PARAM_STR, struct run_opts, config, "FILE",
		  HELP_CONFIG),
	PARAM_OPT("verbose", 'v', PARAM_FLAG, struct run_opts, verbose, NULL,
		  "per-packet detail and libbpf's log"),
	{0},
};

const struct cli_cmd cmd_run = {
	.name = "run",
	.summary = "run the daemon in the foreground (systemd-friendly)",
	.params = run_params,
	.opts_size = sizeof(struct run_opts),
	.defaults = &run_defaults,
	.run = do_run,
};

static int do_check_config(void *opts)
{
	const struct run_opts *o = opts;
	struct config_diag diag;
	struct dx_config *cfg;
	int ret;

	ret = config_load(o->config, &cfg, &diag);
	for (size_t i = 0; i < diag.n_warnings; i++)
		fprintf(stderr, "warning: %s\n", diag.warnings[i]);
	if (ret) {
		fprintf(stderr, "error: %s\n", diag.error);
		config_diag_free(&diag);
		return 1;
	}
	printf("%s: ok (%zu subnets, %zu interfaces%s)\n", o->config,
	       cfg->n_subnets, cfg->n_interfaces,
	       cfg->interfaces_all ? " and \"*\"" : "");
	/* What "*" stands for is only known on the host that runs it. */
	if (cfg->interfaces_all)
		printf("note: interfaces \"*\": the daemon serves every "
		       "interface that is up, not loopback and has an IPv4 "
		       "address, found when it starts and reloads and when "
		       "one appears; this check cannot know them\n");
	/* The databases are not needed to check the file: their rows are
	 * read, and checked, when the daemon starts or reloads. */
	for (size_t i = 0; i < cfg->n_hosts_dbs; i++)
		printf("%s: reservations of database %s are loaded at run "
		       "time (start and reload), not checked here\n",
		       cfg->hosts_dbs[i].path, cfg->hosts_dbs[i].db.name);
	config_diag_free(&diag);
	config_free(cfg);
	return 0;
}

static const struct param check_params[] = {
	PARAM_OPT("config", 'c', PARAM_STR, struct run_opts, config, "FILE",
		  HELP_CONFIG),
	{0},
};

const struct cli_cmd cmd_check_config = {
	.name = "check-config",
	.summary = "validate a configuration without touching anything",
	.params = check_params,
	.opts_size = sizeof(struct run_opts),
	.defaults = &run_defaults,
	.run = do_check_config,
};

static int do_version(void *opts)
{
	(void)opts;
	printf("dhcpxdp %s (ABI %d)\n", DHCPXDP_VERSION, DHCPXDP_ABI_VERSION);
	return 0;
}

const struct cli_cmd cmd_version = {
	.name = "version",
	.summary = "print the version and ABI version",
	.run = do_version,
};
