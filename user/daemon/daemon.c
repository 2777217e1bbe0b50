// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The daemon's lifecycle: start (configuration, lease database, engine,
 * pinned maps, attachments, sockets), the event loop, reload on SIGHUP,
 * clean stop on SIGTERM/SIGINT.
 *
 * Stopping leaves the XDP program attached and its maps pinned: renewals
 * within their durable horizons keep being answered while the daemon is
 * down or being upgraded; `dhcpxdp detach` removes the program. A restart
 * reuses the pinned maps, reloads the leases from the database (the
 * source of truth) and carries on.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "daemon/daemon.h"
#include "daemon/control.h"
#include "daemon/daemon_state.h"
#include "config/reservations_store.h"
#include "daemon/metrics.h"
#include "util/sd_notify.h"

enum {
	TAG_SIGNAL = 1000,
	TAG_TIMER,
	TAG_RING,
	TAG_CONTROL,
	TAG_METRICS,
	TAG_COMMIT
};

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	if (level == LIBBPF_DEBUG && !log_verbose())
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* ---- loading state ------------------------------------------------- */

/* The configuration file, with the run-time reservations merged into its
 * subnets (reservations_store.h) before any engine is built from it. */
/* Append the interfaces attached at run time (relayed traffic only,
 * unless a subnet names them). */
static int add_runtime_ifs(const struct daemon *d, struct dx_config *cfg)
{
	for (size_t i = 0; i < d->n_runtime_ifs; i++) {
		const char *name = d->runtime_ifs[i];
		struct dx_iface_conf *p;

		if (config_lists_interface(cfg, name))
			continue;
		p = realloc(cfg->interfaces,
			    (cfg->n_interfaces + 1) * sizeof(*p));
		if (!p)
			return -ENOMEM;
		cfg->interfaces = p;
		p[cfg->n_interfaces].name = strdup(name);
		p[cfg->n_interfaces].addr = 0;
		if (!p[cfg->n_interfaces].name)
			return -ENOMEM;
		cfg->n_interfaces++;
	}
	return 0;
}

static struct dx_config *load_config(const struct daemon *d, const char *path)
{
	struct config_diag diag;
	struct dx_config *cfg = NULL;
	char err[PATH_MAX + 512];

	if (config_load(path, &cfg, &diag)) {
		log_err("%s", diag.error);
		config_diag_free(&diag);
		return NULL;
	}
	for (size_t i = 0; i < diag.n_warnings; i++)
		log_warn("%s", diag.warnings[i]);
	config_diag_free(&diag);
	if (rstore_load_merge(cfg, err, sizeof(err))) {
		log_err("%s", err);
		config_free(cfg);
		return NULL;
	}
	if (add_runtime_ifs(d, cfg)) {
		log_err("out of memory");
		config_free(cfg);
		return NULL;
	}
	return cfg;
}

/* The lease database's directory is created like Kea's (0750). */
static int open_db(const struct dx_config *cfg, struct lease_db **db)
{
	char err[512], dir[PATH_MAX], *slash;
	int ret;

	snprintf(dir, sizeof(dir), "%s", cfg->lease_db.name);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0750) && errno != EEXIST) {
			log_err("cannot create %s: %s", dir, strerror(errno));
			return -errno;
		}
	}
	ret = lease_db_open(cfg->lease_db.name, db, err, sizeof(err));
	if (ret)
		log_err("%s", err);
	return ret;
}

struct load_ctx {
	struct engine *eng;
	int64_t now;	   /* wall clock, s */
	uint64_t now_boot; /* CLOCK_BOOTTIME ns, read with now */
	struct engine_map_op *map;
	size_t n, cap;
	size_t rows, skipped;
};

static int load_one(const struct dx_lease_rec *rec, void *arg)
{
	struct load_ctx *lc = arg;
	struct engine_map_op op = { 0 };
	int ret;

	lc->rows++;
	ret = engine_load_lease(lc->eng, rec, lc->now, &op);
	if (ret) {
		/* e.g. a subnet no longer configured: kept in the
		 * database, not served. */
		lc->skipped++;
		return 0;
	}
	if (!op.kind)
		return 0;
	if (lc->n == lc->cap) {
		size_t cap = lc->cap ? lc->cap * 2 : 4096;
		void *p = realloc(lc->map, cap * sizeof(*lc->map));

		if (!p)
			return -ENOMEM;
		lc->map = p;
		lc->cap = cap;
	}
	lc->map[lc->n++] = op;
	return 0;
}

/* A fresh engine for cfg, with every lease of the database in it; the
 * lease-map entries those leases need are returned in lc. */
static int build_engine(struct daemon *d, const struct dx_config *cfg,
			struct engine **eng, struct load_ctx *lc)
{
	int ret;

	ret = engine_new(cfg, eng);
	if (ret) {
		log_err("cannot set up the protocol engine: %s",
			strerror(-ret));
		return ret;
	}
	memset(lc, 0, sizeof(*lc));
	lc->eng = *eng;
	lc->now = now_wall();
	lc->now_boot = now_boot_ns();
	ret = lease_db_load(d->db, load_one, lc);
	if (ret) {
		log_err("loading leases from %s failed: %s", cfg->lease_db.name,
			lease_db_errmsg(d->db));
		engine_free(*eng);
		*eng = NULL;
		free(lc->map);
		return ret;
	}
	if (lc->skipped)
		log_warn("%zu lease rows belong to subnets not configured; "
			 "kept in the database, not served",
			 lc->skipped);
	return 0;
}

static int cmp_key(const void *a, const void *b)
{
	const struct engine_map_op *x = a, *y = b;

	if (x->subnet_id != y->subnet_id)
		return x->subnet_id < y->subnet_id ? -1 : 1;
	return memcmp(x->mac, y->mac, 6);
}

/*
 * Dynamic entries in a pinned lease map that the database does not hold
 * (it was replaced, or a lease ended while the daemon was down) must not
 * keep being renewed: the database is the source of truth.
 *
 * An entry that is kept may carry a later expiry than its row: XDP
 * renewed the lease without asking for an extension (abi.h). That expiry
 * is carried into the entry about to be written, so reloading the map
 * does not set the operator's view of the lease back (lease_view.h).
 */
static bool lease_in_db(const void *key, const void *value, const void *arg)
{
	const struct dx_lease_key *k = key;
	const struct dx_lease *l = value;
	const struct load_ctx *lc = arg;
	struct engine_map_op probe, *op;
	int64_t expires;

	if (!(l->flags & DX_LEASE_F_DYNAMIC))
		return true;
	probe.subnet_id = k->subnet_id;
	memcpy(probe.mac, k->mac, 6);
	op = bsearch(&probe, lc->map, lc->n, sizeof(*lc->map), cmp_key);
	if (!op)
		return false;
	if (op->kind == ENGINE_MAP_UPSERT && ntohl(l->addr) == op->addr &&
	    l->expires_ns > lc->now_boot) {
		expires = map_boot_to_wall(l->expires_ns, lc->now,
					   lc->now_boot);
		if (expires > op->expires)
			op->expires = expires;
	}
	return true;
}

static void prune_lease_map(struct daemon *d, struct load_ctx *lc)
{
	size_t pruned = 0;
	int ret;

	qsort(lc->map, lc->n, sizeof(*lc->map), cmp_key);
	ret = map_prune(d->bpf.leases_fd, sizeof(struct dx_lease_key),
			sizeof(struct dx_lease), lease_in_db, lc, &pruned);
	if (ret)
		log_warn("pruning the lease map: %s", strerror(-ret));
	if (pruned)
		log_info("removed %zu lease-map entries the database does not "
			 "hold",
			 pruned);
}

static bool subnet_removed(const struct dx_config *old,
			   const struct dx_config *next)
{
	for (size_t i = 0; i < old->n_subnets; i++)
		if (!config_subnet_by_id(next, old->subnets[i].id))
			return true;
	return false;
}

/* ---- interfaces ------------------------------------------------------ */

static int epoll_add(int epfd, int fd, uint64_t tag)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = tag };

	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

static void close_interfaces(struct daemon *d)
{
	for (size_t i = 0; i < d->n_ifs; i++)
		pkt_io_close(&d->ifs[i].sock);
	d->n_ifs = 0;
}

/* Attach XDP and open a packet socket on every configured interface. */
static int open_interfaces(struct daemon *d, const struct dx_config *cfg)
{
	enum dx_xdp_mode mode;
	char err[512];
	int ret;

	if (dx_xdp_mode_parse(cfg->dhcpxdp.xdp_mode, &mode))
		mode = DX_XDP_NATIVE;
	for (size_t i = 0; i < cfg->n_interfaces && i < DAEMON_MAX_IFS; i++) {
		struct served_if *sif = &d->ifs[d->n_ifs];
		const char *name = cfg->interfaces[i].name;

		memset(sif, 0, sizeof(*sif));
		ret = netif_lookup(name, cfg->interfaces[i].addr, &sif->nif);
		if (ret) {
			log_err("interface %s: %s", name,
				ret == -ENODEV ? "no such interface"
				: ret == -EADDRNOTAVAIL
					? "no IPv4 address to use as server "
					  "identifier"
					: strerror(-ret));
			return ret;
		}
		sif->direct_subnet_id = config_interface_subnet(cfg, name);
		ret = dx_bpf_attach(&d->bpf, name, mode, false, err,
				    sizeof(err));
		if (ret) {
			log_err("%s", err);
			return ret;
		}
		ret = pkt_io_open(&sif->sock, name);
		if (ret) {
			log_err("cannot open a packet socket on %s: %s", name,
				strerror(-ret));
			return ret;
		}
		d->n_ifs++;
		ret = epoll_add(d->epfd, pkt_io_fd(&sif->sock), d->n_ifs - 1);
		if (ret)
			return ret;
		log_info("serving %s (ifindex %u, server id %u.%u.%u.%u, %s)",
			 name, sif->nif.ifindex, sif->nif.addr >> 24,
			 (sif->nif.addr >> 16) & 0xff,
			 (sif->nif.addr >> 8) & 0xff, sif->nif.addr & 0xff,
			 sif->direct_subnet_id ? "direct subnet"
					       : "relayed traffic only");
	}
	return 0;
}

/* Detach XDP from interfaces the new configuration no longer lists. */
static void detach_removed(struct daemon *d, const struct dx_config *next)
{
	char err[512];

	for (size_t i = 0; i < d->cfg->n_interfaces; i++) {
		const char *name = d->cfg->interfaces[i].name;
		bool kept = false;

		for (size_t j = 0; j < next->n_interfaces; j++)
			kept |= !strcmp(next->interfaces[j].name, name);
		if (!kept && dx_bpf_detach(d->bpf.pin_dir, name, err,
					   sizeof(err)) == 0)
			log_info("detached from %s (no longer configured)",
				 name);
	}
}

/*
 * Fill the maps for cfg. At start every lease from the database goes into
 * the lease map; on a reload the map already holds them (the database and
 * the map have not diverged), so only the engine's deletions are applied:
 * e.g. a dynamic entry of a client that now has a reservation.
 */
static int sync_maps(struct daemon *d, const struct dx_config *cfg,
		     struct engine *eng, struct load_ctx *lc, bool reload)
{
	struct map_sync_report rep;
	char err[512];
	int ret;

	ret = map_sync_config(&d->bpf, cfg, eng, &d->slots, &rep, err,
			      sizeof(err));
	if (ret) {
		log_err("filling the XDP maps: %s", err);
		return ret;
	}
	if (rep.fast_path_off)
		log_warn("%zu subnets have more option data than the fast path "
			 "carries (%d bytes): the daemon answers all their "
			 "requests",
			 rep.fast_path_off, DX_SUBNET_OPTS_MAX);
	if (reload) {
		ret = 0;
		for (size_t i = 0; i < lc->n; i++)
			if (lc->map[i].kind == ENGINE_MAP_DELETE &&
			    map_apply_lease_ops(&d->bpf, &lc->map[i], 1,
						lc->now, now_boot_ns()))
				ret = -EIO;
	} else {
		ret = map_load_leases(&d->bpf, lc->map, lc->n, lc->now,
				      now_boot_ns());
	}
	if (ret)
		log_warn("not every lease fits the lease map (%s)",
			 strerror(-ret));
	log_info("maps: %zu subnets, %zu networks, %zu relay prefixes, %zu "
		 "reservations in XDP (%zu left to the daemon), %zu leases",
		 rep.subnets, rep.networks, rep.relays, rep.reservations,
		 rep.reservations_slow, lc->n);
	return 0;
}

/* ---- start, reload, stop -------------------------------------------- */

static int setup_fds(struct daemon *d)
{
	struct itimerspec its = { .it_interval = { 1, 0 },
				  .it_value = { 1, 0 } };
	sigset_t mask;
	int ret;

	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	if (sigprocmask(SIG_BLOCK, &mask, NULL))
		return -errno;
	d->epfd = epoll_create1(EPOLL_CLOEXEC);
	d->sigfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	d->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (d->epfd < 0 || d->sigfd < 0 || d->timerfd < 0 ||
	    timerfd_settime(d->timerfd, 0, &its, NULL))
		return -errno;
	if (epoll_add(d->epfd, d->sigfd, TAG_SIGNAL) ||
	    epoll_add(d->epfd, d->timerfd, TAG_TIMER) ||
	    epoll_add(d->epfd, ring_buffer__epoll_fd(d->rb), TAG_RING))
		return -errno;
	/* After the signals are blocked: the writer thread inherits that. */
	ret = commitq_init(&d->cq, d->db, slowpath_commit_done, d, true);
	if (ret)
		return ret;
	return epoll_add(d->epfd, commitq_fd(&d->cq), TAG_COMMIT) ? -errno
								   : 0;
}

static int alloc_work(struct daemon *d)
{
	d->msgs = calloc(DAEMON_BATCH, sizeof(*d->msgs));
	d->results = calloc(DAEMON_BATCH, sizeof(*d->results));
	d->pending = calloc(DAEMON_PENDING_MAX, sizeof(*d->pending));
	return d->msgs && d->results && d->pending ? 0 : -ENOMEM;
}

static int daemon_start(struct daemon *d, const char *path)
{
	struct load_ctx lc;
	char err[512];
	int ret;

	snprintf(d->config_path, sizeof(d->config_path), "%s", path);
	d->epfd = d->sigfd = d->timerfd = -1;
	d->started = time(NULL);
	ret = alloc_work(d);
	if (ret)
		return ret;
	d->cfg = load_config(d, path);
	if (!d->cfg)
		return -EINVAL;
	/* First, so a second daemon on the same socket stops here. */
	ret = control_open(d);
	if (ret)
		return ret;
	/* Before the maps too: a bad metrics-listen touches nothing. Like
	 * the control socket, opened once: a change needs a restart. */
	ret = metrics_http_open(d, &d->http);
	if (ret)
		return ret;
	ret = open_db(d->cfg, &d->db);
	if (ret)
		return ret;
	ret = dx_bpf_open(&d->bpf, d->cfg->dhcpxdp.pin_dir,
			  d->cfg->dhcpxdp.lease_map_capacity, err, sizeof(err));
	if (ret) {
		log_err("%s", err);
		return ret;
	}
	if (d->bpf.reused)
		log_info("reusing the pinned maps in %s", d->bpf.pin_dir);
	if (d->bpf.reused && d->cfg->dhcpxdp.lease_map_capacity &&
	    d->bpf.lease_capacity != d->cfg->dhcpxdp.lease_map_capacity)
		log_warn("the pinned lease map holds %u entries, the "
			 "configuration asks for %u: a pinned map keeps its "
			 "size; to resize, stop the daemon, 'dhcpxdp detach' "
			 "every interface and remove %s",
			 d->bpf.lease_capacity,
			 d->cfg->dhcpxdp.lease_map_capacity, d->bpf.pin_dir);
	ret = build_engine(d, d->cfg, &d->eng, &lc);
	if (ret)
		return ret;
	log_info("loaded %zu lease rows from %s", lc.rows,
		 d->cfg->lease_db.name);
	ret = map_slots_load(&d->bpf, &d->slots);
	/* The walk first: it also keeps the expiries XDP wrote. */
	if (!ret && d->bpf.reused)
		prune_lease_map(d, &lc);
	if (!ret)
		ret = sync_maps(d, d->cfg, d->eng, &lc, false);
	free(lc.map);
	if (ret)
		return ret;
	ret = horizon_attach(d);
	if (ret)
		return ret;
	ret = setup_fds(d);
	if (ret)
		return ret;
	ret = epoll_add(d->epfd, control_fd(d->ctl), TAG_CONTROL);
	if (ret)
		return ret;
	if (d->http)
		ret = epoll_add(d->epfd, metrics_http_fd(d->http), TAG_METRICS);
	if (ret)
		return ret;
	control_tick(d); /* the fast-path share's first sample */
	return open_interfaces(d, d->cfg);
}

int daemon_reload(struct daemon *d)
{
	struct dx_config *next;
	struct engine *eng;
	struct load_ctx lc;
	int ret;

	sd_notify_send("RELOADING=1");
	log_info("reloading %s", d->config_path);
	next = load_config(d, d->config_path);
	if (!next) {
		log_err("reload failed; still serving the previous "
			"configuration");
		ret = -EINVAL;
		goto out;
	}
	/* Renewals noted by the old engine, and everything queued for the
	 * disk, are written first: the new engine is built from the
	 * database, and the interfaces replies wait for may go away. */
	daemon_sync(d);
	ret = build_engine(d, next, &eng, &lc);
	if (ret) {
		config_free(next);
		goto out;
	}
	/* A reload writes no lease entry anew (the map holds them, with
	 * XDP's expiries): only entries of leases now gone are removed. */
	ret = sync_maps(d, next, eng, &lc, true);
	if (ret) {
		engine_free(eng);
		config_free(next);
		free(lc.map);
		goto out;
	}
	/* Leases of a subnet no longer configured leave the map too. */
	if (subnet_removed(d->cfg, next))
		prune_lease_map(d, &lc);
	free(lc.map);
	map_sync_drop_reservations(&d->bpf, d->cfg, next);
	detach_removed(d, next);
	close_interfaces(d);
	engine_free(d->eng);
	config_free(d->cfg);
	d->eng = eng;
	d->cfg = next;
	ret = open_interfaces(d, d->cfg);
	if (ret)
		log_err("reload: not every interface could be served");
	else
		log_info("reloaded");
out:
	sd_notify_send("READY=1");
	return ret;
}

int daemon_runtime_interface(struct daemon *d, const char *name, bool serve)
{
	size_t i;
	int ret;

	for (i = 0; i < d->n_runtime_ifs; i++)
		if (!strcmp(d->runtime_ifs[i], name))
			break;
	if (serve) {
		if (i < d->n_runtime_ifs || config_lists_interface(d->cfg, name))
			return -EEXIST;
		if (d->n_runtime_ifs == DAEMON_MAX_RUNTIME_IFS)
			return -ENOSPC;
		snprintf(d->runtime_ifs[d->n_runtime_ifs++], IF_NAMESIZE, "%s",
			 name);
		ret = daemon_reload(d);
		if (ret) /* the reload kept the old state: forget it too */
			d->n_runtime_ifs--;
		return ret;
	}
	if (i == d->n_runtime_ifs)
		return config_lists_interface(d->cfg, name) ? -EPERM : -ENOENT;
	memmove(d->runtime_ifs[i], d->runtime_ifs[i + 1],
		(d->n_runtime_ifs - i - 1) * IF_NAMESIZE);
	d->n_runtime_ifs--;
	return daemon_reload(d);
}

static void daemon_stop(struct daemon *d)
{
	if (d->eng)
		daemon_sync(d);
	/* Before the interfaces close: queued replies still go out. */
	commitq_fini(&d->cq);
	close_interfaces(d);
	control_close(d);
	metrics_http_close(d->http);
	ring_buffer__free(d->rb);
	if (d->epfd >= 0)
		close(d->epfd);
	if (d->sigfd >= 0)
		close(d->sigfd);
	if (d->timerfd >= 0)
		close(d->timerfd);
	dx_bpf_close(&d->bpf);
	engine_free(d->eng);
	lease_db_close(d->db);
	config_free(d->cfg);
	free(d->msgs);
	free(d->results);
	free(d->pending);
}

static void on_signal(struct daemon *d)
{
	struct signalfd_siginfo si;

	while (read(d->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			(void)daemon_reload(d);
		} else {
			log_info("signal %u: stopping; XDP stays attached and "
				 "keeps answering renewals",
				 si.ssi_signo);
			d->stop = true;
		}
	}
}

static void on_timer(struct daemon *d)
{
	uint64_t ticks;

	if (read(d->timerfd, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
		return;
	horizon_poll(d);
	horizon_flush(d);
	expiry_run(d);
	control_tick(d);
	metrics_http_run(d->http); /* idle connections time out */
}

static void loop(struct daemon *d)
{
	struct epoll_event evs[DAEMON_MAX_IFS + 3];
	int n;

	while (!d->stop) {
		n = epoll_wait(d->epfd, evs, DAEMON_MAX_IFS + 3, -1);
		if (n < 0 && errno != EINTR) {
			log_err("epoll_wait: %s", strerror(errno));
			break;
		}
		for (int i = 0; i < n && !d->stop; i++) {
			uint64_t tag = evs[i].data.u64;

			if (tag < d->n_ifs)
				slowpath_round(d, &d->ifs[tag]);
			else if (tag == TAG_RING)
				horizon_poll(d);
			else if (tag == TAG_TIMER)
				on_timer(d);
			else if (tag == TAG_SIGNAL)
				on_signal(d);
			else if (tag == TAG_CONTROL)
				control_accept(d);
			else if (tag == TAG_METRICS)
				metrics_http_run(d->http);
			else if (tag == TAG_COMMIT)
				commitq_on_event(&d->cq);
		}
		if (d->n_pending >= DAEMON_PENDING_MAX / 2)
			horizon_flush(d);
	}
}

int daemon_run(const struct daemon_opts *opts)
{
	struct daemon *d = calloc(1, sizeof(*d));
	int ret;

	if (!d)
		return 1;
	log_init(opts->verbose);
	libbpf_set_print(libbpf_print);
	ret = daemon_start(d, opts->config_path);
	if (ret) {
		daemon_stop(d);
		free(d);
		return 1;
	}
	sd_notify_send("READY=1");
	log_info("ready");
	loop(d);
	sd_notify_send("STOPPING=1");
	daemon_stop(d);
	free(d);
	return 0;
}
