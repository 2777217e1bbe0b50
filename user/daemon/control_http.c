// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Kea's HTTP/HTTPS control sockets (control_http.h, docs/control.md):
 * one libmicrohttpd daemon per configured socket, in external epoll mode
 * like the metrics endpoint (metrics_http.c), every request answered on
 * the daemon's thread. The request's body goes to control_dispatch(), the
 * Unix socket's dispatcher; what is HTTP's is here: Kea's basic
 * authentication (HttpCommandConfig, BasicHttpAuthConfig), the "service"
 * check and the list around the answer (HttpCommandResponseCreator), the
 * status codes of a request that is no command, the extra http-headers.
 *
 * A socket is LIVE (served), NEXT (opened by a reload, served once it
 * commits) or OLD (replaced by a reload: no longer accepting, closed once
 * its connections are done). The change from LIVE to OLD never stops a
 * libmicrohttpd daemon inside its own MHD_run() - config-reload may come
 * over the very socket it replaces - but after it returns.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <json-c/json.h>
#include <microhttpd.h>
#include "config/config.h"
#include "daemon/control.h"
#include "daemon/control_http.h"
#include "daemon/control_http_tls.h"
#include "daemon/control_json.h"
#include "daemon/daemon_state.h"
#include "util/clock.h"
#include "util/log.h"

enum srv_state { SRV_NEXT, SRV_LIVE, SRV_OLD };

struct http_server {
	struct http_server *next;
	struct control_http *h;
	enum srv_state state;
	struct MHD_Daemon *mhd;
	int mhd_epfd;
	int listen_fd; /* until MHD owns it */
	bool quiesced;
	int64_t close_by; /* OLD: monotonic s */
	struct sockaddr_storage sa;
	socklen_t salen;
	char name[INET6_ADDRSTRLEN + 24]; /* "https://[::1]:8004" */
	char *path;			  /* Dhcp4.control-sockets[N] */
	bool tls, cert_required;
	struct http_tls files;
	char *realm;
	char **tokens; /* base64 of each "user:password" */
	size_t n_tokens;
	char **hdr_names, **hdr_values;
	size_t n_headers;
};

struct control_http {
	struct daemon *d;
	int epfd;
	struct http_server *servers;
	bool running; /* inside MHD_run() */
	bool closing;
	struct log_limit lim, lim_auth;
};

/* One request's body, as it arrives. */
struct http_req {
	char *body;
	size_t len;
	bool too_big;
	bool refused; /* answered before the body */
};

/* ---- answers ------------------------------------------------------------- */

static enum MHD_Result answer(struct http_server *s,
			      struct MHD_Connection *conn, unsigned int code,
			      struct json_object *body, bool challenge)
{
	const char *text = json_object_to_json_string_ext(
		body, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	struct MHD_Response *r;
	enum MHD_Result ret;
	char ch[512];

	r = MHD_create_response_from_buffer(strlen(text), (void *)text,
					    MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				"application/json");
	for (size_t i = 0; i < s->n_headers; i++)
		MHD_add_response_header(r, s->hdr_names[i], s->hdr_values[i]);
	if (challenge) {
		snprintf(ch, sizeof(ch), "Basic realm=\"%s\"", s->realm);
		MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
					ch);
	}
	if (code == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "POST");
	ret = MHD_queue_response(conn, code, r);
	MHD_destroy_response(r);
	return ret;
}

/*
 * A request that is no command: Kea's stock answer, the status code
 * again as "result" and its reason phrase as "text" (HttpResponseJson).
 */
static enum MHD_Result refuse(struct http_server *s,
			      struct MHD_Connection *conn, unsigned int code)
{
	struct json_object *o = json_object_new_object();
	const char *phrase = MHD_get_reason_phrase_for(code);
	enum MHD_Result ret;

	json_object_object_add(o, "result", json_object_new_int((int)code));
	json_object_object_add(o, "text", json_object_new_string(phrase));
	ret = answer(s, conn, code, o, code == MHD_HTTP_UNAUTHORIZED);
	json_object_put(o);
	return ret;
}

/* ---- who may ask --------------------------------------------------------- */

static char *base64(const char *in)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				  "abcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t n = strlen(in), o = 0;
	const unsigned char *p = (const unsigned char *)in;
	char *out = malloc(4 * ((n + 2) / 3) + 1);

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;

		if (i + 1 < n)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		out[o++] = tab[(v >> 18) & 63];
		out[o++] = tab[(v >> 12) & 63];
		out[o++] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < n ? tab[v & 63] : '=';
	}
	out[o] = '\0';
	return out;
}

/* Equal strings, in a time that does not tell how much of them matched. */
static bool same_secret(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char diff = la != lb;

	for (size_t i = 0; i < la; i++)
		diff |= (unsigned char)(a[i] ^ b[i % (lb ? lb : 1)]);
	return !diff;
}

/*
 * Kea's BasicHttpAuthConfig::checkAuth: "Basic" (any case), then the
 * base64 of one of the clients' "user:password", as sent.
 */
static bool authorized(struct http_server *s, struct MHD_Connection *conn)
{
	const char *v = MHD_lookup_connection_value(
		conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	char tok[1024];
	size_t n;
	bool ok = false;

	if (!s->n_tokens)
		return true;
	if (!v)
		return false;
	while (*v == ' ' || *v == '\t')
		v++;
	if (strncasecmp(v, "basic", 5) || (v[5] != ' ' && v[5] != '\t'))
		return false;
	v += 5;
	while (*v == ' ' || *v == '\t')
		v++;
	n = strlen(v);
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	if (n >= sizeof(tok))
		return false;
	memcpy(tok, v, n);
	tok[n] = '\0';
	for (size_t i = 0; i < s->n_tokens; i++)
		ok |= same_secret(tok, s->tokens[i]);
	return ok;
}

static bool tls_client_ok(struct http_server *s, struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci;

	if (!s->tls)
		return true;
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	return ci && http_tls_client_ok(ci->tls_session, s->cert_required);
}

/* ---- a request ------------------------------------------------------------- */

/*
 * Kea's checkService: "service" may name this server ("dhcp4"), as the
 * Control Agent's requests do; NULL when the command may go on.
 */
static struct json_object *check_service(struct json_object *req)
{
	struct json_object *sv, *name;

	if (!json_object_is_type(req, json_type_object) ||
	    !json_object_object_get_ex(req, "service", &sv))
		return NULL;
	if (!json_object_is_type(sv, json_type_array))
		return ctl_reply(CONTROL_ERROR, "service value must be a list");
	if (!json_object_array_length(sv))
		return NULL;
	if (json_object_array_length(sv) > 1)
		return ctl_reply(CONTROL_ERROR,
				 "service value has more than one item");
	name = json_object_array_get_idx(sv, 0);
	if (!json_object_is_type(name, json_type_string))
		return ctl_reply(CONTROL_ERROR,
				 "service name must be a string");
	if (!*json_object_get_string(name) ||
	    !strcmp(json_object_get_string(name), "dhcp4"))
		return NULL;
	return ctl_reply(CONTROL_ERROR,
			 "unsupported service '%s', expected "
			 "'dhcp4'",
			 json_object_get_string(name));
}

static enum MHD_Result run_command(struct http_server *s,
				   struct MHD_Connection *conn,
				   struct http_req *r)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *req = NULL, *resp, *list;
	enum MHD_Result ret;

	if (!tok)
		return MHD_NO;
	if (r->len)
		req = json_tokener_parse_ex(tok, r->body, (int)r->len);
	if (!req || json_tokener_get_error(tok) != json_tokener_success) {
		json_tokener_free(tok);
		json_object_put(req);
		log_limited(&s->h->lim, now_mono(), 60, LOG_LVL_INFO,
			    "control socket %s: a request's body is not JSON",
			    s->name);
		return refuse(s, conn, MHD_HTTP_BAD_REQUEST);
	}
	json_tokener_free(tok);
	resp = check_service(req);
	json_object_put(req);
	/* The text again: the dispatcher's own checks (one object, no
	 * trailing data, a command) answer as on the Unix socket. */
	if (!resp)
		resp = control_dispatch(s->h->d, r->body, r->len);
	/* Kea's HTTP sockets answer a list, as its Control Agent did: one
	 * answer per service asked. */
	list = json_object_new_array();
	json_object_array_add(list, resp);
	ret = answer(s, conn, MHD_HTTP_OK, list, false);
	json_object_put(list);
	return ret;
}

static bool is_json(const char *ct)
{
	size_t n = strlen("application/json");

	if (!ct)
		return false;
	while (*ct == ' ')
		ct++;
	return !strncasecmp(ct, "application/json", n) &&
	       (!ct[n] || ct[n] == ';' || ct[n] == ' ');
}

/* Before the body: the client, its credentials, the request's form.
 * 0 when the request may go on, else the code to refuse it with. */
static unsigned int first_look(struct http_server *s,
			       struct MHD_Connection *conn, const char *method)
{
	const char *cl;

	if (s->h->closing)
		return MHD_HTTP_SERVICE_UNAVAILABLE;
	if (!tls_client_ok(s, conn)) {
		log_limited(&s->h->lim_auth, now_mono(), 60, LOG_LVL_WARN,
			    "control socket %s: refused a client whose "
			    "certificate the trust anchor did not sign",
			    s->name);
		return MHD_HTTP_FORBIDDEN;
	}
	if (!authorized(s, conn)) {
		log_limited(&s->h->lim_auth, now_mono(), 60, LOG_LVL_INFO,
			    "control socket %s: a request without valid "
			    "credentials (401)",
			    s->name);
		return MHD_HTTP_UNAUTHORIZED;
	}
	if (strcmp(method, MHD_HTTP_METHOD_POST))
		return MHD_HTTP_METHOD_NOT_ALLOWED;
	/* Also what keeps a browser's cross-site form off a socket without
	 * authentication: a form cannot send application/json. */
	if (!is_json(MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						 MHD_HTTP_HEADER_CONTENT_TYPE)))
		return MHD_HTTP_UNSUPPORTED_MEDIA_TYPE;
	cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
					 MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl && strtoull(cl, NULL, 10) > CONTROL_REQUEST_MAX)
		return MHD_HTTP_CONTENT_TOO_LARGE;
	return 0;
}

/* Runs inside MHD_run(), on the daemon's thread. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **req_cls)
{
	struct http_server *s = cls;
	struct http_req *r = *req_cls;

	(void)url;
	(void)version;
	if (!r) {
		unsigned int code = first_look(s, conn, method);

		r = calloc(1, sizeof(*r));
		if (!r)
			return MHD_NO;
		*req_cls = r;
		if (!code)
			return MHD_YES;
		/* Answered before the body, which is not kept. */
		r->refused = true;
		return refuse(s, conn, code);
	}
	if (r->refused) {
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size) {
		if (!r->too_big && r->len + *upload_size > CONTROL_REQUEST_MAX)
			r->too_big = true;
		if (!r->too_big && !r->body)
			r->body = malloc(CONTROL_REQUEST_MAX + 1);
		if (!r->too_big && !r->body)
			return MHD_NO;
		if (!r->too_big) {
			memcpy(r->body + r->len, upload, *upload_size);
			r->len += *upload_size;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->too_big)
		return refuse(s, conn, MHD_HTTP_CONTENT_TOO_LARGE);
	return run_command(s, conn, r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct http_req *r = *req_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (!r)
		return;
	free(r->body);
	free(r);
	*req_cls = NULL;
}

/* Before the TLS handshake: the client certificate it asks for. */
static void on_connection(void *cls, struct MHD_Connection *conn,
			  void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	struct http_server *s = cls;
	const union MHD_ConnectionInfo *ci;

	(void)socket_context;
	if (!s->tls || toe != MHD_CONNECTION_NOTIFY_STARTED)
		return;
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	if (ci)
		http_tls_session_start(ci->tls_session, s->cert_required);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct http_server *s = cls;
	char line[512];
	size_t n;

	vsnprintf(line, sizeof(line), fmt, ap);
	n = strlen(line);
	while (n && line[n - 1] == '\n')
		line[--n] = '\0';
	log_limited(&s->h->lim, now_mono(), 60, LOG_LVL_WARN,
		    "control socket %s: %s", s->name, line);
}

/* ---- a socket ------------------------------------------------------------- */

static void server_free(struct http_server *s)
{
	if (!s)
		return;
	if (s->mhd) {
		if (s->mhd_epfd >= 0 && s->state != SRV_NEXT)
			epoll_ctl(s->h->epfd, EPOLL_CTL_DEL, s->mhd_epfd, NULL);
		MHD_stop_daemon(s->mhd); /* and the listening fd, if ours */
	} else if (s->listen_fd >= 0) {
		close(s->listen_fd);
	}
	http_tls_free(&s->files);
	for (size_t i = 0; i < s->n_tokens; i++) {
		explicit_bzero(s->tokens[i], strlen(s->tokens[i]));
		free(s->tokens[i]);
	}
	free(s->tokens);
	for (size_t i = 0; i < s->n_headers; i++) {
		free(s->hdr_names[i]);
		free(s->hdr_values[i]);
	}
	free(s->hdr_names);
	free(s->hdr_values);
	free(s->realm);
	free(s->path);
	free(s);
}

static void set_addr(struct http_server *s, const struct dx_http_socket_conf *c)
{
	struct sockaddr_in *in = (struct sockaddr_in *)&s->sa;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&s->sa;

	memset(&s->sa, 0, sizeof(s->sa));
	if (inet_pton(AF_INET, c->address, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons(c->port);
		s->salen = sizeof(*in);
		snprintf(s->name, sizeof(s->name), "%s://%s:%u",
			 s->tls ? "https" : "http", c->address, c->port);
	} else {
		/* The loader checked it is one or the other. */
		inet_pton(AF_INET6, c->address, &in6->sin6_addr);
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(c->port);
		s->salen = sizeof(*in6);
		snprintf(s->name, sizeof(s->name), "%s://[%s]:%u",
			 s->tls ? "https" : "http", c->address, c->port);
	}
}

/* Credentials and headers, copied: the configuration may be replaced. */
static int copy_conf(struct http_server *s, const struct dx_http_socket_conf *c)
{
	char up[2048];

	s->tls = c->tls;
	s->cert_required = c->cert_required;
	set_addr(s, c);
	s->path = strdup(c->path ? c->path : "Dhcp4.control-sockets");
	s->realm = strdup(c->realm ? c->realm : CONFIG_DEFAULT_HTTP_REALM);
	s->tokens = calloc(c->n_clients + 1, sizeof(*s->tokens));
	s->hdr_names = calloc(c->n_headers + 1, sizeof(char *));
	s->hdr_values = calloc(c->n_headers + 1, sizeof(char *));
	if (!s->path || !s->realm || !s->tokens || !s->hdr_names ||
	    !s->hdr_values)
		return -ENOMEM;
	for (size_t i = 0; i < c->n_clients; i++) {
		snprintf(up, sizeof(up), "%s:%s", c->clients[i].user,
			 c->clients[i].password);
		s->tokens[i] = base64(up);
		explicit_bzero(up, sizeof(up));
		if (!s->tokens[i])
			return -ENOMEM;
		s->n_tokens++;
	}
	for (size_t i = 0; i < c->n_headers; i++) {
		s->hdr_names[i] = strdup(c->headers[i].name);
		s->hdr_values[i] = strdup(c->headers[i].value);
		s->n_headers++;
		if (!s->hdr_names[i] || !s->hdr_values[i])
			return -ENOMEM;
	}
	return 0;
}

static int listen_on(struct http_server *s, const char *file)
{
	int one = 1, ret;

	s->listen_fd = socket(s->sa.ss_family,
			      SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s->listen_fd < 0) {
		ret = -errno;
		log_err("%s: %s: control socket %s: %s", file, s->path, s->name,
			strerror(-ret));
		return ret;
	}
	if (s->sa.ss_family == AF_INET6)
		setsockopt(s->listen_fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
			   sizeof(one));
	setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (!bind(s->listen_fd, (struct sockaddr *)&s->sa, s->salen) &&
	    !listen(s->listen_fd, 16))
		return 0;
	ret = -errno;
	log_err("%s: %s: control socket %s: cannot listen: %s%s", file, s->path,
		s->name, strerror(-ret),
		ret == -EADDRINUSE ? " (another program has the port; pick "
				     "another socket-port)"
		: ret == -EADDRNOTAVAIL ? " (no interface has this address)"
		: ret == -EACCES	? " (a port below 1024 needs "
					  "CAP_NET_BIND_SERVICE)"
					: "");
	return ret;
}

static int server_start(struct http_server *s, const char *file)
{
	const union MHD_DaemonInfo *info;
	unsigned int flags = MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
	int fd = s->listen_fd;

	/* No MHD_USE_INTERNAL_POLLING_THREAD: MHD runs only in MHD_run(),
	 * on our thread. The logger first, or MHD logs its first words. */
#define COMMON_OPTIONS                                                        \
	MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s, MHD_OPTION_LISTEN_SOCKET, fd, \
		MHD_OPTION_CONNECTION_LIMIT,                                  \
		(unsigned int)CONTROL_HTTP_CONNECTIONS,                       \
		MHD_OPTION_CONNECTION_TIMEOUT,                                \
		(unsigned int)CONTROL_HTTP_TIMEOUT_S,                         \
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,                 \
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, s
	if (s->tls)
		s->mhd = MHD_start_daemon(
			flags | MHD_USE_TLS, 0, NULL, NULL, on_request, s,
			COMMON_OPTIONS, MHD_OPTION_HTTPS_MEM_KEY, s->files.key,
			MHD_OPTION_HTTPS_MEM_CERT, s->files.cert,
			MHD_OPTION_HTTPS_MEM_TRUST, s->files.trust,
			MHD_OPTION_END);
	else
		s->mhd = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
					  COMMON_OPTIONS, MHD_OPTION_END);
#undef COMMON_OPTIONS
	if (!s->mhd) {
		log_err("%s: %s: control socket %s: libmicrohttpd could not "
			"start%s",
			file, s->path, s->name,
			s->tls && MHD_is_feature_supported(MHD_FEATURE_TLS) !=
						MHD_YES
				? " (it was built without TLS)"
				: "");
		return -EIO;
	}
	s->listen_fd = -1; /* MHD's now */
	info = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_EPOLL_FD);
	s->mhd_epfd = info ? info->epoll_fd : -1;
	if (s->mhd_epfd < 0) {
		log_err("control socket %s: libmicrohttpd has no epoll fd",
			s->name);
		return -EIO;
	}
	return 0;
}

static struct http_server *find_live(struct control_http *h,
				     const struct http_server *like)
{
	for (struct http_server *s = h->servers; s; s = s->next)
		if (s->state == SRV_LIVE && s->salen == like->salen &&
		    !memcmp(&s->sa, &like->sa, like->salen))
			return s;
	return NULL;
}

/*
 * A NEXT socket for c: its TLS files read and checked, its address bound,
 * or the listening socket of the LIVE one on the same address shared.
 */
static int server_new(struct control_http *h, const char *file,
		      const struct dx_http_socket_conf *c)
{
	const union MHD_DaemonInfo *info;
	struct http_server *s = calloc(1, sizeof(*s)), *live;
	char err[512];
	int ret;

	if (!s)
		return -ENOMEM;
	s->h = h;
	s->state = SRV_NEXT;
	s->listen_fd = s->mhd_epfd = -1;
	s->next = h->servers;
	h->servers = s;
	ret = copy_conf(s, c);
	if (ret)
		return ret;
	if (s->tls) {
		ret = http_tls_load(c, &s->files, err, sizeof(err));
		if (ret) {
			log_err("%s: %s.%s", file, s->path, err);
			return ret;
		}
	}
	live = find_live(h, s);
	if (live && live->tls != s->tls) {
		/* Kea's rule: a client that used TLS there must not be
		 * answered in clear text by mistake, nor the reverse. */
		log_err("%s: %s: %s is served over %s: switching to %s on the "
			"same address and port is refused (as Kea); use "
			"another socket-port",
			file, s->path, live->name, live->tls ? "HTTPS" : "HTTP",
			s->tls ? "HTTPS" : "HTTP");
		return -EINVAL;
	}
	if (live) {
		info = MHD_get_daemon_info(live->mhd,
					   MHD_DAEMON_INFO_LISTEN_FD);
		s->listen_fd =
			info ? fcntl(info->listen_fd, F_DUPFD_CLOEXEC, 0) : -1;
		if (s->listen_fd < 0) {
			ret = -errno;
			log_err("control socket %s: %s", s->name,
				strerror(-ret));
			return ret;
		}
	} else if ((ret = listen_on(s, file))) {
		return ret;
	}
	return server_start(s, file);
}

static void log_serving(const struct http_server *s)
{
	log_info("control socket %s%s%s", s->name,
		 s->tls ? (s->cert_required ? " (TLS, client certificate "
					      "required)"
					    : " (TLS)")
			: "",
		 s->n_tokens ? ", basic authentication" : "");
}

/* ---- the set ---------------------------------------------------------------- */

/* OLD sockets: stop accepting at once, close once their clients are
 * answered (or given up on). Never inside MHD_run(). */
static void settle(struct control_http *h)
{
	struct http_server **pp = &h->servers, *s;
	const union MHD_DaemonInfo *info;
	int64_t now = now_mono();

	while ((s = *pp)) {
		if (s->state != SRV_OLD) {
			pp = &s->next;
			continue;
		}
		if (!s->quiesced) {
			MHD_socket fd = MHD_quiesce_daemon(s->mhd);

			/* The NEXT socket that took over has its own fd. */
			if (fd != MHD_INVALID_SOCKET)
				close(fd);
			s->quiesced = true;
		}
		info = MHD_get_daemon_info(s->mhd,
					   MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
		if ((info && info->num_connections) && now < s->close_by) {
			pp = &s->next;
			continue;
		}
		*pp = s->next;
		server_free(s);
	}
}

int control_http_prepare(struct control_http *h, const struct dx_config *next)
{
	int ret = 0;

	if (!h || !next)
		return -EINVAL;
	control_http_abort(h);
	for (size_t i = 0; !ret && i < next->n_http_sockets; i++)
		ret = server_new(h, next->path, &next->http_sockets[i]);
	if (ret)
		control_http_abort(h);
	return ret;
}

void control_http_commit(struct control_http *h)
{
	if (!h)
		return;
	for (struct http_server *s = h->servers; s; s = s->next) {
		if (s->state == SRV_LIVE) {
			s->state = SRV_OLD;
			s->close_by = now_mono() + CONTROL_HTTP_TIMEOUT_S;
		} else if (s->state == SRV_NEXT) {
			struct epoll_event ev = {.events = EPOLLIN,
						 .data.ptr = s};

			s->state = SRV_LIVE;
			if (epoll_ctl(h->epfd, EPOLL_CTL_ADD, s->mhd_epfd, &ev))
				log_err("control socket %s: epoll: %s", s->name,
					strerror(errno));
			log_serving(s);
		}
	}
	if (!h->running)
		settle(h);
}

void control_http_abort(struct control_http *h)
{
	struct http_server **pp, *s;

	if (!h)
		return;
	pp = &h->servers;
	while ((s = *pp)) {
		if (s->state != SRV_NEXT) {
			pp = &s->next;
			continue;
		}
		*pp = s->next;
		server_free(s);
	}
}

int control_http_open(struct daemon *d, struct control_http **out)
{
	struct control_http *h;
	int ret;

	if (!d || !d->cfg || !out)
		return -EINVAL;
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->d = d;
	h->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (h->epfd < 0) {
		ret = -errno;
		free(h);
		return ret;
	}
	*out = h;
	ret = control_http_prepare(h, d->cfg);
	if (ret)
		return ret;
	control_http_commit(h);
	return 0;
}

int control_http_fd(const struct control_http *h)
{
	return h ? h->epfd : -1;
}

void control_http_run(struct control_http *h)
{
	if (!h)
		return;
	/* A handful of sockets: each MHD_run() polls its own set without
	 * waiting, so all are run rather than told apart. */
	h->running = true;
	for (struct http_server *s = h->servers; s; s = s->next)
		if (s->state != SRV_NEXT)
			(void)MHD_run(s->mhd);
	h->running = false;
	settle(h);
}

void control_http_close(struct control_http *h)
{
	int64_t until = now_mono_ms() + 500;
	struct epoll_event ev;
	bool busy = true;

	if (!h)
		return;
	/* A last answer (shutdown's) may still be queued: sent while new
	 * requests get 503, for half a second at most. */
	h->closing = true;
	while (busy && now_mono_ms() < until) {
		const union MHD_DaemonInfo *info;

		control_http_run(h);
		busy = false;
		for (struct http_server *s = h->servers; s; s = s->next) {
			info = MHD_get_daemon_info(
				s->mhd, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
			busy |= s->state != SRV_NEXT && info &&
				info->num_connections;
		}
		if (busy)
			(void)epoll_wait(h->epfd, &ev, 1, 50);
	}
	while (h->servers) {
		struct http_server *s = h->servers;

		h->servers = s->next;
		server_free(s);
	}
	close(h->epfd);
	free(h);
}
