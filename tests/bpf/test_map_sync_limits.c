// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The rate limits from the configuration to the XDP program
 * (user/kernel/map_limits.c): a sync writes the defaults, a reload's sync
 * the new values (rate 0 for a limit turned off), the map is pinned and
 * found again by a restart, and the program applies what was written: on
 * dxs0, with the network's burst set to 2, the third unknown client's
 * DISCOVER is dropped. On the map sync fixture (map_sync_fixture.h).
 */
#include <sched.h>
#include <stdint.h>
#include <bpf/bpf.h>
#include "map_sync_fixture.h"

/* cfg_full's network with the limits of a reload. */
static const char *cfg_limits =
	"{ \"Dhcp4\": {"
	"  \"interfaces-config\": { \"interfaces\": [ \"dxs0\" ] },"
	"  \"subnet4\": ["
	"   { \"id\": 42, \"subnet\": \"10.9.0.0/24\", \"interface\": \"dxs0\","
	"     \"pools\": [ { \"pool\": \"10.9.0.10 - 10.9.0.99\" } ] } ],"
	"  \"dhcpxdp\": { \"rate-limits\": {"
	"    \"per-client\": { \"rate\": 0 },"
	"    \"per-network\": { \"rate\": 1, \"burst\": 2 },"
	"    \"per-relay\": { \"rate\": 50, \"burst\": 60 } } } } }";

static void read_limits(int fd, struct dx_rate_limits *v)
{
	uint32_t key = 0;

	memset(v, 0xff, sizeof(*v));
	assert_int_equal(bpf_map_lookup_elem(fd, &key, v), 0);
}

static void assert_limit(const struct dx_rate_limits *v, int kind,
			 uint32_t rate, uint32_t burst)
{
	assert_int_equal(v->limit[kind].rate, rate);
	assert_int_equal(v->limit[kind].burst, burst);
}

static void sync_limits(const struct dx_config *c)
{
	struct map_sync_report rep;
	char err[256] = "";

	if (map_sync_config(&obj, c, eng, &slots, &rep, err, sizeof(err)))
		fail_msg("map_sync_config: %s", err);
}

static void sync_writes_the_defaults(void **state)
{
	struct dx_rate_limits v;

	(void)state;
	if (skip_reason)
		skip();
	sync_limits(cfg);
	read_limits(obj.limits_fd, &v);
	assert_limit(&v, DX_RATE_CLIENT, 8, 16);
	assert_limit(&v, DX_RATE_NETWORK, 200, 400);
	assert_limit(&v, DX_RATE_RELAY, 400, 800);
	assert_limit(&v, DX_RATE_CIRCUIT_ID, 8, 16);
}

static struct dx_config *load_limits(void)
{
	struct config_diag diag;
	struct dx_config *c = NULL;

	if (config_load_string(cfg_limits, "limits.json", &c, &diag))
		fail_msg("%s", diag.error);
	config_diag_free(&diag);
	return c;
}

/* A reload's sync writes the new limits; the pinned map holds them for
 * a restarted daemon (and anyone reading the pins). */
static void reload_writes_new_limits_pinned(void **state)
{
	struct dx_rate_limits v;
	struct dx_config *c;
	int fd;

	(void)state;
	if (skip_reason)
		skip();
	c = load_limits();
	sync_limits(c);
	read_limits(obj.limits_fd, &v);
	assert_limit(&v, DX_RATE_CLIENT, 0, 16);
	assert_limit(&v, DX_RATE_NETWORK, 1, 2);
	assert_limit(&v, DX_RATE_RELAY, 50, 60);
	assert_limit(&v, DX_RATE_CIRCUIT_ID, 8, 16);
	fd = dx_bpf_pinned_map(pin_dir, DX_MAP_LIMITS);
	assert_true(fd >= 0);
	read_limits(fd, &v);
	assert_limit(&v, DX_RATE_NETWORK, 1, 2);
	close(fd);
	fd = dx_bpf_pinned_map(pin_dir, DX_MAP_BUCKETS);
	assert_true(fd >= 0);
	close(fd);
	config_free(c);
}

/* What the sync wrote is what XDP applies. */
static void program_applies_the_synced_limits(void **state)
{
	uint8_t in[FRAME_MAX], out[FRAME_MAX];
	uint8_t mac[6] = {0x02, 0x66, 0, 0, 0, 0};
	struct dx_config *c;
	size_t len, out_len;
	cpu_set_t set;
	int cpu = sched_getcpu();

	(void)state;
	if (skip_reason)
		skip();
	/* The buckets are per CPU: charge one CPU's. */
	CPU_ZERO(&set);
	CPU_SET(cpu < 0 ? 0 : cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
	c = load_limits();
	sync_limits(c);
	config_free(c);
	for (int i = 1; i <= 3; i++) {
		mac[5] = (uint8_t)i;
		len = frame_discover(in, sizeof(in), mac, 0x4242 + i, -1);
		out_len = sizeof(out);
		assert_int_equal(run_on_dxs0(in, len, out, &out_len),
				 i <= 2 ? XDP_PASS : XDP_DROP);
	}
	assert_true(xdp_stat_sum(obj.stats_fd, DX_STAT_DROP_RATE_NETWORK) >= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sync_writes_the_defaults),
		cmocka_unit_test(reload_writes_new_limits_pinned),
		cmocka_unit_test(program_applies_the_synced_limits),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
