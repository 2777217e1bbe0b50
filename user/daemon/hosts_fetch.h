/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The reservations of the configuration's host databases, read at start
 * and on reload (hosts_fetch.c), and what on-fail says when one cannot
 * be read.
 */
#ifndef DHCPXDP_HOSTS_FETCH_H
#define DHCPXDP_HOSTS_FETCH_H

#include <stdbool.h>

struct dx_config;
struct json_object;

/*
 * Every host database of cfg read into *hosts (a JSON array for
 * config_load_hosts; NULL when cfg has none). starting: the daemon is
 * starting, when retry-on-startup may retry. 0, or -EIO when a database
 * could not be read and its on-fail is not serve-retry-continue (logged).
 */
int hosts_fetch(const struct dx_config *cfg, bool starting,
		struct json_object **hosts);

#endif
