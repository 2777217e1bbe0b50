// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The XDP table (xdp_table.h), shared networks: VLAN 400 is one link with
 * subnets 5 and 6 (DX_SUBNET_F_SHARED), served directly through subnet 5.
 * A renewal, rebinding or reboot of a subnet 6 lease, and a subnet 6
 * reservation's DISCOVER, are answered from subnet 6 with subnet 6's
 * options, as the engine answers them (engine_network.c); a request for
 * an address on no subnet of the link, or from a client known in none,
 * goes to the daemon.
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
#include "xdp_table.h"

#define SID5 IP(10, 5, 0, 1) /* our address on VLAN 400 */

static void on_vlan400(struct frame_spec *s)
{
	s->vlan = 400;
}
static void b_renew(struct frame_spec *s)
{
	renewing(s, CL_S, IP(10, 6, 0, 20), SID5);
	on_vlan400(s);
}
/* REBINDING: broadcast, ciaddr set, no server id (RFC 2131 §4.3.2). */
static void b_rebind(struct frame_spec *s)
{
	renewing(s, CL_S, IP(10, 6, 0, 20), 0xffffffff);
	on_vlan400(s);
	memset(s->dst_mac, 0xff, 6);
}
static void b_reboot(struct frame_spec *s)
{
	init_reboot(s, CL_S, IP(10, 6, 0, 20));
	on_vlan400(s);
}
static void b_reserved_discover(struct frame_spec *s)
{
	discover(s, CL_SR);
	on_vlan400(s);
}
static void b_reserved_select(struct frame_spec *s)
{
	selecting(s, CL_SR, IP(10, 6, 0, 40), SID5);
	on_vlan400(s);
}
/* The lease is in subnet 6, the address asked for on no subnet of the
 * link: the daemon NAKs or ignores it. */
static void b_off_link(struct frame_spec *s)
{
	init_reboot(s, CL_S, IP(10, 9, 0, 20));
	on_vlan400(s);
}
/* An address of subnet 5, where the client has no lease. */
static void b_wrong_subnet(struct frame_spec *s)
{
	init_reboot(s, CL_S, IP(10, 5, 0, 20));
	on_vlan400(s);
}
static void b_unknown_discover(struct frame_spec *s)
{
	discover(s, CL_UNKNOWN);
	on_vlan400(s);
}

static const struct xdp_case cases[] = {
	TX("shared: renewal in the second subnet", b_renew, DHCPACK,
	   IP(10, 6, 0, 20), 5, TO_CIADDR),
	TX("shared: rebinding in the second subnet", b_rebind, DHCPACK,
	   IP(10, 6, 0, 20), 5, TO_CIADDR),
	TX("shared: init-reboot in the second subnet", b_reboot, DHCPACK,
	   IP(10, 6, 0, 20), 5, TO_CHADDR),
	TXR("shared: reservation of the second subnet offered",
	    b_reserved_discover, DHCPOFFER, IP(10, 6, 0, 40), 5, TO_CHADDR),
	TXR("shared: reservation of the second subnet acked", b_reserved_select,
	    DHCPACK, IP(10, 6, 0, 40), 5, TO_CHADDR),
	PASS("shared: address on no subnet of the link", b_off_link, NULL,
	     NO_LEASE),
	PASS("shared: address of a subnet the client has no lease in",
	     b_wrong_subnet, NULL, NO_LEASE),
	PASS("shared: unknown client's discover", b_unknown_discover, NULL,
	     DISCOVER),
};

int main(void)
{
	return xdp_table_run("xdp_shared", cases,
			     sizeof(cases) / sizeof(cases[0]), NULL, 0);
}
