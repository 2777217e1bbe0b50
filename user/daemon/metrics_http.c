// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The daemon's Prometheus endpoint (metrics.h): GET /metrics over HTTP,
 * served by libmicrohttpd in "external epoll" mode. MHD keeps its own
 * epoll set; the daemon watches that set's fd in its loop and calls
 * MHD_run() when it is readable (and on its 1 s timer, for connection
 * timeouts). So every request is answered on the daemon's thread, between
 * packet rounds, and reads the daemon's state directly, with no locks and
 * no copies kept in between.
 *
 * The listening socket is made here, not by MHD, so a bad address or a
 * port in use fails the start with the real reason.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <microhttpd.h>
#include "config/config.h"
#include "daemon/daemon_state.h"
#include "daemon/metrics.h"
#include "engine/engine.h"
#include "kernel/map_sync.h"
#include "kernel/xdp_stats.h"
#include "util/clock.h"
#include "util/fmt.h"

/* Connections served at once and how long an idle one lives: a scraper
 * needs one; the bound keeps a misbehaving client from costing much. */
#define METRICS_HTTP_CONNECTIONS 16
#define METRICS_HTTP_TIMEOUT_S	 5

struct metrics_http {
	struct daemon *d;
	struct MHD_Daemon *mhd;
	int epfd;
	struct log_limit lim;
};

int metrics_parse_listen(const char *s, struct sockaddr_storage *sa,
			 socklen_t *salen, char *err, size_t errlen)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon, *hs = s;
	size_t hl;
	char *end;
	long port;

	if (!s || !sa || !salen)
		return -EINVAL;
	memset(sa, 0, sizeof(*sa));
	colon = strrchr(s, ':');
	if (!colon || colon == s)
		goto bad;
	port = strtol(colon + 1, &end, 10);
	if (end == colon + 1 || *end || port < 1 || port > 65535)
		goto bad;
	hl = (size_t)(colon - s);
	if (s[0] == '[') { /* [v6]:port */
		if (hl < 3 || s[hl - 1] != ']')
			goto bad;
		hs = s + 1;
		hl -= 2;
	}
	if (hl >= sizeof(host))
		goto bad;
	memcpy(host, hs, hl);
	host[hl] = '\0';
	if (s[0] != '[') {
		struct sockaddr_in *in = (struct sockaddr_in *)sa;

		if (inet_pton(AF_INET, host, &in->sin_addr) != 1)
			goto bad;
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)port);
		*salen = sizeof(*in);
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)sa;

		if (inet_pton(AF_INET6, host, &in6->sin6_addr) != 1)
			goto bad;
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		*salen = sizeof(*in6);
	}
	return 0;
bad:
	if (err && errlen)
		snprintf(err, errlen,
			 "'%s' is not a numeric ADDRESS:PORT (e.g. "
			 "127.0.0.1:9100 or [::1]:9100; host names are not "
			 "resolved)",
			 s);
	return -EINVAL;
}

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned int code,
			     const char *type, char *body, size_t len,
			     enum MHD_ResponseMemoryMode mode,
			     const char *allow)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(len, body, mode);
	if (!r) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (allow)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow);
	ret = MHD_queue_response(conn, code, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result plain(struct MHD_Connection *conn, unsigned int code,
			     const char *text, const char *allow)
{
	return reply(conn, code, "text/plain; charset=utf-8", (char *)text,
		     strlen(text), MHD_RESPMEM_PERSISTENT, allow);
}

/*
 * Everything, on the daemon's thread: XDP counters from d->bpf's stats
 * map, counters, drops, subnets, lease map. 0 or a negative errno.
 */
static int snapshot_daemon(struct daemon *d, struct metrics_snapshot *s)
{
	size_t n;

	if (!d || !s || !d->eng || !d->cfg)
		return -EINVAL;
	memset(s, 0, sizeof(*s));
	s->have_xdp = xdp_stats_read(d->bpf.stats_fd, s->xdp) == 0;
	s->daemon_up = true;
	s->have_uptime = true;
	s->uptime = (uint64_t)(time(NULL) - d->started);
	metrics_set_daemon_counters(s, &d->cnt);
	s->have_commit_wait = true;
	s->commit_wait = d->commit_wait;
	for (int r = ENGINE_DROP_NONE + 1; r < __ENGINE_DROP_MAX; r++) {
		s->drops[r] = engine_drops(d->eng, r);
		s->drops_have[r] = true;
	}
	s->have_lease_map = true;
	s->lease_map_capacity = d->bpf.lease_capacity;
	n = engine_subnet_count(d->eng);
	s->subnets = n ? calloc(n, sizeof(*s->subnets)) : NULL;
	if (n && !s->subnets)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct metrics_subnet *sn = &s->subnets[s->n_subnets];
		const struct dx_subnet_conf *sc;
		struct engine_subnet_stats st;
		char ip[FMT_IPV4_LEN];

		if (engine_subnet_stats(d->eng, i, &st))
			continue;
		s->n_subnets++;
		sn->id = st.subnet_id;
		sc = config_subnet_by_id(d->cfg, st.subnet_id);
		if (sc) {
			snprintf(sn->prefix, sizeof(sn->prefix), "%s/%u",
				 fmt_ipv4(ip, sc->network), sc->prefix_len);
			s->lease_map_entries += map_reservations_in_xdp(sc);
		}
		sn->have_pool = sn->have_leases = sn->have_counters =
			sn->have_starvation = true;
		sn->total = st.total;
		sn->used = st.used;
		sn->free = st.free;
		sn->declined = st.declined;
		sn->reserved = st.reserved;
		sn->leases_active = st.leases_active;
		s->lease_map_entries += st.leases_active;
		sn->offers = st.offers;
		sn->acks = st.acks;
		sn->naks = st.naks;
		sn->declines = st.declines;
		sn->releases = st.releases;
		sn->informs = st.informs;
		sn->pool_exhausted = st.pool_exhausted;
		sn->offers_pressure = st.offers_pressure;
		sn->offers_taken_over = st.offers_taken_over;
		sn->declined_reclaimed = st.declined_reclaimed;
	}
	return 0;
}

/* Runs inside MHD_run(), i.e. on the daemon's thread. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **req_cls)
{
	struct metrics_http *h = cls;
	struct metrics_snapshot s;
	char *buf = NULL;
	size_t len = 0;
	int ret;

	(void)version;
	(void)upload;
	(void)upload_size;
	(void)req_cls;
	/* HEAD is GET without the body (MHD drops it). */
	if (strcmp(method, MHD_HTTP_METHOD_GET) &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD))
		return plain(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
			     "405 method not allowed: use GET\n", "GET, HEAD");
	if (strcmp(url, "/metrics"))
		return plain(conn, MHD_HTTP_NOT_FOUND,
			     "404 not found: the metrics are at /metrics\n",
			     NULL);
	ret = snapshot_daemon(h->d, &s);
	if (!ret)
		ret = metrics_render(&s, &buf, &len);
	metrics_snapshot_free(&s);
	if (ret) {
		log_limited(&h->lim, now_mono(), 60, LOG_LVL_WARN,
			    "metrics: cannot build the answer: %s",
			    strerror(-ret));
		return plain(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
			     "500 cannot build the metrics\n", NULL);
	}
	return reply(conn, MHD_HTTP_OK, METRICS_CONTENT_TYPE, buf, len,
		     MHD_RESPMEM_MUST_FREE, NULL);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct metrics_http *h = cls;
	char line[512];
	size_t n;

	vsnprintf(line, sizeof(line), fmt, ap);
	n = strlen(line);
	while (n && line[n - 1] == '\n')
		line[--n] = '\0';
	log_limited(&h->lim, now_mono(), 60, LOG_LVL_WARN, "metrics: %s", line);
}

static int listen_on(const char *spec, int *fd_out)
{
	struct sockaddr_storage sa;
	socklen_t salen;
	char err[256];
	int fd, one = 1, ret;

	ret = metrics_parse_listen(spec, &sa, &salen, err, sizeof(err));
	if (ret) {
		log_err("dhcpxdp.metrics-listen: %s", err);
		return ret;
	}
	fd = socket(sa.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
		    0);
	if (fd < 0) {
		ret = -errno;
		log_err("dhcpxdp.metrics-listen: cannot make a socket for %s: "
			"%s",
			spec, strerror(errno));
		return ret;
	}
	if (sa.ss_family == AF_INET6)
		/* [::]:PORT serves IPv6 only, as the address says. */
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, salen) || listen(fd, 32)) {
		ret = -errno;
		log_err("dhcpxdp.metrics-listen: cannot listen on %s: %s%s",
			spec, strerror(errno),
			errno == EADDRINUSE	 ? " (another program has the "
						   "port; pick another)"
			: errno == EADDRNOTAVAIL ? " (no interface has this "
						   "address)"
						 : "");
		close(fd);
		return ret;
	}
	*fd_out = fd;
	return 0;
}

int metrics_http_open(struct daemon *d, struct metrics_http **out)
{
	const union MHD_DaemonInfo *info;
	struct metrics_http *h;
	int fd = -1, ret;

	if (!d || !d->cfg || !out)
		return -EINVAL;
	*out = NULL;
	if (!d->cfg->dhcpxdp.metrics_listen)
		return 0;
	ret = listen_on(d->cfg->dhcpxdp.metrics_listen, &fd);
	if (ret)
		return ret;
	h = calloc(1, sizeof(*h));
	if (!h) {
		close(fd);
		return -ENOMEM;
	}
	h->d = d;
	/* No MHD_USE_INTERNAL_POLLING_THREAD: MHD runs only when we call
	 * MHD_run(), on our thread. MHD closes fd when it stops. */
	h->mhd = MHD_start_daemon(
		MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, h,
		/* the logger first, or MHD logs its first words itself */
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, h,
		MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_CONNECTION_LIMIT,
		(unsigned int)METRICS_HTTP_CONNECTIONS,
		MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned int)METRICS_HTTP_TIMEOUT_S, MHD_OPTION_END);
	if (!h->mhd) {
		log_err("dhcpxdp.metrics-listen: libmicrohttpd could not start "
			"on %s",
			d->cfg->dhcpxdp.metrics_listen);
		close(fd);
		free(h);
		return -EIO;
	}
	info = MHD_get_daemon_info(h->mhd, MHD_DAEMON_INFO_EPOLL_FD);
	if (!info || info->epoll_fd < 0) {
		log_err("metrics: libmicrohttpd has no epoll fd");
		metrics_http_close(h);
		return -EIO;
	}
	h->epfd = info->epoll_fd;
	log_info("metrics at http://%s/metrics",
		 d->cfg->dhcpxdp.metrics_listen);
	*out = h;
	return 0;
}

int metrics_http_fd(const struct metrics_http *h)
{
	return h ? h->epfd : -1;
}

void metrics_http_run(struct metrics_http *h)
{
	if (h)
		(void)MHD_run(h->mhd);
}

void metrics_http_close(struct metrics_http *h)
{
	if (!h)
		return;
	if (h->mhd)
		MHD_stop_daemon(h->mhd);
	free(h);
}
