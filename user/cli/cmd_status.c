// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * `dhcpxdp status` and `dhcpxdp reload`: the running daemon, asked over
 * its control socket.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "cli/cli.h"
#include "cli/control_client.h"

struct daemon_args {
	const char *config;
	const char *socket;
	bool json;
};

static int do_status(void *opts)
{
	const struct daemon_args *o = opts;
	struct json_object *resp, *args = NULL;
	int ret;

	ret = ctl_cli_call("status", o->config, o->socket, "status", NULL,
			   &resp);
	if (ret)
		return ret;
	json_object_object_get_ex(resp, "arguments", &args);
	if (o->json)
		printf("%s\n",
		       json_object_to_json_string_ext(
			       args, JSON_C_TO_STRING_PRETTY |
					     JSON_C_TO_STRING_NOSLASHESCAPE));
	else
		ctl_print_status(stdout, args);
	json_object_put(resp);
	return 0;
}

/*
 * The daemon re-reads its configuration (as on SIGHUP) and says whether
 * it took it. With -c FILE the daemon is told which file is meant, and
 * refuses when it runs with another (it reloads only its own).
 */
static int do_reload(void *opts)
{
	const struct daemon_args *o = opts;
	struct json_object *resp, *t, *args = NULL;
	char path[PATH_MAX];
	int ret;

	if (o->config) {
		if (!realpath(o->config, path)) {
			fprintf(stderr, "dhcpxdp reload: %s: %s\n", o->config,
				strerror(errno));
			return 1;
		}
		args = json_object_new_object();
		if (!args)
			return 1;
		json_object_object_add(args, "config-file",
				       json_object_new_string(path));
	}
	ret = ctl_cli_call("reload", o->config, o->socket, "config-reload",
			   args, &resp);
	if (ret)
		return ret;
	if (json_object_object_get_ex(resp, "text", &t))
		printf("%s\n", json_object_get_string(t));
	json_object_put(resp);
	return 0;
}

#define DAEMON_PARAMS                                                         \
	PARAM_OPT("config", 'c', PARAM_STR, struct daemon_args, config,       \
		  "FILE", CLI_HELP_CONFIG),                                   \
		PARAM_OPT("socket", 0, PARAM_STR, struct daemon_args, socket, \
			  "PATH", CLI_HELP_SOCKET)

static const struct param status_params[] = {
	DAEMON_PARAMS,
	PARAM_OPT("json", 0, PARAM_FLAG, struct daemon_args, json, NULL,
		  "the daemon's answer as JSON"),
	{0},
};

static const struct param reload_params[] = {
	DAEMON_PARAMS,
	{0},
};

const struct cli_cmd cmd_status = {
	.name = "status",
	.summary = "show the running daemon: interfaces, subnets, pools, "
		   "fast-path share",
	.params = status_params,
	.opts_size = sizeof(struct daemon_args),
	.run = do_status,
};

const struct cli_cmd cmd_reload = {
	.name = "reload",
	.summary = "make the daemon re-read its configuration (as SIGHUP does)",
	.params = reload_params,
	.opts_size = sizeof(struct daemon_args),
	.run = do_reload,
};
