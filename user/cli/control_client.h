/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The control socket, CLI side (docs/control.md): find the socket a
 * configuration names, send one command, read the answer, and turn
 * failures into sentences that say what to do.
 */
#ifndef DHCPXDP_CONTROL_CLIENT_H
#define DHCPXDP_CONTROL_CLIENT_H

#include <stddef.h>
#include <stdio.h>

struct json_object;

/* Largest answer read (lease4-get-all of a large database is big). */
#define CTL_RESPONSE_MAX (512u * 1024 * 1024)
/* How long the CLI waits for the daemon (a reload rebuilds everything). */
#define CTL_TIMEOUT_S 120

/*
 * The request text for `command` with `args` (may be NULL; taken, i.e.
 * released by this call). Returns a malloc'd string or NULL.
 */
char *ctl_request_build(const char *command, struct json_object *args);

/*
 * Parse an answer. On success returns 0 with *resp the whole object
 * (json_object_put it), *result its result code, *text its text ("" when
 * absent) and *args its arguments (NULL when absent; owned by *resp).
 * -EBADMSG with err set when it is not a valid answer.
 */
int ctl_response_parse(const char *buf, size_t len, struct json_object **resp,
		       int *result, const char **text,
		       struct json_object **args, char *err, size_t errlen);

/*
 * Connect to the socket at path, send the request, read the answer.
 * Returns 0 with *resp set, or a negative errno with err saying what
 * failed and what to do (not running, run as root, ...).
 */
int ctl_call(const char *path, const char *command, struct json_object *args,
	     struct json_object **resp, char *err, size_t errlen);

/*
 * Everything a subcommand needs: the socket (`socket`, else the one the
 * configuration names: cli_config()), call, and on failure
 * print "dhcpxdp CMD: reason" to stderr. Returns the exit status: 0 with
 * *resp set (result 0 or 3), 1 otherwise (result 1 and 2 print the text).
 * `args` is taken.
 */
int ctl_cli_call(const char *cmd, const char *config, const char *socket,
		 const char *command, struct json_object *args,
		 struct json_object **resp);

/* `dhcpxdp status` for people, from the status command's arguments. */
void ctl_print_status(FILE *f, struct json_object *st);

/* "1h02m", "3d04h", "42s". */
void ctl_format_duration(char *buf, size_t len, unsigned long long s);

#endif /* DHCPXDP_CONTROL_CLIENT_H */
