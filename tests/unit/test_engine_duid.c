// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Reservations by Kea's "duid": a client whose option 61 is an RFC 4361
 * identifier (type 255, IAID, DUID, §6.1) gets the reservation of its
 * DUID, whatever its IAID or MAC; a flex-id reservation never matches
 * without Kea's flex_id hook in hooks-libraries (test_engine_flex_id.c
 * has it) and its address stays out of the pool.
 */
#include "engine_fixture.h"

static const char *const duid_cfg =
	"{\"Dhcp4\": {"
	" \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"
	" \"valid-lifetime\": 3600,"
	" \"subnet4\": [{\"id\": 1, \"subnet\": \"10.0.0.0/24\","
	"  \"pools\": [{\"pool\": \"10.0.0.10 - 10.0.0.11\"}],"
	"  \"reservations\": ["
	"   {\"duid\": \"00:03:00:01:02:aa:00:00:00:09\","
	"    \"ip-address\": \"10.0.0.90\"},"
	"   {\"flex-id\": \"'s0mEVaLue'\", \"ip-address\": \"10.0.0.10\"}]}]}}";

/* 255, IAID 1, then the DUID above (DUID-LL of 02:aa:00:00:00:09). */
static const uint8_t cid_duid[] = {0xff, 0,    0,    0, 1, 0x00, 0x03, 0x00,
				   0x01, 0x02, 0xaa, 0, 0, 0,	 0x09};

static uint32_t offer(struct fx *f, uint8_t mac, const uint8_t *cid, size_t len)
{
	struct rq q = {
		.type = DHCPDISCOVER, .mac = mac, .cid = cid, .cid_len = len};

	if (run(f, &q, T0) != ENGINE_REPLY)
		return 0;
	return f->res.reply.yiaddr;
}

static void test_duid_reservation(void **state)
{
	struct fx *f = fx_new(duid_cfg);
	uint8_t other_iaid[sizeof(cid_duid)];

	/* Any MAC, any IAID: the DUID is the client. */
	assert_int_equal(offer(f, 7, cid_duid, sizeof(cid_duid)),
			 IP(10, 0, 0, 90));
	memcpy(other_iaid, cid_duid, sizeof(cid_duid));
	other_iaid[4] = 2;
	assert_int_equal(offer(f, 8, other_iaid, sizeof(other_iaid)),
			 IP(10, 0, 0, 90));
	/* The same bytes as a plain client-id (type 1) are no DUID. */
	other_iaid[0] = 1;
	assert_int_equal(offer(f, 9, other_iaid, sizeof(other_iaid)),
			 IP(10, 0, 0, 11));
	*state = f;
}

/* The flex-id reservation's 10.0.0.10 is never offered: only .11. */
static void test_flex_id_never_matches(void **state)
{
	struct fx *f = fx_new(duid_cfg);

	assert_int_equal(offer(f, 1, NULL, 0), IP(10, 0, 0, 11));
	assert_int_equal(offer(f, 2, NULL, 0), 0);
	*state = f;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_duid_reservation, teardown),
		cmocka_unit_test_teardown(test_flex_id_never_matches, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
