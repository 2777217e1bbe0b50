// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The Prometheus exposition writer (metrics.h) and the snapshots it
 * prints: from the daemon's own state, or from the control socket's
 * JSON answers in the CLI. One writer, so `dhcpxdp stats --prometheus`
 * and GET /metrics name and describe every metric the same way.
 *
 * Format: https://prometheus.io/docs/instrumenting/exposition_formats/
 * (text format 0.0.4): every family has one HELP and one TYPE line and
 * its samples follow them, contiguous; label values escape \ " and LF.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <json-c/json.h>
#include <dhcpxdp/abi.h>
#include "daemon/metrics.h"
#include "kernel/xdp_stats.h"
#include "util/version.h"

/* ---- names --------------------------------------------------------------- */

#undef X_NAME
#undef X_HELP

/* struct daemon_counters (daemon_counters.h): field, the control
 * socket's key, the metric's name after dhcpxdp_daemon_ and before
 * _total, help. */
static const struct {
	size_t off;
	const char *key, *metric, *help;
} daemon_ctr[METRICS_N_DAEMON] = {
#define C(f, k, m, h) {offsetof(struct daemon_counters, f), k, m, h},
	DAEMON_COUNTERS(C)
#undef C
};
#define N_DAEMON_USED METRICS_N_DAEMON

/* ---- escaping ------------------------------------------------------------ */

size_t metrics_escape_label(const char *in, char *out, size_t outlen)
{
	size_t n = 0;

	if (!in)
		in = "";
	for (; *in; in++) {
		char esc = *in == '\\'	 ? '\\'
			   : *in == '"'	 ? '"'
			   : *in == '\n' ? 'n'
					 : 0;

		if (esc) {
			if (out && n + 1 < outlen)
				out[n] = '\\';
			n++;
		}
		if (out && n + 1 < outlen)
			out[n] = esc ? esc : *in;
		n++;
	}
	if (out && outlen)
		out[n < outlen ? n : outlen - 1] = '\0';
	return n;
}

static void put_label(FILE *f, const char *v)
{
	char buf[256], *big;
	size_t n = metrics_escape_label(v, buf, sizeof(buf));

	if (n < sizeof(buf)) {
		fputs(buf, f);
		return;
	}
	big = malloc(n + 1);
	if (!big)
		return; /* the label is left empty rather than unescaped */
	metrics_escape_label(v, big, n + 1);
	fputs(big, f);
	free(big);
}

/* HELP text escapes backslash and line feed only. */
static void family(FILE *f, const char *name, const char *type,
		   const char *help)
{
	fprintf(f, "# HELP %s ", name);
	for (const char *p = help; *p; p++) {
		if (*p == '\\')
			fputs("\\\\", f);
		else if (*p == '\n')
			fputs("\\n", f);
		else
			fputc(*p, f);
	}
	fprintf(f, "\n# TYPE %s %s\n", name, type);
}

static void sample(FILE *f, const char *name, uint64_t v)
{
	fprintf(f, "%s %llu\n", name, (unsigned long long)v);
}

/* name{key="value"} v */
static void sample_l(FILE *f, const char *name, const char *key,
		     const char *value, uint64_t v)
{
	fprintf(f, "%s{%s=\"", name, key);
	put_label(f, value);
	fprintf(f, "\"} %llu\n", (unsigned long long)v);
}

/* ---- the writer ---------------------------------------------------------- */

static void write_xdp(FILE *f, const struct metrics_snapshot *s)
{
	char name[128];

	for (int i = 0; i < DX_STAT_PUNT_NOT_DHCP; i++) {
		snprintf(name, sizeof(name), "dhcpxdp_xdp_%s_total",
			 xdp_stat_name(i));
		family(f, name, "counter", xdp_stat_help(i));
		sample(f, name, s->xdp[i]);
	}
	family(f, "dhcpxdp_xdp_punts_total", "counter",
	       "Requests the XDP program passed to the daemon, by reason");
	for (int i = DX_STAT_PUNT_NOT_DHCP; i < DX_STAT_MAX; i++)
		sample_l(f, "dhcpxdp_xdp_punts_total", "reason",
			 xdp_stat_name(i) + strlen("punt_"), s->xdp[i]);
}

/* A histogram: cumulative buckets by "le", then _sum (seconds) and
 * _count. */
static void write_commit_wait(FILE *f, const struct commit_wait *w)
{
	static const char name[] = "dhcpxdp_daemon_commit_wait_seconds";

	family(f, name, "histogram",
	       "Time from a batch's first lease change to its commit being "
	       "durable: how long its replies waited");
	for (int i = 0; i < COMMIT_WAIT_BUCKETS; i++)
		fprintf(f, "%s_bucket{le=\"%g\"} %llu\n", name,
			(double)commit_wait_le_us[i] / 1e6,
			(unsigned long long)w->le[i]);
	fprintf(f, "%s_bucket{le=\"+Inf\"} %llu\n", name,
		(unsigned long long)w->count);
	fprintf(f, "%s_sum %llu.%06llu\n", name,
		(unsigned long long)(w->sum_us / 1000000),
		(unsigned long long)(w->sum_us % 1000000));
	fprintf(f, "%s_count %llu\n", name, (unsigned long long)w->count);
}

static void write_daemon(FILE *f, const struct metrics_snapshot *s)
{
	char name[128];
	bool any = false;

	if (s->have_uptime) {
		family(f, "dhcpxdp_daemon_uptime_seconds", "gauge",
		       "Seconds since the daemon started");
		sample(f, "dhcpxdp_daemon_uptime_seconds", s->uptime);
	}
	for (int i = 0; i < N_DAEMON_USED; i++) {
		if (!s->daemon_have[i])
			continue;
		snprintf(name, sizeof(name), "dhcpxdp_daemon_%s_total",
			 daemon_ctr[i].metric);
		family(f, name, "counter", daemon_ctr[i].help);
		sample(f, name, s->daemon[i]);
	}
	for (int r = ENGINE_DROP_NONE + 1; r < __ENGINE_DROP_MAX; r++)
		any |= s->drops_have[r];
	if (any) {
		family(f, "dhcpxdp_engine_drops_total", "counter",
		       "Requests the daemon's engine dropped, by reason");
		for (int r = ENGINE_DROP_NONE + 1; r < __ENGINE_DROP_MAX; r++)
			if (s->drops_have[r])
				sample_l(f, "dhcpxdp_engine_drops_total",
					 "reason", engine_drop_reason_name(r),
					 s->drops[r]);
	}
	if (s->have_commit_wait)
		write_commit_wait(f, &s->commit_wait);
	if (s->have_lease_map) {
		family(f, "dhcpxdp_lease_map_capacity", "gauge",
		       "Entries the BPF lease map can hold");
		sample(f, "dhcpxdp_lease_map_capacity", s->lease_map_capacity);
		family(f, "dhcpxdp_lease_map_entries", "gauge",
		       "Lease-map entries, computed: active dynamic leases "
		       "plus hw-address reservations in the map");
		sample(f, "dhcpxdp_lease_map_entries", s->lease_map_entries);
	}
}

/* Per-subnet families: the value at `off` of struct metrics_subnet for
 * every subnet whose part (`have_off`) was gathered. */
static const struct {
	const char *name, *type, *help;
	size_t have_off, off;
} subnet_metric[] = {
#define P(field)                                    \
	offsetof(struct metrics_subnet, have_pool), \
		offsetof(struct metrics_subnet, field)
#define K(field)                                        \
	offsetof(struct metrics_subnet, have_counters), \
		offsetof(struct metrics_subnet, field)
#define S(field)                                          \
	offsetof(struct metrics_subnet, have_starvation), \
		offsetof(struct metrics_subnet, field)
	{"dhcpxdp_subnet_pool_addresses", "gauge",
	 "Addresses in the subnet's pools", P(total)},
	{"dhcpxdp_subnet_pool_used_addresses", "gauge",
	 "Pool addresses leased or held by an offer", P(used)},
	{"dhcpxdp_subnet_pool_free_addresses", "gauge",
	 "Pool addresses free to hand out", P(free)},
	{"dhcpxdp_subnet_pool_declined_addresses", "gauge",
	 "Pool addresses in decline probation", P(declined)},
	{"dhcpxdp_subnet_pool_reserved_addresses", "gauge",
	 "Pool addresses held by host reservations", P(reserved)},
	{"dhcpxdp_subnet_leases_active", "gauge",
	 "Active dynamic leases of the subnet",
	 offsetof(struct metrics_subnet, have_leases),
	 offsetof(struct metrics_subnet, leases_active)},
	{"dhcpxdp_subnet_offers_total", "counter",
	 "DHCPOFFERs the daemon's engine made in the subnet", K(offers)},
	{"dhcpxdp_subnet_acks_total", "counter",
	 "DHCPACKs the daemon's engine made in the subnet", K(acks)},
	{"dhcpxdp_subnet_naks_total", "counter",
	 "DHCPNAKs the daemon's engine made in the subnet", K(naks)},
	{"dhcpxdp_subnet_declines_total", "counter",
	 "DHCPDECLINEs received in the subnet", K(declines)},
	{"dhcpxdp_subnet_releases_total", "counter",
	 "DHCPRELEASEs received in the subnet", K(releases)},
	{"dhcpxdp_subnet_informs_total", "counter",
	 "DHCPINFORMs answered in the subnet", K(informs)},
	{"dhcpxdp_subnet_pool_exhausted_total", "counter",
	 "DHCPDISCOVERs left unanswered: no free address", K(pool_exhausted)},
	{"dhcpxdp_subnet_offers_under_pressure_total", "counter",
	 "DHCPOFFERs held the short pressure-offer-lifetime",
	 S(offers_pressure)},
	{"dhcpxdp_subnet_offers_taken_over_total", "counter",
	 "Held offers whose address went to another client: pool dry",
	 S(offers_taken_over)},
	{"dhcpxdp_subnet_declined_reclaimed_total", "counter",
	 "Declined addresses offered before their probation ended: pool dry",
	 S(declined_reclaimed)},
#undef P
#undef K
#undef S
};

static void write_subnets(FILE *f, const struct metrics_snapshot *s)
{
	for (size_t m = 0; m < sizeof(subnet_metric) / sizeof(subnet_metric[0]);
	     m++) {
		bool header = false;

		for (size_t i = 0; i < s->n_subnets; i++) {
			const struct metrics_subnet *sn = &s->subnets[i];
			const char *base = (const char *)sn;
			uint64_t v;

			if (!*(const bool *)(base + subnet_metric[m].have_off))
				continue;
			memcpy(&v, base + subnet_metric[m].off, sizeof(v));
			if (!header) {
				family(f, subnet_metric[m].name,
				       subnet_metric[m].type,
				       subnet_metric[m].help);
				header = true;
			}
			fprintf(f, "%s{subnet_id=\"%u\",subnet=\"",
				subnet_metric[m].name, sn->id);
			put_label(f, sn->prefix);
			fprintf(f, "\"} %llu\n", (unsigned long long)v);
		}
	}
}

int metrics_write(FILE *f, const struct metrics_snapshot *s)
{
	if (!f || !s)
		return -EINVAL;
	family(f, "dhcpxdp_build_info", "gauge",
	       "Always 1; the labels say which dhcpxdp wrote the metrics");
	fprintf(f, "dhcpxdp_build_info{version=\"%s\",abi=\"%u\"} 1\n",
		DHCPXDP_VERSION, (unsigned int)DHCPXDP_ABI_VERSION);
	family(f, "dhcpxdp_daemon_up", "gauge",
	       "1 when the daemon's metrics are included (it answered), "
	       "else 0");
	sample(f, "dhcpxdp_daemon_up", s->daemon_up);
	if (s->have_xdp)
		write_xdp(f, s);
	write_daemon(f, s);
	write_subnets(f, s);
	return ferror(f) ? -EIO : 0;
}

int metrics_render(const struct metrics_snapshot *s, char **buf, size_t *len)
{
	FILE *f;
	int ret;

	if (!s || !buf || !len)
		return -EINVAL;
	*buf = NULL;
	*len = 0;
	f = open_memstream(buf, len);
	if (!f)
		return -errno;
	ret = metrics_write(f, s);
	if (fclose(f) && !ret)
		ret = -EIO;
	if (ret) {
		free(*buf);
		*buf = NULL;
		*len = 0;
	}
	return ret;
}

void metrics_snapshot_free(struct metrics_snapshot *s)
{
	if (!s)
		return;
	free(s->subnets);
	s->subnets = NULL;
	s->n_subnets = 0;
}

/* ---- snapshots ----------------------------------------------------------- */

void metrics_set_daemon_counters(struct metrics_snapshot *s,
				 const struct daemon_counters *c)
{
	if (!s || !c)
		return;
	for (int i = 0; i < N_DAEMON_USED; i++) {
		memcpy(&s->daemon[i], (const char *)c + daemon_ctr[i].off,
		       sizeof(uint64_t));
		s->daemon_have[i] = true;
	}
}

static struct metrics_subnet *subnet_get(struct metrics_snapshot *s,
					 uint32_t id)
{
	struct metrics_subnet *p;

	for (size_t i = 0; i < s->n_subnets; i++)
		if (s->subnets[i].id == id)
			return &s->subnets[i];
	p = realloc(s->subnets, (s->n_subnets + 1) * sizeof(*p));
	if (!p)
		return NULL;
	s->subnets = p;
	p = &s->subnets[s->n_subnets++];
	memset(p, 0, sizeof(*p));
	p->id = id;
	return p;
}

/* A non-negative integer member; false when absent or not a number. */
static bool get_u64(struct json_object *o, const char *k, uint64_t *v)
{
	struct json_object *x;
	int64_t i;

	if (!o || !json_object_object_get_ex(o, k, &x) ||
	    !json_object_is_type(x, json_type_int))
		return false;
	i = json_object_get_int64(x);
	if (i < 0) /* json-c clamps; our counters fit int64 in practice */
		return false;
	*v = json_object_get_uint64(x);
	return true;
}

static int subnets_from_stats(struct metrics_snapshot *s,
			      struct json_object *subs)
{
	size_t n = json_object_is_type(subs, json_type_array)
			   ? json_object_array_length(subs)
			   : 0;

	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(subs, i);
		struct metrics_subnet *sn;
		uint64_t id;

		if (!get_u64(o, "id", &id))
			continue;
		sn = subnet_get(s, (uint32_t)id);
		if (!sn)
			return -ENOMEM;
		sn->have_counters =
			get_u64(o, "offers", &sn->offers) &&
			get_u64(o, "acks", &sn->acks) &&
			get_u64(o, "naks", &sn->naks) &&
			get_u64(o, "declines", &sn->declines) &&
			get_u64(o, "releases", &sn->releases) &&
			get_u64(o, "informs", &sn->informs) &&
			get_u64(o, "pool-exhausted", &sn->pool_exhausted);
		sn->have_starvation = get_u64(o, "offers-under-pressure",
					      &sn->offers_pressure) &&
				      get_u64(o, "offers-taken-over",
					      &sn->offers_taken_over) &&
				      get_u64(o, "declined-reclaimed",
					      &sn->declined_reclaimed);
	}
	return 0;
}

static int subnets_from_status(struct metrics_snapshot *s,
			       struct json_object *subs)
{
	size_t n = json_object_is_type(subs, json_type_array)
			   ? json_object_array_length(subs)
			   : 0;

	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(subs, i), *x,
				   *pool = NULL;
		struct metrics_subnet *sn;
		uint64_t id;

		if (!get_u64(o, "id", &id))
			continue;
		sn = subnet_get(s, (uint32_t)id);
		if (!sn)
			return -ENOMEM;
		if (json_object_object_get_ex(o, "subnet", &x) &&
		    json_object_is_type(x, json_type_string))
			snprintf(sn->prefix, sizeof(sn->prefix), "%s",
				 json_object_get_string(x));
		json_object_object_get_ex(o, "pool", &pool);
		sn->have_pool = get_u64(pool, "total", &sn->total) &&
				get_u64(pool, "used", &sn->used) &&
				get_u64(pool, "free", &sn->free) &&
				get_u64(pool, "declined", &sn->declined) &&
				get_u64(pool, "reserved", &sn->reserved);
		sn->have_leases = get_u64(o, "leases", &sn->leases_active);
	}
	return 0;
}

int metrics_snapshot_from_json(struct metrics_snapshot *s,
			       struct json_object *stats,
			       struct json_object *status)
{
	struct json_object *o, *lm;
	int ret = 0;

	if (!s)
		return -EINVAL;
	if (stats) {
		s->daemon_up = true;
		json_object_object_get_ex(stats, "daemon", &o);
		for (int i = 0; o && i < N_DAEMON_USED; i++)
			s->daemon_have[i] =
				get_u64(o, daemon_ctr[i].key, &s->daemon[i]);
		o = NULL;
		json_object_object_get_ex(stats, "drops", &o);
		for (int r = ENGINE_DROP_NONE + 1; o && r < __ENGINE_DROP_MAX;
		     r++)
			s->drops_have[r] = get_u64(
				o, engine_drop_reason_name(r), &s->drops[r]);
		o = NULL;
		if (!s->have_xdp &&
		    json_object_object_get_ex(stats, "xdp", &o) &&
		    json_object_is_type(o, json_type_object)) {
			bool all = true;

			for (int i = 0; i < DX_STAT_MAX; i++)
				all &= get_u64(o, xdp_stat_name(i), &s->xdp[i]);
			s->have_xdp = all;
		}
		o = NULL;
		json_object_object_get_ex(stats, "commit-wait", &o);
		s->have_commit_wait = commit_wait_from_json(o, &s->commit_wait);
		o = NULL;
		json_object_object_get_ex(stats, "subnets", &o);
		ret = subnets_from_stats(s, o);
		if (ret)
			return ret;
	}
	if (status) {
		s->daemon_up = true;
		s->have_uptime = get_u64(status, "uptime", &s->uptime);
		lm = NULL;
		json_object_object_get_ex(status, "lease-map", &lm);
		s->have_lease_map =
			get_u64(lm, "capacity", &s->lease_map_capacity) &&
			get_u64(lm, "entries", &s->lease_map_entries);
		o = NULL;
		json_object_object_get_ex(status, "subnets", &o);
		ret = subnets_from_status(s, o);
	}
	return ret;
}
