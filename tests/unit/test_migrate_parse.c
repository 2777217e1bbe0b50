// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for the lease-file parsers (user/migrate/): Kea's memfile
 * CSV of each version's column set, ISC dhcpd.leases, dnsmasq's lease
 * file; later rows superseding earlier ones where the format appends;
 * the time formats; octal-escaped and hex uids; a malformed line is an
 * error naming the file line; and Kea's CSV written back and read again.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "migrate/migrate.h"
#include "util/fmt.h"

static char err[256];

static int parse(int format, const char *text, struct mig_set *s)
{
	memset(s, 0, sizeof(*s));
	err[0] = 0;
	return mig_parse(format, text, strlen(text), "f", s, err, sizeof(err));
}

static uint32_t ip(const char *s)
{
	uint32_t a = 0;

	assert_int_equal(parse_ipv4(s, &a), 0);
	return a;
}

static void assert_mac(const struct mig_lease *l, const char *want)
{
	char m[FMT_MAC_LEN];

	assert_true(l->has_mac);
	assert_string_equal(fmt_mac(m, l->mac), want);
}

/* An error names the file and line. */
static void assert_fails(int format, const char *text, const char *msg)
{
	struct mig_set s;

	assert_int_equal(parse(format, text, &s), -EINVAL);
	assert_string_equal(err, msg);
	mig_set_free(&s);
}

/* ---- Kea ----------------------------------------------------------- */

#define KEA_V1_HEADER                                                        \
	"address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd," \
	"fqdn_rev,hostname\n"
#define KEA_HEADER                                                           \
	"address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd," \
	"fqdn_rev,hostname,state,user_context,pool_id\n"

static void kea_oldest_columns(void **state)
{
	struct mig_set s;

	(void)state;
	assert_int_equal(parse(MIG_KEA_CSV,
			       KEA_V1_HEADER "10.0.0.5,02:aa:00:00:00:01,"
					     "01:02:aa:00:00:00:01,3600,"
					     "1800003600,7,0,0,host5\n",
			       &s),
			 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.v[0].addr, ip("10.0.0.5"));
	assert_mac(&s.v[0], "02:aa:00:00:00:01");
	assert_int_equal(s.v[0].client_id_len, 7);
	assert_int_equal(s.v[0].client_id[0], 1);
	assert_int_equal(s.v[0].expires, 1800003600);
	assert_int_equal(s.v[0].cltt, 1800000000);
	assert_int_equal(s.v[0].subnet_hint, 7);
	assert_int_equal(s.v[0].state, MIG_ACTIVE);
	assert_string_equal(s.v[0].hostname, "host5");
	assert_int_equal(s.v[0].line, 2);
	mig_set_free(&s);
}

static void kea_current_columns_and_states(void **state)
{
	struct mig_set s;

	(void)state;
	assert_int_equal(
		parse(MIG_KEA_CSV,
		      KEA_HEADER
		      "10.0.0.5,02:aa:00:00:00:01,,3600,1800003600,1,1,1,"
		      "a&#x2cb,0,{ \"k\": 1 },0\n"
		      "10.0.0.6,,,3600,1800003600,1,0,0,,1,,0\n"
		      "10.0.0.7,02:aa:00:00:00:03,,3600,1800003600,1,0,0,,2,,"
		      "0\n"
		      "10.0.0.8,02:aa:00:00:00:04,,4294967295,1800003600,1,0,"
		      "0,,0,,3\n",
		      &s),
		0);
	assert_int_equal(s.n, 4);
	assert_string_equal(s.v[0].hostname, "a,b");
	assert_int_equal(s.v[0].client_id_len, 0);
	assert_int_equal(s.v[1].state, MIG_DECLINED);
	assert_false(s.v[1].has_mac);
	assert_int_equal(s.v[2].state, MIG_FREE);
	assert_int_equal(s.v[3].expires, MIG_EXPIRES_NEVER);
	mig_set_free(&s);
}

static void kea_columns_by_name(void **state)
{
	struct mig_set s;

	(void)state;
	/* The state column of Kea 1.1 came before anything else added. */
	assert_int_equal(
		parse(MIG_KEA_CSV,
		      "address,hwaddr,client_id,valid_lifetime,expire,"
		      "subnet_id,fqdn_fwd,fqdn_rev,hostname,state\r\n"
		      "10.0.0.5,02:aa:00:00:00:01,,60,1800000060,1,0,0,,1\r\n",
		      &s),
		0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.v[0].state, MIG_DECLINED);
	mig_set_free(&s);
}

static void kea_later_rows_supersede(void **state)
{
	struct mig_set s;

	(void)state;
	assert_int_equal(
		parse(MIG_KEA_CSV,
		      KEA_HEADER
		      "10.0.0.5,02:aa:00:00:00:01,,3600,1800003600,1,0,0,,0,,"
		      "0\n"
		      "10.0.0.9,02:aa:00:00:00:09,,3600,1800003600,1,0,0,,0,,"
		      "0\n"
		      "10.0.0.5,02:aa:00:00:00:01,,3600,1800007200,1,0,0,,0,,"
		      "0\n"
		      "10.0.0.5,02:aa:00:00:00:02,,3600,1800009000,1,0,0,,0,,"
		      "0\n",
		      &s),
		0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.superseded, 2);
	/* File order of what is left: .9 (line 3), then .5 (line 5). */
	assert_int_equal(s.v[0].addr, ip("10.0.0.9"));
	assert_int_equal(s.v[1].line, 5);
	assert_mac(&s.v[1], "02:aa:00:00:00:02");
	assert_int_equal(s.v[1].expires, 1800009000);
	mig_set_free(&s);
}

static void kea_malformed(void **state)
{
	(void)state;
	assert_fails(MIG_KEA_CSV, "", "f:1: empty: no Kea lease file header");
	assert_fails(MIG_KEA_CSV, "address,hwaddr\n",
		     "f:1: not a Kea DHCPv4 lease file header: no column "
		     "'client_id'");
	assert_fails(MIG_KEA_CSV,
		     KEA_V1_HEADER "10.0.0.5,02:aa:00:00:00:01,,60,1,1,0,0\n",
		     "f:2: 8 fields where the header has 9");
	assert_fails(MIG_KEA_CSV,
		     KEA_V1_HEADER
		     "10.0.0.5,02:aa:00:00:00:01,,60,100,1,0,0,\n"
		     "10.0.0.300,02:aa:00:00:00:01,,60,100,1,0,0,\n",
		     "f:3: bad address");
	assert_fails(MIG_KEA_CSV,
		     KEA_V1_HEADER "10.0.0.5,02:zz:00:00:00:01,,60,1,1,0,0,\n",
		     "f:2: bad hwaddr");
	assert_fails(MIG_KEA_CSV,
		     KEA_V1_HEADER "10.0.0.5,02:aa:00:00:00:01,,-5,1,1,0,0,\n",
		     "f:2: bad valid_lifetime");
	assert_fails(MIG_KEA_CSV,
		     KEA_HEADER
		     "10.0.0.5,02:aa:00:00:00:01,,60,1,1,0,0,,9,,0\n",
		     "f:2: bad state");
}

static void kea_row_round_trip(void **state)
{
	struct dx_lease_rec r = {
		.subnet_id = 4,
		.addr = 0x0a000005,
		.state = DX_LEASE_ACTIVE,
		.mac = {2, 0xaa, 0, 0, 0, 1},
		.client_id_len = 2,
		.client_id = {1, 0xff},
		.hostname = "x,y",
		.expires = 1800003600,
	};
	char text[2048];
	struct mig_set s;
	size_t n = strlen(mig_kea_csv_header);

	(void)state;
	memcpy(text, mig_kea_csv_header, n);
	assert_true(mig_kea_csv_row(&r, 3600, text + n, sizeof(text) - n) > 0);
	assert_string_equal(text + n, "10.0.0.5,02:aa:00:00:00:01,01:ff,3600,"
				      "1800003600,4,0,0,x&#x2cy,0,,0\n");
	assert_int_equal(parse(MIG_KEA_CSV, text, &s), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.v[0].hostname, "x,y");
	assert_int_equal(s.v[0].cltt, 1800000000);
	assert_int_equal(s.v[0].client_id[1], 0xff);
	mig_set_free(&s);
	assert_int_equal(mig_kea_csv_row(&r, 3600, text, 20), -ENOSPC);
}

/* ---- dhcpd --------------------------------------------------------- */

static const char dhcpd_file[] =
	"# The format of this file is documented in the dhcpd.leases(5)\n"
	"authoring-byte-order little-endian;\n"
	"server-duid \"\\000\\001\\000\\001\";\n"
	"failover peer \"p\" state {\n"
	"  my state normal at 4 2026/12/03 22:00:00;\n"
	"}\n"
	"lease 10.0.0.5 {\n"
	"  starts 4 2027/01/14 08:00:00;\n"
	"  ends 4 2027/01/14 09:00:00;\n"
	"  cltt 4 2027/01/14 08:00:00;\n"
	"  binding state active;\n"
	"  next binding state free;\n"
	"  rewind binding state free;\n"
	"  hardware ethernet 02:aa:00:00:00:01;\n"
	"  uid \"\\001\\002\\252\\000\\000\\000\\001\";\n"
	"  set vendor-class-identifier = \"x;y\";\n"
	"  client-hostname \"pc-1\";\n"
	"}\n"
	"lease 10.0.0.6 {\n"
	"  starts epoch 1800000000; # a comment { ;\n"
	"  ends never;\n"
	"  binding state abandoned;\n"
	"  hardware ethernet 02:aa:00:00:00:02;\n"
	"  uid 1:2:aa:0:0:0:2;\n"
	"  on expiry { set x = \"}\"; }\n"
	"}\n"
	"host static-1 { dynamic; hardware ethernet 02:aa:00:00:00:09; }\n"
	"lease 10.0.0.5 {\n"
	"  starts 4 2027/01/14 08:30:00;\n"
	"  ends 4 2027/01/14 09:30:00;\n"
	"  binding state free;\n"
	"  hardware ethernet 02:aa:00:00:00:01;\n"
	"}\n"
	"lease 10.0.0.7 {\n"
	"  ends 4 2027/01/14 09:30:00;\n"
	"  binding state backup;\n"
	"}\n";

static void dhcpd_blocks(void **state)
{
	struct mig_set s;

	(void)state;
	assert_int_equal(parse(MIG_DHCPD, dhcpd_file, &s), 0);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.superseded, 1);
	/* 10.0.0.6 (line 19), the later 10.0.0.5 (line 28), 10.0.0.7. */
	assert_int_equal(s.v[0].addr, ip("10.0.0.6"));
	assert_int_equal(s.v[0].line, 19);
	assert_int_equal(s.v[0].cltt, 1800000000);
	assert_int_equal(s.v[0].expires, MIG_EXPIRES_NEVER);
	assert_int_equal(s.v[0].state, MIG_DECLINED);
	assert_int_equal(s.v[0].client_id_len, 7);
	assert_int_equal(s.v[0].client_id[2], 0xaa);
	assert_int_equal(s.v[1].addr, ip("10.0.0.5"));
	assert_int_equal(s.v[1].line, 28);
	assert_int_equal(s.v[1].state, MIG_FREE);
	assert_int_equal(s.v[2].state, MIG_FREE);
	assert_false(s.v[2].has_mac);
	mig_set_free(&s);
}

static void dhcpd_times_and_octal_uid(void **state)
{
	struct mig_set s;

	(void)state;
	assert_int_equal(parse(MIG_DHCPD,
			       "lease 10.0.0.5 {\n"
			       "  starts 4 2027/01/14 08:00:00;\n"
			       "  ends 4 2027/01/14 09:00:00;\n"
			       "  binding state active;\n"
			       "  hardware ethernet 02:AA:00:00:00:01;\n"
			       "  uid \"\\001\\002\\252\\000\\0007\\\"\";\n"
			       "  client-hostname \"pc\\\"1\";\n"
			       "}\n",
			       &s),
			 0);
	assert_int_equal(s.n, 1);
	/* 2027-01-14T08:00:00Z */
	assert_int_equal(s.v[0].cltt, 1799913600);
	assert_int_equal(s.v[0].expires, 1799917200);
	assert_mac(&s.v[0], "02:aa:00:00:00:01");
	/* \000 then "7": octal escapes take three digits at most. */
	assert_int_equal(s.v[0].client_id_len, 7);
	assert_memory_equal(s.v[0].client_id,
			    "\x01\x02\xaa\x00\x00"
			    "7\"",
			    7);
	assert_string_equal(s.v[0].hostname, "pc\"1");
	mig_set_free(&s);
}

static void dhcpd_malformed(void **state)
{
	(void)state;
	assert_fails(MIG_DHCPD,
		     "lease 10.0.0.5 {\n  ends 4 2027/13/14 09:00:00;\n}\n",
		     "f:2: bad ends");
	assert_fails(MIG_DHCPD, "lease 10.0.0.5 {\n  starts 4 2027/01/14;\n}\n",
		     "f:2: bad starts");
	assert_fails(MIG_DHCPD, "lease 10.0.0.5 {\n  binding state weird;\n}\n",
		     "f:2: bad binding");
	assert_fails(MIG_DHCPD,
		     "lease 10.0.0.5 {\n  hardware ethernet 02:aa;\n}\n",
		     "f:2: bad hardware");
	assert_fails(MIG_DHCPD, "lease 10.0.0.5 {\n  ends never;\n",
		     "f:3: lease block without its '}'");
	assert_fails(MIG_DHCPD, "\n\nlease fe80::1 {\n}\n",
		     "f:3: 'lease' without an IPv4 address");
	assert_fails(MIG_DHCPD, "lease 10.0.0.5 {\n  client-hostname \"a;\n}\n",
		     "f:2: unterminated string");
	assert_fails(MIG_DHCPD, "lease 10.0.0.5 {\n  ends never\n}\n",
		     "f:3: statement without its ';'");
	assert_fails(MIG_DHCPD, "}\n", "f:1: unexpected '}'");
	{
		/* A NUL byte is a character of a word, not a delimiter. */
		static const char nul[] =
			"server\0duid;\nlease 10.0.0.\0 {\n}\n";
		struct mig_set s = {0};

		assert_int_equal(mig_parse_dhcpd(nul, sizeof(nul) - 1, "f", &s,
						 err, sizeof(err)),
				 -EINVAL);
		assert_string_equal(err,
				    "f:2: 'lease' without an IPv4 address");
		mig_set_free(&s);
	}
	assert_fails(MIG_DHCPD, "server-duid \"x\"\n",
		     "f:1: statement without its end ';' or '}'");
}

/* ---- dnsmasq ------------------------------------------------------- */

static void dnsmasq_lines(void **state)
{
	struct mig_set s;

	(void)state;
	assert_int_equal(
		parse(MIG_DNSMASQ,
		      "1800003600 02:aa:00:00:00:01 10.0.0.5 pc-1 "
		      "01:02:aa:00:00:00:01\n"
		      "0 02:aa:00:00:00:02 10.0.0.6 * *\n"
		      "1800003600 20-00:11:22:33 10.0.0.7 * *\n"
		      "duid 00:01:00:01:2c:aa:bb:cc:02:aa:00:00:00:01\n"
		      "1800003600 1234 fd00::5 * 00:01:00:01\n"
		      "1800003600 02:aa:00:00:00:01 10.0.0.5 pc-1 *\n",
		      &s),
		0);
	/* dnsmasq does not append: both rows for 10.0.0.5 stay. */
	assert_int_equal(s.n, 4);
	assert_int_equal(s.superseded, 0);
	assert_string_equal(s.v[0].hostname, "pc-1");
	assert_int_equal(s.v[0].client_id_len, 7);
	assert_int_equal(s.v[0].expires, 1800003600);
	assert_int_equal(s.v[0].cltt, 0);
	assert_int_equal(s.v[1].expires, MIG_EXPIRES_NEVER);
	assert_string_equal(s.v[1].hostname, "");
	assert_int_equal(s.v[1].client_id_len, 0);
	assert_false(s.v[2].has_mac);
	assert_int_equal(s.v[3].line, 6);
	mig_set_free(&s);
}

static void dnsmasq_malformed(void **state)
{
	(void)state;
	assert_fails(MIG_DNSMASQ, "1800003600 02:aa:00:00:00:01 10.0.0.5 *\n",
		     "f:1: not a dnsmasq lease line (EXPIRY MAC ADDRESS "
		     "HOSTNAME CLIENT-ID)");
	assert_fails(MIG_DNSMASQ,
		     "\n1800003600 02:aa:00:00:00:01 10.0.0.5 * * extra\n",
		     "f:2: not a dnsmasq lease line (EXPIRY MAC ADDRESS "
		     "HOSTNAME CLIENT-ID)");
	assert_fails(MIG_DNSMASQ, "soon 02:aa:00:00:00:01 10.0.0.5 * *\n",
		     "f:1: bad expiry");
	assert_fails(MIG_DNSMASQ, "1 02:aa:00:00:00 10.0.0.5 * *\n",
		     "f:1: bad MAC");
	assert_fails(MIG_DNSMASQ, "1 02:aa:00:00:00:01 10.0.5 * *\n",
		     "f:1: bad address");
	assert_fails(MIG_DNSMASQ, "1 02:aa:00:00:00:01 10.0.0.5 * 0g\n",
		     "f:1: bad client-id");
}

static void format_names(void **state)
{
	(void)state;
	assert_int_equal(mig_format_of("kea-csv"), MIG_KEA_CSV);
	assert_int_equal(mig_format_of("dhcpd"), MIG_DHCPD);
	assert_int_equal(mig_format_of("dnsmasq"), MIG_DNSMASQ);
	assert_int_equal(mig_format_of("kea"), 0);
	assert_int_equal(mig_format_of(NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kea_oldest_columns),
		cmocka_unit_test(kea_current_columns_and_states),
		cmocka_unit_test(kea_columns_by_name),
		cmocka_unit_test(kea_later_rows_supersede),
		cmocka_unit_test(kea_malformed),
		cmocka_unit_test(kea_row_round_trip),
		cmocka_unit_test(dhcpd_blocks),
		cmocka_unit_test(dhcpd_times_and_octal_uid),
		cmocka_unit_test(dhcpd_malformed),
		cmocka_unit_test(dnsmasq_lines),
		cmocka_unit_test(dnsmasq_malformed),
		cmocka_unit_test(format_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
