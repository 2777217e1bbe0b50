// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Kea's memfile lease file, kea-leases4.csv, both ways. The header line
 * names the columns: every Kea version wrote the first nine (address,
 * hwaddr, client_id, valid_lifetime, expire, subnet_id, fqdn_fwd,
 * fqdn_rev, hostname), later ones added state, user_context and pool_id,
 * so columns are found by name. Kea escapes a comma (and a few other
 * characters) in a field as "&#xHH"; there is no quoting. The file is
 * appended to (a renewal writes a new row; the lease file cleanup
 * compacts it later), so the last row for an address is the lease.
 * expire is a unix time; the lease began at expire - valid_lifetime.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "migrate/mig_internal.h"
#include "util/errmsg.h"
#include "util/fmt.h"

/* Kea's lease states (Lease::STATE_*). */
#define KEA_STATE_DEFAULT	    0
#define KEA_STATE_DECLINED	    1
#define KEA_STATE_EXPIRED_RECLAIMED 2
#define KEA_STATE_RELEASED	    3
#define KEA_INFINITE_LIFETIME	    0xffffffffu

enum kea_col {
	COL_ADDRESS,
	COL_HWADDR,
	COL_CLIENT_ID,
	COL_VALID,
	COL_EXPIRE,
	COL_SUBNET,
	COL_HOSTNAME,
	COL_STATE,
	N_COLS,
};

static const char *const col_names[N_COLS] = {
	"address", "hwaddr",	"client_id", "valid_lifetime",
	"expire",  "subnet_id", "hostname",  "state",
};

#define MAX_FIELDS 32

struct fields {
	const char *p[MAX_FIELDS];
	size_t len[MAX_FIELDS];
	size_t n;
};

/* -E2BIG with more than MAX_FIELDS fields. */
static int split(const struct mig_line *l, struct fields *f)
{
	const char *s = l->p, *end = l->p + l->len;

	f->n = 0;
	for (;;) {
		const char *c = memchr(s, ',', (size_t)(end - s));

		if (f->n == MAX_FIELDS)
			return -E2BIG;
		f->p[f->n] = s;
		f->len[f->n++] = (size_t)((c ? c : end) - s);
		if (!c)
			return 0;
		s = c + 1;
	}
}

/* Kea's "&#xHH" escapes undone, into dst (at most cap - 1 bytes). */
static void unescape(char *dst, size_t cap, const char *s, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < len && o + 1 < cap; i++) {
		uint8_t b;
		size_t n;

		if (i + 5 <= len && !memcmp(s + i, "&#x", 3) &&
		    !mig_hex(s + i + 3, 2, &b, 1, &n) && n == 1) {
			dst[o++] = (char)b;
			i += 4;
			continue;
		}
		dst[o++] = s[i];
	}
	dst[o] = 0;
}

struct header {
	int col[N_COLS]; /* index of each column, -1 when absent */
	size_t n;	 /* columns in the header */
};

static int parse_header(const struct mig_line *l, const char *file,
			struct header *h, char *err, size_t errlen)
{
	struct fields f;

	if (split(l, &f))
		return errmsg(err, errlen, -EINVAL,
			      "%s:%u: not a Kea lease file header (too many "
			      "columns)",
			      file, l->no);
	h->n = f.n;
	for (int c = 0; c < N_COLS; c++) {
		h->col[c] = -1;
		for (size_t i = 0; i < f.n; i++)
			if (f.len[i] == strlen(col_names[c]) &&
			    !memcmp(f.p[i], col_names[c], f.len[i]))
				h->col[c] = (int)i;
		if (h->col[c] < 0 && c != COL_STATE)
			return errmsg(err, errlen, -EINVAL,
				      "%s:%u: not a Kea DHCPv4 lease file "
				      "header: no column '%s'",
				      file, l->no, col_names[c]);
	}
	return 0;
}

#define FIELD(c) f.p[h->col[c]], f.len[h->col[c]]

static int parse_row(const struct mig_line *l, const struct header *h,
		     const char *file, struct mig_lease *out, char *err,
		     size_t errlen)
{
	struct fields f;
	uint64_t valid, expire, subnet, state = KEA_STATE_DEFAULT;
	const char *what;
	size_t n;

	memset(out, 0, sizeof(*out));
	out->line = l->no;
	if (split(l, &f) || f.n != h->n)
		return errmsg(err, errlen, -EINVAL,
			      "%s:%u: %zu fields where the header has %zu",
			      file, l->no, f.n, h->n);
	what = "address";
	if (mig_ipv4(FIELD(COL_ADDRESS), &out->addr))
		goto bad;
	what = "hwaddr";
	if (mig_hex(FIELD(COL_HWADDR), out->mac, 6, &n) == -EINVAL)
		goto bad;
	/* Only Ethernet's six octets key a lease here; other hardware is
	 * told apart by the plan (skipped, no MAC). */
	out->has_mac = n == 6 && f.len[h->col[COL_HWADDR]] <= 17;
	what = "client_id";
	if (mig_hex(FIELD(COL_CLIENT_ID), out->client_id,
		    sizeof(out->client_id), &n))
		goto bad;
	out->client_id_len = (uint8_t)n;
	what = "valid_lifetime";
	if (mig_u64(FIELD(COL_VALID), UINT32_MAX, &valid))
		goto bad;
	what = "expire";
	if (mig_u64(FIELD(COL_EXPIRE), INT64_MAX / 2, &expire))
		goto bad;
	what = "subnet_id";
	if (mig_u64(FIELD(COL_SUBNET), UINT32_MAX, &subnet))
		goto bad;
	what = "state";
	if (h->col[COL_STATE] >= 0 && mig_u64(FIELD(COL_STATE), 255, &state))
		goto bad;
	unescape(out->hostname, sizeof(out->hostname), FIELD(COL_HOSTNAME));
	out->subnet_hint = (uint32_t)subnet;
	if (valid == KEA_INFINITE_LIFETIME) {
		out->expires = MIG_EXPIRES_NEVER;
	} else {
		out->expires = (int64_t)expire;
		out->cltt = (int64_t)expire - (int64_t)valid;
	}
	switch (state) {
	case KEA_STATE_DEFAULT:
		out->state = MIG_ACTIVE;
		break;
	case KEA_STATE_DECLINED:
		out->state = MIG_DECLINED;
		break;
	case KEA_STATE_EXPIRED_RECLAIMED:
	case KEA_STATE_RELEASED:
		out->state = MIG_FREE;
		break;
	default:
		goto bad;
	}
	return 0;
bad:
	return errmsg(err, errlen, -EINVAL, "%s:%u: bad %s", file, l->no, what);
}

int mig_parse_kea_csv(const char *text, size_t len, const char *file,
		      struct mig_set *out, char *err, size_t errlen)
{
	const char *cur = text, *end = text + len;
	struct header h;
	struct mig_line l;
	struct mig_lease row;
	unsigned no = 0;
	bool have_header = false;
	int ret;

	if (!text || !out || !file)
		return -EINVAL;
	while (mig_next_line(&cur, end, &no, &l)) {
		if (!l.len)
			continue;
		if (!have_header) {
			ret = parse_header(&l, file, &h, err, errlen);
			if (ret)
				return ret;
			have_header = true;
			continue;
		}
		ret = parse_row(&l, &h, file, &row, err, errlen);
		if (ret)
			return ret;
		ret = mig_set_add(out, &row);
		if (ret)
			return ret;
	}
	if (!have_header)
		return errmsg(err, errlen, -EINVAL,
			      "%s:1: empty: no Kea lease file header", file);
	return mig_set_supersede(out);
}

/* ---- out --------------------------------------------------------------- */

/* Kea 2.4 and later; older versions load it, leaving the later columns. */
const char mig_kea_csv_header[] =
	"address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,"
	"fqdn_rev,hostname,state,user_context,pool_id\n";

/* A hostname with Kea's escapes for what would break the CSV. */
static void escape(char *dst, size_t cap, const char *s)
{
	size_t o = 0;

	for (; *s && o + 6 < cap; s++) {
		if (*s == ',' || *s == '&' || (unsigned char)*s < 0x20)
			o += (size_t)snprintf(dst + o, cap - o, "&#x%02x",
					      (unsigned char)*s);
		else
			dst[o++] = *s;
	}
	dst[o] = 0;
}

int mig_kea_csv_row(const struct dx_lease_rec *rec, uint32_t valid, char *buf,
		    size_t len)
{
	char ip[FMT_IPV4_LEN], mac[FMT_MAC_LEN];
	char cid[3 * DX_LEASE_CLIENT_ID_MAX + 1] = "";
	char host[6 * DX_LEASE_HOSTNAME_MAX + 1];
	int state, n;

	if (!rec || !buf)
		return -EINVAL;
	for (size_t i = 0, o = 0; i < rec->client_id_len; i++)
		o += (size_t)snprintf(cid + o, sizeof(cid) - o, "%s%02x",
				      i ? ":" : "", rec->client_id[i]);
	/* Kea writes a declined lease without its client. */
	if (rec->state == DX_LEASE_DECLINED)
		mac[0] = 0;
	else
		fmt_mac(mac, rec->mac);
	escape(host, sizeof(host), rec->hostname);
	state = rec->state == DX_LEASE_ACTIVE	  ? KEA_STATE_DEFAULT
		: rec->state == DX_LEASE_DECLINED ? KEA_STATE_DECLINED
						  : KEA_STATE_EXPIRED_RECLAIMED;
	n = snprintf(buf, len,
		     "%s,%s,%s,%" PRIu32 ",%" PRId64 ",%" PRIu32
		     ",0,0,%s,%d,,0\n",
		     fmt_ipv4(ip, rec->addr), mac, cid, valid, rec->expires,
		     rec->subnet_id, host, state);
	if (n < 0 || (size_t)n >= len)
		return -ENOSPC;
	return n;
}
