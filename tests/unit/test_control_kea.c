// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The control socket's Kea shapes that need no daemon
 * (control_lease_json.h, control_kea_stats.h): a lease as Kea's
 * lease4-get answers it, Kea's lease states, lease4-get-page's page, and
 * the counters under Kea's statistic names with their resets.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include <linux/types.h>
#include <dhcpxdp/stats.h>
#include "daemon/control_kea_stats.h"
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

/* ---- statistics ---------------------------------------------------------- */

static uint64_t stat(const struct kea_stats *s, const char *name)
{
	const struct kea_stat *st = kea_stats_find(s, name);

	assert_non_null(st);
	return st->value;
}

static void stats_input(struct kea_stats_input *in, struct daemon_counters *c,
			uint64_t *xdp, uint64_t *drops,
			struct engine_subnet_stats *sub)
{
	memset(c, 0, sizeof(*c));
	memset(xdp, 0, DX_STAT_MAX * sizeof(*xdp));
	memset(drops, 0, __ENGINE_DROP_MAX * sizeof(*drops));
	memset(sub, 0, sizeof(*sub));
	c->rx_frames = 10;
	c->replies_sent = 6;
	c->offers = 3;
	c->acks = 3;
	c->naks = 1;
	c->rx_malformed_dhcp = 2;
	c->rx_discover = 4;
	c->rx_request = 3;
	c->rx_decline = 4;
	c->rx_unknown = 1;
	xdp[DX_STAT_ACK] = 100;
	xdp[DX_STAT_OFFER] = 5;
	xdp[DX_STAT_DROP_RATE_CLIENT] = 7;
	xdp[DX_STAT_PUNT_HORIZON] = 4;
	drops[ENGINE_DROP_POOL_EXHAUSTED] = 2;
	sub->subnet_id = 3;
	sub->total = 200;
	sub->used = 30;
	sub->leases_active = 25;
	sub->declined = 1;
	sub->declines = 4;
	*in = (struct kea_stats_input){.cnt = c,
				       .xdp = xdp,
				       .drops = drops,
				       .subnets = sub,
				       .n_subnets = 1};
}

static void test_stats_kea_names(void **state)
{
	uint64_t xdp[DX_STAT_MAX], drops[__ENGINE_DROP_MAX];
	struct engine_subnet_stats sub;
	struct kea_stats_input in;
	struct daemon_counters c;
	struct kea_stats s;

	(void)state;
	stats_input(&in, &c, xdp, drops, &sub);
	assert_int_equal(kea_stats_build(&in, &s), 0);
	/* XDP's answers are packets received and replies sent. */
	assert_int_equal(stat(&s, "pkt4-received"), 10 + 100 + 5 + 7);
	assert_int_equal(stat(&s, "pkt4-ack-sent"), 3 + 100);
	assert_int_equal(stat(&s, "pkt4-offer-sent"), 3 + 5);
	assert_int_equal(stat(&s, "pkt4-sent"), 6 + 105);
	assert_int_equal(stat(&s, "pkt4-nak-sent"), 1);
	assert_int_equal(stat(&s, "pkt4-parse-failed"), 2);
	assert_int_equal(stat(&s, "pkt4-receive-drop"), 2 + 7);
	/* By type: the daemon's, and XDP's answers to DISCOVER/REQUEST. */
	assert_int_equal(stat(&s, "pkt4-discover-received"), 4 + 5);
	assert_int_equal(stat(&s, "pkt4-request-received"), 3 + 100);
	assert_int_equal(stat(&s, "pkt4-decline-received"), 4);
	assert_int_equal(stat(&s, "pkt4-release-received"), 0);
	assert_int_equal(stat(&s, "pkt4-unknown-received"), 1);
	assert_int_equal(stat(&s, "declined-addresses"), 1);
	assert_int_equal(stat(&s, "subnet[3].total-addresses"), 200);
	assert_int_equal(stat(&s, "subnet[3].assigned-addresses"), 25);
	assert_int_equal(stat(&s, "subnet[3].declined-addresses"), 1);
	assert_int_equal(stat(&s, "dhcpxdp.xdp.punt_horizon"), 4);
	assert_int_equal(stat(&s, "dhcpxdp.rx-frames"), 10);
	assert_int_equal(stat(&s, "dhcpxdp.drop.pool-exhausted"), 2);
	assert_int_equal(stat(&s, "dhcpxdp.subnet[3].used-addresses"), 30);
	assert_null(kea_stats_find(&s, "no-such"));
	kea_stats_free(&s);

	/* No stats map: XDP's part left out, not made up. */
	in.xdp = NULL;
	assert_int_equal(kea_stats_build(&in, &s), 0);
	assert_int_equal(stat(&s, "pkt4-received"), 10);
	assert_null(kea_stats_find(&s, "dhcpxdp.xdp.ack"));
	kea_stats_free(&s);
}

static void test_stats_reset(void **state)
{
	uint64_t xdp[DX_STAT_MAX], drops[__ENGINE_DROP_MAX];
	struct kea_stat_bases b = {0};
	struct engine_subnet_stats sub;
	struct kea_stats_input in;
	struct daemon_counters c;
	struct kea_stats s;

	(void)state;
	stats_input(&in, &c, xdp, drops, &sub);
	assert_int_equal(kea_stats_build(&in, &s), 0);
	assert_int_equal(kea_stats_reset(&b, &s, "pkt4-ack-sent"), 0);
	assert_int_equal(kea_stats_reset(&b, &s, "no-such"), -ENOENT);
	assert_int_equal(kea_stats_reset(&b, &s, "subnet[3].total-addresses"),
			 -EINVAL);
	kea_stats_free(&s);

	c.acks += 2;
	assert_int_equal(kea_stats_build(&in, &s), 0);
	kea_stats_apply_bases(&s, &b);
	assert_int_equal(stat(&s, "pkt4-ack-sent"), 2);
	assert_int_equal(stat(&s, "pkt4-received"), 122);
	kea_stats_free(&s);

	/* Everything but the gauges. */
	assert_int_equal(kea_stats_build(&in, &s), 0);
	assert_int_equal(kea_stats_reset(&b, &s, NULL), 0);
	kea_stats_free(&s);
	assert_int_equal(kea_stats_build(&in, &s), 0);
	kea_stats_apply_bases(&s, &b);
	assert_int_equal(stat(&s, "pkt4-received"), 0);
	assert_int_equal(stat(&s, "dhcpxdp.xdp.punt_horizon"), 0);
	assert_int_equal(stat(&s, "subnet[3].total-addresses"), 200);
	kea_stats_free(&s);

	/* XDP's counters went backwards (maps recreated): from zero. */
	xdp[DX_STAT_ACK] = 1;
	assert_int_equal(kea_stats_build(&in, &s), 0);
	kea_stats_apply_bases(&s, &b);
	assert_int_equal(stat(&s, "dhcpxdp.xdp.ack"), 1);
	kea_stats_free(&s);
	kea_stat_bases_free(&b);
}

static void test_stats_samples(void **state)
{
	struct timespec t = {.tv_sec = 0, .tv_nsec = 386733000};
	struct json_object *a, *one;
	const char *ts;

	(void)state;
	a = kea_stat_samples(42, &t);
	assert_int_equal(json_object_array_length(a), 1);
	one = json_object_array_get_idx(a, 0);
	assert_int_equal(
		json_object_get_int64(json_object_array_get_idx(one, 0)), 42);
	ts = json_object_get_string(json_object_array_get_idx(one, 1));
	/* "YYYY-MM-DD HH:MM:SS.ffffff", local time */
	assert_int_equal(strlen(ts), 26);
	assert_string_equal(ts + 19, ".386733");
	json_object_put(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lease_kea_shape),
		cmocka_unit_test(test_lease_kea_states),
		cmocka_unit_test(test_page_lowest_after),
		cmocka_unit_test(test_stats_kea_names),
		cmocka_unit_test(test_stats_reset),
		cmocka_unit_test(test_stats_samples),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
