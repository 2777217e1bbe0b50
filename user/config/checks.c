// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Checks that need every subnet, run once all are read: one id per
 * subnet, no two prefixes overlapping, a relay address in one subnet
 * only, and every subnet reachable - by its relays or by the interface
 * it serves directly, one subnet per interface.
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
					  "%u is already used by subnet4[%zu]",
					  s->id, j);
		if ((s->network & config_prefix_mask(l)) ==
		    (o->network & config_prefix_mask(l)))
			return jpath_fail(
				c, jpath_join(p, sp, "subnet"),
				"%s/%u overlaps subnet4[%zu] (%s/%u)",
				fmt_ipv4(a, s->network), s->prefix_len, j,
				fmt_ipv4(b, o->network), o->prefix_len);
		for (size_t k = 0; k < s->n_relay; k++)
			for (size_t m = 0; m < o->n_relay; m++) {
				if (s->relay_addrs[k] != o->relay_addrs[m])
					continue;
				jpath_idx(
					p,
					jpath_join(q, sp, "relay.ip-addresses"),
					k);
				return jpath_fail(
					c, p,
					"%s is already a relay of "
					"subnet4[%zu]",
					fmt_ipv4(a, s->relay_addrs[k]), j);
			}
	}
	return 0;
}

/*
 * The interface that serves s directly: its own, else the only one of
 * interfaces-config when s has no relays; no two subnets on one.
 */
static int check_interface(struct config_ctx *c, const char *sp, size_t i)
{
	struct dx_config *cfg = c->cfg;
	struct dx_subnet_conf *s = &cfg->subnets[i];
	char p[CONFIG_PATH_LEN], a[FMT_IPV4_LEN];

	/* The only interface is the default for an unbound subnet. */
	if (!s->interface && !s->n_relay) {
		if (cfg->n_interfaces != 1)
			return jpath_fail(c, sp,
					  "subnet %s/%u is unreachable: set "
					  "\"interface\" or \"relay\" "
					  "(required unless "
					  "interfaces-config lists exactly "
					  "one interface)",
					  fmt_ipv4(a, s->network),
					  s->prefix_len);
		if (config_set_str(&s->interface, cfg->interfaces[0].name))
			return -ENOMEM;
	}
	for (size_t j = 0; s->interface && j < i; j++) {
		const struct dx_subnet_conf *o = &cfg->subnets[j];

		if (o->interface && !strcmp(o->interface, s->interface))
			return jpath_fail(c, jpath_join(p, sp, "interface"),
					  "interface '%s' already serves "
					  "subnet4[%zu] (id %u): one directly "
					  "attached subnet per interface",
					  s->interface, j, o->id);
	}
	return 0;
}

int checks_subnets(struct config_ctx *c)
{
	char sp[CONFIG_PATH_LEN];
	int r;

	for (size_t i = 0; i < c->cfg->n_subnets; i++) {
		jpath_idx(sp, "Dhcp4.subnet4", i);
		if ((r = check_against_earlier(c, sp, i)) ||
		    (r = check_interface(c, sp, i)))
			return r;
	}
	return 0;
}
