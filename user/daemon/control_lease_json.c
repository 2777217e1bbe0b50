// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* A lease in Kea's shape, and lease4-get-page's page (control_lease_json.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "daemon/control_json.h"
#include "daemon/control_lease_json.h"

int kea_lease_state(int dx_state)
{
	switch (dx_state) {
	case DX_LEASE_DECLINED:
		return KEA_LEASE_DECLINED;
	case DX_LEASE_RELEASED:
	case DX_LEASE_EXPIRED:
		/* Kea 2.2 has no "released" state: a released lease it
		 * keeps is reclaimed. dhcpxdp's own name rides along. */
		return KEA_LEASE_EXPIRED_RECLAIMED;
	}
	return KEA_LEASE_DEFAULT;
}

struct json_object *control_lease_to_kea(const struct dx_lease_rec *r)
{
	struct json_object *o = json_object_new_object(), *x;
	int64_t cltt = r->last_seen, valid;

	/* A row imported with a future start, or a clock stepped back:
	 * Kea's valid-lft is never negative. */
	if (cltt > r->expires)
		cltt = r->expires;
	valid = r->expires - cltt;
	json_object_object_add(o, "ip-address", ctl_jstr_ip(r->addr));
	json_object_object_add(o, "hw-address", ctl_jstr_hex(r->mac, 6));
	if (r->client_id_len)
		json_object_object_add(
			o, "client-id",
			ctl_jstr_hex(r->client_id, r->client_id_len));
	ctl_add_u64(o, "subnet-id", r->subnet_id);
	json_object_object_add(o, "cltt", json_object_new_int64(cltt));
	json_object_object_add(o, "valid-lft", json_object_new_int64(valid));
	/* dhcpxdp does no DNS updates. */
	json_object_object_add(o, "fqdn-fwd", json_object_new_boolean(0));
	json_object_object_add(o, "fqdn-rev", json_object_new_boolean(0));
	json_object_object_add(o, "hostname",
			       json_object_new_string(r->hostname));
	json_object_object_add(o, "state",
			       json_object_new_int(kea_lease_state(r->state)));
	x = json_object_new_object();
	json_object_object_add(
		x, "state", json_object_new_string(lease_state_name(r->state)));
	json_object_object_add(x, "expire", json_object_new_int64(r->expires));
	json_object_object_add(x, "horizon", json_object_new_int64(r->horizon));
	json_object_object_add(x, "last-seen",
			       json_object_new_int64(r->last_seen));
	json_object_object_add(
		x, "fast-path",
		json_object_new_boolean(r->flags & DX_LEASE_F_FASTPATH));
	json_object_object_add(o, "dhcpxdp", x);
	return o;
}

/* ---- lease4-get-page ---------------------------------------------------- */

int lease_page_init(struct lease_page *p, uint32_t after, int from_start,
		    size_t limit)
{
	memset(p, 0, sizeof(*p));
	if (!limit)
		return -EINVAL;
	p->rows = calloc(limit, sizeof(*p->rows));
	if (!p->rows)
		return -ENOMEM;
	p->limit = limit;
	p->after = after;
	p->from_start = from_start;
	return 0;
}

static void swap_rows(struct dx_lease_rec *a, struct dx_lease_rec *b)
{
	struct dx_lease_rec t = *a;

	*a = *b;
	*b = t;
}

/* rows[0] is the highest address kept. */
static void sift_down(struct dx_lease_rec *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < n && h[l].addr > h[m].addr)
			m = l;
		if (r < n && h[r].addr > h[m].addr)
			m = r;
		if (m == i)
			return;
		swap_rows(&h[i], &h[m]);
		i = m;
	}
}

void lease_page_offer(struct lease_page *p, const struct dx_lease_rec *r)
{
	size_t i;

	if (!p->from_start && r->addr <= p->after)
		return;
	if (p->n == p->limit) {
		if (r->addr >= p->rows[0].addr)
			return;
		p->rows[0] = *r;
		sift_down(p->rows, p->n, 0);
		return;
	}
	i = p->n++;
	p->rows[i] = *r;
	while (i && p->rows[(i - 1) / 2].addr < p->rows[i].addr) {
		swap_rows(&p->rows[i], &p->rows[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
}

static int by_addr(const void *a, const void *b)
{
	const struct dx_lease_rec *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

void lease_page_sort(struct lease_page *p)
{
	qsort(p->rows, p->n, sizeof(*p->rows), by_addr);
}

void lease_page_free(struct lease_page *p)
{
	free(p->rows);
	memset(p, 0, sizeof(*p));
}
