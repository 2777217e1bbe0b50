// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Name change requests to D2 (ddns.h): encoded when queued, sent from a
 * ring of at most max-queue-size of them over a non-blocking UDP socket.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "daemon/ddns.h"
#include "util/clock.h"

static const char *const conflict_mode_names[] = {
	[DX_DDNS_CHECK_WITH_DHCID] = "check-with-dhcid",
	[DX_DDNS_NO_CHECK_WITH_DHCID] = "no-check-with-dhcid",
	[DX_DDNS_CHECK_EXISTS_WITH_DHCID] = "check-exists-with-dhcid",
	[DX_DDNS_NO_CHECK_WITHOUT_DHCID] = "no-check-without-dhcid",
};

/*
 * The name as a JSON string's contents: with hostname-char-set "" (or a
 * reservation's hostname) it may hold a quote, a backslash or a control
 * byte, which must not end the string early (RFC 8259 §7).
 */
static void json_escape(const char *s, char *out, size_t cap)
{
	size_t o = 0;

	for (; *s && o + 7 < cap; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = (char)c;
		} else if (c < 0x20 || c == 0x7f) {
			o += (size_t)snprintf(out + o, cap - o, "\\u%04x", c);
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
}

int ddns_ncr_json(const struct engine_ncr *n, char *buf, size_t cap)
{
	char dhcid[2 * ENGINE_DHCID_LEN + 1], when[32];
	char fqdn[6 * ENGINE_NCR_FQDN_MAX + 1];
	time_t t = (time_t)n->expires;
	uint8_t mode = n->conflict_mode <= DX_DDNS_NO_CHECK_WITHOUT_DHCID
			       ? n->conflict_mode
			       : DX_DDNS_CHECK_WITH_DHCID;
	struct tm tm;
	int len;

	for (size_t i = 0; i < ENGINE_DHCID_LEN; i++)
		snprintf(dhcid + 2 * i, 3, "%02X", n->dhcid[i]);
	if (!gmtime_r(&t, &tm) ||
	    !strftime(when, sizeof(when), "%Y%m%d%H%M%S", &tm))
		return -EINVAL;
	json_escape(n->fqdn, fqdn, sizeof(fqdn));
	len = snprintf(buf, cap,
		       "{\"change-type\":%u,\"forward-change\":%s,"
		       "\"reverse-change\":%s,\"fqdn\":\"%s\","
		       "\"ip-address\":\"%u.%u.%u.%u\",\"dhcid\":\"%s\","
		       "\"lease-expires-on\":\"%s\",\"lease-length\":%u,"
		       "\"use-conflict-resolution\":%s,"
		       "\"conflict-resolution-mode\":\"%s\"}",
		       n->kind, n->fwd ? "true" : "false",
		       n->rev ? "true" : "false", fqdn, n->addr >> 24,
		       (n->addr >> 16) & 0xff, (n->addr >> 8) & 0xff,
		       n->addr & 0xff, dhcid, when, n->ttl,
		       mode == DX_DDNS_CHECK_WITH_DHCID ||
				       mode == DX_DDNS_CHECK_EXISTS_WITH_DHCID
			       ? "true"
			       : "false",
		       conflict_mode_names[mode]);
	if (len < 0 || (size_t)len >= cap)
		return -ENOSPC;
	return len;
}

int ddns_open(struct ddns_sender *s, const struct dx_ddns_conf *conf,
	      struct ddns_counters cnt)
{
	struct sockaddr_in from = {.sin_family = AF_INET};
	int ret;

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->cnt = cnt;
	if (!conf->enable_updates)
		return 0;
	s->msg = calloc(conf->max_queue_size, sizeof(*s->msg));
	s->len = calloc(conf->max_queue_size, sizeof(*s->len));
	if (!s->msg || !s->len) {
		ret = -ENOMEM;
		goto fail;
	}
	s->cap = conf->max_queue_size;
	s->server.sin_family = AF_INET;
	s->server.sin_addr.s_addr = htonl(conf->server_ip);
	s->server.sin_port = htons(conf->server_port);
	from.sin_addr.s_addr = htonl(conf->sender_ip);
	from.sin_port = htons(conf->sender_port);
	s->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0 || bind(s->fd, (struct sockaddr *)&from, sizeof(from))) {
		ret = -errno;
		log_err("dhcp-ddns: cannot bind the sender to %s:%u: %s",
			inet_ntoa(from.sin_addr), conf->sender_port,
			strerror(errno));
		goto fail;
	}
	log_info("dhcp-ddns: name change requests go to %s:%u",
		 inet_ntoa(s->server.sin_addr), conf->server_port);
	return 0;
fail:
	ddns_close(s);
	return ret;
}

void ddns_close(struct ddns_sender *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	for (size_t i = 0; s->msg && i < s->cap; i++)
		free(s->msg[i]);
	free(s->msg);
	free(s->len);
	s->msg = NULL;
	s->len = NULL;
	s->cap = s->n = s->head = 0;
}

void ddns_flush(struct ddns_sender *s)
{
	while (s->fd >= 0 && s->n) {
		size_t i = s->head;
		ssize_t r = sendto(s->fd, s->msg[i], s->len[i], 0,
				   (struct sockaddr *)&s->server,
				   sizeof(s->server));

		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
			      errno == ENOBUFS))
			return; /* the next queue or timer tick retries */
		if (r < 0) {
			(*s->cnt.send_errors)++;
			log_limited(&s->lim_send, now_mono(), 60, LOG_LVL_WARN,
				    "dhcp-ddns: sending a name change request "
				    "to %s:%u failed: %s",
				    inet_ntoa(s->server.sin_addr),
				    ntohs(s->server.sin_port), strerror(errno));
		} else {
			(*s->cnt.sent)++;
		}
		free(s->msg[i]);
		s->msg[i] = NULL;
		s->head = (s->head + 1) % s->cap;
		s->n--;
	}
}

static void drop(struct ddns_sender *s, const struct engine_ncr *n,
		 const char *why)
{
	(*s->cnt.dropped)++;
	log_limited(&s->lim_drop, now_mono(), 60, LOG_LVL_WARN,
		    "dhcp-ddns: name change request for %s dropped: %s",
		    n->fqdn, why);
}

void ddns_queue(struct ddns_sender *s, const struct engine_ncr *ncr, size_t n)
{
	char json[DDNS_MSG_MAX];

	if (s->fd < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		size_t slot = (s->head + s->n) % s->cap;
		int len;

		if (s->n == s->cap) {
			ddns_flush(s);
			if (s->n == s->cap) {
				drop(s, &ncr[i],
				     "the queue is full "
				     "(max-queue-size)");
				continue;
			}
			slot = (s->head + s->n) % s->cap;
		}
		len = ddns_ncr_json(&ncr[i], json, sizeof(json) - 2);
		if (len < 0 || !(s->msg[slot] = malloc((size_t)len + 2))) {
			drop(s, &ncr[i], len < 0 ? "too long" : "no memory");
			continue;
		}
		s->msg[slot][0] = (uint8_t)(len >> 8);
		s->msg[slot][1] = (uint8_t)len;
		memcpy(s->msg[slot] + 2, json, (size_t)len);
		s->len[slot] = (uint16_t)(len + 2);
		s->n++;
		(*s->cnt.queued)++;
	}
	ddns_flush(s);
}
