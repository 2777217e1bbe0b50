/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The load generator's command line. */
#ifndef DHCPXDP_LG_OPTS_H
#define DHCPXDP_LG_OPTS_H

#include <stdbool.h>
#include <stdint.h>

struct lg_opts {
	const char *ifname;
	const char *json_path; /* NULL: stdout */
	uint32_t server_ip, giaddr;
	uint8_t server_mac[6];
	bool have_server_mac;
	uint16_t vlan;
	char remote_id[32];
	uint32_t clients;
	uint8_t mac_seed;
	double rate, renew, rebind, release; /* per second */
	double flood; /* DISCOVERs per second from fresh MACs (lg_flood.h) */
	double t1_scale;		     /* 0: no renewal at T1 */
	double duration_s, timeout_s, wait_s;
	bool release_at_end;
	bool no_relay_info;
	bool bind_first; /* renewal-only: bind every client, then measure */
	uint32_t bind_count; /* --bind-first binds this many (0: all) */
	double period_rate;  /* --bind-first: DORA/s during the period */
};

/* 0, or prints the reason (or the usage for --help) and returns -EINVAL
 * (1 for --help). */
int lg_opts_parse(struct lg_opts *o, int argc, char **argv);

#endif
