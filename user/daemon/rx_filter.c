// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Every interface served on one lower device - the device itself and the
 * VLAN devices on it - has a packet socket on that device (daemon.c
 * serve_if), and each would read every request XDP passes up there: with
 * N VLANs on a trunk, each request N times, N - 1 of them only to be set
 * aside by slowpath.c's rx_network(). So each socket gets a program that
 * takes its own network's frames (kernel/pkt_filter.h), and the first
 * served interface on the device, which rx_network() hands frames of no
 * served network, those too. rx_network() still decides; the programs
 * only keep the other networks' copies out. A device with one served
 * interface keeps the plain DHCP test.
 */
#include <errno.h>
#include <string.h>
#include "daemon/daemon_state.h"
#include "daemon/rx_filter.h"
#include "kernel/pkt_filter.h"
#include "kernel/pkt_io.h"
#include "util/log.h"

static struct pkt_net net_of(const struct served_if *s)
{
	return (struct pkt_net){.svlan = s->nif.svlan, .vlan = s->nif.vlan};
}

/* The program of sif (the i-th interface): into f, its length, or a
 * negative errno. */
static int program_of(const struct daemon *d, size_t i, struct sock_filter *f)
{
	static struct pkt_net others[PKT_FILTER_NETS_MAX];
	const struct served_if *sif = &d->ifs[i];
	bool first = true;
	size_t n = 0;

	for (size_t j = 0; j < d->n_ifs; j++) {
		const struct served_if *s = &d->ifs[j];

		if (j == i || !s->up ||
		    s->nif.lower_ifindex != sif->nif.lower_ifindex)
			continue;
		if (j < i)
			first = false;
		if (n == PKT_FILTER_NETS_MAX)
			return -E2BIG;
		others[n++] = net_of(s);
	}
	if (!n)
		return (int)pkt_filter_dhcp(f);
	return pkt_filter_network(net_of(sif), others, n, first, f,
				  PKT_FILTER_MAX);
}

void rx_filters_refresh(struct daemon *d)
{
	static struct sock_filter f[PKT_FILTER_MAX];

	for (size_t i = 0; i < d->n_ifs; i++) {
		struct served_if *sif = &d->ifs[i];
		int n, ret;

		if (!sif->up)
			continue;
		n = program_of(d, i, f);
		/* Too many networks on the device: every socket there reads
		 * every frame, and rx_network() sorts them. */
		if (n < 0)
			n = (int)pkt_filter_dhcp(f);
		ret = pkt_io_set_filter(&sif->sock, f, (size_t)n);
		if (ret)
			log_warn("%s: cannot filter its network's frames (%s): "
				 "its socket reads every frame of %s",
				 sif->nif.name, strerror(-ret), sif->nif.lower);
	}
}
