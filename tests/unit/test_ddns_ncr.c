// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Name change requests as D2 reads them (daemon/ddns.c): the JSON of
 * Kea's NameChangeRequest::toJSON, and the datagram - a 2-byte length
 * and the text - sent over loopback; a full queue drops and counts.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "daemon/ddns.h"

static struct engine_ncr sample(void)
{
	struct engine_ncr n = {
		.kind = ENGINE_NCR_ADD,
		.fwd = true,
		.rev = false,
		.conflict_mode = DX_DDNS_CHECK_WITH_DHCID,
		.addr = 0xc0000205, /* 192.0.2.5 */
		.fqdn = "host1.example.test.",
		.expires = 1700003600, /* 2023-11-14 23:13:20 UTC */
		.ttl = 1200,
	};

	for (int i = 0; i < ENGINE_DHCID_LEN; i++)
		n.dhcid[i] = (uint8_t)i;
	return n;
}

static void test_json_shape(void **state)
{
	struct engine_ncr n = sample();
	char buf[DDNS_MSG_MAX];
	int len;

	(void)state;
	len = ddns_ncr_json(&n, buf, sizeof(buf));
	assert_true(len > 0);
	assert_string_equal(
		buf,
		"{\"change-type\":0,\"forward-change\":true,"
		"\"reverse-change\":false,\"fqdn\":\"host1.example.test.\","
		"\"ip-address\":\"192.0.2.5\",\"dhcid\":\"000102030405060708"
		"090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F202122\","
		"\"lease-expires-on\":\"20231114231320\","
		"\"lease-length\":1200,\"use-conflict-resolution\":true,"
		"\"conflict-resolution-mode\":\"check-with-dhcid\"}");
	assert_int_equal(len, (int)strlen(buf));
	/* A remove without conflict resolution. */
	n.kind = ENGINE_NCR_REMOVE;
	n.conflict_mode = DX_DDNS_NO_CHECK_WITHOUT_DHCID;
	assert_true(ddns_ncr_json(&n, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "{\"change-type\":1,"));
	assert_non_null(strstr(buf, "\"use-conflict-resolution\":false,"
				    "\"conflict-resolution-mode\":"
				    "\"no-check-without-dhcid\"}"));
	assert_int_equal(ddns_ncr_json(&n, buf, 40), -ENOSPC);
	/* A name nothing sanitized cannot break out of its string. */
	strcpy(n.fqdn, "a\"b\\c\x01.");
	assert_true(ddns_ncr_json(&n, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "\"fqdn\":\"a\\\"b\\\\c\\u0001.\","));
}

static void test_datagram_over_loopback(void **state)
{
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	uint64_t queued = 0, sent = 0, dropped = 0, errs = 0;
	struct ddns_counters cnt = {&queued, &sent, &dropped, &errs};
	struct dx_ddns_conf conf = {.enable_updates = true,
				    .server_ip = INADDR_LOOPBACK,
				    .sender_ip = INADDR_LOOPBACK,
				    .max_queue_size = 1};
	struct engine_ncr n[2] = {sample(), sample()};
	socklen_t al = sizeof(a);
	struct ddns_sender s;
	char json[DDNS_MSG_MAX];
	uint8_t got[DDNS_MSG_MAX];
	int rx, len;
	ssize_t r;

	(void)state;
	rx = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(rx >= 0);
	assert_int_equal(bind(rx, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(rx, (struct sockaddr *)&a, &al), 0);
	conf.server_port = ntohs(a.sin_port);
	assert_int_equal(ddns_open(&s, &conf, cnt), 0);
	ddns_queue(&s, n, 1);
	assert_int_equal(queued, 1);
	assert_int_equal(sent, 1);
	r = recv(rx, got, sizeof(got), 0);
	len = ddns_ncr_json(&n[0], json, sizeof(json));
	assert_int_equal(r, len + 2);
	/* Kea's toFormat(): the length in network order, then the text. */
	assert_int_equal(got[0] << 8 | got[1], len);
	assert_memory_equal(got + 2, json, (size_t)len);
	ddns_close(&s);
	/* Off: nothing queued, nothing sent. */
	conf.enable_updates = false;
	assert_int_equal(ddns_open(&s, &conf, cnt), 0);
	ddns_queue(&s, n, 2);
	assert_int_equal(queued, 1);
	ddns_close(&s);
	close(rx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_shape),
		cmocka_unit_test(test_datagram_over_loopback),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
