// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * `dhcpxdp stats`: the XDP program's counters, read from the pinned
 * per-CPU map, so it works whether or not the daemon runs.
 *
 * --watch SECONDS refreshes like watch(1), with per-second rates next to
 * the totals (--json: one object per refresh, one per line).
 * --prometheus prints the format of the daemon's /metrics (metrics.c):
 * the XDP counters always, and the daemon's counters, drops, pools and
 * lease map when its control socket answers; dhcpxdp_daemon_up says
 * which. --watch and --prometheus do not mix (Prometheus scrapes).
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <json-c/json.h>
#include <dhcpxdp/abi.h>
#include <dhcpxdp/stats.h>
#include "cli/cli.h"
#include "config/config.h"
#include "cli/control_client.h"
#include "daemon/metrics.h"
#include "kernel/xdp_stats.h"

/* Bounds of --watch: below 0.1 s the screen only flickers. */
#define WATCH_MIN_S 0.1
#define WATCH_MAX_S 86400.0

/* Sum every counter over the CPUs. */
static int read_stats(const char *pin_dir, uint64_t out[DX_STAT_MAX])
{
	char path[4096];
	int fd, ret;

	snprintf(path, sizeof(path), "%s/%s", pin_dir, DX_MAP_STATS);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return -errno;
	ret = xdp_stats_read(fd, out);
	close(fd);
	return ret;
}

static void stats_error(const char *pin_dir, int ret)
{
	fprintf(stderr, "dhcpxdp stats: cannot read %s/%s: %s%s\n", pin_dir,
		DX_MAP_STATS, strerror(-ret),
		ret == -ENOENT ? " (is dhcpxdp attached? is bpffs "
				 "mounted? is --pin-dir right?)"
		: ret == -EPERM || ret == -EACCES ? " (run as root)"
		: ret == -EPROTO ? " (pinned by another dhcpxdp version: "
				   "stop it, 'dhcpxdp detach' every interface "
				   "and remove the pin directory)"
				 : "");
}

static void print_table(const uint64_t *v)
{
	for (int i = 0; i < DX_STAT_MAX; i++)
		printf("%-24s %12llu  %s\n", xdp_stat_name(i),
		       (unsigned long long)v[i], xdp_stat_help(i));
}

static void print_json(const uint64_t *v)
{
	printf("{");
	for (int i = 0; i < DX_STAT_MAX; i++)
		printf("%s\"%s\": %llu", i ? ", " : "", xdp_stat_name(i),
		       (unsigned long long)v[i]);
	printf("}\n");
}

/* ---- --prometheus ------------------------------------------------------ */

/* Ask the daemon; false (and s untouched) when it does not answer. */
static bool daemon_part(const char *sock, struct metrics_snapshot *s)
{
	struct json_object *st = NULL, *stat = NULL, *a1 = NULL, *a2 = NULL;
	char err[1200];
	bool ok;

	ok = ctl_call(sock, "dhcpxdp-statistic-get-all", NULL, &st, err,
		      sizeof(err)) == 0 &&
	     ctl_call(sock, "status", NULL, &stat, err, sizeof(err)) == 0;
	if (ok) {
		json_object_object_get_ex(st, "arguments", &a1);
		json_object_object_get_ex(stat, "arguments", &a2);
		ok = metrics_snapshot_from_json(s, a1, a2) == 0;
	}
	json_object_put(st);
	json_object_put(stat);
	return ok;
}

static int print_prometheus(const char *pin_dir, const char *sock)
{
	struct metrics_snapshot s;
	int ret, xret;

	memset(&s, 0, sizeof(s));
	xret = read_stats(pin_dir, s.xdp);
	s.have_xdp = xret == 0;
	if (!daemon_part(sock, &s)) {
		metrics_snapshot_free(&s);
		memset(&s, 0, sizeof(s));
		s.have_xdp = read_stats(pin_dir, s.xdp) == 0;
	}
	if (!s.have_xdp && !s.daemon_up) {
		stats_error(pin_dir, xret);
		metrics_snapshot_free(&s);
		return 1;
	}
	ret = metrics_write(stdout, &s);
	metrics_snapshot_free(&s);
	return ret || fflush(stdout) ? 1 : 0;
}

/* ---- --watch ------------------------------------------------------------ */

static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Per second between two totals; a counter that went backwards (the maps
 * were recreated) counts from zero. */
static double rate(uint64_t now, uint64_t before, double secs)
{
	return (double)(now >= before ? now - before : now) / secs;
}

static void watch_table(const char *pin_dir, double every, const uint64_t *v,
			const uint64_t *prev, double secs, bool tty)
{
	char when[32], r[32];
	time_t t = time(NULL);

	strftime(when, sizeof(when), "%F %T", localtime(&t));
	if (tty)
		fputs("\033[H\033[2J", stdout); /* home, clear: as watch(1) */
	printf("every %gs: dhcpxdp stats (%s)  %s\n\n", every, pin_dir, when);
	printf("%-24s %12s %12s  %s\n", "counter", "total", "per second", "");
	for (int i = 0; i < DX_STAT_MAX; i++) {
		if (prev)
			snprintf(r, sizeof(r), "%.1f",
				 rate(v[i], prev[i], secs));
		else
			snprintf(r, sizeof(r), "-");
		printf("%-24s %12llu %12s  %s\n", xdp_stat_name(i),
		       (unsigned long long)v[i], r, xdp_stat_help(i));
	}
	if (!tty)
		printf("\n");
}

static void watch_json(double every, const uint64_t *v, const uint64_t *prev,
		       double secs)
{
	printf("{\"time\": %lld, \"interval\": %g, \"counters\": {",
	       (long long)time(NULL), every);
	for (int i = 0; i < DX_STAT_MAX; i++)
		printf("%s\"%s\": %llu", i ? ", " : "", xdp_stat_name(i),
		       (unsigned long long)v[i]);
	printf("}, \"rates\": ");
	if (!prev) {
		printf("null}\n");
		return;
	}
	printf("{");
	for (int i = 0; i < DX_STAT_MAX; i++)
		printf("%s\"%s\": %.3f", i ? ", " : "", xdp_stat_name(i),
		       rate(v[i], prev[i], secs));
	printf("}}\n");
}

static int watch(const char *pin_dir, double every, bool json)
{
	struct sigaction sa = {.sa_handler = on_interrupt};
	uint64_t v[DX_STAT_MAX], prev[DX_STAT_MAX];
	bool tty = isatty(STDOUT_FILENO), have_prev = false;
	double t_prev = 0, t;
	struct timespec next;
	int ret;

	/* No SA_RESTART: the sleep ends at once on ^C. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ret = read_stats(pin_dir, v);
	if (ret) {
		stats_error(pin_dir, ret);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!interrupted) {
		t = mono_s();
		if (have_prev || !ret) {
			if (json)
				watch_json(every, v, have_prev ? prev : NULL,
					   t - t_prev);
			else
				watch_table(pin_dir, every, v,
					    have_prev ? prev : NULL, t - t_prev,
					    tty);
			fflush(stdout);
			memcpy(prev, v, sizeof(v));
			have_prev = true;
			t_prev = t;
		}
		/* Absolute deadlines: no drift from the time printing takes. */
		next.tv_sec += (time_t)every;
		next.tv_nsec += (long)((every - (double)(time_t)every) * 1e9);
		if (next.tv_nsec >= 1000000000L) {
			next.tv_sec++;
			next.tv_nsec -= 1000000000L;
		}
		while (!interrupted &&
		       clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next,
				       NULL) == EINTR)
			;
		if (interrupted)
			break;
		ret = read_stats(pin_dir, v);
		if (ret) {
			/* Maps gone (detached, restarted): say so, keep
			 * watching, rates restart when they are back. */
			stats_error(pin_dir, ret);
			have_prev = false;
		}
	}
	if (tty && !json)
		printf("\n");
	return 0;
}

/* ---- the command --------------------------------------------------------- */

struct stats_opts {
	const char *pin_dir, *config, *socket;
	bool json, prometheus;
	double watch;
};

static int show_once(const char *pin_dir, bool json)
{
	uint64_t v[DX_STAT_MAX];
	int ret;

	ret = read_stats(pin_dir, v);
	if (ret) {
		stats_error(pin_dir, ret);
		return 1;
	}
	if (json)
		print_json(v);
	else
		print_table(v);
	return 0;
}

static int do_stats(void *opts)
{
	const struct stats_opts *o = opts;
	char pin_dir[4096], sock[4096];
	struct dx_config *cfg;

	if (o->json && o->prometheus) {
		fprintf(stderr, "dhcpxdp stats: --json and --prometheus do not "
				"mix\n");
		return EXIT_USAGE;
	}
	if (o->watch && (o->watch < WATCH_MIN_S || o->watch > WATCH_MAX_S)) {
		fprintf(stderr,
			"dhcpxdp stats: --watch %g: give seconds "
			"between %g and %g\n",
			o->watch, WATCH_MIN_S, WATCH_MAX_S);
		return EXIT_USAGE;
	}
	if (o->watch && o->prometheus) {
		fprintf(stderr, "dhcpxdp stats: --watch does not mix with "
				"--prometheus (Prometheus scrapes: set "
				"dhcpxdp.metrics-listen instead)\n");
		return EXIT_USAGE;
	}
	if (cli_config("stats", o->config, &cfg))
		return 1;
	snprintf(pin_dir, sizeof(pin_dir), "%s",
		 o->pin_dir ? o->pin_dir : cfg->dhcpxdp.pin_dir);
	snprintf(sock, sizeof(sock), "%s",
		 o->socket ? o->socket : cfg->control_socket.socket_name);
	config_free(cfg);
	if (o->watch)
		return watch(pin_dir, o->watch, o->json);
	if (o->prometheus)
		return print_prometheus(pin_dir, sock);
	return show_once(pin_dir, o->json);
}

#define S(nm, ty, field, val, hlp) \
	PARAM_OPT(nm, 0, ty, struct stats_opts, field, val, hlp)

static const struct param stats_params[] = {
	S("json", PARAM_FLAG, json, NULL,
	  "one JSON object (with --watch: one per line)"),
	S("prometheus", PARAM_FLAG, prometheus, NULL,
	  "Prometheus text format, as the daemon's\n"
	  "/metrics; the daemon's metrics too if its\n"
	  "control socket answers (dhcpxdp_daemon_up)"),
	S("watch", PARAM_DOUBLE, watch, "SECONDS",
	  "refresh every SECONDS with per-second rates,\n"
	  "until interrupted (not with --prometheus)"),
	S("pin-dir", PARAM_STR, pin_dir, "DIR", CLI_HELP_PIN_DIR),
	PARAM_OPT("config", 'c', PARAM_STR, struct stats_opts, config, "FILE",
		  CLI_HELP_CONFIG),
	S("socket", PARAM_STR, socket, "PATH", CLI_HELP_SOCKET),
	{0},
};

const struct cli_cmd cmd_stats = {
	.name = "stats",
	.summary = "show the XDP program's counters, each punt reason included",
	.params = stats_params,
	.opts_size = sizeof(struct stats_opts),
	.run = do_stats,
};
