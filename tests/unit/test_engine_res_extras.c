// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Reservations without an address (Kea: options, hostname or boot
 * fields only), in a subnet or global: the client gets a pool address
 * and the reservation's extras in OFFER and ACK, and its lease stays out
 * of the lease map, so its renewals come to the daemon, which sends the
 * extras again (XDP sends the subnet's only).
 */
#include "engine_fixture.h"

/*
 * Subnet 1 with boot-file-name "subnet.efi"; its own address-less
 * reservation for ...:b1 (hostname, routers, boot-file-name); a global
 * one for ...:b2 (boot-file-name) and one with an address of subnet 1
 * for ...:b3.
 */
static const char *const extras_cfg =
	"{\"Dhcp4\": {"
	" \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"
	" \"valid-lifetime\": 3600, \"reservations-global\": true,"
	" \"reservations\": ["
	"  {\"hw-address\": \"02:00:00:00:00:b2\","
	"   \"boot-file-name\": \"global.efi\"},"
	"  {\"hw-address\": \"02:00:00:00:00:b3\","
	"   \"ip-address\": \"10.0.0.210\"}],"
	" \"subnet4\": ["
	"  {\"id\": 1, \"subnet\": \"10.0.0.0/24\","
	"   \"boot-file-name\": \"subnet.efi\","
	"   \"pools\": [{\"pool\": \"10.0.0.10 - 10.0.0.19\"}],"
	"   \"option-data\": [{\"name\": \"routers\", \"data\": \"10.0.0.1\"}],"
	"   \"reservations\": ["
	"    {\"hw-address\": \"02:00:00:00:00:b1\", \"hostname\": \"pxe1\","
	"     \"boot-file-name\": \"host.efi\","
	"     \"option-data\": [{\"name\": \"routers\","
	"       \"data\": \"10.0.0.254\"}]}]}]}}";

static int setup_extras(void **state)
{
	*state = fx_new(extras_cfg);
	return 0;
}

static bool in_pool(uint32_t a)
{
	return a >= IP(10, 0, 0, 10) && a <= IP(10, 0, 0, 19);
}

static void test_pool_address_with_extras(void **state)
{
	struct fx *f = *state;
	const struct dhcp_opt *o;
	uint32_t a = discover(f, 0xb1, T0);

	assert_true(in_pool(a));
	assert_string_equal(f->res.reply.file, "host.efi");
	o = find_opt(&f->res.reply, DHCP_OPT_ROUTER);
	assert_non_null(o);
	assert_memory_equal(o->data, "\x0a\x00\x00\xfe", 4);
	o = find_opt(&f->res.reply, DHCP_OPT_HOST_NAME);
	assert_non_null(o);
	assert_memory_equal(o->data, "pxe1", 4);
	assert_int_equal(select_addr(f, 0xb1, a, T0 + 1), DHCPACK);
	assert_string_equal(f->res.reply.file, "host.efi");
	assert_non_null(find_opt(&f->res.reply, DHCP_OPT_HOST_NAME));
}

/* The lease is the daemon's to renew: no UPSERT into the lease map. */
static void test_lease_kept_from_xdp(void **state)
{
	struct fx *f = *state;
	uint32_t a = lease(f, 0xb1, T0);

	assert_true(in_pool(a));
	assert_int_equal(f->res.ch.n_map, 1);
	assert_int_equal(f->res.ch.map[0].kind, ENGINE_MAP_DELETE);
	/* A client without a reservation: into the map. */
	lease(f, 0x01, T0);
	assert_int_equal(f->res.ch.n_map, 1);
	assert_int_equal(f->res.ch.map[0].kind, ENGINE_MAP_UPSERT);
}

static void test_global_reservations(void **state)
{
	struct fx *f = *state;
	uint32_t a = discover(f, 0xb2, T0);

	assert_true(in_pool(a));
	assert_string_equal(f->res.reply.file, "global.efi");
	assert_int_equal(discover(f, 0xb3, T0), IP(10, 0, 0, 210));
	assert_string_equal(f->res.reply.file, "subnet.efi");
	/* A dynamic client: the subnet's boot file. */
	assert_true(in_pool(discover(f, 0x02, T0)));
	assert_string_equal(f->res.reply.file, "subnet.efi");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_extras, teardown)
	const struct CMUnitTest tests[] = {
		T(test_pool_address_with_extras),
		T(test_lease_kept_from_xdp),
		T(test_global_reservations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
