// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * `dhcpxdp leases history`: who held an address at a moment, or every
 * tenancy of a MAC, from the lease history (store/lease_history.h). It
 * opens the history read-only, so it answers beside a running daemon or
 * without one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include "cli/cli.h"
#include "config/config.h"
#include "store/lease_history.h"
#include "util/fmt.h"

/* Digits only; *end is where they stopped. */
static int digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++, (*p)++) {
		if (**p < '0' || **p > '9')
			return -EINVAL;
		v = v * 10 + (**p - '0');
	}
	*out = v;
	return 0;
}

/* "Z", "+01:00", "-0130": the offset east of UTC in seconds. */
static int zone(const char *p, long *off)
{
	int sign, h, m = 0;

	if (!strcmp(p, "Z")) {
		*off = 0;
		return 0;
	}
	if (*p != '+' && *p != '-')
		return -EINVAL;
	sign = *p++ == '-' ? -1 : 1;
	if (digits(&p, 2, &h))
		return -EINVAL;
	if (*p == ':')
		p++;
	if (*p && digits(&p, 2, &m))
		return -EINVAL;
	if (*p || h > 23 || m > 59)
		return -EINVAL;
	*off = sign * (h * 3600L + m * 60L);
	return 0;
}

int cli_parse_time(const char *s, int64_t *out)
{
	struct tm tm = {0};
	const char *p = s;
	bool utc = false;
	long off = 0;
	time_t t;
	char *end;

	if (*s >= '0' && *s <= '9' && !strchr(s, '-')) {
		long long v = strtoll(s, &end, 10);

		if (*end || v < 0)
			return -EINVAL;
		*out = v;
		return 0;
	}
	/* ISO 8601: YYYY-MM-DD[(T| )hh:mm[:ss]][Z|±hh[:]mm]; local time
	 * when no zone is given. */
	if (digits(&p, 4, &tm.tm_year) || *p++ != '-' ||
	    digits(&p, 2, &tm.tm_mon) || *p++ != '-' ||
	    digits(&p, 2, &tm.tm_mday))
		return -EINVAL;
	if (*p == 'T' || *p == ' ') {
		p++;
		if (digits(&p, 2, &tm.tm_hour) || *p++ != ':' ||
		    digits(&p, 2, &tm.tm_min))
			return -EINVAL;
		if (*p == ':' && (p++, digits(&p, 2, &tm.tm_sec)))
			return -EINVAL;
	}
	if (*p) {
		if (zone(p, &off))
			return -EINVAL;
		utc = true;
	}
	if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
	    tm.tm_sec > 60)
		return -EINVAL;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_isdst = -1;
	t = utc ? timegm(&tm) : mktime(&tm);
	if (t == (time_t)-1)
		return -EINVAL;
	*out = (int64_t)t - off;
	return 0;
}

struct history_opts {
	const char *config, *address, *at, *mac, *path;
	bool json;
};

struct shown {
	bool json;
	size_t n;
};

static void iso(char *buf, size_t len, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%S%z", &tm);
}

static int show(const struct lease_hist_row *r, void *arg)
{
	char ip[FMT_IPV4_LEN], gi[FMT_IPV4_LEN], mac[FMT_MAC_LEN];
	char start[32], end[32], cid[3 * LEASE_HIST_ID_MAX + 1];
	char circ[3 * LEASE_HIST_ID_MAX + 1], rem[3 * LEASE_HIST_ID_MAX + 1];
	struct shown *s = arg;

	fmt_ipv4(ip, r->addr);
	fmt_mac(mac, r->mac);
	fmt_ipv4(gi, r->giaddr);
	iso(start, sizeof(start), r->start);
	iso(end, sizeof(end), r->end);
	fmt_hex(cid, sizeof(cid), r->cid, r->cid_len);
	fmt_hex(circ, sizeof(circ), r->circuit, r->circuit_len);
	fmt_hex(rem, sizeof(rem), r->remote, r->remote_len);
	if (s->json) {
		printf("%s{\"address\": \"%s\", \"hw-address\": \"%s\", "
		       "\"client-id\": \"%s\", \"hostname\": ",
		       s->n ? ",\n " : "", ip, mac, cid);
		cli_json_str(r->hostname);
		printf(", \"subnet-id\": %u, \"start\": %lld, \"end\": %lld, "
		       "\"ended-by\": \"%s\"",
		       r->subnet_id, (long long)r->start, (long long)r->end,
		       lease_hist_why_name(r->why));
		if (r->giaddr)
			printf(", \"relay\": {\"giaddr\": \"%s\", "
			       "\"circuit-id\": \"%s\", \"remote-id\": \"%s\"}",
			       gi, circ, rem);
		printf("}");
	} else {
		printf("%-15s %-17s %6u %-24s %-24s %-8s %s %s", ip, mac,
		       r->subnet_id, start, end, lease_hist_why_name(r->why),
		       r->cid_len ? cid : "-",
		       r->hostname[0] ? r->hostname : "-");
		if (r->giaddr)
			printf(" relay=%s circuit-id=%s remote-id=%s", gi,
			       r->circuit_len ? circ : "-",
			       r->remote_len ? rem : "-");
		putchar('\n');
	}
	s->n++;
	return 0;
}

static int do_history(void *opts)
{
	const struct history_opts *o = opts;
	struct lease_hist_query q = {0};
	struct shown s = {.json = o->json};
	struct cli_db_owner owner;
	struct dx_config *cfg = NULL;
	struct lease_hist *h = NULL;
	const char *path = o->path;
	struct in_addr a;
	char err[512];
	int ret = 1;

	if (!o->address && !o->mac) {
		fprintf(stderr, "dhcpxdp leases history: give --address "
				"ADDR [--at TIME] or --mac MAC\n");
		return EXIT_USAGE;
	}
	if (o->at && cli_parse_time(o->at, &q.at)) {
		fprintf(stderr,
			"dhcpxdp leases history: '%s' is not a time: use unix "
			"seconds or ISO 8601 (2026-03-03T14:05[:00][Z|+01:00], "
			"local time without a zone)\n",
			o->at);
		return EXIT_USAGE;
	}
	q.by_time = o->at != NULL;
	if (o->address) {
		inet_pton(AF_INET, o->address, &a); /* checked by params */
		q.by_addr = true;
		q.addr = ntohl(a.s_addr);
	}
	q.by_mac = o->mac && !parse_mac(o->mac, q.mac);
	if (!path) {
		if (cli_config("leases history", o->config, &cfg))
			return 1;
		path = cfg->dhcpxdp.history.path;
	}
	/* Read-only, but a reader may create the -shm file: as root, it
	 * is given back to the daemon's user afterwards. */
	cli_file_owner_before(path, &owner);
	if (lease_hist_open(path, true, &h, err, sizeof(err))) {
		fprintf(stderr, "dhcpxdp leases history: %s%s\n", err,
			cfg && !cfg->dhcpxdp.history.enabled
				? " (Dhcp4.dhcpxdp.lease-history is not set "
				  "in the configuration)"
				: "");
		goto out;
	}
	if (s.json)
		printf("[");
	else
		printf("%-15s %-17s %6s %-24s %-24s %-8s %s\n", "ADDRESS", "MAC",
		       "SUBNET", "START", "END", "ENDED-BY",
		       "CLIENT-ID HOSTNAME [RELAY]");
	ret = lease_hist_query(h, &q, show, &s);
	if (s.json)
		printf("]\n");
	if (ret)
		fprintf(stderr, "dhcpxdp leases history: reading %s failed: "
				"%s\n",
			path, lease_hist_errmsg(h));
	ret = ret ? 1 : 0;
out:
	lease_hist_close(h);
	cli_file_owner_restore("leases history", path, &owner);
	config_free(cfg);
	return ret;
}

#define H(nm, sh, ty, field, val, hlp) \
	PARAM_OPT(nm, sh, ty, struct history_opts, field, val, hlp)

static const struct param history_params[] = {
	H("address", 0, PARAM_IPV4, address, "ADDR", "tenancies of ADDR"),
	H("at", 0, PARAM_STR, at, "TIME",
	  "only the one(s) holding it at TIME: unix\nseconds or ISO 8601 "
	  "(local without a zone)"),
	H("mac", 0, PARAM_MAC, mac, "MAC", "tenancies of this client"),
	H("json", 0, PARAM_FLAG, json, NULL, "JSON array"),
	H("config", 'c', PARAM_STR, config, "FILE", CLI_HELP_CONFIG),
	H("path", 0, PARAM_STR, path, "FILE",
	  "the history file (instead of the configuration's)"),
	{0},
};

const struct cli_cmd cmd_leases_history = {
	.name = "leases history",
	.summary = "who held an address when, from the lease history",
	.params = history_params,
	.opts_size = sizeof(struct history_opts),
	.run = do_history,
};
