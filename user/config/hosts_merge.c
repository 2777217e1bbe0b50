// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Reservations from Kea's host databases, merged into the configuration
 * tree before it is read (config_load_hosts): each row becomes one more
 * entry of its subnet's "reservations" list (subnet id 0, Kea's
 * SUBNET_ID_GLOBAL, of Dhcp4.reservations), so it is checked, composed
 * and installed exactly as a reservation written in the file.
 *
 * The file comes first. A row reserving an identifier already reserved in
 * its subnet, or an address already reserved there, is skipped with a
 * warning naming both; so is a row of a subnet id the file does not have
 * (Kea would never look it up). Any other fault of a row - an address
 * outside its subnet, an option that does not decode - fails the load
 * like a fault in the file, the message naming the row.
 */
#include <arpa/inet.h>
#include <stdio.h>

#include "config/config.h"
#include "config/config_internal.h"

/* Where one row went: the reservation's path, the row's name. */
struct hosts_placed {
	char path[CONFIG_PATH_LEN];
	char origin[160];
};

static const char *const id_keys[] = {"hw-address", "client-id", "duid",
				      "circuit-id", "flex-id"};

static const char *str_of(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    json_object_get_type(v) != json_type_string)
		return NULL;
	return json_object_get_string(v);
}

/* The identifier of reservation r as (key index, bytes): its length, or
 * -1 when it has none that parses (the loader will say why). */
static int identifier(struct json_object *r, size_t *key, uint8_t id[255])
{
	const char *v;

	for (size_t k = 0; k < sizeof(id_keys) / sizeof(*id_keys); k++) {
		if (!(v = str_of(r, id_keys[k])))
			continue;
		*key = k;
		if (k == 0)
			return reservations_parse_hw(v, id) ? -1 : 6;
		return reservations_parse_id(v, id);
	}
	return -1;
}

/* Does list hold a reservation of row's identifier or address? Then
 * *what says which. */
static bool conflicts(struct json_object *list, struct json_object *row,
		      char *what, size_t len)
{
	uint8_t a[255], b[255];
	size_t ka = 0, kb = 0;
	int la, lb;
	const char *ip = str_of(row, "ip-address"), *ip2;
	struct in_addr x, y;

	la = identifier(row, &ka, a);
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		struct json_object *r = json_object_array_get_idx(list, i);

		lb = identifier(r, &kb, b);
		if (la > 0 && la == lb && ka == kb &&
		    !memcmp(a, b, (size_t)la)) {
			snprintf(what, len, "%s %s", id_keys[ka],
				 str_of(row, id_keys[ka]));
			return true;
		}
		ip2 = str_of(r, "ip-address");
		if (ip && ip2 && inet_pton(AF_INET, ip, &x) == 1 &&
		    inet_pton(AF_INET, ip2, &y) == 1 && x.s_addr == y.s_addr) {
			snprintf(what, len, "ip-address %s", ip);
			return true;
		}
	}
	return false;
}

/* The subnet4 entry of id among list, or NULL. */
static struct json_object *subnet_in(struct json_object *list, uint32_t id,
				     size_t *idx)
{
	struct json_object *s, *v;

	if (!list || json_object_get_type(list) != json_type_array)
		return NULL;
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		s = json_object_array_get_idx(list, i);
		if (json_object_get_type(s) == json_type_object &&
		    json_object_object_get_ex(s, "id", &v) &&
		    json_object_get_type(v) == json_type_int &&
		    json_object_get_int64(v) == (int64_t)id) {
			*idx = i;
			return s;
		}
	}
	return NULL;
}

/* The object whose "reservations" a row of subnet id joins, and its path;
 * NULL when no subnet has that id. */
static struct json_object *owner_of(struct config_ctx *c, uint32_t id,
				    char *path)
{
	struct json_object *nets = NULL, *s, *v;
	size_t i;

	if (id == 0) {
		snprintf(path, CONFIG_PATH_LEN, "Dhcp4");
		return c->dhcp4;
	}
	json_object_object_get_ex(c->dhcp4, "subnet4", &v);
	if ((s = subnet_in(v, id, &i))) {
		snprintf(path, CONFIG_PATH_LEN, "Dhcp4.subnet4[%zu]", i);
		return s;
	}
	json_object_object_get_ex(c->dhcp4, "shared-networks", &nets);
	for (size_t n = 0;
	     nets && json_object_get_type(nets) == json_type_array &&
	     n < json_object_array_length(nets);
	     n++) {
		struct json_object *net = json_object_array_get_idx(nets, n);

		if (json_object_get_type(net) != json_type_object ||
		    !json_object_object_get_ex(net, "subnet4", &v))
			continue;
		if ((s = subnet_in(v, id, &i))) {
			snprintf(path, CONFIG_PATH_LEN,
				 "Dhcp4.shared-networks[%zu].subnet4[%zu]", n,
				 i);
			return s;
		}
	}
	return NULL;
}

/* The "reservations" list of owner, made when it has none. */
static struct json_object *list_of(struct json_object *owner)
{
	struct json_object *list;

	if (json_object_object_get_ex(owner, "reservations", &list))
		return json_object_get_type(list) == json_type_array ? list
								     : NULL;
	list = json_object_new_array();
	if (list && json_object_object_add(owner, "reservations", list)) {
		json_object_put(list);
		return NULL;
	}
	return list;
}

static int place(struct config_ctx *c, struct json_object *row)
{
	char opath[CONFIG_PATH_LEN], what[320];
	const char *origin = str_of(row, "comment");
	struct hosts_placed *p;
	struct json_object *owner, *list, *v, *copy = NULL;
	uint32_t id;

	if (!origin)
		origin = "a host database row";
	json_object_object_get_ex(row, "subnet-id", &v);
	id = (uint32_t)json_object_get_int64(v);
	if (!(owner = owner_of(c, id, opath))) {
		jpath_warn(c, NULL,
			   "%s: skipped: no subnet has id %u in this "
			   "configuration",
			   origin, id);
		return 0;
	}
	/* Not a list: the loader's own check says so. */
	if (!(list = list_of(owner)))
		return 0;
	if (conflicts(list, row, what, sizeof(what))) {
		jpath_warn(c, jpath_join(opath, opath, "reservations"),
			   "%s: skipped: %s is already reserved here", origin,
			   what);
		return 0;
	}
	p = realloc(c->placed, (c->n_placed + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	c->placed = p;
	p = &c->placed[c->n_placed++];
	snprintf(what, sizeof(what), "%s.reservations", opath);
	jpath_idx(p->path, what, json_object_array_length(list));
	snprintf(p->origin, sizeof(p->origin), "%s", origin);
	/* A copy: the caller's rows stay as they were. */
	if (json_object_deep_copy(row, &copy, NULL))
		return -ENOMEM;
	json_object_object_del(copy, "subnet-id");
	if (json_object_array_add(list, copy)) {
		json_object_put(copy);
		return -ENOMEM;
	}
	return 0;
}

int hosts_merge(struct config_ctx *c)
{
	int r;

	for (size_t i = 0; c->hosts && i < json_object_array_length(c->hosts);
	     i++)
		if ((r = place(c, json_object_array_get_idx(c->hosts, i))))
			return r;
	return 0;
}

void hosts_merge_explain(struct config_ctx *c)
{
	char *e = c->diag->error;
	size_t len, l;

	for (size_t i = 0; i < c->n_placed; i++) {
		const char *hit = strstr(e, c->placed[i].path);

		l = strlen(c->placed[i].path);
		/* "reservations[1]" is not "reservations[12]" */
		if (!hit || (hit[l] && hit[l] != '.' && hit[l] != ':'))
			continue;
		len = strlen(e);
		snprintf(e + len, CONFIG_ERR_MAX - len, " (%s)",
			 c->placed[i].origin);
		return;
	}
}
