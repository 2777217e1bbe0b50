// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * `dhcpxdp reservations list|add|del`: host reservations, through the
 * daemon's control socket (reservation-get-all, reservation-add,
 * reservation-del; see docs/control.md for what the daemon supports).
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "cli/cli.h"
#include "daemon/control.h"
#include "cli/control_client.h"

struct res_opts {
	const char *config, *socket, *hw, *cid, *ip, *hostname;
	long long subnet; /* -1: not given */
	int json;
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
	uint8_t mac[6];
	uint32_t addr;

	if (o->subnet < 0) {
		fprintf(stderr, "dhcpxdp reservations %s: --subnet is required\n",
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
	if (o->hw && control_parse_mac(o->hw, mac)) {
		fprintf(stderr, "dhcpxdp reservations: bad MAC '%s'\n", o->hw);
		return EXIT_USAGE;
	}
	if ((add && !o->ip) || (o->ip && control_parse_ipv4(o->ip, &addr))) {
		fprintf(stderr, "dhcpxdp reservations %s: --ip ADDRESS %s "
				"(dotted quad)\n",
			verb, add ? "is required" : "must be an address");
		return EXIT_USAGE;
	}
	return 0;
}

static struct json_object *request_args(const char *verb,
					const struct res_opts *o)
{
	struct json_object *a = json_object_new_object(), *r;

	if (!strcmp(verb, "list")) {
		if (o->subnet >= 0)
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

static int parse_opts(int argc, char **argv, struct res_opts *o)
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'},
		{"socket", required_argument, NULL, 'S'},
		{"subnet", required_argument, NULL, 's'},
		{"mac", required_argument, NULL, 'm'},
		{"hw", required_argument, NULL, 'm'}, /* the first name */
		{"client-id", required_argument, NULL, 'C'},
		{"ip", required_argument, NULL, 'i'},
		{"hostname", required_argument, NULL, 'H'},
		{"json", no_argument, NULL, 'j'},
		{0},
	};
	char *end;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->config = optarg;
			break;
		case 'S':
			o->socket = optarg;
			break;
		case 's':
			o->subnet = strtoll(optarg, &end, 10);
			if (*end || o->subnet <= 0 || o->subnet > UINT32_MAX) {
				fprintf(stderr,
					"dhcpxdp reservations: bad "
					"subnet id '%s'\n",
					optarg);
				return EXIT_USAGE;
			}
			break;
		case 'm':
			o->hw = optarg;
			break;
		case 'C':
			o->cid = optarg;
			break;
		case 'i':
			o->ip = optarg;
			break;
		case 'H':
			o->hostname = optarg;
			break;
		case 'j':
			o->json = 1;
			break;
		default:
			cli_usage("reservations", 1);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr,
			"dhcpxdp reservations: unexpected argument "
			"'%s'\n",
			argv[optind]);
		return EXIT_USAGE;
	}
	return 0;
}

int cmd_reservations(int argc, char **argv)
{
	struct res_opts o = {.config = DHCPXDP_DEFAULT_CONFIG, .subnet = -1};
	struct json_object *resp, *args = NULL, *t;
	const char *verb, *command;
	int ret;

	if (argc < 2) {
		cli_usage("reservations", 1);
		return EXIT_USAGE;
	}
	verb = argv[1];
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
	ret = parse_opts(argc - 1, argv + 1, &o);
	if (!ret && strcmp(verb, "list"))
		ret = check_args(verb, &o);
	if (ret)
		return ret;
	ret = ctl_cli_call("reservations", o.config, o.socket, command,
			   request_args(verb, &o), &resp);
	if (ret)
		return ret;
	json_object_object_get_ex(resp, "arguments", &args);
	if (strcmp(verb, "list")) {
		if (json_object_object_get_ex(resp, "text", &t))
			printf("%s\n", json_object_get_string(t));
	} else if (o.json) {
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
