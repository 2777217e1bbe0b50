/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The XDP fuzzer (fuzz_xdp.c): the state it fills the maps with, the
 * frames it generates and mutates (xdp_gen.c), and the checks of what
 * the program returns (xdp_check.c). No libFuzzer: a deterministic PRNG
 * drives everything, so a seed and an execution count replay a run.
 */
#ifndef DHCPXDP_FUZZ_XDP_H
#define DHCPXDP_FUZZ_XDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "diff_path.h"

/* Frames handed to BPF_PROG_RUN: at least an Ethernet header (the kernel
 * refuses less), at most what fits a page with XDP's head and tail
 * room. */
#define XF_FRAME_MIN 14
#define XF_FRAME_MAX 3000

/* ---- PRNG (xoshiro256**, seeded by splitmix64) ---------------------- */

struct xf_rng {
	uint64_t s[4];
};

void xf_rng_seed(struct xf_rng *r, uint64_t seed);
uint64_t xf_rand(struct xf_rng *r);
/* Uniform in [0, n), n > 0. */
static inline uint32_t xf_below(struct xf_rng *r, uint32_t n)
{
	return (uint32_t)(((xf_rand(r) >> 32) * n) >> 32);
}
/* True with probability pct/100. */
static inline bool xf_pct(struct xf_rng *r, uint32_t pct)
{
	return xf_below(r, 100) < pct;
}

/* ---- the state ------------------------------------------------------- */

#define XF_IFACES  4 /* dxs0, dxs1, dxbig0, and an ifindex not served */
#define XF_NETS	   3 /* networks of one interface, by VLAN */
#define XF_CLIENTS 320
#define XF_ROUTES  4
#define XF_RELAYS  12

/* An interface and its networks as both sides see them: nets[i] is
 * (this interface, nets[i].vlan) in dx_ifaces or dx_networks, and the
 * daemon's served network of the same key (diff_path.h). */
struct xf_iface {
	char name[16];
	uint32_t ifindex;
	uint8_t mac[6];
	struct diff_net nets[XF_NETS];
	size_t n_nets; /* 0: not served */
};

/* How a client's requests reach its subnet. */
struct xf_route {
	uint8_t iface;
	uint16_t vlan;	 /* 0: untagged */
	uint32_t giaddr; /* host order; 0: not relayed */
};

enum xf_kind {
	XF_DYNAMIC,  /* a lease from the database */
	XF_RESERVED, /* a reservation by hw-address */
	XF_SLOW,     /* a reservation the daemon answers (hostname, ...) */
	XF_UNKNOWN,  /* nothing anywhere */
};

struct xf_client {
	uint8_t mac[6];
	uint8_t kind;	 /* enum xf_kind */
	uint8_t cid_len; /* the lease's option 61, 0: none */
	uint8_t cid[255];
	uint32_t subnet_id;
	uint32_t addr; /* host order; 0 for XF_UNKNOWN */
	struct xf_route routes[XF_ROUTES];
	uint8_t n_routes;
};

struct xf_world {
	struct xf_iface ifaces[XF_IFACES];
	struct xf_client clients[XF_CLIENTS];
	size_t n_clients;
	/* giaddrs worth trying: listed relays, addresses in a subnet's
	 * prefix, and some in none */
	uint32_t relays[XF_RELAYS];
	size_t n_relays;
	uint32_t other_server; /* another server's identifier */
};

/* ---- frames ------------------------------------------------------------ */

/* A request of any kind from a known client, well formed: its length,
 * and in *iface the interface it arrives on. */
size_t xf_gen_valid(struct xf_rng *r, const struct xf_world *w, uint8_t *buf,
		    size_t cap, uint8_t *iface);
/* A request broken in one place, as the XDP table's malformed rows
 * (tests/bpf/test_xdp_malformed.c) break them. */
size_t xf_gen_malformed(struct xf_rng *r, const struct xf_world *w,
			uint8_t *buf, size_t cap, uint8_t *iface);
/* Random bytes, sometimes behind headers that get them to the DHCP
 * parser. */
size_t xf_gen_random(struct xf_rng *r, uint8_t *buf, size_t cap);
/* One to eight mutations of buf (bit flips, interesting values,
 * truncation, extension, insertion, deletion, fields spliced from
 * `other`), then, sometimes, lengths and checksums made right again.
 * Returns the new length, XF_FRAME_MIN..cap. */
size_t xf_mutate(struct xf_rng *r, uint8_t *buf, size_t len, size_t cap,
		 const uint8_t *other, size_t other_len);
/* Make the IPv4 and UDP lengths match the frame, and/or recompute the
 * IPv4 header and UDP checksums, where those headers are in the frame. */
void xf_fixup(uint8_t *f, size_t len, bool lengths, bool ip_csum,
	      bool udp_csum);

/* ---- checks ------------------------------------------------------------ */

/* What a reply was, for the fuzzer's tally and the choice of replies to
 * compare with the engine's. */
struct xf_reply_class {
	uint8_t type; /* DHCPOFFER or DHCPACK */
	uint8_t to;   /* 0 chaddr, 1 ciaddr, 2 broadcast, 3 relay */
	bool tagged, cid;
};

/*
 * The frame `out` is the XDP_TX reply to `in`, which arrived on network
 * `net` of interface `ifc`: a well-formed reply (lengths, checksums,
 * ports, BOOTREPLY, RFC 2131 table 3 fields kept, options to END, type
 * and server identifier, RFC 2131 §4.1 addressing, options 82 and 61
 * echoed). 0, or -1 with `why` saying what is wrong.
 */
int xf_check_reply(const uint8_t *in, size_t in_len, const uint8_t *out,
		   size_t out_len, const struct xf_iface *ifc,
		   struct xf_reply_class *cls, char *why, size_t why_len);

#endif
