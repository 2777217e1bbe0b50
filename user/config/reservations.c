// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A subnet's host reservations, Kea's shape: one identifier (hw-address,
 * client-id or circuit-id), optionally an address in the subnet (without
 * one the client gets a pool address and the reservation's extras), a
 * hostname, option-data and boot fields. The identifier and address
 * checks are shared with the run-time store (reservations_store.c), which
 * must refuse what the file would.
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
	{"circuit-id", K_HANDLED, NULL},
	{"duid", K_HANDLED, NULL},
	{"flex-id", K_HANDLED, NULL},
	{"client-classes", K_HANDLED, NULL}, /* classes.c */
	{"next-server", K_HANDLED, NULL},    /* bootp.c */
	{"server-hostname", K_HANDLED, NULL},
	{"boot-file-name", K_HANDLED, NULL},
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

/* Kea's identifier forms: hex, or 'quoted text'. Length or -EINVAL. */
int reservations_parse_id(const char *text, uint8_t out[255])
{
	size_t l = strlen(text);
	uint8_t buf[256];
	int n;

	if (l >= 2 && text[0] == '\'' && text[l - 1] == '\'') {
		if (l - 2 > 255)
			return -EINVAL;
		n = (int)l - 2;
		memcpy(buf, text + 1, (size_t)n);
	} else {
		n = option_parse_hex(text, buf, sizeof(buf));
	}
	if (n < 1 || n > 255)
		return -EINVAL;
	memcpy(out, buf, (size_t)n);
	return n;
}

int reservations_parse_client_id(const char *text, uint8_t out[255])
{
	uint8_t buf[255];
	int n = reservations_parse_id(text, buf);

	/* RFC 2132 §9.14: a client identifier is 2 bytes or more. */
	if (n < 2)
		return -EINVAL;
	memcpy(out, buf, (size_t)n);
	return n;
}

/* RFC 3046 §2.1: a circuit id is 1 to 255 opaque bytes. */
int reservations_parse_circuit_id(const char *text, uint8_t out[255])
{
	return reservations_parse_id(text, out);
}

static int copy_id(uint8_t **dst, size_t *dst_len, const uint8_t *id, int n)
{
	*dst = malloc((size_t)n);
	if (!*dst)
		return -ENOMEM;
	memcpy(*dst, id, (size_t)n);
	*dst_len = (size_t)n;
	return 0;
}

/*
 * An opaque identifier as Kea writes circuit-ids and flex-ids: 1 to 255
 * bytes, hex or 'quoted text'; `what` names it in the message.
 */
static int opaque_id(struct config_ctx *c, const char *path, const char *key,
		     const char *what, const char *text, uint8_t **dst,
		     size_t *dst_len)
{
	char p[CONFIG_PATH_LEN];
	uint8_t id[255];
	int n = reservations_parse_circuit_id(text, id);

	if (n < 0)
		return jpath_fail(c, jpath_join(p, path, key),
				  "'%s' is not %s (1 to 255 bytes as hex, "
				  "e.g. 01:02:03, or 'quoted text')",
				  text, what);
	return copy_id(dst, dst_len, id, n);
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

void reservation_free(struct dx_reservation_conf *r)
{
	free(r->client_id);
	free(r->circuit_id);
	free(r->duid);
	free(r->flex_id);
	free(r->classes);
	free(r->hostname);
	options_free(&r->options);
	options_free(&r->option_data);
}

/*
 * The reservation's option-data, and what it changes in the list the
 * address would get: Kea's order is reservation, then pool, then subnet.
 */
static int reservation_options(struct config_ctx *c, struct json_object *o,
			       const char *path, const struct dx_subnet_conf *s,
			       struct dx_reservation_conf *res)
{
	const struct dx_option_list *lv[5] = {
		&c->cfg->option_data, c->link_options,
		s ? &s->option_data : NULL, NULL, &res->option_data};
	char p[CONFIG_PATH_LEN];
	int r;

	/* A global reservation (s NULL) over Dhcp4's alone. */
	for (size_t i = 0; s && i < s->n_pools; i++)
		if (res->addr >= s->pools[i].start &&
		    res->addr <= s->pools[i].end)
			lv[3] = &s->pool_opts[i].option_data;
	if ((r = options_parse(c, o, path, &res->option_data)) ||
	    res->option_data.n == 0)
		return r;
	return options_compose(c, jpath_join(p, path, "option-data"), lv, 5,
			       true, &res->options);
}

static int parse_reservation(struct config_ctx *c, struct json_object *o,
			     const char *path, const struct dx_subnet_conf *s,
			     struct dx_reservation_conf *res)
{
	const char *hw = NULL, *cid = NULL, *circ = NULL, *duid = NULL,
		   *flex = NULL, *ip = NULL, *host = NULL;
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
	    (r = jpath_str(c, o, path, "circuit-id", &circ)) < 0 ||
	    (r = jpath_str(c, o, path, "duid", &duid)) < 0 ||
	    (r = jpath_str(c, o, path, "flex-id", &flex)) < 0 ||
	    (r = jpath_str(c, o, path, "ip-address", &ip)) < 0 ||
	    (r = jpath_str(c, o, path, "hostname", &host)) < 0 ||
	    (r = classes_list_parse(c, o, path, "client-classes", &res->classes,
				    &res->n_classes)) < 0)
		return r;
	/* Kea: exactly one identifier per reservation. */
	if ((hw != NULL) + (cid != NULL) + (circ != NULL) + (duid != NULL) +
		    (flex != NULL) !=
	    1)
		return jpath_fail(c, path,
				  "a reservation needs exactly one of "
				  "hw-address, client-id, circuit-id, duid "
				  "or flex-id");
	if (hw) {
		if (reservations_parse_hw(hw, res->hw))
			return jpath_fail(c, jpath_join(p, path, "hw-address"),
					  "'%s' is not an Ethernet MAC address "
					  "(expected 6 bytes, e.g. "
					  "00:11:22:33:44:55)",
					  hw);
		res->has_hw = true;
	} else if (flex) {
		/* Kea's flex_id hook computes a client's flex-id from an
		 * expression (hooks.c); without it Kea matches none either.
		 * Written as hex or 'quoted text', as Kea's. */
		if ((r = opaque_id(c, path, "flex-id", "a flex-id", flex,
				   &res->flex_id, &res->flex_id_len)))
			return r;
		if (!c->cfg->flex_id_expr)
			jpath_warn(c, jpath_join(p, path, "flex-id"),
				   "without Kea's flex_id hook in "
				   "hooks-libraries (its identifier-"
				   "expression) no flex-id is computed: this "
				   "reservation never matches (its address "
				   "stays reserved)");
	} else if (duid) {
		/* A DUID (RFC 8415 §11): 2 to 130 bytes, hex as Kea writes
		 * it. */
		n = reservations_parse_client_id(duid, id);
		if (n < 2 || n > 130)
			return jpath_fail(c, jpath_join(p, path, "duid"),
					  "'%s' is not a DUID (2 to 130 bytes "
					  "as hex, e.g. 00:03:00:01:00:11:22:"
					  "33:44:55)",
					  duid);
		if ((r = copy_id(&res->duid, &res->duid_len, id, n)))
			return r;
	} else if (circ) {
		if ((r = opaque_id(c, path, "circuit-id", "a circuit id", circ,
				   &res->circuit_id, &res->circuit_id_len)))
			return r;
	} else {
		n = reservations_parse_client_id(cid, id);
		if (n < 0)
			return jpath_fail(c, jpath_join(p, path, "client-id"),
					  "'%s' is not a client identifier (2 "
					  "to 255 bytes as hex, e.g. "
					  "01:00:11:22:33:44:55, or 'quoted "
					  "text')",
					  cid);
		if ((r = copy_id(&res->client_id, &res->client_id_len, id, n)))
			return r;
	}
	/* Kea: no ip-address (or 0.0.0.0) reserves no address; the client
	 * is served from the pool with the reservation's extras. */
	jpath_join(p, path, "ip-address");
	if (ip && parse_ipv4(ip, &res->addr))
		return jpath_fail(c, p, "'%s' is not an IPv4 address", ip);
	if (res->addr && s &&
	    reservations_check_addr(s, res->addr, why, sizeof(why)))
		return jpath_fail(c, p, "%s", why);
	if (host) {
		res->hostname = strdup(host);
		if (!res->hostname)
			return -ENOMEM;
	}
	if ((r = bootp_fields_parse_extras(c, o, path, &res->bootp)))
		return r;
	return reservation_options(c, o, path, s, res);
}

/* For finding duplicate reservations by sorting rather than O(n²). */
struct res_key {
	const struct dx_reservation_conf *r;
	size_t index;
	int kind; /* 0 hw, 1 client-id, 2 address, 3 circuit-id, 4 duid */
};

static int id_cmp(const uint8_t *a, size_t la, const uint8_t *b, size_t lb)
{
	int d = memcmp(a, b, la < lb ? la : lb);

	return d ? d : la < lb ? -1 : la > lb;
}

static int res_key_cmp(const void *pa, const void *pb)
{
	const struct res_key *a = pa, *b = pb;
	int d = 0;

	if (a->kind == 0)
		d = memcmp(a->r->hw, b->r->hw, 6);
	else if (a->kind == 1)
		d = id_cmp(a->r->client_id, a->r->client_id_len,
			   b->r->client_id, b->r->client_id_len);
	else if (a->kind == 3)
		d = id_cmp(a->r->circuit_id, a->r->circuit_id_len,
			   b->r->circuit_id, b->r->circuit_id_len);
	else if (a->kind == 4)
		d = id_cmp(a->r->duid, a->r->duid_len, b->r->duid,
			   b->r->duid_len);
	else {
		d = a->r->addr < b->r->addr ? -1 : a->r->addr > b->r->addr;
	}
	if (!d)
		d = a->index < b->index ? -1 : a->index > b->index;
	return d;
}

static int check_dup_reservations(struct config_ctx *c, const char *rpath,
				  const struct dx_reservation_conf *list,
				  size_t n_list)
{
	static const char *const field[] = {"hw-address", "client-id",
					    "ip-address", "circuit-id", "duid"};
	struct res_key *k = calloc(n_list + 1, sizeof(*k));
	size_t best_i = 0, best_j = SIZE_MAX;
	int best_kind = 0;
	char p[CONFIG_PATH_LEN], q[CONFIG_PATH_LEN], v[64];

	if (!k)
		return -ENOMEM;
	for (int kind = 0; kind < 5; kind++) {
		size_t n = 0;

		for (size_t i = 0; i < n_list; i++) {
			const struct dx_reservation_conf *r = &list[i];
			if ((kind == 0 && !r->has_hw) ||
			    (kind == 1 && !r->client_id) ||
			    (kind == 2 && !r->addr) ||
			    (kind == 3 && !r->circuit_id) ||
			    (kind == 4 && !r->duid))
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
	const struct dx_reservation_conf *r = &list[best_j];
	jpath_idx(q, rpath, best_j);
	jpath_join(p, q, field[best_kind]);
	if (best_kind == 0)
		fmt_mac(v, r->hw);
	else if (best_kind == 1)
		snprintf(v, sizeof(v), "this client-id");
	else if (best_kind == 3)
		snprintf(v, sizeof(v), "this circuit-id");
	else if (best_kind == 4)
		snprintf(v, sizeof(v), "this duid");
	else
		fmt_ipv4(v, r->addr);
	return jpath_fail(c, p, "%s: already reserved by reservations[%zu]", v,
			  best_i);
}

int reservations_parse_list(struct config_ctx *c, struct json_object *obj,
			    const char *ppath, const struct dx_subnet_conf *s,
			    struct dx_reservation_conf **out, size_t *n_out)
{
	struct json_object *arr;
	char path[CONFIG_PATH_LEN], p[CONFIG_PATH_LEN];
	size_t n;
	int r;

	r = jpath_get(c, obj, ppath, "reservations", json_type_array, "a list",
		      &arr);
	if (r <= 0)
		return r;
	jpath_join(path, ppath, "reservations");
	n = json_object_array_length(arr);
	*out = calloc(n ? n : 1, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		/* Counted first so that config_free releases partial ones. */
		(*n_out)++;
		r = parse_reservation(c, json_object_array_get_idx(arr, i),
				      jpath_idx(p, path, i), s, &(*out)[i]);
		if (r)
			return r;
	}
	return check_dup_reservations(c, path, *out, *n_out);
}

int reservations_parse(struct config_ctx *c, struct json_object *so,
		       const char *spath, struct dx_subnet_conf *s)
{
	return reservations_parse_list(c, so, spath, s, &s->reservations,
				       &s->n_reservations);
}

/*
 * Kea's switches for where reservations are looked up (dhcp4-srv.rst,
 * "Fine-Tuning DHCPv4 Host Reservation"), at any level, inherited.
 * reservations-out-of-pool is Kea's promise that no reservation is in a
 * pool, so that it may skip looking: dhcpxdp looks anyway, which leases
 * the same addresses, and only checks its type.
 */
int reservations_flags(struct config_ctx *c, struct json_object *obj,
		       const char *path, bool *global, bool *in_subnet)
{
	char p[CONFIG_PATH_LEN];
	const char *mode = NULL;
	bool out_of_pool = false;
	int r;

	if ((r = jpath_bool(c, obj, path, "reservations-global", global)) < 0 ||
	    (r = jpath_bool(c, obj, path, "reservations-in-subnet",
			    in_subnet)) < 0 ||
	    (r = jpath_bool(c, obj, path, "reservations-out-of-pool",
			    &out_of_pool)) < 0 ||
	    (r = jpath_str(c, obj, path, "reservation-mode", &mode)) < 0)
		return r;
	if (!mode)
		return 0;
	/* Kea 1.x's single key for the three above, removed in Kea 2.x;
	 * Kea maps its values onto them so. */
	if (!strcmp(mode, "all") || !strcmp(mode, "out-of-pool")) {
		*global = false;
		*in_subnet = true;
	} else if (!strcmp(mode, "global")) {
		*global = true;
		*in_subnet = false;
	} else if (!strcmp(mode, "disabled")) {
		*global = *in_subnet = false;
	} else {
		return jpath_fail(c, jpath_join(p, path, "reservation-mode"),
				  "'%s' is not a reservation mode: \"all\", "
				  "\"out-of-pool\", \"global\" or "
				  "\"disabled\"",
				  mode);
	}
	return 0;
}
