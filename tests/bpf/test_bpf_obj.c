// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Loading, pinning, reuse after a restart, ABI checks and attaching
 * through pinned links, on a veth pair in a private network namespace
 * with a private bpffs.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <dirent.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <cmocka.h>
#include <dhcpxdp/abi.h>
#include "kernel/bpf_obj.h"
#include "macswap.skel.h"
#include "xdp_env.h"

static char root[] = "/tmp/dhcpxdp-test-bpfobj-XXXXXX";
static char pin_dir[PATH_MAX];
static const char *skip_reason;

static int sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

static int group_setup(void **state)
{
	(void)state;
	if (geteuid() != 0) {
		skip_reason = "needs root (netns, bpffs, XDP); SKIPPING";
		fprintf(stderr, "test_bpf_obj: %s\n", skip_reason);
		return 0;
	}
	/* Everything below happens in namespaces of our own: the veth pair
	 * and the bpffs vanish with the process. */
	if (xdp_env_private_ns(root)) {
		perror("namespaces and bpffs");
		return -1;
	}
	snprintf(pin_dir, sizeof(pin_dir), "%s/dhcpxdp", root);
	if (sh("ip link set lo up && ip link add dxs0 type veth peer name dxc0 "
	       "&& ip link set dxs0 up && ip link set dxc0 up"))
		return -1;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (!skip_reason) {
		umount(root);
		rmdir(root);
	}
	return 0;
}

#define OK(call)                                                   \
	do {                                                       \
		int ret_ = (call);                                 \
		if (ret_)                                          \
			fail_msg("%s = %d: %s", #call, ret_, err); \
	} while (0)

static uint32_t attached_prog(const char *ifname)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);

	if (bpf_xdp_query((int)if_nametoindex(ifname), 0, &q))
		return 0;
	return q.prog_id;
}

static uint32_t prog_id_of(int fd)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	assert_int_equal(bpf_obj_get_info_by_fd(fd, &info, &len), 0);
	return info.id;
}

static void fresh_open_pins_everything(void **state)
{
	struct dx_bpf obj;
	char err[256], path[PATH_MAX + 32];
	struct stat st;
	uint32_t key = 0, v = 0;
	int fd;

	(void)state;
	if (skip_reason)
		skip();
	OK(dx_bpf_open(&obj, pin_dir, 4096, err, sizeof(err)));
	assert_false(obj.reused);
	assert_int_equal(obj.lease_capacity, 4096);
	assert_int_equal(stat(pin_dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	const char *names[] = {DX_MAP_ABI,     DX_MAP_NETWORKS, DX_MAP_RELAYS,
			       DX_MAP_SUBNETS, DX_MAP_LEASES,	DX_MAP_STATS,
			       DX_MAP_EVENTS,  DX_MAP_IFACES,	"prog"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", pin_dir, names[i]);
		assert_int_equal(stat(path, &st), 0);
	}
	snprintf(path, sizeof(path), "%s/%s", pin_dir, DX_MAP_ABI);
	fd = bpf_obj_get(path);
	assert_true(fd >= 0);
	assert_int_equal(bpf_map_lookup_elem(fd, &key, &v), 0);
	assert_int_equal(v, DHCPXDP_ABI_VERSION);
	close(fd);
	dx_bpf_close(&obj);
}

/* A restart sees the leases the previous run wrote, whatever capacity
 * the new configuration asks for. */
static void reopen_reuses_maps(void **state)
{
	struct dx_lease_key k = {.subnet_id = 7, .mac = {2, 1, 2, 3, 4, 5}};
	struct dx_lease l = {.addr = 0x0a0b0c0d, .flags = DX_LEASE_F_DYNAMIC},
			got;
	struct dx_bpf a, b;
	char err[256];

	(void)state;
	if (skip_reason)
		skip();
	OK(dx_bpf_open(&a, pin_dir, 0, err, sizeof(err)));
	assert_int_equal(bpf_map_update_elem(a.leases_fd, &k, &l, BPF_ANY), 0);
	dx_bpf_close(&a);
	OK(dx_bpf_open(&b, pin_dir, 999999, err, sizeof(err)));
	assert_true(b.reused);
	assert_int_equal(b.lease_capacity, 4096);
	assert_int_equal(bpf_map_lookup_elem(b.leases_fd, &k, &got), 0);
	assert_int_equal(got.addr, l.addr);
	dx_bpf_close(&b);
}

static void attach_pins_link_and_restart_moves_it(void **state)
{
	struct dx_bpf a, b;
	uint32_t link_prog = 0;
	bool via_link;
	char err[256];

	(void)state;
	if (skip_reason)
		skip();
	OK(dx_bpf_open(&a, pin_dir, 0, err, sizeof(err)));
	OK(dx_bpf_attach(&a, "dxs0", DX_XDP_NATIVE, false, err, sizeof(err)));
	assert_int_equal(attached_prog("dxs0"), prog_id_of(a.prog_fd));
	assert_int_equal(
		dx_bpf_attached(pin_dir, "dxs0", &link_prog, &via_link), 0);
	assert_int_equal(link_prog, prog_id_of(a.prog_fd));
	assert_true(via_link);
	assert_int_equal(sh("test -e %s/link_dxs0", pin_dir), 0);
	dx_bpf_close(&a);
	/* the daemon is gone; the program keeps running */
	assert_int_not_equal(attached_prog("dxs0"), 0);

	OK(dx_bpf_open(&b, pin_dir, 0, err, sizeof(err)));
	OK(dx_bpf_attach(&b, "dxs0", DX_XDP_NATIVE, false, err, sizeof(err)));
	assert_int_equal(attached_prog("dxs0"), prog_id_of(b.prog_fd));
	dx_bpf_close(&b);
	OK(dx_bpf_detach(pin_dir, "dxs0", err, sizeof(err)));
	assert_int_equal(attached_prog("dxs0"), 0);
	assert_int_equal(dx_bpf_detach(pin_dir, "dxs0", err, sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, "not attached to dxs0"));
	assert_int_equal(
		dx_bpf_attached(pin_dir, "dxs0", &link_prog, &via_link),
		-ENOENT);
}

/*
 * A VLAN device's name has a dot (eth0.100), which bpffs refuses in a
 * pin name: the link is pinned as link_eth0:100, not left to netlink.
 */
static void attach_dotted_name_pins_link(void **state)
{
	uint32_t link_prog = 0;
	struct dx_bpf obj;
	bool via_link = false;
	char err[256];

	(void)state;
	if (skip_reason)
		skip();
	assert_int_equal(sh("ip link add dxs0.7 type veth peer name dxc0.7 && "
			    "ip link set dxs0.7 up && ip link set dxc0.7 up"),
			 0);
	OK(dx_bpf_open(&obj, pin_dir, 0, err, sizeof(err)));
	OK(dx_bpf_attach(&obj, "dxs0.7", DX_XDP_NATIVE, false, err,
			 sizeof(err)));
	assert_int_equal(sh("test -e '%s/link_dxs0:7'", pin_dir), 0);
	assert_int_equal(
		dx_bpf_attached(pin_dir, "dxs0.7", &link_prog, &via_link), 0);
	assert_true(via_link);
	assert_int_equal(link_prog, prog_id_of(obj.prog_fd));
	dx_bpf_close(&obj);
	OK(dx_bpf_detach(pin_dir, "dxs0.7", err, sizeof(err)));
	assert_int_equal(attached_prog("dxs0.7"), 0);
	assert_int_equal(sh("ip link del dxs0.7"), 0);
}

static void foreign_program_needs_force(void **state)
{
	struct macswap_bpf *ms;
	struct dx_bpf obj;
	char err[256];
	int ifindex = (int)if_nametoindex("dxc0");

	(void)state;
	if (skip_reason)
		skip();
	ms = macswap_bpf__open_and_load();
	assert_non_null(ms);
	assert_int_equal(bpf_xdp_attach(ifindex,
					bpf_program__fd(ms->progs.macswap_xdp),
					XDP_FLAGS_DRV_MODE, NULL),
			 0);
	OK(dx_bpf_open(&obj, pin_dir, 0, err, sizeof(err)));
	assert_int_equal(dx_bpf_attach(&obj, "dxc0", DX_XDP_NATIVE, false, err,
				       sizeof(err)),
			 -EBUSY);
	assert_non_null(strstr(err, "macswap_xdp"));
	assert_non_null(strstr(err, "--force"));
	/* still the foreign program */
	assert_int_equal(attached_prog("dxc0"),
			 prog_id_of(bpf_program__fd(ms->progs.macswap_xdp)));
	OK(dx_bpf_attach(&obj, "dxc0", DX_XDP_NATIVE, true, err, sizeof(err)));
	assert_int_equal(attached_prog("dxc0"), prog_id_of(obj.prog_fd));
	OK(dx_bpf_detach(pin_dir, "dxc0", err, sizeof(err)));
	dx_bpf_close(&obj);
	macswap_bpf__destroy(ms);
}

static void skb_mode_and_missing_interface(void **state)
{
	struct dx_bpf obj;
	char err[256];

	(void)state;
	if (skip_reason)
		skip();
	OK(dx_bpf_open(&obj, pin_dir, 0, err, sizeof(err)));
	assert_int_equal(dx_bpf_attach(&obj, "nosuch0", DX_XDP_NATIVE, false,
				       err, sizeof(err)),
			 -ENODEV);
	assert_non_null(strstr(err, "nosuch0 not found"));
	OK(dx_bpf_attach(&obj, "dxs0", DX_XDP_SKB, false, err, sizeof(err)));
	assert_int_equal(attached_prog("dxs0"), prog_id_of(obj.prog_fd));
	OK(dx_bpf_detach(pin_dir, "dxs0", err, sizeof(err)));
	dx_bpf_close(&obj);
}

static void abi_mismatch_refused(void **state)
{
	char path[PATH_MAX + 32], err[512];
	uint32_t key = 0, v = DHCPXDP_ABI_VERSION + 1;
	struct dx_bpf obj;
	int fd;

	(void)state;
	if (skip_reason)
		skip();
	snprintf(path, sizeof(path), "%s/%s", pin_dir, DX_MAP_ABI);
	fd = bpf_obj_get(path);
	assert_true(fd >= 0);
	assert_int_equal(bpf_map_update_elem(fd, &key, &v, BPF_ANY), 0);
	assert_int_equal(dx_bpf_open(&obj, pin_dir, 0, err, sizeof(err)),
			 -EPROTO);
	assert_non_null(strstr(err, "ABI version"));
	assert_non_null(strstr(err, "dhcpxdp detach"));
	v = DHCPXDP_ABI_VERSION;
	assert_int_equal(bpf_map_update_elem(fd, &key, &v, BPF_ANY), 0);
	close(fd);
}

static void pin_dir_not_on_bpffs(void **state)
{
	struct dx_bpf obj;
	char err[256];

	(void)state;
	if (skip_reason)
		skip();
	assert_int_equal(dx_bpf_open(&obj, "/tmp/dhcpxdp-not-bpffs/x", 0, err,
				     sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "not on a bpffs"));
}

/* Names in dir, sorted and joined by spaces: what "as before" means. */
static void dir_listing(const char *dir, char *out, size_t len)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	size_t used = 0;

	out[0] = '\0';
	assert_true(n >= 0);
	for (int i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.' && used < len)
			used += (size_t)snprintf(out + used, len - used, "%s ",
						 names[i]->d_name);
		free(names[i]);
	}
	free(names);
}

/* A pin directory of its own for one test, holding nothing yet. */
static void fresh_dir(char *dir, size_t len, const char *name)
{
	snprintf(dir, len, "%s/%s", root, name);
	assert_int_equal(mkdir(dir, 0700), 0);
}

/* Pin a map of another program under `name` in dir. */
static void pin_foreign_map(const char *dir, const char *name,
			    enum bpf_map_type type, uint32_t key,
			    uint32_t value)
{
	char path[PATH_MAX + 32];
	int fd = bpf_map_create(type, "foreign", key, value, 16, NULL);

	assert_true(fd >= 0);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(bpf_obj_pin(fd, path), 0);
	close(fd);
}

/* dx_bpf_open on dir fails with `want`, and dir holds what it held. */
static void open_refused(const char *dir, int want, char *err, size_t len)
{
	char before[512], after[512];
	struct dx_bpf obj;

	dir_listing(dir, before, sizeof(before));
	assert_int_equal(dx_bpf_open(&obj, dir, 0, err, len), want);
	dir_listing(dir, after, sizeof(after));
	assert_string_equal(after, before);
}

/* Another program's dx_leases in the pin directory: the open names it,
 * says what to do, and pins nothing, so a second try says the same (not
 * "incomplete"); once it is gone the open succeeds. */
static void foreign_pin_refused_and_dir_untouched(void **state)
{
	char dir[PATH_MAX], path[PATH_MAX + 32], after[512], err[1024];
	struct dx_bpf obj;

	(void)state;
	if (skip_reason)
		skip();
	fresh_dir(dir, sizeof(dir), "foreign");
	pin_foreign_map(dir, DX_MAP_LEASES, BPF_MAP_TYPE_HASH, 8, 16);
	snprintf(path, sizeof(path), "%s/%s", dir, DX_MAP_LEASES);
	for (int attempt = 0; attempt < 2; attempt++) {
		open_refused(dir, -EEXIST, err, sizeof(err));
		assert_non_null(strstr(err, path));
		assert_non_null(strstr(err, "not the one this dhcpxdp uses"));
		assert_non_null(strstr(err, "key 8 bytes, value 16 bytes"));
		assert_non_null(strstr(err, "dhcpxdp.pin-dir"));
		assert_null(strstr(err, "incomplete"));
	}
	assert_int_equal(unlink(path), 0);
	OK(dx_bpf_open(&obj, dir, 0, err, sizeof(err)));
	assert_false(obj.reused);
	dx_bpf_close(&obj);
	dir_listing(dir, after, sizeof(after));
	assert_string_equal(after, "dx_abi dx_addrs dx_buckets dx_circuits "
				   "dx_events "
				   "dx_ifaces "
				   "dx_leases dx_limits dx_networks dx_relays "
				   "dx_stats dx_subnets prog ");
}

/* A program pinned under a map's name is not taken for one. */
static void program_under_map_name_refused(void **state)
{
	char dir[PATH_MAX], path[PATH_MAX + 32], err[1024];
	struct macswap_bpf *ms;
	struct dx_bpf obj;

	(void)state;
	if (skip_reason)
		skip();
	fresh_dir(dir, sizeof(dir), "progpin");
	ms = macswap_bpf__open_and_load();
	assert_non_null(ms);
	snprintf(path, sizeof(path), "%s/%s", dir, DX_MAP_NETWORKS);
	assert_int_equal(
		bpf_obj_pin(bpf_program__fd(ms->progs.macswap_xdp), path), 0);
	assert_int_equal(dx_bpf_open(&obj, dir, 0, err, sizeof(err)), -EEXIST);
	assert_non_null(strstr(err, "is a pinned program"));
	assert_non_null(strstr(err, path));
	unlink(path);
	macswap_bpf__destroy(ms);
}

/* Some of dhcpxdp's pins without the others: the message lists what is
 * missing; nothing is added. */
static void incomplete_dir_names_missing_pins(void **state)
{
	char dir[PATH_MAX], path[PATH_MAX + 32], err[1024];
	struct dx_bpf obj;

	(void)state;
	if (skip_reason)
		skip();
	fresh_dir(dir, sizeof(dir), "partial");
	OK(dx_bpf_open(&obj, dir, 0, err, sizeof(err)));
	dx_bpf_close(&obj);
	snprintf(path, sizeof(path), "%s/%s", dir, DX_MAP_STATS);
	assert_int_equal(unlink(path), 0);
	snprintf(path, sizeof(path), "%s/%s", dir, DX_MAP_RELAYS);
	assert_int_equal(unlink(path), 0);
	open_refused(dir, -ENOENT, err, sizeof(err));
	assert_non_null(strstr(err, "incomplete (no dx_relays, dx_stats)"));
}

/* Pinning fails half way (a name taken between the check and the pin,
 * here by a dangling symlink): exactly the pins made by this attempt go,
 * the symlink stays. */
static void failed_pinning_removes_only_its_own_pins(void **state)
{
	char dir[PATH_MAX], path[PATH_MAX + 32], err[1024];

	(void)state;
	if (skip_reason)
		skip();
	fresh_dir(dir, sizeof(dir), "halfway");
	pin_foreign_map(dir, "operators_map", BPF_MAP_TYPE_ARRAY, 4, 4);
	snprintf(path, sizeof(path), "%s/%s", dir, DX_MAP_STATS);
	assert_int_equal(symlink("nowhere", path), 0);
	open_refused(dir, -EEXIST, err, sizeof(err));
	assert_non_null(strstr(err, "cannot pin"));
	assert_non_null(strstr(err, path));
	unlink(path);
}

/* Without CAP_BPF and CAP_SYS_ADMIN the load fails with EPERM: the
 * message is about permissions, not the verifier. */
static void load_without_capabilities_says_permissions(void **state)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct c[2];
	char dir[PATH_MAX], err[1024] = "";
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	(void)state;
	if (skip_reason)
		skip();
	fresh_dir(dir, sizeof(dir), "noperm");
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct dx_bpf obj;

		/* Root still, so the directory is writable: only the
		 * capabilities go. */
		memset(c, 0, sizeof(c));
		if (syscall(SYS_capget, &h, c) == 0) {
			c[0].effective &= ~(1u << CAP_SYS_ADMIN);
			c[1].effective &= ~(1u << (39 - 32)); /* CAP_BPF */
			c[1].effective &= ~(1u << (38 - 32)); /* CAP_PERFMON */
			if (syscall(SYS_capset, &h, c) == 0)
				dx_bpf_open(&obj, dir, 0, err, sizeof(err));
		}
		n = write(fds[1], err, strlen(err) + 1);
		_exit(n > 0 ? 0 : 1);
	}
	close(fds[1]);
	n = read(fds[0], err, sizeof(err) - 1);
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(n > 0);
	err[n] = '\0';
	fprintf(stderr, "    %s\n", err);
	assert_non_null(strstr(err, "CAP_BPF"));
	assert_non_null(strstr(err, "run as root"));
	assert_null(strstr(err, "verifier"));
}

/* The interface goes away and comes back under the same name: the old
 * attachment is gone with it, status says so, and attaching again works
 * (replacing a pinned link that died with the interface). */
static void interface_recreated_attach_again(void **state)
{
	struct dx_bpf obj;
	uint32_t prog = 0;
	bool via_link;
	char err[256];

	(void)state;
	if (skip_reason)
		skip();
	OK(dx_bpf_open(&obj, pin_dir, 0, err, sizeof(err)));
	OK(dx_bpf_attach(&obj, "dxs0", DX_XDP_NATIVE, false, err, sizeof(err)));
	assert_int_equal(dx_bpf_attached(pin_dir, "dxs0", &prog, &via_link), 0);
	assert_int_equal(sh("ip link del dxs0 && ip link add dxs0 type veth "
			    "peer name dxc0 && ip link set dxs0 up && "
			    "ip link set dxc0 up"),
			 0);
	assert_int_equal(dx_bpf_attached(pin_dir, "dxs0", &prog, &via_link),
			 -ENOENT);
	OK(dx_bpf_attach(&obj, "dxs0", DX_XDP_NATIVE, false, err, sizeof(err)));
	assert_int_equal(attached_prog("dxs0"), prog_id_of(obj.prog_fd));
	assert_int_equal(dx_bpf_attached(pin_dir, "dxs0", &prog, &via_link), 0);
	assert_int_equal(prog, prog_id_of(obj.prog_fd));
	OK(dx_bpf_detach(pin_dir, "dxs0", err, sizeof(err)));
	dx_bpf_close(&obj);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fresh_open_pins_everything),
		cmocka_unit_test(reopen_reuses_maps),
		cmocka_unit_test(attach_pins_link_and_restart_moves_it),
		cmocka_unit_test(attach_dotted_name_pins_link),
		cmocka_unit_test(foreign_program_needs_force),
		cmocka_unit_test(skb_mode_and_missing_interface),
		cmocka_unit_test(abi_mismatch_refused),
		cmocka_unit_test(pin_dir_not_on_bpffs),
		cmocka_unit_test(foreign_pin_refused_and_dir_untouched),
		cmocka_unit_test(program_under_map_name_refused),
		cmocka_unit_test(incomplete_dir_names_missing_pins),
		cmocka_unit_test(failed_pinning_removes_only_its_own_pins),
		cmocka_unit_test(load_without_capabilities_says_permissions),
		cmocka_unit_test(interface_recreated_attach_again),
	};

	return cmocka_run_group_tests_name("bpf_obj", tests, group_setup,
					   group_teardown);
}
