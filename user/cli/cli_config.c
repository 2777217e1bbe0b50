// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The one way a command finds its configuration (cli.h). */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include "cli/cli.h"
#include "config/config.h"

int cli_config(const char *cmd, const char *path, struct dx_config **cfg)
{
	struct config_diag diag;
	int ret;

	*cfg = NULL;
	if (!path && access(DHCPXDP_DEFAULT_CONFIG, F_OK) && errno == ENOENT)
		ret = config_load_string("{\"Dhcp4\": {}}",
					 "(built-in defaults)", cfg, &diag);
	else
		ret = config_load(path ? path : DHCPXDP_DEFAULT_CONFIG, cfg,
				  &diag);
	if (ret)
		fprintf(stderr, "dhcpxdp %s: %s%s\n", cmd, diag.error,
			ret == -EACCES || ret == -EPERM ? " (run as root)"
							: "");
	config_diag_free(&diag);
	return ret ? 1 : 0;
}
