// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A configuration that is not JSON at all is most often the file of the
 * server being replaced: ISC dhcpd's dhcpd.conf or a dnsmasq.conf. Saying
 * so, and what to do, helps more than "JSON syntax error at line 7".
 */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "config/config_internal.h"

/* The first character that is not blank and not in a # or // comment. */
static char first_significant(const char *s)
{
	while (*s) {
		if (isspace((unsigned char)*s)) {
			s++;
		} else if (*s == '#' || (s[0] == '/' && s[1] == '/')) {
			while (*s && *s != '\n')
				s++;
		} else {
			return *s;
		}
	}
	return 0;
}

/* Does a line of `s` start with `word`, leading blanks aside? */
static bool line_starts(const char *s, const char *word)
{
	size_t n = strlen(word);

	for (const char *l = s; l; l = strchr(l, '\n')) {
		if (*l == '\n')
			l++;
		while (*l == ' ' || *l == '\t')
			l++;
		if (!strncmp(l, word, n))
			return true;
	}
	return false;
}

/* dhcpd.conf(5): statements end in ';', declarations open '{'. */
static bool looks_like_dhcpd(const char *s)
{
	static const char *const words[] = {
		"subnet ",	     "default-lease-time ", "max-lease-time ",
		"ddns-update-style ", "authoritative;",     "option domain-name",
		"option routers",    "host ",		    "shared-network ",
		"failover peer ",
	};
	int hits = 0;

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		hits += line_starts(s, words[i]);
	return hits >= 2 || (line_starts(s, "subnet ") && strstr(s, "netmask"));
}

/* dnsmasq(8): one KEY or KEY=VALUE per line. */
static bool looks_like_dnsmasq(const char *s)
{
	static const char *const words[] = {
		"dhcp-range=",	 "dhcp-host=",	    "dhcp-option=",
		"dhcp-leasefile=", "dhcp-authoritative", "dhcp-boot=",
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (line_starts(s, words[i]))
			return true;
	return false;
}

int foreign_check(struct config_ctx *c, const char *text)
{
	char first = first_significant(text);

	if (first == '{' || first == 0)
		return 0;
	if (looks_like_dhcpd(text))
		return jpath_fail(
			c, NULL,
			"this is an ISC dhcpd configuration (dhcpd.conf), not "
			"JSON in Kea's Dhcp4 format, which dhcpxdp reads: "
			"translate it (ISC's Kea Migration Assistant, keama, "
			"does most of it), then check the result; bring the "
			"leases across with 'dhcpxdp leases import --format "
			"dhcpd'");
	if (looks_like_dnsmasq(text))
		return jpath_fail(
			c, NULL,
			"this is a dnsmasq configuration, not JSON in Kea's "
			"Dhcp4 format, which dhcpxdp reads: write its "
			"dhcp-range, dhcp-host and dhcp-option lines as Kea's "
			"subnet4 pools, reservations and option-data "
			"(docs/configuration.md); bring the leases across "
			"with 'dhcpxdp leases import --format dnsmasq'");
	return 0;
}
