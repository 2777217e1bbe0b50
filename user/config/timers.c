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

static const char *const pct_key[] = {"t1-percent", "t2-percent"};

/* Kea's t1-percent / t2-percent: a real number strictly between 0 and 1. */
static int parse_percent(struct config_ctx *c, struct json_object *obj,
			 const char *path, int i, double *out)
{
	struct json_object *v;
	char p[CONFIG_PATH_LEN];
	enum json_type t;
	double d;

	if (!obj || !json_object_object_get_ex(obj, pct_key[i], &v))
		return 0;
	jpath_join(p, path, pct_key[i]);
	t = json_object_get_type(v);
	if (t != json_type_double && t != json_type_int)
		return jpath_fail(c, p, "expected a number, got %s",
				  jpath_type_desc(v));
	d = json_object_get_double(v);
	if (!(d > 0.0 && d < 1.0))
		return jpath_fail(
			c, p, "%g must be greater than 0 and less than 1", d);
	*out = d;
	return 0;
}

/*
 * Kea 3.1's adaptive-lease-time-threshold: above this pool occupancy new
 * clients get min-valid-lifetime instead (dhcp4-srv.rst). 1.0 is Kea's
 * "disabled"; any other value would shorten leases, which dhcpxdp does
 * not do, so it is refused.
 */
static int parse_adaptive(struct config_ctx *c, struct json_object *obj,
			  const char *path)
{
	struct json_object *v;
	char p[CONFIG_PATH_LEN];
	enum json_type t;

	if (!obj || !json_object_object_get_ex(
			    obj, "adaptive-lease-time-threshold", &v))
		return 0;
	jpath_join(p, path, "adaptive-lease-time-threshold");
	t = json_object_get_type(v);
	if (t != json_type_double && t != json_type_int)
		return jpath_fail(c, p, "expected a number, got %s",
				  jpath_type_desc(v));
	if (json_object_get_double(v) != 1.0)
		return jpath_fail(c, p,
				  "adaptive lease times are not implemented: "
				  "remove it or set it to 1.0 (disabled)");
	return 0;
}

int timers_parse(struct config_ctx *c, struct json_object *obj,
		 const char *path, struct timers *t)
{
	bool calc;
	int r;

	snprintf(t->path, sizeof(t->path), "%s", path);
	/*
	 * 0xffffffff means "infinite" (RFC 2131 §3.3), which the durable
	 * horizon cannot cover. 3 s is the least lease that leaves whole
	 * seconds for T1 < T2 < lease (1, 2, 3); the lease map's grace
	 * (ENGINE_MAP_GRACE) runs after the lease, so it needs no room.
	 */
	for (int i = 0; i < 3; i++)
		if ((r = jpath_u32(c, obj, path, timer_key[i], i ? 1 : 3,
				   UINT32_MAX - 1, &t->v[i])) < 0)
			return r;
	t->calc = -1;
	if ((r = jpath_bool(c, obj, path, "calculate-tee-times", &calc)) < 0)
		return r;
	if (r > 0)
		t->calc = calc;
	for (int i = 0; i < 2; i++)
		if ((r = parse_percent(c, obj, path, i, &t->pct[i])))
			return r;
	return parse_adaptive(c, obj, path);
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
 * 7200 (Kea). An unset T1 or T2 is then derived: with Kea's
 * calculate-tee-times (default false for DHCPv4) as round(percent x
 * valid-lifetime), t1-percent 0.5 and t2-percent 0.875 by default, as
 * Kea's Dhcpv4Srv::setTeeTimes does; an explicit timer wins over the
 * percentage, as Kea's ARM says. Without it, 1/2 and 7/8 (RFC 2131
 * §4.4.5; Kea would send no T1/T2, leaving clients to the same 1/2 and
 * 7/8). Requires t1-percent < t2-percent and renew < rebind < valid.
 */
int timers_resolve(struct config_ctx *c, const struct timers *t,
		   const struct timers *parent, uint32_t *valid,
		   uint32_t *renew, uint32_t *rebind)
{
	uint32_t v[3];
	bool derived[3] = {false, false, false};
	double pct[2] = {0.5, 0.875};
	int calc = t->calc;
	char p[CONFIG_PATH_LEN];
	static const char *const how[2][2] = {
		{", default 1/2 of valid-lifetime",
		 ", default 7/8 of valid-lifetime"},
		{", t1-percent of valid-lifetime",
		 ", t2-percent of valid-lifetime"}};

	for (int i = 0; i < 3; i++) {
		v[i] = t->v[i];
		if (!v[i] && parent)
			v[i] = parent->v[i];
	}
	if (calc < 0 && parent)
		calc = parent->calc;
	for (int i = 0; i < 2; i++)
		if (t->pct[i])
			pct[i] = t->pct[i];
		else if (parent && parent->pct[i])
			pct[i] = parent->pct[i];
	if (pct[0] >= pct[1])
		return jpath_fail(
			c, t->pct[0] || t->pct[1] ? t->path : parent->path,
			"t1-percent (%g) must be less than "
			"t2-percent (%g)",
			pct[0], pct[1]);
	if (!v[T_VALID])
		v[T_VALID] = CONFIG_DEFAULT_VALID_LIFETIME;
	/* Without calculate-tee-times the RFC's fractions, rounded down as
	 * ever (a 3 s lease: 1, 2, 3). */
	if (!v[T_RENEW])
		v[T_RENEW] = calc > 0 ? (uint32_t)(pct[0] * v[T_VALID] + 0.5)
				      : v[T_VALID] / 2,
		derived[T_RENEW] = true;
	if (!v[T_REBIND])
		v[T_REBIND] =
			calc > 0 ? (uint32_t)(pct[1] * v[T_VALID] + 0.5)
				 : (uint32_t)((uint64_t)v[T_VALID] * 7 / 8),
		derived[T_REBIND] = true;
	if (v[T_RENEW] >= v[T_REBIND])
		return jpath_fail(
			c,
			blame(p, t, parent, T_RENEW, T_REBIND,
			      derived[T_RENEW] || derived[T_REBIND] ? T_VALID
								    : -1),
			"renew-timer (%u%s) must be less than rebind-timer "
			"(%u%s)",
			v[T_RENEW], derived[T_RENEW] ? how[calc > 0][0] : "",
			v[T_REBIND], derived[T_REBIND] ? how[calc > 0][1] : "");
	if (v[T_REBIND] >= v[T_VALID])
		return jpath_fail(c,
				  blame(p, t, parent, T_REBIND, T_VALID,
					derived[T_REBIND] ? T_VALID : -1),
				  "rebind-timer (%u%s) must be less than "
				  "valid-lifetime (%u)",
				  v[T_REBIND],
				  derived[T_REBIND] ? how[calc > 0][1] : "",
				  v[T_VALID]);
	*valid = v[T_VALID];
	*renew = v[T_RENEW];
	*rebind = v[T_REBIND];
	return 0;
}

void timers_inherit(struct timers *t, const struct timers *parent)
{
	for (int i = 0; i < 3; i++)
		if (!t->v[i])
			t->v[i] = parent->v[i];
	if (t->calc < 0)
		t->calc = parent->calc;
	for (int i = 0; i < 2; i++)
		if (!t->pct[i])
			t->pct[i] = parent->pct[i];
}
