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
#include <getopt.h>
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

#define X_NAME(id, name, help) name,
#define X_HELP(id, name, help) help,
static const char *const stat_name[DX_STAT_MAX] = {DX_STATS(X_NAME)};
static const char *const stat_help[DX_STAT_MAX] = {DX_STATS(X_HELP)};

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
	ret = metrics_read_xdp(fd, out);
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
						  : "");
}

static void print_table(const uint64_t *v)
{
	for (int i = 0; i < DX_STAT_MAX; i++)
		printf("%-24s %12llu  %s\n", stat_name[i],
		       (unsigned long long)v[i], stat_help[i]);
}

static void print_json(const uint64_t *v)
{
	printf("{");
	for (int i = 0; i < DX_STAT_MAX; i++)
		printf("%s\"%s\": %llu", i ? ", " : "", stat_name[i],
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

	ok = ctl_call(sock, "statistic-get-all", NULL, &st, err, sizeof(err)) ==
		     0 &&
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
		printf("%-24s %12llu %12s  %s\n", stat_name[i],
		       (unsigned long long)v[i], r, stat_help[i]);
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
		printf("%s\"%s\": %llu", i ? ", " : "", stat_name[i],
		       (unsigned long long)v[i]);
	printf("}, \"rates\": ");
	if (!prev) {
		printf("null}\n");
		return;
	}
	printf("{");
	for (int i = 0; i < DX_STAT_MAX; i++)
		printf("%s\"%s\": %.3f", i ? ", " : "", stat_name[i],
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

int cmd_stats(int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},
		{"prometheus", no_argument, NULL, 'P'},
		{"pin-dir", required_argument, NULL, 'p'},
		{"watch", required_argument, NULL, 'w'},
		{"config", required_argument, NULL, 'c'},
		{"socket", required_argument, NULL, 'S'},
		{0},
	};
	const char *pin_dir = NULL, *config = NULL, *sock = NULL;
	char pin_buf[4096], sock_buf[4096];
	struct dx_config *cfg = NULL;
	struct config_diag diag;
	double every = 0;
	int c, fmt = 0, ret;
	char *end;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
		case 'P':
			if (fmt && fmt != c) {
				fprintf(stderr, "dhcpxdp stats: --json and "
						"--prometheus do not mix\n");
				return EXIT_USAGE;
			}
			fmt = c;
			break;
		case 'p':
			pin_dir = optarg;
			break;
		case 'c':
			config = optarg;
			break;
		case 'S':
			sock = optarg;
			break;
		case 'w':
			errno = 0;
			every = strtod(optarg, &end);
			if (errno || end == optarg || *end ||
			    !isfinite(every) || every < WATCH_MIN_S ||
			    every > WATCH_MAX_S) {
				fprintf(stderr,
					"dhcpxdp stats: --watch '%s': give "
					"seconds between %g and %g\n",
					optarg, WATCH_MIN_S, WATCH_MAX_S);
				return EXIT_USAGE;
			}
			break;
		default:
			cli_usage("stats", 1);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "dhcpxdp stats: unexpected argument '%s'\n",
			argv[optind]);
		cli_usage("stats", 1);
		return EXIT_USAGE;
	}
	if (every > 0 && fmt == 'P') {
		fprintf(stderr, "dhcpxdp stats: --watch does not mix with "
				"--prometheus (Prometheus scrapes: set "
				"dhcpxdp.metrics-listen instead)\n");
		return EXIT_USAGE;
	}
	/* The configuration names the pin directory and the control socket;
	 * an explicit -c must load, the default one may be missing. */
	if (config_load(config ? config : DHCPXDP_DEFAULT_CONFIG, &cfg,
			&diag) == 0) {
		snprintf(pin_buf, sizeof(pin_buf), "%s", cfg->dhcpxdp.pin_dir);
		snprintf(sock_buf, sizeof(sock_buf), "%s",
			 cfg->control_socket.socket_name);
		config_free(cfg);
		if (!pin_dir)
			pin_dir = pin_buf;
		if (!sock)
			sock = sock_buf;
	} else if (config) {
		fprintf(stderr, "dhcpxdp stats: %s\n", diag.error);
		config_diag_free(&diag);
		return 1;
	}
	config_diag_free(&diag);
	if (!pin_dir)
		pin_dir = DHCPXDP_PIN_DIR_DEFAULT;
	if (!sock)
		sock = CONFIG_DEFAULT_CONTROL_SOCKET;

	if (every > 0)
		return watch(pin_dir, every, fmt == 'j');
	if (fmt == 'P')
		return print_prometheus(pin_dir, sock);
	{
		uint64_t v[DX_STAT_MAX];

		ret = read_stats(pin_dir, v);
		if (ret) {
			stats_error(pin_dir, ret);
			return 1;
		}
		if (fmt == 'j')
			print_json(v);
		else
			print_table(v);
	}
	return 0;
}
