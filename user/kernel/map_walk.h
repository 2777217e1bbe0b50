/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * One pass over a hash map, for the syncs that drop what is no longer
 * wanted (map_sync.c, daemon/restore.c) or copy entries elsewhere
 * (map_windows.c).
 */
#ifndef DHCPXDP_MAP_WALK_H
#define DHCPXDP_MAP_WALK_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Remove every entry of map `fd` that `keep` rejects. The walk reads the
 * map (in batches where the kernel can) before deleting anything, so a
 * large map costs one pass. *removed (may be NULL) counts deletions.
 */
typedef bool (*map_keep_fn)(const void *key, const void *value,
			    const void *arg);
int map_prune(int fd, size_t key_size, size_t value_size, map_keep_fn keep,
	      const void *arg, size_t *removed);

#endif /* DHCPXDP_MAP_WALK_H */
