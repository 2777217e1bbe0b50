// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The control socket, daemon side (control.h, docs/control.md): socket
 * set-up, one request per connection, the command table and its
 * handlers. Everything runs on the daemon's thread between packet
 * rounds, so handlers read the daemon's state directly.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <json-c/json.h>
#include <dhcpxdp/abi.h>
#include <dhcpxdp/stats.h>
#include "cli.h"
#include "control.h"
#include "control_hosts.h"
#include "reservations_store.h"
#include "daemon_state.h"

struct control {
	int fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct control_samples samples;
	int ncpu;
	struct dx_stats *per_cpu; /* ncpu entries, for reading dx_stats */
	struct log_limit lim_peer;
};

/* ---- pure pieces ----------------------------------------------------- */

static int set_err(char *err, size_t errlen, const char *msg)
{
	if (err && errlen)
		snprintf(err, errlen, "%s", msg);
	return -EINVAL;
}

int control_parse_request(const char *buf, size_t len, struct json_object **req,
			  const char **command, struct json_object **args,
			  char *err, size_t errlen)
{
	struct json_tokener *tok;
	struct json_object *o = NULL, *c, *a;
	enum json_tokener_error jerr;
	char msg[160];
	size_t end;

	if (!buf || !req || !command || !args)
		return -EINVAL;
	*req = NULL;
	*command = NULL;
	*args = NULL;
	if (len > CONTROL_REQUEST_MAX)
		return set_err(err, errlen, "request too large");
	tok = json_tokener_new();
	if (!tok)
		return set_err(err, errlen, "out of memory");
	o = json_tokener_parse_ex(tok, buf, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	while (o && end < len && strchr(" \t\r\n", buf[end]))
		end++;
	if (o && jerr == json_tokener_success && end < len) {
		json_object_put(o);
		return set_err(err, errlen, "trailing data after the request");
	}
	if (!o || jerr != json_tokener_success) {
		snprintf(msg, sizeof(msg), "invalid JSON: %s",
			 jerr == json_tokener_continue
				 ? "unexpected end of input"
				 : json_tokener_error_desc(jerr));
		json_object_put(o);
		return set_err(err, errlen, msg);
	}
	if (!json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return set_err(err, errlen, "request is not a JSON object");
	}
	if (!json_object_object_get_ex(o, "command", &c) ||
	    !json_object_is_type(c, json_type_string) ||
	    !json_object_get_string_len(c)) {
		json_object_put(o);
		return set_err(err, errlen,
			       "missing or invalid 'command' parameter");
	}
	if (json_object_object_get_ex(o, "arguments", &a) &&
	    !json_object_is_type(a, json_type_null)) {
		if (!json_object_is_type(a, json_type_object)) {
			json_object_put(o);
			return set_err(err, errlen,
				       "'arguments' must be a JSON object");
		}
		*args = a;
	}
	*req = o;
	*command = json_object_get_string(c);
	return 0;
}

struct json_object *control_response(int result, const char *text,
				     struct json_object *args)
{
	struct json_object *o = json_object_new_object();

	if (!o) {
		json_object_put(args);
		return NULL;
	}
	json_object_object_add(o, "result", json_object_new_int(result));
	json_object_object_add(o, "text",
			       json_object_new_string(text ? text : ""));
	if (args)
		json_object_object_add(o, "arguments", args);
	return o;
}

void control_samples_push(struct control_samples *s, uint64_t xdp,
			  uint64_t daemon)
{
	if (!s)
		return;
	s->xdp[s->head] = xdp;
	s->daemon[s->head] = daemon;
	s->head = (s->head + 1) % (CONTROL_WINDOW + 1);
	if (s->n < CONTROL_WINDOW + 1)
		s->n++;
}

static uint64_t delta(uint64_t newer, uint64_t older)
{
	return newer >= older ? newer - older : newer;
}

void control_samples_window(const struct control_samples *s, uint64_t *xdp,
			    uint64_t *daemon, unsigned int *seconds)
{
	const size_t ring = CONTROL_WINDOW + 1;
	size_t newest, oldest;

	*xdp = *daemon = 0;
	*seconds = 0;
	if (!s || s->n < 2)
		return;
	newest = (s->head + ring - 1) % ring;
	oldest = (s->head + ring - s->n) % ring;
	*xdp = delta(s->xdp[newest], s->xdp[oldest]);
	*daemon = delta(s->daemon[newest], s->daemon[oldest]);
	*seconds = (unsigned int)(s->n - 1);
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int control_parse_mac(const char *s, uint8_t mac[6])
{
	uint8_t tmp[6];
	char sep;

	if (!s || !mac || strlen(s) != 17)
		return -EINVAL;
	sep = s[2];
	if (sep != ':' && sep != '-')
		return -EINVAL;
	for (int i = 0; i < 6; i++) {
		const char *p = s + 3 * i;
		int hi = hex_digit(p[0]), lo = hex_digit(p[1]);

		if (hi < 0 || lo < 0 || (i < 5 && p[2] != sep))
			return -EINVAL;
		tmp[i] = (uint8_t)(hi << 4 | lo);
	}
	memcpy(mac, tmp, 6);
	return 0;
}

int control_parse_ipv4(const char *s, uint32_t *addr)
{
	struct in_addr a;

	if (!s || !addr || inet_pton(AF_INET, s, &a) != 1)
		return -EINVAL;
	*addr = ntohl(a.s_addr);
	return 0;
}

/* ---- JSON helpers ------------------------------------------------------ */

static struct json_object *jstr_ip(uint32_t addr)
{
	char buf[INET_ADDRSTRLEN];
	struct in_addr a = {.s_addr = htonl(addr)};

	inet_ntop(AF_INET, &a, buf, sizeof(buf));
	return json_object_new_string(buf);
}

static struct json_object *jstr_hex(const uint8_t *b, size_t n)
{
	char buf[3 * 255 + 1] = "";
	size_t o = 0;

	for (size_t i = 0; i < n && i < 255; i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%02x",
				      i ? ":" : "", b[i]);
	return json_object_new_string(buf);
}

static void add_u64(struct json_object *o, const char *k, uint64_t v)
{
	json_object_object_add(o, k, json_object_new_uint64(v));
}

/* Optional unsigned integer argument; -EINVAL when present but not one. */
static int arg_u32(struct json_object *args, const char *k, uint32_t *v,
		   bool *present)
{
	struct json_object *o;
	int64_t x;

	*present = false;
	if (!args || !json_object_object_get_ex(args, k, &o))
		return 0;
	if (!json_object_is_type(o, json_type_int))
		return -EINVAL;
	x = json_object_get_int64(o);
	if (x < 0 || x > UINT32_MAX)
		return -EINVAL;
	*v = (uint32_t)x;
	*present = true;
	return 0;
}

static const char *arg_str(struct json_object *args, const char *k)
{
	struct json_object *o;

	if (!args || !json_object_object_get_ex(args, k, &o) ||
	    !json_object_is_type(o, json_type_string))
		return NULL;
	return json_object_get_string(o);
}

static struct json_object *fail(int result, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static struct json_object *fail(int result, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	return control_response(result, text, NULL);
}

/* ---- counters ---------------------------------------------------------- */

#define DAEMON_COUNTERS(X)                           \
	X(rx_frames, "rx-frames")                    \
	X(rx_malformed_frame, "rx-malformed-frames") \
	X(rx_malformed_dhcp, "rx-malformed-dhcp")    \
	X(replies_sent, "replies-sent")              \
	X(send_errors, "send-errors")                \
	X(offers, "offers")                          \
	X(acks, "acks")                              \
	X(naks, "naks")                              \
	X(silent, "handled-silently")                \
	X(drops, "drops")                            \
	X(commits, "commits")                        \
	X(commit_errors, "commit-errors")            \
	X(replies_withheld, "replies-withheld")      \
	X(map_errors, "map-errors")                  \
	X(renew_events, "xdp-renewal-events")        \
	X(horizons_extended, "horizons-extended")    \
	X(renewals_refused, "renewals-refused")      \
	X(leases_expired, "leases-expired")

static struct json_object *daemon_counters_json(const struct daemon_counters *c)
{
	struct json_object *o = json_object_new_object();

#define X(field, name) add_u64(o, name, c->field);
	DAEMON_COUNTERS(X)
#undef X
	return o;
}

#define X_NAME(id, name, help) name,
static const char *const xdp_stat_name[DX_STAT_MAX] = {DX_STATS(X_NAME)};
#undef X_NAME

/* The XDP counters summed over the CPUs. */
static int read_xdp_stats(struct daemon *d, uint64_t out[DX_STAT_MAX])
{
	struct control *ctl = d->ctl;
	uint32_t key = 0;

	if (!ctl->per_cpu || d->bpf.stats_fd < 0)
		return -ENOENT;
	if (bpf_map_lookup_elem(d->bpf.stats_fd, &key, ctl->per_cpu))
		return -errno;
	memset(out, 0, sizeof(uint64_t) * DX_STAT_MAX);
	for (int c = 0; c < ctl->ncpu; c++)
		for (int i = 0; i < DX_STAT_MAX; i++)
			out[i] += ctl->per_cpu[c].counters[i];
	return 0;
}

void control_tick(struct daemon *d)
{
	uint64_t v[DX_STAT_MAX];

	if (!d || !d->ctl || read_xdp_stats(d, v))
		return;
	control_samples_push(&d->ctl->samples,
			     v[DX_STAT_ACK] + v[DX_STAT_OFFER],
			     d->cnt.replies_sent);
}

/* ---- status ------------------------------------------------------------ */

static const char *xdp_mode_name(uint8_t attach_mode)
{
	switch (attach_mode) {
	case XDP_ATTACHED_DRV:
		return "native";
	case XDP_ATTACHED_SKB:
		return "skb";
	case XDP_ATTACHED_HW:
		return "hw";
	case XDP_ATTACHED_MULTI:
		return "multi";
	}
	return "none";
}

static struct json_object *status_interfaces(struct daemon *d)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < d->n_ifs; i++) {
		const struct served_if *sif = &d->ifs[i];
		struct json_object *o = json_object_new_object();
		LIBBPF_OPTS(bpf_xdp_query_opts, q);
		uint32_t prog_id = 0;
		bool via_link = false;
		int ret;

		ret = dx_bpf_attached(d->bpf.pin_dir, sif->nif.name, &prog_id,
				      &via_link);
		json_object_object_add(o, "name",
				       json_object_new_string(sif->nif.name));
		add_u64(o, "ifindex", sif->nif.ifindex);
		json_object_object_add(o, "server-id", jstr_ip(sif->nif.addr));
		add_u64(o, "direct-subnet-id", sif->direct_subnet_id);
		json_object_object_add(o, "attached",
				       json_object_new_boolean(ret == 0));
		if (!ret) {
			add_u64(o, "prog-id", prog_id);
			json_object_object_add(
				o, "attach",
				json_object_new_string(via_link ? "link"
								: "netlink"));
		}
		if (!bpf_xdp_query((int)sif->nif.ifindex, 0, &q))
			json_object_object_add(
				o, "mode",
				json_object_new_string(
					xdp_mode_name(q.attach_mode)));
		json_object_array_add(a, o);
	}
	return a;
}

static size_t fast_reservations(const struct dx_subnet_conf *sc)
{
	size_t n = 0;

	/* As map_sync.c's reservation_fast(): those go into the map. */
	for (size_t j = 0; j < sc->n_reservations; j++) {
		const struct dx_reservation_conf *r = &sc->reservations[j];

		n += r->has_hw && !r->client_id && !r->hostname &&
		     r->options.n == 0;
	}
	return n;
}

static struct json_object *status_subnets(struct daemon *d, uint64_t *in_map)
{
	struct json_object *a = json_object_new_array();
	size_t n = engine_subnet_count(d->eng);

	*in_map = 0;
	for (size_t i = 0; i < n; i++) {
		const struct dx_subnet_conf *sc;
		struct engine_subnet_stats st;
		struct json_object *o, *p;
		char prefix[32];
		struct in_addr net;

		if (engine_subnet_stats(d->eng, i, &st))
			continue;
		sc = config_subnet_by_id(d->cfg, st.subnet_id);
		o = json_object_new_object();
		add_u64(o, "id", st.subnet_id);
		if (sc) {
			net.s_addr = htonl(sc->network);
			inet_ntop(AF_INET, &net, prefix, sizeof(prefix));
			snprintf(prefix + strlen(prefix),
				 sizeof(prefix) - strlen(prefix), "/%u",
				 sc->prefix_len);
			json_object_object_add(o, "subnet",
					       json_object_new_string(prefix));
			add_u64(o, "reservations", sc->n_reservations);
			*in_map += fast_reservations(sc);
		}
		p = json_object_new_object();
		add_u64(p, "total", st.total);
		add_u64(p, "used", st.used);
		add_u64(p, "free", st.free);
		add_u64(p, "declined", st.declined);
		add_u64(p, "reserved", st.reserved);
		json_object_object_add(o, "pool", p);
		add_u64(o, "leases", st.leases_active);
		*in_map += st.leases_active;
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *status_fast_path(struct daemon *d)
{
	struct json_object *o = json_object_new_object();
	uint64_t xdp, daemon;
	unsigned int secs;

	control_samples_window(&d->ctl->samples, &xdp, &daemon, &secs);
	add_u64(o, "window-seconds", secs);
	add_u64(o, "xdp-replies", xdp);
	add_u64(o, "daemon-replies", daemon);
	json_object_object_add(
		o, "xdp-share",
		xdp + daemon ? json_object_new_double((double)xdp /
						      (double)(xdp + daemon))
			     : NULL);
	return o;
}

static struct json_object *cmd_status_h(struct daemon *d,
					struct json_object *args)
{
	struct json_object *o = json_object_new_object(), *m;
	uint64_t in_map;

	(void)args;
	add_u64(o, "pid", (uint64_t)getpid());
	add_u64(o, "uptime", (uint64_t)(time(NULL) - d->started));
	json_object_object_add(o, "config",
			       json_object_new_string(d->config_path));
	json_object_object_add(o, "version",
			       json_object_new_string(DHCPXDP_VERSION));
	add_u64(o, "abi", DHCPXDP_ABI_VERSION);
	json_object_object_add(o, "pin-dir",
			       json_object_new_string(d->bpf.pin_dir));
	json_object_object_add(o, "interfaces", status_interfaces(d));
	add_u64(o, "interfaces-configured", d->cfg->n_interfaces);
	json_object_object_add(o, "subnets", status_subnets(d, &in_map));
	m = json_object_new_object();
	add_u64(m, "entries", in_map);
	add_u64(m, "capacity", d->bpf.lease_capacity);
	json_object_object_add(
		m, "counted",
		json_object_new_string("active dynamic leases known to the "
				       "engine plus hw-address reservations "
				       "without options of their own"));
	json_object_object_add(o, "lease-map", m);
	json_object_object_add(o, "fast-path", status_fast_path(d));
	json_object_object_add(o, "counters", daemon_counters_json(&d->cnt));
	return control_response(CONTROL_SUCCESS, "dhcpxdp is running", o);
}

/* ---- statistics -------------------------------------------------------- */

static struct json_object *cmd_stats_h(struct daemon *d,
				       struct json_object *args)
{
	struct json_object *o = json_object_new_object(), *dr, *x, *subs;
	uint64_t v[DX_STAT_MAX];
	size_t n = engine_subnet_count(d->eng);

	(void)args;
	json_object_object_add(o, "daemon", daemon_counters_json(&d->cnt));
	dr = json_object_new_object();
	for (int r = ENGINE_DROP_NONE + 1; r < __ENGINE_DROP_MAX; r++)
		add_u64(dr, engine_drop_reason_name(r),
			engine_drops(d->eng, r));
	json_object_object_add(o, "drops", dr);
	if (read_xdp_stats(d, v) == 0) {
		x = json_object_new_object();
		for (int i = 0; i < DX_STAT_MAX; i++)
			add_u64(x, xdp_stat_name[i], v[i]);
	} else {
		x = NULL;
	}
	json_object_object_add(o, "xdp", x);
	subs = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		struct engine_subnet_stats st;
		struct json_object *s;

		if (engine_subnet_stats(d->eng, i, &st))
			continue;
		s = json_object_new_object();
		add_u64(s, "id", st.subnet_id);
		add_u64(s, "offers", st.offers);
		add_u64(s, "acks", st.acks);
		add_u64(s, "naks", st.naks);
		add_u64(s, "declines", st.declines);
		add_u64(s, "releases", st.releases);
		add_u64(s, "informs", st.informs);
		add_u64(s, "pool-exhausted", st.pool_exhausted);
		add_u64(s, "total-addresses", st.total);
		add_u64(s, "assigned-addresses", st.used);
		add_u64(s, "declined-addresses", st.declined);
		json_object_array_add(subs, s);
	}
	json_object_object_add(o, "subnets", subs);
	return control_response(CONTROL_SUCCESS, "statistics", o);
}

/* ---- leases ------------------------------------------------------------ */

static struct json_object *lease_json(const struct dx_lease_rec *r)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "ip-address", jstr_ip(r->addr));
	json_object_object_add(o, "hw-address", jstr_hex(r->mac, 6));
	if (r->client_id_len)
		json_object_object_add(
			o, "client-id",
			jstr_hex(r->client_id, r->client_id_len));
	add_u64(o, "subnet-id", r->subnet_id);
	json_object_object_add(
		o, "state", json_object_new_string(lease_state_name(r->state)));
	json_object_object_add(o, "hostname",
			       json_object_new_string(r->hostname));
	json_object_object_add(o, "expire", json_object_new_int64(r->expires));
	json_object_object_add(o, "horizon", json_object_new_int64(r->horizon));
	json_object_object_add(o, "last-seen",
			       json_object_new_int64(r->last_seen));
	json_object_object_add(
		o, "fast-path",
		json_object_new_boolean(r->flags & DX_LEASE_F_FASTPATH));
	return o;
}

struct lease_walk {
	struct json_object *arr;
	uint32_t subnet; /* 0: all */
};

static int lease_walk_one(const struct dx_lease_rec *r, void *arg)
{
	struct lease_walk *w = arg;

	if (w->subnet && r->subnet_id != w->subnet)
		return 0;
	return json_object_array_add(w->arr, lease_json(r)) ? -ENOMEM : 0;
}

static struct json_object *cmd_lease_all_h(struct daemon *d,
					   struct json_object *args)
{
	struct lease_walk w = {0};
	struct json_object *o, *subs;
	bool present;
	size_t n;
	char text[64];

	if (arg_u32(args, "subnet-id", &w.subnet, &present))
		return fail(CONTROL_ERROR, "'subnet-id' must be an unsigned "
					   "integer");
	/* Kea's form: {"subnets": [id]}; one id is supported. */
	if (args && json_object_object_get_ex(args, "subnets", &subs)) {
		if (!json_object_is_type(subs, json_type_array) ||
		    json_object_array_length(subs) != 1 ||
		    !json_object_is_type(json_object_array_get_idx(subs, 0),
					 json_type_int))
			return fail(CONTROL_ERROR,
				    "'subnets' must list one subnet id");
		w.subnet = (uint32_t)json_object_get_int64(
			json_object_array_get_idx(subs, 0));
	}
	w.arr = json_object_new_array();
	if (lease_db_load(d->db, lease_walk_one, &w)) {
		json_object_put(w.arr);
		return fail(CONTROL_ERROR,
			    "reading the lease database failed: "
			    "%s",
			    lease_db_errmsg(d->db));
	}
	n = json_object_array_length(w.arr);
	o = json_object_new_object();
	json_object_object_add(o, "leases", w.arr);
	snprintf(text, sizeof(text), "%zu IPv4 lease(s) found.", n);
	return control_response(n ? CONTROL_SUCCESS : CONTROL_EMPTY, text, o);
}

/* The configured subnet holding addr, 0 if none. */
static uint32_t subnet_of(const struct dx_config *cfg, uint32_t addr)
{
	for (size_t i = 0; i < cfg->n_subnets; i++) {
		const struct dx_subnet_conf *sc = &cfg->subnets[i];
		uint32_t mask =
			sc->prefix_len ? ~0U << (32 - sc->prefix_len) : 0;

		if ((addr & mask) == sc->network)
			return sc->id;
	}
	return 0;
}

static struct json_object *cmd_lease_get_h(struct daemon *d,
					   struct json_object *args)
{
	const char *ip = arg_str(args, "ip-address");
	const char *hw = arg_str(args, "hw-address");
	const char *idt = arg_str(args, "identifier-type");
	struct dx_lease_rec rec;
	uint32_t subnet = 0, addr;
	uint8_t mac[6];
	bool has_subnet;
	int ret;

	if (arg_u32(args, "subnet-id", &subnet, &has_subnet))
		return fail(CONTROL_ERROR, "'subnet-id' must be an unsigned "
					   "integer");
	/* Kea's form {"identifier-type": "hw-address", "identifier": MAC}. */
	if (!hw && idt && !strcmp(idt, "hw-address"))
		hw = arg_str(args, "identifier");
	if (ip) {
		if (control_parse_ipv4(ip, &addr))
			return fail(CONTROL_ERROR, "bad ip-address '%s'", ip);
		if (!has_subnet)
			subnet = subnet_of(d->cfg, addr);
		ret = lease_db_get_by_addr(d->db, subnet, addr, &rec);
	} else if (hw && has_subnet) {
		if (control_parse_mac(hw, mac))
			return fail(CONTROL_ERROR, "bad hw-address '%s'", hw);
		ret = lease_db_get_by_mac(d->db, subnet, mac, &rec);
	} else {
		return fail(CONTROL_ERROR,
			    "lease4-get needs 'ip-address', or 'subnet-id' "
			    "and 'hw-address'");
	}
	if (ret == -ENOENT)
		return fail(CONTROL_EMPTY, "Lease not found.");
	if (ret)
		return fail(CONTROL_ERROR,
			    "reading the lease database failed: "
			    "%s",
			    lease_db_errmsg(d->db));
	return control_response(CONTROL_SUCCESS, "IPv4 lease found.",
				lease_json(&rec));
}

/* ---- reservations ------------------------------------------------------ */

static struct json_object *reservation_json(const struct dx_subnet_conf *sc,
					    const struct dx_reservation_conf *r)
{
	struct json_object *o = json_object_new_object();

	add_u64(o, "subnet-id", sc->id);
	if (r->has_hw)
		json_object_object_add(o, "hw-address", jstr_hex(r->hw, 6));
	if (r->client_id)
		json_object_object_add(
			o, "client-id",
			jstr_hex(r->client_id, r->client_id_len));
	json_object_object_add(o, "ip-address", jstr_ip(r->addr));
	if (r->hostname)
		json_object_object_add(o, "hostname",
				       json_object_new_string(r->hostname));
	add_u64(o, "options", r->options.n);
	json_object_object_add(
		o, "source",
		json_object_new_string(r->runtime ? "runtime" : "config"));
	json_object_object_add(
		o, "fast-path",
		json_object_new_boolean(r->has_hw && !r->client_id &&
					!r->hostname && r->options.n == 0));
	return o;
}

static struct json_object *cmd_res_all_h(struct daemon *d,
					 struct json_object *args)
{
	struct json_object *arr, *o;
	uint32_t subnet = 0;
	bool present;
	size_t n;
	char text[64];

	if (arg_u32(args, "subnet-id", &subnet, &present))
		return fail(CONTROL_ERROR, "'subnet-id' must be an unsigned "
					   "integer");
	if (present && !config_subnet_by_id(d->cfg, subnet))
		return fail(CONTROL_ERROR, "no subnet with id %u", subnet);
	arr = json_object_new_array();
	for (size_t i = 0; i < d->cfg->n_subnets; i++) {
		const struct dx_subnet_conf *sc = &d->cfg->subnets[i];

		if (present && sc->id != subnet)
			continue;
		for (size_t j = 0; j < sc->n_reservations; j++)
			json_object_array_add(
				arr,
				reservation_json(sc, &sc->reservations[j]));
	}
	n = json_object_array_length(arr);
	o = json_object_new_object();
	json_object_object_add(o, "hosts", arr);
	snprintf(text, sizeof(text), "%zu IPv4 host(s) found.", n);
	return control_response(n ? CONTROL_SUCCESS : CONTROL_EMPTY, text, o);
}

/* ---- reload, version ------------------------------------------------- */

static struct json_object *cmd_reload_h(struct daemon *d,
					struct json_object *args)
{
	struct config_diag diag;
	struct dx_config *probe;
	int ret;

	(void)args;
	/* Validated here first so the reply names what is wrong; the
	 * daemon's own load repeats it and logs the same. */
	ret = config_load(d->config_path, &probe, &diag);
	if (ret) {
		struct json_object *r =
			fail(CONTROL_ERROR,
			     "%s; still serving the previous configuration",
			     diag.error);

		config_diag_free(&diag);
		return r;
	}
	config_diag_free(&diag);
	/* The run-time reservations are merged on reload: checked too. */
	ret = rstore_load_merge(probe, diag.error, sizeof(diag.error));
	config_free(probe);
	if (ret)
		return fail(CONTROL_ERROR,
			    "%s; still serving the previous configuration",
			    diag.error);
	ret = daemon_reload(d);
	if (ret)
		return fail(CONTROL_ERROR,
			    "reload of %s failed (%s); see the daemon's log",
			    d->config_path, strerror(-ret));
	return fail(CONTROL_SUCCESS, "configuration reloaded from %s",
		    d->config_path);
}

static struct json_object *cmd_version_h(struct daemon *d,
					 struct json_object *args)
{
	struct json_object *o = json_object_new_object();
	char ext[64];

	(void)d;
	(void)args;
	snprintf(ext, sizeof(ext), "dhcpxdp %s (ABI %d)", DHCPXDP_VERSION,
		 DHCPXDP_ABI_VERSION);
	json_object_object_add(o, "extended", json_object_new_string(ext));
	add_u64(o, "abi", DHCPXDP_ABI_VERSION);
	return control_response(CONTROL_SUCCESS, DHCPXDP_VERSION, o);
}

/* interface-attach / interface-detach {"interface": NAME}: serve an
 * interface `dhcpxdp attach` just attached, or stop serving it. */
static struct json_object *runtime_if(struct daemon *d,
				      struct json_object *args, bool serve)
{
	struct json_object *v;
	const char *name;
	int ret;

	if (!args || !json_object_object_get_ex(args, "interface", &v) ||
	    !json_object_is_type(v, json_type_string))
		return fail(CONTROL_ERROR, "missing 'interface'");
	name = json_object_get_string(v);
	if (!*name || strlen(name) >= IF_NAMESIZE)
		return fail(CONTROL_ERROR, "bad interface name");
	ret = daemon_runtime_interface(d, name, serve);
	switch (ret) {
	case 0:
		return fail(CONTROL_SUCCESS, "%s %s", serve ? "serving" :
						      "no longer serving", name);
	case -EEXIST:
		return fail(CONTROL_EMPTY, "%s is already served", name);
	case -EPERM:
		return fail(CONTROL_ERROR,
			    "%s is in %s; remove it there and reload", name,
			    d->config_path);
	case -ENOENT:
		return fail(CONTROL_EMPTY, "%s was not attached at run time",
			    name);
	default:
		return fail(CONTROL_ERROR, "cannot %s %s: %s (see the log)",
			    serve ? "serve" : "stop serving", name,
			    strerror(-ret));
	}
}

static struct json_object *cmd_if_attach_h(struct daemon *d,
					   struct json_object *args)
{
	return runtime_if(d, args, true);
}

static struct json_object *cmd_if_detach_h(struct daemon *d,
					   struct json_object *args)
{
	return runtime_if(d, args, false);
}

static struct json_object *cmd_list_h(struct daemon *d,
				      struct json_object *args);

static const struct {
	const char *name;
	struct json_object *(*fn)(struct daemon *d, struct json_object *args);
} handlers[] = {
	{"status", cmd_status_h},
	{"statistic-get-all", cmd_stats_h},
	{"lease4-get-all", cmd_lease_all_h},
	{"lease4-get", cmd_lease_get_h},
	{"lease4-del", control_lease_del},
	{"reservation-get-all", cmd_res_all_h},
	{"reservation-add", control_reservation_add},
	{"reservation-del", control_reservation_del},
	{"config-reload", cmd_reload_h},
	{"interface-attach", cmd_if_attach_h},
	{"interface-detach", cmd_if_detach_h},
	{"version-get", cmd_version_h},
	{"list-commands", cmd_list_h},
};

static struct json_object *cmd_list_h(struct daemon *d,
				      struct json_object *args)
{
	struct json_object *a = json_object_new_array();

	(void)d;
	(void)args;
	for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
		json_object_array_add(a,
				      json_object_new_string(handlers[i].name));
	return control_response(CONTROL_SUCCESS, "list of commands", a);
}

static struct json_object *dispatch(struct daemon *d, const char *buf,
				    size_t len)
{
	struct json_object *req, *args, *resp;
	const char *command;
	char err[256];

	if (control_parse_request(buf, len, &req, &command, &args, err,
				  sizeof(err)))
		return fail(CONTROL_ERROR, "%s", err);
	resp = NULL;
	for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
		if (!strcmp(handlers[i].name, command)) {
			log_debug("control: %s", command);
			resp = handlers[i].fn(d, args);
			break;
		}
	if (!resp)
		resp = fail(CONTROL_UNSUPPORTED, "'%s' command not supported",
			    command);
	json_object_put(req);
	return resp;
}

/* ---- connections ------------------------------------------------------- */

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait for fd to become ready for `events` until `deadline`; 0 or
 * -ETIMEDOUT. */
static int wait_fd(int fd, short events, int64_t deadline)
{
	struct pollfd p = {.fd = fd, .events = events};
	int64_t left;
	int n;

	for (;;) {
		left = deadline - mono_ms();
		if (left <= 0)
			return -ETIMEDOUT;
		n = poll(&p, 1, (int)left);
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return -errno;
	}
}

/*
 * Read one request: up to EOF or to the end of a complete JSON value
 * (clients such as `socat` may not shut their side down), at most
 * CONTROL_REQUEST_MAX bytes, within CONTROL_READ_TIMEOUT_MS.
 */
static int read_request(int fd, char *buf, size_t *len)
{
	int64_t deadline = mono_ms() + CONTROL_READ_TIMEOUT_MS;
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o;
	int ret = 0;
	ssize_t n;

	if (!tok)
		return -ENOMEM;
	*len = 0;
	for (;;) {
		n = recv(fd, buf + *len, CONTROL_REQUEST_MAX + 1 - *len, 0);
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN) {
				ret = -errno;
				break;
			}
			ret = wait_fd(fd, POLLIN, deadline);
			if (ret)
				break;
			continue;
		}
		o = json_tokener_parse_ex(tok, buf + *len, (int)n);
		*len += (size_t)n;
		if (*len > CONTROL_REQUEST_MAX) {
			json_object_put(o);
			ret = -E2BIG;
			break;
		}
		if (o || json_tokener_get_error(tok) != json_tokener_continue) {
			json_object_put(o);
			break; /* complete, or broken: parsed again below */
		}
	}
	json_tokener_free(tok);
	return ret;
}

static void write_response(int fd, struct json_object *resp)
{
	int64_t deadline = mono_ms() + CONTROL_WRITE_TIMEOUT_MS;
	const char *s;
	size_t len, off = 0;
	ssize_t n;

	if (!resp)
		return;
	s = json_object_to_json_string_ext(
		resp, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	len = strlen(s);
	while (off < len) {
		n = send(fd, s + off, len - off, MSG_NOSIGNAL);
		if (n > 0) {
			off += (size_t)n;
		} else if (n < 0 && errno == EAGAIN) {
			if (wait_fd(fd, POLLOUT, deadline)) {
				log_warn("control: client too slow to read "
					 "its answer; dropped");
				return;
			}
		} else if (n < 0 && errno != EINTR) {
			return;
		}
	}
}

static void serve(struct daemon *d, int fd)
{
	struct json_object *resp;
	struct ucred cred = {.uid = (uid_t)-1};
	socklen_t cl = sizeof(cred);
	char *buf;
	size_t len;
	int ret;

	buf = malloc(CONTROL_REQUEST_MAX + 1);
	if (!buf)
		return;
	/* The socket is 0600 root, but its directory may be reachable by
	 * others if the operator chose one: check the peer as well, before
	 * waiting on it. What it already sent is drained without waiting,
	 * so the refusal is read rather than lost to a reset. */
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &cl) ||
	    cred.uid != 0) {
		log_limited(&d->ctl->lim_peer, now_mono(), 60, LOG_LVL_WARN,
			    "control: refused a connection from uid %d",
			    (int)cred.uid);
		(void)recv(fd, buf, CONTROL_REQUEST_MAX, MSG_DONTWAIT);
		resp = fail(CONTROL_ERROR, "permission denied: the control "
					   "socket is for root only");
		goto out;
	}
	ret = read_request(fd, buf, &len);
	if (ret == -E2BIG)
		resp = fail(CONTROL_ERROR, "request larger than %d bytes",
			    CONTROL_REQUEST_MAX);
	else if (ret == -ETIMEDOUT)
		resp = fail(CONTROL_ERROR, "request incomplete after %d ms",
			    CONTROL_READ_TIMEOUT_MS);
	else if (ret)
		resp = NULL;
	else
		resp = dispatch(d, buf, len);
out:
	free(buf);
	write_response(fd, resp);
	json_object_put(resp);
}

void control_accept(struct daemon *d)
{
	/* A few per wakeup, so packets are not kept waiting behind a
	 * flood of connections; epoll reports the rest next round. */
	for (int i = 0; d && d->ctl && i < 8; i++) {
		int fd = accept4(d->ctl->fd, NULL, NULL,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0)
			return;
		serve(d, fd);
		close(fd);
	}
}

/* ---- the socket -------------------------------------------------------- */

/* Create the missing directories of path's parent, 0700 each. */
static int make_parent(const char *path)
{
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s", path);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) && errno != EEXIST) {
			log_err("control socket: cannot create %s: %s", dir,
				strerror(errno));
			return -errno;
		}
		*p = '/';
	}
	return 0;
}

/* A socket file left by a daemon that died is removed; one a live daemon
 * answers on is not. */
static int clear_stale(const struct sockaddr_un *sa)
{
	struct stat st;
	int fd, ret;

	if (lstat(sa->sun_path, &st))
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode)) {
		log_err("control socket: %s exists and is not a socket; remove "
			"it or change control-socket.socket-name",
			sa->sun_path);
		return -EEXIST;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	ret = connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) ? -errno
								    : 0;
	close(fd);
	if (!ret) {
		log_err("control socket: another dhcpxdp answers on %s; stop "
			"it first",
			sa->sun_path);
		return -EADDRINUSE;
	}
	if (unlink(sa->sun_path) && errno != ENOENT)
		return -errno;
	return 0;
}

static int open_socket(struct control *ctl, const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	mode_t old;
	int ret;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		log_err("control socket: path %s longer than %zu bytes", path,
			sizeof(sa.sun_path) - 1);
		return -ENAMETOOLONG;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	snprintf(ctl->path, sizeof(ctl->path), "%s", path);
	ret = make_parent(path);
	if (!ret)
		ret = clear_stale(&sa);
	if (ret)
		return ret;
	ctl->fd =
		socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (ctl->fd < 0)
		return -errno;
	/* 0600 from the start: no window in which others may connect. */
	old = umask(0177);
	ret = bind(ctl->fd, (struct sockaddr *)&sa, sizeof(sa)) ? -errno : 0;
	umask(old);
	if (!ret && chmod(path, 0600))
		ret = -errno;
	if (!ret && listen(ctl->fd, 16))
		ret = -errno;
	if (ret)
		log_err("control socket %s: %s", path, strerror(-ret));
	return ret;
}

int control_open(struct daemon *d)
{
	struct control *ctl;
	int ret;

	if (!d || !d->cfg || !d->cfg->control_socket.socket_name)
		return -EINVAL;
	ctl = calloc(1, sizeof(*ctl));
	if (!ctl)
		return -ENOMEM;
	ctl->fd = -1;
	ctl->ncpu = libbpf_num_possible_cpus();
	if (ctl->ncpu > 0)
		ctl->per_cpu = calloc((size_t)ctl->ncpu, sizeof(*ctl->per_cpu));
	d->ctl = ctl;
	ret = open_socket(ctl, d->cfg->control_socket.socket_name);
	if (ret) {
		ctl->path[0] = '\0'; /* not ours to unlink */
		control_close(d);
		return ret;
	}
	log_info("control socket %s", ctl->path);
	return 0;
}

int control_fd(const struct control *ctl)
{
	return ctl ? ctl->fd : -1;
}

void control_close(struct daemon *d)
{
	struct control *ctl = d ? d->ctl : NULL;

	if (!ctl)
		return;
	if (ctl->fd >= 0) {
		close(ctl->fd);
		if (ctl->path[0])
			unlink(ctl->path);
	}
	free(ctl->per_cpu);
	free(ctl);
	d->ctl = NULL;
}
