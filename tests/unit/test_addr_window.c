// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The windows of dx_addrs (addr_window.c): each spans its subnet's pools,
 * keeps its place while that span and its subnet stay, and a changed one
 * gets a range that overlaps no window in use, old or new; one that does
 * not fit gets none. And the index of an address through them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "config/config.h"
#include "kernel/addr_window.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))
#define SLOTS	       4

/* Subnet 1: two pools, .10-.19 and .100-.109; subnet 2: 20 addresses;
 * subnet 3: none. */
static const char *cfg_a =
	"{ \"Dhcp4\": { \"subnet4\": ["
	" { \"id\": 1, \"subnet\": \"10.0.1.0/24\", \"pools\": ["
	"   { \"pool\": \"10.0.1.100 - 10.0.1.109\" },"
	"   { \"pool\": \"10.0.1.10 - 10.0.1.19\" } ] },"
	" { \"id\": 2, \"subnet\": \"10.0.2.0/24\", \"pools\": ["
	"   { \"pool\": \"10.0.2.1 - 10.0.2.20\" } ] },"
	" { \"id\": 3, \"subnet\": \"10.0.3.0/24\" } ] } }";

/* Subnet 1's pools grown to .200. */
static const char *cfg_b =
	"{ \"Dhcp4\": { \"subnet4\": ["
	" { \"id\": 1, \"subnet\": \"10.0.1.0/24\", \"pools\": ["
	"   { \"pool\": \"10.0.1.10 - 10.0.1.200\" } ] },"
	" { \"id\": 2, \"subnet\": \"10.0.2.0/24\", \"pools\": ["
	"   { \"pool\": \"10.0.2.1 - 10.0.2.20\" } ] },"
	" { \"id\": 3, \"subnet\": \"10.0.3.0/24\" } ] } }";

static struct dx_config *load(const char *json)
{
	struct config_diag diag = {0};
	struct dx_config *c = NULL;
	int r = config_load_string(json, "t.json", &c, &diag);

	if (r)
		fprintf(stderr, "config: %s\n", diag.error);
	config_diag_free(&diag);
	assert_int_equal(r, 0);
	return c;
}

static bool overlap(const struct dx_addr_window *a,
		    const struct dx_addr_window *b)
{
	return a->size && b->size && a->base < b->base + b->size &&
	       b->base < a->base + a->size;
}

static void first_placement_packs_windows(void **state)
{
	struct dx_config *c = load(cfg_a);
	uint32_t ids[SLOTS] = {1, 2, 3, 0}, none[SLOTS] = {0};
	struct dx_addr_window old[SLOTS] = {0}, win[SLOTS];
	size_t off;

	(void)state;
	addr_windows_place(c, none, ids, old, win, SLOTS, 1000, &off);
	assert_int_equal(off, 0);
	/* the span of both pools, the gap between them included */
	assert_int_equal(win[0].first, IP(10, 0, 1, 10));
	assert_int_equal(win[0].size, 100);
	assert_int_equal(win[0].base, 0);
	assert_int_equal(win[1].first, IP(10, 0, 2, 1));
	assert_int_equal(win[1].size, 20);
	assert_int_equal(win[1].base, 100);
	assert_int_equal(win[2].size, 0); /* no pools */
	assert_int_equal(win[3].size, 0); /* no subnet */
	config_free(c);
}

static void unchanged_windows_stay(void **state)
{
	struct dx_config *c = load(cfg_a);
	uint32_t ids[SLOTS] = {1, 2, 3, 0};
	struct dx_addr_window old[SLOTS] = {
		{.first = IP(10, 0, 1, 10), .size = 100, .base = 500},
		{.first = IP(10, 0, 2, 1), .size = 20, .base = 30}};
	struct dx_addr_window win[SLOTS];
	size_t off;

	(void)state;
	addr_windows_place(c, ids, ids, old, win, SLOTS, 1000, &off);
	assert_int_equal(off, 0);
	assert_true(addr_window_same(&win[0], &old[0]));
	assert_true(addr_window_same(&win[1], &old[1]));
	config_free(c);
}

static void changed_window_moves_clear_of_all(void **state)
{
	struct dx_config *c = load(cfg_b);
	uint32_t ids[SLOTS] = {1, 2, 3, 0};
	struct dx_addr_window old[SLOTS] = {
		{.first = IP(10, 0, 1, 10), .size = 100, .base = 0},
		{.first = IP(10, 0, 2, 1), .size = 20, .base = 100}};
	struct dx_addr_window win[SLOTS];
	size_t off;

	(void)state;
	addr_windows_place(c, ids, ids, old, win, SLOTS, 1000, &off);
	assert_int_equal(off, 0);
	assert_int_equal(win[0].first, IP(10, 0, 1, 10));
	assert_int_equal(win[0].size, 191);
	/* not over its own old range: its entries move out of it */
	assert_false(overlap(&win[0], &old[0]));
	assert_false(overlap(&win[0], &old[1]));
	assert_true(addr_window_same(&win[1], &old[1]));
	assert_int_equal(win[0].base, 120);
	config_free(c);
}

/* A slot that now holds another subnet with the same span is not
 * taken for the old one: its range may hold the old subnet's entries. */
static void other_subnet_in_slot_gets_new_range(void **state)
{
	struct dx_config *c = load(cfg_a);
	uint32_t old_ids[SLOTS] = {9, 2, 0, 0}, ids[SLOTS] = {1, 2, 3, 0};
	struct dx_addr_window old[SLOTS] = {
		{.first = IP(10, 0, 1, 10), .size = 100, .base = 0},
		{.first = IP(10, 0, 2, 1), .size = 20, .base = 100}};
	struct dx_addr_window win[SLOTS];
	size_t off;

	(void)state;
	addr_windows_place(c, old_ids, ids, old, win, SLOTS, 1000, &off);
	assert_int_equal(win[0].size, 100);
	assert_int_equal(win[0].base, 120);
	config_free(c);
}

static void no_room_no_window(void **state)
{
	struct dx_config *c = load(cfg_a);
	uint32_t ids[SLOTS] = {1, 2, 3, 0}, none[SLOTS] = {0};
	struct dx_addr_window old[SLOTS] = {0}, win[SLOTS];
	size_t off;

	(void)state;
	/* room for subnet 1's 100, not then for subnet 2's 20 */
	addr_windows_place(c, none, ids, old, win, SLOTS, 110, &off);
	assert_int_equal(off, 1);
	assert_int_equal(win[0].size, 100);
	assert_int_equal(win[1].size, 0);
	/* a span larger than the map: no window, nothing placed */
	addr_windows_place(c, none, ids, old, win, SLOTS, 50, &off);
	assert_int_equal(win[0].size, 0);
	assert_int_equal(win[1].size, 20);
	assert_int_equal(win[1].base, 0);
	config_free(c);
}

static void index_through_windows(void **state)
{
	static struct addr_windows aw;
	uint32_t ids[3] = {7, 0, 5}, idx = 0;
	struct dx_addr_window win[3] = {
		{.first = IP(10, 0, 7, 10), .size = 10, .base = 40},
		{.first = IP(10, 0, 8, 10), .size = 10, .base = 0},
		{.first = IP(10, 0, 5, 0), .size = 256, .base = 100}};

	(void)state;
	addr_windows_build(&aw, ids, win, 3);
	assert_int_equal(aw.n, 2); /* the unused slot is left out */
	assert_true(addr_windows_index(&aw, 7, IP(10, 0, 7, 12), &idx));
	assert_int_equal(idx, 42);
	assert_true(addr_windows_index(&aw, 5, IP(10, 0, 5, 255), &idx));
	assert_int_equal(idx, 355);
	assert_false(addr_windows_index(&aw, 7, IP(10, 0, 7, 20), &idx));
	assert_false(addr_windows_index(&aw, 7, IP(10, 0, 7, 9), &idx));
	assert_false(addr_windows_index(&aw, 5, IP(10, 0, 7, 12), &idx));
	assert_false(addr_windows_index(&aw, 6, IP(10, 0, 7, 12), &idx));
	assert_false(addr_windows_index(NULL, 7, IP(10, 0, 7, 12), &idx));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(first_placement_packs_windows),
		cmocka_unit_test(unchanged_windows_stay),
		cmocka_unit_test(changed_window_moves_clear_of_all),
		cmocka_unit_test(other_subnet_in_slot_gets_new_range),
		cmocka_unit_test(no_room_no_window),
		cmocka_unit_test(index_through_windows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
