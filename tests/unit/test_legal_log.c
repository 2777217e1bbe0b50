// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* user/daemon/legal_log.c: Kea's forensic log lines, word for word, and
 * its daily file naming. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <dhcpxdp/dhcp_wire.h>
#include "daemon/lease_log.h"
#include "daemon/legal_log.h"
#include "engine/engine.h"
#include "tmp_dir.h"
#include "wire/dhcp_msg.h"

static struct dhcp_msg msg;
static struct engine_result res;

/* Kea's documented example: relayed, client-id, circuit and remote id. */
static void request(uint8_t type, uint32_t lease_time)
{
	static const uint8_t cid[] = {0x17, 0x34, 0xe2, 0xff, 0x09, 0x92, 0x54};
	static const uint8_t rai[] = {1,    5,    'h',  'o',  'w',  'd', 'y',
				      2,    5,    0x87, 0xf6, 0x79, 0x77, 0xef};

	memset(&msg, 0, sizeof(msg));
	memset(&res, 0, sizeof(res));
	msg.msg_type = type;
	memcpy(msg.chaddr, "\x08\x00\x2b\x02\x3f\x4e", 6);
	msg.client_id = cid;
	msg.client_id_len = sizeof(cid);
	msg.giaddr = 0xc0021021; /* 192.2.16.33 */
	msg.relay_info = rai;
	msg.relay_info_len = sizeof(rai);
	msg.ciaddr = 0xc0020164;
	res.subnet_id = 1;
	if (type == DHCPREQUEST) {
		res.action = ENGINE_REPLY;
		res.reply.msg_type = DHCPACK;
		res.reply.yiaddr = 0xc0020164; /* 192.2.1.100 */
		res.reply.lease_time = lease_time;
	} else {
		res.action = ENGINE_SILENT;
		res.ch.n_ops = 1;
	}
}

static void test_kea_wording(void **state)
{
	struct lease_events l = {.keep = true};
	char line[1024];

	(void)state;
	request(DHCPREQUEST, 600);
	lease_events_note(&l, &msg, &res, 0);
	request(DHCPREQUEST, 2 * 86400 + 3600 + 52 * 60 + 15);
	msg.client_id_len = 0;
	msg.relay_info_len = 7; /* circuit-id only */
	lease_events_note(&l, &msg, &res, 0);
	request(DHCPRELEASE, 0);
	msg.giaddr = 0;
	lease_events_note(&l, &msg, &res, 0);
	assert_int_equal(l.n, 3);
	legal_log_format(line, sizeof(line), &l.ev[0]);
	assert_string_equal(
		line, "Address: 192.2.1.100 has been assigned for 0 hrs 10 mins "
		      "0 secs to a device with hardware address: hwtype=1 "
		      "08:00:2b:02:3f:4e, client-id: 17:34:e2:ff:09:92:54 "
		      "connected via relay at address: 192.2.16.33, identified "
		      "by circuit-id: 68:6f:77:64:79 (howdy) and remote-id: "
		      "87:f6:79:77:ef");
	legal_log_format(line, sizeof(line), &l.ev[1]);
	assert_string_equal(
		line, "Address: 192.2.1.100 has been assigned for 2 days 1 hrs "
		      "52 mins 15 secs to a device with hardware address: "
		      "hwtype=1 08:00:2b:02:3f:4e connected via relay at "
		      "address: 192.2.16.33, identified by circuit-id: "
		      "68:6f:77:64:79 (howdy)");
	legal_log_format(line, sizeof(line), &l.ev[2]);
	assert_string_equal(line,
			    "Address: 192.2.1.100 has been released from a "
			    "device with hardware address: hwtype=1 "
			    "08:00:2b:02:3f:4e, client-id: 17:34:e2:ff:09:92:54");
	/* A short buffer is cut, never overrun. */
	assert_int_equal(legal_log_format(line, 12, &l.ev[0]), 11);
	assert_string_equal(line, "Address: 19");
	lease_events_free(&l);
}

/* DIR/BASE.YYYYMMDD.txt of the local day, appended, a timestamp first. */
static void test_daily_file(void **state)
{
	struct lease_events l = {.keep = true};
	struct legal_log lg;
	char dir[64], path[160], stamp[32], buf[2048];
	time_t t = 1700000000;
	struct tm tm;
	FILE *f;
	size_t n;

	(void)state;
	assert_int_equal(tmp_dir_make(dir, sizeof(dir), "legal"), 0);
	request(DHCPREQUEST, 600);
	lease_events_note(&l, &msg, &res, 0);
	legal_log_init(&lg, dir, "kea-legal");
	assert_int_equal(legal_log_write(&lg, &l, t), 0);
	assert_int_equal(legal_log_write(&lg, &l, t + 1), 0);
	assert_int_equal(legal_log_sync(&lg), 0);
	localtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d", &tm);
	snprintf(path, sizeof(path), "%s/kea-legal.%s.txt", dir, stamp);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S ", &tm);
	assert_memory_equal(buf, stamp, strlen(stamp));
	assert_non_null(strstr(buf, " Address: 192.2.1.100 has been assigned"));
	assert_non_null(strchr(strchr(buf, '\n') + 1, '\n')); /* two lines */
	/* the next day, the next file */
	t += 86400;
	assert_int_equal(legal_log_write(&lg, &l, t), 0);
	localtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d", &tm);
	snprintf(path, sizeof(path), "%s/kea-legal.%s.txt", dir, stamp);
	assert_int_equal(access(path, R_OK), 0);
	legal_log_close(&lg);
	lease_events_free(&l);
	tmp_dir_remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kea_wording),
		cmocka_unit_test(test_daily_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
