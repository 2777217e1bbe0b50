// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* dhcpxdp: one binary, one table of subcommands. */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"

static int cmd_help(int argc, char **argv);

static const struct cli_cmd commands[] = {
	{ "run", cmd_run, "[-c FILE] [-v]",
	  "run the daemon in the foreground (systemd-friendly)",
	  "  -c, --config FILE  configuration (default " DHCPXDP_DEFAULT_CONFIG
	  ")\n"
	  "  -v, --verbose      per-packet detail and libbpf's log\n" },
	{ "attach", cmd_attach,
	  "IFACE [--mode native|skb] [--pin-dir DIR] [--force] [-c FILE] "
	  "[--socket PATH]",
	  "attach the XDP program to an interface (loads and pins it if "
	  "needed); a running daemon then serves it too",
	  "  --mode native|skb  driver (default) or generic XDP\n"
	  "  --pin-dir DIR      bpffs directory (default: the configuration's, "
	  "else /sys/fs/bpf/dhcpxdp)\n"
	  "  --force            replace another XDP program on IFACE\n"
	  "  -c, --config FILE  the daemon's configuration (pin dir, control "
	  "socket)\n"
	  "  --socket PATH      the daemon's control socket\n" },
	{ "detach", cmd_detach, "IFACE [--pin-dir DIR] [-c FILE] [--socket PATH]",
	  "remove dhcpxdp's XDP program from an interface",
	  "  --pin-dir DIR      bpffs directory (default: the configuration's, "
	  "else /sys/fs/bpf/dhcpxdp)\n"
	  "  -c, --config FILE  the daemon's configuration\n"
	  "  --socket PATH      the daemon's control socket\n" },
	{ "stats", cmd_stats,
	  "[--json|--prometheus] [--watch SECONDS] [--pin-dir DIR] [-c FILE] "
	  "[--socket PATH]",
	  "show the XDP program's counters, each punt reason included",
	  "  --json             one JSON object (with --watch: one per line)\n"
	  "  --prometheus       Prometheus text format, as the daemon's\n"
	  "                     /metrics; the daemon's metrics too if its\n"
	  "                     control socket answers (dhcpxdp_daemon_up)\n"
	  "  --watch SECONDS    refresh every SECONDS with per-second rates,\n"
	  "                     until interrupted (not with --prometheus)\n"
	  "  --pin-dir DIR      bpffs directory (default: the configuration's,\n"
	  "                     else /sys/fs/bpf/dhcpxdp)\n"
	  "  -c, --config FILE  configuration naming the pin directory and\n"
	  "                     control socket (default " DHCPXDP_DEFAULT_CONFIG
	  ",\n                     used if it loads)\n"
	  "  --socket PATH      control socket (instead of the configuration's)\n" },
	{ "leases", cmd_leases,
	  "[-c FILE] [--subnet ID] [--mac MAC] [--json] | --delete ADDR "
	  "[--subnet ID] [--socket PATH]",
	  "list leases from the lease database, or delete one",
	  "  -c, --config FILE  configuration naming the lease database\n"
	  "  --subnet ID        only this subnet\n"
	  "  --mac MAC          only this client\n"
	  "  --json             JSON array\n"
	  "  --delete ADDR      delete the lease of ADDR through the daemon\n"
	  "                     (lease4-del); the address is free at once\n"
	  "  --socket PATH      control socket (instead of the configuration's)\n" },
	{ "status", cmd_status, "[-c FILE] [--socket PATH] [--json]",
	  "show the running daemon: interfaces, subnets, pools, fast-path share",
	  "  -c, --config FILE  configuration naming the control socket\n"
	  "  --socket PATH      control socket (instead of the configuration's)\n"
	  "  --json             the daemon's answer as JSON\n" },
	{ "reload", cmd_reload, "[-c FILE] [--socket PATH]",
	  "make the daemon re-read its configuration (as SIGHUP does)",
	  "  -c, --config FILE  configuration naming the control socket\n"
	  "  --socket PATH      control socket (instead of the configuration's)\n" },
	{ "reservations", cmd_reservations,
	  "list|add|del [-c FILE] [--socket PATH] [--subnet ID] [--mac MAC] "
	  "[--client-id ID] [--ip ADDR] [--hostname NAME] [--json]",
	  "host reservations of the running daemon (run-time ones persisted)",
	  "  list               reservations (of --subnet ID, or all), source\n"
	  "                     config or runtime\n"
	  "  add                --subnet ID --mac MAC --ip ADDR [--hostname NAME]\n"
	  "                     (or --client-id ID instead of --mac)\n"
	  "  del                --subnet ID (--mac MAC | --client-id ID | --ip ADDR)\n"
	  "                     run-time reservations only\n"
	  "  --hw MAC           same as --mac\n"
	  "  -c, --config FILE  configuration naming the control socket\n"
	  "  --socket PATH      control socket (instead of the configuration's)\n"
	  "  --json             list as JSON\n" },
	{ "check-config", cmd_check_config, "[-c FILE]",
	  "validate a configuration without touching anything",
	  "  -c, --config FILE  configuration (default " DHCPXDP_DEFAULT_CONFIG
	  ")\n" },
	{ "version", cmd_version, "", "print the version and ABI version", "" },
	{ "help", cmd_help, "[COMMAND]", "show this help, or a command's", "" },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct cli_cmd *find(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

void cli_usage(const char *name, int to_stderr)
{
	const struct cli_cmd *c = find(name);
	FILE *f = to_stderr ? stderr : stdout;

	if (!c)
		return;
	fprintf(f, "usage: dhcpxdp %s %s\n%s\n", c->name, c->args, c->summary);
	if (c->help && *c->help)
		fprintf(f, "\noptions:\n%s", c->help);
}

int cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return 1;
	return 0;
}

static void overview(FILE *f)
{
	fprintf(f, "usage: dhcpxdp COMMAND [ARGS]\n\n"
		   "DHCPv4 server with an XDP fast path.\n\ncommands:\n");
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(f, "  %-13s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(f, "\n'dhcpxdp COMMAND --help' shows a command's options.\n"
		   "exit status: 0 ok, 1 error, 2 usage error\n");
}

static int cmd_help(int argc, char **argv)
{
	if (argc > 1) {
		if (!find(argv[1])) {
			fprintf(stderr, "dhcpxdp: unknown command '%s'\n",
				argv[1]);
			return EXIT_USAGE;
		}
		cli_usage(argv[1], 0);
		return 0;
	}
	overview(stdout);
	return 0;
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
		return cmd_version(argc - 1, argv + 1);
	c = find(argv[1]);
	if (!c) {
		fprintf(stderr, "dhcpxdp: unknown command '%s'; try 'dhcpxdp "
				"help'\n",
			argv[1]);
		return EXIT_USAGE;
	}
	if (cli_wants_help(argc - 1, argv + 1)) {
		cli_usage(c->name, 0);
		return 0;
	}
	return c->run(argc - 1, argv + 1);
}
