/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * opt.h - table-driven option parsing for rpi-cross's commands.
 *
 * Each command declares a table of struct opt ending in OPT_END_TABLE. The
 * same table prints the command's --help, so usage text and parsing never
 * drift apart. Accepted forms: --name, --name=value, --name value, -x,
 * -x value, and "--" to end options. Unknown options, missing or
 * unexpected arguments are usage errors (exit 2, with a one-line reason
 * and a "Did you mean" naming the closest options when one is close).
 * Every command also takes the common options, unless its table declares
 * the same name or letter: "-q"/"--quiet" sets ctx->quiet, each
 * "-v"/"--verbose" adds one to ctx->verbose ("-vv" is two), and
 * "--version" prints the version and exits 0 on the spot; --help lists
 * them after the table's own.
 *
 * An entry may be bound to a field of the command's argument struct (its
 * offsetof(); the struct is given as opt_parser.dst): opt_next() then
 * stores the value itself and goes on to the next option, so the command
 * needs no case for it. Kinds: a bool set true, a string (a pointer into
 * argv), an int from 0 to max (the usage error names the option), or a
 * callback for the odd ones. Entries without a binding (OPT_ID) are
 * returned by id as before. Tables are static: the same one prints --help.
 */
#ifndef RPX_OPT_H
#define RPX_OPT_H

#include <stdbool.h>
#include <stddef.h>

#include "rpx.h"

enum opt_arg { OPT_NOARG, OPT_ARG };

/* What opt_next() does with an option it finds. */
enum opt_kind {
	OPT_ID,		/* return its id */
	OPT_BOOL,	/* bool field = true */
	OPT_STRING,	/* const char * field = the value */
	OPT_INT,	/* int field = the value, a number from 0 to max */
	OPT_CALL,	/* cb(p, o, field) with p->arg the value */
};

struct opt_parser;

struct opt {
	const char *name;	/* long name without "--"; NULL ends the table */
	char short_name;	/* 0 when none */
	enum opt_arg arg;
	int id;			/* returned by opt_next() (OPT_ID) */
	const char *argname;	/* e.g. "TARGET", for help */
	const char *help;	/* one line */
	/* The binding; all zero for OPT_ID. */
	enum opt_kind kind;
	size_t off;		/* offsetof() the field in *dst */
	unsigned long max;	/* OPT_INT: the largest value (<= INT_MAX) */
	/* OPT_CALL: 0, or OPT_ERROR after printing a usage error. field is
	 * dst + off (an option that sets several fields binds offset 0 and
	 * gets the whole struct). */
	int (*cb)(struct opt_parser *p, const struct opt *o, void *field);
};

#define OPT_END_TABLE { NULL, 0, OPT_NOARG, 0, NULL, NULL, OPT_ID, 0, 0, NULL }

/* An entry returned by id. */
#define OPT_ID_ENTRY(name, sh, arg, id, argname, help) \
	{ name, sh, arg, id, argname, help, OPT_ID, 0, 0, NULL }
/* Bound entries: T is the argument struct's type, F the field. */
#define OPT_BOOL_F(name, sh, T, F, help) \
	{ name, sh, OPT_NOARG, 0, NULL, help, OPT_BOOL, offsetof(T, F), 0, NULL }
#define OPT_STRING_F(name, sh, T, F, argname, help) \
	{ name, sh, OPT_ARG, 0, argname, help, OPT_STRING, offsetof(T, F), 0, \
	  NULL }
#define OPT_INT_F(name, T, F, argname, max, help) \
	{ name, 0, OPT_ARG, 0, argname, help, OPT_INT, offsetof(T, F), max, NULL }
#define OPT_CALL_F(name, T, F, argname, cb, help) \
	{ name, 0, OPT_ARG, 0, argname, help, OPT_CALL, offsetof(T, F), 0, cb }
/* A callback given the whole struct (it sets several fields). */
#define OPT_CALL_S(name, argname, cb, help) \
	{ name, 0, OPT_ARG, 0, argname, help, OPT_CALL, 0, 0, cb }

/* Ids every command understands. */
enum { OPT_HELP = 1000, OPT_VERSION, OPT_QUIET, OPT_VERBOSE };
#define OPT_HELP_ENTRY OPT_ID_ENTRY("help", 'h', OPT_NOARG, OPT_HELP, NULL, \
	"show this help and exit")
#define OPT_QUIET_ENTRY OPT_ID_ENTRY("quiet", 'q', OPT_NOARG, OPT_QUIET, NULL, \
	"print no progress or notes on stderr")
#define OPT_VERBOSE_ENTRY OPT_ID_ENTRY("verbose", 'v', OPT_NOARG, OPT_VERBOSE, \
	NULL, "show the programs run and the SSH steps (-vv: libssh's log too)")

enum opt_result {
	OPT_DONE = -1,		/* no more options: see p->pos */
	OPT_ERROR = -2,		/* usage error already printed */
};

struct opt_parser {
	struct ctx *ctx;		/* --quiet, --verbose set it */
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
	void *dst;			/* the struct bound entries write to */
};

/* argv[0] is skipped. pos is allocated; release with opt_release(). */
void opt_init(struct opt_parser *p, struct ctx *ctx, const char *cmd,
	      const struct opt *opts, int argc, char **argv);
/* Next unbound option's id, OPT_DONE, or OPT_ERROR (bound options are
 * stored on the way; a bound entry with dst NULL is returned by id). */
int opt_next(struct opt_parser *p);
void opt_release(struct opt_parser *p);

/*
 * Every option a command with table opts takes, in --help's order: the
 * table's own entries, then the common options it does not declare.
 * Returns the one after prev (NULL: the first), NULL after the last.
 * --help and the shell completions both walk it, so they list the same.
 */
const struct opt *opt_each(const struct opt *opts, const struct opt *prev);

/* Print what opt_each() walks, two columns, for --help. */
void opt_print_help(FILE *f, const struct opt *opts);

/* Parse a non-negative integer option value; usage error on bad input. */
int opt_parse_uint(struct opt_parser *p, const char *name, const char *s,
		   unsigned long max, unsigned long *out);

#endif
