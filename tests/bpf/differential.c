// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The differential test's harness (differential.h): the daemon's path
 * (frame_in_parse -> dhcp_msg_decode -> engine_handle ->
 * reply_frame_build, chained as user/daemon/slowpath.c chains them) and
 * XDP on the same frame, with the same state, and their replies compared.
 * BPF_PROG_RUN takes the ingress interface only from 5.15 on: on older
 * kernels each row still checks the engine's decision, then is reported
 * SKIPPED.
 */
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
#include "util/clock.h"
#include "util/fmt.h"
#include "wire/dhcp_msg.h"
#include "wire/frame_in.h"
#include "wire/frame_out.h"
#include "wire/reply_frame.h"
#include "frame.h"
#include "xdp_env.h"
#include "differential.h"
#include "diff_path.h"

/* The relay agent's MAC, the Ethernet sender of relayed requests. */
static const uint8_t MAC_RELAY[6] = {0x02, 0xd1, 0xff, 0, 0, 0x01};

/* ---- state shared by both sides ----------------------------------------- */

static char root[] = "/tmp/dhcpxdp-test-diff-XXXXXX";
static char pin_dir[PATH_MAX];
static const char *skip_reason;
static struct netif srv; /* dxs0: what the daemon's served_if holds */
static uint32_t direct_subnet;
static struct dx_bpf obj;
static bool obj_open;
static struct dx_config *cfg;
static struct engine *eng;
static struct map_slots slots;
static const struct diff_table *tbl;

static int load_config(void)
{
	struct config_diag diag;
	int ret = config_load_string(tbl->cfg_json, "differential.json", &cfg,
				     &diag);

	if (ret)
		fprintf(stderr, "test_differential: %s\n", diag.error);
	config_diag_free(&diag);
	return ret;
}

/* The leases into the engine, their entries into the map, and the
 * configuration into the maps, as the daemon starts (daemon.c:
 * build_engine, sync_maps). */
static int load_state(void)
{
	struct engine_map_op *ops = calloc(tbl->n_leases + 1, sizeof(*ops));
	int64_t now = now_wall();
	struct map_sync_report rep;
	char err[256] = "";
	size_t n = 0;
	int ret = -1;

	if (!ops)
		return -1;
	for (size_t i = 0; i < tbl->n_leases; i++) {
		const struct lease_row *l = &tbl->leases[i];
		int64_t valid =
			config_subnet_by_id(cfg, l->subnet)->valid_lifetime;
		struct dx_lease_rec rec = {.subnet_id = l->subnet,
					   .addr = l->addr,
					   .state = DX_LEASE_ACTIVE,
					   .expires = now + valid / 2,
					   .horizon = now + l->horizon_in,
					   .last_seen = now - valid / 2};

		if (l->expires_in)
			rec.expires = now + l->expires_in;
		if (rec.horizon < rec.expires)
			rec.expires = rec.horizon;
		memcpy(rec.mac, l->mac, 6);
		if (l->cid) {
			rec.client_id_len = l->cid[0];
			memcpy(rec.client_id, l->cid + 1, l->cid[0]);
		}
		if (engine_load_lease(eng, &rec, now, &ops[n]))
			goto out;
		if (ops[n].kind)
			n++;
	}
	if (map_sync_config(&obj, cfg, eng, &slots, &rep, err, sizeof(err))) {
		fprintf(stderr, "test_differential: %s\n", err);
		goto out;
	}
	ret = map_load_leases(&obj, ops, n, now, now_boot_ns());
out:
	free(ops);
	return ret;
}

static int group_setup(void **state)
{
	char err[256] = "";

	(void)state;
	if (geteuid() != 0) {
		skip_reason =
			"needs root (netns, bpffs, BPF_PROG_RUN); SKIPPING";
		fprintf(stderr, "test_differential: %s\n", skip_reason);
		return 0;
	}
	if (xdp_env_veth_ns(root))
		return -1;
	snprintf(pin_dir, sizeof(pin_dir), "%s/dhcpxdp", root);
	if (netif_lookup("dxs0", 0, &srv) || srv.addr != SRV_IP ||
	    load_config() || engine_new(cfg, &eng))
		return -1;
	direct_subnet = config_interface_subnet(cfg, "dxs0", srv.addr);
	if (dx_bpf_open(&obj, pin_dir, 4096, err, sizeof(err))) {
		fprintf(stderr, "test_differential: %s\n", err);
		return -1;
	}
	obj_open = true;
	if (map_slots_load(&obj, &slots))
		return -1;
	return load_state();
}

static int group_teardown(void **state)
{
	(void)state;
	if (skip_reason)
		return 0;
	if (obj_open)
		dx_bpf_close(&obj);
	engine_free(eng);
	config_free(cfg);
	umount(root);
	rmdir(root);
	return 0;
}

/* ---- both sides ----------------------------------------------------------- */

static size_t request_frame(const struct req *q, uint32_t xid,
			    struct frame_spec *s, uint8_t *buf, size_t cap)
{
	static const uint8_t prl[] = {DHCP_OPT_SUBNET_MASK, DHCP_OPT_ROUTER,
				      DHCP_OPT_DNS_SERVERS};
	static const uint8_t circuit[] = {1, 4, 'p', 'o', 'r', 't'};
	size_t len;

	frame_spec_init(s, q->mac, xid);
	s->vlan = q->vlan ? q->vlan : -1;
	s->ciaddr = q->ciaddr;
	s->giaddr = q->giaddr;
	s->flags = q->bcast ? DHCP_FLAG_BROADCAST : 0;
	if (q->giaddr) {
		/* A relay agent (RFC 1542 §4) sends from its own address
		 * and port 67, and is the Ethernet sender. */
		memcpy(s->src_mac, MAC_RELAY, 6);
		memcpy(s->dst_mac, srv.mac, 6);
		s->src_ip = q->giaddr;
		s->dst_ip = srv.addr;
		s->sport = DHCP_SERVER_PORT;
		s->hops = 1;
	} else if (q->unicast) {
		memcpy(s->dst_mac, srv.mac, 6);
		s->src_ip = q->ciaddr;
		s->dst_ip = srv.addr;
	} else {
		s->src_ip = q->ciaddr; /* REBINDING: broadcast from it */
	}
	opt_add_u8(s, DHCP_OPT_MSG_TYPE, q->type);
	if (q->reqip)
		opt_add_ip(s, DHCP_OPT_REQUESTED_IP, q->reqip);
	if (q->sid)
		opt_add_ip(s, DHCP_OPT_SERVER_ID, q->sid);
	if (q->cid)
		opt_add(s, DHCP_OPT_CLIENT_ID, q->cid[0], q->cid + 1);
	opt_add(s, DHCP_OPT_PARAM_REQUEST, sizeof(prl), prl);
	if (q->subnet_sel)
		opt_add_ip(s, DHCP_OPT_SUBNET_SELECTION, q->subnet_sel);
	/* RFC 3046 §2.1: added by the relay as the last option */
	if (q->relay_info && q->ri)
		opt_add(s, DHCP_OPT_RELAY_AGENT_INFO, q->ri[0], q->ri + 1);
	else if (q->relay_info)
		opt_add(s, DHCP_OPT_RELAY_AGENT_INFO, sizeof(circuit), circuit);
	opt_end(s);
	if (q->dst_mac)
		memcpy(s->dst_mac, q->dst_mac, 6);
	if (q->dst_ip)
		s->dst_ip = q->dst_ip;
	len = frame_build(s, buf, cap);
	/* One bit of the checksum: never a valid sum again. */
	if (len && q->bad_ip_csum)
		buf[frame_l2_len(s) + 11] ^= 0x01;
	return len;
}

/*
 * The daemon's slow path for one frame (diff_daemon_path): the reply
 * frame's length (0 when the engine does not answer, or when
 * frame_in_parse refuses the frame with `frame_in` as the row expects,
 * before the engine sees it).
 */
static size_t daemon_path(const uint8_t *f, size_t len, int frame_in,
			  struct engine_result *res, uint8_t *out, size_t cap)
{
	static struct diff_daemon dd;
	/* only untagged dxs0 is ours */
	struct diff_net net = {.addr = srv.addr,
			       .direct_subnet_id = direct_subnet};

	memcpy(net.mac, srv.mac, 6);
	diff_daemon_path(eng, &net, 1, f, len, now_wall(), &dd, out, cap);
	*res = dd.res;
	assert_int_equal(dd.frame_in, frame_in);
	if (frame_in)
		return 0;
	assert_int_equal(dd.decode, 0);
	assert_int_equal(dd.build, 0);
	return dd.reply_len;
}

/* What a reply says, whichever side wrote it. */
#define decision diff_decision

static void decide_of(const char *side, const uint8_t *f, size_t len,
		      struct decision *d)
{
	char why[128];

	if (diff_decision_of(f, len, d, why, sizeof(why)))
		fail_msg("%s: %s", side, why);
}

/* XDP answered: the daemon must have decided exactly the same. */
static void same_decision(const struct decision *x, const struct decision *d)
{
	char why[160];

	if (diff_same_decision(x, d, why, sizeof(why)))
		fail_msg("%s", why);
}

#define WANT(side, what, got, want)                                      \
	do {                                                             \
		if ((got) != (want))                                     \
			fail_msg("%s: %s %#llx, want %#llx", side, what, \
				 (unsigned long long)(got),              \
				 (unsigned long long)(want));            \
	} while (0)
#define WANT_MAC(side, what, got, want)                                \
	do {                                                           \
		char a_[18], b_[18];                                   \
		if (memcmp(got, want, 6))                              \
			fail_msg("%s: %s %s, want %s", side, what,     \
				 fmt_mac(a_, got), fmt_mac(b_, want)); \
	} while (0)

/*
 * siaddr, sname and file the reply must carry (RFC 2131 §2): the subnet's
 * boot fields, the client's reservation's own on top; none in a NAK.
 */
static void check_bootp(const char *side, const struct dx_subnet_conf *sc,
			const struct frame_spec *rq, const struct decision *d,
			bool nak)
{
	struct dx_bootp_conf b = sc->bootp;
	char sname[64] = {0}, file[128] = {0};

	for (size_t i = 0; i < sc->n_reservations; i++)
		if (sc->reservations[i].has_hw &&
		    !memcmp(sc->reservations[i].hw, rq->chaddr, 6))
			config_bootp_merge(&b, &sc->reservations[i].bootp);
	if (nak)
		memset(&b, 0, sizeof(b));
	memcpy(sname, b.server_hostname, strlen(b.server_hostname));
	memcpy(file, b.boot_file_name, strlen(b.boot_file_name));
	WANT(side, "siaddr", d->siaddr, b.next_server);
	if (memcmp(d->sname, sname, sizeof(sname)) ||
	    memcmp(d->file, file, sizeof(file)))
		fail_msg("%s: sname '%.64s' file '%.128s', want '%s' '%s'",
			 side, d->sname, d->file, sname, file);
}

/* A reply (either side's) against the row and the request it answers. */
static void check_reply(const char *side, const struct expect *e,
			const struct frame_spec *rq, const struct decision *d)
{
	static const uint8_t bcast_mac[6] = {0xff, 0xff, 0xff,
					     0xff, 0xff, 0xff};
	const struct dx_subnet_conf *sc = config_subnet_by_id(cfg, e->subnet);
	bool nak = e->type == DHCPNAK;
	uint16_t flags = rq->flags;

	WANT(side, "message type", d->type, e->type);
	if (e->yiaddr == POOL_ADDR) {
		if (!tbl->pool_addr(d->yiaddr))
			fail_msg("%s: yiaddr %#x is not a free pool "
				 "address",
				 side, d->yiaddr);
	} else {
		WANT(side, "yiaddr", d->yiaddr, e->yiaddr);
	}
	/* RFC 2131 §4.1 */
	switch (e->to) {
	case TO_CHADDR:
		WANT_MAC(side, "Ethernet destination", d->hdr.dst_mac,
			 rq->chaddr);
		WANT(side, "IP destination", d->hdr.dst_ip, d->yiaddr);
		WANT(side, "UDP destination", d->hdr.dport, DHCP_CLIENT_PORT);
		break;
	case TO_CIADDR:
		WANT_MAC(side, "Ethernet destination", d->hdr.dst_mac,
			 rq->src_mac);
		WANT(side, "IP destination", d->hdr.dst_ip, rq->ciaddr);
		WANT(side, "UDP destination", d->hdr.dport, DHCP_CLIENT_PORT);
		break;
	case TO_BROADCAST:
		WANT_MAC(side, "Ethernet destination", d->hdr.dst_mac,
			 bcast_mac);
		WANT(side, "IP destination", d->hdr.dst_ip, 0xffffffff);
		WANT(side, "UDP destination", d->hdr.dport, DHCP_CLIENT_PORT);
		break;
	case TO_RELAY:
		WANT_MAC(side, "Ethernet destination", d->hdr.dst_mac,
			 rq->src_mac);
		WANT(side, "IP destination", d->hdr.dst_ip, rq->giaddr);
		WANT(side, "UDP destination", d->hdr.dport, DHCP_SERVER_PORT);
		break;
	}
	/* From our address on the arrival link, which is the server
	 * identifier (RFC 2131 §4.1), on the request's VLAN. */
	WANT_MAC(side, "Ethernet source", d->hdr.src_mac, srv.mac);
	WANT(side, "IP source", d->hdr.src_ip, srv.addr);
	WANT(side, "UDP source", d->hdr.sport, DHCP_SERVER_PORT);
	WANT(side, "server identifier", d->server_id, srv.addr);
	WANT(side, "VLAN", d->hdr.vlan, rq->vlan);
	/* RFC 2131 table 3 */
	WANT(side, "xid", d->xid, rq->xid);
	WANT_MAC(side, "chaddr", d->chaddr, rq->chaddr);
	WANT(side, "giaddr", d->giaddr, rq->giaddr);
	WANT(side, "ciaddr", d->ciaddr, e->type == DHCPACK ? rq->ciaddr : 0);
	/* §4.3.2: a relayed NAK has the broadcast bit set. */
	if (nak && rq->giaddr)
		flags |= DHCP_FLAG_BROADCAST;
	WANT(side, "flags", d->flags, flags);
	WANT(side, "lease time", d->lease_time, nak ? 0 : sc->valid_lifetime);
	WANT(side, "T1", d->t1, nak ? 0 : sc->renew_timer);
	WANT(side, "T2", d->t2, nak ? 0 : sc->rebind_timer);
	check_bootp(side, sc, rq, d, nak);
}

static void check_engine(const struct row *r, const struct engine_result *res)
{
	const struct expect *e = &r->eng;

	if (res->action != e->action)
		fail_msg("engine: action %d (drop reason %s), want %d",
			 res->action, engine_drop_reason_name(res->drop_reason),
			 e->action);
	if (e->action == ENGINE_DROP)
		WANT("engine", "drop reason", res->drop_reason, e->drop);
	else
		WANT("engine", "subnet", res->subnet_id, e->subnet);
}

static void run_row(void **state)
{
	static struct engine_result res;
	static bool warned;
	const struct row *r = *state;
	uint8_t in[FRAME_MAX], xout[FRAME_MAX], dout[FRAME_MAX];
	size_t len, xlen = sizeof(xout), dlen;
	struct decision xd, dd;
	struct frame_spec rq;
	uint64_t punts = 0;
	int verdict;

	if (skip_reason)
		skip();
	len = request_frame(&r->rq, 0x5eed0000 + (uint32_t)(r - tbl->rows), &rq,
			    in, sizeof(in));
	assert_true(len > 0);
	if (r->punt)
		punts = xdp_stat_sum(obj.stats_fd, r->punt);

	/* XDP sees the frame first; the daemon gets what it passes. */
	verdict = xdp_run_on(obj.prog_fd, srv.ifindex, in, len, xout, &xlen);
	dlen = daemon_path(in, len, r->frame_in, &res, dout, sizeof(dout));
	/* Once durable the changes go into the map, as
	 * slowpath_commit_done() does (the daemon never sees a frame XDP
	 * answered; applying that renewal's new horizon too only keeps the
	 * map mirroring the engine). */
	assert_int_equal(map_load_leases(&obj, res.ch.map, res.ch.n_map,
					 now_wall(), now_boot_ns()),
			 0);

	if (!r->frame_in)
		check_engine(r, &res);
	if (dlen) {
		decide_of("daemon", dout, dlen, &dd);
		check_reply("daemon", &r->eng, &rq, &dd);
	}
	if (verdict == -EINVAL) {
		if (!warned)
			fprintf(stderr,
				"test_differential: this kernel's BPF_PROG_RUN "
				"cannot set the ingress interface (5.15+); "
				"the XDP side is SKIPPED, the engine's "
				"decisions were checked\n");
		warned = true;
		skip();
	}
	assert_true(verdict == XDP_TX || verdict == XDP_PASS);
	if (verdict == XDP_TX && r->xdp == XDP_PASS) {
		decide_of("XDP", xout, xlen, &xd);
		fail_msg("XDP answered (message type %u, yiaddr %#x), the "
			 "daemon was to decide",
			 xd.type, xd.yiaddr);
	}
	if (verdict != r->xdp)
		fail_msg("XDP passed the frame up, it was to answer");
	if (verdict == XDP_PASS) {
		/* Untouched, and counted under the row's reason. */
		assert_int_equal(xlen, len);
		assert_memory_equal(xout, in, len);
		if (r->punt)
			assert_true(xdp_stat_sum(obj.stats_fd, r->punt) ==
				    punts + 1);
		return;
	}
	/* XDP answered: the engine must answer, and alike. */
	assert_int_equal(res.action, ENGINE_REPLY);
	decide_of("XDP", xout, xlen, &xd);
	check_reply("XDP", &r->eng, &rq, &xd);
	same_decision(&xd, &dd);
}

int differential_run(const struct diff_table *t)
{
	struct CMUnitTest *tests = calloc(t->n_rows, sizeof(*tests));
	int ret;

	if (!tests)
		return -1;
	tbl = t;
	for (size_t i = 0; i < t->n_rows; i++)
		tests[i] = (struct CMUnitTest){
			.name = t->rows[i].name,
			.test_func = run_row,
			.initial_state = (void *)&t->rows[i],
		};
	ret = _cmocka_run_group_tests("differential", tests, t->n_rows,
				      group_setup, group_teardown);
	free(tests);
	return ret;
}
