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
#include <json-c/json.h>
#include "config/config.h"
#include "config/reservations_store.h"
#include "daemon/commit.h"
#include "daemon/db_link.h"
#include "daemon/control.h"
#include "daemon/control_http.h"
#include "daemon/daemon.h"
#include "daemon/daemon_state.h"
#include "daemon/horizon.h"
#include "daemon/metrics.h"
#include "daemon/ha_watch.h"
#include "daemon/history.h"
#include "daemon/hosts_fetch.h"
#include "daemon/peer_sync.h"
#include "daemon/restore.h"
#include "daemon/rx_filter.h"
#include "daemon/slowpath.h"
#include "engine/engine.h"
#include "kernel/link_watch.h"
#include "kernel/netif.h"
#include "kernel/udp_port.h"
#include "kernel/vlan_offload.h"
#include "store/lease_db.h"
#include "util/clock.h"
#include "util/fmt.h"
#include "util/sd_notify.h"
#include "util/sd_watchdog.h"

enum {
	TAG_SIGNAL = 1000,
	TAG_TIMER,
	TAG_RING,
	TAG_CONTROL,
	TAG_METRICS,
	TAG_COMMIT,
	TAG_LINKS,
	TAG_SETTLE,
	TAG_WATCHDOG,
	TAG_CTL_HTTP,
	TAG_PEERS,
};

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	if (level == LIBBPF_DEBUG && !log_verbose())
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* ---- loading state ------------------------------------------------- */

/* name served with no address of its own, after those listed. */
static int append_iface(struct dx_config *cfg, const char *name)
{
	struct dx_iface_conf *p;
	char *copy = strdup(name);

	if (!copy)
		return -ENOMEM;
	p = realloc(cfg->interfaces, (cfg->n_interfaces + 1) * sizeof(*p));
	if (!p) {
		free(copy);
		return -ENOMEM;
	}
	cfg->interfaces = p;
	p[cfg->n_interfaces].name = copy;
	p[cfg->n_interfaces].addr = 0;
	cfg->n_interfaces++;
	return 0;
}

/* Append the interfaces attached at run time (relayed traffic only,
 * unless a subnet names them). */
static int add_runtime_ifs(const struct daemon *d, struct dx_config *cfg)
{
	for (size_t i = 0; i < d->n_runtime_ifs; i++) {
		const char *name = d->runtime_ifs[i];

		if (!config_lists_interface(cfg, name) &&
		    append_iface(cfg, name))
			return -ENOMEM;
	}
	return 0;
}

/*
 * Kea's interfaces "*": every interface that is up, not loopback and has
 * an IPv4 address now, after those listed by name. Looked at on every
 * load, so a start and a reload pick up what is there then; one that
 * appears later reloads (interfaces_settle()).
 */
static int add_all_ifs(struct dx_config *cfg)
{
	char names[DAEMON_MAX_IFS][IF_NAMESIZE], picked[256] = "";
	size_t len = 0;
	int n;

	if (!cfg->interfaces_all)
		return 0;
	n = netif_all(names, DAEMON_MAX_IFS);
	if (n < 0) {
		log_err("interfaces \"*\": cannot list the interfaces: %s",
			strerror(-n));
		return 0;
	}
	for (int i = 0; i < n; i++) {
		if (config_lists_interface(cfg, names[i]))
			continue;
		if (append_iface(cfg, names[i]))
			return -ENOMEM;
		if (len < sizeof(picked))
			len += snprintf(picked + len, sizeof(picked) - len,
					"%s%s", len ? " " : "", names[i]);
	}
	log_info("interfaces \"*\": %s",
		 len ? picked : "no interface is up with an IPv4 address yet");
	return 0;
}

/* Is there an interface "*" stands for that is not served yet? */
static bool all_ifs_grew(const struct dx_config *cfg)
{
	char names[DAEMON_MAX_IFS][IF_NAMESIZE];
	int n;

	if (!cfg->interfaces_all)
		return false;
	n = netif_all(names, DAEMON_MAX_IFS);
	for (int i = 0; i < n; i++)
		if (!config_lists_interface(cfg, names[i]))
			return true;
	return false;
}

/* The configuration file, read again with the reservations of its host
 * databases (hosts_fetch.h) when it has any. */
static struct dx_config *load_with_hosts(const struct daemon *d,
					 const char *path,
					 struct config_diag *diag)
{
	struct json_object *hosts = NULL;
	struct dx_config *cfg = NULL;

	if (config_load(path, &cfg, diag))
		return NULL;
	if (!cfg->n_hosts_dbs)
		return cfg;
	config_diag_free(diag);
	if (hosts_fetch(cfg, !d->cfg, &hosts)) {
		config_free(cfg);
		snprintf(diag->error, sizeof(diag->error),
			 "%s: a host database could not be read", path);
		return NULL;
	}
	config_free(cfg);
	cfg = NULL;
	(void)config_load_hosts(path, hosts, &cfg, diag);
	json_object_put(hosts);
	return cfg;
}

/* The configuration file, with the run-time reservations merged into its
 * subnets (reservations_store.h) before any engine is built from it. */
static struct dx_config *load_config(const struct daemon *d, const char *path)
{
	struct config_diag diag;
	struct dx_config *cfg = NULL;
	char err[PATH_MAX + 512];

	if (!(cfg = load_with_hosts(d, path, &diag))) {
		log_err("%s", diag.error);
		config_diag_free(&diag);
		return NULL;
	}
	for (size_t i = 0; i < diag.n_warnings; i++)
		log_warn("%s", diag.warnings[i]);
	config_diag_free(&diag);
	/* Dhcp4.loggers from here on; a file that cannot be opened keeps the
	 * lines where they went, as a bad key would not stop a start. */
	if (log_configure(&cfg->logging, err, sizeof(err)))
		log_err("%s: Dhcp4.loggers: %s; logging as before", path, err);
	if (rstore_load_merge(cfg, err, sizeof(err))) {
		log_err("%s", err);
		config_free(cfg);
		return NULL;
	}
	if (add_runtime_ifs(d, cfg) || add_all_ifs(cfg)) {
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
	if (!strcmp(cfg->lease_db.type, "postgresql"))
		slash = NULL; /* a database on a server, not a file */
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0750) && errno != EEXIST) {
			log_err("cannot create %s: %s", dir, strerror(errno));
			return -errno;
		}
	}
	ret = lease_db_open(&cfg->lease_db, db, err, sizeof(err));
	if (ret)
		log_err("%s", err);
	return ret;
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

/*
 * A burst of link changes (an interface deleted, created again, brought
 * up, given its address) is acted upon once it has been quiet for
 * SETTLE_QUIET_MS, and at the latest SETTLE_MAX_MS after its first event.
 */
#define SETTLE_QUIET_MS 300
#define SETTLE_MAX_MS	2000

static int epoll_add(int epfd, int fd, uint64_t tag)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = tag};

	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

static enum dx_xdp_mode xdp_mode_of(const struct dx_config *cfg)
{
	enum dx_xdp_mode mode;

	return dx_xdp_mode_parse(cfg->dhcpxdp.xdp_mode, &mode) ? DX_XDP_NATIVE
							       : mode;
}

/* Closing the socket also takes it out of the epoll set. */
static void stop_serving(struct served_if *sif, int why)
{
	pkt_io_close(&sif->sock);
	sif->up = false;
	sif->down_err = why;
}

static void close_interfaces(struct daemon *d)
{
	for (size_t i = 0; i < d->n_ifs; i++)
		stop_serving(&d->ifs[i], 0);
	d->n_ifs = 0;
}

/*
 * A VLAN's frames reach XDP with their tags only if the lower device does
 * not strip them first (kernel/vlan_offload.h): turn rx-vlan-offload off
 * there, and say so when tags may still be stripped (map_sync then keeps
 * untagged requests on that device away from XDP).
 */
static void prepare_vlan_lower(const struct netif *nif)
{
	bool changed = false;
	int ret;

	ret = vlan_offload_rx_off(nif->lower, &changed);
	if (!ret && changed)
		log_info("%s: rx-vlan-offload turned off, so that XDP sees the "
			 "VLAN tags of %s",
			 nif->lower, nif->name);
	else if (ret && ret != -EOPNOTSUPP)
		log_warn("%s: cannot turn rx-vlan-offload off: %s", nif->lower,
			 strerror(-ret));
	if (vlan_offload_tags_seen(nif))
		return;
	log_warn("%s: VLAN tags may be stripped before XDP sees them (%s): "
		 "requests that arrive untagged there are answered by the "
		 "daemon, which reads the tag the kernel kept",
		 nif->lower,
		 nif->lower_kind[0] ? "a software device passes on tags its "
				      "sender left in packet metadata"
				    : "rx-vlan-offload is on");
}

/* Resolve interface i of cfg, attach XDP to the device its frames
 * arrive on (the lower device of a VLAN), open its packet socket there
 * (epoll tag i). 0, or a negative errno after logging why not. */
static int serve_if(struct daemon *d, const struct dx_config *cfg, size_t i)
{
	struct served_if *sif = &d->ifs[i];
	const char *name = cfg->interfaces[i].name;
	char err[512];
	int ret;

	pkt_io_close(&sif->sock);
	memset(sif, 0, sizeof(*sif));
	ret = netif_lookup(name, cfg->interfaces[i].addr, &sif->nif);
	snprintf(sif->nif.name, sizeof(sif->nif.name), "%s", name);
	if (ret) {
		log_err("interface %s: %s", name, netif_strerror(ret));
		goto out;
	}
	sif->direct_subnet_id = config_interface_subnet(cfg, name,
							 sif->nif.addr);
	if (sif->nif.vlan)
		prepare_vlan_lower(&sif->nif);
	/* XDP once on the lower device for all its VLANs; attaching to a
	 * device it is on already keeps it there. */
	ret = dx_bpf_attach(&d->bpf, sif->nif.lower, xdp_mode_of(cfg), false,
			    err, sizeof(err));
	if (ret) {
		log_err("%s", err);
		goto out;
	}
	/*
	 * The packet socket listens on the lower device too, and replies
	 * leave there with the request's tags in the frame (wire/frame_out),
	 * not through the VLAN device: the socket sees every request of the
	 * VLAN, tags restored from PACKET_AUXDATA, before the stack hands it
	 * to the VLAN device (kernel/pkt_io.c), and a reply built with the
	 * tags needs no socket per VLAN device and leaves exactly as XDP's
	 * replies do. slowpath.c takes from it only its own network's.
	 */
	ret = pkt_io_open(&sif->sock, sif->nif.lower);
	if (ret) {
		log_err("cannot open a packet socket on %s: %s", sif->nif.lower,
			strerror(-ret));
		goto out;
	}
	ret = epoll_add(d->epfd, pkt_io_fd(&sif->sock), i);
	if (ret) {
		log_err("%s: epoll: %s", name, strerror(-ret));
		pkt_io_close(&sif->sock);
		goto out;
	}
	sif->up = true;
out:
	sif->down_err = ret;
	return ret;
}

static void log_serving(const struct served_if *sif, const char *again)
{
	char ip[FMT_IPV4_LEN], on[IF_NAMESIZE + 48] = "";

	if (sif->nif.svlan)
		snprintf(on, sizeof(on), ", on %s S-VLAN %u VLAN %u",
			 sif->nif.lower, sif->nif.svlan, sif->nif.vlan);
	else if (sif->nif.vlan)
		snprintf(on, sizeof(on), ", on %s VLAN %u", sif->nif.lower,
			 sif->nif.vlan);
	log_info("serving %s%s (ifindex %u%s, server id %s, %s)", sif->nif.name,
		 again, sif->nif.ifindex, on, fmt_ipv4(ip, sif->nif.addr),
		 sif->direct_subnet_id ? "direct subnet"
				       : "relayed traffic only");
}

static void resync_networks(struct daemon *d);

/*
 * Serve every configured interface: one that cannot be served is logged
 * and skipped (the link watch serves it once it is back). Returns 0 or
 * the first error.
 */
static int open_interfaces(struct daemon *d, const struct dx_config *cfg)
{
	bool vlans = false;
	int first = 0;

	d->n_ifs = cfg->n_interfaces < DAEMON_MAX_IFS ? cfg->n_interfaces
						      : DAEMON_MAX_IFS;
	for (size_t i = 0; i < d->n_ifs; i++) {
		int ret = serve_if(d, cfg, i);

		if (!ret)
			log_serving(&d->ifs[i], "");
		else if (!first)
			first = ret;
		vlans |= d->ifs[i].nif.vlan != 0;
	}
	/* The maps were filled before rx-vlan-offload was turned off. */
	if (vlans)
		resync_networks(d);
	rx_filters_refresh(d);
	return first;
}

/* The device XDP is attached to for interface `name`: its lower device
 * when it is a VLAN device, else itself. */
static void lower_of(const char *name, char lower[IF_NAMESIZE])
{
	struct netif nif;

	if (netif_lookup(name, 0, &nif) == 0 || nif.lower[0])
		snprintf(lower, IF_NAMESIZE, "%s", nif.lower);
	else
		snprintf(lower, IF_NAMESIZE, "%s", name);
}

/* Detach XDP from devices no interface of the new configuration needs
 * (a VLAN device's lower device stays while one of its VLANs is
 * served). */
static void detach_removed(struct daemon *d, const struct dx_config *next)
{
	char err[512], old[IF_NAMESIZE], now[IF_NAMESIZE];

	for (size_t i = 0; i < d->n_ifs; i++) {
		const struct served_if *sif = &d->ifs[i];
		bool kept = false;

		snprintf(old, sizeof(old), "%s",
			 sif->nif.lower[0] ? sif->nif.lower : sif->nif.name);
		for (size_t j = 0; j < next->n_interfaces && !kept; j++) {
			lower_of(next->interfaces[j].name, now);
			kept = !strcmp(now, old);
		}
		if (!kept &&
		    dx_bpf_detach(d->bpf.pin_dir, old, err, sizeof(err)) == 0)
			log_info("detached from %s (no longer configured)",
				 old);
	}
}

/* ---- interfaces that go away and come back --------------------------- */

static bool same_netif(const struct netif *a, const struct netif *b)
{
	return a->ifindex == b->ifindex && a->addr == b->addr &&
	       !memcmp(a->mac, b->mac, 6) &&
	       a->lower_ifindex == b->lower_ifindex && a->vlan == b->vlan &&
	       a->svlan == b->svlan;
}

/* Networks in the XDP maps follow the interfaces as they are now. */
static void resync_networks(struct daemon *d)
{
	struct map_sync_report rep = {0};
	char err[512];

	if (map_sync_config(&d->bpf, d->cfg, d->eng, &d->slots, &rep, err,
			    sizeof(err)))
		log_err("interfaces changed, but the XDP maps could not "
			"follow: %s",
			err);
}

/* Nothing to do for an interface served and unchanged, or still not
 * there for the same reason; anything else is a change. */
static bool settle_needed(const struct served_if *sif, int found,
			  const struct netif *now)
{
	if (found)
		return sif->up || sif->nif.ifindex || found != sif->down_err;
	return !sif->up || !same_netif(now, &sif->nif);
}

/* One interface after a burst settled; true when its network changed. */
static bool settle_one(struct daemon *d, size_t i, int found,
		       const struct netif *now)
{
	struct served_if *sif = &d->ifs[i];
	char a[FMT_IPV4_LEN], b[FMT_IPV4_LEN];

	if (found) {
		bool was = sif->up || sif->nif.ifindex;

		if (sif->up)
			log_warn("%s: %s (was ifindex %u): not serving it "
				 "until it is back",
				 sif->nif.name, netif_strerror(found),
				 sif->nif.ifindex);
		else if (found != sif->down_err)
			log_warn("%s: %s: not serving it yet", sif->nif.name,
				 netif_strerror(found));
		stop_serving(sif, found);
		sif->nif.ifindex = 0; /* its network leaves the maps */
		return was;
	}
	if (sif->up && same_netif(now, &sif->nif))
		return false;
	if (sif->up && now->ifindex == sif->nif.ifindex &&
	    now->lower_ifindex == sif->nif.lower_ifindex &&
	    now->vlan == sif->nif.vlan && now->svlan == sif->nif.svlan) {
		/* Same interface, another address or MAC: the socket and
		 * XDP stay, the server id and the maps follow. */
		log_info("%s: server id %s (was %s)%s", sif->nif.name,
			 fmt_ipv4(a, now->addr), fmt_ipv4(b, sif->nif.addr),
			 memcmp(now->mac, sif->nif.mac, 6) ? ", new MAC" : "");
		sif->nif = *now;
		return true;
	}
	if (sif->up)
		log_warn("%s was replaced (ifindex %u, now %u)", sif->nif.name,
			 sif->nif.ifindex, now->ifindex);
	if (serve_if(d, d->cfg, i) == 0)
		log_serving(sif, " again");
	return true;
}

/* A burst of link changes has settled: look every configured interface
 * up again and serve what can be served. */
static void interfaces_settle(struct daemon *d)
{
	struct netif now[DAEMON_MAX_IFS];
	int found[DAEMON_MAX_IFS];
	bool act = false, changed = false;

	for (size_t i = 0; i < d->n_ifs; i++) {
		found[i] = netif_lookup(d->cfg->interfaces[i].name,
					d->cfg->interfaces[i].addr, &now[i]);
		act |= settle_needed(&d->ifs[i], found[i], &now[i]);
	}
	if (!act)
		return;
	/* Replies queued for a socket about to close leave first, as on
	 * a reload. */
	daemon_sync(d);
	for (size_t i = 0; i < d->n_ifs; i++)
		changed |= settle_one(d, i, found[i], &now[i]);
	if (changed)
		resync_networks(d);
	rx_filters_refresh(d);
}

static void settle_arm(struct daemon *d)
{
	struct itimerspec its = {{0, 0}, {0, 0}};
	int64_t now = now_mono_ms(), due;

	if (!d->settle_since)
		d->settle_since = now;
	due = now + SETTLE_QUIET_MS;
	if (due > d->settle_since + SETTLE_MAX_MS)
		due = d->settle_since + SETTLE_MAX_MS;
	if (due <= now)
		due = now + 1;
	its.it_value.tv_sec = (due - now) / 1000;
	its.it_value.tv_nsec = (long)((due - now) % 1000) * 1000000;
	if (timerfd_settime(d->settle_fd, 0, &its, NULL))
		log_err("link watch: timer: %s", strerror(errno));
}

static void on_link_event(const struct link_event *ev, void *arg)
{
	struct daemon *d = arg;
	bool ours = ev->kind == LINK_EV_OVERRUN;

	for (size_t i = 0; i < d->n_ifs; i++) {
		struct served_if *sif = &d->ifs[i];

		/* A VLAN's lower device: its socket and XDP are there. */
		bool lower = sif->up && sif->nif.lower_ifindex &&
			     ev->ifindex == sif->nif.lower_ifindex;

		if (!(sif->up && ev->ifindex == sif->nif.ifindex) && !lower &&
		    strcmp(ev->name, sif->nif.name))
			continue;
		ours = true;
		if (ev->kind != LINK_EV_DEL || !sif->up ||
		    (ev->ifindex != sif->nif.ifindex && !lower))
			continue;
		/* Its ifindex is dead for good: stop at once. */
		daemon_sync(d);
		log_warn("%s is gone (ifindex %u): not serving it until an "
			 "interface of that name is back",
			 sif->nif.name, sif->nif.ifindex);
		stop_serving(sif, -ENODEV);
		/* Its network's frames go back to the device's first
		 * interface, which counts them. */
		rx_filters_refresh(d);
	}
	if (ev->kind == LINK_EV_OVERRUN)
		log_warn("link watch: events were lost; looking at every "
			 "interface again");
	/* Under "*", a link or address that is not served yet may be one
	 * to serve: the settle looks. */
	if (ours || (d->cfg->interfaces_all && ev->kind != LINK_EV_DEL))
		settle_arm(d);
}

static void on_links(struct daemon *d)
{
	int ret = link_watch_read(&d->links, on_link_event, d);

	if (ret < 0)
		log_limited(&d->lim_links, now_mono(), 60, LOG_LVL_ERR,
			    "link watch: %s", strerror(-ret));
}

static int daemon_reload(struct daemon *d);

static void on_settle(struct daemon *d)
{
	uint64_t ticks;

	if (read(d->settle_fd, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
		return;
	d->settle_since = 0;
	/* A new interface under "*": a reload serves it as a start would
	 * (subnets, maps and sockets follow). */
	if (all_ifs_grew(d->cfg)) {
		log_info("interfaces \"*\": a new interface is up with an "
			 "IPv4 address");
		daemon_reload(d);
		return;
	}
	interfaces_settle(d);
}

/* ---- start, reload, stop -------------------------------------------- */

static int setup_fds(struct daemon *d)
{
	struct itimerspec its = {.it_interval = {1, 0}, .it_value = {1, 0}};
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
	d->timerfd =
		timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	d->settle_fd =
		timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (d->epfd < 0 || d->sigfd < 0 || d->timerfd < 0 || d->settle_fd < 0 ||
	    timerfd_settime(d->timerfd, 0, &its, NULL))
		return -errno;
	if (epoll_add(d->epfd, d->sigfd, TAG_SIGNAL) ||
	    epoll_add(d->epfd, d->timerfd, TAG_TIMER) ||
	    epoll_add(d->epfd, d->settle_fd, TAG_SETTLE) ||
	    epoll_add(d->epfd, ring_buffer__epoll_fd(d->rb), TAG_RING))
		return -errno;
	ret = epoll_add(d->epfd, link_watch_fd(&d->links), TAG_LINKS);
	if (ret)
		return ret;
	/* After the signals are blocked: the writer thread inherits that. */
	ret = commitq_init(&d->cq, d->db, slowpath_commit_done, d, true);
	if (ret)
		return ret;
	return epoll_add(d->epfd, commitq_fd(&d->cq), TAG_COMMIT) ? -errno : 0;
}

static int alloc_work(struct daemon *d)
{
	d->msgs = calloc(DAEMON_BATCH, sizeof(*d->msgs));
	d->results = calloc(DAEMON_BATCH, sizeof(*d->results));
	d->pending = calloc(DAEMON_PENDING_MAX, sizeof(*d->pending));
	return d->msgs && d->results && d->pending ? 0 : -ENOMEM;
}

static int serve_interface(struct daemon *d, const char *name, bool serve);

/* What the control socket may ask of the daemon. */
static const struct control_ops control_ops = {
	.reload = daemon_reload,
	.serve_interface = serve_interface,
};

/*
 * Hold UDP port 67 so that the host's stack takes relayed requests XDP
 * passes up quietly instead of answering the relay with ICMP port
 * unreachable (kernel/udp_port.h). Serving does not depend on it: a
 * failure is a warning.
 */
static void bind_server_port(struct daemon *d)
{
	char why[160];
	int ret = udp_port_open(&d->udp67_fd, why, sizeof(why));

	if (!ret)
		return;
	log_warn("cannot hold UDP port 67 (%s)%s; relayed requests the fast "
		 "path passes up still reach the daemon, but the host also "
		 "answers each with ICMP port unreachable",
		 why,
		 ret == -EACCES || ret == -EPERM
			 ? ": grant CAP_NET_BIND_SERVICE"
		 : ret == -EADDRINUSE ? ": another DHCP server holds it"
				      : "");
}

/* The sender of name change requests for d->cfg (daemon/ddns.h). */
static int ddns_start(struct daemon *d)
{
	const struct ddns_counters cnt = {
		.queued = &d->cnt.ddns_queued,
		.sent = &d->cnt.ddns_sent,
		.dropped = &d->cnt.ddns_dropped,
		.send_errors = &d->cnt.ddns_send_errors,
	};

	return ddns_open(&d->ddns, &d->cfg->ddns, cnt);
}

static int daemon_start(struct daemon *d, const char *path)
{
	struct restore rs;
	char err[512];
	int ret;

	snprintf(d->config_path, sizeof(d->config_path), "%s", path);
	d->epfd = d->sigfd = d->timerfd = d->settle_fd = d->links.fd = -1;
	d->ddns.fd = -1;
	d->udp67_fd = -1;
	d->wd.fd = -1;
	d->started = time(NULL);
	ret = alloc_work(d);
	if (ret) {
		log_err("out of memory");
		return ret;
	}
	d->cfg = load_config(d, path);
	if (!d->cfg)
		return -EINVAL;
	ret = ddns_start(d);
	if (ret)
		return ret;
	/* First, so a second daemon on the same socket stops here. */
	ret = control_open(d, &control_ops);
	if (ret)
		return ret;
	/* Before the maps too: a bad metrics-listen touches nothing. Like
	 * the control socket, opened once: a change needs a restart. */
	ret = metrics_http_open(d, &d->http);
	if (ret)
		return ret;
	/* Kea's HTTP/HTTPS control sockets, TLS files read here: unlike
	 * the Unix socket, a reload opens them anew (control_http.h). */
	ret = control_http_open(d, &d->ctl_http);
	if (ret)
		return ret;
	bind_server_port(d);
	ret = open_db(d->cfg, &d->db);
	if (ret)
		return ret;
	/* LISTENing before the rows are read: no other server's change
	 * after the load is missed. */
	peer_sync_open(d);
	/* Subscribed before any interface is looked up (the maps' networks
	 * below): a change from then on is not missed. */
	ret = link_watch_open(&d->links);
	if (ret) {
		log_err("cannot watch the interfaces (rtnetlink): %s",
			strerror(-ret));
		return ret;
	}
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
	ret = restore_engine(d, d->cfg, &d->eng, &rs);
	if (ret)
		return ret;
	log_info("loaded %zu lease rows from %s", rs.rows,
		 lease_db_name(d->db));
	ret = map_slots_load(&d->bpf, &d->slots);
	if (ret)
		log_err("cannot read the pinned subnet slots: %s",
			strerror(-ret));
	/* The walk first: it also keeps the expiries XDP wrote. */
	if (!ret && d->bpf.reused)
		restore_prune_map(d, &rs);
	if (!ret)
		ret = restore_fill_maps(d, d->cfg, d->eng, &rs, false);
	restore_free(&rs);
	if (ret)
		return ret;
	ret = history_start(d);
	if (!ret)
		ret = ha_watch_start(d);
	if (ret)
		return ret;
	ret = horizon_attach(d);
	if (ret) {
		log_err("cannot read the events ring buffer: %s",
			strerror(-ret));
		return ret;
	}
	ret = setup_fds(d);
	if (!ret)
		ret = epoll_add(d->epfd, control_fd(d->ctl), TAG_CONTROL);
	if (!ret && d->http)
		ret = epoll_add(d->epfd, metrics_http_fd(d->http), TAG_METRICS);
	if (!ret)
		ret = epoll_add(d->epfd, control_http_fd(d->ctl_http),
				TAG_CTL_HTTP);
	if (ret) {
		log_err("cannot set up the event loop: %s", strerror(-ret));
		return ret;
	}
	peer_sync_register(d, TAG_PEERS);
	control_tick(d); /* the fast-path share's first sample */
	return open_interfaces(d, d->cfg);
}

/*
 * Re-read the configuration (SIGHUP, config-reload). 0, or a negative
 * errno with the previous configuration still served (or, after a failure
 * to serve an interface, the new one served in part).
 */
static int daemon_reload(struct daemon *d)
{
	struct dx_config *next;
	struct engine *eng;
	struct restore rs;
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
	/* The HTTP sockets' files are read and their addresses bound
	 * first: one that cannot be opened refuses the reload. */
	ret = control_http_prepare(d->ctl_http, next);
	if (ret) {
		log_err("reload failed: a control socket cannot be opened; "
			"still serving the previous configuration");
		config_free(next);
		goto out;
	}
	/* Renewals noted by the old engine, and everything queued for the
	 * disk, are written first: the new engine is built from the
	 * database, and the interfaces replies wait for may go away. */
	daemon_sync(d);
	ret = restore_engine(d, next, &eng, &rs);
	if (ret) {
		config_free(next);
		goto out;
	}
	/* A reload writes no lease entry anew (the map holds them, with
	 * XDP's expiries): only entries of leases now gone are removed. */
	ret = restore_fill_maps(d, next, eng, &rs, true);
	if (ret) {
		engine_free(eng);
		config_free(next);
		restore_free(&rs);
		goto out;
	}
	/* Leases of a subnet no longer configured leave the map too. */
	if (subnet_removed(d->cfg, next))
		restore_prune_map(d, &rs);
	restore_free(&rs);
	map_sync_drop_reservations(&d->bpf, d->cfg, next);
	detach_removed(d, next);
	close_interfaces(d);
	engine_carry_relay_counts(eng, d->eng); /* not in the rows */
	engine_free(d->eng);
	config_free(d->cfg);
	d->eng = eng;
	d->cfg = next;
	(void)ha_watch_reload(d); /* logged; the pair is not the interfaces */
	control_http_commit(d->ctl_http);
	/* What is queued goes to the old D2; then the new settings. */
	ddns_flush(&d->ddns);
	ddns_close(&d->ddns);
	if (ddns_start(d))
		log_err("reload: DNS updates are off until the next reload");
	ret = open_interfaces(d, d->cfg);
	if (ret)
		log_err("reload: not every interface could be served");
	else
		log_id(LOG_LVL_INFO, "DHCPXDP_RECONFIGURED", "reloaded");
out:
	control_http_abort(d->ctl_http); /* what a failed reload opened */
	sd_notify_send("READY=1");
	return ret;
}

/* control_ops.serve_interface (control.h) */
static int serve_interface(struct daemon *d, const char *name, bool serve)
{
	size_t i;
	int ret;

	for (i = 0; i < d->n_runtime_ifs; i++)
		if (!strcmp(d->runtime_ifs[i], name))
			break;
	if (serve) {
		struct netif nif;

		if (i < d->n_runtime_ifs ||
		    config_lists_interface(d->cfg, name))
			return -EEXIST;
		if (d->n_runtime_ifs == DAEMON_MAX_RUNTIME_IFS)
			return -ENOSPC;
		/* A reload serves what it can: one that cannot be served
		 * now would stay configured, so it is refused here. */
		ret = netif_lookup(name, 0, &nif);
		if (ret) {
			log_err("interface %s: %s", name, netif_strerror(ret));
			return ret;
		}
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
	/* First: no command may come in while the rest closes. */
	control_http_close(d->ctl_http);
	d->ctl_http = NULL;
	if (d->eng)
		daemon_sync(d);
	/* Before the interfaces close: queued replies still go out. */
	commitq_fini(&d->cq);
	history_stop(d);
	ha_watch_stop(d);
	close_interfaces(d);
	control_close(d);
	ddns_flush(&d->ddns);
	ddns_close(&d->ddns);
	metrics_http_close(d->http);
	ring_buffer__free(d->rb);
	if (d->epfd >= 0)
		close(d->epfd);
	if (d->sigfd >= 0)
		close(d->sigfd);
	if (d->timerfd >= 0)
		close(d->timerfd);
	if (d->settle_fd >= 0)
		close(d->settle_fd);
	link_watch_close(&d->links);
	udp_port_close(&d->udp67_fd);
	sd_watchdog_close(&d->wd);
	dx_bpf_close(&d->bpf);
	engine_free(d->eng);
	peer_sync_close(d);
	free(d->lost_keys);
	lease_db_close(d->db);
	config_free(d->cfg);
	free(d->msgs);
	free(d->results);
	free(d->pending);
	lease_events_free(&d->lev[0]);
	lease_events_free(&d->lev[1]);
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

/* Frames the kernel dropped on our packet sockets: the slow path did not
 * keep up, and those clients wait for a retransmission. */
static void count_socket_drops(struct daemon *d)
{
	struct pkt_io_stats st;

	for (size_t i = 0; i < d->n_ifs; i++) {
		struct served_if *sif = &d->ifs[i];
		uint64_t n;

		if (!sif->up || pkt_io_stats(&sif->sock, &st) ||
		    st.kernel_drops == sif->drops_seen)
			continue;
		n = st.kernel_drops - sif->drops_seen;
		sif->drops_seen = st.kernel_drops;
		d->cnt.rx_socket_drops += n;
		log_limited(&d->lim_socket, now_mono(), 60, LOG_LVL_WARN,
			    "%s: the kernel dropped %llu frames, the packet "
			    "socket's queue was full (the daemon is not "
			    "keeping up)",
			    sif->nif.name, (unsigned long long)n);
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
	ddns_flush(&d->ddns); /* what the socket did not take at once */
	db_link_tick(d);
	peer_sync_tick(d, TAG_PEERS);
	history_tick(d);
	ha_watch_tick(d);
	count_socket_drops(d);
	control_tick(d);
	metrics_http_run(d->http); /* idle connections time out */
	control_http_run(d->ctl_http);
}

/* WatchdogSec=: the pings come from the loop itself, so a loop that no
 * longer turns gets the daemon restarted. A watchdog that cannot be set
 * up is logged and the daemon serves on: systemd will restart it. */
static void watchdog_start(struct daemon *d)
{
	int ret = sd_watchdog_open(&d->wd);

	if (ret > 0)
		ret = epoll_add(d->epfd, d->wd.fd, TAG_WATCHDOG);
	if (ret < 0)
		log_err("systemd watchdog: %s; no WATCHDOG=1 will be sent",
			strerror(-ret));
	else if (d->wd.fd >= 0)
		log_info("systemd watchdog: WATCHDOG=1 every %llu ms",
			 (unsigned long long)(d->wd.interval_usec / 1000));
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

			if (tag < d->n_ifs && d->ifs[tag].up)
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
			else if (tag == TAG_CTL_HTTP)
				control_http_run(d->ctl_http);
			else if (tag == TAG_COMMIT)
				commitq_on_event(&d->cq);
			else if (tag == TAG_LINKS)
				on_links(d);
			else if (tag == TAG_SETTLE)
				on_settle(d);
			else if (tag == TAG_WATCHDOG)
				(void)sd_watchdog_ping(&d->wd);
			else if (tag == TAG_PEERS)
				peer_sync_event(d);
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
		/* The cause is logged above; this line makes sure a failed
		 * start never goes without one. */
		log_err("not started (%s)", strerror(-ret));
		daemon_stop(d);
		free(d);
		return 1;
	}
	sd_notify_send("READY=1");
	log_id(LOG_LVL_INFO, "DHCPXDP_STARTED", "ready");
	watchdog_start(d);
	loop(d);
	sd_notify_send("STOPPING=1");
	ret = d->exit_failure;
	daemon_stop(d);
	free(d);
	return ret;
}
