// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Where XDP answers reservations by circuit id (map_reservations.c): a
 * subnet's circuit ids are looked up in the circuit map only where the
 * first match of Kea's host-reservation-identifiers order is one XDP can
 * see; otherwise its requests with a circuit id are passed up. And the
 * circuit map's entries: answerable, or left to the daemon.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "config/config.h"
#include "engine/engine.h"
#include "kernel/map_reservations.h"

static struct dx_config *cfg;
static struct engine *eng;

static void build(const char *json)
{
	struct config_diag diag = {0};
	int r = config_load_string(json, "t.json", &cfg, &diag);

	if (r)
		fprintf(stderr, "config: %s\n", diag.error);
	config_diag_free(&diag);
	assert_int_equal(r, 0);
	assert_int_equal(engine_new(cfg, &eng), 0);
}

static int teardown(void **state)
{
	(void)state;
	engine_free(eng);
	config_free(cfg);
	eng = NULL;
	cfg = NULL;
	return 0;
}

/* Subnet 1 behind a relay, with the given Dhcp4 keys and reservations. */
static void world(const char *dhcp4, const char *reservations)
{
	char json[2048];

	snprintf(json, sizeof(json),
		 "{\"Dhcp4\": {\"interfaces-config\": {\"interfaces\": []},"
		 " %s \"subnet4\": [{\"id\": 1, \"subnet\": \"10.1.0.0/24\","
		 " \"relay\": {\"ip-addresses\": [\"10.9.0.1\"]},"
		 " \"pools\": [{\"pool\": \"10.1.0.10 - 10.1.0.99\"}],"
		 " \"reservations\": [%s]}]}}",
		 dhcp4, reservations);
	build(json);
}

#define BY_CIRCUIT "{\"circuit-id\": \"'p1'\", \"ip-address\": \"10.1.0.200\"}"

static uint16_t flags1(void)
{
	return map_circuit_flags(cfg, eng, &cfg->subnets[0]);
}

static void no_circuit_reservation_no_flag(void **state)
{
	(void)state;
	world("", "{\"hw-address\": \"02:00:00:00:00:01\","
		  " \"ip-address\": \"10.1.0.201\"}");
	assert_int_equal(flags1(), 0);
}

static void default_order_maps_with_hw_first(void **state)
{
	(void)state;
	world("", BY_CIRCUIT ", {\"hw-address\": \"02:00:00:00:00:01\","
			     " \"ip-address\": \"10.1.0.201\"}");
	assert_int_equal(flags1(),
			 DX_SUBNET_F_CIRCUIT_MAP | DX_SUBNET_F_HW_FIRST);
}

static void circuit_first_maps_without_hw_first(void **state)
{
	(void)state;
	world("\"host-reservation-identifiers\": [\"circuit-id\", "
	      "\"hw-address\"],",
	      BY_CIRCUIT);
	assert_int_equal(flags1(), DX_SUBNET_F_CIRCUIT_MAP);
}

/* A hw-address reservation XDP does not hold (a hostname) could be the
 * client's first match: XDP cannot tell. */
static void hw_with_extras_first_passes_up(void **state)
{
	(void)state;
	world("", BY_CIRCUIT ", {\"hw-address\": \"02:00:00:00:00:01\","
			     " \"ip-address\": \"10.1.0.201\","
			     " \"hostname\": \"h\"}");
	assert_int_equal(flags1(), DX_SUBNET_F_CIRCUIT_ID);
}

/* After circuit-id it does not matter. */
static void hw_with_extras_after_maps(void **state)
{
	(void)state;
	world("\"host-reservation-identifiers\": [\"circuit-id\", "
	      "\"hw-address\"],",
	      BY_CIRCUIT ", {\"hw-address\": \"02:00:00:00:00:01\","
			 " \"ip-address\": \"10.1.0.201\","
			 " \"hostname\": \"h\"}");
	assert_int_equal(flags1(), DX_SUBNET_F_CIRCUIT_MAP);
}

static void client_id_first_passes_up(void **state)
{
	(void)state;
	world("\"host-reservation-identifiers\": [\"client-id\", "
	      "\"circuit-id\"],",
	      BY_CIRCUIT ", {\"client-id\": \"01:02:00:00:00:00:01\","
			 " \"ip-address\": \"10.1.0.201\"}");
	assert_int_equal(flags1(), DX_SUBNET_F_CIRCUIT_ID);
	/* Without client-id reservations, nothing before circuit-id can
	 * match. */
	teardown(NULL);
	world("\"host-reservation-identifiers\": [\"client-id\", "
	      "\"circuit-id\"],",
	      BY_CIRCUIT);
	assert_int_equal(flags1(), DX_SUBNET_F_CIRCUIT_MAP);
}

static void duid_first_passes_up(void **state)
{
	(void)state;
	world("", BY_CIRCUIT ", {\"duid\": \"00:01:00:01:aa:bb\","
			     " \"ip-address\": \"10.1.0.201\"}");
	assert_int_equal(flags1(), DX_SUBNET_F_CIRCUIT_ID);
}

static void circuit_not_an_identifier_no_flag(void **state)
{
	(void)state;
	world("\"host-reservation-identifiers\": [\"hw-address\"],",
	      BY_CIRCUIT);
	assert_int_equal(flags1(), 0);
}

/* Every subnet of a shared network with a circuit-id reservation in any
 * of them: the engine looks for a reservation in the whole network. */
static void shared_network_passes_up_everywhere(void **state)
{
	(void)state;
	build("{\"Dhcp4\": {\"interfaces-config\": {\"interfaces\": []},"
	      " \"shared-networks\": [{\"name\": \"n\","
	      "  \"relay\": {\"ip-addresses\": [\"10.9.0.1\"]},"
	      "  \"subnet4\": ["
	      "   {\"id\": 1, \"subnet\": \"10.1.0.0/24\"},"
	      "   {\"id\": 2, \"subnet\": \"10.2.0.0/24\","
	      "    \"reservations\": [{\"circuit-id\": \"'p1'\","
	      "     \"ip-address\": \"10.2.0.200\"}]}]}]}}");
	assert_int_equal(map_circuit_flags(cfg, eng, &cfg->subnets[0]),
			 DX_SUBNET_F_CIRCUIT_ID);
	assert_int_equal(map_circuit_flags(cfg, eng, &cfg->subnets[1]),
			 DX_SUBNET_F_CIRCUIT_ID);
}

static void entries(void **state)
{
	const struct dx_subnet_conf *sc;
	struct dx_circuit_key k;
	struct dx_lease l;

	(void)state;
	world("", BY_CIRCUIT
	      ", {\"circuit-id\": \"'p2'\", \"ip-address\": \"10.1.0.202\","
	      " \"hostname\": \"h\"},"
	      " {\"circuit-id\": \"'p3'\", \"ip-address\": \"10.1.0.203\","
	      " \"option-data\": [{\"name\": \"routers\","
	      " \"data\": \"10.1.0.254\"}]},"
	      " {\"circuit-id\": \"'p4'\", \"boot-file-name\": \"x.efi\"}");
	sc = &cfg->subnets[0];
	assert_int_equal(sc->n_reservations, 4);
	assert_int_equal(
		map_circuit_entry(eng, sc, &sc->reservations[0], &k, &l), 0);
	assert_int_equal(k.subnet_id, 1);
	assert_int_equal(k.len, 2);
	assert_memory_equal(k.id, "p1\0\0", 4);
	assert_int_equal(ntohl(l.addr), 0x0a0100c8);
	assert_int_equal(l.flags, DX_LEASE_F_RESERVED);
	assert_true(map_reservation_fast(cfg, eng, sc, &sc->reservations[0]));
	/* a hostname, options, no address: the daemon's */
	for (int i = 1; i < 4; i++) {
		assert_int_equal(map_circuit_entry(
					 eng, sc, &sc->reservations[i], &k, &l),
				 0);
		assert_int_equal(l.flags, 0);
		assert_false(map_reservation_fast(cfg, eng, sc,
						  &sc->reservations[i]));
	}
}

/* Longer than XDP looks up: no entry (its requests are passed up). */
static void long_circuit_id_no_entry(void **state)
{
	char res[512];
	struct dx_circuit_key k;
	struct dx_lease l;

	(void)state;
	snprintf(res, sizeof(res),
		 "{\"circuit-id\": \"'%065d'\", \"ip-address\": "
		 "\"10.1.0.200\"}",
		 0);
	world("", res);
	assert_int_equal(map_circuit_entry(eng, &cfg->subnets[0],
					   &cfg->subnets[0].reservations[0], &k,
					   &l),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(no_circuit_reservation_no_flag,
					  teardown),
		cmocka_unit_test_teardown(default_order_maps_with_hw_first,
					  teardown),
		cmocka_unit_test_teardown(circuit_first_maps_without_hw_first,
					  teardown),
		cmocka_unit_test_teardown(hw_with_extras_first_passes_up,
					  teardown),
		cmocka_unit_test_teardown(hw_with_extras_after_maps, teardown),
		cmocka_unit_test_teardown(client_id_first_passes_up, teardown),
		cmocka_unit_test_teardown(duid_first_passes_up, teardown),
		cmocka_unit_test_teardown(circuit_not_an_identifier_no_flag,
					  teardown),
		cmocka_unit_test_teardown(shared_network_passes_up_everywhere,
					  teardown),
		cmocka_unit_test_teardown(entries, teardown),
		cmocka_unit_test_teardown(long_circuit_id_no_entry, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
