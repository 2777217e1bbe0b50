// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * dnsmasq's lease file (--dhcp-leasefile): one line a lease, "EXPIRY MAC
 * ADDRESS HOSTNAME CLIENT-ID", with "*" for an unknown host name or
 * client identifier and an expiry of 0 for a lease that never ends. A
 * "duid" line starts the DHCPv6 part: its lines name IPv6 addresses and
 * are not ours. A MAC of another hardware type is written "TT-hh:hh..."
 * (TT the ARP type). dnsmasq rewrites the file whole, so each line is a
 * lease of its own.
 */
#include <errno.h>
#include <string.h>
#include "migrate/mig_internal.h"
#include "util/errmsg.h"

#define N_FIELDS 5

/* Splits at blanks; -E2BIG past N_FIELDS. */
static int split(const struct mig_line *l, const char **p, size_t *len,
		 size_t *n)
{
	size_t i = 0;

	*n = 0;
	while (i < l->len) {
		size_t s;

		while (i < l->len && (l->p[i] == ' ' || l->p[i] == '\t'))
			i++;
		if (i == l->len)
			break;
		if (*n == N_FIELDS)
			return -E2BIG;
		s = i;
		while (i < l->len && l->p[i] != ' ' && l->p[i] != '\t')
			i++;
		p[*n] = l->p + s;
		len[(*n)++] = i - s;
	}
	return 0;
}

static bool is_star(const char *p, size_t len)
{
	return len == 1 && *p == '*';
}

static int parse_line(const struct mig_line *l, const char *file,
		      struct mig_lease *out, bool *v6, char *err, size_t errlen)
{
	const char *p[N_FIELDS], *what;
	size_t len[N_FIELDS], n, cid;
	uint64_t expiry;

	memset(out, 0, sizeof(*out));
	out->line = l->no;
	out->state = MIG_ACTIVE;
	*v6 = false;
	if (split(l, p, len, &n) || n < 2)
		goto fields;
	if (len[0] == 4 && !memcmp(p[0], "duid", 4)) {
		*v6 = true;
		return 0;
	}
	if (n != N_FIELDS)
		goto fields;
	if (memchr(p[2], ':', len[2])) { /* an IPv6 lease */
		*v6 = true;
		return 0;
	}
	what = "expiry";
	if (mig_u64(p[0], len[0], INT64_MAX / 2, &expiry))
		goto bad;
	out->expires = expiry ? (int64_t)expiry : MIG_EXPIRES_NEVER;
	what = "MAC";
	if (!mig_mac(p[1], len[1], out->mac))
		out->has_mac = true;
	else if (!(len[1] > 3 && p[1][2] == '-'))
		goto bad;
	what = "address";
	if (mig_ipv4(p[2], len[2], &out->addr))
		goto bad;
	if (!is_star(p[3], len[3]))
		mig_hostname(out->hostname, p[3], len[3]);
	what = "client-id";
	if (!is_star(p[4], len[4])) {
		if (mig_hex(p[4], len[4], out->client_id,
			    sizeof(out->client_id), &cid))
			goto bad;
		out->client_id_len = (uint8_t)cid;
	}
	return 0;
fields:
	return errmsg(err, errlen, -EINVAL,
		      "%s:%u: not a dnsmasq lease line (EXPIRY MAC ADDRESS "
		      "HOSTNAME CLIENT-ID)",
		      file, l->no);
bad:
	return errmsg(err, errlen, -EINVAL, "%s:%u: bad %s", file, l->no, what);
}

int mig_parse_dnsmasq(const char *text, size_t len, const char *file,
		      struct mig_set *out, char *err, size_t errlen)
{
	const char *cur = text, *end = text + len;
	struct mig_lease row;
	struct mig_line l;
	unsigned no = 0;
	bool skip;
	int ret;

	if (!text || !out || !file)
		return -EINVAL;
	while (mig_next_line(&cur, end, &no, &l)) {
		if (!l.len)
			continue;
		ret = parse_line(&l, file, &row, &skip, err, errlen);
		if (ret)
			return ret;
		/* Past "duid" only the IPv6 lines are skipped: an IPv4
		 * line there would still be a lease. */
		if (skip)
			continue;
		ret = mig_set_add(out, &row);
		if (ret)
			return ret;
	}
	return 0;
}
