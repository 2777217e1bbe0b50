// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * `dhcpxdp reload`: the daemon re-reads its configuration (as on SIGHUP)
 * and says whether it took it.
 */
#include <getopt.h>
#include <stdio.h>
#include <json-c/json.h>
#include "cli/cli.h"
#include "cli/control_client.h"

int cmd_reload(int argc, char **argv)
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'},
		{"socket", required_argument, NULL, 'S'},
		{0},
	};
	const char *config = DHCPXDP_DEFAULT_CONFIG, *socket = NULL;
	struct json_object *resp, *t;
	int c, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config = optarg;
			break;
		case 'S':
			socket = optarg;
			break;
		default:
			cli_usage("reload", 1);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "dhcpxdp reload: unexpected argument '%s'\n",
			argv[optind]);
		cli_usage("reload", 1);
		return EXIT_USAGE;
	}
	ret = ctl_cli_call("reload", config, socket, "config-reload", NULL,
			   &resp);
	if (ret)
		return ret;
	if (json_object_object_get_ex(resp, "text", &t))
		printf("%s\n", json_object_get_string(t));
	json_object_put(resp);
	return 0;
}
