// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The load generator's counters and histograms; see lg_stats.h. */
#include "lg_stats.h"

static unsigned hist_bucket(uint64_t us)
{
	unsigned msb, b;

	if (us < 2 * LG_HIST_SUB)
		return (unsigned)us;
	msb = 63 - (unsigned)__builtin_clzll(us);
	b = (msb - LG_HIST_SHIFT) * LG_HIST_SUB +
	    (unsigned)(us >> (msb - LG_HIST_SHIFT));
	return b < LG_HIST_BUCKETS ? b : LG_HIST_BUCKETS - 1;
}

/* Lower bound and width of bucket b (the inverse of hist_bucket). */
static void hist_range(unsigned b, double *lo, double *width)
{
	unsigned k = b / LG_HIST_SUB, m = b % LG_HIST_SUB + LG_HIST_SUB;

	if (b < 2 * LG_HIST_SUB) {
		*lo = b;
		*width = 0;
		return;
	}
	*lo = (double)((uint64_t)m << (k - 1));
	*width = (double)(1ULL << (k - 1));
}

void lg_hist_add(struct lg_hist *h, uint64_t us)
{
	if (!h->n || us < h->min_us)
		h->min_us = us;
	if (us > h->max_us)
		h->max_us = us;
	h->n++;
	h->sum_us += us;
	h->bucket[hist_bucket(us)]++;
}

double lg_hist_pct(const struct lg_hist *h, double p)
{
	uint64_t rank, seen = 0;
	double lo, width;
	unsigned b;

	if (!h->n)
		return 0;
	rank = (uint64_t)(p / 100.0 * (double)h->n + 0.999999);
	if (rank < 1)
		rank = 1;
	for (b = 0; b < LG_HIST_BUCKETS; b++) {
		seen += h->bucket[b];
		if (seen >= rank)
			break;
	}
	hist_range(b, &lo, &width);
	/* The middle of the bucket, within what was really seen. */
	lo += width / 2;
	if (lo < (double)h->min_us)
		return (double)h->min_us;
	return lo > (double)h->max_us ? (double)h->max_us : lo;
}

const char *lg_class_name(enum lg_class c)
{
	static const char *const names[LG_X_MAX] = {
		"discover", "request", "renew", "rebind", "release", "flood"};

	return (unsigned)c < LG_X_MAX ? names[c] : "?";
}

double lg_stats_offered(const struct lg_stats *s)
{
	return s->period_s > 0 ? (double)s->x[LG_X_DISCOVER].sent / s->period_s
			       : 0;
}

double lg_stats_dora_drops(const struct lg_stats *s)
{
	uint64_t sent = s->x[LG_X_DISCOVER].sent;

	if (!sent)
		return 0;
	return 100.0 *
	       (1.0 - (double)s->x[LG_X_SELECT].answered / (double)sent);
}

static void class_json(FILE *f, const struct lg_class_stats *c)
{
	const struct lg_hist *h = &c->lat;

	fprintf(f,
		"{\"sent\": %llu, \"answered\": %llu, \"dropped\": %llu, "
		"\"naks\": %llu, \"late\": %llu",
		(unsigned long long)c->sent, (unsigned long long)c->answered,
		(unsigned long long)c->dropped, (unsigned long long)c->naks,
		(unsigned long long)c->late);
	if (h->n)
		fprintf(f,
			", \"lat_ms\": {\"min\": %.3f, \"mean\": %.3f, "
			"\"p50\": %.3f, \"p90\": %.3f, \"p99\": %.3f, "
			"\"p999\": %.3f, \"max\": %.3f}",
			h->min_us / 1e3, (double)h->sum_us / h->n / 1e3,
			lg_hist_pct(h, 50) / 1e3, lg_hist_pct(h, 90) / 1e3,
			lg_hist_pct(h, 99) / 1e3, lg_hist_pct(h, 99.9) / 1e3,
			h->max_us / 1e3);
	fputc('}', f);
}

void lg_stats_json(FILE *f, const struct lg_stats *s)
{
	int c;

	fprintf(f,
		"{\"period_s\": %.3f, \"wall_s\": %.3f, \"cpu_s\": %.3f, "
		"\"cpu_share\": %.4f, \"offered\": %.1f, \"drops\": %.3f, "
		"\"no_client\": %llu, \"stray\": %llu, \"rx_frames\": %llu, "
		"\"tx_frames\": %llu, \"tx_errors\": %llu, "
		"\"rx_ring_drops\": %llu, \"relay_info\": %llu, \"prebound\": "
		"%llu",
		s->period_s, s->wall_s, s->cpu_s,
		s->wall_s > 0 ? s->cpu_s / s->wall_s : 0, lg_stats_offered(s),
		lg_stats_dora_drops(s), (unsigned long long)s->no_client,
		(unsigned long long)s->stray, (unsigned long long)s->rx_frames,
		(unsigned long long)s->tx_frames,
		(unsigned long long)s->tx_errors,
		(unsigned long long)s->rx_ring_drops,
		(unsigned long long)s->relay_info,
		(unsigned long long)s->prebound);
	for (c = 0; c < LG_X_MAX; c++) {
		fprintf(f, ", \"%s\": ", lg_class_name(c));
		class_json(f, &s->x[c]);
	}
	fputs("}\n", f);
}

void lg_stats_line(FILE *f, const struct lg_stats *s)
{
	const struct lg_class_stats *d = &s->x[LG_X_DISCOVER],
				    *q = &s->x[LG_X_SELECT],
				    *r = &s->x[LG_X_RENEW];

	fprintf(f,
		"loadgen: %.0f DORA/s offered over %.1f s, drops %.2f %% "
		"(DISCOVER %llu/%llu answered, REQUEST %llu/%llu, %llu NAK), "
		"renew %llu/%llu, OFFER p99 %.2f ms, ACK p99 %.2f ms, "
		"renew ACK p99 %.2f ms, CPU %.0f %%\n",
		lg_stats_offered(s), s->period_s, lg_stats_dora_drops(s),
		(unsigned long long)d->answered, (unsigned long long)d->sent,
		(unsigned long long)q->answered, (unsigned long long)q->sent,
		(unsigned long long)(q->naks + r->naks),
		(unsigned long long)r->answered, (unsigned long long)r->sent,
		lg_hist_pct(&d->lat, 99) / 1e3, lg_hist_pct(&q->lat, 99) / 1e3,
		lg_hist_pct(&r->lat, 99) / 1e3,
		s->wall_s > 0 ? 100 * s->cpu_s / s->wall_s : 0);
}
