// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The lease database's files keep their owner when a command run as root
 * writes or creates them (cli.h). Under systemd the daemon runs as its own
 * user (User=dhcpxdp, StateDirectory=): a database, WAL or shared-memory
 * file left to root could not be written by the daemon.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cli/cli.h"
#include "config/config.h"

/* The SQLite file, or NULL for a database on a server. */
static const char *db_file(const struct dx_lease_db_conf *db)
{
	return db->type && strcmp(db->type, "sqlite") ? NULL : db->name;
}

void cli_db_owner_before(const struct dx_lease_db_conf *db,
			 struct cli_db_owner *o)
{
	cli_file_owner_before(db_file(db), o);
}

void cli_file_owner_before(const char *path, struct cli_db_owner *o)
{
	char dir[PATH_MAX];
	struct stat st;
	char *slash;

	o->known = false;
	if (geteuid() != 0 || !path)
		return;
	/* A new database gets its directory's owner, as if the daemon had
	 * made it there. */
	if (stat(path, &st)) {
		snprintf(dir, sizeof(dir), "%s", path);
		slash = strrchr(dir, '/');
		if (slash == dir)
			slash[1] = 0;
		else if (slash)
			*slash = 0;
		else
			snprintf(dir, sizeof(dir), ".");
		if (stat(dir, &st))
			return;
	}
	o->known = true;
	o->uid = st.st_uid;
	o->gid = st.st_gid;
}

void cli_db_owner_restore(const char *cmd, const struct dx_lease_db_conf *db,
			  const struct cli_db_owner *o)
{
	cli_file_owner_restore(cmd, db_file(db), o);
}

void cli_file_owner_restore(const char *cmd, const char *path,
			    const struct cli_db_owner *o)
{
	static const char *const suffix[] = {"", "-wal", "-shm"};
	char f[PATH_MAX];
	struct stat st;

	for (size_t i = 0; o->known && i < 3; i++) {
		snprintf(f, sizeof(f), "%s%s", path, suffix[i]);
		if (stat(f, &st) ||
		    (st.st_uid == o->uid && st.st_gid == o->gid))
			continue;
		if (chown(f, o->uid, o->gid))
			fprintf(stderr,
				"dhcpxdp %s: cannot give %s to uid %u: %s; the "
				"daemon may not be able to write it\n",
				cmd, f, (unsigned)o->uid, strerror(errno));
	}
}
