// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The Client FQDN option (RFC 4702) read and written, the flags a server
 * replies with (§4, Kea's rules), SHA-256 (FIPS 180-2 examples) and the
 * DHCID RR (RFC 4701 §3.6's examples).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "util/sha256.h"
#include "wire/client_fqdn.h"

static void hex(const uint8_t *p, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
}

static void test_sha256_vectors(void **state)
{
	uint8_t d[SHA256_LEN];
	char h[2 * SHA256_LEN + 1];
	struct sha256 c;
	static const char two_blocks[] =
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

	(void)state;
	sha256_init(&c);
	sha256_update(&c, "abc", 3);
	sha256_final(&c, d);
	hex(d, sizeof(d), h);
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a"
			       "9cb410ff61f20015ad");
	sha256_init(&c);
	sha256_update(&c, two_blocks, strlen(two_blocks));
	sha256_final(&c, d);
	hex(d, sizeof(d), h);
	assert_string_equal(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff21"
			       "67f6ecedd419db06c1");
	sha256_init(&c);
	sha256_final(&c, d);
	hex(d, sizeof(d), h);
	assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b93"
			       "4ca495991b7852b855");
}

/* RFC 4701 §3.6, base64 of the RDATA turned into hex. */
static void test_dhcid_rfc4701_examples(void **state)
{
	static const uint8_t chaddr[7] = {1, 1, 2, 3, 4, 5, 6};
	static const uint8_t cid[7] = {1, 7, 8, 9, 0xa, 0xb, 0xc};
	static const uint8_t duid[14] = {0,    1, 0, 6, 0x41, 0x2d, 0xf1,
					 0x66, 1, 2, 3, 4,    5,    6};
	uint8_t d[DHCID_LEN];
	char h[2 * DHCID_LEN + 1];

	(void)state;
	/* 3.6.1: AAIBY2/AuCccgoJbsaxcQc9TUapptP69lOjxfNuVAA2kjEA= */
	assert_int_equal(dhcid_compute(DHCID_ID_DUID, duid, sizeof(duid),
				       "chi6.example.com", d),
			 0);
	hex(d, sizeof(d), h);
	assert_string_equal(h, "000201636fc0b8271c82825bb1ac5c41cf53"
			       "51aa69b4febd94e8f17cdb95000da48c40");
	/* 3.6.2: AAEBOSD+XR3Os/0LozeXVqcNc7FwCfQdWL3b/NaiUDlW2No= */
	assert_int_equal(dhcid_compute(DHCID_ID_CLIENTID, cid, sizeof(cid),
				       "chi.example.com.", d),
			 0);
	hex(d, sizeof(d), h);
	assert_string_equal(h, "0001013920fe5d1dceb3fd0ba3379756a70d"
			       "73b17009f41d58bddbfcd6a2503956d8da");
	/* 3.6.3: AAABxLmlskllE0MVjd57zHcWmEH3pCQ6VytcKD//7es/deY= */
	assert_int_equal(dhcid_compute(DHCID_ID_HWADDR, chaddr, sizeof(chaddr),
				       "Client.Example.COM", d),
			 0);
	hex(d, sizeof(d), h);
	assert_string_equal(h, "000001c4b9a5b249651343158dde7bcc7716"
			       "9841f7a4243a572b5c283fffedeb3f75e6");
}

static void test_parse_wire(void **state)
{
	static const uint8_t full[] = {FQDN_F_E | FQDN_F_S,
				       0,
				       0,
				       5,
				       'h',
				       'o',
				       's',
				       't',
				       '1',
				       7,
				       'e',
				       'x',
				       'a',
				       'm',
				       'p',
				       'l',
				       'e',
				       0};
	static const uint8_t partial[] = {FQDN_F_E, 0, 0, 3, 'p', 'c', '7'};
	static const uint8_t overrun[] = {FQDN_F_E, 0, 0, 9, 'p', 'c'};
	static const uint8_t after_root[] = {FQDN_F_E, 0, 0, 1, 'a', 0, 1};
	static const uint8_t s_and_n[] = {FQDN_F_S | FQDN_F_N, 0, 0};
	struct client_fqdn f;

	(void)state;
	assert_int_equal(client_fqdn_parse(full, sizeof(full), &f), 0);
	assert_string_equal(f.name, "host1.example");
	assert_false(f.partial);
	assert_int_equal(f.flags, FQDN_F_E | FQDN_F_S);
	assert_int_equal(client_fqdn_parse(partial, sizeof(partial), &f), 0);
	assert_string_equal(f.name, "pc7");
	assert_true(f.partial);
	assert_int_equal(client_fqdn_parse(overrun, sizeof(overrun), &f),
			 -EINVAL);
	assert_int_equal(client_fqdn_parse(after_root, sizeof(after_root), &f),
			 -EINVAL);
	/* §2.1: "If the N bit is 1, the S bit MUST be 0." */
	assert_int_equal(client_fqdn_parse(s_and_n, sizeof(s_and_n), &f),
			 -EINVAL);
	/* Only the three fixed bytes: no name, a partial one. */
	assert_int_equal(client_fqdn_parse(partial, 3, &f), 0);
	assert_string_equal(f.name, "");
	assert_int_equal(client_fqdn_parse(partial, 2, &f), -EINVAL);
}

/* §2.3.2, deprecated ASCII: a final dot makes the name full. */
static void test_parse_ascii(void **state)
{
	static const uint8_t full[] = "\x01\xff\xffhost.example.org.";
	static const uint8_t partial[] = "\x00\0\0laptop";
	static const uint8_t empty_label[] = "\x00\0\0a..b";
	struct client_fqdn f;

	(void)state;
	/* sizeof - 1: the C string's NUL is not in the option */
	assert_int_equal(client_fqdn_parse(full, sizeof(full) - 1, &f), 0);
	assert_string_equal(f.name, "host.example.org");
	assert_false(f.partial);
	assert_int_equal(client_fqdn_parse(partial, sizeof(partial) - 1, &f),
			 0);
	assert_string_equal(f.name, "laptop");
	assert_true(f.partial);
	/* A NUL some clients count at the end is not part of the name. */
	assert_int_equal(client_fqdn_parse(partial, sizeof(partial), &f), 0);
	assert_string_equal(f.name, "laptop");
	assert_int_equal(
		client_fqdn_parse(empty_label, sizeof(empty_label) - 1, &f),
		-EINVAL);
}

/* RFC 4702 §4 with Kea's overrides: (client flags, updates, override
 * no-update, override client-update) -> reply flags. */
static void test_reply_flags(void **state)
{
	(void)state;
	/* S=1: the server does both. */
	assert_int_equal(client_fqdn_reply_flags(FQDN_F_S, true, false, false),
			 FQDN_F_S);
	/* S=0: the client does the A RR, the server the PTR... */
	assert_int_equal(client_fqdn_reply_flags(0, true, false, false), 0);
	/* ... unless overridden: S and O set. */
	assert_int_equal(client_fqdn_reply_flags(0, true, false, true),
			 FQDN_F_S | FQDN_F_O);
	/* N=1: nothing, unless overridden. */
	assert_int_equal(client_fqdn_reply_flags(FQDN_F_N, true, false, false),
			 FQDN_F_N);
	assert_int_equal(client_fqdn_reply_flags(FQDN_F_N, true, true, false),
			 FQDN_F_S | FQDN_F_O);
	/* Updates off: N, and O when the client asked for S. */
	assert_int_equal(client_fqdn_reply_flags(FQDN_F_S, false, true, true),
			 FQDN_F_N | FQDN_F_O);
	assert_int_equal(client_fqdn_reply_flags(0, false, false, true),
			 FQDN_F_N);
	/* E is the client's. */
	assert_int_equal(client_fqdn_reply_flags(FQDN_F_E | FQDN_F_S, true,
						 false, false),
			 FQDN_F_E | FQDN_F_S);
}

static void test_encode(void **state)
{
	static const uint8_t wire[] = {
		FQDN_F_E | FQDN_F_S, 255, 255, 2, 'p', 'c', 2, 'e', 'x', 0};
	uint8_t b[300];

	(void)state;
	assert_int_equal(
		client_fqdn_encode(FQDN_F_E | FQDN_F_S, "PC.ex", b, sizeof(b)),
		(int)sizeof(wire));
	assert_memory_equal(b, wire, sizeof(wire));
	assert_int_equal(client_fqdn_encode(0, "pc.ex", b, sizeof(b)), 9);
	assert_memory_equal(b, "\x00\xff\xffpc.ex.", 9);
	assert_int_equal(client_fqdn_encode(0, "pc.ex", b, 8), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_vectors),
		cmocka_unit_test(test_dhcid_rfc4701_examples),
		cmocka_unit_test(test_parse_wire),
		cmocka_unit_test(test_parse_ascii),
		cmocka_unit_test(test_reply_flags),
		cmocka_unit_test(test_encode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
