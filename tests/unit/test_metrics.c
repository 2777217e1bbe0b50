// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The Prometheus writer (metrics.h): every line is a HELP/TYPE comment or
 * a sample per a strict reading of the text format, families are
 * contiguous and described before their samples, label values are
 * escaped, missing parts are left out; snapshots built from the control
 * socket's JSON; the metrics-listen address parser. No daemon.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "daemon/daemon_state.h"
#include "daemon/metrics.h"

/* ---- a strict checker of the text format ------------------------------ */

#define NAME   "[a-zA-Z_:][a-zA-Z0-9_:]*"
#define LNAME  "[a-zA-Z_][a-zA-Z0-9_]*"
#define LVALUE "\"([^\"\\\\\n]|\\\\[\\\\\"n])*\""
#define LABEL  LNAME "=" LVALUE

static const char *const re_help = "^# HELP (" NAME ") [^\n]*$";
static const char *const re_type =
	"^# TYPE (" NAME ") (counter|gauge|histogram|summary|untyped)$";
static const char *const re_sample = "^(" NAME ")(\\{" LABEL "(," LABEL
				     ")*\\})? (0|[1-9][0-9]*)(\\.[0-9]+)?$";

struct fam {
	char name[128];
	bool help, type, histogram;
};

/* A histogram's samples are NAME_bucket, NAME_sum and NAME_count. */
static bool in_family(const struct fam *f, const char *name)
{
	size_t n = strlen(f->name);

	if (!strcmp(f->name, name))
		return !f->histogram;
	return f->histogram && !strncmp(f->name, name, n) &&
	       (!strcmp(name + n, "_bucket") || !strcmp(name + n, "_sum") ||
		!strcmp(name + n, "_count"));
}

/*
 * Check text line by line; fail the test naming the first bad line.
 * Returns the number of samples.
 */
static size_t check_format(const char *text)
{
	regex_t help, type, smp;
	struct fam fams[256];
	size_t n_fams = 0, samples = 0;
	char *copy = strdup(text), *line, *save = NULL;
	regmatch_t m[3];

	assert_non_null(copy);
	assert_int_equal(regcomp(&help, re_help, REG_EXTENDED), 0);
	assert_int_equal(regcomp(&type, re_type, REG_EXTENDED), 0);
	assert_int_equal(regcomp(&smp, re_sample, REG_EXTENDED), 0);
	assert_true(strlen(text) > 0 && text[strlen(text) - 1] == '\n');
	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char name[128];
		bool is_help = !regexec(&help, line, 3, m, 0);
		bool is_type = !is_help && !regexec(&type, line, 3, m, 0);
		bool is_smp =
			!is_help && !is_type && !regexec(&smp, line, 3, m, 0);
		struct fam *f = n_fams ? &fams[n_fams - 1] : NULL;

		if (!is_help && !is_type && !is_smp)
			fail_msg("not a valid exposition line: '%s'", line);
		snprintf(name, sizeof(name), "%.*s",
			 (int)(m[1].rm_eo - m[1].rm_so), line + m[1].rm_so);
		if (is_help) {
			/* A new family: never seen before (contiguous). */
			for (size_t i = 0; i < n_fams; i++)
				if (!strcmp(fams[i].name, name))
					fail_msg("family %s appears twice",
						 name);
			assert_true(n_fams < 256);
			f = &fams[n_fams++];
			memset(f, 0, sizeof(*f));
			snprintf(f->name, sizeof(f->name), "%s", name);
			f->help = true;
		} else if (is_type) {
			if (!f || strcmp(f->name, name) || f->type)
				fail_msg("TYPE without its HELP: '%s'", line);
			f->type = true;
			f->histogram = strstr(line, " histogram") != NULL;
		} else {
			if (!f || !in_family(f, name) || !f->type)
				fail_msg("sample outside its family: '%s'",
					 line);
			samples++;
		}
	}
	regfree(&help);
	regfree(&type);
	regfree(&smp);
	free(copy);
	return samples;
}

static char *render(const struct metrics_snapshot *s)
{
	char *buf;
	size_t len;

	assert_int_equal(metrics_render(s, &buf, &len), 0);
	assert_int_equal(strlen(buf), len);
	return buf;
}

/* A snapshot with every part, two subnets, one with an awkward label. */
static void full(struct metrics_snapshot *s)
{
	memset(s, 0, sizeof(*s));
	s->have_xdp = true;
	for (int i = 0; i < DX_STAT_MAX; i++)
		s->xdp[i] = 1000 + (uint64_t)i;
	s->daemon_up = true;
	s->have_uptime = true;
	s->uptime = 42;
	for (int i = 0; i < METRICS_N_DAEMON; i++) {
		s->daemon_have[i] = true;
		s->daemon[i] = 2000 + (uint64_t)i;
	}
	for (int r = 1; r < __ENGINE_DROP_MAX; r++) {
		s->drops_have[r] = true;
		s->drops[r] = 3000 + (uint64_t)r;
	}
	s->have_lease_map = true;
	s->lease_map_capacity = 1048576;
	s->lease_map_entries = 25;
	s->n_subnets = 2;
	s->subnets = calloc(2, sizeof(*s->subnets));
	assert_non_null(s->subnets);
	for (size_t i = 0; i < 2; i++) {
		struct metrics_subnet *sn = &s->subnets[i];

		sn->id = (uint32_t)i + 1;
		sn->have_pool = sn->have_leases = sn->have_counters = true;
		sn->total = 100;
		sn->used = 25;
		sn->free = 75;
		sn->offers = 7;
	}
	snprintf(s->subnets[0].prefix, sizeof(s->subnets[0].prefix),
		 "10.0.0.0/24");
	snprintf(s->subnets[1].prefix, sizeof(s->subnets[1].prefix),
		 "a\"b\\c\nd");
}

/* ---- tests ------------------------------------------------------------- */

static void test_full_output_is_strictly_valid(void **state)
{
	struct metrics_snapshot s;
	char *out;

	(void)state;
	full(&s);
	out = render(&s);
	/* build_info, up, 7 XDP counters + 27 punts, uptime, 18 daemon,
	 * a drop per reason, 2 lease map, 13 per-subnet families x 2 subnets. */
	assert_int_equal(check_format(out),
			 2 + DX_STAT_MAX + 1 + METRICS_N_DAEMON +
				 (__ENGINE_DROP_MAX - 1) + 2 + 13 * 2);
	assert_non_null(strstr(out, "\ndhcpxdp_xdp_ack_total 1002\n"));
	assert_non_null(strstr(out, "\ndhcpxdp_xdp_punts_total{reason="
				    "\"discover\"} "));
	assert_non_null(strstr(out, "\ndhcpxdp_daemon_up 1\n"));
	assert_non_null(strstr(out, "\ndhcpxdp_lease_map_capacity 1048576\n"));
	assert_non_null(strstr(out, "\ndhcpxdp_engine_drops_total{reason="
				    "\"pool-exhausted\"} "));
	assert_non_null(strstr(out,
			       "\ndhcpxdp_subnet_pool_free_addresses{subnet_id="
			       "\"1\",subnet=\"10.0.0.0/24\"} 75\n"));
	free(out);
	metrics_snapshot_free(&s);
	assert_null(s.subnets);
}

/* The commit-wait histogram: cumulative buckets in seconds, +Inf the
 * count, the sum in seconds; the same through the control socket's JSON
 * (the CLI's path). */
static void test_commit_wait_histogram(void **state)
{
	struct metrics_snapshot s, t;
	struct json_object *stats;
	char *out, *out2;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.daemon_up = s.have_commit_wait = true;
	commit_wait_note(&s.commit_wait, 300);
	commit_wait_note(&s.commit_wait, 4000);
	commit_wait_note(&s.commit_wait, 9000000);
	out = render(&s);
	assert_int_equal(check_format(out), 2 + COMMIT_WAIT_BUCKETS + 3);
	assert_non_null(strstr(out,
			       "\n# TYPE dhcpxdp_daemon_commit_wait_seconds "
			       "histogram\n"));
	assert_non_null(strstr(out, "\ndhcpxdp_daemon_commit_wait_seconds_"
				    "bucket{le=\"0.0005\"} 1\n"));
	assert_non_null(strstr(out, "\ndhcpxdp_daemon_commit_wait_seconds_"
				    "bucket{le=\"0.005\"} 2\n"));
	assert_non_null(strstr(out, "\ndhcpxdp_daemon_commit_wait_seconds_"
				    "bucket{le=\"2.5\"} 2\n"));
	assert_non_null(strstr(out, "\ndhcpxdp_daemon_commit_wait_seconds_"
				    "bucket{le=\"+Inf\"} 3\n"));
	assert_non_null(strstr(out, "\ndhcpxdp_daemon_commit_wait_seconds_sum "
				    "9.004300\n"));
	assert_non_null(strstr(out, "\ndhcpxdp_daemon_commit_wait_seconds_"
				    "count 3\n"));
	stats = json_object_new_object();
	json_object_object_add(stats, "commit-wait",
			       commit_wait_json(&s.commit_wait));
	memset(&t, 0, sizeof(t));
	assert_int_equal(metrics_snapshot_from_json(&t, stats, NULL), 0);
	assert_true(t.have_commit_wait);
	out2 = render(&t);
	assert_string_equal(out, out2);
	json_object_put(stats);
	free(out);
	free(out2);
	metrics_snapshot_free(&t);
}

static void test_label_values_are_escaped(void **state)
{
	struct metrics_snapshot s;
	char *out;

	(void)state;
	full(&s);
	out = render(&s);
	/* a"b\c<LF>d -> a\"b\\c\nd */
	assert_non_null(strstr(out,
			       "subnet_id=\"2\",subnet=\"a\\\"b\\\\c\\nd\"} "
			       "75\n"));
	assert_null(strstr(out, "a\"b"));
	free(out);
	metrics_snapshot_free(&s);
}

static void test_escape_label(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(metrics_escape_label("plain", buf, sizeof(buf)), 5);
	assert_string_equal(buf, "plain");
	assert_int_equal(metrics_escape_label("a\\b\"c\nd", buf, sizeof(buf)),
			 10);
	assert_string_equal(buf, "a\\\\b\\\"c\\nd");
	/* Truncated output stays terminated; the length is still whole. */
	assert_int_equal(metrics_escape_label("\"\"\"", buf, 4), 6);
	assert_string_equal(buf, "\\\"\\");
	assert_int_equal(metrics_escape_label(NULL, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	assert_int_equal(metrics_escape_label("x\"", NULL, 0), 3);
}

static void test_missing_parts_are_left_out(void **state)
{
	struct metrics_snapshot s;
	char *out;

	(void)state;
	memset(&s, 0, sizeof(s));
	out = render(&s);
	assert_int_equal(check_format(out), 2);
	assert_non_null(strstr(out, "\ndhcpxdp_daemon_up 0\n"));
	assert_null(strstr(out, "dhcpxdp_xdp_"));
	assert_null(strstr(out, "dhcpxdp_subnet_"));
	assert_null(strstr(out, "dhcpxdp_engine_drops_total"));
	free(out);

	/* A subnet with only its pool known prints only the pool. */
	s.n_subnets = 1;
	s.subnets = calloc(1, sizeof(*s.subnets));
	assert_non_null(s.subnets);
	s.subnets[0].id = 9;
	s.subnets[0].have_pool = true;
	out = render(&s);
	check_format(out);
	assert_non_null(strstr(out, "dhcpxdp_subnet_pool_addresses{"));
	assert_null(strstr(out, "dhcpxdp_subnet_offers_total"));
	assert_null(strstr(out, "dhcpxdp_subnet_leases_active"));
	free(out);
	metrics_snapshot_free(&s);
}

static void test_every_daemon_counter_has_its_own_metric(void **state)
{
	struct daemon_counters c;
	uint64_t *v = (uint64_t *)&c;
	struct metrics_snapshot s;
	char *out, needle[64];

	(void)state;
	/* The struct and the table come from one list (daemon_counters.h). */
	assert_int_equal(sizeof(c), METRICS_N_DAEMON * sizeof(uint64_t));
	for (int i = 0; i < METRICS_N_DAEMON; i++)
		v[i] = 7000 + (uint64_t)i;
	memset(&s, 0, sizeof(s));
	metrics_set_daemon_counters(&s, &c);
	out = render(&s);
	check_format(out);
	for (int i = 0; i < METRICS_N_DAEMON; i++) {
		const char *p;

		snprintf(needle, sizeof(needle), "_total %d\n", 7000 + i);
		p = strstr(out, needle);
		if (!p)
			fail_msg("counter %d is not printed", i);
		assert_null(strstr(p + 1, needle));
	}
	assert_non_null(strstr(out, "\ndhcpxdp_daemon_rx_frames_total 7000\n"));
	/* the last of the list */
	snprintf(needle, sizeof(needle),
		 "\ndhcpxdp_daemon_ddns_send_errors_total %d\n",
		 7000 + METRICS_N_DAEMON - 1);
	assert_non_null(strstr(out, needle));
	free(out);
}

static const char *const stats_json =
	"{\"daemon\": {\"rx-frames\": 120, \"rx-malformed-frames\": 3, "
	"\"acks\": 60},"
	" \"drops\": {\"malformed\": 1, \"no-subnet\": 2},"
	" \"xdp\": null,"
	" \"subnets\": [{\"id\": 1, \"offers\": 30, \"acks\": 60, \"naks\": 0,"
	"  \"declines\": 0, \"releases\": 1, \"informs\": 0,"
	"  \"pool-exhausted\": 4, \"total-addresses\": 100,"
	"  \"assigned-addresses\": 25, \"declined-addresses\": 0}]}";
static const char *const status_json =
	"{\"uptime\": 3720, \"subnets\": [{\"id\": 1, \"subnet\": "
	"\"10.77.0.0/24\", \"pool\": {\"total\": 100, \"used\": 25, \"free\": "
	"75, \"declined\": 0, \"reserved\": 1}, \"leases\": 24},"
	" {\"id\": 2, \"subnet\": \"10.78.0.0/24\"}],"
	" \"lease-map\": {\"entries\": 25, \"capacity\": 4096}}";

static void test_snapshot_from_control_answers(void **state)
{
	struct json_object *st = json_tokener_parse(stats_json);
	struct json_object *ss = json_tokener_parse(status_json);
	struct metrics_snapshot s;
	char *out;

	(void)state;
	assert_non_null(st);
	assert_non_null(ss);
	memset(&s, 0, sizeof(s));
	assert_int_equal(metrics_snapshot_from_json(&s, st, ss), 0);
	assert_true(s.daemon_up);
	assert_false(s.have_xdp); /* "xdp": null */
	assert_true(s.have_uptime);
	assert_int_equal(s.uptime, 3720);
	assert_true(s.have_lease_map);
	assert_int_equal(s.lease_map_capacity, 4096);
	assert_int_equal(s.n_subnets, 2);
	assert_true(s.subnets[0].have_counters);
	assert_true(s.subnets[0].have_pool);
	assert_int_equal(s.subnets[0].reserved, 1);
	assert_int_equal(s.subnets[0].pool_exhausted, 4);
	assert_false(s.subnets[1].have_pool);
	out = render(&s);
	check_format(out);
	assert_non_null(strstr(out, "\ndhcpxdp_daemon_rx_frames_total 120\n"));
	assert_non_null(strstr(out, "\ndhcpxdp_daemon_rx_malformed_frames_total"
				    " 3\n"));
	/* A counter the answer lacks is left out, not printed as 0. */
	assert_null(strstr(out, "dhcpxdp_daemon_naks_total"));
	assert_non_null(strstr(out, "dhcpxdp_engine_drops_total{reason="
				    "\"no-subnet\"} 2\n"));
	assert_null(strstr(out, "reason=\"pool-exhausted\""));
	assert_non_null(
		strstr(out, "dhcpxdp_subnet_pool_reserved_addresses{subnet_id="
			    "\"1\",subnet=\"10.77.0.0/24\"} 1\n"));
	assert_non_null(strstr(out, "dhcpxdp_subnet_leases_active{subnet_id="
				    "\"1\",subnet=\"10.77.0.0/24\"} 24\n"));
	assert_null(strstr(out, "subnet_id=\"2\""));
	free(out);
	metrics_snapshot_free(&s);
	json_object_put(st);
	json_object_put(ss);
}

/*
 * The starvation defenses' counters (docs/protocol.md, "Starvation") and
 * the caps' drop reasons, from dhcpxdp-statistic-get-all; a daemon that
 * does not send them (an older one: the answer above) has them left out.
 */
static void test_snapshot_starvation_counters(void **state)
{
	struct json_object *st = json_tokener_parse(
		"{\"drops\": {\"cap-circuit-id\": 5, \"cap-relay-share\": 6},"
		" \"subnets\": [{\"id\": 1, \"offers-under-pressure\": 7,"
		"  \"offers-taken-over\": 8, \"declined-reclaimed\": 9}]}");
	struct metrics_snapshot s;
	char *out;

	(void)state;
	assert_non_null(st);
	memset(&s, 0, sizeof(s));
	assert_int_equal(metrics_snapshot_from_json(&s, st, NULL), 0);
	assert_true(s.subnets[0].have_starvation);
	assert_false(s.subnets[0].have_counters);
	out = render(&s);
	check_format(out);
	assert_non_null(strstr(out, "dhcpxdp_engine_drops_total{reason="
				    "\"cap-circuit-id\"} 5\n"));
	assert_non_null(strstr(out, "dhcpxdp_engine_drops_total{reason="
				    "\"cap-relay-share\"} 6\n"));
	assert_non_null(strstr(out, "dhcpxdp_subnet_offers_under_pressure_total"
				    "{subnet_id=\"1\",subnet=\"\"} 7\n"));
	assert_non_null(strstr(out, "dhcpxdp_subnet_offers_taken_over_total"
				    "{subnet_id=\"1\",subnet=\"\"} 8\n"));
	assert_non_null(strstr(out, "dhcpxdp_subnet_declined_reclaimed_total"
				    "{subnet_id=\"1\",subnet=\"\"} 9\n"));
	free(out);
	metrics_snapshot_free(&s);
	json_object_put(st);
}

static void test_snapshot_keeps_the_cli_xdp_counters(void **state)
{
	struct json_object *st = json_tokener_parse(
		"{\"xdp\": {\"packets\": 5}, \"daemon\": {}}");
	struct metrics_snapshot s;

	(void)state;
	/* An incomplete xdp object is not taken. */
	memset(&s, 0, sizeof(s));
	assert_int_equal(metrics_snapshot_from_json(&s, st, NULL), 0);
	assert_false(s.have_xdp);
	/* The CLI's own reading wins over the daemon's. */
	s.have_xdp = true;
	s.xdp[DX_STAT_PACKETS] = 77;
	assert_int_equal(metrics_snapshot_from_json(&s, st, NULL), 0);
	assert_int_equal(s.xdp[DX_STAT_PACKETS], 77);
	metrics_snapshot_free(&s);
	json_object_put(st);
}

static void test_parse_listen(void **state)
{
	struct sockaddr_storage sa;
	struct sockaddr_in *in = (struct sockaddr_in *)&sa;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&sa;
	static const char *const bad[] = {
		"127.0.0.1",	   "127.0.0.1:", "127.0.0.1:0",
		"127.0.0.1:65536", ":9100",	 "localhost:9100",
		"::1:9100",	   "[::1]9100",	 "[127.0.0.1]:9100",
		"[]:9100",	   "1.2.3.4:9x", "300.0.0.1:9100",
	};
	socklen_t len;
	char err[256];

	(void)state;
	assert_int_equal(metrics_parse_listen("127.0.0.1:9100", &sa, &len, err,
					      sizeof(err)),
			 0);
	assert_int_equal(sa.ss_family, AF_INET);
	assert_int_equal(len, sizeof(*in));
	assert_int_equal(ntohs(in->sin_port), 9100);
	assert_int_equal(ntohl(in->sin_addr.s_addr), 0x7f000001);
	assert_int_equal(
		metrics_parse_listen("[::1]:9100", &sa, &len, err, sizeof(err)),
		0);
	assert_int_equal(sa.ss_family, AF_INET6);
	assert_int_equal(ntohs(in6->sin6_port), 9100);
	assert_true(IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (metrics_parse_listen(bad[i], &sa, &len, err, sizeof(err)) !=
		    -EINVAL)
			fail_msg("'%s' accepted", bad[i]);
		assert_non_null(strstr(err, bad[i]));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_output_is_strictly_valid),
		cmocka_unit_test(test_commit_wait_histogram),
		cmocka_unit_test(test_label_values_are_escaped),
		cmocka_unit_test(test_escape_label),
		cmocka_unit_test(test_missing_parts_are_left_out),
		cmocka_unit_test(test_every_daemon_counter_has_its_own_metric),
		cmocka_unit_test(test_snapshot_from_control_answers),
		cmocka_unit_test(test_snapshot_starvation_counters),
		cmocka_unit_test(test_snapshot_keeps_the_cli_xdp_counters),
		cmocka_unit_test(test_parse_listen),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
