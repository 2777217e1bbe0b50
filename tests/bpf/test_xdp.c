// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The XDP table (xdp_table.h), renewals and reservations on the untagged
 * network: each request state of a dynamic lease and of a reservation
 * answered in XDP (verdict, reply bytes, counters, the expiry written),
 * and what policy leaves to the daemon (horizon, client-id, addresses,
 * message types) or that is not addressed to us (another host's MAC or
 * address), passed up untouched with the right counter. Then the
 * renewal events: an extension asked only when the next renewal would
 * not fit, answers kept with the ring full, a punt leaving the lease
 * entry alone.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <linux/bpf.h>
#include <cmocka.h>
#include <dhcpxdp/dhcp_wire.h>
#include "frame.h"
#include "xdp_env.h"
#include "xdp_table.h"

static void b_renew_a(struct frame_spec *s)
{
	renewing(s, CL_A, IP(10, 0, 0, 50), S1);
}
static void b_rebind_a(struct frame_spec *s)
{
	renewing(s, CL_A, IP(10, 0, 0, 50), 0xffffffff);
	memset(s->dst_mac, 0xff, 6);
	s->flags = DHCP_FLAG_BROADCAST; /* ignored: ciaddr wins (§4.1) */
}
/* RENEWING without ARP for us: our address at the Ethernet broadcast. */
static void b_renew_a_bcast_mac(struct frame_spec *s)
{
	renewing(s, CL_A, IP(10, 0, 0, 50), S1);
	memset(s->dst_mac, 0xff, 6);
}
/* REBINDING sent at our MAC: the broadcast address, unicast frame. */
static void b_rebind_a_our_mac(struct frame_spec *s)
{
	renewing(s, CL_A, IP(10, 0, 0, 50), 0xffffffff);
}
static void b_reboot_a(struct frame_spec *s)
{
	init_reboot(s, CL_A, IP(10, 0, 0, 50));
}
static void b_reboot_a_bcast(struct frame_spec *s)
{
	init_reboot(s, CL_A, IP(10, 0, 0, 50));
	s->flags = DHCP_FLAG_BROADCAST;
}
static void b_select_a(struct frame_spec *s)
{
	selecting(s, CL_A, IP(10, 0, 0, 50), S1);
}
static void b_renew_b_cid(struct frame_spec *s)
{
	uint8_t cid[7];

	cid_of(CL_B, cid);
	req_base(s, CL_B, DHCPREQUEST);
	s->ciaddr = s->src_ip = IP(10, 0, 0, 51);
	opt_add(s, DHCP_OPT_CLIENT_ID, sizeof(cid), cid);
	opt_end(s);
}
static void b_renew_l_cid64(struct frame_spec *s)
{
	req_base(s, CL_L, DHCPREQUEST);
	s->ciaddr = s->src_ip = IP(10, 0, 0, 54);
	opt_add(s, DHCP_OPT_CLIENT_ID, 64, cid_long);
	opt_end(s);
}
static void b_discover_r(struct frame_spec *s)
{
	discover(s, CL_R);
}
static void b_discover_r_bcast(struct frame_spec *s)
{
	discover(s, CL_R);
	s->flags = DHCP_FLAG_BROADCAST;
}
static void b_discover_r_wants_other(struct frame_spec *s)
{
	req_base(s, CL_R, DHCPDISCOVER);
	opt_add_ip(s, DHCP_OPT_REQUESTED_IP, IP(10, 0, 0, 77));
	opt_end(s);
}
static void b_select_r(struct frame_spec *s)
{
	selecting(s, CL_R, IP(10, 0, 0, 200), S1);
}
static void b_reboot_r(struct frame_spec *s)
{
	init_reboot(s, CL_R, IP(10, 0, 0, 200));
}
static void b_renew_r(struct frame_spec *s)
{
	renewing(s, CL_R, IP(10, 0, 0, 200), S1);
}
static void b_padded_request(struct frame_spec *s)
{
	renewing(s, CL_A, IP(10, 0, 0, 50), S1);
	s->min_dhcp_len = 548; /* longer than the reply: frame shrinks */
}
static void b_dirty_fields(struct frame_spec *s)
{
	init_reboot(s, CL_A, IP(10, 0, 0, 50));
	s->hops = 3;
	s->secs = 99;
	strcpy(s->sname, "leftover-from-client");
	s->yiaddr = IP(1, 2, 3, 4);
}
/* Subnet 5 has boot fields (next-server, server-hostname, boot-file-name):
 * every fast-path reply carries them, over what the client left. */
static void b_pxe_renew(struct frame_spec *s)
{
	renewing(s, CL_P, IP(10, 5, 0, 20), IP(10, 5, 0, 1));
	s->vlan = 500;
	strcpy(s->sname, "leftover-from-client");
	strcpy(s->file, "leftover-file");
}
static void b_pxe_reboot(struct frame_spec *s)
{
	init_reboot(s, CL_P, IP(10, 5, 0, 20));
	s->vlan = 500;
}
static void b_pxe_discover_r(struct frame_spec *s)
{
	discover(s, CL_PR);
	s->vlan = 500;
}
static void b_pxe_renew_r(struct frame_spec *s)
{
	renewing(s, CL_PR, IP(10, 5, 0, 40), IP(10, 5, 0, 1));
	s->vlan = 500;
}
static void b_end_last_byte(struct frame_spec *s)
{
	req_base(s, CL_A, DHCPREQUEST);
	s->ciaddr = IP(10, 0, 0, 50);
	/* 20 PADs, then END as the frame's very last byte */
	memset(s->opts + s->opts_len, 0, 20);
	s->opts_len += 20;
	opt_end(s);
}

/* punts: not addressed to us (a promiscuous NIC, a bridge port) */
static const uint8_t other_mac[6] = {0x02, 0, 0, 0, 0, 0x99};

static void b_renew_other_mac(struct frame_spec *s)
{
	renewing(s, CL_A, IP(10, 0, 0, 50), S1);
	memcpy(s->dst_mac, other_mac, 6);
}
static void b_renew_other_ip(struct frame_spec *s)
{
	renewing(s, CL_A, IP(10, 0, 0, 50), IP(10, 0, 0, 2));
}
static void b_rebind_other_mac(struct frame_spec *s)
{
	b_rebind_a(s);
	memcpy(s->dst_mac, other_mac, 6);
}
static void b_reboot_multicast_mac(struct frame_spec *s)
{
	init_reboot(s, CL_A, IP(10, 0, 0, 50));
	memcpy(s->dst_mac, (uint8_t[6]){0x01, 0x00, 0x5e, 0, 0, 0x01}, 6);
}
static void b_reboot_subnet_bcast(struct frame_spec *s)
{
	init_reboot(s, CL_A, IP(10, 0, 0, 50));
	s->dst_ip = IP(10, 0, 0, 255);
}
static void b_discover_r_other_mac(struct frame_spec *s)
{
	discover(s, CL_R);
	memcpy(s->dst_mac, other_mac, 6);
}

/* punts: policy */
static void b_renew_c_short(struct frame_spec *s)
{
	renewing(s, CL_C, IP(10, 0, 0, 52), S1);
}
static void b_renew_x_expired(struct frame_spec *s)
{
	renewing(s, CL_X, IP(10, 0, 0, 53), S1);
}
static void b_renew_e_expired(struct frame_spec *s)
{
	renewing(s, CL_E, IP(10, 0, 0, 55), S1);
}
static void b_renew_p_pool_opts(struct frame_spec *s)
{
	renewing(s, CL_PO, IP(10, 0, 0, 60), S1);
}
static void b_renew_unknown(struct frame_spec *s)
{
	renewing(s, CL_UNKNOWN, IP(10, 0, 0, 99), S1);
}
static void b_discover_unknown(struct frame_spec *s)
{
	discover(s, CL_UNKNOWN);
}
static void b_discover_dynamic(struct frame_spec *s)
{
	discover(s, CL_A);
}
static void b_select_other_server(struct frame_spec *s)
{
	selecting(s, CL_A, IP(10, 0, 0, 50), IP(10, 0, 0, 254));
}
static void b_reboot_wrong_addr(struct frame_spec *s)
{
	init_reboot(s, CL_A, IP(10, 0, 0, 60));
}
static void b_renew_wrong_ciaddr(struct frame_spec *s)
{
	renewing(s, CL_A, IP(10, 0, 0, 61), S1);
}
static void b_reserved_wrong_addr(struct frame_spec *s)
{
	init_reboot(s, CL_R, IP(10, 0, 0, 201));
}
static void b_cid_mismatch(struct frame_spec *s)
{
	uint8_t cid[7];

	cid_of(CL_A, cid); /* B's lease was granted to another client-id */
	req_base(s, CL_B, DHCPREQUEST);
	s->ciaddr = IP(10, 0, 0, 51);
	opt_add(s, DHCP_OPT_CLIENT_ID, sizeof(cid), cid);
	opt_end(s);
}
static void b_cid_missing(struct frame_spec *s)
{
	renewing(s, CL_B, IP(10, 0, 0, 51), S1);
}
static void b_cid_unexpected(struct frame_spec *s)
{
	uint8_t cid[7];

	cid_of(CL_A, cid); /* A's lease has no client-id */
	req_base(s, CL_A, DHCPREQUEST);
	s->ciaddr = IP(10, 0, 0, 50);
	opt_add(s, DHCP_OPT_CLIENT_ID, sizeof(cid), cid);
	opt_end(s);
}
static void b_cid_too_long(struct frame_spec *s)
{
	uint8_t cid[65] = {0};

	req_base(s, CL_L, DHCPREQUEST);
	s->ciaddr = IP(10, 0, 0, 54);
	opt_add(s, DHCP_OPT_CLIENT_ID, sizeof(cid), cid);
	opt_end(s);
}
static void b_request_no_addr(struct frame_spec *s)
{
	req_base(s, CL_A, DHCPREQUEST);
	opt_end(s);
}
static void msg(struct frame_spec *s, uint8_t type)
{
	req_base(s, CL_A, type);
	s->ciaddr = IP(10, 0, 0, 50);
	opt_end(s);
}
static void b_release(struct frame_spec *s)
{
	msg(s, DHCPRELEASE);
}
static void b_decline(struct frame_spec *s)
{
	msg(s, DHCPDECLINE);
}
static void b_inform(struct frame_spec *s)
{
	msg(s, DHCPINFORM);
}

/* RFC 2131 table 5: a DISCOVER's ciaddr is 0. The daemon, as Kea does,
 * takes the subnet holding a set ciaddr, maybe not the entry's. */
static void b_discover_r_ciaddr(struct frame_spec *s)
{
	req_base(s, CL_R, DHCPDISCOVER);
	s->ciaddr = IP(10, 0, 0, 200);
	opt_end(s);
}
/* Shorter than the daemon takes them (RFC 2132 §3.14, RFC 4702 §2): it
 * drops the message, so the fast path must not answer it. */
static void b_renew_empty_hostname(struct frame_spec *s)
{
	req_base(s, CL_A, DHCPREQUEST);
	s->ciaddr = IP(10, 0, 0, 50);
	s->src_ip = s->ciaddr;
	s->dst_ip = S1;
	memcpy(s->dst_mac, srv_mac, 6);
	opt_add(s, DHCP_OPT_HOST_NAME, 0, NULL);
	opt_end(s);
}
static void b_renew_short_fqdn(struct frame_spec *s)
{
	static const uint8_t fqdn[2] = {0, 0};

	req_base(s, CL_A, DHCPREQUEST);
	s->ciaddr = IP(10, 0, 0, 50);
	s->src_ip = s->ciaddr;
	s->dst_ip = S1;
	memcpy(s->dst_mac, srv_mac, 6);
	opt_add(s, DHCP_OPT_FQDN, sizeof(fqdn), fqdn);
	opt_end(s);
}

static const struct xdp_case cases[] = {
	/* answers */
	TX("ack renewing unicast to ciaddr", b_renew_a, DHCPACK,
	   IP(10, 0, 0, 50), 0, TO_CIADDR),
	TX("ack rebinding broadcast flag ignored for ciaddr", b_rebind_a,
	   DHCPACK, IP(10, 0, 0, 50), 0, TO_CIADDR),
	TX("ack renewing to our address at the broadcast MAC",
	   b_renew_a_bcast_mac, DHCPACK, IP(10, 0, 0, 50), 0, TO_CIADDR),
	TX("ack rebinding to the broadcast address at our MAC",
	   b_rebind_a_our_mac, DHCPACK, IP(10, 0, 0, 50), 0, TO_CIADDR),
	TX("ack init-reboot unicast to yiaddr at chaddr", b_reboot_a, DHCPACK,
	   IP(10, 0, 0, 50), 0, TO_CHADDR),
	TX("ack init-reboot broadcast flag", b_reboot_a_bcast, DHCPACK,
	   IP(10, 0, 0, 50), 0, TO_BROADCAST),
	TX("ack selecting with our server id", b_select_a, DHCPACK,
	   IP(10, 0, 0, 50), 0, TO_CHADDR),
	TX("ack renewal with matching client-id, echoed", b_renew_b_cid,
	   DHCPACK, IP(10, 0, 0, 51), 0, TO_CIADDR),
	TX("ack renewal with 64-byte client-id, echoed", b_renew_l_cid64,
	   DHCPACK, IP(10, 0, 0, 54), 0, TO_CIADDR),
	TXR("offer reservation", b_discover_r, DHCPOFFER, IP(10, 0, 0, 200), 0,
	    TO_CHADDR),
	TXR("offer reservation broadcast flag", b_discover_r_bcast, DHCPOFFER,
	    IP(10, 0, 0, 200), 0, TO_BROADCAST),
	TXR("offer reservation ignores requested other address",
	    b_discover_r_wants_other, DHCPOFFER, IP(10, 0, 0, 200), 0,
	    TO_CHADDR),
	TXR("ack reservation selecting", b_select_r, DHCPACK, IP(10, 0, 0, 200),
	    0, TO_CHADDR),
	TXR("ack reservation init-reboot", b_reboot_r, DHCPACK,
	    IP(10, 0, 0, 200), 0, TO_CHADDR),
	TXR("ack reservation renewing", b_renew_r, DHCPACK, IP(10, 0, 0, 200),
	    0, TO_CIADDR),
	TX("ack shrinks a padded 548-byte request", b_padded_request, DHCPACK,
	   IP(10, 0, 0, 50), 0, TO_CIADDR),
	TX("ack clears hops, secs, sname", b_dirty_fields, DHCPACK,
	   IP(10, 0, 0, 50), 0, TO_CHADDR),
	TX("ack with END as the last byte", b_end_last_byte, DHCPACK,
	   IP(10, 0, 0, 50), 0, TO_CIADDR),
	TX("ack renewing with the subnet's siaddr, sname, file", b_pxe_renew,
	   DHCPACK, IP(10, 5, 0, 20), 4, TO_CIADDR),
	TX("ack init-reboot with the subnet's boot fields", b_pxe_reboot,
	   DHCPACK, IP(10, 5, 0, 20), 4, TO_CHADDR),
	TXR("offer reservation with the subnet's boot fields",
	    b_pxe_discover_r, DHCPOFFER, IP(10, 5, 0, 40), 4, TO_CHADDR),
	TXR("ack reservation renewing with the subnet's boot fields",
	    b_pxe_renew_r, DHCPACK, IP(10, 5, 0, 40), 4, TO_CIADDR),

	/* passed up: not addressed to us */
	PASS("renewing to another host's MAC", b_renew_other_mac, NULL,
	     OTHER_HOST),
	PASS("renewing at our MAC to another unicast address", b_renew_other_ip,
	     NULL, OTHER_HOST),
	PASS("rebinding broadcast address at another host's MAC",
	     b_rebind_other_mac, NULL, OTHER_HOST),
	PASS("init-reboot to a multicast MAC", b_reboot_multicast_mac, NULL,
	     OTHER_HOST),
	PASS("init-reboot to the subnet's broadcast address",
	     b_reboot_subnet_bcast, NULL, OTHER_HOST),
	PASS("reservation discover to another host's MAC",
	     b_discover_r_other_mac, NULL, OTHER_HOST),

	/* passed up: policy */
	PASS("horizon too short", b_renew_c_short, NULL, HORIZON),
	PASS("horizon passed (expired lease)", b_renew_x_expired, NULL,
	     HORIZON),
	PASS("lease past its expiry in the entry", b_renew_e_expired, NULL,
	     EXPIRED),
	PASS("lease in a pool with options of its own", b_renew_p_pool_opts,
	     NULL, POOL_OPTIONS),
	PASS("no lease", b_renew_unknown, NULL, NO_LEASE),
	PASS("discover without reservation", b_discover_unknown, NULL,
	     DISCOVER),
	PASS("discover for a dynamic lease", b_discover_dynamic, NULL,
	     DISCOVER),
	PASS("reservation discover with ciaddr set", b_discover_r_ciaddr, NULL,
	     DISCOVER),
	PASS("renewal with an empty host name (12)", b_renew_empty_hostname,
	     NULL, BAD_OPTIONS),
	PASS("renewal with a 2-byte client FQDN (81)", b_renew_short_fqdn,
	     NULL, BAD_OPTIONS),
	PASS("selecting another server", b_select_other_server, NULL,
	     SERVER_ID),
	PASS("init-reboot for another address", b_reboot_wrong_addr, NULL,
	     ADDR_MISMATCH),
	PASS("renewing with another ciaddr", b_renew_wrong_ciaddr, NULL,
	     ADDR_MISMATCH),
	PASS("reservation asked for another address", b_reserved_wrong_addr,
	     NULL, ADDR_MISMATCH),
	PASS("client-id mismatch", b_cid_mismatch, NULL, CLIENT_ID),
	PASS("client-id missing", b_cid_missing, NULL, CLIENT_ID),
	PASS("client-id where the lease has none", b_cid_unexpected, NULL,
	     CLIENT_ID),
	PASS("client-id longer than 64", b_cid_too_long, NULL, CLIENT_ID_LONG),
	PASS("request naming no address", b_request_no_addr, NULL, NO_ADDR),
	PASS("release", b_release, NULL, MSG_TYPE),
	PASS("decline", b_decline, NULL, MSG_TYPE),
	PASS("inform", b_inform, NULL, MSG_TYPE),
};

/*
 * When the horizon covers this renewal but not the next one (due at T1),
 * the ACK asks the daemon for an extension on the ring buffer; a renewal
 * still well inside the horizon does not (docs/design.md §2).
 */
static void renewal_asks_for_extension(void **state)
{
	const struct xdp_case *c = &cases[0]; /* CL_A renewing */
	uint8_t in[FRAME_MAX], out[4096];
	size_t in_len, out_len = sizeof(out);
	struct frame_spec s;
	struct dx_lease l;
	uint64_t asked0, t0;

	(void)state;
	if (xdp_table_skip_reason)
		skip();
	/* now + L fits 1.2 L; now + L + T1 (1.5 L) does not */
	fixture_lease(CL_A, 1, IP(10, 0, 0, 50), DX_LEASE_F_DYNAMIC,
		      LEASE_TIME * 6 / 5, 0);
	renewing(&s, CL_A, IP(10, 0, 0, 50), S1);
	in_len = frame_build(&s, in, sizeof(in));
	asked0 = xdp_env_stat(&xdp_table_env, DX_STAT_EXTEND_ASKED);
	drain_events();
	t0 = boottime_ns();
	assert_int_equal(
		xdp_env_run(&xdp_table_env, in, in_len, out, &out_len, NULL),
		XDP_TX);
	check_reply(c, &s, in, in_len, out, out_len);
	check_event(c, &s, t0);
	assert_int_equal(xdp_env_stat(&xdp_table_env, DX_STAT_EXTEND_ASKED),
			 asked0 + 1);
	lease_entry_of(CL_A, 1, &l);
	assert_true(l.expires_ns >= t0 + (uint64_t)LEASE_TIME * SEC);

	/* 1.6 L covers the next renewal as well: no event */
	fixture_lease(CL_A, 1, IP(10, 0, 0, 50), DX_LEASE_F_DYNAMIC,
		      LEASE_TIME * 8 / 5, 0);
	out_len = sizeof(out);
	assert_int_equal(
		xdp_env_run(&xdp_table_env, in, in_len, out, &out_len, NULL),
		XDP_TX);
	check_no_event();
	assert_int_equal(xdp_env_stat(&xdp_table_env, DX_STAT_EXTEND_ASKED),
			 asked0 + 1);
	fixture_lease(CL_A, 1, IP(10, 0, 0, 50), DX_LEASE_F_DYNAMIC,
		      3 * LEASE_TIME, 0);
}

/* A renewal punted to the daemon (horizon too short) leaves the entry's
 * expiry alone: only an ACK sent from XDP writes it. */
static void punt_leaves_expiry(void **state)
{
	uint8_t in[FRAME_MAX], out[4096];
	size_t in_len, out_len = sizeof(out);
	struct frame_spec s;
	struct dx_lease before, after;

	(void)state;
	if (xdp_table_skip_reason)
		skip();
	lease_entry_of(CL_C, 1, &before);
	renewing(&s, CL_C, IP(10, 0, 0, 52), S1);
	in_len = frame_build(&s, in, sizeof(in));
	assert_int_equal(
		xdp_env_run(&xdp_table_env, in, in_len, out, &out_len, NULL),
		XDP_PASS);
	lease_entry_of(CL_C, 1, &after);
	assert_memory_equal(&before, &after, sizeof(before));
}

/*
 * XDP renews only a lease still live in its entry (docs/design.md §2):
 * past its expiry, although well inside the horizon, the renewal is the
 * daemon's (punt_lease_expired) and the entry is left alone, as the
 * daemon may be reclaiming the address; a second before it, ACKed.
 */
static void renewal_past_expiry_punted(void **state)
{
	uint8_t in[FRAME_MAX], out[4096];
	size_t in_len, out_len = sizeof(out);
	struct frame_spec s;
	struct dx_lease before, after;
	uint64_t punts0, acks0;

	(void)state;
	if (xdp_table_skip_reason)
		skip();
	fixture_lease(CL_A, 1, IP(10, 0, 0, 50), DX_LEASE_F_DYNAMIC,
		      3 * LEASE_TIME, 0);
	renewing(&s, CL_A, IP(10, 0, 0, 50), S1);
	in_len = frame_build(&s, in, sizeof(in));
	punts0 = xdp_env_stat(&xdp_table_env, DX_STAT_PUNT_EXPIRED);
	acks0 = xdp_env_stat(&xdp_table_env, DX_STAT_ACK_RENEWAL);

	fixture_expiry(CL_A, 1, -(int64_t)SEC);
	lease_entry_of(CL_A, 1, &before);
	assert_int_equal(
		xdp_env_run(&xdp_table_env, in, in_len, out, &out_len, NULL),
		XDP_PASS);
	assert_int_equal(out_len, in_len);
	assert_memory_equal(out, in, in_len);
	assert_int_equal(xdp_env_stat(&xdp_table_env, DX_STAT_PUNT_EXPIRED),
			 punts0 + 1);
	lease_entry_of(CL_A, 1, &after);
	assert_memory_equal(&before, &after, sizeof(before));

	fixture_expiry(CL_A, 1, (int64_t)SEC);
	out_len = sizeof(out);
	assert_int_equal(
		xdp_env_run(&xdp_table_env, in, in_len, out, &out_len, NULL),
		XDP_TX);
	check_reply(&cases[0], &s, in, in_len, out, out_len);
	assert_int_equal(xdp_env_stat(&xdp_table_env, DX_STAT_PUNT_EXPIRED),
			 punts0 + 1);
	assert_int_equal(xdp_env_stat(&xdp_table_env, DX_STAT_ACK_RENEWAL),
			 acks0 + 1);
	lease_entry_of(CL_A, 1, &after);
	assert_true(after.expires_ns >=
		    boottime_ns() + (uint64_t)(LEASE_TIME - 1) * SEC);
	fixture_lease(CL_A, 1, IP(10, 0, 0, 50), DX_LEASE_F_DYNAMIC,
		      3 * LEASE_TIME, 0);
}

/*
 * The ring buffer is advisory (docs/design.md §2): with it full, renewals are
 * still answered and the lost events counted.
 */
static void ack_with_full_ring(void **state)
{
	uint8_t in[FRAME_MAX], out[4096];
	struct frame_spec s;
	size_t in_len, out_len;
	uint64_t lost0;
	int verdict = 0, i;

	(void)state;
	if (xdp_table_skip_reason)
		skip();
	drain_events();
	/* a horizon that asks for an extension at every renewal */
	fixture_lease(CL_A, 1, IP(10, 0, 0, 50), DX_LEASE_F_DYNAMIC,
		      LEASE_TIME * 6 / 5, 0);
	renewing(&s, CL_A, IP(10, 0, 0, 50), S1);
	in_len = frame_build(&s, in, sizeof(in));
	lost0 = xdp_env_stat(&xdp_table_env, DX_STAT_EVENT_LOST);
	/* 1 MiB of ring holds fewer than 2^15 40-byte records. */
	for (i = 0; i < (1 << 15) + 16; i++) {
		out_len = sizeof(out);
		verdict = xdp_env_run(&xdp_table_env, in, in_len, out, &out_len,
				      NULL);
		if (verdict != XDP_TX)
			break;
		if (xdp_env_stat(&xdp_table_env, DX_STAT_EVENT_LOST) >
		    lost0 + 1)
			break;
	}
	assert_int_equal(verdict, XDP_TX);
	assert_true(xdp_env_stat(&xdp_table_env, DX_STAT_EVENT_LOST) > lost0);
	/* and the reply is still a correct ACK */
	out_len = sizeof(out);
	assert_int_equal(
		xdp_env_run(&xdp_table_env, in, in_len, out, &out_len, NULL),
		XDP_TX);
	check_reply(&cases[0], &s, in, in_len, out, out_len);
	drain_events();
	fixture_lease(CL_A, 1, IP(10, 0, 0, 50), DX_LEASE_F_DYNAMIC,
		      3 * LEASE_TIME, 0);
}

int main(void)
{
	static const struct CMUnitTest more[] = {
		{.name = "ack still sent with the event ring full",
		 .test_func = ack_with_full_ring},
		{.name = "renewal asks for an extension only when the next "
			 "one would not fit",
		 .test_func = renewal_asks_for_extension},
		{.name = "a punted renewal leaves the lease entry alone",
		 .test_func = punt_leaves_expiry},
		{.name = "a renewal past the entry's expiry is punted, one "
			 "before it ACKed",
		 .test_func = renewal_past_expiry_punted},
	};

	return xdp_table_run("xdp", cases, sizeof(cases) / sizeof(cases[0]),
			     more, sizeof(more) / sizeof(more[0]));
}
