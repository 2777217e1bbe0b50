// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Seed corpora for the fuzzers: seeds OUT_DIR [config.json...]
 *
 *   OUT_DIR/fuzz_frame/     two control bytes (fuzz_frame.c) + a frame
 *   OUT_DIR/fuzz_dhcp_msg/  the DHCP payloads of the same frames, and one
 *                           whose `file` field describes configured options
 *   OUT_DIR/fuzz_config/    small configurations, and the files named
 *
 * The frames are what clients and relays send to fuzz_frame's
 * configuration (fuzz_common.h): every message type, each REQUEST state,
 * VLAN-tagged, relayed with option 82, reserved clients, option overload,
 * RFC 3396 split and long options. File names are fixed, so a rerun
 * rewrites the same seeds.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dhcpxdp/dhcp_wire.h"
#include "frame.h"
#include "fuzz_common.h"

/* fuzz_frame.c byte 0: subnet 1 direct, lengths and checksum fixed. */
#define CTL_DIRECT1  (0x40 | 1)
#define CTL_RELAYED  0x40
#define CTL_UNSERVED (0x40 | 3) /* a network we do not serve */
#define CTL_UNICAST  4
#define CTL_EXPIRE   8
#define CTL_NOTE     16
#define CTL_FRESH    0xe0 /* and a fresh engine: a sequence's first record */

static const char *out_dir;
static int failures;

static void write_file(const char *sub, const char *name, const void *a,
		       size_t la, const void *b, size_t lb)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", out_dir, sub);
	if (mkdir(path, 0755) && errno != EEXIST) {
		perror(path);
		failures++;
		return;
	}
	snprintf(path, sizeof(path), "%s/%s/%s", out_dir, sub, name);
	f = fopen(path, "wb");
	if (!f || fwrite(a, 1, la, f) != la ||
	    (lb && fwrite(b, 1, lb, f) != lb)) {
		perror(path);
		failures++;
	}
	if (f && fclose(f))
		failures++;
}

/* Where the DHCP payload starts in a frame built by frame_build(). */
static size_t payload_off(const struct frame_spec *s)
{
	return (s->vlan >= 0 ? 18 : 14) + 20 + 8;
}

/* Rewrite payload bytes after frame_build() and fix the UDP checksum. */
static void patch(uint8_t *frame, const struct frame_spec *s, size_t len,
		  size_t dhcp_off, const void *bytes, size_t n)
{
	size_t p = payload_off(s);
	uint8_t *ip = frame + p - 28, *udp = frame + p - 8;
	uint16_t c;

	memcpy(frame + p + dhcp_off, bytes, n);
	udp[6] = udp[7] = 0;
	c = udp_csum_verify(ip, udp, len - (p - 8));
	udp[6] = (uint8_t)(c >> 8);
	udp[7] = (uint8_t)c;
}

static void emit(const char *name, uint8_t ctl, const struct frame_spec *s,
		 const uint8_t *frame, size_t len)
{
	uint8_t hdr[2] = {ctl, 1}; /* one second later */
	size_t p = payload_off(s);

	if (!len || len < p) {
		fprintf(stderr, "seed %s does not fit\n", name);
		failures++;
		return;
	}
	write_file("fuzz_frame", name, hdr, sizeof(hdr), frame, len);
	write_file("fuzz_dhcp_msg", name, frame + p, len - p, NULL, 0);
}

static void build_emit(const char *name, uint8_t ctl,
		       const struct frame_spec *s)
{
	static uint8_t frame[FRAME_MAX];

	emit(name, ctl, s, frame, frame_build(s, frame, sizeof(frame)));
}

static const uint8_t prl[] = {1, 3, 6, 15, 26, 28, 42, 119, 121, 12};

/* A client's message of `type` with the usual options (53, 61, 57, 55). */
static void client(struct frame_spec *s, uint8_t mac_last, uint8_t type,
		   uint32_t xid)
{
	const uint8_t mac[6] = FUZZ_MAC(mac_last);
	uint8_t cid[7] = {1};

	memcpy(cid + 1, mac, 6);
	frame_spec_init(s, mac, xid);
	opt_add_u8(s, DHCP_OPT_MSG_TYPE, type);
	opt_add(s, DHCP_OPT_CLIENT_ID, sizeof(cid), cid);
	opt_add(s, DHCP_OPT_MAX_MSG_SIZE, 2, (const uint8_t[]){0x05, 0xdc});
	opt_add(s, DHCP_OPT_PARAM_REQUEST, sizeof(prl), prl);
}

/* ---- messages ---- */

static void discover(struct frame_spec *s, uint8_t mac)
{
	client(s, mac, DHCPDISCOVER, 0x1000u * mac + 1);
	opt_end(s);
}

/* REQUEST, SELECTING: 54 ours, 50 the offered address. */
static void select_req(struct frame_spec *s, uint8_t mac, uint32_t addr)
{
	client(s, mac, DHCPREQUEST, 0x1000u * mac + 2);
	opt_add_ip(s, DHCP_OPT_SERVER_ID, FUZZ_SERVER_ID);
	opt_add_ip(s, DHCP_OPT_REQUESTED_IP, addr);
	opt_end(s);
}

/* REQUEST, INIT-REBOOT: no 54, ciaddr 0, 50. */
static void init_reboot(struct frame_spec *s, uint8_t mac, uint32_t addr)
{
	client(s, mac, DHCPREQUEST, 0x1000u * mac + 3);
	opt_add_ip(s, DHCP_OPT_REQUESTED_IP, addr);
	opt_end(s);
}

/* REQUEST, RENEWING (unicast from ciaddr to us) or REBINDING. */
static void renew(struct frame_spec *s, uint8_t mac, uint32_t addr,
		  bool unicast)
{
	client(s, mac, DHCPREQUEST, 0x1000u * mac + 4);
	opt_end(s);
	s->ciaddr = s->src_ip = addr;
	if (unicast) {
		s->dst_ip = FUZZ_SERVER_ID;
		memcpy(s->dst_mac, (const uint8_t[])FUZZ_MAC(0xfe), 6);
	}
}

static void release(struct frame_spec *s, uint8_t mac, uint32_t addr)
{
	client(s, mac, DHCPRELEASE, 0x1000u * mac + 5);
	opt_add_ip(s, DHCP_OPT_SERVER_ID, FUZZ_SERVER_ID);
	opt_end(s);
	s->ciaddr = s->src_ip = addr;
	s->dst_ip = FUZZ_SERVER_ID;
}

static void decline(struct frame_spec *s, uint8_t mac, uint32_t addr)
{
	client(s, mac, DHCPDECLINE, 0x1000u * mac + 6);
	opt_add_ip(s, DHCP_OPT_SERVER_ID, FUZZ_SERVER_ID);
	opt_add_ip(s, DHCP_OPT_REQUESTED_IP, addr);
	opt_end(s);
}

static void seed_discovers(void)
{
	static const uint8_t res_cid[] = FUZZ_RES_CID;
	struct frame_spec s;

	discover(&s, 0x10);
	build_emit("discover", CTL_DIRECT1, &s);

	client(&s, 0x11, DHCPDISCOVER, 0x1101);
	opt_add_ip(&s, DHCP_OPT_REQUESTED_IP, FUZZ_POOL1 + 5);
	opt_add(&s, DHCP_OPT_HOST_NAME, 6, "laptop");
	opt_end(&s);
	s.flags = DHCP_FLAG_BROADCAST;
	build_emit("discover-requested-ip", CTL_DIRECT1, &s);

	discover(&s, FUZZ_RES_HW_MAC);
	build_emit("discover-reserved-hw", CTL_DIRECT1, &s);

	frame_spec_init(&s, (const uint8_t[])FUZZ_MAC(0x03), 0x0301);
	opt_add_u8(&s, DHCP_OPT_MSG_TYPE, DHCPDISCOVER);
	opt_add(&s, DHCP_OPT_CLIENT_ID, sizeof(res_cid), res_cid);
	opt_end(&s);
	build_emit("discover-reserved-cid", CTL_DIRECT1, &s);

	discover(&s, 0x12);
	s.vlan = 100;
	build_emit("discover-vlan", CTL_DIRECT1, &s);

	/* BOOTP: no 53 (the engine drops it as unsupported). */
	frame_spec_init(&s, (const uint8_t[])FUZZ_MAC(0x13), 0x1301);
	opt_end(&s);
	s.min_dhcp_len = 300;
	build_emit("bootp", CTL_DIRECT1, &s);
}

static void seed_requests(void)
{
	struct frame_spec s;

	select_req(&s, 0x10, FUZZ_POOL1);
	build_emit("request-selecting", CTL_DIRECT1, &s);

	/* SELECTING another server: declines our offer. */
	client(&s, 0x11, DHCPREQUEST, 0x1102);
	opt_add_ip(&s, DHCP_OPT_SERVER_ID, FUZZ_IP(10, 77, 0, 2));
	opt_add_ip(&s, DHCP_OPT_REQUESTED_IP, FUZZ_POOL1 + 5);
	opt_end(&s);
	build_emit("request-other-server", CTL_DIRECT1, &s);

	init_reboot(&s, 0x10, FUZZ_POOL1);
	build_emit("request-init-reboot", CTL_DIRECT1, &s);
	renew(&s, 0x10, FUZZ_POOL1, true);
	build_emit("request-renewing", CTL_DIRECT1 | CTL_UNICAST, &s);
	renew(&s, 0x10, FUZZ_POOL1, false);
	build_emit("request-rebinding", CTL_DIRECT1, &s);
	/* Tagged with a VLAN we do not serve: dropped, whatever ciaddr. */
	renew(&s, 0x15, FUZZ_POOL1 + 7, true);
	s.vlan = 10;
	build_emit("request-renewing-unserved-vlan", CTL_UNSERVED | CTL_UNICAST,
		   &s);
	select_req(&s, FUZZ_RES_HW_MAC, FUZZ_RES_HW_IP);
	build_emit("request-reserved", CTL_DIRECT1, &s);
}

static void seed_others(void)
{
	struct frame_spec s;

	release(&s, 0x10, FUZZ_POOL1);
	build_emit("release", CTL_DIRECT1 | CTL_UNICAST, &s);
	decline(&s, 0x11, FUZZ_POOL1 + 5);
	build_emit("decline", CTL_DIRECT1, &s);

	client(&s, 0x14, DHCPINFORM, 0x1401);
	opt_end(&s);
	s.ciaddr = s.src_ip = FUZZ_IP(10, 77, 0, 50);
	s.dst_ip = FUZZ_SERVER_ID;
	build_emit("inform", CTL_DIRECT1 | CTL_UNICAST, &s);
}

/* A relay's copy (RFC 3046): giaddr, hops, option 82 last, from port 67. */
static void relayed(struct frame_spec *s, uint32_t relay)
{
	static const uint8_t ri[] = {1, 4,    'e', 't', '0', '7',  2,
				     6, 0x02, 0,   0,	0,   0x77, 0xaa};

	opt_add(s, DHCP_OPT_RELAY_AGENT_INFO, sizeof(ri), ri);
	opt_end(s);
	s->giaddr = s->src_ip = relay;
	s->dst_ip = FUZZ_SERVER_ID;
	s->sport = DHCP_SERVER_PORT;
	s->hops = 1;
}

/* A relayed DISCOVER, or REQUEST (SELECTING) of addr when addr != 0. */
static void relay_msg(struct frame_spec *s, uint8_t mac, uint32_t addr,
		      uint32_t relay)
{
	client(s, mac, addr ? DHCPREQUEST : DHCPDISCOVER, 0x2000u * mac);
	if (addr) {
		opt_add_ip(s, DHCP_OPT_SERVER_ID, FUZZ_SERVER_ID);
		opt_add_ip(s, DHCP_OPT_REQUESTED_IP, addr);
	}
	relayed(s, relay);
}

static void seed_relayed(void)
{
	struct frame_spec s;

	relay_msg(&s, 0x20, 0, FUZZ_RELAY1);
	build_emit("relay-discover", CTL_RELAYED | CTL_UNICAST, &s);
	relay_msg(&s, 0x20, FUZZ_POOL1, FUZZ_RELAY1);
	build_emit("relay-request", CTL_RELAYED | CTL_UNICAST, &s);
	relay_msg(&s, 0x21, 0, FUZZ_RELAY2);
	s.vlan = 7;
	build_emit("relay2-discover-vlan", CTL_RELAYED | CTL_UNICAST, &s);
	relay_msg(&s, 0x21, FUZZ_POOL2, FUZZ_RELAY2);
	build_emit("relay2-request", CTL_RELAYED | CTL_UNICAST, &s);
	s.vlan = 999; /* the same from a network we do not serve */
	build_emit("relay2-request-unserved-vlan", CTL_UNSERVED | CTL_UNICAST,
		   &s);
}

/* Option overload (52 = 3): options continue in file, then sname. */
static void seed_overload(void)
{
	static uint8_t frame[FRAME_MAX];
	static const uint8_t file[] = {
		DHCP_OPT_HOST_NAME, 4, 'f', 'i',  'l',	'e',
		DHCP_OPT_CLIENT_ID, 3, 1,   0x77, 0x01, DHCP_OPT_END};
	static const uint8_t sname[] = {DHCP_OPT_CLIENT_ID, 2, 0x02, 0x03,
					DHCP_OPT_END};
	struct frame_spec s;
	size_t len;

	frame_spec_init(&s, (const uint8_t[])FUZZ_MAC(0x30), 0x3001);
	opt_add_u8(&s, DHCP_OPT_MSG_TYPE, DHCPDISCOVER);
	opt_add_u8(&s, DHCP_OPT_OVERLOAD, DHCP_OVERLOAD_BOTH);
	opt_add(&s, DHCP_OPT_CLIENT_ID, 2, (const uint8_t[]){0x01, 0x02});
	opt_end(&s);
	memcpy(s.sname, sname, sizeof(sname));
	len = frame_build(&s, frame, sizeof(frame));
	if (len)
		patch(frame, &s, len, DHCP_OFF_FILE, file, sizeof(file));
	emit("overload-both", CTL_DIRECT1, &s, frame, len);
}

/* Long values: 61 split in two instances (RFC 3396), 12, 81, 55, 57. */
static void seed_long(void)
{
	uint8_t cid[300], host[200], fqdn[60], all[254];
	struct frame_spec s;

	for (size_t i = 0; i < sizeof(cid); i++)
		cid[i] = (uint8_t)(i + 1);
	memset(host, 'h', sizeof(host));
	memset(fqdn, 'q', sizeof(fqdn));
	fqdn[0] = 0x01; /* flags: S */
	fqdn[1] = fqdn[2] = 0;
	for (size_t i = 0; i < sizeof(all); i++)
		all[i] = (uint8_t)(i + 1);

	frame_spec_init(&s, (const uint8_t[])FUZZ_MAC(0x40), 0x4001);
	opt_add_u8(&s, DHCP_OPT_MSG_TYPE, DHCPDISCOVER);
	opt_add(&s, DHCP_OPT_CLIENT_ID, 200, cid);
	opt_add(&s, DHCP_OPT_HOST_NAME, sizeof(host), host);
	opt_add(&s, DHCP_OPT_CLIENT_ID, 100, cid + 200);
	opt_add(&s, DHCP_OPT_FQDN, sizeof(fqdn), fqdn);
	opt_add(&s, DHCP_OPT_PARAM_REQUEST, sizeof(all), all);
	opt_add(&s, DHCP_OPT_MAX_MSG_SIZE, 2, (const uint8_t[]){0x02, 0x00});
	opt_end(&s);
	build_emit("long-options", CTL_DIRECT1, &s);

	/* A 57 below 576 (clamped) and a long 82 from a relay. */
	frame_spec_init(&s, (const uint8_t[])FUZZ_MAC(0x41), 0x4102);
	opt_add_u8(&s, DHCP_OPT_MSG_TYPE, DHCPREQUEST);
	opt_add(&s, DHCP_OPT_MAX_MSG_SIZE, 2, (const uint8_t[]){0x01, 0x00});
	opt_add_ip(&s, DHCP_OPT_SERVER_ID, FUZZ_SERVER_ID);
	opt_add_ip(&s, DHCP_OPT_REQUESTED_IP, FUZZ_POOL1 + 2);
	opt_add(&s, DHCP_OPT_RELAY_AGENT_INFO, 250, all);
	relayed(&s, FUZZ_RELAY1);
	build_emit("relay-long-82", CTL_RELAYED | CTL_UNICAST, &s);
}

/* ---- fuzz_frame sequences: state changes replayed from one file ---- */

static uint8_t seq[1 << 15];
static size_t seq_len;

static void seq_add(uint8_t ctl, uint8_t step, const struct frame_spec *s)
{
	uint8_t frame[FRAME_MAX];
	size_t len = frame_build(s, frame, sizeof(frame));
	size_t sep = strlen(FUZZ_FRAME_SEP);

	if (!len || seq_len + sep + 2 + len > sizeof(seq)) {
		fprintf(stderr, "sequence too long\n");
		failures++;
		return;
	}
	if (seq_len) {
		memcpy(seq + seq_len, FUZZ_FRAME_SEP, sep);
		seq_len += sep;
	}
	seq[seq_len++] = ctl;
	seq[seq_len++] = step;
	memcpy(seq + seq_len, frame, len);
	seq_len += len;
}

static void seq_write(const char *name)
{
	write_file("fuzz_frame", name, seq, seq_len, NULL, 0);
	seq_len = 0;
}

/* DISCOVER, then REQUEST (SELECTING) of addr, on subnet 1, a second apart. */
static void seq_bind(uint8_t mac, uint32_t addr, uint8_t ctl)
{
	struct frame_spec s;

	discover(&s, mac);
	seq_add(CTL_DIRECT1 | ctl, 1, &s);
	select_req(&s, mac, addr);
	seq_add(CTL_DIRECT1, 1, &s);
}

/* DORA, renew, rebind, release, sticky address, INIT-REBOOT, NAKs. */
static void seq_lifecycle(void)
{
	struct frame_spec s;

	seq_bind(0x10, FUZZ_POOL1, CTL_FRESH);
	renew(&s, 0x10, FUZZ_POOL1, true);
	seq_add(CTL_DIRECT1 | CTL_UNICAST, 60, &s);
	renew(&s, 0x10, FUZZ_POOL1, false);
	seq_add(CTL_DIRECT1, 60, &s);
	release(&s, 0x10, FUZZ_POOL1);
	seq_add(CTL_DIRECT1 | CTL_UNICAST, 1, &s);
	seq_bind(0x10, FUZZ_POOL1, 0);
	init_reboot(&s, 0x10, FUZZ_POOL1);
	seq_add(CTL_DIRECT1, 1, &s);
	init_reboot(&s, 0x10, FUZZ_POOL1 + 1);
	seq_add(CTL_DIRECT1, 1, &s);
	init_reboot(&s, 0x10, FUZZ_IP(10, 99, 0, 1));
	seq_add(CTL_DIRECT1, 1, &s);
	seq_write("seq-lifecycle");
}

/* DECLINE, probation running out (expiry), the address handed out again. */
static void seq_decline(void)
{
	struct frame_spec s;

	seq_bind(0x11, FUZZ_POOL1, CTL_FRESH);
	decline(&s, 0x11, FUZZ_POOL1);
	seq_add(CTL_DIRECT1, 1, &s);
	discover(&s, 0x11);
	seq_add(CTL_DIRECT1, 1, &s);
	discover(&s, 0x12);
	seq_add(CTL_DIRECT1 | CTL_EXPIRE, 0x80 | 10, &s); /* 10240 s */
	seq_write("seq-decline");
}

/* An ACK renewed by XDP (an event), then the lease and offers expire. */
static void seq_expire(void)
{
	struct frame_spec s;

	discover(&s, 0x20);
	seq_add(CTL_DIRECT1 | CTL_FRESH, 1, &s);
	discover(&s, 0x21);
	seq_add(CTL_DIRECT1, 1, &s);
	select_req(&s, 0x20, FUZZ_POOL1);
	seq_add(CTL_DIRECT1 | CTL_NOTE, 1, &s);
	discover(&s, 0x22);
	seq_add(CTL_DIRECT1 | CTL_EXPIRE, 0x80 | 5, &s); /* 5120 s */
	discover(&s, 0x20);
	seq_add(CTL_DIRECT1 | CTL_EXPIRE, 1, &s);
	seq_write("seq-expire");
}

/* More DISCOVERs than subnet 1 has addresses: pool exhausted. */
static void seq_exhaust(void)
{
	struct frame_spec s;

	for (uint8_t mac = 0x40; mac < 0x40 + 40; mac++) {
		discover(&s, mac);
		seq_add(CTL_DIRECT1 | (mac == 0x40 ? CTL_FRESH : 0), 0, &s);
	}
	select_req(&s, 0x41, FUZZ_POOL1 + 1);
	seq_add(CTL_DIRECT1, 0, &s);
	seq_write("seq-exhaust");
}

/*
 * A flood of DISCOVERs with a declined address in the pool (reclaimed
 * once the pool is dry, held the short hold), then fresh clients seconds
 * later: the first get the addresses whose short holds lapsed, the next
 * held offers of the flood taken over, whose first holders' REQUESTs are
 * NAKed (docs/protocol.md, "Starvation"). 0x61 was offered FUZZ_POOL1 + 2
 * (+ 1 is reserved).
 */
static void seq_starve(void)
{
	struct frame_spec s;

	seq_bind(0x60, FUZZ_POOL1, CTL_FRESH);
	decline(&s, 0x60, FUZZ_POOL1);
	seq_add(CTL_DIRECT1, 1, &s);
	for (uint8_t mac = 0x61; mac < 0x61 + 40; mac++) {
		discover(&s, mac);
		seq_add(CTL_DIRECT1, 0, &s);
	}
	for (uint8_t mac = 0xa0; mac < 0xa0 + 6; mac++) {
		discover(&s, mac);
		/* past the short hold */
		seq_add(CTL_DIRECT1, mac == 0xa0 ? 4 : 0, &s);
	}
	select_req(&s, 0x61, FUZZ_POOL1 + 2);
	seq_add(CTL_DIRECT1, 0, &s);
	select_req(&s, 0xa5, FUZZ_POOL1 + 2);
	seq_add(CTL_DIRECT1, 0, &s);
	seq_write("seq-starve");
}

/* One client moving through a dozen addresses: past CLIENT_MAX_LEASES
 * rows of its own (engine_internal.h), then back to the first. */
static void seq_many_leases(void)
{
	struct frame_spec s;

	for (uint32_t i = 0; i < 12; i++) {
		select_req(&s, 0x50, FUZZ_POOL1 + 2 + i);
		seq_add(CTL_DIRECT1 | (i ? 0 : CTL_FRESH), 1, &s);
	}
	discover(&s, 0x50);
	seq_add(CTL_DIRECT1, 1, &s);
	select_req(&s, 0x50, FUZZ_POOL1 + 2);
	seq_add(CTL_DIRECT1 | CTL_EXPIRE, 0x80 | 5, &s);
	seq_write("seq-many-leases");
}

/* A relayed client, then its unicast renewal straight to us. */
static void seq_relay(void)
{
	struct frame_spec s;

	relay_msg(&s, 0x20, 0, FUZZ_RELAY1);
	seq_add(CTL_RELAYED | CTL_UNICAST | CTL_FRESH, 1, &s);
	relay_msg(&s, 0x20, FUZZ_POOL1, FUZZ_RELAY1);
	seq_add(CTL_RELAYED | CTL_UNICAST, 1, &s);
	renew(&s, 0x20, FUZZ_POOL1, true);
	seq_add(CTL_RELAYED | CTL_UNICAST, 60, &s);
	release(&s, 0x20, FUZZ_POOL1);
	seq_add(CTL_RELAYED | CTL_UNICAST, 1, &s);
	seq_write("seq-relay");
}

/* Reserved clients (by hw-address, by client-id) after a dynamic lease. */
static void seq_reserved(void)
{
	struct frame_spec s;

	discover(&s, 0x03);
	s.opts_len = 0; /* no client-id yet: a plain dynamic client */
	opt_add_u8(&s, DHCP_OPT_MSG_TYPE, DHCPDISCOVER);
	opt_end(&s);
	seq_add(CTL_DIRECT1 | CTL_FRESH, 1, &s);
	select_req(&s, 0x03, FUZZ_POOL1);
	s.opts_len = 0;
	opt_add_u8(&s, DHCP_OPT_MSG_TYPE, DHCPREQUEST);
	opt_add_ip(&s, DHCP_OPT_SERVER_ID, FUZZ_SERVER_ID);
	opt_add_ip(&s, DHCP_OPT_REQUESTED_IP, FUZZ_POOL1);
	opt_end(&s);
	seq_add(CTL_DIRECT1, 1, &s);
	seq_bind(0x03, FUZZ_RES_CID_IP, 0); /* with the reserved client-id */
	seq_bind(FUZZ_RES_HW_MAC, FUZZ_RES_HW_IP, 0);
	release(&s, FUZZ_RES_HW_MAC, FUZZ_RES_HW_IP);
	seq_add(CTL_DIRECT1 | CTL_UNICAST, 1, &s);
	seq_write("seq-reserved");
}

/*
 * For fuzz_dhcp_msg: a REQUEST whose `file` names the configured options
 * of the reply the fuzzer encodes (code, length selector pairs; 250+ are
 * values over 255 bytes), xid % 3 == 1 for an ACK, secs for all timers.
 */
static void seed_reply_options(void)
{
	static const uint8_t conf[] = {3,   4,	 6,   8,   15, 16, 119, 250,
				       121, 11,	 42,  254, 1,  4,  51,	4,
				       200, 120, 201, 0,   26, 2,  66,	40};
	uint8_t dhcp[FRAME_MAX];
	struct frame_spec s;
	size_t p, len;
	uint8_t frame[FRAME_MAX];

	client(&s, 0x50, DHCPREQUEST, 0x5002); /* 0x5002 % 3 == 1 */
	opt_add_ip(&s, DHCP_OPT_SERVER_ID, FUZZ_SERVER_ID);
	opt_add_ip(&s, DHCP_OPT_REQUESTED_IP, FUZZ_POOL1);
	opt_end(&s);
	s.secs = 7;
	len = frame_build(&s, frame, sizeof(frame));
	p = payload_off(&s);
	if (!len) {
		failures++;
		return;
	}
	memcpy(dhcp, frame + p, len - p);
	memcpy(dhcp + DHCP_OFF_FILE, conf, sizeof(conf));
	write_file("fuzz_dhcp_msg", "reply-options", dhcp, len - p, NULL, 0);
}

static const char *const configs[] = {
	FUZZ_ENGINE_CONF,
	"{\"Dhcp4\": {\"interfaces-config\": {\"interfaces\": [\"eth0\"]},"
	" \"subnet4\": [{\"id\": 1, \"subnet\": \"192.0.2.0/24\","
	" \"pools\": [{\"pool\": \"192.0.2.100 - 192.0.2.200\"}]}]}}",
	"// comments, hex and always-send\n"
	"{\"Dhcp4\": {\"interfaces-config\": {\"interfaces\": [\"eth0\","
	" \"eth1/198.51.100.1\"]}, /* two links */\n"
	" \"option-data\": [{\"code\": 252, \"csv-format\": false,"
	" \"data\": \"0A 0B 0C\", \"always-send\": true},\n"
	"  {\"name\": \"ntp-servers\", \"data\": \"192.0.2.123\"}],\n"
	" # Kea's own key\n"
	" \"host-reservation-identifiers\": [\"hw-address\", \"client-id\"],\n"
	" \"lease-database\": {\"type\": \"sqlite\", \"name\": "
	"\"/tmp/l.db\"},\n"
	" \"subnet4\": [{\"id\": 7, \"subnet\": \"198.51.100.0/25\","
	" \"interface\": \"eth1\", \"valid-lifetime\": 86400,"
	" \"pools\": [{\"pool\": \"198.51.100.64/27\"}],"
	" \"reservations\": [{\"client-id\": \"01:aa:bb:cc:dd:ee:ff\","
	" \"ip-address\": \"198.51.100.10\", \"hostname\": \"h\"}]}],\n"
	" \"dhcpxdp\": {\"xdp-mode\": \"skb\", \"horizon-factor\": 1.5,"
	" \"lease-map-capacity\": 4096, \"metrics-listen\": \"[::1]:9100\"}}}",
	/* option-def, 43 and 125 with sub-options, a pool's options */
	"{\"Dhcp4\": {\"interfaces-config\": {\"interfaces\": [\"eth0\"]},"
	" \"option-def\": [{\"name\": \"vlanid\", \"code\": 2,"
	" \"space\": \"339\", \"type\": \"uint32\"},"
	" {\"name\": \"vendor-encapsulated-options\", \"code\": 43,"
	" \"type\": \"empty\", \"encapsulate\": \"339\"},"
	" {\"name\": \"tag\", \"code\": 22, \"space\": \"vendor-2234\","
	" \"type\": \"string\"},"
	" {\"name\": \"bar\", \"code\": 223, \"type\": \"record\","
	" \"array\": true, \"record-types\": \"ipv4-address, uint16\"}],"
	" \"option-data\": [{\"code\": 43}, {\"name\": \"vlanid\","
	" \"space\": \"339\", \"data\": \"123\"},"
	" {\"name\": \"vivso-suboptions\", \"data\": \"2234\"},"
	" {\"name\": \"tag\", \"space\": \"vendor-2234\", \"data\": \"t\"},"
	" {\"name\": \"bar\", \"data\": \"192.0.2.1, 1, 2\"}],"
	" \"subnet4\": [{\"id\": 1, \"subnet\": \"192.0.2.0/24\","
	" \"pools\": [{\"pool\": \"192.0.2.10 - 192.0.2.19\"},"
	" {\"pool\": \"192.0.2.20 - 192.0.2.29\", \"option-data\":"
	" [{\"name\": \"vlanid\", \"space\": \"339\", \"data\": \"7\"}]}]}]}}",
	"{\"Dhcp4\": {\"subnet4\": [{\"id\": 0, \"subnet\": \"1/33\"}]}}",
	"{\"Dhcp4\": [1, 2.5e300, null, true, \"\\u0000\"]}",
};

static void seed_configs(int argc, char **argv)
{
	char name[32], buf[1 << 16];

	for (size_t i = 0; i < sizeof(configs) / sizeof(configs[0]); i++) {
		snprintf(name, sizeof(name), "config-%zu", i);
		write_file("fuzz_config", name, configs[i], strlen(configs[i]),
			   NULL, 0);
	}
	for (int i = 0; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		const char *base = strrchr(argv[i], '/');
		size_t n;

		if (!f) {
			perror(argv[i]);
			failures++;
			continue;
		}
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		write_file("fuzz_config", base ? base + 1 : argv[i], buf, n,
			   NULL, 0);
	}
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s OUT_DIR [config.json...]\n",
			argv[0]);
		return 2;
	}
	out_dir = argv[1];
	if (mkdir(out_dir, 0755) && errno != EEXIST) {
		perror(out_dir);
		return 1;
	}
	seed_discovers();
	seed_requests();
	seed_others();
	seed_relayed();
	seed_overload();
	seed_long();
	seed_reply_options();
	seq_lifecycle();
	seq_decline();
	seq_expire();
	seq_exhaust();
	seq_starve();
	seq_many_leases();
	seq_relay();
	seq_reserved();
	seed_configs(argc - 2, argv + 2);
	return failures ? 1 : 0;
}
