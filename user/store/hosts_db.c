// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Kea's host databases, read whole (hosts_db.h): the reader of the
 * database's server type, its message made one log line.
 */
#include <string.h>

#include "config/config.h"
#include "store/hosts_db.h"
#include "store/hosts_db_internal.h"

/* Server messages run over lines ("\n\tIs the server running..."): one
 * log line each. */
static void one_line(char *s)
{
	size_t l = strlen(s);

	while (l && (s[l - 1] == '\n' || s[l - 1] == ' '))
		s[--l] = '\0';
	for (char *p = s; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
}

int hosts_db_read(const struct dx_hosts_db_conf *conf,
		  struct json_object *hosts, size_t *n, char *err,
		  size_t errlen)
{
	int ret;

	*n = 0;
	if (!strcmp(conf->db.type, "mysql"))
		ret = hosts_db_mysql_read(conf, hosts, n, err, errlen);
	else
		ret = hosts_db_pgsql_read(conf, hosts, n, err, errlen);
	if (ret)
		one_line(err);
	return ret;
}
