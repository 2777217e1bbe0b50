// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for the run-time reservations store (user/config/reservations_store.c):
 * load, atomic save, merge into a configuration, and every validation.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <json-c/json.h>

#include "config/config.h"
#include "engine/engine.h"
#include "config/reservations_store.h"

#define IP(a, b, c, d)                                                    \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | \
	 (uint32_t)(d))

/* Subnet 1 (10.0.0.0/24, pool .10-.19) with one reservation in the
 * file; subnet 2 without. The lease database lives in DIR. */
static const char *cfg_fmt =
	"{\"Dhcp4\": {"
	" \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"
	" \"lease-database\": {\"type\": \"sqlite\","
	"   \"name\": \"%s/leases.sqlite3\"},"
	" \"subnet4\": ["
	"  {\"id\": 1, \"subnet\": \"10.0.0.0/24\","
	"   \"pools\": [{\"pool\": \"10.0.0.10 - 10.0.0.19\"}],"
	"   \"reservations\": [{\"hw-address\": \"02:00:00:00:00:c1\","
	"     \"ip-address\": \"10.0.0.100\"}]},"
	"  {\"id\": 2, \"subnet\": \"10.2.0.0/24\", \"relay\": "
	"{\"ip-addresses\": [\"10.2.0.1\"]},"
	"   \"pools\": [{\"pool\": \"10.2.0.10 - 10.2.0.19\"}]}"
	" ]}}";

struct fx {
	char dir[64];
	char path[128]; /* DIR/reservations.json */
	struct dx_config *cfg;
	char err[1024];
};

static struct dx_config *load_cfg(struct fx *f)
{
	char json[2048];
	struct dx_config *cfg = NULL;
	struct config_diag diag;
	int r;

	snprintf(json, sizeof(json), cfg_fmt, f->dir);
	memset(&diag, 0, sizeof(diag));
	r = config_load_string(json, "/etc/dhcpxdp/test.json", &cfg, &diag);
	if (r)
		fprintf(stderr, "config: %s\n", diag.error);
	config_diag_free(&diag);
	assert_int_equal(r, 0);
	return cfg;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/dx-rstore-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/reservations.json", f->dir);
	f->cfg = load_cfg(f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char tmp[160];

	unlink(f->path);
	snprintf(tmp, sizeof(tmp), "%s.tmp", f->path);
	unlink(tmp);
	rmdir(f->dir);
	config_free(f->cfg);
	free(f);
	return 0;
}

static void write_text(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static struct rstore_entry hw_entry(uint32_t subnet, uint8_t last,
				    uint32_t addr)
{
	struct rstore_entry e = {
		.subnet_id = subnet, .has_hw = true, .addr = addr};

	e.hw[0] = 0x02;
	e.hw[5] = last;
	return e;
}

/* Index of the entry of (subnet, hw) in s, or -1. */
static long find_hw(const struct rstore *s, uint32_t subnet_id,
		    const uint8_t hw[6])
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].subnet_id == subnet_id && s->v[i].has_hw &&
		    !memcmp(s->v[i].hw, hw, 6))
			return (long)i;
	return -1;
}

/* s merged into f->cfg the way the daemon does it: from the store's file
 * beside the lease database. */
static int save_merge(struct fx *f, const struct rstore *s)
{
	assert_int_equal(rstore_save(s, f->path, f->err, sizeof(f->err)), 0);
	return rstore_load_merge(f->cfg, f->err, sizeof(f->err));
}

static const struct dx_reservation_conf *res_of(const struct dx_config *cfg,
						uint32_t subnet, size_t i)
{
	const struct dx_subnet_conf *sc = config_subnet_by_id(cfg, subnet);

	assert_non_null(sc);
	assert_true(i < sc->n_reservations);
	return &sc->reservations[i];
}

static void test_path_beside_lease_db(void **state)
{
	struct fx *f = *state;
	char p[256];

	assert_int_equal(rstore_path(f->cfg, p, sizeof(p)), 0);
	assert_string_equal(p, f->path);
	assert_int_equal(rstore_path(f->cfg, p, 8), -ENAMETOOLONG);
}

static void test_missing_file_is_empty(void **state)
{
	struct fx *f = *state;
	struct rstore s = {0};

	assert_int_equal(rstore_load(f->path, &s, f->err, sizeof(f->err)), 0);
	assert_int_equal(s.n, 0);
	assert_int_equal(rstore_load_merge(f->cfg, f->err, sizeof(f->err)), 0);
	assert_int_equal(config_subnet_by_id(f->cfg, 1)->n_reservations, 1);
	rstore_free(&s);
}

static void test_save_load_round_trip(void **state)
{
	struct fx *f = *state;
	struct rstore s = {0}, t = {0};
	struct rstore_entry e = hw_entry(1, 0xd1, IP(10, 0, 0, 50));
	struct rstore_entry c = {.subnet_id = 2,
				 .client_id_len = 3,
				 .client_id = {1, 2, 3},
				 .addr = IP(10, 2, 0, 7)};
	struct stat st;

	snprintf(e.hostname, sizeof(e.hostname), "web1");
	assert_int_equal(rstore_add(&s, &e), 0);
	assert_int_equal(rstore_add(&s, &c), 0);
	assert_int_equal(rstore_save(&s, f->path, f->err, sizeof(f->err)), 0);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(rstore_load(f->path, &t, f->err, sizeof(f->err)), 0);
	assert_int_equal(t.n, 2);
	assert_memory_equal(&t.v[0], &e, sizeof(e));
	assert_memory_equal(&t.v[1], &c, sizeof(c));
	assert_int_equal(find_hw(&t, 1, e.hw), 0);
	assert_int_equal(find_hw(&t, 2, e.hw), -1);
	assert_int_equal(rstore_find_addr(&t, 2, IP(10, 2, 0, 7)), 1);
	rstore_remove(&t, 0);
	assert_int_equal(t.n, 1);
	assert_int_equal(t.v[0].subnet_id, 2);
	rstore_free(&s);
	rstore_free(&t);
}

/* The file is Kea's reservation shape, readable by people and tools. */
static void test_file_shape(void **state)
{
	struct fx *f = *state;
	struct rstore s = {0};
	struct rstore_entry e = hw_entry(1, 0xd1, IP(10, 0, 0, 50));
	struct json_object *root, *o, *v;

	assert_int_equal(rstore_add(&s, &e), 0);
	assert_int_equal(rstore_save(&s, f->path, f->err, sizeof(f->err)), 0);
	root = json_object_from_file(f->path);
	assert_non_null(root);
	assert_true(json_object_is_type(root, json_type_array));
	o = json_object_array_get_idx(root, 0);
	assert_true(json_object_object_get_ex(o, "subnet-id", &v));
	assert_int_equal(json_object_get_int(v), 1);
	assert_true(json_object_object_get_ex(o, "hw-address", &v));
	assert_string_equal(json_object_get_string(v), "02:00:00:00:00:d1");
	assert_true(json_object_object_get_ex(o, "ip-address", &v));
	assert_string_equal(json_object_get_string(v), "10.0.0.50");
	assert_false(json_object_object_get_ex(o, "hostname", &v));
	json_object_put(root);
	rstore_free(&s);
}

/* A save replaces the file whole: no temporary left, an unwritable
 * directory fails without touching the old file. */
static void test_save_atomic(void **state)
{
	struct fx *f = *state;
	struct rstore s = {0}, t = {0};
	struct rstore_entry e = hw_entry(1, 0xd1, IP(10, 0, 0, 50));
	char tmp[160];

	write_text(f->path, "[]\n");
	assert_int_equal(rstore_add(&s, &e), 0);
	assert_int_equal(rstore_save(&s, f->path, f->err, sizeof(f->err)), 0);
	snprintf(tmp, sizeof(tmp), "%s.tmp", f->path);
	assert_int_equal(access(tmp, F_OK), -1);
	/* A directory where the temporary file goes: the write fails, the
	 * file keeps its previous content. */
	assert_int_equal(mkdir(tmp, 0700), 0);
	assert_int_equal(rstore_add(&s, &e), 0);
	assert_true(rstore_save(&s, f->path, f->err, sizeof(f->err)) < 0);
	assert_non_null(strstr(f->err, "cannot write"));
	rmdir(tmp);
	assert_int_equal(rstore_load(f->path, &t, f->err, sizeof(f->err)), 0);
	assert_int_equal(t.n, 1);
	rstore_free(&s);
	rstore_free(&t);
}

static void test_load_errors_name_file_and_entry(void **state)
{
	static const struct {
		const char *text, *expect;
	} cases[] = {
		{"{\"subnet-id\": 1}", "expected a list"},
		{"[", "invalid JSON"},
		{"[{\"subnet-id\": 1, \"ip-address\": \"10.0.0.5\"}]",
		 "reservations[0]: a reservation needs exactly one"},
		{"[{\"subnet-id\": 1, \"hw-address\": \"02:00:00:00:00:01\","
		 " \"ip-address\": \"10.0.0.5\"},"
		 " {\"subnet-id\": 1, \"hw-address\": \"zz\","
		 " \"ip-address\": \"10.0.0.6\"}]",
		 "reservations[1]: 'zz' is not an Ethernet MAC"},
		{"[{\"subnet-id\": 1, \"hw-address\": \"02:00:00:00:00:01\","
		 " \"ip-address\": \"10.0.0.5\", \"option-data\": []}]",
		 "key 'option-data' is not supported"},
		{"[{\"hw-address\": \"02:00:00:00:00:01\","
		 " \"ip-address\": \"10.0.0.5\"}]",
		 "'subnet-id' (an integer) is required"},
		{"[{\"subnet-id\": 1, \"hw-address\": \"02:00:00:00:00:01\","
		 " \"ip-address\": \"10.0.0.500\"}]",
		 "not an IPv4 address"},
		{"[{\"subnet-id\": 1, \"client-id\": \"01\","
		 " \"ip-address\": \"10.0.0.5\"}]",
		 "not a client identifier"},
	};
	struct fx *f = *state;
	struct rstore s = {0};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		write_text(f->path, cases[i].text);
		assert_int_equal(
			rstore_load(f->path, &s, f->err, sizeof(f->err)),
			-EINVAL);
		if (!strstr(f->err, cases[i].expect) ||
		    strncmp(f->err, f->path, strlen(f->path)))
			fail_msg("case %zu: '%s'", i, f->err);
		assert_int_equal(s.n, 0);
	}
}

static void test_merge_marks_runtime(void **state)
{
	struct fx *f = *state;
	struct rstore s = {0};
	struct rstore_entry e = hw_entry(1, 0xd1, IP(10, 0, 0, 12));
	struct rstore_entry c = {.subnet_id = 2,
				 .client_id_len = 3,
				 .client_id = {1, 2, 3},
				 .addr = IP(10, 2, 0, 7)};
	const struct dx_reservation_conf *r;
	struct engine *eng;
	struct engine_subnet_stats st;

	snprintf(e.hostname, sizeof(e.hostname), "web1");
	assert_int_equal(rstore_add(&s, &e), 0);
	assert_int_equal(rstore_add(&s, &c), 0);
	assert_int_equal(rstore_save(&s, f->path, f->err, sizeof(f->err)), 0);
	assert_int_equal(rstore_load_merge(f->cfg, f->err, sizeof(f->err)), 0);
	assert_int_equal(config_subnet_by_id(f->cfg, 1)->n_reservations, 2);
	assert_false(res_of(f->cfg, 1, 0)->runtime);
	r = res_of(f->cfg, 1, 1);
	assert_true(r->runtime);
	assert_true(r->has_hw);
	assert_int_equal(r->hw[5], 0xd1);
	assert_int_equal(r->addr, IP(10, 0, 0, 12));
	assert_string_equal(r->hostname, "web1");
	r = res_of(f->cfg, 2, 0);
	assert_true(r->runtime);
	assert_int_equal(r->client_id_len, 3);
	/* The engine excludes the merged address from the pool. */
	assert_int_equal(engine_new(f->cfg, &eng), 0);
	assert_int_equal(engine_subnet_stats(eng, 0, &st), 0);
	assert_int_equal(st.reserved, 1);
	engine_free(eng);
	rstore_free(&s);
	/* config_free (teardown) frees the merged entries: run under ASan
	 * or valgrind to see it. */
}

static void test_check_refuses(void **state)
{
	static const struct {
		uint32_t subnet;
		uint8_t mac;
		uint32_t addr;
		int ret;
		const char *expect;
	} cases[] = {
		{9, 0xd1, IP(10, 0, 0, 50), -ENOENT, "no subnet with id 9"},
		{1, 0xd1, IP(10, 9, 0, 50), -EINVAL,
		 "outside subnet 10.0.0.0/24"},
		{1, 0xd1, IP(10, 0, 0, 0), -EINVAL, "network address"},
		{1, 0xd1, IP(10, 0, 0, 255), -EINVAL, "broadcast address"},
		/* the configuration's MAC, and its address */
		{1, 0xc1, IP(10, 0, 0, 51), -EEXIST,
		 "this hw-address is already reserved in subnet 1 by "
		 "/etc/dhcpxdp/test.json (subnet 1, reservations[0], "
		 "10.0.0.100)"},
		{1, 0xd2, IP(10, 0, 0, 100), -EEXIST,
		 "10.0.0.100 is already reserved in subnet 1 by "
		 "/etc/dhcpxdp/test.json"},
		/* the same MAC in another subnet is fine */
		{2, 0xc1, IP(10, 2, 0, 100), 0, ""},
	};
	struct fx *f = *state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct rstore_entry e =
			hw_entry(cases[i].subnet, cases[i].mac, cases[i].addr);

		f->err[0] = '\0';
		assert_int_equal(
			rstore_check(f->cfg, &e, f->err, sizeof(f->err)),
			cases[i].ret);
		if (!strstr(f->err, cases[i].expect))
			fail_msg("case %zu: '%s'", i, f->err);
	}
}

/* Run-time entries conflict with the configuration and with each other;
 * the error names the file, the entry and the holder. */
static void test_merge_conflicts(void **state)
{
	struct fx *f = *state;
	struct rstore s = {0};
	struct rstore_entry a = hw_entry(1, 0xd1, IP(10, 0, 0, 50));
	struct rstore_entry b = hw_entry(1, 0xd2, IP(10, 0, 0, 50));
	struct rstore_entry c = hw_entry(1, 0xc1, IP(10, 0, 0, 60));
	char expect[512];

	assert_int_equal(rstore_add(&s, &a), 0);
	assert_int_equal(rstore_add(&s, &b), 0);
	assert_int_equal(save_merge(f, &s), -EEXIST);
	snprintf(expect, sizeof(expect),
		 "%s: reservations[1] (subnet 1, hw-address 02:00:00:00:00:d2):"
		 " 10.0.0.50 is already reserved in subnet 1 by the run-time "
		 "reservation of 10.0.0.50",
		 f->path);
	assert_string_equal(f->err, expect);
	config_free(f->cfg);
	f->cfg = load_cfg(f);
	rstore_remove(&s, 1);
	assert_int_equal(rstore_add(&s, &c), 0);
	assert_int_equal(save_merge(f, &s), -EEXIST);
	assert_non_null(strstr(f->err, "reservations[1] (subnet 1, "
				       "hw-address 02:00:00:00:00:c1): this "
				       "hw-address is already reserved"));
	assert_non_null(strstr(f->err, "/etc/dhcpxdp/test.json"));
	config_free(f->cfg);
	f->cfg = load_cfg(f);
	/* A subnet no longer configured. */
	rstore_remove(&s, 1);
	a.subnet_id = 7;
	s.v[0] = a;
	assert_int_equal(save_merge(f, &s), -ENOENT);
	assert_non_null(strstr(f->err, "no subnet with id 7"));
	rstore_free(&s);
}

static void test_entry_json_forms(void **state)
{
	struct fx *f = *state;
	struct rstore_entry e;
	struct json_object *o;

	(void)state;
	o = json_tokener_parse("{\"subnet-id\": 1, \"hw-address\": "
			       "\"02-00-00-00-00-0A\", \"ip-address\": "
			       "\"10.0.0.5\"}");
	assert_int_equal(rstore_entry_from_json(o, &e, f->err, sizeof(f->err)),
			 0);
	assert_int_equal(e.hw[5], 0x0a);
	json_object_put(o);
	o = json_tokener_parse("{\"subnet-id\": 1, \"client-id\": "
			       "\"'host-a'\", \"ip-address\": \"10.0.0.5\"}");
	assert_int_equal(rstore_entry_from_json(o, &e, f->err, sizeof(f->err)),
			 0);
	assert_int_equal(e.client_id_len, 6);
	assert_memory_equal(e.client_id, "host-a", 6);
	json_object_put(o);
	o = json_tokener_parse("{\"subnet-id\": 0, \"hw-address\": "
			       "\"02:00:00:00:00:0a\", \"ip-address\": "
			       "\"10.0.0.5\"}");
	assert_int_equal(rstore_entry_from_json(o, &e, f->err, sizeof(f->err)),
			 -EINVAL);
	json_object_put(o);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_path_beside_lease_db),
		T(test_missing_file_is_empty),
		T(test_save_load_round_trip),
		T(test_file_shape),
		T(test_save_atomic),
		T(test_load_errors_name_file_and_entry),
		T(test_merge_marks_runtime),
		T(test_check_refuses),
		T(test_merge_conflicts),
		T(test_entry_json_forms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
