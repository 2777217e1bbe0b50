// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* user/daemon/lease_log.c: the lease event lines, written only for a
 * durable batch, with their IDs and fields; NAK lines bounded. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <dhcpxdp/dhcp_wire.h>
#include "daemon/lease_log.h"
#include "engine/engine.h"
#include "util/log.h"
#include "wire/dhcp_msg.h"

static char path[64];
static struct dhcp_msg msg;
static struct engine_result res;

static int setup(void **state)
{
	char err[128];
	struct log_conf c;
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/dhcpxdp-lease-log-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	close(fd);
	log_init(false);
	log_conf_default(&c);
	c.n_out = 1;
	log_output_default(&c.out[0]);
	c.out[0].kind = LOG_OUT_FILE;
	snprintf(c.out[0].path, sizeof(c.out[0].path), "%s", path);
	return log_configure(&c, err, sizeof(err));
}

static int teardown(void **state)
{
	(void)state;
	log_fini();
	unlink(path);
	return 0;
}

/* The lines written since the last call, into buf. */
static const char *new_lines(void)
{
	static char buf[32768];
	static long off;
	size_t n;
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (!f)
		return buf;
	fseek(f, off, SEEK_SET);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	off += (long)n;
	fclose(f);
	return buf;
}

static void ack(int req_state)
{
	static const uint8_t cid[] = {1, 2, 0xaa, 0, 0, 0, 1};
	static const uint8_t rai[] = {1, 3, 'e', 't', 'h', 2, 1, 9};

	memset(&msg, 0, sizeof(msg));
	memset(&res, 0, sizeof(res));
	msg.msg_type = DHCPREQUEST;
	memcpy(msg.chaddr, "\x02\xaa\x00\x00\x00\x01", 6);
	msg.xid = 0x1234abcd;
	msg.client_id = cid;
	msg.client_id_len = sizeof(cid);
	msg.hostname = (const uint8_t *)"pc1";
	msg.hostname_len = 3;
	msg.giaddr = 0x0a010001;
	msg.relay_info = rai;
	msg.relay_info_len = sizeof(rai);
	res.action = ENGINE_REPLY;
	res.req_state = req_state;
	res.subnet_id = 7;
	res.reply.msg_type = DHCPACK;
	res.reply.yiaddr = 0x0a4d0065;
	res.reply.lease_time = 3600;
}

static void test_grant_written_when_durable(void **state)
{
	struct lease_events l = {0};
	const char *out;

	(void)state;
	new_lines();
	ack(ENGINE_REQ_SELECTING);
	lease_events_note(&l, &msg, &res, 0);
	assert_string_equal(new_lines(), ""); /* not durable yet */
	lease_events_flush(&l);
	out = new_lines();
	assert_non_null(strstr(out, " INFO  [dhcpxdp/"));
	assert_non_null(strstr(
		out, "DHCPXDP_LEASE_ALLOC lease 10.77.0.101 allocated for 3600 "
		     "s: hwaddr=02:aa:00:00:00:01 cid=01:02:aa:00:00:00:01 "
		     "hostname=pc1 giaddr=10.1.0.1 circuit-id=65:74:68 "
		     "subnet-id=7 xid=0x1234abcd\n"));
	ack(ENGINE_REQ_RENEWING);
	lease_events_note(&l, &msg, &res, 0);
	lease_events_flush(&l);
	assert_non_null(strstr(new_lines(), "DHCPXDP_LEASE_RENEW lease "
					    "10.77.0.101 renewed for 3600 s"));
	lease_events_free(&l);
}

static void test_rolled_back_leaves_no_line(void **state)
{
	struct lease_events l = {0};

	(void)state;
	new_lines();
	ack(ENGINE_REQ_SELECTING);
	lease_events_note(&l, &msg, &res, 0);
	lease_events_drop(&l);
	lease_events_flush(&l);
	assert_string_equal(new_lines(), "");
	lease_events_free(&l);
}

static void test_release_and_decline(void **state)
{
	struct lease_events l = {0};
	struct dx_lease_op op = {.kind = DX_LEASE_OP_UPSERT};
	const char *out;

	(void)state;
	new_lines();
	ack(ENGINE_REQ_NONE);
	res.action = ENGINE_SILENT;
	res.ch.n_ops = 1;
	msg.msg_type = DHCPRELEASE;
	msg.ciaddr = 0x0a4d0065;
	msg.giaddr = 0;
	lease_events_note(&l, &msg, &res, 3600);
	msg.msg_type = DHCPDECLINE;
	msg.has_requested_ip = true;
	msg.requested_ip = 0x0a4d0066;
	lease_events_note(&l, &msg, &res, 3600);
	/* A DECLINE that changed nothing is no event. */
	res.ch.n_ops = 0;
	lease_events_note(&l, &msg, &res, 3600);
	lease_events_flush(&l);
	op.rec.state = DX_LEASE_EXPIRED;
	op.rec.addr = 0x0a4d0067;
	op.rec.subnet_id = 7;
	lease_log_ops(&op, 1);
	out = new_lines();
	assert_non_null(strstr(out, "DHCPXDP_RELEASE lease 10.77.0.101 "
				    "released: hwaddr=02:aa:00:00:00:01 "));
	assert_non_null(strstr(out, "DHCPXDP_DECLINE_LEASE lease 10.77.0.102 "
				    "declined, in probation for 3600 s"));
	assert_ptr_equal(
		strstr(strstr(out, "DECLINE_LEASE") + 1, "DECLINE_LEASE"),
		NULL);
	assert_non_null(strstr(out, "DHCPXDP_LEASE_RECLAIM lease 10.77.0.103 "
				    "expired, reclaimed: hwaddr="));
	lease_events_free(&l);
}

static void test_nak_lines_bounded(void **state)
{
	const char *out;
	size_t n = 0;

	(void)state;
	new_lines();
	ack(ENGINE_REQ_INIT_REBOOT);
	res.reply.msg_type = DHCPNAK;
	res.reply.message = "requested address not available";
	msg.has_requested_ip = true;
	msg.requested_ip = 0x0a4d0068;
	for (int i = 0; i < 80; i++)
		lease_log_reply(&msg, &res, 1000);
	out = new_lines();
	assert_non_null(strstr(out, "DHCPXDP_RESPONSE_NAK NAK for 10.77.0.104: "
				    "hwaddr=02:aa:00:00:00:01 "));
	assert_non_null(strstr(out, ": requested address not available"));
	for (const char *p = out; (p = strstr(p, "RESPONSE_NAK")); p++)
		n++;
	assert_int_equal(n, 50);
	lease_log_reply(&msg, &res, 1001);
	assert_non_null(
		strstr(new_lines(), "(30 NAK lines suppressed before)"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grant_written_when_durable),
		cmocka_unit_test(test_rolled_back_leaves_no_line),
		cmocka_unit_test(test_release_and_decline),
		cmocka_unit_test(test_nak_lines_bounded),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
