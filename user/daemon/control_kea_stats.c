// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* dhcpxdp's counters under Kea's statistic names (control_kea_stats.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include <linux/types.h>
#include <dhcpxdp/stats.h>
#include "daemon/control_kea_stats.h"
#include "kernel/xdp_stats.h"

static int add(struct kea_stats *s, uint64_t v, bool gauge, const char *fmt,
	       ...) __attribute__((format(printf, 4, 5)));

static int add(struct kea_stats *s, uint64_t v, bool gauge, const char *fmt,
	       ...)
{
	struct kea_stat *n;
	va_list ap;

	if (s->n == s->cap) {
		n = realloc(s->v, (s->cap ? 2 * s->cap : 128) * sizeof(*n));
		if (!n)
			return -ENOMEM;
		s->v = n;
		s->cap = s->cap ? 2 * s->cap : 128;
	}
	va_start(ap, fmt);
	vsnprintf(s->v[s->n].name, sizeof(s->v[s->n].name), fmt, ap);
	va_end(ap);
	s->v[s->n].value = v;
	s->v[s->n].gauge = gauge;
	s->n++;
	return 0;
}

/*
 * Kea's names for what both paths did. An answer XDP sent is a packet
 * received and a reply sent that the daemon never saw; a request XDP
 * dropped at a rate limit was received and dropped.
 */
static int kea_global(const struct kea_stats_input *in, struct kea_stats *s)
{
	const struct daemon_counters *c = in->cnt;
	const uint64_t *x = in->xdp;
	uint64_t xack = 0, xoffer = 0, xrate = 0, drops = 0;
	uint64_t declined = 0;
	int ret = 0;

	if (x) {
		xack = x[DX_STAT_ACK];
		xoffer = x[DX_STAT_OFFER];
		xrate = x[DX_STAT_DROP_RATE_CLIENT] +
			x[DX_STAT_DROP_RATE_NETWORK] +
			x[DX_STAT_DROP_RATE_RELAY] +
			x[DX_STAT_DROP_RATE_CIRCUIT_ID];
	}
	for (int r = ENGINE_DROP_NONE + 1; r < __ENGINE_DROP_MAX; r++)
		drops += in->drops[r];
	for (size_t i = 0; i < in->n_subnets; i++)
		declined += in->subnets[i].declined;
	ret |= add(s, c->rx_frames + xack + xoffer + xrate, false,
		   "pkt4-received");
	/* By type: what the daemon decoded, and what XDP answered (an
	 * OFFER answers a DISCOVER, an ACK a REQUEST). */
	ret |= add(s, c->rx_discover + xoffer, false,
		   "pkt4-discover-received");
	ret |= add(s, c->rx_request + xack, false, "pkt4-request-received");
	ret |= add(s, c->rx_decline, false, "pkt4-decline-received");
	ret |= add(s, c->rx_release, false, "pkt4-release-received");
	ret |= add(s, c->rx_inform, false, "pkt4-inform-received");
	ret |= add(s, c->rx_offer, false, "pkt4-offer-received");
	ret |= add(s, c->rx_ack, false, "pkt4-ack-received");
	ret |= add(s, c->rx_nak, false, "pkt4-nak-received");
	ret |= add(s, c->rx_unknown, false, "pkt4-unknown-received");
	ret |= add(s, c->replies_sent + xack + xoffer, false, "pkt4-sent");
	ret |= add(s, c->offers + xoffer, false, "pkt4-offer-sent");
	ret |= add(s, c->acks + xack, false, "pkt4-ack-sent");
	ret |= add(s, c->naks, false, "pkt4-nak-sent");
	ret |= add(s, c->rx_malformed_frame + c->rx_malformed_dhcp, false,
		   "pkt4-parse-failed");
	ret |= add(s, drops + xrate, false, "pkt4-receive-drop");
	ret |= add(s, declined, true, "declined-addresses");
	ret |= add(s, c->leases_expired, false, "reclaimed-leases");
	return ret ? -ENOMEM : 0;
}

static int kea_subnets(const struct kea_stats_input *in, struct kea_stats *s)
{
	int ret = 0;

	for (size_t i = 0; i < in->n_subnets; i++) {
		const struct engine_subnet_stats *st = &in->subnets[i];
		uint32_t id = st->subnet_id;

		ret |= add(s, st->total, true, "subnet[%u].total-addresses",
			   id);
		/* Kea counts leases, not offers held. */
		ret |= add(s, st->leases_active, true,
			   "subnet[%u].assigned-addresses", id);
		ret |= add(s, st->declined, true,
			   "subnet[%u].declined-addresses", id);
	}
	return ret ? -ENOMEM : 0;
}

/* dhcpxdp's own counters, under its prefix, as `status` names them. */
static int own(const struct kea_stats_input *in, struct kea_stats *s)
{
	int ret = 0;

#define X(field, key, metric, help) \
	ret |= add(s, in->cnt->field, false, "dhcpxdp.%s", key);
	DAEMON_COUNTERS(X)
#undef X
	for (int r = ENGINE_DROP_NONE + 1; r < __ENGINE_DROP_MAX; r++)
		ret |= add(s, in->drops[r], false, "dhcpxdp.drop.%s",
			   engine_drop_reason_name(r));
	for (int i = 0; in->xdp && i < DX_STAT_MAX; i++)
		ret |= add(s, in->xdp[i], false, "dhcpxdp.xdp.%s",
			   xdp_stat_name(i));
	for (size_t i = 0; i < in->n_subnets; i++) {
		const struct engine_subnet_stats *st = &in->subnets[i];
		const struct {
			const char *k;
			uint64_t v;
			bool gauge;
		} f[] = {
			{"offers", st->offers, false},
			{"acks", st->acks, false},
			{"naks", st->naks, false},
			{"declines", st->declines, false},
			{"releases", st->releases, false},
			{"informs", st->informs, false},
			{"pool-exhausted", st->pool_exhausted, false},
			{"offers-under-pressure", st->offers_pressure, false},
			{"offers-taken-over", st->offers_taken_over, false},
			{"declined-reclaimed", st->declined_reclaimed, false},
			{"used-addresses", st->used, true},
			{"free-addresses", st->free, true},
			{"reserved-addresses", st->reserved, true},
		};

		for (size_t j = 0; j < sizeof(f) / sizeof(f[0]); j++)
			ret |= add(s, f[j].v, f[j].gauge,
				   "dhcpxdp.subnet[%u].%s", st->subnet_id,
				   f[j].k);
	}
	return ret ? -ENOMEM : 0;
}

int kea_stats_build(const struct kea_stats_input *in, struct kea_stats *out)
{
	int ret;

	memset(out, 0, sizeof(*out));
	ret = kea_global(in, out);
	if (!ret)
		ret = kea_subnets(in, out);
	if (!ret)
		ret = own(in, out);
	if (ret)
		kea_stats_free(out);
	return ret;
}

void kea_stats_free(struct kea_stats *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

const struct kea_stat *kea_stats_find(const struct kea_stats *s,
				      const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].name, name))
			return &s->v[i];
	return NULL;
}

/* ---- resets -------------------------------------------------------------- */

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct kea_stat *)a)->name,
		      ((const struct kea_stat *)b)->name);
}

static struct kea_stat *base_of(struct kea_stat_bases *b, const char *name)
{
	struct kea_stat key;

	if (!b->n)
		return NULL;
	snprintf(key.name, sizeof(key.name), "%s", name);
	return bsearch(&key, b->v, b->n, sizeof(*b->v), by_name);
}

void kea_stats_apply_bases(struct kea_stats *s, struct kea_stat_bases *b)
{
	bool dropped = false;

	for (size_t i = 0; i < s->n; i++) {
		struct kea_stat *base = base_of(b, s->v[i].name);

		if (!base || s->v[i].gauge)
			continue;
		if (s->v[i].value >= base->value) {
			s->v[i].value -= base->value;
		} else {
			base->name[0] = '\0';
			base->value = 0;
			dropped = true;
		}
	}
	if (dropped) {
		/* The emptied names sort first: keep the rest. */
		size_t k = 0;

		for (size_t i = 0; i < b->n; i++)
			if (b->v[i].name[0])
				b->v[k++] = b->v[i];
		b->n = k;
	}
}

static int set_base(struct kea_stat_bases *b, const struct kea_stat *st)
{
	struct kea_stat *x = base_of(b, st->name), *n;

	if (x) {
		x->value = st->value;
		return 0;
	}
	if (b->n == b->cap) {
		n = realloc(b->v, (b->cap ? 2 * b->cap : 64) * sizeof(*n));
		if (!n)
			return -ENOMEM;
		b->v = n;
		b->cap = b->cap ? 2 * b->cap : 64;
	}
	b->v[b->n++] = *st;
	qsort(b->v, b->n, sizeof(*b->v), by_name);
	return 0;
}

int kea_stats_reset(struct kea_stat_bases *b, const struct kea_stats *raw,
		    const char *name)
{
	const struct kea_stat *st;

	if (name) {
		st = kea_stats_find(raw, name);
		if (!st)
			return -ENOENT;
		return st->gauge ? -EINVAL : set_base(b, st);
	}
	/* All at once: one sort, not one per statistic. */
	kea_stat_bases_free(b);
	b->v = calloc(raw->n ? raw->n : 1, sizeof(*b->v));
	if (!b->v)
		return -ENOMEM;
	b->cap = raw->n ? raw->n : 1;
	for (size_t i = 0; i < raw->n; i++)
		if (!raw->v[i].gauge)
			b->v[b->n++] = raw->v[i];
	qsort(b->v, b->n, sizeof(*b->v), by_name);
	return 0;
}

void kea_stat_bases_free(struct kea_stat_bases *b)
{
	free(b->v);
	memset(b, 0, sizeof(*b));
}

struct json_object *kea_stat_samples(uint64_t value,
				     const struct timespec *when)
{
	struct json_object *all = json_object_new_array();
	struct json_object *one = json_object_new_array();
	char ts[64];
	struct tm tm;
	size_t n;

	localtime_r(&when->tv_sec, &tm);
	n = strftime(ts, sizeof(ts), "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(ts + n, sizeof(ts) - n, ".%06ld", when->tv_nsec / 1000);
	json_object_array_add(one, json_object_new_uint64(value));
	json_object_array_add(one, json_object_new_string(ts));
	json_object_array_add(all, one);
	return all;
}
