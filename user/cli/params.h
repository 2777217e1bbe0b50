/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Command-line options from one table per command: each entry names an
 * option (or a positional argument), its type and where its value goes in
 * the command's options struct. Parsing, checking values and the usage
 * text all come from the table, so a command never writes a getopt loop
 * or a help text by hand.
 */
#ifndef DHCPXDP_PARAMS_H
#define DHCPXDP_PARAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The exit status of a usage error (0 ok, 1 error). */
#define EXIT_USAGE 2

enum param_type {
	PARAM_FLAG,   /* bool; takes no value */
	PARAM_STR,    /* const char *: the value as given */
	PARAM_ID,     /* uint32_t from 1 to 2^32-1 (a subnet id); 0: absent */
	PARAM_MAC,    /* const char *, checked to be aa:bb:cc:dd:ee:ff */
	PARAM_IPV4,   /* const char *, checked to be a dotted quad */
	PARAM_DOUBLE, /* double, finite */
};

struct param {
	const char *name; /* --name; for a positional, its place holder */
	char short_name;  /* -x, or 0 */
	enum param_type type;
	size_t offset;	   /* of the value in the options struct */
	const char *value; /* the value's place holder in usage ("FILE") */
	const char *help;  /* one line; '\n' continues on the next */
	bool positional;   /* taken in table order from what is left */
	bool required;	   /* positional only: missing is a usage error */
};

/* An option of struct `st` stored in `field`. */
#define PARAM_OPT(nm, sh, ty, st, field, val, hlp)                           \
	{                                                                    \
		.name = (nm), .short_name = (sh), .type = (ty),              \
		.offset = offsetof(st, field), .value = (val), .help = (hlp) \
	}
/* A positional argument (a string) of struct `st` stored in `field`. */
#define PARAM_ARG(nm, st, field, req, hlp)                    \
	{                                                     \
		.name = (nm), .type = PARAM_STR,              \
		.offset = offsetof(st, field), .help = (hlp), \
		.positional = true, .required = (req)         \
	}

/* One subcommand of `dhcpxdp` (the table is in main.c). */
struct cli_cmd {
	const char *name;
	const char *summary;	    /* one line */
	const struct param *params; /* ends with an entry whose name is NULL */
	size_t opts_size;	    /* sizeof the options struct */
	const void *defaults;	    /* its initial value; NULL: zeroes */
	int (*run)(void *opts);	    /* the exit status */
};

/*
 * Fill opts (cmd->opts_size bytes, started from cmd->defaults) from argv
 * (argv[0] is the command's name). Returns 0, or EXIT_USAGE after saying
 * what is wrong and printing the usage on stderr.
 */
int params_parse(const struct cli_cmd *cmd, int argc, char **argv, void *opts);
/* "usage: dhcpxdp NAME ...", the summary and the options. */
void params_usage(const struct cli_cmd *cmd, FILE *f);

#endif /* DHCPXDP_PARAMS_H */
