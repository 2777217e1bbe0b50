// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* `dhcpxdp status`: the running daemon, asked over its control socket. */
#include <getopt.h>
#include <stdio.h>
#include <json-c/json.h>
#include "cli/cli.h"
#include "cli/control_client.h"

int cmd_status(int argc, char **argv)
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'},
		{"socket", required_argument, NULL, 'S'},
		{"json", no_argument, NULL, 'j'},
		{0},
	};
	const char *config = DHCPXDP_DEFAULT_CONFIG, *socket = NULL;
	struct json_object *resp, *args = NULL;
	int c, json = 0, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config = optarg;
			break;
		case 'S':
			socket = optarg;
			break;
		case 'j':
			json = 1;
			break;
		default:
			cli_usage("status", 1);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "dhcpxdp status: unexpected argument '%s'\n",
			argv[optind]);
		cli_usage("status", 1);
		return EXIT_USAGE;
	}
	ret = ctl_cli_call("status", config, socket, "status", NULL, &resp);
	if (ret)
		return ret;
	json_object_object_get_ex(resp, "arguments", &args);
	if (json)
		printf("%s\n",
		       json_object_to_json_string_ext(
			       args, JSON_C_TO_STRING_PRETTY |
					     JSON_C_TO_STRING_NOSLASHESCAPE));
	else
		ctl_print_status(stdout, args);
	json_object_put(resp);
	return 0;
}
