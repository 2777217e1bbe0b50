// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * `dhcpxdp reservations list|add|del`: host reservations, through the
 * daemon's control socket (reservation-get-all, reservation-add,
 * reservation-del; see docs/control.md for what the daemon supports).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "cli/cli.h"
#include "cli/control_client.h"

struct res_opts {
	const char *action; /* list, add, del */
	const char *config, *socket, *hw, *cid, *ip, *hostname;
	uint32_t subnet; /* 0: not given */
	bool json;
};

static const char *str_of(struct json_object *o, const char *k)
{
	struct json_object *v;

	return json_object_object_get_ex(o, k, &v) ? json_object_get_string(v)
						   : NULL;
}

static void print_hosts(struct json_object *args)
{
	struct json_object *hosts = NULL;
	size_t n;

	json_object_object_get_ex(args, "hosts", &hosts);
	n = json_object_array_length(hosts);
	printf("%6s %-20s %-15s %-20s %-8s %s\n", "SUBNET", "IDENTIFIER",
	       "ADDRESS", "HOSTNAME", "SOURCE", "ANSWERED BY");
	for (size_t i = 0; i < n; i++) {
		struct json_object *h = json_object_array_get_idx(hosts, i), *v;
		const char *id = str_of(h, "hw-address");
		const char *name = str_of(h, "hostname");
		const char *src = str_of(h, "source");

		if (!id)
			id = str_of(h, "client-id");
		if (!id)
			id = str_of(h, "circuit-id");
		if (!id)
			id = str_of(h, "duid");
		json_object_object_get_ex(h, "fast-path", &v);
		printf("%6s %-20s %-15s %-20s %-8s %s\n",
		       str_of(h, "subnet-id"), id ? id : "-",
		       str_of(h, "ip-address"), name ? name : "-",
		       src ? src : "-",
		       json_object_get_boolean(v) ? "xdp" : "daemon");
	}
}

/* Checks what add/del need; EXIT_USAGE after a message, else 0. */
static int check_args(const char *verb, const struct res_opts *o)
{
	bool add = !strcmp(verb, "add");

	if (!o->subnet) {
		fprintf(stderr,
			"dhcpxdp reservations %s: --subnet is required\n",
			verb);
		return EXIT_USAGE;
	}
	if (o->hw && o->cid) {
		fprintf(stderr,
			"dhcpxdp reservations %s: --mac or --client-id, not "
			"both\n",
			verb);
		return EXIT_USAGE;
	}
	if (add ? !o->hw && !o->cid : !o->hw && !o->cid && !o->ip) {
		fprintf(stderr,
			add ? "dhcpxdp reservations add: --mac MAC (or "
			      "--client-id ID) is required\n"
			    : "dhcpxdp reservations del: --mac MAC, "
			      "--client-id ID or --ip ADDR is required\n");
		return EXIT_USAGE;
	}
	if (add && !o->ip) {
		fprintf(stderr, "dhcpxdp reservations add: --ip ADDRESS is "
				"required\n");
		return EXIT_USAGE;
	}
	return 0;
}

static struct json_object *request_args(const char *verb,
					const struct res_opts *o)
{
	struct json_object *a = json_object_new_object(), *r;

	if (!strcmp(verb, "list")) {
		if (o->subnet)
			json_object_object_add(
				a, "subnet-id",
				json_object_new_int64(o->subnet));
		return a;
	}
	if (!strcmp(verb, "del")) {
		json_object_object_add(a, "subnet-id",
				       json_object_new_int64(o->subnet));
		if (o->hw || o->cid) {
			json_object_object_add(
				a, "identifier-type",
				json_object_new_string(o->hw ? "hw-address"
							     : "client-id"));
			json_object_object_add(
				a, "identifier",
				json_object_new_string(o->hw ? o->hw : o->cid));
		}
		if (o->ip)
			json_object_object_add(a, "ip-address",
					       json_object_new_string(o->ip));
		return a;
	}
	/* Kea's reservation-add: {"reservation": {...}}. */
	r = json_object_new_object();
	json_object_object_add(r, "subnet-id",
			       json_object_new_int64(o->subnet));
	json_object_object_add(r, o->hw ? "hw-address" : "client-id",
			       json_object_new_string(o->hw ? o->hw : o->cid));
	json_object_object_add(r, "ip-address", json_object_new_string(o->ip));
	if (o->hostname)
		json_object_object_add(r, "hostname",
				       json_object_new_string(o->hostname));
	json_object_object_add(a, "reservation", r);
	return a;
}

static int do_reservations(void *opts)
{
	const struct res_opts *o = opts;
	struct json_object *resp, *args = NULL, *t;
	const char *verb = o->action, *command;
	int ret;

	if (!strcmp(verb, "list")) {
		command = "reservation-get-all";
	} else if (!strcmp(verb, "add")) {
		command = "reservation-add";
	} else if (!strcmp(verb, "del")) {
		command = "reservation-del";
	} else {
		fprintf(stderr,
			"dhcpxdp reservations: unknown action '%s' "
			"(list, add or del)\n",
			verb);
		return EXIT_USAGE;
	}
	if (strcmp(verb, "list")) {
		ret = check_args(verb, o);
		if (ret)
			return ret;
	}
	ret = ctl_cli_call("reservations", o->config, o->socket, command,
			   request_args(verb, o), &resp);
	if (ret)
		return ret;
	json_object_object_get_ex(resp, "arguments", &args);
	if (strcmp(verb, "list")) {
		if (json_object_object_get_ex(resp, "text", &t))
			printf("%s\n", json_object_get_string(t));
	} else if (o->json) {
		printf("%s\n",
		       json_object_to_json_string_ext(
			       args, JSON_C_TO_STRING_PRETTY |
					     JSON_C_TO_STRING_NOSLASHESCAPE));
	} else {
		print_hosts(args);
	}
	json_object_put(resp);
	return 0;
}

#define R(nm, ty, field, val, hlp) \
	PARAM_OPT(nm, 0, ty, struct res_opts, field, val, hlp)

static const struct param res_params[] = {
	PARAM_ARG("list|add|del", struct res_opts, action, true,
		  "list: reservations (of --subnet ID, or all), source config "
		  "or runtime\n"
		  "add: --subnet ID --mac MAC --ip ADDR [--hostname NAME]\n"
		  "     (or --client-id ID instead of --mac)\n"
		  "del: --subnet ID (--mac MAC | --client-id ID | --ip ADDR),\n"
		  "     run-time reservations only"),
	R("subnet", PARAM_ID, subnet, "ID", "the subnet"),
	R("mac", PARAM_MAC, hw, "MAC", "the client's hardware address"),
	R("hw", PARAM_MAC, hw, "MAC", "same as --mac"),
	R("client-id", PARAM_STR, cid, "ID",
	  "the client identifier (option 61)"),
	R("ip", PARAM_IPV4, ip, "ADDR", "the reserved address"),
	R("hostname", PARAM_STR, hostname, "NAME", "host name sent to it"),
	PARAM_OPT("config", 'c', PARAM_STR, struct res_opts, config, "FILE",
		  CLI_HELP_CONFIG),
	R("socket", PARAM_STR, socket, "PATH", CLI_HELP_SOCKET),
	R("json", PARAM_FLAG, json, NULL, "list as JSON"),
	{0},
};

const struct cli_cmd cmd_reservations = {
	.name = "reservations",
	.summary = "host reservations of the running daemon (run-time ones "
		   "persisted)",
	.params = res_params,
	.opts_size = sizeof(struct res_opts),
	.run = do_reservations,
};
