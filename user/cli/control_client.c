// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The control socket, CLI side (control_client.h): one request per
 * connection, Kea-style JSON, errors phrased for the operator.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>
#include <json-c/json.h>
#include "cli/cli.h"
#include "config/config.h"
#include "daemon/control_json.h"
#include "cli/control_client.h"

char *ctl_request_build(const char *command, struct json_object *args)
{
	struct json_object *o;
	char *s;

	if (!command || !*command) {
		json_object_put(args);
		return NULL;
	}
	o = json_object_new_object();
	if (!o) {
		json_object_put(args);
		return NULL;
	}
	json_object_object_add(o, "command", json_object_new_string(command));
	if (args)
		json_object_object_add(o, "arguments", args);
	s = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return s;
}

int ctl_response_parse(const char *buf, size_t len, struct json_object **resp,
		       int *result, const char **text,
		       struct json_object **args, char *err, size_t errlen)
{
	struct json_tokener *tok;
	struct json_object *o, *r, *t, *a;

	if (!buf || !resp || !result || !text || !args)
		return -EINVAL;
	*resp = NULL;
	*args = NULL;
	*text = "";
	tok = json_tokener_new_ex(JSON_TOKENER_DEFAULT_DEPTH);
	if (!tok)
		return -ENOMEM;
	o = json_tokener_parse_ex(tok, buf, (int)len);
	if (o && json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	if (!o || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, "result", &r) ||
	    !json_object_is_type(r, json_type_int)) {
		json_object_put(o);
		snprintf(err, errlen,
			 "the daemon's answer is not a control "
			 "response (%zu bytes)",
			 len);
		return -EBADMSG;
	}
	*result = json_object_get_int(r);
	if (json_object_object_get_ex(o, "text", &t) &&
	    json_object_is_type(t, json_type_string))
		*text = json_object_get_string(t);
	if (json_object_object_get_ex(o, "arguments", &a) &&
	    !json_object_is_type(a, json_type_null))
		*args = a;
	*resp = o;
	return 0;
}

static int connect_to(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct timeval tv = {.tv_sec = CTL_TIMEOUT_S};
	int fd, e;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "control socket path %s is too long",
			 path);
		return -ENAMETOOLONG;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		e = errno;
		snprintf(err, errlen, "socket: %s", strerror(e));
		return -e;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		return fd;
	e = errno;
	close(fd);
	if (e == ENOENT || e == ECONNREFUSED || e == ENOTDIR)
		snprintf(err, errlen,
			 "dhcpxdp is not running (no control socket at %s); "
			 "start it with 'dhcpxdp run' or 'systemctl start "
			 "dhcpxdp'",
			 path);
	else if (e == EACCES || e == EPERM)
		snprintf(err, errlen,
			 "permission denied on the control socket %s: run as "
			 "root",
			 path);
	else
		snprintf(err, errlen,
			 "cannot connect to the control socket "
			 "%s: %s",
			 path, strerror(e));
	return -e;
}

static int send_all(int fd, const char *s, size_t len)
{
	while (len) {
		ssize_t n = send(fd, s, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Read to EOF (the daemon closes after its answer). */
static int recv_all(int fd, char **out, size_t *len)
{
	size_t cap = 16384, n = 0;
	char *buf = malloc(cap + 1), *p;
	ssize_t r;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (n == cap) {
			if (cap >= CTL_RESPONSE_MAX) {
				free(buf);
				return -E2BIG;
			}
			cap *= 2;
			p = realloc(buf, cap + 1);
			if (!p) {
				free(buf);
				return -ENOMEM;
			}
			buf = p;
		}
		r = recv(fd, buf + n, cap - n, 0);
		if (r < 0 && errno == EINTR)
			continue;
		/* A daemon that closed with part of our request unread
		 * (refusing us) resets the connection after its answer. */
		if (r < 0 && errno == ECONNRESET && n)
			break;
		if (r < 0) {
			int e = errno;

			free(buf);
			return e == EAGAIN ? -ETIMEDOUT : -e;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

int ctl_call(const char *path, const char *command, struct json_object *args,
	     struct json_object **resp, char *err, size_t errlen)
{
	const char *text;
	struct json_object *a;
	char *req, *buf = NULL;
	size_t len = 0;
	int fd, ret, result;

	req = ctl_request_build(command, args);
	if (!req) {
		snprintf(err, errlen, "cannot build the request");
		return -ENOMEM;
	}
	fd = connect_to(path, err, errlen);
	if (fd < 0) {
		free(req);
		return fd;
	}
	ret = send_all(fd, req, strlen(req));
	free(req);
	/* A daemon refusing us may close before reading it all: its answer
	 * is still there to read. */
	if (!ret || ret == -EPIPE || ret == -ECONNRESET) {
		shutdown(fd, SHUT_WR);
		ret = recv_all(fd, &buf, &len);
	}
	close(fd);
	if (ret) {
		snprintf(err, errlen, "talking to the daemon on %s: %s", path,
			 ret == -ETIMEDOUT ? "no answer in time"
					   : strerror(-ret));
		return ret;
	}
	if (len == 0) {
		snprintf(err, errlen,
			 "the daemon closed the connection on %s "
			 "without answering (see its log)",
			 path);
		free(buf);
		return -EPIPE;
	}
	ret = ctl_response_parse(buf, len, resp, &result, &text, &a, err,
				 errlen);
	free(buf);
	return ret;
}

int ctl_cli_call(const char *cmd, const char *config, const char *socket,
		 const char *command, struct json_object *args,
		 struct json_object **resp)
{
	struct dx_config *cfg;
	struct json_object *a;
	char path[4096], err[1200];
	const char *text;
	int result, ret;

	*resp = NULL;
	if (!socket) {
		if (cli_config(cmd, config, &cfg)) {
			json_object_put(args);
			return 1;
		}
		snprintf(path, sizeof(path), "%s",
			 cfg->control_socket.socket_name);
		config_free(cfg);
		socket = path;
	}
	ret = ctl_call(socket, command, args, resp, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "dhcpxdp %s: %s\n", cmd, err);
		return 1;
	}
	/* Re-read the fields from the parsed answer. */
	json_object_object_get_ex(*resp, "result", &a);
	result = json_object_get_int(a);
	text = json_object_object_get_ex(*resp, "text", &a)
		       ? json_object_get_string(a)
		       : "";
	if (result == CONTROL_SUCCESS || result == CONTROL_EMPTY)
		return 0;
	fprintf(stderr, "dhcpxdp %s: %s%s\n", cmd,
		result == CONTROL_UNSUPPORTED ? "not supported: " : "", text);
	json_object_put(*resp);
	*resp = NULL;
	return 1;
}

/* ---- status for people ------------------------------------------------ */

void ctl_format_duration(char *buf, size_t len, unsigned long long s)
{
	if (s >= 86400)
		snprintf(buf, len, "%llud%02lluh", s / 86400,
			 (s % 86400) / 3600);
	else if (s >= 3600)
		snprintf(buf, len, "%lluh%02llum", s / 3600, (s % 3600) / 60);
	else if (s >= 60)
		snprintf(buf, len, "%llum%02llus", s / 60, s % 60);
	else
		snprintf(buf, len, "%llus", s);
}

static struct json_object *get(struct json_object *o, const char *k)
{
	struct json_object *v = NULL;

	if (o)
		json_object_object_get_ex(o, k, &v);
	return v;
}

static unsigned long long u(struct json_object *o, const char *k)
{
	return (unsigned long long)json_object_get_uint64(get(o, k));
}

static const char *s(struct json_object *o, const char *k)
{
	const char *v = json_object_get_string(get(o, k));

	return v ? v : "-";
}

static void print_interfaces(FILE *f, struct json_object *ifs)
{
	size_t n = json_object_array_length(ifs);

	fprintf(f, "\n%-16s %7s %-15s %s\n", "INTERFACE", "IFINDEX",
		"SERVER-ID", "XDP");
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(ifs, i);
		struct json_object *served = get(o, "served");
		char xdp[96];

		if (served && !json_object_get_boolean(served))
			snprintf(xdp, sizeof(xdp), "NOT SERVED: %s",
				 s(o, "problem"));
		else if (json_object_get_boolean(get(o, "attached")))
			snprintf(xdp, sizeof(xdp),
				 "attached (prog %llu, %s, %s)",
				 u(o, "prog-id"), s(o, "attach"), s(o, "mode"));
		else
			snprintf(xdp, sizeof(xdp), "NOT ATTACHED");
		fprintf(f, "%-16s %7llu %-15s %s\n", s(o, "name"),
			u(o, "ifindex"), s(o, "server-id"), xdp);
	}
}

static void print_subnets(FILE *f, struct json_object *subs)
{
	size_t n = json_object_array_length(subs);

	fprintf(f, "\n%6s %-18s %8s %8s %8s %8s %8s %8s  %s\n", "SUBNET",
		"PREFIX", "POOL", "USED", "FREE", "DECLINED", "RESERVED",
		"LEASES", "SHARED-NETWORK");
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(subs, i);
		struct json_object *p = get(o, "pool"), *sn;

		fprintf(f,
			"%6llu %-18s %8llu %8llu %8llu %8llu %8llu %8llu  %s\n",
			u(o, "id"), s(o, "subnet"), u(p, "total"), u(p, "used"),
			u(p, "free"), u(p, "declined"), u(p, "reserved"),
			u(o, "leases"),
			json_object_object_get_ex(o, "shared-network", &sn)
				? json_object_get_string(sn)
				: "-");
	}
}

/* A high-availability pair, from Kea's status-get shape. */
static void print_ha(FILE *f, struct json_object *list)
{
	struct json_object *rel = json_object_array_get_idx(list, 0),
			   *srv = get(rel, "ha-servers");
	struct json_object *me = get(srv, "local"), *peer = get(srv, "remote");
	struct json_object *scopes = get(me, "scopes");
	long long age = (long long)json_object_get_int64(get(peer, "age-ms"));
	size_t n = json_object_array_length(scopes);

	if (!rel)
		return;
	fprintf(f, "\nhigh availability (%s): %s (%s), state %s, scopes ",
		s(rel, "ha-mode"), s(me, "server-name"), s(me, "role"),
		s(me, "state"));
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? "," : "",
			json_object_get_string(
				json_object_array_get_idx(scopes, i)));
	fprintf(f, "%s\n", n ? "" : "none");
	if (age < 0)
		fprintf(f, "partner %s (%s): no heartbeat seen\n",
			s(peer, "server-name"), s(peer, "role"));
	else
		fprintf(f, "partner %s (%s): last heartbeat %.1f s ago\n",
			s(peer, "server-name"), s(peer, "role"),
			(double)age / 1000.0);
}

void ctl_print_status(FILE *f, struct json_object *st)
{
	struct json_object *m = get(st, "lease-map"),
			   *fp = get(st, "fast-path");
	struct json_object *cnt = get(st, "counters");
	unsigned long long x = u(fp, "xdp-replies"),
			   dm = u(fp, "daemon-replies");
	char up[32];
	int col = 0;

	ctl_format_duration(up, sizeof(up), u(st, "uptime"));
	fprintf(f, "dhcpxdp %s running: pid %llu, up %s\nconfig %s, pins %s\n",
		s(st, "version"), u(st, "pid"), up, s(st, "config"),
		s(st, "pin-dir"));
	print_interfaces(f, get(st, "interfaces"));
	print_subnets(f, get(st, "subnets"));
	if (get(st, "high-availability"))
		print_ha(f, get(st, "high-availability"));
	fprintf(f, "\nlease map: %llu of %llu entries (%.1f%%)\n",
		u(m, "entries"), u(m, "capacity"),
		u(m, "capacity") ? 100.0 * (double)u(m, "entries") /
					   (double)u(m, "capacity")
				 : 0.0);
	if (x + dm)
		fprintf(f,
			"replies in the last %llus: %llu by XDP, %llu by "
			"the daemon (%.0f%% fast path)\n",
			u(fp, "window-seconds"), x, dm,
			100.0 * (double)x / (double)(x + dm));
	else
		fprintf(f, "replies in the last %llus: none\n",
			u(fp, "window-seconds"));
	fprintf(f, "\ndaemon counters:\n");
	json_object_object_foreach(cnt, k, v)
	{
		fprintf(f, "  %-22s %10llu%s", k,
			(unsigned long long)json_object_get_uint64(v),
			++col % 2 ? "" : "\n");
	}
	if (col % 2)
		fputc('\n', f);
}
