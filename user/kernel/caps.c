// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>
#include "kernel/caps.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

static bool has(const struct __user_cap_data_struct d[2], unsigned int cap)
{
	return d[cap / 32].effective & (1u << (cap % 32));
}

/* Whether the running kernel knows CAP_BPF (5.8+): the highest
 * capability it knows is in /proc. Unreadable: assume a recent one. */
static bool kernel_has_cap_bpf(void)
{
	FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");
	int last = CAP_BPF;

	if (f) {
		if (fscanf(f, "%d", &last) != 1)
			last = CAP_BPF;
		fclose(f);
	}
	return last >= CAP_BPF;
}

static void add_name(char *names, size_t len, size_t *used, const char *n)
{
	int w;

	if (*used >= len)
		return;
	w = snprintf(names + *used, len - *used, "%s%s", *used ? ", " : "", n);
	if (w > 0)
		*used += (size_t)w;
}

int caps_missing(unsigned int need, char *names, size_t len)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
	struct __user_cap_data_struct d[2];
	bool cap_bpf = kernel_has_cap_bpf();
	size_t used = 0;
	int n = 0;

	if (!names || !len)
		return -EINVAL;
	names[0] = '\0';
	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &h, d))
		return -errno;
	/* CAP_SYS_ADMIN covers both. Without CAP_PERFMON the verifier
	 * refuses the program's packet pointer arithmetic ("prohibited for
	 * !root"). */
	if ((need & CAPS_BPF) && !has(d, CAP_SYS_ADMIN)) {
		if (!cap_bpf) {
			add_name(names, len, &used, "CAP_SYS_ADMIN");
			n++;
		}
		if (cap_bpf && !has(d, CAP_BPF)) {
			add_name(names, len, &used, "CAP_BPF");
			n++;
		}
		if (cap_bpf && !has(d, CAP_PERFMON)) {
			add_name(names, len, &used, "CAP_PERFMON");
			n++;
		}
	}
	if ((need & CAPS_NET_ADMIN) && !has(d, CAP_NET_ADMIN)) {
		add_name(names, len, &used, "CAP_NET_ADMIN");
		n++;
	}
	if ((need & CAPS_NET_RAW) && !has(d, CAP_NET_RAW)) {
		add_name(names, len, &used, "CAP_NET_RAW");
		n++;
	}
	return n;
}
