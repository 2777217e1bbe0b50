// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Kea's host-reservation-identifiers: which identifiers of a request
 * reservations are looked up by, and in which order; the first that
 * matches a reservation of the selected subnet wins: hw-address, duid
 * (the DUID in an RFC 4361 client identifier, §6.1), circuit-id (option
 * 82 sub-option 1, RFC 3046 §2.1), client-id (option 61, RFC 2132
 * §9.14), Kea's default order for DHCPv4; and flex-id, the value of the
 * flex_id hook's identifier-expression (hooks.c), which without that hook
 * in hooks-libraries matches nothing.
 */
#include <string.h>

#include "config/config.h"
#include "config/config_internal.h"

static const char *const host_id_names[DX_HOST_IDS] = {
	[DX_HOST_ID_HW] = "hw-address",
	[DX_HOST_ID_CIRCUIT_ID] = "circuit-id",
	[DX_HOST_ID_CLIENT_ID] = "client-id",
	[DX_HOST_ID_DUID] = "duid",
	[DX_HOST_ID_FLEX_ID] = "flex-id",
};

static const uint8_t kea_default[] = {DX_HOST_ID_HW, DX_HOST_ID_DUID,
				      DX_HOST_ID_CIRCUIT_ID,
				      DX_HOST_ID_CLIENT_ID,
				      DX_HOST_ID_FLEX_ID};

size_t config_host_ids(const struct dx_config *cfg, uint8_t ids[DX_HOST_IDS])
{
	if (!cfg || !cfg->n_host_ids) {
		memcpy(ids, kea_default, sizeof(kea_default));
		return sizeof(kea_default);
	}
	memcpy(ids, cfg->host_ids, cfg->n_host_ids);
	return cfg->n_host_ids;
}

bool config_host_id_used(const struct dx_config *cfg, enum dx_host_id id)
{
	uint8_t ids[DX_HOST_IDS];
	size_t n = config_host_ids(cfg, ids);

	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/*
 * XDP answers a reservation by hw-address from its lease map by chaddr
 * alone. That is the engine's answer only when no identifier looked at
 * before hw-address can match another reservation of the subnet. A
 * circuit id before it is left to XDP's punt (DX_SUBNET_F_CIRCUIT_ID:
 * any request carrying one is passed up); a client-id or duid before it,
 * when the subnet has reservations by that identifier, takes the subnet's
 * hw-address reservations out of XDP.
 */
void config_mark_shadowed(struct dx_config *cfg)
{
	uint8_t ids[DX_HOST_IDS];
	size_t n = config_host_ids(cfg, ids);
	bool cid_first = false, duid_first = false;

	for (size_t i = 0; i < n && ids[i] != DX_HOST_ID_HW; i++) {
		cid_first |= ids[i] == DX_HOST_ID_CLIENT_ID;
		duid_first |= ids[i] == DX_HOST_ID_DUID;
	}
	for (size_t i = 0; i < cfg->n_subnets; i++) {
		struct dx_subnet_conf *s = &cfg->subnets[i];
		bool before = false;

		for (size_t j = 0; j < s->n_reservations; j++)
			before |= (cid_first && s->reservations[j].client_id) ||
				  (duid_first && s->reservations[j].duid);
		for (size_t j = 0; j < s->n_reservations; j++)
			s->reservations[j].shadowed =
				before && s->reservations[j].has_hw;
	}
}

static int host_id_of(const char *s)
{
	for (int i = 0; i < DX_HOST_IDS; i++)
		if (!strcmp(s, host_id_names[i]))
			return i;
	return -1;
}

int host_ids_parse(struct config_ctx *c)
{
	char p[CONFIG_PATH_LEN], q[CONFIG_PATH_LEN];
	struct json_object *arr;
	struct dx_config *cfg = c->cfg;
	int r;

	r = jpath_get(c, c->dhcp4, "Dhcp4", "host-reservation-identifiers",
		      json_type_array, "a list", &arr);
	if (r <= 0)
		return r;
	jpath_join(p, "Dhcp4", "host-reservation-identifiers");
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		struct json_object *v = json_object_array_get_idx(arr, i);
		const char *s = json_object_get_string(v);
		int id;

		jpath_idx(q, p, i);
		if (json_object_get_type(v) != json_type_string)
			return jpath_fail(c, q, "expected a string, got %s",
					  jpath_type_desc(v));
		id = host_id_of(s);
		if (id < 0)
			return jpath_fail(c, q,
					  "'host-reservation-identifiers' "
					  "value '%s' is not supported: only "
					  "hw-address, duid, circuit-id, "
					  "client-id and flex-id",
					  s);
		for (size_t j = 0; j < cfg->n_host_ids; j++)
			if (cfg->host_ids[j] == id)
				return jpath_fail(c, q, "'%s' listed twice", s);
		cfg->host_ids[cfg->n_host_ids++] = (uint8_t)id;
	}
	/* An empty list would match no reservation: surely a mistake. */
	if (!cfg->n_host_ids)
		return jpath_fail(c, p,
				  "an empty list: name at least one of "
				  "hw-address, duid, circuit-id, client-id");
	return 0;
}
