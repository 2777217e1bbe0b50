// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* `dhcpxdp attach` and `detach`: work with or without a running daemon. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <dhcpxdp/abi.h>
#include "bpf_obj.h"
#include "cli.h"

struct xdp_args {
	const char *ifname;
	const char *pin_dir;
	const char *mode;
	int force;
};

static int parse(const char *cmd, int argc, char **argv, struct xdp_args *a,
		 int allow_mode)
{
	static const struct option opts[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "pin-dir", required_argument, NULL, 'p' },
		{ "force", no_argument, NULL, 'f' },
		{ 0 },
	};
	int c;

	a->pin_dir = DHCPXDP_PIN_DIR_DEFAULT;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'p') {
			a->pin_dir = optarg;
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
	enum dx_xdp_mode mode;
	struct dx_bpf obj;
	char err[512];
	int ret;

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
	ret = dx_bpf_open(&obj, a.pin_dir, 0, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "dhcpxdp attach: %s\n", err);
		return 1;
	}
	ret = dx_bpf_attach(&obj, a.ifname, mode, a.force, err, sizeof(err));
	dx_bpf_close(&obj);
	if (ret) {
		fprintf(stderr, "dhcpxdp attach: %s\n", err);
		return 1;
	}
	printf("attached to %s (%s mode, pins in %s)\n", a.ifname,
	       mode == DX_XDP_SKB ? "skb" : "native", a.pin_dir);
	return 0;
}

int cmd_detach(int argc, char **argv)
{
	struct xdp_args a = { 0 };
	char err[512];
	int ret;

	ret = parse("detach", argc, argv, &a, 0);
	if (ret)
		return ret;
	if (need_root("detach"))
		return 1;
	ret = dx_bpf_detach(a.pin_dir, a.ifname, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "dhcpxdp detach: %s\n", err);
		return 1;
	}
	printf("detached from %s\n", a.ifname);
	return 0;
}
