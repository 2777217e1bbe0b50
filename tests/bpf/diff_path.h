/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The two sides of the XDP/engine contract (docs/design.md §8) for one
 * frame, without cmocka: the daemon's path (frame_in_parse ->
 * dhcp_msg_decode -> engine_handle -> reply_frame_build, chained as
 * user/daemon/slowpath.c chains them), what a reply says whichever side
 * wrote it, and the comparison of an XDP reply with the daemon's.
 *
 * The differential test (differential.c) turns a difference into a
 * cmocka failure; the XDP fuzzer (tests/fuzz/fuzz_xdp.c) into a finding.
 */
#ifndef DHCPXDP_TEST_DIFF_PATH_H
#define DHCPXDP_TEST_DIFF_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "engine/engine.h"
#include "frame.h"

/* A network of the arrival interface, (interface, VLAN), as the daemon
 * resolves it (slowpath.c: rx_network) and answers from it. */
struct diff_net {
	uint16_t vlan;		   /* 0: untagged */
	uint8_t mac[6];		   /* reply source */
	uint32_t addr;		   /* server identifier, host order */
	uint32_t direct_subnet_id; /* engine_rx.direct_subnet_id, 0: none */
};

/* How far the daemon got with a frame. */
struct diff_daemon {
	int frame_in; /* frame_in_parse(): 0, or enum frame_in_err */
	int decode;   /* dhcp_msg_decode() once parsed: 0 or -errno */
	int build;    /* reply_frame_build() when the engine replied */
	struct engine_result res; /* once decoded */
	size_t reply_len;	  /* 0: no reply */
};

/*
 * The daemon's slow path for frame f arriving on an interface whose
 * served networks are nets[0 .. n) (nets[0] its own address; a frame on
 * a VLAN not among them is on a network not served) at wall-clock
 * `now`: d says where it stopped; the reply, if any, is in out[0 ..
 * d->reply_len). The engine's lease-map changes are in d->res.ch (the
 * caller applies them as the daemon does once they are durable).
 */
void diff_daemon_path(struct engine *eng, const struct diff_net *nets, size_t n,
		      const uint8_t *f, size_t len, int64_t now,
		      struct diff_daemon *d, uint8_t *out, size_t cap);

/* What a reply says, whichever side wrote it. */
struct diff_decision {
	struct frame_view hdr; /* payload cleared */
	uint8_t type;
	uint32_t xid, ciaddr, yiaddr, siaddr, giaddr;
	char sname[64], file[128]; /* as on the wire (RFC 2131 §2) */
	uint16_t flags;
	uint8_t chaddr[6];
	uint32_t server_id, lease_time, t1, t2; /* 0: absent */
	uint8_t cid[256];
	size_t cid_len;
	/* option 82 (0: absent), and whether END follows it (RFC 3046
	 * §2.2: echoed as the last option) */
	uint8_t ri[256];
	size_t ri_len;
	bool ri_last;
};

/* Read a reply frame; 0, or -EBADMSG with `why` saying what is wrong. */
int diff_decision_of(const uint8_t *f, size_t len, struct diff_decision *d,
		     char *why, size_t why_len);

/*
 * XDP answered x, the daemon d: the same decision (message type,
 * yiaddr, where it goes and from where, VLAN, lease times, the BOOTP
 * fields of RFC 2131 table 3 with siaddr, sname and file, options 61 and
 * 82). 0, or -1 with `why` naming the
 * first field that differs.
 */
int diff_same_decision(const struct diff_decision *x,
		       const struct diff_decision *d, char *why,
		       size_t why_len);

#endif
