// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Lease timers, Kea's way: valid-lifetime, renew-timer (T1) and
 * rebind-timer (T2) at the global level and per subnet, a subnet's
 * unset ones inherited, the rest derived as RFC 2131 §4.4.5 says.
 */
#include <stdio.h>

#include "config/config.h"
#include "config/config_internal.h"

static const char *const timer_key[] = {"valid-lifetime", "renew-timer",
					"rebind-timer"};

int timers_parse(struct config_ctx *c, struct json_object *obj,
		 const char *path, struct timers *t)
{
	int r;

	snprintf(t->path, sizeof(t->path), "%s", path);
	/*
	 * 0xffffffff means "infinite" (RFC 2131 §3.3), which the durable
	 * horizon cannot cover; a lease under 10 s leaves no room for T1/T2.
	 */
	for (int i = 0; i < 3; i++)
		if ((r = jpath_u32(c, obj, path, timer_key[i], i ? 1 : 10,
				   UINT32_MAX - 1, &t->v[i])) < 0)
			return r;
	return 0;
}

/*
 * The key to blame when timers conflict: among @a, @b and, if a default
 * was derived from it, valid-lifetime (@c >= 0), the one set at the most
 * specific level.
 */
static const char *blame(char *buf, const struct timers *t,
			 const struct timers *parent, int a, int b, int c)
{
	const struct timers *levels[2] = {t, parent};
	int keys[3] = {a, b, c};

	for (int l = 0; l < 2; l++)
		for (int k = 0; k < 3 && levels[l]; k++)
			if (keys[k] >= 0 && levels[l]->v[keys[k]])
				return jpath_join(buf, levels[l]->path,
						  timer_key[keys[k]]);
	return t->path;
}

/*
 * Anything unset is inherited; still unset, valid-lifetime defaults to
 * 7200 (Kea), T1 to 1/2 and T2 to 7/8 of it (RFC 2131 §4.4.5). Requires
 * renew < rebind < valid.
 */
int timers_resolve(struct config_ctx *c, const struct timers *t,
		   const struct timers *parent, uint32_t *valid,
		   uint32_t *renew, uint32_t *rebind)
{
	uint32_t v[3];
	bool derived[3] = {false, false, false};
	char p[CONFIG_PATH_LEN];

	for (int i = 0; i < 3; i++) {
		v[i] = t->v[i];
		if (!v[i] && parent)
			v[i] = parent->v[i];
	}
	if (!v[T_VALID])
		v[T_VALID] = CONFIG_DEFAULT_VALID_LIFETIME;
	if (!v[T_RENEW])
		v[T_RENEW] = v[T_VALID] / 2, derived[T_RENEW] = true;
	if (!v[T_REBIND])
		v[T_REBIND] = (uint64_t)v[T_VALID] * 7 / 8,
		derived[T_REBIND] = true;
	if (v[T_RENEW] >= v[T_REBIND])
		return jpath_fail(
			c,
			blame(p, t, parent, T_RENEW, T_REBIND,
			      derived[T_RENEW] || derived[T_REBIND] ? T_VALID
								    : -1),
			"renew-timer (%u%s) must be less than rebind-timer "
			"(%u%s)",
			v[T_RENEW],
			derived[T_RENEW] ? ", default 1/2 of valid-lifetime"
					 : "",
			v[T_REBIND],
			derived[T_REBIND] ? ", default 7/8 of valid-lifetime"
					  : "");
	if (v[T_REBIND] >= v[T_VALID])
		return jpath_fail(c, blame(p, t, parent, T_REBIND, T_VALID, -1),
				  "rebind-timer (%u) must be less than "
				  "valid-lifetime (%u)",
				  v[T_REBIND], v[T_VALID]);
	*valid = v[T_VALID];
	*renew = v[T_RENEW];
	*rebind = v[T_REBIND];
	return 0;
}
