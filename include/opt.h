/*
 * opt.h - table-driven option parsing for rpi-cross's commands.
 *
 * Each command declares a table of struct opt ending in OPT_END_TABLE. The
 * same table prints the command's --help, so usage text and parsing never
 * drift apart. Accepted forms: --name, --name=value, --name value, -x,
 * -x value, and "--" to end options. Unknown options, missing or
 * unexpected arguments are usage errors (exit 2, with a one-line reason).
 * "--version", unless a table declares it, prints the version and exits 0
 * on the spot (like --help, it is accepted by every command).
 */
#ifndef RPX_OPT_H
#define RPX_OPT_H

#include <stdbool.h>

#include "rpx.h"

enum opt_arg { OPT_NOARG, OPT_ARG };

struct opt {
	const char *name;	/* long name without "--"; NULL ends the table */
	char short_name;	/* 0 when none */
	enum opt_arg arg;
	int id;			/* returned by opt_next() */
	const char *argname;	/* e.g. "TARGET", for help */
	const char *help;	/* one line */
};

#define OPT_END_TABLE { NULL, 0, OPT_NOARG, 0, NULL, NULL }

/* Ids every command understands. */
enum { OPT_HELP = 1000, OPT_VERSION };
#define OPT_HELP_ENTRY { "help", 'h', OPT_NOARG, OPT_HELP, NULL, "show this help and exit" }

enum opt_result {
	OPT_DONE = -1,		/* no more options: see p->pos */
	OPT_ERROR = -2,		/* usage error already printed */
};

struct opt_parser {
	const struct ctx *ctx;
	const char *cmd;		/* command name for messages, or NULL */
	const struct opt *opts;
	int argc;
	char **argv;
	int i;				/* next argv index */
	bool stop_at_positional;	/* everything after the first is positional */
	const char *arg;		/* argument of the last option returned */
	/* Positional arguments collected (pointers into argv). */
	char **pos;
	int npos;
	const char *pending_short;	/* rest of a bundle like -abc */
};

/* argv[0] is skipped. pos is allocated; release with opt_release(). */
void opt_init(struct opt_parser *p, const struct ctx *ctx, const char *cmd,
	      const struct opt *opts, int argc, char **argv);
/* Next option id, OPT_DONE, or OPT_ERROR. */
int opt_next(struct opt_parser *p);
void opt_release(struct opt_parser *p);

/* Print the options table, two columns, for --help. */
void opt_print_help(FILE *f, const struct opt *opts);

/* Parse a non-negative integer option value; usage error on bad input. */
int opt_parse_uint(struct opt_parser *p, const char *name, const char *s,
		   unsigned long max, unsigned long *out);

#endif
