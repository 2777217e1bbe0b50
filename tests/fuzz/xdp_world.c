// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The XDP fuzzer's state (xdp_world.h): interfaces in a private network
 * namespace, a configuration of nine subnets (two of them a shared
 * network), an engine holding the
 * leases a database would give it, and the maps filled from both the way
 * the daemon fills them (map_sync_config, map_load_leases), as the
 * differential test does. Two things the daemon does not do yet are
 * written beside it with the daemon's layout: VLAN networks (a key
 * {ifindex, VLAN} in dx_networks; the engine is told they are served),
 * and lease entries whose horizon has passed (the map as it is when
 * time ran on while the daemon was stopped).
 */
#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <bpf/bpf.h>
#include <dhcpxdp/abi.h>
#include "config/config.h"
#include "engine/engine.h"
#include "kernel/bpf_obj.h"
#include "kernel/map_addrs.h"
#include "kernel/map_sync.h"
#include "kernel/netif.h"
#include "util/clock.h"
#include "xdp_env.h"
#include "xdp_world.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

enum { IF_S0, IF_S1, IF_BIG, IF_NONE };

/* A subnet of the configuration and how requests reach it. */
struct subnet_def {
	uint32_t id, net;      /* net: the /24 */
	const char *iface;     /* attached directly, or NULL */
	const char *relay;     /* listed relay, or NULL */
	int lifetime, renew;   /* 0: the defaults */
	const char *options;   /* option-data entries */
	int dynamic, reserved; /* how many leases, plain reservations */
	struct xf_route routes[XF_ROUTES];
	int n_routes;
	int shared; /* in the shared network "edge", in this order */
};

#define LONG_SEARCH                                                        \
	"{\"name\": \"domain-search\", \"data\": \"one.fuzz.example.net, " \
	"two.fuzz.example.net, three.fuzz.example.net, "                   \
	"four.fuzz.example.net, five.fuzz.example.net, "                   \
	"six.fuzz.example.net, seven.fuzz.example.net\"}"
#define LONGER_SEARCH                                                      \
	"{\"name\": \"domain-search\", \"data\": \"a-long-label-one.fuzz." \
	"example.net, a-long-label-two.fuzz.example.net, a-long-label-"    \
	"three.fuzz.example.net, a-long-label-four.fuzz.example.net, "     \
	"a-long-label-five.fuzz.example.net, a-long-label-six.fuzz."       \
	"example.net\"}"

static const struct subnet_def subnets[] = {
	{42,
	 IP(10, 9, 0, 0),
	 "dxs0",
	 NULL,
	 0,
	 0,
	 "{\"name\": \"routers\", \"data\": \"10.9.0.1\"},"
	 "{\"name\": \"domain-name-servers\", \"data\": \"10.9.0.2, "
	 "10.9.0.3\"},"
	 "{\"name\": \"domain-name\", \"data\": \"lab.example\"}",
	 40,
	 8,
	 {{IF_S0, 0, 0}, {IF_S0, 0, IP(10, 9, 0, 7)}},
	 2,
	 0},
	/* behind a listed relay inside 42's prefix: the /32 must win */
	{43,
	 IP(172, 30, 0, 0),
	 NULL,
	 "10.9.0.254",
	 900,
	 0,
	 "{\"name\": \"routers\", \"data\": \"172.30.0.1\"}",
	 16,
	 4,
	 {{IF_S0, 0, IP(10, 9, 0, 254)},
	  {IF_S0, 0, IP(172, 30, 0, 1)},
	  {IF_S0, 300, IP(10, 9, 0, 254)},
	  {IF_S1, 0, IP(172, 30, 0, 9)}},
	 4,
	 0},
	{44,
	 IP(172, 31, 0, 0),
	 NULL,
	 "10.9.0.253",
	 1200,
	 0,
	 NULL,
	 12,
	 0,
	 {{IF_S0, 0, IP(10, 9, 0, 253)},
	  {IF_S0, 0, IP(172, 31, 0, 5)},
	  {IF_BIG, 0, IP(172, 31, 0, 5)}},
	 3,
	 0},
	/* long options: replies near 576 bytes */
	{45,
	 IP(10, 10, 0, 0),
	 "dxs1",
	 NULL,
	 900,
	 300,
	 "{\"name\": \"routers\", \"data\": \"10.10.0.1\"},"
	 "{\"name\": \"domain-name-servers\", \"data\": \"10.10.0.2, "
	 "10.10.0.3, 10.10.0.4, 10.10.0.5\"},"
	 "{\"name\": \"domain-name\", \"data\": "
	 "\"a-rather-long-domain-name.fuzz.example.net\"},"
	 "{\"name\": \"interface-mtu\", \"data\": \"1500\"},"
	 "{\"name\": \"classless-static-route\", \"data\": "
	 "\"10.0.0.0/8 - 10.10.0.254, 0.0.0.0/0 - 10.10.0.1\"}," LONG_SEARCH,
	 24,
	 4,
	 {{IF_S1, 0, 0}, {IF_S0, 0, IP(10, 10, 0, 9)}},
	 2,
	 0},
	/* options past 320 bytes: the fast path is off */
	{46,
	 IP(10, 11, 0, 0),
	 NULL,
	 "192.0.2.46",
	 0,
	 0,
	 LONGER_SEARCH
	 ","
	 "{\"name\": \"domain-name\", \"data\": "
	 "\"a-rather-long-domain-name-for-a-subnet.fuzz.example.net\"},"
	 "{\"name\": \"domain-name-servers\", \"data\": \"10.11.0.2, "
	 "10.11.0.3, 10.11.0.4, 10.11.0.5, 10.11.0.6, 10.11.0.7\"},"
	 "{\"name\": \"ntp-servers\", \"data\": \"10.11.0.2, "
	 "10.11.0.3, 10.11.0.4, 10.11.0.5\"},"
	 "{\"name\": \"routers\", \"data\": \"10.11.0.1\"}",
	 6,
	 2,
	 {{IF_S0, 0, IP(192, 0, 2, 46)}},
	 1,
	 0},
	/* VLAN 100 of dxs0 */
	{47,
	 IP(10, 100, 0, 0),
	 NULL,
	 "192.0.2.47",
	 1800,
	 0,
	 "{\"name\": \"routers\", \"data\": \"10.100.0.1\"}",
	 16,
	 2,
	 {{IF_S0, 100, 0},
	  {IF_S0, 0, IP(192, 0, 2, 47)},
	  {IF_S0, 100, IP(192, 0, 2, 47)}},
	 3,
	 0},
	/* an ifindex past the ifaces array: the networks hash */
	{48,
	 IP(10, 77, 0, 0),
	 "dxbig0",
	 NULL,
	 0,
	 0,
	 "{\"name\": \"routers\", \"data\": \"10.77.0.1\"}",
	 12,
	 2,
	 {{IF_BIG, 0, 0}, {IF_S0, 300, IP(10, 77, 0, 3)}},
	 2,
	 0},
	/*
	 * The shared network "edge" behind relay 192.0.2.49 (listed at the
	 * network's level): 49 then 50, each also reached by a giaddr in
	 * its own prefix, each request picking its subnet on the link.
	 */
	{49,
	 IP(10, 49, 0, 0),
	 NULL,
	 NULL,
	 0,
	 0,
	 "{\"name\": \"routers\", \"data\": \"10.49.0.1\"}",
	 12,
	 2,
	 {{IF_S0, 0, IP(192, 0, 2, 49)}, {IF_S0, 0, IP(10, 49, 0, 1)}},
	 2,
	 1},
	{50,
	 IP(10, 50, 0, 0),
	 NULL,
	 NULL,
	 900,
	 0,
	 "{\"name\": \"routers\", \"data\": \"10.50.0.1\"}",
	 12,
	 2,
	 {{IF_S0, 0, IP(192, 0, 2, 49)},
	  {IF_S0, 0, IP(10, 50, 0, 1)},
	  {IF_S0, 0, IP(10, 49, 0, 1)}},
	 3,
	 1},
};
#define N_SUBNETS (sizeof(subnets) / sizeof(subnets[0]))

/* Clients: 02:f5:<subnet>:<kind>:00:<n>, so a reply names its kind. */
static void client_mac(uint8_t mac[6], uint32_t sid, int kind, int n)
{
	mac[0] = 0x02;
	mac[1] = 0xf5;
	mac[2] = (uint8_t)sid;
	mac[3] = (uint8_t)kind;
	mac[4] = 0;
	mac[5] = (uint8_t)n;
}

int xf_client_kind(const uint8_t chaddr[6])
{
	if (chaddr[0] != 0x02 || chaddr[1] != 0xf5 || chaddr[3] > XF_UNKNOWN)
		return XF_UNKNOWN;
	return chaddr[3];
}

static int add_json(char *buf, size_t cap, size_t *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int add_json(char *buf, size_t cap, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(buf + *n, cap - *n, fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k >= cap - *n)
		return -ENOSPC;
	*n += (size_t)k;
	return 0;
}

static void ip_text(char *s, uint32_t ip)
{
	snprintf(s, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xff,
		 (ip >> 8) & 0xff, ip & 0xff);
}

/*
 * Each subnet: pool .10 - .99 (leases from .10 on), plain reservations
 * at .200 on, and in 42 three the daemon keeps (a hostname, options of
 * its own, by client-id); in 44 two by circuit id.
 */
/* One subnet4 entry (after a comma unless first). */
static int subnet_json(char *buf, size_t cap, size_t *np,
		       const struct subnet_def *s, bool first)
{
	size_t n = *np;
	char a[16], b[16];
	int err;

	ip_text(a, s->net | 10);
	ip_text(b, s->net | 99);
	err = add_json(buf, cap, &n,
		       "%s{\"id\": %u, \"subnet\": \"%u.%u.%u.0/24\","
		       " \"pools\": [{\"pool\": \"%s - %s\"}]",
		       first ? "" : ",", s->id, s->net >> 24,
		       (s->net >> 16) & 0xff, (s->net >> 8) & 0xff, a, b);
	if (!err && s->iface)
		err = add_json(buf, cap, &n, ", \"interface\": \"%s\"",
			       s->iface);
	if (!err && s->relay)
		err = add_json(buf, cap, &n,
			       ", \"relay\": {\"ip-addresses\": "
			       "[\"%s\"]}",
			       s->relay);
	if (!err && s->lifetime)
		err = add_json(buf, cap, &n, ", \"valid-lifetime\": %d",
			       s->lifetime);
	if (!err && s->renew)
		err = add_json(buf, cap, &n,
			       ", \"renew-timer\": %d, "
			       "\"rebind-timer\": %d",
			       s->renew, s->renew * 2);
	if (!err && s->options)
		err = add_json(buf, cap, &n, ", \"option-data\": [%s]",
			       s->options);
	if (!err)
		err = add_json(buf, cap, &n, ", \"reservations\": [");
	for (int r = 0; !err && r < s->reserved; r++) {
		ip_text(a, s->net | (200 + r));
		err = add_json(buf, cap, &n,
			       "%s{\"hw-address\": "
			       "\"02:f5:%02x:%02x:00:%02x\","
			       " \"ip-address\": \"%s\"}",
			       r ? "," : "", s->id, XF_RESERVED, r, a);
	}
	if (!err && s->id == 42)
		err = add_json(buf, cap, &n,
			       ",{\"hw-address\": \"02:f5:2a:02:00:00\","
			       " \"ip-address\": \"10.9.0.210\","
			       " \"hostname\": \"named\"},"
			       "{\"hw-address\": \"02:f5:2a:02:00:01\","
			       " \"ip-address\": \"10.9.0.211\","
			       " \"option-data\": [{\"name\": \"routers\","
			       " \"data\": \"10.9.0.254\"}]},"
			       "{\"client-id\": \"01:02:f5:2a:02:00:02\","
			       " \"ip-address\": \"10.9.0.212\"}");
	/* By the circuit id the generator's relay sends ('port'), which
	 * XDP answers, and by a shorter one with a hostname, which it
	 * leaves to the daemon; the hw-address ones come first. */
	if (!err && s->id == 44)
		err = add_json(buf, cap, &n,
			       "%s{\"circuit-id\": \"'port'\","
			       " \"ip-address\": \"172.31.0.220\"},"
			       "{\"circuit-id\": \"'po'\","
			       " \"ip-address\": \"172.31.0.221\","
			       " \"hostname\": \"po\"}",
			       s->reserved ? "," : "");
	if (!err)
		err = add_json(buf, cap, &n, "]}");
	*np = n;
	return err;
}

static int config_json(char *buf, size_t cap)
{
	size_t n = 0;
	int err =
		add_json(buf, cap, &n,
			 "{\"Dhcp4\": {\"interfaces-config\": {\"interfaces\":"
			 " [\"dxs0\", \"dxs1\", \"dxbig0\"]},"
			 " \"valid-lifetime\": 600,"
			 /* Off: every XDP_DROP is then a finding. The limits
			  * have their own tests (tests/bpf). */
			 " \"dhcpxdp\": {\"rate-limits\": {"
			 "\"per-client\": {\"rate\": 0},"
			 " \"per-network\": {\"rate\": 0},"
			 " \"per-relay\": {\"rate\": 0},"
			 " \"per-circuit-id\": {\"rate\": 0}}},"
			 " \"subnet4\": [");

	for (size_t i = 0; !err && i < N_SUBNETS; i++)
		if (!subnets[i].shared)
			err = subnet_json(buf, cap, &n, &subnets[i], !i);
	if (!err)
		err = add_json(
			buf, cap, &n,
			"], \"shared-networks\": [{\"name\": \"edge\","
			" \"relay\": {\"ip-addresses\": [\"192.0.2.49\"]},"
			" \"subnet4\": [");
	for (size_t i = 0, k = 0; !err && i < N_SUBNETS; i++)
		if (subnets[i].shared)
			err = subnet_json(buf, cap, &n, &subnets[i], !k++);
	if (!err)
		err = add_json(buf, cap, &n, "]}");
	if (!err)
		err = add_json(buf, cap, &n, "]}}");
	return err;
}

static struct xf_client *new_client(struct xf_world *w,
				    const struct subnet_def *s, int kind, int n,
				    uint32_t addr)
{
	struct xf_client *c = &w->clients[w->n_clients++];

	memset(c, 0, sizeof(*c));
	client_mac(c->mac, s->id, kind, n);
	c->kind = (uint8_t)kind;
	c->subnet_id = s->id;
	c->addr = addr;
	memcpy(c->routes, s->routes, sizeof(c->routes));
	c->n_routes = (uint8_t)s->n_routes;
	return c;
}

/* The lease's option 61: none, type 1 and the MAC, any bytes, or
 * around the longest XDP echoes (64). */
static void lease_cid(struct xf_rng *r, struct xf_client *c)
{
	uint32_t x = xf_below(r, 100);

	if (x < 40)
		return;
	if (x < 75) {
		c->cid[0] = 1;
		memcpy(c->cid + 1, c->mac, 6);
		c->cid_len = 7;
		return;
	}
	c->cid_len =
		(uint8_t)(x < 95 ? 2 + xf_below(r, 31) : 63 + xf_below(r, 3));
	for (int i = 0; i < c->cid_len; i++)
		c->cid[i] = (uint8_t)xf_rand(r);
}

static int netif_get(const char *name, struct netif *nif)
{
	int err = netif_lookup(name, 0, nif);

	if (err)
		fprintf(stderr, "fuzz_xdp: %s: %s\n", name, strerror(-err));
	return err;
}

static void iface_of(struct xf_iface *ifc, const struct netif *nif)
{
	snprintf(ifc->name, sizeof(ifc->name), "%s", nif->name);
	ifc->ifindex = nif->ifindex;
	memcpy(ifc->mac, nif->mac, 6);
}

static void add_net(struct xf_iface *ifc, uint16_t vlan, uint32_t addr,
		    uint32_t subnet_id)
{
	struct diff_net *n = &ifc->nets[ifc->n_nets++];

	n->vlan = vlan;
	memcpy(n->mac, ifc->mac, 6);
	n->addr = addr;
	n->direct_subnet_id = subnet_id;
}

/* The interfaces: dxs0 from xdp_env_veth_ns, dxs1, dxbig0 at ifindex
 * 5000, and dxc0 (dxs0's peer), which is not served. */
static int make_ifaces(struct xf_state *st)
{
	struct xf_world *w = &st->w;
	struct netif s0, s1, big, none;
	int err;

	/* Fixed MACs: a frame replays on a fresh state only if the
	 * addresses it was made for are the same there. */
	if (system("ip link set dxs0 address 02:5e:00:00:00:01 && "
		   "ip link set dxc0 address 02:5e:00:00:01:01 && "
		   "ip link add dxs1 address 02:5e:00:00:00:02 type veth "
		   "peer name dxc1 address 02:5e:00:00:01:02 && "
		   "ip addr add 10.10.0.1/24 dev dxs1 && ip link set dxs1 up "
		   "&& "
		   "ip link set dxc1 up && "
		   "ip link add dxbig0 index 5000 address 02:5e:00:00:00:03 "
		   "type veth peer name dxbig1 address 02:5e:00:00:01:03 && "
		   "ip addr add 10.77.0.1/24 dev dxbig0 && "
		   "ip link set dxbig0 up && ip link set dxbig1 up"))
		return -EIO;
	err = netif_get("dxs0", &s0);
	if (!err)
		err = netif_get("dxs1", &s1);
	if (!err)
		err = netif_get("dxbig0", &big);
	if (err)
		return err;
	/* no address: netif_lookup would refuse it */
	memset(&none, 0, sizeof(none));
	snprintf(none.name, sizeof(none.name), "dxc0");
	none.ifindex = if_nametoindex("dxc0");
	if (!none.ifindex)
		return -errno;
	iface_of(&w->ifaces[IF_S0], &s0);
	iface_of(&w->ifaces[IF_S1], &s1);
	iface_of(&w->ifaces[IF_BIG], &big);
	iface_of(&w->ifaces[IF_NONE], &none);
	add_net(&w->ifaces[IF_S0], 0, s0.addr, 42);
	add_net(&w->ifaces[IF_S0], 100, IP(10, 100, 0, 1), 47);
	add_net(&w->ifaces[IF_S0], 300, IP(10, 30, 0, 1), 0);
	add_net(&w->ifaces[IF_S1], 0, s1.addr, 45);
	add_net(&w->ifaces[IF_BIG], 0, big.addr, 48);
	return 0;
}

/* VLAN networks of dxs0, as map_sync.c's write_network lays out a
 * network: key {ifindex, VLAN} in dx_networks. */
static int add_vlan_networks(struct xf_state *st)
{
	const struct xf_iface *ifc = &st->w.ifaces[IF_S0];

	for (size_t i = 1; i < ifc->n_nets; i++) {
		const struct diff_net *n = &ifc->nets[i];
		struct dx_network_key k = {.ifindex = ifc->ifindex,
					   .vlan = n->vlan};
		struct dx_network v = {.addr = htonl(n->addr)};

		memcpy(v.mac, n->mac, 6);
		v.subnet_slot =
			n->direct_subnet_id
				? map_slot_of(&st->slots, n->direct_subnet_id)
				: DX_SUBNET_SLOT_NONE;
		if (bpf_map_update_elem(st->obj.networks_fd, &k, &v, BPF_ANY))
			return -errno;
	}
	return 0;
}

/* A lease entry as the daemon installed it long ago: its horizon (and
 * the expiry) passed `ago` ns before now; by address too. */
static int age_entry(struct xf_state *st, const struct xf_client *c,
		     uint64_t ago)
{
	struct dx_lease_key k = {.subnet_id = c->subnet_id};
	uint64_t now = now_boot_ns();
	struct dx_lease l;

	memcpy(k.mac, c->mac, 6);
	if (bpf_map_lookup_elem(st->obj.leases_fd, &k, &l))
		return -errno;
	if (ago > now)
		ago = now;
	l.horizon_ns = now - ago;
	l.expires_ns = now - ago;
	if (bpf_map_update_elem(st->obj.leases_fd, &k, &l, BPF_EXIST))
		return -errno;
	return map_addrs_put(&st->obj, &k, &l);
}

/* The leases the engine holds, for the maps once the subnets are there. */
struct xf_leases {
	struct engine_map_op *ops;
	size_t n_ops;
	uint8_t aged[XF_CLIENTS];
};

/*
 * The clients and their leases: per dynamic lease a horizon three
 * lifetimes ahead (XDP renews), under one lifetime (XDP passes up),
 * between one lifetime and lifetime + T1 (XDP renews and asks for an
 * extension), three lifetimes ahead but the lease expired (XDP passes
 * up), or passed (aged after loading).
 */
static int load_leases(struct xf_state *st, struct xf_rng *r,
		       struct xf_leases *ls)
{
	struct xf_world *w = &st->w;
	struct engine_map_op *ops = calloc(XF_CLIENTS, sizeof(*ops));
	uint8_t *aged = ls->aged;
	int64_t now = now_wall();
	size_t n_ops = 0;
	int err = -ENOMEM;

	ls->ops = ops;
	if (!ops)
		return err;
	for (size_t i = 0; i < N_SUBNETS; i++) {
		const struct subnet_def *s = &subnets[i];
		int life = s->lifetime ? s->lifetime : 600;

		for (int k = 0; k < s->dynamic; k++) {
			struct xf_client *c =
				new_client(w, s, XF_DYNAMIC, k,
					   s->net | (uint32_t)(10 + k));
			struct dx_lease_rec rec = {.subnet_id = s->id,
						   .addr = c->addr,
						   .state = DX_LEASE_ACTIVE};
			uint32_t h = xf_below(r, 100);

			lease_cid(r, c);
			rec.horizon = now + (h < 45   ? 3 * life
					     : h < 60 ? life / 2
					     : h < 75 ? life + life / 4
						      : 3 * life);
			/* 75..87: the client went quiet, its lease ran out
			 * before the horizon (XDP passes its renewal up) */
			rec.expires = now + (h >= 75 && h < 88 ? -life / 4
							       : life / 2);
			rec.last_seen = now - life / 2;
			if (rec.horizon < rec.expires)
				rec.expires = rec.horizon;
			memcpy(rec.mac, c->mac, 6);
			rec.client_id_len = c->cid_len;
			memcpy(rec.client_id, c->cid, c->cid_len);
			err = engine_load_lease(st->eng, &rec, now,
						&ops[n_ops]);
			if (err)
				return err;
			if (ops[n_ops].kind)
				n_ops++;
			aged[w->n_clients - 1] = h >= 88;
		}
		for (int k = 0; k < s->reserved; k++)
			new_client(w, s, XF_RESERVED, k,
				   s->net | (uint32_t)(200 + k));
		if (s->id == 42)
			for (int k = 0; k < 3; k++)
				new_client(w, s, XF_SLOW, k,
					   s->net | (uint32_t)(210 + k));
		for (int k = 0; k < 3; k++)
			new_client(w, s, XF_UNKNOWN, k,
				   s->net | (uint32_t)(100 + k));
	}
	/* the reservation by client-id: its option 61 */
	for (size_t i = 0; i < w->n_clients; i++) {
		struct xf_client *c = &w->clients[i];

		if (c->kind == XF_SLOW && c->mac[5] == 2) {
			c->cid[0] = 1;
			memcpy(c->cid + 1, c->mac, 6);
			c->cid_len = 7;
		}
	}
	ls->n_ops = n_ops;
	return 0;
}

/* Into the maps, as the daemon does after the subnets (restore.c). */
static int install_leases(struct xf_state *st, struct xf_rng *r,
			  const struct xf_leases *ls)
{
	int err = map_load_leases(&st->obj, ls->ops, ls->n_ops, now_wall(),
				  now_boot_ns());

	for (size_t i = 0; !err && i < st->w.n_clients; i++)
		if (ls->aged[i])
			err = age_entry(st, &st->w.clients[i],
					(1 + xf_below(r, 86400)) *
						1000000000ULL);
	return err;
}

static void relays(struct xf_world *w)
{
	static const uint32_t gi[] = {
		IP(10, 9, 0, 254), IP(10, 9, 0, 253), IP(10, 9, 0, 7),
		IP(172, 30, 0, 1), IP(172, 31, 0, 5), IP(192, 0, 2, 46),
		IP(192, 0, 2, 47), IP(10, 10, 0, 9),  IP(10, 77, 0, 3),
		IP(192, 0, 2, 1),  IP(8, 8, 8, 8),    IP(10, 100, 0, 9),
	};

	memcpy(w->relays, gi, sizeof(gi));
	w->n_relays = sizeof(gi) / sizeof(gi[0]);
	w->other_server = IP(10, 9, 0, 99);
}

int xf_state_setup(struct xf_state *st, uint64_t seed, char *err, size_t errlen)
{
	static char json[16384];
	static struct xf_leases ls;
	struct map_sync_report rep;
	struct config_diag diag;
	struct xf_rng r;
	int ret;

	memset(st, 0, sizeof(*st));
	snprintf(st->root, sizeof(st->root), "/tmp/dhcpxdp-fuzz-xdp-XXXXXX");
	xf_rng_seed(&r, seed ^ 0x5eedf00dULL);
	ret = xdp_env_veth_ns(st->root);
	if (ret) {
		snprintf(err, errlen, "network namespace and bpffs: %s",
			 strerror(-ret));
		return ret;
	}
	st->ns_ready = true;
	snprintf(st->pin_dir, sizeof(st->pin_dir), "%s/dhcpxdp", st->root);
	ret = make_ifaces(st);
	if (ret) {
		snprintf(err, errlen, "interfaces: %s", strerror(-ret));
		return ret;
	}
	relays(&st->w);
	ret = config_json(json, sizeof(json));
	if (!ret &&
	    config_load_string(json, "fuzz_xdp.json", &st->cfg, &diag)) {
		snprintf(err, errlen, "configuration: %s", diag.error);
		config_diag_free(&diag);
		return -EINVAL;
	}
	if (ret) {
		snprintf(err, errlen, "configuration too long");
		return ret;
	}
	config_diag_free(&diag);
	ret = engine_new(st->cfg, &st->eng);
	if (ret) {
		snprintf(err, errlen, "engine: %s", strerror(-ret));
		return ret;
	}
	ret = dx_bpf_open(&st->obj, st->pin_dir, 4096, err, errlen);
	if (ret)
		return ret;
	st->obj_open = true;
	memset(&ls, 0, sizeof(ls));
	ret = map_slots_load(&st->obj, &st->slots);
	if (!ret)
		ret = load_leases(st, &r, &ls);
	if (!ret)
		ret = map_sync_config(&st->obj, st->cfg, st->eng, &st->slots,
				      &rep, err, errlen);
	if (!ret)
		ret = install_leases(st, &r, &ls);
	free(ls.ops);
	if (!ret)
		ret = add_vlan_networks(st);
	if (ret && !*err)
		snprintf(err, errlen, "filling the maps: %s", strerror(-ret));
	return ret;
}

void xf_state_free(struct xf_state *st)
{
	if (st->obj_open)
		dx_bpf_close(&st->obj);
	engine_free(st->eng);
	config_free(st->cfg);
	if (st->ns_ready) {
		umount(st->root);
		rmdir(st->root);
	}
	memset(st, 0, sizeof(*st));
}
