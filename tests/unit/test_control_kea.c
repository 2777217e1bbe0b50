// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The control socket's Kea shapes that need no daemon
 * (control_lease_json.h): a lease as Kea's lease4-get answers it, Kea's
 * lease states, and lease4-get-page's page.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "daemon/control_lease_json.h"

static const char *str(struct json_object *o, const char *k)
{
	struct json_object *v;

	assert_true(json_object_object_get_ex(o, k, &v));
	return json_object_get_string(v);
}

static int64_t num(struct json_object *o, const char *k)
{
	struct json_object *v;

	assert_true(json_object_object_get_ex(o, k, &v));
	assert_true(json_object_is_type(v, json_type_int));
	return json_object_get_int64(v);
}

static void test_lease_kea_shape(void **state)
{
	struct dx_lease_rec r = {
		.subnet_id = 7,
		.addr = 0x0a4d0065, /* 10.77.0.101 */
		.mac = {2, 0xaa, 0, 0, 0, 1},
		.state = DX_LEASE_ACTIVE,
		.flags = DX_LEASE_F_FASTPATH,
		.client_id_len = 3,
		.client_id = {1, 2, 0xaa},
		.hostname = "host1",
		.expires = 1000600,
		.horizon = 1003600,
		.last_seen = 1000000,
	};
	struct json_object *o = control_lease_to_kea(&r), *x, *v;

	(void)state;
	assert_string_equal(str(o, "ip-address"), "10.77.0.101");
	assert_string_equal(str(o, "hw-address"), "02:aa:00:00:00:01");
	assert_string_equal(str(o, "client-id"), "01:02:aa");
	assert_int_equal(num(o, "subnet-id"), 7);
	assert_int_equal(num(o, "cltt"), 1000000);
	assert_int_equal(num(o, "valid-lft"), 600);
	assert_int_equal(num(o, "state"), 0);
	assert_string_equal(str(o, "hostname"), "host1");
	assert_true(json_object_object_get_ex(o, "fqdn-fwd", &v));
	assert_false(json_object_get_boolean(v));
	assert_true(json_object_object_get_ex(o, "dhcpxdp", &x));
	assert_string_equal(str(x, "state"), "active");
	assert_int_equal(num(x, "expire"), 1000600);
	assert_int_equal(num(x, "horizon"), 1003600);
	assert_true(json_object_object_get_ex(x, "fast-path", &v));
	assert_true(json_object_get_boolean(v));
	json_object_put(o);

	/* No client-id: no key, as Kea; a start after the end: valid-lft 0. */
	r.client_id_len = 0;
	r.last_seen = r.expires + 5;
	o = control_lease_to_kea(&r);
	assert_false(json_object_object_get_ex(o, "client-id", &v));
	assert_int_equal(num(o, "valid-lft"), 0);
	assert_int_equal(num(o, "cltt"), r.expires);
	json_object_put(o);
}

static void test_lease_kea_states(void **state)
{
	(void)state;
	assert_int_equal(kea_lease_state(DX_LEASE_ACTIVE), 0);
	assert_int_equal(kea_lease_state(DX_LEASE_DECLINED), 1);
	assert_int_equal(kea_lease_state(DX_LEASE_EXPIRED), 2);
	assert_int_equal(kea_lease_state(DX_LEASE_RELEASED), 2);
}

static void offer(struct lease_page *p, uint32_t addr)
{
	struct dx_lease_rec r = {.addr = addr, .subnet_id = addr >> 8};

	lease_page_offer(p, &r);
}

static void test_page_lowest_after(void **state)
{
	/* Offered in (subnet, address) order, subnets not in address
	 * order: the page is by address all the same. */
	const uint32_t rows[] = {0x0a000205, 0x0a000209, 0x0a000101,
				 0x0a000103, 0x0a000107, 0x0a000301};
	struct lease_page p;

	(void)state;
	assert_int_equal(lease_page_init(&p, 0x0a000101, 0, 3), 0);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		offer(&p, rows[i]);
	lease_page_sort(&p);
	assert_int_equal(p.n, 3);
	assert_int_equal(p.rows[0].addr, 0x0a000103);
	assert_int_equal(p.rows[1].addr, 0x0a000107);
	assert_int_equal(p.rows[2].addr, 0x0a000205);
	lease_page_free(&p);

	assert_int_equal(lease_page_init(&p, 0, 1, 10), 0);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		offer(&p, rows[i]);
	lease_page_sort(&p);
	assert_int_equal(p.n, 6);
	assert_int_equal(p.rows[0].addr, 0x0a000101);
	assert_int_equal(p.rows[5].addr, 0x0a000301);
	lease_page_free(&p);

	assert_int_equal(lease_page_init(&p, 0, 1, 0), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lease_kea_shape),
		cmocka_unit_test(test_lease_kea_states),
		cmocka_unit_test(test_page_lowest_after),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
