// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * config_load_string() on arbitrary text, as an operator's JSON file
 * reaches it: a config, or an error with a message (config.h), never a
 * crash or a leak. A config that loads is also turned into an engine
 * (every subnet's pools, reservations and option lists) when its pools
 * are small enough to build quickly, and looked up as the daemon does.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "engine/engine.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One bit per pool address: a /8 pool is 2 MiB and seconds to build. */
#define ENGINE_MAX_POOL_ADDRS (1u << 20)

static bool pools_small(const struct dx_config *cfg)
{
	uint64_t n = 0;

	for (size_t i = 0; i < cfg->n_subnets; i++)
		for (size_t j = 0; j < cfg->subnets[i].n_pools; j++)
			n += (uint64_t)cfg->subnets[i].pools[j].end -
			     cfg->subnets[i].pools[j].start + 1;
	return n <= ENGINE_MAX_POOL_ADDRS;
}

static void use_config(const struct dx_config *cfg)
{
	struct engine *e = NULL;

	FUZZ_CHECK(cfg->path && !strcmp(cfg->path, "fuzz.json"));
	for (size_t i = 0; i < cfg->n_interfaces; i++) {
		const char *name = cfg->interfaces[i].name;

		FUZZ_CHECK(name && config_lists_interface(cfg, name));
		(void)config_interface_subnet(cfg, name, 0);
		(void)config_interface_addr(cfg, name);
	}
	for (size_t i = 0; i < cfg->n_subnets; i++) {
		const struct dx_subnet_conf *s = &cfg->subnets[i];

		FUZZ_CHECK(config_subnet_by_id(cfg, s->id) != NULL);
		FUZZ_CHECK(s->prefix_len <= 32);
		(void)config_subnet_of_addr(cfg, s->network);
	}
	if (!pools_small(cfg))
		return;
	/* Not a promise of config.h that this succeeds: only that it does
	 * not crash or leak on anything the loader accepted. */
	if (engine_new(cfg, &e) == 0)
		engine_free(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config_diag diag = {0};
	struct dx_config *cfg = NULL;
	char *text;
	int r;

	/* config_load_string() takes a C string: NUL-terminate a copy. */
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	r = config_load_string(text, "fuzz.json", &cfg, &diag);
	if (r) {
		FUZZ_CHECK(r < 0 && cfg == NULL);
		FUZZ_CHECK(memchr(diag.error, '\0', sizeof(diag.error)) &&
			   diag.error[0] != '\0');
	} else {
		FUZZ_CHECK(cfg != NULL);
		FUZZ_CHECK(diag.error[0] == '\0');
		use_config(cfg);
	}
	for (size_t i = 0; i < diag.n_warnings; i++)
		FUZZ_CHECK(diag.warnings[i] != NULL);
	config_diag_free(&diag);
	config_free(cfg);
	free(text);
	return 0;
}
