// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Kea's statistic commands (docs/control.md): statistic-get-all,
 * statistic-get, statistic-reset, statistic-reset-all, over the daemon's
 * counters, the engine's and the XDP program's, named and summed by
 * control_kea_stats.c. dhcpxdp's own shape of the same counters is
 * dhcpxdp-statistic-get-all (control_status.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/types.h>
#include <json-c/json.h>
#include <dhcpxdp/stats.h>
#include "daemon/control_cmds.h"
#include "daemon/control_json.h"
#include "daemon/control_kea_stats.h"
#include "daemon/daemon_state.h"
#include "engine/engine.h"
#include "kernel/xdp_stats.h"

/* Every statistic as Kea would report it now (bases applied). */
static int gather(struct daemon *d, struct kea_stats *out, bool raw)
{
	struct kea_stats_input in = {.cnt = &d->cnt};
	uint64_t xdp[DX_STAT_MAX], drops[__ENGINE_DROP_MAX] = {0};
	struct engine_subnet_stats *subs;
	size_t n = engine_subnet_count(d->eng);
	int ret;

	subs = calloc(n ? n : 1, sizeof(*subs));
	if (!subs)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (!engine_subnet_stats(d->eng, i, &subs[in.n_subnets]))
			in.n_subnets++;
	for (int r = ENGINE_DROP_NONE + 1; r < __ENGINE_DROP_MAX; r++)
		drops[r] = engine_drops(d->eng, r);
	in.drops = drops;
	/* Without the stats map, XDP's share is left out, not zero. */
	in.xdp = xdp_stats_read(d->bpf.stats_fd, xdp) ? NULL : xdp;
	in.subnets = subs;
	ret = kea_stats_build(&in, out);
	free(subs);
	if (!ret && !raw)
		kea_stats_apply_bases(out, &d->ctl->stat_bases);
	return ret;
}

struct json_object *cmd_stat_all_h(struct daemon *d, struct json_object *args)
{
	struct json_object *o;
	struct kea_stats s;
	struct timespec now;

	(void)args;
	if (gather(d, &s, false))
		return ctl_reply(CONTROL_ERROR, "out of memory");
	clock_gettime(CLOCK_REALTIME, &now);
	o = json_object_new_object();
	for (size_t i = 0; i < s.n; i++)
		json_object_object_add(o, s.v[i].name,
				       kea_stat_samples(s.v[i].value, &now));
	kea_stats_free(&s);
	return control_response(CONTROL_SUCCESS, "", o);
}

struct json_object *cmd_stat_get_h(struct daemon *d, struct json_object *args)
{
	const char *name = ctl_arg_str(args, "name");
	const struct kea_stat *st;
	struct json_object *o;
	struct kea_stats s;
	struct timespec now;

	if (!name)
		return ctl_reply(CONTROL_ERROR, "Missing mandatory 'name' "
						"parameter.");
	if (gather(d, &s, false))
		return ctl_reply(CONTROL_ERROR, "out of memory");
	clock_gettime(CLOCK_REALTIME, &now);
	o = json_object_new_object();
	/* Kea: an unknown name is success with no statistic in it. */
	st = kea_stats_find(&s, name);
	if (st)
		json_object_object_add(o, st->name,
				       kea_stat_samples(st->value, &now));
	kea_stats_free(&s);
	return control_response(CONTROL_SUCCESS, "", o);
}

static struct json_object *reset(struct daemon *d, const char *name)
{
	struct kea_stats raw;
	int ret;

	if (gather(d, &raw, true))
		return ctl_reply(CONTROL_ERROR, "out of memory");
	ret = kea_stats_reset(&d->ctl->stat_bases, &raw, name);
	kea_stats_free(&raw);
	switch (ret) {
	case 0:
		return name ? ctl_reply(CONTROL_SUCCESS,
					"Statistic '%s' reset.", name)
			    : ctl_reply(CONTROL_SUCCESS,
					"All statistics reset to neutral "
					"values.");
	case -ENOENT:
		return ctl_reply(CONTROL_ERROR, "No '%s' statistic found",
				 name);
	case -EINVAL:
		return ctl_reply(CONTROL_ERROR,
				 "'%s' counts addresses now, not events: it "
				 "cannot be reset",
				 name);
	}
	return ctl_reply(CONTROL_ERROR, "out of memory");
}

struct json_object *cmd_stat_reset_h(struct daemon *d, struct json_object *args)
{
	const char *name = ctl_arg_str(args, "name");

	if (!name)
		return ctl_reply(CONTROL_ERROR, "Missing mandatory 'name' "
						"parameter.");
	return reset(d, name);
}

struct json_object *cmd_stat_reset_all_h(struct daemon *d,
					 struct json_object *args)
{
	(void)args;
	return reset(d, NULL);
}
