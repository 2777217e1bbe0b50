// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* `dhcpxdp attach` and `detach`: work with or without a running daemon. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <dhcpxdp/abi.h>
#include "kernel/bpf_obj.h"
#include <json-c/json.h>
#include "cli/cli.h"
#include "config/config.h"
#include "cli/control_client.h"

struct xdp_args {
	const char *ifname;
	const char *pin_dir; /* NULL: the configuration's, else the default */
	const char *mode;
	const char *config;
	const char *socket;
	int force;
};

static int parse(const char *cmd, int argc, char **argv, struct xdp_args *a,
		 int allow_mode)
{
	static const struct option opts[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "pin-dir", required_argument, NULL, 'p' },
		{ "force", no_argument, NULL, 'f' },
		{ "config", required_argument, NULL, 'c' },
		{ "socket", required_argument, NULL, 's' },
		{ 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:", opts, NULL)) != -1) {
		if (c == 'p') {
			a->pin_dir = optarg;
		} else if (c == 'c') {
			a->config = optarg;
		} else if (c == 's') {
			a->socket = optarg;
		} else if (c == 'm' && allow_mode) {
			a->mode = optarg;
		} else if (c == 'f' && allow_mode) {
			a->force = 1;
		} else {
			cli_usage(cmd, 1);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "dhcpxdp %s: name one interface\n", cmd);
		cli_usage(cmd, 1);
		return EXIT_USAGE;
	}
	a->ifname = argv[optind];
	return 0;
}

/*
 * The daemon's configuration, when there is one (-c FILE, or the default
 * if it exists): it names the pin directory and the control socket.
 */
static struct dx_config *daemon_config(struct xdp_args *a, int *bad)
{
	const char *path = a->config ? a->config : DHCPXDP_DEFAULT_CONFIG;
	struct config_diag diag;
	struct dx_config *cfg = NULL;

	*bad = 0;
	if (!a->config && access(path, F_OK))
		return NULL;
	if (config_load(path, &cfg, &diag)) {
		fprintf(stderr, "dhcpxdp: %s\n", diag.error);
		*bad = 1;
		cfg = NULL;
	}
	config_diag_free(&diag);
	return cfg;
}

/* Tell a running daemon to serve (or stop serving) the interface. */
static void tell_daemon(const struct xdp_args *a, const struct dx_config *cfg,
			int serve)
{
	struct json_object *args = json_object_new_object(), *resp = NULL, *v;
	const char *path = a->socket ? a->socket
			   : cfg     ? cfg->control_socket.socket_name
				     : NULL;
	char err[1200];

	if (!path) {
		json_object_put(args);
		printf("no daemon configuration (%s): XDP answers renewals and "
		       "reservations already in its maps; run 'dhcpxdp run' to "
		       "serve new clients on %s\n",
		       DHCPXDP_DEFAULT_CONFIG, a->ifname);
		return;
	}
	json_object_object_add(args, "interface",
			       json_object_new_string(a->ifname));
	if (ctl_call(path, serve ? "interface-attach" : "interface-detach",
		     args, &resp, err, sizeof(err))) {
		printf("no daemon answers on %s: XDP answers renewals and "
		       "reservations already in its maps; new clients on %s "
		       "are served once 'dhcpxdp run' serves it (list it in "
		       "interfaces-config)\n",
		       path, a->ifname);
		return;
	}
	if (json_object_object_get_ex(resp, "text", &v))
		printf("daemon: %s%s\n", json_object_get_string(v),
		       serve ? " (until the daemon stops: list it in "
			       "interfaces-config to keep it)"
			     : "");
	json_object_put(resp);
}

static int need_root(const char *cmd)
{
	if (geteuid() == 0)
		return 0;
	fprintf(stderr, "dhcpxdp %s: must run as root (loading and attaching "
			"XDP programs needs CAP_BPF and CAP_NET_ADMIN)\n",
		cmd);
	return 1;
}

int cmd_attach(int argc, char **argv)
{
	struct xdp_args a = { 0 };
	struct dx_config *cfg;
	enum dx_xdp_mode mode;
	struct dx_bpf obj;
	char err[512];
	int ret, bad;

	ret = parse("attach", argc, argv, &a, 1);
	if (ret)
		return ret;
	if (dx_xdp_mode_parse(a.mode, &mode)) {
		fprintf(stderr, "dhcpxdp attach: --mode must be native or "
				"skb, not '%s'\n",
			a.mode);
		return EXIT_USAGE;
	}
	if (need_root("attach"))
		return 1;
	cfg = daemon_config(&a, &bad);
	if (bad)
		return 1;
	if (!a.pin_dir)
		a.pin_dir = cfg ? cfg->dhcpxdp.pin_dir : DHCPXDP_PIN_DIR_DEFAULT;
	ret = dx_bpf_open(&obj, a.pin_dir, 0, err, sizeof(err));
	if (!ret) {
		ret = dx_bpf_attach(&obj, a.ifname, mode, a.force, err,
				    sizeof(err));
		dx_bpf_close(&obj);
	}
	if (ret) {
		fprintf(stderr, "dhcpxdp attach: %s\n", err);
		config_free(cfg);
		return 1;
	}
	printf("attached to %s (%s mode, pins in %s)\n", a.ifname,
	       mode == DX_XDP_SKB ? "skb" : "native", a.pin_dir);
	tell_daemon(&a, cfg, 1);
	config_free(cfg);
	return 0;
}

int cmd_detach(int argc, char **argv)
{
	struct xdp_args a = { 0 };
	struct dx_config *cfg;
	char err[512];
	int ret, bad;

	ret = parse("detach", argc, argv, &a, 0);
	if (ret)
		return ret;
	if (need_root("detach"))
		return 1;
	cfg = daemon_config(&a, &bad);
	if (bad)
		return 1;
	if (!a.pin_dir)
		a.pin_dir = cfg ? cfg->dhcpxdp.pin_dir : DHCPXDP_PIN_DIR_DEFAULT;
	ret = dx_bpf_detach(a.pin_dir, a.ifname, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "dhcpxdp detach: %s\n", err);
		config_free(cfg);
		return 1;
	}
	printf("detached from %s\n", a.ifname);
	/* A daemon serving it at run time stops; a configured one would
	 * attach it again on its next reload: say so. */
	if (cfg && config_lists_interface(cfg, a.ifname))
		printf("note: %s is in the configuration; the daemon attaches "
		       "it again on reload or restart\n",
		       a.ifname);
	else
		tell_daemon(&a, cfg, 0);
	config_free(cfg);
	return 0;
}
