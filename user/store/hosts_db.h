/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Kea's host databases (Dhcp4.hosts-databases), read whole: every IPv4
 * reservation as a Kea reservation object, for config_load_hosts() to
 * merge into the configuration (hosts_db.c; hosts_db_internal.h
 * says which file holds what). Read at start and on
 * reload, never per packet: the XDP program answers reservation hits from
 * a map, so every reservation must be known before a request comes
 * (docs/design.md "Host databases").
 */
#ifndef DHCPXDP_HOSTS_DB_H
#define DHCPXDP_HOSTS_DB_H

#include <stddef.h>

struct dx_hosts_db_conf;
struct json_object;

/*
 * Append to hosts (a JSON array) one object per IPv4 reservation of the
 * database conf: "subnet-id", the identifier ("hw-address", "client-id",
 * "duid", "circuit-id" or "flex-id"), and when the row has them
 * "ip-address", "hostname", "client-classes", "next-server",
 * "server-hostname", "boot-file-name" and "option-data"; "comment" names
 * the row. *n is the number appended. -ECONNREFUSED (cannot connect),
 * -EPROTONOSUPPORT (no Kea schema, or a version we do not read), -EIO,
 * -ENOMEM; err says why.
 */
int hosts_db_read(const struct dx_hosts_db_conf *conf,
		  struct json_object *hosts, size_t *n, char *err,
		  size_t errlen);

#endif
