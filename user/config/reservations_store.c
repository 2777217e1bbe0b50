// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Run-time host reservations in a JSON file beside the lease database
 * (reservations_store.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <json-c/json.h>

#include "config/config.h"
#include "config/config_internal.h"
#include "config/reservations_store.h"
#include "util/errmsg.h"
#include "util/fmt.h"

#define RSTORE_FILE_NAME "reservations.json"
/* Largest file read (a million entries is ~100 MB; far beyond use). */
#define RSTORE_MAX_FILE (64 * 1024 * 1024)

/* A client identifier as colon-separated hex (fmt_mac's form, any length). */
static const char *hex_str(const uint8_t *b, size_t n, char *buf)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++)
		o += (size_t)sprintf(buf + o, "%s%02x", i ? ":" : "", b[i]);
	return buf;
}

/* "subnet 1, hw-address 02:..." for messages. */
static void entry_desc(const struct rstore_entry *e, char *buf, size_t len)
{
	char id[3 * 255 + 1];

	snprintf(buf, len, "subnet %u, %s %s", e->subnet_id,
		 e->has_hw ? "hw-address" : "client-id",
		 e->has_hw ? fmt_mac(id, e->hw)
			   : hex_str(e->client_id, e->client_id_len, id));
}

int rstore_path(const struct dx_config *cfg, char *buf, size_t len)
{
	const char *db, *slash;
	int n;

	if (!cfg || !buf || !len)
		return -EINVAL;
	/* A PostgreSQL database has no directory: the default one's. */
	db = cfg->lease_db.name && (!cfg->lease_db.type ||
				    strcmp(cfg->lease_db.type, "postgresql"))
		     ? cfg->lease_db.name
		     : CONFIG_DEFAULT_LEASE_DB;
	slash = strrchr(db, '/');
	if (!slash)
		n = snprintf(buf, len, "%s", RSTORE_FILE_NAME);
	else
		n = snprintf(buf, len, "%.*s/%s", (int)(slash - db), db,
			     RSTORE_FILE_NAME);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

void rstore_free(struct rstore *s)
{
	if (!s)
		return;
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

int rstore_add(struct rstore *s, const struct rstore_entry *e)
{
	if (!s || !e)
		return -EINVAL;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		void *p = realloc(s->v, cap * sizeof(*s->v));

		if (!p)
			return -ENOMEM;
		s->v = p;
		s->cap = cap;
	}
	s->v[s->n++] = *e;
	return 0;
}

void rstore_remove(struct rstore *s, size_t i)
{
	if (!s || i >= s->n)
		return;
	memmove(&s->v[i], &s->v[i + 1], (s->n - i - 1) * sizeof(*s->v));
	s->n--;
}

long rstore_find_addr(const struct rstore *s, uint32_t subnet_id, uint32_t addr)
{
	for (size_t i = 0; s && i < s->n; i++)
		if (s->v[i].subnet_id == subnet_id && s->v[i].addr == addr)
			return (long)i;
	return -1;
}

/* ---- JSON ------------------------------------------------------------- */

static const char *const entry_keys[] = {"subnet-id", "hw-address", "client-id",
					 "ip-address", "hostname"};

int rstore_entry_from_json(struct json_object *o, struct rstore_entry *e,
			   char *err, size_t errlen)
{
	struct json_object *v;
	const char *hw = NULL, *cid = NULL, *ip = NULL, *host = NULL;
	int64_t id;

	if (!o || !e)
		return -EINVAL;
	memset(e, 0, sizeof(*e));
	if (!json_object_is_type(o, json_type_object))
		return errmsg(err, errlen, -EINVAL, "expected an object");
	json_object_object_foreach(o, key, val)
	{
		bool known = false;

		(void)val;
		for (size_t i = 0; i < sizeof(entry_keys) / sizeof(*entry_keys);
		     i++)
			known |= !strcmp(key, entry_keys[i]);
		if (!known)
			return errmsg(err, errlen, -EINVAL,
				      "key '%s' is not supported in run-time "
				      "reservations (subnet-id, hw-address or "
				      "client-id, ip-address, hostname); put "
				      "such a reservation in the configuration "
				      "file",
				      key);
	}
	for (size_t i = 1; i < sizeof(entry_keys) / sizeof(*entry_keys); i++) {
		const char **dst[] = {NULL, &hw, &cid, &ip, &host};

		if (!json_object_object_get_ex(o, entry_keys[i], &v))
			continue;
		if (!json_object_is_type(v, json_type_string))
			return errmsg(err, errlen, -EINVAL,
				      "'%s' must be a string", entry_keys[i]);
		*dst[i] = json_object_get_string(v);
	}
	if (!json_object_object_get_ex(o, "subnet-id", &v) ||
	    !json_object_is_type(v, json_type_int))
		return errmsg(err, errlen, -EINVAL,
			      "'subnet-id' (an integer) is required");
	id = json_object_get_int64(v);
	if (id <= 0 || id > UINT32_MAX)
		return errmsg(err, errlen, -EINVAL,
			      "'subnet-id' %lld is out of range",
			      (long long)id);
	e->subnet_id = (uint32_t)id;
	/* Kea: exactly one identifier per reservation. */
	if (!hw == !cid)
		return errmsg(err, errlen, -EINVAL,
			      "a reservation needs exactly one of hw-address "
			      "or client-id");
	if (hw) {
		if (reservations_parse_hw(hw, e->hw))
			return errmsg(err, errlen, -EINVAL,
				      "'%s' is not an Ethernet MAC address "
				      "(e.g. 00:11:22:33:44:55)",
				      hw);
		e->has_hw = true;
	} else {
		int n = reservations_parse_client_id(cid, e->client_id);

		if (n < 0)
			return errmsg(err, errlen, -EINVAL,
				      "'%s' is not a client identifier (2 to "
				      "255 bytes as hex, or 'quoted text')",
				      cid);
		e->client_id_len = (uint8_t)n;
	}
	if (!ip)
		return errmsg(err, errlen, -EINVAL, "'ip-address' is required");
	if (parse_ipv4(ip, &e->addr))
		return errmsg(err, errlen, -EINVAL,
			      "'%s' is not an IPv4 address", ip);
	if (host) {
		if (strlen(host) >= sizeof(e->hostname))
			return errmsg(err, errlen, -EINVAL,
				      "hostname longer than 255 bytes");
		snprintf(e->hostname, sizeof(e->hostname), "%s", host);
	}
	return 0;
}

/* The entry as rstore_entry_from_json takes it (new reference). */
static struct json_object *entry_to_json(const struct rstore_entry *e)
{
	struct json_object *o = json_object_new_object();
	char buf[3 * 255 + 1];

	if (!o || !e)
		return o;
	json_object_object_add(o, "subnet-id",
			       json_object_new_int64(e->subnet_id));
	if (e->has_hw)
		json_object_object_add(
			o, "hw-address",
			json_object_new_string(fmt_mac(buf, e->hw)));
	else
		json_object_object_add(
			o, "client-id",
			json_object_new_string(
				hex_str(e->client_id, e->client_id_len, buf)));
	json_object_object_add(o, "ip-address",
			       json_object_new_string(fmt_ipv4(buf, e->addr)));
	if (e->hostname[0])
		json_object_object_add(o, "hostname",
				       json_object_new_string(e->hostname));
	return o;
}

/* ---- the file ---------------------------------------------------------- */

static int read_file(const char *path, char **out, size_t *len)
{
	struct stat st;
	char *buf = NULL;
	size_t off = 0;
	ssize_t n;
	int fd, ret = 0;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		ret = -errno;
		goto out;
	}
	if (st.st_size > RSTORE_MAX_FILE) {
		ret = -EFBIG;
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		ret = -ENOMEM;
		goto out;
	}
	while (off < (size_t)st.st_size) {
		n = read(fd, buf + off, (size_t)st.st_size - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			goto out;
		}
		if (n == 0)
			break;
		off += (size_t)n;
	}
	buf[off] = '\0';
	*out = buf;
	*len = off;
	buf = NULL;
out:
	free(buf);
	close(fd);
	return ret;
}

int rstore_load(const char *path, struct rstore *s, char *err, size_t errlen)
{
	struct json_tokener *tok = NULL;
	struct json_object *root = NULL;
	struct rstore_entry e;
	char *buf = NULL, why[512];
	size_t len = 0;
	int ret;

	if (!path || !s)
		return -EINVAL;
	rstore_free(s);
	ret = read_file(path, &buf, &len);
	if (ret == -ENOENT)
		return 0; /* nothing added at run time yet */
	if (ret)
		return errmsg(err, errlen, ret, "%s: %s", path, strerror(-ret));
	tok = json_tokener_new();
	if (!tok) {
		ret = -ENOMEM;
		goto out;
	}
	root = json_tokener_parse_ex(tok, buf, (int)len);
	if (!root || json_tokener_get_error(tok) != json_tokener_success) {
		ret = errmsg(err, errlen, -EINVAL, "%s: invalid JSON: %s", path,
			     root ? "trailing data"
				  : json_tokener_error_desc(
					    json_tokener_get_error(tok)));
		goto out;
	}
	if (!json_object_is_type(root, json_type_array)) {
		ret = errmsg(err, errlen, -EINVAL,
			     "%s: expected a list of reservations", path);
		goto out;
	}
	for (size_t i = 0; i < json_object_array_length(root); i++) {
		ret = rstore_entry_from_json(json_object_array_get_idx(root, i),
					     &e, why, sizeof(why));
		if (ret) {
			errmsg(err, errlen, ret, "%s: reservations[%zu]: %s",
			       path, i, why);
			goto out;
		}
		if ((ret = rstore_add(s, &e)))
			goto out;
	}
out:
	if (ret)
		rstore_free(s);
	json_object_put(root);
	if (tok)
		json_tokener_free(tok);
	free(buf);
	return ret;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* fsync the directory holding path, so the rename is durable. */
static int sync_dir(const char *path)
{
	char dir[PATH_MAX];
	char *slash;
	int fd, ret = 0;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fsync(fd))
		ret = -errno;
	close(fd);
	return ret;
}

int rstore_save(const struct rstore *s, const char *path, char *err,
		size_t errlen)
{
	struct json_object *arr;
	char tmp[PATH_MAX];
	const char *text;
	int fd = -1, ret = 0;

	if (!s || !path)
		return -EINVAL;
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return errmsg(err, errlen, -ENAMETOOLONG, "%s: path too long",
			      path);
	arr = json_object_new_array();
	if (!arr)
		return -ENOMEM;
	for (size_t i = 0; i < s->n; i++)
		if (json_object_array_add(arr, entry_to_json(&s->v[i]))) {
			ret = -ENOMEM;
			goto out;
		}
	text = json_object_to_json_string_ext(
		arr, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			     JSON_C_TO_STRING_NOSLASHESCAPE);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		ret = -errno;
		errmsg(err, errlen, ret, "cannot write %s: %s", tmp,
		       strerror(-ret));
		goto out;
	}
	ret = write_all(fd, text, strlen(text));
	if (!ret)
		ret = write_all(fd, "\n", 1);
	if (!ret && fsync(fd))
		ret = -errno;
	if (close(fd) && !ret)
		ret = -errno;
	fd = -1;
	if (ret) {
		errmsg(err, errlen, ret, "cannot write %s: %s", tmp,
		       strerror(-ret));
		unlink(tmp);
		goto out;
	}
	/* rename() replaces the file atomically: old list or new one. */
	if (rename(tmp, path)) {
		ret = -errno;
		errmsg(err, errlen, ret, "cannot replace %s: %s", path,
		       strerror(-ret));
		unlink(tmp);
		goto out;
	}
	ret = sync_dir(path);
	if (ret)
		errmsg(err, errlen, ret, "cannot sync the directory of %s: %s",
		       path, strerror(-ret));
out:
	json_object_put(arr);
	return ret;
}

/* ---- validation and merge --------------------------------------------- */

static void res_desc(const struct dx_config *cfg,
		     const struct dx_subnet_conf *sc, size_t j, char *buf,
		     size_t len)
{
	const struct dx_reservation_conf *r = &sc->reservations[j];
	char a[FMT_IPV4_LEN];

	if (r->runtime) {
		snprintf(buf, len, "the run-time reservation of %s",
			 fmt_ipv4(a, r->addr));
		return;
	}
	/* Index among the file's own entries (they come first). */
	snprintf(buf, len, "%s (subnet %u, reservations[%zu], %s)",
		 cfg->path ? cfg->path : "the configuration", sc->id, j,
		 fmt_ipv4(a, r->addr));
}

int rstore_check(const struct dx_config *cfg, const struct rstore_entry *e,
		 char *err, size_t errlen)
{
	const struct dx_subnet_conf *sc;
	char a[FMT_IPV4_LEN], who[PATH_MAX + 128];
	int ret;

	if (!cfg || !e)
		return -EINVAL;
	sc = config_subnet_by_id(cfg, e->subnet_id);
	if (!sc)
		return errmsg(err, errlen, -ENOENT, "no subnet with id %u",
			      e->subnet_id);
	ret = reservations_check_addr(sc, e->addr, err, errlen);
	if (ret)
		return ret;
	if (!e->has_hw && e->client_id_len < 2)
		return errmsg(err, errlen, -EINVAL,
			      "a reservation needs a hw-address or a "
			      "client-id");
	for (size_t j = 0; j < sc->n_reservations; j++) {
		const struct dx_reservation_conf *r = &sc->reservations[j];
		const char *what = NULL;

		if (e->has_hw && r->has_hw && !memcmp(r->hw, e->hw, 6))
			what = "this hw-address";
		else if (e->client_id_len && r->client_id &&
			 r->client_id_len == e->client_id_len &&
			 !memcmp(r->client_id, e->client_id, e->client_id_len))
			what = "this client-id";
		else if (r->addr == e->addr)
			what = fmt_ipv4(a, e->addr);
		if (!what)
			continue;
		res_desc(cfg, sc, j, who, sizeof(who));
		return errmsg(err, errlen, -EEXIST,
			      "%s is already reserved in subnet %u by %s", what,
			      sc->id, who);
	}
	return 0;
}

/* Append e to its subnet (cfg is not const: the loaded config grows). */
static int append(struct dx_config *cfg, const struct rstore_entry *e)
{
	struct dx_subnet_conf *sc = NULL;
	struct dx_reservation_conf *r, *v;

	for (size_t i = 0; i < cfg->n_subnets && !sc; i++)
		if (cfg->subnets[i].id == e->subnet_id)
			sc = &cfg->subnets[i];
	if (!sc)
		return -ENOENT;
	v = realloc(sc->reservations,
		    (sc->n_reservations + 1) * sizeof(*sc->reservations));
	if (!v)
		return -ENOMEM;
	sc->reservations = v;
	r = &v[sc->n_reservations];
	memset(r, 0, sizeof(*r));
	r->runtime = true;
	r->addr = e->addr;
	if (e->has_hw) {
		r->has_hw = true;
		memcpy(r->hw, e->hw, 6);
	} else {
		r->client_id = malloc(e->client_id_len);
		if (!r->client_id)
			return -ENOMEM;
		memcpy(r->client_id, e->client_id, e->client_id_len);
		r->client_id_len = e->client_id_len;
	}
	if (e->hostname[0]) {
		r->hostname = strdup(e->hostname);
		if (!r->hostname) {
			free(r->client_id);
			return -ENOMEM;
		}
	}
	sc->n_reservations++;
	return 0;
}

/* Check and append every entry of s to cfg; path names the file. */
static int merge(const struct rstore *s, const char *path,
		 struct dx_config *cfg, char *err, size_t errlen)
{
	char why[PATH_MAX + 256], desc[3 * 255 + 64];
	int ret;

	for (size_t i = 0; i < s->n; i++) {
		ret = rstore_check(cfg, &s->v[i], why, sizeof(why));
		if (!ret)
			ret = append(cfg, &s->v[i]);
		if (ret == -ENOMEM)
			return ret;
		if (ret) {
			entry_desc(&s->v[i], desc, sizeof(desc));
			return errmsg(err, errlen, ret,
				      "%s: reservations[%zu] (%s): %s", path, i,
				      desc, why);
		}
	}
	config_mark_shadowed(cfg);
	return 0;
}

int rstore_load_merge(struct dx_config *cfg, char *err, size_t errlen)
{
	struct rstore s = {0};
	char path[PATH_MAX];
	int ret;

	if (!cfg)
		return -EINVAL;
	ret = rstore_path(cfg, path, sizeof(path));
	if (ret)
		return errmsg(err, errlen, ret,
			      "the run-time reservations' path is too long");
	ret = rstore_load(path, &s, err, errlen);
	if (!ret)
		ret = merge(&s, path, cfg, err, errlen);
	rstore_free(&s);
	return ret;
}
