// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "config/config.h"
#include "util/errmsg.h"
#include "kernel/addr_window.h"
#include "kernel/map_addrs.h"
#include "kernel/map_windows.h"
#include "kernel/map_limits.h"
#include "kernel/map_sync.h"
#include "kernel/netif.h"
#include "kernel/vlan_offload.h"

#define NSEC_PER_SEC 1000000000ULL

int map_slots_load(const struct dx_bpf *obj, struct map_slots *slots)
{
	struct dx_subnet sn;

	memset(slots, 0, sizeof(*slots));
	for (uint32_t i = 0; i < DX_MAX_SUBNETS; i++) {
		if (bpf_map_lookup_elem(obj->subnets_fd, &i, &sn))
			return -errno;
		slots->subnet_id[i] = sn.subnet_id;
		slots->win[i] =
			sn.subnet_id ? sn.win : (struct dx_addr_window){0};
	}
	if (obj->windows)
		addr_windows_build(obj->windows, slots->subnet_id, slots->win,
				   DX_MAX_SUBNETS);
	return 0;
}

uint32_t map_slot_of(const struct map_slots *slots, uint32_t subnet_id)
{
	for (uint32_t i = 0; i < DX_MAX_SUBNETS; i++)
		if (subnet_id && slots->subnet_id[i] == subnet_id)
			return i;
	return DX_SUBNET_SLOT_NONE;
}

static uint32_t slot_claim(struct map_slots *slots, uint32_t subnet_id)
{
	uint32_t slot = map_slot_of(slots, subnet_id);

	if (slot != DX_SUBNET_SLOT_NONE)
		return slot;
	for (uint32_t i = 0; i < DX_MAX_SUBNETS; i++) {
		if (!slots->subnet_id[i]) {
			slots->subnet_id[i] = subnet_id;
			return i;
		}
	}
	return DX_SUBNET_SLOT_NONE;
}

/* Options a subnet's fast-path replies carry, TLV-encoded in its slot
 * value; -E2BIG when they do not fit DX_SUBNET_OPTS_MAX. */
static int encode_subnet_opts(const struct dhcp_opt *opts, size_t n,
			      struct dx_subnet *sn)
{
	size_t len = 0;

	memset(sn->opts, 0, sizeof(sn->opts));
	for (size_t i = 0; i < n; i++) {
		/* Long values would need RFC 3396 splitting; they are
		 * rare enough to leave to the daemon. */
		if (opts[i].len > 255 ||
		    len + 2 + opts[i].len > sizeof(sn->opts))
			return -E2BIG;
		sn->opts[len] = opts[i].code;
		sn->opts[len + 1] = (uint8_t)opts[i].len;
		memcpy(sn->opts + len + 2, opts[i].data, opts[i].len);
		len += 2 + opts[i].len;
	}
	sn->opts_len = (uint16_t)len;
	sn->opts_csum = dx_reply_opts_csum(sn->opts, sn->opts_len);
	return 0;
}

/*
 * The subnet's siaddr, sname and file as every reply carries them (RFC
 * 2131 §2), with their checksum share; nothing set leaves the flag off
 * and XDP writes zeros.
 */
static void encode_subnet_bootp(const struct dx_bootp_conf *b,
				struct dx_subnet *sn)
{
	if (!config_bootp_any(b))
		return;
	sn->flags |= DX_SUBNET_F_BOOTP;
	sn->siaddr = htonl(b->next_server);
	/* Both NUL-padded (sn is zeroed): the config holds at most 63 and
	 * 127 bytes. */
	memcpy(sn->sname, b->server_hostname,
	       strnlen(b->server_hostname, sizeof(sn->sname) - 1));
	memcpy(sn->file, b->boot_file_name,
	       strnlen(b->boot_file_name, sizeof(sn->file) - 1));
	sn->bootp_csum = dx_reply_bootp_csum(sn->sname);
}

/*
 * The pools of @sc with options of their own, for XDP to pass their
 * leases up; -E2BIG when there are more than it tells apart.
 */
static int encode_pool_opts(const struct dx_subnet_conf *sc,
			    struct dx_subnet *sn)
{
	for (size_t i = 0; sc->pool_opts && i < sc->n_pools; i++) {
		if (!sc->pool_opts[i].options.n)
			continue;
		if (sn->n_pool_opts >= DX_SUBNET_POOL_OPTS_MAX)
			return -E2BIG;
		sn->pool_opts[sn->n_pool_opts].first = sc->pools[i].start;
		sn->pool_opts[sn->n_pool_opts++].last = sc->pools[i].end;
	}
	return 0;
}

static bool config_has_subnet(const struct dx_config *cfg, uint32_t id)
{
	return config_subnet_by_id(cfg, id) != NULL;
}

/*
 * A shared network's subnet: its prefix and its neighbours in
 * configuration order, through which XDP finds the subnet of a request
 * as the engine does (engine_network.c).
 */
static void link_subnet(const struct dx_config *cfg,
			const struct map_slots *slots, size_t i,
			struct dx_subnet *sn)
{
	const struct dx_subnet_conf *sc = &cfg->subnets[i];
	size_t first = i;

	if (!sc->shared_id)
		return;
	for (size_t j = 0; j < i; j++)
		if (cfg->subnets[j].shared_id == sc->shared_id) {
			first = j;
			break;
		}
	sn->flags |= DX_SUBNET_F_SHARED;
	sn->network = htonl(sc->network);
	sn->mask = htonl(sc->prefix_len ? ~0U << (32 - sc->prefix_len) : 0);
	sn->first_slot = map_slot_of(slots, cfg->subnets[first].id);
	sn->next_slot = DX_SUBNET_SLOT_NONE;
	for (size_t j = i + 1; j < cfg->n_subnets; j++)
		if (cfg->subnets[j].shared_id == sc->shared_id) {
			sn->next_slot = map_slot_of(slots, cfg->subnets[j].id);
			break;
		}
}

/* The subnets array for cfg, with each subnet's window placed. */
static int write_subnets(const struct dx_bpf *obj, const struct dx_config *cfg,
			 const struct engine *e, const struct map_slots *before,
			 struct map_slots *slots, struct map_sync_report *rep,
			 char *err, size_t errlen)
{
	static const struct dx_subnet empty;
	const struct dhcp_opt *opts;
	struct dx_subnet sn;
	size_t n;
	int ret;

	/* Free the slots of subnets gone from the configuration. */
	for (uint32_t i = 0; i < DX_MAX_SUBNETS; i++) {
		if (!slots->subnet_id[i] ||
		    config_has_subnet(cfg, slots->subnet_id[i]))
			continue;
		if (bpf_map_update_elem(obj->subnets_fd, &i, &empty, BPF_ANY))
			return errmsg(err, errlen, -errno,
				      "clearing subnet slot %u: %s", i,
				      strerror(errno));
		slots->subnet_id[i] = 0;
	}
	/* Every slot first: a shared network's entries name each other. */
	for (size_t i = 0; i < cfg->n_subnets; i++)
		if (slot_claim(slots, cfg->subnets[i].id) ==
		    DX_SUBNET_SLOT_NONE)
			return errmsg(err, errlen, -ENOSPC,
				      "more than %d subnets", DX_MAX_SUBNETS);
	ret = map_windows_place(obj, cfg, before, slots, &rep->addr_windows_off,
				err, errlen);
	if (ret)
		return ret;
	for (size_t i = 0; i < cfg->n_subnets; i++) {
		const struct dx_subnet_conf *sc = &cfg->subnets[i];
		uint32_t slot = map_slot_of(slots, sc->id);

		memset(&sn, 0, sizeof(sn));
		sn.subnet_id = sc->id;
		link_subnet(cfg, slots, i, &sn);
		sn.lease_time = sc->valid_lifetime;
		sn.t1 = sc->renew_timer;
		sn.t2 = sc->rebind_timer;
		sn.win = slots->win[slot];
		encode_subnet_bootp(&sc->bootp, &sn);
		if (engine_subnet_opts(e, sc->id, &opts, &n) ||
		    encode_subnet_opts(opts, n, &sn) ||
		    encode_pool_opts(sc, &sn)) {
			/* The daemon still serves the subnet in full. */
			memset(sn.opts, 0, sizeof(sn.opts));
			sn.opts_len = 0;
			sn.opts_csum = 0;
			sn.flags |= DX_SUBNET_F_DISABLED;
			rep->fast_path_off++;
		} else if (config_fast_path_off(cfg, sc)) {
			/* Kea's switches XDP cannot follow (config.h): the
			 * daemon answers the subnet; options stay encoded. */
			sn.flags |= DX_SUBNET_F_DISABLED;
			rep->fast_path_kea++;
		}
		sn.flags |= map_circuit_flags(cfg, e, sc);
		if (config_classes_punt(cfg, sc)) {
			/* XDP does not classify (docs/design.md §2). */
			sn.flags |= DX_SUBNET_F_CLASSES;
			rep->fast_path_classes++;
		}
		if (bpf_map_update_elem(obj->subnets_fd, &slot, &sn, BPF_ANY))
			return errmsg(
				err, errlen, -errno,
				"writing subnet %u to the subnets map: %s",
				sc->id, strerror(errno));
		rep->subnets++;
	}
	return 0;
}

static int sync_subnets(const struct dx_bpf *obj, const struct dx_config *cfg,
			const struct engine *e, struct map_slots *slots,
			struct map_sync_report *rep, char *err, size_t errlen)
{
	struct map_slots *before = malloc(sizeof(*before));
	int ret;

	if (!before)
		return errmsg(err, errlen, -ENOMEM, "out of memory");
	*before = *slots;
	ret = write_subnets(obj, cfg, e, before, slots, rep, err, errlen);
	if (!ret)
		ret = map_windows_settle(obj, cfg, before, slots, err, errlen);
	free(before);
	return ret;
}

struct net_set {
	struct dx_network_key key[64];
	size_t n;
};

static bool in_ifaces(const struct dx_network_key *k)
{
	return !k->vlan && !k->svlan && k->ifindex < DX_IFACE_SLOTS;
}

static bool keep_network(const void *key, const void *val, const void *arg)
{
	const struct dx_network_key *k = key;
	const struct net_set *set = arg;

	(void)val;
	if (in_ifaces(k))
		return false; /* served from the ifaces array now */
	for (size_t i = 0; i < set->n; i++)
		if (!memcmp(&set->key[i], k, sizeof(*k)))
			return true;
	return false;
}

/*
 * Untagged networks with a small ifindex go into the ifaces array (the
 * XDP lookup is inlined there), the others into the networks hash.
 */
static int write_network(const struct dx_bpf *obj,
			 const struct dx_network_key *k,
			 const struct dx_network *net)
{
	uint32_t idx = k->ifindex;

	if (in_ifaces(k))
		return bpf_map_update_elem(obj->ifaces_fd, &idx, net, BPF_ANY)
			       ? -errno
			       : 0;
	return bpf_map_update_elem(obj->networks_fd, k, net, BPF_ANY) ? -errno
								      : 0;
}

/* Empty every ifaces slot not in the set (a slot with addr 0 is unused). */
static int prune_ifaces(const struct dx_bpf *obj, const struct net_set *set)
{
	const struct dx_network none = {.subnet_slot = DX_SUBNET_SLOT_NONE};
	struct dx_network net;
	int ret = 0;

	for (uint32_t idx = 0; idx < DX_IFACE_SLOTS; idx++) {
		bool keep = false;

		if (bpf_map_lookup_elem(obj->ifaces_fd, &idx, &net)) {
			ret = -errno;
			break;
		}
		if (!net.addr)
			continue;
		for (size_t i = 0; i < set->n && !keep; i++)
			keep = in_ifaces(&set->key[i]) &&
			       set->key[i].ifindex == idx;
		if (!keep &&
		    bpf_map_update_elem(obj->ifaces_fd, &idx, &none, BPF_ANY)) {
			ret = -errno;
			break;
		}
	}
	return ret;
}

/*
 * May XDP answer untagged frames on nif's device? Not when that device
 * also carries VLAN networks and a tag may have been stripped before
 * XDP ran (kernel/vlan_offload.h): a VLAN's request would look untagged
 * and be answered as the untagged network's. The daemon, which sees the
 * tag, answers them then.
 */
static bool untagged_in_xdp(const struct netif *all, size_t n,
			    const struct netif *nif)
{
	if (nif->vlan)
		return true;
	for (size_t i = 0; i < n; i++)
		if (all[i].ifindex && all[i].vlan &&
		    all[i].lower_ifindex == nif->lower_ifindex)
			return vlan_offload_tags_seen(nif);
	return true;
}

static int sync_networks(const struct dx_bpf *obj, const struct dx_config *cfg,
			 const struct map_slots *slots,
			 struct map_sync_report *rep, char *err, size_t errlen)
{
	struct net_set set = {.n = 0};
	struct netif nif[64];
	size_t n = cfg->n_interfaces < 64 ? cfg->n_interfaces : 64;
	int ret;

	for (size_t i = 0; i < n; i++) {
		const char *name = cfg->interfaces[i].name;

		ret = netif_lookup(name, config_interface_addr(cfg, name),
				   &nif[i]);
		/* Gone, or without its address for now: no network until
		 * it is back (the daemon watches for that, and says so). */
		if (ret == -ENODEV || ret == -EADDRNOTAVAIL) {
			rep->networks_absent++;
			nif[i].ifindex = 0;
			continue;
		}
		if (ret)
			return errmsg(err, errlen, ret, "interface %s: %s",
				      name, netif_strerror(ret));
	}
	for (size_t i = 0; i < n; i++) {
		const char *name = cfg->interfaces[i].name;
		struct dx_network_key k = {0};
		struct dx_network net = {0};
		uint32_t id;

		if (!nif[i].ifindex)
			continue;
		if (!untagged_in_xdp(nif, n, &nif[i])) {
			rep->networks_daemon_only++;
			continue;
		}
		k.ifindex = nif[i].lower_ifindex;
		k.vlan = nif[i].vlan;
		k.svlan = nif[i].svlan;
		memcpy(net.mac, nif[i].mac, 6);
		net.addr = htonl(nif[i].addr);
		id = config_interface_subnet(cfg, name, nif[i].addr);
		net.subnet_slot =
			id ? map_slot_of(slots, id) : DX_SUBNET_SLOT_NONE;
		ret = write_network(obj, &k, &net);
		if (ret)
			return errmsg(err, errlen, ret,
				      "writing network %s: %s", name,
				      strerror(-ret));
		set.key[set.n++] = k;
		rep->networks++;
	}
	ret = prune_ifaces(obj, &set);
	if (ret)
		return errmsg(err, errlen, ret, "clearing unused networks: %s",
			      strerror(-ret));
	/* The hash keeps only what write_network put there. */
	return map_prune(obj->networks_fd, sizeof(struct dx_network_key),
			 sizeof(struct dx_network), keep_network, &set, NULL);
}

static bool keep_relay(const void *key, const void *val, const void *arg)
{
	const struct dx_relay_key *k = key;
	const struct dx_config *cfg = arg;

	for (size_t i = 0; i < cfg->n_subnets; i++) {
		const struct dx_subnet_conf *sc = &cfg->subnets[i];

		if (k->prefixlen == sc->prefix_len &&
		    ntohl(k->addr) == sc->network)
			return true;
		for (size_t j = 0; j < sc->n_relay; j++)
			if (k->prefixlen == 32 &&
			    ntohl(k->addr) == sc->relay_addrs[j])
				return true;
	}
	return false;
}

/*
 * Relayed traffic (docs/design.md §1): a relay listed in relay.ip-addresses
 * selects its subnet exactly (/32); otherwise the subnet whose prefix
 * holds giaddr, as Kea does.
 */
static int sync_relays(const struct dx_bpf *obj, const struct dx_config *cfg,
		       const struct map_slots *slots,
		       struct map_sync_report *rep, char *err, size_t errlen)
{
	for (size_t i = 0; i < cfg->n_subnets; i++) {
		const struct dx_subnet_conf *sc = &cfg->subnets[i];
		uint32_t slot = map_slot_of(slots, sc->id);
		struct dx_relay_key k = {.prefixlen = sc->prefix_len,
					 .addr = htonl(sc->network)};

		if (bpf_map_update_elem(obj->relays_fd, &k, &slot, BPF_ANY))
			return errmsg(err, errlen, -errno,
				      "writing relay prefix of subnet %u: %s",
				      sc->id, strerror(errno));
		rep->relays++;
		for (size_t j = 0; j < sc->n_relay; j++) {
			k.prefixlen = 32;
			k.addr = htonl(sc->relay_addrs[j]);
			if (bpf_map_update_elem(obj->relays_fd, &k, &slot,
						BPF_ANY))
				return errmsg(err, errlen, -errno,
					      "writing relay of subnet %u: %s",
					      sc->id, strerror(errno));
			rep->relays++;
		}
	}
	return map_prune(obj->relays_fd, sizeof(struct dx_relay_key),
			 sizeof(uint32_t), keep_relay, cfg, NULL);
}

static int sync_reservations(const struct dx_bpf *obj,
			     const struct dx_config *cfg,
			     const struct engine *e,
			     struct map_sync_report *rep, char *err,
			     size_t errlen)
{
	for (size_t i = 0; i < cfg->n_subnets; i++) {
		const struct dx_subnet_conf *sc = &cfg->subnets[i];

		for (size_t j = 0; j < sc->n_reservations; j++) {
			const struct dx_reservation_conf *r =
				&sc->reservations[j];
			struct dx_lease_key k = {.subnet_id = sc->id};
			struct dx_lease l = {.addr = htonl(r->addr),
					     .flags = DX_LEASE_F_RESERVED};

			if (!map_reservation_in_xdp(sc, r)) {
				/* sync_circuits() counts those by circuit id */
				if (!r->circuit_id)
					rep->reservations_slow++;
				continue;
			}
			memcpy(k.mac, r->hw, 6);
			if (map_reservation_held(e, sc->id, r)) {
				rep->reservations_held++;
				/* An entry from an earlier run goes too. */
				(void)map_addrs_forget_key(obj, &k);
				(void)bpf_map_delete_elem(obj->leases_fd, &k);
				continue;
			}
			/* A lease the client had is no longer renewed. */
			(void)map_addrs_forget_key(obj, &k);
			if (bpf_map_update_elem(obj->leases_fd, &k, &l,
						BPF_ANY))
				return errmsg(
					err, errlen, -errno,
					"writing reservation %s of subnet "
					"%u: %s",
					inet_ntoa((struct in_addr){
						htonl(r->addr)}),
					sc->id, strerror(errno));
			rep->reservations++;
		}
	}
	return 0;
}

/* The subnets whose circuit ids XDP looks up, by configuration index. */
struct circuit_subnets {
	const struct dx_config *cfg;
	bool *mapped;
};

/* An entry of a reservation by circuit id the configuration still has,
 * in a subnet whose circuit ids XDP looks up. */
static bool keep_circuit(const void *key, const void *val, const void *arg)
{
	const struct dx_circuit_key *k = key;
	const struct circuit_subnets *cs = arg;
	const struct dx_subnet_conf *sc =
		config_subnet_by_id(cs->cfg, k->subnet_id);

	(void)val;
	if (!sc || !cs->mapped[sc - cs->cfg->subnets])
		return false;
	for (size_t j = 0; j < sc->n_reservations; j++) {
		const struct dx_reservation_conf *r = &sc->reservations[j];

		if (r->circuit_id && r->circuit_id_len == k->len &&
		    !memcmp(r->circuit_id, k->id, k->len))
			return true;
	}
	return false;
}

/* dx_circuits: the reservations by circuit id of every subnet whose
 * circuit ids XDP looks up (map_circuit_flags()), nothing else. */
static int sync_circuits(const struct dx_bpf *obj, const struct dx_config *cfg,
			 const struct engine *e, struct map_sync_report *rep,
			 char *err, size_t errlen)
{
	struct circuit_subnets cs = {.cfg = cfg};
	struct dx_circuit_key k;
	struct dx_lease l;
	int ret = 0;

	cs.mapped = calloc(cfg->n_subnets + 1, sizeof(*cs.mapped));
	if (!cs.mapped)
		return errmsg(err, errlen, -ENOMEM, "out of memory");
	for (size_t i = 0; i < cfg->n_subnets; i++)
		cs.mapped[i] = map_circuit_flags(cfg, e, &cfg->subnets[i]) &
			       DX_SUBNET_F_CIRCUIT_MAP;
	ret = map_prune(obj->circuits_fd, sizeof(k), sizeof(l), keep_circuit,
			&cs, NULL);
	if (ret) {
		errmsg(err, errlen, ret, "pruning the circuit map: %s",
		       strerror(-ret));
		goto out;
	}
	for (size_t i = 0; i < cfg->n_subnets && !ret; i++) {
		const struct dx_subnet_conf *sc = &cfg->subnets[i];

		for (size_t j = 0; j < sc->n_reservations; j++) {
			const struct dx_reservation_conf *r =
				&sc->reservations[j];

			if (!r->circuit_id)
				continue;
			if (!cs.mapped[i] ||
			    map_circuit_entry(e, sc, r, &k, &l)) {
				rep->reservations_slow++;
				continue;
			}
			if (bpf_map_update_elem(obj->circuits_fd, &k, &l,
						BPF_ANY)) {
				ret = errmsg(err, errlen, -errno,
					     "writing a circuit-id reservation "
					     "of subnet %u: %s",
					     sc->id, strerror(errno));
				break;
			}
			if (l.flags)
				rep->reservations_circuit++;
			else
				rep->reservations_slow++;
		}
	}
out:
	free(cs.mapped);
	return ret;
}

int map_sync_config(const struct dx_bpf *obj, const struct dx_config *cfg,
		    const struct engine *e, struct map_slots *slots,
		    struct map_sync_report *rep, char *err, size_t errlen)
{
	int ret;

	if (!obj || !cfg || !e || !slots || !rep)
		return -EINVAL;
	memset(rep, 0, sizeof(*rep));
	ret = sync_subnets(obj, cfg, e, slots, rep, err, errlen);
	if (!ret)
		ret = sync_relays(obj, cfg, slots, rep, err, errlen);
	if (!ret)
		ret = sync_networks(obj, cfg, slots, rep, err, errlen);
	if (!ret)
		ret = sync_reservations(obj, cfg, e, rep, err, errlen);
	if (!ret)
		ret = sync_circuits(obj, cfg, e, rep, err, errlen);
	if (!ret && (ret = map_limits_sync(obj, cfg)))
		errmsg(err, errlen, ret, "cannot write the rate limits: %s",
		       strerror(-ret));
	return ret;
}

static bool has_fast_reservation(const struct dx_config *cfg, uint32_t id,
				 const uint8_t mac[6], uint32_t addr)
{
	const struct dx_subnet_conf *sc = config_subnet_by_id(cfg, id);

	for (size_t j = 0; sc && j < sc->n_reservations; j++) {
		const struct dx_reservation_conf *r = &sc->reservations[j];

		if (map_reservation_in_xdp(sc, r) && !memcmp(r->hw, mac, 6) &&
		    r->addr == addr)
			return true;
	}
	return false;
}

int map_sync_drop_reservations(const struct dx_bpf *obj,
			       const struct dx_config *old_cfg,
			       const struct dx_config *new_cfg)
{
	int ret = 0;

	for (size_t i = 0; i < old_cfg->n_subnets; i++) {
		const struct dx_subnet_conf *sc = &old_cfg->subnets[i];

		for (size_t j = 0; j < sc->n_reservations; j++) {
			const struct dx_reservation_conf *r =
				&sc->reservations[j];
			struct dx_lease_key k = {.subnet_id = sc->id};
			struct dx_lease l;

			if (!map_reservation_in_xdp(sc, r) ||
			    has_fast_reservation(new_cfg, sc->id, r->hw,
						 r->addr))
				continue;
			memcpy(k.mac, r->hw, 6);
			/* Only if the entry is still that reservation. */
			if (bpf_map_lookup_elem(obj->leases_fd, &k, &l) ||
			    !(l.flags & DX_LEASE_F_RESERVED))
				continue;
			if (bpf_map_delete_elem(obj->leases_fd, &k) && !ret)
				ret = -errno;
		}
	}
	return ret;
}

uint64_t map_horizon_boot_ns(int64_t horizon_wall, int64_t now_wall,
			     uint64_t now_boot_ns)
{
	if (horizon_wall <= now_wall)
		return now_boot_ns;
	return now_boot_ns + (uint64_t)(horizon_wall - now_wall) * NSEC_PER_SEC;
}

static void lease_entry(const struct engine_map_op *op, int64_t now_wall,
			uint64_t now_boot_ns, struct dx_lease_key *k,
			struct dx_lease *l)
{
	memset(k, 0, sizeof(*k));
	memset(l, 0, sizeof(*l));
	k->subnet_id = op->subnet_id;
	memcpy(k->mac, op->mac, 6);
	l->addr = htonl(op->addr);
	l->flags = op->flags;
	l->client_id_hash = op->client_id_hash;
	if (!(op->flags & DX_LEASE_F_DYNAMIC))
		return;
	l->horizon_ns = map_horizon_boot_ns(op->horizon, now_wall, now_boot_ns);
	l->expires_ns = map_horizon_boot_ns(op->expires, now_wall, now_boot_ns);
	/*
	 * docs/design.md §2, a lost write: an update replaces the element,
	 * and a renewal XDP answers meanwhile from the old one writes its
	 * expiry there, where nobody reads it again. The daemon reclaims by
	 * the entry's expiry, so the entry written must not end before such
	 * a renewal: one that read the old entry read the clock before this
	 * write lands, at most ENGINE_MAP_GRACE past now_boot_ns (read before
	 * the write), and granted one lease time from there.
	 */
	if (op->renew_bound) {
		uint64_t bound = now_boot_ns + ((uint64_t)op->renew_bound +
						ENGINE_MAP_GRACE) *
						       NSEC_PER_SEC;

		if (l->expires_ns < bound)
			l->expires_ns = bound;
	}
}

int64_t map_boot_to_wall(uint64_t t_ns, int64_t now_wall, uint64_t now_boot_ns)
{
	return now_wall + (int64_t)(t_ns - now_boot_ns) / (int64_t)NSEC_PER_SEC;
}

int map_apply_lease_ops(const struct dx_bpf *obj,
			const struct engine_map_op *ops, size_t n,
			int64_t now_wall, uint64_t now_boot_ns)
{
	int ret = 0, r;

	for (size_t i = 0; i < n; i++) {
		const struct engine_map_op *op = &ops[i];
		struct dx_lease_key k = {.subnet_id = op->subnet_id};
		struct dx_lease l = {0};

		memcpy(k.mac, op->mac, 6);
		if (op->kind == ENGINE_MAP_UPSERT) {
			lease_entry(op, now_wall, now_boot_ns, &k, &l);
			r = bpf_map_update_elem(obj->leases_fd, &k, &l, BPF_ANY)
				    ? -errno
				    : 0;
			/* A full hash map answers E2BIG. */
			if (r == -E2BIG)
				r = -ENOSPC;
			/* By address too, once dx_leases holds it. */
			if (!r)
				r = map_addrs_put(obj, &k, &l);
		} else if (op->kind == ENGINE_MAP_DELETE) {
			/* The entry by address first, whatever dx_leases
			 * holds for the client now: the lease is over. */
			r = map_addrs_forget(obj, op->subnet_id, op->mac,
					     op->addr);
			/* Only if the entry still holds this lease: a
			 * reservation's entry (not dynamic) for the same
			 * address is never the engine's to delete. */
			if (!r &&
			    !bpf_map_lookup_elem(obj->leases_fd, &k, &l) &&
			    ntohl(l.addr) == op->addr &&
			    (l.flags & DX_LEASE_F_DYNAMIC) &&
			    bpf_map_delete_elem(obj->leases_fd, &k))
				r = errno == ENOENT ? 0 : -errno;
		} else {
			r = -EINVAL;
		}
		if (r && !ret)
			ret = r;
	}
	return ret;
}

#define LOAD_BATCH 4096

int map_load_leases(const struct dx_bpf *obj, const struct engine_map_op *ops,
		    size_t n, int64_t now_wall, uint64_t now_boot_ns)
{
	static struct dx_lease_key keys[LOAD_BATCH];
	static struct dx_lease vals[LOAD_BATCH];
	LIBBPF_OPTS(bpf_map_batch_opts, bo);
	size_t i = 0;
	int ret = 0, r;

	while (i < n) {
		uint32_t cnt = 0;
		size_t start = i;

		while (i < n && cnt < LOAD_BATCH &&
		       ops[i].kind == ENGINE_MAP_UPSERT) {
			lease_entry(&ops[i], now_wall, now_boot_ns, &keys[cnt],
				    &vals[cnt]);
			cnt++;
			i++;
		}
		if (cnt) {
			uint32_t done = cnt;

			if (bpf_map_update_batch(obj->leases_fd, keys, vals,
						 &done, &bo)) {
				/* Older kernels, or a full map: one by one
				 * says which. */
				r = map_apply_lease_ops(obj, ops + start, cnt,
							now_wall, now_boot_ns);
			} else {
				r = map_addrs_put_many(obj, keys, vals, cnt);
			}
			if (r && !ret)
				ret = r;
			continue;
		}
		r = map_apply_lease_ops(obj, ops + i, 1, now_wall, now_boot_ns);
		if (r && !ret)
			ret = r;
		i++;
	}
	return ret;
}
