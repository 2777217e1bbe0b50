// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The host name a lease keeps (engine/client_name.c), as Kea makes it:
 * the client's option 12 sanitized by hostname-char-set and
 * hostname-char-replacement, lower-cased, qualified by
 * ddns-qualifying-suffix when it is a single label; replaced or generated
 * ([ddns-generated-prefix]-[a-b-c-d].[suffix]) as ddns-replace-client-name
 * says; a reservation's hostname qualified in option 12.
 */
#include "engine_fixture.h"

#define NAMES_CFG(names, res)                                     \
	"{\"Dhcp4\": {"                                           \
	" \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"   \
	" \"valid-lifetime\": 3600, " names                       \
	" \"subnet4\": [{\"id\": 1, \"subnet\": \"10.0.0.0/24\"," \
	"   \"pools\": [{\"pool\": \"10.0.0.10 - 10.0.0.19\"}]" res "}]}}"

/* The host name of the ACTIVE row the last ACK of address a wrote. */
static const char *row_name(struct fx *f, uint32_t a)
{
	for (size_t i = 0; i < f->res.ch.n_ops; i++) {
		const struct dx_lease_op *op = &f->res.ch.ops[i];

		if (op->kind == DX_LEASE_OP_UPSERT && op->rec.addr == a &&
		    op->rec.state == DX_LEASE_ACTIVE)
			return op->rec.hostname;
	}
	fail_msg("no ACTIVE row for the address");
	return NULL;
}

/* A lease for client mac sending host (NULL: no option 12) on an engine
 * configured by json; the row's host name. */
static const char *name_for(struct fx **fp, const char *json, uint8_t mac,
			    const char *host)
{
	struct rq q = {.mac = mac, .host = host};
	struct fx *f = fx_new(json);
	uint32_t a;

	*fp = f;
	a = lease_as(f, &q, T0);
	return row_name(f, a);
}

static int teardown_fx(void **state)
{
	return teardown(state);
}

#define EXPECT_NAME(json, mac, host, want)                                 \
	do {                                                               \
		struct fx *f_;                                             \
		assert_string_equal(name_for(&f_, json, mac, host), want); \
		*state = f_;                                               \
		teardown_fx(state);                                        \
	} while (0)

/* Kea's default char set "[^A-Za-z0-9.-]" with "" removes the rest. */
static void test_default_sanitizing(void **state)
{
	EXPECT_NAME(NAMES_CFG("", ""), 1, "My_Host!", "myhost");
	EXPECT_NAME(NAMES_CFG("", ""), 1, "  laptop-7.lan  ", "laptop-7.lan");
}

/* The ARM's example: "myhost-$[123.org" becomes "myhost-xx123.org". */
static void test_char_set_replacement(void **state)
{
	EXPECT_NAME(NAMES_CFG("\"hostname-char-set\": \"[^A-Za-z0-9.-]\", "
			      "\"hostname-char-replacement\": \"x\",",
			      ""),
		    1, "myhost-$[123.org", "myhost-xx123.org");
	/* A match of several characters is replaced once. */
	EXPECT_NAME(NAMES_CFG("\"hostname-char-set\": \"[_ ]+\", "
			      "\"hostname-char-replacement\": \"-\",",
			      ""),
		    1, "a__b  c", "a-b-c");
	/* "" sanitizes nothing (still lower-cased, as Kea). */
	EXPECT_NAME(NAMES_CFG("\"hostname-char-set\": \"\",", ""), 1,
		    "Odd_Name", "odd_name");
}

/* Nothing left after sanitizing: as if no name was sent (Kea 3.1.3). */
static void test_sanitized_to_nothing(void **state)
{
	EXPECT_NAME(NAMES_CFG("", ""), 1, "$$$", "");
	EXPECT_NAME(NAMES_CFG("\"ddns-replace-client-name\": "
			      "\"when-not-present\",",
			      ""),
		    1, "$$$", "myhost-10-0-0-10");
}

/* A single label gets the suffix; a name with dots is kept as sent. */
static void test_qualifying_suffix(void **state)
{
	const char *cfg = NAMES_CFG("\"ddns-qualifying-suffix\": "
				    "\"example.org.\",",
				    "");

	EXPECT_NAME(cfg, 1, "Box", "box.example.org");
	EXPECT_NAME(cfg, 1, "box.lab", "box.lab");
	EXPECT_NAME(cfg, 1, "box.", "box");
	EXPECT_NAME(cfg, 1, "box.example.org", "box.example.org");
}

/* The name kept when the client sends "pc", and when it sends none. */
static void expect_mode(void **state, const char *mode_keys,
			const char *want_sent, const char *want_none)
{
	char cfg[1024];

	snprintf(cfg, sizeof(cfg),
		 NAMES_CFG("%s \"ddns-qualifying-suffix\": \"ex.org\",", ""),
		 mode_keys);
	EXPECT_NAME(cfg, 1, "pc", want_sent);
	EXPECT_NAME(cfg, 1, NULL, want_none);
}

static void test_replace_never(void **state)
{
	expect_mode(state, "\"ddns-replace-client-name\": \"never\",",
		    "pc.ex.org", "");
}

static void test_replace_always(void **state)
{
	expect_mode(state,
		    "\"ddns-replace-client-name\": \"always\", "
		    "\"ddns-generated-prefix\": \"dyn\",",
		    "dyn-10-0-0-10.ex.org", "dyn-10-0-0-10.ex.org");
}

static void test_replace_when_present(void **state)
{
	expect_mode(state, "\"ddns-replace-client-name\": \"when-present\",",
		    "myhost-10-0-0-10.ex.org", "");
}

static void test_replace_when_not_present(void **state)
{
	expect_mode(state,
		    "\"ddns-replace-client-name\": \"when-not-present\", "
		    "\"ddns-generated-prefix\": \"gen\",",
		    "pc.ex.org", "gen-10-0-0-10.ex.org");
	/* Kea replaces a bare root name whatever the mode. */
	EXPECT_NAME(NAMES_CFG("", ""), 1, ".", "myhost-10-0-0-10");
}

/* A name longer than the lease keeps (option 12 split, RFC 3396) is cut
 * to 255 bytes, not overrun. */
static void test_long_name_cut(void **state)
{
	static char host[400];
	struct rq q = {.mac = 1};
	struct fx *f = fx_new(NAMES_CFG("", ""));
	uint32_t a = discover(f, 1, T0);

	*state = f;
	memset(host, 'a', sizeof(host));
	host[10] = '_';
	q.type = DHCPREQUEST;
	q.reqip = a;
	q.sid = SID;
	build(f, &q);
	f->m->hostname = (const uint8_t *)host;
	f->m->hostname_len = sizeof(host);
	assert_int_equal(engine_handle(f->e, f->m, &f->rx, T0, &f->res), 0);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	/* 255 bytes taken, the '_' removed. */
	assert_int_equal(strlen(row_name(f, a)), 254);
	teardown_fx(state);
}

/* A renewal without option 12 keeps the name the lease has. */
static void test_renewal_keeps_name(void **state)
{
	struct rq q = {.mac = 1, .host = "first"};
	struct fx *f = fx_new(NAMES_CFG("", ""));
	uint32_t a;

	*state = f;
	a = lease_as(f, &q, T0);
	q.host = NULL;
	q.sid = 0;
	q.reqip = 0;
	q.ciaddr = a;
	assert_int_equal(run(f, &q, T0 + 10), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_string_equal(row_name(f, a), "first");
	q.host = "Second_One";
	assert_int_equal(run(f, &q, T0 + 20), ENGINE_REPLY);
	assert_string_equal(row_name(f, a), "secondone");
	teardown_fx(state);
}

/* Kea qualifies a reservation's hostname in the option 12 it sends;
 * the subnet's options are left as they were. */
static void test_reservation_hostname_qualified(void **state)
{
	struct fx *f = fx_new(NAMES_CFG(
		"\"ddns-qualifying-suffix\": \"ex.org\",",
		", \"reservations\": [{\"hw-address\": "
		"\"02:00:00:00:00:a1\", \"ip-address\": \"10.0.0.5\", "
		"\"hostname\": \"Printer\"}]"));
	const struct dhcp_opt *o;

	*state = f;
	discover(f, 0xa1, T0);
	o = find_opt(&f->res.reply, DHCP_OPT_HOST_NAME);
	assert_non_null(o);
	assert_int_equal(o->len, strlen("printer.ex.org"));
	assert_memory_equal(o->data, "printer.ex.org", o->len);
	/* A dynamic client gets no option 12: the XDP renewal would not
	 * carry one either (docs/design.md §8). */
	discover(f, 1, T0);
	assert_null(find_opt(&f->res.reply, DHCP_OPT_HOST_NAME));
	teardown_fx(state);
}

/* A reservation without an address: the lease keeps its hostname, not
 * the name the client sent (Kea: a reserved hostname takes precedence). */
static void test_reservation_hostname_in_lease(void **state)
{
	struct fx *f = fx_new(NAMES_CFG(
		"\"ddns-qualifying-suffix\": \"ex.org\",",
		", \"reservations\": [{\"hw-address\": "
		"\"02:00:00:00:00:b1\", \"hostname\": \"Scanner\"}]"));
	struct rq q = {.mac = 0xb1, .host = "mine"};
	uint32_t a;

	*state = f;
	a = lease_as(f, &q, T0);
	assert_string_equal(row_name(f, a), "scanner.ex.org");
	teardown_fx(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_sanitizing),
		cmocka_unit_test(test_char_set_replacement),
		cmocka_unit_test(test_sanitized_to_nothing),
		cmocka_unit_test(test_qualifying_suffix),
		cmocka_unit_test(test_replace_never),
		cmocka_unit_test(test_replace_always),
		cmocka_unit_test(test_replace_when_present),
		cmocka_unit_test(test_replace_when_not_present),
		cmocka_unit_test(test_long_name_cut),
		cmocka_unit_test(test_renewal_keeps_name),
		cmocka_unit_test(test_reservation_hostname_qualified),
		cmocka_unit_test(test_reservation_hostname_in_lease),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
