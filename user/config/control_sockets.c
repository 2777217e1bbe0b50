// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Dhcp4.control-socket and Dhcp4.control-sockets: Kea 2.x's one object or
 * Kea 3.0's list (dhcp4-srv.rst, "Management API for the DHCPv4 Server").
 * One "unix" entry at most, as in Kea, and any number of "http" or
 * "https" entries, each on its own address and port. Kea's rules for the
 * HTTP ones (HttpCommandConfig, BasicHttpAuthConfig): TLS takes all of
 * trust-anchor, cert-file and key-file or none, "https" requires it;
 * basic authentication's user-file and password-file are read here, at
 * load, while the TLS files are read by the daemon when it opens the
 * socket (as Kea does: its config check opens no socket).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <sys/stat.h>

#include "config/config.h"
#include "config/config_internal.h"

static const struct key_rule unix_rules[] = {
	{"socket-type", K_HANDLED, NULL},
	{"socket-name", K_HANDLED, NULL},
	{NULL, 0, NULL},
};

static const struct key_rule http_rules[] = {
	{"socket-type", K_HANDLED, NULL},
	{"socket-address", K_HANDLED, NULL},
	{"socket-port", K_HANDLED, NULL},
	{"authentication", K_HANDLED, NULL},
	{"trust-anchor", K_HANDLED, NULL},
	{"cert-file", K_HANDLED, NULL},
	{"key-file", K_HANDLED, NULL},
	{"cert-required", K_HANDLED, NULL},
	{"http-headers", K_HANDLED, NULL},
	{"socket-name", K_UNSUPPORTED,
	 "an HTTP control socket has socket-address and socket-port"},
	{NULL, 0, NULL},
};

static const struct key_rule auth_rules[] = {
	{"type", K_HANDLED, NULL},
	{"realm", K_HANDLED, NULL},
	{"directory", K_HANDLED, NULL},
	{"clients", K_HANDLED, NULL},
	{NULL, 0, NULL},
};

static const struct key_rule client_rules[] = {
	{"user", K_HANDLED, NULL},
	{"password", K_HANDLED, NULL},
	{"user-file", K_HANDLED, NULL},
	{"password-file", K_HANDLED, NULL},
	{NULL, 0, NULL},
};

static const struct key_rule header_rules[] = {
	{"name", K_HANDLED, NULL},
	{"value", K_HANDLED, NULL},
	{NULL, 0, NULL},
};

/* ---- the Unix socket ---------------------------------------------------- */

static int parse_unix(struct config_ctx *c, struct json_object *o,
		      const char *path)
{
	struct dx_config *cfg = c->cfg;
	char p[CONFIG_PATH_LEN];
	const char *name = NULL;
	int r;

	if ((r = jpath_check_keys(c, o, path, unix_rules)) < 0 ||
	    (r = jpath_str(c, o, path, "socket-name", &name)) < 0)
		return r;
	if (name && strlen(name) >= 108) /* sizeof(sun_path) */
		return jpath_fail(c, jpath_join(p, path, "socket-name"),
				  "'%s' is too long for a Unix socket path",
				  name);
	if (name &&
	    (r = config_set_str(&cfg->control_socket.socket_name, name)))
		return r;
	return 0;
}

/* ---- basic authentication ------------------------------------------------ */

/*
 * The first line of a user-file or password-file, as Kea reads it
 * (BasicHttpAuthConfig::getFileContent): the name is always taken under
 * `directory`, a leading '/' included ("" and "/x" read "/x").
 */
static int read_secret(struct config_ctx *c, const char *path, const char *dir,
		       const char *name, char **out)
{
	char file[4096], line[1024];
	size_t dl = strlen(dir);
	struct stat st;
	FILE *f;

	snprintf(file, sizeof(file), "%s%s%s", dir,
		 dl && dir[dl - 1] == '/' ? "" : "/",
		 name[0] == '/' ? name + 1 : name);
	if (stat(file, &st))
		return jpath_fail(c, path, "cannot read %s: %s", file,
				  strerror(errno));
	if (!S_ISREG(st.st_mode))
		return jpath_fail(c, path, "%s is not a regular file", file);
	f = fopen(file, "re");
	if (!f)
		return jpath_fail(c, path, "cannot read %s: %s", file,
				  strerror(errno));
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	line[strcspn(line, "\r\n")] = '\0';
	*out = strdup(line);
	return *out ? 0 : -ENOMEM;
}

static int check_user(struct config_ctx *c, const char *path, const char *user,
		      const char *from)
{
	if (!*user)
		return jpath_fail(c, path, "the user must not be empty%s",
				  from);
	if (strchr(user, ':'))
		return jpath_fail(c, path,
				  "the user '%s'%s must not contain a ':'",
				  user, from);
	return 0;
}

/* The optional string key (an empty string allowed): 1, 0 or -EINVAL. */
static int opt_str(struct config_ctx *c, struct json_object *o,
		   const char *path, const char *key, const char **out)
{
	struct json_object *v;
	int r = jpath_get(c, o, path, key, json_type_string, "a string", &v);

	if (r > 0)
		*out = json_object_get_string(v);
	return r;
}

static int parse_client(struct config_ctx *c, struct json_object *o,
			const char *path, const char *dir,
			struct dx_http_client *cl)
{
	const char *user = NULL, *pass = NULL, *ufile = NULL, *pfile = NULL;
	char p[CONFIG_PATH_LEN];
	char *colon;
	int r;

	if (json_object_get_type(o) != json_type_object)
		return jpath_fail(c, path, "expected an object, got %s",
				  jpath_type_desc(o));
	if ((r = jpath_check_keys(c, o, path, client_rules)) < 0 ||
	    (r = opt_str(c, o, path, "user", &user)) < 0 ||
	    (r = opt_str(c, o, path, "password", &pass)) < 0 ||
	    (r = jpath_str(c, o, path, "user-file", &ufile)) < 0 ||
	    (r = jpath_str(c, o, path, "password-file", &pfile)) < 0)
		return r;
	if (user && ufile)
		return jpath_fail(c, path,
				  "give \"user\" or \"user-file\", not both");
	if (pass && pfile)
		return jpath_fail(c, path,
				  "give \"password\" or "
				  "\"password-file\", not both");
	if (!user && !ufile && !pfile)
		return jpath_fail(c, path, "\"user\" is required");
	if (user) {
		if ((r = check_user(c, jpath_join(p, path, "user"), user, "")))
			return r;
		if ((r = config_set_str(&cl->user, user)))
			return r;
	}
	if (ufile) {
		jpath_join(p, path, "user-file");
		if ((r = read_secret(c, p, dir, ufile, &cl->user)) ||
		    (r = check_user(c, p, cl->user, " read from user-file")))
			return r;
	}
	if (pfile) {
		jpath_join(p, path, "password-file");
		if ((r = read_secret(c, p, dir, pfile, &cl->password)))
			return r;
	} else if ((r = config_set_str(&cl->password, pass ? pass : ""))) {
		return r;
	}
	if (cl->user)
		return 0;
	/* A password-file alone holds "user:password" (Kea). */
	colon = strchr(cl->password, ':');
	if (!colon)
		return jpath_fail(c, p,
				  "without \"user\" or \"user-file\", the "
				  "file must hold USER:PASSWORD, and it has "
				  "no ':'");
	*colon = '\0';
	cl->user = strdup(cl->password);
	if (!cl->user)
		return -ENOMEM;
	memmove(cl->password, colon + 1, strlen(colon + 1) + 1);
	return check_user(c, p, cl->user, " read from password-file");
}

static int parse_auth(struct config_ctx *c, struct json_object *sock,
		      const char *spath, struct dx_http_socket_conf *h)
{
	const char *type = NULL, *realm = NULL, *dir = "";
	char path[CONFIG_PATH_LEN], p[CONFIG_PATH_LEN];
	struct json_object *o, *arr = NULL;
	size_t n;
	int r;

	r = jpath_get(c, sock, spath, "authentication", json_type_object,
		      "an object", &o);
	if (r <= 0)
		return r;
	jpath_join(path, spath, "authentication");
	if ((r = jpath_check_keys(c, o, path, auth_rules)) < 0 ||
	    (r = jpath_str(c, o, path, "type", &type)) < 0 ||
	    (r = opt_str(c, o, path, "realm", &realm)) < 0 ||
	    (r = opt_str(c, o, path, "directory", &dir)) < 0 ||
	    (r = jpath_get(c, o, path, "clients", json_type_array, "a list",
			   &arr)) < 0)
		return r;
	/* Kea's HTTP control socket takes a missing type as "basic". */
	if (type && strcmp(type, "basic"))
		return jpath_fail(c, jpath_join(p, path, "type"),
				  "'%s' is not supported: only \"basic\" "
				  "HTTP authentication",
				  type);
	/* It goes into WWW-Authenticate: Basic realm="REALM". */
	if (realm && strpbrk(realm, "\"\\\r\n"))
		return jpath_fail(c, jpath_join(p, path, "realm"),
				  "a realm has no '\"', '\\' or line break");
	if ((r = config_set_str(&h->realm,
				realm ? realm : CONFIG_DEFAULT_HTTP_REALM)))
		return r;
	n = arr ? json_object_array_length(arr) : 0;
	h->clients = calloc(n ? n : 1, sizeof(*h->clients));
	if (!h->clients)
		return -ENOMEM;
	jpath_join(path, path, "clients");
	for (size_t i = 0; i < n; i++) {
		h->n_clients++;
		if ((r = parse_client(c, json_object_array_get_idx(arr, i),
				      jpath_idx(p, path, i), dir,
				      &h->clients[i])))
			return r;
	}
	return 0;
}

/* ---- http-headers, TLS -------------------------------------------------- */

static int parse_headers(struct config_ctx *c, struct json_object *sock,
			 const char *spath, struct dx_http_socket_conf *h)
{
	char path[CONFIG_PATH_LEN], p[CONFIG_PATH_LEN], q[CONFIG_PATH_LEN];
	struct json_object *arr;
	size_t n;
	int r;

	r = jpath_get(c, sock, spath, "http-headers", json_type_array, "a list",
		      &arr);
	if (r <= 0)
		return r;
	jpath_join(path, spath, "http-headers");
	n = json_object_array_length(arr);
	h->headers = calloc(n ? n : 1, sizeof(*h->headers));
	if (!h->headers)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(arr, i);
		struct dx_http_header *hd = &h->headers[i];
		const char *name = NULL, *value = NULL;

		jpath_idx(p, path, i);
		if (json_object_get_type(o) != json_type_object)
			return jpath_fail(c, p, "expected an object, got %s",
					  jpath_type_desc(o));
		if ((r = jpath_check_keys(c, o, p, header_rules)) < 0 ||
		    (r = jpath_str(c, o, p, "name", &name)) < 0 ||
		    (r = opt_str(c, o, p, "value", &value)) < 0)
			return r;
		if (!name || !value)
			return jpath_fail(c, p,
					  "\"name\" and \"value\" are "
					  "required");
		/* RFC 9110 §5.1: a name is a token; no line breaks in
		 * either, or a value could add headers of its own. */
		if (strpbrk(name, " \t\r\n:()<>@,;\\\"/[]?={}"))
			return jpath_fail(c, jpath_join(q, p, "name"),
					  "'%s' is not an HTTP header name",
					  name);
		if (strpbrk(value, "\r\n"))
			return jpath_fail(c, jpath_join(q, p, "value"),
					  "a header value is one line");
		h->n_headers++;
		if ((r = config_set_str(&hd->name, name)) ||
		    (r = config_set_str(&hd->value, value)))
			return r;
	}
	return 0;
}

/*
 * Kea's HttpCommandConfig::checkTlsSetup: the three TLS keys together or
 * none; "https" needs them, "http" with them is served over TLS too.
 */
static int parse_tls(struct config_ctx *c, struct json_object *o,
		     const char *path, struct dx_http_socket_conf *h)
{
	static const char *const keys[] = {"trust-anchor", "cert-file",
					   "key-file"};
	char **dst[] = {&h->trust_anchor, &h->cert_file, &h->key_file};
	char p[CONFIG_PATH_LEN];
	const char *v[3] = {NULL, NULL, NULL};
	int r, given = 0;

	for (int i = 0; i < 3; i++) {
		if ((r = jpath_str(c, o, path, keys[i], &v[i])) < 0)
			return r;
		given += r;
	}
	h->cert_required = true;
	if ((r = jpath_bool(c, o, path, "cert-required", &h->cert_required)) <
	    0)
		return r;
	if (!given) {
		if (!strcmp(h->type, "https"))
			return jpath_fail(c, jpath_join(p, path, "socket-type"),
					  "\"https\" needs trust-anchor, "
					  "cert-file and key-file");
		if (r > 0)
			jpath_warn(c, jpath_join(p, path, "cert-required"),
				   "ignored without TLS (trust-anchor, "
				   "cert-file, key-file)");
		return 0;
	}
	for (int i = 0; i < 3; i++)
		if (!v[i])
			return jpath_fail(c, jpath_join(p, path, keys[i]),
					  "missing: TLS takes trust-anchor, "
					  "cert-file and key-file together");
	h->tls = true;
	for (int i = 0; i < 3; i++)
		if ((r = config_set_str(dst[i], v[i])))
			return r;
	return 0;
}

/* ---- an HTTP entry -------------------------------------------------------- */

static int parse_http(struct config_ctx *c, struct json_object *o,
		      const char *path, const char *type)
{
	struct dx_config *cfg = c->cfg;
	struct dx_http_socket_conf *h, *grown;
	const char *addr = CONFIG_DEFAULT_HTTP_ADDRESS;
	uint32_t port = CONFIG_DEFAULT_HTTP_PORT;
	unsigned char buf[sizeof(struct in6_addr)];
	char p[CONFIG_PATH_LEN];
	int r;

	grown = realloc(cfg->http_sockets,
			(cfg->n_http_sockets + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	cfg->http_sockets = grown;
	h = &grown[cfg->n_http_sockets++];
	memset(h, 0, sizeof(*h));
	if ((r = config_set_str(&h->type, type)) ||
	    (r = config_set_str(&h->path, path)))
		return r;
	if ((r = jpath_check_keys(c, o, path, http_rules)) < 0 ||
	    (r = jpath_str(c, o, path, "socket-address", &addr)) < 0 ||
	    (r = jpath_u32(c, o, path, "socket-port", 1, 65535, &port)) < 0)
		return r;
	if (inet_pton(AF_INET, addr, buf) != 1 &&
	    inet_pton(AF_INET6, addr, buf) != 1)
		return jpath_fail(c, jpath_join(p, path, "socket-address"),
				  "'%s' is not an IPv4 or IPv6 address "
				  "(host names are not resolved)",
				  addr);
	h->port = (uint16_t)port;
	if ((r = config_set_str(&h->address, addr)))
		return r;
	for (size_t i = 0; i + 1 < cfg->n_http_sockets; i++)
		if (cfg->http_sockets[i].port == h->port &&
		    !strcmp(cfg->http_sockets[i].address, addr))
			return jpath_fail(
				c, path,
				"another entry already listens on %s port %u",
				addr, port);
	if ((r = parse_tls(c, o, path, h)) || (r = parse_auth(c, o, path, h)) ||
	    (r = parse_headers(c, o, path, h)))
		return r;
	if (!h->tls && !h->n_clients)
		jpath_warn(c, path,
			   "neither TLS nor authentication: whoever can "
			   "connect to %s port %u controls the server",
			   addr, port);
	return 0;
}

static int parse_entry(struct config_ctx *c, struct json_object *o,
		       const char *path, bool *have_unix)
{
	char p[CONFIG_PATH_LEN];
	const char *type = "unix";
	int r;

	if (json_object_get_type(o) != json_type_object)
		return jpath_fail(c, path, "expected an object, got %s",
				  jpath_type_desc(o));
	if ((r = jpath_str(c, o, path, "socket-type", &type)) < 0)
		return r;
	if (!strcmp(type, "http") || !strcmp(type, "https"))
		return parse_http(c, o, path, type);
	if (strcmp(type, "unix"))
		return jpath_fail(c, jpath_join(p, path, "socket-type"),
				  "'%s' is not a control socket type: "
				  "\"unix\", \"http\" or \"https\"",
				  type);
	if (*have_unix)
		return jpath_fail(c, path,
				  "a second \"unix\" socket: dhcpxdp, as "
				  "Kea, listens on one");
	*have_unix = true;
	return parse_unix(c, o, path);
}

int control_sockets_parse(struct config_ctx *c)
{
	struct json_object *o, *arr = NULL;
	char p[CONFIG_PATH_LEN];
	bool have_unix = false;
	int r;

	if ((r = jpath_get(c, c->dhcp4, "Dhcp4", "control-sockets",
			   json_type_array, "a list", &arr)) < 0)
		return r;
	r = jpath_get(c, c->dhcp4, "Dhcp4", "control-socket", json_type_object,
		      "an object", &o);
	if (r < 0)
		return r;
	if (r > 0 && arr)
		return jpath_fail(c, "Dhcp4.control-sockets",
				  "give \"control-socket\" or "
				  "\"control-sockets\", not both");
	if (r > 0)
		return parse_entry(c, o, "Dhcp4.control-socket", &have_unix);
	for (size_t i = 0; arr && i < json_object_array_length(arr); i++)
		if ((r = parse_entry(c, json_object_array_get_idx(arr, i),
				     jpath_idx(p, "Dhcp4.control-sockets", i),
				     &have_unix)))
			return r;
	return 0;
}

void control_sockets_free(struct dx_config *cfg)
{
	for (size_t i = 0; i < cfg->n_http_sockets; i++) {
		struct dx_http_socket_conf *h = &cfg->http_sockets[i];

		free(h->path);
		free(h->type);
		free(h->address);
		free(h->trust_anchor);
		free(h->cert_file);
		free(h->key_file);
		free(h->realm);
		for (size_t j = 0; j < h->n_clients; j++) {
			free(h->clients[j].user);
			free(h->clients[j].password);
		}
		free(h->clients);
		for (size_t j = 0; j < h->n_headers; j++) {
			free(h->headers[j].name);
			free(h->headers[j].value);
		}
		free(h->headers);
	}
	free(cfg->http_sockets);
	cfg->http_sockets = NULL;
	cfg->n_http_sockets = 0;
}
