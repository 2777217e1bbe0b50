// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Unit tests for the in-memory lease index (user/lease_table.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lease_table.h"

static const uint8_t mac1[6] = {2, 0, 0, 0, 0, 1};
static const uint8_t mac2[6] = {2, 0, 0, 0, 0, 2};
static const uint8_t cid1[] = {1, 2, 0, 0, 0, 0, 1};
static const uint8_t cid2[] = {1, 2, 0, 0, 0, 0, 2};

static int setup(void **state)
{
	*state = lt_new();
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	lt_free(*state);
	return 0;
}

static struct lt_lease *add(struct lease_table *t, uint32_t subnet,
			    uint32_t addr)
{
	struct lt_lease *l;

	assert_int_equal(lt_insert(t, subnet, addr, &l), 0);
	return l;
}

static void test_insert_find_remove(void **state)
{
	struct lease_table *t = *state;
	struct lt_lease *l = add(t, 1, 100), *x;

	assert_ptr_equal(lt_find_addr(t, 1, 100), l);
	assert_null(lt_find_addr(t, 2, 100)); /* per subnet */
	assert_null(lt_find_addr(t, 1, 101));
	assert_int_equal(lt_insert(t, 1, 100, &x), -EEXIST);
	assert_int_equal(lt_count(t), 1);
	lt_remove(t, l);
	assert_null(lt_find_addr(t, 1, 100));
	assert_int_equal(lt_count(t), 0);
}

static void test_many_entries_grow(void **state)
{
	struct lease_table *t = *state;

	for (uint32_t a = 0; a < 100000; a++)
		add(t, 1 + (a & 3), a);
	assert_int_equal(lt_count(t), 100000);
	for (uint32_t a = 0; a < 100000; a += 997) {
		struct lt_lease *l = lt_find_addr(t, 1 + (a & 3), a);

		assert_non_null(l);
		assert_int_equal(l->addr, a);
	}
	assert_null(lt_find_addr(t, 1, 100001));
}

static void test_owner_by_mac(void **state)
{
	struct lease_table *t = *state;
	struct lt_lease *l = add(t, 1, 100), *out[4];

	assert_int_equal(lt_set_owner(t, l, mac1, NULL, 0), 0);
	assert_true(lt_owned_by(l, mac1, NULL, 0));
	assert_false(lt_owned_by(l, mac2, NULL, 0));
	assert_int_equal(lt_find_client(t, 1, mac1, NULL, 0, out, 4), 1);
	assert_ptr_equal(out[0], l);
	assert_int_equal(lt_find_client(t, 2, mac1, NULL, 0, out, 4), 0);
	assert_int_equal(lt_find_client(t, 1, mac2, NULL, 0, out, 4), 0);
	/* A request with a client-id still matches a lease without one
	 * by chaddr (Kea's belongsToClient). */
	assert_true(lt_owned_by(l, mac1, cid1, sizeof(cid1)));
	assert_int_equal(lt_find_client(t, 1, mac1, cid1, sizeof(cid1), out, 4),
			 1);
}

static void test_owner_by_client_id(void **state)
{
	struct lease_table *t = *state;
	struct lt_lease *l = add(t, 1, 100), *out[4];

	assert_int_equal(lt_set_owner(t, l, mac1, cid1, sizeof(cid1)), 0);
	/* Same client-id, other NIC: the same client. */
	assert_true(lt_owned_by(l, mac2, cid1, sizeof(cid1)));
	assert_int_equal(lt_find_client(t, 1, mac2, cid1, sizeof(cid1), out, 4),
			 1);
	/* Same NIC, another client-id: another client. */
	assert_false(lt_owned_by(l, mac1, cid2, sizeof(cid2)));
	assert_int_equal(lt_find_client(t, 1, mac1, cid2, sizeof(cid2), out, 4),
			 0);
	/* No client-id in the request: chaddr decides. */
	assert_true(lt_owned_by(l, mac1, NULL, 0));
	assert_int_equal(lt_find_client(t, 1, mac1, NULL, 0, out, 4), 1);
}

static void test_owner_change_reindexes(void **state)
{
	struct lease_table *t = *state;
	struct lt_lease *l = add(t, 1, 100), *out[4];

	lt_set_owner(t, l, mac1, cid1, sizeof(cid1));
	lt_set_owner(t, l, mac2, NULL, 0);
	assert_int_equal(lt_find_client(t, 1, mac1, NULL, 0, out, 4), 0);
	assert_int_equal(lt_find_client(t, 1, mac1, cid1, sizeof(cid1), out, 4),
			 0);
	assert_int_equal(lt_find_client(t, 1, mac2, NULL, 0, out, 4), 1);
	lt_clear_owner(t, l);
	assert_false(lt_owned_by(l, mac2, NULL, 0));
	assert_int_equal(lt_find_client(t, 1, mac2, NULL, 0, out, 4), 0);
	/* Removing an owned entry unlinks it from the client indexes. */
	lt_set_owner(t, l, mac1, cid1, sizeof(cid1));
	lt_remove(t, l);
	assert_int_equal(lt_find_client(t, 1, mac1, cid1, sizeof(cid1), out, 4),
			 0);
}

static void test_find_client_several(void **state)
{
	struct lease_table *t = *state;
	struct lt_lease *out[2];

	for (uint32_t a = 0; a < 5; a++)
		lt_set_owner(t, add(t, 1, 100 + a), mac1, NULL, 0);
	/* Reports how many, fills at most max. */
	assert_int_equal(lt_find_client(t, 1, mac1, NULL, 0, out, 2), 5);
}

static void test_hostname(void **state)
{
	struct lease_table *t = *state;
	struct lt_lease *l = add(t, 1, 100);

	assert_int_equal(lt_set_hostname(l, "abcdef", 3), 0);
	assert_string_equal(l->hostname, "abc");
	assert_int_equal(lt_set_hostname(l, NULL, 0), 0);
	assert_null(l->hostname);
}

static void test_deadline_order(void **state)
{
	struct lease_table *t = *state;
	static const int64_t d[] = {50, 10, 40, 30, 20, 60, 5};
	struct lt_lease *l[7];
	int64_t prev = INT64_MIN;

	for (int i = 0; i < 7; i++) {
		l[i] = add(t, 1, 100 + i);
		assert_int_equal(lt_set_deadline(t, l[i], d[i]), 0);
	}
	assert_ptr_equal(lt_first_deadline(t), l[6]);
	/* Move one earlier and one later, take one out. */
	lt_set_deadline(t, l[0], 1);
	lt_set_deadline(t, l[6], 100);
	lt_clear_deadline(t, l[4]);
	assert_ptr_equal(lt_first_deadline(t), l[0]);
	for (int n = 0; n < 6; n++) {
		struct lt_lease *f = lt_first_deadline(t);

		assert_non_null(f);
		assert_true(f->deadline >= prev);
		prev = f->deadline;
		lt_clear_deadline(t, f);
	}
	assert_null(lt_first_deadline(t));
	/* lt_remove takes an entry out of the heap too. */
	lt_set_deadline(t, l[1], 7);
	lt_remove(t, l[1]);
	assert_null(lt_first_deadline(t));
}

static void test_deadline_heap_random(void **state)
{
	struct lease_table *t = *state;
	uint64_t x = 12345;
	int64_t prev = INT64_MIN;

	for (uint32_t a = 0; a < 5000; a++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		lt_set_deadline(t, add(t, 1, a), (int64_t)(x >> 40));
	}
	/* Reschedule a third of them. */
	for (uint32_t a = 0; a < 5000; a += 3) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		lt_set_deadline(t, lt_find_addr(t, 1, a), (int64_t)(x >> 40));
	}
	for (int n = 0; n < 5000; n++) {
		struct lt_lease *f = lt_first_deadline(t);

		assert_true(f->deadline >= prev);
		prev = f->deadline;
		lt_remove(t, f);
	}
	assert_int_equal(lt_count(t), 0);
}

static int count_cb(const struct lt_lease *l, void *arg)
{
	(void)l;
	(*(size_t *)arg)++;
	return 0;
}

static void test_walk(void **state)
{
	struct lease_table *t = *state;
	size_t n = 0;

	for (uint32_t a = 0; a < 3000; a++)
		add(t, 1, a);
	assert_int_equal(lt_walk(t, count_cb, &n), 0);
	assert_int_equal(n, 3000);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_insert_find_remove),
		T(test_many_entries_grow),
		T(test_owner_by_mac),
		T(test_owner_by_client_id),
		T(test_owner_change_reindexes),
		T(test_find_client_several),
		T(test_hostname),
		T(test_deadline_order),
		T(test_deadline_heap_random),
		T(test_walk),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
