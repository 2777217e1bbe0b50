// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * dx_addrs, the dynamic leases by address (abi.h), kept by the daemon's
 * own code in step with dx_leases: XDP renews from it, and never renews
 * an address there that the client no longer holds - released, moved to
 * another address, given to another client, replaced by a reservation.
 * A reload that changes a subnet's pools moves its window and carries
 * the entries over with the expiries XDP wrote (and the bound of a
 * renewal racing the move); a window new at a reload takes its leases
 * from dx_leases; a subnet removed leaves
 * nothing behind. The CLI's reader finds the same windows in the pins.
 */
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include "kernel/addr_window.h"
#include "kernel/lease_view.h"
#include "kernel/map_addrs.h"
#include "map_sync_fixture.h"

#define SEC_NS 1000000000ULL

/* Subnet 42's pool grown to .150, subnet 43 gone. */
static const char *cfg_grown =
	"{ \"Dhcp4\": {"
	"  \"interfaces-config\": { \"interfaces\": [ \"dxs0\" ] },"
	"  \"valid-lifetime\": 600,"
	"  \"subnet4\": ["
	"   { \"id\": 42, \"subnet\": \"10.9.0.0/24\", \"interface\": \"dxs0\","
	"     \"pools\": [ { \"pool\": \"10.9.0.10 - 10.9.0.150\" } ],"
	"     \"option-data\": ["
	"       { \"name\": \"routers\", \"data\": \"10.9.0.1\" },"
	"       { \"name\": \"domain-name-servers\","
	"         \"data\": \"10.9.0.2, 10.9.0.3\" },"
	"       { \"name\": \"domain-name\", \"data\": \"lab.example\" } ] }"
	" ] } }";

/* Subnet 42 without pools: no window. */
static const char *cfg_no_pools =
	"{ \"Dhcp4\": {"
	"  \"interfaces-config\": { \"interfaces\": [ \"dxs0\" ] },"
	"  \"valid-lifetime\": 600,"
	"  \"subnet4\": ["
	"   { \"id\": 42, \"subnet\": \"10.9.0.0/24\", \"interface\": \"dxs0\","
	"     \"option-data\": ["
	"       { \"name\": \"routers\", \"data\": \"10.9.0.1\" } ] }"
	" ] } }";

static void client_mac(uint8_t n, uint8_t mac[6])
{
	const uint8_t m[6] = {0x02, 0x55, 0, 0, 0, n};

	memcpy(mac, m, 6);
}

static struct engine_map_op lease_op(int kind, uint8_t n, uint32_t subnet,
				     uint32_t addr)
{
	int64_t now = time(NULL);
	struct engine_map_op op = {.kind = kind,
				   .subnet_id = subnet,
				   .addr = addr,
				   .flags = DX_LEASE_F_DYNAMIC,
				   .expires = now + 300,
				   .horizon = now + 1200};

	client_mac(n, op.mac);
	return op;
}

static void apply(struct engine_map_op *ops, size_t n)
{
	assert_int_equal(
		map_apply_lease_ops(&obj, ops, n, time(NULL), boottime_ns()),
		0);
}

/* XDP's verdict on client n RENEWING addr on subnet 42's link. */
static int renew(uint8_t n, uint32_t addr)
{
	uint8_t in[FRAME_MAX], out[2048], mac[6];
	size_t out_len = sizeof(out);
	int ret;

	client_mac(n, mac);
	ret = run_on_dxs0(in, renewing_frame(mac, 77, addr, in, sizeof(in)),
			  out, &out_len);
	if (ret == XDP_TX)
		check_reply(out, out_len, DHCPACK, addr);
	return ret;
}

/* The dx_addrs entry at subnet's index of addr (zeroed: none there). */
static void addr_entry(uint32_t subnet, uint32_t addr, struct dx_addr_lease *e)
{
	uint32_t idx;

	assert_true(addr_windows_index(obj.windows, subnet, addr, &idx));
	assert_int_equal(bpf_map_lookup_elem(obj.addrs_fd, &idx, e), 0);
}

static bool holds(uint32_t subnet, uint32_t addr, uint8_t n)
{
	struct dx_addr_lease e;
	uint8_t mac[6];

	client_mac(n, mac);
	addr_entry(subnet, addr, &e);
	return e.subnet_id == subnet && ntohl(e.lease.addr) == addr &&
	       !memcmp(e.mac, mac, 6);
}

static bool is_free(uint32_t subnet, uint32_t addr)
{
	struct dx_addr_lease e;

	addr_entry(subnet, addr, &e);
	return !e.subnet_id && !e.lease.addr;
}

/* The window subnet 42's map entry names. */
static struct dx_addr_window subnet_window(uint32_t id)
{
	uint32_t slot = map_slot_of(&slots, id);
	struct dx_subnet sn;

	assert_int_not_equal(slot, DX_SUBNET_SLOT_NONE);
	assert_int_equal(bpf_map_lookup_elem(obj.subnets_fd, &slot, &sn), 0);
	return sn.win;
}

/* Sync the maps to `json` (a reload). */
static void reload(const char *json)
{
	struct dx_config *next;
	struct engine *next_eng;

	sync_next_cfg(json, &next, &next_eng);
	engine_free(next_eng);
	config_free(next);
}

/* The windows span the pools; XDP renews by address and writes the
 * expiry there, not in dx_leases. */
static void renewal_found_by_address(void **state)
{
	const uint32_t a = IP(10, 9, 0, 50);
	struct engine_map_op op = lease_op(ENGINE_MAP_UPSERT, 1, 42, a);
	struct dx_addr_window w = subnet_window(42);
	struct dx_lease_key k = {.subnet_id = 42};
	struct dx_addr_lease e;
	struct dx_lease l;
	uint64_t t0;

	(void)state;
	if (skip_reason)
		skip();
	assert_int_equal(w.first, IP(10, 9, 0, 10));
	assert_int_equal(w.size, 90);
	w = subnet_window(43);
	assert_int_equal(w.first, IP(172, 30, 0, 10));
	assert_int_equal(w.size, 11);
	apply(&op, 1);
	assert_true(holds(42, a, 1));
	t0 = boottime_ns();
	assert_int_equal(renew(1, a), XDP_TX);
	addr_entry(42, a, &e);
	assert_true(e.lease.expires_ns >= t0 + 600 * SEC_NS);
	client_mac(1, k.mac);
	assert_int_equal(bpf_map_lookup_elem(obj.leases_fd, &k, &l), 0);
	assert_true(l.expires_ns < t0 + 400 * SEC_NS);
	/* Readers see the later one. */
	map_addrs_merge(obj.addrs_fd, obj.windows, 42, k.mac, &l);
	assert_true(l.expires_ns == e.lease.expires_ns);
	op.kind = ENGINE_MAP_DELETE;
	apply(&op, 1);
	assert_true(is_free(42, a));
}

/* Released, moved, handed over: the old entry is gone before XDP could
 * renew from it. */
static void ended_leases_not_renewed(void **state)
{
	const uint32_t a = IP(10, 9, 0, 51), b = IP(10, 9, 0, 52);
	struct engine_map_op ops[2];

	(void)state;
	if (skip_reason)
		skip();
	/* released */
	ops[0] = lease_op(ENGINE_MAP_UPSERT, 2, 42, a);
	apply(ops, 1);
	assert_int_equal(renew(2, a), XDP_TX);
	ops[0].kind = ENGINE_MAP_DELETE;
	apply(ops, 1);
	assert_true(is_free(42, a));
	assert_int_equal(renew(2, a), XDP_PASS);

	/* moved from a to b (the engine ends a, then grants b) */
	ops[0] = lease_op(ENGINE_MAP_UPSERT, 2, 42, a);
	apply(ops, 1);
	ops[0].kind = ENGINE_MAP_DELETE;
	ops[1] = lease_op(ENGINE_MAP_UPSERT, 2, 42, b);
	apply(ops, 2);
	assert_true(is_free(42, a));
	assert_true(holds(42, b, 2));
	assert_int_equal(renew(2, a), XDP_PASS);
	assert_int_equal(renew(2, b), XDP_TX);

	/* b handed over to client 3 */
	ops[0] = lease_op(ENGINE_MAP_DELETE, 2, 42, b);
	ops[1] = lease_op(ENGINE_MAP_UPSERT, 3, 42, b);
	apply(ops, 2);
	assert_true(holds(42, b, 3));
	assert_int_equal(renew(2, b), XDP_PASS);
	assert_int_equal(renew(3, b), XDP_TX);
	/* a delete of the old holder's lease leaves the new one's */
	apply(&ops[0], 1);
	assert_true(holds(42, b, 3));
	ops[1].kind = ENGINE_MAP_DELETE;
	apply(&ops[1], 1);
	assert_true(is_free(42, b));
}

/* The batched load (start-up, each commit) writes by address too. */
static void batched_load_writes_by_address(void **state)
{
	struct engine_map_op ops[3];

	(void)state;
	if (skip_reason)
		skip();
	for (uint8_t i = 0; i < 3; i++)
		ops[i] = lease_op(ENGINE_MAP_UPSERT, 10 + i, 42,
				  IP(10, 9, 0, 60 + i));
	assert_int_equal(
		map_load_leases(&obj, ops, 3, time(NULL), boottime_ns()), 0);
	for (uint8_t i = 0; i < 3; i++) {
		assert_true(holds(42, IP(10, 9, 0, 60 + i), 10 + i));
		assert_int_equal(renew(10 + i, IP(10, 9, 0, 60 + i)), XDP_TX);
		ops[i].kind = ENGINE_MAP_DELETE;
	}
	apply(ops, 3);
	for (uint8_t i = 0; i < 3; i++)
		assert_true(is_free(42, IP(10, 9, 0, 60 + i)));
}

/* A reservation written over a client's dynamic entry ends its lease's
 * entry by address too: XDP answers the reservation only. */
static void reservation_replaces_lease(void **state)
{
	const uint32_t a = IP(10, 9, 0, 70);
	/* 02:11:00:00:00:01 has 10.9.0.200 reserved (the fixture's) */
	struct engine_map_op op = {.kind = ENGINE_MAP_UPSERT,
				   .subnet_id = 42,
				   .addr = a,
				   .flags = DX_LEASE_F_DYNAMIC,
				   .mac = {0x02, 0x11, 0, 0, 0, 0x01},
				   .expires = time(NULL) + 300,
				   .horizon = time(NULL) + 1200};
	struct dx_addr_lease e;

	(void)state;
	if (skip_reason)
		skip();
	apply(&op, 1);
	addr_entry(42, a, &e);
	assert_int_equal(ntohl(e.lease.addr), a);
	assert_int_equal(sync_group_cfg(), 0);
	assert_true(is_free(42, a));
}

/* A reload that grows subnet 42's pool moves its window and carries the
 * entries over, expiries included; subnet 43's window is cleared. */
static void window_moves_on_reload(void **state)
{
	const uint32_t a = IP(10, 9, 0, 80), c = IP(172, 30, 0, 12);
	struct engine_map_op op = lease_op(ENGINE_MAP_UPSERT, 20, 42, a);
	struct engine_map_op op43 = lease_op(ENGINE_MAP_UPSERT, 21, 43, c);
	struct dx_addr_window before = subnet_window(42), after,
			      w43 = subnet_window(43);
	struct dx_addr_lease e, zero = {0};
	uint64_t granted, t0;

	(void)state;
	if (skip_reason)
		skip();
	apply(&op, 1);
	apply(&op43, 1);
	assert_int_equal(renew(20, a), XDP_TX);
	addr_entry(42, a, &e);
	granted = e.lease.expires_ns;

	t0 = boottime_ns();
	reload(cfg_grown);
	after = subnet_window(42);
	assert_int_equal(after.first, IP(10, 9, 0, 10));
	assert_int_equal(after.size, 141);
	assert_int_not_equal(after.base, before.base);
	assert_true(holds(42, a, 20));
	/* With the expiry XDP wrote, and no earlier than a renewal racing
	 * the move could have granted (the subnet's 600 s). */
	addr_entry(42, a, &e);
	assert_true(e.lease.expires_ns >= granted);
	assert_true(e.lease.expires_ns >=
		    t0 + (600 + ENGINE_MAP_GRACE) * SEC_NS);
	assert_true(e.lease.expires_ns <=
		    boottime_ns() + (600 + ENGINE_MAP_GRACE) * SEC_NS);
	assert_int_equal(renew(20, a), XDP_TX);
	/* Both old windows are empty again. */
	for (uint32_t i = 0; i < before.size; i++) {
		uint32_t idx = before.base + i;

		assert_int_equal(bpf_map_lookup_elem(obj.addrs_fd, &idx, &e),
				 0);
		assert_memory_equal(&e, &zero, sizeof(e));
	}
	for (uint32_t i = 0; i < w43.size; i++) {
		uint32_t idx = w43.base + i;

		assert_int_equal(bpf_map_lookup_elem(obj.addrs_fd, &idx, &e),
				 0);
		assert_memory_equal(&e, &zero, sizeof(e));
	}
	assert_false(addr_windows_index(obj.windows, 43, c, &(uint32_t){0}));

	/* Back to the group's configuration for the tests after. */
	assert_int_equal(sync_group_cfg(), 0);
	assert_true(holds(42, a, 20));
	op.kind = ENGINE_MAP_DELETE;
	apply(&op, 1);
}

/* A window new at a reload takes the subnet's leases from dx_leases,
 * with the expiries XDP wrote there. */
static void new_window_filled_from_hash(void **state)
{
	const uint32_t a = IP(10, 9, 0, 85);
	struct engine_map_op op = lease_op(ENGINE_MAP_UPSERT, 25, 42, a);
	struct dx_lease_key k = {.subnet_id = 42};
	struct dx_addr_lease e;
	struct dx_lease l;

	(void)state;
	if (skip_reason)
		skip();
	reload(cfg_no_pools);
	assert_int_equal(subnet_window(42).size, 0);
	apply(&op, 1); /* into dx_leases only */
	assert_int_equal(renew(25, a), XDP_TX);
	client_mac(25, k.mac);
	assert_int_equal(bpf_map_lookup_elem(obj.leases_fd, &k, &l), 0);

	assert_int_equal(sync_group_cfg(), 0);
	assert_int_equal(subnet_window(42).size, 90);
	assert_true(holds(42, a, 25));
	addr_entry(42, a, &e);
	assert_true(e.lease.expires_ns == l.expires_ns);
	assert_int_equal(renew(25, a), XDP_TX);
	op.kind = ENGINE_MAP_DELETE;
	apply(&op, 1);
	assert_true(is_free(42, a));
}

/* A command beside the daemon reads the windows from the pins. */
static void pinned_windows_for_readers(void **state)
{
	const uint32_t a = IP(10, 9, 0, 90);
	struct engine_map_op op = lease_op(ENGINE_MAP_UPSERT, 30, 42, a);
	struct dx_lease_rec r = {
		.subnet_id = 42, .addr = a, .state = DX_LEASE_ACTIVE};
	struct lease_maps m;
	int64_t wall;

	(void)state;
	if (skip_reason)
		skip();
	apply(&op, 1);
	assert_int_equal(renew(30, a), XDP_TX);
	assert_int_equal(lease_maps_open(pin_dir, &m), 0);
	assert_true(m.leases_fd >= 0 && m.addrs_fd >= 0 && m.windows);
	assert_int_equal(m.windows->n, obj.windows->n);
	wall = time(NULL);
	client_mac(30, r.mac);
	r.expires = op.expires;
	lease_view_merge(&m, cfg, &r, wall, boottime_ns());
	/* the renewal's 600 s, not the row's 300 */
	assert_true(r.expires >= wall + 590);
	lease_maps_close(&m);
	op.kind = ENGINE_MAP_DELETE;
	apply(&op, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(renewal_found_by_address),
		cmocka_unit_test(ended_leases_not_renewed),
		cmocka_unit_test(batched_load_writes_by_address),
		cmocka_unit_test(reservation_replaces_lease),
		cmocka_unit_test(window_moves_on_reload),
		cmocka_unit_test(new_window_filled_from_hash),
		cmocka_unit_test(pinned_windows_for_readers),
	};

	return cmocka_run_group_tests_name("map_sync_addrs", tests,
					   group_setup_synced, group_teardown);
}
