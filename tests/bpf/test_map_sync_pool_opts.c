// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Pools with option-data of their own, from the configuration to the
 * subnets map (user/kernel/map_sync.c): their ranges go into the subnet's
 * value, so XDP passes up the leases there (punt_pool_options) and keeps
 * renewing the others; a subnet with more such pools than the map holds
 * is turned off whole. On the map sync fixture (map_sync_fixture.h).
 */
#include <bpf/bpf.h>
#include "map_sync_fixture.h"

#define POOLS_CFG(pools)                                                \
	"{ \"Dhcp4\": {"                                                \
	"  \"interfaces-config\": { \"interfaces\": [ \"dxs0\" ] },"    \
	"  \"subnet4\": ["                                              \
	"   { \"id\": 42, \"subnet\": \"10.9.0.0/24\", \"interface\": " \
	"\"dxs0\", \"pools\": [ " pools " ] } ] } }"
#define OPOOL(a, b)                                                        \
	"{ \"pool\": \"10.9.0." #a " - 10.9.0." #b "\", \"option-data\": " \
	"[ { \"name\": \"routers\", \"data\": \"10.9.0.2\" } ] }"

/* Sync @json's configuration; its subnet 42's map value into *sn. */
static void sync_pools(const char *json, struct map_sync_report *rep,
		       struct dx_subnet *sn)
{
	struct config_diag diag;
	struct dx_config *c = NULL;
	struct engine *e = NULL;
	char err[256] = "";
	uint32_t slot;

	memset(&diag, 0, sizeof(diag));
	if (config_load_string(json, "pools.json", &c, &diag))
		fail_msg("%s", diag.error);
	config_diag_free(&diag);
	assert_int_equal(engine_new(c, &e), 0);
	if (map_sync_config(&obj, c, e, &slots, rep, err, sizeof(err)))
		fail_msg("map_sync_config: %s", err);
	slot = map_slot_of(&slots, 42);
	assert_int_equal(bpf_map_lookup_elem(obj.subnets_fd, &slot, sn), 0);
	engine_free(e);
	config_free(c);
}

static void option_pools_in_subnet_value(void **state)
{
	struct map_sync_report rep;
	struct dx_subnet sn;

	(void)state;
	if (skip_reason)
		skip();
	sync_pools(POOLS_CFG("{ \"pool\": \"10.9.0.10 - 10.9.0.19\" }, " OPOOL(
			   20, 29)),
		   &rep, &sn);
	assert_int_equal(rep.fast_path_off, 0);
	assert_int_equal(sn.flags & DX_SUBNET_F_DISABLED, 0);
	assert_int_equal(sn.n_pool_opts, 1);
	assert_int_equal(sn.pool_opts[0].first, IP(10, 9, 0, 20));
	assert_int_equal(sn.pool_opts[0].last, IP(10, 9, 0, 29));
}

static void too_many_option_pools_turn_subnet_off(void **state)
{
	struct map_sync_report rep;
	struct dx_subnet sn;

	(void)state;
	if (skip_reason)
		skip();
	sync_pools(POOLS_CFG(OPOOL(10, 19) ", " OPOOL(20, 29) ", " OPOOL(
			   30, 39) ", " OPOOL(40, 49) ", " OPOOL(50, 59)),
		   &rep, &sn);
	assert_int_equal(rep.fast_path_off, 1);
	assert_int_equal(sn.flags & DX_SUBNET_F_DISABLED, DX_SUBNET_F_DISABLED);
	/* Back to the fixture's configuration for the next test. */
	assert_int_equal(sync_group_cfg(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(option_pools_in_subnet_value),
		cmocka_unit_test(too_many_option_pools_turn_subnet_off),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
