// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* A walk of a hash map that may delete; see map_walk.h. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "kernel/map_walk.h"

#define PRUNE_BATCH 4096

/* Append a key to the list of keys to delete. */
static int note_key(uint8_t **list, size_t *n, size_t *cap, const void *key,
		    size_t key_size)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 256;
		uint8_t *p = realloc(*list, c * key_size);

		if (!p)
			return -ENOMEM;
		*list = p;
		*cap = c;
	}
	memcpy(*list + *n * key_size, key, key_size);
	(*n)++;
	return 0;
}

/* Walk the map without changing it; stale keys go to the list. Batched
 * lookups where the map type has them (hash maps), else key by key. */
static int collect_stale(int fd, size_t key_size, size_t value_size,
			 map_keep_fn keep, const void *arg, uint8_t **list,
			 size_t *n)
{
	LIBBPF_OPTS(bpf_map_batch_opts, bo);
	uint8_t *keys = malloc(PRUNE_BATCH * key_size);
	uint8_t *vals = malloc(PRUNE_BATCH * value_size);
	/* keys up to dx_circuit_key's; in/out: the kernel's batch token */
	uint8_t key[128], next[128], in[64], out[64];
	size_t cap = 0;
	void *prev = NULL;
	bool first = true;
	int ret = 0;

	if (!keys || !vals || key_size > sizeof(key)) {
		ret = -ENOMEM;
		goto out;
	}
	for (;;) {
		uint32_t cnt = PRUNE_BATCH;
		int r = bpf_map_lookup_batch(fd, first ? NULL : in, out, keys,
					     vals, &cnt, &bo);

		if (r && errno != ENOENT) {
			if (first)
				break; /* no batch lookups: walk key by key */
			ret = -errno;
			goto out;
		}
		for (uint32_t i = 0; i < cnt && !ret; i++)
			if (!keep(keys + i * key_size, vals + i * value_size,
				  arg))
				ret = note_key(list, n, &cap,
					       keys + i * key_size, key_size);
		if (ret || r) /* r: ENOENT, the walk is complete */
			goto out;
		memcpy(in, out, sizeof(in));
		first = false;
	}
	while (!bpf_map_get_next_key(fd, prev, next)) {
		memcpy(key, next, key_size);
		prev = key;
		if (bpf_map_lookup_elem(fd, key, vals))
			continue;
		if (!keep(key, vals, arg)) {
			ret = note_key(list, n, &cap, key, key_size);
			if (ret)
				goto out;
		}
	}
out:
	free(keys);
	free(vals);
	return ret;
}

int map_prune(int fd, size_t key_size, size_t value_size, map_keep_fn keep,
	      const void *arg, size_t *removed)
{
	uint8_t *list = NULL;
	size_t n = 0, gone = 0;
	int ret;

	/*
	 * Deleting while walking would restart the kernel's walk after each
	 * deletion (quadratic on a large map): collect first, then delete.
	 */
	ret = collect_stale(fd, key_size, value_size, keep, arg, &list, &n);
	for (size_t i = 0; !ret && i < n; i++) {
		if (!bpf_map_delete_elem(fd, list + i * key_size))
			gone++;
		else if (errno != ENOENT)
			ret = -errno;
	}
	free(list);
	if (removed)
		*removed = gone;
	return ret;
}
