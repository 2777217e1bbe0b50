// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* `dhcpxdp run`, `check-config`, `version`. */
#include <getopt.h>
#include <stdio.h>
#include <dhcpxdp/abi.h>
#include "cli/cli.h"
#include "config/config.h"
#include "daemon/daemon.h"

static const struct option config_opts[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "verbose", no_argument, NULL, 'v' },
	{ 0 },
};

/* -c FILE and -v; 0, or EXIT_USAGE after printing the usage. */
static int parse_config_opts(const char *cmd, int argc, char **argv,
			     const char **path, int *verbose)
{
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:v", config_opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			*path = optarg;
			break;
		case 'v':
			if (verbose) {
				*verbose = 1;
				break;
			}
			/* fall through */
		default:
			cli_usage(cmd, 1);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "dhcpxdp %s: unexpected argument '%s'\n", cmd,
			argv[optind]);
		cli_usage(cmd, 1);
		return EXIT_USAGE;
	}
	return 0;
}

int cmd_run(int argc, char **argv)
{
	struct daemon_opts o = { .config_path = DHCPXDP_DEFAULT_CONFIG };
	int verbose = 0, ret;

	ret = parse_config_opts("run", argc, argv, &o.config_path, &verbose);
	if (ret)
		return ret;
	o.verbose = verbose;
	return daemon_run(&o);
}

int cmd_check_config(int argc, char **argv)
{
	const char *path = DHCPXDP_DEFAULT_CONFIG;
	struct config_diag diag;
	struct dx_config *cfg;
	int ret;

	ret = parse_config_opts("check-config", argc, argv, &path, NULL);
	if (ret)
		return ret;
	ret = config_load(path, &cfg, &diag);
	for (size_t i = 0; i < diag.n_warnings; i++)
		fprintf(stderr, "warning: %s\n", diag.warnings[i]);
	if (ret) {
		fprintf(stderr, "error: %s\n", diag.error);
		config_diag_free(&diag);
		return 1;
	}
	printf("%s: ok (%zu subnets, %zu interfaces)\n", path, cfg->n_subnets,
	       cfg->n_interfaces);
	config_diag_free(&diag);
	config_free(cfg);
	return 0;
}

int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("dhcpxdp %s (ABI %d)\n", DHCPXDP_VERSION, DHCPXDP_ABI_VERSION);
	return 0;
}
