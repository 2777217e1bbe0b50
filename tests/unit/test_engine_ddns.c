// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * DNS updates decided by the engine (engine/engine_ddns.c): the name
 * change requests a grant, a renewal, a release, a decline and an expiry
 * produce, the RRs each asks for from option 81's flags (RFC 4702 §4,
 * Kea's overrides) or option 12, and the option 81 or 12 a reply carries.
 */
#include "engine_fixture.h"
#include "wire/client_fqdn.h"

#define DDNS_CFG(global, subnet)                                          \
	"{\"Dhcp4\": {"                                                   \
	" \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"           \
	" \"valid-lifetime\": 3600,"                                      \
	" \"dhcp-ddns\": {\"enable-updates\": true},"                     \
	" \"ddns-qualifying-suffix\": \"example.org\", " global           \
	" \"dhcpxdp\": {\"decline-probation-period\": 600},"              \
	" \"subnet4\": [{\"id\": 1, \"subnet\": \"10.0.0.0/24\", " subnet \
	"   \"pools\": [{\"pool\": \"10.0.0.10 - 10.0.0.19\"}]}]}}"

/* "host1.example.test." in wire format, after the three fixed bytes. */
#define HOST1_WIRE                                                           \
	5, 'h', 'o', 's', 't', '1', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 4, \
		't', 'e', 's', 't', 0

static int teardown_fx(void **state)
{
	return teardown(state);
}

static void test_hostname_grant_adds_both(void **state)
{
	struct rq q = {.mac = 1, .host = "pc"};
	struct fx *f = fx_new(DDNS_CFG("", ""));
	const struct engine_ncr *n;
	const struct dhcp_opt *o;
	uint8_t hw[7] = {1, 2, 0, 0, 0, 0, 1}, dhcid[DHCID_LEN];
	uint32_t a;

	*state = f;
	a = lease_as(f, &q, T0);
	assert_int_equal(f->res.ch.n_ncr, 1);
	n = &f->res.ch.ncr[0];
	assert_int_equal(n->kind, ENGINE_NCR_ADD);
	assert_true(n->fwd && n->rev);
	assert_string_equal(n->fqdn, "pc.example.org.");
	assert_int_equal(n->addr, a);
	assert_int_equal(n->expires, T0 + 3600);
	/* RFC 4702 §5 via Kea: a third of the lease, 10 minutes at least */
	assert_int_equal(n->ttl, 1200);
	/* No client-id: the hardware type and chaddr (RFC 4701 §3.3). */
	assert_int_equal(dhcid_compute(DHCID_ID_HWADDR, hw, sizeof(hw),
				       "pc.example.org", dhcid),
			 0);
	assert_memory_equal(n->dhcid, dhcid, DHCID_LEN);
	/* The ACK says the name the server uses. */
	o = find_opt(&f->res.reply, DHCP_OPT_HOST_NAME);
	assert_non_null(o);
	assert_int_equal(o->len, strlen("pc.example.org"));
	assert_memory_equal(o->data, "pc.example.org", o->len);
	/* The lease row remembers both updates for its end. */
	assert_int_equal(f->res.ch.ops[0].rec.flags &
				 (DX_LEASE_F_DNS_FWD | DX_LEASE_F_DNS_REV),
			 DX_LEASE_F_DNS_FWD | DX_LEASE_F_DNS_REV);
}

/* One lease with option 81 (flags); the ACK's NCR count and option 81. */
static const struct engine_ncr *fqdn_lease(struct fx *f, uint8_t flags,
					   const uint8_t **reply81)
{
	uint8_t v[] = {flags, 0, 0, HOST1_WIRE};
	struct rq q = {.mac = 2, .fqdn = v, .fqdn_len = sizeof(v)};
	const struct dhcp_opt *o;

	lease_as(f, &q, T0);
	o = find_opt(&f->res.reply, DHCP_OPT_FQDN);
	assert_non_null(o);
	*reply81 = o->data;
	return f->res.ch.n_ncr ? &f->res.ch.ncr[0] : NULL;
}

static void test_fqdn_s_flag(void **state)
{
	struct fx *f = fx_new(DDNS_CFG("", ""));
	const struct engine_ncr *n;
	const uint8_t *r;
	static const uint8_t name[] = {HOST1_WIRE};

	*state = f;
	n = fqdn_lease(f, FQDN_F_E | FQDN_F_S, &r);
	assert_non_null(n);
	assert_true(n->fwd && n->rev);
	/* A full name is not qualified. */
	assert_string_equal(n->fqdn, "host1.example.test.");
	assert_int_equal(r[0], FQDN_F_E | FQDN_F_S);
	assert_int_equal(r[1], 255);
	assert_int_equal(r[2], 255);
	assert_memory_equal(r + 3, name, sizeof(name));
}

/* S=0: the client updates its A RR, the server only the PTR. */
static void test_fqdn_client_does_forward(void **state)
{
	struct fx *f = fx_new(DDNS_CFG("", ""));
	const struct engine_ncr *n;
	const uint8_t *r;

	*state = f;
	n = fqdn_lease(f, FQDN_F_E, &r);
	assert_non_null(n);
	assert_false(n->fwd);
	assert_true(n->rev);
	assert_int_equal(r[0], FQDN_F_E);
}

/* N=1: no update at all; ddns-override-no-update does both anyway. */
static void test_fqdn_no_update_and_override(void **state)
{
	struct fx *f = fx_new(DDNS_CFG("", ""));
	const struct engine_ncr *n;
	const uint8_t *r;

	*state = f;
	n = fqdn_lease(f, FQDN_F_E | FQDN_F_N, &r);
	assert_null(n);
	assert_int_equal(r[0], FQDN_F_E | FQDN_F_N);
	teardown_fx(state);
	f = fx_new(DDNS_CFG("\"ddns-override-no-update\": true,", ""));
	*state = f;
	n = fqdn_lease(f, FQDN_F_E | FQDN_F_N, &r);
	assert_non_null(n);
	assert_true(n->fwd && n->rev);
	assert_int_equal(r[0], FQDN_F_E | FQDN_F_S | FQDN_F_O);
}

/* A renewal with the same name: nothing, unless ddns-update-on-renew. */
static void test_renewal(void **state)
{
	struct rq q = {.mac = 1, .host = "pc"};
	struct fx *f = fx_new(DDNS_CFG("", ""));
	uint32_t a;

	*state = f;
	a = lease_as(f, &q, T0);
	q.type = DHCPREQUEST;
	q.sid = 0;
	q.reqip = 0;
	q.ciaddr = a;
	assert_int_equal(run(f, &q, T0 + 1800), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.ch.n_ncr, 0);
	/* Another name: the old one's RRs go, the new one's come. */
	q.host = "laptop";
	assert_int_equal(run(f, &q, T0 + 1900), ENGINE_REPLY);
	assert_int_equal(f->res.ch.n_ncr, 2);
	assert_int_equal(f->res.ch.ncr[0].kind, ENGINE_NCR_REMOVE);
	assert_string_equal(f->res.ch.ncr[0].fqdn, "pc.example.org.");
	assert_int_equal(f->res.ch.ncr[1].kind, ENGINE_NCR_ADD);
	assert_string_equal(f->res.ch.ncr[1].fqdn, "laptop.example.org.");
	teardown_fx(state);

	f = fx_new(DDNS_CFG("", "\"ddns-update-on-renew\": true,"));
	*state = f;
	q = (struct rq){.mac = 1, .host = "pc"};
	a = lease_as(f, &q, T0);
	q = (struct rq){
		.type = DHCPREQUEST, .mac = 1, .host = "pc", .ciaddr = a};
	assert_int_equal(run(f, &q, T0 + 1800), ENGINE_REPLY);
	assert_int_equal(f->res.ch.n_ncr, 1);
	assert_int_equal(f->res.ch.ncr[0].kind, ENGINE_NCR_ADD);
	assert_int_equal(f->res.ch.ncr[0].expires, T0 + 1800 + 3600);
}

static void test_release_removes(void **state)
{
	static const uint8_t cid[] = {1, 2, 0, 0, 0, 0, 1};
	struct rq q = {
		.mac = 1, .host = "pc", .cid = cid, .cid_len = sizeof(cid)};
	struct fx *f = fx_new(DDNS_CFG("", ""));
	uint8_t added[DHCID_LEN], dhcid[DHCID_LEN];
	uint32_t a;

	*state = f;
	a = lease_as(f, &q, T0);
	memcpy(added, f->res.ch.ncr[0].dhcid, DHCID_LEN);
	/* With a client-id, the DHCID is of the client-id (type 1). */
	assert_int_equal(dhcid_compute(DHCID_ID_CLIENTID, cid, sizeof(cid),
				       "pc.example.org", dhcid),
			 0);
	assert_memory_equal(added, dhcid, DHCID_LEN);
	q = (struct rq){.type = DHCPRELEASE,
			.mac = 1,
			.ciaddr = a,
			.sid = SID,
			.cid = cid,
			.cid_len = sizeof(cid)};
	assert_int_equal(run(f, &q, T0 + 10), ENGINE_SILENT);
	assert_int_equal(f->res.ch.n_ncr, 1);
	assert_int_equal(f->res.ch.ncr[0].kind, ENGINE_NCR_REMOVE);
	assert_true(f->res.ch.ncr[0].fwd && f->res.ch.ncr[0].rev);
	assert_string_equal(f->res.ch.ncr[0].fqdn, "pc.example.org.");
	assert_memory_equal(f->res.ch.ncr[0].dhcid, added, DHCID_LEN);
	/* Nothing left to remove: the row no longer asks for it. */
	assert_int_equal(f->res.ch.ops[0].rec.flags &
				 (DX_LEASE_F_DNS_FWD | DX_LEASE_F_DNS_REV),
			 0);
}

static void test_decline_removes(void **state)
{
	struct rq q = {.mac = 1, .host = "pc"};
	struct fx *f = fx_new(DDNS_CFG("", ""));
	uint32_t a;

	*state = f;
	a = lease_as(f, &q, T0);
	q = (struct rq){.type = DHCPDECLINE, .mac = 1, .reqip = a, .sid = SID};
	assert_int_equal(run(f, &q, T0 + 10), ENGINE_SILENT);
	assert_int_equal(f->res.ch.n_ncr, 1);
	assert_int_equal(f->res.ch.ncr[0].kind, ENGINE_NCR_REMOVE);
	assert_string_equal(f->res.ch.ncr[0].fqdn, "pc.example.org.");
}

static void test_expiry_removes(void **state)
{
	struct rq q = {.mac = 1, .host = "pc"};
	struct fx *f = fx_new(DDNS_CFG("", ""));
	struct dx_lease_op ops[8];
	struct engine_map_op map[8];
	struct engine_ncr ncr[8];
	struct engine_batch b = {.ops = ops, .map = map, .cap = 8, .ncr = ncr};
	uint32_t a;

	*state = f;
	a = lease_as(f, &q, T0);
	/* Past the horizon (2 x the lease): reclaimed without the map. */
	assert_true(engine_expire(f->e, T0 + 4 * 3600, NULL, &b) > 0);
	assert_int_equal(b.n_ncr, 1);
	assert_int_equal(ncr[0].kind, ENGINE_NCR_REMOVE);
	assert_int_equal(ncr[0].addr, a);
	assert_string_equal(ncr[0].fqdn, "pc.example.org.");
}

/* Without dhcp-ddns, or with ddns-send-updates false: no request, and
 * no option added to the reply. */
static void test_off(void **state)
{
	struct rq q = {.mac = 1, .host = "pc"};
	struct fx *f = fx_new(DDNS_CFG("", "\"ddns-send-updates\": false,"));

	*state = f;
	lease_as(f, &q, T0);
	assert_int_equal(f->res.ch.n_ncr, 0);
	teardown_fx(state);
	f = fx_new("{\"Dhcp4\": {"
		   " \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"
		   " \"subnet4\": [{\"id\": 1, \"subnet\": \"10.0.0.0/24\","
		   "   \"pools\": [{\"pool\": \"10.0.0.10 - 10.0.0.19\"}]}]}}");
	*state = f;
	q = (struct rq){.mac = 1, .host = "pc"};
	lease_as(f, &q, T0);
	assert_int_equal(f->res.ch.n_ncr, 0);
	assert_null(find_opt(&f->res.reply, DHCP_OPT_HOST_NAME));
}

/* A partial name in the deprecated ASCII encoding gets the suffix, and
 * the OFFER already answers in the client's encoding (RFC 4702 §4). */
static void test_fqdn_partial_ascii(void **state)
{
	static const uint8_t v[] = {FQDN_F_S, 0, 0, 'p', 'c', '9'};
	struct rq q = {.type = DHCPDISCOVER,
		       .mac = 3,
		       .fqdn = v,
		       .fqdn_len = sizeof(v)};
	struct fx *f = fx_new(DDNS_CFG("", ""));
	const struct dhcp_opt *o;

	*state = f;
	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPOFFER);
	assert_int_equal(f->res.ch.n_ncr, 0); /* an offer promises nothing */
	o = find_opt(&f->res.reply, DHCP_OPT_FQDN);
	assert_non_null(o);
	assert_int_equal(o->len, 3 + strlen("pc9.example.org."));
	assert_memory_equal(o->data, "\x01\xff\xffpc9.example.org.", o->len);
	q = (struct rq){.mac = 3, .fqdn = v, .fqdn_len = sizeof(v)};
	lease_as(f, &q, T0);
	assert_string_equal(f->res.ch.ncr[0].fqdn, "pc9.example.org.");
}

/* The row keeps the updates asked for: a daemon restarted on the
 * database removes, at the lease's expiry, what the earlier one added. */
static void test_loaded_lease_expiry_removes(void **state)
{
	struct fx *f = fx_new(DDNS_CFG("", ""));
	struct dx_lease_rec rec = {
		.subnet_id = 1,
		.addr = IP(10, 0, 0, 15),
		.mac = {2, 0, 0, 0, 0, 9},
		.state = DX_LEASE_ACTIVE,
		.flags = DX_LEASE_F_DNS_REV,
		.hostname = "old.example.org",
		.expires = T0 + 100,
		.horizon = T0 + 200,
		.last_seen = T0,
	};
	struct dx_lease_op ops[8];
	struct engine_map_op map[8];
	struct engine_ncr ncr[8];
	struct engine_batch b = {.ops = ops, .map = map, .cap = 8, .ncr = ncr};

	*state = f;
	assert_int_equal(engine_load_lease(f->e, &rec, T0, NULL), 0);
	assert_true(engine_expire(f->e, T0 + 300, NULL, &b) > 0);
	assert_int_equal(b.n_ncr, 1);
	assert_int_equal(ncr[0].kind, ENGINE_NCR_REMOVE);
	assert_false(ncr[0].fwd);
	assert_true(ncr[0].rev);
	assert_string_equal(ncr[0].fqdn, "old.example.org.");
	assert_int_equal(ncr[0].addr, IP(10, 0, 0, 15));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_hostname_grant_adds_both,
					  teardown_fx),
		cmocka_unit_test_teardown(test_fqdn_s_flag, teardown_fx),
		cmocka_unit_test_teardown(test_fqdn_client_does_forward,
					  teardown_fx),
		cmocka_unit_test_teardown(test_fqdn_no_update_and_override,
					  teardown_fx),
		cmocka_unit_test_teardown(test_renewal, teardown_fx),
		cmocka_unit_test_teardown(test_release_removes, teardown_fx),
		cmocka_unit_test_teardown(test_decline_removes, teardown_fx),
		cmocka_unit_test_teardown(test_expiry_removes, teardown_fx),
		cmocka_unit_test_teardown(test_off, teardown_fx),
		cmocka_unit_test_teardown(test_fqdn_partial_ascii, teardown_fx),
		cmocka_unit_test_teardown(test_loaded_lease_expiry_removes,
					  teardown_fx),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
