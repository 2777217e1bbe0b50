// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* dhcpxdp: one binary, one table of subcommands. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"

static const struct cli_cmd cmd_help;

static const struct cli_cmd *const commands[] = {
	&cmd_run,    &cmd_attach,	 &cmd_detach,	     &cmd_stats,
	&cmd_leases, &cmd_leases_import, &cmd_leases_export,
	&cmd_leases_history, &cmd_status,
	&cmd_reload, &cmd_reservations,	 &cmd_check_config,  &cmd_version,
	&cmd_db_init, &cmd_db_upgrade, &cmd_db_version, &cmd_help,
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct cli_cmd *find(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (!strcmp(commands[i]->name, name))
			return commands[i];
	return NULL;
}

static void overview(FILE *f)
{
	fprintf(f, "usage: dhcpxdp COMMAND [ARGS]\n\n"
		   "DHCPv4 server with an XDP fast path.\n\ncommands:\n");
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(f, "  %-13s %s\n", commands[i]->name,
			commands[i]->summary);
	fprintf(f, "\n'dhcpxdp COMMAND --help' shows a command's options.\n"
		   "exit status: 0 ok, 1 error, 2 usage error\n");
}

struct help_opts {
	const char *command;
};

static int do_help(void *opts)
{
	const struct help_opts *o = opts;
	const struct cli_cmd *c;

	if (!o->command) {
		overview(stdout);
		return 0;
	}
	c = find(o->command);
	if (!c) {
		fprintf(stderr, "dhcpxdp: unknown command '%s'\n", o->command);
		return EXIT_USAGE;
	}
	params_usage(c, stdout);
	return 0;
}

static const struct param help_params[] = {
	PARAM_ARG("COMMAND", struct help_opts, command, false,
		  "the command whose options to show"),
	{0},
};

static const struct cli_cmd cmd_help = {
	.name = "help",
	.summary = "show this help, or a command's",
	.params = help_params,
	.opts_size = sizeof(struct help_opts),
	.run = do_help,
};

static bool wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return true;
	return false;
}

/* Parse the command's options into a buffer of its size, then run it. */
static int run(const struct cli_cmd *c, int argc, char **argv)
{
	void *opts = calloc(1, c->opts_size ? c->opts_size : 1);
	int ret;

	if (!opts) {
		fprintf(stderr, "dhcpxdp %s: out of memory\n", c->name);
		return 1;
	}
	ret = params_parse(c, argc, argv, opts);
	if (!ret)
		ret = c->run(opts);
	free(opts);
	return ret;
}

int main(int argc, char **argv)
{
	const struct cli_cmd *c;

	if (argc < 2) {
		overview(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		overview(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version"))
		return run(&cmd_version, 1, argv + 1);
	/* Two words first: "leases import" before "leases". */
	if (argc > 2) {
		char two[64];

		snprintf(two, sizeof(two), "%s %s", argv[1], argv[2]);
		c = find(two);
		if (c) {
			argc--;
			argv++;
		}
	} else {
		c = NULL;
	}
	if (!c)
		c = find(argv[1]);
	if (!c) {
		fprintf(stderr,
			"dhcpxdp: unknown command '%s'; try 'dhcpxdp "
			"help'\n",
			argv[1]);
		return EXIT_USAGE;
	}
	if (wants_help(argc - 1, argv + 1)) {
		params_usage(c, stdout);
		return 0;
	}
	return run(c, argc - 1, argv + 1);
}
