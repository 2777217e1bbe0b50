/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The `dhcpxdp` command line: one table of subcommands (main.c), each in
 * a cmd_*.c file. Exit codes: 0 ok, 1 error, 2 usage.
 */
#ifndef DHCPXDP_CLI_H
#define DHCPXDP_CLI_H

#define EXIT_USAGE 2
#define DHCPXDP_DEFAULT_CONFIG "/etc/dhcpxdp/dhcpxdp.json"
#define DHCPXDP_VERSION "0.1.0"

struct cli_cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *args;    /* synopsis after the name */
	const char *summary; /* one line */
	const char *help;    /* option lines for --help */
};

int cmd_run(int argc, char **argv);
int cmd_check_config(int argc, char **argv);
int cmd_attach(int argc, char **argv);
int cmd_detach(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_leases(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_reload(int argc, char **argv);
int cmd_reservations(int argc, char **argv);

/* Print the command's usage and options to stdout (--help) or stderr. */
void cli_usage(const char *name, int to_stderr);
/* True when argv holds -h/--help. */
int cli_wants_help(int argc, char **argv);

#endif
