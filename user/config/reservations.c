// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A subnet's host reservations, Kea's shape: one identifier (hw-address
 * or client-id), an address in the subnet, optionally a hostname and
 * option-data. The identifier and address checks are shared with the
 * run-time store (reservations_store.c), which must refuse what the file
 * would.
 */
#include <stdio.h>

#include "config/config.h"
#include "config/config_internal.h"
#include "util/errmsg.h"
#include "util/fmt.h"
#include "wire/option_def.h"

static const struct key_rule reservation_rules[] = {
	{"hw-address", K_HANDLED, NULL},
	{"client-id", K_HANDLED, NULL},
	{"ip-address", K_HANDLED, NULL},
	{"hostname", K_HANDLED, NULL},
	{"option-data", K_HANDLED, NULL},
	{"duid", K_UNSUPPORTED,
	 "reservations are by hw-address or client-id only"},
	{"circuit-id", K_UNSUPPORTED,
	 "reservations are by hw-address or client-id only"},
	{"flex-id", K_UNSUPPORTED,
	 "reservations are by hw-address or client-id only"},
	{"client-classes", K_HANDLED, NULL}, /* classes.c */
	{"next-server", K_UNSUPPORTED,
	 "BOOTP siaddr/sname/file are not set; use options 66 and 67"},
	{"server-hostname", K_UNSUPPORTED,
	 "BOOTP siaddr/sname/file are not set; use options 66 and 67"},
	{"boot-file-name", K_UNSUPPORTED,
	 "BOOTP siaddr/sname/file are not set; use options 66 and 67"},
	{NULL, 0, NULL},
};

int reservations_parse_hw(const char *text, uint8_t hw[6])
{
	char mac[64];
	uint8_t buf[64];

	if (strlen(text) >= sizeof(mac) || strchr(text, ' '))
		return -EINVAL;
	snprintf(mac, sizeof(mac), "%s", text);
	for (char *m = mac; *m; m++)
		if (*m == '-')
			*m = ':';
	if (option_parse_hex(mac, buf, sizeof(buf)) != 6)
		return -EINVAL;
	memcpy(hw, buf, 6);
	return 0;
}

int reservations_parse_client_id(const char *text, uint8_t out[255])
{
	size_t l = strlen(text);
	uint8_t buf[256];
	int n;

	/* Kea also takes a quoted text client-id: 'myhost'. */
	if (l >= 2 && text[0] == '\'' && text[l - 1] == '\'') {
		if (l - 2 > 255)
			return -EINVAL;
		n = (int)l - 2;
		memcpy(buf, text + 1, (size_t)n);
	} else {
		n = option_parse_hex(text, buf, sizeof(buf));
	}
	/* RFC 2132 §9.14: a client identifier is 2 bytes or more. */
	if (n < 2 || n > 255)
		return -EINVAL;
	memcpy(out, buf, (size_t)n);
	return n;
}

int reservations_check_addr(const struct dx_subnet_conf *s, uint32_t addr,
			    char *why, size_t len)
{
	uint32_t mask = config_prefix_mask(s->prefix_len);
	char a[FMT_IPV4_LEN], n[FMT_IPV4_LEN];

	if ((addr & mask) != s->network)
		return errmsg(why, len, -EINVAL, "%s: outside subnet %s/%u",
			      fmt_ipv4(a, addr), fmt_ipv4(n, s->network),
			      s->prefix_len);
	/* RFC 950: all-zeros and all-ones hosts are not addresses. */
	if (s->prefix_len <= 30 &&
	    (addr == s->network || addr == (s->network | ~mask)))
		return errmsg(why, len, -EINVAL,
			      "%s is the %s address of subnet %s/%u",
			      fmt_ipv4(a, addr),
			      addr == s->network ? "network" : "broadcast",
			      fmt_ipv4(n, s->network), s->prefix_len);
	return 0;
}

static int parse_reservation(struct config_ctx *c, struct json_object *o,
			     const char *path, const struct dx_subnet_conf *s,
			     struct dx_reservation_conf *res)
{
	const char *hw = NULL, *cid = NULL, *ip = NULL, *host = NULL;
	char p[CONFIG_PATH_LEN], why[128];
	uint8_t id[255];
	int r, n;

	if (json_object_get_type(o) != json_type_object)
		return jpath_fail(c, path, "expected an object, got %s",
				  jpath_type_desc(o));
	if ((r = jpath_check_keys(c, o, path, reservation_rules)) < 0)
		return r;
	if ((r = jpath_str(c, o, path, "hw-address", &hw)) < 0 ||
	    (r = jpath_str(c, o, path, "client-id", &cid)) < 0 ||
	    (r = jpath_str(c, o, path, "ip-address", &ip)) < 0 ||
	    (r = jpath_str(c, o, path, "hostname", &host)) < 0 ||
	    (r = classes_list_parse(c, o, path, "client-classes",
				    &res->classes, &res->n_classes)) < 0)
		return r;
	/* Kea: exactly one identifier per reservation. */
	if (!hw == !cid)
		return jpath_fail(c, path,
				  "a reservation needs exactly one of "
				  "hw-address or client-id");
	if (hw) {
		if (reservations_parse_hw(hw, res->hw))
			return jpath_fail(c, jpath_join(p, path, "hw-address"),
					  "'%s' is not an Ethernet MAC address "
					  "(expected 6 bytes, e.g. "
					  "00:11:22:33:44:55)",
					  hw);
		res->has_hw = true;
	} else {
		n = reservations_parse_client_id(cid, id);
		if (n < 0)
			return jpath_fail(c, jpath_join(p, path, "client-id"),
					  "'%s' is not a client identifier (2 "
					  "to 255 bytes as hex, e.g. "
					  "01:00:11:22:33:44:55, or 'quoted "
					  "text')",
					  cid);
		res->client_id = malloc(n);
		if (!res->client_id)
			return -ENOMEM;
		memcpy(res->client_id, id, n);
		res->client_id_len = n;
	}
	if (!ip)
		return jpath_fail(c, path,
				  "missing required key 'ip-address' "
				  "(reservations without an address are not "
				  "supported)");
	jpath_join(p, path, "ip-address");
	if (parse_ipv4(ip, &res->addr))
		return jpath_fail(c, p, "'%s' is not an IPv4 address", ip);
	if (reservations_check_addr(s, res->addr, why, sizeof(why)))
		return jpath_fail(c, p, "%s", why);
	if (host) {
		res->hostname = strdup(host);
		if (!res->hostname)
			return -ENOMEM;
	}
	return options_parse(c, o, path, &res->options);
}

/* For finding duplicate reservations by sorting rather than O(n²). */
struct res_key {
	const struct dx_reservation_conf *r;
	size_t index;
	int kind; /* 0 hw, 1 client-id, 2 address */
};

static int res_key_cmp(const void *pa, const void *pb)
{
	const struct res_key *a = pa, *b = pb;
	int d = 0;

	if (a->kind == 0)
		d = memcmp(a->r->hw, b->r->hw, 6);
	else if (a->kind == 1) {
		size_t la = a->r->client_id_len, lb = b->r->client_id_len;
		d = memcmp(a->r->client_id, b->r->client_id, la < lb ? la : lb);
		if (!d)
			d = la < lb ? -1 : la > lb;
	} else {
		d = a->r->addr < b->r->addr ? -1 : a->r->addr > b->r->addr;
	}
	if (!d)
		d = a->index < b->index ? -1 : a->index > b->index;
	return d;
}

static int check_dup_reservations(struct config_ctx *c, const char *rpath,
				  const struct dx_subnet_conf *s)
{
	static const char *const field[] = {"hw-address", "client-id",
					    "ip-address"};
	struct res_key *k = calloc(s->n_reservations + 1, sizeof(*k));
	size_t best_i = 0, best_j = SIZE_MAX;
	int best_kind = 0;
	char p[CONFIG_PATH_LEN], q[CONFIG_PATH_LEN], v[64];

	if (!k)
		return -ENOMEM;
	for (int kind = 0; kind < 3; kind++) {
		size_t n = 0;

		for (size_t i = 0; i < s->n_reservations; i++) {
			const struct dx_reservation_conf *r =
				&s->reservations[i];
			if ((kind == 0 && !r->has_hw) ||
			    (kind == 1 && !r->client_id))
				continue;
			k[n++] = (struct res_key){r, i, kind};
		}
		qsort(k, n, sizeof(*k), res_key_cmp);
		for (size_t i = 1; i < n; i++) {
			struct res_key x = k[i - 1], y = k[i];
			x.index = y.index = 0;
			if (res_key_cmp(&x, &y))
				continue;
			/* Report the earliest duplicate in file order. */
			if (k[i].index < best_j) {
				best_j = k[i].index;
				best_i = k[i - 1].index;
				best_kind = kind;
			}
		}
	}
	free(k);
	if (best_j == SIZE_MAX)
		return 0;
	const struct dx_reservation_conf *r = &s->reservations[best_j];
	jpath_idx(q, rpath, best_j);
	jpath_join(p, q, field[best_kind]);
	if (best_kind == 0)
		fmt_mac(v, r->hw);
	else if (best_kind == 1)
		snprintf(v, sizeof(v), "client-id");
	else
		fmt_ipv4(v, r->addr);
	return jpath_fail(c, p, "%s: already reserved by reservations[%zu]",
			  best_kind == 1 ? "this client-id" : v, best_i);
}

int reservations_parse(struct config_ctx *c, struct json_object *so,
		       const char *spath, struct dx_subnet_conf *s)
{
	struct json_object *arr;
	char path[CONFIG_PATH_LEN], p[CONFIG_PATH_LEN];
	size_t n;
	int r;

	r = jpath_get(c, so, spath, "reservations", json_type_array, "a list",
		      &arr);
	if (r <= 0)
		return r;
	jpath_join(path, spath, "reservations");
	n = json_object_array_length(arr);
	s->reservations = calloc(n ? n : 1, sizeof(*s->reservations));
	if (!s->reservations)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		/* Counted first so that config_free releases partial ones. */
		s->n_reservations++;
		r = parse_reservation(c, json_object_array_get_idx(arr, i),
				      jpath_idx(p, path, i), s,
				      &s->reservations[i]);
		if (r)
			return r;
	}
	return check_dup_reservations(c, path, s);
}

/*
 * Kea's switches for where reservations are looked up (dhcp4-srv.rst,
 * "Fine-Tuning DHCPv4 Host Reservation"), at the global or subnet level.
 * dhcpxdp has in-subnet reservations only and always checks them, also
 * for addresses of a pool: the settings that mean this pass, the others
 * would change which address a client gets and are refused.
 */
int reservations_flags(struct config_ctx *c, struct json_object *obj,
		       const char *path)
{
	char p[CONFIG_PATH_LEN];
	const char *mode = NULL;
	bool global = false, in_subnet = true, out_of_pool = false;
	int r;

	if ((r = jpath_bool(c, obj, path, "reservations-global", &global)) <
		    0 ||
	    (r = jpath_bool(c, obj, path, "reservations-in-subnet",
			    &in_subnet)) < 0 ||
	    /* Kea's promise that no reservation is in a pool, so it may
	     * skip looking; dhcpxdp looks anyway: the same leases. */
	    (r = jpath_bool(c, obj, path, "reservations-out-of-pool",
			    &out_of_pool)) < 0 ||
	    (r = jpath_str(c, obj, path, "reservation-mode", &mode)) < 0)
		return r;
	if (global)
		return jpath_fail(c, jpath_join(p, path, "reservations-global"),
				  "global reservations are not implemented: "
				  "set it to false and put each reservation "
				  "in its subnet");
	if (!in_subnet)
		return jpath_fail(c,
				  jpath_join(p, path, "reservations-in-subnet"),
				  "dhcpxdp always honours a subnet's "
				  "reservations: set it to true and remove "
				  "the reservations instead");
	/* Kea 1.x's single key for the three above, removed in Kea 2.x. */
	if (mode && strcmp(mode, "all") && strcmp(mode, "out-of-pool"))
		return jpath_fail(c, jpath_join(p, path, "reservation-mode"),
				  "'%s' is not supported: dhcpxdp honours "
				  "in-subnet reservations only (\"all\" or "
				  "\"out-of-pool\")",
				  mode);
	return 0;
}
