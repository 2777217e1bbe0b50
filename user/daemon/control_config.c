// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Kea's configuration commands (docs/control.md): config-get, config-test,
 * config-write; and the record of the configuration the daemon runs,
 * which they and status-get read.
 *
 * The daemon keeps the parsed configuration only (struct dx_config), not
 * its text. So the text of the file is read when the control socket first
 * sees a configuration (a new struct dx_config: at start and after every
 * reload, SIGHUP or config-reload; control_config_seen() is called before
 * every command and once a second). That is the configuration as loaded
 * unless the file was edited within that second.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <json-c/json.h>
#include "config/config.h"
#include "config/reservations_store.h"
#include "daemon/control_cmds.h"
#include "daemon/control_json.h"
#include "daemon/daemon_state.h"
#include "util/log.h"

/* Larger than any configuration dhcpxdp loads. */
#define CONFIG_TEXT_MAX (16 << 20)

static struct json_object *read_json_file(const char *path)
{
	struct json_object *o;
	struct stat st;
	char *buf;
	ssize_t n;
	size_t len = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || st.st_size > CONFIG_TEXT_MAX) {
		close(fd);
		return NULL;
	}
	buf = malloc((size_t)st.st_size + 1);
	while (buf && len < (size_t)st.st_size) {
		n = read(fd, buf + len, (size_t)st.st_size - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (!buf)
		return NULL;
	buf[len] = '\0';
	o = json_tokener_parse(buf);
	free(buf);
	return o;
}

void control_config_seen(struct daemon *d)
{
	struct control *ctl = d ? d->ctl : NULL;

	if (!ctl || ctl->cfg_seen == d->cfg)
		return;
	ctl->cfg_seen = d->cfg;
	ctl->loaded_at = time(NULL);
	json_object_put(ctl->cfg_json);
	ctl->cfg_json = read_json_file(d->config_path);
	if (!ctl->cfg_json)
		log_warn("control: cannot read %s back for config-get: %s",
			 d->config_path, strerror(errno));
}

/* ---- config-get ---------------------------------------------------------- */

struct json_object *cmd_config_get_h(struct daemon *d, struct json_object *args)
{
	struct json_object *copy = NULL;

	(void)args;
	control_config_seen(d);
	if (!d->ctl->cfg_json ||
	    json_object_deep_copy(d->ctl->cfg_json, &copy, NULL))
		return ctl_reply(CONTROL_ERROR,
				 "the configuration %s could not be read back",
				 d->config_path);
	return control_response(CONTROL_SUCCESS, "Current configuration.",
				copy);
}

/* ---- config-test --------------------------------------------------------- */

struct json_object *cmd_config_test_h(struct daemon *d,
				      struct json_object *args)
{
	struct config_diag diag;
	struct dx_config *probe;
	struct json_object *r;
	const char *text;
	int ret;

	(void)d;
	if (!args)
		return ctl_reply(CONTROL_ERROR,
				 "Missing mandatory 'arguments' parameter.");
	text = json_object_to_json_string_ext(args, JSON_C_TO_STRING_PLAIN);
	ret = config_load_string(text, "config-test", &probe, &diag);
	if (ret) {
		r = ctl_reply(CONTROL_ERROR, "%s", diag.error);
		config_diag_free(&diag);
		return r;
	}
	config_diag_free(&diag);
	/* What a reload would merge into it is checked too. */
	ret = rstore_load_merge(probe, diag.error, sizeof(diag.error));
	config_free(probe);
	if (ret)
		return ctl_reply(CONTROL_ERROR, "%s", diag.error);
	return ctl_reply(CONTROL_SUCCESS,
			 "Configuration seems sane. Control-socket, "
			 "hook-libraries, and D2 configuration were sanity "
			 "checked, but not applied.");
}

/* ---- config-write -------------------------------------------------------- */

/* Write text to path atomically: a temporary file, fsync, rename. */
static int write_atomic(const char *path, const char *text, size_t len)
{
	char tmp[PATH_MAX];
	size_t off = 0;
	ssize_t n;
	int fd, ret = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp-%d", path, (int)getpid()) >=
	    (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	while (!ret && off < len) {
		n = write(fd, text + off, len - off);
		if (n < 0 && errno != EINTR)
			ret = -errno;
		else if (n > 0)
			off += (size_t)n;
	}
	if (!ret && fsync(fd))
		ret = -errno;
	if (close(fd) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}

struct json_object *cmd_config_write_h(struct daemon *d,
				       struct json_object *args)
{
	const char *path = ctl_arg_str(args, "filename");
	struct json_object *o;
	const char *text;
	size_t len;
	int ret;

	if (args && json_object_object_get_ex(args, "filename", &o) && !path)
		return ctl_reply(CONTROL_ERROR, "'filename' must be a string");
	if (!path)
		path = d->config_path; /* Kea: the file it was started with */
	if (path[0] != '/')
		return ctl_reply(CONTROL_ERROR,
				 "'filename' must be an absolute path (the "
				 "daemon's working directory is not yours)");
	control_config_seen(d);
	if (!d->ctl->cfg_json)
		return ctl_reply(CONTROL_ERROR,
				 "the configuration %s could not be read back",
				 d->config_path);
	text = json_object_to_json_string_ext(
		d->ctl->cfg_json, JSON_C_TO_STRING_PRETTY |
					  JSON_C_TO_STRING_SPACED |
					  JSON_C_TO_STRING_NOSLASHESCAPE);
	len = strlen(text);
	ret = write_atomic(path, text, len);
	if (ret)
		return ctl_reply(CONTROL_ERROR, "Unable to open file %s: %s",
				 path, strerror(-ret));
	log_info("control: configuration written to %s", path);
	o = json_object_new_object();
	json_object_object_add(o, "filename", json_object_new_string(path));
	ctl_add_u64(o, "size", len);
	return control_response(CONTROL_SUCCESS, "Configuration written", o);
}
