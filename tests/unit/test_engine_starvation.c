// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The engine's starvation defenses (docs/protocol.md, "Starvation";
 * engine_starve.c, engine_relay_cap.c): short offer holds under pressure,
 * held offers taken over when the pool is dry, declined addresses
 * reclaimed, caps per relay circuit (RFC 3046) and per relay; each at its
 * boundary.
 */
#include "engine_fixture.h"

#define RELAY1 IP(192, 168, 1, 1)
#define RELAY2 IP(192, 168, 1, 2)

/*
 * Subnet 1: direct, 20 addresses, no reservation. Subnet 2: 20 addresses
 * behind two relays. `sv` is the starvation object's members.
 */
#define STARVE_CFG(sv)                                                     \
	"{\"Dhcp4\": {"                                                    \
	" \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"            \
	" \"valid-lifetime\": 3600, \"renew-timer\": 1800,"                \
	" \"rebind-timer\": 3150,"                                         \
	" \"dhcpxdp\": {\"offer-lifetime\": 60,"                           \
	"   \"decline-probation-period\": 600, \"starvation\": {" sv "}}," \
	" \"subnet4\": ["                                                  \
	"  {\"id\": 1, \"subnet\": \"10.0.0.0/24\","                       \
	"   \"pools\": [{\"pool\": \"10.0.0.10 - 10.0.0.29\"}]},"          \
	"  {\"id\": 2, \"subnet\": \"10.1.0.0/24\","                       \
	"   \"pools\": [{\"pool\": \"10.1.0.10 - 10.1.0.29\"}],"           \
	"   \"relay\": {\"ip-addresses\": [\"192.168.1.1\","               \
	"     \"192.168.1.2\"]}}"                                          \
	" ]}}"

static int setup_default(void **state)
{
	*state = fx_new(STARVE_CFG(""));
	return 0;
}

/* 5 % of 20: under pressure only with no address free, so every offer
 * that takes a free address is held the full offer-lifetime. */
static int setup_low_pressure(void **state)
{
	*state = fx_new(STARVE_CFG("\"pressure-free-percent\": 5"));
	return 0;
}

static int setup_reclaim_only(void **state)
{
	*state = fx_new(STARVE_CFG("\"pressure-free-percent\": 0"));
	return 0;
}

static int setup_circuit_cap(void **state)
{
	*state = fx_new(STARVE_CFG("\"max-leases-per-circuit-id\": 2"));
	return 0;
}

static int setup_share_cap(void **state)
{
	*state = fx_new(STARVE_CFG("\"max-relay-share-percent\": 10"));
	return 0;
}

static int setup_off(void **state)
{
	*state = fx_new(STARVE_CFG("\"pressure-free-percent\": 0, "
				   "\"reclaim-declined\": false"));
	return 0;
}

static void lease_n(struct fx *f, uint8_t first, uint8_t n, int64_t now)
{
	for (uint8_t m = first; m < first + n; m++)
		lease(f, m, now);
}

/* ---- short holds under pressure ---- */

/*
 * 10 % of 20 is 2: with 3 or 2 addresses free (exactly at the percent)
 * an offer is held offer-lifetime; with 1 free, pressure-offer-lifetime.
 */
static void test_pressure_boundary(void **state)
{
	struct fx *f = *state;
	uint32_t a18, a19, a20;

	lease_n(f, 1, 17, T0);
	assert_int_equal(stats(f, 0).free, 3);
	a18 = discover(f, 18, T0); /* 3 free */
	a19 = discover(f, 19, T0); /* 2 free: at the percent */
	assert_int_equal(stats(f, 0).offers_pressure, 0);
	a20 = discover(f, 20, T0); /* 1 free: below */
	assert_int_equal(stats(f, 0).offers_pressure, 1);
	assert_true(a18 && a19 && a20);
	/* The short hold ends at T0 + 3; the others at T0 + 60. */
	assert_int_equal(expire(f, T0 + 2, NULL, NULL, NULL, NULL), 0);
	assert_int_equal(expire(f, T0 + 3, NULL, NULL, NULL, NULL), 1);
	assert_true(engine_lease_lookup(f->e, 1, a20,
					&(struct dx_lease_rec){0}) == -ENOENT);
	assert_int_equal(stats(f, 0).free, 1);
	assert_int_equal(expire(f, T0 + 59, NULL, NULL, NULL, NULL), 0);
	assert_int_equal(expire(f, T0 + 60, NULL, NULL, NULL, NULL), 2);
}

/* pressure-free-percent 0: no short hold, no take-over. */
static void test_pressure_off(void **state)
{
	struct fx *f = *state;

	for (uint8_t m = 1; m <= 20; m++)
		assert_int_not_equal(discover(f, m, T0), 0);
	assert_int_equal(stats(f, 0).offers_pressure, 0);
	assert_int_equal(discover(f, 21, T0 + 30), 0);
	assert_int_equal(stats(f, 0).offers_taken_over, 0);
	assert_int_equal(stats(f, 0).pool_exhausted, 1);
}

/* ---- take-over of held offers ---- */

/*
 * A flood: 20 DISCOVERs from made-up chaddrs empty the pool;
 * once they stop, a fresh client has an address within a few seconds,
 * not after offer-lifetime.
 */
static void test_flood_recovers(void **state)
{
	struct fx *f = *state;
	uint32_t a;

	for (uint8_t m = 100; m < 120; m++)
		assert_int_not_equal(discover(f, m, T0), 0);
	assert_int_equal(discover(f, 1, T0), 0);
	assert_int_equal(discover(f, 1, T0 + 2), 0);
	/* The last offer of the flood was made with 1 address free: its
	 * short hold is over at T0 + 3. */
	assert_int_not_equal(discover(f, 1, T0 + 3), 0);
	/* The rest are taken over once older than the short hold. */
	a = discover(f, 2, T0 + 4);
	assert_int_not_equal(a, 0);
	assert_int_equal(select_addr(f, 2, a, T0 + 4), DHCPACK);
}

/*
 * Only an offer made more than pressure-offer-lifetime (3 s) ago is taken
 * over, the oldest first; its client's REQUEST is then NAKed (§4.3.2).
 */
static void test_take_over_oldest_after_short_hold(void **state)
{
	struct fx *f = *state;
	uint32_t a19, a20, a;

	lease_n(f, 1, 18, T0);
	a19 = discover(f, 19, T0);
	a20 = discover(f, 20, T0 + 1);
	assert_int_equal(stats(f, 0).free, 0);
	assert_int_equal(stats(f, 0).offers_pressure, 0);
	/* T0 + 3: the oldest offer is exactly 3 s old, not more. */
	assert_int_equal(discover(f, 21, T0 + 3), 0);
	assert_int_equal(stats(f, 0).offers_taken_over, 0);
	a = discover(f, 21, T0 + 4);
	assert_int_equal(a, a19);
	assert_int_equal(f->res.starve, ENGINE_STARVE_TAKEN_OVER);
	assert_int_equal(f->res.ch.n_ops, 0); /* an offer: nothing to write */
	assert_int_equal(stats(f, 0).offers_taken_over, 1);
	assert_int_equal(stats(f, 0).offers_pressure, 1); /* 0 free */
	assert_int_equal(select_addr(f, 19, a19, T0 + 4), DHCPNAK);
	assert_int_equal(select_addr(f, 21, a19, T0 + 4), DHCPACK);
	/* Client 20's offer is 3 s old at T0 + 4: kept. */
	assert_int_equal(discover(f, 22, T0 + 4), 0);
	assert_int_equal(discover(f, 22, T0 + 5), a20);
	assert_int_equal(select_addr(f, 20, a20, T0 + 5), DHCPNAK);
	assert_int_equal(stats(f, 0).offers_taken_over, 2);
}

/* A retransmitted DISCOVER renews the offer: it is young again. */
static void test_take_over_skips_renewed_offer(void **state)
{
	struct fx *f = *state;
	uint32_t a19, a20;

	lease_n(f, 1, 18, T0);
	a19 = discover(f, 19, T0);
	a20 = discover(f, 20, T0 + 1);
	assert_int_equal(discover(f, 19, T0 + 3), a19);
	assert_int_equal(discover(f, 21, T0 + 5), a20);
	assert_int_equal(select_addr(f, 19, a19, T0 + 5), DHCPACK);
}

/* A lease is never taken over, however old: only held offers are. */
static void test_take_over_never_a_lease(void **state)
{
	struct fx *f = *state;

	lease_n(f, 1, 20, T0);
	assert_int_equal(discover(f, 21, T0 + 100), 0);
	assert_int_equal(stats(f, 0).offers_taken_over, 0);
	assert_int_equal(stats(f, 0).leases_active, 20);
}

/* ---- declined addresses reclaimed ---- */

static void decline(struct fx *f, uint8_t mac, uint32_t a, int64_t now)
{
	struct rq q = {.type = DHCPDECLINE, .mac = mac, .reqip = a, .sid = SID};

	assert_int_equal(run(f, &q, now), ENGINE_SILENT);
}

/*
 * A dry pool offers the address whose probation began first, its
 * DECLINED row deleted with the DISCOVER's changes; then the next.
 */
static void test_reclaim_declined_in_order(void **state)
{
	struct fx *f = *state;
	uint32_t a5, a2;

	lease_n(f, 1, 20, T0);
	a5 = lease(f, 5, T0);
	a2 = lease(f, 2, T0);
	decline(f, 5, a5, T0 + 1);
	decline(f, 2, a2, T0 + 2);
	assert_int_equal(stats(f, 0).declined, 2);
	assert_int_equal(discover(f, 30, T0 + 3), a5);
	assert_int_equal(f->res.starve, ENGINE_STARVE_RECLAIMED);
	assert_int_equal(f->res.ch.n_ops, 1);
	assert_int_equal(f->res.ch.ops[0].kind, DX_LEASE_OP_DELETE);
	assert_int_equal(f->res.ch.ops[0].rec.addr, a5);
	assert_int_equal(stats(f, 0).declined_reclaimed, 1);
	assert_int_equal(select_addr(f, 30, a5, T0 + 3), DHCPACK);
	assert_int_equal(discover(f, 31, T0 + 4), a2);
	assert_int_equal(discover(f, 32, T0 + 5), 0);
	assert_int_equal(stats(f, 0).declined_reclaimed, 2);
	assert_int_equal(stats(f, 0).declined, 0);
}

/* While an address is free, a declined one stays in probation. */
static void test_reclaim_only_when_dry(void **state)
{
	struct fx *f = *state;
	uint32_t a1 = lease(f, 1, T0);

	decline(f, 1, a1, T0);
	for (uint8_t m = 2; m <= 20; m++)
		assert_int_not_equal(discover(f, m, T0 + 1), a1);
	assert_int_equal(stats(f, 0).declined_reclaimed, 0);
	assert_int_equal(discover(f, 21, T0 + 1), a1);
	assert_int_equal(stats(f, 0).declined_reclaimed, 1);
}

/* Under pressure, a held offer old enough goes before a probation. */
static void test_take_over_before_reclaim(void **state)
{
	struct fx *f = *state;
	uint32_t a1 = lease(f, 1, T0), a20;

	decline(f, 1, a1, T0);
	lease_n(f, 2, 18, T0);
	a20 = discover(f, 20, T0);
	assert_int_equal(discover(f, 21, T0 + 4), a20);
	assert_int_equal(stats(f, 0).declined_reclaimed, 0);
	assert_int_equal(discover(f, 22, T0 + 4), a1);
	assert_int_equal(stats(f, 0).declined_reclaimed, 1);
}

/* Both off: the pool stays dry. */
static void test_all_off(void **state)
{
	struct fx *f = *state;
	uint32_t a1 = lease(f, 1, T0);

	decline(f, 1, a1, T0);
	for (uint8_t m = 2; m <= 20; m++)
		assert_int_not_equal(discover(f, m, T0), 0);
	assert_int_equal(discover(f, 21, T0 + 30), 0);
	assert_int_equal(stats(f, 0).offers_pressure, 0);
	assert_int_equal(stats(f, 0).offers_taken_over, 0);
	assert_int_equal(stats(f, 0).declined_reclaimed, 0);
}

/* ---- caps per circuit and per relay (RFC 3046) ---- */

static const uint8_t port1[] = {1, 5, 'p', 'o', 'r', 't', '1'};
static const uint8_t port2[] = {1, 5, 'p', 'o', 'r', 't', '2'};

static struct rq relayed(uint8_t type, uint8_t mac, uint32_t giaddr,
			 const uint8_t *agent, size_t len)
{
	struct rq q = {.type = type,
		       .mac = mac,
		       .giaddr = giaddr,
		       .agent = agent,
		       .agent_len = len};

	return q;
}

/* A relayed client's lease: DISCOVER + SELECTING; the address. */
static uint32_t relayed_lease(struct fx *f, uint8_t mac, uint32_t giaddr,
			      const uint8_t *agent, size_t len, int64_t now)
{
	struct rq q = relayed(DHCPDISCOVER, mac, giaddr, agent, len);

	return lease_as(f, &q, now);
}

static int relayed_discover(struct fx *f, uint8_t mac, uint32_t giaddr,
			    const uint8_t *agent, size_t len, int64_t now)
{
	struct rq q = relayed(DHCPDISCOVER, mac, giaddr, agent, len);

	return run(f, &q, now);
}

/*
 * max-leases-per-circuit-id 2: exactly 2 leases behind one port; the
 * third client there gets no offer and no ACK, the same port id behind
 * another relay and another port are counted apart, a renewal past the
 * cap is ACKed, and a release makes room.
 */
static void test_circuit_cap(void **state)
{
	struct fx *f = *state;
	struct rq q;
	uint32_t a1, a2;

	a1 = relayed_lease(f, 1, RELAY1, port1, sizeof(port1), T0);
	a2 = relayed_lease(f, 2, RELAY1, port1, sizeof(port1), T0);
	assert_int_equal(
		relayed_discover(f, 3, RELAY1, port1, sizeof(port1), T0),
		ENGINE_DROP);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_CAP_CIRCUIT_ID);
	assert_int_equal(engine_drops(f->e, ENGINE_DROP_CAP_CIRCUIT_ID), 1);
	assert_string_equal(engine_drop_reason_name(ENGINE_DROP_CAP_CIRCUIT_ID),
			    "cap-circuit-id");
	/* A REQUEST for a free address without an offer: no ACK either. */
	q = relayed(DHCPREQUEST, 3, RELAY1, port1, sizeof(port1));
	q.reqip = IP(10, 1, 0, 25);
	q.sid = SID;
	assert_int_equal(run(f, &q, T0), ENGINE_DROP);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_CAP_CIRCUIT_ID);
	assert_int_equal(engine_drops(f->e, ENGINE_DROP_CAP_CIRCUIT_ID), 2);
	/* Apart: another port, the same port id behind another relay,
	 * a request without option 82. */
	relayed_lease(f, 4, RELAY1, port2, sizeof(port2), T0);
	relayed_lease(f, 5, RELAY2, port1, sizeof(port1), T0);
	relayed_lease(f, 6, RELAY1, NULL, 0, T0);
	/* Renewal (RENEWING, unicast from the client) past the cap. */
	q = relayed(DHCPREQUEST, 1, RELAY1, port1, sizeof(port1));
	q.ciaddr = a1;
	assert_int_equal(run(f, &q, T0 + 1800), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_int_equal(f->res.reply.yiaddr, a1);
	/* A retransmitted DISCOVER of a client with a lease: offered. */
	assert_int_equal(
		relayed_discover(f, 2, RELAY1, port1, sizeof(port1), T0 + 1800),
		ENGINE_REPLY);
	assert_int_equal(f->res.reply.yiaddr, a2);
	/* Client 2 releases: room for client 3. */
	q = relayed(DHCPRELEASE, 2, RELAY1, port1, sizeof(port1));
	q.ciaddr = a2;
	q.sid = SID;
	assert_int_equal(run(f, &q, T0 + 1801), ENGINE_SILENT);
	relayed_lease(f, 3, RELAY1, port1, sizeof(port1), T0 + 1802);
}

/* Held offers count too, until their hold ends. */
static void test_circuit_cap_counts_offers(void **state)
{
	struct fx *f = *state;

	assert_int_equal(
		relayed_discover(f, 1, RELAY1, port1, sizeof(port1), T0),
		ENGINE_REPLY);
	assert_int_equal(
		relayed_discover(f, 2, RELAY1, port1, sizeof(port1), T0),
		ENGINE_REPLY);
	assert_int_equal(
		relayed_discover(f, 3, RELAY1, port1, sizeof(port1), T0 + 59),
		ENGINE_DROP);
	assert_int_equal(
		relayed_discover(f, 3, RELAY1, port1, sizeof(port1), T0 + 60),
		ENGINE_REPLY);
}

/*
 * max-relay-share-percent 10 of 20 addresses: exactly 2 entries through
 * one relay; the third is refused, through the other relay it is not.
 */
static void test_relay_share_cap(void **state)
{
	struct fx *f = *state;
	uint32_t a1;
	struct rq q;

	a1 = relayed_lease(f, 1, RELAY1, NULL, 0, T0);
	assert_int_equal(relayed_discover(f, 2, RELAY1, NULL, 0, T0),
			 ENGINE_REPLY);
	assert_int_equal(relayed_discover(f, 3, RELAY1, NULL, 0, T0),
			 ENGINE_DROP);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_CAP_RELAY_SHARE);
	assert_int_equal(engine_drops(f->e, ENGINE_DROP_CAP_RELAY_SHARE), 1);
	assert_int_equal(relayed_discover(f, 3, RELAY2, NULL, 0, T0),
			 ENGINE_REPLY);
	/* The renewal of a lease is never refused. */
	q = relayed(DHCPREQUEST, 1, RELAY1, NULL, 0);
	q.ciaddr = a1;
	assert_int_equal(run(f, &q, T0 + 1800), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	/* Client 2's offer turns into its lease: no new entry. */
	q = relayed(DHCPDISCOVER, 2, RELAY1, NULL, 0);
	assert_int_equal(run(f, &q, T0 + 1), ENGINE_REPLY);
	q.type = DHCPREQUEST;
	q.reqip = f->res.reply.yiaddr;
	q.sid = SID;
	assert_int_equal(run(f, &q, T0 + 1), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
}

/*
 * The counts are not stored with the rows: a lease loaded at start-up
 * (a restart, a reload) counts again once its client renews through the
 * relay - a renewal that is ACKed past the cap, as any renewal.
 */
static void test_circuit_cap_after_restart(void **state)
{
	struct fx *f = *state;
	struct dx_lease_rec rec = {.subnet_id = 2,
				   .addr = IP(10, 1, 0, 20),
				   .mac = {2, 0, 0, 0, 0, 9},
				   .state = DX_LEASE_ACTIVE,
				   .expires = T0 + 3600,
				   .horizon = T0 + 7200,
				   .last_seen = T0};
	struct rq q;

	assert_int_equal(engine_load_lease(f->e, &rec, T0, NULL), 0);
	relayed_lease(f, 1, RELAY1, port1, sizeof(port1), T0);
	relayed_lease(f, 2, RELAY1, port1, sizeof(port1), T0);
	/* Client 9 renews through the same port: ACKed, and counted. */
	q = relayed(DHCPREQUEST, 9, RELAY1, port1, sizeof(port1));
	q.ciaddr = rec.addr;
	assert_int_equal(run(f, &q, T0 + 10), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	/* Client 2 releases: 2 left counted (1 and 9), still no room. */
	q = relayed(DHCPRELEASE, 2, RELAY1, port1, sizeof(port1));
	q.ciaddr = IP(10, 1, 0, 11);
	q.sid = SID;
	assert_int_equal(run(f, &q, T0 + 11), ENGINE_SILENT);
	assert_int_equal(
		relayed_discover(f, 3, RELAY1, port1, sizeof(port1), T0 + 12),
		ENGINE_DROP);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_CAP_CIRCUIT_ID);
}

/*
 * A reload builds a new engine from the rows, which do not say which
 * relay or port a lease came through: engine_carry_relay_counts() keeps
 * the counts; without it (a restart) they start again from zero.
 */
static void test_circuit_cap_carried_over_reload(void **state)
{
	struct fx *f = *state;
	struct engine *next;
	struct rq q = relayed(DHCPDISCOVER, 3, RELAY1, port1, sizeof(port1));
	uint32_t a[2];

	a[0] = relayed_lease(f, 1, RELAY1, port1, sizeof(port1), T0);
	a[1] = relayed_lease(f, 2, RELAY1, port1, sizeof(port1), T0);
	for (int carry = 0; carry < 2; carry++) {
		assert_int_equal(engine_new(f->cfg, &next), 0);
		for (int i = 0; i < 2; i++) {
			struct dx_lease_rec rec;

			assert_int_equal(
				engine_lease_lookup(f->e, 2, a[i], &rec), 0);
			assert_int_equal(
				engine_load_lease(next, &rec, T0, NULL), 0);
		}
		if (carry)
			engine_carry_relay_counts(next, f->e);
		build(f, &q);
		assert_int_equal(
			engine_handle(next, f->m, &f->rx, T0 + 1, &f->res), 0);
		/* Restart: counted from zero; reload: still at the cap. */
		assert_int_equal(f->res.action,
				 carry ? ENGINE_DROP : ENGINE_REPLY);
		engine_free(next);
	}
}

int main(void)
{
#define T(fn, set) cmocka_unit_test_setup_teardown(fn, set, teardown)
	const struct CMUnitTest tests[] = {
		T(test_pressure_boundary, setup_default),
		T(test_pressure_off, setup_off),
		T(test_flood_recovers, setup_default),
		T(test_take_over_oldest_after_short_hold, setup_low_pressure),
		T(test_take_over_skips_renewed_offer, setup_low_pressure),
		T(test_take_over_never_a_lease, setup_default),
		T(test_reclaim_declined_in_order, setup_reclaim_only),
		T(test_reclaim_only_when_dry, setup_reclaim_only),
		T(test_take_over_before_reclaim, setup_low_pressure),
		T(test_all_off, setup_off),
		T(test_circuit_cap, setup_circuit_cap),
		T(test_circuit_cap_counts_offers, setup_circuit_cap),
		T(test_circuit_cap_after_restart, setup_circuit_cap),
		T(test_circuit_cap_carried_over_reload, setup_circuit_cap),
		T(test_relay_share_cap, setup_share_cap),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
