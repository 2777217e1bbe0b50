/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The fixture of the map sync tests (test_map_sync.c,
 * test_map_sync_expiry.c, test_map_sync_networks.c): a veth dxs0 - dxc0
 * in a private network namespace with a private bpffs, the pinned XDP
 * object, the configuration below and an engine made from it; running
 * the program as if a frame arrived on an interface (skipped on kernels
 * before 5.15), and checks of the replies.
 *
 * static inline in a header, its state static: each test binary has its
 * own, under the names its tests use.
 */
#ifndef DHCPXDP_TEST_MAP_SYNC_FIXTURE_H
#define DHCPXDP_TEST_MAP_SYNC_FIXTURE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <cmocka.h>
#include <dhcpxdp/abi.h>
#include <dhcpxdp/dhcp_wire.h>
#include "config/config.h"
#include "engine/engine.h"
#include "kernel/bpf_obj.h"
#include "kernel/map_sync.h"
#include "kernel/netif.h"
#include "frame.h"
#include "xdp_env.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

/* Subnet 42 on dxs0 with two reservations, one with a hostname (left to
 * the daemon); subnet 43 behind the relay 10.9.0.254, with boot fields. */
static const char *cfg_full =
	"{ \"Dhcp4\": {"
	"  \"interfaces-config\": { \"interfaces\": [ \"dxs0\" ] },"
	"  \"valid-lifetime\": 600,"
	"  \"subnet4\": ["
	"   { \"id\": 42, \"subnet\": \"10.9.0.0/24\", \"interface\": \"dxs0\","
	"     \"pools\": [ { \"pool\": \"10.9.0.10 - 10.9.0.99\" } ],"
	"     \"option-data\": ["
	"       { \"name\": \"routers\", \"data\": \"10.9.0.1\" },"
	"       { \"name\": \"domain-name-servers\","
	"         \"data\": \"10.9.0.2, 10.9.0.3\" },"
	"       { \"name\": \"domain-name\", \"data\": \"lab.example\" } ],"
	"     \"reservations\": ["
	"       { \"hw-address\": \"02:11:00:00:00:01\","
	"         \"ip-address\": \"10.9.0.200\" },"
	"       { \"hw-address\": \"02:11:00:00:00:02\","
	"         \"ip-address\": \"10.9.0.201\","
	"         \"hostname\": \"named\" } ] },"
	"   { \"id\": 43, \"subnet\": \"172.30.0.0/24\","
	"     \"relay\": { \"ip-addresses\": [ \"10.9.0.254\" ] },"
	"     \"next-server\": \"172.30.0.5\", \"boot-file-name\": \"a.efi\","
	"     \"pools\": [ { \"pool\": \"172.30.0.10 - 172.30.0.20\" } ] }"
	" ] } }";

static char root[] = "/tmp/dhcpxdp-test-mapsync-XXXXXX";
static char pin_dir[PATH_MAX];
static const char *skip_reason;
static struct netif srv;
static struct dx_bpf obj;
static struct dx_config *cfg;
static struct engine *eng;
static struct map_slots slots;

static inline int group_setup(void **state)
{
	struct config_diag diag;
	char err[256];

	(void)state;
	if (geteuid() != 0) {
		skip_reason =
			"needs root (netns, bpffs, BPF_PROG_RUN); SKIPPING";
		fprintf(stderr, "%s: %s\n", program_invocation_short_name,
			skip_reason);
		return 0;
	}
	if (xdp_env_veth_ns(root))
		return -1;
	snprintf(pin_dir, sizeof(pin_dir), "%s/dhcpxdp", root);
	if (netif_lookup("dxs0", 0, &srv))
		return -1;
	if (config_load_string(cfg_full, "test.json", &cfg, &diag)) {
		fprintf(stderr, "%s\n", diag.error);
		return -1;
	}
	config_diag_free(&diag);
	if (engine_new(cfg, &eng) ||
	    dx_bpf_open(&obj, pin_dir, 32768, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return map_slots_load(&obj, &slots);
}

static inline int group_teardown(void **state)
{
	(void)state;
	if (skip_reason)
		return 0;
	dx_bpf_close(&obj);
	engine_free(eng);
	config_free(cfg);
	umount(root);
	rmdir(root);
	return 0;
}

/*
 * Run the program as if the frame arrived on interface `ifindex`. Kernels
 * before 5.15 refuse an XDP context in BPF_PROG_RUN (-EINVAL): the test
 * is skipped there, saying why (the client smoke still covers those
 * kernels).
 */
static inline int run_on(uint32_t ifindex, const uint8_t *in, size_t len,
			 uint8_t *out, size_t *out_len)
{
	static bool warned;
	int ret = xdp_run_on(obj.prog_fd, ifindex, in, len, out, out_len);

	if (ret == -EINVAL) {
		if (!warned)
			fprintf(stderr,
				"%s: this kernel's BPF_PROG_RUN "
				"cannot set the ingress interface (5.15+); "
				"SKIPPING the tests that need it\n",
				program_invocation_short_name);
		warned = true;
		skip();
	}
	return ret;
}

static inline int run_on_dxs0(const uint8_t *in, size_t len, uint8_t *out,
			      size_t *out_len)
{
	return run_on(srv.ifindex, in, len, out, out_len);
}

static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

/* The reply's option `code`, or NULL. */
static inline const uint8_t *reply_opt(const uint8_t *d, size_t len,
				       uint8_t code)
{
	for (size_t i = 240; i + 1 < len;) {
		if (d[i] == 0) {
			i++;
			continue;
		}
		if (d[i] == 255)
			break;
		if (d[i] == code)
			return d + i;
		i += 2 + d[i + 1];
	}
	return NULL;
}

/* Reply sanity: checksums right, type, yiaddr, server id and router
 * (both `server`). */
static inline void check_reply_from(const uint8_t *out, size_t len,
				    uint8_t type, uint32_t yiaddr,
				    uint32_t server)
{
	const uint8_t *ip = out + 14, *udp = ip + 20, *d = udp + 8, *o;
	size_t dlen = len - 42;

	assert_int_equal(inet_csum(ip, 20, 0), 0);
	assert_int_equal(udp_csum_verify(ip, udp, len - 34), 0);
	assert_int_equal(get32(d + 16), yiaddr);
	o = reply_opt(d, dlen, DHCP_OPT_MSG_TYPE);
	assert_non_null(o);
	assert_int_equal(o[2], type);
	o = reply_opt(d, dlen, DHCP_OPT_SERVER_ID);
	assert_non_null(o);
	assert_int_equal(get32(o + 2), server);
	o = reply_opt(d, dlen, DHCP_OPT_ROUTER);
	assert_non_null(o);
	assert_int_equal(get32(o + 2), server);
	o = reply_opt(d, dlen, DHCP_OPT_LEASE_TIME);
	assert_non_null(o);
	assert_int_equal(get32(o + 2), 600);
}

static inline void check_reply(const uint8_t *out, size_t len, uint8_t type,
			       uint32_t yiaddr)
{
	check_reply_from(out, len, type, yiaddr, IP(10, 9, 0, 1));
}

/* A RENEWING client's request for addr (ciaddr, unicast to dxs0's
 * 10.9.0.1): the frame's length in `in`. */
static inline size_t renewing_frame(const uint8_t mac[6], uint32_t xid,
				    uint32_t addr, uint8_t *in, size_t cap)
{
	struct frame_spec s;

	frame_spec_init(&s, mac, xid);
	opt_add_u8(&s, DHCP_OPT_MSG_TYPE, DHCPREQUEST);
	s.ciaddr = s.src_ip = addr;
	s.dst_ip = IP(10, 9, 0, 1);
	memcpy(s.dst_mac, srv.mac, 6);
	opt_end(&s);
	return frame_build(&s, in, cap);
}

static inline uint64_t stat_sum(enum dx_stat stat)
{
	return xdp_stat_sum(obj.stats_fd, stat);
}

static inline int sync_group_cfg(void)
{
	struct map_sync_report rep;
	char err[256] = "";
	int ret =
		map_sync_config(&obj, cfg, eng, &slots, &rep, err, sizeof(err));

	if (ret)
		fprintf(stderr, "%s: %s\n", program_invocation_short_name, err);
	return ret;
}

/* A reload: the configuration in `json` loaded, its engine built and
 * both synced into the maps. The caller frees *next_eng and *next. */
static inline void sync_next_cfg(const char *json, struct dx_config **next,
				 struct engine **next_eng)
{
	struct map_sync_report rep;
	struct config_diag diag;
	char err[256] = "";

	assert_int_equal(config_load_string(json, "next.json", next, &diag), 0);
	config_diag_free(&diag);
	assert_int_equal(engine_new(*next, next_eng), 0);
	assert_int_equal(map_sync_config(&obj, *next, *next_eng, &slots, &rep,
					 err, sizeof(err)),
			 0);
}

/* group_setup, then the configuration synced into the maps, as a daemon
 * has it once started. */
static inline int group_setup_synced(void **state)
{
	int ret = group_setup(state);

	if (ret || skip_reason)
		return ret;
	return sync_group_cfg();
}

#endif
