// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Options from a table (params.h), with getopt_long underneath. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "cli/params.h"
#include "util/fmt.h"

#define PARAMS_MAX 32

static size_t count(const struct param *p)
{
	size_t n = 0;

	while (p && p[n].name)
		n++;
	return n;
}

/* "-c, --config FILE", "--json", "IFACE" */
static void left_column(const struct param *p, char *buf, size_t len)
{
	if (p->positional)
		snprintf(buf, len, "%s", p->name);
	else if (p->short_name)
		snprintf(buf, len, "-%c, --%s%s%s", p->short_name, p->name,
			 p->value ? " " : "", p->value ? p->value : "");
	else
		snprintf(buf, len, "--%s%s%s", p->name, p->value ? " " : "",
			 p->value ? p->value : "");
}

void params_usage(const struct cli_cmd *cmd, FILE *f)
{
	const struct param *p = cmd->params;
	size_t n = count(p), width = 17;
	char col[96];

	fprintf(f, "usage: dhcpxdp %s", cmd->name);
	for (size_t i = 0; i < n; i++)
		if (p[i].positional)
			fprintf(f, p[i].required ? " %s" : " [%s]", p[i].name);
	for (size_t i = 0; i < n; i++) {
		if (p[i].positional)
			continue;
		if (p[i].short_name)
			fprintf(f, " [-%c%s%s]", p[i].short_name,
				p[i].value ? " " : "",
				p[i].value ? p[i].value : "");
		else
			fprintf(f, " [--%s%s%s]", p[i].name,
				p[i].value ? " " : "",
				p[i].value ? p[i].value : "");
	}
	fprintf(f, "\n%s\n", cmd->summary);
	if (!n)
		return;
	for (size_t i = 0; i < n; i++) {
		left_column(&p[i], col, sizeof(col));
		if (strlen(col) > width)
			width = strlen(col);
	}
	fprintf(f, "\noptions:\n");
	for (size_t i = 0; i < n; i++) {
		const char *h = p[i].help, *nl;

		left_column(&p[i], col, sizeof(col));
		fprintf(f, "  %-*s  ", (int)width, col);
		while ((nl = strchr(h, '\n'))) {
			fprintf(f, "%.*s\n  %-*s  ", (int)(nl - h), h,
				(int)width, "");
			h = nl + 1;
		}
		fprintf(f, "%s\n", h);
	}
}

static int usage_error(const struct cli_cmd *cmd)
{
	params_usage(cmd, stderr);
	return EXIT_USAGE;
}

/* Check and store one value; a sentence on stderr when it is wrong. */
static int store(const struct cli_cmd *cmd, const struct param *p,
		 const char *arg, void *opts)
{
	char *field = (char *)opts + p->offset, *end;
	const char *want = NULL;
	unsigned long long id;
	uint8_t mac[6];
	uint32_t addr;
	double d;

	switch (p->type) {
	case PARAM_FLAG:
		*(bool *)field = true;
		return 0;
	case PARAM_STR:
		break;
	case PARAM_ID:
		errno = 0;
		id = strtoull(arg, &end, 10);
		if (errno || end == arg || *end || *arg == '-' || !id ||
		    id > UINT32_MAX) {
			want = "an id from 1 to 4294967295";
			break;
		}
		*(uint32_t *)field = (uint32_t)id;
		return 0;
	case PARAM_MAC:
		if (parse_mac(arg, mac))
			want = "a MAC address (aa:bb:cc:dd:ee:ff)";
		break;
	case PARAM_IPV4:
		if (parse_ipv4(arg, &addr))
			want = "an IPv4 address (dotted quad)";
		break;
	case PARAM_DOUBLE:
		errno = 0;
		d = strtod(arg, &end);
		if (errno || end == arg || *end || !isfinite(d)) {
			want = "a number";
			break;
		}
		*(double *)field = d;
		return 0;
	}
	if (want) {
		fprintf(stderr, "dhcpxdp %s: %s%s '%s': expected %s\n",
			cmd->name, p->positional ? "" : "--", p->name, arg,
			want);
		return EXIT_USAGE;
	}
	*(const char **)field = arg;
	return 0;
}

int params_parse(const struct cli_cmd *cmd, int argc, char **argv, void *opts)
{
	const struct param *p = cmd->params;
	struct option longs[PARAMS_MAX + 1];
	/* Leading ':': a missing value is told apart from an unknown option. */
	char shorts[2 * PARAMS_MAX + 2] = ":";
	size_t n = count(p), nl = 0, ns = 1;
	int c, ret;

	if (cmd->defaults)
		memcpy(opts, cmd->defaults, cmd->opts_size);
	else
		memset(opts, 0, cmd->opts_size);
	for (size_t i = 0; i < n && nl < PARAMS_MAX; i++) {
		if (p[i].positional)
			continue;
		longs[nl++] = (struct option){
			.name = p[i].name,
			.has_arg = p[i].type == PARAM_FLAG ? no_argument
							   : required_argument,
			.val = 256 + (int)i,
		};
		if (p[i].short_name) {
			shorts[ns++] = p[i].short_name;
			if (p[i].type != PARAM_FLAG)
				shorts[ns++] = ':';
		}
	}
	memset(&longs[nl], 0, sizeof(longs[nl]));
	shorts[ns] = '\0';
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		const struct param *hit = NULL;

		if (c >= 256) {
			hit = &p[c - 256];
		} else if (c != '?' && c != ':') {
			for (size_t i = 0; i < n && !hit; i++)
				if (!p[i].positional && p[i].short_name == c)
					hit = &p[i];
		}
		if (c == ':') {
			fprintf(stderr, "dhcpxdp %s: %s needs a value\n",
				cmd->name, argv[optind - 1]);
			return usage_error(cmd);
		}
		if (!hit) {
			fprintf(stderr, "dhcpxdp %s: unknown option '%s'\n",
				cmd->name, argv[optind - 1]);
			return usage_error(cmd);
		}
		ret = store(cmd, hit, optarg, opts);
		if (ret)
			return ret;
	}
	for (size_t i = 0; i < n; i++) {
		if (!p[i].positional)
			continue;
		if (optind < argc) {
			ret = store(cmd, &p[i], argv[optind++], opts);
			if (ret)
				return ret;
		} else if (p[i].required) {
			fprintf(stderr, "dhcpxdp %s: missing %s\n", cmd->name,
				p[i].name);
			return usage_error(cmd);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "dhcpxdp %s: unexpected argument '%s'\n",
			cmd->name, argv[optind]);
		return usage_error(cmd);
	}
	return 0;
}
