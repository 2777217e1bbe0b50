// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * siaddr, sname and file in the engine's replies (RFC 2131 §2, table 3):
 * Kea's next-server, server-hostname and boot-file-name, the reservation's
 * over the subnet's over Dhcp4's, in OFFER, ACK and the ACK to an INFORM
 * (as Kea's setFixedFields()), never in a NAK; and on the wire.
 */
#include "engine_fixture.h"

/*
 * Dhcp4: next-server 10.0.0.2, server-hostname "global". Subnet 1:
 * boot-file-name "subnet.efi"; reservation a1 with its own next-server
 * and boot-file-name (its server-hostname inherited), reservation a2
 * with none. Subnet 2, behind a relay: server-hostname cleared.
 */
static const char *const bootp_cfg =
	"{\"Dhcp4\": {"
	" \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"
	" \"valid-lifetime\": 3600, \"next-server\": \"10.0.0.2\","
	" \"server-hostname\": \"global\","
	" \"subnet4\": ["
	"  {\"id\": 1, \"subnet\": \"10.0.0.0/24\","
	"   \"boot-file-name\": \"subnet.efi\","
	"   \"pools\": [{\"pool\": \"10.0.0.10 - 10.0.0.19\"}],"
	"   \"reservations\": ["
	"    {\"hw-address\": \"02:00:00:00:00:a1\","
	"     \"ip-address\": \"10.0.0.200\", \"next-server\": \"10.0.0.9\","
	"     \"boot-file-name\": \"host.efi\"},"
	"    {\"hw-address\": \"02:00:00:00:00:a2\","
	"     \"ip-address\": \"10.0.0.201\"}]},"
	"  {\"id\": 2, \"subnet\": \"10.1.0.0/16\", \"server-hostname\": \"\","
	"   \"pools\": [{\"pool\": \"10.1.0.10 - 10.1.0.20\"}],"
	"   \"relay\": {\"ip-addresses\": [\"192.168.1.1\"]}}]}}";

static int setup_bootp(void **state)
{
	*state = fx_new(bootp_cfg);
	return 0;
}

static void assert_bootp(const struct dhcp_reply *r, uint32_t siaddr,
			 const char *sname, const char *file)
{
	assert_int_equal(r->siaddr, siaddr);
	assert_non_null(r->sname);
	assert_non_null(r->file);
	assert_string_equal(r->sname, sname);
	assert_string_equal(r->file, file);
}

static void test_dynamic_client_gets_subnet_fields(void **state)
{
	struct fx *f = *state;
	uint32_t a = discover(f, 1, T0);

	assert_int_not_equal(a, 0);
	assert_bootp(&f->res.reply, IP(10, 0, 0, 2), "global", "subnet.efi");
	assert_int_equal(select_addr(f, 1, a, T0 + 1), DHCPACK);
	assert_bootp(&f->res.reply, IP(10, 0, 0, 2), "global", "subnet.efi");
}

static void test_reservation_fields_win(void **state)
{
	struct fx *f = *state;

	assert_int_equal(discover(f, 0xa1, T0), IP(10, 0, 0, 200));
	assert_bootp(&f->res.reply, IP(10, 0, 0, 9), "global", "host.efi");
	assert_int_equal(select_addr(f, 0xa1, IP(10, 0, 0, 200), T0 + 1),
			 DHCPACK);
	assert_bootp(&f->res.reply, IP(10, 0, 0, 9), "global", "host.efi");
	/* A reservation without fields of its own: the subnet's. */
	assert_int_equal(discover(f, 0xa2, T0), IP(10, 0, 0, 201));
	assert_bootp(&f->res.reply, IP(10, 0, 0, 2), "global", "subnet.efi");
}

static void test_inform_carries_fields(void **state)
{
	struct fx *f = *state;
	struct rq q = {
		.type = DHCPINFORM, .mac = 0xa1, .ciaddr = IP(10, 0, 0, 77)};

	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPACK);
	assert_bootp(&f->res.reply, IP(10, 0, 0, 9), "global", "host.efi");
	q.mac = 3;
	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_bootp(&f->res.reply, IP(10, 0, 0, 2), "global", "subnet.efi");
}

static void test_subnet_clears_global(void **state)
{
	struct fx *f = *state;
	struct rq q = {
		.type = DHCPDISCOVER, .mac = 4, .giaddr = IP(192, 168, 1, 1)};

	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_bootp(&f->res.reply, IP(10, 0, 0, 2), "", "");
}

/* The fields on the wire, NUL-terminated; zero in a NAK. */
static void test_encoded(void **state)
{
	struct fx *f = *state;
	struct rq q = {
		.type = DHCPREQUEST, .mac = 0xa1, .reqip = IP(10, 0, 0, 15)};
	uint8_t buf[1500];
	size_t len;

	assert_int_not_equal(discover(f, 0xa1, T0), 0);
	assert_int_equal(dhcp_reply_encode(buf, sizeof(buf), &f->res.reply,
					   f->m, &len, NULL),
			 0);
	assert_memory_equal(buf + DHCP_OFF_SIADDR, "\x0a\x00\x00\x09", 4);
	assert_string_equal((char *)buf + DHCP_OFF_SNAME, "global");
	assert_string_equal((char *)buf + DHCP_OFF_FILE, "host.efi");
	/* INIT-REBOOT of a reserved client asking for a pool address
	 * (§4.3.2): NAK, fields zero. */
	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPNAK);
	assert_int_equal(dhcp_reply_encode(buf, sizeof(buf), &f->res.reply,
					   f->m, &len, NULL),
			 0);
	for (size_t i = DHCP_OFF_SIADDR; i < DHCP_OFF_SIADDR + 4; i++)
		assert_int_equal(buf[i], 0);
	for (size_t i = DHCP_OFF_SNAME; i < DHCP_OFF_FILE + DHCP_FILE_LEN; i++)
		assert_int_equal(buf[i], 0);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_bootp, teardown)
	const struct CMUnitTest tests[] = {
		T(test_dynamic_client_gets_subnet_fields),
		T(test_reservation_fields_win),
		T(test_inform_carries_fields),
		T(test_subnet_clears_global),
		T(test_encoded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
