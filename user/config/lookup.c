// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The daemon's queries on a loaded configuration (config.h). */
#include "config/config.h"
#include "config/config_internal.h"

const struct dx_subnet_conf *config_subnet_by_id(const struct dx_config *cfg,
						 uint32_t id)
{
	if (!cfg)
		return NULL;
	for (size_t i = 0; i < cfg->n_subnets; i++)
		if (cfg->subnets[i].id == id)
			return &cfg->subnets[i];
	return NULL;
}

const struct dx_option *dx_option_find(const struct dx_option_list *list,
				       uint8_t code)
{
	if (!list)
		return NULL;
	for (size_t i = 0; i < list->n; i++)
		if (list->opts[i].code == code)
			return &list->opts[i];
	return NULL;
}

uint32_t config_interface_subnet(const struct dx_config *cfg, const char *name,
				 uint32_t addr)
{
	uint32_t only = 0;
	size_t n_implicit = 0;

	for (size_t i = 0; i < cfg->n_subnets; i++) {
		const struct dx_subnet_conf *s = &cfg->subnets[i];

		if (s->interface && !s->interface_implicit &&
		    !strcmp(s->interface, name))
			return s->id;
	}
	for (size_t i = 0; i < cfg->n_subnets; i++) {
		const struct dx_subnet_conf *s = &cfg->subnets[i];

		if (!s->interface_implicit || strcmp(s->interface, name))
			continue;
		if ((addr & config_prefix_mask(s->prefix_len)) == s->network)
			return s->id;
		only = s->id;
		n_implicit++;
	}
	/* Several, none holding the address: Kea would serve none of them
	 * directly; one alone is served whatever the address, as always. */
	if (n_implicit)
		return n_implicit == 1 ? only : 0;
	/* "*": the subnet that holds the interface's address. */
	for (size_t i = 0; addr && i < cfg->n_subnets; i++) {
		const struct dx_subnet_conf *s = &cfg->subnets[i];

		if (s->interface_by_addr &&
		    (addr & config_prefix_mask(s->prefix_len)) == s->network)
			return s->id;
	}
	return 0;
}

uint32_t config_interface_addr(const struct dx_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->n_interfaces; i++)
		if (!strcmp(cfg->interfaces[i].name, name))
			return cfg->interfaces[i].addr;
	return 0;
}

bool config_lists_interface(const struct dx_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->n_interfaces; i++)
		if (!strcmp(cfg->interfaces[i].name, name))
			return true;
	return false;
}

uint32_t config_subnet_of_addr(const struct dx_config *cfg, uint32_t addr)
{
	for (size_t i = 0; i < cfg->n_subnets; i++) {
		const struct dx_subnet_conf *sc = &cfg->subnets[i];

		if ((addr & config_prefix_mask(sc->prefix_len)) == sc->network)
			return sc->id;
	}
	return 0;
}
