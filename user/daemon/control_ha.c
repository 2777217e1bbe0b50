// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Kea's commands of a high-availability pair (libdhcp_ha.so's:
 * docs/control.md): ha-heartbeat, ha-scopes, ha-maintenance-start,
 * ha-maintenance-cancel, ha-continue. The pair's state is ha_watch.c's;
 * its servers talk through the lease database, not through these
 * commands, so ha-maintenance-notify, ha-sync and ha-reset, which carry
 * Kea's server-to-server exchanges, are not among them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <json-c/json.h>
#include "daemon/control_cmds.h"
#include "daemon/control_json.h"
#include "daemon/daemon_state.h"
#include "daemon/ha_watch.h"
#include "engine/engine.h"
#include "util/log.h"

static struct json_object *no_pair(void)
{
	return ctl_reply(CONTROL_UNSUPPORTED,
			 "high availability is not configured (no "
			 "libdhcp_ha.so entry in hooks-libraries)");
}

/* Kea's date-time: the HTTP date of RFC 7231 §7.1.1.1, in GMT. */
static struct json_object *http_date(void)
{
	char buf[64];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(buf, sizeof(buf), "%a, %d %b %Y %H:%M:%S GMT", &tm);
	return json_object_new_string(buf);
}

struct json_object *cmd_ha_heartbeat_h(struct daemon *d,
				       struct json_object *args)
{
	const char *state = ha_watch_state(d);
	struct json_object *o;

	(void)args;
	if (!state)
		return no_pair();
	o = json_object_new_object();
	json_object_object_add(o, "state", json_object_new_string(state));
	json_object_object_add(o, "date-time", http_date());
	json_object_object_add(o, "scopes", ha_watch_scopes(d));
	/* No lease updates to hold back: the database is shared. */
	json_object_object_add(o, "unsent-update-count",
			       json_object_new_int64(0));
	return control_response(CONTROL_SUCCESS, "HA peer status returned.", o);
}

/* A scope's name: a peer's name, or Kea's class name HA_<name>. */
static int scope_index(const struct dx_ha_conf *ha, const char *name)
{
	if (!strncmp(name, "HA_", 3) && strlen(name) > 3)
		name += 3;
	for (size_t i = 0; i < ha->n_peers; i++)
		if (!strcmp(ha->peers[i].name, name))
			return (int)i;
	return -1;
}

struct json_object *cmd_ha_scopes_h(struct daemon *d, struct json_object *args)
{
	const struct dx_ha_conf *ha = &d->cfg->ha;
	struct json_object *list, *v;
	uint32_t mask = 0;
	const char *name;
	int i;

	if (!ha_watch_state(d))
		return no_pair();
	if (!args || !json_object_object_get_ex(args, "scopes", &list) ||
	    !json_object_is_type(list, json_type_array))
		return ctl_reply(CONTROL_ERROR,
				 "'scopes' is mandatory: a list of scope "
				 "names (the peers' names)");
	for (size_t k = 0; k < json_object_array_length(list); k++) {
		v = json_object_array_get_idx(list, k);
		if (!json_object_is_type(v, json_type_string))
			return ctl_reply(CONTROL_ERROR,
					 "'scopes' holds strings only");
		name = json_object_get_string(v);
		i = scope_index(ha, name);
		if (i < 0 || i >= 32)
			return ctl_reply(CONTROL_ERROR,
					 "invalid scope name '%s': not a "
					 "peer of the relationship",
					 name);
		mask |= 1u << i;
	}
	engine_ha_force_scopes(d->eng, mask);
	log_id(LOG_LVL_INFO, "HA_SCOPES_SET",
	       "high availability: scopes set by ha-scopes: %s",
	       json_object_to_json_string_ext(list, JSON_C_TO_STRING_PLAIN));
	return ctl_reply(CONTROL_SUCCESS, "New HA scopes configured.");
}

struct json_object *cmd_ha_maint_start_h(struct daemon *d,
					 struct json_object *args)
{
	int ret;

	(void)args;
	ret = ha_watch_maintenance(d, true);
	switch (ret) {
	case 0:
		return ctl_reply(
			CONTROL_SUCCESS,
			"Server is now in the partner-in-maintenance state "
			"and its partner stands aside at its next heartbeat "
			"(within heartbeat-delay); the partner can then be "
			"safely shut down.");
	case -EHOSTDOWN:
		return ctl_reply(CONTROL_SUCCESS,
				 "Server is now in the partner-down state as "
				 "its partner appears to be offline for "
				 "maintenance.");
	case -EBUSY:
		return ctl_reply(CONTROL_ERROR,
				 "Unable to transition to the "
				 "partner-in-maintenance state: this server "
				 "is in the in-maintenance state.");
	default:
		return no_pair();
	}
}

struct json_object *cmd_ha_maint_cancel_h(struct daemon *d,
					  struct json_object *args)
{
	int ret;

	(void)args;
	ret = ha_watch_maintenance(d, false);
	if (ret == -ENOTSUP)
		return no_pair();
	if (ret)
		return ctl_reply(CONTROL_ERROR,
				 "Unable to cancel the maintenance: the "
				 "server is not in the partner-in-maintenance "
				 "state.");
	return ctl_reply(CONTROL_SUCCESS,
			 "Server maintenance successfully canceled.");
}

struct json_object *cmd_ha_continue_h(struct daemon *d,
				      struct json_object *args)
{
	(void)args;
	if (!ha_watch_state(d))
		return no_pair();
	/* dhcpxdp's pair has no state-machine pausing to resume. */
	return ctl_reply(CONTROL_SUCCESS, "HA state machine is not paused.");
}
