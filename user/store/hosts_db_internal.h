/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What the readers of Kea's host databases share, not part of the API
 * (hosts_db.h): hosts_db.c picks the reader, hosts_db_pgsql.c and
 * hosts_db_mysql.c run the query on their server, hosts_db_rows.c turns
 * the rows into reservation objects. Kea's two schemas have the same tables and columns.
 */
#ifndef DHCPXDP_HOSTS_DB_INTERNAL_H
#define DHCPXDP_HOSTS_DB_INTERNAL_H

#include <stddef.h>

struct dx_hosts_db_conf;
struct json_object;

/* The columns of the query, in its order. */
enum {
	C_HOST_ID,
	C_ID,
	C_ID_TYPE,
	C_SUBNET,
	C_ADDR,
	C_HOSTNAME,
	C_CLASSES,
	C_NEXT_SERVER,
	C_SERVER_HOSTNAME,
	C_BOOT_FILE,
	C_OPT_CODE,
	C_OPT_VALUE,
	C_OPT_FORMATTED,
	C_OPT_SPACE,
	C_OPT_PERSISTENT,
};

/*
 * One row per (host, option), the hosts in order: LEFT JOIN keeps a host
 * without options. HEX is the server's bytes-to-hex function, so bytes
 * come as hex; addresses come as numbers. A host without an IPv4 subnet
 * (NULL, or Kea's SUBNET_ID_UNUSED 2^32-1) is not read.
 */
#define HOSTS_DB_SELECT(HEX_ID, HEX_VALUE)                                 \
	"SELECT h.host_id, " HEX_ID ", h.dhcp_identifier_type,"            \
	" h.dhcp4_subnet_id, h.ipv4_address, h.hostname,"                  \
	" h.dhcp4_client_classes, h.dhcp4_next_server,"                    \
	" h.dhcp4_server_hostname, h.dhcp4_boot_file_name,"                \
	" o.code, " HEX_VALUE ", o.formatted_value, o.space, o.persistent" \
	" FROM hosts h LEFT JOIN dhcp4_options o ON o.host_id = h.host_id" \
	" WHERE h.dhcp4_subnet_id IS NOT NULL"                             \
	" AND h.dhcp4_subnet_id <> 4294967295"                             \
	" ORDER BY h.host_id, o.option_id"

/* A reader's result: field() is the text of a column, NULL for SQL NULL. */
struct hosts_rows {
	void *res;
	size_t n;
	const char *(*field)(void *res, size_t row, int col);
};

/* The rows into hosts, one object per host_id (hosts_db.h); *n counted. */
int hosts_db_collect(const struct dx_hosts_db_conf *conf,
		     const struct hosts_rows *rows, struct json_object *hosts,
		     size_t *n, char *err, size_t errlen);
/* The Kea schema version major.minor: refused (-EPROTONOSUPPORT, err
 * naming it and `what`) unless the reader knows its columns. */
int hosts_db_check_version(const char *what, int major, int minor, int min,
			   int max, const char *kea, char *err, size_t errlen);

/* The readers: hosts_db_read() for one server type. */
int hosts_db_pgsql_read(const struct dx_hosts_db_conf *conf,
			struct json_object *hosts, size_t *n, char *err,
			size_t errlen);
int hosts_db_mysql_read(const struct dx_hosts_db_conf *conf,
			struct json_object *hosts, size_t *n, char *err,
			size_t errlen);

#endif
