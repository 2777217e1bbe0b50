// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* `dhcpxdp attach` and `detach`: work with or without a running daemon. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <dhcpxdp/abi.h>
#include <net/if.h>
#include "kernel/bpf_obj.h"
#include "kernel/vlan.h"
#include <json-c/json.h>
#include "cli/cli.h"
#include "config/config.h"
#include "cli/control_client.h"

struct xdp_args {
	const char *ifname;
	const char *pin_dir; /* NULL: the configuration's */
	const char *mode;
	const char *config;
	const char *socket;
	bool force;
};

/* Tell a running daemon to serve (or stop serving) the interface. */
static void tell_daemon(const struct xdp_args *a, const struct dx_config *cfg,
			int serve)
{
	struct json_object *args = json_object_new_object(), *resp = NULL, *v;
	const char *path =
		a->socket ? a->socket : cfg->control_socket.socket_name;
	char err[1200];

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
	fprintf(stderr,
		"dhcpxdp %s: must run as root (loading and attaching "
		"XDP programs needs CAP_BPF and CAP_NET_ADMIN)\n",
		cmd);
	return 1;
}

/*
 * Where XDP goes for `name`: a VLAN device's frames arrive on its lower
 * device, tagged (kernel/vlan.h), so the program is attached there, once
 * for all its VLANs. *vlan says whether `name` is a VLAN device.
 */
static void xdp_device(const char *name, char dev[IF_NAMESIZE], bool *vlan)
{
	unsigned int ifindex = if_nametoindex(name);
	struct vlan_link vl;

	*vlan = false;
	snprintf(dev, IF_NAMESIZE, "%s", name);
	if (!ifindex || vlan_resolve(ifindex, &vl) || !vl.vlan)
		return;
	*vlan = true;
	snprintf(dev, IF_NAMESIZE, "%s", vl.lower);
}

static int do_attach(void *opts)
{
	char dev[IF_NAMESIZE];
	bool vlan;
	struct xdp_args *a = opts;
	struct dx_config *cfg;
	enum dx_xdp_mode mode;
	struct dx_bpf obj;
	char err[512];
	int ret;

	if (dx_xdp_mode_parse(a->mode, &mode)) {
		fprintf(stderr,
			"dhcpxdp attach: --mode must be native or "
			"skb, not '%s'\n",
			a->mode);
		return EXIT_USAGE;
	}
	if (need_root("attach") || cli_config("attach", a->config, &cfg))
		return 1;
	if (!a->pin_dir)
		a->pin_dir = cfg->dhcpxdp.pin_dir;
	xdp_device(a->ifname, dev, &vlan);
	ret = dx_bpf_open(&obj, a->pin_dir, 0, err, sizeof(err));
	if (!ret) {
		ret = dx_bpf_attach(&obj, dev, mode, a->force, err,
				    sizeof(err));
		dx_bpf_close(&obj);
	}
	if (ret) {
		fprintf(stderr, "dhcpxdp attach: %s\n", err);
		config_free(cfg);
		return 1;
	}
	printf("attached to %s%s%s%s (%s mode, pins in %s)\n", dev,
	       vlan ? " (the lower device of " : "", vlan ? a->ifname : "",
	       vlan ? ")" : "", mode == DX_XDP_SKB ? "skb" : "native",
	       a->pin_dir);
	tell_daemon(a, cfg, 1);
	config_free(cfg);
	return 0;
}

static int do_detach(void *opts)
{
	struct xdp_args *a = opts;
	struct dx_config *cfg;
	char err[512];
	int ret;

	char dev[IF_NAMESIZE];
	bool vlan;

	if (need_root("detach") || cli_config("detach", a->config, &cfg))
		return 1;
	if (!a->pin_dir)
		a->pin_dir = cfg->dhcpxdp.pin_dir;
	/* XDP on a VLAN's lower device serves its other VLANs and its
	 * untagged network too: detaching it is asked for by its name. */
	xdp_device(a->ifname, dev, &vlan);
	if (vlan) {
		fprintf(stderr,
			"dhcpxdp detach: %s is a VLAN device; XDP runs on %s "
			"for all of its VLANs: detach %s, or take %s out of "
			"the configuration\n",
			a->ifname, dev, dev, a->ifname);
		config_free(cfg);
		return 1;
	}
	ret = dx_bpf_detach(a->pin_dir, a->ifname, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "dhcpxdp detach: %s\n", err);
		config_free(cfg);
		return 1;
	}
	printf("detached from %s\n", a->ifname);
	/* A daemon serving it at run time stops; a configured one would
	 * attach it again on its next reload: say so. */
	if (config_lists_interface(cfg, a->ifname))
		printf("note: %s is in the configuration; the daemon attaches "
		       "it again on reload or restart\n",
		       a->ifname);
	else
		tell_daemon(a, cfg, 0);
	config_free(cfg);
	return 0;
}

#define XDP_COMMON_PARAMS                                                    \
	PARAM_ARG("IFACE", struct xdp_args, ifname, true, "the interface"),  \
		PARAM_OPT("pin-dir", 0, PARAM_STR, struct xdp_args, pin_dir, \
			  "DIR", CLI_HELP_PIN_DIR),                          \
		PARAM_OPT("config", 'c', PARAM_STR, struct xdp_args, config, \
			  "FILE", CLI_HELP_CONFIG),                          \
		PARAM_OPT("socket", 0, PARAM_STR, struct xdp_args, socket,   \
			  "PATH", CLI_HELP_SOCKET)

static const struct param attach_params[] = {
	XDP_COMMON_PARAMS,
	PARAM_OPT("mode", 0, PARAM_STR, struct xdp_args, mode, "native|skb",
		  "driver (default) or generic XDP"),
	PARAM_OPT("force", 0, PARAM_FLAG, struct xdp_args, force, NULL,
		  "replace another XDP program on IFACE"),
	{0},
};

static const struct param detach_params[] = {
	XDP_COMMON_PARAMS,
	{0},
};

const struct cli_cmd cmd_attach = {
	.name = "attach",
	.summary = "attach the XDP program to an interface (loads and pins it "
		   "if needed); a running daemon then serves it too",
	.params = attach_params,
	.opts_size = sizeof(struct xdp_args),
	.run = do_attach,
};

const struct cli_cmd cmd_detach = {
	.name = "detach",
	.summary = "remove dhcpxdp's XDP program from an interface",
	.params = detach_params,
	.opts_size = sizeof(struct xdp_args),
	.run = do_detach,
};
