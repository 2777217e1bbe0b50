// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A high-availability pair's heartbeat (ha_watch.h). The partner is down
 * when its last heartbeat in the database is older than
 * max-response-delay - by the database's clock - or when it never beat
 * since we have been beating for that long. Then the engine answers its
 * scope too; when its heartbeats come back, its scope is its own again.
 *
 * Why the database and not a channel between the peers: a server that
 * cannot reach the database grants nothing anyway (no durable row, no
 * ACK), and one that can is seen by its partner. So a partition between
 * the two servers alone changes nothing, and the conditional writes of
 * the lease database decide any address both might offer.
 *
 * The thread holds a copy of what it needs (names, delays, the lease
 * database's keys), so a reload swaps the configuration under nobody.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config/config.h"
#include "daemon/daemon_state.h"
#include "daemon/ha_watch.h"
#include "engine/engine.h"
#include "store/ha_beat.h"
#include "util/clock.h"
#include "util/log.h"

struct ha_watch {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;
	/* the thread's own copies */
	struct dx_lease_db_conf db;
	char self[DX_HA_NAME_MAX], partner[DX_HA_NAME_MAX];
	uint32_t beat_ms, max_ms;
	/* the thread's verdicts, read by the event loop */
	atomic_bool partner_down;
	atomic_bool db_ok;
	atomic_llong partner_age_ms; /* -1: never seen */
	/* Kea's maintenance: we asked the partner to stand aside (set by
	 * the control command, cleared by it or by the thread once the
	 * partner restarted); the partner asked us. */
	atomic_bool maintenance;
	atomic_bool in_maintenance;
	atomic_bool beaten; /* this run's first heartbeat is written */
	/* the event loop's */
	bool told_down, told_db_ok;
	enum engine_ha_maintenance told_maintenance;
};

/* The other active server of the pair: secondary or standby for the
 * primary, the primary for everyone else. */
static const struct dx_ha_peer *partner_of(const struct dx_ha_conf *ha)
{
	if (ha->self == 0)
		return &ha->peers[1];
	return &ha->peers[0];
}

static void *beat_loop(void *arg)
{
	struct ha_watch *w = arg;
	struct ha_beat *b = NULL;
	int64_t since = now_mono_ms(), age;
	struct ha_beat_partner seen;
	struct ha_beat_mine mine;
	char err[400];
	struct timespec until;
	int ret;

	if (ha_beat_new(&w->db, &b))
		return NULL;
	pthread_mutex_lock(&w->mu);
	while (!w->stop) {
		pthread_mutex_unlock(&w->mu);
		mine = (struct ha_beat_mine){
			.serving_partner = atomic_load(&w->partner_down),
			.first = !atomic_load(&w->beaten),
			.maintenance = atomic_load(&w->maintenance),
		};
		ret = ha_beat_exchange(b, w->self, w->partner, &mine, &seen,
				       err, sizeof(err));
		if (ret) {
			/* Unknown: the verdict stays as it was. Without the
			 * database nothing is granted anyway. */
			if (atomic_exchange(&w->db_ok, false))
				log_warn("high availability: %s", err);
		} else {
			age = seen.age_ms;
			atomic_store(&w->db_ok, true);
			atomic_store(&w->beaten, true);
			atomic_store(&w->partner_age_ms, age);
			atomic_store(&w->partner_down,
				     age > (int64_t)w->max_ms ||
					     (age < 0 &&
					      now_mono_ms() - since >
						      (int64_t)w->max_ms));
			atomic_store(&w->in_maintenance,
				     seen.asks_maintenance &&
					     !atomic_load(&w->partner_down));
			/* The partner came back from its maintenance (Kea:
			 * partner-down, then the usual states); or both
			 * asked each other and the partner asked first: we
			 * stand aside, our request is void. */
			if (mine.maintenance &&
			    (seen.restarted || seen.asks_maintenance))
				atomic_store(&w->maintenance, false);
		}
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += w->beat_ms / 1000;
		until.tv_nsec += (long)(w->beat_ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_mutex_lock(&w->mu);
		while (!w->stop &&
		       pthread_cond_timedwait(&w->cv, &w->mu, &until) == 0)
			;
	}
	pthread_mutex_unlock(&w->mu);
	ha_beat_free(b);
	return NULL;
}

static void copy_conf(struct ha_watch *w, const struct dx_config *cfg)
{
	const struct dx_ha_conf *ha = &cfg->ha;

	/* both names are NUL-terminated within DX_HA_NAME_MAX */
	memcpy(w->self, ha->peers[ha->self].name, sizeof(w->self));
	memcpy(w->partner, partner_of(ha)->name, sizeof(w->partner));
	w->beat_ms = ha->heartbeat_delay_ms;
	w->max_ms = ha->max_response_delay_ms;
}

static void stop_thread(struct ha_watch *w)
{
	pthread_mutex_lock(&w->mu);
	w->stop = true;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
}

static void destroy(struct ha_watch *w)
{
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	db_conn_conf_free(&w->db);
	free(w);
}

/* A watcher for cfg, starting from what the previous one knew. */
static int watch_new(const struct dx_config *cfg, const struct ha_watch *prev,
		     struct ha_watch **out)
{
	struct ha_watch *w = calloc(1, sizeof(*w));
	int ret;

	*out = NULL;
	if (!w)
		return -ENOMEM;
	copy_conf(w, cfg);
	/* The thread outlives a reload's configuration: its own copy. */
	if (db_conn_conf_dup(&w->db, &cfg->lease_db)) {
		free(w);
		return -ENOMEM;
	}
	atomic_init(&w->partner_down, prev && atomic_load(&prev->partner_down));
	atomic_init(&w->db_ok, true);
	atomic_init(&w->partner_age_ms,
		    prev ? atomic_load(&prev->partner_age_ms) : -1);
	atomic_init(&w->maintenance, prev && atomic_load(&prev->maintenance));
	atomic_init(&w->in_maintenance,
		    prev && atomic_load(&prev->in_maintenance));
	/* A reload is not a new run: the partner's requests stand. */
	atomic_init(&w->beaten, prev && atomic_load(&prev->beaten));
	w->told_down = prev && prev->told_down;
	w->told_maintenance =
		prev ? prev->told_maintenance : ENGINE_HA_NO_MAINTENANCE;
	w->told_db_ok = true;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	ret = -pthread_create(&w->thread, NULL, beat_loop, w);
	if (ret) {
		pthread_cond_destroy(&w->cv);
		pthread_mutex_destroy(&w->mu);
		db_conn_conf_free(&w->db);
		free(w);
		return ret;
	}
	*out = w;
	return 0;
}

int ha_watch_start(struct daemon *d)
{
	int ret;

	if (!d->cfg->ha.mode)
		return 0;
	ret = watch_new(d->cfg, NULL, &d->ha);
	if (ret)
		log_err("high availability: cannot start the heartbeat: %s",
			strerror(-ret));
	else
		log_info("high availability: %s of a %s pair with %s, "
			 "heartbeat every %u ms, partner down after %u ms",
			 d->ha->self,
			 d->cfg->ha.mode == DX_HA_LOAD_BALANCING
				 ? "load-balancing"
				 : "hot-standby",
			 d->ha->partner, d->ha->beat_ms, d->ha->max_ms);
	return ret;
}

int ha_watch_reload(struct daemon *d)
{
	struct ha_watch *prev = d->ha, *w = NULL;
	int ret = 0;

	/* The old thread first: two beating as one name is harmless, but
	 * one is enough. */
	if (prev)
		stop_thread(prev);
	if (d->cfg->ha.mode)
		ret = watch_new(d->cfg, prev, &w);
	if (prev)
		destroy(prev);
	d->ha = w;
	if (ret)
		log_err("high availability: cannot restart the heartbeat: %s",
			strerror(-ret));
	ha_watch_tick(d);
	return ret;
}

static enum engine_ha_maintenance maintenance_of(const struct ha_watch *w)
{
	if (atomic_load(&w->in_maintenance))
		return ENGINE_HA_IN_MAINTENANCE;
	if (atomic_load(&w->maintenance))
		return ENGINE_HA_PARTNER_IN_MAINTENANCE;
	return ENGINE_HA_NO_MAINTENANCE;
}

static void log_maintenance(const struct ha_watch *w,
			    enum engine_ha_maintenance m)
{
	if (m == ENGINE_HA_IN_MAINTENANCE)
		log_id(LOG_LVL_WARN, "HA_MAINTENANCE_STARTED",
		       "high availability: %s asked this server to stand "
		       "aside: serving no scope; it may be shut down",
		       w->partner);
	else if (m == ENGINE_HA_PARTNER_IN_MAINTENANCE)
		log_id(LOG_LVL_WARN, "HA_MAINTENANCE_STARTED",
		       "high availability: %s in maintenance: serving "
		       "every scope",
		       w->partner);
	else
		log_id(LOG_LVL_INFO, "HA_MAINTENANCE_ENDED",
		       "high availability: maintenance over, back to the "
		       "usual scopes");
}

void ha_watch_tick(struct daemon *d)
{
	struct ha_watch *w = d->ha;
	enum engine_ha_maintenance m;
	bool down, ok;
	long long age;

	if (!w) {
		engine_ha_set_partner_down(d->eng, false);
		engine_ha_set_maintenance(d->eng, ENGINE_HA_NO_MAINTENANCE);
		return;
	}
	down = atomic_load(&w->partner_down);
	ok = atomic_load(&w->db_ok);
	age = atomic_load(&w->partner_age_ms);
	m = maintenance_of(w);
	engine_ha_set_partner_down(d->eng, down);
	engine_ha_set_maintenance(d->eng, m);
	/* Kea: scopes set by ha-scopes last until the next transition. */
	if (down != w->told_down || m != w->told_maintenance)
		engine_ha_unforce(d->eng);
	if (m != w->told_maintenance) {
		log_maintenance(w, m);
		w->told_maintenance = m;
	}
	if (down != w->told_down) {
		if (down && age < 0)
			log_id(LOG_LVL_WARN, "HA_PARTNER_DOWN",
			       "high availability: %s never beat in %u ms: "
			       "serving its scope",
			       w->partner, w->max_ms);
		else if (down)
			log_id(LOG_LVL_WARN, "HA_PARTNER_DOWN",
			       "high availability: %s silent for %lld ms: "
			       "serving its scope",
			       w->partner, age);
		else
			log_id(LOG_LVL_INFO, "HA_PARTNER_BACK",
			       "high availability: %s beats again: its "
			       "scope is its own",
			       w->partner);
		w->told_down = down;
	}
	if (ok && !w->told_db_ok)
		log_info("high availability: heartbeat written again");
	w->told_db_ok = ok;
}

void ha_watch_stop(struct daemon *d)
{
	if (d->ha) {
		stop_thread(d->ha);
		destroy(d->ha);
	}
	d->ha = NULL;
}

static const char *role_name(enum dx_ha_role r)
{
	static const char *const names[] = {"primary", "secondary", "standby",
					    "backup"};

	return names[r];
}

/* The scopes this server answers now (Kea's "scopes"). */
static struct json_object *scopes(const struct daemon *d)
{
	const struct dx_ha_conf *ha = &d->cfg->ha;
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; a && i < ha->n_peers; i++)
		if (engine_ha_serves(d->eng, (int)i))
			json_object_array_add(
				a, json_object_new_string(ha->peers[i].name));
	return a;
}

const char *ha_watch_state(const struct daemon *d)
{
	const struct ha_watch *w = d->ha;

	if (!d->cfg->ha.mode || !w)
		return NULL;
	/* What the engine was told (at the last tick), so that the state
	 * and the scopes shown agree. Kea's precedence: a partner gone
	 * while in maintenance is down. */
	if (w->told_maintenance == ENGINE_HA_IN_MAINTENANCE)
		return "in-maintenance";
	if (engine_ha_partner_down(d->eng))
		return "partner-down";
	if (w->told_maintenance == ENGINE_HA_PARTNER_IN_MAINTENANCE)
		return "partner-in-maintenance";
	return d->cfg->ha.mode == DX_HA_LOAD_BALANCING ? "load-balancing"
						       : "hot-standby";
}

int ha_watch_maintenance(struct daemon *d, bool start)
{
	struct ha_watch *w = d->ha;

	if (!w)
		return -ENOTSUP;
	if (!start) {
		if (!atomic_exchange(&w->maintenance, false))
			return -EALREADY;
	} else {
		if (atomic_load(&w->in_maintenance))
			return -EBUSY;
		/* A partner already gone needs no asking (Kea answers from
		 * partner-down the same way). */
		if (atomic_load(&w->partner_down))
			return -EHOSTDOWN;
		atomic_store(&w->maintenance, true);
	}
	/* The engine at once; the partner at its next heartbeat. */
	ha_watch_tick(d);
	pthread_mutex_lock(&w->mu);
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	return 0;
}

struct json_object *ha_watch_scopes(const struct daemon *d)
{
	return scopes(d);
}

struct json_object *ha_watch_status(const struct daemon *d)
{
	const struct dx_ha_conf *ha = &d->cfg->ha;
	const struct ha_watch *w = d->ha;
	struct json_object *top, *rel, *servers, *local, *remote;
	bool down = engine_ha_partner_down(d->eng);
	long long age;

	if (!ha->mode || !w)
		return NULL;
	age = atomic_load(&w->partner_age_ms);
	top = json_object_new_array();
	rel = json_object_new_object();
	servers = json_object_new_object();
	local = json_object_new_object();
	remote = json_object_new_object();
	json_object_object_add(
		rel, "ha-mode",
		json_object_new_string(ha->mode == DX_HA_LOAD_BALANCING
					       ? "load-balancing"
					       : "hot-standby"));
	json_object_object_add(local, "server-name",
			       json_object_new_string(w->self));
	json_object_object_add(
		local, "role",
		json_object_new_string(role_name(ha->peers[ha->self].role)));
	json_object_object_add(local, "scopes", scopes(d));
	json_object_object_add(local, "state",
			       json_object_new_string(ha_watch_state(d)));
	json_object_object_add(remote, "server-name",
			       json_object_new_string(w->partner));
	json_object_object_add(
		remote, "role",
		json_object_new_string(role_name(partner_of(ha)->role)));
	/* Kea's age is in seconds; ours also in ms, by the database. */
	json_object_object_add(
		remote, "age",
		json_object_new_int64(age < 0 ? -1 : age / 1000));
	json_object_object_add(remote, "age-ms", json_object_new_int64(age));
	json_object_object_add(remote, "in-touch",
			       json_object_new_boolean(age >= 0 && !down));
	json_object_object_add(remote, "communication-interrupted",
			       json_object_new_boolean(down));
	json_object_object_add(servers, "local", local);
	json_object_object_add(servers, "remote", remote);
	json_object_object_add(rel, "ha-servers", servers);
	json_object_array_add(top, rel);
	return top;
}
