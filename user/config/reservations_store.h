/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Run-time host reservations (docs/design.md §5: `dhcpxdp reservations add|del`,
 * "persisted, and in the map at once"), kept in a JSON file beside the
 * lease database - `<directory of lease-database.name>/reservations.json`
 * - in the shape of Kea's reservations, each naming its subnet:
 *
 *   [ {"subnet-id": 1, "hw-address": "02:aa:00:00:00:01",
 *      "ip-address": "10.77.0.50", "hostname": "web1"} ]
 *
 * The file is rewritten whole and atomically (temporary file, fsync,
 * rename, fsync of the directory): after a crash it holds either the old
 * or the new list, never a mix. It is merged into a loaded configuration
 * before the engine is built, at start and on every reload, so run-time
 * entries are reservations like the configuration's (excluded from the
 * pools, installed in the XDP lease map by map_sync.c), marked `runtime`.
 *
 * Validation is the configuration's: the subnet exists, the address is in
 * it and is not its network or broadcast address, and no MAC, client-id
 * or address is reserved twice in a subnet - by the configuration or by
 * another run-time entry.
 */
#ifndef DHCPXDP_RESERVATIONS_STORE_H
#define DHCPXDP_RESERVATIONS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dx_config;
struct json_object;

struct rstore_entry {
	uint32_t subnet_id;
	bool has_hw;
	uint8_t hw[6];
	uint8_t client_id_len; /* 0: reserved by hw-address */
	uint8_t client_id[255];
	uint32_t addr;	    /* host order */
	char hostname[256]; /* "" if none */
};

struct rstore {
	struct rstore_entry *v;
	size_t n, cap;
};

/* The store's file for cfg: beside its lease database. -ENAMETOOLONG. */
int rstore_path(const struct dx_config *cfg, char *buf, size_t len);

/*
 * Read path into s (emptied first). A missing file is an empty store.
 * -EINVAL with "PATH: reservations[I]: reason" (or "PATH: invalid JSON")
 * in err; -EACCES, -EIO, -ENOMEM.
 */
int rstore_load(const char *path, struct rstore *s, char *err, size_t errlen);
/* Write s to path atomically (0600). A negative errno, err says why. */
int rstore_save(const struct rstore *s, const char *path, char *err,
		size_t errlen);
void rstore_free(struct rstore *s);

/* Append a copy of e (not checked). -ENOMEM. */
int rstore_add(struct rstore *s, const struct rstore_entry *e);
/* Remove entry i, keeping the others' order. */
void rstore_remove(struct rstore *s, size_t i);
/* Index of the entry of (subnet, addr), or -1. */
long rstore_find_addr(const struct rstore *s, uint32_t subnet_id,
		      uint32_t addr);

/*
 * One entry from a JSON object with Kea's keys: "subnet-id",
 * "hw-address" or "client-id" (exactly one), "ip-address", optional
 * "hostname". Other keys are refused (option-data and the like are for
 * the configuration file). -EINVAL with the reason in err.
 */
int rstore_entry_from_json(struct json_object *o, struct rstore_entry *e,
			   char *err, size_t errlen);

/*
 * May e be added to cfg (whose subnets may already hold run-time
 * entries)? 0, or -ENOENT (no such subnet) / -EINVAL (address outside
 * the subnet, network or broadcast address) / -EEXIST (MAC, client-id or
 * address already reserved in the subnet: err says by which entry, and
 * whether the configuration file or the run-time store holds it).
 */
int rstore_check(const struct dx_config *cfg, const struct rstore_entry *e,
		 char *err, size_t errlen);

/*
 * rstore_path, rstore_load, then each entry checked (as rstore_check,
 * against the configuration and the entries before it) and appended to
 * its subnet's reservations, marked runtime, in order. On error cfg is
 * left with the entries merged so far (free it) and err reads "PATH:
 * reservations[I] (subnet S, ...): reason".
 */
int rstore_load_merge(struct dx_config *cfg, char *err, size_t errlen);

#endif /* DHCPXDP_RESERVATIONS_STORE_H */
