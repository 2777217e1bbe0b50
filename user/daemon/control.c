// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The control socket, daemon side (control.h, docs/control.md): socket
 * set-up, one request per connection, the command table; the handlers
 * live in the other control_*.c files, one concern each.
 * Everything runs on the daemon's thread between packet rounds, so
 * handlers read the daemon's state directly; what they may ask the
 * daemon to do is the struct control_ops it handed to control_open().
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
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
#include "config/config.h"
#include "config/reservations_store.h"
#include "daemon/control.h"
#include "daemon/control_cmds.h"
#include "daemon/control_json.h"
#include "daemon/daemon_state.h"
#include "util/version.h"
#include "kernel/xdp_stats.h"
#include "store/commit_queue.h"
#include "util/clock.h"
#include "util/log.h"

/* ---- reload, version ------------------------------------------------- */

/*
 * config-reload re-reads the file the daemon was started with, as Kea's
 * does. `dhcpxdp reload -c FILE` names the file it means ("config-file",
 * dhcpxdp's own argument): another file is refused rather than reloading
 * one the operator did not edit.
 */
static struct json_object *other_file(struct daemon *d,
				      struct json_object *args)
{
	char want[PATH_MAX], have[PATH_MAX];
	struct json_object *v;
	const char *f;

	if (!args || !json_object_object_get_ex(args, "config-file", &v))
		return NULL;
	f = json_object_get_string(v);
	if (!f || !realpath(f, want))
		return ctl_reply(CONTROL_ERROR, "'config-file' %s: %s",
				 f ? f : "(not a string)", strerror(errno));
	if (realpath(d->config_path, have) && !strcmp(want, have))
		return NULL;
	log_warn("reload refused: asked for %s, the daemon runs with %s", want,
		 d->config_path);
	return ctl_reply(CONTROL_ERROR,
			 "the daemon runs with %s and config-reload re-reads "
			 "that file: edit it, or restart the daemon with "
			 "-c %s",
			 d->config_path, want);
}

static struct json_object *cmd_reload_h(struct daemon *d,
					struct json_object *args)
{
	struct config_diag diag;
	struct dx_config *probe;
	struct json_object *r;
	int ret;

	if ((r = other_file(d, args)))
		return r;
	/* Validated here first so the reply names what is wrong; the
	 * daemon's own load repeats it and logs the same. */
	ret = config_load(d->config_path, &probe, &diag);
	if (ret) {
		log_warn("reload refused: %s", diag.error);
		r = ctl_reply(CONTROL_ERROR,
			      "%s; still serving the previous configuration",
			      diag.error);
		config_diag_free(&diag);
		return r;
	}
	config_diag_free(&diag);
	/* The run-time reservations are merged on reload: checked too. */
	ret = rstore_load_merge(probe, diag.error, sizeof(diag.error));
	config_free(probe);
	if (ret) {
		log_warn("reload refused: %s", diag.error);
		return ctl_reply(CONTROL_ERROR,
				 "%s; still serving the previous configuration",
				 diag.error);
	}
	ret = d->ctl->ops->reload(d);
	if (ret)
		return ctl_reply(
			CONTROL_ERROR,
			"reload of %s failed (%s); see the daemon's log",
			d->config_path, strerror(-ret));
	control_config_seen(d);
	return ctl_reply(CONTROL_SUCCESS, "configuration reloaded from %s",
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
	ctl_add_u64(o, "abi", DHCPXDP_ABI_VERSION);
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
		return ctl_reply(CONTROL_ERROR, "missing 'interface'");
	name = json_object_get_string(v);
	if (!*name || strlen(name) >= IF_NAMESIZE)
		return ctl_reply(CONTROL_ERROR, "bad interface name");
	ret = d->ctl->ops->serve_interface(d, name, serve);
	switch (ret) {
	case 0:
		return ctl_reply(CONTROL_SUCCESS, "%s %s",
				 serve ? "serving" : "no longer serving", name);
	case -EEXIST:
		return ctl_reply(CONTROL_EMPTY, "%s is already served", name);
	case -EPERM:
		return ctl_reply(CONTROL_ERROR,
				 "%s is in %s; remove it there and reload",
				 name, d->config_path);
	case -ENOENT:
		return ctl_reply(CONTROL_EMPTY,
				 "%s was not attached at run time", name);
	default:
		return ctl_reply(
			CONTROL_ERROR, "cannot %s %s: %s (see the log)",
			serve ? "serve" : "stop serving", name, strerror(-ret));
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
	control_handler fn;
} handlers[] = {
	{"status", cmd_status_h},
	{"statistic-get-all", cmd_stat_all_h},
	{"statistic-get", cmd_stat_get_h},
	{"statistic-reset", cmd_stat_reset_h},
	{"statistic-reset-all", cmd_stat_reset_all_h},
	{"dhcpxdp-statistic-get-all", cmd_stats_h},
	{"lease4-get-all", cmd_lease_all_h},
	{"lease4-get", cmd_lease_get_h},
	{"lease4-get-page", cmd_lease_page_h},
	{"lease4-get-by-hw-address", cmd_lease_by_hw_h},
	{"lease4-get-by-client-id", cmd_lease_by_cid_h},
	{"lease4-get-by-hostname", cmd_lease_by_host_h},
	{"lease4-del", control_lease_del},
	{"lease4-add", control_lease_add},
	{"lease4-update", control_lease_update},
	{"lease4-wipe", cmd_lease_wipe_h},
	{"reservation-get-all", cmd_res_all_h},
	{"reservation-add", control_reservation_add},
	{"reservation-del", control_reservation_del},
	{"config-reload", cmd_reload_h},
	{"config-get", cmd_config_get_h},
	{"config-test", cmd_config_test_h},
	{"config-write", cmd_config_write_h},
	{"status-get", cmd_status_get_h},
	{"ha-heartbeat", cmd_ha_heartbeat_h},
	{"ha-scopes", cmd_ha_scopes_h},
	{"ha-maintenance-start", cmd_ha_maint_start_h},
	{"ha-maintenance-cancel", cmd_ha_maint_cancel_h},
	{"ha-continue", cmd_ha_continue_h},
	{"shutdown", cmd_shutdown_h},
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

struct json_object *control_dispatch(struct daemon *d, const char *buf,
				     size_t len)
{
	struct json_object *req, *args, *resp;
	const char *command;
	char err[256];

	if (control_parse_request(buf, len, &req, &command, &args, err,
				  sizeof(err)))
		return ctl_reply(CONTROL_ERROR, "%s", err);
	/* Commands read the lease database: nothing may be in flight on
	 * its connection, and what they see is what is durable. */
	commitq_drain(&d->cq);
	control_config_seen(d);
	resp = NULL;
	for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
		if (!strcmp(handlers[i].name, command)) {
			log_debug("control: %s", command);
			resp = handlers[i].fn(d, args);
			break;
		}
	if (!resp)
		resp = ctl_reply(CONTROL_UNSUPPORTED,
				 "'%s' command not supported", command);
	json_object_put(req);
	return resp;
}

/* ---- connections ------------------------------------------------------- */

/* Wait for fd to become ready for `events` until `deadline`; 0 or
 * -ETIMEDOUT. */
static int wait_fd(int fd, short events, int64_t deadline)
{
	struct pollfd p = {.fd = fd, .events = events};
	int64_t left;
	int n;

	for (;;) {
		left = deadline - now_mono_ms();
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
	int64_t deadline = now_mono_ms() + CONTROL_READ_TIMEOUT_MS;
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
	int64_t deadline = now_mono_ms() + CONTROL_WRITE_TIMEOUT_MS;
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
		resp = ctl_reply(CONTROL_ERROR,
				 "permission denied: the control "
				 "socket is for root only");
		goto out;
	}
	ret = read_request(fd, buf, &len);
	if (ret == -E2BIG)
		resp = ctl_reply(CONTROL_ERROR, "request larger than %d bytes",
				 CONTROL_REQUEST_MAX);
	else if (ret == -ETIMEDOUT)
		resp = ctl_reply(CONTROL_ERROR,
				 "request incomplete after %d ms",
				 CONTROL_READ_TIMEOUT_MS);
	else if (ret)
		resp = NULL;
	else
		resp = control_dispatch(d, buf, len);
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

	if (lstat(sa->sun_path, &st)) {
		ret = -errno;
		if (ret == -ENOENT)
			return 0;
		log_err("control socket %s: %s", sa->sun_path, strerror(-ret));
		return ret;
	}
	if (!S_ISSOCK(st.st_mode)) {
		log_err("control socket: %s exists and is not a socket; remove "
			"it or change control-socket.socket-name",
			sa->sun_path);
		return -EEXIST;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		ret = -errno;
		log_err("control socket: %s", strerror(-ret));
		return ret;
	}
	ret = connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) ? -errno
								    : 0;
	close(fd);
	if (!ret) {
		log_err("control socket: another dhcpxdp answers on %s; stop "
			"it first",
			sa->sun_path);
		return -EADDRINUSE;
	}
	if (unlink(sa->sun_path) && errno != ENOENT) {
		ret = -errno;
		log_err("control socket: cannot remove the stale %s: %s",
			sa->sun_path, strerror(-ret));
		return ret;
	}
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
	if (ctl->fd < 0) {
		ret = -errno;
		log_err("control socket: %s", strerror(-ret));
		return ret;
	}
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

int control_open(struct daemon *d, const struct control_ops *ops)
{
	struct control *ctl;
	int ret;

	if (!d || !ops || !d->cfg || !d->cfg->control_socket.socket_name)
		return -EINVAL;
	ctl = calloc(1, sizeof(*ctl));
	if (!ctl)
		return -ENOMEM;
	ctl->fd = -1;
	ctl->ops = ops;
	d->ctl = ctl;
	ret = open_socket(ctl, d->cfg->control_socket.socket_name);
	if (ret) {
		ctl->path[0] = '\0'; /* not ours to unlink */
		control_close(d);
		return ret;
	}
	log_info("control socket %s", ctl->path);
	control_config_seen(d);
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
	kea_stat_bases_free(&ctl->stat_bases);
	json_object_put(ctl->cfg_json);
	free(ctl);
	d->ctl = NULL;
}

void control_tick(struct daemon *d)
{
	uint64_t v[DX_STAT_MAX];

	if (!d || !d->ctl)
		return;
	control_config_seen(d);
	if (xdp_stats_read(d->bpf.stats_fd, v))
		return;
	control_samples_push(&d->ctl->samples,
			     v[DX_STAT_ACK] + v[DX_STAT_OFFER],
			     d->cnt.replies_sent);
}
