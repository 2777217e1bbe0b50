/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The `dhcpxdp` command line: main.c holds the table of subcommands, each
 * cmd_*.c defines one (or a few related) struct cli_cmd with its option
 * table (params.h). Exit codes: 0 ok, 1 error, 2 usage.
 */
#ifndef DHCPXDP_CLI_H
#define DHCPXDP_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include "cli/params.h"
#include "util/version.h"

#define DHCPXDP_DEFAULT_CONFIG "/etc/dhcpxdp/dhcpxdp.json"

/* The option lines every command that reads the configuration shares. */
#define CLI_HELP_CONFIG                                                    \
	"configuration naming the paths (default\n" DHCPXDP_DEFAULT_CONFIG \
	" if it exists,\nelse the built-in defaults)"
#define CLI_HELP_SOCKET                                 \
	"the daemon's control socket (instead of the\n" \
	"configuration's)"
#define CLI_HELP_PIN_DIR "bpffs directory (default: the configuration's)"

extern const struct cli_cmd cmd_run, cmd_check_config, cmd_version;
extern const struct cli_cmd cmd_attach, cmd_detach;
extern const struct cli_cmd cmd_stats, cmd_leases, cmd_status;
extern const struct cli_cmd cmd_reload, cmd_reservations;
extern const struct cli_cmd cmd_leases_import, cmd_leases_export;
extern const struct cli_cmd cmd_db_init, cmd_db_upgrade, cmd_db_version;
extern const struct cli_cmd cmd_leases_history;

struct dx_config;

/*
 * The configuration a command takes its paths from (pin directory,
 * control socket, lease database). An explicit -c FILE must load. Without
 * one, the default file is read when it exists, and the built-in defaults
 * are used when it does not. On failure says why ("dhcpxdp CMD: ...")
 * and returns 1; else 0 with *cfg set (config_free it).
 */
int cli_config(const char *cmd, const char *path, struct dx_config **cfg);

/*
 * The lease database's owner before a command (as root) opens it - the
 * file's, or its directory's for a new one - and, after it closed it, the
 * database and its -wal and -shm files given back to that owner
 * (cli_db_owner.c: the daemon may run as its own user). Not root, or a
 * PostgreSQL database: nothing.
 */
struct cli_db_owner {
	bool known;
	unsigned uid, gid;
};
struct dx_lease_db_conf;
void cli_db_owner_before(const struct dx_lease_db_conf *db,
			 struct cli_db_owner *o);
void cli_db_owner_restore(const char *cmd, const struct dx_lease_db_conf *db,
			  const struct cli_db_owner *o);
/* The same for another SQLite file of the daemon's (the lease history);
 * path NULL: nothing. */
void cli_file_owner_before(const char *path, struct cli_db_owner *o);
void cli_file_owner_restore(const char *cmd, const char *path,
			    const struct cli_db_owner *o);

/*
 * A moment given on the command line (cmd_lease_history.c): unix seconds,
 * or ISO 8601 YYYY-MM-DD[(T| )hh:mm[:ss]][Z|+hh:mm|-hhmm], local time
 * without a zone. 0 with *t in unix seconds, or -EINVAL.
 */
int cli_parse_time(const char *s, int64_t *t);

/* s as a JSON string, quoted and escaped, on stdout (cmd_leases.c). */
void cli_json_str(const char *s);

/* `dhcpxdp leases --json` (cmd_leases.c), for `leases export`. */
int cli_leases_json(const char *config);

#endif
