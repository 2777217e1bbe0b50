// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Unit tests for the Kea-style configuration loader. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/config.h"

#define IP(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

/* A Dhcp4 object around @body (JSON members, no braces). */
#define DHCP4(body) "{ \"Dhcp4\": { " body " } }"
/* One interface, so subnets need neither "interface" nor "relay". */
#define ETH0	"\"interfaces-config\": { \"interfaces\": [ \"eth0\" ] }, "
#define SUBNET1 "{ \"id\": 1, \"subnet\": \"10.0.1.0/24\" }"

struct loaded {
	int ret;
	struct dx_config *cfg;
	struct config_diag diag;
};

static struct loaded *cur;

static int teardown(void **state)
{
	(void)state;
	if (cur) {
		config_free(cur->cfg);
		config_diag_free(&cur->diag);
		free(cur);
		cur = NULL;
	}
	return 0;
}

static struct loaded *load(const char *json)
{
	teardown(NULL);
	cur = calloc(1, sizeof(*cur));
	cur->ret = config_load_string(json, "t.json", &cur->cfg, &cur->diag);
	return cur;
}

static const struct dx_config *load_ok(const char *json)
{
	struct loaded *l = load(json);

	if (l->ret)
		fail_msg("unexpected error %d: %s", l->ret, l->diag.error);
	assert_non_null(l->cfg);
	return l->cfg;
}

static void expect_error(const char *json, const char *msg)
{
	struct loaded *l = load(json);

	assert_int_equal(l->ret, -EINVAL);
	assert_null(l->cfg);
	assert_string_equal(l->diag.error, msg);
}

/* --- the example and defaults ------------------------------------------ */

static void test_example_file(void **state)
{
	const struct dx_subnet_conf *s1, *s2;
	const struct dx_option *o;
	struct loaded *l;

	(void)state;
	teardown(NULL);
	l = cur = calloc(1, sizeof(*cur));
	l->ret = config_load("examples/dhcpxdp.json", &l->cfg, &l->diag);
	if (l->ret)
		fail_msg("%s", l->diag.error);
	assert_int_equal(l->diag.n_warnings, 0);
	const struct dx_config *c = l->cfg;
	assert_string_equal(c->path, "examples/dhcpxdp.json");
	assert_int_equal(c->n_interfaces, 2);
	assert_string_equal(c->interfaces[1].name, "eth1");
	assert_int_equal(c->valid_lifetime, 7200);
	assert_int_equal(c->renew_timer, 3600);
	assert_int_equal(c->rebind_timer, 6300);
	assert_int_equal(c->n_subnets, 2);
	assert_string_equal(c->dhcpxdp.metrics_listen, "127.0.0.1:9100");

	s1 = config_subnet_by_id(c, 1);
	assert_non_null(s1);
	assert_int_equal(s1->network, IP(192, 0, 2, 0));
	assert_int_equal(s1->prefix_len, 24);
	assert_string_equal(s1->interface, "eth0");
	assert_int_equal(s1->n_pools, 2);
	assert_int_equal(s1->pools[0].start, IP(192, 0, 2, 100));
	assert_int_equal(s1->pools[0].end, IP(192, 0, 2, 199));
	assert_int_equal(s1->pools[1].start, IP(192, 0, 2, 208));
	assert_int_equal(s1->pools[1].end, IP(192, 0, 2, 223));
	assert_int_equal(s1->n_reservations, 2);
	assert_true(s1->reservations[0].has_hw);
	assert_memory_equal(s1->reservations[0].hw, "\x52\x54\x00\x12\x34\x56",
			    6);
	assert_int_equal(s1->reservations[0].addr, IP(192, 0, 2, 10));
	assert_string_equal(s1->reservations[0].hostname, "db1");
	assert_false(s1->reservations[1].has_hw);
	assert_int_equal(s1->reservations[1].client_id_len, 7);
	assert_memory_equal(s1->reservations[1].client_id,
			    "\x01\x52\x54\x00\xab\xcd\xef", 7);
	o = dx_option_find(&s1->reservations[1].options, 67);
	assert_non_null(o);
	assert_int_equal(o->len, 10);
	o = dx_option_find(&s1->options, 121);
	assert_non_null(o);
	assert_int_equal(o->len, 11);
	/* Global DNS servers inherited by subnet 1. */
	o = dx_option_find(&s1->options, 6);
	assert_non_null(o);
	assert_memory_equal(o->data, "\xc0\x00\x02\x35\xc6\x33\x64\x35", 8);

	s2 = config_subnet_by_id(c, 2);
	assert_non_null(s2);
	assert_null(s2->interface);
	assert_int_equal(s2->n_relay, 1);
	assert_int_equal(s2->relay_addrs[0], IP(198, 51, 100, 1));
	assert_int_equal(s2->valid_lifetime, 86400);
	assert_int_equal(s2->renew_timer, 3600); /* inherited */
	assert_int_equal(s2->rebind_timer, 6300);
	o = dx_option_find(&s2->options, 6);
	assert_int_equal(o->len, 4); /* overridden */
	o = dx_option_find(&s2->options, 252);
	assert_non_null(o);
	assert_memory_equal(o->data, "\x0a\x0b\x0c", 3);
}

static void test_minimal_example_file(void **state)
{
	struct loaded *l;

	(void)state;
	teardown(NULL);
	l = cur = calloc(1, sizeof(*cur));
	l->ret = config_load("examples/minimal.json", &l->cfg, &l->diag);
	if (l->ret)
		fail_msg("%s", l->diag.error);
	assert_int_equal(l->diag.n_warnings, 0);
	assert_int_equal(l->cfg->n_subnets, 1);
	assert_string_equal(l->cfg->subnets[0].interface, "eth0");
	assert_int_equal(l->cfg->subnets[0].options.n, 2);
}

static void test_defaults(void **state)
{
	const struct dx_config *c;

	(void)state;
	c = load_ok(DHCP4(ETH0 "\"subnet4\": [ " SUBNET1 " ]"));
	assert_int_equal(c->valid_lifetime, 7200);
	assert_int_equal(c->renew_timer, 3600);
	assert_int_equal(c->rebind_timer, 6300);
	assert_string_equal(c->lease_db.type, "sqlite");
	assert_string_equal(c->lease_db.name,
			    "/var/lib/dhcpxdp/leases.sqlite3");
	assert_string_equal(c->control_socket.socket_type, "unix");
	assert_string_equal(c->control_socket.socket_name,
			    "/run/dhcpxdp/control.sock");
	assert_string_equal(c->dhcpxdp.pin_dir, "/sys/fs/bpf/dhcpxdp");
	assert_string_equal(c->dhcpxdp.xdp_mode, "native");
	assert_true(c->dhcpxdp.horizon_factor == 2.0);
	assert_int_equal(c->dhcpxdp.decline_probation, 86400);
	assert_int_equal(c->dhcpxdp.offer_hold, 60);
	assert_int_equal(c->dhcpxdp.lease_map_capacity, 1048576);
	assert_null(c->dhcpxdp.metrics_listen);
	/* The only interface is the default for an unbound subnet. */
	assert_string_equal(c->subnets[0].interface, "eth0");
	assert_int_equal(c->subnets[0].valid_lifetime, 7200);
	assert_int_equal(c->subnets[0].n_pools, 0);
	assert_int_equal(c->options.n, 0);
}

static void test_dhcpxdp_settings(void **state)
{
	const struct dx_config *c;

	(void)state;
	c = load_ok(DHCP4(
		ETH0
		"\"decline-probation-period\": 3600, "
		"\"lease-database\": { \"type\": \"sqlite\", \"name\": "
		"\"/tmp/l.db\" }, "
		"\"control-socket\": { \"socket-type\": \"unix\", "
		"\"socket-name\": \"/tmp/c.sock\" }, "
		"\"dhcpxdp\": { \"pin-dir\": \"/tmp/bpf\", \"xdp-mode\": "
		"\"skb\", \"horizon-factor\": 1.5, \"offer-lifetime\": 30, "
		"\"lease-map-capacity\": 4096, \"metrics-listen\": "
		"\"[::1]:9100\" }"));
	assert_int_equal(c->dhcpxdp.decline_probation, 3600); /* Kea's key */
	assert_string_equal(c->lease_db.name, "/tmp/l.db");
	assert_string_equal(c->control_socket.socket_name, "/tmp/c.sock");
	assert_string_equal(c->dhcpxdp.pin_dir, "/tmp/bpf");
	assert_string_equal(c->dhcpxdp.xdp_mode, "skb");
	assert_true(c->dhcpxdp.horizon_factor == 1.5);
	assert_int_equal(c->dhcpxdp.offer_hold, 30);
	assert_int_equal(c->dhcpxdp.lease_map_capacity, 4096);
	assert_string_equal(c->dhcpxdp.metrics_listen, "[::1]:9100");
	/* With no subnets the server is idle, and says so. */
	assert_int_equal(cur->diag.n_warnings, 1);
	assert_string_equal(cur->diag.warnings[0],
			    "t.json: Dhcp4.subnet4: no subnets: the server "
			    "will not hand out addresses");
}

static void test_dhcpxdp_setting_errors(void **state)
{
	(void)state;
	expect_error(DHCP4("\"dhcpxdp\": { \"xdp-mode\": \"generic\" }"),
		     "t.json: Dhcp4.dhcpxdp.xdp-mode: 'generic' is not an XDP "
		     "mode: use \"native\" or \"skb\"");
	expect_error(DHCP4("\"dhcpxdp\": { \"horizon-factor\": 0.5 }"),
		     "t.json: Dhcp4.dhcpxdp.horizon-factor: 0.5 must be "
		     "between 1 and 1000");
	expect_error(DHCP4("\"dhcpxdp\": { \"metrics-listen\": \"9100\" }"),
		     "t.json: Dhcp4.dhcpxdp.metrics-listen: '9100' is not "
		     "ADDRESS:PORT (e.g. 127.0.0.1:9100)");
	expect_error(DHCP4("\"valid-lifetime\": \"3600\""),
		     "t.json: Dhcp4.valid-lifetime: expected an integer, got "
		     "a string");
	expect_error(DHCP4("\"valid-lifetime\": 4294967295"),
		     "t.json: Dhcp4.valid-lifetime: 4294967295 is out of "
		     "range (3 to 4294967294)");
}

/* --- inheritance ------------------------------------------------------- */

static void test_timer_inheritance(void **state)
{
	const struct dx_config *c;
	const struct dx_subnet_conf *s;

	(void)state;
	c = load_ok(DHCP4(ETH0 "\"valid-lifetime\": 1000, \"renew-timer\": "
			       "400, \"subnet4\": [ " SUBNET1 ", { \"id\": 2, "
			       "\"subnet\": \"10.0.2.0/24\", \"relay\": { "
			       "\"ip-addresses\": [ \"10.0.2.1\" ] }, "
			       "\"valid-lifetime\": 2000 } ]"));
	assert_int_equal(c->valid_lifetime, 1000);
	assert_int_equal(c->renew_timer, 400);
	assert_int_equal(c->rebind_timer, 875);
	s = &c->subnets[0];
	assert_int_equal(s->valid_lifetime, 1000);
	assert_int_equal(s->renew_timer, 400);
	assert_int_equal(s->rebind_timer, 875);
	/* Own valid-lifetime; renew inherited; rebind derived from own. */
	s = &c->subnets[1];
	assert_int_equal(s->valid_lifetime, 2000);
	assert_int_equal(s->renew_timer, 400);
	assert_int_equal(s->rebind_timer, 1750);
}

static void test_option_inheritance(void **state)
{
	const struct dx_config *c;
	const struct dx_option *o;
	const struct dx_subnet_conf *s;

	(void)state;
	c = load_ok(DHCP4(
		ETH0 "\"option-data\": [ { \"name\": \"domain-name-servers\", "
		     "\"data\": \"10.0.0.53\" }, { \"name\": \"domain-name\", "
		     "\"data\": \"a.example\", \"always-send\": true } ], "
		     "\"subnet4\": [ { \"id\": 1, \"subnet\": \"10.0.1.0/24\", "
		     "\"option-data\": [ { \"code\": 6, \"data\": "
		     "\"10.0.1.53, 10.0.1.54\" }, { \"name\": \"routers\", "
		     "\"data\": \"10.0.1.1\" } ] } ]"));
	assert_int_equal(c->options.n, 2);
	s = &c->subnets[0];
	assert_int_equal(s->options.n, 3);
	o = dx_option_find(&s->options, 6);
	assert_int_equal(o->len, 8);
	assert_memory_equal(o->data, "\x0a\x00\x01\x35\x0a\x00\x01\x36", 8);
	o = dx_option_find(&s->options, 15);
	assert_int_equal(o->len, 9);
	assert_true(o->always_send);
	assert_non_null(dx_option_find(&s->options, 3));
	assert_null(dx_option_find(&s->options, 42));
	/* The global list is left as it was. */
	assert_int_equal(dx_option_find(&c->options, 6)->len, 4);
}

/* --- comments and syntax -------------------------------------------------- */

static void test_comments(void **state)
{
	const struct dx_config *c;

	(void)state;
	c = load_ok("// leading comment\n"
		    "# shell style\n"
		    "{ /* block\n comment */ \"Dhcp4\": {\n"
		    "  \"valid-lifetime\": 600, // trailing\n"
		    "  # \"valid-lifetime\": 1,\n"
		    "  \"option-data\": [ { \"name\": \"v4-captive-portal\",\n"
		    "    \"data\": \"http://portal/#/x\" } ] /* end */ } }\n");
	assert_int_equal(c->valid_lifetime, 600);
	/* Comment markers inside strings are data. */
	assert_int_equal(c->options.opts[0].len, strlen("http://portal/#/x"));
	assert_memory_equal(c->options.opts[0].data, "http://portal/#/x",
			    strlen("http://portal/#/x"));
}

static void test_syntax_errors(void **state)
{
	(void)state;
	expect_error("{ \"Dhcp4\": {\n  \"valid-lifetime\": 600,,\n} }",
		     "t.json: line 2, column 25: JSON syntax error: quoted "
		     "object property name expected");
	expect_error("{ \"Dhcp4\": { } /* never closed",
		     "t.json: line 1, column 16: unterminated /* comment");
	expect_error("{ \"Dhcp4\": { }",
		     "t.json: line 1, column 15: JSON syntax error: "
		     "unexpected end of file");
	expect_error("{ \"Dhcp4\": { } } x",
		     "t.json: line 1, column 18: JSON syntax error: "
		     "unexpected text after the JSON object");
	expect_error("{ \"Dhcp6\": { } }", "t.json: no \"Dhcp4\" object");
}

static void test_missing_file(void **state)
{
	struct dx_config *cfg = (void *)1;
	struct config_diag d = {0};
	int r;

	(void)state;
	r = config_load("/nonexistent/dhcpxdp.json", &cfg, &d);
	assert_int_equal(r, -ENOENT);
	assert_null(cfg);
	assert_string_equal(d.error, "/nonexistent/dhcpxdp.json: cannot read: "
				     "No such file or directory");
	config_diag_free(&d);
}

/* --- pools --------------------------------------------------------------- */

#define POOLS(p)                                                           \
	DHCP4(ETH0 "\"subnet4\": [ " SUBNET1 ", { \"id\": 2, \"subnet\": " \
		   "\"10.0.2.0/24\", \"relay\": { \"ip-addresses\": [ "    \
		   "\"10.0.2.1\" ] }, \"pools\": [ " p " ] } ]")

static void test_pool_start_after_end(void **state)
{
	(void)state;
	expect_error(POOLS("{ \"pool\": \"10.0.2.5 - 10.0.2.2\" }"),
		     "t.json: Dhcp4.subnet4[1].pools[0].pool: 10.0.2.5 - "
		     "10.0.2.2: start after end");
}

static void test_pool_outside_subnet(void **state)
{
	(void)state;
	expect_error(POOLS("{ \"pool\": \"10.0.2.5 - 10.0.3.2\" }"),
		     "t.json: Dhcp4.subnet4[1].pools[0].pool: 10.0.2.5 - "
		     "10.0.3.2: outside subnet 10.0.2.0/24");
	expect_error(POOLS("{ \"pool\": \"10.0.3.0/28\" }"),
		     "t.json: Dhcp4.subnet4[1].pools[0].pool: 10.0.3.0 - "
		     "10.0.3.15: outside subnet 10.0.2.0/24");
}

static void test_pool_overlap(void **state)
{
	(void)state;
	expect_error(POOLS("{ \"pool\": \"10.0.2.10-10.0.2.20\" }, { \"pool\": "
			   "\"10.0.2.0/28\" }"),
		     "t.json: Dhcp4.subnet4[1].pools[1].pool: 10.0.2.0 - "
		     "10.0.2.15: overlaps pools[0] (10.0.2.10 - 10.0.2.20)");
}

static void test_pool_syntax(void **state)
{
	const struct dx_config *c;

	(void)state;
	expect_error(POOLS("{ \"pool\": \"10.0.2.10\" }"),
		     "t.json: Dhcp4.subnet4[1].pools[0].pool: '10.0.2.10' is "
		     "not a pool: expected 'FIRST - LAST' or 'PREFIX/LEN'");
	expect_error(POOLS("{ \"pool\": \"10.0.2.1/28\" }"),
		     "t.json: Dhcp4.subnet4[1].pools[0].pool: 10.0.2.1/28 has "
		     "host bits set (did you mean 10.0.2.0/28?)");
	c = load_ok(POOLS("{ \"pool\": \"10.0.2.10-10.0.2.20\" }, "
			  "{ \"pool\": \"10.0.2.21 -10.0.2.21\" }"));
	assert_int_equal(c->subnets[1].pools[1].start, IP(10, 0, 2, 21));
	assert_int_equal(c->subnets[1].pools[1].end, IP(10, 0, 2, 21));
}

/* --- subnets ------------------------------------------------------------- */

static void test_subnet_overlap(void **state)
{
	(void)state;
	expect_error(DHCP4(ETH0 "\"subnet4\": [ " SUBNET1 ", { \"id\": 2, "
				"\"subnet\": \"10.0.0.0/16\", \"relay\": { "
				"\"ip-addresses\": [ \"10.0.9.1\" ] } } ]"),
		     "t.json: Dhcp4.subnet4[1].subnet: 10.0.0.0/16 overlaps "
		     "Dhcp4.subnet4[0] (10.0.1.0/24)");
}

static void test_subnet_id(void **state)
{
	(void)state;
	expect_error(DHCP4(ETH0 "\"subnet4\": [ " SUBNET1 ", { \"id\": 1, "
				"\"subnet\": \"10.0.2.0/24\", \"relay\": { "
				"\"ip-addresses\": [ \"10.0.2.1\" ] } } ]"),
		     "t.json: Dhcp4.subnet4[1].id: 1 is already used by "
		     "Dhcp4.subnet4[0]");
	expect_error(DHCP4(ETH0 "\"subnet4\": [ { \"id\": 0, \"subnet\": "
				"\"10.0.2.0/24\" } ]"),
		     "t.json: Dhcp4.subnet4[0].id: 0 is out of range (1 to "
		     "4294967294)");
	expect_error(DHCP4(ETH0 "\"subnet4\": [ { \"id\": 1, \"subnet\": "
				"\"10.0.2.1/24\" } ]"),
		     "t.json: Dhcp4.subnet4[0].subnet: 10.0.2.1/24 has host "
		     "bits set (did you mean 10.0.2.0/24?)");
}

static void test_timer_order(void **state)
{
	(void)state;
	expect_error(DHCP4("\"valid-lifetime\": 1000, \"renew-timer\": 900, "
			   "\"rebind-timer\": 800"),
		     "t.json: Dhcp4.renew-timer: renew-timer (900) must be "
		     "less than rebind-timer (800)");
	expect_error(DHCP4("\"valid-lifetime\": 1000, \"rebind-timer\": 1000"),
		     "t.json: Dhcp4.rebind-timer: rebind-timer (1000) must be "
		     "less than valid-lifetime (1000)");
	/* A subnet's short lease against the inherited renew-timer. */
	expect_error(DHCP4(ETH0 "\"renew-timer\": 900, \"subnet4\": [ { "
				"\"id\": 1, \"subnet\": \"10.0.1.0/24\", "
				"\"valid-lifetime\": 1000 } ]"),
		     "t.json: Dhcp4.subnet4[0].valid-lifetime: renew-timer "
		     "(900) must be less than rebind-timer (875, default 7/8 "
		     "of valid-lifetime)");
}

static void test_reachability(void **state)
{
	const struct dx_config *c;

	(void)state;
	expect_error(DHCP4("\"interfaces-config\": { \"interfaces\": [ "
			   "\"eth0\", \"eth1\" ] }, \"subnet4\": [ " SUBNET1
			   " ]"),
		     "t.json: Dhcp4.subnet4[0]: subnet 10.0.1.0/24 is "
		     "unreachable: set \"interface\" or \"relay\" (required "
		     "unless interfaces-config lists exactly one interface)");
	/* As Kea: an interface not listened on is never served directly
	 * (Kea's own examples name such interfaces). */
	load_ok(DHCP4(ETH0 "\"subnet4\": [ { \"id\": 1, \"subnet\": "
			   "\"10.0.1.0/24\", \"interface\": \"eth9\" } ]"));
	assert_int_equal(cur->diag.n_warnings, 1);
	assert_string_equal(cur->diag.warnings[0],
			    "t.json: Dhcp4.subnet4[0].interface: 'eth9' is not "
			    "listed in interfaces-config.interfaces: the "
			    "subnet is not served directly");
	assert_int_equal(config_interface_subnet(cur->cfg, "eth0", 0), 0);
	/* Named twice: one link, the first subnet its direct one (as
	 * Kea's classify examples, a class choosing between them). */
	c = load_ok(DHCP4(ETH0 "\"subnet4\": [ { \"id\": 1, \"subnet\": "
			       "\"10.0.1.0/24\", \"interface\": \"eth0\" }, "
			       "{ \"id\": 2, \"subnet\": \"10.0.2.0/24\", "
			       "\"interface\": \"eth0\" } ]"));
	assert_int_not_equal(c->subnets[0].shared_id, 0);
	assert_int_equal(c->subnets[0].shared_id, c->subnets[1].shared_id);
	assert_null(c->subnets[1].shared_network);
	assert_int_equal(config_interface_subnet(c, "eth0", 0), 1);
}

static void test_relays(void **state)
{
	const struct dx_config *c;

	(void)state;
	expect_error(DHCP4("\"subnet4\": [ { \"id\": 1, \"subnet\": "
			   "\"10.0.1.0/24\", \"relay\": { \"ip-addresses\": [ "
			   "\"10.9.0.1\" ] } }, { \"id\": 2, \"subnet\": "
			   "\"10.0.2.0/24\", \"relay\": { \"ip-addresses\": [ "
			   "\"10.9.0.2\", \"10.9.0.1\" ] } } ]"),
		     "t.json: Dhcp4.subnet4[1].relay.ip-addresses[1]: 10.9.0.1 "
		     "is already a relay of Dhcp4.subnet4[0]");
	/* Kea's older single ip-address form. */
	c = load_ok(DHCP4("\"subnet4\": [ { \"id\": 1, \"subnet\": "
			  "\"10.0.1.0/24\", \"relay\": { \"ip-address\": "
			  "\"10.9.0.1\" } } ]"));
	assert_int_equal(c->subnets[0].n_relay, 1);
	assert_int_equal(c->subnets[0].relay_addrs[0], IP(10, 9, 0, 1));
	assert_null(c->subnets[0].interface);
}

static void test_interfaces(void **state)
{
	const struct dx_config *c;

	(void)state;
	c = load_ok(DHCP4("\"interfaces-config\": { \"interfaces\": [ "
			  "\"eth0/192.0.2.1\", \"vlan100\" ], "
			  "\"dhcp-socket-type\": \"raw\" }"));
	assert_int_equal(c->n_interfaces, 2);
	assert_string_equal(c->interfaces[0].name, "eth0");
	assert_int_equal(c->interfaces[0].addr, IP(192, 0, 2, 1));
	assert_int_equal(c->interfaces[1].addr, 0);
	/* Kea's "every interface" (test_config_interfaces_all.c). */
	c = load_ok(DHCP4("\"interfaces-config\": { \"interfaces\": [ \"*\" "
			  "] }"));
	assert_true(c->interfaces_all);
	assert_int_equal(c->n_interfaces, 0);
}

/*
 * VLAN devices are interfaces like any other in the configuration (the
 * daemon resolves them to their lower device and tags, kernel/vlan.h):
 * "eth0.100", a QinQ stack "eth0.200.100", Kea's "/address" form, and a
 * subnet bound to each. A name past IFNAMSIZ is refused.
 */
static void test_interfaces_vlan(void **state)
{
	const struct dx_config *c;

	(void)state;
	c = load_ok(DHCP4("\"interfaces-config\": { \"interfaces\": [ "
			  "\"eth0\", \"eth0.100/10.1.0.1\", "
			  "\"eth0.200.100\" ] }, "
			  "\"subnet4\": [ "
			  "{ \"id\": 1, \"subnet\": \"10.0.0.0/24\", "
			  "\"interface\": \"eth0\" }, "
			  "{ \"id\": 2, \"subnet\": \"10.1.0.0/24\", "
			  "\"interface\": \"eth0.100\" }, "
			  "{ \"id\": 3, \"subnet\": \"10.2.0.0/24\", "
			  "\"interface\": \"eth0.200.100\" } ]"));
	assert_int_equal(c->n_interfaces, 3);
	assert_string_equal(c->interfaces[1].name, "eth0.100");
	assert_int_equal(c->interfaces[1].addr, IP(10, 1, 0, 1));
	assert_string_equal(c->interfaces[2].name, "eth0.200.100");
	assert_int_equal(config_interface_subnet(c, "eth0", 0), 1);
	assert_int_equal(config_interface_subnet(c, "eth0.100", 0), 2);
	assert_int_equal(config_interface_subnet(c, "eth0.200.100", 0), 3);
	expect_error(DHCP4("\"interfaces-config\": { \"interfaces\": [ "
			   "\"enp3s0f1.200.100\" ] }"),
		     "t.json: Dhcp4.interfaces-config.interfaces[0]: "
		     "'enp3s0f1.200.100' is not an interface name");
}

/* --- reservations -------------------------------------------------------- */

#define RES(r)                                                                 \
	DHCP4(ETH0 "\"subnet4\": [ { \"id\": 1, \"subnet\": \"10.0.1.0/24\", " \
		   "\"reservations\": [ " r " ] } ]")

static void test_reservation_outside_subnet(void **state)
{
	(void)state;
	expect_error(RES("{ \"hw-address\": \"00:11:22:33:44:55\", "
			 "\"ip-address\": \"10.0.2.5\" }"),
		     "t.json: Dhcp4.subnet4[0].reservations[0].ip-address: "
		     "10.0.2.5: outside subnet 10.0.1.0/24");
	expect_error(RES("{ \"hw-address\": \"00:11:22:33:44:55\", "
			 "\"ip-address\": \"10.0.1.255\" }"),
		     "t.json: Dhcp4.subnet4[0].reservations[0].ip-address: "
		     "10.0.1.255 is the broadcast address of subnet "
		     "10.0.1.0/24");
}

static void test_reservation_duplicates(void **state)
{
	(void)state;
	expect_error(RES("{ \"hw-address\": \"00:11:22:33:44:55\", "
			 "\"ip-address\": \"10.0.1.5\" }, { \"hw-address\": "
			 "\"00-11-22-33-44-55\", \"ip-address\": \"10.0.1.6\" "
			 "}"),
		     "t.json: Dhcp4.subnet4[0].reservations[1].hw-address: "
		     "00:11:22:33:44:55: already reserved by reservations[0]");
	expect_error(RES("{ \"client-id\": \"01:aa:bb\", \"ip-address\": "
			 "\"10.0.1.5\" }, { \"client-id\": \"01aabb\", "
			 "\"ip-address\": \"10.0.1.6\" }"),
		     "t.json: Dhcp4.subnet4[0].reservations[1].client-id: this "
		     "client-id: already reserved by reservations[0]");
	expect_error(RES("{ \"hw-address\": \"00:11:22:33:44:55\", "
			 "\"ip-address\": \"10.0.1.5\" }, { \"hw-address\": "
			 "\"00:11:22:33:44:56\", \"ip-address\": \"10.0.1.7\" "
			 "}, { \"hw-address\": \"00:11:22:33:44:57\", "
			 "\"ip-address\": \"10.0.1.5\" }"),
		     "t.json: Dhcp4.subnet4[0].reservations[2].ip-address: "
		     "10.0.1.5: already reserved by reservations[0]");
}

static void test_reservation_identifiers(void **state)
{
	const struct dx_config *c;

	(void)state;
	expect_error(RES("{ \"hw-address\": \"00:11:22:33:44:55\", "
			 "\"client-id\": \"01:02\", \"ip-address\": "
			 "\"10.0.1.5\" }"),
		     "t.json: Dhcp4.subnet4[0].reservations[0]: a reservation "
		     "needs exactly one of hw-address, client-id, "
		     "circuit-id, duid or flex-id");
	expect_error(RES("{ \"hw-address\": \"00:11:22:33:44\", "
			 "\"ip-address\": \"10.0.1.5\" }"),
		     "t.json: Dhcp4.subnet4[0].reservations[0].hw-address: "
		     "'00:11:22:33:44' is not an Ethernet MAC address "
		     "(expected 6 bytes, e.g. 00:11:22:33:44:55)");
	/* No ip-address: a pool address and the reservation's extras. */
	c = load_ok(RES("{ \"hw-address\": \"00:11:22:33:44:55\", "
			"\"hostname\": \"h\" }"));
	assert_int_equal(c->subnets[0].reservations[0].addr, 0);
	/* Kea's duid: the DUID of an RFC 4361 client identifier. */
	c = load_ok(RES("{ \"duid\": \"00:03:00:01:00:11:22:33:44:55\", "
			"\"ip-address\": \"10.0.1.5\" }"));
	assert_int_equal(c->subnets[0].reservations[0].duid_len, 10);
	assert_false(c->subnets[0].reservations[0].has_hw);
	expect_error(RES("{ \"duid\": \"01\", \"ip-address\": \"10.0.1.5\" }"),
		     "t.json: Dhcp4.subnet4[0].reservations[0].duid: '01' is "
		     "not a DUID (2 to 130 bytes as hex, e.g. "
		     "00:03:00:01:00:11:22:33:44:55)");
	/* flex-id: computed by the flex_id hook's expression only;
	 * without it kept, warned, never matched. */
	c = load_ok(RES("{ \"flex-id\": \"'s0mEVaLue'\", \"ip-address\": "
			"\"10.0.1.5\" }"));
	assert_int_equal(c->subnets[0].reservations[0].flex_id_len, 9);
	assert_non_null(strstr(cur->diag.warnings[0], "never matches"));
	/* Kea's quoted-text client-id; reservation option-data. */
	c = load_ok(RES("{ \"client-id\": \"'host7'\", \"ip-address\": "
			"\"10.0.1.7\", \"hostname\": \"h7\", \"option-data\": "
			"[ { \"name\": \"host-name\", \"data\": \"h7\" } ] }"));
	assert_int_equal(c->subnets[0].reservations[0].client_id_len, 5);
	assert_memory_equal(c->subnets[0].reservations[0].client_id, "host7",
			    5);
	assert_int_equal(c->subnets[0].reservations[0].options.n, 1);
	/* Reservation options are not merged into the subnet's. */
	assert_int_equal(c->subnets[0].options.n, 0);
}

/* Kea's circuit-id reservations (RFC 3046 §2.1): hex or 'quoted text'. */
static void test_reservation_circuit_id(void **state)
{
	const struct dx_config *c;
	const struct dx_reservation_conf *r;

	(void)state;
	c = load_ok(RES("{ \"circuit-id\": \"'eth1/7'\", \"ip-address\": "
			"\"10.0.1.7\" }, { \"circuit-id\": \"01:02:0a\", "
			"\"ip-address\": \"10.0.1.8\" }"));
	r = c->subnets[0].reservations;
	assert_int_equal(r[0].circuit_id_len, 6);
	assert_memory_equal(r[0].circuit_id, "eth1/7", 6);
	assert_false(r[0].has_hw);
	assert_null(r[0].client_id);
	assert_int_equal(r[1].circuit_id_len, 3);
	assert_memory_equal(r[1].circuit_id, "\x01\x02\x0a", 3);
	expect_error(RES("{ \"circuit-id\": \"''\", \"ip-address\": "
			 "\"10.0.1.7\" }"),
		     "t.json: Dhcp4.subnet4[0].reservations[0].circuit-id: "
		     "'''' is not a circuit id (1 to 255 bytes as hex, e.g. "
		     "01:02:03, or 'quoted text')");
	expect_error(RES("{ \"flex-id\": \"''\", \"ip-address\": "
			 "\"10.0.1.7\" }"),
		     "t.json: Dhcp4.subnet4[0].reservations[0].flex-id: "
		     "'''' is not a flex-id (1 to 255 bytes as hex, e.g. "
		     "01:02:03, or 'quoted text')");
	expect_error(RES("{ \"circuit-id\": \"'p1'\", \"hw-address\": "
			 "\"00:11:22:33:44:55\", \"ip-address\": "
			 "\"10.0.1.7\" }"),
		     "t.json: Dhcp4.subnet4[0].reservations[0]: a reservation "
		     "needs exactly one of hw-address, client-id, "
		     "circuit-id, duid or flex-id");
	expect_error(RES("{ \"circuit-id\": \"'p1'\", \"ip-address\": "
			 "\"10.0.1.7\" }, { \"circuit-id\": \"70:31\", "
			 "\"ip-address\": \"10.0.1.8\" }"),
		     "t.json: Dhcp4.subnet4[0].reservations[1].circuit-id: "
		     "this circuit-id: already reserved by reservations[0]");
}

/* host-reservation-identifiers: Kea's order kept; Kea's default. */
static void test_host_reservation_identifiers(void **state)
{
	const struct dx_config *c;
	uint8_t ids[DX_HOST_IDS];

	(void)state;
	c = load_ok(DHCP4(ETH0 "\"host-reservation-identifiers\": [ "
			       "\"circuit-id\", \"client-id\", "
			       "\"hw-address\" ]"));
	assert_int_equal(config_host_ids(c, ids), 3);
	assert_int_equal(ids[0], DX_HOST_ID_CIRCUIT_ID);
	assert_int_equal(ids[1], DX_HOST_ID_CLIENT_ID);
	assert_int_equal(ids[2], DX_HOST_ID_HW);
	c = load_ok(DHCP4(ETH0 "\"host-reservation-identifiers\": [ "
			       "\"client-id\" ]"));
	assert_int_equal(config_host_ids(c, ids), 1);
	assert_false(config_host_id_used(c, DX_HOST_ID_CIRCUIT_ID));
	/* Kea's default for DHCPv4. */
	c = load_ok(DHCP4(ETH0 "\"valid-lifetime\": 600"));
	assert_int_equal(config_host_ids(c, ids), 5);
	assert_int_equal(ids[0], DX_HOST_ID_HW);
	assert_int_equal(ids[1], DX_HOST_ID_DUID);
	assert_int_equal(ids[2], DX_HOST_ID_CIRCUIT_ID);
	assert_int_equal(ids[3], DX_HOST_ID_CLIENT_ID);
	assert_int_equal(ids[4], DX_HOST_ID_FLEX_ID);
	/* client-id before hw-address, with client-id reservations: the
	 * subnet's hw-address reservations are not XDP's (shadowed). */
	c = load_ok(DHCP4(ETH0 "\"host-reservation-identifiers\": [ "
			       "\"client-id\", \"hw-address\" ], "
			       "\"subnet4\": [ { \"id\": 1, \"subnet\": "
			       "\"10.0.1.0/24\", \"reservations\": [ { "
			       "\"hw-address\": \"00:11:22:33:44:55\", "
			       "\"ip-address\": \"10.0.1.5\" }, { "
			       "\"client-id\": \"01:02\", \"ip-address\": "
			       "\"10.0.1.6\" } ] } ]"));
	assert_true(c->subnets[0].reservations[0].shadowed);
	c = load_ok(RES("{ \"hw-address\": \"00:11:22:33:44:55\", "
			"\"ip-address\": \"10.0.1.5\" }, { \"client-id\": "
			"\"01:02\", \"ip-address\": \"10.0.1.6\" }"));
	assert_false(c->subnets[0].reservations[0].shadowed);
	expect_error(DHCP4("\"host-reservation-identifiers\": [ "
			   "\"hw-address\", \"hw-address\" ]"),
		     "t.json: Dhcp4.host-reservation-identifiers[1]: "
		     "'hw-address' listed twice");
	expect_error(DHCP4("\"host-reservation-identifiers\": [ ]"),
		     "t.json: Dhcp4.host-reservation-identifiers: an empty "
		     "list: name at least one of hw-address, duid, circuit-id, "
		     "client-id");
}

/* --- option-data ---------------------------------------------------------- */

static void test_option_data_errors(void **state)
{
	(void)state;
	expect_error(DHCP4("\"option-data\": [ { \"name\": \"routers\", "
			   "\"data\": \"1.2.3.4\" }, { \"name\": "
			   "\"default-ip-ttl\", \"data\": \"300\" } ]"),
		     "t.json: Dhcp4.option-data[1].data: '300' out of range "
		     "for uint8 option 'default-ip-ttl'");
	expect_error(
		DHCP4("\"option-data\": [ { \"name\": \"dhcp-lease-time\", "
		      "\"data\": \"300\" } ]"),
		"t.json: Dhcp4.option-data[0].name: option 51 "
		"'dhcp-lease-time' cannot be set in option-data: the "
		"server sets it: use valid-lifetime");
	expect_error(DHCP4("\"option-data\": [ { \"code\": 58, \"data\": "
			   "\"300\" } ]"),
		     "t.json: Dhcp4.option-data[0].code: option 58 "
		     "'dhcp-renewal-time' cannot be set in option-data: the "
		     "server sets it: use renew-timer");
	expect_error(DHCP4("\"option-data\": [ { \"code\": 224, \"data\": "
			   "\"0102\" } ]"),
		     "t.json: Dhcp4.option-data[0]: option 224 has no "
		     "definition: set \"csv-format\": false and give the data "
		     "as hex");
	expect_error(DHCP4("\"option-data\": [ { \"name\": \"no-such\", "
			   "\"data\": \"1\" } ]"),
		     "t.json: Dhcp4.option-data[0].name: unknown option "
		     "'no-such' in space 'dhcp4': define it in option-def, or "
		     "give it by code with \"csv-format\": false");
	expect_error(DHCP4("\"option-data\": [ { \"name\": \"routers\", "
			   "\"code\": 4, \"data\": \"1.2.3.4\" } ]"),
		     "t.json: Dhcp4.option-data[0].code: code 4 does not "
		     "match option 'routers' (code 3)");
	expect_error(DHCP4("\"option-data\": [ { \"name\": \"routers\", "
			   "\"data\": \"1.2.3.4\" }, { \"code\": 3, \"data\": "
			   "\"1.2.3.5\" } ]"),
		     "t.json: Dhcp4.option-data[1]: option 3 'routers' is "
		     "already set by option-data[0]");
	expect_error(DHCP4("\"option-data\": [ { \"name\": \"routers\", "
			   "\"space\": \"vendor-4491\", \"data\": \"1.2.3.4\" "
			   "} ]"),
		     "t.json: Dhcp4.option-data[0].name: unknown option "
		     "'routers' in space 'vendor-4491': define it in "
		     "option-def, or give it by code with \"csv-format\": "
		     "false");
}

static void test_option_by_code(void **state)
{
	const struct dx_config *c;

	(void)state;
	c = load_ok(DHCP4("\"option-data\": [ { \"code\": 224, \"csv-format\": "
			  "false, \"data\": \"0A 0B\" }, { \"code\": 26, "
			  "\"data\": \"1500\" } ]"));
	assert_int_equal(c->options.n, 2);
	assert_int_equal(c->options.opts[0].code, 224);
	assert_int_equal(c->options.opts[0].len, 2);
	assert_memory_equal(c->options.opts[0].data, "\x0a\x0b", 2);
	/* A known code with csv-format (default true) uses its definition. */
	assert_memory_equal(c->options.opts[1].data, "\x05\xdc", 2);
}

/* --- unknown, ignored and unsupported keys -------------------------------- */

static void test_unknown_key_warns(void **state)
{
	const struct dx_config *c;

	(void)state;
	c = load_ok(DHCP4(ETH0 "\"valid-lifetme\": 600, \"loggers\": [], "
			       "\"subnet4\": [ { \"id\": 1, \"subnet\": "
			       "\"10.0.1.0/24\", \"pool\": \"x\", "
			       "\"comment\": \"ok\" } ]"));
	assert_int_equal(c->valid_lifetime, 7200);
	assert_int_equal(cur->diag.n_warnings, 2);
	assert_string_equal(
		cur->diag.warnings[0],
		"t.json: Dhcp4.valid-lifetme: unknown key, ignored");
	assert_string_equal(cur->diag.warnings[1],
			    "t.json: Dhcp4.subnet4[0].pool: unknown key, "
			    "ignored");
}

static void test_unsupported_keys(void **state)
{
	(void)state;
	expect_error(DHCP4("\"hooks-libraries\": [ { \"library\": \"x\" } ]"),
		     "t.json: Dhcp4.hooks-libraries[0].library: 'x' is not "
		     "supported by dhcpxdp: Kea hook libraries cannot be "
		     "loaded (libdhcp_lease_cmds.so, libdhcp_flex_id.so, "
		     "libdhcp_legal_log.so and libdhcp_ha.so are built in)");
	expect_error(DHCP4(ETH0 "\"client-classes\": [ { \"name\": \"a\", "
				"\"template-test\": \"''\" } ]"),
		     "t.json: Dhcp4.client-classes[0].template-test: "
		     "'template-test' is not supported by dhcpxdp: template "
		     "classes (SPAWN_) are not implemented");
	expect_error(DHCP4("\"host-reservation-identifiers\": [ "
			   "\"hw-address\", \"remote-id\" ]"),
		     "t.json: Dhcp4.host-reservation-identifiers[1]: "
		     "'host-reservation-identifiers' value 'remote-id' is not "
		     "supported: only hw-address, duid, circuit-id, client-id "
		     "and flex-id");
	/* D2 has no TCP listener: Kea refuses it, so does dhcpxdp. */
	expect_error(DHCP4("\"dhcp-ddns\": { \"enable-updates\": true, "
			   "\"ncr-protocol\": \"TCP\" }"),
		     "t.json: Dhcp4.dhcp-ddns.ncr-protocol: 'TCP' is not "
		     "supported (as in Kea: D2 listens on UDP only); use "
		     "\"UDP\"");
	load_ok(DHCP4("\"dhcp-ddns\": { \"enable-updates\": false }"));
}

static void test_lease_database_types(void **state)
{
	(void)state;
	expect_error(DHCP4("\"lease-database\": { \"type\": \"memfile\" }"),
		     "t.json: Dhcp4.lease-database.type: 'memfile' (Kea's CSV "
		     "lease file) is not supported: dhcpxdp keeps leases in "
		     "SQLite or PostgreSQL; set \"type\": \"sqlite\" and "
		     "\"name\" to the database file, then bring Kea's leases "
		     "across with 'dhcpxdp leases import --format kea-csv "
		     "FILE'");
	expect_error(DHCP4("\"lease-database\": { \"type\": \"mysql\" }"),
		     "t.json: Dhcp4.lease-database.type: 'mysql' is not "
		     "supported: dhcpxdp keeps leases in SQLite or PostgreSQL; "
		     "use \"type\": \"sqlite\" or \"postgresql\"");
	expect_error(DHCP4("\"control-socket\": { \"socket-type\": \"tcp\" }"),
		     "t.json: Dhcp4.control-socket.socket-type: 'tcp' is not a "
		     "control socket type: \"unix\", \"http\" or \"https\"");
}

static void test_lease_database_postgresql(void **state)
{
	const struct dx_config *c;

	(void)state;
	c = load_ok(
		DHCP4("\"lease-database\": { \"type\": \"postgresql\", "
		      "\"name\": \"kea\", \"host\": \"db1\", \"port\": "
		      "5433, \"user\": \"u\", \"password\": \"p\", "
		      "\"connect-timeout\": 3, \"max-reconnect-tries\": 10, "
		      "\"reconnect-wait-time\": 500, \"on-fail\": "
		      "\"serve-retry-continue\" }"));
	assert_string_equal(c->lease_db.type, "postgresql");
	assert_string_equal(c->lease_db.name, "kea");
	assert_string_equal(c->lease_db.host, "db1");
	assert_int_equal(c->lease_db.port, 5433);
	assert_string_equal(c->lease_db.user, "u");
	assert_string_equal(c->lease_db.password, "p");
	assert_int_equal(c->lease_db.connect_timeout, 3);
	assert_int_equal(c->lease_db.max_reconnect_tries, 10);
	assert_int_equal(c->lease_db.reconnect_wait_time, 500);
	assert_int_equal(c->lease_db.on_fail, DX_DB_SERVE_RETRY_CONTINUE);
}

static void test_lease_database_defaults(void **state)
{
	const struct dx_config *c;

	(void)state;
	/* Kea's: 5 s to connect, no reconnect, stop-retry-exit. */
	c = load_ok(DHCP4("\"lease-database\": { \"type\": \"postgresql\", "
			  "\"name\": \"kea\" }"));
	assert_null(c->lease_db.host);
	assert_int_equal(c->lease_db.port, 0);
	assert_int_equal(c->lease_db.connect_timeout, 5);
	assert_int_equal(c->lease_db.max_reconnect_tries, 0);
	assert_int_equal(c->lease_db.reconnect_wait_time, 0);
	assert_int_equal(c->lease_db.on_fail, DX_DB_STOP_RETRY_EXIT);
}

static void test_lease_database_errors(void **state)
{
	(void)state;
	expect_error(DHCP4("\"lease-database\": { \"type\": \"postgresql\" }"),
		     "t.json: Dhcp4.lease-database.name: required for "
		     "\"type\": \"postgresql\": the database to keep the "
		     "leases in");
	expect_error(DHCP4("\"lease-database\": { \"type\": \"postgresql\", "
			   "\"name\": \"k\", \"port\": 70000 }"),
		     "t.json: Dhcp4.lease-database.port: 70000 is out of "
		     "range (1 to 65535)");
	expect_error(DHCP4("\"lease-database\": { \"type\": \"postgresql\", "
			   "\"name\": \"k\", \"port\": \"x\" }"),
		     "t.json: Dhcp4.lease-database.port: expected an integer, "
		     "got a string");
	expect_error(DHCP4("\"lease-database\": { \"type\": \"postgresql\", "
			   "\"name\": \"k\", \"on-fail\": \"retry\" }"),
		     "t.json: Dhcp4.lease-database.on-fail: 'retry' is not one "
		     "of \"stop-retry-exit\", \"serve-retry-exit\", "
		     "\"serve-retry-continue\"");
	expect_error(DHCP4("\"lease-database\": { \"type\": \"postgresql\", "
			   "\"name\": \"k\", \"retry-on-startup\": true }"),
		     "t.json: Dhcp4.lease-database.retry-on-startup: true is "
		     "not supported: the daemon needs the leases before it "
		     "serves; systemd restarts it (Restart=on-failure)");
	expect_error(DHCP4("\"lease-database\": { \"type\": \"sqlite\", "
			   "\"host\": \"db1\" }"),
		     "t.json: Dhcp4.lease-database.host: only for \"type\": "
		     "\"postgresql\"; a SQLite database is a local file");
	/* TLS and tcp-user-timeout: test_config_lease_db_tls.c */
}

static void test_other_top_level_objects(void **state)
{
	(void)state;
	load_ok("{ \"Dhcp4\": { }, \"Logging\": { }, \"Foo\": 1 }");
	assert_int_equal(cur->diag.n_warnings, 3);
	assert_string_equal(cur->diag.warnings[0],
			    "t.json: Logging: ignored: dhcpxdp reads only the "
			    "Dhcp4 object");
	assert_string_equal(cur->diag.warnings[1],
			    "t.json: Foo: unknown key, ignored");
}

/* --- another server's configuration ------------------------------------ */

static void test_dhcpd_conf_named(void **state)
{
	struct loaded *l;

	(void)state;
	l = load("# dhcpd.conf\n"
		 "default-lease-time 600;\n"
		 "max-lease-time 7200;\n"
		 "subnet 10.5.5.0 netmask 255.255.255.224 {\n"
		 "  range 10.5.5.26 10.5.5.30;\n"
		 "  option routers 10.5.5.1;\n"
		 "}\n");
	assert_int_equal(l->ret, -EINVAL);
	assert_non_null(strstr(l->diag.error, "t.json: this is an ISC dhcpd "
					      "configuration (dhcpd.conf)"));
	assert_non_null(strstr(l->diag.error, "keama"));
	assert_non_null(
		strstr(l->diag.error, "dhcpxdp leases import --format dhcpd"));
}

static void test_dnsmasq_conf_named(void **state)
{
	struct loaded *l;

	(void)state;
	l = load("interface=eth1\n"
		 "  dhcp-range=192.168.0.50,192.168.0.150,12h\n"
		 "dhcp-host=11:22:33:44:55:66,192.168.0.60\n");
	assert_int_equal(l->ret, -EINVAL);
	assert_non_null(strstr(l->diag.error,
			       "t.json: this is a dnsmasq configuration"));
	assert_non_null(strstr(l->diag.error,
			       "dhcpxdp leases import --format dnsmasq"));
}

/* Text that is neither still gets the JSON error with its position. */
static void test_other_text_is_a_syntax_error(void **state)
{
	struct loaded *l;

	(void)state;
	l = load("# a note\nsubnet4 = 10.0.0.0/24\n");
	assert_int_equal(l->ret, -EINVAL);
	assert_non_null(strstr(l->diag.error, "line 2, column 1: JSON syntax "
					      "error"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_example_file, teardown),
		cmocka_unit_test_teardown(test_dhcpd_conf_named, teardown),
		cmocka_unit_test_teardown(test_dnsmasq_conf_named, teardown),
		cmocka_unit_test_teardown(test_other_text_is_a_syntax_error,
					  teardown),
		cmocka_unit_test_teardown(test_minimal_example_file, teardown),
		cmocka_unit_test_teardown(test_defaults, teardown),
		cmocka_unit_test_teardown(test_dhcpxdp_settings, teardown),
		cmocka_unit_test_teardown(test_dhcpxdp_setting_errors,
					  teardown),
		cmocka_unit_test_teardown(test_timer_inheritance, teardown),
		cmocka_unit_test_teardown(test_option_inheritance, teardown),
		cmocka_unit_test_teardown(test_comments, teardown),
		cmocka_unit_test_teardown(test_syntax_errors, teardown),
		cmocka_unit_test_teardown(test_missing_file, teardown),
		cmocka_unit_test_teardown(test_pool_start_after_end, teardown),
		cmocka_unit_test_teardown(test_pool_outside_subnet, teardown),
		cmocka_unit_test_teardown(test_pool_overlap, teardown),
		cmocka_unit_test_teardown(test_pool_syntax, teardown),
		cmocka_unit_test_teardown(test_subnet_overlap, teardown),
		cmocka_unit_test_teardown(test_subnet_id, teardown),
		cmocka_unit_test_teardown(test_timer_order, teardown),
		cmocka_unit_test_teardown(test_reachability, teardown),
		cmocka_unit_test_teardown(test_relays, teardown),
		cmocka_unit_test_teardown(test_interfaces, teardown),
		cmocka_unit_test_teardown(test_interfaces_vlan, teardown),
		cmocka_unit_test_teardown(test_reservation_outside_subnet,
					  teardown),
		cmocka_unit_test_teardown(test_reservation_duplicates,
					  teardown),
		cmocka_unit_test_teardown(test_reservation_identifiers,
					  teardown),
		cmocka_unit_test_teardown(test_reservation_circuit_id,
					  teardown),
		cmocka_unit_test_teardown(test_host_reservation_identifiers,
					  teardown),
		cmocka_unit_test_teardown(test_option_data_errors, teardown),
		cmocka_unit_test_teardown(test_option_by_code, teardown),
		cmocka_unit_test_teardown(test_unknown_key_warns, teardown),
		cmocka_unit_test_teardown(test_unsupported_keys, teardown),
		cmocka_unit_test_teardown(test_lease_database_types, teardown),
		cmocka_unit_test_teardown(test_lease_database_postgresql,
					  teardown),
		cmocka_unit_test_teardown(test_lease_database_defaults,
					  teardown),
		cmocka_unit_test_teardown(test_lease_database_errors, teardown),
		cmocka_unit_test_teardown(test_other_top_level_objects,
					  teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
