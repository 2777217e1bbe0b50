// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Kea's status-get and shutdown (docs/control.md). dhcpxdp's own, fuller
 * report is `status` (control_status.c).
 */
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <json-c/json.h>
#include "daemon/control_cmds.h"
#include "daemon/control_json.h"
#include "daemon/daemon_state.h"
#include "daemon/ha_watch.h"
#include "kernel/netif.h"
#include "util/log.h"

/* Kea's "sockets": ready, or failed with one error per interface down. */
static struct json_object *sockets(const struct daemon *d)
{
	struct json_object *o = json_object_new_object(), *errs;
	char msg[128];

	errs = json_object_new_array();
	for (size_t i = 0; i < d->n_ifs; i++) {
		if (d->ifs[i].up)
			continue;
		snprintf(msg, sizeof(msg), "%s: %s", d->ifs[i].nif.name,
			 netif_strerror(d->ifs[i].down_err));
		json_object_array_add(errs, json_object_new_string(msg));
	}
	if (!json_object_array_length(errs)) {
		json_object_put(errs);
		json_object_object_add(o, "status",
				       json_object_new_string("ready"));
		return o;
	}
	/* The daemon serves an interface again once it is back. */
	json_object_object_add(o, "status", json_object_new_string("retrying"));
	json_object_object_add(o, "errors", errs);
	return o;
}

struct json_object *cmd_status_get_h(struct daemon *d, struct json_object *args)
{
	struct json_object *o = json_object_new_object(), *ha;
	time_t now = time(NULL);

	(void)args;
	control_config_seen(d);
	ctl_add_u64(o, "pid", (uint64_t)getpid());
	ctl_add_u64(o, "uptime", (uint64_t)(now - d->started));
	ctl_add_u64(o, "reload", (uint64_t)(now - d->ctl->loaded_at));
	/* One thread answers; XDP answers on every CPU, outside Kea's model. */
	json_object_object_add(o, "multi-threading-enabled",
			       json_object_new_boolean(0));
	json_object_object_add(o, "sockets", sockets(d));
	/* Kea's HA hook adds its relationship's state here. */
	ha = ha_watch_status(d);
	if (ha)
		json_object_object_add(o, "high-availability", ha);
	return control_response(CONTROL_SUCCESS, "", o);
}

struct json_object *cmd_shutdown_h(struct daemon *d, struct json_object *args)
{
	(void)args;
	/* The loop ends after this round, as on SIGTERM: the answer is
	 * sent first, and the stop path is the signal's. */
	log_info("control: shutdown asked; stopping; XDP stays attached and "
		 "keeps answering renewals");
	d->stop = true;
	return ctl_reply(CONTROL_SUCCESS, "Shutting down.");
}
