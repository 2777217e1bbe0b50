/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A temporary folder for a test's files (a lease database and its WAL):
 * made under /tmp, removed with everything in it.
 *
 * static inline in a header: every .c file of tests/lib is linked into
 * the benchmarks too.
 */
#ifndef DHCPXDP_TEST_TMP_DIR_H
#define DHCPXDP_TEST_TMP_DIR_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

/* dir (len >= 32) becomes /tmp/dx_NAME_XXXXXX, made; 0 or -1. */
static inline int tmp_dir_make(char *dir, size_t len, const char *name)
{
	if ((size_t)snprintf(dir, len, "/tmp/dx_%s_XXXXXX", name) >= len)
		return -1;
	return mkdtemp(dir) ? 0 : -1;
}

static inline int tmp_dir_rm_one(const char *p, const struct stat *sb, int flag,
				 struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static inline void tmp_dir_remove(const char *dir)
{
	nftw(dir, tmp_dir_rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

#endif
