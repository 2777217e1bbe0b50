// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The load generator's command line; see lg_opts.h and the usage text. */
#include "lg_opts.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

static const char usage[] =
	"usage: dhcpxdp-loadgen -i IFACE -s SERVER_IP [options]\n"
	"  -i, --interface IFACE   send and receive on IFACE (AF_PACKET)\n"
	"  -s, --server IP         the server (unicast renewals, releases)\n"
	"  -m, --server-mac MAC    its MAC (else learnt from its first reply;\n"
	"                          required with --relay)\n"
	"  -r, --rate N            DORA exchanges started per second (100)\n"
	"  -d, --duration S        seconds of sending (5)\n"
	"  -n, --clients N         simulated clients, distinct MACs (100000)\n"
	"      --renew N           RENEWING REQUESTs per second, "
	"longest-bound\n"
	"                          clients first, without waiting for T1\n"
	"      --rebind N          REBINDING REQUESTs per second\n"
	"      --release N         RELEASEs per second\n"
	"      --flood N           DISCOVERs per second from fresh MACs, "
	"never\n"
	"                          followed up (counted as \"flood\")\n"
	"      --t1-scale F        renew each lease at T1 x F seconds\n"
	"      --release-at-end    release every bound client at the end\n"
	"      --bind-first        renewal-only mode: bind all -n clients at "
	"-r/s\n"
	"                          first; the figures cover what follows\n"
	"      --bind-count N      --bind-first binds only N of the -n "
	"clients\n"
	"      --period-rate N     --bind-first: DORA/s during the period, "
	"with\n"
	"                          the clients left unbound (0)\n"
	"      --timeout S         an unanswered request is dropped after S "
	"(1)\n"
	"      --wait S            wait for late replies after the period "
	"(0.5)\n"
	"      --relay GIADDR      act as a relay agent at GIADDR (option 82)\n"
	"      --remote-id STR     relay: option 82 remote-id (loadgen)\n"
	"      --no-option82       relay: send no option 82\n"
	"      --vlan ID           802.1Q tag on every frame\n"
	"      --mac-seed N        second byte of the client MACs (0x4c)\n"
	"  -o, --json FILE         the JSON summary there (default stdout)\n";

enum {
	O_RENEW = 256,
	O_REBIND,
	O_RELEASE,
	O_T1,
	O_REL_END,
	O_TIMEOUT,
	O_WAIT,
	O_RELAY,
	O_RID,
	O_NO82,
	O_BIND,
	O_VLAN,
	O_SEED,
	O_FLOOD,
	O_BIND_N,
	O_PRATE
};

static const struct option longopts[] = {
	{"interface", 1, 0, 'i'},
	{"server", 1, 0, 's'},
	{"server-mac", 1, 0, 'm'},
	{"rate", 1, 0, 'r'},
	{"duration", 1, 0, 'd'},
	{"clients", 1, 0, 'n'},
	{"json", 1, 0, 'o'},
	{"renew", 1, 0, O_RENEW},
	{"rebind", 1, 0, O_REBIND},
	{"release", 1, 0, O_RELEASE},
	{"t1-scale", 1, 0, O_T1},
	{"release-at-end", 0, 0, O_REL_END},
	{"timeout", 1, 0, O_TIMEOUT},
	{"wait", 1, 0, O_WAIT},
	{"relay", 1, 0, O_RELAY},
	{"remote-id", 1, 0, O_RID},
	{"no-option82", 0, 0, O_NO82},
	{"bind-first", 0, 0, O_BIND},
	{"vlan", 1, 0, O_VLAN},
	{"mac-seed", 1, 0, O_SEED},
	{"flood", 1, 0, O_FLOOD},
	{"bind-count", 1, 0, O_BIND_N},
	{"period-rate", 1, 0, O_PRATE},
	{"help", 0, 0, 'h'},
	{0, 0, 0, 0},
};

static int num(const char *s, double lo, double hi, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	return errno || end == s || *end || *v < lo || *v > hi ? -EINVAL : 0;
}

static int ipv4(const char *s, uint32_t *v)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -EINVAL;
	*v = ntohl(a.s_addr);
	return 0;
}

static int mac(const char *s, uint8_t m[6])
{
	unsigned b[6], i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4],
		   &b[5]) != 6)
		return -EINVAL;
	for (i = 0; i < 6; i++)
		m[i] = (uint8_t)b[i];
	return 0;
}

static int one(struct lg_opts *o, int c, const char *a)
{
	double v = 0;
	int err = 0;

	switch (c) {
	case 'i':
		o->ifname = a;
		break;
	case 's':
		err = ipv4(a, &o->server_ip);
		break;
	case 'm':
		err = mac(a, o->server_mac);
		o->have_server_mac = !err;
		break;
	case 'r':
		err = num(a, 0, 1e7, &o->rate);
		break;
	case 'd':
		err = num(a, 0.01, 86400, &o->duration_s);
		break;
	case 'n':
		err = num(a, 1, 1 << 24, &v);
		o->clients = (uint32_t)v;
		break;
	case 'o':
		o->json_path = a;
		break;
	case O_RENEW:
		err = num(a, 0, 1e7, &o->renew);
		break;
	case O_REBIND:
		err = num(a, 0, 1e7, &o->rebind);
		break;
	case O_RELEASE:
		err = num(a, 0, 1e7, &o->release);
		break;
	case O_FLOOD:
		err = num(a, 0, 1e7, &o->flood);
		break;
	case O_BIND_N:
		err = num(a, 1, 1 << 24, &v);
		o->bind_count = (uint32_t)v;
		break;
	case O_PRATE:
		err = num(a, 0, 1e7, &o->period_rate);
		break;
	case O_T1:
		err = num(a, 0, 1, &o->t1_scale);
		break;
	case O_REL_END:
		o->release_at_end = true;
		break;
	case O_TIMEOUT:
		err = num(a, 0.001, 60, &o->timeout_s);
		break;
	case O_WAIT:
		err = num(a, 0, 60, &o->wait_s);
		break;
	case O_RELAY:
		err = ipv4(a, &o->giaddr);
		break;
	case O_RID:
		snprintf(o->remote_id, sizeof(o->remote_id), "%s", a);
		break;
	case O_BIND:
		o->bind_first = true;
		break;
	case O_NO82:
		o->no_relay_info = true;
		break;
	case O_VLAN:
		err = num(a, 1, 4094, &v);
		o->vlan = (uint16_t)v;
		break;
	case O_SEED:
		err = num(a, 0, 255, &v);
		o->mac_seed = (uint8_t)v;
		break;
	default:
		return -EINVAL;
	}
	return err;
}

int lg_opts_parse(struct lg_opts *o, int argc, char **argv)
{
	int c, err;

	memset(o, 0, sizeof(*o));
	o->rate = 100;
	o->duration_s = 5;
	o->clients = 100000;
	o->timeout_s = 1;
	o->wait_s = 0.5;
	o->mac_seed = 0x4c;
	snprintf(o->remote_id, sizeof(o->remote_id), "loadgen");
	while ((c = getopt_long(argc, argv, "i:s:m:r:d:n:o:h", longopts,
				NULL)) != -1) {
		if (c == 'h') {
			fputs(usage, stdout);
			return 1;
		}
		err = one(o, c, optarg);
		if (err) {
			fprintf(stderr, "dhcpxdp-loadgen: bad value for %s\n%s",
				argv[optind - 1], usage);
			return -EINVAL;
		}
	}
	if (!o->ifname || !o->server_ip || (o->giaddr && !o->have_server_mac)) {
		fprintf(stderr,
			"dhcpxdp-loadgen: -i and -s are required, and "
			"--relay needs --server-mac\n%s",
			usage);
		return -EINVAL;
	}
	return 0;
}
