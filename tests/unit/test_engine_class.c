// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Client classes in the engine: PXE clients told apart by option 93
 * (a boot file each, by option 67 and by the BOOTP file field), a pool
 * kept for one class, a subnet kept for one class, member(), KNOWN,
 * the subnet's additional classes, and Kea's option precedence
 * (reservation > subnet > class > global; first class first).
 */
#include "engine_fixture.h"

#define CLS_CFG                                                              \
	"{\"Dhcp4\": {"                                                      \
	" \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"              \
	" \"valid-lifetime\": 3600,"                                         \
	" \"option-data\": [{\"name\": \"domain-name\", \"data\": "          \
	"\"global.example\"}, {\"name\": \"ntp-servers\", \"data\": "        \
	"\"10.0.0.123\"}],"                                                  \
	" \"client-classes\": ["                                             \
	"  {\"name\": \"uefi\", \"test\": \"option[93].hex == 0x0007\","     \
	"   \"boot-file-name\": \"uefi/shim.efi\","                          \
	"   \"next-server\": \"10.0.0.5\","                                  \
	"   \"option-data\": [{\"name\": \"boot-file-name\", \"data\": "     \
	"\"uefi/shim.efi\"}, {\"name\": \"domain-name\", \"data\": "         \
	"\"uefi.example\"}, {\"name\": \"routers\", \"data\": "              \
	"\"10.0.0.99\"}]},"                                                  \
	"  {\"name\": \"bios\", \"test\": \"option[93].hex == 0x0000\","     \
	"   \"boot-file-name\": \"pxelinux.0\","                             \
	"   \"option-data\": [{\"name\": \"boot-file-name\", \"data\": "     \
	"\"pxelinux.0\"}]},"                                                 \
	"  {\"name\": \"pxe\", \"test\": \"member('uefi') or "               \
	"member('bios')\", \"option-data\": [{\"name\": \"domain-name\", "   \
	"\"data\": \"pxe.example\"}, {\"name\": \"ntp-servers\", "           \
	"\"data\": \"10.0.0.124\"}]},"                                       \
	"  {\"name\": \"bmc\", \"valid-lifetime\": 600, \"test\": "          \
	"\"substring(option[60].hex, 0, 4) "                                 \
	"== 'iDRA'\"},"                                                      \
	"  {\"name\": \"known-pxe\", \"test\": \"member('pxe') and known\"," \
	"   \"option-data\": [{\"name\": \"time-offset\", \"data\": "        \
	"\"3600\"}]},"                                                       \
	"  {\"name\": \"extra\", \"only-if-required\": true,"                \
	"   \"option-data\": [{\"name\": \"log-servers\", \"data\": "        \
	"\"10.0.0.77\"}]},"                                                  \
	"  {\"name\": \"in-pool2\", \"only-in-additional-list\": true,"      \
	"   \"test\": \"member('ALL')\", \"option-data\": [{\"name\": "      \
	"\"cookie-servers\", \"data\": \"10.0.0.88\"}]}"                     \
	" ],"                                                                \
	" \"subnet4\": ["                                                    \
	"  {\"id\": 1, \"subnet\": \"10.0.0.0/24\","                         \
	"   \"option-data\": [{\"name\": \"routers\", \"data\": "            \
	"\"10.0.0.1\"}],"                                                    \
	"   \"evaluate-additional-classes\": [\"extra\"],"                   \
	"   \"pools\": [{\"pool\": \"10.0.0.10 - 10.0.0.19\","               \
	"     \"client-class\": \"bmc\"},"                                   \
	"    {\"pool\": \"10.0.0.20 - 10.0.0.29\", "                         \
	"     \"evaluate-additional-classes\": [\"in-pool2\"]}],"            \
	"   \"reservations\": [{\"hw-address\": \"02:00:00:00:00:a1\","      \
	"     \"ip-address\": \"10.0.0.200\","                               \
	"     \"option-data\": [{\"name\": \"domain-name\", \"data\": "      \
	"\"host.example\"}]}]},"                                             \
	"  {\"id\": 2, \"subnet\": \"10.1.0.0/24\","                         \
	"   \"pools\": [{\"pool\": \"10.1.0.10 - 10.1.0.19\"}],"             \
	"   \"client-class\": \"bmc\","                                      \
	"   \"relay\": {\"ip-addresses\": [\"192.168.1.1\"]}}"               \
	" ]}}"

/* A link whose first subnet is kept for BMCs; the network's routers
 * outrank a class's as the subnet's do. */
#define SHARED_CLS_CFG                                                         \
	"{\"Dhcp4\": {"                                                        \
	" \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"                \
	" \"valid-lifetime\": 3600,"                                           \
	" \"client-classes\": [{\"name\": \"bmc\", \"test\": "                 \
	"\"substring(option[60].hex, 0, 4) == 'iDRA'\", \"option-data\": "     \
	"[{\"name\": \"routers\", \"data\": \"10.9.9.9\"}]}],"                 \
	" \"shared-networks\": [{\"name\": \"edge\", \"interface\": \"eth0\"," \
	"  \"option-data\": [{\"name\": \"routers\", \"data\": "               \
	"\"10.0.0.1\"}],"                                                      \
	"  \"subnet4\": ["                                                     \
	"   {\"id\": 1, \"subnet\": \"10.0.0.0/24\", \"client-class\": "       \
	"\"bmc\", \"pools\": [{\"pool\": \"10.0.0.10 - 10.0.0.19\"}]},"        \
	"   {\"id\": 2, \"subnet\": \"192.0.2.0/24\","                         \
	"    \"pools\": [{\"pool\": \"192.0.2.10 - 192.0.2.99\"}]}]}]}}"

static int setup_shared_cls(void **state)
{
	*state = fx_new(SHARED_CLS_CFG);
	return 0;
}

static int setup_cls(void **state)
{
	*state = fx_new(CLS_CFG);
	return 0;
}

/* A DISCOVER from 02:00:00:00:00:<mac> with 93 (arch, or none when
 * negative) and 60 (vc, or none), relayed through giaddr if set. */
static int discover_as(struct fx *f, uint8_t mac, int arch, const char *vc,
		       uint32_t giaddr)
{
	static const uint8_t pad[DHCP_MIN_LEN];
	struct dhcp_req *p = malloc(sizeof(*p));

	assert_non_null(p);
	dhcp_req_init(p);
	p->b[DHCP_OFF_HOPS] = 0;
	p->b[DHCP_OFF_FLAGS] = 0;
	dhcp_req_set32(p, DHCP_OFF_CIADDR, 0);
	dhcp_req_set32(p, DHCP_OFF_GIADDR, giaddr);
	memcpy(p->b + DHCP_OFF_CHADDR, (uint8_t[6]){2, 0, 0, 0, 0, mac}, 6);
	dhcp_req_type(p, DHCPDISCOVER);
	if (arch >= 0)
		dhcp_req_opt(p, 93, 2, (uint8_t[]){arch >> 8, arch & 0xff});
	if (vc)
		dhcp_req_opt(p, 60, strlen(vc), vc);
	dhcp_req_end(p);
	if (p->len < DHCP_MIN_LEN)
		dhcp_req_raw(p, pad, DHCP_MIN_LEN - p->len);
	assert_int_equal(dhcp_decode_exact(f->m, p->b, p->len), 0);
	free(p);
	assert_int_equal(engine_handle(f->e, f->m, &f->rx, T0, &f->res), 0);
	return f->res.action;
}

static void assert_text_opt(const struct dhcp_reply *r, uint8_t code,
			    const char *want)
{
	const struct dhcp_opt *o = find_opt(r, code);

	if (!want) {
		assert_null(o);
		return;
	}
	assert_non_null(o);
	if (o->len != strlen(want) || memcmp(o->data, want, o->len))
		fail_msg("option %u: '%.*s', want '%s'", code, o->len,
			 (const char *)o->data, want);
}

static void assert_addr_opt(const struct dhcp_reply *r, uint8_t code,
			    uint32_t want)
{
	const struct dhcp_opt *o = find_opt(r, code);
	uint32_t v;

	assert_non_null(o);
	assert_int_equal(o->len, 4);
	memcpy(&v, o->data, 4);
	assert_int_equal(ntohl(v), want);
}

static void uefi_and_bios_boot_files(void **state)
{
	struct fx *f = *state;

	assert_int_equal(discover_as(f, 1, 7, NULL, 0), ENGINE_REPLY);
	assert_text_opt(&f->res.reply, 67, "uefi/shim.efi");
	assert_string_equal(f->res.reply.file, "uefi/shim.efi");
	assert_int_equal(f->res.reply.siaddr, IP(10, 0, 0, 5));

	assert_int_equal(discover_as(f, 2, 0, NULL, 0), ENGINE_REPLY);
	assert_text_opt(&f->res.reply, 67, "pxelinux.0");
	assert_string_equal(f->res.reply.file, "pxelinux.0");

	/* Neither: no boot file at all. */
	assert_int_equal(discover_as(f, 3, -1, NULL, 0), ENGINE_REPLY);
	assert_text_opt(&f->res.reply, 67, NULL);
	assert_true(!f->res.reply.file || !*f->res.reply.file);
}

/* The BOOTP file field reaches the wire. */
static void boot_file_encoded(void **state)
{
	struct fx *f = *state;
	uint8_t buf[1500];
	size_t len;

	assert_int_equal(discover_as(f, 1, 7, NULL, 0), ENGINE_REPLY);
	assert_int_equal(dhcp_reply_encode(buf, sizeof(buf), &f->res.reply,
					   f->m, &len, NULL),
			 0);
	assert_string_equal((char *)buf + DHCP_OFF_FILE, "uefi/shim.efi");
	assert_int_equal(buf[DHCP_OFF_SNAME], 0);
}

static void precedence(void **state)
{
	struct fx *f = *state;

	assert_int_equal(discover_as(f, 1, 7, NULL, 0), ENGINE_REPLY);
	/* Subnet's routers beat the class's. */
	assert_addr_opt(&f->res.reply, 3, IP(10, 0, 0, 1));
	/* Class beats global; "uefi" comes before "pxe". */
	assert_text_opt(&f->res.reply, 15, "uefi.example");
	/* Only "pxe" sets 42 among the classes: it beats the global one. */
	assert_addr_opt(&f->res.reply, 42, IP(10, 0, 0, 124));

	assert_int_equal(discover_as(f, 3, -1, NULL, 0), ENGINE_REPLY);
	assert_text_opt(&f->res.reply, 15, "global.example");
	assert_addr_opt(&f->res.reply, 42, IP(10, 0, 0, 123));
}

static void reservation_beats_class_and_known(void **state)
{
	struct fx *f = *state;
	const struct dhcp_opt *o;

	assert_int_equal(discover_as(f, 0xa1, 7, NULL, 0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.yiaddr, IP(10, 0, 0, 200));
	assert_text_opt(&f->res.reply, 15, "host.example");
	/* member('pxe') and known: the reserved client only. */
	o = find_opt(&f->res.reply, 2);
	assert_non_null(o);
	assert_int_equal(discover_as(f, 1, 7, NULL, 0), ENGINE_REPLY);
	assert_null(find_opt(&f->res.reply, 2));
}

static void additional_class(void **state)
{
	struct fx *f = *state;

	/* "extra" has no test: listed by the subnet, everyone gets it. */
	assert_int_equal(discover_as(f, 3, -1, NULL, 0), ENGINE_REPLY);
	assert_addr_opt(&f->res.reply, 7, IP(10, 0, 0, 77));
}

/* A pool's additional class: only for addresses of that pool. */
static void pool_additional_class(void **state)
{
	struct fx *f = *state;

	assert_int_equal(discover_as(f, 4, -1, "iDRAC", 0), ENGINE_REPLY);
	assert_null(find_opt(&f->res.reply, 8));
	assert_int_equal(discover_as(f, 5, -1, "other", 0), ENGINE_REPLY);
	assert_addr_opt(&f->res.reply, 8, IP(10, 0, 0, 88));
}

static void pool_kept_for_class(void **state)
{
	struct fx *f = *state;
	uint32_t a;

	assert_int_equal(discover_as(f, 4, -1, "iDRAC", 0), ENGINE_REPLY);
	a = f->res.reply.yiaddr;
	assert_true(a >= IP(10, 0, 0, 10) && a <= IP(10, 0, 0, 19));
	/* The class's valid-lifetime replaces the subnet's. */
	assert_int_equal(f->res.reply.lease_time, 600);
	assert_int_equal(discover_as(f, 5, -1, "other", 0), ENGINE_REPLY);
	a = f->res.reply.yiaddr;
	assert_true(a >= IP(10, 0, 0, 20) && a <= IP(10, 0, 0, 29));
	assert_int_equal(f->res.reply.lease_time, 3600);
}

static void pool_not_for_others_when_requested(void **state)
{
	struct fx *f = *state;
	struct rq q = {.type = DHCPREQUEST,
		       .mac = 6,
		       .reqip = IP(10, 0, 0, 11),
		       .sid = SID};

	/* SELECTING a free address of the BMC pool as a plain client. */
	assert_int_equal(run(f, &q, T0), ENGINE_REPLY);
	assert_int_equal(f->res.reply.msg_type, DHCPNAK);
}

static void subnet_kept_for_class(void **state)
{
	struct fx *f = *state;

	f->rx.direct_subnet_id = 0;
	assert_int_equal(discover_as(f, 7, -1, "other", IP(192, 168, 1, 1)),
			 ENGINE_DROP);
	assert_int_equal(f->res.drop_reason, ENGINE_DROP_NO_SUBNET);
	assert_int_equal(discover_as(f, 7, -1, "iDRAC9", IP(192, 168, 1, 1)),
			 ENGINE_REPLY);
	assert_int_equal(f->res.subnet_id, 2);
}

/* On a shared network a subnet kept for a class is skipped for others. */
static void shared_network_skips_class_subnet(void **state)
{
	struct fx *f = *state;

	assert_int_equal(discover_as(f, 1, -1, "other", 0), ENGINE_REPLY);
	assert_int_equal(f->res.subnet_id, 2);
	assert_int_equal(discover_as(f, 2, -1, "iDRAC9", 0), ENGINE_REPLY);
	assert_int_equal(f->res.subnet_id, 1);
	/* The network's routers outrank the class's (Kea's priority). */
	assert_addr_opt(&f->res.reply, 3, IP(10, 0, 0, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(uefi_and_bios_boot_files,
						setup_cls, teardown),
		cmocka_unit_test_setup_teardown(boot_file_encoded, setup_cls,
						teardown),
		cmocka_unit_test_setup_teardown(precedence, setup_cls,
						teardown),
		cmocka_unit_test_setup_teardown(
			reservation_beats_class_and_known, setup_cls, teardown),
		cmocka_unit_test_setup_teardown(additional_class, setup_cls,
						teardown),
		cmocka_unit_test_setup_teardown(pool_kept_for_class, setup_cls,
						teardown),
		cmocka_unit_test_setup_teardown(pool_additional_class,
						setup_cls, teardown),
		cmocka_unit_test_setup_teardown(
			pool_not_for_others_when_requested, setup_cls,
			teardown),
		cmocka_unit_test_setup_teardown(subnet_kept_for_class,
						setup_cls, teardown),
		cmocka_unit_test_setup_teardown(
			shared_network_skips_class_subnet, setup_shared_cls,
			teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
