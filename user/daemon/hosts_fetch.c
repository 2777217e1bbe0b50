// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Reading the host databases at start and on reload (hosts_fetch.h). A
 * database that cannot be read, under Kea's on-fail:
 *   stop-retry-exit, serve-retry-exit  the start fails (the daemon exits
 *                   non-zero; systemd restarts it) or the reload is
 *                   refused, the previous configuration still served
 *   serve-retry-continue  served without that database's reservations
 * With retry-on-startup, a start first makes max-reconnect-tries further
 * attempts, reconnect-wait-time apart. A reload never waits: the daemon
 * is serving meanwhile.
 */
#include <errno.h>
#include <time.h>
#include <json-c/json.h>

#include "config/config.h"
#include "daemon/hosts_fetch.h"
#include "store/hosts_db.h"
#include "util/log.h"

static void wait_ms(uint32_t ms)
{
	struct timespec ts = {.tv_sec = ms / 1000,
			      .tv_nsec = (long)(ms % 1000) * 1000000};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static const char *on_fail_name(enum dx_db_on_fail f)
{
	return f == DX_DB_STOP_RETRY_EXIT    ? "stop-retry-exit"
	       : f == DX_DB_SERVE_RETRY_EXIT ? "serve-retry-exit"
					     : "serve-retry-continue";
}

/* One database into hosts, with the attempts retry-on-startup allows. */
static int read_one(const struct dx_hosts_db_conf *h, bool starting,
		    struct json_object *hosts)
{
	uint32_t tries = starting && h->db.retry_on_startup
				 ? h->db.max_reconnect_tries
				 : 0;
	char err[512];
	size_t n = 0;
	int ret;

	for (uint32_t i = 0;; i++) {
		ret = hosts_db_read(h, hosts, &n, err, sizeof(err));
		/* Only a connection is worth waiting for, not a schema. */
		if (ret != -ECONNREFUSED || i >= tries)
			break;
		log_warn("%s: %s; attempt %u of %u in %u ms", h->path, err,
			 i + 1, tries, h->db.reconnect_wait_time);
		wait_ms(h->db.reconnect_wait_time);
	}
	if (!ret) {
		log_info("%s: %zu IPv4 reservations read", h->path, n);
		return 0;
	}
	if (h->db.on_fail == DX_DB_SERVE_RETRY_CONTINUE) {
		log_err("%s: %s; on-fail is serve-retry-continue: serving "
			"without its reservations until a reload reads them",
			h->path, err);
		return 0;
	}
	log_err("%s: %s; on-fail is %s: %s", h->path, err,
		on_fail_name(h->db.on_fail),
		starting ? "not starting" : "reload refused");
	return -EIO;
}

int hosts_fetch(const struct dx_config *cfg, bool starting,
		struct json_object **hosts)
{
	int ret = 0;

	*hosts = NULL;
	if (!cfg->n_hosts_dbs)
		return 0;
	if (!(*hosts = json_object_new_array()))
		return -ENOMEM;
	for (size_t i = 0; !ret && i < cfg->n_hosts_dbs; i++)
		ret = read_one(&cfg->hosts_dbs[i], starting, *hosts);
	if (ret) {
		json_object_put(*hosts);
		*hosts = NULL;
	}
	return ret;
}
