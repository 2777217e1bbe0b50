// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <linux/magic.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <dhcpxdp/abi.h>
#include "dhcpxdp.skel.h"
#include "kernel/addr_window.h"
#include "kernel/bpf_obj.h"
#include "util/errmsg.h"

#define PROG_PIN "prog"
/*
 * bpffs refuses a name with a '.' in it (EPERM: dotted names are kept for
 * the kernel's own preloaded objects), so the separator is '_' and a '.'
 * in the interface name (a VLAN device, eth0.100) becomes ':', which
 * interface names cannot contain (dev_valid_name()).
 */
#define LINK_PIN_PREFIX "link_"

static int pin_path(char *buf, size_t len, const char *dir, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", dir, name);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* What to add to a message when the kernel said no for lack of rights. */
static const char *perm_hint(int ret)
{
	if (ret == -EPERM)
		return " (permissions: run as root, or grant CAP_BPF, "
		       "CAP_PERFMON and CAP_NET_ADMIN)";
	return ret == -EACCES ? " (permissions: run as root)" : "";
}

/* The pin directory must live on a bpffs; create it 0700 if missing
 * (*created: by this call, so a failed open can take it away again). */
static int prepare_pin_dir(const char *dir, bool *created, char *err,
			   size_t errlen)
{
	char parent[PATH_MAX];
	struct statfs fs;
	struct stat st;
	char *slash;

	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			return errmsg(err, errlen, -ENOTDIR,
				      "pin directory %s is not a directory",
				      dir);
		if (statfs(dir, &fs) || fs.f_type != BPF_FS_MAGIC)
			return errmsg(
				err, errlen, -EINVAL,
				"pin directory %s is not on a bpffs; mount one "
				"(mount -t bpf bpf /sys/fs/bpf) or set "
				"dhcpxdp.pin-dir",
				dir);
		if ((st.st_mode & 0777) != 0700 && chmod(dir, 0700))
			return errmsg(err, errlen, -errno,
				      "cannot make %s mode 0700: %s", dir,
				      strerror(errno));
		return 0;
	}
	snprintf(parent, sizeof(parent), "%s", dir);
	slash = strrchr(parent, '/');
	if (slash && slash != parent)
		*slash = '\0';
	else
		snprintf(parent, sizeof(parent), "/");
	if (statfs(parent, &fs) || fs.f_type != BPF_FS_MAGIC)
		return errmsg(
			err, errlen, -EINVAL,
			"%s is not on a bpffs; mount one (mount -t bpf bpf "
			"/sys/fs/bpf) or set dhcpxdp.pin-dir",
			parent);
	if (mkdir(dir, 0700)) {
		int ret = -errno;

		if (ret == -EEXIST)
			return 0;
		return errmsg(err, errlen, ret, "cannot create %s: %s%s", dir,
			      strerror(-ret), perm_hint(ret));
	}
	*created = true;
	return 0;
}

#define N_PINNED_MAPS 12

/* The maps that make up the pinned state (dx_scratch is the program's
 * private working space and is not shared). */
static struct bpf_map *const *maps_of(struct dhcpxdp_bpf *s, size_t *n)
{
	static struct bpf_map *list[N_PINNED_MAPS];

	list[0] = s->maps.dx_abi; /* first: its version decides the rest */
	list[1] = s->maps.dx_networks;
	list[2] = s->maps.dx_relays;
	list[3] = s->maps.dx_subnets;
	list[4] = s->maps.dx_leases;
	list[5] = s->maps.dx_stats;
	list[6] = s->maps.dx_events;
	list[7] = s->maps.dx_ifaces;
	list[8] = s->maps.dx_limits;
	/* Pinned too, though losing them only refills every bucket: a
	 * restarted daemon's program keeps charging the same ones. */
	list[9] = s->maps.dx_buckets;
	list[10] = s->maps.dx_circuits;
	list[11] = s->maps.dx_addrs;
	*n = N_PINNED_MAPS;
	return list;
}

/* Read the ABI version from a pinned dx_abi; -ENOENT when none. */
static int pinned_abi(const char *dir, uint32_t *version)
{
	char path[PATH_MAX];
	uint32_t key = 0;
	int fd, ret;

	ret = pin_path(path, sizeof(path), dir, DX_MAP_ABI);
	if (ret)
		return ret;
	fd = bpf_obj_get(path);
	if (fd < 0)
		return -errno;
	ret = bpf_map_lookup_elem(fd, &key, version) ? -errno : 0;
	close(fd);
	return ret;
}

int dx_bpf_pinned_map(const char *pin_dir, const char *name)
{
	char path[PATH_MAX];
	uint32_t version = 0;
	int fd, ret;

	ret = pinned_abi(pin_dir, &version);
	if (ret)
		return ret;
	if (version != DHCPXDP_ABI_VERSION)
		return -EPROTO;
	ret = pin_path(path, sizeof(path), pin_dir, name);
	if (ret)
		return ret;
	fd = bpf_obj_get(path);
	return fd < 0 ? -errno : fd;
}

/* ---- checking the pins before pinning anything ------------------------ */

enum pin_kind { PIN_UNKNOWN, PIN_MAP, PIN_PROG, PIN_LINK };

/* What a pinned object is, from the name of its file (no info call can
 * tell a map from a program). */
static enum pin_kind pin_kind(int fd)
{
	char proc[64], target[64];
	ssize_t n;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, target, sizeof(target) - 1);
	if (n < 0)
		return PIN_UNKNOWN; /* no /proc: the info check decides */
	target[n] = '\0';
	if (strstr(target, "bpf-map"))
		return PIN_MAP;
	if (strstr(target, "bpf-prog"))
		return PIN_PROG;
	if (strstr(target, "bpf_link") || strstr(target, "bpf-link"))
		return PIN_LINK;
	return PIN_UNKNOWN;
}

static const char *pin_kind_name(enum pin_kind k)
{
	return k == PIN_PROG ? "program" : k == PIN_LINK ? "link" : "map";
}

static void map_shape(char *buf, size_t len, uint32_t type, uint32_t key,
		      uint32_t value, uint32_t entries, bool any_entries)
{
	const char *t = libbpf_bpf_map_type_str((enum bpf_map_type)type);
	int n = snprintf(buf, len, "%s, key %u bytes, value %u bytes",
			 t ? t : "unknown type", key, value);

	if (!any_entries && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, ", %u entries", entries);
}

/* The advice for a pin dhcpxdp cannot use and did not make. */
#define FOREIGN_ADVICE                                                    \
	"nothing was pinned; give dhcpxdp a pin directory of its own "    \
	"(dhcpxdp.pin-dir), or remove %s if nothing uses it (a leftover " \
	"of another dhcpxdp build: detach every interface first)"

/*
 * Whether the pin at `path` is the map `want` as this build defines it
 * (any size for the lease maps: a pinned map keeps its size). 0 when it
 * is, or when there is no such pin (*present says which); -EEXIST with
 * a sentence naming the pin when it is something else.
 */
static int check_map_pin(const struct bpf_map *want, const char *path,
			 bool any_entries, bool *present, char *err,
			 size_t errlen)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);
	char have[96], need[96];
	enum pin_kind kind;
	int fd, ret = 0;

	*present = false;
	fd = bpf_obj_get(path);
	if (fd < 0) {
		ret = -errno;
		if (ret == -ENOENT)
			return 0;
		return errmsg(err, errlen, ret, "cannot open the pin %s: %s%s",
			      path, strerror(-ret), perm_hint(ret));
	}
	*present = true;
	kind = pin_kind(fd);
	memset(&info, 0, sizeof(info));
	if (kind == PIN_PROG || kind == PIN_LINK) {
		ret = errmsg(
			err, errlen, -EEXIST,
			"%s is a pinned %s, not dhcpxdp's map: " FOREIGN_ADVICE,
			path, pin_kind_name(kind), path);
		goto out;
	}
	if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
		ret = -errno;
		errmsg(err, errlen, ret, "cannot read the pin %s: %s%s", path,
		       strerror(-ret), perm_hint(ret));
		goto out;
	}
	if (info.type == bpf_map__type(want) &&
	    info.key_size == bpf_map__key_size(want) &&
	    info.value_size == bpf_map__value_size(want) &&
	    info.map_flags == bpf_map__map_flags(want) &&
	    (any_entries || info.max_entries == bpf_map__max_entries(want)))
		goto out;
	map_shape(have, sizeof(have), info.type, info.key_size, info.value_size,
		  info.max_entries, any_entries);
	map_shape(need, sizeof(need), bpf_map__type(want),
		  bpf_map__key_size(want), bpf_map__value_size(want),
		  bpf_map__max_entries(want), any_entries);
	ret = errmsg(
		err, errlen, -EEXIST,
		"pinned map %s is not the one this dhcpxdp uses (it is %s; "
		"this build needs %s): " FOREIGN_ADVICE,
		path, have, need, path);
out:
	close(fd);
	return ret;
}

/* A pinned "prog" is replaced by each start; only a program may be. */
static int check_prog_pin(const char *dir, char *err, size_t errlen)
{
	char path[PATH_MAX];
	enum pin_kind kind;
	int fd, ret;

	ret = pin_path(path, sizeof(path), dir, PROG_PIN);
	if (ret)
		return ret;
	fd = bpf_obj_get(path);
	if (fd < 0)
		return 0; /* absent, or not ours to read: pinning will say */
	kind = pin_kind(fd);
	close(fd);
	if (kind == PIN_MAP || kind == PIN_LINK)
		return errmsg(err, errlen, -EEXIST,
			      "%s is a pinned %s, not dhcpxdp's "
			      "program: " FOREIGN_ADVICE,
			      path, pin_kind_name(kind), path);
	return 0;
}

/*
 * Look at every pin the open would use, before it pins anything: each
 * map is this build's or absent, and they are all there or none is.
 * *reuse: all there. On any doubt the directory is left as found.
 */
static int survey_pins(struct dx_bpf *obj, bool *reuse, char *err,
		       size_t errlen)
{
	struct bpf_map *const *maps;
	char path[PATH_MAX], missing[256] = "";
	bool present[N_PINNED_MAPS];
	uint32_t version = 0;
	size_t n, n_present = 0, used = 0;
	int ret;

	maps = maps_of(obj->skel, &n);
	for (size_t i = 0; i < n; i++) {
		ret = pin_path(path, sizeof(path), obj->pin_dir,
			       bpf_map__name(maps[i]));
		if (!ret)
			ret = check_map_pin(
				maps[i], path,
				maps[i] == obj->skel->maps.dx_leases ||
					maps[i] == obj->skel->maps.dx_addrs,
				&present[i], err, errlen);
		if (ret)
			return ret;
		n_present += present[i];
		if (i > 0 || !present[0])
			continue;
		/* Another version's maps differ in shape too: say so
		 * before naming one of them. */
		ret = pinned_abi(obj->pin_dir, &version);
		if (ret)
			return errmsg(err, errlen, ret, "cannot read %s: %s%s",
				      path, strerror(-ret), perm_hint(ret));
		if (version != DHCPXDP_ABI_VERSION)
			return errmsg(
				err, errlen, -EPROTO,
				"pinned objects in %s are ABI version %u, this "
				"dhcpxdp speaks version %u: run 'dhcpxdp "
				"detach' on every interface with the old "
				"version, remove %s, and start again",
				obj->pin_dir, version, DHCPXDP_ABI_VERSION,
				obj->pin_dir);
	}
	ret = check_prog_pin(obj->pin_dir, err, errlen);
	if (ret)
		return ret;
	*reuse = n_present == n;
	if (n_present == 0 || n_present == n)
		return 0;
	for (size_t i = 0; i < n && used < sizeof(missing); i++) {
		int w;

		if (present[i])
			continue;
		w = snprintf(missing + used, sizeof(missing) - used, "%s%s",
			     used ? ", " : "", bpf_map__name(maps[i]));
		if (w > 0)
			used += (size_t)w;
	}
	return errmsg(err, errlen, -ENOENT,
		      "the pin directory %s is incomplete (no %s): detach "
		      "every interface and remove it, then start again",
		      obj->pin_dir, missing);
}

/* ---- loading and pinning ---------------------------------------------- */

/* Point every map of the skeleton at its pinned instance (checked by
 * survey_pins). */
static int reuse_pinned(struct dhcpxdp_bpf *s, const char *dir, char *err,
			size_t errlen)
{
	struct bpf_map *const *maps;
	char path[PATH_MAX];
	size_t n;
	int fd, ret;

	maps = maps_of(s, &n);
	for (size_t i = 0; i < n; i++) {
		ret = pin_path(path, sizeof(path), dir, bpf_map__name(maps[i]));
		if (ret)
			return ret;
		fd = bpf_obj_get(path);
		if (fd < 0)
			return errmsg(
				err, errlen, -errno,
				"pinned map %s missing or unreadable (%s); "
				"the pin directory is incomplete: detach "
				"interfaces and remove %s",
				path, strerror(errno), dir);
		ret = bpf_map__reuse_fd(maps[i], fd);
		close(fd);
		if (ret)
			return errmsg(err, errlen, ret,
				      "pinned map %s does not match this build "
				      "(%s); detach interfaces and remove %s",
				      path, strerror(-ret), dir);
	}
	return 0;
}

/* Remove the pins this attempt made, newest first, and nothing else. */
static void unpin_created(struct dx_bpf *obj, const bool *created)
{
	struct bpf_map *const *maps;
	char path[PATH_MAX];
	size_t n;

	maps = maps_of(obj->skel, &n);
	for (size_t i = n; i-- > 0;)
		if (created[i] && !pin_path(path, sizeof(path), obj->pin_dir,
					    bpf_map__name(maps[i])))
			unlink(path);
}

/* Pin every map of a fresh object; created[i] records each pin made. A
 * pin that appeared since the survey fails the whole (EEXIST). */
static int pin_all(struct dx_bpf *obj, bool *created, char *err, size_t errlen)
{
	struct bpf_map *const *maps;
	char path[PATH_MAX];
	size_t n;
	int ret;

	maps = maps_of(obj->skel, &n);
	for (size_t i = 0; i < n; i++) {
		ret = pin_path(path, sizeof(path), obj->pin_dir,
			       bpf_map__name(maps[i]));
		if (!ret)
			ret = bpf_obj_pin(bpf_map__fd(maps[i]), path) ? -errno
								      : 0;
		if (ret)
			return errmsg(err, errlen, ret, "cannot pin %s: %s%s",
				      path, strerror(-ret), perm_hint(ret));
		created[i] = true;
	}
	return 0;
}

/* (Re)pin the freshly loaded program as <pin_dir>/prog: pinned beside
 * it, then renamed over it, so a failure leaves the old pin in place.
 * (bpffs refuses names with a dot: EPERM.) */
static int pin_prog(struct dx_bpf *obj, char *err, size_t errlen)
{
	char path[PATH_MAX], tmp[PATH_MAX + 32];
	int ret;

	ret = pin_path(path, sizeof(path), obj->pin_dir, PROG_PIN);
	if (ret)
		return ret;
	snprintf(tmp, sizeof(tmp), "%s_new_%ld", path, (long)getpid());
	/* check_prog_pin() made sure a pin there is a program. */
	if (obj->prev_prog_fd < 0)
		obj->prev_prog_fd = bpf_obj_get(path);
	if (bpf_obj_pin(obj->prog_fd, tmp)) {
		ret = -errno;
		return errmsg(err, errlen, ret, "cannot pin %s: %s%s", tmp,
			      strerror(-ret), perm_hint(ret));
	}
	if (rename(tmp, path)) {
		ret = -errno;
		unlink(tmp);
		return errmsg(err, errlen, ret, "cannot replace %s: %s", path,
			      strerror(-ret));
	}
	return 0;
}

static void collect_fds(struct dx_bpf *obj)
{
	struct dhcpxdp_bpf *s = obj->skel;

	obj->prog_fd = bpf_program__fd(s->progs.dhcpxdp_xdp);
	obj->networks_fd = bpf_map__fd(s->maps.dx_networks);
	obj->ifaces_fd = bpf_map__fd(s->maps.dx_ifaces);
	obj->relays_fd = bpf_map__fd(s->maps.dx_relays);
	obj->subnets_fd = bpf_map__fd(s->maps.dx_subnets);
	obj->leases_fd = bpf_map__fd(s->maps.dx_leases);
	obj->stats_fd = bpf_map__fd(s->maps.dx_stats);
	obj->events_fd = bpf_map__fd(s->maps.dx_events);
	obj->limits_fd = bpf_map__fd(s->maps.dx_limits);
	obj->circuits_fd = bpf_map__fd(s->maps.dx_circuits);
	obj->addrs_fd = bpf_map__fd(s->maps.dx_addrs);
	obj->addrs_capacity = bpf_map__max_entries(s->maps.dx_addrs);
	obj->lease_capacity = bpf_map__max_entries(s->maps.dx_leases);
}

static int load(struct dx_bpf *obj, char *err, size_t errlen)
{
	int ret = dhcpxdp_bpf__load(obj->skel);

	/* EPERM is the syscall's no (EACCES is the verifier's). */
	if (ret == -EPERM)
		return errmsg(err, errlen, ret,
			      "the kernel did not let this process load the "
			      "BPF object (%s): it needs CAP_BPF, CAP_PERFMON "
			      "and CAP_NET_ADMIN (or CAP_SYS_ADMIN), and "
			      "enough locked memory (LimitMEMLOCK=infinity): "
			      "run as root or grant them",
			      strerror(-ret));
	if (ret)
		return errmsg(err, errlen, ret,
			      "the kernel refused the XDP program (%s); run "
			      "with -v for the verifier log",
			      strerror(-ret));
	return 0;
}

int dx_bpf_open(struct dx_bpf *obj, const char *pin_dir,
		uint32_t lease_capacity, char *err, size_t errlen)
{
	bool created[N_PINNED_MAPS] = {false}, made_dir = false;
	uint32_t version = DHCPXDP_ABI_VERSION, key = 0;
	int ret;

	memset(obj, 0, sizeof(*obj));
	obj->prog_fd = obj->prev_prog_fd = -1;
	if (!pin_dir || snprintf(obj->pin_dir, sizeof(obj->pin_dir), "%s",
				 pin_dir) >= (int)sizeof(obj->pin_dir))
		return errmsg(err, errlen, -EINVAL, "bad pin directory");
	ret = prepare_pin_dir(obj->pin_dir, &made_dir, err, errlen);
	if (ret)
		return ret;

	obj->skel = dhcpxdp_bpf__open();
	if (!obj->skel) {
		ret = -errno;
		errmsg(err, errlen, ret, "cannot open the BPF object: %s",
		       strerror(-ret));
		goto out;
	}
	ret = survey_pins(obj, &obj->reused, err, errlen);
	if (ret)
		goto out;
	if (obj->reused) {
		ret = reuse_pinned(obj->skel, obj->pin_dir, err, errlen);
		if (ret)
			goto out;
	} else if (lease_capacity) {
		bpf_map__set_max_entries(obj->skel->maps.dx_leases,
					 lease_capacity);
		bpf_map__set_max_entries(obj->skel->maps.dx_addrs,
					 lease_capacity);
	}
	ret = load(obj, err, errlen);
	if (ret)
		goto out;
	collect_fds(obj);
	obj->windows = calloc(1, sizeof(*obj->windows));
	if (!obj->windows) {
		ret = errmsg(err, errlen, -ENOMEM, "out of memory");
		goto out;
	}
	if (!obj->reused) {
		if (bpf_map_update_elem(bpf_map__fd(obj->skel->maps.dx_abi),
					&key, &version, BPF_ANY)) {
			ret = errmsg(err, errlen, -errno,
				     "cannot write the ABI version: %s",
				     strerror(errno));
			goto out;
		}
		ret = pin_all(obj, created, err, errlen);
		if (ret)
			goto out;
	}
	ret = pin_prog(obj, err, errlen);
out:
	if (ret) {
		if (obj->skel)
			unpin_created(obj, created);
		dx_bpf_close(obj);
		if (made_dir)
			rmdir(obj->pin_dir); /* only if still empty */
	}
	return ret;
}

void dx_bpf_close(struct dx_bpf *obj)
{
	/* Only an opened object has one (a zeroed struct has fd 0). */
	if (obj->skel && obj->prev_prog_fd >= 0)
		close(obj->prev_prog_fd);
	obj->prev_prog_fd = -1;
	dhcpxdp_bpf__destroy(obj->skel);
	obj->skel = NULL;
	free(obj->windows);
	obj->windows = NULL;
	obj->prog_fd = -1;
}

static int link_pin_path(char *buf, size_t len, const char *dir,
			 const char *ifname)
{
	char name[IF_NAMESIZE + sizeof(LINK_PIN_PREFIX)];

	snprintf(name, sizeof(name), LINK_PIN_PREFIX "%s", ifname);
	for (char *p = name; *p; p++)
		if (*p == '.')
			*p = ':';
	return pin_path(buf, len, dir, name);
}

static void prog_name(uint32_t id, char *buf, size_t len)
{
	struct bpf_prog_info info;
	uint32_t info_len = sizeof(info);
	int fd = bpf_prog_get_fd_by_id(id);

	snprintf(buf, len, "?");
	if (fd < 0 && errno == EPERM)
		snprintf(buf, len, "? (its name needs CAP_SYS_ADMIN to read)");
	if (fd < 0)
		return;
	memset(&info, 0, sizeof(info));
	if (!bpf_obj_get_info_by_fd(fd, &info, &info_len))
		snprintf(buf, len, "%s", info.name);
	close(fd);
}

static const char *attach_mode_name(uint8_t mode)
{
	switch (mode) {
	case XDP_ATTACHED_DRV:
		return "native";
	case XDP_ATTACHED_SKB:
		return "skb";
	case XDP_ATTACHED_HW:
		return "offload";
	case XDP_ATTACHED_MULTI:
		return "several modes";
	default:
		return "unknown mode";
	}
}

/* Id of the pinned lease map: the mark of "our" programs. */
static uint32_t pinned_leases_id(const char *pin_dir)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);
	char path[PATH_MAX];
	int fd;

	if (pin_path(path, sizeof(path), pin_dir, DX_MAP_LEASES))
		return 0;
	fd = bpf_obj_get(path);
	if (fd < 0)
		return 0;
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		info.id = 0;
	close(fd);
	return info.id;
}

/* Is program `id` one of ours, i.e. does it use our pinned leases? */
static bool prog_is_ours(uint32_t id, uint32_t leases_id)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info), map_ids[16];
	bool ours = false;
	int fd;

	if (!id || !leases_id)
		return false;
	fd = bpf_prog_get_fd_by_id(id);
	if (fd < 0)
		return false;
	memset(&info, 0, sizeof(info));
	info.nr_map_ids = sizeof(map_ids) / sizeof(map_ids[0]);
	info.map_ids = (uint64_t)(unsigned long)map_ids;
	if (!bpf_obj_get_info_by_fd(fd, &info, &len)) {
		for (uint32_t i = 0; i < info.nr_map_ids && i < 16; i++)
			ours |= map_ids[i] == leases_id;
	}
	close(fd);
	return ours;
}

static uint32_t mode_flags(enum dx_xdp_mode mode)
{
	return mode == DX_XDP_SKB ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE;
}

static uint32_t attached_mode_flags(uint8_t attach_mode)
{
	return attach_mode == XDP_ATTACHED_SKB	 ? XDP_FLAGS_SKB_MODE
	       : attach_mode == XDP_ATTACHED_DRV ? XDP_FLAGS_DRV_MODE
						 : 0;
}

/* The id of program fd, 0 when it has none (fd -1). */
static uint32_t prog_id_of(int fd)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);

	if (fd < 0)
		return 0;
	memset(&info, 0, sizeof(info));
	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.id;
}

/* An fd of the program pinned in pin_dir, -1 when there is none. */
static int pinned_prog_fd(const char *pin_dir)
{
	char path[PATH_MAX];
	int fd;

	if (pin_path(path, sizeof(path), pin_dir, PROG_PIN))
		return -1;
	fd = bpf_obj_get(path);
	if (fd >= 0 && pin_kind(fd) != PIN_PROG) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Whether program `id`, attached through netlink, is ours: the pinned
 * program (known without CAP_SYS_ADMIN) or one using our lease map. */
static bool attached_is_ours(const char *pin_dir, uint32_t id)
{
	int fd = pinned_prog_fd(pin_dir);
	bool ours = fd >= 0 && prog_id_of(fd) == id;

	if (fd >= 0)
		close(fd);
	return ours || prog_is_ours(id, pinned_leases_id(pin_dir));
}

/* Swap one netlink-attached program for another, atomically. */
static int replace_prog(int ifindex, int old_fd, uint8_t attach_mode,
			int new_fd)
{
	LIBBPF_OPTS(bpf_xdp_attach_opts, ao);

	ao.old_prog_fd = old_fd;
	return bpf_xdp_attach(
		ifindex, new_fd,
		attached_mode_flags(attach_mode) | XDP_FLAGS_REPLACE, &ao);
}

/* The same for a program of ours known by its id only (CAP_SYS_ADMIN). */
static int replace_ours(int ifindex, uint32_t old_id, uint8_t attach_mode,
			int new_fd)
{
	int old_fd = bpf_prog_get_fd_by_id(old_id), ret;

	if (old_fd < 0)
		return -errno;
	ret = replace_prog(ifindex, old_fd, attach_mode, new_fd);
	close(old_fd);
	return ret;
}

/*
 * Create the link and pin it. Should bpffs refuse the pin (EPERM: a
 * read-only or foreign-owned pin directory, an LSM), the program is
 * attached through netlink instead, which also outlives the process but
 * is found again only by the pinned lease map it uses.
 */
static int attach_new(struct dx_bpf *obj, int ifindex, const char *ifname,
		      enum dx_xdp_mode mode, const char *path, char *err,
		      size_t errlen)
{
	LIBBPF_OPTS(bpf_link_create_opts, lo);
	int fd, ret;

	lo.flags = mode_flags(mode);
	fd = bpf_link_create(obj->prog_fd, ifindex, BPF_XDP, &lo);
	if (fd < 0)
		return errmsg(err, errlen, -errno,
			      "cannot attach to %s in %s mode: %s%s", ifname,
			      mode == DX_XDP_SKB ? "skb" : "native",
			      strerror(errno),
			      mode == DX_XDP_SKB
				      ? ""
				      : " (the driver may lack native XDP; "
					"try --mode skb)");
	ret = bpf_obj_pin(fd, path) ? -errno : 0;
	close(fd); /* an unpinned link goes away with its last fd */
	if (ret != -EPERM) {
		if (ret)
			return errmsg(err, errlen, ret, "cannot pin %s: %s",
				      path, strerror(-ret));
		return 0;
	}
	ret = bpf_xdp_attach(ifindex, obj->prog_fd,
			     mode_flags(mode) | XDP_FLAGS_UPDATE_IF_NOEXIST,
			     NULL);
	if (ret)
		return errmsg(err, errlen, ret, "cannot attach to %s: %s",
			      ifname, strerror(-ret));
	return 0;
}

int dx_bpf_attach(struct dx_bpf *obj, const char *ifname, enum dx_xdp_mode mode,
		  bool force, char *err, size_t errlen)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	char path[PATH_MAX], name[64];
	unsigned int ifindex;
	int fd, ret;

	if (!obj->skel || !ifname)
		return -EINVAL;
	ifindex = if_nametoindex(ifname);
	if (!ifindex)
		return errmsg(err, errlen, -ENODEV, "interface %s not found",
			      ifname);
	ret = link_pin_path(path, sizeof(path), obj->pin_dir, ifname);
	if (ret)
		return ret;

	/* Ours already, through a link: move it to the program just
	 * loaded. */
	fd = bpf_obj_get(path);
	if (fd >= 0) {
		ret = bpf_link_update(fd, obj->prog_fd, NULL) ? -errno : 0;
		close(fd);
		if (!ret)
			return 0;
		/* Any other failure leaves a live link alone: removing its
		 * pin would detach the program. */
		if (ret != -ENOLINK)
			return errmsg(err, errlen, ret,
				      "cannot move %s to the new program: %s%s",
				      path, strerror(-ret), perm_hint(ret));
		/* The interface went away (and may be back under the same
		 * name): that link is dead, attach anew. */
		unlink(path);
	}

	if (bpf_xdp_query((int)ifindex, 0, &q) == 0 && q.prog_id) {
		/* Ours through netlink: this start's (a reload), the
		 * previous start's (known from its pin, no CAP_SYS_ADMIN
		 * needed), or one using our lease map (looked up by id). */
		bool prev = q.prog_id == prog_id_of(obj->prev_prog_fd);

		if (q.prog_id == prog_id_of(obj->prog_fd))
			return 0;
		if (prev ||
		    prog_is_ours(q.prog_id, pinned_leases_id(obj->pin_dir))) {
			ret = prev ? replace_prog((int)ifindex,
						  obj->prev_prog_fd,
						  q.attach_mode, obj->prog_fd)
				   : replace_ours((int)ifindex, q.prog_id,
						  q.attach_mode, obj->prog_fd);
			return ret ? errmsg(err, errlen, ret,
					    "cannot update the program on %s: "
					    "%s",
					    ifname, strerror(-ret))
				   : 0;
		}
		prog_name(q.prog_id, name, sizeof(name));
		if (!force)
			return errmsg(
				err, errlen, -EBUSY,
				"%s already runs XDP program '%s' (id %u, "
				"%s); use --force to replace it",
				ifname, name, q.prog_id,
				attach_mode_name(q.attach_mode));
		if (bpf_xdp_detach((int)ifindex,
				   attached_mode_flags(q.attach_mode), NULL))
			return errmsg(
				err, errlen, -errno,
				"cannot remove XDP program '%s' from %s: "
				"%s (a program attached through a bpf_link "
				"must be removed by its owner)",
				name, ifname, strerror(errno));
	}
	return attach_new(obj, (int)ifindex, ifname, mode, path, err, errlen);
}

int dx_bpf_detach(const char *pin_dir, const char *ifname, char *err,
		  size_t errlen)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	LIBBPF_OPTS(bpf_xdp_attach_opts, ao);
	char path[PATH_MAX];
	unsigned int ifindex;
	int fd, ret;

	ret = link_pin_path(path, sizeof(path), pin_dir, ifname);
	if (ret)
		return ret;
	fd = bpf_obj_get(path);
	if (fd >= 0) {
		/* The interface may be gone already: the link is then
		 * defunct and only its pin needs removing. */
		if (bpf_link_detach(fd) && errno != ENOLINK &&
		    errno != EINVAL) {
			ret = -errno;
			close(fd);
			return errmsg(err, errlen, ret,
				      "cannot detach from %s: %s", ifname,
				      strerror(-ret));
		}
		close(fd);
		if (unlink(path))
			return errmsg(err, errlen, -errno,
				      "cannot remove %s: %s", path,
				      strerror(errno));
		return 0;
	}
	ifindex = if_nametoindex(ifname);
	if (!ifindex || bpf_xdp_query((int)ifindex, 0, &q) || !q.prog_id)
		return errmsg(err, errlen, -ENOENT,
			      "dhcpxdp is not attached to %s", ifname);
	/* Ours through netlink: the pinned program (a daemon as its own
	 * user, without CAP_SYS_ADMIN, detaching an interface a reload
	 * removed), or one using our lease map (looked up by id). */
	ao.old_prog_fd = pinned_prog_fd(pin_dir);
	if (ao.old_prog_fd < 0 || prog_id_of(ao.old_prog_fd) != q.prog_id) {
		if (ao.old_prog_fd >= 0)
			close(ao.old_prog_fd);
		if (!prog_is_ours(q.prog_id, pinned_leases_id(pin_dir)))
			return errmsg(err, errlen, -ENOENT,
				      "dhcpxdp is not attached to %s", ifname);
		ao.old_prog_fd = bpf_prog_get_fd_by_id(q.prog_id);
		if (ao.old_prog_fd < 0)
			return -errno;
	}
	ret = bpf_xdp_detach(
		(int)ifindex,
		attached_mode_flags(q.attach_mode) | XDP_FLAGS_REPLACE, &ao);
	close(ao.old_prog_fd);
	if (ret)
		return errmsg(err, errlen, ret, "cannot detach from %s: %s",
			      ifname, strerror(-ret));
	return 0;
}

int dx_bpf_attached(const char *pin_dir, const char *ifname, uint32_t *prog_id,
		    bool *via_link)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	struct bpf_link_info info;
	uint32_t len = sizeof(info);
	char path[PATH_MAX];
	unsigned int ifindex;
	int fd, ret;

	ret = link_pin_path(path, sizeof(path), pin_dir, ifname);
	if (ret)
		return ret;
	ifindex = if_nametoindex(ifname);
	fd = bpf_obj_get(path);
	if (fd >= 0) {
		memset(&info, 0, sizeof(info));
		ret = bpf_obj_get_info_by_fd(fd, &info, &len) ? -errno : 0;
		close(fd);
		if (ret)
			return ret;
		/* A link whose interface went away has ifindex 0: the
		 * interface of that name now, if any, is another one. */
		if (ifindex && info.xdp.ifindex == ifindex) {
			*prog_id = info.prog_id;
			*via_link = true;
			return 0;
		}
	}
	if (!ifindex)
		return -ENODEV;
	if (bpf_xdp_query((int)ifindex, 0, &q) || !q.prog_id ||
	    !attached_is_ours(pin_dir, q.prog_id))
		return -ENOENT;
	*prog_id = q.prog_id;
	*via_link = false;
	return 0;
}

int dx_xdp_mode_parse(const char *s, enum dx_xdp_mode *mode)
{
	if (!s || !strcmp(s, "native") || !strcmp(s, "drv")) {
		*mode = DX_XDP_NATIVE;
		return 0;
	}
	if (!strcmp(s, "skb") || !strcmp(s, "generic")) {
		*mode = DX_XDP_SKB;
		return 0;
	}
	return -EINVAL;
}
