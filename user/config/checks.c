// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Checks that need every subnet, run once all are read: one id per
 * subnet, no two prefixes overlapping, a relay address in one subnet (or
 * one shared network) only, and every subnet reachable - by its relays
 * or by the interface it serves directly, one subnet or shared network
 * per named interface.
 */
#include "config/config.h"
#include "config/config_internal.h"
#include "util/fmt.h"

/* Whether s repeats the id, prefix or relays of an earlier subnet. */
static int check_against_earlier(struct config_ctx *c, const char *sp, size_t i)
{
	const struct dx_config *cfg = c->cfg;
	const struct dx_subnet_conf *s = &cfg->subnets[i];
	char p[CONFIG_PATH_LEN], q[CONFIG_PATH_LEN], a[FMT_IPV4_LEN],
		b[FMT_IPV4_LEN];

	for (size_t j = 0; j < i; j++) {
		const struct dx_subnet_conf *o = &cfg->subnets[j];
		uint8_t l = s->prefix_len < o->prefix_len ? s->prefix_len
							  : o->prefix_len;

		if (s->id == o->id)
			return jpath_fail(c, jpath_join(p, sp, "id"),
					  "%u is already used by %s", s->id,
					  o->path);
		if ((s->network & config_prefix_mask(l)) ==
		    (o->network & config_prefix_mask(l)))
			return jpath_fail(
				c, jpath_join(p, sp, "subnet"),
				"%s/%u overlaps %s (%s/%u)",
				fmt_ipv4(a, s->network), s->prefix_len, o->path,
				fmt_ipv4(b, o->network), o->prefix_len);
		/* A shared network's relays reach all its subnets. */
		for (size_t k = 0;
		     k < s->n_relay &&
		     !(s->shared_id && s->shared_id == o->shared_id);
		     k++)
			for (size_t m = 0; m < o->n_relay; m++) {
				if (s->relay_addrs[k] != o->relay_addrs[m])
					continue;
				jpath_idx(
					p,
					jpath_join(q, sp, "relay.ip-addresses"),
					k);
				return jpath_fail(
					c, p, "%s is already a relay of %s",
					fmt_ipv4(a, s->relay_addrs[k]),
					o->path);
			}
	}
	return 0;
}

/* shared_id of subnets of their own that name one interface. */
#define LINK_ID_IMPLICIT 0x80000000U

/* "subnet4[j] (id N)" or "shared network 'NAME'" for messages. */
static const char *holder(char *buf, size_t len, const struct dx_subnet_conf *o)
{
	if (o->shared_network)
		snprintf(buf, len, "shared network '%s'", o->shared_network);
	else
		snprintf(buf, len, "%s (id %u)", o->path, o->id);
	return buf;
}

/*
 * The interface that serves s directly: its own (or its shared
 * network's), else the only one of interfaces-config when s has no
 * relays. Subnets bound that way, implicitly, may be several: Kea then
 * serves directly the one holding the interface's address, which only
 * the daemon knows (config_interface_subnet). A named interface serves
 * one shared network, or subnets of their own, which then make one link
 * (below); not both. With "*" among the interfaces, s has none: each
 * interface serves the subnet holding its address. With no interface at
 * all, s is not served directly (a warning, as Kea starts so).
 */
static int check_interface(struct config_ctx *c, size_t i)
{
	struct dx_config *cfg = c->cfg;
	struct dx_subnet_conf *s = &cfg->subnets[i];
	char p[CONFIG_PATH_LEN], a[FMT_IPV4_LEN], h[CONFIG_PATH_LEN + 32];

	if (!s->interface && !s->n_relay) {
		/* "*": the interfaces are known at run time; each serves
		 * the subnet holding its address (Kea's selection). */
		if (cfg->interfaces_all) {
			s->interface_by_addr = true;
			return 0;
		}
		/* Kea accepts a server that listens nowhere. */
		if (cfg->n_interfaces == 0) {
			jpath_warn(c, s->path,
				   "subnet %s/%u is not served: "
				   "interfaces-config lists no interface and "
				   "the subnet names no relay",
				   fmt_ipv4(a, s->network), s->prefix_len);
			return 0;
		}
		if (cfg->n_interfaces != 1)
			return jpath_fail(c, s->path,
					  "subnet %s/%u is unreachable: set "
					  "\"interface\" or \"relay\" "
					  "(required unless "
					  "interfaces-config lists exactly "
					  "one interface)",
					  fmt_ipv4(a, s->network),
					  s->prefix_len);
		if (config_set_str(&s->interface, cfg->interfaces[0].name))
			return -ENOMEM;
		s->interface_implicit = true;
	}
	for (size_t j = 0; s->interface && !s->interface_implicit && j < i;
	     j++) {
		struct dx_subnet_conf *o = &cfg->subnets[j];

		if (!o->interface || o->interface_implicit ||
		    strcmp(o->interface, s->interface) ||
		    (s->shared_id && s->shared_id == o->shared_id))
			continue;
		/*
		 * Subnets of their own naming one interface: one link, the
		 * first the client's classes allow serving it (Kea's
		 * selection, as in its classify examples); dhcpxdp also
		 * moves on when that one is full, as in a shared network.
		 * Named by an id no shared network has.
		 */
		if (!s->shared_network && !o->shared_network) {
			if (!o->shared_id)
				o->shared_id = LINK_ID_IMPLICIT | (uint32_t)j;
			s->shared_id = o->shared_id;
			continue;
		}
		return jpath_fail(c, jpath_join(p, s->path, "interface"),
				  "interface '%s' already serves %s: put "
				  "subnets that share a link in one "
				  "shared network",
				  s->interface, holder(h, sizeof(h), o));
	}
	return 0;
}

int checks_subnets(struct config_ctx *c)
{
	int r;

	for (size_t i = 0; i < c->cfg->n_subnets; i++)
		if ((r = check_against_earlier(c, c->cfg->subnets[i].path,
					       i)) ||
		    (r = check_interface(c, i)))
			return r;
	return 0;
}
