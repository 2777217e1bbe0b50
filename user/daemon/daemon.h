/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* `dhcpxdp run`: the daemon, in the foreground (docs/design.md §5). */
#ifndef DHCPXDP_DAEMON_H
#define DHCPXDP_DAEMON_H

#include <stdbool.h>

struct daemon_opts {
	const char *config_path;
	bool verbose;
};

/* Run until SIGTERM/SIGINT; SIGHUP reloads. Returns the exit status. */
int daemon_run(const struct daemon_opts *opts);

#endif
