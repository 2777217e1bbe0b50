// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
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
#include "kernel/bpf_obj.h"
#include "util/errmsg.h"

#define PROG_PIN	"prog"
#define LINK_PIN_PREFIX "link."

static int pin_path(char *buf, size_t len, const char *dir, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", dir, name);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* The pin directory must live on a bpffs; create it 0700 if missing. */
static int prepare_pin_dir(const char *dir, char *err, size_t errlen)
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
	if (mkdir(dir, 0700) && errno != EEXIST)
		return errmsg(err, errlen, -errno, "cannot create %s: %s", dir,
			      strerror(errno));
	return 0;
}

/* The maps that make up the pinned state (dx_scratch is the program's
 * private working space and is not shared). */
static struct bpf_map *const *maps_of(struct dhcpxdp_bpf *s, size_t *n)
{
	static struct bpf_map *list[8];

	list[0] = s->maps.dx_abi;
	list[1] = s->maps.dx_networks;
	list[2] = s->maps.dx_relays;
	list[3] = s->maps.dx_subnets;
	list[4] = s->maps.dx_leases;
	list[5] = s->maps.dx_stats;
	list[6] = s->maps.dx_events;
	list[7] = s->maps.dx_ifaces;
	*n = 8;
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

/* Point every map of the skeleton at its pinned instance. */
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

static int pin_all(struct dx_bpf *obj, char *err, size_t errlen)
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
			ret = bpf_map__pin(maps[i], path);
		if (ret)
			return errmsg(err, errlen, ret, "cannot pin %s: %s",
				      path, strerror(-ret));
	}
	return 0;
}

/* (Re)pin the freshly loaded program as <pin_dir>/prog. */
static int pin_prog(struct dx_bpf *obj, char *err, size_t errlen)
{
	char path[PATH_MAX];
	int ret;

	ret = pin_path(path, sizeof(path), obj->pin_dir, PROG_PIN);
	if (ret)
		return ret;
	if (unlink(path) && errno != ENOENT)
		return errmsg(err, errlen, -errno, "cannot replace %s: %s",
			      path, strerror(errno));
	if (bpf_obj_pin(obj->prog_fd, path))
		return errmsg(err, errlen, -errno, "cannot pin %s: %s", path,
			      strerror(errno));
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
	obj->lease_capacity = bpf_map__max_entries(s->maps.dx_leases);
}

int dx_bpf_open(struct dx_bpf *obj, const char *pin_dir,
		uint32_t lease_capacity, char *err, size_t errlen)
{
	uint32_t version = 0, key = 0;
	int ret;

	memset(obj, 0, sizeof(*obj));
	obj->prog_fd = -1;
	if (!pin_dir || snprintf(obj->pin_dir, sizeof(obj->pin_dir), "%s",
				 pin_dir) >= (int)sizeof(obj->pin_dir))
		return errmsg(err, errlen, -EINVAL, "bad pin directory");
	ret = prepare_pin_dir(obj->pin_dir, err, errlen);
	if (ret)
		return ret;

	ret = pinned_abi(obj->pin_dir, &version);
	if (ret == 0 && version != DHCPXDP_ABI_VERSION)
		return errmsg(err, errlen, -EPROTO,
			      "pinned objects in %s are ABI version %u, this "
			      "dhcpxdp speaks version %u: run 'dhcpxdp detach' "
			      "on every interface with the old version, remove "
			      "%s, and start again",
			      obj->pin_dir, version, DHCPXDP_ABI_VERSION,
			      obj->pin_dir);
	if (ret && ret != -ENOENT)
		return errmsg(err, errlen, ret, "cannot read %s/%s: %s",
			      obj->pin_dir, DX_MAP_ABI, strerror(-ret));
	obj->reused = ret == 0;

	obj->skel = dhcpxdp_bpf__open();
	if (!obj->skel) {
		ret = -errno;
		errmsg(err, errlen, ret, "cannot open the BPF object: %s",
		       strerror(-ret));
		goto out;
	}
	if (obj->reused) {
		ret = reuse_pinned(obj->skel, obj->pin_dir, err, errlen);
		if (ret)
			goto out;
	} else if (lease_capacity) {
		bpf_map__set_max_entries(obj->skel->maps.dx_leases,
					 lease_capacity);
	}
	ret = dhcpxdp_bpf__load(obj->skel);
	if (ret) {
		errmsg(err, errlen, ret,
		       "the kernel refused the XDP program (%s); run with -v "
		       "for the verifier log",
		       strerror(-ret));
		goto out;
	}
	collect_fds(obj);
	if (!obj->reused) {
		version = DHCPXDP_ABI_VERSION;
		ret = bpf_map_update_elem(bpf_map__fd(obj->skel->maps.dx_abi),
					  &key, &version, BPF_ANY);
		if (ret) {
			ret = -errno;
			goto out;
		}
		ret = pin_all(obj, err, errlen);
		if (ret)
			goto out;
	}
	ret = pin_prog(obj, err, errlen);
out:
	if (ret)
		dx_bpf_close(obj);
	return ret;
}

void dx_bpf_close(struct dx_bpf *obj)
{
	dhcpxdp_bpf__destroy(obj->skel);
	obj->skel = NULL;
	obj->prog_fd = -1;
}

static int link_pin_path(char *buf, size_t len, const char *dir,
			 const char *ifname)
{
	char name[IF_NAMESIZE + sizeof(LINK_PIN_PREFIX)];

	snprintf(name, sizeof(name), LINK_PIN_PREFIX "%s", ifname);
	return pin_path(buf, len, dir, name);
}

static void prog_name(uint32_t id, char *buf, size_t len)
{
	struct bpf_prog_info info;
	uint32_t info_len = sizeof(info);
	int fd = bpf_prog_get_fd_by_id(id);

	snprintf(buf, len, "?");
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

/* Swap one netlink-attached program of ours for another, atomically. */
static int replace_ours(int ifindex, uint32_t old_id, uint8_t attach_mode,
			int new_fd)
{
	LIBBPF_OPTS(bpf_xdp_attach_opts, ao);
	int old_fd = bpf_prog_get_fd_by_id(old_id), ret;

	if (old_fd < 0)
		return -errno;
	ao.old_prog_fd = old_fd;
	ret = bpf_xdp_attach(
		ifindex, new_fd,
		attached_mode_flags(attach_mode) | XDP_FLAGS_REPLACE, &ao);
	close(old_fd);
	return ret;
}

/*
 * Create the link and pin it. Inside a non-initial network namespace the
 * kernel refuses to pin an XDP link (EPERM): there the program is
 * attached through netlink instead, which also outlives the process.
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
		/* A stale pin (interface gone and back): start over. */
		unlink(path);
	}

	if (bpf_xdp_query((int)ifindex, 0, &q) == 0 && q.prog_id) {
		if (prog_is_ours(q.prog_id, pinned_leases_id(obj->pin_dir))) {
			ret = replace_ours((int)ifindex, q.prog_id,
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
	if (!ifindex || bpf_xdp_query((int)ifindex, 0, &q) || !q.prog_id ||
	    !prog_is_ours(q.prog_id, pinned_leases_id(pin_dir)))
		return errmsg(err, errlen, -ENOENT,
			      "dhcpxdp is not attached to %s", ifname);
	ao.old_prog_fd = bpf_prog_get_fd_by_id(q.prog_id);
	if (ao.old_prog_fd < 0)
		return -errno;
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
	fd = bpf_obj_get(path);
	if (fd >= 0) {
		memset(&info, 0, sizeof(info));
		ret = bpf_obj_get_info_by_fd(fd, &info, &len) ? -errno : 0;
		close(fd);
		if (ret)
			return ret;
		*prog_id = info.prog_id;
		*via_link = true;
		return 0;
	}
	ifindex = if_nametoindex(ifname);
	if (!ifindex)
		return -ENODEV;
	if (bpf_xdp_query((int)ifindex, 0, &q) || !q.prog_id ||
	    !prog_is_ours(q.prog_id, pinned_leases_id(pin_dir)))
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
